"""What a field is called in each language, for sentences shown to people (verdicts, answers)."""

from __future__ import annotations

ZH: dict[str, str] = {
    "revenue": "营业收入", "revenue_growth": "营收增长率", "employees": "员工人数", "social_insurance_headcount": "社保人数",
    "rd_staff": "研发人员", "rd_staff_ratio": "研发人员占比", "rd_expense": "研发费用", "rd_expense_ratio": "研发费用占比",
    "certifications": "资质认定", "patents": "知识产权", "patents.any": "知识产权", "patents.invention": "发明专利",
    "patents.utility_model": "实用新型专利", "patents.design": "外观设计专利", "patents.software_copyright": "软件著作权",
    "patents.ic_layout": "集成电路布图设计专有权", "patents_pending.ic_layout": "申请中的集成电路布图设计",
    "founded_date": "成立时间", "years_since_founding": "成立年限", "years_in_niche": "从事细分领域年限", "region": "注册地",
    "funding_stage": "融资轮次", "funding_raised": "累计融资金额", "investors": "投资方",
    "unified_social_credit_code": "统一社会信用代码", "industry": "行业", "tech_domains": "技术领域",
    "risk_signals": "风险信号", "total_assets": "资产总额", "net_profit": "净利润", "rd_domestic_ratio": "境内研发费用占比",
    "hightech_revenue_ratio": "高新技术产品收入占比", "tax_rating": "纳税信用等级", "credit_record": "信用记录",
    "entity_type": "企业类型", "ownership.domestic_share": "境内持股比例", "ownership.us_persons_share": "美国人士持股比例",
    "company_name": "企业名称", "business": "主营业务", "address": "注册地址",
    "legal_representative": "法定代表人", "registered_capital": "注册资本",
    "non_rd_staff": "非研发人员", "non_rd_staff_ratio": "非研发人员占比",
    "funding_rounds": "融资记录",
    "funding_planned_stage": "计划融资轮次",
    "months_since_last_round": "距上轮融资月数",
    "bank_loans": "银行贷款余额",
    "first_time_borrower": "首贷户",
    "risk.overdue_debt": "逾期欠款",
    "risk.default": "违约记录",
    "risk.litigation": "涉诉记录",
    "risk.administrative_penalty": "行政处罚",
    "risk.major_safety_incident": "重大安全事故",
    "risk.major_quality_incident": "重大质量事故",
    "risk.serious_environmental_violation": "严重环境违法",
    "risk.serious_dishonesty": "严重失信",
    "risk.abnormal_operations_list": "经营异常名录",
    "risk.serious_violation": "重大违法违规",
    "risk.pledge": "股权或资产质押",
    "risk.guarantee": "对外担保",
    "unified_social_credit_code.invalid": "无效的统一社会信用代码",
    "patents_pending.invention": "申请中的发明专利",
    "patents_pending.utility_model": "申请中的实用新型专利",
    "patents_pending.design": "申请中的外观设计专利",
    "patents_pending.software_copyright": "申请中的软件著作权",
    "certificate.hnte": "高新技术企业证书",
    "certificate.tech_sme": "科技型中小企业入库登记",
    "certificate.little_giant": "专精特新“小巨人”证书",
    "certificate.zjtx_sme": "专精特新中小企业证书",
    "certificate.iso9001": "ISO 9001 质量管理体系认证证书",
    "certificate.iso27001": "ISO 27001 信息安全管理体系认证证书",
    "certificate.iso14001": "ISO 14001 环境管理体系认证证书",
}
EN: dict[str, str] = {"patents.any": "patents", "rd_expense": "R&D expense", "rd_expense_ratio": "R&D expense ratio",
                      "rd_staff_ratio": "R&D staff ratio", "unified_social_credit_code": "unified social credit code",
                      "legal_representative": "legal representative", "registered_capital": "registered capital",
                      "rd_staff": "R&D staff", "patents.invention": "invention patents",
                      "patents.utility_model": "utility-model patents", "patents.design": "design patents",
                      "patents.software_copyright": "software copyrights",
                      "patents.ic_layout": "IC layout-design rights", "patents_pending.ic_layout": "pending IC layout-design registrations", "founded_date": "founded",
                      "social_insurance_headcount": "social-insurance headcount", "tax_rating": "tax credit rating",
                      "rd_domestic_ratio": "share of R&D spent in China", "hightech_revenue_ratio": "high-tech revenue share",
                      "ownership.domestic_share": "domestic ownership share", "ownership.us_persons_share": "US-person ownership share",
                      "region": "registered location", "funding_raised": "total funding raised"}
EN.update({
    "funding_rounds": "funding rounds",
    "business": "business",
    "address": "registered address",
    "non_rd_staff": "non-R&D staff", "non_rd_staff_ratio": "non-R&D staff share",
    "funding_planned_stage": "planned funding round",
    "months_since_last_round": "months since the last round",
    "bank_loans": "bank loans outstanding",
    "first_time_borrower": "first-time borrower",
    "risk.overdue_debt": "overdue debt",
    "risk.default": "default record",
    "risk.litigation": "litigation",
    "risk.administrative_penalty": "administrative penalty",
    "risk.major_safety_incident": "major safety incident",
    "risk.major_quality_incident": "major quality incident",
    "risk.serious_environmental_violation": "serious environmental violation",
    "risk.serious_dishonesty": "serious dishonesty record",
    "risk.abnormal_operations_list": "abnormal operations list",
    "risk.serious_violation": "serious violation",
    "risk.pledge": "pledged equity or assets",
    "risk.guarantee": "guarantees given",
    "unified_social_credit_code.invalid": "invalid unified social credit code",
    "patents_pending.invention": "pending invention patents",
    "patents_pending.utility_model": "pending utility-model patents",
    "patents_pending.design": "pending design patents",
    "patents_pending.software_copyright": "pending software copyrights",
    "certificate.hnte": "high-tech enterprise certificate",
    "certificate.tech_sme": "tech-based SME registration",
    "certificate.little_giant": "\"little giant\" certificate",
    "certificate.zjtx_sme": "specialised and innovative SME certificate",
    "certificate.iso9001": "ISO 9001 quality management certificate",
    "certificate.iso27001": "ISO 27001 information security certificate",
    "certificate.iso14001": "ISO 14001 environmental management certificate",
})


# the values of a label field that are codes, not words (entity_type): their names in each language
VALUE_NAMES: dict[str, tuple[str, str]] = {"for_profit": ("营利性企业", "for-profit company"),
                                           "independent_legal_person": ("独立法人", "independent legal entity")}


# the Chinese certifications (app/core/facts_categorical.py) by their English names, for an English answer
CERTIFICATION_EN = {"高新技术企业": "High and New Technology Enterprise", "专精特新中小企业": "specialised and innovative SME",
                    "专精特新小巨人": "\"little giant\" specialised and innovative enterprise", "科技型中小企业": "tech-based SME"}


def value_name(value: object, lang: str) -> str:
    """A coded label value in words ('for_profit' → '营利性企业' / 'for-profit company'), a Chinese certification in an
    English answer by its English name; any other value as it is."""
    names = VALUE_NAMES.get(str(value))
    if names is None:  # (a certification keeps its official Chinese name beside the English one)
        english = CERTIFICATION_EN.get(str(value)) if lang != "zh" else None
        return f"{english} ({value})" if english else str(value)
    return names[0] if lang == "zh" else names[1]


def field_name(field: str, lang: str) -> str:
    """'revenue' → '营业收入' (zh) or 'revenue' (en); an unknown field keeps its own name."""
    if lang == "zh":
        return ZH.get(field, field)
    return EN.get(field, field.replace("_", " ").replace(".", " "))

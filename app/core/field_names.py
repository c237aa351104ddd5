"""What a field is called in each language, for sentences shown to people (verdicts, answers)."""

from __future__ import annotations

ZH: dict[str, str] = {
    "revenue": "营业收入", "revenue_growth": "营收增长率", "employees": "员工人数", "social_insurance_headcount": "社保人数",
    "rd_staff": "研发人员", "rd_staff_ratio": "研发人员占比", "rd_expense": "研发费用", "rd_expense_ratio": "研发费用占比",
    "certifications": "资质认定", "patents": "知识产权", "patents.any": "知识产权", "patents.invention": "发明专利",
    "patents.utility_model": "实用新型专利", "patents.design": "外观设计专利", "patents.software_copyright": "软件著作权",
    "founded_date": "成立时间", "years_since_founding": "成立年限", "years_in_niche": "从事细分领域年限", "region": "注册地",
    "funding_stage": "融资轮次", "funding_raised": "融资金额", "investors": "投资方",
    "unified_social_credit_code": "统一社会信用代码", "industry": "行业", "tech_domains": "技术领域",
    "risk_signals": "风险信号", "total_assets": "资产总额", "net_profit": "净利润", "rd_domestic_ratio": "境内研发费用占比",
    "hightech_revenue_ratio": "高新技术产品收入占比", "tax_rating": "纳税信用等级", "credit_record": "信用记录",
    "entity_type": "企业类型", "ownership.domestic_share": "境内持股比例", "ownership.us_persons_share": "美国人士持股比例",
}
EN: dict[str, str] = {"patents.any": "patents", "rd_expense": "R&D expense", "rd_expense_ratio": "R&D expense ratio",
                      "rd_staff_ratio": "R&D staff ratio", "unified_social_credit_code": "unified social credit code",
                      "rd_staff": "R&D staff", "patents.invention": "invention patents",
                      "patents.utility_model": "utility-model patents", "patents.design": "design patents",
                      "patents.software_copyright": "software copyrights", "founded_date": "founded",
                      "social_insurance_headcount": "social-insurance headcount", "tax_rating": "tax credit rating",
                      "rd_domestic_ratio": "share of R&D spent in China", "hightech_revenue_ratio": "high-tech revenue share",
                      "ownership.domestic_share": "domestic ownership share", "ownership.us_persons_share": "US-person ownership share",
                      "region": "registered location", "funding_raised": "funding raised"}


def field_name(field: str, lang: str) -> str:
    """'revenue' → '营业收入' (zh) or 'revenue' (en); an unknown field keeps its own name."""
    if lang == "zh":
        return ZH.get(field, field)
    return EN.get(field, field.replace("_", " ").replace(".", " "))

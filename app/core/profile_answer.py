"""Answers about the client in focus from its profile: each fact named by the question, with its
value, period and the page it was read from, cited like any passage."""

from __future__ import annotations

import re
from collections.abc import Callable

from app.core.answer import Answer, Passage
from app.core.profile import EnterpriseProfile
from app.core.types import Fact

# question words → profile fields (first match order is the answer order)
FIELD_WORDS: list[tuple[str, tuple[str, ...]]] = [
    (r"营业收入|营收|收入|销售额|revenue|sales|turnover", ("revenue", "revenue_growth")),
    (r"员工|人数|职工|employees|staff|headcount|team size", ("employees", "social_insurance_headcount")),
    (r"研发人员|研发团队|r&d (?:staff|team|engineers)", ("rd_staff", "rd_staff_ratio")),
    (r"研发(?:费用|投入)|r&d (?:expense|spend|spending|investment)|research and development", ("rd_expense", "rd_expense_ratio")),
    (r"资质|认定|证书|荣誉|certif|status|accredit", ("certifications",)),
    (r"专利|著作权|知识产权|patent|copyright|\bip\b", ("patents.invention", "patents.utility_model", "patents.design",
                                                   "patents.software_copyright")),
    (r"成立|创立|注册时间|founded|established|incorporat|how old|age", ("founded_date", "years_since_founding")),
    (r"地址|注册地|位于|哪里|located|address|where|headquarter", ("region",)),
    (r"融资|投资方|投资人|轮次|investor|funding|raised|round", ("funding_stage", "funding_raised", "investors")),
    (r"信用代码|credit code|uscc", ("unified_social_credit_code",)),
    (r"行业|领域|industry|sector|technolog", ("industry", "tech_domains")),
    (r"风险|诉讼|处罚|违约|逾期|risk|litigation|penalt|default", ("risk_signals",)),
    (r"资产|assets", ("total_assets",)),
]
NAMES = {"zh": {"revenue": "营业收入", "revenue_growth": "营收增长率", "employees": "员工人数", "social_insurance_headcount": "社保人数",
                "rd_staff": "研发人员", "rd_staff_ratio": "研发人员占比", "rd_expense": "研发费用", "rd_expense_ratio": "研发费用占比",
                "certifications": "资质认定", "patents.invention": "发明专利", "patents.utility_model": "实用新型专利",
                "patents.design": "外观设计专利", "patents.software_copyright": "软件著作权", "founded_date": "成立时间",
                "years_since_founding": "成立年限", "region": "注册地", "funding_stage": "融资轮次", "funding_raised": "融资金额",
                "investors": "投资方", "unified_social_credit_code": "统一社会信用代码", "industry": "行业", "tech_domains": "技术领域",
                "risk_signals": "风险信号", "total_assets": "资产总额"}}
NOT_IN_PROFILE = {"zh": "客户档案中没有这一项信息；可以请客户补充相关材料。",
                  "en": "The client's documents do not state this; ask the client for it."}


def fields_asked(question: str) -> list[str]:
    out: list[str] = []
    for pattern, fields in FIELD_WORDS:
        if re.search(pattern, question, re.IGNORECASE):
            out += [f for f in fields if f not in out]
    return out


def _shown(f: Fact) -> str:
    value = f.value
    if isinstance(value, (tuple, list)):
        text = "、".join(map(str, value))
    elif isinstance(value, float):
        text = f"{value:,.2f}".rstrip("0").rstrip(".")
    else:
        text = str(value)
    return f"{text} {f.unit}".strip() + (f" ({f.as_of})" if f.as_of else "")


def answer_from_profile(question: str, profile: EnterpriseProfile, lang: str,
                        context: Callable[[Fact], tuple[str, str, int | None]]) -> Answer | None:
    """None when the question names no profile field (the caller retrieves instead). `context`
    gives (title, the sentence around the fact's span, page) for a fact's citation."""
    asked = fields_asked(question)
    if not asked:
        return None
    lines: list[str] = []
    cited: list[Passage] = []
    for name in asked:
        fv = profile.fields.get(name)
        if fv is None:
            continue
        facts = fv.chosen.inputs or (fv.chosen,)
        marks = []
        for f in facts:
            title, text, page = context(f)
            doc = f.doc_id or f"{f.source_type or f.method}"
            passage = next((c for c in cited if (c.doc_id, c.text, c.page) == (doc, text, page)), None)
            if passage is None:
                passage = Passage(len(cited) + 1, doc, title, text, page)
                cited.append(passage)
            if f"[{passage.n}]" not in marks:
                marks.append(f"[{passage.n}]")
        label = NAMES["zh"].get(name, name) if lang == "zh" else name.replace("_", " ")
        conflict = ("（各来源不一致，已按可信度选取）" if lang == "zh" else " (sources disagree; the most trustworthy is shown)") \
            if fv.conflict else ""
        lines.append(f"{label}：{_shown(fv.chosen)}{conflict}{''.join(marks)}" if lang == "zh"
                     else f"{label}: {_shown(fv.chosen)}{conflict} {''.join(marks)}")
    if not lines:
        return Answer(NOT_IN_PROFILE[lang], (), False, lang)
    return Answer("\n".join(lines), tuple(cited), True, lang)

"""Answers about the client in focus from its profile: each fact named by the question, with its
value, period and the page it was read from, cited like any passage. A fact whose sentence is an
instruction to the assistant (app/core/injection.py; a profile stored before facts were screened
may hold one) is not stated."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from app.core.answer import Answer, Passage
from app.core.chat_route import fields_by_keywords
from app.core.injection import InjectionDetector, rule_detector
from app.core.intents import load_intents
from app.core.profile import EnterpriseProfile
from app.core.types import Fact

NAMES = {"zh": {"revenue": "营业收入", "revenue_growth": "营收增长率", "employees": "员工人数", "social_insurance_headcount": "社保人数",
                "rd_staff": "研发人员", "rd_staff_ratio": "研发人员占比", "rd_expense": "研发费用", "rd_expense_ratio": "研发费用占比",
                "certifications": "资质认定", "patents.invention": "发明专利", "patents.utility_model": "实用新型专利",
                "patents.design": "外观设计专利", "patents.software_copyright": "软件著作权", "founded_date": "成立时间",
                "years_since_founding": "成立年限", "region": "注册地", "funding_stage": "融资轮次", "funding_raised": "融资金额",
                "investors": "投资方", "unified_social_credit_code": "统一社会信用代码", "industry": "行业", "tech_domains": "技术领域",
                "risk_signals": "风险信号", "total_assets": "资产总额", "net_profit": "净利润",
                "rd_domestic_ratio": "境内研发费用占比", "hightech_revenue_ratio": "高新技术产品收入占比",
                "tax_rating": "纳税信用等级", "credit_record": "信用记录", "entity_type": "企业类型",
                "ownership.domestic_share": "境内持股比例", "ownership.us_persons_share": "美国人士持股比例"}}
NOT_IN_PROFILE = {"zh": "客户档案中没有这一项信息；可以请客户补充相关材料。",
                  "en": "The client's documents do not state this; ask the client for it."}


def fields_asked(question: str) -> list[str]:
    """The fields a question names by keyword evidence alone (the router decides by meaning when
    the model reads both languages; see app/core/chat_route.py)."""
    return list(fields_by_keywords(load_intents(), question))


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
                        context: Callable[[Fact], tuple[str, str, int | None]],
                        fields: Sequence[str] | None = None, detector: InjectionDetector | None = None) -> Answer | None:
    """The `fields` the router chose (None: those the question names by keyword). None when there
    are none (the caller retrieves instead). `context` gives (title, the sentence around the fact's
    span, page) for a fact's citation."""
    asked = list(fields) if fields is not None else fields_asked(question)
    if not asked:
        return None
    lines: list[str] = []
    cited: list[Passage] = []
    detector = detector or rule_detector()
    for name in asked:
        fv = profile.fields.get(name)
        if fv is None:
            continue
        facts = fv.chosen.inputs or (fv.chosen,)
        contexts = [context(f) for f in facts]
        if any(detector.flags(f"{f.quote}\n{text}") for f, (_, text, _) in zip(facts, contexts)):
            continue  # an instruction planted in a document is no evidence
        marks = []
        for f, (title, text, page) in zip(facts, contexts):
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

"""Issue 16's chat examples through the API (demo catalog, the aurora firm with its certificate
scan): the credit question shows credit products only, the equity question investors only, the
HNTE question that program's verdict first with the certificate already held, "那它还缺什么条件？"
that program's open criteria (from the request's history or the stored conversation), profile
facts localised with their inputs, and the answer in the asker's language.

The intent model is scripted (a deterministic fake classifier: question → intent), so these
tests check what the chat does with a decision; the decisions themselves are measured by
eval/intents.py and `sme eval chat` with the real model."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from app.adapters.keys import KeyStore
from app.api.app import create_app
from app.core.chat_route import Router
from app.core.field_aim import FieldAim
from app.core.formal_register import plain_form
from app.core.intents import load_intents
from app.core.own_name import as_the_company
from app.core.shorthand import written_out
from app.settings import Settings
from tests.conftest import demo_copy

pytestmark = pytest.mark.slow
AURORA = Path(__file__).resolve().parents[1] / "fixtures" / "enterprises" / "aurora"
NORTHWIND = AURORA.parent / "northwind" / "overview.md"
HNTE_ZH = "这家公司符合高新技术企业认定条件吗？"
HNTE_EN = "Does it qualify as a high and new technology enterprise?"
FOLLOW_ZH = "那它还缺什么条件？"
SCRIPT = {
    "有哪些适合它的信贷产品？": "match.credit",
    "What equity investors fit this company?": "match.equity",
    HNTE_ZH: "program", HNTE_EN: "program",
    FOLLOW_ZH: "followup.gaps", "What is it still missing?": "followup.gaps",
    "What percentage of its revenue goes to R&D?": "profile.rd_expense",
    "这家公司有哪些知识产权？": "profile.ip",
    "公司2023年营业收入增长了多少？": "profile.revenue",
    "比较一下高企贷和专精特新贷，哪个更适合它？": "compare",
    "Compare the SBIR Phase I and STTR Phase I programs.": "compare",
    "What is the capital of Australia?": "out_of_scope",
    "公司2019年营业收入是多少？": "profile.revenue",
}
AREA_CLOSED = "它能申报浦东新区“明珠计划”人才支持吗？"  # a Shanghai program; the firm is in Shenzhen
STILL_MISSING = "那它还差什么？"
FIRM = "深圳极光智能科技有限公司"
BY_NAME = f"{FIRM}能申请人才贷吗？"  # decided, as its own turn was, with the name read as "the company"
SCRIPT |= {AREA_CLOSED: "program", STILL_MISSING: "followup.gaps", as_the_company(BY_NAME, FIRM): "program",
           "公司2022年营业收入是多少？": "profile.revenue"}
SCRIPT |= {"它能申请高企贷吗？": "program", "Can it get the IP-pledge loan?": "program", "它的B轮融了多少？": "profile.funding",
           "它2022年的稀释每股收益是多少？": "out_of_scope", "深圳市知识产权质押融资贴息，它符合吗？": "compare"}
SCRIPT |= {"卡在哪一条上？": "out_of_scope"}  # read by the model as beyond the RM's business
SCRIPT |= {"有哪些适合科技型中小企业的信贷产品？": "match.credit", "它能申请高企贷吗？额度最高多少？": "program"}
DESCRIBED = "广东省给那种专心做细分行业的中小企业评的称号，它能不能去申请？"  # a program described, not named
DESCRIBED_RULE = "研发费用那一条是咋要求的？它23年够不够"
SCRIPT |= {DESCRIBED: "program", DESCRIBED_RULE: "profile.rd_expense", "它能申请吗？": "program"}
UNSURE = {"它能拿到高企贷吗？": "program"}  # the model leans to an intent without being sure (route probability < 0.5)
FOUNDING_RULE = "成立年限那条满足吗？"
HEADCOUNT_CAP = "and the headcount cap, are they under it?"
# probabilities as the model gave them: leaning to a follow-up, hearing a profile field group too
SPREAD = {FOUNDING_RULE: {"followup.gaps": 0.3, "profile.founding": 0.25},
          HEADCOUNT_CAP: {"followup.gaps": 0.16, "profile.employees": 0.14}}
LIMIT = "那额度呢？"
SPREAD |= {LIMIT: {"document": 0.5, "profile.assets": 0.2}}  # a field group no criterion of 高企贷 is on
BACKERS = "btw who put money into the company's last round?"  # read as out of scope, the funding group next
WEATHER = "What is the weather in their city?"  # out of scope, the region group next (the real model's spread)
APPROVAL = "审批要多久？"  # a document question, the founding group far behind (the real model's spread)
LEAD_UNSURE = "想确认下，客户2022年那轮A轮的领投方是哪家？"  # leaning to the funding group, the profile route under 0.5
SPREAD |= {BACKERS: {"out_of_scope": 0.8, "profile.funding": 0.1}, WEATHER: {"out_of_scope": 0.57, "profile.region": 0.23},
           APPROVAL: {"document": 0.49, "profile.founding": 0.18},
           LEAD_UNSURE: {"profile.funding": 0.3, "match.equity": 0.25, "out_of_scope": 0.2}}
REVENUE_RULE = "营收那条达标吗？"  # the model sure of the revenue group; the words point at a requirement
SCRIPT |= {REVENUE_RULE: "profile.revenue"}
MOST = "那最多能贷多少？"
TENOR = "And what's the tenor on it, in months?"
OWN_LIMIT = "它的授信额度是多少？"
SCRIPT |= {MOST: "profile.assets", TENOR: "document", OWN_LIMIT: "profile.assets"}  # the route does not decide
VENTURE_DEBT = "帮我看看它适不适合做投贷联动"  # a program named by its title, read as out of scope
VENTURE_RATE = "利率大概落在什么区间？"
SCRIPT |= {VENTURE_DEBT: "out_of_scope", VENTURE_RATE: "profile.funding"}
EIC = "Can it apply for the EIC Accelerator?"
SCRIPT |= {EIC: "program"}
TSME = "它可以申请科技型中小企业评价吗？"
OVER_CAP = "那它的员工人数有没有超过上限？"  # the real model: the employees group
STAFF_RULE = "那员工人数的条件它有达到吗？"
SCRIPT |= {TSME: "program", OVER_CAP: "profile.employees", STAFF_RULE: "profile.employees"}
PATENTS = "它手上发明专利总共多少项？"
PATENT_RULE = "这个数量满足知识产权质押贷对专利的要求吗？"  # the real model: a document question
IC_FIT = "集成电路设计和软件企业所得税两免三减半它用得上吗？研发费用占比有没有达标？"  # the real model: the R&D group
SCRIPT |= {PATENTS: "profile.ip", IC_FIT: "profile.rd_expense"}
SPREAD |= {PATENT_RULE: {"document": 0.5, "profile.ip": 0.3}}
EIC_GRANT = "Can it apply for the EIC Accelerator? And what is the maximum grant there?"
SCRIPT |= {EIC_GRANT: "program"}
CARD_TERMS = "科技信用贷的利率定价基准和担保方式分别是什么？"
EIC_CAP = "Can it apply for the EIC Accelerator? And what's the headcount cap there?"
STTR_FIT = "Is it eligible for STTR Phase I?"
WORK_SPLIT = "How much of the work does the research institution partner have to do under it?"
RD_PEOPLE = "那它的研发人员有多少？"
SCRIPT |= {STTR_FIT: "program", WORK_SPLIT: "profile.rd_staff", RD_PEOPLE: "profile.rd_staff"}  # (the real model's readings)
PATENTS_AND_AGE = "它有多少项专利？它的员工平均年龄多大？"
SCRIPT |= {PATENTS_AND_AGE: "profile.ip"}
HEADCOUNT_CAP = "And what's the headcount cap there?"
SCRIPT |= {EIC_CAP: "program", HEADCOUNT_CAP: "profile.employees"}  # (the second part as the real model reads it)
CREDIT_LOAN_TERMS = "请问科技信用贷的申请条件有哪些？"
STILL_NEEDS = "它还需要满足哪些条件？"  # the real model: programs of every kind
WHICH_CLAUSE = "还有哪条得跟客户当面确认的？"
PREREQUISITE = "那这个申请之前需要先有什么资质吗？"
SCRIPT |= {PREREQUISITE: "match.any"}
MATCH_DEGREE = "帮我看下 SBIR Phase I 跟它的匹配度"  # the real model: a comparison
GD_ZJTX = "广东省专精特新中小企业认定，现在的认定条件帮我梳理一下"
RD_TWO = "对标一下，研发投入那两条（总额、占比）过没过？"
UNPROVEN = "那还有哪条是目前材料里证明不了、得先去补的？"
SALES_TEAM = "它的销售团队现在有多少人？"  # no field counts a part of the staff other than R&D
SCRIPT |= {GD_ZJTX: "program", RD_TWO: "profile.rd_expense", UNPROVEN: "followup.gaps", SALES_TEAM: "profile.employees"}
WHO_PAYS = "南山区高新技术企业认定奖励是哪个部门在兑现？"
SCRIPT |= {WHO_PAYS: "program"}
SCRIPT |= {CREDIT_LOAN_TERMS: "match.credit", STILL_NEEDS: "match.any", WHICH_CLAUSE: "match.any", MATCH_DEGREE: "compare"}
OWN_YEARS = "它2022年和2023年的研发费用对比一下"  # the model: a comparison, the R&D group next
SPREAD |= {OWN_YEARS: {"compare": 0.6, "profile.rd_expense": 0.3}}
SBIR_FIT = "Is it eligible for SBIR Phase I?"
STTR_SPLIT = "And the STTR Phase I variant — how must the work be split between the company and the partner research institution?"
SCRIPT |= {SBIR_FIT: "program", STTR_SPLIT: "compare"}  # no client in focus: a document question to the model
ITS_TERM = "How many months is its term?"
SCRIPT |= {ITS_TERM: "profile.founding"}  # the real model's reading: a duration of the client's
Api = tuple[TestClient, dict[str, str]]
RAW_KEY = re.compile(r"\b[a-z]+_[a-z_]+\b|method: ?rule")


class ScriptedClassifier:
    """Intent probabilities from a script: 0.9 for the scripted intent, the rest shared."""

    def __init__(self) -> None:
        self.names = [s.name for s in load_intents().specs]

    def scores(self, question: str) -> dict[str, float]:
        if question in SPREAD:
            rest = (1 - sum(SPREAD[question].values())) / (len(self.names) - len(SPREAD[question]))
            return dict(sorted(((n, SPREAD[question].get(n, rest)) for n in self.names), key=lambda kv: -kv[1]))
        best = SCRIPT.get(question) or UNSURE.get(question, "document")
        top = 0.3 if question in UNSURE else 0.9
        rest = (1 - top) / (len(self.names) - 1)
        return dict(sorted(((n, top if n == best else rest) for n in self.names), key=lambda kv: -kv[1]))

    def nearest(self, question: str) -> str:
        """The nearest exemplar's intent: the scripted one."""
        return next(iter(self.scores(question)))


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory, demo_dir: Path) -> Iterator[Api]:
    # rate limiting is tested on its own (tests/security/test_limits.py): this module's many asks on one key are no burst
    settings = Settings(data_dir=demo_copy(demo_dir, tmp_path_factory.mktemp("conv") / "data"), embedder="hashing",
                        rate_limit_per_s=0)
    auth = {"Authorization": f"Bearer {KeyStore(settings.keys_path).create('bank-a', 'rm')[0]}"}
    with TestClient(create_app(settings)) as c:
        files = [("files", (p.name, p.read_bytes())) for p in sorted(AURORA.iterdir())]
        assert c.post("/v1/profile", files=files, data={"enterprise_id": "aurora"}, headers=auth).status_code == 200
        overview = [("files", (NORTHWIND.name, NORTHWIND.read_bytes()))]
        assert c.post("/v1/profile", files=overview, data={"enterprise_id": "northwind"}, headers=auth).status_code == 200
        other = {"Authorization": f"Bearer {KeyStore(settings.keys_path).create('bank-b', 'rm')[0]}"}  # another tenant's client
        boreas = [("files", ("boreas.md", b"# Boreas Robotics Inc.\n\nBoreas Robotics Inc. has 60 employees, of whom 9 are R&D engineers.\n"))]
        assert c.post("/v1/profile", files=boreas, data={"enterprise_id": "boreas"}, headers=other).status_code == 200
        chat = c.app.state.chat  # type: ignore[attr-defined]
        ids = lambda: [p.id for p in chat.matching.catalog().programs]
        chat._router = Router(load_intents(), ScriptedClassifier(), ids)  # type: ignore[arg-type]
        yield c, auth


def _ask(api: Api, *questions: str, **extra: object) -> dict[str, Any]:
    c, auth = api
    messages = [{"role": "user", "content": q} for q in questions]
    r = c.post("/v1/chat", json={"messages": messages, **extra}, headers=auth)
    assert r.status_code == 200, r.text
    return r.json()


def test_a_credit_question_shows_credit_products_only(api: Api) -> None:
    body = _ask(api, "有哪些适合它的信贷产品？", enterprise_id="aurora")
    assert body["matches"] and {m["kind"] for m in body["matches"]} == {"credit"}
    assert all(line.startswith("信贷：") for line in body["answer"].splitlines())


def test_an_equity_question_in_english_shows_investors_only_in_english(api: Api) -> None:
    body = _ask(api, "What equity investors fit this company?", enterprise_id="aurora")
    assert body["matches"] and {m["kind"] for m in body["matches"]} == {"equity"}
    assert all(line.startswith("Equity: ") and "hard criteria met" in line for line in body["answer"].splitlines())
    assert "项硬性条件" not in body["answer"] and "相关度" not in body["answer"]


def test_a_named_program_answers_its_verdict_first_with_the_certificate_held(api: Api) -> None:
    body = _ask(api, HNTE_ZH, enterprise_id="aurora")
    first = body["answer"].splitlines()[0]
    assert first.startswith("政策：高新技术企业认定") and "硬性条件" in first
    assert [m["kind"] for m in body["matches"]] == ["policy"] and "高新技术企业" in body["matches"][0]["program"]["title"]
    cert = next(line for line in body["answer"].splitlines() if line.startswith("已持有"))
    assert "GR202344201234" in cert and "2023年12月12日" in cert and "2026年12月11日到期" in cert and "重新认定窗口" in cert
    n = int(re.search(r"\[(\d+)\]$", cert).group(1))  # type: ignore[union-attr]
    cited = {c["n"]: c for c in body["citations"]}
    assert cited[n]["title"] == "certificate_scan.png" and "GR202344201234" in cited[n]["text"]


def test_each_client_value_in_a_verdict_is_cited_to_the_document_that_states_it(api: Api) -> None:
    body = _ask(api, "它能申请高企贷吗？", enterprise_id="aurora")
    by_n = {c["n"]: c for c in body["citations"]}
    valued = [line for line in body["answer"].splitlines() if line.startswith(("✓", "✗"))]
    assert valued
    for line in valued:
        marks = [int(n) for n in re.findall(r"\[(\d+)\]", line)]
        assert by_n[marks[0]]["doc_id"].startswith("program:")  # the clause: the program's own text
        for n in marks[1:]:  # the client's value: a page of the client's documents, never the program's card
            assert not by_n[n]["doc_id"].startswith("program:") and by_n[n]["text"]
    assert any(len(re.findall(r"\[\d+\]", line)) > 1 for line in valued)


def test_a_part_of_the_certificates_record_is_answered_from_it_however_asked(api: Api) -> None:
    body = _ask(api, "客户那张高企证书的编号帮我查一下", enterprise_id="aurora")
    assert (body["route"], body["intent"], body["found"]) == ("profile", "profile.certifications", True)
    assert "GR202344201234" in body["answer"] and "2023年12月12日" in body["answer"]
    assert any("GR202344201234" in c["text"] for c in body["citations"])
    loan = _ask(api, "高企贷的授信有效期多久？", enterprise_id="aurora")  # a loan named after the certification
    assert "GR202344201234" not in loan["answer"]


def test_the_named_program_in_english(api: Api) -> None:
    body = _ask(api, HNTE_EN, enterprise_id="aurora")
    lines = body["answer"].splitlines()
    assert lines[0].startswith("Policy: High and New Technology Enterprise (HNTE) Recognition (高新技术企业认定)") \
        and "hard criteria met" in lines[0]
    assert any(line.startswith("Already holds the ") and "expires 11 December 2026" in line for line in lines)
    # its number as a number: "certificate: no. GR…" reads as "does not hold"
    assert any("certificate: number GR202344201234" in line for line in lines)
    assert "? Unknown:" in body["answer"] and "ask: " in body["answer"] and "待确认" not in body["answer"]


def test_the_follow_up_lists_that_programs_open_criteria_from_the_request_history(api: Api) -> None:
    body = _ask(api, HNTE_ZH, FOLLOW_ZH, enterprise_id="aurora")
    assert body["intent"] == "followup.gaps" and body["found"] is True
    assert body["answer"].startswith("高新技术企业认定") and "尚缺的条件" in body["answer"]
    unknown = [line for line in body["answer"].splitlines() if line.startswith("? 待确认")]
    assert unknown and all(line.rstrip("[1]").endswith("？") for line in unknown)  # each with its question to ask
    assert [m["program"]["title"] for m in body["matches"]] == [body["citations"][0]["title"]]


def test_the_follow_up_from_the_stored_conversation_keeps_the_enterprise_in_focus(api: Api) -> None:
    first = _ask(api, HNTE_EN, enterprise_id="aurora")
    body = _ask(api, "What is it still missing?", conversation_id=first["conversation_id"])  # no enterprise_id
    assert body["answer"].startswith("What High and New Technology Enterprise (HNTE) Recognition (高新技术企业认定) still needs")
    assert body["matches"][0]["program"]["id"] == first["matches"][0]["program"]["id"]


def test_a_follow_up_without_an_earlier_program_lists_the_top_matches_gaps(api: Api) -> None:
    body = _ask(api, FOLLOW_ZH, enterprise_id="aurora")
    assert body["found"] is True and 1 <= len(body["matches"]) <= 3


def test_a_derived_ratio_shows_its_inputs_in_english(api: Api) -> None:
    body = _ask(api, "What percentage of its revenue goes to R&D?", enterprise_id="aurora")
    assert ("R&D expense ratio: 7.95% (FY2023) = R&D expense 9,600,000 CNY (9.6 million) / revenue 120,800,000 CNY "
            "(120.8 million)") in body["answer"]
    assert not RAW_KEY.search(body["answer"])
    assert {c["title"] for c in body["citations"]} == {"financials.xlsx"}


def test_intellectual_property_comes_from_the_profile_in_chinese_units(api: Api) -> None:
    body = _ask(api, "这家公司有哪些知识产权？", enterprise_id="aurora")
    assert body["answer"].splitlines() == ["发明专利：12项[1]", "实用新型专利：20项[1]", "软件著作权：15项[1]"]
    assert "发明专利12项" in body["citations"][0]["text"]


def test_growth_shows_both_years(api: Api) -> None:
    body = _ask(api, "公司2023年营业收入增长了多少？", enterprise_id="aurora")
    assert "营收增长率：48.31%（2023年度） = 营业收入 1.208亿元 / 营业收入 8,145万元（2022年度） − 1" in body["answer"]


def test_an_unsure_program_question_that_names_a_program_gets_its_verdict(api: Api) -> None:
    body = _ask(api, "它能拿到高企贷吗？", enterprise_id="aurora")
    assert (body["route"], body["intent"]) == ("match", "program")
    assert body["answer"].startswith("信贷：高企贷——") and [m["program"]["title"] for m in body["matches"]] == ["高企贷"]



def test_a_comparison_puts_both_programs_verdicts_side_by_side_cited(api: Api) -> None:
    body = _ask(api, "比较一下高企贷和专精特新贷，哪个更适合它？", enterprise_id="aurora")
    assert (body["route"], body["found"]) == ("compare", True)
    lines = body["answer"].splitlines()
    assert lines[0] == "对比：" and lines[1].startswith("[1] 高企贷") and lines[2].startswith("[2] 专精特新贷")
    assert all("硬性条件中满足" in line and "条件：" in line for line in lines[1:])  # the verdict, then the conditions
    assert [c["title"] for c in body["citations"]] == ["高企贷", "专精特新贷"]
    assert [m["program"]["title"] for m in body["matches"]] == ["高企贷", "专精特新贷"]


def test_an_out_of_scope_verdict_on_a_question_about_the_client_yields_to_the_profile_group_ranked_next(api: Api) -> None:
    body = _ask(api, BACKERS, enterprise_id="aurora")
    assert (body["route"], body["intent"], body["found"]) == ("profile", "profile.funding", True)
    assert "深创投" in body["answer"] and "高瓴创投" in body["answer"]  # the last round's investors, lead and co-investor
    weather = _ask(api, WEATHER, enterprise_id="aurora")  # "their" names no one: still out of scope
    assert (weather["intent"], weather["found"]) == ("out_of_scope", False)


def test_a_follow_up_about_one_criterion_of_the_program_in_focus_gets_that_criterions_verdict(api: Api) -> None:
    body = _ask(api, "它能申请高企贷吗？", FOUNDING_RULE, enterprise_id="aurora")
    assert (body["route"], body["found"]) == ("match", True)
    lines = body["answer"].splitlines()
    assert lines[0] == "高企贷：" and len(lines) == 2  # the criterion asked, not the program's every gap
    # the clause is cited to the program, the client's value to the client's own document that states it
    assert lines[1].startswith("✓ 满足：企业成立满2年[1]——成立年限") and "高于要求的2年" in lines[1]
    assert lines[1].endswith("[2]")
    assert body["citations"][0]["title"] == "高企贷" and "企业成立满2年" in body["citations"][0]["text"]
    assert len(body["citations"]) == 2 and "2019" in body["citations"][1]["text"]
    assert not body["citations"][1]["doc_id"].startswith("program:")


def test_a_follow_up_on_a_field_no_criterion_of_the_program_is_on_is_answered_from_its_card(api: Api) -> None:
    body = _ask(api, "它能申请高企贷吗？", LIMIT, enterprise_id="aurora")
    assert body["found"] and "最高额度" in body["answer"] and "满足" not in body["answer"]


def test_a_profile_question_pointing_at_a_requirement_of_the_program_in_focus_gets_that_requirements_verdict(
        api: Api) -> None:
    body = _ask(api, "它能申请高企贷吗？", REVENUE_RULE, enterprise_id="aurora")
    lines = body["answer"].splitlines()
    assert body["route"] == "match" and lines[0] == "高企贷："
    assert len(lines) == 2 and "上年度营业收入不低于1000万元" in lines[1] and lines[1].startswith("✓ 满足")
    plain = _ask(api, "它能申请高企贷吗？", "公司2023年营业收入增长了多少？", enterprise_id="aurora")
    assert plain["route"] == "profile"  # a figure asked, no requirement pointed at: the profile answers


def test_a_figure_asked_against_the_programs_limit_gets_that_limits_verdict(api: Api) -> None:
    # "有没有超过上限" after a program question: the client's headcount against the program's cap, not the bare figure
    body = _ask(api, TSME, OVER_CAP, enterprise_id="aurora")
    lines = body["answer"].splitlines()
    assert body["route"] == "match" and lines[0] == "科技型中小企业评价："
    assert "职工总数不超过500人" in lines[1] and "员工人数120人" in lines[1] and lines[1].startswith("✓ 满足")
    rule = _ask(api, TSME, STAFF_RULE, enterprise_id="aurora")  # "员工人数的条件…达到吗": the same criterion
    assert rule["answer"].splitlines() == lines


def test_a_follow_up_the_model_reads_as_a_document_question_is_no_criterion_question(api: Api) -> None:
    body = _ask(api, "它能申请高企贷吗？", APPROVAL, enterprise_id="aurora")
    assert "成立" not in body["answer"] and not body["answer"].startswith("高企贷：")


def test_a_follow_up_asking_a_term_of_the_program_in_focus_gets_that_term_cited_to_the_program(api: Api) -> None:
    body = _ask(api, "它能申请高企贷吗？", MOST, enterprise_id="aurora")
    assert (body["route"], body["answer"]) == ("match", "最高额度：2,000万元[1]。")
    assert [c["title"] for c in body["citations"]] == ["高企贷"] and "最高额度：2,000万元" in body["citations"][0]["text"]
    tenor = _ask(api, "Can it get the IP-pledge loan?", TENOR, enterprise_id="aurora")
    assert tenor["answer"].startswith("Term: ") and tenor["answer"].endswith(" months [1].")
    own = _ask(api, "它能申请高企贷吗？", OWN_LIMIT, enterprise_id="aurora")  # the client's own credit line, not the loan's
    assert "最高额度" not in own["answer"]
    its = _ask(api, "Can it get the IP-pledge loan?", ITS_TERM, enterprise_id="aurora")
    assert its["answer"].startswith("Term: ")  # "its" of a term no client figure shares: the loan's


def test_a_question_naming_a_program_by_its_title_is_in_scope_whatever_the_model_says_and_stays_in_focus(api: Api) -> None:
    body = _ask(api, VENTURE_DEBT, enterprise_id="aurora")
    assert (body["route"], body["found"]) == ("match", True)
    assert [m["program"]["title"] for m in body["matches"]][:1] == ["投贷联动（创投企业债权融资）"]
    rate = _ask(api, VENTURE_DEBT, VENTURE_RATE, enterprise_id="aurora")  # the program it named is in focus
    assert rate["answer"].startswith("利率：") and [c["title"] for c in rate["citations"]] == ["投贷联动（创投企业债权融资）"]
    still_out = _ask(api, "What is the capital of Australia?", enterprise_id="aurora")
    assert not still_out["found"]


def test_a_criterion_asked_of_a_program_closed_to_the_client_is_judged_after_saying_why_it_is_closed(api: Api) -> None:
    body = _ask(api, EIC, HEADCOUNT_CAP, enterprise_id="aurora")
    lines = body["answer"].splitlines()
    assert body["route"] == "match" and lines[0].startswith("EIC Accelerator: not open to this client")
    assert len(lines) == 2 and "fewer than 250 employees" in lines[1]
    assert lines[1].startswith(("✓ Met:", "✗ Unmet:", "? Unknown:"))


def test_a_comparison_shows_each_programs_terms_in_the_askers_language_cited(api: Api) -> None:
    body = _ask(api, "科技信用贷和知识产权质押贷的利率对比一下", enterprise_id="aurora")
    assert body["route"] == "compare"
    for line, cited in zip(body["answer"].splitlines()[1:], body["citations"], strict=True):
        rate = next(part for part in line.split("；") if part.startswith("利率："))
        assert rate in cited["text"]  # the rate stated is the cited program's own
    english = _ask(api, "Compare the Tech Credit Loan with the IP Pledge Loan.")
    assert all("Interest rate: " in line and "Maximum amount: " in line for line in english["answer"].splitlines()[1:])


def test_a_comparison_without_a_client_quotes_each_programs_own_text(api: Api) -> None:
    body = _ask(api, "Compare the SBIR Phase I and STTR Phase I programs.")
    assert body["route"] == "compare" and body["matches"] == []
    for line, cited in zip(body["answer"].splitlines()[1:], body["citations"], strict=True):
        assert line.startswith(f"[{cited['n']}] {cited['title']}") and "conditions: " in line
        assert line.split("; ")[1] in cited["text"]  # what it offers, quoted from the cited program text


@pytest.mark.parametrize(("question", "titles", "client"), [
    ("高企贷和专精特新贷有什么区别？", ["高企贷", "专精特新贷"], "aurora"),
    ("深圳市知識產權質押融資貼息和上海市知識產權質押融資貼息有什麼不同？",
     ["深圳市知识产权质押融资贴息", "上海市知识产权质押融资贴息及风险补偿"], None),
    # places named short, the head shared: Shanghai's piece is Shanghai's program, not Shenzhen's nor the bank's loan
    ("上海和深圳的知识产权质押融资贴息比较一下", ["上海市知识产权质押融资贴息及风险补偿", "深圳市知识产权质押融资贴息"], None),
    ("What is the difference between STTR Phase I and SBIR Phase I?",
     ["STTR Phase I (Small Business Technology Transfer)", "SBIR Phase I (Small Business Innovation Research)"], None),
])
def test_a_question_worded_as_a_comparison_of_two_named_programs_is_compared_whatever_the_model_says(
        api: Api, question: str, titles: list[str], client: str | None) -> None:
    body = _ask(api, question, **({"enterprise_id": client} if client else {}))  # the scripted model says 'document'
    assert (body["intent"], body["route"], body["found"]) == ("document", "compare", True)
    assert [c["title"] for c in body["citations"]] == titles
    assert [m["program"]["title"] for m in body["matches"]] == (titles if client else [])  # a client's verdicts
    assert [line[:4] for line in body["answer"].splitlines()[1:]] == ["[1] ", "[2] "]


@pytest.mark.parametrize("question", ["它能拿到高企贷和专精特新贷吗？", "比较一下高企贷的利率", "Compare the rates."])
def test_two_programs_without_a_comparison_or_a_comparison_without_two_programs_is_no_comparison(
        api: Api, question: str) -> None:
    assert _ask(api, question, enterprise_id="aurora")["route"] != "compare"  # (one program's rate: its terms)


def test_an_out_of_scope_question_is_declined_without_sources(api: Api) -> None:
    body = _ask(api, "What is the capital of Australia?", enterprise_id="aurora")
    assert body["found"] is False and body["citations"] == [] and "outside what this assistant covers" in body["answer"]


def test_a_year_the_profile_does_not_hold_is_declined_saying_which_years_it_does(api: Api) -> None:
    body = _ask(api, "公司2019年营业收入是多少？", enterprise_id="aurora")
    assert body["found"] is False and body["citations"] == []
    assert "2019年度的营业收入" in body["answer"] and "2021、2022、2023年度" in body["answer"]


def test_the_follow_up_on_a_program_closed_to_the_clients_area_says_why_it_is_closed(api: Api) -> None:
    body = _ask(api, AREA_CLOSED, STILL_MISSING, enterprise_id="aurora")
    assert body["found"] is True and "不适用" in body["answer"] and "深圳市" in body["answer"]
    assert [m["program"]["title"] for m in body["matches"]] == ["浦东新区“明珠计划”人才支持"]


def test_the_program_an_earlier_turn_named_alongside_the_firms_own_name_stays_in_focus(api: Api) -> None:
    assert BY_NAME not in SCRIPT  # read as written, the scripted model would not take it for a program question
    body = _ask(api, BY_NAME, STILL_MISSING, enterprise_id="aurora")
    assert body["intent"] == "followup.gaps"
    assert [m["program"]["title"] for m in body["matches"]] == ["人才贷"]


def test_a_follow_up_naming_another_year_answers_the_earlier_question_for_it(api: Api) -> None:
    body = _ask(api, "公司2019年营业收入是多少？", "那2022年呢？", enterprise_id="aurora")
    assert body["found"] is True and "8,145万元（2022年度）" in body["answer"] and "2019" not in body["answer"]


def test_a_follow_up_naming_nothing_asks_about_the_program_in_focus_and_keeps_its_card(api: Api) -> None:
    """"利率大概多少？" after a question about 高企贷 is that loan's rate, read from its card's benefits, with its card."""
    body = _ask(api, "它能申请高企贷吗？", "利率大概多少？", enterprise_id="aurora")
    assert body["found"] and "年化3.3%起" in body["answer"] and body["route"] == "match"
    assert [m["program"]["title"] for m in body["matches"]] == ["高企贷"]
    assert [c["title"] for c in body["citations"]] == ["高企贷"]
    first = _ask(api, "Can it get the IP-pledge loan?", enterprise_id="aurora")["matches"][0]["program"]["title"]
    body = _ask(api, "Can it get the IP-pledge loan?", "What's the term?", enterprise_id="aurora")
    assert body["found"] and "Term: 36 months" in body["answer"]
    assert [m["program"]["title"] for m in body["matches"]] == [c["title"] for c in body["citations"]] == [first]


def test_a_follow_up_the_program_in_focus_does_not_answer_is_not_answered_from_its_card(api: Api) -> None:
    body = _ask(api, "它能申请高企贷吗？", "这家公司的法定代表人是谁？", enterprise_id="aurora")
    assert not any(c["title"] == "高企贷" for c in body["citations"])


def test_a_ratio_of_two_statement_lines_read_as_a_document_question_is_answered_from_the_statements(api: Api) -> None:
    """The model reads it as a question for the documents; two lines of the client's own statements related by it
    (资产负债率) still answer it, with the inputs."""
    body = _ask(api, "它2023年末的资产负债率是多少？", enterprise_id="aurora")
    assert body["found"] and body["route"] == "profile" and "资产负债率" in body["answer"]
    assert re.search(r"资产负债率[^=]*：\d+(?:\.\d+)?% = 负债合计 .+ / 资产总计 ", body["answer"]) and body["citations"]


def test_a_round_the_client_never_raised_is_said_to_be_on_no_record_not_answered_with_another(api: Api) -> None:
    body = _ask(api, "它的B轮融了多少？", enterprise_id="aurora")
    assert body["found"] is False and body["route_reason"] == "not on record" and "B轮" in body["answer"]
    assert body["citations"] == []


def test_a_line_of_the_clients_own_statements_is_answered_even_when_the_model_reads_it_as_out_of_scope(api: Api) -> None:
    body = _ask(api, "它2022年的稀释每股收益是多少？", enterprise_id="aurora")
    assert body["found"] and body["route"] == "profile" and "稀释每股收益" in body["answer"] and "2022" in body["answer"]
    body = _ask(api, "What is the capital of Australia?", enterprise_id="aurora")  # names no line: still declined
    assert body["found"] is False and body["citations"] == []



def test_a_program_named_in_a_question_the_model_reads_as_a_comparison_stays_in_focus(api: Api) -> None:
    """One program named, read as a comparison of one: the follow-up "贴息按多少比例给？" is still about it, and only
    its sentences stating what is asked are quoted (its title speaks for none of them)."""
    body = _ask(api, "深圳市知识产权质押融资贴息，它符合吗？", "贴息按多少比例给？", enterprise_id="aurora")
    assert body["found"] and "50%" in body["answer"] and body["route"] == "match"
    assert "深圳市知识产权质押融资贴息" in body["matches"][0]["program"]["title"]
    assert all("贴息" in s for s in re.split(r"\[1\]。", body["answer"]) if s)


def test_a_question_in_colloquial_cantonese_is_answered_from_the_profile_in_its_script(api: Api) -> None:
    body = _ask(api, "呢間公司係邊年成立嘅？", enterprise_id="aurora")  # read as 這間公司是哪年成立的？
    assert body["found"] and "2019年3月" in body["answer"], body["answer"]
    assert "成立於" in body["answer"] or "成立時間" in body["answer"]  # in traditional characters, as asked
    body = _ask(api, "Aurora A輪融咗幾多錢？邊個領投？", enterprise_id="aurora")
    assert body["found"] and "5,000萬" in body["answer"], body["answer"]


TWO_THINGS = "What was its revenue in 2023? How many R&D staff does it have?"
# read whole, the model settles on one field group (as the real model does); each sentence alone, on its own
SCRIPT |= {TWO_THINGS: "profile.rd_staff", "What was its revenue in 2023?": "profile.revenue",
           "How many R&D staff does it have?": "profile.rd_staff"}


def test_a_question_asking_two_things_in_two_sentences_gets_both_each_cited(api: Api) -> None:
    body = _ask(api, TWO_THINGS, enterprise_id="aurora")
    lines = body["answer"].splitlines()
    assert any(line.startswith("revenue: ") for line in lines) and any(line.startswith("R&D staff: ") for line in lines)
    assert lines.index(next(x for x in lines if x.startswith("revenue: "))) < lines.index(
        next(x for x in lines if x.startswith("R&D staff: ")))  # in the order asked
    marks = {int(n) for n in re.findall(r"\[(\d+)\]", body["answer"])}
    assert marks == {c["n"] for c in body["citations"]}  # every mark is a citation, numbered once across the parts


ONE_SENTENCE = "What was its revenue in 2023, and how many R&D staff does it have?"
SCRIPT |= {ONE_SENTENCE: "profile.rd_staff", "What was its revenue in 2023": "profile.revenue",
           "how many R&D staff does it have?": "profile.rd_staff"}
LEANING = "What was its R&D expense in 2023, and how much higher than in 2022?"
SCRIPT |= {LEANING: "profile.rd_expense", "What was its R&D expense in 2023": "profile.rd_expense",
           "how much higher than in 2022?": "profile.revenue"}  # the clause alone, read as another field group


def test_one_sentence_asking_two_things_gets_both_and_a_clause_leaning_on_the_one_before_keeps_the_whole(api: Api) -> None:
    lines = _ask(api, ONE_SENTENCE, enterprise_id="aurora")["answer"].splitlines()
    assert any(line.startswith("revenue: ") for line in lines) and any(line.startswith("R&D staff: ") for line in lines), lines
    whole = _ask(api, LEANING, enterprise_id="aurora")["answer"]
    assert "revenue" not in whole and "R&D expense" in whole, whole  # the clauses alone lose the growth the whole asks


TWO_CLIENTS = "Aurora vs Northwind: how many R&D staff does each have?"
OTHER_TENANTS = "Aurora vs Boreas: how many R&D staff does each have?"
WHO_HEAVIER = "R&D headcount, Aurora vs Northwind? who's heavier on R&D"  # "who" asks which client, not a person
ALTER_BOTH = "帮我把极光和Northwind的研发人员都改成50人"  # read as a comparison of the two, it is still a request to alter
SPREAD |= {as_the_company(as_the_company(q, "Northwind Analytics Inc.", "northwind", "boreas"), FIRM, "aurora"):
           {"compare": 0.6, "profile.rd_staff": 0.3} for q in (TWO_CLIENTS, OTHER_TENANTS, WHO_HEAVIER, ALTER_BOTH)}


def test_a_question_naming_another_client_of_the_tenant_gets_both_clients_figures_each_cited(api: Api) -> None:
    body = _ask(api, TWO_CLIENTS, enterprise_id="aurora")
    assert (body["route"], body["intent"]) == ("compare", "compare"), body
    lines = body["answer"].splitlines()
    assert lines[0] == f"{FIRM}:" and "Northwind Analytics Inc.:" in lines, lines
    mine, theirs = lines[1:lines.index("Northwind Analytics Inc.:")], lines[lines.index("Northwind Analytics Inc.:") + 1:]
    assert any(line.startswith("R&D staff: 47 people") for line in mine) and any(line.startswith("R&D staff: 14 people") for line in theirs)
    cited = {c["n"]: c for c in body["citations"]}
    assert {int(n) for n in re.findall(r"\[(\d+)\]", body["answer"])} == set(cited)
    assert any("14 are R&D engineers" in c["text"] for c in cited.values())
    lines = _ask(api, WHO_HEAVIER, enterprise_id="aurora")["answer"].splitlines()
    assert lines[0] == f"{FIRM}:" and "R&D staff: 14 people [2]" in lines, lines
    refused = _ask(api, ALTER_BOTH, enterprise_id="aurora")
    assert not refused["found"] and refused["answer"].startswith("不能协助修改"), refused  # refused as ever, not compared
    # a client of another tenant is no client here: nothing of it is read or said
    body = _ask(api, OTHER_TENANTS, enterprise_id="aurora")
    assert body["route"] != "compare" and "Boreas" not in body["answer"] and " 9 " not in body["answer"], body["answer"]


HEADS_AND_PROJECT = "23Q4研发人头多少，主要在做啥项目"  # a count column and a column no field holds, one quarter
SCRIPT |= {q: "profile.rd_staff" for q in (plain_form(HEADS_AND_PROJECT), as_the_company("aurora研发人数 23Q4是多少", FIRM, "aurora"),
                                            as_the_company("aurora研发人数 2022Q4是多少", FIRM, "aurora"))}


def test_a_quarter_asked_of_two_columns_of_the_quarterly_sheet_gets_both_cells_and_a_later_quarter_follows(api: Api) -> None:
    body = _ask(api, HEADS_AND_PROJECT, enterprise_id="aurora")
    assert body["answer"].splitlines() == ["研发人员（2023年第4季度）：47人[1]", "主要项目（2023年第4季度）：车规级芯片预研[1]"], body["answer"]
    assert len(body["citations"]) == 1 and "2023Q4" in body["citations"][0]["text"]
    later = _ask(api, "aurora研发人数 23Q4是多少", "那22年Q4呢", enterprise_id="aurora")
    assert later["answer"] == "研发人员（2022年第4季度）：36人[1]", later["answer"]


TERMS_FIRST = "专精特新贷啥条件？"  # a question about the program's text (the script's default: document)
ELIGIBLE = "它够不够格"
SCRIPT |= {ELIGIBLE: "program"}


def test_eligibility_asked_after_a_question_about_a_programs_text_gets_that_programs_verdict(api: Api) -> None:
    body = _ask(api, TERMS_FIRST, ELIGIBLE, enterprise_id="aurora")
    assert body["route"] == "match" and body["answer"].splitlines()[0].startswith("信贷：专精特新贷——"), body["answer"][:200]
    assert body["matches"][0]["program"]["title"] == "专精特新贷"


MEMO = "Roughly what share of the company's staff work in R&D? need a headcount split for my memo"
SPREAD |= {MEMO: {"out_of_scope": 0.37, "profile.rd_staff": 0.23}}  # out of scope, not sure of it (the real model's)


def test_a_question_read_as_out_of_scope_without_certainty_that_names_the_client_goes_to_its_profile(api: Api) -> None:
    body = _ask(api, MEMO, enterprise_id="aurora")
    assert body["found"] and body["route"] == "profile" and "R&D staff" in body["answer"], body["answer"]
    weather = _ask(api, WEATHER, enterprise_id="aurora")  # the model sure, no client named: still declined
    assert not weather["found"]


CERT_NO = "Credit committee wants the HNTE cert number, can you pull it from the scan?"
SCRIPT |= {CERT_NO: "program"}  # read as the program's question (the certification is named)


def test_a_part_of_the_certificates_record_asked_beside_the_certification_is_the_record_not_the_verdict(api: Api) -> None:
    body = _ask(api, CERT_NO, enterprise_id="aurora")
    assert (body["route"], body["intent"]) == ("profile", "profile.certifications") and not body["matches"]
    assert "GR202344201234" in body["answer"]


CERT_FOR_MEMO = "Could you pull the certificate number on Aurora's high-tech enterprise cert? It's for the credit memo"
SCRIPT |= {CERT_FOR_MEMO: "program"}  # "high-tech enterprise" also names the loan named after the certification


def test_a_certificates_part_asked_where_a_loan_named_after_the_certification_is_named_is_the_record(api: Api) -> None:
    body = _ask(api, CERT_FOR_MEMO, enterprise_id="aurora")
    assert (body["route"], body["intent"]) == ("profile", "profile.certifications") and not body["matches"]
    assert "GR202344201234" in body["answer"]


CUT_ACROSS = "首贷通能不能申请，它符合吗？"  # jieba cuts 首贷通能 as 首贷 | 贷通能: the title still names the loan
SCRIPT |= {CUT_ACROSS: "program"}


def test_a_program_named_by_its_title_where_the_segmenter_cuts_across_it_gets_its_verdict(api: Api) -> None:
    body = _ask(api, CUT_ACROSS, enterprise_id="aurora")
    assert body["answer"].splitlines()[0].startswith("信贷：首贷通"), body["answer"][:200]


WHY = "R&D staff as a share of headcount? need it for the talent loan memo the committee reads on Friday morning"
ASKED_ALONE = "R&D staff as a share of headcount?"
# read whole, the model takes the reason's program for the question (a document one); the asking sentence alone, the staff
SCRIPT |= {WHY: "document", ASKED_ALONE: "profile.rd_staff"}


def test_a_sentence_saying_why_does_not_decide_the_question_the_asking_sentence_does(api: Api) -> None:
    body = _ask(api, WHY, enterprise_id="aurora")
    assert body["found"] and body["route"] == "profile" and "R&D staff" in body["answer"], body["answer"][:200]


def test_asking_which_condition_blocks_after_a_program_question_lists_that_programs_gaps(api: Api) -> None:
    body = _ask(api, HNTE_ZH, "卡在哪一条上？", enterprise_id="aurora")  # the model reads it as out of scope
    assert body["route"] == "match" and body["intent"] == "followup.gaps"
    assert body["answer"].splitlines()[0].startswith("高新技术企业认定")
    assert [m["program"]["title"] for m in body["matches"]] == ["高新技术企业认定"]


def test_eligibility_asked_without_a_subject_in_a_clients_conversation_is_the_clients(api: Api) -> None:
    # both follow-ups are read by the (scripted) model as document questions
    named = _ask(api, "公司2022年营业收入是多少？", "那高企贷够格不", enterprise_id="aurora")
    assert named["route"] == "match" and [m["program"]["title"] for m in named["matches"]] == ["高企贷"]
    focus = _ask(api, "高企贷营收要求多少", "极光呢，够格不", enterprise_id="aurora")  # the program the turn before named
    assert focus["route"] == "match" and [m["program"]["title"] for m in focus["matches"]] == ["高企贷"]
    assert focus["answer"].startswith("信贷：高企贷——")


def test_a_list_of_one_kind_is_not_replaced_by_a_program_of_another_kind_the_question_names(api: Api) -> None:
    body = _ask(api, "有哪些适合科技型中小企业的信贷产品？", enterprise_id="aurora")  # names the tech-SME evaluation
    assert body["route"] == "match" and len(body["matches"]) > 1
    assert {m["kind"] for m in body["matches"]} == {"credit"}


def test_the_benefit_a_program_question_asks_follows_the_verdict(api: Api) -> None:
    body = _ask(api, "它能申请高企贷吗？额度最高多少？", enterprise_id="aurora")
    lines = body["answer"].splitlines()
    assert lines[0].startswith("信贷：高企贷——")
    assert any(line.startswith("最高额度：") for line in lines[1:3])


def test_a_profile_question_the_model_is_unsure_of_is_answered_by_the_profile_when_no_passage_answers(api: Api) -> None:
    body = _ask(api, LEAD_UNSURE, enterprise_id="aurora")
    assert body["route"] == "profile" and body["found"] and "深圳市创新投资集团有限公司" in body["answer"]


def test_a_named_programs_requirement_asked_after_a_client_figure_gets_that_requirements_verdict(api: Api) -> None:
    body = _ask(api, PATENTS, PATENT_RULE, enterprise_id="aurora")
    lines = body["answer"].splitlines()
    assert body["route"] == "match" and lines[0] == "知识产权质押贷："
    assert len(lines) == 2 and "发明专利1项以上" in lines[1] and lines[1].startswith("✓ 满足")


def test_a_named_programs_fit_asked_beside_a_figure_gets_the_programs_verdict(api: Api) -> None:
    body = _ask(api, IC_FIT, enterprise_id="aurora")
    assert body["route"] == "match" and "两免三减半" in body["answer"].splitlines()[0]


FIT_AS_CERTS = "他们符不符合申请广东省专精特新的条件？"  # a program named, the fit asked; read as the certifications group
ITS_RD_ITEM = "那其中关于研发费用的那一项，他们目前达不达得到要求？"  # a requirement pointed at; read as a list
SCRIPT |= {FIT_AS_CERTS: "profile.certifications"}
SPREAD |= {ITS_RD_ITEM: {"match.any": 0.6, "profile.rd_expense": 0.3}}  # the R&D group heard beside the list


def test_a_requirement_asked_after_a_fit_the_router_read_otherwise_is_that_programs_criterion(api: Api) -> None:
    first = _ask(api, FIT_AS_CERTS, enterprise_id="aurora")
    assert first["answer"].startswith("政策：广东省专精特新中小企业认定"), first["answer"][:120]
    body = _ask(api, FIT_AS_CERTS, ITS_RD_ITEM, enterprise_id="aurora")
    lines = body["answer"].splitlines()
    assert lines[0].startswith("广东省专精特新中小企业认定"), body["answer"][:200]
    assert all("研发费用" in line for line in lines[1:]) and len(body["matches"]) == 1


FIT_NO_SUBJECT = "高企贷能做吗？"  # no subject: with a client in focus, the client's fit
STUCK = "首贷通行不行，不行的话是哪条卡住了"
USABLE = "高企贷它用不用得到？"  # the A-not-A form (Cantonese 用唔用得到 is read so)
SCRIPT |= {FIT_NO_SUBJECT: "document", STUCK: "document", USABLE: "document"}


def test_a_programs_fit_asked_with_no_subject_or_colloquially_is_its_verdict_for_the_client_in_focus(api: Api) -> None:
    for question, title in ((FIT_NO_SUBJECT, "信贷：高企贷"), (STUCK, "信贷：首贷通"), (USABLE, "信贷：高企贷")):
        body = _ask(api, question, enterprise_id="aurora")
        assert body["answer"].startswith(title) and body["matches"], (question, body["answer"][:120])
    doc = _ask(api, FIT_NO_SUBJECT)  # no client: the program's text
    assert not doc["matches"]


WHAT_LOAN = "what's the 高企贷 at our bank? never heard of it"  # the model unsure: a credit list or the loan's text
FIT_AND_RATE = "would it qualify? and roughly what rate"
SPREAD |= {WHAT_LOAN: {"match.credit": 0.4, "document": 0.35}}
SCRIPT |= {FIT_AND_RATE: "program"}
THAT_ONE_ZH = ("高企贷是什么？", "那个它能做吗？")
SCRIPT |= {THAT_ONE_ZH[0]: "document", THAT_ONE_ZH[1]: "match.any"}


def test_a_fit_asked_after_a_program_question_is_its_verdict_with_the_terms_asked_beside_it(api: Api) -> None:
    body = _ask(api, WHAT_LOAN, FIT_AND_RATE, enterprise_id="aurora")
    lines = body["answer"].splitlines()
    assert lines[0].startswith("Credit: High-Tech Enterprise Loan"), body["answer"][:200]
    assert any(line.startswith("Interest rate:") for line in lines)
    # "那个它能做吗？" read as a list: the program the earlier turn named, pointed at
    that = _ask(api, *THAT_ONE_ZH, enterprise_id="aurora")
    assert that["answer"].startswith("信贷：高企贷") and len(that["matches"]) == 1, that["answer"][:200]


AWARD_AND_BAR = "專精特新培育辦法裡，首次認定給多少獎勵？研發費用門檻又是多少？"  # a threshold: the clause says 不低於
SHEET_LIST = "IP-pledge loan product sheet: min years registered, and max % of appraised IP value?"
SCRIPT |= {AWARD_AND_BAR: "document", SHEET_LIST: "document"}


def test_a_threshold_asked_is_met_by_the_clause_stating_its_floor_and_a_list_asked_item_by_item(api: Api) -> None:
    both = _ask(api, AWARD_AND_BAR)
    assert both["found"] and "20萬元" in both["answer"] and "100萬元" in both["answer"], both["answer"][:300]
    listed = _ask(api, SHEET_LIST)
    assert listed["found"] and "at least 2 years" in listed["answer"] and "50%" in listed["answer"], listed["answer"][:300]


RELAYED = "Caller asks: under STTR, how much of the work does the research institution have to do? just the percentage please"
SCRIPT |= {RELAYED: "document"}


def test_a_relayed_document_question_is_answered_without_the_words_relaying_it(api: Api) -> None:
    body = _ask(api, RELAYED)
    assert body["found"] and "30%" in body["answer"], body["answer"][:200]


TEAM_GREW = "How much has its R&D team grown from 2021 to 2023?"
SPREAD |= {TEAM_GREW: {"profile.rd_expense": 0.6, "profile.rd_staff": 0.2}}  # "R&D" pulls to the expense
SHORTHAND = "how many ppl at the company actually do R&D?"
SCRIPT |= {written_out(SHORTHAND): "profile.rd_staff"}  # the model reads the words written out


def test_people_asked_of_fields_that_count_none_are_the_people_counted(api: Api) -> None:
    body = _ask(api, TEAM_GREW, enterprise_id="aurora")
    assert body["found"] and "R&D staff" in body["answer"] and "R&D expense" not in body["answer"], body["answer"][:300]


def test_chat_shorthand_is_read_as_the_words_it_stands_for(api: Api) -> None:
    body = _ask(api, SHORTHAND, enterprise_id="aurora")
    assert body["found"] and body["route"] == "profile" and "47" in body["answer"], body["answer"][:300]


INVESTOR_LOOKS = "Would Wafer Peak look at the company?"
BLOCKING = "what is blocking it?"
SCRIPT |= {INVESTOR_LOOKS: "client_other", BLOCKING: "profile.industry"}  # the real model's readings


def test_an_investors_interest_asked_is_its_verdict_and_what_blocks_it_its_gaps(api: Api) -> None:
    first = _ask(api, INVESTOR_LOOKS, enterprise_id="aurora")
    assert first["route"] == "match" and "Wafer Peak" in first["answer"].splitlines()[0], first["answer"][:300]
    gaps = _ask(api, INVESTOR_LOOKS, BLOCKING, enterprise_id="aurora")
    assert gaps["route"] == "match" and gaps["intent"] == "followup.gaps", (gaps["route"], gaps["intent"])
    assert "Wafer Peak" in gaps["answer"] and "Unmet" in gaps["answer"], gaps["answer"][:300]


FIT_AND_TERM = "Would they fit STTR Phase I? How much of the work must the partner do?"
ENOUGH_FOR = "Is that enough for STTR Phase I?"
SCRIPT |= {FIT_AND_TERM: "document", ENOUGH_FOR: "document"}  # the real model reads the term asked


@pytest.mark.parametrize("question", [FIT_AND_TERM, ENOUGH_FOR])
def test_a_fit_asked_as_fit_or_enough_for_a_named_program_is_its_verdict(api: Api, question: str) -> None:
    body = _ask(api, question, enterprise_id="northwind")
    assert body["route"] == "match" and "STTR Phase I" in body["answer"].splitlines()[0], body["answer"][:300]


REQUIRES = "What does the IP pledge loan require?"
MEETS = "Does it meet that?"
SCRIPT |= {REQUIRES: "document", MEETS: "profile.certifications"}  # the real model's readings


def test_the_requirements_of_the_program_in_focus_pointed_at_get_its_verdict(api: Api) -> None:
    body = _ask(api, REQUIRES, MEETS, enterprise_id="aurora")
    assert body["route"] == "match" and "知识产权质押贷" in body["answer"].splitlines()[0], body["answer"][:300]


ABOVE_BAR = "Is the company's R&D ratio above the HNTE threshold?"
SCRIPT |= {ABOVE_BAR: "compare"}  # the real model's reading: a comparison


def test_a_clients_figure_asked_against_a_named_programs_bar_is_that_requirements_verdict(api: Api) -> None:
    body = _ask(api, ABOVE_BAR, enterprise_id="aurora")
    assert body["route"] == "match" and "7.95%" in body["answer"], body["answer"][:300]


def test_a_part_of_one_question_leaning_on_the_part_before_is_read_as_its_follow_up() -> None:
    from app.chat import _restated

    # "…，2022年是多少，2023年呢？": the second part is the first, for 2023, as the same words would be as a next turn
    assert _restated("2023年呢？", ["极光的研发费用，2022年是多少"]) == "极光的研发费用，2023年是多少"
    assert _restated("and in 2023?", ["What was its R&D expense in 2022"]) == "What was its R&D expense in 2023"
    assert _restated("2023年呢？", []) == "2023年呢？"  # nothing before it: as asked


JOINED = "hey whats NW revenue FY23 vs FY22 and total headcount"  # "NW": Northwind abbreviated
JOINED_READ = as_the_company(JOINED, "Northwind Analytics Inc.", "northwind")
SCRIPT |= {JOINED_READ: "profile.revenue", "hey whats the company revenue FY23 vs FY22": "profile.revenue",
           "total headcount": "profile.employees"}


def test_two_attributes_joined_in_one_ask_are_both_answered_for_the_client_named_by_its_abbreviation(api: Api) -> None:
    body = _ask(api, JOINED, enterprise_id="northwind")
    assert body["route"] == "profile", body
    assert "4,500,000 USD" in body["answer"] and "2,800,000 USD" in body["answer"], body["answer"]
    assert "38 people" in body["answer"] and "total FY" not in body["answer"], body["answer"]


FIT_AND_SIZE = "极光做投贷联动够条件吗？按规则最多能贷到最近一轮融资额的百分之几？"
SPREAD |= {as_the_company(FIT_AND_SIZE, FIRM): {"document": 0.5, "profile.funding": 0.3}}  # the real model's reading


def test_conditions_met_asked_of_a_named_program_is_its_verdict_with_the_terms_asked(api: Api) -> None:
    body = _ask(api, FIT_AND_SIZE, enterprise_id="aurora")
    first = body["answer"].splitlines()[0]
    assert body["route"] == "match" and "投贷联动" in first and "硬性条件" in first, body["answer"][:300]
    assert "最近一轮股权融资额的30%" in body["answer"], body["answer"][:600]


RD_BARS = "高新技术企业认定和高企贷，对研发费用占比的要求各是多少？"
SPREAD |= {RD_BARS: {"compare": 0.6, "profile.rd_expense": 0.3}}  # a comparison, of the R&D group's requirement


def test_a_requirement_compared_between_two_programs_comes_first_in_each_block(api: Api) -> None:
    body = _ask(api, RD_BARS, enterprise_id="aurora")
    assert body["route"] == "compare", body["answer"][:300]
    hnte = next(line for line in body["answer"].splitlines() if "高新技术企业认定（" in line)
    conditions = hnte.split("条件：", 1)[1]
    assert conditions.startswith("最近一年销售收入小于5,000万元"), conditions[:200]


CREDIT_LOAN_COLLATERAL = "科技信用贷要抵押吗"
CAN_BORROW = "它能贷不"
RATE_ROUGHLY = "利率大概多少"
SCRIPT |= {CREDIT_LOAN_COLLATERAL: "match.credit", CAN_BORROW: "match.credit", RATE_ROUGHLY: "document"}


def test_a_loans_fit_asked_yes_or_no_after_a_question_naming_it_is_that_loans_verdict_and_stays_in_focus(api: Api) -> None:
    body = _ask(api, CREDIT_LOAN_COLLATERAL, CAN_BORROW, enterprise_id="aurora")
    first = body["answer"].splitlines()[0]
    assert [m["program"]["title"] for m in body["matches"]] == ["科技信用贷"] and "硬性条件" in first, body["answer"][:300]
    rate = _ask(api, CREDIT_LOAN_COLLATERAL, CAN_BORROW, RATE_ROUGHLY, enterprise_id="aurora")
    assert "3.2%" in rate["answer"] and "3.45%" not in rate["answer"], rate["answer"][:300]
    listed = _ask(api, CREDIT_LOAN_COLLATERAL, "它能贷哪些？", enterprise_id="aurora")  # a list asked: the list
    assert len(listed["matches"]) > 1, listed["answer"][:300]


ISSUER = "who issued the company's HNTE certificate?"
SCRIPT |= {ISSUER: "profile.certifications", "它能贷哪些？": "match.credit"}


def test_who_issued_a_certificate_is_answered_by_its_record_naming_the_issuer(api: Api) -> None:
    body = _ask(api, ISSUER, enterprise_id="aurora")
    assert body["route"] == "profile" and "深圳市科技创新委员会" in body["answer"], body["answer"][:300]


VENTURE_DEBT_WHAT = "投贷联动是什么产品"
BY_THE_RULE = "按30%能贷多少"
SCRIPT |= {VENTURE_DEBT_WHAT: "match.credit", BY_THE_RULE: "document"}


def test_a_loan_sized_as_a_share_of_the_clients_last_round_is_computed_with_its_inputs_cited(api: Api) -> None:
    body = _ask(api, VENTURE_DEBT_WHAT, BY_THE_RULE, enterprise_id="aurora")
    line = next((x for x in body["answer"].split("。") if x.startswith("按此口径测算")), "")
    assert "5,000万元 × 30% = 1,500万元" in line, body["answer"][:400]
    cited = {c["n"]: c for c in body["citations"]}
    marks = [int(n) for n in re.findall(r"\[(\d+)\]", line)]
    assert any("A轮融资5,000万元" in cited[n]["text"] for n in marks), line  # the round's own sentence


CASH_AND_DEBT = "2023年末货币资金和短期借款分别是多少？"
SCRIPT |= {CASH_AND_DEBT: "document"}


def test_two_statement_lines_joined_in_one_ask_are_each_answered_for_the_period_asked(api: Api) -> None:
    body = _ask(api, CASH_AND_DEBT, enterprise_id="aurora")
    lines = body["answer"].splitlines()
    assert len(lines) == 2 and lines[0].startswith("货币资金：") and lines[1].startswith("短期借款："), body["answer"][:300]
    assert all("2023年12月31日" in x for x in lines)


ZJTX_LOAN = "專精特新貸款條件係咩"
GOOD_ENOUGH = "佢夠唔夠格"
# the router reads the Cantonese in its standard written form; the real model: a risk question
SCRIPT |= {"專精特新貸款條件是什麼": "document", "它夠不夠格": "profile.risk"}


def test_a_fit_asked_yes_or_no_read_as_a_profile_field_after_a_program_is_that_programs_verdict(api: Api) -> None:
    body = _ask(api, ZJTX_LOAN, GOOD_ENOUGH, enterprise_id="aurora")
    assert body["route"] == "match" and "专精特新贷" in body["answer"].splitlines()[0].replace("專精特新貸", "专精特新贷"), \
        body["answer"][:300]


HNTE_WHAT = "What is the HNTE recognition?"
STAFF_REQUIREMENT = "Does it meet the R&D staff requirement?"
SPENDING_ONE = "and the R&D spending one?"
SCRIPT |= {HNTE_WHAT: "profile.certifications", STAFF_REQUIREMENT: "profile.rd_staff", SPENDING_ONE: "profile.rd_expense"}


def test_the_program_the_previous_answer_was_about_stays_in_focus_for_another_requirement_named_short(api: Api) -> None:
    c, auth = api
    conv = None
    for q in (HNTE_WHAT, STAFF_REQUIREMENT, SPENDING_ONE):
        body = {"messages": [{"role": "user", "content": q}], "enterprise_id": "aurora", **({"conversation_id": conv} if conv else {})}
        r = c.post("/v1/chat", json=body, headers=auth).json()
        conv = r["conversation_id"]
    # read as a profile question, the last turn is the HNTE requirement on R&D spending, judged for the client
    assert r["route"] == "match" and "HNTE" in r["answer"].splitlines()[0], r["answer"][:300]
    assert "R&D expense ratio" in r["answer"] and "Met" in r["answer"], r["answer"][:500]


HNTE_CONDITIONS = "高企认定需要哪些条件"
UNCONFIRMED = "它哪条还没确认"
SCRIPT |= {HNTE_CONDITIONS: "document", UNCONFIRMED: "profile.certifications"}  # the real model's reading


def test_what_is_still_unconfirmed_of_the_program_in_focus_is_its_gaps(api: Api) -> None:
    body = _ask(api, HNTE_CONDITIONS, UNCONFIRMED, enterprise_id="aurora")
    first = body["answer"].splitlines()[0]
    assert body["route"] == "match" and first.startswith("高新技术企业认定尚缺的条件"), body["answer"][:300]


CEDAR = "who's Cedar Loop Ventures?"
LOOK_AT = "would they look at the company tho?"  # as the router reads "would they look at Northwind tho?"
SCRIPT |= {CEDAR: "document"}
UNSURE |= {LOOK_AT: "program"}  # the real model: unsure, leaning to a program question


def test_an_investors_interest_asked_after_naming_it_is_its_verdict_for_the_client(api: Api) -> None:
    body = _ask(api, CEDAR, "would they look at Northwind tho?", enterprise_id="northwind")
    first = body["answer"].splitlines()[0]
    assert body["route"] == "match" and "Cedar Loop Ventures" in first, body["answer"][:300]


def test_a_follow_up_naming_only_the_client_in_focus_asks_the_question_before_of_it(api: Api) -> None:
    # "那Northwind呢？" with Northwind now in focus: "它能申请高企贷吗？" again, of Northwind (a firm in Austin)
    body = _ask(api, "它能申请高企贷吗？", "那Northwind呢？", enterprise_id="northwind")
    assert body["route"] == "match" and [m["program"]["title"] for m in body["matches"]] == ["高企贷"], body["answer"][:300]
    assert "Austin" in body["answer"], body["answer"][:300]


def test_a_question_naming_another_client_alone_is_answered_for_that_client(api: Api) -> None:
    # asked while Northwind is open, of Aurora by its registered name: Aurora's verdict, not Northwind's
    body = _ask(api, BY_NAME, enterprise_id="northwind")
    assert [m["program"]["title"] for m in body["matches"]] == ["人才贷"], body["answer"][:300]
    assert "Austin" not in body["answer"] and "南山区" in body["answer"], body["answer"][:400]


VENTURE_DEBT_CAP = "投贷联动按这个口径最多能批多少"
SCRIPT |= {VENTURE_DEBT_CAP: "document"}  # the real model's reading


def test_a_follow_up_naming_one_program_asks_that_programs_terms_sized_for_the_client(api: Api) -> None:
    body = _ask(api, "它的B轮融了多少？", VENTURE_DEBT_CAP, enterprise_id="aurora")
    assert body["route"] == "match" and [m["program"]["title"] for m in body["matches"]] == ["投贷联动（创投企业债权融资）"]
    assert "5,000万元 × 30% = 1,500万元" in body["answer"], body["answer"][:400]


TIE_OUT = "BP里说营收1.3亿、同比增长约60%，跟利润表对得上吗？按报表算增速是多少"
LAST_ROUND_WHEN = "上一輪募資是哪一年完成的？"
SCRIPT |= {TIE_OUT: "profile.revenue", LAST_ROUND_WHEN: "profile.funding"}


def test_a_growth_checked_against_another_source_shows_the_amount_each_source_states(api: Api) -> None:
    body = _ask(api, TIE_OUT, enterprise_id="aurora")
    assert "营收增长率：48.31%" in body["answer"] and "1.3亿元" in body["answer"], body["answer"][:400]


def test_when_a_round_was_raised_is_asked_in_the_words_its_phrasings_use(api: Api) -> None:
    body = _ask(api, LAST_ROUND_WHEN, enterprise_id="aurora")  # 募資: the funding group's phrasings, a dated field
    assert body["route"] == "profile" and "2022" in body["answer"], body["answer"][:300]


TAX_BREAK = "What tax break does its HNTE status actually give it?"
GOOD_UNTIL = "and how long is that good for — until when?"
SCRIPT |= {TAX_BREAK: "document", GOOD_UNTIL: "document"}  # the real model's readings


def test_a_validity_asked_of_the_program_in_focus_shows_the_clients_own_certificate(api: Api) -> None:
    body = _ask(api, TAX_BREAK, GOOD_UNTIL, enterprise_id="aurora")
    assert body["route"] == "match" and "3 years" in body["answer"], body["answer"][:400]
    assert "expires 11 December 2026" in body["answer"] and "renewal window" in body["answer"], body["answer"][:400]


SOFTWARE_VAT_FIT = "那软件产品增值税即征即退 能享受吗? 退多少"
SCRIPT |= {SOFTWARE_VAT_FIT: "match.policy"}  # the real model's reading


def test_a_benefits_fit_asked_yes_or_no_after_another_question_is_its_verdict_with_the_terms(api: Api) -> None:
    body = _ask(api, "它的B轮融了多少？", SOFTWARE_VAT_FIT, enterprise_id="aurora")
    first = body["answer"].splitlines()[0]
    assert body["route"] == "match" and "软件产品增值税即征即退" in first and "符合" in first, body["answer"][:300]
    assert "3%" in body["answer"], body["answer"][:300]


WORK_SHARE = "Under STTR Phase I, what minimum share of the work must the small business perform?"
STTR_FIT_ONLY = "Can Northwind apply for STTR Phase I?"
SCRIPT |= {as_the_company(WORK_SHARE, "Northwind"): "program", as_the_company(STTR_FIT_ONLY, "Northwind"): "program"}


def test_a_term_of_a_named_program_asked_in_words_no_benefit_name_holds_is_answered_from_its_card(api: Api) -> None:
    body = _ask(api, WORK_SHARE, enterprise_id="northwind")
    lines = body["answer"].splitlines()
    assert body["route"] == "match" and "STTR Phase I" in lines[0] and "eligible" in lines[0], body["answer"][:300]
    assert "at least 40% of the work" in lines[1] and lines[1].endswith("[1]"), body["answer"][:300]  # the card's words
    # its eligibility asked yes or no: the verdict, clause by clause, and no sentence of the card besides
    fit = _ask(api, STTR_FIT_ONLY, enterprise_id="northwind")["answer"]
    assert "eligible" in fit.splitlines()[0] and fit.splitlines()[1][0] in "?✓✗☆", fit[:300]


VENTURE_DEBT_EN = "for the venture debt product, how big can the loan be relative to the round?"
SCRIPT |= {VENTURE_DEBT_EN: "document"}  # the real model's reading


def test_a_loan_sized_for_the_client_in_english_cites_its_base_apart_from_the_figure(api: Api) -> None:
    body = _ask(api, "它的B轮融了多少？", VENTURE_DEBT_EN, enterprise_id="aurora")
    assert re.search(r"50,000,000 CNY × 30% = 15,000,000 CNY \[\d+\]", body["answer"]), body["answer"][:400]


def test_a_loan_asked_in_the_bankers_words_is_answered_from_the_sheet_each_sentence_once(api: Api) -> None:
    # "lend" is the loan amount's word, LTV the share of the appraised value, a "loan range" its bounds (glossary and
    # app/core/answer._BOUND); two clauses answered by the same sentence say it once
    body = _ask(api, "In our IP-pledge loan product sheet (the English one), how much can we lend relative to the "
                     "appraised value of the pledged IP, and what is the loan range?")
    assert body["found"] and "50%" in body["answer"] and "10 million" in body["answer"]
    assert body["answer"].count("no more than 50% of the appraised value") == 1
    ltv = _ask(api, "per the IP-pledge loan product sheet, what's the max LTV on the pledged IP?")
    assert ltv["found"] and "50%" in ltv["answer"]
    # in Chinese: 产品说明 is the product sheet, 评估价 the appraised value, 几成 a share asked (a question word)
    zh = _ask(api, "IP质押那份产品说明，最多贷评估价的几成？")
    assert zh["found"] and "50%" in zh["answer"]


def test_a_sentence_two_parts_answer_is_said_once() -> None:
    from app.chat import _unsaid
    cap = "Loan amount up to RMB 10 million, and no more than 50% of the appraised value [1]."
    assert _unsaid(f"{cap} Indicative rate from 3.45% [1].", [cap]) == "Indicative rate from 3.45% [1]."
    assert _unsaid("甲[1]。乙[2]。", ["甲[1]。"]) == "乙[2]。"
    assert _unsaid("研发费用：635万元（2022年度）[1][2]", [cap]) == "研发费用：635万元（2022年度）[1][2]"  # one line, kept


US_CLIENT = "My first US client, so bear with me. How much did they raise in their Series A?"
SCRIPT |= {US_CLIENT: "profile.funding"}


def test_a_place_the_client_is_in_describes_the_client_and_does_not_send_its_question_elsewhere(api: Api) -> None:
    # "my first US client": Northwind is in Austin, Texas; the funding passage names no place, yet it answers
    body = _ask(api, US_CLIENT, enterprise_id="northwind")
    assert (body["route"], body["found"]) == ("profile", True) and "6" in body["answer"], body


CERT_SHOWN, WHEN_ISSUED = "它的高企证书调出来看下", "哪天发的"
SCRIPT |= {CERT_SHOWN: "profile.certifications", WHEN_ISSUED: "out_of_scope",
           f"{CERT_SHOWN}，{WHEN_ISSUED}": "profile.certifications"}


def test_a_terse_follow_up_read_alone_as_out_of_scope_is_read_with_the_question_before_it(api: Api) -> None:
    body = _ask(api, CERT_SHOWN, WHEN_ISSUED, enterprise_id="aurora")
    assert (body["route"], body["found"]) == ("profile", True) and "2023年12月12日" in body["answer"], body
    alone = _ask(api, WHEN_ISSUED, enterprise_id="aurora")  # nothing before it: out of scope, as the model reads it
    assert not alone["found"]


NUMBER_TOO = "编号呢"
SCRIPT |= {NUMBER_TOO: "client_other", f"{CERT_SHOWN}，{NUMBER_TOO}": "profile.certifications"}


def test_a_terse_follow_up_read_alone_as_a_fact_beyond_the_profile_is_read_with_the_question_before_it(api: Api) -> None:
    body = _ask(api, CERT_SHOWN, NUMBER_TOO, enterprise_id="aurora")  # the certificate's number, of the one just shown
    assert (body["route"], body["found"]) == ("profile", True) and "GR202344201234" in body["answer"], body


def test_which_copy_of_a_notice_is_meant_is_no_word_a_sentence_must_state(api: Api) -> None:
    # "the traditional Chinese one", "notice": where to read; 认定 is recognition in either language (glossary)
    body = _ask(api, "The 專精特新 notice (traditional Chinese one): what is the one-off reward for first-time recognition?")
    assert body["found"] and "20萬元" in body["answer"], body["answer"]


def test_a_term_asked_beside_the_fit_of_a_program_closed_to_the_client_is_said_after_why_it_is_closed(api: Api) -> None:
    body = _ask(api, EIC_GRANT, enterprise_id="northwind")
    assert body["route"] == "match" and body["answer"].startswith("EIC Accelerator: not open to this client")
    assert "Maximum grant: 2,500,000 EUR [1]." in body["answer"]  # the term asked, cited to the program's card
    assert [c["title"] for c in body["citations"]] == ["EIC Accelerator"]


def test_each_part_asked_of_one_program_is_answered_after_the_whole_and_shown_with_its_card(api: Api) -> None:
    # read whole, the question gets the program's verdict (closed to a US firm) and not the cap asked of "there"
    body = _ask(api, EIC_CAP, enterprise_id="northwind")
    assert body["route"] == "match" and [m["program"]["title"] for m in body["matches"]] == ["EIC Accelerator"]
    lines = body["answer"].splitlines()
    assert lines[0].startswith("EIC Accelerator: not open to this client")  # what the whole said, first and once
    assert sum(line.startswith("EIC Accelerator: not open") for line in lines) == 1
    cap = next(line for line in lines if "250" in line)  # the second part: that criterion and the client against it
    assert "fewer than 250 employees" in cap and "38" in cap, body["answer"]


def test_a_sentence_beside_the_one_answered_asking_what_the_profile_does_not_hold_is_said_not_held(api: Api) -> None:
    c, _ = api
    chat = c.app.state.chat  # type: ignore[attr-defined]
    groups = [s.fields for s in load_intents().specs if s.route == "profile"]
    before = chat._router  # the field-name check on (the hashing embedder's vectors), as the real model has it
    chat._router = Router(load_intents(), ScriptedClassifier(), before.program_ids,  # type: ignore[arg-type]
                          FieldAim(groups, chat.deps.memo_embedder.embed_query))
    try:
        body = _ask(api, PATENTS_AND_AGE, enterprise_id="aurora")
    finally:
        chat._router = before
    assert body["found"] and body["route"] == "profile" and "发明专利：12项" in body["answer"], body["answer"]
    assert body["answer"].splitlines()[-1] == "客户档案中没有记录：它的员工平均年龄多大？"


def test_a_follow_up_read_as_about_the_client_that_the_programs_card_answers_more_fully_gets_the_card(api: Api) -> None:
    body = _ask(api, STTR_FIT, WORK_SPLIT, enterprise_id="northwind")
    assert body["route"] == "match" and [m["program"]["title"] for m in body["matches"]] == [
        "STTR Phase I (Small Business Technology Transfer)"]
    assert "at least 40% of the work" in body["answer"] and "at least 30% of the work" in body["answer"], body["answer"]
    assert "R&D staff" not in body["answer"]
    # what the client's profile states as fully as the card does stays the profile's answer
    staff = _ask(api, TSME, RD_PEOPLE, enterprise_id="aurora")
    assert staff["route"] == "profile" and "研发人员：47人" in staff["answer"]


def test_a_chain_from_a_program_to_two_of_its_clauses_to_its_gaps_stays_on_that_program(api: Api) -> None:
    two = _ask(api, GD_ZJTX, RD_TWO, enterprise_id="aurora")  # "那两条": the R&D criteria of the program in focus
    assert two["route"] == "match" and two["answer"].startswith("广东省专精特新中小企业认定："), two["answer"]
    gaps = _ask(api, GD_ZJTX, RD_TWO, UNPROVEN, enterprise_id="aurora")
    assert [m["program"]["title"] for m in gaps["matches"]] == ["广东省专精特新中小企业认定"], gaps["answer"]
    assert gaps["answer"].startswith("广东省专精特新中小企业认定尚缺的条件")
    # a question between them that was declined moves no focus (the stored conversation's answers say which program
    # the last answer citing anything was about)
    c, auth = api
    conversation = None
    for q in (GD_ZJTX, SALES_TEAM, UNPROVEN):
        r = c.post("/v1/chat", json={"messages": [{"role": "user", "content": q}], "enterprise_id": "aurora",
                                     **({"conversation_id": conversation} if conversation else {})}, headers=auth)
        body, conversation = r.json(), r.json()["conversation_id"]
        if q == SALES_TEAM:
            assert not body["found"], body["answer"]
    assert [m["program"]["title"] for m in body["matches"]] == ["广东省专精特新中小企业认定"], body["answer"]


def test_who_runs_a_named_program_is_said_with_its_verdict_cited_to_its_card(api: Api) -> None:
    body = _ask(api, WHO_PAYS, enterprise_id="aurora")
    assert [m["program"]["title"] for m in body["matches"]] == ["南山区高新技术企业认定奖励"]
    lines = body["answer"].splitlines()
    assert lines[0].startswith("政策：南山区高新技术企业认定奖励——") and "发布/主管机构：深圳市南山区科技创新局[1]" in lines
    assert "深圳市南山区科技创新局" in body["citations"][0]["text"]  # the card cited states it
    plain = _ask(api, "南山区高新技术企业认定奖励它能拿吗？", enterprise_id="aurora")  # not asked: not said
    assert "发布/主管机构" not in plain["answer"]


def test_how_well_the_client_fits_a_named_program_is_its_verdict(api: Api) -> None:
    body = _ask(api, MATCH_DEGREE, enterprise_id="northwind")
    assert body["route"] == "match" and [m["program"]["title"] for m in body["matches"]] == [
        "SBIR Phase I (Small Business Innovation Research)"]
    assert re.match(r"(?:Policy|政策)：?:? ?(?:SBIR Phase I|小企业创新研究计划第一阶段)", body["answer"]), body["answer"]


def test_the_requirements_asked_of_no_program_after_one_was_named_are_that_programs(api: Api) -> None:
    body = _ask(api, CREDIT_LOAN_TERMS, STILL_NEEDS, enterprise_id="aurora")
    assert [m["program"]["title"] for m in body["matches"]] == ["科技信用贷"], body["answer"]
    assert body["answer"].splitlines()[0].startswith("信贷：科技信用贷——")
    assert "纳税信用等级为B级以上" in body["answer"]  # its open criterion, with the question to ask
    clause = _ask(api, CREDIT_LOAN_TERMS, WHICH_CLAUSE, enterprise_id="aurora")  # which of its clauses is open
    assert [m["program"]["title"] for m in clause["matches"]] == ["科技信用贷"], clause["answer"]
    first = _ask(api, CREDIT_LOAN_TERMS, PREREQUISITE, enterprise_id="aurora")  # what must be held before applying
    assert [m["program"]["title"] for m in first["matches"]] == ["科技信用贷"], first["answer"]
    # naming a kind of program, the requirements are asked of a list: that kind's cards
    listed = _ask(api, CREDIT_LOAN_TERMS, "它还满足哪些政策的条件？", enterprise_id="aurora")
    assert "科技信用贷" not in [m["program"]["title"] for m in listed["matches"]]


def test_with_no_client_a_term_of_one_named_program_is_answered_from_its_card_shown_with_it(api: Api) -> None:
    body = _ask(api, CARD_TERMS)
    assert body["found"] and body["route"] == "match"
    assert [m["program"]["title"] for m in body["matches"]] == ["科技信用贷"]
    assert "LPR-0.25%" in body["answer"] and "实际控制人连带责任保证" in body["answer"]
    assert {c["title"] for c in body["citations"]} == {"科技信用贷"}
    # a question naming no program is no program's: the documents answer it, or nothing does
    plain = _ask(api, "利率定价基准和担保方式分别是什么？")
    assert plain["route"] == "retrieval" and not plain["matches"]


def test_a_first_question_naming_a_program_and_asking_its_terms_gets_its_verdict_with_the_terms(api: Api) -> None:
    body = _ask(api, "高企贷最高额度多少？利率呢？", enterprise_id="aurora")  # the model: a document question
    assert body["route"] == "match" and [m["program"]["title"] for m in body["matches"]] == ["高企贷"]
    lines = body["answer"].splitlines()
    assert lines[0].startswith("信贷：高企贷——")  # the verdict first
    assert "最高额度：2,000万元[1]" in lines and "利率：年化3.3%起[1]" in lines
    # naming no term: the question is the documents', or its card's alone when no document answers (the program's)
    plain = _ask(api, "高企贷是面向哪类企业的？", enterprise_id="aurora")
    assert plain["found"] and (plain["route"] == "match") == ({c["title"] for c in plain["citations"]} == {"高企贷"})
    # naming the document to read it in, the question is that document's
    sheet = _ask(api, "per the IP-pledge loan product sheet, what's the max LTV on the pledged IP?", enterprise_id="aurora")
    assert sheet["route"] == "retrieval"



def test_a_program_named_after_another_without_words_comparing_them_is_asked_of_alone_from_its_card(api: Api) -> None:
    body = _ask(api, SBIR_FIT, STTR_SPLIT, enterprise_id="northwind")  # "between … and" compares no programs
    assert body["route"] == "match" and [m["program"]["title"] for m in body["matches"]][:1] == [
        "STTR Phase I (Small Business Technology Transfer)"]
    assert "partner research institution at least 30% of the work" in body["answer"]  # no passage else says it: its card
    compared = _ask(api, SBIR_FIT, "How does it compare with STTR Phase I?", enterprise_id="northwind")
    assert compared["route"] == "compare"


def test_a_comparison_of_no_two_programs_naming_a_client_figure_compares_its_own_figures(api: Api) -> None:
    body = _ask(api, OWN_YEARS, enterprise_id="aurora")
    assert body["route"] == "profile" and body["found"]
    assert "635万元" in body["answer"] and "960万元" in body["answer"]  # each year's value, cited
    programs = _ask(api, "比较一下高企贷和专精特新贷，哪个更适合它？", enterprise_id="aurora")
    assert programs["route"] == "compare"


def test_a_certificates_details_asked_of_a_certification_the_documents_only_name_are_declined_as_not_on_record(
        api: Api) -> None:
    body = _ask(api, "Northwind is described as ISO 27001 certified. Please provide the certificate number and its expiry "
                     "date.", enterprise_id="northwind")
    assert not body["found"] and body["citations"] == []
    assert body["answer"].startswith("The client's documents record no ISO 27001 certificate details")
    held = _ask(api, "高企证书编号多少？", enterprise_id="aurora")  # a record read from the scan: its number
    assert held["found"] and "GR202344201234" in held["answer"]


def test_a_follow_up_asking_when_the_program_in_focus_runs_until_is_answered_from_its_card(api: Api) -> None:
    body = _ask(api, "请问深圳市知识产权质押融资贴息的支持标准如何？", "该政策执行期限截至何时？", enterprise_id="aurora")
    assert body["found"] and "2026-12-31" in body["answer"], body["answer"]
    assert {c["title"] for c in body["citations"]} == {"深圳市知识产权质押融资贴息"}


def test_this_product_points_at_the_program_in_focus_not_at_a_status_named_beside_it(api: Api) -> None:
    body = _ask(api, "知识产权质押贷的利率是多少？", "该产品贷款期限最长多久？已认定的高新技术企业有无优待？", enterprise_id="aurora")
    assert body["found"] and "期限：36个月" in body["answer"], body["answer"]  # the IP-pledge loan's, not the HNTE's
    assert {c["title"] for c in body["citations"]} == {"知识产权质押贷"}


PREFERENCE_ONLY = "Which clause on that product is a preference only, not a hard requirement — and do they clear it?"
CANDIDATE = "Is Cloudstack SaaS Fund 云栈企业服务基金 a candidate?"
GROWTH_PREFERRED = "What revenue growth does that fund prefer, and where do they sit against it?"
SCRIPT |= {PREFERENCE_ONLY: "match.any", CANDIDATE: "match.equity", GROWTH_PREFERRED: "match.equity"}


def test_a_programs_preference_asked_after_it_is_its_soft_criterion_with_the_clients_standing(api: Api) -> None:
    """A preference is not a requirement: the clause the program only prefers (hard: false), the client measured
    against it, whatever kind of list the router heard."""
    body = _ask(api, FIT_NO_SUBJECT, PREFERENCE_ONLY, enterprise_id="aurora")
    lines = body["answer"].splitlines()
    assert lines[0].startswith("High-Tech Enterprise Loan (高企贷)"), body["answer"][:200]
    assert len(lines) == 2 and "研发费用占营业收入比例不低于5%者优先" in lines[1] and "7.95%" in lines[1], body["answer"]
    body = _ask(api, CANDIDATE, GROWTH_PREFERRED, enterprise_id="northwind")
    assert [m["program"]["title"] for m in body["matches"]] == ["Cloudstack SaaS Fund 云栈企业服务基金"], body["answer"][:200]
    assert "营业收入年增长率不低于50%者优先" in body["answer"] and "60.71%" in body["answer"], body["answer"]


VD_SIZED = "How is that facility sized relative to the last equity round? Give me the cap."
SCRIPT |= {VD_SIZED: "profile.funding"}  # the real model's reading: the client's funding


def test_a_loan_sized_against_the_last_equity_round_is_the_programs_sizing_rule_not_a_balance_sheet_line(api: Api) -> None:
    body = _ask(api, VENTURE_DEBT, VD_SIZED, enterprise_id="aurora")
    assert "一般不超过最近一轮股权融资额的30%" in body["answer"] and "15,000,000" in body["answer"], body["answer"][:300]


RAISED_PREFERRED = "Is there any preference on how much equity funding it has raised?"
SPREAD |= {RAISED_PREFERRED: {"match.any": 0.6, "profile.funding": 0.3}}  # a list heard, the funding group beside it


def test_a_preference_asked_of_a_program_that_prefers_nothing_is_what_it_requires_of_the_attribute(api: Api) -> None:
    body = _ask(api, VENTURE_DEBT, RAISED_PREFERRED, enterprise_id="aurora")
    lines = body["answer"].splitlines()
    assert lines[0].startswith("Venture Debt (投贷联动"), body["answer"][:200]
    assert any("累计股权融资额不低于2000万元" in line for line in lines[1:]), body["answer"]


INTRO_HEARD = "专经特新贷你给我介绍一下"  # dictated: 经 heard for 精
SCRIPT |= {"专精特新贷你给我介绍一下": "compare"}  # (as the router reads it, the name as written; the real model's reading)


def test_one_program_named_as_it_sounds_and_asked_about_is_that_program_not_a_comparison(api: Api) -> None:
    body = _ask(api, INTRO_HEARD, enterprise_id="aurora")
    assert [m["program"]["title"] for m in body["matches"]] == ["专精特新贷"], body["answer"][:200]
    assert body["answer"].startswith("信贷：专精特新贷"), body["answer"][:200]


SZ_SUBSIDY = "深圳市中小微企业贷款贴息的贴息上限是多少？"
STILL_OPEN = "该计划目前是否仍可受理申报？请注明截止日。"
SCRIPT |= {SZ_SUBSIDY: "program", STILL_OPEN: "document"}


def test_the_program_a_follow_up_points_at_is_answered_however_the_follow_up_is_read(api: Api) -> None:
    body = _ask(api, SZ_SUBSIDY, STILL_OPEN, enterprise_id="aurora")
    assert body["found"] and "2023-12-31" in body["answer"], body["answer"]
    assert {c["title"] for c in body["citations"]} == {"深圳市中小微企业贷款贴息（2023年度）"}


TWO_SOURCES = ("There is some mismatch I feel. The business plan is saying one 2023 revenue figure and the financials excel "
               "is showing another. Kindly put both figures side by side.")
SCRIPT |= {TWO_SOURCES: "match.any"}


def test_a_figure_as_two_of_the_clients_documents_state_it_is_the_profiles_with_each_source(api: Api) -> None:
    body = _ask(api, TWO_SOURCES, enterprise_id="aurora")
    assert body["route"] == "profile" and body["found"], body["answer"][:200]
    assert "120,800,000" in body["answer"] and "130,000,000" in body["answer"], body["answer"]
    assert {c["title"] for c in body["citations"]} >= {"financials.xlsx", "深圳极光智能科技有限公司 商业计划书"}


BASICS = "Give me the company's basics: HQ, founding year, what they sell"
SCRIPT |= {BASICS.replace("HQ", "headquarters"): "client_other", "headquarters": "profile.region",  # (HQ written out)
           "founding year": "profile.founding"}  # (the rest: a document)


def test_attributes_listed_are_each_answered(api: Api) -> None:
    body = _ask(api, BASICS, enterprise_id="northwind")
    assert body["route"] == "profile" and "Austin" in body["answer"] and "June 2020" in body["answer"], body["answer"]


NANSHAN_AWARD = "Is there any reward from Nanshan district for 高新技术企业 recognition? Kindly share the amount for first time."
SPREAD |= {NANSHAN_AWARD: {"document": 0.45, "profile.certifications": 0.3}}  # the real model: unsure of the route


def test_a_place_named_in_english_picks_that_places_program(api: Api) -> None:
    body = _ask(api, NANSHAN_AWARD, enterprise_id="aurora")
    assert [m["program"]["title"] for m in body["matches"]] == ["南山区高新技术企业认定奖励"], body["answer"][:200]
    assert "200,000" in body["answer"], body["answer"]


GUARANTEE_LOAN = "Kindly share about 政府性融资担保贷款 for it."
GUARANTEE_FEE = "What is the guarantee fee the client has to bear, is there any cap?"
SCRIPT |= {GUARANTEE_LOAN: "program", GUARANTEE_FEE: "match.credit"}


def test_a_term_asked_by_its_own_name_is_answered_beside_the_other_term_asked(api: Api) -> None:
    body = _ask(api, GUARANTEE_LOAN, GUARANTEE_FEE, enterprise_id="aurora")
    assert "Guarantee fee: 年化担保费率不超过1%" in body["answer"] and "10,000,000" in body["answer"], body["answer"]


VD_RULE = "那个投贷联动 它A轮融了五千万 按这个产品的规则 一般最多能贷到多少"
SCRIPT |= {VD_RULE: "profile.funding"}  # the real model's reading: the client's funding


def test_a_program_named_with_its_rule_applied_to_the_clients_figure_is_the_programs_sizing(api: Api) -> None:
    body = _ask(api, VD_RULE, enterprise_id="aurora")
    assert "30%" in body["answer"] and "1,500万元" in body["answer"], body["answer"][:400]


STTR_SHARES = ("Re the company's file: under STTR Phase I, what minimum share of the work must the small business and the "
               "partner research institution each perform?")
SCRIPT |= {STTR_SHARES: "document"}  # the real model's reading


def test_a_program_named_whole_before_its_gloss_is_the_one_asked_not_one_whose_gloss_the_question_covers(api: Api) -> None:
    body = _ask(api, STTR_SHARES, enterprise_id="northwind")
    assert [m["program"]["title"] for m in body["matches"]] == ["STTR Phase I (Small Business Technology Transfer)"], \
        body["answer"][:200]
    assert "40%" in body["answer"] and "30%" in body["answer"]


OTHER_PLACES = "Kindly compare the Shenzhen IP pledge financing interest subsidy with the Shanghai one: max subsidy per year?"
SCRIPT |= {OTHER_PLACES: "compare"}


def test_the_other_places_one_is_that_places_program_of_the_same_topic(api: Api) -> None:
    body = _ask(api, OTHER_PLACES, enterprise_id="aurora")
    titles = {c["title"] for c in body["citations"]}
    assert titles == {"深圳市知识产权质押融资贴息", "上海市知识产权质押融资贴息及风险补偿"}, body["answer"][:300]


BRIEF_ME = "Kindly share about 政府性融资担保贷款 for it, headcount is 120 only so should be ok."
SCRIPT |= {BRIEF_ME: "document"}  # the real model's reading


def test_a_program_asked_about_as_a_whole_is_its_verdict_for_the_client(api: Api) -> None:
    body = _ask(api, BRIEF_ME, enterprise_id="aurora")
    assert body["route"] == "match" and [m["program"]["title"] for m in body["matches"]] == \
        ["政府性融资担保贷款（“总对总”批量担保）"], body["answer"][:200]
    assert body["answer"].startswith("Credit: Government Financing Guarantee Loan"), body["answer"][:200]


WHY_BESIDE = "The company's Series A: how much and who led it? Cedar Loop only does seed/pre-A so I want the exact round"
SCRIPT |= {WHY_BESIDE: "profile.funding"}


def test_a_party_named_only_in_the_sentence_saying_why_is_not_whose_figure_is_asked(api: Api) -> None:
    body = _ask(api, WHY_BESIDE, enterprise_id="northwind")
    assert body["found"] and "6,000,000" in body["answer"] and "Accel" in body["answer"], body["answer"][:300]


DISCREPANCY = ("Discrepancy check: its 2023 revenue appears to be stated differently in the business plan and in the income "
               "statement. Please set out both figures side by side.")
SCRIPT |= {DISCREPANCY: "profile.tax"}  # the real model's reading: another field group


def test_a_figure_two_documents_state_is_the_one_named_whatever_group_the_router_heard(api: Api) -> None:
    body = _ask(api, DISCREPANCY, enterprise_id="aurora")
    assert "120,800,000" in body["answer"] and "130,000,000" in body["answer"], body["answer"][:300]


ENUMERATED = ("Could you confirm the following for the company: (a) total number of employees; (b) number of R&D "
              "engineers; (c) number of granted patents; (d) any certifications held.")
SCRIPT |= {ENUMERATED: "profile.rd_staff", "total number of employees": "profile.employees",
           "number of R&D engineers": "profile.rd_staff", "number of granted patents": "profile.ip",
           "any certifications held": "profile.certifications"}


def test_attributes_enumerated_are_each_answered_as_asked(api: Api) -> None:
    body = _ask(api, ENUMERATED, enterprise_id="northwind")
    lines = body["answer"].splitlines()
    assert [line.split(":")[0] for line in lines] == ["employees", "R&D staff", "patents", "certifications"], body["answer"]
    assert "38" in lines[0] and "14" in lines[1] and "3" in lines[2] and "ISO 27001" in lines[3]


HNTE_LOAN_ONLY = "高企贷是不是只给有效期内的高企？"
PREFERENCE_MIXED = "OK. 那它对研发费用占营收比例有没有 preference？够不够线？"
SCRIPT |= {HNTE_LOAN_ONLY: "profile.certifications"}
SPREAD |= {PREFERENCE_MIXED: {"program": 0.4, "profile.rd_expense": 0.33}}  # unsure of the route: a program, none named


def test_a_preference_asked_after_a_program_named_is_its_soft_criterion_however_unsure_the_router(api: Api) -> None:
    body = _ask(api, HNTE_LOAN_ONLY, PREFERENCE_MIXED, enterprise_id="aurora")
    assert "研发费用占营业收入比例不低于5%者优先" in body["answer"] and "7.95%" in body["answer"], body["answer"][:300]


STTR_TOUR = "Walk me through STTR Phase I for it."
STTR_SPLIT_NAMED = "How's the work split supposed to look between Northwind and the research partner?"
SCRIPT |= {STTR_TOUR: "program", as_the_company(STTR_SPLIT_NAMED, "Northwind Analytics Inc.", "Northwind"): "client_other"}


def test_the_client_named_in_a_follow_up_about_a_programs_card_is_no_other_party(api: Api) -> None:
    body = _ask(api, STTR_TOUR, STTR_SPLIT_NAMED, enterprise_id="northwind")
    assert "at least 40% of the work" in body["answer"] and "30%" in body["answer"], body["answer"][:300]


def test_a_program_described_by_what_it_does_gets_its_verdict_and_stays_in_focus(api: Api) -> None:
    body = _ask(api, DESCRIBED, enterprise_id="aurora")
    assert [m["program"]["title"] for m in body["matches"]] == ["广东省专精特新中小企业认定"]
    body = _ask(api, DESCRIBED, DESCRIBED_RULE, enterprise_id="aurora")  # its R&D criterion: the program stays in focus
    assert [m["program"]["title"] for m in body["matches"]] == ["广东省专精特新中小企业认定"]
    assert "100万元" in body["answer"]


def test_a_question_about_one_program_that_neither_names_nor_describes_one_is_not_given_a_guess(api: Api) -> None:
    body = _ask(api, "它能申请吗？", enterprise_id="aurora")
    assert len({m["program"]["title"] for m in body["matches"]}) != 1


LOAN_TERMS = "高企贷条件帮我过一下"
REVENUE_ENOUGH = "它营收够吧"
HOW_MANY_YEARS = "能贷几年"  # the real model: leaning to which loans it can get, unsure
PRIORITY = "研发占比有优先吗"  # the real model: the R&D staff
SCRIPT |= {LOAN_TERMS: "program", REVENUE_ENOUGH: "profile.revenue", PRIORITY: "profile.rd_staff"}
UNSURE |= {HOW_MANY_YEARS: "match.credit"}


def test_the_program_asked_about_stays_in_focus_across_a_question_on_the_clients_figures(api: Api) -> None:
    body = _ask(api, LOAN_TERMS, REVENUE_ENOUGH, HOW_MANY_YEARS, enterprise_id="aurora")
    assert "36个月" in body["answer"]
    assert [m["program"]["title"] for m in body["matches"]] == ["高企贷"]


def test_a_clause_of_the_program_in_focus_is_answered_when_read_as_a_figure_the_profile_does_not_hold(api: Api) -> None:
    body = _ask(api, LOAN_TERMS, PRIORITY, enterprise_id="aurora")
    assert body["route"] == "match" and "不低于5%者优先" in body["answer"] and body["found"]
    assert [m["program"]["title"] for m in body["matches"]] == ["高企贷"]


LOAN_FIT = "它能做高企贷吗"
OTHER_LOAN = "专精特新贷呢"
THE_TWO = "这俩额度和利率对比下"
SCRIPT |= {LOAN_FIT: "program", OTHER_LOAN: "program", THE_TWO: "compare"}


def test_the_two_programs_of_the_turns_before_are_compared_when_pointed_at(api: Api) -> None:
    body = _ask(api, LOAN_FIT, OTHER_LOAN, THE_TWO, enterprise_id="aurora")
    assert body["route"] == "compare"
    assert [m["program"]["title"] for m in body["matches"]] == ["高企贷", "专精特新贷"]


RD_23 = "它23年研发费用多少"
SCRIPT |= {RD_23: "profile.rd_expense", "它2022年研发费用多少": "profile.rd_expense",
           "它23年研发费用多少，跟2022年比涨了多少": "profile.rd_expense", "它的高企证书什么时候发的": "profile.certifications"}


def test_a_year_in_chinese_numerals_and_the_year_before_are_read_of_the_earlier_questions_figure(api: Api) -> None:
    assert "635万" in _ask(api, RD_23, "那二二年的呢", enterprise_id="aurora")["answer"]
    grown = _ask(api, RD_23, "跟前一年比涨了多少", enterprise_id="aurora")["answer"]
    assert "635万" in grown and "960万" in grown


def test_sha_asks_what_as_shenme_does(api: Api) -> None:
    body = _ask(api, "它的高企证书啥时候发的", enterprise_id="aurora")
    assert body["found"] and "2023年12月12日" in body["answer"]


LOAN_TERM = "这个贷款期限多长"
SCRIPT |= {LOAN_TERM: "profile.founding"}  # read as how long the client has existed, which answers no loan's term


def test_a_term_of_the_program_in_focus_read_as_a_profile_field_is_answered_from_its_card(api: Api) -> None:
    body = _ask(api, LOAN_TERMS, REVENUE_ENOUGH, LOAN_TERM, enterprise_id="aurora")  # (a question on its figures between)
    assert body["found"] and "36个月" in body["answer"]
    assert [m["program"]["title"] for m in body["matches"]] == ["高企贷"]


TAX_RATING_WHY = f"科技信用贷要求纳税信用B级以上，{FIRM}的纳税信用等级是什么？"  # the requirement said as the reason
TAX_RATING_RULE = "科技信用贷对纳税信用等级有什么要求？"
IP_WHY = f"我要对标下专精特新贷知识产权那条，{FIRM}目前发明专利、实用新型、软著各有几项？"
SCRIPT |= {as_the_company(TAX_RATING_WHY, FIRM): "profile.tax", TAX_RATING_RULE: "profile.tax",
           as_the_company(IP_WHY, FIRM): "profile.ip"}  # (the real model's readings)


def test_the_clients_own_value_asked_beside_a_requirement_is_its_profiles_or_said_to_be_unrecorded(api: Api) -> None:
    body = _ask(api, TAX_RATING_WHY, enterprise_id="aurora")  # its documents state no tax credit rating
    assert not body["found"] and "纳税信用等级" in body["answer"] and "没有" in body["answer"], body["answer"][:300]
    assert not body["matches"]  # (not the requirement shown again as an open criterion)
    # the requirement itself asked: the program's criterion, marked open for the client
    rule = _ask(api, TAX_RATING_RULE, enterprise_id="aurora")
    assert rule["found"] and rule["route"] == "match" and "B级以上" in rule["answer"], rule["answer"][:300]
    # a value the profile holds: the values, not the program's verdict
    counts = _ask(api, IP_WHY, enterprise_id="aurora")
    assert counts["route"] == "profile" and counts["answer"].splitlines() == [
        "发明专利：12项[1]", "实用新型专利：20项[1]", "软件著作权：15项[1]"], counts["answer"][:300]


STTR_SPLIT_VS = "For Northwind, STTR Phase I: what share of the work must the small business do vs the partner research institution?"
# the real model's reading: a comparison, the R&D staff group next
SPREAD |= {as_the_company(STTR_SPLIT_VS, "Northwind"): {"compare": 0.6, "profile.rd_staff": 0.3}}


def test_a_term_of_one_program_set_against_something_else_is_that_programs_not_the_clients_figures(api: Api) -> None:
    body = _ask(api, STTR_SPLIT_VS, enterprise_id="northwind")
    assert body["route"] == "match" and [m["program"]["title"] for m in body["matches"]] == [
        "STTR Phase I (Small Business Technology Transfer)"], body["answer"][:300]
    assert "40%" in body["answer"] and "30%" in body["answer"], body["answer"][:300]


BACK_TO_REVENUE = "回到营收，21年的呢"
SCRIPT |= {BACK_TO_REVENUE: "out_of_scope", "营收，21年的呢": "profile.revenue"}  # (the real model's readings)


def test_a_follow_up_going_back_to_an_earlier_topic_asks_that_topic_not_the_one_just_before(api: Api) -> None:
    body = _ask(api, "公司2023年营业收入增长了多少？", RD_23, BACK_TO_REVENUE, enterprise_id="aurora")
    assert body["route"] == "profile" and "5,230万元（2021年度）" in body["answer"], body["answer"][:300]
    assert "研发" not in body["answer"], body["answer"][:300]


def test_bank_borrowings_asked_are_the_total_of_the_client_s_borrowing_lines(api: Api) -> None:
    # "银行借款" names no row of Aurora's balance sheet: the standard total of its short- and long-term borrowings does
    body = _ask(api, "现在有多少银行借款？", enterprise_id="aurora")
    assert body["found"] and body["route"] == "profile", body
    assert "借款合计（短期借款）：2,000万元（截至2023年12月31日） = 短期借款 2,000万元" in body["answer"]


def test_a_licence_item_the_documents_do_not_state_is_declined_as_not_on_file(api: Api) -> None:
    body = _ask(api, "法定代表人是谁？", enterprise_id="aurora")  # Aurora's documents name no legal representative
    assert not body["found"] and "没有" in body["answer"], body



NAMED_WITH_PROGRAM = "首贷通面向首贷户，它是首贷户吗？"  # the client's first-time borrowing named beside a program's title
SCRIPT |= {NAMED_WITH_PROGRAM: "program"}


def test_a_field_named_beside_a_program_named_by_its_title_is_the_programs_question(api: Api) -> None:
    body = _ask(api, NAMED_WITH_PROGRAM, enterprise_id="aurora")
    assert body["route"] == "match" and body["answer"].splitlines()[0].startswith("信贷：首贷通"), body["answer"][:200]

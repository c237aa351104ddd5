"""Query understanding: company mentions (aliases, legal-form variants, zh/en, tickers, fuzzy) and
periods in a question, routing to that company's documents, and the fallback when none is named."""

from __future__ import annotations

from app.core.entity_names import core, zh_short
from app.core.periods import calendar_quarters, fiscal_quarters, matches, periods_in_question
from app.core.routing import NO_ROUTE, DocInfo, EntityIndex


def _doc(doc_id: str, tenant: str = "public", **meta: str) -> DocInfo:
    return DocInfo.of(doc_id, tenant, meta)


def _index() -> EntityIndex:
    return EntityIndex.build([
        _doc("bb22", company="BEST BUY CO., INC.", ein="41-0907483", ticker="BBY", periods="FY2022|FY2021",
             period_end="2022-01-29", doc_type="annual_report"),
        _doc("bb23", company="BEST BUY CO., INC.", ein="41-0907483", ticker="BBY", periods="FY2023|FY2022",
             period_end="2023-01-28", doc_type="annual_report"),
        _doc("sq20", company="SQUARE, INC.", ein="80-0429876", periods="FY2020", period_end="2020-12-31"),
        _doc("bl21", company="BLOCK, INC.", ein="80-0429876", periods="FY2021", period_end="2021-12-31"),
        _doc("ko17", ein="58-0628465", periods="FY2017", period_end="2017-12-31"),
        _doc("ko20", company="COCA COLA CO", ein="58-0628465", ticker="KO", periods="FY2020", period_end="2020-12-31"),
        _doc("xh22", company="深圳市星河智能科技股份有限公司", aliases="星河智能", name_en="Shenzhen Xinghe Intelligent Technology Co., Ltd.",
             periods="FY2022", period_end="2022-12-31"),
        _doc("priv", tenant="bank-b", company="Hidden Robotics Inc.", periods="FY2022"),
    ])


def test_name_cores_drop_legal_forms() -> None:
    assert core("BEST BUY CO., INC.") == core("Best Buy") == core("Best Buy's") == "best buy"
    assert core("THE BOEING COMPANY") == "boeing"
    assert core("深圳市星河智能科技股份有限公司") == "深圳市星河智能科技"
    assert zh_short("深圳市星河智能科技股份有限公司") == "星河智能科技"


def test_periods_in_questions() -> None:
    assert periods_in_question("What was capex in FY2018?")[0] == ["FY2018"]
    assert periods_in_question("Revenue in Q2 2023 vs Q1 FY23")[0] == ["2023Q2", "2023Q1"]
    assert periods_in_question("second quarter of fiscal 2023 margin")[0] == ["2023Q2"]
    assert periods_in_question("2022年营业收入是多少")[0] == ["2022"]
    assert periods_in_question("2023年第二季度净利润")[0] == ["2023Q2"]
    assert periods_in_question("in the most recent quarter") == ([], True)
    assert periods_in_question("net income of $2,018 million")[0] == []
    assert matches(["2022"], ["FY2022"]) and matches(["FY2021"], ["FY2022", "FY2021"])
    assert not matches(["FY2020"], ["FY2022"])


def test_company_variants_and_tickers() -> None:
    ix = _index()
    for question in ("What was Best Buy's FY2022 revenue?", "BEST BUY CO revenue", "How did BBY do?",
                     "Bestbuy revenue", "Best Buy Co., Inc. inventory"):
        assert set(ix.route(question, None).weights) == {"bb22", "bb23"}, question


def test_fuzzy_match_for_longer_names_only() -> None:
    ix = _index()
    assert ix.route("Cocacola operating income 2020", None).companies == ("COCA COLA CO",)
    assert ix.route("Coca-Cola's 2017 dividends", None).weights["ko17"] == 1.0  # joined by its employer number


def test_renamed_company_keeps_its_years() -> None:
    route = _index().route("What did Block report for FY2020?", None)
    assert route.weights == {"sq20": 1.0, "bl21": 0.5}
    assert route.applied == "company+period"


def test_common_word_names_need_a_capital() -> None:
    assert _index().route("how big is a block of shares held by insiders", None) is NO_ROUTE


def test_chinese_names() -> None:
    ix = _index()
    assert set(ix.route("星河智能2022年的研发投入", None).weights) == {"xh22"}
    assert set(ix.route("星河智能科技股份有限公司的营收", None).weights) == {"xh22"}
    assert set(ix.route("Shenzhen Xinghe Intelligent Technology revenue", None).weights) == {"xh22"}


def test_period_and_latest_weights() -> None:
    ix = _index()
    assert ix.route("Best Buy FY2021 gross margin", None).weights == {"bb22": 1.0, "bb23": 0.5}
    assert ix.route("Best Buy gross margin in the latest year", None).weights == {"bb22": 0.5, "bb23": 1.0}
    route = ix.route("Best Buy gross margin", None)  # no period asked: the newest leads a little
    assert route.applied == "company" and route.weights == {"bb22": 0.8, "bb23": 1.0}


def test_fiscal_quarters_through_the_company_fiscal_year() -> None:
    assert fiscal_quarters("Q2 of FY2024 vs Q1 FY23, and the second quarter of fiscal 2022") == [(2024, 2), (2023, 1), (2022, 2)]
    assert fiscal_quarters("Revenue in Q2 2023") == []  # a calendar quarter
    assert periods_in_question("stores between Q2 of FY2024 and FY2023")[0] == ["2024Q2", "FY2023"]
    assert calendar_quarters(2023, 2, 6) == ["2022Q4"]  # a year ending in June: its Q2 ends in December before
    assert calendar_quarters(2023, 2, 12) == ["2023Q2"]
    assert calendar_quarters(2024, 2, 1) == ["2023Q3", "2024Q3"]  # a January year end goes by either year
    ix = EntityIndex.build([
        _doc("am23", company="AMCOR PLC", periods="FY2023", period_end="2023-06-30", doc_type="annual_report"),
        _doc("amq", company="AMCOR PLC", periods="2022Q4", period_end="2022-12-31", doc_type="quarterly_report"),
        _doc("am2q", company="AMCOR PLC", periods="2023Q2", period_end="2023-06-30", doc_type="quarterly_report"),
        _doc("bb23", company="BEST BUY CO., INC.", periods="FY2023|FY2022", period_end="2023-01-28", doc_type="annual_report"),
        _doc("bbq", company="BEST BUY CO., INC.", periods="2023Q3", period_end="2023-07-29", doc_type="quarterly_report"),
    ])
    assert ix.route("Amcor's restructuring as of Q2 of FY2023", None).weights == {"am23": 0.5, "amq": 1.0, "am2q": 0.5}
    route = ix.route("Best Buy stores in Q2 of FY2024", None)
    assert route.weights == {"bb23": 0.5, "bbq": 1.0} and "2023Q3" in route.periods


def test_unknown_company_falls_back_to_whole_index() -> None:
    route = _index().route("What was Sonic Automotive's cash from operations in FY2018?", None)
    assert route is NO_ROUTE and route.applied == "none" and not route.weights


def test_routing_sees_only_visible_tenants() -> None:
    ix = _index()
    assert ix.route("Hidden Robotics revenue", {"public", "bank-a"}) is NO_ROUTE
    assert set(ix.route("Hidden Robotics revenue", {"public", "bank-b"}).weights) == {"priv"}


def test_filters_resolve_to_documents() -> None:
    ix = _index()
    assert set(ix.filtered("Best Buy", "FY2023", None, None).weights) == {"bb23"}
    assert set(ix.filtered("BBY", None, "10-K", None).weights) == {"bb22", "bb23"}
    assert set(ix.filtered(None, "2020", None, None).weights) == {"sq20", "ko20"}
    assert ix.filtered("Nobody Corp", None, None, None).weights == {}

"""Document metadata read from covers: entity, identifiers, type, period, date — with provenance."""

from __future__ import annotations

import json

from ingest.doc_meta import document_meta, extract

# the cover of Apple Inc.'s 10-K for fiscal 2022 (as filed with the SEC, text layer)
APPLE_10K = """UNITED STATES
SECURITIES AND EXCHANGE COMMISSION
Washington, D.C. 20549
FORM 10-K
(Mark One)
☒ ANNUAL REPORT PURSUANT TO SECTION 13 OR 15(d) OF THE SECURITIES EXCHANGE ACT OF 1934
For the fiscal year ended September 24, 2022
or
☐ TRANSITION REPORT PURSUANT TO SECTION 13 OR 15(d) OF THE SECURITIES EXCHANGE ACT OF 1934
For the transition period from to .
Commission File Number: 001-36743
Apple Inc.
(Exact name of Registrant as specified in its charter)
California 94-2404110
(State or other jurisdiction of incorporation or organization) (I.R.S. Employer Identification No.)
One Apple Park Way
Cupertino, California 95014
(Address of principal executive offices) (Zip Code)
(408) 996-1010
(Registrant's telephone number, including area code)
Securities registered pursuant to Section 12(b) of the Act:
Title of each class Trading symbol(s) Name of each exchange on which registered
Common Stock, $0.00001 par value per share AAPL The Nasdaq Stock Market LLC
"""

# small capitals split across lines, as some PDFs' text layers give them
SMALL_CAPS_8K = """UNITED STATES
SECURITIES AND EXCHANGE COMMISSION
FORM 8-K
CURRENT REPORT
Date of Report (Date of earliest event reported): March 3, 2021
Commission File No. 001-10362
MGM
R
ESORTS I
NTERNATIONAL
(Exact name of Registrant as specified in its charter)
DELAWARE 88-0215232
"""

RELEASE = """March 9, 2023
Example Outfitters Announces Fourth Quarter
Fiscal 2022 Results
Net Sales of $3.2 Billion
DENVER--(BUSINESS WIRE)-- Example Outfitters, Inc. (NASDAQ: EXOU) today announced financial results for the
thirteen-week period ended January 28, 2023.
"""

# a Chinese annual report's cover and its first "company information" page (made up for the test)
ZH_COVER = """深圳市星河智能科技股份有限公司
2022年年度报告
2023年4月
"""
ZH_INFO = """第二节 公司简介和主要财务指标
一、公司信息
股票简称：星河智能 股票代码：300999
公司的中文名称：深圳市星河智能科技股份有限公司
公司的外文名称：Shenzhen Xinghe Intelligent Technology Co., Ltd.
统一社会信用代码：91440300MA5DXXXX0Q
"""


def test_us_10k_cover() -> None:
    meta = document_meta("", {1: APPLE_10K})
    assert meta["company"] == "Apple Inc."
    assert meta["ticker"] == "AAPL"
    assert meta["ein"] == "94-2404110"
    assert (meta["doc_type"], meta["form"]) == ("annual_report", "10-K")
    assert meta["period"] == "FY2022"
    assert meta["period_end"] == "2022-09-24"


def test_facts_carry_provenance() -> None:
    facts = {}
    for f in extract("", {1: APPLE_10K}):  # best first within a field
        facts.setdefault(f.field, f)
    name = facts["company"]
    assert name.page == 1 and "Apple Inc." in name.quote
    period = facts["period"]
    assert APPLE_10K[period.span[0]:period.span[1]].startswith("fiscal year ended September 24, 2022")
    stored = json.loads(document_meta("", {1: APPLE_10K})["facts"])
    assert {"field", "value", "page", "quote", "span", "confidence"} <= set(stored[0])


def test_small_capitals_joined_and_8k_dated() -> None:
    meta = document_meta("", {1: SMALL_CAPS_8K})
    assert meta["company"] == "MGM RESORTS INTERNATIONAL"
    assert (meta["doc_type"], meta["form"]) == ("current_report", "8-K")
    assert meta["date"] == "2021-03-03"


def test_earnings_release_headline() -> None:
    meta = document_meta("", {1: RELEASE})
    assert meta["company"] == "Example Outfitters, Inc."
    assert meta["ticker"] == "EXOU"
    assert meta["doc_type"] == "earnings_release"
    assert meta["period"] == "2022Q4"
    assert meta["date"] == "2023-03-09"


def test_chinese_annual_report_cover() -> None:
    meta = document_meta("", {1: ZH_COVER, 2: ZH_INFO})
    assert meta["company"] == "深圳市星河智能科技股份有限公司"
    assert meta["name_zh"] == "深圳市星河智能科技股份有限公司"
    assert meta["name_en"] == "Shenzhen Xinghe Intelligent Technology Co., Ltd."
    assert "星河智能" in meta["aliases"].split("|")
    assert meta["ticker"] == "300999"
    assert meta["doc_type"] == "annual_report"
    assert meta["period"] == "FY2022"


def test_file_name_is_never_read() -> None:
    assert "company" not in document_meta("", {1: "Quarterly notes\nNothing about who wrote this."})


# A 10-K cover whose text layer lost its words (the registrant's name, the fiscal year end's date),
# as one archive filing gives it, and the first statement of the same filing.
DAMAGED_10K_COVER = """UNITED
STATES
SECURITIES
AND
EXCHANGE
COMMISSION
FORM
10-K
(Mark One)
[X] ANNUAL
REPORT
PURSUANT
fiscal
year
ended
December
] TRANSITION
REPORT
(Exact name of Registrant as specified in its charter)
DELAWARE 88-0215232
(I.R.S.
Employer
Identification
Number)"""
NOTES_PAGE = """Management's discussion refers to the consolidated balance sheets below.
Revenues rose in the year ended December 31, 2019 as expected."""
FIRST_STATEMENT = """MGM
RESORTS
INTERNATIONAL
AND
SUBSIDIARIES
CONSOLIDATED
BALANCE
SHEETS
(In thousands, except share data)
December
31,
2018 2017
ASSETS
Cash and cash equivalents $ 1,526,762 $ 1,499,995
Accounts receivable, net 657,206 542,273
Inventories 110,831 102,292
Income tax receivable 28,431 42,551
Prepaid expenses and other 203,548 189,244
Total current assets 2,526,778 2,376,355
Goodwill 1,821,392 1,806,531
Other intangible assets, net 3,944,463 3,877,564
Total assets 30,210,706 28,526,376"""


def test_a_cover_without_its_period_gives_way_to_the_first_statement_header() -> None:
    pages = {1: DAMAGED_10K_COVER, 2: "Table of Contents\nPart I", 3: "Item 1. Business", 30: NOTES_PAGE, 57: FIRST_STATEMENT}
    meta = document_meta("", pages)
    assert (meta["doc_type"], meta["ein"]) == ("annual_report", "88-0215232")
    assert meta["period"] == "FY2018"  # the statement's latest column, not the prose's 2019 nor its prior year
    assert meta["period_end"] == "2018-12-31"
    fact = next(f for f in extract("", {1: DAMAGED_10K_COVER, 57: FIRST_STATEMENT}) if f.field == "period")
    assert fact.page == 57 and fact.confidence < 0.9  # read from the statement, less sure than a cover


def test_a_cover_that_states_its_period_is_not_overruled_by_a_statement() -> None:
    meta = document_meta("", {1: APPLE_10K, 40: FIRST_STATEMENT})
    assert meta["period"] == "FY2022"


def test_a_fourth_quarter_release_covers_its_fiscal_year_too() -> None:
    meta = document_meta("", {1: RELEASE})
    assert meta["period"] == "2022Q4"  # what its headline names, first
    assert "FY2022" in meta["periods"].split("|")  # the year the fourth quarter closes
    first = document_meta("", {1: "April 25, 2023\nExample Foods Reports First-Quarter 2023 Results\n"})
    assert first["periods"] == "2023Q1"  # another quarter closes no year


def test_a_retail_year_of_fifty_two_weeks_is_named_by_the_fiscal_year_the_document_mentions() -> None:
    text = ("Example Outfitters, Inc. (NASDAQ: EXOU) today reported results for fiscal 2022,\n"
            "the fifty-two-week period ended January 28, 2023.\n")
    assert document_meta("", {1: text})["period"] == "FY2022"


def test_a_retail_year_read_from_the_first_statement_is_named_as_the_document_names_it() -> None:
    cover = "FORM\n10-K\nANNUAL REPORT\nOur fiscal 2022 ended January 28, 2023, a 52-week year.\n"
    statement = "CONSOLIDATED BALANCE SHEETS\n(In millions)\nJanuary 28, 2023 January 29, 2022\n" + \
        "\n".join(f"Line {n} {n},{n}00 {n},{n}50" for n in range(1, 9))
    meta = document_meta("", {1: cover.replace("ended January 28, 2023, a 52-week year", "closed"), 2: "Part I", 3: "Item 1",
                              40: statement + "\nfiscal 2022"})
    assert meta["period"] == "FY2022"

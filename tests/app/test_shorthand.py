"""English chat shorthand is written out before a question is read; other words are left as typed."""

import pytest

from app.core.shorthand import written_out


@pytest.mark.parametrize(("typed", "read"), [
    ("how many ppl at aurora do R&D?", "how many people at aurora do R&D?"),
    ("rev last yr vs 2 yrs ago", "revenue last year vs 2 years ago"),
    ("Gov't grants w/o collateral", "government grants without collateral"),
    ("研发ppl多少", "研发people多少"),  # Chinese may touch an English word
    ("what is the avg. rate?", "what is the average rate?"),
    ("max facility amount?", "maximum facility amount?"),
    ("their A rd raised how much?", "their A round raised how much?"),  # "rd" after a round's letter is the round
    ("Pre-A rd lead?", "Pre-A round lead?"),
    ("their A round raise how much ah?", "their A round raise how much?"),  # a closing particle is tone, not a word
    ("got co-investor or not lah", "got co-investor or not"),
    ("nw hq + product?", "nw headquarters + product?"),
    ("a round - how much n who led", "a round - how much and who led"),  # "n" between two words is "and"
    ("r&d exp 2021 from the fin stmts", "r&d expense 2021 from the financial statements"),
    ("natl little giant reqs, r&d ratio reqd?", "national little giant requirements, r&d ratio required?"),
    ("reward for 1st recog how much", "reward for first recognition how much"),
])
def test_shorthand_is_written_out(typed: str, read: str) -> None:
    assert written_out(typed) == read


@pytest.mark.parametrize("typed", ["co-founder", "yr/yr growth", "Is it in MO?", "certificate no. GR2023", "apply",
                                   "whats a rd ratio", "rd spend in 2023", "maximal", "N/A", "n=38 staff", "cert exp date?", "exp 2026-12-11", "expand"])  # "rd" alone may be R&D
def test_words_that_only_contain_a_shorthand_stay(typed: str) -> None:
    assert written_out(typed) == typed


def test_a_pause_of_dictated_chinese_is_a_comma_and_spaces_elsewhere_stay() -> None:
    assert written_out("就是极光现在总共多少员工 然后研发的人有多少") == "就是极光现在总共多少员工，然后研发的人有多少"
    assert written_out("Northwind 2023年 revenue 幾多") == "Northwind 2023年 revenue 幾多"  # not between Chinese characters
    assert written_out("极光 纳税信用等级 是 A 级吗") == "极光 纳税信用等级 是 A 级吗"  # spaces parting short words stay

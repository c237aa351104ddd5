"""Program names typed in pinyin are read as the catalog's Chinese names."""

from __future__ import annotations

from app.core.pinyin_names import pinyin_key, spelled_names

NAMES = ["科技信用贷", "首贷通（首贷户专享）", "Cedar Loop Ventures", "雪松环创投", "First Loan Express"]


def test_the_key_is_toneless_pinyin_run_together() -> None:
    assert pinyin_key("首贷通") == "shoudaitong"


def test_a_name_spelled_in_pinyin_joined_spaced_or_hyphenated_is_the_chinese_name() -> None:
    assert spelled_names("Does Shoudaitong suit this firm?", NAMES) == "Does 首贷通 suit this firm?"
    assert spelled_names("keji xinyongdai or Xue-Song-Huan-Chuang-Tou", NAMES) == "科技信用贷 or 雪松环创投"


def test_ordinary_words_and_fragments_are_left_alone() -> None:
    for text in ("What does the first loan offer?", "Is the keji sector growing?", "daitong"):
        assert spelled_names(text, NAMES) == text
    assert spelled_names("科技信用贷的额度", NAMES) == "科技信用贷的额度"

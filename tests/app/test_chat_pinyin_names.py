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


HEARD = ["专精特新贷", "研发费用加计扣除", "证书编号", "应收账款", "高新技术企业认定", "專精特新中小企業"]


def test_a_name_dictated_and_written_with_a_character_that_sounds_the_same_is_that_name() -> None:
    from app.core.pinyin_names import heard_names

    # a voice recogniser's slips: one character in four written as another with the same sound
    assert heard_names("专经特新贷你给我介绍一下", HEARD) == "专精特新贷你给我介绍一下"
    assert heard_names("高企证书的证书编好是多少", HEARD) == "高企证书的证书编号是多少"
    assert heard_names("研发费用加记扣除现在是什么政策", HEARD) == "研发费用加计扣除现在是什么政策"
    assert heard_names("高薪技术企业认定怎么申请", HEARD) == "高新技术企业认定怎么申请"


def test_names_as_written_other_scripts_and_words_that_only_sound_alike_in_part_stay() -> None:
    from app.core.pinyin_names import heard_names

    for text in ("专精特新贷的额度", "專精特新中小企業怎麼認定", "营收多少",  # two characters: 营收 / 应收 both words
                 "专家特别新的贷款", "证书编号发我"):
        assert heard_names(text, HEARD) == text
    assert heard_names("营收账款多少", HEARD) == "应收账款多少"  # no such term: the receivables, as heard
    assert heard_names("真经特心贷", HEARD) == "真经特心贷"  # three of five characters differ: another phrase
    # a word as written that only sounds like part of a term (税负 "fu", 不 also read "fou"): the question as written
    assert heard_names("是税负超过几个点的部分退？", [*HEARD, "不超过"]) == "是税负超过几个点的部分退？"
    assert heard_names("人数负超过五百人", [*HEARD, "不超过"]) == "人数不超过五百人"  # (no word cut: as heard)

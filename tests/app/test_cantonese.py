"""Colloquial Cantonese questions read as Standard Written Chinese (app.core.cantonese)."""

from __future__ import annotations

import pytest

from app.core.cantonese import has_cantonese, mandarin_form, table_size
from app.core.textnorm import script_counts

CASES = [
    # aspect 咗, structure 嘅, copula 係, quantity 幾多
    ("A轮融咗几多钱？", "A轮融了多少钱？"),
    ("Aurora嘅R&D佔比係幾多？", "Aurora的R&D佔比是多少？"),
    ("佢哋係唔係上市咗？", "他們是不是上市了？"),
    ("佢係咪高新技術企業？", "它是不是高新技術企業？"),
    # negation 唔 / 冇, X唔X, 有冇
    ("有冇專利？", "有沒有專利？"),
    ("研發費用嗰條門檻過唔過到？", "研發費用那條門檻能不能過？"),  # can it reach: 能不能 + the verb
    ("佢申唔申到高企？", "它能不能申高企？"),
    ("營收夠唔夠一億？", "營收夠不夠一億？"),
    ("唔該話我知佢幾耐可以攞到錢", "請告訴我它多久可以拿到錢"),
    ("呢筆貸款得唔得批？", "這筆貸款可不可以批？"),
    # question words
    ("边个领投？", "哪个领投？"),
    ("Aurora幾時成立㗎？", "Aurora什麼時候成立？"),
    ("佢喺邊度註冊？", "它在哪裡註冊？"),
    ("邊間銀行有份投資？", "哪家銀行有份投資？"),
    ("佢係邊年成立嘅？", "它是哪年成立的？"),
    ("點解咁多錢都唔夠？", "為什麼這麼多錢都不夠？"),
    ("點樣申請？", "怎樣申請？"),
    ("佢做乜嘢業務？", "它做什麼業務？"),
    ("你係學生咩？", "你是學生嗎？"),
    ("佢有咩資質？", "它有什麼資質？"),
    # 呢 / 嗰 + classifier, sentence-final 呢 kept
    ("呢間公司仲有冇其他股東呢？", "這間公司還有沒有其他股東呢？"),
    ("嗰啲嘢而家喺邊？", "那些東西現在在邊？"),
    # suitability, time words, verbs, particles
    ("佢啱唔啱高企貸？", "它適不適合高企貸？"),
    ("聽日下晝睇吓份報告喇", "明天下午看看份報告"),
    ("琴日搵唔到佢哋嘅資料喎", "昨天找不到他們的資料"),
    ("俾我睇啲數據啦！", "給我看些數據！"),
    ("快啲搵", "快一點找"),
    ("快啲讲", "快一点讲"),
    ("仲未攞到融資", "還沒拿到融資"),
]


@pytest.mark.parametrize(("cantonese", "mandarin"), CASES)
def test_mandarin_form(cantonese: str, mandarin: str) -> None:
    assert has_cantonese(cantonese)
    assert mandarin_form(cantonese) == mandarin


MANDARIN = [
    "这家公司和银行是什么关系？",
    "該行業的監管體系如何？",
    "能不能再便宜一點？",
    "本次審查的重點是什麼？",
    "办公楼旁边有没有停车场？",
    "这个呢？",
    "緊急情況下如何聯絡？",
    "發生糾紛時是否可以申請仲裁？",
    "咨询费给谁？",
    "公司的係數和關係如何？",
    "Aurora什麼時候成立？",
    "海边度假村的营收是多少？",
    "这是家族企业吗？而家族成员持股多少？",
    "你幾時來？",
    "好嘛，那就这样吧",
    "What is Aurora's revenue?",
    "",
]


@pytest.mark.parametrize("text", MANDARIN)
def test_mandarin_questions_unchanged(text: str) -> None:
    assert not has_cantonese(text)
    assert mandarin_form(text) == text


def test_copula_only_outside_mandarin_compounds() -> None:
    assert mandarin_form("佢同銀行係咩關係？") == "它同銀行是什麼關係？"
    assert mandarin_form("呢個係數係唔係偏高？") == "這個係數是不是偏高？"
    assert mandarin_form("佢仲有冇仲裁記錄？") == "它還有沒有仲裁記錄？"


def test_side_and_point_not_read_as_question_words() -> None:
    assert mandarin_form("佢嘅辦公室喺海邊度假村旁邊") == "它的辦公室在海邊度假村旁邊"
    assert mandarin_form("呢份報告嘅重點解釋咗乜？") == "這份報告的重點解釋了什麼？"


def test_script_kept() -> None:
    traditional = mandarin_form("佢哋而家點樣攞返啲錢？")
    simplified = mandarin_form("佢哋而家点样攞返啲钱？")
    assert traditional == "他們現在怎樣拿返些錢？"
    assert simplified == "他们现在怎样拿返些钱？"
    assert script_counts(traditional)[0] == 0  # no Simplified-only characters
    assert script_counts(simplified)[1] == 0  # no Traditional-only characters


def test_single_pass_no_double_replacement() -> None:
    # 嚟 → 來 and 睇 → 看 must not feed another rule; 邊個 wins over 個 handling.
    assert mandarin_form("邊個嚟睇？") == "哪個來看？"
    assert mandarin_form("啲錢冇咗") == "些錢沒有了"


def test_no_script_evidence_reads_as_simplified() -> None:
    # written_traditional() is False on a tie: no Traditional-only characters, Simplified replacements
    assert mandarin_form("冇咗") == "没有了"


def test_other_characters_kept_exactly() -> None:
    text = "ABC Ltd. 2023年嘅 revenue 係 1.5億 (HKD)，EBITDA margin 幾多%？"
    assert mandarin_form(text) == "ABC Ltd. 2023年的 revenue 是 1.5億 (HKD)，EBITDA margin 多少%？"


def test_has_cantonese() -> None:
    assert has_cantonese("佢哋")
    assert has_cantonese("有冇")
    assert has_cantonese("幾多")
    assert not has_cantonese("关系")
    assert not has_cantonese("體系")
    assert not has_cantonese("俾斯麥的政策")


def test_table_is_not_trivial() -> None:
    assert table_size() > 100

"""Index-form normalisation, language detection and sparse-retrieval tokens."""

from __future__ import annotations

import pytest

from app.core.textnorm import (
    cjk_ratio,
    detect_lang,
    half_width,
    index_form,
    script_counts,
    tidy_whitespace,
    to_simplified,
)
from app.core.tokenize import tokens

# --------------------------------------------------------------------------- index_form


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("高新技術企業認定辦法", "高新技术企业认定办法"),
        ("ＡＢＣ１２３", "abc123"),
        ("Hello World", "hello world"),
        ("臺灣銀行 ＦＩＮＴＥＣＨ　Loan", "台湾银行 fintech loan"),
        ("（注）：", "(注):"),  # NFKC folds full-width punctuation in the index form only
        ("already simple 简体", "already simple 简体"),
        ("", ""),
    ],
)
def test_index_form(text: str, expected: str) -> None:
    assert index_form(text) == expected


@pytest.mark.parametrize("repeat", [1, 60, 61, 400])  # 4 characters each: below, at and above the remembered length
def test_index_form_is_the_same_fold_for_remembered_and_long_texts(repeat: int) -> None:
    text = "臺灣ＡＢ" * repeat
    assert index_form(text) == "台湾ab" * repeat
    assert index_form(text) == "台湾ab" * repeat  # a second call answers alike


def test_index_form_makes_scripts_meet() -> None:
    assert index_form("高新技術企業") == index_form("高新技术企业")
    assert index_form("ＬＯＡＮ") == index_form("loan")


def test_half_width_keeps_cjk_punctuation() -> None:
    assert half_width("ＡＢＣ１２３（注），。：ｘ\u3000！") == "ABC123（注），。：x ！"


def test_to_simplified_leaves_non_chinese_alone() -> None:
    assert to_simplified("Loans ＡＢＣ") == "Loans ＡＢＣ"
    assert to_simplified("貸款") == "贷款"


def test_tidy_whitespace() -> None:
    assert tidy_whitespace("中 文  text\r\n\n\n 下一行 ") == "中文 text\n\n下一行"
    assert tidy_whitespace("a\u00a0\u2003b\rc") == "a b\nc"
    assert tidy_whitespace("English words stay apart") == "English words stay apart"


def test_script_counts_and_cjk_ratio() -> None:
    assert script_counts("") == (0, 0)
    assert script_counts("高新技術企業认定") == (1, 2)  # 认 is simplified-only; 術, 業 traditional-only
    assert cjk_ratio("") == 0.0
    assert cjk_ratio("中文ab") == 0.5


# --------------------------------------------------------------------------- detect_lang


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("高新技术企业认定管理办法规定了企业申请认定须满足的条件", "zh-Hans"),
        ("高新技術企業認定管理辦法規定了企業申請認定須滿足的條件", "zh-Hant"),
        ("The bank offers technology loans to startups with patents.", "en"),
        ("高新技术企业认定管理办法 requires patents and revenue", "mixed"),
        ("科技企业贷款申请指南 Loan Guide for startups", "mixed"),
        ("12345 !!!", "und"),
        ("abc", "und"),
        ("短句", "und"),
        ("Привет мир как дела у тебя сегодня хорошо", "und"),
    ],
)
def test_detect_lang(text: str, lang: str) -> None:
    assert detect_lang(text) == lang


def test_detect_lang_english_with_a_few_chinese_words() -> None:
    assert detect_lang("The applicant 本行 supports technology startups with credit lines for growth") == "en"


# --------------------------------------------------------------------------- tokens


def test_tokens_chinese_words() -> None:
    toks = tokens("高新技术企业 条件")
    assert "高新技术" in toks
    assert "条件" in toks
    assert toks == ["高新", "技术", "高新技术", "企业", "条件"]


def test_tokens_traditional_equals_simplified() -> None:
    assert tokens("高新技術企業") == tokens("高新技术企业")
    assert tokens("高新技術企業 條件") == tokens("高新技术企业 条件")


def test_tokens_drop_chinese_stopwords() -> None:
    toks = tokens("企业的研发费用和营业收入")
    assert "的" not in toks
    assert "和" not in toks
    assert "研发" in toks
    assert "营业" in toks


def test_tokens_english_stemmed_without_stopwords() -> None:
    assert tokens("The companies are running quickly") == ["compani", "run", "quick"]
    assert tokens("What is the LOAN limit for startups?") == ["loan", "limit", "startup"]


def test_tokens_numbers_and_width() -> None:
    assert tokens("Revenue 1,200.5 grew 12%") == ["revenu", "1200.5", "grew", "12%"]
    assert tokens("ＬＯＡＮＳ ２０２４") == tokens("loans 2024") == ["loan", "2024"]


def test_tokens_mixed_text() -> None:
    assert tokens("科技贷款 loans") == ["科技", "贷款", "loan"]
    assert tokens("") == []


def test_a_short_question_in_traditional_characters_is_known_and_answered_in_them() -> None:
    from app.core.textnorm import to_traditional, written_traditional

    assert written_traditional("極光的高企證書是哪天發的？") and not written_traditional("极光的高企证书是哪天发的？")
    assert not written_traditional("What is its revenue?") and not written_traditional("它的营收？")
    assert to_traditional("研发费用占比：7.95%[1]") == "研發費用佔比：7.95%[1]"

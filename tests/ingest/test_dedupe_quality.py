"""Dedupe (content keys, MinHash, LSH bands) and the quality score."""

from __future__ import annotations

import random

import numpy as np
import pytest

from app.core.types import Quality
from ingest.dedupe import BANDS, NUM_PERM, band_keys, content_key, jaccard, sha, shingles, signature
from ingest.quality import assess, garbage_ratio

_SENTENCES = [
    "科技型中小企业可以向本行申请知识产权质押贷款",
    "贷款额度根据企业研发投入和营业收入综合确定",
    "高新技术企业认定需要满足研发费用占比等条件",
    "本行为初创企业提供开户结算和跨境支付等综合服务",
    "政府贴息政策可以降低企业的实际融资成本",
    "风险补偿资金池为银行分担部分信贷损失",
    "企业应当按时提交财务报表和经营情况说明",
    "客户经理将在五个工作日内完成尽职调查",
    "专精特新企业可以享受更高的授信额度",
    "投贷联动模式将股权投资与信贷支持结合起来",
    "园区内企业可以通过线上渠道提交贷款申请",
    "担保公司为轻资产科技企业提供增信服务",
]


def _article(seed: int, length: int = 1500) -> str:
    rng = random.Random(seed)
    out = ""
    while len(out) < length:
        sentence = rng.choice(_SENTENCES)
        cut = rng.randint(6, len(sentence))
        out += sentence[:cut] + rng.choice("，。；") + "".join(rng.sample("年月日数据显示同比增长百分之", 3))
    return out[:length]


# --------------------------------------------------------------------------- content_key


def test_sha_is_sha256_hex() -> None:
    assert sha("abc") == sha(b"abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("高新技术企业 认定，办法。", "高新技术企业认定办法"),
        ("高新技術企業認定辦法", "高新技术企业认定办法"),
        ("Hello, World!", "hello world"),
        ("ＡＢＣ　１２３", "abc123"),
        ("Loans\n\tfor  startups...", "LOANS FOR STARTUPS"),
        ("「知识产权」质押—贷款", "知识产权质押贷款"),
        ("snake_case", "snakecase"),
    ],
)
def test_content_key_folds_noise(a: str, b: str) -> None:
    assert content_key(a) == content_key(b)


def test_content_key_keeps_content_differences() -> None:
    assert content_key("贷款额度一千万元") != content_key("贷款额度一百万元")
    assert content_key("loan 2023") != content_key("loan 2024")
    assert len(content_key("x")) == 64


# --------------------------------------------------------------------------- MinHash


def test_shingles() -> None:
    assert shingles("高新 技术，企业") == {s.encode() for s in ("高新技术企", "新技术企业")}
    assert shingles("Ab, c") == {b"abc"}
    assert shingles("") == {b""}


def test_signature_shape_and_determinism() -> None:
    text = _article(1)
    sig = signature(text)
    assert sig.dtype == np.uint64
    assert sig.shape == (NUM_PERM,)
    assert np.array_equal(sig, signature(text))


def test_near_duplicate_with_different_first_line_is_similar() -> None:
    original = _article(1)
    assert len(original) == 1500
    first_break = original.index("。")
    repost = "转载自新华网 2024年5月1日 编辑：张三\n" + original[first_break + 1 :]
    assert jaccard(signature(original), signature(repost)) >= 0.8


def test_unrelated_texts_are_dissimilar() -> None:
    a = _article(1)
    english = " ".join(f"The bank reviewed application number {i} on schedule." for i in range(40))
    assert jaccard(signature(a), signature(english)) < 0.3
    unrelated_zh = "".join(chr(0x4E00 + (i * 7919) % 20000) for i in range(1500))
    assert jaccard(signature(a), signature(unrelated_zh)) < 0.3


def test_identical_texts_have_jaccard_one() -> None:
    a = _article(2)
    assert jaccard(signature(a), signature(a)) == 1.0
    assert jaccard(signature(a), signature(a.replace("。", "，"))) == 1.0  # punctuation is noise


def test_band_keys() -> None:
    sig = signature(_article(1))
    keys = band_keys(sig)
    assert len(keys) == BANDS == 32
    assert keys == band_keys(signature(_article(1)))
    assert all(isinstance(k, int) and 0 <= k < 2**63 for k in keys)
    assert len(set(keys)) == 32
    other = band_keys(signature(_article(3)))
    assert len(set(keys) & set(other)) < 32


def test_band_keys_depend_only_on_their_band() -> None:
    sig = signature(_article(1))
    changed = sig.copy()
    changed[0] += np.uint64(1)  # the first row of the first band
    a, b = band_keys(sig), band_keys(changed)
    assert a[0] != b[0]
    assert a[1:] == b[1:]


# --------------------------------------------------------------------------- quality


LONG_EN = (
    "The bank provides credit lines to technology startups that hold patents and recurring revenue. " * 5
)
LONG_ZH = "科技型中小企业可以向本行申请知识产权质押贷款，贷款额度根据企业研发投入和营业收入综合确定。" * 10


def test_garbage_ratio() -> None:
    assert garbage_ratio("") == 1.0
    assert garbage_ratio("abc 中文，。\n\t€") == 0.0
    assert garbage_ratio("ab\x00\ufffd") == 0.5
    assert garbage_ratio("\ue000\x07") == 1.0  # private use, control


@pytest.mark.parametrize(("text", "lang"), [(LONG_EN, "en"), (LONG_ZH, "zh-Hans")])
def test_clean_long_text_scores_one(text: str, lang: str) -> None:
    assert assess(text, lang, None, 0.5) == Quality(score=1.0, reasons=("ok",), flagged=False)


def test_garbage_heavy_text_is_flagged() -> None:
    text = "正常文本" * 60 + "\x00\x01\x02" * 20 + "\ufffd" * 20  # 80 bad of 320
    q = assess(text, "zh-Hans", None, 0.5)
    assert q == Quality(score=0.0, reasons=("garbage characters 25.0%",), flagged=True)


def test_some_garbage_lowers_the_score() -> None:
    text = LONG_ZH[:388] + "\ufffd" * 12  # 3% of 400
    q = assess(text, "zh-Hans", None, 0.5)
    assert q == Quality(score=0.85, reasons=("garbage characters 3.0%",), flagged=False)


def test_a_little_garbage_is_tolerated() -> None:
    text = LONG_ZH[:396] + "\ufffd" * 4  # exactly 1%
    assert assess(text, "zh-Hans", None, 0.5) == Quality(score=1.0, reasons=("ok",), flagged=False)


def test_short_text() -> None:
    assert assess("短文本。", "zh-Hans", None, 0.5) == Quality(
        score=0.51, reasons=("short text (4 characters)",), flagged=False
    )
    assert assess("  Hi  ", "en", None, 0.6) == Quality(
        score=0.505, reasons=("short text (2 characters)",), flagged=True
    )


def test_ocr_confidence_reason() -> None:
    assert assess(LONG_EN, "en", 0.62, 0.5) == Quality(
        score=0.92, reasons=("OCR confidence 0.62",), flagged=False
    )
    assert assess(LONG_EN, "en", 0.95, 0.5) == Quality(
        score=1.0, reasons=("OCR confidence 0.95",), flagged=False
    )
    low = assess(LONG_EN, "en", 0.1, 0.5)
    assert low == Quality(score=0.4, reasons=("OCR confidence 0.10",), flagged=True)


def test_unrecognised_language() -> None:
    assert assess(LONG_EN, "und", None, 0.5) == Quality(
        score=0.7, reasons=("language not recognised",), flagged=False
    )


def test_reasons_combine_in_order() -> None:
    q = assess("\ufffd\ufffd" + "x" * 98, "und", 0.5, 0.5)
    assert q.reasons == (
        "garbage characters 2.0%",
        "OCR confidence 0.50",
        "language not recognised",
        "short text (100 characters)",
    )
    assert q.score == round(0.9 * 0.8 * 0.7 * 0.75, 3) == 0.378
    assert q.flagged

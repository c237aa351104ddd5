"""Text decoding: BOMs, UTF-8, Chinese legacy encodings, and refusing binary data."""

from __future__ import annotations

import codecs
import random

import pytest

from app.core.errors import DocumentError
from ingest.decode import decode_text, detect_encoding

ZH = "高新技术企业认定管理办法规定了企业申请认定须满足的条件，包括研发费用占比和知识产权要求。"
ZH_HANT = "高新技術企業認定管理辦法規定了企業申請認定須滿足的條件，包括研發費用佔比和知識產權要求。"


@pytest.mark.parametrize(
    ("data", "encoding", "text"),
    [
        (ZH.encode("utf-8"), "utf-8", ZH),
        (codecs.BOM_UTF8 + ZH.encode("utf-8"), "utf-8-sig", ZH),
        (codecs.BOM_UTF16_LE + ZH.encode("utf-16-le"), "utf-16", ZH),
        (codecs.BOM_UTF16_BE + ZH.encode("utf-16-be"), "utf-16", ZH),
        ("hi 中文".encode("utf-32"), "utf-32", "hi 中文"),
        (ZH.encode("gbk"), "gb18030", ZH),
        (("Annual report 2024: " + ZH).encode("gbk"), "gb18030", "Annual report 2024: " + ZH),
        (ZH_HANT.encode("big5"), "big5", ZH_HANT),
        ("café résumé naïve".encode("cp1252"), "cp1252", "café résumé naïve"),
    ],
    ids=["utf8", "utf8-bom", "utf16le-bom", "utf16be-bom", "utf32-bom", "gbk", "gbk-mixed", "big5", "cp1252"],
)
def test_detect_and_decode(data: bytes, encoding: str, text: str) -> None:
    assert detect_encoding(data) == encoding
    assert decode_text(data) == text


def test_gb18030_four_byte_characters() -> None:
    text = ZH + "扩展字符𠀀与欧元€"
    data = text.encode("gb18030")
    with pytest.raises(UnicodeEncodeError):
        text.encode("gbk")  # really needs GB18030
    assert detect_encoding(data) == "gb18030"
    assert decode_text(data) == text


def test_bom_is_not_part_of_the_text() -> None:
    assert decode_text(codecs.BOM_UTF8 + b"abc") == "abc"
    assert decode_text(codecs.BOM_UTF16_LE + "abc".encode("utf-16-le")) == "abc"
    assert decode_text(codecs.BOM_UTF16_BE + "中".encode("utf-16-be")) == "中"


@pytest.mark.parametrize(
    ("data", "text"),
    [
        (b"", ""),
        (b"hello", "hello"),
        ("中".encode(), "中"),
        ("中国".encode("gbk"), "中国"),
        ("申请条件".encode("gbk"), "申请条件"),
        ("臺灣銀行".encode("big5"), "臺灣銀行"),
        ("繁體中文".encode("big5"), "繁體中文"),
        (codecs.BOM_UTF16_LE + "中".encode("utf-16-le"), "中"),
    ],
    ids=["empty", "ascii", "utf8-1char", "gbk-2", "gbk-4", "big5-4", "big5-4b", "utf16-1char"],
)
def test_short_texts(data: bytes, text: str) -> None:
    assert decode_text(data) == text


@pytest.mark.parametrize(
    ("text", "encoding"),
    [("注册资本", "gbk"), ("高新技术企业", "gbk"), ("营业收入", "gbk"), ("申請條件", "big5")],
)
def test_short_chinese_not_mistaken_for_korean_or_japanese(text: str, encoding: str) -> None:
    assert decode_text(text.encode(encoding)) == text


@pytest.mark.parametrize(
    "data",
    [
        bytes(100),
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(50),
        b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(range(256)),
        random.Random(1).randbytes(4096),
    ],
    ids=["zeros", "png", "zip", "random"],
)
def test_binary_with_nul_bytes_is_refused(data: bytes) -> None:
    with pytest.raises(DocumentError, match=r"^binary content where text was expected$") as info:
        decode_text(data)
    assert info.value.status == "failed"


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_binary_without_nul_bytes_is_refused(seed: int) -> None:
    rng = random.Random(seed)
    data = bytes(rng.randrange(1, 256) for _ in range(4096))
    with pytest.raises(
        DocumentError, match=r"^text encoding could not be detected \(binary data\?\)$"
    ) as info:
        decode_text(data)
    assert info.value.status == "failed"


def test_nul_after_first_4k_is_not_treated_as_binary() -> None:
    data = b"a" * 5000 + b"\x00b"
    assert decode_text(data) == "a" * 5000 + "\x00b"

"""Numbers as written in Chinese and English policy text, normalised with their units."""

from __future__ import annotations

import re

_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "兩": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7,
           "八": 8, "九": 9}
_SMALL_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_BIG_UNITS = {"万": 10_000, "萬": 10_000, "亿": 100_000_000, "億": 100_000_000}
CN_NUM = "[零〇一二两兩三四五六七八九十拾百佰千仟万萬亿億]+"
NUM = rf"(?:\d[\d,，]*(?:\.\d+)?|{CN_NUM})"
_ENGLISH = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
            "ten": 10, "twelve": 12, "fifteen": 15, "twenty": 20, "thirty": 30, "fifty": 50, "hundred": 100}
EN_NUM = r"(?:one|two|three|four|five|six|seven|eight|nine|ten|twelve|fifteen|twenty|thirty|fifty|hundred)"  # as words
MONEY_SCALE = {"元": 1, "万元": 10_000, "萬元": 10_000, "亿元": 100_000_000, "億元": 100_000_000,
               "千元": 1000, "百万元": 1_000_000, "万": 10_000, "萬": 10_000, "亿": 100_000_000, "億": 100_000_000, "million": 1_000_000, "m": 1_000_000, "mn": 1_000_000,
               "billion": 1_000_000_000, "bn": 1_000_000_000, "b": 1_000_000_000, "k": 1000, "thousand": 1000}


def chinese_to_int(text: str) -> int:
    """一 → 1, 十二 → 12, 五百 → 500, 两千 → 2000, 一万二千 → 12000, 三亿 → 300000000."""
    total, section, digit = 0, 0, 0
    for ch in text:
        if ch in _DIGITS:
            digit = _DIGITS[ch]
        elif ch in _SMALL_UNITS:
            section += (digit or 1) * _SMALL_UNITS[ch]
            digit = 0
        elif ch in _BIG_UNITS:
            total += (section + digit) * _BIG_UNITS[ch]
            section, digit = 0, 0
        else:
            raise ValueError(f"not a Chinese numeral: {text!r}")
    return total + section + digit


def parse_number(text: str) -> float:
    text = text.strip()
    if re.fullmatch(CN_NUM, text):
        return float(chinese_to_int(text))
    low = text.lower()
    if low in _ENGLISH:
        return float(_ENGLISH[low])
    return float(text.replace(",", "").replace("，", ""))


def money(value: str, unit: str) -> float:
    """An amount in its currency's base unit: ('5,000', '万元') → 50000000.0."""
    scale = MONEY_SCALE.get(unit.lower().strip(), MONEY_SCALE.get(unit.strip(), 1))
    return parse_number(value) * scale

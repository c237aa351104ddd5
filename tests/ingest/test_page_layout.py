"""Off-topic lines by position: debris at a page's edges goes; the article's frame (the headline or
section heading right before the body, the issuing office right after it) stays though the body
never repeats its words; nothing inside the body goes for being off-topic alone."""

from __future__ import annotations

from app.core.types import Element
from ingest.clean import clean

BODY = [
    "报告期内，公司实现营业收入五点二亿元，同比增长百分之二十三，主要来自新能源电池客户。",
    "研发投入合计六千八百万元，占营业收入的比例为百分之十三，新增发明专利授权十二项。",
    "下游客户集中在新能源电池和消费电子行业，前五大客户收入占比为百分之四十一。",
]


def _key(text: str) -> str:
    return "".join(text.replace("：", ":").split())


def _kept(lines: list[str]) -> list[str]:
    return [_key(e.text) for e in clean([Element(t, "NarrativeText") for t in lines]).elements]


def _reasons(lines: list[str]) -> dict[str, str]:
    return {_key(text): reason for reason, text in clean([Element(t, "NarrativeText") for t in lines]).dropped}


def test_heading_right_before_the_body_stays_though_its_words_are_not_the_bodys() -> None:
    lines = ["第三节 管理层讨论与分析", *BODY]
    assert _kept(lines) == [_key(t) for t in lines]


def test_same_heading_further_out_is_off_topic() -> None:
    """The frame is one line deep: a line with debris between it and the body is judged by its words."""
    lines = ["本站热线：小区团购 家政保洁 搬家服务", "收藏 打印 关闭窗口", "半导体设备国产化进展", *BODY]
    reasons = _reasons(lines)
    assert reasons[_key(lines[0])] == "off_topic"
    assert _key(lines[2]) not in reasons  # the frame line stays


def test_issuing_office_after_a_notice_stays_and_tail_debris_goes() -> None:
    lines = [*BODY, "市经济和信息化局", "2024年5月10日", "扫一扫在手机打开当前页", "本站热线：小区团购 家政保洁 搬家服务"]
    kept = _kept(lines)
    assert kept[:5] == [_key(t) for t in lines[:5]]  # the office, and the date (a figure) under it
    assert _key(lines[-1]) not in kept


def test_a_link_bar_next_to_the_body_is_no_frame() -> None:
    lines = [*BODY, "网站使用帮助与常见问题 | 个人信息保护政策 | 无障碍阅读服务"]
    assert _reasons(lines) == {_key(lines[-1]): "off_topic"}


def test_nothing_inside_the_body_is_off_topic() -> None:
    lines = [BODY[0], "天气晴朗适合郊游", BODY[1], BODY[2]]
    assert _kept(lines) == [_key(t) for t in lines]


def test_a_letters_greeting_is_no_debris_but_a_shop_banner_is() -> None:
    opening = "根据上周的沟通，现将补充材料说明如下："
    assert _kept(["赵经理，您好！", opening, *BODY]) == [_key(t) for t in ["赵经理，您好！", opening, *BODY]]
    assert _reasons(["欢迎光临积分商城！", opening, *BODY]) == {_key("欢迎光临积分商城！"): "off_topic"}

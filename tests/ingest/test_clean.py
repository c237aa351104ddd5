"""Cleaning stage: text repair, and what clean() drops (by reason) and keeps."""

from __future__ import annotations

import pytest

from app.core.types import Element
from ingest.clean import clean, fix_gbk_mojibake, repair_text

E = Element

# A small, ordinary document: the context every single-element check below is judged against.
BODY = (
    E("高新技术企业认定管理办法规定了企业申请认定须满足的条件。", "NarrativeText"),
    E("The bank offers technology loans to startups that hold patents.", "NarrativeText"),
)


def _judge(text: str, type_: str = "NarrativeText") -> tuple[bool, dict[str, int]]:
    """(kept?, removed counts) for one element appended to BODY."""
    result = clean([*BODY, E(text, type_)])
    assert result.elements[: len(BODY)] == BODY  # the body itself is never touched
    return len(result.elements) == len(BODY) + 1, result.removed


# --------------------------------------------------------------------------- repair_text


def test_repair_strips_tags_comments_and_entities() -> None:
    assert repair_text("<p>Hello &amp; <b>world</b></p>") == ("Hello & world", ["markup"])
    assert repair_text("<!-- nav -->正文&nbsp;内容<br/>") == ("正文内容", ["markup"])
    assert repair_text("&lt;tag&gt; &#20013;&#x6587;") == ("<tag> 中文", ["markup"])


def test_repair_leaves_clean_text_alone() -> None:
    assert repair_text("科技贷款余额增长 12%。") == ("科技贷款余额增长 12%。", [])
    assert repair_text("a < b and c > d") == ("a < b and c > d", [])
    quoted = "“科创积分贷”——首贷户占比四成…（2024年）"
    assert repair_text(quoted) == (quoted, [])


def test_repair_still_fixes_mojibake_mixed_into_chinese() -> None:
    """The fast path skips only text with no Latin-1 or C1 character: a mis-decoded quote in a
    Chinese line still goes through the repair."""
    assert repair_text("本行â€œ科创贷â€") != ("本行â€œ科创贷â€", [])
    assert repair_text("科技公司 The bankâ€™s loan") == ("科技公司 The bank’s loan", ["mojibake"])


def test_repair_fixes_utf8_read_as_cp1252() -> None:
    assert repair_text("cafÃ© rÃ©sumÃ©") == ("café résumé", ["mojibake"])
    assert repair_text("The bankâ€™s loan") == ("The bank’s loan", ["mojibake"])  # curly quote kept
    original = "极光创新获得银行融资担保支持。"
    assert repair_text(original.encode("utf-8").decode("latin-1")) == (original, ["mojibake"])
    # Windows-1252 with its five undefined bytes passed through as C1 controls (real broken pipelines)
    sloppy = "".join(
        chr(b) if b in (0x81, 0x8D, 0x8F, 0x90, 0x9D) else bytes([b]).decode("cp1252")
        for b in original.encode("utf-8")
    )
    assert repair_text(sloppy) == (original, ["mojibake"])


def test_fix_gbk_mojibake_helper() -> None:
    assert fix_gbk_mojibake("中国".encode("gbk").decode("latin-1")) == "中国"
    assert fix_gbk_mojibake("ÖÐ¹úÈËÃñÒøÐÐ") == "中国人民银行"
    # Latin-1 text that is not GBK in disguise stays as it is
    assert fix_gbk_mojibake("Ångström façade") == "Ångström façade"


@pytest.mark.parametrize("original", ["本公司成立于二零一九年", "申请条件"])
def test_repair_fixes_gbk_read_as_latin1(original: str) -> None:
    garbled = original.encode("gbk").decode("latin-1")
    assert repair_text(garbled) == (original, ["mojibake"])


@pytest.mark.parametrize("original", ["中国", "中国人民银行", "高新技术企业认定", "融资担保"])
def test_repair_fixes_gbk_read_as_latin1_common_words(original: str) -> None:
    garbled = original.encode("gbk").decode("latin-1")
    assert repair_text(garbled)[0] == original


def test_repair_half_width_letters_digits_but_keeps_chinese_punctuation() -> None:
    assert repair_text("ＡＢＣ１２３（注），。：ｘ") == ("ABC123（注），。：x", [])
    assert repair_text("收入１２３万元（含税）：同比增长。") == ("收入123万元（含税）：同比增长。", [])
    assert repair_text("全角\u3000空格") == ("全角空格", [])  # ideographic space -> space -> CJK gap closed


def test_repair_tidies_whitespace() -> None:
    assert repair_text("  高 新 技 术  \r\n\n\n\n second   line ") == ("高新技术\n\nsecond line", [])


# --------------------------------------------------------------------------- clean(): a whole page


def _messy_document() -> tuple[list[Element], int]:
    body = [
        "高新技术企业认定管理办法规定了企业申请认定须满足的条件。",
        "企业申请认定时须注册成立一年以上，并拥有核心自主知识产权。",
        "The bank offers technology loans to startups with strong intellectual property.",
        "研发费用总额占同期销售收入总额的比例应当符合规定要求。",
    ]
    els: list[Element] = []
    for p in range(1, 5):
        els.append(E(f"华夏科技银行 2024 年度报告 第{p}期", "Header", page=p))  # running header, digits vary
        els.append(E(body[p - 1], "NarrativeText", page=p))
        els.append(E(f"- {p} -", "Footer", page=p))
    els += [
        E("   ", "NarrativeText", page=4),
        E("<br/>", "NarrativeText", page=4),
        E("第 3 页", "Footer", page=4),
        E("Page 2 of 10", "Footer", page=4),
        E("首页 | 新闻 | 政策 | 联系我们", "NarrativeText", page=4),
        E("当前位置：首页 > 政策法规 > 正文", "NarrativeText", page=4),
        E("分享到：微信 微博 QQ空间", "NarrativeText", page=4),
        E("打开APP阅读全文", "NarrativeText", page=4),
        E("本网站使用Cookie以提升您的浏览体验，继续浏览即表示您同意。", "NarrativeText", page=4),
        E(
            "免责声明：本文仅供参考，不构成投资建议。" + "市场有风险，投资需谨慎。" * 20,
            "NarrativeText",
            page=4,
        ),
        E("相关阅读", "Title", page=4),
        E("版权所有 © 2024 华夏科技银行", "NarrativeText", page=4),
        E("京ICP备12345678号-1", "NarrativeText", page=4),
        E("澳门博彩 娱乐城 百家乐 在线棋牌 真人视讯 老虎机", "NarrativeText", page=4),
        E(
            "cheap flights, best hotels, weight loss, free movies, online games, dating tips, "
            "car insurance, mortgage rates",
            "NarrativeText",
            page=4,
        ),
        E("Founded in March 2019", "ListItem", page=4),
        E("Our analysts specialised in credit risk for technology startups.", "NarrativeText", page=4),
        E(
            "指标 | 2023 | 2024",
            "Table",
            page=4,
            rows=(("指标", "2023", "2024"), ("营业收入", "1,200", "1,500")),
        ),
        E("1", "Table", page=4, rows=(("1",),)),  # tables are never judged as page numbers
    ]
    return els, 4


def test_clean_whole_document_keeps_content_in_order() -> None:
    els, pages = _messy_document()
    result = clean(els, pages=pages)
    assert [(e.type, e.text, e.page) for e in result.elements] == [
        ("NarrativeText", "高新技术企业认定管理办法规定了企业申请认定须满足的条件。", 1),
        ("NarrativeText", "企业申请认定时须注册成立一年以上，并拥有核心自主知识产权。", 2),
        (
            "NarrativeText",
            "The bank offers technology loans to startups with strong intellectual property.",
            3,
        ),
        ("NarrativeText", "研发费用总额占同期销售收入总额的比例应当符合规定要求。", 4),
        ("NarrativeText", "Our analysts specialised in credit risk for technology startups.", 4),
        ("Table", "指标 | 2023 | 2024", 4),
        ("Table", "1", 4),
    ]
    assert result.elements[5].rows == (("指标", "2023", "2024"), ("营业收入", "1,200", "1,500"))


def test_clean_whole_document_counts_removals_by_reason() -> None:
    els, pages = _messy_document()
    result = clean(els, pages=pages)
    assert result.removed == {
        "empty": 2,
        "header_footer": 4,
        "page_number": 6,  # four "- n -" footers, "第 3 页", "Page 2 of 10"
        "navigation": 2,
        "share_bar": 1,
        "app_banner": 1,
        "cookie": 1,
        "disclaimer": 1,
        "recommended": 2,  # the heading and the short line under it: a widget, by position
        "copyright": 2,
        "spam": 2,
    }
    assert result.repaired == {"markup": 1}
    assert sum(result.removed.values()) + len(result.elements) == len(els)


# --------------------------------------------------------------------------- clean(): one element at a time


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "empty"),
        ("  \n\t ", "empty"),
        ("<div></div>", "empty"),
        ("- 3 -", "page_number"),
        ("— 12 —", "page_number"),
        ("第 3 页", "page_number"),
        ("第3页 共10页", "page_number"),
        ("Page 2 of 10", "page_number"),
        ("p. 7", "page_number"),
        ("3/10", "page_number"),
        ("首页 | 新闻 | 政策 | 联系我们", "navigation"),
        ("Home | News | Policy | Contact", "navigation"),
        ("首页 > 政策法规 > 正文", "navigation"),
        ("当前位置：首页 > 政策法规 > 正文", "navigation"),
        ("You are here: Home > News", "navigation"),
        ("上一篇：科技贷款新政解读", "navigation"),
        ("返回顶部", "navigation"),
        ("分享到：微信 微博 QQ空间", "share_bar"),
        ("微信 | 微博 | QQ空间 | 复制链接", "share_bar"),
        ("点赞 收藏 转发", "share_bar"),
        ("打开APP阅读全文", "app_banner"),
        ("扫一扫 下载客户端", "app_banner"),
        ("本网站使用Cookie以提升您的浏览体验，继续浏览即表示您同意。", "cookie"),
        ("This site uses cookies. By continuing you accept our cookie policy.", "cookie"),
        ("Accept all cookies", "cookie"),
        ("免责声明：本文仅供参考，不构成投资建议。", "disclaimer"),
        ("免责声明：" + "本文仅供参考，不构成任何投资建议，据此操作风险自担。" * 30, "disclaimer"),
        ("Disclaimer: " + "This material is for information only and is not an offer. " * 10, "disclaimer"),
        (
            "This e-mail and any attachments are confidential and intended solely for the addressee.",
            "disclaimer",
        ),
        ("相关阅读", "recommended"),
        ("相关阅读：科技贷款新政解读", "recommended"),
        ("Read more", "recommended"),
        ("版权所有 © 2024 华夏科技银行", "copyright"),
        ("Copyright © 2024 Example Bank. All rights reserved.", "copyright"),
        ("京ICP备12345678号-1", "copyright"),
        ("关于我们 | 联系我们 | 网站地图", "copyright"),
        ("来源：新华网", "byline"),
        ("Sent from my iPhone", "mail_signature"),
        ("澳门博彩 娱乐城 百家乐 在线棋牌 真人视讯 老虎机", "spam"),
        ("澳门博彩娱乐城，百家乐真人视讯，注册即送彩金，" * 12, "spam"),  # long injected spam too
        ("Buy cialis online now.", "spam"),
        (
            (
                "cheap flights, best hotels, weight loss, free movies, online games, dating tips, "
                "car insurance, mortgage rates"
            ),
            "spam",
        ),
        ("网红，美食，旅游，减肥，明星，八卦，游戏", "spam"),  # bare CJK keyword list foreign to the document
        ("网红、美食、旅游、减肥、明星、八卦、游戏", "spam"),
    ],
)
def test_clean_drops_with_reason(text: str, reason: str) -> None:
    kept, removed = _judge(text)
    assert not kept
    assert removed == {reason: 1}


@pytest.mark.parametrize(
    "text",
    [
        "本行为科技型中小企业提供知识产权质押贷款，最高额度为一千万元。",
        "Technology startups can apply for a credit line of up to RMB 10 million.",
        "Founded in March 2019",
        "Specialised zebra grooming kits arrive tomorrow.",  # "cialis" is a whole-word spam term only
        "Our analysts specialised in credit risk.",
        "申请条件：注册满一年、拥有知识产权、研发投入占比不低于5%。",
        "Keywords: technology loans, startups, patents",
        "第三章 申请条件",
        "2019 年 3 月",
    ],
)
def test_clean_keeps_content(text: str) -> None:
    kept, removed = _judge(text)
    assert kept, removed
    assert removed == {}


def test_clean_keeps_keyword_list_that_belongs_to_the_document() -> None:
    body = [
        E("Technology loans for startups", "Title"),
        E("Technology loans help startups that hold patents grow faster.", "NarrativeText"),
        E("Banks assess patents, revenue and the founding team of startups.", "NarrativeText"),
        E("Startups with patents receive technology loans on better terms.", "NarrativeText"),
    ]
    tags = E(
        "technology loans, startups, patents, revenue, banks, founding team, terms, growth", "NarrativeText"
    )
    result = clean([*body, tags])
    assert result.elements[-1] == tags
    assert result.removed == {}


def test_clean_keeps_tables_whatever_their_text() -> None:
    tables = [
        E("- 3 -", "Table", rows=(("- 3 -",),)),
        E("首页 | 新闻 | 政策 | 联系我们", "Table", rows=(("首页", "新闻", "政策", "联系我们"),)),
        E("澳门博彩 娱乐城", "Table", rows=(("澳门博彩", "娱乐城"),)),
    ]
    result = clean([*BODY, *tables])
    assert [(e.type, e.rows) for e in result.elements[len(BODY) :]] == [(t.type, t.rows) for t in tables]
    assert result.removed == {}


def test_clean_repairs_table_cells() -> None:
    table = E("<b>指标</b>", "Table", rows=(("<b>指标</b>", "ＡＢ１"), ("cafÃ©", "&amp;")))
    result = clean([table])
    assert result.elements[0].text == "指标"
    assert result.elements[0].rows == (("指标", "AB1"), ("café", "&"))


def test_clean_drops_link_lists_and_signatures() -> None:
    result = clean(
        [
            *BODY,
            E("科技金融 普惠金融 绿色金融", "NarrativeText", link_ratio=0.9),
            E("张三 | 客户经理 | 138-0000-0000", "EmailSignature"),
        ]
    )
    assert result.elements == BODY
    assert result.removed == {"link_list": 1, "mail_signature": 1}


def test_clean_drops_we_use_cookies_banner() -> None:
    _, removed = _judge("We use cookies to improve your experience.")
    assert removed == {"cookie": 1}


def test_clean_drops_space_separated_cjk_keyword_stuffing() -> None:
    _, removed = _judge("网红 美食 旅游 减肥 明星 八卦 游戏")
    assert removed == {"spam": 1}


# --------------------------------------------------------------------------- running headers and footers


def _paged(lines_per_page: dict[int, list[str]]) -> list[Element]:
    out = []
    for page, lines in sorted(lines_per_page.items()):
        out.append(
            E(
                f"第{page}部分正文：科技企业贷款政策说明之{'一二三四五六七八九十'[page - 1]}。",
                "NarrativeText",
                page=page,
            )
        )
        out += [E(line, "Header", page=page) for line in lines]
    return out


def test_running_header_with_varying_digits_is_removed() -> None:
    els = _paged({p: [f"华夏科技银行 2024 年报 · 第 {p} 章"] for p in (1, 2, 3)} | {4: []})
    result = clean(els, pages=4)
    assert result.removed == {"header_footer": 3}
    assert [e.page for e in result.elements] == [1, 2, 3, 4]
    assert all(e.type == "NarrativeText" for e in result.elements)


def test_repeated_lines_are_kept_in_short_documents() -> None:
    els = _paged({1: ["华夏科技银行内部资料"], 2: ["华夏科技银行内部资料"]})
    result = clean(els, pages=2)
    assert result.removed == {}
    assert len(result.elements) == 4


def test_repeated_line_threshold_on_ten_pages() -> None:
    header = "机密 · 仅供内部使用"
    on_five = _paged({p: [header] if p <= 5 else [] for p in range(1, 11)})
    assert clean(on_five, pages=10).removed == {"header_footer": 5}
    on_four = _paged({p: [header] if p <= 4 else [] for p in range(1, 11)})
    result = clean(on_four, pages=10)
    assert result.removed == {}
    assert sum(e.text == header for e in result.elements) == 4


def test_long_repeated_text_is_not_a_header() -> None:
    long_line = "本行承诺：" + "依法合规经营，保护客户信息安全，" * 10  # over 120 characters
    els = _paged({p: [long_line] for p in (1, 2, 3)})
    assert clean(els, pages=3).removed == {}


def test_labelled_values_in_a_short_letter_are_facts_not_a_menu() -> None:
    """Three short lines in a row at a letter's head read like a menu by shape alone; lines that state
    a figure ("社保参保人数 88人") are kept, and the title their words explain with them."""
    lines = ["纳税及社保情况说明", "纳税信用等级 A级（2023年度）", "社保参保人数 88人", "Headcount 88",
             "近三年内无重大违法违规行为，未因安全生产、环境保护受到处罚。"]
    result = clean([Element(t, "NarrativeText", page=1) for t in lines])
    assert [e.text for e in result.elements] == lines
    menu = ["首页", "新闻中心", "政策法规", "联系我们", lines[-1]]
    assert [e.text for e in clean([Element(t, "NarrativeText", page=1) for t in menu]).elements] == [lines[-1]]

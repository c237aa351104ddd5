"""Web pages: metadata from the markup, a flat page the extractor merges split back into its
blocks (content and Boilerplate), deep nesting walked without recursion."""

from __future__ import annotations

import lxml.html

from app.adapters.page_meta import page_meta
from app.adapters.web_page import BOILERPLATE, extract_page, page_blocks

FLAT_ZH = """<html><head><meta charset='utf-8'><title>科技企业首贷增长 - 某某日报</title></head><body>
<ul><li><a href='/'>首页</a></li><li><a href='/n'>新闻</a></li><li><a href='/c'>财经</a></li></ul>
<h1>科技企业首贷增长</h1>
<p>今年一季度，本市科技型中小企业首次获得银行贷款的户数同比增长三成。</p>
<p>多家银行推出以知识产权为主要依据的信用贷款产品，平均审批时间缩短至五个工作日。</p>
<p>监管部门表示，将继续引导金融机构加大对早期科技企业的支持力度。</p>
<div class='ad'>最新成人视频网站，免费在线观看</div></body></html>"""


def _meta(page: str) -> dict[str, str]:
    return page_meta(lxml.html.fromstring(page))


def test_meta_tags_give_date_author_site_and_url() -> None:
    page = """<html><head><title>Bank opens SBA desk | Daily Courier</title>
    <meta property="og:site_name" content="Daily Courier"><meta name="author" content="Jessica Moore">
    <meta property="article:published_time" content="2024-03-28T06:45:00-04:00">
    <link rel="canonical" href="https://courier.example.com/sba"></head>
    <body><h1>Bank opens SBA desk</h1><p>Text.</p></body></html>"""
    assert _meta(page) == {"title": "Bank opens SBA desk", "date": "2024-03-28", "author": "Jessica Moore",
                           "sitename": "Daily Courier", "url": "https://courier.example.com/sba"}


def test_government_pubdate_and_a_bylines_date() -> None:
    assert _meta("<html><head><meta name='PubDate' content='2024-05-10 09:30'></head><body><p>x</p></body></html>")[
        "date"] == "2024-05-10"
    page = "<html><body><h1>通知</h1><div>发布时间：2024年5月9日 来源：市经信局</div><p>正文</p></body></html>"
    assert _meta(page) == {"title": "通知", "date": "2024-05-09"}


def test_title_without_the_sites_name_when_no_headline() -> None:
    assert _meta("<html><head><title>純網路銀行獲准開業 - 某某新聞網</title></head><body><p>x</p></body></html>")[
        "title"] == "純網路銀行獲准開業"


def test_flat_page_is_split_into_its_blocks() -> None:
    parsed = extract_page(FLAT_ZH)
    assert parsed is not None and parsed.title == "科技企业首贷增长"
    texts = [e.text for e in parsed.elements]
    assert texts[-4:-1] == ["今年一季度，本市科技型中小企业首次获得银行贷款的户数同比增长三成。",
                            "多家银行推出以知识产权为主要依据的信用贷款产品，平均审批时间缩短至五个工作日。",
                            "监管部门表示，将继续引导金融机构加大对早期科技企业的支持力度。"]
    assert all(e.type != BOILERPLATE for e in parsed.elements if e.text.endswith("。"))
    menu = [e for e in parsed.elements if e.text == "首页"]
    assert menu and menu[0].link_ratio == 1.0


def test_deeply_nested_paragraph_is_found() -> None:
    para = "正文段落，内容足够长，可以作为正文。"
    page = "<html><body>" + "<div><span>" * 120 + f"<p>{para}</p>" + "</span></div>" * 120 + "</body></html>"
    assert [b.text for b in page_blocks(lxml.html.fromstring(page))] == [para]


def test_a_saved_page_that_declares_no_charset_is_read_as_decoded_not_as_latin_1() -> None:
    from app.adapters.web_page import parse_web
    from app.core.types import RawFile
    from app.settings import Settings

    page = ("<html><head><title>青蓝生物完成1.5亿元B轮融资</title></head><body><nav><a>首页</a> | <a>快讯</a></nav>"
            "<article><h1>青蓝生物完成1.5亿元B轮融资，国投创合领投</h1><p>2024年5月20日，杭州青蓝生物材料科技有限公司宣布完成"
            "1.5亿元B轮融资，本轮由国投创合领投，启明医疗健康基金跟投。本轮资金将用于产线建设。</p></article></body></html>")
    parsed = parse_web(RawFile("news.html", page.encode("utf-8")), Settings())
    text = "\n".join(e.text for e in parsed.elements)
    assert "宣布完成1.5亿元B轮融资" in text and "å" not in text

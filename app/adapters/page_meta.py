"""A web page's title, date, author, site and URL, read from its markup: the meta tags publishers
fill for search engines and social cards (Open Graph, Dublin Core, article:*, government PubDate),
<time datetime>, <title> against the headline, and a dated byline near the top as a last resort.

A few XPath look-ups on the tree the page extractor already parsed: trafilatura's own metadata pass
(htmldate's text search, author heuristics) cost more than the rest of a page's parsing and cleaning.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

_DATE = re.compile(r"((?:19|20)\d{2})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})")
_TITLE_SEP = re.compile(r"\s+[-|_–—·]\s+|\s*[|｜_]\s*")
_PROPS = {
    "title": ("og:title", "twitter:title"),
    "date": ("article:published_time", "og:published_time", "article:published", "pubdate", "publishdate",
             "publish-date", "publish_date", "publication_date", "datepublished", "dc.date", "dc.date.issued",
             "dcterms.created", "dcterms.date", "date", "firstpublishedtime", "parsely-pub-date", "sailthru.date"),
    "author": ("author", "article:author", "dc.creator", "byl", "parsely-author", "sailthru.author"),
    "sitename": ("og:site_name", "application-name", "sitename", "site_name"),
    "url": ("og:url", "twitter:url"),
}


def page_meta(tree: Any, headline: str = "") -> dict[str, str]:
    """Title, date, author, sitename and url, where the page states them."""
    tags = _meta_tags(tree)
    out: dict[str, str] = {}
    for field, names in _PROPS.items():
        if value := next((tags[n] for n in names if tags.get(n)), ""):
            out[field] = value
    if out.get("author", "").startswith("http"):
        del out["author"]  # article:author is often the author's profile URL
    out["title"] = out.get("title") or _title(tree, headline)
    date = _iso_date(out.get("date", "")) or _time_tag(tree) or _byline_date(tree)
    out["date"] = date
    if "url" not in out and (href := _first(tree.xpath("//link[@rel='canonical']/@href"))):
        out["url"] = href
    return {k: " ".join(v.split()) for k, v in out.items() if v and v.strip()}


def _meta_tags(tree: Any) -> dict[str, str]:
    tags: dict[str, str] = {}
    for m in tree.iter("meta"):
        name = (m.get("property") or m.get("name") or m.get("itemprop") or "").strip().lower()
        content = m.get("content") or ""
        if name and content.strip() and name not in tags:
            tags[name] = content.strip()
    for el in tree.xpath("//*[@itemprop='datePublished']"):  # schema.org on a <time> or <span>
        tags.setdefault("datepublished", el.get("datetime") or el.get("content") or el.text_content())
    return tags


def _title(tree: Any, headline: str) -> str:
    """<title> less the site's name ("Headline - Some News"), preferring the part the page's h1 repeats."""
    h1 = _first(" ".join(h.text_content().split()) for h in tree.iter("h1")) or headline
    title = _first(" ".join((t.text or "").split()) for t in tree.iter("title"))
    if not title:
        return h1
    parts = [p for p in _TITLE_SEP.split(title) if p.strip()]
    if h1 and (h1 in title or any(p in h1 for p in parts if len(p) >= 4)):
        return h1
    return max(parts, key=len) if len(parts) > 1 else title


def _time_tag(tree: Any) -> str:
    return next((d for t in tree.iter("time") if (d := _iso_date(t.get("datetime") or ""))), "")


def _byline_date(tree: Any) -> str:
    """The first date in a short line near the top ("2024-03-05 10:22 来源：…", "Updated March 4" is not read)."""
    for n, el in enumerate(tree.iter("p", "div", "span", "li", "time", "em", "small")):
        if n > 200:
            break
        text = el.text or ""
        if len(text) <= 80 and (date := _iso_date(text)):
            return date
    return ""


def _iso_date(text: str) -> str:
    m = _DATE.search(text)
    if not m:
        return ""
    year, month, day = (int(g) for g in m.groups())
    return f"{year:04d}-{month:02d}-{day:02d}" if 1 <= month <= 12 and 1 <= day <= 31 else ""


def _first(values: Iterable[str]) -> str:
    return next((v for v in values if v), "")

"""Builds ``app/data/taxonomies/shenwan_l1.companies.tsv``, the Shenwan sector taxonomy's company
directory, from Shenwan Hongyuan's public stock classification list (SwClass2021: one row per listed
company, its short name and its 2021-edition level-1 and level-2 sectors; the columns 股票代码,
公司简称, 新版一级行业, 新版二级行业).

Every company is listed under its 2021 sector and, where the 2014 edition named the sector otherwise,
under the 2014 name too (coal and oil extraction → 采掘, refining → 化工, education → 传媒, …), so a
taxonomy restricted to either edition's names finds it. A level-2 sector whose 2014 home is not clear
(professional services, medical aesthetics) keeps its 2021 name only.

    python -m eval.build_shenwan_directory StockClassifyUse_stock.xlsx [OUT.tsv]
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

OUT = Path(__file__).resolve().parents[1] / "app" / "data" / "taxonomies" / "shenwan_l1.companies.tsv"

# 2021 level-1 → its 2014 name, where the editions differ by name only
RENAMED = {"基础化工": "化工", "电力设备": "电气设备", "纺织服饰": "纺织服装", "商贸零售": "商业贸易", "煤炭": "采掘"}
# 2021 (level-1, level-2) → the 2014 level-1 the level-2 sector sat under
SPLIT = {("石油石化", "油服工程"): "采掘", ("石油石化", "油气开采Ⅱ"): "采掘", ("石油石化", "炼化及贸易"): "化工",
         ("社会服务", "教育"): "传媒", ("社会服务", "旅游及景区"): "休闲服务", ("社会服务", "酒店餐饮"): "休闲服务",
         ("社会服务", "体育Ⅱ"): "休闲服务", ("社会服务", "本地生活服务Ⅱ"): "休闲服务",
         ("环保", "环境治理"): "公用事业", ("环保", "环保设备Ⅱ"): "机械设备",
         ("美容护理", "个护用品"): "化工", ("美容护理", "化妆品"): "化工"}

HEADER = """\
# The Shenwan (申万) sector taxonomy's company directory: listed companies (A shares, and the Hong Kong and
# US listings the list carries) with the sectors they are classed under, read by app.core.company_directory.
# Source: Shenwan Hongyuan Research's public stock classification list, 2021 edition (SwClass2021,
# swsresearch.com), as copied in github.com/zhangrongluo/stock-data (stock-list/sw-stock-list.xlsx, 5,284 rows);
# facts of public record. Built by `python -m eval.build_shenwan_directory`: each company under its 2021
# level-1 sector, and under the 2014 edition's name where that differs (see the script). Not an evaluation set's data.
# code\tname\tlabels
"""


def rows(frame: pd.DataFrame) -> list[tuple[str, str, str]]:
    out = []
    for code, name, l1, l2 in frame[["股票代码", "公司简称", "新版一级行业", "新版二级行业"]].itertuples(index=False):
        labels = [str(l1)]
        older = SPLIT.get((str(l1), str(l2))) or RENAMED.get(str(l1))
        if older and older not in labels:
            labels.append(older)
        out.append((str(code).strip(), "".join(str(name).split()), ",".join(labels)))
    return sorted(set(out))


def main(argv: list[str]) -> int:
    source = Path(argv[0])
    out = Path(argv[1]) if len(argv) > 1 else OUT
    lines = [f"{code}\t{name}\t{labels}\n" for code, name, labels in rows(pd.read_excel(source))]
    out.write_text(HEADER + "".join(lines), encoding="utf-8")
    print(f"{len(lines)} companies → {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))

"""What a question about the client asks for, read from its form: the attribute (the head of the
phrase asked about: "研发人员的**平均工资**是多少", "what **dividend per share** did …") and, in Chinese,
whose attribute it is when a possessive names something besides the client ("**华为**去年的研发投入").

The intent router reads a question's whole form, so a question that reuses a profile field's words
for a quantity the profile does not hold ("the average pay of its R&D staff" next to "its R&D
staff") lands on that field. A profile answer states the field's value; before it is given, the
attribute asked must be one the answered fields hold (`attribute_held`): each word of the head is
met in the fields' own vocabulary (their names in both languages, the exemplars of their intents,
the passages the facts are cited to), or the head as a phrase is named about as closely as a
field's name under the embedding model. An owner (a possessive before the attribute in Chinese; the
subject after an auxiliary in English: "what revenue did its rival report") that is neither the
client (它, 该公司, "the company" …) nor a part of any firm the fields describe (研发人员, 员工) is
another firm or person: its figures are not the client's. Chinese is segmented by jieba; English is
read after its question word. Of a question in several sentences, each one that asks is read (a
statement beside it, "我要填授信申请表。", asks nothing), and each must be held."""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any

from app.core.answer import IRREGULAR_PAST
from app.core.asked_measure import change_asked, measure_asked
from app.core.asked_period import sub_year_asked, whole_years, years_asked
from app.core.field_aim import named_outright
from app.core.field_names import field_name
from app.core.fields import FIELDS, kind_of
from app.core.glossary import load_glossary
from app.core.intents import Intents
from app.core.textnorm import index_form

# a head named by the fields' vocabulary as closely as this (cosine, multilingual e5) is held
HEAD_CLOSE = 0.92
# an owner named this close to some profile field is part of a firm (its staff, its R&D team)
OWNER_CLOSE = 0.905

# closed-class words of a Chinese question: they never name the attribute or its owner
# words that ask for a sum, a difference or a change of the attribute, not for another one ("两年的营收加起来",
# "2023年的研发费用比2021年多出多少"): split off before segmenting and read as function words
_ZH_AGGREGATE_WORDS = ("加起来", "加在一起", "相加", "加总", "一共", "总共", "合计", "总计", "总数", "总和", "累计", "多出", "多了",
                       "少了", "相差", "差额", "差了", "增长了", "增加了", "减少了", "下降了", "涨了", "上涨了", "跌了")
# 比 as "than" (研发费用比2021年多出), not in 比较, 比例, 对比, 相比 …
_ZH_AGGREGATE = re.compile("|".join(_ZH_AGGREGATE_WORDS) + r"|(?<=[\u4e00-\u9fff\d])(?<![对相无好和与跟同])比(?![较例重率起如])"
                           r"(?=[^，。？?]{1,15}?(?:多(?!少)|少了|高出|低了|增|减|大|小|快|慢|升|降|涨|跌))")
_ZH_FUNCTION = frozenset(_ZH_AGGREGATE_WORDS) | frozenset("""
的 了 是 吗 呢 么 吧 啊 什么 多少 哪些 哪个 哪家 哪里 哪儿 哪 哪一年 哪年 哪一天 哪天 哪日 哪一日 哪个月 哪月 几号 几月 几时 何时 何日 几 几个 几项 几轮 几年 多大 多久 多长 多高 怎么 怎样 怎么样 如何
请问 请 一下 有 没有 有没有 和 与 及 在 对 为 给 向 从 把 被 都 也 还 又 就 才 到 里 中 上 下 共 总共 一共 大概 大约 约 左右 目前 现在
当前 如今 时候 什么时候 那 那么 这 这个 那个 能 能否 可以 是否 会 曾 已 已经 过 呀 谁 还有 百分之 百分比 占多大 占多少
那边 这边 那里 这里 那儿 这儿 各有 各是 各为 分别 各自 之前 以前 此前 之后 以后 此后 以来 曾经 一起 一同 一块 一块儿
然后 就是 嗯 呃 额 记得 印象 印象中 好像 似乎 应该 觉得 以为 听说 据说 感觉 反正 算出来 算出 算下 算一下 算算 算起来 出来 起来 下来 还是 還是
到底 究竟
包括 包含 含有 涵盖 涵蓋
""".split())  # noqa: SIM905 (a word list reads better as text; the last lines: fillers of speech, what the asker
# recalls or believes, "我记得是四十几个": how sure, not what is asked, and "算出来": computed, not what; "到底", "究竟":
# how insistent; "包括": what one thing holds, "经营范围包括软件开发吗" asks of the scope and the activity, not of "including")
# a number written in Chinese, exact or rough ("四十几个", "五十多", "三千多万", "十几"): a value, not an attribute
_ZH_NUMERAL = re.compile(r"[零〇一二两三四五六七八九十百千万亿几]+[多余来]?[个项家名位件条张笔款种轮次倍人万亿元块]?")
# words that say on what basis a figure is stated ("财报口径的实际增速", "the actual growth"), not which one or whose
_BASIS = frozenset("实际 口径 actual real".split())  # noqa: SIM905
# where a thing comes from or is kept, said before 的: no owner ("外面的投资" is outside investment, the client's)
_WHENCE = frozenset("""
外面 外部 外头 外边 外来 对外 境外 内部 里面 手上 手里 手头 名下 目前 现在 当前 之前 以前 过去 最近 近期 到底 究竟
""".split())  # noqa: SIM905
# a verb with its aspect marker ("拿过", "融了"): the client's doing, not another owner
_VERB_ASPECT = re.compile(r"[\u4e00-\u9fff][过了到着]")
# words that say how an attribute is counted, recorded or dated, not which one ("软件著作权数量", "涉诉记录",
# "its total headcount these days")
_GENERIC = frozenset("""
数量 数目 数额 金额 记录 纪录 情况 状况 数据 数字 具体 现有 目前 现在 主要 total number amount figure count level record records
status currently today now nowadays these days exactly roughly approximately overall
打算 计划 計劃 准备 準備 预计 預計 planning planned plan plans intend intends intending
""".split()) | _BASIS  # noqa: SIM905
# (the plan words say when, as "now" does: "B轮打算融多少" asks the round's amount, of a round still to come)
_CONTRACTION = re.compile(r"\b(what|where|who|how|which)['’]s\b", re.IGNORECASE)
# words for the client in focus (the router reads its own name as 该公司 / "the company" already), and its own
# statements ("财报口径的增速" is the client's)
_ZH_CLIENT = frozenset("它 它们 其 该 该公司 该企业 这家 这家公司 这家企业 那家 公司 企业 客户 本公司 贵司 我司 这个客户 该客户 他们 财报 报表 财务报表".split())  # noqa: SIM905
# a separable verb-object word with its aspect marker between verb and object ("之前融过资吗", "贷过款", "上过市"): the
# marker says when, the word is what is asked
_SPLIT_VERB = re.compile(r"(融|贷|借|投|纳|上|参)(过|了)(资|款|税|市|保)")
# the levels of a place, nouns of one character ("在美国哪个州", "哪个省", "哪个市"): what a region question asks for
_ZH_PLACE_LEVELS = frozenset("州 省 市 县 区 镇 国".split())  # noqa: SIM905
# an interrogative determiner: the noun after it is the kind of thing that answers ("哪家机构")
_ZH_WHICH = frozenset(["哪家", "哪个", "哪位", "什么", "哪些", "哪种", "哪类"])
# interrogatives of time: "<noun>是什么时候<verb>的" asks for a date of the noun
_ZH_WHEN = frozenset(["什么时候", "何时", "哪一天", "哪天", "哪日", "哪一日", "哪一年", "哪年", "哪个月", "哪月", "几号", "几月", "几时"])
# how many, as a question asks it before the counted noun ("有多少项专利"), and the classifiers counted in
_ZH_COUNT = frozenset("多少 几 几个 多少个".split())  # noqa: SIM905
_ZH_COUNTABLE = frozenset("客户 公司 企业".split())  # noqa: SIM905  # words for the client, or, counted, for many firms
_ZH_CLASSIFIERS = frozenset("个 项 家 名 位 件 条 张 笔 款 种 轮 次".split())  # noqa: SIM905
# a count asked as one word with its classifier ("哪几家", "多少位", "几笔"): it counts, it names nothing
_ZH_COUNTED = re.compile(r"(?:哪几|几|多少)[个项家名位件条张笔款种轮次倍]")  # 翻了几倍: how many times over
# a demonstrative with its classifier ("那轮A轮", "这笔贷款"): it points, it names nothing
_ZH_DEICTIC = re.compile(r"[这那该此本上][一]?[轮笔次个项家份张]")
# verbs of holding or getting, before 的 ("持有的专利", "获得的认定"): what they hold is the head, their subject the owner
_ZH_HOLD = frozenset("持有 拥有 擁有 获得 獲得 取得 申请 申請 注册 註冊 登记 登記 授权 授權 掌握".split())  # noqa: SIM905
# how precise the answer must be, said after the question ("，要具体到年月", "精确到万元")
_PRECISION_ZH = re.compile(r"[，,；;]?\s*(?:请|要|需要|麻烦)?(?:具体|精确|精確|具體)到[^，,。？?！!]*")
_WHICH_ONE = re.compile(r"哪一(?=[\u4e00-\u9fff])(?![年天日个月])")
# the document a figure is read from, named with where in it ("财报上", "利润表里的", "BP中"): which source, not what
# (jieba cuts "财报上" as 财 | 报上)
# an amount asked by its order of magnitude ("是几亿元", "几百万", "几个亿"): how much, a question word (jieba keeps "几亿元"
# whole, a word naming nothing)
_ZH_HOW_MUCH = re.compile(r"几(?:十|百|千)?(?:万|亿|个亿|个w)(?:元|块|美元)?|几(?:十|百|千)(?:元|块|美元)|"
                          r"(?:多少|几)(?:十|百|千)?(?:万|亿)?(?:美金|美元|人民币|元|块|港币|港元|欧元|刀)")  # "是多少美金": the unit
# people counted with their classifier: jieba reads "多少个人" as 多少 | 个人 (individual)
_PEOPLE_COUNTED = re.compile(r"(多少|几)个人")
_ZH_DOCUMENTS = r"财务报表|财报|报表|利润表|资产负债表|现金流量表|审计报告|年报|商业计划书|计划书|bp"
# or as the basis to go by ("（以财务报表口径为准）", "按审计报告"): which source, not what
_ZH_SOURCE = re.compile(rf"(?:{_ZH_DOCUMENTS})(?:上面|里面|上|里|中|所载|所列|所示|记载|载明|列示)(?:的)?|"
                        rf"[（(]?(?:以|按照|按|依据|依|根据)(?:{_ZH_DOCUMENTS})(?:的)?(?:口径|数据|数字)?(?:为准)?[）)]?")
# a document a figure is read from, named as the subject that shows it ("what revenue does the income statement
# show", "how much does the BP report"): where the figure is, not whose it is
_EN_SOURCE = re.compile(r"\b(?:income statements?|p&l|profit and loss|balance sheets?|cash[- ]flow statements?|financials|"
                        r"financial statements?|business plan|bp|pitch deck|deck|annual report|audit report|accounts|"
                        r"tax returns?|filings?|statements?)\b")
_ZH_WHEN_WORD = re.compile("|".join(sorted(_ZH_WHEN, key=len, reverse=True)))
_WHEN = re.compile(r"^\s*when\b|\b(?:what|which|in which) (?:year|yr|date|day|month)\b|\bhow long ago\b|什么时候|何时|"
                   + "|".join(sorted(_ZH_WHEN - {"什么时候"})))
_ZH_PERIOD = re.compile(r"^(?:\d+|[一二两三四五六七八九十\d]+年|年|年度|月|季度|去年|今年|明年|前年|上年|本年|当年|近年|近\d+年|上半年|下半年|\d{4}年度?)$")
_YEAR_SHORT = re.compile(r"\byr\b")
_EN_ANCHOR = re.compile(r"\b(?:what|which|how (?:many|much|large|big|high|long))\b")
_EN_WORD = re.compile(r"[a-z0-9][a-z0-9&'’\-]*")
_EN_SKIP = frozenset("""
is was are were be been did does do has have had will would can could should may might shall the a an its their
this that these those it they our your company firm client business enterprise startup company's firm's client's
we us i you looking look
""".split())  # noqa: SIM905
_EN_END = frozenset("""
of in on at for to from by with as about than did does do is was are were has have had will would can could
should may might shall and or last this next year years month months quarter fiscal fy over between during across
since through within per each
""".split())  # noqa: SIM905
# an English word that names nothing in a Chinese-framed or code-switched question ("how many 软著 too", "Aurora的R&D
# for 2023"): the words the English reading skips or stops at, question words and fillers
_EN_FUNCTION = _EN_SKIP | _EN_END | frozenset("""
what which who whom whose when where why how many much too also either pls please just ok okay so then any
plz thx thanks thank tks ty tia btw fyi asap
""".split())  # noqa: SIM905  (chat sign-offs and asides: "註冊地是在南山嗎 thx" asks of the place)
_EN_AUX = frozenset(["did", "does", "do", "has", "have", "had", "is", "was", "are", "were", "will", "would"])
_EN_DET = frozenset(["the", "a", "an", "its", "their", "this", "that"])
# an auxiliary right after the question word: a subject and its verb follow, not the attribute
_EN_VERB_FIRST = frozenset("did does do has have had will would can could should may might shall".split())  # noqa: SIM905


# whether two sources agree: "两份材料一致吗", "对得上吗", "do the BP and the statements match?", "does it reconcile to /
# tie to the P&L?"
_AGREE = re.compile(r"一致|对得上|对不上|对得起来|对不起来|对得拢|对不拢|吻合|相符|矛盾|出入|\b(?:consistent|inconsistent|agree|disagree|match(?:es)?|"
                    r"line up|tally|discrepanc(?:y|ies)|reconcil(?:e|es|ed|ing|iation)|ties? (?:out|back|up) to|ties? to)\b", re.IGNORECASE)


# a request to set figures out, naming none of them: "请分别列明。", "麻烦列一下", "please list both"
_SET_OUT = re.compile(r"(?:请|麻烦|烦请|敬请|务请)?(?:分别|逐一|一并)?(?:列明|列出|列示|列一下|列下|写明|标明|注明|说明一下|给出)"
                      r"(?:两处|两个|两者|二者|各自)?(?:的)?(?:数字|数据|数值|金额)?[。.!！]?|"
                      r"(?:kindly |please )?(?:list|show|give|put)(?: me)? (?:them|both|each|the two)(?: figures| numbers)?"
                      r"(?: side by side)?[.!]?", re.IGNORECASE)
# where a figure is set against another: "A与B是否一致" (A is the figure asked)
_COMPARED = re.compile(r"与|和|跟|同|\b(?:and|vs\.?|versus|with)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Asked:
    head: tuple[str, ...] = ()   # the words naming the attribute, in order ((): the form names none)
    owner: tuple[str, ...] = ()  # the words naming whose attribute it is, when not the client
    lang: str = "zh"
    alt: tuple[str, ...] = ()    # another reading of the attribute ("哪个融资阶段": the whole phrase; "the
    #                              size of its Series A": what it measures); either one held is enough
    when: bool = False           # a date is asked ("什么时候", 哪一年, "when", "what year"): of the head's thing

    def phrase(self, words: tuple[str, ...]) -> str:
        return "".join(words) if self.lang == "zh" else " ".join(words)


@lru_cache(maxsize=1)
def _jieba() -> Any:
    import jieba

    return jieba


def asked(question: str, terse: bool = False) -> Asked:
    """The attribute a question asks for and its owner when that is not the client. Words that only
    say how it is measured or when ("数量", "记录", "number", "these days") are no part of it, unless
    nothing else names it. `terse`: an English question typed as a bare noun phrase ("client reg capital?")
    asks that phrase (a question of one sentence; beside another, "Texas somewhere?" asks nothing new)."""
    if re.search(r"[\u3400-\u9fff]", question):
        found = _asked_zh(question)
    else:
        found = _asked_en(_CONTRACTION.sub(lambda m: f"{m.group(1)} is", question), terse)
    # "财报口径的": the basis says how, not whose; "拿过外面的投资": where from (外面) and the verb (拿过), not whose
    owner = tuple(w for w in found.owner if w not in _BASIS and w not in _WHENCE and not _VERB_ASPECT.fullmatch(w))
    return replace(found, head=_named(found.head), alt=_named(found.alt), owner=owner,
                   when=bool(_WHEN.search(index_form(question))))


def _named(words: tuple[str, ...]) -> tuple[str, ...]:
    kept = tuple(w for w in words if w not in _GENERIC)
    return kept or words


def is_function_zh(word: str) -> bool:
    """A word of a Chinese question that names nothing: punctuation, a function word, the client, a period."""
    return _kind_zh(word) != "content"


def _kind_zh(word: str) -> str:
    if not word.strip() or re.fullmatch(r"[\W_]+", word):
        return "sep"
    if word in _ZH_CLIENT:
        return "client"
    if _ZH_PERIOD.match(word):
        return "period"
    if word in _ZH_FUNCTION or (len(word) == 1 and not word.isascii() and word not in _ZH_PLACE_LEVELS) \
            or re.fullmatch(r"[a-z]", word) or word in _EN_FUNCTION or _ZH_NUMERAL.fullmatch(word) \
            or re.fullmatch(r"[\d.,%]+", word) \
            or _ZH_DEICTIC.fullmatch(word) or _ZH_COUNTED.fullmatch(word):
        return "function"
    return "content"


def _asked_zh(question: str) -> Asked:
    text = _ZH_AGGREGATE.sub("，", index_form(question))  # "营收加起来一共多少": 营收 | … (a sum of it is asked)
    text = _ZH_WHEN_WORD.sub(r" \g<0> ", text)  # "哪年融的": 哪年 | 融, not 哪 | 年融 as the segmenter would cut it
    text = _SPLIT_VERB.sub(r"\1\3", text)  # "融过资": 融资 (a verb-object word with its aspect marker inside)
    text = _WHICH_ONE.sub("哪个 ", text)  # "在深圳的哪一区": 哪个 | 区, not 哪 | 一区
    text = _PRECISION_ZH.sub("", text)  # "成立时间，要具体到年月": how precise, not what
    text = _ZH_SOURCE.sub("，", text)  # "财报上2023年营业收入是多少": the revenue
    text = _ZH_HOW_MUCH.sub("多少", text)  # "财报是几亿元": how much
    text = _PEOPLE_COUNTED.sub(r"\1人", text)  # "占多少个人": how many people (个 a classifier), not 个人 (personal)
    text = _ZH_AND_CHAR.sub("、", text)  # "金额及领投机构": 金额 | 领投机构, not 金额 | 及领 | 投 | 机构
    words = _rounds_whole([w for w in _jieba().lcut(text) if w.strip()])
    kinds = [_kind_zh(w) for w in words]
    for i in range(1, len(words)):  # a word for the client counted is what is counted ("有多少个客户": its customers)
        counted = words[i - 1] in _ZH_COUNT or _ZH_COUNTED.fullmatch(words[i - 1]) \
            or words[i - 1] in _ZH_CLASSIFIERS and i > 1 and words[i - 2] in _ZH_COUNT
        if kinds[i] == "client" and words[i] in _ZH_COUNTABLE and counted:
            kinds[i] = "content"
    for i in range(1, len(words)):  # a character jieba left alone after a word is the rest of it (台积|电)
        if kinds[i] == "function" and kinds[i - 1] == "content" and len(words[i]) == 1 and words[i] not in _ZH_FUNCTION \
                and re.match(r"[\u3400-\u9fff]", words[i]):
            kinds[i] = "content"
    end = max((i for i, k in enumerate(kinds) if k == "content"), default=-1)
    if end < 0:
        return Asked(lang="zh")
    start = end
    while start > 0 and kinds[start - 1] == "content":
        start -= 1
    when = max((i for i in range(start) if words[i] in _ZH_WHEN or words[i - 1:i + 1] == ["什么", "时候"]), default=-1)
    before = [i for i in range(when) if kinds[i] == "content"]
    if when >= 0 and before:  # "证书是什么时候核发的": the date of what is asked, the verb after says which date
        verb = tuple(words[start:end + 1])
        end = start = before[-1]
        while start > 0 and kinds[start - 1] == "content":
            start -= 1
        return _owned(words, kinds, start, tuple(words[start:end + 1]), verb)
    run = tuple(words[start:end + 1])
    if _MODAL_VERB.fullmatch(run[-1]):  # "(证书)能管几年": how long it lasts, a verb asked of what is before it
        run = run[:-1]
        if not run:
            return Asked((), (), "zh")
        end -= 1
    if len(run) == 1 and _aspect_marked(run[0], words[end + 1:]):
        # "A轮一共募到多少钱", "融了多少": an amount of the verb is asked, as "how much did it raise": no attribute is
        # named; the phrase before it is whose (its subject: "比亚迪一共募到多少钱"), read as the owner
        subject = [i for i in range(start) if kinds[i] == "content"]
        first = subject[-1] if subject else 0
        while subject and first > 0 and kinds[first - 1] == "content":
            first -= 1
        return Asked((), tuple(words[first:subject[-1] + 1]) if subject else (), "zh")
    if len(run) > 1 and len(run[0]) > 1 and run[0][-1] in "过了":
        # "之前拉过投资没有": a verb with its aspect marker, then what it acts on: the noun is the attribute
        run, start = run[1:], start + 1
    after_which = end > start > 0 and words[start - 1] in _ZH_WHICH
    head = run[1:] if after_which else run  # "哪家机构领投": the noun is what answers, the verb is asked
    alt = run if after_which else ()        # "哪个融资阶段": or the whole phrase is
    return _owned(words, kinds, start, head, alt)


# a modal and a one-character verb read as one word ("能管", "可用", "能贷"): a verb (not 能源, 能力, 会计, 可能)
_MODAL_VERB = re.compile(r"[能可][管用贷借拿批做享领]")


def _aspect_marked(word: str, after: list[str]) -> bool:
    """A verb asked for an amount: marked as a verb by its complement or aspect (募到, 融了, 花过: 到 / 了 / 过 in it
    or right after it), with how much or how many after it."""
    marked = len(word) > 1 and word[-1] in "到了过" or after[:1] in (["了"], ["过"], ["到"])
    return marked and any(w in _ZH_COUNT for w in after)


def _shared_zh(question: str) -> tuple[str, ...]:
    """What a share asked in Chinese is a share of: the first phrase of "A(在B里)占(B的)几成 / 比例" (A)."""
    text = index_form(question)
    if "占" not in text:
        return ()
    words = [w for w in _jieba().lcut(text.split("占")[0]) if w.strip()]
    run: list[str] = []
    for w in words:
        if _kind_zh(w) == "content":
            run.append(w)
        elif run:
            break
    return tuple(run)


def _rounds_whole(words: list[str]) -> list[str]:
    """A funding round named by its letter is one word ("a轮", "pre-a轮", "b+轮"), not a letter and 轮."""
    out: list[str] = []
    for w in words:
        if w in ("轮", "輪") and out[-1:] == ["+"] and len(out) > 1 and re.fullmatch(r"(?:pre-?)?[a-f]", out[-2]):
            out[-2:] = [f"{out[-2]}+轮"]
        elif w in ("轮", "輪") and out and re.fullmatch(r"(?:pre-?)?[a-f]\+?", out[-1]):
            out[-1] += "轮"
        else:
            out.append(w)
    return out


def _owned(words: list[str], kinds: list[str], start: int, head: tuple[str, ...], alt: tuple[str, ...]) -> Asked:
    """The attribute read at words[start:], with its owner: "X(去年)的<head>": X owns it, and "X有多少<head>"
    ("华为有多少项专利"): X has it."""
    i = start - 1
    j = i
    while j >= 0 and (words[j] in _ZH_COUNT or words[j] in _ZH_CLASSIFIERS):
        j -= 1
    if i > j >= 1 and words[j] in ("有", "拥有", "共有"):  # "X有多少项<head>": the subject of 有 owns it
        i = j - 1
    while i >= 0 and (words[i] == "的" or kinds[i] == "period"):  # "X(去年)的<head>": X owns it
        i -= 1
    if i >= 0 and words[i] in _ZH_HOLD:  # "极光目前持有的发明专利": a verb of holding before 的, its subject owns it
        i -= 1
        while i >= 0 and kinds[i] in ("function", "period"):
            i -= 1
    if i < 0 or kinds[i] != "content":
        return Asked(head, (), "zh", alt)
    owner_end = i
    while i > 0 and kinds[i - 1] == "content":
        i -= 1
    return Asked(head, tuple(words[i:owner_end + 1]), "zh", alt)


def _asked_en(question: str, terse: bool = False) -> Asked:
    text = _YEAR_SHORT.sub("year", index_form(question).replace("’", "'"))  # "what yr did it start"
    when = _EN_WHEN.match(text)
    if when is not None:
        return _asked_when_en(when.group(1), when.group(2))
    anchor = _EN_ANCHOR.search(text)
    if anchor is None:
        return _asked_terse_en(text) if terse else Asked(lang="en")
    words = _EN_WORD.findall(text[anchor.end():])
    if words[:1] and words[0] in _EN_VERB_FIRST:  # "how much did the company spend": a verb is asked, no attribute
        # named; a subject other than the client ("how much did total assets grow", "how much did BYD spend")
        # is whose figure it is, or what is measured: read as the owner (held only when the profile names it)
        rest = list(itertools.takewhile(lambda w: w not in _EN_END and not re.fullmatch(r"[\d-]+", w),
                                        (w for w in words[1:] if w not in _EN_DET)))
        subject = rest[:-1]  # its last word is the verb
        client = bool(subject) and (subject[0] in _EN_SKIP or subject[0].endswith("'s") and subject[0][:-2] in _EN_SKIP)
        return Asked(owner=tuple(subject) if subject and not client else (), lang="en")
    i = 0
    while i < len(words) and (words[i] in _EN_SKIP or words[i].endswith("'s") and words[i][:-2] in _EN_SKIP):
        i += 1
    head: list[str] = []
    while i < len(words) and words[i] not in _EN_END and not _EN_PERIOD_TOKEN.fullmatch(words[i]) \
            and not (head and (words[i].endswith("ed") or words[i] in IRREGULAR_PAST)):  # "which investors backed
        #                                                     it", "which investor took the lead": the verb ends it
        head.append(words[i])
        i += 1
    owner: list[str] = []
    alt: list[str] = []
    if head and words[i:i + 1] and words[i] in _EN_AUX and words[i + 1:i + 2] != ["not"]:  # "what revenue did its
        # rival report": the subject owns it ("how many employees are not R&D engineers": a predicate, no subject)
        rest = list(itertools.takewhile(lambda w: w not in _EN_END or w in _EN_VERB_FIRST,
                                        (w for w in words[i + 1:] if w not in _EN_DET)))
        client = bool(rest) and (rest[0] in _EN_SKIP or rest[0].endswith("'s") and rest[0][:-2] in _EN_SKIP)
        perfect = bool(rest) and words[i] in ("has", "have", "had") and _participle(rest[0])  # "which funds have backed it"
        if rest and not client and not perfect:
            owner = rest[:-1]  # its last word is the verb
        if anchor.group(0) == "how much" and rest:  # "how much capital has it raised": the verb says what is measured
            alt = rest[1:2] if client else rest[-1:]
        elif len(rest) == 2 and rest[0] in _EN_SKIP and not rest[0].endswith("'s") \
                and re.search(rf"\b{re.escape(rest[1])} (?:in|at|on|from|to|for|with|into)\W*$", text):
            alt = rest[-1:]  # "what province is the firm based in": the place or field where the client does what
            #                  its verb says (its preposition left at the end); not a thing of the client's ("did the
            #                  company's Series A close at"), nor what it makes or pays ("what margin does it make")
    if len(head) == 1 and words[i:i + 1] == ["of"]:  # "the size of its Series A": a measure of what follows
        rest = [w for w in words[i + 1:] if w not in _EN_SKIP and not w.endswith("'s")]
        alt = list(itertools.takewhile(lambda w: w not in _EN_END and not w.endswith("ed"), rest))
    return Asked(tuple(head), tuple(owner), "en", tuple(alt))


def _asked_terse_en(text: str) -> Asked:
    """A question typed as a bare noun phrase ("client reg capital?", "accel's stake in the company post series a?"):
    the phrase is what is asked, up to a period or a preposition (a possessive in it stays, as after "what is").
    A sentence with a verb, a question word or a person in it ("could you…", "who's leading…", "I need…") is not
    one: nothing is read from it."""
    words = _EN_WORD.findall(text)
    if not words or len([w for w in words if not _PERIOD_WORD.fullmatch(w)]) > _TERSE_MAX \
            or any(w in _NOT_TERSE or w.split("'")[0] in _NOT_TERSE for w in words):
        return Asked(lang="en")
    i = 0
    while i < len(words) and (words[i] in _EN_SKIP or words[i].endswith("'s") and words[i][:-2] in _EN_SKIP):
        i += 1
    # up to a preposition; a period ("nw fy23 rev growth yoy") parts the phrase, and its longest part (the last of
    # equals) is what is asked: "net profit 2021+2022+2023 combined" asks the net profit
    runs: list[list[str]] = [[]]
    for w in itertools.takewhile(lambda w: w not in _EN_END and w not in ("vs", "versus"), words[i:]):
        if _PERIOD_WORD.fullmatch(w):
            runs.append([])
        else:
            runs[-1].append(w)
    longest = max(range(len(runs)), key=lambda k: (len(runs[k]), k))  # the last of equals
    return Asked(tuple(runs[longest]), (), "en")


# a bare noun phrase is short (periods apart), and holds no verb of asking, no person and no auxiliary
_TERSE_MAX = 8
_PERIOD_WORD = re.compile(r"[\d+-]+|fy\d*|q[1-4]|h[12]")
# a figure or a period written as one word ("2023", "end-2023", "year-end-2023", "fy2023", "mid-2022"): the attribute's
# phrase ends before it
_EN_PERIOD_TOKEN = re.compile(r"[\d-]+|(?:(?:year-)?end|ye|mid|start|early|late|fy|cy)-?\d{2,4}|\d{2,4}-?(?:end|ye)")
_NOT_TERSE = frozenset("""
who whos whose whom what where wheres when why how
you me i we us my please pls plz need needs want wants show give tell list pull check get find send share explain
compare can could would will should shall may might must is are was were be does do did has have had let lets
round change set make bump update edit write put help
""".split())  # noqa: SIM905


# "when did the company raise its Series A", "when was its HNTE certificate issued": the clause up to its end
_EN_WHEN = re.compile(r"\s*(?:since )?when\s+(did|does|do|was|were|is|are|has|have|had|will)\s+([^,.;?!]*)")
_EN_PARTICLES = frozenset("up out off down over back away in on".split())  # noqa: SIM905
_EN_CLIENT = ("it", "they", "the company", "the firm", "the client", "the business", "the enterprise", "the startup")


def _asked_when_en(aux: str, clause: str) -> Asked:
    """What a "when" question dates: the object when the client is the subject ("when did the company raise its
    Series A": its Series A), else the subject ("when was its HNTE certificate issued": the certificate). The
    verb is the word after the client, or the last word of the clause."""
    clause = re.split(r"\s+(?:and|or|but)\s+", clause.strip(), maxsplit=1)[0]
    words = _EN_WORD.findall(clause)
    client = next((c for c in _EN_CLIENT if clause == c or clause.startswith(c + " ")), None)
    if client is not None:
        rest = words[len(client.split()) + 1:]  # after the client and its verb
        head = [w for w in itertools.takewhile(lambda w: w not in _EN_END, rest) if w not in _EN_DET]
        return Asked(tuple(head) if set(head) - _EN_PARTICLES else (), (), "en")  # "set up": the verb's particle
    head = [w for w in words[:-1] if w not in _EN_DET] if len(words) > 1 else []
    return Asked(tuple(itertools.takewhile(lambda w: w not in _EN_END, head)), (), "en")


def _participle(word: str) -> bool:
    """A past participle: "have backed", "has led", "had raised" (a verb after the auxiliary, not its subject)."""
    return word.endswith("ed") or word in {"led", "held", "won", "made", "paid", "spent", "built", "given", "taken", "grown",
                                           "risen", "sold", "bought", "brought", "got", "gotten", "done", "been", "had"}


def attribute_held(question: str, vocabulary: frozenset[str] | set[str], terms: Callable[[str], Iterable[str]],
                   head_close: Callable[[str], float], owner_close: Callable[[str], float],
                   shares_answered: bool = False, dated: frozenset[str] | set[str] = frozenset(),
                   whole: bool = True) -> bool:
    """Whether the attribute the question asks for is one the answered fields hold (see the module
    doc). `vocabulary`: the fields' terms (as `terms` writes them); `head_close`: a phrase's best
    cosine to the answered fields' names; `owner_close`: to any profile field's name;
    `shares_answered`: some answered field is a ratio. A head that only names a share ("what
    percentage of its revenue goes to R&D") is held by such a field when what it is a share of, the
    noun after "of", is in the vocabulary: the words after that noun say how, not what. A date asked
    ("证书是哪一天核发的") is held only by the answered fields that hold dates (a founding date,
    certificates, funding rounds): `dated` is their vocabulary, and the thing dated must be in it; a
    count of patents does not say when one was granted. `whole`: the question is all that was asked (not one
    sentence of it): a bare noun phrase then asks that phrase (asked(terse=True))."""
    sentences = _sentences_asking(question)
    if sentences != [question]:
        # of questions asked in several sentences, one that names an attribute the fields hold is answered (a sentence
        # beside it that confirms or narrows, "我理解的是2019年，对吗？具体几月份？", or asks what the profile does not hold,
        # goes unanswered, not the whole); a sentence naming none ("派了多少？") leans on the one before it. A statement
        # beside them asks nothing
        naming = [c for c in sentences if _names_attribute(c)]
        if not naming:
            return all(attribute_held(c, vocabulary, terms, head_close, owner_close, shares_answered, dated, False)
                       for c in sentences)
        return len(sentences_not_held(question, vocabulary, terms, head_close, owner_close, shares_answered, dated)) \
            < len(naming)
    if _held(question, vocabulary, terms, head_close, owner_close, shares_answered, dated, whole):
        return True
    # one sentence asking two things ("哪年成立的，总部在哪"): held when each clause that asks is
    clauses = asking_clauses(question)
    return clauses != [question] and all(_held(c, vocabulary, terms, head_close, owner_close, shares_answered, dated)
                                         for c in clauses)


def sentences_not_held(question: str, vocabulary: frozenset[str] | set[str], terms: Callable[[str], Iterable[str]],
                       head_close: Callable[[str], float], owner_close: Callable[[str], float],
                       shares_answered: bool = False, dated: frozenset[str] | set[str] = frozenset()) -> list[str]:
    """Of a question asked in several sentences, those that name an attribute the answered fields do not hold (as
    `attribute_held` reads each): an answer from the fields leaves them unanswered and says so. [] for a question of one
    sentence."""
    sentences = _sentences_asking(question)
    if sentences == [question]:
        return []
    return [c for c in sentences if _names_attribute(c)
            and not attribute_held(c, vocabulary, terms, head_close, owner_close, shares_answered, dated, False)]


def _names_attribute(sentence: str) -> bool:
    """The sentence names an attribute: a head with a word besides those saying how it is recorded ("派了多少？",
    "具体几月份？" name none: they lean on the sentence before)."""
    return any(w not in _GENERIC for w in asked(sentence).head)


def _sentences_asking(question: str) -> list[str]:
    """The sentences of a question that ask what `attribute_held` reads: each asking sentence, or, where whether two
    sources agree is asked, the figure it is asked of."""
    sentences = asking_clauses(question, within=False)
    if sentences != [question] and all(_AGREE.search(index_form(c)) for c in sentences):
        # only whether the sources agree is asked ("BP说营收1.3亿。这个说法跟财务报表对得上吗？"): of the figure the
        # sentences beside it state; when they only ask to set the figures out ("请分别列明"), of the one it is asked of
        stated = [p.strip() for p in _SENTENCE.findall(question) if p.strip() and not _AGREE.search(index_form(p))
                  and not _SET_OUT.fullmatch(index_form(p.strip()))]
        sentences = stated or [f for c in sentences for f in _figure_of(c)]
    elif sentences == [question] and _AGREE.search(index_form(question)) and len(figure := _figure_of(question, False)) == 1:
        # one sentence: the figure in a clause of its own, before the sources it is set against ("2023年营业收入，商业计划书
        # 与财务报表所载是否一致？")
        sentences = figure
    if len(sentences) > 1 and any(_AGREE.search(index_form(c)) for c in sentences):
        # "…营业收入是多少？两份材料一致吗": whether the sources agree is shown by the figure's answer (each source's
        # figure beside the one chosen when they differ); the figure asked is the attribute. A request to set the figures
        # out ("请分别列明") names none: then the figure is the one the agreement is asked of ("商业计划书所载营业收入与
        # 财务报表所列数据是否一致": 营业收入, before what it is set against)
        kept = [c for c in sentences if not _AGREE.search(index_form(c)) and not _SET_OUT.fullmatch(index_form(c.strip()))]
        sentences = kept or [f for c in sentences if _AGREE.search(index_form(c)) for f in _figure_of(c)]
    return sentences


def _figure_of(sentence: str, compared: bool = True) -> list[str]:
    """The part of a sentence asking whether sources agree that names the figure: its clauses that do not ask it (nor
    only ask to set the figures out), or, `compared`, where it has none, what comes before what the figure is set
    against ("商业计划书所载营业收入与财务报表所列数据是否一致": the first)."""
    clauses = [c.strip(" ，,；;") for c in re.split(r"[，,；;]", sentence) if c.strip(" ，,；;？?。")]
    own = [c for c in clauses if not _AGREE.search(index_form(c)) and not _SET_OUT.fullmatch(index_form(c))]
    if own and len(clauses) > 1:
        return own
    return [_COMPARED.split(_AGREE.sub(" ", index_form(sentence)))[0]] if compared else []


def _held(question: str, vocabulary: frozenset[str] | set[str], terms: Callable[[str], Iterable[str]],
          head_close: Callable[[str], float], owner_close: Callable[[str], float],
          shares_answered: bool, dated: frozenset[str] | set[str], terse: bool = False) -> bool:
    """attribute_held for one clause that asks (`terse`: read as a bare noun phrase when it is one)."""
    a = asked(question, terse)
    if a.when:  # a head of no content word ("A轮": a round's code), or of words that only say how it is recorded
        # ("具体几月份": exactly which month), names no other thing: any dated field answers
        named = a.head if any(terms(w) for w in a.head if w not in _GENERIC) else ()
        return any(_met(h, dated, terms) for h in (named, a.alt) if h) or not named and bool(dated)
    if a.owner and not _EN_SOURCE.search(" ".join(a.owner)) and not _met(a.owner, vocabulary, terms) \
            and owner_close(a.phrase(a.owner)) < OWNER_CLOSE:  # ("what does the P&L show": where, not whose)
        return False  # another firm's (or person's) attribute: the client's figure does not answer it
    if not a.head or all(w in _GENERIC for w in a.head):  # (words that only say how it is recorded or on what basis,
        # "两个口径分别是多少", name no attribute: the one the fields were chosen for is asked)
        return True
    shared = a.alt or (_shared_zh(question) if a.lang == "zh" else ())
    if shares_answered and not shared and all(w in _GENERIC or measure_asked(w) == "share" for w in a.head):
        return True  # a share alone, of nothing named ("涨了百分之几"): the ratio the fields were chosen for is asked
    if shares_answered and len(a.head) == 1 and measure_asked(a.head[0]) == "share" and shared \
            and _met(shared[:1], vocabulary, terms):
        return True
    return any(_met(h, vocabulary, terms) or head_close(a.phrase(h)) >= HEAD_CLOSE for h in (a.head, a.alt) if h)


# a sentence that asks: it ends in a question mark or holds an interrogative word; one that does neither
# ("我要填授信申请表。") is said beside the question, not asked
# a sentence ends at Chinese stops, question and exclamation marks, and at an English full stop before a capital
_SENTENCE = re.compile(r"(?:[^。？?！!；;.]|\.(?!\s+[A-Z]))+[。？?！!；;.]*")
# 几 / 何 ask, but not inside 几乎 (almost), 任何 (any) or 何况 (let alone)
_ASKS = re.compile(r"[?？]\s*$|什么|什麼|多少|哪|几(?!乎)|幾(?!乎)|谁|誰|吗|嗎|呢|是否|如何|怎|(?<!任)何(?!况|況)|有没有|有沒有"
                   r"|\b(?:what|which|who|whom|whose|when|where|why|how)\b"
                   r"|^\s*(?:is|are|was|were|do|does|did|has|have|had|can|could|will|would|should)\b", re.IGNORECASE)
# a request is an ask when it names what it asks for: "pls pull the HNTE cert number", "帮我查一下注册地址" (not a
# courtesy alone: "麻煩幫我確認一下", "pls confirm")
_REQUEST = re.compile(r"^\s*(?:(?:pls|plz|please|kindly)\s+)?(?:pull|give|send|show|tell|list|get|find|fetch|check|confirm|"
                      r"look up|share|provide|summari[sz]e|walk me through)\b(?:\s+(?:me|us))?"
                      r"|^\s*(?:请|請|麻烦|麻煩|帮我|幫我|帮忙|幫忙|给我|給我)[^，,。；;]{0,8}?"
                      r"(?:查|发|發|给|給|找|列|提供|确认|確認|说|說|拉|调|調|整理|算|计算|計算|比较|比較|对比|對比)(?:一下|下|一下子)?",
                      re.IGNORECASE)


# inside a sentence, where one ask ends and another may begin: a comma between clauses, optionally followed by
# "and" / 还有 / 以及 / 另外 / 并且; English "and" before a question word
_CLAUSE_BREAK = re.compile(r"(?<=[,，:：])\s*(?:and\s+|also\s+|还有|以及|另外|并且|並且|還有)?|"
                           r"\s+(?:and|\+|&)\s+(?=(?:how|what|which|when|where|who|whether|is|are|does|do|did|has|have|any)\b)",
                           re.IGNORECASE)


# which document says what the rest asks ("which doc says so?", "出处写清楚"): every answer cites its source, so the
# clause asks nothing the answer's citations do not already give
_SOURCE_ASKED = re.compile(r"\b(?:which|what) (?:doc|document|file|source|filing|report)s?\b[^?.;]{0,24}\b(?:say|says|said|show|"
                           r"shows|state|states|mention|mentions)(?: (?:so|that|this|it))?\s*\??\s*$|"
                           r"\bwhere (?:does|did) (?:it|that|this) (?:say|come from)\b|^\s*(?:sources?|which doc)\s*\?\s*$|"
                           r"出处|出處|(?:哪份|哪个|哪個)(?:文件|材料|资料|資料|文档|文檔)(?:上|里|裡|中)?(?:写|寫|说|說|提到|显示|顯示)的",
                           re.IGNORECASE)


# a clause opening on its reason ("因为…", "由于…", "because …"): it says why, it asks nothing unless it ends on a question mark
_BECAUSE = re.compile(r"^(?:因为|因為|由于|由於|because\b|cos\b|cuz\b)", re.IGNORECASE)


def asks(clause: str) -> bool:
    """Whether a clause asks (a question word, a question mark at its end, a verb first in English, a request: "pls pull
    …", "帮我查一下…"); not one asking only which document says so (its citations tell)."""
    clause = clause.strip()
    if _SOURCE_ASKED.search(clause):
        return False
    if _BECAUSE.match(clause) and not re.search(r"[?？]\s*$", clause):
        return False  # a reason given ("因為有幾個南山區嘅scheme要check地域門檻"): why the asker asks; 几个 there is "several"
    if _ASKS.search(clause):
        return True
    request = _REQUEST.search(clause)
    if request is None:
        return False
    # what the request names, up to its clause's end ("麻煩幫我確認一下，我要填授信報告": nothing; "算一下实际增长率": a change)
    named = re.split(r"[，,。；;？?！!]", clause[request.end():], maxsplit=1)[0]
    return names_something(named) or change_asked(named)


def asking_clauses(question: str, within: bool = True, topics: bool = False) -> list[str]:
    """The sentences of a question that ask ("客户的全称叫什么？我要填申请表。": the first; "它A轮是谁领的？还有谁跟了？":
    both), and inside a sentence the clauses that each ask ("哪年成立的，总部在哪", "How many staff does it have, and
    how many are R&D?": both; "我在填授信申请表，信用代码是多少？": the second; `within` False: whole sentences
    only); [question] when it is one clause or none of its clauses asks. `topics`: a clause that asks nothing stays
    with the asking clause after it (or, last in its sentence, before it): "极光的研发花费，2023年跟2021年比多了多少" is
    one ask, of the R&D expense."""
    parts: list[str] = []
    for p in _SENTENCE.findall(question):
        if not p.strip(" 。？?！!；;"):
            continue
        pieces = [c.strip(" ,，") for c in (_CLAUSE_BREAK.split(p) if within else [p]) if c.strip(" ,，。？?！!；;")]
        parts += _with_topics(pieces) if topics else pieces
    asking = [p.strip() for p in parts if asks(p)]
    return asking if len(parts) > 1 and asking else [question]


def coordinated(question: str) -> list[str]:
    """The conjuncts of a question joined by "and", "plus", "+", 和, 及, 以及, 与 or 、 ("FY23 vs FY22 revenue and total
    headcount": "FY23 vs FY22 revenue", "total headcount"), each naming something beyond periods; [question] when
    none joins two such."""
    if _CJK.search(question):
        pieces: list[str] = []
        current: list[str] = []
        for word in _jieba().cut(_ZH_AND_CHAR.sub("、", question)):
            if word in _ZH_AND or word.lower() in _EN_AND_WORDS:  # (code-switched: "那家 - total employees and …")
                pieces.append("".join(current))
                current = []
            else:
                current.append(word)
        pieces.append("".join(current))
    else:
        pieces, start = [], 0
        for m in _EN_AND.finditer(question):
            # periods set side by side ("FY23 vs FY22 revenue") are one attribute's; things are two ("R&D staff vs headcount")
            if _VERSUS.fullmatch(m.group(0).strip()) and (_PERIOD_END.search(question[:m.start()])
                                                          or _PERIOD_START.match(question[m.end():])):
                continue
            pieces.append(question[start:m.start()])
            start = m.end()
        pieces.append(question[start:])
    pieces = [p.strip(" ,，?？") for p in pieces]
    # each names something of its own: years joined ("revenue for 2022 and 2023 in total") are one attribute's
    return pieces if len(pieces) >= 2 and all(map(names_something, pieces)) else [question]


def attribute_list(question: str) -> tuple[str, list[str]]:
    """A question that lists the attributes it asks ("Northwind basics: HQ, founding year, what they sell", "极光的基本情况：
    成立时间、总部、主营业务", "What are its revenue, headcount and R&D spend?"): (the heading the list is of, the items), the
    heading the words before a colon or a dash that sets the list off ("" when none). ("", []) unless it lists two
    items or more, each after the first short (six English words, ten Chinese characters at most: a clause is no item),
    and none a question of its own."""
    text = question.strip().rstrip("?？。.!！ ")
    zh = bool(_CJK.search(text))
    m = (_LIST_HEAD_ZH if zh else _LIST_HEAD_EN).match(text)
    # (a Chinese comma parts items only under a heading: without one it parts clauses, "季度数据里，23Q4人头多少，…")
    head_sep = _LIST_ZH_HEADED if zh else _LIST_EN
    head, rest = (m.group(1).strip(), m.group(2)) if m and head_sep.search(m.group(2)) else ("", text)
    sep = (_LIST_ZH_HEADED if head else _LIST_ZH) if zh else _LIST_EN
    items = [_ENUMERATOR.sub("", i).strip(" ,，;；") for i in sep.split(rest) if _ENUMERATOR.sub("", i).strip(" ,，;；")]
    if len(items) < 2 or re.search(r"[?？。!！]", rest) or zh and any(asks(i) for i in items[1:]):
        return "", []
    if any(_ONLY_A_YEAR.fullmatch(i.strip()) for i in items[1:]):  # "its net profit in 2022 and 2023": years of one
        return "", []  #                                                     attribute, no list ("which year" is an item)
    short = (lambda i: len(re.findall(r"[\u4e00-\u9fff]", i)) + len(re.findall(r"[A-Za-z0-9]+", i)) <= 10) if zh \
        else (lambda i: len(i.split()) <= 6)
    return (head, items) if all(map(short, items[1:] if not head else items)) else ("", [])


_ONLY_A_YEAR = re.compile(r"(?:(?:in|for|of|the|fy)\s*)*'?(?:19|20)?\d\d\s*(?:年度?|年末|年底)?", re.IGNORECASE)
# a list set off by a colon or a dash after its heading, and the marks between its items
_LIST_HEAD_EN = re.compile(r"^(.*?)(?::|\s[-–—]+\s)(.*)$")
_LIST_HEAD_ZH = re.compile(r"^(.*?)(?:：|——|:|\s[-–—]+\s)(.*)$")
_LIST_EN = re.compile(r"\s*[,;]\s*(?:and\s+|&\s+)?|\s+(?:and|plus|&)\s+|\s*\+\s*")
# an item's number or letter in a list ("(a) total employees; (b) R&D engineers", "1. revenue", "①")
_ENUMERATOR = re.compile(r"^\s*(?:\(?[a-hA-H1-9]\)|[1-9][.、]|[①-⑨]|[（(][一二三四五六七八九][）)]|[一二三四五六七八九]、)\s*")
_LIST_ZH = re.compile(r"[、+]|以及|还有|還有|和|及|与|與")
_LIST_ZH_HEADED = re.compile(rf"[，,]|{_LIST_ZH.pattern}")  # (under a heading, a comma parts items too)


def leaning_joined(parts: list[str], periods_stand: bool = False) -> list[str]:
    """The asking parts, each that names nothing of its own ("how much was it?", "when?") joined to the part before it:
    it asks of what that part named. `periods_stand`: a part naming a period ("2022年又係幾多？") stays a part, the
    same attribute for another period, to be read as a follow-up of the part before."""
    out: list[str] = []
    for part in parts:
        if out and not names_something(part) and not (periods_stand and (years_asked(part) or sub_year_asked(part))):
            out[-1] = f"{out[-1]} {part}"
        else:
            out.append(part)
    return out


def names_something(text: str) -> bool:
    """The text holds a content word beyond periods, counts, question words, the document a figure is read from and
    the words asking a change ("revenue for 2022" does; "2023 in total" and "按利润表算出来增长率是多少" do not: a growth
    asked of the source names no thing of its own)."""
    text = _SOURCE_NAMED.sub(" ", _PERIODS.sub(" ", whole_years(index_form(text))))
    if _CJK.search(text):
        return any(w.strip() and _kind_zh(w) == "content" and w not in _GENERIC and w not in _COMPARING and not _changed(w)
                   and _CJK.search(w)
                   or re.fullmatch(r"[A-Za-z&]{2,}", w.strip()) and w.lower() not in _EN_FUNCTION and not _changed(w)
                   and w.lower() not in _COMPARING
                   for w in _jieba().cut(text))
    text = _CLIENT_NOUN_OWNED.sub(r"\1 \2_", _CHANGE_RATE.sub(" ", text))  # "its business" is what it does, not the client
    return any(w not in _EN_FUNCTION and w not in _GENERIC and w not in _EN_PREPOSITIONS and w not in _COMPARING
               and not _changed(w) for w in re.findall(r"[a-z&_]{2,}", text))


def _changed(word: str) -> bool:
    """A word asking a change and nothing else (增长率, 增速, 同比, growth): of what, another word says."""
    return len(word) <= 6 and change_asked(word)


# words that set figures side by side ("23年对比一下", "both absolute figures", "the growth between them"): how the
# attribute named elsewhere is shown, not another one
_COMPARING = frozenset("""
对比 比较 相比 对照 比一比 比下 比一下 compare compared comparing comparison against both absolute them figures numbers
amounts side
""".split())  # noqa: SIM905
# the documents a figure is read from ("按利润表算", "per the BP"): where, not what
_SOURCE_NAMED = re.compile(rf"{_ZH_DOCUMENTS}|\b(?:income statements?|p&l|profit and loss|balance sheets?|cash[- ]flow "
                           r"statements?|financials|business plan|annual report)\b")
_CHANGE_RATE = re.compile(r"\b(?:growth|change) rate\b")  # how fast, of what another word says
# a word for the client owned by a possessive ("what is its business", "their company's business"): a thing of the client
_CLIENT_NOUN_OWNED = re.compile(r"\b(its|their|\w+'s)\s+(business|enterprise)\b")


_PERIODS = re.compile(r"\b(?:fy|cy|q[1-4])?\s*'?(?:19|20)\d\d\b|(?:19|20)\d\d\s*(?:财|財)?年度?|\bvs\.?|\bversus\b", re.IGNORECASE)
_EN_PREPOSITIONS = frozenset("in for of on at to from by over across between".split())  # noqa: SIM905
_VERSUS = re.compile(r"vs\.?|versus", re.IGNORECASE)
_PERIOD_END = re.compile(r"(?:\b(?:fy|cy|q[1-4]|h[12])\s*'?\d{2,4}|\b(?:19|20)\d\d|\b(?:fy|cy)\d{2})\s*$", re.IGNORECASE)
_PERIOD_START = re.compile(r"\s*(?:(?:fy|cy|q[1-4]|h[12])\s*'?\d{2,4}|(?:19|20)\d\d)\b", re.IGNORECASE)
_EN_AND = re.compile(r"\s+(?:and|plus|as well as|&|vs\.?|versus)\s+|\s*\+\s*", re.IGNORECASE)
_EN_AND_WORDS = frozenset({"and", "plus"})
_ZH_AND = frozenset({"和", "及", "以及", "与", "與", "、", "还有", "還有"})  # (跟 is mostly "with": 跟利润表对得上吗)
# 及 joining two words, which the segmenter may fuse with the word after it ("金额及领投机构": 及领 | 投); not inside a
# word (以及, 涉及, 普及, 及时, 及格 …)
_ZH_AND_CHAR = re.compile(r"(?<=[\u4e00-\u9fff])(?<![以涉普危波顾不来])及(?![时格早])(?=[\u4e00-\u9fff])")


def sources_compared(question: str) -> bool:
    """The question asks whether two sources agree on a figure ("BP写营收1.3亿，跟财报对得上吗", "does that tie to the
    P&L?"): each source's figure answers it, beside what else it asks."""
    return _AGREE.search(index_form(question)) is not None


def _with_topics(clauses: list[str]) -> list[str]:
    """Each clause that asks nothing joined to the next asking one of its sentence (the last ones to the one before)."""
    out: list[str] = []
    pending: list[str] = []
    for clause in clauses:
        if not asks(clause):
            pending.append(clause)
            continue
        out.append(_join([*pending, clause]))
        pending = []
    if pending and out:
        out[-1] = _join([out[-1], *pending])
    return out or pending


_CJK = re.compile(r"[\u4e00-\u9fff]")


def _join(clauses: list[str]) -> str:
    return ("，" if any(_CJK.search(c) for c in clauses) else ", ").join(clauses)


# a funding round named by its code (one word, see _rounds_whole) and what it is a case of
_ROUND_CODE = re.compile(r"(?:pre-?)?[a-f]\+?轮")
_ROUND_NAMES = ("融资轮次", "funding round")


def _met(words: tuple[str, ...], vocabulary: frozenset[str] | set[str], terms: Callable[[str], Iterable[str]]) -> bool:
    """Every content word is in the vocabulary; a Chinese word also when one vocabulary word holds all
    its characters (融资轮次 meets 轮融)."""
    if not any(terms(w) or _ROUND_CODE.fullmatch(w) or w in _ZH_PLACE_LEVELS for w in words):
        return False  # only function words ("have"): nothing is named, so nothing is met
    for w in words:
        if w in _ZH_PLACE_LEVELS:  # a word of one character, no content term: the level itself is the vocabulary's
            if w in vocabulary:
                continue
            return False
        if _ROUND_CODE.fullmatch(w) and any(set(terms(r)) <= vocabulary for r in _ROUND_NAMES):
            continue  # a round named by its code ("A轮") is a funding round
        for t in terms(w):
            if t in vocabulary:
                continue
            if not t.isascii() and any(set(t) <= set(v) for v in vocabulary if not v.isascii()):
                continue
            if any(set(terms(e)) and set(terms(e)) <= vocabulary for e in load_glossary().expansions(w)):
                continue  # "HNTE" met by 高新技术企业 / high-tech enterprise: a concept in any of its names
            return False
    return True


# a field whose values summarise a family of fields (risk_signals: each risk flag found) is asked in their names too
_SUMMARISED = {"risk_signals": tuple(f for f in FIELDS if f.startswith("risk.")),
               "patents": tuple(f for f in FIELDS if f.startswith("patents."))}


def client_terms(terms: Callable[[str], Iterable[str]]) -> frozenset[str]:
    """The terms of the words a question calls the client by (客户, 这家, 他们): no attribute of it."""
    return frozenset(t for w in _ZH_CLIENT for t in terms(w))


def profile_vocabulary(intents: Intents, terms: Callable[[str], Iterable[str]],
                       only: Iterable[str] | None = None) -> frozenset[str]:
    """The words the profile is asked in: its fields' names (en, zh; a Chinese name also whole, so
    that a word made of its characters meets it) and its intents' exemplars. `only`: of these fields
    and the intents holding them."""
    chosen = set(only) if only is not None else None
    out: set[str] = set()
    client = client_terms(terms)
    for spec in intents.specs:
        if spec.route != "profile" or chosen is not None and not chosen & set(spec.fields):
            continue
        named = spec.fields if chosen is None else [f for f in spec.fields if f in chosen]
        for f in [*named, *(g for n in named for g in _SUMMARISED.get(n, ()))]:
            for lang in ("en", "zh"):
                out.update(terms(field_name(f, lang)))
            out.add(index_form(field_name(f, "zh")))
        for example in spec.examples:  # (the words an exemplar calls the client by, 客户 / 公司, are no attribute)
            out.update(t for t in terms(example) if t not in client)
        if {"region", "address"} & set(named):  # a place is asked by its levels ("在美国哪个州", "哪个区")
            out.update(_ZH_PLACE_LEVELS)
    return frozenset(out)


def named_group(question: str, fields: Sequence[str], groups: Sequence[Sequence[str]],
                terms: Callable[[str], Iterable[str]]) -> tuple[str, ...]:
    """The field group the question's attribute names by the fields' own names when the routed
    `fields` do not ("how much did total assets grow" routed to revenue: the assets); `fields` when
    the attribute is named by them, by several groups or by none (the router's reading stands). Of
    several amounts in the group, only the one the words name when they name one. The attribute is
    read from the sentence that asks when one does ("…全称叫什么？我要填授信申请表。": not the form)."""
    clauses = asking_clauses(question, within=False)
    a = asked(clauses[0], terse=True) if len(clauses) == 1 else asked(question)
    words = a.head or a.owner
    if "占" in words[1:]:  # "R&D费用占revenue多少": a share of the revenue, the R&D expense's; the whole is not named
        words = words[:words.index("占")]
    # "the R&D-to-revenue ratio": the R&D expense's ratio; the whole it is taken of is not the attribute
    words = tuple(w.split("-to-")[0] if "-to-" in w.strip("-") else w for w in words)
    if not words or len(words) == 1 and measure_asked(words[0]) == "share":  # "比例": a share of what the owner says
        return tuple(fields)
    # fields of two groups routed, the words naming one of them ("net income": the net profit, not revenue's growth beside
    # it): that group's
    by_name = [g for g in groups if any(_name_in(words, f, terms, glossary=True) for f in g if f in fields)]
    if len(by_name) == 1 and set(fields) - set(by_name[0]) and len(coordinated(question)) < 2:
        fields = tuple(f for f in fields if f in by_name[0])
    meeting = [g for g in groups if any(_name_in(words, f, terms) for f in g)]
    chosen = tuple(meeting[0]) if len(meeting) == 1 and not set(meeting[0]) & set(fields) else tuple(fields)
    if chosen != tuple(fields) and any(_name_in(tuple(_QUESTION_WORDS.findall(index_form(question))), f, terms)
                                       for f in fields):
        # the routed field is named outright too ("统一社会信用代码和注册地址给我"): both are asked
        chosen = (*fields, *(f for f in chosen if f not in fields))
    # of several amounts answered together (total assets, net profit), the one the words name
    amounts = [f for f in chosen if kind_of(f) == "money"]
    named = [f for f in amounts if _name_in(words, f, terms)]
    conjuncts = coordinated(question)
    if len(conjuncts) > 1:  # "2023年总资产和净利润": the amounts each conjunct names, when each names one
        heads = [a.head or a.owner for a in (asked(c, terse=True) for c in conjuncts)]
        by_head = [[f for f in amounts if _name_in(h, f, terms) or named_outright(" ".join(h), f)] for h in heads]
        named = [f for f in amounts if any(f in n for n in by_head)] if all(by_head) else []
    if len(amounts) >= 2 and len(named) == 1:
        return tuple(f for f in chosen if f not in amounts or f in named)
    return chosen


# a question's words for _name_in: Chinese runs whole (a field's Chinese name is met inside them), English words
_QUESTION_WORDS = re.compile(r"[\u3400-\u9fff]+|[a-z0-9&]+")


def _name_in(words: tuple[str, ...], field: str, terms: Callable[[str], Iterable[str]], glossary: bool = False) -> bool:
    """The words hold a name of the field whole: its Chinese name ("资产总额"), or every word of its
    English one ("total assets"); a word of a name ("费用" of 研发费用) is not the name. `glossary`: also another
    name the glossary gives the field's Chinese name ("net income" for 净利润)."""
    text = "".join(words)
    if index_form(field_name(field, "zh")) in text:
        return True
    english = {_singular(w) for w in re.findall(r"[a-z0-9&]+", field_name(field, "en").lower())}
    if english and english <= {_singular(w) for w in re.findall(r"[a-z0-9&]+", " ".join(words).lower())}:
        return True
    return glossary and index_form(field_name(field, "zh")) in {index_form(e) for e in load_glossary().expansions(" ".join(words))}


def _singular(word: str) -> str:
    return word[:-1] if len(word) > 3 and word.endswith("s") and not word.endswith("ss") else word

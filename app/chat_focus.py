"""Conversation state: what a follow-up refers to. "它" / "it" is the enterprise in focus (the
request's, else the conversation's); "那它还缺什么条件？" / "what is it still missing?" is about the
program or kind of program an earlier turn asked about.

The earlier turns are the request's own `messages` history when the client sends one, else the
stored conversation. Each earlier question is decided again by the same router (a question's
decision is deterministic, so this needs no extra stored state and works for clients that keep
their own history); the latest one that named a program, a kind or a profile topic is the focus."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from app.adapters.conversations import ConversationStore
from app.core.asked_period import quarter_asked, quarter_span, whole_years, years_asked
from app.core.own_name import as_the_company
from app.core.types import Principal

if TYPE_CHECKING:
    from app.chat import Chat

LOOK_BACK = 4  # earlier user questions considered, latest first


@dataclass(frozen=True)
class Focus:
    question: str = ""          # the earlier question the focus comes from
    intent: str = ""
    route: str = ""
    kind: str | None = None
    program: str | None = None  # a catalog program id


def earlier_questions(messages: Sequence[dict[str, str]], store: ConversationStore, tenant: str,
                      conversation_id: str | None) -> list[str]:
    """The user's questions before the last one, latest first: from the request, else stored."""
    asked = [m.get("content", "").strip() for m in messages if m.get("role") == "user"][:-1]
    if not asked and conversation_id:
        asked = [str(m["content"]) for m in store.history(tenant, conversation_id) if m["role"] == "user"]
    return [q for q in reversed(asked) if q][:LOOK_BACK]


def focus_of(chat: Chat, principal: Principal, questions: Sequence[str], has_enterprise: bool,
             program_named: Callable[[Chat, Principal, str], str | None], firm_names: Sequence[str] = ()) -> Focus:
    """The latest earlier question that named a program or a program kind; a question on the client's profile naming
    neither between them is passed over ("高企贷条件帮我过一下", "极光营收够吧", "研发占比呢", then "能贷几年": the loan is
    still what is asked about), and is the focus when no program or kind comes before it. Each is decided as the
    turn that asked it was: with the firm's own names (`firm_names`) read as "the company"."""
    router = chat.router()
    topic: Focus | None = None
    for q in questions:
        d = router.decide(as_the_company(q, *firm_names), has_enterprise)
        if d.intent.startswith("followup"):
            continue
        # a program named by its title in a match, a program or a comparison question ("深圳市知识产权质押融资贴息，
        # 它符合吗？" read as a comparison of one), in one read as out of scope (the chat answered it as the
        # program's: "帮我看看极光适不适合做投贷联动"), or in a question about its text ("专精特新贷啥条件？" before
        # "极光够不够格"), is in focus
        # a program named and the client's fit asked, read as another question ("他们符不符合申请广东省专精特新的
        # 条件？" as the client's certifications): the chat answered it with the program's verdict; a program named in a
        # question read as a profile one ("What is the HNTE recognition?" as the client's certifications) is in focus too
        program = d.program or (program_named(chat, principal, q) if d.route in ("match", "profile") or d.intent.startswith("match.")
                                or d.intent in ("program", "compare", "out_of_scope", "document")
                                or has_enterprise and chat.fit_asked(q) else None)
        if program is None and has_enterprise and chat.fit_of_one(q):
            continue  # "极光能贷不" after "科技信用贷要抵押吗" was answered with that program's verdict: it stays in focus
        if program is None and has_enterprise and d.route == "profile" and chat.names_criterion(q):
            continue  # "研发投入那两条过没过？" after a program question was answered with those criteria: it stays in focus
        if program or d.kind or d.intent.startswith("match"):
            return Focus(q, d.intent, d.route, d.kind, program)
        if d.route == "profile" and topic is None:
            topic = Focus(q, d.intent, d.route, d.kind, program)
    return topic or Focus()


# A follow-up that names only another period: "那2021年呢？", "2022年的呢", "And in 2022?", "what about FY22?",
# "那到23年末变成多少了？", "去年呢", "how about the year before?". The period is a year (four digits; two
# before 年 / 财年 or after FY / end-), its year-end (年末, 年底, end-, year-end) or a year counted from the
# earlier question's (去年, 上一年, the year before: one before it; 前年: two; 次年, the year after: one after).
# Besides the period the follow-up may say only "and / what about / how much / what did it become".
_YEAR_NAMED = re.compile(r"(?<![\d.,])((?:19|20)\d\d)(?![\d.,]?\d)\s*(?:年度?|财年|財年)?\s*(?:的)?\s*(?:年?[末底终終]|年度末)?")
_YEAR_AFTER = re.compile(r"\b(?:year[- ]?end|end|close)(?:\s+of)?\s*[- ]?\s*(?:fy\s*)?$|\bfy\s*$", re.IGNORECASE)
_RELATIVE = [
    (re.compile(r"前年|\bthe\s+year\s+before\s+(?:that|last)\b|\btwo\s+years\s+(?:earlier|before|prior)\b", re.IGNORECASE), -2),
    (re.compile(r"(?:那一?年的)?(?:上一个?年度?|上个?年度|上年|前一年|去年)|"
                r"\b(?:the\s+)?(?:year|one)\s+before\b|\bthe\s+(?:previous|prior|preceding)\s+(?:fiscal\s+)?year\b|"
                r"\ba\s+year\s+(?:earlier|before|prior)\b|\bthe\s+year\s+prior\b|\blast\s+year\b", re.IGNORECASE), -1),
    (re.compile(r"次年|后一年|後一年|第二年|\bthe\s+(?:year\s+after|following\s+year)\b|\ba\s+year\s+later\b", re.IGNORECASE), 1),
]


def _words(text: str) -> list[str]:
    return text.split()


# calendar words: counted from this year when the earlier question names none
_CALENDAR = re.compile(r"去年|前年|\blast\s+year\b", re.IGNORECASE)
_FILLER_EN = frozenset(_words(
    "and so then but ok okay what about how much many was were is are did does do it its that this the a at in for by "
    "on as of to end year-end year fy close become became turn turned come came stand stood figure number value amount "
    "balance now look like compared there again same question please fiscal period time"))
_FILLER_ZH = re.compile("(?:" + "|".join(sorted(_words(
    "那么 那麼 那 还有 還有 再看 看看 到了 到 截至 截止到 截止 在 的时候 的時候 时候 時候 时 時 的 呢 变成了 變成了 变成 變成 变为 變為 "
    "成了 是 为 為 有 多少 几何 幾何 了 又 呢 怎么样 怎麼樣 如何 情况 情況 数字 數字 数据 數據 呀 啊 吗 嗎 则 則 同样 同樣 也 "
    "末 底 年末 年底 年度 期末 当时 當時 那时 那時 时点 時點"), key=len, reverse=True)) + ")*")


def _period_only(question: str) -> tuple[str, int] | None:
    """("2021", 0) for a follow-up naming only the year 2021, ("", -1) for one naming only the year
    before the earlier question's; None when it names no period, several, or anything besides."""
    text = whole_years(unicodedata.normalize("NFKC", question.strip())).lower()
    found: list[tuple[str, int]] = []
    for m in list(_YEAR_NAMED.finditer(text)):
        found.append((m.group(1), 0))
        head = _YEAR_AFTER.search(text[:m.start()])
        cut = head.start() if head else m.start()
        text = text[:cut] + " " * (m.end() - cut) + text[m.end():]
    for pattern, step in _RELATIVE:
        for m in pattern.finditer(text):
            found.append((m.group(0) if _CALENDAR.fullmatch(m.group(0)) else "", step))
            text = text[:m.start()] + " " * (m.end() - m.start()) + text[m.end():]
    if len(found) != 1:
        return None
    words = re.findall(r"[a-z][a-z'-]*", text)
    if any(w not in _FILLER_EN for w in words):
        return None
    rest = re.sub(r"[a-z][a-z'-]*|[\s?？。.!！,，、~～…:：;；\-'\"“”]", "", text)
    return found[0] if _FILLER_ZH.fullmatch(rest) else None


def restated_for_quarter(question: str, earlier: Sequence[str]) -> str | None:
    """The latest earlier question that named a quarter, asked again for the one quarter a quarter-only follow-up
    names ("aurora研发人数 23Q4是多少" then "那22年Q4呢" is "aurora研发人数 2022Q4是多少"; "what about Q2?" keeps the
    earlier year); None when the follow-up names more than a quarter or the earlier question names none."""
    if not earlier:
        return None
    text = whole_years(unicodedata.normalize("NFKC", question.strip()))
    asked, span = quarter_asked(text), quarter_span(text)
    before = whole_years(earlier[0])
    held, where = quarter_asked(before), quarter_span(before)
    if asked is None or span is None or held is None or where is None:
        return None
    rest = (text[:span[0]] + " " + text[span[1]:]).lower()
    if any(w not in _FILLER_EN for w in re.findall(r"[a-z][a-z'-]*", rest)) or not _FILLER_ZH.fullmatch(
            re.sub(r"[a-z][a-z'-]*|[\s?？。.!！,，、~～…:：;；\-'\"“”]", "", rest)):
        return None
    year = asked[0] or held[0]
    return f"{before[:where[0]]}{year or ''}Q{asked[1]}{before[where[1]:]}"


def restated_share(question: str, earlier: Sequence[str]) -> str | None:
    """A follow-up asking what share the earlier answer's figure is of something ("how many R&D engineers do
    they have?" then "so what share of total headcount is that?"; "研发人员多少？" then "占总人数多少？"): the
    earlier question with it, one question; None when the follow-up is not that."""
    if not earlier:
        return None
    before = earlier[0].strip().rstrip("？?。.!！ ")
    if _SHARE_OF_THAT_ZH.match(question):
        return f"{before}，{question.strip()}"
    if _SHARE_OF_THAT_EN.search(question):
        rest = _LEAD_EN.sub("", question.strip())
        return f"{before}, and {rest[:1].lower()}{rest[1:]}"
    return None


# a follow-up of no subject of its own asking a share: "占总人数多少？", "那占比呢？", "这占营收的几成？"
_SHARE_OF_THAT_ZH = re.compile(r"\s*(?:那|那么|所以|这|这个|那个|这些|那些|其|它们|他们)?\s*(?:占|佔)")
# … or ending on what it is a share of: "so what share of total headcount is that?", "what percentage is that?"
_SHARE_OF_THAT_EN = re.compile(r"\b(?:share|percentage|proportion|percent|fraction|portion)\b.*\b(?:is|are|does|do)\s+"
                               r"(?:that|this|those|these|they|it)\b(?:\s+\w+)?\s*[?.!]*\s*$", re.IGNORECASE)
_LEAD_EN = re.compile(r"^(?:so|and|ok|okay|then|well)\b[\s,]*", re.IGNORECASE)


def restated_for_period(question: str, earlier: Sequence[str]) -> str | None:
    """The latest earlier question asked again for the one period a period-only follow-up names
    ("公司2023年营收多少？" then "那2021年呢？" is "公司2021年营收多少？", then "上一年呢" is "公司2020年营收多少？";
    an earlier question naming no year gets the year put before it); None when the follow-up names more
    than a period, nothing precedes it, or the year it counts from is not said. An earlier follow-up that
    was itself period-only is read as restated."""
    period = _period_only(question)
    if period is None or not earlier:
        return None
    before = restated_for_period(earlier[0], earlier[1:]) or earlier[0]
    named, step = period
    held = years_asked(before)
    if len(held) > 1:
        return None  # several years earlier: which one the new one replaces is not said
    if step == 0:
        year = named
    elif held:
        year = str(int(held[0]) + step)
    elif named:  # 去年 / last year after a question naming no year: the calendar's
        year = str(date.today().year + step)
    else:
        return None  # "the year before" what is not said
    if held:
        return re.sub(rf"(?<!\d){held[0]}(?!\d)", year, whole_years(before))
    return f"{year}年 {before}" if re.search(r"[\u3400-\u9fff]", before) else f"In {year}: {before}"


# a change asked of the earlier question's figure ("到23年又多出多少？", "and by 2023, how much more?")
_CHANGE_ZH = re.compile(r"又?(?:多出|多了|增加了?|增长了?|涨了|上涨了?|减少了?|少了|下降了?|变化了?|變化了?|变动了?|變動了?|增長了?|"
                        r"成长了?|成長了?)(?:多少|几何|幾何)?")
# the year before the earlier question's, named as one ("前一年", "the previous year")
_YEAR_BEFORE = r"前一年|上一年|上一个?年度|上年度?|前一个?年度|(?:the\s+)?(?:year before|previous year|prior year|preceding year)"
# the year a change is measured from ("比2022年…", "较22年", "compared with 2022", "vs 2022", "than in 2022")
_AGAINST = re.compile(r"(?:比|较|較|相比|相较|相較|对比|對比|跟|和|同)\s*(?:(\d{4})|(\d{2})(?=\s*年))\s*年?|"
                      r"\b(?:compared (?:with|to)|vs\.?|versus|than(?: in)?|over|from)\s+(?:FY\s*)?(\d{4})\b|"
                      # the year before the earlier question's ("跟前一年比", "than the year before", "vs the prior year")
                      r"((?:比|较|較|相比|相较|相較|对比|對比|跟|和|同)\s*(?:前一年|上一年|上一个?年度|上年度?|前一个?年度)|"
                      r"\b(?:compared (?:with|to)|vs\.?|versus|than(?: in)?|over|from)\s+(?:the\s+)?(?:year before|previous year|"
                      r"prior year|preceding year)\b)", re.IGNORECASE)
_CHANGE_EN = re.compile(r"\b(?:by )?how much (?:more|less|higher|lower|bigger|smaller)\b|"
                        r"\bhow much (?:did it|has it|had it) (?:change|changed|grow|grown|rise|risen|fall|fallen|increase|increased|"
                        r"decrease|decreased)\b", re.IGNORECASE)


def restated_change(question: str, earlier: Sequence[str]) -> str | None:
    """A follow-up naming only another period and a change ("22年营业外支出记了多少？" then "到23年又多出多少？"): the
    earlier question for the new period, asked as its change from the earlier question's one year; a follow-up
    naming only the year a change is measured from ("极光2023年研发费用多少？" then "比2022年增长了几%？"): the earlier
    question with it. None when the follow-up is not that, or the earlier question names no one year."""
    m = _CHANGE_ZH.search(question) or _CHANGE_EN.search(question) or _CHANGE_WORD_EN.search(question)
    if m is None or not earlier:
        return None
    against = _AGAINST.search(question)
    if against is not None:
        return _with_base_year(question, against, m, earlier)
    if _CHANGE_WORD_EN.fullmatch(m.group(0)):
        return None  # a bare "growth" with no year measured from: not this kind of follow-up
    restated = restated_for_period(question[:m.start()] + question[m.end():], earlier)
    before = restated_for_period(earlier[0], earlier[1:]) or earlier[0]
    held = years_asked(before)
    if restated is None or len(held) != 1:
        return None
    if re.search(r"[\u3400-\u9fff]", before):
        return f"{restated.rstrip('？?。. ')}，比{held[0]}年多出多少？"
    return f"{restated.rstrip('?. ')}; how much more than in {held[0]}?"


# an English change word of a follow-up measured from a year ("what was the growth vs 2022?")
_CHANGE_WORD_EN = re.compile(r"\b(?:grow(?:th|n)?|grew|increase[ds]?|decrease[ds]?|rise|rose|fell|change[ds]?)\b", re.IGNORECASE)


def _with_base_year(question: str, against: re.Match[str], change: re.Match[str], earlier: Sequence[str]) -> str | None:
    """The earlier question and the follow-up together, when the follow-up names nothing but the year its
    change is measured from, a change and how it is asked ("几%", "how much") and the earlier question
    names one other year."""
    year = against.group(1) or against.group(3) or (f"20{against.group(2)}" if against.group(2) else "")
    rest = question[:min(against.start(), change.start())] + question[max(against.end(), change.end()):]
    rest = re.sub(r"(?:那|那么|那麼|呢|了|几|幾|多少|百分之|%|％|比|相比|对比|對比|\b(?:and|so|what|was|is|the|how|much|by|"
                  r"percent|percentage|in|it|its|did)\b|[\s\W\d])+", "", rest, flags=re.IGNORECASE)
    if rest:
        return None  # the follow-up names something else too: not a change of the earlier question's figure
    before = restated_for_period(earlier[0], earlier[1:]) or earlier[0]
    held = years_asked(before)
    if against.group(4) and len(held) == 1:  # the year before the earlier question's, named as one
        year = str(int(held[0]) - 1)
        named = f"{year}年" if re.search(r"[\u3400-\u9fff]", question) else year
        question = question[:against.start()] + re.sub(_YEAR_BEFORE, named, against.group(0)) + question[against.end():]
    if len(held) != 1 or held[0] == year:
        return None
    if re.search(r"[\u3400-\u9fff]", before):
        return f"{before.rstrip('？?。. ')}，{question.strip()}"
    return f"{before.rstrip('?. ')}; {question.strip()}"


_ORDINAL_WORDS = {"一": 0, "二": 1, "两": 1, "三": 2, "四": 3, "五": 4, "1": 0, "2": 1, "3": 2, "4": 3, "5": 4,
                  "first": 0, "1st": 0, "top": 0, "second": 1, "2nd": 1, "third": 2, "3rd": 2, "fourth": 3, "4th": 3,
                  "fifth": 4, "5th": 4}
# "第一个", "第二家", "the second one", "the top one", "the third fund": an item of the previous answer's list
_ORDINAL = re.compile(r"(?:上面|前面|刚才)?的?第([一二两三四五1-5])(?:个|家|项|款|只|条|种)(?:产品|贷款|基金|政策|项目|机构)?|"
                      r"\bthe (first|1st|top|second|2nd|third|3rd|fourth|4th|fifth|5th)\s+"
                      r"(?:one|program|programme|loan|product|fund|investor|policy|option|grant|scheme)\b", re.IGNORECASE)


def resolved_ordinal(question: str, last_answer: Sequence[dict[str, object]] | None,
                     titles: dict[str, str]) -> str | None:
    """A follow-up pointing at an item of the previous answer's list by its place ("第一个的利率是多少？",
    "what does the second one require?"), with that program's title in place of the pointer; None when
    the question points at none, or the previous answer listed no program at that place. `last_answer`:
    the previous assistant turn's citations (program passages are cited as "program:<id>", in order);
    `titles`: program id → title."""
    m = _ORDINAL.search(question)
    if m is None or not last_answer:
        return None
    place = _ORDINAL_WORDS[(m.group(1) or m.group(2)).lower()]
    listed = [str(c.get("doc_id", ""))[len("program:"):] for c in last_answer
              if str(c.get("doc_id", "")).startswith("program:")]
    listed = list(dict.fromkeys(listed))
    if place >= len(listed) or listed[place] not in titles:
        return None
    return question[:m.start()] + titles[listed[place]] + question[m.end():]


# a topic taken up again, said before it ("回到营收，21年的呢", "再说回研发费用"): where the talk turns, not what is asked
_TOPIC_RESUMED = re.compile(r"^\s*(?:(?:那|好|好的|ok|OK)[，,\s]*)?(?:我们|咱们)?再?(?:回到|回来看|回頭看|回头看|说回|說回|返回)"
                            r"(?:刚才|剛才|刚刚|剛剛|之前|前面|上面)?(?:的|说的|說的|那个|那個)?\s*(?=\S)")


def topic_resumed(question: str) -> str:
    """The question without the words that say it goes back to an earlier topic ("回到营收，21年的呢" is "营收，21年的呢":
    the revenue, for 2021, not the topic of the question just before); as it is when it has none."""
    return _TOPIC_RESUMED.sub("", question, count=1)

"""The relationship manager's chat: one turn = route the question, gather cited evidence, answer.

Routes (app/core/chat_route.py): eligibility and fit → the matcher (match cards + a cited summary);
facts about the client in focus → its profile (each fact cited to its page); a comparison of two
named programs → both side by side (app/chat_compare.py); everything else (and a profile answer
whose cited facts hold no word of a place or organisation the question names: another firm's figures;
or that does not hold the attribute asked, or whose owner is not the client: "the average pay of its
R&D staff", "华为去年的研发投入", app/core/asked_attribute.py) →
hybrid retrieval over the knowledge base the caller may see, plus the program catalog (a question about
the client that no profile field answers: its own documents only).
Backends: `grounded` (default, no model) quotes the evidence sentence by sentence with [n]; an
`openai` endpoint writes from the same numbered passages (prompts/answer.yaml, delimited and
escaped) with the earlier turns within a token budget, and falls back to `grounded` when it fails
or makes a claim its passages do not hold (app/chat_llm.py). Documents are data: sentences flagged
as instructions (at ingest or now, app/core/injection.py) are never quoted nor shown to the model,
and each sentence of the model's answer is sent only once it has passed the check against the
passages it cites (app/core/sentence_check.py). A turn is prepared eagerly (so bad input is a
clean HTTP error) and then streamed: tokens, then citations, then match cards, done.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Generator, Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache, partial
from typing import Any, TypeVar

import numpy as np

from app.adapters.conversations import ConversationStore
from app.chat_compare import compare_turn, comparison_form, named_in, programs_compared
from app.chat_events import Event
from app.chat_focus import (
    LOOK_BACK,
    earlier_questions,
    focus_of,
    resolved_ordinal,
    restated_change,
    restated_for_period,
    restated_for_quarter,
    restated_share,
    topic_resumed,
)
from app.chat_llm import LlmAsk, checked_answer, earlier_turns
from app.chat_programs import (
    SIZED_BY,
    cited_terms,
    criteria_asked,
    criteria_on,
    criterion_turn,
    gaps_turn,
    held_lines,
    match_turn,
    one_match,
    program_asked,
    program_described,
    program_named,
    program_passage,
    program_turn,
    sized_line,
    with_answer,
)
from app.core.answer import (
    NOT_FOUND,
    Answer,
    Meaning,
    Passage,
    concept_credit,
    content_terms,
    language_of,
    names_unsupported,
    passage_flags,
    quantity_asked,
    question_concepts,
)
from app.core.answer_parts import compose_parts
from app.core.asked_attribute import (
    asked as attribute_asked,
)
from app.core.asked_attribute import (
    asking_clauses,
    asks,
    attribute_held,
    client_terms,
    coordinated,
    leaning_joined,
    named_group,
    names_something,
    profile_vocabulary,
    sentences_not_held,
)
from app.core.asked_measure import ANSWERED_BY, COUNTED, change_asked, measure_asked, value_asked
from app.core.asked_period import numeral_years, years_asked
from app.core.benefit_text import benefit_sentences, benefits_asked
from app.core.cantonese import mandarin_form
from app.core.chat_route import NAMED_FIELDS, Decision, Router, kinds_named
from app.core.compliance import improper_request
from app.core.eligibility import evaluate
from app.core.errors import InputError
from app.core.fact_text import RECORD_PARTS
from app.core.facts_certificates import (
    certificate_record_asked,
    certificate_records_not_held,
    certificates_not_held,
    certification_named,
)
from app.core.facts_tables import profile_item
from app.core.field_aim import FieldAim, named_outright
from app.core.field_names import field_name
from app.core.fields import FIELDS, kind_of
from app.core.formal_register import plain_form
from app.core.funding import round_name, rounds_not_held
from app.core.glossary import contains, load_glossary
from app.core.history_budget import within_budget
from app.core.injection import redact
from app.core.intents import load_intents, load_phrasings
from app.core.match import Match
from app.core.match_json import match_to_json
from app.core.own_name import as_the_company, own_names
from app.core.passage_data import context_block
from app.core.pinyin_names import MIN_HEARD, heard_names, spelled_names
from app.core.ports import ChatModel
from app.core.profile import EnterpriseProfile
from app.core.profile_answer import answer_from_profile, asks_who
from app.core.profile_json import profile_from_json
from app.core.prompts import load_prompt
from app.core.question_names import question_names
from app.core.request_frame import unframed
from app.core.retrieve import Filters, dense_text
from app.core.shorthand import written_out
from app.core.statement_lines import (
    Line,
    OwnRows,
    answer_from_statements,
    answer_quarter,
    answer_quarter_column,
    named_at_length,
    named_line,
    profile_item_named,
    total_named,
    two_lines_asked,
)
from app.core.textnorm import cjk_ratio, index_form, to_traditional, written_traditional
from app.core.tokenize import tokens
from app.core.types import Criterion, Fact, Hit, Principal, Program
from app.enterprises import Enterprises
from app.intent_router import build_router
from app.matching import Matching
from app.wiring import Deps

logger = logging.getLogger(__name__)
KB_PASSAGES = 5
# a question about the client beyond its profile reads deeper into its own few documents: the one sentence naming the CEO
# may sit in a news page the reranker puts below the deck's slides
OWN_PASSAGES = 10
MAX_PARTS = 3  # the sentences of one question answered each on its own, at most
OTHER_CLIENTS = 1000  # the tenant's clients a question is read for another client's name (the first, by id)
_MARK = re.compile(r"\[(\d+)\]")  # a citation mark in an answer


def _card_json(program: Program) -> dict[str, Any]:
    """A program's card shown with an answer about it when no client is in focus: no verdict."""
    return match_to_json(Match(program, 0.0, "unknown", (), 0.0, 0.0, 0.0, "", ()))


def _joined(whole: Turn, turns: list[Turn]) -> Turn:
    """`whole` answered by the answers of `turns` in their order: a passage cited by two numbered once (a program's
    card, however much of it each part showed, once, with every line either showed), a line said by two said once."""
    numbers: dict[tuple[str, str | None, int | None, str], int] = {}
    passages: list[Passage] = []
    lines: list[str] = []
    for t in turns:
        moved: dict[int, int] = {}
        for p in t.passages:
            card = p.doc_id.startswith("program:")
            key = (p.doc_id, None, None, "") if card else (p.doc_id, p.chunk_id, p.page, p.text)
            if key not in numbers:
                numbers[key] = len(passages) + 1
                passages.append(replace(p, n=numbers[key]))
            elif card:  # (its terms in one part, its verdict's text in another)
                kept = passages[numbers[key] - 1]
                more = [line for line in p.text.split("\n") if line not in kept.text.split("\n")]
                passages[numbers[key] - 1] = replace(kept, text="\n".join([kept.text, *more]))
            moved[p.n] = numbers[key]
        text = _MARK.sub(partial(_moved_mark, moved), t.grounded.text)
        for line in text.split("\n"):
            line = _unsaid(line, lines)
            if line and _MARK.sub("", line).strip() not in {_MARK.sub("", x).strip() for x in lines}:
                lines.append(line)  # (a line two parts say citing the same fact from two passages: said once)
    said = "\n".join(lines)
    cited = tuple(p for p in passages if f"[{p.n}]" in said)
    return replace(whole, route=turns[0].route, intent=turns[0].intent, passages=passages, reason="",
                   grounded=Answer(said, cited, True, whole.grounded.lang))


# one cited sentence of an answer's line ("Loan amount … [1]. "), with the space after it
_CITED_SENTENCE = re.compile(r".+?\[\d+\](?:[。.！？!?]\s*|\s+|$)", re.DOTALL)


def _unsaid(line: str, lines: list[str]) -> str:
    """The line without the cited sentences an earlier line already says (two parts answered by passages often
    begin with the same sentence: "the cap vs the appraised value, and the loan range?")."""
    sentences = _CITED_SENTENCE.findall(line)
    if len(sentences) < 2 or "".join(sentences) != line:
        return line
    before = {s.strip() for earlier in lines for s in _CITED_SENTENCE.findall(earlier)}
    return "".join(s for s in sentences if s.strip() not in before).strip()


def _both(first: Answer, second: Answer) -> Answer:
    """Two answers from the same sheet as one: `second`'s lines after `first`'s, a row cited by both numbered once."""
    cited = list(first.citations)
    moved: dict[int, int] = {}
    for p in second.citations:
        same = next((c for c in cited if (c.doc_id, c.text) == (p.doc_id, p.text)), None)
        if same is None:
            same = replace(p, n=len(cited) + 1)
            cited.append(same)
        moved[p.n] = same.n
    text = f"{first.text}\n{_MARK.sub(partial(_moved_mark, moved), second.text)}"
    return Answer(text, tuple(cited), True, first.lang)


def _may_name(folded: str, name: str, handle: str) -> bool:
    """A cheap first test that a question (in index form) may name a client: its handle, a Latin word of its name, or
    two Chinese characters of it in a row occur in it (`as_the_company` then decides)."""
    words = re.findall(r"[a-z][a-z0-9]{2,}", index_form(f"{name} {handle}"))
    han = "".join(re.findall(r"[\u3400-\u9fff]", index_form(name)))
    return any(w in folded for w in words) or any(han[i:i + 2] in folded for i in range(len(han) - 1))


# "the company" as `as_the_company` writes the client's name; a name asked alone, "Northwind呢？", "northwind?"
_THE_COMPANY = re.compile(r"\bthe company\b|该公司", re.IGNORECASE)
_NAME_ALONE = re.compile(r"^\s*[^\s?？,，。]{2,40}\s*(?:呢|then)?\s*[?？]\s*$|^\s*[^\s?？,，。]{2,40}呢\s*$", re.IGNORECASE)


# a follow-up of a few words that asks (a question word, or a question mark): "哪天发的", "多少钱？", "when?"
_TERSE_FOLLOW_UP = re.compile(r"^\s*(?=[^\s]*(?:哪|几|多少|什么|谁|吗|呢|[?？]))[\u3400-\u9fff?？]{2,7}\s*$|"
                              r"^\s*(?:when|who|how much|how long|which one|since when)\b[\w\s']{0,20}[?？]?\s*$",
                              re.IGNORECASE)


def _restated(question: str, earlier: list[str]) -> str:
    """A follow-up leaning on the question before it, written out whole: "那2021年呢？" (the earlier question, for 2021),
    "那22年Q4呢" (for 2022Q4), "到23年又多出多少？" (its change to 2023), "占总人数多少？" (the earlier figure's share)."""
    question = restated_for_period(question, earlier) or question
    question = restated_for_quarter(question, earlier) or question
    question = restated_change(question, earlier) or question
    return restated_share(question, earlier) or question


def _said_of(text: str) -> set[str]:
    """What an answer's lines state a value of: each line's label ("R&D staff" of "R&D staff: 47 people (FY2023) [1]"), or
    the line without its citation marks when it has no label (a sentence of a document)."""
    return {re.split(r"[:：]", _MARK.sub("", line), maxsplit=1)[0].strip() for line in text.split("\n") if line.strip()}


# sentences of a question the profile's answer leaves unanswered (asked of what the client's documents do not record)
NOT_IN_PROFILE = {"zh": "客户档案中没有记录：{}", "en": "Not in the client's records: {}"}
OUT_OF_SCOPE = {"zh": "这个问题超出了本助手的范围：我回答客户的档案、政策、信贷和投资项目的匹配，以及知识库中的文件。",
                "en": "That is outside what this assistant covers: the client's profile, matching to policy, credit and "
                      "equity programs, and the documents in the knowledge base."}
# a fit asked between the client and programs ("match", "suit", 适合, 对口 …), read in index form (either script)
MATCH_ASKED = re.compile(r"\b(?:match(?:es|ing)?|fit(?:s|ting)?|suit(?:s|ed|able)?|eligible|qualif(?:y|ies))\b|适合|匹配|对口",
                         re.IGNORECASE)
# a request to alter, inflate, fabricate or hide a client's figures or documents (app/core/compliance.py)
IMPROPER = {"zh": "不能协助修改、虚增、伪造或隐瞒客户的数据和材料：申请与授信以如实申报为前提。我可以帮你核对客户现有材料中的数据。",
            "en": "I can't help alter, inflate, fabricate or hide a client's figures or documents: applications and credit "
                  "decisions rest on accurate information. I can check the figures its documents state."}
PROGRAM_PASSAGES = 2
# a question asking what the client still lacks for something (its gaps), in zh or en
GAPS_ASKED = re.compile(r"\b(?:still (?:lack|lacks|lacking|miss|missing|need|needs)|what (?:is|'s) (?:it )?missing|lacks?|"
                        r"missing|short of|gaps?|what else (?:would|will|do|does|did) (?:it|they|the \w+) need|"
                        # what stands in the way: "what's blocking it?", "what holds them back?", "which criteria fail?"
                        r"block(?:s|ing|ers?)|hold(?:s|ing)? (?:it|them) back|stand(?:s|ing)? in the way|"
                        r"(?:criteri(?:on|a)|conditions?|requirements?) (?:does (?:it|they) )?(?:fail|fails|failed|not met|unmet)|"
                        r"why (?:is|are) (?:it|they) not (?:eligible|a fit)|why not eligible)\b|"
                        r"为什么不符合|為什麼不符合|哪里不符合|哪裡不符合|哪些条件没满足|哪些條件沒滿足|卡在哪|卡在什么|卡在哪里|哪一?条不满足|哪一?条没过|还缺|還缺|缺什么|缺少什么|缺哪些|还差|還差|差什么|差哪些|还需要满足|还不满足|不满足哪些|"
                        # what is still to be confirmed: "哪条还没确认", "which ones are still unknown?"
                        r"(?:还没|還沒|尚未|未|待)(?:确认|確認|核实|核實)|\bstill (?:unknown|unconfirmed|to (?:be )?confirm(?:ed)?)\b",
                        re.IGNORECASE)
# a short follow-up about another thing: "what about STTR?", "and the talent loan?", "那专精特新贷呢？" (with what is
# asked of it: "那投贷联动呢？额度一般按什么定？")
ABOUT_ANOTHER = re.compile(r"^(?:(?:ok|okay|so|right)[,\s]+)?(?:(?:and\s+)?(?:what|how)\s+about\s+.{1,90}|and\s+.{1,90}\?|(?:那么?|那|还有|還有).{1,30}呢[?？]?(?:[^?？]{1,30}[?？]?)?)$",
                           re.IGNORECASE)
# a question about the client applying for something: the client named, and applying, qualifying or conditions asked
# the client's own figure asked ("它的授信额度", "the company's credit limit"): no term of a program in focus
CLIENT_OWNS = re.compile(r"它的|客户的|客戶的|该公司的|該公司的|公司的|\bits\b|\b(?:the|this) (?:client|company|firm)'s\b|\btheir\b",
                         re.IGNORECASE)
# a program's terms that name an amount the client may hold too ("它的授信额度"): asked with 它的 / its, the client's
CLIENT_AMOUNTS = frozenset({"max_amount_cny", "amount_cny", "sizing", "tiers_cny"})
# a loan asked of as a loan: its own terms, not the certificate it is named after
_LOAN_ASKED = re.compile(r"贷|授信|借款|\b(?:loans?|facility|facilities|lending|borrow\w*)\b")
# why a profile answer was not given (the question goes on to the documents)
UNANSWERED_BY_PROFILE = frozenset({"no field asked", "another party named", "attribute not held"})
# a figure asked for by a request to look it up ("麻烦查一下这位客户2023年度的所得税费用。", "pull up its 2022 payroll")
LOOKUP = re.compile(r"查一下|查下|查查|帮我查|幫我查|麻烦查|麻煩查|看一下|看下|给我|給我|发我|發我|报一下|報一下|核实|核實|核对|核對|"
                    r"列示|列出|提供|说明|說明|披露|\b(?:look up|pull up|pull|get me|give me|send me|fetch|confirm|verify|"
                    r"state|provide|list|report)\b", re.IGNORECASE)
# a question pointing at a requirement: "那条", "this requirement", "够不够", "达标吗", "有没有超过上限", "under the cap"
CRITERION_NAMED = re.compile(r"[这那這][一两兩几幾三四]?[条條]|过没过|過沒過|要求|门槛|門檻|[达達][标標]|[达達]到|[条條]件|够不够|夠不夠|满足吗|滿足嗎|[上下]限|偏好|"
                             r"红线|紅線|\b(?:requirements?|criteri(?:on|a)|conditions?|thresholds?|caps?|limits?|ceiling|bars?|"
                             r"preferences?|hurdles?|cut-?offs?|minimums?)\b",
                             re.IGNORECASE)
# a program's preferences asked, not its requirements ("a priority criterion on R&D intensity", "which clause is a
# preference only", "哪条是优先条件", "加分项")
SOFT_ASKED = re.compile(r"\b(?:prefer(?:s|red|ences?)?|priority|nice[- ]to[- ]have|not (?:a )?hard|soft (?:criteri(?:on|a)|"
                        r"requirements?|conditions?))\b|优先|優先|加分|偏好|非硬性", re.IGNORECASE)
# the program in focus pointed at ("该产品贷款期限最长多久？", "this loan's tenor"): a program or status named beside it
# ("已认定的高新技术企业在质押率上有无优待") is not the one asked of
THIS_PROGRAM = re.compile(r"(?:该|該|這|这|此|本)(?:款|个|個|项|項)?(?:产品|產品|政策|贷款|貸款|项目|項目|计划|計劃|計畫|计画|基金|方案)|"
                          r"\b(?:this|that|the said) (?:product|loan|facility|program|programme|policy|scheme|fund)\b(?!\s+(?:sheet|of|for))",
                          re.IGNORECASE)
# words that say a question compares (not "between … and", "or", "each", which other questions use too)
COMPARED = re.compile(r"(?<![a-z])(?:compar(?:e|ed|es|ing|ison)|versus|vs|differ(?:s|ent|ence|ences)?|better|worse|cheaper|"
                      r"stack up|side[- ]by[- ]side|which one)(?![a-z])|比较|对比|区别|差别|差异|不同|相比|相较|比起|哪个|哪一个|"
                      r"(?:跟|和|与|同)[^，。？?]{1,30}?比")
# a program asked about as a whole ("kindly brief me on it", "专精特新贷你给我介绍一下", "tell me about the IP loan")
INTRO_ASKED = re.compile(r"介绍|介紹|讲讲|講講|说说|說說|聊聊|(?<![a-z])(?:brief me|tell me about|share about|introduce|"
                         r"walk me through|an overview of|give me an overview)(?![a-z])")
# a document named as where the answer is to be read ("per the product sheet", "按通知原文"): the knowledge base's
DOCUMENT_NAMED = re.compile(r"(?<![a-z])(?:product sheet|fact ?sheet|term ?sheet|notice|overview|guidelines?|the docs?|"
                            r"the document|the pdf|the policy text)(?![a-z])|产品说明|产品手册|说明书|通知|公告|原文|摘要|文件里|文件中")
# after a question about a requirement, another one named short: "and the R&D spending one?", "那研发费用呢？"
ANOTHER_ONE = re.compile(r"^\s*(?:and|what about|how about|ok)?[\s,]*(?:the\s+)?[\w&\-' ]{1,40}\bone\s*\??\s*$|"
                         r"^\s*(?:那|那么|還有|还有)?[^，,。？?\s]{1,16}(?:那条|那條|那项|那項)?呢\s*[？?]?\s*$", re.IGNORECASE)
# a question about the client: it names it ("the company" once its own name is read so) or calls it the client;
# a bare pronoun (它 is in 其它, "their" in any question) says nothing of whom
ABOUT_CLIENT = re.compile(r"客户|客戶|该公司|該公司|这家公司|這家公司|这户|這戶|\b(?:the|this|our) (?:client|company|firm)\b",
                          re.IGNORECASE)
OUT_OF_SCOPE_FIELD = 0.05  # the runner-up profile group's probability for an out-of-scope verdict to be set aside
CLIENT_APPLIES = re.compile(r"(?=.*(?:客户|客戶|公司这边|公司這邊|该公司|該公司|这家公司|這家公司|它|他们|他們|\b(?:the|this|our) (?:client|company|firm)\b|"
                            r"\bit\b))(?=.*(?:申请|申請|申报|申報|符合|资格|資格|条件|條件|有戏|有戲|有希望|够格|夠格|够得上|夠得上|能拿到|拿得到|享受|享有|"
                            r"可以做|能做|能不能做|可不可以做|做得了|行不行|过得了|過得了|能过吗|能過嗎|过不过|過不過|卡住|卡在哪|"
                            r"\bappl(?:y|ying|ication)\b|\bqualif(?:y|ies|ied)\b|\beligib(?:le|ility)\b|\brequirements?\b|"
                            r"\bclaim\b|\bbenefit from\b|"
                            r"\bstand a chance\b|\bshot at\b))", re.IGNORECASE | re.DOTALL)
# eligibility asked with no subject named: in a conversation about a client, the client's ("那政府性融资担保贷款够格不")
ELIGIBLE_ASKED = re.compile(r"够格|夠格|够得上|夠得上|有戏|有戲|有希望|能拿到|拿得到|能拿吗|能拿嗎|可以做|能做|能不能做|做得了|用得上|用得了|用得到|用不用得|"
                            r"行不行|过得了|過得了|能过吗|能過嗎|过不过|過不過|"
                            # a loan's fit asked yes or no ("极光能贷不", "批得下来吗"); "能贷哪些" asks a list
                            r"能贷(?:吗|嗎|不|么|麼)|能貸(?:吗|嗎|不|么|麼)|能不能贷|能不能貸|贷得(?:到|了|下来)|貸得(?:到|了|下來)|"
                            r"能批(?:吗|嗎|不)|批得(?:下来|下來|了)|"
                            r"能不能申请|能不能申請|能申请吗|能申請嗎|可以申请吗|可以申請嗎|符合吗|符合嗎|符不符合|"
                            # a benefit's fit asked yes or no ("那软件产品增值税即征即退 能享受吗"); "能享受什么" asks what it gives
                            r"能享受(?:吗|嗎|不)|能不能享受|享受得了|享受得到|可以享受(?:吗|嗎)|"
                            # the conditions met, asked ("够条件吗", "符合条件吗", "条件够不够")
                            r"(?:够|夠|符合|满足|滿足)(?:申请|申請)?(?:条件|條件)(?:吗|嗎|不|了吗|了嗎)|够不够条件|夠不夠條件|"
                            r"(?:条件|條件)(?:够|夠)(?:吗|嗎|不够|不夠)|"
                            # how well it fits, asked ("跟Northwind的匹配度", "契合度怎么样")
                            r"匹配度|匹配程度|契合度|"
                            r"\bqualif(?:y|ies|ied)\b|\beligib(?:le|ility)\b|\bstand a chance\b|\bshot at\b|\b(?:any|a|real) shot\b|"
                            # "would they fit STTR Phase I?", "is it a realistic fit", "is that enough for STTR?"
                            r"\b(?:would|will|could|does|do|is|are)\b[^?.!]{0,30}?\b(?:fit|a (?:good |real(?:istic)? )?fit)\b|"
                            r"\b(?:enough|sufficient) (?:for|to (?:get|qualify|apply))\b", re.IGNORECASE)
# an investor's interest in the client asked ("Would Wafer Peak look at Aurora?", "Might Boreal back them?"): its fit
INVESTOR_FIT = re.compile(r"\b(?:would|will|could|might|may)\b.{0,40}?\b(?:look at|invest in|back|fund|consider|be interested in|"
                          r"take a (?:look|meeting|call))\b", re.IGNORECASE)
# the client's fit for the one program an earlier turn named, pointed at ("would they fit that?", "can it apply for
# this one?", "那个它能做吗"): that program's verdict, whatever list the words lean to
THAT_ONE = re.compile(r"\b(?:fit|qualify for|eligible for|get|apply for|go for)\s+(?:that|this|it)(?: one| program| loan| fund)?\b|"
                      r"(?:这个|那个|这项|那项|這個|那個|這項|那項)(?:项目|政策|产品|項目|產品)?(?:它|他们|他們)?(?:能|可以|符合|够|夠)",
                      re.IGNORECASE)
# a program's requirements asked ("需满足哪些申请条件", "what are the eligibility requirements")
# or which of its clauses ("还有哪条得跟客户当面确认的", "which clause is still open")
REQUIREMENTS_ASKED = re.compile(r"(?:申请|申請|认定|認定|准入|资格|資格)?(?:条件|條件)|门槛|門檻|哪一?[条條]|哪几[条條]|哪幾[條条]|"
                                # or what must be held first ("申请之前需要先有什么资质吗？", "what prerequisite designation")
                                r"(?:需要|需|要|得)先?(?:具备|具備|有|拿到|取得)?(?:什么|什麼|哪些|啥|哪种|哪種)(?:资质|資質|认定|認定|证书|證書)|"
                                r"前置|\b(?:requirements?|criteria|criterion|conditions|clauses?|prerequisites?)\b", re.IGNORECASE)
# programs asked for by a word for programs ("哪些项目的条件", "which programs' criteria"): a list, not one
PROGRAMS_ASKED = re.compile(r"项目|項目|产品|產品|\b(?:programs?|programmes?|schemes?|products?|options?)\b", re.IGNORECASE)
# a list asked ("能做哪些", "which ones would it qualify for"), not one program's fit
_WHICH = re.compile(r"哪些|哪几|哪幾|哪个|哪個|什么|什麼|啥|\b(?:which|what)\b", re.IGNORECASE)
# the requirements of the program in focus pointed at: "does Aurora meet that?", "would they satisfy those conditions?"
MEETS_THAT = re.compile(r"\b(?:meet|meets|satisfy|satisfies|clear|clears)\s+(?:that|this|those|these|them)"
                        r"(?: requirements?| criteria| conditions?| bar| threshold)?(?![\w-])", re.IGNORECASE)
# a part of the staff named by its function (sales, finance …): no headcount field counts it
STAFF_GROUP = re.compile(r"(?:销售|营销|市场|行政|财务|生产|客服|运营|人事|人力|法务|采购|质检|售后|\bsales\b|\bmarketing\b|\badmin(?:istration)?\b|"
                         r"\bfinance\b|\bproduction\b|\bsupport\b|\boperations\b|\bhr\b|\blegal\b|\bprocurement\b)\s*"
                         r"(?:团队|部门|部|人员|员工|人数|\bteam\b|\bdepartment\b|\bstaff\b|\bheadcount\b|\bemployees\b|\bpeople\b)|"
                         r"\bpeople (?:are |work )?in (?:sales|marketing|finance|production|support|operations|hr|legal)\b")
HEADCOUNTS = frozenset({"employees", "rd_staff", "social_insurance_headcount", "rd_staff_ratio"})
# a certification or funding round asked about that the client's documents do not record
NOT_ON_RECORD = {"zh": "客户的文件中没有{}的记录；如需确认，请向客户索取相关材料。",
                 "en": "The client's documents record no {}; ask the client if it has one."}
# fields whose values are or hold dates (besides records, kind "events": certificates, funding rounds)
DATED_FIELDS = frozenset({"founded_date", "years_since_founding", "months_since_last_round"})
# a record's parts that are dates (a certificate's issue and expiry, a round's date)
DATED_PARTS = ("date", "issued", "expires", "renewal_opens", "valid_years")


@dataclass
class Turn:
    chat: Chat
    principal: Principal
    conversation_id: str
    question: str
    route: str
    passages: list[Passage]
    grounded: Answer
    matches: list[dict[str, Any]] = field(default_factory=list)
    intent: str = ""
    history: tuple[tuple[str, str], ...] = ()  # earlier turns, oldest first
    reason: str = ""  # why a question about the client went to its documents, not its profile

    def events(self) -> Iterator[Event]:
        answer, backend, note = self.grounded, "grounded", ""
        dropped: tuple[str, ...] = ()
        llm = self.chat.deps.chat
        streamed = False
        # a question in traditional characters is answered in them (zh-Hant), every word the user sees
        hant = answer.lang == "zh" and written_traditional(self.question)
        if llm is not None and self.route == "retrieval" and self.passages:
            outcome = yield from _in_script(checked_answer(self._ask(llm)), hant)
            dropped, streamed = tuple(outcome.dropped), bool(outcome.sentences)
            if not outcome.replaced:
                used = tuple(p for p in self.passages if f"[{p.n}]" in outcome.text)
                answer, backend = Answer(outcome.text, used, bool(used), self.grounded.lang), llm.name
            else:
                note = outcome.replaced
                if streamed:
                    yield Event("reset", {"reason": note})
                yield Event("notice", {"code": "llm_failed" if outcome.failed else "llm_replaced", "message": note})
        if hant:
            answer = replace(answer, text=to_traditional(answer.text))
        if backend == "grounded":
            for piece in _pieces(answer.text):
                yield Event("token", {"text": piece})
        citations = [_citation(p) for p in answer.citations]
        for c in citations:
            yield Event("citation", c)
        for m in self.matches:
            yield Event("match", m)
        mid = self.chat.store.add(self.conversation_id, "assistant", answer.text, citations, self.route, backend)
        yield Event("done", {"conversation_id": self.conversation_id, "message_id": mid, "route": self.route,
                             "intent": self.intent, "answer": answer.text, "found": answer.found, "backend": backend,
                             **({"route_reason": self.reason} if self.reason else {}),
                             **({"fallback_reason": note} if note else {}),
                             **({"removed": list(dropped)} if dropped else {})})

    def _shown(self) -> dict[int, str]:
        """Each passage as the model reads it: its flagged sentences removed."""
        return {p.n: redact(p.text, passage_flags(p, self.chat.deps.injection)) for p in self.passages}

    def _ask(self, llm: ChatModel) -> LlmAsk:
        shown, settings = self._shown(), self.chat.deps.settings
        context = context_block((p.n, p.title, shown[p.n]) for p in self.passages)
        system, user = load_prompt("answer").render(question=self.question, passages=context, language=self.grounded.lang)
        history = within_budget(self.history, settings.llm_history_tokens)
        return LlmAsk(llm, system, user, history, shown, settings.link_hosts(), self.chat.deps.injection.classify)


@dataclass
class Chat:
    deps: Deps
    enterprises: Enterprises
    matching: Matching
    store: ConversationStore
    _router: Router | None = field(default=None, repr=False)
    _exemplar_words: frozenset[str] | None = field(default=None, repr=False)

    def router(self) -> Router:
        """The intent router, built once (its exemplar vectors on the first question)."""
        if self._router is None:
            self._router = build_router(self.deps, lambda: [p.id for p in self.matching.catalog().programs])
        return self._router

    def turn(self, principal: Principal, messages: list[dict[str, str]], enterprise_id: str | None = None,
             conversation_id: str | None = None) -> Turn:
        question = next((m["content"].strip() for m in reversed(messages) if m.get("role") == "user"), "")
        if not question:
            raise InputError("the last message must be the user's question")
        if not enterprise_id and conversation_id:
            enterprise_id = self.store.enterprise_of(principal.tenant, conversation_id)  # "it": the firm in focus
        profile_row = self.enterprises.get(principal, enterprise_id) if enterprise_id else None
        cid = self.store.open(principal.tenant, conversation_id, enterprise_id, question)
        # colloquial Cantonese ("幾時成立㗎？") read as Standard Written Chinese, English chat shorthand ("ppl", "yr")
        # written out; the user's own words are stored
        earlier = [numeral_years(written_out(plain_form(mandarin_form(q))))
                   for q in earlier_questions(messages, self.store, principal.tenant, conversation_id)]
        asked, question = question, numeral_years(written_out(plain_form(mandarin_form(question))))  # (and the formal
        # register's interrogatives, "研發費用為若干？", in plain Mandarin; years in numerals, "二二年", in digits)
        earlier = self._described_named(principal, earlier, enterprise_id, profile_row)
        # "…where are they headquartered? Am I wrong in thinking it's Seattle?": the guess left out
        question = without_guesses(question, self._own_names(profile_row, enterprise_id) if profile_row is not None else ())
        question = topic_resumed(question)  # "回到营收，21年的呢": the revenue's, not the topic just before
        question = _restated(question, earlier)
        question = self._for_the_client(principal, question, earlier, enterprise_id, profile_row) or question
        question = self._ordinal(principal, conversation_id, messages, question) or question  # "第一个的利率": that program
        question = spelled_names(question, self._program_names(principal))  # "Gaoqidai": 高企贷
        # a name or term dictated and written as it sounds ("专经特新贷", "证书编好"): as it is written
        question = heard_names(question, (*self._program_names(principal), *_domain_terms()))
        history = earlier_turns(messages, lambda: self.store.history(principal.tenant, cid)) if self.deps.chat else ()
        self.store.add(cid, "user", asked)
        named_client = self._client_named(principal, question, enterprise_id, profile_row)
        if named_client is not None:  # the question is about the other client it names: answered for that one
            enterprise_id, profile_row = named_client
        both = self._two_clients(principal, cid, question, asked, enterprise_id, profile_row, history)
        if both is not None:  # "Aurora vs Northwind, who has more R&D staff?": each client's figures side by side
            return both
        turn = self._decide(principal, cid, question, asked, earlier, enterprise_id, profile_row, history)
        if turn.route in ("profile", "retrieval") and not turn.matches:
            turn = self._part_by_part(turn, principal, earlier, enterprise_id, profile_row) or turn
            if not turn.grounded.found and profile_row is not None and earlier and turn.route == "retrieval" \
                    and THIS_PROGRAM.search(question) and program_named(self, principal, question) is None:
                # "該計畫目前是否仍可受理申報？" after a program question, neither its card nor the documents answering it
                # (nor its parts): the program it points at, its verdict (a program closed to the client: why)
                focus = self._program_in_focus(turn, enterprise_id or "", earlier, profile_row)
                if focus is not None:
                    return program_turn(self, replace(turn, route="match", intent="program"), enterprise_id or "",
                                        focus.id, profile_row)
            return turn
        if turn.route == "match" and _one_program(turn) and turn.intent not in ("compare", "followup.gaps"):
            return self._program_part_by_part(turn, principal, earlier, enterprise_id, profile_row) or turn
        return turn

    def _program_part_by_part(self, whole: Turn, principal: Principal, earlier: list[str], enterprise_id: str | None,
                              profile_row: dict[str, Any] | None) -> Turn | None:
        """A question about one program that asks two or three things ("can it even apply to the EIC Accelerator? and
        what's the headcount cap there", "该产品贷款期限最长多久？已认定的高新技术企业在质押率上有无优待？"): read whole, one
        part is answered. Each part is asked as its own question, the parts before it read as the turns before it (so
        "there", "该产品" is the program the first part named); when every part is answered of that same program (its
        verdict, its card, a criterion of it) or from the client's profile, what the parts add is said after what the
        whole said, in the order asked, shown with the program's card; else None (the whole stands)."""
        parts = asking_clauses(whole.question, within=False)
        if len(parts) == 1:
            parts = asking_clauses(whole.question)  # one sentence asking two things ("Grant ceiling on that program,
            #                                          and which hard criterion does Northwind fail?")
        if len(parts) == 1:  # or one clause asking two things of it ("the employee ceiling and typical max award under it")
            parts = coordinated(whole.question)
        parts = leaning_joined(parts, periods_stand=True)
        if not 2 <= len(parts) <= MAX_PARTS:
            return None
        program_id = _one_program(whole)
        turns: list[Turn] = []
        for part in parts:
            before = [*reversed([t.question for t in turns]), *earlier]
            t = self._decide(principal, whole.conversation_id, _restated(part, before), part, before, enterprise_id,
                             profile_row, whole.history)
            same = t.route == "match" and _one_program(t) == program_id
            if not t.grounded.found or not (same or t.route == "profile" and not t.matches):
                return None
            turns.append(t)
        joined = _joined(whole, [whole, *turns])  # what the whole said, then what the parts add
        shown = whole.matches or next((t.matches for t in turns if t.matches), [])  # (its card, shown by a part)
        return replace(joined, route=whole.route, intent=whole.intent, matches=shown)

    def _part_by_part(self, whole: Turn, principal: Principal, earlier: list[str], enterprise_id: str | None,
                      profile_row: dict[str, Any] | None) -> Turn | None:
        """A question asking two or three things in as many sentences ("Northwind那边一共多少人？搞研发的有几个？",
        "What was its revenue in 2023? How many R&D staff does it have?"): read whole, the router settles on one
        field and the answer states one part, or none. Each sentence is asked as its own question, each earlier
        part read as the turn before it (so "研发费用呢？" after "营收多少？" is the R&D expense); when every part is
        answered (from the profile's facts when the whole question was answered; from the profile or the documents when
        it was not), the answers are joined in the order asked, a passage cited by two parts numbered once and a line
        said by two parts said once; else None (the whole answer stands)."""
        parts = asking_clauses(whole.question, within=False)
        clauses = len(parts) == 1 and len(inner := asking_clauses(whole.question)) >= 2
        if clauses:  # one sentence asking two things ("how much did it spend on R&D, and how many engineers?")
            parts = inner
        elif len(parts) == 1 and len(inner) == 1 and inner[0] != parts[0]:  # one clause asks, one says why ("pls pull
            parts = inner  # the HNTE cert number, client wants it for the loan form"): as two sentences would be
        parts = leaning_joined(parts, periods_stand=True)  # "who led its Series A and how much was it?": one thing
        if len(parts) > MAX_PARTS or whole.reason in ("improper request", "not on record") or parts == [whole.question]:
            return None
        if len(parts) == 1:  # one sentence asks, another says why ("…? need it for the talent loan memo"): when the
            if whole.grounded.found:  # whole is not answered, the asking sentence alone is the question
                return None
            alone = self._decide(principal, whole.conversation_id, parts[0], parts[0], earlier, enterprise_id,
                                 profile_row, whole.history)
            found = alone.grounded.found and alone.route in ("profile", "retrieval") and not alone.matches
            return replace(alone, question=whole.question) if found else None
        turns: list[Turn] = []
        for part in parts:
            before = [*reversed([t.question for t in turns]), *earlier]
            # a part that leans on the one before it ("极光的研发费用，2022年是多少，2023年呢？") is read as its follow-up would be
            t = self._decide(principal, whole.conversation_id, _restated(part, before), part, before, enterprise_id,
                             profile_row, whole.history)
            # an answered whole is replaced only by the profile's facts, part by part (a passage matched to a part
            # alone, "边个领投？", may be about any firm), or, with no client in focus, by the documents' answers to the
            # clauses of its one sentence, when they say all the whole said ("the cap vs the IP's value, and the term?")
            by_passages = not whole.grounded.found or clauses and profile_row is None
            if not t.grounded.found or t.route not in ("profile",) + (("retrieval",) if by_passages else ()) \
                    or t.matches:
                return None
            turns.append(t)
        joined = _joined(whole, turns)
        if clauses and whole.grounded.found and not _said_of(whole.grounded.text) <= _said_of(joined.grounded.text):
            return None  # a clause leaning on the one before it ("…, and how much more than 2022?") lost what the whole said
        return joined

    def _others_named(self, principal: Principal, question: str, enterprise_id: str | None) -> list[tuple[str, str]]:
        """The tenant's clients other than the one in focus that the question names, as (id, name)."""
        folded = index_form(question)
        return [(eid, name) for eid, name in self.enterprises.store.list(principal.tenant, OTHER_CLIENTS)
                if eid != enterprise_id and _may_name(folded, name, eid)
                and as_the_company(question, *own_names(name, eid, self._common_words())) != question]

    def _client_named(self, principal: Principal, question: str, enterprise_id: str | None,
                      profile_row: dict[str, Any] | None) -> tuple[str, dict[str, Any]] | None:
        """Another client of the tenant, when the question names it alone and not the client in focus ("极光能拿科技信用贷吗"
        asked while Northwind is open): the question is about that client, as (id, profile row); None otherwise."""
        if profile_row is None or as_the_company(question, *self._own_names(profile_row, enterprise_id)) != question:
            return None
        others = self._others_named(principal, question, enterprise_id)
        return (others[0][0], self.enterprises.get(principal, others[0][0])) if len(others) == 1 else None

    def _for_the_client(self, principal: Principal, question: str, earlier: list[str], enterprise_id: str | None,
                        profile_row: dict[str, Any] | None) -> str | None:
        """A follow-up naming the client in focus and nothing else ("and northwind?", "那Northwind呢？", asked of the
        client now in focus): the question before it, asked of this client (any client of the tenant it named read as
        "the company"); None for any other question."""
        if profile_row is None or not earlier or not (ABOUT_ANOTHER.match(question.strip()) or _NAME_ALONE.match(question)):
            return None
        neutral = as_the_company(question, *self._own_names(profile_row, enterprise_id))
        if neutral == question or names_something(_THE_COMPANY.sub(" ", neutral)):
            return None
        before = earlier[-1]
        for eid, name in self.enterprises.store.list(principal.tenant, OTHER_CLIENTS):
            if _may_name(index_form(before), name, eid):
                before = as_the_company(before, *own_names(name, eid, self._common_words()))
        return before

    def _two_clients(self, principal: Principal, cid: str, question: str, asked: str, enterprise_id: str | None,
                     profile_row: dict[str, Any] | None, history: tuple[tuple[str, str], ...]) -> Turn | None:
        """A question about the client in focus and one other client of the tenant, named by its own names ("Aurora vs
        Northwind, which one has more R&D staff?", "Northwind同极光比，边个专利多？"): the question, both names read as
        "the company", answered from each client's profile, one block per client headed by its name; None when it names
        no other client, or either profile does not answer it (the question is then read as usual)."""
        if profile_row is None or improper_request(mandarin_form(asked)):  # a request to alter figures is refused as ever
            return None
        mine = self._own_names(profile_row, enterprise_id)
        others = self._others_named(principal, question, enterprise_id)
        if len(others) != 1:
            return None
        other_id, other_name = others[0]
        theirs = own_names(other_name, other_id, self._common_words())
        neutral = as_the_company(as_the_company(question, *theirs), *mine)
        fields = self.router().profile_fields(neutral)
        if not fields:
            return None
        lang = language_of(asked)
        turn = Turn(self, principal, cid, question, "compare", [], Answer("", (), False, lang), intent="compare",
                    history=history)
        clients = ((enterprise_id, profile_row), (other_id, self.enterprises.get(principal, other_id)))
        # the whole question, else each sentence of it ("R&D headcount, A vs B? who's heavier on R&D": a person is no answer)
        for q in [neutral, *(s for s in asking_clauses(neutral, within=False) if s != neutral)]:
            answers = [answer_from_profile(q, profile_from_json(row), lang, self._context, fields, self.deps.injection)
                       for _, row in clients]
            if all(a is not None and a.found for a in answers):
                break
        else:
            return None
        turns: list[Turn] = []
        for (eid, row), answered in zip(clients, answers):
            assert answered is not None
            head = str(row.get("name") or eid) + ("：" if lang == "zh" else ":")
            turns.append(replace(turn, passages=list(answered.citations),
                                 grounded=replace(answered, text=f"{head}\n{answered.text}")))
        return replace(_joined(turn, turns), route="compare", intent="compare")

    def _decide(self, principal: Principal, cid: str, question: str, asked: str, earlier: list[str],
                enterprise_id: str | None, profile_row: dict[str, Any] | None,
                history: tuple[tuple[str, str], ...]) -> Turn:
        """One question, routed and answered (the conversation's prologue done: `question` as read, `asked` as typed)."""
        named = as_the_company(question, *self._own_names(profile_row, enterprise_id)) \
            if profile_row is not None else question
        decision = self.router().decide(named, profile_row is not None)  # the firm's own name carries no intent
        if decision.method == "rule" and decision.fields[:1] and decision.fields[0] in NAMED_FIELDS \
                and program_named(self, principal, named) is not None:
            # a field named beside a program named by its title ("首贷通要求首贷户吗"): the program's question
            decision = self.router().decide(named, profile_row is not None, named_fields=False)
        if decision.intent in ("out_of_scope", "client_other") and decision.method in ("model", "uncertain") and earlier \
                and _TERSE_FOLLOW_UP.match(question) and names_something(question) and not GAPS_ASKED.search(question):
            # a terse follow-up the model reads alone as beyond the RM's business or as some fact of the client its
            # profile does not hold ("哪天发的" after "极光高企证书调出来看下", "编号呢" after "啥时候发的证"): read with the
            # question before it, when that reading is in scope (a fact of the client's read alike stays as it was; "你是谁"
            # names nothing; "卡在哪一条上？", the gaps of the program in focus, is read below)
            joined = f"{earlier[0].rstrip('。？?！!')}，{question}"
            joined_named = as_the_company(joined, *self._own_names(profile_row, enterprise_id)) \
                if profile_row is not None else joined
            again = self.router().decide(joined_named, profile_row is not None)
            if again.intent not in ("out_of_scope", decision.intent):
                question, named, decision = joined, joined_named, again
        if decision.intent == "out_of_scope" and decision.method in ("model", "uncertain"):
            decision = self._named_program_in_scope(principal, question, decision, profile_row is not None)
        if profile_row is not None and decision.intent == "out_of_scope" and decision.method in ("model", "uncertain"):
            decision = self._client_not_out_of_scope(named, decision)
        if profile_row is not None and decision.method in ("model", "uncertain") and len(sources_named(named)) >= 2 \
                and program_named(self, principal, named) is None \
                and (fields := self._fields_named(named) or (() if decision.route == "profile" else
                                                             self.router().profile_fields(_sources_left_out(named)))) \
                and not set(fields) <= set(decision.fields):
            # a figure of the client as two of its documents state it ("the business plan says one 2023 revenue figure and
            # the financials excel another — put both side by side"): its profile's, each source's figure beside the
            # one chosen
            decision = Decision("profile", decision.intent, "rule", fields=fields)
        if profile_row is not None and decision.route != "match" \
                and (decision.method in ("model", "uncertain") or decision.method == "rule" and decision.route == "profile") \
                and (listed := self.router().listed_fields(named)) and not set(listed) <= set(decision.fields) \
                and program_named(self, principal, named) is None:
            # attributes listed ("Northwind basics: HQ, founding year", "its revenue, headcount and R&D spend"): each one
            decision = Decision("profile", decision.intent, "list" if self.router().listed_items(named) else "model",
                                fields=listed)  # (a round's list, "Series A — size, year, lead": its record, as one)
        if profile_row is not None and decision.intent == "client_other" and self.fit_asked(named):
            # the client's fit for a program named by its title, read as some other fact of the client's ("Would Wafer
            # Peak look at Aurora?"): that program's verdict
            decision = self._named_program_in_scope(principal, question, decision, True)
        if profile_row is not None and decision.route == "retrieval" and decision.intent != "compare" \
                and MATCH_ASKED.search(index_form(named)) and len(kinds := kinds_named(named)) == 1:
            # one kind of program named and a fit asked ("Which VCs in the catalog match its profile?"): that kind's
            # cards, whatever else the question's words lean to (its "profile", "catalog")
            decision = Decision("match", f"match.{kinds[0]}", "rule", kind=kinds[0])
        # "客户那张高企证书的编号帮我查一下", "the HNTE cert number, from the scan" (read as the program's: its verdict
        # is not what is asked): the client's certificate record
        if profile_row is not None and (decision.route != "match" or decision.intent == "program") \
                and (record := self._certificate_asked(principal, named, profile_row)) is not None:
            decision = Decision("profile", "profile.certifications", "rule", fields=(record,))
        elif profile_row is not None and decision.route != "match" and program_named(self, principal, named) is None \
                and (unrecorded := certificate_records_not_held(index_form(named), profile_row.get("fields") or {},
                                                                 load_glossary().expansions(named))):
            # a certificate's number, issuer or expiry asked of a certification the documents only name ("Please
            # provide the ISO 27001 certificate number"): no record to read it from; said so, not the certification
            lang = language_of(asked)
            what = "、".join(f"{u}证书（编号、发证日期等）" for u in unrecorded) if lang == "zh" else \
                ", ".join(f"{u} certificate details (number, issuer, dates)" for u in unrecorded)
            return Turn(self, principal, cid, question, "profile", [], Answer(NOT_ON_RECORD[lang].format(what), (), False, lang),
                        intent="profile.certifications", history=history, reason="not on record")
        where = decision.route
        turn = Turn(self, principal, cid, question, where, [], Answer("", (), False, language_of(asked)),
                    intent=decision.intent, history=history)
        if improper_request(mandarin_form(asked)):  # to falsify, inflate or hide the client figures: refused
            said = IMPROPER[turn.grounded.lang]
            return replace(turn, intent="out_of_scope", grounded=Answer(said, (), False, turn.grounded.lang), reason="improper request")
        if profile_row is not None and (decision.route == "match" or decision.intent == "program"
                                        or decision.intent.startswith("match.")) \
                and self._person_of_program(principal, question, named):
            # a person asked of a program ("Who is the product manager for the Tech Credit Loan?", "高企贷找谁办"): no
            # verdict answers it; the documents may name one
            decision, where = Decision("retrieval", "document", "rule"), "retrieval"
            turn = replace(turn, route="retrieval", intent="document")
        if decision.intent == "compare" or comparison_form(question):  # the model's word or the question's form
            ids = programs_compared(self, principal, question, earlier)  # either way: two programs named by their
            #                                                             titles (one may be an earlier turn's)
            if ids and (set(ids) <= set(named_in(self, principal, question)) or COMPARED.search(index_form(question))):
                # (one of them an earlier turn's: only when the question says it compares, "how does it compare with
                # STTR?"; "and the STTR version — how is the work split between the firm and the institution?" asks
                # of STTR alone)
                return compare_turn(self, turn, ids, enterprise_id if profile_row is not None else None)
            if not ids and profile_row is not None and decision.intent == "compare" \
                    and (one := program_named(self, principal, named)) is not None \
                    and (not COMPARED.search(index_form(question)) or self._term_compared(principal, one, question)):
                # one program named and nothing compared ("专精特新贷你给我介绍一下"), or one of its terms set against
                # something else, no two years of the client's ("For STTR Phase I, what share of the work must the
                # small business do vs the partner research institution?", "how is the loan size capped vs the last
                # round?"): that program, with the terms asked
                decision, where = Decision("match", "program", "rule", program=one), "match"
                turn = replace(turn, route="match", intent="program")
            elif not ids and profile_row is not None and where == "retrieval" and decision.intent == "compare" \
                    and (fields := self.router().profile_fields(named)):
                # a comparison of no two programs that names a figure of the client ("r&d exp 22 vs 23 yoy", "Compare
                # its R&D expense in 2022 and 2023"): its own figures compared, the profile's to answer (each value, the
                # change between them); a figure it does not hold goes on to the documents
                decision, where = Decision("profile", decision.intent, "model", fields=fields), "profile"
                turn = replace(turn, route="profile")
        if profile_row is not None and earlier and ABOUT_ANOTHER.match(question.strip()):
            # "what about STTR?" after a program question: the same question about the program named now
            about = self._about_another(turn, enterprise_id or "", earlier, profile_row)
            if about is not None:
                return about
        if profile_row is not None and earlier and GAPS_ASKED.search(question) and decision.route != "match" \
                and program_named(self, principal, question) is None:
            # "卡在哪一条上？" after a program question, whatever the router made of it: that program's gaps
            focus = self._program_in_focus(turn, enterprise_id or "", earlier, profile_row)
            if focus is not None:
                return gaps_turn(self, replace(turn, route="match", intent="followup.gaps"), enterprise_id or "",
                                 focus.id, None)
        if profile_row is not None and earlier and not ELIGIBLE_ASKED.search(named):  # (a fit asked beside the terms,
            # "would they qualify? and roughly what rate": the verdict, with the terms asked)
            terms = self._terms_of_focus(turn, enterprise_id or "", earlier, profile_row,  # "利率大概落在什么区间？"
                                         owned=CLIENT_OWNS.search(question) is not None)
            if terms is not None:
                return terms
        rows = OwnRows(lambda: self.deps.kb.store.enterprise_pages(principal.tenant, enterprise_id or ""))
        if decision.intent == "out_of_scope" and decision.method == "model" and not (  # confidently not the RM's
                profile_row is not None and self._names_own_line(principal, rows, question)):  # business, unless it
            #                                       names a line of the client's own statements (22年末应收账款挂账多少)
            return replace(turn, grounded=Answer(OUT_OF_SCOPE[turn.grounded.lang], (), False, turn.grounded.lang))
        if profile_row is not None and not earlier and decision.intent not in ("compare", "client_other") \
                and (where == "retrieval" or where == "profile" and THIS_PROGRAM.search(question)) \
                and not DOCUMENT_NAMED.search(index_form(question)):
            # a first question naming one program and asking a term it offers ("高企贷 maximum amount + rate for aurora?",
            # "深圳市知识产权质押融资贴息最高多少？"), the client in focus: the program's verdict for the client, with the terms
            # asked from its card (a question the model reads as about the client itself is not, nor one naming the
            # document to read: "per the IP-pledge loan product sheet, what's the max LTV?"); read as about the client,
            # when it says the term is the program's ("投贷联动 极光A轮融了五千万 按这个产品的规则 最多能贷到多少")
            first_id = program_named(self, principal, question)
            first = next((p for p in self.matching.catalog().scope(principal).programs if p.id == first_id), None)
            if first is not None and benefits_asked(question, first.benefits):
                return program_turn(self, replace(turn, route="match", intent="program"), enterprise_id or "", first.id,
                                    profile_row)
        if profile_row is not None and where == "retrieval" and decision.intent in ("document", "out_of_scope") \
                and INTRO_ASKED.search(index_form(question)) and not DOCUMENT_NAMED.search(index_form(question)) \
                and (one := program_named(self, principal, question)) is not None:
            # a program named and asked about as a whole, the client in focus ("Kindly share about 政府性融资担保贷款 for
            # Aurora"): its verdict for the client, with its card (a document named, "the notice", is read instead)
            return program_turn(self, replace(turn, route="match", intent="program"), enterprise_id or "", one, profile_row)
        if (where == "match" or where == "retrieval" and decision.method == "uncertain") and profile_row is not None \
                and earlier and (decision.intent.startswith("match.") or decision.intent == "program" and decision.program is None) \
                and (CRITERION_NAMED.search(question) or SOFT_ASKED.search(question)) \
                and program_named(self, principal, question) is None:
            # "那其中关于研发费用的那一项，达不达得到？" after a program question, read as a list (or, maybe, as a program
            # none named: "那它对研发费用占营收比例有没有 preference？"): that criterion's verdict
            # ("What revenue growth does that fund prefer?": the preference)
            criterion = self._criterion_in_focus(turn, enterprise_id or "", earlier, profile_row,
                                                 self.router().profile_fields(named), question)
            if criterion is not None:
                return criterion
        if where == "match" and profile_row is not None:
            return self._programs(turn, enterprise_id or "", decision, earlier, profile_row)
        if where == "profile" and profile_row is not None and earlier and (
                CRITERION_NAMED.search(question) or CRITERION_NAMED.search(earlier[0]) and ANOTHER_ONE.search(question)):
            # "纳税信用那条呢？" after a program question: that criterion of the program in focus, not the bare field
            # (the fields the whole question names beside those its clauses were read as: "a priority criterion on R&D
            # intensity — where does Aurora sit on its 2023 financials?" asks the R&D ratio, not the statements)
            fields = tuple(dict.fromkeys((*self.router().profile_fields(named), *decision.fields)))
            criterion = self._criterion_in_focus(turn, enterprise_id or "", earlier, profile_row, fields, question)
            if criterion is not None:
                return criterion
        if profile_row is not None and earlier and MEETS_THAT.search(named) \
                and program_named(self, principal, question) is None:
            # "What does the IP pledge loan require?" then "Does Aurora meet that?": the program in focus, its verdict
            focus = self._program_in_focus(turn, enterprise_id or "", earlier, profile_row)
            if focus is not None:
                return program_turn(self, replace(turn, route="match"), enterprise_id or "", focus.id, profile_row)
        if profile_row is not None and (where == "profile" or where == "retrieval" and (earlier or ABOUT_CLIENT.search(named))) \
                and (ELIGIBLE_ASKED.search(named) or CRITERION_NAMED.search(named)):
            # a program named by its title and the client's fit or one of its requirements asked, read as a profile
            # field ("集成电路两免三减半极光用得上吗？研发费用占比有没有达标？") or, after a question about the client, as a
            # document question ("这个数量满足知识产权质押贷对专利的要求吗？") or, naming the client, as a comparison ("Is
            # Aurora's R&D ratio above the HNTE threshold?"): the program's verdict, or the requirement's
            named_turn = self._named_program_fit(turn, enterprise_id or "", decision, question, named, profile_row)
            if named_turn is not None:
                return named_turn
        if profile_row is not None and (decision.method == "uncertain" and (
                decision.intent == "program" or decision.intent.startswith("match.") or GAPS_ASKED.search(question))
                or where == "retrieval" and (CLIENT_APPLIES.search(named) or ELIGIBLE_ASKED.search(named))
                or where == "profile" and earlier and self.fit_of_one(named)):
            # the model unsure of a question about a program or a kind of program ("Cedar Loop Ventures - would
            # they look at Northwind?"), or the question asks what the client still lacks, or it
            # asks, read as a document question, what the client needs to apply for a program ("要帮客户申请X，
            # 公司这边得符合什么条件"), or its fit with no subject named ("高企贷能做吗？": with a client in focus, the
            # client's), or, read as a profile field, its fit asked yes or no after a program was named ("極光夠唔夠格"):
            # a program named by its title settles it (one: two named are no one verdict)
            program = program_named(self, principal, question)
            if program is None and earlier and (ELIGIBLE_ASKED.search(named) or INVESTOR_FIT.search(named)):
                # "极光呢，够格不", "would they look at Northwind tho?" (after "who's Cedar Loop Ventures?"): the program in focus
                focus = self._program_in_focus(turn, enterprise_id or "", earlier, profile_row)
                program = focus.id if focus is not None else program_named(self, principal, earlier[0])
            if program is not None and (where != "retrieval" or len(named_in(self, principal, question)) <= 1):
                return program_turn(self, replace(turn, route="match"), enterprise_id or "", program, profile_row)
        if profile_row is not None and (where == "profile" or decision.intent == "client_other"
                                        or where == "retrieval" and (quantity_asked(question) or LOOKUP.search(question)
                                                                     or years_asked(question))
                                        and self._names_own_line(principal, rows, question)
                                        or where == "retrieval" and two_lines_asked(question, rows.lines) is not None):
            # a figure asked of a line only the client's own statements hold ("how much went on patent application
            # fees in 2022?", or the line and a period alone: "short-term borrowings at end-2023?") is about the
            # client, whatever the router read
            stated = self._from_statements(rows, question, named, turn.grounded.lang, decision.fields)
            if stated is not None:
                return replace(turn, route="profile", grounded=stated, passages=list(stated.citations))
            item = profile_item_named(question, rows.lines) if where != "profile" else None
            if item is not None:  # read as beyond the profile, it names a line the profile holds (净利润): that field
                where, decision = "profile", replace(decision, fields=(item,))
                turn = replace(turn, route="profile")
        if where == "profile" and profile_row is not None:
            turn = self._profile_turn(turn, decision, question, named, profile_row)
            if turn.reason not in UNANSWERED_BY_PROFILE:
                if turn.grounded.found and earlier and program_named(self, principal, question) is None:
                    # a follow-up the model reads as about the client that the program in focus's card answers more
                    # fully ("How much of the work does the research institution partner have to do under it?" after
                    # STTR: the work split, not the client's R&D staff): the card's answer
                    carded = self._about_focus_program(turn, enterprise_id or "", earlier, profile_row)
                    if carded is not None and carded.grounded.found and not carded.reason \
                            and _coverage(question, carded.grounded) > _coverage(question, turn.grounded):
                        return carded
                return turn
        elif profile_row is not None and decision.intent.startswith("profile"):
            turn = replace(turn, reason=f"route {decision.method}")
        if profile_row is not None and earlier and where == "profile" and turn.reason == "attribute not held" \
                and ELIGIBLE_ASKED.search(named) and program_named(self, principal, question) is None:
            # "申请专精特新贷要满足哪些条件？" then "那极光符合吗", read as a profile field no answer holds: the
            # client's eligibility for the program in focus
            focus = self._program_in_focus(turn, enterprise_id or "", earlier, profile_row)
            if focus is not None:
                return program_turn(self, replace(turn, route="match", reason=""), enterprise_id or "", focus.id, profile_row)
        if profile_row is not None and earlier and (where != "profile" or turn.reason == "attribute not held") \
                and program_named(self, principal, question) is None:
            # "利率大概多少？"; "研发占比有优先吗" after "高企贷条件帮我过一下", read as a profile field its answer does not
            # hold: the program in focus's card
            about = self._about_focus_program(replace(turn, reason=""), enterprise_id or "", earlier, profile_row)
            if about is not None:
                return about
        # about the client, beyond its profile: only its own documents can say (not a policy text, not a fund's sheet)
        own = profile_row is not None and (decision.intent == "client_other" or where == "profile")
        passages = self._flagged(self._passages(question, principal, enterprise_id, own))
        grounded = compose_parts(question, passages, tokens, load_glossary(), self.deps.injection, self._meaning())
        if not grounded.found and (plain := unframed(question)) != question:  # "Caller asks: …": the words relaying it
            grounded = compose_parts(plain, passages, tokens, load_glossary(), self.deps.injection, self._meaning())
        if not grounded.found and earlier:  # an ellipsis: read it with the earlier question ("它的有效期呢？")
            passages = self._flagged(self._passages(f"{earlier[0]} {question}", principal, enterprise_id, own))
            grounded = compose_parts(question, passages, tokens, load_glossary(), self.deps.injection, self._meaning())
        if grounded.found and own and not _states_what_is_asked(question, grounded):
            # "2023年应付账款是多少" of documents stating no payables: sentences about 2023 and the firm do not answer
            grounded = Answer(NOT_FOUND[grounded.lang], (), False, grounded.lang)
        on_card = not own and not DOCUMENT_NAMED.search(index_form(question))  # (a document named: that document's)
        if not grounded.found and profile_row is not None and on_card:
            # no passage of the knowledge base answers a question naming one program ("And the STTR Phase I variant —
            # how must the work be split between the company and the institution?"): that program's own card may
            pid = self._program_asked_of(principal, question, earlier)
            asked_card = next((p for p in self.matching.catalog().scope(principal).programs if p.id == pid), None)
            # the program the turn before named: the question read as asked of it ("该政策执行期限截至何时？")
            asked_of = named if asked_card is None or pid == program_named(self, principal, question) \
                else f"{asked_card.title}：{named}"
            card = compose_parts(asked_of, [program_passage(1, asked_card, turn.grounded.lang)], tokens, load_glossary(),
                                 self.deps.injection, self._meaning()) if asked_card is not None else None
            if asked_card is not None and card is not None and card.found:
                m = one_match(self, principal, enterprise_id or "", asked_card.id)
                return replace(turn, route="match", passages=list(card.citations), grounded=card,
                               matches=[match_to_json(m)] if m is not None else [_card_json(asked_card)])
        if not grounded.found and profile_row is not None and decision.method == "uncertain":
            # the model leaning to a profile field group without being sure ("想確認下，客戶2022年那輪A輪的領投方是哪家？")
            # and no passage answering: the profile answers when the attribute asked is one it holds (checked in full)
            leaning = next((s.fields for s in self.router().intents.specs if s.name == decision.intent and s.route == "profile"), ())
            tried = self._profile_turn(replace(turn, route="profile", reason=""),
                                       replace(decision, route="profile", method="model", fields=leaning),
                                       question, named, profile_row) if leaning else None
            if tried is not None and tried.grounded.found:
                return tried
        if grounded.found and on_card:
            cited = self._one_card_cited(principal, question, earlier, grounded, any_ask=profile_row is not None)
            if cited is not None:  # answered from one program's card alone, the program the question (or the one
                # before it) names ("EIC Accelerator的grant上限多少欧"): the program's answer, shown with its card (its
                # verdict, a client in focus)
                m = one_match(self, principal, enterprise_id or "", cited.id) if profile_row is not None else None
                return replace(turn, route="match", intent="program", passages=passages, grounded=grounded,
                               matches=[match_to_json(m) if m is not None else _card_json(cited)])
        if profile_row is None and not grounded.found and on_card:
            # no passage answers a term asked of the one program the question (or the one before it) names ("科技信用贷的
            # 利率定价基准和担保方式分别是什么？"): the terms its card states
            terms = self._card_terms(turn, earlier)
            if terms is not None:
                return terms
        return replace(turn, route="retrieval", passages=passages, grounded=grounded)

    def _card_terms(self, turn: Turn, earlier: list[str]) -> Turn | None:
        """The terms asked (app/data/benefit_labels.yaml) of the one program the question names, or, naming none, the
        one the question before it names, from that program's card; None when no one program is named or its card
        states none of the terms asked."""
        principal, question = turn.principal, turn.question
        pid = self._program_asked_of(principal, question, earlier)
        program = next((p for p in self.matching.catalog().scope(principal).programs if p.id == pid), None)
        keys = benefits_asked(question, program.benefits) if program is not None else []
        if program is None or not keys or len(named_in(self, principal, question)) > 1:
            return None
        lang = turn.grounded.lang
        said = benefit_sentences({k: program.benefits[k] for k in keys}, lang)
        text = cited_terms(said, lang)
        answered = replace(with_answer(turn, text, [program_passage(1, program, lang)], []), route="match", intent="program")
        return replace(answered, matches=[_card_json(program)])

    def _one_card_cited(self, principal: Principal, question: str, earlier: list[str], grounded: Answer,
                        any_ask: bool = False) -> Program | None:
        """The program whose catalog card is the only source the answer cites, when the question names that program
        (or, naming none, the question before it does) and asks a term it offers (its amount, rate, term …: what the
        card is the source of; `any_ask`: whatever it asks, as of a program for the client in focus); None when a
        document of the knowledge base is cited too, or several programs' cards."""
        cited = {str(c.doc_id) for c in grounded.citations}
        if len(cited) != 1 or not (only := next(iter(cited))).startswith("program:"):
            return None
        pid = self._program_asked_of(principal, question, earlier)
        if pid != only.removeprefix("program:"):
            return None
        program = next((p for p in self.matching.catalog().scope(principal).programs if p.id == pid), None)
        return program if program is not None and (any_ask or benefits_asked(question, program.benefits)) else None

    def _program_asked_of(self, principal: Principal, question: str, earlier: list[str]) -> str | None:
        """The program a question asks of: the one it names by its title; naming none, or pointing at the one in focus
        ("该产品贷款期限最长多久？"), the one the question before it named."""
        pid = program_named(self, principal, question)
        if earlier and (pid is None and not named_in(self, principal, question) or THIS_PROGRAM.search(question)):
            return program_named(self, principal, earlier[0])
        return pid

    def _person_of_program(self, principal: Principal, question: str, named: str) -> bool:
        """The question asks only who (a person, 谁) of a program it names, not whether the client fits."""
        return asks_who(question) and len(asking_clauses(question)) == 1 and not ELIGIBLE_ASKED.search(named) \
            and not CLIENT_APPLIES.search(named) and program_named(self, principal, question) is not None

    def _named_program_fit(self, turn: Turn, enterprise_id: str, decision: Decision, question: str, named: str,
                           profile_row: dict[str, Any]) -> Turn | None:
        """The one program the question names, judged for the client: only the requirements on the fields asked
        when a requirement is pointed at and no fit is asked, else its whole verdict; None when it names no one
        program."""
        pid = program_named(self, turn.principal, question)
        if pid is None or len(named_in(self, turn.principal, question)) > 1:
            return None
        program = next((p for p in self.matching.catalog().scope(turn.principal).programs if p.id == pid), None)
        if program is None:
            return None
        fields = decision.fields or self.router().profile_fields(named)
        # a term of what it offers asked ("按这个算极光额度上限大概多少", "the limits for an A-rated vs a B-rated
        # taxpayer"): the verdict with the terms asked, not only the requirement on the field named beside them
        terms = benefits_asked(question, program.benefits)
        asked = criteria_on(program, fields) if not ELIGIBLE_ASKED.search(named) and not terms else []
        if (asked or decision.route == "profile") and not terms and self.own_value_asked(named):
            # the client's own value asked, a program's requirement on it said beside as the reason ("科技信用贷要求纳税信用
            # B级以上，该公司的纳税信用等级是什么？", "我要对标下专精特新里知识产权那条，该公司发明专利、实用新型、软著各有几项？"):
            # the value, from the profile; one its documents do not state is said to be unrecorded, not the requirement
            # shown again
            unknown = self._unknown_for_client(turn, enterprise_id, program, asked, profile_row)
            if unknown:
                lang = turn.grounded.lang
                what = ("、" if lang == "zh" else ", ").join(dict.fromkeys(field_name(f, lang) for f in unknown))
                return replace(turn, route="profile", reason="not on record",
                               grounded=Answer(NOT_ON_RECORD[lang].format(what), (), False, lang))
            if decision.route == "profile":
                valued = self._profile_turn(replace(turn, route="profile"), decision, question, named, profile_row)
                if valued.grounded.found:
                    return valued
        if asked:
            return criterion_turn(self, replace(turn, route="match"), enterprise_id, program, asked, profile_row)
        return program_turn(self, replace(turn, route="match"), enterprise_id, pid, profile_row)

    @staticmethod
    def own_value_asked(named: str) -> bool:
        """Every clause of the question that asks is about the client (its name read as 该公司, or "it", "its") and
        none asks a requirement or the fit: the client's own value is asked, a requirement said beside it is why
        ("高企认定要求…不低于60%，该公司2023年高新技术产品收入占比具体是多少？"), not what ("研发占比的要求是多少？它达到了吗？")."""
        clauses = [c for c in asking_clauses(named) if asks(c)] or [named]
        return not any(CRITERION_NAMED.search(c) or REQUIREMENTS_ASKED.search(c) or ELIGIBLE_ASKED.search(c)
                       for c in clauses) and all(ABOUT_CLIENT.search(c) or CLIENT_OWNS.search(c) for c in clauses)

    def _unknown_for_client(self, turn: Turn, enterprise_id: str, program: Program, asked: list[Criterion],
                            profile_row: dict[str, Any]) -> tuple[str, ...]:
        """The fields of the requirements asked when the client's verdict on every one of them is unknown (its
        documents do not state the value); () when one is known or none is asked."""
        m = one_match(self, turn.principal, enterprise_id, program.id)
        verdicts = [v for v in m.verdicts if v.criterion in asked] if m is not None \
            else [evaluate(c, profile_from_json(profile_row), program.jurisdiction) for c in asked]
        verdicts = [v for v in verdicts if v.verdict != "not_applicable"]
        if not verdicts or any(v.verdict != "unknown" for v in verdicts):
            return ()
        return tuple(v.criterion.field for v in verdicts)

    def _profile_turn(self, turn: Turn, decision: Decision, question: str, named: str,
                      profile_row: dict[str, Any]) -> Turn:
        """The profile's answer to the fields decided, when the facts cited are about what the question names and
        the attribute asked is one they hold; else the turn unanswered, with the reason."""
        profile = profile_from_json(profile_row)
        if decision.method == "list" and (items := self.router().listed_items(named)):
            return self._listed_turn(turn, items, profile)
        decision = replace(decision, fields=named_group(named, decision.fields, _groups(), _terms))
        decision = self._people_counted(named, decision)
        values = {name: fv.chosen.value for name, fv in profile.fields.items()}
        answered = answer_from_profile(question, profile, turn.grounded.lang, self._context, decision.fields,
                                       self.deps.injection)
        # the facts cited must be about what the question names: "Acme's revenue" is not the client's,
        # nor is "the average pay of its R&D staff" its R&D headcount
        lang = turn.grounded.lang
        if answered is not None and answered.found:
            missing = [*certificates_not_held(index_form(question), values),
                       *(round_name(s, lang) for s in rounds_not_held(question, values))]
            if missing:  # a certification or a round the client's documents do not record: say so
                said = NOT_ON_RECORD[lang].format(("、" if lang == "zh" else ", ").join(missing))
                return replace(turn, grounded=Answer(said, (), False, lang), reason="not on record")
        # a place the client is in describes the client ("my first US client"): it is held beside the facts cited
        own_place = " ".join(str(values[f]) for f in ("address", "region") if f in values)
        beside = [Passage(0, "", "", own_place)] if own_place else []
        # (of the sentences that ask or request: one beside them that says why, "Cedar Loop only does seed/pre-A so I
        # want the exact round", names whom the asker deals with, not whose figure is asked)
        asking = " ".join(asking_or_requesting(named))
        other = answered is not None and answered.found and names_unsupported(asking, [*answered.citations, *beside],
                                                                               tokens, load_glossary())
        # the fields the profile holds are what answers ("when was its ISO 27001 certificate issued" of a firm
        # whose documents only name the certification: no certificate record, no date)
        holding = replace(decision, fields=tuple(f for f in decision.fields if f in values))
        held = other or answered is None or not answered.found or self._holds_attribute(named, holding, answered)
        if answered is not None and not other and held:
            aim = self.router().aim
            unheld = asked_not_held(named, holding.fields, aim, answered.citations) \
                if answered.found and holding.method == "model" and aim is not None else []
            if unheld:  # a sentence beside the one answered asks what the profile does not hold: said, not passed over,
                # in the asker's words (the client's own name where the check read "the company")
                read, typed = asking_clauses(named, within=False), asking_clauses(question, within=False)
                if len(read) == len(typed):
                    unheld = [typed[read.index(s)] if s in read else s for s in unheld]
                said = NOT_IN_PROFILE[lang].format(("；" if lang == "zh" else "; ").join(s.strip() for s in unheld))
                answered = replace(answered, text=f"{answered.text}\n{said}")
            return replace(turn, grounded=answered, passages=list(answered.citations))
        return replace(turn, reason="no field asked" if answered is None else "another party named" if other
                       else "attribute not held")

    def _people_counted(self, question: str, decision: Decision) -> Decision:
        """People asked ("how much has its R&D team grown", "how big is the team") of fields that count none
        (the model read "R&D" as the R&D expense): the fields of the profile intent the model scores highest
        among those counting people; the decision as it was when the question asks no people or none scores."""
        router = self.router()
        if measure_asked(question) != "people" or any(kind_of(f) == "count" for f in decision.fields) \
                or router.classifier is None:
            return decision
        counting = {s.name: s for s in router.intents.specs
                    if s.route == "profile" and any(kind_of(f) == "count" for f in s.fields)}
        best = next((counting[n] for n in router.classifier.scores(question) if n in counting), None)
        return decision if best is None else replace(decision, intent=best.name, fields=best.fields)

    def _about_focus_program(self, turn: Turn, enterprise_id: str, earlier: list[str],
                             profile_row: dict[str, Any]) -> Turn | None:
        """A follow-up naming nothing, about the program in focus ("它能做投贷联动吗？" then "那额度一般能批到多少？",
        "What's the term?"): a criterion it asks about ("and the headcount cap?") with its verdict for the client,
        else answered from that program's card and benefits, shown with its card as the earlier turn showed it;
        None when no program is in focus or neither answers."""
        program = self._program_in_focus(turn, enterprise_id, earlier, profile_row)
        if program is None:
            return None
        router = self.router()
        asked = criteria_asked(router.intents, router.classifier, turn.question, program)
        if asked:  # "and the headcount cap, are they under it?": that criterion's verdict
            return criterion_turn(self, turn, enterprise_id, program, asked, profile_row)
        m = one_match(self, turn.principal, enterprise_id, program.id)
        if m is None:
            return None
        card = program_passage(1, m.program, turn.grounded.lang)
        # the program is the subject: its title speaks for no sentence (each must hold what is asked of it); the client
        # named in the question is the client, no other party its card would have to name ("between Northwind and the
        # research partner")
        about = _CLIENT_WORDS.sub(" ", as_the_company(turn.question, *self._own_names(profile_row, enterprise_id)))
        grounded = compose_parts(about, [replace(card, title="")], tokens, load_glossary(), self.deps.injection,
                                 subject_given=True)  # (two sentences asking two things of it: each answered)
        if not grounded.found:
            return None
        return replace(turn, route="match", passages=[card], grounded=replace(grounded, citations=(card,)),
                       matches=[match_to_json(m)])

    def card_said(self, turn: Turn, program: Program, profile_row: dict[str, Any], enterprise_id: str) -> list[str]:
        """What the program's card (with its benefits) states of what the question asks besides the program itself
        ("软件产品增值税即征即退是税负超过几个点的部分退？"): the question read without the program's names and the client's,
        answered from the card alone; none when it asks the program's requirements or the client's eligibility (the
        verdict answers those) or the card does not state it."""
        question = turn.question
        if REQUIREMENTS_ASKED.search(question) or ELIGIBLE_ASKED.search(question) or GAPS_ASKED.search(question):
            return []
        rest = question
        for name in sorted({program.title, re.sub(r"[（(][^）)]*[）)]", "", program.title), *program.aliases}, key=len, reverse=True):
            if len(name.strip()) >= 2:
                rest = re.sub(re.escape(name.strip()), " ", rest, flags=re.IGNORECASE)
        rest = _CLIENT_WORDS.sub(" ", as_the_company(rest, *self._own_names(profile_row, enterprise_id)))
        if rest == question or not _TERM_ASKED.search(index_form(rest)) or not asking_clauses(rest, within=False):
            return []  # (a fit asked yes or no, "南山那个高企认定奖励，极光能不能拿？": the verdict alone)
        card = program_passage(1, program, turn.grounded.lang)
        grounded = compose_parts(rest, [replace(card, title="")], tokens, load_glossary(), self.deps.injection,
                                 subject_given=True)
        # (its marks left to the verdict's line, which cites the card)
        return [re.sub(r"\s*\[\d+\]", "", grounded.text).strip()] if grounded.found else []

    def _term_compared(self, principal: Principal, program_id: str, question: str) -> bool:
        """A question naming one program (no other) and asking a term of it, setting it against something else ("what
        share of the work must the small business do vs the research institution?"), not two years of the client's
        figures ("R&D 2022 vs 2023 for the HNTE file")."""
        program = next((p for p in self.matching.catalog().scope(principal).programs if p.id == program_id), None)
        return program is not None and len(named_in(self, principal, question)) <= 1 and len(years_asked(question)) < 2 \
            and bool(_TERM_ASKED.search(index_form(question)) or benefits_asked(question, program.benefits))

    def _about_another(self, turn: Turn, enterprise_id: str, earlier: list[str], profile_row: dict[str, Any]) -> Turn | None:
        """A short follow-up naming another program ("what about STTR?", "那专精特新贷呢？") after a question
        about a program: that program's verdict, or its gaps when the earlier turn asked for gaps."""
        program = program_named(self, turn.principal, turn.question)
        if program is None:  # named in one piece of it: "what about the other one, STTR? what would they need"
            named = named_in(self, turn.principal, turn.question)
            program = named[0] if len(named) == 1 else None
        if program is None:
            return None
        focus = focus_of(self, turn.principal, earlier, True, program_named,
                         self._own_names(profile_row, enterprise_id))
        if focus.program == program:
            return None
        if focus.program is None:  # after a list or a question naming none ("那投贷联动呢？"): the one named now
            return program_turn(self, replace(turn, route="match"), enterprise_id, program, profile_row)
        if GAPS_ASKED.search(focus.question) or any(self.router().decide(q, True).intent == "followup.gaps"
                                                    for q in earlier[:1]):
            return gaps_turn(self, replace(turn, route="match"), enterprise_id, program, None)
        return program_turn(self, replace(turn, route="match"), enterprise_id, program, profile_row)

    def _described_named(self, principal: Principal, earlier: list[str], enterprise_id: str | None,
                         profile_row: dict[str, Any] | None) -> list[str]:
        """The conversation's first question with the title of the program it described without naming it
        ("广东省给那种专心做细分行业的中小企业评的称号，极光能不能去申请？", answered with that program's verdict) written
        after it, so that follow-ups find the program in focus as they would had it been named."""
        if not earlier or len(earlier) >= LOOK_BACK:
            return earlier
        first = earlier[-1]
        own = self._own_names(profile_row, enterprise_id or "") if profile_row is not None else ()
        decided = self.router().decide(as_the_company(first, *own), profile_row is not None)
        if decided.intent != "program" or decided.program or program_asked(self, principal, first) is not None:
            return earlier
        described = program_described(self, principal, first)
        title = next((p.title for p in self.matching.catalog().scope(principal).programs if p.id == described), None)
        if title is None:
            return earlier
        return [*earlier[:-1], f"{first}（{title}）" if cjk_ratio(first) > 0.3 else f"{first} ({title})"]

    def _ordinal(self, principal: Principal, conversation_id: str | None, messages: list[dict[str, str]],
                 question: str) -> str | None:
        """A follow-up pointing at an item of the previous answer's list ("第一个的利率是多少？"), with that
        program's title in its place (app/chat_focus.py); the previous answer is the stored conversation's."""
        if not conversation_id or len([m for m in messages if m.get("role") == "user"]) > 1:
            return None  # a client keeping its own history sends no citations: the stored ones are not its
        answers = [m for m in self.store.history(principal.tenant, conversation_id) if m["role"] == "assistant"]
        if not answers:
            return None
        titles = {p.id: p.title for p in self.matching.catalog().scope(principal).programs}
        return resolved_ordinal(question, answers[-1]["citations"], titles)

    def _program_names(self, principal: Principal) -> list[str]:
        """The titles and aliases of the programs this principal may see."""
        return [n for p in self.matching.catalog().scope(principal).programs for n in (p.title, *p.aliases)]

    def _programs(self, turn: Turn, enterprise_id: str, decision: Decision, earlier: list[str],
                  profile_row: dict[str, Any]) -> Turn:
        """Match cards of the kind asked; a named program's verdict; a follow-up's gaps."""
        program = decision.program or (program_asked if decision.intent == "program" else program_named)(
            self, turn.principal, turn.question)  # named by its title
        if program is None and decision.intent == "program" and not earlier:
            # a first question about one program that describes it ("拿专利去抵押的那种贷款"): the one it describes
            program = program_described(self, turn.principal, turn.question)
        if program is not None and decision.kind and not decision.program and self._kind_of(turn.principal, program) != decision.kind:
            program = None  # a list of one kind asked ("loans for a tech SME"): a program of another kind named is no answer
        if program is not None:
            return program_turn(self, turn, enterprise_id, program, profile_row)
        if earlier and (THAT_ONE.search(turn.question) or self.fit_of_one(turn.question)):
            # "would Northwind fit that?", "极光能贷不" after "科技信用贷要抵押吗": the program in focus, if one is (of the
            # kind asked); "极光能做哪些" asks a list
            focus = focus_of(self, turn.principal, earlier, True, program_named,
                             self._own_names(profile_row, enterprise_id))
            if focus.program is not None and (not decision.kind or self._kind_of(turn.principal, focus.program) == decision.kind):
                return program_turn(self, turn, enterprise_id, focus.program, profile_row)
        if earlier and decision.intent != "followup.gaps" and REQUIREMENTS_ASKED.search(turn.question) \
                and not kinds_named(turn.question) and not PROGRAMS_ASKED.search(turn.question):
            # the requirements asked, of no program and no kind of program ("极光需满足哪些申请条件？" after a question
            # naming one): the program in focus, its verdict clause by clause
            in_focus = self._program_in_focus(turn, enterprise_id, earlier, profile_row)
            if in_focus is not None:
                return program_turn(self, turn, enterprise_id, in_focus.id, profile_row)
        if decision.intent not in ("program", "followup.gaps"):
            named = kinds_named(turn.question)
            if len(named) >= 2:  # "across grants, loans and investors": those kinds, not the one the model leans to
                return match_turn(self, turn, enterprise_id, None, named)
            # the model unsure of the kind: the one kind the question names ("which funds are worth a call?")
            return match_turn(self, turn, enterprise_id, decision.kind or (named[0] if named else None))
        focus = focus_of(self, turn.principal, earlier, True, program_named,
                         self._own_names(profile_row, enterprise_id))
        if focus.program is not None and decision.intent == "program":  # "极光够不够格" after a question naming one: its verdict
            return program_turn(self, turn, enterprise_id, focus.program, profile_row)
        if decision.intent == "followup.gaps" and focus.program is None and (answered := self._answered_program(turn)):
            # "那还有哪条是极光材料里证明不了的？" after an answer about one program, to a question naming none (one
            # on a criterion of it, "研发投入那两条过没过？"): that program's gaps
            return gaps_turn(self, turn, enterprise_id, answered, None)
        if focus.program is not None or decision.intent == "followup.gaps":
            return gaps_turn(self, turn, enterprise_id, focus.program, focus.kind)
        return match_turn(self, turn, enterprise_id, None)

    def _kind_of(self, principal: Principal, program_id: str) -> str | None:
        return next((p.kind for p in self.matching.catalog().scope(principal).programs if p.id == program_id), None)

    def _from_statements(self, rows: OwnRows, question: str, named: str, lang: str,
                         fields: tuple[str, ...]) -> Answer | None:
        """A quarter asked of the `fields` the client's sheets hold by quarter, or a line of the client's
        own statements the question names that its profile does not hold (存货, total equity, a margin:
        app/core/statement_lines.py); None when neither, or the question names a place or organisation
        the rows do not (another firm's inventory)."""
        column = answer_quarter_column(question, rows.pages, lang)
        group = next((g for g in _groups() if set(g) & set(fields)), ())
        by_quarter = answer_quarter(question, rows.quarters, fields, lang, group)
        stated: Answer | None
        if column is not None and column.found and by_quarter is not None and by_quarter.found:
            stated = _both(by_quarter, column)  # "23Q4研发人头多少，主要在做啥项目": the headcount and the project
        else:
            stated = column or by_quarter
        if stated is None and rows.lines:
            stated = self._lines_joined(question, rows.lines, lang) or answer_from_statements(question, rows.lines, lang)
        if stated is not None and stated.found and names_unsupported(named, stated.citations, tokens, load_glossary()):
            return None
        return stated

    @staticmethod
    def _lines_joined(question: str, lines: list[Line], lang: str) -> Answer | None:
        """Lines of the client's statements joined in one ask ("2023年末货币资金和短期借款分别是多少", "cash and short-term
        borrowings at 2023-12-31?"): each conjunct answered as its own question, with the periods the whole names, and
        the answers joined in the order asked; None unless every conjunct is answered by a line of its own."""
        parts = coordinated(question)
        if len(parts) < 2:
            return None
        years = years_asked(question)
        answers: list[Answer] = []
        for p in parts:
            a = answer_from_statements(p if years_asked(p) or not years else f"{p} {' '.join(years)}", lines, lang)
            if a is None or not a.found or any(a.text == b.text for b in answers):
                return None  # a conjunct no line answers, or two naming the same line
            answers.append(a)
        joined = answers[0]
        for a in answers[1:]:
            joined = _both(joined, a)
        return joined

    def _terms_of_focus(self, turn: Turn, enterprise_id: str, earlier: list[str], profile_row: dict[str, Any],
                        owned: bool = False) -> Turn | None:
        """A follow-up naming no program that asks a term of the program in focus (its amount, rate, term or
        collateral, by the words app/data/benefit_labels.yaml lists for each: "那最多能贷多少？", "what's the
        tenor?"): those terms, cited to the program's card (a validity asked with the client's own certificate of it);
        None when no program is in focus or it states none of the terms asked. The router's route does not decide:
        "利率大概多少" reads to it like a client figure.
        `owned`: the question says whose ("它的", "its"): an amount is then the client's own ("它的授信额度", "the
        company's credit limit"), while a term no client figure shares ("its term", "它的利率") is still the program's.
        A follow-up naming one program ("for that venture debt product, how big can the loan be relative to the
        round?") asks that program's terms; naming two, no one program's."""
        pid, named = program_named(self, turn.principal, turn.question), named_in(self, turn.principal, turn.question)
        if (pid is not None or named) and not THIS_PROGRAM.search(turn.question):
            one = (pid or named[0]) if len(named) <= 1 else None  # named whole, or in one piece of it
            program = next((p for p in self.matching.catalog().scope(turn.principal).programs if p.id == one), None)
        else:
            program = self._program_in_focus(turn, enterprise_id, earlier, profile_row)
        keys = benefits_asked(turn.question, program.benefits) if program is not None else []
        if owned:
            keys = [k for k in keys if k not in CLIENT_AMOUNTS]
        if program is None or not keys:
            return None
        lang = turn.grounded.lang
        card = program_passage(1, program, lang)
        said = benefit_sentences({k: program.benefits[k] for k in keys}, lang)
        text = cited_terms(said, lang)
        cited = [card]
        sized = sized_line(self, program, profile_row, lang, cited) if set(keys) & SIZED_BY else None
        if sized:  # "按这个算极光额度上限大概多少": the size the rule gives the client, its base cited
            text += f"{sized}[1]。" if lang == "zh" else f" {sized} [1]."
        if "qualification_years" in keys:  # "how long is that good for — until when?": the client's own certificate
            text += "".join(("" if lang == "zh" else " ") + line for line in held_lines(self, profile_row, program, lang, cited))
        m = one_match(self, turn.principal, enterprise_id, program.id)
        return replace(with_answer(turn, text, cited, [m] if m is not None else []), route="match")

    @staticmethod
    def names_criterion(question: str) -> bool:
        """The question points at a requirement ("那两条", "the headcount cap", "门槛"), not at the client alone."""
        return bool(CRITERION_NAMED.search(question))

    @staticmethod
    def fit_of_one(question: str) -> bool:
        """The client's fit asked yes or no, of no program named ("极光能贷不", "够格吗"): after a question naming
        one, of that one; "能做哪些" asks a list."""
        form = index_form(question)
        return bool(ELIGIBLE_ASKED.search(form)) and not _WHICH.search(form)

    @staticmethod
    def fit_asked(question: str) -> bool:
        """The client's fit for a program, or one of its requirements, asked (with a program named, a question
        the router reads as a profile one is answered with that program's verdict)."""
        form = index_form(question)
        return bool(ELIGIBLE_ASKED.search(form) or CRITERION_NAMED.search(form) or CLIENT_APPLIES.search(form)
                    or INVESTOR_FIT.search(form))

    def _criterion_in_focus(self, turn: Turn, enterprise_id: str, earlier: list[str], profile_row: dict[str, Any],
                            fields: Sequence[str], question: str = "") -> Turn | None:
        """The criteria on `fields` of the program in focus, with their verdicts; where the question asks for what the
        program only prefers ("which clause is a preference only, not a hard requirement", "优先条件"), its soft
        criteria (those on `fields` when there are any; a program preferring nothing: its criteria on `fields`); None
        when no program is in focus or none is asked."""
        program = self._program_in_focus(turn, enterprise_id, earlier, profile_row)
        asked = criteria_on(program, fields) if program is not None else []
        if program is not None and SOFT_ASKED.search(question):
            soft = [c for c in program.criteria if not c.hard]
            asked = [c for c in asked if not c.hard] or soft or asked  # (none preferred: what it requires of them)
        return criterion_turn(self, turn, enterprise_id, program, asked, profile_row) if program and asked else None

    def _program_in_focus(self, turn: Turn, enterprise_id: str, earlier: list[str], profile_row: dict[str, Any]) -> Program | None:
        """The program the previous answer was about (its one program card cited), else the catalog program the latest
        earlier question named (app/chat_focus.py), as this principal sees it: "Does Aurora meet the R&D staff
        requirement?" answered with the HNTE verdict keeps HNTE in focus for "and the R&D spending one?"."""
        pid = self._answered_program(turn) or focus_of(self, turn.principal, earlier, True, program_named,
                                                       self._own_names(profile_row, enterprise_id)).program
        return next((p for p in self.matching.catalog().scope(turn.principal).programs if p.id == pid), None)

    def _answered_program(self, turn: Turn) -> str | None:
        """The one program whose card the conversation's previous answer cites (a verdict, a criterion, a term of it),
        the answers citing nothing passed over; None when it cites no program or several (a list, a comparison)."""
        answers = [m for m in self.store.history(turn.principal.tenant, turn.conversation_id)
                   if m["role"] == "assistant" and m.get("citations")]  # (an answer citing nothing, a decline, moves no focus)
        if not answers:
            return None
        ids = {str(c.get("doc_id", ""))[len("program:"):] for c in answers[-1].get("citations") or ()
               if str(c.get("doc_id", "")).startswith("program:")}
        return ids.pop() if len(ids) == 1 else None

    def _own_names(self, profile_row: dict[str, Any], enterprise_id: str | None) -> tuple[str, ...]:
        """The names the client goes by in a question (app/core/own_name.py)."""
        return own_names(str(profile_row.get("name") or ""), enterprise_id, self._common_words())

    def _common_words(self) -> frozenset[str]:
        """The English words of the intents' exemplars (what questions ask about): a client handle that is one
        of them ("credit", "growth") is no name."""
        if self._exemplar_words is None:
            texts = [t for spec in self.router().intents.specs for t in (*spec.examples, *spec.training)]
            self._exemplar_words = frozenset(w for t in texts for w in re.findall(r"[a-z]+", t.lower()))
        return self._exemplar_words

    def _named_program_in_scope(self, principal: Principal, question: str, decision: Decision, has_client: bool) -> Decision:
        """A question the model reads as out of scope, surely or not, that names a catalog program by its title
        ("帮我看看极光适不适合做投贷联动") is about that program: its verdict for the client in focus, else the
        knowledge base."""
        program = program_named(self, principal, question)
        if program is None:
            return decision
        if has_client:
            return Decision("match", "program", "rule", program=program)
        return Decision("retrieval", "document", "rule")

    def _fields_named(self, question: str) -> tuple[str, ...]:
        """The fields of each profile field group one of whose fields the question names by its own name (营业收入,
        "revenue"), the documents it names left out, in the groups' order; () when it names none."""
        blank = _sources_left_out(question)  # the documents named are where, not what ("business plan", 利润表)
        return tuple(f for group in _groups() if any(named_outright(blank, f) for f in group) for f in group)

    def _client_not_out_of_scope(self, question: str, decision: Decision) -> Decision:
        """A question the model reads as out of scope, sure of it or not, that names the client ("whos leading the
        company's series A?", "Roughly what share of the company's people are doing R&D? need a headcount split for
        my memo") goes to the profile field group the model ranks next, when it ranks one at all
        (OUT_OF_SCOPE_FIELD): its answer, or 'not in the profile' when the attribute is not held."""
        router = self.router()
        if router.classifier is None or not ABOUT_CLIENT.search(question):
            return decision
        specs = {s.name: s for s in router.intents.specs}
        runner = next(((n, p) for n, p in router.classifier.scores(question).items() if n != "out_of_scope"), None)
        if runner is None or specs[runner[0]].route != "profile" or runner[1] < OUT_OF_SCOPE_FIELD:
            return decision
        return Decision("profile", runner[0], "model", fields=tuple(specs[runner[0]].fields), confidence=runner[1])

    def _certificate_asked(self, principal: Principal, question: str, profile_row: dict[str, Any]) -> str | None:
        """The client's certificate record a question asks a part of (its number, issue date, issuer, validity),
        when it names no program ("高企贷的授信有效期" is the loan's): app/core/facts_certificates.py."""
        fields = profile_row.get("fields") or {}
        record = certificate_record_asked(index_form(question), fields, load_glossary().expansions(question))
        if record is None:
            return None
        program = program_named(self, principal, question)
        if program is None:
            return record
        # the program named is the certification itself (高新技术企业认定 for "高企证书"), or a loan named after it
        # that the question does not ask of as a loan ("the certificate number on its high-tech enterprise cert, for
        # the credit memo"); not the loan's own terms ("高企贷的授信有效期")
        named = next((p for p in self.matching.catalog().programs if p.id == program), None)
        if named is None:
            return None
        if certification_named(record, named.title):
            return record
        return record if named.kind == "credit" and not _LOAN_ASKED.search(index_form(question)) else None

    def _names_own_line(self, principal: Principal, rows: OwnRows, question: str) -> bool:
        """The question names, by a label of two words or three characters or more, a line of the client's
        statements that no profile field holds and no catalog program is named by."""
        if total_named(question, rows.lines):  # a standard total of its lines ("银行借款": short- plus long-term borrowings)
            return program_named(self, principal, question) is None
        line = named_line(question, rows.lines)
        return line is not None and profile_item(line.item.label) is None and named_at_length(question, line) \
            and program_named(self, principal, question) is None

    def _listed_turn(self, turn: Turn, items: list[tuple[str, tuple[str, ...]]], profile: EnterpriseProfile) -> Turn:
        """Attributes listed ("Northwind basics: HQ, founding year", "(a) employees; (b) patents; (c) certifications"):
        each item answered from its own fields as a question of its own (its measure, its period), in the list's order,
        when it is an attribute they hold; those that are not are said to be unanswered; none answered: not held."""
        lang = turn.grounded.lang
        answered: list[Turn] = []
        unheld: list[str] = []
        aim = self.router().aim
        for item, fields in items:
            a = answer_from_profile(item, profile, lang, self._context, fields, self.deps.injection)
            if a is None or not a.found:
                continue
            held = holds_attribute(item, fields, aim, a.citations) if aim is not None else value_stated(item, fields)
            if not held or names_unsupported(item, a.citations, tokens, load_glossary()):
                unheld.append(item.split(": ", 1)[-1])
                continue
            answered.append(replace(turn, grounded=a, passages=list(a.citations)))
        if not answered:
            return replace(turn, reason="attribute not held")
        joined = _joined(turn, answered)
        if unheld:
            said = NOT_IN_PROFILE[lang].format(("；" if lang == "zh" else "; ").join(unheld))
            joined = replace(joined, grounded=replace(joined.grounded, text=f"{joined.grounded.text}\n{said}"))
        return replace(joined, route="profile", intent=turn.intent)

    def _holds_attribute(self, question: str, decision: Decision, answered: Answer) -> bool:
        """The attribute the question asks for (and its owner) is what the answered fields hold
        (app/core/asked_attribute.py); without the model's field-name check, only the value kind and staff
        group asked are checked (form rules)."""
        aim = self.router().aim
        if aim is None or decision.method != "model":
            return value_stated(question, decision.fields) and staff_group_held(question, decision.fields)
        return holds_attribute(question, decision.fields, aim, answered.citations)

    # -- evidence --------------------------------------------------------------------------------
    def _passages(self, question: str, principal: Principal, enterprise_id: str | None,
                  own: bool = False) -> list[Passage]:
        """`own`: the enterprise's own documents only (a question about the client no profile field answers)."""
        retriever = self.deps.retriever()
        if enterprise_id and own:
            hits = retriever.search(question, principal, OWN_PASSAGES, Filters(enterprise_id=enterprise_id))
            return [_passage(i + 1, h) for i, h in enumerate(hits)]
        if enterprise_id:
            hits = retriever.search(question, principal, KB_PASSAGES, Filters(enterprise_id=enterprise_id))
            hits += retriever.search(question, principal, KB_PASSAGES, Filters(tenant="public"))
            hits = sorted(hits, key=lambda h: -h.score)[:KB_PASSAGES]
        else:
            hits = retriever.search(question, principal, KB_PASSAGES)
        passages = [_passage(i + 1, h) for i, h in enumerate(hits)]
        scope = self.matching.catalog().scope(principal)  # scored among the programs this principal may see
        index, by_id = scope.index, {p.id: p for p in scope.programs}
        expansions = load_glossary().expansions(question)
        expanded = " ".join([question, *expansions])
        # the retriever embedded this text already (the memo answers): one embedding per question
        vector = self.deps.memo_embedder.embed_query([dense_text(question, expansions, self.deps.memo_embedder.multilingual)])[0] if index.dense_weight(expanded) else None
        for pid, score in index.query(expanded, vector).top(PROGRAM_PASSAGES):
            p = by_id[pid]
            if score >= 0.5 and not any(x.doc_id == f"program:{pid}" for x in passages):
                passages.append(program_passage(len(passages) + 1, p, language_of(question)))
        return passages

    def _meaning(self) -> Meaning | None:
        """The embedding model's reading of a question beside the sentences that may answer it (each sentence embedded
        once per process, as a passage); None with a model that does not read both languages."""
        embedder = self.deps.memo_embedder
        if not embedder.multilingual:
            return None

        def near(question: str, sentences: list[str]) -> list[float]:
            asked = np.asarray(embedder.embed_query([question])[0])
            return [float(v) for v in np.asarray(embedder.embed(sentences)) @ asked]
        return near

    def _flagged(self, passages: list[Passage]) -> list[Passage]:
        """The passages with the sentences ingest flagged as instructions (chunk metadata)."""
        stored = self.deps.kb.store.chunk_injection([p.chunk_id for p in passages if p.chunk_id])
        return [replace(p, flagged=stored[p.chunk_id]) if p.chunk_id in stored else p for p in passages]

    def _context(self, fact: Fact) -> tuple[str, str, int | None]:
        """(title, the sentence around the fact, page) for citing a profile fact."""
        if not fact.doc_id:
            return ("profile", fact.quote or str(fact.value), None)
        doc = self.deps.kb.store.document(fact.doc_id)
        title = str(doc["title"]) if doc is not None else fact.doc_id
        page_text = self.deps.kb.store.page_text(fact.doc_id, fact.page or 1) if fact.page else None
        if page_text and fact.span:
            return (title, _sentence_around(page_text, fact.span), fact.page)
        return (title, fact.quote, fact.page)


# the kinds of document a client's figure is stated in: its plan, its statements, its overview
_SOURCE_KINDS = tuple(re.compile(rf"(?<![a-z]){p}(?![a-z])") for p in (
    r"商业计划书|计划书|bp|business plan|pitch deck|deck|the plan",
    (r"财务报表|财报|报表|利润表|资产负债表|审计报告|financials?|financial statements?|spreadsheet|excel|xlsx|income statement|"
     r"p&l|balance sheet|accounts"),
    r"公司概况|官网|overview|website"))


# a sentence that requests ("Please also state the legal representative's full name", "请列明…"): it asks, as a question does
_REQUEST = re.compile(r"^\s*(?:(?:please|pls|kindly|also|and)\s+)*(?:state|provide|give|list|share|send|tell|confirm|show|"
                      r"set out|specify|include)\b|^\s*(?:请|麻烦|烦请|敬请|务请|另请)", re.IGNORECASE)


# a sentence offering the asker's own guess for confirmation ("Am I wrong in thinking it's Seattle?", "It wasn't Sequoia,
# was it?"): beside a sentence asking the attribute, the name in it is a value guessed, not a party asked about
_GUESS = re.compile(r"^\W*(?:am i (?:wrong|right|correct|mistaken) (?:in thinking|to think|that)|i (?:think|thought|believe|"
                    r"assume|reckon)|it(?:'s| is| was)(?:n't| not)?|(?:is|was|isn't|wasn't) it|that(?:'s| is| was)(?:n't| not)?|"
                    r"surely|or was it|or is it)\b.*\?\W*$|,\s*(?:was|wasn't|is|isn't|did|didn't) (?:it|they)\?\W*$|"
                    r",\s*(?:right|correct)\?\W*$", re.IGNORECASE)


def without_guesses(question: str, own: Sequence[str] = ()) -> str:
    """The question without the sentences guessing a named value for confirmation (_GUESS: "Am I wrong in thinking
    it's Seattle?", "It wasn't Sequoia, was it?") when another sentence asks or requests: the name guessed (a city, a
    fund) is what the answer confirms or corrects, not a party the question is about. A guess naming nothing but the
    client (`own`: its names) or a concept ("Am I right that R&D people make up less than a third of Aurora's
    workforce?") asks about a figure of its own and stays."""
    sentences = _sentences(question)

    def guessed(sentence: str) -> bool:
        # a name other than the client's own, and neither an acronym (R&D, HNTE) nor a concept the glossary knows
        norm = index_form(sentence)
        known = {index_form(t) for entry in load_glossary().entries if any(contains(norm, index_form(t)) for t in entry)
                 for t in entry}
        return any(not any(index_form(o) in index_form(n) or index_form(n) in index_form(o) for o in own)
                   and not any(contains(k, index_form(n)) or contains(index_form(n), k) for k in known)
                   and not n.isupper() for n in question_names(sentence))

    guesses = [p for p in sentences if _GUESS.search(p) and (asks(p) or _REQUEST.match(p)) and guessed(p)]
    if not guesses or not any((asks(p) or _REQUEST.match(p)) and p not in guesses for p in sentences):
        return question
    return " ".join(p for p in sentences if p not in guesses) if cjk_ratio(question) <= 0.3 else \
        "".join(p for p in sentences if p not in guesses)


def _sentences(question: str) -> list[str]:
    """The question's sentences, at question and exclamation marks, Chinese full stops and an English full stop."""
    return [p.strip() for p in re.split(r"(?<=[?？。!！])\s*|(?<=\.)\s+", question) if p.strip()]


def asking_or_requesting(question: str) -> list[str]:
    """The sentences of a question that ask or request something; the whole question when none is told apart."""
    sentences = _sentences(question)
    kept = [p for p in sentences if asks(p) or _REQUEST.match(p)]
    return kept or [question]


# a term asked, not a yes or no: how much, how many, which, what, how it is worked out
_TERM_ASKED = re.compile(r"多少|几(?!乎)|幾(?!乎)|什么|什麼|哪|多大|多高|多长|多長|多久|怎么算|怎麼算|如何|"
                         r"\b(?:what|which|when|how (?:much|many|long|big|large|high|is|are|does|do))\b")
# the client in a question about a program's card: not what the card is asked about
_CLIENT_WORDS = re.compile(r"(?<![a-z])(?:the|this) (?:company|client|firm)(?:'s)?(?![a-z])|该公司|該公司|这家公司|這家公司",
                           re.IGNORECASE)


def sources_named(question: str) -> list[int]:
    """Which kinds of the client's documents the question names (its plan, statements, overview), by index."""
    form = index_form(question)
    return [i for i, kind in enumerate(_SOURCE_KINDS) if kind.search(form)]


def _sources_left_out(question: str) -> str:
    """The question (in index form) without the names of the client's documents it names."""
    blank = index_form(question)
    for kind in _SOURCE_KINDS:
        blank = kind.sub(" ", blank)
    return blank


def _moved_mark(moved: dict[int, int], m: re.Match[str]) -> str:
    """A citation mark renumbered ("[1]" → "[3]") as its passage is numbered in the joined answer."""
    return f"[{moved.get(int(m[1]), int(m[1]))}]"


def holds_attribute(question: str, fields: Sequence[str], aim: FieldAim, citations: Sequence[Passage] = ()) -> bool:
    """Whether the attribute the question asks for is one the `fields` hold, read against the profile's
    vocabulary and the passages their facts are cited to, and the fields' names (app/core/asked_attribute.py);
    an amount or a count asked ("how much tax did it pay", 本市有多少家企业) is held only by fields
    stating one (not by a tax rating or a certificate)."""
    if not value_stated(question, fields) or not staff_group_held(question, fields):
        return False
    return attribute_held(question, *_held_reading(question, fields, aim, citations))


def asked_not_held(question: str, fields: Sequence[str], aim: FieldAim, citations: Sequence[Passage] = ()) -> list[str]:
    """The sentences of a question asked in several that name an attribute the `fields` do not hold (as
    `holds_attribute` reads each): an answer from those fields says they are not answered."""
    return [s for s in sentences_not_held(question, *_held_reading(question, fields, aim, citations))
            if s.strip() != question.strip()]


def _held_reading(question: str, fields: Sequence[str], aim: FieldAim, citations: Sequence[Passage]) -> tuple[
        frozenset[str], Callable[[str], frozenset[str]], Callable[[str], float], Callable[[str], float], bool, frozenset[str]]:
    """What `attribute_held` reads a question against for the `fields`: their vocabulary (with the passages their
    facts are cited to), the terms, the cosines to their names and to any field's, whether a ratio is answered, and
    the vocabulary of the fields holding dates."""
    vocabulary = _field_vocabulary(tuple(fields)) | {t for p in citations for t in content_terms(f"{p.title}\n{p.text}", tokens)}
    if any(kind_of(f) in ("money", "count") for f in fields):  # the change of an amount is derived ("the percentage
        # increase in R&D expense", 增幅): the words asking a change are the amount's too
        words = re.findall(r"[a-z]+", index_form(question)) + [w for w in tokens(question) if not w.isascii()]
        vocabulary |= {t for w in words if change_asked(w) for t in _terms(w)}
    return (frozenset(vocabulary), _terms, lambda phrase: aim.closest(phrase, fields), aim.closest,
            any(kind_of(f) == "ratio" for f in fields),
            _dated_vocabulary(tuple(f for f in fields if f in DATED_FIELDS or kind_of(f) == "events")))


def staff_group_held(question: str, fields: Sequence[str]) -> bool:
    """A part of the staff other than R&D ("它的销售团队有多少人", "how many people are in sales") is counted by
    no field: headcounts hold all employees and the R&D staff only."""
    return not (STAFF_GROUP.search(index_form(question)) and any(f in HEADCOUNTS for f in fields))


def value_stated(question: str, fields: Sequence[str]) -> bool:
    """An amount or a count asked ("how much tax did it pay", 本市有多少家企业) is stated only by fields
    of that kind (not by a tax rating or a certificate); True when the question asks neither."""
    value = value_asked(question)
    return value is None or any(kind_of(f) in ANSWERED_BY[value] or value == "count" and f in COUNTED for f in fields)


def _one_program(turn: Turn) -> str | None:
    """The one program a turn's answer is about: its one card shown, or, none shown (a term of a program closed to
    the client), its card the only passage cited; None otherwise."""
    shown = [(m.get("program") or {}).get("id") for m in turn.matches]
    if shown:
        return str(shown[0]) if len(shown) == 1 and shown[0] else None
    cited = {c.doc_id for c in turn.grounded.citations}
    return next(iter(cited))[len("program:"):] if len(cited) == 1 and next(iter(cited)).startswith("program:") else None


def _coverage(question: str, answer: Answer) -> float:
    """The share of the question's concepts the answer's text states (each in full or in part)."""
    concepts = question_concepts(question, tokens, load_glossary())
    if not concepts:
        return 0.0
    stated = set(content_terms(answer.text, tokens))
    return sum(concept_credit(c, stated) for c in concepts) / len(concepts)


def _states_what_is_asked(question: str, answer: Answer) -> bool:
    """The answer's sentences (with their passages' titles) state the attribute the question asks for, every
    concept of its phrase in full (app/core/asked_attribute.asked: "应付账款" of "2023年应付账款是多少"); True when
    the question names none (a verb asked, "how much did it raise")."""
    a = attribute_asked(question)
    if not a.head:
        return True
    stated = set(content_terms(answer.text, tokens)).union(*(content_terms(p.title, tokens) for p in answer.citations))
    return all(concept_credit(c, stated) >= 1.0 for c in question_concepts(a.phrase(a.head), tokens, load_glossary()))


def _terms(text: str) -> frozenset[str]:
    return frozenset(content_terms(text, tokens))


@lru_cache(maxsize=64)
def _field_vocabulary(fields: tuple[str, ...]) -> frozenset[str]:
    """The words the answered fields are asked in: their names and their intents' exemplars
    (app/core/asked_attribute.profile_vocabulary) and those intents' further phrasings
    (app/data/profile_phrasings.yaml); not the words of other fields."""
    intents, phrasings = load_intents(), load_phrasings()
    words = set(profile_vocabulary(intents, _terms, only=fields))
    client = client_terms(_terms)  # (客户, 这家: the client, no attribute of it)
    for spec in intents.specs:
        if spec.route == "profile" and set(spec.fields) & set(fields):
            words.update(t for p in phrasings.get(spec.name, ()) for t in _terms(p) if t not in client)
    return frozenset(words)


@lru_cache(maxsize=1)
def _domain_terms() -> tuple[str, ...]:
    """The Chinese words of three characters or more a question about the client or its programs uses: the glossary's
    terms, the fields' names, and the words (as jieba cuts them) of the intents' exemplars and the profile's
    phrasings; what a dictated question is heard against (app/core/pinyin_names.heard_names)."""
    import jieba

    intents, phrasings = load_intents(), load_phrasings()
    texts = [t for s in intents.specs for t in (*s.examples, *s.training)] + [p for ps in phrasings.values() for p in ps]
    words = {w for t in texts for w in jieba.cut(t, HMM=False) if len(w) >= MIN_HEARD and re.fullmatch(r"[\u4e00-\u9fff]+", w)}
    words |= {t for entry in load_glossary().entries for t in entry}
    words |= {field_name(f, "zh") for f in FIELDS}
    return tuple(sorted(w for w in words if len(w) >= MIN_HEARD and re.fullmatch(r"[\u4e00-\u9fff]+", w)))


@lru_cache(maxsize=1)
def _groups() -> tuple[tuple[str, ...], ...]:
    """The profile intents' field groups."""
    return tuple(s.fields for s in load_intents().specs if s.route == "profile")


@lru_cache(maxsize=64)
def _dated_vocabulary(fields: tuple[str, ...]) -> frozenset[str]:
    """The words the fields holding dates are asked in (a date asked must be of one of them: their names, exemplars
    and phrasings, as `_field_vocabulary` reads them), with the names of a record's dated parts when a record holds
    them (发证日期, 到期, issued: a certificate's, a round's)."""
    if not fields:
        return frozenset()
    parts = {t for lang in ("zh", "en") for key in DATED_PARTS for t in _terms(RECORD_PARTS[lang][key])} \
        if any(kind_of(f) == "events" for f in fields) else set()
    return _field_vocabulary(fields) | parts


R = TypeVar("R")


def _in_script(events: Generator[Event, None, R], hant: bool) -> Generator[Event, None, R]:
    """The events as they are, their token texts in traditional characters when `hant`; returns what
    the wrapped generator returns."""
    while True:
        try:
            event = next(events)
        except StopIteration as stop:
            return stop.value
        yield Event("token", {**event.data, "text": to_traditional(str(event.data.get("text", "")))}) \
            if hant and event.kind == "token" else event


def _passage(n: int, h: Hit) -> Passage:
    return Passage(n, h.doc_id, h.title, h.text, h.page, h.chunk_id, h.section)


def _citation(p: Passage) -> dict[str, Any]:
    return {"n": p.n, "doc_id": p.doc_id, "title": p.title, "page": p.page, "text": p.text, "chunk_id": p.chunk_id}


def _pieces(text: str) -> Iterator[str]:
    """Grounded text in small pieces, so the UI streams it like model output."""
    yield from re.findall(r"\S+\s*|\s+", text) if language_of(text) == "en" else re.findall(r".{1,8}", text, re.DOTALL)


def _sentence_around(text: str, span: tuple[int, int]) -> str:
    start, end = span
    left = max(text.rfind(c, 0, start) for c in "。！？；\n") + 1
    rights = [i for i in (text.find(c, end) for c in "。！？；\n") if i != -1]
    right = min(rights) + 1 if rights else len(text)
    return text[left:right].strip()


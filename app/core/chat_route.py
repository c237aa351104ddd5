"""Where a chat question goes, decided by meaning: `match` (which programs fit, optionally of one
kind), `profile` (named fields of the client in focus) or `retrieval` (everything else).

Order: exact rules first (a catalog program id, the credit-code term); then the intent classifier
over bilingual exemplars (app/data/intents.yaml) when the model reads both languages; keyword
evidence only when it does not (the hashing fake, MiniLM). Model decisions use the file's thresholds
on the classifier's probabilities: unsure of the route → retrieval (never a wrong confident route);
unsure of the match kind → every kind; a close second profile field group → both are answered; no
profile field group clearly ahead within a confident profile route (a question about the client that
names nothing its profile records: its people, customers, suppliers) → retrieval, never a guessed group;
a confident profile route whose nearest exemplar is a question no field answers (client_other,
out_of_scope: "its customer churn rate" next to "its market share") → retrieval, as client_other;
of two profile field groups chosen, only those naming the attribute asked about as closely as any
field does (the question read against the fields' names, app/core/field_aim.py: "net profit" asked,
revenue and assets chosen, revenue dropped). A profile question that asks two things in one line ("How many staff does it have,
and how many are R&D?", "哪年成立的，总部在哪") is read part by part: each asking part the model reads as a
profile field group adds its fields (each part aimed on its own).
Without an enterprise in focus every question goes to retrieval (the intent is still reported)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from app.core.asked_attribute import asking_clauses, attribute_list, coordinated, leaning_joined
from app.core.field_aim import STATEMENT_NAMES, FieldAim, named_outright
from app.core.funding import ROUND_NAMED
from app.core.glossary import load_glossary
from app.core.intent_classifier import IntentClassifier
from app.core.intents import Intents, IntentSpec

# the field's own names: a question naming them asks for the code
CREDIT_CODE_TERM = re.compile(r"信用代码|信用代碼|\bcredit code\b|\buscc\b", re.IGNORECASE)
# the client's own bank borrowing, named (the profile's bank_loans; a statement's borrowing lines answer first)
BANK_DEBT = (r"银行(?:贷款|借款|负债)|銀行(?:貸款|借款|負債)|(?:贷款|借款|貸款)(?:余|餘)?(?:额|額)|"
             r"\bbank (?:loans?|debt|borrowings?|facilit(?:y|ies))\b|\boutstanding (?:bank )?(?:loans?|debt|borrowings)\b")
_BANK_DEBT_TERM = re.compile(BANK_DEBT, re.IGNORECASE)
# the client's legal form named (企业类型, "is it a for-profit company"): the profile's entity_type
LEGAL_FORM = re.compile(r"企业类型|企業類型|公司类型|公司類型|法人类型|法人類型|组织形式|組織形式|法律形式|营利性|營利性|独立法人|獨立法人|"
                        r"legal (?:form|entity|structure|status)|entity type|company type|for-profit|corporate form|"
                        r"incorporated as|kind of (?:company|entity)", re.IGNORECASE)
# (a product or subsidy named for first-time borrowers is a program: "首贷户贴息", "the first-time borrower loan")
FIRST_LOAN = re.compile(r"首贷户(?!贷款|貸款|贴息|貼息|补贴|補貼)|首貸戶(?!貸款|貼息|補貼)|"
                        r"first[- ]time (?:bank )?borrower(?!s?\s+(?:loans?|subsid|interest|program|scheme|product))",
                        re.IGNORECASE)
# asked as what it holds ("现在有多少银行贷款", "does it have any bank debt"), not what it could get ("能申请银行贷款吗")
_HELD_ASK = re.compile(r"多少|几笔|幾筆|有没有|有沒有|是否有|有无|有無|现有|現有|目前|现在|現在|余额|餘額|欠|有[^，。？?！!]{0,4}?(?:银行|銀行)|\bhow (?:much|many)\b|\bany\b|"
                       r"\b(?:does|do|did) (?:it|they|the (?:firm|company|client))\s+(?:have|carry|hold|owe)\b|\boutstanding\b|\bowes?\b|"
                       r"\bcarr(?:y|ies)\b", re.IGNORECASE)
# (nor a program's requirement of it: "SBIR要求营利性企业吗", "is the for-profit criterion met?")
_OBTAIN = re.compile(r"申请|申請|能贷|能貸|可以贷|可以貸|能借|办理|辦理|产品|產品|适合|適合|符合|推荐|推薦|能用|可用|条件|條件|要求|政策|"
                     r"补贴|補貼|贴息|貼息|认定|認定|\bapply|\bqualif|\beligib|\bproducts?\b|\bfit\b|\bget\b|\boffer\b|"
                     r"\brecommend|\buse\b|\bavail|\bcriteri|\brequire|\bprogram|\bscheme|\bgrants?\b|\bsubsid|"
                     r"\bpolic(?:y|ies)\b|\bSBIR\b|\bSTTR\b", re.IGNORECASE)
# (the exact name, the field it asks, whether it must be asked as held)
_NAMED_FIELD_RULES = ((_BANK_DEBT_TERM, "bank_loans", True), (LEGAL_FORM, "entity_type", False),
                      (FIRST_LOAN, "first_time_borrower", False))
NAMED_FIELDS = tuple(field for _, field, _ in _NAMED_FIELD_RULES)  # the fields a question routes to by name
# intents of questions about the client (or nothing) that no profile field answers
NOT_A_FIELD = frozenset({"client_other", "out_of_scope"})
# the names of the three program kinds: a question naming two or more ("grants, loans and investors",
# 补贴和贷款) asks for those kinds together, whichever one the classifier leans to
KIND_NAMES = {
    "policy": re.compile(r"\b(?:subsid(?:y|ies)|grants?|polic(?:y|ies)|tax (?:incentives?|breaks?|credits?)|government support|"
                         r"(?:public|government|state|federal|non-dilutive) (?:funding|money|programs?|programmes?|schemes?))\b|"
                         r"补贴|补助|補貼|補助|政策(?!性)|扶持|奖励|獎勵|税收优惠|稅收優惠", re.IGNORECASE),
    "credit": re.compile(r"\b(?:loans?|lending|credit (?:lines?|products?|facilit(?:y|ies))|borrow(?:ing)?|debt financing)\b|"
                         r"贷款|信贷|授信|貸款|信貸|借款", re.IGNORECASE),
    "equity": re.compile(r"\b(?:investors?|vcs?|venture capital|equity|angels?|funds|(?:venture|equity|guidance|investment|vc|"
                         r"seed|angel|growth) funds?)\b|"
                         r"投资机构|投资方|投资人|投資機構|投資方|投資人|基金|创投|創投|股权|股權", re.IGNORECASE),
}
# a round the client took, and who took part in it: led / co-invested (past), 领投的 / 跟投了 / 领投方
ROUND_TAKEN = re.compile(r"(?:领投|跟投|領投)(?:的|了|方|机构|機構)|谁领投|誰領投|谁跟投|誰跟投|\bco-?investors?\b|\bco-?invested\b|"
                         r"(?:领投|領投)[、和及与與/]\s*跟投|跟投[、和及与與/]\s*(?:领投|領投)|"  # "金额、领投、跟投分别是？"
                         r"\b(?:who|which (?:fund|firm|vc|investor)s?) (?:led|co-led|joined|participated in)\b|"
                         r"\b(?:led|co-led) (?:by|the|its|their)\b|\blead investors? (?:was|were|in|of|on)\b|"
                         r"\binvestors? (?:in|of|on) (?:its|their|(?:the )?[\w-]+'s) (?:series [a-e]\b|[a-e] round|seed|angel|pre-|"
                         r"(?:last|latest|previous|first) round)", re.IGNORECASE)
_PROGRAM_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:-]{2,100}")


@dataclass(frozen=True)
class Decision:
    route: str                      # match | profile | retrieval
    intent: str                     # the intent name (app/data/intents.yaml) the decision rests on
    method: str                     # rule | model | uncertain | keywords | list (attributes listed, each read)
    kind: str | None = None         # match: the program kind asked for; None = every kind
    fields: tuple[str, ...] = ()    # profile: the fields asked for, in answer order
    program: str | None = None      # a program named by its catalog id
    confidence: float = 1.0         # model: the probability of the chosen route


@dataclass
class Router:
    """`classifier` None: keyword evidence only. `program_ids` lists the catalog's ids (exact rule).
    `aim`: the check that a profile route's fields are the attribute asked (None: not checked)."""

    intents: Intents
    classifier: IntentClassifier | None = None
    program_ids: Callable[[], Iterable[str]] | None = None
    aim: FieldAim | None = None

    def decide(self, question: str, has_enterprise: bool, scores: dict[str, float] | None = None,
               named_fields: bool = True) -> Decision:
        """`scores`: the classifier's scores when the caller has them already (a batch). `named_fields`: a client's field
        named exactly (its bank loans, first-time borrowing, legal form: NAMED_FIELDS) settles the route; False where
        the caller knows a catalog program is named too (the question is then the program's)."""
        decision = self._exact(question)
        if decision is not None and decision.fields and has_enterprise:  # the credit code named beside another ask
            decision = replace(decision, fields=(*decision.fields, *self._other_asks(question, decision.fields)))
        if decision is None and scores is not None:
            decision = decide_from_scores(self.intents, scores)
        if decision is None:
            decision = self._model(question) if self.classifier else self._keywords(question)
            if has_enterprise and decision.route == "profile" and decision.method == "model":
                decision = self._statement_unnamed(question, decision)
        if has_enterprise and (decision.intent == "match.equity" and decision.route in ("match", "retrieval")
                               or decision.route == "retrieval" and (decision.intent in ("client_other", "out_of_scope")
                                                                      or decision.method == "uncertain")) \
                and ROUND_TAKEN.search(question) and (spec := _with_field(self.intents, "investors")) is not None:
            # who led or joined a round the client took ("A轮谁领投的 谁跟投", "who led its Series A"): its funding record,
            # not the investors that might fit it ("谁可能领投它的B轮" asks a fit: no past participation named); nor a
            # question beyond the profile ("remind me who led its Series A and how big the round was")
            return Decision("profile", spec.name, "rule", fields=spec.fields)
        named = self._named_field(question) if named_fields and has_enterprise else None
        if named is not None:
            return named
        if has_enterprise and decision.route == "profile" and decision.method == "model" and self.classifier is not None \
                and self.classifier.nearest(question) in NOT_A_FIELD:  # next to a question no profile field answers
            return Decision("retrieval", "client_other", "uncertain", confidence=decision.confidence)
        parts = asking_clauses(question, topics=True) if has_enterprise and decision.route == "profile" \
            and decision.method == "model" else []
        joined = self._fields_joined(question) if len(parts) == 1 else ()
        if len(parts) >= 2 and self.classifier is not None:
            decision = replace(decision, fields=self._fields_per_part(parts, decision.fields))
        elif joined:  # "FY23 vs FY22 revenue and total headcount": each attribute joined asked
            decision = replace(decision, fields=joined)
        elif has_enterprise and decision.route == "profile" and decision.method == "model" and self.aim is not None:
            decision = replace(decision, fields=self.aim.aimed(question, decision.fields))  # the attribute asked
        if not has_enterprise and decision.route != "retrieval":
            return Decision("retrieval", decision.intent, decision.method, decision.kind, decision.fields,
                            decision.program, decision.confidence)
        return decision

    def profile_fields(self, question: str) -> tuple[str, ...]:
        """The fields the question asks of a client's profile, read as a profile question whatever else it is (a
        comparison of two clients: "which one has more R&D staff?"): the profile field groups' probabilities alone,
        with the file's thresholds, aimed at the attribute asked; () when no group is clearly asked."""
        if self.classifier is None:
            return fields_by_keywords(self.intents, question)
        route = {s.name: s.route for s in self.intents.specs}
        scores = {n: p for n, p in self.classifier.scores(question).items() if route[n] == "profile"}
        total = sum(scores.values())
        d = decide_from_scores(self.intents, {n: p / total for n, p in scores.items()}) if total > 0 else None
        if d is None or d.route != "profile":
            return ()
        return self.aim.aimed(question, d.fields) if self.aim is not None else d.fields

    def listed_fields(self, question: str) -> tuple[str, ...]:
        """The fields of a question listing the attributes it asks (app/core/asked_attribute.attribute_list), in the
        list's order: under a heading naming a funding round ("Series A — size, year and lead investors"), that round's
        record; else each item's field group, an item read by the fields it names by their own names (成立时间, revenue)
        or, naming none, by the model (alone, with the glossary's names for it, then under its heading), as a profile
        group confidently and not next to a question no field answers. () unless every item is read so (of three items
        or more, all but one), and as two groups at least."""
        head, items = attribute_list(question)
        if not items or self.classifier is None:
            return ()
        specs = [s for s in self.intents.specs if s.route == "profile"]
        if head and ROUND_NAMED.search(head):
            funding = next((s for s in specs if "funding_rounds" in s.fields), None)
            return tuple(funding.fields) if funding is not None else ()
        read = self.listed_items(question)
        return tuple(dict.fromkeys(f for _, fields in read for f in fields))

    def listed_items(self, question: str) -> list[tuple[str, tuple[str, ...]]]:
        """Each item of a question listing attributes, as a question of its own (under its heading), with its fields
        (see `listed_fields`); [] under a heading naming a round or an attribute, and unless the list is read as two
        groups at least (of three items or more, all but one read)."""
        head, items = attribute_list(question)
        if not items or self.classifier is None:
            return []
        specs = [s for s in self.intents.specs if s.route == "profile"]
        if head and (ROUND_NAMED.search(head) or any(named_outright(head, f) for s in specs for f in s.fields)):
            return []  # a heading naming a round or an attribute ("its R&D expense in 2022 and 2023 — both figures and
            #            the growth"): the items are what is asked of it, not attributes of their own
        out: list[tuple[str, tuple[str, ...]]] = []
        groups, unread = set(), 0
        for item in items:
            read = self._item_fields(item, head, specs)
            if not read:
                unread += 1
                continue
            groups.add(next(i for i, s in enumerate(specs) if read[0] in s.fields))
            out.append((f"{head}: {item}" if head else item, read))
        # (one item of three or more read as nothing, "what they sell": the others are still asked)
        return out if len(groups) >= 2 and unread <= (1 if len(items) >= 3 else 0) else []

    def _item_fields(self, item: str, head: str, specs: list[IntentSpec]) -> tuple[str, ...]:
        """The fields of one listed item (see `listed_fields`); () when it is read as none."""
        named = [s for s in specs if any(named_outright(item, f) for f in s.fields)]
        if named or self.classifier is None:
            return tuple(f for s in named for f in s.fields)
        spelled = " ".join([item, *load_glossary().expansions(item)])  # "HQ": headquarters, 总部
        for text in dict.fromkeys([item, spelled, f"{head} {item}".strip()]):
            d = decide_from_scores(self.intents, self.classifier.scores(text))
            if d.route == "profile" and self.classifier.nearest(text) not in NOT_A_FIELD:
                return self.aim.aimed(text, d.fields) if self.aim is not None else d.fields
        return ()

    def _fields_per_part(self, parts: list[str], whole: tuple[str, ...]) -> tuple[str, ...]:
        """The fields each asking part asks for, in the parts' order: a part the model reads as a
        profile field group, confidently and not next to a question no field answers, adds that
        group's fields (aimed within the part); a part that names nothing of its own is read with the one before it.
        No part read so: the whole question's fields."""
        assert self.classifier is not None
        out: list[str] = []
        for part in leaning_joined(parts):  # "how much was it?": of what the part before named
            d = decide_from_scores(self.intents, self.classifier.scores(part))
            if d.route != "profile" or self.classifier.nearest(part) in NOT_A_FIELD:
                continue
            fields = self.aim.aimed(part, d.fields) if self.aim is not None else d.fields
            out += [f for f in fields if f not in out]
        return tuple(out) or whole

    def _statement_unnamed(self, question: str, decision: Decision) -> Decision:
        """A statement named beside a line of it ("does the sum of its four 2023 quarters reconcile with the 2023 R&D
        expense in the income statement?"): the statement says where the figure stands, not which figure is asked; the
        question read without the statement's name, when that reading is still of the client's profile."""
        blank = STATEMENT_NAMES.sub(" ", question)
        if blank == question or not re.search(r"\w", blank):
            return decision
        again = self._model(blank)
        return again if again.route == "profile" and again.method == "model" else decision

    def _fields_joined(self, question: str) -> tuple[str, ...]:
        """The fields of attributes joined in one ask ("revenue and total headcount", "总资产和净利润"): each
        conjunct read as a profile field group, a different one each; () unless every conjunct is."""
        conjuncts = coordinated(question)
        if len(conjuncts) < 2 or self.classifier is None:
            return ()
        groups = [self._fields_per_part([c], ()) for c in conjuncts]
        if not all(groups) or len({g[0] for g in groups}) < len(groups):
            return ()
        return tuple(dict.fromkeys(f for g in groups for f in g))

    def _named_field(self, question: str) -> Decision | None:
        """A field of the client's named exactly (_NAMED_FIELD_RULES: "现在有多少银行贷款", "does it have any bank debt",
        "企业类型是什么", "是首贷户吗"), with what else the question asks: a field of its own, not the credit products that
        might fit the client, nor its funding rounds; None when none is named, or named as what it could get or a
        program requires."""
        for term, field, held in _NAMED_FIELD_RULES:
            if term.search(question) and (not held or _HELD_ASK.search(question)) and not _OBTAIN.search(question) \
                    and (spec := _with_field(self.intents, field)) is not None:
                return Decision("profile", spec.name, "rule", fields=(field, *self._other_asks(question, (field,), term)))
        return None

    def _other_asks(self, question: str, fields: tuple[str, ...], term: re.Pattern[str] = CREDIT_CODE_TERM) -> tuple[str, ...]:
        """The fields asked beside the one named exactly (the credit code: `term`), by the clauses and conjuncts that do
        not name it ("统一社会信用代码发我下，注册在深圳哪个区？": the registered district too)."""
        if self.classifier is None:
            return ()
        parts = [p for p in dict.fromkeys([*asking_clauses(question), *coordinated(question)])
                 if p != question and not term.search(p)]
        return tuple(dict.fromkeys(f for p in parts for f in self._fields_per_part([p], ()) if f not in fields))

    # -- exact rules -----------------------------------------------------------------------------
    def _exact(self, question: str) -> Decision | None:
        if self.program_ids is not None:
            ids = set(self.program_ids())
            named = next((t.rstrip(".:-") for t in _PROGRAM_ID.findall(question) if t.rstrip(".:-") in ids), None)
            if named is not None:
                return Decision("match", "program", "rule", program=named)
        if CREDIT_CODE_TERM.search(question):
            spec = _with_field(self.intents, "unified_social_credit_code")
            if spec is not None:  # the code named: the code, not the rest of its group (the registered name)
                return Decision("profile", spec.name, "rule", fields=("unified_social_credit_code",))
        return None

    # -- the model -------------------------------------------------------------------------------
    def _model(self, question: str) -> Decision:
        assert self.classifier is not None
        return decide_from_scores(self.intents, self.classifier.scores(question))

    # -- keyword evidence (a model that does not read both languages) ------------------------------
    def _keywords(self, question: str) -> Decision:
        rules = self.intents.keyword_routes
        if any(re.search(p, question, re.IGNORECASE) for p in rules.get("match", ())):
            return Decision("match", "match.any", "keywords")
        if any(re.search(p, question, re.IGNORECASE) for p in rules.get("profile", ())):
            fields = fields_by_keywords(self.intents, question)
            if fields:
                return Decision("profile", "profile", "keywords", fields=fields)
        return Decision("retrieval", "document", "keywords")


def decide_from_scores(intents: Intents, scores: dict[str, float]) -> Decision:
    """The decision for one question's intent probabilities (best first), with the file's thresholds."""
    specs = {s.name: s for s in intents.specs}
    ranked = list(scores)
    best = specs[ranked[0]]
    top = scores[best.name]
    confidence = sum(p for n, p in scores.items() if specs[n].route == best.route)
    if confidence < intents.route_confidence:
        return Decision("retrieval", best.name, "uncertain", confidence=confidence)
    if best.route == "match":
        sure = best.kind is not None and top >= intents.kind_share * confidence
        return Decision("match", best.name, "model", kind=best.kind if sure else None, confidence=confidence)
    if best.route == "profile":
        if top < intents.field_share * confidence:  # about the client, no field group clearly: a guess is no answer
            return Decision("retrieval", "client_other", "uncertain", confidence=confidence)
        fields = list(best.fields)
        runner_up = specs[ranked[1]]
        if runner_up.route == "profile" and scores[runner_up.name] >= intents.second_field * top:
            fields += [f for f in runner_up.fields if f not in fields]
        return Decision("profile", best.name, "model", fields=tuple(fields), confidence=confidence)
    return Decision("retrieval", best.name, "model", confidence=confidence)


def kinds_named(question: str) -> tuple[str, ...]:
    """The program kinds a question names by their names, in catalog order (policy, credit, equity); a kind
    named only to be left out ("just loans: no grants, no investors", "不要补贴") is not asked for."""
    asked = _EXCLUDED.sub(" ", question)
    return tuple(kind for kind, pattern in KIND_NAMES.items() if pattern.search(asked))


# a phrase leaving something out, up to the next punctuation
# ("just loans: no grants, no investors", "leave out the investors", "不要补贴"); or the thing left out first and the
# leaving after it ("grants and investors can be left out", "政策和投资机构都先不用放进来", "投资方就不看了")
_EXCLUDED = re.compile(r"\b(?:no|not|without|except|excluding|other than|rather than|apart from|leave out|leaving out|skip|"
                       r"exclude|drop|ignore)\s+[^,.;:!?，。；：！？]{1,40}|"
                       r"[^,.;:!?，。；：！？]{1,40}\b(?:can|could|should|may) be (?:left out|skipped|excluded|dropped|ignored)\b|"
                       r"(?:不要|不含|不包括|不包含|除了|除去|不考虑|不考慮|不用|排除)[^,.;:!?，。；：！？]{1,20}|"
                       r"[^,.;:!?，。；：！？]{1,20}(?:都|也|就)(?:先|暂时|暂|暫時|暫)?(?:不用|不要|不需要|不必|别|別|不看|不考虑|不考慮)",
                       re.IGNORECASE)


def fields_by_keywords(intents: Intents, question: str) -> tuple[str, ...]:
    out: list[str] = []
    for spec in intents.specs:
        if spec.fields and any(re.search(p, question, re.IGNORECASE) for p in spec.keywords):
            out += [f for f in spec.fields if f not in out]
    return tuple(out)


def _with_field(intents: Intents, field: str) -> IntentSpec | None:
    return next((s for s in intents.specs if field in s.fields), None)


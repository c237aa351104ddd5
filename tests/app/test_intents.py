"""The chat's intents: the data file's schema (a misspelt key names file and line), decisions with
margins (too close → retrieval, never a wrong confident route), keyword evidence and exact rules
for a model that does not read both languages, and (slow) routing by meaning with the real model
in English, simplified and traditional Chinese."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.adapters.embedder import HashingEmbedder
from app.adapters.kb import KnowledgeBase
from app.core.asked_attribute import asking_clauses
from app.core.chat_route import Router, decide_from_scores, kinds_named
from app.core.errors import ConfigError
from app.core.intent_classifier import IntentClassifier
from app.core.intents import INTENTS_FILE, Intents, load_intents, parse_intents
from app.core.ports import Embedder
from app.intent_router import build_router
from app.settings import Settings
from app.wiring import Deps

TEXT = INTENTS_FILE.read_text(encoding="utf-8")


def _line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


# -- the data file ---------------------------------------------------------------------------------
def test_the_shipped_intents_have_bilingual_exemplars_for_every_kind_and_field_group() -> None:
    intents = load_intents()
    names = {s.name for s in intents.specs}
    assert {"match.any", "match.policy", "match.credit", "match.equity", "program", "compare", "document",
            "out_of_scope", "profile.rd_expense", "profile.ip", "profile.founding"} <= names
    assert {s.kind for s in intents.specs if s.route == "match"} == {None, "policy", "credit", "equity"}
    for s in intents.specs:
        assert len(s.examples) >= 8, s.name
        assert any("\u4e00" <= ch <= "\u9fff" for ch in "".join(s.examples)), s.name
    assert intents.spec("profile.rd_expense").fields[:2] == ("rd_expense", "rd_expense_ratio")


def test_a_misspelt_key_is_an_error_naming_the_file_and_line() -> None:
    broken = TEXT.replace("    fields: [founded_date", "    feilds: [founded_date", 1)
    with pytest.raises(ConfigError) as exc:
        parse_intents(broken, "intents.yaml")
    assert f"intents.yaml:{_line_of(broken, 'feilds:')}:" in str(exc.value) and "feilds" in str(exc.value)


def test_an_unknown_field_or_a_thin_intent_is_an_error() -> None:
    with pytest.raises(ConfigError, match=r"intents.yaml:\d+: .*unknown profile fields \['revenu'\]"):
        parse_intents(TEXT.replace("fields: [revenue, revenue_growth]", "fields: [revenu, revenue_growth]"), "intents.yaml")
    thin = TEXT.replace("        - Is the client profitable?\n", "").replace("        - How big is its balance sheet?\n", "")
    thin = thin.replace("        - Is it making money or still burning cash?\n", "").replace("        - 它现在盈利了吗？\n", "")
    thin = thin.replace("        - 公司的资产规模多大？\n", "")
    with pytest.raises(ConfigError, match="at least 8 examples"):
        parse_intents(thin, "intents.yaml")


# -- decisions from probabilities ---------------------------------------------------------------------
def _scores(intents: Intents, **top: float) -> dict[str, float]:
    """Probabilities: the named intents as given, the rest of the mass spread over the others."""
    named = {k.replace("__", "."): v for k, v in top.items()}
    rest = [s.name for s in intents.specs if s.name not in named]
    probabilities = {**named, **{n: (1 - sum(named.values())) / len(rest) for n in rest}}
    return dict(sorted(probabilities.items(), key=lambda kv: -kv[1]))


def test_a_likely_route_is_taken_and_an_unsure_one_falls_back_to_retrieval() -> None:
    intents = load_intents()
    clear = decide_from_scores(intents, _scores(intents, profile__rd_expense=0.80, document=0.10))
    assert (clear.route, clear.fields[:2], clear.method) == ("profile", ("rd_expense", "rd_expense_ratio"), "model")
    assert clear.confidence >= 0.80
    unsure = decide_from_scores(intents, _scores(intents, profile__rd_expense=0.30, document=0.29, match__credit=0.28))
    assert (unsure.route, unsure.method, unsure.intent) == ("retrieval", "uncertain", "profile.rd_expense")


def test_an_unsure_kind_shows_every_kind_and_a_close_field_group_is_answered_too() -> None:
    intents = load_intents()
    sure = decide_from_scores(intents, _scores(intents, match__credit=0.85, match__policy=0.05))
    assert (sure.route, sure.kind) == ("match", "credit")
    unsure = decide_from_scores(intents, _scores(intents, match__credit=0.45, match__equity=0.44))
    assert (unsure.route, unsure.kind) == ("match", None)
    both = decide_from_scores(intents, _scores(intents, profile__revenue=0.50, profile__rd_expense=0.45))
    assert both.fields[:2] == ("revenue", "revenue_growth") and "rd_expense" in both.fields
    one = decide_from_scores(intents, _scores(intents, profile__revenue=0.80, profile__rd_expense=0.10))
    assert one.fields == ("revenue", "revenue_growth")


def test_a_client_question_with_no_field_group_clearly_ahead_goes_to_retrieval_not_a_guessed_group() -> None:
    intents = load_intents()
    groups = ("industry", "funding", "ownership", "region", "assets", "revenue", "founding", "employees")
    scores = _scores(intents, profile__ip=0.105, **{f"profile__{g}": 0.1 for g in groups})
    assert 0.105 < intents.field_share * 0.885  # the best group is under its share of a confident profile route
    spread = decide_from_scores(intents, scores)
    assert (spread.route, spread.method, spread.intent, spread.fields) == ("retrieval", "uncertain", "client_other", ())
    assert spread.confidence >= intents.route_confidence
    clear = decide_from_scores(intents, _scores(intents, profile__ip=0.60, profile__industry=0.20, profile__funding=0.10))
    assert (clear.route, clear.fields[0]) == ("profile", "patents.invention")


def test_a_certifications_question_asks_for_the_certificates_held_too() -> None:
    fields = load_intents().spec("profile.certifications").fields
    assert fields[0] == "certifications" and "certificate.hnte" in fields


# -- keyword evidence and exact rules (a model that does not read both languages) -------------------
def test_without_a_bilingual_model_routing_uses_keywords_and_age_is_a_word(tmp_path: Path) -> None:
    router = build_router(Deps.build(Settings(data_dir=tmp_path, embedder="hashing")))
    assert router.classifier is None
    rd = router.decide("What percentage of its revenue goes to R&D?", True)
    assert rd.route == "profile" and "rd_expense" in rd.fields and "founded_date" not in rd.fields
    assert router.decide("公司2023年营业收入是多少？", True).fields[0] == "revenue"
    assert router.decide("Which policies and credit products could it get?", True).route == "match"
    assert router.decide("Which policies and credit products could it get?", False).route == "retrieval"


def test_exact_rules_name_a_program_id_and_the_credit_code() -> None:
    router = Router(load_intents(), None, lambda: ["cn-sz-ip-pledge", "cn-hnte"])
    named = router.decide("Does it pass cn-hnte?", True)
    assert (named.route, named.intent, named.program, named.method) == ("match", "program", "cn-hnte", "rule")
    code = router.decide("它的统一社会信用代码？", True)
    assert (code.route, code.fields, code.method) == ("profile", ("unified_social_credit_code",), "rule")


def test_the_classifier_ranks_every_intent_with_a_fake_model() -> None:
    classifier = IntentClassifier(load_intents(), HashingEmbedder())
    scores = classifier.scores("How many patents does the company hold?")
    assert len(scores) == len(load_intents().specs) and list(scores.values()) == sorted(scores.values(), reverse=True)
    assert next(iter(scores)) == "profile.ip"


def test_the_nearest_exemplar_is_a_second_opinion_by_its_intent() -> None:
    classifier = IntentClassifier(load_intents(), HashingEmbedder())
    assert classifier.nearest("Who are the company's main suppliers?") == "client_other"  # an exemplar: itself
    assert classifier.nearest("How many patents does the company hold?") == "profile.ip"


# -- the real model ----------------------------------------------------------------------------------
ROUTES = [
    ("What percentage of its revenue goes to R&D?", "profile", "rd_expense"),
    ("它的研发投入占营收多少？", "profile", "rd_expense"),
    ("這家公司有哪些知識產權？", "profile", "patents.invention"),
    ("这家公司有哪些知识产权？", "profile", "patents.invention"),
    ("How old is the company?", "profile", "founded_date"),
    ("这家企业成立多少年了？", "profile", "founded_date"),
    ("How many people does the client employ?", "profile", "employees"),
    ("有哪些适合它的信贷产品？", "match", "credit"),
    ("有哪些適合它的信貸產品？", "match", "credit"),
    ("What equity investors fit this company?", "match", "equity"),
    ("哪些政府补贴它可以申请？", "match", "policy"),
    ("高新技术企业资格有效期多久？", "retrieval", ""),  # the policy's rule, not the client's certificate
    ("When does the client's HNTE certificate run out?", "profile", "certifications"),
    ("這家企業的高企證書哪一年失效？", "profile", "certifications"),
    ("What is the indicative interest rate of the IP-pledge loan?", "retrieval", ""),
    ("What is the capital of France?", "retrieval", ""),
]


@pytest.fixture(scope="module")
def product(real_embedder: Embedder, tmp_path_factory: pytest.TempPathFactory) -> tuple[Router, Settings]:
    """The chat's router as the product builds it, exemplar vectors cached under the data dir."""
    settings = Settings(data_dir=tmp_path_factory.mktemp("intents"))
    return build_router(Deps(settings=settings, kb=KnowledgeBase(settings), embedder=real_embedder)), settings


@pytest.fixture(scope="module")
def model_router(product: tuple[Router, Settings]) -> Router:
    return product[0]


@pytest.mark.slow
def test_the_product_router_reads_both_languages_and_caches_the_exemplar_vectors(product: tuple[Router, Settings]) -> None:
    router, settings = product
    assert router.classifier is not None
    router.classifier.warm_up()
    assert len(list(settings.cache_path.glob("intent_vectors-*.npz"))) == 1


@pytest.mark.slow
@pytest.mark.parametrize(("question", "route", "detail"), ROUTES, ids=[q for q, _, _ in ROUTES])
def test_routing_by_meaning_in_both_languages(model_router: Router, question: str, route: str, detail: str) -> None:
    d = model_router.decide(question, True)
    assert d.route == route and d.method == "model" and d.confidence >= 0.5, d
    if route == "profile":
        assert d.fields[0] == detail, d
    if route == "match":
        assert d.kind == detail, d


@pytest.mark.slow
def test_the_rd_share_question_never_reads_as_the_founding_date(model_router: Router) -> None:
    d = model_router.decide("What percentage of its revenue goes to R&D?", True)
    assert d.intent == "profile.rd_expense" and "founded_date" not in d.fields and "years_since_founding" not in d.fields


@pytest.mark.slow
def test_of_two_field_groups_only_the_one_naming_the_attribute_asked_is_answered(model_router: Router) -> None:
    assets = model_router.decide("What was the firm's total assets figure in 2022?", True)
    # not the funding group, nor the net profit beside the assets (of two amounts, the one named)
    assert assets.route == "profile" and assets.fields == ("total_assets",), assets
    both = model_router.decide("该公司2023年的净利润和总资产分别是多少？", True)  # two lines named outright: both
    assert both.route == "profile" and {"total_assets", "net_profit"} <= set(both.fields), both
    sales = model_router.decide("这家企业前年的销售收入有多少？", True)
    assert sales.route == "profile" and sales.fields == ("revenue", "revenue_growth"), sales
    code = model_router.decide("What's the firm's registration number?", True)  # one group: never overruled by names
    # the licence's items (its code and name; its legal representative and registered capital, answered only when named:
    # tests/app/test_profile_identity.py)
    assert code.fields == ("unified_social_credit_code", "company_name", "legal_representative", "registered_capital"), code


@pytest.mark.slow
def test_the_fields_of_each_part_keep_the_topic_the_part_asks_about(model_router: Router) -> None:
    # "极光的研发花费" asks nothing alone, but it is what "多了多少" asks about: not the assets or the profit
    d = model_router.decide("极光的研发花费，2023年跟2021年比多了多少？翻了几倍", True)
    assert d.route == "profile" and "rd_expense" in d.fields and not {"total_assets", "net_profit"} & set(d.fields)


def test_a_profile_route_next_to_a_question_no_field_answers_goes_to_retrieval(model_router: Router) -> None:
    assert model_router.classifier is not None
    question = "这家公司的客户流失率是多少？"  # the regression leans to a field group; its neighbour asks about customers
    assert model_router.classifier.nearest(question) == "client_other"
    d = model_router.decide(question, True)
    assert d.route == "retrieval" and d.intent == "client_other", d
    assert model_router.decide("How many employees does the firm have?", True).route == "profile"


@pytest.mark.slow
def test_a_question_asking_two_things_gets_both_field_groups(model_router: Router) -> None:
    staff = model_router.decide("How many staff does the client have, and how many of them are R&D?", True)
    assert staff.route == "profile" and {"employees", "rd_staff"} <= set(staff.fields), staff
    founded = model_router.decide("这家公司是哪年成立的，总部在哪？", True)
    assert founded.route == "profile" and "region" in founded.fields and (
        "founded_date" in founded.fields or "years_since_founding" in founded.fields), founded
    # one ask beside a statement: its own field only
    code = model_router.decide("我在填授信申请表，客户的统一社会信用代码是多少？", True)
    assert code.fields == ("unified_social_credit_code",), code


@pytest.mark.slow
def test_a_statement_named_as_the_source_is_not_the_line_its_name_holds(model_router: Router) -> None:
    revenue = model_router.decide("BP里说该公司2023年营收1.3亿，跟利润表对得上吗？", True)  # 利润表 holds 利润
    assert revenue.route == "profile" and "revenue" in revenue.fields and "net_profit" not in revenue.fields, revenue
    # the statement beside another line read as the statements' group: the line named
    rd = model_router.decide("As a consistency check: does the sum of the company's four 2023 quarters in "
                             "rd_quarterly.csv reconcile with the 2023 R&D expense in the income statement?", True)
    assert rd.route == "profile" and "rd_expense" in rd.fields and "total_assets" not in rd.fields, rd
    profit = model_router.decide("What was net profit in the 2023 income statement?", True)  # still the line it holds
    assert profit.route == "profile" and profit.fields == ("net_profit",), profit


@pytest.mark.parametrize(("question", "parts"), [
    ("How many staff does it have, and how many of them are R&D?", ["How many staff does it have", "how many of them are R&D?"]),
    ("Northwind是哪年成立的，总部在哪", ["Northwind是哪年成立的", "总部在哪"]),
    ("Where is it registered? When was it founded?", ["Where is it registered?", "When was it founded?"]),
    ("它有多少员工，研发人员占比多少，还有专利几项？", ["它有多少员工", "研发人员占比多少", "专利几项？"]),
    ("我在填授信申请表，客户的统一社会信用代码是多少？", ["客户的统一社会信用代码是多少？"]),  # a statement asks nothing
    ("What was revenue in 2022 and 2023?", ["What was revenue in 2022 and 2023?"]),  # one ask over two years
    ("客户的营收和利润分别是多少？", ["客户的营收和利润分别是多少？"]),
])
def test_the_parts_of_a_question_that_each_ask(question: str, parts: list[str]) -> None:
    assert asking_clauses(question) == parts


@pytest.mark.parametrize(("question", "kinds"), [
    ("Across grants, loans and investors, what could it tap?", ("policy", "credit", "equity")),
    ("它能拿到哪些补贴和贷款？", ("policy", "credit")),
    ("哪些政府引导基金或创投适合这家企业？", ("equity",)),
    ("Which loans could fund its expansion?", ("credit",)),  # "fund" the verb names no kind
    ("有哪些政策性贷款？", ("credit",)),  # a policy bank's loan is a loan
    ("Which tax credits could it claim?", ("policy",)),
    ("Just the loan products it qualifies for: no grants, no investors.", ("credit",)),  # kinds left out
    ("不要补贴，只看贷款和投资机构", ("credit", "equity")),
    ("What loans could it get without collateral?", ("credit",)),
    # the kinds left out named before the leaving
    ("只要贷款类的，政策和投资机构都先不用放进来。", ("credit",)),
    ("Loans only please, grants and investors can be left out.", ("credit",)),
    ("Leave out the investors: which grants and loans fit?", ("policy", "credit")),
    ("投资机构就不看了，补贴和贷款有哪些？", ("policy", "credit")),
])
def test_the_program_kinds_a_question_names(question: str, kinds: tuple[str, ...]) -> None:
    assert kinds_named(question) == kinds


def test_the_attribute_check_reads_each_clause_only_when_the_whole_sentence_is_not_held() -> None:
    from app.core.asked_attribute import attribute_held

    vocab = {"成立", "总部", "founded", "staff", "r&d"}

    def terms(w: str) -> list[str]:
        return [w.lower()]

    def never_close(_: str) -> float:
        return 0.0

    dated = {"成立"}  # the fields holding dates: the founding date
    # one sentence asking two held things (a date and a place): held, clause by clause
    assert attribute_held("哪年成立的，总部在哪", vocab, terms, never_close, never_close, dated=dated)
    # a clause asking for something no field holds fails the sentence
    assert not attribute_held("哪年成立的，客户流失率多少", vocab, terms, never_close, never_close, dated=dated)


@pytest.mark.slow
def test_who_led_or_joined_a_round_the_client_took_is_its_funding_record_not_a_list_of_investors(model_router: Router) -> None:
    for question in ("该公司A轮谁领投的 谁跟投", "List the investors in the company's Series A."):
        d = model_router.decide(question, True)  # the model reads both as investors to match
        assert d.route == "profile" and "investors" in d.fields, (question, d)
    could = model_router.decide("哪些基金可能领投它的B轮？", True)  # a round to come: investors that might fit
    assert could.route == "match" and could.kind == "equity", could


class _Scripted:
    """Intent probabilities from a script (0.9 for the scripted intent, "document" otherwise)."""

    def __init__(self, script: dict[str, str]) -> None:
        self.script, self.names = script, [s.name for s in load_intents().specs]

    def scores(self, question: str) -> dict[str, float]:
        best = self.script.get(question, "document")
        rest = 0.1 / (len(self.names) - 1)
        return dict(sorted(((n, 0.9 if n == best else rest) for n in self.names), key=lambda kv: -kv[1]))

    def nearest(self, question: str) -> str:
        return next(iter(self.scores(question)))


def test_the_credit_code_named_beside_another_ask_answers_both_and_alone_the_code_only() -> None:
    region = next(s for s in load_intents().specs if "region" in s.fields)
    router = Router(load_intents(), _Scripted({"注册在深圳哪个区？": region.name,  # type: ignore[arg-type]
                                               "where is it registered": region.name}))
    both = router.decide("它的统一社会信用代码发我下，注册在深圳哪个区？", True)
    assert both.fields[0] == "unified_social_credit_code" and "region" in both.fields and both.method == "rule"
    joined = router.decide("What is its credit code and where is it registered?", True)
    assert joined.fields[0] == "unified_social_credit_code" and "region" in joined.fields
    assert router.decide("它的统一社会信用代码是多少？", True).fields == ("unified_social_credit_code",)


def test_a_part_naming_nothing_of_its_own_asks_of_what_the_part_before_named() -> None:
    funding = next(s for s in load_intents().specs if "funding_raised" in s.fields)
    assets = next(s for s in load_intents().specs if "total_assets" in s.fields)
    router = Router(load_intents(), _Scripted({  # type: ignore[arg-type]
        "who led the company's Series A and how much was it?": funding.name,
        "who led the company's Series A": funding.name,
        "who led the company's Series A how much was it?": funding.name,
        "how much was it?": assets.name,  # read alone, "it" is anything: the assets
        "what was its revenue": assets.name, "how many employees does it have": assets.name}))
    d = router.decide("who led the company's Series A and how much was it?", True)
    assert d.route == "profile" and set(d.fields) == set(funding.fields), d


def test_who_led_the_clients_round_read_as_beyond_the_profile_is_its_funding_record() -> None:
    router = Router(load_intents(), _Scripted({  # type: ignore[arg-type]
        "remind me who led the company's Series A and how big the round was": "client_other",
        "who is the company's landlord": "client_other"}))
    d = router.decide("remind me who led the company's Series A and how big the round was", True)
    assert d.route == "profile" and "investors" in d.fields, d
    assert router.decide("who is the company's landlord", True).route == "retrieval"  # no round named: as read


def test_who_led_and_who_joined_named_side_by_side_is_a_round_taken() -> None:
    from app.core.chat_route import ROUND_TAKEN
    assert ROUND_TAKEN.search("该公司A轮：金额、领投、跟投分别是？") and ROUND_TAKEN.search("A輪跟投/領投是誰")
    assert not ROUND_TAKEN.search("哪些基金会领投B轮？")  # a round to come: investors that might fit
    # who co-invested in its round: its funding record
    assert ROUND_TAKEN.search("And got any co-investor follow on or not? need the names for the teaser")
    assert ROUND_TAKEN.search("which funds co-invested with the lead?")

"""Word translations from CC-CEDICT (app/core/dictionary.py): a word no glossary concept covers still
crosses between Chinese and English, in search and in grounded answers."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any

from app.adapters.embedder import HashingEmbedder
from app.adapters.kb import KnowledgeBase
from app.core.answer import Passage, compose
from app.core.dictionary import load_dictionary
from app.core.glossary import load_glossary
from app.core.retrieve import Filters, Retriever
from app.core.tokenize import tokens
from app.core.types import Principal
from app.settings import Settings
from app.wiring import Deps
from ingest.pipeline import Ingestor, Target

ADMIN = Principal("public", "admin")


def test_words_translate_both_ways_in_the_indexs_own_tokens() -> None:
    words = load_dictionary()
    assert "loan" in words.translate(["贷款"]) and "accid" in words.translate(tokens("事故"))  # stemmed English
    assert "贷款" in words.translate(tokens("loan")) and "专利" in words.translate(tokens("patents"))
    assert words.translate(["贷"]) == []  # a single character is too ambiguous to translate
    assert words.translate(["zzzz", "无此词语"]) == []
    assert "intere" in words.alternatives("利率") and "贷款" in words.alternatives("loan"[:6])  # an answer's term form


def test_an_english_query_finds_a_chinese_passage_through_its_words(settings: Settings, tmp_path: Path) -> None:
    docs = {"rules.txt": "企业申请认定前一年内未发生重大安全、重大质量事故。",
            "other.txt": "贷款期限最长三年，利率按风险定价。"}
    for name, text in docs.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    embedder = HashingEmbedder()
    Ingestor(settings, KnowledgeBase(settings), embedder).run([tmp_path / n for n in docs], Target())
    retriever = Deps(settings=settings, kb=KnowledgeBase(settings), embedder=embedder).retriever()
    question = "safety or quality accident before applying"  # no glossary concept among these words
    assert retriever.fusion.dictionary > 0

    def lexical(r: Retriever) -> list[str]:  # the BM25 ranker alone: the hashing embedder's vectors are noise
        rows: dict[int, Any] = {}
        return [str(rows[i]["source"]) for i, _ in r._sparse(question, [], ADMIN, Filters(), 10, rows)]

    assert "rules" in lexical(retriever)[0]
    assert lexical(replace(retriever, fusion=replace(retriever.fusion, dictionary=0.0))) == []  # no shared word


def test_a_grounded_answer_meets_a_passage_in_the_other_language() -> None:
    sheet = Passage(1, "d", "IP-Pledge Loan for Technology SMEs",
                    "Term up to 3 years. Indicative annual interest rate from 3.45%, with a subsidy.")
    answer = compose("IP质押贷款利率从多少起？", [sheet], tokens, load_glossary())
    assert answer.found and answer.text.startswith("Indicative annual interest rate from 3.45%")  # the sentence asked
    grant = Passage(1, "d", "SBIR Phase I", "Phase I awards fund feasibility studies of six to twelve months.")
    assert not compose("IP质押贷款利率从多少起？", [grant], tokens, load_glossary()).found  # about something else


def test_an_rms_abbreviations_are_concepts_not_another_partys_name() -> None:
    from app.core.answer import names_unsupported

    portfolio = Passage(1, "d", "business_plan.docx", "公司拥有发明专利12项、实用新型专利20项、软件著作权15项。")
    assert not names_unsupported("Break down the company's IP portfolio: invention patents and copyrights.",
                                 [portfolio], tokens, load_glossary())  # IP: intellectual property
    plan = Passage(1, "d", "深圳极光智能科技有限公司 商业计划书", "2023年实现营业收入1.3亿元。")
    assert not names_unsupported("BP里写的2023年营收是多少？", [plan], tokens, load_glossary())  # BP: the business plan
    code = Passage(1, "d", "营业执照", "统一社会信用代码：91440300MA5F8K2L74")
    assert not names_unsupported("I need its unified social credit code for the KYC file.", [code], tokens,
                                 load_glossary())  # KYC: know your customer, a bank's process
    assert not names_unsupported("AML审查要用，统一社会信用代码是多少？", [code], tokens, load_glossary())
    sheet = Passage(1, "d", "financials.xlsx", "资产负债表 Balance Sheet\n货币资金 Cash | 61230000")
    assert not names_unsupported("How much cash was on the BS at end of 2023?", [sheet], tokens, load_glossary())
    assert names_unsupported("Acme Robotics的营收是多少？", [plan], tokens, load_glossary())  # a name stays a name

"""A program's benefits written as sentences (app/core/benefit_text.py): each benefit named in the asker's
language with its unit from the key, so a question about a program's terms is answered from its card."""

from __future__ import annotations

from app.core.answer import Passage, compose
from app.core.benefit_text import benefit_label, benefit_sentences, benefits_asked, with_benefits
from app.core.tokenize import tokens

LOAN = {"max_amount_cny": 20000000, "rate": "年化3.3%起", "term_months": 36, "revolving": True,
        "tiers_cny": {"A": 5000000, "B": 3000000}}


def test_each_benefit_is_a_sentence_with_its_name_and_unit_in_the_language_asked() -> None:
    zh = benefit_sentences(LOAN, "zh")
    assert zh[:4] == ["最高额度：2,000万元。", "利率：年化3.3%起。", "期限：36个月。", "可循环使用：是。"]
    assert zh[4] == "分档额度：A类：500万元，B类：300万元。"
    en = benefit_sentences(LOAN, "en")
    assert en[:4] == ["Maximum amount: 20,000,000 CNY.", "Interest rate: 年化3.3%起.", "Term: 36 months.", "Revolving: yes."]
    fund = benefit_sentences({"ticket_size_usd": [1000000, 5000000], "typical_stake_pct": [8, 15]}, "en")
    assert fund == ["Ticket size: 1,000,000 USD – 5,000,000 USD.", "Typical stake: 8% – 15%."]


def test_a_key_the_label_file_does_not_list_is_read_from_its_own_words_and_unit() -> None:
    assert benefit_label("guarantee_fee", "en") == "guarantee fee"
    assert benefit_label("warrant_coverage_pct", "en") == "warrant coverage"
    assert benefit_sentences({"warrant_coverage_pct": 10}, "en") == ["Warrant coverage: 10%."]
    assert benefit_sentences({"bonus_usd_cap": 5000, "empty": ""}, "en") == ["Bonus cap: 5,000 USD."]


def test_a_question_about_a_programs_terms_is_answered_from_its_benefits() -> None:
    card = Passage(1, "program:demo-loan", "高企贷", with_benefits("面向高新技术企业的信用贷款。", LOAN, "zh"))
    answer = compose("高企贷的利率是多少？", [card], tokens)
    assert answer.found and "年化3.3%起" in answer.text
    en = Passage(1, "program:demo-loan", "HNTE Loan", with_benefits("A credit loan for HNTEs.", LOAN, "en"))
    answer = compose("What is the longest term of the HNTE Loan?", [en], tokens)
    assert answer.found and "36 months" in answer.text
    # the text alone states no rate: not found
    assert not compose("高企贷的利率是多少？", [Passage(1, "p", "高企贷", "面向高新技术企业的信用贷款。")], tokens).found


def test_how_much_an_award_a_grant_or_a_tax_relief_gives_is_asked_of_its_benefit_and_its_name_alone_is_not() -> None:
    award = {"award_cny": {"first_recognition": 200000, "re_recognition": 100000}}
    assert benefits_asked("可以申请南山区的高企认定奖励吗？首次认定大概补助多少？", award) == ["award_cny"]
    assert benefits_asked("可以申請南山區的高企認定獎勵嗎？首次認定大概補助多少？", award) == ["award_cny"]
    assert benefits_asked("How much money would they get from the award?", award) == ["award_cny"]
    assert benefits_asked("Can it get the Nanshan HNTE award?", award) == []  # the program named, not its amount
    sbir = {"award_usd_typical_max": 314363}
    assert benefits_asked("And how much is the award?", sbir) == ["award_usd_typical_max"]
    vat = {"tax_relief": "增值税实际税负超过3%的部分即征即退"}
    assert benefits_asked("实际税负超过多少的部分可以退？", vat) == ["tax_relief"]
    assert benefits_asked("Is it eligible for the VAT refund policy?", vat) == []


def test_the_money_a_grant_or_award_is_named_beside_a_word_asking_an_amount_asks_it() -> None:
    sbir = {"award_usd_typical_max": 314363, "term_months": 6}
    assert benefits_asked("What is the typical maximum Phase I award?", sbir) == ["award_usd_typical_max"]
    assert benefits_asked("I'd like the employee cap and the typical maximum award.", sbir) == ["award_usd_typical_max"]
    assert benefits_asked("钱一般给多少", sbir) == ["award_usd_typical_max"]
    assert benefits_asked("Is the award worth applying for?", sbir) == []  # the award named, no amount asked
    assert benefits_asked("How many employees max? Is there funding for R&D?", sbir) == []  # not in one sentence
    eic = {"grant_eur_max": 2500000}
    assert benefits_asked("EIC Accelerator的grant上限多少欧", eic) == ["grant_eur_max"]
    award = {"award_cny": {"first_recognition": 200000, "re_recognition": 100000}}
    assert benefits_asked("他們是第一次過高新，補助金額是多少？", award) == ["award_cny"]
    assert benefits_asked("What award does it provide for a first-time recognition?", award) == ["award_cny"]  # a tier


def test_an_english_question_finds_the_award_of_a_notice_written_in_traditional_chinese() -> None:
    from app.core.glossary import load_glossary
    notice = Passage(1, "zjtx", "專精特新中小企業培育辦法（示範摘要）",
                     "上一年度研發費用總額不低於100萬元。對首次認定的專精特新中小企業，一次性給予20萬元獎勵，並優先推薦銀行提供信用貸款支持。")
    for question in ("In the Zhuanjingtexin notice, what one-off award is given on first recognition?",
                     "zjtx notice - one off reward for first recognition how much"):
        answer = compose(question, [notice], tokens, load_glossary())
        assert answer.found and "20萬元獎勵" in answer.text, question


def test_information_security_names_iso_27001_in_either_language_and_script() -> None:
    from app.core.glossary import load_glossary
    assert "ISO 27001" in load_glossary().expansions("Northwind有沒有ISO資安認證？")  # 資安: Taiwan's word for it
    assert "信息安全" in load_glossary().expansions("Is it ISO 27001 certified?")

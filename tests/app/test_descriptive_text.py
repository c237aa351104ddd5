"""What the industry and tech-domain classifiers read of a firm's documents: what it says it does,
not its accounts."""

from __future__ import annotations

from app.core.enterprise_facts import descriptive_text, source_type

PLAN = "公司专注于机器视觉芯片与边缘AI模组，产品用于工业质检和智能驾驶。"
STATEMENTS = "科目 2022 2023\n营业收入 81450000 120800000\n财务费用 1200000 1500000\n利润总额 9000000 15000000"


def test_file_names_with_separators_name_their_type() -> None:
    assert source_type("", "uploads/business_plan.docx", PLAN) == "business_plan"
    assert source_type("", "acme-financial-statements.xlsx", STATEMENTS) == "financial_statement"
    assert source_type("", "tax_record_2023.pdf", "") == "tax_record"
    assert source_type("", "notes.md", PLAN) == "document"


def test_statements_and_records_are_not_read_beside_a_description() -> None:
    texts = [("business_plan", PLAN), ("financial_statement", STATEMENTS), ("tax_record", "完税证明 2023"),
             ("document", "Q1 研发投入 120万")]
    assert descriptive_text(texts) == f"{PLAN}\nQ1 研发投入 120万"


def test_records_alone_are_still_read() -> None:
    texts = [("financial_statement", STATEMENTS), ("certificate", "高新技术企业证书")]
    assert descriptive_text(texts) == f"{STATEMENTS}\n高新技术企业证书"

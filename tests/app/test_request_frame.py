"""An order or a relayed question is read, for its intent, as the question it stands for."""

import pytest

from app.core.request_frame import as_question, unrelayed


@pytest.mark.parametrize(("typed", "read"), [
    ("List the investors in Northwind's Series A.", "What are the investors in Northwind's Series A."),
    ("I'd like Northwind's count of granted patents", "What are Northwind's count of granted patents"),
    ("Can you please pull up its 2022 payroll?", "What are its 2022 payroll?"),
    ("ok so list all loans that fit", "What are all loans that fit"),
    ("tell me how many patents it holds", "how many patents it holds"),  # the question inside the order
])
def test_an_orders_opening_is_read_as_a_question(typed: str, read: str) -> None:
    assert as_question(typed) == read


@pytest.mark.parametrize("typed", [
    "share price?",  # a noun, not an order: nothing follows that it could fetch
    "list price of the software licence",
    "I need to know if it qualifies",  # a yes or no asked: left as typed
    "What is its revenue?",
    "Need",
])
def test_other_text_is_left_as_typed(typed: str) -> None:
    assert as_question(typed) == typed


@pytest.mark.parametrize(("typed", "read"), [
    ("The founder wants to know how much the R&D team grew", "how much the R&D team grew"),
    ("Caller asks: under STTR, how much of the work does the institution do?", "under STTR, how much of the work does the institution do?"),
    ("my manager asked me to check if it qualifies for HNTE", "it qualifies for HNTE"),
    ("客户问他们去年研发花了多少", "他们去年研发花了多少"),
    ("老板說想知道能不能申請高企貸", "能不能申請高企貸"),
])
def test_a_relayed_question_is_the_question(typed: str, read: str) -> None:
    assert unrelayed(typed) == read


@pytest.mark.parametrize("typed", ["客户的收入是多少？", "他们的研发人员有多少", "The client's revenue in 2023?"])
def test_the_client_named_as_the_subject_is_no_relay(typed: str) -> None:
    assert unrelayed(typed) == typed


@pytest.mark.parametrize(("typed", "read"), [
    ("For the KYC file: the company's registered capital?", "the company's registered capital?"),
    ("Quick check on Northwind's last round - size and who led it?", "Northwind's last round - size and who led it?"),
    ("Need this for the memo - pull its 2022 revenue", "What are its 2022 revenue"),
])
def test_the_askers_errand_before_the_question_is_not_read_into_it(typed: str, read: str) -> None:
    assert as_question(typed) == read


@pytest.mark.parametrize("typed", ["For STTR, how much of the work does the partner do?",
                                   "For the IP-pledge loan, which kinds of IP can be pledged?"])
def test_a_subject_named_before_the_question_stays(typed: str) -> None:
    assert as_question(typed) == typed


def test_the_words_relaying_a_question_are_no_words_a_passage_must_state() -> None:
    from app.core.request_frame import unframed

    assert unframed("Caller asks: under STTR, how much of the work does the institution do?") == \
        "under STTR, how much of the work does the institution do?"
    assert unframed("For the KYC file: the client wants to know its tax rating") == "its tax rating"
    assert unframed("List the loans it fits") == "List the loans it fits"  # an order is read as typed here

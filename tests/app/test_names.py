"""Document names are counted per tenant: whether a word names a bank's document never depends on
what another bank holds."""

from __future__ import annotations

from app.core.names import NameIndex

BANK_B = [("b1", "Quillmoor memo", "upload:general/quillmoor_memo.txt", "bank-b")]
BANK_A = [(f"a{i}", f"Visit {i}", f"upload:general/quillmoor_textiles_{i}.txt", "bank-a") for i in range(5)]


def test_a_name_counted_among_its_owners_documents_only() -> None:
    alone = NameIndex.per_tenant(BANK_B).documents_named_in("Quillmoor revolving credit")
    assert alone == {"b1"}
    crowded = NameIndex.per_tenant(BANK_B + BANK_A)
    assert crowded.documents_named_in("Quillmoor revolving credit") == alone  # bank-a's five do not drown it
    assert not crowded.by_word["quillmoor"] & {d[0] for d in BANK_A}  # common among bank-a's own five: no name there
    shared = NameIndex.build([d[:3] for d in BANK_B + BANK_A])
    assert shared.documents_named_in("Quillmoor revolving credit") == set()  # the leak this replaces

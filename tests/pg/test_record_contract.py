"""Enterprise profiles and chat conversations, on SQLite (the default) and on PostgreSQL: the same
calls, the same answers, one tenant never reading another's; with PostgreSQL a second store (another
host) reads what the first wrote."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from app.adapters.backends import conversation_store, profile_store
from app.core.errors import NotFound
from app.settings import Settings
from tests.pg.stores import BACKENDS, Opened, backend_settings


@pytest.fixture(params=BACKENDS)
def settings(request: pytest.FixtureRequest, tmp_path: Path) -> Settings:
    return backend_settings(request, tmp_path)


def _two(settings: Settings, opened: Opened, make: Any) -> tuple[Any, Any]:
    return opened(make(settings)), opened(make(settings))


def test_a_profile_saved_reads_back_for_its_tenant_only_and_a_save_replaces_it(settings: Settings,
                                                                              opened: Opened) -> None:
    host_a, host_b = _two(settings, opened, profile_store)
    body = {"enterprise_id": "acme", "name": "Acme 科技", "fields": {"employees": {"value": 42}}}
    host_a.save("bank-a", body)
    got = host_b.get("bank-a", "acme")
    assert got is not None and got["fields"] == body["fields"] and got["name"] == "Acme 科技"
    assert got["updated_at"].endswith("+00:00") and len(got["updated_at"]) == len("2026-01-01T00:00:00+00:00")
    assert host_b.get("bank-b", "acme") is None
    host_b.save("bank-a", {**body, "name": "Acme Ltd"})
    host_a.save("bank-a", {"enterprise_id": "zeta", "name": ""})
    host_a.save("bank-b", {"enterprise_id": "beta", "name": "Beta"})
    assert host_a.list("bank-a") == [("acme", "Acme Ltd"), ("zeta", "")]
    assert host_a.list("bank-a", limit=1) == [("acme", "Acme Ltd")]


def test_a_conversation_goes_on_through_another_store_in_order(settings: Settings, opened: Opened) -> None:
    host_a, host_b = _two(settings, opened, conversation_store)
    cid = host_a.open("bank-a", None, "acme", "What grants fit Acme? " * 10)
    assert host_b.open("bank-a", cid, None, "ignored") == cid
    host_a.add(cid, "user", "What grants fit Acme?")
    answer = host_b.add(cid, "assistant", "Two programs [1].", [{"n": 1, "doc_id": "d1"}], "rag", "grounded")
    history = host_a.history("bank-a", cid)
    assert [(m["role"], m["content"]) for m in history] == [("user", "What grants fit Acme?"),
                                                           ("assistant", "Two programs [1].")]
    assert history[1]["message_id"] == answer and history[1]["citations"] == [{"n": 1, "doc_id": "d1"}]
    assert history[1]["route"] == "rag" and history[0]["citations"] == []
    assert host_b.enterprise_of("bank-a", cid) == "acme" and host_b.enterprise_of("bank-b", cid) is None
    recent = host_b.recent("bank-a")
    assert [r["conversation_id"] for r in recent] == [cid] and len(recent[0]["title"]) == 120
    assert host_b.recent("bank-b") == []


def test_another_tenants_conversation_and_answer_are_not_found(settings: Settings, opened: Opened) -> None:
    store = opened(conversation_store(settings))
    cid = store.open("bank-a", None, None, "q")
    question = store.add(cid, "user", "q")
    answer = store.add(cid, "assistant", "a")
    for call in (lambda: store.open("bank-b", cid, None, "q"), lambda: store.history("bank-b", cid)):
        with pytest.raises(NotFound, match="no conversation"):
            call()
    with pytest.raises(NotFound, match="no answer"):
        store.feedback("bank-b", answer, "up", "")
    with pytest.raises(NotFound, match="no answer"):
        store.feedback("bank-a", question, "up", "")  # a question takes no rating
    store.feedback("bank-a", answer, "down", "x" * 3000)
    rows = store.feedback_rows("bank-a")
    assert [(r["message_id"], r["rating"], len(r["comment"])) for r in rows] == [(answer, "down", 2000)]
    assert store.feedback_rows("bank-b") == []

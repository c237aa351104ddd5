"""`sme keys` with SME_DATABASE_URL: keys created, listed and revoked in PostgreSQL (no keys.json),
where every API host reads them; a URL that is not PostgreSQL is a usage error."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.adapters.pg.keys import PgKeyStore
from app.cli import main
from app.core.errors import Unauthorized
from app.settings import get_settings
from tests.pg.stores import Opened


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    monkeypatch.setenv("SME_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    yield tmp_path / "data"
    get_settings.cache_clear()


def test_sme_keys_create_list_revoke_in_postgresql(env: Path, pg_url: str, monkeypatch: pytest.MonkeyPatch,
                                                   capsys: pytest.CaptureFixture[str], opened: Opened) -> None:
    monkeypatch.setenv("SME_DATABASE_URL", pg_url)
    get_settings.cache_clear()
    assert main(["keys", "create", "--tenant", "bank-a", "--role", "rm"]) == 0
    printed = capsys.readouterr().out
    key_id = re.search(r"^id (\w+)", printed, re.MULTILINE).group(1)  # type: ignore[union-attr]
    key = re.search(r"^key (\S+)", printed, re.MULTILINE).group(1)  # type: ignore[union-attr]
    store = opened(PgKeyStore(pg_url))
    assert store.authenticate(key).tenant == "bank-a"
    assert main(["keys", "revoke", key_id]) == 0 and main(["keys", "list"]) == 0
    assert re.search(rf"^{key_id}\s+bank-a\s+rm\s+\S+\s+revoked$", capsys.readouterr().out, re.MULTILINE)
    with pytest.raises(Unauthorized):
        store.authenticate(key)
    assert not (env / "keys.json").exists()


def test_a_database_url_that_is_not_postgresql_is_a_usage_error(env: Path, monkeypatch: pytest.MonkeyPatch,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setenv("SME_DATABASE_URL", "mysql://db/sme")
    get_settings.cache_clear()
    assert main(["keys", "list"]) == 2
    assert "SME_DATABASE_URL must be a postgresql://" in capsys.readouterr().err

"""`sme eval retrieval --indexed DATA_DIR` scores a corpus already ingested there as a fresh ingest
would score it, and refuses a data dir that holds none of the dataset's documents."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.cli import main
from app.core.errors import InputError
from app.settings import Settings, get_settings
from app.wiring import Deps
from eval import retrieval
from ingest.pipeline import Ingestor, Target

DOCS = {"loans.md": "# Working capital loans\n\nA revolving working capital loan for small firms, up to 5 million yuan.\n",
        "vouchers.md": "# Innovation vouchers\n\nVouchers pay half of a research contract with a university.\n",
        "export.md": "# Export credit\n\nExport credit insurance covers buyers who do not pay.\n"}
QUERIES = [("q1", "revolving loan for working capital", "loans"), ("q2", "voucher for university research", "vouchers"),
           ("q3", "insurance when an export buyer does not pay", "export")]  # an .md file is named by its stem


def _dataset(root: Path) -> Path:
    (root / "corpus").mkdir(parents=True)
    for name, text in DOCS.items():
        (root / "corpus" / name).write_text(text)
    (root / "queries.jsonl").write_text("".join(json.dumps({"_id": q, "text": t}) + "\n" for q, t, _ in QUERIES))
    (root / "qrels.tsv").write_text("query-id\tcorpus-id\tscore\n" + "".join(f"{q}\t{d}\t1\n" for q, _, d in QUERIES))
    return root


def test_an_indexed_data_dir_scores_as_a_fresh_ingest(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    dataset = _dataset(tmp_path / "set")
    settings = Settings().model_copy(update={"embedder": "hashing"})
    fresh = retrieval.run(dataset, settings)
    data = tmp_path / "data"
    cheap = settings.model_copy(update={"data_dir": data})
    deps = Deps.build(cheap)
    Ingestor(cheap, deps.kb, deps.embedder).run([dataset / "corpus"], Target(kind="general"))
    again = retrieval.run(dataset, settings, data_dir=data)
    assert again["document"] == fresh["document"] and again["tune"] == fresh["tune"]
    assert again["documents"] == {"indexed": 3}

    monkeypatch.setenv("SME_EMBEDDER", "hashing")
    get_settings.cache_clear()  # the CLI reads the environment through a cached Settings
    try:
        assert main(["eval", "retrieval", "--dataset", str(dataset), "--indexed", str(data)]) == 0
        assert json.loads(capsys.readouterr().out.strip().splitlines()[-1])["document"] == fresh["document"]
        assert main(["eval", "chat", "--dataset", str(dataset), "--indexed", str(data)]) == 2  # retrieval only
    finally:
        get_settings.cache_clear()


def test_a_data_dir_without_the_datasets_documents_is_refused(tmp_path: Path) -> None:
    dataset = _dataset(tmp_path / "set")
    other = tmp_path / "other"
    (other / "corpus").mkdir(parents=True)
    (other / "corpus" / "unrelated.md").write_text("# Weather\n\nRain is expected on Monday.\n")
    cheap = Settings().model_copy(update={"data_dir": tmp_path / "data", "embedder": "hashing"})
    deps = Deps.build(cheap)
    Ingestor(cheap, deps.kb, deps.embedder).run([other / "corpus"], Target(kind="general"))
    with pytest.raises(InputError, match="ingest its corpus there"):
        retrieval.run(dataset, cheap, data_dir=tmp_path / "data")

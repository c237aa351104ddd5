"""`sme eval match` over a small match set: label metrics over all firms and over each half of the id split."""

from __future__ import annotations

import json
from pathlib import Path

from app.settings import Settings
from eval import match
from eval.metrics import split_of

PROGRAMS = [
    {"id": "p-space", "title": "Small spacecraft propulsion", "label": "NASA",
     "text": "Green propellant thrusters for small spacecraft and cubesat orbit raising."},
    {"id": "p-farm", "title": "Crop disease sensing", "label": "USDA",
     "text": "Field sensors that detect fungal disease in wheat and corn crops for farmers."},
]
FIRMS = {  # id -> (text, gold label)
    "f-1": ("We build green propellant thrusters for cubesat orbit raising.", "NASA"),
    "f-2": ("Our field sensors detect fungal disease in wheat crops for farmers.", "USDA"),
    "f-3": ("Thrusters for small spacecraft with a non-toxic propellant.", "NASA"),
    "f-4": ("Sensors for corn crop disease on the farm.", "USDA"),
    "f-5": ("Cubesat propulsion with green propellant.", "USDA"),  # gold disagrees with the text: a miss
}


def test_match_eval_reports_each_half(tmp_path: Path) -> None:
    ds = tmp_path / "ds"
    ds.mkdir()
    (ds / "programs.jsonl").write_text("".join(json.dumps(p) + "\n" for p in PROGRAMS), encoding="utf-8")
    (ds / "enterprises.jsonl").write_text("".join(json.dumps({"id": i, "text": t}) + "\n" for i, (t, _) in FIRMS.items()),
                                          encoding="utf-8")
    (ds / "gold.jsonl").write_text("".join(json.dumps({"enterprise_id": i, "label": g}) + "\n" for i, (_, g) in FIRMS.items()),
                                   encoding="utf-8")
    result = match.run(ds, Settings(data_dir=tmp_path / "data", embedder="hashing"))
    assert result["enterprises"] == 5 and result["label_acc@1"] == 0.8 and result["label_hit@5"] == 1.0
    halves = {h: [i for i in FIRMS if split_of(i) == h] for h in ("tune", "held_out")}
    for half, ids in halves.items():
        part = result[half]
        assert isinstance(part, dict) and part["enterprises"] == len(ids)
        if ids:
            assert part["label_acc@1"] == round(sum(i != "f-5" for i in ids) / len(ids), 4)

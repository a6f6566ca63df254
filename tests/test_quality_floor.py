"""A floor that cannot drop silently: on the dev set, body kept stays at its target and chrome removed
does not fall more than 0.01 below benchmarks/quality-baseline.json, and cleaning the gold bodies
themselves (text that is body alone) removes almost nothing. Skips where the dev set is absent."""

from __future__ import annotations

import json
import sys

import pytest
from conftest import DEV, ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
import quality  # noqa: E402

from cleaner import Cleaner, Config  # noqa: E402

BASELINE = ROOT / "benchmarks" / "quality-baseline.json"


@pytest.mark.slow
@pytest.mark.skipif(not DEV.exists(), reason=f"dev set not found at {DEV}: quality floor not checked")
def test_quality_does_not_fall_below_baseline(capsys):
    scorer = quality.load_scorer(DEV)
    records = scorer.load_jsonl(str(DEV))
    baseline = json.loads(BASELINE.read_text(encoding="utf-8"))
    figures = {}
    for view, base in baseline.items():
        subset = [r for r in records if r["view"] == view]
        outcome = quality.run(subset, Cleaner(Config(preset=base["preset"])), scorer)
        allm = scorer.score(subset, outcome["preds"])[view]["ALL"]
        figures[view] = {"chrome_removed": allm["chrome_removed"], "body_kept": allm["body_kept"]}
    figures["clean-text"] = {"removed": quality.clean_text_removed(records, Cleaner())[0]}
    assert quality.check(figures, baseline) == 0, capsys.readouterr().out

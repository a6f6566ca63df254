"""Hostile rules and input: a runaway pattern is stopped within the document's budget and named."""

from __future__ import annotations

import time

import pytest
from conftest import RUNAWAY_PACK

from cleaner import Cleaner, CleanerError, Config



@pytest.fixture()
def runaway_pack(tmp_path):
    path = tmp_path / "slow.yaml"
    path.write_text(RUNAWAY_PACK, encoding="utf-8")
    return path


def test_runaway_rule_is_stopped_and_named(runaway_pack):
    cleaner = Cleaner(Config(rules=(str(runaway_pack),), time_budget=0.5, time_budget_per_mb=0.0))
    text = "A first line.\n" + "a" * 50_000 + "b\n"
    # CPU time, not wall time: the regex timeout counts the time the process actually ran.
    started = time.process_time()
    with pytest.raises(CleanerError) as caught:
        cleaner.clean(text)
    assert time.process_time() - started < 0.5 + 0.2 + 0.3  # budget, culprit probe, slack for the rest
    message = str(caught.value)
    assert "slow.runaway" in message and f"{runaway_pack}:3" in message and "line 2" in message


def test_runaway_rule_under_skip_policy_leaves_the_document(runaway_pack):
    cleaner = Cleaner(Config(rules=(str(runaway_pack),), time_budget=0.3, time_budget_per_mb=0.0,
                             on_timeout="skip"))
    text = "Comments\n" + "a" * 50_000 + "b\n"
    result = cleaner.clean_and_explain(text)
    assert result.text == text and result.edits == ()
    assert "slow.runaway" in result.skipped


def test_many_slow_lines_share_one_budget(tmp_path):
    pack = tmp_path / "slowish.yaml"
    pack.write_text(RUNAWAY_PACK.replace("(a|a)+$", "(?:a|aa)+c"), encoding="utf-8")
    cleaner = Cleaner(Config(rules=(str(pack),), time_budget=0.5, time_budget_per_mb=0.0))
    text = ("a" * 22 + "b\n") * 1000  # each line legal and quick alone, slow together
    started = time.process_time()
    try:
        cleaner.clean(text)
    except CleanerError:
        pass
    assert time.process_time() - started < 0.5 + 0.2 + 1.0

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

# Bounded in the suite; `HYPOTHESIS_PROFILE=long python -m pytest tests/test_properties.py` runs longer.
settings.register_profile("suite", max_examples=200)
settings.register_profile("long", max_examples=5000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "suite"))

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "independent-biden-putin-call.txt"
GOLDEN = Path(__file__).resolve().parent / "golden"
DEV = ROOT.parent / "shared" / "eval" / "dev.jsonl"

# A rule pack whose one pattern backtracks exponentially on a long run of "a": for time-budget tests.
RUNAWAY_PACK = """description: a catastrophic pattern
rules:
  - id: runaway
    kind: drop-line
    description: Backtracks exponentially on a long run of a.
    match: '(a|a)+$'
    examples: {remove: [aaa], keep: [b]}
"""


def pytest_addoption(parser):
    parser.addoption("--rules", action="append", default=[], metavar="PATH",
                     help="also check the examples of these user rule packs")


@pytest.fixture(scope="session")
def default_cleaner():
    from cleaner import Cleaner

    return Cleaner()

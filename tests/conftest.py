from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "independent-biden-putin-call.txt"
GOLDEN = Path(__file__).resolve().parent / "golden"
DEV = ROOT.parent / "shared" / "eval" / "dev.jsonl"


def pytest_addoption(parser):
    parser.addoption("--rules", action="append", default=[], metavar="PATH",
                     help="also check the examples of these user rule packs")


@pytest.fixture(scope="session")
def default_cleaner():
    from cleaner import Cleaner

    return Cleaner()

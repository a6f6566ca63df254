"""pytest-benchmark: loading and compiling the rules, apart from cleaning the seed article.

    python -m pytest benchmarks/test_engine.py
"""

from __future__ import annotations

from pathlib import Path

from cleaner import Cleaner

SEED = (Path(__file__).resolve().parent.parent / "seeds" / "independent-biden-putin-call.txt").read_text(
    encoding="utf-8")


def test_load_and_compile_rules(benchmark):
    benchmark(Cleaner)


def test_clean_seed(benchmark):
    cleaner = Cleaner()
    benchmark(cleaner.clean, SEED)

"""Throughput and rule scaling, side by side in one run (machines here are noisy: compare ratios).

    python benchmarks/throughput.py [../shared/eval/dev.jsonl] [--view readability] [--repeat 3]

Prints MB/s (median of the repeats, no output cached between passes) for: reading, splitting and
joining lines (a floor); the default cleaner; ftfy.fix_text; datatrove's C4 line filter when it is
installed; and the cleaner with ten times as many rules (each drop-line rule repeated nine more times
under new ids, each copy with a different optional leading word, so no prefilter rejects it for free).
Every contender runs once in each round, so the ratios compare passes taken side by side.
Without the dev set, a corpus generated from the seed article is used.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

import yaml

from cleaner import Cleaner, Config
from cleaner.loader import builtin_rules_dir, pack_files

ROOT = Path(__file__).resolve().parent.parent
VARIANT_WORDS = ("also", "now", "new", "more", "our", "your", "today", "here", "please")


def inputs(path: Path, view: str) -> list[str]:
    if path.exists():
        with path.open(encoding="utf-8") as fh:
            return [r["input"] for r in map(json.loads, fh) if r["view"] == view]
    seed = (ROOT / "seeds" / "independent-biden-putin-call.txt").read_text(encoding="utf-8")
    return [seed] * 500


def timed_together(functions: dict, texts: list[str], repeat: int) -> dict[str, float]:
    """Median seconds per pass for each function. The passes take turns (every function once per round),
    so a slow spell of a noisy machine falls on all of them alike, not on one."""
    runs: dict[str, list[float]] = {name: [] for name in functions}
    for _ in range(repeat):
        for name, function in functions.items():
            started = time.perf_counter()
            for text in texts:
                function(text)
            runs[name].append(time.perf_counter() - started)
    return {name: statistics.median(seconds) for name, seconds in runs.items()}


class _NoAliases(yaml.SafeDumper):
    def ignore_aliases(self, data):  # rule files refuse anchors and aliases
        return True


def ten_times_rules(folder: Path) -> Path:
    """Copies of the built-in packs where every drop-line rule comes with nine variants."""
    for name, path in pack_files(builtin_rules_dir()):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        extra = []
        for rule in data["rules"]:
            if rule["kind"] != "drop-line":
                continue
            patterns = rule["match"] if isinstance(rule["match"], list) else [rule["match"]]
            for word in VARIANT_WORDS:
                variant = dict(rule, id=f"{rule['id']}-{word}", match=[f"(?:{word} )?(?:{p})" for p in patterns])
                extra.append(variant)
        data["rules"] += extra
        target = folder / (name.replace(".", "/") + ".yaml")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(yaml.dump(data, Dumper=_NoAliases, allow_unicode=True, sort_keys=False), encoding="utf-8")
    stopwords = builtin_rules_dir() / "_stopwords"
    (folder / "_stopwords").mkdir(exist_ok=True)
    for file in stopwords.glob("*.txt"):
        (folder / "_stopwords" / file.name).write_text(file.read_text(encoding="utf-8"), encoding="utf-8")
    return folder


def c4_filter():
    try:
        from datatrove.data import Document
        from datatrove.pipeline.filters import C4QualityFilter
    except ImportError:
        return None
    c4 = C4QualityFilter(filter_no_terminal_punct=False, min_num_sentences=-1, min_words_per_line=-1,
                         max_word_length=-1, filter_lorem_ipsum=False, filter_javascript=False,
                         filter_curly_bracket=False, filter_policy=False)

    def run(text: str) -> None:
        c4.filter(Document(text=text, id="0"))

    return run


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("data", nargs="?", type=Path, default=ROOT.parent / "shared" / "eval" / "dev.jsonl")
    ap.add_argument("--view", default="readability")
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args(argv)
    texts = inputs(args.data, args.view)
    megabytes = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    cleaner = Cleaner()
    cleaner.clean(texts[0])  # matchers compile on first use: not part of the timing
    import ftfy

    functions = {"floor (split, join)": lambda t: "\n".join(t.split("\n")), "cleaner": cleaner.clean,
                 "ftfy.fix_text": ftfy.fix_text}
    c4 = c4_filter()
    if c4 is not None:
        functions["datatrove C4 line filter"] = c4
    with tempfile.TemporaryDirectory() as tmp:
        many = Cleaner(Config(default_rules=False, rules=(str(ten_times_rules(Path(tmp))),)))
        many.clean(texts[0])
        functions[f"cleaner, {len(many.rules)} rules (default {len(cleaner.rules)})"] = many.clean
        results = timed_together(functions, texts, args.repeat)
    print(f"{len(texts)} documents, {megabytes:.1f} MB ({args.view}), median of {args.repeat}")
    for name, seconds in results.items():
        print(f"  {name:<45} {megabytes / seconds:8.2f} MB/s")
    cleaner_seconds = results["cleaner"]
    print(f"  cleaner vs ftfy.fix_text: {results['ftfy.fix_text'] / cleaner_seconds:.2f}x")
    if c4 is not None:
        print(f"  cleaner vs C4 line filter: {results['datatrove C4 line filter'] / cleaner_seconds:.2f}x")
    scaled = [v for k, v in results.items() if k.startswith("cleaner, ")][0]
    print(f"  ten times the rules costs {scaled / cleaner_seconds:.2f}x the time")
    return 0


if __name__ == "__main__":
    sys.exit(main())

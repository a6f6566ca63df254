"""Score the default cleaner on a gold set such as ../shared/eval/dev.jsonl.

    python benchmarks/quality.py ../shared/eval/dev.jsonl [--preset article] [--views readability]
    python benchmarks/quality.py ../shared/eval/dev.jsonl --check benchmarks/quality-baseline.json

Prints, per view and per source, the scorer's table (P, R, F1, chrome removed, body kept), throughput
against ftfy.fix_text on the same inputs, the median per-document chrome removed, how many documents
each preset cleaned, the chrome left by rough kind of line, the documents with the most chrome left and
the most body lost, and per rule the removed tokens that were body and chrome. Last, each document's gold
body is cleaned as if it were the input: body alone, so what goes is what the rules would take from a
clean text (or chrome the gold kept).
The metrics are those of score.py beside the data file, imported from there.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import re
import statistics
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

from cleaner import Cleaner, Config

_WORD = re.compile(r"\w+")
# A floor that must not drop silently: per view, body kept at or above the target, chrome removed
# no more than this below the recorded baseline.
CHROME_SLACK = 0.01
BODY_TARGETS = {"readability": 0.99, "trafilatura-recall": 0.99, "page": 0.98}
# Cleaning a text that is body alone (each gold) may remove no more than this share of its tokens.
CLEAN_TEXT_CEILING = 0.002


def load_scorer(data: Path):
    spec = importlib.util.spec_from_file_location("score", data.parent / "score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def body_line(line: str, gold_seq: str) -> bool:
    toks = _WORD.findall(line.lower())
    return bool(toks) and (" " + " ".join(toks) + " ") in gold_seq


# Rough kinds of the chrome a cleaner leaves, for the report only (the first that fits names a line):
# where the next rules could come from, and how much of what is left reads as prose.
LEFT_KINDS = (
    ("caption or credit", r"\b(?:photo|image|picture|getty|reuters|afp|shutterstock|alamy|credit|courtesy|illustration)\b"),
    ("byline or date", r"^(?:by |written by|posted|published|updated)|\b(?:19|20)\d\d\b.{0,20}$"
                       r"|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]* \d{1,2},? \d{4}"),
    ("share or social", r"\b(?:share|tweet|facebook|twitter|pinterest|linkedin|whatsapp|instagram|follow us)\b"),
    ("newsletter, subscription, login", r"\b(?:newsletter|subscribe|sign up|sign in|log in|register|inbox|email address)\b"),
    ("comments", r"\b(?:comments?|reply|replies|leave a|loading)\b"),
    ("related or read more", r"\b(?:read more|related|see also|more from|recommended|popular|trending|you may also"
                             r"|next article|previous)\b"),
    ("advert, promotion, affiliate", r"\b(?:advertis\w*|sponsored|affiliate|commission|deal|buy now|shop|price)\b|\$\d"),
    ("legal, cookie, copyright", r"\b(?:cookie|privacy|terms|copyright|rights reserved|disclaimer)\b|©"),
    ("code or table", r"[{};=<>]{2,}|\|.*\|"),
)
_LEFT_KINDS = tuple((name, re.compile(pattern)) for name, pattern in LEFT_KINDS)


def left_kind(line: str) -> str:
    lowered = line.lower().strip()
    for name, pattern in _LEFT_KINDS:
        if pattern.search(lowered):
            return name
    words = len(_WORD.findall(lowered))
    return "prose-like, 20 words or more" if words >= 20 else "short, 4 words or fewer" if words <= 4 else "medium"


def run(records: list[dict], cleaner: Cleaner, scorer) -> dict:
    preds = []
    seconds = 0.0
    nbytes = 0
    rule_tokens: dict[str, Counter] = defaultdict(Counter)
    left_kinds: dict[str, Counter] = defaultdict(Counter)  # tokens and lines per kind
    left_documents: dict[str, set[str]] = defaultdict(set)
    presets: Counter = Counter()
    per_doc = []
    for rec in records:
        t0 = time.perf_counter()
        result = cleaner.clean_and_explain(rec["input"])
        seconds += time.perf_counter() - t0
        nbytes += len(rec["input"].encode("utf-8"))
        preds.append({"id": rec["id"], "view": rec["view"], "output": result.text})
        gold_seq = " " + " ".join(_WORD.findall(rec["gold"].lower())) + " "
        for edit in result.edits:
            if edit.removes_line:
                kind = "body" if body_line(edit.before, gold_seq) else "chrome"
                rule_tokens[edit.rule][kind] += len(_WORD.findall(edit.before))
        presets[result.preset] += 1
        for line in result.text.split("\n"):
            if line.strip() and not body_line(line, gold_seq):
                kind = left_kind(line)
                left_kinds[kind]["tokens"] += len(_WORD.findall(line))
                left_kinds[kind]["lines"] += 1
                left_documents[kind].add(rec["id"])
        counts = scorer.doc_counts(rec["input"], rec["gold"], result.text)
        per_doc.append((rec, counts))
    return {"preds": preds, "seconds": seconds, "bytes": nbytes, "rules": rule_tokens, "per_doc": per_doc,
            "left_kinds": left_kinds, "left_documents": left_documents, "presets": presets}


def clean_text_removed(records: list[dict], cleaner: Cleaner) -> tuple[float, Counter]:
    """Each document's gold body (once per document) cleaned as the input: the share of its tokens the
    output lacks, and per rule the tokens of the lines it removed."""
    golds = {rec["id"]: rec["gold"] for rec in records}
    total = lost = 0
    by_rule: Counter = Counter()
    for gold in golds.values():
        result = cleaner.clean_and_explain(gold)
        before = Counter(_WORD.findall(gold.lower()))
        total += sum(before.values())
        lost += sum((before - Counter(_WORD.findall(result.text.lower()))).values())
        for edit in result.edits:
            if edit.removes_line:
                by_rule[edit.rule] += len(_WORD.findall(edit.before))
    return lost / max(total, 1), by_rule


def ftfy_seconds(records: list[dict]) -> float:
    import ftfy

    t0 = time.perf_counter()
    for rec in records:
        ftfy.fix_text(rec["input"])
    return time.perf_counter() - t0


def report(view: str, records: list[dict], outcome: dict, scorer, ftfy_time: float | None) -> None:
    mbps = outcome["bytes"] / 1e6 / outcome["seconds"]
    line = f"throughput {view}: cleaner {mbps:.2f} MB/s"
    if ftfy_time:
        ftfy_mbps = outcome["bytes"] / 1e6 / ftfy_time
        line += f"; ftfy.fix_text {ftfy_mbps:.2f} MB/s; ratio {mbps / ftfy_mbps:.1f}x"
    print(line)
    chrome_share = []
    lost = []
    left = []
    for rec, c in outcome["per_doc"]:
        if c["in_chrome"]:
            chrome_share.append(1 - c["kept_chrome"] / c["in_chrome"])
            left.append((c["kept_chrome"], rec["id"], rec.get("url", "")))
        if c["in_body"]:
            lost.append((c["in_body"] - c["kept_body"], c["kept_body"] / c["in_body"], rec["id"], rec.get("url", "")))
    print(f"median per-document chrome removed: {statistics.median(chrome_share):.3f}")
    over5 = sum(1 for _, share, _, _ in lost if share < 0.95)
    empty = sum(1 for rec, c in outcome["per_doc"] if c["pred"] == 0 and c["in_body"])
    print(f"documents losing >5% of body tokens: {over5} of {len(lost)} ({over5 / max(len(lost), 1):.1%}); "
          f"empty outputs with gold input: {empty}")
    print("presets that cleaned the documents: " + ", ".join(f"{p} {n}" for p, n in outcome["presets"].most_common()))
    print("chrome left by kind of line (tokens, lines, documents; lines not in the gold, rough kinds):")
    for name, kind in sorted(outcome["left_kinds"].items(), key=lambda kv: -kv[1]["tokens"]):
        print(f"  {kind['tokens']:7d} {kind['lines']:6d} {len(outcome['left_documents'][name]):5d}  {name}")
    print("most chrome left (tokens, id, url):")
    for tokens, doc_id, url in sorted(left, reverse=True)[:10]:
        print(f"  {tokens:6d}  {doc_id}  {url}")
    print("most body lost (tokens, kept share, id, url):")
    for tokens, share, doc_id, url in sorted(lost, reverse=True)[:10]:
        print(f"  {tokens:6d}  {share:.3f}  {doc_id}  {url}")
    print("tokens removed per rule (body / chrome, precision):")
    for rule, counts in sorted(outcome["rules"].items(), key=lambda kv: -sum(kv[1].values())):
        total = counts["body"] + counts["chrome"]
        print(f"  {rule:<45} {counts['body']:6d} / {counts['chrome']:6d}  {counts['chrome'] / total if total else 1:.3f}")
    print()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("data", type=Path)
    ap.add_argument("--views", help="comma-separated views (default: all)")
    ap.add_argument("--preset", default=None, help="cleaner preset (default: the cleaner's default)")
    ap.add_argument("--no-ftfy", action="store_true", help="skip timing ftfy.fix_text for comparison")
    ap.add_argument("--json", type=Path, help="write the ALL figures per view as JSON")
    ap.add_argument("--check", type=Path, help="fail if body kept falls below target or chrome removed "
                    "falls more than 0.01 below this baseline")
    ap.add_argument("--quiet", action="store_true", help="only the score tables")
    args = ap.parse_args(argv)
    if not args.data.exists():
        print(f"{args.data} not found: nothing to score")
        return 0
    scorer = load_scorer(args.data)
    records = scorer.load_jsonl(str(args.data))
    views = args.views.split(",") if args.views else sorted({r["view"] for r in records})
    config = Config() if args.preset is None else Config(preset=args.preset)
    cleaner = Cleaner(config)
    all_preds = []
    figures = {}
    for view in views:
        subset = [r for r in records if r["view"] == view]
        outcome = run(subset, cleaner, scorer)
        all_preds += outcome["preds"]
        scored = scorer.score(subset, outcome["preds"])
        print(scorer.format_tables(scored, f"cleaner, preset {args.preset or 'default'}"))
        if not args.quiet:
            report(view, subset, outcome, scorer, None if args.no_ftfy else ftfy_seconds(subset))
        allm = scored[view]["ALL"]
        figures[view] = {k: round(allm[k], 4) for k in ("micro_p", "micro_r", "micro_f1", "chrome_removed",
                                                         "body_kept")}
        figures[view]["mb_per_s"] = round(outcome["bytes"] / 1e6 / outcome["seconds"], 2)
    removed, by_rule = clean_text_removed([r for r in records if r["view"] in views], cleaner)
    ceiling = ""
    if args.preset is None:  # a named preset (page) is for other text than a clean body
        figures["clean-text"] = {"removed": round(removed, 4)}
        ceiling = f" (ceiling {CLEAN_TEXT_CEILING})"
    print(f"gold bodies cleaned as input (body alone): {removed:.4f} of their tokens removed{ceiling}; by rule: "
          + ", ".join(f"{rule} {tokens}" for rule, tokens in by_rule.most_common(8) if tokens))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n")
    if args.check:
        return check(figures, json.loads(args.check.read_text()))
    return 0


def check(figures: dict, baseline: dict) -> int:
    failures = []
    clean_text = figures.get("clean-text")
    if clean_text is not None and clean_text["removed"] > CLEAN_TEXT_CEILING:
        failures.append(f"clean text: {clean_text['removed']:.4f} of gold-body tokens removed > {CLEAN_TEXT_CEILING}")
    for view, base in baseline.items():
        if view not in figures:
            continue
        got = figures[view]
        target = BODY_TARGETS.get(view, 0.99)
        if got["body_kept"] < target:
            failures.append(f"{view}: body kept {got['body_kept']:.4f} < target {target}")
        if got["chrome_removed"] < base["chrome_removed"] - CHROME_SLACK:
            failures.append(f"{view}: chrome removed {got['chrome_removed']:.4f} < baseline "
                            f"{base['chrome_removed']:.4f} - {CHROME_SLACK}")
    for failure in failures:
        print("FAIL", failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

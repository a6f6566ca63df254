"""Statistics of a corpus run: per rule id, the documents it touched and the lines and bytes it removed; the
rules that never fired; and rules that removed most of a long document (likely over-matching).

Counting happens per document (`document_counts`, cheap and small, so worker processes can do it) and the
counts are added up in input order (`Statistics.add`), so the report does not depend on the number of jobs.

    stats = Statistics(active_rule_ids(cleaner), rules_version=cleaner.rules_version)
    stats.add(document_counts(text, result), label="line 17")
    sys.stderr.write(stats.report()); json.dump(stats.as_dict(), handle)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable

from .model import Result
from .pipeline import Cleaner

# A rule that removes more than this share of a document's bytes...
OVER_MATCH_SHARE = 0.5
# ...in a document of at least this many lines is reported: on a long article that is rarely chrome.
OVER_MATCH_MIN_LINES = 20
EXAMPLES = 5  # documents named per warning


def _size(text: str) -> int:
    return len(text.encode("utf-8", "surrogatepass"))


@dataclass(frozen=True, slots=True)
class DocumentCounts:
    """One document: its size, and per rule id (lines removed, bytes removed)."""

    bytes: int
    lines: int
    rules: tuple[tuple[str, int, int], ...]  # (rule id, lines, bytes), in first-edit order
    bytes_out: int = 0
    lifted: tuple[str, ...] = ()  # metadata fields found (title, standfirst, authors, dateline, published)
    changed: bool = False


def document_counts(text: str, result: Result) -> DocumentCounts:
    """What each rule did to this document. A removed line counts its UTF-8 bytes plus its line ending;
    a replacement counts the bytes it made shorter (never less than zero)."""
    per_rule: dict[str, list[int]] = {}
    for edit in result.edits:
        counts = per_rule.setdefault(edit.rule, [0, 0])
        if edit.removes_line:
            counts[0] += 1
            counts[1] += _size(edit.before) + 1
        elif edit.after is not None:
            counts[1] += max(_size(edit.before) - _size(edit.after), 0)
    lines = text.count("\n") + (1 if text and not text.endswith("\n") else 0)
    lifted = tuple(name for name, value in result.metadata.as_dict().items() if value)
    return DocumentCounts(_size(text), lines, tuple((rule, n, b) for rule, (n, b) in per_rule.items()),
                          _size(result.text), lifted, result.text != text)


def active_rule_ids(cleaner: Cleaner) -> tuple[str, ...]:
    """The rules this cleaner runs (after select, ignore and preset) that record edits when they fire: the
    candidates for 'never fired'. Left out: `keep` rules (they protect lines) and lift rules whose every line
    stays in the text (the headline, unless drop_headline): they fire without an edit."""
    drop_headline = cleaner.config.drop_headline
    return tuple(spec.id for spec in cleaner._chosen_specs()
                 if spec.kind != "keep"
                 and not (spec.kind == "lift" and not drop_headline and all(item.content for item in spec.block)))


@dataclass
class _RuleTotals:
    documents: int = 0
    lines: int = 0
    bytes: int = 0
    over_matched: int = 0
    examples: list[str] = field(default_factory=list)


@dataclass
class Statistics:
    """Totals over a run. `rules` are the rule ids that could fire (see active_rule_ids)."""

    rules: Iterable[str] = ()
    rules_version: str | None = None
    documents: int = 0
    changed: int = 0
    bytes_in: int = 0
    bytes_out: int = 0
    malformed: int = 0  # records that could not be read (JSONL)
    skipped: int = 0  # documents left unchanged because a rule ran out of time
    totals: dict[str, _RuleTotals] = field(default_factory=dict)
    lifted: dict[str, int] = field(default_factory=dict)  # metadata field -> documents where it was found

    def __post_init__(self) -> None:
        self.rules = tuple(self.rules)

    def add(self, counts: DocumentCounts, label: str) -> None:
        """Count one cleaned document; label names it in warnings (a path, or 'line 17')."""
        self.documents += 1
        self.bytes_in += counts.bytes
        self.bytes_out += counts.bytes_out
        self.changed += counts.changed
        for name in counts.lifted:
            self.lifted[name] = self.lifted.get(name, 0) + 1
        for rule, lines, removed in counts.rules:
            totals = self.totals.setdefault(rule, _RuleTotals())
            totals.documents += 1
            totals.lines += lines
            totals.bytes += removed
            if counts.lines >= OVER_MATCH_MIN_LINES and removed > OVER_MATCH_SHARE * counts.bytes:
                totals.over_matched += 1
                if len(totals.examples) < EXAMPLES:
                    totals.examples.append(label)

    def never_fired(self) -> list[str]:
        return [rule for rule in self.rules if rule not in self.totals]

    def warnings(self) -> list[str]:
        out = []
        for rule, totals in sorted(self.totals.items(), key=lambda kv: (-kv[1].over_matched, kv[0])):
            if totals.over_matched:
                more = ", ..." if totals.over_matched > len(totals.examples) else ""
                out.append(f"{rule} removed more than {OVER_MATCH_SHARE:.0%} of the bytes of {totals.over_matched} "
                           f"document(s) of {OVER_MATCH_MIN_LINES}+ lines ({', '.join(totals.examples)}{more}): "
                           "check it for over-matching")
        return out

    def _ordered(self) -> list[tuple[str, _RuleTotals]]:
        return sorted(self.totals.items(), key=lambda kv: (-kv[1].documents, -kv[1].bytes, kv[0]))

    def report(self) -> str:
        """A plain-text table, most documents first, then the rules that never fired and the warnings."""
        head = (f"{self.documents} documents, {self.changed} changed; {self.bytes_in:,} bytes in, "
                f"{self.bytes_out:,} out")
        extras = [f"{n} {what}" for n, what in ((self.malformed, "malformed"), (self.skipped, "skipped")) if n]
        lines = [head + ("; " + ", ".join(extras) if extras else "")]
        if self.rules_version:
            lines.append(f"rules {self.rules_version}")
        rows = [(rule, t.documents, t.lines, t.bytes) for rule, t in self._ordered()]
        width = max([len("rule"), *(len(r[0]) for r in rows)])
        lines.append(f"{'rule'.ljust(width)}  {'documents':>9}  {'lines':>9}  {'bytes':>12}")
        lines += [f"{rule.ljust(width)}  {d:>9,}  {n:>9,}  {b:>12,}" for rule, d, n, b in rows]
        if self.lifted:
            lines.append("metadata found: " + ", ".join(f"{name} {n:,}" for name, n in self.lifted.items()))
        never = self.never_fired()
        if never:
            lines.append(f"never fired ({len(never)}): {', '.join(_by_pack(never, self.rules))}")
        lines += [f"warning: {w}" for w in self.warnings()]
        return "\n".join(lines) + "\n"

    def as_dict(self) -> dict[str, Any]:
        return {
            "rules_version": self.rules_version,
            "documents": self.documents,
            "changed": self.changed,
            "bytes_in": self.bytes_in,
            "bytes_out": self.bytes_out,
            "malformed": self.malformed,
            "skipped": self.skipped,
            "rules": {rule: {"documents": t.documents, "lines": t.lines, "bytes": t.bytes,
                             "over_matched": t.over_matched} for rule, t in self._ordered()},
            "metadata": dict(self.lifted),
            "never_fired": self.never_fired(),
            "warnings": [{"rule": rule, "documents": t.over_matched, "examples": list(t.examples),
                          "share": OVER_MATCH_SHARE, "min_lines": OVER_MATCH_MIN_LINES}
                         for rule, t in sorted(self.totals.items(), key=lambda kv: (-kv[1].over_matched, kv[0]))
                         if t.over_matched],
        }


def _by_pack(never: list[str], rules: tuple[str, ...]) -> list[str]:
    """Rule ids, with a pack none of whose rules fired written once as `pack.*` (language packs, site packs)."""
    def pack(rule: str) -> str:
        return rule.rpartition(".")[0]

    fired = set(rules) - set(never)
    silent = {pack(r) for r in never} - {pack(r) for r in fired}
    out: list[str] = []
    for rule in never:
        name = f"{pack(rule)}.*" if pack(rule) in silent else rule
        if name not in out:
            out.append(name)
    return out

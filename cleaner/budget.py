"""A time budget for one document, shared by every pattern match made while cleaning it.

A per-call timeout does not bound a document (a thousand slow-but-legal lines add up), so each match
gets what is left of the document's budget. When it runs out, the rule responsible is named: where
rules were combined into one matcher, they are re-run one by one on the offending line to find it.
"""

from __future__ import annotations

import time
from contextlib import contextmanager
from typing import Iterable

import regex

from .model import CleanerError, RuleSpec

# Each rule of a combined matcher gets this long, alone, when the culprit is looked for.
_CULPRIT_PROBE_SECONDS = 0.1


class RuleTimeout(CleanerError):
    """A rule's pattern ran past the document's time budget."""

    def __init__(self, rule: RuleSpec | None, line: str, detail: str = "") -> None:
        self.rule = rule
        self.line_text = line
        self.line: int | None = None  # set by the pipeline, which knows where the line was
        self.document: str | None = None  # set by the corpus runner: a path or record number
        self.detail = detail
        super().__init__(self._message())

    def _message(self) -> str:
        who = f"rule {self.rule.id} ({self.rule.source})" if self.rule else "the rules"
        where = f" on line {self.line}" if self.line is not None else ""
        doc = f" of {self.document}" if self.document else ""
        return f"{who} ran past the time budget{where}{doc}{self.detail}: the pattern backtracks badly on this line"

    def __str__(self) -> str:
        return self._message()


class Deadline:
    __slots__ = ("at",)

    def __init__(self, seconds: float) -> None:
        self.at = time.monotonic() + seconds

    def left(self) -> float:
        return max(self.at - time.monotonic(), 0.0005)

    @contextmanager
    def paused(self):
        """Time spent inside (compiling a matcher on first use) is not charged to the document."""
        started = time.monotonic()
        try:
            yield
        finally:
            self.at += time.monotonic() - started


def match(method, text: str, deadline: Deadline, suspects: Iterable[tuple[RuleSpec, regex.Pattern]], how: str):
    """Call a bound pattern method (fullmatch, search) within the budget; name the rule that overran."""
    try:
        return method(text, timeout=deadline.left())
    except TimeoutError:
        raise _culprit(text, suspects, how) from None


def substitute(pattern: regex.Pattern, replacement: str, text: str, deadline: Deadline, spec: RuleSpec) -> str:
    try:
        return pattern.sub(replacement, text, timeout=deadline.left())
    except TimeoutError:
        raise RuleTimeout(spec, text) from None


def _culprit(text: str, suspects: Iterable[tuple[RuleSpec, regex.Pattern]], how: str) -> RuleTimeout:
    suspects = list(suspects)
    if len(suspects) == 1:
        return RuleTimeout(suspects[0][0], text)
    for spec, single in suspects:
        try:
            getattr(single, how)(text, timeout=_CULPRIT_PROBE_SECONDS)
        except TimeoutError:
            return RuleTimeout(spec, text)
    return RuleTimeout(suspects[0][0] if suspects else None, text, " (only in combination with other rules)")

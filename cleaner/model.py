"""Plain data shared by every stage: what a rule says, what an edit records, what a result holds."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


class RuleError(Exception):
    """A user's rule file is wrong: names the file, line, rule and key so it can be fixed."""

    def __init__(self, path: str, line: int | None, message: str, *, rule: str | None = None,
                 key: str | None = None, column: int | None = None) -> None:
        self.path = path
        self.line = line
        self.column = column if column is not None else getattr(line, "column", None)
        self.rule = rule
        self.key = key
        self.message = message
        super().__init__(str(self))

    def __str__(self) -> str:
        where = self.path
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        parts = [where]
        if self.rule:
            parts.append(f"rule {self.rule}")
        if self.key:
            parts.append(f"key '{self.key}'")
        return ": ".join(parts) + ": " + self.message


class CleanerError(Exception):
    """A run-time failure that is not the user's rule file (bad input, a runaway pattern)."""


@dataclass(frozen=True, slots=True)
class Guards:
    """Conditions on a line, shared by every line-level rule kind."""

    max_words: int | None = None
    min_words: int | None = None
    sentence_end: str = "any"  # "any" | "required" | "forbidden"
    head: int | None = None  # only among the first N non-empty lines
    tail: int | None = None  # only among the last N non-empty lines


@dataclass(frozen=True, slots=True)
class NextTo:
    """A drop-line rule's neighbour guard: the rule removes a line only when the nearest non-empty line on
    `side` ("above", "below" or "either") of it was removed by one of `removed_by` (rule ids or packs).
    Removals by rules that carry this guard themselves never count, so removals do not chain."""

    removed_by: tuple[str, ...]
    side: str = "either"
    line: int | None = field(default=None, compare=False, hash=False)  # of the key, for load errors


@dataclass(frozen=True, slots=True)
class BlockItem:
    """One line of a lift rule's block: the field it fills and the pattern it must match."""

    field: str
    pattern: str
    optional: bool = False
    content: bool = False  # the line is article content (headline): lifted but kept in the text


@dataclass(frozen=True, slots=True)
class BodySettings:
    """Thresholds of a body-block rule: what makes a line body, and what a short link-like line costs."""

    stopwords: frozenset[str] = frozenset()
    good_min_words: int = 10
    good_min_stopword_share: float = 0.2
    prose_min_chars: int = 80  # any script: a line this long ending like a sentence is body
    short_max_words: int = 4
    short_penalty: float = 6.0
    # A short line holding a digit or a stop word reads as a list item of the body, not a menu entry.
    list_item_penalty: float = 6.0
    # A line too short to be body on its own but as rich in stop words as body lines leans towards body.
    medium_line_score: float = 0.0
    # The best stretch reaches a secondary stretch beside it (a list between runs of prose) when the lines
    # on the way cost at most this much on balance (0: never) and the secondary stretch gains this much.
    secondary_max_loss: float = 0.0
    secondary_min_score: float = 0.0
    # A table row (more than short_max_words words, two or more of them numbers, no sentence ending) scores this.
    # (0: off)
    data_line_score: float = 0.0
    # A numbered list item ("3) ...", "12. ...") that is not a body line on its own scores this (0: off).
    numbered_item_score: float = 0.0
    # A line ending like a sentence with at least this many characters (0: off) scores at least medium_line_score,
    # stop words or not: a short sentence in a script without spaces or in a language without a stop-word list.
    sentence_min_chars: int = 0
    # A prose line (good_min_words words, rich in stop words) whose word triples mostly (at least this share; 0: off)
    # appeared in earlier lines is no new body: a banner repeated per country, a republishing box. It scores 0.
    repeat_min_share: float = 0.0
    # The short lines of a list a body line announces (ending in a colon) score this (0: off) instead of a
    # penalty, until a line that is not a short item (a long line, a sentence, a menu printed on one line).
    listed_item_score: float = 0.0


@dataclass(frozen=True, slots=True)
class CommentsAfter:
    """A cut-after rule's comment-thread test: the prose after the marker is a comment thread, so the
    prose guards do not hold the cut back, when at least `min_lines` lines after the marker match one of
    `patterns` (comment furniture: "Name says:", "Reply", per-comment timestamps, "N points"). Prose
    lines still count against `max_prose_after` when they come before the first such line or in a run
    of more than `max_prose_run` prose lines without one (a comment is short; an article is not); only
    the words before the first such line count against `max_share_after`. A line matching one of
    `commenters` ("Jane on March 3, 2020 at 4:15 pm said:") is furniture too, and opens the thread: from
    the first one on, a run may reach `max_reply_run` lines (a reply can be long; a bare timestamp before
    it may be an article's own dateline, so it does not allow as much)."""

    patterns: tuple[str, ...]
    min_lines: int = 3
    max_prose_run: int = 6
    commenters: tuple[str, ...] = ()
    max_reply_run: int = 20


@dataclass(frozen=True, slots=True)
class RuleSpec:
    """A validated rule as written in a pack, before compilation."""

    id: str
    kind: str
    description: str
    source: str  # "path:line"
    patterns: tuple[str, ...] = ()
    case_sensitive: bool = False
    guards: Guards = Guards()
    replace: str = ""
    mode: str = ""  # drop-repeat: "earlier" | "prefix-of-next"
    of_lifted: bool = False  # drop-repeat earlier: only copies of a line a lift rule took
    min_copies: int | None = None  # drop-repeat earlier: only texts printed at least this many times
    min_extra_words: int | None = None  # drop-repeat prefix-of-next: the next line is at least this much longer
    next_to: NextTo | None = None  # drop-line: only next to a line that one of the named rules removed
    max_prose_after: int | None = None  # cut-after: refuse to cut when more prose than this follows
    max_share_after: float | None = None  # cut-after: refuse to cut more than this share of the words
    comments_after: CommentsAfter | None = None  # cut-after: cut over prose that reads as comments
    prefilter: tuple[str, ...] = ()  # lower-cased words or symbols: the rule is tried only on lines holding one
    leading: tuple[str, ...] | None = None  # literal texts every match begins with (cleaner.literals)
    # Per set, texts one of which every match contains (cleaner.literals); None where that cannot be told.
    required: tuple[tuple[str, ...], ...] | None = None
    # The same for each pattern, when a rule has several: a line is matched only against the patterns whose
    # texts it holds (a rule's phrase family and its rare long variant need not cost one another's match).
    pattern_required: tuple[tuple[tuple[str, ...], ...] | None, ...] = ()
    # Each pattern's leading literals, when a rule has several (None for one that may begin with anything).
    pattern_leading: tuple[tuple[str, ...] | None, ...] = ()
    block: tuple[BlockItem, ...] = ()
    body: BodySettings | None = None
    examples: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True, slots=True)
class AutoPick:
    """When the auto preset hands a document to `preset`: it has at least `min_lines` non-empty lines (a
    page has navigation, a body and a footer) and at least `min_short_share` of its first `first_lines`
    non-empty lines have at most `short_max_words` words (menus, breadcrumbs, link lists); or at least
    `furniture_short_share` of them do and its first and last `edge_lines` non-empty lines hold at least
    `min_furniture` of the `furniture` phrases (privacy, sign in, all rights reserved: a page's frame)."""

    preset: str
    first_lines: int = 40
    short_max_words: int = 3
    min_short_share: float = 0.5
    min_lines: int = 20
    furniture: tuple[str, ...] = ()
    min_furniture: int = 3
    furniture_short_share: float = 0.2
    edge_lines: int = 30


@dataclass(frozen=True, slots=True)
class Pack:
    name: str
    path: str
    description: str
    domains: tuple[str, ...]
    rules: tuple[RuleSpec, ...]
    presets: tuple[str, ...] = ()  # empty: the pack runs in every preset
    language: str | None = None  # runs only on documents detected to be in this language
    auto: AutoPick | None = None  # the shape of document the auto preset gives this pack's preset


@dataclass(frozen=True, slots=True)
class Edit:
    """One change made to the input: which rule, what it did, where, and the text before and after."""

    rule: str
    action: str  # "remove" | "cut" | "lift" | "replace"
    line: int  # 1-based line number in the input
    before: str
    after: str | None = None

    @property
    def removes_line(self) -> bool:
        """Whether the edit takes a whole line out of the text (a replace only changes it)."""
        return self.action in ("remove", "cut", "lift")

    def format(self, width: int = 80) -> str:
        """The stable `--explain` line: LINE:RULE-ID:ACTION:excerpt."""
        text = self.before if self.after is None else f"{self.before} -> {self.after}"
        text = text.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r")
        if len(text) > width:
            text = text[: width - 1] + "…"
        return f"{self.line}:{self.rule}:{self.action}:{text}"


@dataclass(frozen=True, slots=True)
class Metadata:
    """What was lifted out of (or, for the headline, detected in) the text."""

    title: str | None = None
    standfirst: str | None = None
    authors: tuple[str, ...] = ()
    dateline: str | None = None
    published: str | None = None  # ISO 8601 where the timestamp could be parsed, else as written

    def as_dict(self) -> dict[str, Any]:
        return {"title": self.title, "standfirst": self.standfirst, "authors": list(self.authors),
                "dateline": self.dateline, "published": self.published}


@dataclass(frozen=True, slots=True)
class Result:
    text: str
    edits: tuple[Edit, ...]
    metadata: Metadata
    rules_version: str
    skipped: str | None = None  # why the document was left unchanged (a rule ran out of time)
    preset: str | None = None  # the preset that cleaned it (the auto preset chooses one per document)

    def explain(self) -> str:
        return "".join(edit.format() + "\n" for edit in self.edits)

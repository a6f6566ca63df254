"""The closed set of rule kinds, each compiled once into few matchers.

Line kinds (drop-line, keep, cut-after) are combined into one alternation per kind: a line costs one
match however many rules there are, and the alternative that matched names the rule. Span rules share a
combined search that only lets lines with a hit through to the rules one by one.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

import regex

from . import budget
from .budget import Deadline
from .literals import whole_words_pattern
from .model import BlockItem, Guards, RuleSpec

_SENTENCE_MARKS = frozenset(".!?。！？…:;")
_CLOSERS = "\"'”’»)]"


@dataclass(frozen=True, slots=True)
class LineInfo:
    """What guards look at, computed once per line."""

    text: str  # stripped
    words: int
    sentence_end: bool
    from_head: int  # 1-based index among non-empty lines
    from_tail: int
    band: int  # which of _WORD_BANDS the word count falls in
    lowered: str  # for leading literals and prefilters: the line (its first _LONG_LINE characters) lower-cased


def ends_like_sentence(text: str) -> bool:
    """Ends in . ! ? … : ; (or their CJK forms), closing quotes and brackets aside."""
    stripped = text.rstrip(_CLOSERS)
    return bool(stripped) and stripped[-1] in _SENTENCE_MARKS


# Past this length a line is counted without building lists of its words: a 100 MB single-line
# document must not need gigabytes. (Guards never ask about word counts this large.)
_LONG_LINE = 100_000


def line_info(text: str, from_head: int, from_tail: int) -> LineInfo:
    if len(text) <= _LONG_LINE:
        lowered = text.lower()
        words = len(text.split())
    else:
        # Leading literals and prefilters are looked for in the line's opening.
        lowered = text[:_LONG_LINE].lower()
        words = len(text[:_LONG_LINE].split()) + text.count(" ", _LONG_LINE)
    return LineInfo(text, words, ends_like_sentence(text), from_head, from_tail, _band(words), lowered)


def guards_pass(guards: Guards, info: LineInfo) -> bool:
    if guards.max_words is not None and info.words > guards.max_words:
        return False
    if guards.min_words is not None and info.words < guards.min_words:
        return False
    if guards.sentence_end == "required" and not info.sentence_end:
        return False
    if guards.sentence_end == "forbidden" and info.sentence_end:
        return False
    if guards.head is not None and info.from_head > guards.head:
        return False
    if guards.tail is not None and info.from_tail > guards.tail:
        return False
    return True


def _flags(spec: RuleSpec) -> int:
    return 0 if spec.case_sensitive else regex.IGNORECASE


def _one(spec: RuleSpec) -> regex.Pattern:
    return regex.compile("|".join(f"(?:{p})" for p in spec.patterns), _flags(spec))


def _combined(specs: tuple[RuleSpec, ...]) -> regex.Pattern | None:
    if not specs:
        return None
    branches = []
    for index, spec in enumerate(specs):
        flag = "-i" if spec.case_sensitive else "i"
        body = "|".join(f"(?:{p})" for p in spec.patterns)
        branches.append(f"(?P<r{index}>(?{flag}:{body}))")
    return regex.compile("|".join(branches))


# A line is matched only against the rules whose guards could let it through: rules are grouped by the
# band of line lengths and the sentence ending they accept, and by whether they are bound to the head or
# tail of the text. In a group, rules without a prefilter are
# compiled into one alternation (on first use: compiling large alternations is the slow part of
# loading); rules with a prefilter are tried alone, and only on lines where one of their words occurs.
_WORD_BANDS = ((0, 12), (13, 30), (31, 60), (61, 120), (121, 1 << 30))


def _band(words: int) -> int:
    for n, (_, high) in enumerate(_WORD_BANDS):
        if words <= high:
            return n
    return len(_WORD_BANDS) - 1


def _admits(guards: Guards, band: tuple[int, int], sentence_end: bool) -> bool:
    low, high = band
    if guards.max_words is not None and guards.max_words < low:
        return False
    if guards.min_words is not None and guards.min_words > high:
        return False
    return guards.sentence_end != ("forbidden" if sentence_end else "required")


def prefilter_entry(entry: str) -> tuple[bool, str]:
    """(whole word?, text): an entry of letters only is matched as a whole word; `*` at either end
    (`*newsletter`) lets it match inside a longer word; any other entry (digits, symbols, phrases) is
    matched anywhere in the line."""
    return entry.isalpha(), entry.strip("*")


def _reach(specs: tuple[RuleSpec, ...]) -> tuple[int, int]:
    """How far from the head and from the tail the rules bound to a position reach (0: none is)."""
    return (max((s.guards.head for s in specs if s.guards.head is not None), default=0),
            max((s.guards.tail for s in specs if s.guards.tail is not None), default=0))


def holds_required(required: tuple[tuple[str, ...], ...] | None, lowered: str | None) -> bool:
    """Whether a lower-cased line holds one text of each of a rule's required sets (RuleSpec.required), so
    that the rule could match it at all; None for the line when that cannot be told."""
    if required is None or lowered is None:
        return True
    return all(any(text in lowered for text in texts) for texts in required)


# An ASCII line's words, for the prefilter: every byte that is not a word character (in `re`'s sense:
# letters, digits, underscore) becomes a space, so splitting gives exactly its maximal runs of word
# characters. (Bytes translate and split faster than str.)
_ASCII_NON_WORD = bytes(code if chr(code).isascii() and (chr(code).isalnum() or chr(code) == "_") else 32
                        for code in range(256))


class _WordScan:
    """Finds, in one scan of a line, every whole word of a set: the prefilter words of all a matcher's
    rules, compiled once (on first use) and shared by its groups, which each keep the words they need."""

    def __init__(self, words: frozenset[str]) -> None:
        self.words = words
        self._pattern: re.Pattern | None = None
        self._ascii = {word.encode("ascii"): word for word in words if word.isascii()}
        self._ascii_keys = frozenset(self._ascii)

    def found(self, lowered: str) -> Iterable[str]:
        """The words of the set that occur in the lower-cased line as whole words."""
        if lowered.isascii():
            # Most lines are ASCII once typography has run: splitting beats the pattern's scan.
            tokens = lowered.encode("ascii").translate(_ASCII_NON_WORD).split()
            return [self._ascii[token] for token in self._ascii_keys.intersection(tokens)]
        if self._pattern is None:
            self._pattern = re.compile(whole_words_pattern(self.words))
        return self._pattern.findall(lowered)


class _Prefilter:
    """Which gated rules a line may match: those with a prefilter word among the line's words, or a
    prefilter symbol, number or phrase inside the line."""

    def __init__(self, specs: tuple[RuleSpec, ...], members: tuple[int, ...], scan: _WordScan) -> None:
        self.by_word: dict[str, list[int]] = {}
        self.by_substring: dict[str, list[int]] = {}
        for n in members:
            for entry in specs[n].prefilter:
                whole_word, text = prefilter_entry(entry)
                (self.by_word if whole_word else self.by_substring).setdefault(text, []).append(n)
        self._scan = scan

    def candidates(self, info: LineInfo) -> set[int]:
        hits: set[int] = set()
        if self.by_word:
            for word in self._scan.found(info.lowered):
                rules = self.by_word.get(word)
                if rules:
                    hits.update(rules)
        for piece, rules in self.by_substring.items():
            if piece in info.lowered:
                hits.update(rules)
        return hits


class _Leads:
    """Which rules a line's opening announces: each rule's leading literals, looked up by the line's
    first one or two characters and then by the lengths of the literals filed under them, so a line
    costs a few dictionary look-ups however many rules share an opening."""

    def __init__(self) -> None:
        self._pending: list[tuple[int, tuple[str, ...]]] = []
        self.by_opening: dict[str, tuple[list[int], dict[str, list[int]]]] = {}

    def add(self, n: int, literals: tuple[str, ...]) -> None:
        self._pending.append((n, literals))

    def _index(self) -> None:
        # Built on first use, like the matchers: most groups of a matcher never meet a line at start-up.
        for n, literals in self._pending:
            for literal in set(literals):
                lengths, rules = self.by_opening.setdefault(literal[:2], ([], {}))
                if len(literal) not in lengths:
                    lengths.append(len(literal))
                rules.setdefault(literal, []).append(n)
        self._pending = []

    def candidates(self, lowered: str) -> set[int]:
        if self._pending:
            self._index()
        found: set[int] = set()
        for opening in (lowered[:2], lowered[:1]):
            filed = self.by_opening.get(opening)
            if filed is not None:
                lengths, rules = filed
                for length in lengths:
                    found.update(rules.get(lowered[:length], ()))
        return found


_Sets = tuple[tuple[int, tuple[str, ...]], ...] | None  # required sets, each under a number shared by equal sets


def _holds(sets: _Sets, lowered: str | None, present: dict[int, bool]) -> bool:
    """holds_required for sets numbered by a matcher: `present` remembers each set's answer for the line's
    other rules, by number (a number hashes at once; a tuple of texts is hashed again at every look-up)."""
    if sets is None or lowered is None:
        return True
    for key, texts in sets:
        held = present.get(key)
        if held is None:
            held = present[key] = any(text in lowered for text in texts)
        if not held:
            return False
    return True


class LineMatcher:
    """Rules of one line kind, matched against whole (stripped) lines."""

    def __init__(self, specs: tuple[RuleSpec, ...]) -> None:
        self.specs = specs
        self.groups = {}
        # Variants of a phrase family need the same texts: equal sets share a number, so a line tests each once.
        numbers: dict[tuple[str, ...], int] = {}

        def numbered(required) -> _Sets:
            return None if required is None else tuple((numbers.setdefault(texts, len(numbers)), texts)
                                                       for texts in required)

        self._required = [numbered(spec.required) for spec in specs]
        # Rules with equal requirements (a phrase family's variants) share one verdict per line, under one number.
        verdicts: dict[_Sets, int] = {}
        self._verdict_of = [verdicts.setdefault(sets, len(verdicts)) for sets in self._required]
        self._pattern_required = [tuple(numbered(r) for r in spec.pattern_required) for spec in specs]
        screens: dict[tuple, int] = {}
        self._screen_of = [screens.setdefault((sets, spec.pattern_leading), len(screens))
                           for sets, spec in zip(self._pattern_required, specs)]
        # Most lines are far from both ends, where no rule guarded by position can take them.
        self.head_reach, self.tail_reach = _reach(specs)
        scan = _WordScan(frozenset(text for spec in specs for whole_word, text in map(prefilter_entry, spec.prefilter)
                                   if whole_word))
        for band_index, band in enumerate(_WORD_BANDS):
            for sentence_end, near_end in itertools.product((False, True), (False, True)):
                members = tuple(n for n, spec in enumerate(specs) if _admits(spec.guards, band, sentence_end)
                                and (near_end or (spec.guards.head is None and spec.guards.tail is None)))
                gated = tuple(n for n in members if specs[n].prefilter)
                # Rules whose patterns all begin with literal text are tried only on lines that begin so.
                led = _Leads()
                free = []
                for n in members:
                    if specs[n].prefilter:
                        continue
                    if specs[n].leading is None:
                        free.append(n)
                    else:
                        led.add(n, specs[n].leading)
                self.groups[band_index, sentence_end, near_end] = (
                    (tuple(free), led, _Prefilter(specs, gated, scan) if gated else None) if members else None)
        self._compiled: dict[tuple[int, ...], regex.Pattern | None] = {}
        self._singles: dict[int, regex.Pattern] = {}
        self._patterns: dict[tuple[int, int], regex.Pattern] = {}  # one pattern of a rule, tried alone

    def __getstate__(self):
        # Compiled patterns are rebuilt where they are used (a worker process): cheaper than shipping them.
        return {"specs": self.specs}

    def __setstate__(self, state):
        self.__init__(state["specs"])

    def _combined(self, members: tuple[int, ...], deadline: Deadline) -> regex.Pattern | None:
        if members not in self._compiled:
            with deadline.paused():
                self._compiled[members] = _combined(tuple(self.specs[n] for n in members))
        return self._compiled[members]

    def single(self, n: int, deadline: Deadline | None = None) -> regex.Pattern:
        if n not in self._singles:
            if deadline is None:
                self._singles[n] = _one(self.specs[n])
            else:
                with deadline.paused():
                    self._singles[n] = _one(self.specs[n])
        return self._singles[n]

    def _fullmatch(self, n: int, info: LineInfo, deadline: Deadline, lowered: str | None = None,
                   present: dict[int, bool] | None = None, screened: dict[int, list[int]] | None = None) -> bool:
        spec = self.specs[n]
        if spec.pattern_required and lowered is not None and present is not None and screened is not None:
            # Only the patterns whose texts the line holds, and whose opening it begins with, can match; when
            # that is not all of them, each is tried alone instead of the rule's alternation of every pattern.
            # Rules with equal patterns' requirements share the screening.
            hopeful = screened.get(self._screen_of[n])
            if hopeful is None:
                hopeful = screened[self._screen_of[n]] = [
                    i for i, (required, opening) in enumerate(zip(self._pattern_required[n], spec.pattern_leading))
                    if (opening is None or lowered.startswith(opening)) and _holds(required, lowered, present)]
            if len(hopeful) < len(spec.patterns):
                return any(self._pattern_fullmatch(n, i, info, deadline) for i in hopeful)
        single = self.single(n, deadline)
        return budget.match(single.fullmatch, info.text, deadline, [(spec, single)], "fullmatch") is not None

    def _pattern_fullmatch(self, n: int, i: int, info: LineInfo, deadline: Deadline) -> bool:
        pattern = self._patterns.get((n, i))
        if pattern is None:
            with deadline.paused():
                pattern = self._patterns[n, i] = regex.compile(self.specs[n].patterns[i], _flags(self.specs[n]))
        return budget.match(pattern.fullmatch, info.text, deadline, [(self.specs[n], pattern)], "fullmatch") is not None

    def find(self, info: LineInfo, deadline: Deadline, accept=None) -> RuleSpec | None:
        """The first rule, in pack order, that matches the line and whose guards let it through (and, when
        given, `accept(spec)`: what the line's neighbours allow)."""

        def passes(n: int) -> bool:
            return guards_pass(self.specs[n].guards, info) and (accept is None or accept(self.specs[n]))

        near_end = info.from_head <= self.head_reach or info.from_tail <= self.tail_reach
        group = self.groups[info.band, info.sentence_end, near_end]
        if group is None:
            return None
        free, led, prefilter = group
        best = None
        if free and accept is not None:
            # Only the rules the line's neighbours allow go into the alternation: fewer branches to try, and
            # few distinct sets of them (one per kind of removal next door), each compiled once.
            free = tuple(n for n in free if accept(self.specs[n]))
        if free:
            combined = self._combined(free, deadline)
            suspects = ((self.specs[n], self.single(n)) for n in free)
            match = budget.match(combined.fullmatch, info.text, deadline, suspects, "fullmatch")
            if match is not None:
                first = int(match.lastgroup[1:])
                if passes(free[first]):
                    best = free[first]
                else:
                    # The first matching rule's guards refused the line: another rule may still take it.
                    best = next((n for n in free[first + 1:] if passes(n) and self._fullmatch(n, info, deadline)),
                                None)
        candidates = led.candidates(info.lowered)
        if prefilter is not None:
            candidates |= prefilter.candidates(info)
        if not candidates:
            return None if best is None else self.specs[best]
        # Candidates run one by one, in pack order: alternations compiled per set of candidates would
        # multiply (one per combination met), and compiling them costs more than the matches they save.
        # A candidate whose patterns all need a text the line lacks is turned away without a match;
        # rules that need the same texts (variants of one phrase family) share the test.
        # The opening of a very long line only, or a line lower-casing changed: no text can be ruled out.
        lowered = info.lowered if len(info.text) == len(info.lowered) else None
        present: dict[int, bool] = {}
        verdicts: dict[int, bool] = {}
        screened: dict[int, list[int]] = {}
        for n in sorted(candidates):
            if best is not None and n > best:
                break
            held = verdicts.get(self._verdict_of[n])
            if held is None:
                held = verdicts[self._verdict_of[n]] = _holds(self._required[n], lowered, present)
            if not held:
                continue
            if passes(n) and self._fullmatch(n, info, deadline, lowered, present, screened):
                return self.specs[n]
        return None if best is None else self.specs[best]


class SpanMatcher:
    """Span rules: one combined search decides whether a line needs the rules one by one."""

    def __init__(self, specs: tuple[RuleSpec, ...]) -> None:
        self.specs = specs
        self.singles = tuple(_one(s) for s in specs)
        self.combined = _combined(specs)
        # When every span rule is bound to the head or tail (a page title's site name), the lines
        # between are not searched at all.
        self.anywhere = any(s.guards.head is None and s.guards.tail is None for s in specs)
        self.head_reach, self.tail_reach = _reach(specs)

    def apply(self, line: str, info: LineInfo, deadline: Deadline) -> list[tuple[RuleSpec, str, str]]:
        """The changes made to the line, in rule order, as (rule, before, after)."""
        if self.combined is None:
            return []
        if not self.anywhere and info.from_head > self.head_reach and info.from_tail > self.tail_reach:
            return []
        # A rule whose guards refuse the line, or that needs a text the line lacks, cannot change it: when
        # none is left, the line is not searched at all.
        tried = [(spec, single) for spec, single in zip(self.specs, self.singles) if guards_pass(spec.guards, info)]
        if not tried:
            return []
        lowered = _lowered(line)
        tried = [(spec, single) for spec, single in tried if holds_required(spec.required, lowered)]
        if not tried:
            return []
        if budget.match(self.combined.search, line, deadline, zip(self.specs, self.singles), "search") is None:
            return []
        changes = []
        for spec, single in tried:
            if not holds_required(spec.required, lowered):  # an earlier rule's change took the text away
                continue
            after = budget.substitute(single, spec.replace, line, deadline, spec)
            if after != line:
                changes.append((spec, line, after))
                line = after
                lowered = _lowered(line)
        return changes


def _lowered(line: str) -> str | None:
    """The line lower-cased, for required texts; None where lower-casing changed its length (the texts
    were worked out character for character)."""
    lowered = line.lower()
    return lowered if len(lowered) == len(line) else None


@dataclass(frozen=True, slots=True)
class CompiledBlockItem:
    item: BlockItem
    pattern: regex.Pattern


@dataclass(frozen=True, slots=True)
class LiftRule:
    spec: RuleSpec
    items: tuple[CompiledBlockItem, ...]
    line_guards: Guards  # the rule's guards less its position, which applies to where the block starts

    def match_at(self, infos: list[LineInfo], start: int, available,
                 deadline: Deadline) -> list[tuple[int, str, str]] | None:
        """Match the block on consecutive non-empty lines from start: [(index, field, value)] or None.

        `available(index)` says whether a line may still be lifted (not kept, removed or lifted already).
        """
        position = start
        matched = []
        for compiled in self.items:
            hit = None
            if position < len(infos) and available(position) and guards_pass(self.line_guards, infos[position]):
                hit = budget.match(compiled.pattern.fullmatch, infos[position].text, deadline,
                                   [(self.spec, compiled.pattern)], "fullmatch")
            if hit is not None:
                value = hit.groupdict().get("value") or infos[position].text
                matched.append((position, compiled.item, value.strip()))
                position += 1
            elif not compiled.item.optional:
                return None
        return matched or None


def compile_lift(spec: RuleSpec) -> LiftRule:
    items = tuple(CompiledBlockItem(i, regex.compile(i.pattern, _flags(spec))) for i in spec.block)
    return LiftRule(spec, items, replace(spec.guards, head=None, tail=None))


@dataclass(frozen=True, slots=True)
class RepeatRule:
    spec: RuleSpec
    pattern: regex.Pattern | None


def compile_repeat(spec: RuleSpec) -> RepeatRule:
    return RepeatRule(spec, _one(spec) if spec.patterns else None)


_WORDS = regex.compile(r"\w+")
# Characters that separate the items of a menu or breadcrumb printed on one line; a slash between
# numbers ("37% / 40%", "3 / 5") is a table cell's, not a menu's.
_SEPARATORS = regex.compile(r"\s[|»›·•]\s|(?<![\d%])\s/\s|\s/\s(?!\d)|\s[|»›·•]$")
_NUMBERED = regex.compile(r"(?:\(?\d{1,3}[.)]|#\d{1,3})\s+\w")
_NUMBER = regex.compile(r"\d")


@dataclass(frozen=True, slots=True)
class BodyBlockRule:
    """Finds the main body of a full-page text: the stretch of lines that reads most like prose.

    Each line scores like jusText's classes: a body line (enough words, enough stop words, or long
    prose in any script) adds its word count; a short or menu-like line costs a fixed penalty (less
    for a short line that reads as a list item); a medium line rich in stop words, a short sentence,
    a table row (several words, two of them numbers) and a numbered list item add a little; other
    lines are neutral. A prose line that mostly repeats earlier lines (a banner per country) is neutral;
    the short items of a list a body line announces with a colon add a little.
    The best-scoring stretch (maximum subarray) is the body; short lines inside it stay, everything
    outside it goes.
    """

    spec: RuleSpec

    def score(self, info: LineInfo) -> float:
        words = _WORDS.findall(info.text.casefold())
        return self._score(info, words, self._stops(words))

    def _stops(self, words: list[str]) -> int:
        stopwords = self.spec.body.stopwords
        return sum(1 for w in words if w in stopwords)

    def _score(self, info: LineInfo, words: list[str], stops: int) -> float:
        body = self.spec.body
        if not words:
            return -body.short_penalty
        if _SEPARATORS.search(info.text) and not info.sentence_end:
            return -body.short_penalty
        stop_share = stops / len(words)
        if len(words) >= body.good_min_words and stop_share >= body.good_min_stopword_share:
            return float(len(words))
        if len(info.text) >= body.prose_min_chars and info.sentence_end:
            return float(max(len(words), len(info.text) // 6))
        if body.numbered_item_score and _NUMBERED.match(info.text):
            return body.numbered_item_score
        if info.words <= body.short_max_words and not info.sentence_end:
            if stops or _NUMBER.search(info.text):
                return -body.list_item_penalty
            return -body.short_penalty
        if stops and stop_share >= body.good_min_stopword_share:
            return body.medium_line_score
        if info.sentence_end and 0 < body.sentence_min_chars <= len(info.text):
            return body.medium_line_score
        if (body.data_line_score and not info.sentence_end
                and sum(1 for w in words if _NUMBER.search(w)) >= 2):
            return body.data_line_score
        return 0.0

    def scores(self, infos: list[LineInfo]) -> list[float]:
        """Each line's score. With `repeat_min_share`, a prose line repeating earlier lines scores 0; with
        `listed_item_score`, the short items of a list after a body line ending in a colon score that."""
        body = self.spec.body
        seen: set[tuple[str, str, str]] = set()
        out = []
        intro = False  # the last line that was not a list item announced a list
        for info in infos:
            words = _WORDS.findall(info.text.casefold())
            stops = self._stops(words)
            value = self._score(info, words, stops)
            # Only prose (rich in stop words) counts: repeated rows of a table or a recipe are body.
            if (body.repeat_min_share and len(words) >= body.good_min_words
                    and stops >= body.good_min_stopword_share * len(words)):
                triples = set(zip(words, words[1:], words[2:]))
                if value > 0 and len(triples & seen) >= body.repeat_min_share * len(triples):
                    value = 0.0
                seen |= triples
            if body.listed_item_score:
                # A list the text announces ("...the rest of my sponsors:") runs until a line that is not
                # a short item: a long line, a sentence or a menu printed on one line.
                if (intro and value < 0 and len(words) < body.good_min_words and not info.sentence_end
                        and not _SEPARATORS.search(info.text)):
                    value = body.listed_item_score
                else:
                    intro = value > body.medium_line_score and info.text.endswith(":")
            out.append(value)
        return out

    def body_range(self, infos: list[LineInfo]) -> tuple[int, int] | None:
        """(first, last) index of the best stretch, or None when no line reads as body.

        The best stretch then reaches out, on each side, to a secondary stretch of body (a list between
        two runs of prose, a section after a run of list items) when reaching it costs no more than
        `secondary_max_loss` on balance and what it gains holds at least `secondary_min_score`.
        """
        scores = self.scores(infos)
        best, best_range = 0.0, None
        total, start = 0.0, 0
        for n, value in enumerate(scores):
            # Restart only after a loss: neutral lines (a heading) just before the body belong to it.
            if total < 0:
                total, start = 0.0, n
            total += value
            if total > best:
                best, best_range = total, (start, n)
        if best_range is None or self.spec.body.secondary_max_loss <= 0:
            return best_range
        first, last = best_range
        last = self._reach(scores, range(last + 1, len(scores)), last)
        first = self._reach(scores, range(first - 1, -1, -1), first)
        return first, last

    def _reach(self, scores: list[float], steps: range, edge: int) -> int:
        """The farthest body line in `steps` that a secondary stretch reaches within the allowed loss."""
        body = self.spec.body
        balance = gained = 0.0
        for n in steps:
            value = scores[n]
            balance += value
            if value > 0:
                gained += value
                if -balance <= body.secondary_max_loss and gained >= body.secondary_min_score:
                    edge = n
        return edge


class Layers:
    """Line matchers stacked: the generic rules' matcher is shared by every site and language rule set,
    so its patterns compile once; a site's or a language's own rules sit in a layer above it."""

    def __init__(self, layers: tuple[LineMatcher, ...]) -> None:
        self.layers = tuple(layer for layer in layers if layer.specs)

    def find(self, info: LineInfo, deadline: Deadline, accept=None) -> RuleSpec | None:
        for layer in self.layers:
            found = layer.find(info, deadline, accept)
            if found is not None:
                return found
        return None


@dataclass(frozen=True)
class RuleSet:
    """Every rule that applies to a document, compiled and grouped by kind."""

    keep: Layers
    drop: Layers
    drop_positional: Layers  # the drop rules a line's position decides: all that can change between passes
    # Drop rules guarded by their neighbours (next_to): tried only on lines next to a removal that counts.
    drop_next_to: Layers
    # Per neighbour-guarded rule, the ids of the rules whose removals count for it; their union in `anchors`.
    anchors_of: dict[str, frozenset[str]]
    anchors: frozenset[str]
    cut: Layers
    span: SpanMatcher
    lift: tuple[LiftRule, ...]
    repeat: tuple[RepeatRule, ...]
    body: tuple[BodyBlockRule, ...]
    specs: tuple[RuleSpec, ...]


def compile_rules(specs: tuple[RuleSpec, ...], base: RuleSet | None = None) -> RuleSet:
    """Group and compile rules by kind; on top of `base`, only the rules it lacks are compiled anew."""
    known = {s.id for s in base.specs} if base else set()
    extra = tuple(s for s in specs if s.id not in known)
    everything = (base.specs if base else ()) + extra

    def of(kind: str, chosen: tuple[RuleSpec, ...] = everything) -> tuple[RuleSpec, ...]:
        return tuple(s for s in chosen if s.kind == kind)

    def layered(kind: str, name: str, neighbours: bool = False) -> Layers:
        below = getattr(base, name).layers if base else ()
        chosen = tuple(s for s in of(kind, extra) if (s.next_to is not None) == neighbours)
        return Layers(below + (LineMatcher(chosen),))

    drops = tuple(s for s in of("drop-line") if s.next_to is None)
    positional = Layers((LineMatcher(tuple(s for s in drops
                                           if s.guards.head is not None or s.guards.tail is not None)),))
    # Removals by neighbour-guarded rules never count for another: removals do not chain along a run of lines.
    unguarded = tuple(s.id for s in everything if s.next_to is None)
    anchors_of = {s.id: frozenset(i for i in unguarded if any(i == n or i.startswith(n + ".")
                                                               for n in s.next_to.removed_by))
                  for s in of("drop-line") if s.next_to is not None}
    return RuleSet(keep=layered("keep", "keep"), drop=layered("drop-line", "drop"), drop_positional=positional,
                   drop_next_to=layered("drop-line", "drop_next_to", neighbours=True), anchors_of=anchors_of,
                   anchors=frozenset().union(*anchors_of.values()),
                   cut=layered("cut-after", "cut"),
                   span=SpanMatcher(of("drop-span")), lift=tuple(compile_lift(s) for s in of("lift")),
                   repeat=tuple(compile_repeat(s) for s in of("drop-repeat")),
                   body=tuple(BodyBlockRule(s) for s in of("body-block")), specs=everything)

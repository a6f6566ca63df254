"""The cleaning pipeline: a pure function of the text, run by a Cleaner that compiled its rules once.

Stages, in order: segment (BOM, line endings, lines) -> typography -> keep -> lift -> drop-line ->
drop-repeat -> cut-after -> drop-span -> tidy. Every change is recorded as an Edit.
"""

from __future__ import annotations

import bisect
import copy
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import urlsplit

import regex

from . import budget, dates, shape
from .cache import cached, content_key
from .language import detect, languages_by_word, load_stopwords
from .version import __version__
from .kinds import LineInfo, RepeatRule, RuleSet, compile_rules, guards_pass, line_info
from .loader import ARTICLE_PRESET, AUTO_PRESET, builtin_rules_dir, load_packs, rules_digest
from .budget import Deadline, RuleTimeout
from .model import CommentsAfter, Edit, Metadata, Pack, Result, RuleError, RuleSpec
from .typography import Typography, TypographyConfig


@dataclass(frozen=True)
class Config:
    """Everything that decides a Cleaner's output. Keyword arguments of Cleaner() are sugar over it."""

    rules: tuple[str, ...] = ()  # extra pack files or folders, after the built-in ones
    default_rules: bool = True
    select: tuple[str, ...] = ()  # rule ids or pack prefixes to run (empty: all)
    ignore: tuple[str, ...] = ()  # rule ids or pack prefixes to leave out
    typography: TypographyConfig = field(default_factory=TypographyConfig)
    drop_headline: bool = False  # the headline and standfirst are content unless this is set
    preset: str = AUTO_PRESET  # packs that name presets run only in those; "auto" picks one per document
    # Matching time allowed per document: the base plus this much per MB of text.
    time_budget: float = 1.0
    time_budget_per_mb: float = 2.0
    on_timeout: str = "error"  # "error" raises RuleTimeout; "skip" returns the document unchanged


_HEADLINE_FIELDS = ("title", "standfirst")
_AUTHOR_SEPARATOR = regex.compile(r"\s*(?:,|&|\band\b|\bund\b|\bet\b|\by\b|\be\b)\s*", regex.I)
_NORMALISE = regex.compile(r"[\W_]+")
# A line long enough and ending like a sentence reads as prose in any language.
_PROSE_MIN_WORDS = 12
_MAX_PASSES = 4


def _selected(spec_id: str, names: tuple[str, ...]) -> bool:
    return any(spec_id == n or spec_id.startswith(n + ".") for n in names)


def _normalise(folded: str) -> str:
    """A case-folded line as it is compared for copies: its words, one space apart."""
    return _NORMALISE.sub(" ", folded).strip()


class Cleaner:
    """Loads and compiles the rule packs once; cleans any number of documents, independently."""

    def __init__(self, config: Config | None = None, **overrides) -> None:
        config = config or Config()
        if "typography" in overrides and isinstance(overrides["typography"], dict):
            overrides["typography"] = replace(config.typography, **overrides["typography"])
        for key in ("rules", "select", "ignore"):
            if isinstance(overrides.get(key), (list, str)):
                value = overrides[key]
                overrides[key] = (value,) if isinstance(value, str) else tuple(value)
        self.config = replace(config, **overrides)
        roots = ([builtin_rules_dir()] if self.config.default_rules else []) + [Path(p) for p in self.config.rules]
        key = content_key(roots, __version__)
        self.packs: tuple[Pack, ...] = cached(key, lambda: tuple(load_packs(roots)))
        self.rules_version = rules_digest(self.packs)
        # The auto preset cleans like the article one, except documents whose shape a pack's `auto` key
        # claims for that pack's preset: those go to a Cleaner of that preset.
        self.preset = ARTICLE_PRESET if self.config.preset == AUTO_PRESET else self.config.preset
        self._picks: tuple[tuple[shape.PageShape, str], ...] = ()
        if self.config.preset == AUTO_PRESET:
            self._picks = tuple((shape.PageShape(pack.auto), pack.auto.preset) for pack in self.packs if pack.auto)
        # Built when a document first needs one: cleaning article text alone never compiles the page rules.
        self._picked: dict[str, Cleaner] = {}
        specs = self._chosen_specs()
        pack_of = {rule.id: pack for pack in self.packs for rule in pack.rules}
        languages = sorted({p.language for p in self.packs if p.language})
        self._stopwords = load_stopwords(builtin_rules_dir() / "_stopwords") if languages else {}
        missing = [code for code in languages if code not in self._stopwords]
        if missing:
            raise RuleError("<rules>", None, f"no stop-word list for language {', '.join(missing)} in _stopwords/")
        self._stopword_index = languages_by_word(self._stopwords)
        # One rule set for each site pack (or none) and language (or none) a document has, built when a
        # document first needs it on the generic set (and matchers compile on first use): start-up does
        # not grow with the number of languages and sites.
        self._specs, self._pack_of, self._languages = specs, pack_of, frozenset(languages)
        self._generic = compile_rules(tuple(s for s in specs if not pack_of[s.id].domains
                                            and not pack_of[s.id].language))
        self._rulesets: dict[tuple[str | None, str | None], RuleSet] = {}
        self._domains = [(d.lower().lstrip("."), p.name) for p in self.packs for d in p.domains]
        self._typography = Typography(self.config.typography)
        self._furniture: dict[str, regex.Pattern] = {}  # cut-after rules' comment furniture, compiled on first use

    @property
    def presets(self) -> tuple[str, ...]:
        # auto is always a name: without a pack that claims a shape, it cleans every document as article text.
        return tuple(sorted({ARTICLE_PRESET, AUTO_PRESET, *(p for pack in self.packs for p in pack.presets)}))

    def _chosen_specs(self) -> tuple[RuleSpec, ...]:
        if self.config.preset not in self.presets:
            raise RuleError("<config>", None, f"no preset '{self.config.preset}'; known: {', '.join(self.presets)}")
        specs = tuple(rule for pack in self.packs if not pack.presets or self.preset in pack.presets
                      for rule in pack.rules)
        for name in self.config.select + self.config.ignore:
            if not any(_selected(s.id, (name,)) for s in specs):
                raise RuleError("<config>", None, f"no rule or pack named '{name}' (see 'cleaner rules')")
        if self.config.select:
            specs = tuple(s for s in specs if _selected(s.id, self.config.select))
        return tuple(s for s in specs if not _selected(s.id, self.config.ignore))

    @property
    def rules(self) -> tuple[RuleSpec, ...]:
        return tuple(rule for pack in self.packs for rule in pack.rules)

    def rule(self, rule_id: str) -> RuleSpec:
        for spec in self.rules:
            if spec.id == rule_id:
                return spec
        raise KeyError(rule_id)

    def only(self, *rule_ids: str) -> "Cleaner":
        """A copy that runs these rules alone (same typography): how rule examples are checked."""
        single = copy.copy(self)
        single._rulesets = {(None, None): compile_rules(tuple(s for s in self.rules if s.id in rule_ids))}
        single._domains = []
        single._stopwords = {}
        single._picks = ()
        return single

    def _ruleset(self, text: str, url: str | None) -> RuleSet:
        site = None
        if url and self._domains:
            host = (urlsplit(url if "//" in url else "//" + url).hostname or "").lower()
            site = next((pack for domain, pack in self._domains if host == domain or host.endswith("." + domain)),
                        None)
        language = detect(text, self._stopwords, self._stopword_index) if self._stopwords else None
        if language not in self._languages:
            language = None
        ruleset = self._rulesets.get((site, language))
        if ruleset is None:
            pack_of = self._pack_of
            chosen = tuple(s for s in self._specs if (not pack_of[s.id].domains or pack_of[s.id].name == site)
                           and pack_of[s.id].language in (None, language))
            ruleset = self._rulesets[site, language] = compile_rules(chosen, base=self._generic)
        return ruleset

    def clean(self, text: str, *, url: str | None = None) -> str:
        return self.clean_and_explain(text, url=url).text

    def clean_and_explain(self, text: str, *, url: str | None = None) -> Result:
        if isinstance(text, (bytes, bytearray)):
            raise TypeError("cleaner works on text: decode bytes first, e.g. data.decode('utf-8')")
        if not isinstance(text, str):
            raise TypeError(f"expected str, got {type(text).__name__}")
        picked = self._picked_preset(text)
        if picked is not None:
            return self._cleaner_for(picked).clean_and_explain(text, url=url)
        run = _Run(self, self._ruleset(text, url), text)
        try:
            result = run.result()
        except RuleTimeout as exc:
            if self.config.on_timeout != "skip":
                raise
            return Result(text, (), Metadata(), self.rules_version, skipped=str(exc), preset=self.preset)
        # A text that opens like a page once its article chrome is gone is a page too: otherwise cleaning
        # the output again would pick the page preset and change it.
        picked = self._picked_preset(result.text)
        if picked is not None:
            return self._cleaner_for(picked).clean_and_explain(text, url=url)
        return result

    def _picked_preset(self, text: str) -> str | None:
        """The preset whose shape the text has, under the auto preset; None for article text."""
        return next((preset for page_shape, preset in self._picks if page_shape.fits(text)), None)

    def _cleaner_for(self, preset: str) -> "Cleaner":
        if preset not in self._picked:
            self._picked[preset] = Cleaner(replace(self.config, preset=preset))
        return self._picked[preset]


class _Run:
    """One document's pass through the stages; holds only that document's state."""

    def __init__(self, cleaner: Cleaner, rules: RuleSet, text: str) -> None:
        self.cleaner = cleaner
        self.rules = rules
        self.edits: list[Edit] = []
        self.bom = text.startswith("\ufeff")
        if self.bom:
            text = text[1:]
        self.crlf = text.count("\r\n") * 2 > text.count("\n") > 0
        lines = text.split("\n")
        if lines and lines[-1] == "":
            lines.pop()
        if self.crlf:
            lines = [ln[:-1] if ln.endswith("\r") else ln for ln in lines]
        self.original = lines
        self.lines = list(lines)
        self.removed: list[bool] = [False] * len(lines)
        self.protected: list[bool] = [False] * len(lines)
        self.fields: dict[str, str] = {}
        config = cleaner.config
        self.deadline = Deadline(config.time_budget + config.time_budget_per_mb * len(text) / 1e6)
        self.lifted: set[int] = set()  # lines a lift rule took, content (headline) included
        self._infos: dict[int, LineInfo] = {}
        self._checked: dict[int, str] = {}  # lines every drop rule let through, with the text they had
        self._keys: dict[str, str] = {}  # a line's text, normalised for comparing copies
        self._folded: dict[str, str] = {}  # a line's text, case-folded
        self.removed_by: dict[int, str] = {}  # line index -> the rule that removed it
        # Per line, the nearest non-empty line above and below it, removed or not (after typography).

    def result(self) -> Result:
        try:
            return self._result()
        except RuleTimeout as exc:
            exc.line = next((i + 1 for i, ln in enumerate(self.lines) if ln.strip() == exc.line_text), None)
            raise

    def _result(self) -> Result:
        self._typography()
        # Positions shift when lines go (a line moves into the head or tail), so the rules run again on
        # what is left until nothing changes: cleaning the output again then changes nothing either.
        for _ in range(_MAX_PASSES):
            edits_before = len(self.edits)
            self._rules_pass()
            if len(self.edits) == edits_before:
                break
        text = self._tidy()
        self.edits.sort(key=lambda e: e.line)
        return Result(text, tuple(self.edits), self._metadata(), self.cleaner.rules_version,
                      preset=self.cleaner.preset)

    def _rules_pass(self) -> None:
        nonempty = [i for i, ln in enumerate(self.lines) if not self.removed[i] and ln.strip()]
        count = len(nonempty)
        infos = [self._info(i, n + 1, count - n) for n, i in enumerate(nonempty)]
        self.protected = [False] * len(self.lines)
        self.lifted = set()
        self._keep(nonempty, infos)
        self._lift(nonempty, infos)
        self._body(nonempty, infos)
        self._drop(nonempty, infos)
        self._repeat(nonempty, infos)
        self._cut(nonempty, infos)
        self._span(nonempty, infos)

    def _info(self, index: int, from_head: int, from_tail: int) -> LineInfo:
        """A line's facts for the guards; only its position is new in a later pass."""
        text = self.lines[index].strip()
        known = self._infos.get(index)
        if known is None or known.text != text:
            known = self._infos[index] = line_info(text, from_head, from_tail)
            return known
        return LineInfo(text, known.words, known.sentence_end, from_head, from_tail, known.band, known.lowered)

    def _remove(self, index: int, rule: str, action: str = "remove") -> None:
        self.removed[index] = True
        self.removed_by[index] = rule
        self.edits.append(Edit(rule, action, index + 1, self.lines[index]))

    def _typography(self) -> None:
        for index, fixed, changes in self.cleaner._typography.fix_lines(self.lines):
            self.lines[index] = fixed
            self.edits.extend(Edit(f"typography.{step}", "replace", index + 1, before, after)
                              for step, before, after in changes)

    def _keep(self, nonempty: list[int], infos: list[LineInfo]) -> None:
        if not self.rules.keep.layers:
            return
        for index, info in zip(nonempty, infos):
            if self.rules.keep.find(info, self.deadline) is not None:
                self.protected[index] = True

    def _free(self, index: int) -> bool:
        return not self.removed[index] and not self.protected[index]

    def _lift(self, nonempty: list[int], infos: list[LineInfo]) -> None:
        """Each lift rule fires once, at its first match; lift rules run in pack order."""
        drop_headline = self.cleaner.config.drop_headline
        taken: set[int] = set()

        def available(n: int) -> bool:
            return n not in taken and self._free(nonempty[n])

        for rule in self.rules.lift:
            for start in range(len(infos)):
                if rule.spec.guards.head is not None and start >= rule.spec.guards.head:
                    break
                matched = rule.match_at(infos, start, available, self.deadline)
                if not matched:
                    continue
                for n, item, value in matched:
                    taken.add(n)
                    self.lifted.add(nonempty[n])
                    self.fields.setdefault(item.field, value)
                    if not item.content or (drop_headline and item.field in _HEADLINE_FIELDS):
                        self._remove(nonempty[n], rule.spec.id, "lift")
                break

    def _body(self, nonempty: list[int], infos: list[LineInfo]) -> None:
        for rule in self.rules.body:
            found = rule.body_range(infos)
            if found is None:
                continue  # nothing reads as body: better to leave the page than to empty it
            first, last = found
            for n, index in enumerate(nonempty):
                if (n < first or n > last) and self._free(index) and index not in self.lifted:
                    self._remove(index, rule.spec.id)

    def _drop(self, nonempty: list[int], infos: list[LineInfo]) -> None:
        for index, info in zip(nonempty, infos):
            if self._free(index):
                # A line every drop rule already let through can only fall to one its position decides.
                checked = self._checked.get(index) == info.text
                spec = (self.rules.drop_positional if checked else self.rules.drop).find(info, self.deadline)
                if spec is not None:
                    self._remove(index, spec.id)
                else:
                    self._checked[index] = info.text
        if self.rules.anchors:
            self._drop_next_to(nonempty, infos)

    def _drop_next_to(self, nonempty: list[int], infos: list[LineInfo]) -> None:
        """Neighbour-guarded drop rules, after the others: a removal this pass or an earlier one counts.

        Only lines whose nearest non-empty line above or below (removed or not) was removed by a rule some
        neighbour guard names are tried. The lifted headline is content and stays."""
        anchors = self.rules.anchors
        suspects = sorted({near for index, rule in self.removed_by.items() if rule in anchors
                           for near in self._nearest(index) if near is not None})
        for index in suspects:
            n = bisect.bisect_left(nonempty, index)
            if n == len(nonempty) or nonempty[n] != index or not self._free(index) or index in self.lifted:
                continue
            above, below = self._nearest(index)
            by_above = self.removed_by.get(above) if above is not None else None
            by_below = self.removed_by.get(below) if below is not None else None

            def accept(spec: RuleSpec) -> bool:
                counted = self.rules.anchors_of[spec.id]
                side = spec.next_to.side
                return ((side != "below" and by_above in counted) or (side != "above" and by_below in counted))

            spec = self.rules.drop_next_to.find(infos[n], self.deadline, accept)
            if spec is not None:
                self._remove(index, spec.id)

    def _nearest(self, index: int) -> tuple[int | None, int | None]:
        """The nearest non-empty lines above and below a line, removed or not (None at the edges)."""
        above = index - 1
        while above >= 0 and not self.lines[above].strip():
            above -= 1
        below = index + 1
        while below < len(self.lines) and not self.lines[below].strip():
            below += 1
        return (above if above >= 0 else None), (below if below < len(self.lines) else None)

    def _repeat(self, nonempty: list[int], infos: list[LineInfo]) -> None:
        def key(n: int) -> str:
            text = infos[n].text
            known = self._keys.get(text)
            if known is None:
                known = self._keys[text] = _normalise(self._fold(text))
            return known

        for rule in self.rules.repeat:
            spec = rule.spec
            # Position guards bound where a copy can be: no need to look past them.
            end = len(infos) if spec.guards.head is None else min(len(infos), spec.guards.head)
            probes = None
            if spec.of_lifted:
                # Only copies of the few lifted lines (the headline) go: look for their words first.
                probes = _probes(key(n) for n in range(len(infos)) if nonempty[n] in self.lifted)
                if not probes:
                    continue
            suspects = [n for n in range(end)
                        if self._free(nonempty[n]) and guards_pass(spec.guards, infos[n])
                        and (probes is None or _holds_probe(self._fold(infos[n].text), probes))
                        and _matches(rule, infos[n], self.deadline)]
            if not suspects:
                continue
            if spec.mode == "earlier":
                if spec.min_copies:
                    # Only texts printed at least min_copies times, among the lines left: once the copies are
                    # gone the text occurs once, so cleaning the output again removes nothing more.
                    copies = self._copies({key(n) for n in suspects}, spec.min_copies, nonempty, infos, key)
                    suspects = [n for n in suspects if copies[key(n)] >= spec.min_copies]
                    if not suspects:
                        continue
                # Where each text first occurs, among the lines before the last suspect that may be copied.
                first: dict[str, int] = {}
                for n in range(suspects[-1]):
                    if not spec.of_lifted or nonempty[n] in self.lifted:
                        first.setdefault(key(n), n)
            for n in suspects:
                if spec.mode == "earlier":
                    hit = first.get(key(n), n) < n
                else:
                    # Both lines must look like captions: a heading followed by its paragraph is body.
                    hit = n + 1 < len(infos) and guards_pass(spec.guards, infos[n + 1]) \
                        and _matches(rule, infos[n + 1], self.deadline) \
                        and _adds_words(infos[n + 1], infos[n], spec.min_extra_words) \
                        and key(n + 1).startswith(key(n) + " ")
                if hit and key(n):
                    self._remove(nonempty[n], spec.id)

    def _copies(self, wanted: set[str], min_copies: int, nonempty: list[int], infos: list[LineInfo],
                key) -> Counter:
        """How often each wanted text occurs among the lines left. A line is normalised only when it holds
        each wanted text's longest word: most lines of a document are no copy of anything."""
        # Each copy of a text holds every word of it: a text with a word the document holds fewer than
        # min_copies times has no such copies (most lines hold a word found nowhere else).
        document = "\n".join(self._fold(info.text) for info in infos)
        wanted = {text for text in wanted if text and _occurs(text, document, min_copies)}
        copies: Counter = Counter()
        if not wanted:
            return copies
        probes = _probes(wanted)
        for n, info in enumerate(infos):
            if not self.removed[nonempty[n]] and _holds_probe(self._fold(info.text), probes) and key(n) in wanted:
                copies[key(n)] += 1
        return copies

    def _fold(self, text: str) -> str:
        folded = self._folded.get(text)
        if folded is None:
            folded = self._folded[text] = text.casefold()
        return folded

    def _cut(self, nonempty: list[int], infos: list[LineInfo]) -> None:
        for n, (index, info) in enumerate(zip(nonempty, infos)):
            if self.protected[index]:
                continue
            spec = self.rules.cut.find(info, self.deadline)
            if spec is None:
                continue
            after = [(i, inf) for i, inf in zip(nonempty[n + 1:], infos[n + 1:]) if not self.removed[i]]
            if not self._cut_allowed(spec, n, nonempty, infos, after):
                continue
            if not self.removed[index]:
                self._remove(index, spec.id, "cut")
            for i in range(index + 1, len(self.lines)):
                if self._free(i) and self.lines[i].strip():
                    self._remove(i, spec.id, "cut")
            return

    def _cut_allowed(self, spec: RuleSpec, n: int, nonempty: list[int], infos: list[LineInfo],
                     after: list[tuple[int, LineInfo]]) -> bool:
        """The prose guards of a cut at the n-th non-empty line: a marker must not cut body prose, unless
        the prose after it reads as a comment thread (the rule's comments_after)."""
        prose = sum(1 for _, inf in after if _is_prose(inf))
        words_after = sum(inf.words for _, inf in after)
        words_kept = 0
        if spec.max_share_after is not None:
            words_kept = sum(inf.words for i, inf in zip(nonempty[:n], infos[:n]) if not self.removed[i])
        if _guards_hold(spec, prose, words_after, words_kept):
            return True
        if spec.comments_after is None:
            return False
        thread = self._thread(spec, nonempty[n], after)
        # Comment prose is chrome: only the prose the thread does not account for counts.
        return thread is not None and _guards_hold(spec, *thread, words_kept)

    def _thread(self, spec: RuleSpec, marker: int, after: list[tuple[int, LineInfo]]) -> tuple[int, int] | None:
        """When a comment thread follows the marker: the prose lines, and the words, that still count
        (before the first furniture line, or in a run of more than max_prose_run prose lines without one).
        None when fewer than min_lines furniture lines follow it."""
        settings = spec.comments_after
        with self.deadline.paused():  # compiling on first use is not the document's time
            pattern = self.cleaner._furniture.get(spec.id)
            if pattern is None:
                pattern = self.cleaner._furniture[spec.id] = _furniture(settings, spec.case_sensitive)
        infos = dict(after)
        furniture = counted = words = run = run_words = 0
        longest = settings.max_prose_run
        for i in range(marker + 1, len(self.lines)):
            text = self.lines[i].strip()
            if not text or i in self.lifted:
                continue  # a lifted line (the dateline under the headline) is the article's, not the thread's
            # Furniture counts even where a drop rule already took it ("Reply", "Name says:").
            found = budget.match(pattern.fullmatch, text, self.deadline, [(spec, pattern)], "fullmatch")
            if found is not None:
                furniture += 1
                run = run_words = 0
                # Once a commenter line has opened the thread, its replies may run long; before it, a lone
                # timestamp may be the article's own dateline. (Buttons between two replies, which a drop
                # rule may have removed already, must not change the answer.)
                if found.lastgroup == "commenter":
                    longest = settings.max_reply_run
                continue
            info = infos.get(i)
            if info is None:
                continue  # removed: neither thread nor body
            if not furniture:
                words += info.words
                counted += _is_prose(info)
                continue
            run_words += info.words
            if _is_prose(info):
                run += 1
                # A run too long for a comment counts whole, from its first line.
                counted += run if run == longest + 1 else int(run > longest)
            if run > longest:
                words += run_words
                run_words = 0
        if furniture < settings.min_lines:
            return None
        return counted, words

    def _span(self, nonempty: list[int], infos: list[LineInfo]) -> None:
        if self.rules.span.combined is None:
            return
        for index, info in zip(nonempty, infos):
            if not self._free(index):
                continue
            for spec, before, after in self.rules.span.apply(self.lines[index], info, self.deadline):
                self.edits.append(Edit(spec.id, "replace", index + 1, before, after))
                self.lines[index] = after

    def _tidy(self) -> str:
        """Keep surviving lines; collapse blank runs to one; strip blank edges; one final newline."""
        out: list[tuple[int, str]] = []
        dropped_blanks: list[int] = []
        for index, line in enumerate(self.lines):
            if self.removed[index]:
                continue
            if line.strip():
                out.append((index, line))
                continue
            if line and self.cleaner.config.typography.trailing_space:
                self.edits.append(Edit("typography.trailing-space", "replace", index + 1, line, ""))
            if out and out[-1][1]:
                out.append((index, ""))
            else:
                dropped_blanks.append(index)
        while out and not out[-1][1]:
            dropped_blanks.append(out.pop()[0])
        # Blank lines left over by a removal go with it; only the input's own blank runs are traced.
        last = len(self.original) - 1
        for index in dropped_blanks:
            if index in (0, last) or not self.original[index - 1].strip() or not self.original[index + 1].strip():
                self.edits.append(Edit("typography.blank-lines", "remove", index + 1, self.original[index]))
        if not out:
            return ""
        newline = "\r\n" if self.crlf else "\n"
        return ("\ufeff" if self.bom else "") + newline.join(line for _, line in out) + newline

    def _metadata(self) -> Metadata:
        fields = self.fields
        authors: tuple[str, ...] = ()
        if "author" in fields:
            authors = tuple(a for a in _AUTHOR_SEPARATOR.split(fields["author"]) if a)
        published = fields.get("published")
        if published:
            published = dates.to_iso(published) or published
        return Metadata(title=fields.get("title"), standfirst=fields.get("standfirst"), authors=authors,
                        dateline=fields.get("dateline"), published=published)


def _occurs(text: str, document: str, times: int) -> bool:
    """Whether every word of the text occurs at least `times` times in the document (longest words first:
    they are the rarest, and one too rare settles it)."""
    return all(document.count(word) >= times for word in sorted(set(text.split()), key=len, reverse=True))


def _probes(texts) -> set[str]:
    """The longest word of each normalised text: a line whose key is one of them holds its word."""
    return {max(text.split(), key=len) for text in texts if text}


def _holds_probe(folded: str, probes: set[str]) -> bool:
    return any(probe in folded for probe in probes)


def _is_prose(info: LineInfo) -> bool:
    return info.words >= _PROSE_MIN_WORDS and info.sentence_end


def _guards_hold(spec: RuleSpec, prose: int, words_after: int, words_kept: int) -> bool:
    """A cut-after rule's prose guards: not more prose after the marker than max_prose_after, and (a marker
    that ends the article comes late) not more than max_share_after of the words: a marker that would take
    most of the text is a heading inside the body ("Related resources:" above a checklist)."""
    if spec.max_prose_after is not None and prose > spec.max_prose_after:
        return False
    return spec.max_share_after is None or words_after <= spec.max_share_after * (words_after + words_kept)


def _furniture(settings: CommentsAfter, case_sensitive: bool) -> regex.Pattern:
    """A cut-after rule's comment-furniture patterns as one whole-line matcher; a commenter line matches
    as the group `commenter`."""
    branches = [f"(?:{p})" for p in settings.patterns]
    if settings.commenters:
        branches.insert(0, "(?P<commenter>" + "|".join(f"(?:{p})" for p in settings.commenters) + ")")
    return regex.compile("|".join(branches), 0 if case_sensitive else regex.IGNORECASE)


def _adds_words(longer: LineInfo, shorter: LineInfo, at_least: int | None) -> bool:
    """Whether a line has at least `at_least` words more than another (None: any count will do)."""
    return at_least is None or longer.words >= shorter.words + at_least


def _matches(rule: RepeatRule, info: LineInfo, deadline: Deadline) -> bool:
    return rule.pattern is None or budget.match(
        rule.pattern.fullmatch, info.text, deadline, [(rule.spec, rule.pattern)], "fullmatch") is not None


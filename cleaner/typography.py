"""Typography repair for one line at a time: each step has one name, used in the config and in the trace.

ftfy runs under one pinned configuration, and only on lines it could change: most lines of real text are
plain ASCII or clean Unicode, and ftfy costs far more than the check. The patterns here are our own
simple character classes, so the standard library's faster `re` runs them.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache, partial

# Steps in the order they run. Mojibake repair comes first so that the bytes of broken text are
# repaired, not stripped as control characters.
STEPS = ("mojibake", "quotes", "dashes", "ellipsis", "spaces", "invisible", "trailing-space")


@dataclass(frozen=True, slots=True)
class TypographyConfig:
    mojibake: bool = True  # ftfy: mojibake, HTML entities, C1 controls, ligatures, NFC
    quotes: bool = True  # curly quotes to straight ones
    dashes: bool = False  # en and em dashes to '-'
    ellipsis: bool = False  # '…' to '...'
    spaces: bool = True  # no-break and other odd spaces to ' '
    invisible: bool = True  # zero-width characters, soft hyphens, control characters removed
    trailing_space: bool = True


@cache
def pinned_ftfy_config():
    """The one ftfy configuration cleaner uses: repairs, but no changes of style or line structure."""
    # Imported here: ftfy is the slowest import of the start-up path and most inputs need none of it.
    import ftfy

    return ftfy.TextFixerConfig(
        unescape_html="auto",
        remove_terminal_escapes=True,
        fix_encoding=True,
        restore_byte_a0=True,
        replace_lossy_sequences=True,
        decode_inconsistent_utf8=True,
        fix_c1_controls=True,
        fix_latin_ligatures=True,
        fix_character_width=False,  # would rewrite full-width forms that CJK text uses on purpose
        uncurl_quotes=False,  # our own 'quotes' step, so that it is traced and configurable
        fix_line_breaks=False,  # lines are split by the pipeline; the file's line endings are kept
        fix_surrogates=True,
        remove_control_chars=True,
        normalization="NFC",
        explain=False,
    )


# What ftfy's pinned steps act on whatever the rest of the line: entities (ftfy's HTML_ENTITY_RE), C0/C1
# controls, escapes, surrogates, ligatures and digraphs (ftfy's LIGATURES), and the controls it removes
# (ftfy's CONTROL_CHARS). Mojibake itself is found by ftfy's own is_bad().
# Both patterns open with one character class, so `re` skips ahead to the characters in it instead of
# trying every position.
_FTFY_TRIGGER = re.compile(
    r"[&\x00-\x08\x0b-\x1f\x7f-\x9f\u0132\u0133\u0149\u01c4-\u01cc\u01f1-\u01f3\ud800-\udfff\ufb00-\ufb06"
    r"\ufeff\ufff9-\ufffc\u206a-\u206f](?:(?<=&)#?[0-9A-Za-z]{1,24};|(?<!&))")
# Every pattern of ftfy 6's mojibake detector (is_bad) needs two non-ASCII characters at most two
# characters apart, or one of a few characters it also flags alone (C1 controls, Ã, Â, œ): a line with
# neither need not be searched by it. Checked against ftfy itself by the test suite.
_MOJIBAKE_CANDIDATE = re.compile(r"[^\x00-\x7f](?:(?<=[ÃÂŒœ\x80-\x9f])|.{0,2}[^\x00-\x7f])", re.S)


# The characters any step may act on: all but printable ASCII, '&' (an entity) included. A line's notable
# characters, found in one scan, are a short string that each step's test searches instead of the line.
_PLAIN = r"\x20-\x25\x27-\x7e"  # printable ASCII but '&'
_NOTABLE = re.compile(f"[^{_PLAIN}]")
_MOJIBAKE_ALONE = frozenset("ÃÂŒœ" + "".join(map(chr, range(0x80, 0xA0))))


def notable_characters(line: str) -> str:
    return "".join(_NOTABLE.findall(line))


def ftfy_could_change(line: str, notable: str | None = None) -> bool:
    """False only where the pinned ftfy configuration provably leaves the line as it is. `notable`, the
    line's notable_characters when the caller has them already, spares a scan."""
    if notable is None:
        notable = notable_characters(line)
    if not notable:
        return False
    # Only an entity needs the text after its '&'; every other trigger is one notable character.
    if _FTFY_TRIGGER.search(line if "&" in notable else notable):
        return True
    if notable.isascii():
        return False
    if not unicodedata.is_normalized("NFC", line):
        return True
    # The mojibake detector needs two non-ASCII characters, or one it flags alone.
    if sum(not c.isascii() for c in notable) < 2 and _MOJIBAKE_ALONE.isdisjoint(notable):
        return False
    if _MOJIBAKE_CANDIDATE.search(line) is None:
        return False
    from ftfy.badness import is_bad

    return is_bad(line)


def fix_mojibake(line: str) -> str:
    if not ftfy_could_change(line):
        return line
    import ftfy

    return ftfy.fix_text(line, pinned_ftfy_config())


# The same sets ftfy straightens, U+02BC (modifier apostrophe) included. (Chained str.replace beats
# str.translate on long lines with few such characters.)
_QUOTES = (("\u02bc", "'"), ("\u2018", "'"), ("\u2019", "'"), ("\u201a", "'"), ("\u201b", "'"),
           ("\u201c", '"'), ("\u201d", '"'), ("\u201e", '"'), ("\u201f", '"'))
_DASHES = (("\u2013", "-"), ("\u2014", "-"), ("\u2012", "-"), ("\u2015", "-"))


def _replace_all(line: str, pairs: tuple[tuple[str, str], ...]) -> str:
    for old, new in pairs:
        if old in line:
            line = line.replace(old, new)
    return line
# The characters each step (other than ftfy's) would change: a line with none of them skips the steps.
# U+3000 is not a space to change: CJK text uses the ideographic space on purpose. Zero-width joiners
# (U+200C, U+200D) are kept between two characters, where emoji sequences and several scripts need them;
# beside a blank or a line's end they join nothing (a paragraph of one joiner is a page's spacer).
_ALWAYS_INVISIBLE = "\u00ad\u200b\u2060\ufeff\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f"
_JOINERS = "\u200c\u200d"
_STEP_CHARACTERS = {
    "quotes": "\u02bc\u2018-\u201f",
    "dashes": "\u2012-\u2015",
    "ellipsis": "\u2026",
    "spaces": "\u00a0\u1680\u2000-\u200a\u202f\u205f",
    "invisible": _ALWAYS_INVISIBLE + _JOINERS,
}
_SPACES = re.compile(f"[{_STEP_CHARACTERS['spaces']}]")
_INVISIBLE = re.compile(f"[{_ALWAYS_INVISIBLE}]|(?:(?<=\\s)|^)[{_JOINERS}]+|[{_JOINERS}]+(?=\\s|$)")
_TRAILING = re.compile(r"[ \t]+$")
_MAX_ROUNDS = 3
# What makes a line of a whole text worth a look at all: a notable character, or a blank at the end. (A
# pattern that is one character class lets `re` skip ahead to its characters.)
_WORTH_A_LOOK = re.compile(f"[^\n{_PLAIN}]")
_BLANK_AT_END = re.compile(r" $", re.M)


def _lines_with(pattern: re.Pattern, text: str) -> set[int]:
    """The indices of the lines of `text` where the pattern matches."""
    found = set()
    index = position = 0
    while (match := pattern.search(text, position)) is not None:
        index += text.count("\n", position, match.start())
        found.add(index)
        position = text.find("\n", match.start()) + 1
        if not position:
            break
        index += 1
    return found


def _apply(step: str, line: str) -> str:
    if step == "mojibake":
        return fix_mojibake(line)
    if step == "quotes":
        return _replace_all(line, _QUOTES)
    if step == "dashes":
        return _replace_all(line, _DASHES)
    if step == "ellipsis":
        return line.replace("\u2026", "...")
    if step == "spaces":
        return _SPACES.sub(" ", line)
    if step == "invisible":
        return _INVISIBLE.sub("", line)
    return _TRAILING.sub("", line)


class Typography:
    """The enabled steps, applied in order; returns the new line and the names of the steps that changed it."""

    def __init__(self, config: TypographyConfig) -> None:
        self.config = config
        self.steps = tuple(s for s in STEPS if getattr(config, s.replace("-", "_")))
        # For each step, the test that tells cheaply whether it could change a line at all.
        self._triggers = tuple((step, _trigger(step)) for step in self.steps)

    def fix(self, line: str) -> tuple[str, list[tuple[str, str, str]]]:
        if line.isascii() and line.isprintable() and not line.endswith((" ", "\t")) and "&" not in line:
            return line, []  # nothing any step could change
        return self._fix(line)

    def fix_lines(self, lines: list[str]):
        """(index, new line, changes) for each line of `lines` that some step changes. Searches of the
        joined text find the lines worth a look, so plain ASCII lines cost no call each."""
        text = "\n".join(lines)
        for index in sorted(_lines_with(_WORTH_A_LOOK, text) | _lines_with(_BLANK_AT_END, text)):
            fixed, changes = self._fix(lines[index])
            if changes:
                yield index, fixed, changes

    def _fix(self, line: str) -> tuple[str, list[tuple[str, str, str]]]:
        changes = []
        notable = notable_characters(line)
        # ftfy is not idempotent on some control-character input: repeat to a fixed point, within reason.
        for _ in range(_MAX_ROUNDS):
            before = line
            for step, could_change in self._triggers:
                if could_change(line, notable):
                    fixed = _apply(step, line)
                    if fixed != line:
                        changes.append((step, line, fixed))
                        line = fixed
                        notable = notable_characters(line)
            if line == before:
                break
        return line, changes


def _ends_with_blank(line: str, notable: str) -> bool:
    return line.endswith((" ", "\t"))


def _trigger(step: str):
    """A test of the line (and its notable characters): whether the step could change it at all."""
    if step == "mojibake":
        return ftfy_could_change
    if step == "trailing-space":
        return _ends_with_blank
    return partial(_holds_any, re.compile(f"[{_STEP_CHARACTERS[step]}]"))


def _holds_any(characters: re.Pattern, line: str, notable: str) -> bool:
    return characters.search(notable) is not None

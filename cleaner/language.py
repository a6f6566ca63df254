"""Which language a document is in, told by its share of each language's stop words.

Used only to choose the language packs a document needs: a German pack never runs on English text.
"""

from __future__ import annotations

from pathlib import Path

import regex

_WORD = regex.compile(r"\w+")
# The prose lines near the opening of a document say its language; reading all of a long one would only
# cost time. A whole page opens with menus and sidebars of names and titles, so lines of a few words are
# passed over, within the first _SCAN_CHARS.
_SAMPLE_CHARS = 3000
_SCAN_CHARS = 30_000
_PROSE_MIN_SPACES = 7
_MIN_SHARE = 0.12
_MIN_HITS = 5


def load_stopwords(folder: Path) -> dict[str, frozenset[str]]:
    """Stop-word lists named by language code (`en.txt`), one word a line, `#` comments."""
    lists = {}
    for path in sorted(folder.glob("*.txt")) if folder.is_dir() else []:
        words = (w.strip().casefold() for w in path.read_text(encoding="utf-8").splitlines())
        lists[path.stem] = frozenset(w for w in words if w and not w.startswith("#"))
    return lists


def detect(text: str, stopwords: dict[str, frozenset[str]],
           index: dict[str, tuple[str, ...]] | None = None) -> str | None:
    """The language whose stop words make up the largest share of the text, if that share is large enough.
    `index` (from `languages_by_word`) saves building it for each text."""
    words = _WORD.findall(_sample(text).casefold())
    if not words or not stopwords:
        return None
    if index is None:
        index = languages_by_word(stopwords)
    hits = dict.fromkeys(stopwords, 0)
    for word in words:
        for code in index.get(word, ()):
            hits[code] += 1
    best = max(sorted(hits), key=hits.__getitem__)
    if hits[best] < _MIN_HITS or hits[best] / len(words) < _MIN_SHARE:
        return None
    return best


def _sample(text: str) -> str:
    """The first _SAMPLE_CHARS of the text's prose lines (the opening when it has none)."""
    scanned = text[:_SCAN_CHARS]
    picked: list[str] = []
    total = 0
    for line in scanned.split("\n"):
        if line.count(" ") >= _PROSE_MIN_SPACES:
            picked.append(line)
            total += len(line)
            if total >= _SAMPLE_CHARS:
                break
    return "\n".join(picked)[:_SAMPLE_CHARS] if picked else text[:_SAMPLE_CHARS]


def languages_by_word(stopwords: dict[str, frozenset[str]]) -> dict[str, tuple[str, ...]]:
    """For each stop word, the languages that list it: one look-up per word of a text."""
    index: dict[str, tuple[str, ...]] = {}
    for code, listed in stopwords.items():
        for word in listed:
            index[word] = index.get(word, ()) + (code,)
    return index

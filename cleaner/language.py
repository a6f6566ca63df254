"""Which language a document is in, told by its share of each language's stop words.

Used only to choose the language packs a document needs: a German pack never runs on English text.
"""

from __future__ import annotations

from pathlib import Path

import regex

_WORD = regex.compile(r"\w+")
# The opening of a document says its language; reading all of a long one would only cost time.
_SAMPLE_CHARS = 3000
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
    words = _WORD.findall(text[:_SAMPLE_CHARS].casefold())
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


def languages_by_word(stopwords: dict[str, frozenset[str]]) -> dict[str, tuple[str, ...]]:
    """For each stop word, the languages that list it: one look-up per word of a text."""
    index: dict[str, tuple[str, ...]] = {}
    for code, listed in stopwords.items():
        for word in listed:
            index[word] = index.get(word, ()) + (code,)
    return index

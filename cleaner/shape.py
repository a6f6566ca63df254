"""The auto preset: which preset a document's shape asks for.

A whole page's text opens with navigation (menus, breadcrumbs, link lists): runs of lines of a word or
three. Article text, as an extractor leaves it, opens with a headline and paragraphs. The thresholds are
data: the `auto` key of the pack whose preset a page-shaped document gets.
"""

from __future__ import annotations

from .model import AutoPick


def short_share(text: str, first_lines: int, short_max_words: int, min_lines: int = 1) -> float:
    """The share of the first `first_lines` non-empty lines that have at most `short_max_words` words;
    0 for a text of fewer than `min_lines` non-empty lines."""
    opening = []
    count = 0
    for line in text.split("\n"):
        if line.strip():
            count += 1
            if len(opening) < first_lines:
                opening.append(line)
            if count >= min_lines and len(opening) == first_lines:
                break
    if not opening or count < min_lines:
        return 0.0
    return sum(len(line.split()) <= short_max_words for line in opening) / len(opening)


def fits(pick: AutoPick, text: str) -> bool:
    return short_share(text, pick.first_lines, pick.short_max_words, pick.min_lines) >= pick.min_short_share

"""The auto preset: which preset a document's shape asks for.

A whole page's text opens with navigation (menus, breadcrumbs, link lists): runs of lines of a word or
three, and its head and tail hold the page's frame ("Sign in", "Privacy policy", "All rights reserved").
Article text, as an extractor leaves it, opens with a headline and paragraphs. The thresholds and the
phrases are data: the `auto` key of the pack whose preset a page-shaped document gets.
"""

from __future__ import annotations

import re

from .literals import whole_words_pattern
from .model import AutoPick


class PageShape:
    """Tells whether a document has the shape an AutoPick claims."""

    def __init__(self, pick: AutoPick) -> None:
        self.pick = pick
        self._furniture = None
        if pick.furniture:
            # Whole words only: "home" must not match "homework", nor "search" "research". A prefix
            # tree of the phrases, matched on lower-cased text, costs a few tests per character.
            self._furniture = re.compile(whole_words_pattern(frozenset(pick.furniture)))

    def fits(self, text: str) -> bool:
        pick = self.pick
        # Only the opening and the closing lines are read: most of a long document never is.
        wanted = max(pick.min_lines, pick.first_lines, pick.edge_lines)
        head = _nonempty_lines(text, wanted)
        if not head or len(head) < pick.min_lines:
            return False
        opening = head[:pick.first_lines]
        share = sum(len(line.split()) <= pick.short_max_words for line in opening) / len(opening)
        if share >= pick.min_short_share:
            return True
        if self._furniture is None or share < pick.furniture_short_share:
            return False
        if len(head) < wanted:  # the whole text was read
            tail = head[-pick.edge_lines:]
        else:
            tail = _nonempty_lines(text, pick.edge_lines, from_end=True)
        edges = "\n".join(head[:pick.edge_lines] + tail).casefold()
        found = set(self._furniture.findall(edges))
        return len(found) >= pick.min_furniture


def _nonempty_lines(text: str, count: int, from_end: bool = False) -> list[str]:
    """The first (or last) `count` non-blank lines of the text, in text order."""
    pieces = count * 4  # blank lines between paragraphs: most texts need no second look
    while True:
        lines = text.rsplit("\n", pieces) if from_end else text.split("\n", pieces)
        whole = len(lines) <= pieces  # the text had no more lines than that
        if not whole:
            # The last piece is the rest of the text, not a line.
            lines = lines[1:] if from_end else lines[:-1]
        found = [line for line in (reversed(lines) if from_end else lines) if line.strip()][:count]
        if len(found) == count or whole:
            return found[::-1] if from_end else found
        pieces *= 4

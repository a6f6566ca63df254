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
        lines = [line for line in text.split("\n") if line.strip()]
        if not lines or len(lines) < pick.min_lines:
            return False
        opening = lines[:pick.first_lines]
        share = sum(len(line.split()) <= pick.short_max_words for line in opening) / len(opening)
        if share >= pick.min_short_share:
            return True
        if self._furniture is None or share < pick.furniture_short_share:
            return False
        edges = "\n".join(lines[:pick.edge_lines] + lines[-pick.edge_lines:]).casefold()
        found = set(self._furniture.findall(edges))
        return len(found) >= pick.min_furniture

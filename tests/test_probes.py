"""Typical chrome lines of real pages, in every language with a pack, and body sentences that share their
words (tests/probes/<language>.yaml): each line is cleaned in context, between body paragraphs written in
that language, so that the document's language picks the packs. A chrome line goes; a body sentence and
the paragraphs around it stay. These lines are written for the tests, apart from any rule's own examples."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from cleaner import Cleaner

PROBES = Path(__file__).parent / "probes"


def _cases():
    for path in sorted(PROBES.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for expected in ("remove", "keep"):
            for line in data[expected]:
                yield pytest.param(tuple(data["body"]), line, expected, id=f"{path.stem}:{expected}:{line[:40]}")


@pytest.fixture(scope="module")
def cleaner():
    return Cleaner()


@pytest.mark.parametrize("body, line, expected", list(_cases()))
def test_probe_line_in_context(cleaner, body, line, expected):
    # The probe is the fifth line: two paragraphs and their blank lines come before it.
    text = "\n\n".join([*body[:2], line, *body[2:]]) + "\n"
    removed = {edit.line for edit in cleaner.clean_and_explain(text).edits if edit.removes_line}
    assert removed - {5} == set(), "a body paragraph was removed"
    assert (5 in removed) == (expected == "remove")

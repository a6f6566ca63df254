"""Properties of the whole pipeline: idempotent, never adds content, never adds lines, pure per document."""

from __future__ import annotations

import pickle
import re

import pytest
from conftest import DEV, SEED
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cleaner import Cleaner, Config

WORD = re.compile(r"\w+")

LINES = st.sampled_from([
    "Comments", "Advertisement", "Join the conversation", "By Jane Doe", "Published 11:34 PM EST Nov 19, 2019",
    "Photo: Jane Doe / Agency", "A body sentence that carries on for a while, as body sentences do.",
    "\u201cQuoted speech,\u201d she said.", "Caf\u00c3\u00a9 au lait", "", "  ", "Leave a Reply", "Share this",
    "Short heading", "Mixed\u00a0space\u200b line\t", "\u00bfQu\u00e9 tal?", "日本語の文章です。",
])
DOCUMENTS = st.lists(st.one_of(LINES, st.text(max_size=40)), max_size=25).map("\n".join)


def _cleaner() -> Cleaner:
    return Cleaner()


CLEANER = _cleaner()
TYPESET = Cleaner(Config(default_rules=False))


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(DOCUMENTS)
def test_idempotent(text):
    once = CLEANER.clean(text)
    assert CLEANER.clean(once) == once


@settings(deadline=None)
@given(DOCUMENTS)
def test_never_adds_words_or_lines(text):
    # Compared with the input after typography alone: repairing "\x85" into "…" adds no content.
    out = CLEANER.clean(text)
    typeset = TYPESET.clean(text)
    assert set(WORD.findall(out.casefold())) <= set(WORD.findall(typeset.casefold()))
    assert sum(1 for ln in out.split("\n") if ln.strip()) <= sum(1 for ln in typeset.split("\n") if ln.strip())


@settings(deadline=None)
@given(st.lists(st.one_of(LINES, st.text(st.characters(blacklist_characters="\n"), max_size=40)), max_size=25))
def test_lines_no_edit_names_come_out_byte_identical(lines):
    result = CLEANER.clean_and_explain("\n".join(lines) + "\n")
    touched = {edit.line for edit in result.edits}
    out = result.text.removeprefix("\ufeff").split("\n")
    for number, line in enumerate(lines, start=1):
        if number not in touched and line.strip() and "\r" not in line:
            assert line in out


def test_seed_idempotent():
    once = CLEANER.clean(SEED.read_text(encoding="utf-8"))
    assert CLEANER.clean(once) == once


def test_cleaner_pickles_and_documents_are_independent():
    seed = SEED.read_text(encoding="utf-8")
    clone = pickle.loads(pickle.dumps(CLEANER))
    before = CLEANER.clean(seed)
    CLEANER.clean("Andrew Feinberg\nWashington, DC\nWednesday 29 December 2021 19:14 GMT\nOther text.\n")
    assert CLEANER.clean(seed) == before == clone.clean(seed)


@pytest.mark.slow
@pytest.mark.skipif(not DEV.exists(), reason="dev set not present")
def test_every_dev_document_is_idempotent():
    import json

    with DEV.open(encoding="utf-8") as fh:
        records = [json.loads(line) for line in fh]
    for preset in ("auto", "article", "page"):
        cleaner = CLEANER if preset == "auto" else Cleaner(Config(preset=preset))
        for record in records:
            once = cleaner.clean(record["input"])
            assert cleaner.clean(once) == once, (preset, record["id"], record["view"])

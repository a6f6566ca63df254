"""The seed article comes out exactly as the golden files say, text, trace and metadata."""

from __future__ import annotations

import json

from conftest import GOLDEN, SEED

from cleaner import clean, clean_and_explain

NAME = "independent-biden-putin-call"


def test_seed_text_matches_golden():
    assert clean(SEED.read_text(encoding="utf-8")) == (GOLDEN / f"{NAME}.clean.txt").read_text(encoding="utf-8")


def test_seed_shape():
    paragraphs = clean(SEED.read_text(encoding="utf-8")).split("\n\n")
    assert paragraphs[0].startswith("'We are at a moment of crisis': White House says Putin")
    assert paragraphs[1] == "US and Russian officials are set to meet for talks in Geneva starting on 10 January"
    body = paragraphs[2:]
    assert len(body) == 16
    assert body[0].startswith("President Joe Biden is set to speak")
    assert body[-1].endswith("progress at the negotiating table.\"\n")
    text = "\n\n".join(paragraphs)
    assert not any(q in text for q in "‘’“”")
    assert text.endswith(".\"\n") and not text.endswith("\n\n")


def test_seed_trace_matches_golden():
    result = clean_and_explain(SEED.read_text(encoding="utf-8"))
    assert result.explain() == (GOLDEN / f"{NAME}.explain.txt").read_text(encoding="utf-8")


def test_seed_removals_each_have_a_rule():
    result = clean_and_explain(SEED.read_text(encoding="utf-8"))
    removed = {e.before: e.rule for e in result.edits if e.action != "replace"}
    for line in ("Andrew Feinberg", "Washington, DC", "Wednesday 29 December 2021 19:14 GMT", "Comments",
                 "US Russia Ukraine", "US Russia Ukraine (The White House )", "Join our commenting forum",
                 "Thank you for registering"):
        assert line in removed, line
    assert any(b.startswith("Please refresh the page") for b in removed)
    assert any(b.startswith("Join thought-provoking conversations") for b in removed)


def test_seed_metadata():
    meta = clean_and_explain(SEED.read_text(encoding="utf-8")).metadata
    assert meta.as_dict() == json.loads((GOLDEN / f"{NAME}.metadata.json").read_text(encoding="utf-8"))
    assert meta.authors == ("Andrew Feinberg",)
    assert meta.dateline == "Washington, DC"
    assert meta.published == "2021-12-29T19:14:00+00:00"


def test_drop_headline_option():
    from cleaner import Cleaner

    text = Cleaner(drop_headline=True).clean(SEED.read_text(encoding="utf-8"))
    assert text.startswith("President Joe Biden is set to speak")

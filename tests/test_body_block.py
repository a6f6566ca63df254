"""The body-block kind: the secondary stretch its settings allow, the body that is not prose (table rows,
numbered and announced lists, short sentences), repeated prose, and the loader's checks of the settings."""

from __future__ import annotations

import dataclasses
import textwrap

import pytest

from cleaner import Cleaner, Config, RuleError
from cleaner.kinds import BodyBlockRule, line_info


def _page_rule() -> BodyBlockRule:
    spec = Cleaner(Config(preset="page")).rule("page.main-body")
    return BodyBlockRule(spec)


def _infos(lines: list[str]):
    return [line_info(text, n + 1, len(lines) - n) for n, text in enumerate(lines)]


def _example_lines() -> list[str]:
    """The page.main-body example whose body holds a list between two runs of prose."""
    spec = Cleaner(Config(preset="page")).rule("page.main-body")
    doc = next(d for d in spec.examples["documents"] if "Music library" in d["input"])
    return [line for line in doc["input"].splitlines() if line.strip()]


def test_secondary_stretch_reached_only_when_enabled():
    rule = _page_rule()
    lines = _example_lines()
    infos = _infos(lines)
    first, last = rule.body_range(infos)
    assert lines[last] == lines[-3]  # the last prose line, before "Contact us"
    off = dataclasses.replace(rule.spec, body=dataclasses.replace(rule.spec.body, secondary_max_loss=0.0))
    first_off, last_off = BodyBlockRule(off).body_range(infos)
    assert last_off < last  # the plain maximum subarray stops before the list
    assert first_off == first


def test_secondary_stretch_needs_enough_gain():
    rule = _page_rule()
    strict = dataclasses.replace(rule.spec, body=dataclasses.replace(rule.spec.body, secondary_min_score=1000.0))
    infos = _infos(_example_lines())
    assert BodyBlockRule(strict).body_range(infos)[1] < rule.body_range(infos)[1]


@pytest.mark.parametrize("key", ["secondary_max_loss", "secondary_min_score"])
def test_loader_refuses_negative_secondary_settings(tmp_path, key):
    pack = tmp_path / "body.yaml"
    pack.write_text(textwrap.dedent(f"""\
        description: A body-block rule with a bad setting.
        rules:
          - id: main
            kind: body-block
            description: Keeps the body.
            {key}: -1
            examples:
              documents:
                - input: |
                    A line.
                  output: |
                    A line.
        """), encoding="utf-8")
    with pytest.raises(RuleError) as caught:
        Cleaner(Config(default_rules=False, rules=(str(pack),)))
    assert caught.value.key == key


def _document(marker: str) -> tuple[list[str], list[str]]:
    """The lines of the page.main-body document example holding `marker`, and of its expected output."""
    spec = Cleaner(Config(preset="page")).rule("page.main-body")
    doc = next(d for d in spec.examples["documents"] if marker in d["input"])
    return ([line for line in doc["input"].splitlines() if line.strip()],
            [line for line in doc["output"].splitlines() if line.strip()])


def _kept(rule: BodyBlockRule, lines: list[str], **settings) -> list[str]:
    if settings:
        rule = BodyBlockRule(dataclasses.replace(rule.spec, body=dataclasses.replace(rule.spec.body, **settings)))
    first, last = rule.body_range(_infos(lines))
    return lines[first:last + 1]


@pytest.mark.parametrize("marker,setting", [
    ("North Valley School", "data_line_score"),  # table rows after the prose
    ("Ticket to Ride", "numbered_item_score"),  # numbered items closing a listicle
    ("rest of my sponsors", "listed_item_score"),  # the list a body line announces with a colon
    ("図書館", "sentence_min_chars"),  # short sentences in a script without spaces
])
def test_body_that_is_not_prose_is_kept_only_with_its_setting(marker, setting):
    rule = _page_rule()
    lines, expected = _document(marker)
    assert _kept(rule, lines) == expected
    without = _kept(rule, lines, **{setting: 0})
    assert len(without) < len(expected) and set(without) <= set(expected)


def test_slash_between_numbers_is_no_menu_separator():
    rule = _page_rule()
    row = rule.score(line_info("2 Lakeside Graduate School 38% / 40% 725", 1, 1))
    menu = rule.score(line_info("Home / News / Sport / Weather / Contact", 1, 1))
    assert row == rule.spec.body.data_line_score > 0
    assert menu == -rule.spec.body.short_penalty


def test_listed_items_end_at_a_menu_line():
    rule = _page_rule()
    lines, expected = _document("rest of my sponsors")
    scores = rule.scores(_infos(lines))
    menu = lines.index("Home | Blog | About")
    assert scores[menu - 1] == rule.spec.body.listed_item_score
    assert scores[menu] == -rule.spec.body.short_penalty


def test_repeated_prose_is_no_new_body():
    rule = _page_rule()
    lines, expected = _document("Free shipping on orders")
    scores = rule.scores(_infos(lines))
    assert scores[0] > 0 and scores[1:4] == [0.0, 0.0, 0.0]  # the banner counts once
    assert _kept(rule, lines) == expected
    assert _kept(rule, lines, repeat_min_share=0)[0] == lines[0]  # counted four times, it outweighs the menu


def test_repeated_table_rows_stay_body():
    rule = _page_rule()
    row = "Portion Fix Containers: 1 Green, 1 Red, 1 Yellow, 1 Orange, 1 tsp. of any nut butter per serving."
    scores = rule.scores(_infos([row, "Meal 2", row]))
    assert scores[2] == scores[0] > 0  # no stop-word prose: a repeated row is not a banner


@pytest.mark.parametrize("key,value", [("repeat_min_share", 1.5), ("listed_item_score", -1),
                                       ("data_line_score", -1), ("sentence_min_chars", -1)])
def test_loader_refuses_bad_new_settings(tmp_path, key, value):
    pack = tmp_path / "body.yaml"
    pack.write_text(textwrap.dedent(f"""\
        description: A body-block rule with a bad setting.
        rules:
          - id: main
            kind: body-block
            description: Keeps the body.
            {key}: {value}
            examples:
              documents:
                - input: |
                    A line.
                  output: |
                    A line.
        """), encoding="utf-8")
    with pytest.raises(RuleError) as caught:
        Cleaner(Config(default_rules=False, rules=(str(pack),)))
    assert caught.value.key == key

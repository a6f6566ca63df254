"""The body-block kind: the secondary stretch its settings allow, and the loader's checks of them."""

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

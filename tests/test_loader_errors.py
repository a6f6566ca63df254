"""A broken rule file is refused with a message naming the file, line, rule and key; the CLI exits 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cleaner import Cleaner, Config, RuleError
from cleaner.cli import main

BAD = Path(__file__).resolve().parent / "bad_rules"
EXPECTED = json.loads((BAD / "expected.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_rule_file_message(name):
    path = BAD / name
    with pytest.raises(RuleError) as caught:
        Cleaner(Config(default_rules=False, rules=(str(path),)))
    assert str(caught.value).replace(str(path), name) == EXPECTED[name]


def test_every_bad_file_has_an_expected_message():
    assert sorted(p.name for p in BAD.glob("*.yaml")) == sorted(EXPECTED)


def test_cli_exits_2_with_message_and_no_output(capsys, monkeypatch):
    import io
    import sys

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"text\n")))
    status = main(["--rules", str(BAD / "unknown-rule-key.yaml")])
    captured = capsys.readouterr()
    assert status == 2
    assert captured.out == ""
    assert "unknown-rule-key.yaml:7:5" in captured.err and "max_word" in captured.err
    assert "Traceback" not in captured.err

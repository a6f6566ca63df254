"""Typography: ftfy's public cases, the fast path's exactness, and the file's own line endings and BOM."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import DEV

from cleaner import Cleaner, Config, TypographyConfig
from cleaner.typography import Typography, fix_mojibake, pinned_ftfy_config

CASES_DIR = Path(__file__).resolve().parents[2] / "shared" / "eval" / "ftfy-cases"
# Deliberate differences from ftfy's defaults: full-width forms are kept (CJK text uses them).
DIFFERENT_BY_DESIGN = {"Wide comma in UTF-8 / Windows-1252"}


def _cases(expectations: bool = True):
    if not CASES_DIR.is_dir():
        return [pytest.param(None, marks=pytest.mark.skip(reason=f"{CASES_DIR} not present"))]
    cases = []
    for path in sorted(CASES_DIR.glob("*.json")):
        for case in json.loads(path.read_text(encoding="utf-8")):
            marks = []
            if expectations and case["label"] in DIFFERENT_BY_DESIGN:
                marks.append(pytest.mark.xfail(strict=True, reason="a deliberate difference from ftfy's defaults"))
            elif expectations and case["expect"] != "pass":
                # ftfy's own known failures; under our quote and space style some of them come out right.
                marks.append(pytest.mark.xfail(strict=False, reason="a known ftfy failure"))
            cases.append(pytest.param(case, id=f"{path.stem}:{case['label'][:50]}", marks=marks))
    return cases


@pytest.fixture(scope="module")
def typeset():
    return Cleaner(Config(default_rules=False))


@pytest.mark.parametrize("case", _cases())
def test_ftfy_public_cases(typeset, case):
    # Compared after our own steps on both sides: quotes and spaces follow our style, not ftfy's.
    assert typeset.clean(case["original"]) == typeset.clean(case["fixed"])


def _ftfy_everywhere(line: str) -> str:
    import ftfy

    return ftfy.fix_text(line, pinned_ftfy_config())


@pytest.mark.parametrize("case", _cases(expectations=False))
def test_fast_path_equals_ftfy_on_every_line(case):
    for line in case["original"].split("\n") + case["fixed"].split("\n"):
        assert fix_mojibake(line) == _ftfy_everywhere(line)


@pytest.mark.skipif(not DEV.exists(), reason="dev set not present")
def test_fast_path_equals_ftfy_on_dev_inputs():
    seen = set()
    with DEV.open(encoding="utf-8") as fh:
        for record in map(json.loads, fh):
            for line in record["input"].split("\n"):
                if line in seen:
                    continue
                seen.add(line)
                assert fix_mojibake(line) == _ftfy_everywhere(line), line


def test_each_step_is_traced_by_name(typeset):
    text = "Caf\u00c3\u00a9 \u201cquoted\u201d\u00a0here\u200b  \n"
    result = typeset.clean_and_explain(text)
    assert result.text == 'Café "quoted" here\n'
    assert [e.rule for e in result.edits] == ["typography.mojibake", "typography.quotes", "typography.spaces",
                                              "typography.invisible", "typography.trailing-space"]


def test_blank_runs_collapse_and_one_final_newline(typeset):
    assert typeset.clean("\n\na\n\n\n\nb\n\n\n") == "a\n\nb\n"
    assert typeset.clean("a") == "a\n"
    assert typeset.clean("") == "" and typeset.clean("\n\n") == ""


def test_dashes_and_ellipsis_stay_unless_configured(typeset):
    assert typeset.clean("a \u2013 b \u2026\n") == "a \u2013 b \u2026\n"
    ascii_typeset = Cleaner(Config(default_rules=False, typography=TypographyConfig(dashes=True, ellipsis=True)))
    assert ascii_typeset.clean("a \u2013 b \u2026\n") == "a - b ...\n"


def test_curly_quotes_can_be_kept():
    keep = Cleaner(Config(default_rules=False, typography=TypographyConfig(quotes=False)))
    assert keep.clean("\u201cyes\u201d\n") == "\u201cyes\u201d\n"


def test_crlf_and_bom_belong_to_the_file(typeset):
    assert typeset.clean("\ufeffa\r\n\r\n\r\nb\r\n") == "\ufeffa\r\n\r\nb\r\n"


def test_control_characters_after_mojibake_repair(typeset):
    # The C1 bytes of mojibake are repaired into letters, not stripped as control characters.
    assert typeset.clean("He's Justin\u00e2\x9d\u00a4\n") == "He's Justin\u2764\n"
    assert typeset.clean("bell\x07 and soft\u00adhyphen\n") == "bell and softhyphen\n"


def test_a_joiner_that_joins_nothing_goes(typeset):
    # A paragraph of one zero-width joiner is a page's spacer: the reader sees an empty line.
    assert typeset.clean("First.\n\u200d\n\nSecond.\n") == "First.\n\nSecond.\n"
    assert typeset.clean("end\u200c \u200dstart\n") == "end start\n"
    # Between two characters a joiner builds an emoji or a conjunct: it stays.
    assert typeset.clean("\U0001f469\u200d\U0001f4bb at work, \u0915\u094d\u200d\u0937\n") == \
        "\U0001f469\u200d\U0001f4bb at work, \u0915\u094d\u200d\u0937\n"


def test_bytes_are_refused_with_a_hint(typeset):
    with pytest.raises(TypeError, match="decode"):
        typeset.clean(b"bytes")


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

MOJIBAKE_ALPHABET = st.sampled_from(list("aeZ \t&;.,!?’“”–—…éÃ©Â€œŠš¢£Ÿž\xa0\xad®°·»¡«¿ØÙâ„¢ïðñòóôõö×\x81\x9dﬁŉǌ\u0301ВГРСЂўΒΓΞΟβā√∂≈‚Ä "))


@settings(max_examples=3000, deadline=None)
@given(st.text(MOJIBAKE_ALPHABET, max_size=12))
def test_fast_path_equals_ftfy_on_mojibake_like_text(line):
    assert fix_mojibake(line) == _ftfy_everywhere(line)


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.text(st.sampled_from(list("ab &#;\t\r\x0b\x85\u2028 ’“é\xa0\u200bÃ©\x9d")), max_size=8), max_size=6))
def test_whole_text_screen_finds_every_line_a_step_changes(lines):
    typography = Typography(TypographyConfig())
    one_by_one = {n: typography.fix(line) for n, line in enumerate(lines) if typography.fix(line)[1]}
    assert {n: (fixed, changes) for n, fixed, changes in typography.fix_lines(lines)} == one_by_one

"""The auto preset: a document that opens like a whole page is cleaned with the page preset, any other
like article text; the thresholds are data in the page pack."""

from __future__ import annotations

import pickle

import pytest

from cleaner import Cleaner, Config, RuleError

MENU = "Home\nNews\nSport\nWeather\nTravel\nCulture\nSearch\nSign in\nSubscribe\nSkip to content\n"
ARTICLE_BODY = (
    "Council approves the new library\n"
    "The city council voted on Tuesday to build a new library on the site of the old market hall.\n"
    "Work will begin in the spring and the library should open its doors within two years.\n"
    "The mayor said the building would also house a small museum of the town's history.\n"
)
FOOTER = "About us\nContact\nPrivacy policy\nTerms of use\n© 2024 Example News\n"
PAGE = MENU + ARTICLE_BODY + FOOTER

AUTO = Cleaner(Config(preset="auto"))


def test_a_page_shaped_document_is_cleaned_as_a_page():
    result = AUTO.clean_and_explain(PAGE)
    assert result.preset == "page"
    assert result.text == Cleaner(Config(preset="page")).clean(PAGE)
    assert "Weather" not in result.text and "Privacy policy" not in result.text
    assert "The city council voted" in result.text


def test_article_text_is_cleaned_as_article_text():
    text = ARTICLE_BODY + "Share this article\n"
    result = AUTO.clean_and_explain(text)
    assert result.preset == "article"
    assert result.text == Cleaner().clean(text)


def test_named_presets_report_themselves():
    assert Cleaner().clean_and_explain(PAGE).preset == "article"
    assert Cleaner(Config(preset="page")).clean_and_explain(PAGE).preset == "page"


def test_auto_is_a_known_preset_and_survives_pickling():
    assert "auto" in Cleaner().presets
    clone = pickle.loads(pickle.dumps(AUTO))
    assert clone.clean(PAGE) == AUTO.clean(PAGE)


def _pack(tmp_path, body: str):
    path = tmp_path / "mine.yaml"
    path.write_text(body, encoding="utf-8")
    return path


RULE = """rules:
  - id: label
    kind: drop-line
    description: A label.
    match: 'menu'
    examples: {remove: [Menu], keep: [Menu of the day]}
"""


@pytest.mark.parametrize("header, message", [
    ("auto: {first_lines: 40}\n", "exactly one preset"),
    ("presets: [page]\nauto: {first_line: 40}\n", "unknown key"),
    ("presets: [page]\nauto: {min_short_share: 1.5}\n", "between 0 and 1"),
    ("presets: [page]\nauto: 0.5\n", "must be a mapping"),
    ("presets: [auto]\n", "picks another per document"),
])
def test_bad_auto_settings_are_refused(tmp_path, header, message):
    path = _pack(tmp_path, "description: mine\n" + header + RULE)
    with pytest.raises(RuleError, match=message) as caught:
        Cleaner(Config(default_rules=False, rules=(str(path),)))
    assert "mine.yaml:" in str(caught.value)


def test_a_users_pack_can_claim_a_shape_for_its_own_preset(tmp_path):
    path = _pack(tmp_path, "description: mine\npresets: [menus]\nauto: {first_lines: 5, short_max_words: 1, "
                           "min_short_share: 0.8}\n" + RULE)
    cleaner = Cleaner(Config(default_rules=False, rules=(str(path),), preset="auto"))
    assert cleaner.clean_and_explain("Menu\nA\nB\nC\nD\n").preset == "menus"
    assert cleaner.clean_and_explain("Menu of the day, with soup.\nA\nB\n").preset == "article"

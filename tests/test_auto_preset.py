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
FOOTER = "About us\nCareers\nContact\nPrivacy policy\nTerms of use\n© 2024 Example News\n"
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
    assert result.text == Cleaner(Config(preset="article")).clean(text)


def test_named_presets_report_themselves():
    assert Cleaner(Config(preset="article")).clean_and_explain(PAGE).preset == "article"
    assert Cleaner(Config(preset="page")).clean_and_explain(PAGE).preset == "page"


def test_a_short_text_is_no_page():
    # A page has navigation, a body and a footer: two lines of three words are a note, not a menu.
    assert AUTO.clean_and_explain("Body line one.\nVisit our site\n").preset == "article"


def test_auto_is_the_default():
    assert Cleaner().config.preset == "auto"
    assert Cleaner().clean_and_explain(PAGE).preset == "page"


def test_a_text_that_opens_like_a_page_once_its_chrome_is_gone_is_a_page():
    # Long chrome lines above the menu hide its shape; once the article rules take them, the text opens
    # like a page: it is cleaned as one, so that cleaning the output again changes nothing.
    chrome = ("Media playback is unsupported on your device\nSign up to our newsletter for exclusive updates\n"
              "Image copyright Getty Images\nLike this story? Share it with a friend!\nJoin our commenting forum\n"
              "Please refresh the page to be logged in\nThank you for registering\n"
              "CLICK HERE TO GET THE NEWS APP\nShare this article with a friend\n"
              "Comments are closed for this article\nFollow us on Twitter and Facebook\n")
    text = chrome + MENU + ARTICLE_BODY + FOOTER + "Advertise\nArchive\nSitemap\nJobs\n"
    result = AUTO.clean_and_explain(text)
    assert result.preset == "page"
    assert "Weather" not in result.text and "The city council voted" in result.text
    assert AUTO.clean(result.text) == result.text


LONG_MENU = ("News Sport Weather Travel Culture Business Science Health Entertainment Video\n"
             "Search the archive of stories by date, by topic or by the name of the author\n")
PARAGRAPHS = "".join(f"Paragraph {n} of the story goes on for a good many words about the library plans.\n"
                     for n in range(24))


def test_a_page_whose_menu_sits_on_long_lines_is_known_by_its_frame():
    # Few short lines at the head, but a sign-in link, a privacy policy and a copyright line frame it.
    text = LONG_MENU + "Sign in\nSubscribe\nMenu\nEdition\n" + PARAGRAPHS + "Privacy policy\nAll rights reserved\nContact us\n"
    assert AUTO.clean_and_explain(text).preset == "page"


@pytest.mark.parametrize("head, foot", [
    ("Главная\nО нас\nПоиск\n", "Контакты\nВсе права защищены\n"),
    ("Beranda\nTentang Kami\nIklan\n", "Kebijakan Privasi\nHak Cipta\n"),
    ("Inloggen\nZoeken\nOver ons\n", "Privacybeleid\nAlle rechten voorbehouden\n"),
])
def test_a_page_framed_in_a_language_without_a_pack_is_known_by_its_frame(head, foot):
    # The frame phrases cover the languages of the stop-word lists, not only those with chrome packs.
    text = LONG_MENU + head + PARAGRAPHS + foot
    assert AUTO.clean_and_explain(text).preset == "page"


def test_article_text_naming_two_frame_phrases_stays_article_text():
    # An article may say "privacy" and "search" in its prose; a page's frame holds three phrases or more.
    text = ("Regulators search for answers on privacy\n" + PARAGRAPHS + "Short line\nAnother one\n" * 5)
    assert AUTO.clean_and_explain(text).preset == "article"


def test_frame_phrases_match_whole_words_only():
    text = "Homework\nResearch notes\nMenus we love\nPrivacy\n" + PARAGRAPHS + "Copyrighted\nSearching\n"
    assert AUTO.clean_and_explain(text).preset == "article"


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
    ("presets: [page]\nauto: {furniture_short_share: 1.5}\n", "between 0 and 1"),
    ("presets: [page]\nauto: {furniture: [1, 2]}\n", "list of strings"),
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
                           "min_short_share: 0.8, min_lines: 5}\n" + RULE)
    cleaner = Cleaner(Config(default_rules=False, rules=(str(path),), preset="auto"))
    assert cleaner.clean_and_explain("Menu\nA\nB\nC\nD\n").preset == "menus"
    assert cleaner.clean_and_explain("Menu of the day, with soup.\nA\nB\n").preset == "article"


def test_without_a_pack_that_claims_a_shape_the_default_cleans_as_article_text(tmp_path):
    cleaner = Cleaner(Config(default_rules=False, rules=(str(_pack(tmp_path, "description: mine\n" + RULE)),)))
    assert cleaner.clean_and_explain("Menu\nA\nB\nC\nD\n").preset == "article"

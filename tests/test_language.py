"""Which language a document is in: told by the stop words of its prose, so that its language packs run."""

from __future__ import annotations

import pytest

from cleaner.language import detect, load_stopwords
from cleaner.loader import builtin_rules_dir

STOPWORDS = load_stopwords(builtin_rules_dir() / "_stopwords")

PROSE = {
    "en": "The council said on Tuesday that the new library would be built on the site of the old market hall.",
    "de": "Der Stadtrat hat am Dienstag beschlossen, dass die neue Bibliothek auf dem Gelände der alten Markthalle "
          "gebaut wird.",
    "id": "Dewan kota mengatakan pada hari Selasa bahwa perpustakaan baru akan dibangun di atas lahan bekas pasar "
          "yang sudah lama tidak dipakai oleh warga.",
    "ru": "Городской совет во вторник заявил, что новая библиотека будет построена на месте старого рынка, который "
          "давно не работает.",
}


@pytest.mark.parametrize("language", sorted(PROSE))
def test_prose_is_told_by_its_stop_words(language):
    assert detect((PROSE[language] + "\n") * 3, STOPWORDS) == language


def test_a_page_that_opens_with_sidebars_is_told_by_its_prose():
    # Menus, category lists and teaser titles fill the opening of a whole page; its prose comes later.
    sidebar = "".join(f"Kategori {n}\nJadwal Kajian Rutin Pekan {n}\nTokoh Islam Nusantara {n}\n" for n in range(120))
    text = sidebar + (PROSE["id"] + "\n") * 4
    assert len(sidebar) > 3000
    assert detect(text, STOPWORDS) == "id"


def test_a_text_of_short_lines_is_told_by_its_opening():
    text = "Der Bericht\nund die Stadt\nist in der Nacht\nmit dem Zug\nan die Grenze\nvon der Polizei\n" * 3
    assert detect(text, STOPWORDS) == "de"


def test_a_text_without_stop_words_has_no_language():
    assert detect("Xylophone quartz 42\nZebra 7 9 11 13 17\n", STOPWORDS) is None
    assert detect("", STOPWORDS) is None


def test_a_languages_rules_are_built_when_a_document_in_it_comes():
    # Start-up compiles the generic rules only: a run over English text never builds the other languages'.
    from cleaner import Cleaner

    cleaner = Cleaner()
    assert cleaner._rulesets == {}
    cleaner.clean((PROSE["en"] + "\n") * 3)
    assert set(cleaner._rulesets) == {(None, None)}
    cleaner.clean((PROSE["de"] + "\n") * 3)
    assert set(cleaner._rulesets) == {(None, None), (None, "de")}

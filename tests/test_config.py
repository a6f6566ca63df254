"""Settings from [tool.cleaner] in pyproject.toml or a cleaner.toml, and how command-line flags override them."""

from __future__ import annotations

import io
import sys

import argparse

import pytest
from test_corpus import TEST_PACK

from cleaner.cli import main
from cleaner.config import Settings, apply_arguments, load

DIRTY = "\u201cHeadline\u201d here\n\nA body line that ends here.\nComments\n"
SITE_PACK = ("description: my site\ndomains: [example.com]\nrules:\n"
             "  - id: promo\n    kind: drop-line\n    description: Our own promo line.\n    match: 'get the app'\n"
             "    examples: {remove: [Get the app], keep: ['Get the app? No, she said.']}\n")


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "chrome.yaml").write_text(TEST_PACK, encoding="utf-8")
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / "a.txt").write_text(DIRTY, encoding="utf-8")
    return tmp_path


def pyproject(folder, body: str, own_pack: bool = True):
    """A pyproject.toml with these settings; by default on the test pack alone (see test_corpus.TEST_PACK)."""
    pack = 'default-rules = false\nrules = ["chrome.yaml"]\n' if own_pack else ""
    (folder / "pyproject.toml").write_text(f"[project]\nname = 'x'\n\n[tool.cleaner]\n{pack}{body}", encoding="utf-8")


def run(capsys, *argv):
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def filter_text(monkeypatch, capsysbinary, argv, text: str):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text.encode())))
    status = main(argv)
    out, err = capsysbinary.readouterr()
    return status, out.decode(), err.decode()


def test_found_from_the_working_folder_upwards(project, capsys, monkeypatch):
    pyproject(project, 'ignore = ["chrome.comments"]\n[tool.cleaner.typography]\nquotes = false\n')
    monkeypatch.chdir(project / "corpus")
    assert run(capsys, "check", "a.txt") == (0, "", "")
    settings = load(None)
    assert settings.source == project / "pyproject.toml" and settings.root == project


def test_a_pyproject_without_the_table_is_passed_over(project, capsys, monkeypatch):
    pyproject(project, 'ignore = ["chrome.comments"]\n')
    (project / "corpus" / "pyproject.toml").write_text("[project]\nname = 'inner'\n", encoding="utf-8")
    monkeypatch.chdir(project / "corpus")
    assert load(None).source == project / "pyproject.toml"


def test_config_file_option_with_a_cleaner_toml(project, capsys, tmp_path_factory):
    elsewhere = tmp_path_factory.mktemp("settings")
    (elsewhere / "packs").mkdir()
    (elsewhere / "packs" / "mysite.yaml").write_text(SITE_PACK, encoding="utf-8")
    (elsewhere / "cleaner.toml").write_text(
        'rules = ["packs"]\nselect = ["mysite"]\ntypography = { quotes = false, trailing-space = false }\n',
        encoding="utf-8")
    (project / "corpus" / "a.txt").write_text("\u201cBody\u201d.\nGet the app\nComments\n", encoding="utf-8")
    assert run(capsys, "fix", "--config", str(elsewhere / "cleaner.toml"), "--url", "example.com", "corpus")[0] == 1
    # The pack path is relative to the settings file; only the selected pack ran; quotes were kept.
    assert (project / "corpus" / "a.txt").read_text(encoding="utf-8") == "\u201cBody\u201d.\nComments\n"


def test_config_option_naming_a_pyproject_without_the_table(project, capsys):
    (project / "pyproject.toml").write_text("[project]\nname = 'x'\n", encoding="utf-8")
    status, _, err = run(capsys, "check", "--config", "pyproject.toml", "corpus")
    assert status == 2 and "pyproject.toml: no [tool.cleaner] table" in err


@pytest.mark.parametrize("body, message", [
    ("selct = ['chrome']\n", "unknown key 'selct'; allowed: rules, default-rules, select"),
    ("select = 'chrome'\n", "key 'select' must be a list of strings"),
    ("drop-headline = 'yes'\n", "key 'drop-headline' must be true or false"),
    ("[tool.cleaner.typography]\ncurly = true\n", "unknown key 'typography.curly'; allowed: mojibake, quotes"),
    ("[tool.cleaner.url-map]\n'a/*' = 3\n", "key 'url-map' must be a table"),
    ("select = [\n", "invalid TOML"),
])
def test_bad_settings_exit_2_naming_the_file(project, capsys, body, message):
    pyproject(project, body)
    status, out, err = run(capsys, "fix", "corpus")
    assert (status, out) == (2, "")
    assert f"{project / 'pyproject.toml'}: {message}" in err
    assert (project / "corpus" / "a.txt").read_text(encoding="utf-8") == DIRTY


def test_unknown_rule_id_in_settings_is_a_rule_error(project, capsys):
    pyproject(project, 'ignore = ["no.such-rule"]\n')
    status, _, err = run(capsys, "check", "corpus")
    assert status == 2 and "no rule or pack named 'no.such-rule'" in err


def test_command_line_flags_win(project, capsys):
    pyproject(project, 'select = ["chrome.headline"]\n[tool.cleaner.typography]\nquotes = false\n')
    assert run(capsys, "check", "corpus")[0] == 0  # headline only, quotes kept: nothing to do
    assert run(capsys, "check", "--select", "chrome.comments", "corpus")[0] == 1  # --select replaces
    assert run(capsys, "check", "--select", "chrome", "--ignore", "chrome.comments", "corpus")[0] == 0  # adds
    assert run(capsys, "check", "--keep-quotes", "--select", "chrome.headline", "corpus")[0] == 0


def test_how_each_flag_combines_with_the_file(tmp_path):
    (tmp_path / "cleaner.toml").write_text(
        'rules = ["a.yaml"]\nselect = ["x"]\nignore = ["y"]\ninclude = ["*.text"]\nexclude = ["old"]\n'
        '[typography]\ndashes = true\n', encoding="utf-8")
    settings = load(str(tmp_path / "cleaner.toml"))
    flags = argparse.Namespace(rules=["b.yaml"], no_default_rules=True, select=["z"], ignore=["w"],
                               include=["*.txt"], exclude=None, drop_headline=True, keep_quotes=True)
    merged = apply_arguments(settings, flags)
    assert merged.config.rules == (str(tmp_path / "a.yaml"), "b.yaml")
    assert (merged.config.default_rules, merged.config.select, merged.config.ignore) == (False, ("z",), ("y", "w"))
    assert (merged.include, merged.exclude, merged.config.drop_headline) == (("*.txt",), ("old",), True)
    assert (merged.config.typography.dashes, merged.config.typography.quotes) == (True, False)
    off = apply_arguments(settings, argparse.Namespace(no_typography=True)).config.typography
    assert not any((off.mojibake, off.quotes, off.dashes, off.spaces, off.invisible, off.trailing_space))
    assert apply_arguments(Settings(), argparse.Namespace()) == Settings(root=Settings().root)


def test_include_exclude_and_url_map(project, capsys):
    (project / "packs").mkdir()
    (project / "packs" / "mysite.yaml").write_text(SITE_PACK, encoding="utf-8")
    (project / "corpus" / "site").mkdir()
    (project / "corpus" / "site" / "b.text").write_text("Body.\nGet the app\n", encoding="utf-8")
    (project / "corpus" / "c.text").write_text("Body.\nGet the app\n", encoding="utf-8")
    pyproject(project, 'default-rules = false\nrules = ["chrome.yaml", "packs"]\ninclude = ["*.text"]\n'
                       'exclude = ["drafts"]\n[tool.cleaner.url-map]\n"corpus/site/*" = "example.com"\n',
              own_pack=False)
    (project / "corpus" / "drafts").mkdir()
    (project / "corpus" / "drafts" / "d.text").write_text("Body.\nGet the app\n", encoding="utf-8")
    assert run(capsys, "fix", "corpus") == (1, "Fixing corpus/site/b.text\n", "")
    assert (project / "corpus" / "c.text").read_text(encoding="utf-8") == "Body.\nGet the app\n"
    assert (project / "corpus" / "a.txt").read_text(encoding="utf-8") == DIRTY  # not included any more
    # --include replaces the configured list.
    assert run(capsys, "check", "--include", "*.txt", "corpus") == (1, "Would fix corpus/a.txt\n", "")


def test_the_stdin_filter_reads_the_same_settings(project, monkeypatch, capsysbinary):
    pyproject(project, 'ignore = ["chrome.comments"]\n[tool.cleaner.typography]\nquotes = false\n')
    assert filter_text(monkeypatch, capsysbinary, [], DIRTY) == (0, DIRTY, "")
    status, out, _ = filter_text(monkeypatch, capsysbinary, ["--drop-headline"], DIRTY)
    assert (status, out) == (0, DIRTY.split("\n", 2)[2])
    status, out, err = filter_text(monkeypatch, capsysbinary, ["--select", "no-such-pack"], DIRTY)
    assert status == 2 and "no-such-pack" in err


def test_no_settings_file_means_defaults(project):
    settings = load(None)
    assert settings.source is None and settings.include == ("*.txt",) and settings.root == project

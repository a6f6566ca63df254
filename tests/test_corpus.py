"""`cleaner fix` and `cleaner check` on files: in-process through main(), and once through the console script."""

from __future__ import annotations

import os
import signal
import stat
import subprocess

import pytest

import cleaner.corpus
import cleaner.files
from cleaner.cli import main

# The file layer is tested against this pack alone, so that work on the built-in packs cannot change
# these results (the pre-commit test runs the built-in packs end to end).
TEST_PACK = r"""description: Chrome for the file-layer tests, independent of the built-in packs.
rules:
  - id: headline
    kind: lift
    description: The first line, short and not ended by a full stop, is the headline.
    within: {head: 1}
    max_words: 20
    block:
      - field: title
        content: true
        match: '(?P<value>(?:\S+\s+){0,19}\S*[^.\s])'
    examples:
      documents:
        - input: "Storm closes schools\n\nHeavy snow closed more than two hundred schools on Tuesday.\n"
          output: "Storm closes schools\n\nHeavy snow closed more than two hundred schools on Tuesday.\n"
          metadata: {title: Storm closes schools}
  - id: comments
    kind: drop-line
    description: A bare comments counter.
    match: '(?:\d+ )?comments'
    examples: {remove: [Comments, 12 comments], keep: ['Comments were closed, she said.']}
"""
TEST_SETTINGS = '[tool.cleaner]\ndefault-rules = false\nrules = ["chrome.yaml"]\n'
DIRTY = "Headline here\n\nA body line that ends here.\nComments\n"
CLEANED = "Headline here\n\nA body line that ends here.\n"
CLEAN = "A clean line of text.\n"


@pytest.fixture
def tree(tmp_path, monkeypatch):
    """A corpus folder as the working folder: one dirty and one clean .txt, a .md that must stay untouched."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "chrome.yaml").write_text(TEST_PACK, encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text(TEST_SETTINGS, encoding="utf-8")
    (tmp_path / "corpus" / "nested").mkdir(parents=True)
    (tmp_path / "corpus" / "nested" / "dirty.txt").write_text(DIRTY, encoding="utf-8")
    (tmp_path / "corpus" / "clean.txt").write_text(CLEAN, encoding="utf-8")
    (tmp_path / "corpus" / "notes.md").write_text(DIRTY, encoding="utf-8")
    return tmp_path


def run(capsys, *argv):
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def leftovers(folder):
    return [p for p in folder.rglob("*") if "cleaner-tmp" in p.name]


def test_fix_rewrites_changed_files_only_then_passes(tree, capsys):
    clean_stat = os.stat("corpus/clean.txt")
    assert run(capsys, "fix", "corpus") == (1, "Fixing corpus/nested/dirty.txt\n", "")
    assert (tree / "corpus/nested/dirty.txt").read_text(encoding="utf-8") == CLEANED
    assert (tree / "corpus/notes.md").read_text(encoding="utf-8") == DIRTY  # only *.txt by default
    assert os.stat("corpus/clean.txt").st_mtime_ns == clean_stat.st_mtime_ns  # never opened for writing
    assert os.stat("corpus/clean.txt").st_ino == clean_stat.st_ino
    assert run(capsys, "fix", "corpus") == (0, "", "")
    assert leftovers(tree) == []


def test_check_lists_and_changes_nothing(tree, capsys):
    assert run(capsys, "check", "corpus") == (1, "Would fix corpus/nested/dirty.txt\n", "")
    assert (tree / "corpus/nested/dirty.txt").read_text(encoding="utf-8") == DIRTY
    assert run(capsys, "check", "corpus/clean.txt") == (0, "", "")


def test_diff_prints_a_unified_diff_and_writes_nothing(tree, capsys):
    for command in ("fix", "check"):
        status, out, _ = run(capsys, command, "--diff", "corpus")
        assert status == 1
        assert out == ("--- corpus/nested/dirty.txt\n+++ corpus/nested/dirty.txt\n@@ -1,4 +1,3 @@\n"
                       " Headline here\n \n A body line that ends here.\n-Comments\n")
    assert (tree / "corpus/nested/dirty.txt").read_text(encoding="utf-8") == DIRTY


def test_diff_marks_a_missing_final_newline(tree, capsys):
    (tree / "last.txt").write_text("Body line.\n\u201cquoted\u201d", encoding="utf-8")
    status, out, _ = run(capsys, "check", "--diff", "last.txt")
    assert status == 1
    assert out.endswith('-\u201cquoted\u201d\n\\ No newline at end of file\n+"quoted"\n')


def test_explain_and_statistics(tree, capsys):
    (tree / "corpus/quotes.txt").write_text("\u201cOne\u201d and \u2018two\u2019.\nComments\n", encoding="utf-8")
    status, out, _ = run(capsys, "check", "--explain", "corpus")
    assert status == 1
    assert "corpus/nested/dirty.txt:\n4:chrome.comments:remove:Comments\n" in out
    assert "corpus/quotes.txt:\n1:typography.quotes:replace:" in out
    status, out, _ = run(capsys, "check", "--statistics", "corpus")
    assert (status, out) == (1, "2\tchrome.comments\n1\ttypography.quotes\n")


def test_include_exclude_and_skipped_folders(tree, capsys):
    (tree / "corpus/.git").mkdir()
    (tree / "corpus/.git/dirty.txt").write_text(DIRTY, encoding="utf-8")
    (tree / "corpus/venv").mkdir()
    (tree / "corpus/venv/pyvenv.cfg").write_text("home = /usr\n", encoding="utf-8")
    (tree / "corpus/venv/LICENSE.txt").write_text(DIRTY, encoding="utf-8")
    assert run(capsys, "check", "corpus")[1] == "Would fix corpus/nested/dirty.txt\n"
    assert run(capsys, "check", "--include", "*.md", "corpus")[1] == "Would fix corpus/notes.md\n"
    assert run(capsys, "check", "--exclude", "nested", "corpus") == (0, "", "")
    assert run(capsys, "check", "--exclude", "corpus/nested/*.txt", "corpus") == (0, "", "")


def test_a_named_file_outside_include_is_reported_not_cleaned(tree, capsys):
    status, out, err = run(capsys, "fix", "corpus/notes.md")
    assert (status, out) == (0, "")
    assert "skipping corpus/notes.md: not matched by include (*.txt)" in err
    assert (tree / "corpus/notes.md").read_text(encoding="utf-8") == DIRTY


def test_missing_path_is_a_usage_error_before_any_write(tree, capsys):
    status, _, err = run(capsys, "fix", "corpus", "no-such-folder")
    assert status == 2 and "no such file or folder: no-such-folder" in err
    assert (tree / "corpus/nested/dirty.txt").read_text(encoding="utf-8") == DIRTY
    with pytest.raises(SystemExit) as exited:
        main(["fix"])
    assert exited.value.code == 2


def test_rule_options(tree, capsys):
    assert run(capsys, "check", "--ignore", "chrome.comments", "corpus")[0] == 0
    assert run(capsys, "check", "--select", "chrome.headline", "corpus")[0] == 0
    assert run(capsys, "check", "--select", "chrome", "corpus")[0] == 1
    status, _, err = run(capsys, "fix", "--select", "nosuchpack", "corpus")
    assert status == 2 and "nosuchpack" in err
    assert (tree / "corpus/nested/dirty.txt").read_text(encoding="utf-8") == DIRTY


def test_site_pack_chosen_by_url(tree, capsys):
    pack = tree / "mysite.yaml"
    pack.write_text(
        "description: my site\ndomains: [example.com]\nrules:\n"
        "  - id: promo\n    kind: drop-line\n    description: Our own promo line.\n    match: 'get the app'\n"
        "    examples: {remove: [Get the app], keep: ['Get the app? No, she said.']}\n", encoding="utf-8")
    (tree / "corpus/clean.txt").write_text("Body line.\nGet the app\n", encoding="utf-8")
    assert run(capsys, "check", "--rules", str(pack), "corpus/clean.txt")[0] == 0
    assert run(capsys, "check", "--rules", str(pack), "--url", "https://www.example.com/a", "corpus/clean.txt")[0] == 1


def test_crlf_bom_and_mode_are_kept(tree, capsys):
    path = tree / "corpus/nested/dirty.txt"
    path.write_bytes(b"\xef\xbb\xbf" + DIRTY.replace("\n", "\r\n").encode())
    path.chmod(0o640)
    assert run(capsys, "fix", str(path))[0] == 1
    assert path.read_bytes() == b"\xef\xbb\xbf" + CLEANED.replace("\n", "\r\n").encode()
    assert stat.S_IMODE(path.stat().st_mode) == 0o640


def test_a_symlink_stays_a_link(tree, capsys):
    link = tree / "link.txt"
    link.symlink_to(tree / "corpus/nested/dirty.txt")
    assert run(capsys, "fix", "link.txt")[0] == 1
    assert link.is_symlink() and link.read_text(encoding="utf-8") == CLEANED


def test_binary_and_invalid_utf8_files_are_skipped(tree, capsys):
    (tree / "corpus/binary.txt").write_bytes(b"Comments\n\x00\x01\n")
    (tree / "corpus/latin1.txt").write_bytes(b"Comments\ncaf\xe9\n")
    status, out, err = run(capsys, "fix", "corpus/binary.txt", "corpus/latin1.txt")
    assert (status, out) == (0, "")
    assert "skipping corpus/binary.txt: binary file (NUL byte)" in err
    assert "skipping corpus/latin1.txt: not valid UTF-8 (byte 12, line 2)" in err
    assert (tree / "corpus/latin1.txt").read_bytes() == b"Comments\ncaf\xe9\n"


def test_interrupt_during_the_write_leaves_no_temporary_file(tree, capsys, monkeypatch):
    def interrupted(src, dst):
        raise KeyboardInterrupt

    monkeypatch.setattr(cleaner.files.os, "replace", interrupted)
    assert run(capsys, "fix", "corpus")[0] == 130
    assert (tree / "corpus/nested/dirty.txt").read_text(encoding="utf-8") == DIRTY
    assert leftovers(tree) == []


def test_ctrl_c_is_held_off_until_the_write_is_done(tree, capsys, monkeypatch):
    real_fsync = os.fsync

    def fsync_with_ctrl_c(fd):
        os.kill(os.getpid(), signal.SIGINT)  # a real SIGINT in the middle of the write window
        real_fsync(fd)

    monkeypatch.setattr(cleaner.files.os, "fsync", fsync_with_ctrl_c)
    assert run(capsys, "fix", "corpus")[0] == 130
    assert (tree / "corpus/nested/dirty.txt").read_text(encoding="utf-8") == CLEANED  # whole, not torn
    assert leftovers(tree) == []
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_a_failed_write_is_reported_and_leaves_the_file(tree, capsys, monkeypatch):
    def disk_full(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(cleaner.files.os, "fsync", disk_full)
    status, _, err = run(capsys, "fix", "corpus")
    assert status == 2 and "cannot write corpus/nested/dirty.txt: No space left on device" in err
    assert (tree / "corpus/nested/dirty.txt").read_text(encoding="utf-8") == DIRTY
    assert leftovers(tree) == []


@pytest.mark.parametrize("marker", ["# cleaner: skip-file", "<!-- cleaner: skip-file -->"])
def test_skip_file_marker(tree, capsys, marker):
    path = tree / "corpus/nested/dirty.txt"
    path.write_text(f"{marker}\n{DIRTY}", encoding="utf-8")
    assert run(capsys, "fix", "corpus") == (0, "", "")
    assert path.read_text(encoding="utf-8") == f"{marker}\n{DIRTY}"


def test_markers_count_only_in_the_first_five_lines(tree, capsys):
    path = tree / "corpus/nested/dirty.txt"
    path.write_text("One.\n\nTwo.\n\nThree.\n# cleaner: skip-file\nComments\n", encoding="utf-8")
    assert run(capsys, "fix", str(path))[0] == 1
    assert path.read_text(encoding="utf-8") == "One.\n\nTwo.\n\nThree.\n# cleaner: skip-file\n"


def test_ignore_marker_keeps_the_marker_and_the_rule_off(tree, capsys):
    path = tree / "corpus/nested/dirty.txt"
    path.write_text("<!-- cleaner: ignore=chrome.comments -->\n\u201cQuoted\u201d headline\n\nBody.\nComments\n",
                    encoding="utf-8")
    status, out, _ = run(capsys, "fix", "--explain", str(path))
    assert status == 1
    # Typography still runs, the ignored rule does not, and edit line numbers are the file's own.
    assert out.endswith(":\n2:typography.quotes:replace:\u201cQuoted\u201d headline -> \"Quoted\" headline\n")
    assert path.read_text(encoding="utf-8") == "<!-- cleaner: ignore=chrome.comments -->\n\"Quoted\" headline\n\n" \
                                               "Body.\nComments\n"
    assert run(capsys, "check", "--drop-headline", str(path)) == (1, f"Would fix {path}\n", "")
    assert run(capsys, "fix", "--drop-headline", str(path))[0] == 1
    assert path.read_text(encoding="utf-8").startswith("<!-- cleaner: ignore=chrome.comments -->\n")  # kept


def test_one_cleaner_per_ignore_set_within_a_run(tree, capsys, monkeypatch):
    built = []

    class Counting(cleaner.corpus.Cleaner):
        def __init__(self, config):
            built.append(config.ignore)
            super().__init__(config)

    monkeypatch.setattr(cleaner.corpus, "Cleaner", Counting)
    for n in range(3):
        (tree / f"corpus/ignore{n}.txt").write_text(f"# cleaner: ignore=chrome.comments\n{DIRTY}", encoding="utf-8")
    both = f"# cleaner: ignore=chrome.comments, chrome.headline\n{DIRTY}"
    (tree / "corpus/both.txt").write_text(both, encoding="utf-8")
    assert run(capsys, "check", "corpus")[0] == 1
    assert sorted(built) == [(), ("chrome.comments",), ("chrome.comments", "chrome.headline")]


@pytest.mark.parametrize("marker, message", [
    ("# cleaner: skipfile", "line 1: unknown marker 'cleaner:skipfile'"),
    ("# cleaner: ignore=no.such-rule", "line 1: no rule or pack named 'no.such-rule'"),
])
def test_bad_markers_are_errors_naming_the_file(tree, capsys, marker, message):
    path = tree / "corpus/nested/dirty.txt"
    path.write_text(f"{marker}\n{DIRTY}", encoding="utf-8")
    status, out, err = run(capsys, "fix", "corpus")
    assert status == 2 and out == ""
    assert f"cleaner: corpus/nested/dirty.txt: {message}" in err
    assert path.read_text(encoding="utf-8") == f"{marker}\n{DIRTY}"


def test_console_script(tree):
    done = subprocess.run(["cleaner", "check", "corpus"], capture_output=True, timeout=60)
    assert (done.returncode, done.stdout, done.stderr) == (1, b"Would fix corpus/nested/dirty.txt\n", b"")
    done = subprocess.run(["cleaner", "fix", "corpus"], capture_output=True, timeout=60)
    assert (done.returncode, done.stdout) == (1, b"Fixing corpus/nested/dirty.txt\n")
    assert subprocess.run(["cleaner", "check", "corpus"], capture_output=True, timeout=60).returncode == 0


def test_fix_on_all_cores_equals_one_core(tmp_path):
    """-j 2 writes the same files and prints the same report as -j 1."""
    import shutil
    import subprocess

    source = tmp_path / "source"
    source.mkdir()
    for n in range(40):
        (source / f"page{n:02d}.txt").write_text(
            f"Story number {n} begins here and carries on as body text does.\n\nComments\n\n"
            "Join our commenting forum\n\u201cQuoted,\u201d she said.\n", encoding="utf-8")
    outputs = []
    for jobs in ("1", "2"):
        folder = tmp_path / f"j{jobs}"
        shutil.copytree(source, folder)
        done = subprocess.run(["cleaner", "fix", "-j", jobs, "--no-default-rules", str(folder)], capture_output=True,
                              text=True, cwd=folder, timeout=120)
        assert done.returncode == 1, done.stderr
        outputs.append(([p.read_bytes() for p in sorted(folder.glob("*.txt"))],
                        done.stdout.replace(str(folder), "X")))
    assert outputs[0] == outputs[1]


@pytest.mark.parametrize("report", [[], ["--diff"], ["--explain"], ["--statistics"]])
def test_check_on_all_cores_reports_as_one_core(tmp_path, monkeypatch, capsys, report):
    """Workers send back only what a check prints: every report is the same with -j 2 as with -j 1."""
    monkeypatch.chdir(tmp_path)
    pages = {}
    for n in range(20):
        pages[f"page{n:02d}.txt"] = (f"Story number {n} begins here and carries on as body text does.\n"
                                     + ("\nJoin our commenting forum\n" if n % 3 else ""))
        (tmp_path / f"page{n:02d}.txt").write_text(pages[f"page{n:02d}.txt"], encoding="utf-8")
    printed = []
    for jobs in ("1", "2"):
        assert main(["check", "-j", jobs, *report, "."]) == 1
        printed.append(capsys.readouterr().out)
    assert printed[0] == printed[1]
    assert ("comments.join-prompt" if report == ["--statistics"] else "page19.txt") in printed[0]
    assert "page18.txt" not in printed[0]  # unchanged
    assert {name: (tmp_path / name).read_text(encoding="utf-8") for name in pages} == pages

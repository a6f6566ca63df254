"""`cleaner jsonl`: in-process through main(), and once through the console script."""

from __future__ import annotations

import gzip
import io
import json
import subprocess
import sys

import pytest
from conftest import RUNAWAY_PACK, SEED

from cleaner import Cleaner, Config, __version__
from cleaner.cli import main

# Records are cleaned with this pack alone where the test is about the file layer, so that work on the
# built-in packs cannot change these results; the built-in packs are used where the text must equal clean().
TEST_PACK = r"""description: Chrome for the JSONL tests, independent of the built-in packs.
rules:
  - id: comments
    kind: drop-line
    description: A bare comments counter.
    match: '(?:\d+ )?comments'
    examples: {remove: [Comments, 12 comments], keep: ['Comments were closed, she said.']}
  - id: newsletter
    kind: drop-line
    description: A newsletter prompt.
    match: 'sign up to our newsletter'
    examples: {remove: [Sign up to our newsletter], keep: ['She did not sign up to our newsletter, she said.']}
"""
BODY = "A body line that ends here."


@pytest.fixture
def work(tmp_path, monkeypatch):
    """The working folder, with the test pack configured (and no settings from the checkout)."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "chrome.yaml").write_text(TEST_PACK, encoding="utf-8")
    (tmp_path / "cleaner.toml").write_text('default-rules = false\nrules = ["chrome.yaml"]\n', encoding="utf-8")
    return tmp_path


def write_jsonl(path, records, opener=open):
    with opener(path, "wt", encoding="utf-8") as handle:
        for record in records:
            handle.write(record if isinstance(record, str) else json.dumps(record, ensure_ascii=False))
            handle.write("\n")


def read_jsonl(path, opener=open):
    with opener(path, "rt", encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


RECORDS = [
    {"id": 1, "text": f"{BODY}\nComments\n", "lang": "en"},
    {"text": f"{BODY}\n", "id": 2},
    {"id": 3, "meta": {"nested": [1, 2.5, None, True]}, "text": f"{BODY}\nSign up to our newsletter\n12 comments\n"},
]


def test_cleans_the_text_field_and_keeps_every_other_field_in_order(work, capsys):
    write_jsonl(work / "in.jsonl", RECORDS)
    assert main(["jsonl", "in.jsonl", "-o", "out.jsonl", "-j", "1"]) == 0
    out = read_jsonl(work / "out.jsonl")
    assert [list(r) for r in out] == [list(r) for r in RECORDS]  # key order kept, nothing added
    assert [r["text"] for r in out] == [f"{BODY}\n"] * 3
    assert out[2]["meta"] == RECORDS[2]["meta"] and out[0]["lang"] == "en"
    assert capsys.readouterr().err == ""  # stderr is not a terminal: no progress bar


def test_adds_metadata_trace_and_version_on_request(work):
    write_jsonl(work / "in.jsonl", RECORDS[:1])
    assert main(["jsonl", "in.jsonl", "-o", "out.jsonl", "--add-metadata", "--add-trace", "-j", "1"]) == 0
    record = read_jsonl(work / "out.jsonl")[0]
    rules_version = Cleaner(Config(rules=(str(work / "chrome.yaml"),), default_rules=False)).rules_version
    assert list(record) == ["id", "text", "lang", "cleaner_metadata", "cleaner_trace", "cleaner_version"]
    assert record["cleaner_metadata"] == {"title": None, "standfirst": None, "authors": [], "dateline": None,
                                          "published": None}
    assert record["cleaner_trace"] == [{"rule": "chrome.comments", "action": "remove", "line": 2,
                                        "before": "Comments", "after": None}]
    # --add-trace implies the version: a trace means little without the rules that made it.
    assert record["cleaner_version"] == {"cleaner": __version__, "rules": rules_version}


def test_added_fields_replace_their_earlier_values_so_a_corpus_can_be_cleaned_again(work):
    write_jsonl(work / "in.jsonl", [{"text": f"{BODY}\n", "cleaner_version": "old", "x": 1}])
    assert main(["jsonl", "in.jsonl", "-o", "out.jsonl", "--add-version", "-j", "1"]) == 0
    record = read_jsonl(work / "out.jsonl")[0]
    assert list(record) == ["text", "cleaner_version", "x"] and record["cleaner_version"]["cleaner"] == __version__


def test_same_text_as_clean_with_the_default_packs(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no settings file: the built-in packs
    seed = SEED.read_text(encoding="utf-8")
    texts = [seed, seed.replace("\n", "\r\n"), "Comments\n" + seed, "", "\ufeffJust one line\u00a0here."]
    write_jsonl(tmp_path / "in.jsonl", [{"input": t, "url": "https://www.independent.co.uk/x"} for t in texts])
    assert main(["jsonl", "in.jsonl", "-o", "out.jsonl", "--text-field", "input", "--url-field", "url",
                 "-j", "1"]) == 0
    cleaner = Cleaner()
    expected = [cleaner.clean(t, url="https://www.independent.co.uk/x") for t in texts]
    assert [r["input"] for r in read_jsonl(tmp_path / "out.jsonl")] == expected


def test_gzip_in_and_out_by_extension(work):
    write_jsonl(work / "in.jsonl", RECORDS)
    write_jsonl(work / "in.jsonl.gz", RECORDS, opener=gzip.open)
    assert main(["jsonl", "in.jsonl", "-o", "plain.jsonl", "-j", "1"]) == 0
    assert main(["jsonl", "in.jsonl.gz", "-o", "out.jsonl.gz", "-j", "1"]) == 0
    assert (work / "out.jsonl.gz").read_bytes()[:2] == b"\x1f\x8b"
    assert gzip.decompress((work / "out.jsonl.gz").read_bytes()) == (work / "plain.jsonl").read_bytes()
    # No name or time in the gzip header: the same records give the same bytes.
    first = (work / "out.jsonl.gz").read_bytes()
    assert main(["jsonl", "in.jsonl.gz", "-o", "out.jsonl.gz", "-j", "1"]) == 0
    assert (work / "out.jsonl.gz").read_bytes() == first


def test_stdin_to_stdout_and_gzip_on_stdin(work, monkeypatch, capsysbinary):
    data = "".join(json.dumps(r) + "\n" for r in RECORDS).encode()
    for payload in (data, gzip.compress(data)):
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BufferedReader(io.BytesIO(payload))))
        assert main(["jsonl", "-", "-j", "1"]) == 0
        out = capsysbinary.readouterr().out.decode()
        assert [json.loads(line)["text"] for line in out.splitlines()] == [f"{BODY}\n"] * 3


def test_input_may_be_the_output(work):
    write_jsonl(work / "data.jsonl", RECORDS)
    assert main(["jsonl", "data.jsonl", "-o", "data.jsonl", "-j", "1"]) == 0
    assert [r["text"] for r in read_jsonl(work / "data.jsonl")] == [f"{BODY}\n"] * 3
    assert sorted(p.name for p in work.iterdir()) == ["chrome.yaml", "cleaner.toml", "data.jsonl"]  # no temp file


def test_output_through_a_link_or_to_a_pipe_is_never_replaced_by_a_file(work, capsys):
    import os
    import threading

    write_jsonl(work / "in.jsonl", RECORDS)
    (work / "real.jsonl").write_text("old\n", encoding="utf-8")
    (work / "link.jsonl").symlink_to("real.jsonl")
    assert main(["jsonl", "in.jsonl", "-o", "link.jsonl", "-j", "1"]) == 0
    assert (work / "link.jsonl").is_symlink() and len(read_jsonl(work / "real.jsonl")) == 3
    # A pipe (like /dev/null, a device) is written to, not replaced.
    os.mkfifo(work / "pipe")
    received = []
    reader = threading.Thread(target=lambda: received.append((work / "pipe").read_bytes()))
    reader.start()
    assert main(["jsonl", "in.jsonl", "-o", "pipe", "-j", "1"]) == 0
    reader.join(timeout=10)
    assert (work / "pipe").is_fifo() and received[0] == (work / "real.jsonl").read_bytes()
    assert main(["jsonl", "in.jsonl", "-o", "no/such/folder.jsonl"]) == 2
    assert "cannot write no/such/folder.jsonl" in capsys.readouterr().err


MALFORMED = [
    json.dumps(RECORDS[0]),
    '{"text": "unterminated',           # line 2: not JSON
    json.dumps({"id": 9}),               # line 3: no text field
    json.dumps({"text": 42}),            # line 4: not a string
    "[1, 2]",                            # line 5: not an object
    "",                                  # line 6: blank, not a record
    json.dumps(RECORDS[2]),
]


def test_malformed_record_stops_the_run_by_default(work, capsys):
    write_jsonl(work / "in.jsonl", MALFORMED)
    assert main(["jsonl", "in.jsonl", "-o", "out.jsonl", "-j", "1"]) == 2
    err = capsys.readouterr().err
    assert "in.jsonl:2: malformed record: not JSON" in err and "--on-error pass" in err
    assert "Traceback" not in err
    assert not (work / "out.jsonl").exists()  # a file output is all or nothing
    assert sorted(p.name for p in work.iterdir()) == ["chrome.yaml", "cleaner.toml", "in.jsonl"]


def test_malformed_records_pass_through_untouched_when_asked(work, capsys):
    path = work / "in.jsonl"
    write_jsonl(path, MALFORMED)
    with path.open("ab") as handle:
        handle.write(b'{"text": "caf\xe9"}\n')  # line 8: not UTF-8
    assert main(["jsonl", "in.jsonl", "-o", "out.jsonl", "--on-error", "pass", "-j", "1"]) == 0
    lines = (work / "out.jsonl").read_bytes().split(b"\n")[:-1]
    raw = path.read_bytes().split(b"\n")
    assert lines[1:5] == [raw[1], raw[2], raw[3], raw[4]] and lines[6] == raw[7]  # byte for byte
    assert json.loads(lines[0])["text"] == json.loads(lines[5])["text"] == f"{BODY}\n"
    assert len(lines) == 7  # the blank line is not a record
    err = capsys.readouterr().err
    for number, reason in ((2, "not JSON"), (3, "no field 'text'"), (4, "field 'text' is a number"),
                           (5, "not a JSON object"), (8, "not valid UTF-8")):
        assert f"in.jsonl:{number}: malformed record, passed through: {reason}" in err


def test_odd_but_valid_json_survives(work, capsys):
    deep = "[" * 100_000 + "]" * 100_000
    lines = ['{"text": "Comments\\n\\ud800 lone surrogate\\n", "n": NaN}', '{"text": "x", "deep": ' + deep + "}"]
    write_jsonl(work / "in.jsonl", lines)
    assert main(["jsonl", "in.jsonl", "-o", "out.jsonl", "--on-error", "pass", "-j", "1"]) == 0
    out = (work / "out.jsonl").read_bytes().split(b"\n")
    assert json.loads(out[0])["text"].endswith(" lone surrogate\n") and b"NaN" in out[0]
    assert out[1] == (work / "in.jsonl").read_bytes().split(b"\n")[1]
    assert "in.jsonl:2: malformed record, passed through: nested too deeply" in capsys.readouterr().err
    # A lone surrogate that reaches the output (in another field) stays an escape: the line is still UTF-8.
    from cleaner.jsonl import _dump
    assert json.loads(_dump({"a": "\ud800", "b": "é"}).decode("utf-8")) == {"a": "\ud800", "b": "é"}


def test_a_non_string_url_field_is_malformed(work, capsys):
    write_jsonl(work / "in.jsonl", [{"text": BODY, "url": None}, {"text": BODY, "url": 5}])
    assert main(["jsonl", "in.jsonl", "-o", "out.jsonl", "--url-field", "url", "-j", "1"]) == 2
    assert "in.jsonl:2: malformed record: field 'url' is a number" in capsys.readouterr().err


def test_missing_input_and_bad_jobs_are_usage_errors(work, capsys):
    assert main(["jsonl", "nope.jsonl", "-o", "out.jsonl"]) == 2
    assert "cannot read nope.jsonl" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exited:
        main(["jsonl", "in.jsonl", "-j", "-1"])
    assert exited.value.code == 2


def test_a_truncated_gzip_input_is_an_error_not_a_traceback(work, capsys):
    data = gzip.compress(("".join(json.dumps(r) + "\n" for r in RECORDS) * 50).encode())
    (work / "in.jsonl.gz").write_bytes(data[: len(data) // 2])
    assert main(["jsonl", "in.jsonl.gz", "-o", "out.jsonl", "-j", "1"]) == 2
    assert "cannot read in.jsonl.gz" in capsys.readouterr().err
    assert not (work / "out.jsonl").exists()


def test_statistics(work, capsys):
    long_doc = "\n".join([BODY] + ["12 comments"] * 24) + "\n"  # 25 lines, most of its bytes removed
    write_jsonl(work / "in.jsonl", RECORDS + [{"text": long_doc}, "{bad"])
    status = main(["jsonl", "in.jsonl", "-o", "out.jsonl", "--statistics", "--statistics-json", "stats.json",
                   "--on-error", "pass", "-j", "1"])
    assert status == 0
    err = capsys.readouterr().err
    data = json.loads((work / "stats.json").read_text(encoding="utf-8"))
    assert data["documents"] == 4 and data["malformed"] == 1 and data["changed"] == 3
    assert data["rules"]["chrome.comments"] == {"documents": 3, "lines": 26, "bytes": 9 + 12 + 24 * 12,
                                                "over_matched": 1}
    assert data["rules"]["chrome.newsletter"] == {"documents": 1, "lines": 1, "bytes": 26, "over_matched": 0}
    assert data["never_fired"] == [] and data["metadata"] == {}
    assert data["warnings"] == [{"rule": "chrome.comments", "documents": 1, "examples": ["line 4"],
                                 "share": 0.5, "min_lines": 20}]
    assert "chrome.comments" in err and "warning: chrome.comments removed more than 50%" in err
    assert "(line 4)" in err
    # Only selected rules can be "never fired".
    main(["jsonl", "in.jsonl", "-o", "out.jsonl", "--statistics", "--on-error", "pass", "--select",
          "chrome.newsletter", "-j", "1"])
    assert "never fired" not in capsys.readouterr().err
    write_jsonl(work / "clean.jsonl", [{"text": BODY}])
    main(["jsonl", "clean.jsonl", "-o", "out.jsonl", "--statistics", "--statistics-json", "stats.json", "-j", "1"])
    assert "never fired (2): chrome.*\n" in capsys.readouterr().err  # a whole silent pack is named once
    data = json.loads((work / "stats.json").read_text(encoding="utf-8"))
    assert data["never_fired"] == ["chrome.comments", "chrome.newsletter"]
    assert data["changed"] == 1  # the final newline was added




@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_runaway_rule_names_the_record(work, capsys, jobs):
    (work / "slow.yaml").write_text(RUNAWAY_PACK, encoding="utf-8")
    (work / "cleaner.toml").write_text('default-rules = false\nrules = ["slow.yaml"]\ntime-budget = 0.2\n'
                                       'time-budget-per-mb = 0.0\n', encoding="utf-8")
    write_jsonl(work / "in.jsonl", [{"text": BODY}, {"text": BODY + "\n" + "a" * 30_000 + "b"}])
    assert main(["jsonl", "in.jsonl", "-o", "out.jsonl", "-j", jobs]) == 2
    err = capsys.readouterr().err
    assert "slow.runaway" in err and "line 2 of the record on line 2" in err
    assert main(["jsonl", "in.jsonl", "-o", "out.jsonl", "--on-timeout", "skip", "-j", jobs]) == 0
    assert "in.jsonl:2: record passed through unchanged" in capsys.readouterr().err
    assert (work / "out.jsonl").read_bytes().split(b"\n")[1] == (work / "in.jsonl").read_bytes().split(b"\n")[1]


def test_version_names_package_and_rules(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as exited:
        main(["--version"])
    assert exited.value.code == 0
    assert capsys.readouterr().out == f"cleaner {__version__} (rules {Cleaner().rules_version})\n"


def test_console_script(work):
    data = "".join(json.dumps(r) + "\n" for r in RECORDS).encode()
    done = subprocess.run(["cleaner", "jsonl", "-", "--add-version", "-j", "2"], input=data, capture_output=True,
                          timeout=60, cwd=work)
    assert done.returncode == 0, done.stderr
    out = [json.loads(line) for line in done.stdout.decode().splitlines()]
    assert [r["text"] for r in out] == [f"{BODY}\n"] * 3 and out[0]["cleaner_version"]["cleaner"] == __version__
    assert done.stderr == b""  # stderr is a pipe: no progress bar
    done = subprocess.run("cleaner jsonl - -j 2 | head -c 10", shell=True, input=data * 3000, capture_output=True,
                          timeout=60, cwd=work)
    assert b"Traceback" not in done.stderr and b"BrokenPipe" not in done.stderr


@pytest.mark.skipif(sys.platform == "win32", reason="needs a pseudo-terminal")
def test_progress_bar_only_on_a_terminal(work):
    import fcntl
    import os
    import pty
    import struct
    import termios

    write_jsonl(work / "in.jsonl", RECORDS * 100)
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
    done = subprocess.Popen(["cleaner", "jsonl", "in.jsonl", "-o", "out.jsonl", "-j", "1"], cwd=work, stderr=slave)
    os.close(slave)
    shown = b""
    while True:
        try:
            data = os.read(master, 4096)
        except OSError:  # the terminal closed
            break
        if not data:
            break
        shown += data
    assert done.wait(timeout=60) == 0
    os.close(master)
    assert b"cleaning:" in shown

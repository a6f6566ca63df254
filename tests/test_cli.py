"""The command line as a user meets it: in-process through main(), and once through the console script."""

from __future__ import annotations

import io
import subprocess
import sys

import pytest
from conftest import GOLDEN, SEED

from cleaner.cli import main


def run(monkeypatch, capsysbinary, argv, data: bytes):
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    status = main(argv)
    out, err = capsysbinary.readouterr()
    return status, out, err.decode()


def test_filter_cleans_the_seed(monkeypatch, capsysbinary):
    status, out, _ = run(monkeypatch, capsysbinary, [], SEED.read_bytes())
    assert status == 0
    assert out.decode() == (GOLDEN / "independent-biden-putin-call.clean.txt").read_text(encoding="utf-8")


def test_explain_prints_one_line_per_edit_to_stderr(monkeypatch, capsysbinary):
    status, _, err = run(monkeypatch, capsysbinary, ["--explain"], SEED.read_bytes())
    assert status == 0
    assert err == (GOLDEN / "independent-biden-putin-call.explain.txt").read_text(encoding="utf-8")
    assert "8:comments.counter:remove:Comments" in err.splitlines()


def test_empty_input_gives_empty_output(monkeypatch, capsysbinary):
    assert run(monkeypatch, capsysbinary, [], b"") == (0, b"", "")


def test_invalid_utf8_is_a_clear_error_and_writes_nothing(monkeypatch, capsysbinary):
    status, out, err = run(monkeypatch, capsysbinary, [], b"good line\nbad \xff byte\n")
    assert status == 2 and out == b""
    assert "not valid UTF-8" in err and "line 2" in err and "Traceback" not in err


def test_crlf_and_bom_are_kept(monkeypatch, capsysbinary):
    data = "\ufeffHeadline here\r\n\r\nA body line that ends here.\r\nAdvertisement\r\n".encode()
    status, out, _ = run(monkeypatch, capsysbinary, [], data)
    assert status == 0
    assert out.startswith("\ufeff".encode()) and b"\r\n" in out and b"\n" not in out.replace(b"\r\n", b"")


def test_no_default_rules_only_typography(monkeypatch, capsysbinary):
    status, out, _ = run(monkeypatch, capsysbinary, ["--no-default-rules"], "Comments\n\u201cHi\u201d\n".encode())
    assert (status, out) == (0, b'Comments\n"Hi"\n')


def test_user_rules_are_added(monkeypatch, capsysbinary, tmp_path):
    pack = tmp_path / "mysite.yaml"
    pack.write_text(
        "description: my site\n"
        "rules:\n"
        "  - id: promo\n"
        "    kind: drop-line\n"
        "    description: Our own promo line.\n"
        "    match: 'visit our sister site'\n"
        "    examples: {remove: [Visit our sister site], keep: ['Visit our sister site? No, she said.']}\n", encoding="utf-8")
    status, out, err = run(monkeypatch, capsysbinary, ["--rules", str(pack), "--explain"],
                           b"Body line one.\nVisit our sister site\n")
    assert (status, out) == (0, b"Body line one.\n")
    assert "2:mysite.promo:remove:Visit our sister site" in err


def test_rules_lists_every_rule(capsys):
    assert main(["rules"]) == 0
    out = capsys.readouterr().out
    assert "comments.join-prompt" in out and "captions.caption-with-credit" in out


def test_explain_one_rule(capsys):
    assert main(["explain", "comments.join-prompt"]) == 0
    out = capsys.readouterr().out
    assert "removes: Join our commenting forum" in out and "source:" in out and "comments.yaml" in out


def test_explain_unknown_rule_exits_2(capsys):
    assert main(["explain", "no.such-rule"]) == 2
    assert "no rule 'no.such-rule'" in capsys.readouterr().err


def test_unknown_select_exits_2(monkeypatch, capsysbinary):
    status, out, err = run(monkeypatch, capsysbinary, ["--select", "nosuchpack"], b"x\n")
    assert status == 2 and "nosuchpack" in err


def test_usage_error_exits_2(capsys):
    with pytest.raises(SystemExit) as exited:
        main(["--no-such-flag"])
    assert exited.value.code == 2


def test_console_script_and_module_entry_point():
    for command in (["cleaner", "--explain"], [sys.executable, "-m", "cleaner", "--explain"]):
        done = subprocess.run(command, input=SEED.read_bytes(), capture_output=True, timeout=60)
        assert done.returncode == 0, done.stderr
        assert done.stdout.decode() == (GOLDEN / "independent-biden-putin-call.clean.txt").read_text(encoding="utf-8")
        assert b"comments.join-prompt" in done.stderr


def test_broken_pipe_is_quiet(tmp_path):
    big = ("A line of body text that goes on for a while, as body lines do.\n\n" * 20000).encode()
    done = subprocess.run("cleaner | head -1", shell=True, input=big, capture_output=True, timeout=60)
    assert done.stdout.startswith(b"A line of body text")
    assert b"Traceback" not in done.stderr and b"BrokenPipe" not in done.stderr

"""`cleaner suggest`: rules proposed from lines a corpus repeats remove the furniture and none of the bodies."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ROOT

from cleaner import Cleaner, Config
from cleaner.cli import main
from cleaner.suggest import normalise, pattern_for

WORDS = ("river mountain bakery council budget teacher harbour festival engine garden library painter orchard "
         "station ferry market lantern meadow quarry tunnel").split()
SITES = {
    "news.example.com": (["Home", "World", "Sport", "Sign in to your account"],
                         ["Subscribe to our newsletter", "© 2024 Example News Ltd"]),
    "blog.other.org": (["Menu", "About the author"], ["Follow us on Mastodon", "Copyright 2023 Other Org"]),
    "www.third.net": (["Skip to content", "Latest headlines"], ["All rights reserved 2022", "Contact the desk"]),
}
GENERIC = "Share this article"
PAGES = 4


def _body(rng: random.Random, n: int) -> list[str]:
    return [" ".join(rng.choice(WORDS) for _ in range(15)).capitalize() + "." for _ in range(n)]


def corpus() -> list[dict]:
    """Pages of three sites: distinct bodies between the same navigation and footer lines per site, and one
    line printed by every site. One body line of news.example.com mentions the newsletter (a near miss)."""
    rng = random.Random(7)
    pages = []
    for host, (top, bottom) in SITES.items():
        for n in range(PAGES):
            body = _body(rng, 4)
            if host == "news.example.com" and n == 1:
                body[2] = "The council newsletter was sent to every household in the harbour district last week."
            pages.append({"url": f"https://{host}/story-{n}", "text": "\n".join(top + body + [GENERIC] + bottom) + "\n",
                          "body": body})
    return pages


def _write_jsonl(path: Path, pages: list[dict], **fields) -> None:
    with path.open("w", encoding="utf-8") as handle:
        for page in pages:
            handle.write(json.dumps({fields.get("text", "text"): page["text"], fields.get("url", "url"): page["url"]})
                         + "\n")


@pytest.fixture(scope="module")
def suggested(tmp_path_factory):
    base = tmp_path_factory.mktemp("suggest")
    pages = corpus()
    _write_jsonl(base / "pages.jsonl", pages)
    out = base / "out"
    assert main(["suggest", str(base / "pages.jsonl"), "-o", str(out)]) == 0
    return pages, out


def test_writes_one_pack_per_site_and_a_generic_pack(suggested):
    _, out = suggested
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*.yaml")) == [
        "generic.yaml", "sites/blog-other-org.yaml", "sites/news-example-com.yaml", "sites/third-net.yaml"]
    generic = yaml.safe_load((out / "generic.yaml").read_text(encoding="utf-8"))
    assert "domains" not in generic
    assert [r["examples"]["remove"] for r in generic["rules"]] == [[GENERIC]]
    site = yaml.safe_load((out / "sites" / "third-net.yaml").read_text(encoding="utf-8"))
    assert site["domains"] == ["third.net"]
    rule = next(r for r in site["rules"] if r["id"] == "all-rights-reserved")
    assert rule["kind"] == "drop-line" and rule["match"] == [r"All\s+rights\s+reserved\s+\d+"]
    assert rule["max_words"] == 4
    assert "4 of the 4 documents of third.net" in rule["description"]
    assert "(for example https://www.third.net/story-0, https://www.third.net/story-1," in rule["description"]


def test_packs_load_as_written_and_clean_the_corpus(suggested):
    pages, out = suggested
    cleaner = Cleaner(Config(default_rules=False, rules=(str(out),)))
    assert len(cleaner.rules) == 1 + sum(len(top) + len(bottom) for top, bottom in SITES.values())
    for page in pages:
        result = cleaner.clean_and_explain(page["text"], url=page["url"])
        assert result.text == "\n".join(page["body"]) + "\n", page["url"]
        assert all(edit.action == "remove" for edit in result.edits)


def test_site_rules_stay_on_their_site(suggested):
    _, out = suggested
    cleaner = Cleaner(Config(default_rules=False, rules=(str(out),)))
    text = "Home\nMenu\nShare this article\nBody line of another site entirely, long enough to read as prose.\n"
    assert cleaner.clean(text, url="https://elsewhere.org/a") == (
        "Home\nMenu\nBody line of another site entirely, long enough to read as prose.\n")


def test_every_example_holds_alone_with_its_rule(suggested):
    _, out = suggested
    cleaner = Cleaner(Config(default_rules=False, rules=(str(out),)))
    for rule in cleaner.rules:
        single = cleaner.only(rule.id)
        assert rule.examples["remove"] and rule.examples["keep"]
        for line in rule.examples["remove"]:
            assert single.clean(line) == "", rule.id
        for line in rule.examples["keep"]:
            assert single.clean(line) == line + "\n", rule.id


def test_keep_example_is_a_body_line_sharing_a_word(suggested):
    pages, out = suggested
    site = yaml.safe_load((out / "sites" / "news-example-com.yaml").read_text(encoding="utf-8"))
    rule = next(r for r in site["rules"] if r["id"] == "subscribe-to-our-newsletter")
    assert rule["examples"]["keep"] == ["The council newsletter was sent to every household in the harbour "
                                        "district last week."]
    bodies = {line for page in pages for line in page["body"]}
    for path in out.rglob("*.yaml"):
        for rule in yaml.safe_load(path.read_text(encoding="utf-8"))["rules"]:
            assert set(rule["examples"]["keep"]) <= bodies


def test_rule_examples_suite_passes_on_the_packs(suggested):
    _, out = suggested
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                           str(ROOT / "tests" / "test_rule_examples.py"), "--rules", str(out), "-k", "generic or sites"],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]


def test_output_does_not_depend_on_input_order(tmp_path, suggested):
    pages, out = suggested
    shuffled = list(pages)
    random.Random(3).shuffle(shuffled)
    # Split across two files whose names reverse the reading order too.
    _write_jsonl(tmp_path / "b.jsonl", shuffled[:5])
    _write_jsonl(tmp_path / "a.jsonl", shuffled[5:])
    again = tmp_path / "out"
    assert main(["suggest", str(tmp_path / "b.jsonl"), str(tmp_path / "a.jsonl"), "-o", str(again)]) == 0
    # A tiny sketch (every line collides) changes nothing either: the second pass counts exactly.
    tiny = tmp_path / "tiny"
    assert main(["suggest", str(tmp_path), "-o", str(tiny), "--sketch-width", "8"]) == 0
    for path in out.rglob("*.yaml"):
        rel = path.relative_to(out)
        assert (again / rel).read_text(encoding="utf-8") == path.read_text(encoding="utf-8"), rel
        assert (tiny / rel).read_text(encoding="utf-8") == path.read_text(encoding="utf-8"), rel


def test_text_folders_name_the_site(tmp_path):
    for page in corpus():
        host = page["url"].split("/")[2]
        folder = tmp_path / "corpus" / host
        folder.mkdir(parents=True, exist_ok=True)
        (folder / (page["url"].rsplit("/", 1)[1] + ".txt")).write_text(page["text"], encoding="utf-8")
    out = tmp_path / "out"
    assert main(["suggest", str(tmp_path / "corpus"), "-o", str(out)]) == 0
    assert (out / "sites" / "www-third-net.yaml").is_file()  # the folder's name, as it is
    assert (out / "generic.yaml").is_file()


def test_thresholds_are_flags(tmp_path):
    _write_jsonl(tmp_path / "p.jsonl", corpus(), text="body_text", url="address")
    out = tmp_path / "out"
    argv = ["suggest", str(tmp_path / "p.jsonl"), "--text-field", "body_text", "--url-field", "address", "-o"]
    assert main(argv + [str(out), "--min-docs-per-site", "5", "--min-sites", "4"]) == 0
    assert not out.exists() or not any(out.rglob("*.yaml"))  # 4 pages a site, 3 sites: nothing passes
    assert main(argv + [str(tmp_path / "short"), "--max-words", "2"]) == 0
    rules = [r for p in (tmp_path / "short").rglob("*.yaml") for r in yaml.safe_load(p.read_text())["rules"]]
    assert rules and all(r["max_words"] <= 2 for r in rules)


def test_usage_errors(tmp_path, capsys):
    _write_jsonl(tmp_path / "p.jsonl", corpus())
    (tmp_path / "busy").mkdir()
    (tmp_path / "busy" / "notes.txt").write_text("mine\n")
    assert main(["suggest", str(tmp_path / "p.jsonl"), "-o", str(tmp_path / "busy")]) == 2
    assert "not empty" in capsys.readouterr().err
    assert main(["suggest", str(tmp_path / "missing"), "-o", str(tmp_path / "o")]) == 2
    assert main(["suggest", str(tmp_path / "p.jsonl"), "-o", str(tmp_path / "o"), "--min-sites", "0"]) == 2
    out = tmp_path / "again"
    assert main(["suggest", str(tmp_path / "p.jsonl"), "-o", str(out)]) == 0
    assert main(["suggest", str(tmp_path / "p.jsonl"), "-o", str(out)]) == 2
    assert main(["suggest", str(tmp_path / "p.jsonl"), "-o", str(out), "--force"]) == 0


def test_normalised_lines_and_patterns():
    assert normalise("  Page  12 of 30 ") == "page 0 of 0"
    assert normalise("Don’t MISS") == normalise("don't miss")
    pattern = pattern_for("Don't miss: 3 new stories (today)")
    assert pattern == r"Don['‘’‚‛]t\s+miss:\s+\d+\s+new\s+stories\s+\(today\)"


def test_through_a_subprocess(tmp_path):
    _write_jsonl(tmp_path / "p.jsonl", corpus())
    done = subprocess.run([sys.executable, "-m", "cleaner", "suggest", str(tmp_path / "p.jsonl"), "-o",
                           str(tmp_path / "out")], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout == ("12 documents from 3 sites: 1 generic rule, 14 site rules in 3 site packs, "
                           f"written to {tmp_path / 'out'}\n")
    assert done.stderr == ""

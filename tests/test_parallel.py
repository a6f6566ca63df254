"""Many documents on several processes: the same results, in the same order, as one process."""

from __future__ import annotations

import json
import pickle
import random

import pytest
from conftest import SEED

from cleaner import Cleaner, CleanerError, Config, clean_many
from cleaner.budget import RuleTimeout
from cleaner.cli import main
from cleaner.parallel import imap_ordered, map_ordered

CHROME = ["Comments", "12 comments", "Sign up to our newsletter", "Share this article", "Advertisement",
          "Read more", "Image: Getty Images", "Follow us on Twitter"]
BODY = ["The council said the road would reopen on Monday after repairs to the bridge were finished.",
        "“It has been a difficult few weeks for everyone who lives here,” one resident said.",
        "Officials expect the work to cost about £2m, paid for from the transport budget.",
        "Traffic was diverted through the town centre\u00a0while the bridge was closed."]


def generated_corpus(count: int, seed: int = 7) -> list[str]:
    """Documents of mixed sizes: body lines with chrome between them, some empty, some long."""
    rng = random.Random(seed)
    seed_text = SEED.read_text(encoding="utf-8")
    docs = []
    for n in range(count):
        if n % 50 == 0:
            docs.append(seed_text)
        elif n % 37 == 0:
            docs.append("")
        else:
            lines = [rng.choice(BODY if rng.random() < 0.6 else CHROME) for _ in range(rng.randint(1, 60))]
            docs.append("\n".join(lines) + "\n")
    return docs


@pytest.fixture(scope="module")
def cleaner():
    return Cleaner()


def test_clean_many_gives_results_in_input_order(cleaner):
    docs = generated_corpus(120)
    expected = [cleaner.clean_and_explain(d) for d in docs]
    # A generator is read lazily; small chunks so that many are in flight and come back out of order.
    assert list(clean_many((d for d in docs), jobs=2, cleaner=cleaner, chunk_size=3)) == expected
    assert list(clean_many(docs[:5], jobs=1)) == expected[:5]  # the default packs without a cleaner


def test_map_ordered_yields_indices_and_takes_urls(cleaner):
    url = "https://www.independent.co.uk/news/x"
    docs = generated_corpus(30)
    items = [(d, url if n % 2 else None) for n, d in enumerate(docs)]
    got = list(map_ordered(cleaner, items, jobs=2, chunk_size=4))
    assert [i for i, _ in got] == list(range(len(items)))
    assert [r for _, r in got] == [cleaner.clean_and_explain(t, url=u) for t, u in items]


def test_items_are_read_lazily_so_memory_stays_bounded(cleaner):
    read = 0

    def items():
        nonlocal read
        for n in range(10_000):
            read += 1
            yield f"Line {n} of the body.\n"

    results = map_ordered(cleaner, items(), jobs=2, chunk_size=8)
    next(results)
    # At most a few chunks per worker are sent ahead of the first result, not the whole input.
    assert read <= 8 * 3 * 2 + 8
    results.close()


def test_a_failing_item_raises_at_its_place(cleaner):
    items = ["One.\n", "Two.\n", b"three", "Four.\n"]
    seen = []
    with pytest.raises(TypeError, match="decode bytes first"):
        for index, result in map_ordered(cleaner, items, jobs=2, chunk_size=1):
            seen.append(index)
    assert seen == [0, 1]


def test_a_rule_timeout_in_a_worker_reaches_the_parent_as_itself(tmp_path):
    pack = tmp_path / "slow.yaml"
    pack.write_text("description: slow\nrules:\n  - id: runaway\n    kind: drop-line\n    description: slow\n"
                    "    match: '(a|a)+$'\n    examples: {remove: [aaa], keep: [b]}\n", encoding="utf-8")
    cleaner = Cleaner(Config(rules=(str(pack),), default_rules=False, time_budget=0.2, time_budget_per_mb=0.0))
    with pytest.raises(RuleTimeout) as caught:
        list(map_ordered(cleaner, ["Fine.\n", "x\n" + "a" * 30_000 + "b\n"], jobs=2, chunk_size=1))
    assert caught.value.rule.id == "slow.runaway" and caught.value.line == 2
    assert "slow.runaway" in str(caught.value) and "on line 2" in str(caught.value)
    copy = pickle.loads(pickle.dumps(caught.value))
    assert str(copy) == str(caught.value) and isinstance(copy, CleanerError)


def _fail_on_three(cleaner, item):
    if item == 3:
        raise ValueError("three")
    return item * 2


def test_imap_ordered_runs_any_function_and_keeps_the_worker_traceback(cleaner):
    assert list(imap_ordered(_fail_on_three, range(3), cleaner=cleaner, jobs=2, size=lambda i: 1)) == [0, 2, 4]
    with pytest.raises(ValueError, match="three") as caught:
        list(imap_ordered(_fail_on_three, range(5), cleaner=cleaner, jobs=2, size=lambda i: 1))
    assert "in a cleaner worker process" in "".join(caught.value.__notes__)


def test_jobs_must_not_be_negative(cleaner):
    with pytest.raises(ValueError):
        list(map_ordered(cleaner, ["x"], jobs=-1))


def test_jsonl_output_is_byte_identical_for_any_number_of_jobs(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    docs = generated_corpus(240)
    with open("in.jsonl", "w", encoding="utf-8") as handle:
        for n, doc in enumerate(docs):
            handle.write(json.dumps({"id": n, "text": doc, "url": "https://www.independent.co.uk/a"}) + "\n")
            if n == 100:
                handle.write("{not json\n")
    common = ["--url-field", "url", "--add-metadata", "--add-trace", "--on-error", "pass", "--chunk-size", "5"]
    assert main(["jsonl", "in.jsonl", "-o", "one.jsonl.gz", "-j", "1", "--statistics-json", "one.json", *common]) == 0
    assert main(["jsonl", "in.jsonl", "-o", "two.jsonl.gz", "-j", "2", "--statistics-json", "two.json", *common]) == 0
    assert (tmp_path / "one.jsonl.gz").read_bytes() == (tmp_path / "two.jsonl.gz").read_bytes()
    assert (tmp_path / "one.json").read_text() == (tmp_path / "two.json").read_text()
    assert json.loads((tmp_path / "two.json").read_text())["documents"] == 240

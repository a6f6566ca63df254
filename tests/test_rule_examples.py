"""Every example of every rule pack, built-in and user packs given with --rules, is a test case.

Line examples run the rule alone on a one-line document; document examples run the rule alone on the
whole document. The default cleaner must also be idempotent on every example.
"""

from __future__ import annotations

import pytest

from cleaner import Cleaner, Config
from cleaner.budget import Deadline
from cleaner.kinds import line_info


def _cases(config):
    extra = tuple(config.getoption("--rules") or ())
    cleaner = Cleaner(Config(rules=extra))
    for rule in cleaner.rules:
        for key in ("remove", "keep"):
            for n, line in enumerate(rule.examples.get(key, [])):
                yield pytest.param(rule.id, key, line, id=f"{rule.id}:{key}:{n}")
        for n, doc in enumerate(rule.examples.get("documents", [])):
            yield pytest.param(rule.id, "document", doc, id=f"{rule.id}:document:{n}")


def pytest_generate_tests(metafunc):
    if "example" in metafunc.fixturenames:
        metafunc.parametrize("rule_id,key,example", list(_cases(metafunc.config)))


@pytest.fixture(scope="module")
def all_rules(request):
    return Cleaner(Config(rules=tuple(request.config.getoption("--rules") or ())))


def test_example(all_rules, rule_id, key, example):
    rule = all_rules.rule(rule_id)
    if key == "document":
        result = all_rules.only(rule_id, *example["with"]).clean_and_explain(example["input"])
        assert result.text == example["output"]
        for field, expected in example["metadata"].items():
            got = result.metadata.as_dict()[field]
            assert got == expected, f"metadata {field}"
        return
    single = all_rules.only(rule_id)
    if rule.kind == "keep":
        protected = single._rulesets[None, None].keep.find(line_info(example.strip(), 1, 1), Deadline(10)) is not None
        assert protected == (key == "remove")
        return
    typeset = single.only().clean(example)
    out = single.clean(example)
    if key == "keep":
        assert out == typeset, "a keep example was changed"
    elif rule.kind == "drop-span":
        assert out != typeset, "a remove example was left unchanged"
    else:
        assert out.strip() == "", "a remove example was not removed"


def test_default_cleaner_is_idempotent_on_examples(all_rules):
    samples = []
    for rule in all_rules.rules:
        samples += rule.examples.get("remove", []) + rule.examples.get("keep", [])
        samples += [d["input"] for d in rule.examples.get("documents", [])]
    for sample in samples:
        once = all_rules.clean(sample)
        assert all_rules.clean(once) == once, sample

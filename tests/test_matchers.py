"""The matcher's shortcuts never change what a rule matches: leading literals and prefilters are
necessary conditions, checked here on tricky patterns and on every built-in rule's own examples."""

from __future__ import annotations

import pytest
import regex

from cleaner import Cleaner
from cleaner.literals import leading_literals


@pytest.mark.parametrize("pattern, literals", [
    (r"join (?:our|the) forum", ("join ",)),
    (r"(?:leave|post) a comment", ("leave", "post")),
    (r"comments?\s*\d+", ("comment",)),
    (r"this is it\.?", ("this is it",)),
    (r"(?:\d+\s+)?(?:comments?|replies)", tuple("0123456789") + ("comment", "replies")),
    (r"aceito|concordo|(?:a|b)c", ("aceito", "concordo", "a", "b")),
    (r"[\[(]?\s*(?:related|read more)", ("[", "(", "related", "read more")),
    (r"\s*(?:video|×)", ("video", "×")),
    (r".+\(credit\)", None),
    (r"(?=.*x)abc", None),
    (r"[a-z]+ news", None),
    (r"(?:a|.b)c", None),
    (r"(?:abc){2}", None),
])
def test_leading_literals(pattern, literals):
    assert leading_literals(pattern) == literals


def test_every_match_of_a_builtin_rule_starts_with_its_literals():
    for rule in Cleaner().rules:
        for pattern in rule.patterns:
            literals = leading_literals(pattern)
            if literals is None:
                continue
            compiled = regex.compile(pattern, 0 if rule.case_sensitive else regex.IGNORECASE)
            for example in rule.examples.get("remove", []):
                line = example.strip()
                if compiled.fullmatch(line):
                    assert line.lower().startswith(literals), (rule.id, pattern, example)


def test_every_remove_example_holds_a_prefilter_word():
    from cleaner.kinds import line_info

    for rule in Cleaner().rules:
        if not rule.prefilter:
            continue
        for example in rule.examples.get("remove", []):
            info = line_info(example.strip(), 1, 1)
            assert any(w in info.tokens if w.isalnum() or "_" in w else w in info.lowered
                       for w in rule.prefilter), (rule.id, example)


def test_keep_rule_protects_a_line_from_every_removal(tmp_path):
    from cleaner import Config

    pack = tmp_path / "mine.yaml"
    pack.write_text(
        "description: our section label is content\n"
        "rules:\n"
        "  - id: comments-column\n"
        "    kind: keep\n"
        "    description: Our opinion column is called Comments.\n"
        "    match: 'comments'\n"
        "    examples: {remove: [Comments], keep: [Comments are closed]}\n", encoding="utf-8")
    text = "A body line that ends here.\n\nComments\n\nJoin our commenting forum\n"
    assert Cleaner().clean(text) == "A body line that ends here.\n"
    assert Cleaner(Config(rules=(str(pack),))).clean(text) == "A body line that ends here.\n\nComments\n"

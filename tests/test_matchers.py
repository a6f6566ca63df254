"""The matcher's shortcuts never change what a rule matches: leading literals and prefilters are
necessary conditions, checked here on tricky patterns and on every built-in rule's own examples."""

from __future__ import annotations

import re

import pytest
import regex
from hypothesis import given
from hypothesis import strategies as st

from cleaner import Cleaner, Config
from cleaner.literals import leading_literals, required_literals


@pytest.mark.parametrize("pattern, literals", [
    (r"join (?:our|the) forum", ("join our", "join the")),  # text, then the openings of the group after it
    (r"the (?:best )?way", ("the best ", "the way")),
    (r"click (?:here|below)(?-i:X)", ("click here", "click below")),
    (r"home(?:\s*[›»]\s*\w+)+", ("home",)),  # whitespace after text is not stripped
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
    (r"(?:abc){2}", ("abc",)),
    (r"¿?\s*sé el primero", ("¿", "sé el primero")),
    (r"\(?\s*(?:visited|viewed) \d+", ("(", "visited", "viewed")),
    (r"[<^↑]?\s*back to top", ("<", "^", "↑", "back to top")),
    (r"(?:ab|cd){1,2}e", ("ab", "cd")),
    (r"(?:ab){0,2}cd", ("ab", "cd")),
    (r"(?:ab){,2}cd", ("ab", "cd")),
])
def test_leading_literals(pattern, literals):
    assert leading_literals(pattern) == literals


def test_every_match_of_a_builtin_rule_starts_with_its_literals():
    # Each pattern's own literals: a line is matched against a pattern only when it begins with them.
    rules = {rule.id: rule for preset in ("article", "page") for rule in Cleaner(Config(preset=preset)).rules}
    for rule in rules.values():
        for pattern in rule.patterns:
            literals = leading_literals(pattern)
            if literals is None:
                continue
            compiled = regex.compile(pattern, 0 if rule.case_sensitive else regex.IGNORECASE)
            for example in rule.examples.get("remove", []):
                line = example.strip()
                if compiled.fullmatch(line):
                    assert line.lower().startswith(literals), (rule.id, pattern, example)


@pytest.mark.parametrize("patterns, needs", [
    ((r"share (?:this|on) \w+",), (("share ",), ("on", "this"), (" ",))),
    ((r"(?=.*?[(\[]).{3,80}[(\[]\s*(?:photo|image)s?:.+",), (("image", "photo"), (":",), ("(", "["))),
    ((r"(?:also )?(?:read more)",), (("read more",),)),
    ((r"join (?:our|the) forum", r"leave a comment"), ((" forum", "leave a comment"),)),  # each pattern's most telling text
    ((r"\p{Lu}\w+ / (?:ap|afp)",), ((" / a",), ("fp", "p"))),  # the parser factors "a" out
    ((r"(?:ab){0,2}",), None),
    ((r"\d+ comments?|.+",), None),
    ((r"(?:news){e<=1}",), None),  # fuzzy: the literal may be missing
    ((r"[[:alpha:]]+ news",), None),  # a nested set the standard parser reads otherwise
])
def test_required_literals(patterns, needs):
    assert required_literals(patterns) == needs


def test_every_match_of_a_builtin_rule_holds_its_required_literals():
    for rule in Cleaner().rules:
        needs = rule.required
        if needs is None:
            continue
        compiled = [regex.compile(p, 0 if rule.case_sensitive else regex.IGNORECASE) for p in rule.patterns]
        for example in rule.examples.get("remove", []) + rule.examples.get("keep", []):
            line = example.strip()
            if any(c.fullmatch(line) for c in compiled):
                assert all(any(t in line.lower() for t in texts) for texts in needs), (rule.id, example)


def test_every_remove_example_holds_a_prefilter_word():
    from cleaner.kinds import prefilter_entry

    for rule in Cleaner().rules:
        if not rule.prefilter:
            continue
        for example in rule.examples.get("remove", []):
            lowered = example.strip().lower()
            words = set(re.findall(r"\w+", lowered))
            entries = [prefilter_entry(w) for w in rule.prefilter]
            assert any(text in words if whole else text in lowered for whole, text in entries), (rule.id, example)


# Shapes no literal or word can announce, whose pattern fails at once on a line of text.
_CHEAP_SHAPES = {"page-chrome.bare-symbols"}  # fails at the line's first letter or digit


def test_no_builtin_line_rule_is_tried_on_every_line():
    """Speed: a whole-line rule with neither leading literals nor a prefilter costs a match on every
    line of every document; the built-in packs have none but cheap shapes. (A rule guarded by next_to is
    tried only on lines beside a removal its guard counts.)"""
    unbounded = [rule.id for rule in Cleaner().rules
                 if rule.kind in ("drop-line", "keep", "cut-after") and not rule.prefilter and rule.leading is None
                 and rule.next_to is None]
    assert sorted(unbounded) == sorted(_CHEAP_SHAPES)


def test_whole_words_pattern_finds_exactly_the_words():
    from cleaner.literals import whole_words_pattern

    pattern = re.compile(whole_words_pattern({"sign", "signup", "x", "photo", "photos"}))
    assert pattern.findall("sign signup signal x x2 photos photo photon (photo) x-ray") == \
        ["sign", "signup", "x", "photos", "photo", "photo", "x"]


@given(st.text(alphabet=st.sampled_from("signupxphotos -_2(),.'\u00e9\u2019"), max_size=40))
def test_prefilter_words_are_found_alike_in_ascii_and_other_lines(line):
    """ASCII lines are split, other lines scanned by the pattern: either way, exactly the whole words."""
    from cleaner.kinds import _WordScan
    from cleaner.literals import whole_words_pattern

    words = frozenset({"sign", "signup", "x", "photo", "photos", "é"})
    expected = set(re.findall(whole_words_pattern(words), line))
    assert set(_WordScan(words).found(line)) == expected


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


def _rule_alone(tmp_path, kind: str, settings: str, remove: str, keep: str) -> Cleaner:
    """A cleaner with one rule of the kind and nothing else; `settings` are its YAML lines (match, guards)."""
    pack = tmp_path / "alone.yaml"
    pack.write_text(
        "description: One rule.\n"
        "rules:\n"
        "  - id: rule\n"
        f"    kind: {kind}\n"
        "    description: The rule under test.\n"
        f"{settings}"
        "    examples:\n"
        f"      remove: [{remove!r}]\n"
        f"      keep: [{keep!r}]\n", encoding="utf-8")
    return Cleaner(Config(default_rules=False, rules=(str(pack),)))


def test_a_span_rule_bound_to_the_head_leaves_later_lines_alone(tmp_path):
    cleaner = _rule_alone(tmp_path, "drop-span", "    within: {head: 1}\n    match: ' - Example News$'\n",
                               remove="Council approves library - Example News", keep="Council approves library")
    text = "Library plan - Example News\nThe vote - Example News\nLast line - Example News\n"
    assert cleaner.clean(text) == "Library plan\nThe vote - Example News\nLast line - Example News\n"


def test_a_span_rule_screened_by_its_text_still_changes_every_line_that_holds_it(tmp_path):
    cleaner = _rule_alone(tmp_path, "drop-span", "    match: '(?<=\\S)\\s*click to tweet$'\n",
                               remove="Plant a tree today.Click To Tweet", keep="Click to tweet")
    # The second line lower-cases to a longer text (İ): no text can be ruled out there, it is searched.
    text = "Plant a tree today.Click To Tweet\nİstanbul never sleeps. CLICK TO TWEET\nA click to tweet button.\n"
    assert cleaner.clean(text) == "Plant a tree today.\nİstanbul never sleeps.\nA click to tweet button.\n"


def test_each_pattern_of_a_rule_is_screened_by_its_own_texts(tmp_path):
    """A line is matched only against the patterns whose texts it holds; every pattern still takes its lines,
    including a line whose lower-cased form changes length (no text can then be ruled out)."""
    cleaner = _rule_alone(tmp_path, "drop-line",
                          "    prefilter: [support, donate]\n"
                          "    match:\n"
                          "      - '.{0,40}?\\bsupport our journalism\\b.{0,40}'\n"
                          "      - 'donate (?:now|today)'\n",
                          remove="Donate today", keep="We support our local team.")
    assert cleaner.rule("alone.rule").pattern_required[0] != cleaner.rule("alone.rule").pattern_required[1]
    body = "The council voted to build the library on the old market site this week.\n"
    for chrome in ("Donate now", "Please support our journalism today", "İstanbul readers: support our journalism"):
        assert cleaner.clean(f"{body}{chrome}\n{body}") == body + body
    assert cleaner.clean(f"{body}Donate the books to the library\n") == f"{body}Donate the books to the library\n"

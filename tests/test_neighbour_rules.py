"""Neighbour-guarded drop-line rules (`next_to`) and drop-repeat `min_copies`, on small packs of their own."""

from __future__ import annotations

import textwrap

import pytest

from cleaner import Cleaner, Config, RuleError
from cleaner.kinds import LineMatcher

PACK = """\
description: Author boxes and galleries, for the neighbour tests.
rules:
  - id: role
    kind: drop-line
    description: A job title on its own line.
    match: '(?:senior )?(?:editor|writer)'
    examples: {remove: [Editor], keep: [Editors agree.]}
  - id: label
    kind: drop-line
    description: An author box label.
    match: 'written by'
    examples: {remove: [Written by], keep: [Written by hand.]}
  - id: name
    kind: drop-line
    description: A name next to a removed role line or label.
    case_sensitive: true
    max_words: 4
    sentence_end: forbidden
    match: '\\p{Lu}\\p{Ll}+(?: \\p{Lu}\\p{Ll}+){1,2}'
    next_to: {removed_by: [box.role, box.label], side: SIDE}
    examples:
      documents:
        - {with: [box.role], input: "Jane Doe\\nEditor\\nTom Davies\\n", output: "Tom Davies\\n"}
  - id: other-name
    kind: drop-line
    description: A name next to a removed name, which never counts.
    case_sensitive: true
    match: 'Anna Smith'
    next_to: {removed_by: [box]}
    examples:
      documents:
        - {input: "Anna Smith\\n", output: "Anna Smith\\n"}
  - id: gallery
    kind: drop-repeat
    description: Copies of a line printed three times or more.
    mode: earlier
    min_copies: 3
    min_words: 3
    examples:
      documents:
        - {input: "a b c\\na b c\\na b c\\nd e f\\n", output: "a b c\\nd e f\\n"}
"""

BODY = "The council will vote again in March, the mayor said on Tuesday."


def _cleaner(tmp_path, side="either", **config) -> Cleaner:
    path = tmp_path / "box.yaml"
    path.write_text(PACK.replace("SIDE", side), encoding="utf-8")
    return Cleaner(Config(default_rules=False, rules=(str(path),), **config))


def _doc(*lines: str) -> str:
    return "\n".join(lines) + "\n"


def test_name_above_removed_role_goes(tmp_path):
    cleaner = _cleaner(tmp_path)
    result = cleaner.clean_and_explain(_doc(BODY, "", "Jane Doe", "", "Senior Editor"))
    assert result.text == _doc(BODY)
    assert [(e.rule, e.line) for e in result.edits if e.action == "remove"] == [("box.name", 3), ("box.role", 5)]


def test_name_without_a_removed_neighbour_stays(tmp_path):
    cleaner = _cleaner(tmp_path)
    text = _doc("Jane Doe", BODY, "Senior Editor")
    assert cleaner.clean(text) == _doc("Jane Doe", BODY)


@pytest.mark.parametrize("side,kept", [("above", False), ("below", True), ("either", False)])
def test_side_is_where_the_removed_line_is(tmp_path, side, kept):
    # The label is above the name: only sides "above" and "either" let the name go.
    cleaner = _cleaner(tmp_path, side=side)
    out = cleaner.clean(_doc("Written by", "Jane Doe", BODY))
    assert out == (_doc("Jane Doe", BODY) if kept else _doc(BODY))


def test_guards_still_apply(tmp_path):
    cleaner = _cleaner(tmp_path)
    text = _doc("Jane Doe Said So.", "Editor", BODY)
    assert cleaner.clean(text) == _doc("Jane Doe Said So.", BODY)


def test_removals_by_guarded_rules_do_not_chain(tmp_path):
    # "Anna Smith" sits next to "Jane Doe", which box.name removed; box.other-name names the whole pack,
    # but removals by neighbour-guarded rules never count.
    cleaner = _cleaner(tmp_path)
    assert cleaner.clean(_doc("Anna Smith", "Jane Doe", "Editor", BODY)) == _doc("Anna Smith", BODY)


def test_removal_in_a_later_stage_counts_in_the_next_pass(tmp_path):
    # The gallery copy is removed by a drop-repeat rule, after the drop stage; a pack naming it still works.
    pack = PACK.replace("[box.role, box.label]", "[box.gallery]")
    (tmp_path / "box.yaml").write_text(pack.replace("SIDE", "below"), encoding="utf-8")
    cleaner = Cleaner(Config(default_rules=False, rules=(str(tmp_path / "box.yaml"),)))
    text = _doc("one two three", "one two three", "Jane Doe", "one two three", BODY)
    once = cleaner.clean(text)
    assert once == _doc("one two three", BODY)
    assert cleaner.clean(once) == once


def test_idempotent_when_neighbours_change(tmp_path):
    cleaner = _cleaner(tmp_path)
    text = _doc("Jane Doe", "Editor", "Tom Davies", "Written by", "Anna Smith", BODY, "Mary Jones")
    once = cleaner.clean(text)
    assert cleaner.clean(once) == once


def test_lifted_headline_is_not_taken(tmp_path):
    # Lifted lines (the headline) are content: a neighbour rule leaves them.
    cleaner = Cleaner(Config(select=("authors.name-by-author-box", "authors.role-line", "headline")))
    text = _doc("Council Votes Again", "Editor in chief", BODY, BODY)
    assert cleaner.clean(text).startswith("Council Votes Again\n")


def test_guarded_rules_are_matched_only_next_to_removals(tmp_path, monkeypatch):
    cleaner = _cleaner(tmp_path)
    calls = []
    original = LineMatcher.find

    def spy(self, info, deadline, accept=None):
        if any(spec.next_to for spec in self.specs):
            calls.append(info.text)
        return original(self, info, deadline, accept)

    monkeypatch.setattr(LineMatcher, "find", spy)
    cleaner.clean(_doc(*(["Plain Line"] * 20), "Jane Doe", "Editor", *(["Another Line"] * 20)))
    assert set(calls) == {"Jane Doe", "Another Line"}  # the two lines next to the removed role line


def test_guarded_rules_stay_out_of_the_plain_drop_matcher(tmp_path):
    ruleset = _cleaner(tmp_path)._ruleset("", None)
    plain = {spec.id for layer in ruleset.drop.layers for spec in layer.specs}
    guarded = {spec.id for layer in ruleset.drop_next_to.layers for spec in layer.specs}
    assert guarded == {"box.name", "box.other-name"} and not plain & guarded
    assert ruleset.anchors_of["box.other-name"] == {"box.role", "box.label", "box.gallery"}


def test_min_copies_leaves_a_line_printed_twice(tmp_path):
    cleaner = _cleaner(tmp_path)
    twice = _doc("one two three", BODY, "one two three")
    assert cleaner.clean(twice) == twice
    thrice = _doc("one two three", BODY, "one two three", "one two three")
    once = cleaner.clean(thrice)
    assert once == _doc("one two three", BODY)
    assert cleaner.clean(once) == once


def test_min_copies_after_drop_rules(tmp_path):
    # Drop rules run first: copies they take are not there to count or to keep.
    pack = PACK.replace("SIDE", "either").replace("min_words: 3", "min_words: 1")
    (tmp_path / "box.yaml").write_text(pack, encoding="utf-8")
    cleaner = Cleaner(Config(default_rules=False, rules=(str(tmp_path / "box.yaml"),)))
    text = _doc("Senior Editor", BODY, "Senior Editor", "Senior Editor")
    assert cleaner.clean(text) == _doc(BODY)  # every copy is a role line
    text = _doc("Editors", BODY, "Editors", "Editors")
    assert cleaner.clean(text) == _doc("Editors", BODY)


@pytest.mark.parametrize("snippet,message", [
    ("next_to: [box.role]", "must be a mapping"),
    ("next_to: {removed_by: []}", "must be a string or a non-empty list of strings"),
    ("next_to: {removed_by: [Box Role]}", "is not a rule id or pack name"),
    ("next_to: {side: above}", "key 'removed_by': missing key"),
    ("next_to: {removed_by: [box.role], where: above}", "key 'where': unknown key"),
    ("next_to: {removed_by: [box.name]}", "cannot be its own neighbour"),
    ("next_to: {removed_by: [box.other]}", "holds only rules guarded by next_to"),
])
def test_bad_neighbour_guards(tmp_path, snippet, message):
    pack = textwrap.dedent(f"""\
        description: bad neighbour guards
        rules:
          - id: role
            kind: drop-line
            description: A job title.
            match: 'editor'
            examples: {{remove: [Editor], keep: [Editors agree.]}}
          - id: other
            kind: drop-line
            description: Guarded too.
            match: 'x'
            next_to: {{removed_by: [box.role]}}
            examples: {{documents: [{{input: "x\\n", output: "x\\n"}}]}}
          - id: name
            kind: drop-line
            description: A name.
            match: 'jane doe'
            {snippet}
            examples: {{documents: [{{input: "Jane Doe\\n", output: "Jane Doe\\n"}}]}}
        """)
    (tmp_path / "box.yaml").write_text(pack, encoding="utf-8")
    with pytest.raises(RuleError) as caught:
        Cleaner(Config(default_rules=False, rules=(str(tmp_path / "box.yaml"),)))
    assert message in str(caught.value) and "box.yaml:" in str(caught.value)


@pytest.mark.parametrize("mode,snippet,key,message", [
    ("earlier", "min_copies: 1", "min_copies", "must be a whole number >= 2"),
    ("earlier", "min_copies: three", "min_copies", "must be a whole number >= 2"),
    ("earlier", "min_extra_words: 2", "min_extra_words", "only for mode: prefix-of-next"),
    ("prefix-of-next", "min_extra_words: 0", "min_extra_words", "must be a whole number >= 1"),
])
def test_bad_repeat_settings(tmp_path, mode, snippet, key, message):
    pack = textwrap.dedent(f"""\
        description: bad {key}
        rules:
          - id: copies
            kind: drop-repeat
            description: Copies.
            mode: {mode}
            {snippet}
            examples: {{documents: [{{input: "a\\na\\n", output: "a\\na\\n"}}]}}
        """)
    (tmp_path / "box.yaml").write_text(pack, encoding="utf-8")
    with pytest.raises(RuleError) as caught:
        Cleaner(Config(default_rules=False, rules=(str(tmp_path / "box.yaml"),)))
    assert message in str(caught.value) and f"key '{key}'" in str(caught.value)


def test_min_extra_words_keeps_a_list_of_names_and_takes_alt_text(tmp_path):
    pack = textwrap.dedent("""\
        description: alt text
        rules:
          - id: alt
            kind: drop-repeat
            description: Alt text before its caption.
            mode: prefix-of-next
            min_extra_words: 4
            max_words: 20
            sentence_end: forbidden
            examples: {documents: [{input: "a\\n", output: "a\\n"}]}
        """)
    (tmp_path / "box.yaml").write_text(pack, encoding="utf-8")
    cleaner = Cleaner(Config(default_rules=False, rules=(str(tmp_path / "box.yaml"),)))
    names = "Example Phone 15\nExample Phone 15 Plus\nExample Phone 15 Pro Max\n"
    assert cleaner.clean(names) == names
    caption = "Town hall\nTown hall, pictured from the market square in 1920\n"
    assert cleaner.clean(caption) == "Town hall, pictured from the market square in 1920\n"


def test_next_to_only_on_drop_line(tmp_path):
    pack = textwrap.dedent("""\
        description: next_to on a keep rule
        rules:
          - id: keep-names
            kind: keep
            description: Keep.
            match: 'jane doe'
            next_to: {removed_by: [authors]}
            examples: {remove: [Jane Doe], keep: [Tom]}
        """)
    (tmp_path / "box.yaml").write_text(pack, encoding="utf-8")
    with pytest.raises(RuleError, match="key 'next_to': unknown key"):
        Cleaner(Config(default_rules=False, rules=(str(tmp_path / "box.yaml"),)))

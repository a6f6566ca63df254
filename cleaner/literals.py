"""Which literal text every match of a whole-line pattern must begin with, and which texts it must
contain somewhere.

A line is tried against such a rule only when it begins with one of these texts, and holds the texts
the rule needs: most rules are phrase families whose first word a line either has or has not, and a
string test costs far less than a regular expression. Both are worked out once, when the pack is
validated, and kept with the validated packs.
"""

from __future__ import annotations

import re
import warnings
from re import _parser as _sre  # the standard library's pattern parser, loaded with `re`

# A literal followed by a group is extended by the group's openings only up to this many alternatives.
_MAX_EXPANDED = 64
_LITERAL_CHARS = re.compile(r"(?:[^.^$*+?{}\[\]\\|()]|\\[^\w])+")


def _top_level(pattern: str) -> tuple[list[str], int | None]:
    """Split a pattern on its top-level `|`; also give the end of a leading `(...)` group, if any."""
    parts, depth, start, k, group_end = [], 0, 0, 0, None
    while k < len(pattern):
        char = pattern[k]
        if char == "\\":
            k += 2
            continue
        if char == "[":  # a character class: nothing inside it nests or alternates
            k += 1
            if k < len(pattern) and pattern[k] == "^":
                k += 1
            if k < len(pattern) and pattern[k] == "]":
                k += 1
            while k < len(pattern) and pattern[k] != "]":
                k += 2 if pattern[k] == "\\" else 1
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
            if depth == 0 and group_end is None and pattern.startswith("(") and start == 0:
                group_end = k
        elif char == "|" and depth == 0:
            parts.append(pattern[start:k])
            start = k + 1
        k += 1
    parts.append(pattern[start:])
    return parts, group_end


def _leading_characters(pattern: str) -> tuple[tuple[str, ...], int] | None:
    """A leading digit class or short class of listed characters: (the characters, where it ends)."""
    if pattern.startswith("\\d"):
        return tuple("0123456789"), 2
    listed = re.match(r"\[(?!\^)((?:\\.|[^\\\]])+)\]", pattern)
    if listed is None or "-" in listed.group(1)[1:-1].replace("\\-", ""):
        return None  # a range such as a-z
    characters = [unit[-1] for unit in re.findall(r"\\.|.", listed.group(1))]
    if any(unit.startswith("\\") and unit[-1].isalnum() for unit in re.findall(r"\\.|.", listed.group(1))):
        return None  # \s, \w and the like are not single characters
    return tuple(c.lower() for c in characters), listed.end()


def leading_literals(pattern: str, line_start: bool = True) -> tuple[str, ...] | None:
    """Lower-cased literal texts one of which every match of a whole-line pattern must start with, or
    None when that cannot be told (then the rule is always tried). `line_start`: the pattern is matched
    from the start of a line, not after other text."""
    # Lines are matched stripped: leading optional whitespace matches nothing there, and anything after text.
    while line_start and pattern.startswith(("\\s*", "\\s?")):
        pattern = pattern[3:]
    alternatives, group_end = _top_level(pattern)
    if len(alternatives) > 1:
        return rule_literals(tuple(alternatives), line_start)
    if pattern.startswith("(?:") and group_end is not None:
        inner = leading_literals(pattern[3:group_end], line_start)
        after = pattern[group_end + 1:]
        if after[:1] in ("?", "*"):  # an optional group: the match starts with it or with what follows
            rest = leading_literals(after[2:] if after[1:2] == "?" else after[1:], line_start)
            return None if inner is None or rest is None else inner + rest
        counted = re.match(r"\{(\d*)(?:,\d*)?\}\??", after)
        if counted is not None and not int(counted.group(1) or 0):  # {0,n}: optional, as above
            rest = leading_literals(after[counted.end():], line_start)
            return None if inner is None or rest is None else inner + rest
        return inner  # once, or a counted number of times (at least once)
    first = _leading_characters(pattern)
    if first is not None:
        characters, end = first
        if pattern[end:end + 1] in ("?", "*"):
            rest = leading_literals(pattern[end + 1:], line_start)
            return None if rest is None else characters + rest
        return characters
    match = _LITERAL_CHARS.match(pattern)
    if match is None:
        return None
    units = re.findall(r"\\.|.", match.group())  # an escaped character is one unit
    quantified = pattern[match.end():match.end() + 1] in ("?", "*", "{")
    if quantified:
        if len(units) == 1 and pattern[match.end()] in ("?", "*"):
            # An optional first character ("¿?", "\\(?"): the match starts with it or with what follows.
            rest = leading_literals(pattern[match.end() + 1:], line_start)
            return None if rest is None else (units[0][-1].lower(),) + rest
        units.pop()  # the last character is optional
    literal = "".join(unit[-1] for unit in units).lower()
    if not literal.strip():
        return None
    # Text then a group of alternatives ("the (?:story|article) continues"): every match begins with the
    # text and one of the group's openings, so a line is tried only when it begins with both.
    grouped = not quantified and pattern[match.end():match.end() + 1] == "("
    after = leading_literals(pattern[match.end():], False) if grouped else None
    if after is None or len(after) > _MAX_EXPANDED:
        return (literal,)
    return tuple(literal + text for text in after)


def rule_literals(patterns: tuple[str, ...], line_start: bool = True) -> tuple[str, ...] | None:
    """The union over a rule's patterns (or a pattern's alternatives), or None if any may begin with anything."""
    found: list[str] = []
    for pattern in patterns:
        literals = leading_literals(pattern, line_start)
        if literals is None:
            return None
        found.extend(literals)
    return tuple(found)


def whole_words_pattern(words: frozenset[str] | set[str]) -> str:
    """A pattern for the standard library's `re` that finds any of the words as a whole word (a maximal
    run of word characters). The alternation is factored by common prefixes, so a position costs a few
    character tests however many words there are."""
    trie: dict = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}
    return rf"(?<!\w){_alternation(trie)}(?!\w)"


def _alternation(node: dict) -> str:
    branches = [re.escape(char) + _alternation(child) for char, child in sorted(node.items()) if char]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if "" in node:  # a word may end here
        return body + "?" if len(branches) == 1 and len(body) == 1 else "(?:" + "|".join(branches) + ")?"
    return body


# Patterns are written for the `regex` module; the standard library's parser reads the common subset.
# Property classes (\p{Lu}) become \w, one character of some kind, which is all a requirement needs to
# know of them. Where the two could read a pattern differently (fuzzy counts, `{` as a literal, nested
# sets, which the standard parser warns about), no requirement is drawn and the rule is simply tried.
_PROPERTY = re.compile(r"(?<!\\)\\[pP]\{[\w=:&.| -]*\}")
_UNSURE = re.compile(r"\{(?![\d,])|\[\[|\(\?[a-zA-Z]*[Vrfb]|\\[pPLXmMG]")


def required_literals(patterns: tuple[str, ...]) -> tuple[tuple[str, ...], ...] | None:
    """Sets of lower-cased texts such that every match of any of the patterns contains one text of
    each set, or None when that cannot be told. Variants of a phrase family share them, so a line
    without them is turned away once for all the variants."""
    needs = [_pattern_requirement(pattern) for pattern in patterns]
    if any(need is None for need in needs):
        return None
    if len(needs) == 1:
        return needs[0]
    # A match of any one pattern will do: only the union of each pattern's most telling set must hold.
    return (tuple(sorted({text for need in needs for text in need[0]})),)


def _pattern_requirement(pattern: str) -> tuple[tuple[str, ...], ...] | None:
    pattern = _PROPERTY.sub(r"\\w", pattern)
    if _UNSURE.search(pattern):
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            parsed = _sre.parse(pattern)
    except (re.error, Warning, RecursionError):
        return None
    needs = _sequence(list(parsed))
    return tuple(needs[:_MOST_SETS]) if needs else None


_MOST_SETS = 3  # testing more sets than this on a line costs more than the matches it saves


def _telling(texts: tuple[str, ...]) -> tuple[int, int]:
    return min(map(len, texts)), -len(texts)


def _sequence(items: list) -> list[tuple[str, ...]]:
    """The sets of texts a match passing through the items in order needs (one text of each set),
    most telling (longest shortest text) first."""
    needs: list[tuple[str, ...]] = []
    run: list[str] = []
    for op, av in items + [(None, None)]:
        if op is _sre.LITERAL:
            run.append(chr(av))
            continue
        if run:
            needs.append(("".join(run).lower(),))
            run = []
        if op is _sre.SUBPATTERN:
            needs.extend(_sequence(list(av[-1])))
        elif op is _sre.ATOMIC_GROUP:
            needs.extend(_sequence(list(av)))
        elif op is _sre.ASSERT:  # a lookaround that must hold looks at text of the line too
            needs.extend(_sequence(list(av[1])))
        elif op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT, _sre.POSSESSIVE_REPEAT) and av[0] >= 1:
            needs.extend(_sequence(list(av[2])))
        elif op is _sre.BRANCH:
            # One alternative or another: only what each alternative needs most can be kept, as one set.
            alternatives = [_sequence(list(branch)) for branch in av[1]]
            if all(alternatives):
                needs.append(tuple(sorted({text for need in alternatives for text in need[0]})))
        elif op is _sre.IN and av and all(kind is _sre.LITERAL for kind, _ in av):
            needs.append(tuple(sorted({chr(code).lower() for _, code in av})))
    unique = list(dict.fromkeys(needs))
    return sorted(unique, key=_telling, reverse=True)

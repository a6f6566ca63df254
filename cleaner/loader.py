"""Find rule packs, read them strictly and validate every rule into a RuleSpec.

A pack is one YAML file; its name is its path below the rules folder without the extension, with `/`
turned into `.` (`rules/comments.yaml` -> `comments`), and each rule's id is `pack.rule`. Files and
folders whose name starts with `_` hold data, not rules.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any, Iterable

import regex

from . import strictyaml
from .literals import leading_literals, required_literals
from .model import AutoPick, BlockItem, BodySettings, CommentsAfter, Guards, NextTo, Pack, RuleError, RuleSpec
from .strictyaml import Located, LocatedStr

KINDS = ("drop-line", "drop-span", "cut-after", "drop-repeat", "lift", "keep", "body-block")
ARTICLE_PRESET = "article"
LIFT_FIELDS = ("title", "standfirst", "author", "dateline", "published")
REPEAT_MODES = ("earlier", "prefix-of-next")
SENTENCE_END = ("any", "required", "forbidden")
NEXT_TO_SIDES = ("either", "above", "below")
MAX_PATTERN_LENGTH = 4000
# A bound on a pattern's size once counted repetitions are expanded ((?:a{1000}){1000} is refused).
MAX_EXPANDED_SIZE = 100_000

_GUARD_KEYS = {"max_words", "min_words", "sentence_end", "within"}
_COMMON_KEYS = {"id", "kind", "description", "examples"}
_KIND_KEYS = {
    "drop-line": {"match", "case_sensitive", "prefilter", "next_to"} | _GUARD_KEYS,
    "keep": {"match", "case_sensitive", "prefilter"} | _GUARD_KEYS,
    "drop-span": {"match", "case_sensitive", "replace"} | _GUARD_KEYS,
    "cut-after": {"match", "case_sensitive", "max_prose_after", "max_share_after", "comments_after",
                  "prefilter"} | _GUARD_KEYS,
    "drop-repeat": {"mode", "match", "case_sensitive", "of_lifted", "min_copies", "min_extra_words"} | _GUARD_KEYS,
    "lift": {"block", "case_sensitive"} | _GUARD_KEYS,
    "body-block": {"stopwords", "good_min_words", "good_min_stopword_share", "prose_min_chars",
                   "short_max_words", "short_penalty", "list_item_penalty", "medium_line_score",
                   "secondary_max_loss", "secondary_min_score", "data_line_score", "numbered_item_score",
                   "sentence_min_chars", "repeat_min_share", "listed_item_score"},
}
# Rules whose effect depends on the rest of the document prove themselves on whole documents.
_DOCUMENT_EXAMPLE_KINDS = {"drop-repeat", "lift", "cut-after", "body-block"}
_PACK_KEYS = {"description", "domains", "presets", "language", "auto", "rules"}
_AUTO_KEYS = {"first_lines", "short_max_words", "min_short_share", "min_lines", "furniture", "min_furniture",
              "furniture_short_share", "edge_lines"}
AUTO_PRESET = "auto"
_RULE_ID = regex.compile(r"[a-z0-9][a-z0-9-]*")
_RULE_NAME = regex.compile(r"[a-z0-9][a-z0-9-]*(?:\.[a-z0-9][a-z0-9-]*)*")  # a rule id or a pack name
_CONTROL = regex.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_BACKREFERENCE = regex.compile(r"\\[1-9]|\(\?P=|\\g<")
_COUNT = regex.compile(r"\{(\d*)(?:,(\d*))?\}")


def builtin_rules_dir() -> Path:
    """The packs shipped with cleaner: inside the installed package, or beside it in a checkout."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "rules", here.parent / "rules"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"built-in rules not found next to {here}")


def pack_files(root: Path) -> list[tuple[str, Path]]:
    """(pack name, path) for every rule file under root (or root itself if it is a file), sorted."""
    if root.is_file():
        return [(root.stem, root)]
    if not root.is_dir():
        raise RuleError(str(root), None, "no such rule file or folder")
    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith(("_", ".")))
        for name in sorted(filenames):
            if name.endswith((".yaml", ".yml")) and not name.startswith("_"):
                path = Path(dirpath) / name
                rel = path.relative_to(root).with_suffix("")
                found.append((".".join(rel.parts), path))
    return found


def load_packs(roots: Iterable[Path]) -> list[Pack]:
    packs: list[Pack] = []
    seen: dict[str, str] = {}
    for root in roots:
        for name, path in pack_files(Path(root)):
            pack = load_pack(path, name)
            for rule in pack.rules:
                if rule.id in seen:
                    raise RuleError(str(path), None, f"rule id already defined at {seen[rule.id]}", rule=rule.id)
                seen[rule.id] = rule.source
            packs.append(pack)
    _check_next_to(packs)
    return packs


def _check_next_to(packs: list[Pack]) -> None:
    """Every name a neighbour guard lists must name a loaded rule or pack whose removals can count."""
    rules = [rule for pack in packs for rule in pack.rules]
    for pack in packs:
        for rule in pack.rules:
            if rule.next_to is None:
                continue
            for name in rule.next_to.removed_by:
                named = [r for r in rules if r.id == name or r.id.startswith(name + ".")]
                if not named:
                    raise RuleError(pack.path, rule.next_to.line, f"no rule or pack named '{name}'",
                                    rule=rule.id, key="removed_by")
                if name == rule.id:
                    raise RuleError(pack.path, rule.next_to.line, "a rule cannot be its own neighbour",
                                    rule=rule.id, key="removed_by")
                if all(r.next_to is not None for r in named):
                    raise RuleError(pack.path, rule.next_to.line, f"'{name}' holds only rules guarded by "
                                    "next_to themselves, whose removals never count", rule=rule.id,
                                    key="removed_by")


def rules_digest(packs: Iterable[Pack]) -> str:
    """A short hash of the rule files' content: names the rules that cleaned a corpus."""
    digest = hashlib.sha256()
    for pack in packs:
        digest.update(pack.name.encode())
        digest.update(Path(pack.path).read_bytes())
    return digest.hexdigest()[:12]


def load_pack(path: Path, name: str) -> Pack:
    spath = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise RuleError(spath, None, f"rule files must be UTF-8 ({exc.reason} at byte {exc.start})") from None
    except OSError as exc:
        raise RuleError(spath, None, f"cannot read: {exc.strerror}") from None
    data = strictyaml.load(text, spath)
    if not isinstance(data, Located):
        raise RuleError(spath, 1, "a rule pack is a mapping with 'description' and 'rules'")
    _check_keys(data, _PACK_KEYS, spath, None)
    description = _require_str(data, "description", spath, None)
    domains = tuple(_str_list(data, "domains", spath, None)) if "domains" in data else ()
    presets = tuple(_str_list(data, "presets", spath, None)) if "presets" in data else ()
    if AUTO_PRESET in presets:
        raise RuleError(spath, data.line_of("presets"), f"'{AUTO_PRESET}' is the preset that picks another per "
                        "document; a pack cannot run in it", key="presets")
    language = data.get("language")
    if language is not None and (not isinstance(language, str) or not regex.fullmatch(r"[a-z]{2,3}", language)):
        raise RuleError(spath, data.line_of("language"), "must be a language code such as 'de'", key="language")
    auto = _auto(data, presets, spath) if "auto" in data else None
    if "rules" not in data:
        raise RuleError(spath, data.line, "missing key", key="rules")
    rules_node = data["rules"]
    if not isinstance(rules_node, list) or not rules_node:
        raise RuleError(spath, data.line_of("rules"), "must be a non-empty list of rules", key="rules")
    rules = []
    ids = set()
    for node in rules_node:
        rule = _rule(node, name, spath)
        if rule.id in ids:
            raise RuleError(spath, node.line_of("id"), "duplicate rule id in this pack", rule=rule.id, key="id")
        ids.add(rule.id)
        rules.append(rule)
    return Pack(name, spath, description, domains, tuple(rules), presets, language, auto)


def _auto(data: Located, presets: tuple[str, ...], path: str) -> AutoPick:
    """The document shape for which the auto preset picks this pack's (single) preset."""
    node = data["auto"]
    if not isinstance(node, Located):
        raise RuleError(path, data.line_of("auto"), "must be a mapping of " + ", ".join(sorted(_AUTO_KEYS)), key="auto")
    _check_keys(node, _AUTO_KEYS, path, None)
    if len(presets) != 1 or presets[0] in (ARTICLE_PRESET, AUTO_PRESET):
        raise RuleError(path, data.line_of("auto"), "needs the pack to name exactly one preset of its own in "
                        "'presets'", key="auto")
    defaults = AutoPick(presets[0])

    def share(key: str, default: float) -> float:
        value = _number(node, key, path, None, default)
        if value > 1:
            raise RuleError(path, node.line_of(key), "must be a share between 0 and 1", key=key)
        return value

    def count(key: str, default: int, least: int = 0) -> int:
        return max(least, int(_number(node, key, path, None, default)))

    furniture = tuple(p.casefold() for p in _str_list(node, "furniture", path, None)) if "furniture" in node else ()
    return AutoPick(presets[0], first_lines=count("first_lines", defaults.first_lines, 1),
                    short_max_words=count("short_max_words", defaults.short_max_words),
                    min_short_share=share("min_short_share", defaults.min_short_share),
                    min_lines=count("min_lines", defaults.min_lines), furniture=furniture,
                    min_furniture=count("min_furniture", defaults.min_furniture, 1),
                    furniture_short_share=share("furniture_short_share", defaults.furniture_short_share),
                    edge_lines=count("edge_lines", defaults.edge_lines, 1))


def _rule(node: Any, pack: str, path: str) -> RuleSpec:
    if not isinstance(node, Located):
        raise RuleError(path, getattr(node, "line", None), "each rule must be a mapping")
    raw_id = node.get("id")
    if not isinstance(raw_id, str) or not _RULE_ID.fullmatch(raw_id):
        raise RuleError(path, node.line_of("id") if "id" in node else node.line,
                        "required: lower-case letters, digits and '-'", key="id")
    rule_id = f"{pack}.{raw_id}"
    kind = node.get("kind")
    if kind not in KINDS:
        raise RuleError(path, node.line_of("kind") if "kind" in node else node.line,
                        f"must be one of {', '.join(KINDS)}", rule=rule_id, key="kind")
    _check_keys(node, _COMMON_KEYS | _KIND_KEYS[kind], path, rule_id)
    description = _require_str(node, "description", path, rule_id)
    case_sensitive = _bool(node, "case_sensitive", path, rule_id)
    guards = _guards(node, path, rule_id)
    patterns: tuple[str, ...] = ()
    if "match" in node or kind not in ("lift", "drop-repeat", "body-block"):
        patterns = tuple(_patterns(node, "match", path, rule_id, allow_groups=False, flags=case_sensitive))
    block: tuple[BlockItem, ...] = ()
    if kind == "lift":
        block = _block(node, path, rule_id, case_sensitive)
    mode = ""
    if kind == "drop-repeat":
        mode = node.get("mode")
        if mode not in REPEAT_MODES:
            raise RuleError(path, node.line_of("mode") if "mode" in node else node.line,
                            f"must be one of {', '.join(REPEAT_MODES)}", rule=rule_id, key="mode")
    replace = ""
    if "replace" in node:
        replace = _require_str(node, "replace", path, rule_id, allow_empty=True)
        if "\\" in replace:
            raise RuleError(path, node.line_of("replace"), "a replacement is literal text: no backslashes",
                            rule=rule_id, key="replace")
    max_prose_after = _int(node, "max_prose_after", path, rule_id)
    max_share_after = None
    if "max_share_after" in node:
        max_share_after = _number(node, "max_share_after", path, rule_id, 1.0)
        if max_share_after > 1:
            raise RuleError(path, node.line_of("max_share_after"), "must be a share between 0 and 1", rule=rule_id,
                            key="max_share_after")
    comments_after = _comments_after(node, path, rule_id, case_sensitive) if "comments_after" in node else None
    prefilter = ()
    if "prefilter" in node:
        prefilter = tuple(sorted({w.lower() for w in _str_list(node, "prefilter", path, rule_id)}))
        if not all(w.strip() for w in prefilter):
            raise RuleError(path, node.line_of("prefilter"), "prefilter words must not be blank", rule=rule_id,
                            key="prefilter")
    of_lifted = _bool(node, "of_lifted", path, rule_id)
    if of_lifted and mode != "earlier":
        raise RuleError(path, node.line_of("of_lifted"), "only for mode: earlier", rule=rule_id, key="of_lifted")
    min_copies = _int(node, "min_copies", path, rule_id, minimum=2)
    if min_copies is not None and mode != "earlier":
        raise RuleError(path, node.line_of("min_copies"), "only for mode: earlier", rule=rule_id, key="min_copies")
    min_extra_words = _int(node, "min_extra_words", path, rule_id, minimum=1)
    if min_extra_words is not None and mode != "prefix-of-next":
        raise RuleError(path, node.line_of("min_extra_words"), "only for mode: prefix-of-next", rule=rule_id,
                        key="min_extra_words")
    next_to = _next_to(node, path, rule_id) if "next_to" in node else None
    body = _body(node, path, rule_id) if kind == "body-block" else None
    examples = _examples(node, kind, path, rule_id, documents_only=next_to is not None)
    # Each pattern's leading literals, worked out once: the rule's are their union (none if any has none).
    pattern_leading = tuple(leading_literals(p) for p in patterns)
    leading = None if not patterns or None in pattern_leading else tuple(t for texts in pattern_leading for t in texts)
    return RuleSpec(id=rule_id, kind=kind, description=description, source=f"{path}:{node.line}",
                    patterns=patterns, case_sensitive=case_sensitive, guards=guards, replace=replace,
                    mode=mode, max_prose_after=max_prose_after, max_share_after=max_share_after, comments_after=comments_after, of_lifted=of_lifted, min_copies=min_copies, min_extra_words=min_extra_words, next_to=next_to, prefilter=prefilter, leading=leading, required=required_literals(patterns) if patterns else None, pattern_required=tuple(required_literals((p,)) for p in patterns) if len(patterns) > 1 else (), pattern_leading=pattern_leading if len(patterns) > 1 else (), block=block, body=body, examples=examples)


def _next_to(node: Located, path: str, rule: str) -> NextTo:
    """`next_to: {removed_by: [rule ids or packs], side: either|above|below}`."""
    value = node["next_to"]
    line = node.line_of("next_to")
    if not isinstance(value, Located):
        raise RuleError(path, line, "must be a mapping: {removed_by: [rule ids or packs], side: "
                        f"{'|'.join(NEXT_TO_SIDES)}}}", rule=rule, key="next_to")
    _check_keys(value, {"removed_by", "side"}, path, rule)
    if "removed_by" not in value:
        raise RuleError(path, line, "missing key", rule=rule, key="removed_by")
    names = _str_list(value, "removed_by", path, rule)
    for name in names:
        if not _RULE_NAME.fullmatch(name):
            raise RuleError(path, value.line_of("removed_by"), f"'{name}' is not a rule id or pack name "
                            "(such as 'credits' or 'authors.role-line')", rule=rule, key="removed_by")
    side = value.get("side", "either")
    if side not in NEXT_TO_SIDES:
        raise RuleError(path, value.line_of("side"), f"must be one of {', '.join(NEXT_TO_SIDES)}", rule=rule,
                        key="side")
    return NextTo(tuple(dict.fromkeys(names)), side, value.line_of("removed_by"))


def _comments_after(node: Located, path: str, rule: str, case_sensitive: bool) -> CommentsAfter:
    """`comments_after: {match: [furniture patterns], commenters: [patterns], min_lines: N, max_prose_run: N,
    max_reply_run: N}`."""
    value = node["comments_after"]
    if not isinstance(value, Located):
        raise RuleError(path, node.line_of("comments_after"), "must be a mapping: {match: [comment furniture "
                        "patterns], commenters: [patterns], min_lines: N, max_prose_run: N, max_reply_run: N}",
                        rule=rule, key="comments_after")
    _check_keys(value, {"match", "commenters", "min_lines", "max_prose_run", "max_reply_run"}, path, rule)
    if node.get("max_prose_after") is None and node.get("max_share_after") is None:
        raise RuleError(path, node.line_of("comments_after"), "waives max_prose_after and max_share_after when "
                        "comments follow the marker: the rule needs one of them", rule=rule, key="comments_after")
    patterns = _patterns(value, "match", path, rule, allow_groups=False, flags=case_sensitive)
    commenters = (_patterns(value, "commenters", path, rule, allow_groups=False, flags=case_sensitive)
                  if "commenters" in value else [])
    defaults = CommentsAfter(())
    min_lines = _int(value, "min_lines", path, rule, minimum=2)
    max_prose_run = _int(value, "max_prose_run", path, rule, minimum=1)
    max_reply_run = _int(value, "max_reply_run", path, rule, minimum=1)
    if max_reply_run is not None and not commenters:
        raise RuleError(path, value.line_of("max_reply_run"), "applies under a commenter line: give the "
                        "commenters patterns too", rule=rule, key="max_reply_run")
    return CommentsAfter(tuple(patterns), defaults.min_lines if min_lines is None else min_lines,
                         defaults.max_prose_run if max_prose_run is None else max_prose_run, tuple(commenters),
                         defaults.max_reply_run if max_reply_run is None else max_reply_run)


def _check_keys(node: Located, allowed: set[str], path: str, rule: str | None) -> None:
    for key in node:
        if key not in allowed:
            raise RuleError(path, node.line_of(key), f"unknown key; allowed: {', '.join(sorted(allowed))}",
                            rule=rule, key=key, column=node.column_of(key))


def _require_str(node: Located, key: str, path: str, rule: str | None, allow_empty: bool = False) -> str:
    if key not in node:
        raise RuleError(path, node.line, "missing key", rule=rule, key=key)
    value = node[key]
    if not isinstance(value, str) or (not allow_empty and not value.strip()):
        raise RuleError(path, node.line_of(key), f"must be a{'' if allow_empty else ' non-empty'} string",
                        rule=rule, key=key)
    return str(value)


def _str_list(node: Located, key: str, path: str, rule: str | None) -> list[str]:
    value = node[key]
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not value or not all(isinstance(v, str) for v in value):
        raise RuleError(path, node.line_of(key), "must be a string or a non-empty list of strings",
                        rule=rule, key=key)
    return [str(v) for v in value]


def _bool(node: Located, key: str, path: str, rule: str) -> bool:
    value = node.get(key, False)
    if not isinstance(value, bool):
        raise RuleError(path, node.line_of(key), "must be true or false", rule=rule, key=key)
    return value


def _int(node: Located, key: str, path: str, rule: str, minimum: int = 0) -> int | None:
    if key not in node:
        return None
    value = node[key]
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise RuleError(path, node.line_of(key), f"must be a whole number >= {minimum}", rule=rule, key=key)
    return value


def _guards(node: Located, path: str, rule: str) -> Guards:
    sentence_end = node.get("sentence_end", "any")
    if sentence_end not in SENTENCE_END:
        raise RuleError(path, node.line_of("sentence_end"), f"must be one of {', '.join(SENTENCE_END)}",
                        rule=rule, key="sentence_end")
    head = tail = None
    if "within" in node:
        within = node["within"]
        if not isinstance(within, Located) or len(within) != 1 or not set(within) <= {"head", "tail"}:
            raise RuleError(path, node.line_of("within"), "must be {head: N} or {tail: N}", rule=rule, key="within")
        head = _int(within, "head", path, rule, minimum=1)
        tail = _int(within, "tail", path, rule, minimum=1)
    return Guards(max_words=_int(node, "max_words", path, rule, minimum=1),
                  min_words=_int(node, "min_words", path, rule),
                  sentence_end=sentence_end, head=head, tail=tail)


def _patterns(node: Located, key: str, path: str, rule: str, *, allow_groups: bool, flags: bool) -> list[str]:
    if key not in node:
        raise RuleError(path, node.line, "missing key", rule=rule, key=key)
    value = node[key]
    items = value if isinstance(value, list) else [value]
    lines = value.item_lines if isinstance(value, list) else [node.line_of(key)]
    if not items:
        raise RuleError(path, node.line_of(key), "must list at least one pattern", rule=rule, key=key)
    patterns = []
    for item, line in zip(items, lines):
        patterns.append(check_pattern(item, path, line, rule, key, allow_groups=allow_groups,
                                      case_sensitive=flags))
    return patterns


def check_pattern(item: Any, path: str, line: int, rule: str, key: str, *, allow_groups: bool,
                  case_sensitive: bool) -> str:
    if not isinstance(item, str):
        raise RuleError(path, line, f"a pattern must be a string, got {type(item).__name__} {item!r}; "
                        "quote it ('yes', '12:30')", rule=rule, key=key)
    if isinstance(item, LocatedStr) and item.style == '"' and _CONTROL.search(item):
        raise RuleError(path, line, "pattern holds a control character: in double quotes \"\\b\" is a "
                        "backspace; write patterns in single quotes ('\\bword')", rule=rule, key=key)
    if not item:
        raise RuleError(path, line, "a pattern must not be empty", rule=rule, key=key)
    if len(item) > MAX_PATTERN_LENGTH:
        raise RuleError(path, line, f"pattern longer than {MAX_PATTERN_LENGTH} characters", rule=rule, key=key)
    size = expanded_size(item)
    if size > MAX_EXPANDED_SIZE:
        raise RuleError(path, line, f"counted repetitions expand this pattern to about {size} items (at most "
                        f"{MAX_EXPANDED_SIZE}): compiling it would take too long", rule=rule, key=key)
    if _BACKREFERENCE.search(item):
        raise RuleError(path, line, "backreferences are not allowed (patterns are combined)", rule=rule, key=key)
    try:
        compiled = regex.compile(item, 0 if case_sensitive else regex.IGNORECASE)
    except regex.error as exc:
        raise RuleError(path, line, f"invalid pattern: {exc}", rule=rule, key=key) from None
    allowed = {"value"} if allow_groups else set()
    if set(compiled.groupindex) - allowed:
        hint = "only (?P<value>...) is allowed in a lift block" if allow_groups else "use (?:...)"
        raise RuleError(path, line, f"named groups are not allowed here; {hint}", rule=rule, key=key)
    return str(item)


def _number(node: Located, key: str, path: str, rule: str, default: float) -> float:
    value = node.get(key, default)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        raise RuleError(path, node.line_of(key), "must be a number >= 0", rule=rule, key=key)
    return value


def _body(node: Located, path: str, rule: str) -> BodySettings:
    """A body-block rule's thresholds, and its stop-word lists: files of one word a line, beside the pack."""
    words: set[str] = set()
    for name in _str_list(node, "stopwords", path, rule) if "stopwords" in node else []:
        file = Path(path).parent / name
        try:
            text = file.read_text(encoding="utf-8")
        except OSError as exc:
            raise RuleError(path, node.line_of("stopwords"), f"cannot read stop-word list {file}: {exc.strerror}",
                            rule=rule, key="stopwords") from None
        words.update(w.strip().casefold() for w in text.splitlines() if w.strip() and not w.startswith("#"))
    defaults = BodySettings()
    repeat_min_share = _number(node, "repeat_min_share", path, rule, defaults.repeat_min_share)
    if repeat_min_share > 1:
        raise RuleError(path, node.line_of("repeat_min_share"), "must be a share between 0 and 1", rule=rule,
                        key="repeat_min_share")
    return BodySettings(
        stopwords=frozenset(words),
        good_min_words=int(_number(node, "good_min_words", path, rule, defaults.good_min_words)),
        good_min_stopword_share=_number(node, "good_min_stopword_share", path, rule,
                                        defaults.good_min_stopword_share),
        prose_min_chars=int(_number(node, "prose_min_chars", path, rule, defaults.prose_min_chars)),
        short_max_words=int(_number(node, "short_max_words", path, rule, defaults.short_max_words)),
        short_penalty=_number(node, "short_penalty", path, rule, defaults.short_penalty),
        list_item_penalty=_number(node, "list_item_penalty", path, rule,
                                  _number(node, "short_penalty", path, rule, defaults.short_penalty)),
        medium_line_score=_number(node, "medium_line_score", path, rule, defaults.medium_line_score),
        secondary_max_loss=_number(node, "secondary_max_loss", path, rule, defaults.secondary_max_loss),
        secondary_min_score=_number(node, "secondary_min_score", path, rule, defaults.secondary_min_score),
        data_line_score=_number(node, "data_line_score", path, rule, defaults.data_line_score),
        numbered_item_score=_number(node, "numbered_item_score", path, rule, defaults.numbered_item_score),
        sentence_min_chars=int(_number(node, "sentence_min_chars", path, rule, defaults.sentence_min_chars)),
        repeat_min_share=repeat_min_share,
        listed_item_score=_number(node, "listed_item_score", path, rule, defaults.listed_item_score))


def expanded_size(pattern: str) -> int:
    """Roughly how many items a pattern compiles to: each atom counts 1, times its enclosing {m,n} counts."""
    levels = [[0, 0]]  # per open group: [size so far, size of the last atom]
    i = 0
    while i < len(pattern):
        char = pattern[i]
        atom = None
        if char == "\\":
            atom, i = 1, i + 2
        elif char == "[":
            end = i + 1
            while end < len(pattern) and (pattern[end] != "]" or end == i + 1):
                end += 2 if pattern[end] == "\\" else 1
            atom, i = 1, end + 1
        elif char == "(":
            levels.append([0, 0])
            i += 1
        elif char == ")" and len(levels) > 1:
            atom, i = levels.pop()[0], i + 1
        elif char == "{" and (count := _COUNT.match(pattern, i)) and any(count.groups()):
            times = max(int(n) for n in count.groups() if n)
            levels[-1][0] += levels[-1][1] * (times - 1)
            levels[-1][1] *= times
            i = count.end()
        else:
            atom, i = 1, i + 1
        if atom is not None:
            levels[-1][0] += atom
            levels[-1][1] = atom
    return sum(level[0] for level in levels)


def _block(node: Located, path: str, rule: str, case_sensitive: bool) -> tuple[BlockItem, ...]:
    value = node.get("block")
    if not isinstance(value, list) or not value:
        raise RuleError(path, node.line_of("block") if "block" in node else node.line,
                        "must be a non-empty list of {field, match}", rule=rule, key="block")
    items = []
    for item in value:
        if not isinstance(item, Located):
            raise RuleError(path, node.line_of("block"), "each block item is a mapping", rule=rule, key="block")
        _check_keys(item, {"field", "match", "optional", "content"}, path, rule)
        field = item.get("field")
        if field not in LIFT_FIELDS:
            raise RuleError(path, item.line_of("field") if "field" in item else item.line,
                            f"must be one of {', '.join(LIFT_FIELDS)}", rule=rule, key="field")
        pattern = check_pattern(item.get("match"), path, item.line_of("match"), rule, "match",
                                allow_groups=True, case_sensitive=case_sensitive)
        items.append(BlockItem(field, pattern, _bool(item, "optional", path, rule), _bool(item, "content", path, rule)))
    if all(i.optional for i in items):
        raise RuleError(path, node.line_of("block"), "at least one block item must be required", rule=rule, key="block")
    return tuple(items)


def _examples(node: Located, kind: str, path: str, rule: str, documents_only: bool = False) -> dict[str, Any]:
    """Check the examples' shape; they are run by the test suite, never while cleaning.

    A rule guarded by its neighbours (`documents_only`) cannot fire on a line alone: it proves itself on
    documents only, run with the rules it names (`with`)."""
    if "examples" not in node:
        raise RuleError(path, node.line, "missing key: every rule carries examples", rule=rule, key="examples")
    examples = node["examples"]
    if not isinstance(examples, Located):
        raise RuleError(path, node.line_of("examples"), "must be a mapping of remove/keep/documents",
                        rule=rule, key="examples")
    _check_keys(examples, {"remove", "keep", "documents"}, path, rule)
    out: dict[str, Any] = {"line": examples.line}
    for key in ("remove", "keep"):
        if key in examples:
            out[key] = _str_list(examples, key, path, rule)
    if "documents" in examples:
        docs = examples["documents"]
        if not isinstance(docs, list) or not docs:
            raise RuleError(path, examples.line_of("documents"), "must be a non-empty list", rule=rule, key="documents")
        out["documents"] = []
        for doc in docs:
            if not isinstance(doc, Located):
                raise RuleError(path, examples.line_of("documents"), "each document is a mapping",
                                rule=rule, key="documents")
            _check_keys(doc, {"input", "output", "metadata", "with"}, path, rule)
            for key in ("input", "output"):
                if not isinstance(doc.get(key), str):
                    raise RuleError(path, doc.line, "must be a string", rule=rule, key=key)
            out["documents"].append({"input": str(doc["input"]), "output": str(doc["output"]),
                                     "metadata": dict(doc.get("metadata") or {}), "line": doc.line,
                                     "with": _str_list(doc, "with", path, rule) if "with" in doc else []})
    if documents_only:
        for key in ("remove", "keep"):
            if key in out:
                raise RuleError(path, examples.line_of(key), "a rule guarded by next_to cannot act on a line "
                                "alone: give documents (with the rules it names in 'with')", rule=rule, key=key)
    document_kind = kind in _DOCUMENT_EXAMPLE_KINDS or documents_only
    needed = ("documents",) if document_kind else ("remove", "keep")
    for key in needed:
        if key not in out:
            raise RuleError(path, examples.line, f"missing '{key}' examples: a {kind} rule"
                            f"{' with next_to' if documents_only else ''} needs "
                            f"{' and '.join(needed)}", rule=rule, key="examples")
    if document_kind and "keep" not in out and not any(
            d["output"].strip() for d in out["documents"]):
        raise RuleError(path, examples.line, "document examples must show what the rule keeps too",
                        rule=rule, key="examples")
    return out

"""Command line: `cleaner < in.txt > out.txt`, plus `cleaner rules`, `cleaner explain RULE-ID`, and
`cleaner fix|check PATH...` (cleaner/corpus.py). Settings come from [tool.cleaner] (cleaner/config.py).

Exit status: 0 success, 1 files changed (fix, check), 2 usage, configuration, rule or input error.
Never a traceback for a user's mistake.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Sequence

from . import __version__, config
from .model import CleanerError, RuleError
from .pipeline import Cleaner

COMMANDS = ("rules", "explain", "fix", "check", "jsonl", "suggest")


class _Version(argparse.Action):
    """`--version`: the package's version and the version (digest) of the rule packs this configuration loads,
    the one `cleaner jsonl --add-version` records."""

    def __init__(self, option_strings, dest, **kwargs) -> None:
        super().__init__(option_strings, dest, nargs=0, default=argparse.SUPPRESS,
                         help="print the package and rule pack versions and exit")

    def __call__(self, parser, namespace, values, option_string=None) -> None:
        try:
            rules = Cleaner(config.resolve(namespace).config).rules_version
        except (CleanerError, RuleError) as exc:
            parser.exit(2, f"cleaner {__version__} (rules not loaded: {exc})\n")
        sys.stdout.write(f"cleaner {__version__} (rules {rules})\n")
        parser.exit()


def _add_rule_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("rules")
    group.add_argument("--rules", action="append", default=[], metavar="PATH",
                       help="add a rule pack file or folder (repeatable)")
    group.add_argument("--no-default-rules", action="store_true", help="do not load the built-in packs")
    group.add_argument("--select", action="append", default=[], metavar="ID",
                       help="run only these rule ids or pack prefixes (repeatable)")
    group.add_argument("--ignore", action="append", default=[], metavar="ID",
                       help="leave out these rule ids or pack prefixes (repeatable)")
    group.add_argument("--preset", metavar="NAME",
                       help="'auto' (default: page for documents that open like a page, else article), "
                            "'article' (text of an article container) or 'page' (all text of a page)")
    group.add_argument("--on-timeout", choices=("error", "skip"),
                       help="a rule running past a document's time budget: stop with status 2 (error, the "
                            "default) or leave that document unchanged and go on (skip)")
    group.add_argument("--config", metavar="FILE",
                       help="settings file: a pyproject.toml ([tool.cleaner]) or a cleaner.toml "
                            "(default: the nearest one from the working folder upwards)")


def _add_clean_options(parser: argparse.ArgumentParser) -> None:
    _add_rule_options(parser)
    parser.add_argument("--url", help="the page's URL: selects site packs")
    parser.add_argument("--explain", action="store_true",
                        help="print one line per edit to stderr: LINE:RULE-ID:ACTION:excerpt")
    parser.add_argument("--drop-headline", action="store_true",
                        help="remove the detected headline and standfirst too")
    parser.add_argument("--keep-quotes", action="store_true", help="leave curly quotes as they are")
    parser.add_argument("--no-typography", action="store_true", help="no typography repair at all")


def _cleaner(args: argparse.Namespace) -> Cleaner:
    # The configuration file first, then the flags (see config.apply_arguments for which replace, which add).
    return Cleaner(config.resolve(args).config)


def _filter(args: argparse.Namespace) -> int:
    cleaner = _cleaner(args)
    data = sys.stdin.buffer.read()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise CleanerError(f"input is not valid UTF-8 (byte {exc.start}, line {line}); "
                           "nothing was written: convert it to UTF-8 first") from None
    del data  # a large input should not be held twice
    result = cleaner.clean_and_explain(text, url=args.url)
    if args.explain:
        sys.stderr.write(result.explain())
    sys.stdout.buffer.write(result.text.encode("utf-8", "surrogatepass"))
    sys.stdout.buffer.flush()
    return 0


def _list_rules(args: argparse.Namespace) -> int:
    cleaner = _cleaner(args)
    width = max((len(r.id) for r in cleaner.rules), default=0)
    for rule in cleaner.rules:
        sys.stdout.write(f"{rule.id.ljust(width)}  {rule.kind:<11}  {rule.description.splitlines()[0]}\n")
    return 0


def _explain_rule(args: argparse.Namespace) -> int:
    cleaner = _cleaner(args)
    try:
        rule = cleaner.rule(args.rule_id)
    except KeyError:
        sys.stderr.write(f"cleaner: no rule '{args.rule_id}' (see 'cleaner rules')\n")
        return 2
    out = [f"{rule.id} ({rule.kind})", "", rule.description.strip(), "", f"source: {rule.source}"]
    guards = {k: v for k, v in (("max_words", rule.guards.max_words), ("min_words", rule.guards.min_words),
                                ("head", rule.guards.head), ("tail", rule.guards.tail)) if v is not None}
    if rule.guards.sentence_end != "any":
        guards["sentence_end"] = rule.guards.sentence_end
    if guards:
        out.append("guards: " + ", ".join(f"{k}={v}" for k, v in guards.items()))
    for pattern in rule.patterns:
        out.append(f"match: {pattern}")
    for item in rule.block:
        out.append(f"block: {item.field}{' (optional)' if item.optional else ''}: {item.pattern}")
    for key, label in (("remove", "removes"), ("keep", "keeps")):
        for example in rule.examples.get(key, []):
            out.append(f"{label}: {example}")
    for doc in rule.examples.get("documents", []):
        out += ["document:", *("  | " + ln for ln in doc["input"].splitlines()),
                "becomes:", *("  | " + ln for ln in doc["output"].splitlines())]
    sys.stdout.write("\n".join(out) + "\n")
    return 0


def build_parser(command: str | None) -> argparse.ArgumentParser:
    if command == "rules":
        parser = argparse.ArgumentParser(prog="cleaner rules", description="List every rule id and what it does.")
        _add_rule_options(parser)
        parser.set_defaults(run=_list_rules)
    elif command == "explain":
        parser = argparse.ArgumentParser(prog="cleaner explain", description="Explain one rule.")
        parser.add_argument("rule_id", metavar="RULE-ID")
        _add_rule_options(parser)
        parser.set_defaults(run=_explain_rule)
    elif command in ("fix", "check"):
        from . import corpus

        parser = argparse.ArgumentParser(prog=f"cleaner {command}", description=corpus.DESCRIPTIONS[command])
        _add_rule_options(parser)
        corpus.add_arguments(parser)
        parser.set_defaults(run=corpus.run, command=command)
    elif command == "jsonl":
        from . import jsonl

        parser = argparse.ArgumentParser(prog="cleaner jsonl", description=jsonl.DESCRIPTION)
        _add_rule_options(parser)
        jsonl.add_arguments(parser)
        parser.set_defaults(run=jsonl.run)
    elif command == "suggest":
        from . import suggest

        parser = argparse.ArgumentParser(prog="cleaner suggest", description=suggest.DESCRIPTION)
        suggest.add_arguments(parser)
        parser.set_defaults(run=suggest.run)
    else:
        parser = argparse.ArgumentParser(
            prog="cleaner", description="Remove page chrome from article text read on stdin; write it to stdout.",
            epilog="commands: 'cleaner rules' lists the rules; 'cleaner explain RULE-ID' explains one; "
                   "'cleaner fix PATH...' cleans files in place; 'cleaner check PATH...' lists what would change; "
                   "'cleaner jsonl IN -o OUT' cleans a JSON Lines corpus.")
        parser.add_argument("--version", action=_Version)
        _add_clean_options(parser)
        parser.set_defaults(run=_filter)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    command = argv[0] if argv and argv[0] in COMMANDS else None
    parser = build_parser(command)
    args = parser.parse_args(argv[1:] if command else argv)
    try:
        return args.run(args)
    except RuleError as exc:
        sys.stderr.write(f"cleaner: rule error: {exc}\n")
        return 2
    except CleanerError as exc:
        sys.stderr.write(f"cleaner: {exc}\n")
        return 2
    except BrokenPipeError:
        # The reader went away (`cleaner < big.txt | head -1`): not an error worth a traceback.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        return 130

"""`cleaner fix` and `cleaner check`: clean files in place, or say which would change.

Exit status: 0 nothing to change, 1 something changed (fix) or would change (check, --diff),
2 usage, configuration, rule or file error, 130 interrupted. A file opts out with marker lines near its top:
`# cleaner: skip-file`, or `# cleaner: ignore=RULE-ID[,RULE-ID]` (each also as `<!-- cleaner: ... -->`).
"""

from __future__ import annotations

import argparse
import difflib
import sys
from collections import Counter
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path

import regex

from . import config as configuration
from .files import Selection, Unreadable, discover, glob_matches, read_text, relative, write_atomic
from .model import CleanerError, Edit, Result, RuleError
from .parallel import imap_ordered
from .pipeline import Cleaner

DESCRIPTIONS = {
    "fix": "Clean text files in place; print 'Fixing PATH' for each file changed. Exit 1 if any changed.",
    "check": "Change nothing; print 'Would fix PATH' for each file cleaning would change. Exit 1 if any.",
}
MARKER_LINES = 5  # markers count only among a file's first lines: article text further down is never read as one
_MARKER = regex.compile(r"#[ \t]*cleaner:(?P<hash>.*)|<!--[ \t]*cleaner:(?P<html>.*?)-->")
_IGNORE = regex.compile(r"ignore=[ \t]*(?P<ids>[^\s,]+(?:[ \t]*,[ \t]*[^\s,]+)*)")


class MarkerError(CleanerError):
    """A `cleaner:` marker line the file layer cannot read."""


@dataclass(frozen=True)
class Markers:
    skip: bool = False
    ignore: tuple[str, ...] = ()
    lines: tuple[int, ...] = ()  # 0-based indices of the marker lines


def split_lines(text: str) -> list[str]:
    """Lines with their own endings, split on '\\n' only (str.splitlines also splits on form feeds)."""
    parts = text.split("\n")
    return [part + "\n" for part in parts[:-1]] + ([parts[-1]] if parts[-1] else [])


def read_markers(text: str) -> Markers:
    skip, ignore, lines = False, [], []
    for index, line in enumerate(text.removeprefix("\ufeff").split("\n", MARKER_LINES)[:MARKER_LINES]):
        found = _MARKER.fullmatch(line.strip())
        if found is None:
            continue
        directive = (found["hash"] if found["hash"] is not None else found["html"]).strip()
        ids = _IGNORE.fullmatch(directive)
        if directive == "skip-file":
            skip = True
        elif ids is not None:
            ignore += [i.strip() for i in ids["ids"].split(",")]
        else:
            raise MarkerError(f"line {index + 1}: unknown marker 'cleaner:{directive}'; "
                              "use 'cleaner: skip-file' or 'cleaner: ignore=RULE-ID[,RULE-ID]'")
        lines.append(index)
    return Markers(skip, tuple(dict.fromkeys(ignore)), tuple(lines))


class Corpus:
    """One run over many files: the settings, and the Cleaners built for it (one per set of ignored rules,
    for this run only, so no file's markers leak into another run)."""

    def __init__(self, settings: configuration.Settings, url: str | None, max_bytes: int | None = None) -> None:
        self.settings = settings
        self.url = url
        self.max_bytes = max_bytes
        self._cleaners: dict[tuple[str, ...], Cleaner] = {(): Cleaner(settings.config)}  # rule errors: now

    def cleaner(self, ignore: tuple[str, ...]) -> Cleaner:
        key = tuple(sorted(set(ignore)))
        if key not in self._cleaners:
            config = self.settings.config
            self._cleaners[key] = Cleaner(replace(config, ignore=config.ignore + key))
        return self._cleaners[key]

    def url_for(self, path: Path) -> str | None:
        if self.url:
            return self.url
        rel = relative(path, self.settings.root)
        return next((domain for glob, domain in self.settings.url_map if glob_matches(rel, glob)), None)

    def clean(self, path: Path, text: str) -> Result | None:
        """The file's result, or None when it opts out."""
        markers = read_markers(text)
        if markers.skip:
            return None
        try:
            cleaner = self.cleaner(markers.ignore)
        except RuleError as exc:
            raise MarkerError(f"line {markers.lines[0] + 1}: {exc.message}") from None
        if not markers.lines:
            return cleaner.clean_and_explain(text, url=self.url_for(path))
        # Marker lines are not article text: a rule could drop them, or the headline rule take one for the
        # title. They are set aside, the rest is cleaned, and they go back on top, so the file keeps them.
        bom = "\ufeff" if text.startswith("\ufeff") else ""
        lines = split_lines(text.removeprefix("\ufeff"))
        newline = "\r\n" if "\r\n" in text else "\n"
        marker_lines = [lines[i] if lines[i].endswith("\n") else lines[i] + newline for i in markers.lines]
        kept = [n for n in range(len(lines)) if n not in markers.lines]
        result = cleaner.clean_and_explain("".join(lines[n] for n in kept), url=self.url_for(path))
        edits = tuple(replace(e, line=kept[e.line - 1] + 1) if e.line <= len(kept) else e for e in result.edits)
        return replace(result, text=bom + "".join(marker_lines) + result.text, edits=edits)


def unified_diff(path: str, before: str, after: str) -> str:
    out = []
    for line in difflib.unified_diff(split_lines(before), split_lines(after), path, path):
        out.append(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n")
    return "".join(out)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="+", metavar="PATH", help="files and folders (searched recursively)")
    parser.add_argument("--include", action="append", metavar="GLOB", help="files to clean (default: *.txt)")
    parser.add_argument("--exclude", action="append", metavar="GLOB", help="files and folders to leave alone")
    parser.add_argument("--url", help="the pages' URL for every file: selects site packs (else url-map)")
    parser.add_argument("--drop-headline", action="store_true", help="remove the headline and standfirst too")
    parser.add_argument("--keep-quotes", action="store_true", help="leave curly quotes as they are")
    parser.add_argument("--no-typography", action="store_true", help="no typography repair at all")
    parser.add_argument("--diff", action="store_true", help="print a unified diff instead of writing")
    parser.add_argument("--explain", action="store_true", help="print each changed file's edits")
    parser.add_argument("--statistics", action="store_true", help="print the number of edits per rule id")
    parser.add_argument("--max-bytes", type=int, default=DEFAULT_MAX_BYTES, metavar="N",
                        help=f"skip files larger than this, with a message (default {DEFAULT_MAX_BYTES}; 0: no limit)")
    parser.add_argument("-j", "--jobs", type=int, default=0, metavar="N",
                        help="worker processes (default 0: every core); output is the same for any N")


def _emit(text: str) -> None:
    sys.stdout.flush()
    sys.stdout.buffer.write(text.encode("utf-8", "surrogateescape"))  # file names may not be UTF-8
    sys.stdout.buffer.flush()


def _warn(message: str) -> None:
    sys.stderr.write(f"cleaner: {message}\n")


def run(args: argparse.Namespace) -> int:
    settings = configuration.resolve(args)
    files = discover(args.paths, Selection(settings.include, settings.exclude, settings.root), _warn)
    corpus = Corpus(settings, args.url, args.max_bytes or None)
    changed = failed = 0
    statistics: Counter[str] = Counter()
    # Worker processes cost more than they save on a handful of files.
    jobs = 1 if len(files) < _PARALLEL_MIN_FILES else args.jobs
    # Only what this run prints or writes travels back from a worker: a check needs one flag per file.
    wanted = Wanted(before=args.diff, after=args.diff or args.command == "fix",
                    edits=args.explain or args.statistics)
    outcomes = imap_ordered(partial(_clean_file, wanted=wanted), files, cleaner=corpus, jobs=jobs, size=_file_size)
    for path, outcome in zip(files, outcomes):
        if outcome.status == "unreadable":
            _warn(f"skipping {path}: {outcome.message}")
            continue
        if outcome.status == "error":
            _warn(f"{path}: {outcome.message}")
            failed += 1
            continue
        if outcome.status == "oserror":
            _warn(f"cannot read {path}: {outcome.message}")
            failed += 1
            continue
        if outcome.status != "changed":
            continue
        if args.diff:
            _emit(unified_diff(str(path), outcome.before, outcome.after))
        elif args.command == "fix":
            try:
                write_atomic(path, outcome.after.encode("utf-8"))
            except OSError as exc:
                _warn(f"cannot write {path}: {exc.strerror or exc}")
                failed += 1
                continue
        changed += 1
        statistics.update(edit.rule for edit in outcome.edits)
        if not (args.diff or args.statistics):
            _emit(f"{'Fixing' if args.command == 'fix' else 'Would fix'} {path}\n")
        if args.explain:
            _emit(f"{path}:\n" + "".join(f"{edit.format()}\n" for edit in outcome.edits))
    if args.statistics:
        _emit(format_statistics(statistics))
    return 2 if failed else 1 if changed else 0


_PARALLEL_MIN_FILES = 16
# A file this large is no article: cleaning it in place would hold it in memory several times over.
DEFAULT_MAX_BYTES = 64 * 1024 * 1024


def _file_size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


@dataclass(frozen=True)
class Wanted:
    """What the parent needs back for a changed file: the text before, the text after, the edits."""
    before: bool = False
    after: bool = False
    edits: bool = False


@dataclass(frozen=True)
class Outcome:
    """One file's fate: "changed", "unchanged" (or opted out), "unreadable", "error" or "oserror" with a
    message; for a changed file, the parts the run asked for."""
    status: str
    message: str = ""
    before: str | None = None
    after: str | None = None
    edits: tuple[Edit, ...] = ()


def _clean_file(corpus: Corpus, path: Path, *, wanted: Wanted) -> Outcome:
    """Read and clean one file (in a worker process with -j); the parent writes and reports, in input order."""
    try:
        if corpus.max_bytes is not None and path.stat().st_size > corpus.max_bytes:
            return Outcome("unreadable", f"larger than --max-bytes ({path.stat().st_size} > {corpus.max_bytes} bytes)")
        text = read_text(path)
        result = corpus.clean(path, text)
    except Unreadable as exc:
        return Outcome("unreadable", str(exc))
    except CleanerError as exc:
        return Outcome("error", str(exc))
    except OSError as exc:
        return Outcome("oserror", str(exc.strerror or exc))
    if result is None or result.text == text:
        return Outcome("unchanged")
    return Outcome("changed", before=text if wanted.before else None, after=result.text if wanted.after else None,
                   edits=result.edits if wanted.edits else ())


def format_statistics(counts: Counter[str]) -> str:
    """One line per rule id, most edits first, as `ruff --statistics` prints them."""
    width = len(str(max(counts.values(), default=0)))
    return "".join(f"{n:>{width}}\t{rule}\n" for rule, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))

"""`cleaner jsonl IN -o OUT`: clean one text field of every record of a JSON Lines corpus, on every core.

Records are streamed in order (memory stays bounded whatever the size of the input): the text field is
replaced, every other field is kept in its place, and on request fields are added. `.gz` on either side is
gzip; `-` is stdin or stdout. A file output is written to a temporary file beside it and moved over OUT at
the end, so OUT is either the complete result or untouched.

Exit status: 0 success, 2 usage, configuration or rule error, an unreadable input, or (with --on-error stop,
the default) a malformed record; 130 interrupted.
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import os
import stat
import sys
import tempfile
from contextlib import closing, contextmanager
from dataclasses import dataclass
from functools import partial
from typing import BinaryIO, Iterator

from tqdm import tqdm

from . import config as configuration
from . import parallel, stats
from .budget import RuleTimeout
from .model import CleanerError
from .pipeline import Cleaner
from .version import __version__

DESCRIPTION = ("Clean one text field of every record of a JSON Lines file (.gz read and written by extension; "
               "'-' for stdin or stdout), keeping every other field; on every core.")
# Fields added on request; an existing field of the same name is replaced (so a corpus can be cleaned again).
METADATA_FIELD = "cleaner_metadata"
TRACE_FIELD = "cleaner_trace"
VERSION_FIELD = "cleaner_version"
_GZIP_MAGIC = b"\x1f\x8b"


class MalformedRecord(CleanerError):
    """A line that is not a JSON object with a string text field (stops the run under --on-error stop)."""


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("input", metavar="IN", help="JSON Lines file (.gz: gzip), or '-' for stdin")
    parser.add_argument("-o", "--output", metavar="OUT", default="-",
                        help="where the records go (.gz: gzip; default '-': stdout)")
    parser.add_argument("--text-field", default="text", metavar="NAME", help="the field to clean (default: text)")
    parser.add_argument("--url-field", metavar="NAME", help="a field holding the page's URL: selects site packs")
    parser.add_argument("--add-metadata", action="store_true",
                        help=f"add '{METADATA_FIELD}': title, standfirst, authors, dateline, published")
    parser.add_argument("--add-trace", action="store_true",
                        help=f"add '{TRACE_FIELD}': every edit as {{rule, action, line, before, after}} "
                             f"(implies --add-version)")
    parser.add_argument("--add-version", action="store_true",
                        help=f"add '{VERSION_FIELD}': {{cleaner: package version, rules: rule packs' version}}")
    parser.add_argument("--on-error", choices=("stop", "pass"), default="stop",
                        help="a malformed record (bad JSON, no string text field): stop with status 2 (stop, "
                             "the default) or write it through untouched and go on (pass); reported either way")
    parser.add_argument("-j", "--jobs", type=_jobs, default=0, metavar="N",
                        help="worker processes (default 0: every core); output is the same for any N")
    parser.add_argument("--chunk-size", type=_positive, default=parallel.CHUNK_SIZE, metavar="N",
                        help=f"records sent to a worker at a time (default {parallel.CHUNK_SIZE})")
    parser.add_argument("--statistics", action="store_true",
                        help="on stderr at the end: per rule, documents hit and lines and bytes removed; rules "
                             "that never fired; rules removing most of a long document")
    parser.add_argument("--statistics-json", metavar="FILE", help="write the same statistics as JSON")
    parser.add_argument("--drop-headline", action="store_true", help="remove the headline and standfirst too")
    parser.add_argument("--keep-quotes", action="store_true", help="leave curly quotes as they are")
    parser.add_argument("--no-typography", action="store_true", help="no typography repair at all")


def _jobs(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
    if number < 0:
        raise argparse.ArgumentTypeError("must be 0 (every core) or more")
    return number


def _positive(value: str) -> int:
    number = _jobs(value)
    if number < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return number


# --- one record: runs in the worker processes ----------------------------------------------------------------

@dataclass(frozen=True)
class Options:
    text_field: str = "text"
    url_field: str | None = None
    add_metadata: bool = False
    add_trace: bool = False
    add_version: bool = False
    statistics: bool = False


@dataclass(frozen=True, slots=True)
class Outcome:
    """What became of one input line: the output line (None: a blank line, nothing to write), and why it was
    passed through untouched (malformed, or skipped by a rule timeout), and its statistics."""

    line: bytes | None
    malformed: str | None = None
    skipped: str | None = None
    counts: stats.DocumentCounts | None = None


def _untouched(raw: bytes) -> bytes:
    return raw.rstrip(b"\r\n") + b"\n"


def _kind(value: object) -> str:
    return {dict: "an object", list: "an array", bool: "a boolean", int: "a number", float: "a number",
            type(None): "null"}.get(type(value), type(value).__name__)


def _read(options: Options, raw: bytes) -> tuple[dict, str, str | None]:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise MalformedRecord(f"not valid UTF-8 (byte {exc.start} of the line)") from None
    try:
        record = json.loads(text)
    except ValueError as exc:
        raise MalformedRecord(f"not JSON: {exc}") from None
    except RecursionError:
        raise MalformedRecord("nested too deeply") from None
    if not isinstance(record, dict):
        raise MalformedRecord(f"not a JSON object but {_kind(record)}")
    if options.text_field not in record:
        raise MalformedRecord(f"no field '{options.text_field}'")
    body = record[options.text_field]
    if not isinstance(body, str):
        raise MalformedRecord(f"field '{options.text_field}' is {_kind(body)}, not a string")
    url = record.get(options.url_field) if options.url_field else None
    if url is not None and not isinstance(url, str):
        raise MalformedRecord(f"field '{options.url_field}' is {_kind(url)}, not a string or null")
    return record, body, url


def _dump(record: dict) -> bytes:
    try:
        return json.dumps(record, ensure_ascii=False).encode("utf-8") + b"\n"
    except UnicodeEncodeError:  # a lone surrogate (from a \ud800 escape): keep it as an escape
        return json.dumps(record, ensure_ascii=True).encode("ascii") + b"\n"


def process_line(options: Options, cleaner: Cleaner, item: tuple[int, bytes]) -> Outcome:
    """Clean one input line (number, bytes) into an output line."""
    number, raw = item
    if not raw.strip():
        return Outcome(None)
    try:
        record, text, url = _read(options, raw)
    except MalformedRecord as exc:
        return Outcome(_untouched(raw), malformed=str(exc))
    try:
        result = cleaner.clean_and_explain(text, url=url)
    except RuleTimeout as exc:
        exc.document = f"the record on line {number}"
        raise
    if result.skipped:
        return Outcome(_untouched(raw), skipped=result.skipped)
    record[options.text_field] = result.text
    if options.add_metadata:
        record[METADATA_FIELD] = result.metadata.as_dict()
    if options.add_trace:
        record[TRACE_FIELD] = [{"rule": e.rule, "action": e.action, "line": e.line, "before": e.before,
                                "after": e.after} for e in result.edits]
    if options.add_version or options.add_trace:
        record[VERSION_FIELD] = {"cleaner": __version__, "rules": result.rules_version}
    counts = stats.document_counts(text, result) if options.statistics else None
    return Outcome(_dump(record), counts=counts)


# --- files ---------------------------------------------------------------------------------------------------

class _Input:
    """The input's lines, numbered, and how far through the input we are (for the progress bar)."""

    def __init__(self, name: str) -> None:
        self.name = name
        if name == "-":
            self._raw: BinaryIO = sys.stdin.buffer
            self.total = None
            gz = self._raw.peek(2)[:2] == _GZIP_MAGIC if hasattr(self._raw, "peek") else False
        else:
            try:
                self._raw = open(name, "rb", buffering=1 << 20)
            except OSError as exc:
                raise CleanerError(f"cannot read {name}: {exc.strerror or exc}") from None
            mode = os.fstat(self._raw.fileno()).st_mode
            if stat.S_ISDIR(mode):
                raise CleanerError(f"cannot read {name}: is a folder")
            self.total = os.fstat(self._raw.fileno()).st_size if stat.S_ISREG(mode) else None
            gz = name.endswith(".gz")
        self._stream = gzip.GzipFile(fileobj=self._raw, mode="rb") if gz else self._raw
        self._read = 0

    def lines(self) -> Iterator[tuple[int, bytes]]:
        try:
            for number, line in enumerate(self._stream, 1):
                if number == 1 and line.startswith(b"\xef\xbb\xbf"):
                    line = line[3:]  # a UTF-8 byte-order mark is not part of the first record
                self._read += len(line)
                yield number, line
        except (OSError, EOFError) as exc:  # gzip.BadGzipFile is an OSError; a truncated .gz is an EOFError
            raise CleanerError(f"cannot read {self.name}: {exc}") from None

    def position(self) -> int:
        """Bytes of the file read so far (compressed bytes for .gz when the size is known)."""
        if self.total is not None:
            try:
                return self._raw.tell()
            except OSError:
                pass
        return self._read

    def close(self) -> None:
        if self._raw is not sys.stdin.buffer:
            self._raw.close()


@contextmanager
def _output(name: str) -> Iterator[BinaryIO]:
    """A binary stream to OUT. A regular file (or a new one) is written to a temporary file beside it that
    replaces it only on success; through a symbolic link, the link's target is replaced and the link kept.
    Anything else (stdout, /dev/null, a pipe) is written directly: never replaced by a file."""
    if name == "-":
        yield sys.stdout.buffer
        sys.stdout.buffer.flush()
        return
    target = os.path.realpath(name)
    try:
        special = not stat.S_ISREG(os.stat(target).st_mode)
    except FileNotFoundError:
        special = False
    except OSError as exc:
        raise CleanerError(f"cannot write {name}: {exc.strerror or exc}") from None
    if special:
        try:
            handle = open(target, "wb")
        except OSError as exc:
            raise CleanerError(f"cannot write {name}: {exc.strerror or exc}") from None
        with handle:
            stream = _compressing(name, handle)
            try:
                yield stream
                if stream is not handle:
                    stream.close()  # the gzip trailer
            except OSError as exc:
                raise CleanerError(f"cannot write {name}: {exc.strerror or exc}") from None
        return
    try:
        handle = tempfile.NamedTemporaryFile("wb", dir=os.path.dirname(target),
                                             prefix=f".{os.path.basename(target)}.", suffix=".tmp", delete=False)
    except OSError as exc:
        raise CleanerError(f"cannot write {name}: {exc.strerror or exc}") from None
    stream = _compressing(name, handle)
    try:
        try:
            yield stream
            if stream is not handle:
                stream.close()  # flushes, and writes the gzip trailer; leaves handle open
            handle.flush()
            os.fsync(handle.fileno())
            handle.close()
            try:
                mode = stat.S_IMODE(os.stat(target).st_mode)  # OUT keeps its mode
            except FileNotFoundError:
                umask = os.umask(0)
                os.umask(umask)
                mode = 0o666 & ~umask
            os.chmod(handle.name, mode)
            os.replace(handle.name, target)
        except OSError as exc:
            raise CleanerError(f"cannot write {name}: {exc.strerror or exc}") from None
    finally:
        handle.close()
        if os.path.exists(handle.name):
            os.unlink(handle.name)


def _compressing(name: str, handle: BinaryIO) -> BinaryIO:
    if not name.endswith(".gz"):
        return handle
    # gzip without a name or time in its header, so the same records give the same bytes.
    return io.BufferedWriter(gzip.GzipFile(filename="", mode="wb", fileobj=handle, compresslevel=6, mtime=0),
                             1 << 20)


class _Bar(tqdm):
    monitor_interval = 0  # no monitor thread: worker processes are forked after the bar starts


def _progress(source: _Input) -> tqdm:
    # Only for a person watching: never when stderr is a pipe or a file.
    return _Bar(total=source.total, unit="B", unit_scale=True, unit_divisor=1024, file=sys.stderr,
                disable=not sys.stderr.isatty(), desc="cleaning", dynamic_ncols=True, leave=False)


# --- the command ---------------------------------------------------------------------------------------------

def run(args: argparse.Namespace) -> int:
    settings = configuration.resolve(args)
    cleaner = Cleaner(settings.config)  # rule and configuration errors: now, before anything is written
    options = Options(args.text_field, args.url_field, args.add_metadata, args.add_trace, args.add_version,
                      statistics=bool(args.statistics or args.statistics_json))
    totals = stats.Statistics(stats.active_rule_ids(cleaner), rules_version=cleaner.rules_version)
    source = _Input(args.input)
    try:
        with _output(args.output) as out, _progress(source) as bar, closing(parallel.imap_ordered(
                partial(process_line, options), source.lines(), cleaner=cleaner, jobs=args.jobs,
                chunk_size=args.chunk_size, size=lambda item: len(item[1]))) as outcomes:
            _write(outcomes, out, totals, args.on_error, "stdin" if args.input == "-" else args.input,
                   bar, source)
    finally:
        source.close()
    if args.statistics:
        sys.stderr.write(totals.report())
    if args.statistics_json:
        try:
            with open(args.statistics_json, "w", encoding="utf-8") as handle:
                json.dump(totals.as_dict(), handle, indent=2, ensure_ascii=False)
                handle.write("\n")
        except OSError as exc:
            raise CleanerError(f"cannot write {args.statistics_json}: {exc.strerror or exc}") from None
    return 0


def _write(outcomes: Iterator[Outcome], out: BinaryIO, totals: stats.Statistics, on_error: str, where: str,
           bar: tqdm, source: _Input) -> None:
    def warn(message: str) -> None:
        if bar.disable:
            sys.stderr.write(f"cleaner: {message}\n")
        else:
            bar.write(f"cleaner: {message}", file=sys.stderr)  # above the bar, not through it

    for number, outcome in enumerate(outcomes, 1):  # one outcome per input line, so this is its line number
        if outcome.malformed is not None:
            totals.malformed += 1
            if on_error == "stop":
                raise MalformedRecord(f"{where}:{number}: malformed record: {outcome.malformed}; stopped "
                                      "(--on-error pass writes such records through)")
            warn(f"{where}:{number}: malformed record, passed through: {outcome.malformed}")
        elif outcome.skipped is not None:
            totals.skipped += 1
            warn(f"{where}:{number}: record passed through unchanged: {outcome.skipped}")
        if outcome.line is not None:
            out.write(outcome.line)
        if outcome.counts is not None:
            totals.add(outcome.counts, f"line {number}")
        if not bar.disable and number % 32 == 0:
            bar.set_postfix_str(f"{number:,} records", refresh=False)
            bar.update(source.position() - bar.n)
    if not bar.disable:
        bar.update(source.position() - bar.n)

"""Clean many documents on every core, in order: the same results as one process, in the same order.

Worker processes each get the pickled Cleaner once (the pool's initializer), items travel in chunks, and at
most a few chunks per worker are in flight, so memory stays bounded whatever the number of items. Results
come back in input order. An item that fails raises its exception at its place in that order: everything
before it has been yielded, nothing after it.

    for index, result in map_ordered(cleaner, ((text, url) for ...), jobs=4):
        ...
    for result in clean_many(texts, jobs=4):
        ...

`imap_ordered` is the general form: any module-level function `function(cleaner, item)` (a
`functools.partial` of one works too); the JSONL command sends raw lines and gets output lines back.
"""

from __future__ import annotations

import copyreg
import os
import pickle
import signal
import traceback
from collections import deque
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Callable, Iterable, Iterator, TypeVar

from .budget import RuleTimeout
from .model import CleanerError, Result
from .pipeline import Cleaner

T = TypeVar("T")
R = TypeVar("R")
Item = str | tuple[str, str | None]

CHUNK_SIZE = 64  # items per chunk at most...
CHUNK_CHARS = 1 << 20  # ...and about this many characters of text (a chunk always holds at least one item)
IN_FLIGHT_PER_JOB = 3  # chunks sent ahead per worker: enough to keep it busy, few enough to bound memory


def default_jobs() -> int:
    """Every core this process may run on (the scheduler affinity where the OS has one, else os.cpu_count())."""
    try:
        return max(len(os.sched_getaffinity(0)), 1)
    except AttributeError:  # macOS, Windows
        return os.cpu_count() or 1


def map_ordered(cleaner: Cleaner, items: Iterable[Item], jobs: int | None = None, chunk_size: int = CHUNK_SIZE,
                ) -> Iterator[tuple[int, Result]]:
    """(index, Result) for each item, a text or a (text, url) pair, in input order: index is its 0-based
    position. jobs=None uses every core; jobs=1 cleans in this process."""
    results = imap_ordered(_clean_item, items, cleaner=cleaner, jobs=jobs, chunk_size=chunk_size, size=_item_size)
    try:
        yield from enumerate(results)
    finally:
        results.close()  # stopping early (close(), break) shuts the worker processes down at once


def clean_many(items: Iterable[Item], *, jobs: int | None = None, cleaner: Cleaner | None = None,
               chunk_size: int = CHUNK_SIZE) -> Iterator[Result]:
    """Results for texts or (text, url) pairs, in input order, cleaned on `jobs` processes (default: every
    core). Without a cleaner, the default rule packs. Items are read lazily: a generator works."""
    if cleaner is None:
        from . import _default_cleaner

        cleaner = _default_cleaner()
    results = map_ordered(cleaner, items, jobs=jobs, chunk_size=chunk_size)
    try:
        for _, result in results:
            yield result
    finally:
        results.close()


def imap_ordered(function: Callable[[Cleaner, T], R], items: Iterable[T], *, cleaner: Cleaner,
                 jobs: int | None = None, chunk_size: int = CHUNK_SIZE, chunk_chars: int = CHUNK_CHARS,
                 size: Callable[[T], int] = len, in_flight: int | None = None) -> Iterator[R]:
    """function(cleaner, item) for each item, in input order. With jobs > 1 the calls run in worker
    processes: `function` must pickle (a module-level function, or a partial of one). `size` measures an
    item for chunking."""
    jobs = default_jobs() if jobs is None or jobs == 0 else jobs
    if jobs < 0:
        raise ValueError(f"jobs must be 0 (every core) or more, got {jobs}")
    if chunk_size < 1:
        raise ValueError(f"chunk_size must be 1 or more, got {chunk_size}")
    if jobs == 1:
        return (function(cleaner, item) for item in items)
    return _parallel(function, items, cleaner, jobs, chunk_size, chunk_chars, size,
                     in_flight or IN_FLIGHT_PER_JOB * jobs)


def _parallel(function, items, cleaner, jobs, chunk_size, chunk_chars, size, in_flight) -> Iterator[Any]:
    executor = ProcessPoolExecutor(jobs, initializer=_start_worker, initargs=(pickle.dumps(cleaner), function))
    pending: deque[Future] = deque()
    try:
        for chunk in _chunks(items, chunk_size, chunk_chars, size):
            pending.append(executor.submit(_run_chunk, chunk))
            if len(pending) >= in_flight:
                yield from _collect(pending.popleft())
        while pending:
            yield from _collect(pending.popleft())
    except BrokenProcessPool:
        raise CleanerError("a worker process died (out of memory, or killed); try fewer jobs (-j)") from None
    finally:
        # Also when the consumer stops early or an item failed: drop what has not started, then wait.
        executor.shutdown(wait=True, cancel_futures=True)


def _chunks(items: Iterable[T], chunk_size: int, chunk_chars: int, size: Callable[[T], int]) -> Iterator[list[T]]:
    chunk: list[T] = []
    chars = 0
    for item in items:
        chunk.append(item)
        chars += size(item)
        if len(chunk) >= chunk_size or chars >= chunk_chars:
            yield chunk
            chunk, chars = [], 0
    if chunk:
        yield chunk


def _collect(future: Future) -> Iterator[Any]:
    outputs, failure = future.result()
    yield from outputs
    if failure is not None:
        raise failure


# --- in the worker -------------------------------------------------------------------------------------------

_worker: tuple[Cleaner, Callable] | None = None


def _start_worker(payload: bytes, function: Callable) -> None:
    global _worker
    # Ctrl-C reaches the whole process group: the parent handles it and shuts the pool down.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _worker = (pickle.loads(payload), function)


def _run_chunk(chunk: list) -> tuple[list, BaseException | None]:
    """The chunk's outputs, up to the first item that failed, and that failure (or None)."""
    assert _worker is not None, "worker not initialised"
    cleaner, function = _worker
    outputs = []
    for item in chunk:
        try:
            outputs.append(function(cleaner, item))
        except Exception as exc:
            return outputs, _portable(exc)
    return outputs, None


def _portable(exc: Exception) -> Exception:
    """The exception itself if it survives pickling, else a CleanerError with its message. A programming
    error keeps the worker's traceback as a note."""
    if not isinstance(exc, CleanerError):
        exc.add_note("in a cleaner worker process:\n" + "".join(traceback.format_exception(exc)).rstrip())
    try:
        pickle.loads(pickle.dumps(exc))
        return exc
    except Exception:
        return CleanerError(f"{type(exc).__name__}: {exc}")


def _clean_item(cleaner: Cleaner, item: Item) -> Result:
    if isinstance(item, tuple) and len(item) == 2:
        return cleaner.clean_and_explain(item[0], url=item[1])
    return cleaner.clean_and_explain(item)  # a text (anything else: its TypeError)


def _item_size(item: Item) -> int:
    text = item if isinstance(item, str) else item[0] if isinstance(item, tuple) and item else ""
    return len(text) if isinstance(text, str) else 0


# RuleTimeout takes (rule, line, detail) but keeps only its message in args, so the default pickling cannot
# rebuild it: teach pickle to carry its fields (the rule, the line, which document), so a timeout in a worker
# reaches the parent as the same error with the same message.
def _rebuild_timeout(rule, line_text, detail, line, document) -> RuleTimeout:
    exc = RuleTimeout(rule, line_text, detail)
    exc.line, exc.document = line, document
    return exc


copyreg.pickle(RuleTimeout, lambda e: (_rebuild_timeout, (e.rule, e.line_text, e.detail, e.line, e.document)))

"""The file layer of `cleaner fix` and `cleaner check`: which files, how to read them, how to write them safely.

Writing never truncates the original: the new bytes go to a temporary file in the same folder, which then
replaces the original in one `os.replace`. A kill or a full disk leaves either the old file or the new one.
"""

from __future__ import annotations

import fnmatch
import os
import signal
import tempfile
import threading
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Iterable, Iterator

from .model import CleanerError

# Folders a walk never enters: version control, and places full of other people's .txt files
# (a virtual environment's LICENSE.txt or entry_points.txt must never be "cleaned").
SKIPPED_FOLDERS = frozenset({".git", ".hg", ".svn", ".tox", ".nox", "node_modules", "__pycache__"})


def relative(path: Path, root: Path) -> PurePosixPath:
    """The path as globs see it: relative to root when inside it, else absolute."""
    # As written first; then with links resolved, for a root reached through a symbolic link (/tmp on macOS).
    for absolute, base in ((os.path.abspath(path), os.path.abspath(root)),
                           (os.path.realpath(path), os.path.realpath(root))):
        try:
            return PurePosixPath(Path(absolute).relative_to(base).as_posix())
        except ValueError:
            pass
    return PurePosixPath(Path(os.path.abspath(path)).as_posix())


def glob_matches(path: PurePosixPath, pattern: str, *, any_folder: bool = False) -> bool:
    """A glob without '/' matches the file name (or, with any_folder, any folder on the way);
    a glob with '/' matches the whole relative path, and its '*' also crosses '/'."""
    pattern = pattern.rstrip("/")
    if "/" in pattern:
        return fnmatch.fnmatchcase(str(path), pattern.lstrip("/"))
    names = path.parts if any_folder else (path.name,)
    return any(fnmatch.fnmatchcase(name, pattern) for name in names)


@dataclass(frozen=True)
class Selection:
    include: tuple[str, ...]
    exclude: tuple[str, ...]
    root: Path

    def excluded(self, path: Path) -> bool:
        rel = relative(path, self.root)
        return any(glob_matches(rel, p, any_folder=True) for p in self.exclude)

    def included(self, path: Path) -> bool:
        rel = relative(path, self.root)
        return any(glob_matches(rel, p) for p in self.include)


def discover(paths: Iterable[str], selection: Selection, warn) -> list[Path]:
    """Every file to clean, in a stable order, each once. A named path that does not exist is a usage
    error, raised before any file is touched; a named file outside `include` is reported through warn."""
    found: dict[str, Path] = {}
    for name in paths:
        path = Path(name)
        if path.is_dir():
            for folder, subfolders, files in os.walk(path):
                here = Path(folder)
                subfolders[:] = sorted(d for d in subfolders if d not in SKIPPED_FOLDERS
                                       and not (here / d / "pyvenv.cfg").exists()
                                       and not selection.excluded(here / d))
                for file in sorted(files):
                    candidate = here / file
                    if candidate.is_file() and selection.included(candidate) and not selection.excluded(candidate):
                        found.setdefault(os.path.realpath(candidate), candidate)
        elif path.is_file():
            if selection.excluded(path):
                continue
            if not selection.included(path):
                warn(f"skipping {path}: not matched by include ({', '.join(selection.include)})")
                continue
            found.setdefault(os.path.realpath(path), path)
        else:
            raise CleanerError(f"no such file or folder: {name}")
    return list(found.values())


class Unreadable(Exception):
    """A file cleaner will not touch: binary, or not UTF-8. The message says which and where."""


def read_text(path: Path) -> str:
    data = path.read_bytes()
    if b"\0" in data:
        raise Unreadable("binary file (NUL byte)")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise Unreadable(f"not valid UTF-8 (byte {exc.start}, line {line})") from None


@contextmanager
def sigint_deferred() -> Iterator[None]:
    """Hold Ctrl-C off for a block; if it came meanwhile, raise KeyboardInterrupt once the block is done."""
    if threading.current_thread() is not threading.main_thread():
        yield  # signal handlers can only be set from the main thread; the caller handles its own
        return
    received: list[int] = []
    previous = signal.signal(signal.SIGINT, lambda signum, frame: received.append(signum))
    try:
        yield
    finally:
        # None: a handler not set from Python; SIG_DFL is the nearest thing that can be restored.
        signal.signal(signal.SIGINT, signal.SIG_DFL if previous is None else previous)
    if received and previous is not signal.SIG_IGN:
        if callable(previous):
            previous(signal.SIGINT, None)  # the default handler raises KeyboardInterrupt
        raise KeyboardInterrupt


def write_atomic(path: Path, data: bytes) -> None:
    """Replace the file's content with data: same folder temporary file, same mode, one os.replace.
    A symbolic link is followed, so the link stays a link and its target gets the new content."""
    target = Path(os.path.realpath(path))
    mode = target.stat().st_mode & 0o7777
    with sigint_deferred():
        fd, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".cleaner-tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                os.fchmod(handle.fileno(), mode)
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())  # the bytes are on disk before the name points at them
            os.replace(temporary, target)
        except BaseException:
            try:
                os.unlink(temporary)
            except FileNotFoundError:
                pass
            raise

"""A cache of validated rule packs, keyed by the content of every file under the rule folders.

Reading and validating YAML (which compiles each pattern once to check it) is most of a cold start; a
pack whose files have not changed was validated already. Any change to a rule or data file, to the
cleaner version, to the code that validates packs or to the Python version gives a new key. Set CLEANER_NO_CACHE=1 to bypass it; a cache
that cannot be read or written is ignored.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
from pathlib import Path
from typing import Callable, Iterable, TypeVar

T = TypeVar("T")


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(os.environ.get("CLEANER_CACHE_DIR") or Path(base) / "cleaner")


def content_key(roots: Iterable[Path], version: str) -> str:
    digest = hashlib.sha256(f"{version}|{sys.version}".encode())
    # The code that reads and validates packs is part of the key: a new field must not meet an old pickle.
    for source in ("loader.py", "model.py", "strictyaml.py", "literals.py"):
        digest.update((Path(__file__).parent / source).read_bytes())
    for root in roots:
        root = Path(root).resolve()
        files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
        digest.update(str(root).encode())
        for path in files:
            digest.update(str(path.relative_to(root) if path != root else path.name).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:32]


def cached(key: str, build: Callable[[], T]) -> T:
    if os.environ.get("CLEANER_NO_CACHE"):
        return build()
    path = cache_dir() / f"packs-{key}.pickle"
    try:
        with open(path, "rb") as fh:
            return pickle.load(fh)
    except Exception:  # noqa: BLE001 - any unreadable cache (missing, stale class, truncated) is rebuilt
        pass
    value = build()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=path.parent, delete=False, suffix=".tmp") as tmp:
            pickle.dump(value, tmp, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp.name, path)
    except OSError:
        pass
    return value

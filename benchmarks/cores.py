"""All cores: `-j 2` against `-j 1` on a generated corpus, as files and as JSON lines, in one run.

    python benchmarks/cores.py [--mb 100] [--jobs 2] [../shared/eval/dev.jsonl]

The corpus repeats the dev set's inputs (all views) until it holds --mb megabytes, or the seed article
where the dev set is absent. Files: `cleaner check FOLDER -j N` (cleans every file, writes nothing).
JSON lines: `cleaner jsonl CORPUS -o OUT --text-field input -j N`. Prints wall seconds per run and the
ratio; machines here are noisy, so only the ratio taken in one run means anything.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def texts(data: Path) -> list[str]:
    if data.exists():
        with data.open(encoding="utf-8") as fh:
            return [json.loads(line)["input"] for line in fh]
    return [(ROOT / "seeds" / "independent-biden-putin-call.txt").read_text(encoding="utf-8")]


def write_corpus(folder: Path, sources: list[str], megabytes: int) -> tuple[Path, Path]:
    files, jsonl = folder / "files", folder / "corpus.jsonl"
    files.mkdir()
    size, n = 0, 0
    with jsonl.open("w", encoding="utf-8") as out:
        while size < megabytes * 1_000_000:
            text = sources[n % len(sources)]
            # Spread over folders: a real corpus is not one flat directory.
            target = files / f"{n // 1000:04d}" / f"{n:07d}.txt"
            target.parent.mkdir(exist_ok=True)
            target.write_text(text, encoding="utf-8")
            out.write(json.dumps({"id": n, "input": text}) + "\n")
            size += len(text.encode("utf-8"))
            n += 1
    return files, jsonl


def timed(command: list[str]) -> float:
    started = time.perf_counter()
    result = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    if result.returncode not in (0, 1):  # check exits 1 when files would change
        raise SystemExit(f"{' '.join(command)} failed:\n{result.stderr}")
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("data", nargs="?", type=Path, default=ROOT.parent / "shared" / "eval" / "dev.jsonl")
    ap.add_argument("--mb", type=int, default=100)
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        files, jsonl = write_corpus(Path(tmp), texts(args.data), args.mb)
        out = Path(tmp) / "out.jsonl"
        runs = {
            "files": lambda j: ["cleaner", "check", str(files), "-j", str(j)],
            "jsonl": lambda j: ["cleaner", "jsonl", str(jsonl), "-o", str(out), "--text-field", "input", "-j", str(j)],
        }
        print(f"{args.mb} MB corpus")
        for name, command in runs.items():
            one = timed(command(1))
            many = timed(command(args.jobs))
            print(f"  {name:<6} -j 1 {one:7.1f} s   -j {args.jobs} {many:7.1f} s   {one / many:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())

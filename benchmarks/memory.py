"""Peak memory (RSS) on large inputs, measured on real child processes.

    python benchmarks/memory.py [--jsonl-mb 1000] [--line-mb 100] [-j 2]

1. A generated JSONL stream of --jsonl-mb megabytes piped through `cleaner jsonl - -o OUT -j N`:
   the parent's peak RSS and the largest worker's (target: under 100 MB each, whatever the size).
2. One document made of a single --line-mb megabyte line through `cleaner`: peak RSS against the
   line's size (target: under 5 times).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time

PARAGRAPH = ("The council voted on Tuesday to close the old library, and residents said they would "
             "appeal the decision before the end of the month. ")


def _peak_rss_of_tree(pid: int, stop: threading.Event, peaks: dict) -> None:
    """Sample /proc for the process and its children: the parent's and the largest child's peak RSS."""
    while not stop.is_set():
        try:
            children = open(f"/proc/{pid}/task/{pid}/children").read().split()
        except OSError:
            children = []
        for who, target in [("parent", pid)] + [("worker", int(c)) for c in children]:
            try:
                for line in open(f"/proc/{target}/status"):
                    if line.startswith("VmRSS:"):
                        peaks[who] = max(peaks.get(who, 0), int(line.split()[1]) * 1024)
            except OSError:
                pass
        time.sleep(0.05)


def jsonl_run(megabytes: int, jobs: int) -> None:
    record = {"id": 0, "url": "https://example.com/a", "text": "Comments\n" + PARAGRAPH * 20 + "\nShare this\n"}
    line = json.dumps(record) + "\n"
    count = megabytes * 1_000_000 // len(line)
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "out.jsonl")
        process = subprocess.Popen(["cleaner", "jsonl", "-", "-o", out, "-j", str(jobs)], stdin=subprocess.PIPE)
        peaks: dict = {}
        stop = threading.Event()
        sampler = threading.Thread(target=_peak_rss_of_tree, args=(process.pid, stop, peaks))
        sampler.start()
        started = time.perf_counter()
        for n in range(count):
            process.stdin.write(line.replace('"id": 0', f'"id": {n}', 1).encode())
        process.stdin.close()
        process.wait()
        stop.set()
        sampler.join()
        seconds = time.perf_counter() - started
    print(f"jsonl: {count} records, {megabytes} MB in {seconds:.1f} s ({megabytes / seconds:.1f} MB/s), -j {jobs}: "
          f"parent peak {peaks.get('parent', 0) / 1e6:.0f} MB, largest worker {peaks.get('worker', 0) / 1e6:.0f} MB")


def single_line_run(megabytes: int) -> None:
    text = (PARAGRAPH * (megabytes * 1_000_000 // len(PARAGRAPH))).encode()
    started = time.perf_counter()
    subprocess.run(["cleaner", "--on-timeout", "skip"], input=text, stdout=subprocess.DEVNULL, check=True)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    print(f"single line: {len(text) / 1e6:.0f} MB in {seconds:.1f} s: peak RSS {peak / 1e6:.0f} MB "
          f"({peak / len(text):.1f} times the line)")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--jsonl-mb", type=int, default=1000)
    ap.add_argument("--line-mb", type=int, default=100)
    ap.add_argument("-j", type=int, default=2)
    args = ap.parse_args(argv)
    single_line_run(args.line_mb)
    jsonl_run(args.jsonl_mb, args.j)
    return 0


if __name__ == "__main__":
    sys.exit(main())

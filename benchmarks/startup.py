"""Start-up: wall time of `cleaner < seeds/...` against importing its dependencies alone, in one run.

    python benchmarks/startup.py [--runs 9]

Prints the median of each (after one warm-up run that fills the rule-pack cache) and their ratio.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

SEED = Path(__file__).resolve().parent.parent / "seeds" / "independent-biden-putin-call.txt"


def median_seconds(command: list[str], runs: int, stdin: Path | None = None) -> float:
    times = []
    for _ in range(runs + 1):  # the first run warms the caches and is not counted
        with open(stdin or "/dev/null", "rb") as source:
            started = time.perf_counter()
            subprocess.run(command, stdin=source, stdout=subprocess.DEVNULL, check=True)
            times.append(time.perf_counter() - started)
    return statistics.median(times[1:])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=9)
    args = ap.parse_args(argv)
    cleaner = shutil.which("cleaner")
    command = [cleaner] if cleaner else [sys.executable, "-m", "cleaner"]
    cleaning = median_seconds(command, args.runs, SEED)
    imports = median_seconds([sys.executable, "-c", "import ftfy, regex, yaml"], args.runs)
    print(f"cleaner < {SEED.name}: {cleaning:.3f} s; import ftfy, regex, yaml: {imports:.3f} s; "
          f"ratio {cleaning / imports:.2f}x (median of {args.runs})")
    return 0


if __name__ == "__main__":
    sys.exit(main())

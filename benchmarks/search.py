"""Finding things on plans 1× and 100× the real one: `kpsy search` (words and a regular expression),
`kpsy show` by a part of a title, `kpsy unit`, each with a warm cache (the plan already checked).

    python benchmarks/search.py [--runs 5]

Target: at 100× (about 3,800 tasks, 2,000 hits for 健康) each stays within about a second; laying out
the table of hits is most of what search takes there.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import kpsy
from synthetic import build

CASES = {
    "search 健康": ["search", "健康"],
    "search 健康 --unit 区卫健局": ["search", "健康", "--unit", "区卫健局"],
    "search --regex 20\\d\\d年 -f json": ["search", "--regex", r"20\d\d年", "-f", "json"],
    "show 二(一)5": ["show", "二(一)5"],
    "show 后备人才 (100×: 100 candidates)": ["show", "后备人才"],
    "unit 区卫健局": ["unit", "区卫健局"],
}


def timed(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    # exit status 1 is an answer here: a part of a title that fits the 100 copies of a task
    if subprocess.run(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode > 1:
        raise SystemExit(f"{' '.join(cmd)} failed")
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "KPSY_CACHE_DIR": cache}
        env.pop("KPSY_NO_CACHE", None)
        print(f"{'case':40s} {'1×':>9s} {'100×':>9s}  (median of {args.runs} warm runs)")
        plans = {factor: build(factor, Path(tmp) / f"x{factor}") for factor in (1, 100)}
        for name, case in CASES.items():
            medians = []
            for plan in plans.values():
                cmd = [*kpsy(), *case, "--plan", str(plan)]
                timed(cmd, env)  # the cache of the checked plan
                medians.append(statistics.median(timed(cmd, env) for _ in range(args.runs)))
            print(f"{name:40s} {medians[0] * 1000:7.0f}ms {medians[1] * 1000:7.0f}ms")


if __name__ == "__main__":
    main()

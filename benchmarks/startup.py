"""Start-up: wall time of kpsy commands beside `python -c "import typer"`, measured in the same run.

    python benchmarks/startup.py [--runs 30]

Each command runs --runs times, interleaved with the baseline so that machine noise hits both alike;
the medians and their ratio are printed. "warm" runs find the checked plan in kpsy's cache (the
usual case: the plan changes far less often than it is asked); "cold" runs set KPSY_NO_CACHE=1 and
parse and validate every file.
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
from common import REPO, kpsy


def timed(cmd: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, env=env, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as cache:
        warm_env = {**os.environ, "KPSY_CACHE_DIR": cache}
        warm_env.pop("KPSY_NO_CACHE", None)
        cold_env = {**warm_env, "KPSY_NO_CACHE": "1"}
        cases = {
            'python -c "import typer"': ([sys.executable, "-c", "import typer"], warm_env),
            "kpsy tasks --unit 区教育局 (warm)": ([*kpsy(), "tasks", "--unit", "区教育局"], warm_env),
            "kpsy tasks --unit 区教育局 (cold)": ([*kpsy(), "tasks", "--unit", "区教育局"], cold_env),
            "kpsy validate (warm)": ([*kpsy(), "validate"], warm_env),
            "kpsy validate (cold)": ([*kpsy(), "validate"], cold_env),
        }
        for cmd, env in cases.values():  # warm the cache and the OS file cache
            timed(cmd, env)
        times: dict[str, list[float]] = {name: [] for name in cases}
        for _ in range(args.runs):
            for name, (cmd, env) in cases.items():
                times[name].append(timed(cmd, env))

    base = statistics.median(times['python -c "import typer"'])
    print(f"{'command':40s} {'median':>9s} {'min':>9s} {'ratio':>7s}   ({args.runs} runs each, {os.cpu_count()} cores)")
    for name, values in times.items():
        med = statistics.median(values)
        print(f"{name:40s} {med * 1000:7.1f}ms {min(values) * 1000:7.1f}ms {med / base:6.2f}x")


if __name__ == "__main__":
    main()

"""Start-up: kpsy commands beside `python -c "import typer"`, measured in the same run.

    python benchmarks/startup.py [--runs 30]

Each command runs --runs times, interleaved with the baseline so that machine noise hits both alike.
Two figures each: wall time, and CPU time (user + system, from the operating system's accounting),
which other work on the machine disturbs far less. Medians and minimums are printed with their
ratio to the baseline. "warm" runs find the checked plan in kpsy's cache (the usual case: the plan
changes far less often than it is asked); "cold" runs set KPSY_NO_CACHE=1 and read, parse and
check every file. Bytecode is cached as in an installed kpsy (PYTHONDONTWRITEBYTECODE is unset
and every module is imported once before timing).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import REPO, kpsy


def timed(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """(wall, cpu) seconds of one run of `cmd`."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(cmd, env=env, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as cache, tempfile.TemporaryDirectory() as state:
        warm_env = {**os.environ, "KPSY_CACHE_DIR": cache, "XDG_STATE_HOME": state}
        for name in ("KPSY_NO_CACHE", "PYTHONDONTWRITEBYTECODE"):
            warm_env.pop(name, None)
        cold_env = {**warm_env, "KPSY_NO_CACHE": "1"}
        cases = {
            'python -c "import typer"': ([sys.executable, "-c", "import typer"], warm_env),
            "kpsy tasks --unit 区教育局 (warm)": ([*kpsy(), "tasks", "--unit", "区教育局"], warm_env),
            "kpsy tasks --unit 区教育局 (cold)": ([*kpsy(), "tasks", "--unit", "区教育局"], cold_env),
            "kpsy validate (warm)": ([*kpsy(), "validate"], warm_env),
            "kpsy validate (cold)": ([*kpsy(), "validate"], cold_env),
        }
        for cmd, env in cases.values():  # bytecode, the cache and the OS file cache, as in daily use
            timed(cmd, env)
            timed(cmd, env)
        walls: dict[str, list[float]] = {name: [] for name in cases}
        cpus: dict[str, list[float]] = {name: [] for name in cases}
        for _ in range(args.runs):
            for name, (cmd, env) in cases.items():
                wall, cpu = timed(cmd, env)
                walls[name].append(wall)
                cpus[name].append(cpu)

    base = 'python -c "import typer"'
    print(f"{args.runs} runs each, {os.cpu_count()} cores; ratio = to {base}")
    print(
        f"{'command':36s} {'wall median':>12s} {'ratio':>6s} {'cpu median':>11s} {'ratio':>6s} {'cpu min':>8s} {'ratio':>6s}"
    )
    for name in cases:
        wm, cm, cn = statistics.median(walls[name]), statistics.median(cpus[name]), min(cpus[name])
        print(
            f"{name:36s} {wm * 1000:10.1f}ms {wm / statistics.median(walls[base]):5.2f}x"
            f" {cm * 1000:9.1f}ms {cm / statistics.median(cpus[base]):5.2f}x"
            f" {cn * 1000:6.1f}ms {cn / min(cpus[base]):5.2f}x"
        )


if __name__ == "__main__":
    main()

"""`kpsy validate` on plans 1×, 10× and 100× the real one: wall time and peak memory.

    python benchmarks/scale.py [--runs 5]

Cold runs (KPSY_NO_CACHE=1: every file parsed and validated). Growth should be no faster than
linear: the figures beyond the fixed start-up cost are compared at the end.
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


def measure(cmd: list[str], env: dict[str, str]) -> tuple[float, int]:
    """Wall seconds and peak resident memory (KiB) of one run of `cmd`."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(cmd)} failed")
    return elapsed, usage.ru_maxrss


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    env = {**os.environ, "KPSY_NO_CACHE": "1"}
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for factor in (1, 10, 100):
            plan = build(factor, Path(tmp) / f"x{factor}")
            chapters = len(list((plan / "chapters").glob("*.yaml")))
            size = sum(p.stat().st_size for p in plan.rglob("*") if p.is_file())
            cmd = [*kpsy(), "validate", "--strict", "--format", "plain", "--plan", str(plan)]
            runs = [measure(cmd, env) for _ in range(args.runs)]
            rows.append((factor, chapters, size, statistics.median(t for t, _ in runs), max(m for _, m in runs)))
        baseline = [measure([sys.executable, "-c", "import typer, pydantic, yaml"], env)[0] for _ in range(args.runs)]
    print(f"{'plan':>6} {'chapters':>9} {'bytes':>10} {'time':>9} {'peak RSS':>10}   ({args.runs} runs, median time)")
    for factor, chapters, size, secs, rss in rows:
        print(f"{factor:>5}× {chapters:>9} {size:>10,} {secs:8.3f}s {rss / 1024:8.1f}MB")
    fixed = statistics.median(baseline)
    (_, _, _, t1, m1), (_, _, _, t10, m10), (_, _, _, t100, m100) = rows
    print(f"start-up floor (python -c 'import typer, pydantic, yaml'): {fixed:.3f}s")
    c1, c10, c100 = (r[1] for r in rows)
    print(
        f"time per chapter beyond 1×: 10× {(t10 - t1) / (c10 - c1) * 1000:.2f}ms, 100× {(t100 - t1) / (c100 - c1) * 1000:.2f}ms"
        " (equal figures: linear growth)"
    )
    print(f"memory beyond 1×: 10× {(m10 - m1) / 1024:.1f}MB, 100× {(m100 - m1) / 1024:.1f}MB")


if __name__ == "__main__":
    main()

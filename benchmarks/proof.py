"""`kpsy proof` on the real plan and on the plan 100× its size, warm, paired with `kpsy validate`.

    python benchmarks/proof.py [--runs 5]

Targets: the whole plan in 0.5 s warm, the 100× plan in 5 s. "Warm" is every run after the first:
the plan comes from kpsy's cache of checked plans, as it does for any second command. Each round
runs proof, then validate on the same plan (A B A B …), so that the ratio holds when the machine's
speed drifts; wall and CPU seconds are the medians over the rounds, the ratio is the median of the
rounds' ratios. On a shared machine quote the CPU figures and the ratio.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import REPO, kpsy
from synthetic import build

TARGETS = {1: 0.5, 100: 5.0}


def measure(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU seconds (user + system) of one run of `cmd`; exit status 1 (findings) is fine."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} failed")
    return elapsed, usage.ru_utime + usage.ru_stime


def paired(plan: Path, runs: int, env: dict[str, str]) -> dict[str, float]:
    proof = [*kpsy(), "proof", "--format", "plain", "--plan", str(plan)]
    validate = [*kpsy(), "validate", "--format", "plain", "--plan", str(plan)]
    measure(proof, env), measure(validate, env)  # warm-up: the cache of checked plans is filled
    a, b = [], []
    for _ in range(runs):
        a.append(measure(proof, env))
        b.append(measure(validate, env))
    return {
        "proof wall": statistics.median(w for w, _ in a),
        "proof cpu": statistics.median(c for _, c in a),
        "validate wall": statistics.median(w for w, _ in b),
        "validate cpu": statistics.median(c for _, c in b),
        "ratio cpu": statistics.median(x[1] / y[1] for x, y in zip(a, b, strict=True)),
        "ratio wall": statistics.median(x[0] / y[0] for x, y in zip(a, b, strict=True)),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "KPSY_CACHE_DIR": str(Path(tmp) / "cache")}
        env.pop("PYTHONDONTWRITEBYTECODE", None)  # an installed kpsy has its bytecode compiled
        real = Path(tmp) / "x1" / "plan"
        shutil.copytree(REPO / "plan", real)
        plans = {1: real, 100: build(100, Path(tmp) / "x100")}
        rows = {factor: paired(plan, args.runs, env) for factor, plan in plans.items()}
    print(
        f"{'plan':>5} {'proof wall':>11} {'proof cpu':>10} {'validate wall':>14} {'validate cpu':>13}"
        f" {'proof/validate cpu':>19} {'wall':>6}   target   ({args.runs} paired runs, medians)"
    )
    for factor, row in rows.items():
        met = "met" if row["proof wall"] <= TARGETS[factor] else "MISSED"
        print(
            f"{factor:>4}× {row['proof wall']:10.3f}s {row['proof cpu']:9.3f}s {row['validate wall']:13.3f}s"
            f" {row['validate cpu']:12.3f}s {row['ratio cpu']:18.2f}× {row['ratio wall']:5.2f}×"
            f"   {TARGETS[factor]:.1f}s {met}"
        )


if __name__ == "__main__":
    main()

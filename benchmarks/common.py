"""What the benchmark scripts share."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def kpsy() -> list[str]:
    """The kpsy command: the installed script, else `python -m kpsy`."""
    exe = shutil.which("kpsy")
    return [exe] if exe else [sys.executable, "-m", "kpsy"]


def run_once(cmd: list[str], env: dict[str, str] | None = None, cwd: Path | None = None) -> tuple[float, float]:
    """(wall, cpu) seconds of one run of `cmd` as a whole process (cpu: user + system, the
    operating system's accounting of it and of the processes it waited for, pandoc included); a
    failure stops the benchmark with what it said."""
    import os
    import subprocess
    import tempfile
    import time

    with tempfile.TemporaryFile() as said:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=said)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            said.seek(0)
            raise SystemExit(f"{' '.join(cmd)} failed:\n{said.read().decode('utf-8', 'replace')[-2000:]}")
    return wall, usage.ru_utime + usage.ru_stime


def paired(
    a: list[str], b: list[str], runs: int, env: dict[str, str] | None = None, warmup: int = 1
) -> dict[str, float]:
    """A and B in turn (A B A B …) after `warmup` runs of each: the medians of each and the
    median of the ratios A/B taken pair by pair, for wall and CPU time, so that a machine whose
    speed drifts during the runs (other work on it) moves both sides of each ratio alike."""
    import statistics

    for _ in range(warmup):
        run_once(a, env)
        run_once(b, env)
    pairs = []
    for _ in range(runs):
        aw, ac = run_once(a, env)
        bw, bc = run_once(b, env)
        pairs.append((aw, ac, bw, bc))
    return {
        "a_wall": statistics.median(p[0] for p in pairs),
        "a_cpu": statistics.median(p[1] for p in pairs),
        "b_wall": statistics.median(p[2] for p in pairs),
        "b_cpu": statistics.median(p[3] for p in pairs),
        "wall_ratio": statistics.median(p[0] / p[2] for p in pairs),
        "cpu_ratio": statistics.median(p[1] / p[3] for p in pairs),
    }


def ratio_line(name: str, floor: str, figures: dict[str, float], target: float | None = None) -> str:
    """One paired figure as a line: kpsy's and the floor's median wall time, the median ratio of
    wall and of CPU time, and the target."""
    verdict = (
        "" if target is None else (f"  target <= {target:g}x " + ("ok" if figures["wall_ratio"] <= target else "OVER"))
    )
    return (
        f"{name:44s} {figures['a_wall']:7.3f} s | {floor:34s} {figures['b_wall']:7.3f} s |"
        f" wall {figures['wall_ratio']:5.2f}x  cpu {figures['cpu_ratio']:5.2f}x{verdict}"
    )

"""Start-up: kpsy commands beside `python -c "import typer"`, paired in one run.

    python benchmarks/startup.py [--runs 30]

Each kpsy command and the baseline run in turn, A B A B …, and each ratio is the median of the
ratios of the pairs: the machine's speed drifts (other work on it), and a pair's two runs see the
same machine (unpaired medians of the same code moved from 1.43x to 1.57x between runs).
Wall and CPU time (user + system, the operating system's accounting). "warm" runs find the
checked plan in kpsy's cache (the usual case); "cold" runs set KPSY_NO_CACHE=1 and read, parse and
check every file. Bytecode is cached as in an installed kpsy (PYTHONDONTWRITEBYTECODE is unset
and every command runs before it is timed).

Targets: warm <= 1.5x, cold <= 2.3x.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import REPO, kpsy, paired, ratio_line


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    base = [sys.executable, "-c", "import typer"]
    plan = ["--plan", str(REPO / "plan")]
    with tempfile.TemporaryDirectory() as cache, tempfile.TemporaryDirectory() as state:
        warm = {**os.environ, "KPSY_CACHE_DIR": cache, "XDG_STATE_HOME": state}
        for name in ("KPSY_NO_CACHE", "PYTHONDONTWRITEBYTECODE"):
            warm.pop(name, None)
        cold = {**warm, "KPSY_NO_CACHE": "1"}
        cases = [
            ("kpsy tasks --unit 区教育局 (warm)", [*kpsy(), "tasks", "--unit", "区教育局", *plan], warm, 1.5),
            ("kpsy tasks --unit 区教育局 (cold)", [*kpsy(), "tasks", "--unit", "区教育局", *plan], cold, 2.3),
            ("kpsy validate (warm)", [*kpsy(), "validate", *plan], warm, None),
            ("kpsy validate (cold)", [*kpsy(), "validate", *plan], cold, None),
        ]
        print(f"{args.runs} pairs each, {os.cpu_count()} cores; ratio: median of the pairs' ratios")
        for name, cmd, env, target in cases:
            figures = paired(cmd, base, args.runs, env, warmup=2)
            print(ratio_line(name, 'python -c "import typer"', figures, target), flush=True)


if __name__ == "__main__":
    main()

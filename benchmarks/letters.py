"""Time `kpsy letters --format docx` for every unit (target: under 10 s on this machine).

    python benchmarks/letters.py [--runs 5]

The plan is loaded once and all letters go through a single pandoc run (see kpsy.documents.word.to_docx);
this script also times one `kpsy render letter -f docx` beside it, to show what a pandoc process per
letter would cost.
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


def timed(args: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(
        [*kpsy(), *args], cwd=REPO, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "KPSY_CACHE_DIR": str(Path(tmp) / "cache")}
        out = Path(tmp) / "out"
        letters, single = [], []
        for i in range(args.runs):
            shutil.rmtree(out, ignore_errors=True)
            letters.append(timed(["letters", "--out", str(out), "--format", "docx", "--date", "2023-04-20"], env))
            single.append(
                timed(["render", "letter", "-u", "区教育局", "-f", "docx", "-o", str(Path(tmp) / f"one{i}.docx")], env)
            )
        count = len(list(out.glob("*.docx")))
    med = statistics.median(letters)
    print(
        f"kpsy letters --format docx: {count} letters, median {med:.2f} s, min {min(letters):.2f} s ({args.runs} runs, {os.cpu_count()} cores)"
    )
    print(f"kpsy render letter -f docx (one letter, one pandoc run): median {statistics.median(single):.2f} s")
    print(f"one process per letter would take about {count * statistics.median(single):.1f} s")


if __name__ == "__main__":
    main()

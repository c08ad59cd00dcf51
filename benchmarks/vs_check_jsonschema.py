"""`kpsy validate` beside `check-jsonschema --schemafile` on the same files with the exported schemas.

    pip install -e ".[bench]" && python benchmarks/vs_check_jsonschema.py [--runs 5]

check-jsonschema checks shape only, one schema per run (seven runs for the seven kinds of plan file);
kpsy checks shape, references, coverage and order in one run. Both cold (KPSY_NO_CACHE=1).
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
from common import REPO
from synthetic import build

TOP = ("document", "units", "targets", "schedule", "settings")


def run_all(cmds: list[list[str]], env: dict[str, str]) -> float:
    start = time.perf_counter()
    for cmd in cmds:
        subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    cj = shutil.which("check-jsonschema")
    if cj is None:
        raise SystemExit('check-jsonschema is not installed: pip install -e ".[bench]"')
    kpsy = shutil.which("kpsy") or f"{sys.executable} -m kpsy"
    env = {**os.environ, "KPSY_NO_CACHE": "1"}
    schema = REPO / "schema"
    with tempfile.TemporaryDirectory() as tmp:
        for factor in (1, 100):
            plan = build(factor, Path(tmp) / f"x{factor}")
            theirs = [[cj, "--schemafile", str(schema / f"{k}.json"), str(plan / f"{k}.yaml")] for k in TOP]
            theirs.append(
                [cj, "--schemafile", str(schema / "part.json"), *map(str, sorted((plan / "parts").glob("*.yaml")))]
            )
            theirs.append(
                [
                    cj,
                    "--schemafile",
                    str(schema / "chapter.json"),
                    *map(str, sorted((plan / "chapters").glob("*.yaml"))),
                ]
            )
            ours = [[*kpsy.split(), "validate", "--strict", "--format", "plain", "--plan", str(plan)]]
            t_cj = statistics.median(run_all(theirs, env) for _ in range(args.runs))
            t_cj_chapters = statistics.median(run_all(theirs[-1:], env) for _ in range(args.runs))
            t_kpsy = statistics.median(run_all(ours, env) for _ in range(args.runs))
            files = len(list(plan.rglob("*.yaml")))
            print(
                f"{factor:>3}× ({files} files): check-jsonschema {t_cj:.2f}s for all 7 schemas "
                f"({t_cj_chapters:.2f}s for the chapters alone); kpsy validate {t_kpsy:.2f}s "
                f"({t_cj / t_kpsy:.1f}× faster than all, {t_cj_chapters / t_kpsy:.1f}× than the chapters alone)"
            )


if __name__ == "__main__":
    main()

"""`kpsy diff` on the plan 100× the real one (benchmarks/synthetic.py): wall time and peak memory.

    python benchmarks/diff.py [--factor 100] [--runs 3]

A git repository holds the big plan in one commit. Then:

- a small change (one sentence of one task) in the working tree, `kpsy diff HEAD`: with an empty
  cache; again (both revisions cached); after `kpsy validate` had seen the committed plan (the usual
  order: validate, commit, then diff), with a new small edit; and `kpsy diff HEAD~1 HEAD` once that
  edit is committed;
- a large revision (every task's title changed: 3,800 changes), `kpsy diff HEAD -f docx -o
  修改对照表.docx` (the comparison table), warm.

Targets (issue 12): a small change at most 1.5 s; the 3,800-change .docx at most 8 s and 150 MB.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import kpsy
from synthetic import build

GIT = ["git", "-c", "user.name=bench", "-c", "user.email=bench@example.org"]


def measure(cmd: list[str], env: dict[str, str], cwd: Path) -> tuple[float, int]:
    """Wall seconds and peak resident memory (KiB) of one run of `cmd`."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise SystemExit(f"{' '.join(cmd)} failed")
    return elapsed, usage.ru_maxrss


def edit_one(plan: Path, n: int) -> None:
    """One sentence of one task, different each time."""
    path = plan / "chapters" / "youth.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r"积极探索适\S{1,6}?不同", f"积极探索适合第{n}种不同", text, count=1), encoding="utf-8")


def revise_everything(plan: Path) -> None:
    """Every task's title: 3,800 changes on the plan 100× the real one."""
    for path in sorted((plan / "chapters").glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        path.write_text(re.sub(r"(?m)^(    title: )", r"\g<1>进一步", text), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--factor", type=int, default=100)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    rows: list[tuple[str, float, int]] = []
    with tempfile.TemporaryDirectory() as tmp:
        repo = Path(tmp) / "repo"
        plan = build(args.factor, repo)
        subprocess.run([*GIT, "init", "-q"], cwd=repo, check=True)
        subprocess.run([*GIT, "add", "-A"], cwd=repo, check=True)
        subprocess.run([*GIT, "commit", "-qm", "plan"], cwd=repo, check=True)
        base = {**os.environ, "KPSY_LANG": "zh"}
        diff = [*kpsy(), "diff", "HEAD"]

        def run(name: str, cmd: list[str], env: dict[str, str], before: object = None) -> None:
            times, peaks = [], []
            for i in range(args.runs):
                if callable(before):
                    before(i)
                t, m = measure(cmd, env, repo)
                times.append(t)
                peaks.append(m)
            rows.append((name, statistics.median(times), max(peaks)))

        edit_one(plan, 0)
        # 1. nothing cached
        times, peaks = [], []
        for i in range(args.runs):
            env = {**base, "KPSY_CACHE_DIR": str(Path(tmp) / f"empty-cache-{i}")}
            t, m = measure(diff, env, repo)
            times.append(t)
            peaks.append(m)
        rows.append(("small change, empty cache", statistics.median(times), max(peaks)))
        cache_env = {**base, "KPSY_CACHE_DIR": str(Path(tmp) / "cache")}
        # 2. the usual order: validate the committed plan, edit, diff
        subprocess.run([*GIT, "checkout", "-q", "--", "plan"], cwd=repo, check=True)
        measure([*kpsy(), "validate"], cache_env, repo)
        counter = iter(range(1, 1000))
        run("small change, after validate (HEAD cached)", diff, cache_env, lambda i: edit_one(plan, next(counter)))
        run("small change, both revisions cached", diff, cache_env)
        subprocess.run([*GIT, "commit", "-qam", "small change"], cwd=repo, check=True)
        run("committed small change, diff HEAD~1 HEAD", [*kpsy(), "diff", "HEAD~1", "HEAD"], cache_env)
        # 3. the large revision as a comparison table
        revise_everything(plan)
        data = subprocess.run([*diff, "-f", "json"], env=cache_env, cwd=repo, capture_output=True, check=False)
        count = json.loads(data.stdout)["count"]
        out = Path(tmp) / "修改对照表.docx"
        run(f"{count:,} changes, -f docx (warm)", [*diff, "-f", "docx", "-o", str(out)], cache_env)
        run(f"{count:,} changes, -f json (warm)", [*diff, "-f", "json"], cache_env)
    print(f"plan {args.factor}× the real one; median of {args.runs} runs, peak RSS the largest")
    print(f"{'case':<48} {'time':>8} {'peak RSS':>10}")
    for name, secs, rss in rows:
        print(f"{name:<48} {secs:7.2f}s {rss / 1024:8.1f}MB")


if __name__ == "__main__":
    main()

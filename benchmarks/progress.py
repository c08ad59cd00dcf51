"""Progress at scale: 26 units × 38 tasks × 20 quarterly periods (about 20,000 task reports).

    python benchmarks/progress.py [--runs 5]

Builds a synthetic plan from the bundled one in which every unit has a role in every numbered task
(38), writes a report for every unit and quarter of 2021-2025, and times, against the issue's
targets:

- importing 26 filled-in sheets (`kpsy progress import`, the plan's cache warm)   <= 10 s
- the status matrix (`kpsy progress --period 2025Q4`, warm)                      <= 1 s
- validating the whole history (`kpsy validate`, cold: every file parsed)          <= 3 s

Each figure is the median of --runs runs, measured as wall time of the command as a user runs it.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path, PurePosixPath

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import REPO, kpsy

UNITS = 26
PERIODS = [f"{year}Q{q}" for year in range(2021, 2026) for q in range(1, 5)]
STATUSES = ["已完成", "超进度", "达进度", "达进度", "达进度", "欠进度", "未启动", "其他"]


def build(target: Path) -> tuple[int, int]:
    """The synthetic plan at `target`: (task reports, files)."""
    from kpsy.api import open_plan
    from kpsy.plan.fmt import record_text
    from kpsy.plan.model import OVERSIGHT_KINDS, ProgressFile, TaskProgress

    shutil.copytree(REPO / "plan", target)
    document = target / "document.yaml"
    document.write_text(
        re.sub(r"\n  source_text: .*\n", "\n", document.read_text(encoding="utf-8")), encoding="utf-8"
    )  # the plan departs from its original: every chapter with tasks gets every unit
    plan = open_plan(target).data
    units = [u for u in plan.units if u.kind not in OVERSIGHT_KINDS]
    assert len(units) == UNITS, len(units)
    for chapter in plan.iter_chapters():
        if not chapter.tasks:
            continue
        path = target / "chapters" / f"{chapter.id}.yaml"
        text = re.sub(r"\nresponsibility:\n(?:  .*\n?)*", "\n", path.read_text(encoding="utf-8")).rstrip("\n")
        lines = [f"    - {u.name}" for u in units[1:]]
        text += f"\nresponsibility:\n  leads:\n    - {units[0].name}\n  participants:\n" + "\n".join(lines) + "\n"
        path.write_text(text, encoding="utf-8")
    plan = open_plan(target).data
    tasks = [t.id for t in plan.iter_tasks()]
    rnd = random.Random(13)
    done: set[tuple[str, str]] = set()  # a task done stays done (no progress-regress warnings)
    count = files = 0
    for period in PERIODS:
        year, quarter = int(period[:4]), int(period[-1])
        filed = dt.date(year, 3 * quarter, 20)
        for unit in units:
            entries = []
            for task in tasks:
                status = "已完成" if (unit.id, task) in done else rnd.choice(STATUSES)
                if status == "已完成":
                    done.add((unit.id, task))
                behind = status in ("欠进度", "未启动")
                entries.append(
                    TaskProgress(
                        task=task,
                        status=status,  # type: ignore[arg-type]
                        percent=rnd.randint(0, 100),
                        progress=f"本季度围绕任务开展专题活动{rnd.randint(1, 20)}场，覆盖群众{rnd.randint(1, 90)}00人次，"
                        "组织专家讲座和现场观摩，形成工作台账并按月调度推进。",
                        problems="经费保障不足，基层专业人员缺乏，部门协同机制有待完善。" if behind else None,
                        next_steps="加强统筹协调，争取专项经费，按月跟踪进度。" if status != "已完成" else None,
                        evidence=[f"{period}-{task}-工作总结.docx"] if rnd.random() < 0.2 else [],
                    )
                )
            record = ProgressFile(
                unit=unit.id, period=period, reporter="填报人", approver="分管领导", date=filed, tasks=entries
            )
            relative = PurePosixPath("progress", period, f"{unit.id}.yaml")
            (target / relative).parent.mkdir(parents=True, exist_ok=True)
            (target / relative).write_text(record_text(record, relative), encoding="utf-8")
            count += len(entries)
            files += 1
    return count, files


def fill(sheet: Path, out: Path) -> None:
    import openpyxl

    from kpsy.sheets import layout

    book = openpyxl.load_workbook(sheet)
    ws = book[layout.MAIN]
    ws["B3"], ws["E3"], ws["H3"] = "填报人", "分管领导", dt.datetime(2025, 12, 20)
    for r in range(layout.HEADER_ROW + 1, ws.max_row + 1):
        ws.cell(row=r, column=5).value = "达进度"
        ws.cell(row=r, column=6).value = 80
        ws.cell(
            row=r, column=7
        ).value = "本季度围绕任务开展专题活动12场，覆盖群众3600人次，形成工作台账并按月调度推进。"
    book.save(out)


def timed(args: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    proc = subprocess.run([*kpsy(), *args], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"kpsy {' '.join(args)} failed:\n{proc.stderr[-3000:]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        plan = root / "plan"
        started = time.perf_counter()
        reports, files = build(plan)
        size = sum(p.stat().st_size for p in (plan / "progress").rglob("*.yaml"))
        print(
            f"synthetic history: {files} files, {reports:,} task reports, {size / 1e6:.1f} MB "
            f"(built in {time.perf_counter() - started:.0f} s)"
        )
        warm = {**os.environ, "KPSY_CACHE_DIR": str(root / "cache")}
        warm.pop("KPSY_NO_CACHE", None)
        cold = {**warm, "KPSY_NO_CACHE": "1"}
        where = ["--plan", str(plan)]

        validate = [timed(["validate", "--strict", "--format", "plain", *where], cold) for _ in range(args.runs)]
        timed(["progress", "--period", "2025Q4", *where], warm)  # fill the cache
        matrix = [timed(["progress", "--period", "2025Q4", *where], warm) for _ in range(args.runs)]
        as_json = [timed(["progress", "--period", "2025Q4", "-f", "json", *where], warm) for _ in range(args.runs)]

        # the last quarter comes back as 26 filled-in sheets
        shutil.rmtree(plan / "progress" / "2025Q4")
        timed(["progress", "sheet", "--all", "--period", "2025Q4", "--out", str(root / "sheets"), *where], warm)
        filled = root / "filled"
        filled.mkdir()
        for sheet in sorted((root / "sheets").glob("*.xlsx")):
            fill(sheet, filled / sheet.name)
        sheets = sorted(str(p) for p in filled.glob("*.xlsx"))
        assert len(sheets) == UNITS
        imports, cold_imports = [], []
        for _ in range(args.runs):
            timed(["progress", *where], warm)  # the cache holds the plan without the quarter, as it would
            imports.append(timed(["progress", "import", *sheets, *where], warm))
            shutil.rmtree(plan / "progress" / "2025Q4")
            cold_imports.append(timed(["progress", "import", *sheets, *where], cold))
            shutil.rmtree(plan / "progress" / "2025Q4")

    def line(name: str, values: list[float], limit: float | None) -> str:
        med = statistics.median(values)
        verdict = "" if limit is None else ("  ok" if med <= limit else "  OVER")
        target = f"(target <= {limit:g} s)" if limit is not None else ""
        return f"{name:62s} {med:7.2f} s  min {min(values):6.2f} s {target}{verdict}"

    print(f"({args.runs} runs each, median; {os.cpu_count()} cores)")
    print(line(f"import {UNITS} filled-in sheets (cache warm)", imports, 10))
    print(line(f"import {UNITS} filled-in sheets (cache cold)", cold_imports, None))
    print(line("kpsy progress --period 2025Q4: the matrix (warm)", matrix, 1))
    print(line("kpsy progress --period 2025Q4 -f json (warm)", as_json, None))
    print(line(f"kpsy validate: the whole history, {reports:,} task reports (cold)", validate, 3))


if __name__ == "__main__":
    main()

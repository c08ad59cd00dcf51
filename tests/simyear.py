"""Five simulated years of reports (2021–2025) from all 26 units, as a year happens: most on time,
some late (dated before 12月10日 but received after it), some never, some partial (rows left blank), statuses that move
year by year, problems written in the words clerks use, indicators measured by the units that own
them. Deterministic (a seeded generator): the documents' tests read the same plan every run.

`write_years(plan)` writes the reports into a plan folder as the import would; the 2025 sheets
that clerks fill in by hand are in test_simulated_year.py."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import yaml

from kpsy.api import open_plan
from kpsy.plan.reportable import reportable
from kpsy.queries.progress import reporters

YEARS = (2021, 2022, 2023, 2024, 2025)
# Shares of statuses as the years go by (已完成 grows, 未启动 fades).
WEIGHTS = {
    2021: {"已完成": 5, "超进度": 3, "达进度": 55, "欠进度": 20, "未启动": 15, "其他": 2},
    2022: {"已完成": 12, "超进度": 5, "达进度": 58, "欠进度": 17, "未启动": 6, "其他": 2},
    2023: {"已完成": 20, "超进度": 6, "达进度": 56, "欠进度": 13, "未启动": 3, "其他": 2},
    2024: {"已完成": 30, "超进度": 7, "达进度": 50, "欠进度": 10, "未启动": 2, "其他": 1},
    2025: {"已完成": 55, "超进度": 5, "达进度": 30, "欠进度": 8, "未启动": 1, "其他": 1},
}
PROBLEMS = (
    "专项经费不足，活动规模受限",
    "科普资金投入偏少，难以持续开展",
    "基层科普人员力量薄弱，专职人员少",
    "志愿者队伍不稳定，流动性大",
    "科普场地设施不足，阵地建设滞后",
    "部门间协调联动不够，信息共享不畅",
    "群众参与积极性不高，覆盖面有限",
    "受疫情影响，线下活动多次延期",
    "工作方式方法有待创新",
)
DOING = ("开展科普讲座", "举办主题活动", "组织专题培训", "开展宣传展示", "开展进社区活动")
# (unit id, year) of reports that never came, and that came late (days after the deadline).
NEVER = {("ethnic-religious", 2025), ("media-centre", 2025), ("federation-commerce", 2024), ("ethnic-religious", 2022)}
LATE = {
    ("finance", 2025): 6,
    ("civil-affairs", 2025): 20,
    ("emergency-management", 2024): 3,
    ("natural-resources", 2023): 12,
}
PARTIAL = {("youth-league", 2025): 3, ("women-federation", 2025): 2, ("culture-tourism", 2024): 4}
INDICATORS = {
    "science-literacy-rate": ("science-association", [10.2, 11.4, 12.5, 13.6, 15.3], "公民科学素质抽样调查"),
    "health-literacy-level": ("health", [20.8, 22.1, 23.2, 24.3, 25.6], "居民健康素养监测"),
}


def _task(rng: random.Random, year: int, item_id: str, title: str) -> dict[str, object]:
    weights = WEIGHTS[year]
    status = rng.choices(list(weights), list(weights.values()))[0]
    task: dict[str, object] = {
        "task": item_id,
        "status": status,
        "progress": f"围绕“{title}”，{rng.choice(DOING)}{rng.randint(2, 12)}场，覆盖{rng.randint(3, 60) * 100}人次。",
    }
    if status in ("欠进度", "未启动") or rng.random() < 0.25:
        task["problems"] = rng.choice(PROBLEMS) + "。"
    if rng.random() < 0.5:
        task["next_steps"] = "加强统筹，争取更多支持，扩大覆盖面。"
    if rng.random() < 0.6:
        task["percent"] = 100 if status == "已完成" else rng.randint(2, 9) * 10
    return task


def write_years(plan: Path, years: tuple[int, ...] = YEARS, seed: int = 2025) -> int:
    """Writes every unit's report for `years` into `plan`; returns how many reports it wrote."""
    rng = random.Random(seed)
    data = open_plan(plan).data
    items = reportable(data)
    written = 0
    for year in years:
        for unit in reporters(data, items):
            if (unit.id, year) in NEVER:
                continue
            mine = [i for i in items if i.role(unit.name) is not None]
            blank = PARTIAL.get((unit.id, year), 0)
            tasks = [_task(rng, year, i.id, i.title) for i in mine[: len(mine) - blank]]
            late = LATE.get((unit.id, year))
            filed = dt.date(year, 12, 10) - dt.timedelta(days=rng.randint(0, 9))
            # a late unit dates its sheet before the deadline as the others do; the office records the
            # day it came (as the import does), and that day makes it late
            came = filed if late is None else dt.date(year, 12, 10) + dt.timedelta(days=late)
            report: dict[str, object] = {
                "unit": unit.id,
                "period": str(year),
                "reporter": "王芳",
                "approver": "李强",
                "date": filed,
                "received": dt.date.fromordinal(came.toordinal()),  # its own object: no YAML alias
                "tasks": tasks,
            }
            measured = [
                {"target": t, "value": values[year - 2021], "date": f"{year}-10", "source": source}
                for t, (owner, values, source) in INDICATORS.items()
                if owner == unit.id
            ]
            if measured:
                report["indicators"] = measured
            folder = plan / "progress" / str(year)
            folder.mkdir(parents=True, exist_ok=True)
            text = yaml.safe_dump(report, allow_unicode=True, sort_keys=False)
            (folder / f"{unit.id}.yaml").write_text(text, encoding="utf-8")
            written += 1
    return written

"""Progress: the status of every task for every unit in a period, counts by status (overall and per
action), who owes a report, one unit's history, and each indicator against its target.

The cells of a period's matrix are the (unit, task) pairs where a unit has a role (lead,
participant, or named in the task's text: `kpsy.plan.reportable`), plus any pair a unit reported
on anyway; a pair without a report counts as 未报送, so the percentages are of everything expected
and a missing report never flatters the totals.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any

from kpsy.errors import KpsyError, UsageError
from kpsy.i18n import msg
from kpsy.plan.model import OVERSIGHT_KINDS, STATUSES, IndicatorActual, ProgressFile, Target, Unit, day_of
from kpsy.plan.outline import PlanData
from kpsy.plan.periods import ReportPeriod, parse_period, sort_periods
from kpsy.plan.reportable import Reportable, reportable
from kpsy.queries.deadlines import Submission
from kpsy.queries.records import TargetRow, target_row

MISSING = "未报送"
# The office's words for each status, and the stable keys JSON uses for them.
STATUS_KEYS: dict[str, str] = {
    "已完成": "done",
    "超进度": "ahead",
    "达进度": "on-track",
    "欠进度": "behind",
    "未启动": "not-started",
    "其他": "other",
    MISSING: "missing",
}
CATEGORIES: tuple[str, ...] = (*STATUSES, MISSING)
# Statuses that put a task on the list of those behind (督查通报).
BEHIND: tuple[str, ...] = ("欠进度", "未启动")


class NoProgressError(KpsyError):
    """The plan holds no progress reports, and no period was named."""


# --- the reports -----------------------------------------------------------------------------


def report_files(plan: PlanData) -> list[ProgressFile]:
    """Every progress report of the plan."""
    return [s.data for s in plan.of_kind("progress")]


def periods(plan: PlanData) -> list[str]:
    """The periods that have reports, in time order."""
    return sort_periods(list({r.period for r in report_files(plan)}))


def check_period(plan: PlanData, text: str) -> ReportPeriod:
    """The period a user named, which must be well written and within the plan's period."""
    period = parse_period(text)
    if period is None:
        raise UsageError(
            msg(
                "--period {p}: write a year (2024), a quarter (2024Q3) or a month (2024-05)",
                "--period {p}：请写年度（2024）、季度（2024Q3）或月份（2024-05）",
                p=text,
            )
        )
    span = plan.document.plan.period
    if not span.start <= period.year <= span.end:
        raise UsageError(
            msg(
                "--period {p} is outside the plan period {start}-{end}",
                "--period {p} 不在规划期 {start}-{end} 年内",
                p=text,
                start=span.start,
                end=span.end,
            )
        )
    return period


def chosen_period(plan: PlanData, text: str | None) -> ReportPeriod:
    """The named period, or else the latest one that has reports."""
    if text is not None:
        return check_period(plan, text)
    found = periods(plan)
    if not found:
        raise NoProgressError(
            msg(
                "the plan has no progress reports yet (plan/progress/<period>/<unit id>.yaml): give --period, "
                "or make fill-in sheets with `kpsy progress sheet`",
                "计划中还没有进展报告（plan/progress/<期间>/<单位ID>.yaml）：请用 --period 指定期间，"
                "或先用 kpsy progress sheet 生成填报表",
            )
        )
    period = parse_period(found[-1])
    assert period is not None
    return period


def reporters(plan: PlanData, items: list[Reportable] | None = None) -> list[Unit]:
    """The units expected to report, in protocol order: every unit with a role in some task, except
    the bodies that oversee the work (人民政府, 议事协调机构)."""
    named = {name for item in items or reportable(plan) for name in item.roles}
    return [u for u in plan.units if u.name in named and u.kind not in OVERSIGHT_KINDS]


def unit_items(plan: PlanData, unit: Unit, items: list[Reportable] | None = None) -> list[Reportable]:
    """The items `unit` reports on: those where it has a role, in document order."""
    return [item for item in items or reportable(plan) if item.role(unit.name) is not None]


# --- one period ------------------------------------------------------------------------------


@dataclass
class Entry:
    """One unit's report on one task: a line of the 任务台账."""

    period: str
    unit: str
    unit_id: str
    task_id: str
    task_number: str
    task_title: str
    action_id: str
    action_number: str
    action_title: str
    role: str | None
    status: str
    percent: float | None
    progress: str
    problems: str | None
    next_steps: str | None
    evidence: list[str]
    reporter: str
    approver: str
    date: str

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["status"] = STATUS_KEYS[self.status]
        data["status_label"] = self.status
        return data


@dataclass
class Count:
    status: str  # the office's word (已完成 …, 未报送)
    count: int
    percent: float  # of all cells, 0-100, one decimal

    @property
    def key(self) -> str:
        return STATUS_KEYS[self.status]

    def as_dict(self) -> dict[str, Any]:
        return {"status": self.key, "label": self.status, "count": self.count, "percent": self.percent}


def counts_of(statuses: list[str]) -> list[Count]:
    """How many of each category (every status, then 未报送), with its share in per cent."""
    total = len(statuses)
    return [
        Count(status, n, round(100 * n / total, 1) if total else 0.0)
        for status in CATEGORIES
        for n in [statuses.count(status)]
    ]


@dataclass
class ActionCounts:
    id: str
    number: str
    title: str
    counts: list[Count]
    total: int

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "number": self.number,
            "title": self.title,
            "total": self.total,
            "counts": [c.as_dict() for c in self.counts],
        }


@dataclass
class MatrixRow:
    """One task of the matrix: its status for each unit (short name -> status or 未报送)."""

    id: str
    number: str
    title: str
    action_id: str
    action_number: str
    action_title: str
    leads: list[str]
    cells: dict[str, str]
    roles: dict[str, str]  # unit short name -> lead / participant / mentioned ("" for a report without a role)
    light: str = "open"  # 督办: done, behind, due-soon, overdue, open (kpsy.queries.deadlines.LIGHTS)

    def as_dict(self) -> dict[str, Any]:
        return {
            "light": self.light,
            "task_id": self.id,
            "task_number": self.number,
            "task_title": self.title,
            "action_id": self.action_id,
            "action_number": self.action_number,
            "leads": self.leads,
            "cells": {unit: STATUS_KEYS[status] for unit, status in self.cells.items()},
            "roles": {unit: role or None for unit, role in self.roles.items()},
        }


@dataclass
class Owed:
    """A unit that owes (part of) a report: 催报."""

    unit: str
    unit_id: str
    kind: str
    expected: int
    reported: int
    missing: list[str]  # task numbers
    missing_ids: list[str]
    has_report: bool
    deadline: dt.date | None = None
    days: int = 0  # days past the deadline, as of the day judged

    @property
    def state(self) -> str:
        return "未报送" if not self.has_report else "部分未报"

    def as_dict(self) -> dict[str, Any]:
        return {
            "unit": self.unit,
            "unit_id": self.unit_id,
            "state": "missing" if not self.has_report else "incomplete",
            "expected": self.expected,
            "reported": self.reported,
            "missing": self.missing_ids,
            "deadline": self.deadline.isoformat() if self.deadline else None,
            "days_overdue": self.days,
        }


@dataclass
class PeriodProgress:
    """A period's progress: the matrix, the counts, the 台账 and who owes a report."""

    period: str
    label: str
    periods: list[str]
    units: list[str]  # the matrix's columns, protocol order
    rows: list[MatrixRow]
    entries: list[Entry]
    overall: list[Count]
    actions: list[ActionCounts]
    owed: list[Owed]
    reporters: int  # units expected to report
    reported_units: int  # units that did
    deadline: dt.date | None = None  # the last day to report on the period (None: the plan sets none)
    as_of: dt.date | None = None  # the day the lights and days overdue are judged on
    submissions: list[Submission] = field(default_factory=list)  # each unit's 按时 / 逾期 / 未报

    @property
    def total(self) -> int:
        return sum(c.count for c in self.overall)

    @property
    def shown(self) -> str:
        """The period as a person reads it in the language of the moment (2024年, or 2024 in English)."""
        from kpsy.plan.periods import shown

        return shown(self.period)

    def count(self, status: str) -> int:
        return next(c.count for c in self.overall if c.status == status)

    def behind(self) -> list[MatrixRow]:
        """Tasks some unit reported 欠进度 or 未启动."""
        return [row for row in self.rows if any(s in BEHIND for s in row.cells.values())]

    def as_dict(self) -> dict[str, Any]:
        return {
            "period": self.period,
            "label": self.label,
            "periods": self.periods,
            "total": self.total,
            "reporters": self.reporters,
            "reported_units": self.reported_units,
            "deadline": self.deadline.isoformat() if self.deadline else None,
            "as_of": self.as_of.isoformat() if self.as_of else None,
            "submissions": [s.as_dict() for s in self.submissions],
            "overall": [c.as_dict() for c in self.overall],
            "actions": [a.as_dict() for a in self.actions],
            "units": self.units,
            "matrix": [r.as_dict() for r in self.rows],
            "missing": [o.as_dict() for o in self.owed],
            "entries": [e.as_dict() for e in self.entries],
        }


def _entry(plan: PlanData, report: ProgressFile, item: Reportable | None, unit: Unit | None, index: int) -> Entry:
    task = report.tasks[index]
    name = unit.name if unit else report.unit
    ref = item.ref if item else plan.find(task.task)
    action = item.action if item else None
    return Entry(
        period=report.period,
        unit=name,
        unit_id=report.unit,
        task_id=task.task,
        task_number=ref.number if ref else "",
        task_title=ref.title if ref else task.task,
        action_id=action.id if action else "",
        action_number=action.number if action else "",
        action_title=action.title if action else "",
        role=item.role(name) if item else None,
        status=task.status,
        percent=task.percent,
        progress=task.progress,
        problems=task.problems,
        next_steps=task.next_steps,
        evidence=list(task.evidence),
        reporter=report.reporter,
        approver=report.approver,
        date=report.date.isoformat(),
    )


def _filed(
    plan: PlanData, reports: list[ProgressFile], order: dict[str, int], by_id: dict[str, Reportable]
) -> tuple[dict[tuple[str, str], str], list[Entry], set[str]]:
    """What the period's reports say: (unit name, task id) -> status, the 台账's lines in document
    order, and the names of the units that reported."""
    statuses: dict[tuple[str, str], str] = {}
    entries: list[Entry] = []
    reported_units: set[str] = set()
    for report in reports:
        unit = plan.units.by_id.get(report.unit)
        name = unit.name if unit else report.unit
        reported_units.add(name)
        for i, task in enumerate(report.tasks):
            statuses.setdefault((name, task.task), task.status)
            entries.append(_entry(plan, report, by_id.get(task.task), unit, i))
    entries.sort(key=lambda e: (order.get(e.task_id, len(order)), plan.units.order(e.unit)))
    return statuses, entries, reported_units


def _matrix_row(
    item: Reportable, columns: list[str], expected: set[str], statuses: dict[tuple[str, str], str]
) -> MatrixRow | None:
    """`item`'s row of the matrix: a cell for each unit with a role (or a report) in it; None when it has none."""
    cells: dict[str, str] = {}
    roles: dict[str, str] = {}
    for name in columns:
        role = item.role(name)
        status = statuses.get((name, item.id))
        if status is None and (role is None or name not in expected):
            continue
        cells[name] = status or MISSING
        roles[name] = role or ""
    if not cells:
        return None
    resp = item.action.chapter.responsibility
    return MatrixRow(
        item.id,
        item.number,
        item.title,
        item.action.id,
        item.action.number,
        item.action.title,
        list(resp.leads) if resp else [],
        cells,
        roles,
    )


def _action_counts(plan: PlanData, rows: list[MatrixRow]) -> list[ActionCounts]:
    """Counts by status for each action with cells, in document order."""
    per_action: dict[str, list[str]] = {}
    for row in rows:
        per_action.setdefault(row.action_id, []).extend(row.cells.values())
    return [
        ActionCounts(chapter.id, chapter.number, chapter.title, counts_of(values), len(values))
        for chapter in plan.iter_chapters()
        if (values := per_action.get(chapter.id))
    ]


def period_progress(plan: PlanData, period: str | None = None, as_of: dt.date | None = None) -> PeriodProgress:
    """The progress of `period` (default: the latest period with reports), with who reported on time
    and each task's light judged as of `as_of` (default: the period's deadline, else its last day)."""
    from kpsy.queries.deadlines import deadline, task_light, warn_days

    chosen = chosen_period(plan, period)
    items = reportable(plan)
    expected = reporters(plan, items)
    in_period = [r for r in report_files(plan) if r.period == chosen.text]
    order = {item.id: i for i, item in enumerate(items)}
    statuses, entries, reported_units = _filed(plan, in_period, order, {item.id: item for item in items})
    expected_names = {u.name for u in expected}
    columns = plan.units.sort({*expected_names, *reported_units})
    rows = [row for item in items if (row := _matrix_row(item, columns, expected_names, statuses)) is not None]
    due = deadline(plan, chosen)
    day = as_of or due or chosen.end
    for row in rows:
        values = row.cells.values()
        row.light = task_light(MISSING in values, any(s in BEHIND for s in values), due, day, warn_days(plan))
    return PeriodProgress(
        period=chosen.text,
        label=chosen.label,
        periods=periods(plan),
        units=columns,
        rows=rows,
        entries=entries,
        overall=counts_of([status for row in rows for status in row.cells.values()]),
        actions=_action_counts(plan, rows),
        owed=owed(plan, chosen.text, items, expected, as_of=day),
        reporters=len(expected),
        reported_units=len(reported_units & expected_names),
        deadline=due,
        as_of=day,
        submissions=submissions(plan, chosen, items, expected, day),
    )


def submissions(
    plan: PlanData, period: ReportPeriod, items: list[Reportable], expected: list[Unit], as_of: dt.date
) -> list[Submission]:
    """How each unit expected to report stands with its report for `period` (按时 / 逾期 / 未报), in protocol order."""
    from kpsy.queries.deadlines import Submission, deadline, judge

    due = deadline(plan, period)
    filed = {r.unit: r for r in report_files(plan) if r.period == period.text}
    result = []
    for unit in expected:
        mine = {item.id for item in unit_items(plan, unit, items)}
        report = filed.get(unit.id)
        state, day, days = judge(report, due, as_of)
        reported = len(mine & {t.task for t in report.tasks}) if report else 0
        result.append(Submission(unit.name, unit.id, state, day, days, len(mine), reported))
    return result


def owed(
    plan: PlanData,
    period: str,
    items: list[Reportable] | None = None,
    expected: list[Unit] | None = None,
    *,
    as_of: dt.date | None = None,
) -> list[Owed]:
    """The units that owe a report for `period`, or part of one, in protocol order, with the
    deadline and how many days past it they are as of `as_of` (default: the deadline itself)."""
    from kpsy.queries.deadlines import deadline

    items = items if items is not None else reportable(plan)
    expected = expected if expected is not None else reporters(plan, items)
    chosen = parse_period(period)
    due = deadline(plan, chosen) if chosen is not None else None
    late = max(0, (as_of - due).days) if as_of is not None and due is not None else 0
    filed = {r.unit: r for r in report_files(plan) if r.period == period}
    result = []
    for unit in expected:
        mine = unit_items(plan, unit, items)
        report = filed.get(unit.id)
        done = {t.task for t in report.tasks} if report else set()
        missing = [item for item in mine if item.id not in done]
        if missing:
            result.append(
                Owed(
                    unit.name,
                    unit.id,
                    unit.kind,
                    len(mine),
                    len(mine) - len(missing),
                    [item.number for item in missing],
                    [item.id for item in missing],
                    report is not None,
                    due,
                    late,
                )
            )
    return result


def missing(plan: PlanData, period: str | None = None, as_of: dt.date | None = None) -> tuple[ReportPeriod, list[Owed]]:
    """The period (default: the latest with reports) and the units that owe a report for it, with
    their days past the deadline as of `as_of` (default: the deadline)."""
    chosen = chosen_period(plan, period)
    return chosen, owed(plan, chosen.text, as_of=as_of)


# --- one unit across periods -----------------------------------------------------------------


@dataclass
class HistoryRow:
    id: str
    number: str
    title: str
    action_id: str
    action_number: str
    action_title: str
    role: str | None
    statuses: dict[str, str]  # period -> status (未报送 where the unit filed nothing on it)

    def as_dict(self) -> dict[str, Any]:
        return {
            "task_id": self.id,
            "task_number": self.number,
            "task_title": self.title,
            "action_id": self.action_id,
            "role": self.role,
            "statuses": {p: STATUS_KEYS[s] for p, s in self.statuses.items()},
        }


@dataclass
class UnitHistory:
    unit: Unit
    periods: list[str]
    rows: list[HistoryRow]
    reports: dict[str, ProgressFile]  # period -> the unit's report
    entries: list[Entry]  # every line the unit reported, by period then task
    labels: dict[str, str] = field(default_factory=dict)  # period -> 2024年第三季度

    def as_dict(self) -> dict[str, Any]:
        return {
            "unit": self.unit.name,
            "unit_id": self.unit.id,
            "periods": self.periods,
            "reports": {
                p: {"reporter": r.reporter, "approver": r.approver, "date": r.date.isoformat(), "tasks": len(r.tasks)}
                for p, r in self.reports.items()
            },
            "history": [row.as_dict() for row in self.rows],
            "entries": [e.as_dict() for e in self.entries],
        }


def unit_history(plan: PlanData, unit: Unit, period: str | None = None) -> UnitHistory:
    """`unit`'s reports across every period with reports (or in one period), task by task."""
    items = reportable(plan)
    by_id = {item.id: item for item in items}
    all_periods = periods(plan)
    if period is not None:
        chosen = check_period(plan, period).text
        all_periods = [chosen]
    mine = {r.period: r for r in report_files(plan) if r.unit == unit.id and r.period in all_periods}
    statuses: dict[str, dict[str, str]] = {}
    entries: list[Entry] = []
    for p in all_periods:
        report = mine.get(p)
        if report is None:
            continue
        for i, task in enumerate(report.tasks):
            statuses.setdefault(task.task, {})[p] = task.status
            entries.append(_entry(plan, report, by_id.get(task.task), unit, i))
    order = {item.id: i for i, item in enumerate(items)}
    position = {p: i for i, p in enumerate(all_periods)}
    entries.sort(key=lambda e: (position[e.period], order.get(e.task_id, len(order))))
    rows = []
    for item in items:
        role = item.role(unit.name)
        if role is None and item.id not in statuses:
            continue
        cells = {p: statuses.get(item.id, {}).get(p, MISSING) for p in all_periods}
        rows.append(
            HistoryRow(
                item.id, item.number, item.title, item.action.id, item.action.number, item.action.title, role, cells
            )
        )
    labels = {p: parsed.label for p in all_periods if (parsed := parse_period(p))}
    return UnitHistory(unit, all_periods, rows, mine, entries, labels)


# --- indicators ------------------------------------------------------------------------------


@dataclass
class Actual:
    date: str
    value: float
    source: str
    unit: str  # the reporting unit's short name
    period: str


@dataclass
class IndicatorRow(TargetRow):
    """A target with its baseline, its measured values and where it stands."""

    baseline: float | None = None
    baseline_year: int | None = None
    baseline_source: str | None = None
    actuals: list[Actual] = field(default_factory=list)
    latest: float | None = None
    latest_date: str | None = None
    latest_source: str | None = None
    latest_unit: str | None = None  # the unit that reported the latest value
    change: float | None = None  # latest minus the point before it (or the baseline)
    trend: str = "no-data"  # met, on-track, off-track, insufficient-data, no-data
    trend_label: str = "暂无实测数据"
    projected: float | None = None  # where the straight line through the first and last points reaches by the due year

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


_COMPARE = {
    "超过": lambda v, t: v > t,
    "不低于": lambda v, t: v >= t,
    "达到": lambda v, t: v >= t,
    "不少于": lambda v, t: v >= t,
    "低于": lambda v, t: v < t,
    "不高于": lambda v, t: v <= t,
    "不超过": lambda v, t: v <= t,
}


def meets(comparator: str, value: float, target: float) -> bool:
    """Whether `value` satisfies the target `comparator target` (超过15: value > 15)."""
    return bool(_COMPARE[comparator](value, target))


def _years(day: dt.date) -> float:
    return day.year + (day.timetuple().tm_yday - 1) / 365.25


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def _measured(row: IndicatorRow, actuals: list[tuple[IndicatorActual, str, str]]) -> list[tuple[dt.date, float]]:
    """`row`'s measured values in time order (a figure two units reported, once): kept on the row,
    and returned as (day, value) points."""
    seen: set[tuple[str, float]] = set()
    points: list[tuple[dt.date, float]] = []
    for actual, unit, period in sorted(actuals, key=lambda a: (day_of(a[0].date), a[2])):
        if (str(actual.date), actual.value) in seen:
            continue  # the same figure reported by two units
        seen.add((str(actual.date), actual.value))
        row.actuals.append(Actual(str(actual.date), actual.value, actual.source, unit, period))
        points.append((day_of(actual.date), actual.value))
    return points


def _projection(row: IndicatorRow, target: Target, points: list[tuple[dt.date, float]]) -> None:
    """Where `row` goes by its due year on the straight line through its first point (the baseline,
    else the first measured value) and its latest: its trend and the words for it."""
    start: tuple[float, float] | None = None
    if row.baseline is not None and row.baseline_year is not None:
        start = (row.baseline_year + 0.5, row.baseline)
    elif len(points) > 1:
        start = (_years(points[0][0]), points[0][1])
    end, last = _years(points[-1][0]), points[-1][1]
    if start is None or end <= start[0]:
        row.trend = "insufficient-data"
        row.trend_label = msg("one measurement only: no trend yet", "仅有一次实测，尚难判断趋势")
        return
    slope = (last - start[1]) / (end - start[0])
    row.projected = round(last + slope * (row.year + 1.0 - end), 2)  # by the end of the due year
    values = {"y": row.year, "p": _number(row.projected), "u": target.unit}
    if meets(target.comparator, row.projected, target.value):
        row.trend = "on-track"
        row.trend_label = msg(
            "on track (about {p}{u} by the end of {y})", "按当前趋势可望达标（{y}年底约{p}{u}）", **values
        )
    else:
        row.trend = "off-track"
        row.trend_label = msg(
            "off track (about {p}{u} by the end of {y}): needs speeding up",
            "按当前趋势难以达标（{y}年底约{p}{u}），需加快",
            **values,
        )


def indicator_row(plan: PlanData, target: Target, actuals: list[tuple[IndicatorActual, str, str]]) -> IndicatorRow:
    """`target` with its baseline, its measured values (actual, reporting unit, period) and its trend."""
    row = IndicatorRow(**asdict(target_row(plan, target)))
    row.trend_label = msg("no measurements yet", "暂无实测数据")
    if target.baseline is not None:
        row.baseline = target.baseline.value
        row.baseline_year = target.baseline.year
        row.baseline_source = target.baseline.source
    points = _measured(row, actuals)
    if not points:
        return row
    last = row.actuals[-1]
    row.latest, row.latest_date, row.latest_source = last.value, last.date, last.source
    row.latest_unit = last.unit
    before = points[-2][1] if len(points) > 1 else row.baseline
    row.change = round(last.value - before, 4) if before is not None else None
    if meets(target.comparator, last.value, target.value):
        row.trend = "met"
        row.trend_label = msg("target met ({v}{u})", "已达到目标（{v}{u}）", v=_number(last.value), u=target.unit)
        return row
    _projection(row, target, points)
    return row


def indicators(plan: PlanData) -> list[IndicatorRow]:
    """Every target with its baseline, measured values (from the progress reports) and trend."""
    found: dict[str, list[tuple[IndicatorActual, str, str]]] = {}
    units = plan.units.by_id
    for report in report_files(plan):
        name = units[report.unit].name if report.unit in units else report.unit
        for actual in report.indicators:
            found.setdefault(actual.target, []).append((actual, name, report.period))
    return [indicator_row(plan, t, found.get(t.id, [])) for t in plan.targets]


def has_indicator_data(rows: list[IndicatorRow]) -> bool:
    """Whether any target has a baseline or a measured value (else `kpsy targets` shows what it always did)."""
    return any(r.baseline is not None or r.actuals for r in rows)


@dataclass
class Overview:
    """What `kpsy progress` shows: a period's progress, with the plan's title and its indicators."""

    title: str
    progress: PeriodProgress
    indicators: list[IndicatorRow]

    def as_dict(self) -> dict[str, Any]:
        data = self.progress.as_dict()
        data["plan"] = self.title
        data["indicators"] = [i.as_dict() for i in self.indicators]
        return data


def overview(plan: PlanData, period: str | None = None, as_of: dt.date | None = None) -> Overview:
    """A period's progress judged as of `as_of` (see `period_progress`), with the plan's indicators."""
    return Overview(plan.title, period_progress(plan, period, as_of), indicators(plan))

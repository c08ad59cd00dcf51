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
from kpsy.plan.model import OVERSIGHT_KINDS, STATUSES, IndicatorActual, ProgressFile, Target, Unit
from kpsy.plan.outline import PlanData
from kpsy.plan.periods import ReportPeriod, parse_period, sort_periods
from kpsy.plan.reportable import Reportable, reportable
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

    def as_dict(self) -> dict[str, Any]:
        return {
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


def period_progress(plan: PlanData, period: str | None = None) -> PeriodProgress:
    """The progress of `period` (default: the latest period with reports)."""
    chosen = chosen_period(plan, period)
    items = reportable(plan)
    by_id = {item.id: item for item in items}
    expected = reporters(plan, items)
    units_by_id = plan.units.by_id
    in_period = [r for r in report_files(plan) if r.period == chosen.text]
    statuses: dict[tuple[str, str], str] = {}  # (unit name, task id) -> status
    entries: list[Entry] = []
    reported_units: set[str] = set()
    order = {item.id: i for i, item in enumerate(items)}
    for report in in_period:
        unit = units_by_id.get(report.unit)
        name = unit.name if unit else report.unit
        reported_units.add(name)
        for i, task in enumerate(report.tasks):
            statuses.setdefault((name, task.task), task.status)
            entries.append(_entry(plan, report, by_id.get(task.task), unit, i))
    entries.sort(key=lambda e: (order.get(e.task_id, len(order)), plan.units.order(e.unit)))
    expected_names = [u.name for u in expected]
    columns = plan.units.sort({*expected_names, *reported_units})
    rows: list[MatrixRow] = []
    per_action: dict[str, list[str]] = {}
    for item in items:
        cells: dict[str, str] = {}
        roles: dict[str, str] = {}
        for name in columns:
            role = item.role(name)
            status = statuses.get((name, item.id))
            if status is None and (role is None or name not in expected_names):
                continue
            cells[name] = status or MISSING
            roles[name] = role or ""
        if not cells:
            continue
        resp = item.action.chapter.responsibility
        rows.append(
            MatrixRow(
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
        )
        per_action.setdefault(item.action.id, []).extend(cells.values())
    actions = []
    for chapter in plan.iter_chapters():
        if chapter.id in per_action:
            values = per_action[chapter.id]
            actions.append(ActionCounts(chapter.id, chapter.number, chapter.title, counts_of(values), len(values)))
    every = [status for row in rows for status in row.cells.values()]
    return PeriodProgress(
        period=chosen.text,
        label=chosen.label,
        periods=periods(plan),
        units=columns,
        rows=rows,
        entries=entries,
        overall=counts_of(every),
        actions=actions,
        owed=owed(plan, chosen.text, items, expected),
        reporters=len(expected),
        reported_units=len(reported_units & set(expected_names)),
    )


def owed(
    plan: PlanData, period: str, items: list[Reportable] | None = None, expected: list[Unit] | None = None
) -> list[Owed]:
    """The units that owe a report for `period`, or part of one, in protocol order."""
    items = items if items is not None else reportable(plan)
    expected = expected if expected is not None else reporters(plan, items)
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
                )
            )
    return result


def missing(plan: PlanData, period: str | None = None) -> tuple[ReportPeriod, list[Owed]]:
    """The period (default: the latest with reports) and the units that owe a report for it."""
    chosen = chosen_period(plan, period)
    return chosen, owed(plan, chosen.text)


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


def indicator_row(plan: PlanData, target: Target, actuals: list[tuple[IndicatorActual, str, str]]) -> IndicatorRow:
    base = target_row(plan, target)
    row = IndicatorRow(**asdict(base))
    row.trend_label = msg("no measurements yet", "暂无实测数据")
    if target.baseline is not None:
        row.baseline = target.baseline.value
        row.baseline_year = target.baseline.year
        row.baseline_source = target.baseline.source
    seen: set[tuple[dt.date, float]] = set()
    points: list[tuple[dt.date, float]] = []
    for actual, unit, period in sorted(actuals, key=lambda a: (a[0].date, a[2])):
        if (actual.date, actual.value) in seen:
            continue  # the same figure reported by two units
        seen.add((actual.date, actual.value))
        row.actuals.append(Actual(actual.date.isoformat(), actual.value, actual.source, unit, period))
        points.append((actual.date, actual.value))
    if not points:
        return row
    last = row.actuals[-1]
    row.latest, row.latest_date, row.latest_source = last.value, last.date, last.source
    start: tuple[float, float] | None = None
    if row.baseline is not None and row.baseline_year is not None:
        start = (row.baseline_year + 0.5, row.baseline)
    elif len(points) > 1:
        start = (_years(points[0][0]), points[0][1])
    before = points[-2][1] if len(points) > 1 else row.baseline
    row.change = round(last.value - before, 4) if before is not None else None
    unit = target.unit
    if meets(target.comparator, last.value, target.value):
        row.trend = "met"
        row.trend_label = msg("target met ({v}{u})", "已达到目标（{v}{u}）", v=_number(last.value), u=unit)
        return row
    end = _years(points[-1][0])
    if start is None or end <= start[0]:
        row.trend = "insufficient-data"
        row.trend_label = msg("one measurement only: no trend yet", "仅有一次实测，尚难判断趋势")
        return row
    slope = (last.value - start[1]) / (end - start[0])
    due = row.year + 1.0  # the end of the due year
    row.projected = round(last.value + slope * (due - end), 2)
    if meets(target.comparator, row.projected, target.value):
        row.trend = "on-track"
        row.trend_label = msg(
            "on track (about {p}{u} by the end of {y})",
            "按当前趋势可望达标（{y}年底约{p}{u}）",
            y=row.year,
            p=_number(row.projected),
            u=unit,
        )
    else:
        row.trend = "off-track"
        row.trend_label = msg(
            "off track (about {p}{u} by the end of {y}): needs speeding up",
            "按当前趋势难以达标（{y}年底约{p}{u}），需加快",
            y=row.year,
            p=_number(row.projected),
            u=unit,
        )
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


def overview(plan: PlanData, period: str | None = None) -> Overview:
    return Overview(plan.title, period_progress(plan, period), indicators(plan))

"""The rules about progress reports (plan/progress/<period>/<unit id>.yaml): what they name exists,
each unit reports on its own tasks, once a period, within the plan's period, and a task done does
not fall behind again.

`PROGRESS_RULES` are the ids of these rules: `kpsy progress import` runs them on the reports it is
about to write, beside the plan's own.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterator
from dataclasses import dataclass

from kpsy.checks.rules import Context
from kpsy.findings import Level, Problem, rule
from kpsy.i18n import msg
from kpsy.plan.model import ProgressFile, day_of
from kpsy.plan.outline import ChapterRef, Origin, PlanData
from kpsy.plan.periods import parse_period
from kpsy.plan.reportable import Reportable, reportable
from kpsy.util import suggest

PROGRESS_RULES = (
    "progress-reference",
    "progress-duplicate",
    "progress-period",
    "progress-role",
    "progress-regress",
    "progress-scale",
    "progress-received",
)

# Statuses that say a task is not (or no longer) on its way: after 已完成 they mean it went back.
_BACKWARDS = ("欠进度", "未启动")


@dataclass(frozen=True)
class Report:
    """A progress report as the rules see it: its record, its file and its place in the plan folder."""

    key: str  # progress/<folder>/<file name>
    file: str
    data: ProgressFile

    @property
    def folder(self) -> str:
        return self.key.split("/")[1]


def reports(plan: PlanData) -> list[Report]:
    """Every progress report of the plan, in the order the files were read."""
    return [Report(key, source.file, source.data) for key, source in plan.sources.items() if source.kind == "progress"]


def _items(ctx: Context) -> dict[str, Reportable]:
    return {item.id: item for item in reportable(ctx.plan)}


@rule("progress-reference")
def references(ctx: Context) -> Iterator[Problem]:
    """A progress report names a unit of the registry, tasks of the plan (a numbered task, or an action
    without numbered tasks) and targets of the plan, by id (with "did you mean")."""
    found = reports(ctx.plan)
    if not found:
        return
    units = ctx.plan.units
    items = _items(ctx)
    targets = {t.id for t in ctx.plan.targets}
    for report in found:
        if report.data.unit not in units.by_id:
            close = suggest(report.data.unit, list(units.by_id), n=1)
            hint = msg("; did you mean {ids}?", "；是否指 {ids}？", ids=" / ".join(close)) if close else ""
            yield ctx.at(
                Origin(report.file, ("unit",)),
                "progress-reference",
                msg("unknown unit id '{id}'{hint}", "未知单位ID“{id}”{hint}", id=report.data.unit, hint=hint),
            )
        for i, entry in enumerate(report.data.tasks):
            if entry.task in items:
                continue
            ref = ctx.plan.find(entry.task)
            if isinstance(ref, ChapterRef) and ref.tasks:
                first = ref.tasks[0].id
                message = msg(
                    "'{id}' is an action ({label}): report on its tasks ({first}, …)",
                    "“{id}”是行动（{label}），请按其下的任务填报（{first} 等）",
                    id=entry.task,
                    label=ref.label,
                    first=first,
                )
            elif ref is not None:
                message = msg(
                    "'{id}' ({label}) is not a task that progress is reported on",
                    "“{id}”（{label}）不是填报进展的任务",
                    id=entry.task,
                    label=ref.label,
                )
            else:
                close = suggest(entry.task, list(items), n=1)
                hint = msg("; did you mean {ids}?", "；是否指 {ids}？", ids=" / ".join(close)) if close else ""
                message = msg("unknown task id '{id}'{hint}", "未知任务ID“{id}”{hint}", id=entry.task, hint=hint)
            yield ctx.at(Origin(report.file, ("tasks", i, "task")), "progress-reference", message)
        for i, actual in enumerate(report.data.indicators):
            if actual.target not in targets:
                close = suggest(actual.target, sorted(targets), n=1)
                hint = msg("; did you mean {ids}?", "；是否指 {ids}？", ids=" / ".join(close)) if close else ""
                yield ctx.at(
                    Origin(report.file, ("indicators", i, "target")),
                    "progress-reference",
                    msg("unknown target id '{id}'{hint}", "未知目标ID“{id}”{hint}", id=actual.target, hint=hint),
                )


@rule("progress-duplicate")
def duplicates(ctx: Context) -> Iterator[Problem]:
    """A progress report reports on each task once, and gives an indicator's value for one date once."""
    for report in reports(ctx.plan):
        seen: dict[str, int] = {}
        for i, entry in enumerate(report.data.tasks):
            if entry.task in seen:
                yield ctx.at(
                    Origin(report.file, ("tasks", i, "task")),
                    "progress-duplicate",
                    msg(
                        "task '{id}' is reported twice (first as entry {first})",
                        "任务“{id}”重复填报（第 {first} 项已填报）",
                        id=entry.task,
                        first=seen[entry.task] + 1,
                    ),
                )
            else:
                seen[entry.task] = i
        measured: set[tuple[str, object]] = set()
        for i, actual in enumerate(report.data.indicators):
            key = (actual.target, actual.date)
            if key in measured:
                yield ctx.at(
                    Origin(report.file, ("indicators", i)),
                    "progress-duplicate",
                    msg(
                        "indicator '{id}' is given twice for {date}",
                        "指标“{id}”在 {date} 的数值重复填报",
                        id=actual.target,
                        date=str(actual.date),
                    ),
                )
            measured.add(key)


def a_year_after(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


@rule("progress-period")
def periods(ctx: Context) -> Iterator[Problem]:
    """A progress report's period is its folder's name and falls within the plan's period; the report
    is dated within its period or the year after it (not 9999-12-31, not before its period began),
    and each measured value within the year before the plan began and a year after the period."""
    plan_period = ctx.plan.document.plan.period
    for report in reports(ctx.plan):
        period = parse_period(report.data.period)
        if period is None:  # the schema refuses it
            continue
        origin = Origin(report.file, ("period",))
        if report.folder != report.data.period:
            yield ctx.at(
                origin,
                "progress-period",
                msg(
                    "period '{period}' does not match the folder {folder}/ the report is in",
                    "期间“{period}”与所在文件夹 {folder}/ 不一致",
                    period=report.data.period,
                    folder=report.folder,
                ),
            )
        if not plan_period.start <= period.year <= plan_period.end:
            yield ctx.at(
                origin,
                "progress-period",
                msg(
                    "period {period} is outside the plan period {start}-{end}",
                    "期间 {period} 不在规划期 {start}-{end} 年内",
                    period=report.data.period,
                    start=plan_period.start,
                    end=plan_period.end,
                ),
            )
        yield from _dates(ctx, report, period.start, a_year_after(period.end), plan_period.start)


def _dates(ctx: Context, report: Report, first: dt.date, last: dt.date, plan_start: int) -> Iterator[Problem]:
    period = parse_period(report.data.period)
    label = period.label if period else report.data.period
    if report.data.date < first:
        yield ctx.at(
            Origin(report.file, ("date",)),
            "progress-period",
            msg(
                "the report is dated {date}, before its period {period} begins",
                "填报日期 {date} 早于填报期间 {period} 的开始",
                date=report.data.date.isoformat(),
                period=label,
            ),
        )
    elif report.data.date > last:
        yield ctx.at(
            Origin(report.file, ("date",)),
            "progress-period",
            msg(
                "the report is dated {date}, more than a year after its period {period} ended ({last} at the latest)",
                "填报日期 {date} 晚于填报期间（{period}）结束一年以后（最晚 {last}）",
                date=report.data.date.isoformat(),
                period=label,
                last=last.isoformat(),
            ),
        )
    earliest = dt.date(min(plan_start, first.year) - 1, 1, 1)
    for i, actual in enumerate(report.data.indicators):
        if not earliest <= day_of(actual.date) <= last:
            yield ctx.at(
                Origin(report.file, ("indicators", i, "date")),
                "progress-period",
                msg(
                    "indicator '{id}' is dated {date}, outside {first} to {last}",
                    "指标“{id}”的统计日期 {date} 不在 {first} 至 {last} 之间",
                    id=actual.target,
                    date=str(actual.date),
                    first=earliest.isoformat(),
                    last=last.isoformat(),
                ),
            )


@rule("progress-role", Level.WARNING)
def roles(ctx: Context) -> Iterator[Problem]:
    """A unit reports only on tasks where it has a role: lead, participant, or named in the task's text."""
    found = reports(ctx.plan)
    if not found:
        return
    items = _items(ctx)
    units = ctx.plan.units.by_id
    for report in found:
        unit = units.get(report.data.unit)
        if unit is None:
            continue
        for i, entry in enumerate(report.data.tasks):
            item = items.get(entry.task)
            if item is not None and item.role(unit.name) is None:
                yield ctx.at(
                    Origin(report.file, ("tasks", i, "task")),
                    "progress-role",
                    msg(
                        "{unit} has no role in {label} (neither lead nor participant, nor named in its text)",
                        "{unit}在{label}中没有职责（既非牵头、参加单位，文中也未提及）",
                        unit=unit.name,
                        label=item.ref.label,
                    ),
                    subject=entry.task,
                    units=[unit.name],
                )


@rule("progress-regress", Level.WARNING)
def regress(ctx: Context) -> Iterator[Problem]:
    """A task a unit reported 已完成 is not reported 欠进度 or 未启动 by the same unit in a later period."""
    history: dict[tuple[str, str], list[tuple[tuple[object, ...], Report, int]]] = {}
    for report in reports(ctx.plan):
        period = parse_period(report.data.period)
        if period is None:
            continue
        for i, entry in enumerate(report.data.tasks):
            history.setdefault((report.data.unit, entry.task), []).append((period.sort_key(), report, i))
    for (_, task), entries in history.items():
        entries.sort(key=lambda e: e[0])
        done: Report | None = None
        for _, report, i in entries:
            status = report.data.tasks[i].status
            if status == "已完成":
                done = report
            elif done is not None and status in _BACKWARDS:
                ref = ctx.plan.find(task)
                label = ref.label if ref is not None else task
                earlier = parse_period(done.data.period)
                yield ctx.at(
                    Origin(report.file, ("tasks", i, "status")),
                    "progress-regress",
                    msg(
                        "{label} was reported 已完成 for {earlier} but is {status} now",
                        "{label}在{earlier}已报“已完成”，本期却为“{status}”",
                        label=label,
                        earlier=earlier.label if earlier else done.data.period,
                        status=status,
                    ),
                    subject=task,
                )


@rule("progress-received")
def received(ctx: Context) -> Iterator[Problem]:
    """A progress report's 收到日期 (`received`, by which its lateness is judged) is not before its
    period began. It may be before the report's 填报日期, since a sheet corrected after it first came
    keeps the day it came; the import refuses a 收到日期 it records that is before the sheet's 填报日期."""
    for report in reports(ctx.plan):
        period = parse_period(report.data.period)
        day = report.data.received
        if period is None or day is None or day >= period.start:
            continue
        yield ctx.at(
            Origin(report.file, ("received",)),
            "progress-received",
            msg(
                "it was received on {day}, before its period {period} began ({start}): is the year right?",
                "收到日期 {day} 早于填报期间 {period} 的开始（{start}）：年份是否有误？",
                day=day.isoformat(),
                period=period.shown,
                start=period.start.isoformat(),
            ),
        )


def _off_by_100(value: float, reference: float) -> bool:
    """Whether `value` is about 100 times `reference`, or a hundredth of it (a share typed as 0.158
    for 15.8%, or 1580 for 15.8)."""
    if not value or not reference or (value > 0) != (reference > 0):
        return False
    return 1.5 <= abs(math.log10(abs(value / reference))) <= 2.5


@rule("progress-scale", Level.WARNING)
def scale(ctx: Context) -> Iterator[Problem]:
    """A measured value is not about 100 times (or a hundredth of) the indicator's baseline, its
    target or the value measured before it: 0.158 where 15.8% is meant is a scale error, not a fall."""
    targets = {t.id: t for t in ctx.plan.targets}
    measured = sorted(
        ((day_of(a.date), a.value, a.target, r, i) for r in reports(ctx.plan) for i, a in enumerate(r.data.indicators)),
        key=lambda m: (m[0], m[2]),
    )
    last: dict[str, float] = {}  # the last plausible value of each indicator
    for _, value, target_id, report, i in measured:
        target = targets.get(target_id)
        if target is None:
            continue
        references = [(msg("its target", "目标值"), target.value)]
        if target.baseline is not None:
            references.append((msg("its baseline", "基线值"), target.baseline.value))
        if all(_off_by_100(value, ref) for _, ref in references):
            yield _scale_problem(ctx, report, i, value, references[-1], target.unit, target_id)
        elif target_id in last and _off_by_100(value, last[target_id]):
            before = (msg("the value measured before it", "上次实测值"), last[target_id])
            yield _scale_problem(ctx, report, i, value, before, target.unit, target_id)
        else:
            last[target_id] = value


def _scale_problem(
    ctx: Context, report: Report, i: int, value: float, reference: tuple[str, float], unit: str, subject: str
) -> Problem:
    name, ref = reference
    meant = value * 100 if abs(value) < abs(ref) else value / 100
    return ctx.at(
        Origin(report.file, ("indicators", i, "value")),
        "progress-scale",
        msg(
            "{value:g} is about 100 times off {name} ({ref:g}{unit}): should it be {meant:g}{unit}?",
            "{value:g} 与{name}（{ref:g}{unit}）相差约 100 倍：是否应为 {meant:g}{unit}？",
            value=value,
            name=name,
            ref=ref,
            unit=unit,
            meant=round(meant, 6),
        ),
        subject=subject,
    )

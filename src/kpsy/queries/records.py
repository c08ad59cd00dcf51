"""The numeric targets and the milestones of the schedule, each with where the text states it."""

from __future__ import annotations

from kpsy.light import light
from kpsy.plan.model import Milestone, Target
from kpsy.plan.outline import PlanData


def where(plan: PlanData, ident: str) -> str:
    """The document's number and title for a part, chapter or task id: 三（四）3．实施…."""
    ref = plan.find(ident)
    return ref.label if ref is not None else ident


def period_label(start: int, end: int) -> str:
    """How the office writes a span of years (2023年, 2024-2025年): the data's value, kept in JSON."""
    return f"{start}年" if start == end else f"{start}-{end}年"


def period_shown(start: int, end: int) -> str:
    """A span of years as a person reads it in the language of the moment (2023年, or 2023 in English)."""
    from kpsy.i18n import msg

    return msg("{s}", "{s}年", s=start) if start == end else msg("{s}–{e}", "{s}-{e}年", s=start, e=end)


def due_shown(row: TargetRow) -> str:
    """When a target is due, as a person reads it in the language of the moment."""
    from kpsy.i18n import msg

    if row.due.endswith("（规划期末）"):
        return msg("{y} (end of the plan)", "{y}年（规划期末）", y=row.year)
    return msg("{y}", "{y}年", y=row.year)


@light
class TargetRow:
    id: str
    indicator: str
    comparator: str
    value: float
    unit: str
    statement: str
    year: int
    due: str
    ref: str
    where: str
    quote: str


def target_row(plan: PlanData, t: Target) -> TargetRow:
    end = plan.document.plan.period.end
    return TargetRow(
        id=t.id,
        indicator=t.indicator,
        comparator=t.comparator,
        value=t.value,
        unit=t.unit,
        statement=t.indicator + t.statement,
        year=t.year or end,
        due=f"{t.year}年" if t.year else f"{end}年（规划期末）",
        ref=t.source.ref,
        where=where(plan, t.source.ref),
        quote=t.source.quote,
    )


def targets(plan: PlanData) -> list[TargetRow]:
    return [target_row(plan, t) for t in plan.targets]


@light
class MilestoneRow:
    id: str
    start: int
    end: int
    period: str
    title: str
    ref: str
    where: str
    quote: str


def milestone_row(plan: PlanData, m: Milestone) -> MilestoneRow:
    return MilestoneRow(
        id=m.id,
        start=m.period.start,
        end=m.period.end,
        period=period_label(m.period.start, m.period.end),
        title=m.title,
        ref=m.source.ref,
        where=where(plan, m.source.ref),
        quote=m.source.quote,
    )


def schedule(plan: PlanData) -> list[MilestoneRow]:
    return [milestone_row(plan, m) for m in plan.milestones]

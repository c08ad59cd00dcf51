"""How 督办 looks: each unit's 按时 / 逾期 / 未报 against the period's deadline (报送情况), and each
task's light (督办灯), as listings that every format of `kpsy progress` shows."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kpsy.i18n import msg
from kpsy.outputs.listing import Column, Listing

if TYPE_CHECKING:
    from kpsy.queries.progress import PeriodProgress

# The lights' colours (traffic lights: green, yellow, red; orange for a task reported behind).
LIGHT_COLOURS: dict[str, str] = {
    "overdue": "#C62828",
    "behind": "#EF6C00",
    "due-soon": "#F9A825",
    "open": "#BDBDBD",
    "done": "#2E7D32",
}
STATE_COLOURS: dict[str, str] = {"on-time": "#2E7D32", "late": "#F9A825", "overdue": "#C62828", "pending": "#BDBDBD"}


def light_names() -> dict[str, str]:
    """Each light's name in the language of the moment."""
    return {
        "overdue": msg("overdue", "逾期"),
        "behind": msg("behind", "滞后"),
        "due-soon": msg("due soon", "临近截止"),
        "open": msg("open", "待报"),
        "done": msg("all in", "已报齐"),
    }


def state_names() -> dict[str, str]:
    """Each unit's reporting state in the language of the moment."""
    return {
        "on-time": msg("on time", "按时"),
        "late": msg("late", "逾期"),
        "overdue": msg("overdue, none", "逾期未报"),
        "pending": msg("not yet due", "待报"),
    }


def deadline_line(view: PeriodProgress) -> str:
    """The period's deadline and the day things are judged on, in one line."""
    if view.deadline is None:
        return msg(
            "{p}: no deadline set (settings.yaml progress.due, or 「每年12月10日前」 in the letters)",
            "{p}：未设报送截止日期（settings.yaml 的 progress.due，或交办函中的「每年12月10日前」）",
            p=view.shown,
        )
    assert view.as_of is not None
    return msg(
        "{p}: reports due by {d}; as of {t}",
        "{p}：报送截止 {d}；统计截至 {t}",
        p=view.shown,
        d=view.deadline.isoformat(),
        t=view.as_of.isoformat(),
    )


def submissions_listing(view: PeriodProgress) -> Listing:
    """报送情况: each unit expected to report, on time or late or not at all, with its tasks reported."""
    columns = [
        Column("number", msg("No.", "序号"), wrap=False),
        Column("unit", msg("Unit", "单位"), wrap=False),
        Column("unit_id", msg("Unit id", "单位ID"), in_table=False, extra=True, ident=True),
        Column("state", msg("Report", "报送"), state_names(), wrap=False),
        Column("filed", msg("Sent on", "报送日期"), wrap=False),
        Column("days", msg("Days late", "逾期天数"), wrap=False),
        Column("tasks", msg("Tasks reported", "已报/应报"), wrap=False),
    ]
    records: list[dict[str, Any]] = [
        {
            "number": i,
            "unit": s.unit,
            "unit_id": s.unit_id,
            "state": s.state,
            "filed": s.filed.isoformat() if s.filed else "",
            "days": s.days or "",
            "tasks": f"{s.reported}/{s.expected}",
        }
        for i, s in enumerate(view.submissions, 1)
    ]
    counts = {key: sum(1 for s in view.submissions if s.state == key) for key in state_names()}
    footer = [
        msg("; ", "；").join(
            msg("{s} {n}", "{s} {n} 个", s=name, n=counts[key]) for key, name in state_names().items() if counts[key]
        )
    ]
    return Listing(
        msg("Reports against the deadline", "报送情况"),
        columns,
        records,
        footer=footer,
        sheet=msg("Reports", "报送情况"),
    )


def lights_listing(view: PeriodProgress) -> Listing:
    """督办灯: each task's light, with its lead units and how many of its reports are in."""
    columns = [
        Column("number", msg("No.", "编号"), wrap=False),
        Column("task_id", msg("Task id", "任务ID"), in_table=False, extra=True, ident=True),
        Column("title", msg("Task", "任务")),
        Column("light", msg("Light", "督办灯"), light_names(), wrap=False),
        Column("reported", msg("Reports in", "已报/应报"), wrap=False),
        Column("behind", msg("Behind", "滞后"), wrap=False),
    ]
    from kpsy.queries.progress import BEHIND, MISSING

    records = [
        {
            "number": row.number,
            "task_id": row.id,
            "title": row.title,
            "light": row.light,
            "reported": f"{sum(1 for s in row.cells.values() if s != MISSING)}/{len(row.cells)}",
            "behind": sum(1 for s in row.cells.values() if s in BEHIND) or "",
        }
        for row in view.rows
    ]
    names = light_names()
    counts = [(names[k], sum(1 for r in view.rows if r.light == k)) for k in names]
    footer = [msg("; ", "；").join(f"{n} {c}" for n, c in counts if c)]
    return Listing(msg("Lights by task", "任务督办灯"), columns, records, footer=footer, sheet=msg("Lights", "督办灯"))

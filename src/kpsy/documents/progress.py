"""What the progress documents' templates see: the 督查通报 (bulletin) and the 年度总结 / 总结评估
draft (review) of one period, with their pictures as PNG data URIs (embedded in the .docx)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from kpsy.i18n import status_names
from kpsy.plan.outline import PlanData
from kpsy.plan.periods import parse_period
from kpsy.queries.progress import BEHIND, Entry, Overview, overview

# Documents that report on a period's progress (kpsy render NAME --period P).
PROGRESS_DOCUMENTS = ("bulletin", "review")


@dataclass
class Behind:
    """A task some unit reported behind (欠进度) or not started (未启动)."""

    number: str
    title: str
    leads: list[str]
    units: list[Entry]  # the reports that say so

    @property
    def problems(self) -> str:
        """What those units say stands in the way: 县教育局：经费不足。县科协：…."""
        from kpsy.i18n import msg

        return msg(" ", "").join(
            msg("{u}: {p}", "{u}：{p}", u=e.unit, p=sentence(e.problems)) for e in self.units if e.problems
        )


def sentence(text: str) -> str:
    """`text` closed by a full stop, unless it already ends a sentence."""
    return text if text.endswith(("。", "！", "？", "；", "…", ".", "!", "?")) else text + "。"


@dataclass
class TaskReports:
    number: str
    short_number: str
    title: str
    entries: list[Entry]


@dataclass
class ActionReview:
    number: str
    title: str
    counts: Any
    total: int
    tasks: list[TaskReports] = field(default_factory=list)


def _charts(view: Overview) -> dict[str, Any]:
    from markupsafe import Markup

    from kpsy.outputs.progress import charts

    made = charts(view)
    return {
        "status": Markup(made["status"]) if made["status"] else None,
        "indicators": [(row, Markup(uri)) for row, uri in made["indicators"]],
    }


def progress_context(
    plan: PlanData, period: str | None, make_charts: Callable[[Overview], dict[str, Any]] = _charts
) -> dict[str, Any]:
    """Everything the bulletin and the review may use, for `period` (default: the latest with reports)."""
    view = overview(plan, period)
    progress = view.progress
    chosen = parse_period(progress.period)
    assert chosen is not None
    entries_of: dict[str, list[Entry]] = {}
    for entry in progress.entries:
        entries_of.setdefault(entry.task_id, []).append(entry)
    behind = [
        Behind(
            row.number,
            row.title,
            row.leads,
            [e for e in entries_of.get(row.id, []) if e.status in BEHIND],
        )
        for row in progress.behind()
    ]
    reviews: list[ActionReview] = []
    for action in progress.actions:
        review = ActionReview(action.number, action.title, action.counts, action.total)
        for row in progress.rows:
            if row.action_id == action.id and entries_of.get(row.id):
                short = row.number.removeprefix(row.action_number) if row.id != row.action_id else ""
                review.tasks.append(TaskReports(row.number, short, row.title, entries_of[row.id]))
        reviews.append(review)
    span = plan.document.plan.period
    return {
        "progress": progress,
        "period": progress.period,
        "period_label": chosen.shown,
        "period_title": chosen.shown_of_year,
        "names": status_names(),
        "is_final": chosen.kind == "year" and chosen.year == span.end,
        "counts": [c for c in progress.overall],
        "behind": behind,
        "owed": progress.owed,
        "not_reported": [o for o in progress.owed if not o.has_report],
        "incomplete": [o for o in progress.owed if o.has_report],
        "reviews": reviews,
        "problems": [e for e in progress.entries if e.problems],
        "next_steps": [e for e in progress.entries if e.next_steps],
        "indicators": [i for i in view.indicators if i.actuals or i.baseline is not None],
        "charts": make_charts(view),
    }

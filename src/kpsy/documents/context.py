"""What templates see: the plan's words, its actions with their units, targets, schedule, coverage,
and for a letter the unit's own tasks."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from kpsy.documents.head import head
from kpsy.findings import Problem
from kpsy.i18n import msg
from kpsy.light import light
from kpsy.plan.model import Responsibility, Unit
from kpsy.plan.outline import PlanData
from kpsy.plan.text import imprint_line, paragraphs
from kpsy.queries.coverage import coverage
from kpsy.queries.records import schedule, targets
from kpsy.queries.tasks import TaskRow, all_rows, by_action, units_of
from kpsy.queries.tasks import tasks as unit_tasks


@light
class ActionGroup:
    """An action with the tasks of it that concern the reader, and whom to work with.

    `leads` and `participants` are in the responsibility line's own order: within one line the
    document's order is authoritative."""

    id: str
    number: str
    title: str
    leads: list[str]
    participants: list[str]
    etc: bool
    role: str | None
    tasks: list[dict[str, Any]]


def _issuer(plan: PlanData) -> str:
    """Who signs the office's documents: the issuer record's name, else who issued the plan (the
    notice's signature, else the 版记's issuer)."""
    if plan.settings.issuer is not None:
        return plan.settings.issuer.name
    doc = plan.document
    if doc.notice is not None and doc.notice.signature:
        return doc.notice.signature
    return doc.imprint.issuer if doc.imprint is not None else ""


def _default_date(plan: PlanData, progress: bool) -> dt.date | None:
    """A document's date when none was given: the letters' date from settings, else today; a
    document on progress (通报, 总结) is left undated, a place to fill in, never the machine's date."""
    if progress:
        return None
    letter = plan.settings.letter
    return letter.date if letter is not None and letter.date is not None else dt.date.today()


def _etc(line: Responsibility | None) -> bool:
    return bool(line and line.etc)


def _due(line: Responsibility | None) -> str | None:
    return line.due if line is not None else None


def groups(plan: PlanData, rows: list[TaskRow]) -> list[ActionGroup]:
    """Rows grouped by action, each group with its responsibility."""
    found: list[ActionGroup] = []
    for members in by_action(rows):
        first = members[0]
        chapter = plan.chapter(first.action_id)
        resp = chapter.responsibility
        leads, participants = units_of(plan, resp)
        own = {task.id: task.task.responsibility for task in chapter.tasks}
        found.append(
            ActionGroup(
                id=first.action_id,
                number=first.action_number,
                title=first.action_title,
                leads=leads,
                participants=participants,
                etc=bool(resp and resp.etc),
                role=first.role,
                tasks=[
                    {
                        "id": r.task_id,
                        "number": r.task_number,
                        "short_number": r.short_number,
                        "title": r.task_title,
                        "text": r.text,
                        "body": r.body,
                        "kind": r.kind,
                        "role": r.role,
                        "leads": r.leads,
                        "participants": r.participants,
                        "etc": _etc(own.get(r.task_id) or resp),
                        "due": _due(own.get(r.task_id)),
                    }
                    for r in members
                ],
            )
        )
    return found


def table_title(plan: PlanData) -> str:
    """The 重点任务分工表's title: from settings, else 《plan title》重点任务分工表."""
    table = plan.settings.table
    if table:
        return table.title
    return msg("Division of the key tasks of “{t}”", "《{t}》重点任务分工表", t=plan.title)


def context(
    plan: PlanData,
    findings: Iterable[Problem] = (),
    unit: Unit | None = None,
    *,
    sender: str | None = None,
    date: dt.date | None = None,
    period: str | None = None,
    progress: bool = False,
    document: str | None = None,
    offset: int = 0,
    draft: bool = False,
) -> dict[str, Any]:
    """Everything a template may use. `findings` are the plan's findings (for the coverage summary);
    with `progress`, also a period's progress (`period`, default: the latest with reports) for the
    bulletin and the review. `document` names the template, for its 版头 and 版记 (`head`: see
    kpsy.documents.head; `offset` counts on the 文号 of several letters); `draft` marks it
    「征求意见稿」."""
    shared = plan_context(plan, findings, sender=sender, date=date, draft=draft, progress=progress)
    return document_context(
        plan, shared, unit, document=document, offset=offset, progress=progress, period=period, as_of=date
    )


def plan_context(
    plan: PlanData,
    findings: Iterable[Problem] = (),
    *,
    sender: str | None = None,
    date: dt.date | None = None,
    draft: bool = False,
    progress: bool = False,
) -> dict[str, Any]:
    """What every document of `plan` sees alike (see `context`): made once for many letters. A
    document on progress (`progress`) is left undated unless `date` is given."""
    doc = plan.document
    milestones = schedule(plan)
    letter = plan.settings.letter
    all_tasks = [r for r in all_rows(plan) if r.kind == "task"]
    actions = groups(plan, [r for r in all_tasks if plan.chapter(r.action_id).responsibility is not None])
    final = max((m.end for m in milestones), default=doc.plan.period.end)
    return {
        "notice": doc.notice,
        "plan": doc.plan,
        "imprint": doc.imprint,
        "imprint_line": imprint_line(plan),
        "body": list(paragraphs(plan)),
        "actions": actions,
        "targets": targets(plan),
        "milestones": milestones,
        "deadline": msg("by the end of {y}", "{y}年底前", y=final),
        "coverage": coverage(plan, findings),
        "units": list(plan.units),
        "task_count": len(all_tasks),
        "action_task_count": sum(len(group.tasks) for group in actions),
        "letter": letter,
        "table_title": table_title(plan),
        "sender": sender or (letter.sender if letter else _issuer(plan)),
        "date": date or _default_date(plan, progress),
        "draft": draft,
    }


def document_context(
    plan: PlanData,
    shared: dict[str, Any],
    unit: Unit | None = None,
    *,
    document: str | None = None,
    offset: int = 0,
    progress: bool = False,
    period: str | None = None,
    as_of: dt.date | None = None,
) -> dict[str, Any]:
    """One document's context: `shared` (from `plan_context`, left as it is) with the 版头 of
    `document`, the unit's own tasks grouped by action, and with `progress` a period's progress
    (as of `as_of`, the date given, if any)."""
    ctx = {**shared, "unit": unit}
    ctx["head"] = head(plan, document, ctx["date"], offset=offset) if document is not None else None
    if unit is not None:
        rows = unit_tasks(plan, unit)
        for role in ("lead", "participant", "mentioned"):
            ctx[f"{role}_groups"] = groups(plan, [r for r in rows if r.role == role])
    if progress:
        from kpsy.documents.progress import progress_context

        ctx.update(progress_context(plan, period, as_of=as_of))
    return ctx

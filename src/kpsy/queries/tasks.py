"""Who does what: every task with its units, and one unit's tasks with its role in each."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import field
from typing import Any, Literal

from kpsy.light import light, shallow
from kpsy.plan.model import Responsibility, Unit
from kpsy.plan.outline import ChapterRef, PlanData
from kpsy.plan.text import chapter_paragraphs, task_paragraphs

Role = Literal["lead", "participant", "mentioned"]
ROLES: tuple[Role, ...] = ("lead", "participant", "mentioned")


@light
class TaskRow:
    """One task (or a chapter without numbered tasks) with the units responsible for it."""

    task_id: str
    task_number: str
    task_title: str
    action_id: str
    action_number: str
    action_title: str
    part_id: str
    part_title: str
    kind: Literal["task", "chapter"]
    leads: list[str]
    participants: list[str]
    mentioned: list[str]
    role: Role | None = None
    text: str = field(default="", repr=False)  # the task's paragraph (a chapter's: its paragraphs)
    body: str = field(default="", repr=False)  # what follows the number and title sentence
    short_number: str = field(default="", repr=False)  # 3． as the document prints it

    def as_dict(self) -> dict[str, Any]:
        data = shallow(self)
        for key in ("text", "body", "short_number"):
            del data[key]
        return data


def units_of(plan: PlanData, resp: Responsibility | None) -> tuple[list[str], list[str]]:
    """(leads, participants) of a responsibility line; a collective brings in the units it stands
    for (各成员单位: every unit that oversees no work; 各乡镇人民政府: the towns the registry holds;
    县直各有关单位: none in particular), in protocol order, after those the line names."""
    if resp is None:
        return [], []
    leads, participants = list(resp.leads), list(resp.participants)
    if resp.collective:
        from kpsy.plan.collectives import members

        named = {*leads, *participants}
        participants += [u.name for u in members(resp.collective, plan.units) if u.name not in named]
    return leads, participants


def _rows_of(plan: PlanData, chapter: ChapterRef) -> Iterator[TaskRow]:
    leads, participants = units_of(plan, chapter.responsibility)
    common: dict[str, Any] = {
        "action_id": chapter.id,
        "action_number": chapter.number,
        "action_title": chapter.title,
        "part_id": chapter.part.id,
        "part_title": chapter.part.title,
    }
    if chapter.tasks:
        for task in chapter.tasks:
            paragraphs = task_paragraphs(task)
            text = "\n".join(p.text for p in paragraphs if p.kind != "responsibility")
            task_leads, task_participants = units_of(plan, task.responsibility)
            yield TaskRow(
                task_id=task.id,
                task_number=task.number,
                task_title=task.title,
                kind="task",
                leads=task_leads,
                participants=task_participants,
                mentioned=plan.units.mentions(text),
                text=text,
                body=text[len(paragraphs[0].head) :],
                short_number=task.short_number,
                **common,
            )
        return
    # a chapter without numbered tasks: its own words (after its heading) are what it asks
    words = [p for p in chapter_paragraphs(chapter) if p.kind != "responsibility"]
    text = "\n".join([words[0].tail, *(p.text for p in words[1:])]).strip("\n")
    yield TaskRow(
        task_id=chapter.id,
        task_number=chapter.number,
        task_title=chapter.title,
        kind="chapter",
        mentioned=plan.units.mentions(text),
        text=text,
        body=text,
        short_number=chapter.short_number,
        leads=leads,
        participants=participants,
        **common,
    )


def all_rows(plan: PlanData) -> list[TaskRow]:
    """Every numbered task, and every chapter that has none, in document order."""
    return [row for chapter in plan.iter_chapters() for row in _rows_of(plan, chapter)]


def role_of(row: TaskRow, unit: Unit) -> Role | None:
    """The strongest role `unit` has for `row`: lead > participant > mentioned."""
    if unit.name in row.leads:
        return "lead"
    if unit.name in row.participants:
        return "participant"
    if unit.name in row.mentioned:
        return "mentioned"
    return None


def tasks(
    plan: PlanData,
    unit: Unit | None = None,
    roles: Iterable[Role] = (),
    part: str | None = None,
    action: str | None = None,
) -> list[TaskRow]:
    """Tasks in document order. With a unit: only those it works on, each with its role. Without:
    the numbered tasks with their units, and the actions without numbered tasks (whose work is the
    action itself)."""
    rows = all_rows(plan)
    if part is not None:
        from kpsy.queries.find import find_part  # only when asked: start-up time

        part_id = find_part(plan, part).id
        rows = [r for r in rows if r.part_id == part_id]
    if action is not None:
        from kpsy.queries.find import find_chapter

        action_id = find_chapter(plan, action).id
        rows = [r for r in rows if r.action_id == action_id]
    if unit is None:
        return [r for r in rows if r.kind == "task" or r.leads or r.participants]
    wanted = set(roles) or set(ROLES)
    selected = []
    for row in rows:
        row.role = role_of(row, unit)
        if row.role is not None and row.role in wanted:
            selected.append(row)
    return selected


def by_action(rows: list[TaskRow]) -> Iterator[list[TaskRow]]:
    """Rows grouped by action, in document order."""
    group: list[TaskRow] = []
    for row in rows:
        if group and group[0].action_id != row.action_id:
            yield group
            group = []
        group.append(row)
    if group:
        yield group

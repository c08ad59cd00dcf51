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
    """Every numbered task, and every chapter that has none, in document order (built once for
    each plan; the rows are shared: treat them as read-only)."""
    rows: list[TaskRow] | None = plan.derived.get("task_rows")
    if rows is None:
        rows = [row for chapter in plan.iter_chapters() for row in _rows_of(plan, chapter)]
        plan.derived["task_rows"] = rows
    return rows


def _with_role(row: TaskRow, role: Role) -> TaskRow:
    """A copy of a shared row with the role of the unit it is listed for."""
    copy = object.__new__(TaskRow)
    copy.__dict__.update(row.__dict__)
    copy.role = role
    return copy


def _by_unit(plan: PlanData) -> dict[str, list[tuple[int, Role]]]:
    """For each unit's short name, its rows (index in `all_rows`) with its role in each, in
    document order: one pass over the plan for every unit's letter."""
    index: dict[str, list[tuple[int, Role]]] | None = plan.derived.get("task_rows_by_unit")
    if index is None:
        index = {}
        for i, row in enumerate(all_rows(plan)):
            roles: dict[str, Role] = {}
            ranked: tuple[tuple[Role, list[str]], ...] = (
                ("mentioned", row.mentioned),
                ("participant", row.participants),
                ("lead", row.leads),
            )
            for role, names in ranked:
                roles.update(dict.fromkeys(names, role))  # the strongest role wins: lead > participant > mentioned
            for name, role in roles.items():
                index.setdefault(name, []).append((i, role))
        plan.derived["task_rows_by_unit"] = index
    return index


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
    everything = all_rows(plan)
    kept = {id(row) for row in rows} if len(rows) < len(everything) else None
    return [
        _with_role(everything[i], role)
        for i, role in _by_unit(plan).get(unit.name, [])
        if role in wanted and (kept is None or id(everything[i]) in kept)
    ]


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

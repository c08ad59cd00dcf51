"""Questions asked of the plan: who does what, where each unit leads, who is missing.

Everything here returns plain records in document order with units in protocol order; the
reporters decide how they look.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from kpsy.errors import KpsyError
from kpsy.model import (
    OVERSIGHT_KINDS,
    Chapter,
    Milestone,
    Part,
    Plan,
    Target,
    Unit,
    chapter_number,
    chinese_number,
    heading,
    part_number,
    task_number,
)
from kpsy.text import chapter_paragraphs

Role = Literal["lead", "participant", "mentioned"]
ROLES: tuple[Role, ...] = ("lead", "participant", "mentioned")
ROLE_LABELS: dict[str, str] = {"lead": "牵头", "participant": "参加", "mentioned": "提及"}
_STRENGTH = {role: i for i, role in enumerate(ROLES)}


class UnknownNameError(KpsyError):
    """A unit, part, action or id that the plan does not have."""


def closest(name: str, candidates: Iterable[str], canonical: dict[str, str] | None = None, n: int = 3) -> list[str]:
    import difflib

    pool = list(dict.fromkeys(candidates))
    found = difflib.get_close_matches(name, pool, n=n * 2, cutoff=0.4)
    if not found:  # short Chinese names: fall back to shared characters
        found = sorted((c for c in pool if set(name) & set(c)), key=lambda c: -len(set(name) & set(c)))[: n * 2]
    return list(dict.fromkeys((canonical or {}).get(c, c) for c in found))[:n]


def _unknown(what: str, name: str, suggestions: list[str]) -> UnknownNameError:
    hint = f"; closest: {', '.join(suggestions)}" if suggestions else ""
    return UnknownNameError(f"no {what} '{name}' in the plan{hint}")


# --- units -----------------------------------------------------------------------------------


def unit_names(unit: Unit) -> list[str]:
    """Every name a user may type for `unit`: id, short name, full name, aliases, and the forms
    with and without the district prefix (区教育局, 教育局, 雁峰区教育局)."""
    names = [unit.id, *unit.names]
    for name in unit.names:
        if name.startswith("区"):
            names += [name[1:], "雁峰" + name, "衡阳市雁峰" + name]
    return list(dict.fromkeys(names))


def resolve_unit(plan: Plan, name: str) -> Unit:
    """The unit a user means by `name`; an unknown name raises with the closest matches."""
    wanted = "".join(unicodedata.normalize("NFKC", name).split())
    by_name: dict[str, Unit] = {}
    for unit in plan.units:
        for n in unit_names(unit):
            by_name.setdefault(n, unit)
    if wanted in by_name:
        return by_name[wanted]
    canonical = {n: u.name for n, u in by_name.items()}
    raise _unknown("unit", name, closest(wanted, by_name, canonical))


# --- mentions --------------------------------------------------------------------------------

# A name starting with 区 is not a mention when 区 ends another word: 社区科协 is not 区科协.
_WORDS_ENDING_IN_QU = "社城景园街市地县辖小山校片新老镇郊"


def mention_pattern(plan: Plan) -> re.Pattern[str]:
    """Matches the short and full names of units, longest first, so names that contain one
    another resolve to the longest (老科协 is not 区科协; aliases are not matched in text)."""
    names = {n for u in plan.units for n in (u.name, u.full_name) if n}
    alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(f"(?:{alternatives})")


def mentions(plan: Plan, text: str, pattern: re.Pattern[str] | None = None) -> list[str]:
    """Short names of the units `text` names, in protocol order."""
    pattern = pattern or mention_pattern(plan)
    owner = {n: u.name for u in plan.units for n in (u.name, u.full_name) if n}
    found: set[str] = set()
    for m in pattern.finditer(text):
        start = m.start()
        if m.group().startswith("区") and start > 0 and text[start - 1] in _WORDS_ENDING_IN_QU:
            continue
        found.add(owner[m.group()])
    order = plan.unit_order()
    return sorted(found, key=order.__getitem__)


# --- tasks -----------------------------------------------------------------------------------


@dataclass
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
    text: str = field(default="", repr=False)

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        del data["text"]
        return data


def _chapter_text(chapter: Chapter) -> str:
    parts = [chapter.body or "", *chapter.paragraphs]
    return "\n".join(p for p in parts if p)


def all_rows(plan: Plan) -> list[TaskRow]:
    """Every numbered task, and every chapter that has none, in document order."""
    pattern = mention_pattern(plan)
    rows: list[TaskRow] = []
    for pi, part, ci, chapter in plan.iter_chapters():
        resp = chapter.responsibility
        leads = list(resp.leads) if resp else []
        participants = list(resp.participants) if resp else []
        action_number = chinese_number(pi + 1) + chapter_number(ci)
        common: dict[str, Any] = {
            "action_id": chapter.id,
            "action_number": action_number,
            "action_title": chapter.title,
            "part_id": part.id,
            "part_title": part.title,
            "leads": leads,
            "participants": participants,
        }
        if chapter.tasks:
            for ti, task in enumerate(chapter.tasks):
                text = heading(task_number(ti), task.title, task.body)
                rows.append(
                    TaskRow(
                        task_id=task.id,
                        task_number=action_number + task_number(ti),
                        task_title=task.title,
                        kind="task",
                        mentioned=mentions(plan, text, pattern),
                        text=text,
                        **common,
                    )
                )
        else:
            text = _chapter_text(chapter)
            rows.append(
                TaskRow(
                    task_id=chapter.id,
                    task_number=action_number,
                    task_title=chapter.title,
                    kind="chapter",
                    mentioned=mentions(plan, text, pattern),
                    text=text,
                    **common,
                )
            )
    return rows


def role_of(row: TaskRow, unit: Unit) -> Role | None:
    """The strongest role `unit` has for `row`: lead > participant > mentioned."""
    if unit.name in row.leads:
        return "lead"
    if unit.name in row.participants:
        return "participant"
    if unit.name in row.mentioned:
        return "mentioned"
    return None


def find_part(plan: Plan, key: str) -> Part:
    """A part by id, by number (二 or 二、) or by title."""
    for i, part in enumerate(plan.parts):
        if key in (part.id, part.title, chinese_number(i + 1), part_number(i), str(i + 1)):
            return part
    raise _unknown("part", key, closest(key, [p.id for p in plan.parts] + [p.title for p in plan.parts]))


def find_chapter(plan: Plan, key: str) -> Chapter:
    """A chapter by id, number (二（一）) or title."""
    for pi, _, ci, chapter in plan.iter_chapters():
        if key in (chapter.id, chapter.title, chinese_number(pi + 1) + chapter_number(ci)):
            return chapter
    candidates = [c.id for *_, c in plan.iter_chapters()] + [c.title for *_, c in plan.iter_chapters()]
    raise _unknown("action", key, closest(key, candidates))


def tasks(
    plan: Plan,
    unit: Unit | None = None,
    roles: Iterable[Role] = (),
    part: str | None = None,
    action: str | None = None,
) -> list[TaskRow]:
    """Tasks in document order. With a unit: only those it works on, each with its role. Without:
    the numbered tasks with their units."""
    rows = all_rows(plan)
    if part is not None:
        part_id = find_part(plan, part).id
        rows = [r for r in rows if r.part_id == part_id]
    if action is not None:
        action_id = find_chapter(plan, action).id
        rows = [r for r in rows if r.action_id == action_id]
    if unit is None:
        return [r for r in rows if r.kind == "task"]
    wanted = set(roles) or set(ROLES)
    selected = []
    for row in rows:
        row.role = role_of(row, unit)
        if row.role is not None and row.role in wanted:
            selected.append(row)
    return selected


# --- units and their load --------------------------------------------------------------------


@dataclass
class UnitRow:
    number: int
    id: str
    name: str
    full_name: str | None
    kind: str
    aliases: list[str]
    lead_actions: int
    participant_actions: int
    mentioned_actions: int
    lead_tasks: int
    participant_tasks: int
    mentioned_tasks: int

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def units(plan: Plan) -> list[UnitRow]:
    """The registry in protocol order, with each unit's actions and tasks by role."""
    rows = all_rows(plan)
    result = []
    for i, unit in enumerate(plan.units):
        actions: dict[str, set[str]] = {r: set() for r in ROLES}
        count = dict.fromkeys(ROLES, 0)
        for row in rows:
            role = role_of(row, unit)
            if role is not None:
                count[role] += 1
                actions[role].add(row.action_id)
        # an action counts once, under the unit's strongest role in it
        actions["participant"] -= actions["lead"]
        actions["mentioned"] -= actions["lead"] | actions["participant"]
        result.append(
            UnitRow(
                number=i + 1,
                id=unit.id,
                name=unit.name,
                full_name=unit.full_name,
                kind=unit.kind,
                aliases=list(unit.aliases),
                lead_actions=len(actions["lead"]),
                participant_actions=len(actions["participant"]),
                mentioned_actions=len(actions["mentioned"]),
                lead_tasks=count["lead"],
                participant_tasks=count["participant"],
                mentioned_tasks=count["mentioned"],
            )
        )
    return result


# --- coverage --------------------------------------------------------------------------------


@dataclass
class ActionColumn:
    id: str
    number: str
    title: str
    tasks: int


@dataclass
class Finding:
    rule: str
    subject: str  # an action, part or unit id
    message: str
    units: list[str] = field(default_factory=list)
    title: str = ""  # the subject as the document numbers it: 四、组织实施


@dataclass
class Coverage:
    actions: list[ActionColumn]
    units: list[Unit]
    cells: dict[str, dict[str, Role]]  # unit name -> action id -> role
    findings: list[Finding]

    def as_dict(self) -> dict[str, Any]:
        return {
            "actions": [asdict(a) for a in self.actions],
            "matrix": [
                {"unit": u.name, "unit_id": u.id, "roles": dict(self.cells.get(u.name, {}))} for u in self.units
            ],
            "findings": [asdict(f) for f in self.findings],
        }


def coverage(plan: Plan) -> Coverage:
    """Units × actions with each unit's role, and what is missing from the responsibility lines."""
    pattern = mention_pattern(plan)
    columns: list[ActionColumn] = []
    cells: dict[str, dict[str, Role]] = {}
    findings: list[Finding] = []
    assigned: set[str] = set()
    for pi, _, ci, chapter in plan.actions():
        number = chinese_number(pi + 1) + chapter_number(ci)
        columns.append(ActionColumn(chapter.id, number, chapter.title, len(chapter.tasks)))
        resp = chapter.responsibility
        leads = list(resp.leads) if resp else []
        participants = list(resp.participants) if resp else []
        for name in leads:
            cells.setdefault(name, {})[chapter.id] = "lead"
        for name in participants:
            cells.setdefault(name, {}).setdefault(chapter.id, "participant")
        assigned |= set(leads) | set(participants)
        if not leads:
            findings.append(
                Finding(
                    "missing-lead", chapter.id, f"{number}{chapter.title} has no lead unit", [], number + chapter.title
                )
            )
        text = "\n".join(p.text for p in chapter_paragraphs(chapter, ci, "") if p.kind != "responsibility")
        named = [n for n in mentions(plan, text, pattern) if n not in leads and n not in participants]
        for name in named:
            cells.setdefault(name, {}).setdefault(chapter.id, "mentioned")
        if named:
            findings.append(
                Finding(
                    "named-not-assigned",
                    chapter.id,
                    f"{number}{chapter.title}: the text names {'、'.join(named)}, which its responsibility line does not",
                    named,
                    number + chapter.title,
                )
            )
    for unit in plan.units:
        if unit.name not in assigned and unit.kind not in OVERSIGHT_KINDS:
            findings.append(
                Finding(
                    "unassigned-unit",
                    unit.id,
                    f"{unit.name} is in the registry but no action assigns it",
                    [unit.name],
                    unit.name,
                )
            )
    for pi, part in enumerate(plan.parts):
        if part.assigns:
            continue
        text = "\n".join(
            [
                *part.intro,
                *(
                    p.text
                    for ci, cid in enumerate(part.chapters)
                    for p in chapter_paragraphs(plan.chapters[cid], ci, "")
                ),
            ]
        )
        named = mentions(plan, text, pattern)
        who = f"; the text names {'、'.join(named)}" if named else ""
        findings.append(
            Finding(
                "no-responsibility",
                part.id,
                f"{part_number(pi)}{part.title} has no responsibility line{who}",
                named,
                part_number(pi) + part.title,
            )
        )
    return Coverage(columns, list(plan.units), cells, findings)


# --- targets and schedule --------------------------------------------------------------------


def where(plan: Plan, ident: str) -> str:
    """The document's number for a part, chapter or task id: 三（四）3．."""
    for pi, part in enumerate(plan.parts):
        if part.id == ident:
            return part_number(pi) + part.title
    for pi, _, ci, chapter in plan.iter_chapters():
        if chapter.id == ident:
            return chinese_number(pi + 1) + chapter_number(ci) + chapter.title
    for ref in plan.iter_tasks():
        if ref.task.id == ident:
            return ref.number + ref.task.title
    return ident


@dataclass
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


def targets(plan: Plan) -> list[TargetRow]:
    end = plan.document.plan.period.end
    return [_target_row(plan, t, end) for t in plan.targets]


def _target_row(plan: Plan, t: Target, end: int) -> TargetRow:
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


@dataclass
class MilestoneRow:
    id: str
    start: int
    end: int
    period: str
    title: str
    ref: str
    where: str
    quote: str


def period_label(start: int, end: int) -> str:
    return f"{start}年" if start == end else f"{start}-{end}年"


def schedule(plan: Plan) -> list[MilestoneRow]:
    return [_milestone_row(plan, m) for m in plan.milestones]


def _milestone_row(plan: Plan, m: Milestone) -> MilestoneRow:
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


# --- one item in full ------------------------------------------------------------------------


@dataclass
class Shown:
    id: str
    kind: Literal["part", "chapter", "task"]
    number: str
    title: str
    paragraphs: list[str]
    leads: list[str]
    participants: list[str]
    etc: bool
    targets: list[TargetRow]
    milestones: list[MilestoneRow]
    parent: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def show(plan: Plan, ident: str) -> Shown:
    """One part, chapter (action) or task in full, with its responsibility, targets and milestones."""
    from kpsy.text import paragraphs as all_paragraphs

    contained: set[str] = {ident}
    found: Shown | None = None
    for pi, part in enumerate(plan.parts):
        if part.id == ident:
            lines = [p.text for p in all_paragraphs(plan) if p.origin.file == plan.file_of(f"parts/{part.id}")]
            for ci, cid in enumerate(part.chapters):
                lines += [p.text for p in chapter_paragraphs(plan.chapters[cid], ci, "")]
                contained |= {cid, *(t.id for t in plan.chapters[cid].tasks)}
            found = Shown(part.id, "part", part_number(pi), part.title, lines, [], [], False, [], [])
    for pi, part, ci, chapter in plan.iter_chapters():
        resp = chapter.responsibility
        resp_fields = (list(resp.leads), list(resp.participants), resp.etc) if resp else ([], [], False)
        if chapter.id == ident:
            lines = [p.text for p in chapter_paragraphs(chapter, ci, "")]
            contained |= {t.id for t in chapter.tasks}
            number = chinese_number(pi + 1) + chapter_number(ci)
            found = Shown(chapter.id, "chapter", number, chapter.title, lines, *resp_fields, [], [], part.id)
        for ti, task in enumerate(chapter.tasks):
            if task.id == ident:
                number = chinese_number(pi + 1) + chapter_number(ci) + task_number(ti)
                text = heading(task_number(ti), task.title, task.body)
                found = Shown(task.id, "task", number, task.title, [text], *resp_fields, [], [], chapter.id)
    if found is None:
        known = (
            [p.id for p in plan.parts]
            + [c.id for *_, c in plan.iter_chapters()]
            + [t.task.id for t in plan.iter_tasks()]
        )
        raise _unknown("part, action or task with id", ident, closest(ident, known))
    end = plan.document.plan.period.end
    found.targets = [_target_row(plan, t, end) for t in plan.targets if t.source.ref in contained]
    found.milestones = [_milestone_row(plan, m) for m in plan.milestones if m.source.ref in contained]
    return found


def iter_role_rows(rows: list[TaskRow]) -> Iterator[tuple[str, list[TaskRow]]]:
    """Rows grouped by action, in document order."""
    group: list[TaskRow] = []
    for row in rows:
        if group and group[0].action_id != row.action_id:
            yield group[0].action_id, group
            group = []
        group.append(row)
    if group:
        yield group[0].action_id, group

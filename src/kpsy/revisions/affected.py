"""Who a revision affects, answered once: by each unit's task letter (交办函). A unit's letter is
rendered (Markdown) from both revisions, dated alike; it is re-issued when it reads differently.
One unit's view of the diff is non-empty exactly when its letter changes, and holds the changes
that change it: each part of the letter (the plan's title, the settings, each action group's
title and units, each task's number and words, the schedule) at both revisions, and the changes
about what a differing part shows; the changes to the whole plan come with them, as plan-wide.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import field
from pathlib import Path
from typing import Any

from kpsy.i18n import msg
from kpsy.light import light, shallow
from kpsy.plan.model import OVERSIGHT_KINDS, Unit
from kpsy.plan.outline import PlanData
from kpsy.revisions.change import STRUCTURE, Change, DiffResult
from kpsy.revisions.diff import item_keys, keys_of
from kpsy.revisions.items import Item
from kpsy.revisions.words import statement

Part = tuple[str, ...]  # the key of a part of a letter: ("task", "lead", "youth-basic-education")


@light
class Letter:
    """A unit's letter as rendered, and its parts as data, each with what can change it."""

    text: str
    parts: dict[Part, Any]
    touch: dict[Part, set[str]]  # the ids (items, "unit:<id>", "plan", "settings", "milestones") each part shows


@light
class AffectedUnit:
    id: str
    name: str
    status: str  # changed, new (a letter only at NEW), withdrawn (a letter only at OLD)
    reason: str
    changes: int  # changes in the unit's own view of the diff

    def as_dict(self) -> dict[str, Any]:
        return shallow(self)


@light
class Affected:
    old: str
    new: str
    letters: int  # units with a letter at OLD or NEW
    units: list[AffectedUnit] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.units)

    def as_dict(self) -> dict[str, Any]:
        return {
            "old": self.old,
            "new": self.new,
            "letters": self.letters,
            "count": self.count,
            "units": [u.as_dict() for u in self.units],
        }


# --- a letter and its parts ------------------------------------------------------------------------


def _group_parts(role: str, groups: list[Any], parts: dict[Part, Any], touch: dict[Part, set[str]]) -> None:
    """The parts of one section of a letter (牵头任务, 配合任务, 其他工作): which actions, in what
    order; each action's title and units; each task's number and words."""
    parts["groups", role] = tuple(g.id for g in groups)
    touch["groups", role] = {g.id for g in groups}
    for group in groups:
        names = (*group.leads, *group.participants)
        parts["group", role, group.id] = (
            group.number,
            group.title,
            tuple(group.leads),
            tuple(group.participants),
            group.etc,
        )
        touch["group", role, group.id] = {group.id, *(f"name:{n}" for n in names)}
        parts["tasks", role, group.id] = tuple(t["id"] for t in group.tasks)
        touch["tasks", role, group.id] = {group.id, *(t["id"] for t in group.tasks)}
        for task in group.tasks:
            shown = (task["number"], task["short_number"], task["title"], task["body"], task["kind"])
            parts["task", role, task["id"]] = shown
            touch["task", role, task["id"]] = {task["id"]}


def letter_of(plan: PlanData, unit: Unit, templates: Path | None, date: dt.date) -> Letter | None:
    """The unit's letter from `plan` (None when it has no tasks there), rendered and in parts."""
    from kpsy.documents.context import context
    from kpsy.documents.templates import render_markdown
    from kpsy.queries.tasks import tasks

    if not tasks(plan, unit):
        return None
    ctx = context(plan, [], unit, date=date)
    settings = ctx["letter"]
    parts: dict[Part, Any] = {
        ("plan",): plan.title,
        ("self",): (unit.name, unit.full_name),
        ("settings",): (
            ctx["sender"],
            *((settings.title, settings.opening, tuple(settings.reporting), settings.contact) if settings else ()),
        ),
        ("milestones",): tuple(m.quote for m in ctx["milestones"]),
    }
    touch: dict[Part, set[str]] = {
        ("plan",): {"plan"},
        ("self",): {f"unit:{unit.id}", f"name:{unit.name}"},
        ("settings",): {"settings"},
        ("milestones",): {"milestones"},
    }
    for role in ("lead", "participant", "mentioned"):
        _group_parts(role, ctx[f"{role}_groups"], parts, touch)
    return Letter(render_markdown("letter", ctx, templates), parts, touch)


def differing(a: Letter | None, b: Letter | None) -> set[str]:
    """What the parts that read differently show (ids, names), from both letters."""
    parts_a = a.parts if a is not None else {}
    parts_b = b.parts if b is not None else {}
    found: set[str] = set()
    for part in {*parts_a, *parts_b}:
        if parts_a.get(part) != parts_b.get(part):
            found |= (a.touch.get(part, set()) if a is not None else set()) | (
                b.touch.get(part, set()) if b is not None else set()
            )
    return found


# --- what a change shows in a letter ----------------------------------------------------------------


def touched(change: Change, result: DiffResult) -> set[str]:
    """What a change can alter in a letter: its items (an action with its tasks, whose numbers and
    sections follow it), a unit's names, the plan's title, the settings, the schedule."""
    found = (result.before, result.after)
    if change.type == "unit":
        # a name shows where a line (or a collective, 各成员单位) lists the unit: renamed, added, removed
        names = {change.old, change.new} if change.kind != "unit-changed" else set()
        return {f"unit:{u}" for u in change.units} | {f"name:{n}" for n in names if isinstance(n, str)}
    if change.type == "settings":
        return {"settings"}
    if change.type in ("target", "milestone"):
        return {"milestones"} if change.type == "milestone" else set()
    if change.type == "document":
        return {"plan"} if change.subject in ("plan.title", "plan.period") else set()
    keys = set(keys_of(change))
    if change.type == "responsibility":
        keys.add(change.subject)
    out = set(keys)
    for key in keys:
        if not any(key in items_of and items_of[key].type in ("part", "chapter") for items_of in found):
            continue
        if change.kind in STRUCTURE:  # what it holds moves with it
            out |= set(item_keys(found, key))
        elif change.type == "responsibility":  # what it held and holds changes hands with it
            out |= set(item_keys((result.before, {}), key)) & set(item_keys(({}, result.after), key))
    if change.kind in ("text", "title") and _states_schedule(change, result):
        out.add("milestones")
    return out


def _states_schedule(change: Change, result: DiffResult) -> bool:
    plans = [p for p in (result.old_plan, result.new_plan) if p is not None]
    return any(m.source.ref == change.item for plan in plans for m in plan.milestones)


# --- one unit's view ---------------------------------------------------------------------------------


def _role(items_of: dict[str, Item], keys: list[str], plan: PlanData | None, unit: str | None) -> str | None:
    """The unit's strongest role in any of `keys` (lead, then participant, then mentioned)."""
    if plan is None or unit is None:
        return None
    roles = {items_of[k].roles(plan).get(unit) for k in keys if k in items_of}
    return next((r for r in ("lead", "participant", "mentioned") if r in roles), None)


def _impact(change: Change, result: DiffResult, ids: tuple[str | None, str | None]) -> None:
    """Say what a change in a unit's view means for it: gained, lost, kept, merged, split,
    renumbered, a co-worker renamed, plan-wide."""
    if change.everyone:
        change.impact = "plan-wide"
        return
    if change.kind == "unit-renamed" and not set(ids) & set(change.units):
        change.impact = "co-worker"
        return
    if change.kind not in STRUCTURE:
        return
    old_keys = [change.subject, *change.from_ids] if change.kind != "split" else [change.subject]
    new_keys = [change.subject] if change.kind != "split" else list(change.into_ids)
    change.old_role = _role(result.before, old_keys, result.old_plan, ids[0])
    change.new_role = _role(result.after, new_keys, result.new_plan, ids[1])
    old_role, new_role = change.old_role, change.new_role
    if old_role is None and new_role is None:
        change.impact = "renumbered"
    elif old_role is None:
        change.impact = "gained"
    elif new_role is None:
        change.impact = "lost"
    else:
        change.impact = change.kind if change.kind in ("merged", "split") else "kept"


def sides(result: DiffResult, unit: Unit) -> tuple[Unit | None, Unit | None]:
    """The unit at OLD and at NEW (a unit renamed under a new id is one unit)."""
    old, new = result.old_plan, result.new_plan
    assert old is not None and new is not None
    back = {b: a for a, b in result.renamed.items()}
    old_id = back.get(unit.id, unit.id)
    new_id = result.renamed.get(unit.id, unit.id)
    return old.units.by_id.get(old_id), new.units.by_id.get(new_id)


def letters_of(
    result: DiffResult, unit: Unit, templates: Path | None, day: dt.date
) -> tuple[Letter | None, Letter | None]:
    old_unit, new_unit = sides(result, unit)
    assert result.old_plan is not None and result.new_plan is not None
    a = letter_of(result.old_plan, old_unit, templates, day) if old_unit is not None else None
    b = letter_of(result.new_plan, new_unit, templates, day) if new_unit is not None else None
    return a, b


def view(
    result: DiffResult,
    unit: Unit,
    letters: tuple[Letter | None, Letter | None],
    touches: list[set[str]] | None = None,
) -> DiffResult:
    """The changes that change the unit's letter, each saying what it means for the unit; none
    when its letter reads the same (or it has none). `touches`: what each change can alter in a
    letter (`touched`), when already known."""
    a, b = letters
    old_unit, new_unit = sides(result, unit)
    name = (new_unit or old_unit or unit).name
    status = _status(a, b)
    if status in ("unchanged", "none"):
        return result.view([], name, (new_unit or unit).id, status)
    shown = differing(a, b)
    touches = touches if touches is not None else [touched(c, result) for c in result.changes]
    ids = (old_unit.id if old_unit else None, new_unit.id if new_unit else None)
    kept: list[Change] = []
    for change, touch in zip(result.changes, touches, strict=True):
        if change.everyone or touch & shown:
            mine = change.copy()
            _impact(mine, result, ids)
            mine.statement = statement(mine, result.before, result.after, name)
            kept.append(mine)
    if not kept:  # a template of one's own shows something no change names
        letter = Change("letter", "letter", (new_unit or unit).id, name)
        letter.statement = statement(letter, result.before, result.after)
        kept.append(letter)
    return result.view(kept, name, (new_unit or unit).id, status)


def _status(a: Letter | None, b: Letter | None) -> str:
    if a is None and b is None:
        return "none"
    if a is None:
        return "new"
    if b is None:
        return "withdrawn"
    return "unchanged" if a.text == b.text else "changed"


def for_unit(result: DiffResult, unit: Unit, templates: Path | None = None) -> DiffResult:
    """What concerns `unit`: the changes that change its letter (none when it reads the same)."""
    return view(result, unit, letters_of(result, unit, templates, dt.date.today()))


# --- every unit ------------------------------------------------------------------------------------


REASONS = {
    "new": ("a new letter: it now has tasks", "新发交办函：该单位新承担任务"),
    "withdrawn": ("no letter any more: it has no tasks", "不再发交办函：该单位已无任务"),
}


def affected(result: DiffResult, templates: Path | None = None, only: Unit | None = None) -> Affected:
    """The units whose letter reads differently at NEW than at OLD, in protocol order (units gone at
    NEW after them), each with how many changes of its view explain it. Letters are dated alike on
    both sides, so that only what they say counts."""
    old, new = result.old_plan, result.new_plan
    assert old is not None and new is not None
    day = dt.date.today()
    renamed_away = set(result.renamed)
    ordered = [*new.units, *(u for u in old.units if u.id not in new.units.by_id and u.id not in renamed_away)]
    if only is None:  # the bodies that oversee the work as a whole get no letter unless asked for
        chosen = [u for u in ordered if u.kind not in OVERSIGHT_KINDS]
    else:
        chosen = [u for u in ordered if u.id in {only.id, result.renamed.get(only.id)}]
    found: list[AffectedUnit] = []
    issued = 0
    touches = [touched(c, result) for c in result.changes]
    for unit in chosen:
        letters = letters_of(result, unit, templates, day)
        issued += any(letter is not None for letter in letters)
        if letters[0] is not None and letters[1] is not None and letters[0].text == letters[1].text:
            continue
        if letters[0] is None and letters[1] is None:
            continue
        mine = view(result, unit, letters, touches)
        en, zh = REASONS.get(
            mine.letter or "",
            ("its letter changes ({n} change{s} concern it)", "交办函内容有变化（涉及该单位的修改{n}处）"),
        )
        reason = msg(en, zh, n=mine.count, s="s" * (mine.count != 1))
        found.append(AffectedUnit(unit.id, unit.name, mine.letter or "changed", reason, mine.count))
    return Affected(result.old, result.new, issued, found)

"""Which task letters (交办函) a revision changes: every unit's letter rendered from both revisions
and compared, so that the office knows which letters to re-issue. A letter changes when anything it
says changes: the unit's tasks and their words, its role, its co-leads and participants, the plan's
title, the schedule, the settings it is written from."""

from __future__ import annotations

import datetime as dt
from dataclasses import field
from pathlib import Path
from typing import Any

from kpsy.i18n import msg
from kpsy.light import light, shallow
from kpsy.plan.model import OVERSIGHT_KINDS, Unit
from kpsy.plan.outline import PlanData
from kpsy.revisions.diff import DiffResult, for_unit


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


def letters(plan: PlanData, units: list[Unit], templates: Path | None, date: dt.date) -> dict[str, str]:
    """Unit id -> its letter (Markdown), for each of `units` that has tasks in `plan`."""
    from kpsy.documents.context import context
    from kpsy.documents.templates import render_markdown
    from kpsy.queries.tasks import tasks

    out: dict[str, str] = {}
    for unit in units:
        if tasks(plan, unit):
            out[unit.id] = render_markdown("letter", context(plan, [], unit, date=date), templates)
    return out


def affected(result: DiffResult, templates: Path | None = None, only: Unit | None = None) -> Affected:
    """The units whose letter reads differently at NEW than at OLD, in protocol order (units gone at
    NEW after them). Letters are dated alike on both sides, so that only what they say counts."""
    old, new = result.old_plan, result.new_plan
    assert old is not None and new is not None
    day = dt.date.today()
    here = {u.id: u for u in new.units}
    ordered = [*new.units, *(u for u in old.units if u.id not in here)]
    chosen = [u for u in ordered if u.kind not in OVERSIGHT_KINDS and (only is None or u.id == only.id)]
    before = letters(old, [u for u in chosen if old.units.by_id.get(u.id)], templates, day)
    after = letters(new, [u for u in chosen if here.get(u.id)], templates, day)
    found: list[AffectedUnit] = []
    for unit in chosen:
        a, b = before.get(unit.id), after.get(unit.id)
        if a == b:
            continue
        count = for_unit(result, here.get(unit.id) or unit).count
        if a is None:
            status, reason = "new", msg("a new letter: it now has tasks", "新发交办函：该单位新承担任务")
        elif b is None:
            status, reason = "withdrawn", msg("no letter any more: it has no tasks", "不再发交办函：该单位已无任务")
        else:
            status = "changed"
            reason = msg(
                "its letter changes ({n} change{s} concern it)",
                "交办函内容有变化（涉及该单位的修改{n}处）",
                n=count,
                s="s" * (count != 1),
            )
        found.append(AffectedUnit(unit.id, unit.name, status, reason, count))
    return Affected(result.old, result.new, len(set(before) | set(after)), found)

"""One unit on one page: its roles counted, the actions it leads and with whom, the actions it takes
part in and who leads them, its tasks, and the targets and milestones that concern it."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any, Literal

from kpsy.light import light
from kpsy.plan.model import OVERSIGHT_KINDS, Unit
from kpsy.plan.outline import PartRef, PlanData
from kpsy.queries.records import MilestoneRow, TargetRow, milestone_row, target_row
from kpsy.queries.tasks import ROLES, Role, TaskRow, by_action, tasks

# own: stated in an action or task the unit works on, or naming the unit; plan: stated where no
# unit is assigned (the overall goal, the schedule of the whole plan), so every unit shares it.
Scope = Literal["own", "plan"]


@light
class ActionPart:
    """An action with the tasks of it where the unit has one role, and whom it works with there."""

    id: str
    number: str
    title: str
    role: Role
    leads: list[str]  # every lead of these tasks, the unit included, in the line's order
    co_leads: list[str]  # the leads other than the unit
    participants: list[str]
    tasks: list[TaskRow]
    total: int  # the action's tasks in all (a chapter without numbered tasks counts as one)

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "number": self.number,
            "title": self.title,
            "role": self.role,
            "leads": self.leads,
            "co_leads": self.co_leads,
            "participants": self.participants,
            "tasks": [{"id": t.task_id, "number": t.task_number, "title": t.task_title} for t in self.tasks],
            "total": self.total,
        }


@light
class Concern:
    """A target or milestone that concerns the unit, and why (`scope`)."""

    row: TargetRow | MilestoneRow
    scope: Scope

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self.row), "scope": self.scope}


@light
class UnitProfile:
    unit: Unit
    oversees: bool  # a body that oversees the work (人民政府, 议事协调机构) rather than doing tasks
    counts: dict[str, dict[str, int]]  # role -> {"actions": n, "tasks": n}
    actions: list[ActionPart]  # by role (lead, participant, mentioned), then in document order
    tasks: list[TaskRow]  # in document order, each with the unit's role
    targets: list[Concern]
    milestones: list[Concern]

    def as_dict(self) -> dict[str, Any]:
        unit = self.unit
        return {
            "id": unit.id,
            "name": unit.name,
            "full_name": unit.full_name,
            "kind": unit.kind,
            "aliases": list(unit.aliases),
            "oversees": self.oversees,
            "counts": self.counts,
            "actions": [a.as_dict() for a in self.actions],
            "tasks": [t.as_dict() for t in self.tasks],
            "targets": [c.as_dict() for c in self.targets],
            "milestones": [c.as_dict() for c in self.milestones],
        }


def _merged(lists: list[list[str]]) -> list[str]:
    return list(dict.fromkeys(name for names in lists for name in names))


def _scope(plan: PlanData, ref_id: str, quote: str, unit: Unit, rows: list[TaskRow]) -> Scope | None:
    """Whether a target or milestone stated in `ref_id`, in the words `quote`, concerns `unit` (whose
    tasks are `rows`): own when stated in its task or in an action it leads or takes part in, or
    when the words name it; plan when stated where no unit is assigned, for a unit with work."""
    mine = {r.task_id for r in rows} | {r.action_id for r in rows if r.role in ("lead", "participant")}
    if ref_id in mine or unit.name in plan.units.mentions(quote):
        return "own"
    ref = plan.find(ref_id)
    if ref is None or not (rows or unit.kind in OVERSIGHT_KINDS):
        return None
    if isinstance(ref, PartRef):
        if any(r.part_id == ref.id and r.role != "mentioned" for r in rows):
            return "own"
        assigned = any(chapter.responsibility is not None for chapter in ref.chapters)
    else:
        assigned = ref.responsibility is not None
    return None if assigned else "plan"


def profile(plan: PlanData, unit: Unit) -> UnitProfile:
    """`unit` on one page: its roles counted, its actions with the units it works with there, its
    tasks, and the targets and milestones that concern it."""
    rows = tasks(plan, unit)
    actions: dict[str, set[str]] = {role: set() for role in ROLES}
    for row in rows:
        assert row.role is not None
        actions[row.role].add(row.action_id)
    # an action counts once, under the unit's strongest role in it
    actions["participant"] -= actions["lead"]
    actions["mentioned"] -= actions["lead"] | actions["participant"]
    counts: dict[str, dict[str, int]] = {
        role: {"actions": len(actions[role]), "tasks": sum(1 for r in rows if r.role == role)} for role in ROLES
    }
    parts: list[ActionPart] = []
    for role in ROLES:
        for group in by_action([r for r in rows if r.role == role]):
            first = group[0]
            chapter = plan.chapter(first.action_id)
            leads = _merged([r.leads for r in group])
            parts.append(
                ActionPart(
                    id=first.action_id,
                    number=first.action_number,
                    title=first.action_title,
                    role=role,
                    leads=leads,
                    co_leads=[name for name in leads if name != unit.name],
                    participants=[n for n in _merged([r.participants for r in group]) if n != unit.name],
                    tasks=group,
                    total=len(chapter.tasks) or 1,
                )
            )
    targets = []
    for target in plan.targets:
        scope = _scope(plan, target.source.ref, target.source.quote, unit, rows)
        if scope is not None:
            targets.append(Concern(target_row(plan, target), scope))
    milestones = []
    for milestone in plan.milestones:
        scope = _scope(plan, milestone.source.ref, milestone.source.quote, unit, rows)
        if scope is not None:
            milestones.append(Concern(milestone_row(plan, milestone), scope))
    return UnitProfile(unit, unit.kind in OVERSIGHT_KINDS, counts, parts, rows, targets, milestones)

"""The registry with each unit's load: its actions and tasks by role."""

from __future__ import annotations

from typing import Any

from kpsy.light import light, shallow
from kpsy.plan.outline import PlanData
from kpsy.queries.tasks import ROLES, all_rows, role_of


@light
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
        return shallow(self)


def units(plan: PlanData) -> list[UnitRow]:
    """The registry in protocol order, with each unit's actions and tasks by role."""
    rows = all_rows(plan)
    result = []
    for i, unit in enumerate(plan.units, 1):
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
                number=i,
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

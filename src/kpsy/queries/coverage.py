"""The responsibility matrix (units × actions) and what is missing from it.

What is missing is what the rules find (missing-lead, unassigned-unit, named-not-assigned,
no-responsibility): coverage shows those findings, it does not find them again.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, field
from typing import Any

from kpsy.findings import Problem
from kpsy.light import light
from kpsy.plan.model import Unit
from kpsy.plan.outline import PlanData
from kpsy.plan.text import chapter_paragraphs
from kpsy.queries.tasks import Role, units_of

RULES = ("missing-lead", "named-not-assigned", "unassigned-unit", "no-responsibility")


@light
class ActionColumn:
    id: str
    number: str
    title: str
    tasks: int


@light
class Finding:
    rule: str
    subject: str  # an action, part or unit id
    message: str
    units: list[str] = field(default_factory=list)
    title: str = ""  # the subject as the document numbers it (四、组织实施), or a unit's name


@light
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


def _finding(plan: PlanData, problem: Problem) -> Finding:
    ref = plan.find(problem.subject)
    unit = plan.units.by_id.get(problem.subject)
    title = ref.label if ref is not None else unit.name if unit is not None else problem.subject
    return Finding(problem.rule, problem.subject, problem.message, list(problem.units), title)


def _position(plan: PlanData) -> dict[str, tuple[int, int]]:
    """Where a subject stands: actions in document order, then units in protocol order, then parts."""
    where: dict[str, tuple[int, int]] = {}
    for i, chapter in enumerate(plan.iter_chapters()):
        where[chapter.id] = (0, i)
    for i, unit in enumerate(plan.units):
        where[unit.id] = (1, i)
    for i, part in enumerate(plan.parts):
        where[part.id] = (2, i)
    return where


def coverage(plan: PlanData, findings: Iterable[Problem]) -> Coverage:
    """Units × actions with each unit's role, and what the rules found missing (from `findings`,
    the plan's findings as `kpsy.checks.run` made them)."""
    columns: list[ActionColumn] = []
    cells: dict[str, dict[str, Role]] = {}
    for chapter in plan.actions():
        columns.append(ActionColumn(chapter.id, chapter.number, chapter.title, len(chapter.tasks)))
        leads, participants = units_of(plan, chapter.responsibility)
        for name in leads:
            cells.setdefault(name, {})[chapter.id] = "lead"
        for name in participants:
            cells.setdefault(name, {}).setdefault(chapter.id, "participant")
        text = "\n".join(p.text for p in chapter_paragraphs(chapter) if p.kind != "responsibility")
        for name in plan.units.mentions(text):
            cells.setdefault(name, {}).setdefault(chapter.id, "mentioned")
    position = _position(plan)
    relevant = sorted(
        (p for p in findings if p.rule in RULES),
        key=lambda p: (position.get(p.subject, (3, 0)), RULES.index(p.rule)),
    )
    return Coverage(columns, list(plan.units), cells, [_finding(plan, p) for p in relevant])

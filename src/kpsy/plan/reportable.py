"""What units report progress on, and who reports: every numbered task, and every action without
numbered tasks, each with the units that have a role in it.

A unit's role in an item is the strongest of: lead (牵头) or participant (参加) of its action's
responsibility line, or mentioned (its text names the unit). The rules about progress reports, the
fill-in sheets and the progress views all take their items and roles from here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kpsy.plan.outline import ChapterRef, PlanData, TaskRef
from kpsy.plan.text import body_of, task_paragraph

ROLE_ORDER = ("lead", "participant", "mentioned")


@dataclass(frozen=True)
class Reportable:
    """One item progress is reported on: a numbered task, or an action that has none."""

    ref: TaskRef | ChapterRef
    action: ChapterRef  # the chapter it belongs to (the item itself for an action without tasks)
    roles: dict[str, str] = field(default_factory=dict)  # unit short name -> lead / participant / mentioned

    @property
    def id(self) -> str:
        return self.ref.id

    @property
    def number(self) -> str:
        return self.ref.number

    @property
    def title(self) -> str:
        return self.ref.title

    @property
    def kind(self) -> str:
        """task, or chapter for an action without numbered tasks."""
        return self.ref.kind

    def role(self, unit_name: str) -> str | None:
        return self.roles.get(unit_name)


def _roles(plan: PlanData, chapter: ChapterRef, text: str) -> dict[str, str]:
    roles: dict[str, str] = {}
    resp = chapter.chapter.responsibility
    for name in resp.leads if resp else []:
        roles.setdefault(name, "lead")
    for name in resp.participants if resp else []:
        roles.setdefault(name, "participant")
    for name in plan.units.mentions(text):
        roles.setdefault(name, "mentioned")
    return {name: roles[name] for name in plan.units.sort(roles)}


def reportable(plan: PlanData) -> list[Reportable]:
    """Every item progress is reported on, in document order, with the units that have a role in it."""
    items: list[Reportable] = []
    for chapter in plan.iter_chapters():
        if chapter.tasks:
            for task in chapter.tasks:
                items.append(Reportable(task, chapter, _roles(plan, chapter, task_paragraph(task).text)))
        elif chapter.is_action:
            items.append(Reportable(chapter, chapter, _roles(plan, chapter, body_of(chapter))))
    return items

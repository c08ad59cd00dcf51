"""One part, action or task in full, with its responsibility and the targets and milestones that point to it."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any, Literal

from kpsy.light import light
from kpsy.plan.outline import ChapterRef, PartRef, PlanData, Ref, TaskRef
from kpsy.plan.text import paragraphs_of
from kpsy.queries.find import find_item
from kpsy.queries.records import MilestoneRow, TargetRow, milestone_row, target_row


@light
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
    parent_title: str = ""  # the parent's number and title (二（一）青少年科学素质提升行动)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _contained(ref: Ref) -> set[str]:
    """The ids of `ref` and of everything inside it."""
    if isinstance(ref, PartRef):
        return {ref.id} | {i for chapter in ref.chapters for i in _contained(chapter)}
    if isinstance(ref, ChapterRef):
        return {ref.id} | {task.id for task in ref.tasks}
    return {ref.id}


def show(plan: PlanData, ident: str) -> Shown:
    """One part, chapter (action) or task in full, with its responsibility, targets and milestones."""
    ref = find_item(plan, ident)
    resp = ref.responsibility if isinstance(ref, ChapterRef | TaskRef) else None
    contained = _contained(ref)
    return Shown(
        id=ref.id,
        kind=ref.kind,  # type: ignore[arg-type]
        number=ref.number,
        title=ref.title,
        paragraphs=[p.text for p in paragraphs_of(ref)],
        leads=list(resp.leads) if resp else [],
        participants=list(resp.participants) if resp else [],
        etc=resp.etc if resp else False,
        targets=[target_row(plan, t) for t in plan.targets if t.source.ref in contained],
        milestones=[milestone_row(plan, m) for m in plan.milestones if m.source.ref in contained],
        parent=ref.parent.id if ref.parent is not None else None,
        parent_title=ref.parent.number + ref.parent.title if ref.parent is not None else "",
    )

"""Finding parts, actions and tasks the way people name them: by id, by the document's number, by title."""

from __future__ import annotations

from kpsy.errors import UnknownNameError
from kpsy.plan.outline import ChapterRef, PartRef, PlanData, Ref
from kpsy.util import suggest


def _unknown(what: str, key: str, candidates: list[str]) -> UnknownNameError:
    close = suggest(key, candidates)
    hint = f"; closest: {', '.join(close)}" if close else ""
    return UnknownNameError(f"no {what} '{key}' in the plan{hint}")


def find_part(plan: PlanData, key: str) -> PartRef:
    """A part by id, number (二 or 二、), position (2) or title."""
    for part in plan.parts:
        if key in (part.id, part.title, part.code, part.number, str(part.index + 1)):
            return part
    raise _unknown("part", key, [p.id for p in plan.parts] + [p.title for p in plan.parts])


def find_chapter(plan: PlanData, key: str) -> ChapterRef:
    """A chapter by id, number (二（一）) or title."""
    for chapter in plan.iter_chapters():
        if key in (chapter.id, chapter.title, chapter.number):
            return chapter
    chapters = list(plan.iter_chapters())
    raise _unknown("action", key, [c.id for c in chapters] + [c.title for c in chapters])


def find_item(plan: PlanData, ident: str) -> Ref:
    """A part, chapter or task by id."""
    found = plan.find(ident)
    if found is None:
        raise _unknown("part, action or task with id", ident, plan.outline_ids())
    return found

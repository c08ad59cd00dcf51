"""Which texts of the plan are proofread, and where each is kept.

Every text field of every plan file is read (the notice, the preamble, titles, bodies, paragraphs,
responsibility wording, milestones, settings for letters, revisions, progress notes), found from the
records' types: a field typed `Text` is prose. A few fields are something else:

- copies of the document's words that other files keep (a target's or a milestone's quote, a basis
  document's title and 文号, a target's indicator): their slips are the text's, reported there once;
  `--fix` changes them together with the text, so that they stay copies;
- names (a unit's name in the registry): reported, never changed by `--fix` (a name is what
  responsibility lines are matched by: renaming is a revision of its own);
- what people type to find things (aliases), who filled in a report, file names of evidence, and
  the units of a responsibility line (their names are proofread in the registry): not read.
"""

from __future__ import annotations

import dataclasses
import functools
import typing
from collections.abc import Iterator
from typing import Any

from kpsy.light import light
from kpsy.plan.model import DocPath, Text
from kpsy.plan.outline import PlanData

TEXT, COPY, NAME = "text", "copy", "name"

# (record class, field) -> how the field is read, where its type alone does not say.
ROLES: dict[tuple[str, str], str | None] = {
    ("Basis", "title"): COPY,
    ("Basis", "number"): COPY,
    ("SourceRef", "quote"): COPY,
    ("Target", "indicator"): COPY,
    ("Unit", "name"): NAME,
    ("Unit", "full_name"): NAME,
    ("Responsibility", "written"): NAME,
    ("Responsibility", "form"): TEXT,  # wording with slots, typed str
    ("Unit", "aliases"): None,
    ("Place", "short"): None,
    ("Place", "names"): None,
    ("Responsibility", "leads"): None,
    ("Responsibility", "participants"): None,
    ("ProgressFile", "reporter"): None,
    ("ProgressFile", "approver"): None,
    ("TaskProgress", "evidence"): None,
}
_TEXT_MARK = typing.get_args(Text)[1]


@light(hashable=True)
class Field:
    """One text of the plan: the file it is in (as findings name it), its key among the plan's
    sources, the path to it in the file's data, its words, and how it is read (text, copy, name)."""

    file: str
    key: str
    path: DocPath
    value: str
    role: str


def _is_text(tp: Any) -> bool:
    """Whether a field's type holds `Text` (itself, optional, or in a list or mapping)."""
    if typing.get_origin(tp) is typing.Annotated:
        return _TEXT_MARK in typing.get_args(tp)[1:] or _is_text(typing.get_args(tp)[0])
    return any(_is_text(arg) for arg in typing.get_args(tp))


@functools.cache
def _roles(cls: type) -> tuple[tuple[str, str | None], ...]:
    """(field, role or None) for each field of a record class."""
    hints = typing.get_type_hints(cls, include_extras=True)
    out = []
    for f in dataclasses.fields(cls):
        key = (cls.__name__, f.name)
        role = ROLES[key] if key in ROLES else (TEXT if _is_text(hints[f.name]) else None)
        out.append((f.name, role))
    return tuple(out)


def _walk(value: Any, path: DocPath, role: str | None) -> Iterator[tuple[DocPath, str, str]]:
    """(path, text, role) for every text inside `value` (a record, a list, a mapping or a text)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        for name, field_role in _roles(type(value)):
            inner = getattr(value, name)
            if inner is not None:
                yield from _walk(inner, (*path, name), field_role)
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _walk(item, (*path, i), role)
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _walk(item, (*path, key), role)
    elif isinstance(value, str) and role is not None and value:
        yield path, value, role


def collect(plan: PlanData) -> list[Field]:
    """Every text of the plan, file by file. A copy whose words no text holds (a quote that is no
    longer in the text) is read as text of its own."""
    fields = [
        Field(source.file, key, path, value, role)
        for key, source in plan.sources.items()
        for path, value, role in _walk(source.data, (), None)
    ]
    texts = "\0".join(f.value for f in fields if f.role != COPY)
    return [dataclasses.replace(f, role=TEXT) if f.role == COPY and f.value not in texts else f for f in fields]

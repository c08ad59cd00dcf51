"""The registry of plan-file kinds: what each kind of file is, where it lives, and what lists it.

Loading, JSON Schemas, formatting, textconv, unknown-file detection and `PlanData.items()` all read
this table, so a new kind of plan file is one entry here plus its record class in `kpsy.plan.model`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import PurePosixPath
from typing import Any

from kpsy.light import glob_match, light
from kpsy.plan import model
from kpsy.plan.model import DocPath


@light(hashable=True)
class Listing:
    """Files of a kind that another file lists, in order: the document lists parts, parts list chapters."""

    by: str  # the kind of the listing file
    ids: Callable[[Any], list[tuple[str, DocPath]]]  # a listing file's record -> (listed id, where it is listed)


@light(hashable=True)
class Kind:
    name: str
    model: type
    pattern: str  # where its files are, relative to the plan folder ("document.yaml", "chapters/*.yaml")
    required: bool = False
    id_key: str | None = None  # a field that must equal the file's name without .yaml
    listing: Listing | None = None
    shown: str | None = None  # how the pattern reads in documentation; default: each * as <id>

    @property
    def where(self) -> str:
        """Where its files are, as documentation writes it: chapters/<id>.yaml."""
        return self.shown or self.pattern.replace("*", "<id>")

    @property
    def summary(self) -> str:
        """What the file holds (the first line of its record class's docstring)."""
        return (self.model.__doc__ or "").strip().splitlines()[0]

    @property
    def single(self) -> bool:
        """One file of this kind (document.yaml), rather than a folder of them."""
        return "*" not in self.pattern

    def matches(self, relative: PurePosixPath) -> bool:
        pattern = _parts(self.pattern)
        parts = relative.parts
        return len(parts) == len(pattern) and all(
            glob_match(part, glob) for part, glob in zip(parts, pattern, strict=True)
        )


@functools.cache
def _parts(pattern: str) -> tuple[str, ...]:
    return PurePosixPath(pattern).parts


def _parts_listed(document: model.DocumentFile) -> list[tuple[str, DocPath]]:
    return [(pid, ("plan", "parts", i)) for i, pid in enumerate(document.plan.parts)]


def _chapters_listed(part: model.Part) -> list[tuple[str, DocPath]]:
    return [(cid, ("chapters", i)) for i, cid in enumerate(part.chapters)]


KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        Kind("document", model.DocumentFile, "document.yaml", required=True),
        Kind("units", model.UnitsFile, "units.yaml", required=True),
        Kind("targets", model.TargetsFile, "targets.yaml"),
        Kind("schedule", model.ScheduleFile, "schedule.yaml"),
        Kind("settings", model.SettingsFile, "settings.yaml"),
        Kind("revisions", model.RevisionsFile, "revisions.yaml"),
        Kind("part", model.Part, "parts/*.yaml", id_key="id", listing=Listing("document", _parts_listed)),
        Kind("chapter", model.Chapter, "chapters/*.yaml", id_key="id", listing=Listing("part", _chapters_listed)),
        Kind(
            "progress",
            model.ProgressFile,
            "progress/*/*.yaml",
            id_key="unit",
            shown="progress/<period>/<unit id>.yaml",
        ),
    )
}


def kind_of(relative: PurePosixPath | str) -> Kind | None:
    """The kind of the plan file at `relative` (a path inside the plan folder), or None."""
    path = relative if isinstance(relative, PurePosixPath) else PurePosixPath(relative)
    return next((kind for kind in KINDS.values() if kind.matches(path)), None)


def key_of(relative: PurePosixPath | str) -> str:
    """A file's key in `PlanData.sources`: its path in the plan folder without the extension."""
    return str(PurePosixPath(relative).with_suffix(""))

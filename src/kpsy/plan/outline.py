"""The plan assembled: its files, and the outline of parts, chapters and tasks with their numbers.

`PlanData` holds every plan file's record, keyed by where the file is. Its outline gives each part,
chapter and task a reference object (`PartRef`, `ChapterRef`, `TaskRef`) that knows its place and
number (二、, 二（一）, 二（一）3．); `find(id)` returns any of them. Numbers are derived here, from
order, and nowhere else.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import cached_property
from pathlib import Path
from typing import Any, Literal

from kpsy.light import light
from kpsy.plan.model import (
    Chapter,
    DocPath,
    DocumentFile,
    Milestone,
    Numbering,
    Part,
    Responsibility,
    RevisionsFile,
    ScheduleFile,
    SettingsFile,
    Target,
    TargetsFile,
    Task,
    UnitsFile,
)
from kpsy.plan.numbering import chinese_number, number_as
from kpsy.plan.units import UnitRegistry


@light(hashable=True)
class Origin:
    """Where something of the plan is written: a file (as problems name it) and the path inside its data."""

    file: str
    path: DocPath = ()


@light(hashable=True)
class Source:
    """One plan file: its kind, its name as problems show it, and its record."""

    kind: str
    file: str
    data: Any


class _Ref:
    """What every reference has: an id, a title, a number, and the two as the document shows them."""

    __slots__ = ()
    kind: str

    @property
    def record(self) -> Part | Chapter | Task:
        """The part, chapter or task as its file holds it."""
        raise NotImplementedError

    @property
    def number(self) -> str:
        raise NotImplementedError

    @property
    def id(self) -> str:
        return self.record.id

    @property
    def title(self) -> str:
        return self.record.title

    @property
    def label(self) -> str:
        """The number and the title: 二（一）3．推进高等教育阶段科学教育."""
        return self.number + self.title

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.label})"


class PartRef(_Ref):
    """A part in its place: 二、提升行动."""

    kind = "part"
    __slots__ = ("chapters", "file", "index", "numbering", "part")

    def __init__(self, part: Part, index: int, file: str, numbering: Numbering | None = None) -> None:
        self.part = part
        self.index = index  # 0-based
        self.file = file
        self.numbering = numbering or DEFAULT_NUMBERING
        self.chapters: list[ChapterRef] = []

    @property
    def record(self) -> Part:
        return self.part

    @property
    def number(self) -> str:
        """二、"""
        return number_as(self.part.numbering or self.numbering.part, self.index + 1)

    @property
    def short_number(self) -> str:
        return self.number

    @property
    def code(self) -> str:
        """The part's numeral, which starts its chapters' numbers: 二."""
        return chinese_number(self.index + 1)

    @property
    def parent(self) -> None:
        return None


class ChapterRef(_Ref):
    """A chapter in its place: 二（一）青少年科学素质提升行动. An action when its part assigns work."""

    kind = "chapter"
    __slots__ = ("chapter", "file", "index", "ordinal", "part", "run", "tasks")

    def __init__(
        self,
        chapter: Chapter,
        index: int,
        part: PartRef,
        file: str,
        ordinal: int = 0,
        first_task: int = 0,
        runs: _Runs | None = None,
    ) -> None:
        self.chapter = chapter
        self.index = index  # 0-based, within its part
        self.ordinal = ordinal  # 0-based, within the whole document
        self.part = part
        self.file = file
        runs = runs if runs is not None else _Runs(part.numbering)
        self.run = runs.next("chapter", chapter.numbering, ordinal)  # the number when numbered through
        self.tasks: list[TaskRef] = [
            TaskRef(task, i, self, first_task + i, runs.next("task", task.numbering, first_task + i))
            for i, task in enumerate(chapter.tasks)
        ]

    @property
    def record(self) -> Chapter:
        return self.chapter

    @property
    def number(self) -> str:
        """二（一）"""
        if "chapter" in self.part.numbering.run_on:
            return self.short_number
        return self.part.code + self.short_number

    @property
    def short_number(self) -> str:
        """（一）, as the document prints it."""
        style = self.part.numbering
        n = self.run if "chapter" in style.run_on else self.index
        return number_as(self.chapter.numbering or style.chapter, n + 1)

    @property
    def responsibility(self) -> Responsibility | None:
        """Who does the chapter's work: its own responsibility line, or else what its tasks' own lines
        name together (leads of any task lead; the others take part)."""
        own = self.chapter.responsibility
        if own is not None:
            return own
        lines = [t.task.responsibility for t in self.tasks if t.task.responsibility is not None]
        if not lines:
            return None
        leads = list(dict.fromkeys(name for line in lines for name in line.leads))
        participants = [n for n in dict.fromkeys(n for line in lines for n in line.participants) if n not in leads]
        collective = next((line.collective for line in lines if line.collective), None)
        return Responsibility(
            leads=leads, participants=participants, etc=any(line.etc for line in lines), collective=collective
        )

    @property
    def parent(self) -> PartRef:
        return self.part

    @property
    def is_action(self) -> bool:
        """Whether the chapter is an action or project, which needs a responsibility line."""
        return self.part.part.assigns


class TaskRef(_Ref):
    """A numbered task in its place: 二（一）3．推进高等教育阶段科学教育."""

    kind = "task"
    __slots__ = ("chapter", "index", "ordinal", "run", "task")

    def __init__(self, task: Task, index: int, chapter: ChapterRef, ordinal: int = 0, run: int | None = None) -> None:
        self.task = task
        self.index = index  # 0-based, within its chapter
        self.ordinal = ordinal  # 0-based, within the whole document
        self.run = ordinal if run is None else run  # the number when numbered through
        self.chapter = chapter

    @property
    def record(self) -> Task:
        return self.task

    @property
    def part(self) -> PartRef:
        return self.chapter.part

    @property
    def file(self) -> str:
        return self.chapter.file

    @property
    def number(self) -> str:
        """二（一）3．"""
        if "task" in self.part.numbering.run_on:
            return self.short_number
        return self.chapter.number + self.short_number

    @property
    def short_number(self) -> str:
        """3．, as the document prints it."""
        style = self.part.numbering
        n = self.run if "task" in style.run_on else self.index
        return number_as(self.task.numbering or style.task, n + 1)

    def item_number(self, index: int) -> str:
        """The number of the task's sub-item at 0-based `index`: （2）."""
        item = self.task.items[index]
        return number_as(item.numbering or self.part.numbering.item, index + 1)

    @property
    def responsibility(self) -> Responsibility | None:
        """Who does the task: its own responsibility, or else its chapter's."""
        return self.task.responsibility or self.chapter.chapter.responsibility

    @property
    def parent(self) -> ChapterRef:
        return self.chapter


Ref = PartRef | ChapterRef | TaskRef


class _Runs:
    """The counts of items numbered through the document (`Numbering.run_on`): items of run-on
    levels written in one pattern count together, so that 第{cn}条 runs on from chapters (articles
    directly under a 章) to tasks (articles under a 节)."""

    def __init__(self, numbering: Numbering) -> None:
        self.numbering = numbering
        self.counts: dict[str, int] = {}

    def next(self, level: Literal["chapter", "task"], own: str | None, ordinal: int) -> int:
        if level not in self.numbering.run_on:
            return ordinal
        pattern = own or getattr(self.numbering, level)
        n = self.counts.get(pattern, 0)
        self.counts[pattern] = n + 1
        return n


DEFAULT_NUMBERING = Numbering()


class PlanData:
    """The whole plan, assembled from its files, in document order.

    `sources` maps each file's key (its path in the plan folder without `.yaml`: "document",
    "units", "parts/actions", "chapters/youth") to its `Source`, in the order the files were read.
    """

    def __init__(self, root: Path, sources: dict[str, Source]) -> None:
        self.root = root
        self.sources = sources
        # what queries derive from the whole plan, kept for the plan's life (a run that asks for
        # 26 letters builds the task rows once): name -> value; the plan is read-only once assembled
        self.derived: dict[str, Any] = {}

    def _record(self, key: str, default: Any) -> Any:
        source = self.sources.get(key)
        return source.data if source is not None else default

    def of_kind(self, kind: str) -> list[Source]:
        """The files of one kind, in the order they were read."""
        return [s for s in self.sources.values() if s.kind == kind]

    def file_of(self, key: str) -> str:
        """The name problems show for the file with `key`."""
        source = self.sources.get(key)
        return source.file if source is not None else key

    @cached_property
    def document(self) -> DocumentFile:
        return self._record("document", None)  # type: ignore[no-any-return]

    @cached_property
    def units(self) -> UnitRegistry:
        registry: UnitsFile = self._record("units", None)
        document: DocumentFile | None = self._record("document", None)
        notice = document.notice if document is not None else None
        return UnitRegistry(
            registry.units, registry.place, notice.addressees if notice is not None else [], self._collectives
        )

    def _collectives(self) -> list[tuple[str, str]]:
        """Each collective a responsibility line names (各成员单位, 各镇街), with where: (collective, 二（一）…)."""
        found: list[tuple[str, str]] = []
        for chapter in self.iter_chapters():
            lines = [(chapter.chapter.responsibility, chapter.label)]
            lines += [(task.task.responsibility, task.label) for task in chapter.tasks]
            found += [(line.collective, label) for line, label in lines if line is not None and line.collective]
        return found

    @cached_property
    def targets(self) -> list[Target]:
        return list(self._record("targets", TargetsFile()).targets)

    @cached_property
    def milestones(self) -> list[Milestone]:
        return list(self._record("schedule", ScheduleFile()).milestones)

    @cached_property
    def settings(self) -> SettingsFile:
        return self._record("settings", SettingsFile())  # type: ignore[no-any-return]

    @cached_property
    def revisions(self) -> RevisionsFile | None:
        """The record of issued versions (revisions.yaml), if the plan keeps one."""
        return self._record("revisions", None)  # type: ignore[no-any-return]

    @property
    def title(self) -> str:
        return self.document.plan.title

    # --- the outline ------------------------------------------------------------------------

    @cached_property
    def parts(self) -> list[PartRef]:
        """The parts in document order, each with its chapters and their tasks."""
        parts = []
        chapters = tasks = 0
        numbering = self.document.plan.numbering
        runs = _Runs(numbering or DEFAULT_NUMBERING)
        for pi, pid in enumerate(self.document.plan.parts):
            part = self.sources[f"parts/{pid}"].data
            ref = PartRef(part, pi, self.file_of(f"parts/{pid}"), numbering)
            for ci, cid in enumerate(part.chapters):
                chapter = self.sources[f"chapters/{cid}"].data
                file = self.file_of(f"chapters/{cid}")
                ref.chapters.append(ChapterRef(chapter, ci, ref, file, chapters, tasks, runs))
                chapters += 1
                tasks += len(chapter.tasks)
            parts.append(ref)
        return parts

    def iter_chapters(self) -> Iterator[ChapterRef]:
        for part in self.parts:
            yield from part.chapters

    def iter_tasks(self) -> Iterator[TaskRef]:
        for chapter in self.iter_chapters():
            yield from chapter.tasks

    def actions(self) -> Iterator[ChapterRef]:
        """Chapters that are actions or projects, i.e. that carry a responsibility line."""
        return (c for c in self.iter_chapters() if c.is_action)

    @cached_property
    def _index(self) -> dict[str, Ref]:
        index: dict[str, Ref] = {}
        for part in self.parts:
            index.setdefault(part.id, part)
            for chapter in part.chapters:
                index.setdefault(chapter.id, chapter)
                for task in chapter.tasks:
                    index.setdefault(task.id, task)
        return index

    def find(self, ident: str) -> Ref | None:
        """The part, chapter or task with id `ident`, or None."""
        return self._index.get(ident)

    def chapter(self, ident: str) -> ChapterRef:
        """The chapter with id `ident` (which must exist)."""
        ref = self._index[ident]
        assert isinstance(ref, ChapterRef)
        return ref

    def outline_ids(self) -> list[str]:
        """Ids of every part, chapter and task, in document order."""
        return list(self._index)

    # --- ids --------------------------------------------------------------------------------

    def items(self) -> Iterator[tuple[str, str, Origin]]:
        """Every id-bearing item as (id, what it is, origin), duplicates included, in file order."""
        for source in self.sources.values():
            items = getattr(source.data, "items", None)
            if items is not None:
                for ident, what, path in items():
                    yield ident, what, Origin(source.file, path)

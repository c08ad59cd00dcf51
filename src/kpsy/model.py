"""The plan's shape: pydantic models for each kind of plan file, and the assembled `Plan`.

pydantic checks shape only (`extra="forbid"`, strict types). Meaning (references, coverage,
fidelity) is checked in `kpsy.check`. Numbering (一、（一）1．) is derived from order here and is
never stored in the data.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field
from pydantic_core import PydanticCustomError

ID_PATTERN = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")


def _check_id(value: str) -> str:
    if not ID_PATTERN.fullmatch(value):
        raise PydanticCustomError(
            "id_format",
            "'{value}' is not a valid id: use lower-case ASCII letters, digits and single hyphens,"
            " starting with a letter (e.g. youth-basic-education)",
            {"value": value},
        )
    return value


def _check_text(value: str) -> str:
    if value != value.strip():
        raise PydanticCustomError(
            "text_whitespace", "text must not start or end with white space: {value!r}", {"value": value}
        )
    return value


Id = Annotated[str, AfterValidator(_check_id)]
Text = Annotated[str, Field(min_length=1), AfterValidator(_check_text)]
Year = Annotated[int, Field(ge=1949, le=2100)]

UnitKind = Literal["党委部门", "政府部门", "驻区单位", "事业单位", "群团组织", "人民政府", "议事协调机构"]
# Kinds of body that lead the work as a whole rather than take on actions; the registry may hold
# them without any action assigning them.
OVERSIGHT_KINDS: frozenset[str] = frozenset({"人民政府", "议事协调机构"})

PartKind = Literal["text", "actions", "projects"]
Comparator = Literal["超过", "不低于", "达到", "不少于", "低于", "不高于", "不超过"]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


# --- document.yaml ---------------------------------------------------------------------------


class Notice(Strict):
    """The notice (印发通知) that wraps the plan."""

    issuer: Text
    title: Text
    addressees: list[Text] = Field(min_length=1)
    body: list[Text] = Field(min_length=1)
    signature: Text
    date: dt.date


class Period(Strict):
    start: Year
    end: Year


class Basis(Strict):
    """A parent document the preamble cites: 《title》（number）."""

    id: Id
    title: Text
    number: Text


class PlanHeader(Strict):
    title: Text
    period: Period
    preamble: list[Text] = Field(min_length=1)
    basis: list[Basis] = []
    parts: list[Id] = Field(min_length=1)
    source_text: str | None = None


class Imprint(Strict):
    """The 版记: who printed the document and when (印发机关, 印发日期)."""

    issuer: Text
    date: dt.date


class DocumentFile(Strict):
    notice: Notice
    plan: PlanHeader
    imprint: Imprint


# --- units.yaml ------------------------------------------------------------------------------


class Unit(Strict):
    id: Id
    name: Text
    full_name: Text | None = None
    kind: UnitKind
    aliases: list[Text] = []

    @property
    def names(self) -> list[str]:
        """Every name the unit goes by: short name, full name, aliases."""
        return [self.name, *([self.full_name] if self.full_name else []), *self.aliases]


class UnitsFile(Strict):
    units: list[Unit] = Field(min_length=1)


# --- parts/*.yaml and chapters/*.yaml ----------------------------------------------------------


class Part(Strict):
    """A part of the plan (一、总体要求). `kind: actions` or `projects` makes each chapter an action
    that needs a responsibility line."""

    id: Id
    title: Text
    kind: PartKind = "text"
    intro: list[Text] = []
    chapters: list[Id] = Field(min_length=1)

    @property
    def assigns(self) -> bool:
        return self.kind != "text"


class Task(Strict):
    """A numbered task (1．title。body)."""

    id: Id
    title: Text
    body: Text | None = None


class Responsibility(Strict):
    """「（责任分工：由A、B牵头，C、D等单位参加）」: units by their short names."""

    leads: list[Text]
    participants: list[Text] = []
    etc: bool = False


class Chapter(Strict):
    """A chapter of a part: an action, a project, or a section such as 指导思想."""

    id: Id
    title: Text
    body: Text | None = None
    paragraphs: list[Text] = []
    tasks: list[Task] = []
    responsibility: Responsibility | None = None


# --- targets.yaml and schedule.yaml ------------------------------------------------------------


class SourceRef(Strict):
    """Where the text states something: the id of a part, chapter or task, and the words there."""

    ref: Id
    quote: Text


class Target(Strict):
    id: Id
    indicator: Text
    comparator: Comparator
    value: float
    unit: str = ""
    year: Year | None = None
    source: SourceRef

    @property
    def statement(self) -> str:
        """The target as the document words it: 超过15%."""
        value = int(self.value) if self.value == int(self.value) else self.value
        return f"{self.comparator}{value}{self.unit}"


class TargetsFile(Strict):
    targets: list[Target] = []


class Milestone(Strict):
    id: Id
    title: Text
    period: Period
    source: SourceRef


class ScheduleFile(Strict):
    milestones: list[Milestone] = []


# --- the assembled plan -----------------------------------------------------------------------

CN_DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 -> 一, 10 -> 十, 12 -> 十二, 20 -> 二十, 99 -> 九十九 (the document's numbering)."""
    if not 0 < n < 100:
        raise ValueError(f"cannot number {n} in Chinese numerals")
    tens, ones = divmod(n, 10)
    if tens == 0:
        return CN_DIGITS[ones]
    return ("" if tens == 1 else CN_DIGITS[tens]) + "十" + (CN_DIGITS[ones] if ones else "")


def chinese_date(day: dt.date) -> str:
    """2023-04-06 -> 2023年4月6日 (GB/T 9704: no leading zeros)."""
    return f"{day.year}年{day.month}月{day.day}日"


def part_number(index: int) -> str:
    return f"{chinese_number(index + 1)}、"


def chapter_number(index: int) -> str:
    return f"（{chinese_number(index + 1)}）"


def task_number(index: int) -> str:
    return f"{index + 1}．"


def heading(number: str, title: str, body: str | None) -> str:
    """A numbered paragraph: the title sentence, then the body after 「。」 when there is one."""
    return f"{number}{title}。{body}" if body else f"{number}{title}"


@dataclass(frozen=True, slots=True)
class Origin:
    """Where an item of the plan is written: a file and the path inside its data."""

    file: str
    path: tuple[str | int, ...] = ()


@dataclass(frozen=True, slots=True)
class TaskRef:
    """A task in its place: its part, chapter and 1-based numbers."""

    part: Part
    part_index: int
    chapter: Chapter
    chapter_index: int
    task: Task
    task_index: int

    @property
    def number(self) -> str:
        """The full number as the document shows it: 二（一）3．."""
        return chinese_number(self.part_index + 1) + chapter_number(self.chapter_index) + task_number(self.task_index)


@dataclass
class Plan:
    """The whole plan, assembled from its files, in document order.

    `files` maps each logical file ("document", "units", "targets", "schedule", "parts/<id>",
    "chapters/<id>") to the name problems should show for it.
    """

    root: Path
    document: DocumentFile
    units: list[Unit]
    parts: list[Part]
    chapters: dict[str, Chapter]
    targets: list[Target]
    milestones: list[Milestone]
    files: dict[str, str] = field(default_factory=dict)

    def iter_chapters(self) -> Iterator[tuple[int, Part, int, Chapter]]:
        for pi, part in enumerate(self.parts):
            for ci, chapter_id in enumerate(part.chapters):
                yield pi, part, ci, self.chapters[chapter_id]

    def iter_tasks(self) -> Iterator[TaskRef]:
        for pi, part, ci, chapter in self.iter_chapters():
            for ti, task in enumerate(chapter.tasks):
                yield TaskRef(part, pi, chapter, ci, task, ti)

    def actions(self) -> Iterator[tuple[int, Part, int, Chapter]]:
        """Chapters that are actions or projects, i.e. that carry a responsibility line."""
        for item in self.iter_chapters():
            if item[1].assigns:
                yield item

    def unit_order(self) -> dict[str, int]:
        """Short name -> position in the registry's protocol order."""
        return {unit.name: i for i, unit in enumerate(self.units)}

    def file_of(self, key: str) -> str:
        return self.files.get(key, key)

    def items(self) -> Iterator[tuple[str, str, Origin]]:
        """Every id-bearing item as (id, kind, origin), duplicates included, in file order."""
        doc = self.file_of("document")
        for i, basis in enumerate(self.document.plan.basis):
            yield basis.id, "basis", Origin(doc, ("plan", "basis", i))
        for part in self.parts:
            yield part.id, "part", Origin(self.file_of(f"parts/{part.id}"), ("id",))
        for _, _, _, chapter in self.iter_chapters():
            file = self.file_of(f"chapters/{chapter.id}")
            yield chapter.id, "chapter", Origin(file, ("id",))
            for i, task in enumerate(chapter.tasks):
                yield task.id, "task", Origin(file, ("tasks", i, "id"))
        registers: list[tuple[str, str, str, Sequence[Unit | Target | Milestone]]] = [
            ("units", "units", "unit", self.units),
            ("targets", "targets", "target", self.targets),
            ("schedule", "milestones", "milestone", self.milestones),
        ]
        for key, name, kind, items in registers:
            for i, item in enumerate(items):
                yield item.id, kind, Origin(self.file_of(key), (name, i, "id"))

    @functools.cached_property
    def origins(self) -> dict[str, Origin]:
        """Id -> where it is defined (the first definition, when an id is duplicated)."""
        found: dict[str, Origin] = {}
        for ident, _, origin in self.items():
            found.setdefault(ident, origin)
        return found

"""The plan's shape: pydantic models for each kind of plan file, and the assembled `Plan`.

pydantic checks shape only (`extra="forbid"`, strict types). Meaning (references, coverage,
fidelity) is checked in `kpsy.check`. Numbering (一、（一）1．) is derived from order here and is
never stored in the data.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, Literal, TypeVar

T = TypeVar("T")

ID_PATTERN = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")

# The plan's classes are frozen dataclasses. pydantic validates them (see kpsy.load) through the
# hooks of the markers below, which import pydantic only when a validator is built: a command that
# reads a cached plan never imports pydantic.


def unusual_characters(text: str) -> list[str]:
    """Invisible, control, space and full-width look-alike characters in `text`, described:
    ["U+200B (ZERO WIDTH SPACE)"]."""
    import unicodedata

    odd = [c for c in text if unicodedata.category(c) in ("Cf", "Cc", "Zs") or unicodedata.normalize("NFKC", c) != c]
    return [f"U+{ord(c):04X} ({unicodedata.name(c, 'unnamed')})" for c in dict.fromkeys(odd)]


def _custom_error(kind: str, message: str, value: str, chars: str = "") -> Exception:
    from pydantic_core import PydanticCustomError

    return PydanticCustomError(kind, message, {"value": value, "chars": chars})


class _Strict:
    """No coercion: "15" is not a number and "yes" is not a boolean."""

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: Any) -> Any:
        schema = handler(source)
        schema["strict"] = True
        return schema


class _IdCheck:
    """An id: lower-case ASCII letters, digits and single hyphens, starting with a letter."""

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: Any) -> Any:
        from pydantic_core import core_schema

        def check(value: str) -> str:
            if not ID_PATTERN.fullmatch(value):
                odd = unusual_characters(value)
                note = f" (it contains {', '.join(odd)})" if odd else ""
                raise _custom_error(
                    "id_format",
                    "'{value}' is not a valid id" + note.replace("{", "{{").replace("}", "}}") + ": use lower-case"
                    " ASCII letters, digits and single hyphens, starting with a letter (e.g. youth-basic-education)",
                    value,
                )
            return value

        return core_schema.no_info_after_validator_function(check, core_schema.str_schema(strict=True))

    @classmethod
    def __get_pydantic_json_schema__(cls, schema: Any, handler: Any) -> Any:
        result = handler(schema)
        result["pattern"] = f"^{ID_PATTERN.pattern}$"
        return result


class _TextCheck:
    """Text from the document: not empty, no surrounding white space."""

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: Any) -> Any:
        from pydantic_core import core_schema

        def check(value: str) -> str:
            if value != value.strip():
                ends = value[: len(value) - len(value.lstrip())] + value[len(value.rstrip()) :]
                odd = ", ".join(unusual_characters(ends)) or "spaces"
                raise _custom_error(
                    "text_whitespace", "text must not start or end with white space ({chars}): '{value}'", value, odd
                )
            return value

        return core_schema.no_info_after_validator_function(check, core_schema.str_schema(strict=True, min_length=1))

    @classmethod
    def __get_pydantic_json_schema__(cls, schema: Any, handler: Any) -> Any:
        result = handler(schema)
        result["minLength"] = 1
        return result


class _YearCheck:
    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: Any) -> Any:
        from pydantic_core import core_schema

        return core_schema.int_schema(strict=True, ge=1949, le=2100)


class _NonEmpty:
    """A list with at least one item."""

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: Any) -> Any:
        schema = handler(source)
        schema["min_length"] = 1
        return schema


Id = Annotated[str, _IdCheck]
Text = Annotated[str, _TextCheck]
Year = Annotated[int, _YearCheck]
Bool = Annotated[bool, _Strict]
Number = Annotated[float, _Strict]
Date = Annotated[dt.date, _Strict]

UnitKind = Literal["党委部门", "政府部门", "驻区单位", "事业单位", "群团组织", "人民政府", "议事协调机构"]
# Kinds of body that lead the work as a whole rather than take on actions; the registry may hold
# them without any action assigning them.
OVERSIGHT_KINDS: frozenset[str] = frozenset({"人民政府", "议事协调机构"})

PartKind = Literal["text", "actions", "projects"]
Comparator = Literal["超过", "不低于", "达到", "不少于", "低于", "不高于", "不超过"]

# extra="forbid": an unknown field is an error, not silently dropped.
CONFIG = {"extra": "forbid"}


def record(cls: type[T]) -> type[T]:
    """A plan record: a dataclass (treated as read-only) that pydantic validates, unknown fields forbidden."""
    cls.__pydantic_config__ = CONFIG  # type: ignore[attr-defined]
    return dataclass(kw_only=True)(cls)


# --- document.yaml ---------------------------------------------------------------------------


@record
class Notice:
    """The notice (印发通知) that wraps the plan."""

    issuer: Text
    title: Text
    addressees: Annotated[list[Text], _NonEmpty]
    body: Annotated[list[Text], _NonEmpty]
    signature: Text
    date: Date


@record
class Period:
    start: Year
    end: Year


@record
class Basis:
    """A parent document the preamble cites: 《title》（number）."""

    id: Id
    title: Text
    number: Text


@record
class PlanHeader:
    title: Text
    period: Period
    preamble: Annotated[list[Text], _NonEmpty]
    basis: list[Basis] = field(default_factory=list)
    parts: Annotated[list[Id], _NonEmpty]
    source_text: str | None = None


@record
class Imprint:
    """The 版记: who printed the document and when (印发机关, 印发日期)."""

    issuer: Text
    date: Date


@record
class DocumentFile:
    notice: Notice
    plan: PlanHeader
    imprint: Imprint


# --- units.yaml ------------------------------------------------------------------------------


@record
class Unit:
    id: Id
    name: Text
    full_name: Text | None = None
    kind: UnitKind
    aliases: list[Text] = field(default_factory=list)

    @property
    def names(self) -> list[str]:
        """Every name the unit goes by: short name, full name, aliases."""
        return [self.name, *([self.full_name] if self.full_name else []), *self.aliases]


@record
class UnitsFile:
    units: Annotated[list[Unit], _NonEmpty]


# --- parts/*.yaml and chapters/*.yaml ----------------------------------------------------------


@record
class Part:
    """A part of the plan (一、总体要求). `kind: actions` or `projects` makes each chapter an action
    that needs a responsibility line."""

    id: Id
    title: Text
    kind: PartKind = "text"
    intro: list[Text] = field(default_factory=list)
    chapters: Annotated[list[Id], _NonEmpty]

    @property
    def assigns(self) -> bool:
        return self.kind != "text"


@record
class Task:
    """A numbered task (1．title。body)."""

    id: Id
    title: Text
    body: Text | None = None


@record
class Responsibility:
    """「（责任分工：由A、B牵头，C、D等单位参加）」: units by their short names."""

    leads: list[Text]
    participants: list[Text] = field(default_factory=list)
    etc: Bool = False


@record
class Chapter:
    """A chapter of a part: an action, a project, or a section such as 指导思想."""

    id: Id
    title: Text
    body: Text | None = None
    paragraphs: list[Text] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)
    responsibility: Responsibility | None = None


# --- targets.yaml and schedule.yaml ------------------------------------------------------------


@record
class SourceRef:
    """Where the text states something: the id of a part, chapter or task, and the words there."""

    ref: Id
    quote: Text


@record
class Target:
    id: Id
    indicator: Text
    comparator: Comparator
    value: Number
    unit: str = ""
    year: Year | None = None
    source: SourceRef

    @property
    def statement(self) -> str:
        """The target as the document words it: 超过15%."""
        value = int(self.value) if self.value == int(self.value) else self.value
        return f"{self.comparator}{value}{self.unit}"


@record
class TargetsFile:
    targets: list[Target] = field(default_factory=list)


@record
class Milestone:
    id: Id
    title: Text
    period: Period
    source: SourceRef


@record
class ScheduleFile:
    milestones: list[Milestone] = field(default_factory=list)


# --- settings.yaml ---------------------------------------------------------------------------


@record
class LetterSettings:
    """What the task letters (交办函) say beyond the plan: who sends them, when, and what is asked."""

    title: Text
    sender: Text
    date: Date | None = None
    opening: Text | None = None
    reporting: list[Text] = field(default_factory=list)
    contact: Text | None = None


@record
class SettingsFile:
    letter: LetterSettings | None = None


# --- the assembled plan -----------------------------------------------------------------------

CN_DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 -> 一, 10 -> 十, 12 -> 十二, 20 -> 二十, 101 -> 一百零一, 110 -> 一百一十 (the document's numbering)."""
    if not 0 < n < 10000:
        raise ValueError(f"cannot number {n} in Chinese numerals")
    if n < 100:
        tens, ones = divmod(n, 10)
        if tens == 0:
            return CN_DIGITS[ones]
        return ("" if tens == 1 else CN_DIGITS[tens]) + "十" + (CN_DIGITS[ones] if ones else "")
    out, pending_zero = "", False
    for digit, unit in zip((n // 1000, n // 100 % 10, n // 10 % 10, n % 10), ("千", "百", "十", ""), strict=True):
        if digit == 0:
            pending_zero = bool(out)
            continue
        out += ("零" if pending_zero else "") + CN_DIGITS[digit] + unit
        pending_zero = False
    return out


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
    settings: SettingsFile = field(default_factory=SettingsFile)

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

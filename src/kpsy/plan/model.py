"""The plan's shape: one record class for each kind of plan file and for what it holds.

pydantic checks shape only (`extra="forbid"`, strict types). Meaning (references, coverage,
fidelity) is checked in `kpsy.checks`. Numbering (一、（一）1．) is never stored in the data: it is
derived from order (`kpsy.plan.outline`).

Each field's docstring (the string under it) is its documentation: the JSON Schemas' descriptions,
what an editor shows on hover, and the README's data dictionary are all made from it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import field
from typing import Annotated, Any, Literal, TypeVar

from kpsy.light import dataclass_transform, light

T = TypeVar("T")

ID_PATTERN = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")

# The plan's classes are dataclasses that pydantic validates (see kpsy.plan.validators) through the
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


def _literal(text: str) -> str:
    """`text` inside an error template, where braces are placeholders."""
    return text.replace("{", "{{").replace("}", "}}")


def check_id(value: str) -> str:
    """An id: lower-case ASCII letters, digits and single hyphens, starting with a letter."""
    if not ID_PATTERN.fullmatch(value):
        from kpsy.i18n import msg

        odd = unusual_characters(value)
        raise _custom_error(
            "id_format",
            msg(
                "'{{value}}' is not a valid id{note}: use lower-case ASCII letters, digits and single hyphens,"
                " starting with a letter (e.g. youth-basic-education)",
                "“{{value}}”不是有效的 id{note}：请用小写英文字母、数字和单个连字符，以字母开头（例如 youth-basic-education）",
                note=_literal(f" ({', '.join(odd)})") if odd else "",
            ),
            value,
        )
    return value


def check_note(value: str) -> str:
    """Text a person wrote (a progress report's 进展情况): line breaks and tabs kept, no white space
    around it."""
    from kpsy.i18n import msg

    if value != value.strip():
        ends = value[: len(value) - len(value.lstrip())] + value[len(value.rstrip()) :]
        odd = ", ".join(unusual_characters(ends)) or "spaces"
        raise _custom_error(
            "text_whitespace",
            msg(
                "text must not start or end with white space ({{chars}}): '{{value}}'",
                "文字的开头和结尾不能有空白（{{chars}}）：“{{value}}”",
            ),
            value,
            odd,
        )
    return value


def check_text(value: str) -> str:
    """Text from the document: one paragraph, with no white space around it and no line break in it."""
    from kpsy.i18n import msg

    check_note(value)
    if "\n" in value or "\t" in value:
        raise _custom_error(
            "text_break",
            msg(
                "text is one paragraph of the document: it must not hold a line break or a tab: '{{value}}'",
                "文字是文件中的一个段落，不能包含换行或制表符：“{{value}}”",
            ),
            value,
        )
    return value


class _Strict:
    """No coercion: "15" is not a number and "yes" is not a boolean."""

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: Any) -> Any:
        schema = handler(source)
        schema["strict"] = True
        return schema


class _IdCheck:
    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: Any) -> Any:
        from pydantic_core import core_schema

        return core_schema.no_info_after_validator_function(check_id, core_schema.str_schema(strict=True))

    @classmethod
    def __get_pydantic_json_schema__(cls, schema: Any, handler: Any) -> Any:
        result = handler(schema)
        result["pattern"] = f"^{ID_PATTERN.pattern}$"
        return result


class _TextCheck:
    """Text from the document (`check_text`); a subclass names another check."""

    check: Any = staticmethod(check_text)

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: Any) -> Any:
        from pydantic_core import core_schema

        return core_schema.no_info_after_validator_function(
            cls.check, core_schema.str_schema(strict=True, min_length=1)
        )

    @classmethod
    def __get_pydantic_json_schema__(cls, schema: Any, handler: Any) -> Any:
        result = handler(schema)
        result["minLength"] = 1
        return result


class _NoteCheck(_TextCheck):
    """Text a person wrote (`check_note`): line breaks and tabs kept."""

    check = staticmethod(check_note)


class _Finite:
    """A number, strictly (no "15"), and finite: no .inf, no .nan (1e999 is .inf)."""

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: Any) -> Any:
        from pydantic_core import core_schema

        return core_schema.float_schema(strict=True, allow_inf_nan=False)


MONTH_PATTERN = re.compile(r"(\d{4})-(0[1-9]|1[0-2])")


def check_day_or_month(value: Any) -> dt.date | str:
    """A day (YYYY-MM-DD, read by YAML as a date) or a month (YYYY-MM, text)."""
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str) and MONTH_PATTERN.fullmatch(value):
        return value
    from kpsy.i18n import msg

    text = msg(
        "expected a date (YYYY-MM-DD) or a month (YYYY-MM), found {v}",
        "应为日期（YYYY-MM-DD）或月份（YYYY-MM），实为 {v}",
        v=repr(value) if not isinstance(value, str) else value,
    )
    raise _custom_error("day_or_month", _literal(text), str(value))


def day_of(value: dt.date | str) -> dt.date:
    """The day a date or a month (its last day) stands for."""
    if isinstance(value, dt.date):
        return value
    import calendar

    year, month = int(value[:4]), int(value[5:7])
    return dt.date(year, month, calendar.monthrange(year, month)[1])


class _DayOrMonthCheck:
    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: Any) -> Any:
        from pydantic_core import core_schema

        return core_schema.no_info_plain_validator_function(check_day_or_month)

    @classmethod
    def __get_pydantic_json_schema__(cls, schema: Any, handler: Any) -> Any:
        return {"type": "string", "pattern": r"^\d{4}-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?$"}


class _YearCheck:
    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: Any) -> Any:
        from pydantic_core import core_schema

        return core_schema.int_schema(strict=True, ge=1949, le=2100)


def check_period(value: Any) -> str:
    """A reporting period: a year (2024, written with or without quotes), a quarter (2024Q3) or a
    month (2024-05); read as text."""
    from kpsy.i18n import msg
    from kpsy.plan.periods import parse_period

    if isinstance(value, bool) or not isinstance(value, int | str):
        text = msg(
            "expected a period (2024, 2024Q3 or 2024-05), found {v}",
            "应为期间（2024、2024Q3 或 2024-05），实为 {v}",
            v=repr(value),
        )
        raise _custom_error("period_type", _literal(text), repr(value))
    period = parse_period(value)
    if period is None:
        text = msg(
            "'{v}' is not a period: write a year (2024), a quarter (2024Q3) or a month (2024-05)",
            "“{v}”不是期间：请写年度（2024）、季度（2024Q3）或月份（2024-05）",
            v=value,
        )
        raise _custom_error("period_format", _literal(text), str(value))
    return period.text


class _PeriodCheck:
    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: Any) -> Any:
        from pydantic_core import core_schema

        return core_schema.no_info_plain_validator_function(check_period)

    @classmethod
    def __get_pydantic_json_schema__(cls, schema: Any, handler: Any) -> Any:
        from kpsy.plan.periods import PERIOD_PATTERN

        return {
            "type": ["string", "integer"],
            "pattern": f"^{PERIOD_PATTERN.pattern}$",
            "minimum": 1949,
            "maximum": 2100,
        }


class _PercentCheck:
    """A share in per cent: a number from 0 to 100."""

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: Any) -> Any:
        from pydantic_core import core_schema

        return core_schema.float_schema(strict=True, ge=0, le=100, allow_inf_nan=False)


class _SerialCheck:
    """A document's serial number (the 序号 of a 发文字号): 1 or more, no leading zeros."""

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: Any) -> Any:
        from pydantic_core import core_schema

        return core_schema.int_schema(strict=True, ge=1, le=99999)


def check_month_day(value: Any) -> str:
    """A day of the year, MM-DD (12-10: 12月10日), as a deadline that comes back every year."""
    from kpsy.i18n import msg

    if isinstance(value, str) and re.fullmatch(r"(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])", value):
        try:
            dt.date(2000, int(value[:2]), int(value[3:]))  # a leap year: 02-29 is a day of some years
            return value
        except ValueError:
            pass
    text = msg(
        "expected a day of the year as MM-DD (12-10), found {v}",
        "应为每年的月日，写作 MM-DD（如 12-10 即12月10日），实为 {v}",
        v=repr(value) if not isinstance(value, str) else value,
    )
    raise _custom_error("month_day", _literal(text), str(value))


class _MonthDayCheck:
    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: Any) -> Any:
        from pydantic_core import core_schema

        return core_schema.no_info_plain_validator_function(check_month_day)

    @classmethod
    def __get_pydantic_json_schema__(cls, schema: Any, handler: Any) -> Any:
        return {"type": "string", "pattern": r"^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$"}


class _DaysCheck:
    """A count of days: 0 to 366."""

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: Any) -> Any:
        from pydantic_core import core_schema

        return core_schema.int_schema(strict=True, ge=0, le=366)


class _NonEmpty:
    """A list with at least one item."""

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: Any) -> Any:
        schema = handler(source)
        schema["min_length"] = 1
        return schema


Id = Annotated[str, _IdCheck]
Text = Annotated[str, _TextCheck]
Note = Annotated[str, _NoteCheck]
Year = Annotated[int, _YearCheck]
Bool = Annotated[bool, _Strict]
Number = Annotated[float, _Finite]
Date = Annotated[dt.date, _Strict]
PeriodText = Annotated[str, _PeriodCheck]
DayOrMonth = Annotated[dt.date | str, _DayOrMonthCheck]
Percent = Annotated[float, _PercentCheck]
Serial = Annotated[int, _SerialCheck]
MonthDay = Annotated[str, _MonthDayCheck]
Days = Annotated[int, _DaysCheck]

UnitKind = Literal["党委部门", "政府部门", "驻区单位", "事业单位", "群团组织", "人民政府", "议事协调机构"]
# Kinds of body that lead the work as a whole rather than take on actions; the registry may hold
# them without any action assigning them.
OVERSIGHT_KINDS: frozenset[str] = frozenset({"人民政府", "议事协调机构"})

PartKind = Literal["text", "actions", "projects"]
Comparator = Literal["超过", "不低于", "达到", "不少于", "低于", "不高于", "不超过"]
# 完成状态 as 督查 sorts tasks: done, ahead of schedule, on schedule (按序时), behind (慢序时), not
# started, other. The office's own words are the data; JSON output uses the English keys of
# kpsy.queries.progress.STATUS_KEYS.
# GB/T 9704-2012's two layouts of a document's first page: §7.2 (文件格式) and §10.1 (信函格式).
HeadFormat = Literal["文件格式", "信函格式"]
Status = Literal["已完成", "超进度", "达进度", "欠进度", "未启动", "其他"]
STATUSES: tuple[str, ...] = ("已完成", "超进度", "达进度", "欠进度", "未启动", "其他")

# extra="forbid": an unknown field is an error, not silently dropped.
CONFIG = {"extra": "forbid", "use_attribute_docstrings": True}


@dataclass_transform(kw_only_default=True, field_specifiers=(field,))
def record(cls: type[T]) -> type[T]:
    """A plan record: a dataclass (treated as read-only) that pydantic validates, unknown fields forbidden."""
    cls.__pydantic_config__ = CONFIG  # type: ignore[attr-defined]
    return light(kw_only=True)(cls)


DocPath = tuple[str | int, ...]
Item = tuple[str, str, DocPath]  # (id, what it is, where in its file)


# --- document.yaml ---------------------------------------------------------------------------


@record
class Notice:
    """The notice (印发通知) that wraps the plan."""

    issuer: Text | None = None
    """发文机关 as printed at the top (江城市青山县人民政府办公室); optional, as some copies leave it out."""
    number: Text | None = None
    """Optional: 发文字号 (青政办发〔2022〕5号), printed under the issuer."""
    title: Text
    """The notice's title: 关于印发《…》的通知."""
    addressees: list[Text] = field(default_factory=list)
    """主送机关, a list; printed joined by 「，」 and closed by 「：」 (none: no such line)."""
    body: Annotated[list[Text], _NonEmpty]
    """The notice's paragraphs."""
    signature: Text | None = None
    """署名; optional."""
    date: Date | None = None
    """成文日期, YYYY-MM-DD; printed 2023年4月6日; optional."""


@record
class Period:
    """A span of years."""

    start: Year
    """The first year."""
    end: Year
    """The last year (the same as `start` for a single year)."""


@record
class Basis:
    """A parent document the preamble cites: 《title》（number）."""

    id: Id
    """Stable ASCII id (national-outline)."""
    title: Text
    """The document's title, as cited between 《》."""
    number: Text
    """Its 文号 (国发〔2021〕9号)."""


@record
class Numbering:
    """How the document writes its numbers, level by level. Each is a pattern in which {cn} stands
    for the Chinese numeral (一), {n} for the Arabic one (1) and {circled} for ① (up to ⑳); what
    follows the number (a space, 「、」) belongs to the pattern."""

    part: str = "{cn}、"
    """Parts: {cn}、 (一、), 第{cn}章 , 第{cn}部分 ."""
    chapter: str = "（{cn}）"
    """Chapters: （{cn}） (（一）), ({cn}), 第{cn}条 ."""
    task: str = "{n}．"
    """Tasks: {n}． (1．, full-width dot), {n}. (half-width), {n}、, （{n}）."""
    item: str = "（{n}）"
    """Sub-items of a task: （{n}）, ({n}), {circled}."""
    run_on: list[Literal["chapter", "task"]] = field(default_factory=list)
    """Levels numbered through the whole document instead of from one within their parent (第一条 … 第三十条); items of these levels written in the same pattern count together (第{cn}条 for chapters directly under a 章 and for tasks under a 节)."""


@record
class PlanHeader:
    """The plan itself: title, period, preamble, the documents it rests on, and its parts."""

    title: Text
    """The plan's title."""
    period: Period
    """The years the plan covers (2021 to 2025)."""
    preamble: list[Text] = field(default_factory=list)
    """The paragraphs before 一、."""
    basis: list[Basis] = field(default_factory=list)
    """The parent documents the preamble cites; each must appear there as 《title》（number）."""
    parts: Annotated[list[Id], _NonEmpty]
    """Part ids, in document order; each names a file parts/<id>.yaml."""
    source_text: str | None = None
    """Optional: the original text, relative to the plan folder; when set (and there is no revisions.yaml), `kpsy validate` checks that the data reproduces it. With revisions.yaml each issued version names its own text there, and this stays as provenance."""
    numbering: Numbering | None = None
    """Optional: how the document writes its numbers, when not 一、 （一） 1． （1）."""


@record
class Imprint:
    """The 版记: who printed the document and when (印发机关, 印发日期)."""

    issuer: Text
    """印发机关."""
    date: Date
    """印发日期, YYYY-MM-DD."""


@record
class DocumentFile:
    """document.yaml: the notice, the plan's title, period, preamble, basis documents, the order of the parts, and the 版记."""

    notice: Notice | None = None
    """The notice (印发通知) that wraps the plan; optional, for a plan issued without one."""
    plan: PlanHeader
    """The plan: title, period, preamble, basis documents and parts."""
    imprint: Imprint | None = None
    """The 版记 at the end; optional."""

    def items(self) -> Iterator[Item]:
        for i, basis in enumerate(self.plan.basis):
            yield basis.id, "basis", ("plan", "basis", i, "id")


# --- units.yaml ------------------------------------------------------------------------------


@record
class Unit:
    """A unit (单位) of the registry."""

    id: Id
    """Stable ASCII id (education)."""
    name: Text
    """The short name exactly as the document writes it (县教育局); responsibility lines use it."""
    full_name: Text | None = None
    """Optional full name (江城市青山县教育局)."""
    kind: UnitKind
    """党委部门, 政府部门, 驻区单位, 事业单位, 群团组织, 人民政府 or 议事协调机构; the last two oversee the work and are not expected in responsibility lines."""
    aliases: list[Text] = field(default_factory=list)
    """Other names people use (教育局)."""

    @property
    def names(self) -> list[str]:
        """Every name the unit goes by: short name, full name, aliases."""
        return [self.name, *([self.full_name] if self.full_name else []), *self.aliases]


@record
class Place:
    """How unit names abbreviate the place the plan is for: 县教育局 is 青山县教育局 and 江城市青山县教育局."""

    short: Text
    """The abbreviation that starts short names (县, 区)."""
    names: Annotated[list[Text], _NonEmpty]
    """The place's names that the abbreviation stands for, shortest first (青山县, 江城市青山县)."""


@record
class UnitsFile:
    """units.yaml: the unit registry, in the document's protocol order."""

    units: Annotated[list[Unit], _NonEmpty]
    """The units, in protocol order (党委部门, 政府部门, 驻区单位, 群团组织, then other bodies the text names); every listing follows it."""
    place: Place | None = None
    """Optional: how unit names abbreviate the place, so that a unit is found by any form of its name."""

    def items(self) -> Iterator[Item]:
        for i, unit in enumerate(self.units):
            yield unit.id, "unit", ("units", i, "id")


# --- parts/*.yaml and chapters/*.yaml ----------------------------------------------------------


@record
class Part:
    """parts/<id>.yaml: one part of the plan (一、总体要求), listing its chapters in order."""

    id: Id
    """Stable ASCII id; the file's name."""
    title: Text
    """The part's title (提升行动, printed 二、提升行动)."""
    kind: PartKind = "text"
    """text (the default), actions or projects: in the last two every chapter is an action and needs a responsibility line with a lead."""
    body: Text | None = None
    """Text that follows the title in the same paragraph, after 「。」."""
    intro: list[Text] = field(default_factory=list)
    """Paragraphs between the part's heading and its first chapter."""
    chapters: list[Id] = field(default_factory=list)
    """Chapter ids, in order; each names a file chapters/<id>.yaml (none: a part of paragraphs only)."""
    numbering: str | None = None
    """Optional: how this part's number is written, where it departs from the plan's numbering."""

    @property
    def assigns(self) -> bool:
        return self.kind != "text"

    def items(self) -> Iterator[Item]:
        yield self.id, "part", ("id",)


@record
class Responsibility:
    """「（责任分工：由A、B牵头，C、D等单位参加）」: units by their short names."""

    leads: list[Text]
    """Lead units (牵头), by short name, in the document's order."""
    participants: list[Text] = field(default_factory=list)
    """Participating units (参加), by short name, in the document's order."""
    etc: Bool = False
    """true when the line ends in 「等单位参加」."""
    collective: Text | None = None
    """Optional: a body named instead of, or besides, units (各成员单位): every unit that oversees no work takes part."""
    form: str | None = None
    """Optional: how the document words the line, when not 「（责任分工：由…牵头，…等单位参加）」. {leads} and {participants} stand for the units joined by 「、」 ({leads/，} by 「，」, {leads/、/和} with 「和」 before the last), {etc} for 「等」 when `etc` is true, {collective} for the collective; a line break starts a new paragraph."""
    placement: Literal["after", "before", "inline", "closing"] = "after"
    """Where the wording stands: after (the default), in paragraphs of its own after everything the item holds; before, in paragraphs of its own before the item's tasks or sub-items; inline, at the end of the item's own last paragraph (before its tasks or sub-items); closing, at the end of the last paragraph of all."""
    written: dict[Text, Text] = field(default_factory=dict)
    """Optional: how the line writes a unit where it does not use the short name (县卫生健康局 for 县卫健局), by short name."""
    in_text: Bool = True
    """false when the responsibility comes from a separate 任务分工方案 table and is not part of the plan's text."""
    due: Text | None = None
    """Optional: the time limit (完成时限) a 任务分工方案 gives (2025年底前, 长期坚持)."""


@record
class SubItem:
    """A numbered sub-item of a task ((1)title。body), with any unnumbered paragraphs after it."""

    title: Text
    """The title sentence, without its 「。」 (the whole paragraph when it has no 「。」 before its end)."""
    body: Text | None = None
    """The rest of the paragraph after the title's 「。」."""
    paragraphs: list[Text] = field(default_factory=list)
    """Unnumbered paragraphs that follow it."""
    numbering: str | None = None
    """Optional: how its number is written, where it departs from the plan's numbering."""


@record
class Task:
    """A numbered task (1．title。body)."""

    id: Id
    """Stable ASCII id (youth-basic-education)."""
    title: Text
    """The title sentence, without its 「。」."""
    body: Text | None = None
    """The rest of the paragraph after the title's 「。」."""
    paragraphs: list[Text] = field(default_factory=list)
    """Unnumbered paragraphs that follow the task's own paragraph."""
    items: list[SubItem] = field(default_factory=list)
    """Numbered sub-items ((1), ①), in order."""
    responsibility: Responsibility | None = None
    """Optional: the task's own responsibility (a label line, a trailing 「（责任单位：…）」, a row of a 任务分工方案); without it, the chapter's."""
    numbering: str | None = None
    """Optional: how this task's number is written, where it departs from the plan's numbering."""


@record
class Chapter:
    """chapters/<id>.yaml: one chapter, an action, a project, or a section such as 指导思想."""

    id: Id
    """Stable ASCII id; the file's name."""
    title: Text
    """The chapter's title (青少年科学素质提升行动, printed （一）青少年科学素质提升行动)."""
    body: Text | None = None
    """Text that follows the title in the same paragraph, after 「。」."""
    paragraphs: list[Text] = field(default_factory=list)
    """Further unnumbered paragraphs."""
    tasks: list[Task] = field(default_factory=list)
    """Numbered tasks, in order."""
    responsibility: Responsibility | None = None
    """The 责任分工 line that closes an action."""
    numbering: str | None = None
    """Optional: how this chapter's number is written, where it departs from the plan's numbering."""

    def items(self) -> Iterator[Item]:
        yield self.id, "chapter", ("id",)
        for i, task in enumerate(self.tasks):
            yield task.id, "task", ("tasks", i, "id")


# --- targets.yaml and schedule.yaml ------------------------------------------------------------


@record
class SourceRef:
    """Where the text states something: the id of a part, chapter or task, and the words there."""

    ref: Id
    """The id of the part, chapter or task whose text states it."""
    quote: Text
    """The words there (checked)."""


@record
class Baseline:
    """Where an indicator stood when the plan began (基线)."""

    value: Number
    """The value (8.2)."""
    year: Year
    """The year it was measured."""
    source: Text
    """Where the figure comes from (第十一次中国公民科学素质抽样调查)."""


@record
class Target:
    """A numeric target (公民具备科学素质的比例超过15%)."""

    id: Id
    """Stable ASCII id."""
    indicator: Text
    """What is measured (公民具备科学素质的比例)."""
    comparator: Comparator
    """超过, 不低于, 达到, 不少于, 低于, 不高于 or 不超过."""
    value: Number
    """The number (15)."""
    unit: str = ""
    """Its unit of measure (%)."""
    year: Year | None = None
    """Optional: the year it is due; without it, by the end of the plan period."""
    source: SourceRef
    """Where the text states it."""
    baseline: Baseline | None = None
    """Optional: the indicator's value when the plan began (基线), its year and source; measured values come in progress reports."""

    @property
    def statement(self) -> str:
        """The target as the document words it: 超过15%."""
        value = int(self.value) if self.value == int(self.value) else self.value
        return f"{self.comparator}{value}{self.unit}"


@record
class TargetsFile:
    """targets.yaml: the plan's numeric targets."""

    targets: list[Target] = field(default_factory=list)
    """The targets."""

    def items(self) -> Iterator[Item]:
        for i, target in enumerate(self.targets):
            yield target.id, "target", ("targets", i, "id")


@record
class Milestone:
    """A milestone of the schedule (进度安排)."""

    id: Id
    """Stable ASCII id."""
    title: Text
    """A short label for tables and letters."""
    period: Period
    """The years it spans."""
    source: SourceRef
    """Where the text states it."""


@record
class ScheduleFile:
    """schedule.yaml: the schedule (进度安排) as milestones."""

    milestones: list[Milestone] = field(default_factory=list)
    """The milestones, in order."""

    def items(self) -> Iterator[Item]:
        for i, milestone in enumerate(self.milestones):
            yield milestone.id, "milestone", ("milestones", i, "id")


# --- settings.yaml ---------------------------------------------------------------------------


@record
class LetterSettings:
    """What the task letters (交办函) say beyond the plan: who sends them, when, and what is asked."""

    title: Text
    """The task letter's title."""
    sender: Text
    """Who sends letters (署名); --sender overrides it."""
    date: Date | None = None
    """Optional: the letters' date; --date overrides it; without either, the day they are made."""
    opening: Text | None = None
    """Optional: the opening paragraph."""
    reporting: list[Text] = field(default_factory=list)
    """Paragraphs of 工作要求 after the schedule: what to report, when, to whom."""
    contact: Text | None = None
    """Optional: a contact line."""


@record
class TableSettings:
    """How the 重点任务分工表 is headed."""

    title: Text
    """The table's title; without it, 《plan title》重点任务分工表."""


@record
class IssuedDocument:
    """How one kind of document the office sends is headed, numbered and distributed (GB/T 9704-2012)."""

    format: HeadFormat
    """信函格式 (a 函: the 发文机关标志 30 mm from the top of the page between red double lines, the 文号 on the right, no page number on the first page) or 文件格式 (the 发文机关标志 35 mm below the top of the type area, the 文号 centred over a red line)."""
    prefix: Text
    """The 发文字号's 机关代字 (青科素办函): the 文号 is prefix〔year〕number号."""
    year: Year | None = None
    """Optional: the 文号's year; default: the year of the document's date."""
    number: Serial | None = None
    """Optional: the 文号's number (序号); for `kpsy letters`, the first letter's, the others following in the order they are written. Without it the number is left blank to fill in by hand: 青科素办函〔2026〕　　号."""
    mark: Text | None = None
    """Optional: this document's 发文机关标志, when not the issuer's (青山县全民科学素质工作领导小组办公室文件)."""
    addressees: list[Text] = field(default_factory=list)
    """主送机关 (各成员单位), printed under the title, joined by 「、」; a task letter is addressed to its unit."""
    copy_to: list[Text] | None = None
    """Optional: 抄送机关 in the 版记; default: the issuer's `copy_to`."""
    signer: Text | None = None
    """Optional: 签发人, for a 上行文 (a report to a higher body): printed on the 文号's line, on the right (文件格式 only)."""


@record
class IssuerSettings:
    """Who issues the office's own documents (task letters, 督查通报), for their GB/T 9704 版头 and 版记."""

    name: Text
    """The 发文机关 in full (青山县全民科学素质工作领导小组办公室): the 发文机关标志 and the 印发机关 unless they are given."""
    mark: Text | None = None
    """Optional: the 发文机关标志 as printed in red; default: `name`."""
    printer: Text | None = None
    """Optional: the 印发机关 in the 版记 (usually the issuer's 办公室); default: `name`."""
    copy_to: list[Text] = field(default_factory=list)
    """抄送机关 of every document, unless a document gives its own."""
    letter: IssuedDocument | None = None
    """The task letters (交办函): their layout and 文号."""
    bulletin: IssuedDocument | None = None
    """The 督查通报: its layout, 文号, 主送 and 抄送."""


@record
class PeriodDeadline:
    """The deadline of one period's reports, when it is not the usual one."""

    period: PeriodText
    """The period (2025, 2025Q3, 2025-05)."""
    date: Date
    """The last day to report on it, YYYY-MM-DD."""


@record
class ProgressSettings:
    """When the units' progress reports are due (督办: 按时, 逾期, 未报), and when a task's light turns yellow."""

    due: MonthDay | None = None
    """Optional: the yearly reports' deadline as MM-DD, in the year reported on (12-10: by 12月10日); default: the day the letters' 工作要求 name (「每年12月10日前」)."""
    after_days: Days = 10
    """A quarter's or a month's report is due this many days after the period ends."""
    deadlines: list[PeriodDeadline] = field(default_factory=list)
    """Deadlines set for single periods, over the usual ones."""
    warn_days: Days = 7
    """A task's light turns yellow (临近截止) this many days before the deadline while reports on it are missing."""


@record
class SettingsFile:
    """settings.yaml: what rendered documents say beyond the plan (not part of the plan's text)."""

    letter: LetterSettings | None = None
    """The task letters (kpsy letters, kpsy render letter)."""
    table: TableSettings | None = None
    """The 重点任务分工表 (kpsy render table)."""
    issuer: IssuerSettings | None = None
    """Who sends the office's documents: the 发文机关标志, the 发文字号 of each kind of document, 主送, 抄送 and 印发机关 (GB/T 9704 版头 and 版记). Without it, letters and 通报 are made with marked places to fill in."""
    progress: ProgressSettings | None = None
    """When the progress reports are due (kpsy progress, kpsy progress missing, the 督查通报)."""


# --- progress/<period>/<unit id>.yaml ----------------------------------------------------------


@record
class TaskProgress:
    """One task in a progress report: a line of the 任务台账."""

    task: Id
    """The id of the task reported on (youth-basic-education); for an action without numbered tasks, the action's id."""
    status: Status
    """完成状态: 已完成 (done), 超进度 (ahead of schedule), 达进度 (on schedule, 按序时), 欠进度 (behind, 慢序时), 未启动 (not started) or 其他 (other)."""
    percent: Percent | None = None
    """Optional: how far the task has come, in per cent (0 to 100)."""
    progress: Note
    """进展情况: what was done in the period (line breaks kept)."""
    problems: Note | None = None
    """存在问题: what stands in the way (line breaks kept)."""
    next_steps: Note | None = None
    """下步打算: what comes next (line breaks kept)."""
    evidence: list[Text] = field(default_factory=list)
    """佐证材料: file names or links."""


@record
class IndicatorActual:
    """A measured value of a target's indicator (居民健康素养水平 23.5%, from 居民健康素养监测)."""

    target: Id
    """The id of the target whose indicator was measured (health-literacy-level)."""
    value: Number
    """The measured value, in the target's unit (23.5)."""
    date: DayOrMonth
    """When it was measured or published: YYYY-MM-DD, or YYYY-MM when only the month is known (统计日期 2025年6月)."""
    source: Text
    """Where the figure comes from (公民科学素质抽样调查, 科普统计)."""


@record
class ProgressFile:
    """progress/<period>/<unit id>.yaml: one unit's progress report (任务落实情况) for one period."""

    unit: Id
    """The reporting unit's id (education); the file's name."""
    period: PeriodText
    """The period reported on: a year (2024), a quarter (2024Q3) or a month (2024-05); the folder's name."""
    reporter: Text
    """填报人: who filled in the report."""
    approver: Text
    """审核人: the leader who approved it (分管领导审核)."""
    date: Date
    """填报日期: when it was filed, YYYY-MM-DD."""
    received: Date | None = None
    """收到日期: when the office received it, YYYY-MM-DD; `kpsy progress import` records it (the day of the import, or --received; a corrected sheet keeps the first). Whether it came on time is judged by it, else (when absent) by 填报日期."""
    tasks: list[TaskProgress] = field(default_factory=list)
    """The tasks reported on, one entry a task."""
    indicators: list[IndicatorActual] = field(default_factory=list)
    """Measured values of the plan's indicators that the unit reports (实测值)."""


# --- revisions.yaml --------------------------------------------------------------------------


@record
class Renamed:
    """A unit renamed under a new id: the same unit, in the same places, by another name."""

    unit: Id
    """The unit's id before (science-industry)."""
    to: Id
    """Its id now (science-technology)."""


@record
class Merged:
    """Items (tasks, or chapters) whose words were carried into another: a merge."""

    items: Annotated[list[Id], _NonEmpty]
    """The ids of the items merged, gone from the plan (or `into` itself, listed for clarity)."""
    into: Id
    """The id of the item they were merged into: kept, or new."""


@record
class Split:
    """An item (a task, or a chapter) split into several."""

    item: Id
    """The id of the item split."""
    into: Annotated[list[Id], _NonEmpty]
    """The ids of its parts, in order (the item itself among them when it keeps a part)."""


@record
class Version:
    """An issued version of the plan: the original (印发稿) or a revision (修订稿), as approved and issued."""

    id: Id
    """Stable ASCII id (original, revision-2024)."""
    name: Text
    """What the office calls it (2022年印发稿, 2024年中期修订稿)."""
    number: Text | None = None
    """Optional: its 文号 (青政办发〔2022〕5号)."""
    date: Date
    """The day it was issued (印发日期), YYYY-MM-DD."""
    approved_by: Text
    """Who approved it (县人民政府)."""
    approved_at: Text | None = None
    """Optional: where it was approved (县人民政府第12次常务会议)."""
    git: str | None = None
    """Optional: the git tag or commit that holds this version's data (v2022, a commit id); `kpsy diff` names revisions by it."""
    source_text: str | None = None
    """Optional: the text as issued, relative to the plan folder; `kpsy validate` checks the data against it while the data is this version, and that it stays readable."""
    note: Text | None = None
    """Optional: anything else worth recording (what the revision changed, in a sentence)."""
    renamed: list[Renamed] | None = None
    """Optional: the units renamed under a new id (`unit` → `to`) by this revision; without it, kpsy recognises a unit with the same role in the same places under a new name; an empty list: none."""
    merged: list[Merged] | None = None
    """Optional: the items merged by this revision (`items` into `into`); without it, kpsy recognises an item whose words are mostly carried into another; an empty list: none."""
    split: list[Split] | None = None
    """Optional: the items split by this revision (`item` into `into`); without it, kpsy recognises new items whose words mostly come from one; an empty list: none."""


@record
class Current:
    """Which version the plan data is: an issued version, or a draft of the next one."""

    version: Id | None = None
    """The issued version the data is; its text (`source_text`) must be reproduced exactly."""
    draft_of: Id | None = None
    """Instead of `version`: the data is a draft revising this issued version (not checked against any issued text, which stays recorded)."""
    name: Text | None = None
    """Optional: the draft's working name (2024年中期修订稿（征求意见稿）)."""
    renamed: list[Renamed] | None = None
    """Optional: the units renamed under a new id (`unit` → `to`) by this draft; without it, kpsy recognises a unit with the same role in the same places under a new name; an empty list: none."""
    merged: list[Merged] | None = None
    """Optional: the items merged by this draft (`items` into `into`); without it, kpsy recognises an item whose words are mostly carried into another; an empty list: none."""
    split: list[Split] | None = None
    """Optional: the items split by this draft (`item` into `into`); without it, kpsy recognises new items whose words mostly come from one; an empty list: none."""


@record
class RevisionsFile:
    """revisions.yaml: the issued versions of the plan (文号, date, who approved it and where, the git revision, the issued text), and which of them the data is."""

    versions: Annotated[list[Version], _NonEmpty]
    """The issued versions, oldest first."""
    current: Current
    """Which version the plan data is (`version: ID`), or that it is a draft of the next one (`draft_of: ID`)."""

    def items(self) -> Iterator[Item]:
        for i, version in enumerate(self.versions):
            yield version.id, "version", ("versions", i, "id")

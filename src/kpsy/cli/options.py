"""Options shared by commands, and output through the format registries."""

from __future__ import annotations

from collections.abc import Iterable
from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import typer

from kpsy.cli.app import err
from kpsy.i18n import both, chinese_of, msg
from kpsy.outputs.formats import Family, Sink

PlanOption = Annotated[
    Path | None,
    typer.Option(
        "--plan",
        metavar="DIR",
        help=both(
            "The plan folder. Default: $KPSY_PLAN, else plan/ found walking up from the current folder.",
            "计划文件夹。默认：$KPSY_PLAN，否则从当前文件夹逐级向上查找 plan/。",
        ),
        show_default=False,
    ),
]
OutputOption = Annotated[
    Path | None,
    typer.Option(
        "--output",
        "-o",
        metavar="FILE",
        help=both(
            "Write to FILE (atomically) instead of standard output; its ending chooses the format"
            " (.pdf through LibreOffice).",
            "写入 FILE（整体写入，不留半截文件），而不是标准输出；文件扩展名决定格式（.pdf 经 LibreOffice 生成）。",
        ),
    ),
]


def complete_unit(ctx: typer.Context, incomplete: str) -> list[str]:
    """Shell completion for --unit: the plan's units (short names) that start with what is typed."""
    try:
        from kpsy.api import open_plan

        names = [unit.name for unit in open_plan(ctx.params.get("plan")).data.units]
    except Exception:  # no plan here, or a broken one: nothing to offer
        return []
    return [n for n in names if n.startswith(incomplete)]


_PLAIN_ASCII = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.- ()（）")


def _plain(text: str) -> bool:
    """Whether `text` is made of Chinese characters, ASCII letters, digits and . - _ space and
    brackets only (looked at character by character: a class of CJK ranges takes milliseconds to compile)."""
    return all(c in _PLAIN_ASCII or "\u4e00" <= c <= "\u9fff" for c in text)


def typed(param: typer.CallbackParam, value: Any) -> Any:
    """A name or words as typed, without invisible characters; a warning on standard error names any
    that were taken out (a pasted zero-width space would make the name look right and be wrong)."""
    if value is None:
        return None
    if isinstance(value, list | tuple):
        return [typed(param, v) for v in value]
    if _plain(str(value)):  # the usual name: nothing to take out (and no module to import)
        return value
    from kpsy.plan.typed import clean

    cleaned = clean(str(value))
    what = param.opts[0] if param.opts and param.opts[0].startswith("-") else (param.human_readable_name or "")
    warning = cleaned.warning(what)
    if warning:
        err(warning)
    return cleaned.text


UnitOption = Annotated[
    str | None,
    typer.Option(
        "--unit",
        "-u",
        help=both("A unit by its short name, full name, alias or id.", "单位：简称、全称、别名或 id 均可。"),
        callback=typed,
        autocompletion=complete_unit,
    ),
]
IdsOption = Annotated[
    bool,
    typer.Option(
        "--ids",
        help=both(
            "Show each row's id in the table (ids are always in csv, json and xlsx).",
            "在表格中显示每行的 id（csv、json 和 xlsx 总是带 id）。",
        ),
    ),
]
TemplatesOption = Annotated[
    Path | None,
    typer.Option(
        "--templates",
        metavar="DIR",
        help=both(
            "Templates (and reference.docx) here override the built-in ones.",
            "用此文件夹中的模板（及 reference.docx）代替内置模板。",
        ),
    ),
]
SenderOption = Annotated[
    str | None,
    typer.Option(
        "--sender",
        help=both("Who sends letters (default: plan/settings.yaml).", "发函单位（默认：plan/settings.yaml 中所设）。"),
    ),
]
DateOption = Annotated[
    str | None,
    typer.Option(
        "--date",
        metavar="YYYY-MM-DD",
        help=both(
            "The document's date (default: settings, else today).", "成文日期（默认：settings 中所设，否则为当天）。"
        ),
    ),
]

DraftOption = Annotated[
    bool,
    typer.Option(
        "--draft",
        help=both(
            "Mark the document as a draft for comments (征求意见稿, top right of the first page); a plan that"
            " revisions.yaml says is a draft (current.draft_of) is marked without it.",
            "在首页右上角标注「征求意见稿」；revisions.yaml 记为草案（current.draft_of）的计划不加此项也会标注。",
        ),
    ),
]


def draft_mark(draft: bool) -> bool | None:
    """--draft as the core takes it: True, or None (as revisions.yaml says)."""
    return True if draft else None


def choices(name: str, names: Iterable[str]) -> type[Enum]:
    """The --format choices of a family of outputs, made from its registry's names."""
    return Enum(f"{name.title()}Format", {n: n for n in names}, type=str)  # type: ignore[return-value]


def chosen(fmt: Enum | str) -> str:
    """The name of a --format choice."""
    return str(fmt.value) if isinstance(fmt, Enum) else fmt


def format_option(family: Family[Any], en: str | None = None, zh: str | None = None) -> Any:
    """The --format option of a command whose output is of `family`: its formats, each with what it
    is, in both languages (or `en` and `zh` for a command that says more)."""
    en = (en or family.help()) + ". Default: what -o FILE's ending names, else " + family.default + "."
    zh = (zh or family_help_zh(family)) + "。默认：按 -o FILE 的扩展名，否则为 " + family.default + "。"
    return typer.Option("--format", "-f", metavar="FORMAT", help=both(en, zh), show_default=False)


def family_help_zh(family: Family[Any]) -> str:
    """What each format of `family` is, in Chinese."""
    return "；".join(f"{f.name}：{chinese_of(f.help) or f.help}" for f in family.formats.values())


def emit(family: Family[Any], fmt: Enum | str | None, result: Any, output: Path | None, **options: Any) -> None:
    """Write `result` in format `fmt` to `output` (or standard output), and say so when it is a file.
    `-o FILE`'s ending decides what the file holds (kpsy.outputs.formats.Family.target): without
    --format it chooses the format, with it an ending of another format is refused, and `.pdf` is
    printed through LibreOffice."""
    target = family.target(chosen(fmt) if fmt is not None else None, output)
    sink = Sink.open(output)
    family.emit(target, result, sink, **options)
    for path in sink.written:
        err(msg("wrote {path}", "已写入 {path}", path=path))
    empty_note = getattr(result, "empty_note", None)
    if callable(empty_note) and (note := empty_note()):
        err(note)


def to_stdout(text: str) -> None:
    """Text for standard output (or an error that says why it cannot be written)."""
    Sink.open().write(text)


def parse_date(value: str | None) -> Any:
    import datetime as dt

    from kpsy.errors import UsageError

    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise UsageError(
            msg("--date {v}: not a date in the form YYYY-MM-DD", "--date {v}：不是 YYYY-MM-DD 格式的日期", v=value)
        ) from None

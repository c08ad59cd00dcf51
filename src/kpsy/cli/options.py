"""Options shared by commands, and output through the format registries."""

from __future__ import annotations

import re
from collections.abc import Iterable
from enum import Enum
from pathlib import Path
from typing import Annotated, Any

import typer

from kpsy.cli.app import err
from kpsy.i18n import msg
from kpsy.outputs.formats import Family, Sink

PlanOption = Annotated[
    Path | None,
    typer.Option(
        "--plan",
        metavar="DIR",
        help="The plan folder. Default: $KPSY_PLAN, else plan/ found walking up from the current folder.",
        show_default=False,
    ),
]
OutputOption = Annotated[
    Path | None,
    typer.Option("--output", "-o", metavar="FILE", help="Write to FILE (atomically) instead of standard output."),
]


def complete_unit(ctx: typer.Context, incomplete: str) -> list[str]:
    """Shell completion for --unit: the plan's units (short names) that start with what is typed."""
    try:
        from kpsy.api import open_plan

        names = [unit.name for unit in open_plan(ctx.params.get("plan")).data.units]
    except Exception:  # no plan here, or a broken one: nothing to offer
        return []
    return [n for n in names if n.startswith(incomplete)]


_PLAIN = re.compile(r"[\u4e00-\u9fff（）()\w.\- ]*", re.ASCII)


def typed(param: typer.CallbackParam, value: Any) -> Any:
    """A name or words as typed, without invisible characters; a warning on standard error names any
    that were taken out (a pasted zero-width space would make the name look right and be wrong)."""
    if value is None:
        return None
    if isinstance(value, list | tuple):
        return [typed(param, v) for v in value]
    if _PLAIN.fullmatch(str(value)):  # the usual name: nothing to take out (and no module to import)
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
        help="A unit by its short name, full name, alias or id.",
        callback=typed,
        autocompletion=complete_unit,
    ),
]
IdsOption = Annotated[
    bool,
    typer.Option("--ids", help="Show each row's id in the table (ids are always in csv, json and xlsx)."),
]
TemplatesOption = Annotated[
    Path | None,
    typer.Option("--templates", metavar="DIR", help="Templates (and reference.docx) here override the built-in ones."),
]
SenderOption = Annotated[str | None, typer.Option("--sender", help="Who sends letters (default: plan/settings.yaml).")]
DateOption = Annotated[
    str | None, typer.Option("--date", metavar="YYYY-MM-DD", help="The letter's date (default: settings, else today).")
]

DraftOption = Annotated[
    bool,
    typer.Option(
        "--draft",
        help="Mark the document 「征求意见稿」 (top right of the first page); a plan that revisions.yaml says is a"
        " draft (current.draft_of) is marked without it.",
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


def format_option(family: Family[Any], help: str | None = None) -> Any:
    """The --format option of a command whose output is of `family`."""
    return typer.Option(
        "--format",
        "-f",
        help=(help or family.help()) + ". Default: what -o FILE's ending names, else " + family.default + ".",
        show_default=False,
    )


def emit(family: Family[Any], fmt: Enum | str | None, result: Any, output: Path | None, **options: Any) -> None:
    """Write `result` in format `fmt` to `output` (or standard output), and say so when it is a file.
    Without --format, `-o FILE`'s ending chooses the format; with it, an ending of another format is refused."""
    name = family.choose(chosen(fmt) if fmt is not None else None, output)
    sink = Sink.open(output)
    family.emit(name, result, sink, **options)
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

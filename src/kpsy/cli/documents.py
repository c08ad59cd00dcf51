"""Commands that make documents: render, letters."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from kpsy.cli.app import err
from kpsy.cli.options import (
    DateOption,
    DraftOption,
    OutputOption,
    PlanOption,
    SenderOption,
    TemplatesOption,
    choices,
    chosen,
    draft_mark,
    emit,
    format_option,
    parse_date,
    typed,
)
from kpsy.documents import FORMATS as DOCUMENTS
from kpsy.documents import LETTER_FORMATS, PLAN_DOCUMENTS
from kpsy.i18n import msg

DocumentFormat = choices(DOCUMENTS.name, DOCUMENTS.names)
LetterFormat = choices("letter", LETTER_FORMATS)
LETTER_DOCX = LetterFormat("docx")

commands = typer.Typer()  # the commands of this module; kpsy.cli.app.COMMANDS names them
PANEL = "Documents"


@commands.command(rich_help_panel=PANEL)
def render(
    name: Annotated[str, typer.Argument(metavar="NAME", help=f"{', '.join(PLAN_DOCUMENTS)}.")],
    unit: Annotated[str | None, typer.Option("--unit", "-u", help="The unit a letter is for.", callback=typed)] = None,
    fmt: Annotated[
        DocumentFormat | None,  # type: ignore[valid-type]
        format_option(DOCUMENTS),
    ] = None,
    output: OutputOption = None,
    templates: TemplatesOption = None,
    sender: SenderOption = None,
    date: DateOption = None,
    period: Annotated[
        str | None,
        typer.Option(
            "--period",
            "-p",
            metavar="PERIOD",
            help="For bulletin and review: the period (2024, 2024Q3, 2024-05); default: the latest with reports.",
        ),
    ] = None,
    draft: DraftOption = False,
    plan: PlanOption = None,
) -> None:
    """Render a document from a template: the whole plan (document), a summary for leaders (summary),
    the 重点任务分工表 (table), or one unit's task letter (letter --unit U).

    From the progress reports of a period (--period, default: the latest): the 督查通报 (bulletin) and
    the 年度总结 / 总结评估 draft (review)."""
    from kpsy.api import open_plan
    from kpsy.documents.progress import PROGRESS_DOCUMENTS
    from kpsy.errors import UsageError
    from kpsy.i18n import msg

    if name not in PLAN_DOCUMENTS:
        raise UsageError(
            msg(
                "no document '{name}'; choose {c}", "没有文件“{name}”；可选 {c}", name=name, c=", ".join(PLAN_DOCUMENTS)
            )
        )
    if (name == "letter") != (unit is not None):
        raise UsageError(
            msg(
                "--unit goes with the letter template, and the letter template needs --unit",
                "--unit 只用于交办函（letter），交办函也必须给出 --unit",
            )
        )
    if period is not None and name not in PROGRESS_DOCUMENTS:
        raise UsageError(
            msg(
                "--period goes with {names}",
                "--period 只用于 {names}",
                names=", ".join(PROGRESS_DOCUMENTS),
            )
        )
    wanted = DOCUMENTS.choose(chosen(fmt) if fmt is not None else None, output)
    if DOCUMENTS[wanted].needs_file and output is None:
        raise UsageError(
            msg("--format {f} writes a file: give -o FILE", "--format {f} 会写入文件：请给出 -o FILE", f=wanted)
        )
    opened = open_plan(plan)
    document = opened.document(
        name, unit, templates=templates, sender=sender, date=parse_date(date), period=period, draft=draft_mark(draft)
    )
    from kpsy.outputs.findings import local_line

    for problem in document.problems:
        err(local_line(problem))
    emit(DOCUMENTS, fmt, document, output)


@commands.command(rich_help_panel=PANEL)
def letters(
    out: Annotated[Path, typer.Option("--out", metavar="DIR", help="Folder to write the letters to (created).")],
    unit: Annotated[
        list[str] | None,
        typer.Option("--unit", "-u", help="Only these units (repeatable). Default: every unit.", callback=typed),
    ] = None,
    fmt: Annotated[
        LetterFormat,  # type: ignore[valid-type]
        typer.Option("--format", "-f", help="md, docx or both."),
    ] = LETTER_DOCX,
    templates: TemplatesOption = None,
    sender: SenderOption = None,
    date: DateOption = None,
    force: Annotated[bool, typer.Option("--force", help="Replace letters already in the folder.")] = False,
    draft: DraftOption = False,
    plan: PlanOption = None,
) -> None:
    """Write a task letter (交办函) for every unit that has tasks: one file per unit, named by its id and
    short name. Units without tasks are skipped and listed."""
    from kpsy.api import open_plan
    from kpsy.documents.letters import write_letters
    from kpsy.outputs.formats import progress_bar

    opened = open_plan(plan)
    result = write_letters(
        opened.data,
        out,
        units=unit or [],
        findings=opened.findings,
        formats=LETTER_FORMATS[chosen(fmt)],
        templates=templates,
        sender=sender,
        date=parse_date(date),
        progress=progress_bar(sys.stderr),
        force=force,
        draft=draft_mark(draft),
    )
    from kpsy.outputs.findings import local_line

    for problem in result.problems:
        err(local_line(problem))
    if result.skipped:
        err(
            msg(
                "skipped {n} unit(s) with no letter to send: {names}",
                "跳过 {n} 个无需发函的单位：{names}",
                n=len(result.skipped),
                names="、".join(result.skipped),
            )
        )
    if result.replaced:
        err(
            msg(
                "replaced {n} letter(s) that were there: {names}",
                "替换了原有的 {n} 封交办函：{names}",
                n=len(result.replaced),
                names="、".join(p.name for p in result.replaced),
            )
        )
    err(
        msg(
            "wrote {n} file(s) for {u} unit(s) to {out}",
            "已为 {u} 个单位写入 {n} 个文件到 {out}",
            n=len(result.written),
            u=result.units,
            out=out,
        )
    )

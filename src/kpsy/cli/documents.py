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
from kpsy.documents import DOCUMENT_FORMATS, LETTER_FORMATS, PLAN_DOCUMENTS
from kpsy.i18n import both, chinese, joined, msg

DocumentFormat = choices(DOCUMENT_FORMATS.name, DOCUMENT_FORMATS.names)
LetterFormat = choices("letter", LETTER_FORMATS)
LETTER_DOCX = LetterFormat("docx")

commands = typer.Typer()  # the commands of this module; kpsy.cli.app.COMMANDS names them
PANEL = both("Documents", "文件")


@commands.command(
    rich_help_panel=PANEL,
    epilog=both(
        """kpsy render document -o plan.docx  the whole plan in Word (GB/T 9704)
        kpsy render table -o table.pdf  the 重点任务分工表, printed to PDF by LibreOffice
        kpsy render letter -u 教育局 -o letter.docx  one unit's task letter
        kpsy render bulletin -p 2024 -o bulletin.docx  the 督查通报 of 2024""",
        """kpsy render document -o 方案.docx  方案全文，Word 文档（GB/T 9704 版式）
        kpsy render table -o 分工表.pdf  重点任务分工表，经 LibreOffice 打印为 PDF
        kpsy render letter -u 教育局 -o 交办函.docx  一个单位的交办函
        kpsy render bulletin -p 2024 -o 督查通报.docx  2024年的督查通报""",
    ),
)
@chinese(
    """按模板生成文件：方案全文（document）、供领导阅看的要点（summary）、重点任务分工表（table），或某单位的
    交办函（letter --unit U）。

    依据某报告期（--period，默认最近一期）的进度报告：督查通报（bulletin）和年度总结 / 总结评估稿（review）。"""
)
def render(
    name: Annotated[
        str,
        typer.Argument(
            metavar="NAME",
            help=both(f"The document: {', '.join(PLAN_DOCUMENTS)}.", f"要生成的文件：{'、'.join(PLAN_DOCUMENTS)}。"),
        ),
    ],
    unit: Annotated[
        str | None,
        typer.Option("--unit", "-u", help=both("The unit a letter is for.", "交办函发给哪个单位。"), callback=typed),
    ] = None,
    fmt: Annotated[
        DocumentFormat | None,  # type: ignore[valid-type]
        format_option(DOCUMENT_FORMATS),
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
            help=both(
                "For bulletin and review: the period (2024, 2024Q3, 2024-05); default: the latest with reports.",
                "用于 bulletin 和 review：报告期（2024、2024Q3、2024-05）；默认：有报告的最近一期。",
            ),
        ),
    ] = None,
    draft: DraftOption = False,
    plan: PlanOption = None,
) -> None:
    """Render a document from a template: the whole plan (document), a summary for leaders (summary),
    the 重点任务分工表 (table), or one unit's task letter (letter --unit U).

    From the progress reports of a period (--period, default: the latest): the 督查通报 (bulletin) and
    the 年度总结 / 总结评估 draft (review)."""
    from kpsy.api import check_document, open_plan
    from kpsy.errors import UsageError
    from kpsy.i18n import msg

    check_document(name, unit, period)
    wanted = DOCUMENT_FORMATS.choose(chosen(fmt) if fmt is not None else None, output)  # a bad -o ends it here
    if DOCUMENT_FORMATS[wanted].needs_file and output is None:
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
    emit(DOCUMENT_FORMATS, fmt, document, output)


@commands.command(rich_help_panel=PANEL)
@chinese("为每个有任务的单位写一份交办函：每个单位一个文件，以其 id 和简称命名。没有任务的单位跳过并列出。")
def letters(
    out: Annotated[
        Path,
        typer.Option(
            "--out",
            metavar="DIR",
            help=both("Folder to write the letters to (created).", "交办函写入的文件夹（不存在则创建）。"),
        ),
    ],
    unit: Annotated[
        list[str] | None,
        typer.Option(
            "--unit",
            "-u",
            help=both(
                "Only these units (repeatable). Default: every unit.", "只写这些单位的（可重复）。默认：每个单位。"
            ),
            callback=typed,
        ),
    ] = None,
    fmt: Annotated[
        LetterFormat,  # type: ignore[valid-type]
        typer.Option("--format", "-f", help=both("md, docx or both.", "md、docx 或 both（两种都写）。")),
    ] = LETTER_DOCX,
    templates: TemplatesOption = None,
    sender: SenderOption = None,
    date: DateOption = None,
    force: Annotated[
        bool, typer.Option("--force", help=both("Replace letters already in the folder.", "替换文件夹中已有的交办函。"))
    ] = False,
    draft: DraftOption = False,
    plan: PlanOption = None,
) -> None:
    """Write a task letter (交办函) for every unit that has tasks: one file per unit, named by its id and
    short name. Units without tasks are skipped and listed."""
    from kpsy.api import open_plan
    from kpsy.outputs.findings import local_line
    from kpsy.outputs.formats import check_folder, progress_bar

    check_folder(out)  # before the plan is read
    result = open_plan(plan).write_letters(
        out,
        unit or [],
        format=chosen(fmt),
        templates=templates,
        sender=sender,
        date=parse_date(date),
        force=force,
        draft=draft_mark(draft),
        progress=progress_bar(sys.stderr),
    )
    for problem in result.problems:
        err(local_line(problem))
    if result.skipped:
        err(
            msg(
                "skipped {n} unit(s) with no letter to send: {names}",
                "跳过 {n} 个无需发函的单位：{names}",
                n=len(result.skipped),
                names=joined(result.skipped),
            )
        )
    if result.replaced:
        err(
            msg(
                "replaced {n} letter(s) that were there: {names}",
                "替换了原有的 {n} 封交办函：{names}",
                n=len(result.replaced),
                names=joined(p.name for p in result.replaced),
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

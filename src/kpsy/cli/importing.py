"""Commands that bring another place's plan in: import."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kpsy.cli.options import OutputOption, choices, emit, format_option
from kpsy.i18n import both, chinese
from kpsy.importer.report import IMPORT_FORMATS

ImportFormat = choices(IMPORT_FORMATS.name, IMPORT_FORMATS.names)

commands = typer.Typer()  # the commands of this module; kpsy.cli.app.COMMANDS names them
PANEL = both("The plan files", "计划文件")


@commands.command("import", rich_help_panel=PANEL)
@chinese(
    """把其他地方的实施方案（.docx 或文本）转为计划文件夹，并报告各部分转成了什么。

    退出状态：0 全部就位，1 有内容需要人工处理（不加 --partial 时不写任何文件）或原文无法导入，2 用法错误。"""
)
def import_(
    source: Annotated[
        Path,
        typer.Argument(
            metavar="SOURCE",
            help=both(
                "The plan: .docx, .doc/.wps/.odt (through LibreOffice), .pdf with a text layer, a web page"
                " (.html), or text (UTF-8, GB18030, UTF-16, Big5).",
                "方案原文：.docx，.doc/.wps/.odt（经 LibreOffice 转换），带文字层的 .pdf，网页（.html），"
                "或文本（UTF-8、GB18030、UTF-16、Big5）。",
            ),
        ),
    ],
    out: Annotated[
        Path, typer.Option("--out", metavar="DIR", help=both("The plan folder to write.", "要写出的计划文件夹。"))
    ],
    table: Annotated[
        Path | None,
        typer.Option(
            "--table",
            metavar="FILE",
            help=both(
                "A separate table of responsibilities (.docx, .html, …) that gives tasks or actions their units.",
                "另行印发的分工表（.docx、.html 等），按其表格为任务或行动分配责任单位。",
            ),
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help=both("Replace what is in DIR.", "替换 DIR 中已有的内容。"))
    ] = False,
    partial: Annotated[
        bool,
        typer.Option(
            "--partial",
            help=both(
                "Write what could be imported even when some of it needs hand work.",
                "即使部分内容需要人工处理，也写出已能导入的部分。",
            ),
        ),
    ] = False,
    fmt: Annotated[
        ImportFormat | None,  # type: ignore[valid-type]
        format_option(IMPORT_FORMATS),
    ] = None,
    output: OutputOption = None,
) -> None:
    """Turn another place's 实施方案 (as published: Word, PDF, web page or text) into a plan folder,
    and report which conventions were recognised, what was left out on purpose and what needs a person.

    Exit status: 0 when every numbered item, statement of responsibility and the title were
    understood, 1 when something needs hand work (nothing is written without --partial) or the
    source cannot be imported (not a plan, 0 tasks), 2 usage errors.
    """
    from kpsy.api import import_plan

    result = import_plan(source, out, table=table, force=force, partial=partial)
    emit(IMPORT_FORMATS, fmt, result, output)
    raise typer.Exit(0 if result.complete else 1)

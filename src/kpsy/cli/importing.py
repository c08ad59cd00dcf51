"""Commands that bring another place's plan in: import."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kpsy.cli.options import OutputOption, choices, emit, format_option
from kpsy.importer.report import FORMATS

ImportFormat = choices(FORMATS.name, FORMATS.names)

commands = typer.Typer()  # the commands of this module; kpsy.cli.app.COMMANDS names them
PANEL = "The plan files"


@commands.command("import", rich_help_panel=PANEL)
def import_(
    source: Annotated[
        Path,
        typer.Argument(
            metavar="SOURCE",
            help="The plan: .docx, .doc/.wps/.odt (through LibreOffice), .pdf with a text layer, a web page"
            " (.html), or text (UTF-8, GB18030, UTF-16, Big5).",
        ),
    ],
    out: Annotated[Path, typer.Option("--out", metavar="DIR", help="The plan folder to write.")],
    table: Annotated[
        Path | None,
        typer.Option(
            "--table",
            metavar="FILE",
            help="A separate 分工表 (.docx, .html, …) whose table gives tasks or actions their units.",
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace what is in DIR.")] = False,
    partial: Annotated[
        bool, typer.Option("--partial", help="Write what could be imported even when some of it needs hand work.")
    ] = False,
    fmt: Annotated[
        ImportFormat | None,  # type: ignore[valid-type]
        format_option(FORMATS),
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
    emit(FORMATS, fmt, result, output)
    raise typer.Exit(0 if result.complete else 1)

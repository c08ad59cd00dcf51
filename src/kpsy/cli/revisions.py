"""Commands about revisions of the plan: diff."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kpsy.cli.app import ERROR_EXIT
from kpsy.cli.options import OutputOption, PlanOption, TemplatesOption, choices, emit, typed
from kpsy.revisions.report import FORMATS as DIFFS

DiffFormat = choices(DIFFS.name, DIFFS.names)
DIFF_TEXT = DiffFormat("text")

commands = typer.Typer()  # the commands of this module; kpsy.cli.app.COMMANDS names them
PANEL = "Revisions"


@commands.command(rich_help_panel=PANEL)
def diff(
    ctx: typer.Context,
    old: Annotated[str | None, typer.Argument(metavar="OLD", help="A git revision (HEAD~1, a tag, a commit).")] = None,
    new: Annotated[
        str | None, typer.Argument(metavar="[NEW]", help="A git revision; default: the working tree.")
    ] = None,
    old_plan: Annotated[
        Path | None, typer.Option("--old-plan", metavar="DIR", help="Compare this plan folder…")
    ] = None,
    new_plan: Annotated[Path | None, typer.Option("--new-plan", metavar="DIR", help="…with this one.")] = None,
    unit: Annotated[
        str | None, typer.Option("--unit", "-u", help="Only what changed for this unit.", callback=typed)
    ] = None,
    fmt: Annotated[
        DiffFormat,  # type: ignore[valid-type]
        typer.Option("--format", "-f", help=DIFFS.help()),
    ] = DIFF_TEXT,
    output: OutputOption = None,
    exit_code: Annotated[
        bool, typer.Option("--exit-code", help="Exit 1 when there are changes, 0 when there are none.")
    ] = False,
    templates: TemplatesOption = None,
    plan: PlanOption = None,
) -> None:
    """What changed in meaning between two revisions of the plan: items added, removed, renumbered;
    text; responsibility; the unit registry; targets and milestones. Errors exit 2."""
    from kpsy.errors import UsageError
    from kpsy.revisions.diff import diff_folders, diff_revisions

    ctx.meta[ERROR_EXIT] = 2  # 0 and 1 say whether there are changes
    if (old_plan is None) != (new_plan is None):
        raise UsageError("--old-plan and --new-plan go together")
    if old_plan is not None and new_plan is not None:
        if old is not None:
            raise UsageError("give git revisions or --old-plan/--new-plan, not both")
        result = diff_folders(old_plan, new_plan, unit)
    else:
        if old is None:
            raise UsageError("give OLD (a git revision), or --old-plan DIR --new-plan DIR")
        from kpsy.plan.workspace import find_plan

        result = diff_revisions(find_plan(plan), old, new, unit)
    emit(DIFFS, fmt, result, output, templates=templates)
    if exit_code and result.changes:
        raise typer.Exit(1)

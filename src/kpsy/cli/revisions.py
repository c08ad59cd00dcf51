"""Commands about revisions of the plan: diff, git-setup."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kpsy.cli.app import ERROR_EXIT, err
from kpsy.cli.options import (
    DraftOption,
    OutputOption,
    PlanOption,
    TemplatesOption,
    choices,
    chosen,
    draft_mark,
    emit,
    format_option,
    typed,
)
from kpsy.revisions.report import AFFECTED
from kpsy.revisions.report import FORMATS as DIFFS

# --format offers the diff's formats and those of --affected; each is checked against its own registry
DiffFormat = choices(DIFFS.name, [*DIFFS.names, *(n for n in AFFECTED.names if n not in DIFFS)])

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
        str | None, typer.Option("--unit", "-u", help="Only what concerns this unit.", callback=typed)
    ] = None,
    affected: Annotated[
        bool,
        typer.Option(
            "--affected",
            help="List the units whose task letter (交办函) changes, comparing their letters rendered from both revisions"
            " (formats text, md, json, csv).",
        ),
    ] = False,
    fmt: Annotated[
        DiffFormat | None,  # type: ignore[valid-type]
        format_option(DIFFS, f"{DIFFS.help()}. With --affected: {AFFECTED.help()}"),
    ] = None,
    output: OutputOption = None,
    exit_code: Annotated[
        bool,
        typer.Option(
            "--exit-code", help="Exit 1 when there are changes (or, with --affected, letters that change), 0 when none."
        ),
    ] = False,
    author: Annotated[
        str | None,
        typer.Option(
            "--author", help="The redline's tracked changes are by (default: the letters' sender in settings.yaml)."
        ),
    ] = None,
    templates: TemplatesOption = None,
    draft: DraftOption = False,
    plan: PlanOption = None,
) -> None:
    """What changed in meaning between two revisions of the plan: items added, removed, moved;
    words; responsibility; the unit registry; targets, schedule and period. In the office's words
    (修订说明), as a comparison table (修改对照表) or a redline with Word tracked changes (修订稿).
    Errors exit 2."""
    from kpsy import api
    from kpsy.errors import UsageError
    from kpsy.i18n import msg

    ctx.meta[ERROR_EXIT] = 2  # 0 and 1 say whether there are changes
    if (old_plan is None) != (new_plan is None):
        raise UsageError(msg("--old-plan and --new-plan go together", "--old-plan 和 --new-plan 须同时给出"))
    if old_plan is not None and old is not None:
        raise UsageError(
            msg(
                "give git revisions or --old-plan/--new-plan, not both",
                "请给出 git 修订版或 --old-plan/--new-plan，不要同时给出",
            )
        )
    if old_plan is None and old is None:
        raise UsageError(
            msg(
                "give OLD (a git revision), or --old-plan DIR --new-plan DIR",
                "请给出 OLD（一个 git 修订版），或 --old-plan DIR --new-plan DIR",
            )
        )
    if affected:
        if fmt is not None and chosen(fmt) not in AFFECTED:
            raise UsageError(
                msg(
                    "--affected lists units: use --format {names}",
                    "--affected 列出单位：请用 --format {names}",
                    names="|".join(AFFECTED.names),
                )
            )
        letters = api.affected(plan, old, new, old_plan=old_plan, new_plan=new_plan, unit=unit, templates=templates)
        emit(AFFECTED, fmt, letters, output)
        if exit_code and letters.count:
            raise typer.Exit(1)
        return
    if fmt is not None and chosen(fmt) not in DIFFS:
        raise UsageError(msg("--format {f} is for --affected", "--format {f} 只用于 --affected", f=chosen(fmt)))
    result = api.diff(plan, old, new, old_plan=old_plan, new_plan=new_plan, unit=unit)
    emit(DIFFS, fmt, result, output, templates=templates, author=author, draft=draft_mark(draft))
    if exit_code and result.count:
        raise typer.Exit(1)


@commands.command("git-setup", rich_help_panel=PANEL)
def git_setup(plan: PlanOption = None) -> None:
    """Make `git diff` and `git log -p` show plan files as readable text in this clone: sets
    diff.kpsy.textconv to this Python running `kpsy textconv` (works without an activated virtual
    environment) and marks the plan's files diff=kpsy in .gitattributes. Says what it did."""
    from kpsy import api

    for line in api.git_setup(plan):
        err(line)

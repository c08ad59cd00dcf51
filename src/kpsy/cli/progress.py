"""Commands about progress: the period's matrix and counts (kpsy progress), one unit's history,
fill-in sheets out (sheet), filled sheets in (import), and who owes a report (missing)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from kpsy.cli.app import err
from kpsy.cli.listings import ListingFormatOption
from kpsy.cli.options import (
    IdsOption,
    OutputOption,
    PlanOption,
    UnitOption,
    choices,
    emit,
    format_option,
    parse_date,
    typed,
)
from kpsy.outputs.listing import FORMATS as LISTINGS
from kpsy.outputs.progress import FORMATS as PROGRESS

if TYPE_CHECKING:
    from kpsy.sheets.importer import ImportResult as SheetsImport

ProgressFormat = choices(PROGRESS.name, PROGRESS.names)

PeriodOption = Annotated[
    str | None,
    typer.Option("--period", "-p", metavar="PERIOD", help="A year (2024), a quarter (2024Q3) or a month (2024-05)."),
]

progress_app = typer.Typer(
    help="Progress reports: the status of every task for every unit, fill-in sheets for units and their import.",
    invoke_without_command=True,
)
commands = typer.Typer()  # the commands of this module; kpsy.cli.app.COMMANDS names them
commands.add_typer(progress_app, name="progress", rich_help_panel="Progress")


@progress_app.callback(invoke_without_command=True)
def view(
    ctx: typer.Context,
    period: PeriodOption = None,
    unit: UnitOption = None,
    fmt: Annotated[
        ProgressFormat | None,  # type: ignore[valid-type]
        format_option(PROGRESS, PROGRESS.help() + " (with --unit: the listing formats)"),
    ] = None,
    output: OutputOption = None,
    ids: Annotated[bool, typer.Option("--ids", help="With --unit: show each task's id in the table.")] = False,
    plan: PlanOption = None,
) -> None:
    """A period's progress: counts by status, overall and per action, and the unit × task matrix.

    The period is the latest with reports unless --period names one. With --unit: that unit's tasks
    across every period (with --period too: its report in full)."""
    if ctx.invoked_subcommand is not None:
        return
    from kpsy.api import open_plan

    opened = open_plan(plan)
    if unit is not None:
        from kpsy.outputs.progress import unit_listing

        history = opened.history(unit, period)
        listing = unit_listing(history, single=period is not None)
        emit(LISTINGS, fmt, listing.with_ids(ids), output)
        return
    emit(PROGRESS, fmt, opened.progress(period), output)


@progress_app.command("missing")
def missing(
    period: PeriodOption = None,
    fmt: ListingFormatOption = None,
    output: OutputOption = None,
    ids: IdsOption = False,
    plan: PlanOption = None,
) -> None:
    """The units that owe a report (催报).

    For a period (default: the latest with reports): units with no report, and units whose report
    leaves tasks out."""
    from kpsy.api import open_plan
    from kpsy.outputs.progress import owed_listing

    chosen_period, owed = open_plan(plan).missing(period)
    listing = owed_listing(chosen_period.label, owed)
    emit(LISTINGS, fmt, listing.with_ids(ids), output)


@progress_app.command("sheet")
def sheet(
    period: Annotated[
        str,
        typer.Option(
            "--period", "-p", metavar="PERIOD", help="A year (2024), a quarter (2024Q3) or a month (2024-05)."
        ),
    ],
    unit: UnitOption = None,
    output: OutputOption = None,
    every: Annotated[bool, typer.Option("--all", help="A sheet for every unit with tasks (with --out).")] = False,
    out: Annotated[Path | None, typer.Option("--out", metavar="DIR", help="Folder for --all (created).")] = None,
    deadline: Annotated[
        str | None, typer.Option("--deadline", metavar="YYYY-MM-DD", help="The date to send the sheet back by.")
    ] = None,
    sender: Annotated[
        str | None, typer.Option("--sender", help="To whom (default: the letters' sender in plan/settings.yaml).")
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help="Replace workbooks already there (they may be filled-in sheets).")
    ] = False,
    plan: PlanOption = None,
) -> None:
    """Fill-in workbooks (.xlsx) for the units.

    The unit's tasks pre-filled and locked (number, title, role, the other units), status as a
    drop-down, an instructions sheet, A4 print set-up, and a sealed hidden sheet that says whose
    and for when it is (the key stays in the plan folder, .kpsy/sheet-key). `--unit U -o FILE` for
    one unit, `--all --out DIR` for every unit. A workbook already there is never replaced without
    --force: it may be one a unit filled in."""
    from kpsy.api import open_plan
    from kpsy.errors import UsageError
    from kpsy.i18n import msg
    from kpsy.outputs.formats import progress_bar

    if every == (unit is not None):
        raise UsageError(msg("give --unit U -o FILE, or --all --out DIR", "请用 --unit U -o FILE，或 --all --out DIR"))
    if every and (out is None or output is not None):
        raise UsageError(
            msg("--all writes a sheet a unit: give --out DIR", "--all 为每个单位各写一个表：请用 --out DIR")
        )
    if unit is not None and (output is None or out is not None):
        raise UsageError(msg("--unit writes one workbook: give -o FILE.xlsx", "--unit 写一个工作簿：请用 -o FILE.xlsx"))
    opened = open_plan(plan)
    due = parse_date(deadline)
    if unit is not None and output is not None:
        _one_sheet(opened.progress_sheet, unit, period, output, force=force, deadline=due, sender=sender)
        return
    assert out is not None
    result = opened.progress_sheets(
        out, period, deadline=due, sender=sender, progress=progress_bar(sys.stderr), force=force
    )
    if result.replaced:
        err(
            msg(
                "replaced {n} workbook(s) that were there",
                "已替换原有的 {n} 个工作簿",
                n=len(result.replaced),
            )
        )
    if result.skipped:
        err(
            msg(
                "no sheet for {n} unit(s) (bodies that oversee the work, or units without tasks): {units}",
                "{n} 个单位未生成填报表（统筹单位或没有任务的单位）：{units}",
                n=len(result.skipped),
                units="、".join(result.skipped),
            )
        )
    err(msg("wrote {n} sheet(s) to {out}", "已在 {out} 写入 {n} 个填报表", n=len(result.written), out=out))


def _one_sheet(make: Callable[..., bytes], unit: str, period: str, output: Path, *, force: bool, **about: Any) -> None:
    """One unit's workbook to `output` (never over a workbook already there without --force)."""
    from kpsy.i18n import msg
    from kpsy.outputs.formats import Sink
    from kpsy.sheets.write import refuse_existing

    sink = Sink.open(output)
    replaced = refuse_existing([sink.path], force) if sink.path is not None else []
    sink.write(make(unit, period, filename=output.name, **about))
    verb = msg("replaced", "已替换") if replaced else msg("wrote", "已写入")
    shown = output if sink.path is not None else msg("standard output", "标准输出")
    err(msg("{verb} {path}", "{verb} {path}", verb=verb, path=shown))


@progress_app.command("import")
def import_(
    files: Annotated[list[Path], typer.Argument(metavar="FILE.xlsx...", help="Filled-in sheets.")],
    unit: Annotated[
        str | None, typer.Option("--unit", "-u", help="The sheets must be this unit's (a check).", callback=typed)
    ] = None,
    period: Annotated[
        str | None,
        typer.Option("--period", "-p", metavar="PERIOD", help="The sheets must be for this period (a check)."),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Replace reports already in the plan.")] = False,
    complete: Annotated[
        bool, typer.Option("--complete", help="Refuse a sheet that leaves a task blank (未填报).")
    ] = False,
    trust_unsigned: Annotated[
        bool,
        typer.Option(
            "--trust-unsigned",
            help="Take a sheet whose seal cannot be checked here (made elsewhere, or by an older kpsy) at its word.",
        ),
    ] = False,
    plan: PlanOption = None,
) -> None:
    """Read filled-in sheets (.xlsx, or .ods) back into the plan.

    Reports go to plan/progress/<period>/<unit id>.yaml. Every problem is shown at its sheet and cell,
    and nothing is written unless every sheet is sound: its seal, its unit and period (against the
    visible sheet and the file's name), every value. A task left blank is imported as not reported
    on (未填报) and listed; --complete refuses such a sheet. A report already in the plan is replaced
    only with --force (without it, what would change is shown). Imports into one plan take turns
    (a lock), and write all their files or none."""
    from kpsy.api import open_plan
    from kpsy.i18n import msg

    result = open_plan(plan).import_progress(
        files, unit=unit, period=period, force=force, complete=complete, trust_unsigned=trust_unsigned
    )
    for problem in [*result.problems, *result.warnings]:
        err(problem.line())
    if not result.ok:
        err(msg("nothing was written: {n} problem(s)", "未写入任何文件：共 {n} 个问题", n=len(result.problems)))
        raise typer.Exit(1)
    if result.conflicts and not force:
        _show_conflicts(result)
        raise typer.Exit(1)
    _show_written(result)


def _show_conflicts(result: SheetsImport) -> None:
    from kpsy.i18n import msg
    from kpsy.util import display_path

    for planned in result.conflicts:
        err(
            msg(
                "{path} already holds {what}; the import would change:",
                "{path} 已有{what}，导入将作如下修改：",
                path=display_path(planned.path),
                what=f"{planned.report.unit.name}{planned.report.period.label}的报告",
            )
        )
        for line in planned.changes:
            err(f"  {line}")
    err(msg("nothing was written: use --force to replace the report(s)", "未写入任何文件：如确需替换，请加 --force"))


def _show_written(result: SheetsImport) -> None:
    """What each report became, and the tasks each left blank (未填报)."""
    from kpsy.i18n import msg
    from kpsy.sheets.importer import summary
    from kpsy.util import display_path

    for planned in result.planned:
        where = display_path(planned.path)
        if planned.action == "same":
            err(msg("unchanged {path}", "未变化 {path}", path=where))
        else:
            verb = msg("replaced", "已替换") if planned.action == "replace" else msg("wrote", "已写入")
            err(
                msg(
                    "{verb} {path} ({what})",
                    "{verb} {path}（{what}）",
                    verb=verb,
                    path=where,
                    what=summary(planned.report),
                )
            )
        if planned.report.blank:
            err(
                msg(
                    "  not filled in (未填报), listed by `kpsy progress missing`: {tasks}",
                    "  未填报（已列入催报名单，见 kpsy progress missing）：{tasks}",
                    tasks="、".join(planned.report.blank),
                )
            )

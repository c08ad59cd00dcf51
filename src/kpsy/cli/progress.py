"""Commands about progress: the period's matrix and counts (kpsy progress), one unit's history,
fill-in sheets out (sheet), filled sheets in (import), and who owes a report (missing)."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from kpsy.cli.app import err
from kpsy.cli.listings import ListingFormatOption
from kpsy.cli.options import (
    IdsOption,
    OutputOption,
    PlanOption,
    UnitOption,
    choices,
    chosen,
    emit,
    family_help_zh,
    format_option,
    parse_date,
    to_stdout,
    typed,
)
from kpsy.i18n import both, chinese, joined
from kpsy.outputs.formats import made
from kpsy.outputs.listing import LISTING_FORMATS
from kpsy.outputs.progress import PROGRESS_FORMATS

if TYPE_CHECKING:
    from kpsy.sheets.importer import ImportResult as SheetsImport

ProgressFormat = choices(PROGRESS_FORMATS.name, PROGRESS_FORMATS.names)
ImportReportFormat = choices("import-report", ["text", "json"])
SHEET_FORMATS = made("sheet", "xlsx", both("the fill-in workbook", "填报工作簿"))

PERIOD_HELP = both(
    "A year (2024), a quarter (2024Q3) or a month (2024-05).", "报告期：年（2024）、季度（2024Q3）或月（2024-05）。"
)
PeriodOption = Annotated[str | None, typer.Option("--period", "-p", metavar="PERIOD", help=PERIOD_HELP)]
AsOfOption = Annotated[
    str | None,
    typer.Option(
        "--date",
        metavar="YYYY-MM-DD",
        help=both(
            "Judge lateness and the lights as of this day (default: today).",
            "按此日判断逾期和督办灯（默认：当天）。",
        ),
    ),
]


def _as_of(value: str | None) -> dt.date:
    """The day `kpsy progress` judges on: --date, else today (a view of where things stand now)."""
    day: dt.date = parse_date(value) or dt.date.today()
    return day


progress_app = typer.Typer(invoke_without_command=True)
commands = typer.Typer()  # the commands of this module; kpsy.cli.app.COMMANDS names them
commands.add_typer(progress_app, name="progress", rich_help_panel=both("Progress", "进度"))


@progress_app.callback(
    invoke_without_command=True,
    epilog=both(
        """kpsy progress sheet -p 2025 --all --out sheets  a fill-in workbook for every unit
        kpsy progress import sheets/*.xlsx  the filled ones back into the plan
        kpsy progress missing -p 2025  the units that owe a report
        kpsy progress -p 2025 -o progress.pdf  the period's counts and matrix, printed to PDF""",
        """kpsy progress sheet -p 2025 --all --out 填报表  给每个单位生成填报工作簿
        kpsy progress import 填报表/*.xlsx  把填好的表读回计划
        kpsy progress missing -p 2025  欠报的单位（催报）
        kpsy progress -p 2025 -o 进度.pdf  该期的统计和状态矩阵，打印为 PDF""",
    ),
)
@chinese(
    """进度报告：某报告期的进度（按状态的总体统计和分行动统计，以及单位 × 任务的状态矩阵）、给各单位的填报表，
    以及填好后的导入。

    不带子命令时显示进度：不给 --period 时为有报告的最近一期。给 --unit 时：该单位各项任务在各期的状态
    （同时给 --period：该期报告的全文）。

    子命令：sheet 生成填报表，import 导入填好的表，missing 列出欠报单位（催报）。"""
)
def view(
    ctx: typer.Context,
    period: PeriodOption = None,
    unit: UnitOption = None,
    fmt: Annotated[
        ProgressFormat | None,  # type: ignore[valid-type]
        format_option(
            PROGRESS_FORMATS,
            PROGRESS_FORMATS.help() + " (with --unit: the listing formats)",
            family_help_zh(PROGRESS_FORMATS) + "（与 --unit 同用时：列表的格式）",
        ),
    ] = None,
    output: OutputOption = None,
    ids: Annotated[
        bool,
        typer.Option(
            "--ids",
            help=both("With --unit: show each task's id in the table.", "与 --unit 同用：表格中显示每项任务的 id。"),
        ),
    ] = False,
    date: AsOfOption = None,
    plan: PlanOption = None,
) -> None:
    """Progress reports: a period's progress (counts by status, overall and per action, and the unit ×
    task matrix), fill-in sheets for the units, and their import.

    Without a subcommand, the progress: of the latest period with reports unless --period names one.
    With --unit: that unit's tasks across every period (with --period too: its report in full).

    Subcommands: sheet makes fill-in sheets, import reads filled ones back, missing lists the units
    that owe a report."""
    if ctx.invoked_subcommand is not None:
        return
    from kpsy.api import open_plan

    opened = open_plan(plan)
    if unit is not None:
        from kpsy.outputs.progress import unit_listing

        history = opened.history(unit, period)
        listing = unit_listing(history, single=period is not None)
        emit(LISTING_FORMATS, fmt, listing.with_ids(ids), output)
        return
    emit(PROGRESS_FORMATS, fmt, opened.progress(period, as_of=_as_of(date)), output)


@progress_app.command("missing")
@chinese(
    """欠报的单位（催报）。

    某报告期（默认：有报告的最近一期）中没有报告的单位，以及报告漏了任务（留空未填报）的单位，附截止日期和逾期天数。"""
)
def missing(
    period: PeriodOption = None,
    fmt: ListingFormatOption = None,
    output: OutputOption = None,
    ids: IdsOption = False,
    date: AsOfOption = None,
    plan: PlanOption = None,
) -> None:
    """The units that owe a report (催报).

    For a period (default: the latest with reports): units with no report, and units whose report
    leaves tasks out (rows left blank), with the deadline and the days past it."""
    from kpsy.api import open_plan
    from kpsy.outputs.progress import owed_listing

    chosen_period, owed = open_plan(plan).missing(period, as_of=_as_of(date))
    listing = owed_listing(chosen_period.label, owed, chosen_period.shown)
    emit(LISTING_FORMATS, fmt, listing.with_ids(ids), output)


@progress_app.command("sheet")
@chinese(
    """给各单位的填报工作簿（.xlsx）。

    预填并锁定该单位的任务（编号、标题、角色、其他单位），完成状态为下拉选择，附填报说明表，按 A4 设好打印；
    隐藏工作表记录单位和报告期并加签名（密钥保存在计划文件夹的 .kpsy/sheet-key，不进入 git）。
    `--unit U -o FILE` 生成一个单位的，`--all --out DIR` 生成每个单位的。已有的工作簿（可能是单位已填好的表）
    不加 --force 不会被替换。"""
)
def sheet(
    period: Annotated[
        str,
        typer.Option("--period", "-p", metavar="PERIOD", help=PERIOD_HELP),
    ],
    unit: UnitOption = None,
    output: OutputOption = None,
    every: Annotated[
        bool,
        typer.Option(
            "--all",
            help=both(
                "A sheet for every unit with tasks (with --out).", "为每个有任务的单位各生成一个表（与 --out 同用）。"
            ),
        ),
    ] = False,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", metavar="DIR", help=both("Folder for --all (created).", "--all 的输出文件夹（不存在则创建）。")
        ),
    ] = None,
    deadline: Annotated[
        str | None,
        typer.Option(
            "--deadline",
            metavar="YYYY-MM-DD",
            help=both("The date to send the sheet back by.", "报送截止日期。"),
        ),
    ] = None,
    sender: Annotated[
        str | None,
        typer.Option(
            "--sender",
            help=both(
                "To whom (default: the letters' sender in plan/settings.yaml).",
                "报送给谁（默认：plan/settings.yaml 中交办函的发函单位）。",
            ),
        ),
    ] = None,
    force: Annotated[
        bool,
        typer.Option(
            "--force",
            help=both(
                "Replace workbooks already there (they may be filled-in sheets).",
                "替换已有的工作簿（它们可能是单位已填好的表）。",
            ),
        ),
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
    from kpsy.i18n import msg
    from kpsy.outputs.formats import progress_bar

    _check_sheet_usage(every, unit, output, out)
    opened = open_plan(plan)
    due = parse_date(deadline)
    if unit is not None and output is not None:
        from kpsy.outputs.formats import is_standard_output
        from kpsy.sheets.write import refuse_existing

        replaced = [] if is_standard_output(output) else refuse_existing([output], force)
        made_sheet = opened.progress_sheet(unit, period, deadline=due, sender=sender, filename=output.name)
        emit(SHEET_FORMATS, None, made_sheet, output)
        if replaced:
            err(msg("(it replaced the workbook that was there)", "（替换了原有的工作簿）"))
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
                units=joined(result.skipped),
            )
        )
    err(msg("wrote {n} sheet(s) to {out}", "已在 {out} 写入 {n} 个填报表", n=len(result.written), out=out))


def _check_sheet_usage(every: bool, unit: str | None, output: Path | None, out: Path | None) -> None:
    """--unit U -o FILE or --all --out DIR, and the file's ending and the folder checked before any work."""
    from kpsy.errors import UsageError
    from kpsy.i18n import msg
    from kpsy.outputs.formats import check_folder

    if every == (unit is not None):
        raise UsageError(msg("give --unit U -o FILE, or --all --out DIR", "请用 --unit U -o FILE，或 --all --out DIR"))
    if every and (out is None or output is not None):
        raise UsageError(
            msg("--all writes a sheet a unit: give --out DIR", "--all 为每个单位各写一个表：请用 --out DIR")
        )
    if unit is not None and (output is None or out is not None):
        raise UsageError(msg("--unit writes one workbook: give -o FILE.xlsx", "--unit 写一个工作簿：请用 -o FILE.xlsx"))
    if output is not None:
        SHEET_FORMATS.target(None, output)  # the file's ending is checked before any work
    if out is not None:
        check_folder(out)


@progress_app.command("import")
@chinese(
    """把填好的表读回计划。

    报告写入 plan/progress/<报告期>/<单位 id>.yaml。读 .xlsx 或 .ods。每个问题都指出所在的表和单元格；只有全部
    表都无问题（签名、单位和报告期与表内所填及文件名一致、每个值）才写入任何文件。整行留空的任务按“未填报”
    导入并列出，加 --complete 则拒收。计划中已有的报告只有加 --force 才替换（不加时显示将作的修改）。
    同一计划的导入依次进行（加锁），要么全部写入，要么一个不写。

    每份报告记下办公室收到它的日期（收到日期），是否逾期按此判断：默认为导入当天，即办公室登记收到之日；
    一批表收到后过了几天才导入时，用 --received 给出实际收到的日期。重新导入同一单位同一期的更正表时，沿用
    计划中已记下的首次收到日期（更正不算逾期），除非给出 --received；原报告未记收到日期的，仍不记，按填报日期
    判断。导入结果列出每份报告的收到日期及按时或逾期天数。"""
)
def import_(
    files: Annotated[
        list[Path], typer.Argument(metavar="FILE.xlsx...", help=both("Filled-in sheets.", "填好的填报表。"))
    ],
    unit: Annotated[
        str | None,
        typer.Option(
            "--unit",
            "-u",
            help=both("The sheets must be this unit's (a check).", "这些表必须是该单位的（用于核对）。"),
            callback=typed,
        ),
    ] = None,
    period: Annotated[
        str | None,
        typer.Option(
            "--period",
            "-p",
            metavar="PERIOD",
            help=both("The sheets must be for this period (a check).", "这些表必须属于该报告期（用于核对）。"),
        ),
    ] = None,
    force: Annotated[
        bool, typer.Option("--force", help=both("Replace reports already in the plan.", "替换计划中已有的报告。"))
    ] = False,
    complete: Annotated[
        bool,
        typer.Option(
            "--complete",
            help=both("Refuse a sheet that leaves a task blank (not filled in).", "拒收留有空行（未填报任务）的表。"),
        ),
    ] = False,
    trust_unsigned: Annotated[
        bool,
        typer.Option(
            "--trust-unsigned",
            help=both(
                "Take a sheet whose seal cannot be checked here (made elsewhere, or by an older kpsy) at its word.",
                "签名无法在本机核验的表（在别处生成，或由旧版 kpsy 生成）也照表中所写导入。",
            ),
        ),
    ] = False,
    received: Annotated[
        str | None,
        typer.Option(
            "--received",
            metavar="YYYY-MM-DD",
            help=both(
                "The day the office received these sheets (2025/12/10 and 2025.12.10 are read too),"
                " by which lateness is judged. Default: today, the day of the import; a report already in the"
                " plan keeps the day first recorded.",
                "办公室收到这些表的日期（收到日期；也可写 2025/12/10、2025年12月10日），是否逾期按此判断。"
                "默认：导入当天；计划中已有的报告沿用首次记下的收到日期。",
            ),
        ),
    ] = None,
    fmt: Annotated[
        ImportReportFormat,  # type: ignore[valid-type]
        typer.Option(
            "--format",
            "-f",
            metavar="FORMAT",
            help=both(
                "text: the summary on standard error; json: also the import as data on standard output"
                " (each report's file, path, action, date, received, deadline, state, days_late; the problems).",
                "text：在标准错误输出摘要；json：另在标准输出给出导入结果数据（每份报告的文件、路径、操作、填报日期、"
                "收到日期、截止日期、按时或逾期及逾期天数；以及问题）。",
            ),
        ),
    ] = "text",
    plan: PlanOption = None,
) -> None:
    """Read filled-in sheets (.xlsx, or .ods) back into the plan.

    Reports go to plan/progress/<period>/<unit id>.yaml. Every problem is shown at its sheet and cell,
    and nothing is written unless every sheet is sound: its seal, its unit and period (against the
    visible sheet and the file's name), every value. A task left blank is imported as not reported
    on and listed; --complete refuses such a sheet. A report already in the plan is replaced
    only with --force (without it, what would change is shown). Imports into one plan take turns
    (a lock), and write all their files or none.

    Each report records the day the office received it, by which its lateness is judged:
    by default the day of the import, which is the office registering it; --received gives the day
    a batch came in when it is imported later. A corrected sheet for a unit and period already in
    the plan keeps the day first recorded (a correction is not late) unless --received is given; a
    report recorded without one stays without, judged by the date on its sheet. The summary shows
    the day each report was received and whether it came on time or how many days late."""
    from kpsy.api import open_plan
    from kpsy.i18n import msg
    from kpsy.util import dump_json

    result = open_plan(plan).import_progress(
        files,
        unit=unit,
        period=period,
        force=force,
        complete=complete,
        trust_unsigned=trust_unsigned,
        received=received,
    )
    if chosen(fmt) == "json":
        to_stdout(dump_json(result.as_dict()))
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
                    what=summary(planned),
                )
            )
        if planned.receipt == "today" and planned.days_late:
            err(
                msg(
                    "  if it came in earlier, import it again with --received YYYY-MM-DD --force",
                    "  如该报告实际收到得更早，请加 --received 收到日期 --force 重新导入",
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

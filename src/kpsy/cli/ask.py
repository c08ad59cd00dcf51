"""Commands that ask the plan: tasks, units, coverage, targets, schedule, show."""

from __future__ import annotations

from typing import Annotated

import typer

from kpsy.cli.listings import ListingFormatOption
from kpsy.cli.options import IdsOption, OutputOption, PlanOption, UnitOption, choices, emit, format_option, typed
from kpsy.i18n import both, chinese
from kpsy.outputs.listing import LISTING_FORMATS
from kpsy.outputs.views import SHOW_FORMATS

ShowFormat = choices(SHOW_FORMATS.name, SHOW_FORMATS.names)

commands = typer.Typer()  # the commands of this module; kpsy.cli.app.COMMANDS names them
PANEL = both("Ask the plan", "查询计划")


def _roles(values: list[str] | None) -> list[str] | None:
    """--role values as role keys, refused as the core refuses them, as a usage error of --role."""
    from kpsy.errors import UsageError
    from kpsy.queries.roles import role_keys

    try:
        return list(role_keys(values)) if values else values
    except UsageError as exc:
        raise typer.BadParameter(exc.message) from None


def _role_names() -> list[str]:
    from kpsy.queries.roles import ROLE_NAMES

    return list(ROLE_NAMES)


@commands.command(
    rich_help_panel=PANEL,
    epilog=both(
        """kpsy tasks --unit 教育局  what 教育局 must do
        kpsy tasks --unit 教育局 --role lead -o lead.xlsx  the tasks it leads, as a workbook
        kpsy tasks --part 三 -f csv -o part3.csv  every task of part 三 with its units, for Excel""",
        """kpsy tasks --unit 教育局  教育局要做什么
        kpsy tasks --unit 教育局 --role 牵头 -o 牵头任务.xlsx  它牵头的任务，写成工作簿
        kpsy tasks --part 三 -f csv -o 第三部分.csv  第三部分的全部任务及责任单位，供 Excel 使用""",
    ),
)
@chinese(
    """某单位要做什么：按行动列出它的任务（按原文顺序），以及它在每项任务中的角色（牵头、参加、提及）、
    共同牵头单位和参加单位。不给 --unit 时：列出每项任务及其责任单位。"""
)
def tasks(
    unit: UnitOption = None,
    role: Annotated[
        list[str] | None,
        typer.Option(
            "--role",
            "-r",
            metavar="ROLE",
            callback=_roles,
            autocompletion=_role_names,
            help=both(
                "Only tasks where the unit has this role: lead, participant, mentioned (or 牵头, 参加, 提及); repeatable.",
                "只列该单位担任此角色的任务：牵头、参加、提及（或 lead、participant、mentioned）；可重复。",
            ),
        ),
    ] = None,
    part: Annotated[
        str | None,
        typer.Option(
            "--part", help=both("Only this part: id, number (二) or title.", "只列此部分：id、编号（二）或标题。")
        ),
    ] = None,
    action: Annotated[
        str | None,
        typer.Option(
            "--action",
            help=both("Only this action: id, number (二（一）) or title.", "只列此行动：id、编号（二（一））或标题。"),
        ),
    ] = None,
    fmt: ListingFormatOption = None,
    output: OutputOption = None,
    ids: IdsOption = False,
    plan: PlanOption = None,
) -> None:
    """What a unit must do: its tasks by action in document order, with its role (lead, participant,
    mentioned), co-leads and participants. Without --unit: every task with its units."""
    from kpsy.api import open_plan

    listing = open_plan(plan).listing("tasks", unit=unit, roles=role or [], part=part, action=action)
    emit(LISTING_FORMATS, fmt, listing.with_ids(ids), output)


@commands.command(rich_help_panel=PANEL)
@chinese("按排序规则（党委部门、政府部门、驻区单位、群团）列出单位名录，以及各单位牵头、参加和被提及的行动与任务。")
def units(
    fmt: ListingFormatOption = None, output: OutputOption = None, ids: IdsOption = False, plan: PlanOption = None
) -> None:
    """The unit registry in protocol order, with each unit's actions and tasks as lead, participant and mentioned."""
    from kpsy.api import open_plan

    listing = open_plan(plan).listing("units")
    emit(LISTING_FORMATS, fmt, listing.with_ids(ids), output)


@commands.command(rich_help_panel=PANEL)
@chinese(
    """责任矩阵（单位 × 行动：牵 / 参 / 提及）及缺漏：没有牵头单位的行动、从未分配任务的单位、文中提及
    但责任分工未列的单位、没有任何责任分工的部分。"""
)
def coverage(
    fmt: ListingFormatOption = None, output: OutputOption = None, ids: IdsOption = False, plan: PlanOption = None
) -> None:
    """The responsibility matrix (units × actions: 牵 / 参 / 提及) and what is missing: actions without a
    lead, units never assigned, units the text names but the responsibility line omits, parts without
    any responsibility line."""
    from kpsy.api import open_plan

    listing = open_plan(plan).listing("coverage")
    emit(LISTING_FORMATS, fmt, listing.with_ids(ids), output)


@commands.command(rich_help_panel=PANEL)
@chinese(
    """数量目标，每项注明原文出处。

    进度报告给出实测值（或 targets.yaml 给出基线）后：列出每项指标的基线、最新值及相对目标的趋势。"""
)
def targets(
    fmt: ListingFormatOption = None, output: OutputOption = None, ids: IdsOption = False, plan: PlanOption = None
) -> None:
    """The numeric targets, each with where the text states it.

    Once progress reports give measured values (or targets.yaml a baseline): each indicator's baseline,
    latest value and trend against its target."""
    from kpsy.api import open_plan

    listing = open_plan(plan).listing("targets")
    emit(LISTING_FORMATS, fmt, listing.with_ids(ids), output)


@commands.command(rich_help_panel=PANEL)
@chinese("进度安排：各进度节点及其时段，每项注明原文出处。")
def schedule(
    fmt: ListingFormatOption = None, output: OutputOption = None, ids: IdsOption = False, plan: PlanOption = None
) -> None:
    """The schedule (进度安排): milestones with their periods, each with where the text states it."""
    from kpsy.api import open_plan

    listing = open_plan(plan).listing("schedule")
    emit(LISTING_FORMATS, fmt, listing.with_ids(ids), output)


@commands.command(rich_help_panel=PANEL)
@chinese(
    """完整显示一个部分、行动或任务：原文、责任分工，以及指向它的目标和进度节点。可按 id、编号或标题指定；
    对应多项时全部列出。"""
)
def show(
    ident: Annotated[
        str,
        typer.Argument(
            metavar="ITEM",
            help=both(
                "A part, action or task: its id (youth-talent), its number in any usual spelling (二（一）5, 二(一)5．,"
                " 二、) or its title, whole or an unambiguous part of it.",
                "部分、行动或任务：id（如 youth-talent）、任一常见写法的编号（二（一）5、二(一)5．、二、）或标题"
                "（全部或不致混淆的一部分）。",
            ),
            callback=typed,
        ),
    ],
    fmt: Annotated[
        ShowFormat | None,  # type: ignore[valid-type]
        format_option(SHOW_FORMATS),
    ] = None,
    output: OutputOption = None,
    plan: PlanOption = None,
) -> None:
    """One part, action or task in full: its text, its responsibility, and the targets and milestones
    that point to it. Name it by id, number or title; a name that fits several lists them."""
    from kpsy.api import open_plan

    emit(SHOW_FORMATS, fmt, open_plan(plan).show(ident), output)

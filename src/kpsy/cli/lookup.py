"""Commands that find things: search (where the plan speaks of something) and unit (one unit on one page)."""

from __future__ import annotations

from typing import Annotated

import typer

from kpsy.cli.listings import ListingFormatOption
from kpsy.cli.options import IdsOption, OutputOption, PlanOption, UnitOption, choices, emit, format_option, typed
from kpsy.i18n import both, chinese
from kpsy.outputs.listing import LISTING_FORMATS
from kpsy.outputs.lookup import PROFILE_FORMATS

ProfileFormat = choices(PROFILE_FORMATS.name, PROFILE_FORMATS.names)

commands = typer.Typer()  # the commands of this module; kpsy.cli.app.COMMANDS names them
PANEL = both("Ask the plan", "查询计划")


@commands.command(rich_help_panel=PANEL)
@chinese(
    """方案中哪里说到 TEXT：全文（通知、前言、各部分、行动、任务、责任分工、进度安排）中的每一处，附编号、
    标题和上下文。

    不分全角半角和大小写（ＡＩ 可找到 AI）；给 --unit 时只找该单位的行动和任务。没有找到时在标准错误
    上说明（退出状态 0）。"""
)
def search(
    text: Annotated[
        str,
        typer.Argument(
            metavar="TEXT",
            help=both(
                "The words to find (or a regular expression with --regex).",
                "要查找的文字（或 --regex 时的正则表达式）。",
            ),
            callback=typed,
        ),
    ],
    regex: Annotated[
        bool,
        typer.Option(
            "--regex",
            "-E",
            help=both(
                "TEXT is a Python regular expression, matched as the text is written.",
                "TEXT 是 Python 正则表达式，按原文字面匹配。",
            ),
        ),
    ] = False,
    unit: UnitOption = None,
    fmt: ListingFormatOption = None,
    output: OutputOption = None,
    ids: IdsOption = False,
    plan: PlanOption = None,
) -> None:
    """Where the plan speaks of TEXT: every hit in the whole document (notice, preamble, parts, actions,
    tasks, responsibility lines, schedule) with its number, title and the words around it.

    Words match whatever their width or case (ＡＩ finds AI); with --unit, only the hits in that
    unit's actions and tasks. No hit is said on standard error (exit 0)."""
    from kpsy.api import open_plan

    listing = open_plan(plan).listing("search", text=text, regex=regex, unit=unit)
    emit(LISTING_FORMATS, fmt, listing.with_ids(ids), output)


@commands.command(rich_help_panel=PANEL)
@chinese(
    """一页看一个单位：各角色的计数（牵头、参加、提及），它牵头的行动及合作单位，它参加的行动及牵头单位，
    它的任务，以及与它有关的目标和进度节点。"""
)
def unit(
    name: Annotated[
        str,
        typer.Argument(
            metavar="NAME",
            help=both("The unit: short name, full name, alias or id.", "单位：简称、全称、别名或 id。"),
            callback=typed,
        ),
    ],
    fmt: Annotated[
        ProfileFormat | None,  # type: ignore[valid-type]
        format_option(PROFILE_FORMATS),
    ] = None,
    output: OutputOption = None,
    plan: PlanOption = None,
) -> None:
    """One unit on one page: its roles counted (lead, participant, mentioned), the actions it leads and
    with whom, the actions it takes part in and who leads them, its tasks, and the targets and
    milestones that concern it."""
    from kpsy.api import open_plan

    emit(PROFILE_FORMATS, fmt, open_plan(plan).profile(name), output)

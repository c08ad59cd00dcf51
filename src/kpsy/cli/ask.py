"""Commands that ask the plan: tasks, units, coverage, targets, schedule, show."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

import typer

from kpsy.cli.options import OutputOption, PlanOption, UnitOption, choices, emit, typed
from kpsy.outputs.listing import FORMATS as LISTINGS
from kpsy.outputs.views import SHOW_FORMATS

ListingFormat = choices(LISTINGS.name, LISTINGS.names)
ShowFormat = choices(SHOW_FORMATS.name, SHOW_FORMATS.names)
SHOW_TEXT = ShowFormat("text")
ListingFormatOption = Annotated[
    ListingFormat,  # type: ignore[valid-type]
    typer.Option("--format", "-f", help=LISTINGS.help()),
]
TABLE = ListingFormat("table")

commands = typer.Typer()  # the commands of this module; kpsy.cli.app.COMMANDS names them
PANEL = "Ask the plan"


class RoleChoice(str, Enum):
    lead = "lead"
    participant = "participant"
    mentioned = "mentioned"


@commands.command(rich_help_panel=PANEL)
def tasks(
    unit: UnitOption = None,
    role: Annotated[
        list[RoleChoice] | None,
        typer.Option("--role", "-r", help="Only tasks where the unit has this role (repeatable)."),
    ] = None,
    part: Annotated[str | None, typer.Option("--part", help="Only this part: id, number (二) or title.")] = None,
    action: Annotated[
        str | None, typer.Option("--action", help="Only this action: id, number (二（一）) or title.")
    ] = None,
    fmt: ListingFormatOption = TABLE,
    output: OutputOption = None,
    plan: PlanOption = None,
) -> None:
    """What a unit must do: its tasks by action in document order, with its role (lead, participant,
    mentioned), co-leads and participants. Without --unit: every task with its units."""
    from kpsy.api import open_plan
    from kpsy.errors import UsageError
    from kpsy.outputs.views import tasks_listing

    if role and unit is None:
        raise UsageError("--role needs --unit")
    opened = open_plan(plan)
    chosen = opened.unit(unit) if unit is not None else None
    rows = opened.tasks(chosen, [r.value for r in role or []], part, action)
    emit(LISTINGS, fmt, tasks_listing(rows, chosen, summary=not (role or part or action)), output)


@commands.command(rich_help_panel=PANEL)
def units(fmt: ListingFormatOption = TABLE, output: OutputOption = None, plan: PlanOption = None) -> None:
    """The unit registry in protocol order, with each unit's actions and tasks as lead, participant and mentioned."""
    from kpsy.api import open_plan
    from kpsy.outputs.views import units_listing

    emit(LISTINGS, fmt, units_listing(open_plan(plan).units()), output)


@commands.command(rich_help_panel=PANEL)
def coverage(fmt: ListingFormatOption = TABLE, output: OutputOption = None, plan: PlanOption = None) -> None:
    """The responsibility matrix (units × actions: 牵 / 参 / 提及) and what is missing: actions without a
    lead, units never assigned, units the text names but the responsibility line omits, parts without
    any responsibility line."""
    from kpsy.api import open_plan
    from kpsy.outputs.views import coverage_listing

    emit(LISTINGS, fmt, coverage_listing(open_plan(plan).coverage()), output)


@commands.command(rich_help_panel=PANEL)
def targets(fmt: ListingFormatOption = TABLE, output: OutputOption = None, plan: PlanOption = None) -> None:
    """The numeric targets, each with where the text states it.

    Once progress reports give measured values (or targets.yaml a baseline): each indicator's baseline,
    latest value and trend against its target."""
    from kpsy.api import open_plan
    from kpsy.outputs.views import indicators_listing, targets_listing
    from kpsy.queries.progress import has_indicator_data

    opened = open_plan(plan)
    indicators = opened.indicators()
    if has_indicator_data(indicators):
        emit(LISTINGS, fmt, indicators_listing(indicators), output)
    else:
        emit(LISTINGS, fmt, targets_listing(opened.targets()), output)


@commands.command(rich_help_panel=PANEL)
def schedule(fmt: ListingFormatOption = TABLE, output: OutputOption = None, plan: PlanOption = None) -> None:
    """The schedule (进度安排): milestones with their periods, each with where the text states it."""
    from kpsy.api import open_plan
    from kpsy.outputs.views import schedule_listing

    emit(LISTINGS, fmt, schedule_listing(open_plan(plan).schedule()), output)


@commands.command(rich_help_panel=PANEL)
def show(
    ident: Annotated[
        str,
        typer.Argument(
            metavar="ITEM",
            help="A part, action or task: its id (youth-talent), its number in any usual spelling (二（一）5, 二(一)5．,"
            " 二、) or its title, whole or an unambiguous part of it.",
            callback=typed,
        ),
    ],
    fmt: Annotated[
        ShowFormat,  # type: ignore[valid-type]
        typer.Option("--format", "-f", help=SHOW_FORMATS.help()),
    ] = SHOW_TEXT,
    output: OutputOption = None,
    plan: PlanOption = None,
) -> None:
    """One part, action or task in full: its text, its responsibility, and the targets and milestones
    that point to it. Name it by id, number or title; a name that fits several lists them."""
    from kpsy.api import open_plan

    emit(SHOW_FORMATS, fmt, open_plan(plan).show(ident), output)

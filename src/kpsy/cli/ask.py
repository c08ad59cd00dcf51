"""Commands that ask the plan: tasks, units, coverage, targets, schedule, show."""

from __future__ import annotations

from typing import Annotated

import typer

from kpsy.cli.listings import ListingFormatOption
from kpsy.cli.options import IdsOption, OutputOption, PlanOption, UnitOption, choices, emit, format_option, typed
from kpsy.i18n import msg
from kpsy.outputs.listing import FORMATS as LISTINGS
from kpsy.outputs.views import SHOW_FORMATS

ShowFormat = choices(SHOW_FORMATS.name, SHOW_FORMATS.names)

commands = typer.Typer()  # the commands of this module; kpsy.cli.app.COMMANDS names them
PANEL = "Ask the plan"


ROLES = {
    "lead": "lead",
    "牵头": "lead",
    "participant": "participant",
    "参加": "participant",
    "mentioned": "mentioned",
    "提及": "mentioned",
}


def _roles(values: list[str] | None) -> list[str] | None:
    """--role values as role keys: lead / participant / mentioned, or 牵头 / 参加 / 提及."""
    if not values:
        return values
    unknown = [v for v in values if v.strip().lower() not in ROLES]
    if unknown:
        raise typer.BadParameter(
            msg(
                "{v} is not a role; choose lead, participant, mentioned (牵头, 参加, 提及)",
                "“{v}”不是角色；可选 牵头、参加、提及（lead、participant、mentioned）",
                v=unknown[0],
            )
        )
    return [ROLES[v.strip().lower()] for v in values]


@commands.command(rich_help_panel=PANEL)
def tasks(
    unit: UnitOption = None,
    role: Annotated[
        list[str] | None,
        typer.Option(
            "--role",
            "-r",
            metavar="ROLE",
            callback=_roles,
            autocompletion=lambda: list(ROLES),
            help="Only tasks where the unit has this role: lead, participant, mentioned (or 牵头, 参加, 提及); repeatable.",
        ),
    ] = None,
    part: Annotated[str | None, typer.Option("--part", help="Only this part: id, number (二) or title.")] = None,
    action: Annotated[
        str | None, typer.Option("--action", help="Only this action: id, number (二（一）) or title.")
    ] = None,
    fmt: ListingFormatOption = None,
    output: OutputOption = None,
    ids: IdsOption = False,
    plan: PlanOption = None,
) -> None:
    """What a unit must do: its tasks by action in document order, with its role (lead, participant,
    mentioned), co-leads and participants. Without --unit: every task with its units."""
    from kpsy.api import open_plan
    from kpsy.errors import UsageError
    from kpsy.outputs.views import tasks_listing

    if role and unit is None:
        raise UsageError(msg("--role needs --unit", "--role 需要和 --unit 一起用"))
    opened = open_plan(plan)
    chosen = opened.unit(unit) if unit is not None else None
    rows = opened.tasks(chosen, role or [], part, action)  # type: ignore[arg-type]  # _roles made them keys
    listing = tasks_listing(rows, chosen, summary=not (role or part or action), roles=role or [])
    emit(LISTINGS, fmt, listing.with_ids(ids), output)


@commands.command(rich_help_panel=PANEL)
def units(
    fmt: ListingFormatOption = None, output: OutputOption = None, ids: IdsOption = False, plan: PlanOption = None
) -> None:
    """The unit registry in protocol order, with each unit's actions and tasks as lead, participant and mentioned."""
    from kpsy.api import open_plan
    from kpsy.outputs.views import units_listing

    listing = units_listing(open_plan(plan).units())
    emit(LISTINGS, fmt, listing.with_ids(ids), output)


@commands.command(rich_help_panel=PANEL)
def coverage(
    fmt: ListingFormatOption = None, output: OutputOption = None, ids: IdsOption = False, plan: PlanOption = None
) -> None:
    """The responsibility matrix (units × actions: 牵 / 参 / 提及) and what is missing: actions without a
    lead, units never assigned, units the text names but the responsibility line omits, parts without
    any responsibility line."""
    from kpsy.api import open_plan
    from kpsy.outputs.views import coverage_listing

    listing = coverage_listing(open_plan(plan).coverage())
    emit(LISTINGS, fmt, listing.with_ids(ids), output)


@commands.command(rich_help_panel=PANEL)
def targets(
    fmt: ListingFormatOption = None, output: OutputOption = None, ids: IdsOption = False, plan: PlanOption = None
) -> None:
    """The numeric targets, each with where the text states it.

    Once progress reports give measured values (or targets.yaml a baseline): each indicator's baseline,
    latest value and trend against its target."""
    from kpsy.api import open_plan
    from kpsy.outputs.views import indicators_listing, targets_listing
    from kpsy.queries.progress import has_indicator_data

    opened = open_plan(plan)
    indicators = opened.indicators()
    listing = indicators_listing(indicators) if has_indicator_data(indicators) else targets_listing(opened.targets())
    emit(LISTINGS, fmt, listing.with_ids(ids), output)


@commands.command(rich_help_panel=PANEL)
def schedule(
    fmt: ListingFormatOption = None, output: OutputOption = None, ids: IdsOption = False, plan: PlanOption = None
) -> None:
    """The schedule (进度安排): milestones with their periods, each with where the text states it."""
    from kpsy.api import open_plan
    from kpsy.outputs.views import schedule_listing

    listing = schedule_listing(open_plan(plan).schedule())
    emit(LISTINGS, fmt, listing.with_ids(ids), output)


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

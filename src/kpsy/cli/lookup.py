"""Commands that find things: search (where the plan speaks of something) and unit (one unit on one page)."""

from __future__ import annotations

from typing import Annotated

import typer

from kpsy.cli.listings import ListingFormatOption
from kpsy.cli.options import IdsOption, OutputOption, PlanOption, UnitOption, choices, emit, format_option, typed
from kpsy.outputs.listing import FORMATS as LISTINGS
from kpsy.outputs.lookup import PROFILE_FORMATS

ProfileFormat = choices(PROFILE_FORMATS.name, PROFILE_FORMATS.names)

commands = typer.Typer()  # the commands of this module; kpsy.cli.app.COMMANDS names them
PANEL = "Ask the plan"


@commands.command(rich_help_panel=PANEL)
def search(
    text: Annotated[
        str,
        typer.Argument(
            metavar="TEXT", help="The words to find (or a regular expression with --regex).", callback=typed
        ),
    ],
    regex: Annotated[
        bool, typer.Option("--regex", "-E", help="TEXT is a Python regular expression, matched as the text is written.")
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
    from kpsy.outputs.lookup import search_listing

    result = open_plan(plan).search(text, regex=regex, unit=unit)
    listing = search_listing(result)
    emit(LISTINGS, fmt, listing.with_ids(ids), output)


@commands.command(rich_help_panel=PANEL)
def unit(
    name: Annotated[
        str,
        typer.Argument(metavar="NAME", help="The unit: short name, full name, alias or id.", callback=typed),
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

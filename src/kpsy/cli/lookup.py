"""Commands that find things: search (where the plan speaks of something) and unit (one unit on one page)."""

from __future__ import annotations

from typing import Annotated

import typer

from kpsy.cli.app import err
from kpsy.cli.options import OutputOption, PlanOption, UnitOption, choices, chosen, emit, typed
from kpsy.i18n import msg
from kpsy.outputs.listing import FORMATS as LISTINGS
from kpsy.outputs.lookup import PROFILE_FORMATS

ListingFormat = choices(LISTINGS.name, LISTINGS.names)
ProfileFormat = choices(PROFILE_FORMATS.name, PROFILE_FORMATS.names)
TABLE = ListingFormat("table")
TEXT = ProfileFormat("text")

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
    fmt: Annotated[
        ListingFormat,  # type: ignore[valid-type]
        typer.Option("--format", "-f", help=LISTINGS.help()),
    ] = TABLE,
    output: OutputOption = None,
    plan: PlanOption = None,
) -> None:
    """Where the plan speaks of TEXT: every hit in the whole document (notice, preamble, parts, actions,
    tasks, responsibility lines, schedule) with its number, title and the words around it.

    Words match whatever their width or case (ＡＩ finds AI); with --unit, only the hits in that
    unit's actions and tasks. No hit is said on standard error (exit 0)."""
    from kpsy.api import open_plan
    from kpsy.outputs.lookup import search_listing

    opened = open_plan(plan)
    result = opened.search(text, regex=regex, unit=unit)
    if not result.hits:
        where = msg(" in {u}'s actions and tasks", "（{u}的行动和任务中）", u=result.unit) if result.unit else ""
        err(msg("no hits for “{q}”{where}", "没有找到“{q}”{where}", q=text, where=where))
        if chosen(fmt) == "table" and output is None:
            return
    emit(LISTINGS, fmt, search_listing(result), output)


@commands.command(rich_help_panel=PANEL)
def unit(
    name: Annotated[
        str,
        typer.Argument(metavar="NAME", help="The unit: short name, full name, alias or id.", callback=typed),
    ],
    fmt: Annotated[
        ProfileFormat,  # type: ignore[valid-type]
        typer.Option("--format", "-f", help=PROFILE_FORMATS.help()),
    ] = TEXT,
    output: OutputOption = None,
    plan: PlanOption = None,
) -> None:
    """One unit on one page: its roles counted (lead, participant, mentioned), the actions it leads and
    with whom, the actions it takes part in and who leads them, its tasks, and the targets and
    milestones that concern it."""
    from kpsy.api import open_plan

    emit(PROFILE_FORMATS, fmt, open_plan(plan).profile(name), output)

"""The --format option of every command whose output is a listing (tasks, units, search, progress missing…)."""

from __future__ import annotations

from typing import Annotated

from kpsy.cli.options import choices, format_option
from kpsy.outputs.listing import LISTING_FORMATS

ListingFormat = choices(LISTING_FORMATS.name, LISTING_FORMATS.names)
ListingFormatOption = Annotated[
    ListingFormat | None,  # type: ignore[valid-type]
    format_option(LISTING_FORMATS),
]

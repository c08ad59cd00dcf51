"""Cells for Excel and WPS: what comes from the plan or a sheet is shown literally, never run.

A text that starts like a formula (= + - @, a tab or a carriage return) would be a live formula in
a spreadsheet. In .xlsx such text is stored as a text cell; in CSV it is prefixed with an apostrophe,
as OWASP's CSV-injection guidance says. Numbers stay numbers.
"""

from __future__ import annotations

from typing import Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_text(value: str) -> str:
    """A CSV field that a spreadsheet shows as the text it is."""
    return "'" + value if value.startswith(FORMULA_START) else value


def put(cell: Any, value: Any) -> None:
    """Set an openpyxl cell: numbers as numbers, anything else as text (never a formula; control
    characters, which a workbook cannot hold, written as visible escapes)."""
    if value is None:
        cell.value = None
    elif isinstance(value, bool):
        from kpsy.i18n import msg

        cell.value = msg("yes", "是") if value else msg("no", "否")
        cell.data_type = "s"
    elif isinstance(value, int | float):
        cell.value = value
    else:
        from kpsy.util import xml_safe

        cell.value = xml_safe(str(value))
        cell.data_type = "s"

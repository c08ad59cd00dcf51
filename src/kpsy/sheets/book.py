"""A workbook as the import reads it, whatever program saved it: its sheets, the cells present in each
(never the declared dimension), which rows, columns and sheets are hidden, and merged ranges.

One reader a format (`kpsy.sheets.opening`): Office Open XML (.xlsx, from Excel, WPS or LibreOffice) and
OpenDocument (.ods, LibreOffice's own). Both read the file's bytes once (`kpsy.bounded.read_input`),
check the archive before reading any part of it (`kpsy.bounded.Archive`), and stream its XML with
document type declarations refused (`kpsy.bounded.parse_xml`). A sheet may hold at most
`MAX_CELLS` cells with something in them, counted as they are read; repeated rows and cells (.ods)
are counted as what they repeat.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from kpsy.bounded import BoundsError, Limits
from kpsy.i18n import msg

MiB = 1024 * 1024
MAX_BYTES = 20 * MiB  # a filled sheet is a few hundred KiB
LIMITS = Limits(members=500, member_bytes=32 * MiB, total_bytes=96 * MiB)
MAX_CELLS = 100_000  # cells holding something, in one sheet (a unit's sheet has a few hundred)
MAX_REPEAT = 1_048_576  # rows or columns one repeated .ods row or cell may stand for (a whole sheet)

Value = str | float | bool | dt.datetime | None


@dataclass
class Cell:
    """What a cell holds: `kind` is text, number, bool, date, error or formula; `percent` says a
    number is shown as a percentage (52% is stored 0.52)."""

    value: Value
    kind: str
    percent: bool = False
    formula: str = ""
    serial: float | None = None  # a date-formatted number as it was stored, before it was read as a date


@dataclass
class Sheet:
    name: str
    state: str = "visible"  # visible, hidden, veryHidden
    cells: dict[tuple[int, int], Cell] = field(default_factory=dict)  # (row, column), 1-based
    hidden_rows: list[tuple[int, int]] = field(default_factory=list)  # first and last row of each hidden run
    hidden_columns: list[tuple[int, int]] = field(default_factory=list)
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # first row, column, last row, column
    protected: bool = False
    _index: dict[int, list[int]] | None = field(default=None, repr=False, compare=False)

    def put(self, row: int, column: int, cell: Cell, where: str) -> None:
        """Add a cell that holds something, counting it against MAX_CELLS."""
        if len(self.cells) >= MAX_CELLS:
            raise BoundsError(
                where,
                msg(
                    "sheet {sheet} holds more than {limit:,} cells with something in them; a fill-in sheet holds a few hundred",
                    "工作表“{sheet}”中有内容的单元格超过 {limit:,} 个（填报表只有几百个），拒绝读取",
                    sheet=self.name,
                    limit=MAX_CELLS,
                ),
            )
        self.cells[(row, column)] = cell
        self._index = None

    def row_hidden(self, row: int) -> bool:
        return any(first <= row <= last for first, last in self.hidden_rows)

    def column_hidden(self, column: int) -> bool:
        return any(first <= column <= last for first, last in self.hidden_columns)

    def rows(self) -> list[int]:
        """The rows that hold something, in order."""
        return sorted(self._by_row())

    def in_row(self, row: int) -> list[int]:
        """The columns of the cells of `row` that hold something, in order."""
        return self._by_row().get(row, [])

    def _by_row(self) -> dict[int, list[int]]:
        if self._index is None:
            index: dict[int, list[int]] = {}
            for row, column in sorted(self.cells):
                index.setdefault(row, []).append(column)
            self._index = index
        return self._index


@dataclass
class Book:
    format: str  # xlsx or ods
    sheets: dict[str, Sheet] = field(default_factory=dict)
    epoch: dt.datetime = dt.datetime(1899, 12, 30)  # day 0 of date serials (1904-01-01 for 1904 workbooks)


def column_letter(column: int) -> str:
    letters = ""
    while column > 0:
        column, rest = divmod(column - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def coordinate(row: int, column: int) -> str:
    """E7."""
    return f"{column_letter(column)}{row}"


def parse_coordinate(text: str) -> tuple[int, int] | None:
    """(row, column) of "E7" (or "$E$7"), or None."""
    text = text.replace("$", "").upper()
    i = 0
    column = 0
    while i < len(text) and "A" <= text[i] <= "Z":
        column = column * 26 + ord(text[i]) - 64
        i += 1
    digits = text[i:]
    if not column or not digits.isdigit() or column > 16384 or not 0 < int(digits) <= MAX_REPEAT:
        return None
    return int(digits), column


def parse_range(text: str) -> tuple[int, int, int, int] | None:
    """(first row, first column, last row, last column) of "A1:C3" (or of one cell)."""
    first, _, last = text.partition(":")
    a = parse_coordinate(first)
    b = parse_coordinate(last or first)
    if a is None or b is None:
        return None
    return min(a[0], b[0]), min(a[1], b[1]), max(a[0], b[0]), max(a[1], b[1])

"""Reading an OpenDocument spreadsheet (.ods, as LibreOffice saves it): content.xml streamed, each
cell's value by its value type (a percentage, a date, a number, text with its line breaks), hidden
rows, columns and sheets, merged ranges, and repeated rows and cells counted as what they repeat."""

from __future__ import annotations

import datetime as dt

from kpsy.bounded import Archive, BoundsError, parse_xml
from kpsy.i18n import msg
from kpsy.sheets.book import MAX_REPEAT, Book, Cell, Sheet

MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"


def local(name: str) -> str:
    return name.rpartition("}")[2]


def recognise(archive: Archive) -> bool:
    return "mimetype" in archive and archive.size("mimetype") < 200 and archive.read("mimetype").strip() == MIMETYPE


def read(archive: Archive, name: str) -> Book:
    if "content.xml" not in archive:
        raise BoundsError(name, msg("the spreadsheet has no content.xml", "电子表格缺少 content.xml，已损坏"))
    reader = _Content(name)
    parse_xml(archive.read("content.xml"), name, "content.xml", reader.start, reader.end, reader.text)
    return reader.book


def _count(attrs: dict[str, str], key: str) -> int:
    raw = attrs.get(key, "1")
    return min(int(raw), MAX_REPEAT) if raw.isdigit() and int(raw) > 0 else 1


def _attrs(attrs: dict[str, str]) -> dict[str, str]:
    return {local(k): v for k, v in attrs.items()}


class _Content:
    """Streams content.xml into a Book."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.book = Book("ods")
        self.hidden_styles: set[str] = set()
        self.style = ""
        self.sheet: Sheet | None = None
        self.row = 0
        self.column = 0
        self.row_repeat = 1
        self.pending: list[tuple[int, int, Cell]] = []  # first column, repeat, cell: the row being read
        self.cell_attrs: dict[str, str] | None = None
        self.paragraphs: list[list[str]] = []
        self.ignore = 0  # inside an annotation (a comment): its text is not the cell's

    def start(self, tag: str, raw: dict[str, str]) -> None:
        tag, attrs = local(tag), _attrs(raw)
        if self.ignore or tag == "annotation":
            self.ignore += 1
        elif self.cell_attrs is not None:
            self.cell_text(tag, attrs)
        elif tag in ("table-cell", "covered-table-cell"):
            self.cell_attrs = attrs
            self.paragraphs = []
        elif tag == "table-row":
            self.row_repeat = _count(attrs, "number-rows-repeated")
            self.column = 0
            self.pending = []
            if self.sheet is not None and attrs.get("visibility", "visible") != "visible":
                self.sheet.hidden_rows.append((self.row + 1, self.row + self.row_repeat))
        else:
            self.structure(tag, attrs)

    def structure(self, tag: str, attrs: dict[str, str]) -> None:
        if tag == "style":
            self.style = attrs.get("name", "") if attrs.get("family") == "table" else ""
        elif tag == "table-properties" and self.style and attrs.get("display") == "false":
            self.hidden_styles.add(self.style)
        elif tag == "table":
            name = attrs.get("name", "")
            state = "hidden" if attrs.get("style-name", "") in self.hidden_styles else "visible"
            self.sheet = Sheet(name, state, protected=attrs.get("protected") == "true")
            self.book.sheets[name] = self.sheet
            self.row = 0
            self.column = 0
        elif tag == "table-column" and self.sheet is not None:
            repeat = _count(attrs, "number-columns-repeated")
            if attrs.get("visibility", "visible") != "visible":
                self.sheet.hidden_columns.append((self.column + 1, self.column + repeat))
            self.column += repeat

    def cell_text(self, tag: str, attrs: dict[str, str]) -> None:
        if tag == "p":
            self.paragraphs.append([])
        elif not self.paragraphs:
            return
        elif tag == "s":
            count = attrs.get("c", "1")
            self.paragraphs[-1].append(" " * min(int(count) if count.isdigit() else 1, 1000))
        elif tag == "tab":
            self.paragraphs[-1].append("\t")
        elif tag == "line-break":
            self.paragraphs[-1].append("\n")

    def text(self, data: str) -> None:
        if self.cell_attrs is not None and self.paragraphs and not self.ignore:
            self.paragraphs[-1].append(data)

    def end(self, tag: str) -> None:
        tag = local(tag)
        if self.ignore:
            self.ignore -= 1
        elif tag in ("table-cell", "covered-table-cell") and self.cell_attrs is not None:
            self.cell_end(self.cell_attrs)
            self.cell_attrs = None
        elif tag == "table-row":
            self.row_end()
        elif tag == "table":
            self.sheet = None
        elif tag == "style":
            self.style = ""

    def cell_end(self, attrs: dict[str, str]) -> None:
        repeat = _count(attrs, "number-columns-repeated")
        cell = self.cell(attrs)
        if cell is not None:
            self.pending.append((self.column + 1, repeat, cell))
        across, down = _count(attrs, "number-columns-spanned"), _count(attrs, "number-rows-spanned")
        if self.sheet is not None and (across > 1 or down > 1):
            first = self.row + 1
            self.sheet.merged.append((first, self.column + 1, first + down - 1, self.column + across))
        self.column += repeat

    def row_end(self) -> None:
        sheet = self.sheet
        if sheet is not None:
            for offset in range(self.row_repeat if self.pending else 0):
                for first, repeat, cell in self.pending:
                    for column in range(first, first + repeat):
                        sheet.put(self.row + 1 + offset, column, cell, self.name)
        self.row += self.row_repeat
        self.pending = []

    def cell(self, attrs: dict[str, str]) -> Cell | None:
        text = "\n".join("".join(parts) for parts in self.paragraphs)
        if attrs.get("formula"):
            formula = attrs["formula"]
            return Cell(text, "formula", formula=formula.split(":", 1)[1] if formula.startswith("of:") else formula)
        kind = attrs.get("value-type", "")
        if kind in ("float", "currency", "percentage"):
            try:
                return Cell(float(attrs.get("value", "")), "number", percent=kind == "percentage")
            except ValueError:
                return Cell(text, "text")
        if kind == "date":
            try:
                return Cell(dt.datetime.fromisoformat(attrs.get("date-value", "")[:19]), "date")
            except ValueError:
                return Cell(text, "text")
        if kind == "boolean":
            return Cell(attrs.get("boolean-value") == "true", "bool")
        value = attrs.get("string-value", text)
        return Cell(value, "text") if value else None

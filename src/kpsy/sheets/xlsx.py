"""Reading an Office Open XML workbook (.xlsx as Excel, WPS and LibreOffice save it, transitional or
strict): the workbook's sheets and their states, shared strings, number formats (a percentage, a
date), and each sheet's cells as they are present in its XML, streamed, never the declared size."""

from __future__ import annotations

import datetime as dt
import posixpath
import re

from kpsy.bounded import Archive, BoundsError, parse_xml
from kpsy.i18n import msg
from kpsy.sheets.book import Book, Cell, Sheet, parse_coordinate, parse_range

# Built-in number formats: 9 and 10 are percentages; these are dates (27-36 and 50-58 are the dates
# of Chinese, Japanese and Korean Excel).
_PERCENT_IDS = frozenset({9, 10})
_DATE_IDS = frozenset({*range(14, 23), *range(27, 37), *range(45, 48), *range(50, 59)})
_QUOTED = re.compile(r'"[^"]*"|\\.|_.|\*.')
_BRACKETS = re.compile(r"\[(?![hms]+\])[^\]]*\]", re.IGNORECASE)
_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
MAX_SERIAL = 2958465  # 9999-12-31


def local(name: str) -> str:
    """An element's or attribute's name without its namespace (transitional and strict alike)."""
    return name.rpartition("}")[2]


def _attr(attrs: dict[str, str], name: str) -> str | None:
    for key, value in attrs.items():
        if local(key) == name:
            return value
    return None


def recognise(archive: Archive) -> bool:
    return "[Content_Types].xml" in archive and any(n.endswith(".xml") and n.startswith("xl/") for n in archive.names())


def _unescape(text: str) -> str:
    """Excel writes characters XML cannot hold as _x000D_."""
    return _ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), text) if "_x" in text else text


def number_format_kind(code: str) -> str:
    """percent, date or "" for a number format code."""
    section = _BRACKETS.sub("", _QUOTED.sub("", code.split(";")[0]))
    if "%" in section:
        return "percent"
    if re.search(r"[dmyhs]", section, re.IGNORECASE) and "general" not in section.lower():
        return "date"
    return ""


# --- the parts -------------------------------------------------------------------------------------


def _relationships(archive: Archive, name: str, part: str) -> dict[str, str]:
    """Id -> the part it points to, from the relationships of `part`."""
    folder, base = posixpath.split(part)
    rels = posixpath.join(folder, "_rels", base + ".rels")
    found: dict[str, str] = {}
    if rels not in archive:
        return found

    def start(tag: str, attrs: dict[str, str]) -> None:
        if local(tag) == "Relationship" and attrs.get("TargetMode") != "External":
            target = attrs.get("Target", "")
            path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
            found[attrs.get("Id", "")] = path
            found["type:" + attrs.get("Type", "").rpartition("/")[2]] = path

    parse_xml(archive.read(rels), name, rels, start)
    return found


def _shared_strings(archive: Archive, name: str, part: str | None) -> list[str]:
    strings: list[str] = []
    if part is None or part not in archive:
        return strings
    state = {"phonetic": 0, "text": False}
    parts: list[str] = []

    def start(tag: str, attrs: dict[str, str]) -> None:
        tag = local(tag)
        if tag == "rPh":
            state["phonetic"] += 1
        elif tag == "t" and not state["phonetic"]:
            state["text"] = True

    def end(tag: str) -> None:
        tag = local(tag)
        if tag == "rPh":
            state["phonetic"] -= 1
        elif tag == "t":
            state["text"] = False
        elif tag == "si":
            strings.append(_unescape("".join(parts)))
            parts.clear()

    def text(data: str) -> None:
        if state["text"]:
            parts.append(data)

    parse_xml(archive.read(part), name, part, start, end, text)
    return strings


def _styles(archive: Archive, name: str, part: str | None) -> list[str]:
    """The kind of number format (percent, date, "") of each cell style, by its index."""
    kinds: list[str] = []
    if part is None or part not in archive:
        return kinds
    codes: dict[int, str] = {}
    where = {"in": ""}

    def start(tag: str, attrs: dict[str, str]) -> None:
        tag = local(tag)
        if tag in ("cellXfs", "cellStyleXfs"):
            where["in"] = tag
        elif tag == "numFmt" and (attrs.get("numFmtId") or "").isdigit():
            codes[int(attrs["numFmtId"])] = attrs.get("formatCode", "")
        elif tag == "xf" and where["in"] == "cellXfs":
            fmt = int(attrs["numFmtId"]) if (attrs.get("numFmtId") or "").isdigit() else 0
            if fmt in codes:
                kinds.append(number_format_kind(codes[fmt]))
            else:
                kinds.append("percent" if fmt in _PERCENT_IDS else "date" if fmt in _DATE_IDS else "")

    def end(tag: str) -> None:
        if local(tag) in ("cellXfs", "cellStyleXfs"):
            where["in"] = ""

    parse_xml(archive.read(part), name, part, start, end)
    return kinds


def _workbook(archive: Archive, name: str, part: str) -> tuple[list[tuple[str, str, str]], bool]:
    """(sheet name, state, relationship id) of each sheet in order, and whether dates count from 1904."""
    sheets: list[tuple[str, str, str]] = []
    flags = {"1904": False}

    def start(tag: str, attrs: dict[str, str]) -> None:
        tag = local(tag)
        if tag == "sheet":
            sheets.append((attrs.get("name", ""), attrs.get("state", "visible"), _attr(attrs, "id") or ""))
        elif tag == "workbookPr":
            flags["1904"] = attrs.get("date1904", "").lower() in ("1", "true")

    parse_xml(archive.read(part), name, part, start)
    return sheets, flags["1904"]


def read(archive: Archive, name: str) -> Book:
    """The workbook in `archive` (the file `name`)."""
    main = _relationships(archive, name, "").get("type:officeDocument", "xl/workbook.xml")
    if main not in archive:
        raise BoundsError(name, msg("not an Excel workbook (.xlsx)", "不是 Excel 工作簿（.xlsx）"))
    rels = _relationships(archive, name, main)
    sheets, from_1904 = _workbook(archive, name, main)
    book = Book("xlsx", epoch=dt.datetime(1904, 1, 1) if from_1904 else dt.datetime(1899, 12, 30))
    strings = _shared_strings(archive, name, rels.get("type:sharedStrings"))
    styles = _styles(archive, name, rels.get("type:styles"))
    for title, state, rid in sheets:
        sheet = Sheet(title, state if state in ("hidden", "veryHidden") else "visible")
        part = rels.get(rid)
        if part is not None and part in archive:
            _SheetReader(sheet, book, strings, styles, name).read(archive, part)
        book.sheets[title] = sheet
    return book


# --- a sheet ---------------------------------------------------------------------------------------


class _SheetReader:
    """Streams one worksheet's XML into a Sheet: only the cells it holds."""

    def __init__(self, sheet: Sheet, book: Book, strings: list[str], styles: list[str], name: str) -> None:
        self.sheet, self.book, self.strings, self.styles, self.name = sheet, book, strings, styles, name
        self.row = 0
        self.column = 0
        self.type = ""
        self.style = ""
        self.formula_kind = ""
        self.buffers: dict[str, list[str]] = {}
        self.capture = ""
        self.phonetic = 0

    def read(self, archive: Archive, part: str) -> None:
        parse_xml(archive.read(part), self.name, part, self.start, self.end, self.text)

    def start(self, tag: str, attrs: dict[str, str]) -> None:
        tag = local(tag)
        if tag == "row":
            raw = attrs.get("r", "")
            self.row = int(raw) if raw.isdigit() else self.row + 1
            self.column = 0
            if attrs.get("hidden", "").lower() in ("1", "true"):
                self.sheet.hidden_rows.append((self.row, self.row))
        elif tag == "c":
            self.cell_start(attrs)
        elif tag in ("v", "f") or (tag == "t" and not self.phonetic):
            self.capture = tag
            self.buffers.setdefault(tag, [])
            if tag == "f":
                self.formula_kind = attrs.get("t", "normal")
        elif tag == "rPh":
            self.phonetic += 1
        else:
            self.sheet_parts(tag, attrs)

    def sheet_parts(self, tag: str, attrs: dict[str, str]) -> None:
        if tag == "col" and attrs.get("hidden", "").lower() in ("1", "true"):
            first, last = attrs.get("min", ""), attrs.get("max", "")
            if first.isdigit() and last.isdigit():
                self.sheet.hidden_columns.append((int(first), int(last)))
        elif tag == "mergeCell":
            area = parse_range(attrs.get("ref", ""))
            if area is not None:
                self.sheet.merged.append(area)
        elif tag == "sheetProtection":
            self.sheet.protected = attrs.get("sheet", "").lower() in ("1", "true")

    def cell_start(self, attrs: dict[str, str]) -> None:
        place = parse_coordinate(attrs.get("r", ""))
        if place is not None:
            self.row, self.column = place
        else:
            self.column += 1
        self.type = attrs.get("t", "n")
        self.style = attrs.get("s", "0")
        self.formula_kind = ""
        self.buffers = {}

    def end(self, tag: str) -> None:
        tag = local(tag)
        if tag == self.capture:
            self.capture = ""
        if tag == "rPh":
            self.phonetic -= 1
        elif tag == "c":
            cell = self.cell()
            if cell is not None:
                self.sheet.put(self.row, self.column, cell, self.name)

    def text(self, data: str) -> None:
        if self.capture:
            self.buffers[self.capture].append(data)

    def cell(self) -> Cell | None:
        raw = "".join(self.buffers["v"]) if "v" in self.buffers else None
        inline = "".join(self.buffers["t"]) if "t" in self.buffers else None
        if "f" in self.buffers:
            formula = "=" + "".join(self.buffers["f"])
            if self.formula_kind == "array":
                formula = "{" + formula + "}"
            return Cell(raw, "formula", formula=formula)
        if raw is None and inline is None:
            return None
        return self.value(raw, inline)

    def value(self, raw: str | None, inline: str | None) -> Cell | None:
        kind = self.type
        if kind == "inlineStr":
            return Cell(_unescape(inline or ""), "text")
        if raw is None:
            return None
        if kind == "s":
            index = int(raw) if raw.strip().isdigit() else -1
            return Cell(self.strings[index] if 0 <= index < len(self.strings) else "", "text")
        if kind == "str":
            return Cell(_unescape(raw), "text")
        if kind == "b":
            return Cell(raw.strip() in ("1", "true"), "bool")
        if kind == "e":
            return Cell(raw, "error")
        if kind == "d":
            try:
                return Cell(dt.datetime.fromisoformat(raw.strip()), "date")
            except ValueError:
                return Cell(raw, "text")
        return self.number(raw)

    def number(self, raw: str) -> Cell | None:
        try:
            number = float(raw)
        except ValueError:
            return Cell(raw, "text")
        index = int(self.style) if self.style.isdigit() else 0
        fmt = self.styles[index] if 0 <= index < len(self.styles) else ""
        if fmt == "date" and 0 <= number <= MAX_SERIAL:
            return Cell(serial_date(number, self.book.epoch), "date", serial=number)
        return Cell(number, "number", percent=fmt == "percent")


def serial_date(serial: float, epoch: dt.datetime) -> dt.datetime:
    """The day (and time) a date serial stands for, with Excel's 1900 leap-year quirk (days 1 to 59)."""
    day = epoch + dt.timedelta(days=serial)
    if epoch.year == 1899 and 0 < serial < 60:
        day += dt.timedelta(days=1)
    return day.replace(microsecond=0)

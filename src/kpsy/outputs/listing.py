"""Listings: one set of records shown as a table (rich on a terminal, aligned text when piped),
JSON, CSV, Markdown or an Excel workbook. Each listing command makes a `Listing`; `FORMATS` writes it."""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Callable
from dataclasses import field
from typing import Any, TextIO

from kpsy.light import light
from kpsy.outputs.excel import csv_text, put
from kpsy.outputs.formats import Family, Format, Sink
from kpsy.util import dump_json, md_escape

# --- listings: one set of records, many formats -----------------------------------------------


@light
class Column:
    key: str
    header: str
    labels: dict[str, str] | None = None  # raw value -> what a person reads (table, md, xlsx)
    in_table: bool = True  # False: shown in the group heading, not in each row
    wrap: bool = True  # False: never narrowed (numbers, codes, unit names in a matrix)
    optional: bool = False  # True: left out of a section where all its cells are empty
    marks: str | None = None  # the record key of [start, end] spans to highlight (search hits)


@light
class Listing:
    """Records and how to show them. `group` gives a record's section heading and notes."""

    title: str
    columns: list[Column]
    records: list[dict[str, Any]]
    group: Callable[[dict[str, Any]], tuple[str, list[str]]] | None = None
    footer: list[str] = field(default_factory=list)
    data: Any = None  # what --format json prints; the records when None
    sheet: str = "Sheet1"
    landscape: bool = False
    workbook: Callable[[Any], None] | None = None  # adds sheets (charts) to the xlsx workbook

    def json_data(self) -> Any:
        return self.records if self.data is None else self.data


def cell(value: Any, labels: dict[str, str] | None = None) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return "、".join(cell(v, labels) for v in value)
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value)
    return labels.get(text, text) if labels else text


@functools.cache
def _char_width(char: str) -> int:
    return 0 if unicodedata.combining(char) else 2 if unicodedata.east_asian_width(char) in "WF" else 1


def display_width(text: str) -> int:
    """Terminal columns `text` takes: wide and full-width characters take two."""
    if text.isascii():
        return len(text)
    return sum(map(_char_width, text))


def wrap(text: str, width: int) -> list[str]:
    """Break `text` into lines of at most `width` columns (Chinese may break between any characters)."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line, used = "", 0
        for ch in paragraph:
            w = display_width(ch)
            if used + w > width and line:
                lines.append(line)
                line, used = "", 0
            line += ch
            used += w
        lines.append(line)
    return lines


def _pad(text: str, width: int) -> str:
    return text + " " * (width - display_width(text))


def _fit(widths: list[int], minimum: list[int], available: int, gap: int = 2) -> list[int]:
    """Shrink the widest columns, never below `minimum`, until the row fits in `available`."""
    widths = list(widths)
    while sum(widths) + gap * (len(widths) - 1) > available:
        shrinkable = [i for i, w in enumerate(widths) if w > minimum[i]]
        if not shrinkable:
            break
        widths[max(shrinkable, key=widths.__getitem__)] -= 1
    return widths


def _sections(listing: Listing) -> list[tuple[str | None, list[str], list[dict[str, Any]]]]:
    sections: list[tuple[str | None, list[str], list[dict[str, Any]]]] = []
    for record in listing.records:
        heading, notes = listing.group(record) if listing.group else (None, [])
        if not sections or sections[-1][0] != heading:
            sections.append((heading, notes, []))
        sections[-1][2].append(record)
    return sections


def _table_columns(listing: Listing) -> list[Column]:
    return [c for c in listing.columns if c.in_table]


def _shown_in(columns: list[Column], records: list[dict[str, Any]]) -> list[Column]:
    """The columns a section shows: optional ones only where some record has a value in them."""
    return [c for c in columns if not c.optional or any(cell(r.get(c.key)) for r in records)]


def render_plain(listing: Listing, width: int) -> str:
    """Aligned text with no colour or box drawing; cells wrapped by display width."""
    columns = _table_columns(listing)
    out: list[str] = []
    all_rows = [[cell(r.get(c.key), c.labels) for c in columns] for r in listing.records]
    natural = [
        max([display_width(c.header), *(display_width(row[i]) for row in all_rows)]) for i, c in enumerate(columns)
    ]
    minimum = [max(10, display_width(c.header)) if c.wrap else n for c, n in zip(columns, natural, strict=True)]
    widths = _fit(natural, minimum, width)
    for heading, notes, records in _sections(listing):
        if heading is not None:
            if out:
                out.append("")
            out.append(heading)
            out += [f"  {line}" for note in notes for line in wrap(note, max(20, width - 2))]
        visible = _shown_in(columns, records)
        shown = [(c, w) for c, w in zip(columns, widths, strict=True) if c in visible]
        out.append("  ".join(_pad(c.header, w) for c, w in shown).rstrip())
        for record in records:
            cells = [(wrap(cell(record.get(c.key), c.labels), w), w) for c, w in shown]
            for k in range(max(len(x) for x, _ in cells)):
                parts = [_pad(x[k] if k < len(x) else "", w) for x, w in cells]
                out.append("  ".join(parts).rstrip())
    if listing.footer:
        out.append("")
        out += [line for note in listing.footer for line in wrap(note, max(20, width))]
    return "\n".join(out) + "\n"


def render_rich(listing: Listing, out: TextIO) -> None:
    """Tables drawn by rich for a terminal (NO_COLOR is honoured by rich)."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    # Plan text is shown as text: rich.text.Text is never read as markup ([link=…], [/bold]) or emoji codes.
    console = Console(file=out, highlight=False, emoji=False, markup=False)
    columns = _table_columns(listing)
    for heading, notes, records in _sections(listing):
        if heading is not None:
            console.print(Text(heading, style="bold"))
            for note in notes:
                console.print(Text(f"  {note}", style="dim"))
        table = Table()
        shown = _shown_in(columns, records)
        for c in shown:
            table.add_column(Text(c.header), overflow="fold", no_wrap=not c.wrap)
        for record in records:
            table.add_row(*(_rich_cell(record, c) for c in shown))
        console.print(table)
    for line in listing.footer:
        console.print(Text(line))


def _rich_cell(record: dict[str, Any], column: Column) -> Any:
    """A cell for rich: plain text (never markup), with the spans of `column.marks` highlighted."""
    from rich.text import Text

    text = Text(cell(record.get(column.key), column.labels))
    if column.marks:
        for start, end in record.get(column.marks) or []:
            text.stylize("bold reverse", start, end)
    return text


def _md_cell(record: dict[str, Any], column: Column) -> str:
    """A cell in Markdown, escaped, with the spans of `column.marks` in bold."""
    text = cell(record.get(column.key), column.labels)
    spans = record.get(column.marks) or [] if column.marks else []
    out, at = [], 0
    for start, end in spans:
        if start < at or end <= start:
            continue
        out += [md_escape(text[at:start]), "**" + md_escape(text[start:end]) + "**"]
        at = end
    out.append(md_escape(text[at:]))
    return "".join(out).replace("\n", "<br>")


def render_md(listing: Listing) -> str:
    columns = _table_columns(listing)
    out = [f"# {md_escape(listing.title)}", ""]
    for heading, notes, records in _sections(listing):
        if heading is not None:
            out += [f"## {md_escape(heading)}", ""]
            out += [md_escape(n) + "  " for n in notes]
            if notes:
                out.append("")
        shown = _shown_in(columns, records)
        out.append("| " + " | ".join(md_escape(c.header) for c in shown) + " |")
        out.append("|" + "|".join("---" for _ in shown) + "|")
        for record in records:
            cells = (_md_cell(record, c) for c in shown)
            out.append("| " + " | ".join(cells) + " |")
        out.append("")
    if listing.footer:
        out += [f"- {md_escape(line)}" for line in listing.footer] + [""]
    return "\n".join(out)


def render_csv(listing: Listing) -> str:
    """Every column, flat, with machine-readable headers (the record keys)."""
    import csv
    import io

    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow([c.key for c in listing.columns])
    for record in listing.records:
        writer.writerow([_csv_field(record.get(c.key)) for c in listing.columns])
    return buf.getvalue()


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _csv_field(value: Any) -> str:
    """A CSV field: numbers as they are, text never read as a formula by a spreadsheet."""
    return cell(value) if _is_number(value) else csv_text(cell(value))


def render_xlsx(listing: Listing) -> bytes:
    """A workbook a clerk can print: bold frozen header, set widths, wrapped cells, header on every page."""
    import io

    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.create_sheet(listing.sheet[:31], 0)
    book.remove(book.worksheets[1])
    sheet.title = listing.sheet[:31]
    for j, c in enumerate(listing.columns, 1):
        put(sheet.cell(row=1, column=j), c.header)
    for i, record in enumerate(listing.records, 2):
        for j, c in enumerate(listing.columns, 1):
            value = record.get(c.key)
            put(sheet.cell(row=i, column=j), value if _is_number(value) and not c.labels else cell(value, c.labels))
    for i, c in enumerate(listing.columns, 1):
        longest = max(
            [display_width(c.header), *(display_width(cell(r.get(c.key), c.labels)) for r in listing.records)]
        )
        sheet.column_dimensions[get_column_letter(i)].width = min(max(longest + 2, 6), 60)
    for row in sheet.iter_rows():
        for item in row:
            item.alignment = Alignment(wrap_text=True, vertical="top")
    for item in sheet[1]:
        item.font = Font(bold=True)
        item.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    sheet.freeze_panes = "A2"
    sheet.print_title_rows = "1:1"
    sheet.page_setup.orientation = "landscape" if listing.landscape else "portrait"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    if sheet.sheet_properties.pageSetUpPr is not None:
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
    if listing.workbook is not None:
        listing.workbook(book)
    if listing.footer:
        notes = book.create_sheet("说明")
        notes.column_dimensions["A"].width = 100
        for i, line in enumerate(listing.footer, 1):
            put(notes.cell(row=i, column=1), line)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def write_table(listing: Listing, sink: Sink) -> None:
    """rich on a terminal, plain aligned text otherwise."""
    if sink.terminal:
        render_rich(listing, sink.stream)
    else:
        sink.write(render_plain(listing, sink.width))


FORMATS: Family[Listing] = Family(
    "listing",
    Format("table", "rich on a terminal, aligned text when piped", write_table),
    Format("json", "the records as JSON", lambda listing, sink: sink.write(dump_json(listing.json_data()))),
    Format("csv", "every column, flat", lambda listing, sink: sink.write(render_csv(listing))),
    Format("md", "Markdown tables", lambda listing, sink: sink.write(render_md(listing))),
    Format(
        "xlsx", "an Excel workbook to print (needs -o)", lambda listing, sink: sink.write(render_xlsx(listing)), True
    ),
)

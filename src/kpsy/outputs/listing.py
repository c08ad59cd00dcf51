"""Listings: one set of records shown as a table (rich on a terminal, aligned text when piped),
JSON, CSV, Markdown or an Excel workbook. Each listing command makes a `Listing`; `FORMATS` writes it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import field
from typing import Any, TextIO

from kpsy.light import light
from kpsy.outputs.excel import csv_text, put
from kpsy.outputs.formats import PIPED_WIDTH, Family, Format, Sink
from kpsy.outputs.layout import (
    Grid,
    GridColumn,
    Section,
    display_width,
    layout,
    marked,
    marked_pieces,
    plain,
    unmarked,
)
from kpsy.util import dump_json, md_escape, visible

# --- listings: one set of records, many formats -----------------------------------------------


@light
class Column:
    key: str
    header: str
    labels: dict[str, str] | None = None  # raw value -> what a person reads (table, md, xlsx)
    in_table: bool = True  # False: shown in the group heading, not in each row
    wrap: bool = True  # False: never narrowed (numbers, codes, unit names in a matrix)
    optional: bool = False  # True: left out of a section where all its cells are empty
    fixed: bool = False  # True: repeated on every page of a table too wide for the terminal
    pivot: bool = False  # True: a matrix column; when listed a record at a time, cells are grouped by value
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
    keep: frozenset[str] = frozenset()  # phrases never split on a terminal (list items are kept too)
    pivot_names: dict[str, str] = field(default_factory=dict)  # a pivot column's raw value -> its name

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


def _grid_cell(record: dict[str, Any], column: Column) -> str:
    """A cell as the layout shows it: safe on a terminal, with `column.marks` marked for highlighting."""
    text = unmarked(cell(record.get(column.key), column.labels))
    if column.marks:
        return visible(marked(text, record.get(column.marks) or []))
    return visible(text)


def grid(listing: Listing) -> Grid:
    """The listing's table as text cells, for `kpsy.outputs.layout`. Data is made safe to show on a
    terminal here: control characters and direction overrides become visible escapes."""
    columns = _table_columns(listing)
    sections: list[Section] = []
    keep = set(listing.keep)
    for heading, notes, records in _sections(listing):
        visible_columns = _shown_in(columns, records)
        shown = (
            None if len(visible_columns) == len(columns) else [i for i, c in enumerate(columns) if c in visible_columns]
        )
        rows = [[_grid_cell(r, c) for c in columns] for r in records]
        for record in records:
            keep.update(str(x) for value in record.values() if isinstance(value, list) for x in value)
        head = visible(heading) if heading is not None else None
        sections.append(Section(head, [visible(n) for n in notes], rows, shown))
    names: dict[str, str] = {}
    for c in columns:
        if c.pivot:
            for raw, label in (c.labels or {}).items():
                names.setdefault(label, listing.pivot_names.get(raw, label))
    grid_columns = [GridColumn(c.header, c.wrap, c.fixed, c.pivot) for c in columns]
    return Grid(grid_columns, sections, [visible(f) for f in listing.footer], frozenset(keep), names)


def render_plain(listing: Listing, width: int) -> str:
    """Aligned text with no colour: a table that fits `width`, or column pages, or one block a record."""
    return plain(layout(grid(listing), width))


def render_rich(listing: Listing, out: TextIO, width: int = PIPED_WIDTH) -> None:
    """The same layout on a terminal, with bold headings and headers (rich honours NO_COLOR)."""
    from rich.console import Console
    from rich.text import Text

    # Plan text is shown as text: rich.text.Text is never read as markup ([link=…], [/bold]) or emoji codes.
    console = Console(file=out, highlight=False, emoji=False, markup=False, width=width)
    for line in layout(grid(listing), width):
        text = Text()
        for segment, style in line:
            for piece, hit in marked_pieces(segment):
                text.append(piece, " ".join(x for x in (style, "bold reverse" if hit else "") if x) or None)
        console.print(text, soft_wrap=True, crop=False)


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
        render_rich(listing, sink.stream, sink.width)
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

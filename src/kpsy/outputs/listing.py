"""Listings: one set of records shown as a table (rich on a terminal, aligned text when piped),
JSON, CSV, Markdown or an Excel workbook. Each listing command makes a `Listing`; `LISTING_FORMATS` writes it."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import field
from typing import Any, TextIO

from kpsy.i18n import both, msg
from kpsy.light import light
from kpsy.outputs.excel import csv_text, put
from kpsy.outputs.formats import PIPED_WIDTH, Family, Format, Sink, csv_bom
from kpsy.outputs.layout import (
    Grid,
    GridColumn,
    Section,
    display_width,
    layout,
    longest_token,
    marked,
    marked_pieces,
    plain,
    unmarked,
    wrap,
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
    extra: bool = False  # True: for sorting, filtering and programs (ids, keys): last in files, not printed
    ident: bool = False  # True: the row's id, shown in tables too with --ids
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

    empty: str = ""  # what to say (on standard error) when there are no records

    def json_data(self) -> Any:
        return self.records if self.data is None else self.data

    def with_ids(self, show: bool = True) -> Listing:
        """The same listing with each row's id shown in its tables (after the first column), for
        `kpsy show ID` and the YAML files; the listing itself when not `show`."""
        import dataclasses

        if not show:
            return self
        idents = [dataclasses.replace(c, in_table=True, wrap=False) for c in self.columns if c.ident]
        rest = [c for c in self.columns if not c.ident]
        at = next((i + 1 for i, c in enumerate(rest) if c.in_table), 0)
        return dataclasses.replace(self, columns=[*rest[:at], *idents, *rest[at:]])

    def empty_note(self) -> str | None:
        """What to tell the person when the listing has no records (None when it has some)."""
        if self.records:
            return None
        return self.empty or msg("Nothing to list.", "没有可列出的内容。")


def cell(value: Any, labels: dict[str, str] | None = None) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return msg(", ", "、").join(cell(v, labels) for v in value)
    if isinstance(value, bool):
        return msg("yes", "是") if value else msg("no", "否")
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
    if listing.footer:  # blank footer lines part groups of notes
        for line in listing.footer:
            if line:
                out.append(f"- {md_escape(line)}")
            elif out[-1]:
                out.append("")
        out.append("")
    return "\n".join(out)


def _file_columns(listing: Listing) -> list[Column]:
    """The columns of a file (CSV, xlsx): what a person reads first, the extra columns (ids, keys) last."""
    return [c for c in listing.columns if not c.extra] + [c for c in listing.columns if c.extra]


def render_csv(listing: Listing, bom: bool | None = None) -> str:
    """Every column, flat, headed as a person reads it, numbers as numbers, for Excel and WPS:
    UTF-8 with a byte-order mark unless `bom` is False (None: `kpsy --no-bom` decides)."""
    import csv
    import io

    columns = _file_columns(listing)
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([csv_text(c.header) for c in columns])
    for record in listing.records:
        writer.writerow([_csv_field(record.get(c.key), c.labels) for c in columns])
    mark = csv_bom() if bom is None else "\ufeff" if bom else ""
    return mark + buf.getvalue()


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _csv_field(value: Any, labels: dict[str, str] | None = None) -> str:
    """A CSV field: numbers as they are, text never read as a formula by a spreadsheet."""
    return cell(value) if _is_number(value) and not labels else csv_text(cell(value, labels))


# A4 at 96 dots an inch, less 1.27 cm margins left and right. A column `w` characters wide takes
# about 7w + 5 dots in Excel with Calibri 11, and up to 9.4w dots where Calibri is missing and its
# stand-in is wider (LibreOffice with DejaVu Sans): widths are planned for the wider case, so that the
# printout is fitted to the page's width in at least 9.5 pt wherever it is printed.
_PRINTABLE = {"portrait": (210 - 25.4) / 25.4 * 96, "landscape": (297 - 25.4) / 25.4 * 96}
_DOTS_PER_CHARACTER = 9.4
_MIN_SCALE = 9.5 / 11


def _dots(widths: list[int]) -> float:
    return sum(_DOTS_PER_CHARACTER * w + 5 for w in widths)


def print_layout(natural: list[int], least: list[int], landscape: bool = False) -> tuple[list[int], str, int]:
    """Column widths (in characters), orientation and pages across for A4 in at least 9.5 pt: portrait
    when the columns fit it (unless `landscape` is preferred), else landscape; the widest wrapped
    columns narrowed first, none below `least`. Only columns that cannot fit even so take more
    than one page across."""
    for orientation in ("landscape",) if landscape else ("portrait", "landscape"):
        budget = _PRINTABLE[orientation] / _MIN_SCALE
        if _dots(least) <= budget:
            widths = list(natural)
            while _dots(widths) > budget:
                narrower = [i for i, w in enumerate(widths) if w > least[i]]
                widths[max(narrower, key=widths.__getitem__)] -= 1
            return widths, orientation, 1
    budget = _PRINTABLE["landscape"] / _MIN_SCALE
    return list(least), "landscape", math.ceil(_dots(least) / budget)


def least_width(header: str, cells: list[str]) -> int:
    """The narrowest a column may print: its header on up to two lines, its cells wrapped at 12 characters."""
    head = max(math.ceil(display_width(header) / 2), longest_token(header))
    longest = max([0, *(display_width(x) for c in cells for x in c.split("\n"))])
    return max(head + 2, min(longest + 2, 14), 4)


LINE_HEIGHT = 15  # points a line of 11 pt text takes in a row
# A column w characters wide holds about 0.95w columns of Chinese in Excel (a character of 11 pt text
# is 14.7 dots wide, a column 7w + 5): rows are made tall enough for that, and a little more elsewhere.


def fit_rows(sheet: Any, widths: list[int]) -> None:
    """Row heights for wrapped cells. Excel and WPS fit a row to its text when they draw it, but
    LibreOffice and printing from a file that was never opened take the stored height: so it is stored."""
    for row in sheet.iter_rows():
        lines = 1
        for item, width in zip(row, widths, strict=False):
            if isinstance(item.value, str) and item.alignment.wrap_text and not item.alignment.text_rotation:
                lines = max(lines, len(wrap(str(item.value), max(int(width * 0.95), 2))))
        stored = sheet.row_dimensions[row[0].row].height
        if lines > 1 and (stored is None or stored < LINE_HEIGHT * lines):
            sheet.row_dimensions[row[0].row].height = LINE_HEIGHT * lines


def _natural_width(header: str, texts: list[str]) -> int:
    """A column as wide as its widest line (header included), within 6 and 60 characters."""
    longest = max([display_width(header), *(display_width(x) for t in texts for x in t.split("\n"))])
    return min(max(longest + 2, 6), 60)


def print_ready(
    sheet: Any,
    columns: list[tuple[str, list[str]]],
    *,
    landscape: bool = False,
    top: int = 1,
    fixed: int = 0,
    least: list[int] | None = None,
) -> None:
    """Widths, row heights and an A4 set-up for a sheet whose columns (from the first) hold a header
    and texts, its header row at `top`: fitted to the page's width in at least 9.5 pt, on more pages
    across only when the columns cannot fit one (then the first `fixed` columns repeat on each)."""
    from openpyxl.utils import get_column_letter

    natural = [_natural_width(header, texts) for header, texts in columns]
    floor = least or [least_width(header, texts) for header, texts in columns]
    widths, orientation, across = print_layout(
        natural, [min(f, n) for f, n in zip(floor, natural, strict=True)], landscape
    )
    for i, width in enumerate(widths, 1):
        sheet.column_dimensions[get_column_letter(i)].width = width
    fit_rows(sheet, widths)
    print_setup(sheet, len(columns), orientation, across, title_row=top)
    if across > 1 and fixed:
        sheet.print_title_cols = f"A:{get_column_letter(fixed)}"


def print_setup(sheet: Any, columns: int, orientation: str, across: int = 1, title_row: int | None = 1) -> None:
    """A4, fitted to `across` pages' width only (as many pages down as it takes), `title_row` on
    every page, the first `columns` columns printed (0: the whole sheet, charts and all)."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.properties import PageSetupProperties

    sheet.page_setup.orientation = orientation
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = across
    sheet.page_setup.fitToHeight = 0
    if sheet.sheet_properties.pageSetUpPr is None:
        sheet.sheet_properties.pageSetUpPr = PageSetupProperties()
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_margins.left = sheet.page_margins.right = 0.5
    sheet.print_options.horizontalCentered = True
    if title_row is not None:
        sheet.print_title_rows = f"{title_row}:{title_row}"
    if columns:
        sheet.print_area = f"A1:{get_column_letter(columns)}{max(sheet.max_row, 1)}"


def render_xlsx(listing: Listing) -> bytes:
    """A workbook a clerk can print: bold frozen header, wrapped cells, numbers as numbers, and an A4
    page set-up that fits the columns a person reads to the page's width in at least 9.5 pt; ids and
    the extra columns (ids, keys) come last and are not printed."""
    import io

    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    columns = _file_columns(listing)
    book = Workbook()
    sheet = book.worksheets[0]
    sheet.title = _sheet_title(listing.sheet)
    _fill(sheet, listing, columns)
    texts = [(c.header, [cell(r.get(c.key), c.labels) for r in listing.records]) for c in columns]
    printed = max(1, sum(1 for c in columns if not c.extra))
    print_ready(sheet, texts[:printed], landscape=listing.landscape)
    widths = [int(sheet.column_dimensions[get_column_letter(i)].width) for i in range(1, printed + 1)]
    for i, (header, column_texts) in enumerate(texts[printed:], printed + 1):  # the extras: as wide as they are
        widths.append(_natural_width(header, column_texts))
        sheet.column_dimensions[get_column_letter(i)].width = widths[-1]
    fit_rows(sheet, widths)
    sheet.freeze_panes = "A2"
    if listing.workbook is not None:
        listing.workbook(book)
    if listing.footer:
        _notes_sheet(book, listing.footer)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def _fill(sheet: Any, listing: Listing, columns: list[Column]) -> None:
    """The header row and one row a record, numbers as numbers, every cell bordered and wrapped."""
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    for j, c in enumerate(columns, 1):
        put(sheet.cell(row=1, column=j), c.header)
    for i, record in enumerate(listing.records, 2):
        for j, c in enumerate(columns, 1):
            value = record.get(c.key)
            put(sheet.cell(row=i, column=j), value if _is_number(value) and not c.labels else cell(value, c.labels))
    line = Side(style="thin", color="808080")
    border = Border(left=line, right=line, top=line, bottom=line)
    centred = {j for j, c in enumerate(columns, 1) if c.pivot}
    for row in sheet.iter_rows(min_row=2):
        for item in row:
            item.alignment = Alignment(
                wrap_text=True, vertical="top", horizontal="center" if item.column in centred else None
            )
            item.border = border
    for item in sheet[1]:
        item.font = Font(bold=True)
        item.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        item.fill = PatternFill("solid", start_color="E7E6E6")
        item.border = border


def _notes_sheet(book: Any, footer: list[str]) -> None:
    """The listing's notes on a sheet of their own, one a row."""
    from openpyxl.styles import Alignment

    notes = book.create_sheet(msg("Notes", "说明"))
    notes.column_dimensions["A"].width = 80
    for i, note in enumerate(footer, 1):
        put(notes.cell(row=i, column=1), note)
        notes.cell(row=i, column=1).alignment = Alignment(wrap_text=True, vertical="top")
    fit_rows(notes, [80])
    print_setup(notes, 1, "portrait", title_row=None)


def _sheet_title(title: str) -> str:
    """A worksheet name Excel accepts: at most 31 characters, none of []:*?/\\."""
    cleaned = "".join("_" if ch in "[]:*?/\\" else ch for ch in title).strip("'") or "Sheet1"
    return cleaned[:31]


def write_table(listing: Listing, sink: Sink) -> None:
    """rich on a terminal, plain aligned text otherwise."""
    if sink.terminal:
        render_rich(listing, sink.stream, sink.width)
    else:
        sink.write(render_plain(listing, sink.width))


LISTING_FORMATS: Family[Listing] = Family(
    "listing",
    Format(
        "table",
        both("rich on a terminal, aligned text when piped", "终端上为带格式的表格，管道中为对齐的文本"),
        write_table,
    ),
    Format(
        "json",
        both("the records as JSON", "各条记录的 JSON"),
        lambda listing, sink: sink.write(dump_json(listing.json_data())),
    ),
    Format(
        "csv", both("every column, flat", "全部列，一行一条"), lambda listing, sink: sink.write(render_csv(listing))
    ),
    Format("md", both("Markdown tables", "Markdown 表格"), lambda listing, sink: sink.write(render_md(listing))),
    Format(
        "xlsx",
        both("an Excel workbook to print (needs -o)", "可打印的 Excel 工作簿（需 -o）"),
        lambda listing, sink: sink.write(render_xlsx(listing)),
        True,
    ),
)

"""Output: reporters for validation results, and atomic file writing.

Reporters turn a result into text for one format; the CLI picks one with `--format`. rich is
imported only by the reporters that draw on a terminal.
"""

from __future__ import annotations

import json
import os
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from kpsy.errors import CheckResult, OutputError, Problem


def _plain_line(p: Problem) -> str:
    return f"{p.location()}: {p.level.value} {p.rule}: {p.message}"


def summary(result: CheckResult, plan_name: str) -> str:
    errors, warnings = len(result.errors), len(result.warnings)
    if not errors and not warnings:
        return f"{plan_name}: valid, no problems"
    parts = [f"{errors} error{'s' * (errors != 1)}", f"{warnings} warning{'s' * (warnings != 1)}"]
    return f"{plan_name}: {', '.join(parts)}"


def report_plain(result: CheckResult, out: TextIO, plan_name: str) -> None:
    """`file:line:col: level rule: message`, one per line."""
    for p in result.problems:
        out.write(_plain_line(p) + "\n")


def report_text(result: CheckResult, out: TextIO, plan_name: str) -> None:
    """Coloured lines and a summary, for a person at a terminal."""
    from rich.console import Console
    from rich.markup import escape

    console = Console(file=out, highlight=False, soft_wrap=True)
    for p in result.problems:
        style = "red" if p.is_error else "yellow"
        console.print(
            f"[bold]{escape(p.location())}[/]: [{style}]{p.level.value}[/] [dim]{p.rule}[/]: {escape(p.message)}"
        )
    style = "red" if result.errors else "yellow" if result.warnings else "green"
    console.print(f"[{style}]{escape(summary(result, plan_name))}[/]")


def report_json(result: CheckResult, out: TextIO, plan_name: str) -> None:
    """A JSON object: plan, ok, counts, and the problems with file, line, col, rule, level, message."""
    data = {
        "plan": plan_name,
        "ok": not result.errors,
        "errors": len(result.errors),
        "warnings": len(result.warnings),
        "problems": [
            {"file": p.file, "line": p.line, "col": p.col, "rule": p.rule, "level": p.level.value, "message": p.message}
            for p in result.problems
        ],
    }
    out.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def _gh_data(s: str) -> str:
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_property(s: str) -> str:
    return _gh_data(s).replace(":", "%3A").replace(",", "%2C")


def report_github(result: CheckResult, out: TextIO, plan_name: str) -> None:
    """GitHub Actions workflow commands: `::error file=…,line=…,col=…,title=…::message`."""
    for p in result.problems:
        props = [f"file={_gh_property(p.file)}"]
        if p.line:
            props += [f"line={p.line}", f"col={p.col}"]
        props.append(f"title={_gh_property('kpsy ' + p.rule)}")
        out.write(f"::{p.level.value} {','.join(props)}::{_gh_data(p.message)}\n")


Reporter = Callable[[CheckResult, TextIO, str], None]
REPORTERS: dict[str, Reporter] = {
    "text": report_text,
    "plain": report_plain,
    "json": report_json,
    "github": report_github,
}


def choose_format(name: str, is_tty: bool) -> str:
    """`auto`: GitHub annotations under GitHub Actions, rich text on a terminal, plain lines otherwise."""
    if name != "auto":
        return name
    if os.environ.get("GITHUB_ACTIONS") == "true":
        return "github"
    return "text" if is_tty else "plain"


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write `data` to `path` through a temporary file and a rename: never a half-written file."""
    import tempfile

    payload = data.encode("utf-8") if isinstance(data, str) else data
    folder = path.parent if str(path.parent) else Path(".")
    tmp: str | None = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
        tmp = None
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from exc
    finally:
        if tmp is not None and os.path.exists(tmp):
            os.unlink(tmp)


# --- listings: one set of records, many formats -----------------------------------------------


@dataclass
class Column:
    key: str
    header: str
    labels: dict[str, str] | None = None  # raw value -> what a person reads (table, md, xlsx)
    in_table: bool = True  # False: shown in the group heading, not in each row
    wrap: bool = True  # False: never narrowed (numbers, codes, unit names in a matrix)


@dataclass
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


def display_width(text: str) -> int:
    """Terminal columns `text` takes: wide and full-width characters take two."""
    return sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


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
        out.append("  ".join(_pad(c.header, w) for c, w in zip(columns, widths, strict=True)).rstrip())
        for record in records:
            cells = [wrap(cell(record.get(c.key), c.labels), w) for c, w in zip(columns, widths, strict=True)]
            for k in range(max(len(x) for x in cells)):
                parts = [_pad(x[k] if k < len(x) else "", w) for x, w in zip(cells, widths, strict=True)]
                out.append("  ".join(parts).rstrip())
    if listing.footer:
        out.append("")
        out += [line for note in listing.footer for line in wrap(note, max(20, width))]
    return "\n".join(out) + "\n"


def render_rich(listing: Listing, out: TextIO) -> None:
    """Tables drawn by rich for a terminal (NO_COLOR is honoured by rich)."""
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    console = Console(file=out, highlight=False)
    columns = _table_columns(listing)
    for heading, notes, records in _sections(listing):
        if heading is not None:
            console.print(f"[bold]{escape(heading)}[/]")
            for note in notes:
                console.print(f"  {escape(note)}", style="dim")
        table = Table()
        for c in columns:
            table.add_column(c.header, overflow="fold", no_wrap=not c.wrap)
        for record in records:
            table.add_row(*(cell(record.get(c.key), c.labels) for c in columns))
        console.print(table)
    for line in listing.footer:
        console.print(line, markup=False)


def md_escape(text: str) -> str:
    """Text from the data, safe inside Markdown: specials escaped, a leading `1. ` kept literal."""
    text = re.sub(r"([\\`*_{}\[\]<>()#+!|~^$@&])", r"\\\1", text)
    text = re.sub(r"^(\d+)\.(\s)", r"\1\\.\2", text, flags=re.M)
    return re.sub(r"^([-=:])", r"\\\1", text, flags=re.M)


def render_md(listing: Listing) -> str:
    columns = _table_columns(listing)
    out = [f"# {md_escape(listing.title)}", ""]
    for heading, notes, records in _sections(listing):
        if heading is not None:
            out += [f"## {md_escape(heading)}", ""]
            out += [md_escape(n) + "  " for n in notes]
            if notes:
                out.append("")
        out.append("| " + " | ".join(md_escape(c.header) for c in columns) + " |")
        out.append("|" + "|".join("---" for _ in columns) + "|")
        for record in records:
            cells = (md_escape(cell(record.get(c.key), c.labels)).replace("\n", "<br>") for c in columns)
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
        writer.writerow([cell(record.get(c.key)) for c in listing.columns])
    return buf.getvalue()


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
    sheet.append([c.header for c in listing.columns])
    for record in listing.records:
        sheet.append([cell(record.get(c.key), c.labels) for c in listing.columns])
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
    if listing.footer:
        notes = book.create_sheet("说明")
        notes.column_dimensions["A"].width = 100
        for line in listing.footer:
            notes.append([line])
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def render_listing(listing: Listing, fmt: str, *, tty: bool, width: int) -> str | bytes | None:
    """The listing in `fmt`; None means: draw it with rich on the terminal."""
    if fmt == "table":
        return None if tty else render_plain(listing, width)
    if fmt == "json":
        return json.dumps(listing.json_data(), ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        return render_csv(listing)
    if fmt == "md":
        return render_md(listing)
    if fmt == "xlsx":
        return render_xlsx(listing)
    raise ValueError(f"unknown listing format {fmt}")

"""A PDF's text layer, read with pypdfium2 (PDFium's own text extraction), put back into paragraphs.

A PDF holds lines, not paragraphs: the lines of a paragraph are wrapped at the column's edge. A line
starts a paragraph when the line before it ends short of the column's right edge, when it is
indented (the first line of a paragraph of an official document is indented by two characters),
when its type is of another size, when it stands apart from the line before, or when it starts with
a number and the line before ends a sentence. The lines of a title in large type are one paragraph.
Page numbers (「— 3 —」, 「- 3 -」, 「第3页」) and running heads and feet repeated on most pages are
left out, and said so. The spaces PDFium puts where glyphs stand apart are dropped next to Chinese
characters. A PDF without a text layer (a scan) is refused.
"""

from __future__ import annotations

import itertools
import re
import statistics
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kpsy.i18n import msg
from kpsy.importer.pdfgrid import Char, Grid, table_rows, visual_lines
from kpsy.importer.read import Line, Omitted, Source, SourceError, Table, Unread, check_size
from kpsy.plan.text import normalise

MAX_PDF_BYTES = 64 * 1024 * 1024
MAX_PAGES = 500
PAGE_NUMBER = re.compile(
    r"^(?:[-—–－─]+ ?\d{1,4} ?[-—–－─]+|第 ?\d{1,4} ?页(?:[，, ]*共 ?\d{1,4} ?页)?|\d{1,4} ?/ ?\d{1,4}|\d{1,4}"
    r"|[(（]?[-—–－─] ?\d{1,4} ?[-—–－─][)）]?)$"
)
_SENTENCE_END = "。；;：:！？!?”）)"
_NUMBERED = re.compile(
    r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)]|\d{1,3}[．.、]|[（(]\d{1,3}[）)]|第[一二三四五六七八九十百]+[章节条])"
)


def _cjk(c: str) -> bool:
    return (
        "\u2e80" <= c <= "\u9fff" or "\uf900" <= c <= "\ufaff" or "\uff00" <= c <= "\uffef" or "\u3000" <= c <= "\u303f"
    )


@dataclass
class PdfLine:
    """A line of a page: its text and where it stands (PDF points; y grows upwards)."""

    text: str
    page: int
    left: float
    right: float
    top: float
    bottom: float
    size: float  # the median height of its characters

    @property
    def where(self) -> str:
        return msg("page {p}", "第{p}页", p=self.page)


def read_pdf(path: Path) -> Source:
    """The paragraphs and ruled tables of the PDF at `path`, from its text layer."""
    import pypdfium2 as pdfium  # type: ignore[import-untyped]

    check_size(path, MAX_PDF_BYTES)
    try:
        document = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        raise SourceError(
            msg("{p}: cannot be read as a PDF ({e})", "{p}：无法作为 PDF 读取（{e}）", p=path, e=exc)
        ) from None
    try:
        pages = [_read_page(document[i], i + 1) for i in range(min(len(document), MAX_PAGES))]
    finally:
        document.close()
    if sum(len(line.text) for page in pages for line in page.lines) + sum(len(p.grids) for p in pages) < 20:
        raise SourceError(
            msg(
                "{p} has no text layer (a scanned document?): find the text version, or run it through OCR first",
                "{p} 没有文字层（可能是扫描件）：请找到文字版，或先进行 OCR 文字识别",
                p=path,
            )
        )
    omitted = _furniture([page.lines for page in pages])
    lines, chains = _stream(pages)
    tables: list[Table] = []
    breaks = {at for at, _ in chains}
    paragraphs = join_lines(lines, breaks)
    line_of = {id(line): i for i, line in enumerate(lines)}
    for at, chain in chains:
        after = sum(1 for _, first in paragraphs if line_of[id(first)] < at)
        tables.append(Table(len(tables) + 1, table_rows(chain), after))
    out = [Line(text, first.where, n) for n, (text, first) in enumerate(paragraphs, 1)]
    source = Source(path, "pdf", "PDF", out, tables, omitted=omitted)
    source.unread = [u for page in pages for u in page.unruled]
    return source


@dataclass
class _Page:
    """What a page holds: its lines (outside tables), its ruled tables, its tables ruled by nothing."""

    number: int
    lines: list[PdfLine]
    grids: list[Grid]
    unruled: list[Unread]


def _read_page(page: Any, number: int) -> _Page:
    from kpsy.importer import pdfgrid

    textpage = page.get_textpage()
    try:
        chars = _chars(textpage)
        grids = pdfgrid.grids(page, number)
        inked = [c for c, _ in chars if c.text not in "\r\n" and not c.text.isspace()]
        taken = pdfgrid.place(inked, grids)
        unruled, aligned = _unruled([c for c in inked if c.index not in taken], number)
        lines = _lines([(c, g) for c, g in chars if c.index not in taken | aligned], number)
    finally:
        textpage.close()
        page.close()
    return _Page(number, lines, grids, unruled)


def _chars(textpage: Any) -> list[tuple[Char, bool]]:
    """The page's characters in PDFium's order, line breaks included, each with whether PDFium made it up."""
    import pypdfium2.raw as raw  # type: ignore[import-untyped]

    count = textpage.count_chars()
    text = textpage.get_text_range(0, count) if count else ""
    out = []
    for i, c in enumerate(text[:count]):
        generated = raw.FPDFText_IsGenerated(textpage.raw, i) == 1
        box = (0.0, 0.0, 0.0, 0.0) if c.isspace() else textpage.get_charbox(i)
        out.append((Char(i, c, box), generated))
    return out


def _lines(chars: list[tuple[Char, bool]], number: int) -> list[PdfLine]:
    lines: list[PdfLine] = []
    run: list[tuple[str, tuple[float, float, float, float], bool]] = []
    for char, generated in chars:
        if char.text in "\r\n":
            if run:
                lines.append(_line(run, number))
                run = []
            continue
        run.append((char.text, char.box, generated))
    if run:
        lines.append(_line(run, number))
    return [line for line in lines if line.text]


def _line(chars: list[tuple[str, tuple[float, float, float, float], bool]], page: int) -> PdfLine:
    """A line from its characters; a space PDFium made up is kept only between two Latin letters or digits."""
    text = ""
    for i, (c, _, generated) in enumerate(chars):
        if c.isspace() and generated:
            before = text[-1:] or " "
            after = next((d for d, _, _ in chars[i + 1 :] if not d.isspace()), " ")
            if _cjk(before) or _cjk(after) or before == " ":
                continue
        text += c
    boxes = [box for c, box, _ in chars if not c.isspace()]
    if not boxes:
        return PdfLine("", page, 0, 0, 0, 0, 0)
    # the type's size from letters, not from punctuation, whose boxes are small
    letters = [box for c, box, _ in chars if c.isalnum()] or boxes
    return PdfLine(
        normalise(text),
        page,
        min(b[0] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
        min(b[1] for b in boxes),
        statistics.median(b[3] - b[1] for b in letters),
    )


def _shape(text: str) -> str:
    return re.sub(r"\d+", "#", text)


def _furniture(pages: list[list[PdfLine]]) -> list[Omitted]:
    """Take page numbers and running heads and feet out of `pages`; what was taken out."""
    omitted: list[Omitted] = []
    edges: Counter[str] = Counter()
    for page in pages:
        edges.update({_shape(line.text) for line in page[:2] + page[-2:]})
    repeated = {shape for shape, n in edges.items() if len(pages) >= 3 and n >= 0.6 * len(pages)}
    for page in pages:
        keep: list[PdfLine] = []
        for i, line in enumerate(page):
            at_edge = i < 2 or i >= len(page) - 2
            if at_edge and (PAGE_NUMBER.match(line.text) or _shape(line.text) in repeated):
                omitted.append(Omitted(line.where, line.text, "page-furniture"))
            else:
                keep.append(line)
        page[:] = keep
    return omitted


@dataclass
class _Column:
    left: float
    right: float
    em: float  # a character's width in the body type
    body: float  # the body type's size
    pitch: float  # the usual distance from one line to the next


def _column(lines: list[PdfLine]) -> _Column:
    sizes = Counter(round(line.size) for line in lines)
    body = float(sizes.most_common(1)[0][0]) if sizes else 12.0
    body_lines = [line for line in lines if abs(line.size - body) <= 1.5] or lines
    # the margins: where lines most to the left start, and most to the right end, more than once
    enough = max(2, len(body_lines) // 30) if len(body_lines) > 3 else 1
    lefts = Counter(round(line.left) for line in body_lines)
    left = float(min((x for x, n in lefts.items() if n >= enough), default=min(lefts)))
    rights = Counter(round(line.right) for line in body_lines)
    right = float(max((x for x, n in rights.items() if n >= enough), default=max(rights)))
    widths = [
        (line.right - line.left) / len(line.text)
        for line in body_lines
        if len(line.text) >= 8 and all(_cjk(c) for c in line.text)
    ]
    em = statistics.median(widths) if widths else body
    pitches = [a.bottom - b.top for a, b in itertools.pairwise(body_lines) if a.page == b.page and a.bottom > b.top]
    pitch = statistics.median(pitches) if pitches else em * 0.6
    return _Column(left, right, em, body, pitch)


def _starts_paragraph(prev: PdfLine, line: PdfLine, col: _Column) -> bool:
    if abs(line.size - prev.size) > max(1.0, 0.12 * col.body):
        return True
    if prev.right < col.right - 1.5 * col.em:
        return True
    if line.left > col.left + 1.2 * col.em:
        return True
    if prev.page == line.page and prev.bottom - line.top > 2.2 * max(col.pitch, 1.0):
        return True
    return bool(_NUMBERED.match(line.text)) and prev.text[-1:] in _SENTENCE_END


def join_lines(lines: list[PdfLine], breaks: set[int] | None = None) -> list[tuple[str, PdfLine]]:
    """Lines joined into paragraphs: (text, its first line); a paragraph starts at each of `breaks`
    (where a table stood between two lines)."""
    if not lines:
        return []
    col = _column(lines)
    large = col.body * 1.15
    out: list[tuple[str, PdfLine]] = []
    text, first, prev = lines[0].text, lines[0], lines[0]
    for i, line in enumerate(lines[1:], 1):
        title = line.size > large and abs(line.size - prev.size) <= 1.0 and prev.page == line.page
        if i in (breaks or ()) or (not title and _starts_paragraph(prev, line, col)):
            out.append((text, first))
            text, first = line.text, line
        else:
            glue = " " if text[-1:].isascii() and text[-1:].isalnum() and line.text[:1].isascii() else ""
            text += glue + line.text
        prev = line
    out.append((text, first))
    return out


# --- tables --------------------------------------------------------------------------------------


def _stream(pages: list[_Page]) -> tuple[list[PdfLine], list[tuple[int, list[Grid]]]]:
    """The lines of every page in order, and each table with the place among them where it stands:
    a table that ends its page and goes on at the top of the next, in the same columns, is one."""
    from kpsy.importer.pdfgrid import same_columns

    lines: list[PdfLine] = []
    chains: list[tuple[int, list[Grid]]] = []
    for page in pages:
        placed = 0
        for grid in page.grids:
            below = next((i for i, line in enumerate(page.lines) if line.top <= grid.top + 1), len(page.lines))
            lines += page.lines[placed : max(placed, below)]
            placed = max(placed, below)
            last = chains[-1][1][-1] if chains else None
            if (
                last is not None
                and chains[-1][0] == len(lines)
                and last.page + 1 == grid.page
                and same_columns(last, grid)
            ):
                chains[-1][1].append(grid)
                continue
            chains.append((len(lines), [grid]))
        lines += page.lines[placed:]
    return lines, chains


def _unruled(chars: list[Char], number: int) -> tuple[list[Unread], set[int]]:
    """Tables set out in columns with spaces, not rules: rows of three columns or more, two rows at
    least, with the rows between them and those after them that start right of the first column
    (a cell's wrapped lines). They cannot be rebuilt without guessing where a row ends: what each
    looks like, and the characters they hold."""
    rows = visual_lines(chars)
    columns = [_segments(row) for row in rows]
    wide = [i for i, cols in enumerate(columns) if len(cols) >= 3]
    found: list[Unread] = []
    taken: set[int] = set()
    i = 0
    while i < len(wide):
        j = i
        while j + 1 < len(wide) and wide[j + 1] - wide[j] <= 4:
            j += 1
        first, last = wide[i], wide[j]
        if j > i:
            inner = columns[first][1][0] - 1.0
            while last + 1 < len(rows) and columns[last + 1][0][0] >= inner:
                last += 1
            found.append(_unread([t for _, t in columns[first]], number))
            taken |= {c.index for row in rows[first : last + 1] for c in row}
        i = j + 1
    return found, taken


def _segments(row: list[Char]) -> list[tuple[float, str]]:
    """A row's runs of characters (where each starts, its text), split where they stand more than
    two characters apart."""
    size = max(c.box[3] - c.box[1] for c in row)
    out = [(row[0].box[0], row[0].text)]
    for a, b in itertools.pairwise(row):
        if b.box[0] - a.box[2] > 2 * size:
            out.append((b.box[0], b.text))
        else:
            out[-1] = (out[-1][0], out[-1][1] + b.text)
    return out


def _unread(columns: list[str], number: int) -> Unread:
    return Unread(
        msg("page {p}", "第{p}页", p=number),
        " | ".join(columns),
        msg(
            "a table without ruling lines (its columns set out with spaces) cannot be rebuilt: give the 分工表"
            " as a Word file with --table FILE, or enter its units by hand",
            "没有表格线的表格（各列以空格对齐）无法还原：请用 --table 文件 另行提供 Word 格式的分工表，或手工填写其中的单位",
        ),
    )

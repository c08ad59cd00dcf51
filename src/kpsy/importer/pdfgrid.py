"""Ruled tables on a PDF page, rebuilt from the lines drawn on it: the grid of a 分工表 as Word, WPS
and LibreOffice print it.

A table's rules are path objects: stroked lines (LibreOffice), thin filled rectangles (Word, WPS) or
the sides of rectangles. Their horizontal and vertical pieces are snapped onto common positions and
joined where they touch; a cell is the smallest box whose four corners are crossings of rules and
whose sides are drawn; a table is the cells that share corners. A cell that spans several columns or
rows (a merged cell) gives its text to every place of the grid it covers, as the .docx reader does.

Each character goes to the cell its centre lies in. Within a cell, characters on one baseline make a
line; a line that runs to the cell's right edge was wrapped there and goes on in the next line
(「县人力资源和」「社会保障局」 is one name), a line that ends short ends a paragraph of the cell
(units set on lines of their own stay on lines of their own). Everything here is geometry in PDF
points, y growing upwards; nothing is known of plans.
"""

from __future__ import annotations

import bisect
import itertools
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from kpsy.plan.text import normalise

SNAP = 2.0  # rules this close are one rule
THIN = 3.0  # a filled rectangle this thin is a rule
MIN_RULE = 4.0  # shorter pieces (a dash, a glyph's stroke) are not rules
CELL_PAD = 8.0  # at most this much room between a cell's side and its text


@dataclass(frozen=True)
class Char:
    """A character of the page with its box (left, bottom, right, top) and its place in the text."""

    index: int
    text: str
    box: tuple[float, float, float, float]

    @cached_property
    def x(self) -> float:
        return (self.box[0] + self.box[2]) / 2

    @cached_property
    def y(self) -> float:
        return (self.box[1] + self.box[3]) / 2


@dataclass
class Cell:
    left: float
    bottom: float
    right: float
    top: float
    chars: list[Char] = field(default_factory=list)

    def holds(self, x: float, y: float) -> bool:
        return self.left <= x <= self.right and self.bottom <= y <= self.top


@dataclass
class Grid:
    """A ruled table of one page: its cells, and where its columns and rows lie."""

    page: int
    cells: list[Cell]
    xs: list[float]  # the columns' sides, left to right
    ys: list[float]  # the rows' sides, top to bottom
    open_below: set[int] = field(default_factory=set)  # columns whose cell the page's end left open

    @property
    def top(self) -> float:
        return self.ys[0]

    @property
    def bottom(self) -> float:
        return self.ys[-1]

    def holds(self, x: float, y: float) -> bool:
        return self.xs[0] <= x <= self.xs[-1] and self.bottom <= y <= self.top

    def cell_at(self, row: int, col: int) -> Cell | None:
        """The cell that covers the grid's place (row, col), counted from the top left."""
        x = (self.xs[col] + self.xs[col + 1]) / 2
        y = (self.ys[row] + self.ys[row + 1]) / 2
        return next((c for c in self.cells if c.holds(x, y)), None)

    def height(self, cell: Cell) -> int:
        """How many of the grid's rows a cell spans."""
        return _at(self.ys, cell.bottom) - _at(self.ys, cell.top)

    def rows(self) -> list[list[str]]:
        """The table's text, one list a grid row; a merged cell's text in every place it covers."""
        out = [["" for _ in self.xs[1:]] for _ in self.ys[1:]]
        for cell in self.cells:
            text = cell_text(cell)
            for r in range(_at(self.ys, cell.top), _at(self.ys, cell.bottom)):
                for c in range(_at(self.xs, cell.left), _at(self.xs, cell.right)):
                    out[r][c] = text
        return out


def _at(sides: list[float], value: float) -> int:
    return min(range(len(sides)), key=lambda i: abs(sides[i] - value))


# --- rules ---------------------------------------------------------------------------------------


@dataclass
class Rule:
    at: float  # y of a horizontal rule, x of a vertical one
    start: float
    end: float


def page_rules(page: Any) -> tuple[list[Rule], list[Rule], list[Rule]]:
    """The horizontal and vertical rules drawn on `page`, snapped and joined, with the pieces of
    tables' outer edges left undrawn put in; and those horizontal pieces."""
    flat, upright = [], []
    for a, b in _pieces(page):
        (x0, y0), (x1, y1) = a, b
        if abs(y0 - y1) <= 0.5 and abs(x1 - x0) >= MIN_RULE:
            flat.append(Rule((y0 + y1) / 2, min(x0, x1), max(x0, x1)))
        elif abs(x0 - x1) <= 0.5 and abs(y1 - y0) >= MIN_RULE:
            upright.append(Rule((x0 + x1) / 2, min(y0, y1), max(y0, y1)))
    flat, upright = _join(flat), _join(upright)
    gaps = _edge_gaps(flat, upright)
    return _join(flat + gaps), _join(upright + _edge_gaps(upright, flat)), gaps


def _edge_gaps(rules: list[Rule], across: list[Rule]) -> list[Rule]:
    """The pieces missing from a table's outer edge: a gap in a rule between two crossing rules that
    both end there (LibreOffice leaves out the bottom of a merged cell in a table's last row). Inside
    a table the crossing rules go on through a merged cell's gap, and it stays open."""
    out = []
    for rule in rules:
        ends = sorted(r.at for r in across if min(abs(r.start - rule.at), abs(r.end - rule.at)) <= SNAP)
        pieces = sorted((r for r in rules if abs(r.at - rule.at) <= SNAP), key=lambda r: r.start)
        for a, b in itertools.pairwise(pieces):
            if a is rule and any(abs(x - a.end) <= SNAP for x in ends) and any(abs(x - b.start) <= SNAP for x in ends):
                out.append(Rule(rule.at, a.end, b.start))
    return out


Point = tuple[float, float]
Matrix = tuple[float, float, float, float, float, float]


def _pieces(page: Any) -> Iterator[tuple[Point, Point]]:
    """Every straight piece of every visible path of `page` (inside forms too), in page space."""
    import pypdfium2.raw as raw  # type: ignore[import-untyped]

    def walk(count: int, get: Any, outer: Matrix) -> Iterator[tuple[Point, Point]]:
        for i in range(count):
            obj = get(i)
            kind = raw.FPDFPageObj_GetType(obj)
            if kind not in (raw.FPDF_PAGEOBJ_FORM, raw.FPDF_PAGEOBJ_PATH):
                continue
            matrix = _times(_matrix(obj, raw), outer)
            if kind == raw.FPDF_PAGEOBJ_FORM:
                yield from walk(
                    raw.FPDFFormObj_CountObjects(obj), lambda k, o=obj: raw.FPDFFormObj_GetObject(o, k), matrix
                )
            elif _drawn(obj, raw):
                yield from _path_pieces(obj, matrix, raw)

    yield from walk(
        raw.FPDFPage_CountObjects(page.raw),
        lambda k: raw.FPDFPage_GetObject(page.raw, k),
        (1.0, 0.0, 0.0, 1.0, 0.0, 0.0),
    )


def _matrix(obj: Any, raw: Any) -> Matrix:
    m = raw.FS_MATRIX()
    if not raw.FPDFPageObj_GetMatrix(obj, m):
        return (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    return (m.a, m.b, m.c, m.d, m.e, m.f)


def _times(m: tuple[float, ...], n: Matrix) -> Matrix:
    a, b, c, d, e, f = m
    p, q, r, s, t, u = n
    return (a * p + b * r, a * q + b * s, c * p + d * r, c * q + d * s, e * p + f * r + t, e * q + f * s + u)


def _drawn(obj: Any, raw: Any) -> bool:
    import ctypes

    fill, stroke = ctypes.c_int(), ctypes.c_int()
    if not raw.FPDFPath_GetDrawMode(obj, fill, stroke):
        return True
    return bool(fill.value or stroke.value)


def _path_pieces(obj: Any, m: Matrix, raw: Any) -> Iterator[tuple[Point, Point]]:
    """The straight pieces of a path; a thin filled rectangle as the rule along its middle."""
    import ctypes

    points: list[Point] = []
    start: Point | None = None
    x, y = ctypes.c_float(), ctypes.c_float()
    for k in range(raw.FPDFPath_CountSegments(obj)):
        segment = raw.FPDFPath_GetPathSegment(obj, k)
        raw.FPDFPathSegment_GetPoint(segment, x, y)
        point = (m[0] * x.value + m[2] * y.value + m[4], m[1] * x.value + m[3] * y.value + m[5])
        kind = raw.FPDFPathSegment_GetType(segment)
        if kind == raw.FPDF_SEGMENT_MOVETO:
            start = point
        elif kind == raw.FPDF_SEGMENT_LINETO and points:
            yield points[-1], point
        points.append(point)
        if raw.FPDFPathSegment_GetClose(segment) and start is not None:
            yield point, start
    if len(points) >= 4:
        yield from _thin_box(points)


def _thin_box(points: list[Point]) -> Iterator[tuple[Point, Point]]:
    left, right = min(p[0] for p in points), max(p[0] for p in points)
    bottom, top = min(p[1] for p in points), max(p[1] for p in points)
    if top - bottom <= THIN < right - left:
        middle = (top + bottom) / 2
        yield (left, middle), (right, middle)
    elif right - left <= THIN < top - bottom:
        middle = (left + right) / 2
        yield (middle, bottom), (middle, top)


def _join(rules: list[Rule]) -> list[Rule]:
    """Rules snapped onto common positions, and those on one position that touch joined."""
    rules.sort(key=lambda r: r.at)
    groups: list[list[Rule]] = []
    for rule in rules:
        if groups and rule.at - groups[-1][-1].at <= SNAP:
            groups[-1].append(rule)
        else:
            groups.append([rule])
    out: list[Rule] = []
    for group in groups:
        at = sum(r.at for r in group) / len(group)
        group.sort(key=lambda r: r.start)
        current = Rule(at, group[0].start, group[0].end)
        for rule in group[1:]:
            if rule.start <= current.end + SNAP:
                current.end = max(current.end, rule.end)
            else:
                out.append(current)
                current = Rule(at, rule.start, rule.end)
        out.append(current)
    return out


# --- cells and tables ----------------------------------------------------------------------------


def _covered(rules: list[Rule], at: float, a: float, b: float) -> bool:
    """Whether a drawn rule at `at` runs from `a` to `b`."""
    lo, hi = min(a, b), max(a, b)
    return any(abs(r.at - at) <= SNAP and r.start - SNAP <= lo and hi <= r.end + SNAP for r in rules)


def cells(flat: list[Rule], upright: list[Rule]) -> list[Cell]:
    """Every cell: from each crossing, the nearest crossing right and below that closes a drawn box."""
    crossings = sorted(
        {
            (v.at, h.at)
            for h in flat
            for v in upright
            if h.start - SNAP <= v.at <= h.end + SNAP and v.start - SNAP <= h.at <= v.end + SNAP
        }
    )
    on_row: dict[float, list[float]] = defaultdict(list)
    on_col: dict[float, list[float]] = defaultdict(list)
    for x, y in crossings:
        on_row[y].append(x)
        on_col[x].append(y)
    points = set(crossings)
    out: list[Cell] = []
    for x, y in crossings:
        box = _box_from(x, y, on_row[y], on_col[x], points, flat, upright)
        if box is not None:
            out.append(box)
    return out


def _box_from(
    x: float,
    y: float,
    row: list[float],
    col: list[float],
    points: set[Point],
    flat: list[Rule],
    upright: list[Rule],
) -> Cell | None:
    """The smallest drawn box whose top-left corner is (x, y)."""
    for bottom in sorted((b for b in col if b < y), reverse=True):
        if not _covered(upright, x, bottom, y):
            break
        for right in sorted(r for r in row if r > x):
            if not _covered(flat, y, x, right):
                break
            if (right, bottom) in points and _covered(flat, bottom, x, right) and _covered(upright, right, bottom, y):
                return Cell(x, bottom, right, y)
    return None


def grids(page: Any, number: int) -> list[Grid]:
    """The ruled tables of `page` (of two rows and two columns at least), top to bottom."""
    flat, upright, gaps = page_rules(page)
    if len(flat) < 3 or len(upright) < 3:
        return []
    out = []
    for group in _connected(cells(flat, upright)):
        xs = _sides([c.left for c in group] + [c.right for c in group])
        ys = _sides([c.top for c in group] + [c.bottom for c in group])[::-1]
        if len(xs) >= 3 and len(ys) >= 3:
            grid = Grid(number, group, xs, ys)
            grid.open_below = {c for c in range(len(xs) - 1) if _covered(gaps, ys[-1], xs[c] + SNAP, xs[c + 1] - SNAP)}
            out.append(grid)
    return sorted(out, key=lambda g: -g.top)


def _sides(values: list[float]) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if not out or v - out[-1] > SNAP:
            out.append(v)
    return out


def _connected(found: list[Cell]) -> list[list[Cell]]:
    """Cells grouped into tables: those that share a corner are one table."""
    parent = list(range(len(found)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    by_corner: dict[Point, int] = {}
    for i, cell in enumerate(found):
        for corner in (
            (cell.left, cell.top),
            (cell.right, cell.top),
            (cell.left, cell.bottom),
            (cell.right, cell.bottom),
        ):
            j = by_corner.setdefault(corner, i)
            parent[root(i)] = root(j)
    groups: dict[int, list[Cell]] = defaultdict(list)
    for i, cell in enumerate(found):
        groups[root(i)].append(cell)
    return list(groups.values())


# --- text in cells -------------------------------------------------------------------------------


def place(chars: list[Char], tables: list[Grid]) -> set[int]:
    """Each character inside a table into its cell; the indices of those placed."""
    placed: set[int] = set()
    for char in chars:
        for grid in tables:
            if not grid.holds(char.x, char.y):
                continue
            cell = next((c for c in grid.cells if c.holds(char.x, char.y)), None)
            if cell is not None:
                cell.chars.append(char)
            placed.add(char.index)
            break
    return placed


def visual_lines(chars: list[Char]) -> list[list[Char]]:
    """Characters on one baseline, left to right; the lines top to bottom. Small marks (「“」, 「，」,
    whose boxes are a corner of the em) go to the line whose height they lie in."""
    if not chars:
        return []
    heights = sorted(c.box[3] - c.box[1] for c in chars)
    tall = 0.6 * heights[len(heights) // 2]
    lines: list[list[Char]] = []
    for char in sorted((c for c in chars if c.box[3] - c.box[1] >= tall), key=lambda c: -c.y):
        line = lines[-1] if lines else None
        if line is not None and abs(line[0].y - char.y) <= 0.5 * (line[0].box[3] - line[0].box[1]):
            line.append(char)
        else:
            lines.append([char])
    centres = [-line[0].y for line in lines]  # ascending
    for char in (c for c in chars if c.box[3] - c.box[1] < tall):
        at = bisect.bisect_left(centres, -char.y)
        near = [lines[k] for k in (at - 1, at) if 0 <= k < len(lines)]
        home = min(near, key=lambda ln: abs(ln[0].y - char.y), default=None)
        if home is not None and abs(home[0].y - char.y) <= home[0].box[3] - home[0].box[1]:
            home.append(char)
        else:
            lines.append([char])
    lines.sort(key=lambda ln: -ln[0].y)
    return [sorted(line, key=lambda c: c.x) for line in lines]


def cell_text(cell: Cell) -> str:
    """A cell's text: its wrapped lines joined, its paragraphs on lines of their own."""
    lines = visual_lines([c for c in cell.chars if not c.text.isspace()])
    if not lines:
        return ""
    pad = min(CELL_PAD, max(0.0, min(line[0].box[0] for line in lines) - cell.left))
    out: list[str] = []
    for i, line in enumerate(lines):
        text = _line_text(line)
        if i and _wrapped(lines[i - 1], cell.right - pad, out[-1], text, out[0]):
            glue = " " if out[-1][-1:].isascii() and out[-1][-1:].isalnum() and text[:1].isascii() else ""
            out[-1] += glue + text
        else:
            out.append(text)
    return "\n".join(out)


def _line_text(line: list[Char]) -> str:
    text = line[0].text
    for a, b in itertools.pairwise(line):
        gap = b.box[0] - a.box[2]
        latin = a.text.isascii() and b.text.isascii() and a.text.isalnum() and b.text.isalnum()
        text += (" " if latin and gap > 0.25 * (a.box[3] - a.box[1]) else "") + b.text
    return normalise(text)


_NO_BREAK_BEFORE = "、，。；：？！）」』》〉”’%％,.;:)"
_UNIT_END = tuple("局委会部办院站馆所队社联行司署厅处室校台心团")


def _wrapped(before: list[Char], edge: float, text_before: str, text: str, first: str) -> bool:
    """Whether a line of a cell goes on into the next: it runs to the cell's edge (within a
    character), unless it is a whole unit's name and the next starts another one as the first did."""
    em = max(c.box[2] - c.box[0] for c in before)
    # a character that a closing mark follows moves down with it (「心、」 may not be parted)
    room = 2.3 if text[1:2] and text[1] in _NO_BREAK_BEFORE else 1.3
    if before[-1].box[2] < edge - room * em:
        return False
    return not (text_before.endswith(_UNIT_END) and text[:1] == first[:1] and len(text_before) >= 3)


# --- a table over several pages ------------------------------------------------------------------


def same_columns(a: Grid, b: Grid) -> bool:
    """Whether two grids have the same columns: one table printed over two pages."""
    return len(a.xs) == len(b.xs) and all(abs(x - y) <= 2 * SNAP for x, y in zip(a.xs, b.xs, strict=True))


def table_rows(chain: list[Grid]) -> list[list[str]]:
    """The rows of a table printed on one page or going on over the next ones."""
    rows = chain[0].rows()
    for above, grid in itertools.pairwise(chain):
        rows += _continued(rows, above, grid)
    return rows


def _continued(rows: list[list[str]], above: Grid, grid: Grid) -> list[list[str]]:
    """The rows of a table's part on the next page: a header row repeated is left out; a row the page
    broke (its first cell empty, one row high) is joined onto its start; a merged cell that goes on
    from the page before (empty, and merged above the break or below it, or in a column empty
    nowhere else) is given its text, as the .docx reader does."""
    more = grid.rows()
    top = 1 if more and rows and more[0] == rows[0] else 0
    more = more[top:]
    if not more or not rows:
        return more
    first = grid.cell_at(top, 0)
    if not more[0][0] and rows[-1][0] and first is not None and grid.height(first) == 1:
        rows[-1] = [_rejoin(a, b) for a, b in zip(rows[-1], more[0], strict=False)]
        return more[1:]
    for c, text in enumerate(more[0]):
        cell, last = grid.cell_at(top, c), above.cell_at(len(above.ys) - 2, c)
        merged = cell is not None and last is not None
        merged = merged and (grid.height(cell) > 1 or above.height(last) > 1 or c in above.open_below)  # type: ignore[arg-type]
        merged = merged or all(row[c] for row in rows[1:])  # a column empty nowhere else: a merge goes on
        if not text and cell is not None and merged:
            for r in range(min(grid.height(cell), len(more))):
                more[r][c] = rows[-1][c]
    return more


def _rejoin(above: str, below: str) -> str:
    if not above or not below:
        return above or below
    whole = above.endswith(_UNIT_END) and below[:1] == above[:1]
    return above + ("\n" if whole else "") + below

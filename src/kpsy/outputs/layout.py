"""Text laid out by display width, for a terminal or a pipe.

Chinese takes two columns a character and may break between any two characters, except that a line
never starts with closing punctuation (、，。）) nor ends with opening punctuation (（《), and a
protected phrase (a unit's name) is never split. A table that does not fit changes its layout
instead of cutting a header or a cell: it splits its columns into pages that repeat the key columns,
or, when that would take too many pages, lists each record as a block of `header：value` items.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import field

from kpsy.i18n import msg
from kpsy.light import lazy_re, light

# Where a highlighted stretch of a cell (a search hit) starts and ends: two Unicode noncharacters,
# kept out of data (`unmarked`), zero columns wide, taken out of plain text and turned into a style
# on a terminal. A line never ends just after a start nor starts just before an end, and each line
# of a wrapped cell opens and closes its own marks.
MARK_START = "\ufdd0"
MARK_END = "\ufdd1"
OPENING = "（《「『【〔［｛〈(<[{“‘" + MARK_START
CLOSING = "、，。；：！？）》」』】〕］｝〉,.;:!?)>]}”’…%％" + MARK_END
GAP = 2  # spaces between two columns
FLOOR = 10  # a wrapped column is never narrower than this (or than its widest cell, if that is less)
MAX_PAGES = 3  # more pages than this and the records are listed one block each instead
INDENT = 2

Line = list[tuple[str, str]]  # (text, style) segments; style "" is plain


@functools.cache
def char_width(char: str) -> int:
    """Terminal columns of one character: 2 for wide and full-width, 0 for combining and format characters."""
    if unicodedata.combining(char) or unicodedata.category(char) == "Cf" or char in (MARK_START, MARK_END):
        return 0
    return 2 if unicodedata.east_asian_width(char) in "WF" else 1


def display_width(text: str) -> int:
    """Terminal columns `text` takes."""
    if text.isascii():
        return len(text)
    return sum(map(char_width, text))


def keep_pattern(phrases: Iterable[str]) -> re.Pattern[str] | None:
    """A pattern for phrases that must never be split, longest first (so that the longer of two
    overlapping names wins)."""
    kept = sorted({p for p in phrases if len(p) > 1}, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, kept))) if kept else None


_PIECE = lazy_re(r"[A-Za-z0-9_\-./@#+%$]+|\s+|.", re.S)


def tokens(text: str, keep: re.Pattern[str] | None = None) -> list[str]:
    """`text` cut where a line may break: between Chinese characters, at spaces, around ASCII words
    and protected phrases; punctuation stays with the word it belongs to."""
    pieces: list[str] = []
    pos = 0
    for m in keep.finditer(text) if keep else ():
        pieces += _PIECE().findall(text[pos : m.start()])
        pieces.append(m.group())
        pos = m.end()
    pieces += _PIECE().findall(text[pos:])
    out: list[str] = []
    for piece in pieces:
        glued = piece[0] in CLOSING or (out and out[-1][-1] in OPENING)
        if out and glued and not out[-1].isspace() and not piece.isspace():
            out[-1] += piece
            continue
        out.append(piece)
    return out


def longest_token(text: str, keep: re.Pattern[str] | None = None) -> int:
    return max((display_width(t) for t in tokens(text, keep) if not t.isspace()), default=0)


def wrap(text: str, width: int, keep: re.Pattern[str] | None = None, indent: int = 0) -> list[str]:
    """`text` in lines of at most `width` columns, continuation lines indented by `indent`. A token
    wider than the line is the only thing ever split."""
    width = max(width, 1)
    indent = indent if indent < width // 2 else 0
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line, used = "", 0
        for tok in tokens(paragraph, keep):
            w = display_width(tok)
            if tok.isspace():
                if line.strip() and used + w < width:
                    line, used = line + tok, used + w
                elif not line:  # a paragraph's own leading spaces
                    line, used = tok[:width], min(w, width)
                continue
            if used + w > width and line.strip():
                lines.append(line.rstrip())
                line, used = " " * indent, indent
            if used + w > width:  # an indent (or leading spaces) gives way before a token splits
                line, used = "", 0
            if used + w <= width:
                line, used = line + tok, used + w
                continue
            for ch in tok:  # wider than a whole line: split it
                cw = char_width(ch)
                if used + cw > width and line:
                    lines.append(line.rstrip())
                    line, used = "", 0
                line, used = line + ch, used + cw
        lines.append(line.rstrip())
    return _balanced(lines)


def marked(text: str, spans: Iterable[Sequence[int]]) -> str:
    """`text` with the (start, end) `spans` marked for highlighting (overlapping spans merged)."""
    out: list[str] = []
    at = 0
    for start, end in sorted((s, e) for s, e in spans if 0 <= s < e <= len(text)):
        start = max(start, at)
        if start >= end:
            continue
        out += [text[at:start], MARK_START, text[start:end], MARK_END]
        at = end
    out.append(text[at:])
    return "".join(out)


def unmarked(text: str) -> str:
    """`text` without marks (data never carries them)."""
    if MARK_START in text or MARK_END in text:
        return text.replace(MARK_START, "").replace(MARK_END, "")
    return text


def _balanced(lines: list[str]) -> list[str]:
    """Wrapped lines of a marked text, each closing the marks it opens and reopening one left open."""
    if not any(MARK_START in line or MARK_END in line for line in lines):
        return lines
    out: list[str] = []
    open_ = False
    for line in lines:
        if open_:
            body = line.lstrip(" ")
            line = line[: len(line) - len(body)] + MARK_START + body
        for char in line:
            if char == MARK_START:
                open_ = True
            elif char == MARK_END:
                open_ = False
        out.append(line + MARK_END if open_ else line)
    return out


def marked_pieces(text: str) -> list[tuple[str, bool]]:
    """A line as (piece, highlighted) pieces."""
    if MARK_START not in text and MARK_END not in text:
        return [(text, False)]
    pieces: list[tuple[str, bool]] = []
    inside = False
    for part in re.split(f"([{MARK_START}{MARK_END}])", text):
        if part in (MARK_START, MARK_END):
            inside = part == MARK_START
        elif part:
            pieces.append((part, inside))
    return pieces


def pad(text: str, width: int) -> str:
    return text + " " * max(0, width - display_width(text))


# --- tables ------------------------------------------------------------------------------------


@light
class GridColumn:
    header: str
    wrap: bool = True  # False: never narrowed (numbers, codes, a unit's name)
    fixed: bool = False  # repeated on every page; a record's heading when listed as blocks
    pivot: bool = False  # a matrix column: listed as blocks, its cells are grouped by value


@light
class Section:
    heading: str | None
    notes: list[str]
    rows: list[list[str]]  # display text of each cell, in column order
    shown: list[int] | None = None  # the columns this section shows (all when None)


@light
class Grid:
    """A table to lay out: columns, sections of rows, a footer, and phrases never to split."""

    columns: list[GridColumn]
    sections: list[Section]
    footer: list[str] = field(default_factory=list)
    phrases: frozenset[str] = frozenset()  # never split (the column headers never are either)
    pivot_names: dict[str, str] = field(default_factory=dict)  # a matrix cell's text -> its meaning

    @functools.cached_property
    def keep(self) -> re.Pattern[str] | None:
        """The phrases never to split that the table's text holds (an expression of every unit's
        name would take longer to compile than a small table takes to lay out)."""
        texts = [*self.footer, *(c.header for c in self.columns), *self.pivot_names.values()]
        for section in self.sections:
            texts += [section.heading or "", *section.notes, *(cell for row in section.rows for cell in row)]
        held = "\0".join(texts)
        return keep_pattern({p for p in {*self.phrases, *(c.header for c in self.columns)} if p in held})


def _widths(grid: Grid) -> tuple[list[int], list[int]]:
    """Each column's natural width (its widest cell) and the least it may be narrowed to."""
    natural, minimum = [], []
    for i, column in enumerate(grid.columns):
        cells = [row[i] for s in grid.sections for row in s.rows]
        widest = max([display_width(column.header), *(display_width(x) for c in cells for x in c.split("\n"))])
        natural.append(widest)
        if column.wrap:
            tokens_width = max([0, *(longest_token(c, grid.keep) for c in cells)])
            minimum.append(min(widest, max(display_width(column.header), tokens_width, FLOOR)))
        else:
            minimum.append(widest)
    return natural, minimum


def _total(widths: Sequence[int]) -> int:
    return sum(widths) + GAP * (len(widths) - 1) if widths else 0


def fit(natural: list[int], minimum: list[int], available: int) -> list[int]:
    """Narrow the widest columns, never below their minimum, until the row fits in `available`."""
    widths = list(natural)
    while _total(widths) > available:
        shrinkable = [i for i, w in enumerate(widths) if w > minimum[i]]
        if not shrinkable:
            break
        widths[max(shrinkable, key=widths.__getitem__)] -= 1
    return widths


def _pages(grid: Grid, minimum: list[int], width: int) -> list[list[int]] | None:
    """The columns of each page (key columns on every page), or None when paging does not help."""
    keys = [i for i, c in enumerate(grid.columns) if c.fixed]
    rest = [i for i, c in enumerate(grid.columns) if not c.fixed]
    if not keys or not rest:
        return None
    pages: list[list[int]] = []
    current: list[int] = []
    for i in rest:
        if _total([minimum[k] for k in [*keys, *current, i]]) <= width:
            current.append(i)
            continue
        if not current:
            return None  # one column does not fit beside the key columns
        pages.append(current)
        current = [i]
    pages.append(current)
    if len(pages) > MAX_PAGES:
        return None
    return [[*keys, *page] for page in pages]


def _styled(lines: Iterable[str], style: str) -> list[Line]:
    return [[(line, style)] for line in lines]


def _table(grid: Grid, shown: list[int], natural: list[int], minimum: list[int], width: int) -> list[Line]:
    widths = dict(zip(shown, fit([natural[i] for i in shown], [minimum[i] for i in shown], width), strict=True))
    out: list[Line] = []
    for n, section in enumerate(grid.sections):
        out += _section_head(grid, section, width, first=n == 0)
        cols = [i for i in shown if section.shown is None or i in section.shown]
        out.append([((" " * GAP).join(pad(grid.columns[i].header, widths[i]) for i in cols).rstrip(), "bold")])
        for row in section.rows:
            cells = [wrap(row[i], widths[i], grid.keep) if grid.columns[i].wrap else row[i].split("\n") for i in cols]
            for k in range(max(len(c) for c in cells)):
                parts = [pad(c[k] if k < len(c) else "", widths[i]) for c, i in zip(cells, cols, strict=True)]
                out.append([((" " * GAP).join(parts).rstrip(), "")])
    return out


def _hang(text: str, most: int) -> int:
    """The indent that lines a label's continued text up after it (`参加单位：`, `Lead units: `), if
    the label is at most `most` columns wide."""
    for mark, after in (("：", 1), (": ", 2)):
        at = text.find(mark)
        if at > 0:
            label = display_width(text[: at + after])
            return label if label <= most else 0
    return 0


def _section_head(grid: Grid, section: Section, width: int, first: bool) -> list[Line]:
    if section.heading is None:
        return []
    out: list[Line] = [] if first else [[("", "")]]
    out += _styled(wrap(section.heading, width, grid.keep), "bold")
    for note in section.notes:
        lines = wrap(note, width - INDENT, grid.keep, indent=_hang(note, 24))
        out += _styled((" " * INDENT + line for line in lines), "dim")
    return out


def _blocks(grid: Grid, width: int) -> list[Line]:
    """Each record as a block: its key cells as a heading, then `header：value` items."""
    keys = [i for i, c in enumerate(grid.columns) if c.fixed] or [0]
    out: list[Line] = []
    for n, section in enumerate(grid.sections):
        out += _section_head(grid, section, width, first=n == 0)
        cols = [i for i in range(len(grid.columns)) if section.shown is None or i in section.shown]
        for r, row in enumerate(section.rows):
            if r or section.heading is not None or n:
                out.append([("", "")])
            head = "  ".join(row[i] for i in keys if row[i])
            out += _styled(wrap(head, width, grid.keep), "bold")
            out += _styled(_items(grid, row, [i for i in cols if i not in keys], width), "")
    return out


def _items(grid: Grid, row: list[str], cols: list[int], width: int) -> list[str]:
    items: list[str] = []
    grouped: dict[str, list[str]] = {}
    for i in cols:
        column, value = grid.columns[i], row[i]
        if not value:
            continue
        if column.pivot:
            if not grouped:
                items.append("")  # where the grouped matrix cells go
            grouped.setdefault(value, []).append(column.header)
        else:
            items.append(f"{column.header}：{value}")
    if grouped:
        order = list(grid.pivot_names)
        values = sorted(grouped, key=lambda v: order.index(v) if v in order else len(order))
        at = items.index("")
        items[at : at + 1] = [f"{grid.pivot_names.get(v, v)}：{'、'.join(grouped[v])}" for v in values]
    lines: list[str] = []
    line = ""
    room = width - INDENT
    for item in items:
        one_line = "\n" not in item and display_width(item) <= room // 2
        if one_line and line and display_width(line) + GAP + display_width(item) <= room:
            line += " " * GAP + item
            continue
        if line:
            lines.append(line)
            line = ""
        if one_line:
            line = item
            continue
        lines += wrap(item, room, grid.keep, indent=_hang(item, room // 3))
    if line:
        lines.append(line)
    return [" " * INDENT + x if x else x for x in lines]


def layout(grid: Grid, width: int) -> list[Line]:
    """The grid as lines of at most `width` columns: a table if it fits, else column pages, else blocks."""
    width = max(width, 20)
    natural, minimum = _widths(grid)
    every = list(range(len(grid.columns)))
    if _total(minimum) <= width:
        out = _table(grid, every, natural, minimum, width)
    elif (pages := _pages(grid, minimum, width)) is not None:
        out = []
        for p, shown in enumerate(pages, 1):
            others = [grid.columns[i].header for i in shown if not grid.columns[i].fixed]
            label = (
                msg("Part {p} of {n}: {a}", "第 {p} 部分（共 {n} 部分）：{a}", p=p, n=len(pages), a=others[0])
                if len(others) == 1
                else msg(
                    "Part {p} of {n}: {a} to {b}",
                    "第 {p} 部分（共 {n} 部分）：{a}至{b}",
                    p=p,
                    n=len(pages),
                    a=others[0],
                    b=others[-1],
                )
            )
            out += ([[("", "")]] if p > 1 else []) + _styled(wrap(label, width, grid.keep), "bold")
            out += _table(grid, shown, natural, minimum, width)
    else:
        out = _blocks(grid, width)
    if grid.footer:
        out.append([("", "")])
        for note in grid.footer:
            out += _styled(wrap(note, width, grid.keep), "") if note else [[("", "")]]
    return out


def plain(lines: list[Line]) -> str:
    return "".join(unmarked("".join(text for text, _ in line)) + "\n" for line in lines)

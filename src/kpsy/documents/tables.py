"""Tables that print: every table of every .docx gets its column widths and its line breaks here.

Widths are measured in ems of the table's font size: a Chinese character or full-width punctuation
is one em, a Latin letter, digit or space 0.6 (Times New Roman's digits are 0.5; the Latin fonts
LibreOffice falls back to are wider), and a run of Latin text among Chinese a quarter em more on
each side (Word's spacing between Asian and Latin text).

A column is never narrower than the longest thing in it that must not break: a unit's name (the
`keep` words), a 序号 or 编号 (二（一）1．), a date, a heading, a piece of a list between 、 up to
`SHORT` ems; what is left goes to the columns in proportion to how much text they hold, then moves
between them while that makes the rows shorter. Every line of every cell is then broken by kpsy,
not by the word processor: a list only at its 、，；, prose at its punctuation where that leaves
the line nearly full and otherwise between characters that may part (never inside a name, a
number or a Latin word, never before closing or after opening punctuation). The breaks are explicit, so Word, WPS
and LibreOffice print the same lines whatever fonts they have; and since the lines are known, so
is each row's height, which decides whether a row may be kept whole on a page.
"""

from __future__ import annotations

import bisect
import itertools
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import field

from kpsy.light import light

NARROW_EM = 0.6  # a Latin letter, digit or space
AUTOSPACE_EM = 0.25  # between Asian and Latin text, each side of a Latin run
SHORT = 8.0  # a piece between break points up to this wide (ems) is never broken
READABLE = 4.0  # no column of prose is narrower than this (ems), when the table allows
SLACK = 0.6  # ems each line keeps free, for the word processor's own measure
CELL_MARGIN_PT = 4.0  # left and right inner margin of a cell (w:tblCellMar)
CELL_PAD_PT = 2.0  # top and bottom inner margin of a cell
LINE_FACTOR = 1.35  # a cell's exact line height, in font sizes

_NARROW = re.compile(r"[\x20-\x7e\u00a0-\u02ff\uff61-\uffdc]+")
_DELIMITERS = "、，；。：！？,;"
_GOOD = re.compile(rf"[{_DELIMITERS} ]+")  # a line breaks best after these
_LAST_GOOD = re.compile(rf".*[{_DELIMITERS} ]", re.S)  # up to the last of them
_CLOSING_CHARS = frozenset("、，。；：！？）》」』”’〕】…%‰,.;:!?)]}·—")  # never start a line
_OPENING_CHARS = frozenset("（《「『“‘〔【([{")  # never end one
_CLOSING = re.compile(f"[{re.escape(''.join(_CLOSING_CHARS))}]")
_OPENING = re.compile(f"[{re.escape(''.join(_OPENING_CHARS))}]")
_ATOM = re.compile(r"[A-Za-z0-9][A-Za-z0-9.%‰\-+/:]*")  # a Latin word or a number
_BRACKETED = re.compile(r"（[^（）、，。；]{1,6}）|\([^()]{1,6}\)")  # a short remark: （欠进度）


def width(text: str) -> float:
    """How wide `text` prints, in ems."""
    runs = _NARROW.findall(text)
    if not runs:
        return float(len(text))
    narrow = sum(len(r) for r in runs)
    spaced = sum(1 for r in runs if r.strip())  # Latin among Chinese is spaced on both sides
    return len(text) - narrow * (1 - NARROW_EM) + spaced * 2 * AUTOSPACE_EM


class Keep:
    """Words no line may break (the units' names), found in text by one regular expression."""

    def __init__(self, words: Iterable[str] = ()) -> None:
        chosen = sorted({w for w in words if len(w) > 1}, key=len, reverse=True)
        self.pattern = re.compile("|".join(map(re.escape, chosen))) if chosen else None

    def spans(self, text: str) -> list[tuple[int, int]]:
        """(start, end) of every kept word in `text`, of every Latin word or number, and of every
        short remark in brackets (（欠进度）)."""
        found = [m.span() for m in _ATOM.finditer(text)] + [m.span() for m in _BRACKETED.finditer(text)]
        if self.pattern is not None:
            found += [m.span() for m in self.pattern.finditer(text)]
        return found

    def whole(self, piece: str) -> bool:
        """Whether `piece` (with the delimiters after it) is one kept word."""
        return self.pattern is not None and self.pattern.fullmatch(piece.rstrip(_DELIMITERS + " ")) is not None


def pieces(text: str) -> list[str]:
    """`text` cut after each 、，；。：！？ and space: where a line breaks best."""
    ends = [m.end() for m in _GOOD.finditer(text)]
    return [text[a:b] for a, b in zip([0, *ends], [*ends, len(text)], strict=True) if b > a]


class _Text:
    """A paragraph as lines are broken, without a step per character: how wide it is up to any
    character (`at`: one em a character, less for the Latin runs), where a line breaks best (after
    、，；。：！？ and spaces) and where it may break at all (`blocked`). A list (of names, a number, a
    date, a heading) breaks only where it breaks best; prose (with ，or 。, or a piece longer than
    `SHORT` that is no kept word) also between characters, never inside a kept word, a Latin word or
    a number, never before closing or after opening punctuation."""

    def __init__(self, text: str, keep: Keep) -> None:
        self.text = text
        runs = [m.span() for m in _NARROW.finditer(text)]
        self.run_starts = [a for a, _ in runs]
        self.run_ends = [b for _, b in runs]
        self.narrow = [0, *itertools.accumulate(b - a for a, b in runs)]
        self.spaced = [0, *itertools.accumulate(1 if text[a:b].strip() else 0 for a, b in runs)]
        self.spans = sorted(keep.spans(text))
        self.span_starts = [a for a, _ in self.spans]
        self.prose = "，" in text or "。" in text or any(width(p) > SHORT and not keep.whole(p) for p in pieces(text))

    def at(self, i: int) -> float:
        """The width of the first `i` characters."""
        if not self.run_starts:
            return float(i)
        k = bisect.bisect_left(self.run_starts, i)  # the runs that start before i
        narrow = self.narrow[k] - (max(0, self.run_ends[k - 1] - i) if k else 0)
        return i - narrow * (1 - NARROW_EM) + self.spaced[k] * 2 * AUTOSPACE_EM

    def blocked(self, i: int) -> bool:
        """Whether no line may start at character `i`."""
        text = self.text
        if 0 < i < len(text) and (text[i] in _CLOSING_CHARS or text[i - 1] in _OPENING_CHARS):
            return True
        k = bisect.bisect_left(self.span_starts, i)
        return any(a < i < b for a, b in self.spans[max(0, k - 3) : k])

    def fits(self, start: int, base: float) -> tuple[int, float]:
        """The most characters from `start` on that fit before `base` ems: where the line must end,
        and its width up to there. A character is at most one em wide, so the search starts that
        many characters on and mostly moves on over Latin runs."""
        end = len(self.text)
        at = min(start + int(base - self.at(start)), end)
        width_at = self.at(at)
        while at > start and width_at > base:
            at -= 1
            width_at = self.at(at)
        while at < end and (following := self.at(at + 1)) <= base:
            at, width_at = at + 1, following
        return at, width_at

    def good(self, start: int, limit: int) -> int:
        """The last place in (start, limit] after a 、，；。：！？ or a space (0: none)."""
        found = _LAST_GOOD.match(self.text, start, limit)
        return found.end() if found else 0

    def least(self) -> float:
        """The narrowest line it breaks into without breaking what must stay whole."""
        text = self.text
        if not self.prose:
            return max((width(p) for p in pieces(text)), default=0.0)
        widest = 2.0 if _CLOSING.search(text) or _OPENING.search(text) else 1.0
        for a, b in self.spans:
            while a > 0 and self.blocked(a):
                a -= 1
            while b < len(text) and self.blocked(b):
                b += 1
            widest = max(widest, width(text[a:b]))
        return widest

    def breaks(self, room: float) -> list[int]:
        """Where its lines start (after the first), broken to fit `room` ems."""
        out: list[int] = []
        start, end = 0, len(self.text)
        total, begun = self.at(end), 0.0
        while total - begun > room:
            limit, reached = self.fits(start, begun + room)
            best = self.good(start, limit) if limit > start else 0
            if self.prose and (best <= start or reached - self.at(best) >= max(2.0, room / 8)):
                inside = limit
                while inside > start and self.blocked(inside):
                    inside -= 1
                best = inside if inside > start else best
            if best <= start:  # nothing fits whole: the first break after the limit
                best = self._after(max(limit, start + 1))
            if best >= end:
                break
            out.append(best)
            start, begun = best, self.at(best)
        return out

    def _after(self, at: int) -> int:
        """The first place at or after `at` where a line may start."""
        text = self.text
        if self.prose:
            while at < len(text) and self.blocked(at):
                at += 1
            return at
        found = _GOOD.search(text, at - 1)
        return found.end() if found else len(text)


def min_width(text: str, keep: Keep) -> float:
    """The narrowest line `text` can be broken into without breaking what must stay whole."""
    return _Text(text, keep).least()


def breaks(text: str, room: float, keep: Keep) -> list[int]:
    """Where the lines of `text` start (after the first), broken to fit `room` ems."""
    if width(text) <= room:
        return []
    return _Text(text, keep).breaks(room)


Cell = list[str]  # a cell's paragraphs, as text


@light
class Layout:
    """How a table prints: its font size (pt), each column's width (twips), each cell's line starts
    (`lines[row][column][paragraph]`), its line height (pt) and which rows fit on one page."""

    size: float
    widths: list[int]
    line: float
    lines: list[list[list[list[int]]]] = field(default_factory=list)
    fits: list[bool] = field(default_factory=list)


@light
class _Columns:
    least: list[float]  # ems no line may be narrower than
    most: list[float]  # the longest paragraph, unbroken
    mass: list[float]  # all the text of the column
    sample: list[list[list[float]]]  # the widths of the paragraphs of some rows' cells, to weigh layouts by


SAMPLE_ROWS = 300  # rows the widths are balanced on (evenly spread over a longer table)


def _measure(rows: Sequence[Sequence[Cell]], keep: Keep, count: int) -> _Columns:
    least, most, mass = [0.0] * count, [0.0] * count, [0.0] * count
    every = max(1, (len(rows) - 1) // SAMPLE_ROWS + 1)
    sample: list[list[list[float]]] = []
    for r, row in enumerate(rows):
        widths = [[width(text) for text in cell] for cell in row[:count]]
        widths += [[] for _ in range(count - len(widths))]
        for j, cell in enumerate(row[:count]):
            for text, w in zip(cell, widths[j], strict=True):
                most[j] = max(most[j], w)
                least[j] = max(least[j], min_width(text, keep))
                if r:  # the header row holds no content
                    mass[j] += w
        if r and r % every == 0:
            sample.append(widths)
    return _Columns(least, most, mass, sample)


def _share(columns: _Columns, room: float) -> list[float]:
    """Column widths (ems) that add up to `room`: each at least its `least`, the rest in proportion
    to the text each holds, none wider than its longest paragraph needs while another needs more."""
    n = len(columns.most)
    if sum(columns.most) <= room:
        total = sum(columns.most) or n
        return [(m or 1) + (room - sum(columns.most)) * (m or 1) / total for m in columns.most]
    least = columns.least
    if sum(least) > room:  # no width keeps everything whole: shrink what must stay whole alike
        return [w * room / sum(least) for w in least]
    fixed: dict[int, float] = {}
    while True:
        free = [j for j in range(n) if j not in fixed]
        left = room - sum(fixed.values())
        weight = sum(max(columns.mass[j], 1.0) for j in free)
        share = {j: left * max(columns.mass[j], 1.0) / weight for j in free}
        pinned = {j: least[j] for j in free if share[j] < least[j]}
        if not pinned:
            pinned = {j: columns.most[j] for j in free if share[j] > columns.most[j]}
            if not pinned or len(pinned) == len(free):
                fixed.update(share)
                return [fixed[j] for j in range(n)]
        fixed.update(pinned)


def _height(sample: list[list[list[float]]], widths: list[float]) -> int:
    """Lines the rows of `sample` (paragraph widths of each cell) take at `widths`, roughly."""
    return sum(
        max(sum(max(math.ceil(w / max(widths[j], 1.0)), 1) for w in cell) for j, cell in enumerate(row))
        for row in sample
    )


def _balance(widths: list[float], columns: _Columns, sample: list[list[list[float]]]) -> list[float]:
    """`widths` improved a step at a time, moving room from one column to another while that makes
    the rows shorter (a row is as tall as its tallest cell); none below its `least`."""
    step = max(0.5, sum(widths) / 80)
    best = _height(sample, widths)
    for _ in range(200):
        moves = [
            [w - step if j == a else w + step if j == b else w for j, w in enumerate(widths)]
            for a in range(len(widths))
            for b in range(len(widths))
            if a != b and widths[a] - step >= columns.least[a]
        ]
        scored = min(((_height(sample, m), m) for m in moves), default=(best, widths), key=lambda hm: hm[0])
        if scored[0] >= best:
            return widths
        best, widths = scored
    return widths


def _size(columns: _Columns, width_pt: float, sizes: Sequence[float]) -> float:
    """The largest of `sizes` at which the table's columns keep everything whole and prose readable."""
    floor = sum(max(least, min(most, READABLE)) for least, most in zip(columns.least, columns.most, strict=True))
    for size in sizes:
        if floor <= _room(width_pt, size, len(columns.most)):
            return size
    return sizes[-1]


def _room(width_pt: float, size: float, count: int) -> float:
    """Ems of text a table `width_pt` wide holds in one row at `size`, its cells' margins and slack aside."""
    return width_pt / size - count * (2 * CELL_MARGIN_PT / size + SLACK)


def lay_out(
    rows: Sequence[Sequence[Cell]], width_pt: float, page_pt: float, *, sizes: Sequence[float], keep: Keep
) -> Layout:
    """The layout of a table `width_pt` wide whose first row is its header, on pages `page_pt` tall
    (the type area): the font size (the first of `sizes` at which it fits), the widths, the lines."""
    count = max((len(r) for r in rows), default=0)
    columns = _measure(rows, keep, count)
    size = _size(columns, width_pt, sizes)
    ems = _balance(_share(columns, _room(width_pt, size, count)), columns, columns.sample)
    pad = 2 * CELL_MARGIN_PT + SLACK * size
    twips = [round((w * size + pad) * 20) for w in ems]
    line = round(size * LINE_FACTOR, 1)
    lines = [[[breaks(text, ems[j], keep) for text in cell] for j, cell in enumerate(row[:count])] for row in rows]
    tall = [max((sum(len(p) + 1 for p in cell) for cell in row), default=1) * line + 2 * CELL_PAD_PT for row in lines]
    room = page_pt - (tall[0] if tall else 0)
    return Layout(size, twips, line, lines, [h <= room for h in tall])

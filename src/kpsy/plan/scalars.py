"""Where each character of a YAML text value is written in its file.

A value's characters are not always where they seem: a quoted string has escapes (`\\u3001`, `''`), a
long line folded over several lines becomes one line with a space for each line break, a block
scalar (`|`, `>`) drops its indentation. `characters` rebuilds the value from its source the way
YAML reads it, keeping for each character the stretch of the file that writes it, so that a finding
inside a value is reported at its own line and column and a change to it can be written back in
place (`kpsy proof` and `kpsy proof --fix`).
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator

from kpsy.plan.reader import Span

# Double-quoted escapes that stand for one character (YAML 1.1 and 1.2).
_ESCAPES = {
    "0": "\0",
    "a": "\a",
    "b": "\b",
    "t": "\t",
    "\t": "\t",
    "n": "\n",
    "v": "\v",
    "f": "\f",
    "r": "\r",
    "e": "\x1b",
    " ": " ",
    '"': '"',
    "/": "/",
    "\\": "\\",
    "N": "\x85",
    "_": "\xa0",
    "L": "\u2028",
    "P": "\u2029",
}
_HEX = {"x": 2, "u": 4, "U": 8}
_BLANK = " \t"

Char = tuple[str, int, int]  # a character of the value, and the stretch [start, end) of the file that writes it


def characters(text: str, span: Span) -> list[Char] | None:
    """Each character of the value written at `span` of `text` (a plan file's text), with where it
    is written; None for a form this reading does not know (the caller then points at the value)."""
    try:
        if span.style in ("|", ">"):
            return _block(text, span)
        quote = 1 if span.style in ("'", '"') else 0
        return list(_flow(text, span.start + quote, span.end - quote, span.style))
    except (IndexError, ValueError):
        return None


def source_of(text: str, span: Span, value: str) -> list[Char] | None:
    """`characters`, when they rebuild exactly `value` (the value as the YAML reader read it)."""
    chars = characters(text, span)
    if chars is None or "".join(c for c, _, _ in chars) != value:
        return None
    return chars


def _escape(text: str, i: int) -> tuple[str, int]:
    """The character a double-quoted escape at `i` stands for, and where the escape ends."""
    code = text[i + 1]
    if code in _HEX:
        end = i + 2 + _HEX[code]
        return chr(int(text[i + 2 : end], 16)), end
    return _ESCAPES[code], i + 2


def _fold(text: str, i: int, end: int) -> tuple[list[Char], int]:
    """A line break at `i` inside a flow value, with the empty lines after it and the next line's
    indentation: one space (a single break), or a line break for each empty line."""
    breaks = [i]
    j = i + 1
    while True:
        k = j
        while k < end and text[k] in _BLANK:
            k += 1
        if k < end and text[k] == "\n":
            breaks.append(k)
            j = k + 1
            continue
        if len(breaks) == 1:
            return [(" ", i, k)], k
        return [("\n", b, b + 1) for b in breaks[1:]], k


def _flow(text: str, start: int, end: int, style: str) -> Iterator[Char]:
    """The characters of a plain or quoted value whose content is text[start:end]."""
    i = start
    while i < end:
        c = text[i]
        if style == '"' and c == "\\":
            if text[i + 1] == "\n":  # an escaped line break: no space, the next line's indentation dropped
                i += 2
                while i < end and text[i] in _BLANK:
                    i += 1
                continue
            char, after = _escape(text, i)
            yield char, i, after
            i = after
        elif style == "'" and c == "'":
            yield "'", i, i + 2
            i += 2
        elif c in _BLANK:
            j = i
            while j < end and text[j] in _BLANK:
                j += 1
            if j >= end or text[j] != "\n":  # white space before a line break is dropped
                yield from ((text[k], k, k + 1) for k in range(i, j))
            i = j
        elif c == "\n":
            folded, i = _fold(text, i, end)
            yield from folded
        else:
            yield c, i, i + 1
            i += 1


def _block_header(text: str, span: Span) -> tuple[int | None, str, int]:
    """A block scalar's explicit indentation (None: detected), its chomping (+, - or "") and where
    its first content line starts."""
    i = span.start + 1
    indent: int | None = None
    chomp = ""
    while i < span.end and text[i] in "+-123456789":
        if text[i] in "+-":
            chomp = text[i]
        else:
            indent = int(text[i])
        i += 1
    return indent, chomp, text.index("\n", i) + 1


def _block_lines(text: str, span: Span) -> tuple[list[tuple[int, int]], str, int]:
    """The content lines of a block scalar, each as (start of its text after the indentation, end),
    its chomping, and the indentation."""
    explicit, chomp, first = _block_header(text, span)
    raw: list[tuple[int, int]] = []
    i = first
    while i < span.end:
        stop = text.find("\n", i, span.end)
        stop = span.end if stop < 0 else stop
        raw.append((i, stop))
        i = stop + 1
    content = [text[a:b] for a, b in raw if text[a:b].strip(" ")]
    if explicit is not None:
        indent = _line_indent(text, span.start) + explicit
    else:
        indent = min((len(line) - len(line.lstrip(" ")) for line in content[:1]), default=0)
    return [(min(a + indent, b), b) for a, b in raw], chomp, indent


def _line_indent(text: str, index: int) -> int:
    """The indentation of the node that owns the block scalar starting at `index`: the column of its
    key (`key: |2`), or of its sequence entry's dash (`- |2`)."""
    line_start = text.rfind("\n", 0, index) + 1
    prefix = text[line_start:index]
    if ":" in prefix:
        return len(prefix) - len(prefix.lstrip(" -"))
    return max(prefix.rfind("-"), 0)


def _block(text: str, span: Span) -> list[Char]:
    """The characters of a literal (|) or folded (>) block scalar."""
    lines, chomp, _ = _block_lines(text, span)
    while lines and lines[-1][0] >= lines[-1][1]:  # trailing empty lines: chomping decides
        lines.pop()
    out: list[Char] = []
    previous: tuple[int, int] | None = None
    pending: list[int] = []  # the breaks of empty lines since the last content line
    for a, b in lines:
        if a >= b:
            pending.append(b)
            continue
        if previous is not None:
            out += _between(text, span.style, previous, (a, b), pending)
        else:  # empty lines before the first content line are line breaks in either style
            out += [("\n", k, k + 1) for k in pending]
        out += [(text[k], k, k + 1) for k in range(a, b)]
        previous, pending = (a, b), []
    if previous is None and chomp == "+":  # only empty lines, all kept
        return [("\n", k, k + 1) for k in range(span.start, span.end) if text[k] == "\n"][1:]
    if previous is not None and chomp != "-":
        out.append(("\n", previous[1], previous[1] + 1))
        if chomp == "+":
            tail = span.end
            out += [("\n", k, k + 1) for k in range(previous[1] + 1, tail) if text[k] == "\n"]
    return out


def _between(text: str, style: str, before: tuple[int, int], after: tuple[int, int], empty: list[int]) -> list[Char]:
    """What stands between two content lines of a block scalar: line breaks (literal), or a space
    where a folded scalar folds two lines of normal indentation."""
    more = text[before[0]] in _BLANK or text[after[0]] in _BLANK
    if style == "|" or more:
        return [("\n", before[1], before[1] + 1), *(("\n", k, k + 1) for k in empty)]
    if not empty:
        return [(" ", before[1], after[0])]
    return [("\n", k, k + 1) for k in empty]


class LineIndex:
    """Line and column (1-based, in characters) of any index of a text."""

    def __init__(self, text: str) -> None:
        self.starts = [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]

    def at(self, index: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.starts, index) - 1
        return line + 1, index - self.starts[line] + 1

"""A web page as governments publish their documents: the article's paragraphs and tables, without
the site around it.

The page is parsed with lxml. Scripts, styles, forms, navigation, headers, footers and hidden
elements go first. The article is the smallest element that holds nearly all of the page's prose
(text in blocks that are not mostly links), found as readability-style extractors find it; a
heading just above it (the notice's title in an <h1>) is taken along. Inside it, what is not the
document is left out and reported: the metadata box (索引号, 发布机构, 发布日期, 文号, 主题分类 …),
sharing and printing bars, links to other articles. <br> breaks a paragraph as a new paragraph
would, as CMS editors use it both ways.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from kpsy.i18n import msg
from kpsy.importer import conventions
from kpsy.importer.read import Line, Omitted, Source, SourceError, Table, decode, read_bytes
from kpsy.plan.text import normalise

_DROP: tuple[str, ...] = (
    "script",
    "style",
    "noscript",
    "template",
    "iframe",
    "form",
    "nav",
    "header",
    "footer",
    "aside",
)
_DROP += ("select", "button", "input", "textarea", "svg", "canvas", "object", "embed", "head", "map")
_BLOCKS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "blockquote", "pre", "section", "article"}
_BLOCKS |= {"ul", "ol", "dl", "dt", "dd", "center", "main", "td", "th", "tr", "table", "tbody", "thead", "hr"}
_HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.I)
_CODECS = {"gb2312": "gb18030", "gbk": "gb18030", "gb18030": "gb18030", "big5": "big5hkscs", "utf-8": "utf-8"}


def _decode(data: bytes, path: Path) -> tuple[str, str]:
    m = _META_CHARSET.search(data[:8192])
    declared = m.group(1).decode("ascii").lower() if m else ""
    codec = _CODECS.get(declared, declared)
    if codec and not data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode(codec), declared.upper()
        except (LookupError, UnicodeDecodeError):
            pass
    return decode(data, path)


def read_html(path: Path) -> Source:
    """The article of the web page at `path`: its paragraphs and tables."""
    from lxml import html as lxml_html  # type: ignore[import-untyped]

    text, encoding = _decode(read_bytes(path), path)
    text = re.sub(r"^<\?xml[^>]*>", "", text.lstrip("\ufeff").lstrip())
    try:
        root = lxml_html.document_fromstring(text or "<html></html>")
    except Exception as exc:  # lxml raises ParserError and ValueError on empty or odd pages
        raise SourceError(
            msg("{p}: cannot be read as a web page ({e})", "{p}：无法作为网页读取（{e}）", p=path, e=exc)
        ) from None
    omitted: list[Omitted] = []
    _strip(root)
    article = find_article(root)
    if article is None:
        raise SourceError(msg("{p}: the web page has no article text", "{p}：网页中没有正文", p=path))
    omitted += _outside(root, article)
    walker = _Walker(omitted)
    heading = _heading_above(root, article)
    if heading is not None:
        walker.add(heading, msg("the page's heading", "网页标题"))
    walker.block(article)
    walker.flush()
    return Source(path, "html", encoding, walker.lines, walker.tables, omitted=omitted)


def _strip(root: Any) -> None:
    for element in list(root.iter(*_DROP)):
        if element.getparent() is not None and element.tag != "html":
            element.drop_tree()
    for element in list(root.iter()):
        style = element.get("style") if isinstance(element.tag, str) else None
        hidden = style is not None and _HIDDEN.search(style)
        if (hidden or element.get("hidden") is not None) and element.getparent() is not None:
            element.drop_tree()


def _outside(root: Any, article: Any) -> list[Omitted]:
    """What the page holds around the article, left out: its metadata box and navigation named,
    the rest (menus, links, the footer) counted."""
    where = msg("the web page", "网页")
    found: list[Omitted] = []
    inside = set(article.iter())
    for table in root.iter("table"):
        if table not in inside and not any(a in inside for a in table.iterancestors()):
            cells = [normalise(c.text_content()) for c in table.iter("td", "th")]
            if conventions.is_metadata_table([c for c in cells if c]):
                found.append(Omitted(where, " ".join(c for c in cells if c)[:80], "web-metadata"))
    blocks = 0
    for element in root.iter(*_BLOCKS):
        if element in inside or article in element.iter() or element.tag in ("table", "tr", "td", "th"):
            continue
        text = normalise(element.text or "")
        if not text:
            continue
        key = conventions.page_furniture(text)
        if key is not None:
            found.append(Omitted(where, text, key))
        else:
            blocks += 1
    if blocks:
        found.append(Omitted(where, msg("{n} blocks of text", "{n} 处文字", n=blocks), "web-outside"))
    return found


def _own_text(element: Any) -> str:
    """The text of `element` outside its links."""
    parts = [element.text or ""]
    for child in element:
        if isinstance(child.tag, str) and child.tag != "a":
            parts.append(_own_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _cjk_count(text: str) -> int:
    return sum(1 for c in text if "\u4e00" <= c <= "\u9fff")


def find_article(root: Any) -> Any | None:
    """The smallest element holding nearly all of the page's prose."""
    body = root.find("body")
    body = body if body is not None else root
    scores: dict[Any, int] = {}
    total = 0
    for element in body.iter("p", "div", "td", "li", "span", "font", "h1", "h2", "h3", "section", "article", "pre"):
        own = (element.text or "") + "".join(child.tail or "" for child in element)
        prose = _cjk_count(own)
        if prose < 4:
            continue
        total += prose
        parent = element
        while parent is not None:
            scores[parent] = scores.get(parent, 0) + prose
            parent = parent.getparent()
    if total == 0:
        return None
    best = None
    for element, score in scores.items():
        if score >= 0.8 * total and (best is None or _depth(element) > _depth(best)):
            best = element
    return best


def _depth(element: Any) -> int:
    depth = 0
    while element is not None:
        depth, element = depth + 1, element.getparent()
    return depth


def _heading_above(root: Any, article: Any) -> str | None:
    """A heading before the article (the notice's title in an <h1>), when the article does not start with it."""
    first = next((normalise(t) for t in article.itertext() if normalise(t)), "")
    candidates = [h for h in root.iter("h1", "h2", "h3") if article not in h.iterancestors() and h is not article]
    for heading in candidates:
        if heading in article.iterancestors():
            continue
        text = normalise(heading.text_content())
        if text and text != first and conventions.looks_like_title(text):
            return text
    return None


class _Walker:
    """The article's paragraphs and tables, in order, with what is not the document left out."""

    def __init__(self, omitted: list[Omitted]) -> None:
        self.lines: list[Line] = []
        self.tables: list[Table] = []
        self.omitted = omitted
        self.buffer: list[str] = []

    def where(self) -> str:
        return msg("paragraph {n}", "第{n}段", n=len(self.lines) + 1)

    def add(self, text: str, where: str | None = None) -> None:
        for part in text.split("\n"):
            line = normalise(part.replace("\xa0", " ").replace("\u3000", " "))
            if not line:
                continue
            what = conventions.page_furniture(line)
            if what is not None:
                self.omitted.append(Omitted(where or self.where(), line, what))
                continue
            self.lines.append(Line(line, where or self.where(), len(self.lines) + 1))

    def flush(self) -> None:
        if self.buffer:
            self.add("".join(self.buffer))
            self.buffer = []

    def block(self, element: Any) -> None:
        if element.text:
            self.buffer.append(element.text)
        for child in element:
            if not isinstance(child.tag, str):
                self.buffer.append(child.tail or "")
                continue
            self._child(child)
            if child.tail:
                self.buffer.append(child.tail)

    def _child(self, child: Any) -> None:
        tag = child.tag.lower()
        if tag == "br":
            self.buffer.append("\n")
        elif tag == "table":
            self.flush()
            self.table(child)
        elif tag in _BLOCKS:
            self.flush()
            if tag in ("ul", "ol", "div", "section") and _link_heavy(child):
                self.omitted.append(Omitted(self.where(), normalise(child.text_content())[:80], "web-links"))
                return
            self.block(child)
            self.flush()
        else:
            self.block(child)

    def table(self, element: Any) -> None:
        rows = table_rows(element)
        cells = [c for row in rows for c in row if c]
        if not cells:
            return
        if conventions.is_metadata_table(cells):
            self.omitted.append(Omitted(self.where(), " ".join(dict.fromkeys(cells))[:80], "web-metadata"))
            return
        if len(rows) == 1 or all(len(row) == 1 for row in rows):
            for cell in cells:  # a table used for layout: its cells are paragraphs
                self.add(cell)
            return
        self.tables.append(Table(len(self.tables) + 1, rows, len(self.lines)))


def _link_heavy(element: Any) -> bool:
    whole = _cjk_count(element.text_content())
    return whole > 0 and _cjk_count(_own_text(element)) < 0.3 * whole and whole < 400


def table_rows(table: Any) -> list[list[str]]:
    """A table's rows as cell texts, cells spanning rows or columns repeated in each, a cell's
    paragraphs on lines of their own."""
    rows: list[list[str]] = []
    pending: dict[int, tuple[int, str]] = {}  # column -> (rows still spanned, text)
    for tr in table.iter("tr"):
        if next(tr.iterancestors("table"), None) is not table:
            continue
        row: list[str] = []
        cells = [c for c in tr if isinstance(c.tag, str) and c.tag in ("td", "th")]
        for cell in cells:
            while len(row) in pending:
                row.append(_take(pending, len(row)))
            text = _cell_text(cell)
            span = _int(cell.get("colspan"), 1)
            down = _int(cell.get("rowspan"), 1)
            for _ in range(span):
                if down > 1:
                    pending[len(row)] = (down - 1, text)
                row.append(text)
        while len(row) in pending:
            row.append(_take(pending, len(row)))
        rows.append(row)
    return rows


def _take(pending: dict[int, tuple[int, str]], column: int) -> str:
    left, text = pending[column]
    if left <= 1:
        del pending[column]
    else:
        pending[column] = (left - 1, text)
    return text


def _int(value: str | None, default: int) -> int:
    try:
        return max(1, min(int(value or default), 64))
    except ValueError:
        return default


def _cell_text(cell: Any) -> str:
    parts: list[str] = []

    def walk(element: Any) -> None:
        if element.text:
            parts.append(element.text)
        for child in element:
            if isinstance(child.tag, str):
                if child.tag == "br" or child.tag in _BLOCKS:
                    parts.append("\n")
                walk(child)
                if child.tag in _BLOCKS:
                    parts.append("\n")
            if child.tail:
                parts.append(child.tail)

    walk(cell)
    lines = [normalise(t.replace("\xa0", " ").replace("\u3000", " ")) for t in "".join(parts).split("\n")]
    return "\n".join(line for line in lines if line)

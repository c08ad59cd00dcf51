"""Reading a Word .docx as a reader sees it: paragraphs with the numbers Word draws before them
(`kpsy.importer.wordnum`), line breaks inside a paragraph, tables cell by cell (merged cells
repeated, a cell's paragraphs kept on lines of their own), in document order. Deleted and hidden
text, text boxes, comments and footnote marks are not part of the body."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

from kpsy.i18n import msg
from kpsy.importer.read import Line, Source, SourceError, Table, check_size
from kpsy.importer.wordnum import W, WordNumbering
from kpsy.plan.text import normalise

MAX_DOCX_BYTES = 64 * 1024 * 1024  # pictures make .docx files large
MAX_PART_BYTES = 32 * 1024 * 1024  # an unpacked XML part, against zip bombs
MAX_RATIO = 200  # unpacked / packed size of one XML part
MAX_COLUMNS = 64  # a cell spans at most this many grid columns
PARTS = ("word/document.xml", "word/numbering.xml", "word/styles.xml")

MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
# Elements whose content a reader does not see in the body's text.
_SKIP = {W + "del", W + "moveFrom", MC + "Fallback", W + "txbxContent", W + "rPr", W + "pPr", W + "instrText"}
_SKIP |= {W + "footnoteReference", W + "endnoteReference", W + "commentReference", W + "delText"}


def docx_parts(path: Path, names: tuple[str, ...] = PARTS) -> dict[str, bytes]:
    """The XML parts `names` of the .docx at `path` that it has, each read within size limits. The
    one place a .docx is opened as a zip."""
    check_size(path, MAX_DOCX_BYTES)
    out: dict[str, bytes] = {}
    try:
        with zipfile.ZipFile(path) as z:
            for name in names:
                try:
                    info = z.getinfo(name)
                except KeyError:
                    continue
                if info.file_size > MAX_PART_BYTES or info.file_size > MAX_RATIO * max(info.compress_size, 1024):
                    raise SourceError(
                        msg(
                            "{p}: {n} unpacks to {mb:.0f} MB, more than a plan can be",
                            "{p}：{n} 解压后有 {mb:.0f} MB，超出实施方案的篇幅",
                            p=path,
                            n=name,
                            mb=info.file_size / 1024 / 1024,
                        )
                    )
                with z.open(info) as fh:
                    out[name] = fh.read(MAX_PART_BYTES + 1)[:MAX_PART_BYTES]
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, ValueError):
        raise SourceError(msg("{p} is not a Word .docx document", "{p} 不是 Word .docx 文档", p=path)) from None
    if PARTS[0] not in out:
        raise SourceError(msg("{p} is not a Word .docx document", "{p} 不是 Word .docx 文档", p=path))
    return out


def _xml(data: bytes | None, path: Path, name: str) -> Any | None:
    if data is None:
        return None
    from lxml import etree  # type: ignore[import-untyped]

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        return etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise SourceError(
            msg("{p}: {n} is damaged ({e})", "{p}：{n} 已损坏（{e}）", p=path, n=name, e=exc.msg)
        ) from None


def read_docx(path: Path) -> Source:
    """The paragraphs and tables of the .docx at `path`, Word's numbers written out."""
    parts = docx_parts(path)
    document = _xml(parts[PARTS[0]], path, PARTS[0])
    body = document.find(W + "body") if document is not None else None
    if body is None:
        raise SourceError(msg("{p} is not a Word .docx document", "{p} 不是 Word .docx 文档", p=path))
    numbering = WordNumbering(_xml(parts.get(PARTS[1]), path, PARTS[1]), _xml(parts.get(PARTS[2]), path, PARTS[2]))
    walker = _Walker(numbering)
    walker.blocks(body)
    source = Source(path, "docx", "docx", walker.lines, walker.tables)
    source.auto_numbered = walker.auto
    source.list_paragraphs = walker.listed
    return source


class _Walker:
    def __init__(self, numbering: WordNumbering) -> None:
        self.numbering = numbering
        self.lines: list[Line] = []
        self.tables: list[Table] = []
        self.paragraph_no = 0
        self.auto = 0  # paragraphs numbered by Word
        self.listed = 0  # paragraphs in a Word list (numbered or bulleted)

    def blocks(self, parent: Any) -> None:
        for child in parent:
            if child.tag == W + "p":
                self.paragraph(child)
            elif child.tag == W + "tbl":
                rows = self.table(child)
                self.tables.append(Table(len(self.tables) + 1, rows, len(self.lines)))
            elif child.tag in (W + "sdt", W + "customXml", W + "sdtContent"):
                self.blocks(child.find(W + "sdtContent") if child.tag == W + "sdt" else child)

    def _number(self, p: Any) -> str:
        ppr = p.find(W + "pPr")
        found = self.numbering.number(ppr)
        if found is None:
            own = ppr.find(W + "numPr") if ppr is not None else None
            if own is not None and own.find(W + "numId") is not None and own.find(W + "numId").get(W + "val") != "0":
                self.listed += 1  # in a list whose numbers the file does not define
            return ""
        self.listed += 1
        label, bullet = found
        if not bullet and label:
            self.auto += 1
        return label

    def paragraph(self, p: Any) -> None:
        self.paragraph_no += 1
        number = self._number(p)
        text = number + paragraph_text(p)
        where = msg("paragraph {n}", "第{n}段", n=self.paragraph_no)
        first = True
        for part in text.split("\n"):
            line = normalise(part)
            if line:
                self.lines.append(Line(line, where, self.paragraph_no, auto=bool(number) and first))
                first = False

    def table(self, tbl: Any) -> list[list[str]]:
        rows: list[list[str]] = []
        above: dict[int, str] = {}  # grid column -> text of the cell a vertical merge continues
        for tr in tbl.iter(W + "tr"):
            if _owner_table(tr) is not tbl:
                continue
            row: list[str] = []
            for tc in tr.findall(W + "tc"):
                props = tc.find(W + "tcPr")
                span = _span(props)
                merge = props.find(W + "vMerge") if props is not None else None
                column = len(row)
                if merge is not None and merge.get(W + "val") in (None, "continue"):
                    text = above.get(column, "")
                else:
                    text = self.cell(tc)
                for k in range(span):
                    above[column + k] = text
                row += [text] * span
            rows.append(row)
        return rows

    def cell(self, tc: Any) -> str:
        """A cell's text: its paragraphs (and nested tables' cells) on lines of their own."""
        lines: list[str] = []
        for child in tc:
            if child.tag == W + "p":
                text = self._number(child) + paragraph_text(child)
                lines += [normalise(t) for t in text.split("\n") if normalise(t)]
            elif child.tag == W + "tbl":
                lines += [c for row in self.table(child) for c in row if c]
            elif child.tag in (W + "sdt", W + "customXml"):
                lines.append(self.cell(child.find(W + "sdtContent") if child.tag == W + "sdt" else child))
        return "\n".join(line for line in lines if line)


def _owner_table(tr: Any) -> Any:
    parent = tr.getparent()
    while parent is not None and parent.tag != W + "tbl":
        parent = parent.getparent()
    return parent


def _span(props: Any) -> int:
    span = props.find(W + "gridSpan") if props is not None else None
    try:
        value = int(span.get(W + "val")) if span is not None else 1
    except (TypeError, ValueError):
        value = 1
    return max(1, min(value, MAX_COLUMNS))


def paragraph_text(p: Any) -> str:
    """What a reader sees of a paragraph's runs: text, tabs as spaces, line breaks as "\\n"."""
    out: list[str] = []
    _collect(p, out)
    return "".join(out)


def _hidden(run: Any) -> bool:
    props = run.find(W + "rPr")
    vanish = props.find(W + "vanish") if props is not None else None
    return vanish is not None and vanish.get(W + "val") not in ("0", "false", "off")


def _collect(element: Any, out: list[str]) -> None:
    for child in element:
        tag = child.tag
        if not isinstance(tag, str) or tag in _SKIP:
            continue
        if tag == W + "t":
            out.append(child.text or "")
        elif tag == W + "tab" or tag == W + "ptab":
            out.append(" ")
        elif tag in (W + "br", W + "cr"):
            out.append("\n")
        elif tag == W + "noBreakHyphen":
            out.append("-")
        elif tag == W + "r" and _hidden(child):
            continue
        else:
            _collect(child, out)

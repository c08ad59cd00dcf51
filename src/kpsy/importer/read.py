"""Reading a source document: text in any of the encodings such documents come in, or .docx.

The result is a list of paragraphs (normalised as the fidelity check normalises them, each with
where it is: a line of the text, or a paragraph of the .docx) and the tables of a .docx (each cell
with where it is). Nothing is guessed about the plan here.
"""

from __future__ import annotations

import codecs
import io
from dataclasses import dataclass, field
from pathlib import Path

from kpsy.errors import KpsyError
from kpsy.i18n import msg
from kpsy.plan.text import normalise, source_paragraphs

MAX_TEXT_BYTES = 8 * 1024 * 1024  # a 40-page plan is about 100 KB
MAX_DOCX_BYTES = 64 * 1024 * 1024  # pictures make .docx files large
MAX_DOCX_XML = 32 * 1024 * 1024  # the unpacked document.xml, against zip bombs


class SourceError(KpsyError):
    """The source document cannot be imported: unreadable, too large, or not a plan."""


@dataclass(frozen=True, slots=True)
class Line:
    """One paragraph of the source, normalised, with where it is (line 12, paragraph 12)."""

    text: str
    where: str
    number: int  # the line or paragraph number


@dataclass
class Table:
    """A table of a .docx: rows of cell texts, and where it is."""

    index: int  # 1-based, among the document's tables
    rows: list[list[str]]
    after: int  # how many paragraphs of the document come before it

    def where(self, row: int, col: int | None = None) -> str:
        """Table 2, row 5 (cell 3): 1-based."""
        if col is None:
            return msg("table {t}, row {r}", "表格{t}第{r}行", t=self.index, r=row + 1)
        return msg("table {t}, row {r}, cell {c}", "表格{t}第{r}行第{c}格", t=self.index, r=row + 1, c=col + 1)


@dataclass
class Source:
    """A source document as paragraphs and tables."""

    path: Path
    kind: str  # text or docx
    encoding: str  # UTF-8, UTF-8 with BOM, GB18030, UTF-16LE, UTF-16BE; docx for a .docx
    lines: list[Line]
    tables: list[Table] = field(default_factory=list)
    text: str = ""  # a text source's whole text, decoded


def read_source(path: Path) -> Source:
    """The document at `path`: a .docx, or else text in UTF-8 (with or without BOM), UTF-16 or GB18030."""
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise SourceError(msg("cannot read {p}: {e}", "无法读取 {p}：{e}", p=path, e=exc.strerror or exc)) from None
    if not path.is_file():
        raise SourceError(msg("{p} is not a file", "{p} 不是文件", p=path))
    if path.suffix.lower() == ".docx" or _is_zip(path):
        return _read_docx(path, size)
    if path.suffix.lower() == ".doc":
        raise SourceError(
            msg(
                "{p}: a .doc (Word 97-2003) file cannot be read; save it as .docx or as text",
                "{p}：无法读取 .doc（Word 97-2003）文件，请另存为 .docx 或文本",
                p=path,
            )
        )
    if size > MAX_TEXT_BYTES:
        raise SourceError(
            msg(
                "{p} is {mb:.1f} MB; a plan's text is far smaller (at most {limit} MB is read): is it the right file?",
                "{p} 有 {mb:.1f} MB，实施方案的文本远小于此（最多读取 {limit} MB），请确认文件是否正确",
                p=path,
                mb=size / 1024 / 1024,
                limit=MAX_TEXT_BYTES // 1024 // 1024,
            )
        )
    data = path.read_bytes()
    text, encoding = decode(data, path)
    lines = [Line(t, msg("line {n}", "第{n}行", n=n), n) for n, t in source_paragraphs(text)]
    return Source(path, "text", encoding, lines, text=text)


def _is_zip(path: Path) -> bool:
    try:
        with open(path, "rb") as fh:
            return fh.read(4) == b"PK\x03\x04"
    except OSError:
        return False


def decode(data: bytes, path: Path) -> tuple[str, str]:
    """The text of `data` and the name of its encoding: a BOM decides; else UTF-8, UTF-16 (many
    zero bytes) or GB18030, whichever decodes cleanly and reads as Chinese."""
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data[3:], "utf-8", path), "UTF-8 with BOM"
    if data.startswith(codecs.BOM_UTF16_LE):
        return _strict(data[2:], "utf-16-le", path), "UTF-16LE"
    if data.startswith(codecs.BOM_UTF16_BE):
        return _strict(data[2:], "utf-16-be", path), "UTF-16BE"
    utf16 = _utf16(data)
    if utf16 is not None:
        return utf16
    if b"\x00" in data:
        raise _nul(data, path)
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError as exc:
        if not data[: exc.start].isascii():  # UTF-8 with Chinese up to here: another encoding from here on
            raise _mixed(data, exc.start, path) from None
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError as exc:
        raise SourceError(
            msg(
                "{p}: byte {b} at offset {o} is neither UTF-8, UTF-16 nor GB18030; save the document as UTF-8 text",
                "{p}：第 {o} 字节 {b} 既不是 UTF-8、UTF-16，也不是 GB18030；请将文档另存为 UTF-8 文本",
                p=path,
                b=f"0x{data[exc.start]:02X}",
                o=exc.start,
            )
        ) from None
    return text, "GB18030"


def _utf16(data: bytes) -> tuple[str, str] | None:
    """UTF-16 without a byte-order mark: many zero bytes (ASCII's high bytes), most of them on one side
    (a stray NUL is no sign of it), and text that decodes cleanly."""
    head = data[:4096]
    even, odd = head[0::2].count(0), head[1::2].count(0)
    if (even + odd) * 50 < len(head) or max(even, odd) < 0.75 * (even + odd):
        return None
    codec = "utf-16-le" if odd > even else "utf-16-be"
    try:
        text = data.decode(codec)
    except UnicodeDecodeError:
        return None
    return None if "\x00" in text else (text, codec.upper().replace("-LE", "LE").replace("-BE", "BE"))


def _nul(data: bytes, path: Path) -> SourceError:
    at = data.index(b"\x00")
    return SourceError(
        msg(
            "{p}: byte offset {o} (line {line}) is a NUL byte (0x00): the file is not text, or it is damaged",
            "{p}：第 {o} 字节（第 {line} 行）是空字符（NUL，0x00）：这不是文本文件，或文件已损坏",
            p=path,
            o=at,
            line=data.count(b"\n", 0, at) + 1,
        )
    )


def _mixed(data: bytes, bad: int, path: Path) -> SourceError:
    return SourceError(
        msg(
            "{p}: the text is UTF-8 up to byte offset {o} (line {line}), where byte {b} begins text in another encoding: the file mixes encodings; save it as UTF-8",
            "{p}：文本在第 {o} 字节（第 {line} 行）之前是 UTF-8，自该处的字节 {b} 起是另一种编码：文件混用了编码，请整体另存为 UTF-8",
            p=path,
            o=bad,
            line=data.count(b"\n", 0, bad) + 1,
            b=f"0x{data[bad]:02X}",
        )
    )


def _strict(data: bytes, codec: str, path: Path) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError as exc:
        raise SourceError(
            msg(
                "{p}: not valid {c} at byte offset {o}",
                "{p}：第 {o} 字节处不是有效的 {c}",
                p=path,
                c=codec.upper(),
                o=exc.start,
            )
        ) from None


def _read_docx(path: Path, size: int) -> Source:
    if size > MAX_DOCX_BYTES:
        raise SourceError(
            msg(
                "{p} is {mb:.1f} MB; at most {limit} MB is read",
                "{p} 有 {mb:.1f} MB，最多读取 {limit} MB",
                p=path,
                mb=size / 1024 / 1024,
                limit=MAX_DOCX_BYTES // 1024 // 1024,
            )
        )
    from kpsy.bounded import BoundsError, read_docx

    try:  # the archive and its tables checked before python-docx expands them
        data = read_docx(path, str(path), MAX_DOCX_BYTES, MAX_DOCX_XML)
    except BoundsError as exc:
        raise SourceError(exc.message) from None
    import docx
    from docx.table import Table as DocxTable
    from docx.text.paragraph import Paragraph as DocxParagraph

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # python-docx raises many kinds of error on a damaged file
        raise SourceError(
            msg("{p}: cannot be read as .docx ({e})", "{p}：无法作为 .docx 读取（{e}）", p=path, e=exc)
        ) from None
    lines: list[Line] = []
    tables: list[Table] = []
    paragraph_no = 0
    for block in document.iter_inner_content():
        if isinstance(block, DocxParagraph):
            paragraph_no += 1
            for part in block.text.replace("\r", "\n").replace("\v", "\n").split("\n"):
                text = normalise(part)
                if text:
                    lines.append(Line(text, msg("paragraph {n}", "第{n}段", n=paragraph_no), paragraph_no))
        elif isinstance(block, DocxTable):
            rows = [[normalise(cell.text) for cell in row.cells] for row in block.rows]
            tables.append(Table(len(tables) + 1, rows, len(lines)))
    return Source(path, "docx", "docx", lines, tables)

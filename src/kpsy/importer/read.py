"""Reading a source document in whatever form an office published it: a Word .docx (Word's own
numbering written out), a .doc, .wps, .odt or .rtf (through LibreOffice), a PDF with a text layer,
a web page, or text in any of the usual encodings.

The result is a list of paragraphs (normalised as the fidelity check normalises them, each with
where it is: a line of the text, a paragraph of the .docx, a page of the PDF), the tables (each
cell with where it is), and what the reader left out on purpose (page numbers, a web page's
navigation). Nothing is guessed about the plan here. One entry of `READERS` is one format.
"""

from __future__ import annotations

import codecs
import importlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from kpsy.errors import KpsyError
from kpsy.i18n import msg
from kpsy.plan.text import source_paragraphs

MAX_TEXT_BYTES = 8 * 1024 * 1024  # a 40-page plan is about 100 KB


class SourceError(KpsyError):
    """The source document cannot be imported: unreadable, too large, or not a plan."""


@dataclass(frozen=True, slots=True)
class Line:
    """One paragraph of the source, normalised, with where it is (line 12, paragraph 12)."""

    text: str
    where: str
    number: int  # the line, paragraph or page number
    auto: bool = False  # its number was drawn by Word's automatic numbering


@dataclass
class Table:
    """A table: rows of cell texts (a cell's own lines joined by "\\n"), and where it is."""

    index: int  # 1-based, among the document's tables
    rows: list[list[str]]
    after: int  # how many paragraphs of the document come before it

    def where(self, row: int, col: int | None = None) -> str:
        """Table 2, row 5 (cell 3): 1-based."""
        if col is None:
            return msg("table {t}, row {r}", "表格{t}第{r}行", t=self.index, r=row + 1)
        return msg("table {t}, row {r}, cell {c}", "表格{t}第{r}行第{c}格", t=self.index, r=row + 1, c=col + 1)


@dataclass(frozen=True)
class Omitted:
    """Something the reader left out on purpose: where, the words, and what it is (a convention key)."""

    where: str
    text: str
    what: str
    number: int = 0  # the line's number, for the order


@dataclass(frozen=True)
class Unread:
    """Something the reader saw but could not read without guessing (a PDF's table without ruling
    lines): where, what it looks like, and why. The import reports it as needing a person."""

    where: str
    text: str
    why: str


@dataclass
class Source:
    """A source document as paragraphs and tables."""

    path: Path
    kind: str  # the key of its reader: text, docx, pdf, html, office
    encoding: str  # UTF-8, GB18030, …; the format's name for a file that is not text
    lines: list[Line]
    tables: list[Table] = field(default_factory=list)
    text: str = ""  # a text source's whole text, decoded
    omitted: list[Omitted] = field(default_factory=list)
    auto_numbered: int = 0  # paragraphs Word numbered
    list_paragraphs: int = 0  # paragraphs in a Word list, numbered or bulleted
    converted_from: str = ""  # .doc, .wps, .odt: what LibreOffice converted
    reflowed: bool = False  # a text's hard-wrapped lines were joined into paragraphs
    unread: list[Unread] = field(default_factory=list)


@dataclass(frozen=True)
class Reader:
    """A kind of source document: how it is recognised (its name's endings, its first bytes) and
    the function that reads it ("module:function", imported only when such a file comes)."""

    key: str
    suffixes: tuple[str, ...]
    magic: tuple[bytes, ...]
    function: str
    en: str
    zh: str

    def read(self, path: Path) -> Source:
        module, name = self.function.split(":")
        reader: Callable[[Path], Source] = getattr(importlib.import_module(module), name)
        return reader(path)


OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the container of .doc and .wps
READERS: tuple[Reader, ...] = (
    Reader("docx", (".docx", ".docm", ".dotx"), (), "kpsy.importer.docx:read_docx", "Word .docx", "Word .docx 文档"),
    Reader(
        "office",
        (".doc", ".wps", ".odt", ".rtf", ".dot", ".wpt", ".fodt"),
        (OLE, b"{\\rtf"),
        "kpsy.importer.office:read_office",
        "{what}, converted by LibreOffice",
        "{what} 文档（经 LibreOffice 转换）",
    ),
    Reader("pdf", (".pdf",), (b"%PDF-",), "kpsy.importer.pdf:read_pdf", "PDF (its text layer)", "PDF（文字层）"),
    Reader(
        "html",
        (".html", ".htm", ".shtml", ".xhtml"),
        (),
        "kpsy.importer.html:read_html",
        "a web page ({e})",
        "网页（{e}）",
    ),
    Reader("text", (), (), "kpsy.importer.read:read_text", "text in {e}", "{e} 编码的文本"),
)


def reader_for(path: Path, head: bytes) -> Reader:
    """The reader of the file at `path` whose first bytes are `head`: its first bytes decide, then
    its name; a zip is a .docx unless its name says otherwise."""
    suffix = path.suffix.lower()
    by_key = {r.key: r for r in READERS}
    for reader in READERS:
        if any(head.startswith(m) for m in reader.magic):
            return reader
    if head.startswith(b"PK\x03\x04"):
        return by_key["office"] if suffix in by_key["office"].suffixes else by_key["docx"]
    for reader in READERS:
        if suffix in reader.suffixes:
            return reader
    if _looks_like_html(head):
        return by_key["html"]
    return by_key["text"]


def _looks_like_html(head: bytes) -> bool:
    start = head.lstrip(codecs.BOM_UTF8).lstrip()[:200].lower()
    return start.startswith((b"<!doctype html", b"<html", b"<?xml")) and b"<html" in head[:4096].lower()


def read_source(path: Path) -> Source:
    """The document at `path`, read by the reader its first bytes and name call for."""
    _regular(path)  # before it is opened: opening a FIFO would wait for a writer
    try:
        with open(path, "rb") as fh:
            head = fh.read(8192)
    except IsADirectoryError:
        raise SourceError(msg("{p} is not a file", "{p} 不是文件", p=path)) from None
    except OSError as exc:
        raise SourceError(msg("cannot read {p}: {e}", "无法读取 {p}：{e}", p=path, e=exc.strerror or exc)) from None
    if not path.is_file():
        raise SourceError(msg("{p} is not a file", "{p} 不是文件", p=path))
    return reader_for(path, head).read(path)


def _regular(path: Path) -> None:
    """Refuse what is not a regular file (a FIFO, a device, a folder), naming what it is."""
    import os
    import stat

    from kpsy.util import what_it_is

    try:
        mode = os.stat(path).st_mode
    except OSError as exc:
        raise SourceError(msg("cannot read {p}: {e}", "无法读取 {p}：{e}", p=path, e=exc.strerror or exc)) from None
    if not stat.S_ISREG(mode):
        en, zh = what_it_is(mode)
        raise SourceError(msg("{p} is {en}, not a file", "{p} 是{zh}，不是文件", p=path, en=en, zh=zh))


def describe(source: Source) -> str:
    """What the source was read as, for the report: 「GB18030 编码的文本」, 「Word .docx 文档」."""
    reader = next(r for r in READERS if r.key == source.kind)
    what = source.converted_from or source.path.suffix.lstrip(".").upper()
    return msg(reader.en, reader.zh, e=source.encoding, what=what)


def check_size(path: Path, limit: int, *, text: bool = False) -> None:
    """Refuse a file larger than `limit` bytes, before anything reads it."""
    size = path.stat().st_size
    if size <= limit:
        return
    mb, most = size / 1024 / 1024, limit // 1024 // 1024
    if text:
        raise SourceError(
            msg(
                "{p} is {mb:.1f} MB; a plan's text is far smaller (at most {limit} MB is read): is it the right file?",
                "{p} 有 {mb:.1f} MB，实施方案的文本远小于此（最多读取 {limit} MB），请确认文件是否正确",
                p=path,
                mb=mb,
                limit=most,
            )
        )
    raise SourceError(
        msg(
            "{p} is {mb:.1f} MB; at most {limit} MB is read",
            "{p} 有 {mb:.1f} MB，最多读取 {limit} MB",
            p=path,
            mb=mb,
            limit=most,
        )
    )


def read_bytes(path: Path, limit: int = MAX_TEXT_BYTES) -> bytes:
    """The bytes of a text-like file, refused when larger than a plan's text can be."""
    check_size(path, limit, text=True)
    return path.read_bytes()


def read_text(path: Path) -> Source:
    """Text in UTF-8 (with or without BOM), UTF-16, GB18030 or Big5, line by line; a text whose
    lines are wrapped at a fixed width (as pdftotext writes a PDF) with its paragraphs joined again."""
    text, encoding = decode(read_bytes(path), path)
    paragraphs = source_paragraphs(text)
    joined = unwrap(text, paragraphs)
    lines = [Line(t, msg("line {n}", "第{n}行", n=n), n) for n, t in (joined or paragraphs)]
    return Source(path, "text", encoding, lines, text=text, reflowed=joined is not None)


def width(text: str) -> float:
    """How wide `text` prints: a Chinese character 1, a Latin letter or digit ½."""
    return sum(0.5 if c.isascii() else 1.0 for c in text)


_ENDS = "。；;！？!?：:）)”」"
_STARTS = re.compile(
    r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)]|\d{1,3}[．.、]|第[一二三四五六七八九十百]+[章节条部]|[①-⑳])"
)


def unwrap(text: str, paragraphs: list[tuple[int, str]]) -> list[tuple[int, str]] | None:
    """The paragraphs of a hard-wrapped text joined again, or None when it is not wrapped: most
    lines as wide as the widest, and those mostly ending inside a sentence. A line as wide as the
    column continues into the next, unless the next is indented or starts with a number after a
    sentence's end."""
    raw = text.replace("\r\n", "\n").split("\n")
    widths = [width(_CJK_SPACE.sub("", t)) for _, t in paragraphs]
    if len(paragraphs) < 12:
        return None
    column = sorted(widths)[int(len(widths) * 0.9)]
    full = [i for i, w in enumerate(widths) if w >= column - 1.5 and column >= 15]
    open_ended = [i for i in full if paragraphs[i][1][-1:] not in _ENDS]
    wider = [w for w in widths if w > column + 2]  # a wrapped text has (almost) no line wider than its column
    if (
        len(full) < max(5, 0.12 * len(paragraphs))
        or len(open_ended) < 0.6 * len(full)
        or len(wider) > 0.02 * len(widths)
    ):
        return None
    out: list[tuple[int, str]] = []
    for i, (n, line) in enumerate(paragraphs):
        indented = re.match(r"^(?:\s{2,}|\u3000)", raw[n - 1]) is not None if n - 1 < len(raw) else False
        continues = (
            out
            and widths[i - 1] >= column - 1.5
            and not indented
            and not (_STARTS.match(line) and out[-1][1][-1:] in _ENDS)
            and not _TITLE_END.search(out[-1][1])
        )
        if continues:
            glue = " " if out[-1][1][-1:].isascii() and out[-1][1][-1:].isalnum() and line[:1].isascii() else ""
            out[-1] = (out[-1][0], out[-1][1] + glue + line)
        else:
            out.append((n, line))
    # the spaces a converter puts between Chinese and Latin letters or digits (2022 年 3 月)
    return [(n, _CJK_SPACE.sub("", t)) for n, t in out]


_TITLE_END = re.compile(r"(?:的通知|方案|计划|规划|纲要|要点)(?:[（(][^（）()]{2,20}[）)])?$")
_CJK_SPACE = re.compile(
    r"(?<=[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]) +(?=\S)|(?<=\S) +(?=[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef])"
)


# The most common characters of official Chinese, in simplified and traditional forms: text decoded
# with the right codec is mostly made of them, text decoded with the wrong one hardly.
_COMMON = set(
    "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学"
    "法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外"
    "天政四日那社义事平形相全表间样与关各重新线内数正心反明看原又利比或但质气第向道命此变条只没结解问意建月公无系军很情者最"
    "立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别手角期根论"
    "运农指几九区强放决西被干做必战先回则任取据处府县市省局委科技普素质工作单位办公室教育卫生健康实施方案责任牵头参加"
    "們個國來時會對發動過種經現實進總開與關間樣義體點業區單辦務質衛參責頭縣縣"
)


def _common_share(text: str) -> float:
    letters = [c for c in text[:20000] if "\u3400" <= c <= "\u9fff"]
    return sum(1 for c in letters if c in _COMMON) / len(letters) if letters else 0.0


def decode(data: bytes, path: Path) -> tuple[str, str]:
    """The text of `data` and the name of its encoding: a BOM decides; else UTF-16 (many zero
    bytes), UTF-8, or whichever of GB18030 and Big5 decodes cleanly and reads as Chinese."""
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
    candidates: list[tuple[float, str, str]] = []
    first_error: UnicodeDecodeError | None = None
    for codec, name in (("gb18030", "GB18030"), ("big5hkscs", "Big5")):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError as exc:
            first_error = first_error or exc
            continue
        candidates.append((_common_share(text), name, text))
    if candidates:
        _, name, text = max(candidates, key=lambda c: c[0])
        return text, name
    assert first_error is not None
    raise SourceError(
        msg(
            "{p}: byte {b} at offset {o} is neither UTF-8, UTF-16, GB18030 nor Big5; save the document as UTF-8 text",
            "{p}：第 {o} 字节 {b} 既不是 UTF-8、UTF-16、GB18030，也不是 Big5；请将文档另存为 UTF-8 文本",
            p=path,
            b=f"0x{data[first_error.start]:02X}",
            o=first_error.start,
        )
    )


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

"""Reading what comes from outside within bounds: input files, zip archives (.xlsx, .docx, .ods) and
the XML inside them.

A file sent back by a unit or published by another office is read by these, and only these:

- `read_input` reads a regular file and nothing else (a FIFO, a device or a folder is named and
  refused without waiting on it), and refuses a file larger than its limit by its size, unread;
- `Archive` opens a zip archive from those bytes and checks every member before any is read: how
  many there are, each one's unpacked size, its compression ratio, and the unpacked size of all of
  them together. Python's zipfile never returns more than a member's declared size, so what is
  checked is what can be read;
- `parse_xml` streams XML through expat with document type declarations refused, so no entity can
  be declared, expanded or fetched;
- `check_docx_tables` bounds what python-docx expands in a .docx's tables (spans, vertical merges,
  rows, cells) before it is asked to.

Every refusal is a `BoundsError` whose message names the file, the part, the figure and the limit.
The limits are documented in the README ("Limits on what is read").
"""

from __future__ import annotations

import io
import os
import stat
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kpsy.errors import KpsyError
from kpsy.i18n import msg
from kpsy.util import read_fd, what_it_is

if TYPE_CHECKING:
    import zipfile

MiB = 1024 * 1024

# zip archives (.xlsx, .docx, .ods): defaults, lowered by callers that expect less
MAX_MEMBERS = 2000  # members in one archive
MAX_MEMBER_BYTES = 64 * MiB  # one member, unpacked
MAX_TOTAL_BYTES = 256 * MiB  # every member together, unpacked
MAX_RATIO = 200  # unpacked size / packed size, for a member that unpacks to more than RATIO_FLOOR
RATIO_FLOOR = 1 * MiB

# .docx tables, before python-docx lays them out
MAX_SPAN = 64  # w:gridSpan, w:gridBefore, w:gridAfter (Word allows 63 columns)
MAX_TABLE_COLUMNS = 64  # grid columns of one table
MAX_VMERGE_RUN = 200  # rows one vertically merged cell may run down
MAX_TABLE_CELLS = 200_000  # cells of every table together


class BoundsError(KpsyError):
    """What was read is over a limit, not the kind of file it should be, or damaged: `detail` says
    what, `file` names the file, and the message is both."""

    def __init__(self, file: str, detail: str) -> None:
        super().__init__(msg("{file}: {detail}", "{file}：{detail}", file=file, detail=detail) if file else detail)
        self.file = file
        self.detail = detail


class DamagedError(BoundsError):
    """The file is not a readable zip archive."""


@dataclass(frozen=True)
class Limits:
    """The limits one kind of archive is read under."""

    members: int = MAX_MEMBERS
    member_bytes: int = MAX_MEMBER_BYTES
    total_bytes: int = MAX_TOTAL_BYTES
    ratio: int = MAX_RATIO


def read_input(path: Path, limit: int, name: str | None = None) -> bytes:
    """The bytes of the regular file at `path`, refused when larger than `limit` (by its size, before
    anything is read) or when it is not a regular file (without blocking on a FIFO)."""
    shown = name or str(path)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise BoundsError(
            shown, msg("cannot read the file: {why}", "无法读取文件：{why}", why=exc.strerror or exc)
        ) from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            en, zh = what_it_is(info.st_mode)
            raise BoundsError(
                shown,
                msg(
                    "it is {en}, not a file: kpsy reads only regular files",
                    "它是{zh}，不是文件：kpsy 只读取普通文件",
                    en=en,
                    zh=zh,
                ),
            )
        if info.st_size > limit:
            raise too_large(shown, info.st_size, limit)
        return _read_all(fd, limit, shown)
    finally:
        os.close(fd)


def _read_all(fd: int, limit: int, shown: str) -> bytes:
    try:
        data = read_fd(fd, limit)
    except OSError as exc:
        raise BoundsError(
            shown, msg("cannot read the file: {why}", "无法读取文件：{why}", why=exc.strerror or exc)
        ) from None
    if len(data) > limit:  # it grew while being read
        raise too_large(shown, len(data), limit)
    return data


def too_large(shown: str, size: int, limit: int) -> BoundsError:
    return BoundsError(
        shown,
        msg(
            "the file is {size:,} bytes, over the limit of {limit:,} bytes for this kind of file; it was not read",
            "文件有 {size:,} 字节，超过此类文件 {limit:,} 字节的上限，未读取",
            size=size,
            limit=limit,
        ),
    )


class Archive:
    """A zip archive whose members were all checked against `limits` before any is read."""

    def __init__(
        self, data: bytes, name: str, limits: Limits | None = None, what: tuple[str, str] = ("file", "文件")
    ) -> None:
        import zipfile  # imported here: reading a plan folder needs none of it

        self.name = name
        self.limits = limits or Limits()
        try:
            self._zip = zipfile.ZipFile(io.BytesIO(data))
            infos = self._zip.infolist()
        except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
            raise DamagedError(
                name,
                msg("the {en} is damaged (not a readable zip archive)", "{zh}已损坏，无法读取", en=what[0], zh=what[1]),
            ) from None
        self._check(infos)
        self._infos = {info.filename: info for info in infos}

    def _check(self, infos: list[zipfile.ZipInfo]) -> None:
        limits = self.limits
        if len(infos) > limits.members:
            raise self._over("members", "成员数", len(infos), limits.members, "")
        total = 0
        for info in infos:
            if info.flag_bits & 0x1:
                raise BoundsError(
                    self.name,
                    msg(
                        "its part {part} is encrypted (the file is password-protected): remove the password and save it again",
                        "其中的 {part} 已加密（文件设有密码）：请取消密码后重新保存",
                        part=info.filename,
                    ),
                )
            if info.file_size > limits.member_bytes:
                raise self._over("unpacked size", "解压后大小", info.file_size, limits.member_bytes, info.filename)
            ratio = info.file_size / max(info.compress_size, 1)
            if info.file_size > RATIO_FLOOR and ratio > limits.ratio:
                raise self._over("compression ratio", "压缩比", int(ratio), limits.ratio, info.filename)
            total += info.file_size
        if total > limits.total_bytes:
            raise self._over("unpacked size of all parts", "全部成员解压后大小", total, limits.total_bytes, "")

    def _over(self, en: str, zh: str, value: int, limit: int, part: str) -> BoundsError:
        where = msg("{part}: ", "{part}：", part=part) if part else ""
        return BoundsError(
            self.name,
            msg(
                "{where}{en} {value:,} is over the limit of {limit:,}; the file was not read",
                "{where}{zh} {value:,} 超过上限 {limit:,}，拒绝读取",
                where=where,
                en=en,
                zh=zh,
                value=value,
                limit=limit,
            ),
        )

    def names(self) -> list[str]:
        return list(self._infos)

    def __contains__(self, name: object) -> bool:
        return name in self._infos

    def size(self, name: str) -> int:
        return self._infos[name].file_size

    def read(self, name: str) -> bytes:
        """A member's bytes (never more than its declared size, which was checked)."""
        import zipfile

        try:
            return self._zip.read(self._infos[name])
        except KeyError:
            raise BoundsError(self.name, msg("the part {part} is missing", "缺少其中的 {part}", part=name)) from None
        except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError, RuntimeError):
            raise BoundsError(self.name, msg("the part {part} is damaged", "其中的 {part} 已损坏", part=name)) from None


# --- XML -------------------------------------------------------------------------------------------

Start = Callable[[str, dict[str, str]], None]
End = Callable[[str], None]
Text = Callable[[str], None]


def parse_xml(
    data: bytes, file: str, part: str, start: Start, end: End | None = None, text: Text | None = None
) -> None:
    """Stream `data` (the part `part` of `file`) through expat: element names as `{namespace}local`,
    attributes likewise. A document type declaration (and so any entity) is refused; so is XML that
    is not well formed."""
    from xml.parsers import expat

    parser = expat.ParserCreate(namespace_separator="}")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)

    def no_doctype(*_: Any) -> None:
        raise BoundsError(
            file,
            msg(
                "{part} declares a document type (DTD); it is refused, so that no entity is ever expanded",
                "{part} 含文档类型声明（DTD），出于安全拒绝读取",
                part=part,
            ),
        )

    parser.StartDoctypeDeclHandler = no_doctype
    parser.EntityDeclHandler = no_doctype
    parser.StartElementHandler = lambda name, attrs: start(
        _qualified(name), {_qualified(k): v for k, v in attrs.items()}
    )
    if end is not None:
        parser.EndElementHandler = lambda name: end(_qualified(name))
    if text is not None:
        parser.CharacterDataHandler = text
    parser.buffer_text = True
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        raise BoundsError(
            file,
            msg(
                "{part} is damaged at line {line}, column {col} ({why})",
                "{part} 在第 {line} 行第 {col} 列损坏（{why}）",
                part=part,
                line=exc.lineno,
                col=exc.offset + 1,
                why=expat.errors.messages.get(exc.code, str(exc.code)),
            ),
        ) from None


def _qualified(name: str) -> str:
    return "{" + name if "}" in name else name


# --- .docx tables ----------------------------------------------------------------------------------

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


class _Tables:
    """Counts what python-docx would expand in a .docx's tables, refusing what is over a limit."""

    def __init__(self, file: str, part: str) -> None:
        self.file = file
        self.part = part
        self.table = 0
        self.depth = 0
        self.row = 0
        self.grid_columns = 0
        self.cells = 0
        self.column = 0
        self.runs: dict[int, int] = {}  # grid column -> rows its vertical merge has run
        self.merging = False
        self.span = 1

    def refuse(self, en: str, zh: str, value: int, limit: int) -> BoundsError:
        return BoundsError(
            self.file,
            msg(
                "{part}: table {t}, row {r}: {en} {value:,} is over the limit of {limit:,}",
                "{part}：表格{t}第{r}行：{zh} {value:,} 超过上限 {limit:,}",
                part=self.part,
                t=self.table,
                r=self.row,
                en=en,
                zh=zh,
                value=value,
                limit=limit,
            ),
        )

    def number(self, attrs: dict[str, str], en: str, zh: str, limit: int) -> int:
        raw = attrs.get(W + "val", "1")
        value = int(raw) if raw.strip().isdigit() else limit + 1
        if value > limit:
            raise self.refuse(en, zh, value, limit)
        return value

    def start(self, name: str, attrs: dict[str, str]) -> None:
        if name == W + "tbl":
            self.depth += 1
            self.table += 1
            self.row, self.grid_columns, self.runs = 0, 0, {}
        elif name == W + "gridCol":
            self.grid_columns += 1
            if self.grid_columns > MAX_TABLE_COLUMNS:
                raise self.refuse("grid columns", "表格列数", self.grid_columns, MAX_TABLE_COLUMNS)
        elif name == W + "tr":
            self.row += 1
            self.column = 0
        elif name in (W + "gridBefore", W + "gridAfter"):
            self.column += self.number(attrs, "a row's skipped columns", "行首/行尾空列数", MAX_SPAN)
        elif name == W + "tc":
            self.cell_start()
        elif name == W + "gridSpan":
            self.span = self.number(attrs, "gridSpan (cells merged across)", "横向合并格数（gridSpan）", MAX_SPAN)
        elif name == W + "vMerge":
            self.merging = attrs.get(W + "val", "continue") != "restart"

    def cell_start(self) -> None:
        self.cells += 1
        self.span = 1
        self.merging = False
        if self.cells > MAX_TABLE_CELLS:
            raise self.refuse("cells of all tables", "全部表格的单元格数", self.cells, MAX_TABLE_CELLS)

    def end(self, name: str) -> None:
        if name == W + "tbl":
            self.depth -= 1
        elif name == W + "tc":
            run = self.runs.get(self.column, 0) + 1 if self.merging else 0
            if run > MAX_VMERGE_RUN:
                raise self.refuse("rows merged down (vMerge)", "纵向合并行数（vMerge）", run, MAX_VMERGE_RUN)
            self.runs[self.column] = run
            self.column += self.span
            if self.column > MAX_TABLE_COLUMNS:
                raise self.refuse("columns of the row", "本行列数", self.column, MAX_TABLE_COLUMNS)


def check_docx_tables(document_xml: bytes, file: str, part: str = "word/document.xml") -> None:
    """Refuse a .docx body whose tables python-docx would expand beyond the limits (a gridSpan of
    2,000,000,000, a vertical merge thousands of rows long, a table of millions of cells)."""
    tables = _Tables(file, part)
    parse_xml(document_xml, file, part, tables.start, tables.end)

"""Opening a workbook sent back by a unit: its bytes read once within limits, its kind told from its
content (not its name), and the reader of its format chosen from the registry (`FORMATS`); an old
.xls, a password-protected (encrypted) workbook, an .xlsb or a Word document is named as such."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from kpsy.bounded import Archive, BoundsError, read_input
from kpsy.i18n import msg
from kpsy.sheets import book as limits
from kpsy.sheets import ods, xlsx
from kpsy.sheets.book import Book


class NotAWorkbook(BoundsError):
    """The file is not a workbook kpsy reads (an old .xls, a password-protected file, a document)."""


Reader = Callable[[Archive, str], Book]


# One entry a format: how to recognise it, and its reader.
FORMATS: dict[str, tuple[Callable[[Archive], bool], Reader]] = {
    "xlsx": (xlsx.recognise, xlsx.read),
    "ods": (ods.recognise, ods.read),
}


_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")


def open_book(path: Path, name: str) -> Book:
    """The workbook at `path` (shown as `name`), read within the limits; BoundsError says why not."""
    data = read_input(path, limits.MAX_BYTES, name)
    if data.startswith(_OLE):
        raise NotAWorkbook(name, _ole_kind(data))
    if not data.startswith(b"PK"):
        raise NotAWorkbook(name, msg("not an Excel workbook (.xlsx)", "不是 Excel 工作簿（.xlsx）"))
    archive = Archive(data, name, limits.LIMITS, ("workbook", "工作簿"))
    for recognise, read in FORMATS.values():
        if recognise(archive):
            return read(archive, name)
    raise NotAWorkbook(name, _other_zip(archive))


def _ole_kind(data: bytes) -> str:
    if _ENCRYPTED in data:
        return msg(
            "the workbook is protected by a password (it is encrypted): open it, remove the password"
            " (File > Info > Protect Workbook, or WPS's 文档加密), save it and import that",
            "工作簿设有打开密码（已加密），无法读取：请打开后取消密码（Excel：文件 > 信息 > 保护工作簿；"
            "WPS：文档加密），保存后再导入",
        )
    return msg(
        "this is an old-style .xls (or WPS .et) workbook: save it as an Excel workbook (.xlsx) and import that",
        "这是旧版 .xls（或 WPS .et）格式：请在 Excel 或 WPS 中“另存为” Excel 工作簿（.xlsx）后再导入",
    )


def _other_zip(archive: Archive) -> str:
    if "xl/workbook.bin" in archive:
        return msg(
            "this is a binary workbook (.xlsb): save it as an Excel workbook (.xlsx)",
            "这是二进制工作簿（.xlsb）：请另存为 Excel 工作簿（.xlsx）后再导入",
        )
    if "word/document.xml" in archive:
        return msg("this is a Word document, not a workbook", "这是 Word 文档，不是工作簿")
    return msg("not an Excel workbook (.xlsx) or OpenDocument spreadsheet (.ods)", "不是 Excel 工作簿（.xlsx 或 .ods）")

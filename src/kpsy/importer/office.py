"""Word 97-2003 (.doc), WPS (.wps), OpenDocument (.odt) and RTF files, read through LibreOffice:
converted to .docx in a temporary folder, with a LibreOffice profile of its own (so that a
LibreOffice the user has open is not disturbed) and a time limit, then read as a .docx."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from kpsy.i18n import msg
from kpsy.importer.read import Source, SourceError

TIMEOUT = 120  # seconds; a 40-page .doc converts in a few
PACKAGE = "libreoffice-writer"  # the Debian package that brings soffice with Writer


def soffice() -> str | None:
    """The LibreOffice program, if installed."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    return None


def convert_to_docx(path: Path, folder: Path) -> Path:
    """`path` converted to .docx inside `folder` by LibreOffice; refused clearly without it."""
    program = soffice()
    what = path.suffix.lstrip(".").upper() or "Word"
    if program is None:
        raise SourceError(
            msg(
                "{p}: a {w} file is read through LibreOffice, which is not installed; install it (Debian: "
                "apt-get install {pkg}) or save the document as .docx",
                "{p}：{w} 文件需要用 LibreOffice 读取，但本机没有安装；请安装（Debian：apt-get install {pkg}），"
                "或将文档另存为 .docx",
                p=path,
                w=what,
                pkg=PACKAGE,
            )
        )
    copy = folder / ("source" + path.suffix.lower())
    shutil.copyfile(path, copy)
    profile = (folder / "profile").as_uri()
    args = [program, "--headless", "--norestore", f"-env:UserInstallation={profile}"]
    args += ["--convert-to", "docx:MS Word 2007 XML", "--outdir", str(folder / "out"), str(copy)]
    env = {**os.environ, "HOME": str(folder)}
    try:
        subprocess.run(args, capture_output=True, timeout=TIMEOUT, env=env, check=False, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        raise SourceError(
            msg(
                "{p}: LibreOffice did not convert it within {s} s",
                "{p}：LibreOffice 未能在 {s} 秒内完成转换",
                p=path,
                s=TIMEOUT,
            )
        ) from None
    except OSError as exc:
        raise SourceError(
            msg("{p}: cannot run LibreOffice: {e}", "{p}：无法运行 LibreOffice：{e}", p=path, e=exc)
        ) from None
    out = folder / "out" / "source.docx"
    if not out.is_file():
        raise SourceError(
            msg(
                "{p}: LibreOffice could not read it as a {w} document (is LibreOffice Writer installed? Debian: {pkg})",
                "{p}：LibreOffice 无法将其作为 {w} 文档读取（是否安装了 LibreOffice Writer？Debian：{pkg}）",
                p=path,
                w=what,
                pkg=PACKAGE,
            )
        )
    return out


def read_office(path: Path) -> Source:
    """A .doc, .wps, .odt or .rtf document, through LibreOffice."""
    from kpsy.importer.docx import read_docx

    with tempfile.TemporaryDirectory(prefix="kpsy-import-") as tmp:
        converted = convert_to_docx(path, Path(tmp))
        source = read_docx(converted)
    source.path = path
    source.kind = "office"
    source.converted_from = path.suffix.lstrip(".").upper() or "DOC"
    source.encoding = source.converted_from
    return source

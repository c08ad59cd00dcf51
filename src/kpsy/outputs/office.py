"""Printing to PDF through LibreOffice: the .docx or .xlsx kpsy writes, converted by `soffice`
in a folder of its own with a profile of its own, checked to be a PDF.

LibreOffice converts a .docx only with its Writer installed and a .xlsx only with its Calc; without
the one it needs, `soffice --convert-to pdf` exits 0 and writes nothing. So the result is checked,
and a missing PDF names the Debian package to install.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from kpsy.errors import OutputError
from kpsy.i18n import msg

TIMEOUT = 300  # seconds LibreOffice may take for one document (its first start builds a profile)
# The LibreOffice program that prints each kind of file, and the Debian package that brings it.
PACKAGES: dict[str, tuple[str, str]] = {
    ".docx": ("Writer", "libreoffice-writer-nogui"),
    ".xlsx": ("Calc", "libreoffice-calc-nogui"),
}
PROGRAMS = ("soffice", "libreoffice")
# The library each part brings into LibreOffice's program folder (Debian, and LibreOffice's own builds).
LIBRARIES: dict[str, str] = {".docx": "libswlo.so", ".xlsx": "libsclo.so"}


def office_program() -> str | None:
    """LibreOffice's command on this machine (KPSY_SOFFICE names another), or None."""
    named = os.environ.get("KPSY_SOFFICE")
    if named:
        return shutil.which(named) or (named if os.path.isfile(named) else None)
    return next((found for name in PROGRAMS if (found := shutil.which(name))), None)


def lacks_part(soffice: str, ending: str) -> bool:
    """Whether the LibreOffice of `soffice` is installed without the part that prints `ending` files
    (Calc alone has a `soffice` that cannot print a .docx). Only a real installation (its program
    folder holds soffice.bin) is judged; of anything else the conversion's result tells."""
    program = Path(os.path.realpath(soffice)).parent
    return (program / "soffice.bin").exists() and not (program / LIBRARIES[ending]).exists()


def _missing(ending: str, why: str) -> OutputError:
    program, package = PACKAGES[ending]
    return OutputError(
        msg(
            "cannot make the PDF: {why}; it takes LibreOffice {program} (on Debian or Ubuntu: "
            "sudo apt-get install {package}), or write {ending} and print it yourself",
            "无法生成 PDF：{why}；需要 LibreOffice {program}（Debian 或 Ubuntu 上：sudo apt-get install {package}），"
            "或者写成 {ending} 文件后自行打印",
            why=why,
            program=program,
            package=package,
            ending=ending,
        )
    )


def print_pdf(data: bytes, ending: str) -> bytes:
    """The PDF LibreOffice prints from `data`, a file with `ending` (.docx or .xlsx)."""
    soffice = office_program()
    if soffice is None:
        raise _missing(ending, msg("LibreOffice is not installed", "未安装 LibreOffice"))
    if lacks_part(soffice, ending):
        program = PACKAGES[ending][0]
        raise _missing(ending, msg("LibreOffice is installed without {p}", "已安装的 LibreOffice 不含 {p}", p=program))
    with tempfile.TemporaryDirectory(prefix="kpsy-pdf-") as tmp:
        folder = Path(tmp)
        source = folder / f"document{ending}"
        source.write_bytes(data)
        command = [
            soffice,
            f"-env:UserInstallation={(folder / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--nologo",
            "--convert-to",
            "pdf",
            "--outdir",
            str(folder / "out"),
            str(source),
        ]
        try:
            done = subprocess.run(command, capture_output=True, timeout=TIMEOUT, stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            raise OutputError(
                msg(
                    "cannot make the PDF: LibreOffice took more than {s} seconds",
                    "无法生成 PDF：LibreOffice 超过 {s} 秒未完成",
                    s=TIMEOUT,
                )
            ) from None
        except OSError as exc:
            raise _missing(ending, msg("{p} does not run: {why}", "{p} 无法运行：{why}", p=soffice, why=exc)) from None
        return _printed(folder / "out" / "document.pdf", ending, done)


def _printed(pdf: Path, ending: str, done: subprocess.CompletedProcess[bytes]) -> bytes:
    """The PDF LibreOffice wrote, or why there is none."""
    printed = pdf.read_bytes() if pdf.is_file() else b""
    if done.returncode == 0 and printed.startswith(b"%PDF"):
        return printed
    said = done.stderr.decode("utf-8", "replace").strip().splitlines()
    why = (
        msg("LibreOffice wrote no PDF", "LibreOffice 没有生成 PDF")
        if done.returncode == 0
        else msg("LibreOffice failed (exit status {c})", "LibreOffice 运行失败（退出状态 {c}）", c=done.returncode)
    )
    raise _missing(ending, why + (f" ({said[-1]})" if said else ""))

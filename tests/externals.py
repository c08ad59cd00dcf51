"""The programs outside Python that the tests run, and the Debian packages that bring them: the one
list .ci/run installs from and the tests check their calls against.

Each need says what the tests use, the packages any one of which will do (the first is the one to
install), and the programs it brings. Whether a need is met is decided by the package database
(dpkg-query), not by whether a command exists: `soffice` exists with LibreOffice Calc alone, and then
`soffice --convert-to pdf x.docx` exits 0 and writes nothing.

    python3 tests/externals.py missing     # the packages to install on this machine, one a line
    python3 tests/externals.py list        # every need, its packages and programs

Standard library only: .ci/run runs it with the system's Python before any virtual environment.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass


@dataclass(frozen=True)
class Need:
    what: str  # what the tests use it for
    packages: tuple[str, ...]  # any one will do; the first is installed when none is
    programs: tuple[str, ...] = ()  # the commands the tests (or kpsy, while tested) run

    @property
    def package(self) -> str:
        return self.packages[0]


NEEDS: tuple[Need, ...] = (
    Need(
        "LibreOffice Writer: prints .docx (documents, the redline) to PDF",
        ("libreoffice-writer-nogui", "libreoffice-writer"),
        ("soffice", "libreoffice"),
    ),
    Need(
        "LibreOffice Calc: re-saves sheets as another office suite does, prints workbooks to PDF",
        ("libreoffice-calc-nogui", "libreoffice-calc"),
        ("soffice", "libreoffice"),
    ),
    Need(
        "poppler: reads the PDFs (text, boxes, pages as images)",
        ("poppler-utils",),
        ("pdftotext", "pdftoppm", "pdfinfo"),
    ),
    Need(
        "chromium: loads the dashboard in a real headless browser",
        ("chromium",),
        ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"),
    ),
    Need("a font that draws Chinese (charts, PDFs)", ("fonts-noto-cjk", "fonts-noto-cjk-extra")),
    Need("fontconfig: finds that font for the charts", ("fontconfig",), ("fc-match", "fc-list")),
    Need("git: revisions are git commits", ("git",), ("git",)),
    Need("bash: the README's commands as a person runs them", ("bash",), ("bash",)),
)

# Programs that come with Python packages (pip), not with Debian: pandoc is in pypandoc-binary.
FROM_PIP: dict[str, str] = {"pandoc": "pypandoc-binary"}

# For a program that several needs bring (soffice), the need an input file's ending calls for.
BY_ENDING: dict[str, str] = {
    ".docx": "libreoffice-writer-nogui",
    ".doc": "libreoffice-writer-nogui",
    ".odt": "libreoffice-writer-nogui",
    ".xlsx": "libreoffice-calc-nogui",
    ".xls": "libreoffice-calc-nogui",
    ".ods": "libreoffice-calc-nogui",
}


def programs() -> set[str]:
    """Every program the tests may run."""
    return {p for need in NEEDS for p in need.programs} | set(FROM_PIP)


def package_for(program: str, *args: object) -> str:
    """The package to install when `program`, run with `args`, did not do its job."""
    name = os.path.basename(program)
    if name in FROM_PIP:
        return FROM_PIP[name]
    for arg in args:
        for ending, package in BY_ENDING.items():
            if str(arg).lower().endswith(ending) and any(package in n.packages for n in NEEDS if name in n.programs):
                return package
    return next((n.package for n in NEEDS if name in n.programs), name)


def installed(package: str) -> bool:
    """Whether dpkg has `package` installed."""
    try:
        done = subprocess.run(["dpkg-query", "-W", "-f=${Status}", package], capture_output=True, text=True)
    except OSError:
        return False
    return done.returncode == 0 and done.stdout.strip() == "install ok installed"


def missing() -> list[str]:
    """The package to install for each need no installed package meets, in the list's order."""
    return [need.package for need in NEEDS if not any(installed(p) for p in need.packages)]


def main(argv: list[str]) -> int:
    if argv[:1] == ["missing"]:
        for package in missing():
            print(package)
        return 0
    if argv[:1] == ["list"]:
        for need in NEEDS:
            print(f"{' | '.join(need.packages):55} {' '.join(need.programs):30} {need.what}")
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

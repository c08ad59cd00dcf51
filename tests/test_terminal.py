"""Tables at a real terminal (a pty of a given size, no COLUMNS): nothing is ever lost or cut.

Each listing is run under a pseudo-terminal at 40, 60, 80, 120 and 200 columns, with colour on,
and the table is read back from what a person would see: every cell must be there, whole, whatever
layout the width called for (a table, column pages, or one block a record); no line is wider than
the terminal and no unit's name is split.
"""

from __future__ import annotations

import fcntl
import os
import re
import struct
import subprocess
import sys
import termios
from pathlib import Path

import pytest

from kpsy.outputs.layout import char_width, display_width
from kpsy.outputs.views import MATRIX_LABELS, ROLE_LABELS

REPO = Path(__file__).resolve().parent.parent
PLAN = REPO / "plan"
QINGSHAN = REPO / "tests" / "fixtures" / "qingshan" / "plan"
WIDTHS = [40, 60, 80, 120, 200]
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07")


def in_pty(args: list[str], columns: int, tmp_path: Path) -> str:
    """What `kpsy ARGS` shows on a terminal `columns` wide (escape sequences removed)."""
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 50, columns, 0, 0))
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES", "NO_COLOR", "KPSY_PLAN")}
    env.update(TERM="xterm-256color", KPSY_CACHE_DIR=str(tmp_path))
    proc = subprocess.Popen([sys.executable, "-m", "kpsy", *args], stdin=slave, stdout=slave, stderr=slave, env=env)
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 65536)
        except OSError:  # the child has gone and the pty is closed
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    assert proc.wait(timeout=60) == 0, b"".join(chunks).decode()
    text = b"".join(chunks).decode().replace("\r\n", "\n")
    assert "\x1b[1m" in text or "\x1b[" in text, "a terminal gets styled output"
    return ANSI.sub("", text)


def piped(args: list[str], columns: int, tmp_path: Path) -> str:
    env = {**os.environ, "COLUMNS": str(columns), "KPSY_CACHE_DIR": str(tmp_path)}
    done = subprocess.run([sys.executable, "-m", "kpsy", *args], capture_output=True, text=True, env=env, check=True)
    return done.stdout


def columns_of(line: str) -> list[tuple[int, str]]:
    """Each character of `line` with the terminal column it starts at."""
    out, col = [], 0
    for ch in line:
        out.append((col, ch))
        col += char_width(ch)
    return out


def cut(line: str, start: int, end: int | None) -> str:
    return "".join(ch for col, ch in columns_of(line) if col >= start and (end is None or col < end)).strip()


def read_back(text: str, fixed: list[str], pivots: dict[str, str]) -> dict[str, dict[str, str]]:
    """The cells shown, by record (its fixed cells joined) and column header, from any layout.

    `fixed` are the headers of the fixed columns; `pivots` maps what a block calls a matrix value
    (牵头) to what the matrix cell shows (牵)."""
    lines = text.split("\n")
    records: dict[str, dict[str, str]] = {}
    record: dict[str, str] = {}
    if any(line.startswith(fixed[0] + " ") for line in lines):  # tables (one page or several)
        header: list[tuple[str, int, int | None]] = []
        for line in lines:
            if line.startswith(fixed[0] + " "):
                names = re.split(r" {2,}", line.strip())
                starts = [display_width(line[: line.index(n)]) for n in names]
                header = [(n, s, e) for n, s, e in zip(names, starts, [*starts[1:], None], strict=True)]
                continue
            if not header or not line.strip():
                header = []
                continue
            cells = {n: cut(line, s, e) for n, s, e in header}
            if line[0].isdigit():
                record = records.setdefault("  ".join(cells[f] for f in fixed), {})
                record.update({n: v for n, v in cells.items() if n not in fixed})
            else:  # a wrapped row goes on
                record.update({n: record.get(n, "") + v for n, v in cells.items() if n not in fixed})
        return records
    record: dict[str, str] | None = None
    last = ""
    for line in lines:  # blocks: "1  区教育局", then "  header：value" items, continued further in
        if line and line[0].isdigit():
            record = records.setdefault(line.strip(), {})
        elif record is not None and line.startswith("  ") and not line.startswith("   "):
            for item in re.split(r" {2,}", line.strip()):
                name, _, value = item.partition("：")
                record[name] = value
                last = name
        elif record is not None and line.startswith("   "):
            record[last] += line.strip()
    matrix: dict[str, dict[str, str]] = {}
    for key, items in records.items():
        cells = matrix.setdefault(key, {})
        for name, value in items.items():
            if name in pivots:
                cells.update({h: pivots[name] for h in value.split("、")})
            else:
                cells[name] = value
    return matrix


def non_empty(records: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
    return {k: {h: v for h, v in cells.items() if v} for k, cells in records.items()}


def unit_names(plan: Path) -> list[str]:
    import yaml

    data = yaml.safe_load((plan / "units.yaml").read_text(encoding="utf-8"))
    return [u["name"] for u in data["units"]]


def check_lines(text: str, columns: int, names: list[str]) -> None:
    for line in text.split("\n"):
        assert display_width(line) <= columns, f"{display_width(line)} > {columns}: {line!r}"
    for name in names:
        if name in text.replace("\n", "").replace(" ", ""):
            assert any(name in line for line in text.split("\n")), f"{name} split across lines"


MATRIX = {ROLE_LABELS[k]: v for k, v in MATRIX_LABELS.items()}


@pytest.mark.parametrize("plan", [PLAN, QINGSHAN], ids=["bundled", "qingshan"])
@pytest.mark.parametrize("columns", WIDTHS)
def test_coverage_matrix_keeps_every_cell(plan: Path, columns: int, tmp_path: Path) -> None:
    whole = read_back(piped(["coverage", "--plan", str(plan)], 1000, tmp_path), ["序号", "单位"], MATRIX)
    assert len(whole) == len(unit_names(plan)) and any(whole.values())
    shown = in_pty(["coverage", "--plan", str(plan)], columns, tmp_path)
    check_lines(shown, columns, unit_names(plan))
    assert non_empty(read_back(shown, ["序号", "单位"], MATRIX)) == non_empty(whole)


@pytest.mark.parametrize("columns", WIDTHS)
def test_units_table_keeps_every_number(columns: int, tmp_path: Path) -> None:
    whole = read_back(piped(["units", "--plan", str(PLAN)], 1000, tmp_path), ["序号", "单位"], {})
    assert whole["6  区教育局"]["牵头任务"] == "10"
    shown = in_pty(["units", "--plan", str(PLAN)], columns, tmp_path)
    check_lines(shown, columns, unit_names(PLAN))
    assert read_back(shown, ["序号", "单位"], {}) == whole


def md_cells(md: str) -> list[str]:
    """Every heading, note and table cell of a listing's Markdown, unescaped; of the header rows,
    every header but the first (a record listed as a block is headed by its first cell alone)."""
    out = []
    lines = md.split("\n")
    for n, line in enumerate(lines):
        line = re.sub(r"\\(.)", r"\1", line).removesuffix("  ")
        if line.startswith("|---"):
            continue
        if n + 1 < len(lines) and lines[n + 1].startswith("|---"):
            out += [c.strip() for c in line.strip("|").split(" | ")][1:]
            continue
        if line.startswith("|"):
            out += [c.strip() for c in line.strip("|").split(" | ") if c.strip()]
        elif line.startswith("## ") or (line and not line.startswith(("#", "- "))):
            out.append(line.removeprefix("## "))
    return out


def is_subsequence(small: str, big: str) -> bool:
    it = iter(big)
    return all(ch in it for ch in small)


@pytest.mark.parametrize(
    "args",
    [["tasks"], ["tasks", "--unit", "区教育局"], ["targets"], ["schedule"]],
    ids=" ".join,
)
@pytest.mark.parametrize("columns", WIDTHS)
def test_listings_fit_and_lose_nothing(args: list[str], columns: int, tmp_path: Path) -> None:
    shown = in_pty([*args, "--plan", str(PLAN)], columns, tmp_path)
    check_lines(shown, columns, unit_names(PLAN))
    flat = "".join(shown.split())
    cells = md_cells(piped([*args, "--format", "md", "--plan", str(PLAN)], 1000, tmp_path))
    assert len(cells) > 10
    lost = [c for c in cells if not is_subsequence("".join(c.split()), flat)]
    assert not lost, lost


def test_continued_notes_keep_their_indent_and_no_line_starts_with_a_stop(tmp_path: Path) -> None:
    shown = in_pty(["tasks", "--plan", str(PLAN)], 40, tmp_path)
    lines = shown.split("\n")
    assert not [line for line in lines if line.strip() and line.strip()[0] in "、，。；：）"]
    at = next(i for i, line in enumerate(lines) if line.startswith("  参加单位："))
    assert lines[at + 1].startswith(" " * len("  参加单位：")), lines[at : at + 2]

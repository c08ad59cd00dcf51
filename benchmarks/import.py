"""`kpsy import` on a 40-page plan in each form offices publish: the bundled plan's text, its parts
repeated until the text is as long as 40 pages of 22 lines of 28 characters (GB/T 9704), read as
text, as .docx with typed numbers, as .docx numbered by Word (一、（一）1． from a multi-level list),
as a government web page, and as a PDF printed by LibreOffice (when it is installed).

    python benchmarks/import.py [--keep DIR]

Target: at most 2 s for each. With --keep the sources stay in DIR, for timing them as whole
processes against another build of kpsy.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import REPO, kpsy

from kpsy.plan.numbering import chinese_number

PAGE = 22 * 28  # characters on a page of an official document
PAGES = 40
sys.path.insert(0, str(REPO))


def forty_pages() -> list[str]:
    """The bundled plan with its two parts of actions repeated (renumbered) until it fills 40 pages."""
    text = (REPO / "plan" / "source" / "yanfeng-plan-2021-2025.txt").read_text(encoding="utf-8")
    lines = [line.strip() for line in text.splitlines()]
    lines = [line for line in lines if line and not re.fullmatch(r"[()—\d ]+", line)]
    start, end = lines.index("二、提升行动"), lines.index("四、组织实施")
    head, parts, tail = lines[:start], lines[start:end], lines[end:]
    out, n = list(head), 2
    while sum(len(x) for x in out + tail) < PAGES * PAGE:
        for line in parts:
            if re.match(r"^[二三]、", line):
                line = chinese_number(n) + line[1:]
                n += 1
            out.append(line)
    return [*out, chinese_number(n) + tail[0][1:], *tail[1:]]


def sources(folder: Path, lines: list[str]) -> list[Path]:
    """The 40 pages as text, .docx (typed numbers), .docx (Word's numbering), web page, PDF."""
    from tests import plandocs

    text = folder / "plan.txt"
    text.write_text("\n".join(lines) + "\n", encoding="utf-8")
    made = [
        text,
        plandocs.write_docx(folder / "plan.docx", lines),
        plandocs.write_docx(folder / "plan-word-numbering.docx", lines, word_numbering="multi"),
    ]
    plan = plandocs.qingshan()  # only its place's name, for the page around the article
    made.append(plandocs.write_html(folder / "plan.html", plan, lines))
    if shutil.which("soffice"):
        printed = plandocs.write_docx(folder / "plan-print.docx", lines, print_ready=True)
        (pdf,) = plandocs.soffice_convert([printed], "pdf", folder)
        made.append(pdf)
        printed.unlink()
    return made


def timed(args: list[str]) -> float:
    start = time.perf_counter()
    proc = subprocess.run(args, capture_output=True, text=True)
    took = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"{' '.join(args)} failed:\n{proc.stdout}{proc.stderr}")
    return took


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--keep", type=Path, help="leave the sources in this folder")
    args = parser.parse_args()
    lines = forty_pages()
    chars = sum(len(x) for x in lines)
    with tempfile.TemporaryDirectory() as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        print(f"source: {len(lines)} paragraphs, {chars} characters ({chars / PAGE:.0f} pages)")
        for source in sources(folder, lines):
            best = min(
                timed([*kpsy(), "import", str(source), "--out", str(Path(tmp) / f"out-{source.name}-{i}")])
                for i in range(3)
            )
            verdict = "ok" if best <= 2.0 else "TOO SLOW"
            print(f"kpsy import {source.name}: {best:.2f} s (best of 3; target <= 2 s) {verdict}")


if __name__ == "__main__":
    main()

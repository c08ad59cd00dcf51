"""`kpsy import` on a 40-page plan: the bundled plan's text, its parts repeated until the text is as
long as 40 pages of 22 lines of 28 characters (GB/T 9704), read as text and as .docx.

    python benchmarks/import.py

Target: at most 2 s for each.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import REPO, kpsy

from kpsy.plan.numbering import chinese_number

PAGE = 22 * 28  # characters on a page of an official document
PAGES = 40


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


def timed(args: list[str]) -> float:
    start = time.perf_counter()
    proc = subprocess.run(args, capture_output=True, text=True)
    took = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"{' '.join(args)} failed:\n{proc.stdout}{proc.stderr}")
    return took


def main() -> None:
    import docx

    lines = forty_pages()
    chars = sum(len(x) for x in lines)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        text = folder / "plan.txt"
        text.write_text("\n".join(lines) + "\n", encoding="utf-8")
        document = docx.Document()
        for line in lines:
            document.add_paragraph(line)
        document.save(str(folder / "plan.docx"))
        print(f"source: {len(lines)} paragraphs, {chars} characters ({chars / PAGE:.0f} pages)")
        for source in (text, folder / "plan.docx"):
            best = min(
                timed([*kpsy(), "import", str(source), "--out", str(folder / f"out-{source.suffix[1:]}-{i}")])
                for i in range(3)
            )
            verdict = "ok" if best <= 2.0 else "TOO SLOW"
            print(f"kpsy import {source.name}: {best:.2f} s (best of 3; target <= 2 s) {verdict}")


if __name__ == "__main__":
    main()

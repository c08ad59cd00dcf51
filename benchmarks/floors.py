"""kpsy's documents and import beside their floors, paired in one run (A B A B …, each ratio the
median of the pairs' ratios):

- `kpsy letters --format docx` (one letter for each unit) beside pandoc converting the same
  letters' Markdown at once, on the bundled plan and one 10 times its size;
- `kpsy render document -f docx` beside pandoc converting the same Markdown;
- `kpsy import` of the plan's text (`kpsy export text`) beside a cold `kpsy validate` of the plan;
- pandoc as kpsy runs it (with a smaller heap hint, `kpsy.documents.pandoc.RTS_OPTIONS`) beside
  pandoc as anyone runs it, on the document's Markdown: how much of kpsy's lead is that hint.

The floor is always pandoc as anyone runs it.

    python benchmarks/floors.py [--runs 5] [--sizes 1,10] [--jobs letters,render,import,pandoc]

Targets: letters <= 2.5x pandoc, render <= 2x pandoc, import of the 10x text <= 4x a cold
validate. Start-up (against `python -c "import typer"`) is benchmarks/startup.py.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import kpsy, paired, ratio_line
from synthetic import build

LETTER_DATE = "2023-04-20"
TARGETS = {"letters": 2.5, "render": 2.0, "import": 4.0}
JOBS = [*TARGETS, "pandoc"]


def letters_markdown(plan: Path) -> str:
    """The Markdown that `kpsy letters` gives pandoc: every letter, joined as kpsy joins them."""
    from kpsy.api import open_plan
    from kpsy.documents.context import document_context, plan_context
    from kpsy.documents.templates import render_markdown
    from kpsy.documents.word import joined
    from kpsy.plan.model import OVERSIGHT_KINDS
    from kpsy.queries.tasks import tasks
    from kpsy.util import xml_safe

    data = open_plan(plan).data
    shared = plan_context(data, date=dt.date.fromisoformat(LETTER_DATE))
    units = [u for u in data.units if u.kind not in OVERSIGHT_KINDS and tasks(data, u)]
    letters = [
        render_markdown("letter", document_context(data, shared, u, document="letter", offset=i))
        for i, u in enumerate(units)
    ]
    return xml_safe(joined(letters))


def pandoc(markdown: Path, out: Path, *, as_kpsy: bool = False) -> list[str]:
    """pandoc converting `markdown` as anyone would run it (the floor), or `as_kpsy` runs it."""
    from kpsy.documents.pandoc import PANDOC_FROM, pandoc_command, pandoc_path
    from kpsy.documents.templates import reference_docx

    reference = str(reference_docx())
    return [
        *(pandoc_command() if as_kpsy else [pandoc_path()]),
        "--from",
        PANDOC_FROM,
        "--to",
        "docx",
        "--reference-doc",
        reference,
        "-o",
        str(out),
        str(markdown),
    ]


def inputs(tmp: Path, factor: int, env: dict[str, str]) -> tuple[Path, Path, Path, Path]:
    """The plan `factor` times the bundled one; its letters' Markdown, its document's Markdown and its text."""
    plan = build(factor, tmp / f"x{factor}")
    letters = tmp / f"letters-x{factor}.md"
    letters.write_text(letters_markdown(plan), encoding="utf-8")
    document, text = tmp / f"document-x{factor}.md", tmp / f"plan-x{factor}.txt"
    for path, args in ((document, ["render", "document", "-f", "md"]), (text, ["export", "text"])):
        done = subprocess.run([*kpsy(), *args, "--plan", str(plan)], env=env, capture_output=True, check=True)
        path.write_bytes(done.stdout)
    return plan, letters, document, text


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--sizes", default="1,10", help="plan sizes, as multiples of the bundled plan")
    parser.add_argument("--jobs", default=",".join(JOBS), help="which of letters, render, import, pandoc to measure")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        warm = {**os.environ, "KPSY_CACHE_DIR": str(tmp / "cache")}
        warm.pop("KPSY_NO_CACHE", None)
        cold = {**warm, "KPSY_NO_CACHE": "1"}
        print(f"{args.runs} pairs each, {os.cpu_count()} cores; ratio: median of the pairs' ratios")
        for factor in (int(n) for n in args.sizes.split(",")):
            plan, letters, document, text = inputs(tmp, factor, warm)
            where = ["--plan", str(plan)]
            rows = [
                (
                    "letters",
                    f"kpsy letters (docx), {factor}x",
                    "pandoc, the letters at once",
                    warm,
                    [*kpsy(), "letters", "--out", str(tmp / "out"), "--force", "--date", LETTER_DATE, *where],
                    pandoc(letters, tmp / "letters.docx"),
                ),
                (
                    "render",
                    f"kpsy render document -f docx, {factor}x",
                    "pandoc, the same Markdown",
                    warm,
                    [*kpsy(), "render", "document", "-o", str(tmp / "document.docx"), *where],
                    pandoc(document, tmp / "pandoc.docx"),
                ),
                (
                    "pandoc",
                    f"pandoc as kpsy runs it, {factor}x",
                    "pandoc, the same Markdown",
                    warm,
                    pandoc(document, tmp / "tuned.docx", as_kpsy=True),
                    pandoc(document, tmp / "pandoc.docx"),
                ),
                (
                    "import",
                    f"kpsy import (the text), {factor}x",
                    "kpsy validate (cold)",
                    cold,
                    [*kpsy(), "import", str(text), "--force", "--out", str(tmp / "imported")],
                    [*kpsy(), "validate", *where],
                ),
            ]
            for job, name, floor, env, a, b in (row for row in rows if row[0] in args.jobs.split(",")):
                target = TARGETS.get(job) if job != "import" or factor == 10 else None
                print(ratio_line(name, floor, paired(a, b, args.runs, env), target), flush=True)


if __name__ == "__main__":
    main()

"""Documents: Jinja templates render Markdown (`templates`, with what they see in `context`); pandoc
and python-docx make the GB/T 9704 .docx (`word`, `reference`); `letters` writes one letter per unit.

`DOCUMENT_FORMATS` is the registry of the forms a rendered document takes.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import field
from pathlib import Path
from typing import TYPE_CHECKING

from kpsy.i18n import both
from kpsy.light import light
from kpsy.outputs.formats import Family, Format, Sink

if TYPE_CHECKING:
    from kpsy.findings import Problem
    from kpsy.plan.outline import PlanData

# Documents laid out on landscape pages in .docx.
LANDSCAPE = frozenset({"table", "comparison"})
# What `kpsy render` offers; the comparison table is made by `kpsy diff`. The last two report on a
# period's progress (--period).
PLAN_DOCUMENTS = ("document", "summary", "table", "letter", "bulletin", "review")
# Those that report on a period's progress (kpsy render NAME --period P; made by
# kpsy.documents.progress, which is loaded only for them).
PROGRESS_DOCUMENTS = ("bulletin", "review")
# What `kpsy letters` writes for each unit: --format name -> file extensions.
LETTER_FORMATS: dict[str, tuple[str, ...]] = {"md": ("md",), "docx": ("docx",), "both": ("md", "docx")}


@light
class Rendered:
    """A document rendered to Markdown, and how to lay it out: `keep` are the words no line of its
    tables may break (the units' names), `problems` what it lacks (an issuer record: warnings)."""

    markdown: str
    landscape: bool = False
    templates: Path | None = None
    keep: frozenset[str] = frozenset()
    problems: list[Problem] = field(default_factory=list)


def unit_words(plans: Iterable[PlanData]) -> frozenset[str]:
    """Every name of every unit of `plans` (short, full, aliases): what a table never breaks."""
    words: set[str] = set()
    for plan in plans:
        for unit in plan.units:
            words.update(unit.names)
    return frozenset(words)


def _write_docx(document: Rendered, sink: Sink) -> None:
    from kpsy.documents.word import to_docx

    sink.write(
        to_docx([document.markdown], landscape=document.landscape, override=document.templates, keep=document.keep)[0]
    )


DOCUMENT_FORMATS: Family[Rendered] = Family(
    "document",
    Format(
        "md",
        both(
            "Markdown (pandoc's dialect, with the layout's custom styles)",
            "Markdown（pandoc 方言，带版式的自定义样式）",
        ),
        lambda d, sink: sink.write(d.markdown),
    ),
    Format(
        "docx",
        both("Word, in the GB/T 9704 layout (needs -o)", "Word 文档，GB/T 9704 版式（需 -o）"),
        _write_docx,
        needs_file=True,
    ),
)

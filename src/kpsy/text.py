"""The plan as the document's text: one paragraph per line, numbering derived from order.

`paragraphs()` is the single place where the data turns back into the document's words; the
text export, the fidelity check and the renderers all start from it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from kpsy.model import (
    Chapter,
    Origin,
    Plan,
    Responsibility,
    chapter_number,
    chinese_date,
    heading,
    part_number,
    task_number,
)


@dataclass(frozen=True, slots=True)
class Paragraph:
    text: str
    origin: Origin
    kind: str  # notice, title, preamble, part, chapter, paragraph, task, responsibility, imprint, ...


def responsibility_line(resp: Responsibility) -> str:
    """「（责任分工：由A、B牵头，C、D等单位参加）」."""
    line = "（责任分工：由" + "、".join(resp.leads) + "牵头"
    if resp.participants:
        line += "，" + "、".join(resp.participants) + ("等单位参加" if resp.etc else "参加")
    return line + "）"


def imprint_line(plan: Plan) -> str:
    imprint = plan.document.imprint
    return f"{imprint.issuer} {chinese_date(imprint.date)}印发"


def chapter_paragraphs(chapter: Chapter, index: int, file: str) -> Iterator[Paragraph]:
    yield Paragraph(heading(chapter_number(index), chapter.title, chapter.body), Origin(file, ("title",)), "chapter")
    for i, text in enumerate(chapter.paragraphs):
        yield Paragraph(text, Origin(file, ("paragraphs", i)), "paragraph")
    for i, task in enumerate(chapter.tasks):
        yield Paragraph(heading(task_number(i), task.title, task.body), Origin(file, ("tasks", i)), "task")
    if chapter.responsibility is not None:
        yield Paragraph(
            responsibility_line(chapter.responsibility), Origin(file, ("responsibility",)), "responsibility"
        )


def paragraphs(plan: Plan) -> Iterator[Paragraph]:
    """Every paragraph of the document, in order, each with where its words are kept."""
    doc = plan.document
    file = plan.file_of("document")
    notice = doc.notice
    yield Paragraph(notice.issuer, Origin(file, ("notice", "issuer")), "notice-issuer")
    yield Paragraph(notice.title, Origin(file, ("notice", "title")), "notice-title")
    yield Paragraph("，".join(notice.addressees) + "：", Origin(file, ("notice", "addressees")), "addressees")
    for i, text in enumerate(notice.body):
        yield Paragraph(text, Origin(file, ("notice", "body", i)), "notice-body")
    yield Paragraph(notice.signature, Origin(file, ("notice", "signature")), "signature")
    yield Paragraph(chinese_date(notice.date), Origin(file, ("notice", "date")), "date")
    yield Paragraph(doc.plan.title, Origin(file, ("plan", "title")), "title")
    for i, text in enumerate(doc.plan.preamble):
        yield Paragraph(text, Origin(file, ("plan", "preamble", i)), "preamble")
    for pi, part in enumerate(plan.parts):
        part_file = plan.file_of(f"parts/{part.id}")
        yield Paragraph(part_number(pi) + part.title, Origin(part_file, ("title",)), "part")
        for i, text in enumerate(part.intro):
            yield Paragraph(text, Origin(part_file, ("intro", i)), "intro")
        for ci, chapter_id in enumerate(part.chapters):
            yield from chapter_paragraphs(plan.chapters[chapter_id], ci, plan.file_of(f"chapters/{chapter_id}"))
    yield Paragraph(imprint_line(plan), Origin(file, ("imprint",)), "imprint")


def item_text(plan: Plan, ident: str) -> str | None:
    """All the words of one part, chapter or task (as paragraphs joined by newlines)."""
    for pi, part in enumerate(plan.parts):
        if part.id == ident:
            lines = [part_number(pi) + part.title, *part.intro]
            for ci, cid in enumerate(part.chapters):
                lines += [p.text for p in chapter_paragraphs(plan.chapters[cid], ci, "")]
            return "\n".join(lines)
    for _, _, ci, chapter in plan.iter_chapters():
        if chapter.id == ident:
            return "\n".join(p.text for p in chapter_paragraphs(chapter, ci, ""))
    for ref in plan.iter_tasks():
        if ref.task.id == ident:
            return heading(task_number(ref.task_index), ref.task.title, ref.task.body)
    return None


# --- comparing with the original -------------------------------------------------------------

# The page-number residue of a converted document: "(— 19 —)", possibly spread over lines.
_PAGE_NUMBER = re.compile(r"(?m)^\s*\(?\s*[—–-]\s*\d+\s*[—–-]\s*\)?[ \t]*$")
_SPACE = re.compile(r"\s+")


def normalise(line: str) -> str:
    """A paragraph without layout white space: trimmed, inner runs folded to one space."""
    return _SPACE.sub(" ", line.strip())


def source_paragraphs(text: str) -> list[tuple[int, str]]:
    """The original's paragraphs as (line number, normalised text); blank lines and page numbers dropped."""
    text = text.replace("\r\n", "\n").lstrip("\ufeff")
    # Blank out page-number residue but keep its newlines, so line numbers stay true.
    text = _PAGE_NUMBER.sub(lambda m: "\n" * m.group().count("\n"), text)
    return [(n, normalise(line)) for n, line in enumerate(text.split("\n"), 1) if line.strip()]


@dataclass(frozen=True, slots=True)
class Difference:
    index: int  # 0-based paragraph index
    source_line: int  # 0 when the original has no such paragraph
    expected: str | None  # the original's paragraph
    actual: Paragraph | None  # the plan's paragraph


def first_difference(plan: Plan, source_text: str) -> Difference | None:
    """The first paragraph where the plan's text and the original differ, or None."""
    ours = list(paragraphs(plan))
    theirs = source_paragraphs(source_text)
    for i in range(max(len(ours), len(theirs))):
        mine = ours[i] if i < len(ours) else None
        line, text = theirs[i] if i < len(theirs) else (0, None)
        if mine is None or text is None or normalise(mine.text) != text:
            return Difference(i, line, text, mine)
    return None


def excerpt_at_difference(a: str, b: str, width: int = 12) -> tuple[str, str]:
    """Short excerpts of `a` and `b` around the first character where they differ."""
    i = next((k for k, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))
    start = max(0, i - width)

    def cut(s: str) -> str:
        return ("…" if start else "") + s[start : i + width] + ("…" if len(s) > i + width else "")

    return cut(a), cut(b)

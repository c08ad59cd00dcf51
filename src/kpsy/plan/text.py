"""The plan as the document's words: every paragraph, numbered from order.

This is the one place where the data turns back into the document's text. The text export, the
fidelity check, the official document's template, `kpsy show`, where-references and revisions all
take their words from here, so what they print is what the document says.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from kpsy.light import lazy_re, light
from kpsy.plan.model import Responsibility
from kpsy.plan.numbering import chinese_date
from kpsy.plan.outline import ChapterRef, Origin, PartRef, PlanData, Ref, TaskRef


@light(hashable=True)
class Paragraph:
    """One paragraph of the document.

    `head` is the paragraph's opening that the document sets apart (a part or chapter heading, a
    task's number and title sentence): `text` always starts with it. `ref` is the id of the part,
    chapter or task the paragraph belongs to ("" for the notice, title, preamble and 版记).
    """

    text: str
    origin: Origin
    kind: str  # notice-issuer, notice-number, notice-title, addressees, notice-body, signature, date, title, preamble,
    #            part, intro, chapter, paragraph, task, task-paragraph, item, responsibility, imprint
    ref: str = ""
    head: str = ""

    @property
    def tail(self) -> str:
        """What follows the head."""
        return self.text[len(self.head) :]


def responsibility_line(resp: Responsibility) -> str:
    """The responsibility as the document words it, units in the line's own order: by default
    「（责任分工：由A、B牵头，C、D等单位参加）」, else in the line's own form (paragraphs joined by a
    line break)."""
    if resp.form is not None:
        return render_form(resp.form, resp)
    written = resp.written
    line = "（责任分工：由" + "、".join(written.get(n, n) for n in resp.leads) + "牵头"
    if resp.participants:
        line += "，" + "、".join(written.get(n, n) for n in resp.participants) + ("等单位参加" if resp.etc else "参加")
    return line + "）"


# {leads}, {participants/，}, {leads/、/和}, {etc}, {collective}
FORM_SLOT = lazy_re(r"\{(leads|participants)(?:/([^/{}]+))?(?:/([^/{}]+))?\}|\{(etc|collective)\}")


def join_units(names: list[str], sep: str = "、", last: str | None = None) -> str:
    """Unit names joined as a list in the document: A、B、C, or A、B和C with a last joiner."""
    if last is None or len(names) < 2:
        return sep.join(names)
    return sep.join(names[:-1]) + last + names[-1]


def render_form(form: str, resp: Responsibility) -> str:
    """A responsibility form (see `Responsibility.form`) filled in with the line's units."""

    def fill(m: re.Match[str]) -> str:
        if m.group(4) == "etc":
            return "等" if resp.etc else ""
        if m.group(4) == "collective":
            return resp.collective or ""
        names = resp.leads if m.group(1) == "leads" else resp.participants
        return join_units([resp.written.get(n, n) for n in names], m.group(2) or "、", m.group(3))

    return FORM_SLOT().sub(fill, form)


def imprint_line(plan: PlanData) -> str:
    imprint = plan.document.imprint
    if imprint is None:
        return ""
    return f"{imprint.issuer} {chinese_date(imprint.date)}印发"


def _headed(number: str, title: str, body: str | None) -> tuple[str, str]:
    """(text, head) of a numbered paragraph: the title sentence, then the body after 「。」."""
    if body:
        head = f"{number}{title}。"
        return head + body, head
    text = f"{number}{title}"
    return text, text


def _with_responsibility(
    paragraphs: list[Paragraph], resp: Responsibility | None, origin: Origin, ref: str, *, before: bool
) -> list[Paragraph]:
    """`paragraphs` followed by the responsibility's words when they stand here (`before` the item's
    tasks or sub-items, or after everything): appended to the last paragraph when the document writes
    them inline, else as paragraphs of their own; nothing when they are not in the text."""
    if resp is None or not resp.in_text or (resp.placement in ("before", "inline")) != before:
        return paragraphs
    words = responsibility_line(resp)
    if resp.placement in ("inline", "closing") and paragraphs:
        last = paragraphs[-1]
        return [*paragraphs[:-1], Paragraph(last.text + words, last.origin, last.kind, last.ref, last.head)]
    return [*paragraphs, *(Paragraph(line, origin, "responsibility", ref) for line in words.split("\n"))]


def task_paragraphs(task: TaskRef) -> list[Paragraph]:
    """A task: its numbered paragraph, its further paragraphs and sub-items, and its own responsibility."""
    data = task.task
    at = ("tasks", task.index)
    text, head = _headed(task.short_number, data.title, data.body)
    out = [Paragraph(text, Origin(task.file, at), "task", task.id, head)]
    for i, paragraph in enumerate(data.paragraphs):
        out.append(Paragraph(paragraph, Origin(task.file, (*at, "paragraphs", i)), "task-paragraph", task.id))
    where = Origin(task.file, (*at, "responsibility"))
    out = _with_responsibility(out, data.responsibility, where, task.id, before=True)
    for i, item in enumerate(data.items):
        text, head = _headed(task.item_number(i), item.title, item.body)
        out.append(Paragraph(text, Origin(task.file, (*at, "items", i)), "item", task.id, head))
        for k, paragraph in enumerate(item.paragraphs):
            where = Origin(task.file, (*at, "items", i, "paragraphs", k))
            out.append(Paragraph(paragraph, where, "task-paragraph", task.id))
    return _with_responsibility(out, data.responsibility, where, task.id, before=False)


def task_paragraph(task: TaskRef) -> Paragraph:
    """A task's numbered paragraph."""
    return task_paragraphs(task)[0]


def chapter_paragraphs(chapter: ChapterRef) -> Iterator[Paragraph]:
    """A chapter: its heading (with its body), further paragraphs, tasks and responsibility line."""
    data = chapter.chapter
    text, head = _headed(chapter.short_number, data.title, data.body)
    out = [Paragraph(text, Origin(chapter.file, ("title",)), "chapter", chapter.id, head)]
    for i, paragraph in enumerate(data.paragraphs):
        out.append(Paragraph(paragraph, Origin(chapter.file, ("paragraphs", i)), "paragraph", chapter.id))
    where = Origin(chapter.file, ("responsibility",))
    out = _with_responsibility(out, data.responsibility, where, chapter.id, before=True)
    for task in chapter.tasks:
        out += task_paragraphs(task)
    yield from _with_responsibility(out, data.responsibility, where, chapter.id, before=False)


def part_paragraphs(part: PartRef) -> Iterator[Paragraph]:
    """A part: its heading (with its body), its introduction and its chapters."""
    text, head = _headed(part.number, part.title, part.part.body)
    yield Paragraph(text, Origin(part.file, ("title",)), "part", part.id, head)
    for i, paragraph in enumerate(part.part.intro):
        yield Paragraph(paragraph, Origin(part.file, ("intro", i)), "intro", part.id)
    for chapter in part.chapters:
        yield from chapter_paragraphs(chapter)


def paragraphs_of(ref: Ref) -> list[Paragraph]:
    """The paragraphs of one part, chapter or task."""
    if isinstance(ref, PartRef):
        return list(part_paragraphs(ref))
    if isinstance(ref, ChapterRef):
        return list(chapter_paragraphs(ref))
    return task_paragraphs(ref)


def text_of(ref: Ref) -> str:
    """All the words of one part, chapter or task, as paragraphs joined by newlines."""
    return "\n".join(p.text for p in paragraphs_of(ref))


def body_of(ref: Ref) -> str:
    """An item's own words after its heading, without those of the items inside it: a part's
    introduction, a chapter's body and further paragraphs, a task's body."""
    if isinstance(ref, TaskRef):
        own = task_paragraphs(ref)
        return "\n".join([own[0].tail, *(p.text for p in own[1:] if p.kind != "responsibility")])
    own = paragraphs_of(ref) if isinstance(ref, PartRef) else list(chapter_paragraphs(ref))
    heading, rest = own[0], own[1:]
    mine = [p.text for p in rest if p.ref == ref.id and p.kind in ("intro", "paragraph")]
    return "\n".join([heading.tail, *mine] if heading.tail else mine)


def front_paragraphs(plan: PlanData) -> Iterator[Paragraph]:
    """The notice, the plan's title and its preamble."""
    doc = plan.document
    file = plan.file_of("document")
    notice = doc.notice
    if notice is not None:
        if notice.issuer:
            yield Paragraph(notice.issuer, Origin(file, ("notice", "issuer")), "notice-issuer")
        if notice.number:
            yield Paragraph(notice.number, Origin(file, ("notice", "number")), "notice-number")
        yield Paragraph(notice.title, Origin(file, ("notice", "title")), "notice-title")
        if notice.addressees:
            yield Paragraph("，".join(notice.addressees) + "：", Origin(file, ("notice", "addressees")), "addressees")
        for i, text in enumerate(notice.body):
            yield Paragraph(text, Origin(file, ("notice", "body", i)), "notice-body")
        if notice.signature:
            yield Paragraph(notice.signature, Origin(file, ("notice", "signature")), "signature")
        if notice.date:
            yield Paragraph(chinese_date(notice.date), Origin(file, ("notice", "date")), "date")
    yield Paragraph(doc.plan.title, Origin(file, ("plan", "title")), "title")
    for i, text in enumerate(doc.plan.preamble):
        yield Paragraph(text, Origin(file, ("plan", "preamble", i)), "preamble")


def paragraphs(plan: PlanData) -> Iterator[Paragraph]:
    """Every paragraph of the document, in order, each with where its words are kept."""
    yield from front_paragraphs(plan)
    for part in plan.parts:
        yield from part_paragraphs(part)
    if plan.document.imprint is not None:
        yield Paragraph(imprint_line(plan), Origin(plan.file_of("document"), ("imprint",)), "imprint")


# --- comparing with the original -------------------------------------------------------------

# The page-number residue of a converted document: "(— 19 —)", possibly spread over lines.
_PAGE_NUMBER = lazy_re(r"(?m)^\s*\(?\s*[—–-]\s*\d+\s*[—–-]\s*\)?[ \t]*$")
_SPACE = lazy_re(r"\s+")


def normalise(line: str) -> str:
    """A paragraph without layout white space: trimmed, inner runs folded to one space."""
    return _SPACE().sub(" ", line.strip())


def source_paragraphs(text: str) -> list[tuple[int, str]]:
    """The original's paragraphs as (line number, normalised text); blank lines and page numbers dropped."""
    text = text.replace("\r\n", "\n").lstrip("\ufeff")
    # Blank out page-number residue but keep its newlines, so line numbers stay true.
    text = _PAGE_NUMBER().sub(lambda m: "\n" * m.group().count("\n"), text)
    return [(n, normalise(line)) for n, line in enumerate(text.split("\n"), 1) if line.strip()]


@light(hashable=True)
class Difference:
    index: int  # 0-based paragraph index
    source_line: int  # 0 when the original has no such paragraph
    expected: str | None  # the original's paragraph
    actual: Paragraph | None  # the plan's paragraph


def first_difference(plan: PlanData, source_text: str) -> Difference | None:
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

"""The redline (修订稿): the whole document as NEW has it, in the GB/T 9704 layout, with every change
from OLD as a Word tracked change (w:ins / w:del, with author and date), so that the office accepts
or rejects each change in Word or WPS. Accepting every change gives NEW's text, rejecting every
change gives OLD's, paragraph for paragraph.

The two documents' paragraphs (from `kpsy.plan.text`) are paired: first those that are the same
item's and read the same, then, where they differ, those of the same item and kind, in order; a
paragraph without a partner is inserted or deleted whole. Paired paragraphs that differ get a
word-by-word diff (`kpsy.revisions.tokens`: a renamed unit's old name replaced by its new one where
it stands). The pairs become the `document` template's paragraphs, their words marked with
pandoc's insertion and deletion spans, and pandoc makes the tracked changes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from difflib import SequenceMatcher
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kpsy.light import light
from kpsy.plan.outline import PlanData
from kpsy.plan.text import Paragraph
from kpsy.revisions.items import keyed_paragraphs
from kpsy.revisions.tokens import text_ops
from kpsy.util import md_escape

if TYPE_CHECKING:
    from kpsy.revisions.change import DiffResult

Pair = tuple[Paragraph | None, Paragraph | None]


def align(old: list[tuple[str, Paragraph]], new: list[tuple[str, Paragraph]]) -> list[Pair]:
    """The paragraphs of two documents paired in document order; (p, None) is deleted, (None, p) inserted."""
    pairs: list[Pair] = []
    first = SequenceMatcher(None, [(k, p.text) for k, p in old], [(k, p.text) for k, p in new], autojunk=False)
    for tag, i1, i2, j1, j2 in first.get_opcodes():
        if tag == "equal":
            pairs += [(old[i][1], new[j][1]) for i, j in zip(range(i1, i2), range(j1, j2), strict=True)]
            continue
        a, b = old[i1:i2], new[j1:j2]
        second = SequenceMatcher(None, [(k, p.kind) for k, p in a], [(k, p.kind) for k, p in b], autojunk=False)
        for tag2, x1, x2, y1, y2 in second.get_opcodes():
            if tag2 == "equal":
                pairs += [(a[x][1], b[y][1]) for x, y in zip(range(x1, x2), range(y1, y2), strict=True)]
            else:
                pairs += [(p, None) for _, p in a[x1:x2]]
                pairs += [(None, p) for _, p in b[y1:y2]]
    return pairs


@light
class Marks:
    """How a tracked change is written in pandoc's Markdown."""

    author: str
    date: str

    def span(self, op: int, text: str) -> str:
        escaped = md_escape(text)
        if op == 0 or not text:
            return escaped
        kind = "insertion" if op > 0 else "deletion"
        return f'[{escaped}]{{.{kind} author="{self.author}" date="{self.date}"}}'


@light
class RedParagraph:
    """A paragraph of the redline, as the document template reads it: Markdown already escaped."""

    kind: str
    text: Any
    head: Any
    tail: Any


def _segments(
    old: Paragraph | None, new: Paragraph | None, names: list[str], same: dict[str, str] | None = None
) -> list[tuple[int, str, bool]]:
    """(op, text, in the head) for the paragraph's words: kept, deleted, inserted, word by word (a
    unit's name whole)."""
    a, b = old.text if old else "", new.text if new else ""
    ops = text_ops(a, b, names, same)
    head_old, head_new = len(old.head) if old else 0, len(new.head) if new else 0
    at_old = at_new = 0
    out: list[tuple[int, str, bool]] = []
    for op, text in ops:
        while text:
            if op < 0:
                in_head = at_old < head_old
                piece = text[: head_old - at_old] if in_head else text
                at_old += len(piece)
            else:
                in_head = at_new < head_new
                piece = text[: head_new - at_new] if in_head else text
                at_new += len(piece)
                if op == 0:
                    at_old += len(piece)
            out.append((op, piece, in_head))
            text = text[len(piece) :]
    return out


def red_paragraph(
    old: Paragraph | None,
    new: Paragraph | None,
    marks: Marks,
    names: Sequence[str] = (),
    same: dict[str, str] | None = None,
) -> RedParagraph:
    from markupsafe import Markup

    chosen = new if new is not None else old
    assert chosen is not None
    if old is not None and new is not None and old.text == new.text:
        return RedParagraph(
            new.kind, Markup(md_escape(new.text)), Markup(md_escape(new.head)), Markup(md_escape(new.tail))
        )
    segments = _segments(old, new, list(names), same)
    cut = 0
    while cut < len(segments) and segments[cut][2]:
        cut += 1
    head = "".join(marks.span(op, text) for op, text, _ in segments[:cut])
    tail = "".join(marks.span(op, text) for op, text, _ in segments[cut:])
    return RedParagraph(chosen.kind, Markup(head + tail), Markup(head), Markup(tail))


def default_author(plan: PlanData) -> str:
    """Who the changes are by: the office that sends the letters, else the issuer of the notice."""
    letter = plan.settings.letter
    notice = plan.document.notice
    imprint = plan.document.imprint
    for name in (
        letter.sender if letter else None,
        notice.signature if notice else None,
        notice.issuer if notice else None,
        imprint.issuer if imprint else None,
    ):
        if name:
            return name
    return "kpsy"


def _attribute(text: str) -> str:
    """A value safe inside a Markdown attribute in double quotes."""
    return "".join(c for c in text if c not in '"\\{}[]\n\r\t')[:200] or "kpsy"


def when(date: dt.date | dt.datetime | str | None) -> str:
    """A tracked change's date as Word writes it: 2024-05-01T00:00:00Z."""
    if isinstance(date, str):
        return date
    if isinstance(date, dt.datetime):
        return date.astimezone(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    if isinstance(date, dt.date):
        return f"{date.isoformat()}T00:00:00Z"
    return dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def redline_markdown(
    result: DiffResult, author: str, date: str, templates: Path | None = None, *, draft: bool = False
) -> str:
    """The whole document as Markdown, through the `document` template, with tracked changes (marked
    「征求意见稿」 with `draft`)."""
    from kpsy.documents.templates import render_markdown

    assert result.old_plan is not None and result.new_plan is not None
    marks = Marks(_attribute(author), date)
    pairs = align(keyed_paragraphs(result.old_plan), keyed_paragraphs(result.new_plan))
    body = [red_paragraph(a, b, marks, result.terms, result.same) for a, b in pairs]
    return render_markdown("document", {"body": body, "draft": draft}, templates)


def redline_docx(
    result: DiffResult,
    templates: Path | None = None,
    *,
    author: str | None = None,
    date: dt.date | dt.datetime | str | None = None,
    draft: bool = False,
) -> bytes:
    """The redline as .docx: GB/T 9704 layout, Word tracked changes, 「征求意见稿」 with `draft`."""
    from kpsy.documents.word import to_docx

    assert result.new_plan is not None
    chosen_author = _attribute(author or default_author(result.new_plan))
    stamp = when(date)
    markdown = redline_markdown(result, chosen_author, stamp, templates, draft=draft)
    return to_docx([markdown], override=templates, tracked=(chosen_author, stamp))[0]

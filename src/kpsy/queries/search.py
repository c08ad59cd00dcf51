"""Where the plan speaks of something: every paragraph of the document searched for words or a
regular expression, each hit with its item's number and title and the words around it.

The paragraphs are those `kpsy.plan.text` produces (the notice, the title and preamble, every part,
chapter and task with its responsibility lines, the 版记), so a hit is in the document's words.
Words are matched with full-width and half-width characters alike and letters in either case
(ＡＩ finds AI); a regular expression (`regex=True`) is matched against the text as written.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import field
from typing import Any

from kpsy.errors import UsageError
from kpsy.i18n import msg
from kpsy.light import light, shallow
from kpsy.plan.model import Unit
from kpsy.plan.outline import PlanData, Ref
from kpsy.plan.text import Paragraph, paragraphs
from kpsy.queries.tasks import tasks

CONTEXT = 18  # characters shown on each side of a hit


@light
class Hit:
    """One place where the search matched: the item it is in, and the matched words in context.

    `marks` are the (start, end) spans of `context` that match (the hit and any other match
    within the context), for highlighting; `start` and `end` are offsets in the paragraph."""

    id: str  # the part, chapter or task; "" for the notice, title, preamble and 版记
    kind: str  # part, chapter, task, or front (before the first part) and back (the 版记)
    number: str
    title: str
    where: str  # the kind of paragraph: task, responsibility, preamble, …
    paragraph: int  # 1-based, in document order: the line of `kpsy export text`
    file: str
    match: str
    start: int
    end: int
    before: str
    after: str
    context: str
    marks: list[tuple[int, int]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        data = shallow(self)
        data["marks"] = [list(span) for span in self.marks]
        return data


@light
class SearchResult:
    """The hits of one search, in document order."""

    query: str
    regex: bool
    unit: str | None
    hits: list[Hit]

    @property
    def items(self) -> int:
        """How many distinct items (or front-matter paragraphs) the hits are in."""
        return len({(h.id, h.paragraph if not h.id else 0) for h in self.hits})


class _Folding:
    """Width and case folding for a set of texts: each character to its NFKC, lower-case form, with
    a way back from offsets in the folded text to offsets in the original."""

    def __init__(self, texts: list[str]) -> None:
        chars = set("".join(texts))
        self.table = {ord(c): f for c in chars if (f := unicodedata.normalize("NFKC", c).lower()) != c}
        self.expanding = {chr(code) for code, f in self.table.items() if len(f) != 1}

    def spans(self, pattern: re.Pattern[str], text: str) -> list[tuple[int, int]]:
        """The (start, end) offsets in `text` of every non-empty match of `pattern` in its folded form."""
        folded = text.translate(self.table)
        found = [m.span() for m in pattern.finditer(folded) if m.end() > m.start()]
        if not found or self.expanding.isdisjoint(text):
            return found  # every character folded to one: the offsets are the same
        index: list[int] = []
        for i, char in enumerate(text):
            index.extend([i] * len(self.table.get(ord(char), char)))
        index.append(len(text))
        return [(index[start], index[end - 1] + 1) for start, end in found]


def compile_query(query: str, regex: bool) -> re.Pattern[str]:
    """The pattern of a search: `query` as words (matched width- and case-folded) or as a Python
    regular expression. A bad expression or an empty query is a UsageError."""
    if not query.strip():
        raise UsageError(msg("nothing to search for: give some words", "没有要搜索的内容：请给出要搜索的文字"))
    if not regex:
        folded = unicodedata.normalize("NFKC", query.strip()).lower()
        return re.compile(re.escape(folded))
    try:
        return re.compile(query)
    except re.error as exc:
        raise UsageError(
            msg(
                "--regex: “{q}” is not a regular expression: {why}",
                "--regex：“{q}”不是有效的正则表达式：{why}",
                q=query,
                why=exc,
            )
        ) from None


def _front_title(paragraph: Paragraph) -> tuple[str, str]:
    """(kind, title) for a paragraph outside the parts: the notice, the title, the preamble, the 版记."""
    if paragraph.kind == "imprint":
        return "back", msg("imprint", "版记")
    if paragraph.kind == "title":
        return "front", msg("title", "标题")
    if paragraph.kind == "preamble":
        return "front", msg("preamble", "前言")
    return "front", msg("notice", "印发通知")


def _context(
    text: str, start: int, end: int, spans: list[tuple[int, int]]
) -> tuple[str, str, str, list[tuple[int, int]]]:
    """(before, after, context, marks) for the match at start:end of `text`."""
    left = max(0, start - CONTEXT)
    right = min(len(text), end + CONTEXT)
    before = ("…" if left > 0 else "") + text[left:start]
    after = text[end:right] + ("…" if right < len(text) else "")
    context = before + text[start:end] + after
    shift = len(before) - (start - left)
    marks = []
    for s, e in spans:
        s, e = max(s, left), min(e, right)
        if s < e:
            marks.append((s - left + shift, e - left + shift))
    return before, after, context, marks


def search(plan: PlanData, query: str, *, regex: bool = False, unit: Unit | None = None) -> SearchResult:
    """Every place in the document that matches `query`, in document order; with `unit`, only those
    in the actions and tasks the unit works on (the paragraphs of a task it has a role in, and
    those of an action it leads or takes part in)."""
    pattern = compile_query(query, regex)
    allowed: set[str] | None = None
    if unit is not None:
        rows = tasks(plan, unit)
        allowed = {r.task_id for r in rows} | {r.action_id for r in rows if r.role in ("lead", "participant")}
    index: dict[str, Ref] = {}
    hits: list[Hit] = []
    document = list(paragraphs(plan))
    folding = None if regex else _Folding([p.text for p in document])
    for number, paragraph in enumerate(document, 1):
        if allowed is not None and paragraph.ref not in allowed:
            continue
        if folding is None:
            spans = [m.span() for m in pattern.finditer(paragraph.text) if m.end() > m.start()]
        else:
            spans = folding.spans(pattern, paragraph.text)
        if not spans:
            continue
        if paragraph.ref:
            ref = index.get(paragraph.ref) or plan.find(paragraph.ref)
            assert ref is not None
            index[paragraph.ref] = ref
            kind, item_number, title = ref.kind, ref.number, ref.title
        else:
            kind, title = _front_title(paragraph)
            item_number = ""
        for start, end in spans:
            before, after, context, marks = _context(paragraph.text, start, end, spans)
            hits.append(
                Hit(
                    id=paragraph.ref,
                    kind=kind,
                    number=item_number,
                    title=title,
                    where=paragraph.kind,
                    paragraph=number,
                    file=paragraph.origin.file,
                    match=paragraph.text[start:end],
                    start=start,
                    end=end,
                    before=before,
                    after=after,
                    context=context,
                    marks=marks,
                )
            )
    return SearchResult(query, regex, unit.name if unit is not None else None, hits)

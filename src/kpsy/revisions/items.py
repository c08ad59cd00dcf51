"""The document cut into the items a revision is about: the notice's parts, the title, the preamble,
each part, chapter and task, and each chapter's responsibility line, with their exact words.

Every paragraph of the document (as `kpsy.plan.text` gives it) belongs to exactly one item, so an
item's text is exactly what the document says there, and nothing is said twice. Each item knows its
place (parent, position among its siblings, position in the run of numbers it belongs to) and the
units that have a role in it.
"""

from __future__ import annotations

from typing import Any

from kpsy.plan.model import Responsibility
from kpsy.plan.outline import ChapterRef, PartRef, PlanData, TaskRef
from kpsy.plan.text import Paragraph, paragraphs
from kpsy.queries.tasks import units_of

# The front and back matter, by the kind of paragraph: one item each (the notice's body and the
# preamble are one item of several paragraphs).
FRONT = {
    "notice-issuer": "notice.issuer",
    "notice-number": "notice.number",
    "notice-title": "notice.title",
    "addressees": "notice.addressees",
    "notice-body": "notice.body",
    "signature": "notice.signature",
    "date": "notice.date",
    "title": "plan.title",
    "preamble": "plan.preamble",
    "imprint": "imprint",
}
RESPONSIBILITY = "#responsibility"


class Item:
    """One item of the document and its words. (A plain class: a plan has thousands of items.)"""

    __slots__ = (
        "_roles",
        "head",
        "index",
        "key",
        "number",
        "ordinal",
        "paragraphs",
        "parent",
        "position",
        "ref",
        "resp",
        "scope",
        "short",
        "title",
        "type",
        "words",
    )

    def __init__(
        self,
        *,
        key: str,
        type: str,
        ref: str,
        number: str,
        short: str,
        title: str,
        paragraphs: list[str],
        head: str,
        position: int = 0,
        parent: str | None = None,
        index: int = 0,
        scope: str = "",
        ordinal: int = 0,
        resp: Responsibility | None = None,
        words: str = "",
    ) -> None:
        self.key = key  # the id of a part, chapter or task; "<chapter id>#responsibility"; a FRONT key
        self.type = type  # document, part, chapter, task, responsibility
        self.ref = ref  # the id of the part, chapter or task ("" for the front matter)
        self.number = number  # as the document numbers it, whole: 二（一）3． ("" when it has none)
        self.short = short  # the number as printed in the paragraph: 3．
        self.title = title
        self.paragraphs = paragraphs  # exactly as the document words them
        self.head = head  # the opening the document sets apart (number and title sentence)
        self.position = position  # 0-based place in the document
        self.parent = parent  # the part of a chapter, the chapter of a task or of a responsibility line
        self.index = index  # 0-based among its siblings
        self.scope = scope  # the run of numbers it is counted in: its parent, or the whole document
        self.ordinal = ordinal  # 0-based place in that run
        self.resp = resp  # who does it, as far as responsibility says
        self.words = words  # the words in which units are named
        self._roles: dict[str, str] | None = None

    def __repr__(self) -> str:
        return f"Item({self.key}: {self.number}{self.title})"

    @property
    def text(self) -> str:
        return "\n".join(self.paragraphs)

    @property
    def body(self) -> str:
        """Everything after the head: what changes when the item's words change but not its title."""
        first = self.paragraphs[0][len(self.head) :] if self.paragraphs else ""
        return "\n".join([first, *self.paragraphs[1:]])

    @property
    def label(self) -> str:
        """二（一）3．推进高等教育阶段科学教育"""
        return self.number + self.title

    def roles(self, plan: PlanData) -> dict[str, str]:
        """Unit id -> lead, participant or mentioned: the units that have a role in it (`plan` is
        the plan it is an item of)."""
        if self._roles is None:
            self._roles = _roles(plan, self.resp, self.words)
        return self._roles


def _key(paragraph: Paragraph, kinds: dict[str, str]) -> str:
    if not paragraph.ref:
        return FRONT.get(paragraph.kind, paragraph.kind)
    if paragraph.kind == "responsibility" and kinds.get(paragraph.ref) == "chapter":
        return paragraph.ref + RESPONSIBILITY
    return paragraph.ref


def _roles(plan: PlanData, resp: Responsibility | None, text: str) -> dict[str, str]:
    """Unit id -> role: leads and participants of the responsibility (a collective brings in every
    unit it stands for), then the units the text names."""
    roles: dict[str, str] = {}
    leads, participants = units_of(plan, resp)
    for name in participants:
        roles[plan.units.id_of(name)] = "participant"
    for name in leads:
        roles[plan.units.id_of(name)] = "lead"
    for name in plan.units.mentions(text):
        roles.setdefault(plan.units.id_of(name), "mentioned")
    return roles


def _refs(plan: PlanData) -> dict[str, PartRef | ChapterRef | TaskRef]:
    refs: dict[str, PartRef | ChapterRef | TaskRef] = {}
    for part in plan.parts:
        refs[part.id] = part
        for chapter in part.chapters:
            refs[chapter.id] = chapter
            for task in chapter.tasks:
                refs[task.id] = task
    return refs


def keyed_paragraphs(
    plan: PlanData, refs: dict[str, PartRef | ChapterRef | TaskRef] | None = None
) -> list[tuple[str, Paragraph]]:
    """Every paragraph of the document in order, with the key of the item it belongs to."""
    refs = refs if refs is not None else _refs(plan)
    kinds = {ident: ref.kind for ident, ref in refs.items()}
    return [(_key(paragraph, kinds), paragraph) for paragraph in paragraphs(plan)]


def items(plan: PlanData) -> dict[str, Item]:
    """Every item of the document, by key, in document order."""
    refs = _refs(plan)
    groups: dict[str, list[Paragraph]] = {}
    for key, paragraph in keyed_paragraphs(plan, refs):
        groups.setdefault(key, []).append(paragraph)
    numbering = plan.document.plan.numbering
    run_on = set(numbering.run_on) if numbering is not None else set()
    found: dict[str, Item] = {}
    for position, (key, members) in enumerate(groups.items()):
        texts = [p.text for p in members]
        common: dict[str, Any] = {"key": key, "paragraphs": texts, "head": members[0].head, "position": position}
        ref = refs.get(key)
        if key.endswith(RESPONSIBILITY):
            found[key] = _line_item(refs[key.removesuffix(RESPONSIBILITY)], common)
        elif isinstance(ref, PartRef):
            found[key] = _part_item(ref, common)
        elif isinstance(ref, ChapterRef):
            found[key] = _outline_item(ref, common, "chapter" in run_on, "\n".join(texts))
        elif isinstance(ref, TaskRef):
            words = "\n".join(p.text for p in members if p.kind != "responsibility")
            found[key] = _outline_item(ref, common, "task" in run_on, words)
        else:
            title = plan.title if key == "plan.title" else ""
            found[key] = Item(
                **common,
                type="document",
                ref="",
                number="",
                short="",
                title=title,
                scope=f"document:{key}",
                words="\n".join(texts),
            )
    return found


def _line_item(chapter: PartRef | ChapterRef | TaskRef, common: dict[str, Any]) -> Item:
    """A chapter's responsibility line, an item of its own."""
    assert isinstance(chapter, ChapterRef)
    return Item(
        **common,
        type="responsibility",
        ref=chapter.id,
        number=chapter.number,
        short="",
        title=chapter.title,
        parent=chapter.id,
        scope=f"responsibility:{chapter.id}",
        resp=chapter.chapter.responsibility,
    )


def _part_item(ref: PartRef, common: dict[str, Any]) -> Item:
    return Item(
        **common,
        type="part",
        ref=ref.id,
        number=ref.number,
        short=ref.number,
        title=ref.title,
        index=ref.index,
        scope="part:",
        ordinal=ref.index,
        words="\n".join(common["paragraphs"]),
    )


def _outline_item(ref: ChapterRef | TaskRef, common: dict[str, Any], run_on: bool, words: str) -> Item:
    """A chapter or a task, numbered within its parent or through the document (`run_on`)."""
    parent = ref.part.id if isinstance(ref, ChapterRef) else ref.chapter.id
    return Item(
        **common,
        type=ref.kind,
        ref=ref.id,
        number=ref.number,
        short=ref.short_number,
        title=ref.title,
        parent=parent,
        index=ref.index,
        scope=f"{ref.kind}:" if run_on else f"{ref.kind}:{parent}",
        ordinal=ref.ordinal if run_on else ref.index,
        resp=ref.responsibility,
        words=words,
    )


def line_carrier(found: dict[str, Item], owner: str, line: str) -> str | None:
    """The key of the item whose words hold the responsibility line of `owner` (a chapter or a
    task): its own item, the task itself, or the item a line written inline was appended to."""
    if owner + RESPONSIBILITY in found:
        return owner + RESPONSIBILITY
    candidates = [i for i in found.values() if owner in (i.key, i.parent) and i.type in ("chapter", "task")]
    for item in reversed(candidates):
        if line and any(line.split("\n")[0] in p for p in item.paragraphs):
            return item.key
    return owner if owner in found else None

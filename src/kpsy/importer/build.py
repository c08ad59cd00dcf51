"""From a document's shape to the plan's records: parts, chapters, tasks with their responsibility
(a 分工表's rows merged onto the tasks and actions they name), the unit registry, basis documents,
targets and milestones, with stable ASCII ids; numbers the data cannot derive from order kept as
written; and what the import could not stand behind (no title of the plan's own, statements of
responsibility left in the text, no task at all) reported.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from kpsy.i18n import msg
from kpsy.importer import facts
from kpsy.importer import units as names
from kpsy.importer.front import IMPRINT, Problem
from kpsy.importer.outline import MAX_LEVEL, Node, Para, Shape, Statement
from kpsy.importer.read import Table
from kpsy.importer.registry import Naming
from kpsy.importer.resp import Parsed
from kpsy.importer.tables import Row, TableReader
from kpsy.plan.model import (
    Chapter,
    DocumentFile,
    Milestone,
    Numbering,
    Part,
    PlanHeader,
    SubItem,
    Target,
    Task,
    UnitsFile,
)
from kpsy.plan.outline import PlanData, Source

DEFAULT = Numbering()
LEVEL_FIELD = {1: "part", 2: "chapter", 3: "task", 4: "item"}

PART_IDS = (
    ("总体要求", "general"),
    ("指导思想", "guiding-idea"),
    ("总体目标", "goals"),
    ("目标任务", "goals"),
    ("提升行动", "actions"),
    ("重点任务", "tasks"),
    ("主要任务", "tasks"),
    ("重点工程", "projects"),
    ("组织实施", "implementation"),
    ("保障措施", "safeguards"),
    ("工作要求", "requirements"),
    ("实施步骤", "steps"),
    ("进度安排", "schedule"),
    ("总则", "general"),
    ("附则", "final"),
)
CHAPTER_IDS = (
    ("指导思想", "guiding-idea"),
    ("基本原则", "principles"),
    ("工作原则", "principles"),
    ("总体目标", "overall-goal"),
    ("主要目标", "goals"),
    ("工作目标", "goals"),
    ("目标", "goals"),
    ("青少年", "youth"),
    ("农民", "farmers"),
    ("产业工人", "workers"),
    ("老年人", "elderly"),
    ("领导干部", "cadres"),
    ("科技资源科普化", "science-resources"),
    ("科普信息化", "informatization"),
    ("基础设施", "infrastructure"),
    ("基层科普", "grassroots"),
    ("应急科普", "emergency"),
    ("社区", "community"),
    ("国际", "international"),
    ("人才", "workforce"),
    ("队伍", "workforce"),
    ("组织领导", "organisation"),
    ("组织保障", "organisation"),
    ("机制", "mechanisms"),
    ("条件保障", "conditions"),
    ("经费", "funding"),
    ("宣传", "publicity"),
    ("督查", "supervision"),
    ("监测评估", "evaluation"),
    ("进度安排", "schedule"),
    ("实施步骤", "schedule"),
    ("时间安排", "schedule"),
    ("工作步骤", "schedule"),
)


@dataclass
class Built:
    """The plan's records, and what could not be placed or understood."""

    document: DocumentFile
    units: UnitsFile
    parts: list[Part]
    chapters: list[Chapter]
    targets: list[Target]
    milestones: list[Milestone]
    unplaced: list[Problem]
    unparsed: list[Problem]
    counts: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    recognised: set[str] = field(default_factory=set)


Found = tuple[Parsed, str, list[str]]  # a statement kept: parsed, placement, its words


class Builder:
    """The outline's records, each statement of responsibility in its place."""

    def __init__(self, shape: Shape) -> None:
        self.shape = shape
        self.used: set[str] = set()
        self.unplaced = list(shape.unplaced)
        self.unparsed = list(shape.unparsed)
        self.notes: list[str] = list(shape.notes)
        self.numbering = self._numbering()
        self.counts: Counter[str] = Counter()
        self.statements: dict[str, tuple[Parsed, str] | None] = {}  # task or chapter id -> (parsed, placement)
        self.written: list[tuple[Node, Part | Chapter | Task | SubItem]] = []  # each record and its node

    # --- numbering ------------------------------------------------------------------------------

    def _numbering(self) -> Numbering:
        chosen = {LEVEL_FIELD[level]: counter.most_common(1)[0][0] for level, counter in self.shape.patterns.items()}
        run_on = [LEVEL_FIELD[level] for level in sorted(self.shape.run_on) if level in (2, 3)]
        return Numbering(
            part=chosen.get("part", DEFAULT.part),
            chapter=chosen.get("chapter", DEFAULT.chapter),
            task=chosen.get("task", DEFAULT.task),
            item=chosen.get("item", DEFAULT.item),
            run_on=run_on,  # type: ignore[arg-type]
        )

    def _override(self, node: Node) -> str | None:
        usual = getattr(self.numbering, LEVEL_FIELD[node.level])
        return None if node.number.pattern == usual else node.number.pattern

    # --- statements of responsibility ---------------------------------------------------------

    def _place_statements(self, node: Node) -> Found | None:
        """The one statement of responsibility `node` keeps, or None; statements that cannot stand
        where they were found go back into the text, reported."""
        kept: Found | None = None
        for i, para in enumerate(node.own):
            if para.statement is None:
                continue
            if kept is None and i == len(node.own) - 1:
                kept = (para.statement[0], "inline", [para.statement[1]])
            else:
                self._unstate(
                    para, msg("it stands where kpsy cannot keep it apart from the text", "所在位置无法与正文分开保存")
                )
        for st in node.statements:
            placement = _separate_placement(node, st)
            if kept is None and placement is not None:
                kept = (st.parsed, placement, [line.text for line in st.lines])
            else:
                self._back_to_text(st)
        return kept

    def _unstate(self, para: Para, why: str) -> None:
        assert para.statement is not None
        self.unparsed.append(Problem(para.line.where, para.statement[1], why))
        para.text += para.statement[1]
        para.statement = None

    def _back_to_text(self, st: Statement) -> None:
        words = " ".join(line.text for line in st.lines)
        self.unparsed.append(
            Problem(st.lines[0].where, words, msg("a second statement for one item", "同一条目的第二处责任分工"))
        )
        why = msg("a statement kpsy could not keep in its place", "无法保留在原位的责任分工")
        self.unplaced += [Problem(line.where, line.text, why) for line in st.lines]

    # --- the outline --------------------------------------------------------------------------

    def build_outline(self) -> tuple[list[Part], list[Chapter]]:
        parts: list[Part] = []
        chapters: list[Chapter] = []
        for pi, pnode in enumerate(self.shape.parts, 1):
            part, own = self._part(pnode, pi)
            for ci, cnode in enumerate(pnode.children, 1):
                chapter = self._chapter(cnode, part.id, ci)
                chapters.append(chapter)
                own.append(chapter.id)
            parts.append(part)
        return parts, chapters

    def _part(self, node: Node, index: int) -> tuple[Part, list[str]]:
        title, body = split_title(node.own[0].text)
        pid = names.unique(_glossary(PART_IDS, title) or f"part-{index}", self.used)
        for para in node.own:
            if para.statement is not None:
                self._unstate(para, msg("a part holds no responsibility", "“部分”一级不承担责任分工"))
        for st in node.statements:
            self._back_to_text(st)
        chapter_ids: list[str] = []
        part = Part(
            id=pid,
            title=title,
            body=body,
            intro=[p.text for p in node.own[1:]],
            chapters=chapter_ids,
            numbering=self._override(node),
        )
        self.written.append((node, part))
        self.counts["parts"] += 1
        return part, chapter_ids

    def _chapter(self, node: Node, part_id: str, index: int) -> Chapter:
        title, body = split_title(node.own[0].text)
        cid = names.unique(_glossary(CHAPTER_IDS, title) or f"{part_id}-{index}", self.used)
        own = self._place_statements(node)
        tasks: list[tuple[Node, str, Found | None]] = []
        for ti, tnode in enumerate(node.children, 1):
            tid = names.unique(f"{cid}-{ti}", self.used)
            tasks.append((tnode, tid, self._place_statements(tnode)))
        own = _closing(own, tasks)
        chapter = Chapter(
            id=cid,
            title=title,
            body=body,
            paragraphs=[p.text for p in node.own[1:]],
            numbering=self._override(node),
        )
        self.written.append((node, chapter))
        for tnode, tid, resp in tasks:
            self.statements[tid] = (resp[0], resp[1]) if resp else None
            chapter.tasks.append(self._task(tnode, tid))
        self.statements[cid] = (own[0], own[1]) if own else None
        self.counts["chapters"] += 1
        return chapter

    def _task(self, node: Node, tid: str) -> Task:
        title, body = split_title(node.own[0].text)
        task = Task(
            id=tid, title=title, body=body, paragraphs=[p.text for p in node.own[1:]], numbering=self._override(node)
        )
        self.written.append((node, task))
        for inode in node.children:
            for para in inode.own:
                if para.statement is not None:
                    self._unstate(para, msg("a sub-item holds no responsibility of its own", "子项不单独承担责任分工"))
            ititle, ibody = split_title(inode.own[0].text)
            item = SubItem(
                title=ititle, body=ibody, paragraphs=[p.text for p in inode.own[1:]], numbering=self._override(inode)
            )
            task.items.append(item)
            self.written.append((inode, item))
            self.counts["items"] += 1
        self.counts["tasks"] += 1
        return task


def _separate_placement(node: Node, st: Statement) -> str | None:
    """Where a statement in paragraphs of its own stands: after the item's children, before them, or nowhere kpsy can keep."""
    if st.own != len(node.own):
        return None
    if st.lifted:
        return "after" if st.children == len(node.children) else None
    if st.children == len(node.children):
        return "after"
    return "before" if st.children == 0 else None


def _closing(own: Found | None, tasks: list[tuple[Node, str, Found | None]]) -> Found | None:
    """A statement after (or closing) the last task, when no other task has one, is the chapter's."""
    if own is not None or not tasks or tasks[-1][2] is None or any(t[2] is not None for t in tasks[:-1]):
        return own
    last_node, tid, last = tasks[-1]
    assert last is not None
    bare = not last[2][0].startswith(("（", "("))
    if last[1] == "after" or (last[1] == "inline" and bare and not last_node.children):
        tasks[-1] = (last_node, tid, None)
        return (last[0], "after" if last[1] == "after" else "closing", last[2])
    return own


def split_title(text: str) -> tuple[str, str | None]:
    """A numbered paragraph's title sentence and the rest: 「完善机制。县人民政府…」 -> (完善机制, 县人民政府…)."""
    at = text.find("。")
    if at <= 0 or at == len(text) - 1:
        return text, None
    return text[:at], text[at + 1 :]


def _glossary(table: tuple[tuple[str, str], ...], title: str) -> str | None:
    return next((ident for word, ident in table if word in title), None)


def _walk(nodes: list[Node]) -> list[Node]:
    out = []
    for node in nodes:
        out.append(node)
        out += _walk(node.children)
    return out


# --- the whole plan ------------------------------------------------------------------------------


def build(shape: Shape, tables: list[Table]) -> Built:
    """The plan's records from the document's shape and its tables."""
    b = Builder(shape)
    front = shape.front
    assert front.title is not None
    parts, chapters = b.build_outline()
    known = frozenset(n for p in b.statements.values() if p for n in [*p[0].leads, *p[0].participants])
    reader = TableReader(chapters, known | shape_known(shape))
    for table in tables:
        reader.read(table)
    b.unplaced += reader.unplaced
    b.unparsed += reader.unparsed
    naming = _naming(b, shape, reader.rows)
    _assign(b, chapters, reader.rows, naming)
    _kinds(b, parts, chapters)
    registry = naming.registry(b.used)
    b.counts["units"] = len(registry)
    b.counts["tables"] = reader.count
    document = _document(b, shape, parts)
    units = UnitsFile(units=registry, place=naming.place)
    data = _plan_data(document, units, parts, chapters)
    _keep_numbers_as_written(b, data)
    targets, milestones = facts.targets(data, b.used), facts.milestones(data, b.used)
    b.counts.update(targets=len(targets), milestones=len(milestones), basis=len(document.plan.basis))
    _check(b, shape, data)
    recognised = set(shape.recognised) | reader.kinds
    return Built(
        document,
        units,
        parts,
        chapters,
        targets,
        milestones,
        b.unplaced,
        b.unparsed,
        dict(b.counts),
        b.notes,
        recognised,
    )


def shape_known(shape: Shape) -> frozenset[str]:
    from kpsy.importer.outline import known_units

    return known_units(shape.lines)


def _naming(b: Builder, shape: Shape, rows: list[Row]) -> Naming:
    """Every unit named, in the order named, and the lists naming them."""
    order: list[str] = []
    lists: list[list[str]] = []
    parsed_all = [p[0] for p in b.statements.values() if p is not None] + [row.parsed for row in rows]
    for parsed in parsed_all:
        order += parsed.leads + parsed.participants
        lists += [parsed.leads, parsed.participants]
    front = shape.front
    assert front.title is not None
    issuers = list(front.issuers) + [x.text for x in (front.signature,) if x is not None]
    if shape.imprint is not None:
        m = IMPRINT.match(shape.imprint.text)
        issuers.append(m.group("issuer") if m else "")
    place = names.find_place(front.title.text, issuers)
    text = "\n".join([line.text for line in front.preamble] + [p.text for node in _walk(shape.parts) for p in node.own])
    return Naming(order, lists, text, place)


def _assign(b: Builder, chapters: list[Chapter], rows: list[Row], naming: Naming) -> None:
    """Responsibility records onto chapters and tasks: the text's, then the 分工表's."""
    items: dict[str, Chapter | Task] = {c.id: c for c in chapters} | {t.id: t for c in chapters for t in c.tasks}
    lines = 0
    for ident, found in b.statements.items():
        if found is not None:
            items[ident].responsibility = naming.record(*found)
            lines += 1
    merged = 0
    for row in rows:
        item = items[row.ref]
        if item.responsibility is None:
            item.responsibility = naming.record(row.parsed, "after", in_text=False, due=row.due)
            merged += 1
            continue
        theirs = ([naming.short(n) for n in row.parsed.leads], [naming.short(n) for n in row.parsed.participants])
        if theirs != (item.responsibility.leads, item.responsibility.participants):
            b.notes.append(
                msg(
                    "{w}: the 分工表 names other units for {t} than the text; the text's are kept",
                    "{w}：分工表为{t}列出的单位与正文不同，以正文为准",
                    w=row.where,
                    t=item.title,
                )
            )
        if row.due and item.responsibility.due is None:
            item.responsibility.due = row.due
    b.counts["responsibility"] = lines
    b.counts["table rows"] = merged


def _kinds(b: Builder, parts: list[Part], chapters: list[Chapter]) -> None:
    """Parts that assign work: every chapter has a responsibility with a lead, its own or its tasks'."""
    by_id = {c.id: c for c in chapters}
    for part in parts:
        members = [by_id[c] for c in part.chapters]
        if members and all(_leads_of(c) for c in members):
            part.kind = "projects" if "工程" in part.title else "actions"
    b.counts["actions"] = sum(len(p.chapters) for p in parts if p.kind != "text")


def _leads_of(chapter: Chapter) -> bool:
    lines = [chapter.responsibility] if chapter.responsibility else [t.responsibility for t in chapter.tasks]
    return bool(lines) and any(r is not None and (r.leads or r.collective) for r in lines)


def _document(b: Builder, shape: Shape, parts: list[Part]) -> DocumentFile:
    front = shape.front
    assert front.title is not None
    title = front.title.text
    preamble = [line.text for line in front.preamble]
    return DocumentFile(
        notice=facts.notice(front, b.unplaced),
        plan=PlanHeader(
            title=title,
            period=facts.period(title, "\n".join(preamble)),
            preamble=preamble,
            basis=facts.basis(preamble, b.used),
            parts=[p.id for p in parts],
            numbering=None if b.numbering == DEFAULT else b.numbering,
        ),
        imprint=facts.imprint(shape.imprint, b.unplaced),
    )


def _plan_data(document: DocumentFile, units: UnitsFile, parts: list[Part], chapters: list[Chapter]) -> PlanData:
    return PlanData(
        Path("."),
        {
            "document": Source("document", "document.yaml", document),
            "units": Source("units", "units.yaml", units),
            **{f"parts/{p.id}": Source("part", f"parts/{p.id}.yaml", p) for p in parts},
            **{f"chapters/{c.id}": Source("chapter", f"chapters/{c.id}.yaml", c) for c in chapters},
        },
    )


def _derived_numbers(data: PlanData) -> list[str]:
    """Every item's number as the data derives it, in document order (parts, chapters, tasks, sub-items)."""
    out: list[str] = []
    for part in data.parts:
        out.append(part.number)
        for chapter in part.chapters:
            out.append(chapter.short_number)
            for task in chapter.tasks:
                out.append(task.short_number)
                out += [task.item_number(i) for i in range(len(task.task.items))]
    return out


def _keep_numbers_as_written(b: Builder, data: PlanData) -> None:
    """Where the number the data derives from order is not the one the document writes (a 第一节
    that starts again in each 章 while 第X条 runs through), the number as written is kept."""
    for _ in range(3):
        derived = _derived_numbers(data)
        wrong = [
            (node, record) for (node, record), n in zip(b.written, derived, strict=True) if n != _written_number(node)
        ]
        if not wrong:
            return
        for node, record in wrong:
            record.numbering = _written_number(node)
            b.notes.append(
                msg(
                    "{w}: the number {n} does not follow from order; kept as written",
                    "{w}：编号「{n}」不能由顺序推出，按原文保留",
                    w=node.own[0].line.where,
                    n=_written_number(node).strip(),
                )
            )
        data.__dict__.pop("parts", None)
        data.__dict__.pop("_index", None)


def _written_number(node: Node) -> str:
    text = node.own[0].line.text
    return text[: len(text) - len(node.number.rest)]


def _check(b: Builder, shape: Shape, data: PlanData) -> None:
    """What the import cannot stand behind: a title not the plan's own, statements left in the text, no units at all."""
    front = shape.front
    assert front.title is not None
    if front.quoted_title is not None and _bare(front.title.text) != _bare(front.quoted_title):
        why = msg(
            "the notice issues 《{q}》, but this is the plan's title",
            "通知印发的是《{q}》，与方案标题不符",
            q=front.quoted_title,
        )
        b.unplaced.append(Problem(front.title.where, front.title.text, why))
    _statements_left_in_text(b, shape)
    _tasks_without_units(b, data)
    if not any(c.responsibility or any(t.task.responsibility for t in c.tasks) for c in data.iter_chapters()):
        why = msg(
            "no statement of responsibility was found (由…牵头, 牵头单位：…, a 分工表): no task has units;"
            " a 分工表 published as a file of its own is given with --table FILE",
            "没有找到责任分工（由…牵头、牵头单位：…、分工表），所有任务都没有责任单位；"
            "分工表若是单独的附件文件，请用 --table FILE 一并导入",
        )
        b.unparsed.append(Problem(front.title.where, front.title.text, why))


def _tasks_without_units(b: Builder, data: PlanData) -> None:
    """A task of an action that no statement gives units, while others in the plan have theirs."""
    where = {id(record): node.own[0].line for node, record in b.written}
    for chapter in data.actions():
        for task in chapter.tasks:
            resp = task.responsibility
            if resp is None or not (resp.leads or resp.participants or resp.collective):
                line = where[id(task.task)]
                why = msg(
                    "no statement of responsibility gives this task its units",
                    "没有责任分工为该任务确定责任单位",
                )
                b.unparsed.append(Problem(line.where, line.text, why))


_LEFT_IN_TEXT = re.compile(
    r"(?:^|[。；;])\s*((?:本行动|本工程|本项工作)?由[^。；;]{2,80}?牵头[，,][^。；;]{2,120}?(?:参加|参与|配合)|(?:牵头|责任|配合|参与|协办)(?:单位|部门)[：:])"
)


def _statements_left_in_text(b: Builder, shape: Shape) -> None:
    """Statements of responsibility that stayed inside the text: reported, never silently text."""
    reported = {p.where for p in b.unparsed} | shape.covered
    why = msg(
        "it reads as a statement of responsibility but stands inside the text, where kpsy cannot take it apart",
        "看似责任分工，但夹在正文中间，无法拆出",
    )
    for node in _walk(shape.parts):
        for para in node.own:
            m = _LEFT_IN_TEXT.search(para.text)
            if m is not None and para.line.where not in reported:
                b.unparsed.append(Problem(para.line.where, m.group(1), why))


def _bare(text: str) -> str:
    return re.sub(r"[\s《》〈〉<>]", "", text).replace("—", "-").replace("－", "-")


__all__ = ["MAX_LEVEL", "Built", "build", "split_title"]

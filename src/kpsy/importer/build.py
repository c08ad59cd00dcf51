"""From a document's shape to the plan's records: parts, chapters, tasks with their responsibility
(a 任务分工方案 table's rows merged onto the tasks they name), the unit registry, basis documents,
targets and milestones, with stable ASCII ids.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from kpsy.importer import units as names
from kpsy.importer.outline import DATE_LINE, IMPRINT_LINE, Node, Para, Problem, Shape, Statement
from kpsy.importer.read import Table
from kpsy.importer.resp import NotUnderstood, Parsed
from kpsy.plan.model import (
    Basis,
    Chapter,
    DocumentFile,
    Imprint,
    Milestone,
    Notice,
    Numbering,
    Part,
    Period,
    Place,
    PlanHeader,
    Responsibility,
    SourceRef,
    SubItem,
    Target,
    Task,
    Unit,
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
SCHEDULE_TITLES = ("进度安排", "实施步骤", "时间安排", "工作步骤", "时间进度", "进度要求")
COMPARATORS = ("超过", "不低于", "达到", "不少于", "低于", "不高于", "不超过")
_TARGET = re.compile(
    rf"(?P<ind>[\u4e00-\u9fff“”]{{2,40}}?)(?P<cmp>{'|'.join(COMPARATORS)})(?P<val>\d+(?:\.\d+)?)"
    r"(?P<unit>%|％|‰|万人次|人次|万人|个|家|所|座|名|人|项|场|次|支|处|篇|部|件|小时|学时)?"
)
_LEADING = re.compile(r"^(?:(?:我|全|本)[区县市旗州省]|各[区县市]|[区县市]级|城乡)")
_YEAR = re.compile(r"(20\d\d)年")
_SPAN = re.compile(r"(20\d\d)(?:年)?\s*[-—–~至到]\s*(20\d\d)年|(20\d\d)年")


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


class Builder:
    def __init__(self, shape: Shape, tables: list[Table], source_name: str) -> None:
        self.shape = shape
        self.tables = tables
        self.source_name = source_name
        self.used: set[str] = set()
        self.unplaced = list(shape.unplaced)
        self.unparsed = list(shape.unparsed)
        self.notes: list[str] = []
        self.numbering = self._numbering()
        self.counts: Counter[str] = Counter()

    # --- numbering ------------------------------------------------------------------------------

    def _numbering(self) -> Numbering:
        chosen = {}
        for level, counter in self.shape.patterns.items():
            chosen[LEVEL_FIELD[level]] = counter.most_common(1)[0][0]
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

    def _place_statements(self, node: Node) -> tuple[Parsed, str, list[str]] | None:
        """The one statement of responsibility `node` keeps (parsed, placement, its words), or None;
        statements that cannot stand where they were found go back into the text, reported."""
        kept: tuple[Parsed, str, list[str]] | None = None
        inline = [(i, p) for i, p in enumerate(node.own) if p.statement is not None]
        for i, para in inline:
            assert para.statement is not None
            if kept is None and i == len(node.own) - 1:
                kept = (para.statement[0], "inline", [para.statement[1]])
            else:
                self._unstate(para, "it stands where kpsy cannot keep it apart from the text")
        for st in node.statements:
            placement = self._separate_placement(node, st)
            if kept is None and placement is not None:
                kept = (st.parsed, placement, [line.text for line in st.lines])
            else:
                self._back_to_text(node, st)
        return kept

    def _separate_placement(self, node: Node, st: Statement) -> str | None:
        if st.own != len(node.own):
            return None
        if st.lifted:
            return "after" if st.children == len(node.children) else None
        if st.children == len(node.children):
            return "after"
        if st.children == 0:
            return "before"
        return None

    def _unstate(self, para: Para, why: str) -> None:
        assert para.statement is not None
        self.unparsed.append(Problem(para.line.where, para.statement[1], why))
        para.text += para.statement[1]
        para.statement = None

    def _back_to_text(self, node: Node, st: Statement) -> None:
        self.unparsed.append(
            Problem(st.lines[0].where, " ".join(line.text for line in st.lines), "a second statement for one item")
        )
        self.unplaced += [
            Problem(line.where, line.text, "a statement kpsy could not keep in its place") for line in st.lines
        ]

    # --- the outline --------------------------------------------------------------------------

    def build_outline(self) -> tuple[list[Part], list[Chapter], dict[str, tuple[Parsed, str] | None]]:
        parts: list[Part] = []
        chapters: list[Chapter] = []
        statements: dict[str, tuple[Parsed, str] | None] = {}  # task or chapter id -> (parsed, placement)
        for pi, pnode in enumerate(self.shape.parts, 1):
            title, body = split_title(pnode.own[0].text)
            pid = names.unique(_glossary(PART_IDS, title) or f"part-{pi}", self.used)
            if pnode.statements or any(p.statement for p in pnode.own):
                for para in pnode.own:
                    if para.statement is not None:
                        self._unstate(para, "a part holds no responsibility")
                for st in pnode.statements:
                    self._back_to_text(pnode, st)
            chapter_ids = []
            for ci, cnode in enumerate(pnode.children, 1):
                chapter, resp = self._chapter(cnode, pid, ci, statements)
                chapters.append(chapter)
                chapter_ids.append(chapter.id)
                statements[chapter.id] = resp
            parts.append(
                Part(
                    id=pid,
                    title=title,
                    body=body,
                    intro=[p.text for p in pnode.own[1:]],
                    chapters=chapter_ids,
                    numbering=self._override(pnode),
                )
            )
            self.counts["parts"] += 1
        return parts, chapters, statements

    def _chapter(
        self, node: Node, part_id: str, index: int, statements: dict[str, tuple[Parsed, str] | None]
    ) -> tuple[Chapter, tuple[Parsed, str] | None]:
        title, body = split_title(node.own[0].text)
        cid = names.unique(_glossary(CHAPTER_IDS, title) or f"{part_id}-{index}", self.used)
        own = self._place_statements(node)
        tasks: list[tuple[Node, str, tuple[Parsed, str, list[str]] | None]] = []
        for ti, tnode in enumerate(node.children, 1):
            tid = names.unique(f"{cid}-{ti}", self.used)
            tasks.append((tnode, tid, self._place_statements(tnode)))
        # a statement after (or closing) the last task, when no other task has one, is the chapter's
        if own is None and tasks and tasks[-1][2] is not None and all(t[2] is None for t in tasks[:-1]):
            last_node, _, last = tasks[-1]
            assert last is not None
            bare = not last[2][0].startswith(("（", "("))
            if last[1] == "after" or (last[1] == "inline" and bare and not last_node.children):
                own = (last[0], "after" if last[1] == "after" else "closing", last[2])
                tasks[-1] = (last_node, tasks[-1][1], None)
        records = []
        for tnode, tid, resp in tasks:
            statements[tid] = (resp[0], resp[1]) if resp else None
            records.append(self._task(tnode, tid))
        if own is not None and own[1] == "inline" and not node.children:
            pass
        self.counts["chapters"] += 1
        chapter = Chapter(
            id=cid,
            title=title,
            body=body,
            paragraphs=[p.text for p in node.own[1:]],
            tasks=records,
            numbering=self._override(node),
        )
        return chapter, ((own[0], own[1]) if own else None)

    def _task(self, node: Node, tid: str) -> Task:
        title, body = split_title(node.own[0].text)
        items = []
        for inode in node.children:
            ititle, ibody = split_title(inode.own[0].text)
            for para in inode.own:
                if para.statement is not None:
                    self._unstate(para, "a sub-item holds no responsibility of its own")
            items.append(
                SubItem(
                    title=ititle,
                    body=ibody,
                    paragraphs=[p.text for p in inode.own[1:]],
                    numbering=self._override(inode),
                )
            )
            self.counts["items"] += 1
        self.counts["tasks"] += 1
        return Task(
            id=tid,
            title=title,
            body=body,
            paragraphs=[p.text for p in node.own[1:]],
            items=items,
            numbering=self._override(node),
        )


def split_title(text: str) -> tuple[str, str | None]:
    """A numbered paragraph's title sentence and the rest: 「完善机制。县人民政府…」 -> (完善机制, 县人民政府…)."""
    at = text.find("。")
    if at <= 0 or at == len(text) - 1:
        return text, None
    return text[:at], text[at + 1 :]


def _glossary(table: tuple[tuple[str, str], ...], title: str) -> str | None:
    return next((ident for word, ident in table if word in title), None)


# --- the whole plan ------------------------------------------------------------------------------


def build(shape: Shape, tables: list[Table], source_name: str) -> Built:
    b = Builder(shape, tables, source_name)
    front = shape.front
    if front.title is None:
        raise NotUnderstood("no title")
    parts, chapters, statements = b.build_outline()
    tasks = {t.id: t for c in chapters for t in c.tasks}

    # table rows of a 任务分工方案, merged onto the tasks they name
    table_rows = _table_rows(b, tables, chapters)

    # every unit named, in the order named
    order: list[str] = []
    lists: list[list[str]] = []
    for parsed_placement in statements.values():
        if parsed_placement is not None:
            parsed = parsed_placement[0]
            order += parsed.leads + parsed.participants
            lists += [parsed.leads, parsed.participants]
    for _, parsed, _ in table_rows:
        order += parsed.leads + parsed.participants
        lists += [parsed.leads, parsed.participants]
    issuers = [x.text for x in (front.issuer, front.signature) if x is not None]
    if shape.imprint is not None:
        m = IMPRINT_LINE.match(shape.imprint.text)
        issuers.append(m.group(1) if m else "")
    place = names.find_place(front.title.text, issuers)
    text = "\n".join([line.text for line in front.preamble] + [p.text for node in _walk(shape.parts) for p in node.own])
    oversight = _oversight(text, place)
    groups = names.group_forms(order + oversight, place)
    for form in _text_forms(text, place):
        _join_text_form(groups, form, place)
    canonical = {form: key for key, group in groups.items() for form in group.forms}

    def short(name: str) -> str:
        return groups[canonical[name]].name

    def record(parsed: Parsed, placement: str, *, in_text: bool = True, due: str | None = None) -> Responsibility:
        written = {short(n): n for n in [*parsed.leads, *parsed.participants] if short(n) != n}
        return Responsibility(
            leads=[short(n) for n in parsed.leads],
            participants=[short(n) for n in parsed.participants],
            etc=parsed.etc,
            collective=parsed.collective,
            form=None if placement == "after" and _is_default(parsed) else parsed.form,
            placement=placement,  # type: ignore[arg-type]
            in_text=in_text,
            due=due,
            written=written if in_text else {},
        )

    lines_count = 0
    for chapter in chapters:
        found = statements.get(chapter.id)
        if found is not None:
            chapter.responsibility = record(*found)
            lines_count += 1
        for task in chapter.tasks:
            found = statements.get(task.id)
            if found is not None:
                task.responsibility = record(*found)
                lines_count += 1
    merged = 0
    for tid, parsed, due in table_rows:
        task = tasks[tid]
        if task.responsibility is None:
            task.responsibility = record(parsed, "after", in_text=False, due=due)
            merged += 1
        else:
            theirs = ([short(n) for n in parsed.leads], [short(n) for n in parsed.participants])
            if theirs != (task.responsibility.leads, task.responsibility.participants):
                b.notes.append(f"task {tid}: the 分工方案 names other units than the text; the text's are kept")
            if due and task.responsibility.due is None:
                task.responsibility.due = due

    # parts that assign work: every chapter has a responsibility with a lead
    chapter_by_id = {c.id: c for c in chapters}
    for part in parts:
        members = [chapter_by_id[c] for c in part.chapters]
        if members and all(_leads_of(c) for c in members):
            part.kind = "projects" if "工程" in part.title else "actions"
    b.counts["actions"] = sum(len(p.chapters) for p in parts if p.kind != "text")

    # the unit registry, in protocol order
    rank = {}
    first_seen = {}
    kinds = {}
    for key, group in groups.items():
        kinds[key] = names.guess_kind(max(group.forms, key=len), place)
        rank[key] = names.KIND_ORDER.index(kinds[key])
        first_seen[key] = group.first
    ordered = names.protocol_order([[canonical[n] for n in lst] for lst in lists], first_seen, rank)
    registry = _registry(ordered, groups, kinds, place, b.used)
    b.counts["units"] = len(registry)

    document = _document(b, front, shape, parts, place)
    data = PlanData(
        Path("."),
        {
            "document": Source("document", "document.yaml", document),
            "units": Source("units", "units.yaml", UnitsFile(units=registry, place=place)),
            **{f"parts/{p.id}": Source("part", f"parts/{p.id}.yaml", p) for p in parts},
            **{f"chapters/{c.id}": Source("chapter", f"chapters/{c.id}.yaml", c) for c in chapters},
        },
    )
    targets = _targets(data, b.used)
    milestones = _milestones(data, b.used)
    b.counts["responsibility"] = lines_count
    b.counts["table rows"] = merged
    b.counts["targets"] = len(targets)
    b.counts["milestones"] = len(milestones)
    b.counts["basis"] = len(document.plan.basis)
    return Built(
        document,
        UnitsFile(units=registry, place=place),
        parts,
        chapters,
        targets,
        milestones,
        b.unplaced,
        b.unparsed,
        dict(b.counts),
        b.notes,
    )


def _leads_of(chapter: Chapter) -> bool:
    lines = [chapter.responsibility] if chapter.responsibility else [t.responsibility for t in chapter.tasks]
    return bool(lines) and any(r is not None and (r.leads or r.collective) for r in lines)


def _is_default(parsed: Parsed) -> bool:
    """Whether the words are those kpsy writes when no form is given: （责任分工：由…牵头，…等单位参加）."""
    wanted = (
        "（责任分工：由{leads}牵头"
        + ("，{participants}" + ("{etc}单位参加" if parsed.etc else "参加") if parsed.participants else "")
        + "）"
    )
    return parsed.form == wanted and parsed.collective is None


def _walk(nodes: list[Node]) -> list[Node]:
    out = []
    for node in nodes:
        out.append(node)
        out += _walk(node.children)
    return out


_BODY = r"[\u4e00-\u9fff]{1,16}?"


def _place_forms(place: Place | None) -> list[str]:
    if place is None:
        return []
    return sorted({place.short, *place.names}, key=len, reverse=True)


def _oversight(text: str, place: Place | None) -> list[str]:
    """Bodies the text names that oversee the work: the place's government, its offices for the plan."""
    forms = _place_forms(place)
    if not forms:
        return []
    alternatives = "|".join(re.escape(f) for f in forms)
    found = []
    for m in re.finditer(rf"(?:{alternatives})(?:人民政府|{_BODY}(?:工作办公室|领导小组办公室|领导小组))", text):
        start = m.start()
        if start > 0 and text[start - 1] in "社城景园街市地县辖小山校片新老镇郊各直":
            continue
        found.append(m.group())
    return found


def _text_forms(text: str, place: Place | None) -> list[str]:
    """Names of bodies written out in the text with the place (青山县卫生健康局), for aliases."""
    forms = _place_forms(place)
    if not forms:
        return []
    alternatives = "|".join(re.escape(f) for f in forms)
    pattern = rf"(?:中共)?(?:{alternatives}){_BODY}(?:局|委员会|委|部|办公室|中心|联合会|协会|总工会)"
    found = []
    for m in re.finditer(pattern, text):
        if m.start() > 0 and text[m.start() - 1] in "社城景园街市地县辖小山校片新老镇郊各直全本我":
            continue
        found.append(m.group())
    return list(dict.fromkeys(found))


def _join_text_form(groups: dict[str, names.UnitGroup], form: str, place: Place | None) -> None:
    c = names.core(form, place)
    matches = [
        key
        for key, group in groups.items()
        if any(names.core(f, place) == c or names.abbreviates(names.core(f, place), c) for f in group.forms)
    ]
    if len(set(matches)) == 1 and form not in groups[matches[0]].forms:
        groups[matches[0]].forms[form] += 0


def _registry(
    ordered: list[str],
    groups: dict[str, names.UnitGroup],
    kinds: dict[str, str],
    place: Place | None,
    used: set[str],
) -> list[Unit]:
    taken: set[str] = {groups[key].name for key in ordered}
    registry = []
    for n, key in enumerate(ordered, 1):
        group = groups[key]
        name = group.name
        long_forms = [
            f for f in group.forms if f != name and place and (f.startswith("中共") or f.startswith(tuple(place.names)))
        ]
        full = max(long_forms, key=len) if long_forms else None
        aliases = [f for f in group.forms if f not in (name, full)]
        extra = [
            bare
            for form in group.forms
            if (bare := names.core(form, place)) != form and len(bare) >= 2 and not form.endswith("人民政府")
        ]
        if name.endswith("人民政府"):
            extra.append(name[: -len("人民政府")] + "政府")
        for alias in [*aliases, *extra]:
            if alias not in taken:
                taken.add(alias)
                if alias not in aliases:
                    aliases.append(alias)
        aliases = [a for a in aliases if a in taken]
        if full:
            taken.add(full)
        registry.append(
            Unit(
                id=names.unit_id(max(group.forms, key=len), used, n),
                name=name,
                full_name=full,
                kind=kinds[key],  # type: ignore[arg-type]
                aliases=list(dict.fromkeys(aliases)),
            )
        )
    return registry


def _date(text: str) -> dt.date | None:
    m = DATE_LINE.match(text)
    if not m:
        return None
    try:
        return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        return None


def _document(b: Builder, front: object, shape: Shape, parts: list[Part], place: Place | None) -> DocumentFile:
    from kpsy.importer.outline import Front

    assert isinstance(front, Front) and front.title is not None
    title = front.title.text
    notice = None
    if front.notice_title is not None:
        date = _date(front.date.text) if front.date else None
        addressees = []
        if front.addressees is not None:
            addressees = front.addressees.text[:-1].split("，")
        body = [line.text for line in front.body]
        if not body:
            b.unplaced.append(Problem(front.notice_title.where, front.notice_title.text, "the notice has no body"))
        else:
            notice = Notice(
                issuer=front.issuer.text if front.issuer else None,
                number=front.number.text if front.number else None,
                title=front.notice_title.text,
                addressees=addressees,
                body=body,
                signature=front.signature.text if front.signature else None,
                date=date,
            )
            if front.addressees is not None and not front.addressees.text.endswith("："):
                b.unplaced.append(
                    Problem(front.addressees.where, front.addressees.text, "addressees end in a half-width colon")
                )
    imprint = None
    if shape.imprint is not None:
        m = IMPRINT_LINE.match(shape.imprint.text)
        assert m is not None
        try:
            imprint = Imprint(issuer=m.group(1), date=dt.date(int(m.group(2)), int(m.group(3)), int(m.group(4))))
        except ValueError:
            b.unplaced.append(Problem(shape.imprint.where, shape.imprint.text, "not a real date"))
    preamble = [line.text for line in front.preamble]
    basis = []
    for i, m in enumerate(
        re.finditer(r"《([^《》]+)》（([^（）]*?[〔\[【]\d{4}[〕\]】]\d+号)）", "\n".join(preamble)), 1
    ):
        basis.append(Basis(id=names.unique(f"basis-{i}", b.used), title=m.group(1), number=m.group(2)))
    return DocumentFile(
        notice=notice,
        plan=PlanHeader(
            title=title,
            period=_period(title, "\n".join(preamble)),
            preamble=preamble,
            basis=basis,
            parts=[p.id for p in parts],
            numbering=None if b.numbering == DEFAULT else b.numbering,
        ),
        imprint=imprint,
    )


def _period(title: str, preamble: str) -> Period:
    """The years a plan covers: from its title (（2021-2025年）), else its preamble, else 十四五/十五五."""
    for text in (title, preamble):
        m = re.search(r"(20\d\d)\s*[-—–~至到]\s*(20\d\d)年", text)
        if m and int(m.group(1)) <= int(m.group(2)):
            return Period(start=int(m.group(1)), end=int(m.group(2)))
    plans = {"十四五": 2021, "十五五": 2026, "十三五": 2016, "十六五": 2031}
    for word, start in plans.items():
        if word in title + preamble:
            return Period(start=start, end=start + 4)
    m = _YEAR.search(title)
    year = int(m.group(1)) if m else dt.date.today().year
    return Period(start=year, end=year)


# --- the 任务分工方案 --------------------------------------------------------------------------------


def _header(row: list[str]) -> dict[str, int] | None:
    cols: dict[str, int] = {}
    for i, cell in enumerate(row):
        text = cell.replace(" ", "")
        if "序号" in text or text == "编号":
            cols.setdefault("number", i)
        elif "任务" in text or "工作内容" in text or "措施" in text:
            cols.setdefault("task", i)
        elif "牵头" in text or "责任单位" in text or "责任部门" in text:
            cols.setdefault("lead", i)
        elif any(w in text for w in ("配合", "参与", "参加", "协办", "协作")):
            cols.setdefault("participants", i)
        elif "时限" in text or "时间" in text or "进度" in text:
            cols.setdefault("due", i)
    return cols if "task" in cols and "lead" in cols else None


def is_task_table(table: Table) -> bool:
    return any(_header(row) for row in table.rows[:2])


def _table_rows(b: Builder, tables: list[Table], chapters: list[Chapter]) -> list[tuple[str, Parsed, str | None]]:
    """(task id, units, time limit) for every row of every 任务分工方案 table."""
    from kpsy.importer.resp import _list

    all_tasks = [(c, t) for c in chapters for t in c.tasks]
    found: list[tuple[str, Parsed, str | None]] = []
    for table in tables:
        head_at = next((i for i, row in enumerate(table.rows[:2]) if _header(row)), None)
        if head_at is None:
            b.unplaced += [
                Problem(table.where(r, c), cell, "a table that is not a 任务分工方案")
                for r, row in enumerate(table.rows)
                for c, cell in enumerate(row)
                if cell
            ]
            continue
        cols = _header(table.rows[head_at])
        assert cols is not None
        b.counts["tables"] += 1
        for r in range(head_at + 1, len(table.rows)):
            row = table.rows[r]
            cells = [c for c in row if c]
            if not cells or len(set(cells)) == 1:
                continue  # an empty row, or a heading row across the table
            task_text = row[cols["task"]]
            tid = _match(task_text, row[cols["number"]] if "number" in cols else "", all_tasks)
            if tid is None:
                b.unplaced.append(Problem(table.where(r, cols["task"]), task_text, "names no task of the plan"))
                continue
            parsed = Parsed()
            try:
                _list(row[cols["lead"]], "leads", parsed)
                if "participants" in cols and row[cols["participants"]] and row[cols["participants"]] not in "/—-无":
                    _list(row[cols["participants"]], "participants", parsed)
            except NotUnderstood as exc:
                b.unparsed.append(Problem(table.where(r), " | ".join(row), str(exc)))
                continue
            due = row[cols["due"]] if "due" in cols and row[cols["due"]] else None
            found.append((tid, parsed, due))
    return found


def _match(text: str, number: str, tasks: list[tuple[Chapter, Task]]) -> str | None:
    """The task a table row names: by its title, else by its number."""
    from kpsy.importer.outline import number_of

    bare = text
    while (n := number_of(bare)) is not None:
        bare = n.rest
    bare = bare.split("。")[0].strip("：: ")
    for _, task in tasks:
        title = task.title.rstrip("。")
        if bare == title or (bare and (bare.startswith(title) or title.startswith(bare))):
            return task.id
    titles = {task.title.rstrip("。"): task.id for _, task in tasks}
    close = difflib.get_close_matches(bare, list(titles), n=1, cutoff=0.75)
    if close:
        return titles[close[0]]
    digits = re.sub(r"\D", "", number)
    if digits and number.strip().isdigit() and 0 < int(digits) <= len(tasks):
        return tasks[int(digits) - 1][1].id
    return None


# --- targets and the schedule ------------------------------------------------------------------


def _targets(plan: PlanData, used: set[str]) -> list[Target]:
    from kpsy.plan.text import paragraphs

    period = plan.document.plan.period
    found: list[Target] = []
    for paragraph in paragraphs(plan):
        if not paragraph.ref or paragraph.kind == "responsibility":
            continue
        for sentence in re.split(r"(?<=[。；;])", paragraph.text):
            for m in _TARGET.finditer(sentence):
                years = [y for y in _YEAR.finditer(sentence[: m.end()])]
                if not years:
                    continue
                year_match = years[-1]
                year = int(year_match.group(1))
                if not period.start <= year <= period.end:
                    continue
                start = sentence.rfind("到", 0, year_match.start() + 1)
                start = start if start >= 0 and year_match.start() - start <= 2 else year_match.start()
                quote = sentence[start : m.end()]
                indicator = re.split(r"[，,、：:；]", m.group("ind"))[-1]
                indicator = _LEADING.sub("", indicator)
                if len(indicator) < 2 or "\n" in quote:
                    continue
                value = float(m.group("val"))
                found.append(
                    Target(
                        id=names.unique(f"target-{len(found) + 1}", used),
                        indicator=indicator,
                        comparator=m.group("cmp"),  # type: ignore[arg-type]
                        value=int(value) if value == int(value) else value,
                        unit=m.group("unit") or "",
                        year=year,
                        source=SourceRef(ref=paragraph.ref, quote=quote),
                    )
                )
    return found


def _milestones(plan: PlanData, used: set[str]) -> list[Milestone]:
    from kpsy.plan.text import paragraphs

    period = plan.document.plan.period
    found: list[Milestone] = []
    schedule = {c.id for c in plan.iter_chapters() if any(w in c.title for w in SCHEDULE_TITLES)}
    schedule |= {t.id for c in plan.iter_chapters() if c.id in schedule for t in c.tasks}
    for paragraph in paragraphs(plan):
        if paragraph.ref not in schedule or paragraph.kind == "responsibility":
            continue
        text = paragraph.tail if paragraph.head else paragraph.text
        for clause in re.split(r"[；;。]", text):
            clause = clause.strip()
            m = _SPAN.search(clause)
            if m is None or m.start() > 12:
                continue
            start = int(m.group(1) or m.group(3))
            end = int(m.group(2) or start)
            if not period.start <= start <= end <= period.end:
                continue
            title = clause[m.end() :].lstrip("期间前后底，,：:）) ")
            if not title:
                continue
            found.append(
                Milestone(
                    id=names.unique(f"milestone-{len(found) + 1}", used),
                    title=title,
                    period=Period(start=start, end=end),
                    source=SourceRef(ref=paragraph.ref, quote=clause),
                )
            )
    return found

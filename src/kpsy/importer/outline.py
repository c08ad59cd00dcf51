"""The shape of a source document: the notice and title around the plan (`kpsy.importer.front`),
the numbered outline (the number shapes of `kpsy.importer.conventions.NUMBERS`: 一、 （一） 1． （1）
①, 第一章, 第一节, 第一条, with full- or half-width marks), each paragraph in its place, and the
statements of responsibility found in or after paragraphs.

Levels are assigned as the document nests its numbering (the first kind of number is the parts',
the next one inside it the chapters', …) and a number counts only when it continues its level's
sequence, so a sentence that happens to start with 「2．」 stays text (and is reported). 第X条 is
numbered through the whole document, at whatever level it stands: under a 节 an article is a task,
directly under a 章 a chapter.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from kpsy.i18n import msg
from kpsy.importer import conventions as conv
from kpsy.importer import resp as stmt
from kpsy.importer.front import Front, Problem, prepare, read_front
from kpsy.importer.numbers import Number, chinese_to_int, number_of
from kpsy.importer.read import Line, Omitted

MAX_LEVEL = 4  # part, chapter, task, sub-item
__all__ = ["Front", "Node", "Number", "Problem", "Shape", "chinese_to_int", "number_of", "shape"]


@dataclass
class Para:
    """A paragraph of an item's own text, and the statement of responsibility that ends it, if any."""

    line: Line
    text: str  # without the number, for a heading; without the statement
    statement: tuple[stmt.Parsed, str] | None = None  # (parsed, its words)


@dataclass
class Statement:
    """A statement of responsibility standing as paragraphs of its own, where it was found."""

    parsed: stmt.Parsed
    lines: list[Line]
    own: int  # how many own paragraphs its item had then
    children: int  # how many children its item had then
    lifted: bool = False  # found after a sub-item, so it is its task's


@dataclass
class Node:
    """A numbered item of the outline: a part, chapter, task or sub-item."""

    level: int  # 1 part, 2 chapter, 3 task, 4 sub-item
    number: Number
    own: list[Para]  # the heading paragraph first, then unnumbered paragraphs
    children: list[Node] = field(default_factory=list)
    statements: list[Statement] = field(default_factory=list)
    parent: Node | None = None
    auto: bool = False  # numbered by Word


@dataclass
class Shape:
    front: Front
    parts: list[Node]
    imprint: Line | None
    patterns: dict[int, Counter[str]]  # level -> numbering patterns as written
    run_on: set[int]
    unplaced: list[Problem]
    unparsed: list[Problem]
    first_leads: bool
    lines: list[Line] = field(default_factory=list)  # the lines the plan holds, as it writes them
    omitted: list[Omitted] = field(default_factory=list)
    recognised: set[str] = field(default_factory=set)
    notes: list[str] = field(default_factory=list)
    covered: set[str] = field(default_factory=set)  # where statements not understood were reported


def shape(lines: list[Line]) -> Shape:
    """The document's shape: front matter, the outline with every paragraph in its place, the 版记."""
    prepared = prepare(lines)
    unplaced = list(prepared.unplaced)
    recognised = set(prepared.recognised)
    front, kept, start = read_front(prepared.lines, unplaced, recognised)
    first_leads = any(stmt.FIRST_LEADS_NOTE.search(line.text) for line in kept)
    known = known_units(kept)
    outliner = _Outliner(first_leads, known, unplaced)
    for line in kept[start:]:
        outliner.line(line)
    outliner.flush_pending()
    holds = [*kept, *([prepared.imprint] if prepared.imprint else [])]
    return Shape(
        front,
        outliner.parts,
        prepared.imprint,
        outliner.patterns,
        outliner.run_on,
        unplaced,
        outliner.unparsed,
        first_leads,
        holds,
        prepared.omitted,
        recognised | outliner.recognised,
        outliner.notes,
        outliner.covered,
    )


def known_units(lines: list[Line]) -> frozenset[str]:
    """Names that stand alone in some list of the document (between 、 or ， and the list's ends),
    so that 和 between two of them joins two units."""
    names: set[str] = set()
    from kpsy.importer.units import looks_like_unit

    for line in lines:
        if not re.search(r"牵头|单位[：:]|部门[：:]", line.text):
            continue
        for piece in re.split(r"[、，,；;：:（）()。]|牵头|参加|配合|参与|由|等单位|等", line.text):
            if looks_like_unit(piece) and not re.search(r"和|及|与", piece):
                names.add(piece)
    return frozenset(names)


class _Outliner:
    """Builds the outline line by line."""

    def __init__(self, first_leads: bool, known: frozenset[str], unplaced: list[Problem]) -> None:
        self.first_leads = first_leads
        self.known = known
        self.unplaced = unplaced
        self.unparsed: list[Problem] = []
        self.parts: list[Node] = []
        self.stack: list[Node] = []
        self.last_value: dict[str, int] = {}
        self.patterns: dict[int, Counter[str]] = {}
        self.run_on: set[int] = set()
        self.pending: list[Line] = []  # label lines waiting for the next one
        self.recognised: set[str] = set()
        self.notes: list[str] = []
        self.covered: set[str] = set()  # where statements were found that could not be understood

    def line(self, line: Line) -> None:
        text = line.text
        number = number_of(text)
        node = self._node(number, line) if number is not None else None
        if node is not None:
            self.flush_pending()
            self._open(node, line)
            return
        if stmt.is_statement(text):
            if stmt.is_label_line(text) and self.pending and stmt.is_label_line(self.pending[-1].text):
                self.pending.append(line)
                return
            self.flush_pending()
            self.pending.append(line)
            if not stmt.is_label_line(text):
                self.flush_pending()
            return
        self.flush_pending()
        self.place(line)

    def _node(self, number: Number, line: Line) -> Node | None:
        """The item a numbered line opens, or None when its number does not continue a sequence."""
        families = [n.number.family for n in self.stack]
        through = number.family in conv.THROUGH
        expected_through = self.last_value.get(number.family, 0) + 1
        if number.family in families:
            depth = families.index(number.family)
            expected = expected_through if through else self.stack[depth].number.value + 1
            if number.value == expected:
                return Node(depth + 1, number, [], auto=line.auto)
        elif len(self.stack) < MAX_LEVEL and (
            number.value == 1 or number.value == self.last_value.get(number.family, -9) + 1
        ):
            node = Node(len(self.stack) + 1, number, [], auto=line.auto)
            if number.value != 1 or through:
                self.run_on.add(node.level)
            return node
        self._out_of_sequence(number, line, families)
        return None

    def _out_of_sequence(self, number: Number, line: Line, families: list[str]) -> None:
        if number.family not in families and len(self.stack) >= MAX_LEVEL:
            self.notes.append(
                msg(
                    "{w}: numbered deeper than a sub-item; kept as a paragraph of it",
                    "{w}：编号层级深于子项，作为子项的段落保留",
                    w=line.where,
                )
            )
            return
        self.unplaced.append(
            Problem(
                line.where,
                line.text,
                msg(
                    "it is numbered like an item, but its number does not continue any sequence",
                    "像条目一样编号，但编号与前后不连续",
                ),
            )
        )

    def _open(self, node: Node, line: Line) -> None:
        del self.stack[node.level - 1 :]
        if self.stack:
            node.parent = self.stack[-1]
            self.stack[-1].children.append(node)
        else:
            self.parts.append(node)
        self.stack.append(node)
        self.last_value[node.number.family] = node.number.value
        self.patterns.setdefault(node.level, Counter())[node.number.pattern] += 1
        self.recognised.add("word-numbering" if line.auto else "typed-numbering")
        self.recognised.add(f"numbers-{node.number.family}")
        node.own.append(self._para(line, node.number.rest, node))

    def flush_pending(self) -> None:
        if not self.pending:
            return
        words = "\n".join(line.text for line in self.pending)
        target = self.stack[-1] if self.stack else None
        lines = list(self.pending)
        self.pending.clear()
        try:
            parsed = stmt.parse(words, first_leads=self.first_leads, known=self.known)
        except stmt.NotUnderstood as exc:
            self.unparsed.append(Problem(lines[0].where, words.replace("\n", " "), str(exc)))
            self.covered |= {line.where for line in lines}
            for line in lines:
                self.place(line)
            return
        lifted = False
        if target is not None and target.level == MAX_LEVEL and target.parent is not None:
            target, lifted = target.parent, True
        if target is None or target.level < 2:
            why = msg("it belongs to no chapter or task", "不属于任何章节或任务")
            self.unparsed.append(Problem(lines[0].where, words, why))
            for line in lines:
                self.place(line)
            return
        self.recognised.add(parsed.shape)
        target.statements.append(Statement(parsed, lines, len(target.own), len(target.children), lifted))

    def place(self, line: Line) -> None:
        """An unnumbered paragraph: into the innermost open item."""
        if not self.stack:
            why = msg("it comes before the outline's first heading", "位于正文第一个标题之前")
            self.unplaced.append(Problem(line.where, line.text, why))
            return
        node = self.stack[-1]
        node.own.append(self._para(line, line.text, node))

    def _para(self, line: Line, text: str, node: Node) -> Para:
        """A paragraph of `node`'s own text, with the statement that ends it taken apart."""
        found = stmt.trailing(text)
        if found is None or node.level < 2:
            return Para(line, text)
        before, words = found
        if not before.strip():
            return Para(line, text)
        try:
            parsed = stmt.parse(words, first_leads=self.first_leads, known=self.known)
        except stmt.NotUnderstood as exc:
            self.unparsed.append(Problem(line.where, words, str(exc)))
            return Para(line, text)
        self.recognised.add(parsed.shape)
        return Para(line, before, (parsed, words))

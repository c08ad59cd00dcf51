"""The shape of a source document: the notice around the plan, the plan's title and preamble, the
numbered outline (一、 （一） 1． （1）, 第一章, 第一条, with full- or half-width marks), each
paragraph in its place, and the statements of responsibility found in or after paragraphs.

Levels are assigned as the document nests its numbering (the first kind of number is the parts',
the next one inside it the chapters', …) and a number counts only when it continues its level's
sequence, so a sentence that happens to start with 「2．」 stays text.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from kpsy.importer import resp as stmt
from kpsy.importer.read import Line
from kpsy.plan.numbering import CIRCLED

CN = "零〇一二三四五六七八九十百"
_FAMILIES = [
    ("zhang", re.compile(rf"^第([{CN}]+)(章|部分|节)( ?)")),
    ("tiao", re.compile(rf"^第([{CN}]+)条( ?)")),
    ("cn", re.compile(rf"^([{CN}]+)([、．.])( ?)")),
    ("cnp", re.compile(rf"^([（(])([{CN}]+)([）)])( ?)")),
    ("ar", re.compile(r"^(\d{1,3})([．.、])(?![\d％%])( ?)")),
    ("arp", re.compile(r"^([（(])(\d{1,3})([）)])( ?)")),
    ("circ", re.compile(rf"^([{CIRCLED}])( ?)")),
]
MAX_LEVEL = 4  # part, chapter, task, sub-item
DATE_LINE = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$")
IMPRINT_LINE = re.compile(r"^(.+?) ?(\d{4})年(\d{1,2})月(\d{1,2})日印发$")
DOC_NUMBER = re.compile(r"^[\u4e00-\u9fff]{1,12}[〔\[【（(]\d{4}[〕\]】）)]\d{1,4}号$")
NOTICE_TITLE = re.compile(r"^关于.*(?:通知|意见|决定|批复)$")


def chinese_to_int(text: str) -> int:
    """一 -> 1, 十二 -> 12, 二十 -> 20, 一百零一 -> 101."""
    digits = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0}
    total, current = 0, 0
    for c in text:
        if c in digits:
            current = digits[c]
        elif c == "十":
            total += (current or 1) * 10
            current = 0
        elif c == "百":
            total += (current or 1) * 100
            current = 0
    return total + current


@dataclass(frozen=True)
class Number:
    """A number at the start of a paragraph: its kind, how it is written ({cn}、), its value, and the rest."""

    family: str
    pattern: str
    value: int
    rest: str


def number_of(text: str) -> Number | None:
    for family, regex in _FAMILIES:
        m = regex.match(text)
        if m is None:
            continue
        rest = text[m.end() :]
        if not rest:
            return None
        g = m.groups()
        if family == "zhang":
            return Number(family, f"第{{cn}}{g[1]}{g[2]}", chinese_to_int(g[0]), rest)
        if family == "tiao":
            return Number(family, f"第{{cn}}条{g[1]}", chinese_to_int(g[0]), rest)
        if family == "cn":
            return Number(family, f"{{cn}}{g[1]}{g[2]}", chinese_to_int(g[0]), rest)
        if family == "cnp":
            return Number(family, f"{g[0]}{{cn}}{g[2]}{g[3]}", chinese_to_int(g[1]), rest)
        if family == "ar":
            return Number(family, f"{{n}}{g[1]}{g[2]}", int(g[0]), rest)
        if family == "arp":
            return Number(family, f"{g[0]}{{n}}{g[2]}{g[3]}", int(g[1]), rest)
        return Number(family, "{circled}" + g[1], CIRCLED.index(g[0]) + 1, rest)
    return None


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


@dataclass
class Front:
    """What comes before the outline."""

    issuer: Line | None = None
    number: Line | None = None
    notice_title: Line | None = None
    addressees: Line | None = None
    body: list[Line] = field(default_factory=list)
    signature: Line | None = None
    date: Line | None = None
    title: Line | None = None
    preamble: list[Line] = field(default_factory=list)


@dataclass
class Problem:
    """Something left for hand work: where, the words, and why."""

    where: str
    text: str
    why: str


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


def _is_name_line(text: str) -> bool:
    """An issuer's or signer's name: short, no sentence punctuation."""
    return len(text) <= 40 and not re.search(r"[。，；：！？,;:]", text)


def _front(lines: list[Line], unplaced: list[Problem]) -> tuple[Front, int]:
    """The notice, the plan's title and the preamble; the index of the first line after them
    (the outline's first heading)."""
    front = Front()
    i = 0
    head = [n for n, line in enumerate(lines[:8]) if NOTICE_TITLE.match(line.text) and "印发" in line.text]
    if head:
        t = head[0]
        front.notice_title = lines[t]
        before = lines[:t]
        for line in before:
            if DOC_NUMBER.match(line.text) and front.number is None:
                front.number = line
            elif _is_name_line(line.text) and front.issuer is None:
                front.issuer = line
            else:
                unplaced.append(Problem(line.where, line.text, "before the notice's title"))
        if front.number is not None and front.issuer is not None and front.number.number < front.issuer.number:
            unplaced.append(Problem(front.number.where, front.number.text, "the 文号 stands above the issuer"))
            front.number = None
        i = t + 1
        if i < len(lines) and lines[i].text.endswith(("：", ":")) and len(lines[i].text) < 200:
            front.addressees = lines[i]
            i += 1
        quoted = re.search(r"《(.+)》", front.notice_title.text)
        plan_title = quoted.group(1) if quoted else None
        j = i
        while j < len(lines) and not DATE_LINE.match(lines[j].text) and lines[j].text != plan_title:
            j += 1
        body = lines[i:j]
        if j < len(lines) and DATE_LINE.match(lines[j].text):
            front.date = lines[j]
            if body and _is_name_line(body[-1].text):
                front.signature = body.pop()
            j += 1
        front.body = body
        i = j
    if i < len(lines):
        front.title = lines[i]
        i += 1
    start = i
    while i < len(lines):
        number = number_of(lines[i].text)
        if number is not None and number.value == 1:
            break
        i += 1
    front.preamble = lines[start:i]
    return front, i


def shape(lines: list[Line]) -> Shape:
    """The document's shape: front matter, the outline with every paragraph in its place, the 版记."""
    unplaced: list[Problem] = []
    unparsed: list[Problem] = []
    imprint = None
    at = next(
        (i for i in range(len(lines) - 1, max(len(lines) - 5, -1), -1) if IMPRINT_LINE.match(lines[i].text)), None
    )
    if at is not None:
        imprint = lines[at]
        unplaced += [Problem(line.where, line.text, "it comes after the 版记") for line in lines[at + 1 :]]
        lines = lines[:at]
        while lines and re.match(r"^(?:抄送|抄报|分送)[：:]", lines[-1].text):
            unplaced.insert(0, Problem(lines[-1].where, lines[-1].text, "a line of the 版记 kpsy does not keep"))
            lines = lines[:-1]
    front, start = _front(lines, unplaced)
    first_leads = any(stmt.FIRST_LEADS_NOTE.search(line.text) for line in lines)

    parts: list[Node] = []
    stack: list[Node] = []
    last_value: dict[str, int] = {}
    patterns: dict[int, Counter[str]] = {}
    run_on: set[int] = set()
    pending: list[Line] = []  # label lines waiting for the next one

    def flush_pending() -> None:
        if not pending:
            return
        words = "\n".join(line.text for line in pending)
        target = stack[-1] if stack else None
        lines_ = list(pending)
        pending.clear()
        try:
            parsed = stmt.parse(words, first_leads=first_leads)
        except stmt.NotUnderstood as exc:
            unparsed.append(Problem(lines_[0].where, words.replace("\n", " "), str(exc)))
            for line in lines_:
                place(line)
            return
        lifted = False
        if target is not None and target.level == MAX_LEVEL and target.parent is not None:
            target, lifted = target.parent, True
        if target is None or target.level < 2:
            unparsed.append(Problem(lines_[0].where, words, "it belongs to no chapter or task"))
            for line in lines_:
                place(line)
            return
        target.statements.append(Statement(parsed, lines_, len(target.own), len(target.children), lifted))

    def place(line: Line) -> None:
        """An unnumbered paragraph: into the innermost open item, or the preamble."""
        if not stack:
            unplaced.append(Problem(line.where, line.text, "it comes before the outline's first heading"))
            return
        node = stack[-1]
        node.own.append(_para(line, line.text, node, first_leads, unparsed))

    for line in lines[start:]:
        text = line.text
        number = number_of(text)
        node = None
        if number is not None:
            families = [n.number.family for n in stack]
            if number.family in families:
                depth = families.index(number.family)
                if number.value == stack[depth].number.value + 1:
                    node = Node(depth + 1, number, [])
            elif len(stack) < MAX_LEVEL and (
                number.value == 1 or number.value == last_value.get(number.family, -9) + 1
            ):
                node = Node(len(stack) + 1, number, [])
                if number.value != 1:
                    run_on.add(node.level)
        if node is not None:
            flush_pending()
            del stack[node.level - 1 :]
            if stack:
                node.parent = stack[-1]
                stack[-1].children.append(node)
            else:
                parts.append(node)
            stack.append(node)
            last_value[number.family] = number.value  # type: ignore[union-attr]
            patterns.setdefault(node.level, Counter())[number.pattern] += 1  # type: ignore[union-attr]
            node.own.append(_para(line, number.rest, node, first_leads, unparsed))  # type: ignore[union-attr]
            continue
        if stmt.is_statement(text):
            if stmt.is_label_line(text) and pending and stmt.is_label_line(pending[-1].text):
                pending.append(line)
                continue
            flush_pending()
            pending.append(line)
            if not stmt.is_label_line(text):
                flush_pending()
            continue
        flush_pending()
        place(line)
    flush_pending()
    return Shape(front, parts, imprint, patterns, run_on, unplaced, unparsed, first_leads)


def _para(line: Line, text: str, node: Node, first_leads: bool, unparsed: list[Problem]) -> Para:
    """A paragraph of `node`'s own text, with the statement that ends it taken apart."""
    found = stmt.trailing(text)
    if found is None or node.level < 2:
        return Para(line, text)
    before, words = found
    if not before.strip():
        return Para(line, text)
    try:
        parsed = stmt.parse(words, first_leads=first_leads)
    except stmt.NotUnderstood as exc:
        unparsed.append(Problem(line.where, words, str(exc)))
        return Para(line, text)
    return Para(line, before, (parsed, words))

"""A 任务分工方案 (分工表): a table whose rows give tasks or actions their units, merged onto the items
they name.

Columns are found by their headers (`kpsy.importer.conventions.TABLE_COLUMNS`: 序号, 重点任务 or
行动, 牵头单位 or 责任单位, 配合单位, 完成时限). Each row is matched to the item it names by title,
never by its position: a task's title, or an action's (a table by action gives the action its
units). A row across the whole table (「一、青少年科学素质提升行动」) is a section: the rows under it
are matched among that action's tasks first. Only a row with no title at all falls back on its 序号.
A cell may hold several units on lines of their own; a collective (各乡镇人民政府) stays a
collective; 「县教育局（牵头）」 in a lone 责任单位 column leads.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass

from kpsy.i18n import msg
from kpsy.importer import conventions as conv
from kpsy.importer.front import Problem
from kpsy.importer.numbers import number_of
from kpsy.importer.read import Table
from kpsy.importer.resp import NotUnderstood, Parsed
from kpsy.importer.units import LEAD_MARK, looks_like_unit, split_list
from kpsy.plan.collectives import collective_of
from kpsy.plan.model import Chapter, Task

_EMPTY = {"", "/", "—", "-", "无", "——", "／"}


@dataclass
class Row:
    """A row of a 分工表 that names an item: its id, whether it is an action, its units, its time limit."""

    ref: str
    action: bool
    parsed: Parsed
    due: str | None
    where: str


def header(row: list[str]) -> dict[str, int] | None:
    """Column -> index for a header row of a 分工表, or None."""
    cols: dict[str, int] = {}
    for i, cell in enumerate(row):
        text = re.sub(r"\s", "", cell)
        if not text or len(text) > 12:
            continue
        for column, words in conv.TABLE_COLUMNS:
            if any(w in text for w in words):
                if column == "lead" and "lead" in cols and "牵头" not in text:
                    column = "participants"  # 责任单位 beside 牵头单位: those who take part
                cols.setdefault(column, i)
                break
    return cols if ("task" in cols or "action" in cols) and "lead" in cols else None


def is_task_table(table: Table) -> bool:
    return any(header(row) for row in table.rows[:3])


def _bare(text: str) -> str:
    while (n := number_of(text)) is not None:
        text = n.rest
    return re.sub(r"\s", "", text.split("。")[0]).strip("：:；;，, ")


def _title(item: Chapter | Task) -> str:
    return item.title.rstrip("。")


def match(text: str, items: list[tuple[Chapter | Task, bool]]) -> tuple[Chapter | Task, bool] | None:
    """The item (and whether it is an action) a row's task cell names, by title."""
    bare = _bare(text)
    if not bare:
        return None
    for item, action in items:
        if bare == _title(item):
            return item, action
    starts = [(i, a) for i, a in items if bare.startswith(_title(i)) or _title(i).startswith(bare)]
    if len(starts) == 1 or (starts and len({id(i) for i, _ in starts}) == 1):
        return starts[0]
    titles = {_title(i): (i, a) for i, a in items}
    close = difflib.get_close_matches(bare, list(titles), n=2, cutoff=0.75)
    return titles[close[0]] if close else None


class TableReader:
    """The rows of every 分工表, matched to the plan's chapters and tasks."""

    def __init__(self, chapters: list[Chapter], known: frozenset[str]) -> None:
        self.chapters = chapters
        self.known = known
        self.rows: list[Row] = []
        self.unplaced: list[Problem] = []
        self.unparsed: list[Problem] = []
        self.kinds: set[str] = set()
        self.count = 0

    def read(self, table: Table) -> None:
        head_at = next((i for i, row in enumerate(table.rows[:3]) if header(row)), None)
        if head_at is None:
            why = msg("a table that is not a 任务分工方案", "不是任务分工方案的表格")
            self.unplaced += [
                Problem(table.where(r, c), cell, why)
                for r, row in enumerate(table.rows)
                for c, cell in enumerate(row)
                if cell and cell not in row[:c]
            ]
            return
        cols = header(table.rows[head_at])
        assert cols is not None
        self.count += 1
        section: Chapter | None = None
        for r in range(head_at + 1, len(table.rows)):
            row = table.rows[r]
            cells = [c for c in row if c]
            if not cells:
                continue
            if len(set(cells)) == 1:  # a heading row across the table
                found = match(cells[0], [(c, True) for c in self.chapters])
                section = found[0] if found is not None and isinstance(found[0], Chapter) else None
                continue
            self._row(table, r, cols, section)

    def _candidates(self, section: Chapter | None) -> list[tuple[Chapter | Task, bool]]:
        everything: list[tuple[Chapter | Task, bool]] = []
        if section is not None:
            everything += [(t, False) for t in section.tasks]
        everything += [(c, True) for c in self.chapters if c is not section or not c.tasks]
        everything += [(t, False) for c in self.chapters if c is not section for t in c.tasks]
        return everything

    def _row(self, table: Table, r: int, cols: dict[str, int], section: Chapter | None) -> None:
        row = table.rows[r]

        def cell(name: str) -> str:
            return row[cols[name]] if name in cols and cols[name] < len(row) else ""

        found = self._item(cell("task"), cell("action"), cell("number"), section)
        if found is None:
            why = msg("names no task or action of the plan", "未对应方案中的任何任务或行动")
            column = cols.get("task", cols.get("action", 0))
            self.unplaced.append(Problem(table.where(r, column), cell("task") or cell("action") or cell("number"), why))
            return
        item, action = found
        try:
            parsed = self.units(cell("lead"), cell("participants"))
        except NotUnderstood as exc:
            self.unparsed.append(Problem(table.where(r), " | ".join(row), str(exc)))
            return
        due = cell("due") or None
        self.kinds.add("action-table" if action else "task-table")
        self.rows.append(Row(item.id, action, parsed, None if due in _EMPTY else due, table.where(r)))

    def _item(self, task: str, action: str, number: str, section: Chapter | None) -> tuple[Chapter | Task, bool] | None:
        """The item a row names: its task among the tasks of the action its 行动 column names (or of
        the section it stands in), else the action itself; a row with no title, by its 序号."""
        if action:
            named = match(action, [(c, True) for c in self.chapters])
            if named is not None and isinstance(named[0], Chapter):
                section = named[0]
                if not task:
                    return named
        if task:
            return match(task, self._candidates(section))
        return None if action else self._by_number(number, section)

    def _by_number(self, number: str, section: Chapter | None) -> tuple[Chapter | Task, bool] | None:
        """A row without a title: the task its 序号 numbers, within its section or the whole plan."""
        digits = number.strip().rstrip("．.、")
        if not digits.isdigit():
            return None
        tasks = section.tasks if section is not None else [t for c in self.chapters for t in c.tasks]
        n = int(digits)
        return (tasks[n - 1], False) if 0 < n <= len(tasks) else None

    def units(self, lead: str, participants: str) -> Parsed:
        """The units of a row: its lead cell (where 「（牵头）」 marks the lead among several) and its
        participants cell."""
        parsed = Parsed()
        names = self._names(lead, parsed)
        marked = [n for n in names if LEAD_MARK.search(n)]
        if marked:
            parsed.leads += [LEAD_MARK.sub("", n) for n in marked]
            parsed.participants += [n for n in names if n not in marked]
        else:
            parsed.leads += names
        if participants not in _EMPTY:
            parsed.participants += self._names(participants, parsed)
        if not parsed.leads and not parsed.participants and parsed.collective is None:
            raise NotUnderstood(msg("it names no unit", "没有列出单位"))
        return parsed

    def _names(self, text: str, parsed: Parsed) -> list[str]:
        split = split_list(text, self.known)
        if split is None:
            raise NotUnderstood(msg("cannot split the list of units 「{t}」", "无法拆分单位名单「{t}」", t=text))
        names, _, etc, _ = split
        parsed.etc = parsed.etc or etc
        out = []
        for name in names:
            if collective_of(name) is not None:
                parsed.collective = name if parsed.collective is None else parsed.collective + "、" + name
            elif looks_like_unit(name):
                out.append(name)
            else:
                raise NotUnderstood(msg("「{n}」 is not the name of a unit", "「{n}」不是单位名称", n=name))
        return out

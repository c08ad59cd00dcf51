"""The tables of a fill-in sheet: the header fields above the main table, the task rows and the
indicator rows, found by their labels and headers (not by position), read as the person saw them.

A header that appears twice, a filled-in column or row that is hidden, a row whose number and title
do not belong to its task id, a task twice or missing: each is refused at its cell. A row whose
fill-in cells are all empty is a task not yet reported on (未填报).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from kpsy.plan.model import STATUSES, DocPath, IndicatorActual, TaskProgress, Unit
from kpsy.plan.outline import PlanData
from kpsy.plan.periods import ReportPeriod
from kpsy.sheets import layout
from kpsy.sheets.book import Sheet, coordinate
from kpsy.sheets.cells import Collector, Place, where
from kpsy.sheets.meta import Meta
from kpsy.sheets.values import Month, Window, shown, whole

_EVIDENCE_SPLIT = re.compile(r"[\n；;]+")
HEADER_SEARCH = 60  # the header row is looked for in the first rows of the sheet
FILL_IN = tuple(c.key for c in layout.COLUMNS if c.fill_in)


@dataclass
class Table:
    """The main table of a sheet: where its header is, the column of each header, the header fields'
    value cells, and whose and when the sheet is."""

    sheet: Sheet
    header: int
    columns: dict[str, int]
    fields: dict[str, Place]
    owner: Unit
    period: ReportPeriod

    def row(self, number: int) -> dict[str, Place]:
        return {key: (self.sheet, number, column) for key, column in self.columns.items()}


def _base(text: str) -> str:
    return text.split("（")[0].split("(")[0].strip()


def _label(sheet: Sheet, row: int, column: int) -> str:
    cell = sheet.cells.get((row, column))
    return str(cell.value).strip().rstrip(":：") if cell is not None and cell.value is not None else ""


def header(
    sheet: Sheet, columns: tuple[layout.Column, ...], must: tuple[str, ...], reader: Collector
) -> tuple[int, dict[str, int]] | None:
    """The table's header row and the column of each known header; a header found twice is refused."""
    wanted = {_base(c.header): c.key for c in columns}
    for row in [r for r in sheet.rows() if r <= HEADER_SEARCH]:
        found: dict[str, list[int]] = {}
        for column in sheet.in_row(row):
            key = wanted.get(_base(_label(sheet, row, column)))
            if key is not None:
                found.setdefault(key, []).append(column)
        if all(k in found for k in must):
            for places in found.values():
                if len(places) > 1:
                    reader.at(
                        (sheet, row, places[1]),
                        "the header {name} appears twice ({first} and {second}): delete the extra column",
                        "表头“{name}”出现了两次（{first} 和 {second}）：请删除多余的列",
                        name=_label(sheet, row, places[0]),
                        first=coordinate(row, places[0]),
                        second=coordinate(row, places[1]),
                    )
            return row, {key: places[0] for key, places in found.items()}
    return None


def _hidden_columns(sheet: Sheet, row: int, columns: dict[str, int], keys: tuple[str, ...], reader: Collector) -> None:
    """A hidden column that was filled in is refused: the person did not see what it holds."""
    for key, column in columns.items():
        hidden = key in keys and sheet.column_hidden(column)
        if hidden and any(c == column and r > row and not reader.empty((sheet, r, c)) for r, c in sheet.cells):
            reader.at(
                (sheet, row, column),
                "the column {name} is hidden and holds what was filled in, which the person filling in did not see: unhide it, check it and send it again",
                "“{name}”列被隐藏，其中填写的内容填报人看不到：请取消隐藏、核对后再报送",
                name=_label(sheet, row, column),
            )


def _fields(sheet: Sheet, header_row: int, reader: Collector) -> dict[str, Place]:
    """The value cell of each header field, found by its label above the table (once)."""
    labels = {f.label: f.key for f in layout.FIELDS}
    found: dict[str, Place] = {}
    values: set[tuple[int, int]] = set()  # the value cells of labels found: a value is never a label
    for row, column in [(r, c) for r in sheet.rows() if r < header_row for c in sheet.in_row(r)]:
        key = labels.get(_label(sheet, row, column))
        if key is None or (row, column) in values:
            continue
        if key in found:
            reader.at(
                (sheet, row, column),
                "the field {label} appears twice ({first} and here)",
                "“{label}”出现了两次（{first} 和此处）",
                label=_label(sheet, row, column),
                first=where((sheet, found[key][1], found[key][2] - 1)),
            )
            continue
        found[key] = (sheet, row, column + 1)
        values.add((row, column + 1))
        if (sheet.row_hidden(row) or sheet.column_hidden(column + 1)) and not reader.empty(found[key]):
            reader.at(found[key], "the cell is hidden: unhide it and check it", "该单元格被隐藏：请取消隐藏并核对")
    return found


def find_table(sheet: Sheet, reader: Collector, owner: Unit, period: ReportPeriod) -> Table | None:
    """The main table, or None when its header or a header field is missing (said)."""
    reader.scan(sheet)
    found = header(sheet, layout.COLUMNS, ("task", "number", "title", "status", "progress"), reader)
    if found is None:
        reader.problem(
            layout.MAIN,
            "the table's header row (编号, 任务, 完成状态, 进展情况, 任务ID) is missing: do not change the header",
            "找不到表头（编号、任务、完成状态、进展情况、任务ID）：请不要修改或删除表头",
        )
        return None
    header_row, columns = found
    _hidden_columns(sheet, header_row, columns, FILL_IN, reader)
    fields = _fields(sheet, header_row, reader)
    for fld in layout.FIELDS:
        if fld.key not in fields:
            reader.problem(
                layout.MAIN,
                "the field {label} is missing above the table: do not change the sheet's header",
                "表头上方找不到“{label}”：请不要修改表格的标题部分",
                label=fld.label,
            )
    if any(f.key not in fields for f in layout.FIELDS):
        return None
    return Table(sheet, header_row, columns, fields, owner, period)


# --- the task rows ---------------------------------------------------------------------------------


@dataclass
class _Rows:
    """What the task rows hold, as they are read."""

    entries: dict[str, TaskProgress]
    places: dict[str, dict[str, Place]]
    rows_of: dict[str, int]
    blank: list[str]


def _task_of(table: Table, row: dict[str, Place], r: int, meta: Meta, reader: Collector, seen: _Rows) -> str | None:
    """The task id of a row that holds something, checked against the sheet's rows as issued."""
    expected = {task_id: (number, title) for task_id, number, title, _ in meta.tasks}
    task_id = reader.text(row["task"], "任务ID")
    if task_id is None:
        first = next(p for p in row.values() if not reader.empty(p))
        reader.at(
            first,
            "row {r} has no task id: do not add rows to fill in; every task has its row already",
            "第 {r} 行没有任务ID：请不要插入新行填写，每个任务都已列在表中",
            r=r,
        )
        return None
    if task_id not in expected:
        reader.at(
            row["task"],
            "task id '{id}' is not one of this sheet's tasks (was it changed?)",
            "任务ID“{id}”不是本表列出的任务（是否被修改？）",
            id=shown(task_id),
        )
        return None
    number, title = expected[task_id]
    if task_id in seen.rows_of:
        reader.at(
            row["task"],
            "task {number} appears twice (rows {first} and {r})",
            "任务 {number} 出现了两次（第 {first} 行和第 {r} 行）",
            number=number,
            first=seen.rows_of[task_id],
            r=r,
        )
        return None
    seen.rows_of[task_id] = r
    if (reader.text(row["number"], "编号") or "") != number or (reader.text(row["title"], "任务") or "") != title:
        reader.at(
            row["number"],
            "this row's number and title do not belong to its task id {id} ({number}): when sorting, select whole rows",
            "本行的编号、任务与任务ID {id}（{number}）不一致：排序时请选中整行，不要只排序部分列",
            id=task_id,
            number=number,
        )
        return None
    return task_id


def _blank_row(table: Table, row: dict[str, Place], r: int, label: str, reader: Collector, complete: bool) -> bool:
    """Whether the row's fill-in cells are all empty (a task not reported on); a hidden row that was
    filled in is refused."""
    filled = [row[k] for k in FILL_IN if k in row and not reader.empty(row[k])]
    if table.sheet.row_hidden(r):
        if filled:
            reader.at(
                filled[0],
                "row {r} is hidden and holds what was filled in, which the person filling in did not see: unhide it, check it and send it again",
                "第 {r} 行被隐藏，其中填写的内容填报人看不到：请取消隐藏、核对后再报送",
                r=r,
            )
            return True
        reader.warn(
            row["number"],
            "row {r} ({label}) is hidden and empty: not reported on",
            "第 {r} 行（{label}）被隐藏且未填写：按未填报处理",
            r=r,
            label=label,
        )
    if filled:
        return False
    if complete:
        reader.at(
            row["status"],
            "{label} is not filled in, and every task must be (--complete)",
            "{label}未填写（本次要求每项任务都填报：--complete）",
            label=label,
        )
    return True


def _entry(table: Table, row: dict[str, Place], task_id: str, reader: Collector) -> TaskProgress | None:
    status = reader.text(row["status"], "完成状态", required=True)
    if status is not None and status not in STATUSES:
        reader.at(
            row["status"],
            "status '{value}' is not one of the choices ({choices})",
            "状态“{value}”不在可选值中（可选：{choices}）",
            value=shown(status),
            choices="、".join(STATUSES),
        )
        status = None
    progress = reader.text(row["progress"], "进展情况", required=True)
    percent = reader.number(row["percent"], "完成比例", low=0, high=100) if "percent" in row else None
    problems = reader.text(row["problems"], "存在问题") if "problems" in row else None
    next_steps = reader.text(row["next_steps"], "下步打算") if "next_steps" in row else None
    evidence_text = reader.text(row["evidence"], "佐证材料") if "evidence" in row else None
    evidence = [e.strip() for e in _EVIDENCE_SPLIT.split(evidence_text or "") if e.strip()]
    if status is None or progress is None:
        return None
    return TaskProgress(
        task=task_id,
        status=status,  # type: ignore[arg-type]  # checked against STATUSES above
        percent=whole(percent) if percent is not None else None,
        progress=progress,
        problems=problems,
        next_steps=next_steps,
        evidence=evidence,
    )


def read_tasks(
    plan: PlanData, table: Table, meta: Meta, reader: Collector, cells: dict[DocPath, str], *, complete: bool
) -> tuple[list[TaskProgress], list[str]]:
    """The tasks reported on, in the sheet's order as issued, and the labels of those left blank."""
    seen = _Rows({}, {}, {}, [])
    labels = {task_id: f"{number}{title}" for task_id, number, title, _ in meta.tasks}
    for r in [r for r in table.sheet.rows() if r > table.header]:
        row = table.row(r)
        if all(reader.empty(place) for place in row.values()):
            continue
        task_id = _task_of(table, row, r, meta, reader, seen)
        if task_id is None:
            continue
        if _blank_row(table, row, r, labels[task_id], reader, complete):
            seen.blank.append(task_id)
            continue
        entry = _entry(table, row, task_id, reader)
        if entry is not None:
            seen.entries[task_id] = entry
            seen.places[task_id] = row
    _missing_rows(meta, seen, reader)
    return _in_order(meta, seen, cells), [labels[t] for t, *_ in meta.tasks if t in seen.blank]


def _missing_rows(meta: Meta, seen: _Rows, reader: Collector) -> None:
    for task_id, number, title, _ in meta.tasks:
        if task_id not in seen.rows_of:
            reader.problem(
                layout.MAIN,
                "task {number}{title} is missing (was its row deleted?)",
                "缺少任务 {number}{title}（该行被删除了？）",
                number=number,
                title=title,
            )
    if meta.tasks and not seen.entries and not reader.errors:
        reader.problem(
            layout.MAIN,
            "no task is filled in: fill in the status and progress of the tasks reported on",
            "没有填报任何任务：请至少填写一项任务的完成状态和进展情况",
        )


def _in_order(meta: Meta, seen: _Rows, cells: dict[DocPath, str]) -> list[TaskProgress]:
    tasks: list[TaskProgress] = []
    for task_id, *_ in meta.tasks:
        if task_id in seen.entries:
            i = len(tasks)
            tasks.append(seen.entries[task_id])
            for key, place in seen.places[task_id].items():
                cells[("tasks", i, key)] = where(place)
            cells[("tasks", i)] = where(seen.places[task_id]["status"])
    return tasks


# --- the indicators --------------------------------------------------------------------------------


def read_indicators(
    sheet: Sheet, meta: Meta, reader: Collector, cells: dict[DocPath, str], window: Window
) -> list[IndicatorActual]:
    """The measured values of the indicators sheet's rows that were filled in."""
    reader.scan(sheet)
    found = header(sheet, layout.INDICATOR_COLUMNS, ("target", "value", "date", "source"), reader)
    if found is None:
        reader.problem(
            sheet.name,
            "the indicators table's header (实际值, 统计日期, 数据来源, 目标ID) is missing: do not change it",
            "找不到指标表的表头（实际值、统计日期、数据来源、目标ID）：请不要修改表头",
        )
        return []
    header_row, columns = found
    _hidden_columns(sheet, header_row, columns, ("value", "date", "source"), reader)
    targets = {target_id for target_id, _ in meta.targets}
    actuals: list[IndicatorActual] = []
    for r in [r for r in sheet.rows() if r > header_row]:
        row = {key: (sheet, r, column) for key, column in columns.items()}
        actual = _indicator(row, r, targets, reader, window)
        if actual is not None:
            i = len(actuals)
            actuals.append(actual)
            for key in ("target", "value", "date", "source"):
                cells[("indicators", i, key)] = where(row[key])
            cells[("indicators", i)] = where(row["value"])
    return actuals


def _indicator(
    row: dict[str, Place], r: int, targets: set[str], reader: Collector, window: Window
) -> IndicatorActual | None:
    given = [row[k] for k in ("value", "date", "source") if not reader.empty(row[k])]
    target = reader.text(row["target"], "目标ID")
    if target is None:
        if given:
            reader.at(
                given[0],
                "row {r} has no target id: fill in the rows the sheet lists",
                "第 {r} 行没有目标ID：请在表中已列出的指标行填写",
                r=r,
            )
        return None
    if target not in targets:
        reader.at(row["target"], "target id '{id}' was changed", "目标ID“{id}”已被修改", id=shown(target))
        return None
    if not given:
        return None
    if row["value"][0].row_hidden(r):
        reader.at(
            given[0],
            "row {r} is hidden and holds what was filled in: unhide it, check it and send it again",
            "第 {r} 行被隐藏，其中填写的内容填报人看不到：请取消隐藏、核对后再报送",
            r=r,
        )
        return None
    value = reader.number(row["value"], "实际值")
    day = reader.date(row["date"], "统计日期", window, required=True, month=True)
    source = reader.text(row["source"], "数据来源", required=True)
    if reader.empty(row["value"]):
        reader.at(row["value"], "实际值 is empty", "实际值未填写")
    if value is None or day is None or source is None:
        return None
    when: dt.date | str = str(day) if isinstance(day, Month) else day
    return IndicatorActual(target=target, value=whole(value), date=when, source=source)

"""Reading a filled-in workbook, cell by cell: every problem at its sheet and cell, in words a clerk
understands, and the report it holds when there is none.

A workbook comes from outside (a unit, Excel or WPS): it is opened with size limits and without
formulas being evaluated, its cells are read as values only, and nothing in it is trusted until
checked: the unit and period against the hidden sheet and the visible cells, each row's task against
the rows the sheet was made with (so re-sorted rows and added blank rows are harmless), each value
against what its column takes.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
import warnings
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kpsy.findings import Level
from kpsy.i18n import msg
from kpsy.plan.model import STATUSES, DocPath, IndicatorActual, ProgressFile, TaskProgress, Unit
from kpsy.plan.outline import PlanData
from kpsy.plan.periods import ReportPeriod, parse_period
from kpsy.sheets import layout

MAX_BYTES = 20 * 1024 * 1024  # a filled sheet is a few hundred KiB
MAX_UNPACKED = 200 * 1024 * 1024  # refuses a zip bomb before it is opened
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_EVIDENCE_SPLIT = re.compile(r"[\n；;]+")


@dataclass(frozen=True)
class SheetProblem:
    """A problem in a workbook: the file, where in it (进展!E7, a sheet's name, or "" for the whole
    workbook), and what is wrong."""

    file: str
    where: str
    message: str
    level: Level = Level.ERROR

    @property
    def is_error(self) -> bool:
        return self.level is Level.ERROR

    def line(self) -> str:
        """One line for the person importing: 表.xlsx：进展!E7：状态“快完成了”不在可选值中."""
        warning = msg("warning: ", "警告：") if not self.is_error else ""
        if self.where:
            return msg(
                "{file}: {where}: {warning}{message}",
                "{file}：{where}：{warning}{message}",
                file=self.file,
                where=self.where,
                warning=warning,
                message=self.message,
            )
        return msg(
            "{file}: {warning}{message}",
            "{file}：{warning}{message}",
            file=self.file,
            warning=warning,
            message=self.message,
        )


@dataclass
class SheetReport:
    """What a sound workbook holds: the report, and the cell each of its values came from."""

    file: str
    path: Path
    unit: Unit
    period: ReportPeriod
    record: ProgressFile
    cells: dict[DocPath, str] = field(default_factory=dict)  # a path in the record's data -> 进展!E7


# --- values --------------------------------------------------------------------------------------


def _where(cell: Any) -> str:
    return f"{cell.parent.title}!{cell.coordinate}"


def _shown(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 30 else text[:30] + "…"


class _Reader:
    """Collects the problems of one workbook while its cells are read."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[SheetProblem] = []
        self.bad_cells: set[str] = set()  # cells already reported (formulas, error values)

    def problem(self, where: str, en: str, zh: str, **values: Any) -> None:
        self.problems.append(SheetProblem(self.file, where, msg(en, zh, **values)))

    def at(self, cell: Any, en: str, zh: str, **values: Any) -> None:
        self.problem(_where(cell), en, zh, **values)

    def usable(self, cell: Any) -> bool:
        return _where(cell) not in self.bad_cells

    def scan(self, sheet: Any) -> None:
        """Formulas, error values and merged cells anywhere in a sheet."""
        for merged in sorted(sheet.merged_cells.ranges, key=lambda r: (r.min_row, r.min_col)):
            self.problem(
                f"{sheet.title}!{merged.coord.split(':')[0]}",
                "merged cells {range}: unmerge them (one value a cell, one task a row)",
                "合并了单元格 {range}：请取消合并（每个单元格一个值，每个任务一行）",
                range=merged.coord,
            )
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    self.bad_cells.add(_where(cell))
                    self.at(
                        cell,
                        "the cell holds a formula ({formula}): type the value itself",
                        "单元格含公式（{formula}）：请直接填写数值或文字，不要使用公式",
                        formula=_shown(cell.value),
                    )
                elif cell.data_type == "e":
                    self.bad_cells.add(_where(cell))
                    self.at(
                        cell,
                        "the cell shows an error value ({value})",
                        "单元格显示错误值（{value}）",
                        value=cell.value,
                    )

    def text(self, cell: Any, what: str, *, required: bool = False) -> str | None:
        """The text of a cell, trimmed; None when empty."""
        if not self.usable(cell):
            return None
        value = cell.value
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.at(cell, "{what} is empty", "{what}未填写", what=what)
            return None
        if isinstance(value, bool):
            text = "是" if value else "否"
        elif isinstance(value, dt.datetime):
            text = value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
        elif isinstance(value, dt.date):
            text = value.isoformat()
        elif isinstance(value, float) and value.is_integer():
            text = str(int(value))
        else:
            text = str(value)
        text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
        bad = _CONTROL.search(text)
        if bad:
            self.at(
                cell,
                "{what} holds an invisible control character U+{code:04X}: delete it",
                "{what}含不可见的控制字符 U+{code:04X}：请删除",
                what=what,
                code=ord(bad.group()),
            )
            return None
        return text

    def date(self, cell: Any, what: str, *, required: bool = False) -> dt.date | None:
        if not self.usable(cell):
            return None
        value = cell.value
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.at(cell, "{what} is empty", "{what}未填写", what=what)
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, int | float) and not isinstance(value, bool):
            hint = ""
            try:
                from openpyxl.utils.datetime import from_excel

                day = from_excel(value)
                if isinstance(day, dt.datetime) and 1990 <= day.year <= 2100:
                    hint = msg(" (as a date: {d})", "（若为日期，即 {d}）", d=day.date().isoformat())
            except (ValueError, OverflowError, TypeError):
                pass
            self.at(
                cell,
                "{what} is the number {value}{hint}, not a date: format the cell as a date, or type the date again (2024-12-08)",
                "{what}是数字 {value}{hint}，不是日期（Excel 日期序号）：请把单元格设为日期格式，或重新输入日期，如 2024-12-08",
                what=what,
                value=_shown(value),
                hint=hint,
            )
            return None
        self.at(
            cell,
            "{what} '{value}' is text, not a date: delete it and type the date (2024-12-08), or format the cell as a date",
            "{what}“{value}”是文字，不是日期：请删除后重新输入日期（如 2024-12-08），或把单元格设为日期格式",
            what=what,
            value=_shown(value),
        )
        return None

    def number(self, cell: Any, what: str, *, low: float | None = None, high: float | None = None) -> float | None:
        if not self.usable(cell):
            return None
        value = cell.value
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        if isinstance(value, (bool, dt.date)):
            self.at(cell, "{what} must be a number", "{what}应为数字", what=what)
            return None
        if isinstance(value, str):
            text = value.strip()
            folded = unicodedata.normalize("NFKC", text)
            if folded != text and re.fullmatch(r"[+-]?\d+(\.\d+)?%?", folded):
                self.at(
                    cell,
                    "{what} '{value}' is written with full-width digits: type it with ordinary digits ({plain})",
                    "{what}“{value}”含全角数字：请用半角数字填写，如 {plain}",
                    what=what,
                    value=_shown(text),
                    plain=folded.rstrip("%"),
                )
            else:
                self.at(
                    cell,
                    "{what} '{value}' is not a number: type a number (80)",
                    "{what}“{value}”不是数字：请填写数字，如 80",
                    what=what,
                    value=_shown(text),
                )
            return None
        number = float(value)
        if "%" in (cell.number_format or ""):  # 80% typed into a cell: Excel keeps 0.8
            number *= 100
        number = round(number, 6)
        if (low is not None and number < low) or (high is not None and number > high):
            self.at(
                cell,
                "{what} {value:g} is outside {low:g} to {high:g}",
                "{what} {value:g} 超出 {low:g} 到 {high:g} 的范围",
                what=what,
                value=number,
                low=low if low is not None else float("-inf"),
                high=high if high is not None else float("inf"),
            )
            return None
        return int(number) if number.is_integer() else number


# --- the workbook --------------------------------------------------------------------------------


def _open(path: Path, reader: _Reader) -> Any | None:
    try:
        size = path.stat().st_size
        with open(path, "rb") as fh:
            head = fh.read(8)
    except OSError as exc:
        reader.problem("", "cannot read the file: {why}", "无法读取文件：{why}", why=exc.strerror or exc)
        return None
    if size > MAX_BYTES:
        reader.problem(
            "",
            "the file is {size:,} bytes; a fill-in sheet is far smaller",
            "文件过大（{size:,} 字节），不是填报表",
            size=size,
        )
        return None
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        reader.problem(
            "",
            "this is an old-style .xls (or WPS .et) workbook: save it as an Excel workbook (.xlsx) and import that",
            "这是旧版 .xls（或 WPS .et）格式：请在 Excel 或 WPS 中“另存为” Excel 工作簿（.xlsx）后再导入",
        )
        return None
    if not head.startswith(b"PK"):
        reader.problem("", "not an Excel workbook (.xlsx)", "不是 Excel 工作簿（.xlsx）")
        return None
    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError):
        reader.problem("", "the workbook is damaged (not a readable .xlsx)", "工作簿已损坏，无法读取")
        return None
    if unpacked > MAX_UNPACKED:
        reader.problem(
            "",
            "the workbook unpacks to {size:,} bytes: refused",
            "工作簿解压后过大（{size:,} 字节），拒绝读取",
            size=unpacked,
        )
        return None
    from openpyxl import load_workbook

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # WPS and LibreOffice write extensions openpyxl only warns about
            return load_workbook(path, data_only=False, keep_links=False, keep_vba=False, rich_text=False)
    except Exception as exc:  # openpyxl raises many kinds of error on a damaged file
        reader.problem(
            "",
            "the workbook cannot be read ({error})",
            "无法读取工作簿（{error}）",
            error=f"{type(exc).__name__}: {_shown(exc)}",
        )
        return None


@dataclass
class _Meta:
    unit: str
    period: str
    tasks: list[tuple[str, str, str]]  # id, number, title, in the sheet's order
    targets: list[str]


def _meta(book: Any, reader: _Reader) -> _Meta | None:
    if layout.META not in book.sheetnames:
        reader.problem(
            "",
            "this is not a fill-in sheet made by kpsy (its hidden sheet {meta} is missing): fill in the sheet made by `kpsy progress sheet`",
            "这不是 kpsy 生成的填报表（缺少隐藏工作表 {meta}）：请使用 kpsy progress sheet 生成的表格填写，不要复制到新工作簿",
            meta=layout.META,
        )
        return None
    rows = [list(r) for r in book[layout.META].iter_rows(values_only=True)]
    if not rows or rows[0][:2] != [layout.FORMAT, layout.VERSION]:
        reader.problem(
            layout.META,
            "the hidden sheet was changed, or the sheet was made by another version of kpsy: make a new one",
            "隐藏工作表已被修改，或由其他版本的 kpsy 生成：请重新生成填报表",
        )
        return None
    values = {str(r[0]): r[1] for r in rows if r and r[0] in ("unit", "period", "plan")}
    tasks: list[tuple[str, str, str]] = []
    targets: list[str] = []
    section = ""
    for row in rows[1:]:
        head = row[0] if row else None
        if head in ("task", "target"):
            section = str(head)
            continue
        if head is None:
            section = ""
            continue
        if section == "task":
            tasks.append((str(head), str(row[1] or ""), str(row[2] or "")))
        elif section == "target":
            targets.append(str(head))
    if not isinstance(values.get("unit"), str) or values.get("period") is None:
        reader.problem(
            layout.META, "the hidden sheet was changed: make a new sheet", "隐藏工作表已被修改：请重新生成填报表"
        )
        return None
    return _Meta(str(values["unit"]), str(values["period"]), tasks, targets)


def _label(value: Any) -> str:
    return str(value).strip().rstrip(":：") if value is not None else ""


def _fields(sheet: Any, header_row: int) -> dict[str, Any]:
    """The value cell of each header field, found by its label above the table."""
    labels = {f.label: f.key for f in layout.FIELDS}
    found: dict[str, Any] = {}
    for row in sheet.iter_rows(min_row=1, max_row=max(1, header_row - 1)):
        for cell in row:
            key = labels.get(_label(cell.value))
            if key is not None and key not in found:
                found[key] = cell.offset(column=1)
    return found


def _header(sheet: Any, columns: tuple[layout.Column, ...], must: tuple[str, ...]) -> tuple[int, dict[str, int]] | None:
    """The table's header row and the column of each known header."""

    def base(text: str) -> str:
        return text.split("（")[0].split("(")[0].strip()

    wanted = {base(c.header): c.key for c in columns}
    for row in sheet.iter_rows(min_row=1, max_row=min(sheet.max_row, 60)):
        found = {wanted[base(_label(c.value))]: c.column for c in row if base(_label(c.value)) in wanted}
        if all(k in found for k in must):
            return row[0].row, found
    return None


def _expect_sheet(book: Any, name: str, reader: _Reader) -> Any | None:
    if name in book.sheetnames:
        return book[name]
    others = "、".join(n for n in book.sheetnames if n != layout.META)
    reader.problem(
        "",
        "no sheet named {name} (the workbook has: {others}): do not rename or delete sheets",
        "找不到工作表“{name}”（工作簿中有：{others}）：请不要重命名或删除工作表",
        name=name,
        others=others,
    )
    return None


def _row_values(sheet: Any, row: int, columns: dict[str, int]) -> dict[str, Any]:
    return {key: sheet.cell(row=row, column=col) for key, col in columns.items()}


def _blank(cells: dict[str, Any]) -> bool:
    return all(c.value is None or (isinstance(c.value, str) and not c.value.strip()) for c in cells.values())


def read_sheet(
    plan: PlanData,
    path: Path,
    *,
    file: str | None = None,
    unit: Unit | None = None,
    period: ReportPeriod | None = None,
) -> tuple[SheetReport | None, list[SheetProblem]]:
    """The report a filled-in workbook holds, or every problem in it. With `unit` or `period`, the
    workbook must be that unit's, for that period."""
    reader = _Reader(file or path.name)
    book = _open(path, reader)
    if book is None:
        return None, reader.problems
    meta = _meta(book, reader)
    main = _expect_sheet(book, layout.MAIN, reader)
    extra = _expect_sheet(book, layout.INDICATORS, reader) if meta is not None and meta.targets else None
    if meta is None or main is None or (meta.targets and extra is None):
        return None, reader.problems
    reader.scan(main)
    if extra is not None:
        reader.scan(extra)

    # who and when
    owner = plan.units.by_id.get(meta.unit)
    chosen = parse_period(meta.period)
    if owner is None:
        reader.problem(
            layout.META,
            "the sheet is for unit '{id}', which is not in the plan's registry",
            "表格所属单位（ID “{id}”）不在单位名册中",
            id=meta.unit,
        )
    if chosen is None:
        reader.problem(
            layout.META, "the sheet's period '{p}' is not a period", "表格记录的期间“{p}”无效", p=meta.period
        )
    found = _header(main, layout.COLUMNS, ("task", "number", "title", "status", "progress"))
    if found is None:
        reader.problem(
            layout.MAIN,
            "the table's header row (编号, 任务, 完成状态, 进展情况, 任务ID) is missing: do not change the header",
            "找不到表头（编号、任务、完成状态、进展情况、任务ID）：请不要修改或删除表头",
        )
        return None, reader.problems
    header_row, columns = found
    fields = _fields(main, header_row)
    for fld in layout.FIELDS:
        if fld.key not in fields:
            reader.problem(
                layout.MAIN,
                "the field {label} is missing above the table: do not change the sheet's header",
                "表头上方找不到“{label}”：请不要修改表格的标题部分",
                label=fld.label,
            )
    if owner is None or chosen is None or any(f.key not in fields for f in layout.FIELDS):
        return None, reader.problems
    unit_cell, period_cell = fields["unit"], fields["period"]
    shown_unit = reader.text(unit_cell, "填报单位")
    if shown_unit is not None and plan.units.get(shown_unit) is not owner:
        reader.at(
            unit_cell,
            "the unit '{shown}' is not the one the sheet was made for ({unit})",
            "填报单位“{shown}”与表格生成时的单位（{unit}）不一致",
            shown=shown_unit,
            unit=owner.name,
        )
    shown_period = reader.text(period_cell, "填报期间")
    if shown_period is not None and shown_period != chosen.label:
        reader.at(
            period_cell,
            "the period '{shown}' is not the one the sheet was made for ({period})",
            "填报期间“{shown}”与表格生成时的期间（{period}）不一致",
            shown=shown_period,
            period=chosen.label,
        )
    if unit is not None and unit.id != owner.id:
        reader.at(
            unit_cell,
            "this is {owner}'s sheet, not {unit}'s",
            "这是{owner}的填报表，不是{unit}的",
            owner=owner.name,
            unit=unit.name,
        )
    if period is not None and period.text != chosen.text:
        reader.at(
            period_cell,
            "this sheet is for {sheet}, not for {period}",
            "这是{sheet}的填报表，不是{period}的",
            sheet=chosen.label,
            period=period.label,
        )
    cells: dict[DocPath, str] = {("unit",): _where(unit_cell), ("period",): _where(period_cell)}
    reporter = reader.text(fields["reporter"], "填报人", required=True)
    approver = reader.text(fields["approver"], "审核人", required=True)
    filed = reader.date(fields["date"], "填报日期", required=True)
    for key in ("reporter", "approver", "date"):
        cells[(key,)] = _where(fields[key])

    # the tasks
    expected = {task_id: (number, title) for task_id, number, title in meta.tasks}
    entries: dict[str, TaskProgress] = {}
    rows_of: dict[str, int] = {}
    row_cells: dict[str, dict[str, str]] = {}
    for r in range(header_row + 1, main.max_row + 1):
        row = _row_values(main, r, columns)
        if _blank(row):
            continue
        task_id = reader.text(row["task"], "任务ID")
        if task_id is None:
            first = next(c for c in row.values() if not _blank({"x": c}))
            reader.at(
                first,
                "row {r} has no task id: do not add rows to fill in; every task has its row already",
                "第 {r} 行没有任务ID：请不要插入新行填写，每个任务都已列在表中",
                r=r,
            )
            continue
        if task_id not in expected:
            reader.at(
                row["task"],
                "task id '{id}' is not one of this sheet's tasks (was it changed?)",
                "任务ID“{id}”不是本表列出的任务（是否被修改？）",
                id=task_id,
            )
            continue
        if task_id in rows_of:
            reader.at(
                row["task"],
                "task {number} appears twice (rows {first} and {r})",
                "任务 {number} 出现了两次（第 {first} 行和第 {r} 行）",
                number=expected[task_id][0],
                first=rows_of[task_id],
                r=r,
            )
            continue
        rows_of[task_id] = r
        number, title = expected[task_id]
        if (reader.text(row["number"], "编号") or "") != number or (reader.text(row["title"], "任务") or "") != title:
            reader.at(
                row["number"],
                "this row's number and title do not belong to its task id {id} ({number}): when sorting, select whole rows",
                "本行的编号、任务与任务ID {id}（{number}）不一致：排序时请选中整行，不要只排序部分列",
                id=task_id,
                number=number,
            )
            continue
        status = reader.text(row["status"], "完成状态", required=True)
        if status is not None and status not in STATUSES:
            reader.at(
                row["status"],
                "status '{value}' is not one of the choices ({choices})",
                "状态“{value}”不在可选值中（可选：{choices}）",
                value=_shown(status),
                choices="、".join(STATUSES),
            )
            status = None
        progress = reader.text(row["progress"], "进展情况", required=True)
        percent = reader.number(row["percent"], "完成比例", low=0, high=100) if "percent" in row else None
        problems = reader.text(row["problems"], "存在问题") if "problems" in row else None
        next_steps = reader.text(row["next_steps"], "下步打算") if "next_steps" in row else None
        evidence_text = reader.text(row["evidence"], "佐证材料") if "evidence" in row else None
        evidence = [e.strip() for e in _EVIDENCE_SPLIT.split(evidence_text or "") if e.strip()]
        row_cells[task_id] = {key: _where(cell) for key, cell in row.items()}
        if status is not None and progress is not None:
            entries[task_id] = TaskProgress(
                task=task_id,
                status=status,  # type: ignore[arg-type]  # checked against STATUSES above
                percent=percent,
                progress=progress,
                problems=problems,
                next_steps=next_steps,
                evidence=evidence,
            )
    for task_id, number, title in meta.tasks:
        if task_id not in rows_of:
            reader.problem(
                layout.MAIN,
                "task {number}{title} is missing (was its row deleted?)",
                "缺少任务 {number}{title}（该行被删除了？）",
                number=number,
                title=title,
            )
    tasks: list[TaskProgress] = []
    for task_id, _, _ in meta.tasks:
        if task_id in entries:
            i = len(tasks)
            tasks.append(entries[task_id])
            for key, where in row_cells[task_id].items():
                cells[("tasks", i, key)] = where
            cells[("tasks", i)] = row_cells[task_id]["status"]

    # the indicators
    actuals: list[IndicatorActual] = []
    if extra is not None:
        actuals = _read_indicators(extra, meta, reader, cells)

    if reader.problems or reporter is None or approver is None or filed is None:
        return None, reader.problems
    record = ProgressFile(
        unit=owner.id,
        period=chosen.text,
        reporter=reporter,
        approver=approver,
        date=filed,
        tasks=tasks,
        indicators=actuals,
    )
    return SheetReport(reader.file, path, owner, chosen, record, cells), []


def _read_indicators(sheet: Any, meta: _Meta, reader: _Reader, cells: dict[DocPath, str]) -> list[IndicatorActual]:
    found = _header(sheet, layout.INDICATOR_COLUMNS, ("target", "value", "date", "source"))
    if found is None:
        reader.problem(
            sheet.title,
            "the indicators table's header (实际值, 统计日期, 数据来源, 目标ID) is missing: do not change it",
            "找不到指标表的表头（实际值、统计日期、数据来源、目标ID）：请不要修改表头",
        )
        return []
    header_row, columns = found
    actuals: list[IndicatorActual] = []
    for r in range(header_row + 1, sheet.max_row + 1):
        row = _row_values(sheet, r, columns)
        if _blank(row):
            continue
        target = reader.text(row["target"], "目标ID")
        given = {k: row[k] for k in ("value", "date", "source") if not _blank({k: row[k]})}
        if target is None:
            if given:
                reader.at(
                    next(iter(given.values())),
                    "row {r} has no target id: fill in the rows the sheet lists",
                    "第 {r} 行没有目标ID：请在表中已列出的指标行填写",
                    r=r,
                )
            continue
        if target not in meta.targets:
            reader.at(row["target"], "target id '{id}' was changed", "目标ID“{id}”已被修改", id=target)
            continue
        if not given:
            continue
        value = reader.number(row["value"], "实际值")
        day = reader.date(row["date"], "统计日期", required=True)
        source = reader.text(row["source"], "数据来源", required=True)
        if "value" not in given:
            reader.at(row["value"], "实际值 is empty", "实际值未填写")
        if value is None or day is None or source is None:
            continue
        i = len(actuals)
        actuals.append(IndicatorActual(target=target, value=value, date=day, source=source))
        for key in ("target", "value", "date", "source"):
            cells[("indicators", i, key)] = _where(row[key])
        cells[("indicators", i)] = _where(row["value"])
    return actuals

"""A unit's fill-in workbook for one period: its tasks pre-filled and locked, status as a drop-down,
an instructions sheet, an indicators sheet, A4 print set-up, and the unit and period kept in a
hidden sheet for the import to check."""

from __future__ import annotations

import datetime as dt
import io
import math
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kpsy.errors import OutputError
from kpsy.i18n import msg
from kpsy.outputs.excel import put
from kpsy.outputs.layout import display_width
from kpsy.outputs.listing import print_setup
from kpsy.plan.model import OVERSIGHT_KINDS, STATUSES, Unit
from kpsy.plan.numbering import chinese_date, chinese_number
from kpsy.plan.outline import PlanData
from kpsy.plan.periods import ReportPeriod
from kpsy.plan.reportable import Reportable, reportable
from kpsy.plan.units import UnitRegistry
from kpsy.sheets import layout
from kpsy.util import write_atomic

GREY = "F2F2F2"
HEAD = "DDEBF7"
INPUT = "FFFFFF"


@dataclass
class Row:
    """A pre-filled row: the task, the unit's role in it, and the other units."""

    item: Reportable
    role: str
    others: str


def others_text(item: Reportable, unit: Unit, role: str) -> str:
    """The other units of a task, as the unit needs to know them: 共同牵头/牵头 and, for a lead, 参加."""
    resp = item.action.chapter.responsibility
    leads = [n for n in (resp.leads if resp else []) if n != unit.name]
    parts = []
    if leads:
        parts.append(("共同牵头：" if role == "lead" else "牵头：") + "、".join(leads))
    if role == "lead" and resp and resp.participants:
        parts.append("参加：" + "、".join(n for n in resp.participants if n != unit.name) + ("等" if resp.etc else ""))
    if not parts and not resp:
        named = [n for n in item.roles if n != unit.name]
        if named:
            parts.append("文中提及：" + "、".join(named))
    return "；".join(parts)


def rows_for(plan: PlanData, unit: Unit, items: list[Reportable] | None = None) -> list[Row]:
    """The tasks on `unit`'s sheet: every item where it has a role, in document order."""
    rows = []
    for item in items if items is not None else reportable(plan):
        role = item.role(unit.name)
        if role is not None:
            rows.append(Row(item, role, others_text(item, unit, role)))
    return rows


def sheet_title(unit: Unit, period: ReportPeriod) -> str:
    return f"{unit.name}{period.label_of_year}全民科学素质行动任务落实情况"


def _lines(text: str, width: float) -> int:
    """How many lines `text` wraps to in a column `width` characters wide (a Chinese character is two)."""
    per_line = max(1.0, width - 1)
    return max(1, sum(max(1, -(-display_width(part) // int(per_line))) for part in text.split("\n")))


def _style(cell: Any, *, bold: bool = False, fill: str | None = None, wrap: bool = True, size: float = 0) -> None:
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    thin = Side(style="thin", color="A6A6A6")
    cell.font = Font(name=layout.FONT, size=size or layout.FONT_SIZE, bold=bold)
    cell.alignment = Alignment(wrap_text=wrap, vertical="top")
    cell.border = Border(left=thin, right=thin, top=thin, bottom=thin)
    if fill:
        cell.fill = PatternFill("solid", start_color=fill, end_color=fill)


def _print_setup(sheet: Any, *, landscape: bool, title_rows: str | None = None) -> None:
    """The shared A4 set-up (kpsy.outputs.listing.print_setup), with page numbers in the footer."""
    print_setup(sheet, 0, "landscape" if landscape else "portrait", title_row=None)
    sheet.page_margins.left = sheet.page_margins.right = 0.4
    sheet.page_margins.top = sheet.page_margins.bottom = 0.6
    sheet.oddFooter.center.text = "第 &P 页，共 &N 页"
    if title_rows:
        sheet.print_title_rows = title_rows


def _unlock(cell: Any) -> None:
    from openpyxl.styles import Protection

    cell.protection = Protection(locked=False)


def _protect(sheet: Any) -> None:
    """Locked cells cannot be changed; rows and columns can still be resized."""
    sheet.protection.sheet = True
    sheet.protection.formatRows = False
    sheet.protection.formatColumns = False


def example_day(period: ReportPeriod, deadline: dt.date | None = None) -> dt.date:
    """A date of the sheet's own period for examples: the deadline when there is one, else the
    period's last day."""
    return deadline if deadline is not None and period.start <= deadline <= period.end else period.end


def _guide(book: Any, plan: PlanData, unit: Unit, period: ReportPeriod, rows: list[Row], **about: Any) -> None:
    from openpyxl.styles import Alignment, Font

    sheet = book.create_sheet(layout.GUIDE)
    sheet.column_dimensions["A"].width = GUIDE_WIDTH
    deadline: dt.date | None = about.get("deadline")
    sender: str | None = about.get("sender")
    example = example_day(period, deadline)
    counts = {role: sum(1 for r in rows if r.role == role) for role in layout.ROLE_LABELS}
    roles = "、".join(f"{layout.ROLE_LABELS[r]} {n} 项" for r, n in counts.items() if n)
    items = [
        f"本表根据《{plan.title}》生成，列出{unit.name}的全部 {len(rows)} 项任务（{roles}），"
        f"请填报{period.label}的落实情况。",
        f"请在“{layout.MAIN}”工作表的白色单元格中填写；灰色单元格为预填内容，已锁定，请勿修改。"
        "请不要重命名、删除工作表，不要合并单元格，不要使用公式。",
        "完成状态请从下拉列表中选择：",
        "完成比例填写 0 到 100 之间的数字（如 80），可以不填。",
        "进展情况必填；存在问题、下步打算、佐证材料（文件名或链接，多个请分行）按实际填写，"
        "单元格内换行请按 Alt+Enter。暂不能填报的任务整行留空，按“未填报”处理，列入催报名单。",
        f"填报人、审核人（分管领导）和填报日期必填；填报日期请输入日期，如 {example.isoformat()}"
        f"（也可写作 {example.year}/{example.month}/{example.day} 或 {example.year}年{example.month}月{example.day}日）。",
        "可以调整行高和列宽、插入空行，也可以排序（请选中整行）；Excel、WPS 和 LibreOffice 均可填写，"
        "请保存为 .xlsx（或 .ods）格式报送，不要改动文件名。",
    ]
    if plan.targets:
        items.insert(
            -1,
            f"掌握统计数据的单位，请在“{layout.INDICATORS}”工作表填写实际值、统计日期和数据来源；没有的不填。",
        )
    if deadline or sender:
        when = f"于{chinese_date(deadline)}前" if deadline else ""
        items.append(f"请{when}将本表报送{sender or ''}。")
    lines = [f"{unit.name}{period.label_of_year}任务落实情况填报说明", ""]
    for n, text in enumerate(items, 1):
        lines.append(f"{chinese_number(n)}、{text}")
        if text.startswith("完成状态"):
            lines += [f"    {status}：{layout.STATUS_HELP[status]}" for status in STATUSES]
    for i, line in enumerate(lines, 1):
        cell = sheet.cell(row=i, column=1)
        put(cell, line or None)
        size = 14 if i == 1 else layout.FONT_SIZE
        cell.font = Font(name=layout.FONT, size=size, bold=i == 1)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.row_dimensions[i].height = _wrapped_height(line, size)
    _print_setup(sheet, landscape=False)  # fitted to the page's width, which the column does not exceed
    sheet.print_area = f"A1:A{len(lines)}"
    _protect(sheet)


# The instructions' column, in characters of the workbook's default font: as wide as the A4 page
# where that is widest (LibreOffice, 6.9 pt a character); its lines are counted where it is
# narrowest (Excel, 7 pixels of 0.75 pt), so that no row is too low to show them all.
GUIDE_WIDTH = 74
GUIDE_WIDTH_PT = (GUIDE_WIDTH * 7 + 5) * 0.75 - 12


def _wrapped_height(text: str, size: float) -> float:
    """The height (pt) of a row whose one wrapped cell in the instructions' column holds `text` at `size`:
    neither Excel nor LibreOffice sizes the rows of a workbook they open."""
    ems = display_width(text) / 2  # a Chinese character is one em, a Latin letter half
    lines = max(1, math.ceil(ems * size / GUIDE_WIDTH_PT))
    return round(lines * size * 1.45 + 3, 1)


def _meta(
    book: Any, plan: PlanData, unit: Unit, period: ReportPeriod, rows: list[Row], filename: str, key: bytes | None
) -> None:
    """The hidden sheet the import checks the workbook by: who, when, as which file, the rows as
    issued, and the seal over all of it (none without a key). It is very hidden (not listed by
    Format > Sheet > Unhide), protected with a password nobody is told, and the workbook's structure
    is locked, so that sheets cannot be unhidden, added, renamed or removed."""
    import secrets

    from kpsy.sheets.meta import Meta
    from kpsy.sheets.seal import fingerprint, seal

    meta = Meta(str(layout.VERSION), unit.id, period.text, plan.title, filename, fingerprint(key) if key else "")
    meta.tasks = [(r.item.id, r.item.number, r.item.title, r.role) for r in rows]
    meta.targets = [(t.id, t.indicator) for t in plan.targets]
    meta.seal = seal(key, meta.fields(), meta.rows()) if key else ""
    sheet = book.create_sheet(layout.META)
    sheet.sheet_state = "veryHidden"
    values: list[list[Any]] = [
        [layout.FORMAT, str(layout.VERSION)],
        *([name, getattr(meta, name)] for name in ("unit", "period", "plan", "issued", "key", "seal")),
        [],
        ["task", "number", "title", "role"],
        *(list(task) for task in meta.tasks),
        [],
        ["target", "indicator"],
        *(list(target) for target in meta.targets),
    ]
    for i, line in enumerate(values, 1):
        for j, value in enumerate(line, 1):
            put(sheet.cell(row=i, column=j), value)
    _protect(sheet)
    sheet.protection.password = secrets.token_hex(16)
    book.security.lockStructure = True
    book.security.workbookPassword = secrets.token_hex(16)


def _fields(sheet: Any, unit: Unit, period: ReportPeriod) -> None:
    """The title and the header fields (填报单位, 填报期间 pre-filled; 填报人, 审核人, 填报日期 to fill in)."""
    from openpyxl.styles import Font

    put(sheet[layout.TITLE_CELL], sheet_title(unit, period))
    sheet[layout.TITLE_CELL].font = Font(name=layout.FONT, size=16, bold=True)
    sheet.row_dimensions[1].height = 26
    values = {"unit": unit.name, "period": period.label}
    for fld in layout.FIELDS:
        label = sheet[fld.cell]
        put(label, fld.label)
        _style(label, bold=True, fill=HEAD, wrap=False)
        value = label.offset(column=1)
        put(value, values.get(fld.key))
        _style(value, fill=INPUT if fld.fill_in else GREY, wrap=False)
        if fld.fill_in:
            _unlock(value)
        if fld.key == "date":
            value.number_format = "yyyy-mm-dd"
            _validate(sheet, _date_rule("填报日期", example_day(period), blank=False), value.coordinate)
    note = sheet.cell(row=4, column=1)
    put(note, "灰色单元格为预填内容（已锁定）；请在白色单元格中填写，完成状态请从下拉列表中选择。")
    note.font = Font(name=layout.FONT, size=layout.FONT_SIZE, italic=True, color="595959")


def _date_rule(title: str, example: dt.date, *, blank: bool) -> Any:
    """A date cell's validation: a date from 2000 to 2100, with an example of the sheet's own period."""
    from openpyxl.worksheet.datavalidation import DataValidation

    return DataValidation(
        type="date",
        operator="between",
        formula1="36526",  # 2000-01-01
        formula2="73415",  # 2100-12-31
        showErrorMessage=True,
        errorTitle=title,
        error=f"请输入日期，如 {example.isoformat()}",
        allow_blank=blank,
    )


def _validate(sheet: Any, validation: Any, cells: str) -> None:
    sheet.add_data_validation(validation)
    validation.add(cells)


def _headers(sheet: Any, row: int, columns: Any) -> None:
    """The header row of a table of the sheet, with its columns' widths."""
    from openpyxl.styles import Alignment
    from openpyxl.utils import get_column_letter

    for j, column in enumerate(columns, 1):
        cell = sheet.cell(row=row, column=j)
        put(cell, column.header)
        _style(cell, bold=True, fill=HEAD)
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        sheet.column_dimensions[get_column_letter(j)].width = column.width


def _task_rows(sheet: Any, first: int, rows: list[Row]) -> None:
    """A row a task: the pre-filled cells locked and grey, the rest to fill in, tall enough to print whole."""
    for i, row in enumerate(rows):
        r = first + i
        data = {
            "number": row.item.number,
            "title": row.item.title,
            "role": layout.ROLE_LABELS[row.role],
            "others": row.others,
            "task": row.item.id,
        }
        height = 2
        for j, column in enumerate(layout.COLUMNS, 1):
            cell = sheet.cell(row=r, column=j)
            put(cell, data.get(column.key))
            _style(cell, fill=INPUT if column.fill_in else GREY)
            if column.fill_in:
                _unlock(cell)
            if column.key in data and column.printed:
                height = max(height, _lines(str(data[column.key]), column.width))
        sheet.row_dimensions[r].height = 15 * height + 4


def _task_rules(sheet: Any, first: int, last: int) -> None:
    """完成状态 from a drop-down list, 完成比例 from 0 to 100."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    letter = {c.key: get_column_letter(j) for j, c in enumerate(layout.COLUMNS, 1)}
    status = DataValidation(
        type="list",
        formula1=f'"{",".join(STATUSES)}"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="完成状态",
        error=f"请从下拉列表中选择：{'、'.join(STATUSES)}",
        showInputMessage=True,
        promptTitle="完成状态",
        prompt="请从下拉列表中选择",
    )
    _validate(sheet, status, f"{letter['status']}{first}:{letter['status']}{last}")
    percent = DataValidation(
        type="decimal",
        operator="between",
        formula1="0",
        formula2="100",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="完成比例",
        error="请填写 0 到 100 之间的数字，如 80",
    )
    _validate(sheet, percent, f"{letter['percent']}{first}:{letter['percent']}{last}")


def _main(book: Any, unit: Unit, period: ReportPeriod, rows: list[Row]) -> None:
    """进展: the header fields, then a row a task, set up to print on A4 and protected."""
    from openpyxl.utils import get_column_letter

    sheet = book.active
    sheet.title = layout.MAIN
    _fields(sheet, unit, period)
    header = layout.HEADER_ROW
    _headers(sheet, header, layout.COLUMNS)
    first = header + 1
    _task_rows(sheet, first, rows)
    last = first + max(len(rows), 1) - 1
    _task_rules(sheet, first, last)
    sheet.freeze_panes = sheet.cell(row=first, column=3)
    printed = [j for j, c in enumerate(layout.COLUMNS, 1) if c.printed]
    sheet.print_area = f"A1:{get_column_letter(max(printed))}{last}"
    _print_setup(sheet, landscape=True, title_rows=f"{header}:{header}")
    _protect(sheet)


def _indicator_rows(sheet: Any, plan: PlanData, first: int) -> None:
    """A row a target: the indicator and its target pre-filled, the value, date and source to fill in."""
    end = plan.document.plan.period.end
    for i, target in enumerate(plan.targets):
        r = first + i
        value = int(target.value) if float(target.value).is_integer() else target.value
        data = {
            "indicator": target.indicator,
            "target_text": f"{target.comparator}{value}{target.unit}（{target.year or end}年）",
            "unit": target.unit,
            "target": target.id,
        }
        for j, column in enumerate(layout.INDICATOR_COLUMNS, 1):
            cell = sheet.cell(row=r, column=j)
            put(cell, data.get(column.key))
            _style(cell, fill=INPUT if column.fill_in else GREY)
            if column.fill_in:
                _unlock(cell)
            if column.key == "date":
                cell.number_format = "yyyy-mm-dd"


def _indicators(book: Any, plan: PlanData, period: ReportPeriod) -> None:
    """指标: the plan's targets, for the units that measure them to fill in their values."""
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    sheet = book.create_sheet(layout.INDICATORS)
    put(sheet["A1"], "指标实测值（掌握统计数据的单位填写，没有的不填）")
    sheet["A1"].font = Font(name=layout.FONT, size=14, bold=True)
    header = layout.INDICATOR_HEADER_ROW
    _headers(sheet, header, layout.INDICATOR_COLUMNS)
    _indicator_rows(sheet, plan, header + 1)
    letter = {c.key: get_column_letter(j) for j, c in enumerate(layout.INDICATOR_COLUMNS, 1)}
    first, last = header + 1, header + max(len(plan.targets), 1)
    numbers = DataValidation(
        type="decimal", showErrorMessage=True, errorTitle="实际值", error="请填写数字", allow_blank=True
    )
    numbers.operator = "between"
    numbers.formula1, numbers.formula2 = "-1000000000", "1000000000"
    dates = _date_rule("统计日期", period.end, blank=True)
    for validation, key in ((numbers, "value"), (dates, "date")):
        _validate(sheet, validation, f"{letter[key]}{first}:{letter[key]}{last}")
    printed = [j for j, c in enumerate(layout.INDICATOR_COLUMNS, 1) if c.printed]
    sheet.print_area = f"A1:{get_column_letter(max(printed))}{last}"
    _print_setup(sheet, landscape=True, title_rows=f"{header}:{header}")
    _protect(sheet)


def make_sheet(
    plan: PlanData,
    unit: Unit,
    period: ReportPeriod,
    *,
    deadline: dt.date | None = None,
    sender: str | None = None,
    items: list[Reportable] | None = None,
    filename: str = "",
    key: bytes | None = None,
) -> bytes:
    """The fill-in workbook for `unit` and `period`, sealed with `key` (the plan folder's sheet key,
    `kpsy.sheets.seal.plan_key`) and issued as `filename` (the import checks both)."""
    from openpyxl import Workbook
    from openpyxl.workbook.protection import WorkbookProtection

    rows = rows_for(plan, unit, items)
    book = Workbook()
    book.security = WorkbookProtection()
    _main(book, unit, period, rows)
    if plan.targets:
        _indicators(book, plan, period)
    if deadline is None:  # the period's deadline as settings.yaml or the letters' 工作要求 set it
        from kpsy.queries.deadlines import deadline as period_deadline

        deadline = period_deadline(plan, period)
    _guide(book, plan, unit, period, rows, deadline=deadline, sender=sender)
    _meta(book, plan, unit, period, rows, filename, key)
    book.properties.title = sheet_title(unit, period)
    book.properties.creator = "kpsy"
    book.properties.subject = f"{layout.FORMAT} {unit.id} {period.text}"
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def sheet_filename(units: UnitRegistry, unit: Unit, period: ReportPeriod) -> str:
    """<period>-<position>-<unit id>-<short name>.xlsx: sorts by period, then in protocol order
    (never longer than a file system allows: see `UnitRegistry.file_stem`)."""
    return f"{period.text}-{units.file_stem(unit)}.xlsx"


@dataclass
class SheetsResult:
    written: list[Path] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # units with no task to report on
    replaced: list[Path] = field(default_factory=list)  # workbooks that were there and were replaced (--force)


def refuse_existing(paths: list[Path], force: bool) -> list[Path]:
    """The workbooks among `paths` already there; unless `force`, refuse to replace any of them (one
    may be a sheet a unit filled in and sent back), naming them."""
    there = [p for p in paths if os.path.lexists(p)]
    if there and not force:
        names = "、".join(p.name for p in there[:5]) + (" …" if len(there) > 5 else "")
        raise OutputError(
            msg(
                "{n} of these workbooks are already there ({names}), perhaps filled in by a unit: nothing was written; use --force to replace them, or write elsewhere",
                "已有其中 {n} 个工作簿（{names}），可能是单位已填报的表格：未写入任何文件；如确需替换，请加 --force，或写到别处",
                n=len(there),
                names=names,
            )
        )
    return there


def write_sheets(
    plan: PlanData,
    out: Path,
    period: ReportPeriod,
    *,
    units: list[Unit] | None = None,
    deadline: dt.date | None = None,
    sender: str | None = None,
    progress: Callable[[int, int, str], None] | None = None,
    force: bool = False,
    key: bytes | None = None,
) -> SheetsResult:
    """A fill-in workbook for each unit (default: every unit with tasks, except the bodies that oversee
    the work), written to `out`, sealed with `key`. Workbooks already in `out` are replaced only with
    `force` (otherwise nothing is written)."""
    items = reportable(plan)
    result = SheetsResult()
    chosen = units if units is not None else [u for u in plan.units if u.kind not in OVERSIGHT_KINDS]
    todo = []
    for unit in chosen:
        if any(item.role(unit.name) for item in items):
            todo.append(unit)
        else:
            result.skipped.append(unit.name)
    if units is None:
        result.skipped = [u.name for u in plan.units if u.kind in OVERSIGHT_KINDS] + result.skipped
    if out.exists() and not out.is_dir():
        raise OutputError(msg("--out {out} is a file, not a folder", "--out {out} 是文件，不是文件夹", out=out))
    targets = [out / sheet_filename(plan.units, unit, period) for unit in todo]
    result.replaced = refuse_existing(targets, force)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(
            msg("cannot create {out}: {why}", "无法创建 {out}：{why}", out=out, why=exc.strerror)
        ) from None
    for i, (unit, path) in enumerate(zip(todo, targets, strict=True), 1):
        sheet = make_sheet(
            plan, unit, period, deadline=deadline, sender=sender, items=items, filename=path.name, key=key
        )
        write_atomic(path, sheet)
        result.written.append(path)
        if progress:
            progress(i, len(todo), unit.name)
    return result

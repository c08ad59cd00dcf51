"""Reading a filled-in workbook, cell by cell: every problem at its sheet and cell, in words a clerk
understands, and the report it holds when there is none.

A workbook comes from outside (a unit, Excel, WPS or LibreOffice): it is read within limits
(`kpsy.sheets.book`), its formulas are never evaluated, and nothing in it is trusted until checked:
the unit and period against the sealed hidden sheet, the visible cells and the file's name
(`kpsy.sheets.meta`); each row's task against the rows the sheet was made with (so re-sorted rows and
added blank rows are harmless); each value against what its column takes; and what is hidden
(rows, columns, sheets) is read as the person saw it: hidden content that was filled in is refused.
Rows left blank are tasks not yet reported on (未填报), unless the office asks for complete reports.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from kpsy.bounded import BoundsError
from kpsy.plan.model import DocPath, ProgressFile, Unit
from kpsy.plan.outline import PlanData
from kpsy.plan.periods import ReportPeriod, parse_period
from kpsy.sheets import layout
from kpsy.sheets.book import Book, Sheet
from kpsy.sheets.cells import Collector, SheetProblem, where
from kpsy.sheets.meta import Meta, check_file_name, check_seal, read_meta
from kpsy.sheets.opening import open_book
from kpsy.sheets.rows import Table, find_table, read_indicators, read_tasks
from kpsy.sheets.values import Window

__all__ = ["Options", "SheetProblem", "SheetReport", "read_sheet"]

KNOWN_SHEETS = (layout.MAIN, layout.INDICATORS, layout.GUIDE, layout.META)


@dataclass
class SheetReport:
    """What a sound workbook holds: the report, the cell each of its values came from, and the tasks
    left blank (未填报)."""

    file: str
    path: Path
    unit: Unit
    period: ReportPeriod
    record: ProgressFile
    cells: dict[DocPath, str] = field(default_factory=dict)  # a path in the record's data -> 进展!E7
    blank: list[str] = field(default_factory=list)  # labels of the tasks not reported on


@dataclass(frozen=True)
class Options:
    """What the import asks of every sheet."""

    unit: Unit | None = None  # the sheets must be this unit's
    period: ReportPeriod | None = None  # the sheets must be for this period
    complete: bool = False  # every task must be reported on
    trust_unsigned: bool = False  # a sheet whose seal cannot be checked is taken at its word
    key: bytes | None = None  # the plan folder's sheet key
    key_file: str = ".kpsy/sheet-key"


def _open(path: Path, reader: Collector) -> Book | None:
    try:
        return open_book(path, reader.file)
    except BoundsError as exc:
        reader.problem("", exc.detail, exc.detail)
        return None


def _sheets(book: Book, reader: Collector, meta: Meta) -> tuple[Sheet | None, Sheet | None]:
    """The main sheet and the indicators sheet, visible; every other sheet hidden is refused, and
    one that is shown is said to be left out."""
    for name, sheet in book.sheets.items():
        if name in (layout.MAIN, layout.INDICATORS) and sheet.state != "visible":
            reader.problem(
                name,
                "the sheet {name} is hidden: unhide it, check it and send it again",
                "工作表“{name}”被隐藏：请取消隐藏、核对后再报送",
                name=name,
            )
        elif name not in KNOWN_SHEETS and sheet.state != "visible":
            reader.problem(
                name,
                "the workbook holds a hidden sheet {name}: delete it or unhide it (what is hidden is never imported)",
                "工作簿中有隐藏的工作表“{name}”：请删除或取消隐藏（隐藏的内容不会被导入）",
                name=name,
            )
        elif name not in KNOWN_SHEETS and sheet.cells:
            reader.warn(
                name,
                "the sheet {name} is not part of the fill-in sheet; it was not read",
                "工作表“{name}”不属于填报表，未导入",
                name=name,
            )
    main = _expect(book, layout.MAIN, reader)
    extra = _expect(book, layout.INDICATORS, reader) if meta.targets else None
    return main, extra


def _expect(book: Book, name: str, reader: Collector) -> Sheet | None:
    if name in book.sheets:
        return book.sheets[name]
    others = "、".join(n for n in book.sheets if n != layout.META)
    reader.problem(
        "",
        "no sheet named {name} (the workbook has: {others}): do not rename or delete sheets",
        "找不到工作表“{name}”（工作簿中有：{others}）：请不要重命名或删除工作表",
        name=name,
        others=others,
    )
    return None


def _owner(plan: PlanData, meta: Meta, reader: Collector) -> tuple[Unit | None, ReportPeriod | None]:
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
    return owner, chosen


def a_year_after(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def windows(plan: PlanData, period: ReportPeriod) -> tuple[Window, Window]:
    """The days a 填报日期 may fall on (from the period's first day to a year after its end) and a
    统计日期 (from the year before the plan began, or before the period, to a year after it)."""
    years = plan.document.plan.period
    last = a_year_after(period.end)
    filed = Window(period.start, last, period.end)
    measured = Window(dt.date(min(years.start, period.year) - 1, 1, 1), last, period.end)
    return filed, measured


def _who(plan: PlanData, table: Table, meta: Meta, reader: Collector, options: Options) -> None:
    """The unit and period the visible sheet shows, and those the import was told, against the sheet's."""
    owner, chosen = table.owner, table.period
    unit_cell, period_cell = table.fields["unit"], table.fields["period"]
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
    if options.unit is not None and options.unit.id != owner.id:
        reader.at(
            unit_cell,
            "this is {owner}'s sheet, not {unit}'s",
            "这是{owner}的填报表，不是{unit}的",
            owner=owner.name,
            unit=options.unit.name,
        )
    if options.period is not None and options.period.text != chosen.text:
        reader.at(
            period_cell,
            "this sheet is for {sheet}, not for {period}",
            "这是{sheet}的填报表，不是{period}的",
            sheet=chosen.label,
            period=options.period.label,
        )
    check_file_name(plan.units, Path(reader.file).name, meta, owner, chosen, reader)


def read_sheet(
    plan: PlanData, path: Path, *, file: str | None = None, options: Options | None = None
) -> tuple[SheetReport | None, list[SheetProblem]]:
    """The report a filled-in workbook holds (None when anything is wrong), and every problem and
    warning found in it."""
    options = options or Options()
    reader = Collector(file or path.name)
    book = _open(path, reader)
    meta = read_meta(book, reader) if book is not None else None
    if book is None or meta is None:
        return None, reader.problems
    reader.book = book
    check_seal(meta, options.key, options.key_file, reader, trust=options.trust_unsigned)
    main, extra = _sheets(book, reader, meta)
    owner, chosen = _owner(plan, meta, reader)
    if main is None or (meta.targets and extra is None) or owner is None or chosen is None:
        return None, reader.problems
    table = find_table(main, reader, owner, chosen)
    if table is None:
        return None, reader.problems
    return _report(plan, path, table, meta, extra, reader, options), reader.problems


def _report(
    plan: PlanData, path: Path, table: Table, meta: Meta, extra: Sheet | None, reader: Collector, options: Options
) -> SheetReport | None:
    _who(plan, table, meta, reader, options)
    filed_window, measured_window = windows(plan, table.period)
    cells: dict[DocPath, str] = {(key,): where(place) for key, place in table.fields.items()}
    reporter = reader.text(table.fields["reporter"], "填报人", required=True)
    approver = reader.text(table.fields["approver"], "审核人", required=True)
    filed = reader.date(table.fields["date"], "填报日期", filed_window, required=True)
    tasks, blank = read_tasks(plan, table, meta, reader, cells, complete=options.complete)
    actuals = read_indicators(extra, meta, reader, cells, measured_window) if extra is not None else []
    if reader.errors or reporter is None or approver is None or not isinstance(filed, dt.date):
        return None
    record = ProgressFile(
        unit=table.owner.id,
        period=table.period.text,
        reporter=reporter,
        approver=approver,
        date=filed,
        tasks=tasks,
        indicators=actuals,
    )
    return SheetReport(reader.file, path, table.owner, table.period, record, cells, blank)

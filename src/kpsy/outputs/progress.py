"""How progress looks: a period's counts and matrix (`PROGRESS_FORMATS`: table, json, csv, md, xlsx with native
charts, and a self-contained HTML dashboard), and the listings of who owes a report and of one
unit's history."""

from __future__ import annotations

import base64
import io
import math
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from kpsy.i18n import both, msg, role_names, status_names
from kpsy.outputs.charts import COLOURS, TEXT_ON
from kpsy.outputs.excel import put
from kpsy.outputs.formats import Family, Format, Sink
from kpsy.outputs.layout import display_width, wrap
from kpsy.outputs.listing import (
    Column,
    Listing,
    fit_rows,
    print_ready,
    print_setup,
    render_csv,
    render_md,
    render_plain,
    render_rich,
)
from kpsy.util import dump_json

if TYPE_CHECKING:
    from kpsy.queries.progress import IndicatorRow, Overview, Owed, PeriodProgress, UnitHistory

ROLE_LABELS = {"lead": "牵头", "participant": "参加", "mentioned": "提及", "": "（无）"}  # the dashboard's

_HEADERS = {
    "完成状态": "Status",
    "项数": "Count",
    "占比": "Share",
    "编号": "No.",
    "行动": "Action",
    "合计": "Total",
    "单位": "Unit",
    "角色": "Role",
    "期间": "Period",
    "单位ID": "Unit id",
    "任务ID": "Task id",
    "任务": "Task",
    "行动编号": "Action no.",
    "状态键": "Status key",
    "完成比例": "Per cent",
    "进展情况": "Progress",
    "存在问题": "Problems",
    "下步打算": "Next steps",
    "佐证材料": "Evidence",
    "填报人": "Reporter",
    "审核人": "Approver",
    "填报日期": "Filed on",
    "序号": "No.",
    "情况": "State",
    "应报任务": "Tasks owed",
    "已报任务": "Tasks reported",
    "未报任务": "Tasks missing",
    "时间": "When",
    "来源": "Source",
    "截止日期": "Deadline",
    "逾期天数": "Days overdue",
}


def _h(zh: str) -> str:
    """A column header in the language kpsy speaks."""
    return msg(_HEADERS[zh], zh)


def _roles() -> dict[str, str]:
    return {**role_names(), "": msg("(none)", "（无）")}


ROLE_RANK = {"lead": 0, "participant": 1, "mentioned": 2, "": 3}


def _share(count: int, percent: float) -> str:
    return msg("{c} ({p:.0f}%)", "{c}（{p:.0f}%）", c=count, p=percent) if count else "0"


def _categories() -> tuple[str, ...]:
    from kpsy.queries.progress import CATEGORIES

    return CATEGORIES


# --- listings ------------------------------------------------------------------------------------


def counts_listing(view: PeriodProgress) -> Listing:
    """Counts by status over every expected (unit, task) pair, with their shares."""
    records: list[dict[str, Any]] = [
        {"status": c.status, "count": c.count, "percent": f"{c.percent:.1f}%"} for c in view.overall
    ]
    records.append({"status": msg("Total", "合计"), "count": view.total, "percent": "100.0%" if view.total else "0.0%"})
    columns = [
        Column("status", _h("完成状态"), status_names(), wrap=False),
        Column("count", _h("项数"), wrap=False),
        Column("percent", _h("占比")),
    ]
    return Listing(msg("{p}: progress", "{p}任务落实情况", p=view.shown), columns, records, sheet=msg("Counts", "统计"))


def actions_listing(view: PeriodProgress) -> Listing:
    """Counts by status for each action, each with its share of the action's pairs."""
    columns = [Column("number", _h("编号"), wrap=False), Column("title", _h("行动"))]
    columns += [Column(status, status_names()[status], wrap=False) for status in _categories()]
    columns.append(Column("total", _h("合计"), wrap=False))
    records = []
    for action in view.actions:
        record: dict[str, Any] = {"number": action.number, "title": action.title, "total": action.total}
        record.update({c.status: _share(c.count, c.percent) for c in action.counts})
        records.append(record)
    return Listing(msg("By action", "按行动统计"), columns, records, sheet=msg("By action", "按行动"))


def matrix_listing(view: PeriodProgress) -> Listing:
    """The unit × task matrix, an action at a time: a row a unit, a column a task of the action."""
    groups: dict[str, list[Any]] = {}
    for row in view.rows:
        groups.setdefault(row.action_id, []).append(row)
    widest = max((len(rows) for rows in groups.values()), default=1)
    columns = [Column("unit", _h("单位"), wrap=False, fixed=True), Column("role", _h("角色"), wrap=False, fixed=True)]
    statuses = status_names()
    columns += [
        Column(f"t{i}", f"{i}．", statuses, wrap=False, optional=True, pivot=True) for i in range(1, widest + 1)
    ]
    records: list[dict[str, Any]] = []
    for rows in groups.values():
        first = rows[0]
        heading = first.action_number + first.action_title
        if len(rows) == 1 and first.id == first.action_id:
            notes = [
                msg("1. This action has no numbered tasks: reported as a whole", "1．本行动无编号任务，按整体填报")
            ]
        else:
            notes = [msg("; ", "；").join(f"{r.number.removeprefix(first.action_number)}{r.title}" for r in rows)]
        units = [u for u in view.units if any(u in r.cells for r in rows)]
        for unit in units:
            roles = [r.roles[unit] for r in rows if unit in r.roles]
            record: dict[str, Any] = {
                "_heading": heading,
                "_notes": notes,
                "unit": unit,
                "role": _roles()[min(roles, key=ROLE_RANK.__getitem__)],
            }
            for i, r in enumerate(rows, 1):
                record[f"t{i}"] = r.cells.get(unit, "")
            records.append(record)
    return Listing(
        msg("Status matrix", "状态矩阵"),
        columns,
        records,
        group=lambda r: (r["_heading"], r["_notes"]),
        footer=[
            msg(
                "not reported = has a role but sent no report this period; blank = no role in this task",
                "未报送 = 有职责但本期未报送；空白 = 该单位对此任务无职责",
            )
        ],
        sheet=msg("Matrix", "状态矩阵"),
        landscape=True,
    )


def entries_listing(view: PeriodProgress) -> Listing:
    """The 任务台账: every line reported in the period."""
    columns = [
        Column("period", _h("期间"), wrap=False),
        Column("unit", _h("单位"), wrap=False),
        Column("unit_id", _h("单位ID"), in_table=False, extra=True),
        Column("task_number", _h("编号"), wrap=False),
        Column("task_id", _h("任务ID"), in_table=False, extra=True),
        Column("task_title", _h("任务")),
        Column("action_number", _h("行动编号"), in_table=False),
        Column("action_title", _h("行动"), in_table=False),
        Column("role", _h("角色"), _roles()),
        Column("status", _h("状态键"), in_table=False, extra=True),
        Column("status_label", _h("完成状态"), status_names(), wrap=False),
        Column("percent", _h("完成比例")),
        Column("progress", _h("进展情况")),
        Column("problems", _h("存在问题")),
        Column("next_steps", _h("下步打算")),
        Column("evidence", _h("佐证材料")),
        Column("reporter", _h("填报人")),
        Column("approver", _h("审核人")),
        Column("date", _h("填报日期"), wrap=False),
    ]
    records = [e.as_dict() for e in view.entries]
    return Listing(
        msg("{p}: task ledger", "{p}任务台账", p=view.shown),
        columns,
        records,
        sheet=msg("Ledger", "台账"),
        landscape=True,
    )


def _owed_footer(label: str, owed: list[Owed]) -> list[str]:
    """The deadline, then how many units sent nothing and how many left tasks out."""
    if not owed:
        return [msg("{l}: every unit has reported", "{l}：各单位均已报送", l=label)]
    none = sum(1 for o in owed if not o.has_report)
    due = next((o.deadline for o in owed if o.deadline), None)
    footer = [msg("deadline {d}", "报送截止日期 {d}", d=due.isoformat())] if due is not None else []
    footer.append(
        msg(
            "{l}: {n} unit(s) sent no report, {k} left tasks out",
            "{l}：{n} 个单位未报送，{k} 个单位部分未报",
            l=label,
            n=none,
            k=len(owed) - none,
        )
    )
    return footer


def owed_listing(label: str, owed: list[Owed], shown: str | None = None) -> Listing:
    """The units that owe a report (催报) in the period `label` (the office's words, kept in JSON),
    `shown` as a person reads it."""
    data = {"period_label": label, "units": [o.as_dict() for o in owed]}
    label = shown or label
    columns = [
        Column("number", _h("序号"), wrap=False),
        Column("unit", _h("单位"), wrap=False),
        Column("unit_id", _h("单位ID"), in_table=False, extra=True, ident=True),
        Column("state", _h("情况"), status_names(), wrap=False),
        Column("expected", _h("应报任务"), wrap=False),
        Column("reported", _h("已报任务"), wrap=False),
        Column("deadline", _h("截止日期"), in_table=False, extra=True),
        Column("days", _h("逾期天数"), wrap=False, optional=True),
        Column("missing", _h("未报任务")),
    ]
    records = [
        {
            "number": i,
            "unit": o.unit,
            "unit_id": o.unit_id,
            "state": o.state,
            "expected": o.expected,
            "reported": o.reported,
            "deadline": o.deadline.isoformat() if o.deadline else "",
            "days": o.days or "",
            "missing": msg("all", "全部") if not o.has_report else msg(", ", "、").join(o.missing),
        }
        for i, o in enumerate(owed, 1)
    ]
    footer = _owed_footer(label, owed)
    return Listing(
        msg("{l}: units that owe a report", "{l}未报送单位", l=label),
        columns,
        records,
        footer=footer,
        data=data,
        sheet=msg("Owed", "未报送"),
    )


def _filed(history: UnitHistory, period: str) -> str:
    """Who filed the unit's report for `period`, approved by whom and when; or that there is none."""
    from kpsy.plan.periods import shown

    report = history.reports.get(period)
    label = shown(period)
    if report is None:
        return msg("{l}: no report", "{l}：未报送", l=label)
    return msg(
        "{l}: filed by {r}, approved by {a}, on {d}",
        "{l}：填报人 {r}，审核人 {a}，{d} 填报",
        l=label,
        r=report.reporter,
        a=report.approver,
        d=report.date.isoformat(),
    )


def history_listing(history: UnitHistory) -> Listing:
    """One unit's tasks with their status in each period."""
    columns = [
        Column("task_number", _h("编号"), wrap=False),
        Column("task_id", _h("任务ID"), in_table=False, extra=True, ident=True),
        Column("task_title", _h("任务")),
        Column("role", _h("角色"), _roles(), wrap=False),
    ]
    from kpsy.plan.periods import shown

    # a column a period, headed as written (2024, 2024Q3) in Chinese tables, 2024 Q3 in English
    columns += [Column(p, msg(shown(p), p), status_names(), wrap=False) for p in history.periods]
    records = []
    for row in history.rows:
        record: dict[str, Any] = {
            "task_number": row.number,
            "task_id": row.id,
            "task_title": row.title,
            "role": row.role or "",
            "_heading": row.action_number + row.action_title,
        }
        record.update(row.statuses)
        records.append(record)
    footer = [_filed(history, period) for period in history.periods]
    return Listing(
        msg("Progress of {u}", "{u}的任务进展", u=history.unit.name),
        columns,
        records,
        group=lambda r: (r["_heading"], []),
        footer=footer,
        data=history.as_dict(),
        sheet=msg("Progress", "任务进展"),
        landscape=True,
    )


def report_listing(history: UnitHistory) -> Listing:
    """One unit's report for one period, line by line."""
    columns = [
        Column("task_number", _h("编号"), wrap=False),
        Column("task_id", _h("任务ID"), in_table=False, extra=True, ident=True),
        Column("task_title", _h("任务")),
        Column("role", _h("角色"), _roles(), wrap=False),
        Column("status", _h("完成状态"), status_names(), wrap=False),
        Column("percent", _h("完成比例"), wrap=False),
        Column("progress", _h("进展情况")),
        Column("problems", _h("存在问题")),
        Column("next_steps", _h("下步打算")),
        Column("evidence", _h("佐证材料"), in_table=False),
    ]
    period = history.periods[0]
    by_task = {e.task_id: e for e in history.entries}
    records = []
    for row in history.rows:
        entry = by_task.get(row.id)
        records.append(
            {
                "task_number": row.number,
                "task_id": row.id,
                "task_title": row.title,
                "role": row.role or "",
                "status": entry.status if entry else "未报送",
                "percent": entry.percent if entry else None,
                "progress": entry.progress if entry else None,
                "problems": entry.problems if entry else None,
                "next_steps": entry.next_steps if entry else None,
                "evidence": list(entry.evidence) if entry else [],
                "_heading": row.action_number + row.action_title,
            }
        )
    from kpsy.plan.periods import shown

    label = shown(period)
    footer = [_filed(history, period)]
    return Listing(
        msg("{u}: {l} report", "{u}{l}任务落实情况", u=history.unit.name, l=label),
        columns,
        records,
        group=lambda r: (r["_heading"], []),
        footer=footer,
        data=history.as_dict(),
        sheet=msg("Report", "任务落实情况"),
        landscape=True,
    )


def unit_listing(history: UnitHistory, single: bool) -> Listing:
    return report_listing(history) if single else history_listing(history)


def _summary(view: PeriodProgress) -> str:
    behind = view.count("欠进度")
    total = view.total
    share = f"{100 * behind / total:.1f}%" if total else "0%"
    return msg(
        "{p}: {u} unit(s) owe {t} report line(s) (unit × task); {r} unit(s) have reported; behind {b}, {s}",
        "{p}：应报 {u} 个单位、{t} 项（单位×任务），{r} 个单位已报送；欠进度 {b} 项，占 {s}",
        p=view.shown,
        u=view.reporters,
        t=total,
        r=view.reported_units,
        b=behind,
        s=share,
    )


# --- the period view's formats ---------------------------------------------------------------


def _parts(view: PeriodProgress) -> list[Listing]:
    """What `kpsy progress` shows of a period, in order."""
    from kpsy.outputs.deadlines import lights_listing, submissions_listing

    return [
        counts_listing(view),
        actions_listing(view),
        submissions_listing(view),
        lights_listing(view),
        matrix_listing(view),
    ]


def _head_lines(view: PeriodProgress) -> list[str]:
    from kpsy.outputs.deadlines import deadline_line

    return [_summary(view), deadline_line(view)]


def write_table(overview: Overview, sink: Sink) -> None:
    view = overview.progress
    parts = _parts(view)
    if sink.terminal:
        for line in (w for text in _head_lines(view) for w in wrap(text, sink.width)):
            sink.stream.write(line + "\n")
        for listing in parts:
            sink.stream.write("\n")
            if listing.group is None:
                sink.stream.write(listing.title + "\n")
            render_rich(listing, sink.stream, sink.width)
        return
    text = ["\n".join(w for line in _head_lines(view) for w in wrap(line, sink.width)), ""]
    for listing in parts:
        if listing.group is None:
            text.append(listing.title)
        text.append(render_plain(listing, sink.width))
    sink.write("\n".join(text))


def write_md(overview: Overview, sink: Sink) -> None:
    from kpsy.util import md_escape

    view = overview.progress
    out = [md_escape(line) + "\n" for line in _head_lines(view)]
    for listing in _parts(view):
        out.append(render_md(listing))
    sink.write("\n".join(out))


def write_json(overview: Overview, sink: Sink) -> None:
    sink.write(dump_json(overview.as_dict()))


def write_csv(overview: Overview, sink: Sink) -> None:
    """The 任务台账 of the period, one line a (unit, task) report."""
    sink.write(render_csv(entries_listing(overview.progress)))


def write_xlsx(overview: Overview, sink: Sink) -> None:
    sink.write(progress_workbook(overview))


def write_html(overview: Overview, sink: Sink) -> None:
    sink.write(dashboard(overview))


PROGRESS_FORMATS: Family[Overview] = Family(
    "progress",
    Format(
        "table",
        both(
            "rich on a terminal, aligned text when piped: counts, counts per action, the matrix",
            "终端上为带格式的表格，管道中为对齐的文本：总体统计、分行动统计、状态矩阵",
        ),
        write_table,
    ),
    Format(
        "json",
        both(
            "everything, with English keys and status keys (done, ahead, on-track, behind, …)",
            "全部数据，英文键名和状态键（done、ahead、on-track、behind 等）",
        ),
        write_json,
    ),
    Format(
        "csv",
        both("the 任务台账: one line a unit's report on a task", "任务台账：一个单位对一项任务的报告占一行"),
        write_csv,
    ),
    Format("md", both("Markdown tables", "Markdown 表格"), write_md),
    Format(
        "xlsx", both("a workbook with native charts (needs -o)", "带 Excel 原生图表的工作簿（需 -o）"), write_xlsx, True
    ),
    Format(
        "html",
        both(
            "one self-contained page with the matrix and the charts (needs -o)",
            "单个自包含网页，含状态矩阵和图表（需 -o）",
        ),
        write_html,
        True,
    ),
)


# --- xlsx ----------------------------------------------------------------------------------------


def _fill(colour: str) -> Any:
    from openpyxl.styles import PatternFill

    return PatternFill("solid", start_color=colour.lstrip("#"), end_color=colour.lstrip("#"))


def _table(sheet: Any, top: int, headers: list[str], rows: list[list[Any]], left: int = 1) -> None:
    from openpyxl.styles import Alignment, Font

    for j, header in enumerate(headers):
        cell = sheet.cell(row=top, column=left + j)
        put(cell, header)
        cell.font = Font(bold=True)
        cell.fill = _fill("#DDEBF7")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for i, row in enumerate(rows, 1):
        for j, value in enumerate(row):
            cell = sheet.cell(row=top + i, column=left + j)
            put(cell, value)
            cell.alignment = Alignment(vertical="top", wrap_text=True)


def _widths(sheet: Any, widths: list[float], left: int = 1) -> None:
    from openpyxl.utils import get_column_letter

    for j, width in enumerate(widths):
        sheet.column_dimensions[get_column_letter(left + j)].width = width


def _axes(chart: Any) -> None:
    # newer Excel hides axes that do not say they are shown
    chart.x_axis.delete = False
    chart.y_axis.delete = False


def _status_sheet(book: Any, view: PeriodProgress) -> None:
    """统计: the summary, the counts by status, the counts by action and a stacked bar chart of them."""
    from openpyxl.styles import Font

    sheet = book.active
    sheet.title = msg("Counts", "统计")
    put(sheet["A1"], _summary(view))
    sheet["A1"].font = Font(bold=True, size=13)
    names = status_names()
    rows = [[names[c.status], c.count, c.percent / 100] for c in view.overall]
    rows.append([_h("合计"), view.total, 1 if view.total else 0])
    _table(sheet, 3, [_h("完成状态"), _h("项数"), _h("占比")], rows)
    for r, count in enumerate(view.overall, 4):
        sheet.cell(row=r, column=1).fill = _fill(COLOURS[count.status])
    for r in range(4, 4 + len(rows)):
        sheet.cell(row=r, column=3).number_format = "0.0%"
    top = 4 + len(rows) + 1
    actions = _actions_table(sheet, view, top)
    if actions:
        _actions_chart(sheet, top, actions)


def _actions_table(sheet: Any, view: PeriodProgress, top: int) -> int:
    """The counts and shares by action, from row `top`: how many actions it lists."""
    names = status_names()
    categories = _categories()
    shares = [msg("{s} (share)", "{s}占比", s=names[s]) for s in categories]
    headers = [_h("编号"), _h("行动"), *(names[s] for s in categories), _h("合计"), *shares]
    table = [
        [
            action.number,
            action.number + action.title,
            *(c.count for c in action.counts),
            action.total,
            *(c.percent / 100 for c in action.counts),
        ]
        for action in view.actions
    ]
    _table(sheet, top, headers, table)
    for r in range(top + 1, top + 1 + len(table)):
        for j in range(len(categories)):
            sheet.cell(row=r, column=4 + len(categories) + j).number_format = "0.0%"
    texts = [[str(r[j]) if not isinstance(r[j], float) else "100.0%" for r in table] for j in range(len(headers))]
    least = [10, 16, *([8] * (len(headers) - 2))]  # a share (100.0%) and the small table above fit too
    print_ready(sheet, list(zip(headers, texts, strict=True)), landscape=True, top=top, fixed=2, least=least)
    return len(table)


def _actions_chart(sheet: Any, top: int, actions: int) -> None:
    """A native stacked bar chart of the counts by action (the table at row `top`), on a page of its own."""
    from openpyxl.chart import BarChart, Reference
    from openpyxl.worksheet.pagebreak import Break

    categories = _categories()
    chart = BarChart()
    chart.type = "bar"
    chart.grouping = "stacked"
    chart.overlap = 100
    chart.title = msg("Progress by action", "各行动任务落实情况")
    chart.y_axis.title = msg("Count (unit × task)", "项数（单位×任务）")
    data = Reference(sheet, min_col=3, max_col=2 + len(categories), min_row=top, max_row=top + actions)
    chart.add_data(data, titles_from_data=True)
    chart.set_categories(Reference(sheet, min_col=2, min_row=top + 1, max_row=top + actions))
    for series, status in zip(chart.series, categories, strict=True):
        colour = COLOURS[status].lstrip("#")
        series.graphicalProperties.solidFill = colour
        series.graphicalProperties.line.solidFill = colour
    chart.x_axis.scaling.orientation = "maxMin"  # the first action on top, as in the table
    _axes(chart)
    chart.height = 3 + 1.1 * actions
    chart.width = 24
    anchor = top + actions + 2
    sheet.row_breaks.append(Break(id=anchor - 1))  # the chart starts a page of its own, whole
    sheet.add_chart(chart, f"A{anchor}")
    # the print area reaches below the chart (a default row is 15 pt, 0.53 cm): it prints too
    below = anchor + math.ceil(chart.height / 0.5) + 1
    from openpyxl.utils import get_column_letter

    sheet.print_area = f"A1:{get_column_letter(sheet.max_column)}{below}"


def _matrix_sheet(book: Any, view: PeriodProgress) -> None:
    from openpyxl.styles import Alignment, Font

    sheet = book.create_sheet(msg("Matrix", "状态矩阵"))
    headers = [_h("编号"), _h("任务"), *view.units]
    names = status_names()
    rows = [[row.number, row.title, *(names.get(row.cells.get(u, ""), "") for u in view.units)] for row in view.rows]
    _table(sheet, 1, headers, rows)
    for j in range(3, 3 + len(view.units)):
        sheet.cell(row=1, column=j).alignment = Alignment(text_rotation=255, horizontal="center", vertical="top")
    sheet.row_dimensions[1].height = 15 * max([4, *(len(u) for u in view.units)])
    for r, row in enumerate(view.rows, 2):
        for j, unit in enumerate(view.units, 3):
            cell = sheet.cell(row=r, column=j)
            status = row.cells.get(unit, "")
            if status in COLOURS:
                cell.fill = _fill(COLOURS[status])
                cell.font = Font(color="FFFFFF" if status in TEXT_ON else "000000")
                cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    texts = [[str(r[j]) for r in rows] for j in range(len(headers))]
    least = [12, 16, *(max(6, *(display_width(t) + 2 for t in texts[j])) for j in range(2, len(headers)))]
    print_ready(sheet, list(zip(headers, texts, strict=True)), landscape=True, fixed=2, least=least)
    for j in range(3, 3 + len(view.units)):  # headers stand on end: a status is narrower than a unit's name
        sheet.column_dimensions[sheet.cell(row=1, column=j).column_letter].width = least[j - 1]
    sheet.freeze_panes = "C2"


# The 台账's columns on paper, in order: what a reader of the printed ledger needs; the rest (the
# period, the evidence, who filed and approved it, when) follow outside the print area.
LEDGER_PRINTED = (
    "unit",
    "task_number",
    "task_title",
    "role",
    "status_label",
    "percent",
    "progress",
    "problems",
    "next_steps",
)


def _entries_sheet(book: Any, listing: Listing, printed: tuple[str, ...] = ()) -> None:
    """A listing as a sheet; with `printed`, those columns first and only they in the print area
    (A4 landscape at 9.5 pt or more), so that the ledger prints in about two pages a unit."""
    from kpsy.outputs.listing import cell as text_of

    sheet = book.create_sheet(listing.sheet)
    shown = [c for c in listing.columns if c.in_table]
    columns = [c for key in printed for c in shown if c.key == key] + [c for c in shown if c.key not in printed]
    rows = []
    for record in listing.records:
        rows.append(
            [
                record.get(c.key)
                if isinstance(record.get(c.key), int | float)
                else text_of(record.get(c.key), c.labels)
                for c in columns
            ]
        )
    _table(sheet, 1, [c.header for c in columns], rows)
    texts = [[text_of(r[j]) for r in rows] for j in range(len(columns))]
    count = len([c for c in columns if c.key in printed]) or len(columns)
    pairs = [(c.header, t) for c, t in zip(columns, texts, strict=True)][:count]
    print_ready(sheet, pairs, landscape=True, fixed=1)
    if count < len(columns):
        _widths(sheet, [12.0] * (len(columns) - count), left=count + 1)
    sheet.freeze_panes = "A2"


def indicator_sheet(book: Any, indicators: list[IndicatorRow]) -> None:
    from openpyxl.chart import LineChart, Reference
    from openpyxl.styles import Font

    """A sheet 指标: each indicator with data, its values and a native line chart against its target."""
    from kpsy.queries.records import due_shown

    sheet = book.create_sheet(msg("Indicators", "指标"))
    top = 1
    for row in indicators:
        if not row.actuals and row.baseline is None:
            continue
        put(
            sheet.cell(row=top, column=1),
            msg("{s} ({d}): {t}", "{s}（{d}）：{t}", s=row.statement, d=due_shown(row), t=row.trend_label),
        )
        sheet.cell(row=top, column=1).font = Font(bold=True)
        points: list[list[Any]] = []
        if row.baseline is not None:
            baseline = msg("{y} (baseline)", "{y}年（基线）", y=row.baseline_year)
            points.append([baseline, row.baseline, row.value, row.baseline_source])
        points += [
            [a.date, a.value, row.value, msg("{s} (reported by {u})", "{s}（{u}报送）", s=a.source, u=a.unit)]
            for a in row.actuals
        ]
        headers = [
            _h("时间"),
            msg("Measured ({u})", "实测值（{u}）", u=row.unit),
            msg("Target ({u})", "目标值（{u}）", u=row.unit),
            _h("来源"),
        ]
        _table(sheet, top + 1, headers, points)
        chart = LineChart()
        chart.title = row.indicator
        chart.y_axis.title = row.unit or msg("Value", "数值")
        data = Reference(sheet, min_col=2, max_col=3, min_row=top + 1, max_row=top + 1 + len(points))
        chart.add_data(data, titles_from_data=True)
        chart.set_categories(Reference(sheet, min_col=1, min_row=top + 2, max_row=top + 1 + len(points)))
        chart.series[0].marker.symbol = "circle"
        chart.series[0].graphicalProperties.line.solidFill = "1565C0"
        chart.series[1].graphicalProperties.line.solidFill = "C62828"
        chart.series[1].graphicalProperties.line.dashStyle = "dash"
        _axes(chart)
        chart.height, chart.width = 7, 11  # beside the table, within the page's width at 9.5 pt
        sheet.add_chart(chart, f"F{top}")
        top += max(len(points) + 4, 16)
    _widths(sheet, [18, 12, 12, 30])
    fit_rows(sheet, [18, 12, 12, 30])  # sources wrap: the rows are stored tall enough for them
    print_setup(sheet, 0, "landscape", title_row=None)  # the whole sheet: charts stand beside the tables


def _lit_sheet(book: Any, listing: Listing, key: str, colours: dict[str, str]) -> None:
    """A listing as a sheet whose `key` column is filled with its light's colour (督办灯, 报送情况)."""
    _entries_sheet(book, listing)
    sheet = book[listing.sheet]
    shown = [c.key for c in listing.columns if c.in_table]
    column = shown.index(key) + 1
    for r, record in enumerate(listing.records, 2):
        colour = colours.get(record[key])
        if colour:
            sheet.cell(row=r, column=column).fill = _fill(colour)


def progress_workbook(overview: Overview) -> bytes:
    """统计 (counts and a native stacked bar chart), 状态矩阵, 台账, 未报送, 报送情况, 督办灯, and 指标
    (native line charts)."""
    from openpyxl import Workbook

    from kpsy.outputs.deadlines import LIGHT_COLOURS, STATE_COLOURS, lights_listing, submissions_listing

    view = overview.progress
    book = Workbook()
    _status_sheet(book, view)
    _matrix_sheet(book, view)
    _entries_sheet(book, entries_listing(view), LEDGER_PRINTED)
    _entries_sheet(book, owed_listing(view.label, view.owed, view.shown))
    _lit_sheet(book, submissions_listing(view), "state", STATE_COLOURS)
    _lit_sheet(book, lights_listing(view), "light", LIGHT_COLOURS)
    if any(r.actuals or r.baseline is not None for r in overview.indicators):
        indicator_sheet(book, overview.indicators)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


# --- html ----------------------------------------------------------------------------------------


def data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def charts(overview: Overview) -> dict[str, Any]:
    """The pictures as data URIs: status by action, and one per indicator with data."""
    from kpsy.outputs.charts import indicator_chart, status_chart

    view = overview.progress
    return {
        "status": data_uri(
            status_chart(view.actions, msg("{p}: progress by action", "{p}各行动任务落实情况", p=view.shown))
        )
        if view.actions
        else None,
        "indicators": [
            (row, data_uri(indicator_chart(row))) for row in overview.indicators if row.actuals or row.baseline
        ],
    }


def dashboard(overview: Overview, make_charts: Callable[[Overview], dict[str, Any]] = charts) -> str:
    """One self-contained HTML page: counts, the charts, the matrix, who owes a report, the indicators."""
    from kpsy.outputs.html import render_html

    view = overview.progress
    return render_html(
        "dashboard.html.j2",
        {
            "title": overview.title,
            "view": view,
            "summary": _summary(view),
            "charts": make_charts(overview),
            "colours": COLOURS,
            "text_on": TEXT_ON,
            "categories": _categories(),
            "indicators": overview.indicators,
            "role_labels": ROLE_LABELS,
            "names": status_names(),
        },
    )

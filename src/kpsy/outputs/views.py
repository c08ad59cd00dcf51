"""What each listing shows: query results turned into `Listing`s (columns, headings, labels), and
one item in full (`kpsy show`) with its formats."""

from __future__ import annotations

from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from kpsy.outputs.formats import Family, Format
from kpsy.outputs.listing import Column, Listing
from kpsy.util import dump_json, md_escape

if TYPE_CHECKING:  # the views only read query results; the queries are imported by who runs them
    from kpsy.plan.model import Unit
    from kpsy.queries.coverage import Coverage
    from kpsy.queries.progress import IndicatorRow
    from kpsy.queries.records import MilestoneRow, TargetRow
    from kpsy.queries.show import Shown
    from kpsy.queries.tasks import TaskRow
    from kpsy.queries.units import UnitRow

ROLE_LABELS: dict[str, str] = {"lead": "牵头", "participant": "参加", "mentioned": "提及"}

MATRIX_LABELS = {"lead": "牵", "participant": "参", "mentioned": "提及"}


def _units_note(label: str, names: list[str]) -> list[str]:
    return [f"{label}：{'、'.join(names)}"] if names else []


def tasks_listing(rows: list[TaskRow], unit: Unit | None, summary: bool = True) -> Listing:
    """Tasks grouped by action; with a unit, its role in each and (when `summary`) a count by role."""
    records = [r.as_dict() for r in rows]

    def group(record: dict[str, Any]) -> tuple[str, list[str]]:
        notes = _units_note("牵头单位", record["leads"]) + _units_note("参加单位", record["participants"])
        if not notes:
            notes = _units_note("文中提及", record["mentioned"]) or ["（无责任分工）"]
        return record["action_number"] + record["action_title"], notes

    columns = [
        Column("task_id", "编号ID", in_table=False),
        Column("task_number", "编号", wrap=False, fixed=True),
        Column("task_title", "任务"),
        Column("role", "角色", ROLE_LABELS, in_table=unit is not None, wrap=False),
        Column("action_id", "行动ID", in_table=False),
        Column("action_number", "行动编号", in_table=False),
        Column("action_title", "行动", in_table=False),
        Column("leads", "牵头单位", in_table=False),
        Column("participants", "参加单位", in_table=False),
        Column("mentioned", "文中提及", in_table=False),
    ]
    footer: list[str] = []
    if unit is not None and summary:
        counts = {role: sum(1 for r in rows if r.role == role) for role in ROLE_LABELS}
        actions = {role: len({r.action_id for r in rows if r.role == role}) for role in ROLE_LABELS}
        footer.append(
            f"{unit.name}：牵头 {actions['lead']} 项行动（{counts['lead']} 项任务），"
            f"参加 {actions['participant']} 项行动（{counts['participant']} 项任务），"
            f"文中提及 {counts['mentioned']} 处"
        )
    title = f"{unit.name}的任务" if unit else "任务与责任单位"
    return Listing(title, columns, records, group, footer, sheet=title, landscape=True)


def units_listing(rows: list[UnitRow]) -> Listing:
    columns = [
        Column("number", "序号", wrap=False, fixed=True),
        Column("id", "ID", in_table=False),
        Column("name", "单位", wrap=False, fixed=True),
        Column("full_name", "全称", in_table=False),
        Column("kind", "类别", wrap=False),
        Column("aliases", "别名", in_table=False),
        Column("lead_actions", "牵头行动"),
        Column("participant_actions", "参加行动"),
        Column("mentioned_actions", "提及行动"),
        Column("lead_tasks", "牵头任务"),
        Column("participant_tasks", "参加任务"),
        Column("mentioned_tasks", "提及任务"),
    ]
    return Listing("单位", columns, [r.as_dict() for r in rows], sheet="单位")


def coverage_listing(cov: Coverage) -> Listing:
    columns = [
        Column("number", "序号", wrap=False, fixed=True),
        Column("unit", "单位", wrap=False, fixed=True),
        Column("kind", "类别", in_table=False),
    ]
    columns += [Column(a.id, a.number, MATRIX_LABELS, wrap=False, pivot=True) for a in cov.actions]
    records = []
    for i, unit in enumerate(cov.units, 1):
        record: dict[str, Any] = {"number": i, "unit": unit.name, "kind": unit.kind}
        record.update(cov.cells.get(unit.name, {}))
        records.append(record)
    legend = ["牵 = 牵头，参 = 参加，提及 = 文中提及而责任分工未列"]
    legend += [f"{a.number}{a.title}（{a.tasks} 项任务）" for a in cov.actions]
    findings = [f"[{f.rule}] {f.message}" for f in cov.findings]
    return Listing(
        "重点任务分工矩阵",
        columns,
        records,
        footer=[*legend, "", *findings] if findings else legend,
        data=cov.as_dict(),
        sheet="分工矩阵",
        landscape=True,
        keep=frozenset(u.name for u in cov.units),
        pivot_names=ROLE_LABELS,
    )


def targets_listing(rows: list[TargetRow]) -> Listing:
    columns = [
        Column("id", "ID", in_table=False),
        Column("statement", "目标"),
        Column("due", "时限"),
        Column("where", "出处"),
        Column("quote", "原文"),
        Column("indicator", "指标", in_table=False),
        Column("comparator", "比较", in_table=False),
        Column("value", "数值", in_table=False),
        Column("unit", "单位", in_table=False),
        Column("year", "年份", in_table=False),
        Column("ref", "出处ID", in_table=False),
    ]
    return Listing("目标", columns, [asdict(r) for r in rows], sheet="目标")


def indicators_listing(rows: list[IndicatorRow]) -> Listing:
    """The targets with their baselines, latest measured values and trends (when the plan has any)."""
    from kpsy.outputs.progress import indicator_sheet

    def number(value: float | None, unit: str, when: object = None) -> str:
        if value is None:
            return "—"
        shown = f"{int(value)}" if float(value).is_integer() else f"{value:g}"
        return f"{shown}{unit}" + (f"（{when}）" if when else "")

    def change(value: float | None, unit: str) -> str:
        if value is None:
            return "—"
        arrow = "↑" if value > 0 else "↓" if value < 0 else "→"
        return f"{arrow}{abs(value):g}{unit}" if value else "持平"

    columns = [
        Column("id", "ID", in_table=False),
        Column("statement", "目标"),
        Column("due", "时限"),
        Column("baseline_text", "基线", wrap=False),
        Column("latest_text", "最新值", wrap=False),
        Column("change_text", "变化", wrap=False),
        Column("trend_label", "趋势"),
        Column("indicator", "指标", in_table=False),
        Column("comparator", "比较", in_table=False),
        Column("value", "数值", in_table=False),
        Column("unit", "单位", in_table=False),
        Column("year", "年份", in_table=False),
        Column("baseline", "基线值", in_table=False),
        Column("baseline_year", "基线年份", in_table=False),
        Column("baseline_source", "基线来源", in_table=False),
        Column("latest", "最新值（数值）", in_table=False),
        Column("latest_date", "最新值日期", in_table=False),
        Column("latest_source", "最新值来源", in_table=False),
        Column("change", "较上次", in_table=False),
        Column("trend", "趋势键", in_table=False),
        Column("projected", "趋势预计值", in_table=False),
        Column("where", "出处", in_table=False),
        Column("quote", "原文", in_table=False),
        Column("ref", "出处ID", in_table=False),
    ]
    records = []
    for row in rows:
        record = row.as_dict()
        record.pop("actuals")
        record["baseline_text"] = number(
            row.baseline, row.unit, f"{row.baseline_year}年" if row.baseline_year else None
        )
        record["latest_text"] = number(row.latest, row.unit, row.latest_date)
        record["change_text"] = change(row.change, row.unit)
        records.append(record)
    return Listing(
        "目标与进展",
        columns,
        records,
        data=[row.as_dict() for row in rows],
        sheet="目标",
        workbook=lambda book: indicator_sheet(book, rows),
    )


def schedule_listing(rows: list[MilestoneRow]) -> Listing:
    columns = [
        Column("id", "ID", in_table=False),
        Column("period", "时间"),
        Column("title", "工作"),
        Column("where", "出处"),
        Column("quote", "原文"),
        Column("start", "开始", in_table=False),
        Column("end", "结束", in_table=False),
        Column("ref", "出处ID", in_table=False),
    ]
    return Listing("进度安排", columns, [asdict(r) for r in rows], sheet="进度安排")


def shown_text(item: Shown, md: bool = False) -> str:
    """One part, action or task in full, as text or Markdown."""
    esc = md_escape if md else (lambda s: s)
    kind = {"part": "部分", "chapter": "章节", "task": "任务"}[item.kind]
    out = [
        f"{'# ' if md else ''}{esc(item.number + item.title)}",
        "",
        f"{kind} {item.id}" + (f"，属于 {item.parent}" if item.parent else ""),
        "",
    ]
    out += [esc(p) + ("\n" if md else "") for p in item.paragraphs]
    if item.leads or item.participants:
        out += ["", f"{'## ' if md else ''}责任分工", ""]
        out.append(esc(f"牵头单位：{'、'.join(item.leads)}") + ("  " if md else ""))
        if item.participants:
            out.append(esc(f"参加单位：{'、'.join(item.participants)}{'等' if item.etc else ''}"))
    if item.targets:
        out += ["", f"{'## ' if md else ''}目标", ""]
        out += [("- " if md else "") + esc(f"{t.statement}，时限{t.due}。原文：{t.quote}") for t in item.targets]
    if item.milestones:
        out += ["", f"{'## ' if md else ''}进度安排", ""]
        out += [("- " if md else "") + esc(f"{m.period}：{m.title}。原文：{m.quote}") for m in item.milestones]
    return "\n".join(out).rstrip() + "\n"


SHOW_FORMATS: Family[Shown] = Family(
    "show",
    Format(
        "text",
        "the item's text, responsibility, targets and milestones",
        lambda item, sink: sink.write(shown_text(item)),
    ),
    Format("json", "the same as one JSON object", lambda item, sink: sink.write(dump_json(item.as_dict()))),
    Format("md", "the same in Markdown", lambda item, sink: sink.write(shown_text(item, md=True))),
)

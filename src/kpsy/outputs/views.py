"""What each listing shows: query results turned into `Listing`s (columns, headings, labels), and
one item in full (`kpsy show`) with its formats."""

from __future__ import annotations

from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from kpsy.i18n import both, msg, role_names
from kpsy.outputs.formats import Family, Format, Sink
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


def role_labels() -> dict[str, str]:
    """What a person reads for each role value (JSON keeps the values)."""
    return role_names()


def matrix_labels() -> dict[str, str]:
    """A role as a matrix cell: one character where the language allows."""
    return {"lead": msg("L", "牵"), "participant": msg("P", "参"), "mentioned": msg("M", "提及")}


def _units_note(label: str, names: list[str]) -> list[str]:
    return (
        [msg("{label}: {names}", "{label}：{names}", label=label, names=msg(", ", "、").join(names))] if names else []
    )


def tasks_listing(
    rows: list[TaskRow], unit: Unit | None, summary: bool = True, roles: list[str] | None = None
) -> Listing:
    """Tasks grouped by action; with a unit, its role in each and (when `summary`) a count by role.
    Files (CSV, xlsx) lead with what a clerk reads first: number, task, lead and participating units."""
    records = [r.as_dict() for r in rows]
    leads, participants, mentioned = (
        msg("Lead units", "牵头单位"),
        msg("Participating units", "参加单位"),
        msg("Named in the text", "文中提及"),
    )

    def group(record: dict[str, Any]) -> tuple[str, list[str]]:
        notes = _units_note(leads, record["leads"]) + _units_note(participants, record["participants"])
        if not notes:
            notes = _units_note(mentioned, record["mentioned"]) or [msg("(no responsibility line)", "（无责任分工）")]
        return record["action_number"] + record["action_title"], notes

    columns = [
        Column("task_number", msg("No.", "编号"), wrap=False, fixed=True),
        Column("task_title", msg("Task", "任务")),
        Column("leads", leads, in_table=False),
        Column("participants", participants, in_table=False),
    ]
    if unit is not None:
        columns.append(Column("role", msg("Role", "角色"), role_labels(), wrap=False))
    columns += [
        Column("mentioned", mentioned, in_table=False),
        Column("action_number", msg("Action no.", "行动编号"), in_table=False, extra=True),
        Column("action_title", msg("Action", "行动"), in_table=False, extra=True),
        Column("task_id", msg("Task id", "任务ID"), in_table=False, extra=True, ident=True),
        Column("action_id", msg("Action id", "行动ID"), in_table=False, extra=True),
    ]
    footer = [_role_summary(rows, unit)] if unit is not None and summary else []
    title = (
        msg("Tasks of {unit}", "{unit}的任务", unit=unit.name)
        if unit
        else msg("Tasks and their units", "任务与责任单位")
    )
    empty = _no_tasks(unit, roles)
    return Listing(title, columns, records, group, footer, sheet=title, landscape=True, empty=empty)


def _role_summary(rows: list[TaskRow], unit: Unit) -> str:
    """A unit's actions and tasks counted by its role in them."""
    counts = {role: sum(1 for r in rows if r.role == role) for role in ("lead", "participant", "mentioned")}
    actions = {role: len({r.action_id for r in rows if r.role == role}) for role in counts}
    return msg(
        "{unit}: leads {la} action(s) ({lt} task(s)), takes part in {pa} action(s) ({pt} task(s)), "
        "named in the text {m} time(s)",
        "{unit}：牵头 {la} 项行动（{lt} 项任务），参加 {pa} 项行动（{pt} 项任务），文中提及 {m} 处",
        unit=unit.name,
        la=actions["lead"],
        lt=counts["lead"],
        pa=actions["participant"],
        pt=counts["participant"],
        m=counts["mentioned"],
    )


def _no_tasks(unit: Unit | None, roles: list[str] | None) -> str:
    """What an empty listing of tasks says."""
    if unit is not None and roles:
        labels = role_labels()
        return msg(
            "{unit} has no tasks as {roles} here",
            "{unit}在此范围内没有{roles}的任务",
            unit=unit.name,
            roles=msg(" or ", "或").join(labels[r] for r in roles),
        )
    if unit is not None:
        return msg("{unit} has no tasks here", "{unit}在此范围内没有任务", unit=unit.name)
    return msg("No tasks here", "此范围内没有任务")


def units_listing(rows: list[UnitRow]) -> Listing:
    columns = [
        Column("number", msg("No.", "序号"), wrap=False, fixed=True),
        Column("name", msg("Unit", "单位"), wrap=False, fixed=True),
        Column("kind", msg("Kind", "类别"), wrap=False),
        Column("lead_actions", msg("Leads actions", "牵头行动")),
        Column("participant_actions", msg("In actions", "参加行动")),
        Column("mentioned_actions", msg("Named in actions", "提及行动")),
        Column("lead_tasks", msg("Leads tasks", "牵头任务")),
        Column("participant_tasks", msg("In tasks", "参加任务")),
        Column("mentioned_tasks", msg("Named in tasks", "提及任务")),
        Column("full_name", msg("Full name", "全称"), in_table=False),
        Column("aliases", msg("Aliases", "别名"), in_table=False),
        Column("id", msg("Id", "ID"), in_table=False, extra=True, ident=True),
    ]
    title = msg("Units", "单位")
    return Listing(title, columns, [r.as_dict() for r in rows], sheet=title)


def coverage_listing(cov: Coverage) -> Listing:
    cells = matrix_labels()
    columns = [
        Column("number", msg("No.", "序号"), wrap=False, fixed=True),
        Column("unit", msg("Unit", "单位"), wrap=False, fixed=True),
        Column("kind", msg("Kind", "类别"), in_table=False),
    ]
    columns += [Column(a.id, a.number, cells, wrap=False, pivot=True) for a in cov.actions]
    columns.append(Column("unit_id", msg("Unit id", "单位ID"), in_table=False, extra=True, ident=True))
    records = []
    for i, unit in enumerate(cov.units, 1):
        record: dict[str, Any] = {"number": i, "unit": unit.name, "kind": unit.kind, "unit_id": unit.id}
        record.update(cov.cells.get(unit.name, {}))
        records.append(record)
    roles = role_labels()
    legend = [
        msg(
            "{l} = lead, {p} = participant, {m} = named in the text but not in the responsibility line",
            "{l} = 牵头，{p} = 参加，{m} = 文中提及而责任分工未列",
            l=cells["lead"],
            p=cells["participant"],
            m=cells["mentioned"],
        )
    ]
    legend += [
        msg("{n}{t} ({k} task(s))", "{n}{t}（{k} 项任务）", n=a.number, t=a.title, k=a.tasks) for a in cov.actions
    ]
    findings = [f.message for f in cov.findings]  # the rule ids are in the JSON
    title = msg("Responsibility matrix", "重点任务分工矩阵")
    return Listing(
        title,
        columns,
        records,
        footer=[*legend, "", *findings] if findings else legend,
        data=cov.as_dict(),
        sheet=msg("Matrix", "分工矩阵"),
        landscape=True,
        keep=frozenset(u.name for u in cov.units),
        pivot_names=roles,
    )


def _source_columns() -> list[Column]:
    return [
        Column("where", msg("Where", "出处")),
        Column("quote", msg("Text", "原文")),
    ]


def targets_listing(rows: list[TargetRow]) -> Listing:
    from kpsy.queries.records import due_shown

    columns = [
        Column("statement", msg("Target", "目标")),
        Column("due", msg("Due", "时限"), {r.due: due_shown(r) for r in rows}),
        *_source_columns(),
        Column("indicator", msg("Indicator", "指标"), in_table=False),
        Column("comparator", msg("Comparison", "比较"), in_table=False),
        Column("value", msg("Value", "数值"), in_table=False),
        Column("unit", msg("Unit of measure", "计量单位"), in_table=False),
        Column("year", msg("Year", "年份"), in_table=False),
        Column("id", msg("Id", "ID"), in_table=False, extra=True, ident=True),
        Column("ref", msg("Source id", "出处ID"), in_table=False, extra=True),
    ]
    title = msg("Targets", "目标")
    return Listing(title, columns, [asdict(r) for r in rows], sheet=title)


def indicators_listing(rows: list[IndicatorRow]) -> Listing:
    """The targets with their baselines, latest measured values and trends (when the plan has any)."""
    from kpsy.outputs.progress import indicator_sheet

    records = []
    for row in rows:
        record = row.as_dict()
        record.pop("actuals")
        year = msg("{y}", "{y}年", y=row.baseline_year) if row.baseline_year else None
        record["baseline_text"] = _amount(row.baseline, row.unit, year)
        record["latest_text"] = _amount(row.latest, row.unit, row.latest_date)
        record["change_text"] = _change(row.change, row.unit)
        records.append(record)
    title = msg("Targets and progress", "目标与进展")
    return Listing(
        title,
        _indicator_columns(rows),
        records,
        data=[row.as_dict() for row in rows],
        sheet=msg("Targets", "目标"),
        workbook=lambda book: indicator_sheet(book, rows),
    )


def _amount(value: float | None, unit: str, when: object = None) -> str:
    """A value with its unit of measure (and when it was measured), or a dash."""
    if value is None:
        return "—"
    shown = f"{int(value)}" if float(value).is_integer() else f"{value:g}"
    return f"{shown}{unit}" + (msg(" ({w})", "（{w}）", w=when) if when else "")


def _change(value: float | None, unit: str) -> str:
    """A change as an arrow and its size, or a dash."""
    if value is None:
        return "—"
    arrow = "↑" if value > 0 else "↓" if value < 0 else "→"
    return f"{arrow}{abs(value):g}{unit}" if value else msg("unchanged", "持平")


def _indicator_columns(rows: list[IndicatorRow]) -> list[Column]:
    from kpsy.queries.records import due_shown

    return [
        Column("statement", msg("Target", "目标")),
        Column("due", msg("Due", "时限"), {r.due: due_shown(r) for r in rows}),
        Column("baseline_text", msg("Baseline", "基线"), wrap=False),
        Column("latest_text", msg("Latest", "最新值"), wrap=False),
        Column("change_text", msg("Change", "变化"), wrap=False),
        Column("trend_label", msg("Trend", "趋势")),
        Column("indicator", msg("Indicator", "指标"), in_table=False),
        Column("comparator", msg("Comparison", "比较"), in_table=False, extra=True),
        Column("value", msg("Value", "数值"), in_table=False, extra=True),
        Column("unit", msg("Unit of measure", "计量单位"), in_table=False, extra=True),
        Column("year", msg("Year", "年份"), in_table=False, extra=True),
        Column("baseline", msg("Baseline value", "基线值"), in_table=False, extra=True),
        Column("baseline_year", msg("Baseline year", "基线年份"), in_table=False, extra=True),
        Column("baseline_source", msg("Baseline source", "基线来源"), in_table=False, extra=True),
        Column("latest", msg("Latest value", "最新值（数值）"), in_table=False, extra=True),
        Column("latest_date", msg("Latest date", "最新值日期"), in_table=False, extra=True),
        Column("latest_source", msg("Latest source", "最新值来源"), in_table=False, extra=True),
        Column("change", msg("Change since last", "较上次"), in_table=False, extra=True),
        Column("trend", msg("Trend key", "趋势键"), in_table=False, extra=True),
        Column("projected", msg("Projected", "趋势预计值"), in_table=False, extra=True),
        Column("where", msg("Where", "出处"), in_table=False),
        Column("quote", msg("Text", "原文"), in_table=False, extra=True),
        Column("id", msg("Id", "ID"), in_table=False, extra=True, ident=True),
        Column("ref", msg("Source id", "出处ID"), in_table=False, extra=True),
    ]


def schedule_listing(rows: list[MilestoneRow]) -> Listing:
    from kpsy.queries.records import period_shown

    columns = [
        Column("period", msg("When", "时间"), {r.period: period_shown(r.start, r.end) for r in rows}, fixed=True),
        Column("title", msg("Work", "工作")),
        *_source_columns(),
        Column("start", msg("Start", "开始"), in_table=False),
        Column("end", msg("End", "结束"), in_table=False),
        Column("id", msg("Id", "ID"), in_table=False, extra=True, ident=True),
        Column("ref", msg("Source id", "出处ID"), in_table=False, extra=True),
    ]
    title = msg("Schedule", "进度安排")
    return Listing(title, columns, [asdict(r) for r in rows], sheet=title)


def shown_text(item: Shown, md: bool = False) -> str:
    """One part, action or task in full, as text or Markdown: blocks separated by one blank line."""
    esc = md_escape if md else (lambda s: s)
    head = "## " if md else ""
    kind = {"part": msg("Part", "部分"), "chapter": msg("Action", "章节"), "task": msg("Task", "任务")}[item.kind]
    blocks = [
        ("# " if md else "") + esc(item.number + item.title),
        esc(
            f"{kind} {item.id}"
            + (msg(", in {p} ({i})", "，属于{p}（{i}）", p=item.parent_title, i=item.parent) if item.parent else "")
        ),
        *(esc(p) for p in item.paragraphs),
    ]
    if item.leads or item.participants:
        lines = [esc(msg("Lead units: {u}", "牵头单位：{u}", u=msg(", ", "、").join(item.leads)))]
        if item.participants:
            etc = msg(" etc.", "等") if item.etc else ""
            lines.append(
                esc(
                    msg(
                        "Participating units: {u}{etc}",
                        "参加单位：{u}{etc}",
                        u=msg(", ", "、").join(item.participants),
                        etc=etc,
                    )
                )
            )
        blocks += [head + msg("Responsibility", "责任分工"), ("  \n" if md else "\n").join(lines)]
    bullet = "- " if md else ""
    if item.targets:
        blocks.append(head + msg("Targets", "目标"))
        blocks.append(
            "\n".join(
                bullet
                + esc(msg("{s}, due {d}. Text: {q}", "{s}，时限{d}。原文：{q}", s=t.statement, d=t.due, q=t.quote))
                for t in item.targets
            )
        )
    if item.milestones:
        blocks.append(head + msg("Schedule", "进度安排"))
        blocks.append(
            "\n".join(
                bullet + esc(msg("{p}: {t}. Text: {q}", "{p}：{t}。原文：{q}", p=m.period, t=m.title, q=m.quote))
                for m in item.milestones
            )
        )
    return "\n\n".join(blocks) + "\n"


def _write_shown(item: Shown, sink: Sink) -> None:
    """The item as text: on a terminal wrapped to its width (never inside a unit's name), piped a
    paragraph a line."""
    text = shown_text(item)
    if sink.terminal:
        from kpsy.outputs.layout import keep_pattern, wrap

        keep = keep_pattern([*item.leads, *item.participants])
        text = "".join(line + "\n" for para in text.rstrip("\n").split("\n") for line in wrap(para, sink.width, keep))
    sink.write(text)


SHOW_FORMATS: Family[Shown] = Family(
    "show",
    Format(
        "text",
        both("the item's text, responsibility, targets and milestones", "该项的原文、责任分工、目标和进度节点"),
        _write_shown,
    ),
    Format(
        "json",
        both("the same as one JSON object", "同上，一个 JSON 对象"),
        lambda item, sink: sink.write(dump_json(item.as_dict())),
    ),
    Format(
        "md", both("the same in Markdown", "同上，Markdown"), lambda item, sink: sink.write(shown_text(item, md=True))
    ),
)

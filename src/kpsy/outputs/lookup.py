"""What finding things shows: the hits of `kpsy search` as a listing (every listing format), and one
unit's profile (`kpsy unit`) as text, Markdown, JSON, CSV or a workbook."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from kpsy.i18n import both, msg, thing
from kpsy.outputs.formats import Family, Format, Sink
from kpsy.outputs.layout import display_width, keep_pattern, wrap
from kpsy.outputs.listing import LISTING_FORMATS, Column, Listing
from kpsy.util import dump_json, md_escape

if TYPE_CHECKING:
    from kpsy.queries.profile import ActionPart, Concern, UnitProfile
    from kpsy.queries.search import SearchResult


def search_listing(result: SearchResult) -> Listing:
    """The hits, one row each: the item's number and title, and the matched words in context."""
    columns = [
        Column("number", msg("Number", "编号"), wrap=False),
        Column("title", msg("Title", "标题")),
        Column("context", msg("Context", "上下文"), marks="marks"),
        Column("id", "ID", in_table=False, extra=True, ident=True),
        Column("kind", msg("Kind", "类别"), in_table=False, extra=True),
        Column("where", msg("Paragraph kind", "段落类别"), in_table=False, extra=True),
        Column("paragraph", msg("Paragraph", "段落序号"), in_table=False, extra=True),
        Column("match", msg("Match", "匹配文字"), in_table=False),
        Column("file", msg("File", "文件"), in_table=False, extra=True),
    ]  # JSON has the offsets too (start, end, before, after, marks)
    records = [hit.as_dict() for hit in result.hits]
    for record in records:
        record["number"] = record["number"] or "—"
        record["kind"], record["where"] = thing(record["kind"]), thing(record["where"])
        record["marks"] = tuple(tuple(span) for span in record["marks"])  # not a list: no phrases to keep
    title = msg("Search: {q}", "搜索：{q}", q=result.query)
    if result.unit is not None:
        title += msg(" (in {unit}'s actions and tasks)", "（{unit}的行动和任务中）", unit=result.unit)
    footer = [
        msg(
            "{n} hit(s) in {m} item(s)",
            "共 {n} 处，分布在 {m} 个条目中",
            n=len(result.hits),
            m=result.items,
        )
    ]
    where = msg(" in {u}'s actions and tasks", "（{u}的行动和任务中）", u=result.unit) if result.unit else ""
    json_records = [hit.as_dict() for hit in result.hits]
    return Listing(
        title,
        columns,
        records,
        footer=footer if records else [],
        data=json_records,
        sheet=msg("Search", "搜索结果"),
        landscape=True,
        empty=msg("no hits for “{q}”{where}", "没有找到“{q}”{where}", q=result.query, where=where),
    )


# --- one unit ---------------------------------------------------------------------------------

ROLE_NAMES = {"lead": ("lead", "牵头"), "participant": ("participant", "参加"), "mentioned": ("mentioned", "提及")}


def _role(role: str) -> str:
    en, zh = ROLE_NAMES[role]
    return msg(en, zh)


def _names(names: list[str]) -> str:
    return msg(", ", "、").join(names)


def _counts(profile: UnitProfile) -> str:
    c = profile.counts
    return msg(
        "leads {la} action(s) ({lt} task(s)), takes part in {pa} action(s) ({pt} task(s)), named in the text of"
        " {mt} more",
        "牵头 {la} 项行动（{lt} 项任务），参加 {pa} 项行动（{pt} 项任务），另在 {mt} 处正文中被提及",
        la=c["lead"]["actions"],
        lt=c["lead"]["tasks"],
        pa=c["participant"]["actions"],
        pt=c["participant"]["tasks"],
        mt=c["mentioned"]["tasks"],
    )


def _heading(role: str) -> str:
    return {
        "lead": msg("Actions it leads", "牵头的行动"),
        "participant": msg("Actions it takes part in", "参加的行动"),
        "mentioned": msg("Named in the text (no responsibility line names it)", "正文提及（责任分工未列）"),
    }[role]


def _with_whom(part: ActionPart) -> list[str]:
    """Whom the unit works with in `part`: co-leads and participants where it leads, else the leads."""
    lines = []
    if part.role == "lead":
        if part.co_leads:
            lines.append(msg("co-leads: {u}", "共同牵头：{u}", u=_names(part.co_leads)))
        if part.participants:
            lines.append(msg("taking part: {u}", "参加单位：{u}", u=_names(part.participants)))
    elif part.leads:
        lines.append(msg("led by: {u}", "牵头单位：{u}", u=_names(part.leads)))
    return lines


def _concern(concern: Concern) -> str:
    from kpsy.queries.records import due_shown, period_shown

    row: Any = concern.row
    if hasattr(row, "statement"):
        text = msg(
            "{s} (by {due}), stated in {where}",
            "{s}（时限：{due}），见 {where}",
            s=row.statement,
            due=due_shown(row),
            where=row.where,
        )
    else:
        text = msg(
            "{p}: {t}, stated in {where}",
            "{p}：{t}，见 {where}",
            p=period_shown(row.start, row.end),
            t=row.title,
            where=row.where,
        )
    if concern.scope == "plan":
        text += msg(" (the whole plan's)", "（全方案共同）")
    return text


def _sections(profile: UnitProfile) -> list[tuple[str, list[tuple[int, str]]]]:
    """The profile as (heading, [(indent, line)]) sections, shared by the text and Markdown forms."""
    unit = profile.unit
    about = [msg("id {id}", "ID：{id}", id=unit.id), msg("kind {k}", "类别：{k}", k=unit.kind)]
    if unit.full_name:
        about.insert(0, msg("full name {f}", "全称：{f}", f=unit.full_name))
    if unit.aliases:
        about.append(msg("also called {a}", "别名：{a}", a=_names(list(unit.aliases))))
    head = [(0, msg("; ", "；").join(about)), (0, _counts(profile))]
    if profile.oversees:
        head.append(
            (0, msg("It oversees the work rather than doing tasks of its own.", "该单位负责统筹督促，不承担具体任务。"))
        )
    if not profile.tasks:
        head.append((0, msg("No action or task names it.", "没有行动或任务涉及该单位。")))
    sections: list[tuple[str, list[tuple[int, str]]]] = [("", head)]
    for role in ("lead", "participant", "mentioned"):
        parts = [p for p in profile.actions if p.role == role]
        if not parts:
            continue
        lines: list[tuple[int, str]] = []
        for part in parts:
            heading = f"{part.number}{part.title}"
            if any(t.kind == "task" for t in part.tasks):  # a chapter without numbered tasks is one piece of work
                count = msg(
                    "{n} of its {total} tasks", "共 {total} 项任务，涉及 {n} 项", n=len(part.tasks), total=part.total
                )
                heading += msg(" ({c})", "（{c}）", c=count)
            lines.append((0, heading))
            lines += [(2, line) for line in _with_whom(part)]
            lines += [(2, f"{t.task_number}{t.task_title}") for t in part.tasks if t.kind == "task"]
        sections.append((_heading(role), lines))
    if profile.targets:
        sections.append((msg("Targets", "目标"), [(0, _concern(c)) for c in profile.targets]))
    if profile.milestones:
        sections.append((msg("Schedule", "进度安排"), [(0, _concern(c)) for c in profile.milestones]))
    return sections


def profile_text(profile: UnitProfile, width: int) -> str:
    """The profile as plain text, wrapped by display width with hanging indents; no unit's name is
    ever split."""
    sections = _sections(profile)
    phrases = {profile.unit.name}
    for part in profile.actions:
        phrases.update(part.leads, part.participants)
    for _, line in sections[0][1]:  # the head's items (别名：…, 另在 0 处正文中被提及) stay whole
        phrases.update(item for item in re.split("[；，;,] ?", line) if display_width(item) <= width // 2)
    keep = keep_pattern(phrases)
    out = [profile.unit.name]
    for heading, lines in sections:
        out.append("")
        if heading:
            out.append(heading)
        base = 2 if heading else 0
        for indent, line in lines:
            pad = " " * (base + indent)
            label = line.find("：")
            hang = display_width(line[: label + 1]) if label > 0 else 0
            hang = hang if 0 < hang <= 12 else 2
            out += [pad + part for part in wrap(line, max(20, width - len(pad)), keep, indent=hang)]
    return "\n".join(out) + "\n"


def profile_md(profile: UnitProfile) -> str:
    """The profile in Markdown: a heading per section, lists for its lines."""
    out = [f"# {md_escape(profile.unit.name)}", ""]
    for heading, lines in _sections(profile):
        if heading:
            out += [f"## {md_escape(heading)}", ""]
            out += [f"{'  ' * indent}- {md_escape(line)}" for indent, line in lines]
        else:
            out += [md_escape(line) + "  " for _, line in lines]
            out[-1] = out[-1].rstrip()
        out.append("")
    return "\n".join(out)


def _tasks_listing(profile: UnitProfile) -> Listing:
    """The unit's tasks as a listing (CSV and workbook), with its targets and milestones as notes."""
    from kpsy.outputs.views import tasks_listing

    listing = tasks_listing(profile.tasks, profile.unit)
    listing.footer = [
        *listing.footer,
        *(msg("Target: {t}", "目标：{t}", t=_concern(c)) for c in profile.targets),
        *(msg("Schedule: {t}", "进度安排：{t}", t=_concern(c)) for c in profile.milestones),
    ]
    return listing


def _write_listing(fmt: str) -> Any:
    def write(profile: UnitProfile, sink: Sink) -> None:
        LISTING_FORMATS.emit(fmt, _tasks_listing(profile), sink)

    return write


PROFILE_FORMATS: Family[UnitProfile] = Family(
    "profile",
    Format(
        "text",
        both(
            "the unit on one page: roles, actions and with whom, tasks, targets, schedule",
            "一页看一个单位：角色、行动及合作单位、任务、目标、进度",
        ),
        lambda profile, sink: sink.write(profile_text(profile, sink.width)),
    ),
    Format("md", both("the same in Markdown", "同上，Markdown"), lambda profile, sink: sink.write(profile_md(profile))),
    Format(
        "json",
        both("the same as one JSON object", "同上，一个 JSON 对象"),
        lambda profile, sink: sink.write(dump_json(profile.as_dict())),
    ),
    Format("csv", both("the unit's tasks, one a line", "该单位的任务，一行一项"), _write_listing("csv")),
    Format(
        "xlsx",
        both("the unit's tasks as a workbook (needs -o)", "该单位任务的工作簿（需 -o）"),
        _write_listing("xlsx"),
        True,
    ),
)

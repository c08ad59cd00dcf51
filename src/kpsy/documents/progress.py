"""What the progress documents' templates see: the 督查通报 (bulletin) of one period and the 年度总结
/ 总结评估 (review) up to it, with their pictures as PNG data URIs (embedded in the .docx).

The bulletin says who reported on time and who did not, ranks the units by the scoring rule of
`kpsy.queries.assessment`, drafts the 表扬 and 通报批评 from it, sums up the problems by heading,
drafts the 下一步工作要求 from what it found and lists every task in an 附件. The review compares the
years (counts and shares by status), follows each indicator over the years, condenses each action
to a paragraph and says what remains for the next plan. Both are judged as of the document's date
(--date), else as of the deadline; neither is ever dated by the machine's clock."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from kpsy.i18n import language, msg, status_names
from kpsy.plan.outline import PlanData
from kpsy.plan.periods import parse_period
from kpsy.queries.assessment import ProblemGroup, criticised, praised, problem_groups, scores
from kpsy.queries.progress import BEHIND, MISSING, Entry, IndicatorRow, Overview, PeriodProgress, overview


@dataclass
class Behind:
    """A task some unit reported behind (欠进度) or not started (未启动)."""

    number: str
    title: str
    leads: list[str]
    units: list[Entry]  # the reports that say so


def sentence(text: str) -> str:
    """`text` closed by a full stop, unless it already ends a sentence."""
    return text if text.endswith(("。", "！", "？", "；", "…", ".", "!", "?")) else text + "。"


def gist(text: str, limit: int = 36) -> str:
    """The first clause of `text`, at most `limit` characters (cut at a whole character): what a
    summary quotes of a report, never the report pasted."""
    first = re.split(r"[。；;！？!?\n]", text.strip(), maxsplit=1)[0].strip("，,、 ")
    if len(first) <= limit:
        return first
    kept = ""
    for clause in re.split(r"(?<=[，,、])", first):  # whole clauses, never a number cut in two
        if kept and len(kept) + len(clause) > limit:
            break
        kept += clause
    kept = kept.rstrip("，,、 ")
    return kept if len(kept) <= limit else kept[: limit - 1] + "…"


def named(names: list[str], most: int = 6) -> str:
    """Names joined by 、, the first `most` of them and 等N个单位 after."""
    if len(names) <= most:
        return msg(", ", "、").join(names)
    return msg(
        "{n} and {k} more", "{n}等{t}个单位", n=msg(", ", "、").join(names[:most]), k=len(names) - most, t=len(names)
    )


@dataclass
class AnnexRow:
    """A task in the bulletin's 附件: how many of its units stand where, and its light."""

    number: str
    title: str
    leads: str
    done: int  # 已完成
    going: int  # 超进度, 达进度, 其他
    behind: int  # 欠进度, 未启动
    missing: int  # 未报送
    light: str


def _annex(progress: PeriodProgress) -> list[AnnexRow]:
    from kpsy.outputs.deadlines import light_names

    lights = light_names()
    rows = []
    for row in progress.rows:
        values = list(row.cells.values())
        behind = sum(1 for s in values if s in BEHIND)
        done, missing = values.count("已完成"), values.count(MISSING)
        rows.append(
            AnnexRow(
                row.number,
                row.title,
                msg(", ", "、").join(row.leads),
                done,
                len(values) - done - behind - missing,
                behind,
                missing,
                lights[row.light],
            )
        )
    return rows


def _problem_lines(groups: list[ProblemGroup], most: int = 4) -> list[str]:
    """One paragraph a heading (the `most` reported most): how many reports, which units, which
    actions, one example in brief; the other headings named in a last line."""
    lines = []
    for group in groups[:most]:
        example = group.entries[0]
        lines.append(
            msg(
                "{h}: raised {n} time(s) by {u}, in actions {a}; e.g. {eu}: “{q}”.",
                "{h}。{u}在{n}项任务中反映，涉及{a}；如{eu}反映“{q}”。",
                h=group.shown,
                n=len(group.entries),
                u=named(group.units, 4),
                a=msg(", ", "、").join(group.actions[:4]) + (msg(" etc.", "等") if len(group.actions) > 4 else ""),
                eu=example.unit,
                q=gist(example.problems or ""),
            )
        )
    rest = groups[most:]
    if rest:
        lines.append(
            msg(
                "Also reported: {h}.",
                "此外，还有单位反映{h}等问题。",
                h=msg(", ", "、").join(msg("{h} ({n})", "{h}（{n}）", h=g.shown, n=len(g.entries)) for g in rest),
            )
        )
    return lines


# What the office asks for, by the heading of the problems it found.
MEASURES: dict[str, tuple[str, str]] = {
    "经费保障不足": (
        "secure funding: put science popularisation in the yearly budget",
        "加强经费保障，将科普经费纳入年度预算，统筹用好各类资金",
    ),
    "人员力量薄弱": (
        "strengthen the teams: named staff, trained volunteers",
        "加强队伍建设，明确专人负责，壮大科普志愿者和专兼职科普人员队伍",
    ),
    "场地设施欠缺": ("make fuller use of venues and facilities", "用好科普阵地，推动场馆、基地、设施开放共享"),
    "协调联动不够": (
        "lead units coordinate, participants cooperate",
        "健全协同机制，牵头单位加强统筹，参加单位主动配合，形成工作合力",
    ),
    "群众参与不高": (
        "reach more people: publicity and activities people join",
        "加大宣传动员力度，创新活动形式，提高群众参与度和覆盖面",
    ),
    "客观因素影响": ("plan ahead for what cannot be helped", "提前谋划、错峰安排，把客观因素的影响降到最低"),
}


def _requirements(
    progress: PeriodProgress, behind: list[Behind], groups: list[ProblemGroup], next_due: dt.date | None
) -> list[str]:
    """下一步工作要求, drafted from what the bulletin found: tasks behind, reports owed, the problems
    reported most, and the next deadline."""
    out = []
    if behind:
        leads = list(dict.fromkeys(name for b in behind for name in b.leads))
        out.append(
            msg(
                "Speed up the {n} task(s) behind: the units responsible find the cause and set measures and dates; the lead units ({u}) coordinate.",
                "加快推进滞后任务。对{n}项进度滞后的任务，责任单位要认真分析原因，明确整改措施和完成时限；牵头单位（{u}）要加强统筹调度。",
                n=len(behind),
                u=named(leads, 4),
            )
        )
    owed = [o.unit for o in progress.owed]
    if owed:
        out.append(
            msg(
                "Report what is owed: {u} send their reports (the tasks left blank too) at once.",
                "及时补报。{u}要尽快补报{p}任务落实情况（含未填报的任务）。",
                u=named(owed, 6),
                p=progress.shown,
            )
        )
    measures = [MEASURES[g.heading][0 if language() == "en" else 1] for g in groups[:3] if g.heading in MEASURES]
    if measures:
        out.append(msg("Shore up the work: {m}.", "强化工作保障。{m}。", m=msg("; ", "；").join(measures)))
    when = msg("by {d}", "于{d}前", d=_day(next_due)) if next_due else msg("on time", "按时")
    out.append(
        msg(
            "Report on time: every unit sends its next report {w}, complete, with its evidence.",
            "严格按时报送。各成员单位要{w}报送下一期任务落实情况，做到内容完整、佐证材料齐全。",
            w=when,
        )
    )
    return out


def _day(day: dt.date) -> str:
    from kpsy.plan.numbering import chinese_date

    return day.isoformat() if language() == "en" else chinese_date(day)


def _next_deadline(plan: PlanData, period: str) -> dt.date | None:
    """The deadline of the period after `period` (the same kind: the next year, quarter or month)."""
    from kpsy.plan.periods import ReportPeriod
    from kpsy.queries.deadlines import deadline

    chosen = parse_period(period)
    if chosen is None:
        return None
    if chosen.kind == "year":
        following = ReportPeriod(str(chosen.year + 1), chosen.year + 1)
    elif chosen.kind == "quarter":
        year, quarter = (chosen.year, chosen.quarter + 1) if chosen.quarter < 4 else (chosen.year + 1, 1)
        following = ReportPeriod(f"{year}Q{quarter}", year, quarter=quarter)
    else:
        year, month = (chosen.year, chosen.month + 1) if chosen.month < 12 else (chosen.year + 1, 1)
        following = ReportPeriod(f"{year}-{month:02d}", year, month=month)
    return deadline(plan, following)


def _behind(progress: PeriodProgress) -> list[Behind]:
    entries_of: dict[str, list[Entry]] = {}
    for entry in progress.entries:
        entries_of.setdefault(entry.task_id, []).append(entry)
    return [
        Behind(row.number, row.title, row.leads, [e for e in entries_of.get(row.id, []) if e.status in BEHIND])
        for row in progress.behind()
    ]


def bulletin_context(plan: PlanData, progress: PeriodProgress) -> dict[str, Any]:
    """What the 督查通报 adds: who reported on time, the ranking with 表扬 and 通报批评, the problems
    summed up, the 工作要求 and the 附件's task list."""
    from kpsy.queries.assessment import scoring_rule

    behind = _behind(progress)
    groups = problem_groups(progress.entries)
    ranked = scores(progress)
    by_state = {
        key: [s for s in progress.submissions if s.state == key] for key in ("on-time", "late", "overdue", "pending")
    }
    return {
        "behind": behind,
        "on_time": by_state["on-time"],
        "late": by_state["late"],
        "overdue": by_state["overdue"],
        "pending": by_state["pending"],
        "partial": [s for s in progress.submissions if s.partial],
        "ranked": ranked,
        "praised": praised(ranked),
        "criticised": criticised(ranked),
        "scoring": scoring_rule(),
        "problem_lines": _problem_lines(groups),
        "requirements": _requirements(progress, behind, groups, _next_deadline(plan, progress.period)),
        "annex": _annex(progress),
        "behind_line": _behind_line(behind),
    }


def _behind_line(behind: list[Behind]) -> str:
    """The tasks behind in one sentence: how many, in which actions, by whom (the 附件 lists them all)."""
    per_action: dict[str, int] = {}
    for b in behind:
        action = re.match(r"^[一二三四五六七八九十]+（[一二三四五六七八九十]+）", b.number)
        key = action.group(0) if action else b.number
        per_action[key] = per_action.get(key, 0) + 1
    units = list(dict.fromkeys(e.unit for b in behind for e in b.units))
    return msg(
        "{n} task(s) are behind (欠进度 or 未启动), in {a}, as reported by {u} (see the annex).",
        "{n}项任务有单位报告欠进度或未启动，分布在{a}，涉及{u}（详见附件）。",
        n=len(behind),
        a=msg(", ", "、").join(msg("{k} ({c})", "{k}（{c}项）", k=k, c=c) for k, c in per_action.items()),
        u=named(units, 6),
    )


@dataclass
class IndicatorYears:
    """An indicator over the years: its baseline, the latest value of each year, its target, sources."""

    row: IndicatorRow
    values: dict[str, str]  # year -> the value as printed ("" where none)
    sources: str


def _indicator_years(rows: list[IndicatorRow], periods: list[str]) -> list[IndicatorYears]:
    made = []
    for row in rows:
        values = dict.fromkeys(periods, "")
        sources: list[str] = []
        for actual in row.actuals:  # in time order: the year's latest wins
            year = actual.date[:4] if actual.date[:4] in values else actual.period[:4]
            if year in values:
                values[year] = f"{actual.value:g}"
            sources.append(msg("{s} ({u})", "{s}（{u}）", s=actual.source, u=actual.unit))
        if row.baseline_source:
            sources.insert(0, msg("baseline: {s}", "基线：{s}", s=row.baseline_source))
        made.append(IndicatorYears(row, values, msg("; ", "；").join(dict.fromkeys(sources))))
    return made


def _action_paragraph(action_id: str, views: list[PeriodProgress]) -> str:
    """One action over the years, condensed: its size, what was reported, where it stands, and a
    few of the things done (each the first clause of a lead unit's report, newest first)."""
    last = views[-1]
    rows = [r for r in last.rows if r.action_id == action_id]
    units = {u for r in rows for u in r.cells}
    reported = sum(1 for v in views for e in v.entries if e.action_id == action_id)
    counts = next(a.counts for a in last.actions if a.id == action_id)
    names = status_names()
    standing = msg(", ", "，").join(msg("{s} {n}", "{s}{n}项", s=names[c.status], n=c.count) for c in counts if c.count)
    leads = {u for r in rows for u in r.leads}
    done: list[str] = []
    for view in reversed(views):
        for entry in view.entries:
            if entry.action_id == action_id and entry.unit in leads and len(done) < 3:
                said = gist(entry.progress, 40)
                if said and said not in done:
                    done.append(f"{entry.unit}{said}")
    return msg(
        "{t} task(s), {u} unit(s); {r} report line(s) over {y}; in {l}: {s}. Done: {d}.",
        "本行动{t}项任务，涉及{u}个单位，{y}累计报送任务落实情况{r}条；{l}，{s}。主要工作：{d}。",
        t=len(rows),
        u=len(units),
        r=reported,
        y=_years_label(views),
        l=last.shown,
        s=standing,
        d=msg("; ", "；").join(done) or msg("none reported", "尚无报送"),
    )


def _years_label(views: list[PeriodProgress]) -> str:
    first, last = views[0].period, views[-1].period
    if first == last:
        return msg("in {y}", "{y}年", y=first)
    return msg("{a}–{b}", "{a}—{b}年", a=first, b=last)


def _remains(views: list[PeriodProgress], indicators: list[IndicatorRow]) -> list[str]:
    """What is left for the next plan: the pairs not done, the tasks behind, the indicators short of
    their targets, the problems reported most over the years."""
    last = views[-1]
    names = status_names()
    open_counts = [c for c in last.overall if c.status != "已完成" and c.count]
    out = [
        msg(
            "At the end of {l}, {n} of {t} unit × task pair(s) were not done: {s}.",
            "截至{l}，{t}项（单位×任务）中尚有{n}项未完成：{s}。",
            l=last.shown,
            t=last.total,
            n=sum(c.count for c in open_counts),
            s=msg(", ", "，").join(msg("{s} {n}", "{s}{n}项", s=names[c.status], n=c.count) for c in open_counts),
        )
    ]
    behind = last.behind()
    if behind:
        out.append(
            msg(
                "Carry on in the next plan the tasks still behind: {t}.",
                "仍有滞后的任务应在下一轮实施方案中继续部署：{t}。",
                t=msg(", ", "、").join(f"{r.number}{r.title}" for r in behind[:8])
                + (msg(" etc.", "等") if len(behind) > 8 else ""),
            )
        )
    short = [i for i in indicators if i.trend != "met" and (i.actuals or i.baseline is not None)]
    if short:
        out.append(
            msg(
                "Indicators short of their targets: {i}: set the next targets from where they stand.",
                "未达到目标的指标：{i}，新一轮目标应以现有水平为基础合理设定。",
                i=msg(", ", "、").join(i.indicator for i in short),
            )
        )
    groups = problem_groups([e for v in views for e in v.entries])
    if groups:
        out.append(
            msg(
                "The problems reported most: {g}: the next plan should answer them with its measures.",
                "各单位反映最多的问题是{g}，新一轮实施方案应在保障措施中予以回应。",
                g=msg(", ", "、").join(g.shown for g in groups[:3]),
            )
        )
    return out


def review_context(plan: PlanData, progress: PeriodProgress, indicators: list[IndicatorRow]) -> dict[str, Any]:
    """What the 总结 / 总结评估 adds: the years compared, the indicators over the years, each action
    condensed to a paragraph, and what remains for the next plan."""
    from kpsy.queries.assessment import year_counts, year_views

    views = [v for v in year_views(plan, progress.period) if v.period != progress.period] + [progress]
    shown = [i for i in indicators if i.actuals or i.baseline is not None]
    return {
        "years": year_counts(views),
        "years_label": _years_label(views),
        "indicator_years": _indicator_years(shown, [v.period[:4] for v in views]),
        "year_columns": [v.period[:4] for v in views],
        "action_paragraphs": [(a, _action_paragraph(a.id, views)) for a in progress.actions],
        "remains": _remains(views, shown),
        "problem_lines": _problem_lines(problem_groups([e for v in views for e in v.entries])),
    }


def _charts(view: Overview, years: list[Any] | None = None) -> dict[str, Any]:
    from markupsafe import Markup

    from kpsy.outputs.charts import years_chart
    from kpsy.outputs.progress import charts, data_uri

    made = charts(view)
    trend = None
    if years and len(years) > 1:
        trend = data_uri(years_chart(years, msg("Progress year by year", "历年任务落实情况")))
    return {
        "status": Markup(made["status"]) if made["status"] else None,
        "years": Markup(trend) if trend else None,
        "indicators": [(row, Markup(uri)) for row, uri in made["indicators"]],
    }


def progress_context(
    plan: PlanData,
    period: str | None,
    make_charts: Callable[..., dict[str, Any]] = _charts,
    *,
    as_of: dt.date | None = None,
) -> dict[str, Any]:
    """Everything the bulletin and the review may use, for `period` (default: the latest with
    reports), judged as of `as_of` (the document's date; default: the period's deadline)."""
    view = overview(plan, period, as_of)
    progress = view.progress
    chosen = parse_period(progress.period)
    assert chosen is not None
    span = plan.document.plan.period
    ctx: dict[str, Any] = {
        "progress": progress,
        "period": progress.period,
        "period_label": chosen.shown,
        "period_title": chosen.shown_of_year,
        "names": status_names(),
        "is_final": chosen.kind == "year" and chosen.year == span.end,
        "plan_years": msg("{a}–{b}", "{a}—{b}年", a=span.start, b=span.end),
        "next_plan": msg("{a}–{b}", "{a}—{b}年", a=span.end + 1, b=span.end + 1 + (span.end - span.start)),
        "counts": list(progress.overall),
        "owed": progress.owed,
        "not_reported": [o for o in progress.owed if not o.has_report],
        "incomplete": [o for o in progress.owed if o.has_report],
        "indicators": [i for i in view.indicators if i.actuals or i.baseline is not None],
    }
    ctx.update(bulletin_context(plan, progress))
    ctx.update(review_context(plan, progress, view.indicators))
    ctx["charts"] = make_charts(view, ctx["years"])
    return ctx

"""Filled-in sheets into the plan: `kpsy progress import`.

Every workbook is read and checked cell by cell (`kpsy.sheets.read`); the reports are then written
as plan files in memory, read back through the plan's own loader and checked by the plan's rules
about progress together with every report already in the plan, and each finding is shown at the
sheet and cell it came from. Nothing is written unless everything is valid, and a report already in
the plan is replaced only when asked (`force`): otherwise what would change is shown.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from kpsy.checks.progress import PROGRESS_RULES
from kpsy.checks.rules import Context
from kpsy.errors import OutputError
from kpsy.findings import RULES, Level, Problem
from kpsy.i18n import joined, msg, status_names
from kpsy.plan.files import Snapshot
from kpsy.plan.fmt import record_text
from kpsy.plan.kinds import key_of
from kpsy.plan.load import to_model
from kpsy.plan.model import ProgressFile, Unit
from kpsy.plan.outline import PlanData, Source
from kpsy.plan.periods import ReportPeriod
from kpsy.plan.reader import YamlFile, parse
from kpsy.sheets.read import SheetProblem, SheetReport, read_sheet
from kpsy.util import display_path, write_atomic


@dataclass
class Planned:
    """One report to write: where, what, and how it differs from the report already there."""

    report: SheetReport
    path: Path
    key: str
    text: str
    action: str  # new, replace, same
    changes: list[str] = field(default_factory=list)


@dataclass
class ImportResult:
    problems: list[SheetProblem] = field(default_factory=list)  # errors: nothing is written
    warnings: list[SheetProblem] = field(default_factory=list)
    planned: list[Planned] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def conflicts(self) -> list[Planned]:
        """Reports that would replace different ones already in the plan."""
        return [p for p in self.planned if p.action == "replace"]


def _relative(report: SheetReport) -> PurePosixPath:
    return PurePosixPath("progress", report.record.period, f"{report.record.unit}.yaml")


def _inside(root: Path, path: Path) -> bool:
    """Whether `path` (or, if it does not exist yet, its nearest existing folder) is inside `root`."""
    while not path.exists() and path != path.parent:
        path = path.parent
    try:
        path.resolve().relative_to(root.resolve())
    except (ValueError, OSError):
        return False
    return True


def _label(plan: PlanData, task: str) -> str:
    ref = plan.find(task)
    return ref.label if ref is not None else task


def _short(text: str | None) -> str:
    if not text:
        return "（空）"
    text = " ".join(text.split())
    return text if len(text) <= 24 else text[:24] + "…"


def changes(plan: PlanData, old: ProgressFile, new: ProgressFile) -> list[str]:
    """What replacing `old` with `new` would change, one line a change."""
    lines = []
    for name, label in (("reporter", "填报人"), ("approver", "审核人"), ("date", "填报日期")):
        before, after = getattr(old, name), getattr(new, name)
        if before != after:
            lines.append(f"{label}：{before} → {after}")
    before_tasks = {t.task: t for t in old.tasks}
    after_tasks = {t.task: t for t in new.tasks}
    fields = (
        ("status", "完成状态"),
        ("percent", "完成比例"),
        ("progress", "进展情况"),
        ("problems", "存在问题"),
        ("next_steps", "下步打算"),
        ("evidence", "佐证材料"),
    )
    for task in [*after_tasks, *(t for t in before_tasks if t not in after_tasks)]:
        a, b = before_tasks.get(task), after_tasks.get(task)
        if a is None:
            lines.append(msg("{label}: added", "{label}：新增", label=_label(plan, task)))
            continue
        if b is None:
            lines.append(msg("{label}: no longer reported", "{label}：不再填报", label=_label(plan, task)))
            continue
        diffs = []
        for name, label in fields:
            x, y = getattr(a, name), getattr(b, name)
            if x == y:
                continue
            if name in ("status", "percent"):
                diffs.append(f"{label} {x if x is not None else '（空）'} → {y if y is not None else '（空）'}")
            elif name == "evidence":
                diffs.append(f"{label} {'、'.join(x) or '（空）'} → {'、'.join(y) or '（空）'}")
            else:
                diffs.append(f"{label}「{_short(x)}」→「{_short(y)}」")
        if diffs:
            lines.append(f"{_label(plan, task)}：{'；'.join(diffs)}")
    if old.indicators != new.indicators:
        before = "、".join(f"{i.target} {i.value:g}（{i.date}）" for i in old.indicators) or "（空）"
        after = "、".join(f"{i.target} {i.value:g}（{i.date}）" for i in new.indicators) or "（空）"
        lines.append(f"指标实测值：{before} → {after}")
    return lines


def _cell_of(problem: Problem, doc: YamlFile, report: SheetReport) -> str:
    """The sheet cell a finding about a generated file points to: the one its value came from."""
    paths = sorted(report.cells, key=len, reverse=True)
    for path in paths:
        mark = doc.mark(path)
        if (mark.line, mark.col) == (problem.line, problem.col):
            return report.cells[path]
    for path in paths:
        if doc.mark(path).line == problem.line:
            return report.cells[path]
    return ""


def _check(rule_id: str, ctx: Context) -> list[Problem]:
    check = RULES[rule_id].check
    assert check is not None
    return list(check(ctx))


def import_sheets(
    plan: PlanData,
    findings: list[Problem],
    files: list[Path],
    *,
    unit: Unit | None = None,
    period: ReportPeriod | None = None,
    force: bool = False,
) -> ImportResult:
    """Read `files`, check them with the plan, and write their reports into the plan folder, unless
    anything is wrong or a report would replace another (without `force`)."""
    result = ImportResult()
    reports: list[SheetReport] = []
    for path in files:
        report, problems = read_sheet(plan, path, file=display_path(path), unit=unit, period=period)
        result.problems += problems
        if report is not None:
            reports.append(report)
    by_key: dict[str, SheetReport] = {}
    for report in reports:
        key = key_of(_relative(report))
        if key in by_key:
            result.problems.append(
                SheetProblem(
                    report.file,
                    "",
                    msg(
                        "{unit}'s report for {period} is also in {other}",
                        "{unit}{period}的填报表与 {other} 重复",
                        unit=report.unit.name,
                        period=report.period.label,
                        other=by_key[key].file,
                    ),
                )
            )
        by_key[key] = report
    if result.problems:
        return result

    # the reports as plan files, read back as the loader reads them
    sources = dict(plan.sources)
    docs: dict[str, YamlFile] = {}
    made: dict[str, tuple[SheetReport, YamlFile, str, Path]] = {}
    for key, report in by_key.items():
        relative = _relative(report)
        path = plan.root / relative
        shown = display_path(path)
        text = record_text(
            report.record, relative, f"{report.unit.name}{report.period.label}进展报告，导入自 {Path(report.file).name}"
        )
        doc, unread = parse(text, shown)
        record, more = to_model(doc, ProgressFile) if not unread else (None, [])
        if unread or more or record != report.record:  # a bug, never the sheet's fault
            raise AssertionError(f"the report from {report.file} does not read back: {[*unread, *more]}")
        docs[shown] = doc
        made[shown] = (report, doc, text, path)
        sources[key] = Source("progress", shown, record)
    merged = PlanData(plan.root, sources)
    ctx = Context(merged, docs, Snapshot(plan.root))  # the progress rules read no other file
    before = {(p.file, p.rule, p.message) for p in findings}
    found = [p for rule_id in PROGRESS_RULES for p in _check(rule_id, ctx)]
    for problem in found:
        if problem.file not in made and (problem.file, problem.rule, problem.message) in before:
            continue  # already so in the plan
        if problem.file in made:
            report, doc, _, _ = made[problem.file]
            sheet_problem = SheetProblem(report.file, _cell_of(problem, doc, report), problem.message, problem.level)
        else:
            sheet_problem = SheetProblem(problem.location(), "", problem.message, problem.level)
        (result.problems if problem.level is Level.ERROR else result.warnings).append(sheet_problem)
    if result.problems:
        return result

    for report, _, text, path in made.values():
        key = key_of(_relative(report))
        old = plan.sources.get(key)
        if old is None:
            result.planned.append(Planned(report, path, key, text, "new"))
        elif old.data == report.record:
            result.planned.append(Planned(report, path, key, text, "same"))
        else:
            result.planned.append(Planned(report, path, key, text, "replace", changes(plan, old.data, report.record)))
    if result.conflicts and not force:
        return result
    for planned in result.planned:
        if planned.action == "same":
            continue
        folder = planned.path.parent
        if not _inside(plan.root, folder):
            raise_outside(folder)
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OutputError(
                msg(
                    "cannot create {path}: {why}", "无法创建 {path}：{why}", path=display_path(folder), why=exc.strerror
                )
            ) from None
        if not _inside(plan.root, planned.path):
            raise_outside(planned.path)
        write_atomic(planned.path, planned.text)
        result.written.append(planned.path)
    return result


def raise_outside(path: Path) -> None:
    raise OutputError(
        msg(
            "{path} leads outside the plan folder (a link?): nothing more is written",
            "{path} 指向计划文件夹之外（符号链接？）：停止写入",
            path=display_path(path),
        )
    )


def summary(report: SheetReport) -> str:
    """县教育局，2024年，23 项任务（已完成 3、达进度 20）."""
    counts: dict[str, int] = {}
    for task in report.record.tasks:
        counts[task.status] = counts.get(task.status, 0) + 1
    names = status_names()
    detail = joined(f"{names.get(status, status)} {n}" for status, n in counts.items())
    return msg(
        "{unit}, {period}, {n} task(s) ({detail})",
        "{unit}，{period}，{n} 项任务（{detail}）",
        unit=report.unit.name,
        period=report.period.shown,
        n=len(report.record.tasks),
        detail=detail,
    )

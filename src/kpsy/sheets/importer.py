"""Filled-in sheets into the plan: `kpsy progress import`.

Every workbook is read and checked cell by cell (`kpsy.sheets.read`); the reports are then written
as plan files in memory, read back through the plan's own loader and checked by the plan's rules
about progress together with every report already in the plan, and each finding is shown at the
sheet and cell it came from. Nothing is written unless everything is valid, and a report already in
the plan is replaced only when asked (`force`): otherwise what would change is shown.

Each report records the day the office received it (收到日期, `received`), by which its lateness is
judged: the day the office gives (a batch imported after it came in), else the day of the import,
which is the office registering it. A report already in the plan keeps the day it was first
received (a corrected sheet is not a late one) unless the office gives a day; one recorded without
a 收到日期 (written by hand, or by an older kpsy) stays without, judged by its 填报日期 as before.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
from collections.abc import Iterator
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
from kpsy.plan.model import ProgressFile
from kpsy.plan.outline import PlanData, Source
from kpsy.plan.periods import parse_period
from kpsy.plan.reader import YamlFile, parse
from kpsy.sheets.read import Options, SheetProblem, SheetReport, read_sheet
from kpsy.util import BatchError, StagedWrites, display_path

# How a report's 收到日期 was decided.
RECEIPTS = {
    "given": ("given", "指定"),  # the office gave the day (--received)
    "today": ("today, the day of the import", "导入当天"),
    "kept": ("kept from the first import", "沿用首次收到的日期"),
    "unknown": ("not recorded", "未记录"),  # the report in the plan has none: kept so
}


@dataclass(frozen=True)
class Receipt:
    """The day the office received the sheets (收到日期): `given` by the office, or the day of the
    import (the office registering them), which a report already in the plan does not take."""

    day: dt.date
    given: bool = False


def receipt(value: dt.date | str | None, today: dt.date) -> Receipt:
    """The 收到日期 the office gave (a date, or text typed as a sheet's date cell takes it: 2025-12-10,
    2025/12/10, 2025年12月10日), else `today`; refused (UsageError) when not a day, or after `today`."""
    from kpsy.errors import UsageError
    from kpsy.i18n import param
    from kpsy.sheets.values import ValueProblem, typed_day

    if value is None:
        return Receipt(today)
    name = param("received", "--received")
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, str):
        try:
            value = typed_day(value, today)
        except ValueProblem as exc:
            raise UsageError(msg("{name} {v}: {why}", "{name} {v}：{why}", name=name, v=value, why=exc)) from None
    if value > today:
        raise UsageError(
            msg(
                "{name} {day} is after today ({today}): the office cannot have received a report on a day still to come",
                "{name} {day} 晚于今天（{today}）：收到日期不能是尚未到来的日子",
                name=name,
                day=value.isoformat(),
                today=today.isoformat(),
            )
        )
    return Receipt(value, given=True)


@dataclass
class Planned:
    """One report to write: where, what, and how it differs from the report already there; how its
    收到日期 was decided (a key of RECEIPTS) and its period's deadline (None: the plan sets none)."""

    report: SheetReport
    path: Path
    key: str
    text: str
    action: str  # new, replace, same
    changes: list[str] = field(default_factory=list)
    receipt: str = "today"
    due: dt.date | None = None

    @property
    def received(self) -> dt.date | None:
        return self.report.record.received

    @property
    def days_late(self) -> int | None:
        """Days after the deadline the report came (0: on time); None without a deadline."""
        from kpsy.queries.deadlines import filed_on

        if self.due is None:
            return None
        return max((filed_on(self.report.record) - self.due).days, 0)

    def as_dict(self) -> dict[str, object]:
        late = self.days_late
        return {
            "file": self.report.file,
            "path": display_path(self.path),
            "unit": self.report.unit.id,
            "period": self.report.period.text,
            "action": self.action,
            "date": self.report.record.date.isoformat(),
            "received": self.received.isoformat() if self.received else None,
            "receipt": self.receipt,
            "deadline": self.due.isoformat() if self.due else None,
            "state": None if late is None else ("late" if late else "on-time"),
            "days_late": late,
            "blank": list(self.report.blank),
            "changes": list(self.changes),
        }


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

    def as_dict(self) -> dict[str, object]:
        """The import as data (stable English keys): what was found, planned and written."""

        def found(problems: list[SheetProblem]) -> list[dict[str, str]]:
            return [{"file": p.file, "where": p.where, "message": p.message} for p in problems]

        return {
            "ok": self.ok,
            "problems": found(self.problems),
            "warnings": found(self.warnings),
            "reports": [p.as_dict() for p in self.planned],
            "written": [display_path(p) for p in self.written],
        }


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
    for name, label in (("reporter", "填报人"), ("approver", "审核人"), ("date", "填报日期"), ("received", "收到日期")):
        before, after = getattr(old, name), getattr(new, name)
        if before != after:
            lines.append(
                f"{label}：{before if before is not None else '（空）'} → {after if after is not None else '（空）'}"
            )
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


def _rule(rule_id: str, ctx: Context) -> list[Problem]:
    check = RULES[rule_id].check
    assert check is not None
    return list(check(ctx))


def _read_all(plan: PlanData, files: list[Path], options: Options, result: ImportResult) -> dict[str, SheetReport]:
    """Every sheet read (problems and warnings collected), by the key of the plan file it becomes."""
    by_key: dict[str, SheetReport] = {}
    for path in files:
        report, problems = read_sheet(plan, path, file=display_path(path), options=options)
        result.problems += [p for p in problems if p.is_error]
        result.warnings += [p for p in problems if not p.is_error]
        if report is None:
            continue
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
    return by_key


def _receive(plan: PlanData, by_key: dict[str, SheetReport], receipt: Receipt) -> dict[str, str]:
    """Each report's 收到日期 set (see the module's docstring); how each was decided, by key. A finding
    about it is shown at the sheet's 填报日期, the date it is weighed against."""
    how: dict[str, str] = {}
    for key, report in by_key.items():
        old = plan.sources.get(key)
        day: dt.date | None = receipt.day
        how[key] = "given" if receipt.given else "today"
        if old is not None and not receipt.given:
            day = old.data.received
            how[key] = "kept" if day is not None else "unknown"
        report.record = dataclasses.replace(report.record, received=day)
        if ("date",) in report.cells:
            report.cells[("received",)] = report.cells[("date",)]
    return how


def _before_filed(by_key: dict[str, SheetReport], how: dict[str, str], result: ImportResult) -> None:
    """A 收到日期 the import records (given, or today) that is before the sheet's 填报日期 is refused
    there: no office receives a report before it is filled in. (One kept from the first import may
    be: the corrected sheet is dated later. One before the period began is the rules' to refuse.)"""
    for key, report in by_key.items():
        day, filed = report.record.received, report.record.date
        if how[key] in ("given", "today") and day is not None and report.period.start <= day < filed:
            result.problems.append(
                SheetProblem(
                    report.file,
                    report.cells.get(("date",), ""),
                    msg(
                        "received on {day} ({how}), before the sheet's date {date}: a report is not received before it is filled in; check both dates",
                        "收到日期 {day}（{how}）早于填报日期 {date}：报告不会在填报之前收到，请核对两个日期",
                        day=day.isoformat(),
                        how=msg(*RECEIPTS[how[key]]),
                        date=filed.isoformat(),
                    ),
                )
            )


def _periods(plan: PlanData, reports: list[SheetReport], result: ImportResult) -> None:
    """Warn about a sheet for an earlier period than the latest one (of its kind) in the plan or the
    batch: last year's sheet lands in last year's folder, and is said to."""
    from kpsy.checks.progress import reports as plan_reports

    known = [p for r in plan_reports(plan) if (p := parse_period(r.data.period)) is not None]
    known += [r.period for r in reports]
    for report in reports:
        later = [p for p in known if p.kind == report.period.kind and p.sort_key() > report.period.sort_key()]
        if later:
            latest = max(later, key=lambda p: p.sort_key())
            result.warnings.append(
                SheetProblem(
                    report.file,
                    "",
                    msg(
                        "this is the sheet for {period}, earlier than the latest period {latest}: it goes to progress/{text}/",
                        "这是{period}的填报表，早于当前最新期间{latest}：将写入 progress/{text}/，请确认",
                        period=report.period.label,
                        latest=latest.label,
                        text=report.period.text,
                    ),
                    Level.WARNING,
                )
            )


def _as_files(plan: PlanData, by_key: dict[str, SheetReport]) -> dict[str, tuple[SheetReport, YamlFile, str, Path]]:
    """The reports as plan files, read back as the loader reads them."""
    made: dict[str, tuple[SheetReport, YamlFile, str, Path]] = {}
    for report in by_key.values():
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
        made[shown] = (report, doc, text, path)
    return made


def _check(
    plan: PlanData,
    findings: list[Problem],
    made: dict[str, tuple[SheetReport, YamlFile, str, Path]],
    result: ImportResult,
) -> None:
    """The plan's rules about progress, run on the reports with every report already in the plan;
    each finding shown at the sheet and cell it came from."""
    sources = dict(plan.sources)
    for shown, (report, _, _, _) in made.items():
        sources[key_of(_relative(report))] = Source("progress", shown, report.record)
    merged = PlanData(plan.root, sources)
    ctx = Context(merged, {shown: entry[1] for shown, entry in made.items()}, Snapshot(plan.root))
    before = {(p.file, p.rule, p.message) for p in findings}
    for problem in [p for rule_id in PROGRESS_RULES for p in _rule(rule_id, ctx)]:
        if problem.file not in made and (problem.file, problem.rule, problem.message) in before:
            continue  # already so in the plan
        if problem.file in made:
            report, doc, _, _ = made[problem.file]
            found = SheetProblem(report.file, _cell_of(problem, doc, report), problem.message, problem.level)
        else:
            found = SheetProblem(problem.location(), "", problem.message, problem.level)
        (result.problems if problem.level is Level.ERROR else result.warnings).append(found)


def import_sheets(
    plan: PlanData,
    findings: list[Problem],
    files: list[Path],
    *,
    options: Options | None = None,
    force: bool = False,
    received: Receipt | None = None,
) -> ImportResult:
    """Read `files`, check them with the plan, and write their reports into the plan folder, unless
    anything is wrong or a report would replace another (without `force`). Each report records the
    day it was `received` (default: today, the day of the import; see the module's docstring). Run
    it under `import_lock`, on the plan as read under the lock."""
    result = ImportResult()
    by_key = _read_all(plan, files, options or Options(), result)
    if result.problems:
        return result
    _periods(plan, list(by_key.values()), result)
    how = _receive(plan, by_key, received or Receipt(dt.date.today()))
    _before_filed(by_key, how, result)
    if result.problems:
        return result
    made = _as_files(plan, by_key)
    _check(plan, findings, made, result)
    if result.problems:
        return result
    _plan(plan, made, how, result)
    if result.conflicts and not force:
        return result
    result.written = _write(plan, [p for p in result.planned if p.action != "same"])
    return result


def _plan(
    plan: PlanData, made: dict[str, tuple[SheetReport, YamlFile, str, Path]], how: dict[str, str], result: ImportResult
) -> None:
    """What each report does to the plan: new, the same as the one there, or a replacement (and its changes)."""
    from kpsy.queries.deadlines import deadline

    for report, _, text, path in made.values():
        key = key_of(_relative(report))
        old = plan.sources.get(key)
        due = deadline(plan, report.period)
        lines: list[str] = []
        if old is None:
            action = "new"
        elif old.data == report.record:
            action = "same"
        else:
            action, lines = "replace", changes(plan, old.data, report.record)
        result.planned.append(Planned(report, path, key, text, action, lines, how[key], due))


def _write(plan: PlanData, planned: list[Planned]) -> list[Path]:
    """Every report written, or none: staged beside its place, then renamed (kpsy.util.StagedWrites)."""
    batch = StagedWrites()
    for item in planned:
        if not _inside(plan.root, item.path.parent):
            batch.discard()
            raise_outside(item.path.parent)
        try:
            batch.stage(item.path, item.text)
        except BatchError as exc:
            raise _batch_failed(exc, [], [p.path for p in planned]) from None
    try:
        return batch.commit()
    except BatchError as exc:
        return _raise(_batch_failed(exc, exc.written, [p.path for p in planned]))


def _raise(error: OutputError) -> list[Path]:
    raise error


def _batch_failed(exc: BatchError, written: list[Path], every: list[Path]) -> OutputError:
    unwritten = [p for p in every if p not in written]

    def names(paths: list[Path]) -> str:
        return "、".join(display_path(p) for p in paths) or msg("none", "无")

    return BatchError(
        msg(
            "{why}. Written: {written}. Not written: {unwritten}",
            "{why}。已写入：{written}；未写入：{unwritten}",
            why=exc.message,
            written=names(written),
            unwritten=names(unwritten),
        ),
        written,
        unwritten,
    )


@contextlib.contextmanager
def import_lock(root: Path, timeout: float = 120) -> Iterator[None]:
    """Hold the plan folder's import lock (.kpsy/import.lock) while the block runs: imports into one
    plan run one at a time, each on the plan as the one before left it."""
    from filelock import FileLock, Timeout

    from kpsy.sheets.seal import private_folder

    try:
        lock = FileLock(str(private_folder(root) / "import.lock"), timeout=timeout)
        with lock:
            yield
    except Timeout:
        raise OutputError(
            msg(
                "another import into {plan} has held its lock for {t:.0f} s; try again when it is done",
                "另一个导入正在写入 {plan}，已等待 {t:.0f} 秒：请在其完成后重试",
                plan=display_path(root),
                t=timeout,
            )
        ) from None
    except OSError as exc:
        raise OutputError(
            msg("cannot lock {plan}: {why}", "无法锁定 {plan}：{why}", plan=display_path(root), why=exc.strerror or exc)
        ) from None


def raise_outside(path: Path) -> None:
    raise OutputError(
        msg(
            "{path} leads outside the plan folder (a link?): nothing more is written",
            "{path} 指向计划文件夹之外（符号链接？）：停止写入",
            path=display_path(path),
        )
    )


def summary(planned: Planned) -> str:
    """县教育局，2024年，23 项任务（已完成 3、达进度 20）；收到日期 2024-12-09（导入当天），按时."""
    report = planned.report
    counts: dict[str, int] = {}
    for task in report.record.tasks:
        counts[task.status] = counts.get(task.status, 0) + 1
    names = status_names()
    detail = joined(f"{names.get(status, status)} {n}" for status, n in counts.items())
    blank = msg("; {n} not filled in", "；未填报 {n} 项", n=len(report.blank)) if report.blank else ""
    return msg(
        "{unit}, {period}, {n} task(s) ({detail}){blank}; {received}",
        "{unit}，{period}，{n} 项任务（{detail}）{blank}；{received}",
        unit=report.unit.name,
        period=report.period.shown,
        n=len(report.record.tasks),
        detail=detail,
        blank=blank,
        received=receipt_text(planned),
    )


def receipt_text(planned: Planned) -> str:
    """收到日期 2024-12-20（导入当天），逾期 10 天: the day recorded, where it came from, and what it
    makes the report against its period's deadline."""
    late = planned.days_late
    state = ""
    if late is not None:
        state = msg(", {n} day(s) late", "，逾期 {n} 天", n=late) if late else msg(", on time", "，按时")
    if planned.received is None:
        return msg(
            "received: not recorded (none in the report already in the plan), judged by its date {date}{state}",
            "收到日期未记录（计划中原有报告未记），按填报日期 {date} 判断{state}",
            date=planned.report.record.date.isoformat(),
            state=state,
        )
    english, chinese = RECEIPTS[planned.receipt]
    how = msg(" ({how})", "（{how}）", how=msg(english, chinese)) if planned.receipt != "given" else ""
    return msg(
        "received {day}{how}{state}",
        "收到日期 {day}{how}{state}",
        day=planned.received.isoformat(),
        how=how,
        state=state,
    )

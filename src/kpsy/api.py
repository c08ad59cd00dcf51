"""kpsy's Python API: open a plan folder, ask it what the command line asks, write what it writes.

    >>> import io, kpsy
    >>> plan = kpsy.open_plan("plan")
    >>> for row in plan.tasks(unit="education", roles=["lead"])[:2]:
    ...     print(row.task_number, row.task_title, row.role)
    二（一）1． 将弘扬科学精神和科学家精神贯穿于育人全链条 lead
    二（一）2． 推进基础教育阶段科学教育 lead
    >>> plan.item("二(一)5").id
    'youth-talent'
    >>> out = io.StringIO()
    >>> kpsy.write(plan.listing("tasks", unit="education"), out, format="json")
    []
    >>> import json; json.loads(out.getvalue())[0]["role"]
    'lead'
    >>> try:
    ...     plan.tasks(unit="education", roles=["leed"])
    ... except kpsy.UsageError as refused:
    ...     print(type(refused).__name__, refused.exit_code)
    UsageError 2

A unit is named by any of its names or its id (`education` above); `write` takes what any question
returns and writes it to a path (the ending chooses the format, as `-o` does) or a stream.

`open_plan` reads the plan through the cache of checked plans and refuses a plan with errors;
`validate` reports every finding of any plan, sound or not. The command line is built on these:
each command checks its arguments here, so the API refuses what the command line refuses, with
the same words (naming parameters, not flags: `kpsy.i18n.param`).
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from kpsy import cache
from kpsy.errors import PlanInvalidError, UsageError
from kpsy.findings import CheckResult, Problem
from kpsy.i18n import joined, msg, param
from kpsy.plan.model import Unit
from kpsy.plan.outline import PlanData, Ref
from kpsy.plan.workspace import find_plan

if TYPE_CHECKING:  # each question imports what answers it, so that one question loads only its own code
    from kpsy.checks.proof.fix import ProofResult
    from kpsy.documents import Rendered
    from kpsy.documents.letters import LettersResult
    from kpsy.importer import ImportResult
    from kpsy.outputs.formats import Family
    from kpsy.outputs.listing import Listing
    from kpsy.plan.files import Snapshot
    from kpsy.plan.periods import ReportPeriod
    from kpsy.plan.text import Paragraph
    from kpsy.plan.units import UnitMatch
    from kpsy.queries.coverage import Coverage
    from kpsy.queries.profile import UnitProfile
    from kpsy.queries.progress import IndicatorRow, Overview, Owed, UnitHistory
    from kpsy.queries.records import MilestoneRow, TargetRow
    from kpsy.queries.search import SearchResult
    from kpsy.queries.show import Shown
    from kpsy.queries.tasks import Role, TaskRow
    from kpsy.queries.units import UnitRow
    from kpsy.revisions.affected import Affected
    from kpsy.revisions.diff import DiffResult
    from kpsy.sheets.importer import ImportResult as SheetsImport
    from kpsy.sheets.write import SheetsResult

__all__ = [
    "Plan",
    "affected",
    "check_document",
    "checked",
    "diff",
    "git_setup",
    "import_plan",
    "open_plan",
    "proof",
    "validate",
    "write",
]


def checked(
    root: Path,
    label: str | None = None,
    place: str | None = None,
    snapshot: Snapshot | None = None,
    *,
    plan_only: bool = False,
    reuse: tuple[Snapshot, PlanData] | None = None,
) -> tuple[PlanData | None, list[Problem]]:
    """The plan at `root` and every finding about it, from the cache when the files are unchanged.

    The plan's files are read once; the cache key is made from those bytes, and on a miss the
    plan is parsed from those same bytes. `label` names the files in findings ("HEAD~1:plan/") and
    `place` stands for `root` in the key (see `kpsy.cache.key`): a git revision's plan, which comes
    as a `snapshot` read from its archive. With `plan_only`, a plan read from the same bytes under
    another name will do, without its findings (which name files as they were named then); and
    when there is none, the plan is only loaded (no rules about meaning), its files that have the
    same bytes as in `reuse` (another revision's snapshot and plan) not parsed again, and kept in
    the cache by its bytes alone."""
    from kpsy.plan.files import namer, read_folder

    snap = snapshot if snapshot is not None else read_folder(root, label)
    name = _cache_name(root, snap, place, label)
    hit = cache.get(name, root, snap)
    if hit is not None:
        return hit
    if plan_only:
        show = (lambda relative: f"{label}{relative}") if label is not None else namer(root)
        found = cache.plan_by_bytes(snap, root, show)
        if found is not None:
            return found, []
        loaded = _load_reusing(root, label, snap, reuse)
        if loaded is not None:
            return loaded, []
    from kpsy.checks import run

    plan, problems = run(root, snap, label)
    if plan is not None:
        cache.put(name, plan, problems, snap.extras, cache.bytes_key(snap))
    return plan, problems


def _cache_name(root: Path, snap: Snapshot, place: str | None, label: str | None) -> str:
    """The cache's key for the plan at `root` as read in `snap`: `place` stands for the folder (a
    git revision's), and a plan read under a `label` is kept apart from the same folder unlabelled
    (its findings name its files otherwise)."""
    if label is not None:
        place = f"{place or os.path.realpath(root)}\0{label}"
    return cache.key(root, snap, place)


def _load_reusing(
    root: Path, label: str | None, snap: Snapshot, reuse: tuple[Snapshot, PlanData] | None
) -> PlanData | None:
    """The plan loaded (shape only) with the records of unchanged files taken from `reuse`, and kept
    in the cache by its bytes; None when it does not load (the full check then says why, every
    finding at its line)."""
    from kpsy.plan.kinds import key_of
    from kpsy.plan.load import load_plan

    known = {}
    if reuse is not None:
        other, plan = reuse
        for relative, data in other.files.items():
            source = plan.sources.get(key_of(relative))
            if source is not None:
                known[relative] = (data, source.data)
    loaded = load_plan(root, label, snap, known)
    if loaded.plan is None or any(p.is_error for p in loaded.problems):
        return None
    alias = cache.bytes_key(snap)
    cache.put(alias, loaded.plan, [], {}, alias)
    return loaded.plan


def validate(path: Path | str | None = None) -> CheckResult:
    """Every finding about the plan at `path` (default: found as the command line finds it)."""
    root = find_plan(Path(path) if path is not None else None)
    return CheckResult.of(root, checked(root)[1])


def proof(path: Path | str | None = None, *, fix: bool = False) -> ProofResult:
    """Proofread the plan at `path` (default: found as the command line finds it) as the 文电科
    would: every finding of the proofreading rules, each at its file, line and column, with the
    clause it applies and the text suggested. With `fix`, the safe changes are written into the
    plan files first (a revision of the plan: see `kpsy.checks.proof.fix`), and what remains is
    found. A plan whose files do not load is refused with its errors."""
    from kpsy.checks.proof import proofread
    from kpsy.checks.proof.fix import ProofResult
    from kpsy.checks.proof.fix import fix as fix_plan
    from kpsy.plan.files import read_folder

    root = find_plan(Path(path) if path is not None else None)
    snapshot = read_folder(root)
    data, problems = checked(root, snapshot=snapshot)
    if data is None:
        raise PlanInvalidError(problems)
    if fix:
        return fix_plan(root, snapshot, data)
    return ProofResult(proofread(data, snapshot))


class Plan:
    """An opened plan: its data (`data`), what the rules found (`findings`), and the questions kpsy answers."""

    def __init__(self, data: PlanData, findings: list[Problem]) -> None:
        self.data = data
        self.findings = findings

    @property
    def root(self) -> Path:
        return self.data.root

    @property
    def title(self) -> str:
        return self.data.title

    def unit(self, name: str) -> Unit:
        """The unit called `name` (short name, full name, alias, id, with or without the place)."""
        return self.data.units.resolve(name)

    def match_unit(self, name: str) -> UnitMatch:
        """The unit called `name`, and the name as read: `warning(what)` names any invisible
        characters that were taken out of it."""
        return self.data.units.match(name)

    def find(self, ident: str) -> Ref | None:
        """The part, chapter or task with id `ident`, with its number and place."""
        return self.data.find(ident)

    def item(self, name: str) -> Ref:
        """The part, chapter or task `name` names: its id, its number in any usual spelling
        (二（一）5, 二(一)5．), its title or an unambiguous part of it."""
        from kpsy.queries.find import find

        return find(self.data, name)

    def search(self, text: str, *, regex: bool = False, unit: str | Unit | None = None) -> SearchResult:
        """Every place in the document's text that matches `text` (a Python regular expression with
        `regex`), with its item's number and title and the words around it; with `unit`, only in
        the actions and tasks that unit works on."""
        from kpsy.queries.search import search

        chosen = self._unit(unit)
        return search(self.data, text, regex=regex, unit=chosen)

    def profile(self, unit: str | Unit) -> UnitProfile:
        """One unit on one page: its roles counted, its actions and with whom, its tasks, and the
        targets and milestones that concern it."""
        from kpsy.queries.profile import profile

        return profile(self.data, self.unit(unit) if isinstance(unit, str) else unit)

    def paragraphs(self) -> list[Paragraph]:
        """The whole document's paragraphs, as the document words them."""
        from kpsy.plan.text import paragraphs

        return list(paragraphs(self.data))

    def tasks(
        self,
        unit: str | Unit | None = None,
        roles: Iterable[Role | str] | str = (),
        part: str | None = None,
        action: str | None = None,
    ) -> list[TaskRow]:
        """Tasks in document order; with a unit, those it works on with its role (lead, participant,
        mentioned), and with `roles` (by any of their names: lead or 牵头, …) only those. A role
        that is none, or roles without a unit, are refused (UsageError), as the command line refuses them."""
        from kpsy.queries.tasks import tasks

        keys = _roles(roles, unit)
        return tasks(self.data, self._unit(unit), keys, part, action)

    def listing(self, name: str, **params: Any) -> Listing:
        """What `kpsy NAME` lists, as a listing `kpsy.write` writes in any of its formats (a table,
        CSV, JSON, Markdown, a workbook): tasks (unit, roles, part, action), units, coverage, targets,
        schedule, search (text, regex, unit), missing (period) or history (unit, period)."""
        make = _LISTINGS.get(name)
        if make is None:
            raise _none_called(name, list(_LISTINGS), msg("no listing '{name}'", "没有列表“{name}”", name=name))
        return make(self, **params)

    def units(self) -> list[UnitRow]:
        """The unit registry in protocol order, with each unit's actions and tasks by role."""
        from kpsy.queries.units import units

        return units(self.data)

    def coverage(self) -> Coverage:
        """The responsibility matrix and what is missing from it."""
        from kpsy.queries.coverage import coverage

        return coverage(self.data, self.findings)

    def targets(self) -> list[TargetRow]:
        """The numeric targets, each with where the text states it."""
        from kpsy.queries.records import targets

        return targets(self.data)

    def schedule(self) -> list[MilestoneRow]:
        """The milestones of the schedule (进度安排), each with where the text states it."""
        from kpsy.queries.records import schedule

        return schedule(self.data)

    def show(self, ident: str) -> Shown:
        """One part, action or task in full, named by id, number or title (as `item`)."""
        from kpsy.queries.show import show

        return show(self.data, ident)

    def render(
        self,
        name: str,
        unit: str | Unit | None = None,
        *,
        templates: Path | None = None,
        sender: str | None = None,
        date: dt.date | None = None,
        period: str | None = None,
        draft: bool | None = None,
    ) -> str:
        """A document (document, summary, table, letter; bulletin and review of a period's progress,
        by default the latest) as Markdown."""
        return self.document(
            name, unit, templates=templates, sender=sender, date=date, period=period, draft=draft
        ).markdown

    def document(
        self,
        name: str,
        unit: str | Unit | None = None,
        *,
        templates: Path | None = None,
        sender: str | None = None,
        date: dt.date | None = None,
        period: str | None = None,
        draft: bool | None = None,
    ) -> Rendered:
        """A document as `render` makes it, with how to lay it out (landscape pages, the unit names
        its tables keep whole) and what it lacks (`problems`: no issuer record for its 版头).
        `draft` marks it 「征求意见稿」; None: when revisions.yaml says the data is a draft."""
        from kpsy.documents import LANDSCAPE, PROGRESS_DOCUMENTS, Rendered, unit_words
        from kpsy.documents.context import context
        from kpsy.documents.head import head_problems
        from kpsy.documents.templates import render_markdown
        from kpsy.plan.versions import is_draft

        check_document(name, unit, period)
        chosen = self._unit(unit)
        ctx = context(
            self.data,
            self.findings,
            chosen,
            sender=sender,
            date=date,
            period=period,
            progress=name in PROGRESS_DOCUMENTS,
            document=name,
            draft=is_draft(self.data) if draft is None else draft,
        )
        markdown = render_markdown(name, ctx, templates)
        return Rendered(markdown, name in LANDSCAPE, templates, unit_words([self.data]), head_problems(self.data, name))

    # --- progress -------------------------------------------------------------------------

    def progress(self, period: str | None = None, *, as_of: dt.date | None = None) -> Overview:
        """A period's progress (default: the latest period with reports): the unit × task matrix,
        counts by status overall and per action, who owes a report, each unit's 按时 / 逾期 / 未报
        and each task's light judged as of `as_of` (default: the period's deadline), and the indicators."""
        from kpsy.queries.progress import overview

        return overview(self.data, period, as_of)

    def missing(self, period: str | None = None, *, as_of: dt.date | None = None) -> tuple[ReportPeriod, list[Owed]]:
        """The units that owe a report for `period` (default: the latest with reports), with their
        days past the deadline as of `as_of` (default: the deadline)."""
        from kpsy.queries.progress import missing

        return missing(self.data, period, as_of)

    def history(self, unit: str | Unit, period: str | None = None) -> UnitHistory:
        """One unit's reports across every period (or in one), task by task."""
        from kpsy.queries.progress import unit_history

        return unit_history(self.data, self.unit(unit) if isinstance(unit, str) else unit, period)

    def indicators(self) -> list[IndicatorRow]:
        """Every target with its baseline, measured values and trend."""
        from kpsy.queries.progress import indicators

        return indicators(self.data)

    def progress_sheet(
        self,
        unit: str | Unit,
        period: str,
        *,
        deadline: dt.date | None = None,
        sender: str | None = None,
        filename: str = "",
    ) -> bytes:
        """A unit's fill-in workbook (.xlsx) for `period`, sealed with the plan folder's sheet key (made
        on first use: .kpsy/sheet-key) and issued as `filename` (the import checks both)."""
        from kpsy.queries.progress import check_period
        from kpsy.sheets.seal import plan_key
        from kpsy.sheets.write import make_sheet

        chosen = self.unit(unit) if isinstance(unit, str) else unit
        return make_sheet(
            self.data,
            chosen,
            check_period(self.data, period),
            deadline=deadline,
            sender=sender or self._sender(),
            filename=filename,
            key=plan_key(self.root, create=True),
        )

    def progress_sheets(
        self,
        out: Path,
        period: str,
        *,
        deadline: dt.date | None = None,
        sender: str | None = None,
        progress: Callable[[int, int, str], None] | None = None,
        force: bool = False,
    ) -> SheetsResult:
        """A fill-in workbook for every unit with tasks (the bodies that oversee the work aside), in
        `out`, sealed with the plan folder's sheet key; workbooks already there are replaced only with
        `force` (otherwise nothing is written)."""
        from kpsy.queries.progress import check_period
        from kpsy.sheets.seal import plan_key
        from kpsy.sheets.write import write_sheets

        return write_sheets(
            self.data,
            out,
            check_period(self.data, period),
            deadline=deadline,
            sender=sender or self._sender(),
            progress=progress,
            force=force,
            key=plan_key(self.root, create=True),
        )

    def import_progress(
        self,
        files: Iterable[Path | str],
        *,
        unit: str | Unit | None = None,
        period: str | None = None,
        force: bool = False,
        complete: bool = False,
        trust_unsigned: bool = False,
        received: dt.date | str | None = None,
    ) -> SheetsImport:
        """Filled-in sheets into the plan folder: nothing is written unless every sheet is sound, and a
        report already there is replaced only with `force` (the changes are in the result). The import
        holds the plan folder's lock and reads the plan again under it, so imports run at once never
        lose a report. With `complete`, a sheet that leaves a task blank is refused; with
        `trust_unsigned`, a sheet whose seal cannot be checked here is taken at its word.

        Each report records the day the office `received` it (收到日期: a date, or text such as
        2025-12-10 or 2025年12月10日), by which its lateness is judged; without it, today, the day of
        the import. A report already in the plan keeps the day first recorded unless `received` is
        given."""
        from kpsy.queries.progress import check_period
        from kpsy.sheets.importer import import_lock, import_sheets, receipt
        from kpsy.sheets.read import Options
        from kpsy.sheets.seal import key_path, plan_key
        from kpsy.util import display_path

        chosen = self._unit(unit)
        wanted = check_period(self.data, period) if period is not None else None
        day = receipt(received, dt.date.today())
        with import_lock(self.root):
            fresh = open_plan(self.root)
            options = Options(
                chosen,
                wanted,
                complete,
                trust_unsigned,
                plan_key(self.root, create=False),
                display_path(key_path(self.root)),
            )
            paths = [Path(f) for f in files]
            return import_sheets(fresh.data, fresh.findings, paths, options=options, force=force, received=day)

    def write_document(
        self,
        name: str,
        to: Path | str | IO[Any],
        unit: str | Unit | None = None,
        *,
        format: str | None = None,
        templates: Path | None = None,
        sender: str | None = None,
        date: dt.date | None = None,
        period: str | None = None,
        draft: bool | None = None,
    ) -> list[Path]:
        """A document (see `document`) written to the file `to`, whose ending chooses the format
        (.md, .docx, .pdf through LibreOffice) unless `format` names one, or to a stream (Markdown,
        or `format`): `kpsy render`. The files written."""
        document = self.document(name, unit, templates=templates, sender=sender, date=date, period=period, draft=draft)
        return write(document, to, format=format)

    def write_letters(
        self,
        out: Path | str,
        units: Iterable[str] = (),
        *,
        format: str = "docx",
        templates: Path | None = None,
        sender: str | None = None,
        date: dt.date | None = None,
        force: bool = False,
        draft: bool | None = None,
        progress: Callable[[int, int, str], None] | None = None,
    ) -> LettersResult:
        """A task letter (交办函) for every unit that has tasks (or the `units` named), one file each
        in the folder `out` (`format`: md, docx or both): `kpsy letters`. Letters already there are
        replaced only with `force`; the result lists what was written, skipped and replaced."""
        from kpsy.documents import LETTER_FORMATS
        from kpsy.documents.letters import write_letters
        from kpsy.outputs.formats import check_folder

        if format not in LETTER_FORMATS:
            raise UsageError(
                msg(
                    "no letter format '{f}'; choose {c}",
                    "没有交办函格式“{f}”；可选 {c}",
                    f=format,
                    c=joined(LETTER_FORMATS),
                )
            )
        check_folder(Path(out))
        return write_letters(
            self.data,
            Path(out),
            units=list(units),
            findings=self.findings,
            formats=LETTER_FORMATS[format],
            templates=templates,
            sender=sender,
            date=date,
            progress=progress,
            force=force,
            draft=draft,
        )

    def write_sheet(
        self,
        unit: str | Unit,
        period: str,
        to: Path | str | IO[bytes],
        *,
        deadline: dt.date | None = None,
        sender: str | None = None,
    ) -> list[Path]:
        """A unit's fill-in workbook (see `progress_sheet`) written to the file `to` (.xlsx, or .pdf
        printed by LibreOffice), issued under that file's name, or to a binary stream."""
        from kpsy.outputs.formats import made

        family = made("sheet", "xlsx", "the fill-in workbook")
        named = ""
        if isinstance(to, str | os.PathLike):
            family.target(None, Path(to))  # the file's ending is checked before any work
            named = Path(to).name
        data = self.progress_sheet(unit, period, deadline=deadline, sender=sender, filename=named)
        return family.write(data, to)

    def text(self) -> str:
        """The whole document rebuilt from the data, one paragraph a line: `kpsy export text`."""
        return "".join(p.text + "\n" for p in self.paragraphs())

    def _unit(self, unit: str | Unit | None) -> Unit | None:
        return self.unit(unit) if isinstance(unit, str) else unit

    def _sender(self) -> str | None:
        letter = self.data.settings.letter
        return letter.sender if letter else None


def _roles(roles: Iterable[str] | str, unit: str | Unit | None) -> list[Role]:
    """Roles by any of their names as role keys: refused when one is no role, or without a unit."""
    from kpsy.queries.roles import role_keys

    keys = role_keys(roles)
    if keys and unit is None:
        raise UsageError(
            msg(
                "{roles} needs {unit}",
                "{roles} 需要和 {unit} 一起用",
                roles=param("roles", "--role"),
                unit=param("unit", "--unit"),
            )
        )
    return keys


def _none_called(name: str, choices: list[str], said: str) -> UsageError:
    """A name that is none of `choices`: what there is, and the ones close to it."""
    from kpsy.util import suggest

    close = suggest(name, choices)
    return UsageError(
        said
        + msg("; choose {c}", "；可选 {c}", c=joined(choices))
        + (msg("; did you mean {s}?", "；是否要找：{s}？", s=joined(close)) if close else "")
    )


def check_document(name: str, unit: str | Unit | None, period: str | None) -> None:
    """The arguments of `Plan.document` checked before any work: a document kpsy renders, a unit
    for a letter and only for one, a period only for a report on progress (UsageError otherwise)."""
    from kpsy.documents import PLAN_DOCUMENTS, PROGRESS_DOCUMENTS

    if name not in PLAN_DOCUMENTS:
        raise _none_called(name, list(PLAN_DOCUMENTS), msg("no document '{name}'", "没有文件“{name}”", name=name))
    if (name == "letter") != (unit is not None):
        raise UsageError(
            msg(
                "{unit} goes with the letter template, and the letter template needs {unit}",
                "{unit} 只用于交办函（letter），交办函也必须给出 {unit}",
                unit=param("unit", "--unit"),
            )
        )
    if period is not None and name not in PROGRESS_DOCUMENTS:
        raise UsageError(
            msg(
                "{period} goes with {names}",
                "{period} 只用于 {names}",
                period=param("period", "--period"),
                names=", ".join(PROGRESS_DOCUMENTS),
            )
        )


# --- listings: what each listing command shows ---------------------------------------------------


def _tasks_listing(
    plan: Plan,
    unit: str | Unit | None = None,
    roles: Iterable[str] | str = (),
    part: str | None = None,
    action: str | None = None,
) -> Listing:
    from kpsy.outputs.views import tasks_listing

    keys = _roles(roles, unit)
    rows = plan.tasks(unit, keys, part, action)
    chosen = plan._unit(unit)
    return tasks_listing(rows, chosen, summary=not (keys or part or action), roles=list(keys))


def _units_listing(plan: Plan) -> Listing:
    from kpsy.outputs.views import units_listing

    return units_listing(plan.units())


def _coverage_listing(plan: Plan) -> Listing:
    from kpsy.outputs.views import coverage_listing

    return coverage_listing(plan.coverage())


def _targets_listing(plan: Plan) -> Listing:
    """The targets; once reports give measured values (or targets.yaml a baseline), with each
    indicator's baseline, latest value and trend."""
    from kpsy.outputs.views import indicators_listing, targets_listing
    from kpsy.queries.progress import has_indicator_data

    indicators = plan.indicators()
    return indicators_listing(indicators) if has_indicator_data(indicators) else targets_listing(plan.targets())


def _schedule_listing(plan: Plan) -> Listing:
    from kpsy.outputs.views import schedule_listing

    return schedule_listing(plan.schedule())


def _search_listing(plan: Plan, text: str, regex: bool = False, unit: str | Unit | None = None) -> Listing:
    from kpsy.outputs.lookup import search_listing

    return search_listing(plan.search(text, regex=regex, unit=unit))


def _missing_listing(plan: Plan, period: str | None = None) -> Listing:
    from kpsy.outputs.progress import owed_listing

    chosen, owed = plan.missing(period)
    return owed_listing(chosen.label, owed, chosen.shown)


def _history_listing(plan: Plan, unit: str | Unit, period: str | None = None) -> Listing:
    from kpsy.outputs.progress import unit_listing

    return unit_listing(plan.history(unit, period), single=period is not None)


_LISTINGS: dict[str, Callable[..., Listing]] = {
    "tasks": _tasks_listing,
    "units": _units_listing,
    "coverage": _coverage_listing,
    "targets": _targets_listing,
    "schedule": _schedule_listing,
    "search": _search_listing,
    "missing": _missing_listing,
    "history": _history_listing,
}


def write(result: Any, to: Path | str | IO[Any], *, format: str | None = None, **options: Any) -> list[Path]:
    """Write what the API returned, as the command line writes it, to the file `to` (its ending
    chooses the format unless `format` names one; .pdf is printed through LibreOffice) or to the
    stream `to` (text or binary; `format`, else the family's default): a listing (`Plan.listing`),
    findings (`validate`, `proof`), an item (`Plan.show`), a unit's page (`Plan.profile`), a
    period's progress, a document (`Plan.document`), a diff (`options`: templates, author, draft),
    the letters affected, an import's report, or text and bytes as they are. The files written;
    a format the result does not come in, or a file ending that says another, is refused (UsageError)."""
    return _family_of(result).write(_written(result), to, format, **options)


def _family_of(result: Any) -> Family[Any]:
    """The registry of formats a result of the API is written in."""
    from kpsy.outputs import findings, listing, lookup, views
    from kpsy.outputs.formats import made

    if isinstance(result, str):
        return made("text", "text", "text")
    if isinstance(result, bytes):
        return made("bytes", "xlsx", "a workbook")
    families: list[tuple[str, str, Family[Any]]] = [
        ("kpsy.outputs.listing", "Listing", listing.LISTING_FORMATS),
        ("kpsy.findings", "CheckResult", findings.FINDINGS_FORMATS),
        ("kpsy.checks.proof.fix", "ProofResult", findings.PROOF_FORMATS),
        ("kpsy.queries.show", "Shown", views.SHOW_FORMATS),
        ("kpsy.queries.profile", "UnitProfile", lookup.PROFILE_FORMATS),
    ]
    for module, name, family in families:
        if _is(result, module, name):
            return family
    return _later_family(result)


def _later_family(result: Any) -> Family[Any]:
    """The families whose modules are imported only when a result of theirs is written."""
    if _is(result, "kpsy.queries.progress", "Overview"):
        from kpsy.outputs.progress import PROGRESS_FORMATS

        return PROGRESS_FORMATS
    if _is(result, "kpsy.documents", "Rendered"):
        from kpsy.documents import DOCUMENT_FORMATS

        return DOCUMENT_FORMATS
    if _is(result, "kpsy.revisions.change", "DiffResult") or _is(result, "kpsy.revisions.affected", "Affected"):
        from kpsy.revisions.report import AFFECTED_FORMATS, DIFF_FORMATS

        return DIFF_FORMATS if type(result).__name__ == "DiffResult" else AFFECTED_FORMATS
    if _is(result, "kpsy.importer.report", "ImportResult"):
        from kpsy.importer.report import IMPORT_FORMATS

        return IMPORT_FORMATS
    raise TypeError(f"kpsy.write writes what the API returns, not {type(result).__name__}")


def _is(result: Any, module: str, name: str) -> bool:
    """Whether `result` is an instance of `module.name`, without importing a module not yet loaded
    (nothing of it can have been made then)."""
    import sys

    loaded = sys.modules.get(module)
    cls = getattr(loaded, name, None) if loaded is not None else None
    return isinstance(cls, type) and isinstance(result, cls)


def _written(result: Any) -> Any:
    """What is written for `result`: a proofreading's findings for the result of `proof`."""
    if _is(result, "kpsy.checks.proof.fix", "ProofResult"):
        return result.proofreading.result()
    return result


def open_plan(path: Path | str | None = None) -> Plan:
    """The plan at `path` (default: found as the command line finds it), for work that needs a sound
    plan: any error stops it.

    Fidelity to the issued text and the record of issued versions are left to `validate`: a
    revised plan departs from the text on purpose, and neither changes what the plan says.
    """
    root = find_plan(Path(path) if path is not None else None)
    data, problems = checked(root)
    errors = [p for p in problems if p.is_error and p.rule not in ("fidelity", "revisions")]
    if data is None or errors:
        raise PlanInvalidError(errors or problems)
    return Plan(data, problems)


def import_plan(
    source: Path | str,
    out: Path | str,
    *,
    table: Path | str | None = None,
    force: bool = False,
    partial: bool = False,
) -> ImportResult:
    """Turn another place's 实施方案 (.docx or text) at `source` into the plan folder `out`: see
    `kpsy.importer`. The result counts what became what and lists what needs hand work; the folder
    is written only when nothing does, or with `partial`."""
    from kpsy.importer import import_plan as run_import

    return run_import(
        Path(source), Path(out), table=Path(table) if table is not None else None, force=force, partial=partial
    )


# --- revisions ---------------------------------------------------------------------------------


class _Side:
    """One revision of the plan to compare: its folder (or what stands for it), how it is named, and
    its files as read."""

    def __init__(
        self,
        folder: Path,
        label: str,
        place: str | None = None,
        named: str | None = None,
        snapshot: Snapshot | None = None,
    ) -> None:
        from kpsy.plan.files import read_folder

        self.folder, self.label, self.place, self.named = folder, label, place, named
        self.snapshot = snapshot if snapshot is not None else read_folder(folder, named)
        self.plan: PlanData | None = None

    def cached(self) -> PlanData | None:
        """The plan from the cache (the same bytes under any name), or None: nothing is parsed."""
        from kpsy.plan.files import namer

        hit = cache.get(_cache_name(self.folder, self.snapshot, self.place, self.named), self.folder, self.snapshot)
        if hit is not None:
            return hit[0]
        named = self.named
        show = (lambda relative: f"{named}{relative}") if named is not None else namer(self.folder)
        return cache.plan_by_bytes(self.snapshot, self.folder, show)

    def load(self, reuse: _Side | None = None) -> PlanData:
        """The plan, through the cache; a plan that does not load stops the comparison with every
        error it has (the first ten)."""
        from kpsy.i18n import msg
        from kpsy.revisions.diff import DiffError

        other = (reuse.snapshot, reuse.plan) if reuse is not None and reuse.plan is not None else None
        plan, problems = checked(self.folder, self.named, self.place, self.snapshot, plan_only=True, reuse=other)
        if plan is None:
            errors = [p for p in problems if p.is_error]
            lines = "\n".join(f"  {p.location()}: {p.message}" for p in errors[:10])
            more = msg("\n  … and {n} more", "\n  ……另有{n}处", n=len(errors) - 10) if len(errors) > 10 else ""
            raise DiffError(
                msg(
                    "the plan in {label} does not load:\n{lines}{more}",
                    "{label}中的计划无法读取：\n{lines}{more}",
                    label=self.label,
                    lines=lines,
                    more=more,
                )
            )
        return plan


def _load_both(old: _Side, new: _Side) -> tuple[PlanData, PlanData]:
    """Both plans: from the cache where it has them, else loaded, parsing only the files that differ
    from the other revision's."""
    old.plan, new.plan = old.cached(), new.cached()
    if old.plan is None:
        old.plan = old.load(new)
    if new.plan is None:
        new.plan = new.load(old)
    return old.plan, new.plan


def _version_dict(plan: PlanData, version: Any) -> dict[str, Any] | None:
    from kpsy.plan.plain import to_plain

    if version is not None:
        return to_plain(version)  # type: ignore[no-any-return]
    revisions = plan.revisions
    if revisions is not None and revisions.current.draft_of is not None:
        return {"draft_of": revisions.current.draft_of, "name": revisions.current.name}
    return None


def _diff_folders(old_plan: Path, new_plan: Path) -> DiffResult:
    """Two plan folders compared, each named by its record (else the day its files last changed)."""
    from kpsy.i18n import msg
    from kpsy.plan import versions
    from kpsy.revisions.diff import DiffError, compare
    from kpsy.revisions.naming import last_edited, names, recorded

    for folder in (old_plan, new_plan):
        if not (folder / "document.yaml").is_file():
            raise DiffError(
                msg(
                    "{f} is not a plan folder: it has no document.yaml",
                    "{f} 不是计划文件夹：其中没有 document.yaml",
                    f=folder,
                )
            )
    a, b = _load_both(_Side(old_plan, str(old_plan)), _Side(new_plan, str(new_plan)))
    va, vb = versions.current(a), versions.current(b)
    labels = names((recorded(a, va), recorded(b, vb)), (last_edited(old_plan), last_edited(new_plan)))
    result = compare(a, b, *labels)
    result.old_revision, result.new_revision = str(old_plan), str(new_plan)
    result.old_version, result.new_version = _version_dict(a, va), _version_dict(b, vb)
    result.when = vb.date if vb is not None else None
    return result


def _git_side(repo: Path, rel: str, rev: str, tmp: Path, where: str) -> _Side:
    """A git revision of the plan folder, read from git's object store (only the plan folder, sizes
    checked first), and written out only when it holds links."""
    from kpsy.plan.files import MAX_FILE_BYTES, read_tree
    from kpsy.revisions import git

    files, links = git.revision(repo, rel, rev, MAX_FILE_BYTES)
    place = f"git:{os.path.realpath(repo)}:{rel}:{git.commit_of(repo, rev)}"
    if links:  # read from disk, where links are links
        return _Side(git.write_out(files, links, tmp / where, MAX_FILE_BYTES), rev, place, f"{rev}:{rel}/")
    name, named = Path(f"{rev}:{rel}"), f"{rev}:{rel}/"
    return _Side(name, rev, place, named, read_tree(name, files, named))


def _issued(repo: Path, rev: str | None, plan: PlanData, plans: tuple[PlanData, PlanData]) -> Any:
    """The issued version a revision is: the one whose `git` names its commit (in either plan's
    record), else the one its own data says it is."""
    from kpsy.plan import versions
    from kpsy.revisions import git

    if rev is not None:
        commit = git.commit_of(repo, rev)
        for source in plans:
            for version in source.revisions.versions if source.revisions else []:
                if version.git and git.commit_of(repo, version.git) == commit:
                    return version
    return versions.current(plan)


def _diff_git(path: Path | str | None, old: str, new: str | None) -> DiffResult:
    """Two git revisions of the plan (NEW None: the working tree), each named by its record, else by
    the day of its commit (the working tree: of its last edit)."""
    import datetime as dt
    import tempfile

    from kpsy.i18n import msg
    from kpsy.revisions import git
    from kpsy.revisions.diff import compare
    from kpsy.revisions.naming import last_edited, names, recorded

    root = find_plan(Path(path) if path is not None else None)
    repo, rel = git.repository(root)
    with tempfile.TemporaryDirectory(prefix="kpsy-diff-") as tmp:
        newer = (
            _git_side(repo, rel, new, Path(tmp), "new")
            if new is not None
            else _Side(root, msg("the working tree", "工作区"))
        )
        a, b = _load_both(_git_side(repo, rel, old, Path(tmp), "old"), newer)
    va, vb = _issued(repo, old, a, (b, a)), _issued(repo, new, b, (b, a))
    day_a = git.commit_date(repo, old)
    day_b = git.commit_date(repo, new) if new is not None else None
    days = (day_a.date() if day_a else dt.date.today(), day_b.date() if day_b else last_edited(root))
    result = compare(a, b, *names((recorded(a, va), recorded(b, vb)), days))
    result.old_revision, result.new_revision = old, new
    result.old_version, result.new_version = _version_dict(a, va), _version_dict(b, vb)
    result.when = vb.date if vb is not None else day_b
    return result


def diff(
    path: Path | str | None = None,
    old: str | None = None,
    new: str | None = None,
    *,
    old_plan: Path | str | None = None,
    new_plan: Path | str | None = None,
    unit: str | None = None,
    templates: Path | None = None,
) -> DiffResult:
    """What changed in meaning between two revisions of the plan: git revisions `old` and `new`
    (None: the working tree) of the plan at `path`, or the plan folders `old_plan` and `new_plan`.
    Both are read through the cache of checked plans. Each revision is named as the office names
    it (its record in revisions.yaml, else a dated description). With `unit`, only the changes
    that change that unit's task letter (rendered from `templates`)."""
    _check_revisions(old, old_plan, new_plan)
    if old_plan is not None and new_plan is not None:
        result = _diff_folders(Path(old_plan), Path(new_plan))
    else:
        assert old is not None
        result = _diff_git(path, old, new)
    if unit is None:
        return result
    from kpsy.revisions.affected import for_unit

    return for_unit(result, _unit_in(result, unit), templates)


def _check_revisions(old: str | None, old_plan: Path | str | None, new_plan: Path | str | None) -> None:
    """Two git revisions, or two plan folders: one way or the other, whole."""
    if (old_plan is None) != (new_plan is None):
        raise UsageError(
            msg(
                "{old_plan} and {new_plan} go together",
                "{old_plan} 和 {new_plan} 须同时给出",
                old_plan=param("old_plan", "--old-plan"),
                new_plan=param("new_plan", "--new-plan"),
            )
        )
    if old_plan is not None and old is not None:
        raise UsageError(
            msg(
                "give git revisions or {old_plan}/{new_plan}, not both",
                "请给出 git 修订版或 {old_plan}/{new_plan}，不要同时给出",
                old_plan=param("old_plan", "--old-plan"),
                new_plan=param("new_plan", "--new-plan"),
            )
        )
    if old_plan is None and old is None:
        raise UsageError(
            msg(
                "give {old} (a git revision), or {old_plan} {new_plan}",
                "请给出 {old}（一个 git 修订版），或 {old_plan} {new_plan}",
                old=param("old", "OLD"),
                old_plan=param("old_plan", "--old-plan DIR"),
                new_plan=param("new_plan", "--new-plan DIR"),
            )
        )


def _unit_in(result: DiffResult, name: str) -> Any:
    """A unit by any of its names: at NEW, else at OLD (a unit the new plan removed or renamed)."""
    from kpsy.errors import UnknownNameError

    assert result.new_plan is not None and result.old_plan is not None
    try:
        return result.new_plan.units.resolve(name)
    except UnknownNameError:
        return result.old_plan.units.resolve(name)


def affected(
    path: Path | str | None = None,
    old: str | None = None,
    new: str | None = None,
    *,
    old_plan: Path | str | None = None,
    new_plan: Path | str | None = None,
    unit: str | None = None,
    templates: Path | None = None,
) -> Affected:
    """The units whose task letter (交办函) reads differently at NEW than at OLD (see `diff`)."""
    from kpsy.revisions.affected import affected as compare_letters

    result = diff(path, old, new, old_plan=old_plan, new_plan=new_plan)
    only = _unit_in(result, unit) if unit is not None else None
    return compare_letters(result, templates, only)


def git_setup(path: Path | str | None = None) -> list[str]:
    """Make `git diff` show the plan's files as text through `kpsy textconv`, in the repository that
    holds the plan at `path`: what was done, one line each."""
    from kpsy.revisions.git import setup

    return setup(find_plan(Path(path) if path is not None else None))

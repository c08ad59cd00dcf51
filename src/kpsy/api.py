"""kpsy's Python API: open a plan folder and ask it what the command line asks.

    import kpsy

    plan = kpsy.open_plan("plan")
    for row in plan.tasks(unit="县教育局"):
        print(row.task_number, row.task_title, row.role)

`open_plan` reads the plan through the cache of checked plans and refuses a plan with errors;
`validate` reports every finding of any plan, sound or not. The command line is built on these.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from kpsy import cache
from kpsy.errors import PlanInvalidError
from kpsy.findings import CheckResult, Problem
from kpsy.plan.model import Unit
from kpsy.plan.outline import PlanData, Ref
from kpsy.plan.workspace import find_plan

if TYPE_CHECKING:  # each question imports what answers it, so that one question loads only its own code
    from kpsy.importer import ImportResult
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
    from kpsy.sheets.importer import ImportResult as SheetsImport
    from kpsy.sheets.write import SheetsResult

__all__ = ["Plan", "checked", "import_plan", "open_plan", "validate"]


def checked(root: Path) -> tuple[PlanData | None, list[Problem]]:
    """The plan at `root` and every finding about it, from the cache when the files are unchanged.

    The plan's files are read once; the cache key is made from those bytes, and on a miss the
    plan is parsed from those same bytes."""
    from kpsy.plan.files import read_folder

    snap = read_folder(root)
    name = cache.key(root, snap)
    hit = cache.get(name, root)
    if hit is not None:
        return hit
    from kpsy.checks import run

    plan, problems = run(root, snap)
    if plan is not None:
        cache.put(name, plan, problems, snap.extras)
    return plan, problems


def validate(path: Path | str | None = None) -> CheckResult:
    """Every finding about the plan at `path` (default: found as the command line finds it)."""
    root = find_plan(Path(path) if path is not None else None)
    return CheckResult.of(root, checked(root)[1])


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

        chosen = self.unit(unit) if isinstance(unit, str) else unit
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
        roles: Iterable[Role] = (),
        part: str | None = None,
        action: str | None = None,
    ) -> list[TaskRow]:
        """Tasks in document order; with a unit, those it works on with its role (lead, participant, mentioned)."""
        from kpsy.queries.tasks import tasks

        chosen = self.unit(unit) if isinstance(unit, str) else unit
        return tasks(self.data, chosen, roles, part, action)

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
    ) -> str:
        """A document (document, summary, table, letter; bulletin and review of a period's progress,
        by default the latest) as Markdown."""
        from kpsy.documents.context import context
        from kpsy.documents.progress import PROGRESS_DOCUMENTS
        from kpsy.documents.templates import render_markdown

        chosen = self.unit(unit) if isinstance(unit, str) else unit
        ctx = context(
            self.data,
            self.findings,
            chosen,
            sender=sender,
            date=date,
            period=period,
            progress=name in PROGRESS_DOCUMENTS,
        )
        return render_markdown(name, ctx, templates)

    # --- progress -------------------------------------------------------------------------

    def progress(self, period: str | None = None) -> Overview:
        """A period's progress (default: the latest period with reports): the unit × task matrix,
        counts by status overall and per action, who owes a report, and the indicators."""
        from kpsy.queries.progress import overview

        return overview(self.data, period)

    def missing(self, period: str | None = None) -> tuple[ReportPeriod, list[Owed]]:
        """The units that owe a report for `period` (default: the latest with reports)."""
        from kpsy.queries.progress import missing

        return missing(self.data, period)

    def history(self, unit: str | Unit, period: str | None = None) -> UnitHistory:
        """One unit's reports across every period (or in one), task by task."""
        from kpsy.queries.progress import unit_history

        return unit_history(self.data, self.unit(unit) if isinstance(unit, str) else unit, period)

    def indicators(self) -> list[IndicatorRow]:
        """Every target with its baseline, measured values and trend."""
        from kpsy.queries.progress import indicators

        return indicators(self.data)

    def progress_sheet(
        self, unit: str | Unit, period: str, *, deadline: dt.date | None = None, sender: str | None = None
    ) -> bytes:
        """A unit's fill-in workbook (.xlsx) for `period`."""
        from kpsy.queries.progress import check_period
        from kpsy.sheets.write import make_sheet

        chosen = self.unit(unit) if isinstance(unit, str) else unit
        return make_sheet(
            self.data, chosen, check_period(self.data, period), deadline=deadline, sender=sender or self._sender()
        )

    def progress_sheets(
        self,
        out: Path,
        period: str,
        *,
        deadline: dt.date | None = None,
        sender: str | None = None,
        progress: Callable[[int, int, str], None] | None = None,
    ) -> SheetsResult:
        """A fill-in workbook for every unit with tasks (the bodies that oversee the work aside), in `out`."""
        from kpsy.queries.progress import check_period
        from kpsy.sheets.write import write_sheets

        return write_sheets(
            self.data,
            out,
            check_period(self.data, period),
            deadline=deadline,
            sender=sender or self._sender(),
            progress=progress,
        )

    def import_progress(
        self,
        files: Iterable[Path | str],
        *,
        unit: str | Unit | None = None,
        period: str | None = None,
        force: bool = False,
    ) -> SheetsImport:
        """Filled-in sheets into the plan folder: nothing is written unless every sheet is sound, and a
        report already there is replaced only with `force` (the changes are in the result)."""
        from kpsy.queries.progress import check_period
        from kpsy.sheets.importer import import_sheets

        return import_sheets(
            self.data,
            self.findings,
            [Path(f) for f in files],
            unit=self.unit(unit) if isinstance(unit, str) else unit,
            period=check_period(self.data, period) if period is not None else None,
            force=force,
        )

    def _sender(self) -> str | None:
        letter = self.data.settings.letter
        return letter.sender if letter else None


def open_plan(path: Path | str | None = None) -> Plan:
    """The plan at `path` (default: found as the command line finds it), for work that needs a sound
    plan: any error stops it.

    Fidelity to the original is left to `validate`: a revised plan departs from it on purpose.
    """
    root = find_plan(Path(path) if path is not None else None)
    data, problems = checked(root)
    errors = [p for p in problems if p.is_error and p.rule != "fidelity"]
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

"""Findings as data: `Problem`, the levels, and the registry of every rule that makes them.

Every finding kpsy reports comes from a registered rule: the loader's structural rules (encoding,
syntax, schema, listing, …) are declared in `kpsy.plan.load` and `kpsy.plan.reader`, the rules about
meaning in `kpsy.checks.rules`, the proofreading rules (`kpsy proof`, stage "proof") in
`kpsy.checks.proof`, which register when that package is imported. A rule's registered level is the
level of its findings, and its docstring is its documentation (the README's rule tables are
generated from this registry).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import field
from enum import Enum
from pathlib import Path
from typing import Any

from kpsy.light import light


class Level(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"  # an observation about the plan (shown by `kpsy coverage`), not a fault


@light(hashable=True)
class Edit:
    """What a proofreading finding would change: the text found (`found`, which ends at
    `end_line`:`end_col`, the column after its last character), the text suggested instead (None
    when there is no single right one), whether the change is `safe` (unambiguous, so that `kpsy
    proof --fix` makes it), the characters around a short find (`before`, `after`; for showing it),
    the line and column where `found` starts (`start_line`, `start_col`; the finding's own place is
    the offending character inside it), and `source`: what to write over the file's characters from
    there to the end when that is a plain replacement (None when the value's quoting makes it more)."""

    found: str
    suggested: str | None
    safe: bool
    end_line: int = 0
    end_col: int = 0
    before: str = ""
    after: str = ""
    start_line: int = 0
    start_col: int = 0
    source: str | None = None


@light(hashable=True)
class Problem:
    """One finding, located in a file (line and column are 1-based; 0 when unknown).

    `subject` (an id) and `units` (unit names) say what the finding is about, for views that
    group findings (the coverage matrix); they are not part of the printed line. A proofreading
    finding also names the `clause` of the standard it applies and its `edit`.
    """

    file: str
    line: int
    col: int
    rule: str
    level: Level
    message: str
    subject: str = ""
    units: tuple[str, ...] = ()
    clause: str = ""
    edit: Edit | None = None

    @property
    def is_error(self) -> bool:
        return self.level is Level.ERROR

    def location(self) -> str:
        if self.line:
            return f"{self.file}:{self.line}:{self.col}"
        return self.file

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.file, self.line, self.col, self.rule)


@light(hashable=True)
class Rule:
    """A registered rule: its id, the level of its findings, what it checks, and (for the rules
    about meaning) the check itself, a generator of problems over a checking context."""

    id: str
    level: Level
    doc: str
    stage: str  # "file", "yaml", "schema", "structure", "meaning" or "proof": where in the pipeline it runs
    check: Callable[[Any], Iterator[Any]] | None = None
    clause: str = ""  # the clause of the standard a proofreading rule applies (GB/T 15834-2011 4.13.3.2)

    def problem(
        self, file: str, line: int, col: int, message: str, *, subject: str = "", units: Iterable[str] = ()
    ) -> Problem:
        return Problem(file, line, col, self.id, self.level, message, subject, tuple(units))


RULES: dict[str, Rule] = {}


def declare(
    rule_id: str,
    level: Level,
    doc: str,
    stage: str,
    check: Callable[[Any], Iterator[Any]] | None = None,
    clause: str = "",
) -> Rule:
    """Register a rule. Rules the loader applies itself are declared with no `check`."""
    if rule_id in RULES:
        raise ValueError(f"rule {rule_id} is registered twice")
    RULES[rule_id] = Rule(rule_id, level, " ".join(doc.split()), stage, check, clause)
    return RULES[rule_id]


def rule(rule_id: str, level: Level = Level.ERROR) -> Callable[[Callable[[Any], Iterator[Problem]]], Rule]:
    """Register a rule about meaning; the decorated generator's docstring documents it."""

    def register(func: Callable[[Any], Iterator[Problem]]) -> Rule:
        return declare(rule_id, level, func.__doc__ or "", "meaning", func)

    return register


@light
class CheckResult:
    """Every finding about one plan. Errors and warnings are what `kpsy validate` reports;
    notes (level info) describe the plan and are shown where they help (`kpsy coverage`)."""

    root: Path
    problems: list[Problem]
    notes: list[Problem] = field(default_factory=list)
    strict: bool = False  # warnings fail too (`kpsy proof`, where every finding is one to act on)

    @classmethod
    def of(cls, root: Path, findings: Iterable[Problem]) -> CheckResult:
        found = list(findings)
        return cls(
            root,
            [p for p in found if p.level is not Level.INFO],
            [p for p in found if p.level is Level.INFO],
        )

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if p.level is Level.WARNING]

    def ok(self, strict: bool = False) -> bool:
        return not self.errors and not ((strict or self.strict) and self.warnings)

"""Checks: every rule run over a plan folder, every finding collected.

`run(root)` loads the plan (the loader applies the structural rules) and runs the rules about
meaning; `kpsy.checks.RULES` is the registry of them all (complete when it is asked for: the rules
are imported then), each with its id, level and documentation. The proofreading rules
(`kpsy.checks.proof`) join it when that package is imported.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from kpsy.findings import Problem

if TYPE_CHECKING:
    from kpsy.plan.files import Snapshot
    from kpsy.plan.outline import PlanData
    from kpsy.plan.reader import YamlFile

__all__ = ["RULES", "check_plan", "run"]


def __getattr__(name: str) -> Any:
    # The registry is complete once it is asked for: the rules about meaning are imported then, not
    # by `kpsy.checks.proof`, which needs none of them (start-up time).
    if name == "RULES":
        from kpsy.checks import progress, rules  # noqa: F401  (their rules belong to the registry)
        from kpsy.findings import RULES
        from kpsy.plan import fmt, load  # noqa: F401  (the loader's rules belong to it too)

        return RULES
    raise AttributeError(f"module 'kpsy.checks' has no attribute {name!r}")


def check_plan(plan: PlanData, files: dict[str, YamlFile], snapshot: Snapshot) -> list[Problem]:
    """Every finding of the rules about meaning, for an assembled plan read into `snapshot`. The
    rules about progress reports are loaded only for a plan that has some (they find nothing in one
    without: start-up time); the whole registry is `RULES`."""
    if any(source.kind == "progress" for source in plan.sources.values()):
        from kpsy.checks import progress  # noqa: F401  (its rules join the registry)
    from kpsy.checks.rules import Context, meaning_rules

    ctx = Context(plan, files, snapshot)
    return [p for r in meaning_rules() for p in r.check(ctx)]


def _suppressed(problem: Problem, files: dict[str, YamlFile]) -> bool:
    doc = files.get(problem.file)
    return not problem.is_error and doc is not None and problem.rule in doc.suppressed.get(problem.line, frozenset())


def run(
    root: Path, snapshot: Snapshot | None = None, label: str | None = None
) -> tuple[PlanData | None, list[Problem]]:
    """Load the plan at `root` (from `snapshot` when it has been read already) and run every rule:
    the plan (None if its shape is broken) and all findings, sorted by file and line, unique,
    suppressed ones left out. Files are named as `kpsy.plan.load.load_plan` names them with `label`."""
    from kpsy.plan.load import load_plan

    loaded = load_plan(root, label, snap=snapshot)
    problems = list(loaded.problems)
    if loaded.plan is not None:
        problems += check_plan(loaded.plan, loaded.files, loaded.snapshot)
    kept = dict.fromkeys(p for p in problems if not _suppressed(p, loaded.files))
    return loaded.plan, sorted(kept, key=Problem.sort_key)

"""Finding the plan folder and opening the plan, through the cache of checked plans.

This is what commands call. On a cache hit nothing is parsed or validated, and neither yaml nor
pydantic is imported.
"""

from __future__ import annotations

import os
from pathlib import Path

from kpsy import cache
from kpsy.errors import CheckResult, PlanInvalidError, PlanNotFoundError, Problem
from kpsy.model import Plan

PLAN_DIR = "plan"
ENV_VAR = "KPSY_PLAN"


def display_path(path: Path) -> str:
    """A path as the user would type it: relative to the current folder when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def find_plan(explicit: Path | None = None, start: Path | None = None) -> Path:
    """The plan folder: `explicit` (from --plan), $KPSY_PLAN, or `plan/` found walking up from `start`."""
    chosen = explicit or (Path(os.environ[ENV_VAR]) if os.environ.get(ENV_VAR) else None)
    if chosen is not None:
        how = "--plan" if explicit else f"${ENV_VAR}"
        if not chosen.is_dir():
            raise PlanNotFoundError(f"plan folder {chosen} (from {how}) does not exist or is not a folder")
        if not (chosen / "document.yaml").is_file():
            raise PlanNotFoundError(f"{chosen} (from {how}) is not a plan folder: it has no document.yaml")
        return chosen
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        candidate = folder / PLAN_DIR
        if (candidate / "document.yaml").is_file():
            return candidate
    raise PlanNotFoundError(
        f"no {PLAN_DIR}/ folder with a document.yaml in {here} or any folder above it; use --plan DIR or set {ENV_VAR}"
    )


def checked(root: Path) -> tuple[Plan | None, list[Problem]]:
    """The plan at `root` and every finding about it, from the cache when the files are unchanged."""
    name = cache.key(root)
    hit = cache.get(name) if name else None
    if hit is not None:
        return hit  # type: ignore[no-any-return]
    from kpsy.check import run

    plan, problems = run(root)
    if plan is not None and name:
        cache.put(name, (plan, problems))
    return plan, problems


def validate(root: Path) -> CheckResult:
    """Every finding about the plan at `root`, sorted by file and line."""
    return CheckResult(root, checked(root)[1])


def open_plan(root: Path) -> Plan:
    """The plan, for commands that need a sound one: any error stops them.

    Fidelity to the original is left to `kpsy validate`: a revised plan departs from it on purpose.
    """
    plan, problems = checked(root)
    errors = [p for p in problems if p.is_error and p.rule != "fidelity"]
    if plan is None or errors:
        raise PlanInvalidError(errors or problems)
    return plan

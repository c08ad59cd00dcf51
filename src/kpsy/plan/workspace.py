"""Finding the plan folder: --plan, then $KPSY_PLAN, then plan/ found walking up, as git finds .git."""

from __future__ import annotations

import os
from pathlib import Path

from kpsy.errors import PlanNotFoundError
from kpsy.plan.kinds import KINDS

PLAN_DIR = "plan"
ENV_VAR = "KPSY_PLAN"
MARKER = KINDS["document"].pattern  # the file that makes a folder a plan folder


def find_plan(explicit: Path | None = None, start: Path | None = None) -> Path:
    """The plan folder: `explicit` (from --plan), $KPSY_PLAN, or `plan/` found walking up from `start`."""
    chosen = explicit or (Path(os.environ[ENV_VAR]) if os.environ.get(ENV_VAR) else None)
    if chosen is not None:
        how = "--plan" if explicit else f"${ENV_VAR}"
        if not chosen.is_dir():
            raise PlanNotFoundError(f"plan folder {chosen} (from {how}) does not exist or is not a folder")
        if not (chosen / MARKER).is_file():
            raise PlanNotFoundError(f"{chosen} (from {how}) is not a plan folder: it has no {MARKER}")
        return chosen
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        candidate = folder / PLAN_DIR
        if (candidate / MARKER).is_file():
            return candidate
    raise PlanNotFoundError(
        f"no {PLAN_DIR}/ folder with a {MARKER} in {here} or any folder above it; use --plan DIR or set {ENV_VAR}"
    )

"""Finding the plan folder: --plan, then $KPSY_PLAN, then plan/ found walking up, as git finds .git."""

from __future__ import annotations

import os
from pathlib import Path

from kpsy.errors import PlanNotFoundError
from kpsy.i18n import msg, param
from kpsy.plan.kinds import KINDS

PLAN_DIR = "plan"
ENV_VAR = "KPSY_PLAN"
MARKER = KINDS["document"].pattern  # the file that makes a folder a plan folder


def find_plan(explicit: Path | None = None, start: Path | None = None) -> Path:
    """The plan folder: `explicit` (from --plan), $KPSY_PLAN, or `plan/` found walking up from `start`."""
    chosen = explicit or (Path(os.environ[ENV_VAR]) if os.environ.get(ENV_VAR) else None)
    if chosen is not None:
        how = param("path", "--plan") if explicit else f"${ENV_VAR}"
        if not chosen.is_dir():
            raise PlanNotFoundError(
                msg(
                    "plan folder {p} (from {how}) does not exist or is not a folder",
                    "计划文件夹 {p}（来自 {how}）不存在或不是文件夹",
                    p=chosen,
                    how=how,
                )
            )
        if not (chosen / MARKER).is_file():
            raise PlanNotFoundError(
                msg(
                    "{p} (from {how}) is not a plan folder: it has no {m}",
                    "{p}（来自 {how}）不是计划文件夹：其中没有 {m}",
                    p=chosen,
                    how=how,
                    m=MARKER,
                )
            )
        return chosen
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        candidate = folder / PLAN_DIR
        if (candidate / MARKER).is_file():
            return candidate
    raise PlanNotFoundError(
        msg(
            "no {d}/ folder with a {m} in {here} or any folder above it; use {plan} or set {env}",
            "在 {here} 及其上级文件夹中都没有含 {m} 的 {d}/ 文件夹；请用 {plan} 或设置 {env}",
            plan=param("path", "--plan DIR"),
            d=PLAN_DIR,
            m=MARKER,
            here=here,
            env=ENV_VAR,
        )
    )

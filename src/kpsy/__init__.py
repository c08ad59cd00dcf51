"""kpsy: a plan of the 全民科学素质行动 genre kept as data: validate, query, render and diff it.

The Python API is `kpsy.open_plan(path)`, `kpsy.validate(path)` and `kpsy.proof(path)` (see `kpsy.api`).
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"
__all__ = ["Plan", "Problem", "__version__", "import_plan", "open_plan", "proof", "validate"]


def __getattr__(name: str) -> Any:
    # the API is imported on first use, so that `import kpsy` (and the CLI's start-up) stays light
    if name in ("open_plan", "validate", "proof", "Plan", "import_plan"):
        from kpsy import api

        return getattr(api, name)
    if name == "Problem":
        from kpsy.findings import Problem

        return Problem
    raise AttributeError(f"module 'kpsy' has no attribute {name!r}")

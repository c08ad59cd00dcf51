"""kpsy: a plan of the 全民科学素质行动 genre kept as data: validate, query, render and diff it.

The Python API (see `kpsy.api`): `kpsy.open_plan(path)` answers what the command line asks and
writes what it writes; `kpsy.validate(path)`, `kpsy.proof(path)`, `kpsy.diff(...)`,
`kpsy.affected(...)`, `kpsy.import_plan(...)`, `kpsy.write(result, to)`. What stops them is a
`kpsy.KpsyError` (`PlanNotFoundError`, `PlanInvalidError`, `UnknownNameError`,
`AmbiguousNameError`, `UsageError`, `OutputError`, `DiffError`); findings are `kpsy.Problem`s.
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

# What `kpsy` offers, and the module each comes from: imported on first use, so that `import kpsy`
# (and the CLI's start-up) stays light.
_LAZY = {
    **dict.fromkeys(
        (
            "Plan",
            "affected",
            "check_document",
            "diff",
            "git_setup",
            "import_plan",
            "open_plan",
            "proof",
            "validate",
            "write",
        ),
        "kpsy.api",
    ),
    "Problem": "kpsy.findings",
    "CheckResult": "kpsy.findings",
    **dict.fromkeys(
        (
            "KpsyError",
            "PlanNotFoundError",
            "PlanInvalidError",
            "UnknownNameError",
            "AmbiguousNameError",
            "UsageError",
            "OutputError",
        ),
        "kpsy.errors",
    ),
    "DiffError": "kpsy.revisions.change",
}

__all__ = ["__version__", *sorted(_LAZY)]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'kpsy' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})

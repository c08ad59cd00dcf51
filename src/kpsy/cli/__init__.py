"""The `kpsy` command line: parse options, call one core function, pick a reporter, set the exit code.

Commands are grouped by what they work on: the plan's files (`plan`), questions (`ask`), documents
(`documents`), revisions (`revisions`) and progress reports (`progress`). Errors become messages and exit codes in one place
(`app.KpsyGroup`).
"""

from __future__ import annotations

from kpsy.cli import ask, documents, plan, progress, revisions  # noqa: F401  (each module adds its commands)
from kpsy.cli.app import app

__all__ = ["app", "main"]


def main() -> None:
    app()

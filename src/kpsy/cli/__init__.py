"""The `kpsy` command line: parse options, call one core function, pick a reporter, set the exit code.

Commands are grouped by what they work on: the plan's files (`plan`, `importing`), questions (`ask`),
documents (`documents`), revisions (`revisions`) and progress reports (`progress`); `app.COMMANDS` names
them all, and a command's module is imported only when it runs. Errors become messages and exit codes in one place (`app.KpsyGroup`).
"""

from __future__ import annotations

from kpsy.cli.app import app

__all__ = ["app", "main"]


def main() -> None:
    try:
        app()
    finally:
        _last_flush()


def _last_flush() -> None:
    """What is still buffered for standard output, written before kpsy ends; a reader that went
    away is not an error, a full disk is."""
    import sys

    from kpsy.cli.app import err, quiet_stdout

    try:
        if sys.stdout is not None:
            sys.stdout.flush()
    except BrokenPipeError:
        quiet_stdout()
    except OSError as exc:
        quiet_stdout()
        from kpsy.i18n import msg

        err(
            msg(
                "Error: cannot write to standard output: {why}",
                "错误：无法写入标准输出：{why}",
                why=exc.strerror or exc,
            )
        )
        raise SystemExit(1) from None

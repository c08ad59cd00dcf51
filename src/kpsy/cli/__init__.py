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
        status: object = 0
    except SystemExit as done:
        status = done.code
    finally:
        _last_flush()
    _end(status)


def _end(status: object) -> None:
    """End the process with `status`, once everything it wrote is out and its exit handlers have
    run, without Python's teardown: freeing every module and object one by one takes longer than a
    question answered from the cache (an eighth of a short command's time). Where anything could
    still be at work (another thread) or the status is a message, Python ends as usual."""
    import atexit
    import os
    import sys
    import threading

    run_exit_handlers = getattr(atexit, "_run_exitfuncs", None)
    if status is None:
        status = 0
    if type(status) is not int or threading.active_count() > 1 or run_exit_handlers is None:
        raise SystemExit(status)
    run_exit_handlers()
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:
                stream.flush()
        except (OSError, ValueError):
            pass
    os._exit(status)


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

"""The `kpsy` application: the Typer app, and the one place where errors become messages and exit codes."""

from __future__ import annotations

import contextlib
import os
import sys
from enum import Enum
from typing import Annotated, Any

import typer
from typer.core import TyperGroup
from typer.exceptions import TyperException

from kpsy import __version__
from kpsy.errors import KpsyError, PipeClosedError, PlanInvalidError

# A command whose exit status 0/1 answers a question (`diff --exit-code`) sets this in the context's
# meta, so that its errors exit with another status.
ERROR_EXIT = "kpsy.error-exit"


def err(message: str) -> None:
    """A line for the person at the terminal, on standard error (control characters made visible)."""
    from kpsy.util import visible

    with contextlib.suppress(OSError, ValueError, UnicodeEncodeError):  # a closed or ascii-only standard error
        typer.echo(visible(message), err=True)


def quiet_stdout() -> None:
    """Standard output's reader has gone: send what is left nowhere, so that Python's last flush
    does not complain."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, AttributeError, ValueError):
        pass


class KpsyGroup(TyperGroup):
    """Runs a command; any error that stops it becomes one message on standard error and its exit
    code, never a traceback (KPSY_DEBUG=1 shows one for a bug)."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return self._invoke(ctx)
        finally:
            if os.environ.get("KPSY_DEBUG"):
                from kpsy import cache

                for note in cache.notes:
                    err(note)

    def _invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except (typer.Exit, typer.Abort, TyperException, KeyboardInterrupt):
            raise
        except PipeClosedError:
            quiet_stdout()
            raise typer.Exit(1) from None
        except KpsyError as exc:
            if isinstance(exc, PlanInvalidError):
                from kpsy.outputs.findings import plain_line

                for problem in exc.problems:
                    err(plain_line(problem))
            err(f"Error: {exc.message}")
            code = ctx.meta.get(ERROR_EXIT, exc.exit_code) if exc.exit_code == 1 else exc.exit_code
            raise typer.Exit(code) from None
        except Exception as exc:
            if os.environ.get("KPSY_DEBUG"):
                raise
            err(f"Error: internal error ({type(exc).__name__}: {exc}); please report it (KPSY_DEBUG=1 shows details)")
            raise typer.Exit(ctx.meta.get(ERROR_EXIT, 1)) from None


app = typer.Typer(
    name="kpsy",
    cls=KpsyGroup,
    help="A plan of the 全民科学素质行动 genre as data: validate, query, render, diff.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
export_app = typer.Typer(help="Export the plan in other forms.", no_args_is_help=True)
app.add_typer(export_app, name="export", rich_help_panel="The plan files")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"kpsy {__version__}")
        raise typer.Exit()


class Language(str, Enum):
    zh = "zh"
    en = "en"


@app.callback()
def root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
    lang: Annotated[
        Language,
        typer.Option("--lang", envvar="KPSY_LANG", help="The language of what kpsy prints and writes: zh or en."),
    ] = Language.zh,
) -> None:
    """kpsy keeps a 全民科学素质行动规划纲要实施方案 as data in git and answers questions about it."""
    from kpsy import i18n

    i18n.use(lang.value)

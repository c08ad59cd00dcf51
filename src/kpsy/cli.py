"""The `kpsy` command line: parse options, call one core function, pick a reporter, set the exit code."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from kpsy import __version__
from kpsy.errors import KpsyError, PlanInvalidError

app = typer.Typer(
    name="kpsy",
    help="The 雁峰区全民科学素质行动规划纲要实施方案 (2021-2025) as data: validate, query, render, diff.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
export_app = typer.Typer(help="Export the plan in other forms.", no_args_is_help=True)
app.add_typer(export_app, name="export")

PlanOption = Annotated[
    Path | None,
    typer.Option(
        "--plan",
        metavar="DIR",
        help="The plan folder. Default: $KPSY_PLAN, else plan/ found walking up from the current folder.",
        show_default=False,
    ),
]
OutputOption = Annotated[
    Path | None,
    typer.Option("--output", "-o", metavar="FILE", help="Write to FILE (atomically) instead of standard output."),
]

F = TypeVar("F", bound=Callable[..., Any])


class ValidateFormat(str, Enum):
    auto = "auto"
    text = "text"
    plain = "plain"
    json = "json"
    github = "github"


def _err(message: str) -> None:
    typer.echo(message, err=True)


def handle_errors(func: F) -> F:
    """Turn every error that stops a command into one message and its exit code."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except PlanInvalidError as exc:
            from kpsy.report import report_plain

            class _Result:
                problems = exc.problems

            report_plain(_Result, sys.stderr, "")  # type: ignore[arg-type]
            _err(f"Error: {exc.message}")
            raise typer.Exit(exc.exit_code) from None
        except KpsyError as exc:
            _err(f"Error: {exc.message}")
            raise typer.Exit(exc.exit_code) from None
        except (typer.Exit, typer.Abort, KeyboardInterrupt):
            raise
        except Exception as exc:  # a bug: say so plainly; KPSY_DEBUG=1 shows the traceback
            if os.environ.get("KPSY_DEBUG"):
                raise
            _err(f"Error: internal error ({type(exc).__name__}: {exc}); please report it (KPSY_DEBUG=1 shows details)")
            raise typer.Exit(1) from None

    return wrapper  # type: ignore[return-value]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"kpsy {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """kpsy keeps the 雁峰区 science-literacy plan as data in git and answers questions about it."""


def _emit(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
        return
    from kpsy.report import write_atomic

    write_atomic(output, text)
    _err(f"wrote {output}")


@app.command()
@handle_errors
def validate(
    plan: PlanOption = None,
    strict: Annotated[bool, typer.Option("--strict", help="Fail on warnings too.")] = False,
    fmt: Annotated[
        ValidateFormat,
        typer.Option("--format", "-f", help="auto: github under GitHub Actions, text on a terminal, plain otherwise."),
    ] = ValidateFormat.auto,
) -> None:
    """Check the plan: file encoding, YAML, schema, references, coverage and fidelity to the original.

    Exit status: 0 clean, 1 errors (or warnings with --strict), 2 usage errors.
    """
    from kpsy.check import validate as run_validate
    from kpsy.load import display_path, find_plan
    from kpsy.report import REPORTERS, choose_format

    chosen = choose_format(fmt.value, sys.stdout.isatty())
    root = find_plan(plan)
    result = run_validate(root)
    REPORTERS[chosen](result, sys.stdout, display_path(root))
    raise typer.Exit(0 if result.ok(strict) else 1)


@export_app.command("text")
@handle_errors
def export_text(plan: PlanOption = None, output: OutputOption = None) -> None:
    """Print the whole document from the data, one paragraph per line, with derived numbering."""
    from kpsy.check import open_plan
    from kpsy.load import find_plan
    from kpsy.text import paragraphs

    loaded = open_plan(find_plan(plan))
    _emit("".join(p.text + "\n" for p in paragraphs(loaded)), output)


def main() -> None:
    app()

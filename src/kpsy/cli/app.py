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
from kpsy.i18n import msg

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


# Every command, in the order --help lists them, with the module of kpsy.cli that holds it. A
# command's module is imported only when the command runs (or --help lists it): start-up pays for
# one command, not for all of them.
COMMANDS: dict[str, str] = {
    "tasks": "ask",
    "units": "ask",
    "unit": "lookup",
    "coverage": "ask",
    "targets": "ask",
    "schedule": "ask",
    "show": "ask",
    "search": "lookup",
    "render": "documents",
    "letters": "documents",
    "validate": "plan",
    "proof": "plan",
    "export": "plan",
    "fmt": "plan",
    "schema": "plan",
    "textconv": "plan",
    "import": "importing",
    "diff": "revisions",
    "progress": "progress",
    "git-setup": "revisions",
}


class KpsyGroup(TyperGroup):
    """The root command. It finds commands in their modules when they are asked for, and runs
    them; any error that stops one becomes one message on standard error and its exit code, never
    a traceback (KPSY_DEBUG=1 shows one for a bug)."""

    def list_commands(self, ctx: Any) -> list[str]:
        return list(COMMANDS)

    def format_help(self, ctx: Any, formatter: Any) -> None:
        _fix_rich_help()
        super().format_help(ctx, formatter)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name not in COMMANDS:
            return None
        return _command(COMMANDS[cmd_name], cmd_name)

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
            err(msg("Error: {m}", "错误：{m}", m=exc.message))
            code = ctx.meta.get(ERROR_EXIT, exc.exit_code) if exc.exit_code == 1 else exc.exit_code
            raise typer.Exit(code) from None
        except Exception as exc:
            if os.environ.get("KPSY_DEBUG"):
                raise
            err(
                msg(
                    "Error: internal error ({kind}: {exc}); please report it (KPSY_DEBUG=1 shows details)",
                    "错误：内部错误（{kind}：{exc}）；请报告此问题（设置 KPSY_DEBUG=1 可看详情）",
                    kind=type(exc).__name__,
                    exc=exc,
                )
            )
            raise typer.Exit(ctx.meta.get(ERROR_EXIT, 1)) from None


def _command(module_name: str, name: str) -> Any:
    """The click command `name`, which the module kpsy.cli.<module_name> defines on its Typer
    `commands`. Only that command is built: typer reads every parameter of a command it builds."""
    import importlib

    import typer.main

    key = (module_name, name)
    if key not in _BUILT:
        module = importlib.import_module(f"kpsy.cli.{module_name}")
        for info in module.commands.registered_commands:
            if (info.name or typer.main.get_command_name(info.callback.__name__)) == name:
                _BUILT[key] = typer.main.get_command_from_info(
                    info, pretty_exceptions_short=True, rich_markup_mode=module.commands.rich_markup_mode
                )
                break
        else:  # a group of commands (export): built whole
            built = typer.main.get_command(module.commands)
            _BUILT[key] = getattr(built, "commands", {}).get(name)
        _reflow(_BUILT[key])
    return _BUILT[key]


def _fix_rich_help() -> None:
    """Help screens show every word of an option's help. rich cuts a wrapped line that holds a wide
    (Chinese) character and fills its cell exactly with "…"; help text that folds instead of
    ellipsizing never loses a character. Done when help is shown, so that no other run pays for rich."""
    import typer.rich_utils as rich_utils

    original = rich_utils._get_parameter_help
    if getattr(original, "kpsy", False):
        return

    def parameter_help(*args: Any, **kwargs: Any) -> Any:
        from rich.text import Text

        columns = original(*args, **kwargs)
        items = [item for item in columns.renderables if isinstance(item, Text)]
        if len(items) == len(columns.renderables):
            return Text(" ", overflow="fold").join(items)
        return columns

    def command_help(*args: Any, **kwargs: Any) -> Any:
        text = original_command_help(*args, **kwargs)
        if hasattr(text, "overflow"):
            text.overflow = "fold"
        return text

    original_command_help = rich_utils._make_command_help
    parameter_help.kpsy = True  # type: ignore[attr-defined]
    rich_utils._get_parameter_help = parameter_help
    rich_utils._make_command_help = command_help


def _reflow(command: Any) -> None:
    """Docstrings are wrapped for the source; help is wrapped for the terminal: each paragraph of a
    command's help (and of its subcommands') becomes one line, which the help screen wraps itself."""
    if command is None:
        return
    shows_help = command.format_help

    def format_help(ctx: Any, formatter: Any) -> None:
        _fix_rich_help()
        shows_help(ctx, formatter)

    command.format_help = format_help
    for attr in ("help", "short_help"):
        text = getattr(command, attr, None)
        if text:
            paragraphs = [" ".join(line.strip() for line in p.splitlines()) for p in text.strip().split("\n\n")]
            setattr(command, attr, "\n\n".join(paragraphs))
    for sub in getattr(command, "commands", {}).values():
        _reflow(sub)


_BUILT: dict[tuple[str, str], Any] = {}


app = typer.Typer(
    name="kpsy",
    cls=KpsyGroup,
    help="A plan of the 全民科学素质行动 genre as data: validate, query, render, diff.",
    no_args_is_help=True,
    add_completion=True,
    context_settings={"help_option_names": ["-h", "--help"]},
    pretty_exceptions_enable=False,
)


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
    bom: Annotated[
        bool,
        typer.Option(
            "--bom/--no-bom",
            envvar="KPSY_CSV_BOM",
            help="Start CSV with a UTF-8 byte-order mark, which Excel and WPS need to read Chinese (the default).",
        ),
    ] = True,
) -> None:
    """kpsy keeps a 全民科学素质行动规划纲要实施方案 as data in git and answers questions about it."""
    from kpsy import i18n
    from kpsy.outputs import formats

    i18n.use(lang.value)
    formats.use_bom(bom)

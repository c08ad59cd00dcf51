"""The `kpsy` application: the Typer app, and the one place where errors become messages and exit codes."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from enum import Enum
from typing import Annotated, Any

import typer
from typer.core import TyperGroup
from typer.exceptions import TyperException

from kpsy import __version__
from kpsy.cli.usage import Localized, adopt, err, quiet_stdout
from kpsy.errors import KpsyError, PipeClosedError, PlanInvalidError
from kpsy.i18n import both, msg

__all__ = ["COMMANDS", "ERROR_EXIT", "KpsyGroup", "app", "err", "quiet_stdout"]

# A command whose exit status 0/1 answers a question (`diff --exit-code`) sets this in the context's
# meta, so that its errors exit with another status.
ERROR_EXIT = "kpsy.error-exit"


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


class KpsyGroup(Localized, TyperGroup):
    """The root command. It finds commands in their modules when they are asked for, and runs
    them; any error that stops one becomes one message on standard error and its exit code, never
    a traceback (KPSY_DEBUG=1 shows one for a bug)."""

    def list_commands(self, ctx: Any) -> list[str]:
        return list(COMMANDS)

    def main(  # type: ignore[override]
        self,
        args: Sequence[str] | None = None,
        prog_name: str | None = None,
        complete_var: str | None = None,
        standalone_mode: bool = True,
        **extra: Any,
    ) -> Any:
        """Run kpsy: the language chosen before anything is parsed (help may come first), usage
        errors reported by kpsy.cli.usage, and the exit status set."""
        from kpsy.cli.usage import choose_language
        from kpsy.i18n import speak_of_flags

        arguments = list(sys.argv[1:] if args is None else args)
        prog_name = prog_name or "kpsy"  # also under `python -m kpsy`: help names the command people type
        choose_language(arguments)
        speak_of_flags(True)  # the core's refusals name parameters as flags while the command runs
        try:
            return self._main(arguments, prog_name, complete_var, standalone_mode, **extra)
        finally:
            speak_of_flags(False)

    def _main(
        self, arguments: list[str], prog_name: str, complete_var: str | None, standalone_mode: bool, **extra: Any
    ) -> Any:
        from typer import _click

        from kpsy.cli.usage import show_error, to_reader

        if not standalone_mode:
            return super().main(arguments, prog_name, complete_var, standalone_mode, **extra)
        try:
            result = super().main(arguments, prog_name, complete_var, standalone_mode=False, **extra)
        except _click.exceptions.NoArgsIsHelpError as exc:
            to_reader(exc.ctx.get_help())
            sys.exit(exc.exit_code)
        except _click.exceptions.ClickException as exc:
            show_error(exc)
            sys.exit(exc.exit_code)
        except typer.Abort:
            err(msg("Aborted.", "已中止。"))
            sys.exit(1)
        sys.exit(result if isinstance(result, int) else 0)

    def get_command(self, ctx: Any, cmd_name: str) -> Any:
        if cmd_name not in COMMANDS:
            return None
        return _command(COMMANDS[cmd_name], cmd_name)

    def invoke(self, ctx: Any) -> Any:
        try:
            return self._invoke(ctx)
        finally:
            if os.environ.get("KPSY_DEBUG"):
                from kpsy.private import notes

                for note in notes:
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
        adopt(module.commands)
        for info in module.commands.registered_commands:
            if (info.name or typer.main.get_command_name(info.callback.__name__)) == name:
                _BUILT[key] = typer.main.get_command_from_info(
                    info, pretty_exceptions_short=True, rich_markup_mode=module.commands.rich_markup_mode
                )
                break
        else:  # a group of commands (export): built whole
            built = typer.main.get_command(module.commands)
            _BUILT[key] = getattr(built, "commands", {}).get(name)
    return _BUILT[key]


_BUILT: dict[tuple[str, str], Any] = {}


app = typer.Typer(
    name="kpsy",
    cls=KpsyGroup,
    help=both(
        "A plan of the 全民科学素质行动 genre as data: validate, query, render, diff.",
        "把全民科学素质行动规划纲要实施方案作为数据管理：校验、查询、生成文件、比较修订。",
    ),
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
        bool,
        typer.Option(
            "--version",
            callback=_version,
            is_eager=True,
            help=both("Show the version and exit.", "显示版本号并退出。"),
        ),
    ] = False,
    lang: Annotated[
        Language,
        typer.Option(
            "--lang",
            envvar="KPSY_LANG",
            help=both(
                "The language of what kpsy prints and writes: zh (Chinese) or en (English).",
                "kpsy 显示和写出的语言：zh（中文）或 en（英文）。",
            ),
        ),
    ] = Language.zh,
    bom: Annotated[
        bool,
        typer.Option(
            "--bom/--no-bom",
            envvar="KPSY_CSV_BOM",
            help=both(
                "Start CSV with a UTF-8 byte-order mark, which Excel and WPS need to read Chinese (the default).",
                "CSV 文件以 UTF-8 字节顺序标记（BOM）开头，Excel 和 WPS 需要它才能正确读出中文（默认）。",
            ),
        ),
    ] = True,
) -> None:
    """kpsy keeps a 全民科学素质行动规划纲要实施方案 as data in git and answers questions about it."""
    from kpsy import i18n
    from kpsy.outputs import formats

    i18n.use(lang.value)
    formats.use_bom(bom)

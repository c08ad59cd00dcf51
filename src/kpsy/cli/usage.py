"""Help screens and usage errors, in the language of the moment: the one place where kpsy's commands
are shown to a person, and where click's own words (Usage, Options, No such option, …) become kpsy's.

Every command kpsy builds is `adopt`ed: its class gains `Localized`, which draws its help with
`help_screen` (texts looked up in kpsy.i18n's catalogue when the screen is drawn, so that `--lang`
and KPSY_LANG count even though commands are built before the root's options are read), shows it
through a reader that may stop early (`kpsy -h | head` exits 0), attaches the command to a usage
error that lacks one, and suggests the nearest command for a mistyped one. `show_error` writes a
usage error as kpsy writes every error: the usage line, where to find help, and one `错误：` line.
"""

from __future__ import annotations

import contextlib
import os
import re
import sys
from collections.abc import Callable, Sequence
from typing import Any

from typer import _click
from typer.core import TyperArgument, TyperCommand, TyperGroup

from kpsy import i18n
from kpsy.i18n import both, joined, msg, tr
from kpsy.light import lazy_re
from kpsy.outputs.layout import display_width, pad, wrap

# The words of typer and click that kpsy's help shows, in the catalogue with kpsy's own.
HELP_OPTION_HELP = both("Show this message and exit.", "显示本帮助并退出。")
both("Install completion for the current shell.", "为当前 shell 安装命令补全。")
both(
    "Show completion for the current shell, to copy it or customize the installation.",
    "显示当前 shell 的补全脚本，可复制或自行安装。",
)
COMMANDS_PANEL = both("Commands", "命令")
OPTIONS_PANEL = both("Options", "选项")
ARGUMENTS_PANEL = both("Arguments", "参数")
EXAMPLES_PANEL = both("Examples", "示例")

PIPED_HELP_WIDTH = 80  # columns of a help screen that goes to a pipe, when COLUMNS does not say
NARROWEST = 30  # no help screen is laid out narrower than this
HELP_COLUMN = 24  # the fewest columns an option's help gets beside its name, else it goes below


# --- writing to the terminal ----------------------------------------------------------------------


def err(message: str) -> None:
    """A line for the person at the terminal, on standard error (control characters made visible)."""
    from kpsy.util import visible

    with contextlib.suppress(OSError, ValueError, UnicodeEncodeError):  # a closed or ascii-only standard error
        sys.stderr.write(visible(message) + "\n")
        sys.stderr.flush()


def quiet_stdout() -> None:
    """Standard output's reader has gone: send what is left nowhere, so that Python's last flush
    does not complain."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, AttributeError, ValueError):
        pass


def to_reader(screen: str) -> None:
    """A help screen on standard output; a reader that stops early (`| head`) is no error."""
    from kpsy.errors import PipeClosedError
    from kpsy.outputs.formats import write_stream

    try:
        write_stream(sys.stdout, screen)
    except PipeClosedError:
        quiet_stdout()


# --- the language, before anything is parsed ------------------------------------------------------


def choose_language(args: Sequence[str]) -> None:
    """Use the language the root's `--lang` names (before the command), else KPSY_LANG's, else Chinese:
    help and usage errors can be shown before the root's options are processed."""
    chosen = [os.environ.get(i18n.ENV_VAR, "").strip().lower()[:2]]
    tokens = iter(args)
    for token in tokens:
        if token == "--lang":
            chosen.append(next(tokens, ""))
        elif token.startswith("--lang="):
            chosen.append(token.partition("=")[2])
        elif token == "--" or not token.startswith("-"):
            break
    i18n.use(next((c for c in reversed(chosen) if c in i18n.LANGUAGES), "zh"))


def screen_width() -> int:
    """Columns of a help screen: COLUMNS, else the terminal's, else 80 for a pipe."""
    import shutil

    columns = os.environ.get("COLUMNS", "")
    if columns.isdigit() and int(columns) > 0:
        width = int(columns)
    elif sys.stdout is not None and sys.stdout.isatty():
        width = shutil.get_terminal_size((PIPED_HELP_WIDTH, 24)).columns
    else:
        width = PIPED_HELP_WIDTH
    return max(width, NARROWEST)


# --- the help screen ------------------------------------------------------------------------------

_WIDE = lazy_re(r"[\u2e80-\u9fff\uff00-\uffef\u3000-\u303f]")


def reflowed(paragraph: str) -> str:
    """A paragraph written over several lines, as one line: lines are joined by a space, except
    between two Chinese characters or punctuation marks, where a space would show."""
    out = ""
    for line in (part.strip() for part in paragraph.splitlines()):
        if out and line and not (_WIDE().match(out[-1]) or _WIDE().match(line[0])):
            out += " "
        out += line
    return out


def paragraphs(help_text: str | None) -> list[str]:
    """A command's or option's help in the current language, one line a paragraph."""
    import inspect

    if not help_text:
        return []
    shown = inspect.cleandoc(tr(help_text)).partition("\f")[0]
    return [reflowed(p) for p in shown.split("\n\n") if p.strip()]


def usage_line(command: Any, ctx: Any) -> str:
    """`用法：kpsy tasks [选项]`: the command's path, then what it takes."""
    pieces = [msg("[OPTIONS]", "[选项]")] if command.options_metavar else []
    for param in command.get_params(ctx):
        if isinstance(param, TyperArgument):
            pieces.append(argument_metavar(param))
    if isinstance(command, TyperGroup):
        pieces.append(msg("COMMAND [ARGS]...", "命令 [参数]..."))
    return msg("Usage: {path} {pieces}", "用法：{path} {pieces}", path=ctx.command_path, pieces=" ".join(pieces))


def argument_metavar(param: Any) -> str:
    """An argument as the usage line and the help show it: ITEM, [NEW], FILE.xlsx..."""
    name = param.metavar or (param.name or "").upper()
    if not param.required and not name.startswith("["):
        name = f"[{name}]"
    if param.nargs == -1 and not name.endswith("..."):
        name += "..."
    return str(name)


def choices_of(param: Any) -> list[str]:
    """The values an option takes when they are a fixed list (--format, --lang), else []."""
    found = getattr(param.type, "choices", None) or []
    return [str(getattr(c, "value", c)) for c in found]


def option_metavar(param: Any) -> str:
    """What an option takes: its metavar, its few choices ([zh|en]), or its kind of value (TEXT)."""
    if getattr(param, "is_flag", False) or getattr(param, "count", False):
        return ""
    if param.metavar:
        return str(param.metavar)
    choices = choices_of(param)
    if choices:
        listed = "[" + "|".join(choices) + "]"
        return listed if len(listed) <= 24 else max(param.opts, key=len).lstrip("-").upper()
    kind = str(param.type.name).lower()
    return {"str": "TEXT", "string": "TEXT", "text": "TEXT"}.get(kind, kind.upper())


def spec(param: Any) -> str:
    """An option or argument as the help screen names it: `-u, --unit TEXT`, `--bom / --no-bom`, `ITEM`."""
    if isinstance(param, TyperArgument):
        return argument_metavar(param)
    names = ", ".join(sorted(param.opts, key=lambda o: (o.startswith("--"), o)))
    if param.secondary_opts:
        names += " / " + ", ".join(param.secondary_opts)
    metavar = option_metavar(param)
    return f"{names} {metavar}" if metavar else names


def default_shown(param: Any, ctx: Any) -> str | None:
    """An option's default as the help screen shows it (None when there is none worth showing)."""
    from enum import Enum

    if param.show_default is False or (getattr(param, "is_flag", False) and not param.secondary_opts):
        return None
    if isinstance(param.show_default, str):
        return param.show_default
    default = param.get_default(ctx, call=False)
    if default is None or default == () or default == [] or callable(default):
        return None
    if isinstance(default, bool):
        chosen = param.opts if default else param.secondary_opts
        return chosen[0].lstrip("-") if chosen else None
    return str(default.value if isinstance(default, Enum) else default)


def notes(param: Any, ctx: Any) -> str:
    """[默认：zh；环境变量：KPSY_LANG；必填]: an option's default, variable and whether it is needed."""
    bits: list[str] = []
    if isinstance(param, TyperArgument):
        return ""
    default = default_shown(param, ctx)
    if default is not None:
        bits.append(msg("default: {v}", "默认：{v}", v=default))
    if param.envvar and getattr(param, "show_envvar", True):
        names = param.envvar if isinstance(param.envvar, str) else ", ".join(param.envvar)
        bits.append(msg("env var: {v}", "环境变量：{v}", v=names))
    if param.required:
        bits.append(msg("required", "必填"))
    return "[" + msg("; ", "；").join(bits) + "]" if bits else ""


def param_rows(command: Any, ctx: Any) -> list[tuple[str, list[tuple[str, str]]]]:
    """The panels of arguments and options: (title, [(spec, help)]), in the order typer shows them."""
    panels: dict[str, list[tuple[str, str]]] = {}
    arguments = [p for p in command.get_params(ctx) if isinstance(p, TyperArgument)]
    options = [p for p in command.get_params(ctx) if p not in arguments]
    for group, default in ((arguments, ARGUMENTS_PANEL), (options, OPTIONS_PANEL)):
        panels.setdefault(default, [])
        for param in group:
            if getattr(param, "hidden", False):
                continue
            help_text = reflowed("\n".join([*paragraphs(param.help), notes(param, ctx)]))
            panels.setdefault(getattr(param, "rich_help_panel", None) or default, []).append((spec(param), help_text))
    return [(title, rows) for title, rows in panels.items() if rows]


def command_rows(command: Any, ctx: Any) -> list[tuple[str, list[tuple[str, str]]]]:
    """The panels of a group's commands: (title, [(name, first paragraph of its help)])."""
    panels: dict[str, list[tuple[str, str]]] = {}
    for name in command.list_commands(ctx):
        sub = command.get_command(ctx, name)
        if sub is None or sub.hidden:
            continue
        first = (paragraphs(sub.short_help or sub.help) or [""])[0]
        panels.setdefault(getattr(sub, "rich_help_panel", None) or COMMANDS_PANEL, []).append((name, first))
    return list(panels.items())


def panel(title: str, rows: list[tuple[str, str]], width: int, left: int) -> list[str]:
    """A boxed panel of two columns; a name wider than `left`, or a screen too narrow for both
    columns, puts the help below the name. Nothing is ever cut: long text wraps."""
    inner = width - 4
    shown_title = tr(title)
    lines = ["╭─ " + shown_title + " " + "─" * max(inner - 1 - display_width(shown_title), 0) + "╮"]
    beside = inner - left - 2 >= HELP_COLUMN
    for name, help_text in rows:
        if beside and display_width(name) <= left:
            body = wrap(help_text, inner - left - 2) if help_text else [""]
            cells = [pad(name, left) + "  " + body[0], *(" " * (left + 2) + line for line in body[1:])]
        else:
            indent = left + 2 if beside else 4
            cells = [*wrap(name, inner), *(" " * indent + line for line in wrap(help_text, inner - indent))]
        lines += ["│ " + pad(cell, inner) + " │" for cell in cells if cell or not help_text]
    return [*lines, "╰" + "─" * (width - 2) + "╯"]


def help_screen(command: Any, ctx: Any) -> str:
    """The whole help screen of `command`, laid out for `screen_width()` columns."""
    width = screen_width()
    lines = ["", *(" " + line for line in wrap(usage_line(command, ctx), width - 2, indent=4)), ""]
    for paragraph in paragraphs(command.help):
        lines += [" " + line for line in wrap(paragraph, width - 2)] + [""]
    for group in (param_rows(command, ctx), command_rows(command, ctx) if isinstance(command, TyperGroup) else []):
        names = [display_width(name) for _, rows in group for name, _ in rows]
        left = min(max(names, default=0), (width - 4) * 2 // 5)
        for title, rows in group:
            lines += panel(title, rows, width, left)
    examples = example_rows(command)
    if examples:
        lines += panel(EXAMPLES_PANEL, examples, width, min(max(display_width(c) for c, _ in examples), width - 4))
    return "\n".join(lines) + "\n"


def example_rows(command: Any) -> list[tuple[str, str]]:
    """A command's examples (its epilog, one a line: the command, two spaces, what it does)."""
    if not command.epilog:
        return []
    import inspect

    lines = inspect.cleandoc(tr(command.epilog)).splitlines()
    return [(cmd.strip(), note.strip()) for cmd, _, note in (line.partition("  ") for line in lines if line.strip())]


# --- usage errors ---------------------------------------------------------------------------------


def _hint(param: Any) -> str:
    if param is None:
        return ""
    if isinstance(param, TyperArgument):
        return argument_metavar(param)
    return " / ".join(param.opts)


def _choice_problem(value: str, param: Any) -> str:
    from kpsy.util import suggest

    choices = choices_of(param)
    close = suggest(value, choices)
    said = msg("'{v}' is not one of {c}", "“{v}”不是可选的值；可选 {c}", v=value, c=joined(choices))
    return said + (msg("; did you mean {s}?", "；是否要找：{s}？", s=joined(close)) if close else "")


# What click's types say of a bad value, in both languages (the value is group 1).
_VALUE_PROBLEMS: list[tuple[Callable[[], re.Pattern[str]], str, str]] = [
    (
        lazy_re(r"^'?(.*?)'? is not a valid integer( range)?\.?$", re.S),
        "'{v}' is not a whole number",
        "“{v}”不是整数",
    ),
    (lazy_re(r"^'?(.*?)'? is not a valid float( range)?\.?$", re.S), "'{v}' is not a number", "“{v}”不是数"),
    (
        lazy_re(r"^'?(.*?)'? is not a valid boolean\..*$", re.S),
        "'{v}' is not yes or no (true, false, 1, 0)",
        "“{v}”不是是非值（true、false、1、0）",
    ),
    (lazy_re(r"^(.*?) is not in the range (.*)\.$", re.S), "{v} is out of range ({r})", "{v} 超出范围（{r}）"),
    (
        lazy_re(r"^'?(.*?)'? does not match the formats (.*)\.$", re.S),
        "'{v}' is not in the form {r}",
        "“{v}”不符合格式 {r}",
    ),
]


def value_problem(exc: Any) -> str:
    """What is wrong with a value click refused: a choice not on the list (with the nearest), a
    number that is not one; kpsy's own messages (from its callbacks) are already in the language."""
    message = str(exc.message)
    found = re.match(r"^'(.*)' is not one of .*$", message, re.S)
    if found and exc.param is not None and choices_of(exc.param):
        return _choice_problem(found.group(1), exc.param)
    for pattern, en, zh in _VALUE_PROBLEMS:
        found = pattern().match(message)
        if found:
            groups = found.groups()
            return msg(en, zh, v=groups[0], r=groups[1] if len(groups) > 1 and groups[1] else "")
    return message


def _missing(exc: Any) -> str:
    param = exc.param
    is_argument = isinstance(param, TyperArgument)
    said = (
        msg("missing argument {p}", "缺少参数 {p}", p=_hint(param))
        if is_argument
        else msg("missing option {p}", "缺少选项 {p}", p=_hint(param))
    )
    choices = choices_of(param) if param is not None else []
    return said + (msg("; choose {c}", "；可选 {c}", c=joined(choices)) if choices else "")


def _no_such_option(exc: Any) -> str:
    import difflib

    option = str(exc.option_name)
    known: list[str] = []
    ctx = exc.ctx
    if ctx is not None:
        for param in ctx.command.get_params(ctx):
            known += [*param.opts, *param.secondary_opts]
    close = difflib.get_close_matches(option, [k for k in known if k.startswith("--")], n=3, cutoff=0.6)
    said = msg('no such option "{o}"', '没有选项 "{o}"', o=option)
    root = ctx.find_root() if ctx is not None else None
    if (
        root is not None
        and root is not ctx
        and option.split("=")[0] in [o for p in root.command.params for o in p.opts]
    ):
        return said + msg(
            "; {o} is kpsy's own option: put it before the command (kpsy {o} … {c})",
            "；{o} 是 kpsy 本身的选项，要写在命令之前（kpsy {o} … {c}）",
            o=option.split("=")[0],
            c=ctx.info_name,
        )
    if close:
        return said + msg(", did you mean {s}?", "，是否要找：{s}？", s=joined(close))
    return said


_USAGE_PROBLEMS: list[tuple[Callable[[], re.Pattern[str]], str, str]] = [
    (lazy_re(r"^Option '(.*)' requires an argument\.$"), "option {a} needs a value", "选项 {a} 需要一个值"),
    (
        lazy_re(r"^Option '(.*)' requires (\d+) arguments\.$"),
        "option {a} needs {b} values",
        "选项 {a} 需要 {b} 个值",
    ),
    (lazy_re(r"^Option '(.*)' does not take a value\.$"), "option {a} takes no value", "选项 {a} 不带值"),
    (lazy_re(r"^Argument '(.*)' takes (\d+) values\.$"), "argument {a} takes {b} values", "参数 {a} 需要 {b} 个值"),
    (
        lazy_re(r"^Got unexpected extra argument(?:\(s\)|s)? \((.*)\)$", re.S),
        "unexpected argument(s): {a}",
        "多余的参数：{a}",
    ),
    (lazy_re(r"^Missing command\.$"), "missing command", "缺少命令"),
    (lazy_re(r"^No such command '(.*)'\.?.*$", re.S), 'no such command "{a}"', '没有命令 "{a}"'),
]


def problem(exc: Any) -> str:
    """What a usage error says, in the current language."""
    if isinstance(exc, _click.exceptions.NoSuchOption):
        return _no_such_option(exc)
    if isinstance(exc, _click.exceptions.MissingParameter):
        return _missing(exc)
    if isinstance(exc, _click.exceptions.BadParameter):
        if exc.param is None and exc.param_hint is None:
            return msg("invalid value: {m}", "值无效：{m}", m=value_problem(exc))
        hint = _hint(exc.param) if exc.param_hint is None else " / ".join(exc.param_hint)
        return msg("invalid value for {p}: {m}", "{p} 的值无效：{m}", p=hint, m=value_problem(exc))
    message = str(exc.message if hasattr(exc, "message") else exc)
    for pattern, en, zh in _USAGE_PROBLEMS:
        found = pattern().match(message)
        if found:
            groups = [*found.groups(), "", ""]
            return msg(en, zh, a=groups[0], b=groups[1])
    return message


def show_error(exc: Any) -> None:
    """A usage error on standard error: the usage line, where to find help, and what is wrong."""
    ctx = getattr(exc, "ctx", None)
    if ctx is not None:
        err(usage_line(ctx.command, ctx))
        if ctx.command.get_help_option(ctx) is not None:
            where = f"{ctx.command_path} {ctx.help_option_names[0]}"
            err(msg("Try '{c}' for help.", "用 `{c}` 查看帮助。", c=where))
    err(msg("Error: {m}", "错误：{m}", m=problem(exc)))


# --- kpsy's commands ------------------------------------------------------------------------------


def _show_help(ctx: Any, param: Any, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        to_reader(ctx.get_help())
        ctx.exit(0)


class Localized:
    """What every kpsy command (and group) does besides typer's: help and usage errors in the
    language of the moment."""

    __slots__ = ()

    def format_help(self, ctx: Any, formatter: Any) -> None:
        formatter.write(help_screen(self, ctx))

    def get_help(self, ctx: Any) -> str:
        return help_screen(self, ctx)

    def get_usage(self, ctx: Any) -> str:
        return usage_line(self, ctx)

    def get_help_option(self, ctx: Any) -> Any:
        option = super().get_help_option(ctx)  # type: ignore[misc]
        if option is not None:
            option.callback = _show_help
            option.help = HELP_OPTION_HELP
        return option

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        try:
            return super().parse_args(ctx, args)  # type: ignore[misc, no-any-return]
        except _click.exceptions.UsageError as exc:
            if exc.ctx is None:
                exc.ctx, exc.cmd = ctx, ctx.command
            raise

    def resolve_command(self, ctx: Any, args: list[str]) -> Any:
        """A command that is not there is named, with the nearest that is."""
        from kpsy.util import suggest

        name = args[0] if args else ""
        if name and not name.startswith("-") and self.get_command(ctx, name) is None:  # type: ignore[attr-defined]
            close = suggest(name, self.list_commands(ctx))  # type: ignore[attr-defined]
            said = msg('no such command "{c}"', '没有命令 "{c}"', c=name)
            if close:
                said += msg(", did you mean {s}?", "，是否要找：{s}？", s=joined(close))
            raise _click.exceptions.UsageError(said, ctx)
        return super().resolve_command(ctx, args)  # type: ignore[misc]


class KpsyCommand(Localized, TyperCommand):
    """A kpsy command."""

    __slots__ = ()


class KpsySubGroup(Localized, TyperGroup):
    """A group of kpsy commands under the root (export, progress)."""

    __slots__ = ()


def adopt(app: Any) -> None:
    """Every command and group of a Typer app (and of the apps added to it) built as kpsy's: with
    help and usage errors drawn by this module."""
    for info in app.registered_commands:
        info.cls = _localized(info.cls or TyperCommand, KpsyCommand)
    for group in app.registered_groups:
        group.cls = KpsySubGroup
        adopt(group.typer_instance)


def _localized(cls: type, default: type) -> type:
    if issubclass(cls, Localized):
        return cls
    return default if cls in (TyperCommand, TyperGroup) else type(cls.__name__, (Localized, cls), {})

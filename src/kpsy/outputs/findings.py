"""How `kpsy validate` shows findings: rich text, plain lines, JSON, GitHub annotations."""

from __future__ import annotations

import os

from kpsy.findings import CheckResult, Problem
from kpsy.i18n import msg
from kpsy.outputs.formats import Family, Format, Sink
from kpsy.util import display_path, dump_json


def plain_line(p: Problem) -> str:
    return f"{p.location()}: {p.level.value} {p.rule}: {p.message}"


def local_line(p: Problem) -> str:
    """A finding for a person, in kpsy's language: `plan/settings.yaml:17:1：警告 issuer：…`."""
    level = {"error": msg("error", "错误"), "warning": msg("warning", "警告")}.get(p.level.value, msg("note", "提示"))
    return msg(
        "{where}: {level} {rule}: {m}",
        "{where}：{level} {rule}：{m}",
        where=p.location(),
        level=level,
        rule=p.rule,
        m=p.message,
    )


def summary(result: CheckResult) -> str:
    name = display_path(result.root)
    errors, warnings = len(result.errors), len(result.warnings)
    if not errors and not warnings:
        return msg("{name}: valid, no problems", "{name}：检查通过，没有问题", name=name)
    return msg(
        "{name}: {errors} error{es}, {warnings} warning{ws}",
        "{name}：{errors} 处错误，{warnings} 处警告",
        name=name,
        errors=errors,
        warnings=warnings,
        es="s" * (errors != 1),
        ws="s" * (warnings != 1),
    )


def write_plain(result: CheckResult, sink: Sink) -> None:
    """`file:line:col: level rule: message`, one per line."""
    sink.write("".join(plain_line(p) + "\n" for p in result.problems))


def write_text(result: CheckResult, sink: Sink) -> None:
    """Coloured lines and a summary, for a person at a terminal (the level in kpsy's language; the
    plain format keeps `error` / `warning` for programs)."""
    from rich.console import Console
    from rich.text import Text

    console = Console(file=sink.stream, highlight=False, soft_wrap=True, emoji=False, markup=False)
    for p in result.problems:
        style = "red" if p.is_error else "yellow"
        level = {"error": msg("error", "错误"), "warning": msg("warning", "警告")}.get(
            p.level.value, msg("note", "提示")
        )
        line = Text.assemble((p.location(), "bold"), ": ", (level, style), " ", (p.rule, "dim"), ": ", p.message)
        console.print(line)
    style = "red" if result.errors else "yellow" if result.warnings else "green"
    console.print(Text(summary(result), style=style))


def write_json(result: CheckResult, sink: Sink) -> None:
    """A JSON object: plan, ok, counts, and the problems with file, line, col, rule, level, message."""
    data = {
        "plan": display_path(result.root),
        "ok": not result.errors,
        "errors": len(result.errors),
        "warnings": len(result.warnings),
        "problems": [
            {"file": p.file, "line": p.line, "col": p.col, "rule": p.rule, "level": p.level.value, "message": p.message}
            for p in result.problems
        ],
    }
    sink.write(dump_json(data))


def _gh_data(s: str) -> str:
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_property(s: str) -> str:
    return _gh_data(s).replace(":", "%3A").replace(",", "%2C")


def write_github(result: CheckResult, sink: Sink) -> None:
    """GitHub Actions workflow commands: `::error file=…,line=…,col=…,title=…::message`."""
    lines = []
    for p in result.problems:
        props = [f"file={_gh_property(p.file)}"]
        if p.line:
            props += [f"line={p.line}", f"col={p.col}"]
        props.append(f"title={_gh_property('kpsy ' + p.rule)}")
        lines.append(f"::{p.level.value} {','.join(props)}::{_gh_data(p.message)}\n")
    sink.write("".join(lines))


def write_auto(result: CheckResult, sink: Sink) -> None:
    """GitHub annotations under GitHub Actions, rich text on a terminal, plain lines otherwise."""
    if os.environ.get("GITHUB_ACTIONS") == "true":
        write_github(result, sink)
    elif sink.terminal:
        write_text(result, sink)
    else:
        write_plain(result, sink)


FORMATS: Family[CheckResult] = Family(
    "findings",
    Format("auto", "github under GitHub Actions, text on a terminal, plain otherwise", write_auto),
    Format("text", "coloured lines and a summary", write_text),
    Format("plain", "file:line:col: level rule: message", write_plain),
    Format("json", "one object with every problem", write_json),
    Format("github", "GitHub Actions annotations", write_github),
)

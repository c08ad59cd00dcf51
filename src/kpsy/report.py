"""Output: reporters for validation results, and atomic file writing.

Reporters turn a result into text for one format; the CLI picks one with `--format`. rich is
imported only by the reporters that draw on a terminal.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from kpsy.check import CheckResult
from kpsy.errors import OutputError, Problem


def _plain_line(p: Problem) -> str:
    return f"{p.location()}: {p.level.value} {p.rule}: {p.message}"


def summary(result: CheckResult, plan_name: str) -> str:
    errors, warnings = len(result.errors), len(result.warnings)
    if not errors and not warnings:
        return f"{plan_name}: valid, no problems"
    parts = [f"{errors} error{'s' * (errors != 1)}", f"{warnings} warning{'s' * (warnings != 1)}"]
    return f"{plan_name}: {', '.join(parts)}"


def report_plain(result: CheckResult, out: TextIO, plan_name: str) -> None:
    """`file:line:col: level rule: message`, one per line."""
    for p in result.problems:
        out.write(_plain_line(p) + "\n")


def report_text(result: CheckResult, out: TextIO, plan_name: str) -> None:
    """Coloured lines and a summary, for a person at a terminal."""
    from rich.console import Console
    from rich.markup import escape

    console = Console(file=out, highlight=False, soft_wrap=True)
    for p in result.problems:
        style = "red" if p.is_error else "yellow"
        console.print(
            f"[bold]{escape(p.location())}[/]: [{style}]{p.level.value}[/] [dim]{p.rule}[/]: {escape(p.message)}"
        )
    style = "red" if result.errors else "yellow" if result.warnings else "green"
    console.print(f"[{style}]{escape(summary(result, plan_name))}[/]")


def report_json(result: CheckResult, out: TextIO, plan_name: str) -> None:
    """A JSON object: plan, ok, counts, and the problems with file, line, col, rule, level, message."""
    data = {
        "plan": plan_name,
        "ok": not result.errors,
        "errors": len(result.errors),
        "warnings": len(result.warnings),
        "problems": [
            {"file": p.file, "line": p.line, "col": p.col, "rule": p.rule, "level": p.level.value, "message": p.message}
            for p in result.problems
        ],
    }
    out.write(json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def _gh_data(s: str) -> str:
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_property(s: str) -> str:
    return _gh_data(s).replace(":", "%3A").replace(",", "%2C")


def report_github(result: CheckResult, out: TextIO, plan_name: str) -> None:
    """GitHub Actions workflow commands: `::error file=…,line=…,col=…,title=…::message`."""
    for p in result.problems:
        props = [f"file={_gh_property(p.file)}"]
        if p.line:
            props += [f"line={p.line}", f"col={p.col}"]
        props.append(f"title={_gh_property('kpsy ' + p.rule)}")
        out.write(f"::{p.level.value} {','.join(props)}::{_gh_data(p.message)}\n")


Reporter = Callable[[CheckResult, TextIO, str], None]
REPORTERS: dict[str, Reporter] = {
    "text": report_text,
    "plain": report_plain,
    "json": report_json,
    "github": report_github,
}


def choose_format(name: str, is_tty: bool) -> str:
    """`auto`: GitHub annotations under GitHub Actions, rich text on a terminal, plain lines otherwise."""
    if name != "auto":
        return name
    if os.environ.get("GITHUB_ACTIONS") == "true":
        return "github"
    return "text" if is_tty else "plain"


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write `data` to `path` through a temporary file and a rename: never a half-written file."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    folder = path.parent if str(path.parent) else Path(".")
    tmp: str | None = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
        tmp = None
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from exc
    finally:
        if tmp is not None and os.path.exists(tmp):
            os.unlink(tmp)

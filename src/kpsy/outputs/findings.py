"""How `kpsy validate` and `kpsy proof` show findings: rich text, plain lines, a table, JSON, GitHub
annotations, SARIF. A proofreading finding also shows the text found, the text suggested and the
clause of the standard (`describe`)."""

from __future__ import annotations

import os
from typing import Any

from kpsy.findings import CheckResult, Problem
from kpsy.i18n import both, msg
from kpsy.outputs.formats import Family, Format, Sink
from kpsy.util import display_path, dump_json


def _shorten(text: str, most: int = 30) -> str:
    if len(text) <= most:
        return text
    keep = (most - 1) // 2
    return text[:keep] + "…" + text[-keep:]


def describe(p: Problem) -> str:
    """The finding's message, and for a proofreading finding the text found (with a character on
    each side when it is short), the text suggested and the clause it applies."""
    edit = p.edit
    if edit is None:
        return p.message
    found = msg("{m}: 「{f}」", "{m}：「{f}」", m=p.message, f=_shorten(edit.before + edit.found + edit.after))
    if edit.suggested is not None:
        found += msg(" → 「{s}」", "→「{s}」", s=_shorten(edit.before + edit.suggested + edit.after))
    return found + (msg(" ({c})", "（{c}）", c=p.clause) if p.clause else "")


def plain_line(p: Problem) -> str:
    return f"{p.location()}: {p.level.value} {p.rule}: {describe(p)}"


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
    if result.strict:  # proofreading: every finding is one to act on
        return proof_summary(result)
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
        line = Text.assemble((p.location(), "bold"), ": ", (level, style), " ", (p.rule, "dim"), ": ", describe(p))
        console.print(line)
    style = "red" if result.errors else "yellow" if result.warnings else "green"
    console.print(Text(summary(result), style=style))


def proof_summary(result: CheckResult) -> str:
    safe = sum(1 for p in result.problems if p.edit is not None and p.edit.safe)
    return msg(
        "{name}: {n} finding{s}, {safe} of which `kpsy proof --fix` can make",
        "{name}：共 {n} 处问题，其中 {safe} 处可由 `kpsy proof --fix` 自动修正",
        name=display_path(result.root),
        n=len(result.problems),
        s="s" * (len(result.problems) != 1),
        safe=safe,
    )


def _json_problem(p: Problem) -> dict[str, object]:
    data: dict[str, object] = {
        "file": p.file,
        "line": p.line,
        "col": p.col,
        "rule": p.rule,
        "level": p.level.value,
        "message": p.message,
    }
    if p.edit is not None:
        data |= {
            "clause": p.clause,
            "found": p.edit.found,
            "suggested": p.edit.suggested,
            "fixable": p.edit.safe,
            "end_line": p.edit.end_line,
            "end_col": p.edit.end_col,
        }
    return data


def write_json(result: CheckResult, sink: Sink) -> None:
    """A JSON object: plan, ok, counts, and the problems with file, line, col, rule, level, message;
    a proofreading finding also has clause, found, suggested (null when none), fixable, end_line and
    end_col."""
    data = {
        "plan": display_path(result.root),
        "ok": result.ok(),
        "errors": len(result.errors),
        "warnings": len(result.warnings),
        "problems": [_json_problem(p) for p in result.problems],
    }
    sink.write(dump_json(data))


def _gh_data(s: str) -> str:
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_property(s: str) -> str:
    return _gh_data(s).replace(":", "%3A").replace(",", "%2C")


def write_github(result: CheckResult, sink: Sink) -> None:
    """GitHub Actions workflow commands: `::error file=…,line=…,col=…,title=…::message` (with
    endLine and endColumn for a proofreading finding), which annotate a pull request's lines."""
    lines = []
    for p in result.problems:
        props = [f"file={_gh_property(p.file)}"]
        if p.line:
            props += [f"line={p.line}", f"col={p.col}"]
            if p.edit is not None and p.edit.end_line:
                props += [f"endLine={p.edit.end_line}", f"endColumn={p.edit.end_col}"]
        props.append(f"title={_gh_property('kpsy ' + p.rule)}")
        level = "notice" if p.level.value == "info" else p.level.value
        lines.append(f"::{level} {','.join(props)}::{_gh_data(describe(p))}\n")
    sink.write("".join(lines))


def _record(p: Problem, levels: bool) -> dict[str, str]:
    record = {"file": p.file, "where": f"{p.line}:{p.col}" if p.line else "", "rule": p.rule, "message": p.message}
    if levels:
        names = {"error": msg("error", "错误"), "warning": msg("warning", "警告")}
        record["level"] = names.get(p.level.value, msg("note", "提示"))
    edit = p.edit
    if edit is not None:
        found = _shorten(edit.before + edit.found + edit.after, 20)
        if edit.suggested is not None:
            found += " → " + _shorten(edit.before + edit.suggested + edit.after, 20)
        record |= {"change": found, "clause": p.clause}
        record["fix"] = msg("kpsy", "自动") if edit.safe else msg("by hand", "人工")
    return record


def findings_table(result: CheckResult) -> Any:
    """The findings as a listing, a section a file: place, level (not for proofreading, where every
    finding counts), rule, problem, and for proofreading findings the text found and the text
    suggested, the clause, and who makes the change (kpsy proof --fix, or a person)."""
    from kpsy.outputs.listing import Column, Listing

    columns = [
        Column("file", msg("File", "文件"), in_table=False),
        Column("where", msg("Line:col", "行:列"), wrap=False, fixed=True),
        Column("level", msg("Level", "级别"), wrap=False, optional=True),
        Column("rule", msg("Rule", "规则"), wrap=False),
        Column("message", msg("Problem", "问题")),
        Column("change", msg("Found → suggested", "原文 → 建议"), optional=True),
        Column("clause", msg("Clause", "依据"), optional=True),
        Column("fix", msg("Fix", "修正"), optional=True, wrap=False),
    ]
    records = [_record(p, not result.strict) for p in result.problems]
    title = msg("Findings", "检查结果")
    return Listing(title, columns, records, group=lambda r: (r["file"], []), footer=[summary(result)])


def write_table(result: CheckResult, sink: Sink) -> None:
    """A table a file: place, level, rule, problem (and found, suggested, clause, fix), then a summary."""
    if not result.problems:
        sink.write(summary(result) + "\n")
        return
    from kpsy.outputs.listing import render_plain, render_rich

    listing = findings_table(result)
    if sink.terminal:
        render_rich(listing, sink.stream, sink.width)
    else:
        sink.write(render_plain(listing, sink.width))


def write_sarif(result: CheckResult, sink: Sink) -> None:
    """One SARIF 2.1.0 log: the rules, each finding at its region, safe changes as fixes."""
    from kpsy.outputs.sarif import sarif

    sink.write(dump_json(sarif(result, describe)))


def write_auto(result: CheckResult, sink: Sink) -> None:
    """GitHub annotations under GitHub Actions, rich text on a terminal, plain lines otherwise."""
    if os.environ.get("GITHUB_ACTIONS") == "true":
        write_github(result, sink)
    elif sink.terminal:
        write_text(result, sink)
    else:
        write_plain(result, sink)


FINDINGS_FORMATS: Family[CheckResult] = Family(
    "findings",
    Format(
        "auto",
        both(
            "github under GitHub Actions, text on a terminal, plain otherwise",
            "在 GitHub Actions 中为 github，在终端为 text，否则为 plain",
        ),
        write_auto,
    ),
    Format("text", both("coloured lines and a summary", "彩色的逐条问题和汇总"), write_text),
    Format("plain", both("file:line:col: level rule: message", "文件:行:列: 级别 规则: 说明"), write_plain),
    Format("json", both("one object with every problem", "包含全部问题的一个 JSON 对象"), write_json),
    Format("github", both("GitHub Actions annotations", "GitHub Actions 注释"), write_github),
    Format(
        "table",
        both(
            "a table a file: place, rule, problem (found, suggested, clause)",
            "每个文件一张表：位置、规则、问题（原文、建议、依据条款）",
        ),
        write_table,
    ),
    Format(
        "sarif",
        both(
            "SARIF 2.1.0, for code scanning (safe changes as fixes)",
            "SARIF 2.1.0，供代码扫描使用（安全的修改作为修复）",
        ),
        write_sarif,
    ),
)
# `kpsy proof`: a table by default, for the person who reads the findings and makes the changes.
PROOF_FORMATS: Family[CheckResult] = FINDINGS_FORMATS.led_by(
    "table", "json", "github", "sarif", "plain", "text", name="proof"
)

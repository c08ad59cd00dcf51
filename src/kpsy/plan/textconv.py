"""A readable canonical text of one plan file, for `git diff` through diff.kpsy.textconv.

git hands textconv a temporary copy, so the kind of file is told from its keys, not its name. Text
is broken into one sentence a line, so a changed sentence shows as one changed line. A file that
cannot be read as a plan file is printed as it is: textconv must never hide a change.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from pathlib import Path
from typing import Any

from kpsy.plan.kinds import KINDS, Kind

_SENTENCE = re.compile(r"(?<=[。；！？])")


def sentences(text: str, indent: str = "  ") -> list[str]:
    return [indent + s for s in _SENTENCE.split(text) if s]


def _kind(data: dict[str, Any]) -> str:
    """The kind whose record has the most of these keys (and, on a tie, the fewest others)."""
    keys = set(data)

    def fit(kind: Kind) -> tuple[int, int]:
        names = {f.name for f in dataclasses.fields(kind.model)}
        return len(keys & names), -len(names - keys)

    return max(KINDS.values(), key=fit).name


def _value(value: Any) -> str:
    if isinstance(value, list):
        return "、".join(map(str, value))
    return str(value)


def _fields(record: dict[str, Any], indent: str = "") -> list[str]:
    lines = []
    for key, value in record.items():
        if isinstance(value, dict):
            lines.append(f"{indent}{key}:")
            lines += _fields(value, indent + "  ")
        elif isinstance(value, str) and len(value) > 40:
            lines.append(f"{indent}{key}:")
            lines += sentences(value, indent + "  ")
        else:
            lines.append(f"{indent}{key}: {_value(value)}")
    return lines


def _chapter(data: dict[str, Any]) -> list[str]:
    out = [f"chapter {data.get('id')}: {data.get('title')}"]
    if data.get("body"):
        out += sentences(data["body"])
    for paragraph in data.get("paragraphs", []):
        out += ["", "paragraph:", *sentences(paragraph)]
    for task in data.get("tasks", []):
        out += ["", f"task {task.get('id')}: {task.get('title')}"]
        if task.get("body"):
            out += sentences(task["body"])
    resp = data.get("responsibility")
    if resp:
        out += ["", "responsibility:", "  leads:"]
        out += [f"    {name}" for name in resp.get("leads", [])]
        out.append("  participants:" + (" (等单位)" if resp.get("etc") else ""))
        out += [f"    {name}" for name in resp.get("participants", [])]
    return out


def _progress(data: dict[str, Any]) -> list[str]:
    out = [f"progress {data.get('unit')} {data.get('period')}"]
    out += [f"{key}: {data[key]}" for key in ("reporter", "approver", "date") if key in data]
    for task in data.get("tasks", []):
        if not isinstance(task, dict):
            continue
        percent = f" {_value(task['percent'])}%" if "percent" in task else ""
        out += ["", f"task {task.get('task')}: {task.get('status')}{percent}"]
        for key in ("progress", "problems", "next_steps"):
            if task.get(key):
                out += [f"  {key}:", *sentences(str(task[key]), "    ")]
        if task.get("evidence"):
            out += ["  evidence:", *(f"    {item}" for item in task["evidence"])]
    for actual in data.get("indicators", []):
        if isinstance(actual, dict):
            out += [
                "",
                f"indicator {actual.get('target')}: {actual.get('value')} ({actual.get('date')}, {actual.get('source')})",
            ]
    return out


def canonical(data: dict[str, Any]) -> str:
    kind = _kind(data)
    if kind == "chapter":
        lines = _chapter(data)
    elif kind == "progress":
        lines = _progress(data)
    elif kind == "part":
        lines = [f"part {data.get('id')}: {data.get('title')} ({data.get('kind', 'text')})"]
        for paragraph in data.get("intro", []):
            lines += ["", "intro:", *sentences(paragraph)]
        lines += ["", "chapters:", *(f"  {c}" for c in data.get("chapters", []))]
    elif kind in ("units", "targets", "schedule"):
        key = {"units": "units", "targets": "targets", "schedule": "milestones"}[kind]
        lines = [kind]
        for record in data.get(key, []):
            lines += ["", f"{record.get('id')}:", *_fields({k: v for k, v in record.items() if k != "id"}, "  ")]
    else:
        lines = [kind, *_fields(data)]
    return "\n".join(lines) + "\n"


def textconv(path: Path) -> str:
    """The canonical text of the plan file at `path`, or its raw text when it is not one."""
    from kpsy.plan.reader import parse, read_text

    text, problems = read_text(path, str(path))
    if text is None:
        try:
            return path.read_bytes().decode("utf-8", "replace")
        except OSError:
            return ""
    doc, problems = parse(text, str(path))
    if problems or not isinstance(doc.data, dict):
        return text
    return canonical(_plain(doc.data))


def _plain(value: Any) -> Any:
    """Dates and numbers as the YAML wrote them."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value

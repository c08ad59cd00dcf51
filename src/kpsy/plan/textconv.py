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


class _Shape(Exception):
    """The data is not shaped as its kind's file; it is shown as written instead."""


def _list(value: Any) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise _Shape
    return value


def _map(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise _Shape
    return value


def _text(value: Any) -> str:
    if isinstance(value, dict | list):
        raise _Shape
    return _value(value)


def _rest(data: dict[str, Any], shown: set[str], indent: str = "") -> list[str]:
    """Keys a view did not show (a misspelt key, a new one): shown as they are, so a diff sees them."""
    extra = {k: v for k, v in data.items() if k not in shown}
    return ["", "other keys:", *_fields(extra, indent + "  ")] if extra else []


def _chapter(data: dict[str, Any]) -> list[str]:
    out = [f"chapter {_text(data.get('id'))}: {_text(data.get('title'))}"]
    if data.get("body"):
        out += sentences(_text(data["body"]))
    for paragraph in _list(data.get("paragraphs")):
        out += ["", "paragraph:", *sentences(_text(paragraph))]
    for task in _list(data.get("tasks")):
        task = _map(task)
        out += ["", f"task {_text(task.get('id'))}: {_text(task.get('title'))}"]
        if task.get("body"):
            out += sentences(_text(task["body"]))
        for paragraph in _list(task.get("paragraphs")):
            out += ["", "  paragraph:", *sentences(_text(paragraph), "    ")]
        for item in _list(task.get("items")):
            item = _map(item)
            out += ["", f"  item: {_text(item.get('title'))}", *sentences(_text(item.get("body") or ""), "    ")]
            for paragraph in _list(item.get("paragraphs")):
                out += ["", "  paragraph:", *sentences(_text(paragraph), "    ")]
            out += _rest(item, {"title", "body", "paragraphs"}, "  ")
        if task.get("responsibility"):
            out += _responsibility(_map(task["responsibility"]), "  ")
        out += _rest(task, {"id", "title", "body", "paragraphs", "items", "responsibility"}, "  ")
    if data.get("responsibility"):
        out += _responsibility(_map(data["responsibility"]))
    return out + _rest(data, {"id", "title", "body", "paragraphs", "tasks", "responsibility"})


def _responsibility(resp: dict[str, Any], indent: str = "") -> list[str]:
    out = ["", f"{indent}responsibility:", f"{indent}  leads:"]
    out += [f"{indent}    {_text(name)}" for name in _list(resp.get("leads"))]
    out.append(f"{indent}  participants:" + (" (等单位)" if resp.get("etc") else ""))
    out += [f"{indent}    {_text(name)}" for name in _list(resp.get("participants"))]
    others = {k: v for k, v in resp.items() if k not in ("leads", "participants", "etc")}
    return out + _fields(others, indent + "  ")


def _part(data: dict[str, Any]) -> list[str]:
    lines = [f"part {_text(data.get('id'))}: {_text(data.get('title'))} ({_text(data.get('kind', 'text'))})"]
    for paragraph in _list(data.get("intro")):
        lines += ["", "intro:", *sentences(_text(paragraph))]
    lines += ["", "chapters:", *(f"  {_text(c)}" for c in _list(data.get("chapters")))]
    return lines + _rest(data, {"id", "title", "kind", "intro", "chapters"})


def _records(kind: str, data: dict[str, Any]) -> list[str]:
    """A file that holds one list of records with ids (units, targets, milestones, …)."""
    lists = [k for k, v in data.items() if isinstance(v, list)]
    key = lists[0] if len(lists) == 1 else None
    if key is None:
        return [kind, *_fields(data)]
    lines = [kind]
    for record in _list(data[key]):
        record = _map(record)
        lines += ["", f"{_text(record.get('id'))}:", *_fields({k: v for k, v in record.items() if k != "id"}, "  ")]
    return lines + _rest(data, {key})


def _progress(data: dict[str, Any]) -> list[str]:
    out = [f"progress {_text(data.get('unit'))} {_text(data.get('period'))}"]
    out += [f"{key}: {_text(data[key])}" for key in ("reporter", "approver", "date") if key in data]
    for task in _list(data.get("tasks")):
        task = _map(task)
        percent = f" {_text(task['percent'])}%" if "percent" in task else ""
        out += ["", f"task {_text(task.get('task'))}: {_text(task.get('status'))}{percent}"]
        for key in ("progress", "problems", "next_steps"):
            if task.get(key):
                out += [f"  {key}:", *(s for line in _text(task[key]).split("\n") for s in sentences(line, "    "))]
        if task.get("evidence"):
            out += ["  evidence:", *(f"    {_text(item)}" for item in _list(task["evidence"]))]
        out += _rest(task, {"task", "status", "percent", "progress", "problems", "next_steps", "evidence"}, "  ")
    for actual in _list(data.get("indicators")):
        actual = _map(actual)
        out += [
            "",
            f"indicator {_text(actual.get('target'))}: {_text(actual.get('value'))} ({_text(actual.get('date'))}, {_text(actual.get('source'))})",
        ]
        out += _rest(actual, {"target", "value", "date", "source"}, "  ")
    keys = {"unit", "period", "reporter", "approver", "date", "tasks", "indicators"}
    return out + _rest(data, keys)


def canonical(data: dict[str, Any]) -> str:
    kind = _kind(data)
    if kind == "chapter":
        lines = _chapter(data)
    elif kind == "progress":
        lines = _progress(data)
    elif kind == "part":
        lines = _part(data)
    elif kind in ("document", "settings"):
        lines = [kind, *_fields(data)]
    elif kind == "revisions":
        lines = _records(kind, {"versions": data.get("versions")})
        lines += ["", "current:", *_fields(_map(data.get("current") or {}), "  ")]
        lines += _rest(data, {"versions", "current"})
    else:
        lines = _records(kind, data)
    return "\n".join(lines) + "\n"


def textconv(path: Path) -> str:
    """The canonical text of the plan file at `path`, or, when it is not one, its text as written under
    a one-line header. Never fails: git runs it inside `git diff` and `git log -p`."""
    from kpsy.plan.reader import parse, read_text

    try:
        text, problems = read_text(path, str(path))
        if text is None:
            why = problems[0].message if problems else "cannot be read"
            try:
                raw = path.read_bytes()[: 4 * 1024 * 1024].decode("utf-8", "replace")
            except OSError:
                raw = ""
            return f"# kpsy textconv: {why}; shown as written\n{raw}"
        doc, problems = parse(text, str(path))
        if problems or not isinstance(doc.data, dict):
            why = problems[0].message if problems else "not a mapping"
            return f"# kpsy textconv: not readable as a plan file ({why}); shown as written\n{text}"
        try:
            return canonical(_plain(doc.data))
        except _Shape:
            return f"# kpsy textconv: not shaped as a {_kind(doc.data)} file; shown as written\n{text}"
    except Exception as exc:  # never fail inside git, never hide a change: the file as it is
        try:
            raw = path.read_bytes()[: 4 * 1024 * 1024].decode("utf-8", "replace")
        except OSError:
            raw = ""
        return f"# kpsy textconv: {type(exc).__name__}; shown as written\n{raw}"


def _plain(value: Any) -> Any:
    """Dates and numbers as the YAML wrote them."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value

"""JSON Schema for each kind of plan file, generated from the records.

The schemas are committed under schema/; each plan file names its schema on its first line
(`# yaml-language-server: $schema=…`) so that editors validate, complete and explain while one
types. Descriptions come from the records' field docstrings; titles are left out, so that an
editor's hover shows what a key means rather than a class name.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from kpsy.plan.kinds import KINDS, Kind
from kpsy.util import write_atomic

MODELINE = "# yaml-language-server: $schema="


def _generator() -> type:
    from pydantic.json_schema import GenerateJsonSchema

    class PlanFileSchema(GenerateJsonSchema):
        def field_title_should_be_set(self, schema: Any) -> bool:
            return False

        def nullable_schema(self, schema: Any) -> Any:
            # `X | None = None`: the field is optional; `null` is never written in a plan file
            return self.generate_inner(schema["schema"])

    return PlanFileSchema


def _untitled(node: Any) -> Any:
    if isinstance(node, dict):
        return {k: _untitled(v) for k, v in node.items() if k != "title" or not isinstance(v, str)}
    if isinstance(node, list):
        return [_untitled(v) for v in node]
    return node


def describe(kind: Kind) -> str:
    return f"plan/{kind.where}: {kind.summary.split(': ', 1)[-1]}"


def schema(kind: str) -> dict[str, Any]:
    from pydantic import TypeAdapter

    generated = _untitled(TypeAdapter(KINDS[kind].model).json_schema(schema_generator=_generator()))
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": f"kpsy {kind} file",
        **generated,
        "description": describe(KINDS[kind]),
    }


def schema_text(kind: str) -> str:
    return json.dumps(schema(kind), ensure_ascii=False, indent=2) + "\n"


def shipped_text(kind: str) -> str | None:
    """The schema of `kind` as shipped with kpsy (inside the installed package, or the repository's
    schema/, which the tests keep equal to what the records generate), or None."""
    here = Path(__file__).resolve().parent.parent
    for folder in (here / "schema", here.parents[1] / "schema"):
        path = folder / f"{kind}.json"
        if path.is_file():
            return path.read_text(encoding="utf-8")
    return None


def write_all(folder: Path, *, shipped: bool = False) -> list[Path]:
    """Every kind's schema into `folder`: generated from the records, or (`shipped`) copied from
    those kpsy ships, which costs no pydantic schema generation (a second on a plain machine)."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for kind in KINDS:
        path = folder / f"{kind}.json"
        text = shipped_text(kind) if shipped else None
        write_atomic(path, text if text is not None else schema_text(kind))
        written.append(path)
    return written


def stale(folder: Path) -> list[str]:
    """Kinds whose committed schema in `folder` differs from what the records generate."""
    out = []
    for kind in KINDS:
        path = folder / f"{kind}.json"
        if not path.is_file() or path.read_text(encoding="utf-8") != schema_text(kind):
            out.append(kind)
    return out


def fields(kind: str) -> list[tuple[str, str]]:
    """(field path, description) for every field of a kind of file, nested ones as `notice.title`
    and fields of list items as `units[].name`: the README's data dictionary."""
    root = schema(kind)
    defs = root.get("$defs", {})
    rows: list[tuple[str, str]] = []

    def resolve(node: dict[str, Any]) -> dict[str, Any]:
        while "$ref" in node:
            node = defs[node["$ref"].rsplit("/", 1)[-1]]
        return node

    def walk(node: dict[str, Any], prefix: str) -> None:
        for name, prop in resolve(node).get("properties", {}).items():
            path = f"{prefix}{name}"
            target = resolve(prop)
            rows.append((path, prop.get("description") or target.get("description", "")))
            if target.get("type") == "array" and "$ref" in target.get("items", {}):
                walk(target["items"], f"{path}[].")
            elif "properties" in target:
                walk(target, f"{path}.")

    walk(root, "")
    return rows

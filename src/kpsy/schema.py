"""JSON Schema for each kind of plan file, generated from the models.

The schemas are committed under schema/; each plan file names its schema on its first line
(`# yaml-language-server: $schema=…`) so that editors validate and complete while one types.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from kpsy import model

KINDS: dict[str, type] = {
    "document": model.DocumentFile,
    "units": model.UnitsFile,
    "targets": model.TargetsFile,
    "schedule": model.ScheduleFile,
    "settings": model.SettingsFile,
    "part": model.Part,
    "chapter": model.Chapter,
}
DESCRIPTIONS = {
    "document": "plan/document.yaml: the notice, the plan's title, period, preamble, basis documents, parts, 版记",
    "units": "plan/units.yaml: the unit registry, in protocol order",
    "targets": "plan/targets.yaml: numeric targets",
    "schedule": "plan/schedule.yaml: the milestones of 进度安排",
    "settings": "plan/settings.yaml: settings for rendered documents",
    "part": "plan/parts/<id>.yaml: one part of the plan",
    "chapter": "plan/chapters/<id>.yaml: one chapter (an action, a project, or a section)",
}
MODELINE = "# yaml-language-server: $schema="


def schema(kind: str) -> dict[str, Any]:
    from kpsy.load import adapter

    generated = adapter(KINDS[kind]).json_schema()
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": f"kpsy {kind} file",
        "description": DESCRIPTIONS[kind],
        **{k: v for k, v in generated.items() if k not in ("title", "description")},
    }


def schema_text(kind: str) -> str:
    return json.dumps(schema(kind), ensure_ascii=False, indent=2) + "\n"


def kind_of(relative: Path) -> str:
    """The kind of a plan file from its path inside the plan folder."""
    if relative.parts[0] == "parts":
        return "part"
    if relative.parts[0] == "chapters":
        return "chapter"
    return relative.stem


def write_all(folder: Path) -> list[Path]:
    from kpsy.report import write_atomic

    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for kind in KINDS:
        path = folder / f"{kind}.json"
        write_atomic(path, schema_text(kind))
        written.append(path)
    return written


def stale(folder: Path) -> list[str]:
    """Kinds whose committed schema in `folder` differs from what the models generate."""
    out = []
    for kind in KINDS:
        path = folder / f"{kind}.json"
        if not path.is_file() or path.read_text(encoding="utf-8") != schema_text(kind):
            out.append(kind)
    return out

"""Findings as SARIF 2.1.0 (Static Analysis Results Interchange Format), which code-scanning services
(GitHub code scanning among them) and editors read: the rules that found something, with their
documentation and clause, each finding at its region, and the safe changes as fixes."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from kpsy import __version__
from kpsy.findings import CheckResult, Problem

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVELS = {"error": "error", "warning": "warning", "info": "note"}


def _rule(rule_id: str) -> dict[str, Any]:
    from kpsy.checks import RULES  # the whole registry: validate's rules are registered when it is asked for

    rule = RULES.get(rule_id)
    doc = rule.doc if rule is not None else rule_id
    data: dict[str, Any] = {
        "id": rule_id,
        "name": "".join(part.title() for part in rule_id.split("-")),
        "shortDescription": {"text": doc.split(". ")[0].rstrip(".") + "."},
        "fullDescription": {"text": doc},
    }
    if rule is not None:
        data["defaultConfiguration"] = {"level": _LEVELS[rule.level.value]}
        data["properties"] = {"stage": rule.stage, **({"clause": rule.clause} if rule.clause else {})}
    return data


def _location(p: Problem) -> dict[str, Any]:
    region: dict[str, int] = {}
    if p.line:
        region = {"startLine": p.line, "startColumn": max(p.col, 1)}
        if p.edit is not None and p.edit.end_line:
            region |= {"endLine": p.edit.end_line, "endColumn": p.edit.end_col}
    physical: dict[str, Any] = {"artifactLocation": {"uri": quote(p.file)}}
    if region:
        physical["region"] = region
    return {"physicalLocation": physical}


def _fix(p: Problem, describe: str) -> list[dict[str, Any]]:
    """The safe change as a SARIF fix: the file's characters of the text found, replaced."""
    edit = p.edit
    if edit is None or not edit.safe or edit.source is None or not edit.start_line:
        return []
    deleted = {
        "startLine": edit.start_line,
        "startColumn": edit.start_col,
        "endLine": edit.end_line,
        "endColumn": edit.end_col,
    }
    change = {"deletedRegion": deleted, "insertedContent": {"text": edit.source}}
    return [
        {
            "description": {"text": describe},
            "artifactChanges": [{"artifactLocation": {"uri": quote(p.file)}, "replacements": [change]}],
        }
    ]


def sarif(result: CheckResult, describe: Any) -> dict[str, Any]:
    """The findings of `result` as one SARIF log; `describe(problem)` gives a finding's message."""
    ids = list(dict.fromkeys(p.rule for p in result.problems))
    results = []
    for p in result.problems:
        entry: dict[str, Any] = {
            "ruleId": p.rule,
            "ruleIndex": ids.index(p.rule),
            "level": _LEVELS[p.level.value],
            "message": {"text": describe(p)},
            "locations": [_location(p)],
        }
        fixes = _fix(p, describe(p))
        if fixes:
            entry["fixes"] = fixes
        if p.clause:
            entry["properties"] = {"clause": p.clause}
        results.append(entry)
    driver = {"name": "kpsy", "version": __version__, "rules": [_rule(i) for i in ids]}
    run = {"tool": {"driver": driver}, "columnKind": "unicodeCodePoints", "results": results}
    return {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}

"""CI and editor support: JSON Schema, canonical formatting, the pre-commit hooks, the workflow."""

from __future__ import annotations

import datetime as dt
import json
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from kpsy.fmt import format_text, plan_files
from kpsy.load import load_plan, parse
from kpsy.schema import KINDS, MODELINE, kind_of, schema_text, stale

from .conftest import PLAN, REPO, edit, run, tree_digest

SCHEMA = REPO / "schema"


def test_committed_schemas_match_the_models() -> None:
    assert stale(SCHEMA) == [], "run `kpsy schema --out schema`"
    assert run("schema", "--out", SCHEMA, "--check").exit_code == 0


def test_schema_check_fails_when_models_and_files_disagree(workdir: Path) -> None:
    shutil.copytree(SCHEMA, workdir / "schema")
    path = workdir / "schema" / "chapter.json"
    data = json.loads(path.read_text(encoding="utf-8"))
    data["properties"].pop("tasks")
    path.write_text(json.dumps(data), encoding="utf-8")
    result = run("schema", "--out", "schema", "--check")
    assert result.exit_code == 1 and "chapter.json: out of date" in result.stderr


def test_schema_command(workdir: Path) -> None:
    data = json.loads(run("schema", "chapter").stdout)
    assert data["additionalProperties"] is False
    assert data["required"] == ["id", "title"]
    assert data["$defs"]["Task"]["properties"]["id"]["pattern"].startswith("^[a-z]")
    assert run("schema", "nonsense").exit_code == 2
    assert run("schema", "--out", "out").exit_code == 0
    assert sorted(p.name for p in (workdir / "out").iterdir()) == sorted(f"{k}.json" for k in KINDS)


def _jsonable(value: object) -> object:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def test_every_plan_file_names_its_schema_and_satisfies_it() -> None:
    import jsonschema

    for path in plan_files(PLAN):
        relative = path.relative_to(PLAN)
        kind = kind_of(relative)
        first = path.read_text(encoding="utf-8").split("\n", 1)[0]
        assert first == f"{MODELINE}{'../' * len(relative.parts)}schema/{kind}.json", path
        assert (path.parent / first.removeprefix(MODELINE)).resolve() == (SCHEMA / f"{kind}.json").resolve()
        doc, problems = parse(path.read_text(encoding="utf-8"), str(path))
        assert problems == []
        jsonschema.validate(_jsonable(doc.data), json.loads(schema_text(kind)))


def test_schema_rejects_what_kpsy_rejects() -> None:
    import jsonschema

    chapter = json.loads(schema_text("chapter"))
    for bad in ({"id": "x", "title": "t", "colour": 1}, {"id": "Bad_Id", "title": "t"}, {"id": "x", "title": ""}):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(bad, chapter)


def test_real_plan_is_canonical() -> None:
    result = run("fmt", "--check", "--plan", PLAN)
    assert result.exit_code == 0 and result.stdout == ""
    assert "would reformat 0 of 24 file(s)" in result.stderr


MESSY = """\
# a comment that must survive
title: 青少年科学素质提升行动   # and this one
id: youth
responsibility: {participants: [区委宣传部], leads: ["区教育局", '团区委'], etc: true}
tasks:
- title: "将弘扬科学精神"
  id: youth-spirit
  body: 坚持立德树人。
"""


def test_format_text_is_canonical_and_keeps_comments() -> None:
    from kpsy import model

    out = format_text(MESSY, model.Chapter)
    assert out == (
        "# a comment that must survive\n"
        "id: youth\n"
        "title: 青少年科学素质提升行动   # and this one\n"
        "tasks:\n"
        "  - id: youth-spirit\n"
        "    title: 将弘扬科学精神\n"
        "    body: 坚持立德树人。\n"
        "responsibility:\n"
        "  leads:\n"
        "    - 区教育局\n"
        "    - 团区委\n"
        "  participants:\n"
        "    - 区委宣传部\n"
        "  etc: true\n"
    )
    assert format_text(out, model.Chapter) == out  # idempotent
    assert parse(out, "a")[0].data == parse(MESSY, "b")[0].data


def test_fmt_check_prints_a_diff_and_changes_nothing(plan_copy: Path) -> None:
    path = plan_copy / "chapters" / "youth.yaml"
    edit(path, "  - id: youth-scientist-spirit\n    title:", "  - title:")
    edit(path, "    body: 坚持立德树人", "    id: youth-scientist-spirit\n    body: 坚持立德树人")
    before = tree_digest(plan_copy)
    result = run("fmt", "--check")
    assert result.exit_code == 1
    assert result.stdout.startswith("--- a/plan/chapters/youth.yaml\n+++ b/plan/chapters/youth.yaml\n")
    assert "+  - id: youth-scientist-spirit\n" in result.stdout
    assert tree_digest(plan_copy) == before


def test_fmt_rewrites_without_changing_meaning(plan_copy: Path) -> None:
    path = plan_copy / "units.yaml"
    text = path.read_text(encoding="utf-8").replace("    aliases: [教育局]\n", "    aliases:\n      - 教育局\n")
    text = text.replace(
        "    name: 区教育局\n    full_name: 衡阳市雁峰区教育局\n",
        "    full_name: '衡阳市雁峰区教育局'\n    name: \"区教育局\"\n",
    )
    path.write_text(text, encoding="utf-8")
    before = load_plan(plan_copy).plan
    result = run("fmt")
    assert result.exit_code == 0 and "reformatted 1 of 24 file(s)" in result.stderr
    after = load_plan(plan_copy).plan
    assert before is not None and after is not None
    assert (before.units, before.chapters, before.document) == (after.units, after.chapters, after.document)
    assert path.read_text(encoding="utf-8") == (PLAN / "units.yaml").read_text(encoding="utf-8")
    assert not list(plan_copy.rglob("*.tmp"))
    assert run("fmt", "--check").exit_code == 0


def test_fmt_refuses_broken_files_and_leaves_them(plan_copy: Path) -> None:
    edit(plan_copy / "chapters" / "youth.yaml", "title: 青少年科学素质提升行动", "title: [青少年")
    before = tree_digest(plan_copy)
    result = run("fmt")
    assert result.exit_code == 1
    assert "plan/chapters/youth.yaml:4:5: error syntax" in result.stderr
    assert tree_digest(plan_copy) == before


def test_fmt_named_files(plan_copy: Path) -> None:
    assert run("fmt", "--check", "plan/units.yaml").exit_code == 0
    result = run("fmt", "--check", "README.md")
    assert result.exit_code == 1 and "not a file of the plan folder" in result.stderr


def _kpsy_command(entry: str) -> list[str]:
    args = shlex.split(entry)
    assert args[0] == "kpsy"
    return [sys.executable, "-m", "kpsy", *args[1:]]


@pytest.mark.parametrize("hook_id", ["kpsy-validate", "kpsy-fmt"])
def test_pre_commit_hooks_run(hook_id: str, plan_copy: Path) -> None:
    hooks = {h["id"]: h for h in yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))}
    hook = hooks[hook_id]
    assert hook["pass_filenames"] is False and hook["language"] == "python"
    env = {**os.environ, "NO_COLOR": "1"}
    ok = subprocess.run(_kpsy_command(hook["entry"]), cwd=plan_copy.parent, env=env, capture_output=True)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    # a broken plan fails the hook, with the place named
    edit(plan_copy / "chapters" / "youth.yaml", "  - id: youth-scientist-spirit\n    title:", "  - title:")
    edit(
        plan_copy / "chapters" / "youth.yaml",
        "    body: 坚持立德树人",
        "    id: youth-scientist-spirit\n    body: 坚持立德树人",
    )
    if hook_id == "kpsy-validate":
        edit(plan_copy / "chapters" / "youth.yaml", "    - 区妇联\n", "    - 区妇女会\n")
    bad = subprocess.run(_kpsy_command(hook["entry"]), cwd=plan_copy.parent, env=env, capture_output=True, text=True)
    assert bad.returncode == 1
    assert "plan/chapters/youth.yaml" in bad.stdout + bad.stderr


def test_workflow_runs_the_checks() -> None:
    workflow = yaml.safe_load((REPO / ".github" / "workflows" / "validate.yml").read_text(encoding="utf-8"))
    steps = [s.get("run", "") for job in workflow["jobs"].values() for s in job["steps"]]
    assert "kpsy validate --strict" in steps
    assert "kpsy fmt --check" in steps
    assert "kpsy schema --out schema --check" in steps

"""CI and editor support: JSON Schema, canonical formatting, the pre-commit hooks, the workflow."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import shlex
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from kpsy.plan.fmt import format_text, known_files
from kpsy.plan.kinds import KINDS, kind_of
from kpsy.plan.load import load_plan
from kpsy.plan.model import Id, Item, Text, record
from kpsy.plan.reader import parse
from kpsy.plan.schema import MODELINE, schema_text, stale

from .conftest import PLAN, REPO, edit, run, tree_digest

pytestmark = pytest.mark.usefixtures("english")  # these tests read kpsy's English messages

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

    for path in known_files(PLAN):
        relative = path.relative_to(PLAN)
        kind = kind_of(relative.as_posix()).name  # type: ignore[union-attr]
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
    from kpsy.plan import model

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
    assert {k: s.data for k, s in before.sources.items()} == {k: s.data for k, s in after.sources.items()}
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


@record
class Contact:
    """A person to call."""

    id: Id
    """Stable ASCII id."""
    name: Text
    """The person's name."""


@record
class ContactsFile:
    """contacts/<id>.yaml: whom to call about the plan."""

    contacts: list[Contact] = dataclasses.field(default_factory=list)
    """The contacts."""

    def items(self) -> Iterator[Item]:
        for i, contact in enumerate(self.contacts):
            yield contact.id, "contact", ("contacts", i, "id")


def _properties(node: object) -> list[dict[str, object]]:
    found: list[dict[str, object]] = []
    if isinstance(node, dict):
        for value in node.get("properties", {}).values():
            found.append(value)
        for value in node.values():
            found += _properties(value)
    elif isinstance(node, list):
        for value in node:
            found += _properties(value)
    return found


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_schemas_explain_every_key_to_an_editor(kind: str) -> None:
    """An editor's hover shows what a key means: every property has a description, none has a
    title (which would show as the heading instead), and optional fields are not `X || null`."""
    schema = json.loads(schema_text(kind))
    defs = schema.get("$defs", {})
    for prop in _properties(schema):
        ref = str(prop.get("$ref", "")).rsplit("/", 1)[-1]
        assert prop.get("description") or defs.get(ref, {}).get("description"), prop
        assert "title" not in prop, prop
        assert "anyOf" not in prop, prop
    assert all("title" not in d for d in defs.values())
    assert schema["description"].startswith("plan/")


def test_adding_a_kind_of_plan_file_is_one_entry(plan_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A new kind (its record class and one registry entry) is loaded, has a schema, is formatted,
    shown by textconv, takes part in the id checks, and is no longer an unknown file."""
    from kpsy.plan.kinds import Kind
    from kpsy.plan.textconv import textconv

    path = plan_copy / "contacts" / "office.yaml"
    path.parent.mkdir()
    path.write_text("contacts:\n    - name: 张三\n      id: youth\n", encoding="utf-8")
    assert ("office.yaml", 0, "unknown-file", "warning") in [
        (Path(p.file).name, p.line, p.rule, p.level.value) for p in load_plan(plan_copy).problems
    ]
    monkeypatch.setitem(KINDS, "contacts", Kind("contacts", ContactsFile, "contacts/*.yaml"))
    loaded = load_plan(plan_copy)
    assert loaded.plan is not None
    assert [s.data for s in loaded.plan.of_kind("contacts")] == [
        ContactsFile(contacts=[Contact(id="youth", name="张三")])
    ]
    assert "contacts" in json.loads(schema_text("contacts"))["properties"]
    assert textconv(path).startswith("contacts")
    result = run("validate", "--format", "plain")
    assert "plan/contacts/office.yaml:3:11: error duplicate-id: id 'youth' (contact) is already used" in result.stdout
    result = run("fmt")
    assert result.exit_code == 0 and "reformatted 1 of 25 file(s)" in result.stderr
    assert path.read_text(encoding="utf-8") == "contacts:\n  - id: youth\n    name: 张三\n"


def test_compiled_validators_are_current_and_agree_with_pydantic() -> None:
    """kpsy/plan/_compiled.py is made from the records as they are (python -m kpsy.plan.validators),
    and validators built from it judge every plan file as pydantic's own do."""
    from pydantic import TypeAdapter
    from pydantic_core import ValidationError

    from kpsy.plan import _compiled, validators

    assert validators.model_hash() == _compiled.MODEL_HASH, "run: python -m kpsy.plan.validators"
    assert validators.core_version() == _compiled.CORE_VERSION, "install the pydantic pyproject.toml pins"
    assert validators.COMPILED.read_text(encoding="utf-8") == validators.compiled_source()
    assert validators.FIELDS.read_text(encoding="utf-8") == validators.fields_source()
    samples = [*known_files(PLAN), *sorted((REPO / "tests" / "corpus").rglob("*.yaml"))]
    for path in samples:
        parts = path.parts
        inside = parts[len(parts) - parts[::-1].index("plan") :]  # the path inside its plan folder
        kind = kind_of("/".join(inside))
        if kind is None:
            continue
        doc, problems = parse(path.read_text(encoding="utf-8", errors="replace"), str(path))
        if problems or doc.data is None:
            continue
        outcomes = []
        for judge in (validators.validator(kind.model), TypeAdapter(kind.model)):
            try:
                outcomes.append(("ok", judge.validate_python(doc.data)))
            except ValidationError as exc:
                outcomes.append(("error", [(e["type"], e["loc"]) for e in exc.errors()]))
        assert outcomes[0] == outcomes[1], path


def test_pydantic_is_pinned_to_the_release_the_compiled_schemas_are_made_with() -> None:
    """pyproject.toml pins the one pydantic whose pydantic-core kpsy/plan/_compiled.py was made
    with, so that the file is always the one in use (and tested above), never silently passed over."""
    import importlib.metadata
    import re

    from kpsy.plan import _compiled

    (pin,) = re.findall(
        r'^\s*"(pydantic\b[^"-][^"]*|pydantic)",', (REPO / "pyproject.toml").read_text(encoding="utf-8"), re.M
    )
    assert pin.startswith("pydantic=="), f"{pin}: pin one release"
    assert pin == f"pydantic=={importlib.metadata.version('pydantic')}", "install the pydantic pyproject.toml pins"
    assert f"pydantic-core=={_compiled.CORE_VERSION}" in (importlib.metadata.requires("pydantic") or [])

"""The command line, through typer's CliRunner."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import PLAN, edit, run, tree_digest

pytestmark = pytest.mark.usefixtures("english")  # these tests read kpsy's English messages


def test_validate_real_plan(workdir: Path) -> None:
    result = run("validate", "--plan", PLAN, "--strict", "--format", "text")
    assert result.exit_code == 0
    assert "valid, no problems" in result.stdout


@pytest.mark.parametrize("fmt", ["plain", "github"])
def test_clean_plan_prints_nothing_in_machine_formats(fmt: str) -> None:
    result = run("validate", "--plan", PLAN, "--format", fmt)
    assert (result.exit_code, result.stdout) == (0, "")


def test_json_format(plan_copy: Path) -> None:
    edit(plan_copy / "chapters" / "youth.yaml", "    - 区妇联\n", "    - 区妇女联合会\n")
    result = run("validate", "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["ok"] is False and data["errors"] == 2 and data["warnings"] == 0
    unknown = next(p for p in data["problems"] if p["rule"] == "unknown-unit")
    assert unknown == {
        "file": "plan/chapters/youth.yaml",
        "line": 41,
        "col": 7,
        "rule": "unknown-unit",
        "level": "error",
        "message": "unknown unit '区妇女联合会'; did you mean 区妇联?",
    }


def test_github_annotations_chosen_under_actions(plan_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    edit(plan_copy / "chapters" / "youth.yaml", "    - 区妇联\n", "    - 区妇女联合会\n")
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    result = run("validate")
    lines = result.stdout.splitlines()
    assert result.exit_code == 1
    assert lines[1] == (
        "::error file=plan/chapters/youth.yaml,line=41,col=7,title=kpsy unknown-unit::"
        "unknown unit '区妇女联合会'; did you mean 区妇联?"
    )


def test_github_escaping() -> None:
    import io

    from kpsy.findings import CheckResult, Level, Problem
    from kpsy.outputs.findings import write_github
    from kpsy.outputs.formats import Sink

    out = io.StringIO()
    problem = Problem("a,b:c.yaml", 1, 2, "r", Level.WARNING, "50% done\nnext")
    write_github(CheckResult(Path("."), [problem]), Sink(out))
    assert out.getvalue() == "::warning file=a%2Cb%3Ac.yaml,line=1,col=2,title=kpsy r::50%25 done%0Anext\n"


def test_strict_fails_on_warnings(plan_copy: Path) -> None:
    edit(
        plan_copy / "units.yaml",
        "  # Other bodies",
        "  - id: audit\n    name: 区审计局\n    kind: 政府部门\n  # Other bodies",
    )
    assert run("validate").exit_code == 0
    assert run("validate", "--strict").exit_code == 1


def test_usage_errors_exit_2(plan_copy: Path) -> None:
    assert run("validate", "--bogus").exit_code == 2
    result = run("validate", "--format", "yaml")
    assert result.exit_code == 2 and "yaml" in result.output


def test_plan_found_walking_up(plan_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    deep = plan_copy.parent / "a" / "b"
    deep.mkdir(parents=True)
    monkeypatch.chdir(deep)
    assert run("validate", "--strict").exit_code == 0


def test_plan_from_environment(workdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KPSY_PLAN", str(PLAN))
    assert run("validate", "--strict").exit_code == 0
    monkeypatch.setenv("KPSY_PLAN", str(workdir / "nowhere"))
    result = run("validate")
    assert result.exit_code == 1 and "$KPSY_PLAN" in result.stderr


def test_no_plan_found_is_one_line(workdir: Path) -> None:
    result = run("validate")
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1
    assert str(workdir) in result.stderr and "--plan" in result.stderr
    assert "Traceback" not in result.output


def test_folder_without_document_is_not_a_plan(workdir: Path) -> None:
    result = run("validate", "--plan", workdir)
    assert result.exit_code == 1 and "no document.yaml" in result.stderr


def test_export_text_to_file(workdir: Path) -> None:
    result = run("export", "text", "--plan", PLAN, "-o", "doc.txt")
    assert result.exit_code == 0
    written = (workdir / "doc.txt").read_text(encoding="utf-8")
    assert written == run("export", "text", "--plan", PLAN).stdout
    assert list(workdir.iterdir()) == [workdir / "doc.txt"]  # no temporary file left behind


def test_export_refuses_a_broken_plan_and_writes_nothing(plan_copy: Path) -> None:
    edit(plan_copy / "chapters" / "youth.yaml", "    - 区妇联\n", "    - 区妇女联合会\n")
    before = tree_digest(plan_copy)
    result = run("export", "text", "-o", "doc.txt")
    assert result.exit_code == 1
    assert "plan/chapters/youth.yaml:41:7: error unknown-unit" in result.stderr
    assert not (plan_copy.parent / "doc.txt").exists()
    assert tree_digest(plan_copy) == before


def test_unwritable_output_is_an_error(workdir: Path) -> None:
    result = run("export", "text", "--plan", PLAN, "-o", workdir / "missing" / "doc.txt")
    assert result.exit_code == 1 and "cannot write" in result.stderr


def test_version() -> None:
    from kpsy import __version__

    assert run("--version").stdout == f"kpsy {__version__}\n"


@pytest.mark.parametrize("command", [["validate"], ["export", "text"]])
def test_every_command_has_help(command: list[str]) -> None:
    result = run(*command, "--help")
    assert result.exit_code == 0 and "--plan" in result.stdout


def test_module_entry_point() -> None:
    import subprocess
    import sys

    proc = subprocess.run(
        [sys.executable, "-m", "kpsy", "validate", "--plan", str(PLAN), "--strict"], capture_output=True
    )
    assert proc.returncode == 0, proc.stderr

"""Any district's plan: every command run on a made-up county's plan (tests/fixtures/qingshan), and
not one word of the bundled plan in what comes out."""

from __future__ import annotations

import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pytest

from .conftest import run
from .test_architecture import bundled_words

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "qingshan" / "plan"


@pytest.fixture
def other(workdir: Path) -> Path:
    """The other plan, with its made-up progress reports (tests/fixtures/qingshan/progress)."""
    plan = workdir / "plan"
    shutil.copytree(FIXTURE, plan)
    shutil.copytree(FIXTURE.parent / "progress", plan / "progress")
    return plan


def written_text(path: Path) -> str:
    """Everything a reader can see in a file kpsy wrote."""
    if path.suffix == ".docx":
        with zipfile.ZipFile(path) as z:
            xml = "".join(
                z.read(n).decode("utf-8") for n in z.namelist() if n.startswith("word/") and n.endswith(".xml")
            )
        return re.sub(r"<[^>]+>", "", xml)
    if path.suffix == ".xlsx":
        book = openpyxl.load_workbook(path)
        return "\n".join(
            [sheet.title for sheet in book.worksheets]
            + [str(c) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for c in row if c]
        )
    return path.read_text(encoding="utf-8")


def commands() -> list[str]:
    from kpsy.cli.app import COMMANDS

    return list(COMMANDS)


# Every command of kpsy, with the invocations that exercise it on the other plan.
RUNS: dict[str, list[list[str]]] = {
    "validate": [["validate", "--strict", "-f", f] for f in ("text", "plain", "json", "github")],
    "proof": [["proof", "-f", f] for f in ("table", "json", "github", "sarif", "plain", "text")],
    "export": [["export", "text"], ["export", "text", "-o", "out/plan.txt"]],
    "tasks": [
        ["tasks"],
        *(["tasks", "-u", "县教育局", "-f", f] for f in ("table", "json", "csv", "md")),
        ["tasks", "-u", "青山县科学技术协会", "-f", "xlsx", "-o", "out/tasks.xlsx"],
        ["tasks", "-u", "科协", "--role", "lead", "--part", "二"],
    ],
    "units": [["units"], ["units", "-f", "xlsx", "-o", "out/units.xlsx"]],
    "coverage": [["coverage"], ["coverage", "-f", "md"], ["coverage", "-f", "xlsx", "-o", "out/coverage.xlsx"]],
    "targets": [["targets"], ["targets", "-f", "csv"], ["targets", "-f", "xlsx", "-o", "out/targets.xlsx"]],
    "schedule": [["schedule"], ["schedule", "-f", "json"]],
    "show": [
        ["show", "youth"],
        ["show", "community-health", "-f", "md"],
        ["show", "general", "-f", "json"],
        ["show", "二(三)2"],
        ["show", "开展校外科技活动", "-f", "md"],
    ],
    "search": [
        ["search", "科普"],
        *(["search", "健康", "-u", "县卫健局", "-f", f] for f in ("table", "json", "csv", "md")),
        ["search", "县.{2,3}局", "--regex", "-f", "xlsx", "-o", "out/search.xlsx"],
    ],
    "unit": [
        ["unit", "县卫健局"],
        *(["unit", "青山县科学技术协会", "-f", f] for f in ("md", "json", "csv")),
        ["unit", "Education", "-f", "xlsx", "-o", "out/unit.xlsx"],
    ],
    "render": [
        *(["render", name] for name in ("document", "summary", "table")),
        ["render", "letter", "-u", "县卫健局", "--date", "2022-04-01"],
        *(["render", name, "-f", "docx", "-o", f"out/{name}.docx"] for name in ("document", "summary", "table")),
        ["render", "letter", "-u", "县科协", "-f", "docx", "-o", "out/letter.docx"],
        ["render", "bulletin", "--date", "2024-12-20"],
        ["render", "review", "--period", "2023", "-f", "docx", "-o", "out/review.docx"],
    ],
    "progress": [
        *(["progress", "-f", f] for f in ("table", "json", "csv", "md")),
        ["progress", "-f", "xlsx", "-o", "out/progress.xlsx"],
        ["progress", "-f", "html", "-o", "out/dashboard.html"],
        ["progress", "missing", "--period", "2024"],
        ["progress", "--unit", "县教育局"],
        ["progress", "--unit", "科协", "--period", "2024", "-f", "xlsx", "-o", "out/unit.xlsx"],
        ["progress", "sheet", "--unit", "县卫健局", "--period", "2025", "-o", "out/sheet.xlsx"],
        ["progress", "sheet", "--all", "--period", "2025Q1", "--out", "out/sheets"],
    ],
    "letters": [["letters", "--out", "out/letters", "--format", "both", "--date", "2022-04-01"]],
    "diff": [
        ["diff", "--old-plan", "plan", "--new-plan", "next/plan", "-f", f] for f in ("text", "md", "json", "table")
    ]
    + [
        ["diff", "--old-plan", "plan", "--new-plan", "next/plan", "-f", "docx", "-o", "out/diff.docx"],
        ["diff", "HEAD~1", "HEAD", "--unit", "县民政局"],
        ["--lang", "zh", "diff", "HEAD~1", "HEAD", "--unit", "县民政局", "-f", "md"],
        [
            "--lang",
            "zh",
            "diff",
            "--old-plan",
            "plan",
            "--new-plan",
            "next/plan",
            "-f",
            "docx",
            "-o",
            "out/对照表.docx",
        ],
        ["diff", "--old-plan", "plan", "--new-plan", "next/plan", "-f", "redline", "-o", "out/redline.docx"],
        ["diff", "HEAD~1", "HEAD", "--affected", "-f", "json"],
    ],
    "git-setup": [["git-setup"]],
    "textconv": [["textconv", str(p.relative_to(FIXTURE.parent))] for p in sorted(FIXTURE.rglob("*.yaml"))],
    "fmt": [["fmt", "--check"]],
    "schema": [["schema", "units"]],
    "import": [["import", "plan/source/qingshan-plan.txt", "--out", "out/imported"]],
}


def test_every_command_is_run_on_the_other_plan() -> None:
    assert set(commands()) == set(RUNS)


def next_revision(workdir: Path, plan: Path) -> None:
    """A second revision: a task renamed, a unit moved from participant to lead. In git too: the plan,
    then the revision, with the plan left in the working tree."""
    nxt = workdir / "next" / "plan"
    shutil.copytree(plan, nxt)
    youth = nxt / "chapters" / "youth.yaml"
    youth.write_text(
        youth.read_text(encoding="utf-8").replace("title: 上好科学课", "title: 上好每一节科学课"), encoding="utf-8"
    )
    community = nxt / "chapters" / "community.yaml"
    text = community.read_text(encoding="utf-8").replace("    - 县民政局\n", "")
    community.write_text(text.replace("    - 县科协\n", "    - 县科协\n    - 县民政局\n", 1), encoding="utf-8")
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "init", "-q"], cwd=workdir, check=True)
    subprocess.run([*git, "add", "plan"], cwd=workdir, check=True)
    subprocess.run([*git, "commit", "-q", "-m", "plan"], cwd=workdir, check=True)
    shutil.copy(community, plan / "chapters" / "community.yaml")
    subprocess.run([*git, "commit", "-q", "-am", "revision"], cwd=workdir, check=True)
    subprocess.run([*git, "checkout", "-q", "HEAD~1", "--", "plan"], cwd=workdir, check=True)


def test_no_word_of_the_bundled_plan_reaches_the_other_plans_outputs(other: Path, workdir: Path) -> None:
    next_revision(workdir, other)
    (workdir / "out").mkdir()
    forbidden = bundled_words()
    seen: list[str] = []
    for invocations in RUNS.values():
        for args in invocations:
            result = run(*args)
            assert result.exit_code == 0, (args, result.output)  # diff without --exit-code: 0 with changes too
            assert "Traceback" not in result.output
            seen.append(result.output)
    files = [p for p in (workdir / "out").rglob("*") if p.is_file()]
    assert len(files) >= 15
    seen += [written_text(p) for p in files]
    everything = "\n".join(seen)
    leaked = sorted(w for w in forbidden if w in everything)
    assert leaked == [], f"words of the bundled plan in the other plan's outputs: {leaked}"
    # and the other plan's own words are there
    for word in (
        "县教育局",
        "青山县",
        "上好每一节科学课",
        "县民政局由参加单位调整为牵头单位",
        "团县委",
        "关于2024年度全民科学素质行动任务落实情况的通报",
        "按当前趋势可望达标",
        "县卫健局2025年度全民科学素质行动任务落实情况",
    ):
        assert word in everything, word


def test_the_other_plans_units_are_found_by_any_form_of_their_names(other: Path) -> None:
    import json

    for name in (
        "县教育局",
        "教育局",
        "青山县教育局",
        "江城市青山县教育局",
        "education",
        "EDUCATION",
        "中共青山县委宣传部",
        "青山县卫生健康局",
        "卫生健康局",
        "共青团江城市青山县委员会",
        "团青山县委",
    ):
        result = run("tasks", "-u", name, "-f", "json")
        assert result.exit_code == 0, (name, result.output)
        assert json.loads(result.stdout), name

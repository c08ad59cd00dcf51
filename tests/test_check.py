"""Rules beyond the schema, one break at a time on a copy of the real plan."""

from __future__ import annotations

from pathlib import Path

import pytest

from kpsy.api import validate
from kpsy.checks import RULES
from kpsy.checks.rules import out_of_order
from kpsy.findings import Level

from .conftest import PLAN, edit, run

pytestmark = pytest.mark.usefixtures("english")  # these tests read kpsy's English messages


def findings(plan: Path) -> list[tuple[str, int, str, str]]:
    return [(Path(p.file).name, p.line, p.rule, p.level.value) for p in validate(plan).problems]


def test_real_plan_has_no_findings() -> None:
    result = validate(PLAN)
    assert result.problems == []
    assert result.ok(strict=True)


def test_every_rule_is_documented() -> None:
    assert all(rule.doc for rule in RULES.values())


@pytest.mark.parametrize(
    ("ranks", "misplaced"),
    [([0, 1, 10, 5, 9, 11], {2}), ([0, 1, 2], set()), ([3, 0, 1, 2], {0}), ([], set()), ([2, 1], {1})],
)
def test_out_of_order_moves_the_fewest(ranks: list[int], misplaced: set[int]) -> None:
    assert out_of_order(ranks) == misplaced


def test_suppression_comment_silences_only_its_line(plan_copy: Path) -> None:
    edit(
        plan_copy / "chapters" / "grassroots.yaml",
        " # kpsy: ignore[participant-order] 原文如此：此处区人社局列在区教育局之前",
        "",
    )
    assert findings(plan_copy) == [("grassroots.yaml", 26, "participant-order", "warning")]
    assert not validate(plan_copy).ok(strict=True)
    assert validate(plan_copy).ok(strict=False)


def test_suppression_does_not_silence_errors(plan_copy: Path) -> None:
    edit(plan_copy / "chapters" / "youth.yaml", "    - 区妇联\n", "    - 区妇女会  # kpsy: ignore[unknown-unit]\n")
    assert ("youth.yaml", 41, "unknown-unit", "error") in findings(plan_copy)


def test_registry_name_clash(plan_copy: Path) -> None:
    edit(plan_copy / "units.yaml", "aliases: [妇联]", "aliases: [妇联, 科协]")
    assert ("units.yaml", 134, "registry", "error") in findings(plan_copy)


def test_unassigned_unit_is_a_warning_but_oversight_bodies_are_exempt(plan_copy: Path) -> None:
    edit(
        plan_copy / "units.yaml",
        "  # Other bodies",
        "  - id: audit\n    name: 区审计局\n    kind: 政府部门\n  # Other bodies",
    )
    assert findings(plan_copy) == [("units.yaml", 139, "unassigned-unit", "warning")]


def test_basis_must_be_cited_in_the_preamble(plan_copy: Path) -> None:
    edit(plan_copy / "document.yaml", "number: 湘政办发〔2021〕74号", "number: 湘政办发〔2021〕75号")
    assert findings(plan_copy) == [("document.yaml", 24, "basis-citation", "error")]


def test_target_must_state_what_the_data_says(plan_copy: Path) -> None:
    edit(plan_copy / "targets.yaml", "comparator: 不低于", "comparator: 超过")
    assert findings(plan_copy) == [("targets.yaml", 15, "target-statement", "error")]


def test_target_year_outside_the_period(plan_copy: Path) -> None:
    edit(plan_copy / "targets.yaml", "year: 2025", "year: 2030")
    found = findings(plan_copy)
    assert ("targets.yaml", 11, "period", "error") in found
    assert ("targets.yaml", 6, "target-year", "warning") in found


def test_milestone_period_runs_forward(plan_copy: Path) -> None:
    edit(plan_copy / "schedule.yaml", "      start: 2023\n      end: 2024", "      start: 2024\n      end: 2023")
    assert findings(plan_copy) == [("schedule.yaml", 16, "period", "error")]


def test_quote_ref_must_exist(plan_copy: Path) -> None:
    edit(plan_copy / "schedule.yaml", "ref: schedule", "ref: schedules")
    result = validate(plan_copy)
    assert [(p.line, p.rule) for p in result.problems] == [(11, "source-quote")]
    assert "did you mean schedule" in result.problems[0].message


def test_unknown_top_level_file_is_a_warning(plan_copy: Path) -> None:
    (plan_copy / "notes.yaml").write_text("a: 1\n", encoding="utf-8")
    assert findings(plan_copy) == [("notes.yaml", 0, "unknown-file", "warning")]


def test_id_must_match_file_name(plan_copy: Path) -> None:
    edit(plan_copy / "chapters" / "youth.yaml", "id: youth\n", "id: young\n")
    assert ("youth.yaml", 2, "file-name", "error") in findings(plan_copy)


def test_missing_original_is_reported(plan_copy: Path) -> None:
    (plan_copy / "source" / "yanfeng-plan-2021-2025.txt").unlink()
    result = validate(plan_copy)
    assert [(p.rule, p.line) for p in result.problems] == [("fidelity", 35)]
    assert "cannot read the original" in result.problems[0].message


def test_without_source_text_fidelity_is_not_checked(plan_copy: Path) -> None:
    edit(plan_copy / "document.yaml", "  source_text: source/yanfeng-plan-2021-2025.txt\n", "")
    edit(plan_copy / "chapters" / "youth.yaml", "激发青少年好奇心", "激发青少年好奇性")
    assert findings(plan_copy) == []


def test_plan_ends_early(plan_copy: Path) -> None:
    """The original goes on after the plan's last paragraph: the finding quotes what is missing."""
    source = plan_copy / "source" / "yanfeng-plan-2021-2025.txt"
    lines = source.read_text(encoding="utf-8").count("\n")
    with source.open("a", encoding="utf-8") as fh:
        fh.write("\n抄送：区委各部门。\n")
    result = validate(plan_copy)
    assert [(Path(p.file).name, p.line, p.rule) for p in result.problems] == [("document.yaml", 35, "fidelity")]
    assert result.problems[0].message == (
        "the plan ends after paragraph 80, but the original goes on at "
        f"plan/source/yanfeng-plan-2021-2025.txt:{lines + 2}: 抄送：区委各部门。"
        " (revising the plan? record the data as a draft in revisions.yaml: current: {draft_of: <version>})"
    )


def test_problems_are_sorted_and_unique(plan_copy: Path) -> None:
    edit(plan_copy / "chapters" / "youth.yaml", "    - 区妇联\n", "    - 区妇联\n    - 区妇联\n")
    problems = validate(plan_copy).problems
    assert problems == sorted(problems, key=lambda p: p.sort_key())
    assert [p.rule for p in problems if p.level is Level.ERROR] == ["fidelity", "duplicate-unit"]


def test_unknown_files_in_subfolders_are_found(plan_copy: Path) -> None:
    (plan_copy / "parts" / "drafts").mkdir()
    (plan_copy / "parts" / "drafts" / "new.yaml").write_text("a: 1\n", encoding="utf-8")
    (plan_copy / "notes").mkdir()
    (plan_copy / "notes" / "todo.yml").write_text("a: 1\n", encoding="utf-8")
    assert findings(plan_copy) == [
        ("todo.yml", 0, "unknown-file", "warning"),
        ("new.yaml", 0, "unknown-file", "warning"),
    ]


def test_a_measured_value_a_hundred_times_off_is_a_scale_warning(workdir: Path) -> None:
    """0.243 typed for 24.3% (a sheet's cell read as a share) is a scale error, not a fall: the
    progress-scale rule names the file, line and column of the value."""
    import shutil

    from .conftest import SAMPLE

    plan = workdir / "plan"
    shutil.copytree(SAMPLE, plan)
    report = plan / "progress" / "2024" / "health.yaml"
    edit(report, "    value: 24.3\n", "    value: 0.243\n")
    line = report.read_text(encoding="utf-8").splitlines().index("    value: 0.243") + 1
    result = run("validate", "--format", "plain")
    assert result.exit_code == 0, result.output  # a warning: not an error
    found = [f for f in result.stdout.splitlines() if " progress-scale: " in f]
    assert len(found) == 1 and found[0].startswith(f"plan/progress/2024/health.yaml:{line}:12: warning"), found
    assert run("validate", "--strict", "--format", "plain").exit_code == 1

"""Hostile and accidental input: clear messages at file:line:col, exit 1, no traceback, nothing
written, plan files untouched; and property-based tests that no input makes kpsy crash."""

from __future__ import annotations

import codecs
import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kpsy.api import validate
from kpsy.plan.files import MAX_FILE_BYTES
from kpsy.plan.kinds import KINDS
from kpsy.plan.load import load_plan, to_model
from kpsy.plan.reader import decode, parse

from .conftest import PLAN, edit, run, tree_digest


def validate_fails(plan: Path, *expected: str) -> str:
    before = tree_digest(plan)
    result = run("validate", "--format", "plain")
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    for text in expected:
        assert text in result.stdout, result.stdout
    assert tree_digest(plan) == before
    # commands that write files write nothing
    out = run("export", "text", "-o", "out.txt")
    assert out.exit_code == 1 and not (plan.parent / "out.txt").exists()
    return result.stdout


def test_bom_and_crlf_everywhere_are_accepted(plan_copy: Path) -> None:
    for path in plan_copy.rglob("*.yaml"):
        text = path.read_text(encoding="utf-8").replace("\n", "\r\n")
        path.write_bytes(codecs.BOM_UTF8 + text.encode("utf-8"))
    result = run("validate", "--strict", "--format", "plain")
    assert result.exit_code == 0, result.output


def test_gbk_file(plan_copy: Path) -> None:
    path = plan_copy / "chapters" / "youth.yaml"
    path.write_bytes(path.read_text(encoding="utf-8").encode("gbk"))
    validate_fails(plan_copy, "plan/chapters/youth.yaml:3:8: error encoding", "looks like GBK")


def test_utf16_without_bom(plan_copy: Path) -> None:
    path = plan_copy / "targets.yaml"
    path.write_bytes(path.read_text(encoding="utf-8").encode("utf-16-le"))
    validate_fails(plan_copy, "plan/targets.yaml", "looks like UTF-16")


def test_tabs_in_indentation(plan_copy: Path) -> None:
    edit(plan_copy / "chapters" / "youth.yaml", "\n  - id: youth-talent", "\n\t- id: youth-talent")
    validate_fails(plan_copy, "plan/chapters/youth.yaml:", "tab character")


def test_empty_file(plan_copy: Path) -> None:
    (plan_copy / "units.yaml").write_text("", encoding="utf-8")
    validate_fails(plan_copy, "plan/units.yaml:1:1: error schema: file is empty")


def test_comment_only_file(plan_copy: Path) -> None:
    (plan_copy / "chapters" / "youth.yaml").write_text("# nothing here\n", encoding="utf-8")
    validate_fails(plan_copy, "plan/chapters/youth.yaml:1:1: error schema: file is empty")


def test_list_where_mapping_expected(plan_copy: Path) -> None:
    edit(plan_copy / "chapters" / "youth.yaml", "responsibility:\n  leads:", "responsibility:\n  - leads:")
    out = validate_fails(plan_copy, "plan/chapters/youth.yaml:")
    assert "expected a mapping" in out or "syntax" in out


def test_scalar_where_list_expected(plan_copy: Path) -> None:
    edit(plan_copy / "parts" / "actions.yaml", "chapters:\n  - youth", "chapters: youth\nx:\n  - youth")
    validate_fails(plan_copy, "plan/parts/actions.yaml:")


def test_oversized_file_is_refused_before_parsing(plan_copy: Path) -> None:
    path = plan_copy / "chapters" / "youth.yaml"
    with path.open("a", encoding="utf-8") as fh:
        fh.write("# " + "x" * (MAX_FILE_BYTES + 10) + "\n")
    validate_fails(plan_copy, "plan/chapters/youth.yaml: error file-size", f"{MAX_FILE_BYTES:,} bytes")


def test_alias_bomb_is_refused(plan_copy: Path) -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        prev, cur = chr(ord("a") + i - 1), chr(ord("a") + i)
        lines.append(f"{cur}: &{cur} [{','.join(['*' + prev] * 9)}]")
    (plan_copy / "targets.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    validate_fails(plan_copy, "plan/targets.yaml:1:4: error anchor")


@pytest.mark.parametrize("depth", [100, 5000])
def test_deep_nesting_is_refused(plan_copy: Path, depth: int) -> None:
    (plan_copy / "schedule.yaml").write_text("milestones: " + "[" * depth + "]" * depth + "\n", encoding="utf-8")
    out = validate_fails(plan_copy, "plan/schedule.yaml:1:")
    assert "nesting deeper than 40 levels" in out or "maximum nesting depth" in out  # ours, or libyaml's at 1000


def test_control_character(plan_copy: Path) -> None:
    edit(plan_copy / "chapters" / "youth.yaml", "title: 青少年科学素质提升行动", "title: 青少年\x1b科学素质提升行动")
    validate_fails(plan_copy, "plan/chapters/youth.yaml:3:11: error encoding: control character U+001B")


def test_zero_width_in_an_id(plan_copy: Path) -> None:
    edit(plan_copy / "chapters" / "youth.yaml", "  - id: youth-talent", "  - id: youth\u200b-talent")
    validate_fails(plan_copy, "plan/chapters/youth.yaml:", "U+200B (ZERO WIDTH SPACE)")


def test_look_alike_unit_name(plan_copy: Path) -> None:
    edit(plan_copy / "chapters" / "cadres.yaml", "    - 区委组织部\n", "    - 区委\u3000组织部\n")
    out = validate_fails(plan_copy, "plan/chapters/cadres.yaml:20:7: error unknown-unit")
    assert "U+3000 (IDEOGRAPHIC SPACE), so it is not 区委组织部" in out


def test_trailing_full_width_space(plan_copy: Path) -> None:
    edit(plan_copy / "chapters" / "cadres.yaml", "    - 区委组织部\n", "    - 区委组织部\u3000\n")
    validate_fails(
        plan_copy,
        "plan/chapters/cadres.yaml:20:7: error schema: responsibility.leads.0: text must not start or end with"
        " white space (U+3000 (IDEOGRAPHIC SPACE)): '区委组织部\u3000'",
    )


def test_missing_plan_folder(workdir: Path) -> None:
    result = run("validate", "--plan", workdir / "nowhere")
    assert result.exit_code == 1 and "does not exist" in result.stderr and "Traceback" not in result.output


def test_plan_folder_is_a_file(workdir: Path) -> None:
    (workdir / "plan").write_text("not a folder", encoding="utf-8")
    result = run("validate", "--plan", workdir / "plan")
    assert result.exit_code == 1 and "not a folder" in result.stderr


def test_unreadable_plan_file(plan_copy: Path) -> None:
    (plan_copy / "units.yaml").unlink()
    (plan_copy / "units.yaml").mkdir()
    validate_fails(plan_copy, "plan/units.yaml: error file: cannot read file")


def test_missing_chapters_folder(plan_copy: Path) -> None:
    shutil.rmtree(plan_copy / "chapters")
    validate_fails(
        plan_copy, "plan/parts/actions.yaml:", "chapter 'youth' is listed but plan/chapters/youth.yaml does not exist"
    )


# --- properties: nothing crashes ---------------------------------------------------------------

# inherits the loaded profile (conftest): 100 examples locally, derandomised in CI, 3000 with HYPOTHESIS_PROFILE=thorough
FAST = settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@FAST
@given(st.binary(max_size=400))
def test_any_bytes_are_decoded_or_refused(raw: bytes) -> None:
    text, problems = decode(raw, "f.yaml")
    assert (text is None) == bool(problems)
    if text is not None:
        _, found = parse(text, "f.yaml")
        assert all(p.line >= 0 and p.col >= 0 for p in found)


YAMLISH = st.text(alphabet=st.sampled_from(list("ab: -[]{}&*!|>'\"#%@`,?\n\t 区教局。１\u200b\\")), max_size=200)


@FAST
@given(YAMLISH)
def test_any_text_parses_or_is_refused(text: str) -> None:
    _, problems = parse(text, "f.yaml")
    for p in problems:
        assert p.file == "f.yaml" and p.line >= 0


SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=20), st.dates()
)
DATA = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(
            st.sampled_from(
                [
                    "id",
                    "title",
                    "body",
                    "tasks",
                    "leads",
                    "participants",
                    "etc",
                    "units",
                    "name",
                    "kind",
                    "targets",
                    "value",
                    "milestones",
                    "period",
                    "start",
                    "end",
                    "notice",
                    "plan",
                    "imprint",
                    "chapters",
                    "x",
                ]
            ),
            inner,
            max_size=5,
        ),
    ),
    max_leaves=20,
)


@FAST
@given(st.sampled_from(sorted(KINDS)), DATA)
def test_any_data_gives_problems_not_exceptions(kind: str, data: object) -> None:
    text = yaml.safe_dump(data, allow_unicode=True)
    doc, problems = parse(text, "f.yaml")
    if not problems:
        obj, problems = to_model(doc, KINDS[kind].model)
        assert (obj is None) == bool(problems)
        for p in problems:
            assert p.line >= 1 and p.rule == "schema"


@pytest.fixture(scope="module")
def scratch_plan(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("mutations") / "plan"
    shutil.copytree(PLAN, target)
    return target


FILES = ["chapters/youth.yaml", "units.yaml", "document.yaml", "parts/actions.yaml", "targets.yaml"]


@FAST
@given(
    st.sampled_from(FILES), st.integers(min_value=0, max_value=4000), st.integers(min_value=0, max_value=40), YAMLISH
)
def test_mutated_plans_never_crash_validate(
    scratch_plan: Path, name: str, start: int, length: int, insert: str
) -> None:
    path = scratch_plan / name
    original = (PLAN / name).read_text(encoding="utf-8")
    start = min(start, len(original))
    path.write_text(original[:start] + insert + original[start + length :], encoding="utf-8")
    try:
        result = validate(scratch_plan)
        for p in result.problems:
            assert (Path.cwd() / p.file).resolve().is_relative_to(scratch_plan.resolve()), p.file
        loaded = load_plan(scratch_plan)
        assert (loaded.plan is None) == any(p.is_error for p in loaded.problems)
    finally:
        path.write_text(original, encoding="utf-8")

"""The Python API is whole: what the command line asks and writes, the API asks and writes; the
arguments are checked in the core, with the command line's words (naming parameters, not flags);
the errors come from `kpsy`; the example in `kpsy.api`'s docstring runs."""

from __future__ import annotations

import doctest
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

import kpsy
import kpsy.api
from kpsy.errors import KpsyError

from .conftest import PLAN, REPO, run


@pytest.fixture(scope="module")
def plan() -> kpsy.Plan:
    return kpsy.open_plan(PLAN)


def test_the_docstring_example_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    result = doctest.testmod(kpsy.api, optionflags=doctest.ELLIPSIS, verbose=False)
    assert result.attempted >= 6 and result.failed == 0


def test_the_errors_come_from_kpsy_without_loading_them_at_import() -> None:
    for name in (
        "KpsyError",
        "PlanNotFoundError",
        "PlanInvalidError",
        "UnknownNameError",
        "AmbiguousNameError",
        "UsageError",
        "OutputError",
        "DiffError",
    ):
        error = getattr(kpsy, name)
        assert issubclass(error, KpsyError) and name in kpsy.__all__ and name in dir(kpsy)
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        kpsy.nothing  # noqa: B018
    code = "import sys, kpsy; kpsy.__all__; print(sorted(m for m in sys.modules if m.startswith('kpsy')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "['kpsy']"


def test_a_role_that_is_none_is_refused_as_the_command_line_refuses_it(plan: kpsy.Plan) -> None:
    with pytest.raises(kpsy.UsageError) as refused:
        plan.tasks(unit="区教育局", roles=["leed"])
    assert refused.value.exit_code == 2
    assert str(refused.value) == "“leed”不是角色；可选 牵头、参加、提及（lead、participant、mentioned）"
    result = run("tasks", "--plan", PLAN, "--unit", "区教育局", "--role", "leed")
    assert result.exit_code == 2 and str(refused.value) in result.stderr
    with pytest.raises(kpsy.UsageError):
        plan.listing("tasks", unit="区教育局", roles="leed")
    # a role by any of its names, one alone or several
    assert plan.tasks(unit="区教育局", roles="牵头") == plan.tasks(unit="区教育局", roles=["lead"]) != []


def test_refusals_name_parameters_in_python_and_flags_on_the_command_line(plan: kpsy.Plan) -> None:
    with pytest.raises(kpsy.UsageError) as refused:
        plan.tasks(roles=["lead"])
    assert str(refused.value) == "roles 需要和 unit 一起用"
    result = run("tasks", "--plan", PLAN, "--role", "lead")
    assert result.exit_code == 2 and "--role 需要和 --unit 一起用" in result.stderr
    with pytest.raises(kpsy.UsageError, match="period 只用于"):
        plan.document("summary", period="2024")
    with pytest.raises(kpsy.UsageError, match=r"交办函也必须给出 unit$"):
        plan.document("letter")
    with pytest.raises(kpsy.UsageError, match=r"没有文件“sumary”.*summary"):
        plan.render("sumary")
    with pytest.raises(kpsy.UsageError, match=r"^old_plan 和 new_plan 须同时给出$"):
        kpsy.diff(PLAN, old_plan=PLAN)
    with pytest.raises(kpsy.UsageError, match=r"^请给出 old（一个 git 修订版），或 old_plan new_plan$"):
        kpsy.diff(PLAN)
    result = run("diff", "--plan", PLAN, "--old-plan", PLAN)
    assert result.exit_code == 2 and "--old-plan 和 --new-plan 须同时给出" in result.stderr
    with pytest.raises(kpsy.UsageError, match="format"):
        kpsy.write(plan.listing("units"), Path("x.csv"), format="xlsx")


def test_every_listing_the_command_line_shows_is_the_apis(plan: kpsy.Plan) -> None:
    questions = {
        "tasks": (["--unit", "区教育局", "--role", "牵头"], {"unit": "区教育局", "roles": ["牵头"]}),
        "units": ([], {}),
        "coverage": ([], {}),
        "targets": ([], {}),
        "schedule": ([], {}),
        "search": (["应急", "--unit", "区卫健局"], {"text": "应急", "unit": "区卫健局"}),
    }
    for name, (args, params) in questions.items():
        result = run(name, *args, "--plan", PLAN, "-f", "json")
        assert result.exit_code == 0, (name, result.output)
        out = io.StringIO()
        assert kpsy.write(plan.listing(name, **params), out, format="json") == []
        assert json.loads(out.getvalue()) == json.loads(result.stdout), name
    with pytest.raises(kpsy.UsageError, match=r"没有列表“task”.*tasks"):
        plan.listing("task")


def test_write_to_a_path_or_a_stream(plan: kpsy.Plan, tmp_path: Path) -> None:
    listing = plan.listing("tasks", unit="区教育局")
    written = kpsy.write(listing, tmp_path / "任务.xlsx")
    assert written == [tmp_path / "任务.xlsx"] and written[0].read_bytes()[:2] == b"PK"
    text = io.StringIO()
    kpsy.write(listing, text, format="csv")
    assert text.getvalue().startswith("\ufeff编号,任务,牵头单位")
    binary = io.BytesIO()
    kpsy.write(listing, binary, format="xlsx")
    assert binary.getvalue()[:2] == b"PK"
    with pytest.raises(kpsy.OutputError, match="二进制"):
        kpsy.write(listing, io.StringIO(), format="xlsx")
    with pytest.raises(TypeError, match="not int"):
        kpsy.write(3, io.StringIO())
    findings = io.StringIO()
    kpsy.write(kpsy.validate(PLAN), findings, format="json")
    assert json.loads(findings.getvalue())["problems"] == []
    shown = io.StringIO()
    kpsy.write(plan.show("youth-talent"), shown)
    assert "二（一）5．" in shown.getvalue()


def test_documents_letters_sheets_and_the_text_as_the_command_line_writes_them(plan: kpsy.Plan, tmp_path: Path) -> None:
    markdown = io.BytesIO()
    plan.write_document("table", markdown, format="md")
    assert markdown.getvalue().decode() == plan.render("table")
    (docx,) = plan.write_document("letter", tmp_path / "交办函.docx", "区教育局")
    assert docx.read_bytes()[:2] == b"PK"
    with pytest.raises(kpsy.UsageError, match=r"\.csv"):
        plan.write_document("summary", tmp_path / "要点.csv")
    letters = plan.write_letters(tmp_path / "letters", ["区教育局", "区科协"], format="both")
    assert letters.units == 2 and sorted(p.suffix for p in letters.written) == [".docx", ".docx", ".md", ".md"]
    with pytest.raises(kpsy.UsageError, match="没有交办函格式“pdf”"):
        plan.write_letters(tmp_path / "letters", format="pdf")
    result = run("export", "text", "--plan", PLAN)
    assert result.exit_code == 0 and result.stdout == plan.text()


def test_a_diff_is_written_as_the_command_line_writes_it(tmp_path: Path) -> None:
    old, new = REPO / "tests" / "fixtures" / "qingshan" / "plan", REPO / "tests" / "fixtures" / "qingshan-2024" / "plan"
    result = kpsy.diff(old_plan=old, new_plan=new)
    assert result.count > 0
    out = io.StringIO()
    kpsy.write(result, out, format="json")
    cli = run("diff", "--old-plan", old, "--new-plan", new, "-f", "json")
    assert cli.exit_code == 0 and json.loads(out.getvalue()) == json.loads(cli.stdout)
    (table,) = kpsy.write(result, tmp_path / "修改对照表.docx")
    assert table.read_bytes()[:2] == b"PK"


def test_a_fill_in_sheet_is_written_to_a_path_or_a_stream(plan_copy: Path) -> None:
    """In a copy of the plan: the sheet key is made in the plan folder on first use."""
    opened = kpsy.open_plan(plan_copy)
    (sheet,) = opened.write_sheet("区教育局", "2024", plan_copy.parent / "区教育局-2024.xlsx")
    assert sheet.read_bytes()[:2] == b"PK" and (plan_copy / ".kpsy" / "sheet-key").is_file()
    stream = io.BytesIO()
    assert opened.write_sheet("区教育局", "2024", stream) == [] and stream.getvalue()[:2] == b"PK"
    with pytest.raises(kpsy.UsageError, match=r"\.csv"):
        opened.write_sheet("区教育局", "2024", plan_copy.parent / "x.csv")

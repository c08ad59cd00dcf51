"""Queries, checked against the original text rather than against the YAML."""

from __future__ import annotations

import csv
import io
import json
import re
import sys
from pathlib import Path

import pytest

from kpsy.api import open_plan
from kpsy.queries.tasks import all_rows

from .conftest import PLAN, SOURCE, edit, run

UNITS_IN_ORDER = [
    "区委组织部",
    "区委宣传部",
    "区委统战部",
    "区老干部服务中心",
    "区发改局",
    "区教育局",
    "区科工信局",
    "区民宗局",
    "区民政局",
    "区财政局",
    "区人社局",
    "区自然资源局",
    "区农业农村局",
    "区乡村振兴局",
    "区文旅体局",
    "区卫健局",
    "区市场监管局",
    "区应急管理局",
    "区国动办",
    "生态环境局雁峰分局",
    "区融媒体中心",
    "区工商联",
    "区总工会",
    "团区委",
    "区妇联",
    "区科协",
]


def source_assignments() -> dict[str, tuple[list[str], list[str], int]]:
    """From the original text alone: action title -> (leads, participants, number of tasks)."""
    found: dict[str, tuple[list[str], list[str], int]] = {}
    title, count = "", 0
    for line in SOURCE.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if m := re.match(r"（[一二三四五六七八九十]+）([^。]+)。", line):
            title, count = m.group(1), 0
        elif re.match(r"\d+．", line):
            count += 1
        elif m := re.match(r"（责任分工：由(.+?)牵头，(.+?)等单位参加）", line):
            found[title] = (m.group(1).split("、"), m.group(2).split("、"), count)
    return found


SOURCE_ACTIONS = source_assignments()


def test_source_has_nine_actions_and_26_units() -> None:
    assert len(SOURCE_ACTIONS) == 9
    named = {u for leads, parts, _ in SOURCE_ACTIONS.values() for u in leads + parts}
    assert named == set(UNITS_IN_ORDER)


@pytest.mark.parametrize("unit", UNITS_IN_ORDER)
def test_tasks_of_each_unit_match_the_original(unit: str) -> None:
    result = run("tasks", "--unit", unit, "--format", "json", "--plan", PLAN)
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assigned = [r for r in rows if r["role"] in ("lead", "participant")]
    got: dict[str, tuple[str, int]] = {}
    for r in assigned:
        role, n = got.get(r["action_title"], (r["role"], 0))
        assert role == r["role"], "one role per action"
        got[r["action_title"]] = (role, n + 1)
    expected = {
        title: ("lead" if unit in leads else "participant", tasks)
        for title, (leads, parts, tasks) in SOURCE_ACTIONS.items()
        if unit in leads or unit in parts
    }
    assert got == expected
    for r in assigned:
        leads, parts, _ = SOURCE_ACTIONS[r["action_title"]]
        assert (r["leads"], r["participants"]) == (leads, parts)
    # document order
    numbers = [r["task_number"] for r in rows]
    assert numbers == [r.task_number for r in all_rows(open_plan(PLAN).data) if r.task_number in numbers]


def test_json_fields() -> None:
    rows = json.loads(run("tasks", "-u", "区教育局", "-f", "json", "--plan", PLAN).stdout)
    first = rows[0]
    assert {
        "task_id",
        "task_number",
        "task_title",
        "action_id",
        "action_title",
        "role",
        "leads",
        "participants",
    } <= set(first)
    assert first["task_id"] == "youth-scientist-spirit"
    assert first["task_number"] == "二（一）1．"
    assert first["task_title"] == "将弘扬科学精神和科学家精神贯穿于育人全链条"
    assert first["role"] == "lead"
    assert first["leads"] == ["区教育局", "团区委", "区科协"]


def test_mentioned_where_no_responsibility_line_names_the_unit() -> None:
    rows = json.loads(run("tasks", "-u", "区科协", "-r", "mentioned", "-f", "json", "--plan", PLAN).stdout)
    assert [(r["task_id"], r["role"], r["kind"]) for r in rows] == [("organisation", "mentioned", "chapter")]
    gov = json.loads(run("tasks", "-u", "区人民政府", "-f", "json", "--plan", PLAN).stdout)
    assert [r["task_id"] for r in gov] == ["organisation", "mech-evaluation", "schedule"]
    assert {r["role"] for r in gov} == {"mentioned"}


def test_strongest_role_wins() -> None:
    # 区融媒体中心 is named in the text of 三（二）2 and 3 and is a participant there: participant wins.
    rows = json.loads(run("tasks", "-u", "融媒体中心", "-f", "json", "--plan", PLAN).stdout)
    assert {(r["task_number"], r["role"]) for r in rows} == {
        ("三（二）1．", "participant"),
        ("三（二）2．", "participant"),
        ("三（二）3．", "participant"),
    }


def test_mentions_do_not_confuse_names_that_contain_one_another() -> None:
    units = open_plan(PLAN).data.units
    assert units.mentions("发展壮大老科协等老年团体") == []
    assert units.mentions("社区科协和区科协") == ["区科协"]
    assert units.mentions("衡阳市雁峰区科学技术协会负责") == ["区科协"]
    assert units.mentions("要支持区全民科学素质纲要实施工作办公室") == ["区全民科学素质纲要实施工作办公室"]


@pytest.mark.parametrize(
    "name", ["区教育局", "教育局", "雁峰区教育局", "衡阳市雁峰区教育局", "education", " 区教育局 "]
)
def test_unit_names_resolve(name: str) -> None:
    assert open_plan(PLAN).unit(name).name == "区教育局"


def test_unknown_unit_exits_1_with_closest_matches() -> None:
    result = run("tasks", "--unit", "区教育厅", "--plan", PLAN)
    assert result.exit_code == 1
    assert "方案中没有单位“区教育厅”" in result.stderr and "区教育局" in result.stderr
    assert "Traceback" not in result.output


def test_filters() -> None:
    rows = json.loads(run("tasks", "-u", "区教育局", "-r", "lead", "-f", "json", "--plan", PLAN).stdout)
    assert {r["action_id"] for r in rows} == {"youth", "science-resources"} and len(rows) == 10
    rows = json.loads(run("tasks", "-u", "区教育局", "--part", "三", "-f", "json", "--plan", PLAN).stdout)
    assert {r["part_id"] for r in rows} == {"projects"} and len(rows) == 13
    rows = json.loads(run("tasks", "--action", "二（三）", "-f", "json", "--plan", PLAN).stdout)
    assert [r["task_id"] for r in rows] == [
        "workers-ideals",
        "workers-skills-innovation",
        "workers-vocational-skills",
        "workers-entrepreneurs",
    ]
    assert all(r["role"] is None for r in rows)


def test_without_unit_lists_every_numbered_task() -> None:
    rows = json.loads(run("tasks", "-f", "json", "--plan", PLAN).stdout)
    assert len(rows) == 38 and rows[-1]["task_number"] == "四（三）2．"


def test_role_needs_unit_and_bad_filters_exit_1() -> None:
    assert run("tasks", "--role", "lead", "--plan", PLAN).exit_code == 2
    result = run("tasks", "--action", "yuth", "--plan", PLAN)
    assert result.exit_code == 1 and "youth" in result.stderr
    assert run("tasks", "--part", "九", "--plan", PLAN).exit_code == 1


def test_table_when_piped_is_plain_aligned_text() -> None:
    out = run("tasks", "-u", "区乡村振兴局", "--plan", PLAN).stdout
    assert not set("│┃━─╭") & set(out) and "\x1b[" not in out
    lines = out.splitlines()
    assert lines[0] == "二（二）农民科学素质提升行动"
    assert lines[1] == "  牵头单位：区农业农村局、区乡村振兴局"
    header = next(line for line in lines if line.startswith("编号"))
    row = next(line for line in lines if line.startswith("二（二）1．"))
    # the role column lines up by display width (each Chinese character is two columns)
    from kpsy.outputs.layout import display_width

    assert display_width(header[: header.index("角色")]) == display_width(row[: row.index("牵头")])
    assert lines[-1].startswith("区乡村振兴局：牵头 1 项行动（3 项任务）")


def test_wrapping_by_display_width(monkeypatch: pytest.MonkeyPatch) -> None:
    from kpsy.outputs.layout import display_width, wrap

    assert wrap("一二三四五", 4) == ["一二", "三四", "五"]
    assert all(display_width(line) <= 30 for line in wrap("区委组织部、区委宣传部、区人社局、区教育局、区财政局", 30))
    monkeypatch.setenv("COLUMNS", "60")
    out = run("tasks", "-u", "区教育局", "--plan", PLAN).stdout
    assert max(display_width(line) for line in out.splitlines()) <= 60


def test_csv_format() -> None:
    out = run("tasks", "-u", "区教育局", "-f", "csv", "--plan", PLAN).stdout
    assert out.startswith("\ufeff编号,任务,牵头单位,参加单位,角色,")  # what a clerk reads first
    rows = list(csv.DictReader(io.StringIO(out.removeprefix("\ufeff"))))
    assert len(rows) == 30
    assert rows[0]["任务ID"] == "youth-scientist-spirit" and rows[0]["角色"] == "牵头"
    assert rows[0]["牵头单位"] == "区教育局、团区委、区科协"


def test_md_format() -> None:
    out = run("tasks", "-u", "区教育局", "-f", "md", "--plan", PLAN).stdout
    assert out.startswith("# 区教育局的任务\n")
    assert "## 二（一）青少年科学素质提升行动" in out
    assert "| 二（一）1． | 将弘扬科学精神和科学家精神贯穿于育人全链条 | 牵头 |" in out


def test_md_escapes_specials() -> None:
    from kpsy.util import md_escape

    assert md_escape("a|b*c_d<e>[f]") == r"a\|b\*c\_d\<e\>\[f\]"
    assert md_escape("1. 开头") == r"1\. 开头"


def test_xlsx_format(workdir: Path) -> None:
    from openpyxl import load_workbook

    result = run("coverage", "-f", "xlsx", "-o", "matrix.xlsx", "--plan", PLAN)
    assert result.exit_code == 0, result.output
    book = load_workbook(workdir / "matrix.xlsx")
    sheet = book["分工矩阵"]
    assert sheet.freeze_panes == "A2"
    assert [c.value for c in sheet[1]][:4] == ["序号", "单位", "类别", "二（一）"]
    units = [sheet.cell(row=r, column=2).value for r in range(2, 28)]
    assert units[:26] == UNITS_IN_ORDER
    assert sheet.column_dimensions["B"].width >= 10
    assert sheet.page_setup.orientation == "landscape"
    edu = [c.value for c in sheet[7]]
    assert edu[1] == "区教育局" and edu[3] == "牵" and edu[4] == "参"
    assert "说明" in book.sheetnames


def test_xlsx_needs_output_file() -> None:
    result = run("units", "-f", "xlsx", "--plan", PLAN)
    assert result.exit_code == 2 and "-o FILE" in result.stderr


def test_units_in_protocol_order_with_counts() -> None:
    rows = json.loads(run("units", "-f", "json", "--plan", PLAN).stdout)
    assert [r["name"] for r in rows][:26] == UNITS_IN_ORDER
    edu = next(r for r in rows if r["name"] == "区教育局")
    assert (edu["lead_actions"], edu["participant_actions"], edu["lead_tasks"], edu["participant_tasks"]) == (
        2,
        6,
        10,
        20,
    )
    kx = next(r for r in rows if r["name"] == "区科协")
    assert (kx["lead_actions"], kx["participant_actions"], kx["mentioned_actions"]) == (2, 7, 1)


def test_units_table() -> None:
    out = run("units", "--plan", PLAN).stdout.splitlines()
    at = next(i for i, line in enumerate(out) if line.startswith("序号"))
    assert out[at].split()[:3] == ["序号", "单位", "类别"]
    assert out[at + 1].split()[:3] == ["1", "区委组织部", "党委部门"]


def test_coverage_findings() -> None:
    data = json.loads(run("coverage", "-f", "json", "--plan", PLAN).stdout)
    assert [a["id"] for a in data["actions"]] == [
        "youth",
        "farmers",
        "workers",
        "elderly",
        "cadres",
        "science-resources",
        "informatization",
        "infrastructure",
        "grassroots",
    ]
    assert data["matrix"][5] == {
        "unit": "区教育局",
        "unit_id": "education",
        "roles": {
            "youth": "lead",
            "farmers": "participant",
            "workers": "participant",
            "elderly": "participant",
            "science-resources": "lead",
            "informatization": "participant",
            "infrastructure": "participant",
            "grassroots": "participant",
        },
    }
    rules = [(f["rule"], f["subject"]) for f in data["findings"]]
    assert rules == [("no-responsibility", "general"), ("no-responsibility", "implementation")]
    assert data["findings"][1]["units"] == ["区科协", "区人民政府", "区全民科学素质纲要实施工作办公室"]


def test_coverage_reports_missing_lead_and_named_not_assigned(plan_copy: Path) -> None:
    edit(plan_copy / "chapters" / "informatization.yaml", "    - 区融媒体中心\n", "")
    data = json.loads(run("coverage", "-f", "json").stdout)
    named = [f for f in data["findings"] if f["rule"] == "named-not-assigned"]
    assert [(f["subject"], f["units"]) for f in named] == [("informatization", ["区融媒体中心"])]
    assert any(f["rule"] == "unassigned-unit" and f["subject"] == "media-centre" for f in data["findings"])
    matrix = {m["unit"]: m["roles"] for m in data["matrix"]}
    assert matrix["区融媒体中心"] == {"informatization": "mentioned"}


def test_coverage_table_and_md() -> None:
    out = run("coverage", "--plan", PLAN).stdout
    assert "\n四、组织实施未列责任分工；正文提及区科协" in out and "[no-responsibility]" not in out
    md = run("coverage", "-f", "md", "--plan", PLAN).stdout
    assert "| 6 | 区教育局 | 牵 | 参 | 参 | 参 |  | 牵 | 参 | 参 | 参 |" in md


def test_targets_and_schedule() -> None:
    targets = json.loads(run("targets", "-f", "json", "--plan", PLAN).stdout)
    assert [(t["statement"], t["year"], t["where"]) for t in targets] == [
        ("公民具备科学素质的比例超过15%", 2025, "一（二）总体目标"),
        ("居民健康素养水平不低于25%", 2025, "三（四）3．实施基层科普服务能力提升工程"),
    ]
    schedule = json.loads(run("schedule", "-f", "json", "--plan", PLAN).stdout)
    assert [m["period"] for m in schedule] == ["2023年", "2023-2024年", "2025年"]
    assert all(m["where"] == "四（四）进度安排" for m in schedule)
    csv_out = run("schedule", "-f", "csv", "--plan", PLAN).stdout
    assert csv_out.splitlines()[0] == "\ufeff时间,工作,出处,原文,开始,结束,ID,出处ID"


def test_show_task_chapter_and_part() -> None:
    out = run("show", "grassroots-capacity", "--plan", PLAN).stdout
    assert out.startswith("三（四）3．实施基层科普服务能力提升工程\n")
    assert "牵头单位：区科工信局、区应急管理局、区卫健局" in out
    assert "居民健康素养水平不低于25%" in out
    data = json.loads(run("show", "schedule", "-f", "json", "--plan", PLAN).stdout)
    assert data["kind"] == "chapter" and len(data["milestones"]) == 3
    part = json.loads(run("show", "general", "-f", "json", "--plan", PLAN).stdout)
    assert part["number"] == "一、" and part["paragraphs"][0] == "一、总体要求"
    assert [t["id"] for t in part["targets"]] == ["science-literacy-rate"]
    md = run("show", "youth", "-f", "md", "--plan", PLAN).stdout
    assert md.startswith("# 二（一）青少年科学素质提升行动")


def test_show_unknown_id() -> None:
    result = run("show", "youth-talen", "--plan", PLAN)
    assert result.exit_code == 1 and "youth-talent" in result.stderr


def test_output_file_is_written_atomically(workdir: Path) -> None:
    assert run("tasks", "-u", "区教育局", "-f", "json", "-o", "t.json", "--plan", PLAN).exit_code == 0
    assert len(json.loads((workdir / "t.json").read_text(encoding="utf-8"))) == 30
    assert sorted(p.name for p in workdir.iterdir()) == ["t.json"]


def test_listings_do_not_import_rendering_modules() -> None:
    import subprocess

    code = (
        "import sys; from kpsy.cli import app\n"
        "try: app(['tasks', '--unit', '区教育局', '--plan', sys.argv[1]])\n"
        "except SystemExit: pass\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('jinja2', 'pypandoc', 'docx', 'openpyxl', 'rich')), file=sys.stderr)"
    )
    proc = subprocess.run([sys.executable, "-c", code, str(PLAN)], capture_output=True, text=True, check=True)
    assert proc.stderr.strip().splitlines()[-1] == "[]"

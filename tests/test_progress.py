"""Progress reports as plan data: the sample, the periods, the rules at file:line:col, and the views
(kpsy progress, progress missing, progress --unit, targets) in every listing format."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pytest
import yaml

from kpsy.api import open_plan
from kpsy.plan.periods import parse_period, sort_periods
from kpsy.queries.progress import indicators, meets

from . import golden
from .conftest import PLAN, SAMPLE, edit, run, tree_digest


def files_of(folder: Path) -> set[str]:
    """The plan's files: kpsy's private folder .kpsy/ (the sheet key a test's `progress sheet` made) aside."""
    return {
        str(p.relative_to(folder))
        for p in folder.rglob("*")
        if p.is_file() and ".kpsy" not in p.relative_to(folder).parts
    }


def without_baselines(path: Path) -> object:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for target in data.get("targets", []):
        target.pop("baseline", None)
    return data


def test_the_sample_is_the_bundled_plan_with_made_up_reports() -> None:
    """examples/progress-sample/plan is plan/ plus progress/ (and baselines in targets.yaml), so that
    it never drifts from the real plan; KPSY_UPDATE_GOLDEN=progress-sample copies plan/ over it again."""
    ours = files_of(SAMPLE)
    theirs = files_of(PLAN)
    if golden.wanted() == "progress-sample":
        for name in theirs - {"targets.yaml"}:
            (SAMPLE / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(PLAN / name, SAMPLE / name)
        for name in ours - theirs:
            if not name.startswith("progress/"):
                (SAMPLE / name).unlink()
        ours = files_of(SAMPLE)
    assert {n for n in ours - theirs} == {n for n in ours if n.startswith("progress/")}
    assert theirs <= ours
    for name in theirs - {"targets.yaml"}:
        assert (SAMPLE / name).read_bytes() == (PLAN / name).read_bytes(), name
    assert without_baselines(SAMPLE / "targets.yaml") == without_baselines(PLAN / "targets.yaml")
    # two periods, a few units, each file marked as made up
    reports = sorted(p for p in (SAMPLE / "progress").rglob("*.yaml"))
    assert {p.parent.name for p in reports} == {"2023", "2024"}
    assert 3 <= len({p.stem for p in reports}) <= 8
    for path in reports:
        assert "示例数据（虚构）" in path.read_text(encoding="utf-8").split("\n")[1]


def test_the_sample_is_valid_canonical_and_fits_its_schema(workdir: Path) -> None:
    import jsonschema

    from kpsy.plan.schema import schema_text

    result = run("validate", "--plan", SAMPLE, "--strict", "--format", "plain")
    assert (result.exit_code, result.stdout) == (0, "")
    assert run("fmt", "--check", "--plan", SAMPLE).exit_code == 0
    schema = json.loads(schema_text("progress"))
    for path in (SAMPLE / "progress").rglob("*.yaml"):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        data["date"] = str(data["date"])
        for actual in data.get("indicators", []):
            actual["date"] = str(actual["date"])
        jsonschema.validate(data, schema)
        assert path.read_text(encoding="utf-8").startswith(
            "# yaml-language-server: $schema=../../../schema/progress.json\n"
        )


def test_textconv_shows_a_report_a_task_at_a_time() -> None:
    path = SAMPLE / "progress" / "2024" / "education.yaml"
    text = run("textconv", path).stdout
    assert text.startswith("progress education 2024\nreporter: 陈晓（示例）\n")
    assert "\ntask youth-scientist-spirit: 欠进度 50%\n  progress:\n    （示例）" in text


@pytest.mark.parametrize(
    ("text", "label", "start", "end"),
    [
        ("2024", "2024年", "2024-01-01", "2024-12-31"),
        (2024, "2024年", "2024-01-01", "2024-12-31"),
        ("2024Q3", "2024年第三季度", "2024-07-01", "2024-09-30"),
        ("2024-02", "2024年2月", "2024-02-01", "2024-02-29"),
    ],
)
def test_periods(text: object, label: str, start: str, end: str) -> None:
    period = parse_period(text)
    assert period is not None
    assert (period.label, period.start.isoformat(), period.end.isoformat()) == (label, start, end)


@pytest.mark.parametrize("text", ["2024Q5", "2024-13", "2024-5", "24", "2024年", "", True, 2024.0, "１２３４"])
def test_not_periods(text: object) -> None:
    assert parse_period(text) is None


def test_periods_in_time_order() -> None:
    assert sort_periods(["2024", "2024Q3", "2023", "2024-05", "2024Q2", "2024-07"]) == [
        "2023",
        "2024-05",
        "2024Q2",
        "2024-07",
        "2024Q3",
        "2024",
    ]


# --- the rules -----------------------------------------------------------------------------------

REPORT = """\
unit: education
period: '2024'
reporter: 张三
approver: 李四
date: 2024-12-08
tasks:
  - task: youth-basic-education
    status: 达进度
    progress: 开展科学课教研活动12场。
"""


def write_report(plan: Path, period: str, name: str, text: str) -> Path:
    path = plan / "progress" / period / f"{name}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def findings(*extra: str) -> list[str]:
    result = run("validate", "--format", "plain", *extra)
    return result.stdout.splitlines()


def test_a_sound_report_is_valid(plan_copy: Path) -> None:
    write_report(plan_copy, "2024", "education", REPORT)
    assert findings() == []
    assert run("validate", "--strict").exit_code == 0


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            ("unit: education", "unit: educatoin"),
            [
                "plan/progress/2024/education.yaml:1:7: error file-name: 单位“educatoin”与文件名 education.yaml 不一致",
            ],
        ),
        (
            ("task: youth-basic-education", "task: youth-basic-educaton"),
            [
                "plan/progress/2024/education.yaml:7:11: error progress-reference: 未知任务ID“youth-basic-educaton”；是否指 youth-basic-education？"
            ],
        ),
        (
            ("task: youth-basic-education", "task: youth"),
            [
                "plan/progress/2024/education.yaml:7:11: error progress-reference: “youth”是行动（二（一）青少年科学素质提升行动），请按其下的任务填报（youth-scientist-spirit 等）"
            ],
        ),
        (
            ("task: youth-basic-education", "task: guiding-idea"),
            [
                "plan/progress/2024/education.yaml:7:11: error progress-reference: “guiding-idea”（一（一）指导思想）不是填报进展的任务"
            ],
        ),
        (
            ("task: youth-basic-education", "task: farmers-training"),
            [],  # 区教育局 participates in 二（二）
        ),
        (
            ("task: youth-basic-education", "task: cadres-new-philosophy"),
            [
                "plan/progress/2024/education.yaml:7:11: warning progress-role: 区教育局在二（五）1．深入贯彻落实新发展理念中没有职责（既非牵头、参加单位，文中也未提及）"
            ],
        ),
        (
            ("period: '2024'", "period: '2023'"),
            ["plan/progress/2024/education.yaml:2:9: error progress-period: 期间“2023”与所在文件夹 2024/ 不一致"],
        ),
        (
            ("date: 2024-12-08", "date: 2023-12-08"),
            [
                "plan/progress/2024/education.yaml:5:7: error progress-period: 填报日期 2023-12-08 早于填报期间 2024年 的开始"
            ],
        ),
        (
            ("status: 达进度", "status: 快完成了"),
            [
                "plan/progress/2024/education.yaml:8:13: error schema: tasks.0.status：应当是已完成、超进度、达进度、欠进度、未启动、其他之一，而不是“快完成了”"
            ],
        ),
        (
            ("period: '2024'", "period: 2024年"),
            [
                "plan/progress/2024/education.yaml:2:9: error schema: period：“2024年”不是期间：请写年度（2024）、季度（2024Q3）或月份（2024-05）"
            ],
        ),
        (
            ("    progress: 开展科学课教研活动12场。", "    percent: 120\n    progress: 开展科学课教研活动12场。"),
            ["plan/progress/2024/education.yaml:9:14: error schema: tasks.0.percent：不能大于 100，而不是 120"],
        ),
        (
            ("date: 2024-12-08\n", ""),
            ["plan/progress/2024/education.yaml:1:1: error schema: 缺少必填字段“date”"],
        ),
        (
            ("    progress: 开展科学课教研活动12场。\n", ""),
            ["plan/progress/2024/education.yaml:7:5: error schema: 缺少必填字段“progress”"],
        ),
    ],
)
def test_findings_about_a_report(plan_copy: Path, change: tuple[str, str], expected: list[str]) -> None:
    write_report(plan_copy, "2024", "education", REPORT.replace(*change))
    assert findings() == expected


def test_a_year_may_be_written_without_quotes(plan_copy: Path) -> None:
    write_report(plan_copy, "2024", "education", REPORT.replace("period: '2024'", "period: 2024"))
    assert findings() == []


def test_duplicates_unknown_targets_and_periods_outside_the_plan(plan_copy: Path) -> None:
    text = REPORT.replace("period: '2024'", "period: '2019'").replace("2024-12-08", "2019-12-08")
    text += """\
  - task: youth-basic-education
    status: 已完成
    progress: 重复。
indicators:
  - target: science-literacy
    value: 12.5
    date: 2019-10-01
    source: 抽样调查
  - target: science-literacy-rate
    value: 12.5
    date: 2019-10-01
    source: 抽样调查
  - target: science-literacy-rate
    value: 12.6
    date: 2019-10-01
    source: 抽样调查
"""
    write_report(plan_copy, "2019", "education", text)
    assert findings() == [
        "plan/progress/2019/education.yaml:2:9: error progress-period: 期间 2019 不在规划期 2021-2025 年内",
        "plan/progress/2019/education.yaml:10:11: error progress-duplicate: 任务“youth-basic-education”重复填报（第 1 项已填报）",
        "plan/progress/2019/education.yaml:14:13: error progress-reference: 未知目标ID“science-literacy”；是否指 science-literacy-rate？",
        "plan/progress/2019/education.yaml:22:5: error progress-duplicate: 指标“science-literacy-rate”在 2019-10-01 的数值重复填报",
    ]


def test_done_then_behind_is_a_warning_at_the_later_report(plan_copy: Path) -> None:
    write_report(plan_copy, "2023", "education", REPORT.replace("2024", "2023").replace("达进度", "已完成"))
    write_report(
        plan_copy, "2024Q2", "education", REPORT.replace("'2024'", "2024Q2").replace("2024-12-08", "2024-06-30")
    )
    write_report(plan_copy, "2024", "education", REPORT.replace("达进度", "欠进度"))
    assert findings() == [
        "plan/progress/2024/education.yaml:8:13: warning progress-regress: 二（一）2．推进基础教育阶段科学教育在2023年已报“已完成”，本期却为“欠进度”",
    ]
    assert run("validate").exit_code == 0
    assert run("validate", "--strict").exit_code == 1
    # in English, and silenced on its line with a reason
    english = run("--lang", "en", "validate", "--format", "plain").stdout
    assert "was reported 已完成 for 2023年 but is 欠进度 now" in english
    path = plan_copy / "progress" / "2024" / "education.yaml"
    edit(path, "    status: 欠进度", "    status: 欠进度  # kpsy: ignore[progress-regress] 新学期重新计算")
    assert findings() == []


def test_a_broken_report_stops_every_command_that_needs_a_sound_plan(plan_copy: Path) -> None:
    write_report(plan_copy, "2024", "education", REPORT.replace("task: youth-basic-education", "task: nothing"))
    result = run("tasks", "--unit", "区教育局")
    assert result.exit_code == 1
    assert "plan/progress/2024/education.yaml:7:11: error progress-reference" in result.stderr


def test_progress_in_the_wrong_place_is_an_unknown_file(plan_copy: Path) -> None:
    (plan_copy / "progress").mkdir()
    (plan_copy / "progress" / "education.yaml").write_text(REPORT, encoding="utf-8")
    assert findings() == ["plan/progress/education.yaml: warning unknown-file: 不是 kpsy 认识的计划文件，已忽略"]


# --- the views -----------------------------------------------------------------------------------


def test_no_reports_no_change(workdir: Path) -> None:
    """Without progress data the plan's own outputs are as they always were."""
    result = run("targets", "--plan", PLAN, "-f", "json")
    assert [sorted(r) for r in json.loads(result.stdout)] == [
        sorted(["id", "indicator", "comparator", "value", "unit", "statement", "year", "due", "ref", "where", "quote"])
    ] * 2
    result = run("progress", "--plan", PLAN)
    assert result.exit_code == 1
    assert "还没有进展报告" in result.stderr and "--period" in result.stderr
    result = run("progress", "missing", "--plan", PLAN, "--period", "2024")
    assert result.exit_code == 0
    assert result.stdout.count("未报送  ") == 26
    assert result.stdout.rstrip().endswith("2024年：26 个单位未报送，0 个单位部分未报")


def test_the_period_view(sample_copy: Path) -> None:
    table = run("progress")
    assert table.exit_code == 0, table.output
    lines = table.stdout.splitlines()
    assert lines[0] == "2024年：应报 26 个单位、447 项（单位×任务），5 个单位已报送；欠进度 16 项，占 3.6%"
    assert "欠进度    16    3.6%" in lines
    assert "合计      447   100.0%" in lines
    assert run("progress", "--period", "2024").stdout == table.stdout
    data = json.loads(run("progress", "-f", "json").stdout)
    assert data["period"] == "2024" and data["periods"] == ["2023", "2024"]
    assert [c["status"] for c in data["overall"]] == [
        "done",
        "ahead",
        "on-track",
        "behind",
        "not-started",
        "other",
        "missing",
    ]
    assert sum(c["count"] for c in data["overall"]) == data["total"] == 447
    behind = next(c for c in data["overall"] if c["status"] == "behind")
    assert (behind["label"], behind["count"], behind["percent"]) == ("欠进度", 16, 3.6)
    for action in data["actions"]:
        assert sum(c["count"] for c in action["counts"]) == action["total"]
    assert sum(a["total"] for a in data["actions"]) == 447
    first = data["matrix"][0]
    assert first["task_id"] == "youth-scientist-spirit"
    assert first["cells"]["区教育局"] == "behind" and first["cells"]["区委宣传部"] == "missing"
    assert first["roles"]["区教育局"] == "lead"
    assert {m["unit"] for m in data["missing"]} >= {"区委组织部", "团区委"}
    assert next(m for m in data["missing"] if m["unit"] == "团区委")["state"] == "incomplete"
    # the same numbers from the API
    plan = open_plan(sample_copy)
    view = plan.progress("2024").progress
    assert view.count("欠进度") == 16 and view.total == 447
    # another period
    older = json.loads(run("progress", "--period", "2023", "-f", "json").stdout)
    assert older["period"] == "2023" and older["total"] == 447


def csv_rows(text: str) -> list[dict[str, str]]:
    """CSV as Excel reads it: the byte-order mark first, then Chinese headers."""
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))


def test_every_listing_format_of_the_period_view(sample_copy: Path) -> None:
    md = run("progress", "-f", "md").stdout
    assert "| 欠进度 | 16 | 3.6% |" in md and "# 状态矩阵" in md and "## 二（一）青少年科学素质提升行动" in md
    rows = csv_rows(run("progress", "-f", "csv").stdout)
    reported = [yaml.safe_load(p.read_text(encoding="utf-8")) for p in (sample_copy / "progress" / "2024").iterdir()]
    assert len(rows) == sum(len(r["tasks"]) for r in reported)  # every line reported in 2024
    assert rows[0]["单位"] == "区教育局" and rows[0]["状态键"] == "behind" and rows[0]["完成状态"] == "欠进度"
    assert rows[0]["角色"] == "牵头" and rows[0]["任务ID"] == "youth-scientist-spirit"
    assert run("progress", "-f", "xlsx").exit_code == 2  # needs -o
    assert run("progress", "-f", "html").exit_code == 2
    assert run("progress", "-f", "xlsx", "-o", "p.xlsx").exit_code == 0
    assert (sample_copy.parent / "p.xlsx").stat().st_size > 10_000


def test_the_matrix_shows_an_action_at_a_time(sample_copy: Path) -> None:
    text = run("progress").stdout
    section = text.split("二（二）农民科学素质提升行动\n", 1)[1].split("\n\n", 1)[0].splitlines()
    assert (
        section[0] == "  1．实施高素质农民培育计划；2．实施乡村振兴科技支撑行动；3．提升边远村、脱贫村农民科技文化素质"
    )
    assert section[1].split() == ["单位", "角色", "1．", "2．", "3．"]  # no columns for tasks it does not have
    assert section[5].split() == ["区教育局", "参加", "已完成", "欠进度", "已完成"]


def test_who_owes_a_report(sample_copy: Path) -> None:
    result = run("progress", "missing", "--date", "2024-12-20")  # ten days after the letters' 12月10日
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["序号", "单位", "情况", "应报任务", "已报任务", "逾期天数", "未报任务"]
    assert lines[1].split() == ["1", "区委组织部", "未报送", "14", "0", "10", "全部"]
    youth = next(line for line in lines if "团区委" in line)
    assert youth.split()[:6] == ["21", "团区委", "部分未报", "21", "19", "10"]
    assert "".join(youth.split()[6:]) == "三（三）2．、三（三）3．"
    assert lines[-2:] == ["报送截止日期 2024-12-10", "2024年：21 个单位未报送，1 个单位部分未报"]
    before = run("progress", "missing", "--date", "2024-12-01").stdout.splitlines()
    assert before[1].split() == ["1", "区委组织部", "未报送", "14", "0", "全部"]  # not yet late: no days
    data = json.loads(run("progress", "missing", "-f", "json").stdout)
    assert data["period_label"] == "2024年" and len(data["units"]) == 22
    assert run("progress", "missing", "--period", "2023", "-f", "csv").stdout.startswith("\ufeff序号,单位,情况,")


def test_one_units_history_and_report(sample_copy: Path) -> None:
    history = run("progress", "--unit", "团区委")
    assert history.exit_code == 0, history.output
    lines = history.stdout.splitlines()
    assert lines[0] == "二（一）青少年科学素质提升行动"
    assert lines[1].split() == ["编号", "任务", "角色", "2023", "2024"]
    assert lines[3].split() == ["二（一）2．", "推进基础教育阶段科学教育", "牵头", "达进度", "欠进度"]
    assert "三（三）2．" in history.stdout and "未报送" in history.stdout
    assert history.stdout.rstrip().endswith("2024年：填报人 吴婷（示例），审核人 郑阳（示例），2024-12-05 填报")
    data = json.loads(run("progress", "--unit", "youth-league", "-f", "json").stdout)
    assert data["unit"] == "团区委" and data["periods"] == ["2023", "2024"]
    assert data["history"][1]["statuses"] == {"2023": "on-track", "2024": "behind"}
    report = run("progress", "--unit", "团区委", "--period", "2024", "-f", "csv")
    rows = csv_rows(report.stdout)
    assert rows[1]["完成状态"] == "欠进度" and rows[1]["进展情况"].startswith("（示例）")
    assert run("progress", "--unit", "团区委", "-f", "html", "-o", "x.html").exit_code == 2
    assert run("progress", "--unit", "区教育厅").exit_code == 1


@pytest.mark.parametrize("period", ["2024Q5", "24", "2030"])
def test_bad_periods_are_usage_errors(sample_copy: Path, period: str) -> None:
    result = run("progress", "--period", period)
    assert result.exit_code == 2 and "--period" in result.stderr


def test_targets_grow_baseline_latest_and_trend(sample_copy: Path) -> None:
    lines = run("targets").stdout.splitlines()
    assert lines[0].split() == ["目标", "时限", "基线", "最新值", "变化", "趋势"]
    data = json.loads(run("targets", "-f", "json").stdout)
    science = data[0]
    assert (science["baseline"], science["baseline_year"], science["latest"], science["latest_date"]) == (
        9.6,
        2020,
        13.6,
        "2024-10-31",
    )
    assert science["trend"] == "off-track" and science["change"] == 1.5
    assert [a["value"] for a in science["actuals"]] == [12.1, 13.6]
    assert data[1]["trend"] == "on-track"
    rows = csv_rows(run("targets", "-f", "csv").stdout)
    assert rows[0]["趋势键"] == "off-track" and rows[0]["最新值（数值）"] == "13.6"
    assert "| 目标 | 时限 | 基线 | 最新值 | 变化 | 趋势 |" in run("targets", "-f", "md").stdout


def test_trends(plan_copy: Path) -> None:
    def actual(value: float, day: str, period: str) -> None:
        text = REPORT.replace("2024", period[:4]).replace(period[:4] + "-12-08", day)
        text += (
            f"indicators:\n  - target: science-literacy-rate\n    value: {value}\n    date: {day}\n    source: 调查\n"
        )
        write_report(
            plan_copy, period, "science-association", text.replace("unit: education", "unit: science-association")
        )

    def trend() -> tuple[str, str]:
        row = indicators(open_plan(plan_copy).data)[0]
        return row.trend, row.trend_label

    assert trend() == ("no-data", "暂无实测数据")
    actual(10, "2022-12-01", "2022")
    assert trend() == ("insufficient-data", "仅有一次实测，尚难判断趋势")
    actual(13, "2023-12-01", "2023")
    assert trend()[0] == "on-track"  # 3 a year: over 15 by the end of 2025
    actual(12, "2024-12-01", "2024")
    assert trend()[0] == "off-track"
    actual(15.5, "2025-06-01", "2025")
    assert trend() == ("met", "已达到目标（15.5%）")


@pytest.mark.parametrize(
    ("comparator", "value", "target", "met"),
    [
        ("超过", 15, 15, False),
        ("不低于", 15, 15, True),
        ("低于", 5, 5, False),
        ("不超过", 5, 5, True),
        ("达到", 16, 15, True),
    ],
)
def test_comparators(comparator: str, value: float, target: float, met: bool) -> None:
    assert meets(comparator, value, target) is met


def test_the_cache_sees_a_changed_report(sample_copy: Path) -> None:
    before = run("progress", "-f", "json").stdout
    assert run("progress", "-f", "json").stdout == before  # from the cache
    edit(sample_copy / "progress" / "2024" / "education.yaml", "status: 欠进度", "status: 已完成")
    after = json.loads(run("progress", "-f", "json").stdout)
    assert next(c for c in after["overall"] if c["status"] == "behind")["count"] == 15


def test_views_change_nothing(sample_copy: Path) -> None:
    before = tree_digest(sample_copy)
    for args in (["progress"], ["progress", "missing"], ["progress", "--unit", "科协"], ["targets"]):
        assert run(*args).exit_code == 0
    assert tree_digest(sample_copy) == before

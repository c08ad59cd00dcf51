"""A real year of reports (issue 20): five simulated years from all 26 units (tests/simyear.py) with
2025's sheets filled as clerks fill them, then what the office does with them: 督办 (按时 / 逾期 /
未报, a light per task, the 催报 list with days overdue), the 督查通报 and the 总结评估 printed to PDF
through LibreOffice and read back with poppler, and the status workbook printed on A4."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml

from kpsy.queries.assessment import problem_group, scores
from kpsy.sheets import layout

from .conftest import PLAN, SAMPLE, external, office, run, tool
from .simyear import LATE, NEVER, PARTIAL, write_years


@pytest.fixture
def year_plan(workdir: Path) -> Path:
    """The plan with 2021–2025 reported (126 reports; 2 units never reported for 2025, 2 late, 2 partial)."""
    target = workdir / "plan"
    shutil.copytree(PLAN, target)
    assert write_years(target) == 5 * 26 - len(NEVER)
    return target


def page_count(pdf: Path) -> int:
    done = external(tool("pdfinfo"), pdf, text=True)
    return int(re.search(r"^Pages:\s+(\d+)", done.stdout, re.M).group(1))  # type: ignore[union-attr]


def pdf_text(pdf: Path) -> str:
    return str(external(tool("pdftotext"), "-layout", pdf, "-", text=True).stdout)


# --- 督办 ----------------------------------------------------------------------------------------


def test_who_reported_on_time_late_or_not_at_all(year_plan: Path) -> None:
    data = json.loads(run("progress", "--period", "2025", "--date", "2025-12-20", "-f", "json").stdout)
    assert data["deadline"] == "2025-12-10"  # the letters' 「每年12月10日前」
    states = {s["unit_id"]: (s["state"], s["days"]) for s in data["submissions"]}
    assert states["finance"] == ("late", LATE[("finance", 2025)])
    assert states["civil-affairs"] == ("late", LATE[("civil-affairs", 2025)])
    assert states["ethnic-religious"] == ("overdue", 10) and states["media-centre"] == ("overdue", 10)
    assert sum(1 for s, _ in states.values() if s == "on-time") == 22
    youth = next(s for s in data["submissions"] if s["unit_id"] == "youth-league")
    assert youth["expected"] - youth["reported"] == PARTIAL[("youth-league", 2025)]
    lights = {row["task_id"]: row["light"] for row in data["matrix"]}
    assert set(lights.values()) <= {"overdue", "behind", "done", "due-soon", "open"}
    assert "overdue" in lights.values()  # the tasks of the units that never reported
    # before the deadline nothing is late: the missing reports are due soon, or simply open
    early = json.loads(run("progress", "--period", "2025", "--date", "2025-12-05", "-f", "json").stdout)
    assert {s["state"] for s in early["submissions"]} == {"on-time", "late", "pending"}
    assert {r["light"] for r in early["matrix"]} <= {"due-soon", "behind", "done"}
    far = json.loads(run("progress", "--period", "2025", "--date", "2025-10-01", "-f", "json").stdout)
    assert "due-soon" not in {r["light"] for r in far["matrix"]}


def test_the_table_shows_reports_and_lights(year_plan: Path) -> None:
    table = run("progress", "-p", "2025", "--date", "2025-12-20").stdout
    assert "2025年：报送截止 2025-12-10；统计截至 2025-12-20" in table
    lines = {line.split()[1]: line.split() for line in table.splitlines() if re.match(r"\d+\s+区", line)}
    assert lines["区财政局"][2:5] == ["逾期", "2025-12-16", "6"]
    assert lines["区民宗局"][2:4] == ["逾期未报", "10"]
    assert "任务督办灯" in table and "按时 22 个；逾期 2 个；逾期未报 2 个" in table


def test_the_chase_list_counts_days_overdue(year_plan: Path) -> None:
    table = run("progress", "missing", "--period", "2025", "--date", "2026-01-09").stdout
    lines = {line.split()[1]: line.split() for line in table.splitlines() if line[:1].isdigit()}
    assert lines["区民宗局"][2:6] == ["未报送", "3", "0", "30"]
    assert lines["团区委"][2] == "部分未报" and lines["团区委"][5] == "30"  # rows left blank: 未填报
    assert "报送截止日期 2025-12-10" in table


def test_deadlines_set_per_period_and_yearly(year_plan: Path) -> None:
    settings = year_plan / "settings.yaml"
    text = settings.read_text(encoding="utf-8")
    extra = "progress:\n  due: 12-20\n  warn_days: 5\n  deadlines:\n    - period: 2024\n      date: 2025-01-15\n"
    settings.write_text(text + extra, encoding="utf-8")
    assert run("validate").exit_code == 0
    assert json.loads(run("progress", "-p", "2025", "--date", "2025-12-21", "-f", "json").stdout)["deadline"] == (
        "2025-12-20"
    )
    data = json.loads(run("progress", "-p", "2024", "--date", "2025-01-20", "-f", "json").stdout)
    assert data["deadline"] == "2025-01-15"
    assert {s["state"] for s in data["submissions"]} == {"on-time", "overdue"}  # the late one is now in time
    settings.write_text(text + "progress:\n  due: 13-40\n", encoding="utf-8")
    result = run("validate")
    assert result.exit_code == 1 and "settings.yaml:" in result.stdout and "MM-DD" in result.stdout


def test_the_sheet_says_the_periods_deadline(year_plan: Path) -> None:
    assert run("progress", "sheet", "-u", "区教育局", "-p", "2026", "-o", "s.xlsx").exit_code == 2  # outside 2021-2025
    assert run("progress", "sheet", "-u", "区教育局", "-p", "2025", "-o", "s.xlsx").exit_code == 0
    guide = "\n".join(str(c.value) for c in openpyxl.load_workbook("s.xlsx")[layout.GUIDE]["A"] if c.value)
    assert "请于2025年12月10日前" in guide


# --- the ranking and the problems -------------------------------------------------------------------


def test_the_scoring_rule(year_plan: Path) -> None:
    from kpsy.api import open_plan

    view = open_plan(year_plan).progress("2025", as_of=dt.date(2025, 12, 20)).progress
    ranked = scores(view)
    assert [s.rank for s in ranked] == sorted(s.rank for s in ranked)
    finance = next(s for s in ranked if s.unit == "区财政局")
    assert finance.timely == 30 - 2 * LATE[("finance", 2025)]
    civil = next(s for s in ranked if s.unit == "区民政局")
    assert civil.timely == 10  # 20 days late: never under 10
    never = next(s for s in ranked if s.unit == "区民宗局")
    assert never.total == 0 and never.state == "overdue"
    youth = next(s for s in ranked if s.unit == "团区委")
    assert youth.complete < 20


@pytest.mark.parametrize(
    ("text", "heading"),
    [
        ("专项经费不足，活动规模受限。", "经费保障不足"),
        ("基层科普人员力量薄弱", "人员力量薄弱"),
        ("受疫情影响，线下活动多次延期", "客观因素影响"),
        ("场馆设施老化", "场地设施欠缺"),
        ("各部门配合不够紧密", "协调联动不够"),
        ("群众积极性不高", "群众参与不高"),
        ("工作方式方法有待创新", "其他问题"),
    ],
)
def test_problems_are_grouped_by_their_words(text: str, heading: str) -> None:
    assert problem_group(text) == heading


# --- the documents as PDF --------------------------------------------------------------------------


def test_the_bulletin_can_be_issued(year_plan: Path, workdir: Path) -> None:
    office(".docx")
    result = run("render", "bulletin", "--period", "2025", "--date", "2025-12-20", "-o", "通报.pdf")
    assert result.exit_code == 0, result.output
    pdf = workdir / "通报.pdf"
    assert page_count(pdf) <= 8  # 26 units
    text = re.sub(r"\s+", "", pdf_text(pdf))
    for words in (
        "雁峰区全民科学素质纲要实施工作办公室文件",
        "雁科素办发〔2025〕号",  # the 文号's number left blank to fill in
        "各成员单位：",
        "按时报送的单位（22个）",
        "逾期报送的单位（2个）：区民政局（逾期20天）、区财政局（逾期6天）",
        "逾期未报送的单位（2个）：区民宗局、区融媒体中心",
        "评分办法：满分100分",
        "通报表扬",
        "通报批评",
        "下一步工作要求",
        "附件",
        "2025年任务落实情况一览表",
        "抄送：区人民政府。",
        "2025年12月20日印发",
    ):
        assert words in text, words
    assert "围绕“" not in text, "reports are summed up, never pasted"


def test_a_bulletin_without_a_date_leaves_it_to_fill(year_plan: Path) -> None:
    md = run("render", "bulletin", "--period", "2025").stdout
    assert "雁科素办发〔\u3000\u3000\u3000\u3000〕\u3000\u3000号" in md
    today = dt.date.today()
    assert "【待填：日期】印发" in md and f"{today.year}年{today.month}月{today.day}日" not in md


def test_the_evaluation_compares_the_years(year_plan: Path, workdir: Path) -> None:
    office(".docx")
    md = run("render", "review", "--date", "2026-01-20").stdout
    assert "实施情况总结评估（初稿）" in md
    header = next(line for line in md.splitlines() if line.startswith("| 完成状态 |"))
    assert header.split("|")[2:7] == [" 2021年 ", " 2022年 ", " 2023年 ", " 2024年 ", " 2025年 "]
    done_row = next(line for line in md.splitlines() if line.startswith("| 已完成 |"))
    done = [float(x) for x in re.findall(r"（([\d.]+)%）", done_row)]
    assert len(done) == 5 and done == sorted(done), "已完成 grows over the simulated years"
    assert "| 公民具备科学素质的比例（%） | — | 10.2 | 11.4 | 12.5 | 13.6 | 15.3 | 超过15 |" in md
    assert "公民科学素质抽样调查（区科协）" in md
    assert "下一步工作建议（2026—2030年）" in md
    assert md.count("## （") == 9  # a paragraph an action
    result = run("render", "review", "--date", "2026-01-20", "-o", "总结.pdf")
    assert result.exit_code == 0, result.output
    pdf = workdir / "总结.pdf"
    assert page_count(pdf) <= 30
    text = re.sub(r"\s+", "", pdf_text(pdf))
    assert "表12021—2025年任务落实情况" in text and "图12021—2025年任务落实情况" in text


def test_the_status_workbook_prints_about_three_pages_a_unit(year_plan: Path, workdir: Path) -> None:
    office(".xlsx")
    assert run("progress", "-p", "2025", "--date", "2025-12-20", "-o", "进度.xlsx").exit_code == 0
    book = openpyxl.load_workbook(workdir / "进度.xlsx")
    assert {"报送情况", "督办灯"} <= set(book.sheetnames)
    counts = book["统计"]
    chart = counts._charts[0]
    last_row = int(re.search(r"(\d+)$", counts.print_area).group(1))  # type: ignore[union-attr]
    assert chart.anchor._from.row + 1 < last_row, "the chart inside the print area"
    assert run("progress", "-p", "2025", "--date", "2025-12-20", "-o", "进度.pdf").exit_code == 0
    assert page_count(workdir / "进度.pdf") <= 26 * 3.5


def test_the_dashboard_names_who_reported_each_indicator(year_plan: Path, workdir: Path) -> None:
    assert run("progress", "-p", "2025", "--date", "2025-12-20", "-o", "d.html").exit_code == 0
    html = (workdir / "d.html").read_text(encoding="utf-8")
    assert "<th>报送单位</th>" in html and "<td>区科协</td>" in html and "<td>区卫健局</td>" in html


# --- 2025's sheets as clerks fill them ----------------------------------------------------------------


def _clerk(book: Any, variant: int) -> None:
    """One of many ways a clerk fills in the sheet (Excel, WPS and LibreOffice habits)."""
    sheet = book[layout.MAIN]
    dates: list[Any] = ["2025-12-08", "2025/12/8", "2025.12.8", "2025年12月8日", "２０２５年１２月８日", 45999]
    percents: list[tuple[Any, str | None]] = [(0.52, "0%"), ("52", None), ("５２", None), ("52%", None), (52, None)]
    sheet["B3"], sheet["E3"] = "王芳", "李强"
    sheet["H3"] = dates[variant % len(dates)]
    if isinstance(sheet["H3"].value, int):
        sheet["H3"].number_format = "General"
    rows = [r for r in range(layout.HEADER_ROW + 1, sheet.max_row + 1) if sheet.cell(row=r, column=11).value]
    for i, r in enumerate(rows):
        if variant % 4 == 3 and i == len(rows) - 1:
            continue  # the last row left blank: 未填报
        sheet.cell(row=r, column=5).value = ["达进度", "已完成", "欠进度"][(variant + i) % 3]
        value, fmt = percents[(variant + i) % len(percents)]
        sheet.cell(row=r, column=6).value = value
        if fmt:
            sheet.cell(row=r, column=6).number_format = fmt
        sheet.cell(row=r, column=7).value = "开展活动3场\n覆盖500人次" if variant % 2 else "开展活动3场。"
        if (variant + i) % 3 == 2:
            sheet.cell(row=r, column=8).value = "专项经费不足"


@pytest.mark.parametrize("variant", range(8))
def test_a_clerks_sheet_comes_in_whole(plan_copy: Path, variant: int) -> None:
    units = ["区教育局", "区科协", "区卫健局", "团区委", "区民政局", "区财政局", "区妇联", "区总工会"]
    unit = units[variant]
    assert run("progress", "sheet", "-u", unit, "-p", "2025", "-o", "s.xlsx").exit_code == 0
    book = openpyxl.load_workbook("s.xlsx")
    _clerk(book, variant)
    book.save("filled.xlsx")
    result = run("progress", "import", "filled.xlsx", "--received", "2025-12-09")
    assert result.exit_code == 0, result.output
    assert "2025年" in result.stderr and "收到日期 2025-12-09，按时" in result.stderr
    written = next((plan_copy / "progress" / "2025").glob("*.yaml"))
    report = yaml.safe_load(written.read_text(encoding="utf-8"))
    assert (report["date"], report["received"]) == (dt.date(2025, 12, 8), dt.date(2025, 12, 9))
    assert {t["percent"] for t in report["tasks"]} == {52}
    if variant % 4 == 3:
        assert "未填报" in result.stderr
        missing = run("progress", "missing", "-p", "2025", "--date", "2025-12-20").stdout
        assert unit in missing and "部分未报" in missing
    assert run("validate").exit_code == 0


def test_a_date_serial_of_a_1904_workbook(plan_copy: Path) -> None:
    """A Mac Excel workbook counts days from 1904: the same serial is another day, checked against the period."""
    assert run("progress", "sheet", "-u", "区教育局", "-p", "2025", "-o", "s.xlsx").exit_code == 0
    book = openpyxl.load_workbook("s.xlsx")
    _clerk(book, 1)
    book.epoch = openpyxl.utils.datetime.CALENDAR_MAC_1904
    book[layout.MAIN]["H3"] = 44537  # 2025-12-08 in the 1904 system (45999 in the 1900 one)
    book[layout.MAIN]["H3"].number_format = "General"
    book.save("filled.xlsx")
    result = run("progress", "import", "filled.xlsx", "--received", "2025-12-09")
    assert result.exit_code == 0, result.output
    report = yaml.safe_load((plan_copy / "progress" / "2025" / "education.yaml").read_text(encoding="utf-8"))
    assert report["date"] == dt.date(2025, 12, 8)


def test_an_ods_that_is_not_a_sheet_is_refused_in_chinese(plan_copy: Path, workdir: Path) -> None:
    (workdir / "填报.ods").write_bytes(b"PK\x03\x04 not really")
    result = run("progress", "import", "填报.ods")
    assert result.exit_code == 1
    assert "填报.ods" in result.stderr and re.search(r"[\u4e00-\u9fff]{4}", result.stderr)
    assert "Traceback" not in result.output


def captions_left_alone(pdf: Path) -> list[str]:
    """Table names printed as the last line of a page, apart from the table they name."""
    alone = []
    for page in pdf_text(pdf).split("\f"):
        lines = [line.strip() for line in page.splitlines() if line.strip()]
        lines = [line for line in lines if not re.fullmatch(r"[—–-]\s*\d+\s*[—–-]", line)]
        if lines and re.match(r"(表|Table)\s*\d+", lines[-1]):
            alone.append(lines[-1])
    return alone


@pytest.mark.parametrize("name", ["review", "bulletin"])
def test_a_tables_name_prints_on_the_page_of_its_table(name: str, workdir: Path) -> None:
    # the sample's 总结 put 表2 as the last line of page 2, its table on page 3, before captions kept with next
    office(".docx")
    result = run("render", name, "--plan", SAMPLE, "--date", "2026-12-05", "-o", f"{name}.pdf")
    assert result.exit_code == 0, result.output
    assert captions_left_alone(workdir / f"{name}.pdf") == []

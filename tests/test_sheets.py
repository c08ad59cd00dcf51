"""The round trip with Excel: fill-in sheets for units (kpsy progress sheet), filled sheets back into
the plan (kpsy progress import), and every way a sheet comes back wrong, each reported at its sheet
and cell with nothing written."""

from __future__ import annotations

import datetime as dt
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
import pytest
import yaml
from typer.testing import Result

from kpsy.api import open_plan
from kpsy.plan.reportable import reportable
from kpsy.sheets import layout

from .conftest import external, office, run, tree_digest

EDU_TASKS = 30  # 区教育局 leads, participates in or is named in 30 tasks


def make_sheet(where: Path, unit: str = "区教育局", period: str = "2024", name: str = "edu.xlsx") -> Path:
    result = run("progress", "sheet", "--unit", unit, "--period", period, "-o", where / name)
    assert result.exit_code == 0, result.output
    return where / name


def fill(
    path: Path,
    out: Path | None = None,
    *,
    status: str = "达进度",
    filed: dt.datetime = dt.datetime(2024, 12, 8),
    edit: Callable[[Any], None] | None = None,
) -> Path:
    """Fill in a sheet as a unit would: the header fields, a status and progress on every row."""
    book = openpyxl.load_workbook(path)
    sheet = book[layout.MAIN]
    sheet["B3"] = "张三"
    sheet["E3"] = "李四"
    sheet["H3"] = filed
    for r in range(layout.HEADER_ROW + 1, sheet.max_row + 1):
        if sheet.cell(row=r, column=11).value:
            sheet.cell(row=r, column=5).value = status
            sheet.cell(row=r, column=6).value = 80
            sheet.cell(row=r, column=7).value = f"{sheet.cell(row=r, column=2).value}：开展活动{r}场。"
    if edit is not None:
        edit(book)
    target = out or path.with_name(path.stem + "-filled.xlsx")
    book.save(target)
    return target


def imported(*args: str | Path) -> Result:
    return run("progress", "import", *args)


def report(plan: Path, period: str = "2024", unit: str = "education") -> dict[str, Any]:
    return yaml.safe_load((plan / "progress" / period / f"{unit}.yaml").read_text(encoding="utf-8"))  # type: ignore[no-any-return]


# --- the sheet ------------------------------------------------------------------------------------


def test_a_units_sheet(plan_copy: Path) -> None:
    path = make_sheet(plan_copy.parent)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == [layout.MAIN, layout.INDICATORS, layout.GUIDE, layout.META]
    assert book[layout.META].sheet_state == "hidden"
    sheet = book[layout.MAIN]
    assert sheet["A1"].value == "区教育局2024年度全民科学素质行动任务落实情况"
    assert (sheet["A2"].value, sheet["B2"].value, sheet["D2"].value, sheet["E2"].value) == (
        "填报单位",
        "区教育局",
        "填报期间",
        "2024年",
    )
    headers = [c.value for c in sheet[layout.HEADER_ROW]]
    assert headers == [c.header for c in layout.COLUMNS]
    assert headers[4] == "完成状态"  # column E, as 进展!E7 in the messages
    rows = list(sheet.iter_rows(min_row=layout.HEADER_ROW + 1, values_only=True))
    plan = open_plan(plan_copy)
    expected = [i for i in reportable(plan.data) if i.role("区教育局")]
    assert len(rows) == len(expected) == EDU_TASKS
    assert rows[0][:4] == ("二（一）1．", "将弘扬科学精神和科学家精神贯穿于育人全链条", "牵头", rows[0][3])
    assert rows[0][3].startswith("共同牵头：团区委、区科协；参加：区委宣传部、区科工信局")
    assert rows[0][10] == "youth-scientist-spirit"
    participant = next(r for r in rows if r[2] == "参加")
    assert participant[3].startswith("牵头：")
    assert {r[2] for r in rows} <= {"牵头", "参加", "提及"}
    # status as a drop-down, percentages 0 to 100, the date as a date
    validations = {str(v.sqref): v for v in sheet.data_validations.dataValidation}
    status = validations[f"E7:E{6 + EDU_TASKS}"]
    assert status.type == "list" and status.formula1 == '"已完成,超进度,达进度,欠进度,未启动,其他"'
    assert validations[f"F7:F{6 + EDU_TASKS}"].type == "decimal"
    assert validations["H3"].type == "date"
    # pre-filled cells locked, fill-in cells not
    assert sheet.protection.sheet
    assert sheet["A7"].protection.locked and sheet["K7"].protection.locked and sheet["B2"].protection.locked
    for cell in ("E7", "F7", "G7", "H7", "I7", "J7", "B3", "E3", "H3"):
        assert not sheet[cell].protection.locked, cell
    # nothing in it is a formula
    for ws in book.worksheets:
        assert all(c.data_type != "f" for row in ws.iter_rows() for c in row)
    # instructions
    guide = "\n".join(str(c.value) for c in book[layout.GUIDE]["A"] if c.value)
    assert (
        "全部 30 项任务" in guide
        and "达进度：按序时进度推进" in guide
        and "报送区全民科学素质纲要实施工作办公室" in guide
    )


def test_the_sheet_prints_on_a4_at_9_points_or_more(plan_copy: Path) -> None:
    book = openpyxl.load_workbook(make_sheet(plan_copy.parent))
    for sheet in (book[layout.MAIN], book[layout.INDICATORS], book[layout.GUIDE]):
        setup = sheet.page_setup
        assert str(setup.paperSize) == sheet.PAPERSIZE_A4
        assert (setup.fitToWidth, setup.fitToHeight) == (1, 0)
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        width_mm = (297 if setup.orientation == "landscape" else 210) - 2 * 0.4 * 25.4
        area = sheet.print_area
        last = area.split(":")[-1].replace("$", "").rstrip("0123456789") if area else "A"
        columns = [c for c in "ABCDEFGHIJK" if c <= last]
        used = sum(sheet.column_dimensions[c].width for c in columns) * 1.9  # mm a width unit, at most
        scale = min(1.0, width_mm / used)
        smallest = min(c.font.size for row in sheet.iter_rows() for c in row if c.value)
        assert smallest * scale >= 9, (sheet.title, smallest, scale)
    main = book[layout.MAIN]
    assert main.page_setup.orientation == "landscape"
    assert main.print_title_rows == f"${layout.HEADER_ROW}:${layout.HEADER_ROW}"


def test_sheets_for_every_unit(plan_copy: Path) -> None:
    result = run("progress", "sheet", "--all", "--period", "2024Q3", "--out", "sheets", "--deadline", "2024-10-10")
    assert result.exit_code == 0, result.output
    files = sorted(p.name for p in (plan_copy.parent / "sheets").iterdir())
    assert len(files) == 26 and "2024Q3-06-education-区教育局.xlsx" in files
    assert "2 个单位未生成填报表（统筹单位或没有任务的单位）：区人民政府、" in result.stderr
    assert "已在 sheets 写入 26 个填报表" in result.stderr
    guide = openpyxl.load_workbook(plan_copy.parent / "sheets" / files[0])[layout.GUIDE]
    assert any("于2024年10月10日前" in str(c.value) for c in guide["A"])


@pytest.mark.parametrize(
    "args",
    [
        ["--unit", "区教育局", "--period", "2024"],
        ["--all", "--period", "2024", "-o", "x.xlsx"],
        ["--unit", "区教育局", "--all", "--period", "2024", "--out", "d"],
        ["--unit", "区教育局", "--period", "2030", "-o", "x.xlsx"],
        ["--unit", "区教育局", "--period", "2024年", "-o", "x.xlsx"],
    ],
)
def test_sheet_usage_errors(plan_copy: Path, args: list[str]) -> None:
    result = run("progress", "sheet", *args)
    assert result.exit_code == 2, result.output
    assert not (plan_copy.parent / "x.xlsx").exists()


# --- the round trip -------------------------------------------------------------------------------


def test_a_filled_sheet_becomes_a_report(plan_copy: Path) -> None:
    filled = fill(make_sheet(plan_copy.parent))
    result = imported(filled)
    assert result.exit_code == 0, result.output
    assert result.stderr == "已写入 plan/progress/2024/education.yaml（区教育局，2024年，30 项任务（达进度 30））\n"
    data = report(plan_copy)
    assert (data["unit"], data["period"], data["reporter"], data["approver"]) == ("education", "2024", "张三", "李四")
    assert data["date"] == dt.date(2024, 12, 8)
    assert len(data["tasks"]) == EDU_TASKS
    assert data["tasks"][0] == {
        "task": "youth-scientist-spirit",
        "status": "达进度",
        "percent": 80,
        "progress": "将弘扬科学精神和科学家精神贯穿于育人全链条：开展活动7场。",
    }
    text = (plan_copy / "progress" / "2024" / "education.yaml").read_text(encoding="utf-8")
    assert text.startswith(
        "# yaml-language-server: $schema=../../../schema/progress.json\n# 区教育局2024年进展报告，导入自 edu-filled.xlsx\n"
    )
    assert run("validate", "--strict").exit_code == 0
    assert run("fmt", "--check").exit_code == 0
    # the same sheet again changes nothing
    before = tree_digest(plan_copy)
    again = imported(filled)
    assert again.exit_code == 0 and "未变化 plan/progress/2024/education.yaml" in again.stderr
    assert tree_digest(plan_copy) == before


def test_an_existing_report_is_replaced_only_with_force(plan_copy: Path) -> None:
    sheet = make_sheet(plan_copy.parent)
    assert imported(fill(sheet)).exit_code == 0
    before = tree_digest(plan_copy)

    def done(book: Any) -> None:
        book[layout.MAIN]["E8"] = "已完成"
        book[layout.MAIN]["E3"] = "王五"

    changed = fill(sheet, plan_copy.parent / "again.xlsx", edit=done)
    result = imported(changed)
    assert result.exit_code == 1
    assert "plan/progress/2024/education.yaml 已有区教育局2024年的报告，导入将作如下修改：" in result.stderr
    assert "  审核人：李四 → 王五" in result.stderr
    assert "  二（一）2．推进基础教育阶段科学教育：完成状态 达进度 → 已完成" in result.stderr
    assert "未写入任何文件：如确需替换，请加 --force" in result.stderr
    assert tree_digest(plan_copy) == before
    forced = imported(changed, "--force")
    assert forced.exit_code == 0 and "已替换 plan/progress/2024/education.yaml" in forced.stderr
    assert report(plan_copy)["tasks"][1]["status"] == "已完成"


def test_rows_resorted_and_blank_rows_added_make_no_difference(plan_copy: Path) -> None:
    sheet = make_sheet(plan_copy.parent)
    plain = fill(sheet, plan_copy.parent / "plain.xlsx")

    def shuffle(book: Any) -> None:
        ws = book[layout.MAIN]
        first = layout.HEADER_ROW + 1
        rows = [[c.value for c in row] for row in ws.iter_rows(min_row=first, max_row=ws.max_row)]
        ws.delete_rows(first, len(rows))
        ws.insert_rows(3)  # a blank row above the table: the header moves down a row
        r = first + 1
        for k, values in enumerate(reversed(rows)):
            if k == 5:
                r += 1  # a blank row inside the table
            for j, value in enumerate(values, 1):
                ws.cell(row=r, column=j).value = value
            r += 1

    shuffled = fill(sheet, plan_copy.parent / "shuffled.xlsx", edit=shuffle)
    moved = openpyxl.load_workbook(shuffled)[layout.MAIN]
    assert moved.cell(row=layout.HEADER_ROW + 1, column=5).value == "完成状态"
    assert moved.cell(row=layout.HEADER_ROW + 2, column=11).value == "grassroots-cooperation"  # the last task first
    assert imported(plain).exit_code == 0
    expected = report(plan_copy)
    shutil.rmtree(plan_copy / "progress")
    result = imported(shuffled)
    assert result.exit_code == 0, result.output
    assert report(plan_copy) == expected


def test_a_sheet_saved_by_another_office_suite(plan_copy: Path, tmp_path: Path) -> None:
    """LibreOffice rewrites the whole file (shared strings, styles, validations), as WPS does."""
    soffice = office(".xlsx")
    filled = fill(make_sheet(plan_copy.parent))
    out = tmp_path / "resaved"
    profile = tmp_path / "profile"
    resaved = out / filled.name
    external(
        soffice,
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless",
        "--convert-to",
        "xlsx:Calc MS Excel 2007 XML",
        "--outdir",
        out,
        filled,
        produces=resaved,
        starts=b"PK",
    )
    assert resaved.read_bytes() != filled.read_bytes()
    result = imported(resaved)
    assert result.exit_code == 0, result.output
    assert len(report(plan_copy)["tasks"]) == EDU_TASKS


def test_indicators_come_in_too(plan_copy: Path) -> None:
    def measured(book: Any) -> None:
        ws = book[layout.INDICATORS]
        ws["D4"], ws["E4"], ws["F4"] = 12.3, dt.datetime(2024, 10, 31), "公民科学素质抽样调查"

    assert imported(fill(make_sheet(plan_copy.parent, unit="区科协"), edit=measured)).exit_code == 0
    data = report(plan_copy, unit="science-association")
    assert data["indicators"] == [
        {
            "target": "science-literacy-rate",
            "value": 12.3,
            "date": dt.date(2024, 10, 31),
            "source": "公民科学素质抽样调查",
        }
    ]
    rows = run("targets", "-f", "json").stdout
    assert '"latest": 12.3' in rows


def test_a_percentage_typed_with_a_percent_sign(plan_copy: Path) -> None:
    def percent(book: Any) -> None:
        cell = book[layout.MAIN]["F7"]
        cell.value = 0.8
        cell.number_format = "0%"

    assert imported(fill(make_sheet(plan_copy.parent), edit=percent)).exit_code == 0
    assert report(plan_copy)["tasks"][0]["percent"] == 80


def test_several_sheets_at_once_and_their_warnings(sample_copy: Path) -> None:
    """A report that says 欠进度 where an earlier one said 已完成 is written, with a warning at its cell."""
    where = sample_copy.parent
    edu = fill(make_sheet(where, period="2025"), filed=dt.datetime(2025, 12, 5))
    science = make_sheet(where, unit="区科协", period="2025", name="sci.xlsx")
    done = yaml.safe_load((sample_copy / "progress" / "2024" / "science-association.yaml").read_text(encoding="utf-8"))
    first_done = next(t["task"] for t in done["tasks"] if t["status"] == "已完成")

    def behind(book: Any) -> None:
        ws = book[layout.MAIN]
        for r in range(7, ws.max_row + 1):
            if ws.cell(row=r, column=11).value == first_done:
                ws.cell(row=r, column=5).value = "欠进度"
                behind.cell = f"进展!E{r}"  # type: ignore[attr-defined]

    sci = fill(science, filed=dt.datetime(2025, 12, 5), edit=behind)
    result = imported(edu, sci, "--period", "2025")
    assert result.exit_code == 0, result.output
    assert f"sci-filled.xlsx：{behind.cell}：警告：" in result.stderr  # type: ignore[attr-defined]
    assert "在2024年已报“已完成”，本期却为“欠进度”" in result.stderr
    assert (sample_copy / "progress" / "2025" / "education.yaml").is_file()
    assert (sample_copy / "progress" / "2025" / "science-association.yaml").is_file()


# --- bad sheets: a clear message at the sheet and cell, and nothing written -------------------------


def refused(plan: Path, *args: str | Path) -> str:
    before = tree_digest(plan)
    result = imported(*args)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert tree_digest(plan) == before
    assert "未写入任何文件" in result.stderr
    return result.stderr


def test_the_issues_example(plan_copy: Path) -> None:
    bad = fill(make_sheet(plan_copy.parent), edit=lambda book: book[layout.MAIN].__setitem__("E7", "快完成了"))
    assert refused(plan_copy, bad).splitlines()[0] == (
        "edu-filled.xlsx：进展!E7：状态“快完成了”不在可选值中（可选：已完成、超进度、达进度、欠进度、未启动、其他）"
    )


def set_cells(**cells: Any) -> Callable[[Any], None]:
    def edit(book: Any) -> None:
        for ref, value in cells.items():
            book[layout.MAIN][ref] = value

    return edit


def serial_date(book: Any) -> None:
    """A date that lost its date format: Excel shows (and keeps) its serial number."""
    cell = book[layout.MAIN]["H3"]
    cell.value = 45634
    cell.number_format = "General"


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (set_cells(B2="区卫健局"), "进展!B2：填报单位“区卫健局”与表格生成时的单位（区教育局）不一致"),
        (set_cells(E2="2023年"), "进展!E2：填报期间“2023年”与表格生成时的期间（2024年）不一致"),
        (set_cells(H3="2024-12-08"), "进展!H3：填报日期“2024-12-08”是文字，不是日期"),
        (serial_date, "进展!H3：填报日期是数字 45634（若为日期，即 2024-12-08），不是日期（Excel 日期序号）"),
        (set_cells(F7="８０"), "进展!F7：完成比例“８０”含全角数字：请用半角数字填写，如 80"),
        (set_cells(F7="约八成"), "进展!F7：完成比例“约八成”不是数字：请填写数字，如 80"),
        (set_cells(F8=120), "进展!F8：完成比例 120 超出 0 到 100 的范围"),
        (set_cells(F7="=SUM(1,2)"), "进展!F7：单元格含公式（=SUM(1,2)）：请直接填写数值或文字，不要使用公式"),
        (set_cells(E7=None), "进展!E7：完成状态未填写"),
        (set_cells(G9="  "), "进展!G9：进展情况未填写"),
        (set_cells(B3=None), "进展!B3：填报人未填写"),
        (set_cells(H3=None), "进展!H3：填报日期未填写"),
        (set_cells(K8="youth-nothing"), "进展!K8：任务ID“youth-nothing”不是本表列出的任务（是否被修改？）"),
        (set_cells(K8="youth-scientist-spirit"), "进展!K8：任务 二（一）1． 出现了两次（第 7 行和第 8 行）"),
        (
            set_cells(B8="推进中学科学教育"),
            "进展!A8：本行的编号、任务与任务ID youth-basic-education（二（一）2．）不一致",
        ),
        (set_cells(B50="补充一项工作"), "进展!B50：第 50 行没有任务ID：请不要插入新行填写，每个任务都已列在表中"),
    ],
)
def test_bad_cells(plan_copy: Path, edit: Callable[[Any], None], expected: str) -> None:
    stderr = refused(plan_copy, fill(make_sheet(plan_copy.parent), edit=edit))
    assert f"edu-filled.xlsx：{expected}" in stderr, stderr


def test_merged_cells(plan_copy: Path) -> None:
    def merge(book: Any) -> None:
        book[layout.MAIN].merge_cells("G7:G9")

    assert "edu-filled.xlsx：进展!G7：合并了单元格 G7:G9：请取消合并（每个单元格一个值，每个任务一行）" in refused(
        plan_copy, fill(make_sheet(plan_copy.parent), edit=merge)
    )


def test_a_renamed_sheet(plan_copy: Path) -> None:
    def rename(book: Any) -> None:
        book[layout.MAIN].title = "进展情况"

    stderr = refused(plan_copy, fill(make_sheet(plan_copy.parent), edit=rename))
    assert (
        "edu-filled.xlsx：找不到工作表“进展”（工作簿中有：进展情况、指标、填报说明）：请不要重命名或删除工作表"
        in stderr
    )


def test_a_deleted_row(plan_copy: Path) -> None:
    def delete(book: Any) -> None:
        book[layout.MAIN].delete_rows(9)

    stderr = refused(plan_copy, fill(make_sheet(plan_copy.parent), edit=delete))
    assert "edu-filled.xlsx：进展：缺少任务 二（一）3．推进高等教育阶段科学教育（该行被删除了？）" in stderr


def test_the_wrong_unit_or_period(plan_copy: Path) -> None:
    filled = fill(make_sheet(plan_copy.parent))
    assert "edu-filled.xlsx：进展!B2：这是区教育局的填报表，不是区科协的" in refused(
        plan_copy, filled, "--unit", "科协"
    )
    assert "edu-filled.xlsx：进展!E2：这是2024年的填报表，不是2024年第三季度的" in refused(
        plan_copy, filled, "--period", "2024Q3"
    )


def test_every_problem_of_every_sheet_at_once(plan_copy: Path) -> None:
    a = fill(make_sheet(plan_copy.parent), edit=set_cells(E7="完成", B3=None))
    b = fill(make_sheet(plan_copy.parent, unit="区科协", name="sci.xlsx"), edit=set_cells(F7="８０"))
    stderr = refused(plan_copy, a, b)
    assert "edu-filled.xlsx：进展!B3：填报人未填写" in stderr
    assert "edu-filled.xlsx：进展!E7：状态“完成”不在可选值中" in stderr
    assert "sci-filled.xlsx：进展!F7：完成比例“８０”含全角数字" in stderr
    assert "未写入任何文件：共 3 个问题" in stderr


def test_the_same_report_twice(plan_copy: Path) -> None:
    sheet = make_sheet(plan_copy.parent)
    a = fill(sheet, plan_copy.parent / "a.xlsx")
    b = fill(sheet, plan_copy.parent / "b.xlsx")
    assert "b.xlsx：区教育局2024年的填报表与 a.xlsx 重复" in refused(plan_copy, a, b)


def test_a_period_outside_the_plan_is_found_by_the_plans_rule(plan_copy: Path) -> None:
    from kpsy.plan.periods import parse_period
    from kpsy.sheets.write import make_sheet as build

    plan = open_plan(plan_copy)
    period = parse_period("2019")
    assert period is not None
    path = plan_copy.parent / "old.xlsx"
    path.write_bytes(build(plan.data, plan.unit("区教育局"), period))
    filled = fill(path, edit=set_cells(H3=dt.datetime(2019, 12, 1)))
    assert "old-filled.xlsx：进展!E2：期间 2019 不在规划期 2021-2025 年内" in refused(plan_copy, filled)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "这是旧版 .xls（或 WPS .et）格式"),
        (b"name,status\n", "不是 Excel 工作簿（.xlsx）"),
        (b"PK\x03\x04broken", "工作簿已损坏，无法读取"),
    ],
)
def test_files_that_are_not_filled_sheets(plan_copy: Path, content: bytes, expected: str) -> None:
    path = plan_copy.parent / "bad.xlsx"
    path.write_bytes(content)
    assert f"bad.xlsx：{expected}" in refused(plan_copy, path)


def test_a_workbook_that_kpsy_did_not_make(plan_copy: Path) -> None:
    book = openpyxl.Workbook()
    book.active.title = layout.MAIN
    book.save(plan_copy.parent / "own.xlsx")
    assert "own.xlsx：这不是 kpsy 生成的填报表（缺少隐藏工作表 _kpsy）" in refused(
        plan_copy, plan_copy.parent / "own.xlsx"
    )
    assert run("progress", "import", "missing.xlsx").exit_code == 1


def test_a_zip_bomb_is_refused_before_it_is_opened(plan_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from kpsy.sheets import read

    monkeypatch.setattr(read, "MAX_UNPACKED", 1000)
    stderr = refused(plan_copy, make_sheet(plan_copy.parent))
    assert "edu.xlsx：工作簿解压后过大" in stderr


def test_what_a_sheet_holds_never_runs(plan_copy: Path) -> None:
    """Text that looks like a formula or markup stays text in the report and in every output."""
    nasty = '=HYPERLINK("http://example.org","点我")<script>alert(1)</script>'
    filled = fill(make_sheet(plan_copy.parent), edit=set_cells(G7=nasty))
    book = openpyxl.load_workbook(filled)
    assert book[layout.MAIN]["G7"].data_type == "f"  # openpyxl stores a leading = as a formula
    assert "单元格含公式" in refused(plan_copy, filled)

    def as_text(book: Any) -> None:
        book[layout.MAIN]["G7"] = nasty
        book[layout.MAIN]["G7"].data_type = "s"

    assert imported(fill(make_sheet(plan_copy.parent), edit=as_text)).exit_code == 0
    assert report(plan_copy)["tasks"][0]["progress"] == nasty
    assert run("progress", "-f", "xlsx", "-o", "p.xlsx").exit_code == 0
    ledger = openpyxl.load_workbook(plan_copy.parent / "p.xlsx")["台账"]
    cell = next(c for row in ledger.iter_rows() for c in row if c.value == nasty)
    assert cell.data_type == "s"
    assert run("progress", "-f", "html", "-o", "p.html").exit_code == 0
    html = (plan_copy.parent / "p.html").read_text(encoding="utf-8")
    assert "<script>" not in html
    csv_text = run("progress", "-f", "csv").stdout
    assert "'=HYPERLINK" in csv_text


def test_sheets_are_not_zip_slip_or_xml_bombs(plan_copy: Path) -> None:
    """An .xlsx with an entity-expansion bomb in a part is read without expanding it."""
    sheet = make_sheet(plan_copy.parent)
    bomb = plan_copy.parent / "bomb.xlsx"
    with zipfile.ZipFile(sheet) as src, zipfile.ZipFile(bomb, "w") as dst:
        for item in src.infolist():
            data = src.read(item.filename)
            if item.filename == "docProps/core.xml":
                data = (
                    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
                    b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
                    b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
                    b"<lolz>&lol3;</lolz>"
                )
            dst.writestr(item, data)
    result = imported(bomb)
    assert result.exit_code == 1 and "Traceback" not in result.output


def test_the_other_plans_round_trip(workdir: Path) -> None:
    from .test_other_plan import FIXTURE

    plan = workdir / "plan"
    shutil.copytree(FIXTURE, plan)
    assert run("progress", "sheet", "--all", "--period", "2023", "--out", "sheets").exit_code == 0
    files = sorted((workdir / "sheets").iterdir())
    assert "2023-01-publicity-县委宣传部.xlsx" in [f.name for f in files]
    filled = [fill(f, workdir / f.name.replace(".xlsx", "-filled.xlsx")) for f in files]
    result = imported(*filled)
    assert result.exit_code == 0, result.output
    assert run("validate", "--strict").exit_code == 0
    assert run("progress", "missing").stdout.rstrip().endswith("2023年：各单位均已报送")


def test_control_characters_in_a_cell_are_refused() -> None:
    """A cell's text reaches the plan only without control characters (they would break the YAML and
    the documents); Excel keeps them escaped, and another writer may not."""
    from types import SimpleNamespace

    from kpsy.sheets.read import _Reader

    reader = _Reader("a.xlsx")
    cell = SimpleNamespace(value="第一行\x07响铃", parent=SimpleNamespace(title="进展"), coordinate="G7")
    assert reader.text(cell, "进展情况") is None
    assert [p.line() for p in reader.problems] == ["a.xlsx：进展!G7：进展情况含不可见的控制字符 U+0007：请删除"]
    cell.value = "第一行\r\n第二行\t末尾  "
    assert reader.text(cell, "进展情况") == "第一行\n第二行\t末尾"


def test_messages_in_english(plan_copy: Path) -> None:
    bad = fill(make_sheet(plan_copy.parent), edit=set_cells(E7="快完成了", F8="８０"))
    result = run("--lang", "en", "progress", "import", bad)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "edu-filled.xlsx: 进展!E7: status '快完成了' is not one of the choices (已完成、超进度、达进度、欠进度、未启动、其他)",
        "edu-filled.xlsx: 进展!F8: 完成比例 '８０' is written with full-width digits: type it with ordinary digits (80)",
        "nothing was written: 2 problem(s)",
    ]


def test_the_python_api(plan_copy: Path) -> None:
    plan = open_plan(plan_copy)
    sheet = plan_copy.parent / "edu.xlsx"
    sheet.write_bytes(plan.progress_sheet("区教育局", "2024"))
    result = plan.import_progress([fill(sheet)])
    assert result.ok and [p.name for p in result.written] == ["education.yaml"]
    plan = open_plan(plan_copy)
    assert plan.progress().progress.count("达进度") == EDU_TASKS
    period, owed = plan.missing("2024")
    assert period.label == "2024年" and "区教育局" not in [o.unit for o in owed]
    assert plan.history("教育局").rows[0].statuses == {"2024": "达进度"}

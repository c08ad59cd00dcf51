"""The round trip with Excel: fill-in sheets for units (kpsy progress sheet), filled sheets back into
the plan (kpsy progress import), and every way a sheet comes back wrong, each reported at its sheet
and cell with nothing written."""

from __future__ import annotations

import datetime as dt
import json
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

from .conftest import external, office, run, tool, tree_digest

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
    assert book[layout.META].sheet_state == "veryHidden"  # not listed by Unhide; the seal tells a changed one
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
    result = imported(filled, "--received", "2024-12-09")
    assert result.exit_code == 0, result.output
    assert result.stderr == (
        "已写入 plan/progress/2024/education.yaml（区教育局，2024年，30 项任务（达进度 30）；收到日期 2024-12-09，按时）\n"
    )
    data = report(plan_copy)
    assert (data["unit"], data["period"], data["reporter"], data["approver"]) == ("education", "2024", "张三", "李四")
    assert (data["date"], data["received"]) == (dt.date(2024, 12, 8), dt.date(2024, 12, 9))
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
    """A year typed into a date cell that lost its date format: as a date serial it is 1905."""
    cell = book[layout.MAIN]["H3"]
    cell.value = 2024
    cell.number_format = "General"


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (set_cells(B2="区卫健局"), "进展!B2：填报单位“区卫健局”与表格生成时的单位（区教育局）不一致"),
        (set_cells(E2="2023年"), "进展!E2：填报期间“2023年”与表格生成时的期间（2024年）不一致"),
        (
            set_cells(H3="下周一"),
            "进展!H3：填报日期“下周一”不是日期：请按 2024-12-31 的格式填写（也可写作 2024/12/31、2024.12.31 或 2024年12月31日）",
        ),
        (
            serial_date,
            "进展!H3：填报日期：2024 是数字，按日期序号是 1905-07-16，不在 2024-01-01 至 2025-12-31 之间：请输入日期，如 2024-12-31",
        ),
        (set_cells(H3="2024.6"), "进展!H3：填报日期“2024.6”只到月份：请写到日，如 2024-12-31"),
        (set_cells(H3="9999-12-31"), "进展!H3：填报日期：9999-12-31 不在 2024-01-01 至 2025-12-31 之间"),
        (set_cells(H3=dt.datetime(2020, 5, 1)), "进展!H3：填报日期：2020-05-01 不在 2024-01-01 至 2025-12-31 之间"),
        (set_cells(F7="1e999"), "进展!F7：完成比例“1e999”不是有效数字（无穷大或非数）"),
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
    b = fill(make_sheet(plan_copy.parent, unit="区科协", name="sci.xlsx"), edit=set_cells(F7="约八成"))
    stderr = refused(plan_copy, a, b)
    assert "edu-filled.xlsx：进展!B3：填报人未填写" in stderr
    assert "edu-filled.xlsx：进展!E7：状态“完成”不在可选值中" in stderr
    assert "sci-filled.xlsx：进展!F7：完成比例“约八成”不是数字" in stderr
    assert "未写入任何文件：共 3 个问题" in stderr


def test_the_same_report_twice(plan_copy: Path) -> None:
    sheet = make_sheet(plan_copy.parent)
    a = fill(sheet, plan_copy.parent / "a.xlsx")
    b = fill(sheet, plan_copy.parent / "b.xlsx")
    assert "b.xlsx：区教育局2024年的填报表与 a.xlsx 重复" in refused(plan_copy, a, b)


def test_a_period_outside_the_plan_is_found_by_the_plans_rule(plan_copy: Path) -> None:
    from kpsy.plan.periods import parse_period
    from kpsy.sheets.seal import plan_key
    from kpsy.sheets.write import make_sheet as build

    plan = open_plan(plan_copy)
    period = parse_period("2019")
    assert period is not None
    path = plan_copy.parent / "old.xlsx"
    path.write_bytes(build(plan.data, plan.unit("区教育局"), period, key=plan_key(plan_copy, create=True)))
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
    from kpsy.bounded import Limits
    from kpsy.sheets import book

    monkeypatch.setattr(book, "LIMITS", Limits(total_bytes=1000))
    stderr = refused(plan_copy, make_sheet(plan_copy.parent))
    assert "edu.xlsx：全部成员解压后大小" in stderr and "超过上限 1,000，拒绝读取" in stderr


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

    assert imported(fill(make_sheet(plan_copy.parent, name="edu2.xlsx"), edit=as_text)).exit_code == 0
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
    the documents); Excel keeps them escaped, and another writer may not. Line breaks and tabs are
    kept, however they were typed."""
    from kpsy.sheets.book import Cell, Sheet
    from kpsy.sheets.cells import Collector

    reader = Collector("a.xlsx")
    sheet = Sheet("进展")
    sheet.cells[(7, 7)] = Cell("第一行\x07响铃", "text")
    assert reader.text((sheet, 7, 7), "进展情况") is None
    assert [p.line() for p in reader.problems] == [
        "a.xlsx：进展!G7：进展情况含不可见字符 U+0007（控制字符或非字符），文件无法保存：请删除"
    ]
    for typed in ("第一行\r\n第二行\t末尾  ", "第一行\u2028第二行\t末尾", "第一行\r第二行\t末尾"):
        sheet.cells[(7, 7)] = Cell(typed, "text")
        assert reader.text((sheet, 7, 7), "进展情况") == "第一行\n第二行\t末尾"
    sheet.cells[(7, 7)] = Cell("坏\uffff字", "text")
    assert reader.text((sheet, 7, 7), "进展情况") is None and "U+FFFF" in reader.problems[-1].message


def test_messages_in_english(plan_copy: Path) -> None:
    bad = fill(make_sheet(plan_copy.parent), edit=set_cells(E7="快完成了", F8="约八成"))
    result = run("--lang", "en", "progress", "import", bad)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "edu-filled.xlsx: 进展!E7: status '快完成了' is not one of the choices (已完成、超进度、达进度、欠进度、未启动、其他)",
        "edu-filled.xlsx: 进展!F8: 完成比例: '约八成' is not a number: type a number (80)",
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


# --- sheets as people fill them (issue 20: D1-D8) -------------------------------------------------


def test_line_breaks_tabs_and_line_separators_are_kept(plan_copy: Path) -> None:
    """Alt+Enter in 进展情况 and 佐证材料 (as the instructions invite), a tab, U+2028 from a pasted text."""
    typed = set_cells(G7="第一行\n第二行", H7="问题一\u2028问题二", I7="下步\t打算", J7="方案.docx\n照片.zip")
    result = imported(fill(make_sheet(plan_copy.parent), edit=typed))
    assert result.exit_code == 0, result.output
    task = report(plan_copy)["tasks"][0]
    assert task["progress"] == "第一行\n第二行"
    assert task["problems"] == "问题一\n问题二"
    assert task["next_steps"] == "下步\t打算"
    assert task["evidence"] == ["方案.docx", "照片.zip"]
    assert run("validate", "--strict").exit_code == 0
    assert run("fmt", "--check").exit_code == 0
    review = run("render", "review", "--period", "2024", "--date", "2025-01-10")
    assert review.exit_code == 0, review.output
    # the review condenses each report to its first clause (it never pastes reports): a line break ends it
    assert "区教育局第一行；" in review.stdout or "区教育局第一行。" in review.stdout
    assert "第二行" not in review.stdout


@pytest.mark.parametrize(
    "typed",
    [
        "2025-06-30",
        "2025/6/30",
        "2025.6.30",
        "2025年6月30日",
        " 2025 年 6 月 30 日 ",
        "２０２５年６月３０日",
        "20250630",
        "2025-06-30 00:00:00",
        45838,  # the date serial, in a cell that lost its date format
        dt.datetime(2025, 6, 30),
    ],
)
def test_dates_as_people_type_them(plan_copy: Path, typed: Any) -> None:
    def edit(book: Any) -> None:
        book[layout.MAIN]["H3"] = typed
        if isinstance(typed, int):
            book[layout.MAIN]["H3"].number_format = "General"

    filled = fill(make_sheet(plan_copy.parent, period="2025"), edit=edit, filed=dt.datetime(2025, 12, 5))
    result = imported(filled)
    assert result.exit_code == 0, result.output
    assert report(plan_copy, "2025")["date"] == dt.date(2025, 6, 30)


@pytest.mark.parametrize(
    ("value", "fmt", "stored"),
    [
        (2025.6, "General", "2025-06"),  # 「2025.6」 typed in LibreOffice: a number, not 1905-07-17
        (2025.12, "General", "2025-12"),
        ("2025年6月", None, "2025-06"),
        ("2025.6", None, "2025-06"),
        ("2025/06", None, "2025-06"),
        ("2025年6月30日", None, dt.date(2025, 6, 30)),
        (45838, "General", dt.date(2025, 6, 30)),
    ],
)
def test_measurement_dates_may_be_months(plan_copy: Path, value: Any, fmt: str | None, stored: Any) -> None:
    def measured(book: Any) -> None:
        ws = book[layout.INDICATORS]
        ws["D4"], ws["E4"], ws["F4"] = 12.3, value, "抽样调查"
        if fmt:
            ws["E4"].number_format = fmt

    filled = fill(
        make_sheet(plan_copy.parent, unit="区科协", period="2025"), edit=measured, filed=dt.datetime(2025, 12, 5)
    )
    result = imported(filled)
    assert result.exit_code == 0, result.output
    assert report(plan_copy, "2025", "science-association")["indicators"][0]["date"] == stored
    assert run("validate", "--strict").exit_code == 0
    assert run("targets", "-f", "json").exit_code == 0


def test_a_month_that_a_number_cell_made_ambiguous_is_refused(plan_copy: Path) -> None:
    def measured(book: Any) -> None:
        ws = book[layout.INDICATORS]
        ws["D4"], ws["E4"], ws["F4"] = 12.3, 2025.1, "抽样调查"

    sheet = make_sheet(plan_copy.parent, unit="区科协", period="2025")
    stderr = refused(plan_copy, fill(sheet, edit=measured, filed=dt.datetime(2025, 12, 5)))
    assert "指标!E4：统计日期：2025.1 是数字，可能是 2025年1月，也可能是 2025年10月" in stderr


@pytest.mark.parametrize(
    ("value", "fmt", "percent"),
    [
        ("80", None, 80),  # a number typed into a text cell
        ("８０", None, 80),  # full-width digits
        (" 80% ", None, 80),
        ("８０．５", None, 80.5),
        (0.52, "0%", 52),  # 52% typed into a %-formatted cell: Excel, WPS and LibreOffice keep 0.52
        (0.525, "0.0%", 52.5),
    ],
)
def test_numbers_as_people_type_them(plan_copy: Path, value: Any, fmt: str | None, percent: float) -> None:
    def edit(book: Any) -> None:
        book[layout.MAIN]["F7"] = value
        if fmt:
            book[layout.MAIN]["F7"].number_format = fmt

    assert imported(fill(make_sheet(plan_copy.parent), edit=edit)).exit_code == 0
    assert report(plan_copy)["tasks"][0]["percent"] == percent


def test_an_ods_sheet_is_read_as_the_xlsx_it_was(plan_copy: Path, tmp_path: Path) -> None:
    """LibreOffice's own format: the same report as from the .xlsx, line breaks and percentages too."""
    soffice = office(".xlsx")

    def edit(book: Any) -> None:
        book[layout.MAIN]["G7"] = "第一行\n第二行"
        book[layout.MAIN]["F8"] = 0.52
        book[layout.MAIN]["F8"].number_format = "0%"

    filled = fill(make_sheet(plan_copy.parent), edit=edit)
    profile = f"-env:UserInstallation={(tmp_path / 'p').as_uri()}"
    ods = tmp_path / "edu-filled.ods"
    external(
        soffice, profile, "--headless", "--convert-to", "ods", "--outdir", tmp_path, filled, produces=ods, starts=b"PK"
    )
    assert imported(filled).exit_code == 0
    expected = report(plan_copy)
    shutil.rmtree(plan_copy / "progress")
    result = imported(tmp_path / "edu-filled.ods")
    assert result.exit_code == 0, result.output
    assert report(plan_copy) == expected
    assert expected["tasks"][0]["progress"] == "第一行\n第二行" and expected["tasks"][1]["percent"] == 52


def test_the_examples_come_from_the_sheets_own_period(plan_copy: Path) -> None:
    book = openpyxl.load_workbook(make_sheet(plan_copy.parent, period="2025Q2"))
    guide = "\n".join(str(c.value) for c in book[layout.GUIDE]["A"] if c.value)
    assert "如 2025-06-30" in guide and "2024" not in guide
    stderr = refused(plan_copy, fill(plan_copy.parent / "edu.xlsx", edit=set_cells(H3="明天")))
    assert "请按 2025-06-30 的格式填写" in stderr


# --- who and when -----------------------------------------------------------------------------------


def test_a_sheet_sent_back_under_another_units_name_is_refused(plan_copy: Path) -> None:
    assert run("progress", "sheet", "--all", "--period", "2024", "--out", "sheets").exit_code == 0
    sheets = plan_copy.parent / "sheets"
    edu = next(sheets.glob("2024-*-education-*.xlsx"))
    science = next(sheets.glob("2024-*-science-association-*.xlsx"))
    copy = plan_copy.parent / "returned"
    copy.mkdir()
    stderr = refused(plan_copy, fill(edu, copy / science.name))  # 区教育局's sheet, named as 区科协's
    assert (
        f"{science.name}：文件名是区科协2024年填报表的名称，但表格是为区教育局2024年生成的（原文件名 {edu.name}）"
        in stderr
    )
    renamed = fill(edu, copy / "区教育局-已填.xlsx")  # a name of its own: fine
    assert imported(renamed).exit_code == 0


def test_a_file_name_naming_another_unit_is_flagged(plan_copy: Path) -> None:
    result = imported(fill(make_sheet(plan_copy.parent), plan_copy.parent / "区科协2024年落实情况.xlsx"))
    assert result.exit_code == 0
    assert "区科协2024年落实情况.xlsx：警告：文件名中有“区科协”，但表格属于区教育局：请核实报送单位" in result.stderr


def test_last_years_sheet_is_not_filed_silently(sample_copy: Path) -> None:
    """The sample plan has reports for 2023 and 2024: a 2023 sheet imported without --period lands in
    2023, and the import says so."""
    sheet = make_sheet(sample_copy.parent, unit="区妇联", period="2023")
    result = imported(fill(sheet, filed=dt.datetime(2023, 12, 8)))
    assert result.exit_code == 0, result.output
    assert "这是2023年的填报表，早于当前最新期间2024年：将写入 progress/2023/，请确认" in result.stderr
    assert "已写入 plan/progress/2023/women-federation.yaml（区妇联，2023年，" in result.stderr
    refused(sample_copy, fill(sheet, sample_copy.parent / "again.xlsx"), "--period", "2024")


def test_a_partial_report_imports_what_was_filled_and_says_what_was_not(plan_copy: Path) -> None:
    def some_blank(book: Any) -> None:
        for r in (9, 10):
            for c in range(5, 11):
                book[layout.MAIN].cell(row=r, column=c).value = None

    filled = fill(make_sheet(plan_copy.parent), edit=some_blank)
    stderr = refused(plan_copy, filled, "--complete")
    assert (
        "edu-filled.xlsx：进展!E9：二（一）3．推进高等教育阶段科学教育未填写（本次要求每项任务都填报：--complete）"
        in stderr
    )
    result = imported(filled)
    assert result.exit_code == 0, result.output
    assert "30 项任务" not in result.stderr and "28 项任务（达进度 28）；未填报 2 项" in result.stderr
    assert (
        "未填报（已列入催报名单，见 kpsy progress missing）：二（一）3．推进高等教育阶段科学教育、二（一）4．"
        in result.stderr
    )
    assert len(report(plan_copy)["tasks"]) == EDU_TASKS - 2
    owed = run("progress", "missing", "--period", "2024", "-f", "json")
    entry = next(o for o in json.loads(owed.stdout)["units"] if o["unit_id"] == "education")
    assert len(entry["missing"]) == 2 and entry["missing"][0] == "youth-higher-education"


def test_a_sheet_with_nothing_filled_is_refused(plan_copy: Path) -> None:
    def nothing(book: Any) -> None:
        ws = book[layout.MAIN]
        for r in range(7, ws.max_row + 1):
            for c in range(5, 11):
                ws.cell(row=r, column=c).value = None

    assert "没有填报任何任务" in refused(plan_copy, fill(make_sheet(plan_copy.parent), edit=nothing))


# --- what is hidden is read as the person saw it ---------------------------------------------------


def test_a_hidden_duplicate_status_column_does_not_win(plan_copy: Path) -> None:
    def duplicate(book: Any) -> None:
        ws = book[layout.MAIN]
        ws["L6"] = "完成状态"
        for r in range(7, ws.max_row + 1):
            ws.cell(row=r, column=12).value = "已完成"
        ws.column_dimensions["L"].hidden = True

    stderr = refused(plan_copy, fill(make_sheet(plan_copy.parent), edit=duplicate))
    assert "edu-filled.xlsx：进展!L6：表头“完成状态”出现了两次（E6 和 L6）：请删除多余的列" in stderr


def test_hidden_filled_in_cells_are_refused(plan_copy: Path) -> None:
    def hide_column(book: Any) -> None:
        book[layout.MAIN].column_dimensions["H"].hidden = True
        book[layout.MAIN]["H9"] = "看不见的问题"

    stderr = refused(plan_copy, fill(make_sheet(plan_copy.parent), edit=hide_column))
    assert "进展!H6：“存在问题”列被隐藏，其中填写的内容填报人看不到：请取消隐藏、核对后再报送" in stderr

    def hide_row(book: Any) -> None:
        book[layout.MAIN].row_dimensions[9].hidden = True

    stderr = refused(plan_copy, fill(make_sheet(plan_copy.parent, name="e2.xlsx"), edit=hide_row))
    assert "e2-filled.xlsx：进展!E9：第 9 行被隐藏，其中填写的内容填报人看不到：请取消隐藏、核对后再报送" in stderr


def test_a_hidden_empty_row_is_a_task_not_reported_on(plan_copy: Path) -> None:
    def hide_blank_row(book: Any) -> None:
        ws = book[layout.MAIN]
        for c in range(5, 11):
            ws.cell(row=9, column=c).value = None
        ws.row_dimensions[9].hidden = True

    result = imported(fill(make_sheet(plan_copy.parent), edit=hide_blank_row))
    assert result.exit_code == 0, result.output
    assert "进展!A9：警告：第 9 行（二（一）3．推进高等教育阶段科学教育）被隐藏且未填写：按未填报处理" in result.stderr


def test_hidden_and_extra_sheets(plan_copy: Path) -> None:
    def hidden_sheet(book: Any) -> None:
        book.security = None  # a unit's office suite that ignores the workbook's protection
        extra = book.create_sheet("进展(2)")
        extra["A1"] = "另一份"
        extra.sheet_state = "hidden"

    stderr = refused(plan_copy, fill(make_sheet(plan_copy.parent), edit=hidden_sheet))
    assert (
        "edu-filled.xlsx：进展(2)：工作簿中有隐藏的工作表“进展(2)”：请删除或取消隐藏（隐藏的内容不会被导入）" in stderr
    )

    def hidden_main(book: Any) -> None:
        book.security = None
        book.create_sheet("草稿")["A1"] = "x"
        book.active = 1
        book[layout.MAIN].sheet_state = "hidden"

    stderr = refused(plan_copy, fill(make_sheet(plan_copy.parent, name="e2.xlsx"), edit=hidden_main))
    assert "e2-filled.xlsx：进展：工作表“进展”被隐藏：请取消隐藏、核对后再报送" in stderr

    def scratch(book: Any) -> None:
        book.security = None
        book.create_sheet("草稿")["A1"] = "x"

    result = imported(fill(make_sheet(plan_copy.parent, name="e3.xlsx"), edit=scratch))
    assert result.exit_code == 0 and "e3-filled.xlsx：草稿：警告：工作表“草稿”不属于填报表，未导入" in result.stderr


# --- printing ---------------------------------------------------------------------------------------


def test_the_instructions_print_whole_at_9_points_or_more(plan_copy: Path, tmp_path: Path) -> None:
    """Printed to PDF by LibreOffice, the 填报说明 page shows every numbered item whole, inside the page."""
    import re
    import unicodedata

    from .test_clerk_files import pdf_of

    sheet = make_sheet(plan_copy.parent, period="2025", name="guide.xlsx")
    pdf = pdf_of(sheet, tmp_path)
    info = external(tool("pdfinfo"), pdf, text=True).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))  # type: ignore[union-attr]
    for page in range(1, pages + 1):
        boxes = external(tool("pdftotext"), "-f", page, "-l", page, "-bbox", pdf, "-", text=True).stdout
        if "填报说明" in boxes:
            break
    width = float(re.search(r'<page width="([\d.]+)"', boxes).group(1))  # type: ignore[union-attr]
    words = re.findall(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]+)<', boxes)
    text = "".join(w for _, _, w in words)
    for n in "一二三四五六七八九":
        assert f"{n}、" in text, n
    assert all(float(x0) >= 0 and float(x1) <= width for x0, x1, _ in words), "cut at an edge"
    sizes = [
        (float(x1) - float(x0)) / len(w)
        for x0, x1, w in words
        if len(w) > 1 and all(unicodedata.east_asian_width(ch) == "W" for ch in w)
    ]
    assert sizes and min(sizes) >= 9.0, min(sizes)
    png = tmp_path / "guide"
    external(tool("pdftoppm"), "-f", page, "-l", page, "-r", "50", "-png", pdf, png)
    assert list(tmp_path.glob("guide*.png"))


# --- nothing lost: sheets already there --------------------------------------------------------------


def test_sheets_already_there_are_replaced_only_with_force(plan_copy: Path) -> None:
    assert run("progress", "sheet", "--all", "--period", "2024", "--out", "sheets").exit_code == 0
    sheets = plan_copy.parent / "sheets"
    filled = next(sheets.glob("2024-*-education-*.xlsx"))
    fill(filled, filled)  # a unit's filled sheet, saved over the one it was sent
    before = filled.read_bytes()
    again = run("progress", "sheet", "--all", "--period", "2024", "--out", "sheets")
    assert again.exit_code == 1 and "可能是单位已填报的表格：未写入任何文件；如确需替换，请加 --force" in again.stderr
    assert filled.read_bytes() == before
    one = run("progress", "sheet", "--unit", "区教育局", "--period", "2024", "-o", filled)
    assert one.exit_code == 1 and filled.read_bytes() == before
    forced = run("progress", "sheet", "--all", "--period", "2024", "--out", "sheets", "--force")
    assert forced.exit_code == 0 and "已替换原有的 26 个工作簿" in forced.stderr
    assert filled.read_bytes() != before


# --- the seal: who filed what --------------------------------------------------------------------------


def test_a_changed_hidden_sheet_is_refused_with_what_it_claims(plan_copy: Path) -> None:
    def claim(book: Any) -> None:
        meta = book[layout.META]
        meta["B2"] = "science-association"  # the unit's id, edited to file as another unit
        book[layout.MAIN]["B2"] = "区科协"

    stderr = refused(plan_copy, fill(make_sheet(plan_copy.parent), edit=claim))
    assert (
        "edu-filled.xlsx：_kpsy：隐藏工作表在生成后被改动过（签名不符）：其中称本表为“science-association”“2024”的填报表，不予采信"
        in stderr
    )

    def another_period(book: Any) -> None:
        book[layout.META]["B3"] = "2025"
        book[layout.MAIN]["E2"] = "2025年"

    stderr = refused(plan_copy, fill(make_sheet(plan_copy.parent, name="e2.xlsx"), edit=another_period))
    assert (
        "e2-filled.xlsx：_kpsy：隐藏工作表在生成后被改动过（签名不符）：其中称本表为“education”“2025”的填报表" in stderr
    )

    def rows(book: Any) -> None:
        book[layout.META]["C10"] = "改过的任务"  # the first task row as issued

    assert "签名不符" in refused(plan_copy, fill(make_sheet(plan_copy.parent, name="e3.xlsx"), edit=rows))


def test_sheets_made_elsewhere_or_unsealed_need_trust(plan_copy: Path) -> None:
    from kpsy.plan.periods import parse_period
    from kpsy.sheets.write import make_sheet as build

    filled = fill(make_sheet(plan_copy.parent))
    key = plan_copy / ".kpsy" / "sheet-key"
    assert oct(key.stat().st_mode & 0o777) == "0o600" and (plan_copy / ".kpsy" / ".gitignore").read_text(
        encoding="utf-8"
    ).endswith("*\n")
    key.unlink()  # a fresh clone: no key
    stderr = refused(plan_copy, filled)
    assert "_kpsy：本计划文件夹没有填报表密钥（plan/.kpsy/sheet-key），无法核验表格签名" in stderr
    make_sheet(plan_copy.parent, name="other.xlsx")  # a key of this computer's own
    stderr = refused(plan_copy, filled)
    assert "表格签名所用密钥（" in stderr and "与本计划文件夹的密钥（" in stderr
    trusted = imported(filled, "--trust-unsigned")
    assert trusted.exit_code == 0, trusted.output
    assert "edu-filled.xlsx：_kpsy：警告：表格签名所用密钥" in trusted.stderr
    plan = open_plan(plan_copy)
    period = parse_period("2024")
    assert period is not None
    unsealed = plan_copy.parent / "unsealed.xlsx"
    unsealed.write_bytes(build(plan.data, plan.unit("区科协"), period))
    stderr = refused(plan_copy, fill(unsealed))
    assert (
        "表格没有签名（由旧版 kpsy 生成？）：请重新生成并下发填报表（如确认表格可信，可加 --trust-unsigned 导入）"
        in stderr
    )


def test_the_seal_survives_another_office_suite(plan_copy: Path, tmp_path: Path) -> None:
    """LibreOffice rewrites the hidden sheet too; what it holds, and so the seal, stays."""
    soffice = office(".xlsx")
    filled = fill(make_sheet(plan_copy.parent))
    profile = f"-env:UserInstallation={(tmp_path / 'p').as_uri()}"
    for kind in ("xlsx:Calc MS Excel 2007 XML", "ods"):
        out = tmp_path / kind[:4]
        resaved = out / (filled.stem + (".ods" if kind == "ods" else ".xlsx"))
        external(
            soffice,
            profile,
            "--headless",
            "--convert-to",
            kind,
            "--outdir",
            out,
            filled,
            produces=resaved,
            starts=b"PK",
        )
        result = imported(resaved)
        assert result.exit_code == 0, result.output
        assert "签名" not in result.stderr
        shutil.rmtree(plan_copy / "progress")

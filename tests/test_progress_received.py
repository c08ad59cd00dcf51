"""The day the office received each report (收到日期, `received`): recorded by `kpsy progress import`
(the day of the import, or --received for a batch imported later), kept when a corrected sheet comes
again, checked against the report's 填报日期 and period, and the day by which kpsy progress, progress
missing and the 督查通报 judge 按时 / 逾期."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import Result

from kpsy.api import open_plan
from kpsy.errors import UsageError
from kpsy.sheets import layout

from .conftest import edit, run, tree_digest
from .test_sheets import fill, make_sheet, report

DUE = dt.date(2024, 12, 10)  # the letters' 「每年12月10日前」, for 2024
EARLY = dt.datetime(2024, 11, 20)  # a 填报日期 well before the deadline


def imported(*args: str | Path) -> Result:
    return run("progress", "import", *args)


def sheet(plan: Path, unit: str = "区教育局", name: str = "edu.xlsx", filed: dt.datetime = EARLY, **kw: Any) -> Path:
    return fill(make_sheet(plan.parent, unit, "2024", name), plan.parent / f"filled-{name}", filed=filed, **kw)


def submission(unit: str, date: str = "2025-01-31") -> dict[str, Any]:
    data = json.loads(run("progress", "-p", "2024", "--date", date, "-f", "json").stdout)
    found: dict[str, Any] = next(s for s in data["submissions"] if s["unit_id"] == unit)
    return found


def today_between(before: dt.date, day: Any) -> bool:
    """`day` is today (the test may run across midnight)."""
    return before <= day <= dt.date.today()


# --- what the import records -------------------------------------------------------------------------


def test_the_import_records_the_day_of_the_import(plan_copy: Path) -> None:
    filled = sheet(plan_copy)
    before = dt.date.today()
    result = imported(filled)
    assert result.exit_code == 0, result.output
    day = report(plan_copy)["received"]
    assert today_between(before, day)
    late = (day - DUE).days  # the import is the office registering the report: today, after 2024's deadline
    assert f"收到日期 {day.isoformat()}（导入当天），逾期 {late} 天" in result.stderr
    assert "如该报告实际收到得更早，请加 --received 收到日期 --force 重新导入" in result.stderr
    assert report(plan_copy)["date"] == EARLY.date()  # the 填报日期 is the sheet's, untouched
    text = (plan_copy / "progress" / "2024" / "education.yaml").read_text(encoding="utf-8")
    assert f"date: 2024-11-20\nreceived: {day.isoformat()}\n" in text
    assert run("validate", "--strict").exit_code == 0
    assert run("fmt", "--check").exit_code == 0


def test_an_early_date_sent_after_the_deadline_is_late(plan_copy: Path) -> None:
    """A unit that writes 2024-11-20 on its sheet and sends it on 2024-12-20 is ten days late, in every view."""
    result = imported(sheet(plan_copy), "--received", "2024-12-20")
    assert result.exit_code == 0, result.output
    assert result.stderr == (
        "已写入 plan/progress/2024/education.yaml（区教育局，2024年，30 项任务（达进度 30）；"
        "收到日期 2024-12-20，逾期 10 天）\n"
    )
    assert report(plan_copy)["received"] == dt.date(2024, 12, 20)
    late = submission("education")
    assert (late["state"], late["state_label"], late["filed"], late["days"]) == ("late", "逾期", "2024-12-20", 10)
    table = run("progress", "-p", "2024", "--date", "2025-01-31").stdout
    row = next(line for line in table.splitlines() if "区教育局" in line and "逾期" in line)
    assert row.split()[1:5] == ["区教育局", "逾期", "2024-12-20", "10"]
    # no longer owed: it came, late
    assert "区教育局" not in run("progress", "missing", "-p", "2024", "--date", "2025-01-31").stdout
    md = run("render", "bulletin", "--period", "2024", "--date", "2025-01-31").stdout
    assert "逾期报送的单位（1个）：区教育局（逾期10天）。" in md
    assert "按时报送的单位" not in md and "逾期未报送的单位（25个）" in md


@pytest.mark.parametrize(
    "day", ["2024-12-10", "2024-11-20", "2024/12/9", "2024年12月10日", "２０２４．１２．１０", "20241210"]
)
def test_a_sheet_received_by_the_deadline_is_on_time(plan_copy: Path, day: str) -> None:
    """--received takes the forms clerks type, as a sheet's date cell does."""
    result = imported(sheet(plan_copy), "--received", day)
    assert result.exit_code == 0, result.output
    received = report(plan_copy)["received"]
    assert received <= DUE and f"收到日期 {received.isoformat()}，按时）" in result.stderr
    on_time = submission("education")
    assert (on_time["state"], on_time["days"], on_time["filed"]) == ("on-time", 0, received.isoformat())
    md = run("render", "bulletin", "--period", "2024", "--date", "2025-01-31").stdout
    assert "按时报送的单位（1个）：区教育局。" in md and "逾期报送的单位" not in md


def test_a_partial_report_received_late_is_late_and_still_owes_the_rest(plan_copy: Path) -> None:
    def blank(book: Any) -> None:
        for column in (5, 6, 7):
            book[layout.MAIN].cell(row=layout.HEADER_ROW + 1, column=column).value = None

    result = imported(sheet(plan_copy, edit=blank), "--received", "2024-12-13")
    assert result.exit_code == 0, result.output
    assert "；未填报 1 项；收到日期 2024-12-13，逾期 3 天）" in result.stderr
    assert submission("education")["days"] == 3
    owed = json.loads(run("progress", "missing", "-p", "2024", "--date", "2024-12-31", "-f", "json").stdout)
    mine = next(u for u in owed["units"] if u["unit"] == "区教育局")
    assert mine["state"] == "incomplete"


def test_the_import_as_json(plan_copy: Path) -> None:
    result = imported(sheet(plan_copy), "--received", "2024年12月20日", "-f", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["ok"] and data["written"] == ["plan/progress/2024/education.yaml"]
    (one,) = data["reports"]
    assert one["path"] == "plan/progress/2024/education.yaml" and one["file"] == "filled-edu.xlsx"
    assert (one["date"], one["received"], one["receipt"], one["state"], one["days_late"]) == (
        "2024-11-20",
        "2024-12-20",
        "given",
        "late",
        10,
    )
    assert "收到日期 2024-12-20，逾期 10 天" in result.stderr  # the summary as ever, on standard error
    again = json.loads(imported(sheet(plan_copy, name="b.xlsx"), "-f", "json").stdout)["reports"][0]
    assert (again["action"], again["receipt"], again["received"]) == ("same", "kept", "2024-12-20")


def test_the_api_takes_the_day_and_reports_it(plan_copy: Path) -> None:
    filled = sheet(plan_copy)
    result = open_plan(plan_copy).import_progress([filled], received=dt.date(2024, 12, 12))
    assert result.ok
    data = result.as_dict()
    (one,) = data["reports"]  # type: ignore[misc]
    assert (one["received"], one["receipt"], one["deadline"], one["state"], one["days_late"]) == (
        "2024-12-12",
        "given",
        "2024-12-10",
        "late",
        2,
    )
    assert one["date"] == "2024-11-20" and one["action"] == "new"
    assert data["written"] == ["plan/progress/2024/education.yaml"]
    with pytest.raises(UsageError, match="received"):
        open_plan(plan_copy).import_progress([filled], received="下周一")


# --- a corrected sheet keeps the day the report came ------------------------------------------------


def test_a_corrected_sheet_keeps_the_first_received_date(plan_copy: Path) -> None:
    make = make_sheet(plan_copy.parent)
    assert imported(fill(make, filed=EARLY), "--received", "2024-12-09").exit_code == 0

    def done(book: Any) -> None:
        book[layout.MAIN]["E8"] = "已完成"

    corrected = fill(make, plan_copy.parent / "corrected.xlsx", filed=dt.datetime(2024, 12, 28), edit=done)
    shown = imported(corrected)
    assert shown.exit_code == 1
    assert "  填报日期：2024-11-20 → 2024-12-28" in shown.stderr and "收到日期" not in shown.stderr
    result = imported(corrected, "--force")
    assert result.exit_code == 0, result.output
    assert "收到日期 2024-12-09（沿用首次收到的日期），按时" in result.stderr
    data = report(plan_copy)
    assert (data["date"], data["received"]) == (dt.date(2024, 12, 28), dt.date(2024, 12, 9))
    assert submission("education")["state"] == "on-time"  # judged by the day it came, not the corrected date
    assert run("validate", "--strict").exit_code == 0  # received before the corrected 填报日期: as it happened
    # the same corrected sheet again: nothing changes
    before = tree_digest(plan_copy)
    assert "未变化" in imported(corrected).stderr and tree_digest(plan_copy) == before


def test_received_given_again_replaces_the_recorded_day(plan_copy: Path) -> None:
    filled = sheet(plan_copy)
    assert imported(filled, "--received", "2024-12-09").exit_code == 0
    before = tree_digest(plan_copy)
    shown = imported(filled, "--received", "2024-12-19")
    assert shown.exit_code == 1 and "  收到日期：2024-12-09 → 2024-12-19" in shown.stderr
    assert tree_digest(plan_copy) == before
    forced = imported(filled, "--received", "2024-12-19", "--force")
    assert forced.exit_code == 0 and "收到日期 2024-12-19，逾期 9 天" in forced.stderr
    assert report(plan_copy)["received"] == dt.date(2024, 12, 19)


def test_a_report_recorded_without_a_received_day_stays_without(plan_copy: Path) -> None:
    """Written by hand or by an older kpsy: the day it came is not known, and a re-import is not it."""
    filled = sheet(plan_copy)
    assert imported(filled, "--received", "2024-12-05").exit_code == 0
    path = plan_copy / "progress" / "2024" / "education.yaml"
    edit(path, "received: 2024-12-05\n", "")
    assert imported(filled).stderr.startswith("未变化 plan/progress/2024/education.yaml")
    assert "received" not in report(plan_copy)

    def done(book: Any) -> None:
        book[layout.MAIN]["E8"] = "已完成"

    again = fill(make_sheet(plan_copy.parent, name="again.xlsx"), plan_copy.parent / "c.xlsx", filed=EARLY, edit=done)
    result = imported(again, "--force")
    assert result.exit_code == 0, result.output
    assert "收到日期未记录（计划中原有报告未记），按填报日期 2024-11-20 判断，按时" in result.stderr
    assert "received" not in report(plan_copy)
    assert submission("education")["filed"] == "2024-11-20"


# --- days that cannot be -----------------------------------------------------------------------------


def test_received_before_the_date_on_the_sheet_is_refused_at_that_cell(plan_copy: Path) -> None:
    filled = sheet(plan_copy, filed=dt.datetime(2024, 12, 8))
    result = imported(filled, "--received", "2024-12-01")
    assert result.exit_code == 1
    assert (
        "filled-edu.xlsx：进展!H3：收到日期 2024-12-01（指定）早于填报日期 2024-12-08：报告不会在填报之前收到，请核对两个日期"
        in (result.stderr)
    )
    assert "未写入任何文件：共 1 个问题" in result.stderr
    assert not (plan_copy / "progress").exists()
    early = imported(filled, "--received", "2023-12-20")
    assert early.exit_code == 1
    assert "收到日期 2023-12-20 早于填报期间 2024年 的开始（2024-01-01）：年份是否有误？" in early.stderr


def test_received_before_the_date_in_english(plan_copy: Path) -> None:
    filled = sheet(plan_copy, filed=dt.datetime(2024, 12, 8))
    result = run("--lang", "en", "progress", "import", filled, "--received", "2024-12-01")
    assert result.exit_code == 1
    assert "received on 2024-12-01 (given), before the sheet's date 2024-12-08" in result.stderr


@pytest.mark.parametrize(
    ("day", "said"),
    [
        ("下周一", "--received 下周一：“下周一”不是日期：请按"),
        ("2024-13-45", "“2024-13-45”不是日历上的日期"),
        ("2024年12月", "“2024年12月”只到月份：请写到日"),
        ("9999-12-31", "--received 9999-12-31 晚于今天"),
    ],
)
def test_a_received_day_that_is_not_one_is_a_usage_error(plan_copy: Path, day: str, said: str) -> None:
    filled = sheet(plan_copy)
    result = imported(filled, "--received", day)
    assert result.exit_code == 2 and said in result.stderr, result.output
    assert not (plan_copy / "progress").exists()


def test_a_received_day_that_is_not_one_in_english(plan_copy: Path) -> None:
    result = run("--lang", "en", "progress", "import", sheet(plan_copy), "--received", "next monday")
    assert result.exit_code == 2 and "--received next monday: 'next monday' is not a date" in result.stderr


def test_the_rule_in_a_plan_file(plan_copy: Path) -> None:
    """`kpsy validate` checks a 收到日期 typed into a report by hand, at its line and column."""
    folder = plan_copy / "progress" / "2024"
    folder.mkdir(parents=True)
    text = (
        "unit: education\nperiod: '2024'\nreporter: 张三\napprover: 李四\ndate: 2024-12-08\nreceived: 2023-12-02\n"
        "tasks:\n  - task: youth-scientist-spirit\n    status: 达进度\n    progress: 开展活动。\n"
    )
    (folder / "education.yaml").write_text(text, encoding="utf-8")
    result = run("validate")
    assert result.exit_code == 1
    assert result.stdout == (
        "plan/progress/2024/education.yaml:6:11: error progress-received: 收到日期 2023-12-02 早于填报期间 2024年 的开始"
        "（2024-01-01）：年份是否有误？\n"
    )
    english = run("--lang", "en", "validate")
    assert "it was received on 2023-12-02, before its period 2024 began (2024-01-01)" in english.stdout
    (folder / "education.yaml").write_text(text.replace("2023-12-02", "2024-12-02"), encoding="utf-8")
    assert run("validate", "--strict").exit_code == 0  # before its 填报日期: a corrected sheet's, as it may be

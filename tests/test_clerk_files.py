"""Files a clerk opens in Excel or WPS, and what a clerk sees at the command line (issue 11).

CSV with a byte-order mark and Chinese headers, workbooks with numbers as numbers that print on A4
in a readable size (checked by printing them to PDF with LibreOffice), the format taken from -o,
empty results said out loud, help that shows every word, and the glitches of the issue."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import zipfile
from pathlib import Path

import docx
import pytest
from openpyxl import load_workbook

from kpsy.outputs.listing import _DOTS_PER_CHARACTER, _MIN_SCALE, _PRINTABLE

from .conftest import PLAN, SAMPLE, external, office, run, tool


def csv_rows(text: str) -> list[dict[str, str]]:
    assert text.startswith("\ufeff"), "Excel on Chinese Windows needs the byte-order mark to read UTF-8"
    return list(csv.DictReader(io.StringIO(text.removeprefix("\ufeff"))))


# --- CSV ---------------------------------------------------------------------------------------


def test_csv_has_a_bom_chinese_headers_and_role_names() -> None:
    rows = csv_rows(run("tasks", "-u", "区教育局", "-f", "csv", "--plan", PLAN).stdout)
    assert list(rows[0])[:5] == ["编号", "任务", "牵头单位", "参加单位", "角色"]
    assert {r["角色"] for r in rows} == {"牵头", "参加"}
    coverage = csv_rows(run("coverage", "-f", "csv", "--plan", PLAN).stdout)
    assert list(coverage[0])[:4] == ["序号", "单位", "类别", "二（一）"]
    assert coverage[5]["单位"] == "区教育局" and coverage[5]["二（一）"] == "牵"


def test_the_bom_can_be_left_out(monkeypatch: pytest.MonkeyPatch) -> None:
    assert run("--no-bom", "units", "-f", "csv", "--plan", PLAN).stdout.startswith("序号,单位,")
    monkeypatch.setenv("KPSY_CSV_BOM", "0")
    assert run("units", "-f", "csv", "--plan", PLAN).stdout.startswith("序号,单位,")
    assert run("--bom", "units", "-f", "csv", "--plan", PLAN).stdout.startswith("\ufeff序号,")


def test_csv_numbers_are_bare_and_text_never_a_formula(plan_copy: Path) -> None:
    out = run("units", "-f", "csv").stdout
    assert "\n6,区教育局,政府部门,2,6,0,10,20,0," in out
    from kpsy.outputs.listing import Column, Listing, render_csv

    listing = Listing("t", [Column("a", "甲"), Column("n", "数")], [{"a": "=1+1", "n": 3}, {"a": "@x", "n": 2.5}])
    assert render_csv(listing, bom=False).splitlines() == ["甲,数", "'=1+1,3", "'@x,2.5"]


@pytest.mark.usefixtures("english")
def test_english_headers_with_lang_en() -> None:
    rows = csv_rows(run("--lang", "en", "tasks", "-u", "education", "-f", "csv", "--plan", PLAN).stdout)
    assert list(rows[0])[:5] == ["No.", "Task", "Lead units", "Participating units", "Role"]
    assert rows[0]["Role"] == "lead"
    table = run("--lang", "en", "units", "--plan", PLAN).stdout
    assert "No." in table and "Unit" in table


# --- workbooks ---------------------------------------------------------------------------------


def test_workbook_cells_keep_their_types(workdir: Path) -> None:
    assert run("targets", "-o", "targets.xlsx", "--plan", PLAN).exit_code == 0
    sheet = load_workbook(workdir / "targets.xlsx").worksheets[0]
    header = [c.value for c in sheet[1]]
    value, year = sheet.cell(2, header.index("数值") + 1), sheet.cell(2, header.index("年份") + 1)
    assert (value.value, value.data_type, year.value, year.data_type) == (15, "n", 2025, "n")
    assert run("units", "-o", "units.xlsx", "--plan", PLAN).exit_code == 0
    units = load_workbook(workdir / "units.xlsx").worksheets[0]
    assert [(c.value, c.data_type) for c in units["A"][1:4]] == [(1, "n"), (2, "n"), (3, "n")]
    assert [c.value for c in units[7]][:5] == [6, "区教育局", "政府部门", 2, 6]


def printed_dots(sheet: object) -> float:
    from openpyxl.utils import column_index_from_string

    area = sheet.print_area  # type: ignore[attr-defined]
    last = re.search(r"\$?([A-Z]+)\$?\d+$", area.split(":")[-1]).group(1)  # type: ignore[union-attr]
    widths = [
        sheet.column_dimensions[chr(64 + i)].width  # type: ignore[attr-defined]
        for i in range(1, column_index_from_string(last) + 1)
    ]
    return sum(_DOTS_PER_CHARACTER * w + 5 for w in widths)


@pytest.mark.parametrize(
    ("args", "first"),
    [
        (["tasks"], ["编号", "任务", "牵头单位", "参加单位"]),
        (["tasks", "-u", "区教育局"], ["编号", "任务", "牵头单位", "参加单位", "角色"]),
        (["coverage"], ["序号", "单位", "类别", "二（一）"]),
        (["units"], ["序号", "单位", "类别"]),
        (["targets"], ["目标", "时限"]),
        (["schedule"], ["时间", "工作"]),
    ],
    ids=lambda v: (
        " ".join(v) if isinstance(v, list) and v[0] in ("tasks", "coverage", "units", "targets", "schedule") else ""
    ),
)
def test_every_workbook_is_set_up_to_print_on_a4(args: list[str], first: list[str], workdir: Path) -> None:
    assert run(*args, "-o", "out.xlsx", "--plan", PLAN).exit_code == 0
    sheet = load_workbook(workdir / "out.xlsx").worksheets[0]
    header = [c.value for c in sheet[1]]
    assert header[: len(first)] == first, "what a clerk reads first comes first"
    if args == ["tasks"]:
        assert "角色" not in header, "no empty role column without a unit"
    setup = sheet.page_setup
    assert (
        int(setup.paperSize) == int(sheet.PAPERSIZE_A4) and int(setup.fitToWidth) == 1 and int(setup.fitToHeight) == 0
    )
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.print_title_rows == "$1:$1" and sheet.freeze_panes == "A2"
    assert all(c.alignment.wrap_text for c in sheet[2])
    budget = _PRINTABLE[setup.orientation] / _MIN_SCALE
    assert printed_dots(sheet) <= budget, "fitted to the width, the text prints at 9.5 pt or more"
    printed = re.search(r"\$?([A-Z]+)\$?\d+$", sheet.print_area.split(":")[-1]).group(1)
    ids = [i for i, h in enumerate(header) if h and h.endswith("ID")]
    assert all(i >= ord(printed) - 64 for i in ids), "ids are last and not printed"


def pdf_of(xlsx: Path, tmp_path: Path) -> Path:
    soffice = office(".xlsx")
    pdf = tmp_path / (xlsx.stem + ".pdf")
    profile = f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}"
    external(
        soffice, profile, "--headless", "--convert-to", "pdf", "--outdir", tmp_path, xlsx, produces=pdf, starts=b"%PDF"
    )
    return pdf


@pytest.mark.parametrize("command", ["tasks", "coverage", "units", "targets", "progress"])
def test_workbooks_print_readably(command: str, workdir: Path, tmp_path: Path) -> None:
    """Printed to PDF: A4 pages, Chinese at 9 pt or more, and every task's title on paper."""
    plan = SAMPLE if command == "progress" else PLAN
    assert run(command, "-o", f"{command}.xlsx", "--plan", plan).exit_code == 0
    pdf = pdf_of(workdir / f"{command}.xlsx", tmp_path)
    info = external(tool("pdfinfo"), pdf, text=True).stdout
    assert "(A4)" in info
    boxes = external(tool("pdftotext"), "-bbox", pdf, "-", text=True).stdout
    sizes = []
    for x0, x1, word in re.findall(
        r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">([^<]+)<', boxes
    ):
        if len(word) > 1 and all(unicodedata.east_asian_width(ch) == "W" for ch in word):
            sizes.append((float(x1) - float(x0)) / len(word))  # a Chinese character is one em wide
    assert sizes and min(sizes) >= 9.0, min(sizes)
    if command == "tasks":
        text = external(tool("pdftotext"), pdf, "-", text=True).stdout
        flat = "".join(text.split())
        assert int(re.search(r"Pages:\s+(\d+)", info).group(1)) > 1, "fitted to the width only"  # type: ignore[union-attr]
        for title in (
            "将弘扬科学精神和科学家精神贯穿于育人全链条",
            "实施基层科普服务能力提升工程",
            "提升边远村、脱贫村农民科技文化素质",
        ):
            rest = iter(flat)
            assert all(ch in rest for ch in title), title  # wrapped cells interleave, but nothing is lost


# --- the format from -o --------------------------------------------------------------------------


def test_the_format_comes_from_the_file_name(workdir: Path) -> None:
    for name in ("u.xlsx", "u.csv", "u.json", "u.md", "u.txt"):
        result = run("units", "-o", name, "--plan", PLAN)
        assert result.exit_code == 0, result.output
    assert zipfile.is_zipfile(workdir / "u.xlsx")
    assert (workdir / "u.csv").read_text(encoding="utf-8").startswith("\ufeff序号,单位")
    assert (workdir / "u.json").read_text(encoding="utf-8").startswith("[\n  {")
    assert (workdir / "u.md").read_text(encoding="utf-8").startswith("# 单位\n")
    assert "区教育局" in (workdir / "u.txt").read_text(encoding="utf-8")


def test_a_format_that_contradicts_the_file_name_is_refused(workdir: Path) -> None:
    result = run("units", "-f", "xlsx", "-o", "x.csv", "--plan", PLAN)
    assert result.exit_code == 2 and "x.csv" in result.stderr and "xlsx" in result.stderr
    assert run("units", "-f", "csv", "-o", "x.xlsx", "--plan", PLAN).exit_code == 2
    assert not list(workdir.iterdir()), "nothing written"
    assert run("units", "-f", "csv", "-o", "x.txt", "--plan", PLAN).exit_code == 0  # .txt names no other format
    assert run("units", "-f", "xlsx", "-o", "y.txt", "--plan", PLAN).exit_code == 2  # but holds no workbook
    assert not (workdir / "y.txt").exists()
    assert run("render", "table", "-o", "t.docx", "--plan", PLAN).exit_code == 0
    assert zipfile.is_zipfile(workdir / "t.docx")


# --- what the command line says ----------------------------------------------------------------


def test_empty_results_say_so_on_stderr() -> None:
    result = run("tasks", "-u", "区国动办", "--role", "牵头", "--plan", PLAN)
    assert (result.exit_code, result.stdout) == (0, "")
    assert "区国动办在此范围内没有牵头的任务" in result.stderr
    as_json = run("tasks", "-u", "区国动办", "--role", "lead", "-f", "json", "--plan", PLAN)
    assert as_json.exit_code == 0 and as_json.stdout == "[]\n" and "没有牵头的任务" in as_json.stderr
    assert run("tasks", "-u", "区教育局", "--plan", PLAN).stderr == ""


def test_roles_in_chinese_or_english() -> None:
    def numbers(*role: str) -> list[str]:
        out = run("tasks", "-u", "区教育局", *role, "-f", "json", "--plan", PLAN).stdout
        return re.findall(r'"task_number": "([^"]+)"', out)

    assert numbers("--role", "牵头") == numbers("--role", "lead") and len(numbers("-r", "牵头")) == 10
    assert numbers("-r", "参加", "-r", "牵头") == numbers("-r", "participant", "-r", "lead")
    bad = run("tasks", "-u", "区教育局", "--role", "领导", "--plan", PLAN)
    assert bad.exit_code == 2 and "牵头" in bad.stderr


def test_help_is_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    assert run("-h").exit_code == 0 and run("tasks", "-h").exit_code == 0
    root = run("--help").stdout
    assert "某单位要做什么：按行动列出它的任务（按原文顺序），以及它在每项任务中的角色（牵头、参加、提及）" in root
    english = run("--lang", "en", "--help").stdout
    assert (
        "What a unit must do: its tasks by action in document order, with its role (lead, participant, mentioned), co-leads"
        in english
    )
    assert "--install-completion" in root and "--show-completion" in root
    for columns in ("60", "80"):
        monkeypatch.setenv("COLUMNS", columns)
        for command in (["tasks"], ["coverage"], ["show"], ["letters"], ["render"], ["validate"]):
            shown = run(*command, "--help").stdout
            assert "…" not in shown, (columns, command, shown)
    monkeypatch.setenv("COLUMNS", "80")
    assert "…" not in run("--help").stdout


def test_units_complete_in_the_shell() -> None:
    from kpsy.cli.options import complete_unit

    class Context:
        def __init__(self, plan: Path) -> None:
            self.params = {"plan": plan}

    assert complete_unit(Context(PLAN), "区教") == ["区教育局"]  # type: ignore[arg-type]
    assert complete_unit(Context(PLAN), "")[:3] == ["区委组织部", "区委宣传部", "区委统战部"]  # type: ignore[arg-type]
    assert complete_unit(Context(Path("/nonexistent")), "区") == []  # type: ignore[arg-type]


# --- the glitches of the issue --------------------------------------------------------------------


def test_markdown_has_no_empty_bullet_and_no_double_blank_line() -> None:
    coverage = run("coverage", "-f", "md", "--plan", PLAN).stdout
    assert "\n- \n" not in coverage and not re.search(r"^-\s*$", coverage, re.M)
    shown = run("show", "grassroots-capacity", "-f", "md", "--plan", PLAN).stdout
    assert "\n\n\n" not in shown
    assert "\n\n\n" not in run("show", "grassroots-capacity", "--plan", PLAN).stdout


def test_a_letter_names_a_part_once_and_keeps_its_units_lines_apart(workdir: Path) -> None:
    office = run("render", "letter", "-u", "区全民科学素质纲要实施工作办公室", "--plan", PLAN).stdout
    assert office.count("四（一）组织保障：") == 1
    assert run("render", "letter", "-u", "区科协", "-f", "docx", "-o", "l.docx", "--plan", PLAN).exit_code == 0
    paragraphs = [p.text for p in docx.Document(str(workdir / "l.docx")).paragraphs]
    co = next(p for p in paragraphs if p.startswith("共同牵头单位："))
    assert "参加单位" not in co
    assert any(p.startswith("参加单位：区委宣传部") for p in paragraphs)


@pytest.mark.parametrize(
    ("args", "ident"),
    [
        (["tasks", "-u", "区教育局"], "youth-scientist-spirit"),
        (["tasks"], "grassroots-capacity"),
        (["units"], "education"),
        (["coverage"], "education"),
        (["targets"], "science-literacy-rate"),
        (["schedule"], "launch"),
        (["search", "人工智能"], "info-smart"),
    ],
    ids=lambda v: " ".join(v) if isinstance(v, list) else v,
)
def test_listings_show_ids_when_asked(args: list[str], ident: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    plain = run(*args, "--plan", PLAN)
    with_ids = run(*args, "--ids", "--plan", PLAN)
    assert with_ids.exit_code == 0, with_ids.output
    assert not re.search(rf"\b{ident}\b", plain.stdout)
    assert re.search(rf"\b{ident}\b", with_ids.stdout), with_ids.stdout[:500]
    assert re.search(rf"\b{ident}\b", run(*args, "--ids", "-f", "md", "--plan", PLAN).stdout)


def test_a_letters_sender_never_stands_alone_on_a_page(workdir: Path) -> None:
    assert run("render", "letter", "-u", "区教育局", "-f", "docx", "-o", "l.docx", "--plan", PLAN).exit_code == 0
    paragraphs = docx.Document(str(workdir / "l.docx")).paragraphs
    at = next(i for i, p in enumerate(paragraphs) if p.style is not None and p.style.name == "Signature")
    assert paragraphs[at - 1].paragraph_format.keep_with_next  # the last words of the body go with it
    assert paragraphs[at].style.paragraph_format.keep_with_next  # and it goes with the date

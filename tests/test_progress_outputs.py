"""What people look at: the charts (PNG, with a font that draws Chinese), the native Excel charts,
the HTML dashboard in a real headless browser, and the 督查通报 and 总结 drafts in Markdown and .docx."""

from __future__ import annotations

import io
import os
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

import docx
import numpy as np
import pytest
from PIL import Image

from kpsy.api import open_plan
from kpsy.outputs import charts
from kpsy.outputs.charts import COLOURS, ChartFontError, chart_font, indicator_chart, status_chart

from .conftest import BROWSER_FLAGS, PLAN, SAMPLE, browser, external, run, tree_digest
from .test_render import check_layout, golden

DATA_URI = re.compile(r"data:image/png;base64,[A-Za-z0-9+/=]+")


@pytest.fixture(autouse=True)
def _fresh_font() -> Iterator[None]:
    chart_font.cache_clear()
    yield
    chart_font.cache_clear()


def rgb(colour: str) -> tuple[int, int, int]:
    value = colour.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def share_of(image: Image.Image, colour: str, tolerance: int = 12) -> float:
    """The share of an image's pixels that have `colour`."""
    pixels = np.asarray(image.convert("RGB"), dtype=np.int16)
    near = np.all(np.abs(pixels - np.array(rgb(colour), dtype=np.int16)) <= tolerance, axis=-1)
    return float(near.mean())


# --- charts --------------------------------------------------------------------------------------


def test_the_status_chart(workdir: Path) -> None:
    view = open_plan(SAMPLE).progress("2024").progress
    png = status_chart(view.actions, "2024年各行动任务落实情况")
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG" and image.width > 1000 and image.height > 500
    for status in ("已完成", "达进度", "欠进度", "未报送"):
        assert share_of(image, COLOURS[status]) > 0.002, status
    assert share_of(image, "#FFFFFF", 3) > 0.4  # a picture, not a blot
    (workdir / "status.png").write_bytes(png)


def test_every_character_the_charts_print_is_in_their_font() -> None:
    """No empty boxes: the font found has a glyph for every character of every label (and matplotlib,
    which warns of a missing glyph, would fail this test suite, which turns warnings into errors)."""
    from matplotlib import ft2font

    font = chart_font()
    assert font.family and Path(font.path).is_file() and font.found_by in ("env", "matplotlib", "fontconfig")
    entry = next(
        e for e in __import__("matplotlib.font_manager").font_manager.fontManager.ttflist if e.name == font.family
    )
    charmap = ft2font.FT2Font(entry.fname, face_index=getattr(entry, "index", 0)).get_charmap()
    plan = open_plan(SAMPLE)
    overview = plan.progress("2024")
    texts = [f"{a.number}{a.title}" for a in overview.progress.actions]
    texts += [
        f"{i.indicator}：{i.trend_label}目标：{i.comparator}基线（年）实测值当前趋势" for i in overview.indicators
    ]
    texts += ["已完成超进度达进度欠进度未启动其他未报送项数（单位×任务）"]
    missing = sorted({c for text in texts for c in text if not c.isspace() and ord(c) not in charmap})
    assert missing == []


def test_indicator_charts(workdir: Path) -> None:
    rows = open_plan(SAMPLE).indicators()
    for row in rows:
        image = Image.open(io.BytesIO(indicator_chart(row)))
        assert image.width > 1000
        assert share_of(image, "#1565C0") > 0.001  # the measured values
        assert share_of(image, "#C62828") > 0.001  # the target
    (workdir / "indicator.png").write_bytes(indicator_chart(rows[0]))


def test_a_font_is_found_or_drawing_stops_with_a_message(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    import matplotlib

    latin = Path(matplotlib.get_data_path()) / "fonts" / "ttf" / "DejaVuSans.ttf"
    monkeypatch.setenv(charts.FONT_ENV, str(latin))
    with pytest.raises(ChartFontError, match="不含中文字形"):
        chart_font()
    chart_font.cache_clear()
    monkeypatch.setenv(charts.FONT_ENV, str(tmp_path / "none.ttf"))
    with pytest.raises(ChartFontError, match="字体文件不存在"):
        chart_font()
    chart_font.cache_clear()
    monkeypatch.delenv(charts.FONT_ENV)
    monkeypatch.setattr(charts, "FAMILIES", ())
    monkeypatch.setattr(charts, "_fontconfig_file", lambda: None)
    with pytest.raises(ChartFontError, match="fonts-noto-cjk"):
        chart_font()


def test_a_chart_without_a_font_writes_nothing(sample_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(charts.FONT_ENV, str(sample_copy / "nothing.ttf"))
    before = tree_digest(sample_copy.parent)
    result = run("progress", "-f", "html", "-o", "dash.html")
    assert result.exit_code == 1 and "KPSY_CHART_FONT" in result.stderr
    assert tree_digest(sample_copy.parent) == before


# --- native Excel charts ---------------------------------------------------------------------------


def chart_xml(path: Path) -> list[str]:
    with zipfile.ZipFile(path) as z:
        return [z.read(n).decode("utf-8") for n in sorted(z.namelist()) if n.startswith("xl/charts/chart")]


def test_the_progress_workbook_has_native_charts(sample_copy: Path) -> None:
    import openpyxl

    assert run("progress", "-f", "xlsx", "-o", "p.xlsx").exit_code == 0
    path = sample_copy.parent / "p.xlsx"
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == [
        "统计",
        "状态矩阵",
        "台账",
        "未报送",
        "报送情况",
        "督办灯",
        "指标",
    ]  # 督办 sheets added (issue 20)
    xml = chart_xml(path)
    assert len(xml) == 3  # status by action, and one per indicator
    bar = xml[0]
    assert "<barChart>" in bar and '<barDir val="bar"/>' in bar and '<grouping val="stacked"/>' in bar
    assert bar.count("<ser>") == 7
    assert COLOURS["欠进度"].lstrip("#") in bar
    assert all("<lineChart>" in x for x in xml[1:])
    counts = book["统计"]
    assert [counts.cell(row=r, column=2).value for r in range(4, 12)] == [41, 4, 76, 16, 1, 0, 309, 447]
    assert counts["C7"].number_format == "0.0%" and abs(counts["C7"].value - 0.036) < 1e-9
    matrix = book["状态矩阵"]
    assert matrix["A2"].value == "二（一）1．" and matrix.freeze_panes == "C2"
    edu = [c.value for c in matrix[1]].index("区教育局") + 1
    assert matrix.cell(row=2, column=edu).value == "欠进度"
    assert matrix.cell(row=2, column=edu).fill.start_color.rgb.endswith(COLOURS["欠进度"].lstrip("#"))
    for (
        sheet
    ) in book.worksheets:  # fitted to the width; wide tables take two pages across rather than shrink below 9.5 pt
        assert str(sheet.page_setup.paperSize) == sheet.PAPERSIZE_A4 and int(sheet.page_setup.fitToWidth) in (1, 2)
        assert int(sheet.page_setup.fitToHeight) == 0


def test_the_targets_workbook_charts_each_indicator(sample_copy: Path) -> None:
    assert run("targets", "-f", "xlsx", "-o", "t.xlsx").exit_code == 0
    xml = chart_xml(sample_copy.parent / "t.xlsx")
    assert len(xml) == 2 and all("<lineChart>" in x for x in xml)
    assert run("targets", "--plan", PLAN, "-f", "xlsx", "-o", "plain.xlsx").exit_code == 0
    assert chart_xml(sample_copy.parent / "plain.xlsx") == []  # no data, no chart


# --- the dashboard ---------------------------------------------------------------------------------


def test_the_dashboard_is_one_self_contained_page(sample_copy: Path) -> None:
    assert run("progress", "-f", "html", "-o", "dash.html").exit_code == 0
    html = (sample_copy.parent / "dash.html").read_text(encoding="utf-8")
    assert "default-src 'none'; img-src data:; style-src 'unsafe-inline'" in html
    assert "<script" not in html and "<link" not in html and "@import" not in html and "url(" not in html
    for ref in re.findall(r'(?:src|href)="([^"]*)"', html):
        assert ref.startswith("data:image/png;base64,"), ref
    assert len(DATA_URI.findall(html)) == 3
    assert "2024年：应报 26 个单位、447 项（单位×任务），5 个单位已报送；欠进度 16 项，占 3.6%" in html


def test_the_dashboard_in_a_real_browser(sample_copy: Path, tmp_path: Path) -> None:
    """Debian's chromium, headless: the rendered page (its DOM after loading) and a screenshot."""
    chromium = browser()
    assert run("progress", "-f", "html", "-o", "dash.html").exit_code == 0
    page = (sample_copy.parent / "dash.html").resolve().as_uri()
    flags = [
        chromium,
        *BROWSER_FLAGS,
        f"--user-data-dir={tmp_path / 'profile'}",
        "--host-resolver-rules=MAP * ~NOTFOUND",
    ]
    rendered = external(*flags, "--dump-dom", page, text=True, timeout=120).stdout
    assert '<p class="summary" id="summary">2024年：应报 26 个单位' in rendered
    cells = re.findall(r'<td class="cell" data-status="([^"]+)"', rendered)
    assert len(cells) == 447 and cells.count("欠进度") == 16 and cells.count("未报送") == 309
    assert rendered.count('class="card"') == 7
    shot = tmp_path / "dash.png"
    external(
        *flags, "--window-size=1400,2600", f"--screenshot={shot}", page, produces=shot, starts=b"\x89PNG", timeout=120
    )
    image = Image.open(shot)
    assert image.size == (1400, 2600)
    for status in ("已完成", "达进度", "欠进度", "未启动", "未报送"):
        assert share_of(image, COLOURS[status]) > 0.0005, status  # the cards, the chart, the matrix
    assert 0.3 < share_of(image, "#FFFFFF", 3) < 0.95
    # the top of the page carries the title in dark text on white: not blank, not one colour
    top = np.asarray(image.crop((0, 0, 900, 120)).convert("L"))
    assert int((top < 100).sum()) > 1500


# --- documents ------------------------------------------------------------------------------------


def normalised(markdown: str) -> str:
    return DATA_URI.sub("data:image/png;base64,…", markdown)


@pytest.mark.parametrize("name", ["bulletin", "review"])
def test_progress_documents_match_golden(name: str) -> None:
    result = run("render", name, "--plan", SAMPLE, "--date", "2024-12-20")
    assert result.exit_code == 0, result.output
    # the bulletin: status by action; the review: the years compared and the two indicators
    assert len(DATA_URI.findall(result.stdout)) == PICTURES[name]
    golden(f"{name}.md", normalised(result.stdout))


PICTURES = {"bulletin": 1, "review": 3}


def test_the_bulletin_names_tasks_behind_and_units_that_did_not_report() -> None:
    md = run("render", "bulletin", "--plan", SAMPLE, "--date", "2024-12-20").stdout
    assert "其中已完成41项，占9.2%；超进度4项，占0.9%；达进度76项，占17.0%；欠进度16项，占3.6%" in md
    assert "| 二（一）2． | 推进基础教育阶段科学教育 | 0 | 3 | 1 | 8 | 逾期 |" in md  # the 附件's task list
    assert "按时报送的单位（5个）：区教育局、区科工信局、区卫健局、团区委、区科协。" in md
    assert "逾期未报送的单位（21个）：区委组织部、" in md
    assert "报送不全的单位（1个）：团区委（2项未填报）。" in md
    assert "| 1 | 区卫健局 | 21/21 | 30 | 20 | 43.3 | 93.3 |" in md  # ranked by the scoring rule
    assert "区卫健局（93.3分）、区科协（92.1分）、区教育局（91.0分）、区科工信局（90.0分）按时报送" in md
    assert "区委组织部、" in md.split("## （二）通报批评")[1].split("#")[0]
    older = run("render", "bulletin", "--plan", SAMPLE, "--period", "2023", "--date", "2023-12-20").stdout
    assert "关于2023年度全民科学素质行动任务落实情况的通报" in older


def test_progress_documents_in_docx(workdir: Path) -> None:
    for name in ("bulletin", "review"):
        out = workdir / f"{name}.docx"
        result = run("render", name, "--plan", SAMPLE, "-f", "docx", "-o", out, "--date", "2024-12-20")
        assert result.exit_code == 0, result.output
        d = check_layout(out)
        with zipfile.ZipFile(out) as z:
            media = [n for n in z.namelist() if n.startswith("word/media/")]
        assert len(media) == PICTURES[name]
        figures = [p for p in d.paragraphs if p._p.xpath(".//w:drawing")]
        assert len(figures) == PICTURES[name]
        for p in figures:
            assert p.paragraph_format.line_spacing_rule is not None  # set: not the body's exact 28.95 pt
            assert p.paragraph_format.line_spacing_rule.name == "SINGLE"
    text = "\n".join(p.text for p in docx.Document(str(workdir / "bulletin.docx")).paragraphs)
    assert text.startswith(  # the 版头 (issuer record of the sample's settings.yaml), then the title
        "雁峰区全民科学素质纲要实施工作办公室文件\n雁科素办发〔2024〕\u3000\u3000号\n"
        "关于2024年度全民科学素质行动任务落实情况的通报\n各成员单位："
    )
    assert "图1　2024年各行动任务落实情况" in text


def test_the_final_years_review_is_the_summing_up(sample_copy: Path) -> None:
    folder = sample_copy / "progress" / "2025"
    folder.mkdir()
    text = (sample_copy / "progress" / "2024" / "health.yaml").read_text(encoding="utf-8")
    (folder / "health.yaml").write_text(
        text.replace("period: '2024'", "period: '2025'").replace("date: 2024-", "date: 2025-"), encoding="utf-8"
    )
    md = run("render", "review", "--date", "2025-12-20").stdout
    assert md.split("\n")[1] == "《雁峰区全民科学素质行动规划纲要实施方案（2021-2025年）》实施情况总结评估（初稿）"


def test_progress_documents_usage(workdir: Path) -> None:
    assert run("render", "summary", "--period", "2024", "--plan", SAMPLE).exit_code == 2
    result = run("render", "bulletin", "--plan", PLAN)
    assert result.exit_code == 1 and "还没有进展报告" in result.stderr
    # a period without reports is a bulletin of who did not report
    md = run("render", "bulletin", "--plan", PLAN, "--period", "2024", "--date", "2024-12-20").stdout
    assert "实际报送0个" in md and "逾期未报送的单位（26个）" in md
    assert os.listdir(workdir) == []

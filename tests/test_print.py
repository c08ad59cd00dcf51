"""What prints: task letters, the 督查通报, the 分工表, a redline and the comparison table, made as
.docx, converted to PDF by LibreOffice (as a clerk would print them) and read back from the PDF:
the words where they stand (pdftotext -bbox-layout) and the page as a picture (pdftoppm).

- the red 版头 on page 1, in its upper part, and the 发文字号 under it;
- no unit name split across two lines of a table, no 序号 or 编号 broken;
- the 版记 as the last text of the last page (the page number aside), in its lower part;
- 「征求意见稿」 at the top right of the first page of a draft;
- a table row taller than a page printed whole, over several pages;
- page counts within bounds.

LibreOffice Writer and poppler are needed (tests/externals.py; .ci/run installs them): under CI
their absence fails these tests, naming the Debian package; elsewhere they are skipped."""

from __future__ import annotations

import os
import re
import subprocess
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from kpsy.api import open_plan
from kpsy.documents.word import table_docx

from .conftest import PLAN, QINGSHAN, SAMPLE, external, office, run, tool
from .test_tables import split_names

UNITS = [u.name for u in open_plan(PLAN).data.units]
PT_PER_MM = 72 / 25.4


def to_pdf(files: list[Path], out: Path) -> dict[str, Path]:
    """Each file of `files` printed to PDF by LibreOffice (Writer for .docx, Calc for .xlsx), with a
    profile of its own; a missing part of LibreOffice fails the test, naming its Debian package."""
    soffice = office(files[0].suffix)
    profile = out / "libreoffice-profile"
    pdfs = {f.stem: out / f"{f.stem}.pdf" for f in files}
    external(
        soffice,
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless",
        "--convert-to",
        "pdf",
        "--outdir",
        out,
        *files,
        produces=pdfs[files[-1].stem],
        starts=b"%PDF",
        timeout=600,
    )
    for pdf in pdfs.values():
        if not pdf.is_file():
            pytest.fail(f"LibreOffice wrote no {pdf.name}: is the Debian package libreoffice-writer-nogui installed?")
    return pdfs


@dataclass
class Line:
    x0: float
    y0: float
    x1: float
    y1: float
    text: str


@dataclass
class Page:
    width: float
    height: float
    lines: list[Line]

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)


def pages(pdf: Path) -> list[Page]:
    """Every page of `pdf` with its lines of text where they stand (points from the top left)."""
    xml = subprocess.run(
        [tool("pdftotext"), "-bbox-layout", str(pdf), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    found = []
    for width, height, body in re.findall(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', xml, re.S):
        lines = [
            Line(float(a), float(b), float(c), float(d), "".join(re.findall(r">([^<]*)</word>", words)))
            for a, b, c, d, words in re.findall(
                r'<line xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</line>', body, re.S
            )
        ]
        found.append(Page(float(width), float(height), lines))
    return found


def red_rows(pdf: Path, page: int, tmp: Path) -> list[float]:
    """The heights (fractions of the page, from the top) at which page `page` has red pixels."""
    from PIL import Image

    stem = tmp / f"{pdf.stem}-{page}"
    subprocess.run(
        [
            tool("pdftoppm"),
            "-r",
            "40",
            "-f",
            str(page),
            "-l",
            str(page),
            "-png",
            str(pdf),
            str(stem),
        ],
        check=True,
    )
    picture = next(tmp.glob(f"{stem.name}*.png"))
    image = Image.open(picture).convert("RGB")
    pixels = image.load()
    width, height = image.size
    rows = []
    for y in range(height):
        if any(_red(pixels[x, y]) for x in range(0, width, 2)):
            rows.append(y / height)
    picture.unlink()
    return rows


def _red(pixel: tuple[int, int, int]) -> bool:
    r, g, b = pixel
    return r > 150 and g < 110 and b < 110


def last_text(page: Page) -> Line:
    """The lowest line of the page that is not its page number (— 3 —)."""
    body = [line for line in page.lines if not re.fullmatch(r"[—\-\s\d]+", line.text)]
    return max(body, key=lambda line: line.y1)


TABLE_LINE_PT = 18  # a line of a table (小四 12 pt or less) is lower than one of the text (3号, 16 pt)


def column_pairs(page: Page) -> Iterator[tuple[str, str]]:
    """Each line of a table with the line under it in the same column (a cell's next line)."""
    for line in page.lines:
        if line.y1 - line.y0 > TABLE_LINE_PT:
            continue
        below = [
            other
            for other in page.lines
            if abs(other.x0 - line.x0) < 2 and 0 < other.y0 - line.y0 < 1.8 * (line.y1 - line.y0)
        ]
        if below:
            yield line.text, min(below, key=lambda other: other.y0).text


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[Page]]:
    """The documents, made by the command line and printed to PDF once for all these tests."""
    out = tmp_path_factory.mktemp("print")
    qingshan, draft = QINGSHAN / "plan", QINGSHAN.parent / "qingshan-2024" / "plan"
    env = {"KPSY_CACHE_DIR": str(out / "cache"), "KPSY_LANG": "zh"}
    with pytest.MonkeyPatch.context() as patch:
        for key, value in env.items():
            patch.setenv(key, value)
        patch.chdir(out)
        for args in (
            ["letters", "--out", "letters", "-u", "区教育局", "-u", "区科协", "--date", "2023-04-20", "--plan", PLAN],
            ["render", "bulletin", "-f", "docx", "-o", "bulletin.docx", "--date", "2024-12-20", "--plan", SAMPLE],
            ["render", "table", "-f", "docx", "-o", "table.docx", "--plan", PLAN],
            ["diff", "--old-plan", qingshan, "--new-plan", draft, "-f", "redline", "-o", "redline.docx"],
            ["diff", "--old-plan", qingshan, "--new-plan", draft, "-f", "docx", "-o", "comparison.docx"],
        ):
            result = run("--lang", "zh", *args)
            assert result.exit_code == 0, result.output
    for path in (out / "letters").glob("*.docx"):
        path.rename(out / ("letter-" + path.stem.split("-")[1] + ".docx"))
    tall = "".join(f"第{i}句话讲科学素质提升，" for i in range(1, 400))
    rows = [
        [[[("1", "")]], [[(tall, "")]], [[("区教育局", "")]]],
        [[[("2", "")]], [[("短的一行。", "")]], [[("区科协", "")]]],
    ]
    (out / "tall.docx").write_bytes(
        table_docx("一行比一页还高的表", "", ["序号", "内容", "牵头单位"], rows, [], keep=UNITS)
    )
    pdfs = to_pdf(sorted(out.glob("*.docx")), out)
    found = {name: pages(pdf) for name, pdf in pdfs.items()}
    found["_folder"] = [Page(0, 0, [Line(0, 0, 0, 0, str(out))])]
    return found


def folder(printed: dict[str, list[Page]]) -> Path:
    return Path(printed["_folder"][0].lines[0].text)


@pytest.mark.parametrize("name", ["letter-education", "letter-science", "bulletin"])
def test_the_red_head_is_on_page_one_and_the_imprint_ends_the_last(name: str, printed: dict[str, list[Page]]) -> None:
    document = printed[name]
    first = document[0]
    red = red_rows(folder(printed) / f"{name}.pdf", 1, folder(printed))
    upper = [y for y in red if y < 0.45]
    assert len(upper) > 8, f"no red 版头 in the upper part of page 1 of {name}"
    number = next(line for line in first.lines if re.search(r"雁科素办(函|发)〔20\d\d〕", line.text))
    title = next(line for line in first.lines if "关于" in line.text)
    assert number.y0 < title.y0 and number.y0 > max(upper) * first.height - 60, "the 发文字号 under the red line"
    last = document[-1]
    final = last_text(last)
    assert final.text.startswith("抄送：") if name.startswith("letter") else final.text.endswith("印发")
    assert final.y1 > 0.8 * last.height, f"the 版记 of {name} is not at the foot of its last page"
    assert final.y1 <= last.height - 35 * PT_PER_MM + 3, "the 版记 stays in the type area"
    assert 1 <= len(document) <= 12


def test_a_letter_is_in_the_letter_format(printed: dict[str, list[Page]]) -> None:
    first = printed["letter-education"][0]
    red = red_rows(folder(printed) / "letter-education.pdf", 1, folder(printed))
    assert min(red) * first.height < 32 * PT_PER_MM + 2, "the 发文机关标志 30 mm from the top"
    assert any(0.91 < y < 0.94 for y in red), "the lower red double line 20 mm above the bottom"
    number = next(line for line in first.lines if "雁科素办函〔2023〕" in line.text)
    right = max(line.x1 for line in first.lines if abs(line.y0 - number.y0) < 2)  # 〔2023〕 , 号
    assert abs(right - (210 - 26) * PT_PER_MM) < 3, "the 发文字号 flush with the right of the type area"
    assert not any(re.fullmatch(r"—\s*1\s*—", line.text) for line in first.lines), "no page number on page 1"
    assert any(re.fullmatch(r"—\s*2\s*—", line.text) for line in printed["letter-education"][1].lines)


def test_the_division_table_breaks_no_name(printed: dict[str, list[Page]]) -> None:
    document = printed["table"]
    assert 8 <= len(document) <= 24
    text = "\n".join(page.text for page in document)
    markdown = run("render", "table", "--plan", PLAN).stdout
    named = [u for u in UNITS if u in markdown]
    assert len(named) > 20
    for unit in named:
        assert unit in text, f"{unit} is printed nowhere whole"
    for page in document:
        assert any(line.text == "序号" for line in page.lines), "the header row on every page"
        split = [name for a, b in column_pairs(page) for name in split_names([a, b])]
        assert not split, split
        for line in page.lines:
            assert line.text not in ("序", "号", "完成", "时限"), "a heading broken"


def test_the_bulletins_numbers_stay_whole(printed: dict[str, list[Page]]) -> None:
    lines = [line.text for page in printed["bulletin"] for line in page.lines]
    numbers = re.findall(r"二（[一二三四五]）\d+．", "\n".join(lines))
    assert len(numbers) >= 5
    for number in numbers:
        assert any(number in line for line in lines)
    assert not any(re.fullmatch(r"[一二三四]（[一二三四五]?", line) for line in lines), "an 编号 broken"
    for page in printed["bulletin"]:
        assert not [name for a, b in column_pairs(page) for name in split_names([a, b])]
    for heading in ("已完成", "按进度", "未报送", "督办", "排名", "得分"):  # the ranking's and the 附件's headers
        assert heading in lines


def test_a_draft_is_marked_at_the_top_right(printed: dict[str, list[Page]]) -> None:
    for name in ("redline", "comparison"):
        first = printed[name][0]
        mark = next(line for line in first.lines if line.text == "征求意见稿")
        assert mark.x1 > 0.6 * first.width and mark.y0 < 0.2 * first.height, name
        assert all(line.y0 >= mark.y0 for line in first.lines), "above everything"
    assert "征求意见稿" not in printed["letter-education"][0].text


def test_a_row_taller_than_a_page_prints_whole(printed: dict[str, list[Page]]) -> None:
    text = "".join("".join(page.text.split()) for page in printed["tall"])
    assert all(f"第{i}句话" in text for i in range(1, 400))
    assert len(printed["tall"]) >= 3
    assert "短的一行。" in text


def test_the_redline_prints(printed: dict[str, list[Page]]) -> None:
    assert 2 <= len(printed["redline"]) <= 10
    assert os.path.getsize(folder(printed) / "redline.pdf") > 10_000


def test_the_fill_in_sheets_instructions_print_whole_and_legible(tmp_path: Path, plan_copy: Path) -> None:
    # a copy of the plan: issuing a sheet makes the plan folder's seal key (.kpsy/sheet-key)
    args = ["progress", "sheet", "-p", "2024", "-u", "区教育局", "-o", "s.xlsx", "--deadline", "2024-12-10"]
    assert run(*args, "--plan", plan_copy).exit_code == 0
    from openpyxl import load_workbook

    guide = load_workbook(tmp_path / "s.xlsx")["填报说明"]
    said = "".join("".join(str(c.value or "").split()) for c in guide["A"])
    printed = pages(to_pdf([tmp_path / "s.xlsx"], tmp_path)["s"])
    page = next(p for p in printed if "填报说明" in p.text)
    text = "".join(line.text for line in page.lines if not re.fullmatch(r"第\d+页，共\d+页", line.text))
    assert "".join(text.split()) == said, "every word of the instructions on their page"
    for line in page.lines:
        assert line.x0 >= 18 and line.x1 <= page.width - 18, f"clipped: {line.text}"
    chinese = [line for line in page.lines if all(unicodedata.east_asian_width(c) in "WF" for c in line.text)]
    assert chinese and min((line.x1 - line.x0) / len(line.text) for line in chinese) >= 10.5  # 11 pt, not shrunk

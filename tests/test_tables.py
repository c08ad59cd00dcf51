"""Tables that print (kpsy.documents.tables): widths, line breaks that never split a name, a
number or a heading, and the .docx tables laid out by them. What prints is checked through
LibreOffice in test_print.py."""

from __future__ import annotations

import itertools
from pathlib import Path

import docx
from hypothesis import given
from hypothesis import strategies as st

from kpsy.api import open_plan
from kpsy.documents.tables import SHORT, Keep, breaks, lay_out, min_width, pieces, width
from kpsy.documents.word import table_docx

from .conftest import PLAN, SAMPLE, run

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
UNITS = [u.name for u in open_plan(PLAN).data.units]


def lines(text: str, room: float, keep: Keep) -> list[str]:
    starts = [0, *breaks(text, room, keep), len(text)]
    return [text[a:b] for a, b in itertools.pairwise(starts)]


def split_names(text_lines: list[str]) -> list[str]:
    """Unit names that one line ends and the next begins."""
    return [
        name
        for a, b in itertools.pairwise(text_lines)
        for name in UNITS
        for cut in range(1, len(name))
        if a.endswith(name[:cut]) and b.startswith(name[cut:])
    ]


def test_width_counts_chinese_full_and_latin_narrow() -> None:
    assert width("区教育局") == 4
    assert width("序号") == 2
    assert 5 < width("2025年底前") < 6  # four digits, spaced from the Chinese
    assert width("二（一）1．") == 5 + 0.6 + 0.5


def test_pieces_end_after_each_comma_and_enumeration_mark() -> None:
    assert pieces("区教育局、团区委、区科协") == ["区教育局、", "团区委、", "区科协"]
    assert "".join(pieces("坚持立德树人，开展活动。再来 一句")) == "坚持立德树人，开展活动。再来 一句"


def test_a_list_breaks_only_between_its_names() -> None:
    keep = Keep(UNITS)
    text = "、".join(UNITS[:18]) + "等单位"
    least = min_width(text, keep)
    assert least == width("区老干部服务中心、")
    for room in (least, 10.0, 13.0, 30.0):
        got = lines(text, room, keep)
        assert "".join(got) == text
        assert all(line.endswith(("、", "等单位")) for line in got), got
        assert all(width(line) <= room for line in got if line.count("、") > 1)


def test_numbers_dates_and_headings_stay_whole() -> None:
    keep = Keep()
    for text in ("二（一）1．", "2025年底前", "序号", "完成时限", "报告滞后的单位"):
        assert min_width(text, keep) == width(text)
        assert lines(text, width(text), keep) == [text]


def test_prose_fills_its_lines_and_keeps_names_whole() -> None:
    keep = Keep(["区教育局"])
    text = "坚持立德树人，开展“科学家精神进校园”活动，由区教育局牵头，2025年底前完成15.5cm的ABC测试。" * 3
    got = lines(text, 12, keep)
    assert "".join(got) == text
    assert all(width(line) <= 12 for line in got)
    assert sum(width(line) for line in got[:-1]) / (len(got) - 1) > 10  # nearly full lines
    starts = [0, *breaks(text, 12, keep)]
    for name in ("区教育局", "2025", "15.5cm", "ABC"):
        at = text.find(name)
        while at >= 0:
            assert not any(at < s < at + len(name) for s in starts), name
            at = text.find(name, at + 1)
    assert not any(line.startswith(("，", "、", "。", "”")) for line in got)  # no closing mark starts a line
    remarks = "区卫健局（欠进度）、区科工信局（未启动）、团区委（欠进度）"
    for room in (6.0, 7.0, 9.0):
        assert all(line.count("（") == line.count("）") for line in lines(remarks, room, keep)), room


@given(
    st.lists(st.sampled_from(UNITS), min_size=1, max_size=30),
    st.floats(min_value=0, max_value=40),
    st.sampled_from(["、", "，"]),
)
def test_no_unit_name_is_ever_split(names: list[str], extra: float, mark: str) -> None:
    keep = Keep(UNITS)
    text = mark.join(names)
    room = max(width(n) + 1 for n in names) + extra  # the column is at least as wide as what must stay whole
    got = lines(text, room, keep)
    assert "".join(got) == text
    assert all(width(line) <= room for line in got)
    assert [n for line in got for n in line.rstrip(mark).split(mark)] == names


def test_columns_are_never_narrower_than_what_stays_whole() -> None:
    keep = Keep(UNITS)
    rows = [
        [["序号"], ["重点任务"], ["牵头单位"], ["参加单位"]],
        *(
            [
                [str(i)],
                ["推进基础教育阶段科学教育，" * (i % 5 + 1)],
                ["区教育局、团区委、区科协"],
                ["、".join(UNITS[:12])],
            ]
            for i in range(1, 40)
        ),
    ]
    layout = lay_out(rows, 442, 637, sizes=(10.5, 9.0), keep=keep)
    assert layout.size == 10.5
    assert abs(sum(layout.widths) - 442 * 20) < 10
    ems = [(w / 20 - 8 - 0.6 * layout.size) / layout.size for w in layout.widths]
    assert ems[0] >= 2 - 0.01 and ems[2] >= width("区教育局、") and ems[3] >= width("区市场监管局、")
    assert all(layout.fits)
    crowded = [[["一"] for _ in range(14)]] + [[[f"区第{i}{j}号单位"] for j in range(14)] for i in range(3)]
    assert lay_out(crowded, 442, 637, sizes=(10.5, 9.0), keep=keep).size == 9.0  # smaller before anything breaks
    assert SHORT >= 8


def test_a_table_docx_repeats_its_header_and_keeps_rows_that_fit(tmp_path: Path) -> None:
    tall = "".join(f"第{i}句话讲科学素质提升，" for i in range(1, 400))
    rows = [
        [[[("1", "")]], [[(tall, "")]], [[("区教育局", "")]]],
        [[[("2", "")]], [[("短的一行。", "bold")]], [[("区科协", "")]]],
    ]
    data = table_docx("标题", "副标题", ["序号", "内容", "牵头单位"], rows, ["注：无"], keep=UNITS)
    (tmp_path / "t.docx").write_bytes(data)
    table = docx.Document(str(tmp_path / "t.docx")).tables[0]
    trs = table._tbl.findall(W + "tr")
    assert trs[0].find(f"{W}trPr/{W}tblHeader") is not None
    assert trs[1].find(f"{W}trPr/{W}cantSplit") is None  # taller than a page: it may go on
    assert trs[2].find(f"{W}trPr/{W}cantSplit") is not None
    assert table.rows[1].cells[1].text.replace("\n", "") == tall
    assert table.rows[2].cells[1].paragraphs[0].runs[0].bold


def test_the_bulletins_tables_keep_numbers_and_names_whole(workdir: Path) -> None:
    assert run("render", "bulletin", "--plan", SAMPLE, "-f", "docx", "-o", "b.docx").exit_code == 0
    for table in docx.Document(str(workdir / "b.docx")).tables:
        assert table._tbl.find(f"{W}tblPr/{W}tblLayout").get(W + "type") == "fixed"
        for r, row in enumerate(table.rows):
            first = row.cells[0].text
            assert "\n" not in first, first  # 编号 二（一）1． on one line
            if r == 0:
                assert all("\n" not in c.text for c in row.cells)  # headings on one line
            for cell in row.cells:
                assert not split_names(cell.text.split("\n")), cell.text
        widths = [int(c.get(W + "w")) for c in table._tbl.find(W + "tblGrid")]
        assert abs(sum(widths) - 156 * 1440 / 25.4) < 30  # the portrait type area


def test_the_division_table_breaks_no_name(workdir: Path) -> None:
    assert run("render", "table", "-f", "docx", "-o", "t.docx", "--plan", PLAN).exit_code == 0
    table = docx.Document(str(workdir / "t.docx")).tables[0]
    for row in table.rows[1:]:
        for cell in (row.cells[3], row.cells[4]):  # 牵头单位, 参加单位
            for line in cell.text.split("\n"):
                names = line.rstrip("、").removesuffix("等单位").split("、")
                assert all(n in UNITS for n in names), line
        for cell in row.cells:
            assert not split_names(cell.text.split("\n"))
        assert "\n" not in row.cells[0].text and "\n" not in row.cells[5].text

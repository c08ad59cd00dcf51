"""The text layout engine: wrapping Chinese by display width, and tables that change layout
instead of losing data."""

from __future__ import annotations

from hypothesis import example, given
from hypothesis import strategies as st

from kpsy.outputs.layout import (
    Grid,
    GridColumn,
    Section,
    display_width,
    keep_pattern,
    layout,
    plain,
    tokens,
    wrap,
)


def test_display_width_counts_wide_characters_twice_and_invisible_ones_not_at_all() -> None:
    assert display_width("区教育局") == 8
    assert display_width("二（一）1．") == 11
    assert display_width("abc") == 3
    assert display_width("a\u200bb\u0301") == 2


def test_punctuation_stays_with_its_word() -> None:
    assert tokens("甲、乙（丙）。") == ["甲、", "乙", "（丙）。"]
    assert tokens("2021-2025年") == ["2021-2025", "年"]


def test_a_kept_phrase_is_one_token() -> None:
    keep = keep_pattern(["县教育局", "县科协", "县"])
    assert tokens("由县教育局、县科协牵头", keep) == ["由", "县教育局、", "县科协", "牵", "头"]


def test_wrap_never_starts_a_line_with_closing_punctuation() -> None:
    lines = wrap("一二三四五、六七八九十。", 10)
    assert lines == ["一二三四", "五、六七八", "九十。"]
    assert all(display_width(line) <= 10 for line in lines)


def test_wrap_never_splits_a_kept_name_and_indents_what_follows() -> None:
    keep = keep_pattern(["县教育局", "县科学技术协会", "县农业农村局"])
    lines = wrap("参加单位：县教育局、县科学技术协会、县农业农村局", 26, keep, indent=10)
    assert lines == ["参加单位：县教育局、", "          县科学技术协会、", "          县农业农村局"]


def test_only_a_token_wider_than_the_line_is_split() -> None:
    assert wrap("abcdefghij", 4) == ["abcd", "efgh", "ij"]


@given(st.text(alphabet="县教育局科协、，。（）ab 1", max_size=60), st.integers(min_value=2, max_value=30))
@example(" 、", 2)  # leading spaces that leave no room for the word after them
@example("  县教育局", 3)
def test_wrap_keeps_every_character_within_the_width(text: str, width: int) -> None:
    lines = wrap(text, width)
    assert all(display_width(line) <= width for line in lines)
    assert "".join("".join(lines).split()) == "".join(text.split())


def matrix(units: int, actions: int) -> Grid:
    columns = [GridColumn("序号", wrap=False, fixed=True), GridColumn("单位", wrap=False, fixed=True)]
    columns += [GridColumn(f"行动{i}", wrap=False, pivot=True) for i in range(1, actions + 1)]
    rows = [
        [str(u), f"县第{u}局", *("牵" if a == u % actions else "参" if a % 2 else "" for a in range(actions))]
        for u in range(1, units + 1)
    ]
    return Grid(columns, [Section(None, [], rows)], pivot_names={"牵": "牵头", "参": "参加"})


def test_a_table_that_fits_is_one_table() -> None:
    text = plain(layout(matrix(3, 3), 80))
    assert text.splitlines()[0].split() == ["序号", "单位", "行动1", "行动2", "行动3"]
    assert len(text.splitlines()) == 4


def test_a_table_too_wide_is_split_into_pages_repeating_its_fixed_columns() -> None:
    text = plain(layout(matrix(3, 8), 40))
    lines = text.splitlines()
    labels = [line for line in lines if line.startswith("第 ")]
    assert labels == [
        "第 1 部分（共 3 部分）：行动1至行动3",
        "第 2 部分（共 3 部分）：行动4至行动6",
        "第 3 部分（共 3 部分）：行动7至行动8",
    ]
    assert sum(line.startswith("序号") for line in lines) == 3
    assert all(display_width(line) <= 40 for line in lines)
    assert lines[1:5] == [
        "序号  单位     行动1  行动2  行动3",
        "1     县第1局         牵",
        "2     县第2局         参     牵",
        "3     县第3局         参",
    ]


def test_a_table_too_wide_for_a_few_pages_lists_each_record_as_a_block() -> None:
    text = plain(layout(matrix(2, 20), 40))
    assert text.splitlines()[:4] == [
        "1  县第1局",
        "  牵头：行动2",
        "  参加：行动4、行动6、行动8、行动10、",
        "        行动12、行动14、行动16、行动18、",
    ]
    assert all(display_width(line) <= 40 for line in text.splitlines())


def test_wrapped_columns_are_never_narrower_than_their_header_or_a_kept_name() -> None:
    columns = [GridColumn("编号", wrap=False), GridColumn("任务"), GridColumn("牵头单位")]
    rows = [["1．", "一项很长很长很长很长很长很长的任务", "县科学技术协会、县教育局"]]
    grid = Grid(columns, [Section(None, [], rows)], phrases=frozenset(["县科学技术协会", "县教育局"]))
    lines = plain(layout(grid, 44)).splitlines()
    assert any("县科学技术协会、" in line for line in lines)
    assert all(display_width(line) <= 44 for line in lines)

"""The loader: text to data with marks, and everything it refuses."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from kpsy.errors import PlanNotFoundError
from kpsy.plan.files import MAX_FILE_BYTES
from kpsy.plan.reader import MAX_DEPTH, decode, parse, read_text
from kpsy.plan.workspace import find_plan

pytestmark = pytest.mark.usefixtures("english")  # these tests read kpsy's English messages


def test_values_and_keys_keep_line_and_column() -> None:
    doc, problems = parse("a:\n  - x\n  - 名称: 区教育局\n", "f.yaml")
    assert problems == []
    assert doc.data == {"a": ["x", {"名称": "区教育局"}]}
    assert doc.values[("a", 0)].line == 2 and doc.values[("a", 0)].col == 5
    # columns count characters, not bytes, after Chinese text
    assert (doc.keys[("a", 1, "名称")].line, doc.keys[("a", 1, "名称")].col) == (3, 5)
    assert (doc.values[("a", 1, "名称")].line, doc.values[("a", 1, "名称")].col) == (3, 9)


def test_mark_falls_back_to_nearest_located_ancestor() -> None:
    doc, _ = parse("a:\n  b: 1\n", "f.yaml")
    assert doc.mark(("a", "b", "missing")).line == 2
    assert doc.mark(("nothing", "here")).line == 1


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("v: 15", 15),
        ("v: 2.5", 2.5),
        ("v: true", True),
        ("v: ~", None),
        ("v: '15'", "15"),
        ("v: 区教育局", "区教育局"),
        ("v: =", "="),  # YAML 1.1's value key: text here (found by hypothesis)
        ("v: 2023-04-06", __import__("datetime").date(2023, 4, 6)),
    ],
)
def test_scalars_resolve_as_yaml_1_1_safe_types(text: str, expected: object) -> None:
    doc, problems = parse(text, "f.yaml")
    assert problems == []
    assert doc.data["v"] == expected


def test_duplicate_key_is_an_error_naming_the_first() -> None:
    _, problems = parse("a: 1\nb: 2\na: 3\n", "f.yaml")
    assert [(p.line, p.col, p.rule) for p in problems] == [(3, 1, "duplicate-key")]
    assert "first defined at line 1" in problems[0].message


def test_anchors_aliases_and_tags_are_refused() -> None:
    _, problems = parse("a: &x 1\nb: *x\nc: !!str 3\n", "f.yaml")
    assert [(p.line, p.rule) for p in problems] == [(1, "anchor"), (2, "alias"), (3, "tag")]


def test_alias_bomb_is_refused_without_expansion() -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 9):
        prev = chr(ord("a") + i - 1)
        cur = chr(ord("a") + i)
        lines.append(f"{cur}: &{cur} [{','.join(['*' + prev] * 9)}]")
    _doc, problems = parse("\n".join(lines), "bomb.yaml")
    assert problems and all(p.rule in ("anchor", "alias") for p in problems)


def test_invalid_date_is_located() -> None:
    _, problems = parse("notice:\n  date: 2023-02-30\n", "f.yaml")
    assert [(p.line, p.col, p.rule) for p in problems] == [(2, 9, "syntax")]
    assert "not a valid date" in problems[0].message


def test_syntax_error_is_located_and_never_raised() -> None:
    _, problems = parse("a: [1, 2\nb: 3\n", "f.yaml")
    assert len(problems) == 1 and problems[0].rule == "syntax" and problems[0].line >= 1


def test_tab_indentation_is_named() -> None:
    _, problems = parse("a:\n\tb: 1\n", "f.yaml")
    assert problems[0].line == 2 and "tab" in problems[0].message


def test_second_document_is_refused() -> None:
    _, problems = parse("a: 1\n---\nb: 2\n", "f.yaml")
    assert problems[0].rule == "syntax" and "second" in problems[0].message


def test_deep_nesting_is_refused() -> None:
    text = "[" * (MAX_DEPTH + 5) + "]" * (MAX_DEPTH + 5)
    _, problems = parse(text, "f.yaml")
    assert [p.rule for p in problems] == ["depth"]


def test_non_string_keys_are_refused() -> None:
    _, problems = parse("2023: x\n", "f.yaml")
    assert problems[0].rule == "syntax" and "key must be text" in problems[0].message


def test_suppression_comments_are_collected_by_line() -> None:
    doc, _ = parse("a:\n  - x  # kpsy: ignore[participant-order, other]\n", "f.yaml")
    assert doc.suppressed == {2: frozenset({"participant-order", "other"})}


def test_bom_and_crlf_are_accepted() -> None:
    text, problems = decode(codecs.BOM_UTF8 + "a: 区教育局\r\nb: 2\r\n".encode(), "f.yaml")
    assert problems == [] and text == "a: 区教育局\nb: 2\n"


@pytest.mark.parametrize(
    ("raw", "guess"),
    [
        ("title: 区教育局\n".encode("gbk"), "GBK"),
        ("title: 区教育局\n".encode("utf-16-le"), "UTF-16"),
        ("title: 区教育局\n".encode("utf-16"), "UTF-16"),
    ],
)
def test_other_encodings_are_named(raw: bytes, guess: str) -> None:
    text, problems = decode(raw, "f.yaml")
    assert text is None and problems[0].rule == "encoding" and guess in problems[0].message


def test_control_character_is_located() -> None:
    _, problems = decode(b"a: 1\nb: x\x00y\n", "f.yaml")
    assert (problems[0].line, problems[0].col) == (2, 5)


def test_oversized_file_is_refused_before_reading(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    with big.open("wb") as fh:
        fh.truncate(MAX_FILE_BYTES + 1)
    text, problems = read_text(big, "big.yaml")
    assert text is None and problems[0].rule == "file-size"


def test_find_plan_walks_up(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "plan").mkdir()
    (tmp_path / "plan" / "document.yaml").write_text("{}", encoding="utf-8")
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    assert find_plan(start=deep) == tmp_path / "plan"


def test_find_plan_prefers_option_then_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("one", "two"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "document.yaml").write_text("{}", encoding="utf-8")
    monkeypatch.setenv("KPSY_PLAN", str(tmp_path / "two"))
    assert find_plan(tmp_path / "one") == tmp_path / "one"
    assert find_plan(None, start=tmp_path) == tmp_path / "two"


def test_find_plan_says_where_it_looked(tmp_path: Path) -> None:
    with pytest.raises(PlanNotFoundError, match=str(tmp_path)):
        find_plan(start=tmp_path)

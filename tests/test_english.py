"""`--lang en` is English throughout: once the plan's own words (its text, its units, its reports,
the numbering derived from them) are taken out of what kpsy prints or writes, nothing Chinese is
left: statuses, periods, headers, findings and the documents' fixed words are English. JSON is the
same in both languages."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any

import pytest
import yaml

from .conftest import PLAN, SAMPLE, run

CHINESE = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
N = "一二三四五六七八九十"
NUMBERING = re.compile(rf"[{N}]+、|[{N}]*[（(][{N}]+[）)](?:\d+．)?|\d+．")


def strings(node: Any) -> list[str]:
    if isinstance(node, str):
        return [node]
    if isinstance(node, dict):
        return [s for value in node.values() for s in strings(value)]
    if isinstance(node, list):
        return [s for value in node for s in strings(value)]
    return []


def plan_words(plan: Path) -> list[str]:
    """Every string the plan's files hold (its text, units, settings, reports) and every paragraph
    of the document rebuilt from them (responsibility lines included), with the lines and sentences
    they are made of, longest first."""
    from kpsy.api import open_plan

    texts = [p.text for p in open_plan(plan).paragraphs()]
    for path in plan.rglob("*.yaml"):
        texts += strings(yaml.safe_load(path.read_text(encoding="utf-8")))
    found: set[str] = set()
    for text in (NUMBERING.sub("", t) for t in texts):
        found |= {text, *text.split("\n"), *re.split(r"(?<=[。；：，])", text)}
    return sorted((w for w in found if CHINESE.search(w)), key=len, reverse=True)


WORDS = {PLAN: plan_words(PLAN), SAMPLE: plan_words(SAMPLE)}


def left_over(text: str, plan: Path, excerpts: bool = False) -> list[str]:
    """The Chinese left in `text` once the plan's own words and numbering are taken out; with
    `excerpts`, runs that are a part of the plan's text (a search hit's context) are taken out too."""
    flat = NUMBERING.sub("", re.sub(r"\s+", "", re.sub(r"\\(.)", r"\1", text)))  # Markdown's escapes undone
    for word in WORDS[plan]:
        flat = flat.replace(re.sub(r"\s+", "", word), " ")
    runs = set(re.findall(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]+", flat))
    if excerpts:
        whole = "".join(re.sub(r"\s+", "", w) for w in WORDS[plan])
        runs = {r for r in runs if r not in whole}
    return sorted(runs)


@pytest.fixture(autouse=True)
def _wide(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tables as wide as they like: a cell wrapped beside another would cut the plan's words apart."""
    monkeypatch.setenv("COLUMNS", "3000")


def english(*args: str | Path, code: int = 0) -> str:
    result = run("--lang", "en", *args)
    assert result.exit_code == code, result.output
    return result.stdout + result.stderr


LISTINGS = [
    (["tasks", "--unit", "education"], PLAN),
    (["tasks"], PLAN),
    (["units"], PLAN),
    (["coverage"], PLAN),
    (["targets"], PLAN),
    (["schedule"], PLAN),
    (["unit", "science-association"], PLAN),
    (["show", "youth"], PLAN),
    (["search", "科普基地"], PLAN),
    (["validate", "--format", "text"], PLAN),
    (["progress"], SAMPLE),
    (["progress", "-p", "2023"], SAMPLE),
    (["progress", "--unit", "education"], SAMPLE),
    (["progress", "--unit", "education", "-p", "2024"], SAMPLE),
    (["progress", "missing"], SAMPLE),
    (["targets"], SAMPLE),
]


# Each listing in each of its text formats (validate, show and unit have their own formats: table only).
CASES = [
    (a, p, f)
    for a, p in LISTINGS
    for f in ("table", "md", "csv")
    if f == "table" or a[0] not in ("validate", "show", "unit")
]


@pytest.mark.parametrize(("args", "plan", "fmt"), CASES, ids=[" ".join([*map(str, a), f]) for a, _, f in CASES])
def test_what_kpsy_prints_in_english_holds_no_chinese_of_its_own(args: list[str], plan: Path, fmt: str) -> None:
    shown = english(*args, *(["--plan", plan] if args[0] != "diff" else []), *(["-f", fmt] if fmt != "table" else []))
    assert left_over(shown, plan, excerpts=args[0] == "search") == [], shown[:3000]
    if fmt == "table" and args[0] == "progress" and len(args) == 1:
        assert "not reported" in shown and "2024" in shown and "2024年" not in shown


@pytest.mark.parametrize("name", ["letter", "table", "summary", "bulletin", "review", "document"], ids=str)
def test_documents_in_english_have_english_fixed_words(name: str) -> None:
    plan = SAMPLE if name in ("bulletin", "review") else PLAN
    args = ["render", name, "--plan", plan, "--date", "2024-12-20", *(["-u", "education"] if name == "letter" else [])]
    markdown = re.sub(r"data:image/png;base64,[A-Za-z0-9+/=]+", "", english(*args))
    # the bulletin and the review quote the gist of reports (a clause of a unit's words): excerpts
    assert left_over(markdown, plan, excerpts=name in ("bulletin", "review")) == [], markdown[:3000]
    chinese = run(*args).stdout
    assert (chinese != markdown and left_over(chinese, plan) != []) or name == "document"


def test_the_dashboard_and_the_workbook_in_english(workdir: Path) -> None:
    from openpyxl import load_workbook

    assert run("--lang", "en", "progress", "--plan", SAMPLE, "-o", "dash.html").exit_code == 0
    html = re.sub(
        r"<[^>]+>|data:image/png;base64,[A-Za-z0-9+/=]+", " ", (workdir / "dash.html").read_text(encoding="utf-8")
    )
    assert left_over(html, SAMPLE) == []
    assert 'data-status="欠进度"' in (workdir / "dash.html").read_text(encoding="utf-8"), "the data's values stay"
    assert run("--lang", "en", "progress", "--plan", SAMPLE, "-o", "p.xlsx").exit_code == 0
    book = load_workbook(workdir / "p.xlsx")
    cells = [str(c.value) for sheet in book.worksheets for row in sheet.iter_rows() for c in row if c.value is not None]
    assert left_over("\n".join([*book.sheetnames, *cells]), SAMPLE) == []
    assert set(book.sheetnames) >= {"Counts", "Matrix", "Ledger", "Owed"}


PROSE = {"message", "trend_label"}  # prose for a person beside a stable key (rule, trend): in the language asked for


def without_messages(node: Any) -> Any:
    """JSON without its prose for a person (a finding's message, a trend's words)."""
    if isinstance(node, dict):
        return {k: without_messages(v) for k, v in node.items() if k not in PROSE}
    if isinstance(node, list):
        return [without_messages(v) for v in node]
    return node


def test_json_is_the_same_in_both_languages() -> None:
    import json

    for args, plan in LISTINGS:
        if args[0] == "validate":
            continue
        zh = run(*args, "--plan", plan, "-f", "json")
        en = run("--lang", "en", *args, "--plan", plan, "-f", "json")
        assert zh.exit_code == en.exit_code == 0, args
        assert without_messages(json.loads(zh.stdout)) == without_messages(json.loads(en.stdout)), args


def test_chinese_stays_chinese() -> None:
    shown = run("progress", "--plan", SAMPLE).stdout
    assert "2024年" in shown and "未报送" in shown and "not reported" not in shown
    assert "2024年" in run("progress", "--plan", SAMPLE, "--unit", "education").stdout


def test_periods_in_english(workdir: Path) -> None:
    from kpsy import i18n
    from kpsy.plan.periods import parse_period

    i18n.use("en")
    assert [parse_period(p).shown for p in ("2024", "2024Q3", "2024-05")] == ["2024", "2024 Q3", "2024-05"]  # type: ignore[union-attr]
    i18n.use("zh")
    assert [parse_period(p).shown for p in ("2024", "2024Q3", "2024-05")] == ["2024年", "2024年第三季度", "2024年5月"]  # type: ignore[union-attr]


def test_a_docx_in_english(workdir: Path) -> None:
    assert run("--lang", "en", "render", "letter", "-u", "education", "--plan", PLAN, "-o", "l.docx").exit_code == 0
    xml = zipfile.ZipFile(workdir / "l.docx").read("word/document.xml").decode("utf-8")
    text = " ".join(re.findall(r"<w:t[^>]*>([^<]*)</w:t>", xml))
    assert "Tasks you lead" in text and left_over(text, PLAN) == []

"""The proof that the whole document is transcribed: the export reproduces the original."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import docx

from kpsy.plan.load import load_plan
from kpsy.plan.text import first_difference, normalise, paragraphs, source_paragraphs

from .conftest import PLAN, SOURCE, edit, run

# sha256 of the original as the district government published it
ORIGINAL_SHA256 = "34d41d7f73e0b6a2b8d302483c66dc2f4e438befb1186bce6b9212f2ef4e90eb"


def test_export_reproduces_every_paragraph_of_the_original() -> None:
    result = run("export", "text", "--plan", PLAN)
    assert result.exit_code == 0, result.output
    exported = [normalise(line) for line in result.stdout.splitlines()]
    original = [text for _, text in source_paragraphs(SOURCE.read_text(encoding="utf-8"))]
    assert len(exported) == len(original) == 80
    for i, (mine, theirs) in enumerate(zip(exported, original, strict=True)):
        assert mine == theirs, f"paragraph {i + 1}"


def test_bundled_source_is_the_original() -> None:
    assert hashlib.sha256(SOURCE.read_bytes()).hexdigest() == ORIGINAL_SHA256


def original() -> list[str]:
    return [text for _, text in source_paragraphs(SOURCE.read_text(encoding="utf-8"))]


_SPAN = re.compile(r'(?<!\\)\[(.*?)(?<!\\)\]\{custom-style="[^"]*"\}')


def markdown_paragraphs(markdown: str) -> list[str]:
    """The text of each paragraph of kpsy's Markdown: fenced styles, spans, heading marks and escapes removed."""
    found = []
    for block in markdown.split("\n\n"):
        lines = [line for line in block.split("\n") if line.strip() and not line.startswith(":::")]
        if not lines:
            continue
        assert len(lines) == 1, f"a paragraph spread over lines: {lines}"
        text = _SPAN.sub(r"\1", re.sub(r"^#+ ", "", lines[0]))
        found.append(re.sub(r"\\(.)", r"\1", text))
    return found


def test_the_rendered_document_says_what_the_original_says(tmp_path: Path) -> None:
    """The official document's body text, in Markdown and in the .docx, is the original paragraph for paragraph."""
    markdown = run("render", "document", "--plan", PLAN).stdout
    assert [normalise(p) for p in markdown_paragraphs(markdown)] == original()
    out = tmp_path / "plan.docx"
    assert run("render", "document", "-f", "docx", "-o", out, "--plan", PLAN).exit_code == 0
    words = [normalise(p.text) for p in docx.Document(str(out)).paragraphs if p.text.strip()]
    assert words == original()


def test_export_keeps_the_documents_quirks() -> None:
    text = run("export", "text", "--plan", PLAN).stdout
    assert "1．将弘扬科学精神" in text  # full-width 。 after the number
    assert "（2021-2025年）》,按照责任分工" in text  # the stray half-width comma
    assert "衡阳市雁峰区人民政府办公室\n2023年4月6日\n" in text  # signature and date on their own lines


def test_page_number_residue_and_layout_space_are_ignored() -> None:
    paras = source_paragraphs("  甲  乙\n\n(\n— \n19\n —\n)\n丙\n— 20 —\n")
    assert paras == [(1, "甲 乙"), (8, "丙")]


def test_years_with_dashes_are_not_page_numbers() -> None:
    assert source_paragraphs("（2021—2025年）\n")[0][1] == "（2021—2025年）"


def test_one_changed_character_is_found(plan_copy: Path) -> None:
    edit(plan_copy / "chapters" / "youth.yaml", "激发青少年好奇心", "激发青少年好奇性")
    plan = load_plan(plan_copy).plan
    assert plan is not None
    diff = first_difference(plan, SOURCE.read_text(encoding="utf-8"))
    assert diff is not None and diff.source_line == 18
    assert diff.actual is not None and diff.actual.origin.file.endswith("youth.yaml")


def test_paragraph_kinds_follow_document_order() -> None:
    plan = load_plan(PLAN).plan
    assert plan is not None
    kinds = [p.kind for p in paragraphs(plan)]
    assert kinds[:8] == [
        "notice-issuer",
        "notice-title",
        "addressees",
        "notice-body",
        "signature",
        "date",
        "title",
        "preamble",
    ]
    assert kinds[-1] == "imprint"
    assert kinds.count("task") == 38 and kinds.count("responsibility") == 9 and kinds.count("part") == 4

"""GB/T 9704 documents as data and as .docx: the issuer record, the 版头 (发文机关标志, 发文字号,
签发人), the 版记, the signature, draft marks, and what is said when the issuer record is missing.
What prints is checked through LibreOffice in test_print.py."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import docx
import pytest

from kpsy.api import open_plan
from kpsy.documents.head import document_number, head

from .conftest import PLAN, QINGSHAN, SAMPLE, edit, run

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
QINGSHAN_2024 = QINGSHAN.parent / "qingshan-2024"


def styled(path: Path) -> list[tuple[str, str]]:
    """(style name, text) of the body's paragraphs."""
    return [(p.style.name if p.style is not None else "", p.text) for p in docx.Document(str(path)).paragraphs]


def without_issuer(plan: Path) -> None:
    text = (plan / "settings.yaml").read_text(encoding="utf-8")
    (plan / "settings.yaml").write_text(text[: text.index("# Who sends the office")], encoding="utf-8")


# --- the record and the 文号 -------------------------------------------------------------------------


def test_document_number_is_the_standards_form() -> None:
    assert document_number("青科素办函", 2022, 3) == "青科素办函〔2022〕3号"
    assert document_number("青科素办函", 2026, None) == "青科素办函〔2026〕\u3000\u3000号"  # left to fill in


def test_the_issuer_record_heads_each_kind_of_document() -> None:
    plan = open_plan(QINGSHAN / "plan").data
    day = dt.date(2024, 5, 6)
    letter = head(plan, "letter", day)
    assert letter is not None and letter.letter_format and letter.number == "青科素办函〔2022〕3号"
    assert letter.mark == "青山县全民科学素质工作领导小组办公室" and letter.printer is None  # 信函: no 印发机关
    assert letter.copy_to == ["县人民政府办公室", "市科协"] and not letter.missing
    assert head(plan, "letter", day, offset=4).number == "青科素办函〔2022〕7号"  # type: ignore[union-attr]
    bulletin = head(plan, "bulletin", day)
    assert bulletin is not None and bulletin.format == "文件格式"
    assert bulletin.mark == "青山县全民科学素质工作领导小组办公室文件"
    assert bulletin.number == "青科素办发〔2024〕\u3000\u3000号"  # the year of the document's date
    assert bulletin.printer == "青山县科学技术协会办公室" and bulletin.addressees == ["领导小组各成员单位"]
    assert head(plan, "table", day) is None  # the 分工表 is an attachment, without 版头


def test_a_bad_issuer_record_is_refused_where_it_is(plan_copy: Path) -> None:
    edit(plan_copy / "settings.yaml", "    format: 信函格式", "    format: 函")
    edit(plan_copy / "settings.yaml", "    prefix: 雁科素办发", "    prefix: 雁科素办发\n    number: 0")
    result = run("validate", "--format", "plain")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines == [
        "plan/settings.yaml:21:13: error schema: issuer.letter.format：应当是文件格式、信函格式之一，而不是“函”",
        "plan/settings.yaml:27:13: error schema: issuer.bulletin.number：不能小于 1，而不是 0",
    ]


# --- without an issuer record ------------------------------------------------------------------------


def test_without_an_issuer_the_places_to_fill_in_are_marked(plan_copy: Path) -> None:
    without_issuer(plan_copy)
    result = run("render", "letter", "-u", "区教育局", "--date", "2024-05-06")
    assert result.exit_code == 0
    assert result.stdout.startswith(
        '::: {custom-style="Letter Issuer Mark"}\n【待填：发文机关标志】\n:::\n\n'
        '::: {custom-style="Document Number"}\n【待填：机关代字】〔2024〕\u3000\u3000号\n:::'
    )
    assert "plan/settings.yaml：警告 issuer：没有发文机关（issuer）记录" in result.stderr
    assert "雁峰区全民科学素质纲要实施工作办公室" not in result.stdout.split("Title")[0]  # nothing made up
    result = run("render", "letter", "-u", "区教育局", "-f", "docx", "-o", "x.docx")
    assert result.exit_code == 0 and "警告 issuer" in result.stderr
    header = docx.Document(str(plan_copy.parent / "x.docx")).sections[0].first_page_header._element
    marked = [r for r in header.iter(W + "r") if "【待填" in "".join(t.text or "" for t in r.iter(W + "t"))]
    assert marked and all(r.find(f"{W}rPr/{W}highlight").get(W + "val") == "yellow" for r in marked)


def test_letters_say_once_what_the_issuer_record_lacks(plan_copy: Path) -> None:
    edit(plan_copy / "settings.yaml", "  letter:\n    format: 信函格式\n    prefix: 雁科素办函\n", "")
    result = run("letters", "--out", "out", "-u", "区教育局", "-u", "区科协", "-f", "md")
    assert result.exit_code == 0
    warnings = [line for line in result.stderr.splitlines() if "警告 issuer" in line]
    assert warnings == [
        "plan/settings.yaml:16:1：警告 issuer：issuer 中没有 letter 记录：交办函的发文字号留作【待填】"
        "（请添加 letter: {format, prefix}）"
    ]
    text = (plan_copy.parent / "out" / "06-education-区教育局.md").read_text(encoding="utf-8")
    assert "雁峰区全民科学素质纲要实施工作办公室\n:::" in text  # the issuer's name is the mark
    assert "【待填：机关代字】〔" in text


def test_english_warning(plan_copy: Path) -> None:
    without_issuer(plan_copy)
    result = run("--lang", "en", "render", "letter", "-u", "区教育局")
    assert "plan/settings.yaml: warning issuer: no issuer record" in result.stderr


# --- the .docx ------------------------------------------------------------------------------------------


def test_a_letter_is_headed_in_the_letter_format(workdir: Path) -> None:
    plan = QINGSHAN / "plan"
    assert run("letters", "--out", "out", "--plan", plan, "--date", "2022-04-01").exit_code == 0
    files = sorted((workdir / "out").glob("*.docx"))
    numbers = []
    for path in files:
        d = docx.Document(str(path))
        section = d.sections[0]
        assert section.different_first_page_header_footer
        header = [p for p in section.first_page_header.paragraphs]
        assert header[0].text == "青山县全民科学素质工作领导小组办公室"
        mark = header[0]._p
        run_pr = mark.find(f"{W}r/{W}rPr")
        assert run_pr.find(W + "color").get(W + "val") == "FF0000"
        assert 50 <= int(run_pr.find(W + "w").get(W + "val")) <= 100  # narrowed to one line
        assert mark.find(f"{W}pPr/{W}pBdr/{W}bottom").get(W + "val") == "thickThinSmallGap"
        numbers.append(header[1].text)
        assert header[1].alignment is not None and header[1].alignment.name == "RIGHT"
        footer = section.first_page_footer._element
        assert "PAGE" not in footer.xml  # no page number on the first page
        assert footer.find(f"{W}p/{W}pPr/{W}pBdr/{W}top") is not None  # the lower double line
        assert abs(section.header_distance.mm - 28) < 1.5
        paragraphs = styled(path)
        assert paragraphs[0][0] == "Title"  # the 版头 is in the header, not the body
        assert paragraphs[-1] == ("Copy To", "抄送：县人民政府办公室，市科协。")
    assert numbers == [f"青科素办函〔2022〕{n}号" for n in range(3, 3 + len(files))]  # in the order written


def test_a_bulletin_is_headed_in_the_file_format(workdir: Path) -> None:
    result = run("render", "bulletin", "--plan", SAMPLE, "-f", "docx", "-o", "b.docx", "--date", "2024-12-20")
    assert result.exit_code == 0 and not result.stderr.count("警告")
    d = docx.Document(str(workdir / "b.docx"))
    paragraphs = d.paragraphs
    mark, number = paragraphs[0], paragraphs[1]
    assert (mark.style.name, mark.text) == ("Issuer Mark", "雁峰区全民科学素质纲要实施工作办公室文件")
    assert mark.paragraph_format.space_before.mm > 25  # 35 mm below the top of the type area
    assert (number.style.name, number.text) == ("Document Number", "雁科素办发〔2024〕\u3000\u3000号")
    rule = number._p.find(f"{W}pPr/{W}pBdr/{W}bottom")
    assert rule.get(W + "color") == "FF0000" and rule.get(W + "val") == "single"
    assert not d.sections[0].different_first_page_header_footer
    foot = [p for p in paragraphs if p.style.name in ("Copy To", "Imprint")]
    assert [p.text for p in foot] == ["抄送：区人民政府。", "雁峰区全民科学素质纲要实施工作办公室\t2024年12月20日印发"]
    frames = [p._p.find(f"{W}pPr/{W}framePr") for p in foot]
    assert frames[-1].get(W + "yAlign") == "bottom" and frames[-1].get(W + "vAnchor") == "margin"
    assert frames[0].get(W + "y") is not None  # stacked right above
    borders = [{b.tag.split("}")[1]: b.get(W + "sz") for b in p._p.find(f"{W}pPr/{W}pBdr")} for p in foot]
    assert borders == [{"top": "8", "bottom": "6"}, {"bottom": "8"}]  # 0.35 mm, 0.25 mm, 0.35 mm


def test_signature_centred_over_the_date_with_room_for_the_seal(workdir: Path) -> None:
    assert run("render", "bulletin", "--plan", SAMPLE, "-f", "docx", "-o", "b.docx").exit_code == 0
    d = docx.Document(str(workdir / "b.docx"))
    signature = next(p for p in d.paragraphs if p.style.name == "Signature")
    assert signature.style.paragraph_format.space_before.pt > 50  # two lines for the seal
    date = next(p for p in d.paragraphs if p.style.name == "Issue Date")
    assert date.style.paragraph_format.element.pPr.find(f"{W}ind").get(W + "rightChars") == "400"
    right = int(signature._p.find(f"{W}pPr/{W}ind").get(W + "right"))
    # 区全民科学素质纲要实施工作办公室 (16) over 2024年12月20日 (about 8.4): its middle over the date's
    assert 0 <= right < 4 * 320


def test_a_report_upward_names_its_signer(plan_copy: Path) -> None:
    edit(plan_copy / "settings.yaml", "      - 各成员单位", "      - 区人民政府\n    signer: 张三")
    shutil.copytree(SAMPLE / "progress", plan_copy / "progress")
    result = run("render", "bulletin", "-f", "docx", "-o", "b.docx")
    assert result.exit_code == 0, result.output
    number = docx.Document(str(plan_copy.parent / "b.docx")).paragraphs[1]
    assert number.text.startswith("雁科素办发〔") and number.text.endswith("号\t签发人：张三")
    kai = number._p.findall(f"{W}r")[-1].find(f"{W}rPr/{W}rFonts").get(W + "eastAsia")
    assert kai == "楷体_GB2312"
    assert number.alignment is not None and number.alignment.name == "LEFT"
    md = run("render", "bulletin").stdout
    assert "区人民政府：" in md


# --- draft marks -----------------------------------------------------------------------------------------


def test_draft_mark_from_the_option_and_from_the_revision_record(workdir: Path) -> None:
    md = run("render", "letter", "-u", "区教育局", "--draft", "--plan", PLAN).stdout
    assert md.startswith('::: {custom-style="Draft Mark"}\n征求意见稿\n:::')
    assert "征求意见稿" not in run("render", "letter", "-u", "区教育局", "--plan", PLAN).stdout
    draft_plan = QINGSHAN_2024 / "plan"  # revisions.yaml: current.draft_of
    assert run("render", "table", "--plan", draft_plan).stdout.startswith('::: {custom-style="Draft Mark"}')
    assert "征求意见稿" not in open_plan(draft_plan).document("table", draft=False).markdown  # the API may say no
    assert run("render", "letter", "-u", "县教育局", "-f", "docx", "-o", "l.docx", "--plan", draft_plan).exit_code == 0
    header = docx.Document(str(workdir / "l.docx")).sections[0].first_page_header.paragraphs
    assert [p.style.name for p in header[:2]] == ["Draft Mark", "Letter Issuer Mark"]
    assert header[0].text == "征求意见稿"


def test_draft_mark_on_the_redline_and_the_comparison_table(workdir: Path) -> None:
    old, new = QINGSHAN / "plan", QINGSHAN_2024 / "plan"
    for fmt, name in (("redline", "r.docx"), ("docx", "c.docx")):
        result = run("diff", "--old-plan", old, "--new-plan", new, "-f", fmt, "-o", name)
        assert result.exit_code == 0, result.output
        first = docx.Document(str(workdir / name)).paragraphs[0]
        assert (first.style.name, first.text) == ("Draft Mark", "征求意见稿")
    run("diff", "--old-plan", new, "--new-plan", old, "-f", "docx", "-o", "n.docx")  # to the original: no draft
    assert docx.Document(str(workdir / "n.docx")).paragraphs[0].style.name == "Title"
    table = run("diff", "--old-plan", new, "--new-plan", old, "-f", "table", "--draft").stdout
    assert table.startswith('::: {custom-style="Draft Mark"}\n征求意见稿')
    table = run("diff", "--old-plan", new, "--new-plan", old, "-f", "table").stdout
    assert "征求意见稿" not in table.split("\n")[1]  # the original is no draft


def test_letters_draft_option(workdir: Path) -> None:
    result = run("letters", "--out", "out", "-u", "区科协", "-f", "md", "--draft", "--plan", PLAN)
    assert result.exit_code == 0
    text = next((workdir / "out").glob("*.md")).read_text(encoding="utf-8")
    assert text.startswith('::: {custom-style="Draft Mark"}\n征求意见稿\n:::')


@pytest.mark.parametrize("document", ["document", "summary", "table", "review"])
def test_documents_without_head_still_take_the_draft_mark(document: str) -> None:
    args = ["--plan", SAMPLE if document == "review" else PLAN]
    md = run("render", document, "--draft", *args).stdout
    assert md.startswith('::: {custom-style="Draft Mark"}\n征求意见稿\n:::')
    assert 'Issuer Mark"}\n雁峰区全民科学素质纲要' not in md  # their 版头, if any, is the plan's own

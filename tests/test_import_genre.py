"""kpsy import on plans as other offices publish them (made by tests/plandocs.py): a Word file numbered
by Word, a government web page, a PDF, 章节条 text, a joint notice with 抄送, a 分工表 by action;
each in variants (three places' unit names, 和 in names, collectives, restarts, encodings). Every
task must come out with its text and units exact, the plan's own title, and one letter per unit."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from kpsy.plan.load import load_plan

from . import plandocs as pd
from .conftest import run

HAS_SOFFICE = bool(shutil.which("soffice") or shutil.which("libreoffice"))
needs_soffice = pytest.mark.skipif(not HAS_SOFFICE, reason="LibreOffice Writer (libreoffice-writer)")


def imported(source: Path, out: Path, *args: str) -> tuple[int, str]:
    result = run("--lang", "en", "import", source, "--out", out, *args)
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def assert_imported_exactly(plan: pd.Plan, source: Path, out: Path, *args: str) -> str:
    """The import exits 0 and gives every task with its text and units, the plan's title, one letter per unit."""
    code, output = imported(source, out, *args)
    assert code == 0, output
    loaded = load_plan(out)
    assert loaded.plan is not None, [p.message for p in loaded.problems]
    data = loaded.plan
    assert data.document.plan.title == plan.title
    rows = json.loads(run("tasks", "--plan", out, "-f", "json").stdout)
    got = [(r["task_title"], r["leads"], r["participants"]) for r in rows]
    want = [(title, leads, parts) for title, _, leads, parts in plan.expected_tasks()]
    assert got == want, output
    bodies = [t.task.body for t in data.iter_tasks()]
    assert bodies == [body for _, body, _, _ in plan.expected_tasks()]
    report = json.loads(run("validate", "--plan", out, "-f", "json").stdout)
    assert report["errors"] == 0, report
    letters = out.parent / (out.name + "-letters")
    result = run("letters", "--plan", out, "--out", letters, "-f", "md", "--date", "2022-04-01")
    assert result.exit_code == 0, result.output
    named = sorted(p.stem.split("-", 2)[-1].split("-")[-1] for p in letters.iterdir())
    assert named == sorted(plan.units()), output
    return output


PLACES = list(pd.PLANS)


# --- Word's automatic numbering --------------------------------------------------------------


def spread(*values: list[str]) -> list[tuple[str, ...]]:
    """Variants that between them take every value of every list, without every combination: each
    list goes round, for as many variants as the longest list has values, and two more."""
    n = max(len(v) for v in values) + 2
    return [tuple(v[i % len(v)] for v in values) for i in range(n)]


@pytest.mark.parametrize(
    ("place", "numbering", "resp"),
    spread(PLACES, ["multi", "separate", "styles", "tasks"], ["closing", "paren-labels", "label-lines"]),
)
def test_a_docx_numbered_by_word(workdir: Path, place: str, numbering: str, resp: str) -> None:
    style = pd.Style(resp=resp)
    plan = pd.for_style(pd.PLANS[place](), style)
    source = pd.write_docx(workdir / "plan.docx", pd.lines_of(plan, style), word_numbering=numbering)
    output = assert_imported_exactly(plan, source, workdir / "out")
    assert "Word automatic numbering" in output


def test_word_numbers_are_written_as_a_reader_sees_them(workdir: Path) -> None:
    style = pd.Style()
    plan = pd.for_style(pd.qingshan(), style)
    source = pd.write_docx(workdir / "plan.docx", pd.lines_of(plan, style), word_numbering="separate")
    assert imported(source, workdir / "out")[0] == 0
    copy = (workdir / "out" / "source" / "plan.txt").read_text(encoding="utf-8").splitlines()
    assert "二、提升行动" in copy and "（三）老年人科学素质提升行动。帮助老年人适应数字生活。" in copy
    assert "1．实施智慧助老行动。开展智能技术运用培训。" in copy  # restarted for the third action


def test_a_docx_whose_numbers_word_cannot_give_is_refused_with_a_hint(workdir: Path) -> None:
    import docx
    from docx.oxml import parse_xml

    style = pd.Style()
    plan = pd.for_style(pd.qingshan(), style)
    document = docx.Document()
    for line in pd.strip_numbers(pd.lines_of(plan, style)):
        paragraph = document.add_paragraph(line)
        ppr = paragraph._p.get_or_add_pPr()
        ppr.insert(0, parse_xml(f'<w:numPr xmlns:w="{pd.W}"><w:ilvl w:val="0"/><w:numId w:val="77"/></w:numPr>'))
    document.save(str(workdir / "plan.docx"))
    code, output = imported(workdir / "plan.docx", workdir / "out")
    assert code == 1 and "Word lists" in output and not (workdir / "out").exists()


# --- web pages -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("place", "charset", "layout", "resp"),
    spread(PLACES, ["utf-8", "gbk", "gb2312"], ["paragraphs", "breaks"], ["labelled", "label-lines", "subject"]),
)
def test_a_government_web_page(workdir: Path, place: str, charset: str, layout: str, resp: str) -> None:
    style = pd.Style(resp=resp, notice="inside")
    plan = pd.for_style(pd.PLANS[place](), style)
    source = pd.write_html(
        workdir / "page.html", plan, pd.lines_of(plan, style), charset=charset, breaks=layout == "breaks"
    )
    output = assert_imported_exactly(plan, source, workdir / "out")
    for furniture in ("当前位置", "索引号", "打印本页", "分享到", "网站标识码", "English"):
        assert furniture not in (workdir / "out" / "source" / "page.txt").read_text(encoding="utf-8")
    assert "a web page's metadata" in output


def test_a_web_page_saved_as_text_keeps_its_navigation_out_of_the_title(workdir: Path) -> None:
    style = pd.Style(notice="inside")
    plan = pd.for_style(pd.chengnan(), style)
    lines = [
        "当前位置：首页 > 政务公开 > 政策文件",
        "发布时间：2023-03-16 来源：城南区人民政府办公室",
        *pd.lines_of(plan, style),
    ]
    lines += ["【打印本页】【关闭窗口】"]
    source = pd.write_text(workdir / "page.txt", lines)
    output = assert_imported_exactly(plan, source, workdir / "out")
    assert "a web page's navigation" in output and "a web page's tools" in output


# --- PDF -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[pd.Plan, Path]]:
    """Print-ready .docx files of several variants, printed to PDF by LibreOffice in one run."""
    if not HAS_SOFFICE:
        pytest.skip("LibreOffice Writer (libreoffice-writer)")
    folder = tmp_path_factory.mktemp("pdf")
    variants = {
        "qingshan-closing": ("qingshan", pd.Style()),
        "chengnan-paren": ("chengnan", pd.Style(resp="paren-labels", notice="joint")),
        "baisha-subject": ("baisha", pd.Style(resp="subject", notice="inside", half_width=True)),
        "qingshan-articles": ("qingshan", pd.Style(numbering="articles", resp="labelled")),
    }
    made: dict[str, tuple[pd.Plan, Path]] = {}
    docs = []
    for name, (place, style) in variants.items():
        plan = pd.for_style(pd.PLANS[place](), style)
        docs.append(pd.write_docx(folder / f"{name}.docx", pd.lines_of(plan, style), print_ready=True))
        made[name] = (plan, folder / f"{name}.pdf")
    pd.soffice_convert(docs, "pdf", folder)
    return made


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils")
@pytest.mark.parametrize("layout", [False, True])
def test_pdftotext_output(workdir: Path, pdfs: dict[str, tuple[pd.Plan, Path]], layout: bool) -> None:
    """What poppler's pdftotext makes of the PDF: hard-wrapped lines, spaces around digits, page numbers."""
    import subprocess

    plan, source = pdfs["chengnan-paren"]
    text = workdir / "plan.txt"
    subprocess.run(["pdftotext", *(["-layout"] if layout else []), source, text], check=True)
    assert_imported_exactly(plan, text, workdir / "out")


@pytest.mark.parametrize("name", ["qingshan-closing", "chengnan-paren", "baisha-subject", "qingshan-articles"])
def test_a_pdf_with_a_text_layer(workdir: Path, pdfs: dict[str, tuple[pd.Plan, Path]], name: str) -> None:
    plan, source = pdfs[name]
    output = assert_imported_exactly(plan, source, workdir / "out")
    assert "PDF lines joined into paragraphs" in output and "page numbers" in output


def test_a_scanned_pdf_is_refused(workdir: Path) -> None:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument.new()
    document.new_page(595, 842)
    document.save(str(workdir / "scan.pdf"))
    code, output = imported(workdir / "scan.pdf", workdir / "out")
    assert code == 1 and "no text layer" in output and "scan.pdf" in output


# --- a 分工表 printed in a PDF ------------------------------------------------------------------

RULED = pd.TableStyle(ruled=True)
TABLE_PDFS = {
    # name: place, by (task or action), rows, how the table is drawn
    "task-wrapped-lists": ("qingshan", "task", "reverse", RULED),
    "task-units-on-lines": ("baisha", "task", "two-lines", RULED),
    "action": ("chengnan", "action", "plain", RULED),
    "merged-over-pages": ("qingshan", "task", "with-actions", pd.TableStyle(True, 1, 5.5, repeat_header=True)),
    "over-pages-no-header": ("baisha", "task", "plain", pd.TableStyle(True, row_height=5.5)),
    "no-rules": ("qingshan", "task", "plain", pd.TableStyle()),
}


def _table_plan(place: str, by: str, rows: str) -> tuple[pd.Plan, list[list[str]]]:
    plan = pd.for_style(pd.PLANS[place](), pd.Style(resp="action-table" if by == "action" else "task-table"))
    if rows == "with-actions":
        return plan, pd.table_rows_by_action_and_task(plan)
    return plan, pd.table_rows(plan, by, two_lines=rows == "two-lines", reverse=rows == "reverse")


@pytest.fixture(scope="module")
def table_pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[pd.Plan, Path, Path]]:
    """Print-ready .docx plans whose 分工表 stands after the 版记, and the PDFs LibreOffice prints of
    them: (plan, .docx, .pdf)."""
    if not HAS_SOFFICE:
        pytest.skip("LibreOffice Writer (libreoffice-writer)")
    folder = tmp_path_factory.mktemp("table-pdf")
    made: dict[str, tuple[pd.Plan, Path, Path]] = {}
    for name, (place, by, rows_kind, drawn) in TABLE_PDFS.items():
        plan, rows = _table_plan(place, by, rows_kind)
        style = pd.Style(resp="action-table" if by == "action" else "task-table")
        lines = [*pd.lines_of(plan, style), "附件", f"{plan.title}任务分工表"]
        docx_file = pd.write_docx(folder / f"{name}.docx", lines, [rows], print_ready=True, table_style=drawn)
        made[name] = (plan, docx_file, folder / f"{name}.pdf")
    pd.soffice_convert([docx for _, docx, _ in made.values()], "pdf", folder)
    return made


def _pages(pdf: Path) -> int:
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(pdf))
    try:
        return len(document)
    finally:
        document.close()


@pytest.mark.parametrize("name", [n for n in TABLE_PDFS if n != "no-rules"])
def test_a_ruled_table_in_a_pdf_is_read_as_the_docx_is(
    workdir: Path, table_pdfs: dict[str, tuple[pd.Plan, Path, Path]], name: str
) -> None:
    plan, docx_file, pdf = table_pdfs[name]
    if "pages" in name:
        assert _pages(pdf) >= 3  # the table runs over at least two page breaks
    output = assert_imported_exactly(plan, pdf, workdir / "pdf")
    assert "PDF tables rebuilt from their ruling lines" in output
    assert "a 分工表 by " + ("action" if name == "action" else "task") in output
    assert imported(docx_file, workdir / "docx")[0] == 0
    from_pdf = json.loads(run("tasks", "--plan", workdir / "pdf", "-f", "json").stdout)
    from_docx = json.loads(run("tasks", "--plan", workdir / "docx", "-f", "json").stdout)
    assert from_pdf == from_docx
    if name == "merged-over-pages":  # the action's merged cell in every row it spans, over the page break
        from kpsy.importer.pdf import read_pdf

        (table,) = read_pdf(pdf).tables
        assert [row[1] for row in table.rows] == [row[1] for row in pd.table_rows_by_action_and_task(plan)]
    # the cells' text is the table's, not paragraphs of the plan as well
    copy = (workdir / "pdf" / "source" / f"{name}.txt").read_text(encoding="utf-8")
    assert "2025年底前" not in copy and "牵头单位" not in copy
    assert "三、保障措施" in copy and "（二）强化经费保障。将科普经费列入财政预算。" in copy


def test_a_table_without_rules_in_a_pdf_is_reported(
    workdir: Path, table_pdfs: dict[str, tuple[pd.Plan, Path, Path]]
) -> None:
    _, _, pdf = table_pdfs["no-rules"]
    code, output = imported(pdf, workdir / "out")
    assert code == 1 and not (workdir / "out").exists()
    assert "a table without ruling lines" in output and "序号 | 重点任务 | 牵头单位 | 配合单位 | 完成时限" in output
    code, output = imported(pdf, workdir / "partial", "--partial")
    copy = (workdir / "partial" / "source" / "no-rules.txt").read_text(encoding="utf-8")
    assert code == 1 and "2025年底前" not in copy and "县农业农村局" not in copy
    chinese = run("import", pdf, "--out", workdir / "zh")
    assert "没有表格线的表格" in chinese.output


# --- 章节条 -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("place", "resp", "encoding"),
    spread(PLACES, ["closing", "paren-labels", "label-lines", "subject"], ["utf-8", "gb18030", "utf-16", "utf-8-sig"]),
)
def test_chapters_sections_and_articles(workdir: Path, place: str, resp: str, encoding: str) -> None:
    style = pd.Style(numbering="articles", resp=resp)
    plan = pd.for_style(pd.PLANS[place](), style)
    source = pd.write_text(workdir / "plan.txt", pd.lines_of(plan, style), encoding)
    output = assert_imported_exactly(plan, source, workdir / "out")
    assert "「第X条」" in output
    data = load_plan(workdir / "out").plan
    assert data is not None
    numbers = [t.short_number for t in data.iter_tasks()]
    assert numbers[0] == "第三条 " and numbers[-1] == f"第{pd.cn(2 + len(numbers))}条 "


# --- joint notices, 抄送 ----------------------------------------------------------------------


@pytest.mark.parametrize(("place", "notice", "width"), spread(PLACES, ["joint", "joint-inside"], ["full", "half"]))
def test_a_joint_notice_with_a_copy_to_line(workdir: Path, place: str, notice: str, width: str) -> None:
    style = pd.Style(notice=notice, half_width=width == "half", annex=True, resp="subject")
    plan = pd.for_style(pd.PLANS[place](), style)
    source = pd.write_text(workdir / "plan.txt", pd.lines_of(plan, style))
    output = assert_imported_exactly(plan, source, workdir / "out")
    assert "a joint notice" in output
    assert "版记: 抄送" in output and "publication note" in output and "annex mark" in output
    notice_record = load_plan(workdir / "out").plan.document.notice  # type: ignore[union-attr]
    assert notice_record is not None and notice_record.number == plan.number


# --- a 分工表 by action or by task --------------------------------------------------------------


@pytest.mark.parametrize(("place", "by", "form"), spread(PLACES, ["action", "task"], ["docx", "html", "docx"]))
def test_a_table_matched_by_title(workdir: Path, place: str, by: str, form: str) -> None:
    style = pd.Style(resp="action-table" if by == "action" else "task-table")
    plan = pd.for_style(pd.PLANS[place](), style)
    rows = pd.table_rows(plan, by, two_lines=True, reverse=True)
    lines = pd.lines_of(plan, style)
    if form == "docx":
        source = pd.write_docx(workdir / "plan.docx", [*lines, "附件", f"{plan.title}任务分工表"], [rows])
    else:
        source = pd.write_html(workdir / "plan.html", plan, lines, [rows])
    output = assert_imported_exactly(plan, source, workdir / "out")
    assert ("a 分工表 by action" if by == "action" else "a 分工表 by task") in output


# --- conventions one by one ----------------------------------------------------------------


def test_names_with_he_stay_whole_and_collectives_stay_collectives(workdir: Path) -> None:
    style = pd.Style(resp="closing")
    plan = pd.for_style(pd.qingshan(), style)
    assert imported(pd.write_text(workdir / "plan.txt", pd.lines_of(plan, style)), workdir / "out")[0] == 0
    names = [u["name"] for u in json.loads(run("units", "--plan", workdir / "out", "-f", "json").stdout)]
    assert "县发展和改革局" in names and "县住房和城乡建设局" in names and "县发展" not in names
    assert not any(n.startswith("各") for n in names)
    # 县妇联 is not told to build the farmers' 示范基地 because the action names 各乡镇人民政府
    rows = json.loads(run("tasks", "--plan", workdir / "out", "-u", "县妇联", "-f", "json").stdout)
    assert "建设农业科技示范基地" not in [r["task_title"] for r in rows]


def test_a_clause_about_a_unit_is_not_a_unit(workdir: Path) -> None:
    style = pd.Style()
    plan = pd.for_style(pd.qingshan(), style)
    lines = pd.lines_of(plan, style)
    at = lines.index("三、保障措施")
    lines.insert(at + 3, "（三）明确工作机构。县科协承担领导小组办公室日常工作。")
    assert imported(pd.write_text(workdir / "plan.txt", lines), workdir / "out")[0] == 0
    names = [u["name"] for u in json.loads(run("units", "--plan", workdir / "out", "-f", "json").stdout)]
    assert "县科协承担领导小组办公室" not in names


def test_a_statement_left_inside_the_text_is_reported(workdir: Path) -> None:
    style = pd.Style(resp="paren-labels")
    plan = pd.for_style(pd.qingshan(), style)
    lines = pd.lines_of(plan, style)
    i = next(k for k, x in enumerate(lines) if x.startswith("2．加强科技教师培训"))
    lines[i] = "2．加强科技教师培训。由县教育局牵头，县科协参加。每年培训科技教师不少于100人次。"
    code, output = imported(pd.write_text(workdir / "plan.txt", lines), workdir / "out")
    assert code == 1 and "stands inside the text" in output and "由县教育局牵头，县科协参加" in output


def test_a_title_that_is_not_the_notices_is_reported(workdir: Path) -> None:
    style = pd.Style()
    plan = pd.for_style(pd.qingshan(), style)
    lines = [x.replace(plan.title, "青山县科普工作要点") if x == plan.title else x for x in pd.lines_of(plan, style)]
    code, output = imported(pd.write_text(workdir / "plan.txt", lines), workdir / "out")
    assert code == 1 and "青山县科普工作要点" in output


@needs_soffice
@pytest.mark.parametrize("to", ["doc:MS Word 97", "odt"])
def test_a_doc_file_through_libreoffice(workdir: Path, to: str) -> None:
    style = pd.Style(notice="joint")
    plan = pd.for_style(pd.baisha(), style)
    docx_file = pd.write_docx(workdir / "plan.docx", pd.lines_of(plan, style), word_numbering="multi")
    (doc_file,) = pd.soffice_convert([docx_file], to, workdir)
    docx_file.unlink()
    output = assert_imported_exactly(plan, doc_file, workdir / "out")
    assert "converted by LibreOffice" in output


def test_a_doc_file_without_libreoffice_names_the_package(workdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from kpsy.importer import office

    monkeypatch.setattr(office, "soffice", lambda: None)
    (workdir / "plan.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500))
    code, output = imported(workdir / "plan.doc", workdir / "out")
    assert code == 1 and "libreoffice-writer" in output and "plan.doc" in output


def test_zero_tasks_is_an_error(workdir: Path) -> None:
    lines = [
        "青山县科普工作实施方案",
        "为做好科普工作，制定本方案。",
        "一、工作目标",
        "全面提升科普能力。",
        "二、工作要求",
        "加强领导。",
    ]
    code, output = imported(pd.write_text(workdir / "plan.txt", lines), workdir / "out")
    assert code == 1 and "0 tasks" in output and not (workdir / "out").exists()


def test_the_report_is_in_chinese(workdir: Path) -> None:
    style = pd.Style(notice="joint", resp="paren-labels")
    plan = pd.for_style(pd.qingshan(), style)
    source = pd.write_docx(workdir / "plan.docx", pd.lines_of(plan, style), word_numbering="multi")
    result = run("import", source, "--out", workdir / "out")
    assert result.exit_code == 0, result.output
    assert "任务编号：Word 自动编号" in result.output
    assert "责任分工：括号内牵头单位/配合单位" in result.output
    assert "有意略去（2）" in result.output and "版记：抄送" in result.output


@pytest.mark.parametrize(("place", "resp"), spread(PLACES, ["closing", "paren-labels", "subject", "labelled"]))
def test_hard_wrapped_text_from_a_pdf(workdir: Path, place: str, resp: str) -> None:
    style = pd.Style(resp=resp)
    plan = pd.for_style(pd.PLANS[place](), style)
    source = pd.write_text(workdir / "plan.txt", pd.hard_wrap(pd.lines_of(plan, style)))
    output = assert_imported_exactly(plan, source, workdir / "out")
    assert "hard-wrapped lines joined" in output


def test_a_unit_spelled_two_ways_is_one_unit_and_the_text_comes_back(workdir: Path) -> None:
    style = pd.Style(resp="closing")
    plan = pd.for_style(pd.qingshan(), style)
    lines = pd.lines_of(plan, style)
    i = next(k for k, x in enumerate(lines) if x.startswith("由县民政局"))
    lines[i] = lines[i].replace("县卫生健康局", "县卫健局")  # the short form in one line, the long in none other
    j = next(k for k, x in enumerate(lines) if x.startswith("由县农业农村局"))
    lines[j] = lines[j].replace("县科协", "青山县科学技术协会")
    assert imported(pd.write_text(workdir / "plan.txt", lines), workdir / "out")[0] == 0
    assert json.loads(run("validate", "--plan", workdir / "out", "-f", "json").stdout)["errors"] == 0
    units = {u["name"]: u for u in json.loads(run("units", "--plan", workdir / "out", "-f", "json").stdout)}
    assert "县科协" in units and "青山县科学技术协会" not in units


def test_half_width_citations_are_basis_documents(workdir: Path) -> None:
    style = pd.Style()
    plan = pd.for_style(pd.baisha(), style)
    lines = [x.replace("（国发〔2021〕9号）", "(国发〔2021〕9号)") for x in pd.lines_of(plan, style)]
    assert imported(pd.write_text(workdir / "plan.txt", lines), workdir / "out")[0] == 0
    data = load_plan(workdir / "out").plan
    assert data is not None and [b.number for b in data.document.plan.basis] == ["国发〔2021〕9号"]


@pytest.mark.parametrize(
    ("statement", "leads", "participants"),
    [
        ("（牵头单位：县教育局；责任单位：县科协、团县委）", ["县教育局"], ["县科协", "团县委"]),
        ("（责任单位：县教育局（牵头）、县科协、团县委）", ["县教育局"], ["县科协", "团县委"]),
        ("县教育局牵头，县科协、团县委配合。", ["县教育局"], ["县科协", "团县委"]),
        ("（由县教育局负责，县科协、团县委配合）", ["县教育局"], ["县科协", "团县委"]),
        (
            "（牵头单位：县教育局和团县委；配合单位：县发展和改革局及县科协）",
            ["县教育局", "团县委"],
            ["县发展和改革局", "县科协"],
        ),
        ("（责任单位：县教育局、各乡镇人民政府、县直各有关单位）", ["县教育局"], []),
    ],
)
def test_statement_shapes(workdir: Path, statement: str, leads: list[str], participants: list[str]) -> None:
    style = pd.Style(resp="paren-labels")
    plan = pd.for_style(pd.qingshan(), style)
    lines = pd.lines_of(plan, style)
    i = next(k for k, x in enumerate(lines) if x.startswith("1．上好科学课"))
    lines[i] = lines[i][: lines[i].index("（牵头单位")] + statement
    code, output = imported(pd.write_text(workdir / "plan.txt", lines), workdir / "out")
    assert code == 0, output
    rows = json.loads(run("tasks", "--plan", workdir / "out", "-f", "json").stdout)
    assert (rows[0]["task_title"], rows[0]["leads"], rows[0]["participants"]) == ("上好科学课", leads, participants)


def test_the_first_named_leads_when_the_document_says_so(workdir: Path) -> None:
    style = pd.Style(resp="paren-labels")
    plan = pd.for_style(pd.qingshan(), style)
    lines = pd.lines_of(plan, style)
    i = next(k for k, x in enumerate(lines) if x.startswith("1．上好科学课"))
    lines[i] = lines[i][: lines[i].index("（牵头单位")] + "（责任单位：县教育局、县科协）"
    at = lines.index("二、提升行动")
    lines.insert(at + 1, "各项任务的责任单位中，排名第一的为牵头单位。")
    assert imported(pd.write_text(workdir / "plan.txt", lines), workdir / "out")[0] == 0
    rows = json.loads(run("tasks", "--plan", workdir / "out", "-f", "json").stdout)
    assert (rows[0]["leads"], rows[0]["participants"]) == (["县教育局"], ["县科协"])


def test_actions_without_numbered_tasks_are_the_tasks(workdir: Path) -> None:
    """A plain list: 二、重点任务 then 1．… 2．… each with its units; `kpsy tasks` lists them."""
    lines = [
        "青山县全民科学素质行动实施方案（2021-2025年）",
        "为提升全县公民科学素质，制定本方案。",
        "一、工作目标",
        "到2025年，全县公民具备科学素质的比例超过15%。",
        "二、重点任务",
        "1．实施青少年科学素质提升行动。开齐开足科学课程。（牵头单位：县教育局；配合单位：县科协）",
        "2．实施农民科学素质提升行动。开展农业技术培训。（牵头单位：县农业农村局；配合单位：县发展和改革局、各乡镇人民政府）",
        "三、保障措施",
        "1．加强组织领导。县人民政府统筹推进。",
    ]
    assert imported(pd.write_text(workdir / "plan.txt", lines), workdir / "out")[0] == 0
    rows = json.loads(run("tasks", "--plan", workdir / "out", "-f", "json").stdout)
    assert [(r["task_title"], r["leads"], r["participants"]) for r in rows] == [
        ("实施青少年科学素质提升行动", ["县教育局"], ["县科协"]),
        ("实施农民科学素质提升行动", ["县农业农村局"], ["县发展和改革局"]),
    ]


def test_a_table_with_lead_and_responsible_columns(workdir: Path) -> None:
    style = pd.Style(resp="task-table")
    plan = pd.for_style(pd.chengnan(), style)
    rows = [["序号", "工作任务", "牵头单位", "责任单位", "完成时限"]]
    for n, (title, _, leads, parts) in enumerate(plan.expected_tasks(), 1):
        rows.append([str(n), title, "、".join(leads), "\n".join(parts) or "/", "长期坚持"])
    source = pd.write_docx(workdir / "plan.docx", [*pd.lines_of(plan, style), "附件", "任务分工表"], [rows])
    assert_imported_exactly(plan, source, workdir / "out")


def test_a_table_by_action_and_task_columns(workdir: Path) -> None:
    """序号 | 重点行动 | 重点任务 | 牵头单位 | 配合单位: the task is found among its action's tasks."""
    style = pd.Style(resp="task-table")
    plan = pd.for_style(pd.qingshan(), style)
    rows = [["序号", "重点行动", "重点任务", "牵头单位", "配合单位"]]
    for action in plan.actions:
        for task in action.tasks:
            assert task.resp is not None
            others = [*task.resp.participants, *([task.resp.collective] if task.resp.collective else [])]
            rows.append(
                [str(len(rows)), action.title, task.title, "、".join(task.resp.leads), "、".join(others) or "无"]
            )
    source = pd.write_docx(workdir / "plan.docx", [*pd.lines_of(plan, style), "附件", "重点任务分工表"], [rows])
    assert_imported_exactly(plan, source, workdir / "out")


def test_a_plan_signed_at_its_end_and_a_layout_table(workdir: Path) -> None:
    """No notice; a 版头 laid out in a table; the plan signed and dated at its end."""
    style = pd.Style(notice="none", imprint=False)
    plan = pd.for_style(pd.chengnan(), style)
    lines = [*pd.lines_of(plan, style), plan.issuer, "2023年3月15日"]
    source = pd.write_docx(workdir / "plan.docx", lines)
    import docx

    document = docx.Document(str(source))
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text = plan.number
    table.cell(0, 1).text = "签发人：张三"
    document.element.body.insert(0, table._tbl)
    document.save(str(source))
    code, output = imported(source, workdir / "out")
    assert "the plan's own signature and date" in output
    # the 文号 and 签发人 of the layout table are paragraphs before the title: a person places them
    assert code == 1 and "签发人：张三" in output and "before the plan's title" in output


def test_big5_text_is_decoded() -> None:
    from kpsy.importer.read import decode

    text = "青山縣人民政府辦公室關於印發《青山縣全民科學素質行動實施方案》的通知\n一、總體要求\n由縣教育局牽頭，縣科協參加。\n"
    assert decode(text.encode("big5"), Path("x.txt")) == (text, "Big5")

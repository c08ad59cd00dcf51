"""Documents: golden Markdown for each template, real .docx checked with python-docx, escaping,
template errors, the sandbox, and task letters for every unit."""

from __future__ import annotations

import io
import json
import os
import zipfile
from pathlib import Path

import docx
import pytest
from docx.shared import Mm, Pt

from kpsy.api import open_plan
from kpsy.documents import templates
from kpsy.documents.reference import build

from .conftest import PLAN, REPO, edit, run
from .golden import check

GOLDEN = Path(__file__).resolve().parent / "golden"
LETTER_DATE = "2023-04-20"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def golden(name: str, text: str) -> None:
    check(GOLDEN / name, text)


@pytest.mark.parametrize(
    ("args", "name"),
    [
        (["document"], "document.md"),
        (["summary"], "summary.md"),
        (["table"], "table.md"),
        (["letter", "--unit", "区教育局", "--date", LETTER_DATE], "letter-education.md"),
        (["letter", "--unit", "区科协", "--date", LETTER_DATE], "letter-science-association.md"),
    ],
)
def test_markdown_matches_golden(args: list[str], name: str) -> None:
    result = run("render", *args, "--plan", PLAN)
    assert result.exit_code == 0, result.output
    golden(name, result.stdout)


def body_paragraphs(path: Path) -> list[str]:
    return [p.text for p in docx.Document(str(path)).paragraphs]


def check_layout(path: Path, *, landscape: bool = False) -> docx.document.Document:
    d = docx.Document(str(path))
    for section in d.sections:
        width, height = (Mm(297), Mm(210)) if landscape else (Mm(210), Mm(297))
        assert abs(section.page_width - width) < Mm(1) and abs(section.page_height - height) < Mm(1)
        if not landscape:
            assert abs(section.top_margin - Mm(37)) < Mm(0.5)
            assert abs(section.bottom_margin - Mm(35)) < Mm(0.5)
            assert abs(section.left_margin - Mm(28)) < Mm(0.5)
            assert abs(section.right_margin - Mm(26)) < Mm(0.5)
        for footer, align in ((section.footer, "right"), (section.even_page_footer, "left")):
            xml = footer._element.xml
            assert "PAGE" in xml and 'w:fldCharType="begin"' in xml
            assert footer.paragraphs[0].text.startswith("— ") and footer.paragraphs[0].text.endswith(" —")
            assert footer.paragraphs[0].alignment.name.lower() == align
    assert d.settings.odd_and_even_pages_header_footer
    body = d.styles["Body Text"]
    fonts = body.element.rPr.find(f"{W}rFonts")
    assert fonts.get(f"{W}eastAsia") == "仿宋_GB2312"
    assert fonts.get(f"{W}eastAsiaTheme") is None
    assert body.font.size == Pt(16)
    ind = body.element.pPr.find(f"{W}ind")
    assert ind.get(f"{W}firstLineChars") == "200"
    assert d.styles["Title"].element.rPr.find(f"{W}rFonts").get(f"{W}eastAsia") == "方正小标宋简体"
    return d


def test_letter_docx(workdir: Path) -> None:
    result = run(
        "render", "letter", "-u", "区教育局", "-f", "docx", "-o", "edu.docx", "--date", LETTER_DATE, "--plan", PLAN
    )
    assert result.exit_code == 0, result.output
    check_layout(workdir / "edu.docx")
    text = "\n".join(body_paragraphs(workdir / "edu.docx"))
    plan = open_plan(PLAN)
    titles = [r.task_title for r in plan.tasks("区教育局")]
    assert len(titles) == 30
    for title in titles:
        assert title in text
    assert text.startswith("关于落实全民科学素质行动规划纲要实施方案重点任务的交办函\n区教育局：")
    assert "2023年4月20日" in text and "区全民科学素质纲要实施工作办公室" in text
    assert sorted(os.listdir(workdir)) == ["edu.docx"]


def test_table_docx_is_landscape_with_repeated_header(workdir: Path) -> None:
    assert run("render", "table", "-f", "docx", "-o", "t.docx", "--plan", PLAN).exit_code == 0
    d = check_layout(workdir / "t.docx", landscape=True)
    table = d.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["序号", "重点任务", "具体措施", "牵头单位", "参加单位", "完成时限"]
    assert len(table.rows) == 35
    assert table.rows[0]._tr.trPr.find(f"{W}tblHeader") is not None
    # the cells' lines are broken by kpsy (explicit line breaks): the words are the plan's
    assert table.rows[1].cells[3].text.replace("\n", "") == "区教育局、团区委、区科协"
    assert table.rows[1].cells[5].text == "2025年底前"
    widths = [int(c.get(f"{W}w")) for c in table._tbl.tblGrid.findall(f"{W}gridCol")]
    assert abs(sum(widths) - 225 * 1440 / 25.4) < 30  # the landscape type area


def test_document_and_summary_docx(workdir: Path) -> None:
    assert run("render", "document", "-f", "docx", "-o", "d.docx", "--plan", PLAN).exit_code == 0
    d = check_layout(workdir / "d.docx")
    paras = d.paragraphs
    assert paras[0].text == "衡阳市雁峰区人民政府办公室" and paras[0].style.name == "Issuer Mark"
    assert paras[-1].style.name == "Imprint"
    assert paras[-1].text == "雁峰区人民政府办公室\t2023年4月6日印发"
    assert paras[-1]._p.pPr.find(f"{W}pBdr") is not None
    texts = [p.text for p in paras]
    assert "一、总体要求" in texts and "（一）组织保障" in texts
    assert run("render", "summary", "-f", "docx", "-o", "s.docx", "--plan", PLAN).exit_code == 0
    check_layout(workdir / "s.docx")


MARKDOWN_SPECIALS = "1. 星号*下划线_竖线|尖括号<b>方括号[x](y)反引号`美元$波浪~脱字^at@井号#与&amp;"


def test_markdown_specials_come_out_literally(plan_copy: Path) -> None:
    path = plan_copy / "chapters" / "youth.yaml"
    lines = path.read_text(encoding="utf-8").split("\n")
    i = next(k for k, line in enumerate(lines) if line.startswith("    body: 坚持立德树人"))
    lines[i] = "    body: " + json.dumps(MARKDOWN_SPECIALS + lines[i][len("    body: ") :], ensure_ascii=False)
    path.write_text("\n".join(lines), encoding="utf-8")
    edit(path, "title: 推进基础教育阶段科学教育", "title: '*推进* | 基础教育'")
    md = run("render", "letter", "-u", "区教育局", "--date", LETTER_DATE).stdout
    assert r"1\. 星号\*下划线\_竖线\|尖括号\<b\>方括号\[x\]\(y\)" in md
    result = run("render", "letter", "-u", "区教育局", "-f", "docx", "-o", "x.docx", "--date", LETTER_DATE)
    assert result.exit_code == 0, result.output
    text = "\n".join(body_paragraphs(plan_copy.parent / "x.docx"))
    assert MARKDOWN_SPECIALS in text
    assert "2．*推进* | 基础教育。" in text
    assert run("render", "table", "-f", "docx", "-o", "t.docx").exit_code == 0
    table = docx.Document(str(plan_copy.parent / "t.docx")).tables[0]
    cells = [c.text.replace("\n", "") for row in table.rows for c in row.cells]  # lines broken by kpsy
    assert any(MARKDOWN_SPECIALS in c for c in cells)
    assert any("*推进* | 基础教育" in c for c in cells)


def write_template(folder: Path, text: str) -> None:
    folder.mkdir(exist_ok=True)
    (folder / "letter.md.j2").write_text(text, encoding="utf-8")


def test_undefined_variable_names_template_and_line(workdir: Path) -> None:
    write_template(workdir / "tpl", "第一行\n{{ unit.name }}\n{{ nonexistent }}\n")
    result = run("render", "letter", "-u", "区教育局", "--templates", workdir / "tpl", "--plan", PLAN)
    assert result.exit_code == 1
    assert "letter.md.j2:3" in result.stderr and "nonexistent" in result.stderr
    assert "Traceback" not in result.output


def test_syntax_error_names_template_and_line(workdir: Path) -> None:
    write_template(workdir / "tpl", "a\nb\n{% for x in %}\n")
    result = run("render", "letter", "-u", "区教育局", "--templates", workdir / "tpl", "--plan", PLAN)
    assert result.exit_code == 1 and "letter.md.j2:3" in result.stderr and "syntax" in result.stderr


def test_sandbox_refuses_code(workdir: Path) -> None:
    write_template(workdir / "tpl", "{{ ''.__class__.__mro__[1].__subclasses__() }}\n")
    result = run("render", "letter", "-u", "区教育局", "--templates", workdir / "tpl", "--plan", PLAN)
    assert result.exit_code == 1 and "letter.md.j2:1" in result.stderr
    assert "unsafe" in result.stderr or "Security" in result.stderr


def test_override_template_and_builtin_fallback(workdir: Path) -> None:
    write_template(workdir / "tpl", "致{{ unit.name }}：{{ date | cndate }}\n")
    result = run(
        "render", "letter", "-u", "教育局", "--templates", workdir / "tpl", "--date", "2024-01-05", "--plan", PLAN
    )
    assert result.stdout == "致区教育局：2024年1月5日\n"
    # the other templates still come from kpsy
    assert run("render", "summary", "--templates", workdir / "tpl", "--plan", PLAN).exit_code == 0


def test_render_usage_errors(workdir: Path) -> None:
    assert run("render", "letter", "--plan", PLAN).exit_code == 2
    assert run("render", "table", "-u", "区教育局", "--plan", PLAN).exit_code == 2
    assert run("render", "poster", "--plan", PLAN).exit_code == 2
    assert run("render", "table", "-f", "docx", "--plan", PLAN).exit_code == 2
    assert run("render", "letter", "-u", "区教育局", "--date", "2023-13-01", "--plan", PLAN).exit_code == 2


def test_settings_drive_the_letter(plan_copy: Path) -> None:
    edit(
        plan_copy / "settings.yaml",
        "  sender: 区全民科学素质纲要实施工作办公室",
        "  sender: 区科协\n  date: 2024-03-01",
    )
    md = run("render", "letter", "-u", "区教育局").stdout
    assert md.rstrip().endswith(
        '::: {custom-style="Signature"}\n区科协\n:::\n\n::: {custom-style="Issue Date"}\n2024年3月1日\n:::\n\n'
        '::: {custom-style="Copy To"}\n抄送：区人民政府。\n:::'  # then the 版记
    )
    md = run("render", "letter", "-u", "区教育局", "--sender", "纲要办", "--date", "2024-05-06").stdout
    assert "纲要办" in md and "2024年5月6日" in md


def test_bad_settings_are_reported(plan_copy: Path) -> None:
    edit(plan_copy / "settings.yaml", "  sender: 区全民科学素质纲要实施工作办公室", "  sendr: 区科协")
    result = run("validate", "--format", "plain")
    assert result.stdout.splitlines() == [
        "plan/settings.yaml:5:3: error schema: 缺少必填字段“sender”",
        "plan/settings.yaml:6:3: error schema: 未知字段“sendr”；是否指“sender”？",
    ]


def test_letters_for_every_unit(workdir: Path) -> None:
    result = run("letters", "--out", "out", "--format", "both", "--date", LETTER_DATE, "--plan", PLAN)
    assert result.exit_code == 0, result.output
    files = sorted(os.listdir(workdir / "out"))
    assert len(files) == 52
    assert "06-education-区教育局.docx" in files and "06-education-区教育局.md" in files
    stems = list(dict.fromkeys(f.rsplit(".", 1)[0] for f in files))
    in_order = [u.name for u in open_plan(PLAN).data.units][:26]
    assert [s.rsplit("-", 1)[1] for s in stems] == in_order  # the folder lists in protocol order
    assert "跳过 2 个无需发函的单位" in result.stderr and "区人民政府" in result.stderr
    assert "已为 26 个单位写入 52 个文件到 out" in result.stderr
    plan = open_plan(PLAN)
    for n, unit in enumerate(list(plan.data.units)[:26], 1):
        text = "\n".join(body_paragraphs(workdir / "out" / f"{n:02d}-{unit.id}-{unit.name}.docx"))
        assert text.startswith("关于落实") and f"{unit.name}：" in text
        for row in plan.tasks(unit):
            if row.kind == "task":
                assert row.task_title in text, (unit.name, row.task_title)
    check_layout(workdir / "out" / "26-science-association-区科协.docx")
    golden_md = (GOLDEN / "letter-education.md").read_text(encoding="utf-8")
    assert (workdir / "out" / "06-education-区教育局.md").read_text(encoding="utf-8") == golden_md


def test_letters_for_named_units_and_units_without_tasks(plan_copy: Path) -> None:
    edit(
        plan_copy / "units.yaml",
        "  # Other bodies",
        "  - id: audit\n    name: 区审计局\n    kind: 政府部门\n  # Other bodies",
    )
    result = run("letters", "--out", "out", "-u", "区审计局", "-u", "教育局", "-u", "区教育局", "-f", "md")
    assert result.exit_code == 0, result.output
    assert sorted(os.listdir(plan_copy.parent / "out")) == ["06-education-区教育局.md"]
    assert "跳过 1 个无需发函的单位：区审计局" in result.stderr


def test_letters_unknown_unit_writes_nothing(workdir: Path) -> None:
    result = run("letters", "--out", "out", "-u", "区教育厅", "--plan", PLAN)
    assert result.exit_code == 1 and "区教育局" in result.stderr
    assert not (workdir / "out").exists()


def test_builtin_templates_ship_with_the_package() -> None:
    folder = templates.builtin_templates()
    for name in [*templates.TEMPLATES.values(), templates.REFERENCE]:
        assert (folder / name).is_file()
    pyproject = (REPO / "pyproject.toml").read_text(encoding="utf-8")
    assert '"templates" = "kpsy/templates"' in pyproject


def test_reference_docx_is_what_the_script_builds() -> None:
    fresh = zipfile.ZipFile(io.BytesIO(build()))
    committed = zipfile.ZipFile(REPO / "templates" / "reference.docx")
    for part in ("word/styles.xml", "word/document.xml", "word/settings.xml"):
        assert fresh.read(part) == committed.read(part), part


def test_render_json_is_not_a_format() -> None:
    assert run("render", "summary", "-f", "json", "--plan", PLAN).exit_code == 2

"""kpsy import: the bundled plan's source comes back as today's plan; documents in the other
conventions (label lines, parentheses, closing sentences, 第一章/第一条, a 任务分工方案 table), as
text in every encoding and as .docx, import exactly; bad input writes nothing."""

from __future__ import annotations

import json
import struct
import zlib
from pathlib import Path

import pytest
import yaml

from kpsy.plan.load import load_plan
from kpsy.plan.text import paragraphs, source_paragraphs

from .conftest import PLAN, SOURCE, run, tree_digest

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "import"


def imported(source: Path, out: Path, *args: str) -> tuple[int, str]:
    result = run("--lang", "en", "import", source, "--out", out, *args)
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def loaded(folder: Path):  # type: ignore[no-untyped-def]
    result = load_plan(folder)
    assert result.plan is not None, [p.message for p in result.problems]
    return result.plan


def text_of(folder: Path) -> list[str]:
    return [p.text for p in paragraphs(loaded(folder))]


def validate_json(folder: Path) -> dict:  # type: ignore[type-arg]
    result = run("validate", "--plan", folder, "-f", "json")
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def lines_of(path: Path) -> list[str]:
    return [t for _, t in source_paragraphs(path.read_text(encoding="utf-8"))]


# --- the bundled plan --------------------------------------------------------------------------


def test_importing_the_bundled_source_gives_back_todays_plan(workdir: Path) -> None:
    code, output = imported(SOURCE, workdir / "out")
    assert code == 0, output
    assert "wrote out" in output and "not placed" not in output
    ours, theirs = loaded(workdir / "out"), loaded(PLAN)
    # the same text, paragraph by paragraph
    assert [p.text for p in paragraphs(ours)] == [p.text for p in paragraphs(theirs)]
    # the same structure, responsibility and units (ids mapped by position)
    assert [(p.title, p.part.kind, p.part.intro) for p in ours.parts] == [
        (p.title, p.part.kind, p.part.intro) for p in theirs.parts
    ]
    for mine, real in zip(ours.iter_chapters(), theirs.iter_chapters(), strict=True):
        a, b = mine.chapter, real.chapter
        assert (a.title, a.body, a.paragraphs) == (b.title, b.body, b.paragraphs)
        assert [(t.title, t.body) for t in a.tasks] == [(t.title, t.body) for t in b.tasks]
        assert (a.responsibility is None) == (b.responsibility is None)
        if a.responsibility and b.responsibility:
            got, want = a.responsibility, b.responsibility
            assert (got.leads, got.participants, got.etc, got.form) == (want.leads, want.participants, want.etc, None)
    assert {u.name: u.kind for u in ours.units} == {u.name: u.kind for u in theirs.units}
    # the short forms without the place (教育局) are aliases, as in today's registry (whose other
    # aliases and full names are not in the text)
    shared = [u.name for u in ours.units if set(u.aliases) & set(theirs.units.get(u.name).aliases)]  # type: ignore[union-attr]
    assert len(shared) == 25, shared
    doc, want_doc = ours.document, theirs.document
    assert doc.notice == want_doc.notice and doc.imprint == want_doc.imprint
    assert [(b.title, b.number) for b in doc.plan.basis] == [(b.title, b.number) for b in want_doc.plan.basis]
    assert (doc.plan.title, doc.plan.period, doc.plan.preamble) == (
        want_doc.plan.title,
        want_doc.plan.period,
        want_doc.plan.preamble,
    )
    assert doc.plan.numbering is None  # the plan's own numbering is kpsy's default
    assert [(m.period, m.source.quote) for m in ours.milestones] == [
        (m.period, m.source.quote) for m in theirs.milestones
    ]
    assert ours.targets[0].source.quote == theirs.targets[0].source.quote
    assert (ours.targets[0].indicator, ours.targets[0].value, ours.targets[0].year) == (
        "公民具备科学素质的比例",
        15,
        2025,
    )
    # it validates; the one warning is the original's own order (today's plan silences it with a comment)
    report = validate_json(workdir / "out")
    assert report["errors"] == 0
    assert [p["rule"] for p in report["problems"]] == ["participant-order"]
    # the YAML is canonical, with modelines to the schemas written beside it
    assert run("fmt", "--check", "--plan", workdir / "out").exit_code == 0
    assert (workdir / "out" / "schema" / "chapter.json").is_file()
    first = (workdir / "out" / "chapters" / "youth.yaml").read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=../schema/chapter.json"


def test_the_same_source_gives_the_same_ids_and_files(workdir: Path) -> None:
    assert imported(SOURCE, workdir / "a")[0] == 0
    assert imported(SOURCE, workdir / "b")[0] == 0
    assert tree_digest(workdir / "a") == tree_digest(workdir / "b")
    ids = [i for i, *_ in loaded(workdir / "a").items()]
    assert all(i.isascii() for i in ids) and len(ids) == len(set(ids))


# --- the other conventions ---------------------------------------------------------------------


def test_label_lines_sub_items_and_half_width_dots(workdir: Path) -> None:
    source = FIXTURES / "labels.txt"
    code, output = imported(source, workdir / "out")
    assert code == 0, output
    plan = loaded(workdir / "out")
    assert [p.text for p in paragraphs(plan)] == lines_of(source)
    assert plan.document.notice is None and plan.document.plan.numbering.task == "{n}."  # type: ignore[union-attr]
    youth = plan.chapter("youth")
    first, second = youth.tasks
    assert first.number == "二（一）1." and [i.title for i in first.task.items] == ["推进探究式教学", "配齐科学教师"]
    assert first.responsibility is not None
    assert (first.responsibility.leads, first.responsibility.participants) == (["市教育局"], ["市科技局", "团市委"])
    # 总牵头部门：A。责任单位：B, C — the 责任单位 take part under the overall lead
    assert second.responsibility is not None
    assert (second.responsibility.leads, second.responsibility.participants) == (["市科协"], ["市委宣传部", "市教育局"])
    community = plan.chapter("community")
    assert community.tasks[0].responsibility.leads == ["市卫健委", "市民政局"]  # type: ignore[union-attr]
    assert community.tasks[1].responsibility.etc is True  # type: ignore[union-attr]
    assert plan.parts[1].part.kind == "actions"
    # the full form the text uses is an alias of the short name the lists use
    assert plan.units.get("市卫生健康委员会").name == "市卫健委"  # type: ignore[union-attr]
    assert validate_json(workdir / "out")["ok"]
    rows = json.loads(run("tasks", "--plan", workdir / "out", "-u", "卫生健康委员会", "-f", "json").stdout)
    assert [(r["task_title"], r["role"]) for r in rows] == [("普及健康知识", "lead"), ("普及应急知识", "participant")]
    assert [m.period.start for m in plan.milestones] == [2021, 2022, 2025]
    assert plan.targets[0].value == 300 and plan.targets[0].unit == "名"


def test_parentheses_closing_sentences_and_collectives(workdir: Path) -> None:
    source = FIXTURES / "parentheses.txt"
    code, output = imported(source, workdir / "out")
    assert code == 0, output
    plan = loaded(workdir / "out")
    assert [p.text for p in paragraphs(plan)] == lines_of(source)
    assert plan.document.notice.number == "青政办发〔2022〕5号"  # type: ignore[union-attr]
    youth, farmers, publicity = plan.parts[1].chapters
    resp = youth.tasks[0].responsibility
    assert resp is not None and (resp.leads, resp.participants, resp.etc) == (["县教育局"], ["县科协"], True)
    assert youth.tasks[1].responsibility.leads == ["县教育局", "县科协", "团县委"]  # type: ignore[union-attr]
    # a sentence closing the action, standing as its own paragraph, is the chapter's
    assert farmers.chapter.responsibility is not None
    assert farmers.chapter.responsibility.leads == ["县农业农村局"]
    assert publicity.tasks[0].task.responsibility.collective == "各成员单位"  # type: ignore[union-attr]
    units = {u.name: u.kind for u in plan.units}
    assert units["县人民政府"] == "人民政府" and units["县全民科学素质工作领导小组办公室"] == "议事协调机构"
    assert validate_json(workdir / "out")["ok"]
    # 各成员单位: every unit takes part in that task
    rows = json.loads(run("tasks", "--plan", workdir / "out", "-u", "县人社局", "-f", "json").stdout)
    assert "办好科普日活动" in [r["task_title"] for r in rows]


def test_chapters_and_articles_numbered_through(workdir: Path) -> None:
    source = FIXTURES / "articles.txt"
    code, output = imported(source, workdir / "out")
    assert code == 0, output
    plan = loaded(workdir / "out")
    assert [p.text for p in paragraphs(plan)] == lines_of(source)
    numbering = plan.document.plan.numbering
    assert numbering is not None and numbering.part == "第{cn}章 " and numbering.chapter == "第{cn}条 "
    assert numbering.run_on == ["chapter"]
    assert [c.short_number for c in plan.iter_chapters()] == [f"第{n}条 " for n in "一二三四五"]
    youth = plan.chapter("youth")
    assert youth.chapter.responsibility is not None and youth.chapter.responsibility.placement == "inline"
    assert youth.responsibility.participants == ["市委宣传部", "团市委"]  # type: ignore[union-attr]
    assert validate_json(workdir / "out")["ok"]


@pytest.mark.parametrize(
    ("encoding", "named"),
    [("utf-8-sig", "UTF-8 with BOM"), ("gb18030", "GB18030"), ("utf-16", "UTF-16LE"), ("utf-16-be", "UTF-16BE")],
)
def test_every_encoding_is_detected_and_named(workdir: Path, encoding: str, named: str) -> None:
    text = (FIXTURES / "parentheses.txt").read_text(encoding="utf-8")
    source = workdir / "plan.txt"
    source.write_bytes(text.encode(encoding))
    code, output = imported(source, workdir / "out")
    assert code == 0, output
    assert f"(text in {named})" in output
    assert text_of(workdir / "out") == lines_of(FIXTURES / "parentheses.txt")
    assert validate_json(workdir / "out")["ok"]  # the copy of the source is UTF-8


# --- .docx -------------------------------------------------------------------------------------


def write_docx(path: Path, lines: list[str], tables: list[list[list[str]]] = ()) -> None:  # type: ignore[assignment]
    import docx

    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    for rows in tables:
        table = document.add_table(rows=len(rows), cols=len(rows[0]))
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                table.cell(r, c).text = value
    document.save(str(path))


@pytest.mark.parametrize("name", ["labels", "parentheses", "articles"])
def test_docx_imports_as_its_text_does(workdir: Path, name: str) -> None:
    source = workdir / f"{name}.docx"
    write_docx(source, lines_of(FIXTURES / f"{name}.txt"))
    code, output = imported(source, workdir / "from-docx")
    assert code == 0, output
    assert "(Word .docx)" in output
    assert imported(FIXTURES / f"{name}.txt", workdir / "from-text")[0] == 0
    for folder in ("chapters", "parts"):
        for path in sorted((workdir / "from-text" / folder).iterdir()):
            assert (workdir / "from-docx" / folder / path.name).read_text(encoding="utf-8") == path.read_text(
                encoding="utf-8"
            )
    assert validate_json(workdir / "from-docx")["ok"]


TABLE = [
    ["序号", "重点任务", "牵头单位", "配合单位", "完成时限"],
    ["1", "建设科普示范社区", "县科协", "县民政局、县卫健局", "每年"],
    ["2", "建设科普教育基地", "县科协、县教育局", "县文旅局等", "2025年底前"],
    ["3", "壮大科普志愿者队伍。发动科技工作者参与", "团县委", "县科协", "长期坚持"],
    ["4", "", "县科协", "县人社局", "2023年底前"],  # no title: the fourth task, by number
]


def test_a_task_table_gives_tasks_their_units(workdir: Path) -> None:
    lines = lines_of(FIXTURES / "table-plan.txt")
    source = workdir / "plan.docx"
    write_docx(source, [*lines, "附件", "青山县科普能力提升重点任务分工方案"], [TABLE])
    code, output = imported(source, workdir / "out")
    assert code == 0, output
    plan = loaded(workdir / "out")
    assert [p.text for p in paragraphs(plan)] == lines  # the table is not part of the text
    by_title = {t.title.rstrip("。"): t.task.responsibility for t in plan.iter_tasks()}
    resp = by_title["建设科普教育基地"]
    assert resp is not None and (resp.leads, resp.participants, resp.etc) == (
        ["县科协", "县教育局"],
        ["县文旅局"],
        True,
    )
    assert resp.due == "2025年底前" and resp.in_text is False
    assert by_title["壮大科普志愿者队伍"].leads == ["团县委"]  # type: ignore[union-attr]
    assert by_title["培养科普骨干"].participants == ["县人社局"]  # type: ignore[union-attr]
    assert validate_json(workdir / "out")["ok"]
    table = run("render", "table", "--plan", workdir / "out").stdout
    assert "2025年底前" in table and "长期坚持" in table


def test_a_separate_task_table_and_rows_that_name_no_task(workdir: Path) -> None:
    write_docx(workdir / "分工方案.docx", ["附件"], [[*TABLE, ["5", "建设科普大篷车", "县科协", "", ""]]])
    code, output = imported(FIXTURES / "table-plan.txt", workdir / "out", "--table", workdir / "分工方案.docx")
    assert code == 1
    assert "table 1, row 6, cell 2: 建设科普大篷车" in output and "wrote nothing" in output
    assert not (workdir / "out").exists()
    code, output = imported(
        FIXTURES / "table-plan.txt", workdir / "out", "--table", workdir / "分工方案.docx", "--partial"
    )
    assert code == 1 and "needs hand work" in output
    assert validate_json(workdir / "out")["ok"]


# --- what is left for hand work, bad input -----------------------------------------------------


def test_unplaced_paragraphs_and_unparsable_responsibility_are_reported(workdir: Path) -> None:
    text = (FIXTURES / "labels.txt").read_text(encoding="utf-8")
    text = text.replace("牵头单位：市应急管理局", "牵头单位：应急管理工作")  # not a unit
    text = text.replace("三、保障措施", "三、保障措施\n2．加强督查。")  # numbered out of sequence
    source = workdir / "plan.txt"
    source.write_text(text, encoding="utf-8")
    code, output = imported(source, workdir / "out")
    assert code == 1 and not (workdir / "out").exists()
    # the statement, and the task it leaves without units
    assert "responsibility not understood (2):" in output
    assert "line 18: 牵头单位：应急管理工作 配合单位：" in output
    assert (
        "line 17: 2.普及应急知识。开展防灾减灾科普活动。 (no statement of responsibility gives this task its units)"
        in output
    )
    assert "not placed (1):" in output and "2．加强督查。" in output
    code, output = imported(source, workdir / "out", "--partial", "-f", "json")
    report = json.loads(output[output.index("{") :])
    assert report["written"] and not report["complete"] and len(report["unparsed"]) == 2


def tiny_png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0\0\0\0")) + chunk(b"IEND", b"")
    )


def bad_sources(folder: Path) -> dict[str, Path]:
    import docx

    picture = folder / "picture.png"
    picture.write_bytes(tiny_png())
    document = docx.Document()
    document.add_picture(str(picture))
    document.save(str(folder / "image.docx"))
    (folder / "letter.txt").write_text("各位同事：\n明天下午三点开会，请准时参加。\n谢谢！\n", encoding="utf-8")
    with open(folder / "huge.txt", "wb") as fh:
        fh.write(("一、总体要求\n" * 4_000_000).encode("utf-8"))  # about 50 MB
    (folder / "binary.txt").write_bytes(bytes(range(128, 256)) * 10)
    (folder / "fake.docx").write_bytes(b"PK\x03\x04 not really a zip")
    return {
        "image": folder / "image.docx",
        "letter": folder / "letter.txt",
        "huge": folder / "huge.txt",
        "binary": folder / "binary.txt",
        "fake": folder / "fake.docx",
    }


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("image", "holds no text"),
        ("letter", "is not a plan"),
        ("huge", "MB; a plan's text is far smaller"),
        ("binary", "neither UTF-8, UTF-16, GB18030 nor Big5"),
        ("fake", "is not a Word .docx document"),
    ],
)
def test_bad_input_gets_a_clear_message_and_writes_nothing(workdir: Path, name: str, message: str) -> None:
    source = bad_sources(workdir)[name]
    before = sorted(p.name for p in workdir.iterdir())
    code, output = imported(source, workdir / "out")
    assert code == 1
    assert message in output and source.name in output
    assert sorted(p.name for p in workdir.iterdir()) == before  # nothing written, not even a temporary folder


def test_the_output_folder_is_replaced_only_with_force(workdir: Path) -> None:
    out = workdir / "out"
    out.mkdir()
    (out / "mine.txt").write_text("keep", encoding="utf-8")
    code, output = imported(SOURCE, out)
    assert code == 2 and "give --force" in output and (out / "mine.txt").exists()
    assert imported(SOURCE, out, "--force")[0] == 0
    assert not (out / "mine.txt").exists() and (out / "document.yaml").exists()
    assert sorted(p.name for p in workdir.iterdir()) == ["out"]


def test_the_report_in_chinese_and_as_json(workdir: Path) -> None:
    result = run("import", FIXTURES / "labels.txt", "--out", workdir / "out", "-f", "json")
    report = json.loads(result.stdout)
    assert report["counts"]["tasks"] == 4 and report["counts"]["items"] == 2 and report["encoding"]
    result = run("--lang", "zh", "import", FIXTURES / "labels.txt", "--out", workdir / "zh")
    assert "任务：4" in result.stdout and "已写入" in result.stdout


def test_an_imported_plan_works_with_every_kind_of_command(workdir: Path) -> None:
    assert imported(FIXTURES / "parentheses.txt", workdir / "plan")[0] == 0
    for args in (
        ["tasks", "-u", "教育局"],
        ["coverage"],
        ["show", "youth-1"],
        ["render", "letter", "-u", "县科协", "--date", "2022-04-01"],
        ["letters", "--out", "letters", "--date", "2022-04-01"],
        ["render", "document", "-f", "docx", "-o", "plan.docx"],
    ):
        result = run(*args)
        assert result.exit_code == 0, (args, result.output)
    assert any((workdir / "letters").iterdir())
    units = yaml.safe_load((workdir / "plan" / "units.yaml").read_text(encoding="utf-8"))
    assert units["place"] == {"short": "县", "names": ["青山县"]}

"""Revisions as the office reads them (issue 12): the 修订说明 in the office's words, one unit's view,
the letters to re-issue, the comparison table's rows, revision records, git set-up, and diff reading
both revisions through the cache. The redline has tests of its own (test_redline.py), and the
comparison table's exactness a property test (test_revision_property.py)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import docx
import pytest

from .conftest import PLAN, edit, run
from .test_diff import commit, git

pytestmark = pytest.mark.usefixtures("english")  # the office's words are asserted in English unless --lang zh

P = Path("plan")
FIXTURE = Path(__file__).resolve().parent / "fixtures" / "qingshan" / "plan"


@pytest.fixture
def repo(workdir: Path) -> Path:
    """The bundled plan in a git repository, committed; the original text is left out of the check."""
    git(workdir, "init", "-q", "-b", "main")
    shutil.copytree(PLAN, workdir / "plan")
    edit(workdir / "plan" / "document.yaml", "  source_text: source/yanfeng-plan-2021-2025.txt\n", "")
    commit(workdir, "plan")
    return workdir


def zh(*args: str | Path, code: int = 0) -> str:
    result = run("--lang", "zh", *args)
    assert result.exit_code == code, result.output
    return result.stdout


def data(*args: str) -> dict:
    result = run("diff", *args, "-f", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def move_task(task: str, source: str, target: str) -> None:
    """Move a task (and its text) from one chapter file to the end of another's tasks."""
    text = (P / "chapters" / f"{source}.yaml").read_text(encoding="utf-8")
    start = text.index(f"  - id: {task}\n")
    end = min(i for i in (text.find("\n  - id: ", start + 1), text.find("\nresponsibility:", start)) if i > 0) + 1
    (P / "chapters" / f"{source}.yaml").write_text(text[:start] + text[end:], encoding="utf-8")
    edit(P / "chapters" / f"{target}.yaml", "responsibility:", text[start:end] + "responsibility:")


def insert_task(chapter: str, before: str, ident: str, title: str, body: str) -> None:
    edit(
        P / "chapters" / f"{chapter}.yaml",
        f"  - id: {before}\n",
        f"  - id: {ident}\n    title: {title}\n    body: {body}\n  - id: {before}\n",
    )


def delete_task(chapter: str, task: str) -> None:
    text = (P / "chapters" / f"{chapter}.yaml").read_text(encoding="utf-8")
    start = text.index(f"  - id: {task}\n")
    end = text.index("\n  - id: ", start + 1) + 1
    (P / "chapters" / f"{chapter}.yaml").write_text(text[:start] + text[end:], encoding="utf-8")


# --- the office's words ----------------------------------------------------------------------------


def test_the_office_s_words(repo: Path) -> None:
    insert_task(
        "youth", "youth-higher-education", "youth-digital", "实施数字科普进校园行动", "推动数字科普资源进校园。"
    )
    move_task("info-smart", "informatization", "infrastructure")
    edit(
        P / "chapters/farmers.yaml",
        "发动农民参与全国农民科学素质网络知识竞赛",
        "发动农民参与全省农民科学素质网络知识竞赛",
    )
    delete_task("elderly", "elderly-health")
    edit(
        P / "chapters/workers.yaml",
        "  leads:\n    - 区人社局\n    - 区总工会\n",
        "  leads:\n    - 区委宣传部\n    - 区人社局\n    - 区总工会\n",
    )
    edit(P / "chapters/workers.yaml", "  participants:\n    - 区委宣传部\n", "  participants:\n")
    out = zh("diff", "HEAD")
    assert "在二（一）中新增一条，作为第3条，原第3至7条依次顺延（实施数字科普进校园行动）" in out
    assert "将原三（二）3．移至三（三），作为第4条" in out
    assert '二（二）1．实施高素质农民培育计划：将"全国"修改为"全省"' in out
    assert "删除原二（四）2．，原第3条提前为第2条（实施老年人健康科普行动）" in out
    assert "二（三）产业工人科学素质提升行动：区委宣传部由参加单位调整为牵头单位" in out
    # renumbering summarised, never listed task by task; the count is the lines printed, and the JSON's
    lines = [line for line in out.splitlines() if line[:3] in ("  +", "  -", "  ~")]
    found = data("HEAD")
    assert found["count"] == len(found["changes"]) == len(lines) == 5
    assert re.match(r"\d+年\d+月\d+日稿（修改前） → \d+年\d+月\d+日稿（修改后），共5处变化\n", out)
    md = zh("diff", "HEAD", "-f", "md")
    assert md.count("\n- ") == 5 and "共5处变化" in md
    english = run("diff", "HEAD").stdout
    assert "add an item to 二（一） as item 3, items 3 to 7 move down one" in english
    assert 'change "全国" to "全省"' in english and "区委宣传部 moved from participant to lead" in english


def test_a_move_reorder_and_renumbering_in_one_action(repo: Path) -> None:
    text = (P / "chapters/youth.yaml").read_text(encoding="utf-8")
    a, b = text.index("  - id: youth-talent\n"), text.index("  - id: youth-rural\n")
    talent = text[a:b]
    text = text[:a] + text[b:]
    text = text.replace("  - id: youth-higher-education\n", talent + "  - id: youth-higher-education\n")
    (P / "chapters/youth.yaml").write_text(text, encoding="utf-8")
    found = data("HEAD")["changes"]
    assert [(c["kind"], c["subject"]) for c in found] == [("reordered", "youth-talent")]
    assert zh("diff", "HEAD").count("将二（一）原第5条调整为第3条，原第3至4条依次顺延") == 1


def test_several_insertions_in_one_action_are_summarised_once(repo: Path) -> None:
    insert_task("youth", "youth-higher-education", "youth-new-a", "甲项任务", "甲。")
    insert_task("youth", "youth-rural", "youth-new-b", "乙项任务", "乙。")
    found = data("HEAD")["changes"]
    assert sorted(c["kind"] for c in found) == ["added", "added", "renumbered"]
    out = zh("diff", "HEAD")
    assert "二（一）原第3至5条依次顺延，原第6至7条改为第8至9条" in out


def test_a_new_chapter_of_two_paragraphs_is_one_row(repo: Path) -> None:
    (P / "chapters/evaluation.yaml").write_text(
        "id: evaluation\ntitle: 监测评估\nparagraphs:\n- 开展监测评估。\n- 评估结果向社会公开。\n", encoding="utf-8"
    )
    edit(P / "parts/implementation.yaml", "  - schedule", "  - evaluation\n  - schedule")
    text = (P / "chapters/organisation.yaml").read_text(encoding="utf-8")
    table = zh("diff", "HEAD", "-f", "table")
    rows = [line for line in table.splitlines() if line.startswith("| ") and line[2].isdigit()]
    assert len(rows) == 1
    number, old, new, note = rows[0].strip("| ").split(" | ")
    assert (number, old) == ("1", "（无）")
    assert new == "**（四）监测评估**<br>**开展监测评估。**<br>**评估结果向社会公开。**"
    assert note.startswith("在第四部分中新增一项，作为（四），原（四）顺延为（五）")
    assert "组织保障" in text  # the other two-paragraph chapter, removed: one row, its 。 kept
    shutil.copy(P / "chapters/organisation.yaml", "organisation.yaml")
    edit(P / "parts/implementation.yaml", "  - organisation\n", "")
    (P / "chapters/organisation.yaml").unlink()
    result = run("--lang", "zh", "diff", "HEAD", "-f", "docx", "-o", "对照表.docx")
    assert result.exit_code == 0, result.output
    table = docx.Document("对照表.docx").tables[0]
    removed = next(row for row in table.rows if row.cells[1].text.startswith("（一）组织保障"))
    assert [p.text for p in removed.cells[0].paragraphs] == [removed.cells[0].text]  # just the number
    paragraphs = [p.text for p in removed.cells[1].paragraphs]
    assert len(paragraphs) == 3 and paragraphs[1].startswith("区全民科学素质纲要实施工作办公室各成员单位")
    assert paragraphs[2].endswith("推动全民科学素质的提升。")
    assert all(r.font.strike for p in removed.cells[1].paragraphs for r in p.runs)
    assert removed.cells[2].text == "（删除）"
    assert all(
        row._tr.trPr is not None and row._tr.trPr.find(docx.oxml.ns.qn("w:cantSplit")) is not None for row in table.rows
    )


def test_only_document_text_in_the_table(repo: Path) -> None:
    edit(P / "chapters/grassroots.yaml", "全区居民健康素养水平不低于25%", "全区居民健康素养水平不低于30%")
    edit(P / "targets.yaml", "value: 25", "value: 30")
    edit(P / "targets.yaml", "quote: 全区居民健康素养水平不低于25%", "quote: 全区居民健康素养水平不低于30%")
    edit(P / "units.yaml", "aliases: [教育局]", "aliases: [教育局, 区教体局]")
    edit(P / "schedule.yaml", "      start: 2025", "      start: 2024")
    table = zh("diff", "HEAD", "-f", "table")
    rows = [line for line in table.splitlines() if line.startswith("| ") and line[2].isdigit()]
    assert len(rows) == 1  # the target's words: one row, the target's change in its 说明
    assert '将"25%"修改为"30%"' in rows[0] and '将目标"居民健康素养水平不低于25%"调整为' in rows[0]
    notes = table.split("说明：", 1)[1]
    assert "区教育局的别名由" in notes and "进度安排" in notes and "不低于25%" not in notes


# --- one unit's view -------------------------------------------------------------------------------


def test_a_line_changed_for_other_units_only(repo: Path) -> None:
    edit(P / "chapters/workers.yaml", "    - 区妇联\n", "")
    outside = run("diff", "HEAD", "--unit", "区委组织部", "--exit-code")  # not in 二（三）'s line
    assert outside.exit_code == 0 and outside.stdout.startswith("no changes for 区委组织部 from the text of")
    assert outside.stdout.endswith(": its task letter does not change\n")
    md = zh("diff", "HEAD", "--unit", "区委组织部", "-f", "md")
    assert "共0处变化" in md and "无变化" in md
    inside = run("diff", "HEAD", "--unit", "区总工会", "--exit-code")  # leads 二（三）: its co-workers changed
    assert inside.exit_code == 1 and inside.stdout.startswith("1 change for 区总工会")
    table = zh("diff", "HEAD", "--unit", "区总工会", "-f", "table")
    assert "区妇联不再作为参加单位" in table and "单位名称随更名调整" not in table


def test_a_moved_task_as_each_unit_sees_it(repo: Path) -> None:
    move_task("info-creation", "informatization", "infrastructure")
    edit(
        P / "chapters/infrastructure.yaml",
        "  leads:\n    - 区科工信局\n",
        "  leads:\n    - 区乡村振兴局\n    - 区科工信局\n",
    )
    moved = "将原三（二）1．移至三（三），作为第4条，三（二）原第2至3条依次提前（实施繁荣科普文艺创作计划）"
    lost = zh("diff", "HEAD", "-u", "区融媒体中心")  # took part in 三（二）, not in 三（三）
    assert moved + "，区融媒体中心不再承担此项任务（原为参加）" in lost
    assert "序号由" not in lost
    gained = zh("diff", "HEAD", "-u", "区乡村振兴局")
    assert moved + "，区乡村振兴局新承担此项任务（牵头）" in gained
    assert "增加区乡村振兴局为牵头单位" in gained
    both = data("HEAD", "-u", "区科工信局")["changes"]
    moved = next(c for c in both if c["kind"] == "moved")
    assert (moved["impact"], moved["old_role"], moved["new_role"]) == ("kept", "lead", "lead")
    assert data("HEAD", "-u", "区委组织部")["count"] == 0  # works on neither action


def test_plan_wide_changes_concern_every_unit(repo: Path) -> None:
    # the period and a milestone's years alone: no letter says them, so no letter changes, and no
    # unit's view holds anything (a change that touches no letter re-issues none)
    edit(P / "schedule.yaml", "      start: 2025", "      start: 2024")
    edit(P / "document.yaml", "  period:\n    start: 2021\n    end: 2025", "  period:\n    start: 2021\n    end: 2026")
    assert data("HEAD", "--affected")["units"] == []
    for unit in ("区委组织部", "区融媒体中心", "区国动办"):
        assert run("diff", "HEAD", "-u", unit, "--exit-code").exit_code == 0
    # the schedule's words are in every letter: now every view holds the plan-wide changes, once each
    edit(P / "chapters/schedule.yaml", "》,按照", "》，按照")
    edit(P / "schedule.yaml", "》,按照", "》，按照")
    for unit in ("区委组织部", "区融媒体中心", "区国动办"):
        result = run("diff", "HEAD", "-u", unit, "--exit-code")
        assert result.exit_code == 1 and "(concerns every unit)" in result.stdout
    found = data("HEAD", "-u", "区国动办")["changes"]
    assert sorted(c["kind"] for c in found) == ["milestone-changed", "period", "text"]
    assert all(c["everyone"] and c["impact"] == "plan-wide" for c in found)
    assert "将实施期限由2021-2025年调整为2021-2026年（涉及所有单位）" in zh("diff", "HEAD", "-u", "区国动办")
    assert len(data("HEAD", "--affected")["units"]) == 26


# --- the letters to re-issue -------------------------------------------------------------------------


def test_affected_lists_the_letters_that_change(repo: Path) -> None:
    edit(P / "chapters/youth.yaml", "积极探索适应不同年龄段青少年", "积极探索适合不同年龄青少年")  # 区教育局 leads it
    result = run("diff", "HEAD", "--affected", "-f", "json", "--exit-code")
    assert result.exit_code == 1
    units = {u["name"]: u for u in json.loads(result.stdout)["units"]}
    assert list(units) == ["区教育局", "团区委", "区科协"]  # the leads: their letters quote the task in full
    assert "区妇联" not in units  # takes part in 二（一）: its letter names the task, not its words
    assert units["区教育局"]["status"] == "changed" and units["区教育局"]["changes"] == 1
    move_task("info-smart", "informatization", "infrastructure")
    units = {u["name"]: u for u in data("HEAD", "--affected")["units"]}
    assert "区融媒体中心" in units and "区国动办" in units  # lost and gained a task
    assert "区人民政府" not in units  # oversees the work: no letter
    csv = run("diff", "HEAD", "--affected", "-f", "csv").stdout
    assert csv.startswith("\ufeffid,name,status,reason,changes\n")
    assert "需要重新印发" in zh("diff", "HEAD", "--affected")
    assert run("diff", "HEAD", "HEAD", "--affected", "--exit-code").exit_code == 0
    assert run("diff", "HEAD", "--affected", "-f", "docx", "-o", "x.docx").exit_code == 2


def test_affected_when_a_unit_gains_its_first_tasks(repo: Path) -> None:
    edit(P / "chapters/youth.yaml", "    - 区妇联\n", "    - 区妇联\n    - 区国动办\n")
    edit(P / "chapters/infrastructure.yaml", "    - 区国动办\n", "")
    units = {u["id"]: u["status"] for u in data("HEAD", "--affected")["units"]}
    assert units.get("civil-defence") == "changed"
    for path in (P / "chapters").glob("*.yaml"):
        path.write_text(path.read_text(encoding="utf-8").replace("    - 区国动办\n", ""), encoding="utf-8")
    assert {u["id"]: u["status"] for u in data("HEAD", "--affected")["units"]}["civil-defence"] == "withdrawn"


# --- revision records --------------------------------------------------------------------------------

RECORDS = """\
versions:
  - id: original
    name: 2022年印发稿
    number: 青政办发〔2022〕5号
    date: 2022-03-15
    approved_by: 县人民政府
    approved_at: 县人民政府第3次常务会议
    git: v2022
    source_text: source/qingshan-plan.txt
current:
  {current}
"""


@pytest.fixture
def county(workdir: Path) -> Path:
    """The made-up county's plan with its record of issued versions, tagged v2022 in git."""
    shutil.copytree(FIXTURE, workdir / "plan")
    (workdir / "plan/revisions.yaml").write_text(RECORDS.format(current="version: original"), encoding="utf-8")
    git(workdir, "init", "-q", "-b", "main")
    commit(workdir, "2022")
    git(workdir, "tag", "v2022")
    return workdir


def test_the_issued_version_is_checked_against_its_text(county: Path) -> None:
    assert run("validate", "--strict").exit_code == 0
    edit(P / "chapters/youth.yaml", "title: 上好科学课", "title: 上好每一节科学课")
    result = run("validate", "-f", "plain")
    assert result.exit_code == 1
    assert "differs from the issued text of 2022年印发稿 (青政办发〔2022〕5号, 2022年3月15日)" in result.stdout


def test_a_draft_validates_and_keeps_the_provenance(county: Path) -> None:
    edit(P / "chapters/youth.yaml", "title: 上好科学课", "title: 上好每一节科学课")
    edit(P / "revisions.yaml", "version: original", "draft_of: original\n  name: 2024年中期修订稿")
    assert run("validate", "--strict").exit_code == 0
    (P / "source/qingshan-plan.txt").unlink()  # the issued text must stay
    result = run("validate", "-f", "plain")
    assert result.exit_code == 1 and "error revisions: cannot read the issued text" in result.stdout


@pytest.mark.parametrize(
    ("current", "message"),
    [
        ("version: orignal", "no issued version 'orignal'; did you mean original?"),
        ("version: original\n  draft_of: original", "either the issued version the data is"),
        ("{}", "either the issued version the data is"),
        ("version: original\n  name: 草案", "only a draft (draft_of) has a working name"),
    ],
)
def test_records_that_do_not_add_up(county: Path, current: str, message: str) -> None:
    (P / "revisions.yaml").write_text(RECORDS.format(current=current), encoding="utf-8")
    result = run("validate", "-f", "plain")
    assert result.exit_code == 1 and message in result.stdout, result.stdout
    assert "plan/revisions.yaml:" in result.stdout


def test_versions_out_of_order(county: Path) -> None:
    (P / "revisions.yaml").write_text(
        RECORDS.format(current="version: original").replace(
            "current:",
            "  - id: revision\n    name: 2021年修订稿\n    date: 2021-01-01\n    approved_by: 县人民政府\ncurrent:",
        ),
        encoding="utf-8",
    )
    result = run("validate", "-f", "plain")
    assert "plan/revisions.yaml:12:11: error revisions: revision (2021-01-01) is listed after original" in result.stdout


def test_diff_names_revisions_by_their_records(county: Path) -> None:
    edit(P / "chapters/youth.yaml", "title: 上好科学课", "title: 上好每一节科学课")
    edit(P / "revisions.yaml", "version: original", "draft_of: original\n  name: 2024年中期修订稿")
    out = zh("diff", "v2022")
    assert out.startswith("2022年印发稿（青政办发〔2022〕5号，2022年3月15日） → 2024年中期修订稿，共1处变化")
    assert "v2022" not in out and "工作区" not in out  # officials' words only
    found = data("v2022")
    assert (
        found["old_version"]["number"] == "青政办发〔2022〕5号" and found["old_version"]["approved_by"] == "县人民政府"
    )
    assert found["new_version"] == {"draft_of": "original", "name": "2024年中期修订稿"}
    result = run("--lang", "zh", "diff", "v2022", "-f", "redline", "-o", "修订稿.docx")
    assert result.exit_code == 0, result.output
    xml = _document_xml("修订稿.docx")
    assert 'w:author="青山县全民科学素质工作领导小组办公室"' in xml


def _document_xml(path: str) -> str:
    import zipfile

    with zipfile.ZipFile(path) as z:
        return z.read("word/document.xml").decode("utf-8")


def test_textconv_shows_the_records(county: Path) -> None:
    out = run("textconv", P / "revisions.yaml").stdout
    assert out.startswith("revisions\n")
    assert "  number: 青政办发〔2022〕5号\n" in out and "current:\n  version: original\n" in out
    assert "other keys" not in out


# --- git set-up ------------------------------------------------------------------------------------------


def test_git_setup_works_without_kpsy_on_the_path(repo: Path) -> None:
    (repo / ".gitattributes").unlink(missing_ok=True)
    result = run("git-setup")
    assert result.exit_code == 0
    assert "set diff.kpsy.textconv to" in result.stderr and "added plan/**/*.yaml diff=kpsy" in result.stderr
    assert git(repo, "config", "diff.kpsy.textconv").strip() == f"{sys.executable} -m kpsy textconv"
    assert (repo / ".gitattributes").read_text(encoding="utf-8") == "plan/**/*.yaml diff=kpsy\n"
    again = run("git-setup")
    assert "already" in again.stderr and (repo / ".gitattributes").read_text(encoding="utf-8").count("diff=kpsy") == 1
    edit(P / "chapters/cadres.yaml", "重点加强应急和社会治理能力教育培训", "重点加强应急管理和社会治理能力教育培训")
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}
    env["PATH"] = "/usr/bin:/bin"  # no kpsy, no virtual environment
    proc = subprocess.run(["git", "diff"], cwd=repo, env=env, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert "+  围绕重大疫情等突发公共事件，重点加强应急管理和社会治理能力教育培训。" in proc.stdout


def test_git_setup_outside_a_repository(workdir: Path) -> None:
    shutil.copytree(PLAN, workdir / "plan")
    result = run("git-setup")
    assert result.exit_code == 2 and "not inside a git repository" in result.stderr


# --- through the cache -----------------------------------------------------------------------------------


def test_diff_reads_both_revisions_through_the_cache(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KPSY_CACHE_DIR", str(repo.parent / "cache-of-this-test"))
    assert run("validate").exit_code == 0  # the committed plan, read as the working tree
    edit(P / "chapters/youth.yaml", "积极探索适应不同年龄段青少年", "积极探索适合不同年龄青少年")
    parsed: list[str] = []
    import kpsy.plan.load as load

    real = load.load_bytes

    def counting(raw: bytes, cls: type, file: str):  # type: ignore[no-untyped-def]
        parsed.append(file)
        return real(raw, cls, file)

    monkeypatch.setattr(load, "load_bytes", counting)
    assert data("HEAD")["count"] == 1
    assert parsed == ["plan/chapters/youth.yaml"]  # HEAD was validated as the working tree; one file changed
    parsed.clear()
    assert data("HEAD")["count"] == 1
    assert parsed == []  # both revisions cached

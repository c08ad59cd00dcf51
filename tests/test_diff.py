"""kpsy diff on real git repositories built in a temporary folder: every kind of change, every format."""

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

pytestmark = pytest.mark.usefixtures("english")  # these tests read kpsy's English messages

ENV = {
    "GIT_AUTHOR_NAME": "kpsy",
    "GIT_AUTHOR_EMAIL": "kpsy@example.org",
    "GIT_COMMITTER_NAME": "kpsy",
    "GIT_COMMITTER_EMAIL": "kpsy@example.org",
    "GIT_CONFIG_NOSYSTEM": "1",
}


def git(repo: Path, *args: str) -> str:
    proc = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, env={**os.environ, **ENV})
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


@pytest.fixture
def repo(workdir: Path) -> Path:
    """A git repository holding the real plan in one commit; the current folder is its root."""
    git(workdir, "init", "-q", "-b", "main")
    shutil.copytree(PLAN, workdir / "plan")
    # a revised plan departs from the original on purpose
    edit(workdir / "plan" / "document.yaml", "  source_text: source/yanfeng-plan-2021-2025.txt\n", "")
    git(workdir, "add", "-A")
    git(workdir, "commit", "-qm", "plan")
    return workdir


def commit(repo: Path, message: str = "change") -> None:
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", message)


def changes(*args: str) -> list[dict]:
    result = run("diff", *args, "--format", "json")
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["changes"]


def kinds(found: list[dict]) -> list[tuple[str, str]]:
    return [(c["kind"], c["subject"]) for c in found]


P = Path("plan")


def test_no_changes(repo: Path) -> None:
    result = run("diff", "HEAD", "--exit-code")
    assert result.exit_code == 0
    # no record in revisions.yaml: each revision is named by its day, never by git's names
    assert re.fullmatch(r"no changes from the text of .+ \(before\) to the text of .+ \(after\)\n", result.stdout)
    assert "HEAD" not in result.stdout
    assert changes("HEAD") == []


def test_text_change_is_word_level(repo: Path) -> None:
    edit(P / "chapters/youth.yaml", "积极探索适应不同年龄段青少年", "积极探索适合不同年龄青少年")
    commit(repo)
    found = changes("HEAD~1", "HEAD")
    assert kinds(found) == [("text", "youth-basic-education")]
    c = found[0]
    assert (c["type"], c["field"], c["old_number"], c["new_number"]) == ("task", "body", "二（一）2．", "二（一）2．")
    assert [-1, "适应"] in c["ops"] and [1, "适合"] in c["ops"] and [-1, "年龄段"] in c["ops"]
    assert "".join(t for op, t in c["ops"] if op <= 0) == c["old"]
    assert "".join(t for op, t in c["ops"] if op >= 0) == c["new"]


def test_title_change_is_separate_from_body(repo: Path) -> None:
    edit(P / "chapters/cadres.yaml", "title: 加强科学素质教育培训", "title: 加强科学素质教育和培训")
    edit(P / "chapters/cadres.yaml", "增强把握科学发展规律的能力", "增强把握科学规律的能力")
    found = changes("HEAD")
    assert kinds(found) == [("title", "cadres-training"), ("text", "cadres-training")]
    assert found[0]["ops"] == [[0, "加强科学素质教育"], [1, "和"], [0, "培训"]]


def test_added_removed_and_renumbered_tasks(repo: Path) -> None:
    edit(
        P / "chapters/farmers.yaml",
        "  - id: farmers-rural-revitalization",
        "  - id: farmers-digital\n    title: 实施数字乡村科普行动\n    body: 推动数字技术进村入户。\n  - id: farmers-rural-revitalization",
    )
    text = (P / "chapters/elderly.yaml").read_text(encoding="utf-8")
    a, b = text.index("  - id: elderly-silver-age"), text.index("responsibility:")
    (P / "chapters/elderly.yaml").write_text(text[:a] + text[b:], encoding="utf-8")
    commit(repo)
    found = {(c["kind"], c["subject"]): c for c in changes("HEAD~1", "HEAD")}
    # the tasks after the new one are renumbered, which is said with the insertion, not task by task
    assert set(kinds(list(found.values()))) == {("added", "farmers-digital"), ("removed", "elderly-silver-age")}
    added = found["added", "farmers-digital"]
    assert added["new_number"] == "二（二）2．"
    assert [(s["ids"], s["old"], s["new"]) for s in added["shifts"]] == [
        (["farmers-rural-revitalization", "farmers-remote-villages"], [2, 3], [3, 4])
    ]
    assert found["removed", "elderly-silver-age"]["old_number"] == "二（四）3．"
    assert found["removed", "elderly-silver-age"]["shifts"] == []  # it was the last of its action


def test_task_moved_to_another_action(repo: Path) -> None:
    text = (P / "chapters/elderly.yaml").read_text(encoding="utf-8")
    a, b = text.index("  - id: elderly-silver-age"), text.index("responsibility:")
    task = text[a:b]
    (P / "chapters/elderly.yaml").write_text(text[:a] + text[b:], encoding="utf-8")
    edit(P / "chapters/workers.yaml", "responsibility:", task + "responsibility:")
    found = changes("HEAD")
    assert kinds(found) == [("moved", "elderly-silver-age")]
    c = found[0]
    assert (c["old_number"], c["new_number"], c["old"], c["new"]) == (
        "二（四）3．",
        "二（三）5．",
        "elderly",
        "workers",
    )


def test_chapter_and_part_changes(repo: Path) -> None:
    (P / "chapters/evaluation.yaml").write_text(
        "id: evaluation\ntitle: 监测评估\nparagraphs:\n- 开展监测评估。\n", encoding="utf-8"
    )
    edit(P / "parts/implementation.yaml", "  - schedule", "  - evaluation\n  - schedule")
    edit(P / "parts/actions.yaml", "title: 提升行动", "title: 素质提升行动")
    found = {(c["kind"], c["subject"]): c for c in changes("HEAD")}
    assert ("added", "evaluation") in found and found["added", "evaluation"]["new_number"] == "四（四）"
    # 进度安排 moves on from （四） to （五）: said with the chapter that caused it
    assert ("moved", "schedule") not in found
    shift = found["added", "evaluation"]["shifts"]
    assert [(s["ids"], s["old_numbers"], s["new_numbers"]) for s in shift] == [
        (["schedule"], ["（四）"] * 2, ["（五）"] * 2)
    ]
    assert found["title", "actions"]["type"] == "part"


def test_responsibility_changes(repo: Path) -> None:
    edit(P / "chapters/workers.yaml", "    - 区委宣传部\n", "    - 区委宣传部\n    - 区发改局\n")  # participant added
    edit(P / "chapters/workers.yaml", "    - 区妇联\n", "")  # participant removed
    edit(
        P / "chapters/grassroots.yaml",
        "    - 区应急管理局\n    - 区卫健局\n  participants:\n",
        "    - 区卫健局\n  participants:\n    - 区应急管理局\n",
    )
    edit(
        P / "chapters/elderly.yaml",
        "  leads:\n    - 区卫健局\n    - 区民政局\n",
        "  leads:\n    - 区卫健局\n    - 区民政局\n    - 区科协\n",
    )
    edit(P / "chapters/elderly.yaml", "    - 区科协\n  etc: true", "  etc: false")
    edit(P / "chapters/youth.yaml", "    - 团区委\n", "")  # lead removed
    found = changes("HEAD")
    got = {(c["kind"], c["subject"], c["unit"]) for c in found if c["type"] == "responsibility" and c["unit"]}
    assert got == {
        ("participant-added", "workers", "区发改局"),
        ("participant-removed", "workers", "区妇联"),
        ("to-participant", "grassroots", "区应急管理局"),
        ("to-lead", "elderly", "区科协"),
        ("lead-removed", "youth", "团区委"),
    }
    assert ("etc", "elderly") in kinds(found)
    # each changed responsibility line is one row of the comparison table, quoting the whole line
    table = run("--lang", "zh", "diff", "HEAD", "-f", "table").stdout
    rows = [line for line in table.splitlines() if line.startswith("| ") and "责任分工" in line]
    assert len(rows) == 4
    youth = next(row for row in rows if "区教育局、~~团区委、~~区科协牵头" in row)
    assert youth.split(" | ")[1].startswith("（责任分工：由区教育局、~~团区委、~~区科协牵头")
    assert "团区委不再作为牵头单位" in youth.split(" | ")[3]


def test_registry_rename_keeps_responsibility_stable(repo: Path) -> None:
    for path in (P / "chapters").glob("*.yaml"):
        path.write_text(path.read_text(encoding="utf-8").replace("区科工信局", "区科技局"), encoding="utf-8")
    edit(P / "units.yaml", "    name: 区科工信局\n", "    name: 区科技局\n")
    edit(P / "units.yaml", "    aliases: [科工信局]", "    aliases: [科工信局, 区科工信局]")
    edit(
        P / "units.yaml", "  # Other bodies", "  - id: audit\n    name: 区审计局\n    kind: 政府部门\n  # Other bodies"
    )
    edit(P / "units.yaml", "    kind: 事业单位\n", "    kind: 党委部门\n")
    commit(repo)
    found = changes("HEAD~1", "HEAD")
    renamed = [c for c in found if c["kind"] == "unit-renamed"]
    assert [(c["old"], c["new"], c["note"]) for c in renamed] == [("区科工信局", "区科技局", "old name kept as alias")]
    assert ("unit-added", "audit") in kinds(found)
    assert any(c["kind"] == "unit-changed" and c["field"] == "kind" and c["new"] == "党委部门" for c in found)
    # matched by id: a renamed unit does not change anyone's role
    assert not [c for c in found if c["type"] == "responsibility"]


def test_unit_removed(repo: Path) -> None:
    for path in (P / "chapters").glob("*.yaml"):
        path.write_text(path.read_text(encoding="utf-8").replace("    - 区国动办\n", ""), encoding="utf-8")
    text = (P / "units.yaml").read_text(encoding="utf-8")
    a = text.index("  - id: civil-defence")
    b = text.index("  # 驻区单位")
    (P / "units.yaml").write_text(text[:a] + text[b:], encoding="utf-8")
    found = kinds(changes("HEAD"))
    assert ("unit-removed", "civil-defence") in found
    assert ("participant-removed", "infrastructure") in found


def test_targets_and_milestones(repo: Path) -> None:
    edit(P / "chapters/grassroots.yaml", "全区居民健康素养水平不低于25%", "全区居民健康素养水平不低于30%")
    edit(P / "targets.yaml", "value: 25", "value: 30")
    edit(P / "targets.yaml", "quote: 全区居民健康素养水平不低于25%", "quote: 全区居民健康素养水平不低于30%")
    edit(P / "schedule.yaml", "      start: 2025", "      start: 2024")
    found = {(c["kind"], c["subject"]): c for c in changes("HEAD")}
    # one change for each target: its quote moving with the text is the text's change, reported once
    target = found["target-changed", "health-literacy-level"]
    assert (target["field"], target["old"], target["new"]) == ("value", {"value": 25}, {"value": 30})
    assert target["everyone"] and target["item"] == "grassroots-capacity"
    assert found["milestone-changed", "final-review"]["new"] == {"period.start": 2024}
    assert ("text", "grassroots-capacity") in found
    assert len(found) == 3


@pytest.fixture
def revised(repo: Path) -> Path:
    edit(P / "chapters/youth.yaml", "积极探索适应不同年龄段青少年", "积极探索适合不同年龄青少年")
    edit(P / "chapters/workers.yaml", "    - 区委宣传部\n", "    - 区委宣传部\n    - 区发改局\n")
    edit(P / "chapters/cadres.yaml", "title: 加强科学素质教育培训", "title: '加强*科学*素质|教育培训'")
    commit(repo, "revise")
    return repo


def test_text_format(revised: Path) -> None:
    out = run("diff", "HEAD~1").stdout
    assert re.match(r"3 changes from the text of .+ to the text of .+\n", out) and "HEAD" not in out
    assert len([line for line in out.splitlines() if line.startswith("  ") and line[2] in "+-~"]) == 3
    assert "积极探索[-适应-]{+适合+}不同[-年龄段-]{+年龄+}青少年" in out
    assert "二（三）产业工人科学素质提升行动: 区发改局 added as participant" in out
    assert "\x1b[" not in out


def test_md_format(revised: Path) -> None:
    out = run("--lang", "zh", "diff", "HEAD~1", "HEAD", "-f", "md").stdout
    assert re.match(r"# 修订说明\n\n比较：\d+年\d+月\d+日稿（修改前） → \d+年\d+月\d+日稿（修改后），共3处变化。", out)
    assert "积极探索~~适应~~**适合**不同~~年龄段~~**年龄**青少年" in out
    assert "- 二（三）产业工人科学素质提升行动：增加区发改局为参加单位" in out
    assert r"加强\*科学\*素质\|教育培训" in out


def test_comparison_table_md_and_docx(revised: Path) -> None:
    out = run("--lang", "zh", "diff", "HEAD~1", "HEAD", "-f", "table").stdout
    assert "| 序号 | 原条文 | 修改后条文 | 说明 |" in out
    row = next(line for line in out.splitlines() if line.startswith("| 1 |"))
    # the cells quote the paragraph as the document prints it; the 说明 names the task in full
    assert "| 2．推进基础教育阶段科学教育。积极探索~~适应~~不同~~年龄段~~青少年" in row
    assert "积极探索**适合**不同**年龄**青少年" in row
    assert row.endswith('二（一）2．推进基础教育阶段科学教育：将"适应"修改为"适合"；将"年龄段"修改为"年龄" |')
    line_row = next(line for line in out.splitlines() if "增加区发改局为参加单位" in line)
    assert "区委宣传部、**区发改局、**区教育局" in line_row
    result = run("--lang", "zh", "diff", "HEAD~1", "HEAD", "-f", "docx", "-o", "对照表.docx")
    assert result.exit_code == 0, result.output
    d = docx.Document("对照表.docx")
    assert d.sections[0].orientation.name == "LANDSCAPE"
    table = d.tables[0]
    assert [c.text for c in table.rows[0].cells] == ["序号", "原条文", "修改后条文", "说明"]
    old_cell = table.rows[1].cells[1].paragraphs[0]
    # kpsy breaks the cells' lines itself (w:br, "\n" in a run's text): the words are the plan's
    struck = "".join(r.text for r in old_cell.runs if r.font.strike).replace("\n", "")
    assert struck == "适应年龄段"
    new_cell = table.rows[1].cells[2].paragraphs[0]
    assert "".join(r.text for r in new_cell.runs if r.font.bold).replace("\n", "") == "适合年龄"
    assert any("加强*科学*素质|教育培训" in c.text.replace("\n", "") for row in table.rows for c in row.cells)


def test_json_format_is_documented(revised: Path) -> None:
    data = json.loads(run("diff", "HEAD~1", "HEAD", "-f", "json").stdout)
    assert set(data) == {
        "old",
        "new",
        "old_revision",
        "new_revision",
        "old_version",
        "new_version",
        "unit",
        "title",
        "count",
        "changes",
    }
    assert (data["old_revision"], data["new_revision"]) == ("HEAD~1", "HEAD")  # for programs, not for officials
    assert data["count"] == len(data["changes"])
    keys = {
        "kind",
        "type",
        "subject",
        "title",
        "old_number",
        "new_number",
        "field",
        "old",
        "new",
        "ops",
        "unit",
        "units",
        "note",
        "position",
        "statement",
        "everyone",
        "old_title",
        "item",
        "shifts",
        "impact",
        "old_role",
        "new_role",
        "from_ids",
        "into_ids",
        "items",
        "recorded",
    }
    assert all(set(c) == keys for c in data["changes"])
    from kpsy.revisions.diff import KINDS

    assert {c["kind"] for c in data["changes"]} <= set(KINDS)


def test_unit_filter(revised: Path) -> None:
    found = changes("HEAD~1", "HEAD", "--unit", "发改局")
    assert kinds(found) == [("participant-added", "workers")]
    found = changes("HEAD~1", "HEAD", "--unit", "区教育局")  # works on 二（一）2 and 二（五）? no: not in cadres
    assert ("text", "youth-basic-education") in kinds(found)
    assert ("title", "cadres-training") not in kinds(found)
    out = run("diff", "HEAD~1", "HEAD", "--unit", "区发改局").stdout
    assert re.match(r"1 change for 区发改局 from .+: its task letter changes\n", out) and "HEAD" not in out
    assert run("diff", "HEAD~1", "--unit", "区教育厅").exit_code == 2


def test_unit_gaining_and_losing_tasks(repo: Path) -> None:
    edit(P / "chapters/youth.yaml", "    - 区妇联\n", "")
    edit(
        P / "chapters/farmers.yaml",
        "  - id: farmers-rural-revitalization",
        "  - id: farmers-digital\n    title: 实施数字乡村科普行动\n  - id: farmers-rural-revitalization",
    )
    found = kinds(changes("HEAD", "--unit", "区妇联"))
    assert ("participant-removed", "youth") in found  # lost the seven tasks of 二（一）
    assert ("added", "farmers-digital") in found  # gained a task where it participates
    assert all(subject != "cadres-training" for _, subject in found)


def test_working_tree_default_touches_nothing(repo: Path) -> None:
    edit(P / "chapters/youth.yaml", "积极探索适应", "积极探索适合")
    status = git(repo, "status", "--porcelain")
    head = git(repo, "rev-parse", "HEAD")
    assert kinds(changes("HEAD")) == [("text", "youth-basic-education")]
    assert git(repo, "status", "--porcelain") == status
    assert git(repo, "rev-parse", "HEAD") == head
    assert git(repo, "diff", "--cached") == ""


def test_exit_code(revised: Path) -> None:
    assert run("diff", "HEAD~1", "HEAD", "--exit-code").exit_code == 1
    assert run("diff", "HEAD", "HEAD", "--exit-code").exit_code == 0
    assert run("diff", "HEAD~1", "HEAD").exit_code == 0


def test_two_plan_folders(workdir: Path) -> None:
    shutil.copytree(PLAN, workdir / "old")
    shutil.copytree(PLAN, workdir / "new")
    edit(workdir / "new/chapters/youth.yaml", "积极探索适应", "积极探索适合")
    found = changes("--old-plan", "old", "--new-plan", "new")
    assert kinds(found) == [("text", "youth-basic-education")]


def test_errors_exit_2(repo: Path, workdir: Path) -> None:
    result = run("diff", "nosuchrev")
    assert result.exit_code == 2 and "unknown git revision 'nosuchrev'" in result.stderr
    assert run("diff").exit_code == 2
    assert run("diff", "HEAD", "--old-plan", "plan").exit_code == 2
    edit(P / "chapters/youth.yaml", "title: 青少年科学素质提升行动", "title: [青少年")
    commit(repo, "broken")
    edit(P / "chapters/youth.yaml", "title: [青少年", "title: 青少年科学素质提升行动")
    result = run("diff", "HEAD")
    assert result.exit_code == 2
    assert "the plan in HEAD does not load" in result.stderr
    assert "HEAD:plan/chapters/youth.yaml:4:5: did not find expected" in result.stderr
    assert "Traceback" not in result.output


def test_outside_a_repository(workdir: Path) -> None:
    shutil.copytree(PLAN, workdir / "plan")
    result = run("diff", "HEAD")
    assert result.exit_code == 2 and "not inside a git repository" in result.stderr


def test_textconv_is_readable_and_never_hides_a_change(workdir: Path) -> None:
    out = run("textconv", PLAN / "chapters" / "cadres.yaml").stdout
    assert out.startswith("chapter cadres: 领导干部和公务员科学素质提升行动\n")
    assert "\ntask cadres-training: 加强科学素质教育培训\n" in out
    assert "\n  围绕重大疫情等突发公共事件，重点加强应急和社会治理能力教育培训。\n" in out
    assert "responsibility:\n  leads:\n    区委组织部\n" in out
    broken = workdir / "broken.yaml"
    broken.write_text("id: [x\n", encoding="utf-8")
    shown = run("textconv", broken).stdout  # raw text under a one-line header: textconv never hides a change
    assert shown.startswith("# kpsy textconv: not readable as a plan file (") and shown.endswith("\nid: [x\n")
    units = run("textconv", PLAN / "units.yaml").stdout
    assert units.startswith("units\n\norganisation-dept:\n  name: 区委组织部\n")


def test_git_diff_uses_textconv(repo: Path) -> None:
    (repo / ".gitattributes").write_text("plan/**/*.yaml diff=kpsy\n", encoding="utf-8")
    git(repo, "config", "diff.kpsy.textconv", f"{sys.executable} -m kpsy textconv")
    edit(P / "chapters/cadres.yaml", "重点加强应急和社会治理能力教育培训", "重点加强应急管理和社会治理能力教育培训")
    out = git(repo, "diff")
    assert "-  围绕重大疫情等突发公共事件，重点加强应急和社会治理能力教育培训。" in out
    assert "+  围绕重大疫情等突发公共事件，重点加强应急管理和社会治理能力教育培训。" in out

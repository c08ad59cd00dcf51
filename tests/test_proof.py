"""`kpsy proof` on whole plans: the original's own slips at their lines, a clean plan quiet, errors
planted in a copy found where they were planted (in every form YAML writes a value), the formats,
and `--fix` writing a revision."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

import kpsy
from kpsy.plan.reader import Span, parse
from kpsy.plan.scalars import LineIndex, source_of

from .conftest import PLAN, REPO, edit, run, tree_digest

QINGSHAN = REPO / "tests" / "fixtures" / "qingshan"

# What the original gets wrong, and where (kpsy's settings for letters copy the plan's title too).
ORIGINAL = [
    ("plan/chapters/cadres.yaml", 14, 43, "time-range-dash"),  # 《2019-2022年湖南省干部教育规划》
    ("plan/chapters/schedule.yaml", 5, 43, "time-range-dash"),  # 进度安排: （2021-2025年）
    ("plan/chapters/schedule.yaml", 5, 51, "halfwidth-punctuation"),  # 》,按照责任分工
    ("plan/chapters/schedule.yaml", 5, 75, "time-range-dash"),  # 2023-2024年期间
    ("plan/document.yaml", 4, 39, "time-range-dash"),  # the notice's title
    ("plan/document.yaml", 10, 32, "time-range-dash"),  # the notice's body
    ("plan/document.yaml", 14, 34, "time-range-dash"),  # the plan's title
    ("plan/document.yaml", 19, 35, "cited-document"),  # 国发〔2021〕9号 cited as （2021—2025年）
    ("plan/document.yaml", 19, 73, "book-title-nesting"),  # 《湖南省…关于印发<…>的通知》
    ("plan/document.yaml", 19, 98, "time-range-dash"),
    ("plan/document.yaml", 19, 137, "book-title-nesting"),  # 《衡阳市…关于印发<…>的通知》
    ("plan/document.yaml", 19, 162, "time-range-dash"),
    ("plan/settings.yaml", 8, 44, "time-range-dash"),  # the letters' opening cites the plan's title
]


def places(result: kpsy.api.ProofResult) -> list[tuple[str, int, int, str]]:  # type: ignore[name-defined]
    return [(p.file, p.line, p.col, p.rule) for p in result.proofreading.result().problems]


def test_the_original_gets_these_wrong(plan_copy: Path) -> None:
    assert places(kpsy.proof(plan_copy)) == ORIGINAL


def test_a_clean_plan_is_quiet(workdir: Path) -> None:
    shutil.copytree(QINGSHAN / "plan", workdir / "plan")
    shutil.copytree(QINGSHAN / "progress", workdir / "plan" / "progress")
    result = run("proof")
    assert result.exit_code == 0, result.output
    assert result.stdout == "plan：检查通过，没有问题\n"
    assert places(kpsy.proof(workdir / "plan")) == []


# --- errors planted in a copy, in every form YAML writes text ----------------------------------


def _at(path: Path, needle: str, offset: int = 0) -> tuple[int, int]:
    """The line and column of `needle` (plus `offset` characters) in a file."""
    text = path.read_text(encoding="utf-8")
    return LineIndex(text).at(text.index(needle) + offset)


PROGRESS = """unit: education
period: '2024'
reporter: 陈晓
approver: 刘建国
date: 2024-12-08
tasks:
  - task: youth-basic-education
    status: 达进度
    progress: 完成2023-2024年度任务,进展顺利
"""


class Planter:
    """Errors planted in a copy of the plan, each remembered by a stretch of text unique in its file
    (and the offset of the offending character in it), to be found where it ends up."""

    def __init__(self, plan: Path) -> None:
        self.plan = plan
        self.needles: list[tuple[Path, str, int, str]] = []

    def put(self, path: Path, old: str, new: str, needle: str, rule: str, offset: int = 0) -> None:
        edit(path, old, new)
        self.mark(path, needle, rule, offset)

    def mark(self, path: Path, needle: str, rule: str, offset: int = 0) -> None:
        self.needles.append((path, needle, offset, rule))

    def places(self) -> list[tuple[str, int, int, str]]:
        return [(f"plan/{p.relative_to(self.plan).as_posix()}", *_at(p, n, k), r) for p, n, k, r in self.needles]


def _plant_in_a_chapter(planter: Planter, youth: Path) -> None:
    """Every kind of error, in plain values."""
    planter.put(youth, "好奇心、想象力", "好奇心,想象力", "好奇心,", "halfwidth-punctuation", 3)
    planter.put(youth, "开展“科学家精神进校园”活动", "开展”科学家精神进校园“活动", "开展”", "quote-direction", 2)
    planter.mark(youth, "进校园“", "quote-direction", 3)
    planter.put(youth, "浓厚氛围。", "《浓厚氛围。", "《浓厚", "unbalanced-brackets")
    planter.put(
        youth,
        "落实《湖南省家庭教育促进条例》",
        "落实《关于印发<湖南省家庭教育促进条例>的通知》",
        "<湖南省家庭",
        "book-title-nesting",
    )
    planter.put(youth, "工作条件。", "工作条件，每年培训２０次。", "２０次", "fullwidth-digits")
    planter.put(youth, "科学课程。", "科学课程，覆盖率达到百分之九十。", "百分之九十", "number-style-mixed")
    planter.put(youth, "科普设施组织", "科普设施设施组织", "设施设施", "doubled-character")
    planter.put(youth, "成长规律。", "成长规律，2023年3月-6月集中开展。", "月-6月", "time-range-dash", 1)
    cite = "混合式研修方式（落实《全民科学素质行动规划纲要（2021—2030年）》）"
    planter.put(youth, "混合式研修方式", cite, "2030年", "cited-document")
    planter.put(youth, "课外科技活动。", "课外科技活动...", "动...", "ellipsis", 1)
    planter.put(youth, "强化科技创新后备人才培育", "强化科技创新\u3000后备人才培育", "\u3000", "cjk-space")
    planter.put(
        youth, "拓展校外科普活动内容。", "拓展校外科普活动内容，二〇二五年前完成。", "二〇二五", "number-style-mixed"
    )


def _plant_in_every_form(planter: Planter, plan: Path, youth: Path) -> None:
    """Errors in double-quoted (after an escape), folded, single-quoted and block values."""
    quoted = 'title: "实施\\u519c村青少年的的科学素质提升行动"'
    planter.put(youth, "title: 实施农村青少年科学素质提升行动", quoted, "的的", "doubled-character")
    # a value folded over two lines: the fold after ， is a stray space; a slip on the next line
    folded = "    body: 建立科学、多元的发现和培育机制，\n      对热爱科学。。"
    planter.put(youth, "    body: 建立科学、多元的发现和培育机制，对热爱科学", folded, "培育机制，\n", "cjk-space", 5)
    planter.mark(youth, "。。", "doubled-punctuation")
    single = "title: '完善''工作''机制;做好中期总结'\n"
    planter.put(
        plan / "schedule.yaml",
        "title: 完善工作机制，做好中期总结，配合省公民科学素质调查和中期监测评估\n",
        single,
        "机制;",
        "halfwidth-punctuation",
        2,
    )
    block = "  - |-\n    区人民政府负责 领导当地"
    planter.put(
        plan / "chapters" / "organisation.yaml", "  - 区人民政府负责领导当地", block, "负责 领导", "cjk-space", 2
    )


def _plant_elsewhere(planter: Planter, plan: Path) -> None:
    """The notice, its 文号, a unit's full name, and a unit's progress report."""
    document = plan / "document.yaml"
    planter.put(document, "请认真遵照执行。", "请认真遵照执行。。", "执行。。", "doubled-punctuation", 2)
    planter.put(
        document, "  title: 关于印发", "  number: 雁政办发[2023]05号\n  title: 关于印发", "[2023]", "document-number"
    )
    name = "full_name: 中共衡阳市雁峰区委组织部"
    planter.put(plan / "units.yaml", name, name + "(党委)", "(党委)", "halfwidth-punctuation")
    (plan / "progress" / "2024").mkdir(parents=True)
    report = plan / "progress" / "2024" / "education.yaml"
    report.write_text(PROGRESS, encoding="utf-8")
    planter.mark(report, "3-2024", "time-range-dash", 1)
    planter.mark(report, ",进展", "halfwidth-punctuation")


def test_errors_planted_in_a_copy_are_found_where_they_were_planted(plan_copy: Path) -> None:
    planter = Planter(plan_copy)
    youth = plan_copy / "chapters" / "youth.yaml"
    _plant_in_a_chapter(planter, youth)
    _plant_in_every_form(planter, plan_copy, youth)
    _plant_elsewhere(planter, plan_copy)
    planted = planter.places()
    found = places(kpsy.proof(plan_copy))
    missing = [p for p in planted if p not in found]
    assert missing == []
    others = sorted(set(found) - set(planted))
    assert len(others) == len(ORIGINAL), others  # the original's own slips, and nothing else


def test_the_clean_plan_with_errors_planted_is_not_quiet(workdir: Path) -> None:
    plan = workdir / "plan"
    shutil.copytree(QINGSHAN / "plan", plan)
    edit(plan / "chapters" / "youth.yaml", "推进探究式教学", "推进探究式教学,")
    assert run("proof").exit_code == 1


# --- where each character of a value is written ----------------------------------------------

ALPHABET = list("中文的，。“”（）《》〈〉 -,:'\"\\\t#!a1２\u3000é😀\n")


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet=ALPHABET, min_size=1, max_size=30), st.sampled_from([None, "'", '"', "|", ">"]), st.integers(3, 40)
)
def test_every_character_of_a_value_is_found_where_it_is_written(text: str, style: str | None, width: int) -> None:
    try:
        source = yaml.dump({"k": [text, {"x": text}]}, allow_unicode=True, default_style=style, width=width)
    except yaml.YAMLError:
        return
    spans: dict[tuple[str | int, ...], Span] = {}
    doc, problems = parse(source, "f", spans)
    if problems:
        return
    for path, span in spans.items():
        value = doc.data
        for step in path:
            value = value[step]
        chars = source_of(source, span, value)
        assert chars is not None, (source, path)
        for char, start, end in chars:
            written = source[start:end]
            assert written == char or written.startswith(("\\", "''", "\n")), (source, char, written)


# --- the command line ----------------------------------------------------------------------------


def test_exit_status_and_formats(plan_copy: Path) -> None:
    table = run("proof")
    assert table.exit_code == 1
    assert "plan/document.yaml" in table.stdout and "2019-2022年 → 2019" in table.stdout
    assert "共 13 处问题，其中 13 处可由 `kpsy proof --fix` 自动修正" in table.stdout
    data = json.loads(run("proof", "-f", "json").stdout)
    assert data["ok"] is False and len(data["problems"]) == 13
    cited = next(p for p in data["problems"] if p["rule"] == "cited-document")
    assert cited | {"message": ""} == {
        "file": "plan/document.yaml",
        "line": 19,
        "col": 35,
        "rule": "cited-document",
        "level": "error",
        "message": "",
        "clause": "国发〔2021〕9号，国务院，2021年6月3日",
        "found": "2021—2025年",
        "suggested": "2021—2035年",
        "fixable": True,
        "end_line": 19,
        "end_col": 40,
    }
    github = run("proof", "-f", "github").stdout.splitlines()
    assert github[0].startswith("::warning file=plan/chapters/cadres.yaml,line=14,col=43,endLine=14,endColumn=49,")
    assert "「2019-2022年」→「2019—2022年」（GB/T 15834-2011 4.13.3.2）" in github[0]
    plain = run("proof", "-f", "plain").stdout.splitlines()
    assert plain[2] == (
        "plan/chapters/schedule.yaml:5:51: warning halfwidth-punctuation: 中文里用全角逗号，不用半角："
        "「》,按」→「》，按」（GB/T 15834-2011 4.4）"
    )
    assert run("proof", "-f", "nonsense").exit_code == 2


def test_sarif(plan_copy: Path, workdir: Path) -> None:
    result = run("proof", "-o", "proof.sarif")
    assert result.exit_code == 1
    log = json.loads((workdir / "proof.sarif").read_text(encoding="utf-8"))
    assert log["version"] == "2.1.0" and log["$schema"].endswith("sarif-2.1.0.json")
    [sarif_run] = log["runs"]
    rules = sarif_run["tool"]["driver"]["rules"]
    assert {r["id"] for r in rules} == {
        "time-range-dash",
        "halfwidth-punctuation",
        "cited-document",
        "book-title-nesting",
    }
    assert all(r["fullDescription"]["text"] and r["defaultConfiguration"]["level"] for r in rules)
    assert sarif_run["columnKind"] == "unicodeCodePoints"
    comma = next(r for r in sarif_run["results"] if r["ruleId"] == "halfwidth-punctuation")
    assert rules[comma["ruleIndex"]]["id"] == "halfwidth-punctuation"
    location = comma["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "plan/chapters/schedule.yaml"
    assert location["region"] == {"startLine": 5, "startColumn": 51, "endLine": 5, "endColumn": 52}
    [change] = comma["fixes"][0]["artifactChanges"][0]["replacements"]
    assert change == {
        "deletedRegion": {"startLine": 5, "startColumn": 51, "endLine": 5, "endColumn": 52},
        "insertedContent": {"text": "，"},
    }
    # the fixes, made as SARIF describes them, write what --fix writes
    path = workdir / "plan" / "chapters" / "schedule.yaml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    changes = [
        c["replacements"][0]
        for r in sarif_run["results"]
        for c in r.get("fixes", [{}])[0].get("artifactChanges", [])
        if c["artifactLocation"]["uri"] == "plan/chapters/schedule.yaml"
    ]
    assert len(changes) == 3
    for change in sorted(changes, key=lambda c: -c["deletedRegion"]["startColumn"]):
        region, line = change["deletedRegion"], lines[change["deletedRegion"]["startLine"] - 1]
        cut = line[: region["startColumn"] - 1] + change["insertedContent"]["text"] + line[region["endColumn"] - 1 :]
        lines[region["startLine"] - 1] = cut
    (workdir / "plan" / "revisions.yaml").write_text(DRAFT, encoding="utf-8")
    assert run("proof", "--fix").exit_code == 0
    assert path.read_text(encoding="utf-8") == "".join(lines)


def test_a_plan_that_does_not_load_is_refused_at_its_place(plan_copy: Path) -> None:
    edit(plan_copy / "chapters" / "youth.yaml", "title: 青少年科学素质提升行动", "titel: 青少年科学素质提升行动")
    result = run("proof")
    assert result.exit_code == 1
    assert "plan/chapters/youth.yaml:3:1" in result.stderr


def test_a_comment_silences_a_rule_on_its_line(plan_copy: Path) -> None:
    edit(
        plan_copy / "chapters" / "cadres.yaml",
        "湖南省干部教育规划》",
        "湖南省干部教育规划》  # kpsy: ignore[time-range-dash] 原文如此",
    )
    assert ("plan/chapters/cadres.yaml", 14, 43, "time-range-dash") not in places(kpsy.proof(plan_copy))


def test_in_english(plan_copy: Path, english: None) -> None:
    out = run("--lang", "en", "proof", "-f", "plain").stdout
    assert "a period's start and end are joined by a dash —, not -: 「2019-2022年」 → 「2019—2022年」" in out


# --- --fix ----------------------------------------------------------------------------------------

DRAFT = """versions:
  - id: original
    name: 2023年印发稿
    date: 2023-04-06
    approved_by: 区人民政府
    source_text: source/yanfeng-plan-2021-2025.txt
current:
  draft_of: original
"""


def test_fix_refuses_a_plan_that_is_the_issued_text(plan_copy: Path) -> None:
    before = tree_digest(plan_copy)
    result = run("proof", "--fix")
    assert result.exit_code == 1
    assert "请先新建 plan/revisions.yaml" in result.stderr
    assert DRAFT.strip() in result.stderr  # what to record, from what the notice says
    assert tree_digest(plan_copy) == before
    (plan_copy / "revisions.yaml").write_text(
        DRAFT.replace("draft_of: original", "version: original"), encoding="utf-8"
    )
    result = run("proof", "--fix")
    assert result.exit_code == 1 and "“draft_of: original”" in result.stderr


def test_fix_writes_a_draft_revision(plan_copy: Path, workdir: Path) -> None:
    (plan_copy / "revisions.yaml").write_text(DRAFT, encoding="utf-8")
    schedule = plan_copy / "chapters" / "schedule.yaml"
    schedule.chmod(0o640)
    edit(schedule, "id: schedule", "id: schedule  # 进度安排")
    result = run("proof", "--fix")
    assert result.exit_code == 0, result.output
    assert "已修正 plan/chapters/schedule.yaml:5:51 halfwidth-punctuation：「》,按」→「》，按」" in result.stderr
    assert (
        "已修正 13 处，涉及 5 个文件。计划数据是修订2023年印发稿的草案：`kpsy validate` 不将其与印发文本比对"
        in result.stderr
    )
    assert result.stdout == "plan：检查通过，没有问题\n"
    text = schedule.read_text(encoding="utf-8")
    assert "id: schedule  # 进度安排" in text and "（2021—2025年）》，按照责任分工" in text
    assert stat.S_IMODE(schedule.stat().st_mode) == 0o640
    document = (plan_copy / "document.yaml").read_text(encoding="utf-8")
    assert "关于印发〈湖南省全民科学素质行动规划纲要实施方案（2021—2025年）〉的通知" in document
    assert document.count("全民科学素质行动规划纲要（2021—2035年）的通知") == 2  # the preamble and its basis entry
    assert "2023—2024年期间" in (plan_copy / "schedule.yaml").read_text(encoding="utf-8")  # the quote moved with it
    assert run("validate", "--strict").exit_code == 0
    assert run("proof", "--fix").stderr.strip() == "没有可自动修正的问题"


def test_fix_writes_nothing_when_a_file_cannot_be_written(plan_copy: Path) -> None:
    (plan_copy / "revisions.yaml").write_text(DRAFT, encoding="utf-8")
    (plan_copy / "settings.yaml").chmod(0o444)
    before = tree_digest(plan_copy)
    result = run("proof", "--fix")
    assert result.exit_code == 1 and "plan/settings.yaml" in result.stderr and "只读" in result.stderr
    assert tree_digest(plan_copy) == before


def test_fix_keeps_quoting_line_ends_and_byte_order_mark(workdir: Path) -> None:
    plan = workdir / "plan"
    shutil.copytree(QINGSHAN / "plan", plan)
    edit(plan / "revisions.yaml", "  version: original", "  draft_of: original")
    youth = plan / "chapters" / "youth.yaml"
    edit(youth, "title: 上好科学课", 'title: "上好\\u79d1学课,（2021-2025年）"')
    edit(youth, "    body: 中小学开齐开足科学课程，推进", "    body: 中小学开齐开足科学课程，\n      推进")
    raw = youth.read_bytes().replace(b"\n", b"\r\n")
    youth.write_bytes(b"\xef\xbb\xbf" + raw)
    result = run("proof", "--fix")
    assert result.exit_code == 0, result.output
    fixed = youth.read_bytes()
    assert fixed.startswith(b"\xef\xbb\xbf") and b"\r\n" in fixed and b"\n" not in fixed.replace(b"\r\n", b"")
    text = fixed.decode("utf-8-sig")
    assert 'title: "上好\\u79d1学课，（2021—2025年）"' in text  # in its own quotes, the escape kept
    assert "科学课程，推进" in text  # the folded line joined: no stray space


def test_fix_shows_in_kpsy_diff(workdir: Path) -> None:
    plan = workdir / "plan"
    shutil.copytree(QINGSHAN / "plan", plan)
    edit(plan / "revisions.yaml", "  version: original", "  draft_of: original")
    edit(plan / "chapters" / "youth.yaml", "推进探究式教学", "推进探究式教学,加强实践")
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "init", "-q"], cwd=workdir, check=True)
    subprocess.run([*git, "add", "plan"], cwd=workdir, check=True)
    subprocess.run([*git, "commit", "-q", "-m", "plan"], cwd=workdir, check=True)
    assert run("proof", "--fix").exit_code == 0
    diff = run("diff", "HEAD")
    assert diff.exit_code == 0 and "上好科学课" in diff.stdout and "加强实践" in diff.stdout, diff.output


# --- the pre-commit hook ------------------------------------------------------------------------


def test_pre_commit_hook(workdir: Path) -> None:
    hooks = {h["id"]: h for h in yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))}
    hook = hooks["kpsy-proof"]
    assert hook["pass_filenames"] is False and hook["language"] == "python"
    args = [sys.executable, "-m", "kpsy", *hook["entry"].split()[1:]]
    env = {**os.environ, "NO_COLOR": "1"}
    shutil.copytree(QINGSHAN / "plan", workdir / "plan")
    ok = subprocess.run(args, cwd=workdir, env=env, capture_output=True, text=True)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    shutil.rmtree(workdir / "plan")
    shutil.copytree(PLAN, workdir / "plan")
    bad = subprocess.run(args, cwd=workdir, env=env, capture_output=True, text=True)
    assert bad.returncode == 1 and "plan/document.yaml" in bad.stdout

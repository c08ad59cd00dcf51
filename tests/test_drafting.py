"""Drafting the 2026–2030 plan (issue 22): the office's eight drafting steps, each alone and all
together, and others like them, through every output of `kpsy diff`: one account of each change,
word by word, in the 修订说明, the 对照表 and the redline; `--affected` and `--unit` agreeing with the
letters themselves; the revisions named by their records.

The scenarios are copies of the bundled plan recorded as issued in April 2023 (`old`), each changed
by the steps and recorded as the 2026 draft (tests/drafting.py).
"""

from __future__ import annotations

import functools
import re
import shutil
from pathlib import Path

import pytest

from kpsy import api, i18n
from kpsy.plan.model import OVERSIGHT_KINDS
from kpsy.revisions.affected import for_unit, letter_of
from kpsy.revisions.change import DiffResult
from kpsy.revisions.items import keyed_paragraphs
from kpsy.revisions.redline import _segments, align
from kpsy.revisions.report import render_md, render_plain
from kpsy.revisions.table import rows_and_notes
from kpsy.revisions.tokens import boundaries

from . import drafting
from .conftest import PLAN, run

SCENARIOS = {**{n: [n] for n in drafting.STEPS}, "all": list(drafting.STEPS), **{n: [n] for n in drafting.MORE}}
ORIGINAL = "2023年4月印发稿（2023年4月6日）"
DRAFT = "2026年修订征求意见稿"


@pytest.fixture(scope="module")
def folders(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """old/plan (the original, as issued) and <scenario>/plan (the draft) for every scenario."""
    root = tmp_path_factory.mktemp("drafting")
    base = root / "old" / "plan"
    shutil.copytree(PLAN, base)
    drafting.as_issued(base)
    for name, steps in SCENARIOS.items():
        folder = root / name / "plan"
        shutil.copytree(base, folder)
        drafting.apply(folder, steps)
        drafting.as_draft(folder)
    return root


@functools.cache
def _compared(root: str, name: str, language: str) -> DiffResult:
    i18n.use(language)
    return api.diff(old_plan=Path(root) / "old" / "plan", new_plan=Path(root) / name / "plan")


def compared(folders: Path, name: str) -> DiffResult:
    return _compared(str(folders), name, i18n.language())


def _all_steps(folders: Path) -> list[str | Path]:
    """The command-line arguments comparing the original with the draft of all eight steps."""
    return ["--old-plan", folders / "old/plan", "--new-plan", folders / "all/plan"]


# --- the 修订说明: one sentence for each change, word by word -----------------------------------------

STATEMENTS = {
    "period-and-targets": [
        '通知标题：将"2021-2025年"修改为"2026-2030年"',
        '通知正文：将"2021-2025年"修改为"2026-2030年"',
        '方案标题：将"2021-2025年"修改为"2026-2030年"',
        '一（二）总体目标：将"2025年"修改为"2030年"；将"15%"修改为"20%"',
        '四（四）进度安排：将"2023年"修改为"2026年"；将"2021-2025年"修改为"2026-2030年"；将"2023-2024年"修改为"2027-2028年"；'
        '将"2025年"修改为"2030年"；将"十四五"修改为"十五五"',
        "将实施期限由2021-2025年调整为2026-2030年",
        '将目标"公民具备科学素质的比例超过15%（2025年）"调整为"公民具备科学素质的比例超过20%（2030年）"',
        '将进度安排"2023年：制定实施方案，各成员单位按照责任分工做好相关工作"调整为"2026年：制定实施方案，各成员单位按照责任分工做好相关工作"',
        '将进度安排"2023-2024年：完善工作机制，做好中期总结……调查和中期监测评估"调整为"2027-2028年：完善工作机制，做好中期总结……调查和中期监测评估"',
        '将进度安排"2025年：总结“十四五”期间落实本方案及推进全民科学素质工作"调整为"2030年：总结“十五五”期间落实本方案及推进全民科学素质工作"',
        '交办函的开头：将"2021-2025年"修改为"2026-2030年"',
    ],
    "rename-unit": ["区科工信局更名为区科技局（涉及9处表述）"],
    "merge-tasks": [
        "将原二（一）6．（实施农村青少年科学素质提升行动）并入二（一）2．（推进基础教育阶段科学教育），二（一）原第7条提前为第6条"
    ],
    "split-task": [
        "将原二（三）3．（实施职业技能提升行动）拆分为二（三）3．（实施职业技能提升行动）和二（三）4．（实施农民工技能提升行动），"
        "二（三）原第4条顺延为第5条"
    ],
    "new-action": [
        '二、提升行动：在"领导干部和公务员"后增加"、社区居民"；将"5项"修改为"6项"',
        "在第二部分中新增一项，作为（六）（社区居民科学素质提升行动，含2条任务，由区民政局、区科协牵头，区文旅体局、区卫健局、区妇联等单位参加）",
    ],
    "schedule": [
        '四（四）进度安排：将"2023-2024年期间"修改为"2024年"；将"完善"修改为"健全"',
        '将进度安排"2023-2024年：完善工作机制，做好中期总结……调查和中期监测评估"调整为"2024年：健全工作机制，做好中期总结，配合省公民科学素质调查和中期监测评估"',
    ],
    "remove-lead": ["三（四）基层科普能力提升工程：区应急管理局不再作为牵头单位"],
    "comma-fix": ['四（四）进度安排：将",按照"修改为"，按照"'],
    "rename-same-id": ["区文旅体局更名为区文旅广体局（原名称保留为别名，涉及6处表述）"],
    "three-way-merge": [
        "将原三（二）1．（实施繁荣科普文艺创作计划）、三（二）2．（实施全媒体科学传播能力提升计划）和三（二）3．（实施智慧科普建设工程）"
        "合并为新的三（二）1．（提升科普创作和传播能力）"
    ],
    "move-task": ["将原二（四）3．移至三（四），作为第5条（实施银龄科普行动）"],
    "remove-participant": ["三（三）科普基础设施建设工程：区国动办不再作为参加单位"],
    "remove-action": [
        '三、重点工程：将"4项"修改为"3项"',
        "删除原三（三），原（四）提前为（三）（科普基础设施建设工程，含3条任务，由区科工信局、区科协牵头，区委宣传部、区发改局、区教育局、"
        "区民政局、区财政局、区人社局、区自然资源局、区农业农村局、区文旅体局、区卫健局、区市场监管局、区国动办、生态环境局雁峰分局、"
        "区总工会、团区委、区妇联等单位参加）",
    ],
    "reword": [
        '二（五）2．实施“干部专业化能力提升计划”：在"多渠道分类别"后增加"、分层次"',
        '二（五）3．加强科学素质教育培训：将"2019-2022年湖南省"修改为"2023-2027年全国"；将"教育规划"修改为"教育培训规划"',
    ],
}


@pytest.mark.parametrize("name", sorted(STATEMENTS))
def test_the_account_of_each_step(folders: Path, name: str) -> None:
    result = compared(folders, name)
    assert [c.statement for c in result.changes] == STATEMENTS[name]
    md = render_md(result)
    for statement in STATEMENTS[name]:  # once each, in the 修订说明 and the text
        assert md.count(statement.replace("*", "\\*")) == 1
        assert render_plain(result).count(statement) == 1


def test_all_steps_together_are_the_steps_account(folders: Path) -> None:
    """Drafting all eight steps at once says what each step says, once; the schedule's paragraph,
    changed by three steps, is one change that says each of their edits."""
    together = [c.statement for c in compared(folders, "all").changes]
    schedule = [s for s in together if s.startswith("四（四）进度安排：")]
    assert schedule == [
        '四（四）进度安排：将"2023年"修改为"2026年"；将"2021-2025年"修改为"2026-2030年"；将",按照"修改为"，按照"；'
        '将"2023-2024年期间"修改为"2028年"；将"完善"修改为"健全"；将"2025年"修改为"2030年"；将"十四五"修改为"十五五"'
    ]
    alone = {s for name in drafting.STEPS for s in STATEMENTS[name] if not s.startswith(("四（四）", "将进度安排"))}
    assert alone <= set(together)
    assert len(together) == len(set(together)) == 17


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_quotations_are_whole_words(folders: Path, name: str) -> None:
    """Every quotation of the document's words starts and ends between words (never inside a number
    or a unit's name), and nothing is left as 「等另N处」."""
    result = compared(folders, name)
    texts = [i.text for i in (*result.before.values(), *result.after.values())]
    for change in result.changes:
        assert "等另" not in change.statement
        if change.kind not in ("title", "text"):
            continue
        for quote in re.findall(r'"([^"]+)"', change.statement):
            if "……" in quote:
                continue
            where = [t for t in texts if quote.replace("／", "\n") in t]
            assert where, quote
            assert any(_on_boundaries(t, quote.replace("／", "\n"), result.terms) for t in where), quote


def _on_boundaries(text: str, quote: str, terms: list[str]) -> bool:
    cuts = boundaries(text, terms)
    start = text.find(quote)
    while start >= 0:
        if start in cuts and start + len(quote) in cuts:
            return True
        start = text.find(quote, start + 1)
    return False


# --- the 对照表: a row for each thing whose words changed, marked word by word ---------------------------

TABLES: dict[str, list[tuple[list[str], list[tuple[str, str]]]]] = {
    "rename-unit": [(["区科工信局更名为区科技局（涉及9处表述）"], [("del", "区科工信局"), ("ins", "区科技局")])] * 9,
    "merge-tasks": [([STATEMENTS["merge-tasks"][0]], [("del", "6．实施农村青少年科学素质提升行动。")])],
    "split-task": [([STATEMENTS["split-task"][0]], [("ins", "4．实施农民工技能提升行动。")])],
    "remove-lead": [([STATEMENTS["remove-lead"][0]], [("del", "区应急管理局、")])],
    "remove-participant": [([STATEMENTS["remove-participant"][0]], [("del", "区国动办、")])],
    "comma-fix": [([STATEMENTS["comma-fix"][0]], [("del", ","), ("ins", "，")])],
    "schedule": [
        (STATEMENTS["schedule"], [("del", "2023-2024年期间"), ("del", "完善"), ("ins", "2024年"), ("ins", "健全")])
    ],
    "move-task": [([STATEMENTS["move-task"][0]], [("del", "3"), ("ins", "5")])],
    "rename-same-id": [([STATEMENTS["rename-same-id"][0]], [("del", "区文旅体局"), ("ins", "区文旅广体局")])] * 6,
}


@pytest.mark.parametrize("name", sorted(TABLES))
def test_the_table_of_each_step(folders: Path, name: str) -> None:
    rows, notes = rows_and_notes(compared(folders, name))
    found = [
        (row.notes, [(s, t) for side in (row.old, row.new) for runs in side for t, s in runs if s]) for row in rows
    ]
    assert found == TABLES[name]
    assert notes == []


def test_the_table_of_the_period(folders: Path) -> None:
    """Targets and the schedule are said with the words that state them; what no row quotes (the
    period, the letters' opening) is a note under the table, once."""
    rows, notes = rows_and_notes(compared(folders, "period-and-targets"))
    assert [row.notes[0] for row in rows] == STATEMENTS["period-and-targets"][:5]
    assert rows[3].notes[1].startswith("将目标") and len(rows[4].notes) == 4
    assert notes == ["将实施期限由2021-2025年调整为2026-2030年", '交办函的开头：将"2021-2025年"修改为"2026-2030年"']


def test_a_new_action_is_one_row_with_its_tasks_and_line(folders: Path) -> None:
    rows, _ = rows_and_notes(compared(folders, "new-action"))
    added = rows[1]
    assert added.old_keys == [] and added.new_keys == [
        "community",
        "community-services",
        "community-volunteers",
        "community#responsibility",
    ]
    assert [runs[0] for runs in added.new][-1] == (
        "（责任分工：由区民政局、区科协牵头，区文旅体局、区卫健局、区妇联等单位参加）",
        "ins",
    )


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_rows_quote_both_revisions_and_strike_only_what_changed(folders: Path, name: str) -> None:
    result = compared(folders, name)
    rows, notes = rows_and_notes(result)
    said = [n for row in rows for n in row.notes] + notes
    renames = {c.statement for c in result.changes if c.kind == "unit-renamed"}
    assert sorted(set(said)) == sorted(c.statement for c in result.changes)  # every change, in rows or notes
    assert all(said.count(s) == 1 for s in said if s not in renames)  # once; a rename on each line it changes
    for row in rows:
        old = "\n".join(result.before[k].text for k in row.old_keys)
        new = "\n".join(result.after[k].text for k in row.new_keys)
        for side, text in ((row.old, old), (row.new, new)):
            if text:
                assert "\n".join("".join(t for t, _ in runs) for runs in side) == text
                cuts, at = boundaries(text, result.terms), 0
                for runs in side:
                    for piece, style in runs:
                        assert not style or (at in cuts and at + len(piece) in cuts), (piece, text)
                        at += len(piece)
                    at += 1


def test_the_table_names_the_current_numbers(folders: Path) -> None:
    """A lead removed from 三（四） after a new action and a new task before it: the row and its note
    name the action by its number now."""
    result = compared(folders, "all")
    rows, _ = rows_and_notes(result)
    removed = next(row for row in rows if any("区应急管理局不再作为牵头单位" in n for n in row.notes))
    assert removed.notes[0] == "三（四）基层科普能力提升工程：区应急管理局不再作为牵头单位"
    assert ("del", "区应急管理局、") in [(s, t) for runs in removed.old for t, s in runs if s]


# --- the redline: word by word, accept all = new, reject all = old ---------------------------------------

REDLINES = {
    "period-and-targets": [(-1, "2021-2025年"), (1, "2026-2030年")] * 3
    + [(-1, "2025年"), (1, "2030年"), (-1, "15%"), (1, "20%"), (-1, "2023年"), (1, "2026年")]
    + [(-1, "2021-2025年"), (1, "2026-2030年"), (-1, "2023-2024年"), (1, "2027-2028年"), (-1, "2025年"), (1, "2030年")]
    + [(-1, "十四五"), (1, "十五五")],
    "rename-unit": [(-1, "区科工信局"), (1, "区科技局")] * 9,
    "schedule": [(-1, "2023-2024年期间"), (1, "2024年"), (-1, "完善"), (1, "健全")],
    "remove-lead": [(-1, "区应急管理局、")],
    "comma-fix": [(-1, ","), (1, "，")],
    "new-action": [
        (1, "、社区居民"),
        (-1, "5项"),
        (1, "6项"),
        ("+", "（六）"),
        ("+", "1．实"),
        ("+", "2．壮"),
        ("+", "（责任"),
    ],
    "split-task": [
        (-1, "支持实施农民工学历与能力提升行动计划、农民工职工技能提升计划，将农民工培养成稳定就业的产业工人。"),
        ("+", "4．实"),
        (-1, "4"),
        (1, "5"),
    ],
    "merge-tasks": [
        (
            1,
            "加强农村中小学科学教育基础设施和信息化基础设施建设，推进优质科技教育信息资源共建共享，大力推送适合农村青少年的科学教育活动和资源，满足青少年个性化需求。依托乡村学校科普设施组织开展各类农村青少年课外科技活动。",
        ),
        ("-", "6．实"),
        (-1, "7"),
        (1, "6"),
    ],
}


def _tracked(result: DiffResult) -> list[tuple[int | str, str]]:
    found: list[tuple[int | str, str]] = []
    assert result.old_plan is not None and result.new_plan is not None
    for a, b in align(keyed_paragraphs(result.old_plan), keyed_paragraphs(result.new_plan)):
        if a is None or b is None:
            whole = b if a is None else a
            assert whole is not None
            found.append(("+" if a is None else "-", whole.text[:3]))  # a paragraph added or removed whole
        elif a.text != b.text:
            segments = _segments(a, b, result.terms, result.same)
            assert "".join(t for op, t, _ in segments if op <= 0) == a.text  # reject all: the old words
            assert "".join(t for op, t, _ in segments if op >= 0) == b.text  # accept all: the new words
            found += [(op, t) for op, t, _ in segments if op]
    return found


@pytest.mark.parametrize("name", sorted(REDLINES))
def test_the_redline_of_each_step(folders: Path, name: str) -> None:
    expected = [(op, t[:3]) if isinstance(op, str) else (op, t) for op, t in REDLINES[name]]
    assert _tracked(compared(folders, name)) == expected


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_the_redline_gives_back_both_revisions(folders: Path, name: str) -> None:
    _tracked(compared(folders, name))


def test_the_redline_as_word_reads_it(folders: Path, workdir: Path) -> None:
    from kpsy.plan.load import load_plan

    from .test_redline import document_text, read_as_word

    out = run("diff", *_all_steps(folders), "-f", "redline", "-o", "修订稿.docx")
    assert out.exit_code == 0, out.output
    new, old = (load_plan(folders / name / "plan").plan for name in ("all", "old"))
    accepted, rejected = (read_as_word("修订稿.docx", accept=accept) for accept in (True, False))
    # NEW is a draft (revisions.yaml: draft_of), so the redline opens with 「征求意见稿」, no change of the text
    assert accepted[0] == rejected[0] == "征求意见稿"
    assert accepted[1:] == document_text(new)
    assert rejected[1:] == document_text(old)


# --- who is affected: the letters, one answer ------------------------------------------------------------


def _letter_changed(result: DiffResult, unit_id: str) -> bool | None:
    """Whether the unit's letter reads differently, rendered here from each plan on its own (None:
    no letter on either side)."""
    import datetime as dt

    assert result.old_plan is not None and result.new_plan is not None
    day = dt.date(2026, 1, 1)
    back = {b: a for a, b in result.renamed.items()}
    old_unit = result.old_plan.units.by_id.get(back.get(unit_id, unit_id))
    new_unit = result.new_plan.units.by_id.get(result.renamed.get(unit_id, unit_id))
    a = letter_of(result.old_plan, old_unit, None, day) if old_unit else None
    b = letter_of(result.new_plan, new_unit, None, day) if new_unit else None
    if a is None and b is None:
        return None
    return a is None or b is None or a.text != b.text


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_affected_and_each_unit_agree_with_the_letters(folders: Path, name: str) -> None:
    result = compared(folders, name)
    assert result.old_plan is not None and result.new_plan is not None
    letters = api.affected(old_plan=folders / "old/plan", new_plan=folders / name / "plan")
    listed = {u.id: u for u in letters.units}
    renamed_away = set(result.renamed)
    units = [*result.new_plan.units, *(u for u in result.old_plan.units if u.id not in result.new_plan.units.by_id)]
    plan_wide = [c.statement for c in result.changes if c.everyone]
    for unit in units:
        if unit.kind in OVERSIGHT_KINDS or unit.id in renamed_away:
            continue
        changed = _letter_changed(result, unit.id)
        view = for_unit(result, unit)
        assert (view.count > 0) == bool(changed) == (unit.id in listed), (name, unit.name)
        assert all(c.kind != "letter" for c in view.changes)  # every change in a view is a change of the diff
        if changed:
            assert listed[unit.id].changes == view.count
            shown = [c.statement.removesuffix("（涉及所有单位）") for c in view.changes if c.impact == "plan-wide"]
            assert shown == plan_wide  # the changes to the whole plan, each once, in every view
    assert letters.letters == sum(
        1
        for u in units
        if u.kind not in OVERSIGHT_KINDS and u.id not in renamed_away and _letter_changed(result, u.id) is not None
    )


def test_a_merged_task_the_unit_still_has_is_not_lost(folders: Path) -> None:
    result = compared(folders, "merge-tasks")
    for name, role in (("区教育局", "牵头"), ("区民政局", "参加"), ("区农业农村局", "参加"), ("区文旅体局", "参加")):
        view = for_unit(result, result.new_plan.units.resolve(name))  # type: ignore[union-attr]
        merged = next(c for c in view.changes if c.kind == "merged")
        assert merged.impact == "merged" and merged.statement.endswith(f"，{name}继续承担（{role}）")
        assert "不再承担" not in merged.statement


def test_a_split_task_is_not_a_new_one(folders: Path) -> None:
    result = compared(folders, "split-task")
    view = for_unit(result, result.new_plan.units.resolve("区人社局"))  # type: ignore[union-attr]
    assert [(c.kind, c.impact) for c in view.changes] == [("split", "split")]
    assert (
        view.changes[0].statement.endswith("，区人社局继续承担（牵头）") and "新承担" not in view.changes[0].statement
    )


def test_a_renamed_unit_is_one_unit(folders: Path) -> None:
    result = compared(folders, "rename-unit")
    letters = {
        u.name: u for u in api.affected(old_plan=folders / "old/plan", new_plan=folders / "rename-unit/plan").units
    }
    assert (
        letters["区科技局"].status == "changed" and "区科工信局" not in letters
    )  # not a new letter and a withdrawn one
    assert "区国动办" in letters  # its letter names 区科技局 among the leads of 三（三）
    view = for_unit(result, result.new_plan.units.resolve("区国动办"))  # type: ignore[union-attr]
    assert [c.statement for c in view.changes] == [
        "区科工信局更名为区科技局（涉及9处表述），该单位与区国动办共同承担任务"
    ]
    assert [c.kind for c in result.changes] == ["unit-renamed"]  # no unit added, removed, made lead or participant


def test_a_comma_in_the_schedule_concerns_every_letter(folders: Path) -> None:
    result = compared(folders, "comma-fix")
    letters = api.affected(old_plan=folders / "old/plan", new_plan=folders / "comma-fix/plan")
    assert letters.count == letters.letters == 26
    for unit in result.new_plan.units:  # type: ignore[union-attr]
        if unit.kind not in OVERSIGHT_KINDS:
            view = for_unit(result, unit)
            assert [(c.kind, c.impact) for c in view.changes] == [("text", "plan-wide")]


def test_a_change_no_letter_shows_re_issues_none(folders: Path, tmp_path: Path) -> None:
    """A new sentence in an action's introduction: the office's account has it, no letter does."""
    folder = tmp_path / "plan"
    shutil.copytree(folders / "old" / "plan", folder)
    drafting.replace(folder / "chapters/farmers.yaml", "培养适应农业农村现代化", "培养适应农业农村现代化和乡村全面振兴")
    result = api.diff(old_plan=folders / "old/plan", new_plan=folder)
    assert result.count == 1
    assert api.affected(old_plan=folders / "old/plan", new_plan=folder).count == 0
    assert for_unit(result, result.new_plan.units.resolve("区农业农村局")).count == 0  # type: ignore[union-attr]


def test_a_removed_participant_is_withdrawn(folders: Path) -> None:
    letters = {
        u.name: u
        for u in api.affected(old_plan=folders / "old/plan", new_plan=folders / "remove-participant/plan").units
    }
    assert letters["区国动办"].status == "withdrawn" and set(letters) == {"区国动办", "区科工信局", "区科协"}


# --- records: the office decides --------------------------------------------------------------------------


def test_the_record_confirms_or_corrects(folders: Path, tmp_path: Path) -> None:
    folder = tmp_path / "plan"
    shutil.copytree(folders / "all" / "plan", folder)
    drafting.as_draft(
        folder,
        "  renamed: []\n  merged: []\n  split:\n    - {item: workers-vocational-skills, into: [workers-vocational-skills, workers-migrant]}\n",
    )
    result = api.diff(old_plan=folders / "old/plan", new_plan=folder)
    kinds = [(c.kind, c.subject) for c in result.changes if c.type in ("task", "unit")]
    assert ("split", "workers-vocational-skills") in kinds and next(
        c for c in result.changes if c.kind == "split"
    ).recorded
    assert ("removed", "youth-rural") in kinds  # the office says: not a merge
    assert ("unit-added", "science-technology") in kinds and ("unit-removed", "science-industry") in kinds
    drafting.as_draft(folder, "  merged:\n    - {items: [cadres-recruitment], into: cadres-training}\n")
    result = api.diff(old_plan=folders / "old/plan", new_plan=folder)
    assert ("merged", "youth-basic-education") not in [(c.kind, c.subject) for c in result.changes]


def test_records_naming_what_is_not_there(folders: Path, tmp_path: Path) -> None:
    folder = tmp_path / "plan"
    shutil.copytree(folders / "all" / "plan", folder)
    drafting.as_draft(
        folder,
        "  renamed:\n    - {unit: science-technology, to: science-industry}\n  merged:\n    - {items: [youth-rural], into: youth-nowhere}\n",
    )
    out = run("--lang", "en", "validate", "--plan", folder, "-f", "plain")
    assert out.exit_code == 1
    assert (
        f"{folder}/revisions.yaml:11:14: error revisions: unit 'science-technology' is still in the plan" in out.stdout
    )
    assert f"{folder}/revisions.yaml:11:38: error revisions: no unit 'science-industry' in the plan" in out.stdout
    assert f"{folder}/revisions.yaml:13:36: error revisions: no item 'youth-nowhere' in the plan" in out.stdout


# --- officials' words ------------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["text", "md", "table"])
def test_revisions_are_named_by_their_records(folders: Path, fmt: str) -> None:
    out = run("diff", *_all_steps(folders), "-f", fmt).stdout
    assert f"{ORIGINAL} → {DRAFT}" in out
    assert str(folders) not in out and "HEAD" not in out


def test_names_in_english_and_in_the_files(folders: Path, workdir: Path) -> None:
    import docx

    out = run("--lang", "en", "diff", *_all_steps(folders))
    assert out.stdout.startswith(f"17 changes from 2023年4月印发稿 (2023年4月6日) to {DRAFT}\n")
    run("diff", *_all_steps(folders), "-f", "docx", "-o", "对照表.docx")
    text = "\n".join(p.text for p in docx.Document("对照表.docx").paragraphs)
    assert f"{ORIGINAL} → {DRAFT}" in text and str(folders) not in text


def test_git_revisions_are_named_by_their_records(workdir: Path) -> None:
    """The same drafting in a git repository: the original committed and tagged as issued, the draft
    committed on it; every page names them as the office does, and the JSON keeps git's names."""
    import json

    from .test_diff import commit, git

    git(workdir, "init", "-q", "-b", "main")
    shutil.copytree(PLAN, workdir / "plan")
    drafting.as_issued(workdir / "plan")
    commit(workdir, "the plan as issued")
    git(workdir, "tag", "v2023")
    drafting.apply(workdir / "plan", list(drafting.STEPS))
    drafting.as_draft(workdir / "plan")
    commit(workdir, "the 2026 draft")
    for args in (["-f", "md"], ["-f", "table"], ["--unit", "区教育局"], ["--affected", "-f", "md"]):
        out = run("diff", "v2023", "HEAD", *args).stdout
        assert f"{ORIGINAL} → {DRAFT}" in out and "v2023" not in out and "HEAD" not in out, args
    data = json.loads(run("diff", "v2023", "HEAD", "-f", "json").stdout)
    assert (data["old"], data["new"], data["old_revision"], data["new_revision"]) == (ORIGINAL, DRAFT, "v2023", "HEAD")
    assert data["count"] == 17

"""Finding anything: items by id, number or title (one resolver), units the way people write them,
words in the whole text (kpsy search), one unit on one page (kpsy unit). On the bundled plan, on the
made-up county's plan and on a plan numbered 第一章 / 第一条 / ①."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import select
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from kpsy.api import checked, import_plan, open_plan
from kpsy.errors import AmbiguousNameError, UnknownNameError, UsageError
from kpsy.plan.model import Place, Unit
from kpsy.plan.outline import PlanData
from kpsy.plan.text import paragraphs
from kpsy.plan.typed import clean, close, key
from kpsy.plan.units import UnitRegistry
from kpsy.queries.find import find, find_chapter, find_part, number_key
from kpsy.queries.profile import profile
from kpsy.queries.search import search
from kpsy.queries.tasks import tasks

from .conftest import PLAN, QINGSHAN, edit, run
from .test_render import golden

OTHER = QINGSHAN / "plan"
FIXTURES = Path(__file__).resolve().parent / "fixtures" / "import"


@pytest.fixture(scope="module")
def bundled() -> PlanData:
    return open_plan(PLAN).data


@pytest.fixture(scope="module")
def other() -> PlanData:
    return open_plan(OTHER).data


@pytest.fixture(scope="module")
def articles(tmp_path_factory: pytest.TempPathFactory) -> PlanData:
    """A plan numbered 第一章 (parts), 第一条 (chapters, numbered through) and ① (tasks)."""
    out = tmp_path_factory.mktemp("articles") / "plan"
    import_plan(FIXTURES / "articles.txt", out)
    data, _ = checked(out)
    assert data is not None
    return data


# --- what people type -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "kept", "named"),
    [
        ("区教育\u200b局", "区教育局", "U+200B ZERO WIDTH SPACE"),
        ("\ufeff区教育局", "区教育局", "U+FEFF ZERO WIDTH NO-BREAK SPACE"),
        ("区教\u00ad育局", "区教育局", "U+00AD SOFT HYPHEN"),
        ("\u200e区教育局\u200f", "区教育局", "U+200E LEFT-TO-RIGHT MARK"),
        ("区教\u202e育局", "区教育局", "U+202E RIGHT-TO-LEFT OVERRIDE"),
        ("edu\x1b[31mcation", "edu[31mcation", "U+001B CONTROL CHARACTER"),
        ("区教育局\ufe0f", "区教育局", "U+FE0F VARIATION SELECTOR-16"),
    ],
)
def test_invisible_characters_are_taken_out_and_named(typed: str, kept: str, named: str) -> None:
    cleaned = clean(typed)
    assert cleaned.text == kept
    assert named in cleaned.removed
    warning = cleaned.warning("--unit")
    assert warning is not None and named in warning and f"“{kept}”" in warning and "--unit" in warning


def test_visible_text_is_left_alone() -> None:
    for text in ("区教育局", "youth-talent", "二（一）5．", "区 教育局", "ＡＩ"):
        assert clean(text).text == text and clean(text).removed == []
        assert clean(text).warning("--unit") is None


def test_keys_fold_width_case_and_spaces() -> None:
    assert key("ＥＤＵＣＡＴＩＯＮ") == key("Education") == "education"
    assert key(" 二 （一） 5 ") == key("二(一)5")
    assert number_key("二（一）5．") == number_key("二(一)5") == number_key("二、（一）5") == "二(一)5"
    assert number_key("二、") == number_key("二") == "二"
    assert number_key("第三条 ①") == number_key("第三条①")


def test_suggestions_only_when_close(bundled: PlanData) -> None:
    names = {form: unit.name for unit in bundled.units for form in bundled.units.forms(unit)}
    assert close("区教育厅", names) == ["区教育局"]
    assert close("youth-leage", {u.id: u.name for u in bundled.units}) == ["团区委"]
    # nothing shares more than the 区…局 every name has, or the letters are not alike
    for far in ("xyz", "区气象局", "区档案馆", "abc-def"):
        assert close(far, names) == [], far


# --- units ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "name"),
    [
        ("雁峰区卫生健康局", "区卫健局"),
        ("衡阳市雁峰区卫生健康局", "区卫健局"),
        ("区卫生健康局", "区卫健局"),
        ("卫生健康局", "区卫健局"),
        ("雁峰区科学技术协会", "区科协"),
        ("科学技术协会", "区科协"),
        ("雁峰区教育局", "区教育局"),
        ("中共雁峰区委组织部", "区委组织部"),
        ("雁峰区委组织部", "区委组织部"),
        ("中共衡阳市雁峰区委统一战线工作部", "区委统战部"),
        ("团雁峰区委", "团区委"),
        ("共青团雁峰区委员会", "团区委"),
        ("Health", "区卫健局"),
        ("EDUCATION", "区教育局"),
        ("ｅｄｕｃａｔｉｏｎ", "区教育局"),
        ("civil_defence", "区国动办"),
        ("区教育\u200b局", "区教育局"),
        (" 区 教育局 ", "区教育局"),
        ("纲要办", "区全民科学素质纲要实施工作办公室"),
    ],
)
def test_units_found_the_way_people_write_them(bundled: PlanData, typed: str, name: str) -> None:
    assert bundled.units.resolve(typed).name == name


def test_every_units_full_name_resolves_with_every_form_of_the_place(bundled: PlanData) -> None:
    place = bundled.units.place
    assert place is not None
    for unit in bundled.units:
        if not unit.full_name:
            continue
        assert bundled.units.resolve(unit.full_name) is unit
        for form in place.names:
            longest = max(place.names, key=len)
            if longest in unit.full_name:
                assert bundled.units.resolve(unit.full_name.replace(longest, form)) is unit, (unit.name, form)


@pytest.mark.parametrize(
    ("typed", "name"),
    [
        ("青山县卫生健康局", "县卫健局"),
        ("卫生健康局", "县卫健局"),
        ("Science", "县科协"),
        ("共青团江城市青山县委员会", "团县委"),
        ("团青山县委", "团县委"),
        ("中共青山县委宣传部", "县委宣传部"),
    ],
)
def test_the_other_plans_units_the_same_way(other: PlanData, typed: str, name: str) -> None:
    assert other.units.resolve(typed).name == name


def test_the_api_returns_the_warning_as_data() -> None:
    found = open_plan(PLAN).match_unit("\u200b卫生健康局")
    assert found.unit.name == "区卫健局" and found.typed.text == "卫生健康局"
    assert found.warning("unit") == "警告：unit 中有不可见字符 U+200B ZERO WIDTH SPACE，已删除，按“卫生健康局”处理"


def test_match_returns_what_was_taken_out(bundled: PlanData) -> None:
    found = bundled.units.match("区卫健\u200b局")
    assert found.unit.id == "health"
    assert found.typed.removed == ["U+200B ZERO WIDTH SPACE"]
    assert "U+200B ZERO WIDTH SPACE" in (found.warning("--unit") or "")
    assert bundled.units.match("区卫健局").warning("--unit") is None


def test_unknown_units_are_suggested_only_close_names(bundled: PlanData) -> None:
    with pytest.raises(UnknownNameError) as caught:
        bundled.units.resolve("区教育厅")
    assert caught.value.message == "方案中没有单位“区教育厅”；是否要找：区教育局？"
    with pytest.raises(UnknownNameError) as caught:
        bundled.units.resolve("xyz")
    assert "是否要找" not in caught.value.message and "kpsy units" in caught.value.message
    with pytest.raises(UsageError):
        bundled.units.resolve("\u200b ")


@pytest.mark.usefixtures("english")
def test_unit_messages_in_english(bundled: PlanData) -> None:
    with pytest.raises(UnknownNameError) as caught:
        bundled.units.resolve("区教育厅")
    assert caught.value.message == "no unit “区教育厅” in the plan; did you mean 区教育局?"
    with pytest.raises(UnknownNameError) as caught:
        bundled.units.resolve("白沙洲街道")
    assert "the notice is addressed to 各镇（街道）人民政府（办事处）" in caught.value.message
    assert "so there are no tasks for 白沙洲街道" in caught.value.message


@pytest.mark.parametrize(
    "typed", ["白沙洲街道", "白沙洲街道办事处", "各镇（街道）", "镇（街道）", "某某镇", "某某镇人民政府"]
)
def test_towns_the_notice_addresses_are_told_why_they_have_no_tasks(bundled: PlanData, typed: str) -> None:
    with pytest.raises(UnknownNameError) as caught:
        bundled.units.resolve(typed)
    message = caught.value.message
    assert "印发通知主送各镇（街道）人民政府（办事处）" in message
    assert "没有哪项行动或任务的责任分工列出镇（街道）" in message and f"因此{typed}没有分到任务" in message
    assert "是否要找" not in message


def test_a_group_the_notice_addresses_is_not_a_unit(bundled: PlanData, other: PlanData) -> None:
    with pytest.raises(UnknownNameError) as caught:
        bundled.units.resolve("区直各相关部门")
    assert "统称" in caught.value.message and "kpsy units" in caught.value.message
    with pytest.raises(UnknownNameError) as caught:
        other.units.resolve("城关镇")
    assert "印发通知主送各乡镇人民政府" in caught.value.message
    # a unit's name cut short is not a village, even where the notice addresses villages
    with pytest.raises(UnknownNameError) as caught:
        bundled.units.resolve("区农业农村")
    assert "主送" not in caught.value.message and "区农业农村局" in caught.value.message


def test_towns_named_as_a_group_by_responsibility_lines() -> None:
    units = [
        Unit(id="education", name="县教育局", full_name="江城市青山县教育局", kind="政府部门"),
        Unit(id="health", name="县卫健局", kind="政府部门"),
    ]
    place = Place(short="县", names=["青山县", "江城市青山县"])
    groups = [("各乡镇", "二（一）青少年科学素质提升行动"), ("各成员单位", "三（一）加强组织领导")]
    registry = UnitRegistry(units, place, ["各乡镇人民政府", "县直各有关单位"], lambda: groups)
    with pytest.raises(UnknownNameError) as caught:
        registry.resolve("城关镇")
    assert "只以集体名义提到他们（二（一）青少年科学素质提升行动）" in caught.value.message
    assert registry.resolve("青山县教育局").id == "education"
    assert registry.resolve("教育局").id == "education"


def test_forms_two_units_would_share_name_neither() -> None:
    """A name made by leaving the place off counts only when it names one unit."""
    units = [
        Unit(id="culture", name="县文化局", full_name="青山县文化和旅游局", kind="政府部门"),
        Unit(id="tourism", name="县旅游局", full_name="江城市青山县文化和旅游局", kind="政府部门"),
    ]
    registry = UnitRegistry(units, Place(short="县", names=["青山县", "江城市青山县"]))
    assert registry.resolve("青山县文化和旅游局").id == "culture"  # a unit's own full name wins
    assert registry.resolve("江城市青山县文化和旅游局").id == "tourism"
    assert registry.lookup("文化和旅游局") is None  # either of them
    assert registry.resolve("文化局").id == "culture"


# --- parts, actions and tasks ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "ident"),
    [
        ("youth-talent", "youth-talent"),
        ("Youth-Talent", "youth-talent"),
        ("youth_talent", "youth-talent"),
        ("二（一）5", "youth-talent"),
        ("二（一）5．", "youth-talent"),
        ("二(一)5", "youth-talent"),
        ("二(一)5.", "youth-talent"),
        ("二 (一) 5", "youth-talent"),
        ("二（一）５", "youth-talent"),
        ("二、（一）5", "youth-talent"),
        ("二（一）5．强化科技创新后备人才培育", "youth-talent"),
        ("二(一)5 强化科技创新后备人才培育", "youth-talent"),
        ("强化科技创新后备人才培育", "youth-talent"),
        ("后备人才", "youth-talent"),
        ("二（一）", "youth"),
        ("二(一)", "youth"),
        ("青少年科学素质提升行动", "youth"),  # a whole title wins over the task whose title holds it
        ("二、", "actions"),
        ("二", "actions"),
        ("提升行动", "actions"),
        ("四（四）", "schedule"),
        ("实施干部专业化能力提升计划", "cadres-professional-capacity"),  # without the quotation marks
        ("二（一）\u200b5", "youth-talent"),
    ],
)
def test_items_by_id_number_or_title(bundled: PlanData, typed: str, ident: str) -> None:
    assert find(bundled, typed).id == ident


def test_numbers_are_the_outlines_own(bundled: PlanData) -> None:
    """Every item is found by its own number, in full-width and half-width spelling."""
    import unicodedata

    for ref in [*bundled.parts, *bundled.iter_chapters(), *bundled.iter_tasks()]:
        assert find(bundled, ref.number).id == ref.id
        assert find(bundled, unicodedata.normalize("NFKC", ref.number)).id == ref.id
        assert find(bundled, ref.label).id == ref.id


def test_other_numbering_conventions(articles: PlanData) -> None:
    assert articles.document.plan.numbering is not None
    assert find(articles, "第二章").title == "重点任务"
    assert find(articles, "第二章 ").kind == "part"
    chapter = find(articles, "第四条")
    assert chapter.kind == "chapter" and chapter.title.startswith("实施老年人科学素质提升行动")
    assert find(articles, "第三条①").title.startswith("开齐开足科学课程")
    assert find(articles, "第三条 ②").title.startswith("组织青少年科技创新大赛")
    assert find(articles, "第四条（二）").title.startswith("开展健康科普进社区")
    assert find(articles, "老年人科学素质").id == chapter.id
    for ref in [*articles.parts, *articles.iter_chapters(), *articles.iter_tasks()]:
        assert find(articles, ref.number).id == ref.id
    with pytest.raises(UnknownNameError) as caught:
        find(articles, "第九条")
    assert "第九条" in caught.value.message


def test_the_other_plan(other: PlanData) -> None:
    assert find(other, "二(三)2").id == "community-safety"
    assert find(other, "开展校外科技活动").id == "youth-activities"
    assert find(other, "三").id == "safeguards"


def test_ambiguous_names_list_every_candidate(bundled: PlanData) -> None:
    with pytest.raises(AmbiguousNameError) as caught:
        find(bundled, "组织")
    assert caught.value.candidates == ["四、组织实施（implementation）", "四（一）组织保障（organisation）"]
    assert caught.value.exit_code == 1
    with pytest.raises(AmbiguousNameError) as caught:
        find(bundled, "（一）")
    assert [c.split("（", 1)[0] for c in caught.value.candidates] == ["一", "二", "三", "四"]
    with pytest.raises(AmbiguousNameError) as caught:
        find(bundled, "1．")
    firsts = [c.tasks[0] for c in bundled.iter_chapters() if c.tasks]
    assert caught.value.candidates == [f"{t.label}（{t.id}）" for t in firsts]
    assert find(bundled, "7．").id == "youth-teachers"  # the only task numbered 7


def test_a_target_or_unit_id_is_explained_not_misread(bundled: PlanData) -> None:
    with pytest.raises(UnknownNameError) as caught:
        find(bundled, "science-literacy-rate")
    message = caught.value.message
    assert "目标的 ID" in message and "一（二）总体目标" in message and "overall-goal" in message
    assert "是否要找" not in message
    with pytest.raises(UnknownNameError) as caught:
        find(bundled, "launch")
    assert "进度节点的 ID" in caught.value.message and "四（四）进度安排" in caught.value.message
    for name in ("health", "区卫健局"):
        with pytest.raises(UnknownNameError) as caught:
            find(bundled, name)
        assert "kpsy unit" in caught.value.message and "是否要找" not in caught.value.message


def test_unknown_items(bundled: PlanData) -> None:
    with pytest.raises(UnknownNameError) as caught:
        find(bundled, "youth-talen")
    assert "二（一）5．强化科技创新后备人才培育（youth-talent）" in caught.value.message
    with pytest.raises(UnknownNameError) as caught:
        find(bundled, "xyz")
    assert "是否要找" not in caught.value.message
    with pytest.raises(UnknownNameError) as caught:
        find(bundled, "二（一）9")
    assert "二（一）1．–二（一）7．" in caught.value.message
    with pytest.raises(UnknownNameError) as caught:
        find(bundled, "九、")
    assert "一、–四、" in caught.value.message
    with pytest.raises(UnknownNameError) as caught:
        find(bundled, "小学生")
    assert "kpsy search 小学生" in caught.value.message
    with pytest.raises(UnknownNameError) as caught:
        find_chapter(bundled, "二（一）5")
    assert "是任务二（一）5．强化科技创新后备人才培育" in caught.value.message
    with pytest.raises(UsageError):
        find(bundled, " \u200b")


def test_parts_by_position_and_actions_by_title(bundled: PlanData) -> None:
    assert find_part(bundled, "2").id == "actions"
    assert find_part(bundled, "提升行动").id == "actions"
    assert find_chapter(bundled, "老年人").id == "elderly"


# --- search -----------------------------------------------------------------------------------


def test_search_finds_every_occurrence_in_the_document(bundled: PlanData) -> None:
    texts = [p.text for p in paragraphs(bundled)]
    result = search(bundled, "健康")
    assert len(result.hits) == sum(t.count("健康") for t in texts)
    for hit in result.hits:
        paragraph = texts[hit.paragraph - 1]
        assert paragraph[hit.start : hit.end] == hit.match == "健康"
        assert hit.context == hit.before + hit.match + hit.after
        assert hit.context.replace("…", "") in paragraph
        assert any(hit.context[s:e] == "健康" for s, e in hit.marks)
        ref = bundled.find(hit.id)
        assert ref is not None and (hit.number, hit.title) == (ref.number, ref.title)
    assert [h.paragraph for h in result.hits] == sorted(h.paragraph for h in result.hits)


def test_search_reaches_the_notice_responsibility_lines_and_imprint(bundled: PlanData) -> None:
    kinds = {(h.kind, h.where) for h in search(bundled, "办公室").hits}
    assert ("front", "notice-issuer") in kinds and ("back", "imprint") in kinds
    assert ("chapter", "responsibility") in {(h.kind, h.where) for h in search(bundled, "区卫健局").hits}
    front = next(h for h in search(bundled, "办公室").hits if h.kind == "front")
    assert front.number == "" and front.title == "印发通知"


def test_search_folds_width_and_case(bundled: PlanData) -> None:
    assert [h.match for h in search(bundled, "２０２５").hits] == [h.match for h in search(bundled, "2025").hits]
    assert len(search(bundled, "2025").hits) > 3
    assert [h.match for h in search(bundled, "E站").hits] == ["e站"]


def test_search_with_a_regular_expression(bundled: PlanData) -> None:
    result = search(bundled, r"20\d\d-20\d\d年", regex=True)
    assert result.hits and all(re.fullmatch(r"20\d\d-20\d\d年", h.match) for h in result.hits)
    assert search(bundled, "x*", regex=True).hits == []  # empty matches are no hits
    with pytest.raises(UsageError) as caught:
        search(bundled, "(科普", regex=True)
    assert "不是有效的正则表达式" in caught.value.message and caught.value.exit_code == 2
    with pytest.raises(UsageError):
        search(bundled, "  ")


def test_search_in_one_units_actions_and_tasks(bundled: PlanData) -> None:
    unit = bundled.units.resolve("区卫健局")
    rows = tasks(bundled, unit)
    mine = {r.task_id for r in rows} | {r.action_id for r in rows}
    result = search(bundled, "健康", unit=unit)
    assert result.hits and {h.id for h in result.hits} <= mine
    assert len(result.hits) < len(search(bundled, "健康").hits)
    assert result.unit == "区卫健局"


# --- one unit ---------------------------------------------------------------------------------


def test_profile_counts_agree_with_the_units_listing(bundled: PlanData) -> None:
    from kpsy.queries.units import units

    for row in units(bundled):
        counts = profile(bundled, bundled.units.resolve(row.name)).counts
        assert counts["lead"] == {"actions": row.lead_actions, "tasks": row.lead_tasks}
        assert counts["participant"] == {"actions": row.participant_actions, "tasks": row.participant_tasks}
        assert counts["mentioned"] == {"actions": row.mentioned_actions, "tasks": row.mentioned_tasks}


def test_profile_leads_and_co_leads(bundled: PlanData) -> None:
    from kpsy.queries.coverage import coverage

    unit = bundled.units.resolve("区卫健局")
    found = profile(bundled, unit)
    cells = coverage(bundled, []).cells["区卫健局"]
    assert [a.id for a in found.actions if a.role == "lead"] == [k for k, v in cells.items() if v == "lead"]
    elderly = next(a for a in found.actions if a.id == "elderly")
    assert elderly.co_leads == ["区民政局"] and "区卫健局" not in elderly.participants
    assert [t.task_id for t in elderly.tasks] == ["elderly-smart-ageing", "elderly-health", "elderly-silver-age"]
    farmers = next(a for a in found.actions if a.id == "farmers")
    assert farmers.role == "participant" and farmers.leads == ["区农业农村局", "区乡村振兴局"]
    assert [(c.row.id, c.scope) for c in found.targets] == [
        ("science-literacy-rate", "plan"),
        ("health-literacy-level", "own"),
    ]
    assert [c.scope for c in found.milestones] == ["plan", "plan", "plan"]


def test_profile_of_a_body_that_oversees(bundled: PlanData) -> None:
    found = profile(bundled, bundled.units.resolve("区人民政府"))
    assert found.oversees and found.counts["lead"]["tasks"] == 0
    assert ("launch", "own") in [(c.row.id, c.scope) for c in found.milestones]  # the milestone names it


def test_profile_on_the_other_plan(other: PlanData) -> None:
    found = profile(other, other.units.resolve("县卫健局"))
    community = next(a for a in found.actions if a.id == "community")
    assert community.role == "lead" and community.co_leads == ["县科协"]
    assert [c.row.id for c in found.targets if c.scope == "own"] == [
        t.id for t in other.targets if t.source.ref.startswith("community")
    ]


# --- the command line -----------------------------------------------------------------------


def test_show_by_number_and_title() -> None:
    expected = run("show", "youth-talent", "--plan", PLAN).stdout
    assert expected.startswith("二（一）5．强化科技创新后备人才培育\n")
    for typed in ("二（一）5", "二（一）5．", "二(一)5", "强化科技创新后备人才培育"):
        result = run("show", typed, "--plan", PLAN)
        assert result.exit_code == 0 and result.stdout == expected, typed
    assert run("show", "青少年科学素质提升行动", "--plan", PLAN).stdout.startswith("二（一）青少年科学素质提升行动\n")
    data = json.loads(run("show", "二、", "-f", "json", "--plan", PLAN).stdout)
    assert data["id"] == "actions"


def test_show_ambiguous_and_unknown() -> None:
    result = run("show", "组织", "--plan", PLAN)
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr == (
        "错误：“组织”对应 2 项，请用编号或 ID 指明其中一项：\n  四、组织实施（implementation）\n  四（一）组织保障（organisation）\n"
    )
    result = run("show", "science-literacy-rate", "--plan", PLAN)
    assert result.exit_code == 1 and "目标的 ID" in result.stderr and "是否要找" not in result.stderr


def test_show_warns_of_invisible_characters() -> None:
    result = run("show", "二（一）\u200b5", "--plan", PLAN)
    assert result.exit_code == 0 and result.stdout.startswith("二（一）5．")
    assert "警告：ITEM 中有不可见字符 U+200B ZERO WIDTH SPACE，已删除，按“二（一）5”处理" in result.stderr


def test_tasks_action_and_part_take_numbers_and_titles() -> None:
    by_id = json.loads(run("tasks", "--action", "youth", "-f", "json", "--plan", PLAN).stdout)
    for typed in ("二(一)", "青少年科学素质提升行动"):
        assert json.loads(run("tasks", "--action", typed, "-f", "json", "--plan", PLAN).stdout) == by_id
    result = run("tasks", "--action", "二（一）5", "--plan", PLAN)
    assert result.exit_code == 1 and "不是行动" in result.stderr


def test_unit_option_warns_and_goes_on() -> None:
    plain = run("tasks", "-u", "区教育局", "-f", "json", "--plan", PLAN)
    result = run("tasks", "-u", "\ufeff区教育\u200b局", "-f", "json", "--plan", PLAN)
    assert result.exit_code == 0 and result.stdout == plain.stdout
    assert "U+FEFF ZERO WIDTH NO-BREAK SPACE、U+200B ZERO WIDTH SPACE" in result.stderr
    assert "“区教育局”" in result.stderr


@pytest.mark.usefixtures("english")
def test_unit_option_warning_in_english() -> None:
    result = run("tasks", "-u", "区教育\u200b局", "-f", "json", "--plan", PLAN)
    assert result.exit_code == 0
    assert result.stderr.startswith(
        "warning: --unit contained invisible character(s) U+200B ZERO WIDTH SPACE; they were removed and “区教育局” was used"
    )


@pytest.mark.parametrize("command", [["tasks", "-u"], ["unit"], ["render", "letter", "-u"], ["search", "健康", "-u"]])
def test_every_unit_argument_explains_addressees(command: list[str]) -> None:
    result = run(*command, "白沙洲街道", "--plan", PLAN)
    assert result.exit_code == 1
    assert "印发通知主送各镇（街道）人民政府（办事处）" in result.stderr and "Traceback" not in result.output


def test_search_formats() -> None:
    table = run("search", "人工智能", "--plan", PLAN)
    assert table.exit_code == 0
    assert table.stdout.splitlines()[:2] == [
        "编号         标题                  上下文",
        "三（二）3．  实施智慧科普建设工程  …工程。支持探索科普与大数据、云计算、人工智能、区块链等技术深度融",
    ]
    assert table.stdout.rstrip().endswith("共 1 处，分布在 1 个条目中")
    hits = json.loads(run("search", "应急", "-f", "json", "--plan", PLAN).stdout)
    assert {"id", "number", "title", "match", "context", "marks", "paragraph", "file"} <= set(hits[0])
    assert all(h["context"][h["marks"][0][0] : h["marks"][0][1]] == "应急" for h in hits)
    rows = list(csv.reader(io.StringIO(run("search", "应急", "-f", "csv", "--plan", PLAN).stdout.lstrip("\ufeff"))))
    assert len(rows) == len(hits) + 1 and "上下文" in rows[0]
    md = run("search", "应急", "-u", "区卫健局", "-f", "md", "--plan", PLAN).stdout
    assert md.startswith("# 搜索：应急（区卫健局的行动和任务中）\n")
    assert "合理用药、**应急**处置等知识" in md


def test_search_xlsx(workdir: Path) -> None:
    result = run("search", "科普", "-f", "xlsx", "-o", "搜索.xlsx", "--plan", PLAN)
    assert result.exit_code == 0
    sheet = openpyxl.load_workbook(workdir / "搜索.xlsx").worksheets[0]
    header = [c.value for c in sheet[1]]
    assert header[:3] == ["编号", "标题", "上下文"]
    hits = json.loads(run("search", "科普", "-f", "json", "--plan", PLAN).stdout)
    assert sheet.max_row == len(hits) + 1
    assert sheet.cell(row=2, column=header.index("段落序号") + 1).value == hits[0]["paragraph"]


def test_search_without_hits_says_so_on_stderr() -> None:
    result = run("search", "量子计算", "--plan", PLAN)
    assert result.exit_code == 0 and result.stdout == ""
    assert result.stderr == "没有找到“量子计算”\n"
    result = run("search", "量子计算", "-f", "json", "--plan", PLAN)
    assert result.exit_code == 0 and json.loads(result.stdout) == []
    result = run("search", "量子", "-u", "区卫健局", "--plan", PLAN)
    assert result.stderr == "没有找到“量子”（区卫健局的行动和任务中）\n"


def test_search_bad_regex_is_a_usage_error() -> None:
    result = run("search", "(科普", "--regex", "--plan", PLAN)
    assert result.exit_code == 2 and "“(科普”不是有效的正则表达式" in result.stderr
    assert "Traceback" not in result.output


def test_search_text_never_becomes_markup_or_escapes(plan_copy: Path) -> None:
    edit(
        plan_copy / "chapters" / "youth.yaml",
        "title: 推进高等教育阶段科学教育",
        "title: '[bold red]推进[/]高等教育*科学*教育'",
    )
    result = run("search", "[bold red]", "--plan", plan_copy)
    assert "[bold red]推进[/]高等教育*科学*教育" in result.stdout
    md = run("search", "[bold red]", "-f", "md", "--plan", plan_copy).stdout
    assert r"\[bold red\]推进\[/\]高等教育\*科学\*教育" in md
    result = run("search", "\x1b[31m推进", "--plan", plan_copy)
    assert "\x1b" not in result.stdout and "U+001B" in result.stderr


def test_unit_formats(workdir: Path) -> None:
    text = run("unit", "卫生健康局", "--plan", PLAN)
    assert text.exit_code == 0
    lines = text.stdout.splitlines()
    assert lines[0] == "区卫健局"
    assert "牵头 2 项行动（7 项任务），参加 4 项行动（14 项任务），另在 0 处正文中被提及" in lines
    assert "    共同牵头：区民政局" in lines
    assert "牵头的行动" in lines and "参加的行动" in lines and "目标" in lines and "进度安排" in lines
    data = json.loads(run("unit", "Health", "-f", "json", "--plan", PLAN).stdout)
    assert data["id"] == "health" and data["counts"]["lead"] == {"actions": 2, "tasks": 7}
    assert {a["role"] for a in data["actions"]} == {"lead", "participant"}
    assert all(t["role"] in ("lead", "participant", "mentioned") for t in data["tasks"])
    md = run("unit", "区卫健局", "-f", "md", "--plan", PLAN).stdout
    assert md.startswith("# 区卫健局\n") and "## 牵头的行动" in md and "    - 共同牵头：区民政局" in md
    rows = list(csv.reader(io.StringIO(run("unit", "区卫健局", "-f", "csv", "--plan", PLAN).stdout.lstrip("\ufeff"))))
    assert len(rows) - 1 == sum(c["tasks"] for c in data["counts"].values())
    assert run("unit", "区卫健局", "-f", "xlsx", "-o", "卫健局.xlsx", "--plan", PLAN).exit_code == 0
    assert openpyxl.load_workbook(workdir / "卫健局.xlsx").worksheets[0].max_row == len(rows)


@pytest.mark.parametrize(
    ("args", "name"),
    [
        (["unit", "区卫健局"], "unit-health.txt"),
        (["unit", "区科协", "-f", "md"], "unit-science-association.md"),
        (["unit", "县卫健局", "-f", "md", "--plan", str(OTHER)], "unit-qingshan-health.md"),
        (["search", "科普", "-u", "区文旅体局", "-f", "md"], "search-culture.md"),
        (["search", "健康", "--plan", str(OTHER)], "search-qingshan-health.txt"),
    ],
)
def test_outputs_match_golden(args: list[str], name: str) -> None:
    plan = [] if "--plan" in args else ["--plan", str(PLAN)]
    result = run(*args, *plan)
    assert result.exit_code == 0, result.output
    golden(name, result.stdout)


def test_unit_text_never_splits_a_units_name(monkeypatch: pytest.MonkeyPatch) -> None:
    from kpsy.outputs.layout import display_width

    names = [u.name for u in open_plan(PLAN).data.units]
    for width in ("40", "60", "80"):
        monkeypatch.setenv("COLUMNS", width)
        out = run("unit", "区卫健局", "--plan", PLAN).stdout
        for line in out.splitlines():
            assert not line.strip().startswith("、")
            assert display_width(line) <= int(width), line
        listed = [ln.strip() for ln in out.splitlines()]
        joined = "".join(listed)
        for name in names:
            assert joined.count(name) == sum(line.count(name) for line in listed), (width, name)


def test_unit_on_the_other_plan() -> None:
    out = run("unit", "江城市青山县卫生健康局", "--plan", OTHER).stdout
    assert out.startswith("县卫健局\n") and "共同牵头：县科协" in out


# --- a real terminal --------------------------------------------------------------------------


def on_a_terminal(*args: str, columns: int = 100) -> str:
    """What `kpsy args` shows on a terminal (a pty), colours allowed."""
    import pty

    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "COLUMNS", "KPSY_LANG")}
    env.update(TERM="xterm-256color", COLUMNS=str(columns), LINES="50")
    leader, follower = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "kpsy", *args], stdin=follower, stdout=follower, stderr=follower, env=env
    )
    os.close(follower)
    chunks: list[bytes] = []
    while True:
        ready, _, _ = select.select([leader], [], [], 30)
        if not ready:
            break
        try:
            data = os.read(leader, 65536)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    proc.wait(30)
    os.close(leader)
    return b"".join(chunks).decode("utf-8", "replace")


def test_hits_are_highlighted_on_a_terminal_and_plan_text_stays_text(plan_copy: Path) -> None:
    shown = on_a_terminal("search", "人工智能", "--plan", str(plan_copy), columns=200)
    assert re.search(r"\x1b\[[0-9;]*7[0-9;]*m人工智能\x1b\[0m", shown), shown
    assert "三（二）3．" in shown
    edit(plan_copy / "chapters" / "youth.yaml", "title: 推进高等教育阶段科学教育", "title: '[bold red]推进[/]高等教育'")
    shown = on_a_terminal("search", "推进[/]", "--plan", str(plan_copy), columns=200)
    assert "[bold red]推进[/]高等教育" in shown, shown


def test_marks_survive_wrapping_and_never_reach_plain_text() -> None:
    from kpsy.outputs.layout import MARK_END, MARK_START, display_width, marked, marked_pieces, wrap
    from kpsy.outputs.listing import Column, Listing, render_plain

    text = "支持探索科普与大数据、云计算、人工智能、区块链等技术深度融合"
    at = text.index("人工智能")
    lines = wrap(marked(text, [(at, at + 4)]), 16)
    assert all(line.count(MARK_START) == line.count(MARK_END) for line in lines)
    assert "".join(p for line in lines for p, hit in marked_pieces(line) if hit) == "人工智能"
    assert all(display_width(line) <= 16 for line in lines)
    assert all(not line.startswith(MARK_END) for line in lines)
    # data that holds the marks' characters is shown without them, and nothing is highlighted by it
    listing = Listing(
        "t",
        [Column("context", "上下文", marks="marks")],
        [{"context": f"甲{MARK_START}乙{MARK_END}丙", "marks": [[0, 1]]}],
    )
    assert render_plain(listing, 40) == "上下文\n甲乙丙\n"


def test_a_hit_wrapped_on_a_narrow_terminal_is_highlighted_on_each_line() -> None:
    shown = on_a_terminal("search", "科技资源科普化", "--plan", str(PLAN), columns=40)
    assert "科技资源" in shown and "\x1b[" in shown
    highlighted = re.findall(r"\x1b\[[0-9;]*7[0-9;]*m([^\x1b]*)\x1b\[0m", shown)
    assert highlighted and all(h in "科技资源科普化" for h in highlighted)
    assert "\ufdd0" not in shown and "\ufdd1" not in shown

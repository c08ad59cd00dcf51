"""Models and derived numbering."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from kpsy.plan import model
from kpsy.plan.load import load_plan
from kpsy.plan.numbering import chinese_date, chinese_number
from kpsy.plan.validators import validate as validate_record

from .conftest import PLAN

pytestmark = pytest.mark.usefixtures("english")  # these tests read kpsy's English messages


@pytest.mark.parametrize(
    ("n", "text"),
    [
        (1, "一"),
        (4, "四"),
        (10, "十"),
        (11, "十一"),
        (20, "二十"),
        (34, "三十四"),
        (99, "九十九"),
        (100, "一百"),
        (101, "一百零一"),
        (110, "一百一十"),
        (115, "一百一十五"),
        (1000, "一千"),
        (1001, "一千零一"),
        (1010, "一千零一十"),
        (1100, "一千一百"),
        (9999, "九千九百九十九"),
    ],
)
def test_chinese_numbers(n: int, text: str) -> None:
    assert chinese_number(n) == text


def test_chinese_date_has_no_leading_zeros() -> None:
    assert chinese_date(dt.date(2023, 4, 6)) == "2023年4月6日"


def validate(cls: type, data: object) -> object:
    return validate_record(cls, data)


def test_strict_types_refuse_coercion() -> None:
    with pytest.raises(ValidationError):
        validate(model.Period, {"start": "2021", "end": 2025})
    with pytest.raises(ValidationError):
        validate(model.Responsibility, {"leads": ["区教育局"], "etc": "yes"})


def test_extra_fields_are_forbidden() -> None:
    with pytest.raises(ValidationError, match="colour"):
        validate(model.Task, {"id": "a", "title": "t", "colour": "red"})


@pytest.mark.parametrize("bad", ["Youth", "youth_talent", "-a", "a--b", "1a", "教育", "a-"])
def test_ids_are_lower_case_ascii_with_hyphens(bad: str) -> None:
    with pytest.raises(ValidationError, match="not a valid id"):
        validate(model.Task, {"id": bad, "title": "t"})


def test_text_with_surrounding_space_is_refused() -> None:
    with pytest.raises(ValidationError, match="white space"):
        validate(model.Task, {"id": "a", "title": " t"})


def test_real_plan_shape() -> None:
    plan = load_plan(PLAN).plan
    assert plan is not None
    assert [p.id for p in plan.parts] == ["general", "actions", "projects", "implementation"]
    actions = list(plan.actions())
    assert len(actions) == 9
    tasks = [t for t in plan.iter_tasks() if t.chapter.is_action]
    assert len(tasks) == 34
    assert len(list(plan.iter_tasks())) == 38
    assert sum(1 for u in plan.units if u.kind not in model.OVERSIGHT_KINDS) == 26
    resps = [c.chapter.responsibility for c in actions]
    named = {n for r in resps if r for n in (*r.leads, *r.participants)}
    assert len(named) == 26


def test_task_numbers_are_derived_from_order() -> None:
    plan = load_plan(PLAN).plan
    assert plan is not None
    numbers = {t.task.id: t.number for t in plan.iter_tasks()}
    assert numbers["youth-scientist-spirit"] == "二（一）1．"
    assert numbers["youth-higher-education"] == "二（一）3．"
    assert numbers["grassroots-cooperation"] == "三（四）4．"
    assert numbers["cond-funding"] == "四（三）2．"


def test_targets_and_schedule_are_data() -> None:
    plan = load_plan(PLAN).plan
    assert plan is not None
    rate = {t.id: t for t in plan.targets}
    assert rate["science-literacy-rate"].statement == "超过15%" and rate["science-literacy-rate"].year == 2025
    assert rate["health-literacy-level"].statement == "不低于25%"
    periods = [(m.period.start, m.period.end) for m in plan.milestones]
    assert periods == [(2023, 2023), (2023, 2024), (2025, 2025)]
    assert plan.document.notice.date == dt.date(2023, 4, 6)
    assert [b.number for b in plan.document.plan.basis] == [
        "国发〔2021〕9号",
        "湘政办发〔2021〕74号",
        "衡政办发〔2021〕30号",
    ]


def test_models_import_without_pydantic() -> None:
    import subprocess
    import sys

    code = "import sys, kpsy.plan.outline, kpsy.queries.tasks, kpsy.api; print('pydantic' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"

"""Plan files written directly in canonical form (kpsy.plan.fmt.direct_text) are, byte for byte,
what ruamel.yaml writes in canonical form (`kpsy fmt`); what the direct writer cannot decide is
left to ruamel.yaml."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kpsy.api import open_plan
from kpsy.importer.write import _commented, plain
from kpsy.plan.fmt import _canonical, _yaml, direct_text, format_text
from kpsy.plan.kinds import KINDS

from .conftest import PLAN, QINGSHAN


def by_ruamel(record: Any, kind: str) -> str:
    data = _commented(plain(record))
    _canonical(data, KINDS[kind].model)
    out = io.StringIO()
    _yaml().dump(data, out)
    return out.getvalue()


def records(folder: Path) -> list[tuple[str, Any]]:
    return [(source.kind, source.data) for source in open_plan(folder).data.sources.values()]


@pytest.mark.parametrize("folder", [PLAN, QINGSHAN / "plan"], ids=["bundled", "qingshan"])
def test_every_file_of_a_plan_is_written_as_ruamel_writes_it(folder: Path) -> None:
    decided = 0
    for kind, record in records(folder):
        direct = direct_text(plain(record))
        if direct is not None:
            assert direct == by_ruamel(record, kind), kind
            assert format_text(direct, KINDS[kind].model) == direct  # canonical: `kpsy fmt` leaves it
            decided += 1
    assert decided >= len(records(folder)) // 2  # most files are written directly


TASK_KIND = "chapter"
CHAPTER = next(record for kind, record in records(PLAN) if kind == TASK_KIND and record.tasks)

text = st.text(
    st.characters(codec="utf-8", exclude_categories=("Cs",)) | st.sampled_from(list("-:#,[]{}'\" .?!|>%@`&*")),
    max_size=12,
)


@settings(max_examples=400, deadline=None)
@given(title=text, aliases=st.lists(text, max_size=3))
def test_any_text_is_written_as_ruamel_writes_it_or_left_to_it(title: str, aliases: list[str]) -> None:
    task = dataclasses.replace(CHAPTER.tasks[0], title=title)
    record = dataclasses.replace(CHAPTER, tasks=[task, *CHAPTER.tasks[1:]])
    direct = direct_text(plain(record))
    if direct is not None:
        assert direct == by_ruamel(record, TASK_KIND)
    data: dict[str, Any] = {"name": "区教育局", "aliases": aliases, "since": dt.date(2023, 4, 20), "n": 3}
    written = direct_text(data)
    if written is not None:
        import yaml

        assert yaml.safe_load(written) == data

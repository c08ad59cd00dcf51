"""Units named in text, found without a regular expression: the same as the expression of every
name (longest first) finds, on the real registry and on texts made of names that contain one
another."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from kpsy.api import open_plan

from .conftest import PLAN

REGISTRY = open_plan(PLAN).data.units
NAMES = sorted({n for u in REGISTRY for n in (u.name, u.full_name) if n}, key=len, reverse=True)
EXPRESSION = re.compile("|".join(map(re.escape, NAMES)))


def by_expression(text: str) -> list[tuple[int, str]]:
    return [(m.start(), m.group()) for m in EXPRESSION.finditer(text)]


pieces = st.sampled_from([*NAMES, *(n[1:] for n in NAMES), *(n[:-1] for n in NAMES), "老", "区", "，", "和", "县"])


@settings(max_examples=300, deadline=None)
@given(st.lists(pieces, max_size=12))
def test_names_found_as_the_expression_finds_them(parts: list[str]) -> None:
    text = "".join(parts)
    assert REGISTRY._named_in(text) == by_expression(text)


def test_the_longest_name_at_a_place_wins() -> None:
    text = "由区科协牵头，区教育局、衡阳市雁峰区教育局参加"
    assert REGISTRY._named_in(text) == [(1, "区科协"), (7, "区教育局"), (12, "衡阳市雁峰区教育局")]
    assert REGISTRY.mentions(text) == REGISTRY.sort({"区科协", "区教育局"})

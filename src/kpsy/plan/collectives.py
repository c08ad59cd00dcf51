"""Collectives: groups of bodies a responsibility line names instead of units (各成员单位, 各乡镇人民
政府, 县直各有关单位), and which units of the registry each stands for.

Each kind is one entry. 各成员单位 (the members of the plan's leading group) stands for every unit
that does the work; 各乡镇人民政府 and 各街道办事处 for the towns and streets the registry holds,
usually none, as a plan names them as a group; 县直各有关单位 for no unit in particular, since the
line does not say which. A collective is never taken for every unit unless it means them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from kpsy.plan.model import OVERSIGHT_KINDS, Unit

Members = Literal["all", "settlements", "schools", "none"]


@dataclass(frozen=True)
class Collective:
    """A kind of collective: its key, its names, what it looks like, and whom it stands for."""

    key: str
    en: str
    zh: str
    pattern: re.Pattern[str]
    members: Members


_SETTLEMENT_BODY = re.compile(r"(?:镇|乡|街道|街|苏木|社区|村)(?:人民政府|政府|办事处|党委|党工委|居委会|村委会)?$")
_SCHOOL = re.compile(r"(?:学校|中学|小学|幼儿园|学院|大学)$")

COLLECTIVES: tuple[Collective, ...] = (
    Collective(
        "member-units",
        "the member units (各成员单位)",
        "各成员单位",
        re.compile(r"^[\u4e00-\u9fff（）()]{0,30}?(?:各|全体)(?:相关|有关)?成员单位$"),
        "all",
    ),
    Collective(
        "settlements",
        "towns and streets (各乡镇人民政府, 各街道办事处)",
        "各乡镇（街道）",
        re.compile(
            r"^各(?:[乡镇街道村社区苏木（）()、/]{1,12})(?:人民政府|政府|办事处|党委|党工委|便民服务中心)?"
            r"(?:[（(](?:办事处|人民政府|政府)[）)])?$"
        ),
        "settlements",
    ),
    Collective(
        "schools",
        "schools (各学校, 各中小学)",
        "各学校",
        re.compile(r"^各(?:级各类)?(?:中小学校?|学校|幼儿园|高校|职业院校|院校)$"),
        "schools",
    ),
    Collective(
        "departments",
        "the departments concerned (县直各有关单位, 各有关部门)",
        "各有关单位",
        re.compile(
            r"^(?:[\u4e00-\u9fff]{0,12}?[县区市州省旗]直|驻[县区市]|[县区市]级)?各(?:有关|相关|级|职能)?"
            r"[\u4e00-\u9fff]{0,6}(?:单位|部门|机关|成员单位)$"
        ),
        "none",
    ),
    Collective(
        "other",
        "other groups (各…)",
        "其他集体",
        re.compile(r"^(?:各|全体|所有)[\u4e00-\u9fff（）()]{1,14}$"),
        "none",
    ),
)


def collective_of(name: str) -> Collective | None:
    """The kind of collective `name` is, or None when it names a body."""
    return next((c for c in COLLECTIVES if c.pattern.match(name)), None)


def members(name: str, units: Iterable[Unit]) -> list[Unit]:
    """The units of the registry that the collective `name` stands for (several collectives joined
    by 「、」: those any of them stands for), in registry order."""
    units = list(units)
    kinds = [collective_of(part) for part in re.split(r"[、，,]", name)]
    wanted = {kind.members for kind in kinds if kind is not None}
    out = []
    for unit in units:
        if unit.kind in OVERSIGHT_KINDS:
            continue
        if (
            "all" in wanted
            or ("settlements" in wanted and _SETTLEMENT_BODY.search(unit.name))
            or ("schools" in wanted and _SCHOOL.search(unit.name))
        ):
            out.append(unit)
    return out

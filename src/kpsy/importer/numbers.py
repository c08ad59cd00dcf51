"""The numbers items of the genre start with (一、 （一） 1． （1） ① 第一章 第一节 第一条), by the
shapes of `kpsy.importer.conventions.NUMBERS`: what kind each is, its value, and how it is written."""

from __future__ import annotations

from dataclasses import dataclass

from kpsy.importer import conventions as conv
from kpsy.plan.numbering import CIRCLED


def chinese_to_int(text: str) -> int:
    """一 -> 1, 十二 -> 12, 二十 -> 20, 一百零一 -> 101."""
    digits = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0}
    total, current = 0, 0
    for c in text:
        if c in digits:
            current = digits[c]
        elif c == "十":
            total += (current or 1) * 10
            current = 0
        elif c == "百":
            total += (current or 1) * 100
            current = 0
    return total + current


@dataclass(frozen=True)
class Number:
    """A number at the start of a paragraph: its kind, how it is written ({cn}、), its value, and the rest."""

    family: str
    pattern: str
    value: int
    rest: str


def number_of(text: str) -> Number | None:
    """The number `text` starts with, if it starts with one of the genre's numbers and has more after it."""
    for shape_ in conv.NUMBERS:
        m = shape_.regex.match(text)
        if m is None:
            continue
        rest = text[m.end() :]
        if not rest:
            return None
        groups = {k: v or "" for k, v in m.groupdict().items() if k != "n"}
        numeral = m.group("n")
        if shape_.numeral == "cn":
            value = chinese_to_int(numeral)
        elif shape_.numeral == "n":
            value = int(numeral)
        else:
            value = CIRCLED.index(numeral) + 1
        pattern = shape_.template.format(cn="{cn}", n="{n}", circled="{circled}", **groups)
        return Number(shape_.key, pattern, value, rest)
    return None

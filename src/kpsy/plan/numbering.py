"""The document's numbering and dates: 一、 （一） 1．, 2023年4月6日. Derived from order, never stored."""

from __future__ import annotations

import datetime as dt

CN_DIGITS = "零一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 -> 一, 10 -> 十, 12 -> 十二, 20 -> 二十, 101 -> 一百零一, 110 -> 一百一十 (the document's numbering)."""
    if not 0 < n < 10000:
        raise ValueError(f"cannot number {n} in Chinese numerals")
    if n < 100:
        tens, ones = divmod(n, 10)
        if tens == 0:
            return CN_DIGITS[ones]
        return ("" if tens == 1 else CN_DIGITS[tens]) + "十" + (CN_DIGITS[ones] if ones else "")
    out, pending_zero = "", False
    for digit, unit in zip((n // 1000, n // 100 % 10, n // 10 % 10, n % 10), ("千", "百", "十", ""), strict=True):
        if digit == 0:
            pending_zero = bool(out)
            continue
        out += ("零" if pending_zero else "") + CN_DIGITS[digit] + unit
        pending_zero = False
    return out


def chinese_date(day: dt.date) -> str:
    """2023-04-06 -> 2023年4月6日 (GB/T 9704: no leading zeros)."""
    return f"{day.year}年{day.month}月{day.day}日"


def part_number(index: int) -> str:
    """The number of the part at 0-based `index`: 一、."""
    return f"{chinese_number(index + 1)}、"


def chapter_number(index: int) -> str:
    """The number of the chapter at 0-based `index` within its part: （一）."""
    return f"（{chinese_number(index + 1)}）"


def task_number(index: int) -> str:
    """The number of the task at 0-based `index` within its chapter: 1．."""
    return f"{index + 1}．"


CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def number_as(pattern: str, n: int) -> str:
    """The number `n` (1-based) written in `pattern`: {cn} 一, {n} 1, {circled} ① (第{cn}章 -> 第三章)."""
    circled = CIRCLED[n - 1] if 0 < n <= len(CIRCLED) else f"({n})"
    if "{cn}" in pattern:
        pattern = pattern.replace("{cn}", chinese_number(n))
    return pattern.replace("{n}", str(n)).replace("{circled}", circled)

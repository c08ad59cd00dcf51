"""What a value typed into a cell means, as people type it in Excel, WPS and LibreOffice: numbers as
numbers or as text (full-width digits, 85%, 1,234), percentages as a spreadsheet stores them (52%
is 0.52), dates as dates, as text in every usual form (2025-06-30, 2025/6/30, 2025.6.30,
2025年6月30日, 2025.6, 2025年6月) or as a date serial, checked against the plan's period.

Each function returns the value, or raises `ValueProblem` with the words a clerk reads.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
import re
import unicodedata
from dataclasses import dataclass

from kpsy.i18n import msg
from kpsy.sheets.book import Cell

_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_GROUPED = re.compile(r"[+-]?\d{1,3}(?:,\d{3})+(?:\.\d+)?")
_DAY = re.compile(r"(\d{4})\s*(?:[-/.]\s*(\d{1,2})\s*[-/.]\s*(\d{1,2})|年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?)")
_MONTH = re.compile(r"(\d{4})\s*(?:[-/.]\s*(\d{1,2})|年\s*(\d{1,2})\s*月?)")
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")
_TIME = re.compile(r"[T ]\s*\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?$")
# Breaks a person types (Alt+Enter is a line feed; other programs write CR, CR LF, U+2028 or U+2029)
_BREAKS = re.compile("\r\n|[\r\x85\u2028\u2029\x0b]")
# what a workbook or a plan file cannot hold: control characters and noncharacters
_UNWRITABLE = re.compile("[\x00-\x08\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]")
MAX_SERIAL = 2958465  # 9999-12-31 as a date serial


class ValueProblem(Exception):
    """Why a cell's value is not what its column takes, for the person who typed it."""


@dataclass(frozen=True)
class Month:
    """A month given without a day (统计日期 2025年6月)."""

    year: int
    month: int

    def __str__(self) -> str:
        return f"{self.year}-{self.month:02d}"

    @property
    def last_day(self) -> dt.date:
        return dt.date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])


@dataclass(frozen=True)
class Window:
    """The days a date may fall on, and what to call them in a message."""

    first: dt.date
    last: dt.date
    example: dt.date  # a date of the sheet's own period, for "type it as …"

    def holds(self, day: dt.date) -> bool:
        return self.first <= day <= self.last


def shown(value: object) -> str:
    text = str(value)
    return text if len(text) <= 30 else text[:30] + "…"


# --- text ------------------------------------------------------------------------------------------


def text_of(cell: Cell) -> str | None:
    """A cell's text as typed, line breaks kept as line feeds, trimmed; None when empty."""
    value = cell.value
    if value is None:
        return None
    if isinstance(value, bool):
        text = "是" if value else "否"
    elif isinstance(value, dt.datetime):
        text = value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    elif isinstance(value, float):
        text = str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    else:
        text = str(value)
    text = _BREAKS.sub("\n", text)
    text = "\n".join(line.rstrip() for line in text.split("\n")).strip()
    return text or None


def unwritable(text: str) -> str | None:
    """The first character of `text` that neither a workbook nor a plan file can hold, described."""
    found = _UNWRITABLE.search(text)
    if found is None:
        return None
    char = found.group()
    return f"U+{ord(char):04X}"


# --- numbers ---------------------------------------------------------------------------------------


def number_of(cell: Cell) -> float:
    """The number in a cell: a number (×100 when shown as a percentage), or text that reads as one."""
    value = cell.value
    if cell.kind == "number" and isinstance(value, float):
        number = value * 100 if cell.percent else value
    elif isinstance(value, str):
        number = _number_text(value)
    else:
        raise ValueProblem(
            msg(
                "'{v}' is not a number: type a number (80)",
                "“{v}”不是数字：请填写数字，如 80",
                v=shown(text_of(cell) or value),
            )
        )
    if not math.isfinite(number):
        raise ValueProblem(msg("'{v}' is not a finite number", "“{v}”不是有效数字（无穷大或非数）", v=shown(value)))
    return round(number, 6)


def _number_text(text: str) -> float:
    folded = unicodedata.normalize("NFKC", text).strip().replace(" ", "")
    plain = folded[:-1] if folded.endswith("%") else folded
    if _GROUPED.fullmatch(plain):
        plain = plain.replace(",", "")
    if not _NUMBER.fullmatch(plain):
        raise ValueProblem(
            msg("'{v}' is not a number: type a number (80)", "“{v}”不是数字：请填写数字，如 80", v=shown(text.strip()))
        )
    return float(plain)


def whole(number: float) -> float | int:
    return int(number) if float(number).is_integer() else number


# --- dates -----------------------------------------------------------------------------------------


def date_of(cell: Cell, window: Window, epoch: dt.datetime, *, month: bool) -> dt.date | Month:
    """The date in a cell (or, where `month` allows, a month): a date, a date serial, a number such
    as 2025.6 (a month: LibreOffice keeps 「2025.6」 as a number), or text in any usual form;
    refused when it falls outside `window`."""
    value = cell.value
    typed_month = cell.serial is not None and not float(cell.serial).is_integer()
    if isinstance(value, dt.datetime) and typed_month and not window.holds(value.date()):
        value = cell.serial  # 「2025.6」 typed into a date-formatted cell is kept as the number 2025.6
    if isinstance(value, dt.datetime):
        found: dt.date | Month = value.date()
    elif isinstance(value, float) and not isinstance(value, bool):
        found = _from_number(value, window, epoch)
    elif isinstance(value, str):
        found = _from_text(value, window)
    else:
        raise ValueProblem(_not_a_date(shown(text_of(cell) or value), window))
    if isinstance(found, Month) and not month:
        raise ValueProblem(_month_only(shown(text_of(cell)), window.example))
    day = found.last_day if isinstance(found, Month) else found
    if not (window.holds(day) or (isinstance(found, Month) and window.holds(dt.date(found.year, found.month, 1)))):
        raise ValueProblem(_outside(str(found), window))
    return found


def typed_day(text: str, example: dt.date) -> dt.date:
    """A day typed as people type it (2025-12-10, 2025/12/10, 2025.12.10, 2025年12月10日, 20251210,
    full-width digits too), as a sheet's date cell takes it; `example` is shown in the message."""
    window = Window(dt.date.min, dt.date.max, example)
    found = _from_text(text, window)
    if isinstance(found, Month):
        raise ValueProblem(_month_only(shown(text.strip()), example))
    return found


def _month_only(value: str, example: dt.date) -> str:
    return msg(
        "'{v}' gives a month, not a day: type the day as well ({example})",
        "“{v}”只到月份：请写到日，如 {example}",
        v=value,
        example=example.isoformat(),
    )


def _from_number(value: float, window: Window, epoch: dt.datetime) -> dt.date | Month:
    text = repr(value)
    year, _, fraction = text.partition(".")
    if year.isdigit() and 1900 <= int(year) <= 2100 and fraction not in ("", "0"):
        return _month_number(int(year), fraction, text, window)
    if value.is_integer() and 0 < value <= MAX_SERIAL:
        day = (epoch + dt.timedelta(days=value)).date()  # by the workbook's own date system (1900 or 1904)
        if epoch.year == 1899 and value < 60:
            day += dt.timedelta(days=1)
        if window.holds(day):
            return day
        raise ValueProblem(
            msg(
                "{v} is a number; read as a date serial it is {day}, outside {first} to {last}: type the date ({example})",
                "{v} 是数字，按日期序号是 {day}，不在 {first} 至 {last} 之间：请输入日期，如 {example}",
                v=whole(value),
                day=day.isoformat(),
                first=window.first.isoformat(),
                last=window.last.isoformat(),
                example=window.example.isoformat(),
            )
        )
    raise ValueProblem(_not_a_date(text, window))


def _month_number(year: int, fraction: str, text: str, window: Window) -> Month:
    """2025.6 -> June 2025; 2025.12 -> December; 2025.1 is January or October (2025.10 typed as a
    number loses its 0), so it is refused."""
    if fraction == "1":
        raise ValueProblem(
            msg(
                "{v} is a number, which may be {year}-01 or {year}-10 ({year}.10 typed into a number cell becomes {year}.1): type it as {year}-01 or {year}-10",
                "{v} 是数字，可能是 {year}年1月，也可能是 {year}年10月（{year}.10 输入数字单元格后会变成 {year}.1）：请写作 {year}-01 或 {year}-10",
                v=text,
                year=year,
            )
        )
    if not fraction.isdigit() or not 1 <= int(fraction) <= 12:
        raise ValueProblem(_not_a_date(text, window))
    return Month(year, int(fraction))


def _from_text(text: str, window: Window) -> dt.date | Month:
    folded = unicodedata.normalize("NFKC", text).strip()
    for pattern in (_DAY, _COMPACT):
        found = pattern.fullmatch(_TIME.sub("", folded).strip() if pattern is _DAY else folded)
        if found:
            year, month, day = (int(g) for g in found.groups() if g is not None)
            try:
                return dt.date(year, month, day)
            except ValueError:
                raise ValueProblem(
                    msg("'{v}' is not a day of the calendar", "“{v}”不是日历上的日期", v=shown(text.strip()))
                ) from None
    found = _MONTH.fullmatch(folded)
    if found:
        year, month = (int(g) for g in found.groups() if g is not None)
        if 1 <= month <= 12:
            return Month(year, month)
    raise ValueProblem(_not_a_date(shown(text.strip()), window))


def _not_a_date(value: str, window: Window) -> str:
    day = window.example
    return msg(
        "'{v}' is not a date: type it as {iso} (or {slash}, {dot}, {cn})",
        "“{v}”不是日期：请按 {iso} 的格式填写（也可写作 {slash}、{dot} 或 {cn}）",
        v=value,
        iso=day.isoformat(),
        slash=f"{day.year}/{day.month}/{day.day}",
        dot=f"{day.year}.{day.month}.{day.day}",
        cn=f"{day.year}年{day.month}月{day.day}日",
    )


def _outside(value: str, window: Window) -> str:
    return msg(
        "{v} is outside {first} to {last}, the days a date here may fall on: is the year right?",
        "{v} 不在 {first} 至 {last} 之间（此处日期的合理范围）：年份是否有误？",
        v=value,
        first=window.first.isoformat(),
        last=window.last.isoformat(),
    )

"""Reporting periods: a year (2024), a quarter (2024Q3) or a month (2024-05), as progress reports
are filed under plan/progress/<period>/.

A period knows its first and last day, how the office writes it (2024年, 2024年第三季度, 2024年5月)
and where it stands among others: periods are ordered by their last day, then their first, so that
2024Q3 comes before 2024 (which ends later) and 2024-05 before 2024Q2.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from kpsy.plan.numbering import chinese_number

PERIOD_PATTERN = re.compile(r"(\d{4})(?:Q([1-4])|-(0[1-9]|1[0-2]))?")


@dataclass(frozen=True, slots=True)
class ReportPeriod:
    """One reporting period, parsed from how it is written."""

    text: str  # as written: 2024, 2024Q3, 2024-05
    year: int
    quarter: int = 0  # 1-4 for a quarter
    month: int = 0  # 1-12 for a month

    @property
    def kind(self) -> str:
        """year, quarter or month."""
        return "quarter" if self.quarter else "month" if self.month else "year"

    @property
    def start(self) -> dt.date:
        if self.quarter:
            return dt.date(self.year, 3 * self.quarter - 2, 1)
        return dt.date(self.year, self.month or 1, 1)

    @property
    def end(self) -> dt.date:
        month = 3 * self.quarter if self.quarter else self.month or 12
        return dt.date(self.year, month, calendar.monthrange(self.year, month)[1])

    @property
    def label(self) -> str:
        """How the office writes it: 2024年, 2024年第三季度, 2024年5月."""
        if self.quarter:
            return f"{self.year}年第{chinese_number(self.quarter)}季度"
        if self.month:
            return f"{self.year}年{self.month}月"
        return f"{self.year}年"

    @property
    def label_of_year(self) -> str:
        """The label used in titles, 2024年度 for a year (2024年第三季度 otherwise)."""
        return f"{self.year}年度" if self.kind == "year" else self.label

    @property
    def shown(self) -> str:
        """The period as a person reads it in the language of the moment: the office's label in
        Chinese (2024年, 2024年第三季度), 2024, 2024 Q3 or 2024-05 in English."""
        from kpsy.i18n import language

        if language() == "zh":
            return self.label
        return (
            f"{self.year} Q{self.quarter}"
            if self.quarter
            else f"{self.year}-{self.month:02d}"
            if self.month
            else str(self.year)
        )

    @property
    def shown_of_year(self) -> str:
        """`shown`, with 年度 for a year in Chinese titles."""
        from kpsy.i18n import language

        return self.label_of_year if language() == "zh" else self.shown

    def sort_key(self) -> tuple[dt.date, dt.date]:
        return (self.end, self.start)

    def __str__(self) -> str:
        return self.text


def shown(text: str) -> str:
    """A period written as in the data (2024, 2024Q3), as a person reads it now (see ReportPeriod.shown)."""
    period = parse_period(text)
    return period.shown if period is not None else text


def parse_period(text: object) -> ReportPeriod | None:
    """The period written as `text` (2024, "2024", "2024Q3", "2024-05"), or None when it is not one."""
    if isinstance(text, bool):
        return None
    if isinstance(text, int):
        text = str(text)
    if not isinstance(text, str):
        return None
    found = PERIOD_PATTERN.fullmatch(text)
    if found is None:
        return None
    year = int(found.group(1))
    if not 1949 <= year <= 2100:
        return None
    return ReportPeriod(text, year, int(found.group(2) or 0), int(found.group(3) or 0))


def sort_periods(texts: list[str]) -> list[str]:
    """Periods in time order (by their last day, then their first); ones that do not parse last."""
    far = (dt.date.max, dt.date.max)
    return sorted(texts, key=lambda t: (p.sort_key() if (p := parse_period(t)) else far, t))

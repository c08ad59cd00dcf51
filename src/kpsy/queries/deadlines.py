"""督办: when each period's reports are due, whether each unit reported on time (按时 / 逾期 / 未报),
and a light for each task (green 已报齐, yellow 临近截止, red 逾期, orange 滞后, grey 待报).

A period's deadline is, in order: the one `settings.yaml` sets for that period (progress.deadlines);
for a year, the day of the year `progress.due` names (12-10), else the day the letters' 工作要求
name (「每年12月10日前」), in the year reported on; for a quarter or a month, `progress.after_days`
(10) days after it ends. A plan that says none of these has no deadline: nothing is late.

Whether a report came on time is judged by the day the office received it (`received`), else by its
填报日期. Everything is judged as of a day the caller gives (`as_of`): the command line's --date, or
today for `kpsy progress`; documents without --date are judged as of the deadline itself.
"""

from __future__ import annotations

import datetime as dt
import re

from kpsy.light import light
from kpsy.plan.model import ProgressFile
from kpsy.plan.outline import PlanData
from kpsy.plan.periods import ReportPeriod

# 「每年12月10日前」, 「每年 12 月 10 日之前」 in the letters' 工作要求
_YEARLY = re.compile(r"每年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*(?:之)?前")

# The lights, most urgent first, with the office's words for them.
LIGHTS: dict[str, str] = {
    "overdue": "逾期",
    "behind": "滞后",
    "due-soon": "临近截止",
    "open": "待报",
    "done": "已报齐",
}
# What each unit's report was, against the deadline.
STATES: dict[str, str] = {"on-time": "按时", "late": "逾期", "overdue": "逾期未报", "pending": "待报"}


def yearly_due(plan: PlanData) -> tuple[int, int] | None:
    """(month, day) of the yearly reports' deadline: settings' progress.due, else the letters' words."""
    settings = plan.settings.progress
    if settings is not None and settings.due is not None:
        return int(settings.due[:2]), int(settings.due[3:])
    letter = plan.settings.letter
    for paragraph in letter.reporting if letter is not None else []:
        found = _YEARLY.search(paragraph)
        if found:
            return int(found.group(1)), int(found.group(2))
    return None


def deadline(plan: PlanData, period: ReportPeriod) -> dt.date | None:
    """The last day to report on `period`, or None when the plan sets none."""
    settings = plan.settings.progress
    for own in settings.deadlines if settings is not None else []:
        if own.period == period.text:
            return own.date
    if period.kind != "year":
        return period.end + dt.timedelta(days=settings.after_days if settings is not None else 10)
    due = yearly_due(plan)
    if due is None:
        return None
    month, day = due
    try:
        return dt.date(period.year, month, day)
    except ValueError:  # 02-29 in a common year
        return dt.date(period.year, month, day - 1)


def warn_days(plan: PlanData) -> int:
    settings = plan.settings.progress
    return settings.warn_days if settings is not None else 7


def filed_on(report: ProgressFile) -> dt.date:
    """The day a report counts as sent: when the office received it, else its 填报日期."""
    return report.received or report.date


@light
class Submission:
    """How one unit stands with its report for a period (报送情况)."""

    unit: str
    unit_id: str
    state: str  # on-time, late, overdue (none, deadline passed), pending (none, not yet due)
    filed: dt.date | None
    days: int  # days late (late), or days overdue as of the day judged (overdue); else 0
    expected: int  # tasks it should report on
    reported: int  # tasks it reported on

    @property
    def label(self) -> str:
        return STATES[self.state]

    @property
    def partial(self) -> bool:
        return self.filed is not None and self.reported < self.expected

    def as_dict(self) -> dict[str, object]:
        return {
            "unit": self.unit,
            "unit_id": self.unit_id,
            "state": self.state,
            "state_label": self.label,
            "filed": self.filed.isoformat() if self.filed else None,
            "days": self.days,
            "expected": self.expected,
            "reported": self.reported,
        }


def judge(report: ProgressFile | None, due: dt.date | None, as_of: dt.date) -> tuple[str, dt.date | None, int]:
    """(state, filed, days) of a unit whose report for the period is `report` (None: none yet)."""
    if report is not None:
        filed = filed_on(report)
        late = (filed - due).days if due is not None else 0
        return ("late", filed, late) if late > 0 else ("on-time", filed, 0)
    if due is not None and as_of > due:
        return "overdue", None, (as_of - due).days
    return "pending", None, 0


def task_light(missing: bool, behind: bool, due: dt.date | None, as_of: dt.date, warn: int) -> str:
    """The light of a task: `missing`, some unit has not reported on it; `behind`, some unit
    reported it 欠进度 or 未启动."""
    if missing:
        if due is not None and as_of > due:
            return "overdue"
        if due is not None and (due - as_of).days <= warn:
            return "due-soon"
        return "open"
    return "behind" if behind else "done"

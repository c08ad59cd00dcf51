"""考评: what the 督查通报 and the 总结评估 say about the units and the years, from the reports.

- `scores`: each unit's score out of 100 by one documented rule (SCORING), ranked;
- `problem_groups`: the problems reported, sorted into the office's usual headings by their words;
- `years`: the counts by status of every year of the plan up to a period, for the trend.

The scoring rule (量化评分), 100 points a unit:

- 报送 (on time) 30: a report sent by the deadline 30; late, 2 fewer a day late, never under 10; none 0;
- 完整 (complete) 20: 20 × the share of the unit's tasks its report covers;
- 进度 (progress) 50: 50 × the mean over the unit's tasks of 已完成 and 超进度 1, 达进度 0.8, 其他 0.6,
  欠进度 0.4, 未启动 and a task not reported on 0.

表扬 (praised): the units scoring 90 or more, at most five, best first. 通报批评 (criticised): the units
with no report past the deadline, and those scoring under 60.
"""

from __future__ import annotations

import re

from kpsy.i18n import msg
from kpsy.light import light
from kpsy.plan.outline import PlanData
from kpsy.queries.deadlines import Submission
from kpsy.queries.progress import MISSING, Count, Entry, PeriodProgress, period_progress, periods

ON_TIME_POINTS = 30.0
LATE_PER_DAY = 2.0
LATE_FLOOR = 10.0
COMPLETE_POINTS = 20.0
PROGRESS_POINTS = 50.0
STATUS_WEIGHTS: dict[str, float] = {
    "已完成": 1.0,
    "超进度": 1.0,
    "达进度": 0.8,
    "其他": 0.6,
    "欠进度": 0.4,
    "未启动": 0.0,
    MISSING: 0.0,
}
PRAISE_FROM = 90.0
PRAISE_AT_MOST = 5
CRITICISE_UNDER = 60.0

# The rule in the words the 通报 prints (附件 and the ranking's note).
SCORING = (
    "评分办法：满分100分。按时报送30分，逾期报送每逾期1天扣2分、最低10分，未报送0分；"
    "报送完整20分，按已报任务占应报任务的比例计分；工作进度50分，按各项任务完成状态计分"
    "（已完成、超进度计满分，达进度计80%，其他计60%，欠进度计40%，未启动和未填报不计分）。"
    "90分以上的单位（至多5个）予以表扬；逾期未报送或得分低于60分的单位予以通报批评。"
)


@light
class Score:
    """One unit's score and place."""

    rank: int
    unit: str
    state: str  # its Submission's state
    timely: float
    complete: float
    progress: float
    reported: int
    expected: int

    @property
    def total(self) -> float:
        return round(self.timely + self.complete + self.progress, 1)


def _timely(submission: Submission) -> float:
    if submission.state == "on-time":
        return ON_TIME_POINTS
    if submission.state == "late":
        return max(LATE_FLOOR, ON_TIME_POINTS - LATE_PER_DAY * submission.days)
    return 0.0


def scores(view: PeriodProgress) -> list[Score]:
    """Every unit expected to report, scored by the rule above and ranked (ties share a place;
    within a tie, protocol order)."""
    made = []
    for submission in view.submissions:
        statuses = [row.cells[submission.unit] for row in view.rows if submission.unit in row.cells]
        expected = max(1, submission.expected)
        mean = sum(STATUS_WEIGHTS.get(s, 0.0) for s in statuses) / max(1, len(statuses))
        made.append(
            Score(
                0,
                submission.unit,
                submission.state,
                _timely(submission),
                round(COMPLETE_POINTS * submission.reported / expected, 1),
                round(PROGRESS_POINTS * mean, 1),
                submission.reported,
                submission.expected,
            )
        )
    ordered = sorted(made, key=lambda s: -s.total)  # stable: protocol order within a tie
    for i, score in enumerate(ordered):
        score.rank = ordered[i - 1].rank if i and ordered[i - 1].total == score.total else i + 1
    return ordered


def praised(ranked: list[Score]) -> list[Score]:
    return [s for s in ranked if s.total >= PRAISE_FROM][:PRAISE_AT_MOST]


def criticised(ranked: list[Score]) -> list[Score]:
    return [s for s in ranked if s.state == "overdue" or (s.total < CRITICISE_UNDER and s.state != "pending")]


# --- problems ---------------------------------------------------------------------------------

# The office's usual headings for what stands in the way, and the words that put a problem under one.
PROBLEM_GROUPS: dict[str, str] = {
    "经费保障不足": r"经费|资金|预算|投入|财力",
    "人员力量薄弱": r"人员|人手|编制|队伍|人才|师资|志愿者|专职|兼职",
    "场地设施欠缺": r"场地|设施|场馆|阵地|设备|基地|器材",
    "协调联动不够": r"协调|联动|配合|衔接|沟通|机制|合力",
    "群众参与不高": r"参与|积极性|覆盖|知晓|认识|意识|吸引",
    "客观因素影响": r"疫情|天气|汛期|防控|停工",
}
OTHER_GROUP = "其他问题"
HEADINGS_EN: dict[str, str] = {
    "经费保障不足": "Not enough funding",
    "人员力量薄弱": "Too few people",
    "场地设施欠缺": "Venues and facilities lacking",
    "协调联动不够": "Too little coordination",
    "群众参与不高": "Too few people taking part",
    "客观因素影响": "Circumstances",
    OTHER_GROUP: "Other problems",
}


@light
class ProblemGroup:
    """Problems reported under one heading: how many, by which units, in which actions."""

    heading: str
    entries: list[Entry]

    @property
    def shown(self) -> str:
        """The heading in the language of the moment."""
        return msg(HEADINGS_EN[self.heading], self.heading)

    @property
    def units(self) -> list[str]:
        return list(dict.fromkeys(e.unit for e in self.entries))

    @property
    def actions(self) -> list[str]:
        return list(dict.fromkeys(e.action_number for e in self.entries if e.action_number))


def problem_group(text: str) -> str:
    """The heading a problem's words put it under (the first that matches), else 其他问题."""
    return next((heading for heading, words in PROBLEM_GROUPS.items() if re.search(words, text)), OTHER_GROUP)


def problem_groups(entries: list[Entry]) -> list[ProblemGroup]:
    """The problems of `entries`, grouped, the most reported first (其他问题 last)."""
    grouped: dict[str, list[Entry]] = {}
    for entry in entries:
        if entry.problems:
            grouped.setdefault(problem_group(entry.problems), []).append(entry)
    groups = [ProblemGroup(h, e) for h, e in grouped.items()]
    return sorted(groups, key=lambda g: (g.heading == OTHER_GROUP, -len(g.entries)))


# --- the years ----------------------------------------------------------------------------------


@light
class YearCounts:
    """One year's counts by status, over every (unit, task) pair expected."""

    period: str
    counts: list[Count]
    total: int
    reported_units: int
    reporters: int


def year_views(plan: PlanData, last: str) -> list[PeriodProgress]:
    """The progress of each year of the plan, from its first to `last`'s year, that has yearly reports."""
    span = plan.document.plan.period
    have = set(periods(plan))
    end = min(span.end, int(last[:4]))
    return [period_progress(plan, str(year)) for year in range(span.start, end + 1) if str(year) in have]


def year_counts(views: list[PeriodProgress]) -> list[YearCounts]:
    """Each year's counts by status, for the table and the chart of the trend."""
    return [YearCounts(v.period, v.overall, v.total, v.reported_units, v.reporters) for v in views]


def scoring_rule() -> str:
    """The scoring rule in the words the 通报 prints."""
    return msg(
        "Scoring: 100 points. On time 30 (late: 2 fewer a day, at least 10; none: 0); complete 20 (the share of"
        " the unit's tasks reported on); progress 50 (done and ahead in full, on track 80%, other 60%, behind"
        " 40%, not started and not reported on 0). Units with 90 or more (at most five) are praised; units"
        " with no report past the deadline, or under 60, are criticised.",
        SCORING,
    )

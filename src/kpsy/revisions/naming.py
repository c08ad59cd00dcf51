"""Revisions named as the office names them, never by git's names or hashes: the issued version a
revision is (revisions.yaml: 「2023年4月印发稿（雁政办发〔2023〕5号，2023年4月6日）」), the draft it
is (「2026年修订征求意见稿」), else a dated description (「2026年3月5日稿」: the day of its commit, or
of the last change to its files). Two revisions are never given the same name.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from kpsy.i18n import msg
from kpsy.plan import versions
from kpsy.plan.model import Version
from kpsy.plan.numbering import chinese_date
from kpsy.plan.outline import PlanData


def dated(day: dt.date) -> str:
    """「2026年3月5日稿」: a revision no record names, by its day."""
    return msg("the text of {date}", "{cn}稿", date=f"{day:%-d %B %Y}", cn=chinese_date(day))


def last_edited(folder: Path) -> dt.date:
    """The day the newest file of a plan folder was last written."""
    newest = 0.0
    for root, _, files in os.walk(folder):
        for name in files:
            try:
                newest = max(newest, os.stat(os.path.join(root, name)).st_mtime)
            except OSError:
                continue
    return dt.datetime.fromtimestamp(newest).date() if newest else dt.date.today()


def recorded(plan: PlanData, version: Version | None) -> str | None:
    """What the record says a revision is: the issued version given, or the one the data says it
    is, or the draft it is; None when there is no record."""
    if version is not None:
        return versions.describe(version)
    revisions = plan.revisions
    if revisions is None or revisions.current.draft_of is None:
        return None
    if revisions.current.name:
        return revisions.current.name
    base = versions.draft_base(plan)
    return msg("a draft revising {base}", "{base}的修订草案", base=base.name if base else revisions.current.draft_of)


def names(records: tuple[str | None, str | None], days: tuple[dt.date, dt.date]) -> tuple[str, str]:
    """The two revisions' names: by their records, else by their days; NEW, when it would be named
    as OLD is (the working data still says it is the version it revises), by its day."""
    old = records[0] or dated(days[0])
    new = records[1] or dated(days[1])
    if new == old:
        new = dated(days[1])
    if new == old:
        old = msg("{n} (before)", "{n}（修改前）", n=old)
        new = msg("{n} (after)", "{n}（修改后）", n=new)
    return old, new

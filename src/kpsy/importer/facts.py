"""What the plan states beyond its outline: the notice and the 版记 as records, the period the plan
covers, the documents its preamble cites (《title》（文号）, with full- or half-width parentheses),
numeric targets (a sentence that states a number and a year) and milestones (a 进度安排 chapter)."""

from __future__ import annotations

import datetime as dt
import re

from kpsy.i18n import msg
from kpsy.importer import units as names
from kpsy.importer.front import IMPRINT, Front, Problem, parse_date
from kpsy.importer.read import Line
from kpsy.plan.model import Basis, Imprint, Milestone, Notice, Period, SourceRef, Target
from kpsy.plan.outline import PlanData

SCHEDULE_TITLES = ("进度安排", "实施步骤", "时间安排", "工作步骤", "时间进度", "进度要求")
COMPARATORS = ("超过", "不低于", "达到", "不少于", "低于", "不高于", "不超过")
_TARGET = re.compile(
    rf"(?P<ind>[\u4e00-\u9fff“”]{{2,40}}?)(?P<cmp>{'|'.join(COMPARATORS)})(?P<val>\d+(?:\.\d+)?)"
    r"(?P<unit>%|％|‰|万人次|人次|万人|个|家|所|座|名|人|项|场|次|支|处|篇|部|件|小时|学时)?"
)
_LEADING = re.compile(r"^(?:(?:我|全|本)[区县市旗州省]|各[区县市]|[区县市]级|城乡)")
_YEAR = re.compile(r"(20\d\d)年")
_SPAN = re.compile(r"(20\d\d)(?:年)?\s*[-—–~至到]\s*(20\d\d)年|(20\d\d)年")
CITATION = re.compile(r"《([^《》\n]+)》[（(]([^（）()\n]*?[〔\[【]\d{4}[〕\]】] ?\d+ ?号)[）)]")


def notice(front: Front, unplaced: list[Problem]) -> Notice | None:
    """The notice as a record, or None (and the reason among `unplaced`) when it has no body."""
    if front.notice_title is None:
        return None
    body = [line.text for line in front.body]
    if not body:
        why = msg("the notice has no body", "通知没有正文")
        unplaced.append(Problem(front.notice_title.where, front.notice_title.text, why))
        return None
    addressees: list[str] = []
    if front.addressees is not None:
        addressees = re.split(r"[，,]", front.addressees.text[:-1])
        if not front.addressees.text.endswith("："):
            why = msg("addressees end in a half-width colon", "主送机关以半角冒号结尾")
            unplaced.append(Problem(front.addressees.where, front.addressees.text, why))
        elif "，".join(addressees) + "：" != front.addressees.text:
            why = msg("addressees are separated by half-width commas", "主送机关之间用了半角逗号")
            unplaced.append(Problem(front.addressees.where, front.addressees.text, why))
    return Notice(
        issuer=front.issuer.text if front.issuer else None,
        number=front.number.text if front.number else None,
        title=front.notice_title.text,
        addressees=addressees,
        body=body,
        signature=front.signature.text if front.signature else None,
        date=parse_date(front.date.text) if front.date else None,
    )


def imprint(line: Line | None, unplaced: list[Problem]) -> Imprint | None:
    """The 版记's 「印发」 line as a record."""
    if line is None:
        return None
    m = IMPRINT.match(line.text)
    date = parse_date(m.group("date").replace(" ", "")) if m else None
    if m is None or date is None:
        unplaced.append(Problem(line.where, line.text, msg("not a real date", "不是有效日期")))
        return None
    return Imprint(issuer=m.group("issuer"), date=date)


def basis(preamble: list[str], used: set[str]) -> list[Basis]:
    """The documents the preamble cites: 《title》（文号） or 《title》(文号)."""
    return [
        Basis(id=names.unique(f"basis-{i}", used), title=m.group(1), number=m.group(2))
        for i, m in enumerate(CITATION.finditer("\n".join(preamble)), 1)
    ]


def period(title: str, preamble: str) -> Period:
    """The years a plan covers: from its title (（2021-2025年）), else its preamble, else 十四五/十五五."""
    for text in (title, preamble):
        m = re.search(r"(20\d\d)\s*[-—–~至到]\s*(20\d\d)年", text)
        if m and int(m.group(1)) <= int(m.group(2)):
            return Period(start=int(m.group(1)), end=int(m.group(2)))
    plans = {"十四五": 2021, "十五五": 2026, "十三五": 2016, "十六五": 2031}
    for word, start in plans.items():
        if word in title + preamble:
            return Period(start=start, end=start + 4)
    m = _YEAR.search(title)
    year = int(m.group(1)) if m else dt.date.today().year
    return Period(start=year, end=year)


def targets(plan: PlanData, used: set[str]) -> list[Target]:
    from kpsy.plan.text import paragraphs

    period = plan.document.plan.period
    found: list[Target] = []
    for paragraph in paragraphs(plan):
        if not paragraph.ref or paragraph.kind == "responsibility":
            continue
        for sentence in re.split(r"(?<=[。；;])", paragraph.text):
            for m in _TARGET.finditer(sentence):
                years = [y for y in _YEAR.finditer(sentence[: m.end()])]
                if not years:
                    continue
                year_match = years[-1]
                year = int(year_match.group(1))
                if not period.start <= year <= period.end:
                    continue
                start = sentence.rfind("到", 0, year_match.start() + 1)
                start = start if start >= 0 and year_match.start() - start <= 2 else year_match.start()
                quote = sentence[start : m.end()]
                indicator = re.split(r"[，,、：:；]", m.group("ind"))[-1]
                indicator = _LEADING.sub("", indicator)
                if len(indicator) < 2 or "\n" in quote:
                    continue
                value = float(m.group("val"))
                found.append(
                    Target(
                        id=names.unique(f"target-{len(found) + 1}", used),
                        indicator=indicator,
                        comparator=m.group("cmp"),  # type: ignore[arg-type]
                        value=int(value) if value == int(value) else value,
                        unit=m.group("unit") or "",
                        year=year,
                        source=SourceRef(ref=paragraph.ref, quote=quote),
                    )
                )
    return found


def milestones(plan: PlanData, used: set[str]) -> list[Milestone]:
    from kpsy.plan.text import paragraphs

    period = plan.document.plan.period
    found: list[Milestone] = []
    schedule = {c.id for c in plan.iter_chapters() if any(w in c.title for w in SCHEDULE_TITLES)}
    schedule |= {t.id for c in plan.iter_chapters() if c.id in schedule for t in c.tasks}
    for paragraph in paragraphs(plan):
        if paragraph.ref not in schedule or paragraph.kind == "responsibility":
            continue
        text = paragraph.tail if paragraph.head else paragraph.text
        for clause in re.split(r"[；;。]", text):
            clause = clause.strip()
            m = _SPAN.search(clause)
            if m is None or m.start() > 12:
                continue
            start = int(m.group(1) or m.group(3))
            end = int(m.group(2) or start)
            if not period.start <= start <= end <= period.end:
                continue
            title = clause[m.end() :].lstrip("期间前后底，,：:）) ")
            if not title:
                continue
            found.append(
                Milestone(
                    id=names.unique(f"milestone-{len(found) + 1}", used),
                    title=title,
                    period=Period(start=start, end=end),
                    source=SourceRef(ref=paragraph.ref, quote=clause),
                )
            )
    return found

"""Cited documents: a cited 文号 agrees with the title and the period of the document it numbers.

The registry of documents is data (`cited.yaml`, next to this module), one entry a document, each
fact with where it comes from.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from kpsy.checks.proof.base import Hit, paired, proof_rule
from kpsy.checks.proof.numbers import narrow_digits
from kpsy.findings import Level
from kpsy.i18n import msg
from kpsy.light import light
from kpsy.plan.numbering import chinese_date

REGISTRY = Path(__file__).with_name("cited.yaml")
FACTS = ("number", "title", "issues", "issuer", "date", "period")


@light(hashable=True)
class Cited:
    """A document plans of this genre cite (see cited.yaml for what each field holds)."""

    number: str
    title: str
    issuer: str
    checked: bool
    sources: tuple[tuple[str, str], ...]
    issues: str = ""
    date: dt.date | None = None
    period: tuple[int, int] | None = None

    @property
    def titles(self) -> tuple[str, ...]:
        return (self.title, self.issues) if self.issues else (self.title,)

    def source(self, fact: str) -> str:
        found = dict(self.sources)
        return found.get(fact) or found.get("all", "")


def _entry(raw: dict[str, Any]) -> Cited:
    """A registry entry, checked: every field known, every fact given a source."""
    unknown = set(raw) - {*FACTS, "checked", "sources"}
    sources = raw.get("sources") or {}
    given = [fact for fact in FACTS if raw.get(fact) is not None]
    if unknown or not isinstance(raw.get("checked"), bool) or not ("all" in sources or set(given) <= set(sources)):
        raise ValueError(f"registry entry {raw.get('number')!r}: unknown fields {unknown} or a fact without a source")
    period = raw.get("period")
    return Cited(
        number=str(raw["number"]),
        title=str(raw["title"]),
        issuer=str(raw["issuer"]),
        checked=raw["checked"],
        sources=tuple((str(k), str(v)) for k, v in sources.items()),
        issues=str(raw.get("issues") or ""),
        date=raw.get("date"),
        period=(int(period[0]), int(period[1])) if period else None,
    )


@functools.cache
def registry() -> tuple[Cited, ...]:
    """Every document of the registry."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return tuple(_entry(raw) for raw in yaml.load(REGISTRY.read_text(encoding="utf-8"), Loader=loader))


# --- comparing ---------------------------------------------------------------------------------

_PERIOD = re.compile(r"(?P<a>(?:1[89]|2[01])\d\d)(?P<sep>——|--|[-－–―—~～一至到])(?P<b>(?:1[89]|2[01])\d\d)(?=年)")
_IGNORED = re.compile(r"[《》〈〉<>＜＞«»‹›\s]")


def _words(title: str) -> str:
    """A title as its words: no book-title marks or spaces, half-width digits, 一字线 in periods, （）."""
    text = _IGNORED.sub("", narrow_digits(title)).replace("(", "（").replace(")", "）")
    return _PERIOD.sub(lambda m: f"{m.group('a')}—{m.group('b')}", text)


def _without_period(words: str) -> str:
    return re.sub(r"\d{4}—\d{4}", "…", words)


def normal_number(number: str) -> str:
    """A 文号 as the registry writes it: 〔〕 for any brackets, no spaces, no 第, no leading zeros."""
    text = re.sub(r"\s", "", narrow_digits(number))
    text = re.sub(r"[\[（(【［〖﹝｛{〈<「『]", "〔", text)
    text = re.sub(r"[\]）)】］〗﹞｝}〉>」』]", "〕", text)
    return re.sub(r"〕第?0*(\d)", r"〕\1", text)


@functools.cache
def _by_number() -> dict[str, Cited]:
    return {normal_number(c.number): c for c in registry()}


@functools.cache
def _by_title() -> dict[str, Cited]:
    return {_without_period(_words(t)): c for c in registry() for t in c.titles}


# 《title》（number）, or a title alone
_CITATION = re.compile(
    r"《(?P<title>(?:[^《》]|《[^《》]*》)+)》(?:\s*[（(]\s*(?P<number>[^（）()《》]{2,30}?号)\s*[）)])?"
)


def _clause(cited: Cited) -> str:
    """What a finding rests on: the document, and whether kpsy read it or only another plan's citation."""
    if not cited.checked:
        return msg("{n}, as another plan cites it (unverified)", "{n}，据其他方案所引，未经核实", n=cited.number)
    if cited.date is None:
        return msg("{n}, {who}", "{n}，{who}", n=cited.number, who=cited.issuer)
    day = cited.date
    return msg(
        "{n}, {who}, {iso}",
        "{n}，{who}，{zh}",
        n=cited.number,
        who=cited.issuer,
        iso=day.isoformat(),
        zh=chinese_date(day),
    )


def _period_hit(text: str, m: re.Match[str], cited: Cited) -> Hit | None:
    """The cited title's period where it differs from the document's."""
    if cited.period is None:
        return None
    found = _PERIOD.search(narrow_digits(text), m.start("title"), m.end("title"))
    if found is None or (int(found.group("a")), int(found.group("b"))) == cited.period:
        return None
    first, last = cited.period
    parts = tuple(
        (found.start(g), found.end(g), str(year))
        for g, year in (("a", first), ("b", last))
        if int(found.group(g)) != year
    )
    what = msg(
        "{number} covers {first}—{last}{note}",
        "{number}的期限是{first}—{last}年{note}",
        number=cited.number,
        first=first,
        last=last,
        note="" if cited.checked else msg(" according to another plan", "（据其他方案所引）"),
    )
    start, end = found.start(), found.end() + 1
    return Hit(start, end, paired(text, start, end, parts), cited.checked, what, parts[0][0], _clause(cited), parts)


def _title_hit(text: str, m: re.Match[str], cited: Cited) -> Hit:
    what = msg("{number} is titled 《{title}》", "{number}的标题是《{title}》", number=cited.number, title=cited.title)
    return Hit(m.start("title"), m.end("title"), cited.title, False, what, clause=_clause(cited))


def _number_hit(text: str, m: re.Match[str], cited: Cited) -> Hit:
    what = msg(
        "《{title}》 is numbered {number}", "《{title}》的文号是{number}", title=cited.title, number=cited.number
    )
    return Hit(m.start("number"), m.end("number"), cited.number, False, what, clause=_clause(cited))


def _check(text: str, m: re.Match[str]) -> Iterator[Hit]:
    words = _words(m.group("title"))
    by_number = _by_number().get(normal_number(m.group("number"))) if m.group("number") else None
    by_title = _by_title().get(_without_period(words))
    cited = by_number or by_title
    if cited is None:
        return
    if by_number is not None and _without_period(words) not in {_without_period(_words(t)) for t in cited.titles}:
        yield _title_hit(text, m, cited)
        return
    if by_number is None and m.group("number"):
        yield _number_hit(text, m, cited)
    hit = _period_hit(text, m, cited)
    if hit is not None:
        yield hit


@proof_rule("cited-document", "", Level.ERROR)
def cited_document(text: str) -> Iterator[Hit]:
    """A document cited by its title, or by its title and 文号 (《title》（number）), is cited as it
    was issued, according to kpsy's registry of the documents plans of this genre cite (each fact
    with where it comes from): its 文号 and its title agree, and the period in its title is its
    own (国发〔2021〕9号 is 《全民科学素质行动规划纲要（2021—2035年）》, not （2021—2025年））.
    A wrong period is changed when the registry's facts were read in the document itself; a wrong
    title or 文号 is left to a person. Documents the registry does not hold are left alone."""
    if "《" not in text:
        return
    for m in _CITATION.finditer(text):
        yield from _check(text, m)

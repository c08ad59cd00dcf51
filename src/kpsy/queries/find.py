"""Finding parts, actions and tasks the way people name them: by id, by the document's number in any
usual spelling, by the whole title or an unambiguous part of it.

One resolver, `find`, serves `kpsy show`, `--part`, `--action` and everything else that takes an
item. Numbers are the outline's own (`PartRef`/`ChapterRef`/`TaskRef` `.number`, `.short_number`,
`.label`), so a plan numbered 第一章 / 第一条 / ① is found by its numbers as one numbered 一、（一）1．;
they are compared in a form where full-width and half-width brackets and dots are alike and spaces
and a closing 、 or ． do not count: 二（一）5, 二（一）5．, 二(一)5 and 二 (一) 5 are one number.

The ways to name an item are tried in turn (id, number, number and title, title, the number within
its parent, a part of the title); the first that fits one item wins, and one that fits several is
an `AmbiguousNameError` listing them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from kpsy.errors import AmbiguousNameError, UnknownNameError, UsageError
from kpsy.i18n import msg, thing
from kpsy.plan.numbering import CIRCLED, CN_DIGITS
from kpsy.plan.outline import ChapterRef, PartRef, PlanData, Ref, TaskRef
from kpsy.plan.typed import clean, close, key, unpunctuated

ALL_KINDS = ("part", "chapter", "task")
_NUMBER_PUNCTUATION = re.compile(r"[、.。，,:：;；]")
_NUMERALS = set(CN_DIGITS + "十百千〇0123456789" + CIRCLED)
_MOST_SHOWN = 12


def number_key(text: str) -> str:
    """A number as it is compared: 二（一）5． -> 二(一)5, 二、 -> 二, 第三条 ① -> 第三条1."""
    return _NUMBER_PUNCTUATION.sub("", key(text))


def shown(ref: Ref) -> str:
    """An item as a message names it: its number and title, and its id."""
    return msg("{label} ({id})", "{label}（{id}）", label=ref.label, id=ref.id)


def _what(kinds: tuple[str, ...]) -> str:
    if kinds == ("part",):
        return msg("part", "部分")
    if kinds == ("chapter",):
        return msg("action", "行动")
    if kinds == ("task",):
        return msg("task", "任务")
    return msg("part, action or task", "部分、行动或任务")


def refs(plan: PlanData, kinds: tuple[str, ...] = ALL_KINDS) -> list[Ref]:
    """The parts, chapters and tasks of the plan in document order, of the kinds asked for."""
    found: list[Ref] = []
    for part in plan.parts:
        found.append(part)
        for chapter in part.chapters:
            found.append(chapter)
            found.extend(chapter.tasks)
    return [r for r in found if r.kind in kinds]


def _ways(typed: str, items: list[Ref], kinds: tuple[str, ...]) -> Iterator[list[Ref]]:
    """The items `typed` names, one way of naming after another, in the order they are tried
    (each way's keys made only when the ways before it found nothing)."""
    whole, number = key(typed), number_key(typed)
    loose = unpunctuated(whole)
    ident = whole.replace("_", "-")
    yield [r for r in items if r.id == ident]
    numbers = [r.number for r in items]
    yield [r for r, n in zip(items, numbers, strict=True) if number_key(n) == number]
    if kinds == ("part",) and number.isdigit():  # --part 2: the second part
        yield [r for r in items if isinstance(r, PartRef) and r.index + 1 == int(number)]
    labels = [key(n + r.title) for r, n in zip(items, numbers, strict=True)]
    loose_labels = [unpunctuated(label) for label in labels]
    yield [r for r, k, lk in zip(items, labels, loose_labels, strict=True) if whole == k or (loose and loose == lk)]
    titles = [key(r.title) for r in items]
    yield [r for r, k in zip(items, titles, strict=True) if whole == k or (loose and loose == unpunctuated(k))]
    shorts = [r.short_number for r in items]
    yield [r for r, s, n in zip(items, shorts, numbers, strict=True) if s != n and number_key(s) == number]
    if loose:
        yield [r for r, lk in zip(items, loose_labels, strict=True) if loose in lk]


def candidates(plan: PlanData, typed: str, kinds: tuple[str, ...] = ALL_KINDS) -> list[Ref]:
    """The items `typed` names by the first way of naming that fits any: one item, or several
    when it is ambiguous, or none."""
    text = clean(typed).text
    items = refs(plan, kinds)
    for found in _ways(text, items, kinds):
        if found:
            return found
    return []


def find(plan: PlanData, typed: str, kinds: tuple[str, ...] = ALL_KINDS) -> Ref:
    """The part, chapter or task `typed` names: its id, its number in any usual spelling, its
    number and title, its title, or an unambiguous part of its title. Raises AmbiguousNameError
    when it names several, UnknownNameError (with what may have been meant, when anything is
    close) when it names none, UsageError when it is empty."""
    text = clean(typed).text.strip()
    if not key(text):
        raise UsageError(msg("no {what} given", "没有给出{what}", what=_what(kinds)))
    found = candidates(plan, text, kinds)
    if len(found) == 1:
        return found[0]
    if found:
        lines = [f"  {shown(r)}" for r in found[:_MOST_SHOWN]]
        if len(found) > _MOST_SHOWN:
            lines.append(msg("  … and {n} more", "  ……另有 {n} 项", n=len(found) - _MOST_SHOWN))
        raise AmbiguousNameError(
            msg(
                "“{typed}” fits {n} items; name one by its number or id:\n{items}",
                "“{typed}”对应 {n} 项，请用编号或 ID 指明其中一项：\n{items}",
                typed=text,
                n=len(found),
                items="\n".join(lines),
            ),
            [shown(r) for r in found],
        )
    raise UnknownNameError(_unknown(plan, text, kinds))


def _unknown(plan: PlanData, typed: str, kinds: tuple[str, ...]) -> str:
    """Why nothing is called `typed`, and what may have been meant."""
    what = _what(kinds)
    return (
        _something_else(plan, typed, kinds, what)
        or _unknown_number(plan, typed, kinds, what)
        or _unknown_words(plan, typed, kinds, what)
    )


def _something_else(plan: PlanData, typed: str, kinds: tuple[str, ...], what: str) -> str | None:
    """What `typed` is when it names something other than what was asked for: an item of another
    kind (二（一）5 given as an action), the id of a target or a unit, a unit's name."""
    if kinds != ALL_KINDS:
        other = candidates(plan, typed)
        if len(other) == 1:
            return msg(
                "“{typed}” is the {kind} {item}, not a {what}",
                "“{typed}”是{kind}{item}，不是{what}",
                typed=typed,
                kind=thing(other[0].kind),
                item=shown(other[0]),
                what=what,
            )
    ident = key(typed).replace("_", "-")
    for other_id, kind, _ in plan.items():
        if other_id == ident and kind not in ALL_KINDS:
            return _other_id(plan, typed, kind, what)
    if plan.units.lookup(typed) is not None:
        return msg(
            "“{typed}” is a unit, not a {what}: `kpsy unit {typed}` shows what it does",
            "“{typed}”是单位，不是{what}：`kpsy unit {typed}` 显示该单位的概况",
            typed=typed,
            what=what,
        )
    return None


def _unknown_number(plan: PlanData, typed: str, kinds: tuple[str, ...], what: str) -> str | None:
    """A number the plan does not have, with the numbers near it."""
    number = number_key(typed)
    numerals = _NUMERALS | {c for r in refs(plan) for c in number_key(r.number)}
    if not number or not set(number) <= numerals:
        return None
    return msg(
        "no {what} numbered “{typed}” in the plan{hint}",
        "方案中没有编号为“{typed}”的{what}{hint}",
        what=what,
        typed=typed,
        hint=_numbers_hint(plan, number, kinds),
    )


def _unknown_words(plan: PlanData, typed: str, kinds: tuple[str, ...], what: str) -> str:
    """An id or title the plan does not have, with the ones close to it."""
    pool: dict[str, str] = {}
    for ref in refs(plan, kinds):
        pool[ref.id] = pool[ref.title] = pool[ref.label] = shown(ref)
    near = close(typed, pool)
    if near:
        return msg(
            "no {what} “{typed}” in the plan; did you mean {near_en}?",
            "方案中没有“{typed}”这一{what}；是否要找：{near_zh}？",
            what=what,
            typed=typed,
            near_en="; ".join(near),
            near_zh="；".join(near),
        )
    if typed.isascii():
        return msg(
            "no {what} with the id “{typed}” in the plan",
            "方案中没有 ID 为“{typed}”的{what}",
            what=what,
            typed=typed,
        )
    return msg(
        "no {what} “{typed}” in the plan: give its id, number or title; `kpsy search {typed}` searches the whole text",
        "方案中没有“{typed}”这一{what}：请给出其 ID、编号或标题；`kpsy search {typed}` 可在全文中搜索",
        what=what,
        typed=typed,
    )


def _other_id(plan: PlanData, typed: str, kind: str, what: str) -> str:
    """Why the id of a target, milestone, unit or basis document is not an item's."""
    said = msg(
        "“{typed}” is the id of a {kind}, not of a {what}",
        "“{typed}”是{kind}的 ID，不是{what}的 ID",
        typed=typed,
        kind=thing(kind),
        what=what,
    )
    ident = key(typed).replace("_", "-")
    sources = [(t.id, t.source.ref) for t in plan.targets] + [(m.id, m.source.ref) for m in plan.milestones]
    stated = next((ref for other, ref in sources if other == ident), None) if kind in ("target", "milestone") else None
    if stated is not None:
        ref = plan.find(stated)
        if ref is not None:
            said += msg(
                "; it is stated in {where} (`kpsy show {id}`)",
                "；它见于 {where}（`kpsy show {id}`）",
                where=ref.label,
                id=ref.id,
            )
    if kind == "unit":
        said += msg("; `kpsy unit {id}` shows the unit", "；`kpsy unit {id}` 显示该单位的概况", id=typed)
    return said


def _numbers_hint(plan: PlanData, number: str, kinds: tuple[str, ...]) -> str:
    """What the plan numbers near `number`: the items inside the deepest item whose number starts it."""
    parent: Ref | None = None
    for ref in refs(plan, ("part", "chapter")):
        own = number_key(ref.number)
        if own and number.startswith(own) and number != own:
            parent = ref
    inside: list[Ref]
    if isinstance(parent, PartRef):
        inside = list(parent.chapters)
    elif isinstance(parent, ChapterRef):
        inside = list(parent.tasks)
    else:
        inside = refs(plan, kinds if kinds != ALL_KINDS else ("part",))
    if not inside:
        return msg("; {label} has no numbered items", "；{label}下没有编号的条目", label=parent.label) if parent else ""
    first, last = inside[0], inside[-1]
    numbers = first.number if first is last else f"{first.number}–{last.number}"
    if parent is None:
        return msg("; its numbers run {numbers}", "；编号范围为 {numbers}", numbers=numbers)
    return msg("; {label} has {numbers}", "；{label}下的编号为 {numbers}", label=parent.label, numbers=numbers)


def find_part(plan: PlanData, typed: str) -> PartRef:
    """A part by id, number (二 or 二、), position (2) or title."""
    ref = find(plan, typed, ("part",))
    assert isinstance(ref, PartRef)
    return ref


def find_chapter(plan: PlanData, typed: str) -> ChapterRef:
    """A chapter (an action) by id, number (二（一）), title or part of its title."""
    ref = find(plan, typed, ("chapter",))
    assert isinstance(ref, ChapterRef)
    return ref


def find_task(plan: PlanData, typed: str) -> TaskRef:
    """A numbered task by id, number (二（一）5．), title or part of its title."""
    ref = find(plan, typed, ("task",))
    assert isinstance(ref, TaskRef)
    return ref


def find_item(plan: PlanData, typed: str) -> Ref:
    """A part, chapter or task by id, number, title or part of its title."""
    return find(plan, typed)

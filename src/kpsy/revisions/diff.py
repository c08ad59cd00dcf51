"""What changed in meaning between two revisions of the plan, matched by stable id.

The two plans are compared item by item (`kpsy.revisions.items`: every paragraph of the document
belongs to one item), so each change quotes words exactly as they stood. Numbers that change only
because something was inserted, removed or moved before them are not changes of their own: they
are summarised with the change that caused them ("原第3至6条依次顺延"). Changes are data; each
carries the office's sentence for it (`kpsy.revisions.words`), and `kpsy.revisions.report` shows them.
"""

from __future__ import annotations

import dataclasses
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import asdict
from typing import Any

from kpsy.errors import KpsyError
from kpsy.light import light
from kpsy.plan.model import Milestone, Numbering, Responsibility, Target, Unit
from kpsy.plan.outline import PlanData
from kpsy.plan.text import responsibility_line
from kpsy.revisions.items import Item, items, line_carrier


class DiffError(KpsyError):
    """A revision could not be read or its plan could not be loaded."""

    exit_code = 2


Ops = list[tuple[int, str]]


@light
class Change:
    """One change in meaning: one sentence of the revision note. `kind` says what happened to
    `subject` (an id), `type` what the subject is."""

    kind: str
    type: str
    subject: str
    title: str
    old_number: str | None = None
    new_number: str | None = None
    field: str | None = None
    old: Any = None
    new: Any = None
    ops: Ops | None = None
    unit: str | None = None  # the unit's name, for responsibility and registry changes
    units: list[str] = dataclasses.field(default_factory=list)  # ids of the units this change concerns
    note: str | None = None
    position: float = 0  # where the subject stands in the document (newer revision first), for ordering
    statement: str = ""  # the sentence of the revision note, in the office's words
    everyone: bool = False  # a change to the whole plan (title, period, targets, schedule): it concerns every unit
    old_title: str | None = None  # the title as it was, where it differs or the item is gone
    item: str | None = None  # the key of the document item whose words it is about (for the comparison table)
    shifts: list[dict[str, Any]] = dataclasses.field(default_factory=list)  # numbers it moved on (summarised)
    impact: str | None = None  # in one unit's view: gained, lost, kept, renumbered or plan-wide
    old_role: str | None = None  # in one unit's view: its role in the item before and after
    new_role: str | None = None

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["ops"] = [list(op) for op in self.ops] if self.ops is not None else None
        return data


KINDS = {
    "added": "item added",
    "removed": "item removed",
    "moved": "item moved to another parent (a task to another action, a chapter to another part)",
    "reordered": "item moved among its siblings",
    "renumbered": "the numbers of a run of items changed because of several changes at once (summarised)",
    "title": "title changed",
    "text": "words changed (a body, a paragraph of the notice or preamble, the wording of a responsibility line)",
    "numbering": "the way numbers are written changed",
    "period": "the plan's period changed",
    "lead-added": "unit added as lead",
    "lead-removed": "unit removed as lead",
    "participant-added": "unit added as participant",
    "participant-removed": "unit removed as participant",
    "to-lead": "unit moved from participant to lead",
    "to-participant": "unit moved from lead to participant",
    "etc": "「等单位」 added or dropped",
    "collective": "a collective (各成员单位) named or dropped",
    "due": "time limit (完成时限) changed",
    "order": "units listed in another order",
    "unit-added": "unit added to the registry",
    "unit-removed": "unit removed from the registry",
    "unit-renamed": "unit renamed",
    "unit-changed": "unit's other fields changed",
    "target-added": "target added",
    "target-removed": "target removed",
    "target-changed": "target changed",
    "milestone-added": "milestone added",
    "milestone-removed": "milestone removed",
    "milestone-changed": "milestone changed",
}
STRUCTURE = ("added", "removed", "moved", "reordered", "renumbered")
ROLE_KINDS = ("lead-added", "lead-removed", "participant-added", "participant-removed", "to-lead", "to-participant")
LINE_KINDS = (*ROLE_KINDS, "etc", "collective", "due", "order")


def text_ops(old: str, new: str) -> Ops:
    """A character-level diff that reads well in Chinese: diff-match-patch with semantic clean-up."""
    from diff_match_patch import diff_match_patch  # type: ignore[import-untyped]

    if old == new:
        return [(0, old)] if old else []
    dmp = diff_match_patch()
    dmp.Diff_Timeout = 2.0
    ops = dmp.diff_main(old, new)
    dmp.diff_cleanupSemantic(ops)
    return [(int(op), text) for op, text in ops]


def token_ops(old: str, new: str, words: list[str]) -> Ops:
    """A diff in which each of `words` (units' names in a responsibility line) is one token, so that a
    unit moved from one list to another reads as that unit moved, not as characters shuffled."""
    import re

    from diff_match_patch import diff_match_patch

    if not words or old == new:
        return text_ops(old, new)
    pattern = re.compile("|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True)) + "|.", re.S)
    codes: dict[str, str] = {}

    def encode(text: str) -> str:
        return "".join(codes.setdefault(m.group(), chr(0xF0000 + len(codes))) for m in pattern.finditer(text))

    a, b = encode(old), encode(new)
    tokens = {code: token for token, code in codes.items()}
    dmp = diff_match_patch()
    dmp.Diff_Timeout = 2.0
    ops = dmp.diff_main(a, b, False)
    dmp.diff_cleanupSemantic(ops)
    return [(int(op), "".join(tokens[c] for c in text)) for op, text in ops]


@light
class DiffResult:
    old: str
    new: str
    changes: list[Change]
    unit: str | None = None
    title: str = ""  # the newer plan's title
    old_version: dict[str, Any] | None = None  # the issued version OLD is, from revisions.yaml
    new_version: dict[str, Any] | None = None
    before: dict[str, Item] = dataclasses.field(default_factory=dict)  # the items at OLD
    after: dict[str, Item] = dataclasses.field(default_factory=dict)  # the items at NEW
    old_plan: PlanData | None = None
    new_plan: PlanData | None = None
    unit_id: str | None = None
    when: Any = None  # when NEW was made: its issue date, its commit's date (for the redline's tracked changes)

    @property
    def count(self) -> int:
        return len(self.changes)

    def as_dict(self) -> dict[str, Any]:
        return {
            "old": self.old,
            "new": self.new,
            "old_version": self.old_version,
            "new_version": self.new_version,
            "unit": self.unit,
            "title": self.title,
            "count": self.count,
            "changes": [c.as_dict() for c in self.changes],
        }


# --- structure: added, removed, moved, reordered; numbers that follow ----------------------------


def _increasing(ranks: list[int]) -> set[int]:
    """Indexes of one longest strictly increasing subsequence of `ranks` (patience sorting)."""
    tails: list[int] = []  # rank at the end of the best run of each length
    ends: list[int] = []  # index of that rank
    back: list[int] = [-1] * len(ranks)
    for i, rank in enumerate(ranks):
        k = bisect_left(tails, rank)
        if k == len(tails):
            tails.append(rank)
            ends.append(i)
        else:
            tails[k], ends[k] = rank, i
        back[i] = ends[k - 1] if k else -1
    keep: set[int] = set()
    i = ends[-1] if ends else -1
    while i >= 0:
        keep.add(i)
        i = back[i]
    return keep


def _runs(members: list[tuple[Item, Item]], container: Item | None) -> list[dict[str, Any]]:
    """Items whose number moved on, as runs of consecutive numbers moved by the same amount."""
    members.sort(key=lambda pair: pair[0].ordinal)
    runs: list[list[tuple[Item, Item]]] = []
    for was, now in members:
        last = runs[-1][-1] if runs else None
        if (
            last is not None
            and was.ordinal == last[0].ordinal + 1
            and now.ordinal - was.ordinal == last[1].ordinal - last[0].ordinal
        ):
            runs[-1].append((was, now))
        else:
            runs.append([(was, now)])
    return [
        {
            "scope": container.key if container else "",
            "where": container.number if container else "",
            "ids": [now.key for _, now in run],
            "old": [run[0][0].ordinal + 1, run[-1][0].ordinal + 1],
            "new": [run[0][1].ordinal + 1, run[-1][1].ordinal + 1],
            "old_numbers": [run[0][0].short, run[-1][0].short],
            "new_numbers": [run[0][1].short, run[-1][1].short],
        }
        for run in runs
    ]


def _structure(before: dict[str, Item], after: dict[str, Item], kind: str) -> list[Change]:
    """Parts, chapters or tasks added, removed, moved to another parent, or moved among their
    siblings; the numbers that move on because of them are summarised on the change that caused them,
    or, when several changes share a run of numbers, in one `renumbered` change."""
    olds = {k: i for k, i in before.items() if i.type == kind}
    news = {k: i for k, i in after.items() if i.type == kind}
    events: list[tuple[Change, tuple[str, ...]]] = []
    for key, now in news.items():
        if key not in olds:
            change = Change("added", kind, key, now.title, new_number=now.number, new=now.text, item=key)
            events.append((change, (now.scope,)))
    for key, was in olds.items():
        if key not in news:
            change = Change(
                "removed", kind, key, was.title, old_number=was.number, old=was.text, item=key, old_title=was.title
            )
            events.append((change, (was.scope,)))
    survivors = [k for k in olds if k in news]
    settled: set[str] = set()
    for key in survivors:
        was, now = olds[key], news[key]
        if was.parent != now.parent:
            change = Change(
                "moved",
                kind,
                key,
                now.title,
                was.number,
                now.number,
                old=was.parent,
                new=now.parent,
                item=key,
                old_title=was.title if was.title != now.title else None,
            )
            events.append((change, tuple(dict.fromkeys((was.scope, now.scope)))))
            settled.add(key)
    siblings: dict[str | None, list[str]] = {}
    for key in survivors:
        if key not in settled:
            siblings.setdefault(olds[key].parent, []).append(key)
    for keys in siblings.values():
        keep = _increasing([news[k].index for k in keys])
        for i, key in enumerate(keys):
            if i in keep:
                continue
            was, now = olds[key], news[key]
            change = Change(
                "reordered",
                kind,
                key,
                now.title,
                was.number,
                now.number,
                old=was.ordinal + 1,
                new=now.ordinal + 1,
                item=key,
                old_title=was.title if was.title != now.title else None,
            )
            events.append((change, (now.scope,)))
            settled.add(key)
    shifted: dict[str, list[tuple[Item, Item]]] = {}
    for key in survivors:
        was, now = olds[key], news[key]
        if key not in settled and was.scope == now.scope and was.ordinal != now.ordinal:
            shifted.setdefault(now.scope, []).append((was, now))
    out = [change for change, _ in events]
    for scope, members in shifted.items():
        container_key = scope.partition(":")[2]
        container = after.get(container_key) or before.get(container_key)
        runs = _runs(members, container)
        causes = [change for change, scopes in events if scope in scopes]
        if len(causes) == 1:
            causes[0].shifts += runs
            continue
        title = container.title if container else ""
        number = container.number if container else ""
        change = Change("renumbered", kind, container_key, title, number, number, item=None)
        change.shifts = runs
        out.append(change)
    return out


# --- words ---------------------------------------------------------------------------------------


def _words(before: dict[str, Item], after: dict[str, Item], quiet: set[str], numbering: bool) -> Iterator[Change]:
    """Titles and words changed; a number written another way when nothing else explains it."""
    for key, now in after.items():
        was = before.get(key)
        if was is None or now.type == "responsibility" or was.text == now.text:
            continue
        common: dict[str, Any] = {
            "old_number": was.number,
            "new_number": now.number,
            "item": key,
            "everyone": key == "plan.title",
        }
        found = False
        if was.title != now.title:
            found = True
            yield Change(
                "title",
                now.type,
                key,
                now.title,
                field="title",
                old=was.title,
                new=now.title,
                ops=text_ops(was.title, now.title),
                old_title=was.title,
                **common,
            )
        if was.body != now.body:
            found = True
            yield Change(
                "text",
                now.type,
                key,
                now.title,
                field="body",
                old=was.body,
                new=now.body,
                ops=text_ops(was.body, now.body),
                **common,
            )
        if not found and key not in quiet and not numbering and was.short != now.short:
            yield Change("numbering", now.type, key, now.title, field="number", old=was.short, new=now.short, **common)


def _document(old: PlanData, new: PlanData) -> Iterator[Change]:
    a, b = old.document.plan.period, new.document.plan.period
    if (a.start, a.end) != (b.start, b.end):
        yield Change(
            "period",
            "document",
            "plan.period",
            new.title,
            field="period",
            old=f"{a.start}-{a.end}",
            new=f"{b.start}-{b.end}",
            everyone=True,
        )
    if _numbering(old) != _numbering(new):
        yield Change(
            "numbering",
            "document",
            "plan.numbering",
            new.title,
            field="numbering",
            old=asdict(_numbering(old)),
            new=asdict(_numbering(new)),
        )


def _numbering(plan: PlanData) -> Numbering:
    return plan.document.plan.numbering or Numbering()


# --- responsibility ------------------------------------------------------------------------------


def _named_roles(plan: PlanData, resp: Responsibility | None) -> dict[str, str]:
    """Unit id -> lead or participant, for the units the line names."""
    roles: dict[str, str] = {}
    if resp is None:
        return roles
    for name in resp.participants:
        roles[plan.units.id_of(name)] = "participant"
    for name in resp.leads:
        roles[plan.units.id_of(name)] = "lead"
    return roles


ROLE_CHANGE = {
    (None, "lead"): "lead-added",
    (None, "participant"): "participant-added",
    ("lead", None): "lead-removed",
    ("participant", None): "participant-removed",
    ("participant", "lead"): "to-lead",
    ("lead", "participant"): "to-participant",
}
WORDING = ("form", "written", "placement", "in_text")


def _line(
    plans: tuple[PlanData, PlanData],
    found: tuple[dict[str, Item], dict[str, Item]],
    owner: str,
    a: Responsibility | None,
    b: Responsibility | None,
) -> Iterator[Change]:
    """What changed in one responsibility line (an action's, or a task's own)."""
    old, new = plans
    before, after = found
    was, now = before[owner], after[owner]
    names = {u.id: u.name for u in old.units} | {u.id: u.name for u in new.units}
    ra, rb = _named_roles(old, a), _named_roles(new, b)
    line_old = responsibility_line(a) if a is not None else ""
    line_new = responsibility_line(b) if b is not None else ""
    carrier = line_carrier(after, owner, line_new) or line_carrier(before, owner, line_old)
    everyone = list(dict.fromkeys([*ra, *rb]))
    common: dict[str, Any] = {"old_number": was.number, "new_number": now.number, "item": carrier}
    kind_of = "responsibility"
    for unit in everyone:
        role_a, role_b = ra.get(unit), rb.get(unit)
        if role_a != role_b:
            yield Change(
                ROLE_CHANGE[(role_a, role_b)],
                kind_of,
                now.ref,
                now.title,
                field="role",
                old=role_a,
                new=role_b,
                unit=names.get(unit, unit),
                units=everyone,  # the unit, and those it works with in this line
                **common,
            )
    if a is None or b is None:
        return
    for name in ("etc", "collective", "due"):
        if getattr(a, name) != getattr(b, name):
            yield Change(
                name,
                kind_of,
                now.ref,
                now.title,
                field=name,
                old=getattr(a, name),
                new=getattr(b, name),
                units=everyone,
                **common,
            )
    if ra == rb and (
        [old.units.id_of(n) for n in a.leads] != [new.units.id_of(n) for n in b.leads]
        or [old.units.id_of(n) for n in a.participants] != [new.units.id_of(n) for n in b.participants]
    ):
        yield Change(
            "order",
            kind_of,
            now.ref,
            now.title,
            field="order",
            old=[*a.leads, *a.participants],
            new=[*b.leads, *b.participants],
            units=everyone,
            **common,
        )
    if any(getattr(a, name) != getattr(b, name) for name in WORDING) and line_old != line_new:
        yield Change(
            "text",
            kind_of,
            now.ref,
            now.title,
            field="line",
            old=line_old,
            new=line_new,
            ops=text_ops(line_old, line_new),
            units=everyone,
            **common,
        )


def _responsibility(old: PlanData, new: PlanData, before: dict[str, Item], after: dict[str, Item]) -> Iterator[Change]:
    """Role changes, line by line: each action's own line, and each task's own line (against what
    the task had before: its chapter's line when it had none of its own)."""
    from kpsy.plan.outline import ChapterRef, TaskRef

    plans, found = (old, new), (before, after)
    for chapter in new.iter_chapters():
        was = old.find(chapter.id)
        if not isinstance(was, ChapterRef) or chapter.id not in before or chapter.id not in after:
            continue
        a, b = was.chapter.responsibility, chapter.chapter.responsibility
        if a is None and b is None:
            continue
        if a is None or b is None:  # a line of its own against its tasks' lines together
            a, b = was.responsibility, chapter.responsibility
        yield from _line(plans, found, chapter.id, a, b)
    for task in new.iter_tasks():
        was_task = old.find(task.id)
        if not isinstance(was_task, TaskRef) or task.id not in before or task.id not in after:
            continue
        if was_task.task.responsibility is None and task.task.responsibility is None:
            continue
        yield from _line(plans, found, task.id, was_task.responsibility, task.responsibility)


# --- the registry --------------------------------------------------------------------------------


def _unit_changes(old: PlanData, new: PlanData) -> Iterator[Change]:
    before = {u.id: u for u in old.units}
    after = {u.id: u for u in new.units}
    for ident, unit in after.items():
        was = before.get(ident)
        if was is None:
            yield Change("unit-added", "unit", ident, unit.name, new=unit.name, unit=unit.name, units=[ident])
            continue
        if was.name != unit.name:
            kept = was.name in unit.aliases
            yield Change(
                "unit-renamed",
                "unit",
                ident,
                unit.name,
                field="name",
                old=was.name,
                new=unit.name,
                unit=unit.name,
                units=[ident],
                note="old name kept as alias" if kept else "old name not kept as alias",
            )
        for name in ("full_name", "kind", "aliases"):
            a, b = getattr(was, name), getattr(unit, name)
            if a != b:
                yield Change(
                    "unit-changed", "unit", ident, unit.name, field=name, old=a, new=b, unit=unit.name, units=[ident]
                )
    for ident, was in before.items():
        if ident not in after:
            yield Change("unit-removed", "unit", ident, was.name, old=was.name, unit=was.name, units=[ident])


# --- targets and milestones ----------------------------------------------------------------------


def _flat(record: Any) -> dict[str, Any]:
    """A record's fields, nested ones as "period.start", numbers as the document writes them."""
    out: dict[str, Any] = {}

    def walk(prefix: str, value: Any) -> None:
        if isinstance(value, dict):
            for key, inner in value.items():
                walk(f"{prefix}.{key}" if prefix else key, inner)
        else:
            out[prefix] = int(value) if isinstance(value, float) and value.is_integer() else value

    walk("", asdict(record))
    return out


def describe_target(target: Target) -> str:
    """居民健康素养水平不低于25%（2025年）"""
    year = f"（{target.year}年）" if target.year is not None else ""
    return f"{target.indicator}{target.statement}{year}"


def describe_milestone(milestone: Milestone) -> str:
    """2023-2024年：完善工作机制"""
    period = milestone.period
    years = f"{period.start}年" if period.start == period.end else f"{period.start}-{period.end}年"
    return f"{years}：{milestone.title}"


def _record_changes(kind: str, old: list[Any], new: list[Any]) -> Iterator[Change]:
    """Targets or milestones added, removed or changed in meaning, one change for each record: where
    the text states it (`source`) is the text's business, reported with the text."""
    describe = describe_target if kind == "target" else describe_milestone
    before = {r.id: r for r in old}
    after = {r.id: r for r in new}
    for ident, record in after.items():
        was = before.get(ident)
        item = record.source.ref
        if was is None:
            yield Change(f"{kind}-added", kind, ident, describe(record), new=_flat(record), everyone=True, item=item)
            continue
        a, b = _flat(was), _flat(record)
        fields = [name for name in b if not name.startswith("source.") and a.get(name) != b[name]]
        if fields:
            yield Change(
                f"{kind}-changed",
                kind,
                ident,
                describe(record),
                field=",".join(fields),
                old={name: a.get(name) for name in fields},
                new={name: b[name] for name in fields},
                old_title=describe(was),
                everyone=True,
                item=item,
            )
    for ident, was in before.items():
        if ident not in after:
            yield Change(
                f"{kind}-removed", kind, ident, describe(was), old=_flat(was), everyone=True, item=was.source.ref
            )


# --- the comparison ------------------------------------------------------------------------------


def compare(old: PlanData, new: PlanData, old_label: str, new_label: str) -> DiffResult:
    """Every change in meaning from `old` to `new`, in document order, each with its sentence."""
    from kpsy.revisions.words import statement

    before, after = items(old), items(new)
    structure = [c for kind in ("part", "chapter", "task") for c in _structure(before, after, kind)]
    quiet = {c.subject for c in structure} | {k for c in structure for run in c.shifts for k in run["ids"]}
    numbering = _numbering(old) != _numbering(new)
    changes = [
        *structure,
        *_words(before, after, quiet, numbering),
        *_document(old, new),
        *_responsibility(old, new, before, after),
        *_unit_changes(old, new),
        *_record_changes("target", old.targets, new.targets),
        *_record_changes("milestone", old.milestones, new.milestones),
    ]
    _units_concerned(changes, (old, new), (before, after))
    _place(changes, before, after)
    changes.sort(key=lambda c: c.position)
    for change in changes:
        change.statement = statement(change, before, after)
    return DiffResult(
        old_label, new_label, changes, title=new.title, before=before, after=after, old_plan=old, new_plan=new
    )


def _units_concerned(
    changes: list[Change], plans: tuple[PlanData, PlanData], found: tuple[dict[str, Item], dict[str, Item]]
) -> None:
    """Each change to an item concerns the units that have or had a role in it."""
    for change in changes:
        if change.units or change.everyone or change.type in ("unit", "target", "milestone"):
            continue
        keys = [change.item] if change.item else []
        keys += [k for run in change.shifts for k in run["ids"]]
        units: dict[str, None] = {}
        for key in keys:
            for plan, items_of in zip(plans, found, strict=True):
                item = items_of.get(key)
                if item is not None:
                    units.update(dict.fromkeys(item.roles(plan)))
        change.units = list(units)


_TAIL = {"unit": 1, "target": 2, "milestone": 3}


def _place(changes: list[Change], before: dict[str, Item], after: dict[str, Item]) -> None:
    """Give each change the position of what it is about in the document: the newer revision's
    order, removed items where they stood; the registry, targets and milestones after the text."""
    order: dict[str, float] = {key: float(i) for i, key in enumerate(after)}
    anchor = -1.0
    for i, key in enumerate(before):
        if key in order:
            anchor = order[key]
        else:
            order[key] = anchor + 0.5 + i / (10 * (len(before) + 1))
    tail = len(after) + 1
    for i, change in enumerate(changes):
        if change.type in _TAIL:
            change.position = tail + _TAIL[change.type] + i / (10 * (len(changes) + 1))
            continue
        key = change.item if change.item in order else change.subject
        if change.kind == "renumbered":
            ids = [k for run in change.shifts for k in run["ids"]]
            key = ids[0] if ids else key
        change.position = order.get(key or "", tail) + (0.01 if change.type == "responsibility" else 0)


# --- one unit's view -----------------------------------------------------------------------------


def _role_in(found: Item | None, plan: PlanData | None, unit: str) -> str | None:
    return found.roles(plan).get(unit) if found is not None and plan is not None else None


def for_unit(result: DiffResult, unit: Unit) -> DiffResult:
    """What concerns `unit`: every change to an item where it has or had a role (its own role
    changes, co-workers added or removed, words, tasks it gains, loses or sees moved), the
    registry entry of its own, and the changes to the whole plan, marked as concerning everyone."""
    from kpsy.revisions.words import statement

    before, after = result.before, result.after
    kept: list[Change] = []
    for change in result.changes:
        mine = Change(**{f.name: getattr(change, f.name) for f in dataclasses.fields(Change)})
        if change.everyone:
            mine.impact = "plan-wide"
        elif change.type == "unit":
            if change.subject != unit.id:
                continue
        elif change.type == "responsibility":
            if unit.id not in change.units:
                continue
        else:
            key = change.item or change.subject
            role_old = _role_in(before.get(key), result.old_plan, unit.id)
            role_new = _role_in(after.get(key), result.new_plan, unit.id)
            shifted = [k for run in change.shifts for k in run["ids"]]
            moved_on = any(_role_in(after.get(k), result.new_plan, unit.id) for k in shifted)
            if role_old is None and role_new is None and not moved_on:
                continue
            mine.old_role, mine.new_role = role_old, role_new
            if role_old is None and role_new is None:
                mine.impact = "renumbered"
            elif change.kind in ("added", "removed", "moved"):
                mine.impact = "gained" if role_old is None else "lost" if role_new is None else "kept"
        mine.statement = statement(mine, before, after, unit.name)
        kept.append(mine)
    return DiffResult(
        result.old,
        result.new,
        kept,
        unit.name,
        result.title,
        result.old_version,
        result.new_version,
        before,
        after,
        result.old_plan,
        result.new_plan,
        unit.id,
        result.when,
    )

"""What changed in meaning between two revisions of the plan, matched by stable id.

The two plans are compared item by item (`kpsy.revisions.items`: every paragraph of the document
belongs to one item), so each change quotes words exactly as they stood, word by word
(`kpsy.revisions.tokens`). One event is one change: an action removed with its tasks and its line,
items merged or split (`kpsy.revisions.lineage`), a unit renamed in every line that names it.
Numbers that change only because something was inserted, removed or moved before them are not
changes of their own: they are summarised with the change that caused them ("原第3至6条依次顺延").
Changes are data; each carries the office's sentence for it (`kpsy.revisions.words`).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import asdict
from typing import Any

from kpsy.plan.model import Milestone, Numbering, Responsibility, Target
from kpsy.plan.outline import PlanData
from kpsy.plan.text import responsibility_line
from kpsy.revisions.change import KINDS, LINE_KINDS, ROLE_KINDS, STRUCTURE, Change, DiffError, DiffResult, Ops
from kpsy.revisions.items import FRONT, RESPONSIBILITY, Item, items, line_carrier
from kpsy.revisions.lineage import Lineage, lineage, words_of
from kpsy.revisions.tokens import text_ops

__all__ = ["KINDS", "LINE_KINDS", "ROLE_KINDS", "STRUCTURE", "Change", "DiffError", "DiffResult", "Ops", "compare"]

Found = tuple[dict[str, Item], dict[str, Item]]  # the items at OLD and at NEW
Event = tuple[Change, tuple[str, ...]]  # a structural change and the runs of numbers it can move on


# --- structure: added, removed, moved, reordered, merged, split; numbers that follow -------------


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


def _arrivals(found: Found, kind: str, kin: Lineage) -> Iterator[Event]:
    """Items added and removed, each with everything in it: a new action's tasks and line are part
    of its arrival, not changes of their own; nor are items made or unmade by a merge or a split."""
    before, after = found
    made, unmade = kin.come(), kin.gone()
    for key, now in after.items():
        if now.type == kind and key not in before and key not in made and (now.parent is None or now.parent in before):
            yield Change("added", kind, key, now.title, new_number=now.number, new=now.text, item=key), (now.scope,)
    for key, was in before.items():
        if was.type == kind and key not in after and key not in unmade and (was.parent is None or was.parent in after):
            change = Change(
                "removed", kind, key, was.title, old_number=was.number, old=was.text, item=key, old_title=was.title
            )
            yield change, (was.scope,)


def _kinship(found: Found, kind: str, kin: Lineage) -> Iterator[Event]:
    """One change for each merge (subject: what they were merged into) and each split (subject: the
    item split)."""
    before, after = found
    for merge in kin.merges:
        target = after[merge.target]
        if target.type != kind:
            continue
        was = before.get(merge.target)
        change = Change("merged", kind, merge.target, target.title, was.number if was else None, target.number)
        change.from_ids, change.item, change.recorded = list(merge.sources), merge.target, merge.recorded
        change.old_title = was.title if was is not None and was.title != target.title else None
        scopes = [before[s].scope for s in merge.sources] + [target.scope] + ([was.scope] if was else [])
        yield change, tuple(dict.fromkeys(scopes))
    for split in kin.splits:
        source = before[split.source]
        if source.type != kind:
            continue
        now = after.get(split.source) or after[split.parts[0]]
        change = Change("split", kind, split.source, source.title, source.number, now.number)
        change.into_ids, change.item, change.recorded = list(split.parts), now.key, split.recorded
        change.old_title = source.title
        yield change, tuple(dict.fromkeys([source.scope, *(after[p].scope for p in split.parts)]))


def _moves(found: Found, kind: str) -> Iterator[Event]:
    """Items that stand under another parent (a task in another action)."""
    before, after = found
    for key, was in before.items():
        now = after.get(key)
        if was.type != kind or now is None or was.parent == now.parent:
            continue
        change = Change("moved", kind, key, now.title, was.number, now.number, old=was.parent, new=now.parent, item=key)
        change.old_title = was.title if was.title != now.title else None
        yield change, tuple(dict.fromkeys((was.scope, now.scope)))


def _reorders(found: Found, kind: str, settled: set[str]) -> Iterator[Event]:
    """Items moved among their siblings: those out of the longest run kept in order."""
    before, after = found
    siblings: dict[str | None, list[str]] = {}
    for key, was in before.items():
        if was.type == kind and key in after and key not in settled:
            siblings.setdefault(was.parent, []).append(key)
    for keys in siblings.values():
        keep = _increasing([after[k].index for k in keys])
        for i, key in enumerate(keys):
            if i in keep:
                continue
            was, now = before[key], after[key]
            change = Change("reordered", kind, key, now.title, was.number, now.number, item=key)
            change.old, change.new = was.ordinal + 1, now.ordinal + 1
            change.old_title = was.title if was.title != now.title else None
            yield change, (now.scope,)


def _structure(found: Found, kind: str, kin: Lineage) -> list[Change]:
    """Parts, chapters or tasks added, removed, merged, split, moved to another parent, or moved
    among their siblings; the numbers that move on because of them are summarised on the change
    that caused them, or, when several changes share a run of numbers, in one `renumbered` change."""
    events = [*_arrivals(found, kind, kin), *_kinship(found, kind, kin), *_moves(found, kind)]
    settled = {c.subject for c, _ in events if c.kind == "moved"}
    events += _reorders(found, kind, settled)
    settled |= {c.subject for c, _ in events if c.kind == "reordered"}
    return _shifts(found, kind, events, settled)


def _shifts(found: Found, kind: str, events: list[Event], settled: set[str]) -> list[Change]:
    before, after = found
    shifted: dict[str, list[tuple[Item, Item]]] = {}
    for key, was in before.items():
        now = after.get(key)
        if was.type != kind or now is None or key in settled:
            continue
        if was.scope == now.scope and was.ordinal != now.ordinal:
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
        number = container.number if container else ""
        change = Change("renumbered", kind, container_key, container.title if container else "", number, number)
        change.shifts = runs
        out.append(change)
    return out


# --- words ---------------------------------------------------------------------------------------


def _words(found: Found, quiet: set[str], numbering: bool, kin: Lineage, terms: list[str]) -> Iterator[Change]:
    """Titles and words changed (the front matter's items one change each); a number written
    another way when nothing else explains it. The words of what merges and splits made are
    compared with the words they came from (`_joined`)."""
    before, after = found
    joined = {m.target for m in kin.merges} | {s.source for s in kin.splits}
    for key, now in after.items():
        was = before.get(key)
        if was is None or now.type == "responsibility" or was.text == now.text:
            continue
        common: dict[str, Any] = {"old_number": was.number, "new_number": now.number, "item": key}
        if now.type == "document":
            kind = "title" if key == "plan.title" else "text"
            ops = text_ops(was.text, now.text, terms)
            yield Change(kind, "document", key, now.title, field=kind, old=was.text, new=now.text, ops=ops, **common)
            continue
        if was.title != now.title:
            ops = text_ops(was.title, now.title, terms)
            yield Change(
                "title", now.type, key, now.title, field="title", old=was.title, new=now.title, ops=ops, **common
            )
            common["old_title"] = was.title
        if was.body != now.body and key not in joined:
            ops = text_ops(was.body, now.body, terms)
            yield Change("text", now.type, key, now.title, field="body", old=was.body, new=now.body, ops=ops, **common)
        elif was.title == now.title and key not in quiet and not numbering and was.short != now.short:
            yield Change("numbering", now.type, key, now.title, field="number", old=was.short, new=now.short, **common)
    yield from _joined(found, kin, terms)


def _joined(found: Found, kin: Lineage, terms: list[str]) -> Iterator[Change]:
    """Words changed beyond a merge or a split: what was merged against the words it came from, in
    the order they stood; the parts of a split, in order, against the item split."""
    before, after = found
    pairs: list[tuple[str, list[str], list[str]]] = []
    for merge in kin.merges:
        sources = sorted(
            [*merge.sources, *([merge.target] if merge.target in before else [])], key=lambda k: before[k].position
        )
        pairs.append((merge.target, sources, [merge.target]))
    for split in kin.splits:
        pairs.append((split.source if split.source in after else split.parts[0], [split.source], split.parts))
    for subject, olds, news in pairs:
        old = "".join(words_of(before[k]) for k in olds)
        new = "".join(words_of(after[k]) for k in news)
        if old != new:
            now = after[subject]
            change = Change("text", now.type, subject, now.title, field="body", old=old, new=new, item=subject)
            change.ops, change.new_number = text_ops(old, new, terms), now.number
            change.old_number = before[subject].number if subject in before else None
            yield change


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


def _named_roles(plan: PlanData, resp: Responsibility | None, alias: dict[str, str]) -> dict[str, str]:
    """Unit id -> lead or participant, for the units the line names (`alias`: a renamed unit's new
    id -> its old one, so that a rename changes no one's role)."""
    roles: dict[str, str] = {}
    if resp is None:
        return roles
    for name in resp.participants:
        ident = plan.units.id_of(name)
        roles[alias.get(ident, ident)] = "participant"
    for name in resp.leads:
        ident = plan.units.id_of(name)
        roles[alias.get(ident, ident)] = "lead"
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


class _Line:
    """One responsibility line at both revisions: its owner (a chapter or a task), the units'
    roles, and the item whose words carry it."""

    def __init__(
        self,
        plans: tuple[PlanData, PlanData],
        found: Found,
        owner: str,
        lines: tuple[Responsibility | None, Responsibility | None],
        alias: dict[str, str],
    ) -> None:
        old, new = plans
        self.a, self.b = lines
        self.roles = (_named_roles(old, self.a, {}), _named_roles(new, self.b, alias))
        self.words = (responsibility_line(self.a) if self.a else "", responsibility_line(self.b) if self.b else "")
        before, after = found
        self.now = after[owner]
        self.carrier = line_carrier(after, owner, self.words[1]) or line_carrier(before, owner, self.words[0])
        self.everyone = list(dict.fromkeys([*self.roles[0], *self.roles[1]]))
        self.common: dict[str, Any] = {
            "old_number": before[owner].number,
            "new_number": self.now.number,
            "item": self.carrier,
            "units": self.everyone,
        }
        self.ids = (
            [old.units.id_of(n) for n in (*self.a.leads, *self.a.participants)] if self.a else [],
            [alias.get(i, i) for i in (new.units.id_of(n) for n in (*self.b.leads, *self.b.participants))]
            if self.b
            else [],
        )

    def change(self, kind: str, **fields: Any) -> Change:
        return Change(kind, "responsibility", self.now.ref, self.now.title, **fields, **self.common)


def _line(line: _Line, names: dict[str, str], terms: list[str]) -> Iterator[Change]:
    """What changed in one responsibility line: roles unit by unit, 等单位, a collective, the time
    limit, the order, the wording."""
    ra, rb = line.roles
    for unit in line.everyone:
        role_a, role_b = ra.get(unit), rb.get(unit)
        if role_a != role_b:
            yield line.change(
                ROLE_CHANGE[(role_a, role_b)], field="role", old=role_a, new=role_b, unit=names.get(unit, unit)
            )
    a, b = line.a, line.b
    if a is None or b is None:
        return
    for name in ("etc", "collective", "due"):
        if getattr(a, name) != getattr(b, name):
            yield line.change(name, field=name, old=getattr(a, name), new=getattr(b, name))
    if ra == rb and line.ids[0] != line.ids[1]:
        yield line.change("order", field="order", old=[*a.leads, *a.participants], new=[*b.leads, *b.participants])
    old_words, new_words = line.words
    if any(getattr(a, name) != getattr(b, name) for name in WORDING) and old_words != new_words:
        ops = text_ops(old_words, new_words, terms)
        yield line.change("text", field="line", old=old_words, new=new_words, ops=ops)


def _responsibility(plans: tuple[PlanData, PlanData], found: Found, kin: Lineage, terms: list[str]) -> Iterator[Change]:
    """Role changes, line by line: each action's own line, and each task's own line (against what
    the task had before: its chapter's line when it had none of its own)."""
    from kpsy.plan.outline import ChapterRef, TaskRef

    old, new = plans
    before, after = found
    alias = kin.back()
    names = {u.id: u.name for u in old.units} | {u.id: u.name for u in new.units}
    registry = list(old.units) == list(new.units)  # a line written alike then names the same units alike
    for chapter in new.iter_chapters():
        was = old.find(chapter.id)
        if not isinstance(was, ChapterRef) or chapter.id not in before or chapter.id not in after:
            continue
        a, b = was.chapter.responsibility, chapter.chapter.responsibility
        if (a is None and b is None) or (registry and a == b and _tasks_alike(was, chapter)):
            continue
        if a is None or b is None:  # a line of its own against its tasks' lines together
            a, b = was.responsibility, chapter.responsibility
        yield from _line(_Line(plans, found, chapter.id, (a, b), alias), names, terms)
    for task in new.iter_tasks():
        was_task = old.find(task.id)
        if not isinstance(was_task, TaskRef) or task.id not in before or task.id not in after:
            continue
        if was_task.task.responsibility is None and task.task.responsibility is None:
            continue
        if registry and was_task.responsibility == task.responsibility:
            continue
        line = _Line(plans, found, task.id, (was_task.responsibility, task.responsibility), alias)
        yield from _line(line, names, terms)


def _tasks_alike(was: Any, now: Any) -> bool:
    """Whether a chapter's tasks have the same lines of their own (which its line stands with)."""
    return [t.task.responsibility for t in was.tasks] == [t.task.responsibility for t in now.tasks]


# --- the registry --------------------------------------------------------------------------------


def _renamed_in(found: Found, old_names: list[str], new_names: list[str]) -> list[str]:
    """The items whose words named a unit by its old name and name it by its new one."""
    before, after = found
    out = []
    for key, now in after.items():
        was = before.get(key)
        if was is None or was.text == now.text:
            continue
        if any(n in was.text for n in old_names) and any(n in now.text for n in new_names):
            out.append(key)
    return out


def _rename(found: Found, was: Any, unit: Any, recorded: bool) -> Change:
    """A unit renamed (under its id, or a new one): one change, its other fields (full name, aliases) with it."""
    kept = was.name in unit.aliases
    change = Change(
        "unit-renamed", "unit", unit.id, unit.name, field="name", old=was.name, new=unit.name, unit=unit.name
    )
    change.units = list(dict.fromkeys([was.id, unit.id]))
    change.note = "old name kept as alias" if kept else "old name not kept as alias"
    change.items = _renamed_in(found, [was.name], [unit.name])
    change.recorded = recorded
    return change


def _unit_changes(plans: tuple[PlanData, PlanData], found: Found, kin: Lineage) -> Iterator[Change]:
    old, new = plans
    before = {u.id: u for u in old.units}
    after = {u.id: u for u in new.units}
    alias = kin.back()
    for ident, unit in after.items():
        was = before.get(ident) or before.get(alias.get(ident, ""))
        if was is None:
            yield Change("unit-added", "unit", ident, unit.name, new=unit.name, unit=unit.name, units=[ident])
            continue
        if was.name != unit.name:
            yield _rename(found, was, unit, kin.recorded_renames and ident in alias)
            continue
        for name in ("full_name", "kind", "aliases"):
            a, b = getattr(was, name), getattr(unit, name)
            if a != b:
                yield Change(
                    "unit-changed", "unit", ident, unit.name, field=name, old=a, new=b, unit=unit.name, units=[ident]
                )
    for ident, was in before.items():
        if ident not in after and ident not in kin.renamed:
            yield Change("unit-removed", "unit", ident, was.name, old=was.name, unit=was.name, units=[ident])


# --- targets, milestones, the letters' settings ----------------------------------------------------


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
            change = Change(f"{kind}-changed", kind, ident, describe(record), field=",".join(fields), everyone=True)
            change.old, change.new = {n: a.get(n) for n in fields}, {n: b[n] for n in fields}
            change.old_title, change.item = describe(was), item
            yield change
    for ident, was in before.items():
        if ident not in after:
            yield Change(
                f"{kind}-removed", kind, ident, describe(was), old=_flat(was), everyone=True, item=was.source.ref
            )


LETTER_FIELDS = ("title", "sender", "opening", "reporting", "contact")


def _settings(old: PlanData, new: PlanData) -> Iterator[Change]:
    """What the letters are written from (settings.yaml: title, sender, opening, 工作要求, contact)."""
    a, b = old.settings.letter, new.settings.letter
    for name in LETTER_FIELDS:
        was, now = getattr(a, name, None), getattr(b, name, None)
        if was != now:
            change = Change("settings", "settings", f"letter.{name}", name, field=name, old=was, new=now, everyone=True)
            if isinstance(was, str | None) and isinstance(now, str | None):
                change.ops = text_ops(was or "", now or "")
            yield change


def _plan_wide(changes: list[Change], plans: tuple[PlanData, PlanData]) -> None:
    """The words of the front matter (title, notice, preamble, imprint) and of the text stating the
    schedule (every letter quotes it) are the whole plan's: they concern every unit."""
    stating = {m.source.ref for plan in plans for m in plan.milestones}
    front = set(FRONT.values())
    for change in changes:
        if change.kind in ("title", "text") and (change.item in front or change.item in stating):
            change.everyone = True


# --- the comparison ------------------------------------------------------------------------------


def unit_names(plans: tuple[PlanData | None, ...]) -> list[str]:
    """Every name a unit goes by in either revision: words a diff never cuts."""
    return list(dict.fromkeys(name for plan in plans if plan is not None for unit in plan.units for name in unit.names))


def compare(old: PlanData, new: PlanData, old_label: str, new_label: str) -> DiffResult:
    """Every change in meaning from `old` to `new`, in document order, each with its sentence."""
    from kpsy.revisions.words import statement

    found = items(old), items(new)
    terms = unit_names((old, new))
    kin = lineage((old, new), found, terms)
    structure = [c for kind in ("part", "chapter", "task") for c in _structure(found, kind, kin)]
    quiet = {c.subject for c in structure} | {k for c in structure for run in c.shifts for k in run["ids"]}
    changes = [
        *structure,
        *_words(found, quiet, _numbering(old) != _numbering(new), kin, terms),
        *_document(old, new),
        *_responsibility((old, new), found, kin, terms),
        *_unit_changes((old, new), found, kin),
        *_record_changes("target", old.targets, new.targets),
        *_record_changes("milestone", old.milestones, new.milestones),
        *_settings(old, new),
    ]
    _plan_wide(changes, (old, new))
    _units_concerned(changes, (old, new), found)
    _place(changes, found)
    changes.sort(key=lambda c: c.position)
    for change in changes:
        change.statement = statement(change, *found)
    result = DiffResult(old_label, new_label, changes, title=new.title, before=found[0], after=found[1])
    result.old_plan, result.new_plan, result.terms, result.renamed = old, new, terms, dict(kin.renamed)
    result.same = {c.old: c.new for c in changes if c.kind == "unit-renamed"}
    return result


def keys_of(change: Change) -> list[str]:
    """The items a change is about: its own, those merged or split with it, a renamed unit's lines,
    the items whose numbers it moved on."""
    keys = [change.item] if change.item else []
    keys += [*change.from_ids, *change.into_ids, *change.items]
    keys += [k for run in change.shifts for k in run["ids"]]
    return list(dict.fromkeys(keys))


def _units_concerned(changes: list[Change], plans: tuple[PlanData, PlanData], found: Found) -> None:
    """Each change to an item concerns the units that have or had a role in it."""
    for change in changes:
        if change.units or change.everyone or change.type in ("unit", "target", "milestone", "settings"):
            continue
        units: dict[str, None] = {}
        for key in keys_of(change):
            for plan, items_of in zip(plans, found, strict=True):
                item = items_of.get(key)
                if item is not None:
                    units.update(dict.fromkeys(item.roles(plan)))
        change.units = list(units)


_TAIL = {"unit": 1, "target": 2, "milestone": 3, "settings": 4}


def _place(changes: list[Change], found: Found) -> None:
    """Give each change the position of what it is about in the document: the newer revision's
    order, removed items where they stood; the registry, targets, milestones and settings after
    the text."""
    before, after = found
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


def item_keys(found: Found, key: str) -> list[str]:
    """An item with everything in it (a chapter's tasks and line), in document order."""
    before, after = found
    inside = {key}
    for items_of in (before, after):
        for other in items_of.values():
            if other.parent in inside or other.key == key + RESPONSIBILITY:
                inside.add(other.key)
    order = {k: i for i, k in enumerate(after)} | {k: i + 0.5 for i, k in enumerate(before) if k not in after}
    return sorted(inside, key=lambda k: order.get(k, 0))

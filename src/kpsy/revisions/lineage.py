"""Which changes are one event: a unit renamed under a new id (the same role in the same places under
another name), items merged (the words of one or more carried into another) and items split (one's
words carried into new ones). The revision record decides when it says (revisions.yaml: `renamed`,
`merged`, `split` on the draft or the issued version NEW is: an entry, or an empty list for none);
otherwise kpsy recognises them from the two plans.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import field
from typing import Any

from kpsy.light import light
from kpsy.plan.outline import PlanData
from kpsy.revisions.items import Item
from kpsy.revisions.tokens import common

CARRIED = 0.5  # an item is merged into (split into) another when at least this share of its words is carried
SAME_PLACES = 0.75  # a new unit is an old one renamed when this share of their places (line, role) agree
SHORTEST = 10  # items with fewer characters of words than this are never taken for a merge or split
LIKELY = 0.3  # before comparing two texts word by word: the share of one's character pairs the other must have


@light
class Merge:
    sources: list[str]  # the items merged, in the order they stood (not `target`)
    target: str  # the item they were merged into: kept, or new
    recorded: bool = False


@light
class Split:
    source: str  # the item split
    parts: list[str]  # its parts, in the order they stand (the source among them when it keeps a part)
    recorded: bool = False


@light
class Lineage:
    renamed: dict[str, str] = field(default_factory=dict)  # old unit id -> new unit id
    recorded_renames: bool = False
    merges: list[Merge] = field(default_factory=list)
    splits: list[Split] = field(default_factory=list)

    def back(self) -> dict[str, str]:
        """New unit id -> old unit id, for the units renamed under a new id."""
        return {new: old for old, new in self.renamed.items()}

    def gone(self) -> set[str]:
        """Items that are not removed but merged or split away."""
        return {s for m in self.merges for s in m.sources} | {s.source for s in self.splits}

    def come(self) -> set[str]:
        """Items that are not added but made by a merge or a split."""
        return {m.target for m in self.merges} | {p for s in self.splits for p in s.parts}


def lineage(
    plans: tuple[PlanData, PlanData], found: tuple[dict[str, Item], dict[str, Item]], terms: Sequence[str] = ()
) -> Lineage:
    """The renames, merges and splits from OLD to NEW: as the record NEW carries says, else recognised."""
    from kpsy.plan.versions import lineage_record

    old, new = plans
    before, after = found
    record = lineage_record(new)
    result = Lineage()
    recorded_names = getattr(record, "renamed", None)
    if recorded_names is not None:
        old_ids, new_ids = set(old.units.by_id), set(new.units.by_id)
        result.renamed = {r.unit: r.to for r in recorded_names if r.unit in old_ids and r.to in new_ids}
        result.recorded_renames = True
    else:
        result.renamed = _renames(old, new)
    merged, split = getattr(record, "merged", None), getattr(record, "split", None)
    for kind in ("chapter", "task"):
        merges, splits = _recognise(before, after, kind, terms)
        result.merges += merges if merged is None else _recorded_merges(merged, before, after, kind)
        result.splits += splits if split is None else _recorded_splits(split, before, after, kind)
    return result


# --- units renamed under a new id -----------------------------------------------------------------


def places(plan: PlanData) -> dict[str, set[tuple[str, str]]]:
    """Unit id -> the (line, role) pairs where the responsibility lines name it."""
    found: dict[str, set[tuple[str, str]]] = {}
    lines = [(c.id, c.chapter.responsibility) for c in plan.iter_chapters()]
    lines += [(t.id, t.task.responsibility) for t in plan.iter_tasks()]
    for owner, resp in lines:
        if resp is None:
            continue
        for role, names in (("lead", resp.leads), ("participant", resp.participants)):
            for name in names:
                found.setdefault(plan.units.id_of(name), set()).add((owner, role))
    return found


def _renames(old: PlanData, new: PlanData) -> dict[str, str]:
    """Units gone from the registry, each matched with a unit new to it of the same kind that the
    lines name in (nearly) the same places and roles."""
    gone = [u for u in old.units if u.id not in new.units.by_id]
    come = [u for u in new.units if u.id not in old.units.by_id]
    if not gone or not come:
        return {}
    at_old, at_new = places(old), places(new)

    def agree(a: set[Any], b: set[Any]) -> float:
        return len(a & b) / len(a | b) if a and b else 0.0

    found: dict[str, str] = {}
    for unit in gone:
        scores = sorted(
            ((agree(at_old.get(unit.id, set()), at_new.get(c.id, set())), c.id) for c in come if c.kind == unit.kind),
            reverse=True,
        )
        if scores and scores[0][0] >= SAME_PLACES and (len(scores) == 1 or scores[1][0] < scores[0][0]):
            found[unit.id] = scores[0][1]
    taken = list(found.values())
    return {a: b for a, b in found.items() if taken.count(b) == 1}


# --- merges and splits ----------------------------------------------------------------------------


def words_of(item: Item) -> str:
    """An item's words after its number and title, paragraphs run together."""
    return "".join(item.paragraphs)[len(item.head) :]


def _pairs(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)}


def _share(part: str, whole: str, terms: Sequence[str]) -> float:
    """The share of `part`'s words that `whole` carries."""
    if not part or not whole:
        return 0.0
    pairs = _pairs(part)
    if len(pairs & _pairs(whole)) < LIKELY * len(pairs):
        return 0.0
    return common(part, whole, terms) / len(part)


def _candidates(before: dict[str, Item], after: dict[str, Item], kind: str) -> tuple[list[str], list[str], list[str]]:
    """Removed, added and reworded items of `kind` with words enough to judge, leaving out those
    whose parent is itself added or removed (they go with it)."""

    def whole(item: Item, other: dict[str, Item]) -> bool:
        return len(words_of(item)) >= SHORTEST and (item.parent is None or item.parent in other)

    removed = [k for k, i in before.items() if i.type == kind and k not in after and whole(i, after)]
    added = [k for k, i in after.items() if i.type == kind and k not in before and whole(i, before)]
    if not removed and not added:
        return removed, added, []
    reworded = [
        k
        for k, i in before.items()
        if i.type == kind and k in after and i.text != after[k].text and words_of(i) != words_of(after[k])
    ]
    return removed, added, reworded


def _recognise(
    before: dict[str, Item], after: dict[str, Item], kind: str, terms: Sequence[str]
) -> tuple[list[Merge], list[Split]]:
    removed, added, reworded = _candidates(before, after, kind)
    if not removed and not added:
        return [], []
    splits = _splits(before, after, (removed, added, reworded), terms)
    taken = {s.source for s in splits} | {p for s in splits for p in s.parts}
    merges = _merges(
        before, after, ([k for k in removed if k not in taken], [k for k in added if k not in taken], reworded), terms
    )
    return merges, splits


def _splits(
    before: dict[str, Item], after: dict[str, Item], keys: tuple[list[str], list[str], list[str]], terms: Sequence[str]
) -> list[Split]:
    """New items most of whose words come from one item, which lost them (or is gone)."""
    removed, added, reworded = keys
    parts: dict[str, list[str]] = {}
    for key in added:
        words = words_of(after[key])
        scores = [(_share(words, words_of(before[s]), terms), s) for s in (*removed, *reworded)]
        share, source = max(scores, default=(0.0, ""))
        kept = source in after and _share(words, words_of(after[source]), terms) >= CARRIED
        if share >= CARRIED and not kept:
            parts.setdefault(source, []).append(key)
    found: list[Split] = []
    for source, new in parts.items():
        if source in after:
            found.append(Split(source, sorted([source, *new], key=lambda k: after[k].position)))
        elif len(new) > 1:
            found.append(Split(source, new))
    return found


def _merges(
    before: dict[str, Item], after: dict[str, Item], keys: tuple[list[str], list[str], list[str]], terms: Sequence[str]
) -> list[Merge]:
    """Items gone most of whose words another item (kept, or new) now carries and did not before."""
    removed, added, reworded = keys
    into: dict[str, list[str]] = {}
    for key in removed:
        words = words_of(before[key])
        scores = []
        for target in (*added, *reworded):
            had = _share(words, words_of(before[target]), terms) if target in before else 0.0
            scores.append((_share(words, words_of(after[target]), terms) - had, target))
        share, target = max(scores, default=(0.0, ""))
        if share >= CARRIED:
            into.setdefault(target, []).append(key)
    return [Merge(sources, target) for target, sources in into.items() if target in before or len(sources) > 1]


def _recorded_merges(entries: Iterable[Any], before: dict[str, Item], after: dict[str, Item], kind: str) -> list[Merge]:
    found = []
    for entry in entries:
        target = after.get(entry.into)
        sources = [k for k in entry.items if k != entry.into and k in before and k not in after]
        if target is not None and target.type == kind and sources:
            found.append(Merge(sorted(sources, key=lambda k: before[k].position), entry.into, recorded=True))
    return found


def _recorded_splits(entries: Iterable[Any], before: dict[str, Item], after: dict[str, Item], kind: str) -> list[Split]:
    found = []
    for entry in entries:
        source = before.get(entry.item)
        parts = [k for k in entry.into if k in after and (k == entry.item or k not in before)]
        if source is not None and source.type == kind and parts and parts != [entry.item]:
            found.append(Split(entry.item, sorted(parts, key=lambda k: after[k].position), recorded=True))
    return found

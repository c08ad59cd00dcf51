"""The rows of the comparison table (修改对照表): one row for each thing of the document whose words
changed, quoting every paragraph of it as it stood at OLD and as it stands at NEW, with what
changed marked word by word, and in its 说明 every change about it, once. An action added or
removed is one row with its tasks and its line; items merged or split are one row, the items
they came from on the old side and what they became on the new; each line that names a renamed
unit is a row. Changes that are not about the document's words (the registry, targets and
milestones whose words did not change, the letters' settings) become notes under the table.
"""

from __future__ import annotations

from dataclasses import field

from kpsy.i18n import msg
from kpsy.light import light
from kpsy.revisions.change import Change, DiffResult, Ops
from kpsy.revisions.diff import item_keys
from kpsy.revisions.tokens import text_ops

Runs = list[tuple[str, str]]  # (text, style): style "" (kept), "del" (only at OLD) or "ins" (only at NEW)
NOT_TEXT = ("target", "milestone", "unit", "settings", "letter")


@light
class Row:
    key: str  # the first item it quotes
    position: float
    old: list[Runs]  # paragraphs at OLD
    new: list[Runs]  # paragraphs at NEW
    notes: list[str] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)  # every item it quotes
    old_keys: list[str] = field(default_factory=list)  # the items it quotes at OLD, in the order they stood
    new_keys: list[str] = field(default_factory=list)  # at NEW, in the order they stand


def split(ops: Ops) -> tuple[list[Runs], list[Runs]]:
    """A diff of two texts as the paragraphs of each side, runs marked: deletions on the old side,
    insertions on the new; each side's text is exactly its own."""
    old: list[Runs] = [[]]
    new: list[Runs] = [[]]
    for op, text in ops:
        sides = ((old, "del"),) if op < 0 else ((new, "ins"),) if op > 0 else ((old, ""), (new, ""))
        for paragraphs, style in sides:
            for i, piece in enumerate(text.split("\n")):
                if i:
                    paragraphs.append([])
                if piece:
                    paragraphs[-1].append((piece, style))
    return old, new


def plain(paragraphs: list[Runs]) -> str:
    """The text of a cell's paragraphs, markup aside."""
    return "\n".join("".join(text for text, _ in runs) for runs in paragraphs)


def _row_keys(change: Change, result: DiffResult) -> list[list[str]]:
    """The rows a change belongs to, as the items each quotes."""
    found = (result.before, result.after)
    if change.type in ("target", "milestone"):
        return [[change.item]] if change.item else []  # with the words that state it, when they changed
    if change.type in NOT_TEXT:
        return [[k] for k in change.items]  # a renamed unit: each line that names it
    if change.item is None or change.kind == "renumbered":
        return []
    if change.kind in ("added", "removed"):
        return [item_keys(found, change.subject)]
    if change.kind in ("merged", "split"):
        return [[change.subject, *change.from_ids, *change.into_ids]]
    return [[change.item]]


def _groups(result: DiffResult) -> tuple[list[tuple[list[str], list[Change]]], list[Change]]:
    """Changes gathered by the rows they belong to (rows sharing an item are one), and the rest."""
    owner: dict[str, int] = {}
    groups: list[tuple[list[str], list[Change]]] = []
    loose: list[Change] = []
    for change in result.changes:
        rows = _row_keys(change, result)
        if not rows:
            loose.append(change)
        for keys in rows:
            hit = sorted({owner[k] for k in keys if k in owner})
            if not hit:
                groups.append(([], []))
                hit = [len(groups) - 1]
            into = hit[0]
            for other in hit[1:]:  # two rows that turn out to share an item become one
                groups[into][0].extend(groups[other][0])
                groups[into][1].extend(groups[other][1])
                groups[other] = ([], [])
            groups[into][0].extend(k for k in keys if k not in groups[into][0])
            if change not in groups[into][1]:
                groups[into][1].append(change)
            for k in groups[into][0]:
                owner[k] = into
    return [g for g in groups if g[0]], loose


def _row(result: DiffResult, keys: list[str], changes: list[Change]) -> Row | None:
    """One row: the items' paragraphs at both revisions, marked; None when they read the same and
    stand where they stood."""
    before, after = result.before, result.after
    old_keys = sorted((k for k in keys if k in before), key=lambda k: before[k].position)
    new_keys = sorted((k for k in keys if k in after), key=lambda k: after[k].position)
    was = "\n".join(before[k].text for k in old_keys)
    now = "\n".join(after[k].text for k in new_keys)
    placed = any(c.kind in ("moved", "reordered") for c in changes)
    if (was == now and not placed) or not (old_keys or new_keys):
        return None
    if not old_keys:
        old: list[Runs] = [[(msg("(none)", "（无）"), "")]]
        new = [[(p, "ins")] for p in now.split("\n")]
    elif not new_keys:
        old = [[(p, "del")] for p in was.split("\n")]
        new = [[(msg("(deleted)", "（删除）"), "")]]
    else:
        old, new = split(text_ops(was, now, result.terms, result.same))
    notes = list(dict.fromkeys(c.statement for c in changes))
    texts = [c.position for c in changes if c.type not in NOT_TEXT]
    position = min(texts) if texts else _at(result, keys)
    return Row((old_keys or new_keys)[0], position, old, new, notes, [*keys], old_keys, new_keys)


def _at(result: DiffResult, keys: list[str]) -> float:
    order = {k: float(i) for i, k in enumerate(result.after)}
    return min((order[k] for k in keys if k in order), default=float(len(order)))


def rows_and_notes(result: DiffResult) -> tuple[list[Row], list[str]]:
    """The table's rows in document order, and the notes for what belongs to no row (each change
    said once: in the rows it explains, or under the table)."""
    groups, loose = _groups(result)
    rows: list[Row] = []
    placed: set[int] = set()
    for keys, changes in groups:
        row = _row(result, keys, changes)
        if row is None:
            loose += changes
        else:
            rows.append(row)
            placed |= {id(c) for c in changes}
    rows.sort(key=lambda r: r.position)
    rest = sorted({id(c): c for c in loose if id(c) not in placed}.values(), key=lambda c: c.position)
    return rows, [c.statement for c in rest]

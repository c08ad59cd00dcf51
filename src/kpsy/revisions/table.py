"""The rows of the comparison table (修改对照表): one row for each item of the document whose words
changed, quoting every paragraph of it as it stood at OLD and as it stands at NEW, with what
changed marked, and in its 说明 every change about it. Changes that are not about the document's
words (the registry, targets and milestones whose words did not change, responsibility kept apart
from the text) become notes under the table.
"""

from __future__ import annotations

from dataclasses import field
from typing import TYPE_CHECKING

from kpsy.i18n import msg
from kpsy.light import light
from kpsy.revisions.items import RESPONSIBILITY

if TYPE_CHECKING:
    from kpsy.revisions.diff import Change, DiffResult, Ops

Runs = list[tuple[str, str]]  # (text, style): style "" (kept), "del" (only at OLD) or "ins" (only at NEW)
NOT_TEXT = ("target", "milestone", "unit")


@light
class Row:
    key: str  # the item
    position: float
    old: list[Runs]  # paragraphs at OLD
    new: list[Runs]  # paragraphs at NEW
    notes: list[str] = field(default_factory=list)
    keys: list[str] = field(
        default_factory=list
    )  # the items it quotes: the item, and an added or removed action's line


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


def rows_and_notes(result: DiffResult) -> tuple[list[Row], list[str]]:
    """The table's rows in document order, and the notes for what belongs to no row."""
    from kpsy.revisions.diff import text_ops, token_ops

    before, after = result.before, result.after
    by_item: dict[str, list[Change]] = {}
    loose: list[Change] = []
    for change in result.changes:
        if change.item is None or change.kind == "renumbered" or change.type == "unit":
            loose.append(change)
        else:
            by_item.setdefault(change.item, []).append(change)
    rows: list[Row] = []
    for key, changes in by_item.items():
        was, now = before.get(key), after.get(key)
        about_text = any(c.type not in NOT_TEXT for c in changes)
        placed = any(c.kind in ("moved", "reordered") for c in changes)  # the same words elsewhere: a row too
        same = was is not None and now is not None and was.text == now.text and not placed
        if not about_text or same or (was is None and now is None):
            loose += changes
            continue
        keys = [key]
        line = key + RESPONSIBILITY
        if (was is None) != (now is None) and (line in before) != (line in after):
            keys.append(line)  # an action added or removed with its responsibility line: one row
        if was is None:
            old: list[Runs] = [[(msg("(none)", "（无）"), "")]]
            new = [[(p, "ins")] for k in keys for p in after[k].paragraphs]
        elif now is None:
            old = [[(p, "del")] for k in keys for p in before[k].paragraphs]
            new = [[(msg("(deleted)", "（删除）"), "")]]
        elif now.type == "responsibility":
            old, new = split(token_ops(was.text, now.text, unit_names(result)))
        else:
            old, new = split(text_ops(was.text, now.text))
        notes = [c.statement for c in changes]
        for rename in (c for c in result.changes if c.kind == "unit-renamed"):
            if was is not None and now is not None and rename.old in was.text and rename.new in now.text:
                notes.append(rename.statement)
        rows.append(Row(key, min(c.position for c in changes), old, new, notes, keys))
    rows.sort(key=lambda r: r.position)
    loose.sort(key=lambda c: c.position)
    return rows, [c.statement for c in loose]


def unit_names(result: DiffResult) -> list[str]:
    """Every name a responsibility line may write a unit by, in either revision."""
    names: list[str] = []
    for plan in (result.old_plan, result.new_plan):
        if plan is not None:
            names += [name for unit in plan.units for name in unit.names]
    return names

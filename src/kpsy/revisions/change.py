"""What a revision is made of: `Change` (one change in meaning, one sentence of the revision note)
and `DiffResult` (every change between two revisions, with both plans and their items). Made by
`kpsy.revisions.diff`, said by `kpsy.revisions.words`, shown by `kpsy.revisions.report`.
"""

from __future__ import annotations

import dataclasses
from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from kpsy.errors import KpsyError
from kpsy.light import light

if TYPE_CHECKING:
    from kpsy.plan.outline import PlanData
    from kpsy.revisions.items import Item


class DiffError(KpsyError):
    """A revision could not be read or its plan could not be loaded."""

    exit_code = 2


Ops = list[tuple[int, str]]  # a diff of two texts: (-1 deleted | 0 kept | 1 inserted, text)


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
    impact: str | None = None  # in one unit's view: what it means for that unit (see IMPACTS)
    old_role: str | None = None  # in one unit's view: its role in the item before and after
    new_role: str | None = None
    from_ids: list[str] = dataclasses.field(default_factory=list)  # merged: the items merged into `subject`
    into_ids: list[str] = dataclasses.field(default_factory=list)  # split: the items `subject` was split into
    items: list[str] = dataclasses.field(
        default_factory=list
    )  # other items whose words it changes (a renamed unit's lines)
    recorded: bool = False  # a merge, split or rename the revision record (revisions.yaml) states

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["ops"] = [list(op) for op in self.ops] if self.ops is not None else None
        return data

    def copy(self) -> Change:
        return Change(**{f.name: getattr(self, f.name) for f in dataclasses.fields(Change)})


KINDS = {
    "added": "item added (a part or chapter with everything in it)",
    "removed": "item removed (a part or chapter with everything in it)",
    "moved": "item moved to another parent (a task to another action, a chapter to another part)",
    "reordered": "item moved among its siblings",
    "merged": "items merged into one (`from_ids` into `subject`): their words carried into it",
    "split": "item split into several (`subject` into `into_ids`)",
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
    "unit-renamed": "unit renamed (the same unit, in the same places, under a new name, or a new id)",
    "unit-changed": "unit's other fields changed",
    "target-added": "target added",
    "target-removed": "target removed",
    "target-changed": "target changed",
    "milestone-added": "milestone added",
    "milestone-removed": "milestone removed",
    "milestone-changed": "milestone changed",
    "settings": "what the task letters are written from (settings.yaml) changed",
    "letter": "a unit's letter reads differently for a reason no other change names (a template of one's own)",
}
RECORD_KINDS = (
    "target-added",
    "target-removed",
    "target-changed",
    "milestone-added",
    "milestone-removed",
    "milestone-changed",
)
STRUCTURE = ("added", "removed", "moved", "reordered", "merged", "split", "renumbered")
ROLE_KINDS = ("lead-added", "lead-removed", "participant-added", "participant-removed", "to-lead", "to-participant")
LINE_KINDS = (*ROLE_KINDS, "etc", "collective", "due", "order")
IMPACTS = {
    "gained": "it takes on the item",
    "lost": "it no longer has the item",
    "kept": "it keeps the item (its role may change)",
    "merged": "the item was merged into one it still has",
    "split": "the item was split; it keeps the part it has",
    "renumbered": "the numbers of its tasks change with it",
    "co-worker": "a unit it works with in the item changes (renamed, added, removed)",
    "wording": "the words of an item it has change",
    "plan-wide": "a change to the whole plan: it concerns every unit",
}


@light
class DiffResult:
    old: str  # the older revision, as the office names it (its record in revisions.yaml, else a dated description)
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
    old_revision: str | None = None  # what the command named: a git revision or a folder (never shown to officials)
    new_revision: str | None = None
    letter: str | None = None  # in one unit's view: its letter changed, new, withdrawn or unchanged
    terms: list[str] = dataclasses.field(default_factory=list)  # words never cut: the units' names
    renamed: dict[str, str] = dataclasses.field(default_factory=dict)  # a unit renamed under a new id: old id -> new
    same: dict[str, str] = dataclasses.field(default_factory=dict)  # a renamed unit's old name -> its new name

    @property
    def count(self) -> int:
        return len(self.changes)

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "old": self.old,
            "new": self.new,
            "old_revision": self.old_revision,
            "new_revision": self.new_revision,
            "old_version": self.old_version,
            "new_version": self.new_version,
            "unit": self.unit,
            "title": self.title,
            "count": self.count,
            "changes": [c.as_dict() for c in self.changes],
        }
        if self.unit is not None:
            data["letter"] = self.letter
        return data

    def view(self, changes: list[Change], unit: str | None, unit_id: str | None, letter: str | None) -> DiffResult:
        """The same comparison, keeping `changes` (one unit's view)."""
        return DiffResult(
            self.old,
            self.new,
            changes,
            unit,
            self.title,
            self.old_version,
            self.new_version,
            self.before,
            self.after,
            self.old_plan,
            self.new_plan,
            unit_id,
            self.when,
            self.old_revision,
            self.new_revision,
            letter,
            self.terms,
            self.renamed,
            self.same,
        )

"""What changed in meaning between two revisions of the plan, matched by stable id.

Revisions are read from git with `git archive` into a temporary folder (no checkout: the working
tree and the index are never touched), or given as two plan folders. Changes are data; the
reporters in kpsy.diffreport show them.
"""

from __future__ import annotations

import dataclasses
import io
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import asdict
from pathlib import Path
from typing import Any

from kpsy.errors import KpsyError, UnknownNameError
from kpsy.i18n import msg
from kpsy.light import light
from kpsy.plan.model import Unit
from kpsy.plan.outline import PlanData
from kpsy.plan.text import body_of, responsibility_line


class DiffError(KpsyError):
    """A revision could not be read or its plan could not be loaded."""

    exit_code = 2


# --- reading revisions -------------------------------------------------------------------------


@light
class Side:
    label: str  # "HEAD~1", "working tree", or a folder
    plan: PlanData


def _git(repo: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(["git", "-C", str(repo), *args], capture_output=True)
    except FileNotFoundError:
        raise DiffError("git is not installed; compare two folders with --old-plan and --new-plan") from None


def repository(plan_dir: Path) -> tuple[Path, str]:
    """The git work tree holding `plan_dir`, and the plan's path inside it."""
    proc = _git(plan_dir, "rev-parse", "--show-toplevel")
    if proc.returncode != 0:
        raise DiffError(f"{plan_dir} is not inside a git repository; use --old-plan DIR --new-plan DIR")
    top = Path(proc.stdout.decode().strip())
    return top, plan_dir.resolve().relative_to(top.resolve()).as_posix()


def load_side(folder: Path, label: str, prefix: str | None = None) -> Side:
    from kpsy.plan.load import load_plan

    loaded = load_plan(folder, prefix)
    if loaded.plan is None:
        errors = [p for p in loaded.problems if p.is_error]
        lines = "\n".join(f"  {p.location()}: {p.message}" for p in errors[:10])
        more = f"\n  … and {len(errors) - 10} more" if len(errors) > 10 else ""
        raise DiffError(f"the plan in {label} does not load:\n{lines}{more}")
    return Side(label, loaded.plan)


def revision_side(repo: Path, rel: str, rev: str, tmp: Path) -> Side:
    """The plan as it is in git revision `rev`, read with `git archive` into `tmp`."""
    check = _git(repo, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}")
    if check.returncode != 0:
        raise DiffError(f"unknown git revision '{rev}'")
    proc = _git(repo, "archive", "--format=tar", rev, "--", rel)
    if proc.returncode != 0:
        raise DiffError(f"revision {rev} has no {rel}/ folder: {proc.stderr.decode('utf-8', 'replace').strip()}")
    with tarfile.open(fileobj=io.BytesIO(proc.stdout)) as tar:
        try:
            if hasattr(tarfile, "data_filter"):
                tar.extractall(tmp, filter="data")
            else:  # pragma: no cover - Python without extraction filters
                tar.extractall(tmp)
        except (tarfile.FilterError, tarfile.TarError, OSError) as exc:
            member = getattr(getattr(exc, "tarinfo", None), "name", "")
            raise DiffError(
                msg(
                    "revision {rev}: {member} cannot be read safely ({why}); a link out of the plan folder is never followed",
                    "修订版 {rev}：{member} 无法安全读取（{why}）；指向计划文件夹之外的链接不会被读取",
                    rev=rev,
                    member=member or rel,
                    why=exc,
                )
            ) from None
    return load_side(tmp / rel, rev, f"{rev}:{rel}/")


# --- what is compared ------------------------------------------------------------------------


@light
class Item:
    type: str  # part, chapter, task, document
    id: str
    number: str
    title: str
    text: str
    parent: str | None
    units: list[str]  # ids of the units responsible for it (its action's leads and participants)


def items(plan: PlanData) -> dict[str, Item]:
    """Everything that is compared as text, by id: the notice and preamble, parts, chapters, tasks."""
    found: dict[str, Item] = {}
    doc = plan.document
    for key, text in (
        ("notice.title", doc.notice.title if doc.notice else ""),
        ("notice.body", "\n".join(doc.notice.body) if doc.notice else ""),
        ("plan.title", doc.plan.title),
        ("plan.preamble", "\n".join(doc.plan.preamble)),
    ):
        found[key] = Item("document", key, "", key, text, None, [])
    for part in plan.parts:
        found[part.id] = Item("part", part.id, part.number, part.title, body_of(part), None, [])
        for chapter in part.chapters:
            resp = chapter.responsibility
            units = [plan.units.id_of(n) for n in (*resp.leads, *resp.participants)] if resp else []
            found[chapter.id] = Item(
                "chapter", chapter.id, chapter.number, chapter.title, body_of(chapter), part.id, units
            )
            for task in chapter.tasks:
                found[task.id] = Item("task", task.id, task.number, task.title, body_of(task), chapter.id, units)
    return found


def roles(plan: PlanData) -> dict[str, dict[str, str]]:
    """Action id -> unit id -> lead or participant."""
    result: dict[str, dict[str, str]] = {}
    for chapter in plan.iter_chapters():
        resp = chapter.responsibility
        if resp is None:
            continue
        cell: dict[str, str] = {}
        for name in resp.participants:
            cell[plan.units.id_of(name)] = "participant"
        for name in resp.leads:
            cell[plan.units.id_of(name)] = "lead"
        result[chapter.id] = cell
    return result


# --- changes ---------------------------------------------------------------------------------

Ops = list[tuple[int, str]]


@light
class Change:
    """One change in meaning. `kind` says what happened to `subject` (an id), `type` what it is."""

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

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["ops"] = [list(op) for op in self.ops] if self.ops is not None else None
        return data


KINDS = {
    "added": "item added",
    "removed": "item removed",
    "moved": "item renumbered or moved",
    "title": "title changed",
    "text": "text changed",
    "lead-added": "unit added as lead",
    "lead-removed": "unit removed as lead",
    "participant-added": "unit added as participant",
    "participant-removed": "unit removed as participant",
    "to-lead": "unit moved from participant to lead",
    "to-participant": "unit moved from lead to participant",
    "etc": "「等单位」 added or dropped",
    "responsibility-line": "the whole responsibility line, old and new (for the comparison table)",
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


def text_ops(old: str, new: str) -> Ops:
    """A character-level diff that reads well in Chinese: diff-match-patch with semantic clean-up."""
    from diff_match_patch import diff_match_patch  # type: ignore[import-untyped]

    dmp = diff_match_patch()
    dmp.Diff_Timeout = 2.0
    ops = dmp.diff_main(old, new)
    dmp.diff_cleanupSemantic(ops)
    return [(int(op), text) for op, text in ops]


@light
class DiffResult:
    old: str
    new: str
    changes: list[Change]
    unit: str | None = None
    title: str = ""  # the newer plan's title

    def as_dict(self) -> dict[str, Any]:
        return {
            "old": self.old,
            "new": self.new,
            "unit": self.unit,
            "title": self.title,
            "count": len(self.changes),
            "changes": [c.as_dict() for c in self.changes],
        }


def _item_changes(old: PlanData, new: PlanData) -> Iterator[Change]:
    before, after = items(old), items(new)
    for ident, item in after.items():
        was = before.get(ident)
        if was is None:
            yield Change("added", item.type, ident, item.title, new_number=item.number, new=item.text, units=item.units)
            continue
        units = list(dict.fromkeys([*was.units, *item.units]))
        if was.number != item.number or was.parent != item.parent:
            yield Change(
                "moved",
                item.type,
                ident,
                item.title,
                was.number,
                item.number,
                old=was.parent,
                new=item.parent,
                units=units,
            )
        for kind, name, old_text, new_text in (
            ("title", "title", was.title, item.title),
            ("text", "body", was.text, item.text),
        ):
            if old_text != new_text:
                yield Change(
                    kind,
                    item.type,
                    ident,
                    item.title,
                    was.number,
                    item.number,
                    name,
                    old_text,
                    new_text,
                    text_ops(old_text, new_text),
                    units=units,
                )
    for ident, was in before.items():
        if ident not in after:
            yield Change("removed", was.type, ident, was.title, old_number=was.number, old=was.text, units=was.units)


def _responsibility_changes(old: PlanData, new: PlanData) -> Iterator[Change]:
    before, after = roles(old), roles(new)
    names = {u.id: u.name for u in old.units} | {u.id: u.name for u in new.units}
    new_items = items(new)
    old_items = items(old)
    for action, now in after.items():
        was = before.get(action)
        if was is None:
            continue  # a new action: reported as added, with its units
        item = new_items[action]
        number = (old_items[action].number, item.number)
        for unit in list(dict.fromkeys([*was, *now])):
            a, b = was.get(unit), now.get(unit)
            if a == b:
                continue
            kind = {
                (None, "lead"): "lead-added",
                (None, "participant"): "participant-added",
                ("lead", None): "lead-removed",
                ("participant", None): "participant-removed",
                ("participant", "lead"): "to-lead",
                ("lead", "participant"): "to-participant",
            }[(a, b)]
            yield Change(
                kind,
                "responsibility",
                action,
                item.title,
                *number,
                "role",
                a,
                b,
                unit=names.get(unit, unit),
                units=[unit],
            )
        old_resp = old.chapter(action).responsibility
        new_resp = new.chapter(action).responsibility
        if old_resp and new_resp and old_resp.etc != new_resp.etc:
            yield Change("etc", "responsibility", action, item.title, *number, "etc", old_resp.etc, new_resp.etc)
        if old_resp and new_resp:
            a_line, b_line = responsibility_line(old_resp), responsibility_line(new_resp)
            if a_line != b_line:
                units = list(dict.fromkeys([*was, *now]))
                yield Change(
                    "responsibility-line",
                    "responsibility",
                    action,
                    item.title,
                    *number,
                    "line",
                    a_line,
                    b_line,
                    text_ops(a_line, b_line),
                    units=units,
                )


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


def _flat(record: Any) -> dict[str, Any]:
    """A record's fields, nested ones as "source.quote", numbers as the document writes them."""
    out: dict[str, Any] = {}

    def walk(prefix: str, value: Any) -> None:
        if isinstance(value, dict):
            for key, inner in value.items():
                walk(f"{prefix}.{key}" if prefix else key, inner)
        else:
            out[prefix] = int(value) if isinstance(value, float) and value.is_integer() else value

    walk("", asdict(record))
    return out


def _record_changes(kind: str, old: list[Any], new: list[Any], label: str) -> Iterator[Change]:
    before = {r.id: _flat(r) for r in old}
    after = {r.id: _flat(r) for r in new}
    for ident, record in after.items():
        was = before.get(ident)
        title = str(record[label])
        if was is None:
            yield Change(f"{kind}-added", kind, ident, title, new=record)
            continue
        for name, value in record.items():
            if was.get(name) != value:
                ops = text_ops(str(was[name]), str(value)) if isinstance(value, str) else None
                yield Change(f"{kind}-changed", kind, ident, title, field=name, old=was.get(name), new=value, ops=ops)
    for ident, was in before.items():
        if ident not in after:
            yield Change(f"{kind}-removed", kind, ident, str(was[label]), old=was)


def compare(old: Side, new: Side) -> DiffResult:
    """Every change in meaning from `old` to `new`, in a stable order."""
    changes = [
        *_item_changes(old.plan, new.plan),
        *_responsibility_changes(old.plan, new.plan),
        *_unit_changes(old.plan, new.plan),
        *_record_changes("target", old.plan.targets, new.plan.targets, "indicator"),
        *_record_changes("milestone", old.plan.milestones, new.plan.milestones, "title"),
    ]
    _place(changes, old.plan, new.plan)
    return DiffResult(old.label, new.label, changes, title=new.plan.title)


def _place(changes: list[Change], old: PlanData, new: PlanData) -> None:
    """Give each change the position of its subject in the document: the newer revision's order,
    removed items where they stood, a responsibility line after its action's last task."""
    order: dict[str, float] = {}
    for plan, offset in ((old, 0.5), (new, 0.0)):
        for i, ident in enumerate(items(plan)):
            if offset == 0.0 or ident not in order:
                order[ident] = i + offset
        for chapter in plan.iter_chapters():
            last = chapter.tasks[-1].id if chapter.tasks else chapter.id
            order[f"{chapter.id}#responsibility"] = order.get(last, 0) + 0.25
    tail = len(order) + 1
    for change in changes:
        key = f"{change.subject}#responsibility" if change.type == "responsibility" else change.subject
        change.position = order.get(key, tail)


def for_unit(result: DiffResult, unit: Unit) -> DiffResult:
    """Only what changed for `unit`: tasks gained or lost, role changes, text of tasks it works on."""
    changes = [c for c in result.changes if unit.id in c.units]
    return DiffResult(result.old, result.new, changes, unit.name, result.title)


def _compare(old: Side, new: Side, unit: str | None) -> DiffResult:
    result = compare(old, new)
    if unit is None:
        return result
    try:
        chosen = new.plan.units.resolve(unit)
    except UnknownNameError:
        chosen = old.plan.units.resolve(unit)  # a unit the new plan removed
    return for_unit(result, chosen)


def diff_revisions(plan_dir: Path, old_rev: str, new_rev: str | None, unit: str | None = None) -> DiffResult:
    """Compare the plan at git revision `old_rev` with `new_rev` (None: the working tree)."""
    repo, rel = repository(plan_dir)
    with tempfile.TemporaryDirectory(prefix="kpsy-diff-") as tmp:
        old = revision_side(repo, rel, old_rev, Path(tmp) / "old")
        if new_rev is None:
            new = load_side(plan_dir, "working tree")
        else:
            new = revision_side(repo, rel, new_rev, Path(tmp) / "new")
        return _compare(old, new, unit)


def diff_folders(old_dir: Path, new_dir: Path, unit: str | None = None) -> DiffResult:
    """Compare two plan folders (this plan and the next five-year plan, say)."""
    for folder in (old_dir, new_dir):
        if not (folder / "document.yaml").is_file():
            raise DiffError(f"{folder} is not a plan folder: it has no document.yaml")
    return _compare(load_side(old_dir, str(old_dir)), load_side(new_dir, str(new_dir)), unit)

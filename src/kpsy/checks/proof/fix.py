"""`kpsy proof --fix`: the safe changes written into the plan files, as a revision of the plan.

A fixed plan no longer reproduces the text that was issued, so it is a new revision: the changes
are made only when the data is recorded as a draft (`current: {draft_of: …}` in revisions.yaml) or
is checked against no issued text at all; otherwise nothing is written and the person is told what
to record. Each change is written in place, in the value's own quoting (an escape, a folded line),
so that comments, key order and every other byte stay as they were; a value whose form cannot be
changed in place goes through ruamel.yaml's round trip (`kpsy.plan.fmt.rewrite_values`). Copies of
the text that other files keep (quotes, basis titles) change with it. Before anything is written
the changed plan is checked as `kpsy validate` checks it: a change that would break a rule is not
made. Files are written atomically, keeping their byte-order mark, line ends and mode.
"""

from __future__ import annotations

import codecs
import copy
import dataclasses
import re
from collections import Counter
from pathlib import Path, PurePosixPath

from kpsy.checks.proof import Finding, Proofreading, proofread, run_rules
from kpsy.checks.proof.base import Change
from kpsy.checks.proof.texts import COPY, TEXT, Field, collect
from kpsy.errors import KpsyError
from kpsy.findings import Problem
from kpsy.i18n import msg
from kpsy.light import light
from kpsy.plan import versions
from kpsy.plan.files import Snapshot
from kpsy.plan.kinds import key_of
from kpsy.plan.model import DocPath
from kpsy.plan.outline import PlanData
from kpsy.plan.reader import Span, decode, parse
from kpsy.plan.scalars import source_of
from kpsy.util import display_path, writable_target, write_atomic

ROUNDS = 4  # changes that overlap are made one round after another


@light
class Fixed:
    """One change made: where it was (in the file as it was before its round of changes), by which
    rule, the text found and the text written (with a character on each side when short)."""

    file: str
    line: int
    col: int
    rule: str
    found: str
    written: str


@light
class ProofResult:
    """What proofreading finds in the plan (after the changes, when --fix made some), the changes
    made and the files written."""

    proofreading: Proofreading
    changes: list[Fixed] = dataclasses.field(default_factory=list)
    written: list[Path] = dataclasses.field(default_factory=list)
    revision: str = ""  # what the fixed data is, from revisions.yaml (草案：…，修订2022年印发稿)

    @property
    def problems(self) -> list[Problem]:
        """The findings, each at its file, line and column, with its clause and its `edit`."""
        return self.proofreading.result().problems


def fixable(finding: Finding) -> bool:
    return finding.hit.safe and finding.field.role == TEXT and bool(finding.hit.changes)


def fix(root: Path, snapshot: Snapshot, plan: PlanData) -> ProofResult:
    """Make every safe change the proofreading rules suggest in the plan at `root` (read into
    `snapshot`), in rounds until none is left; check the result; write the changed files."""
    reading = proofread(plan, snapshot)
    if not any(fixable(f) for f in reading.findings):
        return ProofResult(reading)
    refuse_issued(plan)
    current, changes = snapshot, list[Fixed]()
    for _ in range(ROUNDS):
        made = [f for f in reading.findings if fixable(f)]
        if not made:
            break
        changed, done = _apply(root, current, plan, made)
        if changed.files == current.files:  # nothing could be changed: no more rounds
            break
        current, changes = changed, changes + done
        plan = _reload(root, current)
        reading = proofread(plan, current)
    _check_nothing_breaks(root, snapshot, current)
    changes.sort(key=lambda c: (c.file, c.line, c.col))
    label = versions.working_label(plan) or ""
    return ProofResult(reading, changes, _write(root, snapshot, current), label)


def _reload(root: Path, snapshot: Snapshot) -> PlanData:
    from kpsy.plan.load import load_plan

    loaded = load_plan(root, snap=snapshot)
    if loaded.plan is None:  # the changes were checked value by value; this is a bug if it happens
        raise KpsyError(
            msg("the fixed plan does not load; nothing was written", "修正后的计划无法读取，未写入任何文件")
        )
    return loaded.plan


# --- one round ---------------------------------------------------------------------------------


def _select(findings: list[Finding]) -> tuple[dict[Field, list[Change]], list[Finding]]:
    """The changes to make in each text, none overlapping another (the rest wait for a later round)."""
    chosen: dict[Field, list[Change]] = {}
    made: list[Finding] = []
    for finding in sorted(findings, key=lambda f: f.hit.start):
        taken = chosen.setdefault(finding.field, [])
        wanted = finding.hit.changes
        if any(a < d and c < b for a, b, _ in wanted for c, d, _ in taken):
            continue
        taken += wanted
        made.append(finding)
    return chosen, made


def apply_changes(value: str, changes: list[Change]) -> str:
    out, i = [], 0
    for a, b, new in sorted(changes):
        out += [value[i:a], new]
        i = b
    out.append(value[i:])
    return "".join(out)


def _project(copied: str, edited: dict[Field, list[Change]]) -> list[Change] | None:
    """The changes made to a text, as they fall in a copy of a stretch of it; None when no changed
    text holds the copy whole with its changes inside it."""
    for field, changes in edited.items():
        k = field.value.find(copied)
        while k >= 0:
            end = k + len(copied)
            inside = [(a - k, b - k, new) for a, b, new in changes if k <= a and b <= end]
            if inside and not any(a < end and b > k and not (k <= a and b <= end) for a, b, _ in changes):
                return inside
            k = field.value.find(copied, k + 1)
    return None


def _copy_changes(plan: PlanData, edited: dict[Field, list[Change]]) -> dict[Field, list[Change]]:
    """The changes to make in the copies of the text (quotes, basis titles), so that they stay copies."""
    out: dict[Field, list[Change]] = {}
    for field in (f for f in collect(plan) if f.role == COPY):
        changes = _project(field.value, edited)
        if changes is None:  # a copy of words that no single text holds whole: its own safe changes
            changes = []
            for hit in sorted((h for _, _, h in run_rules([field.value]) if h.safe), key=lambda h: h.start):
                if not any(a < d and c < b for a, b, _ in hit.changes for c, d, _ in changes):
                    changes += hit.changes
        if changes:
            out[field] = changes
    return out


def _apply(root: Path, snapshot: Snapshot, plan: PlanData, findings: list[Finding]) -> tuple[Snapshot, list[Fixed]]:
    """One round: the chosen changes made in the files' bytes, and what was changed."""
    edited, made = _select(findings)
    edited.update(_copy_changes(plan, edited))
    by_key: dict[str, dict[DocPath, tuple[str, list[Change]]]] = {}
    for field, changes in edited.items():
        by_key.setdefault(field.key, {})[field.path] = (field.value, changes)
    relative = {key_of(r): r for r in snapshot.files}
    files = dict(snapshot.files)
    for key, values in by_key.items():
        rel = relative[key]
        files[rel] = _rewrite_bytes(files[rel], str(rel), values)
    changed = dataclasses.replace(snapshot, files=files, extras=dict(snapshot.extras))
    return changed, [_fixed(f) for f in made]


def _fixed(finding: Finding) -> Fixed:
    """A change made, as a person reads it (a short change with a character on each side)."""
    p: Problem = finding.problem
    edit = p.edit
    assert edit is not None and edit.suggested is not None
    return Fixed(
        p.file, p.line, p.col, p.rule, edit.before + edit.found + edit.after, edit.before + edit.suggested + edit.after
    )


# --- writing a value back in place -------------------------------------------------------------


def _escaped(text: str, style: str) -> str:
    """`text` as it is written inside a value of YAML `style`."""
    if style == "'":
        return text.replace("'", "''")
    if style == '"':
        return text.replace("\\", "\\\\").replace('"', '\\"')
    return text


def _in_place(text: str, span: Span, value: str, changes: list[Change]) -> list[Change] | None:
    """The changes to a value as changes to the file's text, or None when its form is not followed."""
    chars = source_of(text, span, value)
    if chars is None:
        return None
    out = []
    for a, b, new in changes:
        start = chars[a][1] if a < len(chars) else chars[-1][2]
        end = chars[b - 1][2] if b > a else start
        out.append((start, end, _escaped(new, span.style)))
    return out


def _rewrite_text(text: str, name: str, values: dict[DocPath, tuple[str, list[Change]]]) -> str:
    """A plan file's text with the changes made: in place where possible, else by a round trip;
    refused when neither gives exactly the data wanted."""
    spans: dict[DocPath, Span] = {}
    doc, _ = parse(text, name, spans)
    wanted = copy.deepcopy(doc.data)
    for path, (value, changes) in values.items():
        node = wanted
        for step in path[:-1]:
            node = node[step]
        node[path[-1]] = apply_changes(value, changes)
    in_place = [_in_place(text, spans[p], v, c) if p in spans else None for p, (v, c) in values.items()]
    if all(x is not None for x in in_place):
        new = apply_changes(text, [c for changes in in_place if changes for c in changes])
        if parse(new, name)[0].data == wanted:
            return new
    from kpsy.plan.fmt import rewrite_values

    new = rewrite_values(text, {p: apply_changes(v, c) for p, (v, c) in values.items()})
    if parse(new, name)[0].data != wanted:
        raise KpsyError(
            msg(
                "{file}: the changes cannot be written; nothing was written",
                "{file}：无法写入修正，未写入任何文件",
                file=name,
            )
        )
    return new


def _rewrite_bytes(raw: bytes, name: str, values: dict[DocPath, tuple[str, list[Change]]]) -> bytes:
    """`_rewrite_text` on a file's bytes, keeping its byte-order mark and its line ends."""
    text = decode(raw, name)[0]
    assert text is not None  # the file was read and parsed before
    new = _rewrite_text(text, name, values)
    if b"\r\n" in raw:
        new = new.replace("\n", "\r\n")
    bom = codecs.BOM_UTF8 if raw.startswith(codecs.BOM_UTF8) else b""
    return bom + new.encode("utf-8")


# --- before writing: nothing breaks; then writing -----------------------------------------------


def _errors(root: Path, snapshot: Snapshot) -> Counter[str]:
    from kpsy.checks import run

    return Counter(p.rule for p in run(root, snapshot)[1] if p.is_error)


def _check_nothing_breaks(root: Path, before: Snapshot, after: Snapshot) -> None:
    """Refuse (with what would break) when the fixed plan has errors the plan did not have."""
    old, new = _errors(root, before), _errors(root, after)
    broken = sorted(rule for rule in new if new[rule] > old.get(rule, 0))
    if broken:
        from kpsy.checks import run

        lines = [f"  {p.location()}: {p.rule}: {p.message}" for p in run(root, after)[1] if p.rule in broken][:10]
        raise KpsyError(
            msg(
                "the fixes would break rule(s) {rules}; nothing was written:\n{lines}",
                "修正会违反规则 {rules}，未写入任何文件：\n{lines}",
                rules=", ".join(broken),
                lines="\n".join(lines),
            )
        )


def _write(root: Path, before: Snapshot, after: Snapshot) -> list[Path]:
    """Write the changed files, each atomically, once every one of them is known to be writable
    (a read-only file stops the fix before any file is written)."""
    changed = [(root / PurePosixPath(r), data) for r, data in after.files.items() if before.files.get(r) != data]
    for path, _ in changed:
        writable_target(path)
    for path, data in changed:
        write_atomic(path, data)
    return [path for path, _ in changed]


# --- the fixed plan is a revision ----------------------------------------------------------------


def refuse_issued(plan: PlanData) -> None:
    """Stop, saying what to record, when the data is checked against an issued text (a fixed plan
    is a new revision of it)."""
    issued = versions.issued_text(plan)
    if issued is None:
        return
    if plan.revisions is not None and issued.version is not None:
        raise KpsyError(
            msg(
                "the plan's data is the issued {version}, which it must reproduce (rule fidelity); fixed, it is a new"
                " revision. Record it as a draft first: in {file} set current to `draft_of: {id}` (a draft is checked"
                " against no issued text, which stays recorded), then run `kpsy proof --fix` again; nothing was written",
                "计划数据是已印发的{version}，须与印发文本一致（fidelity 规则）；修正后即是新的修订稿。请先在 {file} 中把"
                " current 改为“draft_of: {id}”，将数据记为修订草案（草案不与印发文本比对，印发文本仍留存），再运行"
                " `kpsy proof --fix`；未写入任何文件",
                version=versions.describe(issued.version),
                file=display_path(plan.root / "revisions.yaml"),
                id=issued.version.id,
            )
        )
    raise KpsyError(
        msg(
            "the plan's data must reproduce its original {source} (plan.source_text, rule fidelity); fixed, it is a"
            " new revision. Record the issued version and the draft first: create {file} with\n\n{yaml}\n(check"
            " each line), then run `kpsy proof --fix` again; nothing was written",
            "计划数据须与原文 {source} 一致（plan.source_text，fidelity 规则）；修正后即是新的修订稿。请先新建 {file}，"
            "记下已印发的版本并将数据记为修订草案：\n\n{yaml}\n（请逐项核对），再运行 `kpsy proof --fix`；未写入任何文件",
            source=issued.path,
            file=display_path(plan.root / "revisions.yaml"),
            yaml=revisions_draft(plan, issued.path),
        )
    )


def revisions_draft(plan: PlanData, source: str) -> str:
    """A revisions.yaml that records the plan as issued (from what its notice says) and the data as
    a draft of it."""
    notice, imprint = plan.document.notice, plan.document.imprint
    day = (notice.date if notice is not None else None) or (imprint.date if imprint is not None else None)
    approver = _approver(notice.body if notice is not None else [])
    lines = ["versions:", "  - id: original"]
    name = msg("issued {y}", "{y}年印发稿", y=day.year) if day else msg("as issued", "印发稿")
    lines.append(f"    name: {name}")
    if notice is not None and notice.number:
        lines.append(f"    number: {notice.number}")
    lines.append(f"    date: {day.isoformat()}" if day else "    date: YYYY-MM-DD")
    lines.append(f"    approved_by: {approver or msg('WHO APPROVED IT', '批准机关')}")
    lines += [f"    source_text: {source}", "current:", "  draft_of: original"]
    return "\n".join(lines)


def _approver(body: list[str]) -> str | None:
    """Who approved the plan, as its notice says (已经县人民政府同意)."""
    found = re.search(r"经(.{2,20}?)(?:研究)?(?:同意|批准)", "".join(body))
    return found.group(1) if found else None

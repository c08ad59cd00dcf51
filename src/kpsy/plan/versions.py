"""The issued versions of the plan (revisions.yaml) and which of them the data is.

A plan that keeps no revisions.yaml is the text named by `plan.source_text`, when it names one. With
revisions.yaml the data says which issued version it is (`current.version`), and is checked against
that version's issued text, or that it is a draft of the next version (`current.draft_of`), which
no issued text can check; every version's text stays recorded either way.
"""

from __future__ import annotations

from kpsy.i18n import msg
from kpsy.light import light
from kpsy.plan.model import Current, Version
from kpsy.plan.numbering import chinese_date
from kpsy.plan.outline import Origin, PlanData


@light
class IssuedText:
    """The issued text the data must reproduce: the file (relative to the plan folder), where the plan
    names it, and the version it is the text of (None: `plan.source_text` without revisions.yaml)."""

    path: str
    origin: Origin
    version: Version | None = None


def find(plan: PlanData, ident: str | None) -> Version | None:
    """The issued version with id `ident`, or None."""
    revisions = plan.revisions
    if revisions is None or ident is None:
        return None
    return next((v for v in revisions.versions if v.id == ident), None)


def current(plan: PlanData) -> Version | None:
    """The issued version the data is, when it says it is one."""
    revisions = plan.revisions
    return find(plan, revisions.current.version) if revisions is not None else None


def draft_base(plan: PlanData) -> Version | None:
    """The issued version the data is a draft revision of, when it is a draft."""
    revisions = plan.revisions
    return find(plan, revisions.current.draft_of) if revisions is not None else None


def is_draft(plan: PlanData) -> bool:
    """Whether the data is a draft revision (`current.draft_of`): its documents are marked 征求意见稿."""
    revisions = plan.revisions
    return revisions is not None and revisions.current.draft_of is not None


def issued_text(plan: PlanData) -> IssuedText | None:
    """What the fidelity check compares the data with: the text of the issued version the data is
    (revisions.yaml), else `plan.source_text`; None for a draft, or when no text is named."""
    revisions = plan.revisions
    if revisions is None:
        name = plan.document.plan.source_text
        return IssuedText(name, Origin(plan.file_of("document"), ("plan", "source_text"))) if name else None
    for i, version in enumerate(revisions.versions):
        if version.id == revisions.current.version and version.source_text:
            return IssuedText(
                version.source_text, Origin(plan.file_of("revisions"), ("versions", i, "source_text")), version
            )
    return None


def recorded_texts(plan: PlanData) -> list[tuple[str, Origin]]:
    """Every issued text the plan names (each version's, and `plan.source_text`), with where it is named."""
    found: list[tuple[str, Origin]] = []
    if plan.document.plan.source_text:
        found.append((plan.document.plan.source_text, Origin(plan.file_of("document"), ("plan", "source_text"))))
    revisions = plan.revisions
    if revisions is not None:
        for i, version in enumerate(revisions.versions):
            if version.source_text:
                found.append((version.source_text, Origin(plan.file_of("revisions"), ("versions", i, "source_text"))))
    return found


def describe(version: Version, *, flat: bool = False) -> str:
    """A version as a reader names it: 2022年印发稿（青政办发〔2022〕5号，2022年3月15日）, or with
    `flat` (inside brackets of its own) 2022年印发稿，青政办发〔2022〕5号，2022年3月15日."""
    details = [d for d in (version.number, chinese_date(version.date)) if d]
    if flat:
        return msg(", ", "，").join([version.name, *details])
    return msg("{name} ({details})", "{name}（{details}）", name=version.name, details=msg(", ", "，").join(details))


def working_label(plan: PlanData) -> str | None:
    """What the working data is, from revisions.yaml: an issued version, or a draft revising one."""
    revisions = plan.revisions
    if revisions is None:
        return None
    version = current(plan)
    if version is not None:
        return describe(version)
    base = draft_base(plan)
    if base is None:
        return None
    name = revisions.current.name
    if name:
        return msg("draft: {name}, revising {base}", "草案：{name}，修订{base}", name=name, base=base.name)
    return msg("draft revising {base}", "修订{base}的草案", base=base.name)


def lineage_record(plan: PlanData) -> Version | Current | None:
    """The record that says how the data was made from the version before it (its `renamed`,
    `merged`, `split` entries): the draft's (`current`), or the issued version's the data is."""
    revisions = plan.revisions
    if revisions is None:
        return None
    if revisions.current.draft_of is not None:
        return revisions.current
    return current(plan)

"""Task letters for many units at once: rendered together, converted with one pandoc run, each file
written atomically."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from dataclasses import field
from pathlib import Path

from kpsy.documents.context import document_context, plan_context
from kpsy.documents.templates import render_markdown
from kpsy.errors import OutputError
from kpsy.findings import Problem
from kpsy.i18n import msg
from kpsy.light import light
from kpsy.plan.model import OVERSIGHT_KINDS, Unit
from kpsy.plan.outline import PlanData
from kpsy.plan.units import UnitRegistry
from kpsy.queries.tasks import tasks
from kpsy.util import write_atomic


@light
class LettersResult:
    written: list[Path] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    replaced: list[Path] = field(default_factory=list)  # letters that were there before and were replaced
    units: int = 0
    problems: list[Problem] = field(default_factory=list)  # what the letters lack (no issuer record)


def letter_filename(units: UnitRegistry, unit: Unit, ext: str) -> str:
    """`06-education-县教育局.docx`: a folder of letters lists in protocol order."""
    return f"{units.file_stem(unit)}.{ext}"


def write_letters(
    plan: PlanData,
    out: Path,
    *,
    units: list[str],
    findings: list[Problem] | None = None,
    formats: tuple[str, ...] = ("docx",),
    templates: Path | None = None,
    sender: str | None = None,
    date: dt.date | None = None,
    progress: Callable[[int, int, str], None] | None = None,
    force: bool = False,
    draft: bool | None = None,
) -> LettersResult:
    """Write one letter per unit that has tasks: the units named, or else every unit except the
    bodies that oversee the work (人民政府, 议事协调机构), which are not sent task letters. Their
    文号 count on from the issuer record's number in the order they are written; `draft` marks them
    「征求意见稿」 (None: when revisions.yaml says the plan is a draft)."""
    from kpsy.documents import unit_words
    from kpsy.documents.head import head_problems
    from kpsy.plan.versions import is_draft

    if units:
        chosen = [plan.units.resolve(name) for name in units]
    else:
        chosen = [u for u in plan.units if u.kind not in OVERSIGHT_KINDS]
        result_skipped = [u.name for u in plan.units if u.kind in OVERSIGHT_KINDS]
    chosen = list({unit.id: unit for unit in chosen}.values())  # once each, in the order given
    result = LettersResult(skipped=[] if units else result_skipped, problems=head_problems(plan, "letter"))
    marked = is_draft(plan) if draft is None else draft
    todo: list[tuple[Unit, str]] = []
    shared = plan_context(plan, findings or [], sender=sender, date=date, draft=marked)
    for unit in chosen:
        if not tasks(plan, unit):
            result.skipped.append(unit.name)
            continue
        ctx = document_context(plan, shared, unit, document="letter", offset=len(todo))
        todo.append((unit, render_markdown("letter", ctx, templates)))
    result.units = len(todo)
    targets = [out / letter_filename(plan.units, unit, ext) for unit, _ in todo for ext in formats]
    _prepare(out, targets, force, result)
    documents: dict[str, list[bytes | str]] = {"md": [md for _, md in todo]}
    if "docx" in formats and todo:
        from kpsy.documents.word import to_docx

        documents["docx"] = list(to_docx([md for _, md in todo], override=templates, keep=unit_words([plan])))
    total = len(todo) * len(formats)
    done = 0
    for i, (unit, _) in enumerate(todo):
        for ext in formats:
            path = out / letter_filename(plan.units, unit, ext)
            write_atomic(path, documents[ext][i])
            result.written.append(path)
            done += 1
            if progress:
                progress(done, total, unit.name)
    return result


def _prepare(out: Path, targets: list[Path], force: bool, result: LettersResult) -> None:
    """Make the folder; refuse to replace letters already there unless `force` (other files in the
    folder are never touched)."""
    if out.exists() and not out.is_dir():
        raise OutputError(msg("--out {out} is a file, not a folder", "--out {out} 是文件，不是文件夹", out=out))
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(
            msg("cannot make the folder {out}: {why}", "无法创建文件夹 {out}：{why}", out=out, why=exc.strerror)
        ) from None
    there = [p for p in targets if os.path.lexists(p)]
    if there and not force:
        names = "、".join(p.name for p in there[:5]) + (" …" if len(there) > 5 else "")
        raise OutputError(
            msg(
                "{out} already holds {n} of these letters ({names}); use --force to replace them",
                "{out} 中已有其中 {n} 封交办函（{names}）；如要替换，请加 --force",
                out=out,
                n=len(there),
                names=names,
            )
        )
    result.replaced = there

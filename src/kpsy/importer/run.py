"""Importing a document: read it, find its shape, build the plan's records, write them checked, and
report. A document that is not a plan (no numbered outline, no title, not one task) is refused
with the reason, and nothing is written."""

from __future__ import annotations

from pathlib import Path

from kpsy.errors import UsageError
from kpsy.i18n import msg
from kpsy.importer.read import Line, Omitted, Source, Table
from kpsy.importer.report import Finding, ImportResult, LeftOut
from kpsy.util import display_path


def import_plan(
    source: Path, out: Path, *, table: Path | None = None, force: bool = False, partial: bool = False
) -> ImportResult:
    """Import the document at `source` (and a separate 分工表 `table`) into the plan folder `out`.
    Raises `SourceError` for a document that cannot be read or is not a plan."""
    from kpsy.importer.build import build
    from kpsy.importer.outline import shape
    from kpsy.importer.read import SourceError, read_source

    _check_out(source, out, force)
    doc = read_source(source)
    tables, lines, headings = _separate_tables(doc, table)
    if not lines:
        raise SourceError(msg("{p} holds no text", "{p} 中没有文字", p=source))
    found = shape(lines)
    _refuse_what_is_no_plan(found, doc)
    built = build(found, tables)
    _refuse_no_tasks(built, doc)
    result = _result(source, out, doc, found, built, headings, partial)
    _write_checked(result, _files(built, found, doc), out, partial)
    return result


def _separate_tables(doc: Source, table: Path | None) -> tuple[list[Table], list[Line], list[Omitted]]:
    """The document's tables (and those of a separate 分工表 file), its lines without the headings of
    its 分工表 (「附件」, its title), and those headings."""
    from kpsy.importer.read import SourceError, read_source
    from kpsy.importer.tables import is_task_table

    tables = list(doc.tables)
    if table is not None:
        extra = read_source(table)
        if not extra.tables:
            raise SourceError(msg("{p} holds no table", "{p} 中没有表格", p=table))
        tables += extra.tables
    consumed: set[int] = set()
    for t in doc.tables:
        if not is_task_table(t):
            continue
        i = t.after - 1
        while i >= max(0, t.after - 3) and _table_heading(doc.lines[i].text):
            consumed.add(i)
            i -= 1
    headings = [
        Omitted(doc.lines[i].where, doc.lines[i].text, "table-heading", doc.lines[i].number) for i in sorted(consumed)
    ]
    layout = {t.index for t in doc.tables if _is_layout(t) and not is_task_table(t)}
    lines: list[Line] = []
    for i, line in enumerate([*doc.lines, None]):
        for t in doc.tables:
            if t.index in layout and t.after == i:
                lines += _layout_lines(t)
        if line is not None and i not in consumed:
            lines.append(line)
    return [t for t in tables if t.index not in layout or t not in doc.tables], lines, headings


def _is_layout(table: Table) -> bool:
    """A table that lays out paragraphs (a 版头's 文号 beside 签发人, a box around a title), not data."""
    return len(table.rows) <= 2 or max((len(row) for row in table.rows), default=0) <= 1


def _layout_lines(table: Table) -> list[Line]:
    """The paragraphs a layout table holds, each once (merged cells repeat their text)."""
    out: list[Line] = []
    seen: set[str] = set()
    for r, row in enumerate(table.rows):
        for c, cell in enumerate(row):
            if cell and cell not in seen:
                seen.add(cell)
                out += [Line(part, table.where(r, c), 0) for part in cell.split("\n") if part]
    return out


def _table_heading(text: str) -> bool:
    return "分工" in text or text.startswith("附件") or text.endswith(("表", "一览表"))


def _refuse_what_is_no_plan(found: object, doc: Source) -> None:
    from kpsy.importer.outline import Shape
    from kpsy.importer.read import SourceError

    assert isinstance(found, Shape)
    if not found.parts or not any(part.children or len(part.own) > 1 for part in found.parts):
        raise SourceError(
            msg(
                "{p} is not a plan: it has no numbered parts (一、 第一章 …) to import{hint}",
                "{p} 不是实施方案：没有可导入的编号部分（一、 第一章 …）{hint}",
                p=doc.path,
                hint=_numbering_hint(doc),
            )
        )
    if found.front.title is None:
        raise SourceError(
            msg(
                "{p} is not a plan: no line reads as its title (…实施方案, …行动计划, or the title the notice names)",
                "{p} 不是实施方案：找不到方案标题（…实施方案、…行动计划，或通知中印发的标题）",
                p=doc.path,
            )
        )


def _numbering_hint(doc: Source) -> str:
    """Why a .docx may show numbers that its text does not hold: Word's automatic numbering."""
    if doc.list_paragraphs and not doc.auto_numbered:
        return msg(
            "; its {n} paragraphs in Word lists have no numbers kpsy can read (bullets, or numbering that"
            " the file does not define): number them as text, or save the file again from Word or WPS",
            "；其中 {n} 个段落使用 Word 自动编号，但读不出编号（项目符号，或文件中缺少编号定义）：请改为手工输入的编号，"
            "或用 Word、WPS 重新保存",
            n=doc.list_paragraphs,
        )
    if doc.kind in ("docx", "office") and not doc.auto_numbered:
        return msg(
            " (neither typed numbers nor Word's automatic numbering)",
            "（既没有手工输入的编号，也没有 Word 自动编号）",
        )
    return ""


def _refuse_no_tasks(built: object, doc: Source) -> None:
    from kpsy.importer.build import Built
    from kpsy.importer.read import SourceError

    assert isinstance(built, Built)
    by_id = {c.id: c for c in built.chapters}
    work = built.counts.get("tasks", 0) + sum(
        1 for p in built.parts if p.kind != "text" for c in p.chapters if not by_id[c].tasks
    )
    if work == 0:
        raise SourceError(
            msg(
                "{p}: 0 tasks found: no numbered item stands where tasks stand (一、 （一） 1．){hint}",
                "{p}：没有找到任何任务：没有处于任务层级的编号条目（一、 （一） 1．）{hint}",
                p=doc.path,
                hint=_numbering_hint(doc),
            )
        )


def _result(
    source: Path, out: Path, doc: Source, found: object, built: object, headings: list[Omitted], partial: bool
) -> ImportResult:
    from kpsy.importer.build import Built
    from kpsy.importer.conventions import ALL
    from kpsy.importer.outline import Shape
    from kpsy.importer.read import describe
    from kpsy.plan.collectives import collective_of

    assert isinstance(found, Shape) and isinstance(built, Built)
    recognised = set(built.recognised) | {o.what for o in headings}
    if doc.kind == "pdf":
        recognised |= {"pdf-joined", *(["pdf-tables"] if doc.tables else [])}
    elif doc.reflowed:
        recognised.add("text-joined")
    elif doc.kind == "html":
        recognised.add("web-article")
    elif doc.kind == "office":
        recognised.add("libreoffice")
    for chapter in built.chapters:
        for resp in [chapter.responsibility, *(t.responsibility for t in chapter.tasks)]:
            kind = collective_of(resp.collective.split("、")[0]) if resp and resp.collective else None
            if kind is not None:
                recognised.add(f"collective-{kind.key}")
    left_out = [*doc.omitted, *sorted([*headings, *found.omitted], key=lambda o: o.number)]
    return ImportResult(
        source=display_path(source),
        out=display_path(out),
        encoding=describe(doc),
        counts=built.counts,
        unplaced=[*(Finding(u.where, u.text, u.why) for u in doc.unread)]
        + [Finding(p.where, p.text, p.why) for p in built.unplaced],
        unparsed=[Finding(p.where, p.text, p.why) for p in built.unparsed],
        recognised=[key for key in ALL if key in recognised],
        left_out=[LeftOut(o.where, o.text, o.what, ALL[o.what].name if o.what in ALL else o.what) for o in left_out],
        notes=built.notes,
        partial=partial,
    )


def _files(built: object, found: object, doc: Source) -> dict[str, str | bytes]:
    """Every file of the plan folder: the records in canonical form and the copy of the source."""
    from kpsy.importer import write
    from kpsy.importer.build import Built
    from kpsy.importer.outline import Shape
    from kpsy.plan.model import ScheduleFile, TargetsFile

    assert isinstance(built, Built) and isinstance(found, Shape)
    source_name = f"source/{doc.path.stem}.txt"
    built.document.plan.source_text = source_name
    files: dict[str, str | bytes] = {
        "document.yaml": write.yaml_text(built.document, "document", 0),
        "units.yaml": write.yaml_text(built.units, "units", 0),
        source_name: _source_copy(doc, found.lines),
    }
    if built.targets:
        files["targets.yaml"] = write.yaml_text(TargetsFile(targets=built.targets), "targets", 0)
    if built.milestones:
        files["schedule.yaml"] = write.yaml_text(ScheduleFile(milestones=built.milestones), "schedule", 0)
    for part in built.parts:
        files[f"parts/{part.id}.yaml"] = write.yaml_text(part, "part", 1)
    for chapter in built.chapters:
        files[f"chapters/{chapter.id}.yaml"] = write.yaml_text(chapter, "chapter", 1)
    return files


def _source_copy(doc: Source, lines: list[Line]) -> str | bytes:
    """The text the plan gives back: the original bytes of a UTF-8 text the import took whole, else
    the paragraphs the plan holds, one a line (what was left out on purpose is not among them)."""
    same = [x.text for x in lines] == [x.text for x in doc.lines]
    if doc.kind == "text" and doc.encoding.startswith("UTF-8") and not doc.reflowed and same:
        return doc.path.read_bytes()
    return "".join(line.text + "\n" for line in lines)


def _write_checked(result: ImportResult, files: dict[str, str | bytes], out: Path, partial: bool) -> None:
    """Write into a temporary sibling of `out`, check with kpsy's rules, and put it in place when
    complete (or `partial`)."""
    from kpsy.checks import run
    from kpsy.importer import write

    staged = write.staging(out)
    try:
        write.write_files(staged, files)
        _, problems = run(staged)
        shown = display_path(staged)
        result.problems = [
            f"{p.location().replace(shown, result.out, 1)}: {p.level.value} {p.rule}: {p.message}"
            for p in problems
            if p.is_error
        ]
        if result.complete or partial:
            write.put_in_place(staged, out)
            result.written = True
    finally:
        if not result.written:
            write.discard(staged)


def _check_out(source: Path, out: Path, force: bool) -> None:
    if out.exists() and not out.is_dir():
        raise UsageError(msg("--out {o} is a file, not a folder", "--out {o} 是文件而不是文件夹", o=out))
    if out.is_dir() and any(out.iterdir()) and not force:
        raise UsageError(
            msg(
                "--out {o} is not empty; give --force to replace what is in it",
                "--out {o} 不是空文件夹；如需替换其内容，请加 --force",
                o=out,
            )
        )
    try:
        inside = source.resolve().is_relative_to(out.resolve())
    except OSError:
        inside = False
    if inside:
        raise UsageError(
            msg(
                "--out {o} holds the source {s}; choose another folder",
                "--out {o} 中有源文件 {s}，请另选文件夹",
                o=out,
                s=source,
            )
        )

"""Importing a document, and the import report: counts of what became what, and every paragraph
that could not be placed and every statement of responsibility that could not be understood, with
where it is in the source."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from kpsy.errors import UsageError
from kpsy.i18n import both, msg
from kpsy.importer.outline import Problem
from kpsy.outputs.formats import Family, Format, Sink
from kpsy.util import display_path, dump_json


@dataclass
class ImportResult:
    """What an import did. `written` is false when nothing was written (left-overs without --partial,
    or a result that does not validate)."""

    source: str
    out: str
    encoding: str
    counts: dict[str, int]
    unplaced: list[Problem]
    unparsed: list[Problem]
    problems: list[str] = field(default_factory=list)  # findings of `kpsy validate` on the result
    notes: list[str] = field(default_factory=list)
    written: bool = False
    partial: bool = False

    @property
    def complete(self) -> bool:
        """Nothing left for hand work."""
        return not self.unplaced and not self.unparsed and not self.problems

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["complete"] = self.complete
        return data


COUNTED = (
    ("parts", "parts", "部分"),
    ("chapters", "chapters", "章节"),
    ("actions", "actions (chapters with responsibility)", "行动（有责任分工的章节）"),
    ("tasks", "tasks", "任务"),
    ("items", "sub-items", "子项"),
    ("responsibility", "responsibility lines in the text", "正文中的责任分工"),
    ("table rows", "tasks given units by the 分工方案 table", "由分工方案表格确定单位的任务"),
    ("units", "units", "单位"),
    ("basis", "basis documents", "依据文件"),
    ("targets", "targets", "目标"),
    ("milestones", "milestones", "进度节点"),
)


def write_text(result: ImportResult, sink: Sink, **_: Any) -> None:
    lines = [msg("read {s} ({e})", "读取 {s}（{e}）", s=result.source, e=result.encoding)]
    for key, en, zh in COUNTED:
        lines.append("  " + msg("{what}: {n}", "{what}：{n}", what=msg(en, zh), n=result.counts.get(key, 0)))
    if result.unplaced:
        lines.append(msg("not placed ({n}):", "未能归位的段落（{n}）：", n=len(result.unplaced)))
        lines += ["  " + msg("{w}: {t}", "{w}：{t}", w=p.where, t=p.text[:60]) for p in result.unplaced]
    if result.unparsed:
        lines.append(msg("responsibility not understood ({n}):", "未能解析的责任分工（{n}）：", n=len(result.unparsed)))
        lines += [
            "  " + msg("{w}: {t} ({why})", "{w}：{t}（{why}）", w=p.where, t=p.text[:60], why=p.why)
            for p in result.unparsed
        ]
    if result.problems:
        lines.append(msg("the result does not validate:", "导入结果未通过检查："))
        lines += [f"  {p}" for p in result.problems]
    lines += [f"  {note}" for note in result.notes]
    if result.written:
        done = (
            msg("wrote {o}", "已写入 {o}", o=result.out)
            if result.complete
            else msg(
                "wrote {o}; what is listed above needs hand work", "已写入 {o}；以上所列需要手工处理", o=result.out
            )
        )
        lines.append(done)
    else:
        lines.append(
            msg(
                "wrote nothing: give --partial to write what could be imported",
                "未写入任何文件：加 --partial 可写入能导入的部分",
            )
        )
    sink.write("\n".join(lines) + "\n")


def write_json(result: ImportResult, sink: Sink, **_: Any) -> None:
    sink.write(dump_json(result.as_dict()))


FORMATS: Family[ImportResult] = Family(
    "import",
    Format("text", both("the report for a person", "供人阅读的导入报告"), write_text),
    Format(
        "json",
        both(
            'the report as data: {"source", "out", "encoding", "counts", "unplaced", "unparsed", "problems", "written", …}',
            '导入报告的数据：{"source", "out", "encoding", "counts", "unplaced", "unparsed", "problems", "written", …}',
        ),
        write_json,
    ),
)


def import_plan(
    source: Path, out: Path, *, table: Path | None = None, force: bool = False, partial: bool = False
) -> ImportResult:
    """Import the document at `source` (and a separate 任务分工方案 .docx `table`) into the plan
    folder `out`. Raises `SourceError` for a document that cannot be read or is not a plan."""
    from kpsy.checks import run
    from kpsy.importer import write
    from kpsy.importer.build import build, is_task_table
    from kpsy.importer.outline import shape
    from kpsy.importer.read import SourceError, read_source
    from kpsy.importer.resp import NotUnderstood

    _check_out(source, out, force)
    doc = read_source(source)
    tables = list(doc.tables)
    if table is not None:
        extra = read_source(table)
        if extra.kind != "docx" or not extra.tables:
            raise SourceError(msg("{p} holds no table", "{p} 中没有表格", p=table))
        tables += extra.tables
    lines = list(doc.lines)
    # the heading lines of a 任务分工方案 (附件, its title) go with its table, not the plan's text
    consumed: set[int] = set()
    for t in doc.tables:
        if is_task_table(t):
            i = t.after - 1
            while (
                i >= 0
                and i >= t.after - 3
                and ("分工" in lines[i].text or lines[i].text.startswith("附件") or lines[i].text.endswith("表"))
            ):
                consumed.add(i)
                i -= 1
    lines = [line for i, line in enumerate(lines) if i not in consumed]
    if not lines:
        raise SourceError(msg("{p} holds no text", "{p} 中没有文字", p=source))
    found = shape(lines)
    if not found.parts or not any(part.children or len(part.own) > 1 for part in found.parts):
        raise SourceError(
            msg(
                "{p} is not a plan: it has no numbered parts (一、 第一章 …) to import",
                "{p} 不是实施方案：没有可导入的编号部分（一、 第一章 …）",
                p=source,
            )
        )
    try:
        built = build(found, tables, source.name)
    except NotUnderstood:
        raise SourceError(msg("{p} is not a plan: it has no title", "{p} 不是实施方案：没有标题", p=source)) from None

    source_name = f"source/{source.stem}.txt"
    built.document.plan.source_text = source_name
    if (doc.kind == "text" and doc.encoding == "UTF-8") or doc.encoding == "UTF-8 with BOM":
        source_copy: str | bytes = source.read_bytes()
    elif doc.kind == "text":
        source_copy = doc.text
    else:
        source_copy = "".join(line.text + "\n" for line in lines)
    files: dict[str, str | bytes] = {
        "document.yaml": write.yaml_text(built.document, "document", 0),
        "units.yaml": write.yaml_text(built.units, "units", 0),
        source_name: source_copy,
    }
    if built.targets:
        from kpsy.plan.model import TargetsFile

        files["targets.yaml"] = write.yaml_text(TargetsFile(targets=built.targets), "targets", 0)
    if built.milestones:
        from kpsy.plan.model import ScheduleFile

        files["schedule.yaml"] = write.yaml_text(ScheduleFile(milestones=built.milestones), "schedule", 0)
    for part in built.parts:
        files[f"parts/{part.id}.yaml"] = write.yaml_text(part, "part", 1)
    for chapter in built.chapters:
        files[f"chapters/{chapter.id}.yaml"] = write.yaml_text(chapter, "chapter", 1)

    result = ImportResult(
        source=display_path(source),
        out=display_path(out),
        encoding=_encoding_name(doc.encoding),
        counts=built.counts,
        unplaced=built.unplaced,
        unparsed=built.unparsed,
        notes=built.notes,
        partial=partial,
    )
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
    return result


def _encoding_name(encoding: str) -> str:
    if encoding == "docx":
        return msg("Word .docx", "Word .docx 文档")
    return msg("text in {e}", "{e} 编码的文本", e=encoding)


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

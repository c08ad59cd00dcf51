"""How a plan diff looks: terminal text, the Markdown revision note (修订说明), and the rows of the
comparison table (修改对照表) that the `comparison` template lays out."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from kpsy.outputs.formats import Family, Format, Sink
from kpsy.plan.numbering import chinese_number
from kpsy.util import dump_json, md_escape

if TYPE_CHECKING:  # reports read a diff's result; `kpsy.revisions.diff` makes it
    from kpsy.revisions.diff import Change, DiffResult, Ops

TYPE_CN = {"part": "部分", "chapter": "章节", "task": "任务", "document": "文件", "unit": "单位"}
FIELD_CN = {
    "title": "标题",
    "body": "正文",
    "full_name": "全称",
    "kind": "类别",
    "aliases": "别名",
    "indicator": "指标",
    "comparator": "比较",
    "value": "数值",
    "unit": "计量单位",
    "year": "年份",
    "source.ref": "出处",
    "source.quote": "原文",
    "period.start": "开始年份",
    "period.end": "结束年份",
}
DOCUMENT_CN = {"notice.title": "通知标题", "notice.body": "通知正文", "plan.title": "方案标题", "plan.preamble": "前言"}

# Sections in the order they are shown, each with the kinds of change it holds.
SECTIONS: list[tuple[str, str, tuple[str, ...]]] = [
    ("structure", "结构变化", ("added", "removed", "moved")),
    ("text", "文字修改", ("title", "text")),
    (
        "responsibility",
        "责任分工调整",
        (
            "lead-added",
            "lead-removed",
            "participant-added",
            "participant-removed",
            "to-lead",
            "to-participant",
            "etc",
        ),
    ),  # "responsibility-line" repeats these as whole lines, for the comparison table only
    ("registry", "单位名录变化", ("unit-added", "unit-removed", "unit-renamed", "unit-changed")),
    (
        "targets",
        "目标和进度安排",
        (
            "target-added",
            "target-removed",
            "target-changed",
            "milestone-added",
            "milestone-removed",
            "milestone-changed",
        ),
    ),
]


def sections(result: DiffResult) -> Iterator[tuple[str, str, list[Change]]]:
    for key, title, kinds in SECTIONS:
        members = [c for c in result.changes if c.kind in kinds]
        if members:
            yield key, title, members


def excerpt(ops: Ops, context: int = 16) -> Ops:
    """The changed parts with `context` characters around them; long unchanged runs become 「…」."""
    out: Ops = []
    for i, (op, text) in enumerate(ops):
        if op != 0:
            out.append((op, text))
            continue
        first, last = i == 0, i == len(ops) - 1
        keep_head = 0 if first else context
        keep_tail = 0 if last else context
        if len(text) <= keep_head + keep_tail + 1:
            out.append((0, text))
            continue
        head, tail = text[:keep_head], text[len(text) - keep_tail :] if keep_tail else ""
        out.append((0, head + "…" + tail))
    return out


def label(change: Change) -> str:
    """The thing changed, as a reader names it: 二（一）3．推进高等教育阶段科学教育."""
    if change.type == "document":
        return DOCUMENT_CN.get(change.subject, change.subject)
    number = change.new_number or change.old_number or ""
    return f"{number}{change.title}"


# --- terminal ---------------------------------------------------------------------------------


def _describe(change: Change) -> tuple[str, Ops | None]:
    """One line about the change (English, like kpsy's other terminal output), and its text diff."""
    what = f"{change.type} {change.subject}"
    k = change.kind
    if k == "added":
        return f"+ {what} added: {label(change)}", None
    if k == "removed":
        return f"- {what} removed: {change.old_number or ''}{change.title}", None
    if k == "moved":
        where = f" (now in {change.new})" if change.old != change.new else ""
        return f"~ {what} renumbered {change.old_number} -> {change.new_number}{where}: {change.title}", None
    if k in ("title", "text"):
        return f"~ {what} {change.field} changed: {label(change)}", change.ops
    if change.type == "responsibility":
        if k == "etc":
            return f"~ {label(change)}: 「等单位」 {'added' if change.new else 'dropped'}", None
        role = {
            "lead-added": "added as lead",
            "lead-removed": "no longer lead",
            "participant-added": "added as participant",
            "participant-removed": "no longer participant",
            "to-lead": "participant -> lead",
            "to-participant": "lead -> participant",
        }[k]
        return f"~ {label(change)}: {change.unit} {role}", None
    if k == "unit-added":
        return f"+ unit {change.subject} added: {change.new}", None
    if k == "unit-removed":
        return f"- unit {change.subject} removed: {change.old}", None
    if k == "unit-renamed":
        return f"~ unit {change.subject} renamed: {change.old} -> {change.new} ({change.note})", None
    if k.endswith("-added"):
        return f"+ {what} added: {change.title}", None
    if k.endswith("-removed"):
        return f"- {what} removed: {change.title}", None
    if change.ops is not None:
        return f"~ {what} {change.field} changed: {change.title}", change.ops
    return f"~ {what} {change.field} changed: {change.title}: {_plain(change.old)} -> {_plain(change.new)}", None


def counted(result: DiffResult) -> int:
    """Changes a reader counts: whole responsibility lines only restate the per-unit changes."""
    return sum(1 for c in result.changes if c.kind != "responsibility-line")


def summary_line(result: DiffResult) -> str:
    scope = f" for {result.unit}" if result.unit else ""
    n = counted(result)
    if not n:
        return f"no changes{scope} from {result.old} to {result.new}"
    return f"{n} change{'s' * (n != 1)}{scope} from {result.old} to {result.new}"


def render_plain(result: DiffResult) -> str:
    """Plain text; deletions as [-…-] and insertions as {+…+}, as `git diff --word-diff` shows them."""
    out = [summary_line(result)]
    for key, _, members in sections(result):
        out += ["", f"{key}:"]
        for change in members:
            line, ops = _describe(change)
            out.append(f"  {line}")
            if ops:
                text = "".join(t if op == 0 else f"[-{t}-]" if op < 0 else f"{{+{t}+}}" for op, t in excerpt(ops))
                out.append(f"      {text}")
    return "\n".join(out) + "\n"


def render_rich(result: DiffResult, out: TextIO) -> None:
    """Coloured: deletions red and struck through, insertions green and underlined."""
    from rich.console import Console
    from rich.text import Text

    console = Console(file=out, highlight=False, emoji=False, markup=False)
    console.print(Text(summary_line(result), style="bold"))
    for key, _, members in sections(result):
        console.print()
        console.print(Text(f"{key}:", style="bold"))
        for change in members:
            line, ops = _describe(change)
            style = "green" if line.startswith("+") else "red" if line.startswith("-") else "yellow"
            console.print(Text("  ") + Text(line, style=style))
            if ops:
                text = Text("      ")
                for op, part in excerpt(ops):
                    text.append(part, style="" if op == 0 else "red strike" if op < 0 else "green underline")
                console.print(text)


# --- Markdown: 修订说明 ---------------------------------------------------------------------------


def md_ops(ops: Ops, *, deletions: bool = True, insertions: bool = True) -> str:
    """Text with deletions struck through (~~…~~) and insertions in bold (**…**), data escaped."""
    parts = []
    for op, text in ops:
        if op == 0:
            parts.append(md_escape(text))
        elif op < 0 and deletions:
            parts.append(f"~~{md_escape(text)}~~")
        elif op > 0 and insertions:
            parts.append(f"**{md_escape(text)}**")
    return "".join(parts).replace("\n", " ")


def _note(change: Change) -> str:
    """The 说明 of a change, in the words an office uses."""
    k = change.kind
    kind = TYPE_CN.get(change.type, "")
    if k == "added":
        return f"新增{kind}"
    if k == "removed":
        return f"删除{kind}"
    if k == "moved":
        return f"序号由{change.old_number}调整为{change.new_number}"
    if k in ("title", "text"):
        return f"修改{FIELD_CN.get(change.field or '', '')}"
    if k == "etc":
        return "增加「等单位」" if change.new else "删去「等单位」"
    if k == "responsibility-line":
        return "修改责任分工"
    if change.type == "responsibility":
        unit = change.unit or ""
        return {
            "lead-added": f"增加{unit}为牵头单位",
            "lead-removed": f"{unit}不再作为牵头单位",
            "participant-added": f"增加{unit}为参加单位",
            "participant-removed": f"{unit}不再作为参加单位",
            "to-lead": f"{unit}由参加单位调整为牵头单位",
            "to-participant": f"{unit}由牵头单位调整为参加单位",
        }[k]
    if k == "unit-added":
        return f"新增单位{change.new}"
    if k == "unit-removed":
        return f"删除单位{change.old}"
    if k == "unit-renamed":
        kept = "，原名称保留为别名" if change.note == "old name kept as alias" else ""
        return f"{change.old}更名为{change.new}{kept}"
    if k == "unit-changed":
        return f"{change.unit}的{FIELD_CN.get(change.field or '', change.field or '')}由“{_plain(change.old)}”改为“{_plain(change.new)}”"
    noun = "目标" if change.type == "target" else "进度安排"
    if k.endswith("-added"):
        return f"新增{noun}"
    if k.endswith("-removed"):
        return f"删除{noun}"
    what = FIELD_CN.get(change.field or "", change.field or "")
    if change.ops is None:
        return f"{noun}的{what}由“{_plain(change.old)}”改为“{_plain(change.new)}”"
    return f"修改{noun}的{what}"


def _plain(value: Any) -> str:
    if isinstance(value, list):
        return "、".join(map(str, value))
    if isinstance(value, dict):
        return "，".join(f"{k}: {v}" for k, v in value.items())
    return str(value)


def render_md(result: DiffResult) -> str:
    """The revision note (修订说明): grouped by kind of change, text changes marked in place."""
    scope = f"（{md_escape(result.unit)}）" if result.unit else ""
    out = [
        f"# 修订说明{scope}",
        "",
        f"比较：{md_escape(result.old)} → {md_escape(result.new)}，共{counted(result)}处变化。",
        "",
    ]
    if not result.changes:
        out += ["无变化。", ""]
    for i, (_, title, members) in enumerate(sections(result), 1):
        out += [f"## {_cn(i)}、{title}", ""]
        for change in members:
            line = f"- {md_escape(label(change))}：{md_escape(_note(change))}"
            if change.ops:
                line += f"：{md_ops(excerpt(change.ops, 30))}"
            out.append(line)
        out.append("")
    return "\n".join(out)


def _cn(n: int) -> str:
    return chinese_number(n)


# --- 修改对照表 -----------------------------------------------------------------------------------


def comparison_rows(result: DiffResult) -> list[dict[str, str]]:
    """Rows of the comparison table in document order: 原条文 (deletions struck through), 修改后条文
    (insertions in bold), 说明. A changed responsibility line is one row, whatever its units.
    Cells are Markdown, escaped."""
    rows: list[dict[str, str]] = []
    by_line: dict[str, list[Change]] = {}
    for change in result.changes:
        if change.type == "responsibility" and change.kind != "responsibility-line":
            by_line.setdefault(change.subject, []).append(change)
    for change in sorted(result.changes, key=lambda c: c.position):
        if change.type == "responsibility" and change.kind != "responsibility-line":
            continue  # folded into the line's row
        where = md_escape(label(change))
        note = md_escape(_note(change))
        if change.kind == "responsibility-line" and change.ops is not None:
            old, new = md_ops(change.ops, insertions=False), md_ops(change.ops, deletions=False)
            note = "；".join(md_escape(_note(c)) for c in by_line.get(change.subject, [])) or "单位名称随更名调整"
        elif change.kind in ("title", "text") and change.ops is not None:
            prefix_old = md_escape(change.old_number or "") + (
                "" if change.kind == "title" else md_escape(change.title + "。")
            )
            prefix_new = md_escape(change.new_number or "") + (
                "" if change.kind == "title" else md_escape(change.title + "。")
            )
            if change.type == "document":
                prefix_old = prefix_new = ""
            old = prefix_old + md_ops(change.ops, insertions=False)
            new = prefix_new + md_ops(change.ops, deletions=False)
        elif change.kind == "added":
            old, new = "（无）", md_escape(f"{change.new_number}{change.title}。{change.new or ''}".rstrip("。"))
        elif change.kind == "removed":
            old, new = md_escape(f"{change.old_number}{change.title}。{change.old or ''}".rstrip("。")), "（删除）"
        elif change.kind == "moved":
            old, new = md_escape(f"{change.old_number}{change.title}"), md_escape(f"{change.new_number}{change.title}")
        elif change.ops is not None:
            old = md_ops(change.ops, insertions=False)
            new = md_ops(change.ops, deletions=False)
        else:
            old = md_escape(_plain(change.old)) if change.old not in (None, "") else "（无）"
            new = md_escape(_plain(change.new)) if change.new not in (None, "") else "（删除）"
        rows.append({"where": where, "old": old, "new": new, "note": f"{where}：{note}"})
    return rows


def comparison_markdown(result: DiffResult, templates: Path | None = None) -> str:
    """The 修改对照表 as Markdown, through the `comparison` template."""
    from kpsy.documents.templates import render_markdown

    ctx = {"title": result.title, "old": result.old, "new": result.new, "rows": comparison_rows(result)}
    return render_markdown("comparison", ctx, templates)


def _write_text(result: DiffResult, sink: Sink, **_: Any) -> None:
    if sink.terminal:
        render_rich(result, sink.stream)
    else:
        sink.write(render_plain(result))


def _write_docx(result: DiffResult, sink: Sink, templates: Path | None = None, **_: Any) -> None:
    from kpsy.documents.word import to_docx

    sink.write(to_docx([comparison_markdown(result, templates)], landscape=True, override=templates)[0])


FORMATS: Family[DiffResult] = Family(
    "diff",
    Format("text", "colour on a terminal, [-deleted-]{+inserted+} when piped", _write_text),
    Format("md", "the 修订说明, Markdown", lambda result, sink, **_: sink.write(render_md(result))),
    Format("json", "every change as data", lambda result, sink, **_: sink.write(dump_json(result.as_dict()))),
    Format(
        "table",
        "the 修改对照表, Markdown",
        lambda result, sink, templates=None, **_: sink.write(comparison_markdown(result, templates)),
    ),
    Format("docx", "the 修改对照表, Word (needs -o)", _write_docx, needs_file=True),
)

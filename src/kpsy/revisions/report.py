"""How a plan diff looks: terminal text, the revision note (修订说明), JSON, the comparison table
(修改对照表) in Markdown and Word, and the redline (修订稿, Word with tracked changes). `DIFF_FORMATS` is
their registry; `AFFECTED_FORMATS` that of `kpsy diff --affected`.

Every line of the text and of the revision note is one change, in the office's words: the counts
they print are the JSON's `count`.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from kpsy.i18n import both, msg
from kpsy.outputs.formats import Family, Format, Sink
from kpsy.plan.numbering import chinese_number
from kpsy.revisions.change import RECORD_KINDS
from kpsy.util import dump_json, md_escape

if TYPE_CHECKING:  # reports read a diff's result; `kpsy.revisions.diff` makes it
    from kpsy.revisions.affected import Affected
    from kpsy.revisions.change import Change, DiffResult, Ops

# Sections in the order they are shown, each with the kinds of change it holds.
SECTIONS: list[tuple[str, tuple[str, str], tuple[str, ...]]] = [
    (
        "structure",
        ("structure", "结构调整"),
        ("added", "removed", "moved", "reordered", "merged", "split", "renumbered"),
    ),
    ("text", ("text", "文字修改"), ("title", "text", "numbering")),
    (
        "responsibility",
        ("responsibility", "责任分工调整"),
        (
            "lead-added",
            "lead-removed",
            "participant-added",
            "participant-removed",
            "to-lead",
            "to-participant",
            "etc",
            "collective",
            "due",
            "order",
        ),
    ),
    ("registry", ("registry of units", "单位名录变化"), ("unit-added", "unit-removed", "unit-renamed", "unit-changed")),
    (
        "targets",
        ("targets, schedule and period", "目标、进度安排和实施期限"),
        ("period", *RECORD_KINDS),
    ),
    ("letters", ("task letters", "交办函"), ("settings", "letter")),
]


def _section_of(change: Change) -> str:
    if change.kind == "text" and change.type == "responsibility":
        return "responsibility"
    return next(key for key, _, kinds in SECTIONS if change.kind in kinds)


def sections(result: DiffResult) -> Iterator[tuple[str, str, list[Change]]]:
    """(key, title, changes) for each section that has changes, in the order shown."""
    for key, (en, zh), _ in SECTIONS:
        members = [c for c in result.changes if _section_of(c) == key]
        if members:
            yield key, msg(en, zh), members


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


LETTER_STATUS = {
    "changed": ("its task letter changes", "交办函需要重新印发"),
    "new": ("a new task letter", "新发交办函"),
    "withdrawn": ("no task letter any more", "不再发交办函"),
    "unchanged": ("its task letter does not change", "交办函没有变化"),
    "none": ("it has no task letter", "没有交办函"),
}


def count_line(result: DiffResult) -> str:
    """「OLD → NEW, N changes」: the count every format prints, which is the JSON's `count`; in one
    unit's view, what becomes of its letter."""
    n, old, new = result.count, result.old, result.new
    if result.unit:
        en, zh = LETTER_STATUS.get(result.letter or "", LETTER_STATUS["unchanged"])
        if not n:
            return msg(
                "no changes for {unit} from {old} to {new}: {letter}",
                "{old} → {new}，{unit}没有变化：{letter}",
                unit=result.unit,
                old=old,
                new=new,
                letter=msg(en, zh),
            )
        return msg(
            "{n} change{s} for {unit} from {old} to {new}: {letter}",
            "{old} → {new}，涉及{unit}的共{n}处变化：{letter}",
            n=n,
            s="s" * (n != 1),
            unit=result.unit,
            old=old,
            new=new,
            letter=msg(en, zh),
        )
    if not n:
        return msg("no changes from {old} to {new}", "{old} → {new}，没有变化", old=old, new=new)
    return msg(
        "{n} change{s} from {old} to {new}", "{old} → {new}，共{n}处变化", n=n, s="s" * (n != 1), old=old, new=new
    )


def _symbol(change: Change) -> str:
    if change.kind in ("added", "lead-added", "participant-added", "unit-added", "target-added", "milestone-added"):
        return "+"
    if change.kind in ("removed", "lead-removed", "participant-removed", "unit-removed"):
        return "-"
    if change.kind in ("target-removed", "milestone-removed"):
        return "-"
    return "~"


def _context(change: Change) -> Ops | None:
    """The words around a change of words, to show under its sentence."""
    if change.kind in ("title", "text") and change.ops:
        return excerpt(change.ops)
    return None


# --- terminal ---------------------------------------------------------------------------------


def render_plain(result: DiffResult) -> str:
    """Plain text; deletions as [-…-] and insertions as {+…+}, as `git diff --word-diff` shows them."""
    out = [count_line(result)]
    for _, title, members in sections(result):
        out += ["", msg("{t}:", "{t}：", t=title)]
        for change in members:
            out.append(f"  {_symbol(change)} {change.statement}")
            ops = _context(change)
            if ops:
                text = "".join(t if op == 0 else f"[-{t}-]" if op < 0 else f"{{+{t}+}}" for op, t in ops)
                out.append("      " + text.replace("\n", " ¶ "))
    return "\n".join(out) + "\n"


def render_rich(result: DiffResult, out: TextIO) -> None:
    """Coloured: deletions red and struck through, insertions green and underlined."""
    from rich.console import Console
    from rich.text import Text

    console = Console(file=out, highlight=False, emoji=False, markup=False)
    console.print(Text(count_line(result), style="bold"))
    for _, title, members in sections(result):
        console.print()
        console.print(Text(msg("{t}:", "{t}：", t=title), style="bold"))
        for change in members:
            symbol = _symbol(change)
            style = "green" if symbol == "+" else "red" if symbol == "-" else "yellow"
            console.print(Text("  ") + Text(f"{symbol} {change.statement}", style=style))
            ops = _context(change)
            if ops:
                text = Text("      ")
                for op, part in ops:
                    part = part.replace("\n", " ¶ ")
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


def render_md(result: DiffResult) -> str:
    """The revision note (修订说明): one line for each change, in the office's words, grouped by kind;
    changed words shown in place under their line."""
    scope = msg(" ({u})", "（{u}）", u=md_escape(result.unit)) if result.unit else ""
    out = [
        msg("# Revision note{scope}", "# 修订说明{scope}", scope=scope),
        "",
        msg(
            "Compared: {old} → {new}, {n} change{s}{letter}.",
            "比较：{old} → {new}，共{n}处变化{letter}。",
            old=md_escape(result.old),
            new=md_escape(result.new),
            n=result.count,
            s="s" * (result.count != 1),
            letter=msg("; {l}", "；{l}", l=msg(*LETTER_STATUS[result.letter]))
            if result.letter in LETTER_STATUS
            else "",
        ),
        "",
    ]
    if not result.changes:
        out += [msg("No changes.", "无变化。"), ""]
    for i, (_, title, members) in enumerate(sections(result), 1):
        out += [msg("## {i}. {t}", "## {cn}、{t}", i=i, cn=chinese_number(i), t=title), ""]
        for change in members:
            out.append(f"- {md_escape(change.statement)}")
            ops = _context(change)
            if ops:
                out.append(f"\n  {md_ops(excerpt(change.ops or [], 30))}\n")
        out.append("")
    return "\n".join(out)


# --- 修改对照表 -----------------------------------------------------------------------------------


def _md_runs(paragraphs: list[list[tuple[str, str]]]) -> str:
    """A cell's paragraphs as Markdown: struck and bold runs, paragraphs apart (<br>)."""
    out = []
    for runs in paragraphs:
        text = ""
        for part, style in runs:
            escaped = md_escape(part)
            text += f"~~{escaped}~~" if style == "del" else f"**{escaped}**" if style == "ins" else escaped
        out.append(text)
    return "<br>".join(out)


def comparison_context(result: DiffResult) -> dict[str, Any]:
    """What the `comparison` template sees: its title, the two revisions, the headings, the rows
    (cells as Markdown, escaped) and the notes that belong to no row."""
    from kpsy.revisions.table import rows_and_notes

    rows, notes = rows_and_notes(result)
    return {
        "title": result.title,
        "old": result.old,
        "new": result.new,
        "unit": result.unit,
        "heading": comparison_title(result),
        "headers": comparison_headers(),
        "rows": [
            {"old": _md_runs(r.old), "new": _md_runs(r.new), "note": md_escape(msg("; ", "；").join(r.notes))}
            for r in rows
        ],
        "notes": [md_escape(n) for n in notes],
        "notes_title": msg("Notes:", "说明："),
        "empty": msg("(no changes)", "（无变化）"),
    }


def comparison_title(result: DiffResult) -> str:
    scope = msg(" ({u})", "（{u}）", u=result.unit) if result.unit else ""
    return msg("《{t}》: comparison table{scope}", "《{t}》修改对照表{scope}", t=result.title, scope=scope)


def comparison_headers() -> list[str]:
    return [msg("No.", "序号"), msg("Text before", "原条文"), msg("Text after", "修改后条文"), msg("Notes", "说明")]


def comparison_markdown(result: DiffResult, templates: Path | None = None, *, draft: bool = False) -> str:
    """The 修改对照表 as Markdown, through the `comparison` template (marked 「征求意见稿」 with `draft`)."""
    from kpsy.documents.templates import render_markdown

    return render_markdown("comparison", {**comparison_context(result), "draft": draft}, templates)


def comparison_docx(result: DiffResult, templates: Path | None = None, *, draft: bool = False) -> bytes:
    """The 修改对照表 as a landscape GB/T 9704 .docx: one row for each item, every paragraph of it in
    its cells, deletions struck through and insertions in bold, rows kept whole on a page; marked
    「征求意见稿」 with `draft`."""
    from kpsy.documents import unit_words
    from kpsy.documents.word import TableCell, table_docx
    from kpsy.revisions.table import rows_and_notes

    rows, notes = rows_and_notes(result)

    def cell(paragraphs: list[list[tuple[str, str]]]) -> TableCell:
        return [
            [(text, {"del": "strike", "ins": "bold"}.get(style, "")) for text, style in runs] for runs in paragraphs
        ]

    body: Iterator[list[TableCell]] = (
        [[[(str(i), "")]], cell(row.old), cell(row.new), [[(note, "")] for note in row.notes]]
        for i, row in enumerate(rows, 1)
    )
    if not rows:
        empty = msg("(no changes)", "（无变化）")
        body = iter([[[[("—", "")]], [[(empty, "")]], [[(empty, "")]], [[("—", "")]]]])
    return table_docx(
        comparison_title(result),
        f"{result.old} → {result.new}",
        comparison_headers(),
        body,
        [msg("Notes:", "说明："), *(f"{i}．{n}" for i, n in enumerate(notes, 1))] if notes else [],
        override=templates,
        keep=unit_words(p for p in (result.old_plan, result.new_plan) if p is not None),
        draft=draft,
    )


# --- the registry -------------------------------------------------------------------------------


def _write_text(result: DiffResult, sink: Sink, **_: Any) -> None:
    if sink.terminal:
        render_rich(result, sink.stream)
    else:
        sink.write(render_plain(result))


def is_draft(result: DiffResult, draft: bool | None = None) -> bool:
    """Whether the comparison and the redline are marked 「征求意见稿」: as asked (--draft), else
    when NEW is a draft revision (revisions.yaml: current.draft_of)."""
    from kpsy.plan.versions import is_draft as draft_plan

    if draft is not None:
        return draft
    return result.new_plan is not None and draft_plan(result.new_plan)


def _write_docx(result: DiffResult, sink: Sink, templates: Path | None = None, **options: Any) -> None:
    sink.write(comparison_docx(result, templates, draft=is_draft(result, options.get("draft"))))


def _write_redline(result: DiffResult, sink: Sink, templates: Path | None = None, **options: Any) -> None:
    from kpsy.revisions.redline import redline_docx

    sink.write(
        redline_docx(
            result,
            templates,
            author=options.get("author"),
            date=options.get("date") or result.when,
            draft=is_draft(result, options.get("draft")),
        )
    )


DIFF_FORMATS: Family[DiffResult] = Family(
    "diff",
    Format(
        "text",
        both(
            "colour on a terminal, [-deleted-]{+inserted+} when piped", "终端上用颜色标出，管道中写作 [-删除-]{+插入+}"
        ),
        _write_text,
    ),
    Format(
        "md",
        both("the 修订说明, Markdown", "修订说明，Markdown"),
        lambda result, sink, **_: sink.write(render_md(result)),
    ),
    Format(
        "json",
        both("every change as data", "每处修改的数据"),
        lambda result, sink, **_: sink.write(dump_json(result.as_dict())),
    ),
    Format(
        "table",
        both("the 修改对照表, Markdown", "修改对照表，Markdown"),
        lambda result, sink, templates=None, **options: sink.write(
            comparison_markdown(result, templates, draft=is_draft(result, options.get("draft")))
        ),
    ),
    Format(
        "docx", both("the 修改对照表, Word (needs -o)", "修改对照表，Word 文档（需 -o）"), _write_docx, needs_file=True
    ),
    Format(
        "redline",
        both(
            "the whole document with Word tracked changes (修订稿), to accept or reject in Word or WPS (needs -o)",
            "带 Word 修订标记的全文（修订稿），可在 Word 或 WPS 中接受或拒绝修订（需 -o）",
        ),
        _write_redline,
        needs_file=True,
    ),
)


# --- kpsy diff --affected ----------------------------------------------------------------------


def affected_lines(result: Affected) -> list[str]:
    out = [
        msg(
            "{n} of {total} letters change from {old} to {new}",
            "{old} → {new}，{total}份交办函中有{n}份需要重新印发",
            n=len(result.units),
            total=result.letters,
            old=result.old,
            new=result.new,
        )
    ]
    for unit in result.units:
        out.append(msg("  {name}: {reason}", "  {name}：{reason}", name=unit.name, reason=unit.reason))
    return out


def _affected_md(result: Affected) -> str:
    lines = [
        msg("# Letters to re-issue", "# 需要重新印发的交办函"),
        "",
        md_escape(affected_lines(result)[0]) + msg(".", "。"),
        "",
    ]
    lines += [msg("- {n}: {r}", "- {n}：{r}", n=md_escape(u.name), r=md_escape(u.reason)) for u in result.units]
    return "\n".join(lines) + "\n"


def _affected_csv(result: Affected) -> str:
    """UTF-8 with a BOM (so that Excel and WPS read it as UTF-8); text fields never formulas."""
    import csv
    import io

    from kpsy.outputs.excel import csv_text

    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["id", "name", "status", "reason", "changes"])
    for u in result.units:
        writer.writerow([csv_text(u.id), csv_text(u.name), u.status, csv_text(u.reason), u.changes])
    return "\ufeff" + buf.getvalue()


AFFECTED_FORMATS: Family[Affected] = Family(
    "affected",
    Format(
        "text",
        both("the units whose letters change, one a line", "交办函有变化的单位，一行一个"),
        lambda r, sink, **_: sink.write("\n".join(affected_lines(r)) + "\n"),
    ),
    Format("md", both("the same, Markdown", "同上，Markdown"), lambda r, sink, **_: sink.write(_affected_md(r))),
    Format(
        "json", both("the units as data", "这些单位的数据"), lambda r, sink, **_: sink.write(dump_json(r.as_dict()))
    ),
    Format(
        "csv",
        both("one row for each unit (UTF-8 with BOM)", "每个单位一行（UTF-8，带 BOM）"),
        lambda r, sink, **_: sink.write(_affected_csv(r)),
    ),
)

"""Documents: Jinja2 templates render Markdown; pandoc turns it into .docx with the GB/T 9704 layout.

The Jinja environment is sandboxed (a template from a pull request cannot run code), undefined
names are errors, and every value a template prints is Markdown-escaped unless a filter marked it
safe: plan text such as `*`, `|`, `<` or a leading `1. ` comes out literally.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import subprocess
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kpsy import query
from kpsy.errors import KpsyError
from kpsy.model import Plan, Unit, chinese_date, chinese_number, part_number
from kpsy.report import md_escape
from kpsy.text import imprint_line, responsibility_line

TEMPLATES: dict[str, str] = {
    "document": "document.md.j2",
    "summary": "summary.md.j2",
    "table": "table.md.j2",
    "letter": "letter.md.j2",
    "comparison": "comparison.md.j2",
}
# What `kpsy render` offers; the comparison table is made by `kpsy diff`.
PLAN_TEMPLATES = ("document", "summary", "table", "letter")
LANDSCAPE = {"table", "comparison"}
REFERENCE = "reference.docx"
PANDOC_FROM = "markdown-smart-raw_html-raw_tex-raw_attribute+east_asian_line_breaks"
MARKER_STYLE = "Kpsy Marker"


class TemplateError(KpsyError):
    """A template could not be loaded or rendered."""


class ConversionError(KpsyError):
    """pandoc could not turn Markdown into .docx."""


def builtin_templates() -> Path:
    """The templates shipped with kpsy: inside the installed package, or the repository's templates/."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "templates", here.parents[1] / "templates"):
        if (candidate / "letter.md.j2").is_file():
            return candidate
    raise TemplateError(f"kpsy's templates are missing (looked in {here / 'templates'})")


def template_dirs(override: Path | None) -> list[Path]:
    if override is not None and not override.is_dir():
        raise TemplateError(f"--templates {override}: no such folder")
    return [*([override] if override else []), builtin_templates()]


# --- Jinja ------------------------------------------------------------------------------------


def _finalize(value: Any) -> Any:
    from markupsafe import Markup

    if isinstance(value, Markup):
        return str(value)
    if isinstance(value, str):
        return md_escape(value)
    return value


def environment(override: Path | None = None) -> Any:
    from jinja2 import ChoiceLoader, FileSystemLoader, StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment
    from markupsafe import Markup

    env = SandboxedEnvironment(
        loader=ChoiceLoader([FileSystemLoader(str(d)) for d in template_dirs(override)]),
        undefined=StrictUndefined,
        finalize=_finalize,
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["md"] = lambda s: Markup(md_escape(str(s)))
    env.filters["raw"] = Markup
    env.filters["cell"] = lambda s: Markup(md_escape(" ".join(str(s).split("\n"))))
    env.filters["cndate"] = chinese_date
    env.filters["cn"] = chinese_number
    env.filters["units"] = lambda names: "、".join(names)
    return env


def _template_location(exc: BaseException, dirs: list[Path]) -> str:
    """file:line of the innermost template frame of a rendering error."""
    roots = [str(d.resolve()) for d in dirs]
    where = ""
    tb = exc.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if any(filename.startswith(r) for r in roots) or filename.endswith(".j2"):
            where = f"{filename}:{tb.tb_lineno}"
        tb = tb.tb_next
    return where


def render_markdown(name: str, context: dict[str, Any], override: Path | None = None) -> str:
    """Render template `name` (document, summary, table, letter) to Markdown."""
    from jinja2 import TemplateError as JinjaError
    from jinja2 import TemplateNotFound, TemplateSyntaxError

    if name not in TEMPLATES:
        raise TemplateError(f"no template '{name}'; choose {', '.join(TEMPLATES)}")
    dirs = template_dirs(override)
    env = environment(override)
    try:
        template = env.get_template(TEMPLATES[name])
        return str(template.render(**context))
    except TemplateSyntaxError as exc:
        raise TemplateError(f"{exc.filename or exc.name}:{exc.lineno}: template syntax error: {exc.message}") from None
    except TemplateNotFound as exc:
        raise TemplateError(f"template {exc.name} not found in {', '.join(map(str, dirs))}") from None
    except JinjaError as exc:
        where = _template_location(exc, dirs) or TEMPLATES[name]
        raise TemplateError(f"{where}: {type(exc).__name__}: {exc}") from None


# --- what templates see -----------------------------------------------------------------------


@dataclass
class ActionGroup:
    """An action with the tasks of it that concern the reader, and whom to work with."""

    id: str
    number: str
    title: str
    leads: list[str]
    participants: list[str]
    etc: bool
    role: str | None
    tasks: list[dict[str, Any]]


def protocol(plan: Plan, names: Sequence[str]) -> list[str]:
    order = plan.unit_order()
    return sorted(names, key=lambda n: order.get(n, len(order)))


def _groups(plan: Plan, rows: list[query.TaskRow]) -> list[ActionGroup]:
    groups: list[ActionGroup] = []
    for _, members in query.iter_role_rows(rows):
        first = members[0]
        chapter = plan.chapters[first.action_id]
        resp = chapter.responsibility
        groups.append(
            ActionGroup(
                id=first.action_id,
                number=first.action_number,
                title=first.action_title,
                leads=protocol(plan, first.leads),
                participants=protocol(plan, first.participants),
                etc=bool(resp and resp.etc),
                role=first.role,
                tasks=[
                    {
                        "id": r.task_id,
                        "number": r.task_number,
                        "short_number": r.task_number.removeprefix(r.action_number),
                        "title": r.task_title,
                        "text": r.text,
                        "body": _body(r),
                        "kind": r.kind,
                        "role": r.role,
                    }
                    for r in members
                ],
            )
        )
    return groups


def _body(row: query.TaskRow) -> str:
    if row.kind == "chapter":
        return row.text
    prefix = row.task_number.removeprefix(row.action_number) + row.task_title + "。"
    return row.text.removeprefix(prefix) if row.text.startswith(prefix) else ""


def document_parts(plan: Plan) -> list[dict[str, Any]]:
    """The document's parts with derived numbering, for the `document` template."""
    parts = []
    for pi, part in enumerate(plan.parts):
        chapters = []
        for ci, cid in enumerate(part.chapters):
            chapter = plan.chapters[cid]
            chapters.append(
                {
                    "id": chapter.id,
                    "number": f"（{chinese_number(ci + 1)}）",
                    "title": chapter.title,
                    "body": chapter.body,
                    "paragraphs": chapter.paragraphs,
                    "tasks": [
                        {"id": t.id, "number": f"{ti + 1}．", "title": t.title, "body": t.body}
                        for ti, t in enumerate(chapter.tasks)
                    ],
                    "responsibility": responsibility_line(chapter.responsibility) if chapter.responsibility else None,
                }
            )
        parts.append(
            {"id": part.id, "number": part_number(pi), "title": part.title, "intro": part.intro, "chapters": chapters}
        )
    return parts


def context(
    plan: Plan,
    unit: Unit | None = None,
    *,
    sender: str | None = None,
    date: dt.date | None = None,
) -> dict[str, Any]:
    """Everything a template may use."""
    doc = plan.document
    schedule = query.schedule(plan)
    letter = plan.settings.letter
    all_tasks = [r for r in query.all_rows(plan) if r.kind == "task"]
    actions = _groups(plan, [r for r in all_tasks if plan.chapters[r.action_id].responsibility is not None])
    final = max((m.end for m in schedule), default=doc.plan.period.end)
    ctx: dict[str, Any] = {
        "notice": doc.notice,
        "plan": doc.plan,
        "imprint": doc.imprint,
        "imprint_line": imprint_line(plan),
        "parts": document_parts(plan),
        "actions": actions,
        "targets": query.targets(plan),
        "milestones": schedule,
        "deadline": f"{final}年底前",
        "coverage": query.coverage(plan),
        "units": [u for u in plan.units],
        "task_count": len(all_tasks),
        "action_task_count": sum(len(group.tasks) for group in actions),
        "letter": letter,
        "sender": sender or (letter.sender if letter else doc.notice.signature),
        "date": date or (letter.date if letter and letter.date else dt.date.today()),
        "unit": unit,
    }
    if unit is not None:
        rows = query.tasks(plan, unit)
        ctx["lead_groups"] = _groups(plan, [r for r in rows if r.role == "lead"])
        ctx["participant_groups"] = _groups(plan, [r for r in rows if r.role == "participant"])
        ctx["mentioned_groups"] = _groups(plan, [r for r in rows if r.role == "mentioned"])
    return ctx


# --- pandoc and the .docx ---------------------------------------------------------------------


def pandoc_path() -> str:
    try:
        import pypandoc  # type: ignore[import-untyped]
    except ImportError as exc:  # pragma: no cover - a dependency of kpsy
        raise ConversionError("pypandoc-binary is not installed; `pip install kpsy` brings it") from exc
    try:
        return str(pypandoc.get_pandoc_path())
    except OSError as exc:
        raise ConversionError(f"pandoc is not available: {exc}") from None


def reference_docx(override: Path | None = None) -> Path:
    for folder in template_dirs(override):
        if (folder / REFERENCE).is_file():
            return folder / REFERENCE
    raise TemplateError(f"no {REFERENCE} in {', '.join(map(str, template_dirs(override)))}")


def pandoc(markdown: str, reference: Path) -> bytes:
    """One pandoc run: Markdown in, .docx bytes out."""
    with tempfile.TemporaryDirectory(prefix="kpsy-") as tmp:
        out = Path(tmp) / "out.docx"
        cmd = [pandoc_path(), "--from", PANDOC_FROM, "--to", "docx", "--reference-doc", str(reference), "-o", str(out)]
        proc = subprocess.run(cmd, input=markdown.encode("utf-8"), capture_output=True)
        if proc.returncode != 0:
            raise ConversionError(f"pandoc failed: {proc.stderr.decode('utf-8', 'replace').strip()}")
        return out.read_bytes()


def to_docx(markdowns: Sequence[str], *, landscape: bool = False, override: Path | None = None) -> list[bytes]:
    """Several Markdown documents to .docx with one pandoc run: they are joined with marker
    paragraphs, converted together, then split apart and finished with python-docx."""
    markers = [f"kpsy-split-{i}" for i in range(len(markdowns))]
    joined = "".join(
        f'\n\n::: {{custom-style="{MARKER_STYLE}"}}\n{m}\n:::\n\n{md}' for m, md in zip(markers, markdowns, strict=True)
    )
    combined = pandoc(joined, reference_docx(override))
    return [finish(split(combined, i), landscape=landscape) for i in range(len(markdowns))]


def _is_marker(element: Any) -> bool:
    from docx.oxml.ns import qn

    style = element.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
    return style is not None and style.get(qn("w:val")) in ("KpsyMarker", MARKER_STYLE)


def split(combined: bytes, index: int) -> Any:
    """The `index`-th document of a combined .docx, as a python-docx Document."""
    import docx
    from docx.oxml.ns import qn

    doc = docx.Document(io.BytesIO(combined))
    body = doc.element.body
    children = [c for c in body.iterchildren() if c.tag != qn("w:sectPr")]
    starts = [i for i, c in enumerate(children) if c.tag == qn("w:p") and _is_marker(c)]
    begin = starts[index]
    end = starts[index + 1] if index + 1 < len(starts) else len(children)
    for i, child in enumerate(children):
        if not begin < i < end:
            body.remove(child)
    return doc


def finish(doc: Any, *, landscape: bool = False) -> bytes:
    """What pandoc cannot do: page setup and page numbers on every section, table text style and
    repeated header rows, landscape pages, and the 版记's rules and right-aligned date."""
    from docx.enum.text import WD_TAB_ALIGNMENT
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt

    from kpsy.reference import set_page, set_page_numbers

    for section in doc.sections:
        set_page(section, landscape=landscape)
    set_page_numbers(doc)
    styles = {s.name for s in doc.styles}
    section = doc.sections[-1]
    text_width = section.page_width - section.left_margin - section.right_margin
    for table in doc.tables:
        _fit_table(table, int(text_width) * 1440 // 914400)
        table.autofit = False
        tbl_pr = table._tbl.tblPr
        width = tbl_pr.find(qn("w:tblW"))
        if width is None:
            width = tbl_pr.makeelement(qn("w:tblW"), {})
            tbl_pr.append(width)
        width.set(qn("w:type"), "pct")
        width.set(qn("w:w"), "5000")
        if table.rows:
            tr_pr = table.rows[0]._tr.get_or_add_trPr()
            tr_pr.append(tr_pr.makeelement(qn("w:tblHeader"), {}))
        for row_index, row in enumerate(table.rows):
            for cell in row.cells:
                for paragraph in cell.paragraphs:
                    if "Table Text" in styles:
                        paragraph.style = doc.styles["Table Text"]
                    if row_index == 0:
                        for run in paragraph.runs:
                            run.font.bold = True
    for paragraph in doc.paragraphs:
        if paragraph.style is not None and paragraph.style.name == "Imprint":
            _imprint(paragraph, Mm(156 if not landscape else 225) - Pt(2 * 14), WD_TAB_ALIGNMENT.RIGHT)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _fit_table(table: Any, width_twips: int) -> None:
    """Scale pandoc's column widths (made for the reference page) to this page's type area."""
    from docx.oxml.ns import qn

    grid = table._tbl.tblGrid
    cols = grid.findall(qn("w:gridCol")) if grid is not None else []
    widths = [int(c.get(qn("w:w")) or 0) for c in cols]
    total = sum(widths)
    if not total:
        return
    scaled = [w * width_twips // total for w in widths]
    for col, w in zip(cols, scaled, strict=True):
        col.set(qn("w:w"), str(w))
    for row in table.rows:
        for i, tc in enumerate(row._tr.findall(qn("w:tc"))):
            tc_w = tc.find(f"{qn('w:tcPr')}/{qn('w:tcW')}")
            if tc_w is not None and i < len(scaled):
                tc_w.set(qn("w:w"), str(scaled[i]))
                tc_w.set(qn("w:type"), "dxa")
    layout = table._tbl.tblPr.find(qn("w:tblLayout"))
    if layout is None:
        layout = table._tbl.tblPr.makeelement(qn("w:tblLayout"), {})
        table._tbl.tblPr.append(layout)
    layout.set(qn("w:type"), "fixed")


def _imprint(paragraph: Any, right: Any, align: Any) -> None:
    """印发机关 on the left, 印发日期 on the right, between rules the width of the type area."""
    from docx.oxml.ns import qn

    text = paragraph.text
    issuer, _, date = text.rpartition(" ")
    if not issuer:
        return
    for run in list(paragraph.runs):
        run._r.getparent().remove(run._r)
    paragraph.add_run(issuer)
    paragraph.add_run("\t" + date)
    paragraph.paragraph_format.tab_stops.add_tab_stop(right, align)
    ppr = paragraph._p.get_or_add_pPr()
    borders = ppr.makeelement(qn("w:pBdr"), {})
    for side in ("top", "bottom"):
        # 0.35 mm rules: sz is in eighths of a point
        borders.append(
            borders.makeelement(
                qn(f"w:{side}"), {qn("w:val"): "single", qn("w:sz"): "8", qn("w:space"): "1", qn("w:color"): "000000"}
            )
        )
    ppr.append(borders)


def safe_filename(text: str) -> str:
    return re.sub(r'[\\/:*?"<>|\s]+', "_", text).strip("._") or "document"

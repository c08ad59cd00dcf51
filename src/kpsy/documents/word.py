"""Markdown documents to .docx: one pandoc run for many documents, then what pandoc cannot do, with python-docx."""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from kpsy.documents.pandoc import pandoc
from kpsy.documents.reference import set_page, set_page_numbers
from kpsy.documents.templates import reference_docx

MARKER_STYLE = "Kpsy Marker"


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
        if paragraph._p.find(f".//{qn('w:drawing')}") is not None or (
            paragraph.style is not None and paragraph.style.name == "Image Caption"
        ):
            _figure(paragraph)
        if paragraph.style is not None and paragraph.style.name == "Imprint":
            _imprint(paragraph, Mm(156 if not landscape else 225) - Pt(2 * 14), WD_TAB_ALIGNMENT.RIGHT)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _figure(paragraph: Any) -> None:
    """A picture or its caption: centred, without the body's indent, and on a line as tall as the
    picture (the body's fixed line height would crop it to a strip)."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.oxml.ns import qn
    from docx.shared import Pt

    fmt = paragraph.paragraph_format
    fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER
    fmt.first_line_indent = Pt(0)
    fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    ind = fmt._element.pPr.find(qn("w:ind")) if fmt._element.pPr is not None else None
    if ind is not None:
        for attr in ("w:firstLineChars", "w:firstLine", "w:hangingChars", "w:hanging"):
            ind.attrib.pop(qn(attr), None)


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

"""Markdown documents to .docx: one pandoc run for many documents, then what pandoc cannot do, with python-docx."""

from __future__ import annotations

import io
import os
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from kpsy.documents.pandoc import pandoc
from kpsy.documents.reference import set_page, set_page_numbers
from kpsy.documents.templates import reference_docx

MARKER_STYLE = "Kpsy Marker"


def to_docx(
    markdowns: Sequence[str],
    *,
    landscape: bool = False,
    override: Path | None = None,
    tracked: tuple[str, str] | None = None,
) -> list[bytes]:
    """Several Markdown documents to .docx with one pandoc run: they are joined with marker
    paragraphs, converted together, then split apart and finished with python-docx. With `tracked`
    (author, date), the documents hold tracked changes (pandoc's insertion and deletion spans) and
    are finished as Word expects them (`track_changes`)."""
    markers = [f"kpsy-split-{i}" for i in range(len(markdowns))]
    joined = "".join(
        f'\n\n::: {{custom-style="{MARKER_STYLE}"}}\n{m}\n:::\n\n{md}' for m, md in zip(markers, markdowns, strict=True)
    )
    combined = pandoc(joined, reference_docx(override))
    out = []
    for i in range(len(markdowns)):
        doc = split(combined, i)
        if tracked is not None:
            track_changes(doc, *tracked)
        out.append(finish(doc, landscape=landscape))
    return out


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
    repeated header rows, landscape pages, the 版记's rules and right-aligned date, and the last
    paragraph before a sender's name kept on its page."""
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
        rows = table._tbl.findall(qn("w:tr"))
        if rows:
            tr_pr = rows[0].get_or_add_trPr()
            if tr_pr.find(qn("w:tblHeader")) is None:
                tr_pr.append(tr_pr.makeelement(qn("w:tblHeader"), {}))
        style_id = doc.styles["Table Text"].style_id if "Table Text" in styles else None
        for row_index, tr in enumerate(rows):  # the XML itself: python-docx's cell objects are slow on long tables
            for p in tr.iter(qn("w:p")):
                if style_id is not None:
                    p.get_or_add_pPr().get_or_add_pStyle().set(qn("w:val"), style_id)
                if row_index == 0:
                    for r in p.iter(qn("w:r")):
                        r.get_or_add_rPr().get_or_add_b()
    previous = None
    for paragraph in doc.paragraphs:
        if previous is not None and paragraph.style is not None and paragraph.style.name == "Signature":
            previous.paragraph_format.keep_with_next = True  # the sender never stands alone on a page (GB/T 9704 7.3.5)
        previous = paragraph
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

    if paragraph._p.find(qn("w:ins")) is not None or paragraph._p.find(qn("w:del")) is not None:
        if not _tab_at_last_space(paragraph._p):  # tracked changes stay as they are
            return
    else:
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


def _tab_at_last_space(p: Any) -> bool:
    """In a paragraph with tracked changes, the last space of its unchanged runs made a tab (the
    版记's date goes to the right); False when there is none."""
    import copy

    from docx.oxml.ns import qn

    for r in reversed(p.findall(qn("w:r"))):
        t = r.find(qn("w:t"))
        if t is None or not t.text or " " not in t.text:
            continue
        head, _, tail = t.text.rpartition(" ")
        after = copy.deepcopy(r)
        t.text = head
        tab = r.makeelement(qn("w:tab"), {})
        t.addnext(tab)
        after.find(qn("w:t")).text = tail
        r.addnext(after)
        return True
    return False


# --- tracked changes ---------------------------------------------------------------------------


def _status(p: Any) -> str:
    """Whether a paragraph's words are all inserted, all deleted, or not."""
    from docx.oxml.ns import qn

    inserted = p.find(qn("w:ins")) is not None
    deleted = p.find(qn("w:del")) is not None
    plain = any((t.text or "") for r in p.findall(qn("w:r")) for t in r.findall(qn("w:t")))
    if plain or inserted == deleted:
        return ""
    return "ins" if inserted else "del"


def track_changes(doc: Any, author: str, date: str) -> None:
    """Finish a document whose words carry tracked insertions and deletions (w:ins, w:del) so that
    Word and WPS accept or reject each change as one: a paragraph whose words are all inserted (or
    all deleted) has its paragraph mark inserted (or deleted) too, so that rejecting (or accepting)
    removes the paragraph, not only its words; every change gets an id of its own; and further
    edits are tracked."""
    from docx.oxml.ns import qn

    body = doc.element.body
    paragraphs = [c for c in body.iterchildren() if c.tag == qn("w:p")]
    status = [_status(p) for p in paragraphs]
    marks: list[tuple[Any, str]] = []
    i = 0
    while i < len(paragraphs):
        if not status[i]:
            i += 1
            continue
        j = i
        while j < len(paragraphs) and status[j] == status[i]:
            j += 1
        block = paragraphs[i:j]
        if j < len(paragraphs):  # each paragraph's own mark goes with it
            marks += [(p, status[i]) for p in block]
        else:  # at the end the last mark stays: the one before the block goes instead
            marks += [(p, status[i]) for p in ([paragraphs[i - 1]] if i else []) + block[:-1]]
        i = j
    for p, kind in marks:
        rpr = p.get_or_add_pPr().find(qn("w:rPr"))
        if rpr is None:
            rpr = p.get_or_add_pPr().makeelement(qn("w:rPr"), {})
            p.get_or_add_pPr().append(rpr)
        rpr.insert(0, rpr.makeelement(qn(f"w:{kind}"), {qn("w:author"): author, qn("w:date"): date}))
    for n, element in enumerate(body.iter(qn("w:ins"), qn("w:del")), 1):
        element.set(qn("w:id"), str(n))
    settings = doc.settings.element
    if settings.find(qn("w:trackRevisions")) is None:
        settings.insert(0, settings.makeelement(qn("w:trackRevisions"), {}))


# --- a document that is one table --------------------------------------------------------------

TableCell = list[list[tuple[str, str]]]  # paragraphs of (text, style) runs; style "", "bold" or "strike"


def _xml_text(text: str) -> str:
    from xml.sax.saxutils import escape

    return escape(text)


def _cell_style(doc: Any, size: float) -> str | None:
    """A paragraph style for the table's cells at `size` points with an exact line, made in `doc`
    from the reference's table text; its id (None when the reference has no paragraph styles to base it on)."""
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.text import WD_LINE_SPACING
    from docx.shared import Pt

    names = {s.name for s in doc.styles}
    base = "Table Text" if "Table Text" in names else "Normal" if "Normal" in names else None
    if base is None:
        return None
    style = doc.styles.add_style("Kpsy Table Cell", WD_STYLE_TYPE.PARAGRAPH)
    style.base_style = doc.styles[base]
    style.font.size = Pt(size)
    style.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    style.paragraph_format.line_spacing = Pt(round(size * 1.4, 1))
    return str(style.style_id)


def table_docx(
    title: str,
    subtitle: str,
    headers: list[str],
    rows: Iterable[list[TableCell]],
    notes: list[str],
    *,
    widths: list[int],
    override: Path | None = None,
    size: float = 10.5,
) -> bytes:
    """A landscape GB/T 9704 document that is a title, a line under it, one table and notes after it.
    The document is made and finished (`finish`) with the header row alone; the rows are then
    written into its XML as text, one after another, so that a table of thousands of rows takes
    seconds and little memory. Cells are at `size` points (五号 by default); each row is kept on one
    page (unless it is longer than a page); the header row repeats on every page."""
    import zipfile

    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls, qn

    doc = docx.Document(str(reference_docx(override)))
    body = doc.element.body
    for child in list(body.iterchildren()):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    ids = {s.name: s.style_id for s in doc.styles}
    cell_style = _cell_style(doc, size)

    def paragraph(text: str, style: str) -> Any:
        style_xml = f'<w:pPr><w:pStyle w:val="{ids[style]}"/></w:pPr>' if style in ids else ""
        return parse_xml(
            f'<w:p {nsdecls("w")}>{style_xml}<w:r><w:t xml:space="preserve">{_xml_text(text)}</w:t></w:r></w:p>'
        )

    p_pr = f'<w:pPr><w:pStyle w:val="{cell_style}"/></w:pPr>' if cell_style else ""
    marks = {"bold": "<w:rPr><w:b/></w:rPr>", "strike": "<w:rPr><w:strike/></w:rPr>"}

    def row(cells: list[TableCell]) -> str:
        out = ["<w:tr><w:trPr><w:cantSplit/></w:trPr>"]
        for content in cells:
            out.append("<w:tc>")
            for runs in content or [[]]:
                out.append(f"<w:p>{p_pr}")
                for text, style in runs:
                    if text:
                        out.append(
                            f'<w:r>{marks.get(style, "")}<w:t xml:space="preserve">{_xml_text(text)}</w:t></w:r>'
                        )
                out.append("</w:p>")
            out.append("</w:tc>")
        out.append("</w:tr>")
        return "".join(out)

    total = sum(widths)
    marker = f"kpsy-rows-{os.urandom(8).hex()}"
    table = parse_xml(
        f'<w:tbl {nsdecls("w")}><w:tblPr><w:tblStyle w:val="{ids.get("Table", "Table")}"/>'
        '<w:tblW w:w="5000" w:type="pct"/><w:tblLayout w:type="fixed"/></w:tblPr><w:tblGrid>'
        + "".join(f'<w:gridCol w:w="{w * 10000 // total}"/>' for w in widths)
        + "</w:tblGrid>"
        + row([[[(h, "bold")]] for h in headers]).replace("<w:tr>", f"<w:tr {nsdecls('w')}>", 1)
        + row([[[(marker, "")]] for _ in headers])
        + "</w:tbl>"
    )
    sect = body.find(qn("w:sectPr"))
    sect.addprevious(paragraph(title, "Title"))
    sect.addprevious(paragraph(subtitle, "Centered"))
    sect.addprevious(table)
    for note in notes:
        sect.addprevious(paragraph(note, "Body Text"))
    finished = finish(doc, landscape=True)
    # the rows, written into the finished document in place of the marker's row
    source = zipfile.ZipFile(io.BytesIO(finished))
    xml = source.read("word/document.xml").decode("utf-8")
    at = xml.index(marker)
    start = max(m.start() for m in re.finditer(r"<w:tr[\s>]", xml[:at]))
    end = xml.index("</w:tr>", at) + len("</w:tr>")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            if info.filename != "word/document.xml":
                target.writestr(info, source.read(info.filename))
                continue
            with target.open(info.filename, "w") as stream:
                stream.write(xml[:start].encode("utf-8"))
                for cells in rows:
                    stream.write(row(cells).encode("utf-8"))
                stream.write(xml[end:].encode("utf-8"))
    return out.getvalue()

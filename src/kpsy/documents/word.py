"""Markdown documents to .docx: one pandoc run for many documents, then what pandoc cannot do, with python-docx."""

from __future__ import annotations

import contextlib
import io
import itertools
import os
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

from kpsy.documents.gbt9704 import lay_out
from kpsy.documents.ooxml import W, child
from kpsy.documents.pandoc import start
from kpsy.documents.reference import set_page, set_page_numbers
from kpsy.documents.tables import CELL_MARGIN_PT, CELL_PAD_PT, Keep, Layout
from kpsy.documents.tables import lay_out as lay_out_table
from kpsy.documents.templates import reference_docx

MARKER_STYLE = "Kpsy Marker"


def to_docx(
    markdowns: Sequence[str],
    *,
    landscape: bool = False,
    override: Path | None = None,
    tracked: tuple[str, str] | None = None,
    keep: Iterable[str] = (),
) -> list[bytes]:
    """Several Markdown documents to .docx with few pandoc runs: they are joined with marker
    paragraphs, converted together (in as many batches as there are processors, each batch a pandoc
    run, when there is enough text for each), then split apart and finished with python-docx, which
    is loaded while pandoc works. With `tracked` (author, date), the documents hold tracked changes
    (pandoc's insertion and deletion spans) and are finished as Word expects them (`track_changes`).
    `keep` are words no line of a table breaks (the units' names)."""
    reference = reference_docx(override)
    words = Keep(keep)
    out: list[bytes] = []
    with contextlib.ExitStack() as running:  # leaving it ends every pandoc still running
        conversions = [running.enter_context(start(joined(batch), reference)) for batch in batches(markdowns)]
        _load_python_docx()
        for conversion in conversions:
            out += _finish_all(conversion.result(), landscape=landscape, tracked=tracked, keep=words)
    return out


def _finish_all(combined: bytes, *, landscape: bool, tracked: tuple[str, str] | None, keep: Keep) -> list[bytes]:
    """The documents of a combined .docx, each finished (see `to_docx`)."""
    out = []
    names: dict[str, str] | None = None  # the same styles in every document: looked up once
    for doc in split_all(combined, prepare=lambda whole: set_pages(whole, landscape=landscape)):
        if tracked is not None:
            track_changes(doc, *tracked)
        names = names if names is not None else style_names(doc)
        out.append(finish(doc, landscape=landscape, keep=keep, names=names, paged=True))
    return out


BATCH_CHARS = 20_000  # the least text worth a pandoc run of its own (its fixed cost is about this much text's)


def batches(markdowns: Sequence[str], workers: int | None = None) -> list[Sequence[str]]:
    """`markdowns` cut into runs of documents, in order, for pandoc runs side by side: one a
    processor (`workers`, by default those kpsy may use), each of about the same length and at
    least `BATCH_CHARS` long."""
    if not markdowns:
        return []
    if workers is None:
        workers = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    total = sum(len(md) for md in markdowns)
    count = max(1, min(workers, len(markdowns), total // BATCH_CHARS))
    cuts, done = [0], 0
    for i, md in enumerate(markdowns[:-1], 1):  # a cut after the document that ends nearest each share
        done += len(md)
        share = total * len(cuts) / count
        if len(cuts) < count and abs(done - share) <= abs(done + len(markdowns[i]) - share):
            cuts.append(i)
    return [markdowns[a:b] for a, b in itertools.pairwise([*cuts, len(markdowns)])]


def _load_python_docx() -> None:
    """python-docx and the parts of it that finishing a document uses, loaded (while pandoc runs)."""
    import importlib

    for name in ("docx", "docx.oxml.ns", "docx.shared", "docx.enum.text", "docx.enum.style"):
        importlib.import_module(name)


_MARKER_IDS = ("KpsyMarker", MARKER_STYLE)


def joined(markdowns: Sequence[str]) -> str:
    """Markdown documents as one, each begun by a marker paragraph (see `split_all`)."""
    return "".join(
        f'\n\n::: {{custom-style="{MARKER_STYLE}"}}\nkpsy-split-{i}\n:::\n\n{md}' for i, md in enumerate(markdowns)
    )


def _is_marker(element: Any) -> bool:
    if element.tag != W + "p":
        return False
    ppr = element.find(W + "pPr")
    style = ppr.find(W + "pStyle") if ppr is not None else None
    return style is not None and style.get(W + "val") in _MARKER_IDS


def split_all(combined: bytes, prepare: Callable[[Any], None] | None = None) -> Iterator[Any]:
    """The documents of a combined .docx (each begun by a marker paragraph), one after another, as
    python-docx Documents. The combined document is parsed once: its body's elements are sorted
    into the documents in one pass and moved into a copy of the package without them (its styles,
    numbering and media), so that the cost grows with the text, not with the text times the count.
    `prepare` is done once to that package, before it is copied (what every document shares)."""
    import docx

    whole = docx.Document(io.BytesIO(combined))
    body = whole.element.body
    parts: list[list[Any]] = []
    for element in list(body.iterchildren()):
        if element.tag == W + "sectPr":
            continue
        body.remove(element)
        if _is_marker(element):
            parts.append([])
        elif parts:  # what comes before the first marker belongs to no document
            parts[-1].append(element)
    if prepare is not None:
        prepare(whole)
    copy = _copier(whole) if len(parts) > 1 else None
    for i, elements in enumerate(parts):
        doc = whole if copy is None or i == len(parts) - 1 else copy()
        end = doc.element.body.find(W + "sectPr")
        for element in elements:
            if end is not None:
                end.addprevious(element)
            else:
                doc.element.body.append(element)
        yield doc


def _copier(doc: Any) -> Callable[[], Any]:
    """A maker of copies of python-docx Document `doc` as it is now: the package is written once
    and read once; each copy is made from what was read. The parts that finishing never changes
    (theme, fonts, numbering, notes, properties) are kept in each copy as the bytes they were
    written as, not parsed and written again."""
    from docx.opc.constants import CONTENT_TYPE as CT
    from docx.opc.package import Unmarshaller
    from docx.opc.part import Part, PartFactory
    from docx.opc.pkgreader import PackageReader
    from docx.package import Package

    kept = {
        CT.OFC_THEME, CT.WML_FONT_TABLE, CT.WML_WEB_SETTINGS, CT.WML_NUMBERING, CT.WML_FOOTNOTES, CT.WML_COMMENTS,
        CT.OPC_CORE_PROPERTIES, CT.OFC_EXTENDED_PROPERTIES, CT.OFC_CUSTOM_PROPERTIES,
    }  # fmt: skip

    def part(partname: Any, content_type: str, reltype: str, blob: bytes, package: Any) -> Any:
        if content_type in kept:
            return Part(partname, content_type, blob, package)
        return PartFactory(partname, content_type, reltype, blob, package)

    written = io.BytesIO()
    doc.save(written)
    read = PackageReader.from_file(written)  # type: ignore[no-untyped-call]

    def copy() -> Any:
        package = Package()
        Unmarshaller.unmarshal(read, package, part)  # type: ignore[no-untyped-call]
        return package.main_document_part.document

    return copy


def set_pages(doc: Any, *, landscape: bool = False) -> None:
    """Page setup and page numbers on every section."""
    for section in doc.sections:
        set_page(section, landscape=landscape)
    set_page_numbers(doc)


def style_names(doc: Any) -> dict[str, str]:
    """Style ids to names."""
    return {style.style_id: style.name for style in doc.styles}


def finish(
    doc: Any,
    *,
    landscape: bool = False,
    keep: Keep | None = None,
    tables: bool = True,
    names: dict[str, str] | None = None,
    paged: bool = False,
) -> bytes:
    """What pandoc cannot do: page setup and page numbers on every section (`set_pages`; done
    already when `paged`, unless the body has sections of its own); tables laid out to print
    (`kpsy.documents.tables`); pictures on lines of their own height; the GB/T 9704 版头,
    signature, 版记 and draft mark (`kpsy.documents.gbt9704`). `tables=False` leaves the tables
    as they are (laid out by their maker); `names` are the styles' names by id, when known."""
    from docx.oxml.ns import qn

    if not paged or len(doc.sections) > 1:
        set_pages(doc, landscape=landscape)
    names = names if names is not None else style_names(doc)
    ids = {name: style_id for style_id, name in names.items()}
    section = doc.sections[-1]
    area = (
        (section.page_width - section.left_margin - section.right_margin) / 12700,
        (section.page_height - section.top_margin - section.bottom_margin) / 12700,
    )
    for tbl in doc.element.body.iter(qn("w:tbl")) if tables else ():
        print_table(tbl, area, ids.get("Table Text"), keep or Keep())
    body = doc.element.body
    for p in body.iterchildren(qn("w:p")):
        style = p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
        if p.find(f".//{qn('w:drawing')}") is not None or (
            style is not None and names.get(style.get(qn("w:val"))) == "Image Caption"
        ):
            _figure(p)
    lay_out(doc, names, landscape=landscape)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _figure(p: Any) -> None:
    """A picture or its caption: centred, without the body's indent, and on a line as tall as the
    picture (the body's fixed line height would crop it to a strip)."""
    from docx.oxml.ns import qn

    ppr = p.get_or_add_pPr()
    child(ppr, "w:jc", val="center")
    child(ppr, "w:spacing", line="240", lineRule="auto")
    ind = child(ppr, "w:ind", firstLine="0", firstLineChars="0")
    for attr in ("w:hangingChars", "w:hanging"):
        ind.attrib.pop(qn(attr), None)


# --- tables ------------------------------------------------------------------------------------

TABLE_SIZES = (10.5, 9.0)  # 五号, 小五: the larger unless a table's names would break at it


def _text(p: Any) -> str:
    from docx.oxml.ns import qn

    return "".join(t.text or "" for t in p.iter(qn("w:t")))


def print_table(tbl: Any, area: tuple[float, float], style_id: str | None, keep: Keep) -> None:
    """Lay out a table pandoc made to print on a page whose type area is `area` (width, height in
    pt): column widths from its content, explicit line breaks, the font size, the header row
    repeated on every page and bold, each row kept on one page when it fits on one."""
    from docx.oxml.ns import qn

    trs = tbl.findall(qn("w:tr"))
    cells = [[tc.findall(qn("w:p")) for tc in tr.findall(qn("w:tc"))] for tr in trs]
    layout = lay_out_table(
        [[[_text(p) for p in ps] for ps in row] for row in cells], area[0], area[1], sizes=TABLE_SIZES, keep=keep
    )
    table_frame(tbl, layout)
    for r, (tr, row) in enumerate(zip(trs, cells, strict=True)):
        tr_pr = tr.get_or_add_trPr()
        if r == 0:
            child(tr_pr, "w:tblHeader")
        if layout.fits[r]:
            child(tr_pr, "w:cantSplit")
        for j, (tc, ps) in enumerate(zip(tr.findall(qn("w:tc")), row, strict=False)):
            if j < len(layout.widths):
                tc_pr = tc.get_or_add_tcPr()
                child(tc_pr, "w:tcW", w=str(layout.widths[j]), type="dxa")
            for k, p in enumerate(ps):
                cell_paragraph(p, style_id, layout, header=r == 0)
                if j < len(layout.widths):
                    break_runs(p, layout.lines[r][j][k])


def table_frame(tbl: Any, layout: Layout) -> None:
    """The table's width, grid and inner margins from `layout`; fixed, so that no word processor
    re-measures it."""
    from docx.oxml.ns import qn

    tbl_pr = tbl.find(qn("w:tblPr"))
    child(tbl_pr, "w:tblW", w=str(sum(layout.widths)), type="dxa")
    child(tbl_pr, "w:tblLayout", type="fixed")
    margins = child(tbl_pr, "w:tblCellMar")
    for side, size in (
        ("top", CELL_PAD_PT),
        ("bottom", CELL_PAD_PT),
        ("left", CELL_MARGIN_PT),
        ("right", CELL_MARGIN_PT),
    ):
        child(margins, f"w:{side}", w=str(round(size * 20)), type="dxa")
    grid = tbl.find(qn("w:tblGrid"))
    if grid is None:
        grid = tbl.makeelement(qn("w:tblGrid"), {})
        tbl_pr.addnext(grid)
    for col in list(grid):
        grid.remove(col)
    for w in layout.widths:
        grid.append(grid.makeelement(qn("w:gridCol"), {qn("w:w"): str(w)}))


def cell_paragraph(p: Any, style_id: str | None, layout: Layout, *, header: bool) -> None:
    """A cell's paragraph in the table text style at the layout's size and exact line height; the
    header row's bold and centred."""
    from docx.oxml.ns import qn

    ppr = p.get_or_add_pPr()
    if style_id is not None:
        ppr.get_or_add_pStyle().set(qn("w:val"), style_id)
    child(ppr, "w:spacing", before="0", after="0", line=str(round(layout.line * 20)), lineRule="exact")
    child(ppr, "w:ind", left="0", right="0", firstLine="0", firstLineChars="0")
    if header:
        child(ppr, "w:jc", val="center")
    for r in p.iter(qn("w:r")):
        rpr = r.get_or_add_rPr()
        child(rpr, "w:sz", val=str(round(layout.size * 2)))
        child(rpr, "w:szCs", val=str(round(layout.size * 2)))
        if header:
            rpr.get_or_add_b()


def break_runs(p: Any, starts: list[int]) -> None:
    """Explicit line breaks (w:br) in paragraph `p` before the characters at offsets `starts`."""
    import copy

    from docx.oxml.ns import qn

    cut = set(starts)
    offset = 0
    for r in list(p.iter(qn("w:r"))) if cut else []:
        t = r.find(qn("w:t"))
        if t is None or not t.text:
            continue
        text = t.text
        points = _points(text, offset, cut)
        template = copy.deepcopy(r)
        last = r
        for a, b in itertools.pairwise(points):
            run = r if a == 0 else copy.deepcopy(template)
            run_t = run.find(qn("w:t"))
            run_t.text = text[a:b]
            run_t.set(qn("xml:space"), "preserve")
            if offset + a in cut:
                run_t.addprevious(run.makeelement(qn("w:br"), {}))
            if run is not r:
                last.addnext(run)
                last = run
        offset += len(text)


def _points(text: str, offset: int, cut: set[int]) -> list[int]:
    """Where `text`, starting at `offset` in its paragraph, is cut: 0, the cuts inside it, its end."""
    return sorted({0, len(text), *(s - offset for s in cut if offset < s < offset + len(text))})


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


def _cell_style(doc: Any, layout: Layout) -> str | None:
    """A paragraph style for the table's cells at the layout's size and exact line, made in `doc`
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
    style.font.size = Pt(layout.size)
    style.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    style.paragraph_format.line_spacing = Pt(layout.line)
    style.paragraph_format.first_line_indent = Pt(0)
    return str(style.style_id)


_MARKS = {"bold": "<w:rPr><w:b/></w:rPr>", "strike": "<w:rPr><w:strike/></w:rPr>"}


def _runs_xml(runs: list[tuple[str, str]], starts: list[int]) -> str:
    """A cell paragraph's runs, with a line break (w:br) before each offset of `starts`."""
    out: list[str] = []
    cut = set(starts)
    offset = 0
    for text, style in runs:
        if not text:
            continue
        points = _points(text, offset, cut)
        for a, b in itertools.pairwise(points):
            brk = "<w:br/>" if offset + a in cut else ""
            out.append(f'<w:r>{_MARKS.get(style, "")}{brk}<w:t xml:space="preserve">{_xml_text(text[a:b])}</w:t></w:r>')
        offset += len(text)
    return "".join(out)


def _row_xml(
    cells: list[TableCell], lines: list[list[list[int]]], p_pr: str, *, whole: bool, header: bool = False
) -> str:
    """One table row as WordprocessingML: `lines` are its cells' line starts, `whole` keeps it on one page."""
    props = ("<w:tblHeader/>" if header else "") + ("<w:cantSplit/>" if whole else "")
    out = [f"<w:tr><w:trPr>{props}</w:trPr>" if props else "<w:tr>"]
    if header:  # centred
        p_pr = (
            p_pr.replace("</w:pPr>", '<w:jc w:val="center"/></w:pPr>')
            if p_pr
            else '<w:pPr><w:jc w:val="center"/></w:pPr>'
        )

    for j, content in enumerate(cells):
        out.append("<w:tc>")
        for k, runs in enumerate(content or [[]]):
            starts = lines[j][k] if j < len(lines) and k < len(lines[j]) else []
            out.append(f"<w:p>{p_pr}{_runs_xml(runs, starts)}</w:p>")
        out.append("</w:tc>")
    out.append("</w:tr>")
    return "".join(out)


def _plain(cells: list[TableCell]) -> list[list[str]]:
    return [["".join(text for text, _ in runs) for runs in content or [[]]] for content in cells]


def table_docx(
    title: str,
    subtitle: str,
    headers: list[str],
    rows: Iterable[list[TableCell]],
    notes: list[str],
    *,
    override: Path | None = None,
    size: float = 10.5,
    keep: Iterable[str] = (),
    draft: bool = False,
) -> bytes:
    """A landscape GB/T 9704 document that is a title, a line under it, one table and notes after it
    (and 「征求意见稿」 at the top with `draft`). The table is laid out by `kpsy.documents.tables` from
    all its rows (at `size` points, 五号 by default, smaller if its names would break; `keep` are
    words no line breaks). The document is made and finished (`finish`) with the header row alone;
    the rows are then written into its XML as text, one after another, so that a table of thousands
    of rows takes seconds and little memory. The header row repeats on every page; a row is kept on
    one page unless it is longer than a page."""
    heading: list[TableCell] = [[[(h, "bold")]] for h in headers]
    body = list(rows)
    section_pt = (225 / 25.4 * 72, 156 / 25.4 * 72)  # the landscape type area
    layout = lay_out_table(
        [_plain(heading), *(_plain(r) for r in body)], *section_pt, sizes=(size, 9.0), keep=Keep(keep)
    )
    doc, p_pr, marker = _table_document(title, subtitle, headers, notes, layout, override=override, draft=draft)
    finished = finish(doc, landscape=True, tables=False)
    rows_xml = (_row_xml(cells, layout.lines[i], p_pr, whole=layout.fits[i]) for i, cells in enumerate(body, 1))
    return _put_rows(finished, marker, rows_xml)


def _table_document(
    title: str,
    subtitle: str,
    headers: list[str],
    notes: list[str],
    layout: Layout,
    *,
    override: Path | None,
    draft: bool,
) -> tuple[Any, str, str]:
    """The document of `table_docx` with its header row and a marker row where the rows go: the
    document, the cells' paragraph properties, and the marker."""
    import docx
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls, qn

    doc = docx.Document(str(reference_docx(override)))
    body = doc.element.body
    for element in list(body.iterchildren()):
        if element.tag != qn("w:sectPr"):
            body.remove(element)
    ids = {s.name: s.style_id for s in doc.styles}
    cell_style = _cell_style(doc, layout)
    p_pr = f'<w:pPr><w:pStyle w:val="{cell_style}"/></w:pPr>' if cell_style else ""

    def paragraph(text: str, style: str) -> Any:
        style_xml = f'<w:pPr><w:pStyle w:val="{ids[style]}"/></w:pPr>' if style in ids else ""
        return parse_xml(
            f'<w:p {nsdecls("w")}>{style_xml}<w:r><w:t xml:space="preserve">{_xml_text(text)}</w:t></w:r></w:p>'
        )

    marker = f"kpsy-rows-{os.urandom(8).hex()}"
    header = _row_xml([[[(h, "bold")]] for h in headers], layout.lines[0], p_pr, whole=True, header=True)
    table = parse_xml(
        f'<w:tbl {nsdecls("w")}><w:tblPr><w:tblStyle w:val="{ids.get("Table", "Table")}"/></w:tblPr>'
        + header.replace("<w:tr>", f"<w:tr {nsdecls('w')}>", 1)
        + f"<w:tr><w:tc><w:p><w:r><w:t>{marker}</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"
    )
    table_frame(table, layout)
    sect = body.find(qn("w:sectPr"))
    for text, style in ([("征求意见稿", "Draft Mark")] if draft else []) + [(title, "Title"), (subtitle, "Centered")]:
        sect.addprevious(paragraph(text, style))
    sect.addprevious(table)
    for note in notes:
        sect.addprevious(paragraph(note, "Body Text"))
    return doc, p_pr, marker


def _put_rows(finished: bytes, marker: str, rows: Iterable[str]) -> bytes:
    """The finished document with `rows` (WordprocessingML) written in place of the marker's row."""
    import zipfile

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
                for row in rows:
                    stream.write(row.encode("utf-8"))
                stream.write(xml[end:].encode("utf-8"))
    return out.getvalue()

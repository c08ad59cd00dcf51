"""Build the reference .docx that gives pandoc's output the GB/T 9704-2012 layout.

    python -m kpsy.cli.reference templates/reference.docx

It starts from pandoc's own reference document (so every style pandoc uses exists) and sets, with
python-docx: A4 with margins 37/35/28/26 mm; body 仿宋_GB2312 3号 (16 pt) at a fixed 28.95 pt line
(22 lines a page) with -0.25 pt character spacing (28 characters a line) and a two-character
first-line indent; title 小标宋 2号; headings 黑体, 楷体_GB2312 and bold 仿宋; "— 1 —" page numbers in
4号 宋体, odd pages right and even pages left, one character in. East Asian fonts go in
`w:eastAsia`; theme fonts are removed so that they cannot override the names.
"""

from __future__ import annotations

import io
import subprocess
from typing import Any

FANGSONG = "仿宋_GB2312"
KAITI = "楷体_GB2312"
HEITI = "黑体"
XIAOBIAOSONG = "方正小标宋简体"
SONGTI = "宋体"
LATIN = "Times New Roman"

BODY_PT = 16  # 3号
TITLE_PT = 22  # 2号
FOOTER_PT = 14  # 4号
LINE_TWIPS = 579  # 28.95 pt: 22 lines in the 225 mm type area
CHAR_SPACING_TWIPS = -5  # -0.25 pt: 28 characters in the 156 mm type area
TABLE_PT = 10.5  # 五号: tables
MARK_PT = 36  # 小初: the 发文机关标志 before it is fitted to its line
SEAL_ROOM_PT = 2 * LINE_TWIPS / 20  # above the issuer's name: the seal's top within a line of the text


def pandoc_default_reference() -> bytes:
    from kpsy.documents.pandoc import pandoc_path

    proc = subprocess.run(
        [pandoc_path(), "--print-default-data-file", "reference.docx"], capture_output=True, check=True
    )
    return proc.stdout


def _set_fonts(rpr: Any, east_asian: str, latin: str = LATIN) -> None:
    from docx.oxml.ns import qn

    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, fonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    for attr, value in (("w:ascii", latin), ("w:hAnsi", latin), ("w:eastAsia", east_asian), ("w:cs", latin)):
        fonts.set(qn(attr), value)
    fonts.set(qn("w:hint"), "eastAsia")


def _child(parent: Any, tag: str, **attrs: str) -> Any:
    """The child `tag` of `parent`, created if missing, with `attrs` set (w: prefix implied)."""
    from docx.oxml.ns import qn

    el = parent.find(qn(tag))
    if el is None:
        el = parent.makeelement(qn(tag), {})
        parent.append(el)
    for key, value in attrs.items():
        el.set(qn(f"w:{key}"), value)
    return el


def style_font(
    style: Any,
    east_asian: str,
    size: float,
    *,
    bold: bool = False,
    color: str = "000000",
    spacing: int | None = CHAR_SPACING_TWIPS,
) -> None:
    from docx.shared import Pt, RGBColor

    font = style.font
    font.size = Pt(size)
    font.bold = bold
    font.italic = False
    font.color.rgb = RGBColor.from_string(color)
    rpr = style.element.get_or_add_rPr()
    _set_fonts(rpr, east_asian)
    if spacing is not None:
        _child(rpr, "w:spacing", val=str(spacing))
    for tag in ("w:szCs",):
        _child(rpr, tag, val=str(int(size * 2)))


def style_paragraph(
    style: Any,
    *,
    indent_chars: int = 0,
    align: str | None = None,
    line_twips: int | None = LINE_TWIPS,
    before: int = 0,
    after: int = 0,
    right_chars: int = 0,
    left_chars: int = 0,
    keep_next: bool = False,
) -> None:
    from docx.enum.text import WD_LINE_SPACING
    from docx.oxml.ns import qn
    from docx.shared import Pt, Twips

    fmt = style.paragraph_format
    if line_twips is None:
        fmt.line_spacing = 1.0
    else:
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Twips(line_twips)
    fmt.space_before = Pt(before)
    fmt.space_after = Pt(after)
    fmt.keep_with_next = keep_next
    ppr = style.element.get_or_add_pPr()
    ind = _child(ppr, "w:ind")
    for attr in list(ind.attrib):
        del ind.attrib[attr]
    one_char = BODY_PT * 20
    ind.set(qn("w:firstLineChars"), str(indent_chars * 100))
    ind.set(qn("w:firstLine"), str(indent_chars * one_char))
    if left_chars:
        ind.set(qn("w:leftChars"), str(left_chars * 100))
        ind.set(qn("w:left"), str(left_chars * one_char))
    if right_chars:
        ind.set(qn("w:rightChars"), str(right_chars * 100))
        ind.set(qn("w:right"), str(right_chars * one_char))
    if align:
        _child(ppr, "w:jc", val=align)
    # pandoc's styles number headings and add outline borders through pPr: clear what we do not set
    for tag in ("w:numPr", "w:pBdr"):
        el = ppr.find(qn(tag))
        if el is not None:
            ppr.remove(el)


def _add_style(doc: Any, name: str, kind: Any, base: str | None = None) -> Any:
    try:
        return doc.styles[name]
    except KeyError:
        style = doc.styles.add_style(name, kind)
        if base:
            style.base_style = doc.styles[base]
        style.quick_style = True
        return style


def set_page(section: Any, *, landscape: bool = False) -> None:
    """A4 with the GB/T 9704 margins (top 37, bottom 35, left 28, right 26 mm); landscape keeps the
    binding margin on the left of the turned page."""
    from docx.enum.section import WD_ORIENT
    from docx.shared import Mm

    width, height = Mm(210), Mm(297)
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = height, width
        section.top_margin, section.bottom_margin = Mm(28), Mm(26)
        section.left_margin, section.right_margin = Mm(37), Mm(35)
    else:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = width, height
        section.top_margin, section.bottom_margin = Mm(37), Mm(35)
        section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.header_distance = Mm(15)
    section.footer_distance = Mm(21)  # the page number stands about 7 mm below the type area


def page_number_paragraph(paragraph: Any, style: Any, *, align: str) -> None:
    """ "— N —" with a PAGE field, one character in from the side it is aligned to."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Pt

    paragraph.style = style
    for old in list(paragraph.runs):
        old._r.getparent().remove(old._r)
    fmt = paragraph.paragraph_format
    fmt.alignment = WD_ALIGN_PARAGRAPH.RIGHT if align == "right" else WD_ALIGN_PARAGRAPH.LEFT
    fmt.first_line_indent = Pt(0)
    if align == "right":
        fmt.right_indent, fmt.left_indent = Pt(FOOTER_PT), Pt(0)
    else:
        fmt.left_indent, fmt.right_indent = Pt(FOOTER_PT), Pt(0)

    def run(text: str = "") -> Any:
        r = paragraph.add_run(text)
        r.font.size = Pt(FOOTER_PT)
        _set_fonts(r._r.get_or_add_rPr(), SONGTI)
        return r

    run("— ")
    for kind, text in (("begin", None), (None, " PAGE "), ("separate", None), (None, "1"), ("end", None)):
        r = run()
        if kind:
            fld = r._r.makeelement(qn("w:fldChar"), {qn("w:fldCharType"): kind})
            r._r.append(fld)
        elif text == " PAGE ":
            instr = r._r.makeelement(qn("w:instrText"), {qn("xml:space"): "preserve"})
            instr.text = text
            r._r.append(instr)
        else:
            r.text = text or ""
    run(" —")


def set_page_numbers(doc: Any) -> None:
    """Odd pages: number on the right; even pages: on the left (odd and even footers differ)."""
    doc.settings.odd_and_even_pages_header_footer = True
    for section in doc.sections:
        section.footer.is_linked_to_previous = False
        section.even_page_footer.is_linked_to_previous = False
        page_number_paragraph(section.footer.paragraphs[0], doc.styles["Footer"], align="right")
        page_number_paragraph(section.even_page_footer.paragraphs[0], doc.styles["Footer"], align="left")


def _head_styles(doc: Any) -> None:
    """The 版头's styles: the red 发文机关标志 of 文件格式 and 信函格式 (sized to its line by
    kpsy.documents.gbt9704) and 「征求意见稿」 in 3号 黑体 on the right."""
    from docx.enum.style import WD_STYLE_TYPE

    WD_PARAGRAPH, _WD_CHARACTER = WD_STYLE_TYPE.PARAGRAPH, WD_STYLE_TYPE.CHARACTER
    for name in ("Issuer Mark", "Letter Issuer Mark"):
        mark = _add_style(doc, name, WD_PARAGRAPH, "Normal")
        style_font(mark, XIAOBIAOSONG, MARK_PT, color="FF0000", spacing=None)
        style_paragraph(mark, align="center", line_twips=None)
    draft = _add_style(doc, "Draft Mark", WD_PARAGRAPH, "Normal")
    style_font(draft, HEITI, BODY_PT)
    style_paragraph(draft, align="right")


def _hanging(style: Any, chars: int) -> None:
    """A hanging indent of `chars` characters of the style's size, added to its left indent."""
    from docx.oxml.ns import qn

    ind = style.element.get_or_add_pPr().find(qn("w:ind"))
    one = FOOTER_PT * 20
    left = int(ind.get(qn("w:left")) or 0)
    for attr in ("w:firstLine", "w:firstLineChars"):
        ind.attrib.pop(qn(attr), None)
    ind.set(qn("w:left"), str(left + chars * one))
    ind.set(qn("w:leftChars"), "0")
    ind.set(qn("w:hanging"), str(chars * one))


def _text_styles(doc: Any) -> None:
    """Body, title and headings: 仿宋 3号, 小标宋 2号; 黑体, 楷体 and bold 仿宋 headings."""
    from docx.enum.style import WD_STYLE_TYPE

    WD_PARAGRAPH, WD_CHARACTER = WD_STYLE_TYPE.PARAGRAPH, WD_STYLE_TYPE.CHARACTER
    styles = doc.styles
    style_font(styles["Normal"], FANGSONG, BODY_PT)
    # No indent on Normal: it would leak into footers and tables (see gbt9704.md).
    style_paragraph(styles["Normal"], align="both")
    for name in ("Body Text", "First Paragraph", "Compact"):
        style_font(styles[name], FANGSONG, BODY_PT)
        style_paragraph(styles[name], indent_chars=2, align="both")
    style_font(styles["Title"], XIAOBIAOSONG, TITLE_PT, spacing=None)
    style_paragraph(styles["Title"], align="center", line_twips=None, before=0, after=BODY_PT * 2)
    for name, font, bold in (("Heading 1", HEITI, False), ("Heading 2", KAITI, False), ("Heading 3", FANGSONG, True)):
        style_font(styles[name], font, BODY_PT, bold=bold)
        style_paragraph(styles[name], indent_chars=2, align="both", keep_next=True)
        style_font(styles[f"{name} Char"], font, BODY_PT, bold=bold)
    plan_title = _add_style(doc, "Plan Title", WD_PARAGRAPH, "Title")
    style_font(plan_title, XIAOBIAOSONG, TITLE_PT, spacing=None)
    style_paragraph(plan_title, align="center", line_twips=None, after=BODY_PT * 2)
    plan_title.paragraph_format.page_break_before = True
    for name, font, bold in (("Kai Run", KAITI, False), ("Hei Run", HEITI, False), ("Task Title Run", FANGSONG, True)):
        style = _add_style(doc, name, WD_CHARACTER)
        style_font(style, font, BODY_PT, bold=bold)


def _document_styles(doc: Any) -> None:
    """What kpsy's templates name besides text: addressee, signature and date (with room for the
    seal), table text (五号), 版头, 版记 (4号, one character in on each side)."""
    from docx.enum.style import WD_STYLE_TYPE

    WD_PARAGRAPH, _WD_CHARACTER = WD_STYLE_TYPE.PARAGRAPH, WD_STYLE_TYPE.CHARACTER
    _head_styles(doc)
    for name, kwargs in (
        ("Addressee", {"indent_chars": 0, "align": "both"}),
        # two lines of room above the issuer's name for the seal (GB/T 9704 7.3.5)
        ("Signature", {"align": "right", "right_chars": 4, "before": SEAL_ROOM_PT, "keep_next": True}),
        ("Issue Date", {"align": "right", "right_chars": 4}),
        ("Table Text", {"align": "left", "line_twips": round(TABLE_PT * 27)}),
        ("Centered", {"align": "center"}),
        # a table's name stays on the page of the table's first row
        ("Table Caption", {"align": "center", "keep_next": True}),
        ("Document Number", {"align": "center"}),
        ("Signer", {"align": "right"}),
    ):
        style = _add_style(doc, name, WD_PARAGRAPH, "Normal")
        table = name == "Table Text"
        style_font(style, FANGSONG, TABLE_PT if table else BODY_PT, spacing=0 if table else CHAR_SPACING_TWIPS)
        style_paragraph(style, **kwargs)
    for name in ("Imprint", "Copy To"):
        style = _add_style(doc, name, WD_PARAGRAPH, "Normal")
        style_font(style, FANGSONG, FOOTER_PT, spacing=0)
        style_paragraph(style, left_chars=1, right_chars=1, line_twips=LINE_TWIPS, before=0)
    _hanging(doc.styles["Copy To"], 3)  # 抄送's continuation lines start under the first name, after 「抄送：」
    # 「附件」 over an attachment (GB/T 9704 §8): 3号 黑体, flush left, on a page of its own
    annex = _add_style(doc, "Annex Heading", WD_PARAGRAPH, "Normal")
    style_font(annex, HEITI, BODY_PT)
    style_paragraph(annex, align="left", keep_next=True)
    annex.paragraph_format.page_break_before = True
    marker = _add_style(doc, "Kpsy Marker", WD_PARAGRAPH, "Normal")
    marker.hidden = True


def build(base: bytes | None = None) -> bytes:
    """The reference document, as .docx bytes."""
    from docx.enum.style import WD_STYLE_TYPE

    WD_PARAGRAPH, _WD_CHARACTER = WD_STYLE_TYPE.PARAGRAPH, WD_STYLE_TYPE.CHARACTER
    import docx

    doc = docx.Document(io.BytesIO(base or pandoc_default_reference()))
    styles = doc.styles
    _text_styles(doc)
    _document_styles(doc)
    footer = (
        styles["Footer"] if "Footer" in [s.name for s in styles] else _add_style(doc, "Footer", WD_PARAGRAPH, "Normal")
    )
    style_font(footer, SONGTI, FOOTER_PT, spacing=0)
    style_paragraph(footer, line_twips=None)
    tbl_pr = styles["Table"].element.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}tblPr")
    if tbl_pr is not None:
        borders = _child(tbl_pr, "w:tblBorders")
        for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
            _child(borders, f"w:{side}", val="single", sz="4", space="0", color="000000")
    for section in doc.sections:
        set_page(section)
    set_page_numbers(doc)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()

"""The ruled-table reader of PDFs (kpsy.importer.pdfgrid) on pages drawn here: tables ruled the way
Word and WPS print them (thin filled rectangles, not stroked lines), a merged cell, text placed in
cells, and a page with no rules. LibreOffice's prints are tested end to end in test_import_genre."""

from __future__ import annotations

import ctypes
from pathlib import Path

import pypdfium2 as pdfium
import pypdfium2.raw as raw

from kpsy.importer import pdfgrid

# A table 3 columns by 3 rows; the middle column's two body cells merged into one.
XS = [100.0, 200.0, 300.0, 400.0]
YS = [700.0, 670.0, 640.0, 610.0]  # top to bottom


def _box(page: object, left: float, bottom: float, width: float, height: float) -> None:
    obj = raw.FPDFPageObj_CreateNewRect(left, bottom, width, height)
    raw.FPDFPageObj_SetFillColor(obj, 0, 0, 0, 255)
    raw.FPDFPath_SetDrawMode(obj, raw.FPDF_FILLMODE_WINDING, 0)
    raw.FPDFPage_InsertObject(page, obj)


def _text(document: object, page: object, x: float, y: float, words: str) -> None:
    font = raw.FPDFText_LoadStandardFont(document, b"Helvetica")
    obj = raw.FPDFPageObj_NewTextObj(document, b"Helvetica", ctypes.c_float(10))
    units = (words + "\0").encode("utf-16-le")
    raw.FPDFText_SetText(obj, ctypes.cast(ctypes.c_char_p(units), ctypes.POINTER(raw.FPDF_WCHAR)))
    raw.FPDFPageObj_Transform(obj, 1, 0, 0, 1, x, y)
    raw.FPDFPage_InsertObject(page, obj)
    del font


def word_style_table(path: Path) -> Path:
    """Rules as 0.5 pt filled rectangles, the merged cell's middle rule left out."""
    document = pdfium.PdfDocument.new()
    page = document.new_page(595, 842)
    for i, y in enumerate(YS):
        if i == 2:  # between the body rows: not across the merged middle column
            _box(page.raw, XS[0], y - 0.25, XS[1] - XS[0], 0.5)
            _box(page.raw, XS[2], y - 0.25, XS[3] - XS[2], 0.5)
        else:
            _box(page.raw, XS[0], y - 0.25, XS[-1] - XS[0], 0.5)
    for x in XS:
        _box(page.raw, x - 0.25, YS[-1], 0.5, YS[0] - YS[-1])
    for (c, r), words in {
        (0, 0): "No",
        (1, 0): "Lead",
        (2, 0): "Due",
        (0, 1): "1",
        (1, 1): "Merged",
        (0, 2): "2",
    }.items():
        _text(document.raw, page.raw, XS[c] + 5, YS[r] - 20, words)
    _text(document.raw, page.raw, XS[2] + 5, YS[1] - 20, "2025")
    _text(document.raw, page.raw, XS[2] + 5, YS[2] - 20, "2026")
    _text(document.raw, page.raw, XS[0], 500, "After the table")
    raw.FPDFPage_GenerateContent(page.raw)
    document.save(str(path))
    return path


def _chars(page: object) -> list[pdfgrid.Char]:
    textpage = page.get_textpage()  # type: ignore[attr-defined]
    text = textpage.get_text_range()
    out = [pdfgrid.Char(i, c, textpage.get_charbox(i)) for i, c in enumerate(text) if not c.isspace()]
    textpage.close()
    return out


def test_rules_drawn_as_thin_rectangles_make_a_grid_with_a_merged_cell(tmp_path: Path) -> None:
    document = pdfium.PdfDocument(str(word_style_table(tmp_path / "t.pdf")))
    page = document[0]
    (grid,) = pdfgrid.grids(page, 1)
    assert [round(x) for x in grid.xs] == XS and [round(y) for y in grid.ys] == YS
    merged = grid.cell_at(1, 1)
    assert merged is not None and grid.height(merged) == 2 and merged is grid.cell_at(2, 1)
    chars = _chars(page)
    placed = pdfgrid.place(chars, [grid])
    assert grid.rows() == [["No", "Lead", "Due"], ["1", "Merged", "2025"], ["2", "Merged", "2026"]]
    outside = "".join(c.text for c in chars if c.index not in placed)
    assert outside == "Afterthetable"  # what is outside the table stays outside it
    document.close()


def test_a_page_without_rules_has_no_grid(tmp_path: Path) -> None:
    document = pdfium.PdfDocument.new()
    page = document.new_page(595, 842)
    _text(document.raw, page.raw, 100, 700, "No  Lead  Due")
    raw.FPDFPage_GenerateContent(page.raw)
    assert pdfgrid.grids(page, 1) == []


def test_a_cell_s_wrapped_lines_are_joined_and_its_paragraphs_kept() -> None:
    def line(text: str, top: float, left: float = 105.0, width: float = 12.0) -> list[pdfgrid.Char]:
        return [
            pdfgrid.Char(0, c, (left + i * width, top - 12, left + (i + 1) * width, top)) for i, c in enumerate(text)
        ]

    cell = pdfgrid.Cell(100, 500, 190, 700)  # room for 7 characters of 12 pt
    cell.chars = line("县人力资源和社", 690) + line("会保障局", 676)
    assert pdfgrid.cell_text(cell) == "县人力资源和社会保障局"
    cell.chars = line("县教育局", 690) + line("县科协", 676)
    assert pdfgrid.cell_text(cell) == "县教育局\n县科协"
    cell.chars = line("县卫生健康", 690) + line("局、县科协", 676)  # 「局、」 moved down together
    assert pdfgrid.cell_text(cell) == "县卫生健康局、县科协"

"""Small edits of WordprocessingML that keep the schema's order of elements: Word refuses a
document whose properties are out of order ("unreadable content"), LibreOffice does not mind."""

from __future__ import annotations

from typing import Any

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


# The order of the children of each properties element (ECMA-376 Part 1, §17), for what kpsy sets.
def _names(text: str) -> tuple[str, ...]:
    return tuple(text.split())


ORDER: dict[str, tuple[str, ...]] = {
    "pPr": _names(
        "pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr suppressLineNumbers pBdr shd tabs"
        " suppressAutoHyphens kinsoku wordWrap overflowPunct topLinePunct autoSpaceDE autoSpaceDN bidi"
        " adjustRightInd snapToGrid spacing ind contextualSpacing mirrorIndents suppressOverlap jc textDirection"
        " textAlignment textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange"
    ),
    "rPr": _names(
        "rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss imprint noProof snapToGrid"
        " vanish webHidden color spacing w kern position sz szCs highlight u effect bdr shd fitText vertAlign"
        " rtl cs em lang eastAsianLayout specVanish oMath"
    ),
    "tblPr": _names(
        "tblStyle tblpPr tblOverlap bidiVisual tblStyleRowBandSize tblStyleColBandSize tblW jc tblCellSpacing"
        " tblInd tblBorders shd tblLayout tblCellMar tblLook"
    ),
    "tcPr": _names(
        "cnfStyle tcW gridSpan hMerge vMerge tcBorders shd noWrap tcMar textDirection tcFitText vAlign hideMark"
    ),
    "pBdr": _names("top left bottom right between bar"),
    "tblCellMar": _names("top left start bottom right end"),
    "sectPr": _names(
        "headerReference footerReference footnotePr endnotePr type pgSz pgMar paperSrc pgBorders lnNumType"
        " pgNumType cols formProt vAlign noEndnote titlePg textDirection bidi rtlGutter docGrid printerSettings"
    ),
}


def local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def child(parent: Any, tag: str, **attrs: str) -> Any:
    """The child `tag` (w:name) of `parent`, made where the schema puts it if missing, with `attrs`
    set (names without prefix are w: names)."""
    name = tag.split(":")[-1]
    found = parent.find(W + name)
    if found is None:
        found = parent.makeelement(W + name, {})
        order = ORDER.get(local(parent.tag))
        if order is not None and name in order:
            rank = order.index(name)
            later = [c for c in parent if local(c.tag) in order and order.index(local(c.tag)) > rank]
            if later:
                later[0].addprevious(found)
            else:
                parent.append(found)
        else:
            parent.append(found)
    for key, value in attrs.items():
        found.set(key if key.startswith("{") else W + key, value)
    return found


def remove(parent: Any, tag: str) -> None:
    """Remove the child `tag` (w:name) of `parent`, if there is one."""
    found = parent.find(W + tag.split(":")[-1])
    if found is not None:
        parent.remove(found)

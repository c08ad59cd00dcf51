"""The GB/T 9704-2012 elements around a document's text, laid out in its .docx.

Templates write them as paragraphs in the reference document's styles (see `templates/_head.md.j2`
and `_foot.md.j2`); `lay_out` gives them their place on the page:

- 「征求意见稿」 (Draft Mark): 3号 黑体 on the first line of the first page, on the right;
- the 版头 in 文件格式 (Issuer Mark, §7.2): the red 发文机关标志 35 mm below the top of the type area,
  sized to one line of the type area (`fit_mark`: the fallback fonts are as wide as the real ones,
  a full-width character being one em in any of them), the 发文字号 centred two lines below it (with
  签发人, flush left and right one character in), and 4 mm below that a red line as wide as the type
  area;
- the 版头 in 信函格式 (Letter Issuer Mark, §10.1), in the first page's own header: the 发文机关标志
  30 mm from the top of the page, 4 mm below it a red double line (thick over thin) 170 mm long, the
  发文字号 flush right under it; 20 mm above the bottom of the page a red double line (thin over
  thick); no page number on the first page;
- the signature (§7.3.5): the date four characters in from the right, the issuer centred over it,
  two lines of room above them for the seal, and the signature never alone on its page;
- the 版记 (§7.4): 抄送 and 印发机关 / 印发日期 (the 信函格式 has 抄送 only, and no rules) in a
  frame at the foot of the type area of the last page, between rules as wide as the type area
  (0.35 mm first and last, 0.25 mm between);
- places left to fill in (【待填：…】) highlighted.
"""

from __future__ import annotations

import copy
import math
from typing import Any

from kpsy.documents.head import FILL
from kpsy.documents.ooxml import W, child
from kpsy.documents.reference import BODY_PT, CHAR_SPACING_TWIPS, FOOTER_PT, KAITI, LINE_TWIPS, MARK_PT
from kpsy.documents.tables import width

RED = "FF0000"

MARK_MIN_SCALE = 0.6  # narrowest the mark's characters are set (字符缩放) before it gets smaller
MM = 1440 / 25.4  # twips in a millimetre
LETTER_LINE_MM = 170  # the 信函格式's red double lines
CHAR_TWIPS = BODY_PT * 20 + CHAR_SPACING_TWIPS  # a 3号 character with the body's spacing
# Where the mark's characters sit in their line: its paragraph starts this far above them.
MARK_LEAD_MM = 2.0
DRAFT_AIR_MM = 4.0  # between 「征求意见稿」 and the 信函格式's mark

HEAD_STYLES = ("Draft Mark", "Issuer Mark", "Letter Issuer Mark", "Document Number", "Signer")
FOOT_STYLES = ("Copy To", "Imprint")


def _text(p: Any) -> str:
    return "".join(t.text or "" for t in p.iter(W + "t"))


def _style(p: Any, names: dict[str, str]) -> str:
    ppr = p.find(W + "pPr")
    style = ppr.find(W + "pStyle") if ppr is not None else None
    return names.get(style.get(W + "val"), "") if style is not None else ""


def lay_out(doc: Any, names: dict[str, str], *, landscape: bool = False) -> None:
    """Lay out the GB/T 9704 elements of a finished document; `names` maps style ids to names."""
    body = doc.element.body
    section = doc.sections[-1]
    area = _area(section)
    styled = [(p, _style(p, names)) for p in body.iterchildren(W + "p")]
    head = {name: p for p, name in styled[:8] if name in HEAD_STYLES}
    if "Letter Issuer Mark" in head:
        letterhead(doc, head, area)
    elif "Issuer Mark" in head:
        file_head(head, area)
    for i, (p, name) in enumerate(styled):
        if name == "Signature":
            if i:
                child(styled[i - 1][0].get_or_add_pPr(), "w:keepNext")  # the sender never stands alone on a page
            if i + 1 < len(styled) and styled[i + 1][1] == "Issue Date":
                centre_over(p, styled[i + 1][0])
    foot = _trailing(styled)
    if foot:
        imprint_frame(foot, area, (section.page_height - section.top_margin - section.bottom_margin) / 635)
    for p in [*head.values(), *(p for p, _ in foot)]:
        highlight_fill(p)


def _trailing(styled: list[tuple[Any, str]]) -> list[tuple[Any, str]]:
    """The 版记's paragraphs: the Copy To and Imprint paragraphs that end the document."""
    end = len(styled)
    while end and styled[end - 1][1] in FOOT_STYLES:
        end -= 1
    return styled[end:]


# --- the 版头 -----------------------------------------------------------------------------------


def fit_mark(p: Any, room: float) -> float:
    """Set the 发文机关标志 `p` red, as tall as `MARK_PT` and narrowed (字符缩放) to fit one line of
    `room` twips; smaller when even the narrowest setting would not fit. Its height (pt)."""
    ems = max(width(_text(p)), 1.0)
    usable = room * 0.96 / 20  # pt
    size, scale = float(MARK_PT), min(1.0, usable / (ems * MARK_PT))
    if scale < MARK_MIN_SCALE:
        size, scale = usable / (ems * MARK_MIN_SCALE), MARK_MIN_SCALE
    for r in p.iter(W + "r"):
        rpr = r.get_or_add_rPr()
        child(rpr, "w:color", val=RED)
        child(rpr, "w:spacing", val="0")
        child(rpr, "w:w", val=str(int(scale * 100)))
        child(rpr, "w:sz", val=str(int(size * 2)))
        child(rpr, "w:szCs", val=str(int(size * 2)))
    ppr = p.get_or_add_pPr()
    child(ppr, "w:spacing", before="0", after="0", line=str(round(size * 24)), lineRule="exact")
    child(ppr, "w:ind", left="0", right="0", firstLine="0", firstLineChars="0")
    child(ppr, "w:jc", val="center")
    return size


def _rule(ppr: Any, side: str, style: str, size: int, space: int, color: str = RED) -> None:
    """A border of paragraph properties `ppr`: `size` in eighths of a point, `space` in points."""
    borders = child(ppr, "w:pBdr")
    child(borders, f"w:{side}", val=style, sz=str(size), space=str(space), color=color)


def file_head(head: dict[str, Any], area: float) -> None:
    """The 版头 in 文件格式 (§7.2), in the body: mark 35 mm below the top of the type area, the
    发文字号 two lines below it, a red line 4 mm below that, the title two lines further down."""
    mark, number = head["Issuer Mark"], head.get("Document Number")
    size = fit_mark(mark, area)
    above = 35 * MM - (LINE_TWIPS if "Draft Mark" in head else 0) - MARK_LEAD_MM * MM
    child(mark.get_or_add_pPr(), "w:spacing", before=str(round(above)))
    last = number if number is not None else mark
    if number is not None:
        ppr = number.get_or_add_pPr()
        child(ppr, "w:spacing", before=str(2 * LINE_TWIPS - round(size * 4)), after="0")
        if "Signer" in head:
            _signer(number, head["Signer"], area)
    _rule(last.get_or_add_pPr(), "bottom", "single", 12, 11)
    child(last.get_or_add_pPr(), "w:spacing", after=str(2 * LINE_TWIPS))


def _signer(number: Any, signer: Any, area: float) -> None:
    """签发人 on the 发文字号's line (上行文): 文号 flush left one character in, 「签发人：」 and the name
    (楷体) flush right one character in."""
    from kpsy.documents.reference import _set_fonts

    ppr = number.get_or_add_pPr()
    child(ppr, "w:jc", val="left")
    child(ppr, "w:ind", left=str(CHAR_TWIPS), right=str(CHAR_TWIPS), firstLine="0", firstLineChars="0")
    tabs = child(ppr, "w:tabs")
    child(tabs, "w:tab", val="right", pos=str(round(area - CHAR_TWIPS - 20)))  # tab stops count from the margin
    label, _, name = _text(signer).partition("：")
    runs = signer.findall(W + "r")
    template = runs[0] if runs else number.makeelement(W + "r", {})
    for text, kai in (("\t" + label + "：", False), (name, True)):
        run = copy.deepcopy(template)
        for t in run.findall(W + "t"):
            run.remove(t)
        if text.startswith("\t"):
            run.append(run.makeelement(W + "tab", {}))
            text = text[1:]
        t = run.makeelement(W + "t", {"{http://www.w3.org/XML/1998/namespace}space": "preserve"})
        t.text = text
        run.append(t)
        if kai:
            _set_fonts(run.get_or_add_rPr(), KAITI)
        number.append(run)
    signer.getparent().remove(signer)


def letterhead(doc: Any, head: dict[str, Any], area: float) -> None:
    """The 版头 in 信函格式 (§10.1), moved into the first page's own header: mark 30 mm from the top
    of the page over a red double line 170 mm long, the 发文字号 flush right under it; the lower red
    double line 20 mm above the bottom of the page; no page number on the first page."""
    section = doc.sections[0]
    section.different_first_page_header_footer = True
    header = section.first_page_header._element
    for old in list(header):
        header.remove(old)
    draft = head.get("Draft Mark")
    mark, number = head["Letter Issuer Mark"], head.get("Document Number")
    fit_mark(mark, area)
    overhang = str(round((LETTER_LINE_MM * MM - area) / 2))
    ppr = mark.get_or_add_pPr()
    child(ppr, "w:ind", left="-" + overhang, right="-" + overhang)
    _rule(ppr, "bottom", "thickThinSmallGap", 24, 5)
    for p in (draft, mark, number):
        if p is not None:
            header.append(p)
    if number is not None:
        ppr = number.get_or_add_pPr()
        child(ppr, "w:jc", val="right")
        child(ppr, "w:ind", left="0", right="0", firstLine="0", firstLineChars="0")
        # the 文号's characters 7/8 of a character below the line: its line box starts higher
        child(
            ppr,
            "w:spacing",
            before=str(BODY_PT * 20 * 7 // 8 - (LINE_TWIPS - BODY_PT * 20) // 2),
            after=str(2 * LINE_TWIPS),
        )
    lead = 0.0
    if draft is not None:  # above the mark, with a little air
        child(draft.get_or_add_pPr(), "w:spacing", after=str(round(DRAFT_AIR_MM * MM)))
        lead = LINE_TWIPS + DRAFT_AIR_MM * MM
    section.header_distance = round((30 * MM - MARK_LEAD_MM * MM - lead) * 635)
    _lower_line(section)


LOWER_LINE_MM = 20  # the 信函格式's lower double line, above the bottom edge of the first page
LOWER_LINE_RISE_MM = 1.2  # how far above the footer's bottom edge a top rule prints (measured in LibreOffice)


def _lower_line(section: Any) -> None:
    """The 信函格式's lower red double line (thin over thick) 20 mm above the bottom of the first
    page, 170 mm long: the top rule of the first page's footer, which holds nothing else (no page
    number). The footers come down to it; the page numbers of the other pages stay where they were."""
    footer = section.first_page_footer._element
    for old in list(footer):
        footer.remove(old)
    p = footer.makeelement(W + "p", {})
    footer.append(p)
    ppr = p.get_or_add_pPr()
    overhang = str(round((LETTER_LINE_MM * MM - _area(section)) / 2))
    _rule(ppr, "top", "thickThinSmallGap", 24, 0)
    child(ppr, "w:spacing", before="0", after="0", line="20", lineRule="exact")
    child(ppr, "w:ind", left="-" + overhang, right="-" + overhang, firstLine="0", firstLineChars="0")
    distance = round((LOWER_LINE_MM - LOWER_LINE_RISE_MM) * MM * 635)
    lowered = section.footer_distance - distance
    section.footer_distance = distance
    for other in (section.footer, section.even_page_footer):
        for q in other._element.iterchildren(W + "p"):
            child(q.get_or_add_pPr(), "w:spacing", after=str(round(lowered / 635)))


def _area(section: Any) -> float:
    """The width of the section's type area, in twips."""
    return float((section.page_width - section.left_margin - section.right_margin) / 635)


# --- the signature --------------------------------------------------------------------------------


def centre_over(signature: Any, date: Any) -> None:
    """The issuer's name centred over the date, which stands four characters in from the right
    (§7.3.5); the name never further right than the edge."""
    chars = 4 + (width(_text(date)) - width(_text(signature))) / 2
    chars = max(chars, 0.0)
    child(
        signature.get_or_add_pPr(),
        "w:ind",
        right=str(round(chars * CHAR_TWIPS)),
        rightChars=str(round(chars * 100)),
    )


# --- the 版记 -------------------------------------------------------------------------------------


THICK, THIN = 8, 6  # the 版记's rules, in eighths of a point: 0.35 mm and 0.25 mm
RULE_SPACE = 1  # pt between a rule and the text


def imprint_frame(foot: list[tuple[Any, str]], area: float, height: float) -> None:
    """The 版记 (`foot`: its paragraphs and styles) at the foot of the last page's type area (`area`
    wide, `height` tall, twips), between rules unless it is a 信函格式's (抄送 alone).

    Each paragraph is a frame of its own, the last at the bottom of the type area, each one before
    it stacked right above, its height counted from its lines: LibreOffice makes no frame of
    consecutive framed paragraphs whose borders differ, nor of two frames that touch, so an empty
    hairline paragraph stands between them."""
    ruled = any(name == "Imprint" for _, name in foot)
    below = 0.0
    for i in reversed(range(len(foot))):
        p, name = foot[i]
        ppr = p.get_or_add_pPr()
        if name == "Imprint":
            _imprint_line(p, area)
        rules = [("top", THICK)] if ruled and i == 0 else []
        rules += [("bottom", THICK if i == len(foot) - 1 else THIN)] if ruled else []
        for side, size in rules:
            _rule(ppr, side, "single", size, RULE_SPACE, "000000")
        tall = _lines(_text(p), area, name) * LINE_TWIPS + sum(size * 20 / 8 + RULE_SPACE * 20 for _, size in rules)
        where = {"yAlign": "bottom"} if not below else {"y": str(round(height - below - tall))}
        child(
            ppr,
            "w:framePr",
            w=str(round(area)),
            wrap="notBeside",
            vAnchor="margin",
            hAnchor="margin",
            xAlign="center",
            **where,
        )
        if below:
            p.addnext(_hairline(p))
        below += tall


def _hairline(p: Any) -> Any:
    """An empty paragraph 1 pt tall (between two frames)."""
    q = p.makeelement(W + "p", {})
    ppr = q.get_or_add_pPr()
    child(ppr, "w:spacing", before="0", after="0", line="20", lineRule="exact")
    return q


def _lines(text: str, area: float, name: str) -> int:
    """Lines a 版记 paragraph takes: 4号, one character in on each side, 抄送's continuation lines
    under its first name."""
    one = FOOTER_PT * 20
    room = (area - 2 * one) / one
    if name != "Copy To" or width(text) <= room:
        return 1
    return 1 + math.ceil((width(text) - room) / (room - 3))


def _imprint_line(p: Any, area: float) -> None:
    """印发机关 on the left, 印发日期 on the right (the paragraph's last space becomes a tab)."""
    if not _tab_at_last_space(p):
        return
    ppr = p.get_or_add_pPr()
    tabs = child(ppr, "w:tabs")
    child(tabs, "w:tab", val="right", pos=str(round(area - FOOTER_PT * 20 - 20)))  # tab stops count from the margin


def _tab_at_last_space(p: Any) -> bool:
    """The last space of the paragraph's runs made a tab (tracked changes stay as they are); False
    when there is none."""
    for r in reversed(p.findall(W + "r")):
        t = r.find(W + "t")
        if t is None or not t.text or " " not in t.text:
            continue
        head, _, tail = t.text.rpartition(" ")
        after = copy.deepcopy(r)
        t.text = head
        t.addnext(r.makeelement(W + "tab", {}))
        after.find(W + "t").text = tail
        r.addnext(after)
        return True
    return False


# --- places to fill in ----------------------------------------------------------------------------


def highlight_fill(p: Any) -> None:
    """Highlight (yellow) the runs of `p` that hold a place to fill in (【待填：…】)."""
    marker = FILL.split("{")[0]
    for r in p.iter(W + "r"):
        if any(marker in (t.text or "") for t in r.findall(W + "t")):
            child(r.get_or_add_rPr(), "w:highlight", val="yellow")

"""What a document the office sends prints around its text (GB/T 9704-2012): the 版头 (发文机关标志,
发文字号, 签发人) and the 版记 (抄送, 印发机关, 印发日期), from the `issuer` record of settings.yaml.

`head` gives them to the templates (which write them as paragraphs in the reference document's
styles, laid out by `kpsy.documents.gbt9704`). Without an issuer record nothing is made up: the
places to fill in are marked in the document (`FILL`), and `head_problems` says what is missing.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import field

from kpsy.findings import Problem
from kpsy.i18n import msg
from kpsy.light import light
from kpsy.plan.model import IssuedDocument, IssuerSettings
from kpsy.plan.outline import PlanData

# The documents kpsy makes that an office sends under its own 版头, and the layout each takes when
# the issuer record does not say.
HEADED: dict[str, str] = {"letter": "信函格式", "bulletin": "文件格式"}

FILL = "【待填：{what}】"  # a place the clerk fills in; kpsy.documents.gbt9704 highlights it
BLANK_NUMBER = "\u3000\u3000"  # the 序号 of a 文号 left for the office to fill in: 〔2026〕　　号


@light
class Head:
    """A document's 版头 and 版记 as printed. `missing` names what the issuer record did not give
    (English field paths); each of those is a marked place to fill in."""

    format: str  # 信函格式 or 文件格式
    mark: str  # 发文机关标志
    number: str  # 发文字号: 青科素办函〔2026〕3号
    date: dt.date | None  # 印发日期 (the document's date; None: left to fill in)
    signer: str | None = None  # 签发人
    addressees: list[str] = field(default_factory=list)  # 主送
    copy_to: list[str] = field(default_factory=list)  # 抄送
    printer: str | None = None  # 印发机关 (None: the 信函格式 has none)
    missing: list[str] = field(default_factory=list)

    @property
    def letter_format(self) -> bool:
        return self.format == "信函格式"


def fill(what: str) -> str:
    """A marked place to fill in: 【待填：发文机关标志】."""
    return FILL.format(what=what)


def document_number(prefix: str, year: int | None, number: int | None) -> str:
    """发文字号 (GB/T 9704 §7.2.4): 机关代字〔年份〕序号号, the year in 六角括号, no 第 and no leading
    zeros; without a number (or a year), a blank to fill in."""
    shown = year if year is not None else BLANK_NUMBER * 2
    return f"{prefix}〔{shown}〕{number if number is not None else BLANK_NUMBER}号"


def head(plan: PlanData, document: str, date: dt.date | None, *, offset: int = 0) -> Head | None:
    """The 版头 and 版记 of `document` (letter, bulletin) dated `date`, or None for a document that has
    none. `offset` counts on from the record's number (the n-th of several letters written at once)."""
    if document not in HEADED:
        return None
    issuer = plan.settings.issuer
    own: IssuedDocument | None = getattr(issuer, document, None) if issuer is not None else None
    missing: list[str] = []
    if issuer is None:
        missing.append("issuer")
    elif own is None:
        missing.append(f"issuer.{document}")
    layout = own.format if own is not None else HEADED[document]
    if own is not None:
        number = own.number + offset if own.number is not None else None
        numbered = document_number(own.prefix, own.year or (date.year if date else None), number)
    else:
        numbered = document_number(fill("机关代字"), date.year if date else None, None)
    return Head(
        format=layout,
        mark=_mark(issuer, own),
        number=numbered,
        date=date,
        signer=own.signer if own is not None and layout == "文件格式" else None,
        addressees=list(own.addressees) if own is not None else [],
        copy_to=_copy_to(issuer, own),
        printer=None if layout == "信函格式" else (issuer.printer or issuer.name) if issuer else fill("印发机关"),
        missing=missing,
    )


def _mark(issuer: IssuerSettings | None, own: IssuedDocument | None) -> str:
    if own is not None and own.mark:
        return own.mark
    if issuer is not None:
        return issuer.mark or issuer.name
    return fill("发文机关标志")


def _copy_to(issuer: IssuerSettings | None, own: IssuedDocument | None) -> list[str]:
    if own is not None and own.copy_to is not None:
        return list(own.copy_to)
    return list(issuer.copy_to) if issuer is not None else []


def head_problems(plan: PlanData, document: str) -> list[Problem]:
    """What the issuer record lacks for `document`'s 版头 and 版记, as warnings located in settings.yaml."""
    made = head(plan, document, dt.date.today())
    if made is None or not made.missing:
        return []
    path, line, col = _settings_location(plan, "issuer" if plan.settings.issuer is not None else None)
    what = {"letter": msg("the task letters", "交办函"), "bulletin": msg("the 督查通报", "督查通报")}[document]
    if plan.settings.issuer is None:
        message = msg(
            "no issuer record: the 版头 (发文机关标志, 发文字号) and 版记 of {what} are left marked 【待填】 to fill in;"
            " add `issuer:` with name and {doc}: {{format, prefix}}",
            "没有发文机关（issuer）记录：{what}的版头（发文机关标志、发文字号）和版记留作【待填】；"
            "请添加 issuer:，写明 name 和 {doc}: {{format, prefix}}",
            what=what,
            doc=document,
        )
    else:
        message = msg(
            "issuer has no `{doc}` record: the 发文字号 of {what} is left marked 【待填】 (add {doc}: {{format, prefix}})",
            "issuer 中没有 {doc} 记录：{what}的发文字号留作【待填】（请添加 {doc}: {{format, prefix}}）",
            what=what,
            doc=document,
        )
    from kpsy.checks.rules import ISSUER

    return [ISSUER.problem(path, line, col, message)]


def _settings_location(plan: PlanData, key: str | None) -> tuple[str, int, int]:
    """settings.yaml as problems name it, and the line and column of the top-level `key` in it (0, 0
    when there is no such key, or no file)."""
    from kpsy.util import display_path

    path = plan.root / "settings.yaml"
    shown = display_path(path)
    if key is None:
        return shown, 0, 0
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return shown, 0, 0
    found = re.search(rf"(?m)^{re.escape(key)}\s*:", text)
    if found is None:
        return shown, 0, 0
    return shown, text.count("\n", 0, found.start()) + 1, 1

"""Who filed a sheet, for when: its hidden sheet (`layout.META`), the seal over it (`kpsy.sheets.seal`),
and the name of the file it comes back under, checked against each other.

The hidden sheet records the unit, the period, the plan, the file name it was issued under, the key
it was sealed with and the seal, then the task rows and the target rows as issued. A sheet whose
hidden sheet was changed, that was sealed with another key, or that carries no seal is refused
(unless the office takes sheets on trust: `trust_unsigned`, and then it is said), and so is a file
named as another unit's or another period's sheet.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from kpsy.findings import Level
from kpsy.i18n import msg
from kpsy.plan.model import Unit
from kpsy.plan.periods import ReportPeriod, parse_period
from kpsy.plan.units import UnitRegistry
from kpsy.sheets import layout, seal
from kpsy.sheets.book import Book, Sheet
from kpsy.sheets.cells import Collector
from kpsy.sheets.values import text_of

_PERIOD_PREFIX = re.compile(r"(\d{4}(?:Q[1-4]|-(?:0[1-9]|1[0-2]))?)-(.+)")


@dataclass
class Meta:
    """What the hidden sheet says the workbook is."""

    version: str
    unit: str
    period: str
    plan: str = ""
    issued: str = ""  # the file name it was issued under ("" when not known)
    key: str = ""  # the fingerprint of the key it was sealed with
    seal: str = ""
    tasks: list[tuple[str, str, str, str]] = field(default_factory=list)  # id, number, title, role
    targets: list[tuple[str, str]] = field(default_factory=list)  # id, indicator

    def fields(self) -> list[str]:
        return [layout.FORMAT, self.version, self.unit, self.period, self.plan, self.issued, self.key]

    def rows(self) -> list[list[str]]:
        return [list(t) for t in self.tasks] + [["target", *t] for t in self.targets]


def _rows(sheet: Sheet) -> list[list[str]]:
    """The hidden sheet's rows as text, a blank row where a row is missing."""
    rows: list[list[str]] = []
    last = 0
    for number in sheet.rows():
        if number > last + 1:
            rows.append([])
        values = {c: text_of(sheet.cells[(number, c)]) or "" for c in sheet.in_row(number) if c <= 4}
        rows.append([values.get(c, "") for c in range(1, 1 + max(values, default=0))])
        last = number
    return rows


def read_meta(book: Book, reader: Collector) -> Meta | None:
    """The hidden sheet's record, or None (with the problem said) when it is missing or unreadable."""
    sheet = book.sheets.get(layout.META)
    if sheet is None:
        reader.problem(
            "",
            "this is not a fill-in sheet made by kpsy (its hidden sheet {meta} is missing): fill in the sheet made by `kpsy progress sheet`",
            "这不是 kpsy 生成的填报表（缺少隐藏工作表 {meta}）：请使用 kpsy progress sheet 生成的表格填写，不要复制到新工作簿",
            meta=layout.META,
        )
        return None
    rows = _rows(sheet)
    if not rows or rows[0][:1] != [layout.FORMAT] or len(rows[0]) < 2:
        reader.problem(
            layout.META,
            "the hidden sheet was changed, or the sheet was made by another program: make a new one",
            "隐藏工作表已被修改，或不是 kpsy 生成的：请重新生成填报表",
        )
        return None
    values = {row[0]: row[1] for row in rows[1:] if len(row) >= 2 and row[0]}
    meta = Meta(rows[0][1], values.get("unit", ""), values.get("period", ""))
    for name in ("plan", "issued", "key", "seal"):
        setattr(meta, name, values.get(name, ""))
    _sections(rows, meta)
    if not meta.unit or not meta.period:
        reader.problem(
            layout.META, "the hidden sheet was changed: make a new sheet", "隐藏工作表已被修改：请重新生成填报表"
        )
        return None
    return meta


def _sections(rows: list[list[str]], meta: Meta) -> None:
    section = ""
    for row in rows[1:]:
        head = row[0] if row else ""
        if head in ("task", "target") and len(row) > 1 and row[1] in ("number", "indicator"):
            section = head
        elif not head:
            section = ""
        elif section == "task":
            number, title, role = ([*row[1:], "", "", ""])[:3]
            meta.tasks.append((head, number, title, role))
        elif section == "target":
            meta.targets.append((head, row[1] if len(row) > 1 else ""))


# --- the seal --------------------------------------------------------------------------------------


def check_seal(meta: Meta, key: bytes | None, key_file: str, reader: Collector, *, trust: bool) -> None:
    """Refuse (or, taken on `trust`, warn about) a sheet whose seal is missing, made with another
    key, or does not match what its hidden sheet says."""
    level = Level.WARNING if trust else Level.ERROR
    hint = msg(
        " (with --trust-unsigned the sheet is taken at its word)",
        "（如确认表格可信，可加 --trust-unsigned 导入）",
    )
    if not meta.seal:
        reader.problem(
            layout.META,
            "the sheet carries no seal (made by an older kpsy?): make and send a new sheet{hint}",
            "表格没有签名（由旧版 kpsy 生成？）：请重新生成并下发填报表{hint}",
            level=level,
            hint="" if trust else hint,
        )
    elif key is None:
        reader.problem(
            layout.META,
            "this plan folder has no sheet key ({path}), so the sheet's seal cannot be checked here: import it on the computer that made the sheets, or copy that computer's {path} here{hint}",
            "本计划文件夹没有填报表密钥（{path}），无法核验表格签名：请在生成填报表的电脑上导入，或把该电脑的 {path} 复制到本机{hint}",
            level=level,
            path=key_file,
            hint="" if trust else hint,
        )
    elif meta.key != seal.fingerprint(key):
        reader.problem(
            layout.META,
            "the sheet was sealed with another key ({theirs}; this plan folder's is {ours}): it was made on another computer, or its hidden sheet was changed{hint}",
            "表格签名所用密钥（{theirs}）与本计划文件夹的密钥（{ours}）不同：表格是在另一台电脑上生成的，或隐藏工作表被改动过{hint}",
            level=level,
            theirs=meta.key or "—",
            ours=seal.fingerprint(key),
            hint="" if trust else hint,
        )
    elif not seal.matches(key, meta.fields(), meta.rows(), meta.seal):
        reader.problem(
            layout.META,
            "the hidden sheet was changed after the sheet was made (its seal does not match): it says the sheet is {unit}'s for {period}; make and send a new sheet",
            "隐藏工作表在生成后被改动过（签名不符）：其中称本表为“{unit}”“{period}”的填报表，不予采信；请重新生成并下发填报表",
            unit=meta.unit,
            period=meta.period,
        )


# --- the file name ---------------------------------------------------------------------------------


def claimed_by_name(units: UnitRegistry, name: str) -> tuple[str, Unit] | None:
    """The period and unit a file name gives, when it is named as kpsy names sheets
    (2025-06-education-县教育局.xlsx, also with 「 (1)」 or 「-已填」 after it)."""
    found = _PERIOD_PREFIX.fullmatch(Path(name).stem)
    candidates = []
    if found:
        candidates.append((found.group(1), found.group(2)))
        if "-" in found.group(1):  # 2024-06-…: the month, or the year and a unit's position
            year, _, rest = found.group(1).partition("-")
            candidates.append((year, rest + "-" + found.group(2)))
    for period, rest in candidates:
        for unit in units:
            stem = units.file_stem(unit)
            position, _, _ = stem.partition("-")
            if rest.startswith(f"{position}-{unit.id}-") and parse_period(period) is not None:
                return period, unit
    return None


def check_file_name(
    units: UnitRegistry, name: str, meta: Meta, owner: Unit, period: ReportPeriod, reader: Collector
) -> None:
    """Refuse a sheet that comes back under the name of another unit's or another period's sheet
    (a unit returning a copy of someone else's sheet); warn when its name names another unit."""
    if name == meta.issued:
        return
    claimed = claimed_by_name(units, name)
    if claimed is not None and (claimed[1].id != owner.id or claimed[0] != period.text):
        other = parse_period(claimed[0])
        reader.problem(
            "",
            "the file is named as {unit}'s sheet for {period}, but the sheet was made for {owner}, {mine}{issued}: was another unit's sheet sent back as this one?",
            "文件名是{unit}{period}填报表的名称，但表格是为{owner}{mine}生成的{issued}：是否把其他单位的表格当作本单位的报送了？",
            unit=claimed[1].name,
            period=other.label if other else claimed[0],
            owner=owner.name,
            mine=period.label,
            issued=msg(" (as {n})", "（原文件名 {n}）", n=meta.issued) if meta.issued else "",
        )
        return
    others = _units_named(units, Path(name).stem, owner)
    if others:
        reader.warn(
            "",
            "the file name names {others}, but the sheet is {owner}'s: check that it was filed by {owner}",
            "文件名中有“{others}”，但表格属于{owner}：请核实报送单位",
            others="、".join(u.name for u in others),
            owner=owner.name,
        )


def _units_named(units: UnitRegistry, stem: str, owner: Unit) -> list[Unit]:
    """Other units whose name (or alias) the file name holds, when the owner's does not appear."""
    own = [owner.name, *owner.aliases, *([owner.full_name] if owner.full_name else [])]
    if any(n and n in stem for n in own):
        return []
    found = []
    for unit in units:
        names = [unit.name, *unit.aliases, *([unit.full_name] if unit.full_name else [])]
        if unit.id != owner.id and any(len(n) >= 3 and n in stem for n in names):
            found.append(unit)
    return found

"""Reading a workbook's cells one by one, collecting every problem at its sheet and cell in words a
clerk understands: `Collector` keeps the problems, and reads a cell as text, a number or a date
(`kpsy.sheets.values` says what a typed value means)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from kpsy.findings import Level
from kpsy.i18n import msg
from kpsy.sheets.book import Book, Cell, Sheet, coordinate
from kpsy.sheets.values import Month, ValueProblem, Window, date_of, number_of, shown, text_of, unwritable

Place = tuple[Sheet, int, int]  # a sheet, a row, a column


@dataclass(frozen=True)
class SheetProblem:
    """A problem in a workbook: the file, where in it (进展!E7, a sheet's name, or "" for the whole
    workbook), and what is wrong."""

    file: str
    where: str
    message: str
    level: Level = Level.ERROR

    @property
    def is_error(self) -> bool:
        return self.level is Level.ERROR

    def line(self) -> str:
        """One line for the person importing: 表.xlsx：进展!E7：状态“快完成了”不在可选值中."""
        warning = msg("warning: ", "警告：") if not self.is_error else ""
        if self.where:
            return msg(
                "{file}: {where}: {warning}{message}",
                "{file}：{where}：{warning}{message}",
                file=self.file,
                where=self.where,
                warning=warning,
                message=self.message,
            )
        return msg(
            "{file}: {warning}{message}",
            "{file}：{warning}{message}",
            file=self.file,
            warning=warning,
            message=self.message,
        )


def where(place: Place) -> str:
    """进展!E7."""
    sheet, row, column = place
    return f"{sheet.name}!{coordinate(row, column)}"


class Collector:
    """The problems of one workbook, collected while its cells are read."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[SheetProblem] = []
        self.bad: set[str] = set()  # cells already reported (formulas, error values)
        self.book: Book | None = None

    @property
    def errors(self) -> bool:
        return any(p.is_error for p in self.problems)

    def problem(self, at: str, en: str, zh: str, *, level: Level = Level.ERROR, **values: Any) -> None:
        self.problems.append(SheetProblem(self.file, at, msg(en, zh, **values), level))

    def at(self, place: Place, en: str, zh: str, **values: Any) -> None:
        self.problem(where(place), en, zh, **values)

    def warn(self, place: Place | str, en: str, zh: str, **values: Any) -> None:
        self.problem(place if isinstance(place, str) else where(place), en, zh, level=Level.WARNING, **values)

    def cell(self, place: Place) -> Cell | None:
        sheet, row, column = place
        found = sheet.cells.get((row, column))
        if found is None or where(place) in self.bad:
            return None
        if found.kind == "text" and isinstance(found.value, str) and not found.value.strip():
            return None
        return found

    def scan(self, sheet: Sheet) -> None:
        """Formulas, error values and merged cells anywhere in a sheet."""
        for first_row, first_column, last_row, last_column in sorted(sheet.merged):
            area = f"{coordinate(first_row, first_column)}:{coordinate(last_row, last_column)}"
            self.at(
                (sheet, first_row, first_column),
                "merged cells {range}: unmerge them (one value a cell, one task a row)",
                "合并了单元格 {range}：请取消合并（每个单元格一个值，每个任务一行）",
                range=area,
            )
        for (row, column), cell in sorted(sheet.cells.items()):
            place = (sheet, row, column)
            if cell.kind == "formula":
                self.bad.add(where(place))
                array = cell.formula.startswith("{")
                self.at(
                    place,
                    "the cell holds {what} ({formula}): type the value itself",
                    "单元格含{what_zh}（{formula}）：请直接填写数值或文字，不要使用公式",
                    what="an array formula" if array else "a formula",
                    what_zh="数组公式" if array else "公式",
                    formula=shown(cell.formula),
                )
            elif cell.kind == "error":
                self.bad.add(where(place))
                self.at(
                    place,
                    "the cell shows an error value ({value})",
                    "单元格显示错误值（{value}）",
                    value=shown(cell.value),
                )

    # --- values ------------------------------------------------------------------------------------

    def empty(self, place: Place) -> bool:
        cell = self.cell(place)
        return cell is None or text_of(cell) is None

    def text(self, place: Place, what: str, *, required: bool = False) -> str | None:
        """The text of a cell, line breaks kept; None when empty."""
        cell = self.cell(place)
        text = text_of(cell) if cell is not None else None
        if text is None:
            if required and where(place) not in self.bad:
                self.at(place, "{what} is empty", "{what}未填写", what=what)
            return None
        bad = unwritable(text)
        if bad:
            self.at(
                place,
                "{what} holds the invisible character {code}, which no file can keep: delete it",
                "{what}含不可见字符 {code}（控制字符或非字符），文件无法保存：请删除",
                what=what,
                code=bad,
            )
            return None
        return text

    def number(self, place: Place, what: str, *, low: float | None = None, high: float | None = None) -> float | None:
        cell = self.cell(place)
        if cell is None or text_of(cell) is None:
            return None
        try:
            number = number_of(cell)
        except ValueProblem as exc:
            self.at(place, "{what}: {why}", "{what}{why}", what=what, why=_join(str(exc)))
            return None
        if (low is not None and number < low) or (high is not None and number > high):
            self.at(
                place,
                "{what} {value:g} is outside {low:g} to {high:g}",
                "{what} {value:g} 超出 {low:g} 到 {high:g} 的范围",
                what=what,
                value=number,
                low=low if low is not None else float("-inf"),
                high=high if high is not None else float("inf"),
            )
            return None
        return number

    def date(
        self, place: Place, what: str, window: Window, *, required: bool = False, month: bool = False
    ) -> dt.date | Month | None:
        cell = self.cell(place)
        if cell is None or text_of(cell) is None:
            if required and where(place) not in self.bad:
                self.at(place, "{what} is empty", "{what}未填写", what=what)
            return None
        try:
            return date_of(cell, window, self.book.epoch if self.book else dt.datetime(1899, 12, 30), month=month)
        except ValueProblem as exc:
            self.at(place, "{what}: {why}", "{what}{why}", what=what, why=_join(str(exc)))
            return None


def _join(why: str) -> str:
    """A reason after a field's name: 填报日期“x”不是日期 reads without a colon in Chinese."""
    return why if why.startswith(("“", "'")) else "：" + why

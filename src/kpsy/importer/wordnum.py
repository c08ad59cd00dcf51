"""Word's automatic numbering, resolved into the numbers a reader sees.

A paragraph is numbered by Word when it (or its paragraph style, or a style that style is based on)
has `w:numPr`: a list instance (`w:numId`, in numbering.xml's `w:num`) and a level (`w:ilvl`). The
instance points at an abstract list (`w:abstractNum`) whose levels say where counting starts
(`w:start`), how a number is written (`w:numFmt`: decimal, chineseCounting, ideographTraditional,
decimalEnclosedCircle, upperLetter, …) and the text around it (`w:lvlText`, where %1 … %9 stand for
the counters of levels 1 … 9). An instance may restart levels (`w:lvlOverride/w:startOverride`) or
replace them (`w:lvlOverride/w:lvl`). Counters belong to the abstract list, so two instances of one
list without overrides continue each other, as Word shows them; a deeper level restarts when a
higher one is used (unless `w:lvlRestart` says otherwise). `w:isLgl` writes every counter in Arabic
digits. Bullets are not numbers: a bulleted paragraph gets no number.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kpsy.plan.numbering import CIRCLED, chinese_number

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
LEVELS = 9

_CN_DIGITS = "〇一二三四五六七八九"
_LEGAL = "零壹贰叁肆伍陆柒捌玖"
_HEAVENLY = "甲乙丙丁戊己庚辛壬癸"
_EARTHLY = "子丑寅卯辰巳午未申酉戌亥"
_ROMAN: tuple[tuple[int, str], ...] = (
    (1000, "M"),
    (900, "CM"),
    (500, "D"),
    (400, "CD"),
    (100, "C"),
    (90, "XC"),
    (50, "L"),
    (40, "XL"),
)
_ROMAN += ((10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))


def _roman(n: int) -> str:
    out = ""
    for value, letters in _ROMAN:
        while n >= value:
            out, n = out + letters, n - value
    return out


def _letters(n: int) -> str:
    """Word's alphabetic numbering: A … Z, AA … ZZ, AAA …"""
    return chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1)


def _chinese(n: int) -> str:
    return chinese_number(n) if 0 < n < 10000 else str(n)


def _cycle(symbols: str, n: int) -> str:
    return symbols[(n - 1) % len(symbols)] if n > 0 else str(n)


def _legal(n: int) -> str:
    return "".join(_LEGAL[int(d)] for d in str(n)) if n >= 0 else str(n)


FORMATS: dict[str, Any] = {
    "decimal": str,
    "decimalZero": lambda n: f"{n:02d}",
    "upperRoman": _roman,
    "lowerRoman": lambda n: _roman(n).lower(),
    "upperLetter": _letters,
    "lowerLetter": lambda n: _letters(n).lower(),
    "chineseCounting": _chinese,
    "chineseCountingThousand": _chinese,
    "taiwaneseCounting": _chinese,
    "taiwaneseCountingThousand": _chinese,
    "japaneseCounting": _chinese,
    "ideographTraditional": lambda n: _cycle(_HEAVENLY, n),
    "ideographZodiac": lambda n: _cycle(_EARTHLY, n),
    "ideographDigital": lambda n: "".join(_CN_DIGITS[int(d)] for d in str(n)),
    "taiwaneseDigital": lambda n: "".join(_CN_DIGITS[int(d)] for d in str(n)),
    "chineseLegalSimplified": _legal,
    "decimalEnclosedCircle": lambda n: CIRCLED[n - 1] if 0 < n <= len(CIRCLED) else str(n),
    "decimalEnclosedCircleChinese": lambda n: CIRCLED[n - 1] if 0 < n <= len(CIRCLED) else str(n),
    "decimalEnclosedParen": lambda n: f"({n})",
    "decimalEnclosedFullstop": lambda n: f"{n}.",
    "decimalFullWidth": lambda n: str(n).translate({ord(d): 0xFF10 + int(d) for d in "0123456789"}),
    "decimalFullWidth2": lambda n: str(n).translate({ord(d): 0xFF10 + int(d) for d in "0123456789"}),
    "decimalHalfWidth": str,
    "ordinal": lambda n: f"{n}.",
    "none": lambda n: "",
}
# What ends a number so that no gap is needed before the text: 一、 （一） 1． ①
_CLOSED = "、．.，,）)：:】]」』"


def format_number(fmt: str, n: int) -> str:
    """`n` written as numFmt `fmt` writes it (an unknown format as decimal)."""
    return str(FORMATS.get(fmt, str)(n))


@dataclass
class Level:
    """One level of a list: where it starts, how its numbers are written, the text around them."""

    start: int = 1
    fmt: str = "decimal"
    text: str | None = None  # lvlText; None: %<level>
    legal: bool = False  # isLgl: every counter in Arabic digits
    restart: int | None = None  # lvlRestart: None restarts after any higher level, 0 never
    suffix: str = "tab"  # tab, space or nothing
    style: str | None = None  # the paragraph style linked to this level


@dataclass
class Instance:
    """A list instance (w:num): its abstract list and its overrides."""

    abstract: str
    starts: dict[int, int] = field(default_factory=dict)  # ilvl -> startOverride
    levels: dict[int, Level] = field(default_factory=dict)  # ilvl -> a replacing w:lvl
    used: bool = False


def _val(element: Any, tag: str) -> str | None:
    child = element.find(W + tag) if element is not None else None
    return child.get(W + "val") if child is not None else None


def _int(value: str | None, default: int | None) -> int | None:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


def _level(element: Any) -> Level:
    legal = element.find(W + "isLgl")
    return Level(
        start=_int(_val(element, "start"), 1) or 0,
        fmt=_val(element, "numFmt") or "decimal",
        text=_val(element, "lvlText"),
        legal=legal is not None and legal.get(W + "val") not in ("0", "false", "off"),
        restart=_int(_val(element, "lvlRestart"), None),
        suffix=_val(element, "suff") or "tab",
        style=_val(element, "pStyle"),
    )


def _levels(element: Any) -> dict[int, Level]:
    out: dict[int, Level] = {}
    for lvl in element.findall(W + "lvl"):
        ilvl = _int(lvl.get(W + "ilvl"), None)
        if ilvl is not None and 0 <= ilvl < LEVELS:
            out[ilvl] = _level(lvl)
    return out


@dataclass
class StyleNumbering:
    based_on: str | None
    num_id: str | None
    ilvl: int | None


class WordNumbering:
    """The lists of one document, and their counters as the document is read in order."""

    def __init__(self, numbering: Any | None, styles: Any | None) -> None:
        self.abstracts: dict[str, dict[int, Level]] = {}
        self.links: dict[str, str] = {}  # abstract id -> the numbering style it takes its levels from
        self.instances: dict[str, Instance] = {}
        self.styles: dict[str, StyleNumbering] = {}
        self.default_style: str | None = None
        self.counters: dict[str, list[int | None]] = {}
        self.used = False  # whether any paragraph was numbered
        if numbering is not None:
            self._read_numbering(numbering)
        if styles is not None:
            self._read_styles(styles)

    def _read_numbering(self, root: Any) -> None:
        for abstract in root.findall(W + "abstractNum"):
            ident = abstract.get(W + "abstractNumId")
            if ident is None:
                continue
            self.abstracts[ident] = _levels(abstract)
            link = _val(abstract, "numStyleLink")
            if link:
                self.links[ident] = link
        for num in root.findall(W + "num"):
            ident, abstract_id = num.get(W + "numId"), _val(num, "abstractNumId")
            if ident is None or abstract_id is None:
                continue
            instance = Instance(abstract_id)
            for override in num.findall(W + "lvlOverride"):
                ilvl = _int(override.get(W + "ilvl"), None)
                if ilvl is None or not 0 <= ilvl < LEVELS:
                    continue
                start = _int(_val(override, "startOverride"), None)
                if start is not None:
                    instance.starts[ilvl] = start
                replacing = override.find(W + "lvl")
                if replacing is not None:
                    instance.levels[ilvl] = _level(replacing)
            self.instances[ident] = instance

    def _read_styles(self, root: Any) -> None:
        for style in root.findall(W + "style"):
            if style.get(W + "type") != "paragraph":
                continue
            ident = style.get(W + "styleId")
            if ident is None:
                continue
            ppr = style.find(W + "pPr")
            num_pr = ppr.find(W + "numPr") if ppr is not None else None
            self.styles[ident] = StyleNumbering(
                _val(style, "basedOn"),
                _val(num_pr, "numId") if num_pr is not None else None,
                _int(_val(num_pr, "ilvl"), None) if num_pr is not None else None,
            )
            if style.get(W + "default") in ("1", "true", "on"):
                self.default_style = ident

    def _style_numbering(self, style: str | None) -> tuple[str | None, int | None]:
        """(numId, ilvl) a paragraph style gives, following basedOn."""
        seen: set[str] = set()
        num_id: str | None = None
        ilvl: int | None = None
        while style is not None and style in self.styles and style not in seen:
            seen.add(style)
            entry = self.styles[style]
            if num_id is None and entry.num_id is not None:
                num_id = entry.num_id
            if ilvl is None and entry.ilvl is not None:
                ilvl = entry.ilvl
            style = entry.based_on
        return num_id, ilvl

    def _abstract_levels(self, abstract_id: str) -> dict[int, Level]:
        """An abstract list's levels; one that links to a numbering style takes that style's list's."""
        link = self.links.get(abstract_id)
        if link is not None and not self.abstracts.get(abstract_id):
            num_id, _ = self._style_numbering(link)
            instance = self.instances.get(num_id or "")
            if instance is not None and instance.abstract != abstract_id:
                return self.abstracts.get(instance.abstract, {})
        return self.abstracts.get(abstract_id, {})

    def _level_of(self, instance: Instance, ilvl: int) -> Level:
        if ilvl in instance.levels:
            return instance.levels[ilvl]
        return self._abstract_levels(instance.abstract).get(ilvl, Level())

    def resolve(self, ppr: Any | None) -> tuple[str, int] | None:
        """The (numId, ilvl) a paragraph with properties `ppr` is numbered by, or None."""
        num_pr = ppr.find(W + "numPr") if ppr is not None else None
        style = _val(ppr, "pStyle") if ppr is not None else None
        style = style or self.default_style
        num_id = _val(num_pr, "numId") if num_pr is not None else None
        ilvl = _int(_val(num_pr, "ilvl"), None) if num_pr is not None else None
        style_num, style_ilvl = self._style_numbering(style)
        num_id = num_id if num_id is not None else style_num
        if num_id is None or num_id == "0" or num_id not in self.instances:
            return None
        if ilvl is None:
            ilvl = style_ilvl
        if ilvl is None:
            levels = self._abstract_levels(self.instances[num_id].abstract)
            ilvl = next((i for i, level in levels.items() if level.style == style and style), 0)
        return num_id, max(0, min(ilvl, LEVELS - 1))

    def number(self, ppr: Any | None) -> tuple[str, bool] | None:
        """The number Word shows before a paragraph with properties `ppr`, with the gap after it
        ("一、", "第一章 "), and whether it is a bullet; None for a paragraph Word does not number.
        Counters advance: call it once for each paragraph, in document order."""
        found = self.resolve(ppr)
        if found is None:
            return None
        num_id, ilvl = found
        instance = self.instances[num_id]
        counters = self.counters.setdefault(instance.abstract, [None] * LEVELS)
        if not instance.used:
            instance.used = True
            for level_no in instance.starts:
                counters[level_no] = None
        level = self._level_of(instance, ilvl)
        if level.fmt == "bullet":
            return "", True
        value = counters[ilvl]
        counters[ilvl] = self._start(instance, ilvl) if value is None else value + 1
        for deeper in range(ilvl + 1, LEVELS):
            restart = self._level_of(instance, deeper).restart
            if restart is None or (restart != 0 and ilvl < restart):
                counters[deeper] = None
        self.used = True
        return self._text(instance, ilvl, level, counters), False

    def _start(self, instance: Instance, ilvl: int) -> int:
        if ilvl in instance.starts:
            return instance.starts[ilvl]
        return self._level_of(instance, ilvl).start

    def _text(self, instance: Instance, ilvl: int, level: Level, counters: list[int | None]) -> str:
        template = level.text if level.text is not None else f"%{ilvl + 1}"
        out = ""
        i = 0
        while i < len(template):
            c = template[i]
            if c == "%" and i + 1 < len(template) and template[i + 1] in "123456789":
                k = int(template[i + 1]) - 1
                value = counters[k]
                value = self._start(instance, k) if value is None else value
                fmt = "decimal" if level.legal else self._level_of(instance, k).fmt
                out += format_number(fmt, value)
                i += 2
                continue
            out += c
            i += 1
        if out and level.suffix != "nothing" and out[-1] not in _CLOSED:
            out += " "
        return out

"""Numbers, dates and time ranges (GB/T 15835-2011 《出版物上数字用法》, GB/T 15834-2011 4.13), and the
发文字号 of an official document (GB/T 9704-2012 7.2.4)."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from kpsy.checks.proof.base import Hit, after, before, is_chinese, is_ideograph, paired, proof_rule, whole_rule
from kpsy.findings import Level
from kpsy.i18n import msg

WIDE_DIGITS = "０１２３４５６７８９"
_NARROW = str.maketrans(WIDE_DIGITS + "．％", "0123456789.%")


_ANY_WIDE = re.compile(f"[{WIDE_DIGITS}％]")


def narrow_digits(text: str) -> str:
    """`text` with full-width digits (and their ．％) made half-width: the same length, so that
    what a rule finds in it is at the same place in `text`."""
    return text.translate(_NARROW) if _ANY_WIDE.search(text) else text


# --- time ranges -----------------------------------------------------------------------------

_YEAR = r"(?:1[89]|2[01])\d\d"
_SEP = r"(?P<sep>——|──|--|[-－–―‐‑‒−一~—～至到])"
_POINT = rf"{_YEAR}年(?:\d{{1,2}}月(?:\d{{1,2}}日)?)?|\d{{1,2}}月(?:\d{{1,2}}日)?"
_RANGE = re.compile(
    rf"(?=\d)(?:(?<![0-9A-Za-z.\-/:])(?P<a>{_YEAR})(?P<sep0>——|──|--|[-－–―‐‑‒−一~—～至到])(?P<b>{_YEAR})(?P<unit>年度|年)?(?![\d\-])"
    rf"|(?P<pa>{_POINT}){_SEP}(?P<pb>{_POINT}|\d{{1,2}}日)"
    rf"|(?<![0-9A-Za-z.\-/:])(?P<ma>\d{{1,2}})(?P<sep1>[-－–―‐‑‒−一~—～至到])(?P<mb>\d{{1,2}})(?P<munit>月|日))"
)
HYPHENS = frozenset(["-", "－", "–", "―", "‐", "‑", "‒", "−", "一", "~", "——", "──", "--"])


def _style(sep: str) -> str:
    """dash (—, and what becomes it), wave (～) or word (至, 到)."""
    return "wave" if sep == "～" else "word" if sep in "至到" else "dash"


def time_ranges(text: str) -> Iterator[tuple[int, int, int, int]]:
    """(start, end, separator start, separator end) of each time range in `text`: 2021-2025年,
    2021年—2025年, 2023年3月至6月, 3～6月, （2021-2025）. Dates (2023-04-06), telephone numbers,
    standard numbers (GB/T 9704-2012) and descending years are not ranges."""
    view = narrow_digits(text)
    for m in _RANGE.finditer(view):
        sep = next(g for g in ("sep0", "sep", "sep1") if m.group(g) is not None)
        if _is_range(view, m):
            yield m.start(), m.end(), m.start(sep), m.end(sep)


def _is_range(view: str, m: re.Match[str]) -> bool:
    if m.group("a") is not None:
        a, b = int(m.group("a")), int(m.group("b"))
        if not a < b <= a + 100:
            return False
        if m.group("unit"):
            return True
        # without 年: in brackets, or with Chinese on both sides, and never after Latin letters (GB 2020-2021)
        head = view[: m.start()].rstrip(" ")
        if head[-1:].isascii() and head[-1:].isalpha():
            return False
        left, right = before(view, m.start()), after(view, m.end())
        return (left in "（(" and right in "）)") or (is_chinese(left) and is_chinese(right))
    if m.group("ma") is not None:
        a, b = int(m.group("ma")), int(m.group("mb"))
        top = 12 if m.group("munit") == "月" else 31
        return 0 < a < b <= top and before(view, m.start()) != "第"
    return True


@proof_rule("time-range-dash", "GB/T 15834-2011 4.13.3.2")
def time_range_dash(text: str) -> Iterator[Hit]:
    """The start and end of a period are joined by a dash, the 一字线: 「2021—2025年」,
    「2023年3月—6月」, 「3—6月」, not by a hyphen, an en dash, a full-width hyphen, the character 一,
    an ASCII tilde or a double dash. Left alone: dates written with hyphens (2023-04-06), telephone
    numbers, standard numbers (GB/T 9704-2012), 文号, and ranges already written with 一字线, with
    the wave dash ～ (which the standard allows) or with 至 (see `time-range-mixed`)."""
    for start, end, s0, s1 in time_ranges(text):
        if text[s0:s1] in HYPHENS:
            what = msg(
                "a period's start and end are joined by a dash —, not {sep}",
                "时间的起止用一字线“—”连接，不用“{sep}”",
                sep=text[s0:s1],
            )
            parts = ((s0, s1, "—"),)
            yield Hit(start, end, paired(text, start, end, parts), True, what, s0, parts=parts)


_TITLE = re.compile(r"《[^《》]*》")


def _in_titles(text: str) -> list[tuple[int, int]]:
    """The stretches of `text` inside 《》: a cited title is written as it was issued."""
    return [m.span() for m in _TITLE.finditer(text)] if "《" in text else []


def _outside(spans: list[tuple[int, int]], start: int) -> bool:
    return not any(a <= start < b for a, b in spans)


@whole_rule("time-range-mixed", "GB/T 15834-2011 4.13.3.2")
def time_range_mixed(texts: Sequence[str]) -> Iterator[tuple[int, Hit]]:
    """One document writes its periods one way: the dash (2021—2025年), the wave dash (2021～2025年)
    or words (2021年至2025年), not several. The way most of its periods are written is kept (the dash
    on a tie, which the standard prefers) and the others are pointed out; hyphens count as dashes
    (`time-range-dash` fixes them). Cited titles (in 《》) keep the wording they were issued with.
    Changing a period's wording is left to a person."""
    found = [(i, r) for i, text in enumerate(texts) for r in time_ranges(text) if _outside(_in_titles(text), r[0])]
    counts: dict[str, int] = {}
    for i, (_, _, s0, s1) in found:
        style = _style(texts[i][s0:s1])
        counts[style] = counts.get(style, 0) + 1
    if len(counts) < 2:
        return
    kept = max(("dash", "wave", "word"), key=lambda s: (counts.get(s, 0), s == "dash"))
    mark = {"dash": "—", "wave": "～", "word": "至"}[kept]
    for i, (start, end, s0, s1) in found:
        text = texts[i]
        if _style(text[s0:s1]) == kept:
            continue
        what = msg(
            "periods are written in several ways; most use {mark}", "时间起止的写法不统一：多数用“{mark}”", mark=mark
        )
        yield i, Hit(start, end, paired(text, start, end, ((s0, s1, mark),)), False, what, s0)


_SHORT_END = re.compile(rf"(?<![0-9A-Za-z.\-/:])(?P<a>{_YEAR})(?P<sep>——|--|[-－–―‐‑‒−一~—～至到])(?P<b>\d{{2}})(?=年)")


@proof_rule("year-abbreviated", "GB/T 15835-2011 5.1")
def year_abbreviated(text: str) -> Iterator[Hit]:
    """A year is written in full, also at the end of a period: 「2021—2025年」, not 「2021-25年」 or
    「2021—25年」. The year is the start's century and the two digits given; the dash of a hyphenated
    period is made a dash too."""
    view = narrow_digits(text)
    for m in _SHORT_END.finditer(view):
        start, end = int(m.group("a")), int(m.group("b"))
        year = start // 100 * 100 + end
        year += 100 if year <= start else 0
        if year - start > 50:  # not the end of a period that starts in that year
            continue
        sep = "—" if m.group("sep") in HYPHENS else m.group("sep")
        wanted = ((m.start("sep"), m.end("sep"), sep), (m.start("b"), m.end("b"), str(year)))
        parts = tuple(p for p in wanted if text[p[0] : p[1]] != p[2])
        what = msg("a year is written in full: {year}", "年份应写全：{year}", year=year)
        yield Hit(
            m.start(), m.end() + 1, paired(text, m.start(), m.end() + 1, parts), True, what, m.start("b"), parts=parts
        )


# --- digits ----------------------------------------------------------------------------------

_WIDE = re.compile(f"[{WIDE_DIGITS}][{WIDE_DIGITS}．]*[{WIDE_DIGITS}]％?|[{WIDE_DIGITS}]％?|(?<=[0-9])％")


@proof_rule("fullwidth-digits", "GB/T 15835-2011 5.1")
def fullwidth_digits(text: str) -> Iterator[Hit]:
    """Arabic numerals are half-width (half a character wide): 「2025年」「15%」, not 「２０２５年」「１５％」."""
    for m in _WIDE.finditer(text):
        what = msg("full-width digits: write them half-width", "全角数字：应使用半角阿拉伯数字")
        yield Hit(m.start(), m.end(), m.group().translate(_NARROW), True, what)


_CN_DIGIT = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "两": 2}
_AR_PERCENT = re.compile(r"(?<![\d.])\d+(?:\.\d+)?[%％]")
_CN_PERCENT = re.compile("百分之(?!百(?![零〇一二两三四五六七八九十点]))[零〇一二两三四五六七八九十百点]+")
_AR_YEAR = re.compile(rf"(?<![\d.]){_YEAR}(?=年)")
_CN_YEAR = re.compile("[〇零一二三四五六七八九]{4}(?=年)(?!年远景)")  # 二〇三五年远景目标 is a set phrase


def chinese_numeral(text: str) -> float | None:
    """十五 -> 15, 二十五 -> 25, 一百零五 -> 105, 三点五 -> 3.5, 一五 -> 15; None when it is not a number."""
    whole, _, fraction = text.partition("点")
    value = _whole(whole)
    if value is None or (fraction and not all(c in _CN_DIGIT for c in fraction)):
        return None
    return value + (float("0." + "".join(str(_CN_DIGIT[c]) for c in fraction)) if fraction else 0)


def _whole(text: str) -> int | None:
    if text and all(c in _CN_DIGIT for c in text):
        return int("".join(str(_CN_DIGIT[c]) for c in text))
    value = 0
    for unit, size in (("百", 100), ("十", 10)):
        if unit in text:
            head, _, text = text.partition(unit)
            digit = _CN_DIGIT.get(head) if head else 1
            if digit is None:
                return None
            value += digit * size
    text = text.lstrip("零〇")
    if len(text) > 1 or (text and text not in _CN_DIGIT):
        return None
    return value + (_CN_DIGIT[text] if text else 0)


def _arabic(kind: str, found: str) -> str | None:
    if kind == "percent":
        number = chinese_numeral(found[3:])
        return None if number is None else f"{number:g}%"
    return "".join(str(_CN_DIGIT[c]) for c in found)


def _chinese(kind: str, found: str) -> str | None:
    if kind == "percent":
        return None  # 百分之… in words is for a person to write
    return "".join("〇一二三四五六七八九"[int(c)] for c in found)


@whole_rule("number-style-mixed", "GB/T 15835-2011 4.3")
def number_style_mixed(texts: Sequence[str]) -> Iterator[tuple[int, Hit]]:
    """Numbers of one kind are written one way throughout (同类别同形式): percentages as 15% or as
    百分之十五, years as 2025年 or as 二〇二五年, not both. The way most of them are written is kept
    (Arabic numerals on a tie, as for every measured quantity) and the others are pointed out, with
    the number converted. Set phrases (百分之百, 二〇三五年远景目标) and cited titles (in 《》) are
    left alone."""
    for kind, arabic, chinese in (("percent", _AR_PERCENT, _CN_PERCENT), ("year", _AR_YEAR, _CN_YEAR)):
        titles = [_in_titles(text) for text in texts]
        ar = [
            (i, m)
            for i, t in enumerate(texts)
            for m in arabic.finditer(narrow_digits(t))
            if _outside(titles[i], m.start())
        ]
        cn = [(i, m) for i, t in enumerate(texts) for m in chinese.finditer(t) if _outside(titles[i], m.start())]
        if not ar or not cn:
            continue
        odd, convert = (cn, _arabic) if len(cn) <= len(ar) else (ar, _chinese)
        for i, m in odd:
            what = msg(
                "{kind} are written in Arabic and in Chinese numerals; most are written {most}",
                "{kind}的写法不统一：多数用{most}",
                kind={"percent": msg("percentages", "百分数"), "year": msg("years", "年份")}[kind],
                most=msg("in Arabic numerals", "阿拉伯数字") if odd is cn else msg("in Chinese numerals", "汉字数字"),
            )
            yield i, Hit(m.start(), m.end(), convert(kind, texts[i][m.start() : m.end()]), False, what)


# --- 发文字号 ----------------------------------------------------------------------------------

_DOC_NUMBER = re.compile(
    r"(?<=\w)(?P<open>[〔\[（(【［〖﹝｛{〈<「『])\s*(?P<year>\d{2,4})\s*"
    r"(?P<close>[〕\]）)】］〗﹞｝}〉>」』])\s*(?P<di>第)?\s*(?P<num>\d+)\s*号"
)
_CODE_STOP = set("据照按于经见和与及或的为在将由是")


def _code_start(text: str, i: int) -> int:
    """Where the 机关代字 before index `i` starts (for showing the whole 文号)."""
    j = i
    while j > 0 and i - j < 8 and "\u4e00" <= text[j - 1] <= "\u9fff" and text[j - 1] not in _CODE_STOP:
        j -= 1
    return j


@proof_rule("document-number", "GB/T 9704-2012 7.2.4", Level.ERROR)
def document_number(text: str) -> Iterator[Hit]:
    """A 发文字号 writes its year in full between the 六角括号 〔〕, and its serial number without
    第 and without leading zeros: 「国发〔2021〕9号」, not 「国发[2021]9号」, 「国发（2021）9号」,
    「国发【2021】09号」 or 「国发〔2021〕第9号」. A two-digit year (〔21〕) is pointed out, not changed."""
    view = narrow_digits(text)
    for m in _DOC_NUMBER.finditer(view):
        if not is_ideograph(before(view, m.start())):
            continue
        year, num = m.group("year"), m.group("num")
        right = f"〔{year if len(year) == 4 else '20' + year[-2:]}〕{int(num)}号"
        if view[m.start() : m.end()] == right:
            continue
        start = _code_start(view, m.start())
        safe = len(year) == 4
        what = msg(
            "a document number takes the full year in 〔〕 and a serial number without 第 or leading zeros",
            "发文字号应写作“〔年份〕序号号”：年份写全并用六角括号〔〕，序号不加“第”、不编虚位",
        )
        offending = m.start("open") if m.group("open") != "〔" or m.group("close") != "〕" else m.start("year")
        if safe and m.group("open") == "〔" and m.group("close") == "〕":
            offending = m.start("di") if m.group("di") else m.start("num")
        parts = ((m.start(), m.end(), right),)
        yield Hit(start, m.end(), paired(text, start, m.end(), parts), safe, what, offending, parts=parts)

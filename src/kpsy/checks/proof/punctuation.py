"""Punctuation as GB/T 15834-2011 《标点符号用法》 writes it in Chinese text."""

from __future__ import annotations

import re
from collections.abc import Iterator

from kpsy.checks.proof.base import (
    CJK_PUNCTUATION,
    Hit,
    after,
    before,
    has_ideograph,
    is_chinese,
    is_ideograph,
    paired,
    proof_rule,
)
from kpsy.findings import Level
from kpsy.i18n import msg

STANDARD = "GB/T 15834-2011"

# Each half-width mark, its Chinese form, its name and the clause that defines the Chinese form.
MARKS: dict[str, tuple[str, str, str, str]] = {
    ",": ("，", "comma", "逗号", "4.4"),
    ";": ("；", "semicolon", "分号", "4.6"),
    ":": ("：", "colon", "冒号", "4.7"),
    "?": ("？", "question mark", "问号", "4.2"),
    "!": ("！", "exclamation mark", "叹号", "4.3"),
    ".": ("。", "full stop", "句号", "4.1"),
    "(": ("（", "parentheses", "括号", "4.9"),
    ")": ("）", "parentheses", "括号", "4.9"),
    '"': ("“", "quotation marks", "引号", "4.8"),
}


def _half_width(name: tuple[str, str]) -> str:
    return msg(
        "Chinese text takes the full-width {en}, not the half-width one",
        "中文里用全角{zh}，不用半角",
        en=name[0],
        zh=name[1],
    )


def _point_hit(text: str, i: int) -> Hit | None:
    """A half-width , ; : ? ! at `i` next to Chinese text (and the spaces typed after it)."""
    mark = text[i]
    j = i + 1
    while j < len(text) and text[j] == " ":
        j += 1
    if before(text, i).isdigit() and after(text, i + 1).isdigit():
        return None  # 1,000 and 8:30
    if not (is_chinese(before(text, i)) or is_chinese(after(text, j))):
        return None
    end = j if is_chinese(after(text, j)) else i + 1
    full, en, zh, clause = MARKS[mark]
    return Hit(i, end, full, True, _half_width((en, zh)), clause=f"{STANDARD} {clause}")


_POINTS = re.compile(r"[,;:?!]")
_FULL_STOP = re.compile(r"(?<=\w)\.(?![.\d])")  # after a Chinese character: see halfwidth_punctuation


_PARENS = re.compile("[(（)）]")


def _pairs(text: str) -> Iterator[tuple[int, int]]:
    """(open, close) index pairs of parentheses that match, half-width or full-width."""
    stack: list[int] = []
    for m in _PARENS.finditer(text):
        if m.group() in "(（":
            stack.append(m.start())
        elif stack:
            yield stack.pop(), m.start()


def _chinese_pair(text: str, o: int, c: int) -> bool:
    """Whether a bracketed or quoted stretch is Chinese: what it holds, or what stands around it."""
    return has_ideograph(text[o + 1 : c]) or is_chinese(before(text, o)) or is_chinese(after(text, c + 1))


def _parentheses(text: str) -> Iterator[Hit]:
    if "(" not in text and ")" not in text:
        return
    for o, c in _pairs(text):
        half = [k for k in (o, c) if text[k] in "()"]
        if not half or not _chinese_pair(text, o, c):
            continue
        parts = tuple((k, k + 1, MARKS[text[k]][0]) for k in half)
        what = _half_width(("parentheses", "括号"))
        yield Hit(o, c + 1, paired(text, o, c + 1, parts), True, what, half[0], f"{STANDARD} 4.9", parts)


_DOUBLE_QUOTES = '"＂“”'
_DOUBLE = re.compile(f"[{_DOUBLE_QUOTES}]")
_CURLY = re.compile("[“”]")


def quote_marks(text: str) -> list[tuple[int, str]]:
    """Each double quotation mark of `text` and the form it should have (“ opening, ” closing):
    they alternate; [] when there is an odd number of them (which `unbalanced-brackets` reports)."""
    found = [m.start() for m in _DOUBLE.finditer(text)]
    if len(found) % 2:
        return []
    if all(text[i] in "“”" for i in found) and _nests(text, found):
        return []  # “…“…”…”: curly quotes nested, which `quote-direction` reports as nesting
    return [(i, "“" if k % 2 == 0 else "”") for k, i in enumerate(found)]


def _nests(text: str, found: list[int]) -> bool:
    """Curly quotes that match by their own directions and open a second level inside the first."""
    depth = deepest = 0
    for i in found:
        depth += 1 if text[i] == "“" else -1
        if depth < 0:
            return False
        deepest = max(deepest, depth)
    return depth == 0 and deepest > 1


def _ascii_quotes(text: str) -> Iterator[Hit]:
    marks = quote_marks(text)
    for (o, want_o), (c, want_c) in zip(marks[::2], marks[1::2], strict=True):
        half = [(k, want) for k, want in ((o, want_o), (c, want_c)) if text[k] in '"＂']
        if not half or not _chinese_pair(text, o, c):
            continue
        parts = tuple((k, k + 1, want) for k, want in half)
        what = _half_width(("quotation marks “”", "引号“”"))
        yield Hit(o, c + 1, paired(text, o, c + 1, parts), True, what, half[0][0], f"{STANDARD} 4.8", parts)


@proof_rule("halfwidth-punctuation", f"{STANDARD} 4.1–4.9")
def halfwidth_punctuation(text: str) -> Iterator[Hit]:
    """Chinese text takes Chinese (full-width) punctuation: a half-width , ; : ? ! next to Chinese
    text, a full stop . after a Chinese character, parentheses ( ) and straight quotes " around or
    beside Chinese text become ，；：？！。（）“”. Left alone: marks between digits (1,000 and 8:30),
    in Latin text (Science (AAAS)), in web and e-mail addresses, and runs of dots (an ellipsis)."""
    for m in _POINTS.finditer(text):
        hit = _point_hit(text, m.start())
        if hit is not None:
            yield hit
    for m in _FULL_STOP.finditer(text):
        nxt = after(text, m.end())
        if is_ideograph(before(text, m.start())) and (not nxt or is_chinese(nxt)):
            what = _half_width(("full stop 。", "句号“。”"))
            yield Hit(m.start(), m.end(), "。", True, what, clause=f"{STANDARD} 4.1")
    yield from _parentheses(text)
    yield from _ascii_quotes(text)


@proof_rule("quote-direction", f"{STANDARD} 4.8")
def quote_direction(text: str) -> Iterator[Hit]:
    """Quotation marks open with “ and close with ”, in turn (”…“ is the wrong way round), and quotes
    inside quotes are single ‘’: “…‘…’…”."""
    for i, want in quote_marks(text):
        if text[i] in "“”" and text[i] != want:
            if want == "“":
                what = msg("quotation mark the wrong way round: this one opens (“)", "引号方向反了：此处应为前引号“")
            else:
                what = msg("quotation mark the wrong way round: this one closes (”)", "引号方向反了：此处应为后引号”")
            yield Hit(i, i + 1, want, True, what)
    found = [m.start() for m in _CURLY.finditer(text)]
    if found and len(found) == len(_DOUBLE.findall(text)) and _nests(text, found):
        yield from _nested_quotes(text, found)


def _nested_quotes(text: str, found: list[int]) -> Iterator[Hit]:
    stack: list[int] = []
    for i in found:
        if text[i] == "“":
            stack.append(i)
            continue
        o = stack.pop()
        if stack:  # this pair is inside another
            parts = ((o, o + 1, "‘"), (i, i + 1, "’"))
            what = msg("quotes inside quotes are single: ‘…’", "引号里面的引号用单引号‘’")
            yield Hit(o, i + 1, paired(text, o, i + 1, parts), True, what, parts=parts)


_TITLE_CLOSE = {"《": "》", "〈": "〉", "<": ">", "＜": "＞", "«": "»", "‹": "›"}
_TITLE_MARKS = re.compile("[《》〈〉<>＜＞«»‹›]")


def _title_pairs(text: str) -> Iterator[tuple[int, int, int]]:
    """(open, close, depth) of book-title marks, any form; an angle bracket counts only inside 《》."""
    stack: list[int] = []
    for m in _TITLE_MARKS.finditer(text):
        i, char = m.start(), m.group()
        if char in "《〈" or (char in "<＜«‹" and stack):
            stack.append(i)
        elif stack and char == _TITLE_CLOSE[text[stack[-1]]]:
            o = stack.pop()
            yield o, i, len(stack)
        elif char in "》〉" and stack:
            return  # crossed marks: `unbalanced-brackets` says so


@proof_rule("book-title-nesting", f"{STANDARD} 4.15")
def book_title_nesting(text: str) -> Iterator[Hit]:
    """A title inside a title is marked 〈〉 (《〈中国工人〉发刊词》), a third level 《》 again; never
    with < >, ＜＞, « » or a second 《》, and 〈〉 only inside 《》."""
    for o, c, depth in _title_pairs(text):
        want = ("《", "》") if depth % 2 == 0 else ("〈", "〉")
        if (text[o], text[c]) == want:
            continue
        parts = tuple((k, k + 1, w) for k, w in ((o, want[0]), (c, want[1])) if text[k] != w)
        if depth:
            what = msg(
                "a title inside 《》 is marked 〈〉, not {got}",
                "书名号内的书名用单书名号〈〉，不用{got}",
                got=text[o] + text[c],
            )
        else:
            what = msg(
                "a title is marked 《》; 〈〉 only inside 《》", "书名用双书名号《》，单书名号〈〉只用于书名号之内"
            )
        yield Hit(o, c + 1, paired(text, o, c + 1, parts), True, what, parts[0][0], parts=parts)


# Bracket families: openings, closings, and the clause. ( and （ are one family, so that （1) is seen.
_FAMILIES: tuple[tuple[str, str, str], ...] = (
    ("(（", ")）", "4.9"),
    ("《", "》", "4.15"),
    ("〈", "〉", "4.15"),
    ("【", "】", "4.9"),
    ("〔", "〕", "4.9"),
    ("「", "」", "4.8"),
    ("『", "』", "4.8"),
    ("［", "］", "4.9"),
)
_PAIRED = re.compile("[" + re.escape("".join(o + c for o, c, _ in _FAMILIES)) + "]")
# A closing bracket that numbers a list item (1） a) 一）) is not half of a pair.
_LIST_MARK = re.compile(r"(?:^|(?<=[。；：，、\s]))(?:\d{1,2}|[a-zA-Z]|[一二三四五六七八九十]{1,3})$")


def _unbalanced(text: str, marks: list[tuple[int, str]], opens: str, closes: str) -> Iterator[int]:
    stack: list[int] = []
    for i, char in marks:
        if char in opens:
            stack.append(i)
        elif char in closes:
            if stack:
                stack.pop()
            elif not _LIST_MARK.search(text, 0, i):
                yield i
    yield from stack


def _unbalanced_quotes(text: str) -> Iterator[int]:
    marks = [m.start() for m in _DOUBLE.finditer(text)]
    if len(marks) % 2 == 0:
        return
    stack: list[int] = []
    for i in marks:
        if text[i] == "“":
            stack.append(i)
        elif text[i] == "”" and stack:
            stack.pop()
        elif text[i] == "”":
            yield i
            return
    yield stack[-1] if stack else marks[-1]


@proof_rule("unbalanced-brackets", f"{STANDARD} 4.8, 4.9, 4.15", Level.ERROR)
def unbalanced_brackets(text: str) -> Iterator[Hit]:
    """Paired marks come in pairs within a text: （）, 《》, 〈〉, 【】, 〔〕, 「」, 『』 and “”. A closing
    bracket that numbers a list item (1）) is left alone. No change is suggested: only the writer
    knows where the missing half belongs."""
    marks = [(m.start(), m.group()) for m in _PAIRED.finditer(text)]
    for opens, closes, clause in _FAMILIES if marks else ():
        for i in _unbalanced(text, marks, opens, closes):
            what = msg(
                "{mark} has no matching {other}",
                "“{mark}”没有与之配对的“{other}”",
                mark=text[i],
                other=closes[-1] if text[i] in opens else opens[-1],
            )
            yield Hit(i, i + 1, None, False, what, clause=f"{STANDARD} {clause}")
    for i in _unbalanced_quotes(text):
        what = msg("this quotation mark has no partner", "此引号没有与之配对的引号")
        yield Hit(i, i + 1, None, False, what, clause=f"{STANDARD} 4.8")


_POINT_MARKS = "？！。；：，、"  # strongest first: the one kept when two differ (a question stays one)
_HALF_POINTS = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！"}
_DOUBLED = re.compile(r"[。，、；：？！,;:?!]{2,}")


@proof_rule("doubled-punctuation", f"{STANDARD} 4.1–4.7")
def doubled_punctuation(text: str) -> Iterator[Hit]:
    """One pause takes one point mark: 「。。」, 「，，」, 「，。」 or 「、，」 is a slip. The same mark
    typed twice is kept once (a safe change); two different marks are left for a person, with the
    stronger suggested. Question and exclamation marks may be doubled (？？ ！？, 5.1.2); three or
    more full stops are an ellipsis (`ellipsis`)."""
    for m in _DOUBLED.finditer(text):
        run = m.group()
        marks = [_HALF_POINTS.get(c, c) for c in run]
        if all(c in "？！" for c in marks) or (set(marks) == {"。"} and len(marks) > 2):
            continue
        if run.isascii() and not (is_chinese(before(text, m.start())) or is_chinese(after(text, m.end()))):
            continue
        same = len(set(marks)) == 1
        kept = min(marks, key=_POINT_MARKS.index)
        what = msg("doubled punctuation: one pause takes one mark", "标点重复：一处停顿只用一个点号")
        yield Hit(m.start(), m.end(), kept, same, what)


_ELLIPSIS = re.compile(r"\.{3,}|。{3,}|(?<!…)…(?!…)|…{3,}|·{3,}|．{3,}|、{3,}")


@proof_rule("ellipsis", f"{STANDARD} 4.11")
def ellipsis(text: str) -> Iterator[Hit]:
    """The ellipsis is six dots in two characters: 「……」, not 「...」, 「。。。」, 「…」 or 「···」."""
    for m in _ELLIPSIS.finditer(text):
        if m.group().startswith(".") and not (is_chinese(before(text, m.start())) or is_chinese(after(text, m.end()))):
            continue
        if m.group() == "……":
            continue
        what = msg("the ellipsis is written ……", "省略号写作“……”")
        yield Hit(m.start(), m.end(), "……", True, what)


_SPACES = " \u3000\u00a0"
_MARK = re.compile(f"[{CJK_PUNCTUATION}]")
_STRAY = re.compile(
    f"(?<=\\w)[{_SPACES}](?=\\w)"
    f"|(?<=[{CJK_PUNCTUATION}])[{_SPACES}]{{1,2}}(?=[^{_SPACES}])"
    f"|(?<=[^{_SPACES}])[{_SPACES}]{{1,2}}(?=[{CJK_PUNCTUATION}])"
)


@proof_rule("cjk-space", "")
def cjk_space(text: str) -> Iterator[Hit]:
    """Chinese is written without spaces: a space (half-width, full-width or no-break) between two
    Chinese characters, or one or two before or after a mark of Chinese punctuation, is a slip,
    often left by copying from Word or by a folded YAML line. Spaces beside Latin letters and digits
    (科普 e 站, 2025 年) are a matter of house style and are left alone, and so are longer runs
    (blanks to fill in: 年  月  日)."""
    for m in _STRAY.finditer(text):
        left, right = before(text, m.start()), after(text, m.end())
        if not (is_ideograph(left) and is_ideograph(right)) and not (_MARK.match(left) or _MARK.match(right)):
            continue
        what = msg("a stray space in Chinese text", "中文字符之间多了空格")
        yield Hit(m.start(), m.end(), "", True, what)

"""Diffs of the plan's words, word by word: a change is never cut inside a word, a number or a unit's
name, so that the office reads 「2021-2025年」改为「2026-2030年」, not 「21」改为「26」.

Text is cut into tokens: the units' names and other terms given (whole, longest first), numbers
with what they count (2021-2025年, 15%, 5项), runs of Latin letters and digits (5G), Chinese words
(from a segmenter: rjieba, the jieba dictionary compiled, loaded in about 0.1 s and only when a
diff needs it), each punctuation mark. Two texts are compared token by token with diff-match-patch,
with no clean-up that would strike and insert again words that did not change.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache

from kpsy.revisions.change import Ops

HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
DIGIT = "0-9０-９"
NUMBER = (
    rf"[{DIGIT}]+(?:[.．][{DIGIT}]+)?"
    rf"(?:\s*[-—–~～至到]\s*[{DIGIT}]+(?:[.．][{DIGIT}]+)?)?"
    r"(?:[%％‰]|[年月日号时项条个名人次家所座万亿元倍届批期类]|周岁)?"
)
LATIN = rf"[A-Za-z{DIGIT}]*[A-Za-z][A-Za-z{DIGIT}]*"
# Chinese numerals run together (十四五, 一百二十): the segmenter may cut them apart
NUMERALS = set("〇零一二三四五六七八九十百千万亿两")
PUNCTUATION = set("，。；：、！？“”‘’（）《》〈〉【】「」…—,.;:!?()[]\"' \n\t·／/")
SEGMENTS_LIMIT = 0xFFFFF - 0xF0000  # distinct tokens one comparison can encode


PATTERN = re.compile(f"({LATIN}|{NUMBER})|([{HAN}]+)|(.)", re.S)


@lru_cache(maxsize=64)
def _named(terms: tuple[str, ...]) -> re.Pattern[str] | None:
    """The terms, longest first, as one pattern that splits a text around them."""
    named = "|".join(re.escape(t) for t in sorted(set(terms), key=len, reverse=True) if t)
    return re.compile(f"({named})") if named else None


@lru_cache(maxsize=4096)
def _words(run: str) -> tuple[str, ...]:
    """A run of Chinese characters as words; numerals kept together."""
    import rjieba

    out: list[str] = []
    for word in rjieba.cut(run):
        if out and set(word) <= NUMERALS and set(out[-1]) <= NUMERALS:
            out[-1] += word
        else:
            out.append(word)
    return tuple(out)


def tokens(text: str, terms: Sequence[str] = (), around: tuple[int, int] | None = None) -> list[str]:
    """`text` cut into tokens that are never cut further: "".join(tokens(text)) == text. With
    `around` (start, end), only the runs of Chinese that reach into it are cut into words; the
    others (the same in both texts compared) stay whole, and need no dictionary."""
    named = _named(tuple(terms))
    pieces = named.split(text) if named is not None else [text]
    out: list[str] = []
    at = 0
    for i, piece in enumerate(pieces):
        if i % 2:  # a term
            out.append(piece)
        else:
            for match in PATTERN.finditer(piece):
                whole, han, _ = match.groups()
                if han is None:
                    out.append(whole if whole is not None else match.group())
                elif len(han) == 1 or (around and not around[0] <= at + match.end() <= around[1] + len(han)):
                    out.append(han)  # one character, or a run away from what differs
                else:
                    out += _words(han)
        at += len(piece)
    return out


def boundaries(text: str, terms: Sequence[str] = ()) -> set[int]:
    """The offsets in `text` where one token ends and the next begins (0 and len(text) included)."""
    at, found = 0, {0}
    for token in tokens(text, terms):
        at += len(token)
        found.add(at)
    return found


def text_ops(old: str, new: str, terms: Iterable[str] = (), same: Mapping[str, str] | None = None) -> Ops:
    """A word-level diff of two texts: each op's text is whole tokens, and joining the kept and
    deleted texts gives `old`, the kept and inserted ones `new`. No clean-up: a word kept is never
    shown struck and inserted again. `same` pairs words to align as one though they differ (a
    unit's old name with its new one): they are shown replaced where they stand."""
    return _diff(old, new, tuple(terms), semantic=False, same=same or {})


def common(old: str, new: str, terms: Iterable[str] = ()) -> int:
    """How many characters of `old` `new` carries, in runs of words a reader would call the same
    text (diff-match-patch's semantic clean-up drops words in common by chance)."""
    ops = _diff(old, new, tuple(terms), semantic=True)
    return sum(len(text) for op, text in ops if op == 0 and text.strip("，。；：、 \n"))


def _diff(old: str, new: str, terms: tuple[str, ...], *, semantic: bool, same: Mapping[str, str] | None = None) -> Ops:
    from diff_match_patch import diff_match_patch  # type: ignore[import-untyped]

    if old == new:
        return [(0, old)] if old else []
    dmp = diff_match_patch()
    dmp.Diff_Timeout = 2.0
    pairs = dict(same or {})
    named = (*terms, *pairs, *pairs.values())
    head, tail = _common(old, new)
    a, b = tokens(old, named, (head, len(old) - tail)), tokens(new, named, (head, len(new) - tail))
    codes: dict[str, str] = {}
    for token in (*a, *b):
        if token not in codes:
            if len(codes) >= SEGMENTS_LIMIT:  # more distinct words than codes: characters then
                return [(int(op), text) for op, text in dmp.diff_main(old, new)]
            codes[token] = codes[pairs[token]] if pairs.get(token) in codes else chr(0xF0000 + len(codes))
            if token in pairs and pairs[token] not in codes:
                codes[pairs[token]] = codes[token]
    found = dmp.diff_main("".join(codes[t] for t in a), "".join(codes[t] for t in b), False)
    if semantic:
        dmp.diff_cleanupSemantic(found)
    return _decode(found, a, b)


def _common(old: str, new: str) -> tuple[int, int]:
    """The lengths of the common beginning and of the common end of two texts (not overlapping)."""
    head = 0
    most = min(len(old), len(new))
    while head < most and old[head] == new[head]:
        head += 1
    tail = 0
    while tail < most - head and old[-1 - tail] == new[-1 - tail]:
        tail += 1
    return head, tail


def _decode(found: list[tuple[int, str]], a: list[str], b: list[str]) -> Ops:
    """The diff of the codes back to words: the words themselves, side by side, so that two words
    aligned as one but written differently are shown replaced."""
    out: Ops = []
    i = j = 0

    def add(op: int, text: str) -> None:
        if out and out[-1][0] == op:
            out[-1] = (op, out[-1][1] + text)
        elif text:
            out.append((op, text))

    for op, codes in found:
        for _ in codes:
            if op < 0:
                add(-1, a[i])
                i += 1
            elif op > 0:
                add(1, b[j])
                j += 1
            elif a[i] == b[j]:
                add(0, a[i])
                i, j = i + 1, j + 1
            else:
                add(-1, a[i])
                add(1, b[j])
                i, j = i + 1, j + 1
    return out

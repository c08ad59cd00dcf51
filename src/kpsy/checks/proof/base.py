"""What every proofreading rule shares: what a rule finds (`Hit`), how a rule is registered, and the
classes of characters that tell Chinese text from Latin text.

A proofreading rule reads one text of the plan at a time (a paragraph, a title, a progress note)
and yields hits: a stretch of the text, what it should read instead when one answer is right, and
whether changing it is safe (unambiguous, so that `kpsy proof --fix` makes the change). A rule that
compares texts with each other (mixed styles across the document) reads them all at once. Each is
one entry in the rule registry (`kpsy.findings.RULES`, stage "proof"), with the clause of the
standard it applies; its docstring is its documentation.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence

from kpsy.findings import Level, declare
from kpsy.light import light

Change = tuple[int, int, str]  # replace text[start:end] with this


@light(hashable=True)
class Hit:
    """What a rule found in one text: the stretch [start, end) it is about, the text `suggested` for
    that stretch (None when no single one is right), whether the change is `safe`, what is wrong
    (`what`, in the current language), the offending character (`at`; default `start`), a clause
    when it is more precise than the rule's own, and the change as the smallest replacements
    (`parts`; default: the whole stretch), so that two findings in one stretch can both be made."""

    start: int
    end: int
    suggested: str | None
    safe: bool
    what: str
    at: int = -1
    clause: str = ""
    parts: tuple[Change, ...] = ()

    @property
    def point(self) -> int:
        return self.start if self.at < 0 else self.at

    @property
    def changes(self) -> tuple[Change, ...]:
        if self.parts:
            return self.parts
        return ((self.start, self.end, self.suggested),) if self.suggested is not None else ()


def paired(text: str, start: int, end: int, parts: Sequence[Change]) -> str:
    """text[start:end] with `parts` (replacements inside it) made."""
    out, i = [], start
    for a, b, new in sorted(parts):
        out += [text[i:a], new]
        i = b
    out.append(text[i:end])
    return "".join(out)


TextCheck = Callable[[str], Iterator[Hit]]
WholeCheck = Callable[[Sequence[str]], Iterator[tuple[int, Hit]]]


def _each(check: TextCheck) -> WholeCheck:
    def run(texts: Sequence[str]) -> Iterator[tuple[int, Hit]]:
        for i, text in enumerate(texts):
            for hit in check(text):
                yield i, hit

    return run


def proof_rule(rule_id: str, clause: str, level: Level = Level.WARNING) -> Callable[[TextCheck], TextCheck]:
    """Register a rule that reads one text at a time; the decorated generator's docstring documents it."""

    def register(func: TextCheck) -> TextCheck:
        declare(rule_id, level, func.__doc__ or "", "proof", _each(func), clause)
        return func

    return register


def whole_rule(rule_id: str, clause: str, level: Level = Level.WARNING) -> Callable[[WholeCheck], WholeCheck]:
    """Register a rule that reads every text of the plan at once (yielding (index of the text, hit))."""

    def register(func: WholeCheck) -> WholeCheck:
        declare(rule_id, level, func.__doc__ or "", "proof", func, clause)
        return func

    return register


# --- characters ------------------------------------------------------------------------------

# Chinese punctuation: the full-width marks, curly quotes, the dash and the ellipsis.
CJK_PUNCTUATION = (
    "\u3001-\u3003\u3008-\u3011\u3014-\u301f\u2018\u2019\u201c\u201d\u2014\u2026\u00b7\uff01-\uff0f\uff1a-\uff20"
    "\uff3b-\uff40\uff5b-\uff65"
)
# (Compiling the ideographs' class into a pattern costs ten milliseconds at every start: the rules
# test characters with these functions instead.)
_PUNCTUATION = re.compile(f"[{CJK_PUNCTUATION}]")
_BLOCKS = ((0x4E00, 0x9FFF), (0x3400, 0x4DBF), (0xF900, 0xFAFF), (0x20000, 0x3134F))


def is_ideograph(char: str) -> bool:
    if not char:
        return False
    code = ord(char)
    return any(lo <= code <= hi for lo, hi in _BLOCKS)


def is_chinese(char: str) -> bool:
    """A Chinese character or a mark of Chinese punctuation."""
    return is_ideograph(char) or (bool(char) and _PUNCTUATION.match(char) is not None)


def has_ideograph(text: str) -> bool:
    return any(is_ideograph(c) for c in text)


def before(text: str, i: int) -> str:
    """The character before index `i` ("" at the start)."""
    return text[i - 1] if i > 0 else ""


def after(text: str, i: int) -> str:
    """The character at index `i` ("" past the end)."""
    return text[i] if 0 <= i < len(text) else ""


# Stretches of text that are not Chinese prose and that no rule reads: web and e-mail addresses.
_PROTECTED = re.compile(
    r"(?:https?|ftp)://[^\s，。；、）》”]+|www\.[^\s，。；、）》”]+|[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.ASCII
)


def protected(text: str) -> list[tuple[int, int]]:
    """The stretches of `text` no rule reads (web and e-mail addresses)."""
    if "://" not in text and "www." not in text and "@" not in text:
        return []
    return [m.span() for m in _PROTECTED.finditer(text)]


def shorten(text: str, most: int = 30) -> str:
    """`text` as a finding shows it: long stretches keep their ends, with … between."""
    if len(text) <= most:
        return text
    keep = (most - 1) // 2
    return text[:keep] + "…" + text[-keep:]

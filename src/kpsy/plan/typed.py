"""What people type: names, numbers and words pasted from a document, a chat or a spreadsheet.

`clean(text)` takes out the characters a reader cannot see (zero-width spaces, byte-order marks,
soft hyphens, direction marks, control characters) and says which it took out, so that the caller
can warn about them; `key(text)` is the form in which typed names are compared (full-width and
half-width alike, no spaces, letters in lower case), `unpunctuated(key)` the same without
punctuation; `close(typed, candidates)` keeps only the candidates near enough to `typed` to be
worth suggesting.
"""

from __future__ import annotations

import difflib
import functools
import unicodedata
from dataclasses import field

from kpsy.i18n import msg
from kpsy.light import light

# Characters that show nothing although they are not format characters (Unicode's
# Default_Ignorable_Code_Point beyond category Cf): the combining grapheme joiner, Hangul fillers,
# Khmer inherent vowels, Mongolian free variation selectors, variation selectors.
_IGNORABLE = {0x034F, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x3164, 0xFFA0}
_IGNORABLE_RANGES = ((0x180B, 0x180F), (0xFE00, 0xFE0F), (0xE0100, 0xE01EF))


@functools.cache
def is_invisible(char: str) -> bool:
    """Whether `char` shows nothing on screen but changes the text: format and control characters
    (tab and line breaks aside) and the other default-ignorable code points."""
    category = unicodedata.category(char)
    if category == "Cf" or (category == "Cc" and char not in "\t\n\r"):
        return True
    code = ord(char)
    return code in _IGNORABLE or any(low <= code <= high for low, high in _IGNORABLE_RANGES)


def describe(char: str) -> str:
    """A character as Unicode names it: U+200B ZERO WIDTH SPACE."""
    return f"U+{ord(char):04X} {unicodedata.name(char, 'CONTROL CHARACTER')}"


@light
class Cleaned:
    """Typed text without its invisible characters, and which were taken out (described, each once)."""

    text: str
    removed: list[str] = field(default_factory=list)

    def warning(self, what: str) -> str | None:
        """The warning to show when characters were taken out of `what` (--unit, NAME), else None."""
        if not self.removed:
            return None
        return msg(
            "warning: {what} contained invisible character(s) {chars_en}; they were removed and “{text}” was used",
            "警告：{what} 中有不可见字符 {chars_zh}，已删除，按“{text}”处理",
            what=what,
            chars_en=", ".join(self.removed),
            chars_zh="、".join(self.removed),
            text=self.text,
        )


def _has_invisible(text: str) -> bool:
    return not (text.isascii() and text.isprintable()) and any(is_invisible(c) for c in set(text))


def clean(text: str) -> Cleaned:
    """`text` without invisible characters, with a description of each kind taken out."""
    if not _has_invisible(text):
        return Cleaned(text)
    removed = [c for c in text if is_invisible(c)]
    kept = "".join(c for c in text if not is_invisible(c))
    return Cleaned(kept, [describe(c) for c in dict.fromkeys(removed)])


def key(text: str) -> str:
    """The form typed names are compared in: invisible characters and white space removed,
    full-width letters, digits and brackets as half-width ones (NFKC), letters in lower case."""
    if _has_invisible(text):
        text = clean(text).text
    return "".join(unicodedata.normalize("NFKC", text).split()).lower()


@functools.cache
def _punctuation(char: str) -> bool:
    return unicodedata.category(char).startswith("P")


def unpunctuated(keyed: str) -> str:
    """A key without its punctuation: 实施“干部专业化能力提升计划” as 实施干部专业化能力提升计划."""
    return "".join(c for c in keyed if not _punctuation(c))


def close(typed: str, candidates: dict[str, str], n: int = 3) -> list[str]:
    """The candidates near enough to `typed` to suggest, best first, each shown as its value in
    `candidates` (a candidate form -> what to show), at most `n`.

    An ASCII name is compared with ASCII candidates only (ids: youth-talen -> youth-talent). Other
    text must, besides being alike (a ratio of 0.6), share a character that is not common to the
    candidates: 县 and 局 begin and end most units' names, so 县气象局 is not near 县民政局 for them,
    while 县教育厅 is near 县教育局 for 教 and 育.
    """
    wanted = key(typed)
    if not wanted:
        return []
    ascii_wanted = wanted.isascii()
    forms = {key(form): shown for form, shown in candidates.items() if key(form)}
    forms = {form: shown for form, shown in forms.items() if form.isascii() == ascii_wanted}
    if not forms:
        return []
    scored: list[tuple[float, str]] = []
    if ascii_wanted:
        for form, shown in forms.items():
            ratio = difflib.SequenceMatcher(None, wanted, form).ratio()
            if ratio >= 0.75 or (len(wanted) >= 3 and form.startswith(wanted)):
                scored.append((ratio, shown))
    else:
        # A character is common when the names of more than a quarter of the candidates have it.
        chars_of: dict[str, set[str]] = {}
        for form, shown in forms.items():
            chars_of.setdefault(shown, set()).update(form)
        counts: dict[str, int] = {}
        for chars in chars_of.values():
            for char in chars:
                counts[char] = counts.get(char, 0) + 1
        common = {char for char, count in counts.items() if count > max(1, len(chars_of) // 4)}
        distinctive = set(wanted) - common
        for form, shown in forms.items():
            if not distinctive & set(form):
                continue
            ratio = difflib.SequenceMatcher(None, wanted, form).ratio()
            if ratio >= 0.6:
                scored.append((ratio, shown))
    best: dict[str, float] = {}
    for ratio, shown in scored:
        best[shown] = max(ratio, best.get(shown, 0.0))
    return sorted(best, key=lambda shown: -best[shown])[:n]

"""Typing slips: a character or a word typed twice.

Chinese doubles characters on purpose (常常, 人人, 天天, 看看, 方方面面, 研究研究) and across word
boundaries (工作作风, 协会会员, 为了了解), so a doubled character is a slip only when it is a function
word that no word of the language doubles (的的, 了了, 于于), and only outside the words that do hold
it (目的的, 不了了之, 是是非非). A doubled word (工作工作) is a slip unless it is one of the
reduplications the language uses.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from kpsy.checks.proof.base import Hit, is_ideograph, proof_rule
from kpsy.i18n import msg

# Function words that are never doubled, and the context in which the pair is part of real words:
# a pattern tried on the two characters before and the two after the pair.
SLIPS: dict[str, str] = {
    "的": r"[目标有]$|^确",
    "了": r"^[解之]|不$",
    "是": r"[但还于就凡总只可要若倒硬真或不都正却也便即乃实算像而更]$|^[否非]",
    "在": r"[存现正所自实内外好]$",
    "和": r"[平温缓柔总饱随调祥谦暖附共讲议人中]$",
    "与": r"[参给赋授寄施付干]$",
    "及": r"[以涉普波顾论危企不提惠触遍推来]$",
    "并": r"[合兼吞]$",
    "把": r"[一]$",
    "从": r"[服顺随盲听主无]$",
    "被": "",
    "于": "",
    "而": "",
    "或": "",
    "也": "",
    "又": "",
    "吗": "",
    "呢": "",
    "之": "",
    "们": "",
}
# Words that are doubled on purpose (ABAB): verbs tried out (研究研究) and colours made vivid.
REDUPLICATED = frozenset(
    [
        "研究",
        "讨论",
        "商量",
        "学习",
        "考虑",
        "了解",
        "休息",
        "介绍",
        "锻炼",
        "活动",
        "交流",
        "检查",
        "整理",
        "打扫",
        "收拾",
        "比较",
        "琢磨",
        "熟悉",
        "认识",
        "体验",
        "尝试",
        "打听",
        "清点",
        "雪白",
        "通红",
        "冰凉",
        "笔直",
        "碧绿",
        "火红",
        "漆黑",
        "崭新",
        "滚烫",
        "蜡黄",
        "轻松",
        "高兴",
        "热闹",
        "暖和",
        "凉快",
        "明白",
    ]
)
_DOUBLED_CHAR = re.compile(f"([{''.join(SLIPS)}])\\1")
_DOUBLED_WORD = re.compile(r"(\w{2,6})\1")  # words of Chinese characters: see doubled_character
_ALLOW = {char: re.compile(pattern) for char, pattern in SLIPS.items() if pattern}


def _real_words(text: str, start: int) -> bool:
    """Whether the pair at `start` belongs to words: 是是非非 and 实实在在 (two doubled pairs), or a
    word the pair's pattern in SLIPS names (目的的, 为了了解)."""
    char, nxt = text[start], text[start + 2 : start + 4]
    if len(nxt) == 2 and nxt[0] == nxt[1]:
        return True
    if start >= 2 and text[start - 2] == text[start - 1] != char:
        return True
    allow = _ALLOW.get(char)
    return allow is not None and bool(allow.search(text[max(0, start - 2) : start]) or allow.search(nxt))


@proof_rule("doubled-character", "")
def doubled_character(text: str) -> Iterator[Hit]:
    """A character or a word typed twice: a doubled function word (的的, 了了, 于于, 们们) outside the
    words that hold the pair (目的的, 为了了解, 不了了之, 是是非非, 实实在在), and a word typed twice
    (工作工作, 科学素质科学素质). Left alone: the reduplications of the language (常常, 人人, 天天,
    看看, 方方面面, 研究研究, 一步一步). A typing slip is in no standard; the change is left to a person."""
    for m in _DOUBLED_CHAR.finditer(text):
        if not _real_words(text, m.start()):
            what = msg("a character typed twice", "字重复：疑为录入差错")
            yield Hit(m.start(), m.end(), m.group(1), False, what)
    for m in _DOUBLED_WORD.finditer(text):
        word = m.group(1)
        if (
            not all(is_ideograph(c) for c in word)
            or word in REDUPLICATED
            or (len(word) == 2 and word[0] in "一每")
            or len(set(word)) == 1
        ):
            continue
        what = msg("a word typed twice", "词语重复：疑为录入差错")
        yield Hit(m.start(), m.end(), word, False, what)

"""Responsibility as documents of the genre write it, parsed into units and a form that gives the
words back exactly.

The shapes are those of `kpsy.importer.conventions.RESPONSIBILITY`: a sentence 「由A、B牵头，C、D等
单位参加。」 (with a subject, 「本行动由…」, or a label, 「责任分工：」, before it, or in parentheses);
label lines 「牵头单位：A」「责任单位：…」「配合单位：…」, alone or in parentheses; 「（各成员单位）」.
A list's units are replaced by slots in the form ({leads}, {participants}, {etc}, {collective}; see
`Responsibility.form`), so that `kpsy.plan.text.responsibility_line` writes the line as the
document did. Names are split as `kpsy.importer.units.split_list` splits them.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kpsy.i18n import msg
from kpsy.importer import conventions as conv
from kpsy.importer.units import LEAD_MARK, looks_like_unit, split_list
from kpsy.plan.collectives import collective_of

LABEL = "|".join(conv.LABELS)
_LABEL_SEGMENT = re.compile(rf"({LABEL})([：:])((?:(?!(?:{LABEL})[：:])[^；;。])+)")
_NAME = r"(?:[^，,；;。：:（）()]|[（(][^，,；;。：:（）()]{1,12}[）)])"
_SENTENCE = re.compile(
    rf"^(?P<open>[（(]?)(?P<label>(?:{'|'.join(conv.SENTENCE_LABELS)})[：:])?(?P<subject>{'|'.join(conv.SUBJECTS)})?"
    rf"(?P<by>由?)(?P<L>{_NAME}+?)(?P<lead>{'|'.join(conv.LEAD_VERBS)}|负责)"
    rf"(?:(?P<sep>[，,；;])(?P<P>{_NAME}+?)(?P<pverb>(?:(?<=等)(?:相关|有关|其他)?(?:单位|部门))?(?:{'|'.join(conv.PART_VERBS)})))?"
    r"(?P<close>[。；;]?[）)]?[。；;]?)$"
)
_COLLECTIVE_ONLY = re.compile(r"^(?P<open>[（(])(?P<C>[^（）()，。；]{2,30})(?P<close>[）)][。；]?)$")
# words that make a text look like a statement of responsibility
_HINT = re.compile(
    rf"牵头|{LABEL}|责任分工|由[^（）()，,。]{{2,60}}负责[，,][^（）()]{{2,200}}(?:{'|'.join(conv.PART_VERBS)})"
)
_WHOLE = re.compile(
    rf"^[（(]?(?:(?:{'|'.join(conv.SENTENCE_LABELS)})[：:])?(?:{'|'.join(conv.SUBJECTS)})?由[^。]*?(?:牵头|负责)"
    rf"(?:[，,；;][^。]*?(?:{'|'.join(conv.PART_VERBS)}))?[。；;]?[）)]?[。；;]?$"
    rf"|^[（(]?(?:{LABEL})[：:]"
)


@dataclass
class Parsed:
    """A responsibility statement: units by role as written, its form, and the shape it has."""

    leads: list[str] = field(default_factory=list)
    participants: list[str] = field(default_factory=list)
    etc: bool = False
    collective: str | None = None
    form: str = ""
    shape: str = ""  # the key of its convention


class NotUnderstood(Exception):
    """A text that states responsibility in a way kpsy cannot take apart; the message says why."""


def not_worded() -> str:
    return msg(
        "it is not worded as responsibility is (由…牵头, 牵头单位：…, 责任单位：…)",
        "不是责任分工的写法（由…牵头、牵头单位：…、责任单位：…）",
    )


def _collective_only(text: str) -> re.Match[str] | None:
    m = _COLLECTIVE_ONLY.match(text)
    if m is None:
        return None
    names = re.split(r"[、，,]", m.group("C"))
    return m if all(collective_of(n) for n in names) else None


def looks_like_responsibility(text: str) -> bool:
    """Whether a parenthesis reads as a statement of responsibility."""
    return bool(_HINT.search(text)) or bool(_collective_only(text))


def is_statement(text: str) -> bool:
    """Whether a whole paragraph is worded as a statement of responsibility (and should be one)."""
    return bool(_WHOLE.match(text)) or bool(_collective_only(text))


def is_label_line(text: str) -> bool:
    """A label line (牵头单位：…), which may be followed by more of them."""
    return bool(re.match(rf"^[（(]?(?:{LABEL})[：:]", text))


def _slot(role: str, seps: list[str]) -> str:
    """The form's slot for a list joined by `seps`: {leads}, {leads/，}, {leads/、/和}."""
    if not seps:
        return "{" + role + "}"
    first, last = seps[0], seps[-1]
    if all(s == first for s in seps):
        return "{" + role + ("" if first == "、" else "/" + first) + "}"
    if all(s == first for s in seps[:-1]):
        return "{" + role + "/" + first + "/" + last + "}"
    raise NotUnderstood(
        msg("the list is joined by {s} in no regular way", "名单用{s}连接，没有规律", s="、".join(dict.fromkeys(seps)))
    )


def take_list(text: str, role: str, parsed: Parsed, known: frozenset[str] = frozenset()) -> str:
    """Take the units of a list into `parsed` under `role`; the list's slot in the form. Collectives
    at the end of the list (各乡镇人民政府、各街道办事处) are the line's collective."""
    split = split_list(text, known)
    if split is None:
        raise NotUnderstood(msg("cannot split the list of units 「{t}」", "无法拆分单位名单「{t}」", t=text))
    names, seps, etc, etc_words = split
    tail = 0
    while tail < len(names) and collective_of(names[len(names) - 1 - tail]) is not None:
        tail += 1
    collective, joiner = None, ""
    if tail and not etc:
        cut = len(names) - tail
        collective = "".join(n + (seps[cut + k] if k < tail - 1 else "") for k, n in enumerate(names[cut:]))
        joiner = seps[cut - 1] if cut else ""
        names, seps = names[:cut], seps[: max(cut - 1, 0)]
    for name in names:
        if LEAD_MARK.search(name):
            raise NotUnderstood(
                msg(
                    "「{n}」 is marked as the lead where kpsy cannot keep the mark",
                    "「{n}」标注为牵头，但所在位置无法保留该标注",
                    n=name,
                )
            )
        if not looks_like_unit(name) or collective_of(name) is not None:
            raise NotUnderstood(msg("「{n}」 is not the name of a unit", "「{n}」不是单位名称", n=name))
    target = parsed.leads if role == "leads" else parsed.participants
    target += names
    slot = _slot(role, seps) if names else ""
    if etc:
        parsed.etc = True
        slot += "{etc}" + etc_words[1:]
    if collective is not None:
        if parsed.collective is not None:
            raise NotUnderstood(msg("it names collectives in two places", "两处列出集体名称"))
        parsed.collective = collective
        slot += joiner + "{collective}" if names else "{collective}"
    return slot


def parse(text: str, *, first_leads: bool = False, known: frozenset[str] = frozenset()) -> Parsed:
    """The responsibility `text` states (a whole statement: a sentence, a parenthesis, label lines
    joined by a line break). `first_leads`: a lone 责任单位 list's first unit leads and the others
    take part (the document says so), instead of all of them leading. `known`: names of units
    found elsewhere, which a list may join by 和."""
    if "{" in text or "}" in text:
        raise NotUnderstood(msg("it holds braces", "其中有花括号"))
    parsed = Parsed()
    unmarked = re.sub(r"[（(]牵头(?:单位)?[）)]", "", text).replace("牵头单位", "")
    has_lead_label = any(label in text for label in conv.LEAD_LABELS) or "牵头" in unmarked
    forms = [_parse_line(line, parsed, has_lead_label, first_leads, known) for line in text.split("\n")]
    if not parsed.leads and not parsed.participants and parsed.collective is None:
        raise NotUnderstood(msg("it names no unit", "没有列出单位"))
    parsed.form = "\n".join(forms)
    return parsed


def _parse_line(line: str, parsed: Parsed, has_lead_label: bool, first_leads: bool, known: frozenset[str]) -> str:
    if m := _collective_only(line):
        if parsed.collective is not None:
            raise NotUnderstood(msg("it names collectives in two places", "两处列出集体名称"))
        parsed.collective = m.group("C")
        parsed.shape = parsed.shape or "collective-only"
        return m.group("open") + "{collective}" + m.group("close")
    if m := _SENTENCE.match(line):
        return _sentence(line, m, parsed, known)
    return _labels(line, parsed, has_lead_label, first_leads, known)


def _sentence(line: str, m: re.Match[str], parsed: Parsed, known: frozenset[str]) -> str:
    if m.group("lead") == "负责" and not m.group("by"):
        raise NotUnderstood(not_worded())
    out = line[: m.start("L")] + take_list(m.group("L"), "leads", parsed, known)
    if m.group("P") is not None:
        out += line[m.end("L") : m.start("P")] + take_list(m.group("P"), "participants", parsed, known)
        out += line[m.end("P") :]
    else:
        out += line[m.end("L") :]
    if m.group("subject"):
        shape = "subject-sentence"
    elif m.group("label"):
        shape = "labelled-sentence"
    elif m.group("open"):
        shape = "parenthesised-sentence"
    else:
        shape = "closing-sentence"
    parsed.shape = parsed.shape or shape
    return out


def _labels(line: str, parsed: Parsed, has_lead_label: bool, first_leads: bool, known: frozenset[str]) -> str:
    segments = list(_LABEL_SEGMENT.finditer(line))
    if not segments:
        raise NotUnderstood(not_worded())
    out, pos = "", 0
    for seg in segments:
        gap = line[pos : seg.start()]
        if (pos and not re.fullmatch(r"[。；;，,\s]*", gap)) or (not pos and not re.fullmatch(r"[（(]?", gap)):
            raise NotUnderstood(msg("「{g}」 stands between its parts", "各部分之间夹有「{g}」", g=gap))
        label, units = seg.group(1), seg.group(3)
        tail = re.search(r"[）)]*$", units)
        closing = tail.group() if tail else ""
        if closing and units.count("（") + units.count("(") >= units.count("）") + units.count(")"):
            closing = ""  # the parenthesis belongs to a name: 各镇（街道）
        units = units[: len(units) - len(closing)] if closing else units
        if label in conv.LEAD_LABELS:
            role = "leads"
        elif label in conv.PART_LABELS:
            role = "participants"
        else:
            role = "participants" if has_lead_label else "leads"
        if role == "leads" and label in conv.RESP_LABELS and not has_lead_label:
            slot = _first_leads(units, parsed, first_leads, known)
        else:
            slot = take_list(units, role, parsed, known)
        out += gap + line[seg.start() : seg.start(3)] + slot + closing
        pos = seg.end()
    rest = line[pos:]
    if not re.fullmatch(r"[。；;）)]*", rest):
        raise NotUnderstood(msg("「{r}」 follows its units", "单位名单后还有「{r}」", r=rest))
    parsed.shape = parsed.shape or ("parenthesised-labels" if line.startswith(("（", "(")) else "label-lines")
    return out + rest


def _first_leads(units: str, parsed: Parsed, first_leads: bool, known: frozenset[str]) -> str:
    """责任单位：A、B、C where the first named leads (the document says so, or marks it 「（牵头）」):
    A leads, B and C take part; otherwise all of them lead."""
    split = split_list(units, known)
    marked = split is not None and bool(LEAD_MARK.search(split[0][0]))
    if split is None or (len(split[0]) == 1 and not marked) or not (first_leads or marked):
        return take_list(units, "leads", parsed, known)
    names, seps, etc, etc_words = split
    mark = LEAD_MARK.search(names[0])
    lead = LEAD_MARK.sub("", names[0])
    if any(LEAD_MARK.search(n) for n in names[1:]):
        raise NotUnderstood(msg("more than one unit is marked 「（牵头）」", "不止一个单位标注「（牵头）」"))
    for name in [lead, *names[1:]]:
        if not looks_like_unit(name) or collective_of(name) is not None:
            raise NotUnderstood(msg("「{n}」 is not the name of a unit", "「{n}」不是单位名称", n=name))
    parsed.leads.append(lead)
    parsed.participants += names[1:]
    slot = "{leads}" + (mark.group() if mark else "")
    if len(names) > 1:
        slot += seps[0] + _slot("participants", seps[1:])
    if etc:
        parsed.etc = True
        slot += "{etc}" + etc_words[1:]
    if marked:
        parsed.shape = parsed.shape or "first-leads"
    return slot


FIRST_LEADS_NOTE = conv.FIRST_LEADS_NOTE


def trailing(text: str) -> tuple[str, str] | None:
    """(the text before, the statement) when `text` ends in a statement of responsibility: a
    parenthesis （由…牵头…）（责任单位：…）（各成员单位）, or a last sentence 由…牵头，…参加。"""
    if text.endswith(("）", ")", "）。", ")。")):
        end = len(text) - (1 if text.endswith("。") else 0)
        depth, i = 0, end - 1
        while i >= 0:
            if text[i] in "）)":
                depth += 1
            elif text[i] in "（(":
                depth -= 1
                if depth == 0:
                    break
            i -= 1
        if i > 0:
            tail = text[i:]
            if looks_like_responsibility(tail):
                return text[:i], tail
    subjects = "|".join(conv.SUBJECTS)
    m = re.search(
        rf"(?<=[。；;])((?:{subjects})?(?P<by>由?)(?P<L>[^。；;，,]*?)牵头(?:[，,；;][^。；;]*?(?:{'|'.join(conv.PART_VERBS)}))?[。；;]?"
        rf"|(?:{LABEL})[：:][^。]*[。；;]?)$",
        text,
    )
    if m is None or m.start(1) == 0:
        return None
    if m.group("L") is not None and not m.group("by"):
        # 「县教育局牵头，县科协配合。」 without 由: only when what leads is a list of bodies
        names = split_list(m.group("L"))
        if names is None or not all(looks_like_unit(n) for n in names[0]):
            return None
    return text[: m.start(1)], m.group(1)

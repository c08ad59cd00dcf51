"""Responsibility as documents of the genre write it, parsed into units and a form that gives the
words back exactly.

The conventions: a sentence 「由A、B牵头，C、D等单位参加。」, the same in parentheses or after
「责任分工：」; label lines 「牵头单位：A」「责任单位：…」「配合单位：…」「总牵头部门：A。责任单位：…」; a
trailing 「（责任单位：A、B）」 or 「（各成员单位）」. A list's units are replaced by slots in the form
({leads}, {participants}, {etc}, {collective}; see `Responsibility.form`), so that
`kpsy.plan.text.responsibility_line` writes the line as the document did.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from kpsy.importer.units import COLLECTIVE, looks_like_unit, split_list

LEAD_LABELS = ("总牵头单位", "总牵头部门", "牵头单位", "牵头部门", "主责单位", "主责部门", "主办单位")
RESP_LABELS = ("责任单位", "责任部门")
PART_LABELS = (
    "配合单位",
    "配合部门",
    "参与单位",
    "参与部门",
    "参加单位",
    "参加部门",
    "协办单位",
    "协作单位",
    "协同单位",
)
LABEL = "|".join(LEAD_LABELS + RESP_LABELS + PART_LABELS)
_LABEL_SEGMENT = re.compile(rf"({LABEL})([：:])((?:(?!(?:{LABEL})[：:])[^；;。])+)")
# 由A、B牵头，C、D等单位参加 (由 may be left out; 参加, 参与, 配合, 协助, 共同参与…)
_SENTENCE = re.compile(
    r"^(?P<open>[（(]?)(?P<label>(?:责任分工|分工|责任单位|工作分工)[：:])?(?P<by>由?)(?P<L>[^，,；;。：:（）()]+?)"
    r"(?P<lead>共同牵头|牵头负责|负责牵头|牵头)"
    r"(?:(?P<sep>[，,；;])(?P<P>[^。；;：:（）()]+?)(?P<pverb>(?:(?:相关|有关)?(?:单位|部门))?(?:共同)?(?:参加|参与|配合|协助|协同|协办|配合实施|配合落实)))?"
    r"(?P<close>[。；;]?[）)]?[。；;]?)$"
)
_COLLECTIVE_ONLY = re.compile(r"^(?P<open>[（(])(?P<C>各[\u4e00-\u9fff]{1,12})(?P<close>[）)][。；]?)$")
# words that make a text look like a statement of responsibility
_HINT = re.compile(rf"牵头|{LABEL}|责任分工")


@dataclass
class Parsed:
    """A responsibility statement: units by role as written, and its form."""

    leads: list[str] = field(default_factory=list)
    participants: list[str] = field(default_factory=list)
    etc: bool = False
    collective: str | None = None
    form: str = ""


class NotUnderstood(Exception):
    """A text that states responsibility in a way kpsy cannot take apart; the message says why."""


def looks_like_responsibility(text: str) -> bool:
    """Whether a parenthesis reads as a statement of responsibility."""
    return bool(_HINT.search(text)) or bool(_COLLECTIVE_ONLY.match(text))


_WHOLE = re.compile(
    rf"^[（(]?(?:(?:责任分工|分工|工作分工)[：:])?由[^。]*?牵头(?:[，,；;][^。]*?(?:参加|参与|配合|协助|协同|协办))?[。；;]?[）)]?[。；;]?$"
    rf"|^[（(]?(?:{LABEL})[：:]"
)


def is_statement(text: str) -> bool:
    """Whether a whole paragraph is worded as a statement of responsibility (and should be one)."""
    return bool(_WHOLE.match(text)) or bool(_COLLECTIVE_ONLY.match(text))


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
    raise NotUnderstood(f"the list is joined by {'、'.join(dict.fromkeys(seps))} in no regular way")


def _list(text: str, role: str, parsed: Parsed) -> str:
    """Take the units of a list into `parsed` under `role`; the list's slot in the form."""
    split = split_list(text)
    if split is None:
        raise NotUnderstood(f"cannot split the list of units 「{text}」")
    names, seps, etc, etc_words = split
    collective = None
    if COLLECTIVE.match(names[-1]) and not etc:
        collective = names.pop()
        joiner = seps.pop() if seps else ""
    for name in names:
        if not looks_like_unit(name) or COLLECTIVE.match(name):
            raise NotUnderstood(f"「{name}」 is not the name of a unit")
    target = parsed.leads if role == "leads" else parsed.participants
    target += names
    slot = _slot(role, seps) if names else ""
    if etc:
        parsed.etc = True
        slot += "{etc}" + etc_words[1:]
    if collective is not None:
        if parsed.collective is not None:
            raise NotUnderstood("it names two collectives")
        parsed.collective = collective
        slot += joiner + "{collective}" if names else "{collective}"
    return slot


def parse(text: str, *, first_leads: bool = False) -> Parsed:
    """The responsibility `text` states (a whole statement: a sentence, a parenthesis, label lines
    joined by a line break). `first_leads`: a lone 责任单位 list's first unit leads and the others
    take part (the document says so), instead of all of them leading."""
    if "{" in text or "}" in text:
        raise NotUnderstood("it holds braces")
    lines = text.split("\n")
    parsed = Parsed()
    forms: list[str] = []
    has_lead_label = any(label in text for label in LEAD_LABELS) or "牵头" in text.replace("牵头单位", "")
    for line in lines:
        forms.append(_parse_line(line, parsed, has_lead_label, first_leads))
    if not parsed.leads and not parsed.participants and parsed.collective is None:
        raise NotUnderstood("it names no unit")
    parsed.form = "\n".join(forms)
    return parsed


def _parse_line(line: str, parsed: Parsed, has_lead_label: bool, first_leads: bool) -> str:
    if m := _COLLECTIVE_ONLY.match(line):
        if parsed.collective is not None:
            raise NotUnderstood("it names two collectives")
        parsed.collective = m.group("C")
        return m.group("open") + "{collective}" + m.group("close")
    if m := _SENTENCE.match(line):
        out = line[: m.start("L")] + _list(m.group("L"), "leads", parsed)
        if m.group("P") is not None:
            out += line[m.end("L") : m.start("P")] + _list(m.group("P"), "participants", parsed)
            out += line[m.end("P") :]
        else:
            out += line[m.end("L") :]
        return out
    segments = list(_LABEL_SEGMENT.finditer(line))
    if not segments:
        raise NotUnderstood("it is not worded as responsibility is (由…牵头, 牵头单位：…, 责任单位：…)")
    out, pos = "", 0
    for seg in segments:
        gap = line[pos : seg.start()]
        if (pos and not re.fullmatch(r"[。；;，,\s]*", gap)) or (not pos and not re.fullmatch(r"[（(]?", gap)):
            raise NotUnderstood(f"「{gap}」 stands between its parts")
        label, units = seg.group(1), seg.group(3)
        tail = re.search(r"[）)]*$", units)
        closing = tail.group() if tail else ""
        units = units[: len(units) - len(closing)] if closing else units
        if label in LEAD_LABELS:
            role = "leads"
        elif label in PART_LABELS:
            role = "participants"
        else:
            role = "participants" if has_lead_label else "leads"
        if role == "leads" and label in RESP_LABELS and first_leads and not has_lead_label:
            slot = _first_leads(units, parsed)
        else:
            slot = _list(units, role, parsed)
        out += gap + line[seg.start() : seg.start(3)] + slot + closing
        pos = seg.end()
    rest = line[pos:]
    if not re.fullmatch(r"[。；;）)]*", rest):
        raise NotUnderstood(f"「{rest}」 follows its units")
    return out + rest


def _first_leads(units: str, parsed: Parsed) -> str:
    """责任单位：A、B、C where the first named leads: A leads, B and C take part."""
    split = split_list(units)
    if split is None or len(split[0]) == 1 or any(COLLECTIVE.match(n) for n in split[0]):
        return _list(units, "leads", parsed)
    names, seps, etc, etc_words = split
    for name in names:
        if not looks_like_unit(name):
            raise NotUnderstood(f"「{name}」 is not the name of a unit")
    parsed.leads.append(names[0])
    parsed.participants += names[1:]
    slot = "{leads}" + seps[0] + _slot("participants", seps[1:])
    if etc:
        parsed.etc = True
        slot += "{etc}" + etc_words[1:]
    return slot


FIRST_LEADS_NOTE = re.compile(r"(?:排在?|列)(?:首位|第一位?)的?(?:单位)?为牵头(?:单位|部门)")


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
    m = re.search(
        r"(?<=[。；;])(由[^。；;]*?牵头(?:[，,；;][^。；;]*?(?:参加|参与|配合|协助|协同|协办))?[。；;]?"
        r"|(?:" + LABEL + r")[：:][^。]*[。；;]?)$",
        text,
    )
    if m and m.start(1) > 0:
        return text[: m.start(1)], m.group(1)
    return None

"""The office's words for each change: 「在二（一）中新增一条，作为第3条，原第3至6条依次顺延」,
「将原三（二）3．移至三（三），作为第4条」, 「将"2021-2025年"修改为"2026-2030年"」, 「删除原二（四）2．」,
「将原二（一）6．并入二（一）2．」, 「县委宣传部由参加单位调整为牵头单位」. Chinese by default,
English with --lang en.

A sentence names what it is about by its numbers as they stood (原…) when it is gone, and as they
stand otherwise; numbers that moved on because of a change are summarised in the same sentence,
never listed one by one. Quotations are whole words (`kpsy.revisions.tokens`), and every edit of
an item's words is said: none is left as "and N more".
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kpsy.i18n import msg
from kpsy.plan.numbering import chinese_number
from kpsy.revisions.change import RECORD_KINDS, Change, Ops
from kpsy.revisions.items import Item
from kpsy.revisions.tokens import HAN, PUNCTUATION, tokens

QUOTE_LIMIT = 40
ANCHOR = 12  # characters at most of the words an insertion is placed after

Items = dict[str, Item]


def document_name(key: str) -> str:
    """The front and back matter as a reader names them."""
    names = {
        "notice.issuer": ("issuer", "发文机关"),
        "notice.number": ("document number", "发文字号"),
        "notice.title": ("notice title", "通知标题"),
        "notice.addressees": ("addressees", "主送机关"),
        "notice.body": ("notice body", "通知正文"),
        "notice.signature": ("signature", "署名"),
        "notice.date": ("date of the notice", "成文日期"),
        "plan.title": ("plan title", "方案标题"),
        "plan.preamble": ("preamble", "前言"),
        "plan.period": ("period", "实施期限"),
        "plan.numbering": ("numbering", "序号"),
        "imprint": ("imprint", "版记"),
    }
    en, zh = names.get(key, (key, key))
    return msg(en, zh)


def role_name(role: str | None) -> str:
    return {
        "lead": msg("lead", "牵头"),
        "participant": msg("participant", "参加"),
        "mentioned": msg("named in the text", "文中提及"),
    }.get(role or "", msg("none", "无"))


def _cut(text: str, head: int, tail: int) -> tuple[str, str]:
    """The first whole words of `text` up to `head` characters, and the last up to `tail`."""
    words = tokens(text)
    first, last = "", ""
    for word in words:
        if first and len(first) + len(word) > head:
            break
        first += word
    for word in reversed(words):
        if last and len(last) + len(word) > tail:
            break
        last = word + last
    return first, last


def quoted(text: str) -> str:
    """Text in quotation marks, shortened in the middle (between whole words) when long."""
    text = text.replace("\n", "／")
    if len(text) > QUOTE_LIMIT:
        first, last = _cut(text, 24, 10)
        text = first + "……" + last
    return f'"{text}"'


GONE = ("removed", "unit-removed", "target-removed", "milestone-removed")


def label(change: Change) -> str:
    """The thing changed, as a reader names it, by its number now (as it stood, if it is gone):
    二（一）3．推进高等教育阶段科学教育."""
    if change.type == "document":
        return document_name(change.subject)
    if change.kind in GONE:
        return f"{change.old_number or ''}{change.old_title or change.title}"
    return f"{change.new_number or change.old_number or ''}{change.title}"


def said(change: Change, what: str) -> str:
    """「label：what」"""
    return msg("{label}: {what}", "{label}：{what}", label=label(change), what=what)


# --- edits ---------------------------------------------------------------------------------------


def _joins(ops: Ops, j: int) -> bool:
    """Whether the kept text at `j` is one character between two changes (的, 和), which a reader
    reads as part of one change rather than two."""
    op, text = ops[j]
    return op == 0 and 0 < j < len(ops) - 1 and ops[j + 1][0] != 0 and len(text) == 1 and text not in PUNCTUATION


def _lone(text: str) -> bool:
    """One Chinese character, or punctuation alone: too little to say where it is."""
    import re

    return (len(text) == 1 and re.fullmatch(f"[{HAN}]", text) is not None) or (
        bool(text) and len(text) <= 2 and set(text) <= PUNCTUATION
    )


def _widen(deleted: str, inserted: str, before: str, after: str) -> tuple[str, str, str]:
    """A one-character word widened by the word beside it (before it, else after it), so that the
    quotation says where it is; punctuation is never taken."""
    while _lone(deleted) or _lone(inserted):
        left = tokens(before, around=(len(before), len(before)))[-1:] if before else []
        right = tokens(after, around=(0, 0))[:1] if after else []
        if left and not set(left[0]) & PUNCTUATION:
            before = before[: -len(left[0])]
            deleted, inserted = left[0] + deleted, left[0] + inserted
        elif right and not set(right[0]) & PUNCTUATION:
            after = after[len(right[0]) :]
            deleted, inserted = deleted + right[0], inserted + right[0]
        else:
            break
    return deleted, inserted, before


def edits(ops: Ops) -> list[tuple[str, str, str]]:
    """Each run of changes as (deleted, inserted, what stands before it): whole words, runs apart by
    a word or two read as one, a lone character widened by the word beside it."""
    found: list[tuple[str, str, str]] = []
    i = 0
    while i < len(ops):
        if ops[i][0] == 0:
            i += 1
            continue
        j = i
        while j < len(ops) and (ops[j][0] != 0 or _joins(ops, j)):
            j += 1
        deleted = "".join(t for op, t in ops[i:j] if op <= 0)
        inserted = "".join(t for op, t in ops[i:j] if op >= 0)
        before = "".join(t for op, t in ops[:i] if op >= 0)
        after = "".join(t for op, t in ops[j:] if op >= 0)
        if deleted:  # an insertion is placed by what stands before it instead
            deleted, inserted, before = _widen(deleted, inserted, before, after)
        found.append((deleted, inserted, before))
        i = j
    return found


def _anchor(before: str) -> str:
    """The words before an insertion that say where it goes: back to the last punctuation, whole
    words, at most ANCHOR characters."""
    tail = before.rstrip("\n")
    words = tokens(tail, around=(len(tail), len(tail)))
    out = ""
    for word in reversed(words):
        if out and (len(out) + len(word) > ANCHOR or (set(word) & PUNCTUATION and word != words[-1])):
            break
        out = word + out
    return out


def edit_phrases(ops: Ops) -> list[str]:
    """将"全国"修改为"全省"; 删去"X"; 在"A"后增加"Y" — every edit, none left out."""
    phrases = []
    for deleted, inserted, before in edits(ops):
        if deleted and inserted:
            phrases.append(msg("change {a} to {b}", "将{a}修改为{b}", a=quoted(deleted), b=quoted(inserted)))
        elif deleted:
            phrases.append(msg("delete {a}", "删去{a}", a=quoted(deleted)))
        elif before.strip():
            phrases.append(msg("insert {b} after {a}", "在{a}后增加{b}", a=quoted(_anchor(before)), b=quoted(inserted)))
        else:
            phrases.append(msg("insert {b} at the beginning", "在开头增加{b}", b=quoted(inserted)))
    return phrases


def _joined(phrases: list[str]) -> str:
    return msg("; ", "；").join(phrases)


# --- numbers -------------------------------------------------------------------------------------


def _ordinal(kind: str, short: str, n: int) -> str:
    """An item's place as a sentence names it: 第3条, （三）, 第三部分 (第十二条 as the document writes it)."""
    written = short.strip().rstrip("、．. ")
    if written.startswith("第"):
        return written
    if kind == "task":
        return msg("item {n}", "第{n}条", n=n)
    if kind == "chapter":
        return written or f"（{chinese_number(n)}）"
    return msg("part {n}", "第{cn}部分", n=n, cn=chinese_number(n))


def _span(kind: str, shorts: list[str], ns: list[int]) -> str:
    """A run of places: 第3至6条, （三）至（五）, 第三至第五部分."""
    a, b = ns
    if a == b:
        return _ordinal(kind, shorts[0], a)
    first, last = (s.strip().rstrip("、．. ") for s in shorts)
    if first.startswith("第") or kind == "chapter":
        return msg("{a} to {b}", "{a}至{b}", a=first or _ordinal(kind, "", a), b=last or _ordinal(kind, "", b))
    if kind == "task":
        return msg("items {a} to {b}", "第{a}至{b}条", a=a, b=b)
    return msg("parts {a} to {b}", "第{ca}至第{cb}部分", a=a, b=b, ca=chinese_number(a), cb=chinese_number(b))


def shift_phrase(kind: str, run: dict[str, Any], where: bool) -> str:
    """原第3至6条依次顺延; 三（二）原第4至5条依次提前; 原第6条顺延为第7条."""
    old = _span(kind, run["old_numbers"], run["old"])
    new = _span(kind, run["new_numbers"], run["new"])
    delta = run["new"][0] - run["old"][0]
    single = run["old"][0] == run["old"][1]
    if delta == 1 and not single:
        phrase = msg("{old} move down one", "原{old}依次顺延", old=old)
    elif delta == -1 and not single:
        phrase = msg("{old} move up one", "原{old}依次提前", old=old)
    elif delta > 0 and single:
        phrase = msg("{old} becomes {new}", "原{old}顺延为{new}", old=old, new=new)
    elif delta < 0 and single:
        phrase = msg("{old} becomes {new}", "原{old}提前为{new}", old=old, new=new)
    else:
        phrase = msg("{old} become {new}", "原{old}改为{new}", old=old, new=new)
    if where and run["where"]:
        return msg("in {where}, {phrase}", "{where}{phrase}", where=run["where"], phrase=phrase)
    return phrase


def _shifts(change: Change, where: bool) -> str:
    phrases = [shift_phrase(change.type, run, where) for run in change.shifts]
    return "".join(msg(", {p}", "，{p}", p=p) for p in phrases)


def item_place(found: Item | None) -> str:
    """An item as a sentence names its place: 二（一）3． for a task, 二（一） for a chapter, 第二部分 for a part."""
    if found is None:
        return ""
    if found.type == "part":
        written = found.short.strip().rstrip("、．. ")
        return (
            written
            if written.startswith("第")
            else msg("part {n}", "第{cn}部分", n=found.index + 1, cn=chinese_number(found.index + 1))
        )
    return found.number


def _parent(found: Item | None, items: Items) -> str:
    """Where an item stands: its chapter for a task, its part for a chapter ("" for a part)."""
    if found is None or found.parent is None:
        return ""
    return item_place(items.get(found.parent))


def _listed(names: list[str]) -> str:
    """A、B和C — names one after another, the last joined by 和."""
    if len(names) < 2:
        return "".join(names)
    return msg("{a} and {b}", "{a}和{b}", a=msg(", ", "、").join(names[:-1]), b=names[-1])


# --- structure -----------------------------------------------------------------------------------


def _who(resp: Any) -> str:
    """由A、B牵头，C、D等单位参加 — who a new or removed action is given to."""
    if resp is None or not resp.leads:
        return ""
    text = msg("led by {leads}", "由{leads}牵头", leads=msg(", ", "、").join(resp.leads))
    if resp.participants:
        etc = msg(" and others", "等单位") if resp.etc else ""
        text += msg(", with {p}{etc} taking part", "，{p}{etc}参加", p=msg(", ", "、").join(resp.participants), etc=etc)
    return text


def _contents(key: str, items: Items) -> str:
    """What an added or removed part or chapter holds: its tasks, and who is responsible."""
    found = items[key]
    inside = {key} | {i.key for i in items.values() if i.parent == key}
    tasks = [i for i in items.values() if i.type == "task" and i.parent in inside]
    what = []
    if found.type != "task" and tasks:
        what.append(msg("with {n} task{s}", "含{n}条任务", n=len(tasks), s="s" * (len(tasks) != 1)))
    own_line = found.type == "chapter" or found.words != found.text  # a task with a line of its own
    who = _who(found.resp) if found.type in ("chapter", "task") and own_line else ""
    if who:
        what.append(who)
    return "".join(msg("; {w}", "，{w}", w=w) for w in what)


def _added(change: Change, before: Items, after: Items) -> str:
    now = after[change.subject]
    kind = change.type
    noun = {"task": msg("an item", "一条"), "chapter": msg("a section", "一项")}.get(kind, msg("a part", "一部分"))
    place = _ordinal(kind, now.short, now.ordinal + 1)
    where = _parent(now, after)
    if where:
        text = msg(
            "add {noun} to {where} as {place}",
            "在{where}中新增{noun}，作为{place}",
            noun=noun,
            where=where,
            place=place,
        )
    else:
        text = msg("add {noun} as {place}", "新增{noun}，作为{place}", noun=noun, place=place)
    return (
        text
        + _shifts(change, False)
        + msg(" ({t}{c})", "（{t}{c}）", t=change.title, c=_contents(change.subject, after))
    )


def _removed(change: Change, before: Items, after: Items) -> str:
    was = before[change.subject]
    text = msg("delete former {what}", "删除原{what}", what=item_place(was)) + _shifts(change, False)
    title = change.old_title or change.title
    return text + msg(" ({t}{c})", "（{t}{c}）", t=title, c=_contents(change.subject, before))


def _moved(change: Change, before: Items, after: Items) -> str:
    was, now = before[change.subject], after[change.subject]
    text = msg(
        "move former {what} to {where} as {place}",
        "将原{what}移至{where}，作为{place}",
        what=item_place(was),
        where=_parent(now, after),
        place=_ordinal(change.type, now.short, now.ordinal + 1),
    )
    return text + _shifts(change, True) + msg(" ({t})", "（{t}）", t=change.title)


def _reordered(change: Change, before: Items, after: Items) -> str:
    was, now = before[change.subject], after[change.subject]
    old = _ordinal(change.type, was.short, was.ordinal + 1)
    new = _ordinal(change.type, now.short, now.ordinal + 1)
    where = _parent(now, after)
    if where:
        text = msg("in {where}, {old} becomes {new}", "将{where}原{old}调整为{new}", where=where, old=old, new=new)
    else:
        text = msg("{old} becomes {new}", "将原{old}调整为{new}", old=old, new=new)
    return text + _shifts(change, False) + msg(" ({t})", "（{t}）", t=change.title)


def _titled(keys: list[str], items: Items) -> str:
    """二（一）6．（实施农村青少年科学素质提升行动）和… — places with their titles."""
    return _listed(
        [msg("{p} ({t})", "{p}（{t}）", p=item_place(items[k]), t=items[k].title) for k in keys if k in items]
    )


def _merged(change: Change, before: Items, after: Items) -> str:
    target = after[change.subject]
    if change.subject in before:
        text = msg(
            "merge former {what} into {into}",
            "将原{what}并入{into}",
            what=_titled(change.from_ids, before),
            into=_titled([change.subject], after),
        )
    else:
        text = msg(
            "merge former {what} into a new {into}",
            "将原{what}合并为新的{into}",
            what=_titled(change.from_ids, before),
            into=msg("{p} ({t})", "{p}（{t}）", p=item_place(target), t=target.title),
        )
    return text + _shifts(change, True)


def _split(change: Change, before: Items, after: Items) -> str:
    return msg(
        "split former {what} into {parts}",
        "将原{what}拆分为{parts}",
        what=_titled([change.subject], before),
        parts=_titled(change.into_ids, after),
    ) + _shifts(change, True)


def _renumbered(change: Change, before: Items, after: Items) -> str:
    phrases = msg(", ", "，").join(shift_phrase(change.type, run, False) for run in change.shifts)
    where = item_place(after.get(change.subject) or before.get(change.subject))
    if where:
        return msg("in {where}, {phrases}", "{where}{phrases}", where=where, phrases=phrases)
    return phrases


# --- words, roles, the registry, targets ------------------------------------------------------------


def _title(change: Change, before: Items, after: Items) -> str:
    phrases = _joined(edit_phrases(change.ops or []))
    if change.type == "document":
        return said(change, phrases)
    return said(change, msg("title: {e}", "标题{e}", e=phrases))


def _text(change: Change, before: Items, after: Items) -> str:
    phrases = _joined(edit_phrases(change.ops or []))
    if change.type == "responsibility":
        return said(change, msg("reword the responsibility line: {e}", "修改责任分工的表述：{e}", e=phrases))
    if change.subject in before and change.item not in before:
        return said(change, msg("{e} (once merged or split)", "{e}（合并或拆分后）", e=phrases))
    return said(change, phrases)


def _numbering(change: Change, before: Items, after: Items) -> str:
    if change.type == "document":
        return msg("numbers are written another way", "修改序号的写法")
    return said(
        change,
        msg(
            "number written {a} instead of {b}",
            "序号由{b}改为{a}",
            a=quoted(str(change.new)),
            b=quoted(str(change.old)),
        ),
    )


def _period(change: Change, before: Items, after: Items) -> str:
    return msg("change the period from {a} to {b}", "将实施期限由{a}年调整为{b}年", a=change.old, b=change.new)


ROLE_SENTENCES = {
    "lead-added": ("{unit} added as lead", "增加{unit}为牵头单位"),
    "lead-removed": ("{unit} no longer lead", "{unit}不再作为牵头单位"),
    "participant-added": ("{unit} added as participant", "增加{unit}为参加单位"),
    "participant-removed": ("{unit} no longer participant", "{unit}不再作为参加单位"),
    "to-lead": ("{unit} moved from participant to lead", "{unit}由参加单位调整为牵头单位"),
    "to-participant": ("{unit} moved from lead to participant", "{unit}由牵头单位调整为参加单位"),
}


def _role(change: Change, before: Items, after: Items) -> str:
    en, zh = ROLE_SENTENCES[change.kind]
    return said(change, msg(en, zh, unit=change.unit or ""))


def _fields_text(value: Any) -> str:
    if value is None or value == "":
        return msg("none", "无")
    if isinstance(value, bool):
        return msg("yes", "是") if value else msg("no", "否")
    if isinstance(value, list):
        return "、".join(map(str, value)) or msg("none", "无")
    return str(value)


def _line_detail(change: Change, before: Items, after: Items) -> str:
    """等单位, a collective, a time limit, the order of the units."""
    if change.kind == "etc":
        added = msg("「等单位」 added", '责任分工增加"等单位"')
        return said(change, added if change.new else msg("「等单位」 dropped", '责任分工删去"等单位"'))
    if change.kind == "collective":
        if not change.old:
            return said(change, msg("{b} now take part", '责任分工增加"{b}"', b=change.new))
        if not change.new:
            return said(change, msg("{a} no longer named", '责任分工删去"{a}"', a=change.old))
        return said(change, msg("{a} becomes {b}", '责任分工将"{a}"修改为"{b}"', a=change.old, b=change.new))
    if change.kind == "due":
        a, b = quoted(_fields_text(change.old)), quoted(_fields_text(change.new))
        return said(change, msg("time limit {a} becomes {b}", "完成时限由{a}调整为{b}", a=a, b=b))
    return said(change, msg("units listed in another order", "调整责任单位的排列顺序"))


def _unit(change: Change, before: Items, after: Items) -> str:
    if change.kind == "unit-added":
        return msg("add {unit} to the registry of units", "单位名录新增{unit}", unit=change.new)
    if change.kind == "unit-removed":
        return msg("remove {unit} from the registry of units", "单位名录删除{unit}", unit=change.old)
    if change.kind == "unit-renamed":
        return _renamed(change)
    what = {"full_name": msg("full name", "全称"), "kind": msg("kind", "类别"), "aliases": msg("aliases", "别名")}
    return msg(
        "{unit}: {what} {a} becomes {b}",
        "{unit}的{what}由{a}调整为{b}",
        unit=change.unit or "",
        what=what.get(change.field or "", change.field or ""),
        a=quoted(_fields_text(change.old)),
        b=quoted(_fields_text(change.new)),
    )


def _renamed(change: Change) -> str:
    """县科工局更名为县科技局（原名称保留为别名，涉及9处表述）."""
    extra = []
    if change.note == "old name kept as alias":
        extra.append(msg("the old name kept as an alias", "原名称保留为别名"))
    lines = len(change.items)
    if lines:
        extra.append(msg("named so in {n} place{s}", "涉及{n}处表述", n=lines, s="s" * (lines != 1)))
    tail = msg(" ({x})", "（{x}）", x=msg("; ", "，").join(extra)) if extra else ""
    return msg("{a} renamed {b}{tail}", "{a}更名为{b}{tail}", a=change.old, b=change.new, tail=tail)


def _record(change: Change, before: Items, after: Items) -> str:
    noun = msg("target", "目标") if change.type == "target" else msg("milestone", "进度安排")
    if change.kind.endswith("-added"):
        return msg("add the {noun} {a}", "新增{noun}{a}", noun=noun, a=quoted(change.title))
    if change.kind.endswith("-removed"):
        return msg("remove the {noun} {a}", "删除{noun}{a}", noun=noun, a=quoted(change.title))
    return msg(
        "change the {noun} {a} to {b}",
        "将{noun}{a}调整为{b}",
        noun=noun,
        a=quoted(change.old_title or ""),
        b=quoted(change.title),
    )


def _settings(change: Change, before: Items, after: Items) -> str:
    what = {
        "title": msg("title", "标题"),
        "sender": msg("sender", "发函单位"),
        "opening": msg("opening", "开头"),
        "reporting": msg("requirements", "工作要求"),
        "contact": msg("contact", "联系方式"),
    }.get(change.field or "", change.field or "")
    if change.ops:
        edits = _joined(edit_phrases(change.ops))
    else:
        edits = msg(
            "{a} becomes {b}", "由{a}调整为{b}", a=quoted(_fields_text(change.old)), b=quoted(_fields_text(change.new))
        )
    return msg("task letters' {what}: {e}", "交办函的{what}：{e}", what=what, e=edits)


def _letter(change: Change, before: Items, after: Items) -> str:
    return msg("its letter reads differently", "交办函的文字有变化")


SENTENCES: dict[str, Callable[[Change, Items, Items], str]] = {
    "added": _added,
    "removed": _removed,
    "moved": _moved,
    "reordered": _reordered,
    "merged": _merged,
    "split": _split,
    "renumbered": _renumbered,
    "title": _title,
    "text": _text,
    "numbering": _numbering,
    "period": _period,
    **dict.fromkeys(ROLE_SENTENCES, _role),
    **dict.fromkeys(("etc", "collective", "due", "order"), _line_detail),
    **dict.fromkeys(("unit-added", "unit-removed", "unit-renamed", "unit-changed"), _unit),
    **dict.fromkeys(RECORD_KINDS, _record),
    "settings": _settings,
    "letter": _letter,
}


def change_sentence(change: Change, before: Items, after: Items) -> str:
    """The sentence of one change, in the office's words, naming what it is about."""
    return SENTENCES[change.kind](change, before, after)


# --- one unit's view -----------------------------------------------------------------------------


def _work(change: Change) -> str:
    return msg("the task", "此项任务") if change.type == "task" else msg("the work", "此项工作")


def impact_phrase(change: Change, unit: str) -> str:
    """What a change means for one unit, added to its sentence in that unit's view."""
    role, old_role = role_name(change.new_role), role_name(change.old_role)
    phrases = {
        "plan-wide": msg(" (concerns every unit)", "（涉及所有单位）"),
        "gained": msg(
            ", {unit} takes on {work} ({role})",
            "，{unit}新承担{work}（{role}）",
            unit=unit,
            work=_work(change),
            role=role,
        ),
        "lost": msg(
            ", {unit} no longer has {work} (was {old})",
            "，{unit}不再承担{work}（原为{old}）",
            unit=unit,
            work=_work(change),
            old=old_role,
        ),
        "merged": msg(", {unit} keeps it ({role})", "，{unit}继续承担（{role}）", unit=unit, role=role),
        "split": msg(", {unit} keeps it ({role})", "，{unit}继续承担（{role}）", unit=unit, role=role),
        "renumbered": msg(
            " (the numbers of {unit}'s tasks change with it)", "（{unit}承担的任务序号随之调整）", unit=unit
        ),
        "co-worker": msg(", a unit {unit} works with", "，该单位与{unit}共同承担任务", unit=unit),
    }
    if change.impact == "kept" and change.old_role != change.new_role:
        return msg(", {unit}: {a} becomes {b} in it", "，{unit}由{a}调整为{b}", unit=unit, a=old_role, b=role)
    return phrases.get(change.impact or "", "")


def statement(change: Change, before: Items, after: Items, unit: str | None = None) -> str:
    """The change's sentence; in one unit's view, with what it means for that unit."""
    text = change_sentence(change, before, after)
    return text + impact_phrase(change, unit) if unit else text

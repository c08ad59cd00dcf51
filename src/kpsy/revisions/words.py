"""The office's words for each change: 「在二（一）中新增一条，作为第3条，原第3至6条依次顺延」,
「将原三（二）3．移至三（三），作为第4条」, 「将"全国"修改为"全省"」, 「删除原二（四）2．」,
「县委宣传部由参加单位调整为牵头单位」. Chinese by default, English with --lang en.

A sentence names what it is about by its numbers as they stood (原…) and as they stand; numbers
that moved on because of a change are summarised in the same sentence, never listed one by one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from kpsy.i18n import msg
from kpsy.plan.numbering import chinese_number

if TYPE_CHECKING:  # the words describe a diff's changes; `kpsy.revisions.diff` makes them
    from kpsy.revisions.diff import Change, Ops
    from kpsy.revisions.items import Item

PUNCTUATION = set("，。；：、！？“”‘’（）《》〈〉【】「」…—,.;:!?()[]\"' \n")
QUOTE_LIMIT = 40
MAX_EDITS = 6


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


def quoted(text: str) -> str:
    """Text in quotation marks, shortened in the middle when long."""
    text = text.replace("\n", "／")
    if len(text) > QUOTE_LIMIT:
        text = text[:24] + "……" + text[-10:]
    return f'"{text}"'


def label(change: Change) -> str:
    """The thing changed, as a reader names it: 二（一）3．推进高等教育阶段科学教育 (as it stood, if it is gone)."""
    if change.type == "document":
        return document_name(change.subject)
    if change.kind.endswith("-removed") or change.kind == "removed":
        return f"{change.old_number or ''}{change.old_title or change.title}"
    return f"{change.new_number or change.old_number or ''}{change.title}"


def said(change: Change, what: str) -> str:
    """「label：what」"""
    return msg("{label}: {what}", "{label}：{what}", label=label(change), what=what)


# --- edits ---------------------------------------------------------------------------------------


def _take_left(context: str) -> str:
    """The last character of `context` when it can extend a quotation ("" at punctuation)."""
    return context[-1] if context and context[-1] not in PUNCTUATION else ""


def _take_right(context: str) -> str:
    return context[0] if context and context[0] not in PUNCTUATION else ""


def edits(ops: Ops) -> list[tuple[str, str, str]]:
    """Each run of changes as (deleted, inserted, what stands before it), widened by the characters
    around it until each side is at least two characters, so that "适应" becomes "适合" rather than
    "应" becoming "合"."""
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
        before = ops[i - 1][1] if i > 0 else ""
        after = ops[j][1] if j < len(ops) else ""
        if deleted:  # an insertion is placed by what stands before it instead
            while (len(deleted) < 2 or (inserted and len(inserted) < 2)) and (_take_left(before) or _take_right(after)):
                if char := _take_left(before):
                    before = before[:-1]
                    deleted, inserted = char + deleted, char + inserted
                else:
                    char = _take_right(after)
                    after = after[1:]
                    deleted, inserted = deleted + char, inserted + char
        found.append((deleted, inserted, before))
        i = j
    return found


def _joins(ops: Ops, j: int) -> bool:
    """Whether the kept text at `j` is so short, between two changes, that a reader reads them as
    one ("加强" to "强化" rather than deleting "加" and adding "化")."""
    op, text = ops[j]
    return (
        op == 0
        and 0 < j < len(ops) - 1
        and ops[j + 1][0] != 0
        and len(text) <= 2
        and not any(c in PUNCTUATION for c in text)
    )


def _anchor(before: str) -> str:
    """The few characters before an insertion that say where it goes: back to the last punctuation."""
    tail = before.rstrip("\n")
    cut = max((tail.rfind(p) for p in "，。；：、！？"), default=-1)
    words = tail[cut + 1 :] if cut + 1 < len(tail) else tail[-8:]
    return words[-12:]


def edit_phrases(ops: Ops) -> list[str]:
    """将"全国"修改为"全省"; 删去"X"; 在"A"后增加"Y"."""
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
    if len(phrases) > MAX_EDITS:
        rest = len(phrases) - MAX_EDITS
        phrases = [*phrases[:MAX_EDITS], msg("and {n} more changes", "等另{n}处修改", n=rest)]
    return phrases


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


def _parent(found: Item | None, items: dict[str, Item]) -> str:
    """Where an item stands: its chapter for a task, its part for a chapter ("" for a part)."""
    if found is None or found.parent is None:
        return ""
    return item_place(items.get(found.parent))


def structure_sentence(change: Change, before: dict[str, Item], after: dict[str, Item]) -> str:
    """The sentence of an added, removed, moved, reordered or renumbered item."""
    kind, k = change.type, change.kind
    was, now = before.get(change.subject), after.get(change.subject)
    noun = {"task": msg("an item", "一条"), "chapter": msg("a section", "一项")}.get(kind, msg("a part", "一部分"))
    if k == "added" and now is not None:
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
        return text + _shifts(change, False)
    if k == "removed" and was is not None:
        return msg("delete former {what}", "删除原{what}", what=item_place(was)) + _shifts(change, False)
    if k == "moved" and was is not None and now is not None:
        text = msg(
            "move former {what} to {where} as {place}",
            "将原{what}移至{where}，作为{place}",
            what=item_place(was),
            where=_parent(now, after),
            place=_ordinal(kind, now.short, now.ordinal + 1),
        )
        return text + _shifts(change, True)
    if k == "reordered" and was is not None and now is not None:
        old = _ordinal(kind, was.short, was.ordinal + 1)
        new = _ordinal(kind, now.short, now.ordinal + 1)
        where = _parent(now, after)
        if where:
            text = msg("in {where}, {old} becomes {new}", "将{where}原{old}调整为{new}", where=where, old=old, new=new)
        else:
            text = msg("{old} becomes {new}", "将原{old}调整为{new}", old=old, new=new)
        return text + _shifts(change, False)
    phrases = msg(", ", "，").join(shift_phrase(kind, run, False) for run in change.shifts)
    scope = after.get(change.subject) or before.get(change.subject)
    where = item_place(scope)
    if where:
        return msg("in {where}, {phrases}", "{where}{phrases}", where=where, phrases=phrases)
    return phrases


def _fields_text(value: Any) -> str:
    if value is None or value == "":
        return msg("none", "无")
    if isinstance(value, bool):
        return msg("yes", "是") if value else msg("no", "否")
    if isinstance(value, list):
        return "、".join(map(str, value)) or msg("none", "无")
    return str(value)


def change_sentence(change: Change, before: dict[str, Item], after: dict[str, Item]) -> str:
    """The sentence of one change, in the office's words, naming what it is about."""
    k = change.kind
    if k == "renumbered":
        return structure_sentence(change, before, after)
    if k in ("added", "removed", "moved", "reordered"):
        title = change.title if k != "removed" else change.old_title or change.title
        return structure_sentence(change, before, after) + msg(" ({t})", "（{t}）", t=title)
    if k == "title":
        if change.type == "document":
            return msg(
                "change the {what} {a} to {b}",
                "将{what}{a}修改为{b}",
                what=label(change),
                a=quoted(change.old),
                b=quoted(change.new),
            )
        return said(
            change, msg("change the title {a} to {b}", "将标题{a}修改为{b}", a=quoted(change.old), b=quoted(change.new))
        )
    if k == "text":
        phrases = edit_phrases(change.ops or [])
        if change.type == "responsibility":
            return said(
                change,
                msg("reword the responsibility line: {e}", "修改责任分工的表述：{e}", e=msg("; ", "；").join(phrases)),
            )
        return said(change, msg("; ", "；").join(phrases))
    if k == "numbering":
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
    if k == "period":
        return msg("change the period from {a} to {b}", "将实施期限由{a}年调整为{b}年", a=change.old, b=change.new)
    unit = change.unit or ""
    if k in ROLE_SENTENCES:
        en, zh = ROLE_SENTENCES[k]
        return said(change, msg(en, zh, unit=unit))
    if k == "etc":
        return said(
            change,
            msg("「等单位」 added", '责任分工增加"等单位"')
            if change.new
            else msg("「等单位」 dropped", '责任分工删去"等单位"'),
        )
    if k == "collective":
        if not change.old:
            return said(change, msg("{b} now take part", '责任分工增加"{b}"', b=change.new))
        if not change.new:
            return said(change, msg("{a} no longer named", '责任分工删去"{a}"', a=change.old))
        return said(change, msg("{a} becomes {b}", '责任分工将"{a}"修改为"{b}"', a=change.old, b=change.new))
    if k == "due":
        return said(
            change,
            msg(
                "time limit {a} becomes {b}",
                "完成时限由{a}调整为{b}",
                a=quoted(_fields_text(change.old)),
                b=quoted(_fields_text(change.new)),
            ),
        )
    if k == "order":
        return said(change, msg("units listed in another order", "调整责任单位的排列顺序"))
    if k == "unit-added":
        return msg("add {unit} to the registry of units", "单位名录新增{unit}", unit=change.new)
    if k == "unit-removed":
        return msg("remove {unit} from the registry of units", "单位名录删除{unit}", unit=change.old)
    if k == "unit-renamed":
        kept = change.note == "old name kept as alias"
        tail = msg(" (the old name kept as an alias)", "，原名称保留为别名") if kept else ""
        return msg("{a} renamed {b}{tail}", "{a}更名为{b}{tail}", a=change.old, b=change.new, tail=tail)
    if k == "unit-changed":
        what = {
            "full_name": msg("full name", "全称"),
            "kind": msg("kind", "类别"),
            "aliases": msg("aliases", "别名"),
        }.get(change.field or "", change.field or "")
        return msg(
            "{unit}: {what} {a} becomes {b}",
            "{unit}的{what}由{a}调整为{b}",
            unit=unit,
            what=what,
            a=quoted(_fields_text(change.old)),
            b=quoted(_fields_text(change.new)),
        )
    noun = msg("target", "目标") if change.type == "target" else msg("milestone", "进度安排")
    if k.endswith("-added"):
        return msg("add the {noun} {a}", "新增{noun}{a}", noun=noun, a=quoted(change.title))
    if k.endswith("-removed"):
        return msg("remove the {noun} {a}", "删除{noun}{a}", noun=noun, a=quoted(change.title))
    return msg(
        "change the {noun} {a} to {b}",
        "将{noun}{a}调整为{b}",
        noun=noun,
        a=quoted(change.old_title or ""),
        b=quoted(change.title),
    )


ROLE_SENTENCES = {
    "lead-added": ("{unit} added as lead", "增加{unit}为牵头单位"),
    "lead-removed": ("{unit} no longer lead", "{unit}不再作为牵头单位"),
    "participant-added": ("{unit} added as participant", "增加{unit}为参加单位"),
    "participant-removed": ("{unit} no longer participant", "{unit}不再作为参加单位"),
    "to-lead": ("{unit} moved from participant to lead", "{unit}由参加单位调整为牵头单位"),
    "to-participant": ("{unit} moved from lead to participant", "{unit}由牵头单位调整为参加单位"),
}


def impact_phrase(change: Change, unit: str) -> str:
    """What a change means for one unit, added to its sentence in that unit's view."""
    work = msg("the task", "此项任务") if change.type == "task" else msg("the work", "此项工作")
    if change.impact == "plan-wide":
        return msg(" (concerns every unit)", "（涉及所有单位）")
    if change.impact == "gained":
        return msg(
            ", {unit} takes on {work} ({role})",
            "，{unit}新承担{work}（{role}）",
            unit=unit,
            work=work,
            role=role_name(change.new_role),
        )
    if change.impact == "lost":
        return msg(
            ", {unit} no longer has {work} (was {role})",
            "，{unit}不再承担{work}（原为{role}）",
            unit=unit,
            work=work,
            role=role_name(change.old_role),
        )
    if change.impact == "kept" and change.old_role != change.new_role:
        return msg(
            ", {unit}: {a} becomes {b} in it",
            "，{unit}在此项任务中由{a}调整为{b}" if change.type == "task" else "，{unit}在此项工作中由{a}调整为{b}",
            unit=unit,
            a=role_name(change.old_role),
            b=role_name(change.new_role),
        )
    if change.impact == "renumbered":
        return msg(" (the numbers of {unit}'s tasks change with it)", "（{unit}承担的任务序号随之调整）", unit=unit)
    return ""


def statement(change: Change, before: dict[str, Item], after: dict[str, Item], unit: str | None = None) -> str:
    """The change's sentence; in one unit's view, with what it means for that unit."""
    text = change_sentence(change, before, after)
    return text + impact_phrase(change, unit) if unit else text

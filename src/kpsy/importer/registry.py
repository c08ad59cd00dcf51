"""The imported plan's unit registry: every form of a unit's name the document uses grouped as one
unit (县卫健局 / 县卫生健康局 / 青山县卫生健康局), the bodies that oversee the work (the place's
government, its 领导小组 and its office) taken from the text, kinds guessed, protocol order taken
from the document's own lists, ids; and the responsibility records, units by their short names."""

from __future__ import annotations

import re

from kpsy.importer import units as names
from kpsy.importer.resp import Parsed
from kpsy.plan.model import Place, Responsibility, Unit

_BODY = r"[\u4e00-\u9fff]{1,16}?"
# A place name ends these words: 社区 is no district, 县城 no county.
_NOT_AFTER = "社城景园街市地县辖小山校片新老镇郊各直全本我"


def _place_forms(place: Place | None) -> list[str]:
    if place is None:
        return []
    return sorted({place.short, *place.names}, key=len, reverse=True)


def _bodies(text: str, place: Place | None, tail: str) -> list[str]:
    """Names of bodies the text writes out with the place, ending in `tail` (a regex)."""
    forms = _place_forms(place)
    if not forms:
        return []
    alternatives = "|".join(re.escape(f) for f in forms)
    found = []
    for m in re.finditer(rf"(?:中共)?(?:{alternatives})(?:{tail})", text):
        start = m.start()
        if start > 0 and text[start - 1] in _NOT_AFTER:
            continue
        if names.VERBS.search(m.group()):  # 县科协承担领导小组办公室 is a clause, not a body
            continue
        found.append(m.group())
    return list(dict.fromkeys(found))


def oversight(text: str, place: Place | None) -> list[str]:
    """Bodies the text names that oversee the work: the place's government, its offices for the plan."""
    return [
        b
        for b in _bodies(text, place, rf"人民政府|{_BODY}(?:工作办公室|领导小组办公室|领导小组)")
        if not b.startswith("中共")
    ]


def text_forms(text: str, place: Place | None) -> list[str]:
    """Names of bodies written out in the text with the place (青山县卫生健康局), for aliases."""
    return _bodies(text, place, rf"{_BODY}(?:局|委员会|委|部|办公室|中心|联合会|协会|总工会)")


class Naming:
    """The units named in the document, grouped, and their short names."""

    def __init__(self, named: list[str], lists: list[list[str]], text: str, place: Place | None) -> None:
        self.place = place
        self.lists = lists
        self.groups = names.group_forms(named + oversight(text, place), place)
        for form in text_forms(text, place):
            self._join_text_form(form)
        self.canonical = {form: key for key, group in self.groups.items() for form in group.forms}

    def _join_text_form(self, form: str) -> None:
        c = names.core(form, self.place)
        matches = [
            key
            for key, group in self.groups.items()
            if any(
                names.core(f, self.place) == c or names.abbreviates(names.core(f, self.place), c) for f in group.forms
            )
        ]
        if len(set(matches)) == 1 and form not in self.groups[matches[0]].forms:
            self.groups[matches[0]].forms[form] += 0

    def short(self, name: str) -> str:
        return self.groups[self.canonical[name]].name

    def record(self, parsed: Parsed, placement: str, *, in_text: bool = True, due: str | None = None) -> Responsibility:
        """The responsibility record of a statement: units by short name, how the line writes the others."""
        written = {self.short(n): n for n in [*parsed.leads, *parsed.participants] if self.short(n) != n}
        default = placement == "after" and is_default(parsed)
        return Responsibility(
            leads=[self.short(n) for n in parsed.leads],
            participants=[self.short(n) for n in parsed.participants],
            etc=parsed.etc,
            collective=parsed.collective,
            form=None if default or not in_text else parsed.form,
            placement=placement,  # type: ignore[arg-type]
            in_text=in_text,
            due=due,
            written=written if in_text else {},
        )

    def registry(self, used: set[str]) -> list[Unit]:
        """The units in protocol order, with ids, kinds, full names and aliases."""
        rank: dict[str, int] = {}
        first_seen: dict[str, int] = {}
        kinds: dict[str, str] = {}
        for key, group in self.groups.items():
            kinds[key] = names.guess_kind(max(group.forms, key=len), self.place)
            rank[key] = names.KIND_ORDER.index(kinds[key])
            first_seen[key] = group.first
        lists = [[self.canonical[n] for n in lst] for lst in self.lists]
        ordered = names.protocol_order(lists, first_seen, rank)
        return _registry(ordered, self.groups, kinds, self.place, used)


def is_default(parsed: Parsed) -> bool:
    """Whether the words are those kpsy writes when no form is given: （责任分工：由…牵头，…等单位参加）."""
    wanted = (
        "（责任分工：由{leads}牵头"
        + ("，{participants}" + ("{etc}单位参加" if parsed.etc else "参加") if parsed.participants else "")
        + "）"
    )
    return parsed.form == wanted and parsed.collective is None


def _aliases(name: str, full: str | None, forms: list[str], place: Place | None, taken: set[str]) -> list[str]:
    aliases = [f for f in forms if f not in (name, full)]
    extra = [
        bare
        for form in forms
        if (bare := names.core(form, place)) != form and len(bare) >= 2 and not form.endswith("人民政府")
    ]
    if name.endswith("人民政府"):
        extra.append(name[: -len("人民政府")] + "政府")
    for alias in [*aliases, *extra]:
        if alias not in taken:
            taken.add(alias)
            if alias not in aliases:
                aliases.append(alias)
    return list(dict.fromkeys(a for a in aliases if a in taken))


def _registry(
    ordered: list[str],
    groups: dict[str, names.UnitGroup],
    kinds: dict[str, str],
    place: Place | None,
    used: set[str],
) -> list[Unit]:
    taken: set[str] = {groups[key].name for key in ordered}
    registry = []
    for n, key in enumerate(ordered, 1):
        group = groups[key]
        name = group.name
        long_forms = [
            f for f in group.forms if f != name and place and (f.startswith("中共") or f.startswith(tuple(place.names)))
        ]
        full = max(long_forms, key=len) if long_forms else None
        aliases = _aliases(name, full, list(group.forms), place, taken)
        if full:
            taken.add(full)
        registry.append(
            Unit(
                id=names.unit_id(max(group.forms, key=len), used, n),
                name=name,
                full_name=full,
                kind=kinds[key],  # type: ignore[arg-type]
                aliases=aliases,
            )
        )
    return registry

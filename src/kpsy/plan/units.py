"""The unit registry: units in protocol order, found by any of their names, and found in text.

Protocol order (党委部门, 政府部门, 驻区单位, 群团) is the registry's order; every listing of units
follows it. Within one responsibility line the document's own order is kept wherever the line is
quoted. How names abbreviate the place (县教育局 = 青山县教育局) comes from the registry's data.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable
from functools import cached_property

from kpsy.errors import UnknownNameError
from kpsy.i18n import msg
from kpsy.light import lazy_re, light
from kpsy.plan.model import Place, Unit, unusual_characters
from kpsy.plan.typed import Cleaned, clean, close, key

# A short name starting with the place's abbreviation is not a mention where the abbreviation ends
# another word: 社区 is not the district 区, 郡县 is not the county 县. Chinese words, not data of any one plan.
_WORDS_ENDING_IN = {
    "区": "社城景园街市地县辖小山校片新老镇郊",
    "县": "州郡市区",
    "市": "城都超门股街",
    "镇": "城乡村集",
}
# Party committees' full names start with 中共: 中共江城市青山县委组织部 is 县委组织部.
_PARTY = "中共"
# The words that name the towns, townships, streets and villages a notice may address as a group
# (各镇（街道）人民政府（办事处）, 各乡镇人民政府, 各街道办事处, 各村（社区）). Chinese words, not data of any one plan.
SETTLEMENT_WORDS = ("街道", "街", "乡", "镇", "村", "社区", "办事处")
# What follows a town's name when its government is meant: 城关镇人民政府, 白沙街道办事处.
_GOVERNMENT_WORDS = ("人民政府", "政府", "办事处", "党委", "党工委")
_GROUP_TAIL = lazy_re(r"(?:人民政府|政府|党委|党工委)?(?:[（(](?:办事处|人民政府)[）)])?$")


def addressee_group(addressee: str) -> str:
    """What an addressee of the notice names as a group: 各镇（街道）人民政府（办事处） -> 镇（街道）,
    县直各有关单位 -> 有关单位."""
    group = addressee.split("各", 1)[-1]
    trimmed = _GROUP_TAIL().sub("", group)
    return trimmed or group


def settlement_words(text: str) -> list[str]:
    """The words for towns, streets or villages in an addressee: 各镇（街道）人民政府（办事处） -> 街道, 街, 镇, 办事处."""
    group = text.split("各", 1)[-1]
    return [word for word in SETTLEMENT_WORDS if word in group]


def _member_of(wanted: str, words: list[str]) -> bool:
    """Whether the typed name `wanted` (a key) names a body of a kind in `words`: 白沙洲街道, 城关镇人民政府."""
    if not words:
        return False
    forms = [wanted]
    for tail in _GOVERNMENT_WORDS:
        if wanted.endswith(tail) and len(wanted) > len(tail):
            forms.append(wanted[: -len(tail)])
    return any(form.endswith(word) for form in forms for word in words)


def _names_group(collective: str, addressee: str) -> bool:
    """Whether a responsibility line's collective (各镇街) names the group an addressee names."""
    if key(addressee_group(collective)) == key(addressee_group(addressee)):
        return True
    return bool(set(settlement_words(collective)) & set(settlement_words(addressee)))


@light
class UnitMatch:
    """The unit a typed name means, and the name as it was read (without invisible characters)."""

    unit: Unit
    typed: Cleaned

    def warning(self, what: str) -> str | None:
        """A warning naming the invisible characters taken out of what was typed for `what`, else None."""
        return self.typed.warning(what)


def _no_groups() -> list[tuple[str, str]]:
    return []


class UnitRegistry:
    """The units of one plan, in protocol order.

    `addressees` are the notice's 主送 addressees and `groups` gives the collectives that
    responsibility lines name (各成员单位, 各镇街) with where: together they explain a name the
    notice addresses but no task does."""

    def __init__(
        self,
        units: Iterable[Unit],
        place: Place | None = None,
        addressees: Iterable[str] = (),
        groups: Callable[[], list[tuple[str, str]]] = _no_groups,
    ) -> None:
        self.units: list[Unit] = list(units)
        self.place = place
        self.addressees = list(addressees)
        self.groups = groups

    @cached_property
    def _order(self) -> dict[str, int]:
        return {unit.name: i for i, unit in enumerate(self.units)}

    @cached_property
    def _owner(self) -> dict[str, Unit]:
        owner: dict[str, Unit] = {}
        for unit in self.units:
            for name in unit.names:
                owner.setdefault(name, unit)
        return owner

    @cached_property
    def by_id(self) -> dict[str, Unit]:
        return {unit.id: unit for unit in self.units}

    def __iter__(self):  # type: ignore[no-untyped-def]
        return iter(self.units)

    def __len__(self) -> int:
        return len(self.units)

    def order(self, name: str) -> int:
        """The position of a unit (by short name) in protocol order; unknown names last."""
        return self._order.get(name, len(self._order))

    def sort(self, names: Iterable[str]) -> list[str]:
        """Short names in protocol order."""
        return sorted(names, key=self.order)

    def is_short_name(self, name: str) -> bool:
        """Whether `name` is a unit's short name (the name responsibility lines use)."""
        return name in self._order

    def get(self, name: str) -> Unit | None:
        """The unit that goes by `name` (short name, full name or alias), or None."""
        return self._owner.get(name)

    def short(self, name: str) -> str:
        """The short name of the unit called `name`, or `name` itself when no unit is."""
        unit = self._owner.get(name)
        return unit.name if unit else name

    def id_of(self, name: str) -> str:
        """The id of the unit called `name`, or `name` itself when no unit is (a renamed unit is the same id)."""
        unit = self._owner.get(name)
        return unit.id if unit else name

    def file_stem(self, unit: Unit) -> str:
        """`<position>-<id>-<short name>`, the name of a file made for `unit` (a letter, a sheet): a
        folder of them lists in protocol order."""
        from kpsy.util import MAX_NAME_BYTES, fit_bytes, safe_filename

        digits = max(2, len(str(len(self.units))))
        stem = f"{self.order(unit.name) + 1:0{digits}d}-{unit.id}-{safe_filename(unit.name, unit.id)}"
        return fit_bytes(stem, MAX_NAME_BYTES).rstrip("-._")  # the position keeps names apart

    # --- what people type -------------------------------------------------------------------

    def _place_variants(self, name: str) -> list[str]:
        """`name` written with each form of the place: 县教育局 -> 青山县教育局, 江城市青山县教育局,
        and 教育局 without it; 团县委 -> 团青山县委; 中共青山县委宣传部 -> 县委宣传部."""
        if self.place is None:
            return []
        forms = sorted({self.place.short, *self.place.names}, key=len, reverse=True)
        bare = name.removeprefix(_PARTY)
        form = next((f for f in forms if bare.startswith(f)), None)
        if form is not None:
            if bare == form:
                return []
            rest = bare[len(form) :]
            variants = [f + rest for f in forms]
            if name.startswith(_PARTY) or rest.startswith("委"):  # 县委… is also 中共青山县委…
                variants += [_PARTY + f + rest for f in forms if f != self.place.short]
            elif len(rest) > 1:  # 卫生健康局 for 江城市青山县卫生健康局 (县委宣传部 is not 委宣传部)
                variants.append(rest)
            return variants
        # the place inside the name: 团县委, 共青团江城市青山县委员会
        ending = _WORDS_ENDING_IN.get(self.place.short, "")
        for form in forms:
            at = bare.find(form)
            if at > 0 and (form != self.place.short or bare[at - 1] not in ending):
                return [bare[:at] + f + bare[at + len(form) :] for f in forms]
        return []

    def forms(self, unit: Unit) -> list[str]:
        """Every name a user may type for `unit`: id, short name, full name, aliases, and each of
        them with the place written out or left off."""
        names = [unit.id, *unit.names]
        for name in unit.names:
            names += self._place_variants(name)
        return list(dict.fromkeys(names))

    @cached_property
    def _typed(self) -> dict[str, Unit]:
        """Each typed form (`typed.key`) -> its unit. A unit's own names and id come first; a form
        made by writing the place otherwise counts only when it points to one unit."""
        typed: dict[str, Unit] = {}
        for unit in self.units:
            for name in (unit.id, *unit.names):
                typed.setdefault(key(name), unit)
        derived: dict[str, list[Unit]] = {}
        for unit in self.units:
            for form in self.forms(unit):
                owners = derived.setdefault(key(form), [])
                if unit not in owners:
                    owners.append(unit)
        for form, owners in derived.items():
            if form not in typed and len(owners) == 1:
                typed[form] = owners[0]
        return typed

    def match(self, name: str) -> UnitMatch:
        """The unit a user means by `name`, with the invisible characters taken out of it (for a
        warning). An unknown name raises UnknownNameError: with the closest names when some are
        close, or with why there is no such unit when the notice addresses it."""
        cleaned = clean(name)
        wanted = key(cleaned.text)
        if not wanted:
            from kpsy.errors import UsageError

            raise UsageError(msg("a unit needs a name", "请给出单位名称"))
        unit = self._typed.get(wanted) or self._typed.get(wanted.replace("_", "-"))
        if unit is not None:
            return UnitMatch(unit, cleaned)
        shown = cleaned.text.strip()
        explained = self._addressed(shown)
        if explained is not None:
            raise UnknownNameError(explained)
        suggestions = close(cleaned.text, {form: unit.name for form, unit in self._typed.items()})
        if suggestions:
            raise UnknownNameError(
                msg(
                    "no unit “{name}” in the plan; did you mean {close_en}?",
                    "方案中没有单位“{name}”；是否要找：{close_zh}？",
                    name=shown,
                    close_en=", ".join(suggestions),
                    close_zh="、".join(suggestions),
                )
            )
        raise UnknownNameError(
            msg(
                "no unit “{name}” in the plan; `kpsy units` lists its units",
                "方案中没有单位“{name}”；`kpsy units` 列出全部单位",
                name=shown,
            )
        )

    def resolve(self, name: str) -> Unit:
        """The unit a user means by `name`; an unknown name raises with the closest matches."""
        return self.match(name).unit

    def lookup(self, name: str) -> Unit | None:
        """The unit a user means by `name`, or None."""
        wanted = key(name)
        return self._typed.get(wanted) or self._typed.get(wanted.replace("_", "-"))

    # --- names the notice addresses -------------------------------------------------------

    def _addressed(self, name: str) -> str | None:
        """Why `name` has no tasks when the notice addresses it (各镇（街道）) or a body of its kind
        (a 街道 when the notice addresses 各镇（街道）人民政府（办事处）); None when it does not."""
        wanted = key(name)
        for addressee in self.addressees:
            group = addressee_group(addressee)
            whole = {key(addressee), key(addressee.split("各", 1)[-1]), key(group), key("各" + group)}
            # a unit's name cut short (县农业农村 for 县农业农村局) is not a village
            member = _member_of(wanted, settlement_words(addressee)) and not any(wanted in f for f in self._typed)
            if wanted not in whole and not member:
                continue
            named = [label for collective, label in self.groups() if _names_group(collective, addressee)]
            if named:
                return msg(
                    "“{name}” is not a unit of the plan's registry: the notice is addressed to {addressee}, and"
                    " responsibility lines name them only as a group, in {where}; kpsy lists tasks for the"
                    " registry's units (kpsy units)",
                    "“{name}”不是方案单位名录中的单位：印发通知主送{addressee}，责任分工只以集体名义提到他们（{where}）；"
                    "kpsy 只为名录中的单位列出任务（见 kpsy units）",
                    name=name,
                    addressee=addressee,
                    where="、".join(named),
                )
            if member or settlement_words(addressee):
                return msg(
                    "“{name}” is not a unit of the plan: the notice is addressed to {addressee}, but no action or"
                    " task names {group} in its responsibility line, so there are no tasks for {name}",
                    "“{name}”不是方案的责任单位：印发通知主送{addressee}，但没有哪项行动或任务的责任分工列出{group}，"
                    "因此{name}没有分到任务",
                    name=name,
                    addressee=addressee,
                    group=group,
                )
            return msg(
                "“{name}” is how the notice addresses a group of units ({addressee}), not a unit: name one of"
                " them (kpsy units lists them)",
                "“{name}”是印发通知对一类单位的统称（{addressee}），不是具体单位：请给出其中一个单位（kpsy units 列出全部单位）",
                name=name,
                addressee=addressee,
            )
        return None

    def lookalike_note(self, name: str) -> str | None:
        """Why `name` is not a unit's short name although it looks like one: invisible or full-width characters."""
        odd = unusual_characters(name)
        if not odd:
            return None
        cleaned = unicodedata.normalize("NFKC", "".join(c for c in name if unicodedata.category(c) not in ("Cf", "Cc")))
        cleaned = "".join(cleaned.split())
        described = ", ".join(odd)
        if self.is_short_name(cleaned):
            return msg(
                "it contains {chars}, so it is not {name}",
                "其中有 {chars}，因此不是{name}",
                chars=described,
                name=cleaned,
            )
        return msg("it contains {chars}", "其中有 {chars}", chars=described)

    # --- units named in text ----------------------------------------------------------------

    @cached_property
    def _mention_names(self) -> list[str]:
        # Longest first, so that names containing one another resolve to the longest (老科协 is not
        # the 科协 inside it); aliases are not matched in text.
        return sorted({n for u in self.units for n in (u.name, u.full_name) if n}, key=len, reverse=True)

    def _named_in(self, text: str) -> list[tuple[int, str]]:
        """(offset, name) of each unit's name in `text`, read from the left: at each place the
        longest name there, never two that overlap (as a regular expression of the names, longest
        first, finds them; found with `str.find`, which costs no compiling)."""
        hits: list[tuple[int, int, str]] = []
        for name in self._mention_names:
            at = text.find(name)
            while at >= 0:
                hits.append((at, -len(name), name))
                at = text.find(name, at + 1)
        hits.sort()
        found: list[tuple[int, str]] = []
        end = 0
        for at, _, name in hits:
            if at >= end:
                found.append((at, name))
                end = at + len(name)
        return found

    def mentions(self, text: str) -> list[str]:
        """Short names of the units `text` names, in protocol order."""
        short = self.place.short if self.place else ""
        ending = _WORDS_ENDING_IN.get(short, "")
        found: set[str] = set()
        for start, name in self._named_in(text):
            if short and name.startswith(short) and start > 0 and text[start - 1] in ending:
                continue
            found.add(self._owner[name].name)
        return self.sort(found)

"""The unit registry: units in protocol order, found by any of their names, and found in text.

Protocol order (党委部门, 政府部门, 驻区单位, 群团) is the registry's order; every listing of units
follows it. Within one responsibility line the document's own order is kept wherever the line is
quoted. How names abbreviate the place (县教育局 = 青山县教育局) comes from the registry's data.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import cached_property

from kpsy.errors import UnknownNameError
from kpsy.i18n import msg
from kpsy.plan.model import Place, Unit, unusual_characters
from kpsy.util import suggest

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


class UnitRegistry:
    """The units of one plan, in protocol order."""

    def __init__(self, units: Iterable[Unit], place: Place | None = None) -> None:
        self.units: list[Unit] = list(units)
        self.place = place

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
        from kpsy.util import safe_filename

        digits = max(2, len(str(len(self.units))))
        return f"{self.order(unit.name) + 1:0{digits}d}-{unit.id}-{safe_filename(unit.name, unit.id)}"

    # --- what people type -------------------------------------------------------------------

    def _place_variants(self, name: str) -> list[str]:
        """`name` written with each form of the place: 县教育局 -> 青山县教育局, 江城市青山县教育局."""
        if self.place is None:
            return []
        forms = sorted({self.place.short, *self.place.names}, key=len, reverse=True)
        bare = name.removeprefix(_PARTY)
        form = next((f for f in forms if bare.startswith(f)), None)
        if form is None or bare == form:
            return []
        rest = bare[len(form) :]
        variants = [f + rest for f in forms]
        if name.startswith(_PARTY) or rest.startswith("委"):  # 县委… is also 中共青山县委…
            variants += [_PARTY + f + rest for f in forms if f != self.place.short]
        return variants

    def forms(self, unit: Unit) -> list[str]:
        """Every name a user may type for `unit`: id, short name, full name, aliases, and each of
        them with the place written out or left off."""
        names = [unit.id, *unit.names]
        for name in unit.names:
            names += self._place_variants(name)
        return list(dict.fromkeys(names))

    @cached_property
    def _typed(self) -> dict[str, Unit]:
        typed: dict[str, Unit] = {}
        for unit in self.units:
            for form in self.forms(unit):
                typed.setdefault(form, unit)
        return typed

    def resolve(self, name: str) -> Unit:
        """The unit a user means by `name`; an unknown name raises with the closest matches."""
        if not name.strip():
            from kpsy.errors import UsageError

            raise UsageError(msg("a unit needs a name", "请给出单位名称"))
        wanted = "".join(unicodedata.normalize("NFKC", name).split())
        if wanted in self._typed:
            return self._typed[wanted]
        canonical = {form: unit.name for form, unit in self._typed.items()}
        close = suggest(wanted, list(self._typed), canonical)
        hint = f"; closest: {', '.join(close)}" if close else ""
        raise UnknownNameError(f"no unit '{name}' in the plan{hint}")

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
    def _mention_pattern(self) -> re.Pattern[str]:
        # Longest first, so that names containing one another resolve to the longest (老科协 is not
        # the 科协 inside it); aliases are not matched in text.
        names = {n for u in self.units for n in (u.name, u.full_name) if n}
        alternatives = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
        return re.compile(f"(?:{alternatives})")

    def mentions(self, text: str) -> list[str]:
        """Short names of the units `text` names, in protocol order."""
        short = self.place.short if self.place else ""
        ending = _WORDS_ENDING_IN.get(short, "")
        found: set[str] = set()
        for m in self._mention_pattern.finditer(text):
            start = m.start()
            if short and m.group().startswith(short) and start > 0 and text[start - 1] in ending:
                continue
            found.add(self._owner[m.group()].name)
        return self.sort(found)

"""A unit's roles as people name them: lead / participant / mentioned, or 牵头 / 参加 / 提及."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from kpsy.errors import UsageError
from kpsy.i18n import msg

if TYPE_CHECKING:
    from kpsy.queries.tasks import Role

# Every name of a role, lower-cased, and the role it names.
ROLE_NAMES: dict[str, Role] = {
    "lead": "lead",
    "牵头": "lead",
    "participant": "participant",
    "参加": "participant",
    "mentioned": "mentioned",
    "提及": "mentioned",
}


def role_keys(values: Iterable[str]) -> list[Role]:
    """Roles by any of their names, as role keys; UsageError for a name that is no role."""
    values = [values] if isinstance(values, str) else list(values)  # one role may be given alone
    unknown = [v for v in values if not isinstance(v, str) or v.strip().lower() not in ROLE_NAMES]
    if unknown:
        raise UsageError(
            msg(
                "{v} is not a role; choose lead, participant, mentioned (牵头, 参加, 提及)",
                "“{v}”不是角色；可选 牵头、参加、提及（lead、participant、mentioned）",
                v=unknown[0],
            )
        )
    return [ROLE_NAMES[v.strip().lower()] for v in values]

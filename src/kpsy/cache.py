"""A cache of checked plans, so that a question does not pay for YAML and pydantic on every run.

An entry holds the assembled plan and every finding about it as plain data (lists, dicts, strings
and numbers, in Python's `marshal` form, which reads back faster than JSON and needs no module
loaded): reading it back only ever builds data, and every type is checked on the way
(`kpsy.plan.plain`). It is found by a key made
from the very bytes the plan was read from (`kpsy.plan.files.Snapshot`), kpsy's own code, the
language and the current folder, so an edit always makes a new key. Other files the checks read
(the original text) are recorded with their digest and checked before an entry is used.

Entries can neither lie nor run code:
- the folder ($KPSY_CACHE_DIR, else $XDG_CACHE_HOME/kpsy, else ~/.cache/kpsy) is made 0700, and is
  not used when another user owns it or group or others may write to it;
- every entry carries a keyed digest (BLAKE2b) with a secret kept outside the cache folder
  ($XDG_STATE_HOME/kpsy/cache-secret, else ~/.local/state/kpsy/cache-secret, 0600), so an entry
  written by anyone else, a cache restored from elsewhere, or a damaged file is not believed;
- anything unexpected makes a cold run, never an error. KPSY_NO_CACHE=1 turns the cache off, and
  KPSY_DEBUG=1 says why the cache was not used.
"""

from __future__ import annotations

import functools
import marshal
import os
import sys
from collections.abc import Callable
from pathlib import Path, PurePosixPath
from typing import Any

from kpsy.findings import Level, Problem
from kpsy.plan.files import Snapshot, extra_digest
from kpsy.plan.outline import PlanData, Source
from kpsy.private import KEEP, _mac, _note, _secret, cache_dir, read_signed, write_signed

try:  # BLAKE2 without importing hashlib, which loads OpenSSL: start-up time
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - a Python built without it
    from hashlib import blake2b

FORMAT = 2
ENTRY = ".entry"  # an entry's file ending (format 1 wrote JSON in .json files)
ALIAS = ".alias.json"  # a file that points from a plan's bytes to its entry (see `bytes_key`)


@functools.cache
def _code_identity() -> bytes:
    """Python's version and the size and time of every module of kpsy: any change to kpsy's code
    makes every key new."""
    parts = [sys.version]
    pending = [os.path.dirname(__file__)]
    while pending:
        folder = pending.pop()
        for entry in os.scandir(folder):
            if entry.name.endswith(".py"):
                st = entry.stat()
                parts.append(f"{entry.path}:{st.st_size}:{st.st_mtime_ns}")
            elif entry.is_dir() and not entry.name.startswith((".", "__")):
                pending.append(entry.path)
    return "\n".join(sorted(parts)).encode()


def key(root: Path, snapshot: Snapshot, place: str | None = None) -> str:
    """The key of the checked plan read into `snapshot`. `place` stands for the folder where the
    folder itself does not say what the plan is (a git revision written out into a temporary
    folder: the repository, the plan's path in it and the revision's name), so that the same bytes
    of the same revision find the same entry."""
    from kpsy.i18n import language

    h = blake2b(_code_identity(), digest_size=20)
    for part in (language(), os.getcwd(), place or os.path.realpath(root), snapshot.digest()):
        h.update(part.encode("utf-8", "surrogateescape") + b"\0")
    return h.hexdigest()


def bytes_key(snapshot: Snapshot) -> str:
    """A key made from the plan's bytes and kpsy's code alone: the same files read anywhere (a git
    revision, the working tree it once was) give the same plan, whatever names its findings carry."""
    h = blake2b(_code_identity(), digest_size=20)
    h.update(b"plan\0" + snapshot.digest().encode())
    return h.hexdigest()


def get(name: str, root: Path, snapshot: Snapshot | None = None) -> tuple[PlanData, list[Problem]] | None:
    """The checked plan stored under `name`, if there is one that can be trusted and is current
    (the other files it read, such as the original text, read again from `snapshot`'s folder)."""
    folder = cache_dir()
    secret = _secret() if folder is not None else None
    if folder is None or secret is None:
        return None
    body = read_signed(folder / f"{name}{ENTRY}", secret)
    if body is None:
        return None
    try:
        return _rebuild(marshal.loads(body), name, root, snapshot)
    except (ValueError, TypeError, KeyError, EOFError):
        _note(f"cache: entry {name} cannot be read back; not used")
        return None


def _rebuild(entry: Any, name: str, root: Path, snapshot: Snapshot | None) -> tuple[PlanData, list[Problem]] | None:
    from kpsy.plan.kinds import KINDS
    from kpsy.plan.plain import from_plain

    if entry["format"] != FORMAT or entry["key"] != name:
        return None
    for relative, digest in entry["extras"].items():
        now = snapshot.digest_now(relative) if snapshot is not None else extra_digest(root, relative)
        if now != digest:  # the original text changed since
            return None
    sources = {}
    for source_key, kind, file, data in entry["sources"]:
        sources[str(source_key)] = Source(str(kind), str(file), from_plain(KINDS[kind].model, data))
    problems = [
        Problem(
            str(f), int(line), int(col), str(rule), Level(level), str(message), str(subject), tuple(map(str, units))
        )
        for f, line, col, rule, level, message, subject, units in entry["problems"]
    ]
    return PlanData(root, sources), problems


def plan_by_bytes(snapshot: Snapshot, root: Path, show: Callable[[PurePosixPath], str]) -> PlanData | None:
    """The plan read from these very bytes before, under any name (see `bytes_key`), with its files
    named by `show`; None when there is none that can be trusted. Its findings are not given: they
    name files and folders as they were named then."""
    folder = cache_dir()
    secret = _secret() if folder is not None else None
    if folder is None or secret is None:
        return None
    body = read_signed(folder / f"{bytes_key(snapshot)}{ALIAS}", secret)
    if body is None:
        return None
    try:
        import json

        entry = json.loads(body)
        name = str(entry["entry"]) if entry["format"] == FORMAT else ""
    except (ValueError, TypeError, KeyError):
        return None
    if not name.isalnum():
        return None
    hit = get(name, root, snapshot)
    if hit is None:
        return None
    from kpsy.plan.kinds import key_of

    relative = {key_of(r): r for r in snapshot.files}
    if set(relative) != set(hit[0].sources):
        return None
    sources = {k: Source(s.kind, show(relative[k]), s.data) for k, s in hit[0].sources.items()}
    return PlanData(root, sources)


def _alias(folder: Path, secret: bytes, alias: str, name: str) -> None:
    """A small entry that points from a plan's bytes to the entry made from them."""
    import json

    body = json.dumps({"format": FORMAT, "entry": name}).encode("utf-8")
    tmp = folder / f".{alias}.{os.urandom(4).hex()}.tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(_mac(secret, body).encode() + b"\n" + body)
    os.replace(tmp, folder / f"{alias}{ALIAS}")
    aliases = sorted(folder.glob(f"*{ALIAS}"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
    for old in aliases[KEEP:]:
        old.unlink(missing_ok=True)


def put(name: str, plan: PlanData, problems: list[Problem], extras: dict[str, str], alias: str | None = None) -> None:
    """Store a checked plan under `name` (and `alias`, see `bytes_key`); a cache that cannot be
    written is simply not used."""
    from kpsy.plan.plain import to_plain

    folder = cache_dir()
    secret = _secret() if folder is not None else None
    if folder is None or secret is None:
        return
    entry = {
        "format": FORMAT,
        "key": name,
        "extras": extras,
        "sources": [[k, s.kind, s.file, to_plain(s.data)] for k, s in plan.sources.items()],
        "problems": [
            [p.file, p.line, p.col, p.rule, p.level.value, p.message, p.subject, list(p.units)] for p in problems
        ],
    }
    write_signed(folder / f"{name}{ENTRY}", secret, marshal.dumps(entry))
    if alias is not None:
        try:
            _alias(folder, secret, alias, name)
        except OSError as exc:
            _note(f"cache: cannot write to {folder}: {exc.strerror}")

"""A cache of checked plans, so that a query does not pay for YAML parsing and pydantic on every run.

An entry holds the assembled `Plan` and every finding about it. Its key is a hash of kpsy's own
code, the current folder (problems name files relative to it), and the path and bytes of every file
under the plan folder: any edit makes a new key, so an entry is never stale. Entries live in
$KPSY_CACHE_DIR, else $XDG_CACHE_HOME/kpsy, else ~/.cache/kpsy; KPSY_NO_CACHE=1 turns the cache off.
A cache that cannot be read or written is simply not used.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sys
import tempfile
from pathlib import Path
from typing import Any

KEEP = 32  # entries kept; the oldest are removed when a new one is written


def cache_dir() -> Path | None:
    if os.environ.get("KPSY_NO_CACHE"):
        return None
    if os.environ.get("KPSY_CACHE_DIR"):
        return Path(os.environ["KPSY_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "kpsy"


def _code_identity() -> bytes:
    package = Path(__file__).parent
    parts = [sys.version.encode()]
    for module in sorted(package.rglob("*.py")):
        st = module.stat()
        parts.append(f"{module.relative_to(package)}:{st.st_size}:{st.st_mtime_ns}".encode())
    return b"\n".join(parts)


def key(root: Path) -> str | None:
    """The cache key for the plan at `root`, or None when the cache is off or the plan unreadable."""
    if cache_dir() is None:
        return None
    from kpsy.i18n import language

    h = hashlib.blake2b(_code_identity() + language().encode(), digest_size=20)
    try:
        h.update(str(Path.cwd()).encode() + b"\0" + str(root.resolve()).encode() + b"\0")
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            h.update(str(path.relative_to(root)).encode() + b"\0")
            h.update(hashlib.blake2b(path.read_bytes(), digest_size=20).digest())
    except OSError:
        return None
    return h.hexdigest()


def get(name: str) -> Any | None:
    folder = cache_dir()
    if folder is None:
        return None
    try:
        with open(folder / f"{name}.pickle", "rb") as fh:
            return pickle.load(fh)
    except Exception:  # missing, unreadable, or written by another kpsy: a cold run instead
        return None


def put(name: str, value: Any) -> None:
    folder = cache_dir()
    if folder is None:
        return
    tmp = None
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")
        with os.fdopen(fd, "wb") as fh:
            pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, folder / f"{name}.pickle")
        tmp = None
        entries = sorted(folder.glob("*.pickle"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
        for old in entries[KEEP:]:
            old.unlink(missing_ok=True)
    except OSError:
        pass
    finally:
        if tmp is not None:
            Path(tmp).unlink(missing_ok=True)

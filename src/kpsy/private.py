"""A folder of this user's where kpsy keeps what it made on one run for the next (the cache of
checked plans, compiled templates), and files in it that carry a keyed digest with this user's
secret, so that what anyone else wrote there is never believed (see `kpsy.cache`)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

try:  # BLAKE2 without importing hashlib, which loads OpenSSL: start-up time
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - a Python built without it
    from hashlib import blake2b

KEEP = 32  # files of one kind kept in a folder; the oldest are removed when a new one is written
notes: list[str] = []  # why the cache was not used, for KPSY_DEBUG


def _note(message: str) -> None:
    if message not in notes:
        notes.append(message)


def _base(variable: str, default: str) -> Path:
    value = os.environ.get(variable, "")
    return Path(value) if value and os.path.isabs(value) else Path.home() / default


def _private_folder(folder: Path) -> Path | None:
    """`folder`, made if missing (0700), when it is a folder of this user's that others cannot write."""
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        info = os.lstat(folder)
    except OSError as exc:
        _note(f"cache: cannot use {folder}: {exc.strerror}")
        return None
    if not stat.S_ISDIR(info.st_mode):
        _note(f"cache: {folder} is not a folder")
        return None
    if hasattr(os, "getuid") and info.st_uid != os.getuid():
        _note(f"cache: {folder} belongs to another user; not used")
        return None
    if info.st_mode & 0o022:
        _note(f"cache: {folder} can be written by group or others (mode {stat.S_IMODE(info.st_mode):o}); not used")
        return None
    return folder


def cache_dir() -> Path | None:
    """The cache folder, or None when the cache is off or the folder cannot be trusted."""
    if os.environ.get("KPSY_NO_CACHE"):
        return None
    chosen = os.environ.get("KPSY_CACHE_DIR")
    folder = Path(chosen) if chosen else _base("XDG_CACHE_HOME", ".cache") / "kpsy"
    return _private_folder(folder)


def _secret() -> bytes | None:
    """This user's secret for the entries' digests, made on first use."""
    folder = _private_folder(_base("XDG_STATE_HOME", ".local/state") / "kpsy")
    if folder is None:
        return None
    path = folder / "cache-secret"
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(os.urandom(32))
    except FileExistsError:
        pass
    except OSError as exc:
        _note(f"cache: cannot make {path}: {exc.strerror}")
        return None
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
        try:
            info = os.fstat(fd)
            data = os.read(fd, 64)
        finally:
            os.close(fd)
    except OSError as exc:
        _note(f"cache: cannot read {path}: {exc.strerror}")
        return None
    if not stat.S_ISREG(info.st_mode) or info.st_mode & 0o077 or len(data) < 32:
        _note(f"cache: {path} is not a private secret (mode {stat.S_IMODE(info.st_mode):o}); not used")
        return None
    return data[:32]


def _mac(secret: bytes, body: bytes) -> str:
    return blake2b(body, key=secret, digest_size=32).hexdigest()


def read_signed(path: Path, secret: bytes) -> bytes | None:
    """What a file of the cache holds, when it is a regular file that carries this user's digest."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
        try:
            if not stat.S_ISREG(os.fstat(fd).st_mode):
                return None
            with os.fdopen(fd, "rb", closefd=False) as fh:
                raw = fh.read(64 * 1024 * 1024)
        finally:
            os.close(fd)
    except OSError:
        return None
    mac, _, body = raw.partition(b"\n")
    # compared plainly: the time a comparison takes tells nothing to someone who cannot run kpsy as this user
    if mac != _mac(secret, body).encode():
        _note(f"cache: {path.name} does not carry this user's digest; not used")
        return None
    return body


def write_signed(path: Path, secret: bytes, body: bytes, keep: int = KEEP) -> None:
    """`body` into the cache file `path` (atomically, with this user's digest); the oldest files of
    its folder beyond `keep` with its ending are removed. A cache that cannot be written is not used."""
    tmp = path.parent / f".{path.name}.{os.urandom(4).hex()}.tmp"
    try:
        path.parent.mkdir(mode=0o700, exist_ok=True)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(_mac(secret, body).encode() + b"\n" + body)
        os.replace(tmp, path)
        entries = sorted(path.parent.glob(f"*{path.suffix}"), key=lambda p: p.stat().st_mtime_ns, reverse=True)
        for old in entries[keep:]:
            old.unlink(missing_ok=True)
    except OSError as exc:
        _note(f"cache: cannot write to {path.parent}: {exc.strerror}")
        tmp.unlink(missing_ok=True)

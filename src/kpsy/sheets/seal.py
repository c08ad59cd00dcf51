"""The seal on a fill-in sheet: a keyed checksum (HMAC-SHA256) over what the sheet was issued as (the
unit, the period, the plan, the file name, and the task and target rows), kept in its hidden sheet.

The key is the plan folder's own secret, `.kpsy/sheet-key` (32 random bytes, made 0600 on first use
in a folder made 0700, and never committed: the folder holds a `.gitignore` of `*`). A unit that
receives a sheet holds only the seal, never the key, so it cannot make a seal for another unit or
period; a seal that does not match what the hidden sheet says shows it was changed.

On another computer the key is not there (a fresh clone has none): sheets issued elsewhere cannot be
checked there, and the import says so, naming the key's fingerprint. Copy `.kpsy/sheet-key` from the
computer that issued them, or import with `--trust-unsigned` (the sheet's word is then taken).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import stat
from pathlib import Path

from kpsy.errors import OutputError
from kpsy.i18n import msg

FOLDER = ".kpsy"
KEY_FILE = "sheet-key"
KEY_BYTES = 32


def key_path(root: Path) -> Path:
    return root / FOLDER / KEY_FILE


def private_folder(root: Path) -> Path:
    """The plan folder's `.kpsy/`, made 0700 with a `.gitignore` of `*` when missing."""
    folder = root / FOLDER
    folder.mkdir(mode=0o700, exist_ok=True)
    ignore = folder / ".gitignore"
    if not ignore.exists():
        ignore.write_text("# kpsy's secrets for this plan folder: never commit them\n*\n", encoding="utf-8")
    return folder


def plan_key(root: Path, *, create: bool) -> bytes | None:
    """The plan folder's sheet key, made when missing and `create` is true; None when there is none.
    A key file that others may read, or that is not a regular file, is refused (OutputError)."""
    path = key_path(root)
    if create and not path.exists():
        try:
            private_folder(root)
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
            with os.fdopen(fd, "wb") as fh:
                fh.write(os.urandom(KEY_BYTES))
        except FileExistsError:
            pass
        except OSError as exc:
            raise OutputError(
                msg(
                    "cannot make the sheet key {path}: {why}",
                    "无法生成填报表密钥 {path}：{why}",
                    path=path,
                    why=exc.strerror or exc,
                )
            ) from None
    return _read_key(path)


def _read_key(path: Path) -> bytes | None:
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | os.O_NONBLOCK)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise OutputError(
            msg(
                "cannot read the sheet key {path}: {why}",
                "无法读取填报表密钥 {path}：{why}",
                path=path,
                why=exc.strerror,
            )
        ) from None
    try:
        info = os.fstat(fd)
        data = os.read(fd, KEY_BYTES + 1)
    finally:
        os.close(fd)
    if not stat.S_ISREG(info.st_mode) or info.st_mode & 0o077 or len(data) != KEY_BYTES:
        raise OutputError(
            msg(
                "{path} is not a private key file of {n} bytes (mode {mode:o}): delete it or make it 0600",
                "{path} 不是 {n} 字节的私有密钥文件（权限 {mode:o}）：请删除或改为 0600",
                path=path,
                n=KEY_BYTES,
                mode=stat.S_IMODE(info.st_mode),
            )
        )
    return data


def fingerprint(key: bytes) -> str:
    """A short name for a key, shown to tell keys apart (never enough to rebuild it)."""
    return hashlib.sha256(b"kpsy sheet key\0" + key).hexdigest()[:12]


def seal(key: bytes, fields: list[str], rows: list[list[str]]) -> str:
    """The keyed checksum over `fields` and `rows`, each value as text."""
    body = "\x1e".join(["\x1f".join(fields), *("\x1f".join(row) for row in rows)])
    return hmac.new(key, body.encode("utf-8"), hashlib.sha256).hexdigest()


def matches(key: bytes, fields: list[str], rows: list[list[str]], given: str) -> bool:
    return hmac.compare_digest(seal(key, fields, rows), given)

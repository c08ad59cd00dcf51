"""The plan folder on disk: which files there are, and their bytes, read once and read safely.

Only regular files are read, never more than a byte limit (a FIFO, a device or /dev/zero cannot
hang or exhaust kpsy), and only inside the plan folder: a symbolic link may point elsewhere in the
folder, never out of it. Symlinked folders are followed, and a loop is named, not followed twice.
Editor and system droppings (DROPPINGS) are not plan files.

A `Snapshot` holds the bytes of every plan file as they were read; the loader parses exactly those
bytes, and the cache key is made from exactly those bytes.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from dataclasses import field
from pathlib import Path, PurePosixPath

from kpsy.findings import Level, Problem, Rule, declare
from kpsy.i18n import msg
from kpsy.light import glob_match, light
from kpsy.util import read_fd, what_it_is

try:  # BLAKE2 without importing hashlib, which loads OpenSSL: start-up time
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - a Python built without it
    from hashlib import blake2b

MAX_FILE_BYTES = 4 * 1024 * 1024
YAML_SUFFIXES = (".yaml", ".yml")
# Names that are never plan files: hidden files (editor locks .#x.yaml, macOS ._x.yaml, vim swap
# files, kpsy's own temporary files) and backups. A dropping is skipped without a word.
DROPPINGS = (".*", "*~", "#*#", "*.swp", "*.swo", "*.tmp", "*.bak", "*.orig", "*.rej")

FILE = declare(
    "file", Level.ERROR, "A plan file exists, is a regular file inside the plan folder, and can be read.", "file"
)
FILE_SIZE = declare(
    "file-size", Level.ERROR, f"A plan file is at most {MAX_FILE_BYTES:,} bytes (never more is read).", "file"
)
FOLDER = declare(
    "folder",
    Level.ERROR,
    "Every folder of the plan can be read, and no symbolic link loops back or points out of the plan folder.",
    "file",
)


def is_dropping(name: str) -> bool:
    return any(glob_match(name, pattern) for pattern in DROPPINGS)


class ReadError(Exception):
    """A file could not be read; the message says why, for a person, and `rule` which rule it breaks."""

    def __init__(self, message: str, rule: Rule = FILE, reason: str = "") -> None:
        super().__init__(message)
        self.rule = rule
        self.reason = reason or message  # the message without "cannot read file: "


def read_bytes(path: Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of the regular file at `path`, at most `limit` of them; raises ReadError otherwise."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        why = str(exc.strerror or exc)
        raise ReadError(msg("cannot read file: {why}", "无法读取文件：{why}", why=why), reason=why) from None
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            en, zh = what_it_is(mode)
            why = msg("it is {en}, not a file", "它是{zh}，不是文件", en=en, zh=zh)
            raise ReadError(msg("cannot read file: {why}", "无法读取文件：{why}", why=why), reason=why)
        data = read_fd(fd, limit)
    except OSError as exc:
        why = str(exc.strerror or exc)
        raise ReadError(msg("cannot read file: {why}", "无法读取文件：{why}", why=why), reason=why) from None
    finally:
        os.close(fd)
    if len(data) > limit:
        raise ReadError(
            msg(
                "file is more than {limit:,} bytes; plan files are limited to that",
                "文件超过 {limit:,} 字节，计划文件不能超过这个大小",
                limit=limit,
            ),
            FILE_SIZE,
        )
    return data


def inside(root: Path, path: Path) -> bool:
    """Whether `path`, with every symbolic link resolved, is inside the folder `root`."""
    try:
        return Path(os.path.realpath(path)).is_relative_to(os.path.realpath(root))
    except (OSError, ValueError):
        return False


@light
class Snapshot:
    """The plan folder as it was read: every plan file's bytes, the YAML files of kinds kpsy does not
    know (by name only), and what could not be read."""

    root: Path
    files: dict[PurePosixPath, bytes] = field(default_factory=dict)  # plan files: relative path -> bytes
    unreadable: dict[PurePosixPath, str] = field(default_factory=dict)  # relative path -> why
    rules: dict[PurePosixPath, Rule] = field(default_factory=dict)  # relative path -> the rule it breaks
    others: list[PurePosixPath] = field(default_factory=list)  # YAML files of no known kind
    problems: list[Problem] = field(default_factory=list)  # folders that could not be read, loops
    blind: list[PurePosixPath] = field(default_factory=list)  # folders whose files could not be listed
    extras: dict[str, str] = field(default_factory=dict)  # other files read later (source text): path -> digest
    # a folder that is not on disk (a git revision read from its archive): every file's bytes by path
    tree: dict[str, bytes] | None = None

    def digest(self) -> str:
        """A digest of every plan file's path and bytes, as read."""
        h = blake2b(digest_size=20)
        for relative in sorted(self.files):
            h.update(str(relative).encode() + b"\0" + blake2b(self.files[relative], digest_size=20).digest())
        for relative in sorted(self.unreadable):
            h.update(b"!" + str(relative).encode() + b"\0" + self.unreadable[relative].encode())
        for relative in sorted(self.others):
            h.update(b"?" + str(relative).encode() + b"\0")
        # what the folder itself says (a link loop, a link out of the plan, a folder that cannot be
        # read) is an answer too: a cached one must not hide it, nor keep it once it is mended
        for problem in sorted(self.problems, key=lambda p: (p.file, p.rule, p.message)):
            h.update(
                b"#" + f"{problem.file}\0{problem.rule}\0{problem.message}".encode("utf-8", "surrogateescape") + b"\0"
            )
        for folder in sorted(self.blind):
            h.update(b"~" + str(folder).encode("utf-8", "surrogateescape") + b"\0")
        return h.hexdigest()

    def in_blind_folder(self, relative: PurePosixPath) -> bool:
        return any(relative.is_relative_to(folder) for folder in self.blind)

    def read_extra(self, relative: str) -> bytes:
        """Another file of the plan folder (the original text), read as safely as plan files and
        remembered, so that a cached answer can be checked against it; raises ReadError."""
        path = self.root / relative
        outside = (
            PurePosixPath(relative).is_absolute() or _normal(relative) is None
            if self.tree is not None
            else PurePosixPath(relative).is_absolute() or not inside(self.root, path)
        )
        if outside:
            raise ReadError(
                msg(
                    "{path} is outside the plan folder; kpsy reads only files inside it",
                    "{path} 在计划文件夹之外；kpsy 只读取计划文件夹内的文件",
                    path=relative,
                )
            )
        data = self._tree_bytes(relative) if self.tree is not None else read_bytes(path)
        self.extras[relative] = blake2b(data, digest_size=20).hexdigest()
        return data

    def _tree_bytes(self, relative: str) -> bytes:
        assert self.tree is not None
        data = self.tree.get(_normal(relative) or "")
        if data is None:
            why = msg("no such file in this revision", "此修订版中没有这个文件")
            raise ReadError(msg("cannot read file: {why}", "无法读取文件：{why}", why=why), reason=why)
        if len(data) > MAX_FILE_BYTES:
            raise ReadError(
                msg(
                    "file is more than {limit:,} bytes; plan files are limited to that",
                    "文件超过 {limit:,} 字节，计划文件不能超过这个大小",
                    limit=MAX_FILE_BYTES,
                ),
                FILE_SIZE,
            )
        return data

    def digest_now(self, relative: str) -> str | None:
        """The digest of another file of the plan folder as it is now (None when it cannot be read)."""
        if self.tree is None:
            return extra_digest(self.root, relative)
        try:
            return blake2b(self._tree_bytes(relative), digest_size=20).hexdigest()
        except ReadError:
            return None


def _normal(relative: str) -> str | None:
    """A relative path without . and .. ("source/a.txt"), or None when it leaves the folder."""
    parts: list[str] = []
    for part in PurePosixPath(relative).parts:
        if part == "..":
            if not parts:
                return None
            parts.pop()
        elif part != ".":
            parts.append(part)
    return "/".join(parts)


def extra_digest(root: Path, relative: str) -> str | None:
    """The digest of another file of the plan folder now (None when it cannot be read)."""
    if PurePosixPath(relative).is_absolute() or not inside(root, root / relative):
        return None
    try:
        return blake2b(read_bytes(root / relative), digest_size=20).hexdigest()
    except ReadError:
        return None


def snapshot(
    root: Path, wanted: Callable[[PurePosixPath], bool], show: Callable[[PurePosixPath], str] | None = None
) -> Snapshot:
    """Read the plan folder at `root`: the bytes of every file for which `wanted(relative)` is true,
    the names of the other YAML files, and problems with folders.

    `show(relative)` names a file in a problem (default: its path relative to the current folder).
    """
    walk = _Walk(root, wanted, show)
    # each folder waits with the identities of the folders above it: a link back to one of them is a loop
    pending: list[tuple[Path, PurePosixPath, _Ancestors]] = [(root, PurePosixPath("."), {})]
    while pending:
        folder, relative_folder, above = pending.pop()
        opened = walk.open(folder, relative_folder, above)
        if opened is None:
            continue
        entries, here = opened
        subfolders = []
        for entry in entries:
            relative = PurePosixPath(os.path.normpath(relative_folder / entry.name))
            if walk.take(entry, relative):
                subfolders.append((Path(entry.path), relative, here))
        pending += reversed(subfolders)
    return walk.snap


_Ancestors = dict[tuple[int, int], PurePosixPath]


class _Walk:
    """One walk through a plan folder on disk, filling its snapshot."""

    def __init__(
        self, root: Path, wanted: Callable[[PurePosixPath], bool], show: Callable[[PurePosixPath], str] | None
    ) -> None:
        from kpsy.util import display_path

        self.snap = Snapshot(root)
        self.wanted = wanted
        self.name = show if show is not None else (lambda relative: display_path(root / relative))
        self.real_root = os.path.realpath(root)

    def open(
        self, folder: Path, relative: PurePosixPath, above: _Ancestors
    ) -> tuple[list[os.DirEntry[str]], _Ancestors] | None:
        """A folder's entries by name, and the folders it stands under with itself; None (with the
        problem reported) when it cannot be read or is one of the folders above it (a link loop)."""
        try:
            info = os.stat(folder)
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            self.snap.blind.append(relative)
            why = exc.strerror or str(exc)
            self.problem(relative, msg("cannot read folder: {why}", "无法读取文件夹：{why}", why=why))
            return None
        identity = (info.st_dev, info.st_ino)
        if identity in above:
            message = msg(
                "symbolic link loop: this folder is {other}, which holds it; it is not read again",
                "符号链接循环：此文件夹就是包含它的 {other}，不再重复读取",
                other=self.name(above[identity]),
            )
            self.problem(relative, message)
            return None
        return entries, {**above, identity: relative}

    def take(self, entry: os.DirEntry[str], relative: PurePosixPath) -> bool:
        """One entry of a folder: a YAML file read (or named, when not wanted), a link outside the
        plan folder refused, droppings and other files passed over. True for a folder to walk into."""
        if is_dropping(entry.name):
            return False
        path = Path(entry.path)
        yaml_file = entry.name.endswith(YAML_SUFFIXES)
        target = os.path.realpath(path) if entry.is_symlink() else ""
        if target and target != self.real_root and not target.startswith(self.real_root + os.sep):
            if yaml_file or _is_dir(path):
                message = msg(
                    "symbolic link to {target}, outside the plan folder; it is not read",
                    "符号链接指向计划文件夹之外的 {target}，不予读取",
                    target=os.readlink(path),
                )
                self.problem(relative, message)
            return False
        if not yaml_file:
            return _is_dir(path)
        if not self.wanted(relative):
            self.snap.others.append(relative)
            return False
        try:
            self.snap.files[relative] = read_bytes(path)
        except ReadError as exc:
            self.snap.unreadable[relative] = str(exc)
            self.snap.rules[relative] = exc.rule
        return False

    def problem(self, relative: PurePosixPath, message: str) -> None:
        self.snap.problems.append(FOLDER.problem(self.name(relative), 0, 0, message))


def _is_dir(path: Path) -> bool:
    try:
        return stat.S_ISDIR(os.stat(path).st_mode)
    except OSError:
        return False


def namer(root: Path, label: str | None = None) -> Callable[[PurePosixPath], str]:
    """How problems name a file of the plan at `root`: relative to the current folder, or as
    `label` + its path in the plan (a git revision's plan: "HEAD~1:plan/")."""
    from kpsy.util import display_path

    def show(relative: PurePosixPath) -> str:
        return display_path(root / relative) if label is None else f"{label}{relative}"

    return show


def read_folder(root: Path, label: str | None = None) -> Snapshot:
    """Every plan file (every file of a kind kpsy knows) of the folder at `root`, read once."""
    from kpsy.plan.kinds import kind_of

    return snapshot(root, lambda relative: kind_of(relative) is not None, namer(root, label))


def from_tree(
    root: Path, tree: dict[str, bytes], wanted: Callable[[PurePosixPath], bool], show: Callable[[PurePosixPath], str]
) -> Snapshot:
    """A plan folder that is not on disk (a git revision's files, by path relative to the folder),
    read as `snapshot` reads one on disk: droppings skipped, plan files over the limit refused, the
    other YAML files named; the rest (the original text) kept for `read_extra`. `root` names it."""
    snap = Snapshot(root, tree=tree)
    for name, data in sorted(tree.items()):
        relative = PurePosixPath(name)
        if any(is_dropping(part) for part in relative.parts) or not name.endswith(YAML_SUFFIXES):
            continue
        if not wanted(relative):
            snap.others.append(relative)
        elif len(data) > MAX_FILE_BYTES:
            snap.unreadable[relative] = msg(
                "file is more than {limit:,} bytes; plan files are limited to that",
                "文件超过 {limit:,} 字节，计划文件不能超过这个大小",
                limit=MAX_FILE_BYTES,
            )
            snap.rules[relative] = FILE_SIZE
        else:
            snap.files[relative] = data
    return snap


def read_tree(root: Path, tree: dict[str, bytes], label: str) -> Snapshot:
    """Every plan file of a folder given as its files' bytes (see `from_tree`), named as `label` + path."""
    from kpsy.plan.kinds import kind_of

    return from_tree(root, tree, lambda relative: kind_of(relative) is not None, lambda r: f"{label}{r}")

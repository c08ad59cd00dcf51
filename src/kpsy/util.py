"""Small helpers every layer uses: paths as the user types them, atomic writes, Markdown escaping,
JSON as kpsy prints it."""

from __future__ import annotations

import contextlib
import functools
import os
import re
import stat
from pathlib import Path
from typing import Any

from kpsy.errors import OutputError
from kpsy.light import lazy_re


def display_path(path: Path) -> str:
    """A path as the user would type it: relative to the current folder when inside it. A symbolic
    link is named as it is, not as what it points to."""
    try:
        here = os.getcwd()
        absolute = os.path.abspath(path)
        for base in (here, os.path.realpath(here)):
            if absolute == base or absolute.startswith(base.rstrip(os.sep) + os.sep):
                return os.path.relpath(absolute, base)
        parent = os.path.realpath(os.path.dirname(absolute))  # the folder may be reached through a link
        candidate = os.path.join(parent, os.path.basename(absolute))
        if candidate.startswith(os.path.realpath(here).rstrip(os.sep) + os.sep):
            return os.path.relpath(candidate, os.path.realpath(here))
    except (ValueError, OSError):
        pass
    return str(path)


_KINDS_OF_FILE = {
    stat.S_IFDIR: ("a folder", "文件夹"),
    stat.S_IFIFO: ("a FIFO (named pipe)", "命名管道（FIFO）"),
    stat.S_IFCHR: ("a character device", "字符设备"),
    stat.S_IFBLK: ("a block device", "块设备"),
    stat.S_IFSOCK: ("a socket", "套接字"),
}


def what_it_is(mode: int) -> tuple[str, str]:
    """What a file that is not a regular file is, in English and Chinese."""
    return _KINDS_OF_FILE.get(stat.S_IFMT(mode), ("not a regular file", "非普通文件"))


def read_fd(fd: int, limit: int) -> bytes:
    """What `fd` holds, but never more than `limit` + 1 bytes (so that "more than `limit`" shows)."""
    chunks: list[bytes] = []
    size = 0
    while size <= limit:
        chunk = os.read(fd, min(1 << 20, limit + 1 - size))
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def folder_mode() -> int:
    """The mode a new folder gets under the umask (0755 under 022): for folders made private by
    tempfile.mkdtemp (0700) and then renamed into the user's place."""
    return 0o777 & ~_umask()


def writable_target(path: Path) -> Path:
    """The file a write to `path` replaces: `path`, or the file a symbolic link at `path` points to
    (the link stays a link). Raises OutputError for what must not be replaced."""
    from kpsy.i18n import msg

    if not str(path) or str(path) in (".", ".."):
        raise OutputError(msg("no file name given", "没有给出文件名"))
    target = Path(os.path.realpath(path)) if os.path.islink(path) else path
    try:
        info = os.stat(target)
    except FileNotFoundError:
        return target
    except OSError as exc:
        raise OutputError(
            msg("cannot write {path}: {why}", "无法写入 {path}：{why}", path=path, why=exc.strerror)
        ) from None
    if not stat.S_ISREG(info.st_mode):
        en, zh = what_it_is(info.st_mode)
        raise OutputError(
            msg(
                "{path} is {en}, not a file: kpsy writes only regular files",
                "{path} 是{zh}，不是文件：kpsy 只写入普通文件",
                path=path,
                en=en,
                zh=zh,
            )
        )
    if not info.st_mode & 0o222 or not os.access(target, os.W_OK):
        raise OutputError(msg("{path} is read-only; it was left as it is", "{path} 是只读文件，未作改动", path=path))
    return target


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write `data` to `path` through a temporary file and a rename: never a half-written file.

    A new file gets the mode the umask allows; a file replaced keeps its mode (and, when root
    writes it, its owner). A symbolic link is followed: the file it points to is replaced and the
    link stays. Anything that is not a regular file (a folder, a device such as /dev/null, a FIFO)
    and read-only files are refused with OutputError; so is a failed or short write (a full disk,
    a file-size limit), and then nothing is left behind.
    """
    import tempfile

    from kpsy.i18n import msg

    payload = data.encode("utf-8") if isinstance(data, str) else data
    target = writable_target(path)
    try:
        info: os.stat_result | None = os.stat(target)
    except FileNotFoundError:
        info = None
    mode = stat.S_IMODE(info.st_mode) if info else 0o666 & ~_umask()
    folder = target.parent if str(target.parent) else Path(".")
    tmp: str | None = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{_short_name(target.name)}.", suffix=".tmp", dir=folder)
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
            os.fchmod(fh.fileno(), mode)
            if info is not None and hasattr(os, "geteuid") and os.geteuid() == 0:
                os.fchown(fh.fileno(), info.st_uid, info.st_gid)
        os.replace(tmp, target)
        tmp = None
    except OSError as exc:
        raise OutputError(
            msg("cannot write {path}: {why}", "无法写入 {path}：{why}", path=path, why=exc.strerror or exc)
        ) from exc
    finally:
        if tmp is not None and os.path.exists(tmp):
            os.unlink(tmp)


def _write_all(fd: int, data: bytes) -> None:
    """Every byte of `data` to `fd` (a short write is continued, never taken for a whole one)."""
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view) :]


class BatchError(OutputError):
    """A batch of files could not all be written: what was written and what was not are named."""

    def __init__(self, message: str, written: list[Path], unwritten: list[Path]) -> None:
        super().__init__(message)
        self.written = written
        self.unwritten = unwritten


class StagedWrites:
    """Files written all or nothing: each is first written in full beside its target (a hidden
    temporary file, flushed to disk), and only when every one is staged are they renamed into
    place. A failure while staging leaves every target as it was; a failure while renaming puts
    back what was already replaced, and the error names exactly what was and was not written."""

    def __init__(self) -> None:
        self.staged: list[tuple[Path, Path, bytes | None, int]] = []  # temporary, target, old bytes, mode
        self.folders: list[Path] = []  # folders made for the batch, removed again if it fails

    def _folder(self, folder: Path) -> None:
        missing = []
        while not folder.exists() and folder != folder.parent:
            missing.append(folder)
            folder = folder.parent
        for made in reversed(missing):
            made.mkdir()
            self.folders.append(made)

    def stage(self, path: Path, data: str | bytes) -> None:
        """Write `data` beside `path`; raises BatchError (nothing written) when it cannot."""
        import tempfile

        payload = data.encode("utf-8") if isinstance(data, str) else data
        tmp: str | None = None
        try:
            self._folder(path.parent)
            target = writable_target(path)
            old = target.read_bytes() if target.exists() else None
            mode = stat.S_IMODE(os.stat(target).st_mode) if old is not None else 0o666 & ~_umask()
            fd, tmp = tempfile.mkstemp(prefix=f".{_short_name(target.name)}.", suffix=".tmp", dir=target.parent)
            try:
                _write_all(fd, payload)
                os.fsync(fd)
                os.fchmod(fd, mode)
            finally:
                os.close(fd)
            self.staged.append((Path(tmp), target, old, mode))
        except (OSError, OutputError) as exc:
            if tmp is not None:
                Path(tmp).unlink(missing_ok=True)
            self.discard()
            raise self._failed(path, exc, []) from None

    def commit(self) -> list[Path]:
        """Rename every staged file into place; the targets written, in order."""
        done: list[tuple[Path, bytes | None, int]] = []
        for tmp, target, old, mode in self.staged:
            try:
                os.replace(tmp, target)
            except OSError as exc:
                kept = self._undo(done)
                self.discard()
                raise self._failed(target, exc, kept) from None
            done.append((target, old, mode))
        self.staged = []
        return [target for target, _, _ in done]

    def _undo(self, done: list[tuple[Path, bytes | None, int]]) -> list[Path]:
        """Put back what the batch replaced; the files that could not be put back."""
        kept = []
        for target, old, _ in reversed(done):
            try:
                if old is None:
                    target.unlink()
                else:
                    write_atomic(target, old)
            except (OSError, OutputError):
                kept.append(target)
        return kept

    def discard(self) -> None:
        """Remove every staged file and the folders made for them."""
        for tmp, _, _, _ in self.staged:
            tmp.unlink(missing_ok=True)
        self.staged = []
        for folder in reversed(self.folders):
            with contextlib.suppress(OSError):
                folder.rmdir()
        self.folders = []

    def _failed(self, path: Path, exc: Exception, written: list[Path]) -> BatchError:
        from kpsy.i18n import msg

        why = exc.message if isinstance(exc, OutputError) else (getattr(exc, "strerror", None) or str(exc))
        return BatchError(
            msg(
                "cannot write {path}: {why}",
                "无法写入 {path}：{why}",
                path=display_path(path),
                why=why,
            ),
            written,
            [],
        )


def _short_name(name: str, limit: int = 100) -> str:
    """`name` cut to at most `limit` bytes of UTF-8 (whole characters), for a temporary file's name."""
    return fit_bytes(name, limit)


# A paragraph that starts like a list item in pandoc's Markdown (1. a. iv. IV. A.  #.) loses its
# "number" to a list marker: the dot after it is escaped so that it stays text.
_LIST_MARKER = lazy_re(r"^([0-9]+|[A-Za-z]+|#)\.(?=\s|$)", re.M)


MAX_NAME_BYTES = 150  # of a file name kpsy makes from data: room below NAME_MAX (255) for its temporary files


def safe_filename(text: str, fallback: str = "document", max_bytes: int = MAX_NAME_BYTES) -> str:
    """`text` as part of a file name on any system: no separators, reserved or control characters, or
    spaces, and at most `max_bytes` bytes of UTF-8 (cut at a whole character: a unit's name of 120
    Chinese characters is 360 bytes, over what a file system allows in a name)."""
    name = re.sub(r'[\\/:*?"<>|\s\x00-\x1f]+', "_", text).strip("._") or fallback
    return fit_bytes(name, max_bytes).rstrip("._") or fallback


def fit_bytes(text: str, limit: int) -> str:
    """`text` cut to at most `limit` bytes of UTF-8, at a whole character."""
    data = text.encode("utf-8", "surrogateescape")
    return text if len(data) <= limit else data[:limit].decode("utf-8", "ignore")


@functools.lru_cache(maxsize=8192)  # the same names and phrases come back in every letter
def md_escape(text: str) -> str:
    """Text from the data, safe inside Markdown: every character that could start markup escaped
    (emphasis, links, raw HTML and raw attributes, tables, headings, quotes, code), and a leading
    enumerator in any of pandoc's list styles (1. a. iv. IV. A. #.) kept literal."""
    text = re.sub(r"([\\`*_{}\[\]<>()#+!|~^$@&])", r"\\\1", text)
    text = re.sub(r"^([-=:])", r"\\\1", text, flags=re.M)
    return _LIST_MARKER().sub(r"\1\\.", text)


def visible(text: str) -> str:
    """`text` safe to show on a terminal: control characters and direction overrides written as
    \\x1b, \\u202e, so that nothing typed or read can move the cursor, change colours or reverse text."""
    import unicodedata

    def shown(char: str) -> str:
        if char in "\n\t":
            return char
        if unicodedata.category(char) == "Cc" or "\u202a" <= char <= "\u202e" or "\u2066" <= char <= "\u2069":
            return f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}"
        return char

    return "".join(shown(c) for c in text)


_XML_UNSAFE = lazy_re(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff"
    + "".join(chr(plane << 16 | 0xFFFE) + chr(plane << 16 | 0xFFFF) for plane in range(1, 17))
    + "]"
)


def xml_safe(text: str) -> str:
    """`text` as an XML document (a .docx, an .xlsx) can hold it: control characters, lone surrogates
    and noncharacters written as visible escapes (\\x07, \\uffff), never as what would make the file
    unreadable. `kpsy validate` refuses them in plan files; this is the last guard."""
    return _XML_UNSAFE().sub(
        lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100 else f"\\u{ord(m.group()):04x}", text
    )


def dump_json(data: Any) -> str:
    """JSON as kpsy prints it: UTF-8 text (not \\u escapes), indented, one trailing newline."""
    import json

    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def suggest(name: str, candidates: list[str], canonical: dict[str, str] | None = None, n: int = 3) -> list[str]:
    """The candidates closest to `name` (for "did you mean"), each shown by its canonical form,
    at most `n`, none that are not close."""
    import difflib

    pool = list(dict.fromkeys(candidates))
    close = difflib.get_close_matches(name, pool, n=n * 2, cutoff=0.5)
    return list(dict.fromkeys((canonical or {}).get(c, c) for c in close))[:n]

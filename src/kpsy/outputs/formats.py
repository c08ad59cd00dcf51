"""Output formats: a family is one table of name -> reporter, from which the CLI's --format choices are made."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Callable
from dataclasses import field
from pathlib import Path
from typing import Any, Generic, TextIO, TypeVar

from kpsy.errors import OutputError, PipeClosedError, UsageError
from kpsy.i18n import msg
from kpsy.light import light
from kpsy.util import write_atomic

R = TypeVar("R")

PIPED_WIDTH = 100  # columns for wrapped text when the output is not a terminal and COLUMNS is not set

_ANY_TEXT = {".txt"}  # names the plain format when none is asked for, but holds any text format
_BINARY = {"xlsx", "docx", "redline"}

_CSV = {"bom": True}


def use_bom(on: bool) -> None:
    """Whether CSV starts with a byte-order mark (the default: Excel on Chinese Windows needs it to read UTF-8)."""
    _CSV["bom"] = on


def csv_bom() -> str:
    return "\ufeff" if _CSV["bom"] else ""


# The file name endings of each format name, in every family: `-o FILE` picks the format by them.
SUFFIXES: dict[str, tuple[str, ...]] = {
    "table": (".txt",),
    "text": (".txt",),
    "plain": (".txt",),
    "json": (".json",),
    "csv": (".csv",),
    "md": (".md", ".markdown"),
    "xlsx": (".xlsx",),
    "html": (".html", ".htm"),
    "docx": (".docx",),
    "redline": (".docx",),
    "sarif": (".sarif",),
}


@light
class Sink:
    """Where a reporter writes: a file named with -o, or standard output, which is a terminal or not.

    The terminal-or-plain decision is made here, once: `terminal` is true only for standard output
    that is a terminal.
    """

    stream: TextIO
    path: Path | None = None
    terminal: bool = False
    width: int = PIPED_WIDTH
    written: list[Path] = field(default_factory=list)

    @classmethod
    def open(cls, output: Path | None = None, stream: TextIO | None = None) -> Sink:
        out = stream if stream is not None else sys.stdout
        if output is not None and str(output).strip() in ("", "."):
            raise UsageError(msg("-o needs a file name", "-o 需要一个文件名"))
        if output is None and out is None:
            raise OutputError(msg("standard output is closed; use -o FILE", "标准输出已关闭；请用 -o FILE"))
        terminal = output is None and out.isatty()
        columns = os.environ.get("COLUMNS", "")
        if columns.isdigit() and int(columns) > 0:
            width = int(columns)
        elif terminal:
            width = shutil.get_terminal_size((PIPED_WIDTH, 24)).columns
        else:
            width = PIPED_WIDTH
        return cls(out, output, terminal, width)

    def write(self, data: str | bytes) -> None:
        """The whole output: to the file (atomically), or to the stream."""
        if self.path is not None:
            write_atomic(self.path, data)
            self.written.append(self.path)
        else:
            write_stream(self.stream, data.decode("utf-8") if isinstance(data, bytes) else data)


def write_stream(stream: TextIO, text: str) -> None:
    """Write `text` to a stream (standard output), all of it or a plain error: a full disk or a
    file-size limit, an encoding that cannot show the text, or a reader that went away
    (PipeClosedError, which ends the command quietly). A real file descriptor is written directly,
    so that a short write is never taken for a whole one."""
    encoding = getattr(stream, "encoding", None) or "utf-8"
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        raise OutputError(
            msg(
                "standard output takes {encoding}, which cannot show this text; set PYTHONIOENCODING=utf-8 or use -o FILE",
                "标准输出的编码是 {encoding}，无法显示这些文字；请设置 PYTHONIOENCODING=utf-8 或用 -o FILE",
                encoding=encoding,
            )
        ) from None
    try:
        try:
            fd = stream.fileno()
        except (AttributeError, OSError, ValueError):  # not a real file (a test's capture)
            stream.write(text)
            stream.flush()
            return
        stream.flush()
        view = memoryview(data)
        while view:
            written = os.write(fd, view)
            view = view[written:]
    except BrokenPipeError:
        raise PipeClosedError("") from None
    except OSError as exc:
        raise OutputError(
            msg("cannot write to standard output: {why}", "无法写入标准输出：{why}", why=exc.strerror or exc)
        ) from None


@light(hashable=True)
class Format(Generic[R]):
    """One way to show a result: its name, what it is, and the reporter that writes it to a sink."""

    name: str
    help: str
    write: Callable[..., None]  # (result: R, sink: Sink, **options) -> None
    needs_file: bool = False  # binary formats (xlsx, docx) are written to a file, never to a stream


class Family(Generic[R]):
    """The formats of one family of output, in the order --help lists them."""

    def __init__(self, name: str, *formats: Format[R]) -> None:
        self.name = name
        self.formats: dict[str, Format[R]] = {f.name: f for f in formats}

    def __contains__(self, name: object) -> bool:
        return name in self.formats

    def __getitem__(self, name: str) -> Format[R]:
        return self.formats[name]

    @property
    def names(self) -> list[str]:
        return list(self.formats)

    def led_by(self, *names: str) -> Family[R]:
        """A family of these formats alone, in this order: the first is its default."""
        return Family(self.name, *(self.formats[n] for n in names))

    def help(self) -> str:
        return "; ".join(f"{f.name}: {f.help}" for f in self.formats.values())

    @property
    def default(self) -> str:
        """The format written when none is asked for and no file ending names one: the first."""
        return next(iter(self.formats))

    def choose(self, asked: str | None, path: Path | None) -> str:
        """The format to write: the one asked for, else the one `path`'s ending names, else the default.
        A file whose ending names another format than the one asked for is refused."""
        default = self.default
        ending = path.suffix.lower() if path is not None else ""
        named = [n for n in self.formats if ending and ending in SUFFIXES.get(n, ())]
        if asked is None:
            return default if default in named or not named else named[0]
        loose = ending in _ANY_TEXT and asked not in _BINARY  # a .txt file takes any text format
        if named and asked not in named and not loose:
            raise UsageError(
                msg(
                    "{path} ends in {ending}, which is {named}, but --format {asked} was asked for; "
                    "leave out --format, or name the file for {asked}",
                    "{path} 的扩展名 {ending} 对应 {named} 格式，与 --format {asked} 不符；"
                    "请去掉 --format，或按 {asked} 格式命名文件",
                    path=path,
                    ending=ending,
                    named=named[0],
                    asked=asked,
                )
            )
        return asked

    def emit(self, name: str, result: R, sink: Sink, **options: Any) -> None:
        """Write `result` in format `name` to `sink`."""
        if name not in self.formats:
            raise UsageError(
                msg(
                    "no {family} format '{name}'; choose {c}",
                    "没有“{name}”格式；可选 {c}",
                    family=self.name,
                    name=name,
                    c=", ".join(self.formats),
                )
            )
        chosen = self.formats[name]
        if chosen.needs_file and sink.path is None:
            raise UsageError(
                msg("--format {f} writes a file: give -o FILE", "--format {f} 会写入文件：请给出 -o FILE", f=name)
            )
        chosen.write(result, sink, **options)


def progress_bar(stream: TextIO) -> Callable[[int, int, str], None] | None:
    """A one-line progress bar on `stream` when it is a terminal (None otherwise)."""
    if not stream.isatty():
        return None

    def show(done: int, total: int, label: str) -> None:
        width = 30
        filled = width * done // max(total, 1)
        stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} {label[:20]:20s}")
        if done == total:
            stream.write("\n")
        stream.flush()

    return show

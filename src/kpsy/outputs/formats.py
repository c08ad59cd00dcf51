"""Output formats: a family is one table of name -> reporter, from which the CLI's --format choices are made."""

from __future__ import annotations

import io
import os
import shutil
import sys
from collections.abc import Callable
from dataclasses import field
from pathlib import Path
from typing import IO, Any, Generic, TextIO, TypeVar

from kpsy.errors import OutputError, PipeClosedError, UsageError
from kpsy.i18n import msg, param
from kpsy.light import light
from kpsy.util import write_atomic

R = TypeVar("R")

PIPED_WIDTH = 100  # columns for wrapped text when the output is not a terminal and COLUMNS is not set

_ANY_TEXT = {".txt"}  # names the plain format when none is asked for, but holds any text format
_BINARY = {"xlsx", "docx", "redline"}
PDF = ".pdf"
# The file a PDF is printed from, for each format LibreOffice can print (Writer: .docx, Calc: .xlsx).
PRINTED: dict[str, str] = {"docx": ".docx", "redline": ".docx", "xlsx": ".xlsx"}
# Endings of office files kpsy never writes (Word 97-2003, WPS, OpenDocument …): the ending it writes instead.
INSTEAD: dict[str, str] = {
    ".doc": ".docx",
    ".docm": ".docx",
    ".dot": ".docx",
    ".dotx": ".docx",
    ".wps": ".docx",
    ".wpt": ".docx",
    ".rtf": ".docx",
    ".odt": ".docx",
    ".xls": ".xlsx",
    ".xlsm": ".xlsx",
    ".xlsb": ".xlsx",
    ".xlt": ".xlsx",
    ".xltx": ".xlsx",
    ".et": ".xlsx",
    ".ett": ".xlsx",
    ".ods": ".xlsx",
}

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
    named: bool = False  # standard output named with -o (-o -, -o /dev/stdout): it takes a file's bytes
    kept: bytearray | None = None  # a sink in memory (what is printed to PDF)

    @classmethod
    def memory(cls) -> Sink:
        """A sink that keeps what is written, as bytes."""
        import io

        return cls(io.StringIO(), kept=bytearray())

    @classmethod
    def open(cls, output: Path | None = None, stream: TextIO | None = None) -> Sink:
        out = stream if stream is not None else sys.stdout
        if output is not None and str(output).strip() in ("", "."):
            raise UsageError(msg("{o} needs a file name", "{o} 需要一个文件名", o=param("to", "-o")))
        named = output is not None and is_standard_output(output)
        if named:
            output = None
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
        return cls(out, output, terminal, width, named=named)

    def write(self, data: str | bytes) -> None:
        """The whole output: to the file (atomically), to memory, or to the stream."""
        if self.kept is not None:
            self.kept += data.encode("utf-8") if isinstance(data, str) else data
        elif self.path is not None:
            write_atomic(self.path, data)
            self.written.append(self.path)
        elif isinstance(data, bytes):
            write_bytes(self.stream, data, self.terminal)
        else:
            write_stream(self.stream, data)


def is_standard_output(path: Path) -> bool:
    """Whether -o names standard output: `-`, or a name for the file standard output already is
    (/dev/stdout, /dev/fd/1, or the file `>` sent it to)."""
    if str(path) == "-":
        return True
    try:
        return os.path.samestat(os.stat(path), os.fstat(sys.stdout.fileno()))
    except (OSError, ValueError, AttributeError):  # no such file, or standard output is no real file
        return False


def write_bytes(stream: TextIO, data: bytes, terminal: bool) -> None:
    """A file's bytes (a workbook, a PDF) to standard output: into a pipe or a file, never onto a terminal."""
    if terminal:
        raise OutputError(
            msg(
                "this is a binary file: send it to a file or a pipe, not to the terminal",
                "这是二进制文件：请写入文件或管道，不要输出到终端",
            )
        )
    _write_all(stream, data, None)


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
    _write_all(stream, data, text)


def _write_all(stream: TextIO, data: bytes, text: str | None) -> None:
    """`data` (which is `text` encoded, or a file's bytes when `text` is None) to `stream`, whole."""
    try:
        try:
            fd = stream.fileno()
        except (AttributeError, OSError, ValueError):  # not a real file (a test's capture)
            buffer = getattr(stream, "buffer", None)
            if text is not None:
                stream.write(text)
            elif buffer is not None:
                buffer.write(data)
            else:
                raise OutputError(
                    msg("standard output takes no bytes here", "此处的标准输出不接受二进制数据")
                ) from None
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

    def led_by(self, *names: str, name: str | None = None) -> Family[R]:
        """A family of these formats alone, in this order (the first is its default), called `name`."""
        return Family(name or self.name, *(self.formats[n] for n in names))

    def help(self) -> str:
        return "; ".join(f"{f.name}: {f.help}" for f in self.formats.values())

    @property
    def default(self) -> str:
        """The format written when none is asked for and no file ending names one: the first."""
        return next(iter(self.formats))

    def endings(self) -> list[str]:
        """The file endings this family writes: its formats' own, and .pdf when it has one to print."""
        found = [e for name in self.formats for e in SUFFIXES.get(name, ())[:1]]
        return list(dict.fromkeys([*found, *([PDF] if self.printable else [])]))

    @property
    def printable(self) -> list[str]:
        """The formats of this family LibreOffice can print to PDF."""
        return [name for name in self.formats if name in PRINTED]

    def target(self, asked: str | None, path: Path | None) -> Target:
        """What to write to `path`: the format asked for, else the one the file's ending names, else
        the default; `.pdf` prints a .docx or .xlsx of this family. The ending decides what the file
        holds, so an ending that names another format than the one asked for (or none this family
        writes, or an older office format) is refused: nothing is written under a name that lies."""
        if path is None or is_standard_output(path):
            return Target(asked or self.default)
        ending = path.suffix.lower()
        if ending == PDF:
            return Target(self._printed(asked, path), pdf=True)
        named = [n for n in self.formats if ending in SUFFIXES.get(n, ())]
        if named:
            return Target(self._named(asked, path, ending, named))
        if ending in _ANY_TEXT and (asked or self.default) not in _BINARY:
            return Target(asked or self.default)  # a .txt file takes any text format
        if ending in INSTEAD or ending in KNOWN or _foreign(ending):
            raise self._refusal(path, ending)
        return Target(asked or self.default)

    def choose(self, asked: str | None, path: Path | None) -> str:
        """The format written to `path` (see `target`)."""
        return self.target(asked, path).format

    def _named(self, asked: str | None, path: Path, ending: str, named: list[str]) -> str:
        if asked is None:
            return self.default if self.default in named else named[0]
        loose = ending in _ANY_TEXT and asked not in _BINARY  # a .txt file takes any text format
        if asked not in named and not loose:
            raise UsageError(
                msg(
                    "{path} ends in {ending}, which is {named}, but {format} {asked} was asked for; "
                    "leave out {format}, or name the file for {asked}",
                    "{path} 的扩展名 {ending} 对应 {named} 格式，与 {format} {asked} 不符；"
                    "请去掉 {format}，或按 {asked} 格式命名文件",
                    format=param("format", "--format"),
                    path=path,
                    ending=ending,
                    named=named[0],
                    asked=asked,
                )
            )
        return asked

    def _printed(self, asked: str | None, path: Path) -> str:
        """The format a PDF is printed from: the one asked for, else this family's first printable one."""
        if asked is None and self.printable:
            return self.printable[0]
        if asked in PRINTED:
            return asked
        if asked is not None and self.printable:
            raise UsageError(
                msg(
                    "{path}: a PDF is printed from {printable}, not from {format} {asked}",
                    "{path}：PDF 只能由 {printable} 格式打印生成，不能由 {format} {asked} 生成",
                    format=param("format", "--format"),
                    path=path,
                    printable=", ".join(self.printable),
                    asked=asked,
                )
            )
        raise self._refusal(path, PDF)

    def _refusal(self, path: Path, ending: str) -> UsageError:
        """Why `path` cannot be written by this family: the endings it writes, and the one to use."""
        instead = INSTEAD.get(ending)
        endings = msg(", ", "、").join(self.endings())
        if instead and instead in self.endings():
            return UsageError(
                msg(
                    "{path}: kpsy does not write {ending} files (an older or another office format); "
                    "name it {stem}{instead}, which Microsoft Office, WPS and LibreOffice all open",
                    "{path}：kpsy 不写 {ending} 文件（旧版或其他办公软件的格式）；请改用 {stem}{instead}，"
                    "Microsoft Office、WPS 和 LibreOffice 都能打开",
                    path=path,
                    ending=ending,
                    stem=path.stem,
                    instead=instead,
                )
            )
        return UsageError(
            msg(
                "{path}: this command does not write {ending} files; it writes {endings}",
                "{path}：此命令不写 {ending} 文件；可写 {endings} 文件",
                path=path,
                ending=ending,
                endings=endings,
            )
        )

    def emit(self, target: Target | str, result: R, sink: Sink, **options: Any) -> None:
        """Write `result` in the target's format to `sink`; printed to PDF through LibreOffice when
        the target says so."""
        chosen_target = Target(target) if isinstance(target, str) else target
        name = chosen_target.format
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
        if chosen.needs_file and sink.path is None and not sink.named and sink.kept is None:
            raise UsageError(
                msg(
                    "{format} {f} writes a file: give {o}",
                    "{format} {f} 会写入文件：请给出 {o}",
                    format=param("format", "--format"),
                    f=name,
                    o=param("to", "-o FILE"),
                )
            )
        if not chosen_target.pdf:
            chosen.write(result, sink, **options)
            return
        from kpsy.outputs.office import print_pdf

        kept = Sink.memory()
        chosen.write(result, kept, **options)
        assert kept.kept is not None
        sink.write(print_pdf(bytes(kept.kept), PRINTED[name]))

    def write(self, result: R, to: Path | str | IO[Any], fmt: str | None = None, **options: Any) -> list[Path]:
        """Write `result` to the file `to` (its ending chooses the format unless `fmt` names one, as
        for -o) or to the stream `to` (text or binary; `fmt`, else the default): the files written."""
        if isinstance(to, str | os.PathLike):
            path = Path(to)
            target = self.target(fmt, path)
            sink = Sink.open(path)
            self.emit(target, result, sink, **options)
            return sink.written
        target = self.target(fmt, None)
        kept = Sink.memory()
        self.emit(target, result, kept, **options)
        assert kept.kept is not None
        data = bytes(kept.kept)
        if not isinstance(to, io.TextIOBase):
            to.write(data)
        elif target.pdf or target.format in _BINARY:
            buffer = getattr(to, "buffer", None)
            if buffer is None:
                raise OutputError(
                    msg(
                        "{f} is a binary format: give a file or a binary stream",
                        "{f} 是二进制格式：请给出文件或二进制流",
                        f=target.format,
                    )
                )
            to.flush()
            buffer.write(data)
        else:
            to.write(data.decode("utf-8"))
        return []


@light(hashable=True)
class Target:
    """What a command writes: one of its family's formats, as it is or printed to PDF."""

    format: str
    pdf: bool = False


# Every ending some format writes: a file named with one of them holds that format, nothing else.
KNOWN: set[str] = {ending for endings in SUFFIXES.values() for ending in endings} | {PDF}


def _foreign(ending: str) -> str | None:
    """The kind of file an ending kpsy does not write says it is (image/png …), from Python's own
    table (not the machine's), or None for an unknown ending or one that is just text."""
    import mimetypes

    kind = mimetypes.MimeTypes().types_map[True].get(ending)
    return kind if kind and kind != "text/plain" else None


def check_folder(path: Path, option: str | None = None) -> None:
    """A folder named for what it holds: `--out 交办函.docx` (a folder with a document's name) is refused."""
    ending = path.suffix.lower()
    if not path.exists() and (ending in KNOWN or ending in INSTEAD):  # what is there is judged as it is
        raise UsageError(
            msg(
                "{option} {path} names a folder, which kpsy fills with files; give it a folder's name, "
                "not a {ending} file's",
                "{option} {path} 是文件夹：kpsy 在其中写入多个文件；请给文件夹名，不要用 {ending} 文件名",
                option=option or param("out", "--out"),
                path=path,
                ending=ending,
            )
        )


def made(name: str, fmt: str, help: str) -> Family[Any]:
    """A family of one format, for output a command makes whole (a fill-in workbook, the document as
    text): -o decides what it may be written as, as for every other output."""
    return Family(name, Format(fmt, help, lambda data, sink, **_: sink.write(data), fmt in _BINARY))


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

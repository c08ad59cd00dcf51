"""pandoc, from the pypandoc-binary package: Markdown in, .docx out.

`start` sets a conversion going and returns at once, so that the caller can prepare what comes
after it (python-docx's imports, other conversions) while pandoc works on the other core;
`Conversion.result` waits for it. `pandoc` does both.
"""

from __future__ import annotations

import functools
import shutil
import subprocess
import tempfile
from pathlib import Path
from types import TracebackType

from kpsy.errors import KpsyError
from kpsy.i18n import msg

PANDOC_FROM = "markdown-smart-raw_html-raw_tex-raw_attribute+east_asian_line_breaks"


class ConversionError(KpsyError):
    """pandoc could not turn Markdown into .docx."""


# The pandoc that pypandoc-binary carries is built with `-with-rtsopts=-H64m`: its runtime is told
# to expect a 64 MB heap, whose pages the kernel then faults in one by one, which costs a short
# conversion more than the collections the hint saves. A 1 MB hint (the nursery stays at its 4 MB
# default) made one plan's document convert in 97 ms instead of 144 ms, and one ten times its size in
# 0.36 s instead of 0.41 s (benchmarks/floors.py --jobs pandoc, paired). Given only to the pandoc kpsy brings:
# a pandoc built without `-rtsopts` refuses any +RTS argument.
RTS_OPTIONS = ("+RTS", "-H1m", "-RTS")


def pandoc_path() -> str:
    """pandoc: $PYPANDOC_PANDOC when set, else the one pypandoc-binary carries (found without importing
    pypandoc, which costs a tenth of a second of imports and a run of every pandoc it can find), else
    what pypandoc finds."""
    import os

    if os.environ.get("PYPANDOC_PANDOC"):
        return os.environ["PYPANDOC_PANDOC"]
    carried = _carried()
    if carried is not None:
        return carried
    try:
        import pypandoc  # type: ignore[import-untyped]
    except ImportError as exc:  # pragma: no cover - a dependency of kpsy
        raise ConversionError("pypandoc-binary is not installed; `pip install kpsy` brings it") from exc
    try:
        return str(pypandoc.get_pandoc_path())
    except OSError as exc:
        raise ConversionError(f"pandoc is not available: {exc}") from None


def pandoc_command() -> list[str]:
    """How kpsy runs pandoc: `pandoc_path()`, with `RTS_OPTIONS` when it is the pandoc kpsy brings."""
    path = pandoc_path()
    return [path, *RTS_OPTIONS] if path == _carried() else [path]


@functools.cache
def _carried() -> str | None:
    """The pandoc that pypandoc-binary carries, if it is installed (looked for once a run)."""
    import os
    from importlib.util import find_spec

    spec = find_spec("pypandoc")
    for folder in (spec.submodule_search_locations or []) if spec is not None else []:
        for name in ("pandoc", "pandoc.exe"):
            carried = os.path.join(folder, "files", name)
            if os.path.isfile(carried) and os.access(carried, os.X_OK):
                return carried
    return None


class Conversion:
    """One pandoc run under way, in a private temporary folder: Markdown in (from a file, as its
    standard input), .docx out. Use it in a `with` block: leaving the block ends pandoc if it is
    still running (an error or Ctrl-C meanwhile leaves no pandoc behind) and removes the folder."""

    def __init__(self, markdown: str, reference: Path) -> None:
        from kpsy.util import xml_safe

        self._folder = Path(tempfile.mkdtemp(prefix="kpsy-"))
        try:
            source, self._out, self._said = (self._folder / name for name in ("in.md", "out.docx", "stderr"))
            # characters no .docx can hold go in as visible escapes, never into a malformed file
            source.write_bytes(xml_safe(markdown).encode("utf-8"))
            cmd = [*pandoc_command(), "--from", PANDOC_FROM, "--to", "docx", "--reference-doc", str(reference)]
            self._proc = _launch([*cmd, "-o", str(self._out)], source, self._said)
        except BaseException:
            shutil.rmtree(self._folder, ignore_errors=True)
            raise

    def result(self) -> bytes:
        """The .docx, once pandoc has finished (ConversionError with what pandoc said if it failed)."""
        code = self._proc.wait()
        if code != 0:
            said = self._said.read_bytes().decode("utf-8", "replace").strip()
            why = _failure(code)
            raise ConversionError(msg("{why}: {said}", "{why}：{said}", why=why, said=said) if said else why)
        return self._out.read_bytes()

    def close(self) -> None:
        """End pandoc if it is still running and remove its folder."""
        if self._proc.poll() is None:
            self._proc.kill()
            self._proc.wait()
        shutil.rmtree(self._folder, ignore_errors=True)

    def __enter__(self) -> Conversion:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()


def _launch(cmd: list[str], source: Path, said: Path) -> subprocess.Popen[bytes]:
    """pandoc started on `source` as its standard input, what it says to `said`."""
    with source.open("rb") as stdin, said.open("wb") as stderr:
        try:
            return subprocess.Popen(cmd, stdin=stdin, stdout=subprocess.DEVNULL, stderr=stderr)
        except OSError as exc:
            raise ConversionError(
                msg(
                    "cannot run pandoc ({path}): {why}",
                    "无法运行 pandoc（{path}）：{why}",
                    path=cmd[0],
                    why=exc.strerror,
                )
            ) from None


def _failure(code: int) -> str:
    """What a pandoc that exited with `code` (negative: ended by a signal) did."""
    if code > 0:
        return msg("pandoc failed (exit status {code})", "pandoc 运行失败（退出状态 {code}）", code=code)
    import signal

    try:
        how = signal.Signals(-code).name
    except ValueError:
        how = f"signal {-code}"
    return msg("pandoc was stopped by {how}", "pandoc 被 {how} 终止", how=how)


def start(markdown: str, reference: Path) -> Conversion:
    """Set pandoc converting `markdown` to .docx in the layout of `reference`; returns at once."""
    return Conversion(markdown, reference)


def pandoc(markdown: str, reference: Path) -> bytes:
    """One pandoc run: Markdown in, .docx bytes out (characters no .docx can hold written as visible
    escapes, never into a malformed file)."""
    with start(markdown, reference) as conversion:
        return conversion.result()

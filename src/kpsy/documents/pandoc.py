"""pandoc, from the pypandoc-binary package: Markdown in, .docx out."""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

from kpsy.errors import KpsyError
from kpsy.i18n import msg

PANDOC_FROM = "markdown-smart-raw_html-raw_tex-raw_attribute+east_asian_line_breaks"


class ConversionError(KpsyError):
    """pandoc could not turn Markdown into .docx."""


def pandoc_path() -> str:
    """pandoc: $PYPANDOC_PANDOC when set, else the one pypandoc-binary carries (found without importing
    pypandoc, which costs a tenth of a second of imports and a run of every pandoc it can find), else
    what pypandoc finds."""
    import os

    if os.environ.get("PYPANDOC_PANDOC"):
        return os.environ["PYPANDOC_PANDOC"]
    from importlib.util import find_spec

    spec = find_spec("pypandoc")
    for folder in (spec.submodule_search_locations or []) if spec is not None else []:
        for name in ("pandoc", "pandoc.exe"):
            carried = os.path.join(folder, "files", name)
            if os.path.isfile(carried) and os.access(carried, os.X_OK):
                return carried
    try:
        import pypandoc  # type: ignore[import-untyped]
    except ImportError as exc:  # pragma: no cover - a dependency of kpsy
        raise ConversionError("pypandoc-binary is not installed; `pip install kpsy` brings it") from exc
    try:
        return str(pypandoc.get_pandoc_path())
    except OSError as exc:
        raise ConversionError(f"pandoc is not available: {exc}") from None


def pandoc(markdown: str, reference: Path) -> bytes:
    """One pandoc run: Markdown in, .docx bytes out (characters no .docx can hold written as visible
    escapes, never into a malformed file)."""
    from kpsy.util import xml_safe

    markdown = xml_safe(markdown)
    with tempfile.TemporaryDirectory(prefix="kpsy-") as tmp:
        out = Path(tmp) / "out.docx"
        cmd = [pandoc_path(), "--from", PANDOC_FROM, "--to", "docx", "--reference-doc", str(reference), "-o", str(out)]
        try:
            proc = subprocess.run(cmd, input=markdown.encode("utf-8"), capture_output=True)
        except OSError as exc:
            raise ConversionError(
                msg(
                    "cannot run pandoc ({path}): {why}",
                    "无法运行 pandoc（{path}）：{why}",
                    path=cmd[0],
                    why=exc.strerror,
                )
            ) from None
        if proc.returncode != 0:
            said = proc.stderr.decode("utf-8", "replace").strip()
            if proc.returncode < 0:
                import signal

                try:
                    how = signal.Signals(-proc.returncode).name
                except ValueError:
                    how = f"signal {-proc.returncode}"
                why = msg("pandoc was stopped by {how}", "pandoc 被 {how} 终止", how=how)
            else:
                why = msg(
                    "pandoc failed (exit status {code})", "pandoc 运行失败（退出状态 {code}）", code=proc.returncode
                )
            raise ConversionError(f"{why}: {said}" if said else why)
        return out.read_bytes()

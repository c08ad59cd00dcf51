"""Writing an imported plan: canonical YAML files with their schema modelines, the source copy and
the schemas, first into a temporary sibling folder that is checked and then renamed into place, so
that the output folder is never half-written."""

from __future__ import annotations

import dataclasses
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from kpsy.errors import OutputError
from kpsy.i18n import msg
from kpsy.plan.fmt import direct_text, format_text
from kpsy.plan.kinds import KINDS
from kpsy.plan.schema import MODELINE, schema_text, shipped_text
from kpsy.util import folder_mode

SCHEMA_DIR = "schema"


def plain(record: Any) -> Any:
    """A record as YAML data: fields at their defaults left out, dates as dates."""
    if dataclasses.is_dataclass(record) and not isinstance(record, type):
        out: dict[str, Any] = {}
        for f in dataclasses.fields(record):
            value = getattr(record, f.name)
            default = f.default_factory() if f.default_factory is not dataclasses.MISSING else f.default
            if value == default and f.name != "kind":
                continue
            out[f.name] = plain(value)
        return out
    if isinstance(record, list):
        return [plain(v) for v in record]
    if isinstance(record, dict):
        return {k: plain(v) for k, v in record.items()}
    return record


def _commented(value: Any) -> Any:
    """Plain data as ruamel.yaml's round-trip nodes, ready to be put in canonical form."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    if isinstance(value, dict):
        node = CommentedMap()
        for k, v in value.items():
            node[k] = _commented(v)
        return node
    if isinstance(value, list):
        return CommentedSeq(_commented(v) for v in value)
    return value


def yaml_text(record: Any, kind: str, depth: int) -> str:
    """A plan file's text: the schema modeline, then the record in canonical form (as `kpsy fmt`
    writes it). The nodes are made from the record directly rather than parsed from a first dump:
    a 40-page plan is written in a third of the time."""
    import io

    from kpsy.plan.fmt import _canonical, _yaml

    schema = "../" * depth + f"{SCHEMA_DIR}/{kind}.json"
    data = plain(record)
    direct = direct_text(data) if data else None
    if direct is not None:
        return f"{MODELINE}{schema}\n{direct}"
    data = _commented(data)
    if not data:
        return format_text(f"{MODELINE}{schema}\n{{}}\n", KINDS[kind].model)
    _canonical(data, KINDS[kind].model)
    out = io.StringIO()
    out.write(f"{MODELINE}{schema}\n")
    _yaml().dump(data, out)
    return out.getvalue()


def staging(out: Path) -> Path:
    """A new temporary folder beside `out`, on the same file system, for an atomic rename."""
    parent = out.parent if str(out.parent) else Path(".")
    try:
        parent.mkdir(parents=True, exist_ok=True)
        folder = Path(tempfile.mkdtemp(prefix=f".{out.name}.import-", dir=parent))
        os.chmod(folder, folder_mode())  # mkdtemp makes it 0700; it becomes the user's folder
        return folder
    except OSError as exc:
        raise OutputError(
            msg("cannot write beside {p}: {e}", "无法在 {p} 旁写入：{e}", p=out, e=exc.strerror or exc)
        ) from None


def write_files(folder: Path, files: dict[str, str | bytes]) -> None:
    """Every file (relative path -> content) into `folder`, and kpsy's schemas into folder/schema.
    The folder is new and is put in place whole (`put_in_place`), never seen half-written: its
    files are written as they are, then made durable together by one flush of their file system
    rather than one for each file (a flush each was half the time of a large import)."""
    schemas = {f"{SCHEMA_DIR}/{kind}.json": shipped_text(kind) or schema_text(kind) for kind in KINDS}
    for relative, content in {**files, **schemas}.items():
        path = folder / relative
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(path, "xb") as fh:
                fh.write(content.encode("utf-8") if isinstance(content, str) else content)
        except OSError as exc:
            raise OutputError(
                msg("cannot write {p}: {e}", "无法写入 {p}：{e}", p=path, e=exc.strerror or exc)
            ) from None
    flush_file_system(folder)


def flush_file_system(folder: Path) -> None:
    """What was written into `folder` on disk: the file system holding it flushed once (syncfs on
    Linux; elsewhere every file system)."""
    import sys

    if sys.platform.startswith("linux"):
        import ctypes

        fd = os.open(folder, os.O_RDONLY)
        try:
            if ctypes.CDLL(None, use_errno=True).syncfs(fd) == 0:
                return
        finally:
            os.close(fd)
    os.sync()


def put_in_place(staged: Path, out: Path) -> None:
    """Rename the checked folder to `out`; an `out` that exists (empty, or allowed by --force) is replaced."""
    old = None
    try:
        if out.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=staged.parent))
            os.rmdir(old)
            os.replace(out, old)
        os.replace(staged, out)
    except OSError as exc:
        if old is not None and not out.exists():
            os.replace(old, out)
            old = None
        raise OutputError(msg("cannot write {p}: {e}", "无法写入 {p}：{e}", p=out, e=exc.strerror or exc)) from None
    finally:
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)


def discard(staged: Path) -> None:
    shutil.rmtree(staged, ignore_errors=True)

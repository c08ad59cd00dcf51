"""Small helpers every layer uses: paths as the user types them, atomic writes, Markdown escaping,
JSON as kpsy prints it."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

from kpsy.errors import OutputError


def display_path(path: Path) -> str:
    """A path as the user would type it: relative to the current folder when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError):
        return str(path)


def write_atomic(path: Path, data: str | bytes) -> None:
    """Write `data` to `path` through a temporary file and a rename: never a half-written file."""
    import tempfile

    payload = data.encode("utf-8") if isinstance(data, str) else data
    folder = path.parent if str(path.parent) else Path(".")
    tmp: str | None = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
        tmp = None
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from exc
    finally:
        if tmp is not None and os.path.exists(tmp):
            os.unlink(tmp)


def md_escape(text: str) -> str:
    """Text from the data, safe inside Markdown: specials escaped, a leading `1. ` kept literal."""
    text = re.sub(r"([\\`*_{}\[\]<>()#+!|~^$@&])", r"\\\1", text)
    text = re.sub(r"^(\d+)\.(\s)", r"\1\\.\2", text, flags=re.M)
    return re.sub(r"^([-=:])", r"\\\1", text, flags=re.M)


def dump_json(data: Any) -> str:
    """JSON as kpsy prints it: UTF-8 text (not \\u escapes), indented, one trailing newline."""
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def suggest(name: str, candidates: list[str], canonical: dict[str, str] | None = None, n: int = 3) -> list[str]:
    """The candidates closest to `name` (for "did you mean"), each shown by its canonical form,
    at most `n`, none that are not close."""
    import difflib

    pool = list(dict.fromkeys(candidates))
    close = difflib.get_close_matches(name, pool, n=n * 2, cutoff=0.5)
    return list(dict.fromkeys((canonical or {}).get(c, c) for c in close))[:n]

"""Golden files: what kpsy writes, compared with a file kept in the repository.

A golden file is rewritten only when asked for by name, one at a time, and the change is shown:

    KPSY_UPDATE_GOLDEN=letter-education.md python -m pytest tests/test_render.py
    KPSY_UPDATE_GOLDEN=tests/corpus/negative/duplicate-key/expected.txt python -m pytest tests/test_corpus.py
    KPSY_UPDATE_GOLDEN=rules python -m pytest tests/test_docs.py        # a generated part of the README

The value names one golden: its path from the repository's root, its file name, or (for a file
whose name is common, such as expected.txt) its folder's name; a README part by its block name, a
README example by its command. The rewritten file's unified diff is printed on the terminal (past
pytest's capture), to be reviewed before the commit. A value that names no golden, or more than one
of those a test run meets, fails that run; `1`, `all` or `yes` is refused: each change is looked at.
"""

from __future__ import annotations

import difflib
import os
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
ENV = "KPSY_UPDATE_GOLDEN"
_EVERYTHING = {"1", "all", "yes", "true", "*"}
# every golden a test asked to rewrite in this run: one name may not rewrite two
_REWRITTEN: dict[str, str] = {}


def wanted() -> str | None:
    """The golden named for rewriting, or None; a value that would rewrite them all fails."""
    value = os.environ.get(ENV, "").strip()
    if not value:
        return None
    if value.lower() in _EVERYTHING:
        pytest.fail(f"{ENV}={value}: name the one golden file to rewrite (its path or name), and review its diff")
    return value


def names_of(path: Path) -> set[str]:
    """Every name that picks the golden file at `path`."""
    try:
        relative = path.resolve().relative_to(REPO).as_posix()
    except ValueError:
        relative = path.as_posix()
    names = {relative, path.name, f"{path.parent.name}/{path.name}"}
    if path.stem not in ("expected", "output", "README"):
        names.add(path.stem)
    else:
        names.add(path.parent.name)
    return names


def rewrite(label: str, names: set[str], old: str, new: str, write: Callable[[str], object]) -> bool:
    """Rewrite a golden (with `write`) when the value names it and it changed; show the diff. Whether it was."""
    value = wanted()
    if value is None or value not in names:
        return False
    earlier = _REWRITTEN.setdefault(value, label)
    if earlier != label:
        pytest.fail(f"{ENV}={value} names two goldens, {earlier} and {label}: give the path of the one to rewrite")
    if old == new:
        return True
    write(new)
    diff = difflib.unified_diff(
        old.splitlines(keepends=True), new.splitlines(keepends=True), f"a/{label}", f"b/{label}"
    )
    shown = "".join(line if line.endswith("\n") else line + "\n" for line in diff)
    (sys.__stderr__ or sys.stderr).write(f"\n{ENV}: rewrote {label}; review the change:\n{shown}")
    return True


def check(path: Path, actual: str) -> None:
    """`actual` is what the golden file at `path` holds (rewritten first when the value names it)."""
    old = path.read_text(encoding="utf-8") if path.is_file() else ""
    label = path.resolve().relative_to(REPO).as_posix() if path.resolve().is_relative_to(REPO) else str(path)
    rewrite(label, names_of(path), old, actual, lambda text: path.write_text(text, encoding="utf-8"))
    assert path.is_file(), f"no golden file {path}: {ENV}={path.name} makes it"
    assert actual == path.read_text(encoding="utf-8"), f"{path.name} differs; {ENV}={path.name} rewrites it"

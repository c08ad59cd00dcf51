"""The corpus of broken plans: each case overlays whole broken files on a copy of the real plan.

`tests/corpus/negative/<case>/plan/` holds the replacement files, `remove.txt` files to delete,
`README` what is broken, and `expected.txt` the exact `kpsy validate --format plain` output.
KPSY_UPDATE_GOLDEN=<case> rewrites one case's expected.txt and shows its diff (see tests/golden.py).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from .conftest import CORPUS, run, tree_digest
from .golden import check

NEGATIVE = sorted(p for p in (CORPUS / "negative").iterdir() if p.is_dir())


def build(case: Path, plan: Path) -> None:
    overlay = case / "plan"
    if overlay.is_dir():
        shutil.copytree(overlay, plan, dirs_exist_ok=True)
    remove = case / "remove.txt"
    if remove.is_file():
        for line in remove.read_text(encoding="utf-8").split():
            (plan.parent / line).unlink()


@pytest.mark.parametrize("case", NEGATIVE, ids=[p.name for p in NEGATIVE])
def test_broken_plan_is_reported_at_file_and_line(case: Path, plan_copy: Path) -> None:
    build(case, plan_copy)
    before = tree_digest(plan_copy)
    result = run("validate", "--format", "plain")
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert tree_digest(plan_copy) == before, "validate changed a plan file"
    check(case / "expected.txt", result.stdout)
    # every finding names a file, and a line wherever the file could be read at all
    for line in result.stdout.splitlines():
        assert line.startswith("plan/"), line


def test_corpus_covers_the_required_kinds_of_breakage() -> None:
    names = {p.name for p in NEGATIVE}
    required = {
        "duplicate-key",
        "wrong-type",
        "unknown-field",
        "unknown-unit",
        "misspelt-unit",
        "missing-lead",
        "duplicate-id",
        "bad-date",
        "not-utf8",
        "malformed-yaml",
        "anchor",
    }
    assert required <= names


def test_the_real_plan_is_clean_under_strict(plan_copy: Path) -> None:
    result = run("validate", "--strict", "--format", "plain")
    assert result.exit_code == 0, result.output
    assert result.stdout == ""

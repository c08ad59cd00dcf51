"""Shared fixtures: the real plan, copies of it to break, and the CLI runner."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import pytest
from hypothesis import settings
from typer.testing import CliRunner, Result

from kpsy import i18n
from kpsy.cli import app

# Property-based tests explore new inputs on every local run; in CI they are reproducible.
settings.register_profile("ci", derandomize=True)
settings.register_profile("thorough", max_examples=3000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if os.environ.get("CI") else "default"))

REPO = Path(__file__).resolve().parents[1]
PLAN = REPO / "plan"
SOURCE = PLAN / "source" / "yanfeng-plan-2021-2025.txt"
CORPUS = Path(__file__).resolve().parent / "corpus"


@pytest.fixture(autouse=True)
def _stable_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Output must not depend on the caller's environment."""
    for name in ("KPSY_PLAN", "GITHUB_ACTIONS", "KPSY_DEBUG", "FORCE_COLOR"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("KPSY_LANG", "en")
    i18n.use("en")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.setenv("TERM", "dumb")


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An empty current folder."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def plan_copy(workdir: Path) -> Path:
    """A copy of the real plan at ./plan, to break in a test."""
    target = workdir / "plan"
    shutil.copytree(PLAN, target)
    return target


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(app, [str(a) for a in args])


def tree_digest(folder: Path) -> str:
    """A digest of every file under `folder`, to prove a command changed nothing."""
    h = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            h.update(str(path.relative_to(folder)).encode())
            h.update(path.read_bytes())
    return h.hexdigest()


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture(autouse=True)
def _private_cache(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test run keeps its cache of checked plans to itself."""
    monkeypatch.setenv("KPSY_CACHE_DIR", str(tmp_path_factory.getbasetemp() / "kpsy-cache"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path_factory.getbasetemp() / "kpsy-state"))
    monkeypatch.delenv("KPSY_NO_CACHE", raising=False)

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
    monkeypatch.setenv("KPSY_LANG", "zh")
    i18n.use("zh")
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "100")
    monkeypatch.setenv("TERM", "dumb")


@pytest.fixture
def english(monkeypatch: pytest.MonkeyPatch) -> None:
    """kpsy in English (--lang en), for tests that read English messages."""
    monkeypatch.setenv("KPSY_LANG", "en")
    i18n.use("en")


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
    """A digest of every file under `folder`, to prove a command changed nothing (kpsy's own private
    folder .kpsy/, which holds the sheet key and the import lock, aside)."""
    h = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file() and ".kpsy" not in path.relative_to(folder).parts:
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


SAMPLE = REPO / "examples" / "progress-sample" / "plan"
QINGSHAN = Path(__file__).resolve().parent / "fixtures" / "qingshan"


@pytest.fixture
def sample_copy(workdir: Path) -> Path:
    """A copy of the sample plan (the bundled plan with two periods of made-up reports) at ./plan."""
    target = workdir / "plan"
    shutil.copytree(SAMPLE, target)
    return target


def tool(*names: str) -> str:
    """The first of `names` on the PATH; a test that needs it is skipped when there is none, except
    under CI (CI=true), where .ci/run installs it and its absence is a failure."""
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    if os.environ.get("CI"):
        pytest.fail(f"none of {', '.join(names)} is installed; .ci/run installs it")
    pytest.skip(f"needs {names[0]}")
    raise AssertionError  # unreachable


def browser() -> str:
    """Debian's chromium (or another Chromium-based browser)."""
    return tool("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


# Flags chromium needs here: headless, as root, no background traffic on a closed network.
BROWSER_FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
)

"""Shared fixtures: the real plan, copies of it to break, and the CLI runner."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings
from typer.testing import CliRunner, Result

from kpsy import i18n
from kpsy.cli import app

from .externals import FROM_PIP, package_for, programs

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
    """The first of `names` on the PATH (each must be in tests/externals.py); a test that needs it is
    skipped when there is none, except under CI (CI=true), where .ci/run installs it and its absence
    is a failure that names the Debian package to install."""
    unlisted = [name for name in names if name not in programs()]
    assert not unlisted, f"{unlisted} not in tests/externals.py: add each with the Debian package that brings it"
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    package = package_for(names[0])
    if os.environ.get("CI"):
        pytest.fail(f"none of {', '.join(names)} is installed: install the Debian package {package} (.ci/run does)")
    pytest.skip(f"needs {names[0]} (Debian package {package})")
    raise AssertionError  # unreachable


def office(ending: str) -> str:
    """LibreOffice's soffice with the part that opens `ending` files (Writer: .docx, Calc: .xlsx):
    skipped without it, or under CI a failure naming the Debian package."""
    from kpsy.outputs.office import PACKAGES, lacks_part

    soffice = tool("soffice", "libreoffice")
    if lacks_part(soffice, ending):
        part, package = PACKAGES[ending]
        if os.environ.get("CI"):
            pytest.fail(f"LibreOffice has no {part}: install the Debian package {package} (.ci/run does)")
        pytest.skip(f"needs LibreOffice {part} (Debian package {package})")
    return soffice


def external(
    *args: str | Path, produces: Path | None = None, starts: bytes = b"", timeout: float = 180, **options: Any
) -> subprocess.CompletedProcess[Any]:
    """Run a program of tests/externals.py and check that it did its job: exit status 0 and, when
    `produces` names one, the file it makes, beginning with `starts`. When it did not, the test fails
    with a message that names the Debian package the program needs (LibreOffice with Calc alone exits
    0 and writes no PDF of a .docx)."""
    command = [str(a) for a in args]
    name = os.path.basename(command[0])
    package = package_for(command[0], *command[1:])
    try:
        done = subprocess.run(command, capture_output=True, timeout=timeout, **options)
    except (OSError, subprocess.TimeoutExpired) as exc:
        pytest.fail(f"{name} did not run ({exc}); it comes with the Debian package {package}")
    said = done.stderr if isinstance(done.stderr, str) else done.stderr.decode("utf-8", "replace")
    problem = ""
    if done.returncode != 0:
        problem = f"exited with status {done.returncode} ({said.strip()[-300:]})"
    elif produces is not None and not produces.is_file():
        problem = f"exited 0 but made no {produces.name}"
    elif produces is not None and not produces.read_bytes().startswith(starts):
        problem = f"made a {produces.name} that is not one (it starts {produces.read_bytes()[:8]!r})"
    if problem:
        pytest.fail(f"{name} {problem}: is the Debian package {package} installed? (.ci/run installs it)")
    return done


def listed(args: Any, own: Path) -> None:
    """A test (or kpsy, while tested) runs only programs of tests/externals.py, Python, or stand-ins a
    test made itself under `own` (the tests' temporary folder)."""
    first = args if isinstance(args, str | bytes | os.PathLike) else next(iter(args))
    program = os.fsdecode(first)
    name = os.path.basename(program).removesuffix(".exe")  # pypandoc-binary names its pandoc pandoc.exe
    found = program if os.sep in program else shutil.which(program) or program
    if name.startswith("python") or os.path.realpath(found) == os.path.realpath(sys.executable):
        return
    if os.path.isabs(found) and Path(os.path.realpath(found)).is_relative_to(os.path.realpath(own)):
        return
    if name not in programs():
        pytest.fail(f"a test runs {name}, which is not in tests/externals.py: add it there with its Debian package")


@pytest.fixture(autouse=True)
def _only_listed_programs(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Every program a test starts is checked against tests/externals.py, the list .ci/run installs from."""
    own = tmp_path_factory.getbasetemp()
    original = subprocess.Popen

    class Listed(original):  # type: ignore[valid-type, misc]
        def __init__(self, args: Any, *rest: Any, **options: Any) -> None:
            listed(args, own)
            try:
                super().__init__(args, *rest, **options)
            except FileNotFoundError:
                first = args if isinstance(args, str | bytes | os.PathLike) else next(iter(args))
                name = os.path.basename(os.fsdecode(first))
                if name not in programs() or name.removesuffix(".exe") in FROM_PIP:  # pypandoc looks, then falls back
                    raise
                pytest.fail(f"{name} is not installed: install the Debian package {package_for(name)} (.ci/run does)")

    monkeypatch.setattr(subprocess, "Popen", Listed)


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


def _every_file(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="session", autouse=True)
def _repository_plan_untouched() -> Any:
    """No test writes into the repository's own plans (plan/, examples/, the fixtures and the corpus),
    not even into kpsy's private .kpsy/: a test that needs to change a plan works on a copy."""
    folders = [PLAN, REPO / "examples", REPO / "tests" / "fixtures", CORPUS]
    before = [_every_file(f) for f in folders]
    yield
    for folder, files in zip(folders, before, strict=True):
        now = _every_file(folder)
        changed = sorted(set(now) ^ set(files) | {k for k in now.keys() & files.keys() if now[k] != files[k]})
        assert not changed, f"tests changed {folder}: {changed[:10]}"

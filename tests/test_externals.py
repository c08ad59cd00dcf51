"""What the tests run outside Python is listed once (tests/externals.py), .ci/run installs it by what
dpkg says is installed (a fake dpkg and apt-get show its decisions, a bare machine's included), and a
test that runs a program not on the list, or a program that did not do its job, fails by name."""

from __future__ import annotations

import ast
import os
import subprocess
from pathlib import Path

import pytest

from .conftest import REPO, external, office
from .externals import NEEDS, package_for, programs

TESTS = Path(__file__).resolve().parent
EVERY_PACKAGE = [p for need in NEEDS for p in need.packages]


def fake_machine(folder: Path, installed: list[str]) -> tuple[dict[str, str], Path]:
    """A PATH whose dpkg-query knows `installed` and whose apt-get (and sudo) only write down what
    they were asked: the environment to run .ci/run in, and the file apt-get writes to."""
    folder.mkdir()
    log = folder / "apt.log"
    scripts = {
        "dpkg-query": 'for last; do :; done\ncase " $FAKE_INSTALLED " in *" $last "*) printf "install ok installed";;'
        ' *) echo "dpkg-query: no packages found matching $last" >&2; exit 1;; esac',
        "apt-get": 'echo "$*" >> "$FAKE_APT_LOG"',
        "sudo": 'exec "$@"',
    }
    for name, body in scripts.items():
        (folder / name).write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
        (folder / name).chmod(0o755)
    env = {
        **os.environ,
        "PATH": f"{folder}{os.pathsep}{os.environ['PATH']}",
        "FAKE_INSTALLED": " ".join(installed),
        "FAKE_APT_LOG": str(log),
    }
    return env, log


def ci_installs(tmp_path: Path, installed: list[str]) -> list[list[str]]:
    """The packages each `apt-get install` of `.ci/run --install-only` asks for on such a machine."""
    env, log = fake_machine(tmp_path / "bin", installed)
    done = subprocess.run(
        ["bash", str(REPO / ".ci" / "run"), "--install-only"], env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    asked = log.read_text(encoding="utf-8").splitlines() if log.exists() else []
    return [
        words[words.index("--no-install-recommends") + 1 :] for words in map(str.split, asked) if "install" in words
    ]


def test_ci_installs_writer_when_only_calc_is_there(tmp_path: Path) -> None:
    """The machine of the issue: LibreOffice Calc gives a `soffice`, and the tests need Writer too."""
    there = [p for p in EVERY_PACKAGE if "writer" not in p] + ["python3", "python3-venv"]
    assert ci_installs(tmp_path, there) == [["libreoffice-writer-nogui"]]


def test_ci_installs_nothing_on_a_machine_that_has_everything(tmp_path: Path) -> None:
    assert ci_installs(tmp_path, [*EVERY_PACKAGE, "python3", "python3-venv"]) == []


def test_either_package_of_a_need_will_do(tmp_path: Path) -> None:
    there = ["libreoffice-writer", "libreoffice-calc", *(p for p in EVERY_PACKAGE if "libreoffice" not in p)]
    assert ci_installs(tmp_path, [*there, "python3", "python3-venv"]) == []


def test_ci_brings_a_bare_debian_to_everything_the_tests_call(tmp_path: Path) -> None:
    installs = ci_installs(tmp_path, [])
    assert installs[0] == ["python3", "python3-venv"]  # what .ci/run itself needs, first
    assert installs[1] == [need.package for need in NEEDS]
    assert {"libreoffice-writer-nogui", "libreoffice-calc-nogui", "poppler-utils", "chromium", "fonts-noto-cjk"} <= set(
        installs[1]
    )


def test_ci_runs_the_readme_test_command() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    script = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    command = 'pip install -e ".[test]" && python -m pytest'
    assert f"```sh\n{command}\n```" in readme and script.rstrip().endswith(command)


# --- the list and the tests -----------------------------------------------------------------------


def programs_named_in(path: Path) -> set[str]:
    """Programs a test file names to run: tool("x"), shutil.which("x"), external("x", …), and the
    first word of a command list given to subprocess (directly or through a list such as `git = [...]`)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    lists = {
        target.id: node.value.elts[0].value
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.List) and node.value.elts
        if isinstance(node.value.elts[0], ast.Constant) and isinstance(node.value.elts[0].value, str)
        for target in node.targets
        if isinstance(target, ast.Name)
    }
    found: set[str] = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        called = ast.unparse(node.func)
        first = node.args[0]
        if called in ("tool", "shutil.which", "which"):
            found |= {a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)}
        elif called == "external" and isinstance(first, ast.Constant):
            found.add(str(first.value))
        elif called.startswith("subprocess.") and isinstance(first, ast.List) and first.elts:
            head = first.elts[0]
            if isinstance(head, ast.Constant) and isinstance(head.value, str):
                found.add(head.value)
            elif isinstance(head, ast.Starred) and isinstance(head.value, ast.Name) and head.value.id in lists:
                found.add(lists[head.value.id])
    return found


def test_every_program_a_test_names_is_on_the_list() -> None:
    files = [path for path in sorted(TESTS.glob("*.py")) if path.name != "externals.py"]  # the list, and .ci/run's dpkg
    named = {name: path.name for path in files for name in programs_named_in(path)}
    assert {"soffice", "pdftotext", "pdftoppm", "chromium", "git", "bash"} <= set(named), "the scan sees them"
    unlisted = {name: where for name, where in named.items() if name not in programs() and name != "python"}
    assert unlisted == {}, "add these to tests/externals.py with the Debian package that brings each"


def test_a_test_that_runs_a_program_not_on_the_list_fails() -> None:
    unlisted = "true"  # a program of every machine, but not on the list
    with pytest.raises(pytest.fail.Exception, match=r"runs true, which is not in tests/externals\.py"):
        subprocess.run([unlisted], check=False)


@pytest.mark.parametrize(
    ("document", "package"), [("x.docx", "libreoffice-writer-nogui"), ("x.xlsx", "libreoffice-calc-nogui")]
)
def test_a_program_that_did_not_do_its_job_fails_naming_the_package(
    document: str, package: str, tmp_path: Path
) -> None:
    silent = tmp_path / "soffice"  # as LibreOffice without the part that prints this kind of file: exit 0, no PDF
    silent.write_text("#!/bin/sh\nexit 0\n", encoding="utf-8")
    silent.chmod(0o755)
    with pytest.raises(pytest.fail.Exception, match=f"made no x.pdf: is the Debian package {package} installed"):
        external(silent, "--convert-to", "pdf", document, produces=tmp_path / "x.pdf", starts=b"%PDF")
    failing = tmp_path / "pdftotext"
    failing.write_text("#!/bin/sh\necho broken >&2\nexit 3\n", encoding="utf-8")
    failing.chmod(0o755)
    with pytest.raises(pytest.fail.Exception, match=r"status 3 \(broken\).*poppler-utils"):
        external(failing, "x.pdf", "-")


def test_the_list_names_a_package_for_every_program() -> None:
    assert package_for("/usr/bin/soffice", "--convert-to", "pdf", "方案.docx") == "libreoffice-writer-nogui"
    assert package_for("soffice", "--outdir", "x", "表.xlsx") == "libreoffice-calc-nogui"
    assert package_for("pdftoppm") == "poppler-utils" and package_for("chromium") == "chromium"
    assert package_for("pandoc") == "pypandoc-binary"
    for need in NEEDS:
        assert need.packages and need.what


def test_a_test_that_needs_writer_is_skipped_or_failed_on_a_machine_with_calc_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The machine of the issue: `soffice` is there (Calc brought it), Writer is not."""
    program = tmp_path / "libreoffice" / "program"
    program.mkdir(parents=True)
    for name in ("soffice.bin", "libsclo.so"):
        (program / name).write_bytes(b"")
    soffice = program / "soffice"
    soffice.write_text("#!/bin/sh\nexit 0\n", encoding="utf-8")
    soffice.chmod(0o755)
    monkeypatch.setenv("PATH", f"{program}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.delenv("CI", raising=False)
    assert office(".xlsx") == str(soffice)
    with pytest.raises(pytest.skip.Exception, match=r"LibreOffice Writer \(Debian package libreoffice-writer-nogui"):
        office(".docx")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="LibreOffice has no Writer: install the Debian package"):
        office(".docx")


def test_a_listed_program_that_is_not_installed_is_named_with_its_package(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # a machine without poppler
    with pytest.raises(
        pytest.fail.Exception, match="pdftotext is not installed: install the Debian package poppler-utils"
    ):
        subprocess.run(["pdftotext", "x.pdf", "-"], check=False)

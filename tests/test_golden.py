"""Golden files are rewritten one at a time, by name, with the change shown (tests/golden.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from . import golden


@pytest.fixture(autouse=True)
def _fresh(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(golden, "_REWRITTEN", {})


def test_without_the_variable_a_golden_is_only_compared(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(golden.ENV, raising=False)
    path = tmp_path / "letter.md"
    path.write_text("old\n", encoding="utf-8")
    with pytest.raises(AssertionError, match=r"KPSY_UPDATE_GOLDEN=letter\.md rewrites it"):
        golden.check(path, "new\n")
    assert path.read_text(encoding="utf-8") == "old\n"


def test_the_golden_named_is_rewritten_and_its_diff_shown(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    shown: list[str] = []
    monkeypatch.setattr(golden.sys, "__stderr__", type("Err", (), {"write": lambda self, t: shown.append(t)})())
    one, other = tmp_path / "one.md", tmp_path / "other.md"
    for path in (one, other):
        path.write_text("same\nold\n", encoding="utf-8")
    monkeypatch.setenv(golden.ENV, "one.md")
    golden.check(one, "same\nnew\n")
    with pytest.raises(AssertionError):
        golden.check(other, "same\nnew\n")  # another golden is never rewritten
    assert one.read_text(encoding="utf-8") == "same\nnew\n" and other.read_text(encoding="utf-8") == "same\nold\n"
    assert "-old\n+new\n" in "".join(shown) and "rewrote" in "".join(shown)


def test_a_name_that_fits_two_goldens_or_all_of_them_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = tmp_path / "a" / "expected.txt", tmp_path / "b" / "expected.txt"
    for path in (first, second):
        path.parent.mkdir()
        path.write_text("x\n", encoding="utf-8")
    monkeypatch.setenv(golden.ENV, "expected.txt")
    golden.check(first, "x\n")
    with pytest.raises(pytest.fail.Exception, match="names two goldens"):
        golden.check(second, "x\n")
    monkeypatch.setenv(golden.ENV, "b")  # a common file name is picked by its folder's name
    golden.check(second, "y\n")
    assert second.read_text(encoding="utf-8") == "y\n"
    for everything in ("1", "all", "yes"):
        monkeypatch.setenv(golden.ENV, everything)
        with pytest.raises(pytest.fail.Exception, match="name the one golden file"):
            golden.check(first, "x\n")

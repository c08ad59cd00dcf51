"""pandoc runs in the background while kpsy prepares what follows it: a pandoc that fails, is killed or
cannot be started still gives one clean message and exit status 1, nothing is written, and no pandoc
and no temporary folder is left behind, on an error or on Ctrl-C. Letters are converted in batches,
one pandoc run a processor."""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

import pytest

from kpsy.documents import word
from kpsy.documents.pandoc import ConversionError, start
from kpsy.documents.templates import reference_docx

from .conftest import PLAN, run


def fake_pandoc(folder: Path, script: str) -> Path:
    """A stand-in for pandoc: a shell script that notes its process id in folder/pids/, then runs `script`."""
    (folder / "pids").mkdir(exist_ok=True)
    program = folder / "pandoc"
    program.write_text(f'#!/bin/sh\necho $$ > "{folder}/pids/$$"\n{script}\n', encoding="utf-8")
    program.chmod(0o755)
    return program


def gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


@pytest.fixture
def private_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A temporary folder of the test's own (not the shared /tmp, where other runs convert too)."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


@pytest.mark.parametrize(
    ("script", "said"),
    [
        ('echo "unknown reader: markdown" >&2\nexit 3', "pandoc 运行失败（退出状态 3）：unknown reader: markdown"),
        ("kill -9 $$", "pandoc 被 SIGKILL 终止"),
    ],
)
def test_a_pandoc_that_fails_is_one_clean_message_and_nothing_is_written(
    script: str, said: str, workdir: Path, private_tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PYPANDOC_PANDOC", str(fake_pandoc(workdir, script)))
    for args in (["render", "document", "-o", "方案.docx"], ["letters", "--out", "交办函"]):
        result = run(*args, "--plan", PLAN)
        assert result.exit_code == 1, result.output
        assert said in result.output and "Traceback" not in result.output
    assert not (workdir / "方案.docx").exists()
    assert not (workdir / "交办函").exists() or list((workdir / "交办函").iterdir()) == []
    assert list(private_tmp.iterdir()) == []


def test_a_pandoc_that_cannot_be_started_is_named(
    workdir: Path, private_tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    missing = workdir / "no-such-pandoc"
    monkeypatch.setenv("PYPANDOC_PANDOC", str(missing))
    result = run("render", "document", "-o", "方案.docx", "--plan", PLAN)
    assert result.exit_code == 1
    assert f"无法运行 pandoc（{missing}）" in result.output and "Traceback" not in result.output
    assert not (workdir / "方案.docx").exists() and list(private_tmp.iterdir()) == []


def test_ctrl_c_while_pandoc_runs_ends_it(workdir: Path, private_tmp: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PYPANDOC_PANDOC", str(fake_pandoc(workdir, "exec sleep 30")))
    started = time.monotonic()
    with pytest.raises(KeyboardInterrupt), start("正文。\n", reference_docx()):
        while not list((workdir / "pids").iterdir()):
            time.sleep(0.01)
        raise KeyboardInterrupt
    (pid,) = (int(p.name) for p in (workdir / "pids").iterdir())
    assert gone(pid) and time.monotonic() - started < 10
    assert list(private_tmp.iterdir()) == []


def test_one_batch_failing_ends_the_others(workdir: Path, private_tmp: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Letters in two batches, two pandoc runs side by side: the first fails, the second (still
    running) is ended, and the error is the first's."""
    # the failing run waits (up to 5 s) until the other has started, so that there is one to end
    script = (
        'input=$(cat)\ncase "$input" in *FAIL*)\n'
        f'  for i in $(seq 50); do [ "$(ls "{workdir}/pids" | wc -l)" -ge 2 ] && break; sleep 0.1; done\n'
        '  echo "bad letter" >&2; exit 2;;\nesac\nexec sleep 30'
    )
    monkeypatch.setenv("PYPANDOC_PANDOC", str(fake_pandoc(workdir, script)))
    monkeypatch.setattr(word, "batches", lambda markdowns: [markdowns[:1], markdowns[1:]])
    started = time.monotonic()
    with pytest.raises(ConversionError, match="bad letter"):
        word.to_docx(["FAIL\n", "正文。\n"])
    pids = [int(p.name) for p in (workdir / "pids").iterdir()]
    assert len(pids) == 2 and all(gone(pid) for pid in pids)
    assert time.monotonic() - started < 10 and list(private_tmp.iterdir()) == []


@pytest.mark.parametrize(
    ("lengths", "workers", "expected"),
    [
        ([30_000] * 26, 2, [13, 13]),
        ([30_000] * 26, 1, [26]),
        ([100] * 26, 2, [26]),  # too little text for a second pandoc run
        ([50_000, 10, 10, 50_000], 2, [2, 2]),
        ([90_000, 10, 10, 10], 2, [1, 3]),
        ([10, 10, 10, 90_000], 2, [3, 1]),
        ([30_000] * 3, 8, [1, 1, 1]),
        ([30_000], 2, [1]),
        ([], 2, []),
    ],
)
def test_batches_keep_the_order_and_share_the_text(lengths: list[int], workers: int, expected: list[int]) -> None:
    markdowns = [str(i % 10) * n for i, n in enumerate(lengths)]
    made = word.batches(markdowns, workers)
    assert [len(b) for b in made] == expected
    assert [md for batch in made for md in batch] == markdowns


def test_the_pandoc_kpsy_brings_runs_with_a_small_heap_hint_and_another_pandoc_as_it_is(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kpsy.documents.pandoc import RTS_OPTIONS, pandoc_command

    monkeypatch.delenv("PYPANDOC_PANDOC", raising=False)
    bundled = pandoc_command()
    assert bundled[1:] == list(RTS_OPTIONS)
    assert "pypandoc" in bundled[0]
    # a pandoc of the user's own (it may be built without -rtsopts) is given no runtime options
    other = fake_pandoc(tmp_path, 'printf "%s\\n" "$@" > "$(dirname "$0")/args"; exit 3')
    monkeypatch.setenv("PYPANDOC_PANDOC", str(other))
    assert pandoc_command() == [str(other)]
    with pytest.raises(ConversionError), start("x\n", reference_docx()) as conversion:
        conversion.result()
    assert (tmp_path / "args").read_text(encoding="utf-8").splitlines()[0] == "--from"


def test_the_heap_hint_leaves_the_document_as_it_was(tmp_path: Path) -> None:
    """pandoc writes the same .docx with and without kpsy's runtime options (the hint is only about speed)."""
    import subprocess

    from kpsy.documents.pandoc import PANDOC_FROM, RTS_OPTIONS, pandoc_path

    source = tmp_path / "in.md"
    source.write_text("# 标题\n\n正文，一段。\n\n| 甲 | 乙 |\n|---|---|\n| 1 | 2 |\n", encoding="utf-8")
    outs = []
    for extra in ((), RTS_OPTIONS):
        out = tmp_path / f"out{len(outs)}.docx"
        cmd = [pandoc_path(), *extra, "--from", PANDOC_FROM, "--to", "docx", "-o", str(out), str(source)]
        subprocess.run(cmd, check=True, env={**os.environ, "SOURCE_DATE_EPOCH": "0"})
        outs.append(out.read_bytes())
    assert outs[0] == outs[1]

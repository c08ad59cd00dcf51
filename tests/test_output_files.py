"""`-o FILE` decides what the file holds, for every command that has -o: a file of that type, or a
refusal that names the file and the endings the command writes, with nothing written. `.pdf` is a
real PDF printed through LibreOffice; `.doc` and `.xls` point to `.docx` and `.xlsx`; a --format
that contradicts the ending is refused; -o naming standard output writes to it."""

from __future__ import annotations

import json
import os
import pty
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import pytest

from .conftest import PLAN, SAMPLE, external, office, run, tool

LISTING = [".txt", ".json", ".csv", ".md", ".xlsx"]
# Issuing a fill-in sheet makes the plan folder's seal key (.kpsy/sheet-key): those commands run on a
# copy of the plan, put where this stands.
COPY = "<a copy of the plan>"


@pytest.fixture(scope="module")
def plan_for_sheets(tmp_path_factory: pytest.TempPathFactory) -> str:
    target = tmp_path_factory.mktemp("sheets") / "plan"
    shutil.copytree(PLAN, target)
    return str(target)


def with_copy(args: list[str], copy: str) -> list[str]:
    return [copy if a == COPY else a for a in args]


# Each command with -o, and the endings it writes (besides .pdf, tested on its own below).
COMMANDS: list[tuple[list[str], list[str]]] = [
    (["tasks", "--plan", str(PLAN)], LISTING),
    (["units", "--plan", str(PLAN)], LISTING),
    (["coverage", "--plan", str(PLAN)], LISTING),
    (["targets", "--plan", str(PLAN)], LISTING),
    (["schedule", "--plan", str(PLAN)], LISTING),
    (["search", "科普", "--plan", str(PLAN)], LISTING),
    (["unit", "science-association", "--plan", str(PLAN)], [".txt", ".md", ".json", ".csv", ".xlsx"]),
    (["show", "youth", "--plan", str(PLAN)], [".txt", ".json", ".md"]),
    (["render", "document", "--plan", str(PLAN)], [".md", ".docx", ".txt"]),
    (["render", "table", "--plan", str(PLAN)], [".md", ".docx", ".txt"]),
    (["diff", "--old-plan", str(PLAN), "--new-plan", str(SAMPLE)], [".txt", ".md", ".json", ".docx"]),
    (["diff", "--affected", "--old-plan", str(PLAN), "--new-plan", str(SAMPLE)], [".txt", ".md", ".json", ".csv"]),
    (["progress", "--plan", str(SAMPLE)], [".txt", ".json", ".csv", ".md", ".xlsx", ".html"]),
    (["progress", "missing", "--plan", str(SAMPLE)], LISTING),
    (["progress", "sheet", "-p", "2024", "-u", "education", "--plan", COPY], [".xlsx"]),
    (["export", "text", "--plan", str(PLAN)], [".txt"]),
]
ALL_ENDINGS = [".txt", ".json", ".csv", ".md", ".xlsx", ".docx", ".html", ".doc", ".xls", ".png", ".wps", ".odt"]
INSTEAD = {".doc": ".docx", ".xls": ".xlsx", ".wps": ".docx", ".odt": ".docx"}


def holds(path: Path, ending: str) -> bool:
    """Whether the file is what its ending says."""
    data = path.read_bytes()
    if ending in (".docx", ".xlsx"):
        inner = "word/document.xml" if ending == ".docx" else "xl/workbook.xml"
        return zipfile.is_zipfile(path) and inner in zipfile.ZipFile(path).namelist()
    if ending == ".pdf":
        return data.startswith(b"%PDF-")
    text = data.decode("utf-8")
    if ending == ".json":
        return json.loads(text) is not None
    if ending == ".html":
        return text.lstrip().lower().startswith("<!doctype html")
    if ending == ".csv":
        return text.startswith("\ufeff") and "," in text.splitlines()[0]
    return not text.startswith(("PK", "%PDF", "{", "[", "<"))  # .txt, .md: text, not another format


@pytest.mark.parametrize(("args", "endings"), COMMANDS, ids=[" ".join(a[:2]) for a, _ in COMMANDS])
def test_every_ending_gives_that_file_or_a_refusal(
    args: list[str], endings: list[str], workdir: Path, plan_for_sheets: str
) -> None:
    args = with_copy(args, plan_for_sheets)
    for ending in ALL_ENDINGS:
        name = f"out{ending}"
        result = run(*args, "-o", name)
        target = workdir / name
        if ending in endings:
            assert result.exit_code == 0 and target.is_file(), (ending, result.output)
            assert holds(target, ending), (args, ending)
            continue
        assert result.exit_code == 2, (args, ending, result.output)
        assert not target.exists(), "nothing is written under a name that lies"
        message = result.stderr.strip().splitlines()[-1]
        assert message.startswith("错误：") and name in message and ending in message, message
        if ending in INSTEAD and INSTEAD[ending] in endings:
            assert f"请改用 out{INSTEAD[ending]}" in message, message
        else:
            assert "可写 " + endings[0] in message, message


def test_a_format_that_contradicts_the_ending_is_refused(workdir: Path) -> None:
    for args in (
        ["diff", "--old-plan", PLAN, "--new-plan", SAMPLE, "-f", "docx", "-o", "x.csv"],
        ["render", "document", "--plan", PLAN, "-f", "docx", "-o", "x.md"],
        ["render", "document", "--plan", PLAN, "-f", "md", "-o", "x.docx"],
        ["tasks", "--plan", PLAN, "-f", "json", "-o", "x.csv"],
        ["progress", "--plan", SAMPLE, "-f", "html", "-o", "x.xlsx"],
        ["render", "document", "--plan", PLAN, "-f", "docx", "-o", "x.txt"],  # a .txt file holds text only
    ):
        result = run(*args)
        assert result.exit_code == 2, (args, result.output)
        assert not list(workdir.iterdir()), args
    english = run("--lang", "en", "diff", "--old-plan", PLAN, "--new-plan", SAMPLE, "-f", "docx", "-o", "x.csv")
    assert "Error: x.csv: this command does not write .csv files; it writes .txt, .md, .json, .docx" in english.stderr
    word = run("--lang", "en", "render", "document", "--plan", PLAN, "-o", "方案.doc")
    assert "方案.doc: kpsy does not write .doc files" in word.stderr and "name it 方案.docx" in word.stderr


def test_a_name_without_a_known_ending_takes_the_default_or_the_format_asked_for(workdir: Path) -> None:
    assert run("units", "--plan", PLAN, "-o", "units").exit_code == 0
    assert holds(workdir / "units", ".txt")
    assert run("units", "--plan", PLAN, "-f", "xlsx", "-o", "units.backup").exit_code == 0
    assert holds(workdir / "units.backup", ".xlsx")


# --- PDF ------------------------------------------------------------------------------------------

PRINTED = [
    (["render", "document", "--plan", str(PLAN), "-o", "方案.pdf"], "方案.pdf", "一、总体要求"),
    (["tasks", "--plan", str(PLAN), "-o", "任务.pdf"], "任务.pdf", "将弘扬科学精神"),
    (
        ["diff", "--old-plan", str(PLAN), "--new-plan", str(SAMPLE), "-f", "redline", "-o", "修订稿.pdf"],
        "修订稿.pdf",
        "雁峰区",
    ),
    (
        ["progress", "sheet", "-p", "2024", "-u", "education", "--plan", COPY, "-o", "填报表.pdf"],
        "填报表.pdf",
        "填报",
    ),
]
PRINTED_FROM = {"render": ".docx", "diff": ".docx", "tasks": ".xlsx", "progress": ".xlsx"}


@pytest.mark.parametrize(("args", "name", "words"), PRINTED, ids=[a[0] + " " + n for a, n, _ in PRINTED])
def test_pdf_is_printed_through_libreoffice(
    args: list[str], name: str, words: str, workdir: Path, plan_for_sheets: str
) -> None:
    office(PRINTED_FROM[args[0]])
    result = run(*with_copy(args, plan_for_sheets))
    assert result.exit_code == 0, result.output
    pdf = workdir / name
    assert pdf.read_bytes().startswith(b"%PDF-")
    text = external(tool("pdftotext"), pdf, "-", text=True).stdout
    assert words in "".join(text.split()), "the PDF holds the document"
    assert [p.name for p in workdir.iterdir()] == [name], "no .docx or .xlsx is left beside it"


def fake_office(folder: Path, body: str) -> Path:
    script = folder / "soffice"
    script.write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
    script.chmod(0o755)
    return script


@pytest.mark.parametrize(
    ("args", "package"),
    [
        (["render", "document", "-o", "方案.pdf"], "libreoffice-writer-nogui"),
        (["units", "-o", "单位.pdf"], "libreoffice-calc-nogui"),
    ],
)
def test_without_libreoffice_pdf_is_refused_naming_the_package(
    args: list[str], package: str, workdir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    empty = workdir / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    result = run(*args, "--plan", PLAN)
    assert result.exit_code == 1 and "未安装 LibreOffice" in result.stderr and package in result.stderr
    assert not (workdir / args[-1]).exists()
    # LibreOffice without the part that prints this kind of file exits 0 and writes nothing
    monkeypatch.setenv("KPSY_SOFFICE", str(fake_office(empty, "exit 0")))
    result = run("--lang", "en", *args, "--plan", PLAN)
    assert result.exit_code == 1 and "LibreOffice wrote no PDF" in result.stderr and package in result.stderr
    assert not (workdir / args[-1]).exists()
    monkeypatch.setenv("KPSY_SOFFICE", str(fake_office(empty, "echo 'no filter' >&2; exit 81")))
    result = run(*args, "--plan", PLAN)
    assert result.exit_code == 1 and "退出状态 81" in result.stderr and "no filter" in result.stderr
    assert sorted(p.name for p in workdir.iterdir()) == ["bin"]


def test_libreoffice_without_writer_is_named(workdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A LibreOffice installed with Calc only (its program folder has no Writer library)."""
    program = workdir / "lo" / "program"
    program.mkdir(parents=True)
    (program / "soffice.bin").write_bytes(b"")
    (program / "libsclo.so").write_bytes(b"")
    monkeypatch.setenv("KPSY_SOFFICE", str(fake_office(program, "exit 0")))
    result = run("render", "document", "--plan", PLAN, "-o", "方案.pdf")
    assert result.exit_code == 1 and "已安装的 LibreOffice 不含 Writer" in result.stderr
    assert "libreoffice-writer-nogui" in result.stderr and not (workdir / "方案.pdf").exists()


def test_a_pdf_that_is_not_one_is_never_written(workdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = workdir / "bin"
    folder.mkdir()
    liar = 'mkdir -p "$8" && echo "not a pdf" > "$8/document.pdf"; exit 0'
    monkeypatch.setenv("KPSY_SOFFICE", str(fake_office(folder, liar)))
    result = run("render", "document", "--plan", PLAN, "-o", "方案.pdf")
    assert result.exit_code == 1 and "LibreOffice 没有生成 PDF" in result.stderr
    assert not (workdir / "方案.pdf").exists()


# --- standard output ------------------------------------------------------------------------------


def kpsy(*args: str) -> list[str]:
    return [sys.executable, "-m", "kpsy", *args]


@pytest.mark.parametrize("name", ["/dev/stdout", "-", "/dev/fd/1"])
def test_o_naming_standard_output_writes_to_it_in_a_pipe(name: str, tmp_path: Path) -> None:
    if not Path(name).exists() and name != "-":
        pytest.skip(f"no {name} here")
    shim = f'kpsy() {{ "{sys.executable}" -m kpsy "$@"; }}; '
    done = subprocess.run(
        ["bash", "-o", "pipefail", "-c", shim + f"kpsy units --plan {PLAN} -o {name} | head -n 2"],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert "区委组织部" in done.stdout or "单位" in done.stdout
    workbook = subprocess.run(kpsy("units", "--plan", str(PLAN), "-f", "xlsx", "-o", name), capture_output=True)
    assert workbook.returncode == 0 and workbook.stdout.startswith(b"PK"), workbook.stderr
    redirected = tmp_path / "out.txt"
    with redirected.open("w") as out:  # `> out.txt`: the file standard output is, written through it
        assert subprocess.run(kpsy("units", "--plan", str(PLAN), "-o", name), stdout=out).returncode == 0
    assert "区委组织部" in redirected.read_text(encoding="utf-8")


def test_a_binary_file_is_not_sent_to_a_terminal() -> None:
    main, secondary = pty.openpty()
    try:
        done = subprocess.run(
            kpsy("units", "--plan", str(PLAN), "-f", "xlsx", "-o", "/dev/stdout"),
            stdout=secondary,
            stderr=subprocess.PIPE,
            env={**os.environ, "KPSY_LANG": "en"},
        )
    finally:
        os.close(secondary)
        os.close(main)
    assert done.returncode == 1 and b"binary file" in done.stderr


def test_no_converter_is_left_running_and_no_profile_is_left_behind(
    workdir: Path, tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    if shutil.which("soffice") is None:
        pytest.skip("needs soffice")
    private = tmp_path_factory.mktemp("tmp")  # not the shared /tmp, where other runs convert too
    monkeypatch.setattr(tempfile, "tempdir", str(private))
    assert run("units", "--plan", PLAN, "-o", "u.pdf").exit_code == 0
    assert (workdir / "u.pdf").read_bytes().startswith(b"%PDF-")
    assert list(private.iterdir()) == []


def test_a_folder_is_not_named_as_a_file(workdir: Path, plan_for_sheets: str) -> None:
    for args in (
        ["letters", "--plan", PLAN, "--out", "交办函.docx"],
        ["letters", "--plan", PLAN, "--out", "交办函.pdf", "-f", "md"],
        ["progress", "sheet", "--plan", plan_for_sheets, "-p", "2024", "--all", "--out", "填报表.xlsx"],
    ):
        result = run(*args)
        assert result.exit_code == 2 and "是文件夹" in result.stderr, (args, result.output)
    assert not list(workdir.iterdir())
    assert run("letters", "--plan", PLAN, "--out", "交办函", "-u", "education", "-f", "md").exit_code == 0
    assert [p.suffix for p in (workdir / "交办函").iterdir()] == [".md"]

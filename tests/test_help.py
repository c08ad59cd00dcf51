"""Help screens and usage errors read as Chinese by default and as English with --lang en: every
command's and subcommand's help, and every kind of usage error click and kpsy can raise, with no
untranslated sentence in either; help is never cut, and a reader that stops early is no error."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from kpsy.outputs.layout import display_width

from .conftest import run


def command_paths() -> list[list[str]]:
    """The root, every command and every subcommand (progress sheet, export text, …)."""
    from kpsy.cli.app import COMMANDS, _command

    paths: list[list[str]] = [[]]
    for name, module in COMMANDS.items():
        paths.append([name])
        paths += [[name, sub] for sub in getattr(_command(module, name), "commands", {})]
    return paths


PATHS = command_paths()

# Words a Chinese help screen may show in Latin letters: names of programs, formats and files, and
# kpsy's own words (commands, option values); everything else in runs of two or more is English left
# untranslated.
VOCABULARY = set(
    [
        "kpsy",
        "git",
        "diff",
        "log",
        "textconv",
        "shell",
        "pandoc",
        "python",
        "json",
        "schema",
        "csv",
        "md",
        "xlsx",
        "docx",
        "html",
        "pdf",
        "yaml",
        "txt",
        "word",
        "wps",
        "excel",
        "libreoffice",
        "markdown",
        "github",
        "actions",
        "utf",
        "bom",
        "gb",
        "id",
        "ids",
        "plan",
        "settings",
        "reference",
        "table",
        "text",
        "plain",
        "auto",
        "redline",
        "both",
        "letter",
        "document",
        "summary",
        "bulletin",
        "review",
        "lead",
        "participant",
        "mentioned",
        "zh",
        "en",
        "export",
        "sheet",
        "import",
        "missing",
        "gitattributes",
        "kpsy_plan",
        "kpsy_lang",
        "kpsy_csv_bom",
    ]
)


def english_runs(screen: str) -> list[str]:
    """Runs of two or more English words in a row (one space apart), other than option names, file
    names, $VARIABLES, METAVARS and the vocabulary."""
    commands = re.sub(r"\bkpsy(?: +[^\s│]+)*", "#", screen)  # a command line, as in the examples
    plain = re.sub(r"(?<![\w-])--?[A-Za-z][\w-]*|\$\w+|\b\w+(?:[./]\w+)+/?", "#", commands)
    runs = []
    for found in re.finditer(r"[A-Za-z][A-Za-z']*(?: [A-Za-z][A-Za-z']*)+", plain):
        streak: list[str] = []
        for word in [*found.group().split(), ""]:
            if word and word.lower() not in VOCABULARY and not word.isupper():
                streak.append(word)
                continue
            if len(streak) >= 2:
                runs.append(" ".join(streak))
            streak = []
    return runs


# Chinese an English help screen may show: the names of the office's documents, the plan's own
# numbering and roles as examples (what a user types), and the genre's name.
TERMS = {
    "全民科学素质行动",
    "全民科学素质行动规划纲要实施方案",
    "重点任务分工表",
    "交办函",
    "文电科",
    "发文字号",
    "催报",
    "督查通报",
    "年度总结",
    "总结评估",
    "修订说明",
    "修改对照表",
    "修订稿",
    "征求意见稿",
    "任务台账",
    "实施方案",
    "任务分工方案",
    "进度安排",
    "牵头",
    "参加",
    "提及",
    "牵",
    "参",
    "二",
    "二（一）",
    "一",
    "．",
    "二、",
    "ＡＩ",
    "教育局",  # the unit in the examples
    "三",
}


def chinese_runs(screen: str) -> list[str]:
    """Runs of Chinese characters and full-width punctuation that are not one of the TERMS."""
    wide = "\u3000-\u303f\u4e00-\u9fff\uff00-\uffef"
    unboxed = "\n".join(line.strip("│ ") for line in screen.splitlines())
    joined = re.sub(rf"(?<=[{wide}])\n(?=[{wide}])", "", unboxed)  # a term wrapped over two lines
    return [run for run in re.findall(rf"[{wide}]+", joined) if run not in TERMS]


def screen(*args: str) -> str:
    result = run(*args)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_the_detectors_find_what_they_look_for() -> None:
    assert english_runs("│ -h, --help   Show this message and exit. │") == ["Show this message and exit"]
    assert english_runs("│ --plan DIR   计划文件夹。默认：$KPSY_PLAN，否则 plan/ │") == []
    assert english_runs("用 `git diff` 和 `git log -p` 显示 JSON Schema") == []
    assert chinese_runs("Usage: 用法 the 交办函 (二（一）)") == ["用法"]


@pytest.mark.parametrize("path", PATHS, ids=lambda p: " ".join(p) or "kpsy")
def test_help_is_chinese_by_default_and_english_with_lang_en(path: list[str]) -> None:
    zh = screen(*path, "-h")
    assert zh.lstrip().startswith("用法：kpsy"), zh
    assert "╭─ 选项 " in zh and "-h, --help" in zh and "显示本帮助并退出。" in zh
    assert english_runs(zh) == [], zh
    en = screen("--lang", "en", *path, "-h")
    assert en.lstrip().startswith("Usage: kpsy"), en
    assert "╭─ Options " in en and "Show this message and exit." in en
    assert chinese_runs(en) == [], en
    assert english_runs(en), "the English screen is English (and the detector sees it)"
    assert len(chinese_runs(zh)) > 3, "the Chinese screen is Chinese (and the detector sees it)"


@pytest.mark.parametrize("path", PATHS, ids=lambda p: " ".join(p) or "kpsy")
def test_every_option_and_argument_is_explained_in_both_languages(path: list[str]) -> None:
    for lang, has_words in (("zh", re.compile(r"[\u4e00-\u9fff]")), ("en", re.compile(r"[a-z]{3}"))):
        shown = screen("--lang", lang, *path, "-h")
        rows = [line for line in shown.splitlines() if re.match(r"│ (-|[A-Z\[])", line)]
        assert rows, shown
        for line in rows:
            cells = re.split(r"\s{2,}", line.strip("│ "), maxsplit=1)
            assert len(cells) == 2 and has_words.search(cells[1]), (lang, line)


def test_the_language_is_known_before_the_help(monkeypatch: pytest.MonkeyPatch) -> None:
    assert screen("-h", "--lang", "en").lstrip().startswith("Usage:")  # -h comes first, --lang counts
    assert screen("--lang=en", "progress", "sheet", "-h").lstrip().startswith("Usage: kpsy progress sheet")
    monkeypatch.setenv("KPSY_LANG", "en")
    assert screen("tasks", "-h").lstrip().startswith("Usage: kpsy tasks")
    assert screen("--lang", "zh", "tasks", "-h").lstrip().startswith("用法：kpsy tasks")


@pytest.mark.parametrize("columns", ["40", "50", "60", "80", "200"])
@pytest.mark.parametrize("path", [[], ["tasks"], ["progress"], ["diff"], ["render"]], ids=" ".join)
def test_help_is_never_cut(path: list[str], columns: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", columns)
    for lang in ("zh", "en"):
        shown = screen("--lang", lang, *path, "-h")
        assert shown.count("…") == ellipses(path), "nothing is cut short"

        assert max(display_width(line) for line in shown.splitlines()) <= int(columns)
        if not path:
            for option in ("--install-completion", "--show-completion", "--version", "--lang"):
                assert re.search(rf"│ {option}\b", shown), (option, shown)


def ellipses(path: list[str]) -> int:
    """How many "…" the texts of a help screen hold themselves (any more were made by cutting)."""
    import typer.main

    from kpsy.cli.app import app
    from kpsy.cli.usage import paragraphs
    from kpsy.i18n import tr

    root = typer.main.get_command(app)
    ctx = root.make_context("kpsy", [*path, "--help"], resilient_parsing=True)
    command = root
    for name in path:
        command = command.get_command(ctx, name)
    texts = [*paragraphs(command.help), *(tr(p.help or "") for p in command.params)]
    texts += [tr(sub.help or "") for sub in getattr(command, "commands", {}).values()]
    if not path:
        texts += [paragraphs(root.get_command(ctx, n).help)[0] for n in root.list_commands(ctx)]
    return sum(t.count("…") for t in texts)


def test_the_root_lists_every_command_in_chinese() -> None:
    root = screen("-h")
    for name in ("tasks", "units", "render", "letters", "validate", "diff", "progress", "git-setup"):
        assert re.search(rf"^│ {name} +\S", root, re.M), name
    assert "某单位要做什么" in root and "╭─ 查询计划 " in root and "╭─ 进度 " in root


# --- usage errors ---------------------------------------------------------------------------------

# Every kind of usage error: (arguments, what the Chinese says, what the English says).
USAGE_ERRORS = [
    (["tasks", "--bogus"], '没有选项 "--bogus"', 'no such option "--bogus"'),
    (["tasks", "--untit", "x"], "是否要找：--unit", "did you mean --unit"),
    (["tasks", "-x"], '没有选项 "-x"', 'no such option "-x"'),
    (["taks"], '没有命令 "taks"，是否要找：tasks', 'no such command "taks", did you mean tasks'),
    (["progress", "sheat"], '没有命令 "sheat"，是否要找：sheet', 'no such command "sheat", did you mean sheet'),
    (["export", "txt"], '没有命令 "txt"，是否要找：text', 'no such command "txt", did you mean text'),
    (["show"], "缺少参数 ITEM", "missing argument ITEM"),
    (["letters"], "缺少选项 --out", "missing option --out"),
    (["progress", "sheet"], "缺少选项 --period", "missing option --period"),
    (["tasks", "--unit"], "选项 --unit 需要一个值", "option --unit needs a value"),
    (["render", "document", "-f"], "选项 -f 需要一个值", "option -f needs a value"),
    (["tasks", "--ids=yes"], "选项 --ids 不带值", "option --ids takes no value"),
    (["tasks", "-f", "plain"], "“plain”不是可选的值；可选 table、json", "'plain' is not one of table, json"),
    (["tasks", "-f", "jsn"], "是否要找：json？", "did you mean json?"),
    (["letters", "--out", "x", "-f", "pdf"], "可选 md、docx、both", "md, docx, both"),
    (["tasks", "x1", "y2"], "多余的参数：x1 y2", "unexpected argument(s): x1 y2"),
    (["tasks", "--lang", "en"], "--lang 是 kpsy 本身的选项，要写在命令之前", "--lang is kpsy's own option"),
    (["tasks", "-u", "x", "--role", "boss"], "“boss”不是角色", "boss is not a role"),
]


@pytest.mark.parametrize(("args", "zh", "en"), USAGE_ERRORS, ids=[" ".join(a) for a, _, _ in USAGE_ERRORS])
def test_usage_errors_in_both_languages(args: list[str], zh: str, en: str) -> None:
    chinese = run(*args)
    assert chinese.exit_code == 2, chinese.output
    lines = chinese.stderr.splitlines()
    assert lines[0].startswith("用法：kpsy") and lines[1].startswith("用 `kpsy") and lines[1].endswith("查看帮助。")
    assert lines[-1].startswith("错误：") and zh in lines[-1], lines
    assert english_runs(chinese.stderr) == [], chinese.stderr
    english = run("--lang", "en", *args)
    assert english.exit_code == 2, english.output
    lines = english.stderr.splitlines()
    assert lines[0].startswith("Usage: kpsy") and lines[1].startswith("Try 'kpsy") and lines[1].endswith("for help.")
    assert lines[-1].startswith("Error: ") and en in lines[-1], lines
    assert chinese_runs(english.stderr) == [], english.stderr
    assert chinese.stdout == english.stdout == ""


def test_an_invalid_language_is_refused_in_the_language_of_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    assert "错误：--lang 的值无效：“fr”不是可选的值；可选 zh、en" in run("--lang", "fr", "tasks").stderr
    monkeypatch.setenv("KPSY_LANG", "en")
    assert "Error: invalid value for --lang: 'fr' is not one of zh, en" in run("--lang", "fr", "tasks").stderr


def test_no_command_shows_the_help() -> None:
    for args in ([], ["export"]):
        result = run(*args)
        assert result.exit_code == 2 and result.stdout.lstrip().startswith("用法：kpsy"), result.output


# --- a reader that stops early --------------------------------------------------------------------


@pytest.mark.parametrize("args", [["--help"], ["tasks", "-h"], ["--lang", "en", "progress", "sheet", "--help"]])
def test_help_to_a_reader_that_has_gone_exits_0(args: list[str]) -> None:
    read, write = os.pipe()
    os.close(read)  # the reader is gone before kpsy writes a byte: every write meets a broken pipe
    proc = subprocess.Popen([sys.executable, "-m", "kpsy", *args], stdout=write, stderr=subprocess.PIPE)
    os.close(write)
    _, error = proc.communicate(timeout=60)
    assert proc.returncode == 0 and error.decode() == ""


def test_help_piped_into_head_in_a_shell() -> None:
    shim = f'kpsy() {{ "{sys.executable}" -m kpsy "$@"; }}; '
    for command in ("kpsy --help | head -1", "kpsy tasks -h | head -n 2"):
        done = subprocess.run(
            ["bash", "-o", "pipefail", "-c", shim + command], capture_output=True, text=True, env=os.environ
        )
        assert done.returncode == 0 and done.stderr == "", (command, done.stderr)

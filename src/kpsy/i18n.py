"""The language of what a person reads: Chinese by default, English with `--lang en` (or KPSY_LANG=en).

Every message a person reads is written at its call site in both languages:

    msg("unknown unit '{name}'", "未知单位“{name}”", name=name)

so no message lacks a translation and a reader of the code sees both. JSON keys and the values
programs match on (rule ids, roles such as `lead`) stay English in every language.

A text that is written before the language is known and shown later (a command's help, an option's
help, a panel's title) is filed the same way, at its call site, in the one catalogue of this module:

    help=both("The plan folder.", "计划文件夹。")      # returns the English, files the Chinese
    @chinese("某单位要做什么……")                       # a command's docstring, in Chinese

and `tr(english)` gives it in the language of the moment, when the help screen is drawn.
"""

from __future__ import annotations

import inspect
import os
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

LANGUAGES = ("zh", "en")
ENV_VAR = "KPSY_LANG"


def _initial() -> str:
    wanted = os.environ.get(ENV_VAR, "").strip().lower()[:2]
    return wanted if wanted in LANGUAGES else "zh"


_current = _initial()


def use(language: str) -> None:
    """Make `language` (zh or en) the language of every message from now on."""
    global _current
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}; choose {', '.join(LANGUAGES)}")
    _current = language


def language() -> str:
    """The language messages are in: zh or en."""
    return _current


def msg(en: str, zh: str, /, **values: Any) -> str:
    """The message in the current language, with `values` put in its {placeholders}."""
    return (zh if _current == "zh" else en).format(**values)


# --- texts shown later: English -> Chinese --------------------------------------------------------

_CATALOGUE: dict[str, str] = {}
F = TypeVar("F", bound=Callable[..., Any])


def key(english: str) -> str:
    """How a text is looked up: its paragraphs, each with its white space made single spaces (so that
    a docstring's line breaks and indentation do not matter)."""
    paragraphs = (" ".join(p.split()) for p in inspect.cleandoc(english).split("\n\n"))
    return "\n\n".join(p for p in paragraphs if p)


def both(en: str, zh: str, /) -> str:
    """A text shown later (an option's help, a panel's title): returns `en` as it is, and files `zh`
    as its Chinese, for `tr`."""
    _CATALOGUE[key(en)] = inspect.cleandoc(zh)
    return en


def chinese(zh: str, /) -> Callable[[F], F]:
    """A decorator: the function's docstring (a command's help) in Chinese, for `tr`."""

    def file(function: F) -> F:
        if function.__doc__:
            both(function.__doc__, zh)
        return function

    return file


def chinese_of(english: str) -> str | None:
    """The Chinese filed for `english`, whatever the current language (None when there is none)."""
    return _CATALOGUE.get(key(english))


def tr(english: str) -> str:
    """A filed text in the current language: its Chinese under zh (or the text itself when none was
    filed), as it is under en."""
    if _current == "en" or not english:
        return english
    return _CATALOGUE.get(key(english), english)


# What kpsy calls the things in a plan, for messages in Chinese.
THINGS_ZH = {
    "part": "部分",
    "chapter": "章节",
    "task": "任务",
    "unit": "单位",
    "basis": "依据文件",
    "target": "目标",
    "milestone": "进度节点",
    "progress": "进度报告",
    "document": "文件",
    # kinds of paragraph (kpsy.plan.text.Paragraph.kind)
    "notice-issuer": "发文机关",
    "notice-number": "发文字号",
    "notice-title": "通知标题",
    "addressees": "主送机关",
    "notice-body": "通知正文",
    "signature": "署名",
    "date": "成文日期",
    "title": "标题",
    "preamble": "前言",
    "intro": "导语",
    "paragraph": "正文",
    "task-paragraph": "任务正文",
    "item": "条目",
    "responsibility": "责任分工",
    "imprint": "版记",
}


def thing(kind: str) -> str:
    """The name of a kind of thing (part, chapter, task, …) in the current language."""
    return THINGS_ZH.get(kind, kind) if _current == "zh" else kind


def joined(items: Iterable[str]) -> str:
    """Names in a row as a person writes them: 县教育局、县科协 in Chinese, a comma between in English."""
    return ("、" if _current == "zh" else ", ").join(items)


def status_names() -> dict[str, str]:
    """What a person reads for each status a unit reports (the data and JSON keep the office's words)."""
    return {
        "已完成": msg("done", "已完成"),
        "超进度": msg("ahead", "超进度"),
        "达进度": msg("on track", "达进度"),
        "欠进度": msg("behind", "欠进度"),
        "未启动": msg("not started", "未启动"),
        "其他": msg("other", "其他"),
        "未报送": msg("not reported", "未报送"),
        "部分未报": msg("partly reported", "部分未报"),
        "未填报": msg("left blank", "未填报"),
    }


def role_names() -> dict[str, str]:
    """What a person reads for each role value (JSON and the data keep the values)."""
    return {
        "lead": msg("lead", "牵头"),
        "participant": msg("participant", "参加"),
        "mentioned": msg("mentioned", "提及"),
    }


# --- parameters: a flag on the command line, an argument in Python ---------------------------------

_FLAGS = [False]


def speak_of_flags(on: bool) -> None:
    """Whether messages name parameters as the command line's flags (the CLI, while it runs) or as
    the Python API's arguments (the default)."""
    _FLAGS[0] = on


def param(name: str, flag: str) -> str:
    """A parameter as the caller knows it: `flag` (--unit, -o FILE) when kpsy runs as a command,
    else the API's argument `name` (unit, to). The core's refusals name parameters this way, so
    that the API and the command line say the same thing, each in its own terms."""
    return flag if _FLAGS[0] else name

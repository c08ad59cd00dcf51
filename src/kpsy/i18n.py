"""The language of what a person reads: Chinese by default, English with `--lang en` (or KPSY_LANG=en).

Every message a person reads is written at its call site in both languages:

    msg("unknown unit '{name}'", "未知单位“{name}”", name=name)

so no message lacks a translation and a reader of the code sees both. JSON keys and the values
programs match on (rule ids, roles such as `lead`) stay English in every language.
"""

from __future__ import annotations

import os
from typing import Any

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


def role_names() -> dict[str, str]:
    """What a person reads for each role value (JSON and the data keep the values)."""
    return {
        "lead": msg("lead", "牵头"),
        "participant": msg("participant", "参加"),
        "mentioned": msg("mentioned", "提及"),
    }

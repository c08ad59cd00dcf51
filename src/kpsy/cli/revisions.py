"""Commands about revisions of the plan: diff, git-setup."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from kpsy.cli.app import ERROR_EXIT, err
from kpsy.cli.options import (
    DraftOption,
    OutputOption,
    PlanOption,
    TemplatesOption,
    choices,
    chosen,
    draft_mark,
    emit,
    family_help_zh,
    format_option,
    typed,
)
from kpsy.i18n import both, chinese
from kpsy.revisions.report import AFFECTED_FORMATS, DIFF_FORMATS

# --format offers the diff's formats and those of --affected; each is checked against its own registry
DiffFormat = choices(
    DIFF_FORMATS.name, [*DIFF_FORMATS.names, *(n for n in AFFECTED_FORMATS.names if n not in DIFF_FORMATS)]
)

commands = typer.Typer()  # the commands of this module; kpsy.cli.app.COMMANDS names them
PANEL = both("Revisions", "修订")


@commands.command(
    rich_help_panel=PANEL,
    epilog=both(
        """kpsy diff HEAD~1  what changed since the last commit
        kpsy diff v1 v2 -f docx -o comparison.docx  the 修改对照表 between two tags, in Word
        kpsy diff v1 -f redline -o redline.pdf  the 修订稿 with tracked changes, printed to PDF
        kpsy diff v1 --affected  the units whose task letters change""",
        """kpsy diff HEAD~1  上次提交以来改了什么
        kpsy diff v1 v2 -f docx -o 修改对照表.docx  两个标签之间的修改对照表，Word 文档
        kpsy diff v1 -f redline -o 修订稿.pdf  带修订标记的修订稿，打印为 PDF
        kpsy diff v1 --affected  交办函有变化的单位""",
    ),
)
@chinese(
    """两个修订版之间含义上改了什么：条目的增删和移动、文字、责任分工、单位名录、目标、进度安排和实施期限。
    可写成办公室的说法（修订说明）、修改对照表，或带 Word 修订标记的修订稿。出错时退出状态为 2。"""
)
def diff(
    ctx: typer.Context,
    old: Annotated[
        str | None,
        typer.Argument(
            metavar="OLD",
            help=both("A git revision (HEAD~1, a tag, a commit).", "一个 git 修订版（HEAD~1、标签或提交）。"),
        ),
    ] = None,
    new: Annotated[
        str | None,
        typer.Argument(
            metavar="[NEW]",
            help=both("A git revision; default: the working tree.", "一个 git 修订版；默认：工作区的当前文件。"),
        ),
    ] = None,
    old_plan: Annotated[
        Path | None,
        typer.Option("--old-plan", metavar="DIR", help=both("Compare this plan folder…", "比较这个计划文件夹……")),
    ] = None,
    new_plan: Annotated[
        Path | None, typer.Option("--new-plan", metavar="DIR", help=both("…with this one.", "……与这个计划文件夹。"))
    ] = None,
    unit: Annotated[
        str | None,
        typer.Option(
            "--unit",
            "-u",
            help=both(
                "Only the changes that change this unit's task letter (none when its letter reads the same).",
                "只看改变该单位交办函的修改（交办函内容不变则没有）。",
            ),
            callback=typed,
        ),
    ] = None,
    affected: Annotated[
        bool,
        typer.Option(
            "--affected",
            help=both(
                "List the units whose task letter (交办函) changes, comparing their letters rendered from both revisions"
                " (formats text, md, json, csv).",
                "列出交办函有变化的单位：分别按两个修订版生成交办函并比较（格式 text、md、json、csv）。",
            ),
        ),
    ] = False,
    fmt: Annotated[
        DiffFormat | None,  # type: ignore[valid-type]
        format_option(
            DIFF_FORMATS,
            f"{DIFF_FORMATS.help()}. With --affected: {AFFECTED_FORMATS.help()}",
            f"{family_help_zh(DIFF_FORMATS)}。与 --affected 同用：{family_help_zh(AFFECTED_FORMATS)}",
        ),
    ] = None,
    output: OutputOption = None,
    exit_code: Annotated[
        bool,
        typer.Option(
            "--exit-code",
            help=both(
                "Exit 1 when there are changes (or, with --affected, letters that change), 0 when none.",
                "有修改（与 --affected 同用时：有交办函变化）时退出状态为 1，没有时为 0。",
            ),
        ),
    ] = False,
    author: Annotated[
        str | None,
        typer.Option(
            "--author",
            help=both(
                "The redline's tracked changes are by (default: the letters' sender in settings.yaml).",
                "修订稿中修订标记的作者（默认：settings.yaml 中交办函的发函单位）。",
            ),
        ),
    ] = None,
    templates: TemplatesOption = None,
    draft: DraftOption = False,
    plan: PlanOption = None,
) -> None:
    """What changed in meaning between two revisions of the plan: items added, removed, moved,
    merged, split; words, word by word; responsibility; units renamed; targets, schedule and period.
    In the office's words (修订说明), as a comparison table (修改对照表) or a redline with Word tracked
    changes (修订稿), each revision named by its record in revisions.yaml. Errors exit 2."""
    from kpsy import api
    from kpsy.errors import UsageError
    from kpsy.i18n import msg

    ctx.meta[ERROR_EXIT] = 2  # 0 and 1 say whether there are changes
    if affected:
        if fmt is not None and chosen(fmt) not in AFFECTED_FORMATS:
            raise UsageError(
                msg(
                    "--affected lists units: use --format {names}",
                    "--affected 列出单位：请用 --format {names}",
                    names="|".join(AFFECTED_FORMATS.names),
                )
            )
        letters = api.affected(plan, old, new, old_plan=old_plan, new_plan=new_plan, unit=unit, templates=templates)
        emit(AFFECTED_FORMATS, fmt, letters, output)
        if exit_code and letters.count:
            raise typer.Exit(1)
        return
    if fmt is not None and chosen(fmt) not in DIFF_FORMATS:
        raise UsageError(msg("--format {f} is for --affected", "--format {f} 只用于 --affected", f=chosen(fmt)))
    result = api.diff(plan, old, new, old_plan=old_plan, new_plan=new_plan, unit=unit, templates=templates)
    emit(DIFF_FORMATS, fmt, result, output, templates=templates, author=author, draft=draft_mark(draft))
    if exit_code and result.count:
        raise typer.Exit(1)


@commands.command("git-setup", rich_help_panel=PANEL)
@chinese(
    """让本克隆中的 `git diff` 和 `git log -p` 把计划文件显示为可读文本：把 diff.kpsy.textconv 设为用当前
    Python 运行 `kpsy textconv`（无需激活虚拟环境），并在 .gitattributes 中把计划文件标为 diff=kpsy。
    会说明做了什么。"""
)
def git_setup(plan: PlanOption = None) -> None:
    """Make `git diff` and `git log -p` show plan files as readable text in this clone: sets
    diff.kpsy.textconv to this Python running `kpsy textconv` (works without an activated virtual
    environment) and marks the plan's files diff=kpsy in .gitattributes. Says what it did."""
    from kpsy import api

    for line in api.git_setup(plan):
        err(line)

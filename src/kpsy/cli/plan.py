"""Commands about the plan's files: validate, proof, export text, fmt, schema, textconv."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from kpsy.cli.app import err
from kpsy.cli.options import OutputOption, PlanOption, choices, emit, format_option, to_stdout
from kpsy.i18n import both, chinese, msg
from kpsy.outputs.findings import FINDINGS_FORMATS, PROOF_FORMATS

FindingsFormat = choices(FINDINGS_FORMATS.name, FINDINGS_FORMATS.names)

commands = typer.Typer()  # the commands of this module; kpsy.cli.app.COMMANDS names them
PANEL = both("The plan files", "计划文件")
export_app = typer.Typer(help=both("Export the plan in other forms.", "以其他形式导出方案。"), no_args_is_help=True)
commands.add_typer(export_app, name="export", rich_help_panel=PANEL)


@commands.command(
    rich_help_panel=PANEL,
    epilog=both(
        """kpsy validate --strict  fail on warnings too (CI, pre-commit)
        kpsy validate -f json  every finding as data""",
        """kpsy validate --strict  有警告也算不通过（CI、pre-commit）
        kpsy validate -f json  每个问题的数据""",
    ),
)
@chinese(
    """检查方案：文件编码、YAML、数据结构、引用、责任覆盖及与原文是否一致。

    退出状态：0 无问题，1 有错误（或 --strict 时有警告），2 用法错误。"""
)
def validate(
    plan: PlanOption = None,
    strict: Annotated[bool, typer.Option("--strict", help=both("Fail on warnings too.", "有警告也算不通过。"))] = False,
    fmt: Annotated[
        FindingsFormat | None,  # type: ignore[valid-type]
        format_option(FINDINGS_FORMATS),
    ] = None,
) -> None:
    """Check the plan: file encoding, YAML, schema, references, coverage and fidelity to the original.

    Exit status: 0 clean, 1 errors (or warnings with --strict), 2 usage errors.
    """
    from kpsy.api import validate as check

    result = check(plan)
    emit(FINDINGS_FORMATS, fmt, result, None)
    raise typer.Exit(0 if result.ok(strict) else 1)


ProofFormat = choices(PROOF_FORMATS.name, PROOF_FORMATS.names)


@commands.command(
    rich_help_panel=PANEL,
    epilog=both(
        """kpsy proof  what a proofreader would mark, a table a file
        kpsy proof -f sarif -o proof.sarif  the findings for code scanning
        kpsy proof --fix  write the safe changes into the plan (a draft revision)""",
        """kpsy proof  文电科校对会标出的问题，每个文件一张表
        kpsy proof -f sarif -o 校对.sarif  供代码扫描使用的结果
        kpsy proof --fix  把安全的修改写入计划文件（作为修订草案）""",
    ),
)
@chinese(
    """像文电科在印发前那样校对方案：标点符号（GB/T 15834）、数字和时间范围（GB/T 15835）、发文字号
    （GB/T 9704）、错别字和引用的文件，覆盖方案的全部文字。每个问题都注明 文件:行:列、规则、标准条款、
    原文和建议的写法。

    退出状态：0 没有问题，1 有问题（或错误），2 用法错误。"""
)
def proof(
    plan: PlanOption = None,
    fmt: Annotated[
        ProofFormat | None,  # type: ignore[valid-type]
        format_option(PROOF_FORMATS),
    ] = None,
    fix: Annotated[
        bool,
        typer.Option(
            "--fix",
            help=both(
                "Write the safe changes into the plan files (a revision of the plan: the data must be"
                " recorded as a draft in revisions.yaml), say each one, then report what is left.",
                "把安全的修改写入计划文件（这是对方案的修订：数据须在 revisions.yaml 中记为草案），逐条说明，"
                "再报告余下的问题。",
            ),
        ),
    ] = False,
    output: OutputOption = None,
) -> None:
    """Proofread the plan as the 文电科 would before it is issued: punctuation (GB/T 15834), numbers
    and time ranges (GB/T 15835), 发文字号 (GB/T 9704), typing slips and cited documents, in every
    text of the plan. Each finding is at file:line:col, with its rule, the clause of the standard,
    the text found and the text suggested.

    Exit status: 0 nothing found, 1 findings (or errors), 2 usage errors.
    """
    from kpsy.api import proof as proofread

    result = proofread(plan, fix=fix)
    for change in result.changes:
        err(
            msg(
                "fixed {file}:{line}:{col} {rule}: 「{found}」 → 「{written}」",
                "已修正 {file}:{line}:{col} {rule}：「{found}」→「{written}」",
                **change.__dict__,
            )
        )
    if fix:
        _fixed_note(result)
    findings = result.proofreading.result()
    emit(PROOF_FORMATS, fmt, findings, output)
    raise typer.Exit(0 if findings.ok() else 1)


def _fixed_note(result: Any) -> None:
    """What --fix did, and what it means for the plan: a draft revision, or a plan that records no
    issued text; either way `validate` compares it with none, and `kpsy diff` shows the changes."""
    if not result.changes:
        err(msg("nothing to fix: no finding has a safe change", "没有可自动修正的问题"))
        return
    if result.revision:
        what = msg(
            "The plan's data is the {r}: `kpsy validate` checks it against no issued text",
            "计划数据是{r}：`kpsy validate` 不将其与印发文本比对",
            r=result.revision,
        )
    else:
        what = msg(
            "The plan records no issued text to check it against",
            "计划没有记录用于比对的印发文本",
        )
    err(
        msg(
            "fixed {n} finding(s) in {m} file(s). {what}; `kpsy diff` shows the changes like any other (kpsy diff HEAD).",
            "已修正 {n} 处，涉及 {m} 个文件。{what}；`kpsy diff` 会像其他修改一样列出这些修正（如 kpsy diff HEAD）。",
            n=len(result.changes),
            m=len(result.written),
            what=what,
        )
    )


@export_app.command("text")
@chinese("由数据重建全文并输出，一段一行，编号按顺序生成。")
def export_text(plan: PlanOption = None, output: OutputOption = None) -> None:
    """Print the whole document from the data, one paragraph per line, with derived numbering."""
    from kpsy.api import open_plan
    from kpsy.outputs.formats import made

    whole = made("text", "text", both("the whole document, one paragraph a line", "全文，一段一行"))
    whole.target(None, output)  # the file's ending is checked before any work
    emit(whole, None, open_plan(plan).text(), output)


@commands.command(rich_help_panel=PANEL)
@chinese(
    """一个计划文件的规范文本，供 git 的 diff.kpsy.textconv 使用：一句一行，`git diff` 和 `git log -p`
    因而能显示改了哪些句子。"""
)
def textconv(
    file: Annotated[
        Path,
        typer.Argument(
            metavar="FILE",
            help=both("A plan file (git passes a temporary copy).", "一个计划文件（git 传入的是临时副本）。"),
        ),
    ],
) -> None:
    """A readable canonical text of one plan file, for git's diff.kpsy.textconv: one sentence a line,
    so that `git diff` and `git log -p` show which sentences changed."""
    from kpsy.plan.textconv import textconv as convert

    to_stdout(convert(file))


@commands.command(rich_help_panel=PANEL)
@chinese("由 kpsy 的模型生成某种计划文件的 JSON Schema（供编辑器和其他工具使用）。")
def schema(
    kind: Annotated[
        str | None,
        typer.Argument(
            metavar="[KIND]",
            help=both(
                "A kind of plan file: document, units, targets, part, chapter, …",
                "计划文件的种类：document、units、targets、part、chapter 等。",
            ),
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", metavar="DIR", help=both("Write every kind's schema to DIR.", "把每种文件的 Schema 写入 DIR。")
        ),
    ] = None,
    check: Annotated[
        bool,
        typer.Option(
            "--check",
            help=both(
                "With --out: exit 1 if the schemas in DIR differ from the models.",
                "与 --out 同用：DIR 中的 Schema 与模型不一致时退出状态为 1。",
            ),
        ),
    ] = False,
) -> None:
    """JSON Schema for a kind of plan file, generated from kpsy's models (for editors and other tools)."""
    from kpsy.errors import UsageError
    from kpsy.plan import schema as schemas
    from kpsy.plan.kinds import KINDS

    if out is not None:
        if check:
            stale = schemas.stale(out)
            for name in stale:
                err(
                    msg(
                        "{path}: out of date; run `kpsy schema --out {out}`",
                        "{path}：已过时；请运行 `kpsy schema --out {out}`",
                        path=out / (name + ".json"),
                        out=out,
                    )
                )
            raise typer.Exit(1 if stale else 0)
        for path in schemas.write_all(out):
            err(msg("wrote {path}", "已写入 {path}", path=path))
        return
    if kind is None or kind not in KINDS:
        raise UsageError(msg("give KIND ({k}) or --out DIR", "请给出 KIND（{k}）或 --out DIR", k=", ".join(KINDS)))
    to_stdout(schemas.schema_text(kind))


@commands.command(rich_help_panel=PANEL)
@chinese("把计划文件整理为规范格式（键的顺序、引号、缩进、不折行；保留注释）。")
def fmt(
    files: Annotated[
        list[Path] | None,
        typer.Argument(metavar="[FILES]...", help=both("Plan files (default: all).", "计划文件（默认：全部）。")),
    ] = None,
    check: Annotated[
        bool,
        typer.Option(
            "--check",
            help=both(
                "Change nothing: print a unified diff and exit 1 if a file is not canonical.",
                "不改动文件：有文件不符合规范格式时输出统一格式的差异，退出状态为 1。",
            ),
        ),
    ] = False,
    plan: PlanOption = None,
) -> None:
    """Format plan files canonically (key order, quoting, indentation, no line folding; comments kept)."""
    from kpsy.outputs.findings import plain_line
    from kpsy.plan.fmt import format_files
    from kpsy.plan.workspace import find_plan

    result = format_files(find_plan(plan), list(files or []), check=check)
    for text in result.diffs:
        to_stdout(text)
    for problem in result.problems:
        err(plain_line(problem))
    if check:
        err(
            msg(
                "would reformat {n} of {m} file(s)",
                "{m} 个文件中有 {n} 个需要重新格式化",
                n=len(result.changed),
                m=result.checked,
            )
        )
    else:
        err(
            msg(
                "reformatted {n} of {m} file(s)",
                "{m} 个文件中重新格式化了 {n} 个",
                n=len(result.changed),
                m=result.checked,
            )
        )
    raise typer.Exit(1 if result.problems or (check and result.changed) else 0)

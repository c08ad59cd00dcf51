"""The `kpsy` command line: parse options, call one core function, pick a reporter, set the exit code."""

from __future__ import annotations

import functools
import os
import sys
from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from kpsy import __version__
from kpsy.errors import KpsyError, PlanInvalidError

app = typer.Typer(
    name="kpsy",
    help="The 雁峰区全民科学素质行动规划纲要实施方案 (2021-2025) as data: validate, query, render, diff.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
export_app = typer.Typer(help="Export the plan in other forms.", no_args_is_help=True)
app.add_typer(export_app, name="export")

PlanOption = Annotated[
    Path | None,
    typer.Option(
        "--plan",
        metavar="DIR",
        help="The plan folder. Default: $KPSY_PLAN, else plan/ found walking up from the current folder.",
        show_default=False,
    ),
]
OutputOption = Annotated[
    Path | None,
    typer.Option("--output", "-o", metavar="FILE", help="Write to FILE (atomically) instead of standard output."),
]

F = TypeVar("F", bound=Callable[..., Any])


class ValidateFormat(str, Enum):
    auto = "auto"
    text = "text"
    plain = "plain"
    json = "json"
    github = "github"


def _err(message: str) -> None:
    typer.echo(message, err=True)


def handle_errors(func: F) -> F:
    """Turn every error that stops a command into one message and its exit code."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except PlanInvalidError as exc:
            from kpsy.errors import CheckResult
            from kpsy.report import report_plain

            report_plain(CheckResult(Path("."), exc.problems), sys.stderr, "")
            _err(f"Error: {exc.message}")
            raise typer.Exit(exc.exit_code) from None
        except KpsyError as exc:
            _err(f"Error: {exc.message}")
            raise typer.Exit(exc.exit_code) from None
        except (typer.Exit, typer.Abort, KeyboardInterrupt):
            raise
        except Exception as exc:  # a bug: say so plainly; KPSY_DEBUG=1 shows the traceback
            if os.environ.get("KPSY_DEBUG"):
                raise
            _err(f"Error: internal error ({type(exc).__name__}: {exc}); please report it (KPSY_DEBUG=1 shows details)")
            raise typer.Exit(1) from None

    return wrapper  # type: ignore[return-value]


def _version(value: bool) -> None:
    if value:
        typer.echo(f"kpsy {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version and exit.")
    ] = False,
) -> None:
    """kpsy keeps the 雁峰区 science-literacy plan as data in git and answers questions about it."""


def _emit(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
        return
    from kpsy.report import write_atomic

    write_atomic(output, text)
    _err(f"wrote {output}")


@app.command()
@handle_errors
def validate(
    plan: PlanOption = None,
    strict: Annotated[bool, typer.Option("--strict", help="Fail on warnings too.")] = False,
    fmt: Annotated[
        ValidateFormat,
        typer.Option("--format", "-f", help="auto: github under GitHub Actions, text on a terminal, plain otherwise."),
    ] = ValidateFormat.auto,
) -> None:
    """Check the plan: file encoding, YAML, schema, references, coverage and fidelity to the original.

    Exit status: 0 clean, 1 errors (or warnings with --strict), 2 usage errors.
    """
    from kpsy.report import REPORTERS, choose_format
    from kpsy.workspace import display_path, find_plan
    from kpsy.workspace import validate as run_validate

    chosen = choose_format(fmt.value, sys.stdout.isatty())
    root = find_plan(plan)
    result = run_validate(root)
    REPORTERS[chosen](result, sys.stdout, display_path(root))
    raise typer.Exit(0 if result.ok(strict) else 1)


@export_app.command("text")
@handle_errors
def export_text(plan: PlanOption = None, output: OutputOption = None) -> None:
    """Print the whole document from the data, one paragraph per line, with derived numbering."""
    from kpsy.text import paragraphs
    from kpsy.workspace import find_plan, open_plan

    loaded = open_plan(find_plan(plan))
    _emit("".join(p.text + "\n" for p in paragraphs(loaded)), output)


def main() -> None:
    app()


# --- listings --------------------------------------------------------------------------------


class ListingFormat(str, Enum):
    table = "table"
    json = "json"
    csv = "csv"
    md = "md"
    xlsx = "xlsx"


class RoleChoice(str, Enum):
    lead = "lead"
    participant = "participant"
    mentioned = "mentioned"


class ShowFormat(str, Enum):
    text = "text"
    json = "json"
    md = "md"


ListingFormatOption = Annotated[
    ListingFormat,
    typer.Option(
        "--format", "-f", help="table (rich on a terminal, aligned text when piped), json, csv, md, or xlsx (needs -o)."
    ),
]


def _emit_listing(listing: Any, fmt: ListingFormat, output: Path | None) -> None:
    import shutil

    from kpsy.errors import UsageError
    from kpsy.report import render_listing, render_rich, write_atomic

    if fmt is ListingFormat.xlsx and output is None:
        raise UsageError("--format xlsx writes a workbook: give -o FILE")
    tty = output is None and sys.stdout.isatty()
    width = shutil.get_terminal_size((120, 24)).columns
    rendered = render_listing(listing, fmt.value, tty=tty, width=width)
    if rendered is None:
        render_rich(listing, sys.stdout)
    elif output is not None:
        write_atomic(output, rendered)
        _err(f"wrote {output}")
    else:
        sys.stdout.write(rendered if isinstance(rendered, str) else rendered.decode())


def _open(plan: Path | None) -> Any:
    from kpsy.workspace import find_plan, open_plan

    return open_plan(find_plan(plan))


@app.command()
@handle_errors
def tasks(
    unit: Annotated[
        str | None,
        typer.Option("--unit", "-u", help="A unit by short name, full name, alias or id (区教育局, 教育局)."),
    ] = None,
    role: Annotated[
        list[RoleChoice] | None,
        typer.Option("--role", "-r", help="Only tasks where the unit has this role (repeatable)."),
    ] = None,
    part: Annotated[str | None, typer.Option("--part", help="Only this part: id, number (二) or title.")] = None,
    action: Annotated[
        str | None, typer.Option("--action", help="Only this action: id, number (二（一）) or title.")
    ] = None,
    fmt: ListingFormatOption = ListingFormat.table,
    output: OutputOption = None,
    plan: PlanOption = None,
) -> None:
    """What a unit must do: its tasks by action in document order, with its role (lead, participant,
    mentioned), co-leads and participants. Without --unit: every task with its units."""
    from kpsy import query
    from kpsy.errors import UsageError
    from kpsy.listings import tasks_listing

    if role and unit is None:
        raise UsageError("--role needs --unit")
    loaded = _open(plan)
    chosen = query.resolve_unit(loaded, unit) if unit is not None else None
    rows = query.tasks(loaded, chosen, [r.value for r in role or []], part, action)
    _emit_listing(tasks_listing(rows, chosen, summary=not (role or part or action)), fmt, output)


@app.command()
@handle_errors
def units(fmt: ListingFormatOption = ListingFormat.table, output: OutputOption = None, plan: PlanOption = None) -> None:
    """The unit registry in protocol order, with each unit's actions and tasks as lead, participant and mentioned."""
    from kpsy import query
    from kpsy.listings import units_listing

    _emit_listing(units_listing(query.units(_open(plan))), fmt, output)


@app.command()
@handle_errors
def coverage(
    fmt: ListingFormatOption = ListingFormat.table, output: OutputOption = None, plan: PlanOption = None
) -> None:
    """The responsibility matrix (units × actions: 牵 / 参 / 提及) and what is missing: actions without a
    lead, units never assigned, units the text names but the responsibility line omits, parts without
    any responsibility line."""
    from kpsy import query
    from kpsy.listings import coverage_listing

    _emit_listing(coverage_listing(query.coverage(_open(plan))), fmt, output)


@app.command()
@handle_errors
def targets(
    fmt: ListingFormatOption = ListingFormat.table, output: OutputOption = None, plan: PlanOption = None
) -> None:
    """The numeric targets, each with where the text states it."""
    from kpsy import query
    from kpsy.listings import targets_listing

    _emit_listing(targets_listing(query.targets(_open(plan))), fmt, output)


@app.command()
@handle_errors
def schedule(
    fmt: ListingFormatOption = ListingFormat.table, output: OutputOption = None, plan: PlanOption = None
) -> None:
    """The schedule (进度安排): milestones with their periods, each with where the text states it."""
    from kpsy import query
    from kpsy.listings import schedule_listing

    _emit_listing(schedule_listing(query.schedule(_open(plan))), fmt, output)


@app.command()
@handle_errors
def show(
    ident: Annotated[str, typer.Argument(metavar="ID", help="The id of a part, action or task (youth-talent).")],
    fmt: Annotated[ShowFormat, typer.Option("--format", "-f", help="text, json or md.")] = ShowFormat.text,
    output: OutputOption = None,
    plan: PlanOption = None,
) -> None:
    """One part, action or task in full: its text, its responsibility, and the targets and milestones
    that point to it."""
    import json

    from kpsy import query
    from kpsy.listings import shown_text

    item = query.show(_open(plan), ident)
    if fmt is ShowFormat.json:
        text = json.dumps(item.as_dict(), ensure_ascii=False, indent=2) + "\n"
    else:
        text = shown_text(item, md=fmt is ShowFormat.md)
    _emit(text, output)


# --- documents -------------------------------------------------------------------------------


class DocFormat(str, Enum):
    md = "md"
    docx = "docx"


class LetterFormat(str, Enum):
    md = "md"
    docx = "docx"
    both = "both"


TemplatesOption = Annotated[
    Path | None,
    typer.Option("--templates", metavar="DIR", help="Templates (and reference.docx) here override the built-in ones."),
]
SenderOption = Annotated[str | None, typer.Option("--sender", help="Who sends letters (default: plan/settings.yaml).")]
DateOption = Annotated[
    str | None, typer.Option("--date", metavar="YYYY-MM-DD", help="The letter's date (default: settings, else today).")
]


def _date(value: str | None) -> Any:
    import datetime as dt

    from kpsy.errors import UsageError

    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"--date {value}: not a date in the form YYYY-MM-DD") from None


@app.command()
@handle_errors
def render(
    name: Annotated[str, typer.Argument(metavar="NAME", help="document, summary, table or letter.")],
    unit: Annotated[str | None, typer.Option("--unit", "-u", help="The unit a letter is for.")] = None,
    fmt: Annotated[DocFormat, typer.Option("--format", "-f", help="md or docx (docx needs -o).")] = DocFormat.md,
    output: OutputOption = None,
    templates: TemplatesOption = None,
    sender: SenderOption = None,
    date: DateOption = None,
    plan: PlanOption = None,
) -> None:
    """Render a document from a template: the whole plan (document), a summary for leaders (summary),
    the 重点任务分工表 (table), or one unit's task letter (letter --unit U)."""
    from kpsy import query, render
    from kpsy.errors import UsageError
    from kpsy.report import write_atomic

    if name not in render.PLAN_TEMPLATES:
        raise UsageError(f"no template '{name}'; choose {', '.join(render.PLAN_TEMPLATES)}")
    if (name == "letter") != (unit is not None):
        raise UsageError("--unit goes with the letter template, and the letter template needs --unit")
    if fmt is DocFormat.docx and output is None:
        raise UsageError("--format docx writes a file: give -o FILE")
    loaded = _open(plan)
    chosen = query.resolve_unit(loaded, unit) if unit else None
    markdown = render.render_markdown(name, render.context(loaded, chosen, sender=sender, date=_date(date)), templates)
    if fmt is DocFormat.md:
        _emit(markdown, output)
        return
    assert output is not None
    data = render.to_docx([markdown], landscape=name in render.LANDSCAPE, override=templates)[0]
    write_atomic(output, data)
    _err(f"wrote {output}")


@app.command()
@handle_errors
def letters(
    out: Annotated[Path, typer.Option("--out", metavar="DIR", help="Folder to write the letters to (created).")],
    unit: Annotated[
        list[str] | None, typer.Option("--unit", "-u", help="Only these units (repeatable). Default: every unit.")
    ] = None,
    fmt: Annotated[LetterFormat, typer.Option("--format", "-f", help="md, docx or both.")] = LetterFormat.docx,
    templates: TemplatesOption = None,
    sender: SenderOption = None,
    date: DateOption = None,
    plan: PlanOption = None,
) -> None:
    """Write a task letter (交办函) for every unit that has tasks: one file per unit, named by its id and
    short name. Units without tasks are skipped and listed."""
    from kpsy import letters as make

    loaded = _open(plan)
    progress = _progress if sys.stderr.isatty() else None
    result = make.write_letters(
        loaded,
        out,
        units=unit or [],
        formats=make.FORMATS[fmt.value],
        templates=templates,
        sender=sender,
        date=_date(date),
        progress=progress,
    )
    if result.skipped:
        _err(f"skipped {len(result.skipped)} unit(s) with no letter to send: {'、'.join(result.skipped)}")
    _err(f"wrote {len(result.written)} file(s) for {result.units} unit(s) to {out}")


def _progress(done: int, total: int, label: str) -> None:
    width = 30
    filled = width * done // max(total, 1)
    sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} {label[:20]:20s}")
    if done == total:
        sys.stderr.write("\n")
    sys.stderr.flush()


# --- revisions -------------------------------------------------------------------------------


class DiffFormat(str, Enum):
    text = "text"
    md = "md"
    json = "json"
    table = "table"
    docx = "docx"


@app.command()
@handle_errors
def diff(
    old: Annotated[str | None, typer.Argument(metavar="OLD", help="A git revision (HEAD~1, a tag, a commit).")] = None,
    new: Annotated[
        str | None, typer.Argument(metavar="[NEW]", help="A git revision; default: the working tree.")
    ] = None,
    old_plan: Annotated[
        Path | None, typer.Option("--old-plan", metavar="DIR", help="Compare this plan folder…")
    ] = None,
    new_plan: Annotated[Path | None, typer.Option("--new-plan", metavar="DIR", help="…with this one.")] = None,
    unit: Annotated[str | None, typer.Option("--unit", "-u", help="Only what changed for this unit.")] = None,
    fmt: Annotated[
        DiffFormat,
        typer.Option(
            "--format",
            "-f",
            help="text, md (修订说明), json, table (修改对照表, Markdown) or docx (修改对照表, needs -o).",
        ),
    ] = DiffFormat.text,
    output: OutputOption = None,
    exit_code: Annotated[
        bool, typer.Option("--exit-code", help="Exit 1 when there are changes, 0 when there are none.")
    ] = False,
    templates: TemplatesOption = None,
    plan: PlanOption = None,
) -> None:
    """What changed in meaning between two revisions of the plan: items added, removed, renumbered;
    text; responsibility; the unit registry; targets and milestones. Errors exit 2."""
    import json

    from kpsy import diffreport
    from kpsy.diff import diff_folders, diff_revisions
    from kpsy.errors import UsageError
    from kpsy.report import write_atomic

    try:
        if (old_plan is None) != (new_plan is None):
            raise UsageError("--old-plan and --new-plan go together")
        if old_plan is not None and new_plan is not None:
            if old is not None:
                raise UsageError("give git revisions or --old-plan/--new-plan, not both")
            result = diff_folders(old_plan, new_plan, unit)
        else:
            if old is None:
                raise UsageError("give OLD (a git revision), or --old-plan DIR --new-plan DIR")
            from kpsy.workspace import find_plan

            result = diff_revisions(find_plan(plan), old, new, unit)
        if fmt is DiffFormat.docx and output is None:
            raise UsageError("--format docx writes a file: give -o FILE")
        if fmt is DiffFormat.text:
            if output is None and sys.stdout.isatty():
                diffreport.render_rich(result, sys.stdout)
            else:
                _emit(diffreport.render_plain(result), output)
        elif fmt is DiffFormat.md:
            _emit(diffreport.render_md(result), output)
        elif fmt is DiffFormat.json:
            _emit(json.dumps(result.as_dict(), ensure_ascii=False, indent=2) + "\n", output)
        else:
            from kpsy import render

            ctx = {
                "title": result.title,
                "old": result.old,
                "new": result.new,
                "rows": diffreport.comparison_rows(result),
            }
            markdown = render.render_markdown("comparison", ctx, templates)
            if fmt is DiffFormat.table:
                _emit(markdown, output)
            else:
                assert output is not None
                write_atomic(output, render.to_docx([markdown], landscape=True, override=templates)[0])
                _err(f"wrote {output}")
    except KpsyError as exc:
        exc.exit_code = 2  # kpsy diff: 0 and 1 say whether there are changes, 2 that something failed
        raise
    if exit_code and result.changes:
        raise typer.Exit(1)


@app.command()
@handle_errors
def textconv(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="A plan file (git passes a temporary copy).")],
) -> None:
    """A readable canonical text of one plan file, for git's diff.kpsy.textconv: one sentence a line,
    so that `git diff` and `git log -p` show which sentences changed."""
    from kpsy.textconv import textconv as convert

    sys.stdout.write(convert(file))


# --- editor and CI support ---------------------------------------------------------------------


@app.command()
@handle_errors
def schema(
    kind: Annotated[
        str | None,
        typer.Argument(metavar="[KIND]", help="document, units, targets, schedule, settings, part or chapter."),
    ] = None,
    out: Annotated[Path | None, typer.Option("--out", metavar="DIR", help="Write every kind's schema to DIR.")] = None,
    check: Annotated[
        bool, typer.Option("--check", help="With --out: exit 1 if the schemas in DIR differ from the models.")
    ] = False,
) -> None:
    """JSON Schema for a kind of plan file, generated from kpsy's models (for editors and other tools)."""
    from kpsy import schema as schemas
    from kpsy.errors import UsageError

    if out is not None:
        if check:
            stale = schemas.stale(out)
            for name in stale:
                _err(f"{out / (name + '.json')}: out of date; run `kpsy schema --out {out}`")
            raise typer.Exit(1 if stale else 0)
        for path in schemas.write_all(out):
            _err(f"wrote {path}")
        return
    if kind is None or kind not in schemas.KINDS:
        raise UsageError(f"give KIND ({', '.join(schemas.KINDS)}) or --out DIR")
    sys.stdout.write(schemas.schema_text(kind))


@app.command()
@handle_errors
def fmt(
    files: Annotated[list[Path] | None, typer.Argument(metavar="[FILES]...", help="Plan files (default: all).")] = None,
    check: Annotated[
        bool,
        typer.Option("--check", help="Change nothing: print a unified diff and exit 1 if a file is not canonical."),
    ] = False,
    plan: PlanOption = None,
) -> None:
    """Format plan files canonically (key order, quoting, indentation, no line folding; comments kept)."""
    from kpsy.errors import CheckResult
    from kpsy.fmt import format_files
    from kpsy.report import report_plain
    from kpsy.workspace import find_plan

    result = format_files(find_plan(plan), list(files or []), check=check)
    for text in result.diffs:
        sys.stdout.write(text)
    if result.problems:
        report_plain(CheckResult(Path("."), result.problems), sys.stderr, "")
    verb = "would reformat" if check else "reformatted"
    _err(f"{verb} {len(result.changed)} of {result.checked} file(s)")
    raise typer.Exit(1 if result.problems or (check and result.changed) else 0)

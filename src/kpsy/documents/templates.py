"""Jinja2 templates that render Markdown documents.

The environment is sandboxed (a template from a pull request cannot run code), undefined names are
errors, and every value a template prints is Markdown-escaped unless a filter marked it safe: plan
text such as `*`, `|`, `<` or a leading `1. ` comes out literally.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from kpsy.errors import KpsyError
from kpsy.i18n import msg
from kpsy.plan.numbering import chinese_date, chinese_number
from kpsy.util import md_escape

TEMPLATES: dict[str, str] = {
    "document": "document.md.j2",
    "summary": "summary.md.j2",
    "table": "table.md.j2",
    "letter": "letter.md.j2",
    "comparison": "comparison.md.j2",
    "bulletin": "bulletin.md.j2",
    "review": "review.md.j2",
}
REFERENCE = "reference.docx"


class TemplateError(KpsyError):
    """A template could not be loaded or rendered."""


@functools.cache  # where kpsy is installed does not change while it runs
def builtin_templates() -> Path:
    """The templates shipped with kpsy: inside the installed package, or the repository's templates/."""
    here = Path(__file__).resolve().parent.parent
    for candidate in (here / "templates", here.parents[1] / "templates"):
        if (candidate / TEMPLATES["letter"]).is_file():
            return candidate
    raise TemplateError(f"kpsy's templates are missing (looked in {here / 'templates'})")


def template_dirs(override: Path | None) -> list[Path]:
    """Where templates are looked for: `override` (--templates) first, then kpsy's own."""
    if override is not None and not override.is_dir():
        raise TemplateError(msg("--templates {d}: no such folder", "--templates {d}：没有这个文件夹", d=override))
    return [*([override] if override else []), builtin_templates()]


def language_dirs(dirs: list[Path]) -> list[Path]:
    """Where a document's template is looked for in the language of the moment: under --lang en,
    each folder's en/ (the English fixed words) before the folder itself."""
    from kpsy.i18n import language

    if language() == "zh":
        return dirs
    return [d for folder in dirs for d in (folder / language(), folder)]


MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def _date_or_fill(shown: Callable[[dt.date], str]) -> Callable[[dt.date | None], str]:
    """A date filter that prints a document without a date (no --date: never the machine's clock)
    as a place to fill in, highlighted in the .docx."""
    from kpsy.documents.head import fill

    def filtered(day: dt.date | None) -> str:
        return shown(day) if day is not None else fill(msg("date", "日期"))

    return filtered


def english_date(day: dt.date) -> str:
    """2023-04-06 -> 6 April 2023."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def reference_docx(override: Path | None = None) -> Path:
    """The reference .docx that gives pandoc's output its layout."""
    for folder in template_dirs(override):
        if (folder / REFERENCE).is_file():
            return folder / REFERENCE
    raise TemplateError(f"no {REFERENCE} in {', '.join(map(str, template_dirs(override)))}")


def _finalize(value: Any) -> Any:
    from markupsafe import Markup

    if isinstance(value, Markup):
        return str(value)
    if isinstance(value, str):  # text a person wrote keeps its line breaks: hard breaks in pandoc's Markdown
        return re.sub(r"\n+", "\\\\\n", md_escape(value)) if "\n" in value else md_escape(value)
    return value


MAX_OUTPUT = 50_000_000  # characters one operation of a template may make (a document is far smaller)


def _sandbox() -> type:
    from jinja2.sandbox import SandboxedEnvironment

    class LimitedSandbox(SandboxedEnvironment):
        """Jinja's sandbox, which already refuses code and ranges over 100,000 items, also refusing
        to make text or lists too large for any document ('x' * 10**9)."""

        intercepted_binops = frozenset(["*", "**", "+"])

        def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
            if operator == "**" and isinstance(right, int) and isinstance(left, int) and right > 64:
                raise OverflowError(f"{left} ** {right} is too large for a template")
            if operator == "*":
                for items, times in ((left, right), (right, left)):
                    if (
                        isinstance(items, str | list | tuple)
                        and isinstance(times, int)
                        and len(items) * times > MAX_OUTPUT
                    ):
                        raise OverflowError(
                            f"a template asked for {len(items) * times:,} items; the limit is {MAX_OUTPUT:,}"
                        )
            result = super().call_binop(context, operator, left, right)
            if isinstance(result, str | list | tuple) and len(result) > MAX_OUTPUT:
                raise OverflowError(f"a template made something of {len(result):,} items; the limit is {MAX_OUTPUT:,}")
            return result

    return LimitedSandbox


def environment(override: Path | None = None) -> Any:
    """The sandboxed environment the templates render in, one for each templates folder and
    language: it keeps each template compiled (compiling the letter takes longer than rendering it
    26 times)."""
    from kpsy.i18n import language

    return _environment(override, language())


@functools.lru_cache(maxsize=8)
def _environment(override: Path | None, lang: str) -> Any:
    from jinja2 import ChoiceLoader, FileSystemLoader, StrictUndefined
    from markupsafe import Markup

    env = _sandbox()(
        loader=ChoiceLoader([FileSystemLoader(str(d)) for d in language_dirs(template_dirs(override))]),
        bytecode_cache=_compiled_templates(),
        undefined=StrictUndefined,
        finalize=_finalize,
        autoescape=False,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["md"] = lambda s: Markup(md_escape(str(s)))
    env.filters["raw"] = Markup
    env.filters["cell"] = lambda s: Markup(md_escape(" ".join(str(s).split("\n"))))
    env.filters["cndate"] = _date_or_fill(chinese_date)
    env.filters["cn"] = chinese_number
    env.filters["units"] = lambda names: msg(", ", "、").join(names)
    env.filters["endate"] = _date_or_fill(english_date)
    env.globals["t"] = msg  # a fixed word in the language of the moment: t("English", "中文", **values)
    return env


def _compiled_templates() -> Any:
    """Templates compiled before, kept in kpsy's cache folder (compiling the letter's templates
    takes longer than rendering it for 26 units): each entry carries this user's keyed digest
    (see kpsy.private), so that only what kpsy itself compiled is ever loaded; None when the cache is
    off. Jinja checks that a template's source is the one compiled."""
    from jinja2 import BytecodeCache

    from kpsy import private

    folder = private.cache_dir()
    secret = private._secret() if folder is not None else None
    if folder is None or secret is None:
        return None
    place, key = folder / "templates", secret

    class Signed(BytecodeCache):
        def load_bytecode(self, bucket: Any) -> None:
            body = private.read_signed(place / f"{bucket.key}.jinja", key)
            if body is not None:
                bucket.bytecode_from_string(body)

        def dump_bytecode(self, bucket: Any) -> None:
            private.write_signed(place / f"{bucket.key}.jinja", key, bucket.bytecode_to_string())

    return Signed()


def _template_location(exc: BaseException, dirs: list[Path]) -> str:
    """file:line of the innermost template frame of a rendering error."""
    roots = [str(d.resolve()) for d in dirs]
    where = ""
    tb = exc.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if any(filename.startswith(r) for r in roots) or filename.endswith(".j2"):
            where = f"{filename}:{tb.tb_lineno}"
        tb = tb.tb_next
    return where


_BLANK_LINES = re.compile(r"\n(?:[ \t]*\n){2,}")


def render_markdown(name: str, context: dict[str, Any], override: Path | None = None) -> str:
    """Render template `name` (document, summary, table, letter, comparison, bulletin, review) to Markdown."""
    from jinja2 import TemplateError as JinjaError
    from jinja2 import TemplateNotFound, TemplateSyntaxError

    if name not in TEMPLATES:
        raise TemplateError(
            msg("no template '{name}'; choose {c}", "没有模板“{name}”；可选 {c}", name=name, c=", ".join(TEMPLATES))
        )
    dirs = template_dirs(override)
    env = environment(override)
    try:
        template = env.get_template(TEMPLATES[name])
        text = str(template.render(**context))
    except TemplateSyntaxError as exc:
        raise TemplateError(
            msg(
                "{file}:{line}: template syntax error: {m}",
                "{file}:{line}：模板语法错误：{m}",
                file=exc.filename or exc.name,
                line=exc.lineno,
                m=exc.message,
            )
        ) from None
    except TemplateNotFound as exc:
        raise TemplateError(
            msg(
                "template {name} not found in {dirs}",
                "在 {dirs} 中找不到模板 {name}",
                name=exc.name,
                dirs=", ".join(map(str, dirs)),
            )
        ) from None
    except UnicodeDecodeError:
        found = next((d / TEMPLATES[name] for d in dirs if (d / TEMPLATES[name]).is_file()), TEMPLATES[name])
        raise TemplateError(
            msg(
                "{path}: the template is not UTF-8; save it as UTF-8",
                "{path}：模板不是 UTF-8 编码，请另存为 UTF-8",
                path=found,
            )
        ) from None
    except (JinjaError, OverflowError, MemoryError, RecursionError, ZeroDivisionError, TypeError, ValueError) as exc:
        where = _template_location(exc, dirs) or TEMPLATES[name]
        raise TemplateError(f"{where}: {type(exc).__name__}: {exc}") from None
    text = _BLANK_LINES.sub("\n\n", text)  # a section a template left out leaves no gap
    if len(text) > MAX_OUTPUT:
        raise TemplateError(
            msg(
                "{name}: the template made {size:,} characters; the limit is {limit:,}",
                "{name}：模板生成了 {size:,} 个字符，超过上限 {limit:,}",
                name=TEMPLATES[name],
                size=len(text),
                limit=MAX_OUTPUT,
            )
        )
    return text

"""HTML pages from Jinja templates: sandboxed, undefined names are errors, and every value is
HTML-escaped (autoescape), so nothing from the plan or a report becomes markup or script.

Pages are self-contained: pictures are data URIs, styles are inline, and the page's Content
Security Policy forbids loading anything else, so it opens the same with or without a network.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kpsy.errors import KpsyError
from kpsy.i18n import msg


def template_folder(name: str) -> Path:
    """The built-in templates folder holding `name`: inside the installed package, or the repository's."""
    here = Path(__file__).resolve().parent.parent
    for candidate in (here / "templates", here.parents[1] / "templates"):
        if (candidate / name).is_file():
            return candidate
    raise KpsyError(msg("kpsy's template {name} is missing", "缺少 kpsy 的模板 {name}", name=name))


def render_html(name: str, context: dict[str, Any]) -> str:
    """Render the built-in HTML template `name`."""
    from jinja2 import FileSystemLoader, StrictUndefined
    from jinja2.sandbox import SandboxedEnvironment

    env = SandboxedEnvironment(
        loader=FileSystemLoader(str(template_folder(name))),
        undefined=StrictUndefined,
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    from kpsy.i18n import language

    env.globals["t"] = msg  # a fixed word in the language of the moment: t("English", "中文", **values)
    env.globals["lang"] = language()
    env.filters["pct"] = lambda value: f"{value:.1f}%"
    env.filters["num"] = lambda value: (
        "" if value is None else (f"{value:g}" if isinstance(value, float) else str(value))
    )
    return str(env.get_template(name).render(**context))

"""Loading a plan folder: every file read, validated against its record class, and assembled.

Which files there are, what they hold and what lists them comes from the registry of kinds
(`kpsy.plan.kinds`); one file is read by `kpsy.plan.reader`. Every problem is collected, and the
plan is assembled only when its shape is sound.
"""

from __future__ import annotations

import dataclasses
import functools
import os
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, TypeVar

from kpsy.findings import Level, Problem, declare
from kpsy.plan import model
from kpsy.plan.kinds import KINDS, Kind, key_of, kind_of
from kpsy.plan.model import DocPath
from kpsy.plan.outline import PlanData, Source
from kpsy.plan.reader import FILE, YamlFile, parse, read_text
from kpsy.util import display_path, suggest

T = TypeVar("T")

SCHEMA = declare(
    "schema",
    Level.ERROR,
    "Each file has the shape of its kind (the models): no unknown fields, no missing ones, the right types,"
    " well-formed ids and dates.",
    "schema",
)
LISTING = declare(
    "listing", Level.ERROR, "Every listed part and chapter has a file, and every such file is listed.", "structure"
)
FILE_NAME = declare(
    "file-name",
    Level.ERROR,
    "A file named after an id holds that id: a part's or chapter's id, a progress report's unit.",
    "structure",
)
UNKNOWN_FILE = declare(
    "unknown-file",
    Level.WARNING,
    "A YAML file in the plan folder is of a kind kpsy knows (it is ignored otherwise).",
    "structure",
)
YAML_SUFFIXES = (".yaml", ".yml")


# --- data to models --------------------------------------------------------------------------

_EXPECTED = {
    "string_type": "text",
    "int_type": "a whole number",
    "float_type": "a number",
    "bool_type": "true or false",
    "list_type": "a list",
    "dict_type": "a mapping (key: value lines)",
    "model_type": "a mapping (key: value lines)",
    "model_attributes_type": "a mapping (key: value lines)",
    "dataclass_type": "a mapping (key: value lines)",
    "dataclass_args_type": "a mapping (key: value lines)",
    "date_type": "a date (YYYY-MM-DD)",
}


def _describe(value: Any) -> str:
    if value is None:
        return "nothing (an empty value)"
    if isinstance(value, bool):
        return f"a boolean ({str(value).lower()})"
    if isinstance(value, int | float):
        return f"a number ({value})"
    if isinstance(value, str):
        return f"text ('{value[:40]}')"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


@functools.cache
def _field_names() -> list[str]:
    """Every field name of every plan record, for "did you mean" on an unknown field."""
    names: set[str] = set()
    for cls in vars(model).values():
        if dataclasses.is_dataclass(cls) and hasattr(cls, "__pydantic_config__"):
            names |= {f.name for f in dataclasses.fields(cls)}
    return sorted(names)


@functools.cache
def adapter(cls: type) -> Any:
    """pydantic's validator for a plan record class (built once, on first use)."""
    from pydantic import TypeAdapter

    return TypeAdapter(cls)


def validation_problems(exc: Any, doc: YamlFile) -> list[Problem]:
    """pydantic's errors as plain-language problems at the right line and column."""
    problems: list[Problem] = []
    seen: set[tuple[DocPath, str]] = set()
    for err in exc.errors(include_url=False):
        loc = tuple(p for p in err["loc"] if p in ("",) or not _is_branch_tag(p))
        kind = err["type"]
        where = ".".join(str(p) for p in loc) or "(top level)"
        if kind in ("missing", "missing_argument", "missing_keyword_only_argument"):
            message = f"missing required field '{loc[-1]}'"
            path = loc[:-1]
        elif kind in ("extra_forbidden", "unexpected_keyword_argument"):
            name = str(loc[-1])
            close = suggest(name, _field_names(), n=1)
            hint = f"; did you mean '{close[0]}'?" if close else ""
            message = f"unknown field '{name}'{hint}"
            path = loc
        elif kind in _EXPECTED:
            if not loc:
                message = f"expected {_EXPECTED[kind]} at the top of the file, found {_describe(err['input'])}"
            else:
                message = f"{where}: expected {_EXPECTED[kind]}, found {_describe(err['input'])}"
            path = loc
        elif kind in ("too_short",) and isinstance(err.get("input"), list):
            message = f"{where}: must list at least {err['ctx']['min_length']} item(s)"
            path = loc
        elif kind == "string_too_short":
            message = f"{where}: must not be empty"
            path = loc
        else:
            message = f"{where}: {err['msg']}"
            path = loc
        if (path, message) in seen:
            continue
        seen.add((path, message))
        problems.append(doc.problem(path, SCHEMA, message, key=message.startswith("unknown field")))
    return problems


def _is_branch_tag(part: Any) -> bool:
    # pydantic adds the name of a union branch to `loc` (e.g. 'str', 'function-after[...]')
    # (a field may be called like a branch: `date`)
    return isinstance(part, str) and (
        (part in ("str", "int", "float", "bool", "date", "none", "list", "dict") and part not in _field_names())
        or part.startswith(("function-", "constrained-", "lax-", "strict-"))
    )


def to_model(doc: YamlFile, cls: type[T]) -> tuple[T | None, list[Problem]]:
    if doc.data is None:
        fields = ", ".join(f.name for f in dataclasses.fields(cls))  # type: ignore[arg-type]
        msg = f"file is empty; expected a mapping with {fields}"
        return None, [SCHEMA.problem(doc.file, 1, 1, msg)]
    from pydantic import ValidationError

    try:
        return adapter(cls).validate_python(doc.data), []  # type: ignore[arg-type]
    except ValidationError as exc:
        return None, validation_problems(exc, doc)


def load_file(path: Path, cls: type[T], file: str | None = None) -> tuple[YamlFile, T | None, list[Problem]]:
    """Read, parse and validate one plan file as a `cls` record; every problem found."""
    file = file or display_path(path)
    text, problems = read_text(path, file)
    if text is None:
        return YamlFile(file), None, problems
    doc, problems = parse(text, file)
    if problems:
        return doc, None, problems
    obj, problems = to_model(doc, cls)
    return doc, obj, problems


# --- the plan folder -------------------------------------------------------------------------


@dataclass
class LoadResult:
    plan: PlanData | None
    problems: list[Problem]
    files: dict[str, YamlFile]  # by the name problems show


@dataclass
class _Loaded:
    key: str
    kind: Kind
    path: Path
    doc: YamlFile
    record: Any


def plan_files(root: Path) -> list[PurePosixPath]:
    """Every YAML file in the plan folder and its subfolders, as paths relative to it, sorted."""
    found: list[PurePosixPath] = []
    for folder, dirs, names in os.walk(root):
        here = PurePosixPath(Path(folder).relative_to(root).as_posix())
        # a folder named like a plan file is reported as a file that cannot be read, not entered
        odd = [d for d in dirs if d.endswith(YAML_SUFFIXES)]
        dirs[:] = sorted(d for d in dirs if d not in odd)
        found += [here / n for n in sorted([*names, *odd]) if n.endswith(YAML_SUFFIXES)]
    return [PurePosixPath(str(p).removeprefix("./")) for p in found]


def load_plan(root: Path, label: str | None = None) -> LoadResult:
    """Read every file of the plan folder, collecting all problems; assemble the plan if its shape allows.

    Files are named relative to the current folder, or as `label` + their path inside the plan
    (a git revision's plan: "HEAD~1:plan/").
    """

    def show(relative: PurePosixPath | str) -> str:
        return display_path(root / relative) if label is None else f"{label}{relative}"

    problems: list[Problem] = []
    present: dict[str, list[PurePosixPath]] = {name: [] for name in KINDS}
    for relative in plan_files(root):
        kind = kind_of(relative)
        if kind is None:
            problems.append(UNKNOWN_FILE.problem(show(relative), 0, 0, "not a plan file kpsy knows; it is ignored"))
        else:
            present[kind.name].append(relative)

    loaded: dict[str, list[_Loaded]] = {}

    def read(kind: Kind, relative: PurePosixPath) -> _Loaded:
        doc, record, found = load_file(root / relative, kind.model, show(relative))
        problems.extend(found)
        item = _Loaded(key_of(relative), kind, root / relative, doc, record)
        if record is not None and kind.id_key is not None:
            ident = getattr(record, kind.id_key)
            if ident != relative.stem:
                msg = f"{kind.id_key} '{ident}' does not match the file name {relative.name}"
                problems.append(doc.problem((kind.id_key,), FILE_NAME, msg))
        return item

    for kind in _in_listing_order():
        files = present[kind.name]
        if kind.single:
            if not files:
                if kind.required:
                    problems.append(FILE.problem(show(kind.pattern), 0, 0, "required plan file is missing"))
                continue
        elif kind.listing is not None:
            listers = loaded.get(kind.listing.by, [])
            if listers and all(item.record is not None for item in listers):
                files = _listed(kind, listers, files, problems, show)
        loaded[kind.name] = [read(kind, relative) for relative in files]

    everything = [item for kind in KINDS for item in loaded.get(kind, [])]  # in the registry's order
    files_by_name = {item.doc.file: item.doc for item in everything}
    if any(p.is_error for p in problems) or not loaded.get("document"):
        return LoadResult(None, problems, files_by_name)
    sources = {item.key: Source(item.kind.name, item.doc.file, item.record) for item in everything}
    return LoadResult(PlanData(root, sources), problems, files_by_name)


def _in_listing_order() -> list[Kind]:
    """Kinds ordered so that a listing file is read before the files it lists."""
    done: list[Kind] = []
    pending = list(KINDS.values())
    while pending:
        ready = [k for k in pending if k.listing is None or any(d.name == k.listing.by for d in done)]
        if not ready:
            raise ValueError("plan-file kinds list each other in a circle")
        done += ready
        pending = [k for k in pending if k not in ready]
    return done


def _listed(
    kind: Kind,
    listers: list[_Loaded],
    present: list[PurePosixPath],
    problems: list[Problem],
    show: Any,
) -> list[PurePosixPath]:
    """The files of `kind` in the order their listing files name them; missing or unlisted ones reported."""
    assert kind.listing is not None
    by_stem = {p.stem: p for p in present}
    folder = PurePosixPath(kind.pattern).parent
    order: list[PurePosixPath] = []
    named: set[str] = set()
    for lister in listers:
        for ident, path in kind.listing.ids(lister.record):
            if ident in named:
                problems.append(lister.doc.problem(path, LISTING, f"{kind.name} '{ident}' is listed twice"))
                continue
            named.add(ident)
            if ident not in by_stem:
                where = show(folder / f"{ident}.yaml")
                msg = f"{kind.name} '{ident}' is listed but {where} does not exist"
                problems.append(lister.doc.problem(path, LISTING, msg))
                continue
            order.append(by_stem[ident])
    for stem, relative in by_stem.items():
        if stem not in named:
            msg = f"{kind.name} file is not listed anywhere, so it is not part of the plan"
            problems.append(LISTING.problem(show(relative), 1, 1, msg))
    return order

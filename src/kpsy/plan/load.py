"""Loading a plan folder: every file read, validated against its record class, and assembled.

Which files there are, what they hold and what lists them comes from the registry of kinds
(`kpsy.plan.kinds`); one file is read by `kpsy.plan.reader`. Every problem is collected, and the
plan is assembled only when its shape is sound.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable
from pathlib import Path, PurePosixPath
from typing import Any, TypeVar

from kpsy.findings import Level, Problem, declare
from kpsy.i18n import msg, thing
from kpsy.light import light
from kpsy.plan import model
from kpsy.plan.files import FILE, Snapshot, namer, read_folder
from kpsy.plan.kinds import KINDS, Kind, key_of, kind_of
from kpsy.plan.model import DocPath
from kpsy.plan.outline import PlanData, Source
from kpsy.plan.reader import YamlFile, decode, parse, read_text
from kpsy.plan.validators import validate
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


# --- data to models --------------------------------------------------------------------------

_MAPPING = ("a mapping (key: value lines)", "映射（“键: 值”的若干行）")
_EXPECTED: dict[str, tuple[str, str]] = {
    "string_type": ("text", "文字"),
    "int_type": ("a whole number", "整数"),
    "float_type": ("a number", "数字"),
    "bool_type": ("true or false", " true 或 false"),
    "list_type": ("a list", "列表"),
    "dict_type": _MAPPING,
    "model_type": _MAPPING,
    "model_attributes_type": _MAPPING,
    "dataclass_type": _MAPPING,
    "dataclass_args_type": _MAPPING,
    "date_type": ("a date (YYYY-MM-DD)", "日期（YYYY-MM-DD）"),
}


def _describe(value: Any) -> str:
    if value is None:
        return msg("nothing (an empty value)", "空值")
    if isinstance(value, bool):
        return msg("a boolean ({v})", "布尔值（{v}）", v=str(value).lower())
    if isinstance(value, int | float):
        return msg("a number ({v})", "数字（{v}）", v=value)
    if isinstance(value, str):
        return msg("text ('{v}')", "文字（“{v}”）", v=value[:40])
    if isinstance(value, list):
        return msg("a list", "列表")
    if isinstance(value, dict):
        return msg("a mapping", "映射")
    return type(value).__name__


@functools.cache
def _field_names() -> list[str]:
    """Every field name of every plan record, for "did you mean" on an unknown field."""
    names: set[str] = set()
    for cls in vars(model).values():
        if dataclasses.is_dataclass(cls) and hasattr(cls, "__pydantic_config__"):
            names |= {f.name for f in dataclasses.fields(cls)}
    return sorted(names)


def validation_problems(exc: Any, doc: YamlFile) -> list[Problem]:
    """pydantic's errors as plain-language problems at the right line and column."""
    problems: list[Problem] = []
    seen: set[tuple[DocPath, str]] = set()
    for err in exc.errors(include_url=False):
        kind = err["type"]
        loc = _data_path(err["loc"], doc.data, last_is_field=kind in _FIELD_ERRORS)
        path = loc[:-1] if kind in _FIELD_ERRORS else loc  # a missing field is reported at its mapping
        message = _message(err, loc)
        if (path, message) in seen:
            continue
        seen.add((path, message))
        problems.append(doc.problem(path, SCHEMA, message, key=kind in _UNKNOWN_FIELD))
    return problems


def _message(err: Any, loc: DocPath) -> str:
    """One pydantic error in a clerk's words, with where in the file's data it is."""
    kind = err["type"]
    where = ".".join(str(p) for p in loc) or msg("(top level)", "（顶层）")
    if kind in _FIELD_ERRORS:
        return msg("missing required field '{f}'", "缺少必填字段“{f}”", f=loc[-1])
    if kind in _UNKNOWN_FIELD:
        return _unknown_field(str(loc[-1]))
    if kind in _EXPECTED:
        return _wrong_type(err, where if loc else None)
    if kind == "too_short" and isinstance(err.get("input"), list):
        n = err["ctx"]["min_length"]
        return msg("{where}: must list at least {n} item(s)", "{where}：至少要列出 {n} 项", where=where, n=n)
    if kind == "string_too_short":
        return msg("{where}: must not be empty", "{where}：不能为空", where=where)
    if kind in _BOUNDS:
        return _out_of_bounds(err, where)
    if kind == "finite_number":
        return msg(
            "{where}: must be a finite number, not {value} (infinity or not-a-number)",
            "{where}：应当是有限的数字，而不是 {value}（无穷大或非数）",
            where=where,
            value=err["input"],
        )
    if kind == "literal_error":
        return _not_allowed(err, where)
    return f"{where}: {err['msg']}" if _current_is_english() else f"{where}：{err['msg']}"


def _unknown_field(name: str) -> str:
    close = suggest(name, _field_names(), n=1)
    return msg(
        "unknown field '{f}'{hint}",
        "未知字段“{f}”{hint_zh}",
        f=name,
        hint=f"; did you mean '{close[0]}'?" if close else "",
        hint_zh=f"；是否指“{close[0]}”？" if close else "",
    )


def _wrong_type(err: Any, where: str | None) -> str:
    """A value of the wrong type: what was expected, what was found (`where` None: the whole file)."""
    en, zh = _EXPECTED[err["type"]]
    found = _describe(err["input"])
    if where is None:
        return msg(
            "expected {en} at the top of the file, found {found}",
            "文件顶层应当是{zh}，实为{found}",
            en=en,
            zh=zh,
            found=found,
        )
    return msg(
        "{where}: expected {en}, found {found}",
        "{where}：应当是{zh}，实为{found}",
        where=where,
        en=en,
        zh=zh,
        found=found,
    )


def _out_of_bounds(err: Any, where: str) -> str:
    en, zh = _BOUNDS[err["type"]]
    limit = next(iter(err["ctx"].values()))
    if isinstance(limit, float) and limit.is_integer():
        limit = int(limit)
    return msg(
        "{where}: " + en + ", not {value}",
        "{where}：" + zh + "，而不是 {value}",
        where=where,
        limit=limit,
        value=err["input"],
    )


def _not_allowed(err: Any, where: str) -> str:
    allowed = str(err["ctx"]["expected"])
    return msg(
        "{where}: must be one of {allowed}, not '{value}'",
        "{where}：应当是{allowed_zh}之一，而不是“{value}”",
        where=where,
        allowed=allowed,
        allowed_zh=allowed.replace("' or '", "'、'").replace("', '", "'、'").replace("'", ""),
        value=err["input"],
    )


_UNKNOWN_FIELD = ("extra_forbidden", "unexpected_keyword_argument")
_FIELD_ERRORS = ("missing", "missing_argument", "missing_keyword_only_argument")
_BOUNDS = {
    "less_than_equal": ("must be at most {limit}", "不能大于 {limit}"),
    "less_than": ("must be less than {limit}", "应小于 {limit}"),
    "greater_than_equal": ("must be at least {limit}", "不能小于 {limit}"),
    "greater_than": ("must be more than {limit}", "应大于 {limit}"),
}


def _current_is_english() -> bool:
    from kpsy.i18n import language

    return language() == "en"


def _data_path(loc: tuple[Any, ...], data: Any, *, last_is_field: bool) -> DocPath:
    """The path in the file's data that pydantic's `loc` points at. pydantic puts the names of union
    branches into `loc` ('str', 'date', 'function-after[…]'); they are not keys of the data, while a
    field called `date` is, so the path is found by walking the data."""
    path: list[str | int] = []
    node = data
    for i, part in enumerate(loc):
        if (isinstance(node, dict) and part in node) or (
            isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node)
        ):
            node = node[part]
            path.append(part)
        elif last_is_field and i == len(loc) - 1:
            path.append(part)  # a missing field: not in the data, by definition
    return tuple(path)


def to_model(doc: YamlFile, cls: type[T]) -> tuple[T | None, list[Problem]]:
    if doc.data is None:
        message = msg(
            "file is empty; expected a mapping with {fields}",
            "文件是空的；应当是含有 {fields} 的映射",
            fields=", ".join(f.name for f in dataclasses.fields(cls)),  # type: ignore[arg-type]
        )
        return None, [SCHEMA.problem(doc.file, 1, 1, message)]
    from pydantic_core import ValidationError

    try:
        return validate(cls, doc.data), []
    except ValidationError as exc:
        return None, validation_problems(exc, doc)


def load_file(path: Path, cls: type[T], file: str | None = None) -> tuple[YamlFile, T | None, list[Problem]]:
    """Read, parse and validate one plan file as a `cls` record; every problem found."""
    file = file or display_path(path)
    text, problems = read_text(path, file)
    if text is None:
        return YamlFile(file), None, problems
    return load_text(text, cls, file)


def load_bytes(raw: bytes, cls: type[T], file: str) -> tuple[YamlFile, T | None, list[Problem]]:
    """Decode, parse and validate the bytes of one plan file as a `cls` record."""
    text, problems = decode(raw, file)
    if text is None:
        return YamlFile(file), None, problems
    return load_text(text, cls, file)


def load_text(text: str, cls: type[T], file: str) -> tuple[YamlFile, T | None, list[Problem]]:
    """Parse and validate the text of one plan file as a `cls` record."""
    doc, problems = parse(text, file)
    if problems:
        return doc, None, problems
    obj, problems = to_model(doc, cls)
    return doc, obj, problems


# --- the plan folder -------------------------------------------------------------------------


@light
class LoadResult:
    plan: PlanData | None
    problems: list[Problem]
    files: dict[str, YamlFile]  # by the name problems show
    snapshot: Snapshot


@light
class _Loaded:
    key: str
    kind: Kind
    relative: PurePosixPath
    doc: YamlFile
    record: Any


def load_plan(
    root: Path,
    label: str | None = None,
    snap: Snapshot | None = None,
    reuse: dict[PurePosixPath, tuple[bytes, Any]] | None = None,
) -> LoadResult:
    """Read every file of the plan folder (or take them from `snap`), collecting all problems;
    assemble the plan if its shape allows. `reuse` gives records already made from files' bytes
    (relative path -> (bytes, record), from another revision of the plan): a file with exactly
    those bytes is not parsed again (its marks are not known then, see `LoadResult.files`).

    Files are named relative to the current folder, or as `label` + their path inside the plan
    (a git revision's plan: "HEAD~1:plan/").
    """
    snap = snap if snap is not None else read_folder(root, label)
    reader = _Reader(snap, namer(root, label), reuse or {})
    reader.report_strays()
    loaded = reader.read_all()
    everything = [item for kind in KINDS for item in loaded.get(kind, [])]  # in the registry's order
    files_by_name = {item.doc.file: item.doc for item in everything}
    problems = reader.problems
    if any(p.is_error for p in problems) or not loaded.get("document"):
        return LoadResult(None, problems, files_by_name, snap)
    sources = {item.key: Source(item.kind.name, item.doc.file, item.record) for item in everything}
    return LoadResult(PlanData(root, sources), problems, files_by_name, snap)


class _Reader:
    """The files of one plan folder read kind by kind, listing files before the files they list,
    with every problem found on the way."""

    def __init__(
        self,
        snap: Snapshot,
        show: Callable[[PurePosixPath], str],
        reuse: dict[PurePosixPath, tuple[bytes, Any]],
    ) -> None:
        self.snap, self.show, self.reuse = snap, show, reuse
        self.problems: list[Problem] = list(snap.problems)

    def report_strays(self) -> None:
        """Files that are no plan file kpsy knows, and plan files it cannot read (listed or not)."""
        for relative in self.snap.others:
            message = msg("not a plan file kpsy knows; it is ignored", "不是 kpsy 认识的计划文件，已忽略")
            self.problems.append(UNKNOWN_FILE.problem(self.show(relative), 0, 0, message))
        for relative, why in sorted(self.snap.unreadable.items()):
            self.problems.append(self.snap.rules[relative].problem(self.show(relative), 0, 0, why))

    def read_all(self) -> dict[str, list[_Loaded]]:
        """Every kind's files, in its listing's order when a listing file names them."""
        snap = self.snap
        present: dict[str, list[PurePosixPath]] = {name: [] for name in KINDS}
        for relative in sorted([*snap.files, *snap.unreadable]):
            kind = kind_of(relative)
            if kind is not None:
                present[kind.name].append(relative)
        loaded: dict[str, list[_Loaded]] = {}
        for kind in _in_listing_order():
            files = present[kind.name]
            if kind.single and not files:
                if kind.required and not snap.in_blind_folder(PurePosixPath(kind.pattern)):
                    message = msg("required plan file is missing", "缺少必需的计划文件")
                    self.problems.append(FILE.problem(self.show(PurePosixPath(kind.pattern)), 0, 0, message))
                continue
            if not kind.single and kind.listing is not None:
                listers = loaded.get(kind.listing.by, [])
                if listers and all(item.record is not None for item in listers):
                    files = _listed(kind, listers, files, self.problems, self.show, snap)
            loaded[kind.name] = [self.read(kind, relative) for relative in files]
        return loaded

    def read(self, kind: Kind, relative: PurePosixPath) -> _Loaded:
        """One file as a record (None when it cannot be read or has errors)."""
        file = self.show(relative)
        if relative in self.snap.unreadable:
            return _Loaded(key_of(relative), kind, relative, YamlFile(file), None)
        known = self.reuse.get(relative)
        if known is not None and known[0] == self.snap.files[relative]:
            return _Loaded(key_of(relative), kind, relative, YamlFile(file), known[1])
        doc, record, found = load_bytes(self.snap.files[relative], kind.model, file)
        self.problems.extend(found)
        if record is not None and kind.id_key is not None:
            self.check_name(kind.id_key, relative, doc, getattr(record, kind.id_key))
        return _Loaded(key_of(relative), kind, relative, doc, record)

    def check_name(self, id_key: str, relative: PurePosixPath, doc: YamlFile, ident: str) -> None:
        """A file named after an id holds that id."""
        if ident != relative.stem:
            message = msg(
                "{key} '{ident}' does not match the file name {name}",
                "{key}“{ident}”与文件名 {name} 不一致",
                key=thing(id_key),
                ident=ident,
                name=relative.name,
            )
            self.problems.append(doc.problem((id_key,), FILE_NAME, message))


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
    show: Callable[[PurePosixPath], str],
    snap: Snapshot,
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
                message = msg(
                    "{kind} '{ident}' is listed twice", "{kind}“{ident}”列了两次", kind=kind.name, ident=ident
                )
                problems.append(lister.doc.problem(path, LISTING, message))
                continue
            named.add(ident)
            if ident not in by_stem:
                expected = folder / f"{ident}.yaml"
                if not snap.in_blind_folder(expected):  # an unreadable folder is reported once, above
                    message = msg(
                        "{kind} '{ident}' is listed but {where} does not exist",
                        "列出了{kind}“{ident}”，但 {where} 不存在",
                        kind=thing(kind.name),
                        ident=ident,
                        where=show(expected),
                    )
                    problems.append(lister.doc.problem(path, LISTING, message))
                continue
            order.append(by_stem[ident])
    for stem, relative in by_stem.items():
        if stem not in named:
            message = msg(
                "{kind} file is not listed anywhere, so it is not part of the plan",
                "此{kind}文件没有在任何地方列出，因此不属于计划",
                kind=thing(kind.name),
            )
            problems.append(LISTING.problem(show(relative), 1, 1, message))
    return order

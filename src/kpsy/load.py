"""Reading plan files: bytes -> text -> YAML with line marks -> pydantic models -> `Plan`.

YAML is parsed into events (libyaml's C parser when present) and composed here, so that every
value keeps its line and column, duplicate keys are caught (PyYAML would keep the last one
silently), and anchors, aliases and tags are refused before anything is expanded.
"""

from __future__ import annotations

import codecs
import dataclasses
import difflib
import functools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from kpsy import model
from kpsy.errors import Level, Problem
from kpsy.workspace import display_path

MAX_FILE_BYTES = 4 * 1024 * 1024
MAX_DEPTH = 40

DocPath = tuple[str | int, ...]
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Mark:
    line: int
    col: int


_SUPPRESS = re.compile(r"#\s*kpsy:\s*ignore\[([a-z0-9,\s-]+)\]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x80-\x9f]")


@dataclass
class YamlFile:
    """One parsed plan file: its data, and where each value and key stands."""

    file: str
    data: Any = None
    values: dict[DocPath, Mark] = field(default_factory=dict)
    keys: dict[DocPath, Mark] = field(default_factory=dict)
    suppressed: dict[int, frozenset[str]] = field(default_factory=dict)

    def mark(self, path: DocPath, *, key: bool = False) -> Mark:
        """The mark of the value (or key) at `path`, or of its nearest located ancestor."""
        path = tuple(path)
        while True:
            if key and path in self.keys:
                return self.keys[path]
            if path in self.values:
                return self.values[path]
            if not path:
                return Mark(1, 1)
            path = path[:-1]
            key = False

    def problem(
        self, path: DocPath, rule: str, message: str, level: Level = Level.ERROR, *, key: bool = False
    ) -> Problem:
        m = self.mark(path, key=key)
        return Problem(self.file, m.line, m.col, rule, level, message)


# --- bytes to text ---------------------------------------------------------------------------


def _line_col(text: str, index: int) -> tuple[int, int]:
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def _guess_encoding(raw: bytes) -> str | None:
    if raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "UTF-16"
    if raw[:200].count(0) > len(raw[:200]) // 4:
        return "UTF-16"
    for name, label in (("gb18030", "GBK/GB18030"), ("big5", "Big5")):
        try:
            raw.decode(name)
        except UnicodeDecodeError:
            continue
        return label
    return None


def decode(raw: bytes, file: str) -> tuple[str | None, list[Problem]]:
    """UTF-8 text of a plan file (a BOM and CRLF line ends are accepted), or why not."""
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8) :]
    elif raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        msg = "file is UTF-16 (it starts with a UTF-16 byte-order mark): save it as UTF-8"
        return None, [Problem(file, 1, 1, "encoding", Level.ERROR, msg)]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        guess = _guess_encoding(raw)
        head = raw[: exc.start]
        line = head.count(b"\n") + 1
        col = len(head[head.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1
        looks = f"; it looks like {guess}" if guess else ""
        msg = f"file is not UTF-8 (byte 0x{raw[exc.start]:02X} cannot be decoded){looks}: save it as UTF-8"
        return None, [Problem(file, line, col, "encoding", Level.ERROR, msg)]
    text = text.replace("\r\n", "\n")
    bad = _CONTROL.search(text)
    if bad:
        line, col = _line_col(text, bad.start())
        msg = f"control character U+{ord(bad.group()):04X} is not allowed in a plan file"
        return None, [Problem(file, line, col, "encoding", Level.ERROR, msg)]
    return text, []


def read_text(path: Path, file: str) -> tuple[str | None, list[Problem]]:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            msg = f"file is {size:,} bytes; plan files are limited to {MAX_FILE_BYTES:,} bytes"
            return None, [Problem(file, 0, 0, "file-size", Level.ERROR, msg)]
        raw = path.read_bytes()
    except OSError as exc:
        return None, [Problem(file, 0, 0, "file", Level.ERROR, f"cannot read file: {exc.strerror}")]
    return decode(raw, file)


# --- text to data ----------------------------------------------------------------------------


@functools.cache
def _yaml() -> Any:
    """PyYAML's loader (libyaml's C parser when present), resolver and constructor, made on first use:
    a query answered from the cache never imports yaml."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml, loader, yaml.resolver.Resolver(), yaml.constructor.SafeConstructor()


_TYPE_NAMES = {
    "tag:yaml.org,2002:int": "integer",
    "tag:yaml.org,2002:float": "number",
    "tag:yaml.org,2002:timestamp": "date",
    "tag:yaml.org,2002:bool": "boolean",
}


class _Discard:
    """A mapping entry whose key was refused: its value is read and dropped."""


_DISCARD = _Discard()
_NO_KEY = object()


def _mark(ev: Any) -> Mark:
    return Mark(ev.start_mark.line + 1, ev.start_mark.column + 1)


def parse(text: str, file: str) -> tuple[YamlFile, list[Problem]]:
    """Compose YAML text into plain data with marks. Never raises on bad input."""
    doc = YamlFile(file)
    problems: list[Problem] = []

    def report(mark: Mark, rule: str, message: str) -> None:
        problems.append(Problem(file, mark.line, mark.col, rule, Level.ERROR, message))

    for number, line in enumerate(text.split("\n"), 1):
        if "kpsy" in line and (found := _SUPPRESS.search(line)):
            doc.suppressed[number] = frozenset(r.strip() for r in found.group(1).split(",") if r.strip())

    # stack frames: [container, path, pending key (or _NO_KEY), keys seen {key: mark}]
    stack: list[list[Any]] = []
    documents = 0
    root: Any = None

    def attach(value: Any, mark: Mark) -> DocPath | None:
        nonlocal root
        if not stack:
            root = value
            doc.values[()] = mark
            return ()
        frame = stack[-1]
        container, path = frame[0], frame[1]
        if isinstance(container, list):
            child = (*path, len(container))
            container.append(value)
            doc.values[child] = mark
            return child
        if frame[2] is _NO_KEY:  # this value is a key
            if not isinstance(value, str):
                kind = "a mapping" if isinstance(value, dict) else "a list" if isinstance(value, list) else None
                report(mark, "syntax", f"a key must be text, not {kind or repr(value)}")
                frame[2] = _DISCARD
            elif value in frame[3]:
                first = frame[3][value]
                report(mark, "duplicate-key", f"duplicate key '{value}' (first defined at line {first.line})")
                frame[2] = _DISCARD
            else:
                frame[3][value] = mark
                frame[2] = value
                key_path = (*path, value)
                doc.keys[key_path] = mark
            return None
        key = frame[2]
        frame[2] = _NO_KEY
        if key is _DISCARD:
            return None
        child = (*path, key)
        container[key] = value
        doc.values[child] = mark
        return child

    def refuse_anchor(ev: Any) -> None:
        if getattr(ev, "anchor", None):
            report(_mark(ev), "anchor", f"anchors (&{ev.anchor}) are not allowed in plan files; write the value out")

    def refuse_tag(ev: Any) -> bool:
        tag = getattr(ev, "tag", None)
        if tag and tag != "!":
            report(_mark(ev), "tag", f"YAML tags ({tag}) are not allowed in plan files; quote the value instead")
            return True
        return False

    yaml, loader, _, _ = _yaml()
    try:
        for ev in yaml.parse(text, Loader=loader):
            kind = type(ev)
            if kind is yaml.ScalarEvent:
                refuse_anchor(ev)
                value = None if refuse_tag(ev) else _scalar(ev, report)
                attach(value, _mark(ev))
            elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
                refuse_anchor(ev)
                refuse_tag(ev)
                if len(stack) >= MAX_DEPTH:
                    report(_mark(ev), "depth", f"nesting deeper than {MAX_DEPTH} levels")
                    return doc, problems
                container: Any = {} if kind is yaml.MappingStartEvent else []
                path = attach(container, _mark(ev))
                # a refused key's container is still read, under a path nothing looks up
                stack.append([container, ("<discarded>",) if path is None else path, _NO_KEY, {}])
            elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                stack.pop()
            elif kind is yaml.AliasEvent:
                report(
                    _mark(ev),
                    "alias",
                    f"aliases (*{getattr(ev, 'anchor', '')}) are not allowed in plan files; write the value out",
                )
                attach(None, _mark(ev))
            elif kind is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    report(_mark(ev), "syntax", "a plan file holds one YAML document; found a second one")
                    return doc, problems
    except yaml.MarkedYAMLError as exc:
        problems.append(_syntax_problem(exc, text, file))
        return doc, problems
    except yaml.YAMLError as exc:  # reader errors carry no mark
        problems.append(Problem(file, 0, 0, "syntax", Level.ERROR, str(exc).splitlines()[0]))
        return doc, problems
    doc.data = root
    return doc, problems


def _scalar(ev: Any, report: Any) -> Any:
    if ev.style:  # quoted or block scalars are text
        return ev.value
    yaml, _, _resolver, _constructor = _yaml()
    tag = _resolver.resolve(yaml.ScalarNode, ev.value, ev.implicit)
    if tag == "tag:yaml.org,2002:str" or tag not in _constructor.yaml_constructors:
        return ev.value  # text, or a YAML 1.1 oddity with no safe constructor (a lone "=")
    node = yaml.ScalarNode(tag, ev.value)
    try:
        return _constructor.yaml_constructors[tag](_constructor, node)
    except (ValueError, OverflowError, yaml.YAMLError):
        what = _TYPE_NAMES.get(tag, "value")
        report(_mark(ev), "syntax", f"'{ev.value}' is not a valid {what}")
        return None


def _syntax_problem(exc: Any, text: str, file: str) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
    message = exc.problem or "invalid YAML"
    lines = text.split("\n")
    if mark and 0 <= mark.line < len(lines) and "\t" in lines[mark.line][: mark.column + 1]:
        message = "tab character in indentation or before a value: YAML allows only spaces"
    elif exc.context and exc.context not in message:
        message = f"{message} ({exc.context})"
    return Problem(file, line, col, "syntax", Level.ERROR, message)


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
            close = difflib.get_close_matches(name, _field_names(), n=1)
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
        problems.append(doc.problem(path, "schema", message, key=message.startswith("unknown field")))
    return problems


def _is_branch_tag(part: Any) -> bool:
    # pydantic adds the name of a union branch to `loc` (e.g. 'str', 'function-after[...]')
    return isinstance(part, str) and (
        part in ("str", "int", "float", "bool", "date", "none", "list", "dict")
        or part.startswith(("function-", "constrained-", "lax-", "strict-"))
    )


def to_model(doc: YamlFile, cls: type[T]) -> tuple[T | None, list[Problem]]:
    if doc.data is None:
        fields = ", ".join(f.name for f in dataclasses.fields(cls))  # type: ignore[arg-type]
        msg = f"file is empty; expected a mapping with {fields}"
        return None, [Problem(doc.file, 1, 1, "schema", Level.ERROR, msg)]
    from pydantic import ValidationError

    try:
        return adapter(cls).validate_python(doc.data), []  # type: ignore[arg-type]
    except ValidationError as exc:
        return None, validation_problems(exc, doc)


def load_file(path: Path, cls: type[T], file: str | None = None) -> tuple[YamlFile, T | None, list[Problem]]:
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

TOP_FILES: dict[str, type] = {
    "document.yaml": model.DocumentFile,
    "units.yaml": model.UnitsFile,
    "targets.yaml": model.TargetsFile,
    "schedule.yaml": model.ScheduleFile,
    "settings.yaml": model.SettingsFile,
}
REQUIRED = ("document.yaml", "units.yaml")


@dataclass
class LoadResult:
    plan: model.Plan | None
    problems: list[Problem]
    files: dict[str, YamlFile]


def _listed_files(
    folder: Path,
    listed: Iterable[tuple[str, YamlFile, DocPath]],
    kind: str,
    problems: list[Problem],
    show: Callable[[Path], str] = display_path,
) -> list[tuple[str, Path]]:
    """Files of `folder` named by their listing, in listing order; missing or unlisted ones reported."""
    present = {p.stem: p for p in sorted(folder.glob("*.yaml"))} if folder.is_dir() else {}
    order: list[tuple[str, Path]] = []
    named: set[str] = set()
    for ident, doc, path in listed:
        if ident in named:
            problems.append(doc.problem(path, "listing", f"{kind} '{ident}' is listed twice"))
            continue
        named.add(ident)
        if ident not in present:
            where = show(folder / f"{ident}.yaml")
            problems.append(doc.problem(path, "listing", f"{kind} '{ident}' is listed but {where} does not exist"))
            continue
        order.append((ident, present[ident]))
    for stem, p in present.items():
        if stem not in named:
            problems.append(
                Problem(
                    show(p),
                    1,
                    1,
                    "listing",
                    Level.ERROR,
                    f"{kind} file is not listed anywhere, so it is not part of the plan",
                )
            )
    return order


def load_plan(root: Path, label: str | None = None) -> LoadResult:
    """Read every file of the plan folder, collecting all problems; assemble the plan if shape allows.

    Files are named relative to the current folder, or as `label` + their path inside the plan
    (a git revision's plan: "HEAD~1:plan/").
    """

    def show(path: Path) -> str:
        return display_path(path) if label is None else label + path.relative_to(root).as_posix()

    problems: list[Problem] = []
    files: dict[str, YamlFile] = {}
    top: dict[str, Any] = {}
    for name, cls in TOP_FILES.items():
        path = root / name
        if not path.exists():
            if name in REQUIRED:
                problems.append(Problem(show(path), 0, 0, "file", Level.ERROR, "required plan file is missing"))
            continue
        doc, obj, found = load_file(path, cls, show(path))
        files[name] = doc
        top[name] = obj
        problems += found
    for extra in sorted(root.glob("*.y*ml")):
        if extra.name not in TOP_FILES:
            problems.append(
                Problem(
                    show(extra),
                    0,
                    0,
                    "unknown-file",
                    Level.WARNING,
                    "not a plan file kpsy knows; it is ignored",
                )
            )

    document: model.DocumentFile | None = top.get("document.yaml")
    parts: list[tuple[str, YamlFile, model.Part | None]] = []
    if document is not None:
        listed = [(pid, files["document.yaml"], ("plan", "parts", i)) for i, pid in enumerate(document.plan.parts)]
        part_paths = _listed_files(root / "parts", listed, "part", problems, show)
    else:
        part_paths = [(p.stem, p) for p in sorted((root / "parts").glob("*.yaml"))]
    for pid, path in part_paths:
        doc, obj, found = load_file(path, model.Part, show(path))
        files[f"parts/{pid}"] = doc
        problems += found
        if obj is not None and obj.id != pid:
            problems.append(doc.problem(("id",), "file-name", f"id '{obj.id}' does not match the file name {pid}.yaml"))
        parts.append((pid, doc, obj))

    if parts and all(obj is not None for _, _, obj in parts):
        chapter_listing = [
            (cid, doc, ("chapters", i)) for _, doc, obj in parts if obj for i, cid in enumerate(obj.chapters)
        ]
        chapter_paths = _listed_files(root / "chapters", chapter_listing, "chapter", problems, show)
    else:
        chapter_paths = [(p.stem, p) for p in sorted((root / "chapters").glob("*.yaml"))]
    chapters: dict[str, model.Chapter] = {}
    for cid, path in chapter_paths:
        chapter_doc, chapter, found = load_file(path, model.Chapter, show(path))
        files[f"chapters/{cid}"] = chapter_doc
        problems += found
        if chapter is not None:
            if chapter.id != cid:
                msg = f"id '{chapter.id}' does not match the file name {cid}.yaml"
                problems.append(chapter_doc.problem(("id",), "file-name", msg))
            chapters[cid] = chapter

    plan = None
    if not any(p.is_error for p in problems) and document is not None:
        units_file: model.UnitsFile = top["units.yaml"]
        targets: model.TargetsFile = top.get("targets.yaml") or model.TargetsFile()
        schedule: model.ScheduleFile = top.get("schedule.yaml") or model.ScheduleFile()
        plan = model.Plan(
            root=root,
            document=document,
            units=list(units_file.units),
            parts=[obj for _, _, obj in parts if obj is not None],
            chapters=chapters,
            targets=list(targets.targets),
            milestones=list(schedule.milestones),
            settings=top.get("settings.yaml") or model.SettingsFile(),
            files={key.removesuffix(".yaml"): doc.file for key, doc in files.items()},
        )
    by_name = {doc.file: doc for doc in files.values()}
    return LoadResult(plan, problems, by_name)

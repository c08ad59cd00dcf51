"""Canonical formatting of plan files, so that diffs stay about content.

Keys in the models' field order; block style everywhere except `aliases` (a short flow list);
mappings indented by two spaces and sequences indented under their key; strings quoted only where
YAML needs it; no line folding (a folded line would put a space into Chinese text); comments kept
(ruamel.yaml's round-trip mode). A file is rewritten only when its data is unchanged by the
formatting, and then atomically.
"""

from __future__ import annotations

import dataclasses
import difflib
import io
import re
import typing
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from kpsy.findings import Level, Problem, declare
from kpsy.plan.kinds import kind_of
from kpsy.plan.load import plan_files
from kpsy.plan.reader import parse, read_text
from kpsy.util import display_path, write_atomic

FMT = declare(
    "fmt",
    Level.ERROR,
    "Formatting (`kpsy fmt`) touches only plan files, and only when it leaves their data exactly as it was.",
    "file",
)

FLOW_KEYS = frozenset({"aliases"})


def _yaml() -> Any:
    from ruamel.yaml import YAML

    yaml = YAML()  # round-trip
    yaml.width = 1_000_000
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.preserve_quotes = False
    yaml.allow_unicode = True
    return yaml


def _unwrap(tp: Any) -> Any:
    """Annotated[X, …] -> X; X | None -> X."""
    while True:
        origin = typing.get_origin(tp)
        if origin is typing.Annotated:
            tp = typing.get_args(tp)[0]
        elif origin in (typing.Union, getattr(__import__("types"), "UnionType", None)):
            args = [a for a in typing.get_args(tp) if a is not type(None)]
            if len(args) != 1:
                return tp
            tp = args[0]
        else:
            return tp


def _canonical(node: Any, tp: Any, key: str | None = None) -> None:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    tp = _unwrap(tp)
    if isinstance(node, CommentedMap):
        node.fa.set_block_style()
        if dataclasses.is_dataclass(tp):
            hints = typing.get_type_hints(tp, include_extras=True)
            order = [f.name for f in dataclasses.fields(tp)]
            for name in [k for k in order if k in node] + [k for k in list(node) if k not in order]:
                node.move_to_end(name)
            for name in list(node):
                _canonical(node[name], hints.get(name), name)
    elif isinstance(node, CommentedSeq):
        inner = typing.get_args(tp)[0] if typing.get_origin(tp) is list else None
        if key in FLOW_KEYS and all(not isinstance(item, (dict, list)) for item in node):
            node.fa.set_flow_style()
        else:
            node.fa.set_block_style()
        for item in node:
            _canonical(item, inner)


def format_text(text: str, cls: type) -> str:
    """`text` (a plan file of kind `cls`) in canonical form."""
    yaml = _yaml()
    data = yaml.load(text)
    if data is None:
        return text
    _canonical(data, cls)
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()


@dataclass
class FmtResult:
    changed: list[Path] = dataclasses.field(default_factory=list)
    diffs: list[str] = dataclasses.field(default_factory=list)
    problems: list[Problem] = dataclasses.field(default_factory=list)
    checked: int = 0


def known_files(root: Path) -> list[Path]:
    """Every plan file of a kind kpsy knows, in the plan folder and its subfolders."""
    return [root / relative for relative in plan_files(root) if kind_of(relative) is not None]


def format_files(root: Path, files: list[Path], *, check: bool) -> FmtResult:
    """Format `files` (default: every plan file). With `check`, only say what would change."""
    result = FmtResult()
    for path in files or known_files(root):
        name = display_path(path)
        try:
            kind = kind_of(path.resolve().relative_to(root.resolve()).as_posix())
        except ValueError:
            result.problems.append(FMT.problem(name, 0, 0, "not a file of the plan folder"))
            continue
        if kind is None:
            result.problems.append(FMT.problem(name, 0, 0, "not a plan file kpsy knows"))
            continue
        text, problems = read_text(path, name)
        if text is None:
            result.problems += problems
            continue
        before, problems = parse(text, name)
        if problems:
            result.problems += problems
            continue
        result.checked += 1
        formatted = format_text(text, kind.model)
        after, problems = parse(formatted, name)
        if problems or after.data != before.data:  # the safety net: formatting never changes meaning
            msg = "formatting would change this file's data; it was left as it is (please report this)"
            result.problems.append(FMT.problem(name, 0, 0, msg))
            continue
        original = path.read_bytes().decode("utf-8-sig").replace("\r\n", "\n")
        if formatted == original:
            continue
        result.changed.append(path)
        if check:
            result.diffs.append(
                "".join(
                    difflib.unified_diff(
                        original.splitlines(keepends=True),
                        formatted.splitlines(keepends=True),
                        f"a/{name}",
                        f"b/{name}",
                    )
                )
            )
        else:
            write_atomic(path, formatted)
    return result


def plain(record: Any) -> Any:
    """A record as the data of its file: fields in order, empty optional ones left out, whole numbers
    written without a decimal point."""
    if dataclasses.is_dataclass(record) and not isinstance(record, type):
        out: dict[str, Any] = {}
        for fld in dataclasses.fields(record):
            value = getattr(record, fld.name)
            if value is None or (isinstance(value, list) and not value and fld.default_factory is list):
                continue
            out[fld.name] = plain(value)
        return out
    if isinstance(record, list):
        return [plain(v) for v in record]
    if isinstance(record, float) and record.is_integer():
        return int(record)
    return record


_COMMENT_UNSAFE = re.compile(r"[^\S ]|[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def record_text(record: Any, relative: PurePosixPath, comment: str | None = None) -> str:
    """A plan file for `record`, in canonical form, naming its schema on its first line; `comment`
    (one line; anything that could end it is replaced) follows the schema line."""
    from kpsy.plan.schema import MODELINE

    kind = kind_of(relative)
    if kind is None:
        raise ValueError(f"{relative} is not a plan file kpsy knows")
    head = [f"{MODELINE}{'../' * len(relative.parts)}schema/{kind.name}.json"]
    if comment:
        head.append("# " + _COMMENT_UNSAFE.sub(" ", comment))
    out = io.StringIO()
    _yaml().dump(plain(record), out)
    return format_text("\n".join(head) + "\n" + out.getvalue(), kind.model)

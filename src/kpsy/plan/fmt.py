"""Canonical formatting of plan files, so that diffs stay about content.

Keys in the models' field order; block style everywhere except `aliases` (a short flow list);
mappings indented by two spaces and sequences indented under their key; strings quoted only where
YAML needs it; no line folding (a folded line would put a space into Chinese text); comments kept
(ruamel.yaml's round-trip mode). A file is rewritten only when its data is unchanged by the
formatting, and then atomically.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import io
import itertools
import re
import typing
from collections import OrderedDict
from pathlib import Path, PurePosixPath
from typing import Any

from kpsy.errors import OutputError
from kpsy.findings import Level, Problem, declare
from kpsy.i18n import msg
from kpsy.light import lazy_re, light
from kpsy.plan.files import read_folder
from kpsy.plan.kinds import kind_of
from kpsy.plan.model import DocPath
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
    yaml.preserve_quotes = True  # to tell 'yes' (text) from yes (true in YAML 1.1)
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


def _yaml11_safe(value: Any) -> Any:
    """A scalar as kpsy (which reads YAML 1.1) reads it, written canonically.

    ruamel.yaml reads YAML 1.2, where `yes`, `On` or `1:20` are text, so the two readers disagree
    about them. Quoted in the file, such a word is text to both and stays quoted; plain in the
    file, it is what YAML 1.1 makes of it (`yes` is true) and is written that way. Any other
    quotes are dropped: canonical form quotes only where YAML needs it.
    """
    if not isinstance(value, str):
        return value
    import yaml
    from ruamel.yaml.scalarstring import (
        DoubleQuotedScalarString,
        LiteralScalarString,
        ScalarString,
        SingleQuotedScalarString,
    )

    text = "".join([value])  # the characters, without ruamel's quoting style
    if "\n" in text and _literal_safe(text):  # text a person wrote on several lines stays on several lines
        return LiteralScalarString(text)
    tag = yaml.resolver.Resolver().resolve(yaml.ScalarNode, text, (True, False))  # type: ignore[no-untyped-call]
    if tag == "tag:yaml.org,2002:str":
        return text if isinstance(value, ScalarString) else value
    if isinstance(value, SingleQuotedScalarString | DoubleQuotedScalarString):
        return SingleQuotedScalarString(text)
    constructor = yaml.constructor.SafeConstructor()
    if tag not in constructor.yaml_constructors:  # a YAML 1.1 oddity kpsy reads as text (a lone "=")
        return SingleQuotedScalarString(text)
    return constructor.yaml_constructors[tag](constructor, yaml.ScalarNode(tag, text))


def _literal_safe(text: str) -> bool:
    """Whether `text` reads back the same from a literal block (`|-`): no white space at the ends of
    its lines or of the whole, no blank first line, nothing YAML would take for something else."""
    lines = text.split("\n")
    return (
        text == text.strip()
        and all(line == line.rstrip(" \t") for line in lines)
        and not any(c in text for c in "\r\x85\u2028\u2029\ufeff")
        and not lines[0].startswith((" ", "\t"))
    )


def _trailing(node: Any, key: Any) -> tuple[Any, Any, int]:
    """Where ruamel keeps the comment that follows the value of `node[key]`: (the ca.items dict, its
    key, the slot), found in the deepest last item when the value is a block."""
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    value = node[key]
    if isinstance(value, CommentedMap) and value:
        return _trailing(value, list(value)[-1])
    if isinstance(value, CommentedSeq) and value:
        if isinstance(value[-1], CommentedMap | CommentedSeq) and value[-1]:
            return _trailing(value, len(value) - 1)
        return value.ca.items, len(value) - 1, 0
    return node.ca.items, key, 2


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _take_lines(node: Any, key: Any, keep: Any) -> list[str]:
    """Remove and return the comment lines after `node[key]`'s own line for which `keep(line)` is false."""
    items, slot_key, slot = _trailing(node, key)
    entry = items.get(slot_key)
    token = entry[slot] if entry and len(entry) > slot else None
    if token is None or "\n" not in token.value:
        return []
    own, _, rest = token.value.partition("\n")
    lines = rest.splitlines(keepends=True)
    taken = [line for line in lines if line.strip() and not keep(line)]
    token.value = own + "\n" + "".join(line for line in lines if not line.strip() or keep(line))
    return taken


def _put_lines(node: Any, key: Any, lines: list[str]) -> None:
    """Add comment lines after `node[key]`'s value."""
    if not lines:
        return
    from ruamel.yaml.error import CommentMark
    from ruamel.yaml.tokens import CommentToken

    items, slot_key, slot = _trailing(node, key)
    entry = items.setdefault(slot_key, [None] * (4 if slot == 2 else 2))
    while len(entry) <= slot:
        entry.append(None)
    if entry[slot] is None:
        entry[slot] = CommentToken("\n" + "".join(lines), CommentMark(0), None)
    else:
        value = entry[slot].value
        entry[slot].value = value + ("" if value.endswith("\n") else "\n") + "".join(lines)


def _reorder(node: Any, order: list[str], parent: Any = None, parent_key: Any = None) -> None:
    """Put the keys of a mapping in `order`. The comment lines above a key move with it; comment
    lines that belong to the levels above stay at the end of this mapping."""
    before = list(node)
    wanted = [k for k in order if k in node] + [k for k in before if k not in order]
    if wanted == before:
        return
    col = node.lc.col or 0
    # lines after the last key at a smaller indent belong to the keys that follow this mapping
    outer = _take_lines(node, before[-1], keep=lambda line: _indent(line) >= col)
    blocks = {
        key: _take_lines(node, prev, keep=lambda line: _indent(line) != col) for prev, key in itertools.pairwise(before)
    }
    first_block: list[str] = []  # the comment above the first key, which ruamel keeps with the mapping
    # (at the top of a file it is the file's header, the schema modeline, and stays at the top)
    if parent is not None and node.ca.comment and len(node.ca.comment) > 1 and node.ca.comment[1]:
        first_block = [" " * col + t.value.lstrip(" ") for t in node.ca.comment[1]]
        node.ca.comment[1] = []
        if parent is not None and parent_key in parent.ca.items:
            entry = parent.ca.items[parent_key]
            if len(entry) > 3:
                entry[3] = None
    blocks[before[0]] = first_block
    for name in wanted:
        node.move_to_end(name)
    for prev, key in itertools.pairwise(wanted):
        _put_lines(node, prev, blocks.get(key, []))
    if blocks.get(wanted[0]):
        from ruamel.yaml.error import CommentMark
        from ruamel.yaml.tokens import CommentToken

        tokens = [CommentToken(line.lstrip(" "), CommentMark(col), None) for line in blocks[wanted[0]]]
        node.ca.comment = [None, tokens]
        if parent is not None:
            entry = parent.ca.items.setdefault(parent_key, [None, None, None, None])
            while len(entry) < 4:
                entry.append(None)
            entry[3] = tokens
    _put_lines(node, wanted[-1], outer)


def _canonical(node: Any, tp: Any, key: str | int | None = None, parent: Any = None) -> None:
    from ruamel.yaml.comments import CommentedMap, CommentedSeq

    tp = _unwrap(tp)
    if isinstance(node, CommentedMap):
        node.fa.set_block_style()
        hints = typing.get_type_hints(tp, include_extras=True) if dataclasses.is_dataclass(tp) else {}
        if dataclasses.is_dataclass(tp):  # this level first, then the inside (which keeps what it holds)
            _reorder(node, [f.name for f in dataclasses.fields(tp)], parent, key)
        for name in list(node):
            _canonical(node[name], hints.get(name), name, node)
            # past ruamel's __setitem__, which would keep the old value's quotes
            OrderedDict.__setitem__(node, name, _yaml11_safe(node[name]))
    elif isinstance(node, CommentedSeq):
        inner = typing.get_args(tp)[0] if typing.get_origin(tp) is list else None
        if key in FLOW_KEYS and all(not isinstance(item, (dict, list)) for item in node):
            node.fa.set_flow_style()
        else:
            node.fa.set_block_style()
        for i, item in enumerate(node):
            _canonical(item, inner, i, node)
            list.__setitem__(node, i, _yaml11_safe(item))


# --- canonical text written directly ------------------------------------------------------------

# What may start a plain scalar, and what may never be in one, in kpsy's canonical form: anything
# else is left to ruamel.yaml (`direct_text` says it cannot write it).
_PLAIN_START_UNSAFE = frozenset("-?:,[]{}#&*!|>'\"%@` ")
_FLOW_UNSAFE = frozenset(",[]{}")
_LOOKS_TYPED = lazy_re(r"[-+0-9.:_eExXoObB]*|(?i:true|false|yes|no|on|off|y|n|null|~)")


def _plain_scalar(text: str, flow: bool = False) -> bool:
    """Whether ruamel.yaml writes `text` as a plain scalar, kpsy reads it back as that text (YAML
    1.1) and ruamel.yaml does too (1.2): decided conservatively, never wrongly."""
    if not text or text[0] in _PLAIN_START_UNSAFE or text != text.strip() or not text.isprintable():
        return False
    if ": " in text or " #" in text or text.endswith(":") or text.startswith("..."):
        return False
    if flow and any(c in _FLOW_UNSAFE for c in text):
        return False
    if text.isascii() and _LOOKS_TYPED().fullmatch(text):
        return False
    import yaml

    tag = yaml.resolver.Resolver().resolve(yaml.ScalarNode, text, (True, False))  # type: ignore[no-untyped-call]
    return bool(tag == "tag:yaml.org,2002:str")


def _scalar(value: Any, flow: bool = False) -> str | None:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if type(value) is dt.date:
        return value.isoformat()
    if isinstance(value, str) and _plain_scalar(value, flow):
        return value
    return None


class _Undecided(Exception):
    """A value `direct_text` leaves to ruamel.yaml."""


def _emit(value: Any, indent: int, out: list[str], key: str | None = None) -> None:
    """`value` (in block context, after "key:" or "- ") as canonical YAML lines into `out`."""
    pad = " " * indent
    if isinstance(value, dict):
        if not value:
            raise _Undecided
        for k, v in value.items():
            name = _scalar(k) if isinstance(k, str) else None
            if name is None:
                raise _Undecided
            _value(name, v, indent, out)
        return
    if not isinstance(value, list) or not value:
        raise _Undecided
    for item in value:
        if isinstance(item, dict) and item:
            lines: list[str] = []
            _emit(item, indent + 4, lines)
            out.append(f"{pad}  - {lines[0].lstrip(' ')}")
            out += lines[1:]
        else:
            text = _scalar(item)
            if text is None:
                raise _Undecided
            out.append(f"{pad}  - {text}")


def _value(name: str, value: Any, indent: int, out: list[str]) -> None:
    pad = " " * indent
    if isinstance(value, dict | list) and value:
        if name in FLOW_KEYS and isinstance(value, list) and not any(isinstance(v, dict | list) for v in value):
            items = [_scalar(v, flow=True) for v in value]
            if any(i is None for i in items):
                raise _Undecided
            out.append(f"{pad}{name}: [{', '.join(i for i in items if i is not None)}]")
            return
        out.append(f"{pad}{name}:")
        _emit(value, indent + 2 if isinstance(value, dict) else indent, out)
        return
    text = _scalar(value)
    if text is None:
        raise _Undecided
    out.append(f"{pad}{name}: {text}")


def direct_text(data: dict[str, Any]) -> str | None:
    """`data` (a record as plain data, its keys in the record's order) as the canonical YAML that
    ruamel.yaml would write, written directly (ruamel.yaml's emitter, in pure Python, took most of
    the time of a large import); None when some value is not one this writer decides (text on
    several lines, text YAML would read as another type, numbers with a point, empty blocks):
    then ruamel.yaml writes the file."""
    out: list[str] = []
    try:
        _emit(data, 0, out)
    except _Undecided:
        return None
    return "".join(line + "\n" for line in out)


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


@light
class FmtResult:
    changed: list[Path] = dataclasses.field(default_factory=list)
    diffs: list[str] = dataclasses.field(default_factory=list)
    problems: list[Problem] = dataclasses.field(default_factory=list)
    checked: int = 0


def known_files(root: Path) -> list[Path]:
    """Every plan file of a kind kpsy knows, in the plan folder and its subfolders."""
    snap = read_folder(root)
    return [root / relative for relative in sorted([*snap.files, *snap.unreadable])]


def _chosen(root: Path, named: list[Path], result: FmtResult) -> list[Path]:
    """The plan files to format: those named, every plan file inside a folder named, or all."""
    everything = known_files(root)
    if not named:
        return everything
    chosen: list[Path] = []
    for path in named:
        if path.is_dir():
            inside = [p for p in everything if p.resolve().is_relative_to(path.resolve())]
            if not inside:
                message = msg("no plan files in this folder", "此文件夹中没有计划文件")
                result.problems.append(FMT.problem(display_path(path), 0, 0, message))
            chosen += inside
        else:
            chosen.append(path)
    return list(dict.fromkeys(chosen))


def format_files(root: Path, files: list[Path], *, check: bool) -> FmtResult:
    """Format `files` (plan files, or folders of them; default: every plan file). With `check`,
    only say what would change. Read-only files are left alone, with a word."""
    result = FmtResult()
    for path in _chosen(root, files, result):
        name = display_path(path)
        try:
            kind = kind_of(path.resolve().relative_to(root.resolve()).as_posix())
        except ValueError:
            message = msg("not a file of the plan folder", "不是计划文件夹中的文件")
            result.problems.append(FMT.problem(name, 0, 0, message))
            continue
        if kind is None:
            result.problems.append(
                FMT.problem(name, 0, 0, msg("not a plan file kpsy knows", "不是 kpsy 认识的计划文件"))
            )
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
            message = msg(
                "formatting would change this file's data; it was left as it is (please report this)",
                "格式化会改变此文件的数据，已保持原样（请报告此问题）",
            )
            result.problems.append(FMT.problem(name, 0, 0, message))
            continue
        if formatted == text:
            continue
        result.changed.append(path)
        if check:
            diff = difflib.unified_diff(
                text.splitlines(keepends=True), formatted.splitlines(keepends=True), f"a/{name}", f"b/{name}"
            )
            result.diffs.append("".join(diff))
            continue
        try:
            write_atomic(path, formatted)
        except OutputError as exc:
            result.changed.remove(path)
            result.problems.append(FMT.problem(name, 0, 0, exc.message))
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


def rewrite_values(text: str, values: dict[DocPath, str]) -> str:
    """A plan file's text with the text values at `values`' paths replaced, through ruamel.yaml's
    round trip: comments, key order and each value's quoting style kept."""
    from ruamel.yaml.scalarstring import ScalarString

    yaml = _yaml()
    data = yaml.load(text)
    for path, value in values.items():
        node = data
        for step in path[:-1]:
            node = node[step]
        old = node[path[-1]]
        node[path[-1]] = type(old)(value) if isinstance(old, ScalarString) else value
    out = io.StringIO()
    yaml.dump(data, out)
    return out.getvalue()

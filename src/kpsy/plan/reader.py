"""Reading one plan file: bytes -> text -> YAML data with the line and column of every value.

YAML is parsed into events (libyaml's C parser when present) and composed here, so that every
value keeps its line and column, duplicate keys are caught (PyYAML would keep the last one
silently), and anchors, aliases and tags are refused before anything is expanded.
"""

from __future__ import annotations

import codecs
import functools
import re
from dataclasses import field
from pathlib import Path
from typing import Any

from kpsy.findings import Level, Problem, Rule, declare
from kpsy.i18n import msg
from kpsy.light import light
from kpsy.plan.files import ReadError, read_bytes
from kpsy.plan.model import DocPath

MAX_DEPTH = 40

ENCODING = declare(
    "encoding",
    Level.ERROR,
    "A plan file is UTF-8 (a BOM and CRLF line ends are fine; GBK, Big5 and UTF-16 are named as such) and holds"
    " no control characters, no noncharacters or lone surrogates (which no .docx or .xlsx can hold) and no"
    " invisible line breaks, however YAML spells them (\\e, \\0, \\u2028, \\uFFFF …).",
    "file",
)
SYNTAX = declare(
    "syntax",
    Level.ERROR,
    "A plan file is valid YAML: one document, text keys, no tabs in indentation, valid numbers and dates.",
    "yaml",
)
DUPLICATE_KEY = declare("duplicate-key", Level.ERROR, "No key appears twice in one mapping.", "yaml")
ANCHOR = declare("anchor", Level.ERROR, "No YAML anchors (&name): write values out.", "yaml")
ALIAS = declare("alias", Level.ERROR, "No YAML aliases (*name), refused before anything is expanded.", "yaml")
TAG = declare("tag", Level.ERROR, "No YAML tags (!!str, !custom): quote the value instead.", "yaml")
DEPTH = declare("depth", Level.ERROR, f"Nesting is at most {MAX_DEPTH} levels deep.", "yaml")


@light(hashable=True)
class Mark:
    line: int
    col: int


@light(hashable=True)
class Span:
    """Where a text value is written: from character `start` to `end` of the file's text, in YAML's
    `style` ("" plain, "'" or '"' quoted, "|" literal, ">" folded). `kpsy.plan.scalars` maps each
    character of the value back to the characters that write it."""

    start: int
    end: int
    style: str


_SUPPRESS = re.compile(r"#\s*kpsy:\s*ignore\[([a-z0-9,\s-]+)\]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x80-\x9f]")
# Characters no XML document (so no .docx or .xlsx) can hold, and Unicode's noncharacters: lone
# surrogates (YAML's "\ud800"), U+FFFE, U+FFFF and the rest of the noncharacters of every plane.
_UNWRITABLE = re.compile(
    "[\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff"
    + "".join(chr(plane << 16 | 0xFFFE) + chr(plane << 16 | 0xFFFF) for plane in range(1, 17))
    + "]"
)
# Line breaks YAML counts but an editor does not show: a lone CR, NEL, LINE and PARAGRAPH SEPARATOR.
_HIDDEN_BREAK = re.compile("[\r\x85\u2028\u2029]")


@light
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

    def problem(self, path: DocPath, rule: Rule, message: str, *, key: bool = False, **about: Any) -> Problem:
        """A finding of `rule` at the value (or key) at `path`."""
        m = self.mark(path, key=key)
        return rule.problem(self.file, m.line, m.col, message, **about)


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
        message = msg(
            "file is UTF-16 (it starts with a UTF-16 byte-order mark): save it as UTF-8",
            "文件是 UTF-16 编码（以 UTF-16 字节顺序标记开头）：请另存为 UTF-8",
        )
        return None, [ENCODING.problem(file, 1, 1, message)]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        guess = _guess_encoding(raw)
        head = raw[: exc.start]
        line = head.count(b"\n") + 1
        col = len(head[head.rfind(b"\n") + 1 :].decode("utf-8", "replace")) + 1
        message = msg(
            "file is not UTF-8 (byte 0x{byte:02X} cannot be decoded){looks}: save it as UTF-8",
            "文件不是 UTF-8 编码（字节 0x{byte:02X} 无法解码）{looks_zh}：请另存为 UTF-8",
            byte=raw[exc.start],
            looks=f"; it looks like {guess}" if guess else "",
            looks_zh=f"，看来是 {guess}" if guess else "",
        )
        return None, [ENCODING.problem(file, line, col, message)]
    text = text.replace("\r\n", "\n")
    problem = odd_character(text, file)
    return (None, [problem]) if problem else (text, [])


def describe_character(char: str) -> str:
    """U+2028 (LINE SEPARATOR)."""
    import unicodedata

    names = {
        "\r": "CARRIAGE RETURN",
        "\x85": "NEXT LINE",
        "\x00": "NULL",
        "\x07": "BELL",
        "\x08": "BACKSPACE",
        "\x0b": "LINE TABULATION",
        "\x0c": "FORM FEED",
        "\x1b": "ESCAPE",
        "\x7f": "DELETE",
    }
    if "\ud800" <= char <= "\udfff":
        return f"U+{ord(char):04X} (SURROGATE)"
    if unicodedata.category(char) == "Cn" and (ord(char) & 0xFFFE == 0xFFFE or 0xFDD0 <= ord(char) <= 0xFDEF):
        return f"U+{ord(char):04X} (NONCHARACTER)"
    return f"U+{ord(char):04X} ({names.get(char) or unicodedata.name(char, 'control character')})"


def odd_character(text: str, file: str, line: int = 0, col: int = 0) -> Problem | None:
    """A problem for the first control character or invisible line break in `text`, or None.
    `line` and `col` locate `text` in its file when it is a value, not the whole file."""
    bad = _HIDDEN_BREAK.search(text) or _CONTROL.search(text) or _UNWRITABLE.search(text)
    if bad is None:
        return None
    where_line, where_col = _line_col(text, bad.start())
    if line:
        where_line, where_col = line, col
    char = describe_character(bad.group())
    if _UNWRITABLE.match(bad.group()):
        message = msg(
            "{char} is a noncharacter (or a lone surrogate), which no document or workbook can hold: delete it",
            "{char} 是非字符（或孤立的代理码位），任何文档和表格都无法保存：请删除",
            char=char,
        )
    elif _HIDDEN_BREAK.match(bad.group()):
        message = msg(
            "invisible line break {char}: use an ordinary line break, or none",
            "不可见的换行符 {char}：请改用普通换行，或删去",
            char=char,
        )
    else:
        message = msg(
            "control character {char} is not allowed in a plan file",
            "计划文件中不允许出现控制字符 {char}",
            char=char,
        )
    return ENCODING.problem(file, where_line, where_col, message)


def read_text(path: Path, file: str) -> tuple[str | None, list[Problem]]:
    """The text of one plan file, read safely (see `kpsy.plan.files.read_bytes`), or why not."""
    try:
        raw = read_bytes(path)
    except ReadError as exc:
        return None, [exc.rule.problem(file, 0, 0, str(exc))]
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
    "tag:yaml.org,2002:int": ("integer", "整数"),
    "tag:yaml.org,2002:float": ("number", "数字"),
    "tag:yaml.org,2002:timestamp": ("date", "日期"),
    "tag:yaml.org,2002:bool": ("boolean", "布尔值"),
}


class _Discard:
    """A mapping entry whose key was refused: its value is read and dropped."""


_DISCARD = _Discard()
_NO_KEY = object()


def _mark(ev: Any) -> Mark:
    return Mark(ev.start_mark.line + 1, ev.start_mark.column + 1)


def parse(text: str, file: str, spans: dict[DocPath, Span] | None = None) -> tuple[YamlFile, list[Problem]]:
    """Compose YAML text into plain data with marks. Never raises on bad input. With `spans`, the
    span of every text value is recorded there (see `Span`)."""
    composer = _Composer(YamlFile(file), spans)
    composer.read_suppressions(text)
    yaml, loader, _, _ = _yaml()
    try:
        composer.compose(yaml, yaml.parse(text, Loader=loader))
    except _Stop:
        pass
    except yaml.MarkedYAMLError as exc:
        composer.problems.append(_syntax_problem(exc, text, file))
    except yaml.YAMLError as exc:  # reader errors carry no mark
        composer.problems.append(SYNTAX.problem(file, 0, 0, str(exc).splitlines()[0]))
    else:
        composer.doc.data = composer.root
    return composer.doc, composer.problems


class _Stop(Exception):
    """The file cannot be read further (too deep, a second document): what was read so far stands."""


class _Composer:
    """YAML events composed into plain data: each value placed in its container with its mark,
    keys checked (text, not repeated), anchors, aliases and tags refused."""

    def __init__(self, doc: YamlFile, spans: dict[DocPath, Span] | None) -> None:
        self.doc = doc
        self.spans = spans
        self.problems: list[Problem] = []
        # stack frames: [container, path, pending key (or _NO_KEY), keys seen {key: mark}]
        self.stack: list[list[Any]] = []
        self.root: Any = None
        self.documents = 0

    def report(self, mark: Mark, rule: Rule, message: str) -> None:
        self.problems.append(rule.problem(self.doc.file, mark.line, mark.col, message))

    def read_suppressions(self, text: str) -> None:
        """The rules each line's `# kpsy: ignore[rule, …]` comment turns off."""
        for number, line in enumerate(text.split("\n"), 1):
            if "kpsy" in line and (found := _SUPPRESS.search(line)):
                self.doc.suppressed[number] = frozenset(r.strip() for r in found.group(1).split(",") if r.strip())

    def compose(self, yaml: Any, events: Any) -> None:
        """Every event in turn; raises `_Stop` where reading must end."""
        for ev in events:
            kind = type(ev)
            if kind is yaml.ScalarEvent:
                self.scalar(ev)
            elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
                self.start(ev, {} if kind is yaml.MappingStartEvent else [])
            elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                self.stack.pop()
            elif kind is yaml.AliasEvent:
                self.alias(ev)
            elif kind is yaml.DocumentStartEvent:
                self.documents += 1
                if self.documents > 1:
                    self.report(_mark(ev), SYNTAX, "a plan file holds one YAML document; found a second one")
                    raise _Stop

    def scalar(self, ev: Any) -> None:
        self.refuse_anchor(ev)
        value = None if self.refuse_tag(ev) else _scalar(ev, self.report)
        mark = _mark(ev)
        if isinstance(value, str) and ev.style and (odd := odd_character(value, self.doc.file, mark.line, mark.col)):
            self.problems.append(odd)  # an escape in a quoted string ("\e", "\0", "\u2028")
        where = self.attach(value, mark)
        if self.spans is not None and where is not None and isinstance(value, str):
            self.spans[where] = Span(ev.start_mark.index, ev.end_mark.index, ev.style or "")

    def start(self, ev: Any, container: dict[str, Any] | list[Any]) -> None:
        """A mapping or list begins."""
        self.refuse_anchor(ev)
        self.refuse_tag(ev)
        if len(self.stack) >= MAX_DEPTH:
            self.report(_mark(ev), DEPTH, msg("nesting deeper than {n} levels", "嵌套超过 {n} 层", n=MAX_DEPTH))
            raise _Stop
        path = self.attach(container, _mark(ev))
        # a refused key's container is still read, under a path nothing looks up
        self.stack.append([container, ("<discarded>",) if path is None else path, _NO_KEY, {}])

    def alias(self, ev: Any) -> None:
        self.report(
            _mark(ev),
            ALIAS,
            msg(
                "aliases (*{a}) are not allowed in plan files; write the value out",
                "计划文件中不允许使用别名（*{a}）；请把值直接写出",
                a=getattr(ev, "anchor", ""),
            ),
        )
        self.attach(None, _mark(ev))

    def attach(self, value: Any, mark: Mark) -> DocPath | None:
        """Place `value` where the document is: the root, the next item of a list, a mapping's key
        or the value of its pending key. Its path, or None for a key or a dropped value."""
        values = self.doc.values
        if not self.stack:
            self.root = value
            values[()] = mark
            return ()
        frame = self.stack[-1]
        container, path = frame[0], frame[1]
        if isinstance(container, list):
            child = (*path, len(container))
            container.append(value)
            values[child] = mark
            return child
        if frame[2] is _NO_KEY:  # this value is a key
            self.key(frame, value, mark)
            return None
        key = frame[2]
        frame[2] = _NO_KEY
        if key is _DISCARD:
            return None
        child = (*path, key)
        container[key] = value
        values[child] = mark
        return child

    def key(self, frame: list[Any], value: Any, mark: Mark) -> None:
        """A mapping's key: text, and not one it already has (else its value is dropped)."""
        if not isinstance(value, str):
            kind = msg("a mapping", "映射") if isinstance(value, dict) else msg("a list", "列表")
            what = kind if isinstance(value, dict | list) else repr(value)
            self.report(mark, SYNTAX, msg("a key must be text, not {what}", "键必须是文字，而不是{what}", what=what))
            frame[2] = _DISCARD
        elif value in frame[3]:
            first = frame[3][value]
            self.report(
                mark,
                DUPLICATE_KEY,
                msg(
                    "duplicate key '{key}' (first defined at line {line})",
                    "键“{key}”重复（第一次出现在第 {line} 行）",
                    key=value,
                    line=first.line,
                ),
            )
            frame[2] = _DISCARD
        else:
            frame[3][value] = mark
            frame[2] = value
            key_path = (*frame[1], value)
            self.doc.keys[key_path] = mark

    def refuse_anchor(self, ev: Any) -> None:
        if getattr(ev, "anchor", None):
            self.report(
                _mark(ev),
                ANCHOR,
                msg(
                    "anchors (&{a}) are not allowed in plan files; write the value out",
                    "计划文件中不允许使用锚点（&{a}）；请把值直接写出",
                    a=ev.anchor,
                ),
            )

    def refuse_tag(self, ev: Any) -> bool:
        tag = getattr(ev, "tag", None)
        if tag and tag != "!":
            self.report(
                _mark(ev),
                TAG,
                msg(
                    "YAML tags ({tag}) are not allowed in plan files; quote the value instead",
                    "计划文件中不允许使用 YAML 标签（{tag}）；请改为给值加引号",
                    tag=tag,
                ),
            )
            return True
        return False


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
        en, zh = _TYPE_NAMES.get(tag, ("value", "值"))
        report(_mark(ev), SYNTAX, msg("'{v}' is not a valid {en}", "“{v}”不是有效的{zh}", v=ev.value, en=en, zh=zh))
        return None


def _syntax_problem(exc: Any, text: str, file: str) -> Problem:
    mark = exc.problem_mark or exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
    said = exc.problem or "invalid YAML"
    lines = text.split("\n")
    if mark and 0 <= mark.line < len(lines) and "\t" in lines[mark.line][: mark.column + 1]:
        message = msg(
            "tab character in indentation or before a value: YAML allows only spaces",
            "缩进或值前有制表符：YAML 只允许用空格",
        )
    else:
        started = exc.context_mark
        if started is not None and mark is not None and started.line != mark.line:
            where = msg(
                " (it began at line {l}, column {c})",
                "（始于第 {l} 行第 {c} 列）",
                l=started.line + 1,
                c=started.column + 1,
            )
        else:
            where = ""
        if exc.context and exc.context not in said:
            said = f"{said} ({exc.context})"
        message = msg("{said}{where}", "YAML 语法错误：{said}{where}", said=_in_chinese(said), where=where)
    return SYNTAX.problem(file, line, col, message)


# The parser's (PyYAML's and libyaml's) own words, and what a clerk reads for them.
_YAML_WORDS = (
    ("did not find expected ',' or ']'", "缺少“,”或“]”：方括号列表没有正确结束"),
    ("did not find expected ',' or '}'", "缺少“,”或“}”：花括号没有正确结束"),
    ("did not find expected key", "这里应当是一个键（键: 值），缩进或格式不对"),
    ("did not find expected '-' indicator", "这里应当是以“- ”开头的列表项，缩进或格式不对"),
    ("did not find expected node content", "这里缺少值"),
    ("mapping values are not allowed in this context", "这里不能出现“键: 值”：冒号后需加空格，或把含冒号的文字加引号"),
    ("mapping values are not allowed here", "这里不能出现“键: 值”：冒号后需加空格，或把含冒号的文字加引号"),
    ("block sequence entries are not allowed in this context", "这里不能出现“- ”列表项：检查缩进"),
    ("could not find expected ':'", "缺少冒号“:”"),
    ("found character that cannot start any token", "这个字符不能出现在这里（如 @、`、制表符）：把文字加引号"),
    ("found unexpected end of stream", "文件意外结束：引号或括号没有闭合"),
    ("found unexpected ':'", "冒号位置不对"),
    ("found undefined alias", "引用了未定义的锚点"),
    ("found unknown escape character", "引号中有无法识别的转义字符（\\）"),
    ("found invalid Unicode character escape code", "引号中的 Unicode 转义码无效（如孤立的代理码位 \\uD800）"),
    ("while parsing a quoted scalar", "在读取引号中的文字时"),
    ("found duplicate anchor", "锚点重复"),
    ("expected <document start>", "文件开头的格式不对"),
    ("while parsing a flow sequence", "在解析方括号列表时"),
    ("while parsing a flow mapping", "在解析花括号映射时"),
    ("while parsing a block mapping", "在解析映射时"),
    ("while parsing a block collection", "在解析列表时"),
    ("while parsing a block node", "在解析值时"),
    ("while parsing a flow node", "在解析值时"),
    ("while scanning a quoted scalar", "在读取引号中的文字时"),
    ("while scanning a simple key", "在读取键时"),
    ("while scanning for the next token", "在读取下一项时"),
    ("while scanning an alias", "在读取锚点引用时"),
    ("while scanning an anchor", "在读取锚点时"),
    ("while scanning a double-quoted scalar", "在读取双引号中的文字时"),
)


def _in_chinese(said: str) -> str:
    """The parser's words in Chinese when kpsy speaks Chinese and knows them (else as they are)."""
    from kpsy.i18n import language

    if language() != "zh":
        return said
    for english, chinese in _YAML_WORDS:
        said = said.replace(english, chinese)
    return said.replace(" (", "（").replace(")", "）") if said and not said.isascii() else said

"""The import report: what the document was read as, which of the genre's conventions were recognised
(「任务编号：Word 自动编号；责任分工：括号内牵头单位/配合单位」), counts of what became what, what was
left out on purpose (版记, 抄送, a web page's navigation), and what needs a person: every paragraph
that could not be placed and every statement of responsibility that could not be understood, with
where it is in the source and what it looked like."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from kpsy.i18n import both, msg
from kpsy.outputs.formats import Family, Format, Sink
from kpsy.util import dump_json


@dataclass
class Finding:
    """Something left for hand work: where, the words, and why."""

    where: str
    text: str
    why: str


@dataclass
class LeftOut:
    """Something left out on purpose: where, the words, and what it is (a convention's key and name)."""

    where: str
    text: str
    what: str
    name: str


@dataclass
class ImportResult:
    """What an import did. `written` is false when nothing was written (left-overs without --partial,
    or a result that does not validate)."""

    source: str
    out: str
    encoding: str
    counts: dict[str, int]
    unplaced: list[Finding]
    unparsed: list[Finding]
    recognised: list[str] = field(default_factory=list)  # keys of the conventions recognised
    left_out: list[LeftOut] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # findings of `kpsy validate` on the result
    notes: list[str] = field(default_factory=list)
    written: bool = False
    partial: bool = False

    @property
    def complete(self) -> bool:
        """Nothing left for hand work."""
        return not self.unplaced and not self.unparsed and not self.problems

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["complete"] = self.complete
        return data


COUNTED = (
    ("parts", "parts", "部分"),
    ("chapters", "chapters", "章节"),
    ("actions", "actions (chapters with responsibility)", "行动（有责任分工的章节）"),
    ("tasks", "tasks", "任务"),
    ("items", "sub-items", "子项"),
    ("responsibility", "responsibility lines in the text", "正文中的责任分工"),
    ("table rows", "items given units by the 分工表", "由分工表确定单位的条目"),
    ("units", "units", "单位"),
    ("basis", "basis documents", "依据文件"),
    ("targets", "targets", "目标"),
    ("milestones", "milestones", "进度节点"),
)


def conventions_lines(keys: list[str]) -> list[str]:
    """「任务编号：Word 自动编号、1．」, one line for each kind of convention recognised."""
    from kpsy.importer.conventions import ALL, KINDS

    lines = []
    for kind, (en, zh) in KINDS.items():
        if kind == "left-out":
            continue
        found = [ALL[k].name for k in keys if k in ALL and ALL[k].kind == kind]
        if found:
            lines.append(msg("{k}: {v}", "{k}：{v}", k=msg(en, zh), v=msg(", ", "、").join(found)))
    return lines


def _findings(result: ImportResult) -> list[str]:
    lines: list[str] = []
    if result.unplaced:
        lines.append(msg("not placed ({n}):", "未能归位的段落（{n}）：", n=len(result.unplaced)))
        lines += [
            "  " + msg("{w}: {t} ({why})", "{w}：{t}（{why}）", w=p.where, t=_cut(p.text), why=p.why)
            for p in result.unplaced
        ]
    if result.unparsed:
        lines.append(msg("responsibility not understood ({n}):", "未能解析的责任分工（{n}）：", n=len(result.unparsed)))
        lines += [
            "  " + msg("{w}: {t} ({why})", "{w}：{t}（{why}）", w=p.where, t=_cut(p.text), why=p.why)
            for p in result.unparsed
        ]
    if result.problems:
        lines.append(msg("the result does not validate:", "导入结果未通过检查："))
        lines += [f"  {p}" for p in result.problems]
    return lines


def _left_out_lines(left_out: list[LeftOut]) -> list[str]:
    """One line for each thing left out; page numbers and running heads, one line for them all."""
    lines = []
    furniture = [x for x in left_out if x.what == "page-furniture"]
    for x in left_out:
        if x.what != "page-furniture":
            lines.append("  " + msg("{w}: {t} ({n})", "{w}：{t}（{n}）", w=x.where, t=_cut(x.text), n=x.name))
    if len(furniture) > 2:
        first, last = furniture[0], furniture[-1]
        lines.append(
            "  "
            + msg(
                "{a} to {b}: {c} lines such as 「{t}」 ({n})",
                "{a}至{b}：「{t}」等 {c} 行（{n}）",
                a=first.where,
                b=last.where,
                c=len(furniture),
                t=first.text,
                n=first.name,
            )
        )
    else:
        lines += [
            "  " + msg("{w}: {t} ({n})", "{w}：{t}（{n}）", w=x.where, t=_cut(x.text), n=x.name) for x in furniture
        ]
    return lines


def _cut(text: str, width: int = 60) -> str:
    text = text.replace("\n", " ")
    return text if len(text) <= width else text[: width - 1] + "…"


def write_text(result: ImportResult, sink: Sink, **_: Any) -> None:
    lines = [msg("read {s} ({e})", "读取 {s}（{e}）", s=result.source, e=result.encoding)]
    for key, en, zh in COUNTED:
        lines.append("  " + msg("{what}: {n}", "{what}：{n}", what=msg(en, zh), n=result.counts.get(key, 0)))
    recognised = conventions_lines(result.recognised)
    if recognised:
        lines.append(msg("conventions recognised:", "识别的写法："))
        lines += ["  " + line for line in recognised]
    if result.left_out:
        lines.append(msg("left out on purpose ({n}):", "有意略去（{n}）：", n=len(result.left_out)))
        lines += _left_out_lines(result.left_out)
    found = _findings(result)
    if found:
        lines.append(msg("needs a person:", "需要人工处理："))
        lines += found
    lines += [msg("note: {n}", "说明：{n}", n=note) for note in result.notes]
    if not result.written:
        lines.append(
            msg(
                "wrote nothing: give --partial to write what could be imported",
                "未写入任何文件：加 --partial 可写入能导入的部分",
            )
        )
    elif result.complete:
        lines.append(msg("wrote {o}", "已写入 {o}", o=result.out))
    else:
        lines.append(
            msg("wrote {o}; what is listed above needs hand work", "已写入 {o}；以上所列需要手工处理", o=result.out)
        )
    sink.write("\n".join(lines) + "\n")


def write_json(result: ImportResult, sink: Sink, **_: Any) -> None:
    sink.write(dump_json(result.as_dict()))


IMPORT_FORMATS: Family[ImportResult] = Family(
    "import",
    Format("text", both("the report for a person", "供人阅读的导入报告"), write_text),
    Format(
        "json",
        both(
            'the report as data: {"source", "out", "encoding", "counts", "recognised", "left_out", "unplaced",'
            ' "unparsed", "problems", "written", …}',
            '导入报告的数据：{"source", "out", "encoding", "counts", "recognised", "left_out", "unplaced",'
            ' "unparsed", "problems", "written", …}',
        ),
        write_json,
    ),
)

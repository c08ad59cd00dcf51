"""Property: whatever sequence of edits made a revision, every row of the comparison table quotes the
old text exactly as it stood and the new text exactly as it stands, every changed item has its row,
renumbering is said once, counts agree, and the redline's pairs give back both documents."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kpsy import i18n
from kpsy.plan.model import Chapter, Responsibility, Task
from kpsy.plan.outline import PlanData, Source
from kpsy.plan.text import paragraphs
from kpsy.revisions.affected import for_unit
from kpsy.revisions.diff import compare
from kpsy.revisions.items import keyed_paragraphs
from kpsy.revisions.redline import align
from kpsy.revisions.report import render_md, render_plain
from kpsy.revisions.table import plain, rows_and_notes

from .conftest import PLAN

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "qingshan" / "plan"
WORDS = "科普教育青少年农民社区全国全省开展加强活动健康。，、"
EDITS = (
    "text",
    "insert",
    "delete",
    "move",
    "reorder",
    "paragraph",
    "responsibility",
    "notice",
    "chapter",
    "new-chapter",
    "drop-chapter",
)


def _load(folder: Path) -> PlanData:
    from kpsy.plan.load import load_plan

    loaded = load_plan(folder)
    assert loaded.plan is not None
    return loaded.plan


BASES = {"qingshan": _load(FIXTURE), "bundled": _load(PLAN)}


def _chapters(sources: dict[str, Source]) -> list[Chapter]:
    return [s.data for k, s in sources.items() if s.kind == "chapter"]


def _text(seed: int, words: str) -> str:
    core = "".join(WORDS[(seed // 7**i) % len(WORDS)] for i in range(1 + seed % 5)) + words
    return core.strip("。，、") or "新"


def _edit(sources: dict[str, Source], kind: str, seed: int, words: str, serial: int) -> None:
    """One edit of the plan's records, chosen by `seed`; records stay well-formed."""
    chapters = _chapters(sources)
    with_tasks = [c for c in chapters if c.tasks]
    if kind == "text" and with_tasks:
        task = with_tasks[seed % len(with_tasks)].tasks[seed // 3 % len(with_tasks[seed % len(with_tasks)].tasks)]
        if seed % 2:
            at = seed % (len(task.title) + 1)
            task.title = (task.title[:at] + _text(seed, words) + task.title[at:])[:40]
        else:
            body = task.body or ""
            at, cut = seed % (len(body) + 1), seed // 11 % 6
            task.body = (body[:at] + _text(seed, words) + body[at + cut :]).strip() or None
    elif kind == "insert" and chapters:
        chapter = chapters[seed % len(chapters)]
        new = Task(id=f"new-task-{serial}", title=_text(seed, words), body=_text(seed // 5, "。") + "。")
        chapter.tasks.insert(seed // 2 % (len(chapter.tasks) + 1), new)
    elif kind == "delete" and with_tasks:
        chapter = with_tasks[seed % len(with_tasks)]
        del chapter.tasks[seed // 3 % len(chapter.tasks)]
    elif kind == "move" and with_tasks and len(chapters) > 1:
        source = with_tasks[seed % len(with_tasks)]
        task = source.tasks.pop(seed // 3 % len(source.tasks))
        target = chapters[seed // 7 % len(chapters)]
        target.tasks.insert(seed // 13 % (len(target.tasks) + 1), task)
    elif kind == "reorder":
        long = [c for c in chapters if len(c.tasks) > 1]
        if long:
            chapter = long[seed % len(long)]
            i, j = seed // 3 % len(chapter.tasks), seed // 17 % len(chapter.tasks)
            chapter.tasks[i], chapter.tasks[j] = chapter.tasks[j], chapter.tasks[i]
    elif kind == "paragraph" and chapters:
        chapter = chapters[seed % len(chapters)]
        if chapter.paragraphs and seed % 2:
            del chapter.paragraphs[seed // 3 % len(chapter.paragraphs)]
        else:
            chapter.paragraphs.insert(seed // 3 % (len(chapter.paragraphs) + 1), _text(seed, words) + "。")
    elif kind == "responsibility":
        lines = [c.responsibility for c in chapters if c.responsibility is not None]
        units = [u.name for u in sources["units"].data.units]
        if lines:
            line = lines[seed % len(lines)]
            name = units[seed // 3 % len(units)]
            if name in line.participants:
                line.participants.remove(name)
                if seed % 2:
                    line.leads.append(name)
            elif name in line.leads and len(line.leads) > 1:
                line.leads.remove(name)
            elif name not in line.leads:
                line.participants.append(name)
    elif kind == "notice":
        notice = sources["document"].data.notice
        if notice is not None:
            notice.body[0] = _text(seed, words) + notice.body[0][seed % 5 :]
    elif kind == "new-chapter":
        parts = [s.data for s in sources.values() if s.kind == "part"]
        part = parts[seed % len(parts)]
        lead = sources["units"].data.units[seed // 3 % len(sources["units"].data.units)].name
        ident = f"new-chapter-{serial}"
        chapter = Chapter(
            id=ident,
            title=_text(seed, words),
            body=_text(seed // 5, "。") + "。",
            paragraphs=[_text(seed // 7, "。") + "。"] if seed % 2 else [],
            tasks=[Task(id=f"{ident}-task", title=_text(seed // 11, words))] if seed % 3 else [],
            responsibility=Responsibility(leads=[lead]) if part.assigns or seed % 2 else None,
        )
        sources[f"chapters/{ident}"] = Source("chapter", f"chapters/{ident}.yaml", chapter)
        part.chapters.insert(seed // 13 % (len(part.chapters) + 1), ident)
    elif kind == "drop-chapter":
        parts = [s.data for s in sources.values() if s.kind == "part" and s.data.chapters]
        if parts:
            part = parts[seed % len(parts)]
            ident = part.chapters.pop(seed // 3 % len(part.chapters))
            del sources[f"chapters/{ident}"]
    elif kind == "chapter":
        parts = [s.data for s in sources.values() if s.kind == "part" and s.data.chapters]
        if len(parts) > 1:
            source, target = parts[seed % len(parts)], parts[seed // 3 % len(parts)]
            moved = source.chapters.pop(seed // 5 % len(source.chapters))
            target.chapters.insert(seed // 7 % (len(target.chapters) + 1), moved)


def _revise(base: PlanData, edits: list[tuple[str, int, str]]) -> PlanData:
    sources = copy.deepcopy(base.sources)
    for serial, (kind, seed, words) in enumerate(edits):
        _edit(sources, kind, seed, words, serial)
    return PlanData(base.root, sources)


edit_lists = st.lists(
    st.tuples(st.sampled_from(EDITS), st.integers(0, 10**6), st.text(alphabet=WORDS, max_size=4)), max_size=6
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(base=st.sampled_from(sorted(BASES)), edits=edit_lists, language=st.sampled_from(["zh", "en"]))
def test_rows_quote_both_revisions_exactly(base: str, edits: list[tuple[str, int, str]], language: str) -> None:
    i18n.use(language)
    old = BASES[base]
    new = _revise(old, edits)
    result = compare(old, new, "OLD", "NEW")
    before, after = result.before, result.after
    # every paragraph of each document belongs to exactly one item
    for plan, found in ((old, before), (new, after)):
        words = [p for item in sorted(found.values(), key=lambda i: i.position) for p in item.paragraphs]
        assert words == [p.text for p in paragraphs(plan)]
    rows, _ = rows_and_notes(result)
    placeholders = {i18n.msg("(none)", "（无）"), i18n.msg("(deleted)", "（删除）")}
    for row in rows:
        was = "\n".join(before[k].text for k in row.keys if k in before)
        now = "\n".join(after[k].text for k in row.keys if k in after)
        assert plain(row.old) == was or (not was and plain(row.old) in placeholders)
        assert plain(row.new) == now or (not now and plain(row.new) in placeholders)
        assert row.notes and all(row.notes)
    # every item whose words changed, other than its number, has its row
    keys = {k for row in rows for k in row.keys}
    for key in {*before, *after}:
        was, now = before.get(key), after.get(key)
        gone_or_new = was is None or now is None
        if gone_or_new or was.title != now.title or (was.body != now.body and now.type != "responsibility"):  # type: ignore[union-attr]
            assert key in keys, key
    # numbers that moved on are said once, with what moved them, never as changes of their own
    shifted = [k for c in result.changes for run in c.shifts for k in run["ids"]]
    assert len(shifted) == len(set(shifted))
    subjects = {c.subject for c in result.changes if c.kind in ("added", "removed", "moved", "reordered")}
    assert not subjects & set(shifted)
    # the counts agree: one line of the text and of the revision note for each change
    text_lines = [line for line in render_plain(result).splitlines() if line[:3] in ("  +", "  -", "  ~")]
    note_lines = [line for line in render_md(result).splitlines() if line.startswith("- ")]
    assert len(text_lines) == len(note_lines) == result.count == len(result.as_dict()["changes"])
    assert all(c.statement for c in result.changes)
    # one unit's view: a part of the changes, each with its sentence
    unit = next(iter(new.units))
    mine = for_unit(result, unit)
    assert mine.count <= result.count and all(c.statement for c in mine.changes)
    # the redline's pairs give back each document, paragraph for paragraph
    pairs = align(keyed_paragraphs(old), keyed_paragraphs(new))
    assert [a.text for a, _ in pairs if a is not None] == [p.text for p in paragraphs(old)]
    assert [b.text for _, b in pairs if b is not None] == [p.text for p in paragraphs(new)]


def test_the_edits_do_change_the_plan() -> None:
    """The property above is not vacuous: the edits it draws make changes of every kind it checks."""
    old = BASES["bundled"]
    edits: list[tuple[str, int, str]] = [(kind, 12345 + i * 7919, "全省") for i, kind in enumerate(EDITS)]
    result = compare(old, _revise(old, edits), "OLD", "NEW")
    kinds: set[Any] = {c.kind for c in result.changes}
    assert {"added", "removed", "moved", "text"} <= kinds
    assert rows_and_notes(result)[0]

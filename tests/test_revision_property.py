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
from kpsy.plan.model import OVERSIGHT_KINDS, Chapter, Responsibility, Task
from kpsy.plan.outline import PlanData, Source
from kpsy.plan.text import paragraphs
from kpsy.revisions.affected import for_unit
from kpsy.revisions.diff import compare
from kpsy.revisions.items import keyed_paragraphs
from kpsy.revisions.redline import _segments, align
from kpsy.revisions.report import render_md, render_plain
from kpsy.revisions.table import plain, rows_and_notes
from kpsy.revisions.tokens import boundaries

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
    "merge",
    "split",
    "rename",
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
    elif kind == "merge" and with_tasks:
        chapter = with_tasks[seed % len(with_tasks)]
        if len(chapter.tasks) > 1:
            i = seed // 3 % (len(chapter.tasks) - 1)
            gone = chapter.tasks.pop(i + 1)
            kept = chapter.tasks[i]
            kept.body = ((kept.body or "") + (gone.body or "")) or None
    elif kind == "split" and with_tasks:
        chapter = with_tasks[seed % len(with_tasks)]
        i = seed // 3 % len(chapter.tasks)
        task = chapter.tasks[i]
        body = task.body or ""
        if len(body) > 20:
            cut = len(body) // 2
            task.body = body[:cut]
            chapter.tasks.insert(i + 1, Task(id=f"part-{serial}", title=_text(seed, words), body=body[cut:]))
    elif kind == "rename":
        units = sources["units"].data.units
        unit = units[seed % len(units)]
        new_name = unit.name + _text(seed, words)[:2] + "局"
        for source in sources.values():
            if source.kind == "chapter":
                for line in [source.data.responsibility, *(t.responsibility for t in source.data.tasks)]:
                    if line is not None:
                        line.leads[:] = [new_name if n == unit.name else n for n in line.leads]
                        line.participants[:] = [new_name if n == unit.name else n for n in line.participants]
        unit.name = new_name
        if seed % 2:
            unit.id = f"renamed-{serial}"
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


def _letter_changed(old: PlanData, new: PlanData, unit_id: str, renamed: dict[str, str]) -> bool:
    """Whether the unit's task letter reads differently, rendered straight from each plan."""
    import datetime as dt

    from kpsy.documents.context import context
    from kpsy.documents.templates import render_markdown
    from kpsy.queries.tasks import tasks

    back = {b: a for a, b in renamed.items()}
    texts = []
    for plan, ident in ((old, back.get(unit_id, unit_id)), (new, unit_id)):
        unit = plan.units.by_id.get(ident)
        has = unit is not None and bool(tasks(plan, unit))
        texts.append(render_markdown("letter", context(plan, [], unit, date=dt.date(2026, 1, 1))) if has else None)
    return texts[0] != texts[1]


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
    rows, notes = rows_and_notes(result)
    placeholders = {i18n.msg("(none)", "（无）"), i18n.msg("(deleted)", "（删除）")}
    for row in rows:
        was = "\n".join(before[k].text for k in row.old_keys)
        now = "\n".join(after[k].text for k in row.new_keys)
        assert plain(row.old) == was or (not was and plain(row.old) in placeholders)
        assert plain(row.new) == now or (not now and plain(row.new) in placeholders)
        assert row.notes and all(row.notes)
        for side, text in ((row.old, was), (row.new, now)):  # marked word by word, never inside a word
            cuts, at = boundaries(text, result.terms), 0
            for runs in side if text else []:
                for piece, style in runs:
                    assert not style or (at in cuts and at + len(piece) in cuts), (piece, text)
                    at += len(piece)
                at += 1
    # one change, one report: each change said once in the table (a rename on each line it changes)
    said = [n for row in rows for n in row.notes] + notes
    renames = {c.statement for c in result.changes if c.kind == "unit-renamed"}
    assert sorted(set(said)) == sorted({c.statement for c in result.changes})
    assert all(said.count(n) == 1 for n in said if n not in renames)
    assert len({(c.kind, c.subject, c.field, c.unit) for c in result.changes}) == result.count
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
    # one unit's view: non-empty exactly when its letter reads differently, and then every change in
    # it is one of the diff's, each with its sentence
    units = [u for u in new.units if u.kind not in OVERSIGHT_KINDS]
    unit = units[sum(seed for _, seed, _ in edits) % len(units)]
    mine = for_unit(result, unit)
    assert mine.count <= result.count and all(c.statement for c in mine.changes)
    assert (mine.count > 0) == _letter_changed(old, new, unit.id, result.renamed)
    assert all(c.kind != "letter" for c in mine.changes)
    # the redline's pairs give back each document, paragraph for paragraph, and within each pair
    # rejecting every change gives the old words and accepting every change the new
    pairs = align(keyed_paragraphs(old), keyed_paragraphs(new))
    assert [a.text for a, _ in pairs if a is not None] == [p.text for p in paragraphs(old)]
    assert [b.text for _, b in pairs if b is not None] == [p.text for p in paragraphs(new)]
    for a, b in pairs:
        if a is not None and b is not None:
            segments = _segments(a, b, result.terms, result.same)
            assert "".join(t for op, t, _ in segments if op <= 0) == a.text
            assert "".join(t for op, t, _ in segments if op >= 0) == b.text


def test_the_edits_do_change_the_plan() -> None:
    """The property above is not vacuous: the edits it draws make changes of every kind it checks."""
    old = BASES["bundled"]
    edits: list[tuple[str, int, str]] = [(kind, 12345 + i * 7919, "全省") for i, kind in enumerate(EDITS)]
    result = compare(old, _revise(old, edits), "OLD", "NEW")
    kinds: set[Any] = {c.kind for c in result.changes}
    assert {"added", "removed", "moved", "text"} <= kinds
    merged = compare(old, _revise(old, [("merge", 4, "")]), "OLD", "NEW")
    assert [c.kind for c in merged.changes] == ["merged"]
    split = compare(old, _revise(old, [("split", 4, "")]), "OLD", "NEW")
    assert [c.kind for c in split.changes] == ["split"]
    renamed = compare(old, _revise(old, [("rename", 7, "")]), "OLD", "NEW")
    assert [c.kind for c in renamed.changes] == ["unit-renamed"]
    assert rows_and_notes(result)[0]

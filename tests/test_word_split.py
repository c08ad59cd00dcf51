"""Many documents through one pandoc run: the one-pass split gives each document exactly what
converting the combined document and cutting it apart one document at a time gives (the way kpsy
split documents before it parsed the combined one only once), part by part of the .docx."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from typing import Any

import pytest

from kpsy.api import open_plan
from kpsy.documents import unit_words, word
from kpsy.documents.context import document_context, plan_context
from kpsy.documents.pandoc import pandoc
from kpsy.documents.tables import Keep
from kpsy.documents.templates import reference_docx, render_markdown
from kpsy.documents.word import MARKER_STYLE, finish, joined, split_all, to_docx, track_changes
from kpsy.queries.tasks import tasks

from .conftest import PLAN

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def cut(combined: bytes, index: int) -> Any:
    """The `index`-th document of a combined .docx, read from the whole of it, everything else removed."""
    import docx

    doc = docx.Document(io.BytesIO(combined))
    body = doc.element.body
    children = [c for c in body.iterchildren() if c.tag != W + "sectPr"]

    def marker(p: Any) -> bool:
        style = p.find(f"{W}pPr/{W}pStyle")
        return p.tag == W + "p" and style is not None and style.get(W + "val") in ("KpsyMarker", MARKER_STYLE)

    starts = [i for i, c in enumerate(children) if marker(c)]
    end = starts[index + 1] if index + 1 < len(starts) else len(children)
    for i, element in enumerate(children):
        if not starts[index] < i < end:
            body.remove(element)
    return doc


def parts(docx_bytes: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(docx_bytes)) as z:
        return {name: z.read(name) for name in z.namelist()}


def letters(count: int) -> tuple[list[str], frozenset[str]]:
    plan = open_plan(PLAN).data
    shared = plan_context(plan, date=dt.date(2023, 4, 20))
    chosen = [u for u in plan.units if tasks(plan, u)][:count]
    mds = [
        render_markdown("letter", document_context(plan, shared, u, document="letter", offset=i))
        for i, u in enumerate(chosen)
    ]
    return mds, unit_words([plan])


def test_one_pass_split_gives_every_letter_what_cutting_it_alone_gives(monkeypatch: pytest.MonkeyPatch) -> None:
    mds, words = letters(6)
    converted: list[bytes] = []  # each batch's combined .docx, as pandoc made it

    class Recorded:
        def __init__(self, markdown: str, reference: Any) -> None:
            converted.append(pandoc(markdown, reference))

        def result(self) -> bytes:
            return converted[-1]

        def __enter__(self) -> Recorded:
            return self

        def __exit__(self, *exc: object) -> None:
            pass

    monkeypatch.setattr(word, "start", Recorded)
    monkeypatch.setattr(word, "batches", lambda markdowns: [markdowns])
    made = to_docx(mds, keep=words)
    (combined,) = converted
    assert len(made) == len(mds)
    for i, docx_bytes in enumerate(made):
        new = parts(docx_bytes)
        old = parts(finish(cut(combined, i), keep=Keep(words)))
        assert new.keys() == old.keys()
        for name in old:
            assert new[name] == old[name], (i, name)
    assert len({parts(d)["word/document.xml"] for d in made}) == len(mds)
    body = next(split_all(combined)).element.body
    assert not any(p.find(f"{W}pPr/{W}pStyle[@{W}val='KpsyMarker']") is not None for p in body)


def test_tracked_changes_and_a_single_document_split_alike() -> None:
    md = '::: {custom-style="Body Text"}\n[旧的]{.deletion}[新的]{.insertion}文字\n:::\n'
    combined = pandoc(joined([md, md]), reference_docx())
    for i, doc in enumerate(split_all(combined)):
        alone = cut(combined, i)
        for d in (doc, alone):
            track_changes(d, "kpsy", "2024-01-01T00:00:00Z")
        assert parts(finish(doc)) == parts(finish(alone))
    (only,) = to_docx(["# 标题\n\n正文。\n"])
    text = "".join(t.text or "" for t in parts_tree(only).iter(W + "t"))
    assert text == "标题正文。"


def parts_tree(docx_bytes: bytes) -> Any:
    from lxml import etree

    return etree.fromstring(parts(docx_bytes)["word/document.xml"])


def test_letters_in_batches_are_the_letters_made_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Two pandoc runs side by side give each letter what one run gives, part for part; only the
    ids and names of pandoc's heading bookmarks, which count through a run, differ."""
    import re

    mds, words = letters(6)
    monkeypatch.setattr(word, "batches", lambda markdowns: [markdowns])
    once = to_docx(mds, keep=words)
    monkeypatch.setattr(word, "batches", lambda markdowns: [markdowns[:2], markdowns[2:]])
    batched = to_docx(mds, keep=words)
    unmarked = re.compile(rb"<w:bookmark(?:Start|End)[^>]*/>")
    for a, b in zip(once, batched, strict=True):
        old, new = parts(a), parts(b)
        assert old.keys() == new.keys()
        for name in old.keys() - {"docProps/core.xml"}:  # core.xml: the time pandoc made it
            assert unmarked.sub(b"", old[name]) == unmarked.sub(b"", new[name]), name

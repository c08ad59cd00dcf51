"""The redline (修订稿): the whole document with Word tracked changes. Read from its XML as Word reads
it, accepting every change gives NEW's text and rejecting every change gives OLD's, paragraph for
paragraph; and LibreOffice shows the changes in colour on the page."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from lxml import etree

from kpsy import api
from kpsy.plan.text import paragraphs

from .conftest import external, office, run, tool
from .test_revisions import P, delete_task, edit, insert_task, move_task, repo  # noqa: F401  (repo is a fixture)

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def body(path: Path | str) -> etree._Element:
    with zipfile.ZipFile(path) as z:
        return etree.fromstring(z.read("word/document.xml")).find(W + "body")


def read_as_word(path: Path | str, *, accept: bool) -> list[str]:
    """The document's paragraphs after accepting (or rejecting) every tracked change: inserted words
    kept (or dropped), deleted words dropped (or kept), and a paragraph whose mark is deleted (or
    inserted) run on into the next one, as Word does."""
    out: list[str] = []
    pending = ""
    gone = "del" if accept else "ins"
    for p in body(path).iter(W + "p"):
        text = ""
        for node in p.iter(W + "t", W + "delText", W + "tab"):
            if any(a.tag == W + gone for a in node.iterancestors()):
                continue
            text += " " if node.tag == W + "tab" else node.text or ""
        mark = p.find(f"{W}pPr/{W}rPr")
        pending += text
        if mark is not None and mark.find(W + gone) is not None:
            continue  # this paragraph's mark is gone: it runs on into the next
        out.append(pending)
        pending = ""
    if pending:
        out.append(pending)
    return [re.sub(r"\s+", " ", t).strip() for t in out if t.strip()]


def document_text(plan: object) -> list[str]:
    return [re.sub(r"\s+", " ", p.text).strip() for p in paragraphs(plan)]  # type: ignore[arg-type]


def revise() -> None:
    """A revision with every kind of change: tasks added, removed, moved and reordered, words, a
    title, responsibility, a new chapter of two paragraphs, the notice and the 版记's dates."""
    insert_task(
        "youth", "youth-higher-education", "youth-digital", "实施数字科普进校园行动", "推动数字科普资源进校园。"
    )
    move_task("info-smart", "informatization", "infrastructure")
    delete_task("elderly", "elderly-health")
    edit(
        P / "chapters/farmers.yaml",
        "发动农民参与全国农民科学素质网络知识竞赛",
        "发动农民参与全省农民科学素质网络知识竞赛",
    )
    edit(P / "chapters/cadres.yaml", "title: 加强科学素质教育培训", "title: 强化科学素质教育和培训")
    edit(P / "chapters/workers.yaml", "    - 区妇联\n", "")
    (P / "chapters/evaluation.yaml").write_text(
        "id: evaluation\ntitle: 监测评估\nparagraphs:\n- 开展监测评估。\n- 评估结果向社会公开。\n", encoding="utf-8"
    )
    edit(P / "parts/implementation.yaml", "  - schedule", "  - evaluation\n  - schedule")
    edit(P / "document.yaml", "  date: 2023-04-06\nplan:", "  date: 2024-05-20\nplan:")
    edit(
        P / "document.yaml",
        "imprint:\n  issuer: 雁峰区人民政府办公室\n  date: 2023-04-06",
        "imprint:\n  issuer: 雁峰区人民政府办公室\n  date: 2024-05-21",
    )
    text = (P / "chapters/youth.yaml").read_text(encoding="utf-8")
    a, b = text.index("  - id: youth-talent\n"), text.index("  - id: youth-rural\n")
    talent, rest = text[a:b], text[:a] + text[b:]
    rest = rest.replace("  - id: youth-basic-education\n", talent + "  - id: youth-basic-education\n", 1)
    (P / "chapters/youth.yaml").write_text(rest, encoding="utf-8")


def test_accepting_gives_new_and_rejecting_gives_old(repo: Path) -> None:  # noqa: F811
    revise()
    result = run("--lang", "zh", "diff", "HEAD", "-f", "redline", "-o", "修订稿.docx", "--author", "县科协")
    assert result.exit_code == 0, result.output
    compared = api.diff("plan", "HEAD")
    assert read_as_word("修订稿.docx", accept=True) == document_text(compared.new_plan)
    assert read_as_word("修订稿.docx", accept=False) == document_text(compared.old_plan)
    root = body("修订稿.docx")
    changes = list(root.iter(W + "ins", W + "del"))
    assert len([c for c in changes if c.getparent().tag == W + "p"]) > 10
    assert all(
        c.get(W + "author") == "县科协" and re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", c.get(W + "date"))
        for c in changes
    )
    ids = [c.get(W + "id") for c in changes]
    assert len(ids) == len(set(ids))
    with zipfile.ZipFile("修订稿.docx") as z:
        assert b"<w:trackRevisions/>" in z.read("word/settings.xml")
        styles = z.read("word/styles.xml").decode("utf-8")
    assert "仿宋_GB2312" in styles  # the GB/T 9704 layout


def test_a_commit_s_changes_are_dated_by_the_commit(repo: Path) -> None:  # noqa: F811
    edit(P / "chapters/youth.yaml", "积极探索适应不同年龄段青少年", "积极探索适合不同年龄青少年")
    from .test_diff import commit, git

    commit(repo, "revise")
    day = git(repo, "show", "-s", "--format=%cs", "HEAD").strip()
    assert run("diff", "HEAD~1", "HEAD", "-f", "redline", "-o", "r.docx").exit_code == 0
    dates = {c.get(W + "date") for c in body("r.docx").iter(W + "ins", W + "del")}
    assert len(dates) == 1 and dates.pop().startswith(day)
    authors = {c.get(W + "author") for c in body("r.docx").iter(W + "ins", W + "del")}
    assert authors == {"区全民科学素质纲要实施工作办公室"}  # the letters' sender in settings.yaml


def test_no_changes_no_tracked_changes(repo: Path) -> None:  # noqa: F811
    assert run("diff", "HEAD", "-f", "redline", "-o", "same.docx").exit_code == 0
    assert not list(body("same.docx").iter(W + "ins", W + "del"))
    assert read_as_word("same.docx", accept=True) == read_as_word("same.docx", accept=False)
    assert run("diff", "HEAD", "-f", "redline").exit_code == 2  # a file, named with -o


def _coloured(pdf: str, page: int, out: str) -> int:
    """Pixels of a page (rendered at 60 dpi) that are neither black, white nor grey."""
    external(tool("pdftoppm"), "-r", "60", "-f", str(page), "-l", str(page), pdf, out)
    images = sorted(Path(".").glob(f"{out}*.ppm"))
    assert images, f"pdftoppm made no image of page {page} of {pdf}: is poppler-utils installed?"
    _, size, _, pixels = images[0].read_bytes().split(b"\n", 3)
    width, height = map(int, size.split())
    return sum(1 for i in range(0, width * height * 3, 3) if max(pixels[i : i + 3]) - min(pixels[i : i + 3]) > 80)


def _page_with(pdf: str, words: str) -> int:
    """The first page of `pdf` whose text holds `words`."""
    info = external(tool("pdfinfo"), pdf, text=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))  # type: ignore[union-attr]
    for n in range(1, pages + 1):
        text = external(tool("pdftotext"), "-f", str(n), "-l", str(n), pdf, "-", text=True).stdout
        if words in re.sub(r"\s", "", text):
            return n
    raise AssertionError(f"no page of {pdf} ({pages} pages) shows {words}")


def test_libreoffice_shows_the_changes_in_colour(repo: Path, tmp_path: Path) -> None:  # noqa: F811
    soffice = office(".docx")
    assert run("--lang", "zh", "diff", "HEAD", "-f", "redline", "-o", "same.docx").exit_code == 0
    revise()
    assert run("--lang", "zh", "diff", "HEAD", "-f", "redline", "-o", "修订稿.docx").exit_code == 0
    for name in ("same.docx", "修订稿.docx"):
        profile = f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}"
        pdf = Path(name).with_suffix(".pdf")
        external(soffice, "--headless", profile, "--convert-to", "pdf", name, produces=pdf, starts=b"%PDF")
    page = _page_with("修订稿.pdf", "农民科学素质网络知识竞赛")
    same = _page_with("same.pdf", "农民科学素质网络知识竞赛")
    assert _coloured("same.pdf", same, "same") == 0  # black on white: nothing tracked
    assert _coloured("修订稿.pdf", page, "page") > 40, "the page shows no tracked change in colour"

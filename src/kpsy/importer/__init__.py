"""`kpsy import`: another place's 实施方案 turned into a plan folder.

    result = import_plan(Path("方案.docx"), Path("plan"))

reads the document in whatever form it was published (`read`: .docx with Word's numbering written
out, .doc/.wps/.odt through LibreOffice, a PDF's text layer, a web page's article, text in any
common encoding), finds its shape (`front`, `outline`: the notice, title, preamble, numbered
outline, statements of responsibility, by the genre's conventions in `conventions`), builds the
plan's records (`build`: units, ids, targets, schedule, a 分工表 merged onto the tasks or actions it
names), writes them into a temporary sibling of the output folder in canonical form (`write`),
checks the result with kpsy's own rules, and only then puts the folder in place. The report
(`report`) says which conventions were recognised, what was left out on purpose, and what needs a
person.
"""

from __future__ import annotations

from kpsy.importer.report import ImportResult
from kpsy.importer.run import import_plan

__all__ = ["ImportResult", "import_plan"]

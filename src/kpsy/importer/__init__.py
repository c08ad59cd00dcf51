"""`kpsy import`: another place's 实施方案 (text or .docx) turned into a plan folder.

    result = import_plan(Path("方案.docx"), Path("plan"))

reads the document (`read`), finds its shape (`outline`: the notice, title, preamble, numbered
outline, statements of responsibility), builds the plan's records (`build`: units, ids, targets,
schedule, a 任务分工方案 table merged onto the tasks), writes them into a temporary sibling of the
output folder in canonical form (`write`), checks the result with kpsy's own rules, and only then
puts the folder in place. What could not be placed or understood is in the report.
"""

from __future__ import annotations

from kpsy.importer.report import ImportResult, import_plan

__all__ = ["ImportResult", "import_plan"]

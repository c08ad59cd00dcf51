"""Revisions: what changed between two revisions of the plan, as the office reads it.

`change` is the data (a `Change`, a `DiffResult`); `items` cuts the document (the words of
`kpsy.plan.text`) into items; `tokens` cuts words so that a diff never cuts inside one; `lineage`
finds units renamed and items merged or split (or reads them from the revision record); `diff`
compares two plans item by item, matched by id; `words` says each change in the office's words;
`table` makes the rows of the comparison table (修改对照表); `redline` the whole document with Word
tracked changes (修订稿); `affected` renders every unit's letter from both revisions and answers who
is affected, and what one unit's view holds; `naming` names revisions as the office does; `git`
reads revisions from git and sets up `git diff`; `report` is the registry of formats (`DIFF_FORMATS`,
and `AFFECTED_FORMATS` for --affected). Both revisions are loaded by `kpsy.api`, through the cache like any
other plan.
"""

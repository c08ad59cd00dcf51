"""Revisions: what changed between two revisions of the plan, as the office reads it.

`items` cuts the document (the words of `kpsy.plan.text`) into items; `diff` compares two plans item
by item, matched by id, and gives one unit's view; `words` says each change in the office's words;
`table` makes the rows of the comparison table (修改对照表); `redline` the whole document with Word
tracked changes (修订稿); `affected` compares every unit's letter; `git` reads revisions from git and
sets up `git diff`; `report` is the registry of formats (`FORMATS`, and `AFFECTED` for --affected).
Both revisions are loaded by `kpsy.api`, through the cache like any other plan.
"""

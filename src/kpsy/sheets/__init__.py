"""Fill-in workbooks for progress reports, and reading them back: `write` makes a unit's sheet,
`read` checks a filled one cell by cell, `importer` turns filled sheets into progress reports in the
plan folder. `layout` is what both sides agree on: sheet names, cells and columns.
"""

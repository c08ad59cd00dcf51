"""How results look. Every family of output has one registry of formats, a `Family` of `Format`s
named `<FAMILY>_FORMATS` beside the reporters that write them (`tests/test_architecture.py` holds
every family to that name):

- here: `findings.FINDINGS_FORMATS` and `findings.PROOF_FORMATS`, `listing.LISTING_FORMATS`,
  `views.SHOW_FORMATS`, `lookup.PROFILE_FORMATS`, `progress.PROGRESS_FORMATS`;
- beside their own reporters: `kpsy.revisions.report.DIFF_FORMATS` and `AFFECTED_FORMATS`,
  `kpsy.documents.DOCUMENT_FORMATS`, `kpsy.importer.report.IMPORT_FORMATS`.

`formats` holds `Family`, `Format` and `Sink` (where output goes: a file, standard output that is a
terminal or not, memory; the terminal-or-plain decision made once), and the rule by which `-o
FILE`'s ending chooses the format; `views` and `lookup` turn query results into listings.
"""

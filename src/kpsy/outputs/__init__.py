"""How results look: one registry of formats for each family of output (findings, listings, show),
the terminal-or-plain decision made once (`Sink`), and the views that turn query results into listings.

Revisions and documents keep their format registries beside their reporters
(`kpsy.revisions.report.FORMATS`, `kpsy.documents.render.FORMATS`), built from the same `Format`.
"""

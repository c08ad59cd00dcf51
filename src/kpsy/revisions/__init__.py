"""Revisions: what changed in meaning between two revisions of the plan (`diff`), and how it reads
(`report`, with its registry of formats)."""

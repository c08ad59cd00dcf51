"""Proofreading: what the 文电科 would mark in the plan's text before it is issued.

`proofread(plan, snapshot)` runs every proofreading rule over every text of the plan (see
`kpsy.checks.proof.texts`) and locates each finding at the line and column of the offending
character in its YAML file, however the value is quoted or folded there. Each finding names its
rule, the clause of the standard it applies, the text found and the text suggested; a safe change
(an unambiguous one) is what `kpsy.checks.proof.fix` writes with `kpsy proof --fix`.

The rules are registered in `kpsy.findings.RULES` with the stage "proof", once this package is
imported: punctuation (GB/T 15834-2011), numbers and time ranges (GB/T 15835-2011), 发文字号 (GB/T
9704-2012), typing slips, and cited documents (a registry of the documents plans of this genre cite).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from kpsy.checks.proof import citations, numbers, punctuation, slips  # noqa: F401  (they register the rules)
from kpsy.checks.proof.base import Hit, protected
from kpsy.checks.proof.texts import COPY, Field, collect
from kpsy.findings import RULES, CheckResult, Edit, Problem, Rule
from kpsy.light import light
from kpsy.plan.files import Snapshot
from kpsy.plan.kinds import key_of
from kpsy.plan.outline import PlanData
from kpsy.plan.reader import Span, YamlFile, decode, parse
from kpsy.plan.scalars import Char, LineIndex, source_of

__all__ = ["Finding", "Proofreading", "proof_rules", "proofread", "run_rules"]


_STANDARDS = ("GB/T 15834", "GB/T 15835", "GB/T 9704")


def _standard(rule: Rule) -> int:
    return next((i for i, name in enumerate(_STANDARDS) if rule.clause.startswith(name)), len(_STANDARDS))


def proof_rules() -> list[Rule]:
    """The proofreading rules: punctuation, numbers, 发文字号, then the rules no standard states."""
    return sorted((r for r in RULES.values() if r.stage == "proof"), key=_standard)


@light
class Finding:
    """What one rule found in one text, and the problem that reports it at its place."""

    rule: Rule
    field: Field
    hit: Hit
    problem: Problem


@light
class Proofreading:
    """Every finding about the texts of one plan (those a `# kpsy: ignore[rule]` comment silences
    left out), and the texts that were read."""

    root: Path
    fields: list[Field]
    findings: list[Finding]

    def result(self) -> CheckResult:
        """The findings as problems for the findings formats: every one fails (`strict`)."""
        problems = sorted((f.problem for f in self.findings), key=Problem.sort_key)
        return CheckResult(self.root, problems, [], strict=True)


def run_rules(texts: list[str]) -> Iterator[tuple[Rule, int, Hit]]:
    """(rule, index of the text, hit) for every finding of every proofreading rule in `texts`,
    outside web and e-mail addresses."""
    guarded = {i: spans for i, text in enumerate(texts) if (spans := protected(text))}
    for rule in proof_rules():
        assert rule.check is not None
        for i, hit in rule.check(texts):
            if not any(a <= hit.point < b for a, b in guarded.get(i, ())):
                yield rule, i, hit


def proofread(plan: PlanData, snapshot: Snapshot) -> Proofreading:
    """Every proofreading finding about `plan`, whose files were read into `snapshot`."""
    fields = [f for f in collect(plan) if f.role != COPY]
    hits = list(run_rules([f.value for f in fields]))
    return Proofreading(plan.root, fields, list(locate(snapshot, [(rule, fields[i], hit) for rule, i, hit in hits])))


# --- where each finding is ------------------------------------------------------------------


class _File:
    """One plan file's text, read for finding places in it."""

    def __init__(self, raw: bytes | None, name: str) -> None:
        text = decode(raw, name)[0] if raw is not None else None
        self.text = text or ""
        self.spans: dict[tuple[str | int, ...], Span] = {}
        self.doc = parse(self.text, name, self.spans)[0] if text is not None else YamlFile(name)
        self.lines = LineIndex(self.text)
        self._chars: dict[tuple[str | int, ...], list[Char] | None] = {}

    def chars(self, field: Field) -> list[Char] | None:
        if field.path not in self._chars:
            span = self.spans.get(field.path)
            self._chars[field.path] = source_of(self.text, span, field.value) if span is not None else None
        return self._chars[field.path]


def locate(snapshot: Snapshot, found: list[tuple[Rule, Field, Hit]]) -> Iterator[Finding]:
    """Each finding with its problem at its place, unless a comment on that line silences its rule."""
    relative = {key_of(r): r for r in snapshot.files}
    files: dict[str, _File] = {}
    for rule, field, hit in found:
        if field.key not in files:
            rel = relative.get(field.key)
            files[field.key] = _File(snapshot.files.get(rel) if rel is not None else None, field.file)
        where = files[field.key]
        problem = _problem(rule, field, hit, where)
        if rule.id not in where.doc.suppressed.get(problem.line, frozenset()):
            yield Finding(rule, field, hit, problem)


def _problem(rule: Rule, field: Field, hit: Hit, where: _File) -> Problem:
    chars = where.chars(field)
    clause = hit.clause or rule.clause
    if not chars:  # a form of YAML this reading does not follow: the value's own place
        mark = where.doc.mark(field.path)
        edit = _edit(field.value, hit, (mark.line, mark.col), (mark.line, mark.col), (mark.line, mark.col), None)
        return Problem(field.file, mark.line, mark.col, rule.id, rule.level, hit.what, clause=clause, edit=edit)
    first = chars[min(hit.start, len(chars) - 1)][1]
    last = chars[hit.end - 1][2] if hit.end > hit.start else first
    at = where.lines.at(chars[min(hit.point, len(chars) - 1)][1])
    source = _source(where, field, hit, chars, (first, last))
    edit = _edit(field.value, hit, at, where.lines.at(first), where.lines.at(last), source)
    return Problem(field.file, *at, rule.id, rule.level, hit.what, clause=clause, edit=edit)


def _edit(
    text: str, hit: Hit, at: tuple[int, int], start: tuple[int, int], end: tuple[int, int], source: str | None
) -> Edit:
    short = hit.end - hit.start <= 2
    before = text[max(0, hit.start - 1) : hit.start] if short else ""
    after = text[hit.end : hit.end + 1] if short else ""
    found = text[hit.start : hit.end]
    return Edit(found, hit.suggested, hit.safe, *end, before, after, *start, source)


def _source(where: _File, field: Field, hit: Hit, chars: list[Char], region: tuple[int, int]) -> str | None:
    """What to write over the file's characters `region` to make a safe change, when the value
    writes them as they are (no escape, no folded line) and the suggestion needs no quoting."""
    if not hit.safe or hit.suggested is None:
        return None
    plain = where.text[region[0] : region[1]] == field.value[hit.start : hit.end]
    style = where.spans[field.path].style
    quoted = any(c in hit.suggested for c in "'\"\\\n#:")
    return hit.suggested if plain and not (quoted and style in ("", "'", '"')) else None

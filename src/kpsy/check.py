"""Rules beyond the schema: references, coverage, order and fidelity to the original.

Each rule is a small generator registered with an id, a level and a docstring (which is its
documentation). `validate()` loads a plan folder and runs them all, collecting every finding.
A warning can be silenced on its line with a comment `# kpsy: ignore[rule-id]`.
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from kpsy import text as plantext
from kpsy.errors import Level, Problem
from kpsy.load import DocPath, YamlFile
from kpsy.model import OVERSIGHT_KINDS, Milestone, Origin, Plan, Target, unusual_characters
from kpsy.workspace import display_path


@dataclass
class Context:
    plan: Plan
    files: dict[str, YamlFile]

    def at(self, origin: Origin, rule: str, message: str, level: Level = Level.ERROR) -> Problem:
        doc = self.files.get(origin.file)
        if doc is None:
            return Problem(origin.file, 0, 0, rule, level, message)
        return doc.problem(origin.path, rule, message, level)

    def chapter_at(self, chapter_id: str, path: DocPath) -> Origin:
        return Origin(self.plan.file_of(f"chapters/{chapter_id}"), path)


RuleFunc = Callable[[Context], Iterator[Problem]]


@dataclass(frozen=True)
class Rule:
    id: str
    level: Level
    func: RuleFunc

    @property
    def doc(self) -> str:
        return (self.func.__doc__ or "").strip()


RULES: dict[str, Rule] = {}


def rule(rule_id: str, level: Level = Level.ERROR) -> Callable[[RuleFunc], RuleFunc]:
    def register(func: RuleFunc) -> RuleFunc:
        RULES[rule_id] = Rule(rule_id, level, func)
        return func

    return register


# --- names -----------------------------------------------------------------------------------


def lookalike_note(name: str, known: set[str]) -> str | None:
    """Why `name` is not a known name although it looks like one: invisible or full-width characters."""
    odd = unusual_characters(name)
    if not odd:
        return None
    cleaned = unicodedata.normalize("NFKC", "".join(c for c in name if unicodedata.category(c) not in ("Cf", "Cc")))
    cleaned = "".join(cleaned.split())
    described = ", ".join(odd)
    if cleaned in known:
        return f"it contains {described}, so it is not {cleaned}"
    return f"it contains {described}"


def did_you_mean(name: str, candidates: list[str], canonical: dict[str, str] | None = None) -> str:
    """ "; did you mean X?" for the closest candidates, each shown by its canonical form."""
    close = difflib.get_close_matches(name, candidates, n=6, cutoff=0.5)
    shown = list(dict.fromkeys((canonical or {}).get(c, c) for c in close))[:3]
    return f"; did you mean {' or '.join(shown)}?" if shown else ""


# --- the rules -------------------------------------------------------------------------------


@rule("duplicate-id")
def duplicate_ids(ctx: Context) -> Iterator[Problem]:
    """Ids (of parts, chapters, tasks, units, basis documents, targets, milestones) are unique across the plan."""
    first: dict[str, tuple[str, Origin]] = {}
    for ident, kind, origin in ctx.plan.items():
        if ident in first:
            other_kind, other = first[ident]
            where = ctx.at(other, "", "").location()
            yield ctx.at(origin, "duplicate-id", f"id '{ident}' ({kind}) is already used by a {other_kind} at {where}")
        else:
            first[ident] = (kind, origin)


@rule("registry")
def registry_names(ctx: Context) -> Iterator[Problem]:
    """Each name, full name and alias in the unit registry belongs to one unit only."""
    owner: dict[str, str] = {}
    for i, unit in enumerate(ctx.plan.units):
        for name in dict.fromkeys(unit.names):
            if name in owner and owner[name] != unit.id:
                origin = Origin(ctx.plan.file_of("units"), ("units", i))
                yield ctx.at(
                    origin, "registry", f"name '{name}' of unit {unit.id} is already a name of unit {owner[name]}"
                )
            owner.setdefault(name, unit.id)


def _responsibility_names(plan: Plan) -> Iterator[tuple[str, str, str, int, str]]:
    """(chapter id, role, field, index, name) for every unit a responsibility line names."""
    for _, _, _, chapter in plan.iter_chapters():
        resp = chapter.responsibility
        if resp is None:
            continue
        for role, names in (("lead", resp.leads), ("participant", resp.participants)):
            for i, name in enumerate(names):
                yield chapter.id, role, "leads" if role == "lead" else "participants", i, name


@rule("unknown-unit")
def unknown_units(ctx: Context) -> Iterator[Problem]:
    """Every unit named in a responsibility line is in the registry, by its short name."""
    short = {u.name: u for u in ctx.plan.units}
    other: dict[str, str] = {}
    for unit in ctx.plan.units:
        for name in unit.names[1:]:
            other.setdefault(name, unit.name)
    for chapter_id, _, fld, i, name in _responsibility_names(ctx.plan):
        if name in short:
            continue
        origin = ctx.chapter_at(chapter_id, ("responsibility", fld, i))
        if name in other:
            msg = f"'{name}' is another name of {other[name]}: responsibility lines use the short name {other[name]}"
        elif note := lookalike_note(name, set(short)):
            msg = f"unknown unit '{name}': {note}"
        else:
            msg = f"unknown unit '{name}'{did_you_mean(name, [*short, *other], other)}"
        yield ctx.at(origin, "unknown-unit", msg)


@rule("missing-lead")
def missing_leads(ctx: Context) -> Iterator[Problem]:
    """Every action and project has a responsibility line with at least one lead unit (牵头)."""
    for _, part, _, chapter in ctx.plan.actions():
        if chapter.responsibility is None:
            yield ctx.at(
                ctx.chapter_at(chapter.id, ()),
                "missing-lead",
                f"{chapter.title} ({chapter.id}) is in part '{part.id}' ({part.kind}) but has no responsibility line",
            )
        elif not chapter.responsibility.leads:
            yield ctx.at(
                ctx.chapter_at(chapter.id, ("responsibility", "leads")),
                "missing-lead",
                f"{chapter.title} ({chapter.id}) has no lead unit (牵头)",
            )


@rule("duplicate-unit")
def duplicate_units(ctx: Context) -> Iterator[Problem]:
    """No unit is named twice in one responsibility line, and none is both lead and participant."""
    for _, _, _, chapter in ctx.plan.iter_chapters():
        resp = chapter.responsibility
        if resp is None:
            continue
        seen: dict[str, str] = {}
        for role, fld, names in (("lead", "leads", resp.leads), ("participant", "participants", resp.participants)):
            for i, name in enumerate(names):
                origin = ctx.chapter_at(chapter.id, ("responsibility", fld, i))
                if name in seen:
                    how = (
                        f"both lead and participant of {chapter.id}" if seen[name] != role else f"named twice as {role}"
                    )
                    yield ctx.at(origin, "duplicate-unit", f"{name} is {how}")
                else:
                    seen[name] = role


@rule("unassigned-unit", Level.WARNING)
def unassigned_units(ctx: Context) -> Iterator[Problem]:
    """A unit in the registry that no responsibility line names (bodies that oversee the work are exempt)."""
    named = {name for *_, name in _responsibility_names(ctx.plan)}
    for i, unit in enumerate(ctx.plan.units):
        if unit.name not in named and unit.kind not in OVERSIGHT_KINDS:
            origin = Origin(ctx.plan.file_of("units"), ("units", i))
            yield ctx.at(
                origin, "unassigned-unit", f"{unit.name} is in the registry but no action assigns it", Level.WARNING
            )


def out_of_order(ranks: list[int]) -> set[int]:
    """Indexes outside one longest increasing run of `ranks`: the fewest items to move to restore order."""
    best = [1] * len(ranks)
    prev = [-1] * len(ranks)
    for i in range(len(ranks)):
        for j in range(i):
            if ranks[j] < ranks[i] and best[j] + 1 > best[i]:
                best[i], prev[i] = best[j] + 1, j
    keep: set[int] = set()
    i = max(range(len(ranks)), key=best.__getitem__, default=-1)
    while i >= 0:
        keep.add(i)
        i = prev[i]
    return set(range(len(ranks))) - keep


@rule("participant-order", Level.WARNING)
def participant_order(ctx: Context) -> Iterator[Problem]:
    """Participants are listed in the registry's protocol order."""
    order = ctx.plan.unit_order()
    for _, _, _, chapter in ctx.plan.iter_chapters():
        resp = chapter.responsibility
        if resp is None:
            continue
        known = [(i, name) for i, name in enumerate(resp.participants) if name in order]
        misplaced = out_of_order([order[name] for _, name in known])
        in_order = sorted((name for k, (_, name) in enumerate(known) if k not in misplaced), key=order.__getitem__)
        for k in sorted(misplaced):
            i, name = known[k]
            before = [n for n in in_order if order[n] < order[name]]
            after = [n for n in in_order if order[n] > order[name]]
            place = (
                f"between {before[-1]} and {after[0]}"
                if before and after
                else f"after {before[-1]}"
                if before
                else f"before {after[0]}"
                if after
                else "elsewhere"
            )
            origin = ctx.chapter_at(chapter.id, ("responsibility", "participants", i))
            msg = f"{name} is out of protocol order: it belongs {place}"
            yield ctx.at(origin, "participant-order", msg, Level.WARNING)


@rule("basis-citation")
def basis_citations(ctx: Context) -> Iterator[Problem]:
    """Each basis document is cited in the preamble as 《title》（number）."""
    preamble = "\n".join(ctx.plan.document.plan.preamble)
    for i, basis in enumerate(ctx.plan.document.plan.basis):
        citation = f"《{basis.title}》（{basis.number}）"
        if citation not in preamble:
            origin = Origin(ctx.plan.file_of("document"), ("plan", "basis", i))
            yield ctx.at(origin, "basis-citation", f"the preamble does not cite {citation}")


@rule("source-quote")
def source_quotes(ctx: Context) -> Iterator[Problem]:
    """Each target and milestone points to an existing part, chapter or task whose text holds its quote."""
    items: list[tuple[str, str, Sequence[Target | Milestone]]] = [
        ("targets", "targets", ctx.plan.targets),
        ("schedule", "milestones", ctx.plan.milestones),
    ]
    texts: dict[str, str | None] = {}
    ids = [i for p in ctx.plan.parts for i in (p.id, *p.chapters)] + [t.task.id for t in ctx.plan.iter_tasks()]
    for key, name, entries in items:
        for i, entry in enumerate(entries):
            ref = entry.source.ref
            if ref not in texts:
                texts[ref] = plantext.item_text(ctx.plan, ref)
            found = texts[ref]
            file = ctx.plan.file_of(key)
            if found is None:
                msg = f"source.ref '{ref}' is not a part, chapter or task{did_you_mean(ref, ids)}"
                yield ctx.at(Origin(file, (name, i, "source", "ref")), "source-quote", msg)
            elif entry.source.quote not in found:
                msg = f"the text of '{ref}' does not contain the quote: {entry.source.quote}"
                yield ctx.at(Origin(file, (name, i, "source", "quote")), "source-quote", msg)


@rule("target-statement")
def target_statements(ctx: Context) -> Iterator[Problem]:
    """A target's quote states its indicator, comparator, value and unit as the data does."""
    for i, target in enumerate(ctx.plan.targets):
        origin = Origin(ctx.plan.file_of("targets"), ("targets", i))
        quote = target.source.quote
        if target.indicator not in quote or target.statement not in quote:
            msg = f"the quote does not state {target.indicator}{target.statement}: {quote}"
            yield ctx.at(origin, "target-statement", msg)
        if target.year is not None and f"{target.year}年" not in quote:
            yield ctx.at(origin, "target-statement", f"the quote does not name the year {target.year}", Level.WARNING)


@rule("period")
def periods(ctx: Context) -> Iterator[Problem]:
    """Periods run forwards, and milestones and targets fall within the plan's period."""
    period = ctx.plan.document.plan.period
    if period.start > period.end:
        yield ctx.at(
            Origin(ctx.plan.file_of("document"), ("plan", "period")),
            "period",
            f"the plan's period starts ({period.start}) after it ends ({period.end})",
        )
    for i, ms in enumerate(ctx.plan.milestones):
        origin = Origin(ctx.plan.file_of("schedule"), ("milestones", i, "period"))
        if ms.period.start > ms.period.end:
            yield ctx.at(
                origin, "period", f"milestone {ms.id} starts ({ms.period.start}) after it ends ({ms.period.end})"
            )
        elif ms.period.start < period.start or ms.period.end > period.end:
            yield ctx.at(
                origin, "period", f"milestone {ms.id} falls outside the plan period {period.start}-{period.end}"
            )
    for i, target in enumerate(ctx.plan.targets):
        if target.year is not None and not period.start <= target.year <= period.end:
            origin = Origin(ctx.plan.file_of("targets"), ("targets", i, "year"))
            yield ctx.at(origin, "period", f"target {target.id} is due in {target.year}, outside the plan period")


@rule("fidelity")
def fidelity(ctx: Context) -> Iterator[Problem]:
    """When document.yaml names the original (`plan.source_text`), the plan reproduces it paragraph by paragraph."""
    name = ctx.plan.document.plan.source_text
    if not name:
        return
    origin = Origin(ctx.plan.file_of("document"), ("plan", "source_text"))
    path = ctx.plan.root / name
    try:
        original = path.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        yield ctx.at(origin, "fidelity", f"cannot read the original {display_path(path)}: {exc.strerror}")
        return
    except UnicodeDecodeError:
        yield ctx.at(origin, "fidelity", f"the original {display_path(path)} is not UTF-8")
        return
    diff = plantext.first_difference(ctx.plan, original)
    if diff is None:
        return
    src = f"{display_path(path)}:{diff.source_line}" if diff.source_line else display_path(path)
    if diff.actual is None:
        msg = f"the plan ends at paragraph {diff.index + 1}, but the original goes on at {src}: {diff.expected}"
        yield ctx.at(origin, "fidelity", msg)
    elif diff.expected is None:
        msg = f"paragraph {diff.index + 1} is not in the original, which ends before it: {diff.actual.text[:40]}"
        yield ctx.at(diff.actual.origin, "fidelity", msg)
    else:
        want, got = plantext.excerpt_at_difference(diff.expected, plantext.normalise(diff.actual.text))
        msg = f"paragraph {diff.index + 1} differs from the original ({src}): original 「{want}」, plan 「{got}」"
        yield ctx.at(diff.actual.origin, "fidelity", msg)


# --- running ---------------------------------------------------------------------------------


def _suppressed(problem: Problem, files: dict[str, YamlFile]) -> bool:
    doc = files.get(problem.file)
    return not problem.is_error and doc is not None and problem.rule in doc.suppressed.get(problem.line, frozenset())


def check_plan(plan: Plan, files: dict[str, YamlFile], skip: frozenset[str] = frozenset()) -> list[Problem]:
    ctx = Context(plan, files)
    return [p for r in RULES.values() if r.id not in skip for p in r.func(ctx)]


def run(root: Path) -> tuple[Plan | None, list[Problem]]:
    """Load the plan at `root` and run every rule: the plan (None if its shape is broken) and all
    findings, sorted by file and line, suppressed warnings left out."""
    from kpsy.load import load_plan

    loaded = load_plan(root)
    problems = list(loaded.problems)
    if loaded.plan is not None:
        problems += check_plan(loaded.plan, loaded.files)
    kept = dict.fromkeys(p for p in problems if not _suppressed(p, loaded.files))
    return loaded.plan, sorted(kept, key=Problem.sort_key)

"""The rules about meaning: references, coverage, order and fidelity to the original.

Each rule is a small generator registered with an id and a level; its docstring is its
documentation. The loader's structural rules (encoding, syntax, schema, listing, …) are registered
beside them in the same registry (`kpsy.findings.RULES`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from kpsy import i18n
from kpsy.findings import RULES, Level, Problem, declare, rule
from kpsy.i18n import msg, thing
from kpsy.light import light
from kpsy.plan import text as plantext
from kpsy.plan import versions
from kpsy.plan.files import ReadError, Snapshot
from kpsy.plan.model import OVERSIGHT_KINDS, DocPath, Milestone, Responsibility, Target
from kpsy.plan.outline import ChapterRef, Origin, PlanData
from kpsy.plan.reader import YamlFile
from kpsy.util import display_path, suggest

# Found when a document is made (kpsy.documents.head), not by validate: a plan needs no issuer
# record until the office sends letters from it.
ISSUER = declare(
    "issuer",
    Level.WARNING,
    "A letter or 通报 is made from an `issuer` record in settings.yaml that gives its 发文机关标志 and"
    " 发文字号 (reported when the document is made, not by `kpsy validate`); without one the places"
    " to fill in are marked in the document, and nothing is made up.",
    "document",
)


@light
class Context:
    """What a rule sees: the assembled plan, and each file's marks to locate what it finds."""

    plan: PlanData
    files: dict[str, YamlFile]
    snapshot: Snapshot  # the plan folder as read; other files the rules read go through it

    def at(
        self, origin: Origin, rule_id: str, message: str, *, subject: str = "", units: Iterable[str] = ()
    ) -> Problem:
        registered = RULES[rule_id]
        doc = self.files.get(origin.file)
        if doc is None:
            return registered.problem(origin.file, 0, 0, message, subject=subject, units=units)
        return doc.problem(origin.path, registered, message, subject=subject, units=units)

    def in_chapter(self, chapter: ChapterRef, path: DocPath) -> Origin:
        return Origin(chapter.file, path)

    def in_file(self, key: str, path: DocPath) -> Origin:
        return Origin(self.plan.file_of(key), path)


def _lines(chapter: ChapterRef) -> Iterator[tuple[DocPath, Responsibility]]:
    """(where, line) for the chapter's own responsibility line and each of its tasks' own lines."""
    if chapter.chapter.responsibility is not None:
        yield ("responsibility",), chapter.chapter.responsibility
    for i, task in enumerate(chapter.chapter.tasks):
        if task.responsibility is not None:
            yield ("tasks", i, "responsibility"), task.responsibility


def _named_in(resp: Responsibility) -> Iterator[tuple[str, str, int, str]]:
    """(role, field, index, name) for every unit one responsibility line names."""
    for role, fld, names in (("lead", "leads", resp.leads), ("participant", "participants", resp.participants)):
        for i, name in enumerate(names):
            yield role, fld, i, name


def _named(chapter: ChapterRef) -> Iterator[tuple[DocPath, str, str, int, str]]:
    """(where the line is, role, field, index, name) for every unit the chapter's responsibility lines name."""
    for where, resp in _lines(chapter):
        for role, fld, i, name in _named_in(resp):
            yield where, role, fld, i, name


# --- ids and names ---------------------------------------------------------------------------


@rule("duplicate-id")
def duplicate_ids(ctx: Context) -> Iterator[Problem]:
    """Ids (of parts, chapters, tasks, units, basis documents, targets, milestones) are unique across the plan."""
    first: dict[str, tuple[str, Origin]] = {}
    for ident, kind, origin in ctx.plan.items():
        if ident in first:
            other_kind, other = first[ident]
            where = ctx.at(other, "duplicate-id", "").location()
            message = msg(
                "id '{ident}' ({kind}) is already used by a {other_kind} at {where}",
                "id“{ident}”（{kind}）已被 {where} 处的{other_kind}使用",
                ident=ident,
                kind=thing(kind),
                other_kind=thing(other_kind),
                where=where,
            )
            yield ctx.at(origin, "duplicate-id", message)
        else:
            first[ident] = (kind, origin)


@rule("registry")
def registry_names(ctx: Context) -> Iterator[Problem]:
    """Each name, full name and alias in the unit registry belongs to one unit only."""
    owner: dict[str, str] = {}
    for i, unit in enumerate(ctx.plan.units):
        for name in dict.fromkeys(unit.names):
            if name in owner and owner[name] != unit.id:
                yield ctx.at(
                    ctx.in_file("units", ("units", i)),
                    "registry",
                    msg(
                        "name '{name}' of unit {unit} is already a name of unit {owner}",
                        "单位 {unit} 的名称“{name}”已是单位 {owner} 的名称",
                        name=name,
                        unit=unit.id,
                        owner=owner[name],
                    ),
                )
            owner.setdefault(name, unit.id)


@rule("unknown-unit")
def unknown_units(ctx: Context) -> Iterator[Problem]:
    """Every unit named in a responsibility line is in the registry, by its short name (with "did you mean"
    and a note on invisible or full-width characters)."""
    registry = ctx.plan.units
    short = [u.name for u in registry]
    for chapter in ctx.plan.iter_chapters():
        for where, _, fld, i, name in _named(chapter):
            unit = registry.get(name)
            if unit is not None and unit.name == name:
                continue
            origin = ctx.in_chapter(chapter, (*where, fld, i))
            if unit is not None:
                message = msg(
                    "'{name}' is another name of {short}: responsibility lines use the short name {short}",
                    "“{name}”是{short}的别称：责任分工中请用简称 {short}",
                    name=name,
                    short=unit.name,
                )
            elif note := registry.lookalike_note(name):
                message = msg("unknown unit '{name}': {note}", "未知单位“{name}”：{note}", name=name, note=note)
            else:
                other = {n: u.name for u in registry for n in u.names[1:]}
                close = suggest(name, [*short, *other], other)
                message = msg(
                    "unknown unit '{name}'{hint}",
                    "未知单位“{name}”{hint_zh}",
                    name=name,
                    hint=f"; did you mean {' or '.join(close)}?" if close else "",
                    hint_zh=f"；是否指 {'或'.join(close)}？" if close else "",
                )
            yield ctx.at(origin, "unknown-unit", message)


# --- responsibility --------------------------------------------------------------------------


@rule("missing-lead")
def missing_leads(ctx: Context) -> Iterator[Problem]:
    """Every action and project has a responsibility line with at least one lead unit (牵头)."""
    for chapter in ctx.plan.actions():
        resp = chapter.responsibility
        if resp is None:
            part = chapter.part.part
            message = msg(
                "{title} ({id}) is in part '{part}' ({kind}) but has no responsibility line",
                "{title}（{id}）属于“{part}”部分（{kind}），却没有责任分工",
                title=chapter.title,
                id=chapter.id,
                part=part.id,
                kind=part.kind,
            )
            yield ctx.at(ctx.in_chapter(chapter, ()), "missing-lead", message, subject=chapter.id)
        elif not resp.leads and not resp.collective:
            message = msg(
                "{title} ({id}) has no lead unit (牵头)",
                "{title}（{id}）没有牵头单位",
                title=chapter.title,
                id=chapter.id,
            )
            yield ctx.at(
                ctx.in_chapter(chapter, ("responsibility", "leads")), "missing-lead", message, subject=chapter.id
            )


@rule("duplicate-unit")
def duplicate_units(ctx: Context) -> Iterator[Problem]:
    """No unit is named twice in one responsibility line, and none is both lead and participant."""
    for chapter in ctx.plan.iter_chapters():
        for where, resp in _lines(chapter):
            seen: dict[str, str] = {}
            for role, fld, i, name in _named_in(resp):
                if name in seen:
                    if seen[name] != role:
                        message = msg(
                            "{name} is both lead and participant of {id}",
                            "{name}在 {id} 中既是牵头单位又是参加单位",
                            name=name,
                            id=chapter.id,
                        )
                    else:
                        message = msg(
                            "{name} is named twice as {role}",
                            "{name}作为{role_zh}单位列了两次",
                            name=name,
                            role=role,
                            role_zh="牵头" if role == "lead" else "参加",
                        )
                    yield ctx.at(ctx.in_chapter(chapter, (*where, fld, i)), "duplicate-unit", message)
                else:
                    seen[name] = role


@rule("unassigned-unit", Level.WARNING)
def unassigned_units(ctx: Context) -> Iterator[Problem]:
    """A unit in the registry that no responsibility line names (bodies that oversee the work are exempt)."""
    chapters = list(ctx.plan.iter_chapters())
    named = {name for chapter in chapters for *_, name in _named(chapter)}
    from kpsy.plan.collectives import members

    collectives = {resp.collective for chapter in chapters for _, resp in _lines(chapter) if resp.collective}
    named |= {unit.name for c in collectives for unit in members(c, ctx.plan.units)}
    for i, unit in enumerate(ctx.plan.units):
        if unit.name not in named and unit.kind not in OVERSIGHT_KINDS:
            yield ctx.at(
                ctx.in_file("units", ("units", i)),
                "unassigned-unit",
                msg(
                    "{name} is in the registry but no action assigns it",
                    "{name}在单位名录中，但没有任何行动给它分工",
                    name=unit.name,
                ),
                subject=unit.id,
                units=[unit.name],
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
    """Participants are listed in the registry's protocol order (the fewest units that must move are named)."""
    registry = ctx.plan.units
    for chapter in ctx.plan.iter_chapters():
        for where, resp in _lines(chapter):
            known = [(i, name) for i, name in enumerate(resp.participants) if registry.is_short_name(name)]
            misplaced = out_of_order([registry.order(name) for _, name in known])
            in_order = registry.sort(name for k, (_, name) in enumerate(known) if k not in misplaced)
            for k in sorted(misplaced):
                i, name = known[k]
                before = [n for n in in_order if registry.order(n) < registry.order(name)]
                after = [n for n in in_order if registry.order(n) > registry.order(name)]
                if before and after:
                    place = msg("between {a} and {b}", "{a}与{b}之间", a=before[-1], b=after[0])
                elif before:
                    place = msg("after {a}", "{a}之后", a=before[-1])
                elif after:
                    place = msg("before {b}", "{b}之前", b=after[0])
                else:
                    place = msg("elsewhere", "别处")
                origin = ctx.in_chapter(chapter, (*where, "participants", i))
                message = msg(
                    "{name} is out of protocol order: it belongs {place}",
                    "{name}不合排序：应排在{place}",
                    name=name,
                    place=place,
                )
                yield ctx.at(origin, "participant-order", message)


def _text_without_responsibility(paragraphs: Iterable[plantext.Paragraph]) -> str:
    return "\n".join(p.text for p in paragraphs if p.kind != "responsibility")


@rule("named-not-assigned", Level.INFO)
def named_not_assigned(ctx: Context) -> Iterator[Problem]:
    """Units an action's text names but its responsibility line does not (shown by `kpsy coverage`)."""
    for chapter in ctx.plan.actions():
        resp = chapter.responsibility
        if resp is not None and resp.collective:
            continue
        assigned = {*resp.leads, *resp.participants} if resp else set()
        text = _text_without_responsibility(plantext.chapter_paragraphs(chapter))
        named = [n for n in ctx.plan.units.mentions(text) if n not in assigned]
        if named:
            message = msg(
                "{label}: the text names {units}, which its responsibility line does not",
                "{label}：正文提及{units}，责任分工未列",
                label=chapter.label,
                units=i18n.joined(named),
            )
            yield ctx.at(ctx.in_chapter(chapter, ()), "named-not-assigned", message, subject=chapter.id, units=named)


@rule("no-responsibility", Level.INFO)
def no_responsibility(ctx: Context) -> Iterator[Problem]:
    """Parts with no responsibility line at all, and the units their text names (shown by `kpsy coverage`)."""
    for part in ctx.plan.parts:
        if part.part.assigns:
            continue
        named = ctx.plan.units.mentions(_text_without_responsibility(plantext.part_paragraphs(part)))
        message = msg(
            "{label} has no responsibility line{who}",
            "{label}未列责任分工{who_zh}",
            label=part.label,
            who=f"; the text names {i18n.joined(named)}" if named else "",
            who_zh=f"；正文提及{'、'.join(named)}" if named else "",
        )
        yield ctx.at(Origin(part.file, ()), "no-responsibility", message, subject=part.id, units=named)


# --- the preamble, targets, schedule ---------------------------------------------------------


@rule("basis-citation")
def basis_citations(ctx: Context) -> Iterator[Problem]:
    """Each basis document is cited in the preamble as 《title》（number） (or with half-width parentheses)."""
    preamble = "\n".join(ctx.plan.document.plan.preamble)
    for i, basis in enumerate(ctx.plan.document.plan.basis):
        citation = f"《{basis.title}》（{basis.number}）"
        if citation not in preamble and f"《{basis.title}》({basis.number})" not in preamble:
            yield ctx.at(
                ctx.in_file("document", ("plan", "basis", i)),
                "basis-citation",
                msg("the preamble does not cite {c}", "前言没有引用{c}", c=citation),
            )


def _sourced(plan: PlanData) -> Iterator[tuple[str, str, int, Target | Milestone]]:
    """(file key, list name, index, record) for every target and milestone."""
    entries: list[tuple[str, str, Sequence[Target | Milestone]]] = [
        ("targets", "targets", plan.targets),
        ("schedule", "milestones", plan.milestones),
    ]
    for key, name, records in entries:
        for i, record in enumerate(records):
            yield key, name, i, record


@rule("source-quote")
def source_quotes(ctx: Context) -> Iterator[Problem]:
    """Each target and milestone points to an existing part, chapter or task whose text holds its quote."""
    texts: dict[str, str | None] = {}
    for key, name, i, entry in _sourced(ctx.plan):
        ref = entry.source.ref
        if ref not in texts:
            found = ctx.plan.find(ref)
            texts[ref] = plantext.text_of(found) if found is not None else None
        text = texts[ref]
        if text is None:
            close = suggest(ref, ctx.plan.outline_ids())
            message = msg(
                "source.ref '{ref}' is not a part, chapter or task{hint}",
                "source.ref“{ref}”不是部分、章节或任务{hint_zh}",
                ref=ref,
                hint=f"; did you mean {' or '.join(close)}?" if close else "",
                hint_zh=f"；是否指 {'或'.join(close)}？" if close else "",
            )
            yield ctx.at(ctx.in_file(key, (name, i, "source", "ref")), "source-quote", message)
        elif entry.source.quote not in text:
            message = msg(
                "the text of '{ref}' does not contain the quote: {quote}",
                "“{ref}”的正文中找不到所引原文：{quote}",
                ref=ref,
                quote=entry.source.quote,
            )
            yield ctx.at(ctx.in_file(key, (name, i, "source", "quote")), "source-quote", message)


@rule("target-statement")
def target_statements(ctx: Context) -> Iterator[Problem]:
    """A target's quote states its indicator, comparator, value and unit as the data does."""
    for i, target in enumerate(ctx.plan.targets):
        quote = target.source.quote
        if target.indicator not in quote or target.statement not in quote:
            message = msg(
                "the quote does not state {what}: {quote}",
                "所引原文没有写明{what}：{quote}",
                what=target.indicator + target.statement,
                quote=quote,
            )
            yield ctx.at(ctx.in_file("targets", ("targets", i)), "target-statement", message)


@rule("target-year", Level.WARNING)
def target_years(ctx: Context) -> Iterator[Problem]:
    """A target with a year has a quote that names the year."""
    for i, target in enumerate(ctx.plan.targets):
        if target.year is not None and f"{target.year}年" not in target.source.quote:
            message = msg("the quote does not name the year {y}", "所引原文没有写明年份 {y}", y=target.year)
            yield ctx.at(ctx.in_file("targets", ("targets", i)), "target-year", message)


@rule("period")
def periods(ctx: Context) -> Iterator[Problem]:
    """Periods run forwards, and milestones and targets fall within the plan's period."""
    period = ctx.plan.document.plan.period
    if period.start > period.end:
        yield ctx.at(
            ctx.in_file("document", ("plan", "period")),
            "period",
            msg(
                "the plan's period starts ({start}) after it ends ({end})",
                "规划期的起始年（{start}）晚于结束年（{end}）",
                start=period.start,
                end=period.end,
            ),
        )
    for i, ms in enumerate(ctx.plan.milestones):
        origin = ctx.in_file("schedule", ("milestones", i, "period"))
        if ms.period.start > ms.period.end:
            message = msg(
                "milestone {id} starts ({start}) after it ends ({end})",
                "进度节点 {id} 的起始年（{start}）晚于结束年（{end}）",
                id=ms.id,
                start=ms.period.start,
                end=ms.period.end,
            )
            yield ctx.at(origin, "period", message)
        elif ms.period.start < period.start or ms.period.end > period.end:
            message = msg(
                "milestone {id} falls outside the plan period {start}-{end}",
                "进度节点 {id} 超出规划期 {start}-{end}",
                id=ms.id,
                start=period.start,
                end=period.end,
            )
            yield ctx.at(origin, "period", message)
    for i, target in enumerate(ctx.plan.targets):
        if target.year is not None and not period.start <= target.year <= period.end:
            origin = ctx.in_file("targets", ("targets", i, "year"))
            message = msg(
                "target {id} is due in {year}, outside the plan period",
                "目标 {id} 的时限 {year} 年超出规划期",
                id=target.id,
                year=target.year,
            )
            yield ctx.at(origin, "period", message)


# --- fidelity --------------------------------------------------------------------------------


@rule("fidelity")
def fidelity(ctx: Context) -> Iterator[Problem]:
    """The data reproduces the issued text of the version it is, paragraph by paragraph (layout white
    space and page-number residue aside): the text revisions.yaml names for `current.version`, or
    without revisions.yaml `plan.source_text`; the first differing paragraph is reported. A draft
    (`current.draft_of`) is checked against no issued text."""
    issued = versions.issued_text(ctx.plan)
    if issued is None:
        return
    name, origin = issued.path, issued.origin
    path = ctx.plan.root / name
    original = _read_issued(ctx, name, origin, "fidelity")
    if isinstance(original, Problem):
        yield original
        return
    diff = plantext.first_difference(ctx.plan, original)
    if diff is None:
        return
    src = f"{display_path(path)}:{diff.source_line}" if diff.source_line else display_path(path)
    if issued.version is None:
        the_text = i18n.msg("the original", "原文")
    else:
        the_text = i18n.msg(
            "the issued text of {version}", "{version}的印发文本", version=versions.describe(issued.version)
        )
    if diff.actual is None:
        message = i18n.msg(
            "the plan ends after paragraph {index}, but {text} goes on at {src}: {expected}",
            "计划在第{index}段后结束，但{text}在 {src} 还有：{expected}",
            index=diff.index,
            text=the_text,
            src=src,
            expected=diff.expected,
        )
        yield ctx.at(origin, "fidelity", message + _revising())
    elif diff.expected is None:
        message = i18n.msg(
            "paragraph {n} is not in {text}, which ends before it: {actual}",
            "第{n}段不在{text}中（{text}在此之前已结束）：{actual}",
            n=diff.index + 1,
            text=the_text,
            actual=diff.actual.text[:40],
        )
        yield ctx.at(diff.actual.origin, "fidelity", message + _revising())
    else:
        want, got = plantext.excerpt_at_difference(diff.expected, plantext.normalise(diff.actual.text))
        message = i18n.msg(
            "paragraph {n} differs from {text} ({src}): original 「{want}」, plan 「{got}」",
            "第{n}段与{text}不一致（{src}）：原文「{want}」，计划「{got}」",
            n=diff.index + 1,
            text=the_text,
            src=src,
            want=want,
            got=got,
        )
        yield ctx.at(diff.actual.origin, "fidelity", message + _revising())


def _revising() -> str:
    """The hint after a fidelity finding: a revision in progress is recorded as a draft."""
    return i18n.msg(
        " (revising the plan? record the data as a draft in revisions.yaml: current: {{draft_of: <version>}})",
        "（若在修订方案，请在 revisions.yaml 中把数据记为修订草案：current: {{draft_of: 版本ID}}）",
    )


def _read_issued(ctx: Context, name: str, origin: Origin, rule_id: str) -> str | Problem:
    """An issued text named at `origin`, read through the snapshot (so that the cache checks it), or
    the problem (of rule `rule_id`) that stops it from being read."""
    path = ctx.plan.root / name
    what = i18n.msg("the original", "原文") if rule_id == "fidelity" else i18n.msg("the issued text", "印发文本")
    try:
        return ctx.snapshot.read_extra(name).decode("utf-8-sig")
    except ReadError as exc:
        message = i18n.msg(
            "cannot read {what} {path}: {why}",
            "无法读取{what} {path}：{why}",
            what=what,
            path=display_path(path),
            why=exc.reason,
        )
    except UnicodeDecodeError:
        message = i18n.msg(
            "{what} {path} is not UTF-8", "{what} {path} 不是 UTF-8 编码", what=what, path=display_path(path)
        )
    return ctx.at(origin, rule_id, message)


@rule("revisions")
def revision_records(ctx: Context) -> Iterator[Problem]:
    """The record of issued versions (revisions.yaml) lists them oldest first, says which one the data is (`current.version`)
    or which one it is a draft of (`current.draft_of`), and every issued text it names (and
    `plan.source_text`) stays readable: a revision never loses the provenance of what was issued."""
    revisions = ctx.plan.revisions
    if revisions is None:
        return
    ids = [v.id for v in revisions.versions]
    cur = revisions.current
    where = ctx.in_file("revisions", ("current",))
    if (cur.version is None) == (cur.draft_of is None):
        yield ctx.at(
            where,
            "revisions",
            i18n.msg(
                "current names either the issued version the data is (version) or the one it is a draft of (draft_of)",
                "current 须写明数据是哪一个已印发版本（version），或是哪一个版本的修订草案（draft_of），二者取其一",
            ),
        )
    for key in ("version", "draft_of"):
        named = getattr(cur, key)
        if named is not None and named not in ids:
            close = suggest(named, ids)
            hint = i18n.msg("; did you mean {close}?", "；是否是 {close}？", close=" / ".join(close)) if close else ""
            yield ctx.at(
                ctx.in_file("revisions", ("current", key)),
                "revisions",
                i18n.msg("no issued version '{named}'{hint}", "没有已印发版本“{named}”{hint}", named=named, hint=hint),
            )
    if cur.name is not None and cur.draft_of is None:
        yield ctx.at(
            ctx.in_file("revisions", ("current", "name")),
            "revisions",
            i18n.msg("only a draft (draft_of) has a working name", "只有修订草案（draft_of）才有工作名称"),
        )
    yield from _version_order(ctx)
    yield from _lineage_entries(ctx)
    checked = versions.issued_text(ctx.plan)
    for name, origin in versions.recorded_texts(ctx.plan):
        if checked is not None and name == checked.path:
            continue  # read, and reported if it cannot be, by the fidelity check
        found = _read_issued(ctx, name, origin, "revisions")
        if isinstance(found, Problem):
            yield found


def _version_order(ctx: Context) -> Iterator[Problem]:
    """The issued versions, oldest first."""
    from itertools import pairwise

    listed = ctx.plan.revisions.versions if ctx.plan.revisions is not None else []
    for i, (before, after) in enumerate(pairwise(listed), 1):
        if after.date < before.date:
            yield ctx.at(
                ctx.in_file("revisions", ("versions", i, "date")),
                "revisions",
                i18n.msg(
                    "{after} ({date}) is listed after {before} but was issued before it; list versions oldest first",
                    "{after}（{date}）列在{before}之后，但印发日期更早；版本应按时间先后排列",
                    after=after.id,
                    before=before.id,
                    date=after.date.isoformat(),
                ),
            )


def _lineage_entries(ctx: Context) -> Iterator[Problem]:
    """The `renamed`, `merged` and `split` entries of the record the data is (the draft, or the
    issued version): what they name now is in the plan, what is gone is gone."""
    revisions = ctx.plan.revisions
    record = versions.lineage_record(ctx.plan)
    if revisions is None or record is None:
        return
    at: DocPath = ("current",)
    if record is not revisions.current:
        at = ("versions", next(i for i, v in enumerate(revisions.versions) if v is record))
    units = set(ctx.plan.units.by_id)
    items = {c.id for c in ctx.plan.iter_chapters()} | {t.id for t in ctx.plan.iter_tasks()}
    checks: list[tuple[DocPath, str, bool, str, str]] = []  # (where, id, must be there, what, English what)
    for i, r in enumerate(record.renamed or []):
        checks += [
            ((*at, "renamed", i, "unit"), r.unit, False, "单位", "unit"),
            ((*at, "renamed", i, "to"), r.to, True, "单位", "unit"),
        ]
    for i, m in enumerate(record.merged or []):
        checks.append(((*at, "merged", i, "into"), m.into, True, "条目", "item"))
        checks += [
            ((*at, "merged", i, "items", j), k, False, "条目", "item") for j, k in enumerate(m.items) if k != m.into
        ]
    for i, sp in enumerate(record.split or []):
        checks += [((*at, "split", i, "into", j), k, True, "条目", "item") for j, k in enumerate(sp.into)]
        if sp.item not in sp.into:
            checks.append(((*at, "split", i, "item"), sp.item, False, "条目", "item"))
    for path, ident, there, zh, en in checks:
        known = ident in (units if en == "unit" else items)
        if known != there:
            yield ctx.at(
                ctx.in_file("revisions", path),
                "revisions",
                i18n.msg(
                    "no {en} '{ident}' in the plan: this entry names what the revision made"
                    if there
                    else "{en} '{ident}' is still in the plan: this entry names what the revision replaced",
                    "计划中没有{zh}“{ident}”：此处应写修订后的 id"
                    if there
                    else "{zh}“{ident}”仍在计划中：此处应写修订前已不存在的 id",
                    en=en,
                    zh=zh,
                    ident=ident,
                ),
            )


def meaning_rules() -> list[Any]:
    """The registered rules that have a check of their own, in registration order."""
    return [r for r in RULES.values() if r.stage == "meaning" and r.check is not None]

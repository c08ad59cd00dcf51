"""What stands around the plan's outline: the notice that issues it (issuer, 文号, title, addressees,
body, signature, date), the plan's own title and preamble, and the 版记 at the end; and what is left
out on purpose (「（此件公开发布）」, a lone 「附件」, 抄送 lines, a web page's furniture).

`prepare` takes the lines as read and gives the lines the plan holds: what is left out taken out
(and listed), and the lines a layout breaks apart or runs together put as kpsy writes them (a notice
title wrapped onto two lines, two issuers of a joint notice on two lines, a signature and its date
on one line, the 版记's 「印发」 line). The plan's source copy is these lines, so the data gives them
back exactly. `read_front` then finds the notice, the title and the preamble in them.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from kpsy.i18n import msg
from kpsy.importer import conventions as conv
from kpsy.importer.numbers import chinese_to_int, number_of
from kpsy.importer.read import Line, Omitted
from kpsy.plan.numbering import chinese_date


def _pattern(key: str) -> re.Pattern[str]:
    pattern = conv.NOTICE_BY_KEY[key].pattern
    assert pattern is not None
    return pattern


NOTICE_TITLE = _pattern("notice-title")
DOC_NUMBER = _pattern("doc-number")
_CN_DIGIT = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "○": 0, "О": 0}
DATE = re.compile(
    r"^(\d{4}|[〇○零一二三四五六七八九]{4}) ?年 ?(\d{1,2}|[一二三四五六七八九十]{1,3}) ?月 ?(\d{1,2}|[一二三四五六七八九十]{1,3}) ?日$"
)
IMPRINT = re.compile(r"^(?P<issuer>.+?) ?(?P<date>\d{4} ?年 ?\d{1,2} ?月 ?\d{1,2} ?日) ?印发$")
SIGNED = re.compile(r"^(?P<name>[^，。；：:]{4,60}?) +(?P<date>\d{4} ?年 ?\d{1,2} ?月 ?\d{1,2} ?日)$")
HEAD_SCAN = 30  # lines at the top where a notice or title is looked for
TAIL_SCAN = 12  # lines at the end where the 版记 is looked for


@dataclass
class Problem:
    """Something left for hand work: where, the words, and why."""

    where: str
    text: str
    why: str


@dataclass
class Front:
    """What comes before the outline."""

    issuer: Line | None = None
    number: Line | None = None
    notice_title: Line | None = None
    addressees: Line | None = None
    body: list[Line] = field(default_factory=list)
    signature: Line | None = None
    date: Line | None = None
    title: Line | None = None
    preamble: list[Line] = field(default_factory=list)
    quoted_title: str | None = None  # the title the notice quotes
    issuers: list[str] = field(default_factory=list)  # every issuer named, for the place


@dataclass
class Prepared:
    lines: list[Line]
    omitted: list[Omitted] = field(default_factory=list)
    unplaced: list[Problem] = field(default_factory=list)
    imprint: Line | None = None
    recognised: set[str] = field(default_factory=set)


def parse_date(text: str) -> dt.date | None:
    """2022年3月15日 or 二〇二二年三月十五日 as a date, or None."""
    m = DATE.match(text)
    if m is None:
        return None
    year = m.group(1)
    y = int(year) if year.isdigit() else int("".join(str(_CN_DIGIT[c]) for c in year))
    month, day = (int(g) if g.isdigit() else chinese_to_int(g) for g in m.group(2, 3))
    try:
        return dt.date(y, month, day)
    except ValueError:
        return None


def _replace(line: Line, text: str) -> Line:
    return Line(text, line.where, line.number, line.auto)


def _name_line(text: str) -> bool:
    """An issuer's or signer's name: short, no sentence punctuation, not a date."""
    return 2 <= len(text) <= 60 and not re.search(r"[。，；：！？,;:《》]", text) and DATE.match(text) is None


# --- preparing the lines ------------------------------------------------------------------


def prepare(lines: list[Line]) -> Prepared:
    """The lines the plan holds, with what is left out on purpose taken out and listed."""
    out = Prepared(list(lines))
    _head(out)
    _tail(out)
    kept: list[Line] = []
    for line in out.lines:
        key = conv.left_out(line.text)
        if key is not None:
            out.omitted.append(Omitted(line.where, line.text, key, line.number))
            out.recognised.add(key)
        else:
            kept.append(line)
    out.lines = kept
    _merge_notice_title(out)
    return out


def _head(out: Prepared) -> None:
    """A web page's furniture before the document: left out."""
    lines = out.lines
    i = 0
    while i < min(len(lines), HEAD_SCAN):
        key = conv.page_furniture(lines[i].text)
        if key is None:
            break
        out.omitted.append(Omitted(lines[i].where, lines[i].text, key, lines[i].number))
        out.recognised.add(key)
        i += 1
    del lines[:i]


def _tail(out: Prepared) -> None:
    """The 版记 and a web page's furniture at the end: the 「印发」 line kept, the rest left out."""
    lines = out.lines
    at = next(
        (i for i in range(len(lines) - 1, max(len(lines) - TAIL_SCAN, -1), -1) if IMPRINT.match(lines[i].text)),
        None,
    )
    end = len(lines)
    if at is not None:
        m = IMPRINT.match(lines[at].text)
        assert m is not None
        canonical = f"{m.group('issuer')} {chinese_date(parse_date(m.group('date')) or dt.date(2000, 1, 1))}印发"
        out.imprint = _replace(lines[at], canonical if parse_date(m.group("date")) else lines[at].text)
        out.recognised.add("imprint")
        for line in lines[at + 1 :]:
            _leave_out_after(out, line)
        end = at
    start = end
    while start > 0 and _end_matter(lines[start - 1].text):
        start -= 1
    for line in lines[start:end]:
        key = _end_matter(line.text) or "copy-to"
        out.omitted.append(Omitted(line.where, line.text, key, line.number))
        out.recognised.add(key)
    del lines[start:]
    _closing_signature(out)


def _end_matter(text: str) -> str | None:
    return conv.imprint_line(text) or conv.page_furniture(text) or conv.left_out(text)


def _closing_signature(out: Prepared) -> None:
    """The plan's own signature and date at its very end (a plan issued without a notice): left out."""
    lines = out.lines
    if len(lines) < 10 or not _dated(lines[-1].text):
        return
    start = len(lines) - 1
    while start > len(lines) - 4 and _name_line(lines[start - 1].text) and number_of(lines[start - 1].text) is None:
        start -= 1
    for line in lines[start:]:
        out.omitted.append(Omitted(line.where, line.text, "closing-signature", line.number))
    out.recognised.add("closing-signature")
    del lines[start:]


def _leave_out_after(out: Prepared, line: Line) -> None:
    key = conv.imprint_line(line.text) or conv.page_furniture(line.text) or conv.left_out(line.text)
    if key is not None:
        out.omitted.append(Omitted(line.where, line.text, key, line.number))
        out.recognised.add(key)
    else:
        out.unplaced.append(Problem(line.where, line.text, msg("it comes after the 版记", "位于版记之后")))


def _merge_notice_title(out: Prepared) -> None:
    """A notice title wrapped onto two lines (「关于印发《…》」 / 「的通知」): one line."""
    lines = out.lines
    for i in range(min(len(lines) - 1, HEAD_SCAN)):
        text = lines[i].text
        if NOTICE_TITLE.match(text) or "关于" not in text or len(text) > 100:
            continue
        after = lines[i + 1].text
        joined = text + after
        if NOTICE_TITLE.match(joined) and len(after) <= 60 and not re.search(r"[。；：:，]", after):
            lines[i : i + 2] = [_replace(lines[i], joined)]
            return


# --- the notice ---------------------------------------------------------------------------


def _find_notice(lines: list[Line]) -> int | None:
    for i, line in enumerate(lines[:HEAD_SCAN]):
        if NOTICE_TITLE.match(line.text) and len(line.text) <= 150:
            return i
    return None


def read_front(lines: list[Line], unplaced: list[Problem], recognised: set[str]) -> tuple[Front, list[Line], int]:
    """The notice, the plan's title and the preamble; the lines (some joined, some split, as the
    data writes them) and the index of the first line after the front (the outline's first heading)."""
    front = Front()
    lines = list(lines)
    t = _find_notice(lines)
    i = 0
    if t is not None:
        lines, t = _above_notice(lines, t, front, unplaced, recognised)
        i = _notice_after_title(lines, t, front, recognised)
    i, lines = _title(lines, i, front, unplaced)
    start = i
    while i < len(lines):
        number = number_of(lines[i].text)
        if number is not None and number.value == 1:
            break
        i += 1
    front.preamble = lines[start:i]
    return front, lines, i


def _above_notice(
    lines: list[Line], t: int, front: Front, unplaced: list[Problem], recognised: set[str]
) -> tuple[list[Line], int]:
    """The issuer(s) and 文号 above the notice's title; two issuers (a joint notice) on one line."""
    front.notice_title = lines[t]
    recognised.add("notice-title")
    m = NOTICE_TITLE.match(lines[t].text)
    assert m is not None
    quoted = re.search(r"《(.+)》", m.group("title"))
    front.quoted_title = (quoted.group(1) if quoted else m.group("title")).strip()
    inside = m.group("issuer").strip()
    issuers: list[Line] = []
    for line in lines[:t]:
        if DOC_NUMBER.match(line.text) and front.number is None:
            front.number = _replace(line, re.sub(r" ", "", line.text))
            recognised.add("doc-number")
        elif _name_line(line.text) and (not issuers or front.number is None):
            issuers.append(line)
        else:
            unplaced.append(Problem(line.where, line.text, msg("before the notice's title", "位于通知标题之前")))
    if issuers:
        front.issuer = _replace(issuers[0], " ".join(x.text for x in issuers))
        recognised.add("notice-issuer-above")
    if inside:
        recognised.add("notice-issuer-inside")
    names = [x.text for x in issuers] or [inside]
    front.issuers = [n for name in names for n in re.split(r"[ 、，]+", name) if n]
    if len(front.issuers) > 1:
        recognised.add("notice-joint")
    kept = [x for x in (front.issuer, front.number) if x is not None]
    return [*kept, *lines[t:]], len(kept)


def _notice_after_title(lines: list[Line], t: int, front: Front, recognised: set[str]) -> int:
    """Addressees, body, signature and date after the notice's title; the index after them."""
    i = t + 1
    if i < len(lines) and front.number is None and DOC_NUMBER.match(lines[i].text):
        # the 文号 under the title (a web page's <h1>): kpsy writes it above
        front.number = _replace(lines[i], lines[i].text.replace(" ", ""))
        recognised.add("doc-number")
        lines[t : i + 1] = [front.number, lines[t]]
        t, i = t + 1, i + 1
    if i < len(lines) and lines[i].text.endswith(("：", ":")) and len(lines[i].text) < 300:
        front.addressees = lines[i]
        recognised.add("addressees")
        i += 1
    j = _body_end(lines, i, front.quoted_title)
    body = lines[i:j]
    if j < len(lines) and _dated(lines[j].text):
        signed = SIGNED.match(lines[j].text)
        if signed:
            body.append(_replace(lines[j], signed.group("name")))
            lines[j] = _replace(lines[j], signed.group("date"))
        date = parse_date(lines[j].text)
        front.date = _replace(lines[j], chinese_date(date)) if date else lines[j]
        names: list[Line] = []
        while body and _name_line(body[-1].text) and not body[-1].text.startswith("特此") and len(names) < 3:
            names.insert(0, body.pop())
        if names:
            front.signature = _replace(names[0], " ".join(x.text for x in names))
        recognised.add("signature-date")
        j += 1
    front.body = body
    head = [x for x in [front.addressees, *body, front.signature, front.date] if x is not None]
    lines[t + 1 : j] = head
    return t + 1 + len(head)


def _body_end(lines: list[Line], i: int, quoted: str | None) -> int:
    """Where the notice's body ends: at its date, else at the plan's title."""
    end = min(len(lines), i + HEAD_SCAN)
    for j in range(i, end):
        if _dated(lines[j].text) or _is_title(lines[j].text, quoted):
            return j
    return next((j for j in range(i, end) if conv.looks_like_title(lines[j].text)), i)


def _dated(text: str) -> bool:
    return bool(DATE.match(text)) or bool(SIGNED.match(text))


def _bare_title(text: str) -> str:
    return re.sub(r"[\s《》〈〉<>]", "", text).replace("—", "-").replace("－", "-").replace("–", "-")


def _is_title(text: str, quoted: str | None) -> bool:
    return quoted is not None and _bare_title(text) == _bare_title(quoted)


def _find_title(lines: list[Line], i: int, quoted: str | None) -> tuple[int | None, bool]:
    """Where the plan's title is (and whether it is wrapped onto the next line): the one the notice
    quotes, else the first line that reads as a title."""
    end = min(len(lines), i + HEAD_SCAN)
    for k in range(i, end):
        text = lines[k].text
        following = lines[k + 1].text if k + 1 < len(lines) else ""
        if _is_title(text, quoted):
            return k, False
        if quoted is not None and _is_title(text + following, quoted):
            return k, True
    for k in range(i, end):
        following = lines[k + 1].text if k + 1 < len(lines) else ""
        if conv.looks_like_title(lines[k].text):
            return k, bool(re.fullmatch(r"[（(][^（）()]{4,20}[）)]", following))
    return None, False


def _title(lines: list[Line], i: int, front: Front, unplaced: list[Problem]) -> tuple[int, list[Line]]:
    """The plan's title; a title wrapped onto two lines is one."""
    found, wrapped = _find_title(lines, i, front.quoted_title)
    if found is None:
        return i, lines
    if wrapped:
        lines[found : found + 2] = [_replace(lines[found], lines[found].text + lines[found + 1].text)]
    for line in lines[i:found]:
        unplaced.append(Problem(line.where, line.text, msg("before the plan's title", "位于方案标题之前")))
    front.title = lines[found]
    del lines[i:found]
    return i + 1, lines

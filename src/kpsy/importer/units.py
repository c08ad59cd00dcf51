"""Units in an imported plan: lists of names split, the place found, forms of one unit's name
grouped, kinds guessed from the names, protocol order taken from the document's lists, ids.

Everything here is about the genre's conventions of naming bodies (局, 委, 部, 联, 中心; 县委…部 is a
party department), never about any one plan.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from kpsy.plan.collectives import collective_of
from kpsy.plan.model import Place

# What a body's name ends in.
UNIT_ENDINGS = (
    "局",
    "委",
    "部",
    "办",
    "会",
    "联",
    "中心",
    "院",
    "馆",
    "所",
    "站",
    "队",
    "社",
    "厅",
    "处",
    "室",
    "政府",
    "公司",
    "银行",
    "分行",
    "集团",
    "学校",
    "党校",
    "台",
    "校",
    "协",
    "团",
    "组",
)
# Separators of a list of units: always these; a conjunction (和, 及, 与, 以及) or a space only
# between two names that are each a body's (县发展和改革局 stays whole).
STRONG_SPLIT = re.compile(r"(、|，|,|\n)")
WEAK_SPLIT = re.compile(r"(以及|和|及|与| )")
ETC_TAIL = re.compile(r"(等(?:相关|有关|其他|其它)?(?:单位|部门|成员单位)?)$")
LEAD_MARK = re.compile(r"[（(]牵头(?:单位)?[）)]$")

KIND_ORDER = ["党委部门", "政府部门", "驻区单位", "事业单位", "群团组织", "人民政府", "议事协调机构"]

_PARTY = (
    "组织部",
    "宣传部",
    "统战部",
    "统一战线",
    "政法委",
    "编办",
    "机构编制",
    "网信",
    "老干部",
    "党校",
    "文明办",
    "政研室",
    "纪委",
    "督查室",
)
_MASS = (
    "共青团",
    "妇联",
    "妇女联合会",
    "总工会",
    "科协",
    "科学技术协会",
    "工商联",
    "工商业联合会",
    "残联",
    "残疾人联合会",
    "侨联",
    "文联",
    "社科联",
    "红十字会",
)
_STATIONED = (
    "税务",
    "气象",
    "烟草",
    "供电",
    "邮政",
    "电信",
    "移动",
    "联通",
    "银行",
    "分行",
    "分局",
    "支队",
    "大队",
    "海关",
)
_OVERSIGHT = ("领导小组", "联席会议", "纲要", "工作办公室", "指挥部", "委员会办公室")
_INSTITUTION = ("中心", "馆", "院", "学校", "站", "所", "台", "报社")

# English ids for the bodies that every district and county has; others get unit-<n>.
UNIT_IDS = (
    ("人民政府", "government"),
    ("组织部", "organisation-dept"),
    ("宣传部", "publicity-dept"),
    ("统战部", "united-front-dept"),
    ("统一战线", "united-front-dept"),
    ("政法委", "political-legal"),
    ("网信", "cyberspace"),
    ("编办", "staffing-office"),
    ("文明办", "civilisation-office"),
    ("老干部", "veteran-cadres"),
    ("党校", "party-school"),
    ("发改", "development-reform"),
    ("发展和改革", "development-reform"),
    ("教育", "education"),
    ("科工信", "science-industry"),
    ("科学技术和工业信息化", "science-industry"),
    ("工信", "industry-it"),
    ("工业和信息化", "industry-it"),
    ("科技局", "science-technology"),
    ("科学技术局", "science-technology"),
    ("民宗", "ethnic-religious"),
    ("民族宗教", "ethnic-religious"),
    ("民政", "civil-affairs"),
    ("财政", "finance"),
    ("人社", "human-resources"),
    ("人力资源", "human-resources"),
    ("自然资源", "natural-resources"),
    ("生态环境", "ecology-environment"),
    ("住建", "housing"),
    ("住房和城乡建设", "housing"),
    ("交通", "transport"),
    ("水利", "water"),
    ("农业农村", "agriculture"),
    ("农业", "agriculture"),
    ("乡村振兴", "rural-revitalization"),
    ("林业", "forestry"),
    ("商务", "commerce"),
    ("文旅", "culture-tourism"),
    ("文化旅游", "culture-tourism"),
    ("文化和旅游", "culture-tourism"),
    ("文化", "culture"),
    ("体育", "sports"),
    ("卫健", "health"),
    ("卫生健康", "health"),
    ("卫生", "health"),
    ("退役军人", "veterans"),
    ("应急", "emergency-management"),
    ("市场监", "market-regulation"),
    ("审计", "audit"),
    ("统计", "statistics"),
    ("医保", "medical-insurance"),
    ("医疗保障", "medical-insurance"),
    ("公安", "public-security"),
    ("司法", "justice"),
    ("城管", "urban-management"),
    ("城市管理", "urban-management"),
    ("国动办", "civil-defence"),
    ("国防动员", "civil-defence"),
    ("人防", "civil-defence"),
    ("气象", "meteorology"),
    ("税务", "taxation"),
    ("融媒体", "media-centre"),
    ("科技馆", "science-museum"),
    ("图书馆", "library"),
    ("工商联", "federation-commerce"),
    ("工商业联合会", "federation-commerce"),
    ("总工会", "trade-union"),
    ("共青团", "youth-league"),
    ("妇联", "women-federation"),
    ("妇女联合会", "women-federation"),
    ("科协", "science-association"),
    ("科学技术协会", "science-association"),
    ("残联", "disabled-federation"),
    ("文联", "arts-federation"),
    ("社科联", "social-sciences-federation"),
    ("侨联", "overseas-federation"),
    ("红十字", "red-cross"),
    ("纲要", "outline-office"),
    ("领导小组", "leading-group"),
)


def find_place(title: str, issuers: Iterable[str]) -> Place | None:
    """The place a plan is for, from its title (青山县全民科学素质…) and the issuers' names
    (江城市青山县人民政府办公室): its abbreviation (县) and its names, shortest first."""
    m = re.match(r"^([\u4e00-\u9fff]{1,10}?(?:自治县|自治旗|新区|区|县|市|旗))", title)
    if m is None:
        return None
    name = m.group(1)
    short = "县" if name.endswith("自治县") else "旗" if name.endswith("自治旗") else name[-1]
    names = [name]
    for issuer in issuers:
        at = issuer.find(name)
        if at > 0:
            names.append(issuer[: at + len(name)])
    return Place(short=short, names=sorted(dict.fromkeys(names), key=len))


def _is_collective(name: str) -> bool:
    return collective_of(name) is not None


def split_list(text: str, known: frozenset[str] = frozenset()) -> tuple[list[str], list[str], bool, str] | None:
    """A list of units as the document writes it: (names, the separators between them, whether it
    ends in 等, the 等 words), or None when a name is empty. 、 ， , and line breaks always separate;
    和, 及, 与 and a space only where the words on both sides are names of bodies (`known` names,
    or words that read as one), so that 县发展和改革局 and 县住房和城乡建设局 stay whole."""
    text = text.strip()
    etc_match = ETC_TAIL.search(text)
    etc_words = ""
    if etc_match and len(text) > len(etc_match.group(1)):
        etc_words = etc_match.group(1)
        text = text[: -len(etc_words)].rstrip()
    parts = STRONG_SPLIT.split(text)
    names: list[str] = []
    seps: list[str] = []
    for i, piece in enumerate(parts):
        if i % 2:
            seps.append(piece)
            continue
        sub_names, sub_seps = _split_weak(piece.strip(), known)
        names += sub_names
        seps += sub_seps
    if not names or any(not n for n in names):
        return None
    return names, seps, bool(etc_words), etc_words


def _whole(name: str, known: frozenset[str]) -> bool:
    """Whether `name` can stand alone in a list: a known name, a body's name or a collective."""
    return name in known or looks_like_unit(name) or _is_collective(name)


def _split_weak(piece: str, known: frozenset[str]) -> tuple[list[str], list[str]]:
    """`piece` split at 和/及/与/spaces where both sides stand alone; from the left, each time at the
    first joiner that leaves a whole name before it."""
    if piece in known or not WEAK_SPLIT.search(piece):
        return [piece], []
    tokens = WEAK_SPLIT.split(piece)
    names: list[str] = []
    seps: list[str] = []
    current = tokens[0]
    for k in range(1, len(tokens), 2):
        joiner, after = tokens[k], tokens[k + 1]
        rest = "".join(tokens[k + 1 :])
        if _whole(current.strip(), known) and _whole_prefix(rest, known):
            names.append(current.strip())
            seps.append(joiner)
            current = after
        else:
            current += joiner + after
    names.append(current.strip())
    return names, seps


def _whole_prefix(rest: str, known: frozenset[str]) -> bool:
    """Whether what follows a joiner starts with a whole name (itself whole, or whole up to a later joiner)."""
    if _whole(rest.strip(), known):
        return True
    tokens = WEAK_SPLIT.split(rest)
    return any(_whole("".join(tokens[: k + 1]).strip(), known) for k in range(0, len(tokens) - 1, 2))


def looks_like_unit(name: str) -> bool:
    """Whether `name` reads as the name of a body: Chinese, short, ending as bodies' names end,
    with no verb in it (县科协承担领导小组办公室 is a sentence, not a body)."""
    name = LEAD_MARK.sub("", name)
    if not 2 <= len(name) <= 30 or not re.fullmatch(r"[\u4e00-\u9fff（）()·]+", name):
        return False
    if _is_collective(name):
        return True
    if VERBS.search(name):
        return False
    return name.endswith(UNIT_ENDINGS) or bool(re.fullmatch(r"团.{1,6}委", name))


# Words that make a phrase a clause about bodies rather than a body's name.
VERBS = re.compile(r"承担|负责|牵头|设在|作为|开展|建立|成立|落实|参加|参与|配合|协助|按照|根据|统筹")


def guess_kind(name: str, place: Place | None) -> str:
    """党委部门, 政府部门, 驻区单位, 事业单位, 群团组织, 人民政府 or 议事协调机构, from the name alone."""
    bare = strip_place(name, place)
    if name.endswith("人民政府") or bare in ("政府", "人民政府"):
        return "人民政府"
    if any(word in name for word in _OVERSIGHT):
        return "议事协调机构"
    if any(word in name for word in _MASS) or re.fullmatch(r"团.{1,6}委", name):
        return "群团组织"
    if name.startswith("中共") or bare.startswith("委") or any(word in name for word in _PARTY):
        return "党委部门"
    if name.endswith(("分局", "支队", "大队", "公司", "银行", "分行")) or any(w in name for w in _STATIONED):
        return "驻区单位"
    if name.endswith(_INSTITUTION):
        return "事业单位"
    return "政府部门"


def strip_place(name: str, place: Place | None) -> str:
    """`name` without the place it starts with (县教育局 -> 教育局, 中共青山县委宣传部 -> 委宣传部)."""
    if place is None:
        return name
    bare = name.removeprefix("中共")
    for form in sorted({place.short, *place.names}, key=len, reverse=True):
        if bare.startswith(form) and len(bare) > len(form):
            return bare[len(form) :]
    return name


def core(name: str, place: Place | None) -> str:
    """What stays of a unit's name without its place and party prefix: 县委宣传部 -> 宣传部."""
    bare = strip_place(name, place)
    if bare != name and bare.startswith("委") and len(bare) > 2:
        return bare[1:]
    return bare


def abbreviates(short: str, full: str) -> bool:
    """Whether `short` abbreviates `full` (卫健局 / 卫生健康局, 科协 / 科学技术协会): same first
    character, its characters in order within `full`, its last among `full`'s last three."""
    if len(short) >= len(full) or len(short) < 2 or short[0] != full[0] or short[-1] not in full[-3:]:
        return False
    it = iter(full)
    return all(c in it for c in short)


@dataclass
class UnitGroup:
    """The forms of one unit's name found in the document."""

    forms: Counter[str] = field(default_factory=Counter)  # form -> times named in responsibility lines
    first: int = 0  # where it was first named

    @property
    def name(self) -> str:
        """The form responsibility lines use most (the first found on a tie)."""
        top = max(self.forms.values())
        return next(f for f in self.forms if self.forms[f] == top)


def group_forms(named: list[str], place: Place | None) -> dict[str, UnitGroup]:
    """The forms of units' names in the order they were named (with repeats), grouped by unit:
    place variants (县教育局, 青山县教育局) and abbreviations (县卫健局, 县卫生健康局) together.
    Keyed by each group's first form."""
    groups: dict[str, UnitGroup] = {}
    by_form: dict[str, str] = {}
    by_core: dict[str, str] = {}
    for i, form in enumerate(named):
        key = by_form.get(form)
        if key is None:
            c = core(form, place)
            key = by_core.get(c)
            if key is None:
                close = [k for other, k in by_core.items() if abbreviates(c, other) or abbreviates(other, c)]
                key = close[0] if len(set(close)) == 1 else None
            if key is None:
                key = form
                groups[key] = UnitGroup(first=i)
            by_form[form] = key
            by_core.setdefault(c, key)
        groups[key].forms[form] += 1
    return groups


def protocol_order(lists: list[list[str]], first_seen: dict[str, int], rank: dict[str, int]) -> list[str]:
    """Units ordered as the document's lists order them (a unit before another where more lists put
    it there), ties broken by kind (`rank`) and by where each was first named."""
    before: Counter[tuple[str, str]] = Counter()
    for names in lists:
        for i, a in enumerate(names):
            for b in names[i + 1 :]:
                if a != b:
                    before[(a, b)] += 1
    units = sorted(first_seen, key=lambda u: (rank.get(u, 9), first_seen[u]))
    after: dict[str, set[str]] = {u: set() for u in units}  # u -> units that must come before u
    for (a, b), n in before.items():
        if a in after and b in after and n > before.get((b, a), 0):
            after[b].add(a)
    order: list[str] = []
    placed: set[str] = set()
    remaining = list(units)
    while remaining:
        ready = [u for u in remaining if after[u] <= placed] or remaining[:1]  # a circle: the first goes
        chosen = ready[0]
        order.append(chosen)
        placed.add(chosen)
        remaining.remove(chosen)
    return order


def unit_id(name: str, used: set[str], fallback: int) -> str:
    """An English id for a unit from the words of its name (教育局 -> education), else unit-<n>."""
    if re.fullmatch(r"团.{1,6}委", name):
        base = "youth-league"
    else:
        base = next((ident for word, ident in UNIT_IDS if word in name), f"unit-{fallback}")
    return unique(base, used)


def unique(base: str, used: set[str]) -> str:
    """`base`, or `base-2`, `base-3`… when taken; the id is then taken."""
    ident, n = base, 2
    while ident in used:
        ident, n = f"{base}-{n}", n + 1
    used.add(ident)
    return ident

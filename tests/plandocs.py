"""Plans of the genre as other offices publish them, made for the import tests: one plan (a county,
its units, its actions and tasks, who does what) written in many conventions (how the notice is
shaped, how items are numbered, how responsibility is stated) and published in many forms (text in
an encoding, a Word file numbered by Word, a web page, a PDF), with what an import must find in it.

Nothing here is a fixture file: each document is made from `Plan`, so a test states the variant it
needs, and the expectation comes from the same data as the document.
"""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

CN = "一二三四五六七八九十"


def cn(n: int) -> str:
    """1 -> 一, 12 -> 十二, 20 -> 二十 (as numbers are written in the genre)."""
    tens, ones = divmod(n, 10)
    if tens == 0:
        return CN[ones - 1]
    return ("" if tens == 1 else CN[tens - 1]) + "十" + (CN[ones - 1] if ones else "")


@dataclass
class Resp:
    """Who does an action or task: lead units, participating units (ending in 等), a collective."""

    leads: list[str]
    participants: list[str] = field(default_factory=list)
    etc: bool = False
    collective: str | None = None

    @property
    def units(self) -> list[str]:
        return [*self.leads, *self.participants]


@dataclass
class TaskSpec:
    title: str
    body: str
    resp: Resp | None = None  # the task's own responsibility, when the convention is by task


@dataclass
class ActionSpec:
    title: str
    body: str
    tasks: list[TaskSpec]
    resp: Resp | None = None  # the action's responsibility, when the convention is by action


@dataclass
class Plan:
    """A made-up place's plan."""

    place: str  # 青山县
    city: str  # 江城市
    short: str  # 县
    actions: list[ActionSpec]
    year: int = 2022
    number: str = "青政办发〔2022〕5号"

    @property
    def title(self) -> str:
        return f"{self.place}全民科学素质行动实施方案（2021-2025年）"

    @property
    def guard(self) -> str:
        """The body the text says oversees the work."""
        return f"{self.short}人民政府"

    @property
    def issuer(self) -> str:
        return f"{self.place}人民政府办公室"

    @property
    def party_issuer(self) -> str:
        return f"中共{self.place}委办公室"

    def units(self) -> list[str]:
        """Every unit some responsibility names, in order of first mention."""
        found: list[str] = []
        for action in self.actions:
            for resp in [action.resp, *(t.resp for t in action.tasks)]:
                if resp is not None:
                    found += [u for u in resp.units if u not in found]
        return found

    def expected_tasks(self) -> list[tuple[str, str, list[str], list[str]]]:
        """(title, body, leads, participants) of every task, as `kpsy tasks -f json` must list them."""
        out = []
        for action in self.actions:
            for task in action.tasks:
                resp = task.resp or action.resp
                assert resp is not None
                out.append((task.title, task.body, list(resp.leads), list(resp.participants)))
        return out


S = "县"


def qingshan() -> Plan:
    """青山县: 和 in unit names, a collective of towns, 等 at the end of lists."""
    return Plan(
        "青山县",
        "江城市",
        "县",
        [
            ActionSpec(
                "青少年科学素质提升行动",
                "激发青少年好奇心和想象力，增强科学兴趣。",
                [
                    TaskSpec(
                        "上好科学课",
                        "全县中小学开齐开足科学课程，每学期开展科学实践活动。",
                        Resp(["县教育局"], ["县科协"]),
                    ),
                    TaskSpec(
                        "加强科技教师培训",
                        "每年培训科技教师不少于100人次。",
                        Resp(["县教育局", "县科协"], ["县人力资源和社会保障局"]),
                    ),
                    TaskSpec(
                        "开展校外科普活动",
                        "组织科技馆进校园、科学营等活动。",
                        Resp(["县科协"], ["团县委", "县文化和旅游局"], etc=True),
                    ),
                ],
                Resp(["县教育局", "县科协"], ["县委宣传部", "团县委", "县文化和旅游局"], etc=True),
            ),
            ActionSpec(
                "农民科学素质提升行动",
                "提升农民科技文化素质，服务乡村振兴。",
                [
                    TaskSpec(
                        "培育高素质农民",
                        "每年开展农业实用技术培训不少于20期。",
                        Resp(["县农业农村局"], ["县人力资源和社会保障局", "县科协"]),
                    ),
                    TaskSpec(
                        "建设农业科技示范基地",
                        "建成农业科技示范基地5个。",
                        Resp(["县农业农村局"], [], collective="各乡镇人民政府"),
                    ),
                ],
                Resp(
                    ["县农业农村局"],
                    ["县发展和改革局", "县人力资源和社会保障局", "县科协"],
                    collective="各乡镇人民政府",
                ),
            ),
            ActionSpec(
                "老年人科学素质提升行动",
                "帮助老年人适应数字生活。",
                [
                    TaskSpec(
                        "实施智慧助老行动",
                        "开展智能技术运用培训。",
                        Resp(["县民政局", "县卫生健康局"], ["县住房和城乡建设局"]),
                    ),
                    TaskSpec(
                        "普及健康知识", "每年举办健康讲座不少于30场。", Resp(["县卫生健康局"], ["县妇联", "县总工会"])
                    ),
                ],
                Resp(["县民政局", "县卫生健康局"], ["县住房和城乡建设局", "县妇联", "县总工会"]),
            ),
        ],
    )


def chengnan() -> Plan:
    """城南区 of 临江市: districts' unit names (区科工信局, 区文旅体局), street offices as a collective."""
    return Plan(
        "城南区",
        "临江市",
        "区",
        [
            ActionSpec(
                "青少年科学素质提升行动",
                "完善科学教育体系。",
                [
                    TaskSpec("推进科学教育", "在中小学开展探究式教学。", Resp(["区教育局"], ["区科协", "团区委"])),
                    TaskSpec("举办青少年科技创新大赛", "每年举办一次区级赛事。", Resp(["区科协"], ["区教育局"])),
                ],
                Resp(["区教育局", "区科协"], ["团区委", "区科工信局"], etc=True),
            ),
            ActionSpec(
                "产业工人科学素质提升行动",
                "提高产业工人技能。",
                [
                    TaskSpec(
                        "开展职业技能培训",
                        "每年培训产业工人不少于2000人次。",
                        Resp(["区人社局"], ["区总工会", "区科工信局"]),
                    ),
                    TaskSpec(
                        "弘扬工匠精神",
                        "评选区级工匠10名。",
                        Resp(["区总工会"], ["区人社局"], collective="各街道办事处"),
                    ),
                ],
                Resp(["区人社局", "区总工会"], ["区科工信局", "区科协"], collective="各街道办事处"),
            ),
            ActionSpec(
                "科普基础设施工程",
                "完善科普场馆体系。",
                [
                    TaskSpec(
                        "建设社区科普馆", "每个街道建成科普活动室。", Resp(["区科协"], ["区文旅体局", "区住建局"])
                    ),
                    TaskSpec(
                        "用好科普教育基地", "认定区级科普教育基地5个。", Resp(["区科协", "区文旅体局"], [], etc=False)
                    ),
                ],
                Resp(["区科协"], ["区文旅体局", "区住建局", "区发展和改革局"]),
            ),
        ],
        number="南政办发〔2023〕12号",
        year=2023,
    )


def baisha() -> Plan:
    """白沙市 (a county-level city of 湘中市): 市直 units, 和 names, 市直各有关单位 as a collective."""
    return Plan(
        "白沙市",
        "湘中市",
        "市",
        [
            ActionSpec(
                "领导干部和公务员科学素质提升行动",
                "提高领导干部科学决策能力。",
                [
                    TaskSpec(
                        "加强科学素质教育培训",
                        "将科学素质纳入干部教育培训内容。",
                        Resp(["市委组织部"], ["市委党校", "市科协"]),
                    ),
                    TaskSpec(
                        "开展科学素质测评",
                        "在公务员考录中体现科学素质要求。",
                        Resp(["市委组织部", "市人力资源和社会保障局"], []),
                    ),
                ],
                Resp(["市委组织部"], ["市委党校", "市人力资源和社会保障局", "市科协"]),
            ),
            ActionSpec(
                "科普信息化提升工程",
                "推动科普与新媒体融合。",
                [
                    TaskSpec(
                        "建设科普传播平台",
                        "建成市级科普融媒体平台。",
                        Resp(["市科协"], ["市融媒体中心", "市工业和信息化局"]),
                    ),
                    TaskSpec(
                        "推广科普中国",
                        "每年注册科普信息员不少于500名。",
                        Resp(["市科协"], [], collective="市直各有关单位"),
                    ),
                ],
                Resp(["市科协", "市融媒体中心"], ["市工业和信息化局", "市委宣传部"], collective="市直各有关单位"),
            ),
            ActionSpec(
                "应急科普能力提升工程",
                "提升公众应急避险能力。",
                [
                    TaskSpec(
                        "开展应急科普宣传", "组织防灾减灾日活动。", Resp(["市应急管理局"], ["市卫生健康局", "市气象局"])
                    ),
                    TaskSpec(
                        "建设应急科普基地",
                        "建成应急科普体验馆1个。",
                        Resp(["市应急管理局", "市科协"], ["市发展和改革局"]),
                    ),
                ],
                Resp(["市应急管理局"], ["市卫生健康局", "市气象局", "市发展和改革局"], etc=True),
            ),
        ],
        number="白政办发[2021]33号",
        year=2021,
    )


PLANS = {"qingshan": qingshan, "chengnan": chengnan, "baisha": baisha}


# --- writing responsibility ----------------------------------------------------------------


def join(names: list[str], last: str | None = None) -> str:
    if last and len(names) > 1:
        return "、".join(names[:-1]) + last + names[-1]
    return "、".join(names)


def participants(resp: Resp, last: str | None = None) -> str:
    words = join(resp.participants, last)
    if resp.collective:
        words = words + "、" + resp.collective if words else resp.collective
    return words + ("等" if resp.etc else "")


def sentence(resp: Resp, style: str) -> str:
    """A statement of responsibility in one of the genre's sentence shapes."""
    leads = join(resp.leads, "和" if style == "和" else None)
    part = participants(resp)
    if style == "labelled":
        tail = (f"，{part}单位参加" if resp.etc else f"，{part}参加") if part else ""
        return f"（责任分工：由{leads}牵头{tail}）"
    if style == "subject":
        tail = f"，{part}参加" if part else ""
        return f"本行动由{leads}牵头{tail}。"
    if style == "paren-labels":
        tail = f"；配合单位：{part}" if part else ""
        return f"（牵头单位：{leads}{tail}）"
    if style == "resp-unit":
        return f"（责任单位：{join([*resp.leads, *resp.participants])}）"
    tail = (f"，{part}单位参加" if resp.etc else f"，{part}参加") if part else ""
    return f"由{leads}牵头{tail}。"


def label_lines(resp: Resp) -> list[str]:
    lines = [f"牵头单位：{join(resp.leads)}"]
    if resp.participants or resp.collective:
        lines.append(f"配合单位：{participants(resp)}")
    return lines


# --- the document as lines -----------------------------------------------------------------


@dataclass
class Style:
    """How one document is written."""

    notice: str = "above"  # above, inside, joint, joint-inside, none
    published: bool = True  # a （此件公开发布） line after the date
    copy_to: bool = True  # 抄送 in the 版记
    numbering: str = "typed"  # typed, articles (第X章/第X节/第X条)
    resp: str = "closing"  # closing, labelled, subject, paren-labels, label-lines, task-table, action-table, none
    half_width: bool = False  # 1. and (一) instead of 1． and （一）
    annex: bool = False  # a 附件 line between the notice and the plan
    imprint: bool = True


def notice_lines(plan: Plan, style: Style) -> list[str]:
    quoted = f"关于印发《{plan.title}》的通知"
    date = f"{plan.year}年3月15日"
    addressees = (
        f"各乡镇人民政府，{plan.short}直各有关单位："
        if plan.short == "县"
        else f"各街道办事处，{plan.short}直各有关单位："
    )
    body = [f"《{plan.title}》已经{plan.short}人民政府同意，现印发给你们，请结合实际认真贯彻执行。"]
    if style.notice == "none":
        return []
    if style.notice == "above":
        head = [plan.issuer, plan.number, quoted]
        sign = [plan.issuer]
    elif style.notice == "inside":
        head = [plan.number, plan.issuer + quoted]
        sign = [plan.issuer]
    elif style.notice == "joint":
        head = [plan.party_issuer, plan.issuer, plan.number, quoted]
        sign = [plan.party_issuer, plan.issuer]
    else:  # joint-inside
        head = [plan.number, f"{plan.party_issuer} {plan.issuer}{quoted}"]
        sign = [plan.party_issuer, plan.issuer]
    lines = [*head, addressees, *body, *sign, date]
    if style.published:
        lines.append("（此件公开发布）")
    if style.annex:
        lines.append("附件")
    return lines


def _numbers(style: Style) -> tuple[str, str, str]:
    if style.half_width:
        return "{}、", "({})", "{}."
    return "{}、", "（{}）", "{}．"


def outline_lines(plan: Plan, style: Style) -> list[str]:
    """The plan's own text: title, preamble, parts, actions, tasks, responsibility."""
    if style.numbering == "articles":
        return _articles(plan, style)
    part, chapter, task = _numbers(style)
    lines = [
        plan.title,
        f"为贯彻落实《国务院关于印发全民科学素质行动规划纲要（2021—2025年）的通知》（国发〔2021〕9号）精神，结合我{plan.short}实际，制定本方案。",
        part.format("一") + "总体要求",
        f"到2025年，全{plan.short}公民具备科学素质的比例超过15%。",
        part.format("二") + "提升行动",
    ]
    for ai, action in enumerate(plan.actions, 1):
        lines.append(chapter.format(cn(ai)) + action.title + "。" + action.body)
        for ti, t in enumerate(action.tasks, 1):
            lines += _task_lines(task.format(ti) + t.title + "。" + t.body, t.resp, style)
        lines += _action_resp_lines(action.resp, style)
    lines += [
        part.format("三") + "保障措施",
        chapter.format("一") + f"加强组织领导。{plan.guard}统筹推进全{plan.short}科学素质工作。",
        chapter.format("二") + "强化经费保障。将科普经费列入财政预算。",
    ]
    return lines


def _task_lines(text: str, resp: Resp | None, style: Style) -> list[str]:
    if style.resp == "paren-labels":
        assert resp is not None
        return [text + sentence(resp, "paren-labels")]
    if style.resp == "label-lines":
        assert resp is not None
        return [text, *label_lines(resp)]
    return [text]


def _action_resp_lines(resp: Resp | None, style: Style) -> list[str]:
    if style.resp in ("closing", "labelled", "subject"):
        assert resp is not None
        return [sentence(resp, style.resp)]
    return []


def _articles(plan: Plan, style: Style) -> list[str]:
    """第X章 / 第X节 / 第X条: the actions are 节, their tasks 条, numbered through."""
    n = 0

    def article(text: str) -> str:
        nonlocal n
        n += 1
        return f"第{cn(n)}条 {text}"

    lines = [
        plan.title,
        "第一章 总则",
        article(f"为提升全{plan.short}公民科学素质，根据国家和省有关部署，制定本方案。"),
    ]
    lines.append(article(f"到2025年，全{plan.short}公民具备科学素质的比例超过15%。"))
    lines.append("第二章 提升行动")
    for ai, action in enumerate(plan.actions, 1):
        lines.append(f"第{cn(ai)}节 {action.title}")
        for t in action.tasks:
            lines += _task_lines(article(t.title + "。" + t.body), t.resp, style)
        lines += _action_resp_lines(action.resp, style)
    lines += ["第三章 保障措施", article(f"{plan.guard}统筹推进全{plan.short}科学素质工作。")]
    lines += ["第四章 附则", article("本方案自印发之日起施行。")]
    return lines


def imprint_lines(plan: Plan, style: Style) -> list[str]:
    if not style.imprint:
        return []
    lines = []
    if style.copy_to:
        lines.append(f"抄送：{plan.short}委各部门，{plan.short}人大常委会办公室，{plan.short}政协办公室。")
    issuer = plan.party_issuer if style.notice.startswith("joint") else plan.issuer
    lines.append(f"{issuer} {plan.year}年3月16日印发")
    return lines


def lines_of(plan: Plan, style: Style) -> list[str]:
    return [*notice_lines(plan, style), *outline_lines(plan, style), *imprint_lines(plan, style)]


def table_rows(plan: Plan, by: str, *, two_lines: bool = False, reverse: bool = False) -> list[list[str]]:
    """A 分工表: by task (序号 | 重点任务 | 牵头单位 | 配合单位 | 完成时限) or by action; in reverse order
    (so that only titles can match rows to items); several units on lines of their own."""
    sep = "\n" if two_lines else "、"

    def cells(resp: Resp) -> list[str]:
        part = sep.join(resp.participants + ([resp.collective] if resp.collective else []))
        return [sep.join(resp.leads), part + ("等" if resp.etc and part else "") or "—"]

    if by == "action":
        rows = [["序号", "重点行动", "牵头单位", "配合单位", "完成时限"]]
        items = [(a.title, a.resp) for a in plan.actions]
    else:
        rows = [["序号", "重点任务", "牵头单位", "配合单位", "完成时限"]]
        items = [(t.title, t.resp) for a in plan.actions for t in a.tasks]
    body = []
    for i, (title, resp) in enumerate(items, 1):
        assert resp is not None
        body.append([str(i), title, *cells(resp), "2025年底前"])
    return rows + (body[::-1] if reverse else body)


def table_rows_by_action_and_task(plan: Plan) -> list[list[str]]:
    """序号 | 重点行动 | 重点任务 | 牵头单位 | 配合单位 | 完成时限: a row per task, its action's title in
    every row (a merged cell when printed with `merge=1`)."""
    rows = [["序号", "重点行动", "重点任务", "牵头单位", "配合单位", "完成时限"]]
    for action in plan.actions:
        for task in action.tasks:
            assert task.resp is not None
            part = "、".join(task.resp.participants + ([task.resp.collective] if task.resp.collective else []))
            lead = "、".join(task.resp.leads)
            rows.append([str(len(rows)), action.title, task.title, lead, part or "—", "2025年底前"])
    return rows


def for_style(plan: Plan, style: Style) -> Plan:
    """The plan as the style can state it: by task, the actions' own lines are not in the text; by
    action, the tasks' are not."""
    plan = copy.deepcopy(plan)
    by_task = style.resp in ("paren-labels", "label-lines", "task-table")
    for action in plan.actions:
        if by_task:
            action.resp = None
        else:
            for task in action.tasks:
                task.resp = None
    return plan


# --- publishing ----------------------------------------------------------------------------


def write_text(path: Path, lines: list[str], encoding: str = "utf-8") -> Path:
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    return path


W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _w(tag: str) -> str:
    return f"{{{W}}}{tag}"


LEVELS = {
    # abstract list 90: a multi-level list as the genre numbers it
    "multi": [("chineseCounting", "%1、"), ("chineseCounting", "（%2）"), ("decimal", "%3．"), ("decimal", "（%4）")],
}


def _abstract(numbering: object, ident: int, levels: list[tuple[str, str]], suffix: str = "nothing") -> None:
    from docx.oxml import parse_xml

    lvls = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:suff w:val="{suffix}"/>'
        f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/></w:lvl>'
        for i, (fmt, text) in enumerate(levels)
    )
    element = parse_xml(f'<w:abstractNum xmlns:w="{W}" w:abstractNumId="{ident}">{lvls}</w:abstractNum>')
    first_num = numbering.find(_w("num"))  # type: ignore[attr-defined]
    if first_num is not None:
        first_num.addprevious(element)
    else:
        numbering.append(element)  # type: ignore[attr-defined]


def _num(numbering: object, ident: int, abstract: int, restart: dict[int, int] | None = None) -> None:
    from docx.oxml import parse_xml

    overrides = "".join(
        f'<w:lvlOverride w:ilvl="{lvl}"><w:startOverride w:val="{start}"/></w:lvlOverride>'
        for lvl, start in (restart or {}).items()
    )
    numbering.append(  # type: ignore[attr-defined]
        parse_xml(f'<w:num xmlns:w="{W}" w:numId="{ident}"><w:abstractNumId w:val="{abstract}"/>{overrides}</w:num>')
    )


def _number_paragraph(paragraph: object, num_id: int, ilvl: int) -> None:
    from docx.oxml import parse_xml

    ppr = paragraph._p.get_or_add_pPr()  # type: ignore[attr-defined]
    ppr.insert(0, parse_xml(f'<w:numPr xmlns:w="{W}"><w:ilvl w:val="{ilvl}"/><w:numId w:val="{num_id}"/></w:numPr>'))


NUMBERED = re.compile(
    r"^(?:([一二三四五六七八九十]+)、|[（(]([一二三四五六七八九十]+)[）)]|(\d+)[．.]|[（(](\d+)[）)])"
)


def write_docx(
    path: Path,
    lines: list[str],
    tables: list[list[list[str]]] = (),  # type: ignore[assignment]
    *,
    word_numbering: str = "",
    print_ready: bool = False,
    table_style: TableStyle | None = None,
) -> Path:
    """A .docx of `lines` (then `tables`). `word_numbering`: "multi" numbers 一、（一）1．（1） with one
    multi-level Word list (numbers removed from the text); "separate" with one list per level and a
    restart (startOverride) for each chapter's tasks; "styles" with the numbering in the heading
    styles; "tasks" only the tasks, by Word ("%1." half-width). `print_ready`: indented, justified,
    a page-number footer, as an office prints it. `table_style`: how the tables are drawn (rules,
    merged cells, row heights, a header row repeated on every page)."""
    import docx

    document = docx.Document()
    numbering = document.part.numbering_part.element
    if word_numbering:
        _abstract(numbering, 90, LEVELS["multi"])
        _abstract(numbering, 91, [("decimal", "%1.")], "space")
        _abstract(numbering, 92, [("chineseCounting", "（%1）")])
        _num(numbering, 900, 90)
    state = {"next": 901, "task_num": 0, "chapter_num": 0}
    for line in lines:
        m = NUMBERED.match(line) if word_numbering else None
        level = next((i for i in range(4) if m and m.group(i + 1)), None)
        if m is not None and level is not None and _auto(word_numbering, level):
            paragraph = document.add_paragraph(line[m.end() :])
            _apply_numbering(document, numbering, paragraph, level, word_numbering, state)
        else:
            paragraph = document.add_paragraph(line)
        if print_ready:
            _print_ready(paragraph, line)
    for rows in tables:
        _add_table(document, rows, table_style or TableStyle())
    if print_ready:
        _footer(document)
    document.save(str(path))
    return path


@dataclass
class TableStyle:
    """How a .docx table is drawn: ruled (Word's 「网格型」) or not, the column whose equal cells one
    below the other are merged into one, each row's least height (cm, to make a table run over pages),
    the header row repeated at the top of each page."""

    ruled: bool = False
    merge: int | None = None
    row_height: float = 0.0
    repeat_header: bool = False


def _add_table(document: object, rows: list[list[str]], style: TableStyle) -> None:
    from docx.oxml import parse_xml
    from docx.shared import Cm

    table = document.add_table(rows=len(rows), cols=len(rows[0]))  # type: ignore[attr-defined]
    if style.ruled:
        table.style = document.styles["Table Grid"]  # type: ignore[attr-defined]
    runs = _merge_runs(rows, style.merge)
    for r, row in enumerate(rows):
        if style.row_height and r:
            table.rows[r].height = Cm(style.row_height)
        for c, value in enumerate(row):
            if c == style.merge and any(r0 < r <= r1 for r0, r1 in runs):
                continue
            cell = table.cell(r, c)
            parts = value.split("\n")
            cell.text = parts[0]
            for more in parts[1:]:
                cell.add_paragraph(more)
    for r0, r1 in runs:
        assert style.merge is not None
        table.cell(r0, style.merge).merge(table.cell(r1, style.merge))
    if style.repeat_header:
        trpr = table.rows[0]._tr.get_or_add_trPr()
        trpr.append(parse_xml(f'<w:tblHeader xmlns:w="{W}"/>'))


def _merge_runs(rows: list[list[str]], column: int | None) -> list[tuple[int, int]]:
    """(first, last) rows of each run of equal cells in `column`, below the header."""
    if column is None:
        return []
    runs: list[tuple[int, int]] = []
    for r in range(1, len(rows)):
        if runs and runs[-1][1] == r - 1 and rows[r][column] == rows[runs[-1][0]][column]:
            runs[-1] = (runs[-1][0], r)
        else:
            runs.append((r, r))
    return [(a, b) for a, b in runs if b > a]


def _auto(kind: str, level: int) -> bool:
    return kind != "tasks" or level == 2


def _apply_numbering(
    document: object, numbering: object, paragraph: object, level: int, kind: str, state: dict[str, int]
) -> None:
    if kind == "multi":
        _number_paragraph(paragraph, 900, level)
    elif kind == "styles":
        style = {0: "Heading 1", 1: "Heading 2"}.get(level)
        if style is not None:
            _style_numbering(document, style, 900, level)
            paragraph.style = document.styles[style]  # type: ignore[attr-defined]
        else:
            _number_paragraph(paragraph, 900, level)
    elif kind == "tasks":
        if level == 2:
            if state["task_num"] == 0 or state.get("chapter_seen"):
                state["task_num"] = state["next"]
                state["next"] += 1
                _num(numbering, state["task_num"], 91, {0: 1})
                state["chapter_seen"] = 0
            _number_paragraph(paragraph, state["task_num"], 0)
    else:  # separate lists, a new instance (restart) for each chapter's tasks
        if level == 2:
            if state.get("chapter_seen") or state["task_num"] == 0:
                state["task_num"] = state["next"]
                state["next"] += 1
                _num(numbering, state["task_num"], 90, {2: 1})
                state["chapter_seen"] = 0
            _number_paragraph(paragraph, state["task_num"], 2)
        else:
            _number_paragraph(paragraph, 900, level)
    if level < 2:
        state["chapter_seen"] = 1


def _style_numbering(document: object, style_name: str, num_id: int, level: int) -> None:
    from docx.oxml import parse_xml

    style = document.styles[style_name]  # type: ignore[attr-defined]
    ppr = style.element.get_or_add_pPr()
    if ppr.find(_w("numPr")) is None:
        ppr.insert(
            0, parse_xml(f'<w:numPr xmlns:w="{W}"><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>')
        )


def _print_ready(paragraph: object, line: str) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    fmt = paragraph.paragraph_format  # type: ignore[attr-defined]
    if line.endswith(("的通知", "（2021-2025年）")) or re.fullmatch(r"\d{4}年\d+月\d+日", line):
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER  # type: ignore[attr-defined]
    else:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY  # type: ignore[attr-defined]
        fmt.first_line_indent = Pt(24)
    for run in paragraph.runs:  # type: ignore[attr-defined]
        run.font.size = Pt(12)


def _footer(document: object) -> None:
    from docx.oxml import parse_xml

    footer = document.sections[0].footer  # type: ignore[attr-defined]
    p = footer.paragraphs[0]
    p.text = "— "
    for part in (
        '<w:fldChar w:fldCharType="begin"/>',
        '<w:instrText xml:space="preserve"> PAGE </w:instrText>',
        '<w:fldChar w:fldCharType="separate"/>',
        "<w:t>1</w:t>",
        '<w:fldChar w:fldCharType="end"/>',
    ):
        p._p.append(parse_xml(f'<w:r xmlns:w="{W}">{part}</w:r>'))
    p.add_run(" —")


def hard_wrap(lines: list[str], column: int = 30, spaced: bool = True) -> list[str]:
    """`lines` as pdftotext writes a printed page: wrapped at `column` characters, with a space
    between Chinese and Latin letters or digits (2022 年 3 月), a page number after every 20 lines."""
    out: list[str] = []
    for line in lines:
        while line:
            used, cut = 0.0, 0
            while cut < len(line) and used + (0.5 if line[cut].isascii() else 1.0) <= column:
                used += 0.5 if line[cut].isascii() else 1.0
                cut += 1
            piece, line = line[:cut], line[cut:]
            if spaced:
                piece = re.sub(r"(?<=[\u4e00-\u9fff])(?=[0-9A-Za-z])|(?<=[0-9A-Za-z])(?=[\u4e00-\u9fff])", " ", piece)
            out.append(piece)
            if len(out) % 20 == 0:
                out.append(f"— {len(out) // 20} —")
    return out


def strip_numbers(lines: list[str]) -> list[str]:
    return [line[m.end() :] if (m := NUMBERED.match(line)) else line for line in lines]


GOV_PAGE = """<!DOCTYPE html>
<html><head><meta charset="{charset}"><title>{notice}_政策文件_{place}人民政府</title>
<script>var _hmt = _hmt || [];</script><style>.nav {{ color: red }}</style></head>
<body>
<div class="top"><a href="/">{place}人民政府门户网站</a> <a href="/en">English</a> <a href="/wza">无障碍浏览</a></div>
<div class="nav"><ul><li><a href="/">首页</a></li><li><a href="/zwgk">政务公开</a></li><li><a href="/bsfw">办事服务</a></li>
<li><a href="/hdjl">互动交流</a></li><li><a href="/zjqs">走进{place}</a></li></ul></div>
<div class="crumb">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk">政务公开</a> &gt; <a>政策文件</a></div>
<div class="main">
<table class="meta">
<tr><td>索引号：</td><td>43042-0000-2022-00015</td><td>发布机构：</td><td>{place}人民政府办公室</td></tr>
<tr><td>发文字号：</td><td>{number}</td><td>成文日期：</td><td>{year}-03-15</td></tr>
<tr><td>主题分类：</td><td>科技、教育</td><td>有效性：</td><td>有效</td></tr>
</table>
<h1 class="title">{notice}</h1>
<div class="info">发布时间：{year}-03-16 10:20 来源：{place}人民政府办公室 浏览次数：1024 【字体：大 中 小】</div>
<div class="article" id="zoom">
{body}
</div>
<div class="tools">【<a href="javascript:window.print()">打印本页</a>】 【<a href="javascript:window.close()">关闭窗口</a>】</div>
<div class="share">分享到：<a>微信</a> <a>微博</a></div>
<div class="related"><h3>相关链接</h3><ul><li><a href="/a">{place}2021年科普日活动方案</a></li><li><a href="/b">关于开展科技活动周的通知</a></li></ul></div>
</div>
<div class="footer"><p>主办：{place}人民政府办公室 承办：{place}大数据中心</p><p>网站标识码：4304000001 湘ICP备05000000号</p>
<p>地址：{place}人民路1号 电话：0731-0000000</p></div>
</body></html>
"""


def write_html(
    path: Path,
    plan: Plan,
    lines: list[str],
    tables: list[list[list[str]]] = (),  # type: ignore[assignment]
    *,
    charset: str = "utf-8",
    breaks: bool = False,
    notice_in_h1: bool = True,
) -> Path:
    """A government site's page: navigation, breadcrumb, a metadata box, the notice's title in an
    <h1>, the article (paragraphs, or one block broken by <br>), tools, links and a footer."""
    import html

    notice_title = next((x for x in lines if "关于印发" in x), plan.title)
    body_lines = [x for x in lines if not (notice_in_h1 and x == notice_title)]
    if breaks:
        body = "<p>" + "<br>\n".join("&nbsp;&nbsp;&nbsp;&nbsp;" + html.escape(x) for x in body_lines) + "</p>"
    else:
        body = "\n".join(f'<p style="text-indent:2em">{html.escape(x)}</p>' for x in body_lines)
    for rows in tables:
        cells = "".join(
            "<tr>" + "".join(f"<td>{html.escape(c).replace(chr(10), '<br>')}</td>" for c in row) + "</tr>"
            for row in rows
        )
        body += f'\n<p>附件</p><p style="text-align:center">{html.escape(plan.title)}任务分工表</p><table border="1">{cells}</table>'
    page = GOV_PAGE.format(
        charset=charset,
        notice=html.escape(notice_title),
        place=plan.place,
        number=plan.number,
        year=plan.year,
        body=body,
    )
    codec = {"gbk": "gb18030", "gb2312": "gb18030"}.get(charset, charset)
    path.write_bytes(page.encode(codec))
    return path


def soffice_convert(paths: list[Path], to: str, out: Path) -> list[Path]:
    """`paths` converted by LibreOffice to `to` (pdf, doc, odt) in `out`, all in one run."""
    import shutil
    import subprocess

    program = shutil.which("soffice") or shutil.which("libreoffice")
    assert program is not None
    profile = (out.resolve() / "lo-profile").as_uri()
    subprocess.run(
        [
            program,
            "--headless",
            f"-env:UserInstallation={profile}",
            "--convert-to",
            to,
            "--outdir",
            str(out),
            *map(str, paths),
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    made = [out / (p.stem + "." + to.split(":")[0]) for p in paths]
    assert all(p.exists() for p in made), made
    return made


__all__ = [
    "PLANS",
    "Plan",
    "Resp",
    "Style",
    "TableStyle",
    "for_style",
    "lines_of",
    "replace",
    "soffice_convert",
    "strip_numbers",
    "table_rows",
    "table_rows_by_action_and_task",
    "write_docx",
    "write_html",
    "write_text",
]

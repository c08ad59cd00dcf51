"""The conventions of the genre, as data: how offices shape the notice around a plan, number its
items, state who is responsible, name groups of bodies, close the document with its 版记, and what
a web page or a PDF puts around the text.

Each convention is one entry: a stable key (JSON reports use it), its name in English and in
Chinese (the import report names the conventions it recognised: 「任务编号：Word 自动编号；责任分工：
括号内牵头单位/配合单位」), and the pattern that recognises it, where one does. The importer's code
reads these tables; a new convention is a new entry, not a new branch in the code.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kpsy.i18n import msg
from kpsy.plan.collectives import COLLECTIVES, Collective, collective_of

__all__ = ["COLLECTIVES", "Collective", "collective_of"]


@dataclass(frozen=True)
class Convention:
    """One way documents of the genre write something."""

    key: str
    kind: str  # one of KINDS
    en: str
    zh: str
    pattern: re.Pattern[str] | None = None

    @property
    def name(self) -> str:
        return msg(self.en, self.zh)


# What the report groups conventions under.
KINDS: dict[str, tuple[str, str]] = {
    "source": ("source", "来源"),
    "notice": ("notice", "印发通知"),
    "numbering": ("numbering", "任务编号"),
    "responsibility": ("responsibility", "责任分工"),
    "collective": ("collectives", "集体名称"),
    "left-out": ("left out on purpose", "有意略去"),
}


def _c(key: str, kind: str, en: str, zh: str, pattern: str | None = None) -> Convention:
    return Convention(key, kind, en, zh, re.compile(pattern) if pattern else None)


CN = "零〇一二三四五六七八九十百"
DOC_NUMBER_RE = r"[\u4e00-\u9fff]{1,14}[〔\[【（(]\d{4}[〕\]】）)] ?\d{1,4} ?号"

# --- the notice around the plan ------------------------------------------------------------
NOTICE: tuple[Convention, ...] = (
    _c(
        "notice-title",
        "notice",
        "notice title 关于印发《…》的通知",
        "通知标题「关于印发《…》的通知」",
        r"^(?P<issuer>[^，。；：:]*?)关于(?:印发|转发|下发|颁发|公布)(?P<title>.+?)的通知$",
    ),
    _c("notice-issuer-above", "notice", "issuer above the title", "发文机关在标题上方"),
    _c("notice-issuer-inside", "notice", "issuer inside the title", "发文机关在标题内"),
    _c("notice-joint", "notice", "a joint notice", "联合发文"),
    _c("doc-number", "notice", "document number (文号)", "发文字号", rf"^{DOC_NUMBER_RE}$"),
    _c("addressees", "notice", "addressees ending in 「：」", "主送机关", r"^[^。；！？]{2,300}[：:]$"),
    _c("signature-date", "notice", "signature and date", "署名和成文日期", r"^(\d{4})年(\d{1,2})月(\d{1,2})日$"),
)
NOTICE_BY_KEY = {c.key: c for c in NOTICE}

# --- numbering -----------------------------------------------------------------------------


@dataclass(frozen=True)
class NumberShape:
    """A way of writing an item's number: its regex (the numeral in group `n`), how the number is
    written as a kpsy numbering pattern, and what kind of numeral it is."""

    key: str
    zh: str
    regex: re.Pattern[str]
    numeral: str  # cn, n or circled
    template: str  # the pattern, with {open}/{close}/{mark}/{gap} filled from the match


def _n(key: str, zh: str, regex: str, numeral: str, template: str) -> NumberShape:
    return NumberShape(key, zh, re.compile(regex), numeral, template)


NUMBERS: tuple[NumberShape, ...] = (
    _n("zhang", "「第X章」", rf"^第(?P<n>[{CN}]+)章(?P<gap> ?)", "cn", "第{cn}章{gap}"),
    _n("bufen", "「第X部分」", rf"^第(?P<n>[{CN}]+)部分(?P<gap> ?)", "cn", "第{cn}部分{gap}"),
    _n("jie", "「第X节」", rf"^第(?P<n>[{CN}]+)节(?P<gap> ?)", "cn", "第{cn}节{gap}"),
    _n("tiao", "「第X条」", rf"^第(?P<n>[{CN}]+)条(?P<gap> ?)", "cn", "第{cn}条{gap}"),
    _n("cn", "「一、」", rf"^(?P<n>[{CN}]+)(?P<mark>[、．.])(?P<gap> ?)", "cn", "{cn}{mark}{gap}"),
    _n(
        "cnp",
        "「（一）」",
        rf"^(?P<open>[（(])(?P<n>[{CN}]+)(?P<close>[）)])(?P<gap> ?)",
        "cn",
        "{open}{cn}{close}{gap}",
    ),
    _n("ar", "「1．」", r"^(?P<n>\d{1,3})(?P<mark>[．.、])(?![\d％%])(?P<gap> ?)", "n", "{n}{mark}{gap}"),
    _n("arp", "「（1）」", r"^(?P<open>[（(])(?P<n>\d{1,3})(?P<close>[）)])(?P<gap> ?)", "n", "{open}{n}{close}{gap}"),
    _n("arh", "「1）」", r"^(?P<n>\d{1,3})(?P<close>[）)])(?P<gap> ?)", "n", "{n}{close}{gap}"),
    _n("circ", "「①」", r"^(?P<n>[①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳])(?P<gap> ?)", "circled", "{circled}{gap}"),
)
# Families numbered through the whole document whatever the level they stand at.
THROUGH = ("tiao",)
NUMBERING: tuple[Convention, ...] = (
    _c("word-numbering", "numbering", "Word automatic numbering", "Word 自动编号"),
    _c("typed-numbering", "numbering", "typed numbers", "手工输入的编号"),
    *(_c(f"numbers-{s.key}", "numbering", s.zh, s.zh) for s in NUMBERS),
)

# --- responsibility ------------------------------------------------------------------------

LEAD_LABELS = ("总牵头单位", "总牵头部门", "牵头单位", "牵头部门", "主责单位", "主责部门", "主办单位", "牵头领导单位")
RESP_LABELS = ("责任单位", "责任部门", "实施单位", "承办单位")
PART_LABELS = (
    "配合单位",
    "配合部门",
    "参与单位",
    "参与部门",
    "参加单位",
    "参加部门",
    "协办单位",
    "协作单位",
    "协同单位",
    "协助单位",
)
LABELS = LEAD_LABELS + RESP_LABELS + PART_LABELS
# What may stand before a sentence 由A牵头，B参加: a label, or the subject it is about.
SENTENCE_LABELS = ("责任分工", "分工", "工作分工", "责任单位", "牵头单位")
SUBJECTS = (
    "本行动",
    "本工程",
    "本项行动",
    "本项工程",
    "本项工作",
    "本项任务",
    "本任务",
    "此项工作",
    "此项任务",
    "该项工作",
    "该行动",
    "以上工作",
    "以上任务",
    "上述工作",
    "上述任务",
    "各项任务",
)
LEAD_VERBS = ("共同牵头", "牵头负责", "负责牵头", "牵头抓总", "牵头落实", "牵头组织", "牵头")
PART_VERBS = (
    "配合实施",
    "配合落实",
    "共同参与",
    "共同参加",
    "参加",
    "参与",
    "配合",
    "协助",
    "协同",
    "协办",
    "共同落实",
)

RESPONSIBILITY: tuple[Convention, ...] = (
    _c("closing-sentence", "responsibility", "a sentence 由A牵头，B参加", "「由…牵头，…参加」句"),
    _c("subject-sentence", "responsibility", "a sentence 本行动由A牵头，B参加", "「本行动由…牵头，…参加」句"),
    _c("labelled-sentence", "responsibility", "（责任分工：由A牵头，B参加）", "「（责任分工：由…牵头，…参加）」"),
    _c("parenthesised-sentence", "responsibility", "由A牵头 in parentheses", "括号内「由…牵头」"),
    _c("label-lines", "responsibility", "label lines 牵头单位：/配合单位：", "标注行「牵头单位：」「配合单位：」"),
    _c(
        "parenthesised-labels",
        "responsibility",
        "牵头单位/配合单位 in parentheses",
        "括号内牵头单位/配合单位",
    ),
    _c(
        "collective-only",
        "responsibility",
        "a collective in parentheses （各成员单位）",
        "括号内集体名称「（各成员单位）」",
    ),
    _c("task-table", "responsibility", "a 分工表 by task", "分工表（按任务）"),
    _c("action-table", "responsibility", "a 分工表 by action", "分工表（按行动）"),
    _c("first-leads", "responsibility", "the first unit named leads", "排在首位的为牵头单位"),
)
FIRST_LEADS_NOTE = re.compile(r"(?:排名|排在?|列)?(?:首位|第一位?|第一个?)的?(?:单位|部门)?(?:为|是)牵头(?:单位|部门)")

# The columns of a 分工表, by the words of their header.
TABLE_COLUMNS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("number", ("序号", "编号")),
    ("lead", ("牵头单位", "牵头部门", "责任单位", "责任部门", "主责单位", "牵头")),
    ("participants", ("配合单位", "配合部门", "参与单位", "参加单位", "协办单位", "协作单位", "配合", "参与", "参加")),
    ("due", ("完成时限", "完成时间", "时间安排", "时限", "进度", "时间")),
    (
        "task",
        (
            "重点任务",
            "主要任务",
            "工作任务",
            "任务",
            "工作内容",
            "具体措施",
            "措施",
            "重点工作",
            "内容",
        ),
    ),
    ("action", ("重点行动", "行动名称", "提升行动", "行动", "重点工程", "工程名称", "工程")),
)

# --- collectives ---------------------------------------------------------------------------
COLLECTIVE_CONVENTIONS: tuple[Convention, ...] = tuple(
    _c(f"collective-{c.key}", "collective", c.en, c.zh) for c in COLLECTIVES
)

# --- what is left out on purpose -----------------------------------------------------------
LEFT_OUT: tuple[Convention, ...] = (
    _c(
        "publication-note",
        "left-out",
        "publication note （此件公开发布）",
        "公开属性「（此件公开发布）」",
        r"^[（(]此件(?:公开发布|主动公开|依申请公开|不予公开|不公开|删减后公开|公开)[）)]$",
    ),
    _c("annex-mark", "left-out", "annex mark 附件", "附件标记", r"^附件\s*\d{0,2}\s*[：:]?$"),
    _c("copy-to", "left-out", "版记: 抄送", "版记：抄送", r"^(?:抄送|抄报|分送|发送|报送|送)[：:]"),
    _c("imprint-rule", "left-out", "版记 rules", "版记分隔线", r"^[-—─━_＿=＝–\s]{3,}$"),
    _c("copies", "left-out", "版记: number of copies", "版记：印数", r"^[（(]?共印\s*\d+\s*份[）)]?$"),
    _c("imprint", "left-out", "版记: printed by, on", "版记：印发机关和日期"),
    _c("closing-signature", "left-out", "the plan's own signature and date at its end", "文末落款（署名、日期）"),
    _c("page-furniture", "left-out", "page numbers, running heads", "页码、页眉页脚", None),
    _c(
        "web-breadcrumb",
        "left-out",
        "a web page's navigation",
        "网页导航栏",
        r"^(?:您?当前(?:的)?位置|您的位置|所在位置|首页)\s*[：:>»›＞]|(?:^|\s)首页\s*[>»›＞]",
    ),
    _c(
        "web-metadata",
        "left-out",
        "a web page's metadata (发布时间, 来源, 索引号 …)",
        "网页元数据（发布时间、来源、索引号等）",
        r"^(?:【?\s*)?(?:发布时间|发布日期|更新时间|信息来源|来源|作者|浏览次数|点击数|阅读次数|访问次数|浏览量|字号|"
        r"索引号|发布机构|发文机关|主题分类|成文日期|有效性|文\s*号|公开方式|公开范围|信息分类|组配分类|体裁分类|"
        r"主题词|责任编辑|编辑|审核|【?字体)\s*[：:]",
    ),
    _c(
        "web-tools",
        "left-out",
        "a web page's tools (print, close, share)",
        "网页工具栏（打印、关闭、分享）",
        r"^(?:[【\[]?\s*(?:打印本页|打印|关闭窗口|关闭|返回顶部|收藏|分享到?|扫一扫.*|上一篇.*|下一篇.*|相关链接|"
        r"附件下载|字体|大|中|小|默认|视力保护色|保护视力色|加入收藏|我要纠错|纠错)\s*[】\]]?\s*[:：]?\s*)+$"
        r"|^[【\[]?(?:分享到|分享至|扫一扫|上一篇|下一篇|相关链接|相关文件|附件下载|网站地图)",
    ),
    _c("web-links", "left-out", "links to other pages", "网页链接列表"),
    _c("web-outside", "left-out", "the site around the article (menus, footer)", "网页正文以外的部分（栏目、页脚等）"),
    _c(
        "table-heading",
        "left-out",
        "the 分工表's heading (its rows go onto the tasks)",
        "分工表标题（表中各行已并入任务）",
    ),
)
LEFT_OUT_BY_KEY = {c.key: c for c in LEFT_OUT}
_METADATA_WORDS: tuple[str, ...] = (
    "索引号",
    "发布机构",
    "发文机关",
    "发布日期",
    "成文日期",
    "主题分类",
    "文号",
    "有效性",
    "发布时间",
)
_METADATA_WORDS += ("公开方式", "信息来源", "体裁分类", "组配分类", "主题词")

SOURCES: tuple[Convention, ...] = (
    _c("pdf-joined", "source", "PDF lines joined into paragraphs", "PDF 断行已合并为段落"),
    _c("pdf-tables", "source", "PDF tables rebuilt from their ruling lines", "PDF 表格已按表格线还原"),
    _c("text-joined", "source", "hard-wrapped lines joined into paragraphs", "文本中的硬换行已合并为段落"),
    _c("web-article", "source", "a web page's article", "网页正文"),
    _c("libreoffice", "source", "converted by LibreOffice", "经 LibreOffice 转换"),
)

ALL: dict[str, Convention] = {
    c.key: c for c in (*SOURCES, *NOTICE, *NUMBERING, *RESPONSIBILITY, *COLLECTIVE_CONVENTIONS, *LEFT_OUT)
}


def left_out(text: str) -> str | None:
    """The key of the convention by which a line is left out of the plan on purpose (outside the
    版记 and web pages: 「（此件公开发布）」), or None."""
    for key in ("publication-note", "annex-mark"):
        pattern = LEFT_OUT_BY_KEY[key].pattern
        if pattern is not None and pattern.match(text):
            return key
    return None


def imprint_line(text: str) -> str | None:
    """The key of a line of the 版记 that kpsy does not keep (抄送, rules, copies), or None."""
    for key in ("copy-to", "imprint-rule", "copies"):
        pattern = LEFT_OUT_BY_KEY[key].pattern
        if pattern is not None and pattern.match(text):
            return key
    return None


def page_furniture(text: str) -> str | None:
    """The key of a web page's or a print's furniture that `text` is (navigation, metadata, tools), or None."""
    if len(text) > 120:
        return None
    for key in ("web-breadcrumb", "web-metadata", "web-tools"):
        pattern = LEFT_OUT_BY_KEY[key].pattern
        if pattern is not None and pattern.search(text):
            return key
    return None


def is_metadata_table(cells: list[str]) -> bool:
    """Whether a table is a web page's metadata box (索引号, 发布机构, 发布日期 …)."""
    text = "".join(cells)
    return sum(1 for word in _METADATA_WORDS if word in text) >= 2


PLAN_TITLE = re.compile(r"(?:方案|计划|规划|纲要|要点|意见|细则|办法|通知)(?:[（(][^（）()]{2,30}[）)])?$")


def looks_like_title(text: str) -> bool:
    """Whether a line reads as a document's title: no sentence punctuation, ending as plans and
    notices end (…实施方案（2021-2025年）, …的通知)."""
    return 6 <= len(text) <= 120 and not re.search(r"[。；！？]", text) and bool(PLAN_TITLE.search(text))

"""Each proofreading rule on one line of text: what it must catch, and what it must leave alone
(yamllint's way of testing rules: one case a line)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kpsy.checks.proof import proof_rules, run_rules
from kpsy.checks.proof.base import Hit, paired
from kpsy.checks.proof.citations import normal_number, registry
from kpsy.checks.proof.numbers import chinese_numeral
from kpsy.findings import RULES


def hits(rule_id: str, *texts: str) -> list[tuple[int, Hit]]:
    check = RULES[rule_id].check
    assert check is not None
    return list(check(list(texts)))


def found(rule_id: str, text: str) -> list[tuple[str, str | None, bool]]:
    """(text found, suggested, safe) for each hit of the rule in `text`."""
    return [(text[h.start : h.end], h.suggested, h.safe) for _, h in hits(rule_id, text)]


# (rule, text, text found, text suggested (None: no suggestion), safe)
CATCH: list[tuple[str, str, str, str | None, bool]] = [
    ("halfwidth-punctuation", "加强科普,提升素质", ",", "，", True),
    ("halfwidth-punctuation", "做好工作;推进落实", ";", "；", True),
    ("halfwidth-punctuation", "主要任务:加强科普", ":", "：", True),
    ("halfwidth-punctuation", "是否落实?", "?", "？", True),
    ("halfwidth-punctuation", "全力以赴!", "!", "！", True),
    ("halfwidth-punctuation", "做好工作.下一步", ".", "。", True),
    ("halfwidth-punctuation", "认真遵照执行.", ".", "。", True),
    ("halfwidth-punctuation", "推动人工智能(AI)应用", "(AI)", "（AI）", True),
    ("halfwidth-punctuation", "实施方案(2021—2025年)", "(2021—2025年)", "（2021—2025年）", True),
    ("halfwidth-punctuation", "实施方案（2021—2025年)", "（2021—2025年)", "（2021—2025年）", True),
    ("halfwidth-punctuation", '开展"科普进校园"活动', '"科普进校园"', "“科普进校园”", True),
    ("halfwidth-punctuation", "云计算、AI, 大数据", ", ", "，", True),
    ("halfwidth-punctuation", "《实施方案》,按照责任分工", ",", "，", True),
    ("halfwidth-punctuation", "网址:https://www.gov.cn", ":", "：", True),
    ("quote-direction", "开展”科普进校园“活动", "”", "“", True),
    ("quote-direction", "开展“科普进校园“活动", "“", "”", True),
    (
        "quote-direction",
        "围绕“实施“干部专业化能力提升计划””",
        "“干部专业化能力提升计划”",
        "‘干部专业化能力提升计划’",
        True,
    ),
    ("book-title-nesting", "《关于印发<实施方案>的通知》", "<实施方案>", "〈实施方案〉", True),
    ("book-title-nesting", "《关于印发＜实施方案＞的通知》", "＜实施方案＞", "〈实施方案〉", True),
    ("book-title-nesting", "《关于印发《实施方案》的通知》", "《实施方案》", "〈实施方案〉", True),
    ("book-title-nesting", "学习〈实施方案〉", "〈实施方案〉", "《实施方案》", True),
    ("unbalanced-brackets", "落实《全民科学素质行动规划纲要", "《", None, False),
    ("unbalanced-brackets", "实施方案（2021—2025年", "（", None, False),
    ("unbalanced-brackets", "开展“科普进校园活动", "“", None, False),
    ("unbalanced-brackets", "推进科普）活动", "）", None, False),
    ("unbalanced-brackets", "落实方案》要求", "》", None, False),
    ("doubled-punctuation", "推进落实。。", "。。", "。", True),
    ("doubled-punctuation", "推进落实，，加强科普", "，，", "，", True),
    ("doubled-punctuation", "推进落实，。", "，。", "。", False),
    ("doubled-punctuation", "科普、，推广", "、，", "，", False),
    ("doubled-punctuation", "是否落实？。", "？。", "？", False),
    ("doubled-punctuation", "推进落实，,加强科普", "，,", "，", True),
    ("ellipsis", "科普、教育...", "...", "……", True),
    ("ellipsis", "科普、教育。。。", "。。。", "……", True),
    ("ellipsis", "科普、教育…", "…", "……", True),
    ("time-range-dash", "规划纲要（2021-2025年）", "2021-2025年", "2021—2025年", True),
    ("time-range-dash", "2023-2024年期间，完善工作机制", "2023-2024年", "2023—2024年", True),
    ("time-range-dash", "规划（2021－2025年）", "2021－2025年", "2021—2025年", True),
    ("time-range-dash", "规划（2021–2025年）", "2021–2025年", "2021—2025年", True),
    ("time-range-dash", "规划（2021~2025年）", "2021~2025年", "2021—2025年", True),
    ("time-range-dash", "规划（2021一2025年）", "2021一2025年", "2021—2025年", True),
    ("time-range-dash", "规划（2021——2025年）", "2021——2025年", "2021—2025年", True),
    ("time-range-dash", "规划（2021年-2025年）", "2021年-2025年", "2021年—2025年", True),
    ("time-range-dash", "2023年3月-6月开展", "2023年3月-6月", "2023年3月—6月", True),
    ("time-range-dash", "每年3-6月开展", "3-6月", "3—6月", True),
    ("time-range-dash", "规划纲要（2021-2025）", "2021-2025", "2021—2025", True),
    ("time-range-dash", "规划（２０２１－２０２５年）", "２０２１－２０２５年", "２０２１—２０２５年", True),
    ("year-abbreviated", "规划（2021-25年）", "2021-25年", "2021—2025年", True),
    ("year-abbreviated", "规划（2021—25年）", "2021—25年", "2021—2025年", True),
    ("year-abbreviated", "2098至02年", "2098至02年", "2098至2102年", True),
    ("cjk-space", "加强 科普工作", " ", "", True),
    ("cjk-space", "加强\u3000科普工作", "\u3000", "", True),
    ("cjk-space", "加强科普工作。 下一步", " ", "", True),
    ("cjk-space", "（ 一）组织保障", " ", "", True),
    ("cjk-space", "利用 AI ，开展", " ", "", True),
    ("fullwidth-digits", "到２０２５年", "２０２５", "2025", True),
    ("fullwidth-digits", "比例超过１５％", "１５％", "15%", True),
    ("fullwidth-digits", "比例超过15％", "％", "%", True),
    ("fullwidth-digits", "达到２３．５％", "２３．５％", "23.5%", True),
    ("document-number", "根据国发[2021]9号文件", "国发[2021]9号", "国发〔2021〕9号", True),
    ("document-number", "根据国发（2021）9号文件", "国发（2021）9号", "国发〔2021〕9号", True),
    ("document-number", "根据国发(2021)9号文件", "国发(2021)9号", "国发〔2021〕9号", True),
    ("document-number", "湘政办发【2021】74号", "湘政办发【2021】74号", "湘政办发〔2021〕74号", True),
    ("document-number", "湘政办发［2021］74号", "湘政办发［2021］74号", "湘政办发〔2021〕74号", True),
    ("document-number", "青政办发〔2022〕05号", "青政办发〔2022〕05号", "青政办发〔2022〕5号", True),
    ("document-number", "青政办发〔2022〕第5号", "青政办发〔2022〕第5号", "青政办发〔2022〕5号", True),
    ("document-number", "青政办发〔22〕5号", "青政办发〔22〕5号", "青政办发〔2022〕5号", False),
    ("document-number", "青政办发〔２０２２〕05号", "青政办发〔２０２２〕05号", "青政办发〔2022〕5号", True),
    ("doubled-character", "提高公民的的科学素质", "的的", "的", False),
    ("doubled-character", "完成了了各项任务", "了了", "了", False),
    ("doubled-character", "有利于于推进", "于于", "于", False),
    ("doubled-character", "我们们要", "们们", "们", False),
    ("doubled-character", "这是是一项重要工作", "是是", "是", False),
    ("doubled-character", "扎实推进工作工作落实", "工作工作", "工作", False),
    ("doubled-character", "全民科学素质全民科学素质行动", "全民科学素质全民科学素质", "全民科学素质", False),
    (
        "cited-document",
        "根据《国务院关于印发全民科学素质行动规划纲要（2021—2025年）的通知》（国发〔2021〕9号）精神",
        "2021—2025年",
        "2021—2035年",
        True,
    ),
    ("cited-document", "落实《全民科学素质行动规划纲要（2021-2025年）》", "2021-2025年", "2021-2035年", True),
    (
        "cited-document",
        "落实《全民科学素质行动规划纲要（2021—2035年）》（国发〔2021〕19号）",
        "国发〔2021〕19号",
        "国发〔2021〕9号",
        False,
    ),
    (
        "cited-document",
        "落实《关于加强科普工作的意见》（国发〔2021〕9号）",
        "关于加强科普工作的意见",
        "国务院关于印发全民科学素质行动规划纲要（2021—2035年）的通知",
        False,
    ),
]

# (rule, text): nothing for the rule to find
LEAVE: list[tuple[str, str]] = [
    ("halfwidth-punctuation", "全区共1,000人参加"),
    ("halfwidth-punctuation", "上午8:30开始"),
    ("halfwidth-punctuation", "发表于 Science (AAAS) 期刊"),
    ("halfwidth-punctuation", "网址：https://www.gov.cn/zhengce/a,b?c=d"),
    ("halfwidth-punctuation", "邮箱：kepu@example.org"),
    ("halfwidth-punctuation", "PM2.5浓度下降"),
    ("halfwidth-punctuation", "比例分别为15%,25%"),
    ("halfwidth-punctuation", "I think, therefore I am."),
    ("halfwidth-punctuation", "推动人工智能（AI）应用"),
    ("halfwidth-punctuation", "开展“科普进校园”活动"),
    ("halfwidth-punctuation", "等等……"),
    ("quote-direction", "开展“科普进校园”活动"),
    ("quote-direction", "“一核四新”“三强一化”"),
    ("quote-direction", "围绕“实施‘干部专业化能力提升计划’”"),
    ("book-title-nesting", "《〈中国工人〉发刊词》"),
    ("book-title-nesting", "《干部教育培训工作条例》《公务员培训规定》"),
    ("book-title-nesting", "他的论文《鲁迅先生〈《呐喊》自序〉试析》"),
    ("book-title-nesting", "当 x<5 且 y>3 时"),
    ("unbalanced-brackets", "（一）组织保障"),
    ("unbalanced-brackets", "1）加强组织领导；2）完善工作机制"),
    ("unbalanced-brackets", "a) 第一项"),
    ("unbalanced-brackets", "《方案》（2021—2025年）"),
    ("unbalanced-brackets", "开展“科普进校园”活动"),
    ("doubled-punctuation", "真的吗？！"),
    ("doubled-punctuation", "这是什么？？"),
    ("doubled-punctuation", "他说：“好。”"),
    ("doubled-punctuation", "等等……。"),
    ("doubled-punctuation", "Really?!"),
    ("ellipsis", "等等……"),
    ("ellipsis", "version 1...2"),
    ("time-range-dash", "规划纲要（2021—2025年）"),
    ("time-range-dash", "规划纲要（2021～2025年）"),
    ("time-range-dash", "2021年至2025年"),
    ("time-range-dash", "印发日期2023-04-06"),
    ("time-range-dash", "联系电话：0734-8888888"),
    ("time-range-dash", "按照GB/T 9704-2012执行"),
    ("time-range-dash", "依据 GB 2021-2025 标准"),
    ("time-range-dash", "国发〔2021〕9号"),
    ("time-range-dash", "第1-3条"),
    ("time-range-dash", "2025-2021年"),
    ("year-abbreviated", "规划（2021—2025年）"),
    ("year-abbreviated", "联系电话：0734-12年"),
    ("year-abbreviated", "2021-20年"),
    ("cjk-space", "科普 e 站"),
    ("cjk-space", "到 2025 年"),
    ("cjk-space", "填报日期：    年  月  日"),
    ("cjk-space", "I am here."),
    ("fullwidth-digits", "到2025年，比例超过15%"),
    ("fullwidth-digits", "第一、第二"),
    ("document-number", "国发〔2021〕9号"),
    ("document-number", "湘政办发〔2021〕74号"),
    ("document-number", "判决书（2021）湘04民终123号"),
    ("document-number", "实施方案（2021—2025年）"),
    ("document-number", "青政办发〔２０２２〕５号"),  # the full-width digits are `fullwidth-digits`' to report
    ("doubled-character", "常常开展科普活动"),
    ("doubled-character", "人人参与，天天学习，看看成效"),
    ("doubled-character", "研究研究再说"),
    ("doubled-character", "为了了解情况"),
    ("doubled-character", "不了了之"),
    ("doubled-character", "为了目的的实现"),
    ("doubled-character", "是是非非"),
    ("doubled-character", "实实在在"),
    ("doubled-character", "的的确确"),
    ("doubled-character", "改进工作作风"),
    ("doubled-character", "发展协会会员"),
    ("doubled-character", "发展人民民主"),
    ("doubled-character", "广播村村通"),
    ("doubled-character", "方方面面"),
    ("doubled-character", "一步一步推进"),
    ("doubled-character", "存在在思想上重视不够的问题"),
    ("doubled-character", "普及及推广"),
    (
        "cited-document",
        "根据《国务院关于印发全民科学素质行动规划纲要（2021—2035年）的通知》（国发〔2021〕9号）精神",
    ),
    ("cited-document", "落实《全民科学素质行动规划纲要（2021—2035年）》"),
    ("cited-document", "落实《全民科学素质行动规划纲要(2021-2035年)》（国发[2021]9号）"),
    ("cited-document", "落实《关于加强科普工作的意见》（国办发〔2022〕1号）"),
    ("cited-document", "制定《青山县全民科学素质行动规划纲要实施方案（2021—2025年）》"),
    (
        "cited-document",
        "根据《湖南省人民政府办公厅关于印发<湖南省全民科学素质行动规划纲要实施方案（2021-2025年）>的通知》（湘政办发〔2021〕74号）",
    ),
]


@pytest.mark.parametrize(
    ("rule_id", "text", "expected", "suggested", "safe"), CATCH, ids=[f"{c[0]}:{c[1]}" for c in CATCH]
)
def test_rule_catches(rule_id: str, text: str, expected: str, suggested: str | None, safe: bool) -> None:
    assert (expected, suggested, safe) in found(rule_id, text)


@pytest.mark.parametrize(("rule_id", "text"), LEAVE, ids=[f"{c[0]}:{c[1]}" for c in LEAVE])
def test_rule_leaves_alone(rule_id: str, text: str) -> None:
    assert found(rule_id, text) == []


def test_every_rule_is_tested_both_ways_and_documented() -> None:
    rules = {r.id for r in proof_rules()}
    whole = {"time-range-mixed", "number-style-mixed"}  # tested on several texts below
    assert rules - whole <= {c[0] for c in CATCH} and rules - whole <= {c[0] for c in LEAVE}
    for rule in proof_rules():
        assert rule.doc and rule.doc[0].isupper() and rule.doc.endswith("."), rule.id
        assert rule.stage == "proof" and rule.check is not None


def test_the_offending_character_is_pointed_at() -> None:
    [(_, hit)] = hits("time-range-dash", "规划纲要（2021-2025年）")
    assert hit.point == len("规划纲要（2021")
    [(_, hit)] = hits("book-title-nesting", "《关于印发<实施方案>的通知》")
    assert hit.point == len("《关于印发")
    [(_, hit)] = hits("document-number", "青政办发〔2022〕05号")
    assert hit.point == len("青政办发〔2022〕")
    [(_, hit)] = hits("cited-document", "《全民科学素质行动规划纲要（2021—2025年）》")
    assert hit.point == len("《全民科学素质行动规划纲要（2021—")


def test_time_ranges_written_several_ways_are_pointed_out_where_they_are_fewer() -> None:
    texts = ["规划（2021—2025年）", "2023—2024年期间", "2021年至2025年期间"]
    assert [(i, texts[i][h.start : h.end], h.suggested, h.safe) for i, h in hits("time-range-mixed", *texts)] == [
        (2, "2021年至2025年", "2021年—2025年", False)
    ]
    assert hits("time-range-mixed", "规划（2021—2025年）", "2023—2024年期间") == []
    # hyphens count as dashes (time-range-dash fixes them); the wave dash alone is fine
    assert [i for i, _ in hits("time-range-mixed", "2021-2025年", "2023-2024年", "2021～2025年")] == [2]
    assert hits("time-range-mixed", "2021～2025年", "2023～2024年") == []


def test_numbers_written_several_ways_are_pointed_out_where_they_are_fewer() -> None:
    texts = ["比例超过15%", "水平不低于25%", "比例达到百分之二十", "到2025年", "二〇二五年", "到2030年"]
    assert [(i, texts[i][h.start : h.end], h.suggested) for i, h in hits("number-style-mixed", *texts)] == [
        (2, "百分之二十", "20%"),
        (4, "二〇二五", "2025"),
    ]
    assert hits("number-style-mixed", "百分之百的信心", "超过15%") == []  # an idiom
    title = "《国民经济和社会发展第十四个五年规划和二〇三五年远景目标纲要》"
    assert hits("number-style-mixed", title, "到2025年", "到2035年") == []  # a title as it was issued
    assert hits("number-style-mixed", "展望二〇三五年远景目标", "到2025年") == []  # a set phrase
    assert hits("time-range-mixed", "《规划（2021—2025年）》", "2021年至2025年") == []
    assert hits("number-style-mixed", "二〇二五年", "二〇二六年") == []
    assert [(h.suggested, h.safe) for _, h in hits("number-style-mixed", "二〇二五年", "二〇二六年", "2027年")] == [
        ("二〇二七", False)
    ]


@pytest.mark.parametrize(
    ("words", "value"),
    [("十五", 15), ("二十五", 25), ("一百", 100), ("一百零五", 105), ("三点五", 3.5), ("一五", 15), ("百分", None)],
)
def test_chinese_numerals(words: str, value: float | None) -> None:
    assert chinese_numeral(words) == value


def test_the_registry_of_cited_documents_documents_every_fact() -> None:
    entries = registry()
    assert any(e.number == "国发〔2021〕9号" and e.period == (2021, 2035) and e.issuer == "国务院" for e in entries)
    for entry in entries:
        assert normal_number(entry.number) == entry.number
        for fact in ("number", "title", "issuer"):
            assert entry.source(fact), (entry.number, fact)
        if entry.period:
            assert entry.source("period") and f"{entry.period[0]}—{entry.period[1]}" in entry.title
        assert len({normal_number(e.number) for e in entries}) == len(entries)


def test_rules_skip_web_addresses() -> None:
    assert [r.id for r, _, _ in run_rules(["详见https://www.gov.cn/a,b;c:d?e=f!g（网址）"])] == []


PIECES = [
    *'中文的了于是在，。、；：？！,.;:?!()（）“”"《》<>〈〉〔〕[] \u3000-—～至2025年月日%％０１…',
    "2021-2025年",
    "国发[2021]09号",
    "百分之二十",
    "二〇二五年",
    "《全民科学素质行动规划纲要（2021—2025年）》",
    "https://a.cn/x,y",
]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=40).map("".join))
def test_every_hit_is_inside_its_text_and_its_change_is_what_it_suggests(text: str) -> None:
    for _rule, _, hit in run_rules([text]):
        assert 0 <= hit.start <= hit.point < max(hit.end, hit.start + 1) and hit.end <= len(text)
        for a, b, _new in hit.changes:
            assert hit.start <= a <= b <= hit.end
        if hit.parts and hit.suggested is not None:
            assert paired(text, hit.start, hit.end, hit.parts) == hit.suggested
        assert not hit.safe or hit.changes, "a safe hit changes something"

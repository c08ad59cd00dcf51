"""The fill-in workbook's layout, shared by the writer and the reader.

The reader does not trust positions: it finds the header fields by their labels and the table's
columns by their headers, so blank rows added above the table or columns moved by a careful clerk
do no harm. The unit, the period and the rows as generated are kept in a hidden sheet (`META`),
which the reader checks the visible sheet against.
"""

from __future__ import annotations

from dataclasses import dataclass

MAIN = "进展"
INDICATORS = "指标"
GUIDE = "填报说明"
META = "_kpsy"
FORMAT = "kpsy-progress-sheet"
VERSION = 2  # 2: sealed (kpsy.sheets.seal), with the file name it was issued under

TITLE_CELL = "A1"
HEADER_ROW = 6  # where the writer puts the table's header (the reader searches for it)


@dataclass(frozen=True)
class Field:
    """A header field: its label, and where the writer puts the label (the value is to its right)."""

    key: str
    label: str
    cell: str  # the label's cell
    fill_in: bool


FIELDS = (
    Field("unit", "填报单位", "A2", False),
    Field("period", "填报期间", "D2", False),
    Field("reporter", "填报人", "A3", True),
    Field("approver", "审核人（分管领导）", "D3", True),
    Field("date", "填报日期", "G3", True),
)


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    width: float
    fill_in: bool
    printed: bool = True


COLUMNS = (
    Column("number", "编号", 10, False),
    Column("title", "任务", 20, False),
    Column("role", "角色", 6, False),
    Column("others", "协同单位", 28, False),
    Column("status", "完成状态", 9, True),
    Column("percent", "完成比例（%）", 8, True),
    Column("progress", "进展情况", 32, True),
    Column("problems", "存在问题", 18, True),
    Column("next_steps", "下步打算", 18, True),
    Column("evidence", "佐证材料", 14, True),
    Column("task", "任务ID（勿改）", 14, False, printed=False),
)

INDICATOR_HEADER_ROW = 3
INDICATOR_COLUMNS = (
    Column("indicator", "指标", 26, False),
    Column("target_text", "目标", 16, False),
    Column("unit", "单位", 6, False),
    Column("value", "实际值", 10, True),
    Column("date", "统计日期", 12, True),
    Column("source", "数据来源", 28, True),
    Column("target", "目标ID（勿改）", 20, False, printed=False),
)

ROLE_LABELS = {"lead": "牵头", "participant": "参加", "mentioned": "提及"}

STATUS_HELP = {
    "已完成": "任务目标已全部实现",
    "超进度": "进度快于序时进度",
    "达进度": "按序时进度推进",
    "欠进度": "进度慢于序时进度（请在“存在问题”中说明原因）",
    "未启动": "尚未开始实施",
    "其他": "以上均不适用（请在“进展情况”中说明）",
}

FONT = "宋体"
FONT_SIZE = 11

"""Drafting the 2026–2030 plan from the bundled one: the office's steps, each an edit of a copy of the
plan folder as a person would make it (YAML files changed in place), for the revision tests.

`STEPS` are the eight steps of issue 22 (applied alone or all together, in this order); `MORE` are
others like them. Each step returns nothing and leaves a plan that `kpsy validate` accepts.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML


def _yaml() -> YAML:
    yaml = YAML()
    yaml.width = 4096
    yaml.preserve_quotes = True
    yaml.allow_unicode = True
    yaml.indent(mapping=2, sequence=4, offset=2)
    return yaml


def load(path: Path) -> Any:
    return _yaml().load(path.read_text(encoding="utf-8"))


def save(path: Path, data: Any) -> None:
    buf = io.StringIO()
    _yaml().dump(data, buf)
    path.write_text(buf.getvalue(), encoding="utf-8")


def replace(path: Path, old: str, new: str, count: int = 1) -> None:
    """Replace `old` by `new` in a file: `count` times exactly (0: every time, at least once)."""
    text = path.read_text(encoding="utf-8")
    found = text.count(old)
    assert found and (count == 0 or found >= count), f"{old!r} not in {path} {count} times"
    path.write_text(text.replace(old, new, count or -1), encoding="utf-8")


def task(chapter: Any, ident: str) -> Any:
    return next(t for t in chapter["tasks"] if t["id"] == ident)


# --- the eight steps of issue 22 -------------------------------------------------------------------


def period_and_targets(plan: Path) -> None:
    """The new period (2026–2030) in the titles and the period, and raised targets."""
    replace(plan / "document.yaml", "（2021-2025年）》的通知", "（2026-2030年）》的通知")
    replace(
        plan / "document.yaml",
        "    - 《雁峰区全民科学素质行动规划纲要实施方案（2021-2025年）》",
        "    - 《雁峰区全民科学素质行动规划纲要实施方案（2026-2030年）》",
    )
    replace(
        plan / "document.yaml",
        "  title: 雁峰区全民科学素质行动规划纲要实施方案（2021-2025年）",
        "  title: 雁峰区全民科学素质行动规划纲要实施方案（2026-2030年）",
    )
    replace(plan / "document.yaml", "    start: 2021\n    end: 2025", "    start: 2026\n    end: 2030")
    replace(
        plan / "chapters/overall-goal.yaml",
        "到2025年，我区公民具备科学素质的比例超过15%",
        "到2030年，我区公民具备科学素质的比例超过20%",
    )
    targets = load(plan / "targets.yaml")
    rate = targets["targets"][0]
    rate["value"], rate["year"] = 20, 2030
    rate["source"]["quote"] = "到2030年，我区公民具备科学素质的比例超过20%"
    save(plan / "targets.yaml", targets)
    replace(plan / "settings.yaml", "（2021-2025年）", "（2026-2030年）")
    _schedule_years(plan)


def _schedule_years(plan: Path) -> None:
    """The 进度安排 moved to the new period: its paragraph and the milestones."""
    path = plan / "chapters/schedule.yaml"
    replace(path, "2023年，区人民政府制定", "2026年，区人民政府制定")
    replace(path, "（2021-2025年）》", "（2026-2030年）》")
    replace(path, "2023-2024年期间", "2027-2028年期间")
    replace(path, "2025年，对“十四五”期间", "2030年，对“十五五”期间")
    milestones = load(plan / "schedule.yaml")
    launch, middle, final = milestones["milestones"]
    launch["period"]["start"] = launch["period"]["end"] = 2026
    launch["source"]["quote"] = (
        str(launch["source"]["quote"]).replace("2023年", "2026年").replace("2021-2025", "2026-2030")
    )
    middle["period"]["start"], middle["period"]["end"] = 2027, 2028
    middle["source"]["quote"] = str(middle["source"]["quote"]).replace("2023-2024", "2027-2028")
    final["period"]["start"] = final["period"]["end"] = 2030
    final["title"] = str(final["title"]).replace("十四五", "十五五")
    final["source"]["quote"] = str(final["source"]["quote"]).replace("2025年", "2030年").replace("十四五", "十五五")
    save(plan / "schedule.yaml", milestones)


def rename_unit(plan: Path) -> None:
    """区科工信局 becomes 区科技局 (a new id), in the registry and in every responsibility line."""
    replace(
        plan / "units.yaml",
        "  - id: science-industry\n    name: 区科工信局",
        "  - id: science-technology\n    name: 区科技局",
    )
    replace(
        plan / "units.yaml",
        "    full_name: 衡阳市雁峰区科学技术和工业信息化局\n    kind: 政府部门\n    aliases: [科工信局]",
        "    full_name: 衡阳市雁峰区科学技术局\n    kind: 政府部门\n    aliases: [科技局]",
    )
    for path in sorted((plan / "chapters").glob("*.yaml")):
        if "区科工信局" in path.read_text(encoding="utf-8"):
            replace(path, "区科工信局", "区科技局", 0)


def merge_tasks(plan: Path) -> None:
    """二（一）6． (农村青少年) merged into 二（一）2． (基础教育阶段), which keeps its id."""
    path = plan / "chapters/youth.yaml"
    youth = load(path)
    rural = task(youth, "youth-rural")
    basic = task(youth, "youth-basic-education")
    basic["body"] = str(basic["body"]) + str(rural["body"])
    youth["tasks"].remove(rural)
    save(path, youth)


def split_task(plan: Path) -> None:
    """二（三）3． (职业技能提升) split in two: its part about 农民工 becomes a task of its own after it."""
    path = plan / "chapters/workers.yaml"
    workers = load(path)
    skills = task(workers, "workers-vocational-skills")
    body = str(skills["body"])
    cut = body.index("支持实施农民工")
    skills["body"] = body[:cut]
    new = {"id": "workers-migrant", "title": "实施农民工技能提升行动", "body": body[cut:]}
    workers["tasks"].insert(workers["tasks"].index(skills) + 1, new)
    save(path, workers)


def new_action(plan: Path) -> None:
    """A sixth 提升行动 with its own leads, and the part's introduction counting six."""
    replace(
        plan / "parts/actions.yaml",
        "领导干部和公务员科学素质5项提升行动",
        "领导干部和公务员、社区居民科学素质6项提升行动",
    )
    replace(plan / "parts/actions.yaml", "  - cadres\n", "  - cadres\n  - community\n")
    chapter = {
        "id": "community",
        "title": "社区居民科学素质提升行动",
        "body": "以社区为阵地，面向城市社区居民开展科普服务，提高居民应急避险、健康生活和数字生活能力。",
        "tasks": [
            {
                "id": "community-services",
                "title": "实施社区科普服务行动",
                "body": "依托新时代文明实践站和社区服务中心，常态化开展科普讲座和体验活动。",
            },
            {
                "id": "community-volunteers",
                "title": "壮大社区科普志愿者队伍",
                "body": "动员退休科技工作者、教师、医务人员参与社区科普志愿服务。",
            },
        ],
        "responsibility": {
            "leads": ["区民政局", "区科协"],
            "participants": ["区文旅体局", "区卫健局", "区妇联"],
            "etc": True,
        },
    }
    save(plan / "chapters/community.yaml", chapter)


def schedule(plan: Path) -> None:
    """The mid-term review in one year instead of two (its second), and 健全 for 完善 in its words."""
    text = (plan / "chapters/schedule.yaml").read_text(encoding="utf-8")
    first, second = re.search(r"(\d{4})-(\d{4})年期间，完善工作机制", text).groups()  # type: ignore[union-attr]
    replace(plan / "chapters/schedule.yaml", f"{first}-{second}年期间，完善工作机制", f"{second}年，健全工作机制")
    milestones = load(plan / "schedule.yaml")
    middle = milestones["milestones"][1]
    middle["period"]["start"] = int(second)
    middle["title"] = str(middle["title"]).replace("完善工作机制", "健全工作机制")
    middle["source"]["quote"] = str(middle["source"]["quote"]).replace(
        f"{first}-{second}年期间，完善", f"{second}年，健全"
    )
    save(plan / "schedule.yaml", milestones)


def remove_lead(plan: Path) -> None:
    """区应急管理局 is no longer a lead of 三（四） (基层科普能力提升工程)."""
    path = plan / "chapters/grassroots.yaml"
    grassroots = load(path)
    grassroots["responsibility"]["leads"].remove("区应急管理局")
    save(path, grassroots)


def comma_fix(plan: Path) -> None:
    """The stray half-width comma in 进度安排 made full-width, in the text and the milestone quoting it."""
    replace(plan / "chapters/schedule.yaml", "》,按照", "》，按照")
    replace(plan / "schedule.yaml", "》,按照", "》，按照")


STEPS: dict[str, Callable[[Path], None]] = {
    "period-and-targets": period_and_targets,
    "rename-unit": rename_unit,
    "merge-tasks": merge_tasks,
    "split-task": split_task,
    "new-action": new_action,
    "schedule": schedule,
    "remove-lead": remove_lead,
    "comma-fix": comma_fix,
}


# --- others like them ------------------------------------------------------------------------------


def rename_same_id(plan: Path) -> None:
    """区文旅体局 becomes 区文旅广体局, keeping its id, the old name kept as an alias."""
    replace(plan / "units.yaml", "    name: 区文旅体局", "    name: 区文旅广体局")
    replace(plan / "units.yaml", "    aliases: [文旅体局]", "    aliases: [文旅体局, 区文旅体局]")
    for path in sorted((plan / "chapters").glob("*.yaml")):
        if "区文旅体局" in path.read_text(encoding="utf-8"):
            replace(path, "区文旅体局", "区文旅广体局", 0)


def three_way_merge(plan: Path) -> None:
    """三（二） 1．2．3． merged into one new task (a new id)."""
    path = plan / "chapters/informatization.yaml"
    info = load(path)
    bodies = "".join(str(t["body"]) for t in info["tasks"])
    info["tasks"] = [{"id": "info-communication", "title": "提升科普创作和传播能力", "body": bodies}]
    save(path, info)


def move_task(plan: Path) -> None:
    """二（四）3． (银龄科普) moved to 三（四）, as its last task."""
    elderly_path, grassroots_path = plan / "chapters/elderly.yaml", plan / "chapters/grassroots.yaml"
    elderly, grassroots = load(elderly_path), load(grassroots_path)
    silver = task(elderly, "elderly-silver-age")
    elderly["tasks"].remove(silver)
    grassroots["tasks"].append(silver)
    save(elderly_path, elderly)
    save(grassroots_path, grassroots)


def remove_participant(plan: Path) -> None:
    """区国动办 no longer takes part in 三（三） (科普基础设施建设工程)."""
    path = plan / "chapters/infrastructure.yaml"
    infrastructure = load(path)
    infrastructure["responsibility"]["participants"].remove("区国动办")
    save(path, infrastructure)


def remove_action(plan: Path) -> None:
    """三（三） (科普基础设施建设工程) removed with its tasks and its responsibility line."""
    replace(plan / "parts/projects.yaml", "  - infrastructure\n", "")
    replace(plan / "parts/projects.yaml", "在“十四五”时期实施4项重点工程", "在“十四五”时期实施3项重点工程")
    (plan / "chapters/infrastructure.yaml").unlink()


def reword(plan: Path) -> None:
    """Words changed inside one task: a number and a few words."""
    replace(plan / "chapters/cadres.yaml", "《2019-2022年湖南省干部教育规划》", "《2023-2027年全国干部教育培训规划》")
    replace(
        plan / "chapters/cadres.yaml",
        "多渠道分类别开展有针对性的专题培训",
        "多渠道分类别、分层次开展有针对性的专题培训",
    )


MORE: dict[str, Callable[[Path], None]] = {
    "rename-same-id": rename_same_id,
    "three-way-merge": three_way_merge,
    "move-task": move_task,
    "remove-participant": remove_participant,
    "remove-action": remove_action,
    "reword": reword,
}


def apply(plan: Path, names: list[str]) -> None:
    every = {**STEPS, **MORE}
    for name in names:
        every[name](plan)


# --- the records: the original as issued, the drafts as drafts -------------------------------------

ORIGINAL = """\
versions:
  - id: original
    name: 2023年4月印发稿
    date: 2023-04-06
    approved_by: 区人民政府
    source_text: source/yanfeng-plan-2021-2025.txt
current:
  version: original
"""
DRAFT = "current:\n  draft_of: original\n  name: 2026年修订征求意见稿\n"


def as_issued(plan: Path) -> None:
    """Record the bundled plan as the version issued in April 2023."""
    (plan / "revisions.yaml").write_text(ORIGINAL, encoding="utf-8")


def as_draft(plan: Path, record: str = "") -> None:
    """Record the plan as the draft revising it, with the record's own entries (renamed, merged, split)."""
    text = ORIGINAL.split("current:")[0] + DRAFT + record
    (plan / "revisions.yaml").write_text(text, encoding="utf-8")

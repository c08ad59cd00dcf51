"""Build a synthetic plan N times the size of the real one (for the scale benchmark).

    python benchmarks/synthetic.py N OUT_DIR

Every chapter is copied N-1 more times under new ids (tasks too), listed in its part after the
original, with the same responsibility lines, so the result validates as the real plan does. The
original text is not named (`source_text` dropped): a bigger plan is not that document.
"""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import REPO


def build(factor: int, out: Path) -> Path:
    plan = out / "plan"
    if plan.exists():
        shutil.rmtree(plan)
    shutil.copytree(REPO / "plan", plan, ignore=shutil.ignore_patterns("source"))
    doc = plan / "document.yaml"
    doc.write_text(re.sub(r"\n  source_text: .*", "", doc.read_text(encoding="utf-8")), encoding="utf-8")
    for part in sorted((plan / "parts").glob("*.yaml")):
        text = part.read_text(encoding="utf-8")
        head, _, listing = text.partition("chapters:\n")
        ids = re.findall(r"^  - (\S+)$", listing, flags=re.M)
        copies = []
        for chapter_id in ids:
            source = (plan / "chapters" / f"{chapter_id}.yaml").read_text(encoding="utf-8")
            task_ids = re.findall(r"^  - id: (\S+)$", source, flags=re.M)
            for k in range(2, factor + 1):
                new_id = f"{chapter_id}-x{k}"
                copy = source.replace(f"\nid: {chapter_id}\n", f"\nid: {new_id}\n")
                for task_id in task_ids:
                    copy = copy.replace(f"  - id: {task_id}\n", f"  - id: {task_id}-x{k}\n")
                (plan / "chapters" / f"{new_id}.yaml").write_text(copy, encoding="utf-8")
                copies.append(new_id)
        part.write_text(head + "chapters:\n" + "".join(f"  - {c}\n" for c in ids + copies), encoding="utf-8")
    return plan


if __name__ == "__main__":
    print(build(int(sys.argv[1]), Path(sys.argv[2])))

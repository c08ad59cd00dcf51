"""kpsy's work on data beside its floors, paired in one run (A B A B …, each ratio the median of the
pairs' ratios):

- `kpsy progress import` of the 26 units' filled-in sheets (the bundled plan, cache warm) beside
  openpyxl loading the same workbooks and reading every cell;
- `kpsy diff HEAD` (a small change in the working tree of a plan --factor times the bundled one,
  both revisions cached) beside `git archive` of the committed plan plus reading the working tree,
  every file parsed with PyYAML's CSafeLoader, and the two compared.

    python benchmarks/floors_data.py [--runs 7] [--factor 100]

No targets: these show what kpsy costs above reading the same bytes. Documents are
benchmarks/floors.py, start-up benchmarks/startup.py.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import REPO, kpsy, paired, ratio_line
from diff import GIT, edit_one
from progress import fill
from synthetic import build

FLOOR = Path(__file__).resolve()

# The floors run as this very file: `python floors_data.py read-cells FILE…` and `… read-yaml REPO REV FOLDER`.


def read_cells(files: list[str]) -> None:
    """Every cell of every sheet of each workbook, as openpyxl reads them."""
    import openpyxl

    count = 0
    for name in files:
        book = openpyxl.load_workbook(name)
        for sheet in book.worksheets:
            for row in sheet.iter_rows(values_only=True):
                count += sum(value is not None for value in row)
    assert count > 0


def read_yaml(repo: str, rev: str, folder: str) -> None:
    """The plan folder at `rev` (from `git archive`) and in the working tree, every YAML file
    parsed with CSafeLoader, and the two compared file by file."""
    import io
    import tarfile

    import yaml

    archive = subprocess.run(["git", "archive", rev, folder], cwd=repo, capture_output=True, check=True).stdout
    then = {}
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        for member in tar.getmembers():
            if member.isfile() and member.name.endswith(".yaml"):
                body = tar.extractfile(member)
                assert body is not None
                then[member.name] = yaml.load(body.read(), Loader=yaml.CSafeLoader)
    now = {
        str(path.relative_to(repo)): yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)
        for path in sorted(Path(repo, folder).rglob("*.yaml"))
    }
    changed = [name for name in then.keys() | now.keys() if then.get(name) != now.get(name)]
    assert changed


def progress_rows(tmp: Path, env: dict[str, str]) -> tuple[list[str], list[str]]:
    """(kpsy's import, the floor) for the bundled plan's 26 sheets, filled in."""
    plan = tmp / "plan"
    shutil.copytree(REPO / "plan", plan, ignore=shutil.ignore_patterns("progress"))
    where = ["--plan", str(plan)]
    subprocess.run(
        [*kpsy(), "progress", "sheet", "--all", "--period", "2025", "--out", str(tmp / "sheets"), *where],
        env=env,
        check=True,
        capture_output=True,
    )
    (tmp / "filled").mkdir()
    for sheet in sorted((tmp / "sheets").glob("*.xlsx")):
        fill(sheet, tmp / "filled" / sheet.name)
    sheets = sorted(str(p) for p in (tmp / "filled").glob("*.xlsx"))
    command = " ".join(map(repr, [*kpsy(), "progress", "import", *sheets, *where]))
    kpsy_import = ["sh", "-c", f"rm -rf {str(plan / 'progress')!r} && exec {command}"]
    return kpsy_import, [sys.executable, str(FLOOR), "read-cells", *sheets]


def diff_rows(tmp: Path, factor: int, env: dict[str, str]) -> tuple[list[str], list[str], Path]:
    """(kpsy diff HEAD, the floor, the repository) for a small change in a big plan."""
    repo = tmp / "repo"
    plan = build(factor, repo)
    for step in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "plan"]):
        subprocess.run([*GIT, *step], cwd=repo, check=True)
    edit_one(plan, 1)
    subprocess.run([*kpsy(), "diff", "HEAD"], cwd=repo, env=env, capture_output=True, check=False)  # both cached
    return [*kpsy(), "diff", "HEAD"], [sys.executable, str(FLOOR), "read-yaml", str(repo), "HEAD", "plan"], repo


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--factor", type=int, default=100)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        env = {**os.environ, "KPSY_CACHE_DIR": str(tmp / "cache")}
        env.pop("KPSY_NO_CACHE", None)
        print(f"{args.runs} pairs each, {os.cpu_count()} cores; ratio: median of the pairs' ratios")
        a, b = progress_rows(tmp, env)
        subprocess.run(a, env=env, check=True, capture_output=True)  # the plan as the import leaves it, cached
        print(ratio_line("kpsy progress import, 26 sheets", "openpyxl, every cell", paired(a, b, args.runs, env)))
        a, b, repo = diff_rows(tmp, args.factor, env)
        os.chdir(repo)
        name = f"kpsy diff HEAD, small change, {args.factor}x"
        print(ratio_line(name, "git archive + CSafeLoader + compare", paired(a, b, args.runs, env)), flush=True)


if __name__ == "__main__":
    if sys.argv[1:2] == ["read-cells"]:
        read_cells(sys.argv[2:])
    elif sys.argv[1:2] == ["read-yaml"]:
        read_yaml(*sys.argv[2:5])
    else:
        main()

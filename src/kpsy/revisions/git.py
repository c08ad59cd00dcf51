"""Revisions of the plan in git: the repository that holds a plan folder, a revision's plan folder
written out with `git archive` (no checkout: the working tree and the index are never touched), the
commit and date of a revision, and the set-up that makes `git diff` show plan files as text.
"""

from __future__ import annotations

import datetime as dt
import io
import posixpath
import shlex
import subprocess
import sys
import tarfile
from pathlib import Path

from kpsy.i18n import msg
from kpsy.revisions.change import DiffError

ATTRIBUTES = "diff=kpsy"


def git(repo: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(["git", "-C", str(repo), *args], capture_output=True)
    except FileNotFoundError:
        raise DiffError(
            msg(
                "git is not installed; compare two folders with --old-plan and --new-plan",
                "没有安装 git；可以用 --old-plan 和 --new-plan 比较两个文件夹",
            )
        ) from None


def repository(plan_dir: Path) -> tuple[Path, str]:
    """The git work tree holding `plan_dir`, and the plan's path inside it."""
    proc = git(plan_dir, "rev-parse", "--show-toplevel")
    if proc.returncode != 0:
        raise DiffError(
            msg(
                "{plan} is not inside a git repository; use --old-plan DIR --new-plan DIR",
                "{plan} 不在 git 仓库中；请用 --old-plan DIR --new-plan DIR",
                plan=plan_dir,
            )
        )
    top = Path(proc.stdout.decode().strip())
    return top, plan_dir.resolve().relative_to(top.resolve()).as_posix()


def commit_of(repo: Path, rev: str) -> str | None:
    """The commit a revision names (a tag, a branch, HEAD~1, a commit id), or None."""
    if not rev or rev.startswith("-"):
        return None
    proc = git(repo, "rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}")
    return proc.stdout.decode().strip() if proc.returncode == 0 else None


def commit_date(repo: Path, rev: str) -> dt.datetime | None:
    proc = git(repo, "show", "-s", "--format=%cI", f"{rev}^{{commit}}", "--")
    if proc.returncode != 0:
        return None
    try:
        return dt.datetime.fromisoformat(proc.stdout.decode().strip())
    except ValueError:
        return None


def archive(repo: Path, rel: str, rev: str) -> bytes:
    """The plan folder at git revision `rev`, as a tar archive made by `git archive`."""
    if commit_of(repo, rev) is None:
        raise DiffError(msg("unknown git revision '{rev}'", "未知的 git 修订版“{rev}”", rev=rev))
    proc = git(repo, "archive", "--format=tar", rev, "--", rel)
    if proc.returncode != 0:
        raise DiffError(
            msg(
                "revision {rev} has no {rel}/ folder: {why}",
                "修订版 {rev} 中没有 {rel}/ 文件夹：{why}",
                rev=rev,
                rel=rel,
                why=proc.stderr.decode("utf-8", "replace").strip(),
            )
        )
    return proc.stdout


def tree(data: bytes, rel: str, limit: int) -> dict[str, bytes] | None:
    """The files of an archive of the plan folder `rel`, by path inside the folder (a file over
    `limit` bytes keeps only `limit` + 1 of them); None when it holds anything but folders and
    regular files (a symbolic link: then the folder is written out and read as any other)."""
    prefix = rel.rstrip("/") + "/" if rel not in ("", ".") else ""
    files: dict[str, bytes] = {}
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        for member in tar:
            if member.isdir():
                continue
            if not member.isfile() or not member.name.startswith(prefix):
                return None
            handle = tar.extractfile(member)
            if handle is None:
                return None
            files[member.name[len(prefix) :]] = handle.read(limit + 1)
    return files


def extract(repo: Path, rel: str, rev: str, dest: Path, data: bytes | None = None) -> Path:
    """The plan folder as it is at git revision `rev`, written into `dest`; its path there."""
    if data is None:
        data = archive(repo, rel, rev)

    def refused(member: str, why: object) -> DiffError:
        return DiffError(
            msg(
                "revision {rev}: {member} cannot be read safely ({why}); a link out of the plan folder is never followed",
                "修订版 {rev}：{member} 无法安全读取（{why}）；指向计划文件夹之外的链接不会被读取",
                rev=rev,
                member=member or rel,
                why=why,
            )
        )

    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        try:
            inside = rel.strip("/") if rel not in ("", ".") else ""
            for member in tar.getmembers():  # checked here too: Pythons before 3.11.4 have no extraction filter
                why = _unsafe(member, inside)
                if why:
                    raise refused(member.name, why)
            if hasattr(tarfile, "data_filter"):
                tar.extractall(dest, filter="data")
            else:  # pragma: no cover - Python without extraction filters
                tar.extractall(dest)
        except (tarfile.TarError, OSError) as exc:
            info = getattr(exc, "tarinfo", None)
            raise refused(str(getattr(info, "name", "")), exc) from None
    return dest / rel


def _unsafe(member: tarfile.TarInfo, inside: str) -> str | None:
    """Why an archive member may not be written out: a path or link that leads out of the plan folder
    `inside` (a path in the archive; "" for all of it), or anything but a folder, a file or a link."""

    def out(path: str) -> bool:
        return (
            path.startswith("/")
            or path == ".."
            or path.startswith("../")
            or (bool(inside) and path != inside and not path.startswith(inside + "/"))
        )

    name = posixpath.normpath(member.name)
    if out(name):
        return msg("its path leads out of the plan folder", "路径指向计划文件夹之外")
    if member.issym() or member.islnk():
        target = member.linkname
        where = posixpath.normpath(posixpath.join(posixpath.dirname(name), target) if member.issym() else target)
        if target.startswith("/") or out(where):
            return msg("{name} is a link out of the plan folder", "{name} 是指向计划文件夹之外的链接", name=name)
        return None
    if not (member.isfile() or member.isdir()):
        return msg("{name} is neither a file nor a folder", "{name} 既不是文件也不是文件夹", name=name)
    return None


# --- git diff through kpsy textconv ----------------------------------------------------------------


def textconv_command() -> str:
    """The command git runs for textconv: this very Python running kpsy, by its absolute path, so that
    `git diff` works without an activated virtual environment or kpsy on PATH."""
    return f"{shlex.quote(sys.executable)} -m kpsy textconv"


def setup(plan_dir: Path) -> list[str]:
    """Make `git diff` show the plan's files through `kpsy textconv` in the repository holding
    `plan_dir`: diff.kpsy.textconv in the repository's own config, and the plan's files marked
    `diff=kpsy` in .gitattributes (added only when missing). Says what it did, one line each."""
    from kpsy.util import write_atomic

    repo, rel = repository(plan_dir)
    done: list[str] = []
    command = textconv_command()
    current = git(repo, "config", "--local", "--get", "diff.kpsy.textconv").stdout.decode().strip()
    if current == command:
        done.append(msg("diff.kpsy.textconv is already {c}", "diff.kpsy.textconv 已是 {c}", c=command))
    else:
        proc = git(repo, "config", "--local", "diff.kpsy.textconv", command)
        if proc.returncode != 0:
            raise DiffError(
                msg(
                    "cannot set diff.kpsy.textconv: {why}",
                    "无法设置 diff.kpsy.textconv：{why}",
                    why=proc.stderr.decode("utf-8", "replace").strip(),
                )
            )
        was = msg(" (was {c})", "（原为 {c}）", c=current) if current else ""
        done.append(
            msg(
                "set diff.kpsy.textconv to {c} in the repository's .git/config{was}",
                "已在仓库的 .git/config 中把 diff.kpsy.textconv 设为 {c}{was}",
                c=command,
                was=was,
            )
        )
    pattern = f"{rel}/**/*.yaml" if rel not in ("", ".") else "**/*.yaml"
    line = f"{pattern} {ATTRIBUTES}"
    attributes = repo / ".gitattributes"
    text = attributes.read_text(encoding="utf-8") if attributes.is_file() else ""
    if any(existing.split() == line.split() for existing in text.splitlines()):
        done.append(msg(".gitattributes already has {l}", ".gitattributes 中已有 {l}", l=line))
    else:
        write_atomic(attributes, text + ("" if not text or text.endswith("\n") else "\n") + line + "\n")
        done.append(msg("added {l} to {f} (commit it)", "已在 {f} 中加入 {l}（请提交该文件）", l=line, f=attributes))
    check = git(repo, "check-attr", "diff", "--", f"{rel}/document.yaml" if rel not in ("", ".") else "document.yaml")
    if b"diff: kpsy" not in check.stdout:
        done.append(
            msg(
                "note: git does not apply diff=kpsy to {rel}/document.yaml; another .gitattributes overrides it",
                "注意：git 没有对 {rel}/document.yaml 应用 diff=kpsy，可能被其他 .gitattributes 覆盖",
                rel=rel,
            )
        )
    return done

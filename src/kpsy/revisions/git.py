"""Revisions of the plan in git: the repository that holds a plan folder, a revision's plan folder
read from git's object store (`git ls-tree` for the files and their sizes, `git cat-file --batch` for
the bytes of those small enough: only the plan folder, never a checkout, the working tree and the
index never touched), the commit and date of a revision, and the set-up that makes `git diff` show
plan files as text.
"""

from __future__ import annotations

import datetime as dt
import os
import posixpath
import re
import shlex
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from kpsy.i18n import msg, param
from kpsy.revisions.change import DiffError

ATTRIBUTES = "diff=kpsy"


def git(repo: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    try:
        return subprocess.run(["git", "-C", str(repo), *args], capture_output=True)
    except FileNotFoundError:
        raise DiffError(
            msg(
                "git is not installed; compare two folders with {old} and {new}",
                "没有安装 git；可以用 {old} 和 {new} 比较两个文件夹",
                old=param("old_plan", "--old-plan"),
                new=param("new_plan", "--new-plan"),
            )
        ) from None


def repository(plan_dir: Path) -> tuple[Path, str]:
    """The git work tree holding `plan_dir`, and the plan's path inside it."""
    proc = git(plan_dir, "rev-parse", "--show-toplevel")
    if proc.returncode != 0:
        raise DiffError(
            msg(
                "{plan} is not inside a git repository; use {old} {new}",
                "{plan} 不在 git 仓库中；请用 {old} {new}",
                plan=plan_dir,
                old=param("old_plan", "--old-plan DIR"),
                new=param("new_plan", "--new-plan DIR"),
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


MAX_ENTRIES = 100_000  # files and links in a revision's plan folder
MAX_READ_BYTES = 256 * 1024 * 1024  # the bytes of every file read from one revision, together


@dataclass(frozen=True)
class Entry:
    """One file or link of a revision's plan folder, as `git ls-tree` lists it."""

    path: str  # inside the plan folder
    mode: str
    oid: str
    size: int


def _entries(repo: Path, rel: str, rev: str) -> list[Entry]:
    """Every file and link in the plan folder `rel` at revision `rev`, with its size (nothing read)."""
    if commit_of(repo, rev) is None:
        raise DiffError(msg("unknown git revision '{rev}'", "未知的 git 修订版“{rev}”", rev=rev))
    inside = rel.strip("/") if rel not in ("", ".") else ""
    proc = git(repo, "ls-tree", "-r", "-l", "-z", "--full-tree", rev, "--", inside or ".")
    if proc.returncode != 0 or not proc.stdout:
        raise DiffError(
            msg(
                "revision {rev} has no {rel}/ folder: {why}",
                "修订版 {rev} 中没有 {rel}/ 文件夹：{why}",
                rev=rev,
                rel=rel,
                why=proc.stderr.decode("utf-8", "replace").strip() or msg("it is empty", "为空"),
            )
        )
    entries = []
    prefix = inside + "/" if inside else ""
    for record in proc.stdout.split(b"\0"):
        if not record:
            continue
        head, _, name = record.partition(b"\t")
        mode, kind, oid, size = head.decode().split()
        path = name.decode("utf-8", "surrogateescape")
        if not path.startswith(prefix) or kind not in ("blob", "commit"):
            continue
        entries.append(Entry(path[len(prefix) :], mode, oid, int(size) if size.isdigit() else 0))
        if len(entries) > MAX_ENTRIES:
            raise DiffError(
                msg(
                    "revision {rev}: {rel}/ holds more than {n:,} files; it is not read",
                    "修订版 {rev}：{rel}/ 中的文件超过 {n:,} 个，不予读取",
                    rev=rev,
                    rel=rel,
                    n=MAX_ENTRIES,
                )
            )
    return entries


def _blobs(repo: Path, oids: list[str]) -> dict[str, bytes]:
    """The contents of the blobs `oids`, through one `git cat-file --batch` run."""
    if not oids:
        return {}
    try:
        proc = subprocess.run(
            ["git", "-C", str(repo), "cat-file", "--batch"], input="\n".join(oids).encode() + b"\n", capture_output=True
        )
    except OSError as exc:
        raise DiffError(msg("cannot run git: {why}", "无法运行 git：{why}", why=exc.strerror or exc)) from None
    out, found, at = proc.stdout, {}, 0
    while at < len(out):
        end = out.index(b"\n", at)
        head = out[at:end].decode().split()
        at = end + 1
        if len(head) != 3 or not head[2].isdigit():  # "<oid> missing"
            continue
        size = int(head[2])
        found[head[0]] = out[at : at + size]
        at += size + 1
    return found


# a file too large to read stands for itself by its length only: one shared object, never read
_TOO_LARGE: dict[int, bytes] = {}


def _placeholder(limit: int) -> bytes:
    if limit not in _TOO_LARGE:
        _TOO_LARGE[limit] = bytes(limit + 1)
    return _TOO_LARGE[limit]


def revision(repo: Path, rel: str, rev: str, limit: int) -> tuple[dict[str, bytes], dict[str, str]]:
    """The plan folder `rel` at revision `rev`, streamed from git's object store: every file's bytes
    by its path in the folder, and every symbolic link's target. Only the plan folder's objects are
    read, each file's size is checked before it is (a file over `limit` bytes is never read: it keeps
    a place that says only its size), and so is what all of them come to."""
    entries = _entries(repo, rel, rev)
    for entry in entries:
        if entry.mode == "160000":
            raise _refused(rev, rel, entry.path, msg("it is a git submodule", "它是 git 子模块"))
    links = [e for e in entries if e.mode == "120000"]
    small = [e for e in entries if e.mode != "120000" and e.size <= limit]
    total = sum(e.size for e in small) + sum(min(e.size, 4096) for e in links)
    if total > MAX_READ_BYTES:
        raise DiffError(
            msg(
                "revision {rev}: the files of {rel}/ come to {n:,} bytes, over the limit of {limit:,}; nothing was read",
                "修订版 {rev}：{rel}/ 中的文件共 {n:,} 字节，超过上限 {limit:,}，未读取",
                rev=rev,
                rel=rel,
                n=total,
                limit=MAX_READ_BYTES,
            )
        )
    blobs = _blobs(repo, [e.oid for e in small] + [e.oid for e in links if e.size <= 4096])
    files = {
        e.path: blobs.get(e.oid, b"") if e.size <= limit else _placeholder(limit) for e in entries if e.mode != "120000"
    }
    targets = {}
    for link in links:
        target = blobs.get(link.oid, b"").decode("utf-8", "surrogateescape")
        why = _link_out(link.path, target)
        if why:
            raise _refused(rev, rel, link.path, why)
        targets[link.path] = target
    return files, targets


def _refused(rev: str, rel: str, member: str, why: object) -> DiffError:
    return DiffError(
        msg(
            "revision {rev}: {member} cannot be read safely ({why}); a link out of the plan folder is never followed",
            "修订版 {rev}：{member} 无法安全读取（{why}）；指向计划文件夹之外的链接不会被读取",
            rev=rev,
            member=f"{rel}/{member}" if rel not in ("", ".") else member,
            why=why,
        )
    )


def _link_out(path: str, target: str) -> str | None:
    """Why a link at `path` (in the plan folder) to `target` may not be followed: it leads out."""
    where = posixpath.normpath(posixpath.join(posixpath.dirname(path), target))
    if target.startswith("/") or where == ".." or where.startswith("../") or "\0" in target:
        return msg("{name} is a link out of the plan folder", "{name} 是指向计划文件夹之外的链接", name=path)
    return None


def write_out(files: dict[str, bytes], links: dict[str, str], dest: Path, limit: int) -> Path:
    """A revision's plan folder written into `dest` (for one that holds links, read then as any folder
    on disk): files as they are, a file too large to read as a sparse file of its size, links as links."""
    dest.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        path = dest / name
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "wb") as fh:
            if len(data) > limit:
                fh.truncate(len(data))
            else:
                fh.write(data)
    for name, target in links.items():
        path = dest / name
        path.parent.mkdir(parents=True, exist_ok=True)
        os.symlink(target, path)
    return dest


# --- git diff through kpsy textconv ----------------------------------------------------------------


def textconv_command() -> str:
    """The command git runs for textconv: this very Python running kpsy, by its absolute path, so that
    `git diff` works without an activated virtual environment or kpsy on PATH."""
    return f"{shlex.quote(sys.executable)} -m kpsy textconv"


def attributes_pattern(rel: str) -> str:
    """The .gitattributes pattern for every YAML file under the folder `rel` (a path in the
    repository), written as gitattributes reads it: glob characters in the folder's name escaped,
    and the whole pattern quoted C-style when it holds a space, a tab or a quote (plan folder 2021/)."""
    if rel in ("", "."):
        return "**/*.yaml"
    folder = re.sub(r"([*?\[\\])", r"\\\1", rel)
    if folder.startswith(("#", "!")):
        folder = "\\" + folder
    pattern = f"{folder}/**/*.yaml"
    if not any(c in pattern for c in ' \t"') and not pattern.startswith('"'):
        return pattern
    escaped = pattern.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t")
    return f'"{escaped}"'


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
    line = f"{attributes_pattern(rel)} {ATTRIBUTES}"
    attributes = repo / ".gitattributes"
    text = attributes.read_text(encoding="utf-8") if attributes.is_file() else ""
    if any(" ".join(existing.split()) == line for existing in text.splitlines()):
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

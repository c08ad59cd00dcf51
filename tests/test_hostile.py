"""Hostile and accidental input: clear messages at file:line:col, exit 1, no traceback, nothing
written, plan files untouched; and property-based tests that no input makes kpsy crash."""

from __future__ import annotations

import codecs
import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kpsy.api import validate
from kpsy.plan.files import MAX_FILE_BYTES
from kpsy.plan.kinds import KINDS
from kpsy.plan.load import load_plan, to_model
from kpsy.plan.reader import decode, parse

from .conftest import PLAN, edit, run, tree_digest

pytestmark = pytest.mark.usefixtures("english")  # these tests read kpsy's English messages


def validate_fails(plan: Path, *expected: str) -> str:
    before = tree_digest(plan)
    result = run("validate", "--format", "plain")
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    for text in expected:
        assert text in result.stdout, result.stdout
    assert tree_digest(plan) == before
    # commands that write files write nothing
    out = run("export", "text", "-o", "out.txt")
    assert out.exit_code == 1 and not (plan.parent / "out.txt").exists()
    return result.stdout


def test_bom_and_crlf_everywhere_are_accepted(plan_copy: Path) -> None:
    for path in plan_copy.rglob("*.yaml"):
        text = path.read_text(encoding="utf-8").replace("\n", "\r\n")
        path.write_bytes(codecs.BOM_UTF8 + text.encode("utf-8"))
    result = run("validate", "--strict", "--format", "plain")
    assert result.exit_code == 0, result.output


def test_gbk_file(plan_copy: Path) -> None:
    path = plan_copy / "chapters" / "youth.yaml"
    path.write_bytes(path.read_text(encoding="utf-8").encode("gbk"))
    validate_fails(plan_copy, "plan/chapters/youth.yaml:3:8: error encoding", "looks like GBK")


def test_utf16_without_bom(plan_copy: Path) -> None:
    path = plan_copy / "targets.yaml"
    path.write_bytes(path.read_text(encoding="utf-8").encode("utf-16-le"))
    validate_fails(plan_copy, "plan/targets.yaml", "looks like UTF-16")


def test_tabs_in_indentation(plan_copy: Path) -> None:
    edit(plan_copy / "chapters" / "youth.yaml", "\n  - id: youth-talent", "\n\t- id: youth-talent")
    validate_fails(plan_copy, "plan/chapters/youth.yaml:", "tab character")


def test_empty_file(plan_copy: Path) -> None:
    (plan_copy / "units.yaml").write_text("", encoding="utf-8")
    validate_fails(plan_copy, "plan/units.yaml:1:1: error schema: file is empty")


def test_comment_only_file(plan_copy: Path) -> None:
    (plan_copy / "chapters" / "youth.yaml").write_text("# nothing here\n", encoding="utf-8")
    validate_fails(plan_copy, "plan/chapters/youth.yaml:1:1: error schema: file is empty")


def test_list_where_mapping_expected(plan_copy: Path) -> None:
    edit(plan_copy / "chapters" / "youth.yaml", "responsibility:\n  leads:", "responsibility:\n  - leads:")
    out = validate_fails(plan_copy, "plan/chapters/youth.yaml:")
    assert "expected a mapping" in out or "syntax" in out


def test_scalar_where_list_expected(plan_copy: Path) -> None:
    edit(plan_copy / "parts" / "actions.yaml", "chapters:\n  - youth", "chapters: youth\nx:\n  - youth")
    validate_fails(plan_copy, "plan/parts/actions.yaml:")


def test_oversized_file_is_refused_before_parsing(plan_copy: Path) -> None:
    path = plan_copy / "chapters" / "youth.yaml"
    with path.open("a", encoding="utf-8") as fh:
        fh.write("# " + "x" * (MAX_FILE_BYTES + 10) + "\n")
    validate_fails(plan_copy, "plan/chapters/youth.yaml: error file-size", f"{MAX_FILE_BYTES:,} bytes")


def test_alias_bomb_is_refused(plan_copy: Path) -> None:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        prev, cur = chr(ord("a") + i - 1), chr(ord("a") + i)
        lines.append(f"{cur}: &{cur} [{','.join(['*' + prev] * 9)}]")
    (plan_copy / "targets.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    validate_fails(plan_copy, "plan/targets.yaml:1:4: error anchor")


@pytest.mark.parametrize("depth", [100, 5000])
def test_deep_nesting_is_refused(plan_copy: Path, depth: int) -> None:
    (plan_copy / "schedule.yaml").write_text("milestones: " + "[" * depth + "]" * depth + "\n", encoding="utf-8")
    out = validate_fails(plan_copy, "plan/schedule.yaml:1:")
    assert "nesting deeper than 40 levels" in out or "maximum nesting depth" in out  # ours, or libyaml's at 1000


def test_control_character(plan_copy: Path) -> None:
    edit(plan_copy / "chapters" / "youth.yaml", "title: 青少年科学素质提升行动", "title: 青少年\x1b科学素质提升行动")
    validate_fails(plan_copy, "plan/chapters/youth.yaml:3:11: error encoding: control character U+001B")


def test_zero_width_in_an_id(plan_copy: Path) -> None:
    edit(plan_copy / "chapters" / "youth.yaml", "  - id: youth-talent", "  - id: youth\u200b-talent")
    validate_fails(plan_copy, "plan/chapters/youth.yaml:", "U+200B (ZERO WIDTH SPACE)")


def test_look_alike_unit_name(plan_copy: Path) -> None:
    edit(plan_copy / "chapters" / "cadres.yaml", "    - 区委组织部\n", "    - 区委\u3000组织部\n")
    out = validate_fails(plan_copy, "plan/chapters/cadres.yaml:20:7: error unknown-unit")
    assert "U+3000 (IDEOGRAPHIC SPACE), so it is not 区委组织部" in out


def test_trailing_full_width_space(plan_copy: Path) -> None:
    edit(plan_copy / "chapters" / "cadres.yaml", "    - 区委组织部\n", "    - 区委组织部\u3000\n")
    validate_fails(
        plan_copy,
        "plan/chapters/cadres.yaml:20:7: error schema: responsibility.leads.0: text must not start or end with"
        " white space (U+3000 (IDEOGRAPHIC SPACE)): '区委组织部\u3000'",
    )


def test_missing_plan_folder(workdir: Path) -> None:
    result = run("validate", "--plan", workdir / "nowhere")
    assert result.exit_code == 1 and "does not exist" in result.stderr and "Traceback" not in result.output


def test_plan_folder_is_a_file(workdir: Path) -> None:
    (workdir / "plan").write_text("not a folder", encoding="utf-8")
    result = run("validate", "--plan", workdir / "plan")
    assert result.exit_code == 1 and "not a folder" in result.stderr


def test_unreadable_plan_file(plan_copy: Path) -> None:
    (plan_copy / "units.yaml").unlink()
    (plan_copy / "units.yaml").mkdir()
    validate_fails(plan_copy, "plan/units.yaml: error file: cannot read file")


def test_missing_chapters_folder(plan_copy: Path) -> None:
    shutil.rmtree(plan_copy / "chapters")
    validate_fails(
        plan_copy, "plan/parts/actions.yaml:", "chapter 'youth' is listed but plan/chapters/youth.yaml does not exist"
    )


# --- properties: nothing crashes ---------------------------------------------------------------

# inherits the loaded profile (conftest): 100 examples locally, derandomised in CI, 3000 with HYPOTHESIS_PROFILE=thorough
FAST = settings(deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@FAST
@given(st.binary(max_size=400))
def test_any_bytes_are_decoded_or_refused(raw: bytes) -> None:
    text, problems = decode(raw, "f.yaml")
    assert (text is None) == bool(problems)
    if text is not None:
        _, found = parse(text, "f.yaml")
        assert all(p.line >= 0 and p.col >= 0 for p in found)


YAMLISH = st.text(alphabet=st.sampled_from(list("ab: -[]{}&*!|>'\"#%@`,?\n\t 区教局。１\u200b\\")), max_size=200)


@FAST
@given(YAMLISH)
def test_any_text_parses_or_is_refused(text: str) -> None:
    _, problems = parse(text, "f.yaml")
    for p in problems:
        assert p.file == "f.yaml" and p.line >= 0


SCALARS = st.one_of(
    st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=20), st.dates()
)
DATA = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(
            st.sampled_from(
                [
                    "id",
                    "title",
                    "body",
                    "tasks",
                    "leads",
                    "participants",
                    "etc",
                    "units",
                    "name",
                    "kind",
                    "targets",
                    "value",
                    "milestones",
                    "period",
                    "start",
                    "end",
                    "notice",
                    "plan",
                    "imprint",
                    "chapters",
                    "x",
                ]
            ),
            inner,
            max_size=5,
        ),
    ),
    max_leaves=20,
)


@FAST
@given(st.sampled_from(sorted(KINDS)), DATA)
def test_any_data_gives_problems_not_exceptions(kind: str, data: object) -> None:
    text = yaml.safe_dump(data, allow_unicode=True)
    doc, problems = parse(text, "f.yaml")
    if not problems:
        obj, problems = to_model(doc, KINDS[kind].model)
        assert (obj is None) == bool(problems)
        for p in problems:
            assert p.line >= 1 and p.rule == "schema"


@pytest.fixture(scope="module")
def scratch_plan(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("mutations") / "plan"
    shutil.copytree(PLAN, target)
    return target


FILES = ["chapters/youth.yaml", "units.yaml", "document.yaml", "parts/actions.yaml", "targets.yaml"]


@FAST
@given(
    st.sampled_from(FILES), st.integers(min_value=0, max_value=4000), st.integers(min_value=0, max_value=40), YAMLISH
)
def test_mutated_plans_never_crash_validate(
    scratch_plan: Path, name: str, start: int, length: int, insert: str
) -> None:
    path = scratch_plan / name
    original = (PLAN / name).read_text(encoding="utf-8")
    start = min(start, len(original))
    path.write_text(original[:start] + insert + original[start + length :], encoding="utf-8")
    try:
        result = validate(scratch_plan)
        for p in result.problems:
            assert (Path.cwd() / p.file).resolve().is_relative_to(scratch_plan.resolve()), p.file
        loaded = load_plan(scratch_plan)
        assert (loaded.plan is None) == any(p.is_error for p in loaded.problems)
    finally:
        path.write_text(original, encoding="utf-8")


# --- trust nothing from outside: the cache, writes, reading, output (issue 10) -------------------

import json  # noqa: E402
import os  # noqa: E402
import stat  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402


def cli(*args: str | Path, cwd: Path | None = None, **kwargs: object) -> subprocess.CompletedProcess[str]:
    """The real command line in a process of its own (standard output, umask and limits are its own)."""
    env = {**os.environ, "KPSY_LANG": "en", "NO_COLOR": "1", "COLUMNS": "100"}
    env.update(kwargs.pop("env", {}))  # type: ignore[arg-type]
    kwargs.setdefault("stdout", subprocess.PIPE)
    return subprocess.run(
        [sys.executable, "-m", "kpsy", *map(str, args)],
        cwd=cwd,
        env=env,
        stderr=subprocess.PIPE,
        text=True,
        timeout=60,
        **kwargs,  # type: ignore[call-overload]
    )


def cache_folder() -> Path:
    return Path(os.environ["KPSY_CACHE_DIR"])


def test_cache_entries_are_data_with_this_users_digest(plan_copy: Path) -> None:
    assert run("tasks", "-u", "区教育局").exit_code == 0
    entries = list(cache_folder().glob("*"))
    assert entries and all(p.suffix == ".json" for p in entries), entries
    assert not list(cache_folder().glob("*.pickle"))
    mac, _, body = max(entries, key=lambda p: p.stat().st_mtime_ns).read_bytes().partition(b"\n")
    assert len(mac) == 64 and json.loads(body)["format"] == 1
    assert stat.S_IMODE(cache_folder().stat().st_mode) == 0o700


def _tasks_of_education() -> int:
    return len(json.loads(run("tasks", "-u", "区教育局", "-f", "json").stdout))


def test_a_forged_or_damaged_cache_entry_changes_no_answer(plan_copy: Path, tmp_path: Path) -> None:
    honest = _tasks_of_education()
    assert honest == 30
    for entry in cache_folder().glob("*.json"):
        mac, _, body = entry.read_bytes().partition(b"\n")
        data = json.loads(body)
        if "entry" in data:  # an alias: from a plan's bytes to the entry made from them
            data["entry"] = "0" * 40
        for _, kind, _, record in data.get("sources", []):
            if kind == "chapter":
                record["tasks"] = record["tasks"][:1]
        forged = json.dumps(data, ensure_ascii=False).encode()
        entry.write_bytes(mac + b"\n" + forged)  # the old digest over new data
    assert _tasks_of_education() == honest
    for entry in cache_folder().glob("*.json"):
        entry.write_bytes(b"\x00garbage")
    assert _tasks_of_education() == honest
    # a cache restored from elsewhere (another secret) is not believed either
    os.environ["XDG_STATE_HOME"] = str(tmp_path / "elsewhere")
    assert _tasks_of_education() == honest


def test_a_cache_folder_others_can_write_is_not_used(plan_copy: Path, tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o777)
    os.chmod(shared, 0o777)
    result = cli("units", cwd=plan_copy.parent, env={"KPSY_CACHE_DIR": str(shared), "KPSY_DEBUG": "1"})
    assert result.returncode == 0
    assert list(shared.iterdir()) == []
    assert "can be written by group or others" in result.stderr
    if os.geteuid() == 0:  # a folder another user made first
        theirs = tmp_path / "theirs"
        theirs.mkdir(mode=0o700)
        os.chown(theirs, 65534, 65534)
        result = cli("units", cwd=plan_copy.parent, env={"KPSY_CACHE_DIR": str(theirs), "KPSY_DEBUG": "1"})
        assert result.returncode == 0 and list(theirs.iterdir()) == []
        assert "belongs to another user" in result.stderr


def test_edits_in_a_symlinked_folder_are_seen(plan_copy: Path) -> None:
    (plan_copy / "chapters").rename(plan_copy / ".chapters-store")
    (plan_copy / "chapters").symlink_to(".chapters-store")
    assert run("validate", "--strict", "-f", "plain").exit_code == 0
    assert _tasks_of_education() == 30
    path = plan_copy / ".chapters-store" / "youth.yaml"
    edit(
        path,
        "  - id: youth-talent\n    title: 强化科技创新后备人才培育\n",
        "  - id: youth-talent\n    title: 强化人才培育\n",
    )
    shown = run("show", "youth-talent").stdout
    assert shown.startswith("二（一）5．强化人才培育\n")


def test_the_bytes_hashed_are_the_bytes_parsed(plan_copy: Path) -> None:
    from kpsy.checks import run as check
    from kpsy.plan.files import read_folder

    snap = read_folder(plan_copy)
    edit(plan_copy / "chapters" / "youth.yaml", "title: 青少年科学素质提升行动", "title: 改过的标题")
    plan, _ = check(plan_copy, snap)  # the edit came after the read: the plan is what was read
    assert plan is not None and plan.chapter("youth").title == "青少年科学素质提升行动"


def test_files_that_are_not_plan_files_are_never_read(plan_copy: Path) -> None:
    os.mkfifo(plan_copy / "source" / "huge.bin")  # reading it would wait forever
    (plan_copy / "source" / "big.bin").write_bytes(b"\0")
    os.truncate(plan_copy / "source" / "big.bin", 600 * 1024 * 1024)
    result = cli("validate", "--strict", "-f", "plain", cwd=plan_copy.parent)
    assert result.returncode == 0, result.stderr


def test_devices_fifos_and_links_out_as_plan_files_are_refused_by_name(plan_copy: Path) -> None:
    os.mkfifo(plan_copy / "chapters" / "pipe.yaml")
    (plan_copy / "chapters" / "zero.yaml").symlink_to("/dev/zero")
    result = cli("validate", "-f", "plain", cwd=plan_copy.parent)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert (
        "plan/chapters/pipe.yaml: error file: cannot read file: it is a FIFO (named pipe), not a file" in result.stdout
    )
    assert "plan/chapters/zero.yaml: error folder: symbolic link to /dev/zero, outside the plan folder" in result.stdout


def test_a_symbolic_link_loop_is_named(plan_copy: Path) -> None:
    (plan_copy / "chapters" / "again").symlink_to("..")
    out = validate_fails(plan_copy, "plan/chapters/again: error folder: symbolic link loop")
    assert "internal error" not in out


def test_an_unreadable_folder_is_reported_once(plan_copy: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = os.scandir

    def scandir(path: object) -> object:
        if str(path).endswith("chapters"):
            raise PermissionError(13, "Permission denied")
        return real(path)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "scandir", scandir)
    found = validate(plan_copy).problems
    assert [(Path(p.file).name, p.rule, p.message) for p in found] == [
        ("chapters", "folder", "cannot read folder: Permission denied")
    ]


def test_editor_and_system_droppings_are_ignored(plan_copy: Path) -> None:
    (plan_copy / "chapters" / ".#youth.yaml").symlink_to("root@host.1234:1700000000")  # an Emacs lock
    (plan_copy / "chapters" / "._youth.yaml").write_bytes(b"\x00\x05\x16\x07 macOS resource fork")
    (plan_copy / "chapters" / "youth.yaml~").write_text("old: [", encoding="utf-8")
    (plan_copy / "chapters" / ".youth.yaml.swp").write_bytes(b"b0VIM 9.0")
    result = run("validate", "--strict", "-f", "plain")
    assert result.exit_code == 0 and result.stdout == ""


def test_the_original_must_be_inside_the_plan_folder(plan_copy: Path) -> None:
    os.environ["KPSY_SECRET_MARKER"] = "do-not-show-this-8d1f"
    for where in ("/proc/self/environ", "../../../../../../proc/self/environ", "source/../../plan/../../etc/hostname"):
        edit(plan_copy / "document.yaml", "source_text: source/yanfeng-plan-2021-2025.txt", f"source_text: {where}")
        result = run("validate", "-f", "plain")
        assert result.exit_code == 1
        assert "outside the plan folder" in result.stdout, result.stdout
        assert "do-not-show-this" not in result.stdout
        edit(plan_copy / "document.yaml", f"source_text: {where}", "source_text: source/yanfeng-plan-2021-2025.txt")
    (plan_copy / "source" / "link.txt").symlink_to("/proc/self/environ")
    edit(plan_copy / "document.yaml", "source_text: source/yanfeng-plan-2021-2025.txt", "source_text: source/link.txt")
    result = run("validate", "-f", "plain")
    assert "outside the plan folder" in result.stdout and "do-not-show-this" not in result.stdout


@pytest.mark.parametrize("escape", ["\\e", "\\0", "\\a", "\\x1b", "\\u009b", "\\u2028", "\\r"])
def test_control_characters_however_yaml_spells_them(plan_copy: Path, escape: str) -> None:
    edit(plan_copy / "chapters" / "youth.yaml", "title: 推进高等教育阶段科学教育", f'title: "推进{escape}高等教育"')
    out = validate_fails(plan_copy, "plan/chapters/youth.yaml:13:12: error encoding")
    assert "\x1b" not in out and "\x07" not in out and "\x00" not in out
    for args in (["show", "youth-higher-education"], ["tasks"], ["export", "text"]):
        result = run(*args)
        assert result.exit_code == 1 and "\x1b" not in result.output and "\x07" not in result.output


@pytest.mark.parametrize(("char", "name"), [("\u2028", "U+2028 (LINE SEPARATOR)"), ("\r", "U+000D (CARRIAGE RETURN)")])
def test_invisible_line_breaks_are_named_where_they_are(plan_copy: Path, char: str, name: str) -> None:
    edit(
        plan_copy / "chapters" / "youth.yaml", "弘扬科学精神和科学家精神，激发", f"弘扬科学精神和科学家精神，{char}激发"
    )
    validate_fails(plan_copy, f"plan/chapters/youth.yaml:4:20: error encoding: invisible line break {name}")


def test_date_errors_point_at_the_date(plan_copy: Path) -> None:
    edit(plan_copy / "document.yaml", "  date: 2023-04-06\nplan:", "  date: 2023-4-6\nplan:")
    validate_fails(plan_copy, "plan/document.yaml:12:9: error schema: notice.date: expected a date (YYYY-MM-DD)")


def test_writes_follow_the_umask_and_keep_modes(plan_copy: Path) -> None:
    folder = plan_copy.parent
    for mask, mode in ((0o022, 0o644), (0o077, 0o600)):
        target = folder / f"new-{mask:o}.txt"
        result = cli("export", "text", "-o", target, cwd=folder, preexec_fn=lambda m=mask: os.umask(m))
        assert result.returncode == 0, result.stderr
        assert stat.S_IMODE(target.stat().st_mode) == mode
    kept = folder / "kept.txt"
    kept.write_text("old", encoding="utf-8")
    os.chmod(kept, 0o640)
    assert cli("export", "text", "-o", kept, cwd=folder).returncode == 0
    assert stat.S_IMODE(kept.stat().st_mode) == 0o640 and kept.read_text(encoding="utf-8").startswith("衡阳市")
    path = plan_copy / "chapters" / "youth.yaml"
    os.chmod(path, 0o640)
    edit(path, "  etc: true", "  etc: yes")
    assert run("fmt").exit_code == 0
    assert stat.S_IMODE(path.stat().st_mode) == 0o640 and "  etc: true" in path.read_text(encoding="utf-8")


def test_what_is_not_a_regular_file_is_never_replaced(plan_copy: Path) -> None:
    folder = plan_copy.parent
    os.mkfifo(folder / "fifo")
    (folder / "dir").mkdir()
    for target, what in (("/dev/null", "a character device"), ("fifo", "a FIFO"), ("dir", "a folder")):
        result = run("export", "text", "-o", target)
        assert result.exit_code == 1 and f"is {what}" in result.stderr, result.output
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode) and stat.S_ISFIFO(os.stat(folder / "fifo").st_mode)
    assert run("export", "text", "-o", "").exit_code == 2


def test_a_symbolic_link_is_written_through(plan_copy: Path) -> None:
    folder = plan_copy.parent
    (folder / "real.txt").write_text("old", encoding="utf-8")
    (folder / "link.txt").symlink_to("real.txt")
    assert run("export", "text", "-o", "link.txt").exit_code == 0
    assert (folder / "link.txt").is_symlink()
    assert (folder / "real.txt").read_text(encoding="utf-8").startswith("衡阳市雁峰区人民政府办公室\n")


def test_letters_leave_other_files_and_replace_letters_only_when_forced(plan_copy: Path) -> None:
    out = plan_copy.parent / "out"
    out.mkdir()
    (out / "notes.md").write_text("mine", encoding="utf-8")
    assert run("letters", "--out", out, "-u", "区教育局", "-f", "md", "--date", "2023-04-20").exit_code == 0
    letter = next(p for p in out.iterdir() if p.name != "notes.md")
    letter.write_text("edited by hand", encoding="utf-8")
    again = run("letters", "--out", out, "-u", "区教育局", "-f", "md")
    assert again.exit_code == 1 and "--force" in again.stderr and letter.name in again.stderr
    assert letter.read_text(encoding="utf-8") == "edited by hand"
    forced = run("letters", "--out", out, "-u", "区教育局", "-f", "md", "--force")
    assert forced.exit_code == 0 and f"replaced 1 letter(s) that were there: {letter.name}" in forced.stderr
    assert (out / "notes.md").read_text(encoding="utf-8") == "mine"
    assert run("letters", "--out", out / "notes.md").exit_code == 1


def test_fmt_leaves_read_only_files_alone(plan_copy: Path) -> None:
    path = plan_copy / "chapters" / "youth.yaml"
    edit(path, "  etc: true", "  etc: yes")
    os.chmod(path, 0o444)
    before = path.read_bytes()
    result = run("fmt")
    assert result.exit_code == 1 and "plan/chapters/youth.yaml: error fmt:" in result.stderr
    assert "read-only; it was left as it is" in result.stderr and path.read_bytes() == before


def test_fmt_keeps_yaml_1_1_words_quoted_and_formats_a_folder(plan_copy: Path) -> None:
    path = plan_copy / "units.yaml"
    for word in ("On", "no", "Yes", "off", "1:20", "~", "null", "0x1F"):
        edit(path, "aliases: [教育局]", f"aliases: ['{word}', 教育局]")
        assert run("fmt", "plan").exit_code == 0, word
        assert f"aliases: ['{word}', 教育局]" in path.read_text(encoding="utf-8"), word
        edit(path, f"aliases: ['{word}', 教育局]", "aliases: [教育局]")


def test_failed_writes_say_so_and_leave_nothing(plan_copy: Path) -> None:
    import resource

    folder = plan_copy.parent

    def small() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))

    result = cli("export", "text", "-o", "out.txt", cwd=folder, preexec_fn=small)
    assert result.returncode == 1 and "cannot write out.txt: File too large" in result.stderr
    assert not list(folder.glob("*out.txt*"))
    with open(folder / "cut.txt", "wb") as fh:
        result = cli("export", "text", cwd=folder, stdout=fh, preexec_fn=small)
    assert result.returncode == 1 and "cannot write to standard output: File too large" in result.stderr
    with open("/dev/full", "wb") as fh:
        result = cli("export", "text", cwd=folder, stdout=fh)
    assert result.returncode == 1 and "No space left on device" in result.stderr


def test_standard_output_closed_gone_or_ascii(plan_copy: Path) -> None:
    folder = plan_copy.parent
    closed = subprocess.run(
        f'"{sys.executable}" -m kpsy tasks >&-', shell=True, cwd=folder, capture_output=True, text=True, timeout=60
    )
    assert closed.returncode == 1 and "standard output is closed" in closed.stderr
    proc = subprocess.Popen(
        [sys.executable, "-m", "kpsy", "export", "text"], cwd=folder, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # the reader goes away before kpsy writes, as `head` does
    assert proc.wait(timeout=60) == 1 and proc.stderr.read() == b""
    proc.stderr.close()
    ascii_out = cli("tasks", cwd=folder, env={"PYTHONIOENCODING": "ascii"})
    assert ascii_out.returncode == 1 and "PYTHONIOENCODING=utf-8" in ascii_out.stderr
    assert "internal error" not in ascii_out.stderr + closed.stderr


def test_formulas_from_plan_text_stay_text(plan_copy: Path) -> None:
    import openpyxl

    formula = '=HYPERLINK("http://example.org","点这里")'
    edit(plan_copy / "chapters" / "youth.yaml", "title: 推进高等教育阶段科学教育", f"title: '{formula}'")
    assert run("tasks", "-f", "xlsx", "-o", "t.xlsx").exit_code == 0
    sheet = openpyxl.load_workbook(plan_copy.parent / "t.xlsx").worksheets[0]
    cells = [c for row in sheet.iter_rows() for c in row if c.value == formula]
    assert cells and all(c.data_type == "s" for c in cells)
    csv_out = run("tasks", "-f", "csv").stdout
    assert f"'{formula}" in csv_out.replace('""', '"') and f",{formula}" not in csv_out


def test_rich_markup_in_plan_text_is_shown_as_text(plan_copy: Path) -> None:
    import io

    from kpsy.api import open_plan
    from kpsy.outputs.listing import render_rich
    from kpsy.outputs.views import tasks_listing

    edit(
        plan_copy / "chapters" / "youth.yaml",
        "title: 推进高等教育阶段科学教育",
        "title: '[link=http://x.org]点[/link][/bold] :smile:'",
    )
    plan = open_plan(plan_copy)
    out = io.StringIO()
    render_rich(tasks_listing(plan.tasks("区教育局"), plan.unit("区教育局")), out)
    assert "[link=http://x.org]点[/link][/bold]" in out.getvalue().replace("\n", "")
    assert ":smile:" in out.getvalue()


def test_list_markers_at_the_start_of_plan_text_stay_text(plan_copy: Path) -> None:
    import docx

    path = plan_copy / "chapters" / "youth.yaml"
    for old, new in (
        ("title: 将弘扬科学精神和科学家精神贯穿于育人全链条", "title: a. 第一"),
        ("title: 推进基础教育阶段科学教育", "title: iv. 第四"),
        ("title: 推进高等教育阶段科学教育", "title: IV. 第五"),
        ("title: 建立校内外科学教育资源有效衔接机制", "title: '#. 第四'"),
        ("title: 强化科技创新后备人才培育", "title: 'A.  第六'"),
    ):
        edit(path, old, new)
    edit(plan_copy / "chapters" / "farmers.yaml", "title: 实施高素质农民培育计划", "title: '(a) 甲'")
    for name in ("letter", "document"):
        args = ["-u", "区教育局"] if name == "letter" else []
        assert run("render", name, *args, "-f", "docx", "-o", f"{name}.docx").exit_code == 0
        text = "\n".join(p.text for p in docx.Document(str(plan_copy.parent / f"{name}.docx")).paragraphs)
        for marker in (
            "1．a. 第一",
            "2．iv. 第四",
            "3．IV. 第五",
            "4．#. 第四",
            "5．A. 第六",
        ):  # runs of spaces fold, as in Word
            assert marker in text, (name, marker)
    assert "1．(a) 甲" in text


def test_templates_cannot_hang_or_exhaust_kpsy(workdir: Path) -> None:
    folder = workdir / "tpl"
    folder.mkdir()
    cases = {
        "{% for i in range(10**9) %}x{% endfor %}\n": "letter.md.j2:1",
        "{{ 'x' * 10**9 }}\n": "the limit is",
        "{{ [0] * 10**9 }}\n": "the limit is",
    }
    for text, said in cases.items():
        (folder / "letter.md.j2").write_text(text, encoding="utf-8")
        result = run("render", "letter", "-u", "区教育局", "--templates", folder, "--plan", PLAN)
        assert result.exit_code == 1 and said in result.stderr and "internal error" not in result.stderr
    (folder / "letter.md.j2").write_bytes("致{{ unit.name }}：\n".encode("gbk"))
    result = run("render", "letter", "-u", "区教育局", "--templates", folder, "--plan", PLAN)
    assert result.exit_code == 1 and "letter.md.j2: the template is not UTF-8" in result.stderr
    result = run("render", "letter", "--unit", "", "--plan", PLAN)
    assert result.exit_code == 2 and "a unit needs a name" in result.stderr


def test_pandoc_stopped_by_a_signal_is_named(workdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from kpsy.documents import pandoc

    script = workdir / "fake-pandoc"
    script.write_text("#!/bin/sh\nkill -9 $$\n", encoding="utf-8")
    script.chmod(0o755)
    monkeypatch.setattr(pandoc, "pandoc_path", lambda: str(script))
    result = run("render", "summary", "-f", "docx", "-o", "s.docx", "--plan", PLAN)
    assert result.exit_code == 1 and "pandoc was stopped by SIGKILL" in result.stderr
    assert not (workdir / "s.docx").exists()


def test_textconv_never_fails_and_hides_nothing(workdir: Path) -> None:
    wrong = workdir / "wrong.yaml"
    wrong.write_text("id: youth\ntitle: t\ntasks: 5\n", encoding="utf-8")
    result = run("textconv", wrong)
    assert result.exit_code == 0 and result.stdout.endswith("\ntasks: 5\n")
    assert result.stdout.startswith("# kpsy textconv: not shaped as a chapter file; shown as written\n")
    misspelt = workdir / "misspelt.yaml"
    misspelt.write_text("id: youth\ntitle: t\ntitel: 拼错的键\n", encoding="utf-8")
    assert "titel: 拼错的键" in run("textconv", misspelt).stdout
    assert run("textconv", workdir / "missing.yaml").exit_code == 0
    binary = workdir / "binary.yaml"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    assert run("textconv", binary).exit_code == 0


def test_diff_of_revisions_with_committed_links(plan_copy: Path) -> None:
    folder = plan_copy.parent
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org"]
    (plan_copy / "source" / "original.txt").symlink_to("yanfeng-plan-2021-2025.txt")
    edit(
        plan_copy / "document.yaml",
        "source_text: source/yanfeng-plan-2021-2025.txt",
        "source_text: source/original.txt",
    )
    subprocess.run([*git, "init", "-q"], cwd=folder, check=True)
    subprocess.run([*git, "add", "plan"], cwd=folder, check=True)
    subprocess.run([*git, "commit", "-q", "-m", "plan"], cwd=folder, check=True)
    result = run("diff", "HEAD", "--exit-code")
    assert result.exit_code == 0, result.output
    (plan_copy / "source" / "escape.txt").symlink_to("/etc/hostname")
    subprocess.run([*git, "add", "plan"], cwd=folder, check=True)
    subprocess.run([*git, "commit", "-q", "-m", "a link out"], cwd=folder, check=True)
    result = run("diff", "HEAD~1", "HEAD", "--exit-code")
    assert result.exit_code == 2 and "escape.txt" in result.stderr and "internal error" not in result.stderr


def test_fmt_keeps_comments_with_the_key_below_them() -> None:
    from kpsy.plan import model
    from kpsy.plan.fmt import format_text

    messy = (
        "id: youth   # the id\n"
        "title: 青少年\n"
        "# about the responsibility\n"
        "responsibility:\n"
        "  # about the participants\n"
        "  participants:\n"
        "    - 区妇联\n"
        "  # about the leads\n"
        "  leads:\n"
        "    - 区教育局  # the first lead\n"
        "# about the tasks\n"
        "tasks:\n"
        "  - title: a\n"
        "    id: a\n"
        "# about the body\n"
        "body: 正文\n"
    )
    assert format_text(messy, model.Chapter) == (
        "id: youth   # the id\n"
        "title: 青少年\n"
        "# about the body\n"
        "body: 正文\n"
        "# about the tasks\n"
        "tasks:\n"
        "  - id: a\n"
        "    title: a\n"
        "# about the responsibility\n"
        "responsibility:\n"
        "  # about the leads\n"
        "  leads:\n"
        "    - 区教育局  # the first lead\n"
        "  # about the participants\n"
        "  participants:\n"
        "    - 区妇联\n"
    )


@pytest.mark.parametrize("target", ["/etc/hostname", "../../outside.txt", "../units.yaml"])
@pytest.mark.parametrize("filters", [True, False], ids=["python-filters", "no-filters"])
def test_links_out_of_a_committed_plan_folder_are_refused(
    plan_copy: Path, monkeypatch: pytest.MonkeyPatch, target: str, filters: bool
) -> None:
    """With or without Python's extraction filters (3.11.4+), whatever the link points at."""
    import tarfile

    if not filters:
        monkeypatch.delattr(tarfile, "data_filter", raising=False)
    folder = plan_copy.parent
    (folder / "outside.txt").write_text("x", encoding="utf-8")
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@example.org"]
    (plan_copy / "source" / "original.txt").symlink_to("yanfeng-plan-2021-2025.txt")
    edit(
        plan_copy / "document.yaml",
        "source_text: source/yanfeng-plan-2021-2025.txt",
        "source_text: source/original.txt",
    )
    subprocess.run([*git, "init", "-q"], cwd=folder, check=True)
    subprocess.run([*git, "add", "plan"], cwd=folder, check=True)
    subprocess.run([*git, "commit", "-q", "-m", "plan"], cwd=folder, check=True)
    (plan_copy / "source" / "link.txt").symlink_to(target)
    subprocess.run([*git, "add", "plan"], cwd=folder, check=True)
    subprocess.run([*git, "commit", "-q", "-m", "a link"], cwd=folder, check=True)
    result = run("diff", "HEAD~1", "HEAD")
    if target == "../units.yaml":  # stays inside the plan folder: read like any file
        assert result.exit_code in (0, 1), result.output
    else:
        assert result.exit_code == 2 and "link.txt" in result.stderr, result.output

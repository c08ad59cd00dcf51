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
import marshal  # noqa: E402
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
    entries = [p for p in cache_folder().glob("*") if p.is_file()]
    assert entries and all(p.suffix in (".entry", ".json", ".jinja") for p in entries), entries
    assert not list(cache_folder().glob("*.pickle"))
    newest = max(cache_folder().glob("*.entry"), key=lambda p: p.stat().st_mtime_ns)
    mac, _, body = newest.read_bytes().partition(b"\n")
    assert len(mac) == 64 and marshal.loads(body)["format"] == 2  # data only: lists, dicts, strings, numbers
    assert stat.S_IMODE(cache_folder().stat().st_mode) == 0o700


def _tasks_of_education() -> int:
    return len(json.loads(run("tasks", "-u", "区教育局", "-f", "json").stdout))


def test_a_forged_or_damaged_cache_entry_changes_no_answer(plan_copy: Path, tmp_path: Path) -> None:
    honest = _tasks_of_education()
    assert honest == 30
    for entry in [*cache_folder().glob("*.json"), *cache_folder().glob("*.entry")]:
        mac, _, body = entry.read_bytes().partition(b"\n")
        alias = entry.suffix == ".json"
        data = json.loads(body) if alias else marshal.loads(body)
        if alias:  # from a plan's bytes to the entry made from them
            data["entry"] = "0" * 40
        for _, kind, _, record in data.get("sources", []):
            if kind == "chapter":
                record["tasks"] = record["tasks"][:1]
        forged = json.dumps(data, ensure_ascii=False).encode() if alias else marshal.dumps(data)
        entry.write_bytes(mac + b"\n" + forged)  # the old digest over new data
    assert _tasks_of_education() == honest
    for entry in [*cache_folder().glob("*.json"), *cache_folder().glob("*.entry")]:
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
        assert result.exit_code == 0, result.output
    else:
        assert result.exit_code == 2 and "link.txt" in result.stderr, result.output


# --- what comes back from the units is untrusted (issue 19) ------------------------------------------

import errno  # noqa: E402
import re  # noqa: E402
import resource  # noqa: E402
import struct  # noqa: E402
import zipfile  # noqa: E402
import zlib  # noqa: E402
from collections.abc import Callable  # noqa: E402

from .conftest import REPO  # noqa: E402
from .conftest import SOURCE as REPO_SOURCE  # noqa: E402
from .test_sheets import fill  # noqa: E402
from .test_sheets import make_sheet as sheet_for  # noqa: E402

MiB = 1024 * 1024
MEMORY_LIMIT = 1536 * MiB  # every bomb runs under this address-space limit: a regression fails, never swaps


def limited(*args: str | Path, cwd: Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """kpsy in a process of its own, under MEMORY_LIMIT and a time limit."""

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))

    env = {**os.environ, "KPSY_LANG": "en", "NO_COLOR": "1", "COLUMNS": "100"}
    return subprocess.run(
        [sys.executable, "-m", "kpsy", *map(str, args)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        preexec_fn=limit,
    )


def raw_zip(members: list[tuple[str, bytes, int, int]]) -> bytes:
    """A zip archive from members already deflated: (name, raw deflate data, unpacked size, CRC-32)."""
    body, directory = b"", b""
    for name, data, size, crc in members:
        encoded = name.encode()
        head = struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, crc, len(data), size, len(encoded), 0)
        directory += (
            struct.pack(
                "<IHHHHHHIIIHHHHHII",
                0x02014B50,
                20,
                20,
                0,
                8,
                0,
                0x21,
                crc,
                len(data),
                size,
                len(encoded),
                0,
                0,
                0,
                0,
                0,
                len(body),
            )
            + encoded
        )
        body += head + encoded + data
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(members), len(members), len(directory), len(body), 0)
    return body + directory + end


def deflated(data: bytes) -> tuple[bytes, int, int]:
    co = zlib.compressobj(6, zlib.DEFLATED, -15)
    return co.compress(data) + co.flush(), len(data), zlib.crc32(data)


@pytest.fixture(scope="module")
def bomb() -> tuple[bytes, int, int]:
    """1.5 GB of spaces deflated to about 7 MB: made once, in memory, never unpacked by the test."""
    co = zlib.compressobj(1, zlib.DEFLATED, -15)
    chunk = b" " * MiB
    parts, crc = [], 0
    for _ in range(1536):
        parts.append(co.compress(chunk))
        crc = zlib.crc32(chunk, crc)
    parts.append(co.flush())
    return b"".join(parts), 1536 * MiB, crc


def with_member(source: Path, target: Path, name: str, member: tuple[bytes, int, int]) -> Path:
    """`source` (a zip) rewritten with the member `name` replaced by `member` (already deflated)."""
    members = []
    with zipfile.ZipFile(source) as z:
        for info in z.infolist():
            members.append((info.filename, *(member if info.filename == name else deflated(z.read(info)))))
    target.write_bytes(raw_zip(members))
    return target


def test_a_zip_member_that_unpacks_to_1_5_gb_is_refused_before_it_is_read(
    plan_copy: Path, bomb: tuple[bytes, int, int]
) -> None:
    folder = plan_copy.parent
    sheet = fill(sheet_for(folder))
    xlsx = with_member(sheet, folder / "bomb.xlsx", "xl/styles.xml", bomb)
    assert xlsx.stat().st_size < 16 * MiB
    result = limited("progress", "import", xlsx, cwd=folder)
    assert result.returncode == 1, result.stderr
    assert (
        "bomb.xlsx: xl/styles.xml: unpacked size 1,610,612,736 is over the limit of 33,554,432; the file was not read"
        in result.stderr
    )
    import docx

    document = docx.Document()
    document.add_paragraph("衡阳市某县全民科学素质行动实施方案")
    document.save(str(folder / "plan.docx"))
    for part in ("word/styles.xml", "word/document.xml"):
        word = with_member(folder / "plan.docx", folder / "bomb.docx", part, bomb)
        result = limited("import", word, "--out", folder / "imported", cwd=folder)
        assert result.returncode == 1 and "over the limit" in result.stderr, result.stderr
        assert "1,610,612,736" in result.stderr and "Traceback" not in result.stderr
        assert not (folder / "imported").exists()


def _sheet_xml(sheet: Path, change: Callable[[str], str], target: Path) -> Path:
    members = []
    with zipfile.ZipFile(sheet) as z:
        for info in z.infolist():
            data = z.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = change(data.decode()).encode()
            members.append((info.filename, *deflated(data)))
    target.write_bytes(raw_zip(members))
    return target


def test_a_cell_far_away_and_a_merge_over_the_whole_sheet(plan_copy: Path) -> None:
    """Cells are read as they are present, never over the declared size; a merged range is a range."""
    folder = plan_copy.parent
    sheet = fill(sheet_for(folder))

    def far(xml: str) -> str:
        xml = xml.replace(
            "</sheetData>",
            '<row r="1048576"><c r="E1048576" t="inlineStr"><is><t>远</t></is></c><c r="XFD1048576" t="inlineStr"><is><t>远</t></is></c></row></sheetData>',
        )
        xml = re.sub(r'<dimension ref="[^"]*"/>', '<dimension ref="A1:XFD1048576"/>', xml)
        return xml.replace(
            "</sheetData>", '</sheetData><mergeCells count="1"><mergeCell ref="A1:XFD1048576"/></mergeCells>', 1
        )

    result = limited("progress", "import", _sheet_xml(sheet, far, folder / "far.xlsx"), cwd=folder, timeout=60)
    assert result.returncode == 1, result.stderr
    assert "far.xlsx: 进展!A1: merged cells A1:XFD1048576: unmerge them" in result.stderr
    assert "far.xlsx: 进展!E1048576: row 1048576 has no task id" in result.stderr


def test_spans_merges_and_repeats_are_bounded(plan_copy: Path) -> None:
    import docx

    folder = plan_copy.parent
    document = docx.Document()
    document.add_paragraph("实施方案")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "任务"
    document.save(str(folder / "t.docx"))

    def rewrite(change: Callable[[str], str], name: str) -> Path:
        members = []
        with zipfile.ZipFile(folder / "t.docx") as z:
            for info in z.infolist():
                data = z.read(info)
                if info.filename == "word/document.xml":
                    data = change(data.decode()).encode()
                members.append((info.filename, *deflated(data)))
        (folder / name).write_bytes(raw_zip(members))
        return folder / name

    span = rewrite(
        lambda x: x.replace("<w:tc><w:tcPr>", '<w:tc><w:tcPr><w:gridSpan w:val="2000000000"/>', 1), "span.docx"
    )
    result = limited("import", span, "--out", folder / "o", cwd=folder, timeout=60)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "table 1, row 1: gridSpan (cells merged across) 2,000,000,000 is over the limit of 64" in result.stderr

    def long_merge(xml: str) -> str:
        row = "<w:tr><w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc></w:tr>"
        return xml.replace("</w:tbl>", row * 300 + "</w:tbl>", 1)

    result = limited("import", rewrite(long_merge, "merge.docx"), "--out", folder / "o", cwd=folder, timeout=60)
    assert result.returncode == 1 and "rows merged down (vMerge) 201 is over the limit of 200" in result.stderr

    content = (
        '<?xml version="1.0"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0"'
        ' xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0">'
        '<office:body><office:spreadsheet><table:table table:name="进展">'
        '<table:table-row table:number-rows-repeated="1048576"><table:table-cell table:number-columns-repeated="1024"'
        ' office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row>'
        "</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    ods = folder / "repeat.ods"
    ods.write_bytes(
        raw_zip(
            [
                ("mimetype", *deflated(b"application/vnd.oasis.opendocument.spreadsheet")),
                ("content.xml", *deflated(content.encode())),
            ]
        )
    )
    result = limited("progress", "import", ods, cwd=folder, timeout=60)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "repeat.ods: sheet 进展 holds more than 100,000 cells with something in them" in result.stderr


def test_what_is_not_a_regular_file_is_refused_without_waiting(plan_copy: Path) -> None:
    folder = plan_copy.parent
    os.mkfifo(folder / "pipe.xlsx")
    os.mkfifo(folder / "pipe.docx")
    result = limited("progress", "import", "pipe.xlsx", cwd=folder, timeout=30)
    assert result.returncode == 1 and "pipe.xlsx: it is a FIFO (named pipe), not a file" in result.stderr
    result = limited("import", "pipe.docx", "--out", "o", cwd=folder, timeout=30)
    assert result.returncode == 1 and "pipe.docx" in result.stderr and "Traceback" not in result.stderr
    result = limited("progress", "import", "/dev/zero", cwd=folder, timeout=30)
    assert result.returncode == 1 and "a character device, not a file" in result.stderr


def test_diff_reads_only_the_plan_folder_and_refuses_a_huge_file_by_its_size(plan_copy: Path) -> None:
    folder = plan_copy.parent
    git = [
        "git",
        "-c",
        "user.name=t",
        "-c",
        "user.email=t@example.org",
        "-c",
        "core.compression=1",
        "-c",
        "core.bigFileThreshold=1m",
    ]
    subprocess.run([*git, "init", "-q"], cwd=folder, check=True)
    subprocess.run([*git, "add", "plan"], cwd=folder, check=True)
    subprocess.run([*git, "commit", "-q", "-m", "plan"], cwd=folder, check=True)
    (plan_copy / "chapters" / "huge.yaml").write_bytes(b"")
    os.truncate(plan_copy / "chapters" / "huge.yaml", 1600 * MiB)  # sparse: nothing on disk
    subprocess.run([*git, "add", "-A"], cwd=folder, check=True, timeout=300)
    subprocess.run([*git, "commit", "-q", "-m", "huge"], cwd=folder, check=True)
    result = limited("diff", "HEAD~1", "HEAD", cwd=folder, timeout=120)
    assert result.returncode == 2, result.stderr
    assert "HEAD:plan/chapters/huge.yaml: file is more than 4,194,304 bytes" in result.stderr
    assert "MemoryError" not in result.stderr and "Traceback" not in result.stderr


def _five_sheets(plan: Path) -> list[Path]:
    units = ["区教育局", "区科协", "团区委", "区卫健局", "区妇联"]
    return [fill(sheet_for(plan.parent, unit=u, name=f"u{i}.xlsx")) for i, u in enumerate(units)]


def test_five_imports_at_once_lose_no_report(plan_copy: Path) -> None:
    folder = plan_copy.parent
    sheets = _five_sheets(plan_copy)
    env = {**os.environ, "KPSY_LANG": "en"}
    runs = [
        subprocess.Popen(
            [sys.executable, "-m", "kpsy", "progress", "import", s],
            cwd=folder,
            env=env,
            stderr=subprocess.PIPE,
            text=True,
        )
        for s in sheets
    ]
    outcomes = [(p.wait(timeout=300), p.stderr.read() if p.stderr else "") for p in runs]
    for p in runs:
        if p.stderr:
            p.stderr.close()
    assert all(code == 0 for code, _ in outcomes), outcomes
    written = sorted(p.name for p in (plan_copy / "progress" / "2024").iterdir())
    assert written == sorted(
        ["education.yaml", "science-association.yaml", "youth-league.yaml", "health.yaml", "women-federation.yaml"]
    )
    assert run("validate", "--strict", "-f", "plain").exit_code == 0


def test_a_full_disk_mid_batch_names_what_was_and_was_not_written(
    plan_copy: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kpsy import util

    sheets = _five_sheets(plan_copy)[:3]
    before = tree_digest(plan_copy)
    real_write = util._write_all
    calls = {"n": 0}

    def full(fd: int, data: bytes) -> None:
        calls["n"] += 1
        if calls["n"] == 2:
            raise OSError(errno.ENOSPC, "No space left on device")
        real_write(fd, data)

    monkeypatch.setattr(util, "_write_all", full)
    result = run("progress", "import", *sheets)
    assert result.exit_code == 1, result.output
    assert "cannot write plan/progress/2024/" in result.stderr and "No space left on device" in result.stderr
    assert (
        "Written: none. Not written: plan/progress/2024/education.yaml、plan/progress/2024/science-association.yaml、"
        "plan/progress/2024/youth-league.yaml" in result.stderr
    )
    assert tree_digest(plan_copy) == before
    assert not list(plan_copy.rglob("*.tmp")) and not (plan_copy / "progress").exists()

    monkeypatch.setattr(util, "_write_all", real_write)
    real_replace = os.replace
    renames = {"n": 0}

    def failing(src: str, dst: str) -> None:
        if str(dst).endswith(".yaml") and "progress" in str(dst):
            renames["n"] += 1
            if renames["n"] == 3:
                raise OSError(errno.EIO, "Input/output error")
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", failing)
    result = run("progress", "import", *sheets)
    assert result.exit_code == 1 and "Input/output error" in result.stderr
    assert "Written: none. Not written: " in result.stderr  # the two renamed first were put back
    assert tree_digest(plan_copy) == before


def test_messages_name_what_they_are_about(plan_copy: Path) -> None:
    from openpyxl.worksheet.formula import ArrayFormula

    folder = plan_copy.parent
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 1000 + "EncryptedPackage".encode("utf-16-le") + b"\0" * 500
    (folder / "locked.xlsx").write_bytes(ole)
    result = run("progress", "import", folder / "locked.xlsx")
    assert (
        result.exit_code == 1
        and "locked.xlsx: the workbook is protected by a password (it is encrypted)" in result.stderr
    )
    assert ".xls" not in result.stderr.replace(".xlsx", "")

    def array(book: object) -> None:
        book["进展"]["F7"] = ArrayFormula("F7", "=SUM(F8:F9)")  # type: ignore[index]

    result = run("progress", "import", fill(sheet_for(folder), edit=array))
    assert result.exit_code == 1
    assert "进展!F7: the cell holds an array formula ({=SUM(F8:F9)}): type the value itself" in result.stderr
    assert "<openpyxl" not in result.stderr and "object at" not in result.stderr

    text = (REPO_SOURCE).read_text(encoding="utf-8")
    half = text.index("二、")
    mixed = text[:half].encode("utf-8") + text[half:].encode("gbk")
    (folder / "mixed.txt").write_bytes(mixed)
    result = run("import", folder / "mixed.txt", "--out", folder / "o")
    offset = len(text[:half].encode("utf-8"))
    line = text[:half].count("\n") + 1
    assert (
        f"the text is UTF-8 up to byte offset {offset} (line {line}), where byte 0x{mixed[offset]:02X}" in result.stderr
    )
    nul = text.encode("utf-8")
    (folder / "nul.txt").write_bytes(nul[:100] + b"\0" + nul[100:])
    result = run("import", folder / "nul.txt", "--out", folder / "o")
    assert "byte offset 100 (line" in result.stderr and "is a NUL byte (0x00)" in result.stderr
    assert "not a plan" not in result.stderr


def test_standard_output_named_with_o(plan_copy: Path) -> None:
    folder = plan_copy.parent
    for name in ("/dev/stdout", "-"):
        piped = subprocess.run(
            [sys.executable, "-m", "kpsy", "tasks", "-u", "区教育局", "-f", "csv", "-o", name],
            cwd=folder,
            capture_output=True,
            timeout=60,
        )
        assert piped.returncode == 0, piped.stderr
        assert piped.stdout.decode("utf-8-sig").startswith("No.,Task,")
    binary = subprocess.run(
        [sys.executable, "-m", "kpsy", "tasks", "-f", "xlsx", "-o", "/dev/stdout"],
        cwd=folder,
        capture_output=True,
        timeout=60,
    )
    assert binary.returncode == 0 and binary.stdout.startswith(b"PK")


def test_what_reaches_a_workbook_or_a_document_is_xml_safe(tmp_path: Path) -> None:
    from xml.parsers import expat

    import openpyxl

    from kpsy.documents.pandoc import pandoc
    from kpsy.documents.templates import reference_docx
    from kpsy.outputs.excel import put

    nasty = "甲\uffff乙\ufffe丙\x07丁\ud800戊\U0010ffff"
    book = openpyxl.Workbook()
    put(book.active["A1"], nasty)
    book.save(tmp_path / "x.xlsx")
    document = pandoc(nasty + "\n", reference_docx())
    (tmp_path / "x.docx").write_bytes(document)
    for path, part in ((tmp_path / "x.xlsx", "xl/worksheets/sheet1.xml"), (tmp_path / "x.docx", "word/document.xml")):
        with zipfile.ZipFile(path) as z:
            xml = z.read(part)
        expat.ParserCreate().Parse(xml, True)  # well formed
        assert "\\uffff" in xml.decode("utf-8")


# --- the cache never changes an answer -------------------------------------------------------------

EDITS = st.lists(
    st.sampled_from(["loop", "up", "file-out", "folder-out", "edit", "unedit", "drop", "restore", "unknown"]),
    min_size=1,
    max_size=5,
)


def _apply(plan: Path, edit: str) -> None:
    chapters = plan / "chapters"
    youth = chapters / "youth.yaml"
    links = {
        "loop": ("sub", "."),
        "up": ("up", "../.."),
        "file-out": ("out.yaml", "/etc/hostname"),
        "folder-out": ("etc", "/etc"),
    }
    if edit in links:
        name, target = links[edit]
        link = chapters / name
        if link.is_symlink():
            link.unlink()
        else:
            link.symlink_to(target)
    elif edit == "edit" and youth.exists():
        youth.write_text(
            youth.read_text(encoding="utf-8").replace("title: 青少年科学素质提升行动", "title: 青少年"),
            encoding="utf-8",
        )
    elif edit == "unedit" and youth.exists():
        youth.write_text((PLAN / "chapters" / "youth.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    elif edit == "drop" and youth.exists():
        youth.unlink()
    elif edit == "restore":
        shutil.copy(PLAN / "chapters" / "youth.yaml", youth)
    elif edit == "unknown":
        (plan / "notes.yaml").write_text("x: 1\n", encoding="utf-8")


@settings(FAST, max_examples=12)
@given(EDITS)
def test_the_cache_never_changes_an_answer(scratch_plan: Path, edits: list[str]) -> None:
    original = {p: p.read_bytes() for p in scratch_plan.rglob("*.yaml") if p.is_file() and not p.is_symlink()}
    try:
        for edit in edits:
            _apply(scratch_plan, edit)
            warm = [(p.file, p.line, p.col, p.rule, p.message) for p in validate(scratch_plan).problems]
            os.environ["KPSY_NO_CACHE"] = "1"
            try:
                cold = [(p.file, p.line, p.col, p.rule, p.message) for p in validate(scratch_plan).problems]
            finally:
                del os.environ["KPSY_NO_CACHE"]
            assert warm == cold, edit
            assert [(p.file, p.rule, p.message) for p in validate(scratch_plan).problems] == [
                (f, r, m) for f, _, _, r, m in cold
            ]
    finally:
        for link in (scratch_plan / "chapters").iterdir():
            if link.is_symlink():
                link.unlink()
        (scratch_plan / "notes.yaml").unlink(missing_ok=True)
        for path, data in original.items():
            path.write_bytes(data)


# --- git: textconv and .gitattributes -------------------------------------------------------------------


@FAST
@given(st.sampled_from(sorted(KINDS)), DATA)
def test_textconv_never_fails_on_any_kind(kind: str, data: object) -> None:
    from kpsy.plan.textconv import canonical, textconv

    record = {"unit": "education", "period": "2024", "tasks": data} if kind == "progress" else data
    path = Path(os.environ.get("TMPDIR", "/tmp")) / f"kpsy-textconv-{os.getpid()}.yaml"
    path.write_text(yaml.safe_dump(record, allow_unicode=True), encoding="utf-8")
    try:
        out = textconv(path)
    finally:
        path.unlink()
    assert "nothing to show" not in out
    if out.startswith("# kpsy textconv:"):
        assert yaml.safe_dump(record, allow_unicode=True) in out  # shown as written: the change is seen
    if isinstance(record, dict):
        canonical  # noqa: B018 - imported to show what the property covers


def test_textconv_shows_a_progress_file_of_any_shape(workdir: Path) -> None:
    odd = workdir / "odd.yaml"
    odd.write_text("unit: education\nperiod: '2024'\ntasks: 5\nindicators: [1]\n", encoding="utf-8")
    result = run("textconv", odd)
    assert result.exit_code == 0 and "tasks: 5" in result.stdout and "TypeError" not in result.stdout
    sample = REPO / "examples" / "progress-sample" / "plan" / "progress" / "2024" / "education.yaml"
    assert run("textconv", sample).stdout.startswith("progress education 2024\n")


@pytest.mark.parametrize("name", ["my plan", "plan [2021]", "#plan", "计划 文件夹"])
def test_git_setup_quotes_paths_as_gitattributes_reads_them(workdir: Path, name: str) -> None:
    shutil.copytree(PLAN, workdir / name)
    subprocess.run(["git", "init", "-q"], cwd=workdir, check=True)
    result = run("git-setup", "--plan", workdir / name)
    assert result.exit_code == 0, result.output
    assert "note:" not in result.output  # git applies diff=kpsy to the plan's files
    check = subprocess.run(
        ["git", "check-attr", "diff", "--", f"{name}/chapters/youth.yaml"], cwd=workdir, capture_output=True, text=True
    )
    assert check.stdout.strip().endswith("diff: kpsy"), check.stdout
    again = run("git-setup", "--plan", workdir / name)
    assert ".gitattributes already has" in again.output
    assert (workdir / ".gitattributes").read_text(encoding="utf-8").count("diff=kpsy") == 1


def test_import_out_makes_a_folder_with_the_umasks_mode(workdir: Path) -> None:
    source = REPO / "tests" / "fixtures" / "qingshan" / "plan" / "source" / "qingshan-plan.txt"
    for mask, mode in ((0o022, 0o755), (0o027, 0o750)):
        out = workdir / f"out-{mask:o}"
        result = cli("import", source, "--out", out, cwd=workdir, preexec_fn=lambda m=mask: os.umask(m))
        assert out.is_dir(), result.stderr
        assert stat.S_IMODE(out.stat().st_mode) == mode


def test_unit_names_of_120_characters_do_not_stop_a_batch(plan_copy: Path) -> None:
    long = "区" + "很长的单位名称" * 17 + "局"
    assert len(long) >= 120
    for path in plan_copy.rglob("*"):
        if path.is_file() and path.suffix in (".yaml", ".txt"):
            text = path.read_text(encoding="utf-8")
            if "区教育局" in text:
                path.write_text(text.replace("区教育局", long), encoding="utf-8")
    assert run("validate", "-f", "plain").exit_code == 0
    letters = run("letters", "--out", "letters", "-f", "md", "--date", "2023-04-20")
    assert letters.exit_code == 0, letters.output
    sheets = run("progress", "sheet", "--all", "--period", "2024", "--out", "sheets")
    assert sheets.exit_code == 0, sheets.output
    for folder in ("letters", "sheets"):
        names = [p.name for p in (plan_copy.parent / folder).iterdir()]
        assert len(names) == 26 and max(len(n.encode()) for n in names) <= 170
        assert any("很长的单位名称" in n for n in names)


NOTES = (
    st.text(alphabet=st.sampled_from(list("甲乙，。；：\n\t -#|>:'\"\\[]{}!&*%@`?0a")), min_size=1, max_size=60)
    .map(lambda t: "\n".join(line.rstrip() for line in t.split("\n")).strip())
    .filter(bool)
)


@FAST
@given(NOTES)
def test_notes_with_line_breaks_read_back_exactly(note: str) -> None:
    """What a unit typed on several lines is written as it was (a literal block where it can be) and
    reads back the same: the import checks this for every report, so it must never fail."""
    import datetime as dt
    from pathlib import PurePosixPath

    from kpsy.plan.fmt import record_text
    from kpsy.plan.model import ProgressFile, TaskProgress

    record = ProgressFile(
        unit="education",
        period="2024",
        reporter="张三",
        approver="李四",
        date=dt.date(2024, 12, 8),
        tasks=[TaskProgress(task="youth-talent", status="达进度", progress=note, problems=note, next_steps=note)],
    )
    text = record_text(record, PurePosixPath("progress/2024/education.yaml"))
    doc, problems = parse(text, "f.yaml")
    assert not problems, problems
    back, problems = to_model(doc, ProgressFile)
    assert not problems and back == record
    if "\n" in note and note == note.strip() and all(line == line.rstrip() for line in note.split("\n")):
        assert "|-" in text or '"' in text

"""kpsy.light: data classes made without dataclasses' processing until their fields are asked for,
and kpsy ending without Python's teardown once its work is out (kpsy.cli._end)."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
import textwrap
from dataclasses import field
from typing import ClassVar

import pytest

from kpsy.light import light


def _made(cls: type) -> bool:
    """Whether dataclasses has processed `cls` yet."""
    return isinstance(cls.__dict__.get("__dataclass_fields__"), dict)


def test_a_light_class_is_processed_only_when_its_fields_are_asked_for() -> None:
    @light(kw_only=True)
    class Record:
        name: str
        tags: list[str] = field(default_factory=list)
        note: str | None = None

    first = Record(name="a")
    assert (first.name, first.tags, first.note) == ("a", [], None)
    assert first == Record(name="a", tags=[], note=None)
    assert first != Record(name="a", note="x")
    assert Record(name="a").tags is not Record(name="a").tags  # a new list each time
    assert not _made(Record)
    assert [f.name for f in dataclasses.fields(Record)] == ["name", "tags", "note"]
    assert _made(Record)
    assert dataclasses.is_dataclass(Record)
    assert (
        repr(first)
        == "test_a_light_class_is_processed_only_when_its_fields_are_asked_for.<locals>.Record(name='a', tags=[], note=None)"
    )
    assert dataclasses.asdict(first) == {"name": "a", "tags": [], "note": None}
    assert Record(name="b", tags=["x"]).tags == ["x"]  # still made the same way after processing


def test_arguments_are_checked_as_dataclasses_would() -> None:
    @light
    class Pair:
        left: int
        right: int = 2

    assert (Pair(1).left, Pair(1).right, Pair(1, 3).right, Pair(left=5).left) == (1, 2, 3, 5)
    with pytest.raises(TypeError, match="missing argument 'left'"):
        Pair()
    with pytest.raises(TypeError, match="unexpected arguments 'middle'"):
        Pair(1, middle=2)
    with pytest.raises(TypeError, match="two values for 'left'"):
        Pair(1, left=2)
    with pytest.raises(TypeError, match="takes 2 arguments, 3 given"):
        Pair(1, 2, 3)


def test_hashable_classes_hash_by_value_and_others_do_not_hash() -> None:
    @light(hashable=True)
    class Key:
        a: str
        b: int = 0

    @light
    class Plain:
        a: str

    assert {Key("x"): 1}[Key("x", 0)] == 1
    assert hash(Key("x")) == hash(Key("x"))
    with pytest.raises(TypeError):
        hash(Plain("x"))
    dataclasses.fields(Key)  # processing keeps light's methods
    assert Key("x") == Key("x") and hash(Key("x")) == hash(Key("x", 0))
    dataclasses.fields(Plain)
    with pytest.raises(TypeError):
        hash(Plain("x"))


@pytest.mark.parametrize("kind", ["classvar", "inherited", "not-in-init", "kw-only-field"])
def test_what_only_dataclasses_can_tell_is_left_to_dataclasses(kind: str) -> None:
    """Class bodies whose fields cannot be read without evaluating annotations are processed at once,
    and behave as dataclasses say."""
    if kind == "classvar":

        @light
        class Made:
            limit: ClassVar[int] = 3
            a: int = 1

        assert [f.name for f in dataclasses.fields(Made)] == ["a"] and Made().a == 1 and Made.limit == 3
    elif kind == "inherited":

        @light
        class Base:
            a: int = 1

        @light
        class Made(Base):  # type: ignore[no-redef]
            b: int = 2

        assert [f.name for f in dataclasses.fields(Made)] == ["a", "b"] and Made(5).a == 5 and Made().b == 2
    elif kind == "not-in-init":

        @light
        class Made:  # type: ignore[no-redef]
            a: int = 1
            b: list[int] = field(default_factory=list, init=False)

        with pytest.raises(TypeError):
            Made(b=[1])
        assert Made(a=2).a == 2
    else:

        @light
        class Made:  # type: ignore[no-redef]
            a: int = field(default=1, kw_only=True)

        assert Made(a=4).a == 4
    assert _made(Made)


def test_pydantic_validates_plan_records_made_lazily() -> None:
    from pydantic import TypeAdapter

    from kpsy.plan.model import Period, Unit

    unit = TypeAdapter(Unit).validate_python({"id": "edu", "name": "区教育局", "kind": "政府部门"})
    assert unit == Unit(id="edu", name="区教育局", kind="政府部门")
    assert unit.aliases == []
    assert Period(start=2021, end=2025).end == 2025


def _run(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, timeout=120, check=False
    )


@pytest.mark.parametrize(
    ("argv", "status"), [(["--version"], 0), (["tasks", "--unit", "没有这个单位"], 1), (["taks"], 2)]
)
def test_kpsy_ends_with_its_status_after_its_exit_handlers_run(argv: list[str], status: int) -> None:
    """Ending without teardown still runs what was registered to run at exit, writes out all that
    was buffered, and keeps the exit status."""
    done = _run(
        f"""
        import atexit, sys
        atexit.register(lambda: print("exit handler ran", file=sys.stderr))
        sys.argv = ["kpsy", *{argv!r}]
        from kpsy.cli import main
        main()
        print("never reached")
        """
    )
    assert done.returncode == status, done.stderr
    assert "exit handler ran" in done.stderr
    assert "never reached" not in done.stdout


def test_all_that_was_written_is_out_before_kpsy_ends() -> None:
    """A long output ended without teardown is the same as one ended by Python as usual (a thread
    still alive makes kpsy leave the ending to Python)."""
    command = """
        import sys, threading
        if {usual}:
            threading.Thread(target=__import__("time").sleep, args=(0.2,)).start()
        sys.argv = ["kpsy", "export", "text"]
        from kpsy.cli import main
        main()
        """
    fast, usual = _run(command.format(usual=False)), _run(command.format(usual=True))
    assert fast.returncode == usual.returncode == 0, fast.stderr + usual.stderr
    assert len(fast.stdout) > 10_000
    assert fast.stdout == usual.stdout


def test_python_ends_as_usual_while_another_thread_is_at_work() -> None:
    """A thread still running when the command returns gets to finish, as Python's own ending allows."""
    done = _run(
        """
        import sys, threading, time
        def late():
            time.sleep(0.3)
            print("thread finished", flush=True)
        threading.Thread(target=late).start()
        sys.argv = ["kpsy", "--version"]
        from kpsy.cli import main
        main()
        """
    )
    assert done.returncode == 0, done.stderr
    assert "thread finished" in done.stdout

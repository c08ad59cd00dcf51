"""The README stays true: its commands, its rule table, its command list."""

from __future__ import annotations

import re

from kpsy.check import RULES

from .conftest import REPO, run

README = (REPO / "README.md").read_text(encoding="utf-8")


def setup_commands() -> list[str]:
    head = README.split("## ", 1)[0]
    return re.findall(r"```sh\n(.+?)\n```", head)


def test_readme_opens_with_exactly_two_setup_commands() -> None:
    commands = setup_commands()
    assert len(commands) == 2
    assert commands[0].startswith("pip install . && kpsy ")
    assert commands[1] == 'pip install -e ".[test]" && python -m pytest'


def test_ci_runs_the_readme_test_command() -> None:
    ci = (REPO / ".ci" / "run").read_text(encoding="utf-8")
    assert setup_commands()[1] in ci.splitlines()


def test_every_rule_is_in_the_readme() -> None:
    for rule_id in [*RULES, "listing", "file-name", "unknown-file"]:
        assert f"| `{rule_id}` |" in README, rule_id


def test_every_command_is_in_the_readme() -> None:
    listing = run("--help").stdout
    for name in re.findall(r"^│ (\w+)\s", listing, flags=re.M):
        assert f"`kpsy {name}" in README, name

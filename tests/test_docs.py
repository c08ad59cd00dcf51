"""The README stays true: its commands, its rule table, its command list."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

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


def console_examples() -> list[tuple[str, str]]:
    """(command, output) for every `$ kpsy …` in the README's ```console blocks."""
    examples = []
    for block in re.findall(r"```console\n(.*?)```", README, flags=re.S):
        for chunk in re.split(r"^\$ ", block, flags=re.M)[1:]:
            command, _, output = chunk.partition("\n")
            examples.append((command, output))
    return examples


@pytest.mark.parametrize(("command", "output"), console_examples(), ids=[c for c, _ in console_examples()])
def test_readme_examples_are_real_output(command: str, output: str, tmp_path: Path) -> None:
    env = {**os.environ, "COLUMNS": "100", "NO_COLOR": "1", "TERM": "dumb", "KPSY_CACHE_DIR": str(tmp_path)}
    env.pop("KPSY_PLAN", None)
    shim = f'kpsy() {{ "{sys.executable}" -m kpsy "$@"; }}; '
    proc = subprocess.run(["bash", "-c", shim + command], cwd=REPO, env=env, capture_output=True, text=True)
    assert proc.stdout == output

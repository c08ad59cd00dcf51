"""The README stays true: its commands, its generated rule table and data dictionary, its command list."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from kpsy.checks import RULES
from kpsy.plan.kinds import KINDS
from kpsy.plan.schema import fields

from .conftest import REPO, run
from .golden import rewrite

README_PATH = REPO / "README.md"
README = README_PATH.read_text(encoding="utf-8")


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


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def rules_table() -> str:
    """The rule registry as a Markdown table, in pipeline order (the proofreading rules have their own)."""
    stages = ["file", "yaml", "schema", "structure", "meaning", "document"]
    rows = sorted((r for r in RULES.values() if r.stage in stages), key=lambda r: stages.index(r.stage))
    lines = ["| rule | level | stage | checks |", "|---|---|---|---|"]
    lines += [f"| `{r.id}` | {r.level.value} | {r.stage} | {_cell(r.doc)} |" for r in rows]
    return "\n".join(lines)


def proof_rules_table() -> str:
    """The proofreading rules as a Markdown table, in registration order."""
    from kpsy.checks.proof import proof_rules

    lines = ["| rule | level | clause | checks |", "|---|---|---|---|"]
    lines += [f"| `{r.id}` | {r.level.value} | {r.clause or '—'} | {_cell(r.doc)} |" for r in proof_rules()]
    return "\n".join(lines)


def data_dictionary() -> str:
    """Each kind of plan file with its fields, from the records' field docs."""
    out: list[str] = []
    for kind in KINDS.values():
        where = kind.where
        summary = kind.summary.split(": ", 1)[-1]
        out += [f"#### `{where}`", "", summary[0].upper() + summary[1:], "", "| field | meaning |", "|---|---|"]
        out += [f"| `{path}` | {_cell(doc)} |" for path, doc in fields(kind.name)]
        out.append("")
    return "\n".join(out).rstrip()


def _generated(text: str, name: str, body: str) -> str:
    pattern = re.compile(rf"(<!-- generated: {name} .*?-->\n).*?(<!-- end: {name} -->)", re.S)
    assert pattern.search(text), f"the README has no generated {name} block"
    return pattern.sub(lambda m: m.group(1) + body + "\n" + m.group(2), text)


@pytest.mark.parametrize(
    ("name", "make"), [("rules", rules_table), ("proof-rules", proof_rules_table), ("data", data_dictionary)]
)
def test_generated_readme_sections_are_current(name: str, make: object) -> None:
    current = README_PATH.read_text(encoding="utf-8")
    wanted = _generated(current, name, make())  # type: ignore[operator]
    if rewrite(f"README.md ({name})", {name, f"README.md#{name}"}, current, wanted, README_PATH.write_text):
        current = wanted
    assert current == wanted, (
        f"the README's {name} block is out of date: KPSY_UPDATE_GOLDEN={name} python -m pytest {__file__}"
    )


def test_every_rule_has_a_level_and_documentation() -> None:
    for rule in RULES.values():
        assert rule.doc and rule.doc[0].isupper() and rule.doc.endswith("."), rule.id


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


def real_output(command: str, tmp_path: Path) -> str:
    """What `command` prints when piped, as a user would run it: kpsy's default language, no
    colour, the piped width (100 columns)."""
    env = {**os.environ, "NO_COLOR": "1", "TERM": "dumb", "KPSY_CACHE_DIR": str(tmp_path)}
    for name in ("KPSY_PLAN", "KPSY_LANG", "COLUMNS"):
        env.pop(name, None)
    shim = f'kpsy() {{ "{sys.executable}" -m kpsy "$@"; }}; '
    return subprocess.run(["bash", "-c", shim + command], cwd=REPO, env=env, capture_output=True, text=True).stdout


@pytest.mark.parametrize(("command", "output"), console_examples(), ids=[c for c, _ in console_examples()])
def test_readme_examples_are_real_output(command: str, output: str, tmp_path: Path) -> None:
    real = real_output(command, tmp_path)
    text = README_PATH.read_text(encoding="utf-8")
    updated = text.replace(f"$ {command}\n{output}", f"$ {command}\n{real}", 1)
    if rewrite(f"README.md ($ {command})", {command, f"$ {command}"}, text, updated, README_PATH.write_text):
        return
    assert real == output, f"the README's example is not what kpsy prints: KPSY_UPDATE_GOLDEN='{command}' rewrites it"

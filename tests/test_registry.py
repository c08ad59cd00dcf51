"""Adding a command, an output format or a rule is one entry in its registry plus the steps the
README's "Where to add things" lists; each test here fails when one of those steps is forgotten."""

from __future__ import annotations

import importlib
import re
from pathlib import Path

import typer.main

from kpsy.cli.app import COMMANDS
from kpsy.findings import RULES
from kpsy.i18n import chinese_of

from .conftest import REPO, run

README = (REPO / "README.md").read_text(encoding="utf-8")
CLI = REPO / "src" / "kpsy" / "cli"


def help_commands() -> list[str]:
    """The commands `kpsy -h` lists, in its order."""
    result = run("-h")
    assert result.exit_code == 0, result.output
    return re.findall(r"^│ ([a-z][a-z-]*)\s", result.stdout, flags=re.M)


def readme_commands() -> set[str]:
    """The commands the README's command table names (its first column)."""
    section = README.split("\n## Commands\n", 1)[1].split("\n\n", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("| `kpsy ")]
    return {name for row in rows for name in re.findall(r"`kpsy ([a-z][a-z-]*)", row.split(" | ")[0])}


def defined_commands() -> dict[str, str]:
    """Every command a module of kpsy.cli defines on its `commands`, and the module."""
    found: dict[str, str] = {}
    for path in sorted(CLI.glob("*.py")):
        module = importlib.import_module(f"kpsy.cli.{path.stem}")
        commands = getattr(module, "commands", None)
        if commands is None:
            continue
        for info in commands.registered_commands:
            found[info.name or typer.main.get_command_name(info.callback.__name__)] = path.stem
        for group in commands.registered_groups:
            assert group.name, f"kpsy.cli.{path.stem}: a group of commands needs a name"
            found[group.name] = path.stem
    return found


def test_every_command_is_registered_listed_in_help_and_in_the_readme_table() -> None:
    listed = help_commands()
    assert sorted(listed) == sorted(COMMANDS), "kpsy -h lists what kpsy.cli.app.COMMANDS names"
    missing = sorted(set(COMMANDS) - readme_commands())
    assert not missing, f"not in the README's command table (## Commands): {missing}"
    unknown = sorted(readme_commands() - set(COMMANDS))
    assert not unknown, f"the README's command table names commands kpsy does not have: {unknown}"


def test_every_command_a_module_defines_is_in_the_registry_with_its_module() -> None:
    defined = defined_commands()
    assert defined == COMMANDS, (
        "each command is defined on `commands` in the module kpsy.cli.app.COMMANDS names for it: "
        f"defined but not registered {sorted(set(defined) - set(COMMANDS))}, "
        f"registered elsewhere or not defined {sorted(n for n in COMMANDS if defined.get(n) != COMMANDS[n])}"
    )


def test_every_command_speaks_chinese_and_english() -> None:
    for name in COMMANDS:
        zh, en = run(name, "-h"), run("--lang", "en", name, "-h")
        assert zh.exit_code == en.exit_code == 0, name
        assert zh.stdout != en.stdout and "用法：" in zh.stdout and "Usage:" in en.stdout, name


def families() -> list[tuple[str, object]]:
    from kpsy.outputs.formats import Family

    modules = [
        "kpsy.outputs.listing",
        "kpsy.outputs.findings",
        "kpsy.outputs.views",
        "kpsy.outputs.lookup",
        "kpsy.outputs.progress",
        "kpsy.revisions.report",
        "kpsy.documents",
        "kpsy.importer.report",
    ]
    found = []
    for name in modules:
        for variable, value in vars(importlib.import_module(name)).items():
            if isinstance(value, Family) and variable.endswith("_FORMATS"):
                found.append((f"{name}.{variable}", value))
    return found


def test_every_format_says_what_it_is_in_both_languages_and_has_its_endings() -> None:
    from kpsy.outputs.formats import SUFFIXES

    assert len(families()) >= 10
    for where, family in families():
        for fmt in family.formats.values():  # type: ignore[attr-defined]
            assert fmt.help and chinese_of(fmt.help), f"{where} {fmt.name}: its help goes through both(en, zh)"
            assert re.fullmatch(r"[a-z]+", fmt.name), f"{where} {fmt.name}: a format's name is one lower-case word"
            if fmt.needs_file:
                assert fmt.name in SUFFIXES, f"{where} {fmt.name}: a file format names its endings in SUFFIXES"


def test_every_rule_is_documented_in_the_readme_and_tested() -> None:
    for path in sorted((REPO / "src" / "kpsy").rglob("*.py")):  # every module that may declare a rule
        parts = path.relative_to(REPO / "src").with_suffix("").parts
        if parts[-1] not in ("__main__", "_compiled", "_fields") and "cli" not in parts:
            importlib.import_module(".".join(parts[:-1] if parts[-1] == "__init__" else parts))

    tests = "".join(
        path.read_text(encoding="utf-8", errors="replace")
        for path in (REPO / "tests").rglob("*")
        if path.is_file() and path.suffix in (".py", ".txt") and path.name != Path(__file__).name
    )
    for rule in RULES.values():
        assert f"`{rule.id}`" in README, f"rule {rule.id} is not in the README: KPSY_UPDATE_GOLDEN=rules"
        assert rule.id in tests, f"rule {rule.id}: no test makes it fire (a corpus case or a unit test)"

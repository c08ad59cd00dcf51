"""The layout keeps its promises: the pipeline's layers import only downwards, nothing imports in a
circle (lazy imports included), the core never prints or exits, and no word of the bundled plan is
written into kpsy's code or templates."""

from __future__ import annotations

import ast
import importlib.util
from pathlib import Path

import pytest
import yaml

from .conftest import PLAN, REPO

SRC = REPO / "src" / "kpsy"

# The pipeline, lowest first: a module may import from its own layer and the layers below it.
LAYERS = [
    ("kpsy.findings", "kpsy.errors", "kpsy.util", "kpsy.i18n", "kpsy.light", "kpsy.bounded", "kpsy.private"),
    ("kpsy.plan",),
    ("kpsy.checks",),
    ("kpsy.queries",),
    ("kpsy.outputs",),
    ("kpsy.sheets",),
    ("kpsy.documents",),
    ("kpsy.revisions",),
    ("kpsy.importer",),
    ("kpsy.cache", "kpsy.api"),
    ("kpsy.cli", "kpsy.__main__"),
]


def module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


MODULES = {module_name(p): p for p in sorted(SRC.rglob("*.py"))}


def _type_checking_only(node: ast.AST, parents: dict[ast.AST, ast.AST]) -> bool:
    while node in parents:
        node = parents[node]
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            return True
    return False


def imports(name: str, *, type_checking: bool = False) -> set[str]:
    """The kpsy modules `name` imports, at module level or inside functions (and, with
    `type_checking`, under `if TYPE_CHECKING:` too)."""
    tree = ast.parse(MODULES[name].read_text(encoding="utf-8"))
    parents = {child: parent for parent in ast.walk(tree) for child in ast.iter_child_nodes(parent)}
    package = name if MODULES[name].name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if not type_checking and _type_checking_only(node, parents):
            continue
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(
                    package.split(".")[: len(package.split(".")) - node.level + 1] + ([base] if base else [])
                )
            for alias in node.names:
                submodule = f"{base}.{alias.name}"
                found.add(submodule if submodule in MODULES else base)
    return {m for m in found if m in MODULES}


GRAPH = {name: imports(name) for name in MODULES}
# Every import, those for the type checker included: a circle there is a circle in the design.
FULL_GRAPH = {name: imports(name, type_checking=True) for name in MODULES}


def layer(name: str) -> int:
    for i, prefixes in enumerate(LAYERS):
        if any(name == p or name.startswith(p + ".") for p in prefixes):
            return i
    raise AssertionError(f"{name} is in no layer of the pipeline")


def test_every_module_is_in_a_layer() -> None:
    for name in MODULES:
        if name != "kpsy":
            layer(name)


@pytest.mark.parametrize("name", sorted(n for n in MODULES if n != "kpsy"))
def test_layers_import_only_downwards(name: str) -> None:
    upwards = [m for m in GRAPH[name] if m != "kpsy" and layer(m) > layer(name)]
    assert upwards == [], f"{name} imports {upwards} from a higher layer"


def circle(graph: dict[str, set[str]]) -> list[str] | None:
    """A cycle in an import graph (depth-first search), or None."""
    state: dict[str, int] = {}  # 1: on the path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for target in sorted(graph[node]):
            if state.get(target) == 1:
                return [*path[path.index(target) :], target]
            if target not in state and (cycle := visit(target)):
                return cycle
        path.pop()
        state[node] = 2
        return None

    for start in sorted(graph):
        if start not in state and (cycle := visit(start)):
            return cycle
    return None


def test_no_import_circles() -> None:
    """No circle in the imports, lazy imports and those under TYPE_CHECKING included."""
    found = circle(FULL_GRAPH)
    assert found is None, "import circle: " + " -> ".join(found or [])


def test_the_circle_finder_finds_circles() -> None:
    assert circle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert circle({"a": {"b"}, "b": set(), "c": {"a", "b"}}) is None
    tree = {"kpsy.x": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from kpsy.y import Y\n"}
    parsed = ast.parse(tree["kpsy.x"])
    parents = {child: parent for parent in ast.walk(parsed) for child in ast.iter_child_nodes(parent)}
    guarded = [n for n in ast.walk(parsed) if isinstance(n, ast.ImportFrom) and n.module == "kpsy.y"]
    assert _type_checking_only(guarded[0], parents)


def test_the_core_never_imports_typer_prints_or_exits() -> None:
    for name, path in MODULES.items():
        if name.startswith("kpsy.cli") or name == "kpsy.__main__":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                names = [node.module or ""] if isinstance(node, ast.ImportFrom) else [a.name for a in node.names]
                assert not any(n.split(".")[0] in ("typer", "click") for n in names), f"{name} imports typer"
            if isinstance(node, ast.Call):
                called = ast.unparse(node.func)
                assert called not in ("print", "sys.exit", "exit", "quit", "os._exit"), f"{name} calls {called}"


def test_the_python_api_is_documented_and_light() -> None:
    import subprocess
    import sys

    import kpsy

    plan = kpsy.open_plan(PLAN)
    assert [r.task_number for r in plan.tasks(unit="区教育局", roles=["lead"])][:2] == ["二（一）1．", "二（一）2．"]
    assert plan.find("youth-talent") is not None and plan.find("youth-talent").number == "二（一）5．"  # type: ignore[union-attr]
    assert kpsy.validate(PLAN).ok(strict=True)
    code = "import sys, kpsy; print(sorted(m for m in sys.modules if m.startswith('kpsy')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "['kpsy']", "importing kpsy must not load the rest of it"
    assert importlib.util.find_spec("kpsy.api") is not None


def bundled_words() -> set[str]:
    """Words of the bundled plan that belong to it alone: its place and its units' names."""
    data = yaml.safe_load((PLAN / "units.yaml").read_text(encoding="utf-8"))
    words = {"雁峰", "衡阳", *data["place"]["names"]}
    for unit in data["units"]:
        words |= {unit["name"], *([unit["full_name"]] if unit.get("full_name") else [])}
    return words


def test_no_word_of_the_bundled_plan_in_code_or_templates() -> None:
    words = bundled_words()
    sources = [*SRC.rglob("*.py"), *(REPO / "templates").glob("*.j2")]
    for path in sources:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            found = [w for w in words if w in line]
            assert not found, f"{path.relative_to(REPO)}:{number} names {found}"


def test_every_output_family_is_named_for_what_it_writes() -> None:
    """One naming style for the registries of formats: a family called `name` is `<NAME>_FORMATS`,
    wherever it is defined, and is imported under that name (never as an alias)."""
    from kpsy.outputs.formats import Family

    found = []
    for name in MODULES:
        if name in ("kpsy", "kpsy.__main__") or name.endswith(("_compiled", "_fields")):
            continue
        for variable, value in vars(importlib.import_module(name)).items():
            if isinstance(value, Family):
                found.append((name, variable, value))
    assert len({id(family) for _, _, family in found}) >= 10
    for module, variable, family in found:
        assert variable == f"{family.name.upper()}_FORMATS", f"{module}.{variable} holds the family '{family.name}'"
    for name, path in MODULES.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom):
                for alias in node.names:
                    assert not (alias.name.endswith("FORMATS") and alias.asname), (
                        f"{name} imports {alias.name} as {alias.asname}"
                    )

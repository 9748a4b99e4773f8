"""How the importer's modules depend on each other, read from their import statements.

No module of the importer may import one that imports it back, directly or around a circle
(imports inside functions and for type checkers count too: they are dependencies all the same).
The domain apps never import the importer, migrations included: the parsers they share with it
live in `core`, and the importer finds them through its targets.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from importer.models import ImportRun
from importer.targets import TARGETS, get_target, target_keys
from importer.targets.base import ImportTarget

ROOT = Path(__file__).resolve().parents[2]


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules_of(package: str) -> dict[str, Path]:
    return {module_name(path): path for path in sorted((ROOT / package).rglob("*.py"))}


def imported_names(path: Path, known: set[str]) -> set[str]:
    """The modules among `known` that the file at `path` imports, wherever it does so."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([base] if base else [])])
            found.add(base)
            # `from . import bulk` imports the module importer.bulk.
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return {module for module in found if module in known}


def import_graph(package: str) -> dict[str, set[str]]:
    modules = modules_of(package)
    known = set(modules)
    return {name: imported_names(path, known) - {name} for name, path in modules.items()}


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One circle of imports (its modules in order, the first repeated at the end), or None."""
    done: set[str] = set()
    path: list[str] = []

    def visit(module: str) -> list[str] | None:
        if module in path:
            return [*path[path.index(module) :], module]
        if module in done:
            return None
        path.append(module)
        for imported in sorted(graph.get(module, ())):
            cycle = visit(imported)
            if cycle:
                return cycle
        path.pop()
        done.add(module)
        return None

    for module in sorted(graph):
        cycle = visit(module)
        if cycle:
            return cycle
    return None


def test_the_cycle_finder_finds_a_circle_of_three():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert find_cycle(graph) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": set()}) is None


def test_the_graph_sees_relative_and_lazy_imports():
    graph = import_graph("importer")
    assert "importer.bulk" in graph["importer.targets.contacts"]  # from .. import bulk
    assert "importer.targets" in graph["importer.models"]  # inside a function
    assert "importer.targets.customers" in graph["importer.targets"]


def test_there_is_no_circle_of_imports_inside_the_importer():
    assert find_cycle(import_graph("importer")) is None


@pytest.mark.parametrize("app", ["contacts_app", "products"])
def test_the_domain_apps_import_nothing_of_the_importer(app):
    offenders = []
    for name, path in modules_of(app).items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and not node.level:
                names = [node.module or ""]
            offenders += [f"{name}: {n}" for n in names if n.split(".")[0] == "importer"]
    assert offenders == []


def test_every_target_is_found_by_its_key_and_fulfils_the_contract():
    assert target_keys() == ["customers", "suppliers", "products"]
    for target in TARGETS:
        assert isinstance(target, ImportTarget)
        assert get_target(target.key) is target
        assert len(target.key) <= ImportRun._meta.get_field("target").max_length
        assert target.number_key in {column.key for column in target.columns}
    with pytest.raises(LookupError):
        get_target("planets")


def test_the_stored_target_offers_every_target_and_nothing_else():
    choices = ImportRun._meta.get_field("target").choices
    assert [key for key, _label in choices] == target_keys()

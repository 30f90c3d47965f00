"""The apps' dependency rules (docs/adr/0010-app-layers.md), read from the import
statements of every module under ``src/zhifa``:

- ``core`` imports no other app, ``records`` imports only ``core`` (the infrastructure
  apps know the domain only through settings-named models and registries the domain
  apps fill in from their ``AppConfig.ready``);
- no cycle between apps at all: no two apps import each other, directly or round a
  longer loop.

Every import counts: at module level, inside functions and methods, under
``if TYPE_CHECKING:``, relative ones, and dotted names given to ``import_module`` /
``import_string``. Left out, on purpose:

- the tests (``tests/`` packages, ``test_*.py``, ``conftest.py``): a test sets up the
  data of the apps below the one it tests (a case needs an organ and an officer), so it
  reaches across apps by nature; nothing in the running site imports a test;
- the migrations: Django generates them and they name other apps' migrations (frozen
  history, resolved by the migration loader), not their code;
- the project's own modules outside the apps (``zhifa.urls``, ``zhifa.settings``,
  ``zhifa.cli``…): they are the composition root that puts the apps together, so they
  import all of them; no app imports them (also checked here).
"""

from __future__ import annotations

import ast
import itertools
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import zhifa

ROOT = Path(zhifa.__file__).parent
#: The infrastructure apps and the apps each may import (the ADR's table).
INFRASTRUCTURE = {"core": set(), "records": {"core"}}
SKIPPED_DIRS = {"tests", "migrations"}
DYNAMIC_IMPORTS = {"import_module", "import_string"}


def apps() -> set[str]:
    """The Django apps of the project: the packages under ``zhifa`` with an ``apps.py``
    (a new app is a domain app unless the ADR says otherwise)."""
    return {p.parent.name for p in ROOT.glob("*/apps.py")}


@dataclass(frozen=True)
class Import:
    source: str  # the importing app
    target: str  # the imported app
    where: str  # path:line of the import statement
    name: str  # the imported module

    def __str__(self) -> str:
        return f"{self.where}: {self.name}"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_names(source: str, module: str, is_package: bool = False) -> Iterable[tuple[int, str]]:
    """``(line, dotted name)`` of every module ``source`` imports, wherever the
    statement is; relative imports resolved against ``module``."""
    package = module if is_package else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                name = ".".join(base + ([node.module] if node.module else []))
            else:
                name = node.module or ""
            yield node.lineno, name
            # ``from zhifa import cases`` / ``from zhifa.cases import services``: a name
            # may be a module too.
            for alias in node.names:
                yield node.lineno, f"{name}.{alias.name}"
        elif isinstance(node, ast.Call):
            func = node.func
            called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if called in DYNAMIC_IMPORTS and node.args:
                first = node.args[0]
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    yield node.lineno, first.value


def _scanned_files() -> Iterable[Path]:
    for path in sorted(ROOT.rglob("*.py")):
        rel = path.relative_to(ROOT)
        if SKIPPED_DIRS & set(rel.parts[:-1]):
            continue
        if path.name.startswith("test_") or path.name == "conftest.py":
            continue
        yield path


def app_imports() -> list[Import]:
    """Every import from one app (or the project's own modules, source ``""``) of
    another app's code (or of the project's modules, target ``""``)."""
    known = apps()
    found: list[Import] = []
    for path in _scanned_files():
        rel = path.relative_to(ROOT)
        source = rel.parts[0] if len(rel.parts) > 1 and rel.parts[0] in known else ""
        module = _module_name(path)
        text = path.read_text(encoding="utf-8")
        for line, name in imported_names(text, module, path.name == "__init__.py"):
            parts = name.split(".")
            if parts[0] != "zhifa" or len(parts) < 2:
                continue
            if parts[1] in known:
                target = parts[1]
            elif parts[1] == "settings":
                continue  # the configuration, read through django.conf.settings
            else:
                target = ""  # the project's own modules: zhifa.urls, zhifa.cli…
            if target == source:
                continue
            found.append(Import(source, target, f"src/zhifa/{rel}:{line}", name))
    return found


def app_graph(imports: Iterable[Import]) -> dict[str, dict[str, list[Import]]]:
    """``{app: {imported app: [imports, one per statement]}}``."""
    graph: dict[str, dict[str, list[Import]]] = defaultdict(lambda: defaultdict(list))
    for imp in imports:
        if imp.source and imp.target:
            seen = graph[imp.source][imp.target]
            if not any(other.where == imp.where for other in seen):
                seen.append(imp)
    return graph


def find_cycle(graph: dict[str, dict[str, list[Import]]]) -> list[str] | None:
    """One cycle of apps (``[a, b, …, a]``), or ``None`` when the graph has none."""
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for nxt in sorted(graph.get(node, {})):
            if state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt]
            if nxt not in state and (cycle := visit(nxt)):
                return cycle
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state and (cycle := visit(node)):
            return cycle
    return None


def describe(cycle: list[str], graph: dict[str, dict[str, list[Import]]]) -> str:
    lines = [" -> ".join(cycle)]
    for a, b in itertools.pairwise(cycle):
        lines.append(f"  {a} -> {b}:")
        lines.extend(f"    {imp}" for imp in graph[a][b])
    return "\n".join(lines)


# --- the scanner itself ----------------------------------------------------------------


def test_the_scanner_sees_every_kind_of_import():
    source = """
from typing import TYPE_CHECKING
import zhifa.registry.models
from zhifa.catalogue import services
from .models import Case
from .. import review
if TYPE_CHECKING:
    from zhifa.accounts.models import User
def f():
    from zhifa.documents.models import Template
    return import_string("zhifa.rules.engine.RULES")
class C:
    def m(self):
        import zhifa.core.scope
"""
    names = {name for _line, name in imported_names(source, "zhifa.cases.views")}
    assert {
        "zhifa.registry.models",
        "zhifa.catalogue",
        "zhifa.catalogue.services",
        "zhifa.cases.models",
        "zhifa.review",
        "zhifa.accounts.models",
        "zhifa.documents.models",
        "zhifa.rules.engine.RULES",
        "zhifa.core.scope",
    } <= names


def test_find_cycle_finds_a_loop_and_names_each_import():
    imports = [
        Import("a", "b", "a.py:1", "zhifa.b"),
        Import("b", "c", "b.py:2", "zhifa.c"),
        Import("c", "a", "c.py:3", "zhifa.a"),
        Import("c", "d", "c.py:4", "zhifa.d"),
    ]
    graph = app_graph(imports)
    cycle = find_cycle(graph)
    assert cycle == ["a", "b", "c", "a"]
    assert "c.py:3: zhifa.a" in describe(cycle, graph)
    assert find_cycle(app_graph(imports[1:])) is None


def test_the_scan_covers_the_apps_and_their_function_level_imports():
    graph = app_graph(app_imports())
    assert {"core", "records", "accounts", "registry", "catalogue", "cases", "review"} <= apps()
    # Known edges of the domain, so that an empty or broken scan cannot pass.
    assert "registry" in graph["cases"]
    assert "core" in graph["records"]
    assert "cases" in graph["review"]
    # A function-level import (``ReviewConfig.ready``) is seen.
    assert any("apps.py" in imp.where for imp in graph["review"]["records"])


# --- the rules -------------------------------------------------------------------------


def test_the_infrastructure_apps_import_no_domain_app():
    graph = app_graph(app_imports())
    wrong = [
        str(imp)
        for app, allowed in INFRASTRUCTURE.items()
        for target, imports in graph.get(app, {}).items()
        if target not in allowed
        for imp in imports
    ]
    assert not wrong, "core and records import a domain app:\n" + "\n".join(wrong)


def test_no_two_apps_import_each_other_and_no_cycle_at_all():
    graph = app_graph(app_imports())
    mutual = sorted(
        f"{a} <-> {b}" for a in graph for b in graph[a] if a < b and a in graph.get(b, {})
    )
    cycle = find_cycle(graph)
    assert cycle is None, "The apps import each other in a cycle:\n" + describe(cycle, graph)
    assert not mutual, mutual


def test_no_app_imports_the_project_modules():
    """``zhifa.urls``, ``zhifa.cli``… put the apps together; an app importing them would
    close a loop through the composition root."""
    wrong = [str(i) for i in app_imports() if i.source and not i.target]
    assert not wrong, wrong

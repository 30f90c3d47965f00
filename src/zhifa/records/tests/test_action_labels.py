"""Every action the code records has a label (issue #10: the record pages showed
``power_item.create``, ``certificate.issue`` …).

The actions are collected from the source, not from a list kept by hand: every call of
``append_entry`` is found, and its ``action`` is followed through wrappers (a parameter
of the calling function, e.g. the apps' ``_record(actor, organ, action, …)`` or
``add_step(case, step, …)`` writing ``f"case.{step}"``), module constants and
dictionaries of actions. An action the test cannot follow fails it, so that a new way of
writing actions is looked at rather than silently skipped.
"""

from __future__ import annotations

import ast
import importlib
import itertools
from dataclasses import dataclass
from pathlib import Path

import zhifa
from zhifa.records.presentation import ACTION_LABELS, action_label

SRC = Path(zhifa.__file__).resolve().parent


@dataclass
class Module:
    name: str
    tree: ast.Module


def modules() -> list[Module]:
    found = []
    for path in sorted(SRC.rglob("*.py")):
        relative = path.relative_to(SRC.parent)
        if "tests" in relative.parts or "migrations" in relative.parts:
            continue
        if path.name == "conftest.py":
            continue
        name = ".".join(relative.with_suffix("").parts).removesuffix(".__init__")
        found.append(Module(name, ast.parse(path.read_text(), str(path))))
    return found


def parents(tree: ast.AST) -> dict[ast.AST, ast.AST]:
    return {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}


def called_name(call: ast.Call) -> str | None:
    if isinstance(call.func, ast.Name):
        return call.func.id
    if isinstance(call.func, ast.Attribute):
        return call.func.attr
    return None


class Collector:
    def __init__(self) -> None:
        self.modules = modules()
        self.parents = {m.name: parents(m.tree) for m in self.modules}
        self.unresolved: list[str] = []

    def enclosing_function(
        self, module: Module, node: ast.AST
    ) -> ast.FunctionDef | ast.AsyncFunctionDef | None:
        up = self.parents[module.name].get(node)
        while up is not None and not isinstance(up, ast.FunctionDef | ast.AsyncFunctionDef):
            up = self.parents[module.name].get(up)
        return up

    def calls_of(self, function: str) -> list[tuple[Module, ast.Call]]:
        return [
            (m, node)
            for m in self.modules
            for node in ast.walk(m.tree)
            if isinstance(node, ast.Call) and called_name(node) == function
        ]

    def argument(
        self, call: ast.Call, function: ast.FunctionDef | ast.AsyncFunctionDef, param: str
    ) -> ast.expr | None:
        for keyword in call.keywords:
            if keyword.arg == param:
                return keyword.value
        positional = [a.arg for a in function.args.posonlyargs + function.args.args]
        if param in positional:
            index = positional.index(param)
            if index < len(call.args) and not any(
                isinstance(a, ast.Starred) for a in call.args[: index + 1]
            ):
                return call.args[index]
        return None

    def where(self, module: Module, node: ast.AST) -> str:
        return f"{module.name}:{getattr(node, 'lineno', '?')}: {ast.unparse(node)}"

    def resolve(self, module: Module, expr: ast.expr, seen: frozenset[str]) -> set[str]:
        if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
            return {expr.value}
        if isinstance(expr, ast.IfExp):
            return self.resolve(module, expr.body, seen) | self.resolve(module, expr.orelse, seen)
        if isinstance(expr, ast.JoinedStr):
            parts: list[set[str]] = []
            for value in expr.values:
                if isinstance(value, ast.FormattedValue):
                    parts.append(self.resolve(module, value.value, seen))
                else:
                    parts.append(self.resolve(module, value, seen))
            return {"".join(p) for p in itertools.product(*parts)}
        if isinstance(expr, ast.Name):
            function = self.enclosing_function(module, expr)
            params = (
                {a.arg for a in function.args.posonlyargs + function.args.args}
                | {a.arg for a in function.args.kwonlyargs}
                if function is not None
                else set()
            )
            if function is not None and expr.id in params:
                return self.through_wrapper(function, expr.id, seen)
            constant = getattr(importlib.import_module(module.name), expr.id, None)
            if isinstance(constant, str):
                return {constant}
        if isinstance(expr, ast.Subscript) and isinstance(expr.value, ast.Name):
            table = getattr(importlib.import_module(module.name), expr.value.id, None)
            if isinstance(table, dict) and all(isinstance(v, str) for v in table.values()):
                return set(table.values())
        self.unresolved.append(self.where(module, expr))
        return set()

    def through_wrapper(
        self, function: ast.FunctionDef | ast.AsyncFunctionDef, param: str, seen: frozenset[str]
    ) -> set[str]:
        key = f"{function.name}.{param}"
        if key in seen:
            return set()
        values: set[str] = set()
        calls = self.calls_of(function.name)
        for module, call in calls:
            argument = self.argument(call, function, param)
            if argument is None:
                self.unresolved.append(self.where(module, call) + f" (no {param})")
                continue
            values |= self.resolve(module, argument, seen | {key})
        return values

    def actions(self) -> set[str]:
        found: set[str] = set()
        for module, call in self.calls_of("append_entry"):
            action = next((k.value for k in call.keywords if k.arg == "action"), None)
            if action is None:
                self.unresolved.append(self.where(module, call) + " (no action=)")
                continue
            found |= self.resolve(module, action, frozenset())
        return found


def test_every_recorded_action_has_a_label():
    collector = Collector()
    actions = collector.actions()
    assert not collector.unresolved, (
        "Actions the test cannot follow (write them as literals, module constants or "
        "dictionaries, or teach this test): " + "; ".join(collector.unresolved)
    )
    # The collector found the actions of every app, through each kind of wrapper.
    for known in (
        "evidence.add",
        "case.open",
        "case.registered",
        "case.decision",
        "certificate.issue",
        "certificate.revoke",
        "power_item.create",
        "review.complete",
        "registry.expire",
    ):
        assert known in actions
    missing = sorted(a for a in actions if a not in ACTION_LABELS)
    assert not missing, f"record actions without a label: {missing}"
    for action in actions:
        assert action_label(action) != action

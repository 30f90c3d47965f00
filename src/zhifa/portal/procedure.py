"""The penalty procedure as the public reads it: a flow chart made from the case step
declarations (``cases.steps.STEPS``) and the workflow's order
(``cases.workflow.procedural_next_steps``), never drawn by hand.

- The chart's spine is the declared steps that need no other step first, in declared
  order; each step's branch is the steps that declare it as their ``requires``.
- The first stage is the steps offered to a case source (``place == SOURCE``); the
  last, the steps that end a case (``ends_case``).
- A step the workflow offers only in the general procedure is marked so: the steps
  each procedure can reach are found by walking ``procedural_next_steps``.

Nothing here states a rule of law: the chart shows the order the platform enforces;
the rules themselves are the rules engine's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from zhifa.cases.steps import HEAD, REVIEWER, SOURCE, STEPS, StepSpec
from zhifa.cases.workflow import procedural_next_steps
from zhifa.documents.models import DocumentType
from zhifa.rules.engine import RULES

#: The procedures of a penalty case (the case-file format's ``procedure``).
PROCEDURES = ("general", "summary")


@dataclass
class Node:
    """One step on the chart and the steps that may follow it (its branch)."""

    name: str
    label: Any
    by_head: bool
    by_reviewer: bool
    general_only: bool
    ends_case: bool
    document: Any
    #: The rules of the engine that judge the step (those that read it), by ID.
    rules: list[tuple[str, str]] = field(default_factory=list)
    children: list[Node] = field(default_factory=list)


@dataclass(frozen=True)
class Chart:
    start: list[Node]
    spine: list[Node]
    end: list[Node]


@cache
def reachable(procedure: str) -> frozenset[str]:
    """Every step the workflow offers at some point of a case of ``procedure``: a walk
    that takes, at each point, the first offered step not yet taken (ending steps
    last), collecting all that is offered on the way."""
    done: list[str] = []
    seen: set[str] = set()
    ending = {s.name for s in STEPS if s.ends_case}
    for _ in range(4 * len(STEPS)):
        offered = procedural_next_steps(procedure, done, suspended=False)
        seen.update(offered)
        fresh = [s for s in offered if s not in done and s not in ending]
        if not fresh:
            break
        # The decision comes once everything before it was offered.
        before = [s for s in fresh if s != "decision"]
        done.append((before or fresh)[0])
    return frozenset(seen)


@cache
def rules_by_step() -> dict[str, list[tuple[str, str]]]:
    """``step → [(rule ID, citation)]``: the penalty rules of the engine that read the
    step (``Rule.reads``), by ID."""
    found: dict[str, list[tuple[str, str]]] = {}
    for rule in RULES.values():
        if "penalty" not in rule.case_kinds:
            continue
        for step in rule.reads:
            found.setdefault(step, []).append((rule.id, rule.citation))
    return {step: sorted(rules) for step, rules in found.items()}


def _node(spec: StepSpec, general_only: frozenset[str]) -> Node:
    return Node(
        name=spec.name,
        label=spec.label,
        by_head=spec.roles == HEAD,
        by_reviewer=spec.roles == REVIEWER,
        general_only=spec.name in general_only,
        ends_case=spec.ends_case,
        document=DocumentType(spec.document).label if spec.document else None,
        rules=rules_by_step().get(spec.name, []),
    )


def build_chart(steps: Sequence[StepSpec] = STEPS) -> Chart:
    """The chart of ``steps`` (the declared steps by default)."""
    general_only = reachable("general") - reachable("summary")
    nodes = {s.name: _node(s, general_only) for s in steps}
    for spec in steps:
        if spec.requires and spec.requires in nodes:
            nodes[spec.requires].children.append(nodes[spec.name])
    start = [nodes[s.name] for s in steps if s.place == SOURCE]
    end = [nodes[s.name] for s in steps if s.ends_case and s.place != SOURCE]
    spine = [
        nodes[s.name] for s in steps if not s.requires and s.place != SOURCE and not s.ends_case
    ]
    return Chart(start=start, spine=spine, end=end)

"""``Rule.reads`` and ``Rule.procedures``: the audit skips a unit on a case without a
step of the kinds it declares, or of another procedure than those it declares. A
declaration is right only if the unit, run anyway, yields nothing there (and raises
nothing): checked on every legal test file, on each of them without the steps of one kind
at a time and in each procedure (general, summary, none given), and on 2,000 files of the
benchmark's generator."""

import importlib.util
import json
import sys
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from zhifa.rules.engine import RULES, WorkCalendar
from zhifa.rules.engine.audit import context
from zhifa.rules.engine.casefile import CaseFile
from zhifa.rules.engine.catalogue import Check, Context, Item
from zhifa.rules.engine.validation import load_case_file

from .conftest import LEGAL_TESTS, legal_case_files

BENCH = Path(__file__).resolve().parents[4] / "bench" / "audit.py"
SCHEMA = LEGAL_TESTS.parent / "data" / "casefile-v1.schema.json"


def _generate(n: int) -> list[str]:
    spec = importlib.util.spec_from_file_location("zhifa_bench_audit", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault(spec.name, module)
    spec.loader.exec_module(module)
    return list(module.generate(n))


def _cases() -> Iterator[CaseFile]:
    for path in legal_case_files():
        case = load_case_file(path.read_text("utf-8"))
        yield case
        for kind in sorted({s.step for s in case.steps}):
            yield replace(case, steps=tuple(s for s in case.steps if s.step != kind))
        for procedure in ("general", "summary", None):
            if procedure != case.procedure:
                yield replace(case, procedure=procedure)
    for text in _generate(2000):
        yield load_case_file(text)


def test_reads_name_step_kinds_of_the_format() -> None:
    schema = json.loads(SCHEMA.read_text("utf-8"))
    kinds = set(schema["$defs"]["step"]["properties"]["step"]["enum"])
    for unit in RULES.values():
        assert unit.reads <= kinds, unit.id


def test_a_skipped_unit_yields_nothing() -> None:
    calendar = WorkCalendar()
    skipped = checked = by_procedure = 0
    for case in _cases():
        ctx = context(case, case.as_of or case.steps[-1].on, calendar)
        for unit in RULES.values():
            if case.kind not in unit.case_kinds or unit.runs_on(
                case.kind, ctx.kinds, case.procedure
            ):
                continue
            skipped += 1
            by_procedure += bool(unit.procedures) and case.procedure not in unit.procedures
            assert list(unit.check(ctx)) == [], (case.case_id, unit.id)
        checked += 1
    assert checked > 2000 and skipped > checked  # the check ran on skipped units
    assert by_procedure > 1000  # … and on units skipped for the case's procedure


@pytest.mark.parametrize("kind", ["decision", "served", "prior_notice"])
def test_the_audit_skips_a_unit_that_reads_none_of_the_case_s_kinds(
    kind: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A unit declaring ``reads`` is not run on a case without those steps; one without a
    declaration is run on every case."""
    from zhifa.rules.engine import audit

    case = load_case_file((LEGAL_TESTS / "general_clean_national_day.json").read_text("utf-8"))
    without = replace(case, steps=tuple(s for s in case.steps if s.step != kind))
    audit(without)  # its plan remembered: a change of the registry must forget it
    ran: list[str] = []
    for rule_id, unit in list(RULES.items()):

        def spy(ctx: Context, unit_id: str = rule_id, check: Check = unit.check) -> Iterator[Item]:
            ran.append(unit_id)
            return check(ctx)

        monkeypatch.setitem(RULES, rule_id, replace(unit, check=spy))
    audit(without)
    reading = {u.id for u in RULES.values() if kind in u.reads and len(u.reads) == 1}
    assert reading and not reading & set(ran)
    assert {u.id for u in RULES.values() if not u.reads} <= set(ran)


def test_the_audit_skips_a_local_rule_no_source_of_which_can_bind_the_case(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A rule whose only basis is local (``Rule.local``) is not run on a case whose agency
    lies outside every area its sources ever had and whose region adopted none of them;
    it is run where one can bind (in the area, or adopted)."""
    from zhifa.rules.engine import audit

    case = load_case_file((LEGAL_TESTS / "chongqing_local_breaks.json").read_text("utf-8"))
    outside = replace(case, agency=replace(case.agency, region_code="330402"))
    adopted = replace(outside, local_policies=("CQ",))
    ran: list[str] = []
    for rule_id, unit in list(RULES.items()):

        def spy(ctx: Context, unit_id: str = rule_id, check: Check = unit.check) -> Iterator[Item]:
            ran.append(unit_id)
            return check(ctx)

        monkeypatch.setitem(RULES, rule_id, replace(unit, check=spy))
    cq_rules = {u.id for u in RULES.values() if u.local == ("CQ",)}
    assert "SEP-duties" in cq_rules
    for inside, which in ((True, case), (False, outside), (True, adopted)):
        ran.clear()
        audit(which)
        assert (cq_rules <= set(ran)) if inside else not (cq_rules & set(ran)), which.agency
    assert {f.rule for f in audit(case).findings} & cq_rules
    assert {f.rule for f in audit(adopted).findings} & cq_rules

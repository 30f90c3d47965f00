"""A step costs a fixed number of queries (bench/cases.py, issue #6 item 10): however
many steps and officers the case already has, ``add_step`` reads the case once under
its lock and validates only what the step adds."""

from __future__ import annotations

import importlib
from datetime import date
from unittest import mock

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from zhifa.cases import services
from zhifa.cases.models import Case

from .conftest import BENCHMARK, FINE, People, Walker, open_general_case

D = date.fromisoformat

#: Queries of a step that names no new officer and issues no number: the transaction
#: (2), the lock, the steps, suspensions, the officers, their certificates with their
#: history (one query), power codes, the calendar fingerprint, the step, the status,
#: the record (3), the audit kept (its rows replaced: 2, ``queries.keep_audit``).
STEP_QUERIES = 16

#: A step that issues a document number adds the number (one UPDATE … RETURNING that
#: also reads the organ's pattern) and the issued number's row.
NUMBERED_STEP_QUERIES = STEP_QUERIES + 2


def _statement_queries(walk: Walker) -> int:
    n = walk.n  # the caller's read, not the step's
    with CaptureQueriesContext(connection) as ctx:
        services.record_statement(
            walk.case, actor=walk.p.officer_user, on=D("2026-03-18"), expected_steps=n
        )
    return len(ctx.captured_queries)


def _until_notice(walk: Walker, extra_investigations: int) -> None:
    p = walk.p
    walk(services.register_case, actor=p.head_user, on=D("2026-03-03"), by=[p.o1, p.o2])
    walk.investigate()
    for i in range(extra_investigations):
        # Later investigations, one of them naming one more officer (host).
        officers = [p.o1, p.host] if i % 2 else [p.o2, p.o1]
        walk(
            services.record_investigation,
            on=D("2026-03-05"),
            officers=officers,
            evidence=["documentary"],
        )
    walk.notify()


@pytest.mark.django_db
def test_a_step_costs_the_same_queries_on_a_long_case(
    walk: Walker, people: People, organ_a, power_item
) -> None:
    _until_notice(walk, extra_investigations=0)
    short = _statement_queries(walk)

    other = open_general_case(organ_a, power_item, people, benchmark=BENCHMARK)
    long_walk = Walker(other, people)
    _until_notice(long_walk, extra_investigations=12)
    assert long_walk.n == 15
    assert Case.objects.get(pk=other.pk).case_officers.count() > walk.case.case_officers.count()
    long = _statement_queries(long_walk)

    assert short == long
    assert long <= STEP_QUERIES


@pytest.mark.django_db
def test_naming_linked_officers_again_adds_no_query(walk: Walker) -> None:
    p = walk.p
    walk(services.register_case, actor=p.head_user, on=D("2026-03-03"), by=[p.o1, p.o2])
    # The investigators are linked by the registration already.
    n = walk.n
    with CaptureQueriesContext(connection) as ctx:
        services.record_investigation(
            walk.case,
            actor=p.officer_user,
            on=D("2026-03-04"),
            officers=[p.o1, p.o2],
            evidence=["documentary"],
            expected_steps=n,
        )
    assert len(ctx.captured_queries) <= STEP_QUERIES


@pytest.mark.django_db
def test_a_numbered_step_takes_its_number_in_two_queries(
    walk: Walker, people: People, organ_a, power_item
) -> None:
    p = walk.p
    _until_notice(walk, extra_investigations=0)  # creates the year's sequence row
    other = open_general_case(organ_a, power_item, people, benchmark=BENCHMARK)
    second = Walker(other, people)
    second(services.register_case, actor=p.head_user, on=D("2026-03-03"), by=[p.o1, p.o2])
    second.investigate()
    n = second.n  # the caller's read, not the step's
    with CaptureQueriesContext(connection) as ctx:
        services.serve_prior_notice(
            other, actor=p.officer_user, on=D("2026-03-16"), intended=FINE, expected_steps=n
        )
    numbers = [s.document_number for s in Case.objects.get(pk=other.pk).steps.all()]
    # The registration took the case number (立案号), the prior notice its own number.
    assert numbers[-1].endswith("2号") and numbers[:-1] == ["嘉市监立〔2026〕2号", ""]
    assert len(ctx.captured_queries) <= NUMBERED_STEP_QUERIES


#: A legal review naming a reviewer new to the case: the officer row (INSERT), the row
#: read back with its officer, and whether the reviewer reviews for the first time
#: (APL-58-reviewer); the reviewer's certificates come with the case's officers'.
LINKING_REVIEW_QUERIES = STEP_QUERIES + 3


@pytest.mark.django_db
def test_a_legal_review_linking_its_reviewer_reads_certificates_once(walk: Walker) -> None:
    p = walk.p
    _until_notice(walk, extra_investigations=0)
    walk(services.record_statement, on=D("2026-03-18"))
    n = walk.n
    with CaptureQueriesContext(connection) as ctx:
        services.record_legal_review(
            walk.case,
            actor=p.reviewer_user,
            on=D("2026-03-25"),
            reviewer=p.reviewer,
            result="passed",
            expected_steps=n,
        )
    certificate_reads = [q for q in ctx.captured_queries if "registry_certificate" in q["sql"]]
    assert len(certificate_reads) == 1
    assert len(ctx.captured_queries) <= LINKING_REVIEW_QUERIES


@pytest.mark.django_db
def test_a_step_is_audited_once(walk: Walker) -> None:
    """One audit gives the step's findings and the nearest deadline kept on the case."""
    # The module (the package's ``audit`` is the function of that name).
    engine_audit = importlib.import_module("zhifa.rules.engine.audit")
    _until_notice(walk, extra_investigations=0)
    with mock.patch.object(engine_audit, "_run", wraps=engine_audit._run) as run:
        walk(services.record_statement, on=D("2026-03-18"))
    assert run.call_count == 1
    case = Case.objects.get(pk=walk.case.pk)
    assert case.next_deadline is not None and case.deadline_checked_on == D("2026-03-18")

"""Filings with the justice bureau (NA-major-filing, NA 30; issue #17 item 6): the major
decision's document catalogue filed within 30 days, the quarterly case catalogue, what is
missing (the page and the organ's warnings), the record entry, scope."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from zhifa.accounts.models import Role, User
from zhifa.cases.models import Case
from zhifa.cases.tests.conftest import Walker
from zhifa.core.testing import client_for, make_user
from zhifa.records.models import Entry
from zhifa.registry.models import EnforcementSubject
from zhifa.rules.calendar_db import database_calendar
from zhifa.rules.engine import filing as rule
from zhifa.supervision import filings, organ_warnings
from zhifa.supervision.models import Filing

pytestmark = pytest.mark.django_db

D = dt.date.fromisoformat
URL = reverse("supervision:filing_list")


def mark_major(case: Case) -> None:
    violation = dict(case.violation)
    violation["in_review_catalogue"] = True
    Case.objects.filter(pk=case.pk).update(violation=violation)
    case.refresh_from_db()


@pytest.fixture
def decided(walk: Walker, today: dt.date) -> Case:
    """Organ A's case, its violation in the review catalogue, decided on 2026-03-27."""
    mark_major(walk.case)
    walk.until_review()
    walk.decide()
    return walk.case


def test_the_engine_counts_30_calendar_days_ending_on_a_working_day() -> None:
    calendar = database_calendar()
    # 2026-03-27 + 30 days = Sun 2026-04-26: a working day only if the schedule makes it
    # one (调休); either way the due day is the first working day on or after it.
    due = rule.filing_due(D("2026-03-27"), calendar).due
    assert due >= D("2026-04-26") and calendar.is_working_day(due)
    assert all(
        not calendar.is_working_day(D("2026-04-26") + dt.timedelta(days=i))
        for i in range((due - D("2026-04-26")).days)
    )
    # A Friday plus 30 days landing on a Monday stays there: 2026-06-05 + 30 = 07-05 (Sun)…
    assert rule.filing_due(D("2026-06-08"), calendar).due == D("2026-07-08")  # a Wednesday
    assert rule.filing_status(D("2026-04-27"), None, D("2026-04-27")) == "open"
    assert rule.filing_status(D("2026-04-27"), None, D("2026-04-28")) == "overdue"
    assert rule.filing_status(D("2026-04-27"), D("2026-04-28"), D("2026-05-01")) == "late"
    assert rule.filing_status(D("2026-04-27"), D("2026-04-27"), D("2026-05-01")) == "filed"
    assert rule.is_major({"major_public_interest": True})
    assert not rule.is_major({"in_review_catalogue": False})
    assert rule.ended_quarters(D("2026-04-08"), D("2026-11-24")) == [(2026, 2), (2026, 3)]
    assert rule.quarter_bounds(2026, 4) == (D("2026-10-01"), D("2026-12-31"))
    assert rule.CITATION.endswith("第30条") and "南政办内传〔2021〕36号" in rule.CITATION


def test_an_unfiled_major_decision_is_a_red_warning_of_its_organ(
    decided: Case, supervisor_city: User, today: dt.date
) -> None:
    rows = filings.major_rows(supervisor_city, today)
    assert [(r.case.pk, r.status) for r in rows] == [(decided.pk, "overdue")]
    assert rows[0].due == rule.filing_due(D("2026-03-27"), database_calendar()).due
    page = client_for(supervisor_city).get(reverse("supervision:warning_list"))
    found = [w for w in page.context["others"] if w.rule == "NA-major-filing"]
    assert [(w.level, w.organ_id, w.subject) for w in found] == [
        ("red", decided.organ_id, decided.number)
    ]
    assert found[0].citation == rule.CITATION


def test_the_head_files_the_catalogue_with_its_record_entry(
    decided: Case, head_a: User, supervisor_city: User, today: dt.date
) -> None:
    entries = Entry.objects.count()
    response = client_for(head_a).post(reverse("supervision:file_major", args=[decided.pk]))
    assert response.status_code == 302
    filing = Filing.objects.get(case=decided)
    numbers = [d["number"] for d in filing.catalogue]
    issued = list(
        decided.steps.exclude(document_number="")
        .order_by("index")
        .values_list("document_number", flat=True)
    )
    assert numbers == issued and numbers
    assert filing.filed_on == today and filing.due_on == D(filing.due_on.isoformat())
    assert Entry.objects.count() == entries + 1
    entry = Entry.objects.latest("pk")
    assert entry.action == filings.FILE_ACTION
    # Filed late (the decision was in March): the supervisor sees it late, not missing.
    assert [r.status for r in filings.major_rows(supervisor_city, today)] == ["late"]
    assert not [
        w
        for w in organ_warnings.organ_warnings(supervisor_city, _window(today))
        if w.rule == "NA-major-filing"
    ]
    # Twice: refused on the field, nothing written.
    with pytest.raises(ValidationError) as exc:
        filings.file_major_decision(decided, actor=head_a)
    assert "case" in exc.value.message_dict
    assert Entry.objects.count() == entries + 1


def _window(today: dt.date) -> Any:
    from zhifa.rules.engine.supervision import horizon

    return horizon(today, database_calendar())


def test_refusals_name_the_field_and_write_nothing(
    walk: Walker, head_a: User, officer_a: User, today: dt.date
) -> None:
    walk.until_review()
    walk.decide()
    with pytest.raises(ValidationError) as exc:  # not major
        filings.file_major_decision(walk.case, actor=head_a)
    assert "case" in exc.value.message_dict
    mark_major(walk.case)
    with pytest.raises(PermissionDenied):
        filings.file_major_decision(walk.case, actor=officer_a)
    with pytest.raises(ValidationError) as exc:
        filings.file_major_decision(walk.case, actor=head_a, on=today + dt.timedelta(days=1))
    assert "filed_on" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        filings.file_quarter(walk.case.organ, 2026, 4, actor=head_a)
    assert "quarter" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        filings.file_quarter(walk.case.organ, 2026, 5, actor=head_a)
    assert "quarter" in exc.value.message_dict
    assert not Filing.objects.exists()


def test_quarters_missing_filed_and_the_excel_catalogue(
    decided: Case, walk: Walker, head_a: User, supervisor_city: User, today: dt.date
) -> None:
    walk.close("2026-04-08")
    rows = filings.quarter_rows(supervisor_city, today)
    assert [(r.organ.pk, r.year, r.quarter, r.filing) for r in rows] == [
        (decided.organ_id, 2026, 2, None),
        (decided.organ_id, 2026, 3, None),
    ]
    organ = decided.organ
    response = client_for(head_a).post(
        reverse("supervision:file_quarter", args=[organ.pk, 2026, 2])
    )
    assert response.status_code == 302
    filing = Filing.objects.get(kind="quarterly")
    assert [c["case"] for c in filing.catalogue] == [decided.pk]
    assert [r.filing is not None for r in filings.quarter_rows(supervisor_city, today)] == [
        True,
        False,
    ]
    xlsx = client_for(supervisor_city).get(
        reverse("supervision:quarter_catalogue", args=[organ.pk, 2026, 2])
    )
    assert xlsx.status_code == 200
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[1][0] == decided.number and values[1][3] == "2026-04-08"
    page = client_for(supervisor_city).get(URL)
    assert page.status_code == 200
    assert page.context["missing_quarters"] == 1 and page.context["missing_majors"] == 1


def test_scope_another_region_and_organ_see_nothing(
    decided: Case,
    walk: Walker,
    supervisor_county_c: User,
    organ_b: EnforcementSubject,
    today: dt.date,
) -> None:
    walk.close("2026-04-08")
    head_b = make_user("head_b", Role.ORGAN_HEAD, organ=organ_b)
    for user in (supervisor_county_c, head_b):
        assert filings.major_rows(user, today) == []
        assert filings.quarter_rows(user, today) == []
        page = client_for(user).get(URL)
        assert page.status_code == 200 and not page.context["majors"]
        assert decided.number not in page.content.decode()
        assert (
            client_for(user)
            .get(reverse("supervision:quarter_catalogue", args=[decided.organ_id, 2026, 2]))
            .status_code
            == 404
        )
    assert (
        client_for(head_b).post(reverse("supervision:file_major", args=[decided.pk])).status_code
        == 404
    )
    assert (
        client_for(head_b)
        .post(reverse("supervision:file_quarter", args=[decided.organ_id, 2026, 2]))
        .status_code
        == 404
    )
    # A supervisor cannot file for the organ.
    assert (
        client_for(supervisor_county_c)
        .post(reverse("supervision:file_major", args=[decided.pk]))
        .status_code
        == 403
    )
    assert not Filing.objects.exists()


def test_records_verify_catches_a_filing_changed_or_forged_outside_the_services(
    organ_a: EnforcementSubject, power_item: Any, people: Any, head_a: User, today: dt.date
) -> None:
    from zhifa.cases import services
    from zhifa.cases.tests.conftest import BASIS, BENCHMARK, PARTY, VIOLATION
    from zhifa.records.tests.test_tamper_suite import run_verify

    # The violation marked major when the case is opened (through the services).
    decided = services.open_case(
        organ_a,
        actor=people.officer_user,
        on=D("2026-03-02"),
        procedure="general",
        power_item=power_item,
        party=PARTY,
        violation={**VIOLATION, "in_review_catalogue": True},
        basis=BASIS,
        benchmark=BENCHMARK,
    )
    walk = Walker(decided, people)
    walk.until_review()
    walk.decide()
    filing = filings.file_major_decision(decided, actor=head_a)
    assert run_verify()[0] == 0
    Filing.objects.filter(pk=filing.pk).update(catalogue=[])
    code, out = run_verify()
    assert code != 0 and "catalogue" in out
    Filing.objects.filter(pk=filing.pk).update(catalogue=filing.catalogue)
    assert run_verify()[0] == 0
    # A row of the organ without its entry.
    Filing.objects.create(
        organ=decided.organ,
        kind="quarterly",
        year=2026,
        quarter=1,
        filed_on=filing.filed_on,
        filed_by=head_a,
    )
    assert run_verify()[0] != 0

"""Archiving (归档): the last act of the procedure, after the closure, through the
service, the case page and the API; the archived file's SM3 is in the record."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from zhifa.cases import services
from zhifa.cases.casefile import archived_sections_digest, export_document
from zhifa.cases.models import Case
from zhifa.core.testing import client_for
from zhifa.records.canonical import canonical_json, sm3_hex
from zhifa.records.models import Entry
from zhifa.records.verification import verify_all

from .conftest import D, Walker

pytestmark = pytest.mark.django_db


def _closed(walk: Walker) -> Case:
    walk.until_review()
    walk.decide()
    walk(services.serve_decision, on=D("2026-03-30"))
    walk(services.mark_disclosed, on=D("2026-04-01"))
    walk(services.record_payment, on=D("2026-04-03"), amount=150000)
    walk(services.close_case, actor=walk.p.head_user, on=D("2026-04-10"), approved_by=walk.p.head)
    return walk.case


def _entries() -> int:
    return Entry.objects.count()


def test_a_closed_case_is_archived_with_the_digest_of_its_file(walk: Walker) -> None:
    case = _closed(walk)
    services.archive_case(case, actor=walk.p.officer_user, on=D("2026-04-13"))
    case.refresh_from_db()
    assert case.archived_on == D("2026-04-13") and case.archived_by == walk.p.officer_user
    expected = sm3_hex(canonical_json(export_document(case, as_of=D("2026-04-13"))).encode())
    assert case.archive_digest == expected
    entry = Entry.objects.filter(action="case.archive").get()
    assert json.loads(entry.payload) == {
        "on": "2026-04-13",
        "casefile_sm3": expected,
        "case_sm3": archived_sections_digest(case),
    }
    assert [r.problem for r in verify_all()] == [None] * len(list(verify_all()))


def test_archiving_is_refused_when_the_case_is_open_twice_early_or_future(walk: Walker) -> None:
    walk(services.register_case, actor=walk.p.head_user, on=D("2026-03-03"), by=[walk.p.o1])
    before = _entries()
    with pytest.raises(ValidationError, match="结案"):
        services.archive_case(walk.case, actor=walk.p.officer_user, on=D("2026-04-13"))
    case = _closed_after_registration(walk)
    with pytest.raises(ValidationError) as early:
        services.archive_case(case, actor=walk.p.officer_user, on=D("2026-04-09"))
    assert "on" in early.value.message_dict
    with pytest.raises(ValidationError) as future:
        services.archive_case(case, actor=walk.p.officer_user, on=D("2999-01-01"))
    assert "on" in future.value.message_dict
    closed_entries = _entries()
    services.archive_case(case, actor=walk.p.officer_user, on=D("2026-04-10"))
    with pytest.raises(ValidationError):
        services.archive_case(case, actor=walk.p.head_user, on=D("2026-04-14"))
    assert _entries() == closed_entries + 1 and before < closed_entries


def _closed_after_registration(walk: Walker) -> Case:
    walk.investigate()
    walk.notify()
    walk(services.record_statement, on=D("2026-03-18"))
    walk.review()
    walk(services.record_collective_discussion, actor=walk.p.head_user, on=D("2026-03-26"))
    walk.decide()
    walk(services.serve_decision, on=D("2026-03-30"))
    walk(services.mark_disclosed, on=D("2026-04-01"))
    walk(services.record_payment, on=D("2026-04-03"), amount=150000)
    walk(services.close_case, actor=walk.p.head_user, on=D("2026-04-10"), approved_by=walk.p.head)
    return walk.case


def test_who_may_archive(walk: Walker, officer_b: Any, supervisor_city: Any) -> None:
    case = _closed(walk)
    before = _entries()
    with pytest.raises(PermissionDenied):
        services.archive_case(case, actor=walk.p.reviewer_user, on=D("2026-04-13"))
    with pytest.raises(PermissionDenied):
        services.archive_case(case, actor=officer_b, on=D("2026-04-13"))
    with pytest.raises(PermissionDenied):
        services.archive_case(case, actor=supervisor_city, on=D("2026-04-13"))
    assert _entries() == before
    assert Case.objects.get(pk=case.pk).archived_on is None


def test_archiving_through_the_page_and_the_api(walk: Walker, officer_b: Any) -> None:
    case = _closed(walk)
    officer = client_for(walk.p.officer_user)
    page = officer.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert 'id="archive-form"' in page
    bad = officer.post(reverse("cases:archive", args=[case.pk]), {"on": "2026-04-01"})
    assert bad.status_code == 400 and "结案" in bad.content.decode()
    assert Case.objects.get(pk=case.pk).archived_on is None
    assert (
        client_for(officer_b)
        .post(reverse("cases:archive", args=[case.pk]), {"on": "2026-04-13"})
        .status_code
        == 404
    )
    done = officer.post(reverse("cases:archive", args=[case.pk]), {"on": "2026-04-13"})
    assert done.status_code == 302
    page = officer.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert 'id="archive-form"' not in page and "2026-04-13" in page and "归档" in page

    again = officer.post(
        f"/api/v1/cases/{case.pk}/archive", {"on": "2026-04-14"}, content_type="application/json"
    )
    assert again.status_code == 400
    assert officer.get(f"/api/v1/cases/{case.pk}").json()["archived_on"] == "2026-04-13"


def test_archiving_through_the_api(walk: Walker) -> None:
    case = _closed(walk)
    head = client_for(walk.p.head_user)
    bad = head.post(
        f"/api/v1/cases/{case.pk}/archive", {"on": "2026-02-30"}, content_type="application/json"
    )
    assert bad.status_code == 400 and bad.json()["errors"][0]["path"] == "body.on"
    reviewer = client_for(walk.p.reviewer_user)
    assert (
        reviewer.post(
            f"/api/v1/cases/{case.pk}/archive",
            {"on": "2026-04-13"},
            content_type="application/json",
        ).status_code
        == 403
    )
    done = head.post(
        f"/api/v1/cases/{case.pk}/archive", {"on": "2026-04-13"}, content_type="application/json"
    )
    assert done.status_code == 200 and done.json()["archived_on"] == "2026-04-13"


def _evidence(user: Any, **extra: Any) -> dict[str, Any]:
    from zhifa.records.tests.files import upload

    return {
        "file": upload(),
        "kind": "photo",
        "title": "补充照片",
        "collected_by": [user.pk],
        "collected_at": "2026-04-11T09:30",
        "location": "嘉兴市南湖区",
        **extra,
    }


def _evidence_api(user: Any, case: Case) -> dict[str, Any]:
    return {
        **_evidence(user, collected_by=[user.username], collected_at="2026-04-11T09:30:00+08:00"),
        "object_type": "cases.case",
        "object_id": str(case.pk),
    }


def test_a_closed_case_takes_evidence_until_it_is_archived(walk: Walker) -> None:
    """Evidence is added to a closed case (until archiving); the archive's SM3 digest
    seals the case file, so an archived case takes none, on the page (the case field
    says why) or through the API (``body.object_id``), and its page offers no upload."""
    from zhifa.records.models import Evidence

    case = _closed(walk)
    user = walk.p.officer_user
    officer = client_for(user)
    add = reverse("records:evidence_add")
    assert officer.post(f"{add}?case={case.pk}", _evidence(user)).status_code == 302
    assert officer.post("/api/v1/records/evidence", _evidence_api(user, case)).status_code == 201
    services.archive_case(case, actor=user, on=D("2026-04-13"))
    entries = _entries()

    page = officer.post(f"{add}?case={case.pk}", _evidence(user))
    assert page.status_code == 400
    assert list(page.context["form"].errors) == ["case"]
    assert "已于 2026-04-13 归档" in page.content.decode()
    chosen = officer.post(add, _evidence(user, case=case.pk))
    assert chosen.status_code == 400 and list(chosen.context["form"].errors) == ["case"]
    api = officer.post("/api/v1/records/evidence", _evidence_api(user, case))
    assert api.status_code == 400
    assert [e["path"] for e in api.json()["errors"]] == ["body.object_id"]
    assert Evidence.objects.count() == 2 and _entries() == entries
    case_page = officer.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert f"{add}?case={case.pk}" not in case_page


def test_the_service_refuses_evidence_on_an_archived_case(walk: Walker) -> None:
    from zhifa.records.services import add_evidence
    from zhifa.records.tests.files import evidence_kwargs

    case = _closed(walk)
    services.archive_case(case, actor=walk.p.officer_user, on=D("2026-04-13"))
    with pytest.raises(ValidationError) as exc:
        add_evidence(**evidence_kwargs(walk.p.officer_user, obj=case))
    assert list(exc.value.message_dict) == ["object_id"]

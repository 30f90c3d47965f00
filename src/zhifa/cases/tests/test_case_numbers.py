"""Source numbers and case numbers (REG-decision, legal-rules.md §9): a case source gets
its source number (案源登记号) when it is entered; the case number (立案号) is issued with
the registration, and a refused registration (不予立案) consumes none
(docs/adr/0009-source-and-case-numbers.md)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from zhifa.cases import services
from zhifa.cases.casefile import export_document
from zhifa.cases.models import Case, CaseStatus
from zhifa.core.testing import client_for
from zhifa.documents.models import DocumentType, IssuedNumber
from zhifa.registry.models import EnforcementSubject

from .conftest import BASIS, PARTY, VIOLATION, D, People

pytestmark = pytest.mark.django_db


def _issued(document_type: str) -> list[str]:
    return list(
        IssuedNumber.objects.filter(document_type=document_type)
        .order_by("number")
        .values_list("text", flat=True)
    )


def test_entering_a_source_issues_a_source_number_and_no_case_number(
    general_case: Case,
) -> None:
    assert general_case.case_id == "嘉市监案源〔2026〕1号"
    assert general_case.registration_number == ""
    assert general_case.status == CaseStatus.AWAITING_REGISTRATION
    assert _issued(DocumentType.CASE_SOURCE) == ["嘉市监案源〔2026〕1号"]
    assert _issued(DocumentType.REGISTRATION_APPROVAL) == []
    stored = Case.objects.get(pk=general_case.pk)
    assert stored.status == "awaiting_registration" and stored.number == stored.case_id


def test_registering_issues_the_case_number_with_the_step(
    general_case: Case, people: People
) -> None:
    step = services.register_case(
        general_case,
        actor=people.head_user,
        on=D("2026-03-03"),
        by=[people.o1, people.o2],
        expected_steps=0,
    )
    assert step.document_number == "嘉市监立〔2026〕1号"
    stored = Case.objects.get(pk=general_case.pk)
    assert stored.registration_number == "嘉市监立〔2026〕1号" == stored.number
    assert stored.case_id == "嘉市监案源〔2026〕1号"  # the case_id never changes
    assert stored.status == CaseStatus.INVESTIGATING
    assert _issued(DocumentType.REGISTRATION_APPROVAL) == ["嘉市监立〔2026〕1号"]
    # The case file keeps the source number as case_id; the registered step carries the
    # case number as its document_number (the format's field for a step's 文号).
    document = export_document(stored, D("2026-03-04"))
    assert document["case_id"] == "嘉市监案源〔2026〕1号"
    assert document["steps"][0]["document_number"] == "嘉市监立〔2026〕1号"


def test_a_refused_registration_consumes_no_case_number(general_case: Case, people: People) -> None:
    services.refuse_registration(
        general_case,
        actor=people.head_user,
        on=D("2026-03-03"),
        reason="举报所涉行为不属实",
        approved_by=people.head,
        expected_steps=0,
    )
    stored = Case.objects.get(pk=general_case.pk)
    assert stored.status == CaseStatus.NOT_REGISTERED
    assert stored.registration_number == ""
    assert _issued(DocumentType.REGISTRATION_APPROVAL) == []
    # 不予立案 ends the source: no step follows it.
    with pytest.raises(ValidationError) as exc:
        services.register_case(
            stored, actor=people.head_user, on=D("2026-03-04"), by=[people.o1], expected_steps=1
        )
    assert exc.value.code == "closed"
    assert _issued(DocumentType.REGISTRATION_APPROVAL) == []


def test_the_next_source_takes_the_next_source_number_and_case_numbers_follow_registration(
    general_case: Case, organ_a: EnforcementSubject, people: People, power_item: object
) -> None:
    second = services.open_case(
        organ_a,
        actor=people.officer_user,
        on=D("2026-03-02"),
        procedure="general",
        power_item=power_item,  # type: ignore[arg-type]
        party=PARTY,
        violation=VIOLATION,
        basis=BASIS,
    )
    assert second.case_id == "嘉市监案源〔2026〕2号"
    # The second source is registered first: it gets the first case number.
    services.register_case(
        second, actor=people.head_user, on=D("2026-03-03"), by=[people.o1], expected_steps=0
    )
    assert Case.objects.get(pk=second.pk).registration_number == "嘉市监立〔2026〕1号"
    assert Case.objects.get(pk=general_case.pk).registration_number == ""


def test_a_summary_case_is_never_registered_and_has_no_case_number(
    organ_a: EnforcementSubject, people: People, power_item: object
) -> None:
    case = services.open_case(
        organ_a,
        actor=people.officer_user,
        on=D("2026-03-02"),
        procedure="summary",
        power_item=power_item,  # type: ignore[arg-type]
        party=PARTY,
        violation=VIOLATION,
        basis=BASIS,
    )
    assert case.case_id == "嘉市监案源〔2026〕1号" and case.registration_number == ""
    assert case.status == CaseStatus.INVESTIGATING
    assert _issued(DocumentType.REGISTRATION_APPROVAL) == []


def test_the_pages_and_the_api_show_the_numbers_and_filter_by_status(
    general_case: Case, organ_a: EnforcementSubject, people: People, power_item: object
) -> None:
    registered = services.open_case(
        organ_a,
        actor=people.officer_user,
        on=D("2026-03-02"),
        procedure="general",
        power_item=power_item,  # type: ignore[arg-type]
        party={**PARTY, "name": "嘉兴已立案商行"},
        violation=VIOLATION,
        basis=BASIS,
    )
    services.register_case(
        registered, actor=people.head_user, on=D("2026-03-03"), by=[people.o1], expected_steps=0
    )
    officer = client_for(people.officer_user)
    api = officer.get("/api/v1/cases?status=awaiting_registration").json()["items"]
    assert [(c["case_id"], c["registration_number"]) for c in api] == [
        ("嘉市监案源〔2026〕1号", "")
    ]
    api = officer.get("/api/v1/cases?status=investigating").json()["items"]
    assert [(c["case_id"], c["registration_number"]) for c in api] == [
        ("嘉市监案源〔2026〕2号", "嘉市监立〔2026〕1号")
    ]
    # The list offers the status and narrows to it; a registered case shows its case
    # number, a source its source number.
    page = officer.get("/cases/?all=1&status=awaiting_registration").content.decode()
    assert 'value="awaiting_registration" selected' in page
    assert "嘉市监案源〔2026〕1号" in page and "嘉兴已立案商行" not in page
    page = officer.get("/cases/?all=1").content.decode()
    assert "嘉市监立〔2026〕1号" in page
    # The head's approvals page lists the source awaiting registration, with its status.
    head = client_for(people.head_user)
    approvals = head.get("/cases/approvals/", HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "嘉市监案源〔2026〕1号" in approvals and "待立案" in approvals
    detail = officer.get(f"/cases/{registered.pk}/").content.decode()
    assert 'id="source-number">嘉市监案源〔2026〕2号' in detail
    assert 'id="registration-number">嘉市监立〔2026〕1号' in detail

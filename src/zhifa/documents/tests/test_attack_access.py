"""Who reaches a case's documents (issue #14 review): another organ's user, a
supervisor of another region, a supervisor of the organ's region, a legal reviewer of
the organ, anonymous (the party, the public) — on every document, scan, dossier and
issue endpoint, by page and by API. Outside the scope it is a 404 (401 or the login
page for anonymous), a role that may read but not act a 403; never data, never a
write. The public page of a document (``/d/<code>``) shows the number, the organ, the
day and the digest, never the party; it is rate-limited before anything is read, and
takes a file no larger than a document."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.test import Client
from django.urls import reverse

from zhifa.accounts.models import Role
from zhifa.cases import documents, services
from zhifa.cases.models import Case, ReceiptScan
from zhifa.cases.tests.conftest import BASIS, VIOLATION, D, People, Walker, open_general_case
from zhifa.cases.tests.test_service_receipt import PDF
from zhifa.core.testing import client_for, make_user
from zhifa.documents import rendering
from zhifa.documents import views as public_views
from zhifa.documents.models import IssuedDocument, IssuedNumber
from zhifa.records.models import Entry

pytestmark = pytest.mark.django_db


def issued_case(walk: Walker) -> tuple[IssuedDocument, ReceiptScan]:
    walk.until_review()
    walk.decide()
    walk.case.refresh_from_db()
    documents.render_document(walk.case, "penalty_decision", actor=walk.p.officer_user)
    receipt = documents.render_document(walk.case, "service_receipt", actor=walk.p.officer_user)
    scan = services.attach_receipt_scan(
        walk.case,
        actor=walk.p.officer_user,
        upload=SimpleUploadedFile("回证.pdf", PDF),
        original_name="回证.pdf",
    )
    return receipt, scan


def writes() -> tuple[int, ...]:
    return (
        IssuedDocument.objects.count(),
        IssuedNumber.objects.count(),
        ReceiptScan.objects.count(),
        Entry.objects.count(),
    )


def endpoints(case: Case, document: IssuedDocument, scan: ReceiptScan) -> dict[str, Any]:
    api = f"/api/v1/cases/{case.pk}"
    return {
        "document": ("get", reverse("cases:document_file", args=[case.pk, document.pk])),
        "issue": ("post", reverse("cases:document_issue", args=[case.pk, "prior_notice"])),
        "dossier": ("get", reverse("cases:dossier", args=[case.pk])),
        "scan_file": ("get", reverse("cases:receipt_scan_file", args=[case.pk, scan.pk])),
        "scan_add": ("post", reverse("cases:receipt_scan_add", args=[case.pk])),
        "api_dossier": ("get", f"{api}/dossier"),
        "api_scans": ("get", f"{api}/service-receipt/scans"),
        "api_scan_add": ("post", f"{api}/service-receipt/scans"),
    }


def ask(client: Client, method: str, url: str) -> Any:
    if method == "get":
        return client.get(url)
    return client.post(url, {"file": SimpleUploadedFile("x.pdf", PDF)})


#: What each outsider gets: 404 everywhere (as if there were no such case).
OUTSIDE = dict.fromkeys(
    [
        "document",
        "issue",
        "dossier",
        "scan_file",
        "scan_add",
        "api_dossier",
        "api_scans",
        "api_scan_add",
    ],
    404,
)


@pytest.mark.parametrize("who", ["officer_b", "supervisor_county_c", "admin_county_c"])
def test_outside_the_scope_everything_is_a_404(
    walk: Walker, who: str, officer_b: Any, supervisor_county_c: Any, regions: Any
) -> None:
    document, scan = issued_case(walk)
    user = {
        "officer_b": officer_b,
        "supervisor_county_c": supervisor_county_c,
        "admin_county_c": make_user("admin_c", Role.ADMINISTRATOR, region=regions["330424"]),
    }[who]
    client = client_for(user)
    before = writes()
    got = {
        name: ask(client, method, url).status_code
        for name, (method, url) in endpoints(walk.case, document, scan).items()
    }
    assert got == OUTSIDE
    assert writes() == before


def test_anonymous_the_party_gets_the_login_page_or_401(walk: Walker) -> None:
    document, scan = issued_case(walk)
    before = writes()
    client = Client()
    for name, (method, url) in endpoints(walk.case, document, scan).items():
        response = ask(client, method, url)
        if name.startswith("api_"):
            assert response.status_code == 401, name
        else:
            assert response.status_code == 302, name
            assert response["Location"].startswith("/accounts/login"), name
    assert writes() == before


def test_a_supervisor_of_the_region_reads_but_neither_issues_nor_sees_signatures(
    walk: Walker, supervisor_city: Any
) -> None:
    document, scan = issued_case(walk)
    before = writes()
    client = client_for(supervisor_city)
    got = {
        name: ask(client, method, url).status_code
        for name, (method, url) in endpoints(walk.case, document, scan).items()
    }
    assert got == {
        "document": 200,
        "issue": 403,
        "dossier": 200,
        "scan_file": 404,  # the signatures of the party and the witnesses: the organ's
        "scan_add": 404,
        "api_dossier": 200,
        "api_scans": 404,
        "api_scan_add": 404,
    }
    assert writes() == before


def test_a_legal_reviewer_of_the_organ_reads_and_issues_but_attaches_no_scan(
    walk: Walker,
) -> None:
    document, scan = issued_case(walk)
    client = client_for(walk.p.reviewer_user)
    got = {
        name: ask(client, method, url).status_code
        for name, (method, url) in endpoints(walk.case, document, scan).items()
        if name not in ("issue",)
    }
    assert got == {
        "document": 200,
        "dossier": 200,
        "scan_file": 200,
        "scan_add": 403,
        "api_dossier": 200,
        "api_scans": 200,
        "api_scan_add": 403,
    }


def test_another_cases_document_or_scan_under_this_case_is_a_404(
    walk: Walker, organ_a: Any, power_item: Any, people: People
) -> None:
    """The organ's own user, the ids of another case of the organ in this case's URL."""
    document, scan = issued_case(walk)
    other = open_general_case(organ_a, power_item, people)
    client = client_for(walk.p.officer_user)
    assert client.get(reverse("cases:document_file", args=[other.pk, document.pk])).status_code == (
        404
    )
    assert client.get(reverse("cases:receipt_scan_file", args=[other.pk, scan.pk])).status_code == (
        404
    )


def test_issuing_and_attaching_need_the_csrf_token(walk: Walker) -> None:
    issued_case(walk)
    url = reverse("cases:document_issue", args=[walk.case.pk, "prior_notice"])
    before = writes()
    client = Client(enforce_csrf_checks=True)
    client.force_login(walk.p.officer_user)
    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 403  # no CSRF token: a cross-site form
    # the scan's upload, by page and by the API with the session's cookie
    scan = {"file": SimpleUploadedFile("x.pdf", PDF)}
    assert client.post(
        reverse("cases:receipt_scan_add", args=[walk.case.pk]), scan
    ).status_code == (403)
    api = f"/api/v1/cases/{walk.case.pk}/service-receipt/scans"
    scan = {"file": SimpleUploadedFile("x.pdf", PDF)}
    assert client.post(api, scan).status_code == 403
    assert writes() == before


# --- the public page ------------------------------------------------------------------------


def test_the_public_page_shows_no_personal_data_of_a_person(
    organ_a: Any, power_item: Any, people: People
) -> None:
    """A natural person's case: the page gives the number, the organ, the day, the
    type, the code and the digest; not the name, the ID number, the birth date, the
    case number or the officers."""
    from zhifa.registry.demo import demo_id_number

    id_number = demo_id_number("33042119860315123")
    case = services.open_case(
        organ_a,
        actor=people.officer_user,
        on=D("2026-03-02"),
        procedure="general",
        power_item=power_item,
        party={"type": "individual", "name": "沈建国", "id_number": id_number},
        violation=VIOLATION,
        basis=BASIS,
    )
    walk = Walker(case, people)
    walk.until_review()
    walk.decide()
    case.refresh_from_db()
    document = documents.render_document(case, "penalty_decision", actor=people.officer_user)
    body = Client().get(f"/d/{document.code}").content.decode()
    assert document.number in body and document.sm3 in body and organ_a.name in body
    for private in (
        "沈建国",
        id_number,
        "1986",
        case.registration_number,
        case.case_id,
        people.o1.name,
        people.head.name,
        BASIS["article"],
    ):
        assert private not in body, private


def test_enumerating_codes_is_rate_limited_before_anything_is_looked_up(
    walk: Walker, settings: Any
) -> None:
    """Wrong codes count: after the limit even the right code is refused (429), so the
    12 characters of base 32 (2^60 codes) are not guessed at the page's pace; a long or
    strange code is a 404 without a query (a NUL was a server error on PostgreSQL)."""
    document, _scan = issued_case(walk)
    settings.ZHIFA_VERIFY_RATE_LIMIT = 5
    client = Client()
    assert client.get("/d/" + "Z" * 10_000).status_code == 404
    assert client.get("/d/%E2%80%AE%00ABC").status_code == 404
    assert client.get("/d/0000-0000-0000").status_code == 404
    # read as Crockford base 32 is read: O for 0, I and L for 1, whatever the case
    typed = document.code.replace("0", "o").replace("1", "l")
    assert client.get(f"/d/{typed}").status_code == 200
    assert client.get(f"/d/{document.code.lower()}").status_code == 200  # typed in lower case
    refused = client.get(f"/d/{document.code}")
    assert refused.status_code == 429


class Spy(FileUploadHandler):
    """Counts the bytes of uploaded files that reach the handlers after the first."""

    received: list[int] = []

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes:
        Spy.received.append(len(raw_data))
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


@pytest.fixture
def spy(settings: Any) -> list[int]:
    settings.FILE_UPLOAD_HANDLERS = [
        f"{__name__}.Spy",
        "django.core.files.uploadhandler.MemoryFileUploadHandler",
        "django.core.files.uploadhandler.TemporaryFileUploadHandler",
    ]
    Spy.received = []
    return Spy.received


def browser_at(url: str) -> tuple[Client, str]:
    """A client that checks CSRF as a browser's request is checked, and the token the
    page gave it."""
    client = Client(enforce_csrf_checks=True)
    assert client.get(url).status_code == 200
    return client, client.cookies["csrftoken"].value


def test_the_public_check_takes_no_file_larger_than_a_document(
    walk: Walker, spy: list[int], monkeypatch: Any
) -> None:
    """Anyone may post a file to the page: one larger than any document is refused
    without being written anywhere (it was spooled to disk whole, then refused); the
    document itself is still checked."""
    document, _scan = issued_case(walk)
    url = f"/d/{document.code}"
    client, token = browser_at(url)
    monkeypatch.setattr(public_views, "MAX_CHECK_BYTES", 1000)
    big = SimpleUploadedFile("big.pdf", b"%PDF" + b"0" * 200_000)
    response = client.post(url, {"file": big, "csrfmiddlewaretoken": token})
    assert response.status_code == 400
    assert 'data-verdict="issued"' not in response.content.decode()
    assert sum(spy) == 0, sum(spy)
    monkeypatch.setattr(public_views, "MAX_CHECK_BYTES", 20 * 1024 * 1024)
    true = SimpleUploadedFile("d.pdf", rendering.open_pdf(document))
    response = client.post(url, {"file": true, "csrfmiddlewaretoken": token})
    assert 'data-verdict="issued"' in response.content.decode()
    assert client.post(url, {"file": SimpleUploadedFile("d.pdf", b"x")}).status_code == 403


def test_a_refused_client_is_not_read(walk: Walker, spy: list[int], settings: Any) -> None:
    """Past the rate limit the request's body is not read at all (the CSRF check read
    it first)."""
    document, _scan = issued_case(walk)
    settings.ZHIFA_VERIFY_RATE_LIMIT = 1
    url = f"/d/{document.code}"
    client, token = browser_at(url)
    response = client.post(
        url,
        {"file": SimpleUploadedFile("d.pdf", b"x" * 100_000), "csrfmiddlewaretoken": token},
    )
    assert response.status_code == 429
    assert spy == []


# --- the documents API (list, issue, PDF) ----------------------------------------------------


def test_the_documents_api_by_role(
    walk: Walker, officer_b: Any, supervisor_county_c: Any, supervisor_city: Any
) -> None:
    document, _scan = issued_case(walk)
    api = f"/api/v1/cases/{walk.case.pk}/documents"
    pdf = f"{api}/{document.pk}/pdf"
    issue = {"kind": "prior_notice"}
    before = writes()

    def statuses(client: Client) -> tuple[int, int, int]:
        return (
            client.get(api).status_code,
            client.get(pdf).status_code,
            client.post(api, issue, content_type="application/json").status_code,
        )

    assert statuses(client_for(officer_b)) == (404, 404, 404)
    assert statuses(client_for(supervisor_county_c)) == (404, 404, 404)
    assert statuses(Client()) == (401, 401, 401)
    assert statuses(client_for(supervisor_city)) == (200, 200, 403)
    assert writes() == before
    # another case's document under this case
    other = client_for(walk.p.officer_user).get(
        f"/api/v1/cases/{walk.case.pk + 1000}/documents/{document.pk}/pdf"
    )
    assert other.status_code == 404


@pytest.mark.parametrize("damage", ["altered", "missing"])
def test_the_api_does_not_serve_a_damaged_stored_pdf(walk: Walker, damage: str) -> None:
    """Its own error, as documented: a 409 naming the document (the stored file is not
    the one issued), not a 400 about the request nor a server error."""
    import json as json_module

    from zhifa.documents.tests.test_attack_integrity import stored_path

    document, _scan = issued_case(walk)
    path = stored_path(document)
    if damage == "altered":
        path.write_bytes(path.read_bytes() + b"%x")
    else:
        path.unlink()
    url = f"/api/v1/cases/{walk.case.pk}/documents/{document.pk}/pdf"
    response = client_for(walk.p.officer_user).get(url)
    assert response.status_code == 409, response.status_code
    body = response.json()
    assert body["code"] == "conflict" and document.sm3 in body["message"], body
    from pathlib import Path

    committed = Path(__file__).resolve().parents[4] / "docs" / "openapi.json"
    spec = json_module.loads(committed.read_text())
    responses = spec["paths"]["/api/v1/cases/{case_pk}/documents/{document_id}/pdf"]["get"]
    assert "409" in responses["responses"]

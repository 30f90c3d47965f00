"""COMPLAINT-confidential: the officer named in a complaint, a user of the organ
complained about and another organ try every complaints page and API endpoint; nothing
of the filer leaks and they see nothing of the filing. The handling unit's staff and the
supervisor of the region do see the filer."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from zhifa.complaints import services
from zhifa.core.testing import client_for

from .conftest import FILER_CONTACT, FILER_NAME, file_conduct, file_report

pytestmark = pytest.mark.django_db

SECRETS = (FILER_NAME, FILER_CONTACT)
#: A valid body for each desk action (so the answer is about who asks, not the body).
BODIES = {
    "accept": {"note": "x"},
    "reject": {"reasons": "x"},
    "progress": {"text": "x"},
    "close": {"result": "x"},
    "review": {"decision": "reopen", "note": "x"},
}


def _pages(pk: int) -> list[tuple[str, str]]:
    gets = [
        reverse("complaints:desk"),
        reverse("complaints:detail", args=[pk]),
        reverse("complaints:enter_case", args=[pk]),
        reverse("cases:list"),
        "/api/v1/complaints",
        f"/api/v1/complaints/{pk}",
    ]
    posts = [
        reverse("complaints:act", args=[pk, a])
        for a in ("accept", "reject", "progress", "close", "review")
    ]
    posts += [reverse("complaints:enter_case", args=[pk])]
    posts += [reverse("complaints:reassign", args=[pk])]
    posts += [
        f"/api/v1/complaints/{pk}/{a}" for a in ("accept", "reject", "progress", "close", "review")
    ]
    return [("get", u) for u in gets] + [("post", u) for u in posts]


def _try_everything(client: Client, pk: int) -> list[tuple[str, int, bytes]]:
    seen = []
    for method, url in _pages(pk):
        if method == "get":
            response = client.get(url)
        elif url.startswith("/api/"):
            body = BODIES[url.rsplit("/", 1)[1]]
            response = client.post(url, json.dumps(body), content_type="application/json")
        else:
            response = client.post(
                url, {"note": "x", "reasons": "x", "text": "x", "result": "x", "decision": "reopen"}
            )
        seen.append((url, response.status_code, response.content))
    return seen


@pytest.fixture
def conduct(units: None, officer_c_record: Any, today: Any) -> Any:
    return file_conduct(officer_c_record).complaint


def test_the_officer_complained_about_sees_nothing(conduct: Any, officer_c: Any) -> None:
    for url, status, content in _try_everything(client_for(officer_c), conduct.pk):
        for secret in SECRETS:
            assert secret.encode() not in content, url
        assert conduct.number.encode() not in content, url
        if (
            "complaints" in url
            and url != reverse("complaints:desk")
            and url != "/api/v1/complaints"
        ):
            assert status in (403, 404), (url, status)
    assert services.find_by_code(conduct.number, "x") is None


def test_the_organ_complained_about_sees_nothing(conduct: Any, head_c: Any) -> None:
    for url, _status, content in _try_everything(client_for(head_c), conduct.pk):
        for secret in SECRETS:
            assert secret.encode() not in content, url
        assert conduct.number.encode() not in content, url


def test_another_organ_and_a_legal_reviewer_see_nothing(
    conduct: Any, officer_a: Any, officer_b: Any, reviewer_a: Any
) -> None:
    """Another organ, and a legal reviewer (not handling staff), see nothing either."""
    for user in (officer_a, officer_b, reviewer_a):
        for url, _status, content in _try_everything(client_for(user), conduct.pk):
            for secret in SECRETS:
                assert secret.encode() not in content, (user, url)
            assert conduct.number.encode() not in content, (user, url)


def test_another_organ_sees_nothing_of_a_report(
    units: None, officer_b: Any, officer_c: Any, today: Any
) -> None:
    report = file_report().complaint
    for user in (officer_b, officer_c):
        for url, status, content in _try_everything(client_for(user), report.pk):
            assert report.number.encode() not in content, url
            for secret in SECRETS:
                assert secret.encode() not in content, url
            if url.startswith(f"/api/v1/complaints/{report.pk}") or (
                "/desk/" in url and str(report.pk) in url
            ):
                assert status in (403, 404), (url, status)


def test_the_handling_staff_and_the_supervisor_see_the_filer(
    units: None, officer_a: Any, supervisor_city: Any, supervisor_county_c: Any, conduct: Any
) -> None:
    report = file_report().complaint
    for user, pk in (
        (officer_a, report.pk),
        (supervisor_city, report.pk),
        (supervisor_city, conduct.pk),
        (supervisor_county_c, conduct.pk),
    ):
        client = client_for(user)
        page = client.get(reverse("complaints:detail", args=[pk]))
        assert page.status_code == 200
        assert FILER_NAME in page.content.decode()
        api = client.get(f"/api/v1/complaints/{pk}")
        assert api.status_code == 200 and api.json()["filer_contact"] == FILER_CONTACT
    # The county supervisor of 海盐 does not supervise a report filed in the city.
    assert (
        client_for(supervisor_county_c)
        .get(reverse("complaints:detail", args=[report.pk]))
        .status_code
        == 404
    )


def test_the_public_pages_show_no_filer_data(units: None, today: Any) -> None:
    filed = file_report()
    client = Client()
    response = client.post(
        reverse("complaints:follow"), {"number": filed.complaint.number, "code": filed.access_code}
    )
    assert response.status_code == 200
    for secret in SECRETS:
        assert secret not in response.content.decode()
    api = client.post(
        "/api/v1/public/complaints/lookup",
        json.dumps({"number": filed.complaint.number, "code": filed.access_code}),
        content_type="application/json",
    )
    assert api.status_code == 200
    for secret in SECRETS:
        assert secret not in api.content.decode()
    assert "filer_name" not in api.json()


def test_attachments_only_for_whom_sees_the_filing(
    units: None, officer_a: Any, officer_b: Any, today: Any
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    c = file_report(attachments=[SimpleUploadedFile("p.png", png)]).complaint
    a = c.attachments.get()
    url = reverse("complaints:attachment", args=[c.pk, a.pk])
    response = client_for(officer_a).get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == png
    assert client_for(officer_b).get(url).status_code == 404
    assert Client().get(url).status_code == 302  # to the login page
    assert (
        client_for(officer_a)
        .get(reverse("complaints:attachment", args=[c.pk, a.pk + 1]))
        .status_code
        == 404
    )

"""Public certificate verification (亮证执法) of the demo's certificates: the right
status, nothing private; the public pages wear the portal. The demo is loaded once for
the module (``demo_once``)."""

from __future__ import annotations

import pytest
from django.test import Client

from zhifa.registry.models import Certificate, Officer


@pytest.fixture
def demo(demo_once, db, frozen_clock):
    """The demo, loaded once for the module (``demo_once``), as of its frozen day."""


@pytest.mark.django_db
class TestVerifyDemoCertificates:
    @pytest.mark.parametrize(
        ("number", "status_text", "valid"),
        [
            ("330400-0001", "有效", True),
            ("330400-0002", "有效", True),  # expiring within 30 days, still valid today
            ("330400-0003", "已过期", False),
            ("330400-0004", "暂扣", False),
            ("330400-0005", "已吊销", False),
        ],
    )
    def test_status_and_no_id_number(self, demo, client, number, status_text, valid):
        response = client.get(f"/verify/{number}")
        assert response.status_code == 200
        html = response.content.decode()
        certificate = Certificate.objects.select_related("officer__organ").get(number=number)
        officer = certificate.officer
        assert status_text in html
        assert ("今日有效" in html) is valid
        assert officer.name in html and officer.organ.name in html
        assert certificate.valid_to.isoformat() in html
        assert officer.id_number not in html
        assert officer.id_number[-6:] not in html  # not even a fragment

    def test_no_page_of_the_demo_shows_an_id_number_publicly(self, demo, client):
        ids = list(Officer.objects.values_list("id_number", flat=True))
        for url in ["/verify/330400-0001", "/notices/cleanup/", "/verify/330400-0001/qr.svg"]:
            body = client.get(url).content.decode()
            assert not any(i in body for i in ids), url

    def test_expiring_certificate_is_valid_until_its_end(self, demo, client):
        certificate = Certificate.objects.get(number="330400-0002")
        assert certificate.is_valid_on(certificate.valid_to)
        assert not certificate.is_valid_on(
            certificate.valid_to.replace(year=certificate.valid_to.year + 1)
        )


@pytest.mark.django_db
@pytest.mark.parametrize(
    "path",
    ["/verify/330400-0001", "/verify/NO-SUCH-NUMBER", "/notices/cleanup/", "/d/AAAAAAAAAAAA"],
)
def test_the_public_verification_pages_wear_the_portal(demo, path: str) -> None:
    """What a QR code or the portal's footer opens is a public page: the portal's layout
    (its navigation and stylesheet), not the staff platform's bar."""
    response = Client().get(path)
    html = response.content.decode()
    assert response.status_code in (200, 404), path
    assert '<body class="portal">' in html and "portal/portal.css" in html
    assert 'class="topbar"' not in html and "zhifa/zhifa.css" not in html

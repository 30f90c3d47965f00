"""Public certificate verification (亮证执法): the right status, nothing private."""

from __future__ import annotations

import pytest
from django.test import Client

from zhifa.registry.qr import qr_svg


@pytest.mark.django_db
def test_unknown_number_is_a_404_page(client):
    response = client.get("/verify/NO-SUCH-1")
    assert response.status_code == 404
    html = response.content.decode()
    assert "未找到" in html and "NO-SUCH-1" in html
    assert "Traceback" not in html


@pytest.mark.django_db
def test_odd_numbers_never_crash(client):
    for number in ["%E4%B8%AD%E6%96%87", "a" * 300, "<script>", "x%00y"]:
        response = client.get(f"/verify/{number}")
        assert response.status_code in (404, 400), number


@pytest.mark.django_db
def test_rate_limit_gives_429_and_counts_in_the_database(client, settings, person_a):
    settings.ZHIFA_VERIFY_RATE_LIMIT = 3
    codes = [client.get("/verify/A-0001").status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    # Another address (another client behind another app server) is counted apart.
    other = Client(REMOTE_ADDR="10.0.0.9")
    assert other.get("/verify/A-0001").status_code == 200
    limited = client.get("/verify/A-0001")
    assert limited["Retry-After"] == "60" and "请求过于频繁" in limited.content.decode()
    from zhifa.registry.models import RateLimitBucket

    assert not RateLimitBucket.objects.filter(key__contains="127.0.0.1").exists()  # hashed


@pytest.mark.django_db
def test_qr_code_encodes_the_verification_url(client, person_a, settings):
    settings.ZHIFA_PUBLIC_BASE_URL = "https://zhifa.example.gov.cn"
    response = client.get("/verify/A-0001/qr.svg")
    assert response.status_code == 200 and response["Content-Type"] == "image/svg+xml"
    svg = response.content.decode()
    assert svg.startswith("<svg") and "https://zhifa.example.gov.cn/verify/A-0001" in svg
    assert svg == qr_svg("https://zhifa.example.gov.cn/verify/A-0001")
    assert client.get("/verify/NOPE-1/qr.svg").status_code == 404


@pytest.mark.django_db
def test_certificate_card_shows_qr_and_public_facts_only(person_a, supervisor_city):
    from zhifa.core.testing import client_for

    certificate = person_a.certificates.get()
    html = (
        client_for(supervisor_city)
        .get(f"/registry/certificates/{certificate.pk}/card/")
        .content.decode()
    )
    assert "<svg" in html and "/verify/A-0001" in html and person_a.name in html
    assert person_a.id_number not in html


@pytest.mark.django_db
def test_not_yet_valid_and_inactive_officer(client, person_a, today, actor):
    from datetime import timedelta

    from zhifa.registry import services

    services.issue_certificate(
        person_a,
        number="A-0009",
        issuing_authority="x",
        valid_from=today + timedelta(days=3),
        valid_to=today + timedelta(days=300),
        actor=actor,
    )
    html = client.get("/verify/A-0009").content.decode()
    assert "尚未生效" in html and "今日无效" in html
    services.save_officer(person_a, active=False, actor=actor)
    assert "今日无效" in client.get("/verify/A-0001").content.decode()

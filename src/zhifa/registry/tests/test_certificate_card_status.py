"""A certificate that is not valid does not print as a valid card (issue #10: a revoked
certificate printed as a normal card): the card carries its status in words on a red
band and a watermark, and no longer looks like a valid card."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from zhifa.core.testing import client_for
from zhifa.registry import services
from zhifa.registry.models import Certificate

pytestmark = pytest.mark.django_db


def card(user, certificate: Certificate) -> str:
    response = client_for(user).get(f"/registry/certificates/{certificate.pk}/card/")
    assert response.status_code == 200
    return response.content.decode()


def test_a_valid_certificate_prints_a_plain_card(person_a, supervisor_city) -> None:
    html = card(supervisor_city, person_a.certificates.get())
    assert 'class="certificate-card"' in html and "card-void" not in html


@pytest.mark.parametrize(("status", "words"), [("revoked", "已吊销"), ("suspended", "已暂扣")])
def test_a_revoked_or_suspended_certificate_prints_its_status(
    person_a, supervisor_city, today: dt.date, status: str, words: str
) -> None:
    certificate = services.change_certificate_status(
        person_a.certificates.get(),
        status=status,
        reason="违纪",
        effective_on=today,
        actor=supervisor_city,
    )
    html = card(supervisor_city, certificate)
    assert re.search(r'class="certificate-card void status-' + status + '"', html)
    band = re.search(r'<p class="card-void" role="alert">(.*?)</p>', html, re.S)
    assert band is not None and words in band.group(1) and "不得用于执法" in band.group(1)


def test_an_expired_certificate_prints_as_expired(person_a, supervisor_city, today) -> None:
    certificate = person_a.certificates.get()
    Certificate.objects.filter(pk=certificate.pk).update(
        valid_from=today - dt.timedelta(days=800), valid_to=today - dt.timedelta(days=1)
    )
    html = card(supervisor_city, certificate)
    band = re.search(r'<p class="card-void" role="alert">(.*?)</p>', html, re.S)
    assert band is not None and "已过期" in band.group(1)

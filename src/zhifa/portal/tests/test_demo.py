"""Every portal page renders on the demo data, for every public organ, in Chinese and
in English, and no officer's ID number appears on any of them."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from zhifa.portal.queries import public_organs
from zhifa.registry.models import EnforcementSubject, Officer, Region

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db, settings, tmp_path, frozen_clock):
    settings.MEDIA_ROOT = tmp_path
    call_command("demo", stdout=StringIO())


def test_every_page_on_the_demo(demo):
    urls = ["/", reverse("portal:subjects"), reverse("portal:procedure")]
    urls += [reverse("portal:remedies"), reverse("portal:inspections")]
    organs = list(public_organs())
    assert organs
    for organ in organs:
        for name in ("organ", "officers", "powers", "benchmarks", "entrustments"):
            urls.append(reverse(f"portal:{name}", args=[organ.pk]))
    codes = set(public_organs().values_list("region__code", flat=True))
    urls += [reverse("portal:region", args=[r.code]) for r in Region.objects.filter(code__in=codes)]
    secrets = [o.id_number for o in Officer.objects.all()]
    hidden = EnforcementSubject.objects.exclude(pk__in=[o.pk for o in organs])
    for language in ("zh-hans", "en"):
        client = Client()
        client.post(reverse("portal:language"), {"language": language, "next": "/"})
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            html = response.content.decode()
            assert not [s for s in secrets if s in html], url
        for organ in hidden:
            assert client.get(reverse("portal:organ", args=[organ.pk])).status_code == 404
    powers = Client().get(
        reverse(
            "portal:powers", args=[EnforcementSubject.objects.get(name="嘉兴市市场监督管理局").pk]
        )
    )
    assert "JXSJ-CF-001" in powers.content.decode()

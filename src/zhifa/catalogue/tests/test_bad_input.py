"""Bad input to any form or endpoint gives a clear error, never a 500."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from zhifa.accounts.models import User
from zhifa.catalogue.models import Article, DiscretionBenchmark, Law, PowerItem
from zhifa.registry.models import Certificate, EnforcementSubject, Entrustment, Officer

GARBAGE = [
    {},
    {"name": "", "valid_from": "not-a-date", "valid_to": "2026-02-30", "number": "x y"},
    {
        "organ": "abc",
        "subject": "999999",
        "power_item": "-1",
        "basis": ["x"],
        "kind": "nope",
        "status": "exploded",
        "hours": "lots",
        "year": "99999",
        "on": "yesterday",
        "text": "",
    },
]


@pytest.fixture
def demo(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("demo", stdout=StringIO())


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["supervisor", "head"])
def test_no_form_or_endpoint_gives_a_500(demo, username):
    client = Client(raise_request_exception=False)
    client.force_login(User.objects.get(username=username))
    organ = EnforcementSubject.objects.get(name="嘉兴市市场监督管理局")
    officer = Officer.objects.filter(organ=organ).first()
    certificate = Certificate.objects.filter(officer=officer).first()
    item = PowerItem.objects.filter(subject=organ).first()
    benchmark = DiscretionBenchmark.objects.filter(power_item=item).first()
    law = Law.objects.first()
    article = Article.objects.first()
    entrustment = Entrustment.objects.first()
    pages = [
        reverse("registry:organ_create"),
        reverse("registry:organ_edit", args=[organ.pk]),
        reverse("registry:officer_create"),
        reverse("registry:officer_edit", args=[officer.pk]),
        reverse("registry:officer_training", args=[officer.pk]),
        reverse("registry:officer_exam", args=[officer.pk]),
        reverse("registry:certificate_issue", args=[officer.pk]),
        reverse("registry:certificate_status", args=[certificate.pk]),
        reverse("registry:entrustment_create"),
        reverse("registry:entrustment_edit", args=[entrustment.pk]),
        reverse("catalogue:law_create"),
        reverse("catalogue:article_add", args=[law.pk]),
        reverse("catalogue:article_version", args=[article.pk]),
        reverse("catalogue:article_repeal", args=[article.pk]),
        reverse("catalogue:power_item_create"),
        reverse("catalogue:power_item_edit", args=[item.pk]),
        reverse("catalogue:power_item_review", args=[item.pk]),
        reverse("catalogue:benchmark_create"),
        reverse("catalogue:benchmark_edit", args=[benchmark.pk]),
        reverse("catalogue:review_entry_create"),
        reverse("catalogue:import"),
    ]
    for url in pages:
        for data in GARBAGE:
            response = client.post(url, data)
            assert response.status_code < 500, (url, data, response.status_code)
    api = [
        ("post", "/api/v1/organs"),
        ("patch", f"/api/v1/organs/{organ.pk}/details"),
        ("post", "/api/v1/officers"),
        ("patch", f"/api/v1/officers/{officer.pk}"),
        ("post", f"/api/v1/officers/{officer.pk}/certificates"),
        ("post", f"/api/v1/officers/{officer.pk}/trainings"),
        ("post", f"/api/v1/certificates/{certificate.pk}/status"),
        ("post", "/api/v1/laws"),
        ("post", f"/api/v1/laws/{law.pk}/articles"),
        ("post", f"/api/v1/laws/{law.pk}/repeal"),
        ("post", f"/api/v1/articles/{article.pk}/versions"),
        ("post", f"/api/v1/articles/{article.pk}/repeal"),
        ("post", "/api/v1/power-items"),
        ("patch", f"/api/v1/power-items/{item.pk}"),
        ("post", f"/api/v1/power-items/{item.pk}/review"),
        ("post", "/api/v1/benchmarks"),
    ]
    for method, url in api:
        for data in GARBAGE:
            response = getattr(client, method)(url, data, content_type="application/json")
            assert response.status_code < 500, (url, data, response.status_code, response.content)
            assert set(response.json()) >= {"status", "code", "message", "errors"} or (
                response.status_code < 300
            )
    for query in ["?on=x&circumstance=general", "?on=2026-01-01&circumstance=x", ""]:
        response = client.get(f"/api/v1/power-items/{item.pk}/band{query}")
        assert response.status_code in (400, 404), query
    for url in [
        "/api/v1/officers?organ=x",
        "/api/v1/power-items?in_force_on=x",
        "/api/v1/benchmarks?subject=x",
        reverse("catalogue:power_item_list") + "?warning=maybe",
        reverse("registry:officer_list") + "?certificate_status=x",
        reverse("catalogue:export", args=["power_items", "xlsx"]) + "?organ=x",
        "/api/v1/exports/officers?format=pdf",
    ]:
        assert client.get(url).status_code < 500, url

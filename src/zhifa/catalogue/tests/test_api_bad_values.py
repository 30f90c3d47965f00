"""Values the API used to answer with a 500 (issue 13, item 4): numbers past the
database's 64-bit integers, ``null`` where the database takes none, lone surrogates and
control characters in text. Each is a 400 naming the field, and nothing is written."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from zhifa.catalogue.models import DiscretionBenchmark, Law, ReviewCatalogueItem
from zhifa.core.testing import client_for
from zhifa.registry.models import EnforcementSubject, Entrustment
from zhifa.registry.services import save_officer
from zhifa.registry.tests.conftest import make_id

TOO_BIG = 2**63


def _client(user: Any) -> Client:
    client = client_for(user)
    client.raise_request_exception = False
    return client


def _refused(response: Any, path: str) -> None:
    assert response.status_code == 400, (response.status_code, response.content[:300])
    paths = [e["path"] for e in response.json()["errors"]]
    assert path in paths, paths
    assert all(e["message"] for e in response.json()["errors"])


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/api/v1/records/entries", "/api/v1/records/evidence"])
@pytest.mark.parametrize("offset", [TOO_BIG, 2**70, -1])
def test_an_offset_past_the_database_is_refused(url, offset, supervisor_city):
    _refused(_client(supervisor_city).get(f"{url}?offset={offset}"), "query.offset")


@pytest.mark.django_db
def test_an_offset_at_the_bound_is_an_empty_page(supervisor_city):
    response = _client(supervisor_city).get(f"/api/v1/records/entries?offset={TOO_BIG - 1}")
    assert response.status_code == 200 and response.json()["items"] == []


@pytest.mark.django_db
def test_a_huge_power_item_id_in_the_review_catalogue_is_refused(organ_a, item_a, head_a):
    body = {
        "organ_id": organ_a.pk,
        "title": "重大执法决定",
        "criteria": "罚款十万元以上",
        "power_item_ids": [item_a.pk, TOO_BIG],
        "valid_from": "2026-01-01",
    }
    response = _client(head_a).post("/api/v1/review-catalogue", body, "application/json")
    _refused(response, "body.power_item_ids.1")
    assert not ReviewCatalogueItem.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["power_item_id", "penalty_article_id"])
def test_a_huge_id_in_a_benchmark_is_refused(field, item_a, articles, head_a):
    body = {
        "power_item_id": item_a.pk,
        "violation": "未取得食品经营许可从事食品经营活动",
        "penalty_article_id": articles["第一百二十二条"].pk,
        "statutory_range": "并处五万元以上十万元以下罚款",
        "valid_from": "2026-01-01",
        "bands": [{"circumstance": "general", "conditions": "一般情形"}],
        field: TOO_BIG,
    }
    response = _client(head_a).post("/api/v1/benchmarks", body, "application/json")
    _refused(response, f"body.{field}")
    assert not DiscretionBenchmark.objects.exists()


@pytest.mark.django_db
def test_a_huge_power_item_id_in_an_entrustment_is_refused(organ_a, item_a, supervisor_city):
    entrusted = EnforcementSubject.objects.create(
        name="嘉兴市某街道办事处", region=organ_a.region, subject_type="entrusted", parent=organ_a
    )
    data = {
        "entrusting_organ_id": organ_a.pk,
        "entrusted_id": entrusted.pk,
        "valid_from": "2026-01-01",
        "valid_to": "2026-12-31",
        "power_item_ids": [item_a.pk, TOO_BIG],
        "instrument": SimpleUploadedFile("委托书.pdf", b"%PDF-1.4 x", "application/pdf"),
    }
    response = _client(supervisor_city).post("/api/v1/entrustments", data)
    _refused(response, "form.power_item_ids.1")
    assert not Entrustment.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/v1/officers/{big}", "/api/v1/organs/{big}/details"])
def test_a_huge_id_in_the_path_is_refused(path, supervisor_city):
    response = _client(supervisor_city).patch(
        path.format(big=TOO_BIG), {"post": "科员"}, "application/json"
    )
    assert response.status_code == 400, response.content[:300]
    assert response.json()["errors"][0]["path"].startswith("path.")


# --- null ----------------------------------------------------------------------------------

CLEARABLE = ["uscc", "contact_phone", "contact_address", "legal_basis", "authorising_law"]


@pytest.mark.django_db
@pytest.mark.parametrize("field", CLEARABLE)
def test_null_clears_a_subject_detail(field, organ_a, supervisor_city):
    EnforcementSubject.objects.filter(pk=organ_a.pk).update(
        contact_phone="0573-82000000", contact_address="嘉兴市南湖区", legal_basis="三定方案"
    )
    response = _client(supervisor_city).patch(
        f"/api/v1/organs/{organ_a.pk}/details", {field: None}, "application/json"
    )
    assert response.status_code == 200, response.content[:300]
    organ_a.refresh_from_db()
    assert getattr(organ_a, field) == ""


@pytest.mark.django_db
def test_null_for_active_is_refused(organ_a, supervisor_city):
    response = _client(supervisor_city).patch(
        f"/api/v1/organs/{organ_a.pk}/details", {"active": None}, "application/json"
    )
    _refused(response, "body.active")


# --- text -------------------------------------------------------------------------------------

BAD_TEXT = ["\ud800", "a\x00b", "a\x07b", "\udfff尾"]


@pytest.mark.django_db
@pytest.mark.parametrize("bad", BAD_TEXT)
def test_bad_text_in_an_officer_is_refused(bad, organ_a, supervisor_city):
    officer = save_officer(
        actor=supervisor_city, organ=organ_a, name="张伟", id_number=make_id("33042119850312123")
    )
    response = _client(supervisor_city).patch(
        f"/api/v1/officers/{officer.pk}", {"post": bad}, "application/json"
    )
    _refused(response, "body.post")
    officer.refresh_from_db()
    assert officer.post == ""


@pytest.mark.django_db
@pytest.mark.parametrize("bad", BAD_TEXT)
def test_bad_text_in_subject_details_is_refused(bad, organ_a, supervisor_city):
    response = _client(supervisor_city).patch(
        f"/api/v1/organs/{organ_a.pk}/details", {"contact_address": bad}, "application/json"
    )
    _refused(response, "body.contact_address")
    organ_a.refresh_from_db()
    assert organ_a.contact_address == ""


@pytest.mark.django_db
@pytest.mark.parametrize("bad", BAD_TEXT)
@pytest.mark.parametrize("field", ["name", "issuing_body"])
def test_bad_text_in_a_law_is_refused(bad, field, supervisor_city, justice_city):
    body = {
        "name": "中华人民共和国行政处罚法",
        "level": "law",
        "issuing_body": "全国人民代表大会常务委员会",
        "valid_from": "2021-07-15",
        field: f"法{bad}",
    }
    response = _client(supervisor_city).post("/api/v1/laws", body, "application/json")
    _refused(response, f"body.{field}")
    assert not Law.objects.exists()


@pytest.mark.django_db
def test_tab_and_newline_are_text(organ_a, supervisor_city):
    response = _client(supervisor_city).patch(
        f"/api/v1/organs/{organ_a.pk}/details",
        {"legal_basis": "第一条\n第二条\t（三定）"},
        "application/json",
    )
    assert response.status_code == 200
    organ_a.refresh_from_db()
    assert organ_a.legal_basis == "第一条\n第二条\t（三定）"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "path"),
    [
        ("/api/v1/cases?q=%00", "query.q"),
        ("/api/v1/officers?q=%01", "query.q"),
        ("/api/v1/records/evidence?object_type=case&object_id=%00", "query.object_id"),
        ("/api/v1/power-items?q=%00", "query.q"),
    ],
)
def test_bad_text_in_a_query_is_refused(url, path, supervisor_city):
    _refused(_client(supervisor_city).get(url), path)


@pytest.mark.django_db
def test_bad_text_in_an_entrustment_form_is_refused(organ_a, item_a, supervisor_city):
    entrusted = EnforcementSubject.objects.create(
        name="嘉兴市某街道办事处", region=organ_a.region, subject_type="entrusted", parent=organ_a
    )
    data = {
        "entrusting_organ_id": organ_a.pk,
        "entrusted_id": entrusted.pk,
        "valid_from": "2026-01-01",
        "valid_to": "2026-12-31",
        "matters": "检查\x00",
        "instrument": SimpleUploadedFile("委托书.pdf", b"%PDF-1.4 x", "application/pdf"),
    }
    response = _client(supervisor_city).post("/api/v1/entrustments", data)
    _refused(response, "form.matters")
    assert not Entrustment.objects.exists()

"""Creating an entrustment cannot reach outside the user's scope: another organ's power
items are "unknown" (names never echoed), another region's organisations are "not
found", and the form offers only organisations in scope."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from zhifa.catalogue import services as catalogue
from zhifa.catalogue.models import LawLevel
from zhifa.core.testing import client_for, make_organ
from zhifa.registry.models import Entrustment, SubjectType

PDF = b"%PDF-1.4\n%%EOF\n"


@pytest.fixture
def world(organ_a, organ_b, organ_c, regions, justice_city, supervisor_city):
    law = catalogue.save_law(
        name="中华人民共和国食品安全法",
        level=LawLevel.LAW,
        issuing_body="全国人民代表大会常务委员会",
        valid_from=date(2021, 4, 29),
        actor=supervisor_city,
    )
    article = catalogue.add_article(
        law, number="第三十五条", text="x", ordinal=0, actor=supervisor_city
    )
    common = {"basis": [article], "category": "penalty", "valid_from": date(2024, 1, 1)}
    item_a = catalogue.save_power_item(
        subject=organ_a, code="CF-001", name="A的事项", actor=supervisor_city, **common
    )
    item_b = catalogue.save_power_item(
        subject=organ_b, code="CF-SECRET-B", name="B的未公开事项", actor=supervisor_city, **common
    )
    ent_a = make_organ("A下属执法队", regions["330400"], SubjectType.ENTRUSTED, parent=organ_a)
    ent_c = make_organ(
        "海盐武原街道执法队", regions["330424"], SubjectType.ENTRUSTED, parent=organ_c
    )
    return {"item_a": item_a, "item_b": item_b, "ent_a": ent_a, "ent_c": ent_c}


def post(client, organ, entrusted_id, items):
    return client.post(
        "/api/v1/entrustments",
        {
            "entrusting_organ_id": organ.pk,
            "entrusted_id": entrusted_id,
            "valid_from": "2026-01-01",
            "valid_to": "2026-12-31",
            "power_item_ids": items,
            "instrument": SimpleUploadedFile("w.pdf", PDF, content_type="application/pdf"),
        },
    )


@pytest.mark.django_db
def test_another_organs_power_item_is_unknown_and_not_named(world, head_a, organ_a):
    client = client_for(head_a)
    foreign = post(client, organ_a, world["ent_a"].pk, [world["item_b"].pk])
    missing = post(client, organ_a, world["ent_a"].pk, [10**9])
    assert foreign.status_code == missing.status_code == 400
    assert foreign.json()["errors"] == missing.json()["errors"]
    assert "CF-SECRET-B" not in foreign.content.decode()
    assert not Entrustment.objects.exists()


@pytest.mark.django_db
def test_an_organisation_outside_scope_is_not_found(world, head_a, organ_a, organ_c):
    client = client_for(head_a)
    assert post(client, organ_a, world["ent_c"].pk, [world["item_a"].pk]).status_code == 404
    assert post(client, organ_a, organ_c.pk, [world["item_a"].pk]).status_code == 404
    assert post(client, organ_a, 10**9, [world["item_a"].pk]).status_code == 404
    assert not Entrustment.objects.exists()


@pytest.mark.django_db
def test_own_entrusted_unit_works(world, head_a, organ_a):
    response = post(client_for(head_a), organ_a, world["ent_a"].pk, [world["item_a"].pk])
    assert response.status_code == 201, response.content


@pytest.mark.django_db
def test_the_form_offers_only_organisations_in_scope(world, head_a):
    html = client_for(head_a).get("/registry/entrustments/new/").content.decode()
    assert "A下属执法队" in html and "海盐武原街道执法队" not in html


@pytest.mark.django_db
def test_the_edit_page_links_the_instrument_to_the_scoped_download(
    world, head_a, organ_a, officer_b
):
    """The edit page's "currently" link is the scoped download, not a /media/ URL that
    nothing serves (issue #10): it works for the organ and stays 404 for another."""
    import re

    client = client_for(head_a)
    created = post(client, organ_a, world["ent_a"].pk, [world["item_a"].pk])
    assert created.status_code == 201, created.content
    entrustment = Entrustment.objects.get()
    html = client.get(f"/registry/entrustments/{entrustment.pk}/edit/").content.decode()
    links = re.findall(r'<a href="([^"]+)">[^<]*\.pdf</a>', html)
    assert len(links) == 1, html
    assert not links[0].startswith("/media/")
    download = client.get(links[0])
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert client_for(officer_b).get(links[0]).status_code == 404

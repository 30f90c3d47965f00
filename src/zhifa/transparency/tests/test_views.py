"""The public pages and plain-text endpoints of the publication log (no login)."""

from __future__ import annotations

import pytest

from zhifa.transparency import checkpoints as cps
from zhifa.transparency.bundle import proof_summary

from .conftest import SOURCE

pytestmark = pytest.mark.django_db


def test_key_and_checkpoint_at_stable_urls(client, signed):
    key = client.get("/transparency/key")
    assert key.status_code == 200 and key["Content-Type"] == "text/plain; charset=utf-8"
    assert key.content.decode() == cps.verifier_key() + "\n"
    latest = client.get("/transparency/checkpoint")
    assert latest.status_code == 200 and latest["Content-Type"].startswith("text/plain")
    assert latest.content.decode() == cps.latest().note
    assert latest.content.decode().startswith("zhifa.test/transparency\n3\n")
    assert client.get("/transparency/checkpoints/3").content.decode() == cps.latest().note
    assert client.get("/transparency/checkpoints/2").status_code == 404
    assert client.get("/transparency/checkpoints/03").status_code == 404


def test_no_checkpoint_yet(client, db):
    response = client.get("/transparency/checkpoint")
    assert response.status_code == 404 and response["Content-Type"].startswith("text/plain")
    assert client.get("/transparency/").status_code == 200


def test_entry_page_in_chinese_and_english(client, signed):
    page = client.get("/transparency/entries/1")
    assert page.status_code == 200
    text = page.content.decode()
    assert signed[1].leaf_hash in text
    assert "/transparency/entries/1/proof.json" in text
    assert "verify_offline.py" in text
    assert "如何自行核验" in text
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    english = client.get("/transparency/entries/1")
    assert "How to check it yourself" in english.content.decode()


def test_about_page_explains_what_a_proof_shows(client, signed):
    page = client.get("/transparency/")
    assert page.status_code == 200
    assert cps.verifier_key() in page.content.decode()
    assert "公示日志" in page.content.decode()


def test_entry_not_yet_covered(client, log_organ, organ_a):
    log_organ(organ_a)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get("/transparency/entries/0")
    assert page.status_code == 200
    assert "No signed checkpoint covers this entry yet" in page.content.decode()
    bundle = client.get("/transparency/entries/0/proof.json")
    assert bundle.status_code == 409
    assert bundle.json()["code"] == "not_yet_signed"


@pytest.mark.parametrize("index", ["3", "-1", "01", "1e3", "99999999999999999999", "١"])
def test_unknown_or_malformed_entries_are_404(client, signed, index):
    assert client.get(f"/transparency/entries/{index}").status_code == 404
    assert client.get(f"/transparency/entries/{index}/proof.json").status_code == 404


def test_object_url_redirects_to_its_latest_entry(client, signed, organ_b):
    response = client.get(f"/transparency/objects/{SOURCE}/{organ_b.pk}")
    assert response.status_code == 302 and response["Location"] == "/transparency/entries/1"
    assert client.get(f"/transparency/objects/{SOURCE}/0").status_code == 404
    summary = proof_summary(SOURCE, str(organ_b.pk))
    assert summary == {
        "index": 1,
        "leaf_hash": signed[1].leaf_hash,
        "checkpoint_size": 3,
        "url": "/transparency/entries/1",
    }


def test_consistency_endpoint(client, signed, log_organ, organ_a):
    log_organ(organ_a)
    cps.issue_checkpoint()
    response = client.get("/transparency/consistency/3/4")
    assert response.status_code == 200
    assert response.json()["first"] == 3 and len(response.json()["consistency_proof"]) >= 1
    too_far = client.get("/transparency/consistency/3/5")
    assert too_far.status_code == 400
    assert too_far.json()["errors"][0]["path"] == "path.second"
    assert client.get("/transparency/consistency/x/4").json()["errors"][0]["path"] == "path.first"
    assert client.get("/transparency/consistency/4/3").status_code == 400


def test_the_verifier_script_is_served(client, db):
    response = client.get("/transparency/verify_offline.py")
    assert response.status_code == 200
    assert b"def verify_inclusion" in b"".join(response.streaming_content)


def test_pages_refuse_post(client, signed):
    assert client.post("/transparency/entries/1").status_code == 405


def test_an_invalid_origin_is_a_system_check_error(settings):
    from zhifa.transparency.checks import origin_named, origin_valid

    assert origin_valid() == []
    settings.TRANSPARENCY_ORIGIN = "two words"
    assert [m.id for m in origin_valid()] == ["transparency.E001"]
    settings.TRANSPARENCY_ORIGIN = "zhifa.localhost/transparency"
    assert [m.id for m in origin_named()] == ["transparency.W001"]

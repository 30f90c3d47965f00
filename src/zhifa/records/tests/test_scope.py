"""Organ A cannot see organ B's entries or evidence (pages, API, downloads, exports);
a supervisor sees the organs of their region's subtree only."""

from __future__ import annotations

import pytest
from django.urls import reverse

from zhifa.core.testing import client_for
from zhifa.records.services import ObjectRef, add_evidence

from .files import evidence_kwargs

CASE_A = ObjectRef("cases.case", "100")
CASE_B = ObjectRef("cases.case", "200")
CASE_C = ObjectRef("cases.case", "300")


@pytest.fixture
def data(officer_a, organ_a, officer_b, organ_b, organ_c, record, django_user_model, frozen_clock):
    from zhifa.accounts.models import Role
    from zhifa.core.testing import make_user

    officer_c = make_user("officer_c", Role.OFFICER, organ=organ_c, full_name="李娜")
    record(officer_a, organ_a, 2, obj=CASE_A, action="case.register")
    record(officer_b, organ_b, 2, obj=CASE_B, action="case.register")
    record(officer_c, organ_c, 1, obj=CASE_C, action="case.register")
    return {
        "ev_a": add_evidence(**evidence_kwargs(officer_a, obj=CASE_A)),
        "ev_b": add_evidence(**evidence_kwargs(officer_b, obj=CASE_B, title="乙局照片")),
    }


def timeline_url(ref: ObjectRef) -> str:
    return reverse("records:timeline", args=[ref.object_type, ref.object_id])


@pytest.mark.django_db
class TestOrganScope:
    def test_officer_sees_own_timeline_with_real_names(self, officer_a, data):
        page = client_for(officer_a).get(timeline_url(CASE_A))
        assert page.status_code == 200
        text = page.content.decode()
        assert "张伟" in text and "现场照片" in text

    def test_officer_gets_404_for_another_organs_timeline(self, officer_a, data):
        client = client_for(officer_a)
        page = client.get(timeline_url(CASE_B))
        assert page.status_code == 404
        assert "王强" not in page.content.decode()
        api = client.get(f"/api/v1/records/objects/{CASE_B.object_type}/{CASE_B.object_id}/entries")
        assert api.status_code == 200 and api.json()["items"] == []

    def test_officer_cannot_reach_another_organs_evidence(self, officer_a, data):
        client = client_for(officer_a)
        ev_b = data["ev_b"]
        assert client.get(reverse("records:evidence_file", args=[ev_b.pk])).status_code == 404
        assert client.get(f"/api/v1/records/evidence/{ev_b.pk}").status_code == 404
        listed = client.get("/api/v1/records/evidence").json()["items"]
        assert [e["id"] for e in listed] == [data["ev_a"].pk]
        page = client.get(reverse("records:evidence_list")).content.decode()
        assert "现场照片" in page and "乙局照片" not in page
        export = client.get(reverse("records:export", args=["cases.case", "200"]))
        assert export.status_code == 404

    def test_officer_downloads_own_evidence(self, officer_a, data):
        response = client_for(officer_a).get(
            reverse("records:evidence_file", args=[data["ev_a"].pk])
        )
        assert response.status_code == 200
        assert response["Content-Type"] == "image/png"
        assert response.getvalue().startswith(b"\x89PNG")

    def test_officer_may_not_browse_entries(self, officer_a, data):
        client = client_for(officer_a)
        assert client.get(reverse("records:entry_list")).status_code == 403
        assert client.get("/api/v1/records/entries").status_code == 403

    def test_organ_head_browses_own_organ_only(self, head_a, data, organ_a):
        client = client_for(head_a)
        items = client.get("/api/v1/records/entries").json()["items"]
        assert {i["organ_id"] for i in items} == {organ_a.pk}
        page = client.get(reverse("records:entry_list")).content.decode()
        assert "嘉兴市市场监督管理局" in page and "嘉善县市场监督管理局" not in page


@pytest.mark.django_db
class TestSupervisorScope:
    def test_city_supervisor_sees_the_whole_subtree(
        self, supervisor_city, data, organ_a, organ_b, organ_c
    ):
        items = client_for(supervisor_city).get("/api/v1/records/entries?limit=100").json()["items"]
        assert {i["organ_id"] for i in items} == {organ_a.pk, organ_b.pk, organ_c.pk}
        assert {i["actor_name"] for i in items} == {"张伟", "王强", "李娜"}

    def test_county_supervisor_sees_only_the_county(self, supervisor_county_c, data, organ_c):
        client = client_for(supervisor_county_c)
        items = client.get("/api/v1/records/entries?limit=100").json()["items"]
        assert {i["organ_id"] for i in items} == {organ_c.pk}
        assert client.get(timeline_url(CASE_A)).status_code == 404
        assert (
            client.get(reverse("records:evidence_file", args=[data["ev_b"].pk])).status_code == 404
        )
        page = client.get(reverse("records:entry_list")).content.decode()
        assert "李娜" in page and "张伟" not in page and "王强" not in page

    def test_filters_by_organ_region_action_and_date(self, supervisor_city, data, organ_b):
        client = client_for(supervisor_city)

        def organs(query: str) -> set[int]:
            return {
                i["organ_id"]
                for i in client.get(f"/api/v1/records/entries?limit=100&{query}").json()["items"]
            }

        assert organs(f"organ={organ_b.pk}") == {organ_b.pk}
        assert organs("region=330421") == {organ_b.pk}
        assert len(client.get("/api/v1/records/entries?action=evidence.add").json()["items"]) == 2
        assert organs("date_from=2000-01-01&date_to=2000-12-31") == set()
        page = client.get(reverse("records:entry_list"), {"actor": "officer_b"}).content.decode()
        assert "王强" in page and "张伟" not in page

    def test_bad_filter_is_named_not_a_500(self, supervisor_city, data):
        client = client_for(supervisor_city)
        api = client.get("/api/v1/records/entries?region=abc&date_from=yesterday")
        assert api.status_code == 400
        paths = {e["path"] for e in api.json()["errors"]}
        assert paths == {"query.region", "query.date_from"}
        page = client.get(reverse("records:entry_list"), {"region": "abc"})
        assert page.status_code == 200 and "region" in page.content.decode()

    def test_supervisor_sees_another_organs_timeline_in_the_subtree(self, supervisor_city, data):
        page = client_for(supervisor_city).get(timeline_url(CASE_B))
        assert page.status_code == 200 and "王强" in page.content.decode()


@pytest.mark.django_db
def test_anonymous_is_sent_to_login_and_refused_by_the_api(client, data):
    assert client.get(timeline_url(CASE_A)).status_code == 302
    assert client.get(reverse("records:entry_list")).status_code == 302
    assert client.get("/api/v1/records/entries").status_code == 401


@pytest.mark.django_db
def test_navigation_links_to_the_record(supervisor_city, officer_a):
    home = client_for(supervisor_city).get(reverse("core:home")).content.decode()
    assert reverse("records:entry_list") in home
    officer_home = client_for(officer_a).get(reverse("core:home")).content.decode()
    assert reverse("records:evidence_list") in officer_home


@pytest.mark.django_db
def test_list_pages_do_not_query_per_row(
    supervisor_city, officer_a, organ_a, record, django_assert_max_num_queries, frozen_clock
):
    record(officer_a, organ_a, 40)
    for n in range(5):
        add_evidence(**evidence_kwargs(officer_a, title=f"照片{n}"))
    client = client_for(supervisor_city)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("records:entry_list")).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("records:evidence_list")).status_code == 200

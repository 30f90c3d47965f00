"""Officers: ID numbers checked and kept inside the organ; scope on pages and API."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from zhifa.core.testing import client_for, make_organ
from zhifa.registry import services
from zhifa.registry.models import Officer, SubjectType

from .conftest import ID_A, make_id


@pytest.mark.django_db
class TestIdNumber:
    def test_bad_check_character_names_the_field(self, organ_a, actor):
        bad = ID_A[:-1] + ("0" if ID_A[-1] != "0" else "1")
        with pytest.raises(ValidationError) as exc:
            services.save_officer(organ=organ_a, name="x", id_number=bad, actor=actor)
        assert list(exc.value.message_dict) == ["id_number"]
        assert Officer.objects.count() == 0

    def test_stored_compact_and_upper_case(self, organ_a, actor):
        number = make_id("33042419950430245")  # ends in X
        assert number.endswith("X")
        officer = services.save_officer(
            organ=organ_a, name="x", id_number=number.lower(), actor=actor
        )
        assert officer.id_number == number

    def test_shown_to_own_organ_only(
        self, person_a, officer_a, head_a, supervisor_city, admin_user
    ):
        url = reverse("registry:officer_detail", args=[person_a.pk])
        for user in (officer_a, head_a):
            client = client_for(user)
            assert person_a.id_number in client.get(url).content.decode()
            assert client.get(f"/api/v1/officers/{person_a.pk}").json()["id_number"] == ID_A
        for user in (supervisor_city, admin_user):
            client = client_for(user)
            page = client.get(url)
            assert page.status_code == 200 and person_a.id_number not in page.content.decode()
            assert client.get(f"/api/v1/officers/{person_a.pk}").json()["id_number"] is None
            listing = client.get("/api/v1/officers").content.decode()
            assert person_a.id_number not in listing
            assert (
                person_a.id_number
                not in client.get(reverse("registry:officer_list")).content.decode()
            )
        edit = client_for(supervisor_city).get(reverse("registry:officer_edit", args=[person_a.pk]))
        assert person_a.id_number not in edit.content.decode()


@pytest.mark.django_db
class TestScope:
    def test_other_organs_officers_are_not_found(self, person_a, person_b, officer_a):
        client = client_for(officer_a)
        assert client.get(reverse("registry:officer_detail", args=[person_b.pk])).status_code == 404
        assert client.get(f"/api/v1/officers/{person_b.pk}").status_code == 404
        names = [o["name"] for o in client.get("/api/v1/officers").json()["items"]]
        assert names == [person_a.name]
        page = client.get(reverse("registry:officer_list")).content.decode()
        assert person_a.name in page and person_b.name not in page

    def test_head_cannot_edit_another_organs_officer(self, person_b, head_a):
        client = client_for(head_a)
        assert client.get(reverse("registry:officer_edit", args=[person_b.pk])).status_code == 404
        api = client.patch(
            f"/api/v1/officers/{person_b.pk}", {"post": "x"}, content_type="application/json"
        )
        assert api.status_code == 404

    def test_officer_role_cannot_register_officers(self, officer_a, organ_a):
        client = client_for(officer_a)
        assert client.get(reverse("registry:officer_create")).status_code == 403
        api = client.post(
            "/api/v1/officers",
            {"organ_id": organ_a.pk, "name": "x", "id_number": ID_A},
            content_type="application/json",
        )
        assert api.status_code == 403

    def test_supervisor_sees_region(self, person_a, person_b, supervisor_city, supervisor_county_c):
        names = {
            o["name"] for o in client_for(supervisor_city).get("/api/v1/officers").json()["items"]
        }
        assert names == {person_a.name, person_b.name}
        assert client_for(supervisor_county_c).get("/api/v1/officers").json()["items"] == []


@pytest.mark.django_db
class TestRegister:
    def test_head_registers_through_the_page(self, head_a, organ_a):
        response = client_for(head_a).post(
            reverse("registry:officer_create"),
            {"organ": organ_a.pk, "name": "新人", "kind": "officer", "id_number": ID_A},
        )
        assert response.status_code == 302
        assert Officer.objects.get().name == "新人"

    def test_page_shows_the_field_error(self, head_a, organ_a):
        response = client_for(head_a).post(
            reverse("registry:officer_create"),
            {"organ": organ_a.pk, "name": "新人", "kind": "officer", "id_number": "123"},
        )
        assert response.status_code == 200
        assert "身份号码" in response.content.decode() and Officer.objects.count() == 0

    def test_head_cannot_register_into_another_organ(self, head_a, organ_b):
        response = client_for(head_a).post(
            "/api/v1/officers",
            {"organ_id": organ_b.pk, "name": "x", "id_number": ID_A},
            content_type="application/json",
        )
        assert response.status_code == 404 and Officer.objects.count() == 0

    def test_api_error_names_the_field(self, head_a, organ_a):
        body = (
            client_for(head_a)
            .post(
                "/api/v1/officers",
                {"organ_id": organ_a.pk, "name": "x", "id_number": "330421"},
                content_type="application/json",
            )
            .json()
        )
        assert body["status"] == 400 and body["errors"][0]["path"] == "body.id_number"

    def test_no_officers_for_internal_units(self, organ_a, regions, actor):
        unit = make_organ("法规处", regions["330400"], SubjectType.INTERNAL_UNIT, parent=organ_a)
        with pytest.raises(ValidationError) as exc:
            services.save_officer(organ=unit, name="x", id_number=ID_A, actor=actor)
        assert "organ" in exc.value.message_dict

    def test_training_and_exams(self, person_a, head_a):
        client = client_for(head_a)
        client.post(
            reverse("registry:officer_training", args=[person_a.pk]),
            {"year": 2025, "hours": "24.5", "topic": "行政处罚法"},
        )
        client.post(
            reverse("registry:officer_training", args=[person_a.pk]), {"year": 2025, "hours": "16"}
        )
        client.post(
            reverse("registry:officer_exam", args=[person_a.pk]),
            {"taken_on": "2025-11-15", "name": "执法资格考试", "score": "88", "passed": "on"},
        )
        assert services.training_hours_by_year(person_a) == {2025: 40.5}
        html = client.get(reverse("registry:officer_detail", args=[person_a.pk])).content.decode()
        assert "40.5" in html and "执法资格考试" in html


@pytest.mark.django_db
def test_training_and_exam_through_the_api(person_a, head_a, officer_a):
    client = client_for(head_a)
    assert (
        client.post(
            f"/api/v1/officers/{person_a.pk}/trainings",
            {"year": 2025, "hours": "12"},
            content_type="application/json",
        ).status_code
        == 201
    )
    assert (
        client.post(
            f"/api/v1/officers/{person_a.pk}/exams",
            {"taken_on": "2025-11-15", "name": "考试", "score": "90", "passed": True},
            content_type="application/json",
        ).status_code
        == 201
    )
    assert person_a.trainings.get().hours == 12 and person_a.exams.get().passed
    assert (
        client_for(officer_a)
        .post(
            f"/api/v1/officers/{person_a.pk}/trainings",
            {"year": 2025, "hours": "1"},
            content_type="application/json",
        )
        .status_code
        == 403
    )


@pytest.mark.django_db
def test_supervisor_edits_an_officer_without_seeing_the_id_number(
    person_a, supervisor_city, organ_a
):
    response = client_for(supervisor_city).post(
        reverse("registry:officer_edit", args=[person_a.pk]),
        {
            "organ": organ_a.pk,
            "name": person_a.name,
            "kind": "officer",
            "post": "副科长",
            "active": "on",
        },
    )
    assert response.status_code == 302
    person_a.refresh_from_db()
    assert person_a.post == "副科长" and person_a.id_number == ID_A


@pytest.mark.django_db
def test_filter_certificates_ending_soon(person_a, person_b, supervisor_city, today):
    from datetime import timedelta

    from zhifa.registry.models import Certificate

    Certificate.objects.filter(officer=person_b).update(valid_to=today + timedelta(days=20))
    client = client_for(supervisor_city)
    names = [o["name"] for o in client.get("/api/v1/officers?expiring_within=30").json()["items"]]
    assert names == [person_b.name]
    page = client.get(reverse("registry:officer_list"), {"expiring_within": "30"}).content.decode()
    assert person_b.name in page and person_a.name not in page
    assert client.get("/api/v1/officers?expiring_within=0").status_code == 400


@pytest.mark.django_db
def test_user_account_must_belong_to_the_officers_organ(person_a, officer_a, officer_b, actor):
    services.save_officer(person_a, user=officer_a, actor=actor)
    assert officer_a.officer == person_a
    with pytest.raises(ValidationError) as exc:
        services.save_officer(person_a, user=officer_b, actor=actor)
    assert "user" in exc.value.message_dict


@pytest.mark.django_db
def test_rate_limit_windows_are_cleaned_up(db):
    from zhifa.registry.models import RateLimitBucket

    assert services.rate_limit_hit("k", 5, now=60.0)
    assert services.rate_limit_hit("k", 5, now=61.0)
    assert services.rate_limit_hit("k", 5, now=185.0)
    assert list(RateLimitBucket.objects.values_list("window", "count")) == [(3, 1)]


@pytest.mark.django_db
def test_the_rate_limit_slides(db):
    """A client cannot double the limit at a window's edge: the previous minute's
    requests still count, in proportion to how much of that minute is in the last 60 s."""
    for _ in range(5):
        assert services.rate_limit_hit("edge", 5, now=59.0)
    assert not services.rate_limit_hit("edge", 5, now=61.0)
    # Half a minute later half of the previous minute still counts: 5 * 0.5 + 2 > 5.
    assert services.rate_limit_hit("edge", 5, now=90.0)  # 2.5 + 2 (the refused one counts)
    assert not services.rate_limit_hit("edge", 5, now=90.5)
    # Two minutes later the old requests are forgotten.
    assert all(services.rate_limit_hit("edge", 5, now=180.0 + i) for i in range(5))

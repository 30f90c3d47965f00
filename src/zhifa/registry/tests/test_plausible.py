"""Issue #13 item 5: negative training hours and exam scores, an exam dated in year 9999
and an exam name that shows nothing are refused naming the field, through the API and
the pages alike (the model's validators, checked by the registry service)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from zhifa.core.testing import client_for
from zhifa.core.validation import validate_not_negative
from zhifa.registry.forms import ExamForm

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("trainings", {"year": 2025, "hours": "-12"}, "hours"),
        ("exams", {"taken_on": "2025-11-15", "name": "考试", "score": "-5"}, "score"),
        ("exams", {"taken_on": "9999-12-31", "name": "考试", "score": "90"}, "taken_on"),
        ("exams", {"taken_on": "0001-01-01", "name": "考试"}, "taken_on"),
        ("exams", {"taken_on": "2025-11-15", "name": "\u200b "}, "name"),
    ],
)
def test_the_api_refuses_implausible_training_and_exams(
    person_a, head_a, frozen_clock, path, body, field
):
    response = client_for(head_a).post(
        f"/api/v1/officers/{person_a.pk}/{path}", body, content_type="application/json"
    )
    assert response.status_code == 400, response.json()
    assert [e["path"] for e in response.json()["errors"]] == [f"body.{field}"]
    assert not person_a.trainings.exists() and not person_a.exams.exists()


def test_the_exam_page_refuses_a_negative_score(person_a, head_a, frozen_clock):
    """The page goes back to the officer with "Not saved" and the field's error."""
    response = client_for(head_a).post(
        reverse("registry:officer_exam", args=[person_a.pk]),
        {"taken_on": "2025-11-15", "name": "执法资格考试", "score": "-1"},
    )
    with translation.override(settings.LANGUAGE_CODE):
        with pytest.raises(ValidationError) as refused:
            validate_not_negative(-1)
        expected = f"{ExamForm().fields['score'].label}: {refused.value.messages[0]}"
    assert any(expected in str(m) for m in get_messages(response.wsgi_request)), expected
    assert not person_a.exams.exists()


@pytest.mark.parametrize("name", ["   ", "\u200b", "\u3000\u200d", "\ufeff "])
def test_an_officer_named_with_nothing_visible_is_refused(head_a, organ_a, name):
    from zhifa.registry.models import Officer

    from .conftest import ID_A

    response = client_for(head_a).post(
        "/api/v1/officers",
        {"organ_id": organ_a.pk, "name": name, "id_number": ID_A},
        content_type="application/json",
    )
    assert response.status_code == 400, response.json()
    assert [e["path"] for e in response.json()["errors"]] == ["body.name"]
    assert not Officer.objects.exists()


@pytest.mark.parametrize("name", ["  ", "\u200b\u200c"])
def test_a_law_named_with_nothing_visible_is_refused(supervisor_city, justice_city, name):
    from zhifa.catalogue.models import Law

    body = {
        "name": name,
        "level": "law",
        "issuing_body": "全国人民代表大会常务委员会",
        "valid_from": "2021-07-15",
    }
    response = client_for(supervisor_city).post("/api/v1/laws", body, "application/json")
    assert response.status_code == 400, response.json()
    assert [e["path"] for e in response.json()["errors"]] == ["body.name"]
    assert not Law.objects.exists()


def test_a_required_form_text_that_shows_nothing_is_not_given():
    """The forms' text check (``core.forms.TextCheckedMixin``): Django strips white
    space, not zero-width characters."""
    from zhifa.registry.forms import ExamForm

    form = ExamForm({"taken_on": "2025-11-15", "name": "\u200b\u2060"})
    assert not form.is_valid() and "name" in form.errors
    assert ExamForm({"taken_on": "2025-11-15", "name": "执法资格考试"}).is_valid()

"""The party's consent to electronic service and its rating through the API (issue #16
item 6): the same services and checks as the pages, the credentials in the body, errors
in the one shape, nothing written on a refusal."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from zhifa.cases.tests.conftest import People, Walker
from zhifa.party import services
from zhifa.party.models import ConductRating, ServiceConsent
from zhifa.records.models import Entry

from .conftest import decided

pytestmark = pytest.mark.django_db

CONSENT = {"signed_name": "张三", "address": "zhangsan@example.cn", "agree": True}


def _api(path: str, body: dict[str, Any]) -> Any:
    return Client().post(
        "/api/v1/party/case" + path, json.dumps(body), content_type="application/json"
    )


def _creds(walk: Walker, people: People) -> dict[str, str]:
    code = services.reissue_code(walk.case, actor=people.officer_user)
    return {"number": walk.case.registration_number, "code": code}


def _paths(response: Any) -> list[str]:
    return [e["path"] for e in response.json()["errors"]]


def test_the_party_consents_to_electronic_service(
    notified_walk: Walker, people: People, today: Any
) -> None:
    creds = _creds(notified_walk, people)
    assert _api("", creds).json()["electronic_service_consent"] is False
    given = _api("/consent", {**creds, **CONSENT})
    assert given.status_code == 201, given.content
    assert given.json() == {
        "signed_name": "张三",
        "address": "zhangsan@example.cn",
        "given_on": today.isoformat(),
    }
    consent = ServiceConsent.objects.get()
    assert consent.access.case_id == notified_walk.case.pk
    entry = Entry.objects.get(action="party.consent")
    assert entry.actor_id == consent.access.principal_id
    assert _api("", creds).json()["electronic_service_consent"] is True
    assert services.has_consent(notified_walk.case)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"agree": False}, "body.agree"),
        ({"signed_name": "  "}, "body.signed_name"),
        ({"address": "a\x1bb"}, "body.address"),
        ({"address": "x" * 201}, "body.address"),
    ],
)
def test_a_consent_without_agreement_or_a_bad_field_is_named_and_not_recorded(
    notified_walk: Walker, people: People, today: Any, change: dict[str, Any], field: str
) -> None:
    refused = _api("/consent", {**_creds(notified_walk, people), **CONSENT, **change})
    assert refused.status_code == 400, refused.content
    assert refused.json()["code"] == "invalid" and field in _paths(refused)
    assert not ServiceConsent.objects.exists()
    assert not Entry.objects.filter(action="party.consent").exists()


def test_a_consent_with_a_wrong_code_is_401_and_not_recorded(
    notified_walk: Walker, people: People, today: Any
) -> None:
    creds = _creds(notified_walk, people)
    wrong = _api("/consent", {**creds, "code": "0" * 12, **CONSENT})
    assert wrong.status_code == 401 and wrong.json()["code"] == "wrong_code"
    unknown = _api("/consent", {**creds, "number": "no-such-case", **CONSENT})
    assert unknown.status_code == 401 and unknown.json()["message"] == wrong.json()["message"]
    assert not ServiceConsent.objects.exists()


def test_consents_past_the_platforms_bound_are_409(
    notified_walk: Walker, people: People, today: Any, settings: Any
) -> None:
    settings.ZHIFA_PARTY_RATE_LIMIT = 100
    creds = _creds(notified_walk, people)
    for i in range(services.MAX_PARTY_STEPS):
        given = _api("/consent", {**creds, **CONSENT, "address": f"a{i}@example.cn"})
        assert given.status_code == 201, given.content
    refused = _api("/consent", {**creds, **CONSENT})
    assert refused.status_code == 409 and refused.json()["code"] == "refused"
    assert ServiceConsent.objects.count() == services.MAX_PARTY_STEPS


def test_the_party_rates_a_decided_case_once(walk: Walker, people: People, today: Any) -> None:
    decided(walk)
    creds = _creds(walk, people)
    rated = _api("/rating", {**creds, "score": 4, "comment": "办案人员态度很好"})
    assert rated.status_code == 201, rated.content
    assert rated.json() == {"score": 4, "rated_on": today.isoformat()}
    rating = ConductRating.objects.get()
    assert (rating.case_id, rating.score, rating.comment) == (walk.case.pk, 4, "办案人员态度很好")
    assert Entry.objects.filter(action="party.rating").count() == 1
    assert _api("", creds).json()["rated"] == {"score": 4, "rated_on": today.isoformat()}
    again = _api("/rating", {**creds, "score": 1})
    assert again.status_code == 400 and _paths(again) == ["body.score"]
    assert again.json()["message"] == "本案已评价，每案只能评价一次。"
    assert ConductRating.objects.get().score == 4
    assert Entry.objects.filter(action="party.rating").count() == 1


def test_no_rating_before_the_decision(notified_walk: Walker, people: People, today: Any) -> None:
    refused = _api("/rating", {**_creds(notified_walk, people), "score": 5})
    assert refused.status_code == 400 and refused.json()["code"] == "invalid"
    assert _paths(refused) == ["body.score"]
    # The service's reason, the page's words (the site's language: zh-hans).
    assert (
        refused.json()["message"]
        == refused.json()["errors"][0]["message"]
        == "案件作出决定后方可评价。"
    )
    assert not ConductRating.objects.exists()
    assert not Entry.objects.filter(action="party.rating").exists()


@pytest.mark.parametrize("score", [0, 6, -1, True, 4.5, None])
def test_a_score_out_of_range_is_named_and_not_recorded(
    walk: Walker, people: People, today: Any, score: Any
) -> None:
    decided(walk)
    refused = _api("/rating", {**_creds(walk, people), "score": score})
    assert refused.status_code == 400, refused.content
    assert _paths(refused) == ["body.score"], refused.json()
    assert not ConductRating.objects.exists()


def test_a_rating_with_a_wrong_code_is_401_and_not_recorded(
    walk: Walker, people: People, today: Any
) -> None:
    decided(walk)
    creds = _creds(walk, people)
    wrong = _api("/rating", {**creds, "code": "0" * 12, "score": 5})
    assert wrong.status_code == 401 and wrong.json()["code"] == "wrong_code"
    assert not ConductRating.objects.exists()

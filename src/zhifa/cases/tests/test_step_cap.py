"""A case takes no step beyond the engine's cap on a case file (issue 13): a case whose
steps are added one at a time could otherwise pass ``limits.MAX_STEPS`` and then no
longer be exported, audited or imported. ``add_step`` refuses the step, naming the
limit, with nothing written: 400 on ``body.step`` in the API, an error on the step form.
The tests lower the cap to the steps of a short case instead of adding 2,000."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from zhifa.cases import services
from zhifa.cases.actions.add_step import _check_step_cap
from zhifa.core.testing import client_for
from zhifa.rules.engine import limits

from .conftest import D, People, Walker
from .test_ui_support import post_step, written

pytestmark = pytest.mark.django_db


@pytest.fixture
def at_cap(walk: Walker, people: People, monkeypatch: pytest.MonkeyPatch) -> Walker:
    """A registered case, the engine's cap lowered to its number of steps."""
    walk(services.register_case, actor=people.head_user, on=D("2026-03-03"), by=[people.o1])
    monkeypatch.setattr(limits, "MAX_STEPS", walk.n)
    return walk


def test_the_cap_is_the_engines() -> None:
    assert limits.MAX_STEPS == 2_000
    _check_step_cap(limits.MAX_STEPS - 1)  # the 2,000th step is taken
    with pytest.raises(ValidationError) as exc:
        _check_step_cap(limits.MAX_STEPS)  # the 2,001st is not
    assert exc.value.message_dict["step"] == [
        "案卷最多 2000 个步骤，本案已有 2000 个：不能再添加步骤。"
    ]


def test_the_service_refuses_the_step_past_the_cap(at_cap: Walker, people: People) -> None:
    count = at_cap.n
    before = written()
    with pytest.raises(ValidationError) as exc:
        at_cap(
            services.record_investigation,
            on=D("2026-03-04"),
            officers=[people.o1, people.o2],
            evidence=["documentary"],
        )
    assert exc.value.error_dict["step"][0].code == "too_many_steps"
    assert f"案卷最多 {count} 个步骤" in exc.value.messages[0]
    assert written() == before


def test_below_the_cap_the_same_step_is_taken(
    at_cap: Walker, people: People, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(limits, "MAX_STEPS", at_cap.n + 1)
    saved = at_cap(
        services.record_investigation,
        on=D("2026-03-04"),
        officers=[people.o1, people.o2],
        evidence=["documentary"],
    )
    assert saved.index == limits.MAX_STEPS - 1


def test_the_api_answers_400_on_the_step(at_cap: Walker, people: People) -> None:
    before = written()
    response = client_for(people.officer_user).post(
        f"/api/v1/cases/{at_cap.case.pk}/steps",
        {
            "step": "investigation",
            "on": "2026-03-04",
            "expected_steps": at_cap.n,
            "officers": [people.o1.pk, people.o2.pk],
            "evidence": ["documentary"],
        },
        content_type="application/json",
    )
    assert response.status_code == 400, response.json()
    body = response.json()
    assert body["code"] == "invalid"
    assert [e["path"] for e in body["errors"]] == ["body.step"]
    assert f"案卷最多 {at_cap.n} 个步骤" in body["errors"][0]["message"]
    assert written() == before


def test_the_step_form_shows_the_limit(at_cap: Walker, people: People) -> None:
    before = written()
    response = post_step(
        client_for(people.officer_user),
        at_cap.case,
        "investigation",
        on="2026-03-04",
        officers=[people.o1.pk, people.o2.pk],
        evidence=["documentary"],
    )
    assert response.status_code == 400
    assert response.context["form"].non_field_errors() == [
        f"案卷最多 {at_cap.n} 个步骤，本案已有 {at_cap.n} 个：不能再添加步骤。"
    ]
    assert written() == before

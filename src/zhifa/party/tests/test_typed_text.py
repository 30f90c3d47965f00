"""What the party types (its statement, its consent's name and address, its rating's
comment) holds no bidirectional control (U+202E) and no control character but tab and
line breaks: refused naming the field, on the page, in the API and in the service,
nothing written (``core.validation.typed_text_problem``)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from zhifa.cases.tests.conftest import Walker
from zhifa.party import services
from zhifa.party.models import ConductRating, PartyAccess, ServiceConsent

from .conftest import decided

pytestmark = pytest.mark.django_db

RLO = "\u202e"


def _access(walk: Walker) -> tuple[PartyAccess, str]:
    code = services.reissue_code(walk.case, actor=walk.p.officer_user)
    return PartyAccess.objects.select_related("case__organ", "principal").get(case=walk.case), code


@pytest.mark.parametrize("char", [RLO, "\u200e", "\u200f", "\u202a", "\u2066", "\x1b"])
def test_the_statement_is_refused_on_its_field(
    notified_walk: Walker, today: dt.date, char: str
) -> None:
    access, _code = _access(notified_walk)
    before = notified_walk.n
    with pytest.raises(services.PartyRefusal) as refused:
        services.file_statement(access, statement="罚款" + char + "100元过重", today=today)
    assert refused.value.field == "statement" and f"U+{ord(char):04X}" in refused.value.text
    assert notified_walk.n == before


def test_the_page_and_the_api_name_the_statement(notified_walk: Walker) -> None:
    _access_row, code = _access(notified_walk)
    case = notified_walk.case
    before = notified_walk.n
    api = Client().post(
        "/api/v1/party/case/statement",
        json.dumps({"number": case.registration_number, "code": code, "statement": RLO + "陈述"}),
        content_type="application/json",
    )
    assert api.status_code == 400 and api.json()["errors"][0]["path"] == "body.statement"
    assert "U+202E" in api.json()["errors"][0]["message"]
    client = Client()
    assert (
        client.post("/party/", {"number": case.registration_number, "code": code}).status_code
        == 302
    )
    page = client.post("/party/case/statement/", {"statement": "陈述" + RLO})
    assert page.status_code == 400
    assert "U+202E" in page.context["statement_form"].errors["statement"][0]
    assert notified_walk.n == before


def test_consent_and_rating_refuse_it_on_their_fields(walk: Walker, today: dt.date) -> None:
    decided(walk)
    access, _code = _access(walk)
    for field in ("signed_name", "address"):
        values = {"signed_name": "张三", "address": "a@b.cn", field: "张" + RLO + "三"}
        with pytest.raises(ValidationError) as refused:
            services.give_consent(access, today=today, agreed=True, **values)
        assert list(refused.value.message_dict) == [field]
    with pytest.raises(ValidationError) as refused:
        services.rate_conduct(access, score=5, comment="很好" + RLO, today=today, decided=True)
    assert list(refused.value.message_dict) == ["comment"]
    assert not ServiceConsent.objects.exists() and not ConductRating.objects.exists()

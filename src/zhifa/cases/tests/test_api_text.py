"""Text that is not text (NUL, control characters, lone surrogates) in a case's
sections is refused naming the field, on every database (issue 13, item 4): NUL used
to be a 500 on PostgreSQL and was stored silently on SQLite."""

from __future__ import annotations

import pytest

from zhifa.cases.models import Case
from zhifa.catalogue.models import PowerItem
from zhifa.core.testing import client_for

from .conftest import BASIS, PARTY, People, counts
from .test_api_write import _open


@pytest.mark.parametrize("bad", ["\x00", "\ud800", "\x1b[31m"])
@pytest.mark.parametrize(
    ("section", "field", "base"), [("party", "name", PARTY), ("basis", "law", BASIS)]
)
def test_bad_text_in_a_case_is_refused_naming_the_field(
    power_item: PowerItem, people: People, bad: str, section: str, field: str, base: dict
) -> None:
    before = counts()
    body = {**base, field: f"某{bad}某"}
    response = _open(client_for(people.officer_user), **{section: body})
    assert response.status_code == 400, response.content[:300]
    errors = response.json()["errors"]
    assert f"body.{section}.{field}" in [e["path"] for e in errors]
    assert all(e["message"] for e in errors)
    assert counts() == before and Case.objects.count() == 0

"""``zhifa records verify`` compares each matter with its entries (``recorded.py``): the
services' changes pass; a field changed or a matter deleted outside them fails, naming
the matter and the field."""

from __future__ import annotations

import pytest

from zhifa.accountability import services
from zhifa.accountability.models import Matter
from zhifa.cases.models import Case
from zhifa.records.tests.test_tamper_suite import run_verify

pytestmark = pytest.mark.django_db


@pytest.fixture
def concluded(revoked_case: Case, supervisor_city) -> Matter:
    services.open_from_remedies()
    return services.conclude_matter(
        Matter.objects.get(),
        actor=supervisor_city,
        substantiated=True,
        stages=["decision"],
        measures=["corrected"],
        finding="决定认定事实不清。",
        public_summary="决定认定事实不清，依法纠正。",
    )


def test_the_services_changes_pass(concluded: Matter) -> None:
    code, text = run_verify()
    assert code == 0, text


@pytest.mark.parametrize(
    ("field", "value"),
    [("finding", "改过的认定。"), ("measures", ["public_notice"]), ("status", "open")],
)
def test_a_field_changed_outside_the_services_fails(
    concluded: Matter, field: str, value: object
) -> None:
    Matter.objects.filter(pk=concluded.pk).update(**{field: value})
    code, text = run_verify()
    assert code == 1, text
    assert f"accountability matter {concluded.pk} (ID {concluded.pk}): {field} differs" in text


def test_a_deleted_matter_fails(concluded: Matter) -> None:
    Matter.objects.filter(pk=concluded.pk).delete()
    code, text = run_verify()
    assert code == 1 and "was deleted" in text, text

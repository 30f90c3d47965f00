"""In headless Chromium at 390 and 1280 px: the supervisor clicks "audit this case" on
the case page and reads the findings and deadlines with their rule IDs and citations.
No page scrolls sideways."""

from __future__ import annotations

from typing import Any

import pytest

from zhifa.cases.models import AuditItem
from zhifa.rules.engine import RULES
from zhifa.supervision.tests.conftest import width
from zhifa.supervision.tests.test_warnings import opened_today

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("viewport", [390, 1280])
def test_the_supervisor_audits_a_case_in_one_click(
    signed_in: Any,
    organ_a: Any,
    power_item: Any,
    people: Any,
    supervisor_city: Any,
    frozen_clock: Any,
    viewport: int,
) -> None:
    case = opened_today(organ_a, power_item, people)
    AuditItem.objects.filter(case=case).delete()
    page = signed_in(supervisor_city.username, viewport)
    page.goto(f"/cases/{case.pk}/")
    assert width(page, f"case-audit-button-{viewport}") <= viewport
    page.click("#audit-case button")
    page.wait_for_selector("#case-audit-lead")
    text = page.inner_text("main")
    assert "REG-decision" in text and RULES["REG-decision"].citation in text
    assert "立即审查" not in text and "案件审查" in text
    assert width(page, f"case-audit-result-{viewport}") <= viewport
    assert AuditItem.objects.filter(case=case, rule="REG-decision").exists()

"""Interference tests reuse the case fixtures (organ A's general case opened by
``officer_a``, its people, the city's justice bureau) and add the people around it."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from zhifa.accounts.models import Role, User
from zhifa.cases.models import Case
from zhifa.cases.tests import conftest as cases_conftest
from zhifa.core.testing import TEST_PASSWORD, make_user
from zhifa.registry.models import EnforcementSubject
from zhifa.supervision import services
from zhifa.supervision.models import Interference

power_item = cases_conftest.power_item
people = cases_conftest.people
general_case = cases_conftest.general_case
walk = cases_conftest.walk


@pytest.fixture
def deputy(organ_a: EnforcementSubject) -> User:
    """A second head of organ A: the leader who interferes."""
    return make_user("deputy_a", Role.ORGAN_HEAD, organ=organ_a, full_name="钱副局长")


@pytest.fixture
def colleague(people: Any) -> User:
    """An officer of organ A who is not an officer of the case (host_a)."""
    return User.objects.get(username="host_a")


def when(frozen_clock: dt.datetime, days: int = 3) -> dt.datetime:
    return timezone.localtime(frozen_clock) - dt.timedelta(days=days)


def record_kwargs(frozen_clock: dt.datetime, **kw: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "occurred_at": when(frozen_clock),
        "source": "internal_leader",
        "person_name": "钱某",
        "person_unit": "嘉兴市市场监督管理局",
        "person_position": "副局长",
        "method": "phone",
        "request": "打电话要求对该公司从轻处罚，不要罚款。",
        "response": "当场拒绝，告知将依规记录并报告。",
    }
    values.update(kw)
    return values


@pytest.fixture
def recorded(
    general_case: Case, officer_a: User, deputy: User, frozen_clock: dt.datetime
) -> Interference:
    """Organ A's case: the deputy head phoned the officer to ask for leniency."""
    return services.record_interference(
        general_case,
        actor=officer_a,
        **record_kwargs(frozen_clock, person_username="deputy_a"),
    )


#: The phone's width in CSS pixels (the browser tests' default).
PHONE = 390


@pytest.fixture
def signed_in(browser: Any, live_server: Any) -> Iterator[Callable[..., Any]]:
    """``signed_in(username, width=PHONE)``: a new page of headless Chromium ``width`` CSS
    pixels wide (at the phone's width: mobile, with touch), signed in as ``username``
    and on the work list; every context is closed after the test."""
    contexts: list[Any] = []

    def _sign_in(username: str, width: int = PHONE) -> Any:
        phone = width == PHONE
        context = browser.new_context(
            base_url=live_server.url,
            viewport={"width": width, "height": 844 if phone else 900},
            is_mobile=phone,
            has_touch=phone,
        )
        context.set_default_timeout(10_000)
        contexts.append(context)
        page = context.new_page()
        page.goto("/accounts/login/")
        page.fill("#id_username", username)
        page.fill("#id_password", TEST_PASSWORD)
        with page.expect_navigation(url=f"{live_server.url}/work/"):
            page.click("button.primary")
        return page

    yield _sign_in
    for context in contexts:
        context.close()


def width(page: Any, shot: str = "") -> int:
    """The page's width; with ``ZHIFA_SHOTS`` set, a full-page screenshot goes there.

    It waits for the page to be loaded first: right after a click that navigates, the
    document may not exist yet (``document.documentElement`` is null)."""
    page.wait_for_load_state("load")
    shots = os.environ.get("ZHIFA_SHOTS")
    if shots and shot:
        Path(shots).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(shots) / f"{shot}.png"), full_page=True)
    return int(page.evaluate("() => document.documentElement.scrollWidth"))

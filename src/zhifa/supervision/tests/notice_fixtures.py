"""Fixtures of the supervision notice tests (SUP-notice): organ A's general case, the
city's supervisor and justice bureau, and a notice issued to organ A."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from zhifa.accounts.models import User
from zhifa.cases.models import Case
from zhifa.core.testing import make_organ
from zhifa.supervision import notices
from zhifa.supervision.models import Notice


def notice_kwargs(today: dt.date, **kw: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "kind": "notice",
        "findings": "案卷中现场检查笔录未载明出示执法证件的情况。",
        "rectification": "对照《行政处罚法》第五十五条，逐案补正并建立检查笔录审核制度。",
        "deadline": today + dt.timedelta(days=21),
        "pattern": "",
    }
    values.update(kw)
    return values


@pytest.fixture
def issued(general_case: Case, supervisor_city: User, justice_city: Any, today: dt.date) -> Notice:
    """A notice of the city's supervisor to organ A about its general case."""
    return notices.issue_notice(
        actor=supervisor_city,
        organ=general_case.organ,
        cases=[general_case],
        **notice_kwargs(today),
    )


@pytest.fixture
def justice_county_c(regions: Any) -> Any:
    """海盐县司法局: the county of ``supervisor_county_c`` with a justice bureau of its own."""
    return make_organ("海盐县司法局", regions["330424"], short_name="盐司", is_justice_bureau=True)


def api_body(case: Case, today: dt.date, **kw: Any) -> dict[str, Any]:
    """The JSON body of ``POST /api/v1/supervision/notices`` about ``case`` (a
    recommendation due in 30 days), with ``kw`` changed."""
    data = {
        "organ": case.organ_id,
        "kind": "suggestion",
        "cases": [case.pk],
        "findings": "多起案件未按期送达。",
        "rectification": "建立送达台账。",
        "deadline": (today + dt.timedelta(days=30)).isoformat(),
    }
    data.update(kw)
    return data

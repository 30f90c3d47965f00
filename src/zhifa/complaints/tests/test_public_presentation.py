"""The follow-up page in Chinese: the clock's rule and citation joined by the full-width
colon (as the cases write ``rule（citation）：message``), the facts in the portal's
definition-list style."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from .conftest import file_report

pytestmark = pytest.mark.django_db


def _status(language: str) -> str:
    filed = file_report()
    client = Client(headers={"accept-language": language})
    client.cookies["django_language"] = language
    page = client.post(
        reverse("complaints:follow"),
        {"number": filed.complaint.number, "code": filed.access_code},
    )
    assert page.status_code == 200
    return page.content.decode()


def test_the_rule_is_joined_with_the_full_width_colon_in_chinese(units: None, today: Any) -> None:
    page = _status("zh-hans")
    assert "JL-complaint-ack：《" in page and "JL-complaint-ack:" not in page
    assert '<dl class="p-facts c-facts">' in page
    assert len(re.findall(r'<span class="c-rule">', page)) == 1


def test_english_keeps_the_ascii_colon(units: None, today: Any) -> None:
    page = _status("en")
    assert "JL-complaint-ack: 《" in page and "JL-complaint-ack：" not in page

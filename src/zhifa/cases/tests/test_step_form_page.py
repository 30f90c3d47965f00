"""The step form page: the officers it offers are marked when they hold no enforcement
certificate valid today (rule APL-42-qualified would refuse them in an investigation):
the officer sees it before he posts, instead of learning it from the refusal."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from zhifa.cases import services
from zhifa.core.testing import client_for

from .conftest import D, People, Walker
from .test_ui_support import post_step

pytestmark = pytest.mark.django_db

MARK = "（今日无有效执法证）"


def labels(html: str) -> dict[str, str]:
    """Each officer checkbox's label text by officer name."""
    found = re.findall(r'<input type="checkbox" name="officers"[^>]*>\s*([^<]+)</label>', html)
    return {text.split("（")[0].strip(): text.strip() for text in found}


def test_officers_without_a_valid_certificate_are_marked(walk: Walker, people: People) -> None:
    walk(services.register_case, actor=people.head_user, on=D("2026-03-03"), by=[people.o1])
    page = client_for(people.officer_user).get(
        reverse("cases:step", args=[walk.case.pk, "investigation"])
    )
    assert page.status_code == 200
    offered = labels(page.content.decode())
    assert offered["张伟"] == "张伟" and offered["李娜"] == "李娜"  # valid to 2028
    assert offered["周杰"] == "周杰" + MARK  # expired at the end of 2025
    assert offered["陈静"] == "陈静" + MARK  # holds no certificate at all


def test_a_refused_form_sums_up_its_errors_with_links(walk: Walker, people: People) -> None:
    walk(services.register_case, actor=people.head_user, on=D("2026-03-03"), by=[people.o1])
    response = post_step(
        client_for(people.officer_user), walk.case, "investigation", on="2026-13-40"
    )
    assert response.status_code == 400  # the form again, with what to correct
    html = response.content.decode()
    summary = html[
        html.index('id="error-summary"') : html.index("</div>", html.index('id="error-summary"'))
    ]
    assert "未作记录。请更正：" in summary
    assert '<a href="#id_on">' in summary  # the date, linked to its field
    assert '<a href="#id_officers">执法人员</a>' in summary  # a group of boxes: its <div>
    assert 'id="id_officers"' in html

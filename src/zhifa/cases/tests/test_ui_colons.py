"""Chinese labels end in a full-width colon (issue #10: "新状态:", "批准人: ",
"适用条款:", "全过程时间线: " had ASCII colons)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from zhifa.core.testing import client_for
from zhifa.registry.forms import CertificateStatusForm

from .conftest import Walker

pytestmark = pytest.mark.django_db


def test_form_labels_end_in_a_full_width_colon() -> None:
    with translation.override("zh-hans"):
        html = CertificateStatusForm().as_div()
    assert "新状态：</label>" in html and "新状态:" not in html


def test_the_decision_form_and_the_timeline_use_full_width_colons(walk: Walker) -> None:
    walk.until_review()
    head = client_for(walk.p.head_user)
    page = head.get(reverse("cases:step", args=[walk.case.pk, "decision"])).content.decode()
    assert "适用条款：《" in page and "批准人：" in page
    assert "适用条款:" not in page and "批准人:" not in page
    timeline = head.get(reverse("records:timeline", args=["cases.case", walk.case.pk]))
    text = timeline.content.decode()
    assert f"全过程时间线：案件 {walk.case.number}" in text and "全过程时间线:" not in text

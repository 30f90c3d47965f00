"""The demo opens the matters of the cases found wrong, once however often it runs."""

from __future__ import annotations

from io import StringIO

import pytest

from zhifa.accountability import demo
from zhifa.accountability.models import Matter
from zhifa.cases.models import Case

pytestmark = pytest.mark.django_db


def test_the_demo_opens_each_matter_once(revoked_case: Case) -> None:
    out = StringIO()
    demo.load(out)
    assert "demo: 1 accountability matter(s)" in out.getvalue()
    demo.load(out)
    assert "demo: 0 accountability matter(s)" in out.getvalue()
    assert Matter.objects.get().case == revoked_case

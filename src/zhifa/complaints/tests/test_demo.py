"""The demo filings load on the registry's demo data, once."""

from __future__ import annotations

import io
from typing import Any

import pytest

from zhifa.complaints import demo
from zhifa.complaints.models import Complaint, ComplaintStatus

pytestmark = pytest.mark.django_db


def test_the_demo_filings(today: Any) -> None:
    from zhifa.accounts import demo as accounts_demo
    from zhifa.registry import demo as registry_demo

    out = io.StringIO()
    registry_demo.load(out)
    if hasattr(accounts_demo, "load"):
        accounts_demo.load(out)
    demo.load(out)
    assert Complaint.objects.count() == 3, out.getvalue()
    assert Complaint.objects.filter(kind="complaint", subject_officer__isnull=False).exists()
    assert "access code" in out.getvalue()
    first = Complaint.objects.order_by("pk").first()
    assert first is not None and first.kind == "report"
    if first.status == ComplaintStatus.ACCEPTED:
        assert first.notes.count() == 2
    demo.load(out)
    assert "already present" in out.getvalue()

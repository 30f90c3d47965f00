"""An independent review's attacks on accountability matters: the complainant's
identity never reaches the organ concerned through the reasons a supervisor writes."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from zhifa.cases.models import Case
from zhifa.core.testing import client_for

from .. import services
from .conftest import counts, make_complaint

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("leak", ["举报人甲", "13800000000"])
def test_reasons_naming_the_complainant_are_refused(
    revoked_case: Case, supervisor_city, leak: str
) -> None:
    complaint = make_complaint(revoked_case)
    before = counts()
    with pytest.raises(ValidationError) as exc:
        services.open_matter(
            revoked_case,
            ground="complaint",
            actor=supervisor_city,
            complaint=complaint,
            reasons=f"投诉人{leak}反映执法人员未出示证件，经查属实。",
        )
    assert "reasons" in exc.value.message_dict
    assert counts() == before
    # Through the page: the error at the field, a 400, nothing written.
    response = client_for(supervisor_city).post(
        reverse("accountability:open"),
        {
            "case": revoked_case.number,
            "ground": "complaint",
            "complaint": complaint.number,
            "reasons": f"投诉人{leak}反映属实。",
        },
    )
    assert response.status_code == 400
    assert "reasons" in response.context["form"].errors
    assert counts() == before

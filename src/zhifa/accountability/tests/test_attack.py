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


@pytest.mark.parametrize(
    "ref", ["P-2026-1 · ²", "P-2026-1 · ①", "P-2026-1 · ١", "P-2026-1 · " + "9" * 30, " · 1"]
)
def test_a_matter_opened_by_hand_with_an_odd_evaluation_ref_shows_no_link_and_no_error(
    revoked_case: Case, supervisor_city, ref: str
) -> None:
    """The supervisor opens a matter on the ground of an evaluation by hand and names
    it as he likes: a "rank" that is a superscript or circled digit, an Arabic-Indic
    digit, a number no rank can be, no number: the matter's page answers (no link to a
    scored file: there is none), never a 500."""
    matter, _created = services.open_matter(
        revoked_case,
        ground="evaluation",
        actor=supervisor_city,
        evaluation_ref=ref,
        reasons="评查得零分。",
    )
    page = client_for(supervisor_city).get(reverse("accountability:detail", args=[matter.pk]))
    assert page.status_code == 200
    assert 'id="evaluation-file"' not in page.content.decode()

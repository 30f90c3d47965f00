"""An independent review's attacks on the remedies page and its Excel: digits that are
not ASCII digits, and party names read as formulas by spreadsheet programs."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from zhifa.accounts.models import User
from zhifa.core.testing import client_for

from .test_remedies import lit, make_case

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("query", "label"), [({"year": "²⁰²⁶"}, "年度"), ({"organ": "²"}, "机关")])
def test_digits_that_int_refuses_name_the_field(
    supervisor_city: User, frozen_clock: dt.datetime, query: dict[str, str], label: str
) -> None:
    client = client_for(supervisor_city)
    page = client.get(reverse("supervision:remedy_list"), query)
    assert page.status_code == 400 and f"{label}：" in page.content.decode()
    excel = client.get(reverse("supervision:remedy_excel"), query)
    assert excel.status_code == 400


def test_excel_cells_are_never_formulas(
    organ_a, officer_a: User, head_a: User, frozen_clock: dt.datetime
) -> None:
    case = make_case(organ_a, officer_a, [lit("2026-01-05", "upheld", "2026-03-01", True)])
    case.party_name = '=HYPERLINK("http://evil.example","x")'
    case.save(update_fields=["party_name"])
    response = client_for(head_a).get(reverse("supervision:remedy_excel"), {"year": "2026"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    party = sheet.cell(row=2, column=2)
    assert party.data_type == "s"
    assert party.value == "'" + case.party_name


def test_the_quarter_catalogue_cells_are_never_formulas(
    organ_a, officer_a: User, supervisor_city: User, frozen_clock: dt.datetime
) -> None:
    from zhifa.cases.models import CaseStep

    case = make_case(organ_a, officer_a, [])
    case.party_name = "=1+2"
    case.save(update_fields=["party_name"])
    CaseStep.objects.create(
        case=case, index=9, step="closed", on=dt.date(2026, 4, 8), actor=officer_a
    )
    xlsx = client_for(supervisor_city).get(
        reverse("supervision:quarter_catalogue", args=[organ_a.pk, 2026, 2])
    )
    assert xlsx.status_code == 200
    cell = load_workbook(io.BytesIO(xlsx.content)).active.cell(row=2, column=2)
    assert (cell.data_type, cell.value) == ("s", "'=1+2")


def test_the_filters_are_one_row_of_labelled_fields(
    organ_a, officer_a: User, head_a: User, frozen_clock: dt.datetime
) -> None:
    """The filters use the house's ``filters`` form (not ``form``, whose inputs take the
    whole width: the year stood alone on a row); a reconsideration's appearance is —."""
    make_case(organ_a, officer_a, [{"on": "2026-02-10", "kind": "reconsideration"}])
    html = client_for(head_a).get(reverse("supervision:remedy_list")).content.decode()
    assert '<form method="get" class="filters" id="remedy-filters">' in html
    assert '<label>年度 <input type="number" name="year"' in html
    row = html[html.index('id="remedy-rows"') :]
    assert '出庭应诉">—</td>' in row

"""An import records one entry per created or updated object, through the same
services as the forms, with the importing user; a failed import rolls its entries
back with everything else."""

from __future__ import annotations

import io

import pytest

from zhifa.catalogue.exchange import import_table
from zhifa.records.models import Entry
from zhifa.records.testing import appended, payload
from zhifa.registry.tests.conftest import ID_A, ID_B

from .test_import_export import BAD_CATEGORY, GOOD, GOOD2, OFFICER_HEADERS, xlsx


@pytest.mark.django_db
def test_import_records_each_object_with_the_importing_user(articles, organ_a, head_a):
    with appended() as entries:
        result = import_table(
            "power_items", io.BytesIO(xlsx([GOOD, GOOD2])), "p.xlsx", organ_a, head_a
        )
    assert result.ok and result.created == 2
    assert [e.action for e in entries] == ["power_item.create", "power_item.create"]
    assert {(e.organ_id, e.actor_id) for e in entries} == {(organ_a.pk, head_a.pk)}
    # Importing the same file again changes nothing and records nothing.
    with appended() as again:
        import_table("power_items", io.BytesIO(xlsx([GOOD, GOOD2])), "p.xlsx", organ_a, head_a)
    assert again == []


@pytest.mark.django_db
def test_failed_import_rolls_back_its_entries(articles, organ_a, head_a):
    before = Entry.objects.count()
    result = import_table(
        "power_items", io.BytesIO(xlsx([GOOD, BAD_CATEGORY, GOOD2])), "p.xlsx", organ_a, head_a
    )
    assert not result.ok
    assert Entry.objects.count() == before


@pytest.mark.django_db
def test_officer_import_records_without_id_numbers(organ_a, supervisor_city):
    rows = [
        [
            "张三",
            ID_A,
            "执法人员",
            "科员",
            "",
            "否",
            "",
            "C-0001",
            "嘉兴市人民政府",
            "2025-01-01",
            "2029-12-31",
        ],
        ["李四", ID_B, "协助执法人员", "协管员", "", "否", "", "", "", "", ""],
    ]
    with appended() as entries:
        result = import_table(
            "officers", io.BytesIO(xlsx(rows, OFFICER_HEADERS)), "o.xlsx", organ_a, supervisor_city
        )
    assert result.ok, result.errors
    assert [e.action for e in entries] == ["officer.create", "certificate.issue", "officer.create"]
    assert {e.actor_id for e in entries} == {supervisor_city.pk}
    assert payload(entries[1])["number"] == "C-0001"
    for entry in entries:
        assert ID_A not in entry.payload and ID_B not in entry.payload

from __future__ import annotations

import pytest

from zhifa.registry.divisions import current_name, divisions
from zhifa.registry.models import Region
from zhifa.registry.services import load_regions


def test_current_name_takes_the_open_period():
    assert current_name("[1983-1992]城区,[1993-2004]秀城区,[2005-]南湖区") == "南湖区"
    assert current_name("[1983-1998]郊区,[1999-]秀洲区") == "秀洲区"
    assert current_name("[1983-1991]平湖县") is None
    assert current_name("嘉善县") == "嘉善县"


def test_divisions_of_jiaxing_come_with_their_parents():
    found = {d.code: d for d in divisions("3304")}
    assert found["330000"].name == "浙江省" and found["330000"].parent_code is None
    assert found["330400"].name == "嘉兴市" and found["330400"].parent_code == "330000"
    assert found["330421"].name == "嘉善县" and found["330421"].parent_code == "330400"
    assert "330422" not in found  # 平湖县 was abolished in 1991
    assert "330401" not in found  # 市辖区 placeholder


def test_municipality_districts_hang_below_the_province():
    found = {d.code: d for d in divisions("1101")}
    assert found["110101"].parent_code == "110000"


@pytest.mark.django_db
def test_load_regions_is_idempotent_and_builds_paths():
    first = load_regions("3304")
    assert first >= 9
    assert load_regions("3304") == 0
    county = Region.objects.get(code="330421")
    assert county.path == "330000/330400/330421/"
    assert [r.code for r in county.ancestors()] == ["330000", "330400", "330421"]
    city = Region.objects.get(code="330400")
    assert set(Region.objects.subtree(city).values_list("code", flat=True)) >= {"330400", "330421"}

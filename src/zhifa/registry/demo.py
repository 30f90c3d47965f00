"""Demo registry: Jiaxing city (嘉兴市) with two counties, its justice bureau and a
few organs. Region codes and names come from python-stdnum's GB/T 2260 data."""

from __future__ import annotations

from typing import TextIO

from .models import EnforcementSubject, Region, SubjectType
from .services import load_regions

CITY = "330400"
COUNTY_A = "330421"  # 嘉善县
COUNTY_B = "330424"  # 海盐县

#: (key, name, short name, type, region code, parent key, justice bureau)
ORGANS = [
    ("justice", "嘉兴市司法局", "嘉司", SubjectType.STATUTORY, CITY, None, True),
    ("amr", "嘉兴市市场监督管理局", "嘉市监", SubjectType.STATUTORY, CITY, None, False),
    ("cle", "嘉兴市综合行政执法局", "嘉综执", SubjectType.STATUTORY, CITY, None, False),
    ("amr_a", "嘉善县市场监督管理局", "善市监", SubjectType.STATUTORY, COUNTY_A, None, False),
    ("cle_b", "海盐县综合行政执法局", "盐综执", SubjectType.STATUTORY, COUNTY_B, None, False),
    (
        "entrusted_b",
        "海盐县武原街道综合行政执法队",
        "武原执法队",
        SubjectType.ENTRUSTED,
        COUNTY_B,
        "cle_b",
        False,
    ),
    ("amr_unit", "嘉兴市市场监督管理局法规处", "", SubjectType.INTERNAL_UNIT, CITY, "amr", False),
]


def organs() -> dict[str, EnforcementSubject]:
    """The demo organs by key (after ``load``)."""
    names = {key: name for key, name, *_ in ORGANS}
    found = {o.name: o for o in EnforcementSubject.objects.filter(name__in=names.values())}
    return {key: found[name] for key, name in names.items() if name in found}


def load(out: TextIO) -> None:
    load_regions("3304")
    regions = {r.code: r for r in Region.objects.filter(code__in=[CITY, COUNTY_A, COUNTY_B])}
    made: dict[str, EnforcementSubject] = {}
    for key, name, short, subject_type, region_code, parent_key, justice in ORGANS:
        organ, _created = EnforcementSubject.objects.update_or_create(
            region=regions[region_code],
            name=name,
            defaults={
                "short_name": short,
                "subject_type": subject_type,
                "parent": made.get(parent_key) if parent_key else None,
                "is_justice_bureau": justice,
                "active": True,
            },
        )
        made[key] = organ
    out.write(f"demo: {Region.objects.count()} regions, {len(made)} organs\n")

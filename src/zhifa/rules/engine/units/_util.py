"""Small helpers shared by the rule units."""

import datetime as dt

from ..casefile import CaseFile
from ..workdays import add_years


def yuan(amount: float) -> str:
    """An amount as it appears in a message: ``10000`` or ``150.5``."""
    return str(int(amount)) if float(amount).is_integer() else f"{amount:.2f}".rstrip("0")


def names(case: CaseFile, ids: list[str] | tuple[str, ...] | set[str]) -> str:
    out = []
    for officer_id in sorted(ids):
        officer = case.officer(officer_id)
        out.append(officer.name if officer else officer_id)
    return "、".join(out)


def names_en(case: CaseFile, ids: list[str] | tuple[str, ...] | set[str]) -> str:
    out = []
    for officer_id in sorted(ids):
        officer = case.officer(officer_id)
        out.append(f"{officer.name} ({officer_id})" if officer else officer_id)
    return ", ".join(out)


def age_on(birth: dt.date, day: dt.date) -> int:
    """Completed years of age on ``day``. A person reaches N years of age from the day
    after the N-th birthday (the rule Chinese courts apply to 周岁)."""
    years = day.year - birth.year
    while years > 0 and add_years(birth, years) >= day:
        years -= 1
    return max(years, 0)

"""Small helpers shared by the rule units."""

import datetime as dt
from collections.abc import Callable, Iterable

from ..casefile import CaseFile, Officer, Step
from ..catalogue import Context, NamesTable
from ..workdays import add_years


def yuan(amount: float) -> str:
    """An amount as it appears in a message: ``10000`` or ``150.5``."""
    kind = type(amount)
    if kind is int:
        return int.__repr__(amount)  # str(int(amount))
    if kind is float:
        return str(int(amount)) if amount.is_integer() else f"{amount:.2f}".rstrip("0")
    return str(int(amount)) if float(amount).is_integer() else f"{amount:.2f}".rstrip("0")


def officers_by_id(case: CaseFile) -> dict[str, Officer]:
    """The case's officers by id, the first of each (``case.officer``'s index, built on
    the first look-up): ``officers_by_id(case).get`` is ``case.officer`` without a Python
    call per look-up."""
    by_id = case._officers_by_id
    if by_id is None:
        case.officer("")  # builds and keeps the index
        by_id = case._officers_by_id
        assert by_id is not None
    return by_id


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


def names_table(
    ctx: Context, kinds: tuple[str, ...], field: Callable[[Step], Iterable[str]]
) -> NamesTable:
    """The officer ids ``field`` names on the steps of ``kinds``, by the first step that
    names each (built once per audit: linear in the steps): an id is named before step
    ``i`` when its ``first`` index is below ``i``."""
    key = ("names_table", kinds, field)
    memo = ctx._memo  # ``ctx.memo``, written out (no closure per call; asked per step)
    table: NamesTable | None = memo.get(key)  # type: ignore[assignment]
    if table is None:
        table = memo[key] = NamesTable.of(ctx._index[kinds], field)
    return table


def assigned(step: Step) -> tuple[str, ...]:
    return (*step.by, *step.officers)


def approver_of(step: Step) -> tuple[str, ...]:
    return (step.approved_by,) if step.approved_by else ()


def host_of(step: Step) -> tuple[str, ...]:
    return (step.host,) if step.host else ()


#: the steps that name the case's investigators: the officers the registration assigns
#: (``registered.by``, the case handlers) and those the investigation steps name
#: (``assigned``), as REVIEW-independent counts them
INVESTIGATING = ("registered", "investigation")

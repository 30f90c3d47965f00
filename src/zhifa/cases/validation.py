"""Plausibility of a case's sections (party, violation, legal basis, the day it is
opened): one check for every entry point. ``actions.opening.open_case`` (the pages, the
API and the demo go through it) refuses what it finds with a ``ValidationError`` keyed
by the field's path (``violation.discovered_on``), the opening form shows the same
messages at its fields, and the import (``casefile.import_bound_errors``) refuses a file
with them. The bounds are ``core.validation``'s (dates from 1949-10-01 to today, amounts
below 10^12 yuan, names that show something)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext as _
from stdnum.cn import ric
from stdnum.exceptions import ValidationError as StdnumError

from zhifa.core.validation import (
    SCHEDULE_MARGIN_DAYS,
    amount_problem,
    date_problem,
    name_problem,
)

Problem = tuple[tuple[str, ...], str]


def _date(value: Any) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


def _birth_date_of(id_number: Any) -> dt.date | None:
    """The birth date an ID number (GB 11643) carries, or ``None`` when it is not one."""
    if not isinstance(id_number, str) or not id_number:
        return None
    try:
        return ric.get_birth_date(ric.validate(id_number))  # type: ignore[no-any-return]
    except (StdnumError, ValueError):
        return None


def party_problems(party: Mapping[str, Any], today: dt.date) -> list[Problem]:
    problems: list[Problem] = []
    name = party.get("name")
    if isinstance(name, str) and (problem := name_problem(name)):
        problems.append((("party", "name"), problem))
    born = _date(party.get("birth_date"))
    from_id = _birth_date_of(party.get("id_number"))
    if born is not None and (problem := date_problem(born, today=today)):
        problems.append((("party", "birth_date"), problem))
    elif from_id is not None and (problem := date_problem(from_id, today=today)):
        problems.append((("party", "id_number"), problem))
    elif born is not None and from_id is not None and born != from_id:
        problems.append(
            (
                ("party", "birth_date"),
                _("The birth date %(born)s does not match the ID number, which says %(id)s.")
                % {"born": born.isoformat(), "id": from_id.isoformat()},
            )
        )
    return problems


def violation_problems(violation: Mapping[str, Any], today: dt.date) -> list[Problem]:
    problems: list[Problem] = []
    for key in ("occurred_on", "ended_on", "discovered_on"):
        if problem := date_problem(violation.get(key), today=today):
            problems.append((("violation", key), problem))
    if problems:
        return problems
    occurred = _date(violation.get("occurred_on"))
    ended = _date(violation.get("ended_on"))
    discovered = _date(violation.get("discovered_on"))
    if occurred and discovered and discovered < occurred:
        problems.append(
            (
                ("violation", "discovered_on"),
                _("The violation cannot be discovered before it occurred."),
            )
        )
    if occurred and ended and ended < occurred:
        problems.append((("violation", "ended_on"), _("The conduct cannot end before it began.")))
    return problems


def basis_problems(
    basis: Mapping[str, Any], section: str = "basis", *, names: tuple[str, ...] = ("law",)
) -> list[Problem]:
    problems: list[Problem] = []
    for key in names:
        value = basis.get(key)
        if isinstance(value, str) and (problem := name_problem(value)):
            problems.append(((section, key), problem))
    for key in ("fine_min", "fine_max"):
        if problem := amount_problem(basis.get(key)):
            problems.append(((section, key), problem))
    return problems


def case_problems(
    *,
    party: Mapping[str, Any],
    violation: Mapping[str, Any],
    basis: Mapping[str, Any],
    benchmark: Mapping[str, Any] | None = None,
    on: dt.date | None = None,
    today: dt.date,
) -> list[Problem]:
    """Every implausible value of a case's sections, with its path: dates before
    1949-10-01 or after today (the day opened, the violation's days, the party's birth),
    a violation discovered before it occurred or ended before it began, a birth date
    that is not the ID number's, a name that shows nothing or holds control characters,
    an amount that is not finite, negative or 10^12 yuan or more."""
    problems: list[Problem] = []
    if on is not None and (problem := date_problem(on, today=today)):
        problems.append((("on",), problem))
    problems.extend(party_problems(party, today))
    problems.extend(violation_problems(violation, today))
    problems.extend(basis_problems(basis))
    if benchmark:
        problems.extend(basis_problems(benchmark, "benchmark", names=()))
    return problems


def step_problems(data: Mapping[str, Any], today: dt.date) -> list[Problem]:
    """Every implausible value of a step's fields (``data``: the format's fields, dates
    as ISO text): a date before 1949-10-01 or more than ``SCHEDULE_MARGIN_DAYS`` after
    today (a hearing is scheduled ahead, a payment period ends ahead; nothing a year
    away), an amount that is not finite, negative or 10^12 yuan or more (``amount``,
    ``penalties[].amount``, ``intended[].amount`` …: ``AMOUNT_FIELDS`` at any depth)."""
    problems: list[Problem] = []
    for key, value in data.items():
        if not (isinstance(value, str) and len(value) == 10):
            continue  # dates are ISO text in the format: YYYY-MM-DD
        if problem := date_problem(value, today=today, ahead_days=SCHEDULE_MARGIN_DAYS):
            problems.append(((key,), problem))
    problems.extend(_amount_problems(data, ()))
    return problems


#: The fields of the format that hold an amount of money, wherever they are.
AMOUNT_FIELDS = frozenset({"amount", "fine_min", "fine_max"})


def _amount_problems(value: Any, path: tuple[str, ...]) -> list[Problem]:
    """The implausible amounts under ``value`` (``amount``, ``penalties[].amount``,
    ``intended[].amount``, a benchmark's ``fine_min``/``fine_max`` …), with their paths."""
    found: list[Problem] = []
    if isinstance(value, Mapping):
        for key, item in value.items():
            if key in AMOUNT_FIELDS and (problem := amount_problem(item)):
                found.append(((*path, str(key)), problem))
            elif isinstance(item, Mapping | list):
                found.extend(_amount_problems(item, (*path, str(key))))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            found.extend(_amount_problems(item, (*path, str(index))))
    return found


# --- completeness of a step taken through the workflow ---------------------------------------


def refusal_problems(data: Mapping[str, Any]) -> list[Problem]:
    """The 送达回证 of a refusal to sign (``served`` with ``signed_by: refused``) is
    complete when it names a witness with their unit or identity, or the photo or video
    recording of the service: 《中华人民共和国民事诉讼法》第八十九条 (留置送达), which
    APL 61 applies to the decision's service, and 《市场监督管理行政处罚程序规定》第八十二条.

    This is the completeness of what is typed in, checked where the step is taken (the
    case pages and the API, through ``actions.add_step``), not a rule of the rules
    engine: the catalogue (legal-rules.md) has no rule ID for it (APL-61-service says
    only that a refusal is recorded), and an imported file keeps what it recorded."""
    problems: list[Problem] = []
    content = data.get("content")
    content = content if isinstance(content, Mapping) else {}
    witnesses = content.get("witnesses")
    rows = [w for w in witnesses if isinstance(w, Mapping)] if isinstance(witnesses, list) else []
    named = [w for w in rows if str(w.get("name") or "").strip()]
    if data.get("signed_by") == "refused":
        recording = str(content.get("recording") or "").strip()
        if not named and not recording:
            problems.append(
                (
                    ("content", "witnesses"),
                    _(
                        "The recipient refused to sign: name at least one witness with their "
                        "unit or identity, or describe the photo or video recording of the "
                        "service (民事诉讼法第八十九条)."
                    ),
                )
            )
    for index, row in enumerate(rows):
        if str(row.get("name") or "").strip() and not str(row.get("unit") or "").strip():
            problems.append(
                (
                    ("content", "witnesses", str(index), "unit"),
                    _("Give the witness's unit or identity."),
                )
            )
    return problems


#: The completeness checks of the steps that have one (``completeness_problems``).
_COMPLETENESS = {"served": refusal_problems}


def completeness_problems(step: str, data: Mapping[str, Any]) -> list[Problem]:
    """What a step taken through the workflow lacks (``actions.add_step``: the pages and
    the API; not the import, whose file keeps what it recorded): paths as the step's
    fields (``content.witnesses``)."""
    check = _COMPLETENESS.get(step)
    return check(data) if check is not None else []

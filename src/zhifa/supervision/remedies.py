"""The remedies read model (issue #18 item 3): the reconsiderations and litigations
against the decisions of the organs in a user's scope, read from the cases' stored
``remedy_filed`` steps (one query, whatever the number of cases: no case file is parsed
or audited again), grouped into proceedings and counted per organ and year by the rules
engine (``rules.engine.remedy_rates``: the formulas, JX-court-appearance's thresholds).

Who sees what: the users of an organ (officer, legal reviewer, head) their organ, a
supervisor the organs of their region, an administrator their scope (``core.scope``);
the public nothing. Used by the remedies page, its Excel export, the API and the
supervisor's warning model ``court_appearance``."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import asdict, dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhifa.cases.models import CaseStep
from zhifa.core.roles import ORGAN_ROLES, Role
from zhifa.core.scope import Everyone, scoped, visible_organs
from zhifa.registry.models import EnforcementSubject
from zhifa.rules.engine import remedy_rates as rates

from .models import RemedyRates

#: Who may see the page (the scope narrows the rows).
ROLES = (*ORGAN_ROLES, Role.SUPERVISOR, Role.ADMINISTRATOR)
FIRST_YEAR = 1990  # the Administrative Litigation Law took effect on 1990-10-01


@dataclass(frozen=True)
class Organ:
    pk: int
    name: str
    level: str
    region_code: str


@dataclass(frozen=True)
class Row:
    """One proceeding of a case (the page's row)."""

    case_id: int
    case_number: str
    party: str
    organ: Organ
    proceeding: rates.Proceeding


@dataclass(frozen=True)
class OrganRates:
    organ: Organ
    rates: rates.YearRates


@dataclass(frozen=True)
class Filters:
    year: int | None = None
    organ: int | None = None
    kind: str = ""
    result: str = ""


def parse_filters(raw: Any, today: dt.date) -> Filters:
    """The filters of a query string (a ``QueryDict`` or a mapping); a bad value is a
    ``ValidationError`` naming its parameter."""
    problems: dict[str, list[str]] = {}
    year: int | None = None
    organ: int | None = None
    text = (raw.get("year") or "").strip()
    if text:
        if not (text.isascii() and text.isdigit()) or not FIRST_YEAR <= int(text) <= today.year:
            problems["year"] = [
                _("Give a year from %(first)d to %(last)d.")
                % {"first": FIRST_YEAR, "last": today.year}
            ]
        else:
            year = int(text)
    text = (raw.get("organ") or "").strip()
    if text:
        if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= 2**31 - 1:
            problems["organ"] = [_("Give the id of an organ.")]
        else:
            organ = int(text)
    kind = (raw.get("kind") or "").strip()
    if kind and kind not in rates.KINDS:
        problems["kind"] = [_("Choose reconsideration or litigation.")]
    result = (raw.get("result") or "").strip()
    if result and result not in rates.RESULTS:
        problems["result"] = [_("Choose one of the results offered.")]
    if problems:
        raise ValidationError(problems)
    return Filters(year, organ, kind, result)


def _organ(pk: int, name: str, level: str, region_level: str, region_code: str) -> Organ:
    """The organ as the rates read it: its level is its own, else its region's."""
    return Organ(pk, name, level or region_level, region_code)


def _organ_of(subject: Any) -> Organ:
    return _organ(
        subject.pk, subject.name, subject.level, subject.region.level, subject.region.code
    )


def _steps(user: Any, organ: int | None, kind: str, organs: list[int] | None = None) -> Any:
    steps = scoped(user, CaseStep.objects.filter(step="remedy_filed"), organ_field="case__organ")
    if organ is not None:
        steps = steps.filter(case__organ_id=organ)
    if organs is not None:
        steps = steps.filter(case__organ_id__in=organs)
    if kind:
        steps = steps.filter(data__kind=kind)
    return steps.values_list(*_FIELDS).order_by("case_id", "index")


#: What ``all_rows`` reads of each step, as tuples (model instances for a province's
#: remedies cost more than the query).
_FIELDS = (
    "case_id",
    "index",
    "on",
    "data",
    "case__case_id",
    "case__registration_number",
    "case__party_name",
    "case__organ_id",
    "case__organ__name",
    "case__organ__level",
    "case__organ__region__code",
    "case__organ__region__level",
)


def _remedy_step(index: int, on: dt.date, data: Any) -> rates.RemedyStep | None:
    """The step as the engine reads it; None for a step whose kind or result the format
    does not know (not counted rather than a failed page)."""
    data = data or {}
    decided = data.get("decided_on")
    result = data.get("result") or rates.PENDING
    if data.get("kind") not in rates.KINDS or result not in rates.RESULTS:
        return None
    return rates.RemedyStep(
        index,
        on,
        str(data.get("kind") or ""),
        str(result),
        dt.date.fromisoformat(decided) if isinstance(decided, str) else decided,
        data.get("head_appeared"),
    )


def all_rows(
    user: Any, organ: int | None = None, kind: str = "", organs: list[int] | None = None
) -> list[Row]:
    """Every proceeding in ``user``'s scope (of ``organ``, of ``kind``, of the organs
    ``organs``): one query."""
    by_case: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
    for step in _steps(user, organ, kind, organs):
        by_case[step[0]].append(step)
    out: list[Row] = []
    seen: dict[int, Organ] = {}
    for steps in by_case.values():
        (
            case_pk,
            _i,
            _on,
            _d,
            case_id,
            number,
            party,
            organ_pk,
            name,
            level,
            code,
            region_level,
        ) = steps[0]
        the_organ = seen.get(organ_pk)
        if the_organ is None:
            the_organ = seen[organ_pk] = _organ(organ_pk, name, level, region_level, code)
        read = [r for r in (_remedy_step(s[1], s[2], s[3]) for s in steps) if r is not None]
        for p in rates.proceedings(read):
            out.append(Row(case_pk, number or case_id, party, the_organ, p))
    return out


def _in_year(p: rates.Proceeding, year: int) -> bool:
    """Whether a proceeding concerns ``year``: filed in it, decided in it, or pending
    through it."""
    ended = p.concluded_on
    return p.filed_on.year <= year and (ended is None or ended.year >= year)


def rows(user: Any, filters: Filters, read: list[Row] | None = None) -> list[Row]:
    """The page's rows: the proceedings in scope narrowed by the filters, latest filed
    first (``read``: ``all_rows(user, filters.organ)`` when the caller has them)."""
    found = all_rows(user, filters.organ, filters.kind) if read is None else read
    if filters.kind:
        found = [r for r in found if r.proceeding.kind == filters.kind]
    if filters.year is not None:
        found = [r for r in found if _in_year(r.proceeding, filters.year)]
    if filters.result:
        found = [r for r in found if r.proceeding.result == filters.result]
    return sorted(
        found,
        key=lambda r: (r.proceeding.filed_on, r.case_id, r.proceeding.filed_step),
        reverse=True,
    )


def organ_rates(found: list[Row], year: int) -> list[OrganRates]:
    """The counts and rates of each organ of ``found`` in ``year`` (the engine's), by
    organ name."""
    by_organ: dict[int, list[Row]] = defaultdict(list)
    for r in found:
        by_organ[r.organ.pk].append(r)
    out = []
    for group in by_organ.values():
        organ = group[0].organ
        bound = rates.threshold(organ.level, organ.name, organ.region_code, year)
        out.append(OrganRates(organ, rates.year_rates((r.proceeding for r in group), year, bound)))
    return sorted(out, key=lambda o: (o.organ.name, o.organ.pk))


def rates_for(
    user: Any, year: int, organ: int | None = None, read: list[Row] | None = None
) -> list[OrganRates]:
    """The organs' rates in ``year`` in ``user``'s scope (every kind and result;
    ``read``: ``all_rows(user, organ)`` when the caller has them)."""
    return organ_rates(all_rows(user, organ) if read is None else read, year)


def rates_of_year(
    user: Any, year: int, today: dt.date, organ: int | None = None, read: list[Row] | None = None
) -> list[OrganRates]:
    """The rates the page, its Excel and the API show: those of the organs with a
    proceeding concerning ``year`` (filed, decided or pending in it), by organ name —
    from the counts kept nightly when ``year`` is one they keep (``year_rates_of``),
    else counted from the steps (``read``: ``all_rows(user, organ)`` when the caller
    has them)."""
    if year in keep_years(today):
        found = year_rates_of(user, (year,), today, read)[year]
    else:
        found = rates_for(user, year, organ, read)
    return [
        o
        for o in found
        if (organ is None or o.organ.pk == organ) and o.rates.total != rates.KindCounts()
    ]


def check_organ(user: Any, organ: int | None) -> None:
    """Refuse an ``organ`` outside ``user``'s scope, naming the parameter."""
    if organ is None:
        return
    visible = scoped(user, EnforcementSubject.objects.filter(pk=organ), organ_field="")
    if not visible.exists():
        raise ValidationError({"organ": [_("This organ is not in your scope.")]})


# --- the counts kept nightly (the warning model ``court_appearance``) ------------------

#: A remedy recorded up to this long before the nightly count began may be missing from
#: it (its transaction not yet committed when the count read the steps): its organ is
#: counted live.
KEEP_MARGIN = dt.timedelta(minutes=2)


def _counts_json(counted: rates.YearRates) -> dict[str, Any]:
    kinds = ("reconsideration", "litigation", "total")
    return {
        **{kind: asdict(getattr(counted, kind)) for kind in kinds},
        "heard": counted.heard,
        "appeared": counted.appeared,
        "unrecorded": counted.unrecorded,
    }


def _counts_of(year: int, data: dict[str, Any]) -> rates.YearRates:
    return rates.YearRates(
        year,
        rates.KindCounts(**data["reconsideration"]),
        rates.KindCounts(**data["litigation"]),
        rates.KindCounts(**data["total"]),
        data["heard"],
        data["appeared"],
        data["unrecorded"],
    )


def keep_years(today: dt.date) -> tuple[int, int]:
    """The years whose counts are kept: the current one and the one before it (the
    years of the warning model ``court_appearance``)."""
    return today.year - 1, today.year


def keep_rates(now: dt.datetime) -> int:
    """Count the proceedings of every organ in the years ``keep_years`` (the engine's
    ``year_rates``, from every ``remedy_filed`` step: one query) and keep the counts
    (``RemedyRates``, computed at ``now``; the years counted again are overwritten).
    Returns the number of rows kept."""
    from zhifa.core.organisation import organ_model

    years = keep_years(timezone.localdate(now))
    found = all_rows(Everyone())
    by_organ: dict[int, list[rates.Proceeding]] = defaultdict(list)
    for row in found:
        by_organ[row.organ.pk].append(row.proceeding)
    kept = [
        RemedyRates(
            organ_id=pk,
            year=year,
            computed_at=now,
            counts=_counts_json(rates.year_rates(by_organ.get(pk, ()), year)),
        )
        for pk in organ_model().objects.order_by("pk").values_list("pk", flat=True)
        for year in years
    ]
    with transaction.atomic():
        RemedyRates.objects.filter(year__in=years).delete()
        RemedyRates.objects.bulk_create(kept)
    return len(kept)


def year_rates_of(
    user: Any, years: tuple[int, ...], today: dt.date, read: list[Row] | None = None
) -> dict[int, list[OrganRates]]:
    """The rates of the organs in ``user``'s scope in each of ``years`` (those of
    ``keep_years(today)``) by organ name, as ``organ_rates`` gives them: from the counts
    kept on ``today`` (``keep_rates``) for the organs with no remedy recorded since
    (less ``KEEP_MARGIN``), counted live for the others (one query for all of them).
    An organ is listed in a year when it has a proceeding concerning the year.
    ``read``: ``all_rows`` of the organs the caller asks about, when it has them (no
    second reading of the steps)."""
    organs = {o.pk: o for o in visible_organs(user).select_related("region")}
    kept: dict[int, dict[int, rates.YearRates]] = defaultdict(dict)
    since: dt.datetime | None = None
    for organ_id, year, at, data in RemedyRates.objects.filter(
        organ_id__in=list(organs), year__in=years
    ).values_list("organ_id", "year", "computed_at", "counts"):
        if timezone.localdate(at) != today:
            continue
        kept[organ_id][year] = _counts_of(year, data)
        since = at if since is None else min(since, at)
    fresh = {pk for pk, by_year in kept.items() if all(y in by_year for y in years)}
    if since is not None and fresh:
        changed = set(
            CaseStep.objects.filter(
                step="remedy_filed",
                created_at__gte=since - KEEP_MARGIN,
                case__organ_id__in=list(fresh),
            ).values_list("case__organ_id", flat=True)
        )
        fresh -= changed
    live = [pk for pk in organs if pk not in fresh]
    if read is not None:  # the caller's rows: of the organs it asks about
        wanted = set(live)
        read = [r for r in read if r.organ.pk in wanted]
    else:
        read = all_rows(user, organs=live) if live else []
    out: dict[int, list[OrganRates]] = {}
    for year in years:
        listed = [o for o in organ_rates(read, year) if o.rates.total != rates.KindCounts()]
        for pk in fresh:
            counted = kept[pk][year]
            if counted.total == rates.KindCounts():
                continue  # no proceeding of the year
            organ = _organ_of(organs[pk])
            bound = rates.threshold(organ.level, organ.name, organ.region_code, year)
            listed.append(OrganRates(organ, rates.judged(counted, bound)))
        out[year] = sorted(listed, key=lambda o: (o.organ.name, o.organ.pk))
    return out

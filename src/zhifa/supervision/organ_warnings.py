"""The warnings of the warning models that watch the registry, the catalogue and the
disclosure rather than a case's file (issue #17 item 3): certificates and entrustments
expiring, power lists not updated, the reviewer ratio, publications late.

The engine judges (``rules.engine.warning_models``: the levels, the ratio, the rules and
citations); this module only reads the rows each model needs, in one query per model
whatever the number of rows (five in all), and asks the engine.

Who sees what (as the case warnings, ``warnings``): a supervisor the organs of their
region, an organ head their organ, an officer only their own — the certificate of their
registry officer and the publications of the cases they work on (``cases.queries.mine``).
An entrustment is the entrusting organ's warning (the organ that gave it, which the
expiry task records it under)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Exists, IntegerField, Max, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse

from zhifa.accounts.models import Role, User
from zhifa.cases.models import AuditItem, AuditItemKind, Case
from zhifa.cases.queries import mine
from zhifa.catalogue.models import PowerItemWarning
from zhifa.core.scope import scoped
from zhifa.disclosure.models import Publication, PublicationStatus
from zhifa.registry.models import (
    ENFORCING_TYPES,
    Certificate,
    CertificateStatus,
    EnforcementSubject,
    Entrustment,
    EntrustmentStatus,
    Officer,
    OfficerKind,
)
from zhifa.rules.engine import filing as filing_rule
from zhifa.rules.engine import warning_models as models
from zhifa.rules.engine.publication import DISCLOSE, WITHDRAW
from zhifa.rules.engine.supervision import LEVELS, RED, YELLOW, Horizon, deadline_level

from . import filings, remedies
from .warnings import ROLES

#: The publications not yet published whose publication is still owed.
UNPUBLISHED = (
    PublicationStatus.SCHEDULED,
    PublicationStatus.AWAITING_APPROVAL,
    PublicationStatus.FAILED,
)


@dataclass(frozen=True)
class OrganWarning:
    """One warning of a model: its level and rule (with the citation), the organ (and
    officer) it belongs to, what it is about and its due day (none for the ratio)."""

    model: str
    level: str
    rule: str
    citation: str
    organ_id: int
    organ_name: str
    subject: str
    due: dt.date | None = None
    officer: str = ""
    link: str = ""
    #: the reviewer ratio's counts (reviewers, officers, reviewers needed)
    counts: tuple[int, int, int] | None = None

    def sort_key(self) -> tuple[int, dt.date, str, str]:
        return (
            LEVELS.index(self.level),  # type: ignore[arg-type]
            self.due or dt.date.max,
            self.organ_name,
            self.subject,
        )


def _sees(user: Any) -> bool:
    return getattr(user, "is_superuser", False) or getattr(user, "role", None) in ROLES


def _organ_level(user: Any) -> bool:
    """Whether ``user`` sees the organ-level models (not an officer: only their own)."""
    return getattr(user, "is_superuser", False) or getattr(user, "role", None) != Role.OFFICER


def certificates(user: Any, window: Horizon) -> list[OrganWarning]:
    """The active officers whose last certificate ends within the window or ended
    (APL-42-qualified; ``warning_models.expiry_level``)."""
    officers = scoped(
        user,
        Officer.objects.filter(active=True, kind=OfficerKind.OFFICER),
        organ_field="organ",
    )
    if not _organ_level(user):
        officers = officers.filter(user=user)
    last = Max(
        "certificates__valid_to",
        filter=Q(certificates__status__in=[CertificateStatus.VALID, CertificateStatus.EXPIRED]),
    )
    rows = (
        officers.annotate(last_day=last)
        .filter(last_day__lte=window.yellow_until)
        .select_related("organ")
        .order_by("last_day", "pk")
    )
    # The number of the certificate that ends last (a correlated subquery: one query).
    number = (
        Certificate.objects.filter(
            officer=OuterRef("pk"),
            status__in=[CertificateStatus.VALID, CertificateStatus.EXPIRED],
        )
        .order_by("-valid_to", "-pk")
        .values("number")[:1]
    )
    found = []
    for officer in rows.annotate(number=Subquery(number)):
        level = models.expiry_level(officer.last_day, window, in_use=officer.active)
        if level is None:
            continue
        found.append(
            OrganWarning(
                "certificate",
                level,
                models.CERTIFICATE,
                models.CITATIONS[models.CERTIFICATE],
                officer.organ_id,
                officer.organ.name,
                officer.number or "",
                officer.last_day,
                officer=officer.name,
                link=reverse("registry:officer_detail", args=[officer.pk]),
            )
        )
    return found


def entrustments(user: Any, window: Horizon) -> list[OrganWarning]:
    """The entrustments (not terminated) whose term ends within the window, or ended
    while the entrusted organisation is still active, with no later entrustment
    between the same organs following them (APL-20-entrustment)."""
    if not _organ_level(user):
        return []
    given = scoped(
        user,
        Entrustment.objects.exclude(status=EntrustmentStatus.TERMINATED),
        organ_field="entrusting_organ",
    )
    # The last day of the latest entrustment of each pair of organs: an earlier one
    # followed by another is not a warning.
    latest = (
        Entrustment.objects.exclude(status=EntrustmentStatus.TERMINATED)
        .filter(
            entrusting_organ=OuterRef("entrusting_organ"),
            entrusted=OuterRef("entrusted"),
        )
        .order_by("-valid_to", "-pk")
        .values("pk")[:1]
    )
    rows = (
        given.filter(valid_to__lte=window.yellow_until, pk=Subquery(latest))
        .select_related("entrusting_organ", "entrusted")
        .order_by("valid_to", "pk")
    )
    found = []
    for entrustment in rows:
        level = models.expiry_level(
            entrustment.valid_to, window, in_use=entrustment.entrusted.active
        )
        if level is None:
            continue
        number = entrustment.instrument_number
        found.append(
            OrganWarning(
                "entrustment",
                level,
                models.ENTRUSTMENT,
                models.CITATIONS[models.ENTRUSTMENT],
                entrustment.entrusting_organ_id,
                entrustment.entrusting_organ.name,
                f"{entrustment.entrusted.name}{f'（{number}）' if number else ''}",
                entrustment.valid_to,
                link=reverse("registry:entrustment_list"),
            )
        )
    return found


def power_lists(user: Any, window: Horizon) -> list[OrganWarning]:
    """The power items whose update deadline after a change of a basis article is within
    the window or passed, with no review recorded (JL-power-list-update)."""
    if not _organ_level(user):
        return []
    rows = (
        scoped(
            user,
            PowerItemWarning.objects.filter(
                reviewed_on__isnull=True, deadline__lte=window.yellow_until
            ),
            organ_field="power_item__subject",
        )
        .select_related("power_item__subject")
        .order_by("deadline", "pk")
    )
    found = []
    for warning in rows:
        level = deadline_level(models.POWER_LIST, warning.deadline, warning.reviewed_on, window)
        if level is None:
            continue
        item = warning.power_item
        found.append(
            OrganWarning(
                "power_list",
                level,
                models.POWER_LIST,
                models.CITATIONS[models.POWER_LIST],
                item.subject_id,
                item.subject.name,
                f"{item.code} {item.name}",
                warning.deadline,
                link=reverse("catalogue:power_item_detail", args=[item.pk]),
            )
        )
    return found


def reviewer_ratios(user: Any, window: Horizon) -> list[OrganWarning]:
    """The organs (that enforce in their own name or as entrusted) whose active legal
    reviewers are fewer than 5% of their active enforcement officers
    (GB118-reviewer-ratio)."""
    if not _organ_level(user):
        return []
    officers = (
        Officer.objects.filter(organ=OuterRef("pk"), active=True, kind=OfficerKind.OFFICER)
        .order_by()
        .values("organ")
        .annotate(n=Count("pk"))
        .values("n")
    )
    reviewers = (
        User.objects.filter(organ=OuterRef("pk"), is_active=True, role=Role.LEGAL_REVIEWER)
        .order_by()
        .values("organ")
        .annotate(n=Count("pk"))
        .values("n")
    )
    organs = (
        scoped(
            user,
            EnforcementSubject.objects.filter(active=True, subject_type__in=ENFORCING_TYPES),
            organ_field="",
        )
        .annotate(
            officer_count=Coalesce(Subquery(officers, output_field=IntegerField()), 0),
            reviewer_count=Coalesce(Subquery(reviewers, output_field=IntegerField()), 0),
        )
        .filter(officer_count__gt=0)
        .order_by("name", "pk")
    )
    found = []
    for organ in organs:
        level = models.ratio_level(organ.reviewer_count, organ.officer_count)
        if level is None:
            continue
        found.append(
            OrganWarning(
                "reviewer_ratio",
                level,
                models.REVIEWER_RATIO,
                models.CITATIONS[models.REVIEWER_RATIO],
                organ.pk,
                organ.name,
                f"{organ.reviewer_count} / {organ.officer_count}",
                counts=(
                    organ.reviewer_count,
                    organ.officer_count,
                    models.reviewers_needed(organ.officer_count),
                ),
            )
        )
    return found


def _audited(rule: str) -> Exists:
    """Whether the last audit of the publication's case kept a pending deadline of
    ``rule``: the case warnings show it then (``warnings.case_warnings``)."""
    return Exists(
        AuditItem.objects.filter(case=OuterRef("case"), kind=AuditItemKind.DEADLINE, rule=rule)
    )


def publications(user: Any, window: Horizon) -> list[OrganWarning]:
    """The penalty decisions not published by their due day (GB118-disclose-decision)
    and the withdrawals not made by theirs (APL-48-withdraw), within the window or
    passed — only where the last audit of the case did not keep that deadline: the case
    warnings show those (the case audit's due day and citation), and one problem is
    counted once."""
    late = Q(status__in=UNPUBLISHED, published_on__isnull=True, due_on__lte=window.yellow_until)
    withdraw = Q(
        withdrawal_requested_on__isnull=False,
        ended_on__isnull=True,
        withdraw_due_on__lte=window.yellow_until,
    )
    rows = scoped(user, Publication.objects.filter(late | withdraw), organ_field="organ")
    if not _organ_level(user):
        rows = rows.filter(case__in=Case.objects.filter(mine(user)).values("pk"))
    rows = (
        rows.select_related("organ", "case")
        .defer("document_pdf", "summary", "search_text", "failures")
        .annotate(audited_disclose=_audited(DISCLOSE), audited_withdraw=_audited(WITHDRAW))
        .order_by("due_on", "pk")
    )
    found = []
    for p in rows:
        checks: list[tuple[str, dt.date | None, dt.date | None]] = []
        if p.status in UNPUBLISHED and p.published_on is None and not p.audited_disclose:
            checks.append((DISCLOSE, p.due_on, None))
        if (
            p.withdrawal_requested_on is not None
            and p.withdraw_due_on is not None
            and not p.audited_withdraw
        ):
            checks.append((WITHDRAW, p.withdraw_due_on, p.ended_on))
        for rule, due, done in checks:
            if due is None:
                continue
            level = deadline_level(rule, due, done, window)
            if level is None:
                continue
            found.append(
                OrganWarning(
                    "publication",
                    level,
                    rule,
                    models.CITATIONS[rule],
                    p.organ_id,
                    p.organ.name,
                    p.case.number,
                    due,
                    link=reverse("disclosure:organ_detail", args=[p.pk]),
                )
            )
    return found


def major_filings(user: Any, window: Horizon) -> list[OrganWarning]:
    """The major decisions whose document catalogue is not filed with the justice bureau
    and is due within the window or overdue (NA-major-filing; ``filings.major_rows``)."""
    if not _organ_level(user):
        return []
    found = []
    for row in filings.major_rows(user, window.today, unfiled=True):
        if row.filed_on is not None:
            continue
        level = filing_rule.filing_level(row.due, None, window)
        if level is None:
            continue
        found.append(
            OrganWarning(
                "major_filing",
                level,
                filing_rule.MAJOR_FILING,
                filing_rule.CITATION,
                row.case.organ_id,
                row.case.organ.name,
                row.case.number,
                row.due,
                link=reverse("supervision:filing_list"),
            )
        )
    return found


def court_appearances(user: Any, window: Horizon) -> list[OrganWarning]:
    """The organs whose heads' court appearance stands below the requirement that binds
    them (JX-court-appearance; ``remedy_rates``): yellow in the current year, red in the
    year before it. The counts the nightly job kept, live for the organs with a remedy
    recorded since (``remedies.year_rates_of``)."""
    if not _organ_level(user):
        return []
    today = window.today
    by_year = remedies.year_rates_of(user, remedies.keep_years(today), today)
    out = []
    for year, level in ((today.year, YELLOW), (today.year - 1, RED)):
        for organ_rates in by_year[year]:
            judged = organ_rates.rates
            if not judged.below or judged.threshold is None:
                continue
            bound = judged.threshold
            wanted = (
                f"≥ {bound.percent}%" if bound.percent is not None else f"≥ {bound.minimum_count}"
            )
            out.append(
                OrganWarning(
                    "court_appearance",
                    level,
                    models.COURT,
                    bound.citation,
                    organ_rates.organ.pk,
                    organ_rates.organ.name,
                    f"{year}: {judged.appeared} / {judged.heard} ({wanted})",
                    link=reverse("supervision:remedy_list")
                    + f"?year={year}&organ={organ_rates.organ.pk}",
                )
            )
    return out


#: The readers of the models, in the order the page lists them.
READERS = (
    certificates,
    entrustments,
    power_lists,
    reviewer_ratios,
    court_appearances,
    publications,
    major_filings,
)


def organ_warnings(user: Any, window: Horizon) -> list[OrganWarning]:
    """Every warning of the models in ``user``'s scope on ``window.today``, red first,
    then by due day (the ratio last), organ and subject: one query per model."""
    if not _sees(user):
        return []
    found = [w for read in READERS for w in read(user, window)]
    return sorted(found, key=OrganWarning.sort_key)


def narrowed(
    found: Iterable[OrganWarning], level: str = "", organ: int | None = None, rule: str = ""
) -> list[OrganWarning]:
    """``found`` narrowed by the list's filters."""
    return [
        w
        for w in found
        if (not level or w.level == level)
        and (organ is None or w.organ_id == organ)
        and (not rule or w.rule == rule)
    ]

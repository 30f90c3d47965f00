"""Publishing the annual statistics (GB118-annual-report): the only writer of
``Publication``. Publishing freezes the figures the read model gives on the day
(``queries``) in a snapshot row and records it in the organ's chain, in one
transaction. A correction republishes with its reason: a new version; the old one stays
readable."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from zhifa.records.canonical import canonical_json, sm3_hex
from zhifa.records.services import append_entry
from zhifa.registry.models import EnforcementSubject

from . import policy, queries
from .models import Publication

MAX_REASON = 1000


def snapshot_digest(figures: dict[str, Any], lists: dict[str, list[int]]) -> str:
    """SM3 of the snapshot's figures and lists (canonical JSON)."""
    return sm3_hex(canonical_json({"figures": figures, "lists": lists}).encode())


def publish(organ: EnforcementSubject, year: int, *, actor: Any, reason: str = "") -> Publication:
    """Publish ``organ``'s statistics of ``year`` as they stand today (the first
    version), or republish them with ``reason`` (a correction). Refusals: 404 outside
    the actor's scope, 403 for a user who is not the organ's head (``policy``), a
    ``ValidationError`` naming ``year`` or ``reason``."""
    policy.enforce_publish(actor, organ)
    today = timezone.localdate()
    policy.check_publish_year(year, today)
    reason = reason.strip()
    if len(reason) > MAX_REASON:
        raise ValidationError({"reason": [_("At most %(n)s characters.") % {"n": MAX_REASON}]})
    organs = EnforcementSubject.objects.filter(pk=organ.pk)
    try:
        with transaction.atomic():
            last = Publication.objects.filter(organ=organ, year=year).aggregate(v=Max("version"))[
                "v"
            ]
            if last is not None and not reason:
                raise ValidationError(
                    {
                        "reason": [
                            _(
                                "The statistics of %(year)s were published already: give "
                                "the reason for the correction."
                            )
                            % {"year": year}
                        ]
                    }
                )
            figures = queries.figures_of(organs, year)
            lists = queries.lists_of(organs, year)
            counts = figures.counts()
            if any(len(lists[key]) != counts[key] for key in queries.LIST_KEYS):
                raise ValidationError(  # the two queries of one transaction disagree
                    {"year": [_("The figures changed while they were counted; try again.")]}
                )
            data = figures.to_json()
            digest = snapshot_digest(data, lists)
            publication = Publication.objects.create(
                organ=organ,
                year=year,
                version=(last or 0) + 1,
                figures=data,
                lists=lists,
                digest=digest,
                reason=reason if last is not None else "",
                published_on=today,
                published_at=timezone.now(),
                published_by=actor,
            )
            append_entry(
                actor=actor,
                organ=organ,
                action="statistics.publish" if last is None else "statistics.correct",
                obj=publication,
                payload=recorded_values(publication),
            )
    except IntegrityError as exc:  # another publication of the same version won
        raise ValidationError(
            {"year": [_("The statistics were published meanwhile; reload and try again.")]}
        ) from exc
    return publication


#: The fields of a publication its entry records (``recorded.py`` compares them).
RECORDED_FIELDS = ("organ", "year", "version", "digest", "reason", "published_on")


def recorded_values(publication: Publication) -> dict[str, Any]:
    return {
        "organ": publication.organ_id,
        "year": publication.year,
        "version": publication.version,
        "digest": publication.digest,
        "reason": publication.reason,
        "published_on": publication.published_on.isoformat(),
        "decisions": publication.figures["penalty"]["decisions"],
    }

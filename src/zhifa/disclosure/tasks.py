"""Background tasks of the disclosure (run by ``zhifa worker``; no cron: the sweep is a
``core.schedule`` job). Each is idempotent: it acts only on a publication still in the
state it was queued for, so a task run twice, or a sweep beside it, changes nothing
twice. A task that fails for a passing reason (the case changed meanwhile, the database
was busy) leaves the publication as it was: the next sweep tries it again."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django_tasks import task


@task()
def publish_publication(pk: int) -> dict[str, Any]:
    from .models import Publication
    from .services import publish

    publication = Publication.objects.filter(pk=pk).first()
    if publication is None:
        return {"publication": pk, "status": "missing"}
    done = publish(publication, on=timezone.localdate())
    return {"publication": pk, "status": done.status}


@task()
def withdraw_publication(pk: int) -> dict[str, Any]:
    from .models import Publication
    from .services import withdraw

    publication = Publication.objects.filter(pk=pk).first()
    if publication is None:
        return {"publication": pk, "status": "missing"}
    done = withdraw(publication, on=timezone.localdate())
    return {"publication": pk, "status": done.status}


@task()
def sweep_publications() -> dict[str, Any]:
    """Publish what is scheduled, withdraw what was asked, take down what reached the
    end of its publication period (DISC-period)."""
    from .services import sweep

    today = timezone.localdate()
    return {"as_of": today.isoformat(), **sweep(today)}

"""Background tasks of the dashboard (run by ``zhifa worker``)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django_tasks import task


@task()
def snapshot_warnings() -> dict[str, Any]:
    """Keep today's case warnings of every organ (``figures.snapshot``) for the
    dashboard's trend: nightly, after the sweep refreshed the stored findings and
    deadlines. Idempotent: a day written again is overwritten."""
    from .figures import snapshot

    today = timezone.localdate()
    return {"as_of": today.isoformat(), "organs": snapshot(today)}


@task()
def refresh_figures() -> dict[str, Any]:
    """Compute and keep every organ's case figures of this year (``figures.refresh``):
    nightly, so the dashboard reads a row per organ instead of counting every case of
    the province on each request. Idempotent: a year computed again is overwritten."""
    from .figures import refresh

    now = timezone.now()
    year = timezone.localdate(now).year
    return {"year": year, "organs": refresh(year, now), "computed_at": now.isoformat()}

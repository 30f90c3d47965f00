"""Background tasks of the dashboard (run by ``zhifa worker``)."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django_tasks import task


@task()
def snapshot_warnings() -> dict[str, Any]:
    """Count today's case warnings of the organs whose cases were audited since their
    last count of the day, or not counted today (``figures.count_warnings``): every
    few minutes, so the dashboard reads a row per organ instead of counting the stored
    findings and deadlines of a province on each request; the last count of each day is
    its trend. Idempotent: an organ counted again is overwritten."""
    from .figures import count_warnings

    today = timezone.localdate()
    return {"as_of": today.isoformat(), "organs": count_warnings(today)}


@task()
def refresh_figures() -> dict[str, Any]:
    """Compute and keep every organ's case figures of this year (``figures.refresh``):
    nightly, so the dashboard reads a row per organ instead of counting every case of
    the province on each request. Idempotent: a year computed again is overwritten."""
    from .figures import refresh

    now = timezone.now()
    year = timezone.localdate(now).year
    return {"year": year, "organs": refresh(year, now), "computed_at": now.isoformat()}

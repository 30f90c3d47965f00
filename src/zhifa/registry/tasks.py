"""Background tasks of the registry (run by ``zhifa worker``)."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task


@task()
def expire_registrations() -> dict[str, int]:
    """Expire the certificates and entrustments whose term ended and list them in the
    day's public clean-up notice (清理公告); as ``zhifa registry expire``."""
    from .services import expire_due

    notice = expire_due(timezone.localdate())
    return {
        "notice": notice.pk,
        "certificates_expired": notice.certificates_expired,
        "entrustments_expired": notice.entrustments_expired,
    }

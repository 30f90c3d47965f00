"""Background tasks of accountability (run by ``zhifa worker``)."""

from __future__ import annotations

from typing import Any

from django_tasks import task


@task()
def open_matters() -> dict[str, Any]:
    """Open an accountability matter for each case whose decision a reconsideration or
    litigation revoked or confirmed unlawful (``services.open_from_remedies``);
    idempotent: a matter is opened once per case and ground."""
    from .services import open_from_remedies

    opened = open_from_remedies()
    return {"opened": len(opened), "matters": opened[:100]}

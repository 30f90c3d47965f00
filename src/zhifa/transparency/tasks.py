"""Background task of the publication log (run by ``zhifa worker``)."""

from __future__ import annotations

import logging
from typing import Any

from django_tasks import task

logger = logging.getLogger("zhifa.transparency")


@task()
def issue_checkpoint() -> dict[str, Any]:
    """Sign the log's tree if it grew (queued after appends, and every 15 minutes). A
    tree that does not verify is not signed, and is logged as an error."""
    from .checkpoints import issue_checkpoint as issue

    outcome = issue()
    if outcome.problem:
        logger.error("transparency checkpoint: NOT SIGNED: %s", outcome.problem)
    return {
        "signed": outcome.checkpoint.size if outcome.checkpoint is not None else None,
        "problem": outcome.problem,
    }

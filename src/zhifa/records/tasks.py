"""Background tasks of the whole-process record (run by ``zhifa worker``)."""

from __future__ import annotations

import logging
from typing import Any

from django_tasks import task

logger = logging.getLogger("zhifa.records")


@task()
def sign_checkpoints() -> dict[str, Any]:
    """Sign the head of every chain that grew (as ``zhifa records checkpoint``). A chain
    that does not verify is not signed, and is logged as an error."""
    from .services import create_checkpoints

    results = create_checkpoints()
    problems = [f"{r.organ.pk}: {r.problem}" for r in results if r.problem]
    for problem in problems:
        logger.error("records checkpoint: NOT SIGNED: %s", problem)
    return {
        "chains": len(results),
        "signed": sum(1 for r in results if r.checkpoint is not None),
        "not_signed": problems,
    }


@task()
def verify_record() -> dict[str, Any]:
    """Verify every chain, its checkpoints, evidence files and the domain rows it vouches
    for (as ``zhifa records verify``); each failure is logged as an error, for the
    operators' alerting, and listed in the task's result."""
    from .verification import Problem, verify_all

    chains = 0
    problems: list[str] = []
    for report in verify_all(None, files=True):
        chains += 1
        problem = report if isinstance(report, Problem) else report.problem
        if problem is not None:
            problems.append(problem.describe())
            logger.error("records verify: TAMPERED: %s", problem.describe())
    return {"chains": chains, "ok": not problems, "problems": problems}

from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _


def _evidence_cases(user: Any) -> QuerySet[Any]:
    """The cases a user may attach evidence to: their organ's (the scope layer)."""
    from zhifa.core.scope import scoped

    from .models import Case

    return scoped(user, Case.objects.all()).order_by("-pk")


def _archived_file_digest(case: Any) -> str:
    """The SM3 of the case file as of its archiving day (``records verify`` compares it
    with the ``casefile_sm3`` of a ``case.archive`` entry written before ``case_sm3``
    was recorded: it reads today's organ name, powers and officers' roles)."""
    from zhifa.records.canonical import canonical_json, sm3_hex

    from .casefile import export_document

    return sm3_hex(canonical_json(export_document(case, as_of=case.archived_on)).encode())


def _archived_sections_digest(case: Any) -> str:
    """The SM3 of what the archived case owns (``casefile.archived_sections_digest``),
    compared with the ``case_sm3`` of its ``case.archive`` entry."""
    from .casefile import archived_sections_digest

    return archived_sections_digest(case)


class CasesConfig(AppConfig):
    name = "zhifa.cases"
    verbose_name = _("Cases")

    def ready(self) -> None:
        from zhifa.records.domain import register_archived_file_digest
        from zhifa.records.presentation import register_action_labels, register_object_titles
        from zhifa.records.targets import EvidenceTarget, register_evidence_target

        from .labels import action_labels, object_titles

        register_action_labels(action_labels())
        from zhifa.records.verification import register_file_action

        from .actions.service_receipt import ACTION as ATTACH_SCAN

        # ``records verify`` re-hashes a signed receipt's scan like an evidence file and
        # compares its row with its entry.
        register_file_action(ATTACH_SCAN)
        from zhifa.records.domain import register_recorded_object

        from .recorded import recorded_objects

        for declaration in recorded_objects():
            register_recorded_object(declaration)
        register_evidence_target(
            EvidenceTarget(
                object_type="cases.case", choices=_evidence_cases, url_name="cases:detail"
            )
        )
        register_object_titles(object_titles())
        register_archived_file_digest(_archived_file_digest, _archived_sections_digest)
        from zhifa.records.domain import CaseRecord, register_case_record

        from . import recorded

        register_case_record(
            CaseRecord(
                opened_fields=recorded.OPENED_FIELDS,
                opened_digest=recorded.opened_digest,
                opened_status=recorded.opened_status,
                status_after=recorded.status_after,
                step_officers=recorded.step_officers,
            )
        )

        import datetime as dt

        from django.db.models.signals import post_delete, post_save

        from zhifa.core.schedule import Job, register
        from zhifa.rules.models import CalendarYear

        from .tasks import enqueue_refresh_deadlines

        register(
            Job(
                "cases.refresh_deadlines",
                "zhifa.cases.tasks.refresh_deadlines",
                at=dt.time(0, 15),
                description=_("The sweep: audit every open case again (findings, deadlines)."),
            ),
            Job(
                "cases.resume_sweeps",
                "zhifa.cases.tasks.resume_sweeps",
                every=dt.timedelta(minutes=15),
                description=_("The sweep's chunks whose worker died or failed, queued again."),
            ),
        )
        # A year's holiday schedule loaded or corrected moves due dates: refresh them.
        for signal in (post_save, post_delete):
            signal.connect(
                enqueue_refresh_deadlines,
                sender=CalendarYear,
                dispatch_uid=f"cases-refresh-deadlines-{signal is post_save}",
            )

from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DisclosureConfig(AppConfig):
    name = "zhifa.disclosure"
    verbose_name = _("Disclosure")

    def ready(self) -> None:
        import datetime as dt

        from zhifa.cases.actions.add_step import register_step_listener
        from zhifa.cases.actions.disclosure import register_publisher
        from zhifa.core.schedule import Job, register
        from zhifa.records.domain import (
            RecordedObject,
            changes_of,
            register_recorded_object,
            snapshot_of,
        )
        from zhifa.records.presentation import register_action_labels, register_task_labels

        from . import services

        # cases imports no disclosure code (docs/adr/0010-app-layers.md): the decision
        # schedules its publication through the step listener; the demo publishes
        # through ``cases.services.publish_decision``.
        register_step_listener(services.on_step)
        register_publisher(services.publisher)
        register(
            Job(
                "disclosure.sweep",
                "zhifa.disclosure.tasks.sweep_publications",
                every=dt.timedelta(minutes=15),
                description=_(
                    "Publish scheduled decisions, withdraw changed ones, take down "
                    "those whose publication period ended."
                ),
            )
        )
        register_action_labels(
            {
                services.SCHEDULE: _("Publication scheduled"),
                services.APPROVE: _("Publication approved"),
                services.REJECT: _("Publication refused"),
                services.PUBLISH: _("Decision published"),
                services.FAIL: _("Publication failed"),
                services.CORRECT: _("Public text corrected"),
                services.REQUEST_WITHDRAWAL: _("Withdrawal of the publication requested"),
                services.WITHDRAW: _("Publication withdrawn"),
                services.TAKE_DOWN: _("Publication taken down"),
                services.SETTINGS: _("Disclosure settings changed"),
                "disclosure.export": _("Delivered to the credit platform (双公示)"),
            }
        )
        register_task_labels({services.TASK: _("Publication of decisions")})
        # Every state a publication shows the public is logged (zhifa.transparency):
        # ``records verify-publication`` recomputes each one's leaf from its row, and
        # finds one published but never logged. A publication that left the portal
        # keeps its proof, but no longer its content.
        from zhifa.transparency.sources import register_source

        from .models import Publication, PublicationStatus

        def leaf(object_id: str) -> bytes | None:
            # The stored document too: its digest is taken from its bytes.
            found = Publication.objects.filter(pk=int(object_id)).first()
            return found.leaf_bytes() if found is not None else None

        def logged_ids() -> list[str]:
            published = Publication.objects.filter(published_on__isnull=False)
            return [str(pk) for pk in published.values_list("pk", flat=True)]

        def still_public(object_id: str) -> bool:
            return Publication.objects.filter(
                pk=int(object_id), status=PublicationStatus.PUBLISHED
            ).exists()

        register_source(services.LOG_SOURCE, leaf, object_ids=logged_ids, is_public=still_public)
        updates = dict.fromkeys(
            (
                services.APPROVE,
                services.REJECT,
                services.PUBLISH,
                services.FAIL,
                services.CORRECT,
                services.REQUEST_WITHDRAWAL,
                services.WITHDRAW,
                services.TAKE_DOWN,
            ),
            changes_of,
        )
        register_recorded_object(
            RecordedObject(
                object_type="disclosure.publication",
                model="disclosure.Publication",
                noun="publication",
                creates={services.SCHEDULE: snapshot_of},
                updates=updates,
                fields={"case": "case_id", **{f: f for f in services.RECORDED_FIELDS}},
                title="id",
                every_row="organ_id",
            )
        )

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "zhifa.registry"
    verbose_name = _("Registry")

    def ready(self) -> None:
        import datetime as dt

        from zhifa.core.schedule import Job, register
        from zhifa.records.presentation import (
            register_action_labels,
            register_object_titles,
            register_task_labels,
        )

        from .labels import ACTION_LABELS, TASK_LABELS, object_titles

        register_action_labels(ACTION_LABELS)
        register_task_labels(TASK_LABELS)
        register_object_titles(object_titles())
        from zhifa.records.domain import register_recorded_object

        from .recorded import recorded_objects

        for declaration in recorded_objects():
            register_recorded_object(declaration)
        register(
            Job(
                "registry.expire",
                "zhifa.registry.tasks.expire_registrations",
                at=dt.time(0, 5),
                description=_("Expire ended certificates and entrustments (clean-up notice)."),
            )
        )

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "zhifa.cases"
    verbose_name = _("Cases")

    def ready(self) -> None:
        from zhifa.records.presentation import register_action_labels, register_object_titles

        from .labels import action_labels, object_titles

        register_action_labels(action_labels())
        register_object_titles(object_titles())

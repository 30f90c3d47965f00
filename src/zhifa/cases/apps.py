from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CasesConfig(AppConfig):
    name = "zhifa.cases"
    verbose_name = _("Cases")

    def ready(self) -> None:
        from zhifa.records.presentation import register_action_labels

        from .labels import action_labels

        register_action_labels(action_labels())

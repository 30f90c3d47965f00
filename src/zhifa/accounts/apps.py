from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "zhifa.accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from zhifa.records.presentation import register_action_labels

        from .services import ACTION_LABELS

        register_action_labels(ACTION_LABELS)
        from zhifa.records.domain import register_recorded_object

        from .recorded import recorded_objects

        for declaration in recorded_objects():
            register_recorded_object(declaration)

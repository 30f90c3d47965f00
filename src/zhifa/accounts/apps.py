from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "zhifa.accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from zhifa.records.presentation import register_action_labels

        from .services import ACTION_LABELS

        register_action_labels(ACTION_LABELS)

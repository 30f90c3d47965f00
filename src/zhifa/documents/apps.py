from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DocumentsConfig(AppConfig):
    name = "zhifa.documents"
    verbose_name = _("Documents")

    def ready(self) -> None:
        from zhifa.records.presentation import register_action_labels

        register_action_labels({"document.render": _("Document issued")})

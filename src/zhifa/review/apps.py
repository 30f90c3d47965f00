from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewConfig(AppConfig):
    name = "zhifa.review"
    verbose_name = _("Legal review")

    def ready(self) -> None:
        from zhifa.records.presentation import register_action_labels

        register_action_labels(
            {
                "review.submit": _("Submitted for legal review"),
                "review.complete": _("Legal review completed"),
            }
        )

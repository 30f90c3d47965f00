from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class StatisticsConfig(AppConfig):
    name = "zhifa.statistics"
    label = "statistics"
    verbose_name = _("Annual statistics")

    def ready(self) -> None:
        from zhifa.records.domain import register_recorded_object
        from zhifa.records.presentation import (
            model_titles,
            register_action_labels,
            register_object_titles,
        )

        from .labels import ACTION_LABELS
        from .models import Publication
        from .recorded import recorded_object

        register_action_labels(ACTION_LABELS)
        register_object_titles(
            {
                "statistics.publication": model_titles(
                    Publication, lambda p: f"{p.year} v{p.version}"
                )
            }
        )
        register_recorded_object(recorded_object())

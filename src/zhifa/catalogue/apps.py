from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogueConfig(AppConfig):
    name = "zhifa.catalogue"
    label = "catalogue"
    verbose_name = _("Catalogue")

    def ready(self) -> None:
        from zhifa.records.presentation import register_action_labels, register_object_titles

        from .labels import ACTION_LABELS, object_titles

        register_action_labels(ACTION_LABELS)
        register_object_titles(object_titles())
        from zhifa.records.domain import register_recorded_object

        from .recorded import recorded_objects

        for declaration in recorded_objects():
            register_recorded_object(declaration)

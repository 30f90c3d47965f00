from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "zhifa.core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from django.contrib import admin

        admin.site.site_header = _("Zhifa administration")
        admin.site.site_title = _("Zhifa administration")
        admin.site.index_title = _("Regions, organs, users and configuration")

        import datetime as dt

        from . import checks  # noqa: F401 - registers the system checks
        from .schedule import Job, register

        register(
            Job(
                "core.prune_task_history",
                "zhifa.core.tasks.prune_task_history",
                at=dt.time(3, 30),
                description=_("Delete finished task results and schedule slots after 30 days."),
            )
        )

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TransparencyConfig(AppConfig):
    name = "zhifa.transparency"
    verbose_name = _("Publication log")

    def ready(self) -> None:
        import datetime as dt

        from zhifa.core.schedule import Job, register

        from . import checks  # noqa: F401 - registers the system checks
        from .commands import register as register_commands

        register_commands()

        register(
            Job(
                "transparency.checkpoint",
                "zhifa.transparency.tasks.issue_checkpoint",
                every=dt.timedelta(minutes=15),
                description=_("Sign the publication log's tree if it grew."),
            )
        )

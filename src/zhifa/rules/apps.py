from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RulesConfig(AppConfig):
    name = "zhifa.rules"
    verbose_name = _("Rules engine")

    def ready(self) -> None:
        import datetime as dt

        from zhifa.core.schedule import Job, register

        register(
            Job(
                "rules.prune_audit_requests",
                "zhifa.rules.tasks.prune_audit_requests",
                at=dt.time(3, 45),
                description=_(
                    "Delete background audits finished (or abandoned unfinished) more "
                    "than 7 days ago, with their findings and any uploaded bytes left."
                ),
            )
        )

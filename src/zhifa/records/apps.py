from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecordsConfig(AppConfig):
    name = "zhifa.records"
    verbose_name = _("Whole-process record")

    def ready(self) -> None:
        import datetime as dt

        from django.db.backends.signals import connection_created
        from django.db.models.signals import post_migrate

        from zhifa.core.schedule import Job, register

        from . import checks, db  # noqa: F401 - checks registers itself

        connection_created.connect(db.on_connection_created, dispatch_uid="records-sqlite-guard")
        post_migrate.connect(db.on_post_migrate, sender=self, dispatch_uid="records-triggers")
        register(
            Job(
                "records.checkpoint",
                "zhifa.records.tasks.sign_checkpoints",
                every=dt.timedelta(minutes=15),
                description=_("Sign the head of every chain that grew."),
            ),
            Job(
                "records.verify",
                "zhifa.records.tasks.verify_record",
                at=dt.time(2, 30),
                description=_("Verify the whole record; failures are logged as errors."),
            ),
        )

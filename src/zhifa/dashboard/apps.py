from __future__ import annotations

import datetime as dt

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    name = "zhifa.dashboard"
    verbose_name = _("Supervision dashboard")

    def ready(self) -> None:
        from zhifa.core.navigation import SECTIONS, Section
        from zhifa.core.roles import Role
        from zhifa.core.schedule import Job, register

        from .views import ROLES

        section = Section(
            _("Supervision dashboard"),
            _(
                "Cases by status, procedure and organ; warnings and their trend; fines "
                "decided and collected; review and hearing rates; complaints; by region."
            ),
            url_name="dashboard:dashboard",
            roles=frozenset(r for r in ROLES if r in Role.values),
        )
        if all(s.url_name != section.url_name for s in SECTIONS):
            SECTIONS.append(section)
        register(
            Job(
                "dashboard.snapshot_warnings",
                "zhifa.dashboard.tasks.snapshot_warnings",
                every=dt.timedelta(minutes=5),
                description=_(
                    "Count the case warnings of the organs whose cases changed (the "
                    "dashboard's counts and their trend)."
                ),
            )
        )
        register(
            Job(
                "dashboard.refresh_figures",
                "zhifa.dashboard.tasks.refresh_figures",
                at=dt.time(1, 10),
                description="Compute each organ's case figures of the year for the dashboard.",
            )
        )

from __future__ import annotations

import datetime as dt

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountabilityConfig(AppConfig):
    name = "zhifa.accountability"
    verbose_name = _("Accountability")

    def ready(self) -> None:
        from zhifa.core.navigation import SECTIONS, Section
        from zhifa.core.roles import Role
        from zhifa.core.schedule import Job, register
        from zhifa.records.domain import register_recorded_object
        from zhifa.records.presentation import register_action_labels

        from .recorded import recorded_object
        from .services import CONCLUDE_ACTION, OPEN_ACTION

        register_recorded_object(recorded_object())
        register_action_labels(
            {
                OPEN_ACTION: _("Accountability matter opened"),
                CONCLUDE_ACTION: _("Accountability matter concluded"),
            }
        )
        section = Section(
            _("Accountability"),
            _(
                "Cases found wrong traced back to the responsible stages and persons, the "
                "finding and the measures (错案倒查, NA-interference)."
            ),
            url_name="accountability:list",
            roles=frozenset({Role.ORGAN_HEAD, Role.SUPERVISOR}),
        )
        if all(s.url_name != section.url_name for s in SECTIONS):
            SECTIONS.append(section)
        from zhifa.cases.extensions import register_case_links

        from .links import case_links

        register_case_links(case_links)
        register(
            Job(
                "accountability.open_matters",
                "zhifa.accountability.tasks.open_matters",
                every=dt.timedelta(hours=1),
                description=_(
                    "Open an accountability matter for each decision newly revoked or "
                    "confirmed unlawful on reconsideration or litigation."
                ),
            )
        )

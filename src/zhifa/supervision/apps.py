from __future__ import annotations

import datetime as dt

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class SupervisionConfig(AppConfig):
    name = "zhifa.supervision"
    verbose_name = _("Supervision")

    def ready(self) -> None:
        from zhifa.core.navigation import SECTIONS, Section
        from zhifa.core.roles import Role
        from zhifa.records.domain import register_recorded_object
        from zhifa.records.presentation import register_action_labels

        from .filings import FILE_ACTION
        from .recorded import recorded_objects
        from .services import ACKNOWLEDGE_ACTION, RECORD_ACTION

        for declaration in recorded_objects():
            register_recorded_object(declaration)
        # No object titles: an entry names the record by its number only.
        register_action_labels(
            {
                RECORD_ACTION: _("Interference in a case recorded"),
                ACKNOWLEDGE_ACTION: _("Interference record acknowledged"),
                FILE_ACTION: _("Catalogue filed with the justice bureau"),
            }
        )
        section = Section(
            _("Interference records"),
            _(
                "Attempts to interfere in cases, recorded by their officers (NA-interference): "
                "to acknowledge, by organ and year."
            ),
            url_name="supervision:interference_list",
            roles=frozenset({Role.OFFICER, Role.ORGAN_HEAD, Role.SUPERVISOR}),
        )
        warnings = Section(
            pgettext_lazy("supervision", "Warnings"),
            _(
                "Deadlines near or overdue and block rules broken in the cases, and "
                "complaints not acknowledged in time (SUP-warning), by organ and rule."
            ),
            url_name="supervision:warning_list",
            roles=frozenset({Role.OFFICER, Role.ORGAN_HEAD, Role.SUPERVISOR}),
        )
        filed = Section(
            _("Filings with the justice bureau"),
            _(
                "Major decisions' document catalogues and quarterly case catalogues filed "
                "with the justice bureau, and what is missing (NA-major-filing)."
            ),
            url_name="supervision:filing_list",
            roles=frozenset({Role.ORGAN_HEAD, Role.LEGAL_REVIEWER, Role.SUPERVISOR}),
        )
        bulk = Section(
            _("Bulk audits"),
            _(
                "Upload a zip of case files from another system: the rules engine audits "
                "each one, with a report per file and in aggregate, on screen and as Excel."
            ),
            url_name="supervision:bulk_audit_list",
            roles=frozenset({Role.SUPERVISOR, Role.ADMINISTRATOR}),
        )
        remedied = Section(
            _("Reconsideration and litigation"),
            _(
                "Reconsiderations and litigations against the decisions, their outcomes, "
                "the reversal rate and the heads' court appearance per organ and year "
                "(JX-court-appearance)."
            ),
            url_name="supervision:remedy_list",
            roles=frozenset({Role.OFFICER, Role.LEGAL_REVIEWER, Role.ORGAN_HEAD, Role.SUPERVISOR}),
        )
        for added in (section, warnings, filed, bulk, remedied):
            if all(s.url_name != added.url_name for s in SECTIONS):
                SECTIONS.append(added)

        from . import notice_recorded

        notice_recorded.ready()

        from zhifa.cases.extensions import register_case_actions

        from .case_audit import case_actions

        register_case_actions(case_actions)

        from zhifa.core.schedule import Job, register

        register(
            Job(
                "supervision.keep_remedy_rates",
                "zhifa.supervision.tasks.keep_remedy_rates",
                at=dt.time(1, 20),
                description=_(
                    "Count each organ's reconsiderations and litigations of this year and "
                    "the last (the court-appearance warning)."
                ),
            )
        )

from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "zhifa.complaints"
    verbose_name = _("Complaints and reports")

    def ready(self) -> None:
        from zhifa.cases.extensions import register_case_links, register_work_list_section
        from zhifa.records.presentation import register_action_labels, register_task_labels

        from . import services, views

        register_case_links(views.case_links)
        register_work_list_section(views.work_list_section)
        register_action_labels(
            {
                services.FILE: _("Complaint or report filed"),
                services.ACCEPT: _("Complaint or report accepted"),
                services.REJECT: _("Complaint or report not accepted"),
                services.PROGRESS: _("Progress told to the filer"),
                services.CLOSE: _("Complaint or report closed"),
                services.DISPUTE: _("Closure disputed by the filer"),
                services.REOPEN: _("Complaint or report reopened"),
                services.CONFIRM: _("Closure confirmed on second look"),
                services.ENTER_CASE: _("Report entered as a case source"),
                services.MERGE: _("Complaint or report handled together with another"),
                services.REASSIGN_OUT: _("Complaint or report handed to another unit"),
                services.REASSIGN_IN: _("Complaint or report received from another unit"),
                services.ASSIGN: _("Staff assigned to a complaint or report"),
                services.DISPUTE_JOINED: _(
                    "Result disputed by the filer of a filing handled together"
                ),
            }
        )
        register_task_labels({services.PUBLIC_TASK: _("Public filing")})

        from zhifa.records.presentation import model_titles, register_object_titles

        from .models import Complaint

        # The record's entry lists and timelines name a filing by its number.
        register_object_titles(
            {"complaints.complaint": model_titles(Complaint, lambda c: c.number)}
        )

        from zhifa.records.domain import register_recorded_object

        from .recorded import declaration

        register_recorded_object(declaration())

        # The staff home's section (core lists the sections; this app adds its own).
        from zhifa.core.navigation import SECTIONS, Section
        from zhifa.core.roles import Role

        if not any(s.url_name == "complaints:desk" for s in SECTIONS):
            SECTIONS.append(
                Section(
                    _("Complaints and reports"),
                    _(
                        "Filings from the public: acceptance within the clock, progress, "
                        "result, disputes; the filer's identity is seen only by the "
                        "assigned staff and the supervisor."
                    ),
                    url_name="complaints:desk",
                    roles=frozenset({Role.OFFICER, Role.ORGAN_HEAD, Role.SUPERVISOR}),
                )
            )

from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "zhifa.evaluation"
    verbose_name = _("Case-file evaluation")

    def ready(self) -> None:
        from zhifa.accountability.extensions import register_matter_links
        from zhifa.core.navigation import SECTIONS, Section
        from zhifa.core.roles import Role
        from zhifa.records.domain import register_recorded_object
        from zhifa.records.presentation import register_action_labels

        from .campaigns import DRAW_ACTION, PLAN_ACTION, PUBLISH_ACTION
        from .grading import GRADE_ACTION
        from .grading import PUBLISH_ACTION as ANNUAL_PUBLISH_ACTION
        from .recorded import annual_grade_object, campaign_object
        from .scoring import (
            ASSIGN_ACTION,
            RECTIFY_ACTION,
            RESULTS_ACTION,
            SCORE_ACTION,
            matter_links,
        )

        register_matter_links(matter_links)
        register_recorded_object(campaign_object())
        register_recorded_object(annual_grade_object())
        register_action_labels(
            {
                PLAN_ACTION: _("Evaluation campaign planned"),
                PUBLISH_ACTION: _("Evaluation rosters published"),
                DRAW_ACTION: _("Evaluation sample drawn"),
                ASSIGN_ACTION: _("Evaluator assigned to a drawn file"),
                SCORE_ACTION: _("Drawn file scored"),
                RESULTS_ACTION: _("Evaluation results published"),
                GRADE_ACTION: _("Annual evaluation grade recorded"),
                ANNUAL_PUBLISH_ACTION: _("Annual evaluation results published"),
                RECTIFY_ACTION: _("Rectification required after an evaluation"),
            }
        )
        section = Section(
            _("Case-file evaluation"),
            _(
                "Plan evaluation campaigns, publish the rosters and draw the sample "
                "verifiably (JX-file-review)."
            ),
            url_name="evaluation:campaign_list",
            roles=frozenset({Role.SUPERVISOR, Role.OFFICER, Role.ORGAN_HEAD, Role.LEGAL_REVIEWER}),
        )
        if all(s.url_name != section.url_name for s in SECTIONS):
            SECTIONS.append(section)

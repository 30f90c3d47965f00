from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _case_page(user: Any, case: Any, steps: Sequence[Any]) -> dict[str, Any]:
    """The review requests on the case page (``cases.extensions``)."""
    from .presentation import case_review_context

    return case_review_context(user, case, steps)


class ReviewConfig(AppConfig):
    name = "zhifa.review"
    verbose_name = _("Legal review")

    def ready(self) -> None:
        from zhifa.cases.extensions import register_case_context
        from zhifa.records.presentation import register_action_labels

        register_case_context(self.label, _case_page)

        register_action_labels(
            {
                "review.submit": _("Submitted for legal review"),
                "review.complete": _("Legal review completed"),
            }
        )

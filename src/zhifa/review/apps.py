from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewConfig(AppConfig):
    name = "zhifa.review"
    verbose_name = _("Legal review")

    def ready(self) -> None:
        from zhifa.cases.documents import register_context_provider
        from zhifa.documents.models import DocumentType
        from zhifa.records.presentation import register_action_labels

        from .documents import legal_review_context

        # The 法制审核表 reads the request's matters and checklist (cases imports no
        # review code: docs/adr/0010-app-layers.md).
        register_context_provider(DocumentType.LEGAL_REVIEW_OPINION, legal_review_context)

        register_action_labels(
            {
                "review.submit": _("Submitted for legal review"),
                "review.complete": _("Legal review completed"),
            }
        )

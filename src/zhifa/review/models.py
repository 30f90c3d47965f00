"""Legal review (法制审核, APL Art. 58): a case submitted by its officers, reviewed with
the checklist by a legal reviewer of the organ (docs/adr/0006-legal-review.md).

A ``ReviewRequest`` is written only by ``review.services``. The outcome that counts for
the law is the case's ``legal_review`` step, which ``complete_review`` adds through
``cases.services.record_legal_review`` in the same transaction.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zhifa.cases.models import Case, CaseStep
from zhifa.registry.models import Officer


class ChecklistItem:
    """One item of the review content (审核内容)."""

    def __init__(self, code: str, label: str, question: str) -> None:
        self.code, self.label, self.question = code, label, question


#: The review content. The seeds name it: 审核主体、审核范围、审核标准 … 审核内容 (JX 三),
#: and the defects to catch: 行政主体不适格、事实认定不清楚、程序履行不规范、法律适用不准确
#: (JX); NA 6 asks for 审核内容; the discretion benchmark (JX 四(二)), the documents
#: (案卷评查: 文书是否规范, JX 五(一)) and the transfer of suspected crimes (APL 27).
#: Stored keys are the codes; never rename one (old reviews keep them).
CHECKLIST: tuple[ChecklistItem, ...] = (
    ChecklistItem(
        "subject",
        _("Enforcement subject"),
        _(
            "Is the organ a lawful enforcement subject, and do the officers hold valid "
            "certificates?"
        ),
    ),
    ChecklistItem(
        "powers",
        _("Enforcement powers"),
        _("Is the matter within the organ's power list and its territorial jurisdiction?"),
    ),
    ChecklistItem(
        "facts",
        _("Facts of the case"),
        _("Are the facts clear?"),
    ),
    ChecklistItem(
        "evidence",
        _("Evidence"),
        _("Is the evidence lawfully obtained, sufficient and conclusive?"),
    ),
    ChecklistItem(
        "procedure",
        _("Enforcement procedure"),
        _("Was the procedure lawful (notice, statement and defence, hearing, time limits)?"),
    ),
    ChecklistItem(
        "law",
        _("Law applied"),
        _("Are the law and the article applied correct and cited in full?"),
    ),
    ChecklistItem(
        "discretion",
        _("Discretion benchmark"),
        _("Does the proposed penalty follow the discretion benchmark?"),
    ),
    ChecklistItem(
        "documents",
        _("Documents"),
        _("Are the documents complete and in the standard form?"),
    ),
    ChecklistItem(
        "crime",
        _("Suspected crime"),
        _(
            "Is the act suspected of being a crime that must be transferred to the judicial "
            "organs? Mark it as a problem when it is."
        ),
    ),
)
CHECKLIST_CODES: tuple[str, ...] = tuple(item.code for item in CHECKLIST)
#: The item that, marked as a problem, means a suspected crime (APL 27).
CRIME_ITEM = "crime"


class ReviewStatus(models.TextChoices):
    PENDING = "pending", _("Pending review")
    PASSED = "passed", pgettext_lazy("legal review result", "Passed")
    FAILED = "failed", pgettext_lazy("legal review result", "Failed")
    RETURNED = "returned", _("Returned for further investigation")


class ReviewRequest(models.Model):
    """A case submitted for legal review, and the review's checklist and opinion."""

    record_organ_field = "case__organ"

    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="review_requests"
    )
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("submitted by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_on = models.DateField(_("submitted on"))
    note = models.TextField(
        _("matters for review and proposed handling"),
        help_text=_("What the reviewer should examine and the proposed decision (拟处理意见)."),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=ReviewStatus.choices, default=ReviewStatus.PENDING
    )
    reviewer = models.ForeignKey(
        Officer,
        verbose_name=_("reviewer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="legal_reviews",
    )
    reviewed_on = models.DateField(
        pgettext_lazy("legal review", "reviewed on"), null=True, blank=True
    )
    checklist = models.JSONField(
        _("checklist"),
        default=dict,
        blank=True,
        help_text=_('Per item code: {"ok": true/false, "comment": "…"}.'),
    )
    opinion = models.TextField(_("review opinion"), blank=True)
    step = models.OneToOneField(
        CaseStep,
        verbose_name=_("case step"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="review_request",
        help_text=_("The legal_review step the review added to the case."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("legal review request")
        verbose_name_plural = _("legal review requests")
        ordering = ["submitted_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"],
                condition=Q(status="pending"),
                name="review_one_pending_per_case",
            ),
            models.CheckConstraint(
                condition=(
                    Q(status="pending", reviewed_on__isnull=True, reviewer__isnull=True)
                    | (
                        Q(status__in=["passed", "failed", "returned"])
                        & Q(reviewed_on__isnull=False, reviewer__isnull=False)
                        & ~Q(opinion="")
                    )
                ),
                name="review_completed_has_reviewer_date_opinion",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case.case_id} ({self.get_status_display()})"

    @property
    def is_pending(self) -> bool:
        return self.status == ReviewStatus.PENDING

    @property
    def problems(self) -> list[str]:
        """The codes of the checklist items marked as a problem."""
        return [c for c in CHECKLIST_CODES if not (self.checklist.get(c) or {}).get("ok", True)]

    @property
    def crime_suspected(self) -> bool:
        return CRIME_ITEM in self.problems

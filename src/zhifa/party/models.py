"""The party's own access to its case (当事人, issue #16 item 6; docs/party.md).

A case's party signs in on the public site with the case number (立案号) and an access
code printed on the documents served to it. Only a digest of each code is kept
(``AccessCode.digest``); the organ re-issues a code, which revokes every earlier one.
The party acts on its case through one user of role ``Role.PARTY`` per case
(``PartyAccess.principal``): inactive, without a usable password, so it never signs in
as staff; it is the actor of the steps it records and of their record entries.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class PartyAccess(models.Model):
    """The party's access to one case: its acting user and the sign-in failures."""

    record_organ_field = "case__organ"

    case = models.OneToOneField(
        "cases.Case", verbose_name=_("case"), on_delete=models.PROTECT, related_name="party_access"
    )
    principal = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("acting user"),
        on_delete=models.PROTECT,
        related_name="party_access",
        help_text=_("The user of role party that records the party's own steps."),
    )
    failed_attempts = models.PositiveIntegerField(_("failed sign-in attempts"), default=0)
    locked_until = models.DateTimeField(_("locked until"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("party access")
        verbose_name_plural = _("party accesses")

    def __str__(self) -> str:
        return f"party access {self.case_id}"

    def current_consent(self) -> ServiceConsent | None:
        """The party's consent to electronic service in force: its latest act, unless that
        act withdrew the consent (a later consent supersedes an earlier one)."""
        latest = self.consents.order_by("-given_at", "-pk").first()
        return None if latest is None or latest.withdrawn else latest


class CodeSource(models.TextChoices):
    DOCUMENT = "document", _("Printed on a document")
    REISSUED = "reissued", _("Re-issued by the organ")


class AccessCode(models.Model):
    """One access code of a case's party; only its digest is stored."""

    access = models.ForeignKey(
        PartyAccess, verbose_name=_("party access"), on_delete=models.PROTECT, related_name="codes"
    )
    digest = models.CharField(_("digest"), max_length=64, unique=True)
    source = models.CharField(_("source"), max_length=16, choices=CodeSource.choices)
    document_kind = models.CharField(_("document type"), max_length=40, blank=True)
    issued_at = models.DateTimeField(_("issued at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("access code")
        verbose_name_plural = _("access codes")
        ordering = ["access", "issued_at", "pk"]

    def __str__(self) -> str:
        return f"{self.access_id}:{self.pk}"


class ServiceConsent(models.Model):
    """The party's signed consent to electronic service (APL-61-service), given online, or
    its withdrawal (``withdrawn``). The rows are the party's acts, never changed: the
    latest one says whether a consent is in force (``PartyAccess.current_consent``), so a
    new consent supersedes the earlier one and a withdrawal ends it."""

    access = models.ForeignKey(
        PartyAccess,
        verbose_name=_("party access"),
        on_delete=models.PROTECT,
        related_name="consents",
    )
    signed_name = models.CharField(_("signed name"), max_length=200)
    address = models.CharField(
        _("electronic address"),
        max_length=200,
        blank=True,
        help_text=_(
            "Where the party accepts electronic service (e-mail or mobile number); empty "
            "for a withdrawal."
        ),
    )
    withdrawn = models.BooleanField(
        _("withdrawal"),
        default=False,
        help_text=_("This act withdraws the party's consent in force."),
    )
    given_on = models.DateField(_("given on"))
    given_at = models.DateTimeField(_("given at"))

    class Meta:
        verbose_name = _("consent to electronic service")
        verbose_name_plural = _("consents to electronic service")
        ordering = ["access", "given_at", "pk"]

    def __str__(self) -> str:
        return f"{self.access_id} {self.given_on}"


class ConductRating(models.Model):
    """The party's rating of the conduct of its case after the decision, given once: kept
    for evaluation, shown to the organ only as the case's, never as an officer's."""

    case = models.OneToOneField(
        "cases.Case", verbose_name=_("case"), on_delete=models.PROTECT, related_name="+"
    )
    organ = models.ForeignKey(
        "registry.EnforcementSubject",
        verbose_name=_("organ"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    score = models.PositiveSmallIntegerField(
        _("score (1–5)"), validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    comment = models.TextField(_("comment"), max_length=2000, blank=True)
    rated_on = models.DateField(_("rated on"))

    class Meta:
        verbose_name = _("conduct rating")
        verbose_name_plural = _("conduct ratings")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(score__gte=1, score__lte=5), name="party_rating_score_1_5"
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.score}"

"""Regions (行政区划) and enforcement subjects (行政执法主体)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zhifa.core.validation import validate_name, validate_not_negative, validate_past_date

from .validators import (
    validate_certificate_number,
    validate_id_number,
    validate_instrument_file,
    validate_region_code,
    validate_uscc,
)


class RegionLevel(models.TextChoices):
    PROVINCE = "province", _("Province")
    CITY = "city", _("City")
    COUNTY = "county", _("County")
    TOWN = "town", _("Town")


LEVEL_ORDER = [RegionLevel.PROVINCE, RegionLevel.CITY, RegionLevel.COUNTY, RegionLevel.TOWN]


class RegionQuerySet(models.QuerySet["Region"]):
    def subtree(self, region: Region) -> RegionQuerySet:
        """The region and every region below it."""
        return self.filter(path__startswith=region.path)


class Region(models.Model):
    """An administrative division identified by its GB/T 2260 code.

    ``path`` is the chain of codes from the root ("330000/330400/330421/"), so a
    region's subtree is one indexed prefix query.
    """

    code = models.CharField(
        _("region code"), max_length=9, unique=True, validators=[validate_region_code]
    )
    name = models.CharField(_("name"), max_length=64)
    level = models.CharField(_("level"), max_length=16, choices=RegionLevel.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(max_length=255, editable=False, db_index=True)

    objects = RegionQuerySet.as_manager()

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"

    def save(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        old_path = self.path
        self.path = (self.parent.path if self.parent else "") + f"{self.code}/"
        super().save(*args, **kwargs)
        if old_path and old_path != self.path:
            # Moving a region (rare) rewrites the paths of its whole subtree.
            for child in Region.objects.filter(path__startswith=old_path).exclude(pk=self.pk):
                child.path = self.path + child.path[len(old_path) :]
                Region.objects.filter(pk=child.pk).update(path=child.path)

    def clean(self) -> None:
        if self.parent_id is None:
            if self.level != RegionLevel.PROVINCE:
                raise ValidationError({"parent": _("Only a province may have no parent region.")})
            return
        parent = self.parent
        assert parent is not None
        if parent.pk == self.pk or (self.path and parent.path.startswith(self.path)):
            raise ValidationError({"parent": _("A region cannot be placed below itself.")})
        if LEVEL_ORDER.index(RegionLevel(self.level)) <= LEVEL_ORDER.index(
            RegionLevel(parent.level)
        ):
            raise ValidationError(
                {"level": _("The level must be below the parent region's level.")}
            )
        if self.code and self.code[:2] != parent.code[:2]:
            raise ValidationError({"code": _("The code must lie in the parent region's province.")})

    def ancestors(self) -> list[Region]:
        codes = [c for c in self.path.split("/") if c]
        by_code = {r.code: r for r in Region.objects.filter(code__in=codes)}
        return [by_code[c] for c in codes if c in by_code]


class SubjectType(models.TextChoices):
    STATUTORY = "statutory", _("Statutory administrative organ")
    AUTHORISED = "authorised", _("Organisation authorised by law or regulation")
    ENTRUSTED = "entrusted", _("Entrusted organisation")
    INTERNAL_UNIT = "internal_unit", _("Internal unit")
    TEMPORARY_BODY = "temporary_body", _("Temporary or coordination body")


#: Subject types that may enforce in their own name or the entrusting organ's
#: (《中华人民共和国行政处罚法》第十七条至第二十一条). The other types are recorded so
#: that the platform can refuse them (rule APL-38-subject).
ENFORCING_TYPES = frozenset({SubjectType.STATUTORY, SubjectType.AUTHORISED, SubjectType.ENTRUSTED})


class EnforcementSubject(models.Model):
    """An organ or organisation in the registry (行政执法主体), including the bodies
    that exist only so that they can be refused."""

    name = models.CharField(_("name"), max_length=128, validators=[validate_name])
    short_name = models.CharField(
        _("short name"),
        max_length=32,
        blank=True,
        help_text=_("Used in document numbers, e.g. 嘉市监."),
    )
    subject_type = models.CharField(_("subject type"), max_length=32, choices=SubjectType.choices)
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="subjects"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent organ"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text=_(
            "The organ an internal unit belongs to, or the organ that entrusts an "
            "entrusted organisation."
        ),
    )
    uscc = models.CharField(
        _("unified social credit code"),
        max_length=18,
        blank=True,
        validators=[validate_uscc],
    )
    level = models.CharField(
        _("level"),
        max_length=16,
        choices=RegionLevel.choices,
        blank=True,
        help_text=_("The administrative level of the organ (province, city, county, town)."),
    )
    legal_basis = models.TextField(
        _("legal basis of its status"),
        blank=True,
        help_text=_("The law, regulation or establishment document that makes it a subject."),
    )
    authorising_law = models.CharField(
        _("authorising law"),
        max_length=255,
        blank=True,
        help_text=_(
            "For an organisation authorised by law or regulation: the law or regulation "
            "and article that authorise it."
        ),
    )
    contact_phone = models.CharField(_("contact phone"), max_length=32, blank=True)
    contact_address = models.CharField(_("contact address"), max_length=255, blank=True)
    is_justice_bureau = models.BooleanField(
        _("justice bureau"),
        default=False,
        help_text=_("The justice bureau (司法局) that supervises enforcement in its region."),
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("enforcement subject")
        verbose_name_plural = _("enforcement subjects")
        ordering = ["region__code", "name"]
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="subject_unique_name_in_region")
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def can_enforce(self) -> bool:
        return self.subject_type in ENFORCING_TYPES

    def clean(self) -> None:
        needs_parent = self.subject_type in {SubjectType.INTERNAL_UNIT, SubjectType.ENTRUSTED}
        if needs_parent and self.parent_id is None:
            raise ValidationError(
                {
                    "parent": _(
                        "An internal unit needs the organ it belongs to; an entrusted "
                        "organisation needs the organ that entrusts it."
                    )
                }
            )
        if self.subject_type == SubjectType.AUTHORISED and not self.authorising_law.strip():
            raise ValidationError(
                {
                    "authorising_law": _(
                        "An authorised organisation needs the law or regulation that authorises it."
                    )
                }
            )
        if self.parent_id is not None and self.parent_id == self.pk:
            raise ValidationError({"parent": _("An organ cannot be its own parent.")})
        if (
            self.subject_type == SubjectType.ENTRUSTED
            and self.parent is not None
            and self.parent.subject_type == SubjectType.ENTRUSTED
        ):
            raise ValidationError(
                {"parent": _("An entrusted organisation cannot entrust further (APL Art. 20).")}
            )


class EntrustmentStatus(models.TextChoices):
    ACTIVE = "active", _("In force")
    EXPIRED = "expired", _("Expired")
    TERMINATED = "terminated", _("Terminated")


class Entrustment(models.Model):
    """A written entrustment (行政执法委托): the entrusted organisation acts in the
    entrusting organ's name, within the power items and term of the instrument, and
    may not entrust further (APL Art. 20; rule APL-20-entrustment)."""

    entrusting_organ = models.ForeignKey(
        EnforcementSubject,
        verbose_name=_("entrusting organ"),
        on_delete=models.PROTECT,
        related_name="entrustments_given",
    )
    entrusted = models.ForeignKey(
        EnforcementSubject,
        verbose_name=_("entrusted organisation"),
        on_delete=models.PROTECT,
        related_name="entrustments_received",
    )
    power_items = models.ManyToManyField(
        "catalogue.PowerItem",
        verbose_name=_("entrusted power items"),
        related_name="entrustments",
        blank=True,
    )
    matters = models.TextField(_("entrusted matters"), blank=True)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"))
    instrument = models.FileField(
        _("written instrument"),
        upload_to="entrustments/%Y/",
        validators=[validate_instrument_file],
        help_text=_("The signed entrustment instrument: PDF, PNG or JPEG, at most 10 MB."),
    )
    instrument_number = models.CharField(_("instrument number"), max_length=64, blank=True)
    published = models.BooleanField(_("published"), default=False)
    published_on = models.DateField(_("published on"), null=True, blank=True)
    filed_on = models.DateField(
        _("filed with the justice bureau on"),
        null=True,
        blank=True,
    )
    filing_number = models.CharField(_("filing number"), max_length=64, blank=True)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=EntrustmentStatus.choices,
        default=EntrustmentStatus.ACTIVE,
    )
    status_changed_on = models.DateField(_("status changed on"), null=True, blank=True)

    class Meta:
        verbose_name = _("entrustment")
        verbose_name_plural = _("entrustments")
        ordering = ["-valid_from", "pk"]

    def __str__(self) -> str:
        return f"{self.entrusting_organ} → {self.entrusted}"

    def in_force_on(self, on: date) -> bool:
        return self.status == EntrustmentStatus.ACTIVE and self.valid_from <= on <= self.valid_to

    def clean(self) -> None:
        errors: dict[str, object] = {}
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            errors["valid_to"] = _("The term cannot end before it starts.")
        if self.published and not self.published_on:
            errors["published_on"] = _("Give the date the instrument was published.")
        entrusting = self.entrusting_organ if self.entrusting_organ_id else None
        entrusted = self.entrusted if self.entrusted_id else None
        if entrusting is not None:
            if entrusting.subject_type == SubjectType.ENTRUSTED:
                errors["entrusting_organ"] = _(
                    "An entrusted organisation cannot entrust further (APL Art. 20)."
                )
            elif not entrusting.can_enforce:
                errors["entrusting_organ"] = _(
                    "Only an organ that may enforce in its own name can entrust."
                )
        if entrusted is not None:
            if entrusted.subject_type != SubjectType.ENTRUSTED:
                errors["entrusted"] = _(
                    "The entrusted organisation must be registered as an entrusted organisation."
                )
            elif entrusting is not None and entrusted.pk == entrusting.pk:
                errors["entrusted"] = _("An organ cannot entrust itself.")
        if errors:
            raise ValidationError(errors)


class OfficerKind(models.TextChoices):
    OFFICER = "officer", _("Enforcement officer")
    AUXILIARY = "auxiliary", _("Auxiliary staff")


class Officer(models.Model):
    """A person who enforces (执法人员) or assists (协助执法人员) for an organ.

    Auxiliary staff are recorded so that they can never count as officers
    (rule APL-42-qualified). The national ID number is stored for identification and is
    never shown outside the organ or on any public page.
    """

    organ = models.ForeignKey(
        EnforcementSubject,
        verbose_name=_("organ"),
        on_delete=models.PROTECT,
        related_name="officers",
    )
    name = models.CharField(
        pgettext_lazy("person", "name"), max_length=64, validators=[validate_name]
    )
    kind = models.CharField(
        pgettext_lazy("officer", "kind"),
        max_length=16,
        choices=OfficerKind.choices,
        default=OfficerKind.OFFICER,
    )
    post = models.CharField(_("post"), max_length=64, blank=True)
    enforcement_fields = models.CharField(
        _("enforcement fields"),
        max_length=255,
        blank=True,
        help_text=_("Fields of enforcement, separated by 、 (e.g. 食品安全、价格)."),
    )
    id_number = models.CharField(
        _("national ID number"),
        max_length=18,
        unique=True,
        validators=[validate_id_number],
    )
    legal_qualification = models.BooleanField(
        _("legal professional qualification"),
        default=False,
        help_text=_("Holds the national legal professional qualification (法律职业资格)."),
    )
    legal_qualification_number = models.CharField(
        _("qualification certificate number"), max_length=64, blank=True
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="officer",
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("officer")
        verbose_name_plural = _("officers")
        ordering = ["organ__name", "name", "pk"]

    def __str__(self) -> str:
        return self.name

    @property
    def is_auxiliary(self) -> bool:
        return self.kind == OfficerKind.AUXILIARY

    def clean(self) -> None:
        if self.legal_qualification_number and not self.legal_qualification:
            raise ValidationError(
                {
                    "legal_qualification": _(
                        "A qualification certificate number needs the qualification."
                    )
                }
            )


class TrainingRecord(models.Model):
    officer = models.ForeignKey(
        Officer, verbose_name=_("officer"), on_delete=models.CASCADE, related_name="trainings"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    hours = models.DecimalField(
        _("training hours"), max_digits=6, decimal_places=1, validators=[validate_not_negative]
    )
    topic = models.CharField(_("topic"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("training record")
        verbose_name_plural = _("training records")
        ordering = ["-year", "pk"]

    def __str__(self) -> str:
        return f"{self.officer} {self.year}: {self.hours}"


class ExamRecord(models.Model):
    officer = models.ForeignKey(
        Officer, verbose_name=_("officer"), on_delete=models.CASCADE, related_name="exams"
    )
    taken_on = models.DateField(_("date"), validators=[validate_past_date])
    name = models.CharField(_("exam"), max_length=255, validators=[validate_name])
    score = models.DecimalField(
        _("score"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[validate_not_negative],
    )
    passed = models.BooleanField(_("passed"), default=False)

    class Meta:
        verbose_name = _("exam record")
        verbose_name_plural = _("exam records")
        ordering = ["-taken_on", "pk"]

    def __str__(self) -> str:
        return f"{self.officer} {self.name} {self.taken_on}"


class OfficerFlagStatus(models.TextChoices):
    OPEN = "open", _("To be carried out")
    CARRIED_OUT = "carried_out", _("Carried out")


class OfficerFlagMeasure(models.TextChoices):
    """How a flag is carried out (JL 六(三): "调离执法岗位或取消执法资格";
    ``rules.engine.evaluation_grades.MEASURES``)."""

    REMOVED_FROM_POSTS = "removed_from_posts", _("Removed from enforcement posts")
    CERTIFICATE_CANCELLED = (
        "certificate_cancelled",
        _("Qualification cancelled (certificates revoked)"),
    )


class OfficerFlag(models.Model):
    """A flag on an officer the registry administrator must act on: graded 不合格 in the
    annual evaluation two years running (JL-evaluation, JL 六(三)). Raised by the
    evaluation's grading service, carried out by ``services.carry_out_flag`` (removal
    from enforcement posts, or the certificates revoked), both recorded in the officer's
    organ's chain."""

    officer = models.ForeignKey(
        Officer, verbose_name=_("officer"), on_delete=models.PROTECT, related_name="flags"
    )
    rule = models.CharField(_("rule ID"), max_length=64)
    year = models.PositiveSmallIntegerField(_("year"))
    reason = models.TextField(_("reason"))
    consequence = models.CharField(_("consequence"), max_length=255)
    raised_on = models.DateField(_("raised on"))
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("raised by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=OfficerFlagStatus.choices,
        default=OfficerFlagStatus.OPEN,
    )
    measure = models.CharField(
        _("measure"), max_length=32, choices=OfficerFlagMeasure.choices, blank=True
    )
    carried_out_on = models.DateField(_("carried out on"), null=True, blank=True)
    carried_out_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("carried out by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("officer flag")
        verbose_name_plural = _("officer flags")
        ordering = ["-year", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["officer", "rule", "year"], name="officer_flag_unique_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.officer} {self.rule} {self.year}"


class CertificateStatus(models.TextChoices):
    VALID = "valid", _("Valid")
    SUSPENDED = "suspended", _("Suspended")
    REVOKED = "revoked", pgettext_lazy("certificate status", "Revoked")
    EXPIRED = "expired", _("Expired")


def certificate_status_on(
    valid_from: date, valid_to: date, history: Iterable[tuple[date, str]], on: date
) -> str:
    """A certificate's status on a date: ``history`` is its status changes as
    ``(effective_on, status)`` ordered by effective date (``CertificateStatusChange``
    order); the expiry date also counts. ``Certificate.status_on`` and the case file's
    flat reads (``registry.facts.certificate_facts``) both answer with this."""
    if on < valid_from:
        return "not_yet_valid"
    status = CertificateStatus.VALID.value
    for effective_on, changed in history:
        if effective_on <= on:
            status = changed
    if status == CertificateStatus.VALID and on > valid_to:
        return CertificateStatus.EXPIRED.value
    return status


class Certificate(models.Model):
    """An enforcement certificate (执法证). ``status`` is the current status; every
    change is kept as a :class:`CertificateStatusChange` row with its reason and date."""

    officer = models.ForeignKey(
        Officer, verbose_name=_("officer"), on_delete=models.PROTECT, related_name="certificates"
    )
    number = models.CharField(
        _("certificate number"),
        max_length=32,
        unique=True,
        validators=[validate_certificate_number],
    )
    issuing_authority = models.CharField(_("issuing authority"), max_length=128)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"))
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=CertificateStatus.choices,
        default=CertificateStatus.VALID,
    )
    status_reason = models.CharField(_("reason"), max_length=255, blank=True)
    status_changed_on = models.DateField(_("status changed on"), null=True, blank=True)

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["number"]

    def __str__(self) -> str:
        return self.number

    def clean(self) -> None:
        if self.valid_from and self.valid_to and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": _("A certificate cannot end before it starts.")})

    def status_on(self, on: date) -> str:
        """The status on a date, from the history (the expiry date also counts)."""
        return certificate_status_on(
            self.valid_from,
            self.valid_to,
            ((change.effective_on, change.status) for change in self.history.all()),
            on,
        )

    def is_valid_on(self, on: date) -> bool:
        return self.status_on(on) == CertificateStatus.VALID


class CertificateStatusChange(models.Model):
    """One row per status change of a certificate: history is never overwritten."""

    certificate = models.ForeignKey(
        Certificate,
        verbose_name=_("certificate"),
        on_delete=models.CASCADE,
        related_name="history",
    )
    status = models.CharField(_("status"), max_length=16, choices=CertificateStatus.choices)
    reason = models.CharField(_("reason"), max_length=255, blank=True)
    effective_on = models.DateField(_("effective on"))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("certificate status change")
        verbose_name_plural = _("certificate status changes")
        ordering = ["effective_on", "pk"]

    def __str__(self) -> str:
        return f"{self.certificate} {self.get_status_display()} {self.effective_on}"


class CleanupNotice(models.Model):
    """The record of one run of the daily expiry task; published as a clean-up notice
    (清理公告) when it expired anything."""

    run_on = models.DateField(_("date"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    certificates_expired = models.PositiveIntegerField(_("certificates expired"), default=0)
    entrustments_expired = models.PositiveIntegerField(_("entrustments expired"), default=0)

    class Meta:
        verbose_name = _("clean-up notice")
        verbose_name_plural = _("clean-up notices")
        ordering = ["-run_on", "-pk"]

    def __str__(self) -> str:
        return str(self.run_on)


class CleanupItemKind(models.TextChoices):
    CERTIFICATE = "certificate", _("Certificate")
    ENTRUSTMENT = "entrustment", _("Entrustment")


class CleanupNoticeItem(models.Model):
    """One expired certificate or entrustment in a clean-up notice. The public text is
    copied at the time (name, organ, number), so the notice does not change later."""

    notice = models.ForeignKey(
        CleanupNotice, verbose_name=_("notice"), on_delete=models.CASCADE, related_name="items"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=CleanupItemKind.choices)
    certificate = models.ForeignKey(
        Certificate, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    entrustment = models.ForeignKey(
        Entrustment, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    organ_name = models.CharField(_("organ"), max_length=128)
    subject = models.CharField(_("name"), max_length=255)
    reference = models.CharField(_("number"), max_length=64, blank=True)
    ended_on = models.DateField(_("ended on"))

    class Meta:
        verbose_name = _("clean-up notice item")
        verbose_name_plural = _("clean-up notice items")
        ordering = ["kind", "organ_name", "reference", "pk"]

    def __str__(self) -> str:
        return f"{self.subject} {self.reference}"


class RateLimitBucket(models.Model):
    """A counter per client and time window, kept in the database so that several
    application servers share one limit (used by the public verification page)."""

    key = models.CharField(max_length=80)
    window = models.BigIntegerField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["key", "window"], name="ratelimit_unique_window")
        ]
        indexes = [models.Index(fields=["window"], name="ratelimit_window_idx")]

    def __str__(self) -> str:
        return f"{self.key}@{self.window}"

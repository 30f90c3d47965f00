"""Enforcement documents (执法文书) and their numbers (文号).

A document number is issued per organ, document type and year, in sequence, from a
pattern the organ configures (e.g. ``{organ}罚〔{year}〕{number}号`` gives
嘉市监罚〔2026〕12号). Every issued number is kept, so no number is used twice, and a
number is taken in the same transaction as the act that uses it, so a failed act leaves
no gap.
"""

from __future__ import annotations

import unicodedata

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class DocumentType(models.TextChoices):
    REGISTRATION_APPROVAL = "registration_approval", _("Case registration approval form")
    REGISTRATION_REFUSAL = (
        "registration_refusal",
        _("Approval form for not registering a case"),
    )
    ON_SITE_INSPECTION_RECORD = "on_site_inspection_record", _("On-site inspection record")
    INQUIRY_RECORD = "inquiry_record", _("Inquiry record")
    PRESERVATION_NOTICE = "preservation_notice", _("Notice of evidence registered for preservation")
    SEIZURE_DECISION = "seizure_decision", _("Sealing or seizure decision")
    PRIOR_NOTICE = "prior_notice", _("Prior notice of administrative penalty")
    HEARING_NOTICE = "hearing_notice", pgettext_lazy("document type", "Hearing notice")
    HEARING_RECORD = "hearing_record", _("Hearing record")
    LEGAL_REVIEW_OPINION = "legal_review_opinion", _("Legal review opinion")
    PENALTY_DECISION = (
        "penalty_decision",
        pgettext_lazy("document type", "Administrative penalty decision"),
    )
    NO_PENALTY_DECISION = "no_penalty_decision", _("Decision not to impose a penalty")
    SERVICE_RECEIPT = "service_receipt", _("Proof of service")
    DEMAND = "demand", _("Demand to perform")
    DEFERRAL_DECISION = (
        "deferral_decision",
        _("Decision on deferred or instalment payment of a fine"),
    )
    TRANSFER_LETTER = "transfer_letter", _("Case transfer letter")
    CLOSURE_REPORT = "closure_report", _("Case closure report")
    CASE_SOURCE = "case_source", _("Case source registration form")
    INVESTIGATION_REPORT = "investigation_report", _("Investigation closing report")
    COLLECTIVE_DISCUSSION_RECORD = (
        "collective_discussion_record",
        _("Collective discussion record"),
    )


#: The pattern used when an organ has configured none. The middle part is the common
#: practice for each document; organs set their own in the administration site.
DEFAULT_PATTERNS: dict[str, str] = {
    DocumentType.REGISTRATION_APPROVAL: "{organ}立〔{year}〕{number}号",
    DocumentType.REGISTRATION_REFUSAL: "{organ}不立〔{year}〕{number}号",
    DocumentType.ON_SITE_INSPECTION_RECORD: "{organ}检〔{year}〕{number}号",
    DocumentType.INQUIRY_RECORD: "{organ}询〔{year}〕{number}号",
    DocumentType.PRESERVATION_NOTICE: "{organ}存〔{year}〕{number}号",
    DocumentType.SEIZURE_DECISION: "{organ}强〔{year}〕{number}号",
    DocumentType.PRIOR_NOTICE: "{organ}罚告〔{year}〕{number}号",
    DocumentType.HEARING_NOTICE: "{organ}听通〔{year}〕{number}号",
    DocumentType.HEARING_RECORD: "{organ}听录〔{year}〕{number}号",
    DocumentType.LEGAL_REVIEW_OPINION: "{organ}审〔{year}〕{number}号",
    DocumentType.PENALTY_DECISION: "{organ}罚〔{year}〕{number}号",
    DocumentType.NO_PENALTY_DECISION: "{organ}不罚〔{year}〕{number}号",
    DocumentType.SERVICE_RECEIPT: "{organ}送〔{year}〕{number}号",
    DocumentType.DEMAND: "{organ}催〔{year}〕{number}号",
    DocumentType.DEFERRAL_DECISION: "{organ}延缴〔{year}〕{number}号",
    DocumentType.TRANSFER_LETTER: "{organ}移〔{year}〕{number}号",
    DocumentType.CLOSURE_REPORT: "{organ}结〔{year}〕{number}号",
    DocumentType.CASE_SOURCE: "{organ}案源〔{year}〕{number}号",
    DocumentType.INVESTIGATION_REPORT: "{organ}调终〔{year}〕{number}号",
    DocumentType.COLLECTIVE_DISCUSSION_RECORD: "{organ}集〔{year}〕{number}号",
}

PATTERN_FIELDS = ("organ", "year", "number")
#: The Unicode categories a number may not hold: controls (line breaks too), format
#: characters (zero-width, direction marks), separators of lines and paragraphs, and
#: what is not a character.
INVISIBLE = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"})


def validate_pattern(pattern: str) -> None:
    """A pattern must contain {number} and may use only {organ}, {year}, {number}
    (with an optional zero-padding width, e.g. {number:04d})."""
    import string

    try:
        names = [
            name
            for _text, name, _spec, _conv in string.Formatter().parse(pattern)
            if name is not None
        ]
    except ValueError as exc:
        raise ValidationError(
            _("The pattern has an unbalanced brace."), code="bad_pattern"
        ) from exc
    unknown = sorted(set(names) - set(PATTERN_FIELDS))
    if unknown:
        raise ValidationError(
            _("Unknown placeholder %(names)s; use {organ}, {year} and {number}."),
            code="bad_pattern",
            params={"names": ", ".join("{" + n + "}" for n in unknown)},
        )
    if "number" not in names:
        raise ValidationError(_("The pattern must contain {number}."), code="bad_pattern")
    from .layout import missing_glyphs, named_characters

    invisible = "".join(c for c in pattern if unicodedata.category(c) in INVISIBLE)
    unprintable = invisible + missing_glyphs([pattern])
    if unprintable:
        raise ValidationError(
            _("The documents cannot print %(chars)s: a number is one line of printable text."),
            code="bad_pattern",
            params={"chars": named_characters("".join(dict.fromkeys(unprintable)))},
        )
    try:
        pattern.format(organ="X", year=2026, number=1)
    except (ValueError, KeyError) as exc:
        raise ValidationError(
            _("The pattern cannot be formatted: %(error)s"),
            code="bad_pattern",
            params={"error": exc},
        ) from exc


class NumberPattern(models.Model):
    """An organ's own numbering pattern for one document type."""

    organ = models.ForeignKey(
        "registry.EnforcementSubject",
        verbose_name=_("organ"),
        on_delete=models.CASCADE,
        related_name="number_patterns",
    )
    document_type = models.CharField(
        _("document type"), max_length=40, choices=DocumentType.choices
    )
    pattern = models.CharField(
        _("pattern"),
        max_length=80,
        validators=[validate_pattern],
        help_text=_(
            "Placeholders: {organ} (short name), {year}, {number}. "
            "Example: {organ}罚〔{year}〕{number}号"
        ),
    )

    class Meta:
        verbose_name = _("document number pattern")
        verbose_name_plural = _("document number patterns")
        constraints = [
            models.UniqueConstraint(
                fields=["organ", "document_type"], name="one_pattern_per_organ_and_type"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organ} · {self.get_document_type_display()}: {self.pattern}"


class NumberSequence(models.Model):
    """The last number issued for (organ, document type, year). Locked while a number
    is taken, so concurrent acts queue instead of colliding."""

    organ = models.ForeignKey(
        "registry.EnforcementSubject", on_delete=models.CASCADE, related_name="+"
    )
    document_type = models.CharField(max_length=40, choices=DocumentType.choices)
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("document number sequence")
        verbose_name_plural = _("document number sequences")
        constraints = [
            models.UniqueConstraint(
                fields=["organ", "document_type", "year"], name="one_sequence_per_organ_type_year"
            )
        ]

    def __str__(self) -> str:
        return f"{self.organ_id}/{self.document_type}/{self.year}: {self.last_number}"


class IssuedNumber(models.Model):
    """Every number ever issued; the unique constraint is the last guard against
    duplicates."""

    organ = models.ForeignKey(
        "registry.EnforcementSubject",
        verbose_name=_("organ"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    document_type = models.CharField(
        _("document type"), max_length=40, choices=DocumentType.choices
    )
    year = models.PositiveSmallIntegerField(_("year"))
    number = models.PositiveIntegerField(pgettext_lazy("sequence number", "number"))
    text = models.CharField(_("document number"), max_length=120)
    issued_at = models.DateTimeField(_("issued at"), auto_now_add=True)

    class Meta:
        verbose_name = _("issued document number")
        verbose_name_plural = _("issued document numbers")
        ordering = ["organ", "document_type", "year", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["organ", "document_type", "year", "number"], name="issued_number_unique"
            ),
            models.UniqueConstraint(fields=["organ", "text"], name="issued_text_unique_per_organ"),
        ]

    def __str__(self) -> str:
        return self.text


class IssuedDocument(models.Model):
    """A rendered document (文书) of a case: the PDF as issued, stored like evidence
    under its SM3 digest and recorded in the organ's chain with its digests. A document
    is rendered once; opening it again gives the same file. ``code`` is the short public
    code its QR code and the verification page (``/d/<code>``) use."""

    record_organ_field = "organ"

    organ = models.ForeignKey(
        "registry.EnforcementSubject",
        verbose_name=_("organ"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    case = models.ForeignKey(
        "cases.Case", verbose_name=_("case"), on_delete=models.PROTECT, related_name="documents"
    )
    step = models.ForeignKey(
        "cases.CaseStep",
        verbose_name=_("step"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="documents",
    )
    kind = models.CharField(_("document type"), max_length=40, choices=DocumentType.choices)
    part = models.PositiveSmallIntegerField(
        _("part"),
        default=0,
        help_text=_(
            "Which of the step's records the document is made from (one inquiry or "
            "inspection record per document); 0 for a document of the whole step."
        ),
    )
    number = models.CharField(_("document number"), max_length=120, blank=True)
    organ_name = models.CharField(
        _("organ's name as printed"),
        max_length=200,
        blank=True,
        help_text=_(
            "The organ's name when the document was issued: the public page shows it as "
            "the paper prints it, whatever the organ is called later."
        ),
    )
    code = models.CharField(_("verification code"), max_length=16, unique=True)
    issued_on = models.DateField(_("issued on"))
    template = models.CharField(
        _("template"),
        max_length=120,
        help_text=_("The template and wording versions the document was rendered from."),
    )
    size = models.PositiveBigIntegerField(_("size in bytes"))
    sm3 = models.CharField(_("SM3 digest"), max_length=64, db_index=True)
    sha256 = models.CharField(_("SHA-256 digest"), max_length=64)
    storage_name = models.CharField(_("storage name"), max_length=255)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("rendered by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("issued document")
        verbose_name_plural = _("issued documents")
        ordering = ["case", "issued_on", "pk"]
        constraints = [
            # A document is issued once (``rendering.issue_document``): two users issuing
            # it at once get one document, one number and one entry.
            models.UniqueConstraint(
                fields=["case", "kind", "step", "part"], name="issued_document_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}".strip()

    @property
    def issuer_name(self) -> str:
        """The organ's name as the document prints it (its current name for a document
        issued before the name was kept)."""
        return self.organ_name or self.organ.name

    @property
    def display_code(self) -> str:
        """The code in groups of four, as printed: ``7KQ2-M9XD-4P3A``."""
        return "-".join(self.code[i : i + 4] for i in range(0, len(self.code), 4))


class WordingOverride(models.Model):
    """A region's own wording of a document template (data, not code): the entries of
    ``wording`` replace the template's entries of the same name for organs in the region
    (a province's code covers its cities and counties; the most specific region wins)
    for documents issued on or after ``valid_from``; the latest version in force wins."""

    region_code = models.CharField(
        _("region code"),
        max_length=9,
        help_text=_("GB/T 2260 code: 330000 (a province), 330400 (a city), 330402 (a county)."),
    )
    kind = models.CharField(_("document type"), max_length=40, choices=DocumentType.choices)
    version = models.PositiveIntegerField(_("version"))
    valid_from = models.DateField(_("valid from"))
    wording = models.JSONField(
        _("wording"),
        help_text=_('Entry name → text (Django template syntax), e.g. {"remedies": "…"}.'),
    )
    note = models.CharField(_("note"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("document wording override")
        verbose_name_plural = _("document wording overrides")
        ordering = ["region_code", "kind", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["region_code", "kind", "version"], name="wording_unique_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.region_code} · {self.get_kind_display()} v{self.version}"

    def clean(self) -> None:
        from .formats import validate_wording

        validate_wording(self.kind, self.wording)

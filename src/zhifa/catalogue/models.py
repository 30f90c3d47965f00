"""Laws and articles by version, power lists (权责清单), discretion benchmarks (裁量基准)
and the major-decision review catalogue (重大执法决定法制审核目录清单)."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from zhifa.core.validation import validate_name
from zhifa.registry.models import EnforcementSubject

from . import bands


class LawLevel(models.TextChoices):
    LAW = "law", _("Law")
    ADMINISTRATIVE_REGULATION = "administrative_regulation", _("Administrative regulation")
    LOCAL_REGULATION = "local_regulation", _("Local regulation")
    RULE = "rule", _("Rule")
    NORMATIVE_DOCUMENT = "normative_document", _("Normative document")


#: Levels a decision document may cite as its basis: laws, regulations and rules, never
#: normative documents (CQ 三(十)).
CITABLE_LEVELS = frozenset(
    {
        LawLevel.LAW,
        LawLevel.ADMINISTRATIVE_REGULATION,
        LawLevel.LOCAL_REGULATION,
        LawLevel.RULE,
    }
)


class Law(models.Model):
    """A law, regulation, rule or normative document, in one revision.

    ``valid_from`` is the date it takes effect, ``valid_to`` the last day before its
    repeal (``repealed_on``)."""

    name = models.CharField(
        pgettext_lazy("law title", "full name"),
        max_length=255,
        unique=True,
        validators=[validate_name],
    )
    level = models.CharField(_("level"), max_length=32, choices=LawLevel.choices)
    issuing_body = models.CharField(_("issuing body"), max_length=255)
    document_number = models.CharField(_("document number"), max_length=128, blank=True)
    promulgated_on = models.DateField(_("promulgated on"), null=True, blank=True)
    valid_from = models.DateField(_("effective from"))
    repealed_on = models.DateField(_("repealed on"), null=True, blank=True)

    class Meta:
        verbose_name = _("law")
        verbose_name_plural = _("laws")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"《{self.name}》"

    @property
    def citable(self) -> bool:
        return self.level in CITABLE_LEVELS

    def in_force_on(self, on: date) -> bool:
        return self.valid_from <= on and (self.repealed_on is None or on < self.repealed_on)

    def clean(self) -> None:
        if self.repealed_on and self.valid_from and self.repealed_on < self.valid_from:
            raise ValidationError({"repealed_on": _("A law cannot be repealed before it starts.")})


class Article(models.Model):
    """An article of a law (e.g. 第一百二十四条); its text lives in versions."""

    law = models.ForeignKey(
        Law, verbose_name=_("law"), on_delete=models.PROTECT, related_name="articles"
    )
    number = models.CharField(
        _("article"), max_length=64, help_text=_("As the law writes it, e.g. 第一百二十四条.")
    )
    ordinal = models.PositiveIntegerField(_("order"), default=0)
    repealed_on = models.DateField(_("repealed on"), null=True, blank=True)

    class Meta:
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        ordering = ["law__name", "ordinal", "number"]
        constraints = [
            models.UniqueConstraint(fields=["law", "number"], name="article_unique_in_law")
        ]

    def __str__(self) -> str:
        return f"《{self.law.name}》{self.number}"

    @property
    def citation(self) -> str:
        return str(self)

    def version_on(self, on: date) -> ArticleVersion | None:
        for version in self.versions.all():
            if version.valid_from <= on and (version.valid_to is None or on <= version.valid_to):
                return version
        return None


class ArticleVersion(models.Model):
    """The text of an article from ``valid_from`` to ``valid_to`` (open when None)."""

    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="versions"
    )
    text = models.TextField(_("text"))
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    class Meta:
        verbose_name = _("article version")
        verbose_name_plural = _("article versions")
        ordering = ["valid_from", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["article", "valid_from"], name="article_version_unique_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.article} ({self.valid_from})"


class PowerCategory(models.TextChoices):
    PENALTY = "penalty", _("Administrative penalty")
    LICENSING = "licensing", _("Administrative licensing")
    COERCION = "coercion", _("Administrative coercion")
    INSPECTION = "inspection", _("Administrative inspection")
    LEVY = "levy", _("Administrative levy")
    CONFIRMATION = "confirmation", _("Administrative confirmation")
    ADJUDICATION = "adjudication", _("Administrative adjudication")
    PAYMENT = "payment", _("Administrative payment")
    OTHER = "other", _("Other power")


class PowerItem(models.Model):
    """A power item (权力事项) on a subject's power list, with its legal basis."""

    subject = models.ForeignKey(
        EnforcementSubject,
        verbose_name=_("subject"),
        on_delete=models.PROTECT,
        related_name="power_items",
    )
    code = models.CharField(_("code"), max_length=64)
    name = models.CharField(_("name"), max_length=255, validators=[validate_name])
    category = models.CharField(_("category"), max_length=16, choices=PowerCategory.choices)
    basis = models.ManyToManyField(
        Article, verbose_name=_("legal basis"), related_name="power_items", blank=True
    )
    responsibilities = models.TextField(_("responsibility items"), blank=True)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    published = models.BooleanField(_("published"), default=False)
    published_on = models.DateField(_("published on"), null=True, blank=True)

    class Meta:
        verbose_name = _("power item")
        verbose_name_plural = _("power items")
        ordering = ["subject__name", "code"]
        constraints = [
            models.UniqueConstraint(fields=["subject", "code"], name="power_item_unique_code")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name}"

    def in_force_on(self, on: date) -> bool:
        return self.valid_from <= on and (self.valid_to is None or on <= self.valid_to)

    def clean(self) -> None:
        if self.valid_to and self.valid_from and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": _("The item cannot end before it starts.")})
        if self.published and not self.published_on:
            raise ValidationError({"published_on": _("Give the date the item was published.")})


class BasisChangeKind(models.TextChoices):
    NEW_VERSION = "new_version", _("New version")
    REPEALED = "repealed", _("Repealed")


class BasisChange(models.Model):
    """A change of an article that power items cite (a new version or its repeal)."""

    article = models.ForeignKey(
        Article, verbose_name=_("article"), on_delete=models.CASCADE, related_name="changes"
    )
    kind = models.CharField(_("change"), max_length=16, choices=BasisChangeKind.choices)
    changed_on = models.DateField(_("changed on"))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("basis change")
        verbose_name_plural = _("basis changes")
        ordering = ["-changed_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.article} {self.get_kind_display()} {self.changed_on}"


class PowerItemWarning(models.Model):
    """The JL one-month update warning (JL 三(二), rule JL-power-list-update): a basis
    article of the power item changed; the list must be reviewed and, where needed,
    adjusted and published by ``deadline``. Open until a review is recorded."""

    power_item = models.ForeignKey(
        PowerItem,
        verbose_name=_("power item"),
        on_delete=models.CASCADE,
        related_name="update_warnings",
    )
    change = models.ForeignKey(
        BasisChange, verbose_name=_("basis change"), on_delete=models.CASCADE, related_name="+"
    )
    deadline = models.DateField(_("deadline"))
    reviewed_on = models.DateField(_("reviewed on"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    review_note = models.TextField(_("review note"), blank=True)

    class Meta:
        verbose_name = _("power list update warning")
        verbose_name_plural = _("power list update warnings")
        ordering = ["deadline", "pk"]

    def __str__(self) -> str:
        return f"{self.power_item} → {self.deadline}"

    @property
    def is_open(self) -> bool:
        return self.reviewed_on is None

    def overdue_on(self, on: date) -> bool:
        return self.is_open and on > self.deadline


class Circumstance(models.TextChoices):
    NO_PENALTY = bands.NO_PENALTY, pgettext_lazy("discretion band", "No penalty")
    MITIGATED = bands.MITIGATED, _("Mitigated penalty")
    LIGHTER = bands.LIGHTER, _("Lighter penalty")
    GENERAL = bands.GENERAL, _("General penalty")
    HEAVIER = bands.HEAVIER, _("Heavier penalty")


#: The organ's 三张清单: the bands of these circumstances form its no-penalty list
#: (不予处罚清单), mitigated list (减轻处罚清单) and lighter list (从轻处罚清单).
THREE_LISTS = (Circumstance.NO_PENALTY, Circumstance.MITIGATED, Circumstance.LIGHTER)


class DiscretionBenchmark(models.Model):
    """One version of the discretion benchmark for one violation of a power item."""

    power_item = models.ForeignKey(
        PowerItem,
        verbose_name=_("power item"),
        on_delete=models.PROTECT,
        related_name="benchmarks",
    )
    violation = models.CharField(_("violation"), max_length=255)
    penalty_article = models.ForeignKey(
        Article,
        verbose_name=_("penalty provision"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="benchmarks",
    )
    statutory_range = models.TextField(
        _("statutory range"), help_text=_("The penalty as the law states it.")
    )
    statutory_min = models.DecimalField(
        _("statutory minimum fine (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    statutory_max = models.DecimalField(
        _("statutory maximum fine (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    description = models.TextField(_("description"), blank=True)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    published = models.BooleanField(_("published"), default=False)
    published_on = models.DateField(_("published on"), null=True, blank=True)

    class Meta:
        verbose_name = _("discretion benchmark")
        verbose_name_plural = _("discretion benchmarks")
        ordering = ["power_item__code", "violation", "-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["power_item", "violation", "valid_from"], name="benchmark_unique_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.violation} ({self.valid_from})"

    def clean(self) -> None:
        errors = {}
        if self.valid_to and self.valid_from and self.valid_to < self.valid_from:
            errors["valid_to"] = _("The benchmark cannot end before it starts.")
        if (
            self.statutory_min is not None
            and self.statutory_max is not None
            and self.statutory_min > self.statutory_max
        ):
            errors["statutory_min"] = _("The minimum is above the maximum.")
        if self.published and not self.published_on:
            errors["published_on"] = _("Give the date the benchmark was published.")
        if errors:
            raise ValidationError(errors)

    def as_version(self) -> bands.BenchmarkVersion:
        return bands.BenchmarkVersion(
            id=self.pk,
            violation=self.violation,
            valid_from=self.valid_from,
            valid_to=self.valid_to,
            published=self.published,
            statutory_min=self.statutory_min,
            statutory_max=self.statutory_max,
            bands=tuple(b.as_band() for b in self.bands.all()),
        )


class BenchmarkBand(models.Model):
    """A band of a benchmark: the circumstance, its conditions in words and the
    penalty (with the fine range in yuan where there is one)."""

    benchmark = models.ForeignKey(
        DiscretionBenchmark,
        verbose_name=_("benchmark"),
        on_delete=models.CASCADE,
        related_name="bands",
    )
    circumstance = models.CharField(_("circumstance"), max_length=16, choices=Circumstance.choices)
    conditions = models.TextField(_("conditions"))
    penalty = models.TextField(_("penalty"), blank=True)
    fine_min = models.DecimalField(
        _("minimum fine (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    fine_max = models.DecimalField(
        _("maximum fine (yuan)"), max_digits=14, decimal_places=2, null=True, blank=True
    )

    class Meta:
        verbose_name = _("benchmark band")
        verbose_name_plural = _("benchmark bands")
        ordering = ["benchmark", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["benchmark", "circumstance"], name="band_unique_circumstance"
            )
        ]

    def __str__(self) -> str:
        return f"{self.benchmark} {self.get_circumstance_display()}"

    def as_band(self) -> bands.Band:
        return bands.Band(
            circumstance=self.circumstance,
            conditions=self.conditions,
            penalty=self.penalty,
            fine_min=self.fine_min,
            fine_max=self.fine_max,
        )


class ReviewCatalogueItem(models.Model):
    """An entry of the organ's major-decision review catalogue (重大执法决定法制审核
    目录清单): decisions of this kind need a passed legal review first (APL Art. 58;
    GB118; rule APL-58-legal-review)."""

    organ = models.ForeignKey(
        EnforcementSubject,
        verbose_name=_("organ"),
        on_delete=models.PROTECT,
        related_name="review_catalogue",
    )
    title = models.CharField(_("matter"), max_length=255)
    criteria = models.TextField(_("criteria"), help_text=_("When a decision falls under it."))
    category = models.CharField(
        _("category"), max_length=16, choices=PowerCategory.choices, blank=True
    )
    power_items = models.ManyToManyField(
        PowerItem, verbose_name=_("power items"), related_name="review_entries", blank=True
    )
    basis = models.TextField(_("basis"), blank=True)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    published = models.BooleanField(_("published"), default=False)
    published_on = models.DateField(_("published on"), null=True, blank=True)

    class Meta:
        verbose_name = _("review catalogue entry")
        verbose_name_plural = _("review catalogue entries")
        ordering = ["organ__name", "pk"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.valid_to and self.valid_from and self.valid_to < self.valid_from:
            raise ValidationError({"valid_to": _("The entry cannot end before it starts.")})

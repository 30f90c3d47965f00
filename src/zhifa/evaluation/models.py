"""Case-file evaluation (案卷评查, JX-file-review: JX 五(一); CQ 六(二); NA 32).

- A **scoring sheet** (评查标准) is dated data, like the rules: veto items (any one
  failed scores the file 0) and scored items in two parts (卷面 form, 内容 substance),
  each with its points and the deduction per fault, and the engine rule IDs whose
  findings pre-fill it. A province or sector imports its own (``sheets``); the version
  valid on a day is chosen by date.
- A **campaign** (评查活动) of a justice bureau's supervisor: the organs of the region,
  the period, the sample per organ and the sheet. Publishing it fixes each organ's
  **roster** (the eligible case files, canonical text, SHA-256 published); the draw
  combines the roster hashes with a value nobody controls that became known after
  publication (``draw``: docs/adr/0020-verifiable-evaluation-draw.md)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from zhifa.cases.models import Case
from zhifa.registry.models import EnforcementSubject, Region


class ItemKind(models.TextChoices):
    VETO = "veto", _("Veto item")
    FORM = "form", _("Form (卷面)")
    SUBSTANCE = "substance", _("Substance (内容)")


class ScoringSheet(models.Model):
    """One version of a scoring sheet."""

    code = models.CharField(_("code"), max_length=64)
    version = models.CharField(_("version"), max_length=32)
    name = models.CharField(_("name"), max_length=200)
    issuer = models.CharField(_("issuer"), max_length=200)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    note = models.TextField(
        _("note"),
        blank=True,
        help_text=_("Where the sheet comes from (its document) or that it is an example."),
    )
    source_sha256 = models.CharField(_("SHA-256 of the imported file"), max_length=64, blank=True)
    imported_at = models.DateTimeField(_("imported at"))

    class Meta:
        verbose_name = _("scoring sheet")
        verbose_name_plural = _("scoring sheets")
        ordering = ["code", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["code", "version"], name="sheet_unique_version")
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.version})"

    @property
    def total_points(self) -> int:
        return sum(i.points for i in self.items.all() if i.kind != ItemKind.VETO)


class SheetItem(models.Model):
    """A veto item or a scored item of a sheet."""

    sheet = models.ForeignKey(
        ScoringSheet, verbose_name=_("sheet"), on_delete=models.CASCADE, related_name="items"
    )
    position = models.PositiveIntegerField(_("sequence number"))
    code = models.CharField(_("code"), max_length=32)
    kind = models.CharField(_("kind"), max_length=16, choices=ItemKind.choices)
    aspect = models.CharField(_("aspect"), max_length=64, blank=True)
    text = models.TextField(_("what is checked"))
    points = models.PositiveSmallIntegerField(_("points"), default=0)
    deduction = models.PositiveSmallIntegerField(
        _("deduction per fault"), default=0, help_text=_("Points deducted for each fault.")
    )
    rules = models.JSONField(
        _("engine rules"),
        default=list,
        blank=True,
        help_text=_("Rule IDs whose findings on the case pre-fill this item."),
    )

    class Meta:
        verbose_name = _("scoring sheet item")
        verbose_name_plural = _("scoring sheet items")
        ordering = ["sheet", "position"]
        constraints = [
            models.UniqueConstraint(fields=["sheet", "code"], name="sheet_item_unique_code")
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.text[:30]}"


class CampaignStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    PUBLISHED = "published", _("Rosters published")
    DRAWN = "drawn", _("Sample drawn")
    RESULTS_PUBLISHED = "results", _("Results published")


class Campaign(models.Model):
    """A case-file evaluation campaign of a justice bureau (评查活动)."""

    record_organ_field = "bureau"

    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    bureau = models.ForeignKey(
        EnforcementSubject,
        verbose_name=_("justice bureau"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    number = models.CharField(_("number"), max_length=64, unique=True)
    title = models.CharField(_("title"), max_length=200)
    sheet = models.ForeignKey(
        ScoringSheet, verbose_name=_("scoring sheet"), on_delete=models.PROTECT, related_name="+"
    )
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    status = models.CharField(
        _("status"), max_length=16, choices=CampaignStatus.choices, default=CampaignStatus.PLANNED
    )
    planned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("planned by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    planned_at = models.DateTimeField(_("planned at"))
    method = models.TextField(_("method of the draw"), blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_on = models.DateField(_("published on"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    beacon_value = models.TextField(_("public random value"), blank=True)
    beacon_reference = models.TextField(_("source of the value"), blank=True)
    beacon_on = models.DateField(_("value known on"), null=True, blank=True)
    seed = models.CharField(_("seed"), max_length=64, blank=True)
    drawn_at = models.DateTimeField(_("drawn at"), null=True, blank=True)
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("drawn by"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    results_published_at = models.DateTimeField(_("results published at"), null=True, blank=True)

    class Meta:
        verbose_name = _("evaluation campaign")
        verbose_name_plural = _("evaluation campaigns")
        ordering = ["-planned_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.number} {self.title}"


class Roster(models.Model):
    """One organ of a campaign: its sample and, once published, its roster of eligible
    case files (canonical text, ``draw.roster_text``) and the roster's SHA-256."""

    campaign = models.ForeignKey(
        Campaign, verbose_name=_("campaign"), on_delete=models.CASCADE, related_name="rosters"
    )
    organ = models.ForeignKey(
        EnforcementSubject, verbose_name=_("organ"), on_delete=models.PROTECT, related_name="+"
    )
    position = models.PositiveIntegerField(_("sequence number"))
    sample_size = models.PositiveIntegerField(_("sample size"), null=True, blank=True)
    sample_rate = models.PositiveSmallIntegerField(_("sample rate (%)"), null=True, blank=True)
    text = models.TextField(_("roster"), blank=True)
    sha256 = models.CharField(_("roster SHA-256"), max_length=64, blank=True)
    size = models.PositiveIntegerField(_("files in the roster"), default=0)

    class Meta:
        verbose_name = _("roster")
        verbose_name_plural = _("rosters")
        ordering = ["campaign", "position"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "organ"], name="roster_unique_organ"),
            models.UniqueConstraint(fields=["campaign", "position"], name="roster_unique_position"),
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id}/{self.position}"


class DrawnFile(models.Model):
    """A case file the draw selected."""

    roster = models.ForeignKey(
        Roster, verbose_name=_("roster"), on_delete=models.CASCADE, related_name="drawn"
    )
    case = models.ForeignKey(
        Case, verbose_name=_("case"), on_delete=models.PROTECT, related_name="+", null=True
    )
    file_id = models.CharField(_("file ID"), max_length=128)
    case_number = models.CharField(_("case number"), max_length=64, blank=True)
    rank = models.PositiveIntegerField(_("rank"))
    ticket = models.CharField(_("ticket"), max_length=64)

    class Meta:
        verbose_name = _("drawn file")
        verbose_name_plural = _("drawn files")
        ordering = ["roster", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["roster", "file_id"], name="drawn_unique_file")
        ]

    def __str__(self) -> str:
        return self.file_id


class Assignment(models.Model):
    """An evaluator assigned to a drawn file (never a user of the evaluated organ)."""

    drawn = models.OneToOneField(
        DrawnFile, verbose_name=_("drawn file"), on_delete=models.CASCADE, related_name="assignment"
    )
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("evaluator"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    assigned_at = models.DateTimeField(_("assigned at"))

    class Meta:
        verbose_name = _("evaluator assignment")
        verbose_name_plural = _("evaluator assignments")

    def __str__(self) -> str:
        return f"{self.drawn_id} → {self.evaluator_id}"


class FileScore(models.Model):
    """The evaluator's score of one drawn file against the campaign's sheet."""

    drawn = models.OneToOneField(
        DrawnFile, verbose_name=_("drawn file"), on_delete=models.CASCADE, related_name="score"
    )
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("evaluator"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    vetoed = models.BooleanField(_("vetoed"), default=False)
    form_points = models.PositiveSmallIntegerField(_("form points"), default=0)
    substance_points = models.PositiveSmallIntegerField(_("substance points"), default=0)
    total = models.PositiveSmallIntegerField(_("score"), default=0)
    scored_at = models.DateTimeField(_("scored at"))

    class Meta:
        verbose_name = _("file score")
        verbose_name_plural = _("file scores")

    def __str__(self) -> str:
        return f"{self.drawn_id}: {self.total}"


class ItemScore(models.Model):
    """One item of a file's score: what the engine's stored findings pre-filled and what
    the evaluator confirmed or corrected, with notes."""

    score = models.ForeignKey(
        FileScore, verbose_name=_("file score"), on_delete=models.CASCADE, related_name="items"
    )
    item = models.ForeignKey(
        SheetItem, verbose_name=_("sheet item"), on_delete=models.PROTECT, related_name="+"
    )
    prefilled_faults = models.PositiveSmallIntegerField(_("faults pre-filled"), default=0)
    prefilled_rules = models.JSONField(_("rules found"), default=list, blank=True)
    faults = models.PositiveSmallIntegerField(_("faults"), default=0)
    deducted = models.PositiveSmallIntegerField(_("points deducted"), default=0)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("item score")
        verbose_name_plural = _("item scores")
        ordering = ["score", "item__position"]
        constraints = [
            models.UniqueConstraint(fields=["score", "item"], name="item_score_unique_item")
        ]

    def __str__(self) -> str:
        return f"{self.score_id}/{self.item_id}: {self.faults}"


class Rectification(models.Model):
    """A rectification requirement of a campaign to an organ: a supervision notice
    (SUP-notice) with its deadline; the organ replies to the notice in writing."""

    campaign = models.ForeignKey(
        Campaign,
        verbose_name=_("campaign"),
        on_delete=models.CASCADE,
        related_name="rectifications",
    )
    organ = models.ForeignKey(
        EnforcementSubject, verbose_name=_("organ"), on_delete=models.PROTECT, related_name="+"
    )
    notice = models.OneToOneField(
        "supervision.Notice",
        verbose_name=_("supervision notice"),
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("rectification requirement")
        verbose_name_plural = _("rectification requirements")

    def __str__(self) -> str:
        return f"{self.campaign_id}/{self.organ_id}"


class GradeSubject(models.TextChoices):
    ORGAN = "organ", _("Organ")
    OFFICER = "officer", _("Officer")


class Grade(models.TextChoices):
    """JL 六(三)'s three grades (``rules.engine.evaluation_grades.GRADES``)."""

    EXCELLENT = "excellent", _("Excellent (优秀)")
    PASS = "pass", _("Pass (合格)")
    FAIL = "fail", _("Fail (不合格)")


class AnnualGrade(models.Model):
    """The annual evaluation (评议考核, JL-evaluation) of an organ (``officer`` empty) or
    of an officer of the organ, for a year: the grader's assessment and grade, the
    indicators the grader saw (as computed then), the consequences the engine gave, the
    rectification notice of an organ 不合格 and the registry flag of an officer 不合格 two
    years running. Written only by ``grading.record_grade``; published by
    ``grading.publish_year``."""

    record_organ_field = "organ"

    year = models.PositiveSmallIntegerField(_("year"))
    subject = models.CharField(_("graded"), max_length=8, choices=GradeSubject.choices)
    organ = models.ForeignKey(
        EnforcementSubject, verbose_name=_("organ"), on_delete=models.PROTECT, related_name="+"
    )
    officer = models.ForeignKey(
        "registry.Officer",
        verbose_name=_("officer"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    grade = models.CharField(_("grade"), max_length=16, choices=Grade.choices)
    assessment = models.TextField(_("assessment"))
    indicators = models.JSONField(_("indicators when graded"), default=dict, blank=True)
    consequences = models.JSONField(_("consequences"), default=list, blank=True)
    graded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("graded by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    graded_at = models.DateTimeField(_("graded at"))
    notice = models.ForeignKey(
        "supervision.Notice",
        verbose_name=_("rectification notice"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    flag = models.ForeignKey(
        "registry.OfficerFlag",
        verbose_name=_("registry flag"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        verbose_name = _("annual evaluation grade")
        verbose_name_plural = _("annual evaluation grades")
        ordering = ["-year", "organ__name", "officer__name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["year", "organ"],
                condition=models.Q(officer__isnull=True),
                name="annual_grade_unique_organ",
            ),
            models.UniqueConstraint(
                fields=["year", "officer"],
                condition=models.Q(officer__isnull=False),
                name="annual_grade_unique_officer",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} {self.officer or self.organ}: {self.grade}"

"""Regions (行政区划) and enforcement subjects (行政执法主体)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from .validators import validate_region_code, validate_uscc


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


class EnforcementSubjectQuerySet(models.QuerySet["EnforcementSubject"]):
    def in_region(self, region: Region) -> EnforcementSubjectQuerySet:
        return self.filter(region__path__startswith=region.path)


class EnforcementSubject(models.Model):
    """An organ or organisation in the registry (行政执法主体), including the bodies
    that exist only so that they can be refused."""

    name = models.CharField(_("name"), max_length=128)
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
    is_justice_bureau = models.BooleanField(
        _("justice bureau"),
        default=False,
        help_text=_("The justice bureau (司法局) that supervises enforcement in its region."),
    )
    active = models.BooleanField(_("active"), default=True)

    objects = EnforcementSubjectQuerySet.as_manager()

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

"""Users and their roles. Every user belongs to one organ, except supervisors (one
region) and administrators (optionally limited to a region)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

# Re-exported: the roles live with the scope layer (core.roles).
from zhifa.core.roles import ORGAN_ROLES as ORGAN_ROLES
from zhifa.core.roles import Role as Role


class User(AbstractUser):
    # Chinese names are not split into first/last name.
    first_name = None  # type: ignore[assignment]
    last_name = None  # type: ignore[assignment]

    full_name = models.CharField(_("full name"), max_length=64)
    role = models.CharField(_("role"), max_length=32, choices=Role.choices)
    organ = models.ForeignKey(
        settings.ZHIFA_ORGAN_MODEL,
        verbose_name=_("organ"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
    )
    region = models.ForeignKey(
        settings.ZHIFA_REGION_MODEL,
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="users",
        help_text=_("For supervisors: the region they supervise. Administrators: optional."),
    )

    objects = UserManager()

    REQUIRED_FIELDS = ["email"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]

    def __str__(self) -> str:
        return f"{self.full_name}（{self.username}）" if self.full_name else self.username

    def save(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        # Only platform administrators (and superusers) enter the unscoped admin site.
        self.is_staff = self.is_superuser or (
            self.role == Role.ADMINISTRATOR and self.region_id is None
        )
        super().save(*args, **kwargs)

    def get_full_name(self) -> str:
        return self.full_name or self.username

    def get_short_name(self) -> str:
        return self.full_name or self.username

    def clean(self) -> None:
        super().clean()
        if self.role in ORGAN_ROLES:
            if self.organ_id is None:
                raise ValidationError({"organ": _("This role requires an organ.")})
            if self.region_id is not None:
                raise ValidationError(
                    {"region": _("Users of an organ take their scope from the organ; leave empty.")}
                )
        elif self.role == Role.SUPERVISOR:
            if self.region_id is None:
                raise ValidationError({"region": _("A supervisor must be attached to a region.")})
            if self.organ_id is not None:
                raise ValidationError(
                    {"organ": _("A supervisor is attached to a region, not an organ.")}
                )

    @property
    def is_administrator(self) -> bool:
        return self.is_superuser or self.role == Role.ADMINISTRATOR


class ApiToken(models.Model):
    """A personal API token. It acts as its user, with the user's role and scope.

    Only a SHA-256 digest of the secret is stored (the secret is 32 random bytes, so a
    fast hash suffices); the full token is shown once, when it is created.
    """

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=64, help_text=_("What the token is for."))
    prefix = models.CharField(_("prefix"), max_length=12, unique=True, editable=False)
    digest = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

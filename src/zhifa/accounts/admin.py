"""Accounts in the administration site. There is no other page for accounts: a change
of an account's role, organ, region or status is saved through ``services.save_user``,
which records it (``user.create`` / ``user.update``) in the chain of each organ
concerned; accounts are deactivated, never deleted (issue #13)."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import UserChangeForm, UserCreationForm
from django.utils.translation import gettext_lazy as _

from . import services
from .models import Role, User


class RecordedScopeMixin:
    """Refuse, on the field, an account whose scope change no chain could record
    (``services.save_user`` would refuse it)."""

    def clean(self):  # type: ignore[no-untyped-def]
        cleaned = super().clean()  # type: ignore[misc]
        recorded = set(services.USER_RECORDED_FIELDS)
        instance = self.instance  # type: ignore[attr-defined]
        if instance.pk and not recorded & set(self.changed_data):  # type: ignore[attr-defined]
            return cleaned
        values = [
            {
                "organ": getattr(cleaned.get("organ"), "pk", None),
                "region": getattr(cleaned.get("region"), "pk", None),
            }
        ]
        if instance.pk:
            values.append({"organ": instance.organ_id, "region": instance.region_id})
        if not services.account_chains(values):
            self.add_error("region", services.NO_CHAIN())  # type: ignore[attr-defined]
        return cleaned


class ZhifaUserCreationForm(RecordedScopeMixin, UserCreationForm):
    class Meta(UserCreationForm.Meta):
        model = User
        fields = ("username", "full_name", "role", "organ", "region")


class ZhifaUserChangeForm(RecordedScopeMixin, UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    form = ZhifaUserChangeForm
    add_form = ZhifaUserCreationForm
    list_display = ("username", "full_name", "role", "organ", "region", "is_active")
    list_filter = ("role", "is_active", "organ__region")
    search_fields = ("username", "full_name", "email")
    ordering = ("username",)
    autocomplete_fields = ("organ", "region")
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Person"), {"fields": ("full_name", "email")}),
        (_("Role and scope"), {"fields": ("role", "organ", "region")}),
        (_("Status"), {"fields": ("is_active", "is_staff", "is_superuser")}),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )

    def get_queryset(self, request):  # type: ignore[no-untyped-def]
        # A party's acting user (docs/party.md) carries the party's name and is no
        # account to administer: not listed, not opened, never activated here.
        return super().get_queryset(request).exclude(role=Role.PARTY)

    def save_model(self, request, obj, form, change):  # type: ignore[no-untyped-def]
        """Through ``services.save_user``: a change of the account's role, organ, region
        or status writes its record entry in the same transaction (issue #13)."""
        services.save_user(obj, actor=request.user)

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        # An account's entries name it as their actor: deactivate it (is_active) instead.
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        # Only a superuser may change a superuser's account, its password included
        # (Django's password view asks this too): an administrator cannot take over or
        # lock out the account above theirs.
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False
        return bool(super().has_change_permission(request, obj))

    def get_readonly_fields(self, request, obj=None):  # type: ignore[no-untyped-def]
        # is_staff follows the role; only a superuser may grant or take superuser.
        readonly = ["is_staff", "last_login", "date_joined"]
        if not request.user.is_superuser:
            readonly.append("is_superuser")
        return readonly

    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": (
                    "username",
                    "full_name",
                    "role",
                    "organ",
                    "region",
                    "password1",
                    "password2",
                ),
            },
        ),
    )

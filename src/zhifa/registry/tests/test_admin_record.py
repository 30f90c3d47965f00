"""Every change the administration site makes to a recorded model goes through the
services and their record entry, or the admin is read-only for it (issue #13 item 2):
an organ renamed, made a justice bureau and moved to another region writes
``subject.update``; an account's role change writes ``user.update``; regions are
read-only; and ``records verify`` passes afterwards."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.forms.models import model_to_dict
from django.urls import reverse

from zhifa.accounts.models import Role, User
from zhifa.core.testing import client_for
from zhifa.records.models import Entry
from zhifa.registry import services
from zhifa.registry.models import EnforcementSubject, Region


def _verify() -> str:
    out = io.StringIO()
    call_command("records", "verify", stdout=out)
    return out.getvalue()


def _form(obj, **changes):
    data = {k: ("" if v is None else v) for k, v in model_to_dict(obj).items()}
    data.update(changes)
    return {k: v for k, v in data.items() if v is not False}


@pytest.fixture
def organ(regions, admin_user):
    return services.create_subject(
        actor=admin_user, name="嘉兴市某某局", subject_type="statutory", region=regions["330400"]
    )


@pytest.mark.django_db
def test_an_organ_changed_in_the_admin_is_recorded(admin_user, regions, organ):
    response = client_for(admin_user).post(
        reverse("admin:registry_enforcementsubject_change", args=[organ.pk]),
        _form(
            organ,
            name="嘉善县某某局",
            region=regions["330421"].pk,
            is_justice_bureau="on",
            active="on",
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    organ.refresh_from_db()
    assert (organ.name, organ.region, organ.is_justice_bureau) == (
        "嘉善县某某局",
        regions["330421"],
        True,
    )
    entry = Entry.objects.filter(organ=organ).order_by("-seq").first()
    assert (entry.action, entry.actor_id) == ("subject.update", admin_user.pk)
    assert json.loads(entry.payload)["changes"] == {
        "name": {"old": "嘉兴市某某局", "new": "嘉善县某某局"},
        "region": {"old": "330400", "new": "330421"},
        "is_justice_bureau": {"old": False, "new": True},
    }
    assert _verify().startswith("records verify: OK")


@pytest.mark.django_db
def test_an_organ_added_in_the_admin_is_recorded_and_none_is_deleted(admin_user, regions, organ):
    client = client_for(admin_user)
    response = client.post(
        reverse("admin:registry_enforcementsubject_add"),
        {
            "name": "嘉兴市新局",
            "subject_type": "statutory",
            "region": regions["330400"].pk,
            "active": "on",
        },
    )
    assert response.status_code == 302
    added = EnforcementSubject.objects.get(name="嘉兴市新局")
    assert list(Entry.objects.filter(organ=added).values_list("action", flat=True)) == [
        "subject.create"
    ]
    delete = reverse("admin:registry_enforcementsubject_delete", args=[organ.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert EnforcementSubject.objects.filter(pk=organ.pk).exists()


@pytest.mark.django_db
def test_regions_are_read_only_in_the_admin(admin_user, regions):
    client = client_for(admin_user)
    county = regions["330421"]
    assert client.get(reverse("admin:registry_region_changelist")).status_code == 200
    assert client.get(reverse("admin:registry_region_change", args=[county.pk])).status_code == 200
    moved = client.post(
        reverse("admin:registry_region_change", args=[county.pk]),
        {"code": county.code, "name": "改名县", "level": county.level, "parent": ""},
    )
    assert moved.status_code == 403
    assert client.get(reverse("admin:registry_region_add")).status_code == 403
    county.refresh_from_db()
    assert (county.name, county.parent) == ("嘉善县", regions["330400"])
    assert Region.objects.filter(code="330421").count() == 1


@pytest.mark.django_db
def test_an_account_role_changed_in_the_admin_is_recorded(admin_user, officer_a, organ_a):
    form = _form(officer_a, role=Role.ORGAN_HEAD, is_active="on")
    form.pop("password", None)
    form.pop("groups", None)
    form.pop("user_permissions", None)
    response = client_for(admin_user).post(
        reverse("admin:accounts_user_change", args=[officer_a.pk]), form
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    officer_a.refresh_from_db()
    assert officer_a.role == Role.ORGAN_HEAD
    entry = Entry.objects.get(action="user.update")
    assert (entry.organ_id, entry.actor_id, entry.object_id) == (
        organ_a.pk,
        admin_user.pk,
        str(officer_a.pk),
    )
    assert json.loads(entry.payload)["changes"] == {"role": {"old": "officer", "new": "organ_head"}}
    assert _verify().startswith("records verify: OK")


@pytest.mark.django_db
def test_an_account_without_a_recording_chain_is_refused(admin_user, regions):
    # A supervisor of 嘉兴市, where no justice bureau is registered: nothing can record it.
    response = client_for(admin_user).post(
        reverse("admin:accounts_user_add"),
        {
            "username": "newsupervisor",
            "full_name": "新人",
            "role": "supervisor",
            "region": regions["330400"].pk,
            "password1": "Strong-password-2026",
            "password2": "Strong-password-2026",
        },
    )
    assert response.status_code in (200, 400)
    assert not User.objects.filter(username="newsupervisor").exists()
    assert not Entry.objects.filter(action="user.create").exists()

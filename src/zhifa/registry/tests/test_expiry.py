"""The daily expiry task and the public clean-up notice (清理公告)."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command

from zhifa.core.testing import make_organ
from zhifa.registry import services
from zhifa.registry.models import (
    Certificate,
    CertificateStatusChange,
    CleanupNotice,
    Entrustment,
    SubjectType,
)

PDF = b"%PDF-1.4\n%%EOF\n"


def _entrustment(organ_c, regions, today, actor, *, published, name, number):
    entrusted = make_organ(name, regions["330424"], SubjectType.ENTRUSTED, parent=organ_c)
    return services.create_entrustment(
        entrusting_organ=organ_c,
        entrusted=entrusted,
        valid_from=today - timedelta(days=400),
        valid_to=today - timedelta(days=1),
        instrument=ContentFile(PDF, name="w.pdf"),
        instrument_number=number,
        published=published,
        published_on=(today - timedelta(days=400)) if published else None,
        actor=actor,
    )


@pytest.mark.django_db
def test_unpublished_entrustments_expire_but_stay_off_the_public_notice(
    organ_c, regions, today, settings, tmp_path, actor, client
):
    settings.MEDIA_ROOT = tmp_path
    hidden = _entrustment(
        organ_c, regions, today, actor, published=False, name="某内部执法队", number="秘〔2020〕1号"
    )
    shown = _entrustment(
        organ_c,
        regions,
        today,
        actor,
        published=True,
        name="武原街道执法队",
        number="委〔2020〕2号",
    )
    notice = services.expire_due(today)
    hidden.refresh_from_db()
    shown.refresh_from_db()
    assert hidden.status == shown.status == "expired"
    assert notice.entrustments_expired == 1
    html = client.get("/notices/cleanup/").content.decode()
    assert "委〔2020〕2号" in html and "武原街道执法队" in html
    assert "秘〔2020〕1号" not in html and "某内部执法队" not in html


@pytest.fixture
def entrustment(organ_c, regions, today, settings, tmp_path, actor):
    settings.MEDIA_ROOT = tmp_path
    entrusted = make_organ(
        "武原街道执法队", regions["330424"], SubjectType.ENTRUSTED, parent=organ_c
    )
    return services.create_entrustment(
        published=True,
        published_on=today - timedelta(days=400),
        entrusting_organ=organ_c,
        entrusted=entrusted,
        valid_from=today - timedelta(days=400),
        valid_to=today - timedelta(days=1),
        instrument=ContentFile(PDF, name="w.pdf"),
        instrument_number="委托〔2025〕1号",
        actor=actor,
    )


@pytest.mark.django_db
def test_expire_due_expires_and_records_a_notice(person_a, person_b, entrustment, today, client):
    ended = person_b.certificates.get()
    Certificate.objects.filter(pk=ended.pk).update(valid_to=today - timedelta(days=1))
    notice = services.expire_due(today)
    assert (notice.certificates_expired, notice.entrustments_expired) == (1, 1)
    ended.refresh_from_db()
    assert ended.status == "expired" and ended.status_changed_on == today
    assert CertificateStatusChange.objects.filter(certificate=ended, status="expired").count() == 1
    assert person_a.certificates.get().status == "valid"
    entrustment.refresh_from_db()
    assert entrustment.status == "expired"
    # Running again changes nothing more, but records the run.
    again = services.expire_due(today)
    assert (again.certificates_expired, again.entrustments_expired) == (0, 0)
    assert CleanupNotice.objects.count() == 2
    assert CertificateStatusChange.objects.filter(certificate=ended, status="expired").count() == 1

    html = client.get("/notices/cleanup/").content.decode()
    assert "B-0001" in html and person_b.name in html and "委托〔2025〕1号" in html
    assert "A-0001" not in html
    assert person_b.id_number not in html


@pytest.mark.django_db
def test_a_certificate_ending_today_is_still_valid_today(person_a, today):
    Certificate.objects.filter(officer=person_a).update(valid_to=today)
    assert services.expire_due(today).certificates_expired == 0
    assert services.expire_due(today + timedelta(days=1)).certificates_expired == 1


@pytest.mark.django_db
def test_command_runs_as_of_a_date(person_a, today):
    out = StringIO()
    end = person_a.certificates.get().valid_to
    call_command("registry", "expire", "--date", (end + timedelta(days=1)).isoformat(), stdout=out)
    assert "1 certificate(s)" in out.getvalue() and "A-0001" in out.getvalue()
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--date"):
        call_command("registry", "expire", "--date", "2026-13-01", stdout=StringIO())


@pytest.mark.django_db
def test_suspended_certificate_also_expires(person_a, today, actor):
    c = person_a.certificates.get()
    services.change_certificate_status(
        c, status="suspended", reason="x", effective_on=today, actor=actor
    )
    notice = services.expire_due(c.valid_to + timedelta(days=1))
    assert notice.certificates_expired == 1
    assert Entrustment.objects.count() == 0

"""Evidence upload: digests computed while streaming, type from content, size limits,
content-addressed immutable storage, and refusals that store nothing."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from zhifa.cases.tests import conftest as cases_conftest
from zhifa.core.testing import FROZEN_NOW, client_for
from zhifa.records.evidence_files import evidence_storage
from zhifa.records.models import Entry, Evidence
from zhifa.records.services import ObjectRef, add_evidence

from .files import ELF, MP3, PNG, evidence_kwargs, upload

power_item = cases_conftest.power_item
people = cases_conftest.people
general_case = cases_conftest.general_case

ALL_KINDS = ("photo", "document", "audio", "video")

# Evidence is collected on 20 November 2026, and no collection time may be later than now.
pytestmark = pytest.mark.usefixtures("frozen_clock")


def stored_files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def assert_nothing_stored(settings) -> None:
    assert stored_files(settings) == []
    assert not Evidence.objects.exists()
    assert not Entry.objects.exists()


@pytest.mark.django_db
class TestAddEvidence:
    def test_stores_by_digest_and_records_the_digests(self, officer_a, organ_a, settings):
        case = ObjectRef("cases.case", "42")
        evidence = add_evidence(**evidence_kwargs(officer_a, obj=case, device_id="DSJ-01"))
        assert evidence.sm3 == hashlib.new("sm3", PNG).hexdigest()
        assert evidence.sha256 == hashlib.sha256(PNG).hexdigest()
        assert (evidence.size, evidence.content_type, evidence.extension) == (
            len(PNG),
            "image/png",
            "png",
        )
        assert (
            evidence.storage_name
            == f"evidence/{evidence.sm3[:2]}/{evidence.sm3[2:4]}/{evidence.sm3}.png"
        )
        assert [p.read_bytes() for p in stored_files(settings)] == [PNG]
        assert str(settings.MEDIA_ROOT) in evidence_storage().path(evidence.storage_name)
        entry = Entry.objects.get()
        assert (entry.action, entry.object_type, entry.object_id) == (
            "evidence.add",
            "cases.case",
            "42",
        )
        payload = json.loads(entry.payload)
        assert payload["sm3"] == evidence.sm3 and payload["sha256"] == evidence.sha256
        assert payload["collected_by"] == [officer_a.pk] and payload["device_id"] == "DSJ-01"

    def test_a_failed_record_leaves_no_file_behind(self, officer_a, settings, monkeypatch):
        from zhifa.records import services

        def refuse(**kwargs):
            raise services.RecordError("refused")

        monkeypatch.setattr(services, "append_entry", refuse)
        with pytest.raises(services.RecordError):
            add_evidence(**evidence_kwargs(officer_a))
        assert_nothing_stored(settings)

    def test_identical_content_is_stored_once_and_never_overwritten(self, officer_a, settings):
        first = add_evidence(**evidence_kwargs(officer_a))
        second = add_evidence(**evidence_kwargs(officer_a, title="第二张"))
        assert first.storage_name == second.storage_name
        assert len(stored_files(settings)) == 1
        assert Entry.objects.count() == 2

    def test_audio_with_duration_and_recorder(self, officer_a):
        evidence = add_evidence(
            **evidence_kwargs(
                officer_a,
                upload=upload(MP3, "talk.mp3"),
                original_name="talk.mp3",
                kind="audio",
                device_id="REC-7",
                duration_seconds=95,
            )
        )
        assert (evidence.content_type, evidence.duration_seconds) == ("audio/mpeg", 95)

    def test_oversized_file_is_refused(self, officer_a, settings):
        settings.RECORDS_EVIDENCE_MAX_BYTES = {"photo": 1024}
        big = PNG + b"\x00" * 2048
        with pytest.raises(ValidationError) as exc:
            add_evidence(**evidence_kwargs(officer_a, upload=upload(big)))
        assert exc.value.message_dict["file"] == ["文件超过了照片的大小上限 1.0\xa0KB。"]
        assert_nothing_stored(settings)

    def test_executable_renamed_jpg_is_refused(self, officer_a, settings):
        with pytest.raises(ValidationError) as exc:
            add_evidence(
                **evidence_kwargs(
                    officer_a, upload=upload(ELF, "photo.jpg"), original_name="photo.jpg"
                )
            )
        assert "可执行程序（application/x-executable）" in exc.value.message_dict["file"][0]
        assert_nothing_stored(settings)

    def test_content_of_the_wrong_kind_is_refused(self, officer_a, settings):
        with pytest.raises(ValidationError) as exc:
            add_evidence(**evidence_kwargs(officer_a, kind="video"))
        assert "文件内容（image/png）不是录像可接受的类型" in exc.value.message_dict["file"][0]
        assert_nothing_stored(settings)

    @pytest.mark.parametrize("name", ["../../etc/passwd.jpg", "..\\x.png", "a/b.png", "..png"])
    def test_a_path_as_file_name_is_refused(self, officer_a, settings, name):
        with pytest.raises(ValidationError) as exc:
            add_evidence(**evidence_kwargs(officer_a, original_name=name))
        assert exc.value.message_dict["file"] == [f"文件名不得包含路径（/、\\ 或 ..）：{name}"]
        assert_nothing_stored(settings)

    def test_metadata_errors_name_their_fields(self, officer_a, officer_b, settings):
        with pytest.raises(ValidationError) as exc:
            add_evidence(
                **evidence_kwargs(
                    officer_a,
                    kind="photo",
                    title=" ",
                    collected_by=[officer_b],
                    collected_at=FROZEN_NOW + dt.timedelta(days=1),
                    location="",
                    duration_seconds=10,
                )
            )
        assert set(exc.value.message_dict) == {
            "title",
            "collected_by",
            "collected_at",
            "location",
            "duration_seconds",
        }
        assert_nothing_stored(settings)

    def test_supervisors_cannot_add_evidence(self, supervisor_city, settings):
        with pytest.raises(ValidationError) as exc:
            add_evidence(**evidence_kwargs(supervisor_city))
        assert "actor" in exc.value.message_dict
        assert_nothing_stored(settings)


@pytest.mark.django_db
class TestUploadApi:
    def post(self, user, content=PNG, file_name="scene.png", **fields):
        data = {
            "kind": "photo",
            "title": "现场照片",
            "collected_by": [user.username],
            "collected_at": "2026-11-20T09:30:00+08:00",
            "location": "嘉兴市南湖区",
            "file": upload(content, file_name),
            **fields,
        }
        return client_for(user).post("/api/v1/records/evidence", data)

    def test_upload_returns_the_digests(self, officer_a):
        response = self.post(officer_a)
        assert response.status_code == 201, response.content
        body = response.json()
        assert body["sm3"] == hashlib.new("sm3", PNG).hexdigest()
        assert body["collected_by"] == ["officer_a"]

    @pytest.mark.parametrize(
        ("object_type", "object_id", "path"),
        [
            ("cases.nosuch", "3", "body.object_type"),  # no such model
            ("cases.case", "3", "body.object_id"),  # an attachable model, no such case
            ("registry.officer", "1", "body.object_type"),  # a model that does not opt in
            ("registry.officer", "9" * 65, "body.object_id"),  # longer than stored
        ],
    )
    def test_object_reference_must_name_an_attachable_object_in_scope(
        self, officer_a, settings, object_type, object_id, path
    ):
        response = self.post(officer_a, object_type=object_type, object_id=object_id)
        assert response.status_code == 400
        assert response.json()["errors"][0]["path"] == path
        assert_nothing_stored(settings)

    def test_executable_renamed_jpg_is_refused_with_the_field_named(self, officer_a, settings):
        response = self.post(officer_a, content=ELF, file_name="photo.jpg")
        assert response.status_code == 400
        body = response.json()
        assert body["code"] == "invalid"
        assert body["errors"][0]["path"] == "body.file"
        assert "可执行程序" in body["errors"][0]["message"]
        assert_nothing_stored(settings)

    def test_path_in_the_given_name_is_refused(self, officer_a, settings):
        response = self.post(officer_a, file_name="x.png", name="../../x.png")
        assert response.status_code == 400
        assert response.json()["errors"][0]["path"] == "body.file"
        assert_nothing_stored(settings)

    def test_oversized_is_refused(self, officer_a, settings):
        settings.RECORDS_EVIDENCE_MAX_BYTES = {"photo": 100}
        response = self.post(officer_a, content=PNG + b"\x00" * 200)
        assert response.status_code == 400
        assert "大小上限" in response.json()["errors"][0]["message"]
        assert_nothing_stored(settings)

    def test_beyond_the_largest_limit_the_file_is_never_written(self, officer_a, settings):
        settings.RECORDS_EVIDENCE_MAX_BYTES = dict.fromkeys(
            ("photo", "document", "audio", "video"), 100
        )
        settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 10  # would go to a temporary file …
        settings.FILE_UPLOAD_TEMP_DIR = str(settings.MEDIA_ROOT)  # … here, if written
        Path(settings.MEDIA_ROOT).mkdir(parents=True)
        response = self.post(officer_a, content=PNG + b"\x00" * 500)
        assert response.status_code == 400
        assert response.json()["errors"] == [
            {"path": "body.file", "message": "文件超过了可接受的最大大小（100\xa0字节）。"}
        ]
        assert_nothing_stored(settings)

    def test_collector_from_another_organ_is_refused(self, officer_a, officer_b, settings):
        response = self.post(officer_a, collected_by=["officer_b"])
        assert response.status_code == 400
        assert response.json()["errors"][0]["path"] == "body.collected_by"
        assert_nothing_stored(settings)

    def test_missing_field_is_named(self, officer_a, settings):
        response = self.post(officer_a, location="")
        assert response.status_code == 400
        assert response.json()["errors"][0]["path"] == "body.location"

    def test_supervisor_is_forbidden(self, supervisor_city, settings):
        response = self.post(supervisor_city)
        assert response.status_code == 403
        assert_nothing_stored(settings)


@pytest.mark.django_db
class TestUploadPage:
    def test_form_upload_redirects_to_the_case(self, officer_a, general_case, people):
        client = client_for(officer_a)
        assert client.get(reverse("records:evidence_add")).status_code == 200
        response = client.post(
            reverse("records:evidence_add"),
            {
                "case": general_case.pk,
                "file": upload(),
                "kind": "photo",
                "title": "现场照片",
                "collected_by": [officer_a.pk],
                "collected_at": "2026-11-20T09:30",
                "location": "嘉兴市南湖区",
            },
        )
        assert Evidence.objects.get().object_id == str(general_case.pk)
        assert response.status_code == 302
        assert response["Location"] == reverse("cases:detail", args=[general_case.pk])
        page = client.get(response["Location"]).content.decode()
        assert "现场照片" in page and "张伟" in page

    def test_form_refuses_beyond_the_largest_limit(self, officer_a, settings):
        settings.RECORDS_EVIDENCE_MAX_BYTES = dict.fromkeys(
            ("photo", "document", "audio", "video"), 100
        )
        response = client_for(officer_a).post(
            reverse("records:evidence_add"),
            {
                "file": upload(PNG + b"\x00" * 500),
                "kind": "photo",
                "title": "x",
                "collected_by": [officer_a.pk],
                "collected_at": "2026-11-20T09:30",
                "location": "嘉兴",
            },
        )
        assert response.status_code == 400
        assert "文件超过了可接受的最大大小" in response.content.decode()
        assert_nothing_stored(settings)

    def test_form_checks_csrf(self, officer_a):
        from django.test import Client

        client = Client(enforce_csrf_checks=True)
        client.force_login(officer_a)
        assert client.post(reverse("records:evidence_add"), {"title": "x"}).status_code == 403

    def test_form_shows_the_refusal(self, officer_a, settings, general_case, people):
        response = client_for(officer_a).post(
            reverse("records:evidence_add"),
            {
                "case": general_case.pk,
                "file": upload(ELF, "photo.jpg"),
                "kind": "photo",
                "title": "x",
                "collected_by": [officer_a.pk],
                "collected_at": "2026-11-20T09:30",
                "location": "嘉兴",
            },
        )
        assert response.status_code == 400
        assert "可执行程序" in response.content.decode()
        assert stored_files(settings) == []
        assert not Evidence.objects.exists()
        assert not Entry.objects.filter(action="evidence.add").exists()

"""Export of an object's entries and evidence as a ZIP with a manifest, and the
offline `zhifa records verify-export`."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from zhifa.core.testing import client_for
from zhifa.records.services import ObjectRef, add_evidence, create_checkpoints
from zhifa.records.signing import public_key_hex, signing_key

from .files import JPEG, evidence_kwargs

CASE = ObjectRef("cases.case", "9")


def verify_export(path: Path, *args: str) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("records", "verify-export", str(path), *args, stdout=out, stderr=err)
    except SystemExit as exc:
        return int(exc.code or 0), out.getvalue() + err.getvalue()
    return 0, out.getvalue()


def rewrite(src: Path, dst: Path, change) -> None:
    """Copy a ZIP, letting ``change(name, data)`` return new bytes for a member."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for item in zin.infolist():
            zout.writestr(item.filename, change(item.filename, zin.read(item.filename)))


@pytest.fixture
def exported(officer_a, organ_a, record, tmp_path, frozen_clock) -> Path:
    record(officer_a, organ_a, 2, obj=ObjectRef("cases.case", "other"))
    record(officer_a, organ_a, 2, obj=CASE, action="case.register")
    add_evidence(**evidence_kwargs(officer_a, obj=CASE))
    record(officer_a, organ_a, 3, obj=ObjectRef("cases.case", "other"))
    record(officer_a, organ_a, 1, obj=CASE, action="case.close")
    record(officer_a, organ_a, 2, obj=ObjectRef("cases.case", "other"))
    create_checkpoints()
    response = client_for(officer_a).get(reverse("records:export", args=["cases.case", "9"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    path: Path = tmp_path / "export.zip"
    path.write_bytes(response.getvalue())
    return path


@pytest.mark.django_db
class TestExport:
    def test_manifest_holds_entries_digests_and_checkpoint(self, exported):
        with zipfile.ZipFile(exported) as archive:
            manifest = json.loads(archive.read("manifest.json"))
            names = archive.namelist()
        assert [e["seq"] for e in manifest["entries"]] == [3, 4, 5, 9]
        assert [e["action"] for e in manifest["entries"]][-1] == "case.close"
        assert manifest["entries"][0]["actor_name"] == "张伟"
        (chain,) = manifest["chains"]
        assert (chain["from_seq"], chain["to_seq"], len(chain["digests"])) == (3, 11, 9)
        assert chain["checkpoint"]["seq"] == 11
        (item,) = manifest["evidence"]
        assert item["file"] in names and item["seq"] == 5

    def test_intact_export_verifies_offline(self, exported):
        code, text = verify_export(exported)
        assert code == 0, text
        assert "4 entries, 1 evidence file(s), 1 chain(s), 1 linked to a signed checkpoint" in text

    def test_the_signing_key_can_be_pinned(self, exported):
        code, _ = verify_export(exported, "--public-key", public_key_hex(signing_key()))
        assert code == 0
        code, text = verify_export(exported, "--public-key", "ab" * 32)
        assert code == 1 and "signed by another key" in text

    def test_edited_entry_in_the_manifest_is_detected(self, exported, tmp_path):
        def change(name, data):
            if name != "manifest.json":
                return data
            manifest = json.loads(data)
            manifest["entries"][0]["payload"]["step"] = 99
            return json.dumps(manifest).encode()

        rewrite(exported, tmp_path / "bad.zip", change)
        code, text = verify_export(tmp_path / "bad.zip")
        assert code == 1 and "entry 3: content does not match its digest" in text

    def test_swapped_evidence_file_is_detected(self, exported, tmp_path):
        rewrite(
            exported, tmp_path / "bad.zip", lambda n, d: JPEG if n.startswith("evidence/") else d
        )
        code, text = verify_export(tmp_path / "bad.zip")
        assert code == 1 and "does not match the digests its entry recorded" in text

    def test_dropped_entry_is_detected(self, exported, tmp_path):
        def change(name, data):
            if name != "manifest.json":
                return data
            manifest = json.loads(data)
            del manifest["chains"][0]["digests"][-1]
            return json.dumps(manifest).encode()

        rewrite(exported, tmp_path / "bad.zip", change)
        code, text = verify_export(tmp_path / "bad.zip")
        assert code == 1 and "the digests end at 10, not 11" in text

    def test_not_a_zip_is_a_clear_error(self, tmp_path):
        bad = tmp_path / "x.zip"
        bad.write_bytes(b"hello")
        code, text = verify_export(bad)
        assert code == 1 and "not a readable ZIP file" in text


@pytest.mark.django_db
def test_export_without_checkpoint_warns(officer_a, organ_a, record, tmp_path):
    record(officer_a, organ_a, 1, obj=CASE)
    response = client_for(officer_a).get(reverse("records:export", args=["cases.case", "9"]))
    path = tmp_path / "e.zip"
    path.write_bytes(response.getvalue())
    code, text = verify_export(path)
    assert code == 0 and "not yet covered by a signed checkpoint" in text


@pytest.mark.django_db
def test_missing_evidence_file_is_exported_and_reported(officer_a, tmp_path, frozen_clock):
    from zhifa.records.evidence_files import evidence_storage

    evidence = add_evidence(**evidence_kwargs(officer_a, obj=CASE))
    Path(evidence_storage().path(evidence.storage_name)).unlink()
    client = client_for(officer_a)
    assert client.get(reverse("records:evidence_file", args=[evidence.pk])).status_code == 404
    response = client.get(reverse("records:export", args=["cases.case", "9"]))
    assert response.status_code == 200
    path = tmp_path / "e.zip"
    path.write_bytes(response.getvalue())
    code, text = verify_export(path)
    assert code == 1 and "is missing from the ZIP" in text

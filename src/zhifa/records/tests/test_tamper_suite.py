"""The tamper suite (issue 13): each way an attacker with database access changed what
the record vouches for and still got "OK" from ``zhifa records verify``. Each test
tampers with raw SQL (after disabling the append-only triggers, as the attacker would)
and asserts that ``verify`` fails naming what changed."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from zhifa.records.models import Checkpoint, Entry
from zhifa.records.services import create_checkpoints

from .attacker import raw, rehash_from

ENTRY_COLUMNS = (
    "organ_id, seq, recorded_at, actor_id, actor_label, action, object_type, object_id,"
    " payload, prev_hash, content_digest, entry_hash"
)


def _sqlite_only() -> None:
    if connection.vendor != "sqlite":
        pytest.skip("SQLite syntax")


def _postgresql_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")


@pytest.mark.django_db
class TestReplaceIsRefused:
    """SQLite's REPLACE deletes the conflicting row without firing the DELETE trigger."""

    @pytest.fixture
    def entries(self, officer_a, organ_a, record):
        return record(officer_a, organ_a, 3)

    @pytest.mark.parametrize("verb", ["REPLACE INTO", "INSERT OR REPLACE INTO"])
    @pytest.mark.parametrize("key", ["id", "organ_seq"])
    def test_entry_replace(self, entries, verb, key):
        _sqlite_only()
        target = entries[1]
        columns = ENTRY_COLUMNS if key == "organ_seq" else "id, " + ENTRY_COLUMNS
        # With the same id, a different sequence number (so only the id conflicts);
        # with a new id, the same organ and sequence number.
        seq = target.seq if key == "organ_seq" else 99
        values = [target.organ_id, seq, target.recorded_at, target.actor_id,
                  target.actor_label, target.action, target.object_type, target.object_id,
                  '{"forged":1}', target.prev_hash, target.content_digest,
                  target.entry_hash]  # fmt: skip
        if key == "id":
            values.insert(0, target.pk)
        marks = ", ".join(["%s"] * len(values))
        with (
            pytest.raises(DatabaseError, match="append-only: REPLACE refused"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(f"{verb} records_entry ({columns}) VALUES ({marks})", values)
        assert Entry.objects.get(pk=target.pk).payload == target.payload
        assert Entry.objects.count() == 3

    @pytest.mark.parametrize("verb", ["REPLACE INTO", "INSERT OR REPLACE INTO"])
    def test_checkpoint_replace(self, entries, verb):
        _sqlite_only()
        create_checkpoints()
        cp = Checkpoint.objects.get()
        with (
            pytest.raises(DatabaseError, match="append-only: REPLACE refused"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(
                f"{verb} records_checkpoint (id, organ_id, seq, head_hash, signed_at, algorithm,"
                " public_key, signature) SELECT id, organ_id, seq, %s, signed_at, algorithm,"
                " public_key, signature FROM records_checkpoint",
                ["0" * 64],
            )
        assert Checkpoint.objects.get().head_hash == cp.head_hash

    def test_a_plain_insert_still_works(self, entries, officer_a, organ_a, record):
        record(officer_a, organ_a, 1)
        assert Entry.objects.count() == 4

    def test_postgresql_upsert_is_refused_by_the_update_trigger(self, entries):
        _postgresql_only()
        target = entries[1]
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(
                f"INSERT INTO records_entry (id, {ENTRY_COLUMNS}) SELECT id, organ_id, seq,"
                " recorded_at, actor_id, actor_label, action, object_type, object_id, payload,"
                " prev_hash, content_digest, entry_hash FROM records_entry WHERE id = %s"
                " ON CONFLICT (id) DO UPDATE SET payload = '{\"forged\":1}'",
                [target.pk],
            )
        assert Entry.objects.get(pk=target.pk).payload == target.payload


def test_grants_command_prints_the_app_role_privileges():
    import io

    from django.core.management import call_command

    out = io.StringIO()
    call_command("records", "grants", "zhifa_app", stdout=out)
    text = out.getvalue()
    assert (
        'REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON "records_entry", '
        '"records_checkpoint" FROM "zhifa_app";' in text
    )
    assert (
        'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO "zhifa_app";'
        in text
    )


@pytest.mark.django_db
def test_postgresql_app_role_cannot_truncate_or_disable_the_trigger(officer_a, organ_a, record):
    """With the documented grants, a role that does not own the tables can append but
    can neither TRUNCATE the record tables nor disable or drop their triggers."""
    _postgresql_only()
    from zhifa.records.db import app_role_grants_sql

    record(officer_a, organ_a, 1)
    role = "zhifa_tamper_suite_app"
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(f'CREATE ROLE "{role}" NOLOGIN')
            # PostgreSQL 15: a CREATEROLE role may grant itself the new role (SET ROLE).
            cursor.execute(f'GRANT "{role}" TO CURRENT_USER')
    except DatabaseError:
        pytest.skip("the test database's role may not create roles")
    with connection.cursor() as cursor:
        for statement in app_role_grants_sql(role):
            cursor.execute(statement)
        cursor.execute(f'SET ROLE "{role}"')
    try:
        for sql in (
            "TRUNCATE records_entry CASCADE",
            "TRUNCATE records_checkpoint",
            'ALTER TABLE records_entry DISABLE TRIGGER "records_entry_append_only"',
            'DROP TRIGGER "records_entry_append_only" ON records_entry',
            "DELETE FROM records_entry",
        ):
            with (
                pytest.raises(DatabaseError, match=r"permission denied|must be owner"),
                transaction.atomic(),
                connection.cursor() as cursor,
            ):
                cursor.execute(sql)
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM records_entry")
            assert cursor.fetchone()[0] == 1
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET ROLE")


# --- verify: helpers --------------------------------------------------------------------


def run_verify(*args: str) -> tuple[int, str]:
    import io

    from django.core.management import call_command

    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("records", "verify", *args, stdout=out, stderr=err)
    except SystemExit as exc:
        return int(exc.code or 0), err.getvalue()
    return 0, out.getvalue()


def assert_tampered(organ_id: int, seq: int, fragment: str, *args: str) -> str:
    code, text = run_verify(*args)
    assert code == 1, text
    assert f"organ {organ_id} (" in text and f"first bad sequence number {seq}:" in text, text
    assert fragment in text, text
    return text


def save_witness(path) -> str:
    import io

    from django.core.management import call_command

    out = io.StringIO()
    call_command("records", "checkpoints", "--out", str(path), stdout=out)
    return out.getvalue()


def delete_chain(organ_id: int) -> None:
    raw("DELETE FROM records_entry WHERE organ_id=%s", [organ_id])
    raw(
        "DELETE FROM records_checkpoint WHERE organ_id=%s",
        [organ_id],
        table="records_checkpoint",
    )
    raw("DELETE FROM records_chain WHERE organ_id=%s", [organ_id])


# --- verify knows every organ's chain -----------------------------------------------------


@pytest.mark.django_db
class TestWitnessCopy:
    @pytest.fixture
    def chains(self, officer_a, organ_a, officer_b, organ_b, record):
        record(officer_a, organ_a, 3)
        record(officer_b, organ_b, 2)
        create_checkpoints()
        record(officer_a, organ_a, 2)
        create_checkpoints()  # organ_a: checkpoints at 3 and 5; organ_b: at 2

    def test_intact_chains_pass_against_the_witness_copy(self, chains, tmp_path):
        assert "wrote 3 checkpoint(s)" in save_witness(tmp_path / "cp.json")
        code, text = run_verify("--against", str(tmp_path / "cp.json"))
        assert code == 0, text
        assert "2 chain(s), 7 entries, 3 checkpoint(s)" in text
        assert "3 checkpoint(s) of the witness copy" in text

    def test_the_public_checkpoint_list_serves_as_a_witness_copy(self, chains, client, tmp_path):
        from django.urls import reverse

        (tmp_path / "public.json").write_bytes(client.get(reverse("records:checkpoints")).content)
        assert run_verify("--against", str(tmp_path / "public.json"))[0] == 0

    def test_tail_cut_together_with_its_checkpoints(self, chains, organ_a, tmp_path):
        save_witness(tmp_path / "cp.json")
        raw("DELETE FROM records_entry WHERE organ_id=%s AND seq>=4", [organ_a.pk])
        raw(
            "DELETE FROM records_checkpoint WHERE organ_id=%s AND seq=5",
            [organ_a.pk],
            table="records_checkpoint",
        )
        rehash_from(organ_a.pk, 4)  # the chain head back to entry 3
        assert run_verify()[0] == 0  # without a witness, nothing shows the cut
        assert_tampered(
            organ_a.pk,
            4,
            "the chain ends at 3 but the witness copy's checkpoint signed 5 entries "
            "(the tail was cut together with its checkpoints)",
            "--against",
            str(tmp_path / "cp.json"),
        )

    def test_whole_chain_deleted(self, chains, organ_b, tmp_path):
        save_witness(tmp_path / "cp.json")
        delete_chain(organ_b.pk)
        code, text = run_verify()
        assert code == 0 and "1 chain(s)" in text  # organ_b has nothing else recorded
        assert_tampered(
            organ_b.pk,
            1,
            "the chain is missing but the witness copy's checkpoint signed 2 entries "
            "(the chain was deleted)",
            "--against",
            str(tmp_path / "cp.json"),
        )

    def test_a_deleted_checkpoint_is_seen(self, chains, organ_a, tmp_path):
        save_witness(tmp_path / "cp.json")
        raw(
            "DELETE FROM records_checkpoint WHERE organ_id=%s AND seq=3",
            [organ_a.pk],
            table="records_checkpoint",
        )
        assert_tampered(
            organ_a.pk,
            3,
            "the checkpoint at 3 in the witness copy is missing (deleted)",
            "--against",
            str(tmp_path / "cp.json"),
        )

    def test_a_forged_witness_checkpoint_is_refused(self, chains, organ_a, tmp_path):
        import json

        path = tmp_path / "cp.json"
        save_witness(path)
        body = json.loads(path.read_text())
        body["checkpoints"][0]["head_hash"] = "1" * 64
        path.write_text(json.dumps(body))
        assert_tampered(organ_a.pk, 3, "invalid signature", "--against", str(path))

    @pytest.mark.parametrize(
        ("content", "message"),
        [
            (None, "not found"),
            ("{", "not JSON"),
            ('{"format": "x"}', "not a checkpoint list"),
            ('{"format": "zhifa-records-checkpoint/1", "checkpoints": [{"organ": "1"}]}',
             "checkpoint 1: organ is missing or not a int"),
        ],
    )  # fmt: skip
    def test_a_bad_witness_file_is_a_clear_error(self, chains, tmp_path, content, message):
        from django.core.management import CommandError

        path = tmp_path / "cp.json"
        if content is not None:
            path.write_text(content)
        with pytest.raises(CommandError, match=f"--against: .*cp.json: {message}"):
            run_verify("--against", str(path))

    def test_checkpoints_out_refuses_to_overwrite(self, chains, tmp_path):
        from django.core.management import CommandError

        (tmp_path / "cp.json").write_text("keep")
        with pytest.raises(CommandError, match="exists"):
            save_witness(tmp_path / "cp.json")
        assert (tmp_path / "cp.json").read_text() == "keep"


# --- evidence rows ---------------------------------------------------------------------


@pytest.mark.django_db
class TestEvidenceRows:
    @pytest.fixture
    def two(self, officer_a, organ_a, record, frozen_clock):
        from zhifa.records.services import add_evidence

        from .files import JPEG, evidence_kwargs, upload

        record(officer_a, organ_a, 2)
        photo = add_evidence(**evidence_kwargs(officer_a))
        other = add_evidence(
            **evidence_kwargs(officer_a, upload=upload(JPEG, "other.jpg"),
                              original_name="other.jpg", title="询问笔录")
        )  # fmt: skip
        return photo, other

    def test_intact_evidence_rows_pass(self, two):
        code, text = run_verify()
        assert code == 0, text
        assert "2 evidence file(s) intact, 2 evidence row(s) as recorded" in text

    def test_row_pointed_at_another_file(self, two, organ_a):
        photo, other = two
        raw(
            "UPDATE records_evidence SET storage_name=%s, sm3=%s, sha256=%s, size=%s WHERE id=%s",
            [other.storage_name, other.sm3, other.sha256, other.size, photo.pk],
        )
        assert_tampered(
            organ_a.pk,
            3,
            f"evidence {photo.pk} (现场照片) differs from its record entry: "
            "storage_name, sm3, sha256, size changed",
        )

    def test_row_pointed_at_another_file_by_name_only(self, two, organ_a):
        photo, other = two
        raw(
            "UPDATE records_evidence SET storage_name=%s WHERE id=%s",
            [other.storage_name, photo.pk],
        )
        assert_tampered(
            organ_a.pk, 3, f"evidence {photo.pk} (现场照片) differs from its record entry: "
            "storage_name changed"
        )  # fmt: skip

    def test_checkpoints_vouch_for_the_chain_not_the_rows(self, two, organ_a):
        photo, other = two
        raw(
            "UPDATE records_evidence SET storage_name=%s WHERE id=%s",
            [other.storage_name, photo.pk],
        )
        (result,) = create_checkpoints()
        assert result.checkpoint is not None and result.checkpoint.seq == 4
        assert run_verify()[0] == 1  # verify still names the row

    def test_deleted_row(self, two, organ_a):
        photo, _other = two
        raw("DELETE FROM records_evidence_collected_by WHERE evidence_id=%s", [photo.pk])
        raw("DELETE FROM records_evidence WHERE id=%s", [photo.pk])
        assert_tampered(organ_a.pk, 3, f"evidence {photo.pk} (现场照片) was deleted")

    def test_row_added_outside_the_record(self, two, organ_a):
        photo, _other = two
        raw(
            "INSERT INTO records_evidence (organ_id, kind, title, object_type, object_id,"
            " original_name, content_type, extension, size, sm3, sha256, storage_name,"
            " collected_at, location, device_id, uploaded_by_id, uploaded_at, duration_seconds)"
            " SELECT organ_id, kind, '伪造照片', object_type, object_id, original_name,"
            " content_type, extension, size, sm3, sha256, storage_name, collected_at, location,"
            " device_id, uploaded_by_id, uploaded_at, duration_seconds FROM records_evidence"
            " WHERE id=%s",
            [photo.pk],
        )
        assert_tampered(organ_a.pk, 1, "(伪造照片) has no record entry")

    def test_organ_with_evidence_but_no_chain(self, two, organ_a):
        delete_chain(organ_a.pk)
        assert_tampered(
            organ_a.pk,
            1,
            "the organ has rows in records.evidence but no chain (the chain was deleted)",
        )


# --- the registry's recorded objects ------------------------------------------------------


@pytest.mark.django_db
class TestOrganRow:
    @pytest.fixture
    def organ(self, admin_user, regions):
        from zhifa.registry import services

        return services.create_subject(
            actor=admin_user,
            name="嘉兴市应急管理局",
            subject_type="statutory",
            region=regions["330400"],
            short_name="嘉应急",
        )

    def test_an_organ_as_recorded_passes(self, organ, admin_user):
        from zhifa.registry import services

        services.update_subject_details(organ, actor=admin_user, short_name="嘉兴应急")
        code, text = run_verify()
        assert code == 0, text

    @pytest.mark.parametrize(
        ("sql_set", "field"),
        [
            ("name='嘉兴市应急管理局（改）'", "name"),
            ("is_justice_bureau=%s", "is_justice_bureau"),
            ("region_id=(SELECT id FROM registry_region WHERE code='330402')", "region"),
        ],
    )
    def test_organ_changed_outside_the_record(self, organ, sql_set, field):
        params = [True] if "%s" in sql_set else []
        raw(f"UPDATE registry_enforcementsubject SET {sql_set} WHERE id=%s", [*params, organ.pk])
        assert_tampered(
            organ.pk, 1, f"the organ's {field} differs from its record entry (recorded "
        )


# --- export manifests prove their completeness ---------------------------------------------


@pytest.fixture
def export_zip(officer_a, organ_a, record, tmp_path, frozen_clock):
    from django.urls import reverse

    from zhifa.core.testing import client_for
    from zhifa.records.services import ObjectRef

    case, other = ObjectRef("cases.case", "9"), ObjectRef("cases.case", "other")
    record(officer_a, organ_a, 2, obj=other)
    record(officer_a, organ_a, 3, obj=case, action="case.register")
    record(officer_a, organ_a, 2, obj=other)
    record(officer_a, organ_a, 1, obj=case, action="case.close")
    create_checkpoints()
    response = client_for(officer_a).get(reverse("records:export", args=["cases.case", "9"]))
    assert response.status_code == 200
    path = tmp_path / "export.zip"
    path.write_bytes(response.getvalue())
    return path


def _edit_manifest(src, dst, edit) -> None:
    import json

    from .test_export import rewrite

    def change(name, data):
        if name != "manifest.json":
            return data
        manifest = json.loads(data)
        edit(manifest)
        return json.dumps(manifest).encode()

    rewrite(src, dst, change)


@pytest.mark.django_db
class TestExportCompleteness:
    def test_intact_export_is_attested(self, export_zip):
        from .test_export import verify_export

        code, text = verify_export(export_zip)
        assert code == 0, text
        assert "warning" not in text

    def test_an_entry_left_out(self, export_zip, tmp_path):
        from .test_export import verify_export

        def leave_out(manifest):
            manifest["entries"] = [e for e in manifest["entries"] if e["seq"] != 4]

        _edit_manifest(export_zip, tmp_path / "cut.zip", leave_out)
        code, text = verify_export(tmp_path / "cut.zip")
        assert code == 1, text
        assert "entry 4 about the object is missing from the manifest (left out)" in text

    def test_an_entry_left_out_with_the_ranges_edited(self, export_zip, tmp_path):
        from .test_export import verify_export

        def leave_out(manifest):
            manifest["entries"] = [e for e in manifest["entries"] if e["seq"] != 8]
            manifest["chains"][0]["object_seqs"].remove(8)

        _edit_manifest(export_zip, tmp_path / "cut.zip", leave_out)
        code, text = verify_export(tmp_path / "cut.zip")
        assert code == 1, text
        assert "the manifest's attestation is invalid" in text

    def test_attestation_removed(self, export_zip, tmp_path):
        from .test_export import verify_export

        def strip(manifest):
            manifest["entries"] = [e for e in manifest["entries"] if e["seq"] != 8]
            manifest["chains"][0]["object_seqs"].remove(8)
            del manifest["attestation"]

        _edit_manifest(export_zip, tmp_path / "cut.zip", strip)
        code, text = verify_export(tmp_path / "cut.zip")
        assert code == 1, text
        assert "no attestation: that no entry was left out is not proven" in text

    def test_re_attested_by_another_key(self, export_zip, tmp_path, settings):
        from zhifa.records import export

        from .test_export import verify_export

        settings.RECORDS_SIGNING_KEY_FILE = tmp_path / "attacker-key.pem"

        def forge(manifest):
            manifest["entries"] = [e for e in manifest["entries"] if e["seq"] != 8]
            manifest["chains"][0]["object_seqs"].remove(8)
            manifest["attestation"] = export._attest(manifest)

        _edit_manifest(export_zip, tmp_path / "cut.zip", forge)
        code, text = verify_export(tmp_path / "cut.zip")
        assert code == 1, text
        assert "attested by a key" in text and "that signed none of its checkpoints" in text

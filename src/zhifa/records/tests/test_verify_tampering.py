"""`zhifa records verify` detects every kind of tampering an attacker with database
access can do, naming the organ and the first bad sequence number."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from zhifa.records.evidence_files import evidence_storage
from zhifa.records.models import Checkpoint, Entry
from zhifa.records.services import add_evidence, create_checkpoints

from .attacker import raw, rehash_from
from .files import JPEG, evidence_kwargs


def verify(*args: str) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("records", "verify", *args, stdout=out, stderr=err)
    except SystemExit as exc:
        return int(exc.code or 0), err.getvalue()
    return 0, out.getvalue()


def assert_tampered(organ, seq: int, fragment: str) -> None:
    code, text = verify()
    assert code == 1, text
    assert f"organ {organ.pk} ({organ.name}): first bad sequence number {seq}:" in text
    assert fragment in text


@pytest.mark.django_db
class TestVerify:
    @pytest.fixture
    def chains(self, officer_a, organ_a, officer_b, organ_b, record):
        record(officer_a, organ_a, 5)
        record(officer_b, organ_b, 3)

    def test_intact_chains_exit_0_with_a_summary(self, chains):
        code, text = verify()
        assert code == 0
        assert text.strip().splitlines() == [
            "records verify: OK: 2 chain(s), 8 entries, 0 checkpoint(s), 0 evidence file(s)"
            " intact, 0 evidence row(s) as recorded, 0 case(s) and 0 step(s) as recorded"
        ]

    def test_edited_payload(self, chains, organ_a):
        raw(
            "UPDATE records_entry SET payload=%s WHERE organ_id=%s AND seq=3",
            ['{"step":99}', organ_a.pk],
        )
        assert_tampered(organ_a, 3, "content does not match its digest")

    def test_edited_payload_with_recomputed_hashes_breaks_the_next_link(self, chains, organ_a):
        raw(
            "UPDATE records_entry SET payload=%s WHERE organ_id=%s AND seq=3",
            ['{"step":99}', organ_a.pk],
        )
        entry = Entry.objects.get(organ=organ_a, seq=3)
        from zhifa.records.canonical import entry_content, format_time, link_hash, sm3_hex

        digest = sm3_hex(
            entry_content(
                organ=organ_a.pk, seq=3, recorded_at=format_time(entry.recorded_at),
                actor=entry.actor_id, actor_label=entry.actor_label, action=entry.action,
                object_type=entry.object_type, object_id=entry.object_id, payload=entry.payload,
            )
        )  # fmt: skip
        raw(
            "UPDATE records_entry SET content_digest=%s, entry_hash=%s WHERE id=%s",
            [digest, link_hash(entry.prev_hash, digest), entry.pk],
        )
        assert_tampered(organ_a, 4, "does not link to the previous entry")

    def test_deleted_entry(self, chains, organ_a):
        raw("DELETE FROM records_entry WHERE organ_id=%s AND seq=2", [organ_a.pk])
        assert_tampered(organ_a, 2, "entry 2 is missing")

    def test_deleted_last_entry(self, chains, organ_b):
        raw("DELETE FROM records_entry WHERE organ_id=%s AND seq=3", [organ_b.pk])
        assert_tampered(organ_b, 3, "the chain head says 3 entries but 2 were found")

    def _insert_forged_entry_3(self, organ_a, officer_a):
        # Make room after entry 2 and insert a forged entry 3 that links to entry 2.
        for seq in (5, 4, 3):
            raw(
                "UPDATE records_entry SET seq=%s WHERE organ_id=%s AND seq=%s",
                [seq + 1, organ_a.pk, seq],
            )
        template = Entry.objects.get(organ=organ_a, seq=2)
        raw(
            "INSERT INTO records_entry (organ_id, seq, recorded_at, actor_id, actor_label, action,"
            " object_type, object_id, payload, prev_hash, content_digest, entry_hash)"
            " VALUES (%s, 3, %s, %s, 'officer_a', 'test.step', 'cases.case', '1', '{\"forged\":1}',"
            " %s, %s, %s)",
            [organ_a.pk, template.recorded_at, officer_a.pk, "0" * 64, "0" * 64, "0" * 64],
        )
        rehash_from(organ_a.pk, 3, until=3)  # the forged entry links perfectly to entry 2

    def test_inserted_entry(self, chains, organ_a, officer_a):
        self._insert_forged_entry_3(organ_a, officer_a)
        # … but the shifted entry 4 (formerly 3) had its sequence number in its content.
        assert_tampered(organ_a, 4, "content does not match its digest")

    def test_inserted_entry_with_the_whole_tail_rehashed(self, chains, organ_a, officer_a):
        create_checkpoints()
        self._insert_forged_entry_3(organ_a, officer_a)
        rehash_from(organ_a.pk, 4)  # a consistent chain of 6, but not the signed one
        assert_tampered(organ_a, 5, "differs from the signed checkpoint at 5")

    def test_reordered_entries(self, chains, organ_a):
        raw("UPDATE records_entry SET seq=1000 WHERE organ_id=%s AND seq=2", [organ_a.pk])
        raw("UPDATE records_entry SET seq=2 WHERE organ_id=%s AND seq=3", [organ_a.pk])
        raw("UPDATE records_entry SET seq=3 WHERE organ_id=%s AND seq=1000", [organ_a.pk])
        assert_tampered(organ_a, 2, "content does not match its digest")

    def test_cut_tail_is_detected_by_the_checkpoint(self, chains, organ_a):
        create_checkpoints()
        raw("DELETE FROM records_entry WHERE organ_id=%s AND seq>=4", [organ_a.pk])
        rehash_from(organ_a.pk, 4)  # also move the chain head back to entry 3
        assert_tampered(organ_a, 4, "a checkpoint signed 5 entries (the tail was cut)")

    def test_rewritten_history_is_detected_by_the_checkpoint(self, chains, organ_a):
        create_checkpoints()
        raw(
            "UPDATE records_entry SET payload=%s WHERE organ_id=%s AND seq=2",
            ['{"step":7}', organ_a.pk],
        )
        rehash_from(organ_a.pk, 2)  # a consistent chain, but not the one that was signed
        assert_tampered(organ_a, 5, "differs from the signed checkpoint at 5")

    def test_forged_checkpoint_signature(self, chains, organ_a):
        create_checkpoints()
        raw(
            "UPDATE records_checkpoint SET head_hash=%s WHERE organ_id=%s",
            ["1" * 64, organ_a.pk],
            table="records_checkpoint",
        )
        assert_tampered(organ_a, 5, "checkpoint at 5 has an invalid signature")

    def test_checkpoint_by_an_untrusted_key(self, chains, organ_a, settings, tmp_path):
        create_checkpoints()
        settings.RECORDS_SIGNING_KEY_FILE = tmp_path / "another-key.pem"
        assert_tampered(organ_a, 5, "untrusted key")

    def test_swapped_evidence_file(self, chains, organ_a, officer_a, frozen_clock):
        evidence = add_evidence(**evidence_kwargs(officer_a))
        path = Path(evidence_storage().path(evidence.storage_name))
        assert path.stat().st_mode & 0o777 == 0o444
        path.chmod(0o644)  # the attacker has the rights to do this
        path.write_bytes(JPEG)
        assert_tampered(organ_a, 6, f"evidence file {evidence.storage_name} does not match")
        code, _text = verify("--no-files")
        assert code == 0

    def test_removed_evidence_file(self, chains, organ_a, officer_a, frozen_clock):
        evidence = add_evidence(**evidence_kwargs(officer_a))
        Path(evidence_storage().path(evidence.storage_name)).unlink()
        assert_tampered(organ_a, 6, "is missing")


@pytest.mark.django_db
class TestOrganOption:
    def test_selects_one_organ_by_id_uscc_or_name(
        self, officer_a, organ_a, officer_b, organ_b, record
    ):
        record(officer_a, organ_a, 2)
        record(officer_b, organ_b, 1)
        raw("DELETE FROM records_entry WHERE organ_id=%s AND seq=1", [organ_b.pk])
        organ_a.uscc = "11330400MB1234567X"
        organ_a.save()
        for value in (str(organ_a.pk), organ_a.uscc, organ_a.name):
            code, text = verify("--organ", value)
            assert code == 0 and "1 chain(s), 2 entries" in text
        code, text = verify("--organ", organ_b.name)
        assert code == 1 and f"organ {organ_b.pk}" in text

    def test_unknown_organ_is_a_clear_error(self, organ_a):
        with pytest.raises(CommandError, match="--organ: no single organ"):
            call_command("records", "verify", "--organ", "nonexistent")


@pytest.mark.django_db
class TestCheckpointCommand:
    def test_signs_grown_chains_only(self, officer_a, organ_a, record):
        record(officer_a, organ_a, 3)
        out = io.StringIO()
        call_command("records", "checkpoint", stdout=out)
        assert "1 signed, 0 unchanged, 0 failed" in out.getvalue()
        call_command("records", "checkpoint", stdout=out)
        assert "0 signed, 1 unchanged, 0 failed" in out.getvalue()
        record(officer_a, organ_a, 1)
        call_command("records", "checkpoint", stdout=out)
        assert list(Checkpoint.objects.values_list("seq", flat=True)) == [3, 4]

    def test_refuses_to_sign_a_tampered_chain(self, officer_a, organ_a, record):
        record(officer_a, organ_a, 3)
        raw("UPDATE records_entry SET payload='{}' WHERE organ_id=%s AND seq=2", [organ_a.pk])
        err = io.StringIO()
        with pytest.raises(SystemExit) as exc:
            call_command("records", "checkpoint", stdout=io.StringIO(), stderr=err)
        assert exc.value.code == 1
        assert "NOT SIGNED" in err.getvalue() and "first bad sequence number 2" in err.getvalue()
        assert not Checkpoint.objects.exists()


def test_the_console_script_exits_1_on_tampering_and_0_when_intact(tmp_path):
    """The real `zhifa records verify` process and its exit status, on a file database."""
    env = {"ZHIFA_VAR_DIR": str(tmp_path), "PATH": "/usr/bin:/bin"}
    zhifa = Path(sys.executable).with_name("zhifa")
    setup = (
        "import django; django.setup();"
        "from django.core.management import call_command; call_command('migrate', verbosity=0);"
        "from django.db import transaction;"
        "from zhifa.registry.models import Region, EnforcementSubject;"
        "from zhifa.accounts.models import User;"
        "from zhifa.records.services import append_entry, ObjectRef;"
        "r = Region.objects.create(code='330400', name='嘉兴市', level='city');"
        "o = EnforcementSubject.objects.create(name='甲局', region=r, subject_type='statutory');"
        "u = User.objects.create(username='u', full_name='u', role='officer', organ=o);"
        "[transaction.atomic()(lambda: append_entry(actor=u, organ=o, action='test.step',"
        " obj=ObjectRef('cases.case', '1'), payload={'i': i}))() for i in range(3)]"
    )
    env["DJANGO_SETTINGS_MODULE"] = "zhifa.settings.development"
    subprocess.run([sys.executable, "-c", setup], env=env, check=True, timeout=120)
    ok = subprocess.run(
        [zhifa, "records", "verify"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert ok.returncode == 0 and "3 entries" in ok.stdout
    import sqlite3

    db = sqlite3.connect(tmp_path / "zhifa.sqlite3")
    # Outside Zhifa (here: the sqlite3 module) the triggers refuse the change too.
    with pytest.raises(sqlite3.OperationalError, match="zhifa_records_unlocked"):
        db.execute("UPDATE records_entry SET payload='{}' WHERE seq=2")
    # … and so does REPLACE, whose implicit delete fires no DELETE trigger.
    with pytest.raises(sqlite3.DatabaseError, match="REPLACE refused"):
        db.execute(
            "REPLACE INTO records_entry (id, organ_id, seq, recorded_at, actor_id, actor_label,"
            " action, object_type, object_id, payload, prev_hash, content_digest, entry_hash)"
            " SELECT id, organ_id, seq, recorded_at, actor_id,"
            " actor_label, action, object_type, object_id, '{}', prev_hash, content_digest,"
            " entry_hash FROM records_entry WHERE seq=2"
        )
    db.execute('DROP TRIGGER "records_entry_no_update"')
    db.execute("UPDATE records_entry SET payload='{\"i\":5}' WHERE seq=2")
    db.commit()
    db.close()
    bad = subprocess.run(
        [zhifa, "records", "verify"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert bad.returncode == 1
    assert "(甲局): first bad sequence number 2" in bad.stderr


@pytest.mark.django_db
class TestConcurrentAppendsAreNotTampering:
    def test_entries_appended_while_verifying_are_left_for_the_next_run(
        self, officer_a, organ_a, record, monkeypatch
    ):
        from zhifa.records import verification

        record(officer_a, organ_a, 3)
        original = verification._rows

        def rows_with_an_append_in_between(*args):
            for n, row in enumerate(original(*args)):
                if n == 1:
                    record(officer_a, organ_a, 2)  # another request appends meanwhile
                yield row

        monkeypatch.setattr(verification, "_rows", rows_with_an_append_in_between)
        report = verification.verify_chain(organ_a, files=False)
        assert report.problem is None and report.length == 3
        monkeypatch.undo()
        assert verification.verify_chain(organ_a, files=False).length == 5

    def test_a_forged_entry_beyond_the_head_is_detected(self, officer_a, organ_a, record):
        record(officer_a, organ_a, 3)
        raw(
            "INSERT INTO records_entry (organ_id, seq, recorded_at, actor_id, actor_label, action,"
            " object_type, object_id, payload, prev_hash, content_digest, entry_hash)"
            " SELECT organ_id, 4, recorded_at, actor_id, actor_label, action, object_type,"
            " object_id, payload, entry_hash, content_digest, entry_hash FROM records_entry"
            " WHERE organ_id=%s AND seq=3",
            [organ_a.pk],
        )
        assert_tampered(organ_a, 4, "entries beyond the chain head at 3 (inserted)")

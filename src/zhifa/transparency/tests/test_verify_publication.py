"""``zhifa records verify-publication``: accepts a true log, names each failure of a
false one, never a traceback."""

from __future__ import annotations

import base64

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from zhifa.registry.models import EnforcementSubject
from zhifa.transparency import checkpoints as cps
from zhifa.transparency.models import LogEntry, SignedCheckpoint
from zhifa.transparency.sources import register_source, unregister_source
from zhifa.transparency.verify_offline import checkpoint_body, leaf_hash, sign_line

from .conftest import SOURCE

pytestmark = pytest.mark.django_db


def run(*args: str) -> tuple[int, str, str]:
    import io

    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("records", "verify-publication", *args, stdout=out, stderr=err)
    except SystemExit as exc:
        return int(exc.code or 0), out.getvalue(), err.getvalue()
    return 0, out.getvalue(), err.getvalue()


def test_accepts_a_true_log(signed):
    code, out, err = run()
    assert code == 0, err
    assert "OK: 3 entr(y/ies) of 3 object(s)" in out
    assert "signed tree of 3 leaves; 1 checkpoint(s)" in out
    code, out, _ = run("--source", SOURCE, "--id", signed[1].object_id)
    assert code == 0 and "OK: 1 entr(y/ies) of 1 object(s)" in out


def test_rejects_a_row_altered_in_the_database(signed, organ_b):
    EnforcementSubject.objects.filter(pk=organ_b.pk).update(name="嘉善县某某局")
    code, _, err = run()
    assert code == 1
    assert f"entry 1 ({SOURCE} {organ_b.pk}): the database no longer holds what was logged" in err
    assert "1 failure(s)" in err


def test_rejects_a_row_deleted_from_the_database(signed, organ_c):
    EnforcementSubject.objects.filter(pk=organ_c.pk).delete()
    code, _, err = run()
    assert code == 1
    assert f"entry 2 ({SOURCE} {organ_c.pk}): the object is no longer in the database" in err


def test_rejects_a_forged_log_row(signed, organ_a):
    """Row and log changed together, so the leaf matches the database again: the
    signed tree still holds the old leaf."""
    EnforcementSubject.objects.filter(pk=organ_a.pk).update(name="伪造")
    from .conftest import organ_leaf

    forged = organ_leaf(str(organ_a.pk))
    assert forged is not None
    LogEntry.objects.filter(index=0).update(leaf=forged, leaf_hash=leaf_hash(forged).hex())
    code, _, err = run()
    assert code == 1
    assert f"entry 0 ({SOURCE} {organ_a.pk}): not included in the signed tree of 3" in err
    assert "database no longer holds" not in err


def test_rejects_a_bad_signature(signed):
    checkpoint = SignedCheckpoint.objects.get()
    body, _, sig_line = checkpoint.note.rpartition("\n\n")
    name, encoded = sig_line.strip().split(" ")[1:]
    raw = bytearray(base64.b64decode(encoded))
    raw[10] ^= 1
    bad = f"{body}\n\n\u2014 {name} {base64.b64encode(bytes(raw)).decode()}\n"
    SignedCheckpoint.objects.filter(pk=checkpoint.pk).update(note=bad)
    code, _, err = run()
    assert code == 1
    assert "checkpoint of size 3: its signature does not verify" in err


def test_rejects_a_checkpoint_signed_by_another_key(signed, tmp_path, settings):
    settings.RECORDS_SIGNING_KEY_FILE = tmp_path / "another-key.pem"
    code, _, err = run()
    assert code == 1 and "checkpoint of size 3: its signature does not verify" in err
    # After a rotation, the old key listed as trusted verifies its checkpoints again.
    old = SignedCheckpoint.objects.get().public_key
    settings.RECORDS_TRUSTED_PUBLIC_KEYS = [old]
    assert run()[0] == 0


def test_rejects_a_checkpoint_not_consistent_with_the_one_before(signed, log_organ, organ_a):
    """An insider with the key signs a tree of 4 leaves that does not extend the
    signed tree of 3 (the log rewritten): caught by the consistency check."""
    log_organ(organ_a)
    key = cps.signing_key()
    from cryptography.hazmat.primitives import serialization

    public = key.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    root = leaf_hash(b"another history")
    body = checkpoint_body(cps.origin(), 4, root)
    note = body + "\n" + sign_line(cps.origin(), public, key.sign(body.encode()))
    from django.utils import timezone

    SignedCheckpoint.objects.create(
        size=4, root_hash=root.hex(), note=note, public_key=public.hex(), signed_at=timezone.now()
    )
    code, _, err = run()
    assert code == 1
    assert "checkpoint of size 4: not consistent with the checkpoint of size 3 before it" in err
    assert "checkpoint of size 4: its signed root is not the root of the log's tree" in err


def test_entries_after_the_latest_checkpoint_are_noted_not_failed(signed, log_organ, organ_b):
    log_organ(organ_b)
    code, out, _ = run()
    assert code == 0
    assert "1 entr(y/ies) appended after the latest signed checkpoint" in out


def test_an_object_logged_again_is_compared_by_its_latest_leaf(signed, log_organ, organ_b):
    EnforcementSubject.objects.filter(pk=organ_b.pk).update(name="更名后")
    organ_b.refresh_from_db()
    log_organ(organ_b)
    cps.issue_checkpoint()
    code, out, err = run()
    assert code == 0, err
    assert "OK: 4 entr(y/ies) of 3 object(s)" in out


def test_a_published_object_never_logged_is_found(signed, organ_a, justice_city):
    from .conftest import organ_leaf

    register_source(
        SOURCE,
        organ_leaf,
        object_ids=lambda: [str(o.pk) for o in EnforcementSubject.objects.all()],
    )
    try:
        code, _, err = run()
    finally:
        unregister_source(SOURCE)
    assert code == 1
    assert f"{SOURCE} {justice_city.pk}: in the database but never logged" in err


def test_a_failing_source_is_a_finding_not_a_traceback(signed):
    def broken(object_id: str) -> bytes | None:
        raise ZeroDivisionError("division by zero")

    register_source(SOURCE, broken)
    try:
        code, _, err = run()
    finally:
        unregister_source(SOURCE)
    assert code == 1
    assert "recomputing it failed: ZeroDivisionError: division by zero" in err
    assert "Traceback" not in err


def test_bad_arguments_get_a_clear_error(signed):
    with pytest.raises(CommandError, match="--id: give the object's --source too"):
        run("--id", "1")
    with pytest.raises(CommandError, match="--source: no source 'nope'"):
        run("--source", "nope")
    with pytest.raises(CommandError, match=r"--id: nothing of test\.organ is logged under 'x'"):
        run("--source", SOURCE, "--id", "x")


def test_publication_checkpoint_command(log_organ, organ_a, capsys):
    log_organ(organ_a)
    call_command("records", "publication-checkpoint")
    call_command("records", "publication-checkpoint")
    out = capsys.readouterr().out
    assert "signed the tree of 1 leaves" in out and "unchanged" in out

"""The proof bundle and verify_offline.py, run as a script outside Django."""

from __future__ import annotations

import base64
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from zhifa.transparency import checkpoints as cps
from zhifa.transparency import verify_offline
from zhifa.transparency.verify_offline import ProofError, verify_bundle

pytestmark = pytest.mark.django_db

SCRIPT = Path(verify_offline.__file__)


def download(client, index: int) -> dict:
    response = client.get(f"/transparency/entries/{index}/proof.json")
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="zhifa-proof-{index}.json"'
    return json.loads(response.content)


def run_script(tmp_path: Path, bundle: dict, *args: str) -> subprocess.CompletedProcess[str]:
    path = tmp_path / "proof.json"
    path.write_text(json.dumps(bundle), encoding="utf-8")
    # Only the standard library and cryptography: no Django settings, not even the
    # package on the path (the script is run from a copy in an empty directory).
    copy = tmp_path / "verify_offline.py"
    copy.write_bytes(SCRIPT.read_bytes())
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO", "PYTHONPATH"))}
    return subprocess.run(
        [sys.executable, "-I", str(copy), str(path), *args],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def flip_b64(value: str, at: int) -> str:
    raw = bytearray(base64.b64decode(value))
    raw[at] ^= 1
    return base64.b64encode(bytes(raw)).decode()


def test_a_true_bundle_verifies_offline(client, signed, tmp_path):
    bundle = download(client, 1)
    assert set(bundle) >= {
        "origin", "leaf", "leaf_hash", "index", "tree_size", "inclusion_proof",
        "checkpoint", "public_key",
    }  # fmt: skip
    assert bundle["index"] == 1 and bundle["tree_size"] == 3
    assert base64.b64decode(bundle["leaf"]) == bytes(signed[1].leaf)
    assert verify_bundle(bundle).ok
    done = run_script(tmp_path, bundle, "--key", cps.verifier_key())
    assert done.returncode == 0, done.stderr
    assert "OK: leaf" in done.stdout and "entry 1 of zhifa.test/transparency" in done.stdout
    unpinned = run_script(tmp_path, bundle)
    assert unpinned.returncode == 0 and "pin it with --key" in unpinned.stdout


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("leaf", "the leaf does not hash to leaf_hash"),
        ("inclusion_proof", "the inclusion proof does not lead"),
        ("checkpoint", "is not valid"),
        ("index", "the inclusion proof does not lead"),
    ],
)
def test_a_flipped_byte_is_rejected(client, signed, tmp_path, field, message):
    bundle = download(client, 1)
    if field == "leaf":
        bundle["leaf"] = flip_b64(bundle["leaf"], 3)
    elif field == "inclusion_proof":
        bundle["inclusion_proof"][0] = flip_b64(bundle["inclusion_proof"][0], 7)
    elif field == "checkpoint":
        lines = bundle["checkpoint"].split("\n")
        lines[2] = flip_b64(lines[2], 0)  # the root hash
        bundle["checkpoint"] = "\n".join(lines)
    else:
        bundle["index"] = 2
    done = run_script(tmp_path, bundle, "--key", cps.verifier_key())
    assert done.returncode == 1
    assert message in done.stderr
    assert not verify_bundle(bundle).ok


def test_a_bundle_signed_by_another_key_fails_when_the_key_is_pinned(
    client, signed, tmp_path, settings
):
    pinned = cps.verifier_key()
    settings.RECORDS_SIGNING_KEY_FILE = tmp_path / "impostor.pem"
    settings.RECORDS_TRUSTED_PUBLIC_KEYS = []
    # The impostor re-signs the log under its own key and ships its key in the bundle.
    from zhifa.transparency.models import SignedCheckpoint

    SignedCheckpoint.objects.all().delete()
    assert cps.issue_checkpoint().checkpoint is not None
    bundle = download(client, 0)
    assert verify_bundle(bundle).ok  # against its own key …
    done = run_script(tmp_path, bundle, "--key", pinned)  # … but not against the real one
    assert done.returncode == 1 and "carries no signature of the key" in done.stderr


def test_unreadable_input_is_exit_2_without_traceback(tmp_path):
    done = run_script(tmp_path, {"format": "something else"})
    assert done.returncode == 2 and "Traceback" not in done.stderr
    (tmp_path / "broken.json").write_text("{", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-I", str(SCRIPT), str(tmp_path / "broken.json")],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 2 and "cannot check" in done.stderr
    with pytest.raises(ProofError):
        verify_bundle({"format": verify_offline.BUNDLE_FORMAT, "origin": "x", "index": -1})


def test_a_leaf_no_longer_public_is_proved_by_its_hash(client, signed, source):
    from zhifa.transparency.sources import register_source

    from .conftest import organ_leaf

    register_source(source, organ_leaf, is_public=lambda object_id: False)
    bundle = download(client, 1)
    assert "leaf" not in bundle
    assert verify_bundle(bundle).ok
    page = client.get("/transparency/entries/1")
    assert bytes(signed[1].leaf).decode() not in page.content.decode()

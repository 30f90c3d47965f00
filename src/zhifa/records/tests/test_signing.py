"""The checkpoint key: from configuration, else generated once (mode 0600)."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.core.exceptions import ImproperlyConfigured

from zhifa.records.signing import public_key_hex, signing_key, trusted_public_keys


def test_development_key_is_generated_once(settings, tmp_path):
    settings.RECORDS_SIGNING_KEY_FILE = tmp_path / "k.pem"
    first = public_key_hex(signing_key())
    assert (tmp_path / "k.pem").stat().st_mode & 0o777 == 0o600
    assert public_key_hex(signing_key()) == first


def test_configured_pem_wins_and_extra_keys_are_trusted(settings):
    key = Ed25519PrivateKey.generate()
    settings.RECORDS_SIGNING_KEY = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    settings.RECORDS_TRUSTED_PUBLIC_KEYS = ["AB" * 32]
    assert public_key_hex(signing_key()) == public_key_hex(key)
    assert trusted_public_keys() == {public_key_hex(key), "ab" * 32}


def test_a_key_of_another_type_is_refused(settings):
    from cryptography.hazmat.primitives.asymmetric import ec

    other = ec.generate_private_key(ec.SECP256R1())
    settings.RECORDS_SIGNING_KEY = other.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    with pytest.raises(ImproperlyConfigured, match="Ed25519"):
        signing_key()

"""Ed25519 keys for signing checkpoints.

The private key comes from configuration (``RECORDS_SIGNING_KEY``: a PEM text, or
``RECORDS_SIGNING_KEY_FILE``: a path to a PEM file). Without either, a development key
is generated once into the configured file (default ``./var/records-signing-key.pem``).
``RECORDS_TRUSTED_PUBLIC_KEYS`` lists further public keys (hex) whose older checkpoints
``verify`` accepts, e.g. after a key rotation.
"""

from __future__ import annotations

import os
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def _load_pem(data: bytes) -> Ed25519PrivateKey:
    key = serialization.load_pem_private_key(data, password=None)
    if not isinstance(key, Ed25519PrivateKey):
        raise ImproperlyConfigured("RECORDS_SIGNING_KEY must be an Ed25519 private key.")
    return key


def signing_key() -> Ed25519PrivateKey:
    pem = getattr(settings, "RECORDS_SIGNING_KEY", "")
    if pem:
        return _load_pem(pem.encode())
    path = Path(settings.RECORDS_SIGNING_KEY_FILE)
    if not path.exists() and not getattr(settings, "RECORDS_GENERATE_SIGNING_KEY", True):
        # Production: every server must sign and verify with the same configured key.
        raise ImproperlyConfigured(
            f"No checkpoint signing key: set ZHIFA_RECORDS_SIGNING_KEY (PEM text) or "
            f"ZHIFA_RECORDS_SIGNING_KEY_FILE (a PEM file present on every server; {path} "
            f"does not exist). Generate one with: zhifa records keygen FILE"
        )
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        key = Ed25519PrivateKey.generate()
        data = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:  # another process generated it first: use theirs
            pass
        else:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
    return _load_pem(path.read_bytes())


def new_key_pem() -> tuple[bytes, str]:
    """A new private key as PEM (PKCS#8, unencrypted) and its public key in hex."""
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    return pem, public_key_hex(key)


def public_key_hex(key: Ed25519PrivateKey) -> str:
    return (
        key.public_key()
        .public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        .hex()
    )


def trusted_public_keys() -> set[str]:
    keys = {k.lower() for k in getattr(settings, "RECORDS_TRUSTED_PUBLIC_KEYS", [])}
    keys.add(public_key_hex(signing_key()))
    return keys


def signature_valid(public_key: str, signature: str, message: bytes) -> bool:
    """Pure check, usable offline (verify-export)."""
    try:
        Ed25519PublicKey.from_public_bytes(bytes.fromhex(public_key)).verify(
            bytes.fromhex(signature), message
        )
    except (InvalidSignature, ValueError):
        return False
    return True

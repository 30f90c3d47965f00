"""C2SP signed notes and checkpoints: the reference vector of golang.org/x/mod/sumdb/note
(so that common tools and ours agree), and our own notes' format."""

from __future__ import annotations

import base64
import hashlib

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from zhifa.transparency.verify_offline import (
    ProofError,
    checkpoint_body,
    format_vkey,
    key_hash,
    open_signed_note,
    parse_checkpoint,
    parse_vkey,
    sign_line,
    verify_note,
)

VKEY = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
TEXT = (
    "If you think cryptography is the answer to your problem,\n"
    "then you don't know what your problem is.\n"
)
NOTE = (
    TEXT + "\n\u2014 PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2p"
    "ZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n"
)


def test_reference_vector_of_the_go_implementation():
    name, key = parse_vkey(VKEY)
    assert name == "PeterNeumann"
    assert key_hash(name, key).hex() == "c74f20a3"
    assert format_vkey(name, key) == VKEY
    assert open_signed_note(NOTE, name, key) == TEXT
    with pytest.raises(ProofError):
        open_signed_note(NOTE.replace("cryptography", "cryptographY"), name, key)
    with pytest.raises(ProofError):
        open_signed_note(NOTE.replace("PeterNeumann x", "PeterNeuman x"), name, key)


def test_key_hash_is_sha256_of_name_newline_type_and_key():
    key = bytes(range(32))
    expected = hashlib.sha256(b"log.example/x\n\x01" + key).digest()[:4]
    assert key_hash("log.example/x", key) == expected


def test_our_checkpoint_note_round_trip():
    private = Ed25519PrivateKey.generate()
    public = private.public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw
    )
    root = hashlib.sha256(b"root").digest()
    body = checkpoint_body("zhifa.test/log", 42, root)
    assert body == f"zhifa.test/log\n42\n{base64.b64encode(root).decode()}\n"
    note = body + "\n" + sign_line("zhifa.test/log", public, private.sign(body.encode()))
    checkpoint = verify_note(note, "zhifa.test/log", public)
    assert (checkpoint.origin, checkpoint.size, checkpoint.root) == ("zhifa.test/log", 42, root)
    with pytest.raises(ProofError):
        verify_note(note.replace("\n42\n", "\n43\n"), "zhifa.test/log", public)
    # A key of another name, or a note of another origin, is refused.
    with pytest.raises(ProofError):
        verify_note(note, "other.log", public)


@pytest.mark.parametrize(
    "body",
    [
        "o\n",
        "o\n01\nAAAA\n",
        "o\nx\n" + base64.b64encode(bytes(32)).decode() + "\n",
        "o\n1\n" + base64.b64encode(bytes(31)).decode() + "\n",
        "o\n1\n" + base64.b64encode(bytes(32)).decode(),
        "o\n1\n" + base64.b64encode(bytes(32)).decode() + "\n\n",
    ],
)
def test_malformed_checkpoints_are_refused(body):
    with pytest.raises(ProofError):
        parse_checkpoint(body)


@pytest.mark.parametrize("vkey", ["", "a+b", "a b+c74f20a3+AAAA", VKEY.replace("c74f", "c74e")])
def test_malformed_keys_are_refused(vkey):
    with pytest.raises(ProofError):
        parse_vkey(vkey)


def test_a_key_whose_base64_holds_a_plus_sign():
    key = b"\xfb" * 32
    vkey = format_vkey("zhifa.test/log", key)
    assert vkey.count("+") > 2
    assert parse_vkey(vkey) == ("zhifa.test/log", key)

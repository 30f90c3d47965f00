"""The keyed digests' own key (``ZHIFA_DIGEST_KEY``): chosen by ID, old keys kept after a
rotation, ``SECRET_KEY`` only under the legacy ID; the system check refuses a deployment
without it, and production settings with it pass ``check --deploy``."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from zhifa.core import checks
from zhifa.core.services import (
    LEGACY_KEY_ID,
    UnknownDigestKey,
    current_digest_key_id,
    digest_key_id,
    digest_keys,
    keyed_digest,
)

KEY = "current-digest-key-" + "c" * 40
OLD = "previous-digest-key-" + "p" * 40


def test_the_current_key_keys_new_digests_and_old_keys_still_verify() -> None:
    with override_settings(ZHIFA_DIGEST_KEY=OLD, ZHIFA_DIGEST_OLD_KEYS=[]):
        made = keyed_digest("test", "text")
    with override_settings(ZHIFA_DIGEST_KEY=KEY, ZHIFA_DIGEST_OLD_KEYS=[OLD]):
        assert current_digest_key_id() == digest_key_id(KEY)
        assert list(digest_keys()) == [digest_key_id(KEY), digest_key_id(OLD), LEGACY_KEY_ID]
        assert keyed_digest("test", "text") != made
        assert keyed_digest("test", "text", key_id=digest_key_id(OLD)) == made
        assert keyed_digest("other", "text", key_id=digest_key_id(OLD)) != made  # per purpose
    with (
        override_settings(ZHIFA_DIGEST_KEY=KEY, ZHIFA_DIGEST_OLD_KEYS=[]),
        pytest.raises(UnknownDigestKey),
    ):
        keyed_digest("test", "text", key_id=digest_key_id(OLD))


def test_the_key_id_tells_keys_apart_and_is_not_the_key() -> None:
    assert digest_key_id(KEY) != digest_key_id(OLD)
    assert len(digest_key_id(KEY)) == 8 and digest_key_id(KEY) not in KEY


def test_without_a_key_no_digest_is_made() -> None:
    with override_settings(ZHIFA_DIGEST_KEY=""), pytest.raises(ImproperlyConfigured):
        keyed_digest("test", "text")


@pytest.mark.parametrize(
    ("key", "old", "expected"),
    [
        ("", [], "core.E001"),
        ("short", [], "core.E001"),
        ("SECRET", [], "core.E002"),
        (KEY, ["a,b"], "core.E003"),
        (KEY, [OLD], None),
    ],
)
def test_the_system_check(key: str, old: list[str], expected: str | None, settings) -> None:
    value = settings.SECRET_KEY if key == "SECRET" else key
    with override_settings(ZHIFA_DIGEST_KEY=value, ZHIFA_DIGEST_OLD_KEYS=old):
        found = [m.id for m in checks.digest_key()]
    assert found == ([expected] if expected else [])


def _check_deploy(tmp_path: Path, **extra: str) -> subprocess.CompletedProcess[str]:
    # Not DJANGO_ALLOW_ASYNC_UNSAFE either: the browser tests set it in this process,
    # and check --deploy warns about it.
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith("ZHIFA_") and k not in ("DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE")
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "zhifa.settings.production",
            "ZHIFA_SECRET_KEY": "check-deploy-only-not-a-secret-" + "k" * 40,
            "ZHIFA_ALLOWED_HOSTS": "zhifa.example.org",
            "ZHIFA_TRANSPARENCY_ORIGIN": "zhifa.example.org/transparency",
            "ZHIFA_VAR_DIR": str(tmp_path),
            **extra,
        }
    )
    return subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_without_the_key_fails_the_check_and_with_it_passes(tmp_path: Path) -> None:
    missing = _check_deploy(tmp_path)
    assert missing.returncode != 0 and "core.E001" in missing.stderr, missing.stderr
    assert "ZHIFA_DIGEST_KEY is not set" in missing.stderr
    done = _check_deploy(tmp_path, ZHIFA_DIGEST_KEY="check-deploy-digest-" + "d" * 40)
    assert done.returncode == 0, done.stderr


def test_development_generates_its_own_digest_key_once(tmp_path: Path) -> None:
    env = {
        k: v for k, v in os.environ.items() if not k.startswith("ZHIFA_") and k != "DATABASE_URL"
    }
    env.update(
        {"DJANGO_SETTINGS_MODULE": "zhifa.settings.development", "ZHIFA_VAR_DIR": str(tmp_path)}
    )
    code = "from django.conf import settings as s; print(s.ZHIFA_DIGEST_KEY, s.SECRET_KEY)"
    runs = [
        subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
        ).stdout.split()
        for _ in range(2)
    ]
    assert runs[0] == runs[1]
    digest, secret = runs[0]
    assert len(digest) >= 50 and digest != secret
    assert (tmp_path / "digest_key").read_text().strip() == digest
    assert (tmp_path / "digest_key").stat().st_mode & 0o077 == 0

"""Production settings refuse to start without a secret; development makes one."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest


def _run(env: dict[str, str], code: str) -> subprocess.CompletedProcess[str]:
    full_env = {
        k: v for k, v in os.environ.items() if not k.startswith("ZHIFA_") and k != "DATABASE_URL"
    }
    full_env.update(env)
    return subprocess.run(
        [sys.executable, "-c", code], env=full_env, capture_output=True, text=True, check=False
    )


def test_production_refuses_without_secret(tmp_path):
    result = _run(
        {"DJANGO_SETTINGS_MODULE": "zhifa.settings.production", "ZHIFA_VAR_DIR": str(tmp_path)},
        "import django; django.setup()",
    )
    assert result.returncode != 0
    assert "ZHIFA_SECRET_KEY must be set" in result.stderr


def test_production_uses_database_url_and_secure_cookies(tmp_path):
    result = _run(
        {
            "DJANGO_SETTINGS_MODULE": "zhifa.settings.production",
            "ZHIFA_SECRET_KEY": "k" * 60,
            "DATABASE_URL": "postgres://u:p@db.internal:5432/zhifa",
            "ZHIFA_VAR_DIR": str(tmp_path),
        },
        "from django.conf import settings as s; "
        "print(s.DATABASES['default']['ENGINE'], s.DATABASES['default']['HOST'], "
        "s.SESSION_COOKIE_SECURE, s.DEBUG, s.TIME_ZONE, s.LANGUAGE_CODE)",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "django.db.backends.postgresql",
        "db.internal",
        "True",
        "False",
        "Asia/Shanghai",
        "zh-hans",
    ]


def test_development_generates_a_secret_once_and_uses_sqlite_wal(tmp_path):
    code = (
        "from django.conf import settings as s; "
        "print(s.SECRET_KEY); print(s.DATABASES['default']['NAME']); "
        "print('journal_mode=WAL' in s.DATABASES['default']['OPTIONS']['init_command'])"
    )
    env = {"DJANGO_SETTINGS_MODULE": "zhifa.settings.development", "ZHIFA_VAR_DIR": str(tmp_path)}
    first = _run(env, code)
    second = _run(env, code)
    assert first.returncode == 0, first.stderr
    assert first.stdout == second.stdout
    secret, name, wal = first.stdout.split()
    assert len(secret) >= 50 and (tmp_path / "secret_key").read_text().strip() == secret
    assert name == str(tmp_path / "zhifa.sqlite3") and wal == "True"


# --- the local secret (issue #10 follow-up) -----------------------------------------------


def _mode(path) -> int:
    return path.stat().st_mode & 0o777


@pytest.fixture
def local_secret_key(tmp_path, monkeypatch):
    """``settings.base.local_secret_key`` writing into ``tmp_path`` (its VAR_DIR)."""
    from zhifa.settings import base

    monkeypatch.setattr(base, "VAR_DIR", tmp_path)
    return base.local_secret_key


def test_a_new_secret_is_created_owner_only_not_tightened_afterwards(
    tmp_path, monkeypatch, local_secret_key
):
    """The file never exists with the umask's permissions: it is created 0600 (a later
    chmod would leave a moment in which others could read it)."""
    from pathlib import Path

    monkeypatch.setattr(Path, "chmod", lambda self, mode: None)
    old_umask = os.umask(0o022)
    try:
        key = local_secret_key()
    finally:
        os.umask(old_umask)
    path = tmp_path / "secret_key"
    assert len(key) >= 50 and path.read_text().strip() == key
    assert _mode(path) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["secret_key"]  # no temporary left
    assert local_secret_key() == key


@pytest.mark.parametrize("content", ["", "  \n", "\n\n"])
def test_an_empty_secret_is_regenerated(tmp_path, local_secret_key, content):
    path = tmp_path / "secret_key"
    path.write_text(content)
    path.chmod(0o644)
    key = local_secret_key()
    assert len(key) >= 50 and path.read_text().strip() == key
    assert _mode(path) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["secret_key"]


def test_a_readable_secret_is_tightened_and_kept(tmp_path, local_secret_key):
    path = tmp_path / "secret_key"
    path.write_text("k" * 60 + "\n")
    path.chmod(0o644)
    assert local_secret_key() == "k" * 60
    assert _mode(path) == 0o600


def test_a_failed_write_leaves_no_partial_secret(tmp_path, monkeypatch, local_secret_key):
    """The key is written to a temporary file and moved into place whole: a write that
    fails leaves no secret_key (nor a temporary), so the next start makes a whole key."""
    real_fsync = os.fsync

    def disk_full(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", disk_full)
    with pytest.raises(OSError, match="No space"):
        local_secret_key()
    assert list(tmp_path.iterdir()) == []
    monkeypatch.setattr(os, "fsync", real_fsync)
    assert len(local_secret_key()) >= 50

"""Production settings refuse to start without a secret; development makes one."""

from __future__ import annotations

import os
import subprocess
import sys


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

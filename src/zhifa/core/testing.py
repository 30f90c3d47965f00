"""Helpers for tests of every app (fixtures live in src/zhifa/conftest.py)."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.contrib.auth.base_user import AbstractBaseUser
from django.test import Client

from .organisation import organ_model

TEST_PASSWORD = "Test-password-2026!"

#: The instant a test's frozen clock (the ``frozen_clock`` fixture) starts from: 10:00 on
#: Tuesday 24 November 2026 in the site's time zone — a working day of a year whose
#: holidays the calendar knows, after every day the tests date their acts (cases from
#: March to August 2026, evidence collected on 20 November 2026).
FROZEN_NOW = dt.datetime(2026, 11, 24, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def make_organ(name: str, region: Any, subject_type: str = "statutory", **extra: Any) -> Any:
    """An organ (``settings.ZHIFA_ORGAN_MODEL``) of ``subject_type`` (default: a
    statutory organ, ``registry.models.SubjectType.STATUTORY``)."""
    return organ_model().objects.create(
        name=name, region=region, subject_type=subject_type, **extra
    )


def make_user(username: str, role: str, **extra: Any) -> Any:
    extra.setdefault("full_name", username)
    user = get_user_model()(username=username, role=role, **extra)
    user.set_password(TEST_PASSWORD)
    user.full_clean()
    user.save()
    return user


def client_for(user: AbstractBaseUser) -> Client:
    client = Client()
    client.force_login(user)
    return client


# --- a real server in a test (``zhifa serve`` in a subprocess) ---------------------------


def server_env(var_dir: Any) -> dict[str, str]:
    """The environment of a ``zhifa`` subprocess on the demo settings with its own
    ``var_dir`` (SQLite, files, secret key): none of the caller's ``ZHIFA_*`` settings
    or ``DATABASE_URL``."""
    import os

    env = {
        k: v for k, v in os.environ.items() if not k.startswith("ZHIFA_") and k != "DATABASE_URL"
    }
    env.update({"DJANGO_SETTINGS_MODULE": "zhifa.settings.demo", "ZHIFA_VAR_DIR": str(var_dir)})
    return env


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])

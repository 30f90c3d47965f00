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

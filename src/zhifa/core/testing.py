"""Helpers for tests of every app (fixtures live in src/zhifa/conftest.py)."""

from __future__ import annotations

from typing import Any

from django.test import Client

from zhifa.accounts.models import User
from zhifa.registry.models import EnforcementSubject, Region, SubjectType

TEST_PASSWORD = "Test-password-2026!"


def make_organ(
    name: str, region: Region, subject_type: str = SubjectType.STATUTORY, **extra: Any
) -> EnforcementSubject:
    return EnforcementSubject.objects.create(
        name=name, region=region, subject_type=subject_type, **extra
    )


def make_user(username: str, role: str, **extra: Any) -> User:
    extra.setdefault("full_name", username)
    user = User(username=username, role=role, **extra)
    user.set_password(TEST_PASSWORD)
    user.full_clean()
    user.save()
    return user


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client

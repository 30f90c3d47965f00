"""The weak passwords people choose here are refused (issue 13, item 7)."""

from __future__ import annotations

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from zhifa.core.passwords import is_weak

WEAK = [
    "zhangwei123",
    "Jiaxing2026",
    "zhifazhifa",
    "ZhangWei@2026",
    "2026liuyang!!",
    "wangxiaoming1",
    "haiyan123456",
    "Zhejiang2026!",
    "woaini1314520",
]
STRONG = [
    "Test-password-2026!",
    "lanse-haiyang-feiji",
    "correct horse battery staple",
    "x7#Qm2!pLr9z",
    "zhangwei-eats-mooncakes",
]


@pytest.mark.parametrize("password", WEAK)
def test_weak_passwords_are_refused(password: str) -> None:
    assert is_weak(password)
    with pytest.raises(ValidationError) as refused:
        validate_password(password)
    assert "password_too_common" in [e.code for e in refused.value.error_list]


@pytest.mark.parametrize("password", STRONG)
def test_other_passwords_pass(password: str) -> None:
    assert not is_weak(password)
    validate_password(password)

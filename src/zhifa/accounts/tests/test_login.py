"""Login, logout and lockout (argon2 in production, django-axes)."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.contrib.sessions.models import Session
from django.urls import reverse

from zhifa.core.testing import TEST_PASSWORD

LOGIN = "/accounts/login/"


@pytest.mark.django_db
class TestLogin:
    def test_login_page_is_chinese_by_default(self, client):
        html = client.get(LOGIN).content.decode()
        assert '<html lang="zh-hans">' in html
        assert "登录" in html and "用户名" in html and "密码" in html

    def test_successful_login_lands_on_home(self, client, officer_a):
        response = client.post(LOGIN, {"username": "officer_a", "password": TEST_PASSWORD})
        assert response.status_code == 302 and response["Location"] == reverse("core:home")
        home = client.get(reverse("core:home")).content.decode()
        assert "张伟" in home and "执法人员" in home

    def test_wrong_password_gives_a_clear_message_and_no_session(self, client, officer_a):
        response = client.post(LOGIN, {"username": "officer_a", "password": "wrong-password"})
        assert response.status_code == 200
        assert "用户名或密码不正确" in response.content.decode()
        assert Session.objects.count() == 0
        assert "_auth_user_id" not in client.session

    def test_empty_fields_are_named(self, client, officer_a):
        html = client.post(LOGIN, {"username": "", "password": ""}).content.decode()
        assert "请输入用户名" in html and "请输入密码" in html
        assert Session.objects.count() == 0

    def test_lockout_after_repeated_failures(self, client, officer_a, settings):
        for _ in range(settings.AXES_FAILURE_LIMIT):
            client.post(LOGIN, {"username": "officer_a", "password": "wrong-password"})
        locked = client.post(LOGIN, {"username": "officer_a", "password": TEST_PASSWORD})
        assert locked.status_code == 429
        assert "账户已被暂时锁定" in locked.content.decode()
        assert "_auth_user_id" not in client.session
        assert AccessAttempt.objects.filter(username="officer_a").exists()

    def test_logout_requires_post_and_ends_the_session(self, client, officer_a):
        client.post(LOGIN, {"username": "officer_a", "password": TEST_PASSWORD})
        assert client.get("/accounts/logout/").status_code == 405
        response = client.post("/accounts/logout/")
        assert response.status_code == 302
        assert client.get(reverse("core:home")).status_code == 302


def test_production_hashes_passwords_with_argon2():
    from zhifa.settings import base

    assert base.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"

"""Home page per role, health check, language switch (error pages: test_error_pages)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse

from zhifa.core.testing import client_for


@pytest.mark.django_db
class TestHome:
    def test_officer_home_names_sections(self, officer_a):
        html = client_for(officer_a).get(reverse("core:home")).content.decode()
        assert "我的案件与期限" in html and reverse("cases:list") in html
        assert "法制审核队列" not in html  # a reviewer's section

    def test_every_section_links_to_a_page_its_roles_may_open(
        self, officer_a, reviewer_a, head_a, supervisor_city, admin_user
    ):
        from zhifa.core.navigation import SECTIONS

        for user in (officer_a, reviewer_a, head_a, supervisor_city, admin_user):
            client = client_for(user)
            for section in SECTIONS:
                if user.role in section.roles:
                    response = client.get(reverse(section.url_name))
                    assert response.status_code == 200, (user.role, section.url_name)

    def test_reviewer_home(self, reviewer_a):
        html = client_for(reviewer_a).get(reverse("core:home")).content.decode()
        assert "法制审核队列" in html

    def test_supervisor_home_counts_region_organs(self, supervisor_city, organ_a, organ_b):
        html = client_for(supervisor_city).get(reverse("core:home")).content.decode()
        assert "2 个机关" in html
        assert "辖区案件" in html and reverse("cases:list") in html
        assert reverse("registry:region_list") in html

    def test_administrator_sees_admin_link(self, admin_user):
        html = client_for(admin_user).get(reverse("core:home")).content.decode()
        assert "/admin/" in html

    def test_english_is_available(self, officer_a):
        client = client_for(officer_a)
        client.post("/i18n/setlang/", {"language": "en", "next": "/"})
        html = client.get(reverse("core:home")).content.decode()
        assert '<html lang="en">' in html and "My cases and deadlines" in html


@pytest.mark.django_db
def test_healthz_checks_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok", "database": "ok"}


@pytest.mark.django_db
def test_healthz_reports_a_broken_database(client, monkeypatch):
    def broken_cursor(*args, **kwargs):
        raise connection.Database.OperationalError("down")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    response = client.get("/healthz")
    assert response.status_code == 503 and response.json()["database"] == "unavailable"


@pytest.mark.django_db
def test_chinese_is_the_default_whatever_the_browser_asks(client):
    html = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="zh-hans">' in html and "用户名" in html
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "Username" in client.get("/accounts/login/").content.decode()

"""The site's own error pages (400, 403, CSRF failure, 404, 500) with DEBUG off, as
production and the demo serve them: in the site's style, Chinese by default, English on
request, never a URL pattern or a detail of the failure; JSON under /api/."""

from __future__ import annotations

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from zhifa.core.testing import client_for

SHAPE = {"status", "code", "message", "errors"}
# What Django's technical pages show (DEBUG on): the URLconf and its patterns.
LEAKS = ("URLconf", "urlpatterns", "<int:pk>", "steps/<slug:step>", "Traceback", "boom")


def site_page(html: str) -> bool:
    """The page is the site's own: base.html's top bar and footer around it."""
    return '<header class="topbar">' in html and '<footer class="footer">' in html


def assert_no_leak(html: str) -> None:
    for leak in LEAKS:
        assert leak not in html, leak


@pytest.fixture
def debug_off():
    with override_settings(DEBUG=False):
        yield


@pytest.fixture
def boom_urls():
    with override_settings(DEBUG=False, ROOT_URLCONF="zhifa.core.tests.boom_urls"):
        yield


@pytest.mark.django_db
@pytest.mark.usefixtures("debug_off")
class TestNotFound:
    @pytest.mark.parametrize(
        "url", ["/cases/999999/", "/cases/999999/steps/register/", "/no/such/page/"]
    )
    def test_missing_case_step_and_url_give_the_chinese_404(self, officer_a, url):
        response = client_for(officer_a).get(url)
        assert response.status_code == 404
        html = response.content.decode()
        assert '<html lang="zh-hans">' in html and "页面不存在" in html
        assert site_page(html)
        assert_no_leak(html)

    def test_anonymous_visitor_gets_the_same_page(self, db):
        html = Client().get("/no/such/page/").content.decode()
        assert "页面不存在" in html and site_page(html)
        assert_no_leak(html)

    def test_english_is_available(self, officer_a):
        client = client_for(officer_a)
        client.post("/i18n/setlang/", {"language": "en", "next": "/"})
        response = client.get("/cases/999999/")
        html = response.content.decode()
        assert response.status_code == 404
        assert '<html lang="en">' in html and "Page not found" in html
        assert_no_leak(html)

    def test_the_api_keeps_its_json_shape(self, officer_a):
        client = client_for(officer_a)
        for url in ("/api/v1/cases/999999", "/api/v1/no-such-thing"):
            response = client.get(url)
            assert response.status_code == 404
            assert set(response.json()) == SHAPE and response.json()["code"] == "not_found"


@pytest.mark.django_db
@pytest.mark.usefixtures("debug_off")
class TestForbidden:
    def test_a_page_outside_the_role_gives_the_chinese_403(self, officer_a):
        response = client_for(officer_a).get(reverse("cases:approvals"))
        assert response.status_code == 403
        html = response.content.decode()
        assert "无权访问" in html and site_page(html)
        assert_no_leak(html)

    def test_csrf_failure_is_the_sites_page(self, officer_a):
        client = Client(enforce_csrf_checks=True)
        client.force_login(officer_a)
        response = client.post(reverse("cases:open"), {})
        assert response.status_code == 403
        html = response.content.decode()
        assert "表单已过期" in html and site_page(html)
        assert "CSRF" not in html and "Forbidden" not in html

    def test_csrf_failure_under_the_api_is_json(self, officer_a):
        client = Client(enforce_csrf_checks=True)
        client.force_login(officer_a)
        response = client.post("/api/v1/cases", {}, content_type="application/json")
        assert response.status_code == 403
        assert set(response.json()) == SHAPE and response.json()["code"] == "forbidden"


@pytest.mark.django_db
@pytest.mark.usefixtures("boom_urls")
class TestServerErrorAndBadRequest:
    def test_a_view_that_raises_gives_the_chinese_500(self, officer_a):
        client = Client(raise_request_exception=False)
        client.force_login(officer_a)
        response = client.get("/test-only/boom/")
        assert response.status_code == 500
        html = response.content.decode()
        assert "服务器错误" in html and site_page(html)
        assert_no_leak(html)

    def test_an_unhandled_api_error_is_json(self, officer_a, monkeypatch):
        from zhifa.cases import api

        def boom(*args, **kwargs):
            raise RuntimeError("boom")

        monkeypatch.setattr(api, "filter_cases", boom)
        client = Client(raise_request_exception=False)
        client.force_login(officer_a)
        response = client.get("/api/v1/cases")
        assert response.status_code == 500
        assert set(response.json()) == SHAPE and response.json()["code"] == "server_error"
        assert "boom" not in response.content.decode()

    def test_a_bad_request_gives_the_chinese_400(self, officer_a):
        response = client_for(officer_a).get("/test-only/suspicious/")
        assert response.status_code == 400
        html = response.content.decode()
        assert "请求有误" in html and site_page(html)
        assert "suspicious detail" not in html

    def test_a_foreign_host_gives_the_chinese_400(self, db):
        response = Client().get("/", HTTP_HOST="evil.example.com")
        assert response.status_code == 400
        html = response.content.decode()
        assert "请求有误" in html and "evil.example.com" not in html


def test_the_500_page_needs_no_request(rf):
    from zhifa.core.views import error_500

    response = error_500(rf.get("/x"))
    html = response.content.decode()
    assert response.status_code == 500 and "服务器错误" in html and site_page(html)
    assert 'name="language"' not in html  # no form without a CSRF token

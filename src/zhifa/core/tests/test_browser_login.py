"""The login flow in real headless Chromium."""

from __future__ import annotations

import pytest

from zhifa.core.testing import TEST_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_log_in_see_home_and_organs_then_log_out(page, live_server, officer_a, organ_b):
    page.goto("/work/")
    assert "/accounts/login/" in page.url
    assert page.locator("html").get_attribute("lang") == "zh-hans"

    page.fill("#id_username", "officer_a")
    page.fill("#id_password", "wrong password")
    with page.expect_navigation():
        page.click("button.primary")
    assert "用户名或密码不正确" in page.locator(".errors").inner_text()

    page.fill("#id_password", TEST_PASSWORD)
    with page.expect_navigation(url=f"{live_server.url}/work/"):
        page.click("button.primary")
    assert page.locator("h1").inner_text() == "欢迎，张伟"

    with page.expect_navigation(url="**/registry/organs/"):
        page.click("nav.mainnav >> text=执法主体")
    rows = page.locator("table.list tbody tr")
    assert rows.count() == 1 and "嘉兴市市场监督管理局" in rows.first.inner_text()
    assert organ_b.name not in page.content()

    with page.expect_navigation(url="**/accounts/login/"):
        page.click("text=退出登录")
    assert page.locator("h1").inner_text() == "登录"


def test_language_switch_to_english(page, officer_a):
    page.goto("/accounts/login/")
    with page.expect_navigation():
        page.select_option("#language", "en")
    assert page.locator("h1").inner_text() == "Log in"

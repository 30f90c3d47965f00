"""The pages work under the Content-Security-Policy in real Chromium: no violation is
reported, and the behaviours moved out of inline handlers (language switch) work."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_no_csp_violation_on_the_pages(page, officer_a, organ_a):
    reports: list[str] = []
    page.on(
        "console",
        lambda message: (
            reports.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    page.goto("/accounts/login/")
    page.fill("#id_username", "officer_a")
    from zhifa.core.testing import TEST_PASSWORD

    page.fill("#id_password", TEST_PASSWORD)
    with page.expect_navigation():
        page.click("button.primary")
    for url in [
        "/",
        "/work/",
        "/registry/organs/",
        "/registry/officers/",
        "/cases/",
        "/catalogue/laws/",
    ]:
        page.goto(url)
        assert page.locator("h1").count() >= 1, url
    page.goto("/api/v1/docs")
    page.wait_for_selector(".swagger-ui", timeout=10_000)
    page.goto("/work/")
    # The switch submits its form (zhifa.js): wait for that navigation, not the goto's.
    with page.expect_navigation():
        page.select_option("#language", "en")
    assert page.locator("html").get_attribute("lang") == "en"
    assert reports == []

"""A strict Content-Security-Policy on every response (issue 13, item 7), which the
pages satisfy: no inline script, event handler or style in any template."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client

from zhifa.core.testing import client_for

SRC = Path(__file__).resolve().parents[2]
INLINE = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)|<style|\son[a-z]+=|\sstyle=")


@pytest.mark.django_db
@pytest.mark.parametrize("url", ["/accounts/login/", "/registry/verify/x/", "/api/v1/me"])
def test_every_response_has_the_policy(url: str) -> None:
    policy = Client().get(url).headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy
    assert "style-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy


@pytest.mark.django_db
def test_a_logged_in_page_has_the_policy(officer_a) -> None:
    response = client_for(officer_a).get("/registry/officers/")
    assert response.status_code == 200
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]


def test_no_template_has_inline_script_or_style() -> None:
    offenders = [
        f"{path.relative_to(SRC)}: {match.group(0).strip()}"
        for path in SRC.rglob("templates/**/*.html")
        for match in INLINE.finditer(path.read_text("utf-8"))
    ]
    assert offenders == []

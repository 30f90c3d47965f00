"""In headless Chromium at 390 and 1280 px: the supervisor uploads a zip of case files
on the bulk audits page, the worker audits them, the report shows the aggregate and the
files, one file's findings open from it. No page scrolls sideways."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.management import call_command

from zhifa.supervision.models import BulkAudit
from zhifa.supervision.tests.conftest import width
from zhifa.supervision.tests.test_bulk_audit import BAD, LEGAL, legal_zip

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("viewport", [390, 1280])
def test_upload_a_zip_and_read_the_report(
    signed_in: Callable[..., Any], supervisor_city: Any, frozen_clock: Any, viewport: int
) -> None:
    page = signed_in(supervisor_city.username, viewport)
    page.goto("/work/")
    page.click("a[href='/supervision/bulk-audits/']")
    page.wait_for_selector("#bulk-audit-form")
    assert width(page, f"bulk-audit-list-{viewport}") <= viewport
    page.set_input_files(
        "#id_files",
        files=[{"name": "export.zip", "mimeType": "application/zip",
                "buffer": legal_zip(BAD)}],
    )  # fmt: skip
    page.click("#bulk-audit-form button.primary")
    page.wait_for_selector("#bulk-progress")
    assert "排队中" in page.inner_text("#bulk-status")
    call_command("worker", once=True, verbosity=0)
    bulk = BulkAudit.objects.get()
    assert bulk.status == "done"
    page.goto(f"/supervision/bulk-audits/{bulk.pk}/")
    assert page.inner_text("#bulk-summary .files-total") == str(len(LEGAL) + len(BAD))
    assert page.inner_text("#bulk-summary .files-block") == str(bulk.files_with_block)
    assert "$.steps[0].on" in page.inner_text("#bulk-files")
    assert page.locator("#bulk-rules tbody tr").count() == len(bulk.rules)
    assert width(page, f"bulk-audit-report-{viewport}") <= viewport
    page.click("#bulk-files tr.file-block a")
    page.wait_for_selector("#audit-summary")
    assert width(page, f"bulk-audit-file-{viewport}") <= viewport
    with page.expect_download() as download:
        page.goto(f"/supervision/bulk-audits/{bulk.pk}/")
        page.click("#bulk-excel")
    assert download.value.suggested_filename.endswith(".xlsx")

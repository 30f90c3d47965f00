"""The publication log attacked (issue #15 hardening): the redacted 决定书 replaced in
the database, its SM3 column left as it was, is found by ``records verify-publication``
— the public reads the document, not its digest column."""

from __future__ import annotations

import io
from typing import Any

from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from zhifa.cases.tests.conftest import Walker
from zhifa.disclosure import services, tasks
from zhifa.disclosure.models import Publication, PublicationStatus

from .test_publication import at
from .test_publication_log import verify


def test_a_document_replaced_in_the_database_fails_verify_publication(
    walk: Walker, time_machine: Any
) -> None:
    walk.until_review()
    walk.decide()
    Publication.objects.filter(case=walk.case).update(full_text=True)
    at(time_machine, "2026-03-30")
    tasks.sweep_publications.call()
    published = Publication.objects.get(case=walk.case)
    assert published.status == PublicationStatus.PUBLISHED and published.document_pdf
    call_command("records", "publication-checkpoint", stdout=io.StringIO())
    assert verify()[0] == 0
    forged = bytes(published.document_pdf).replace(b"%%EOF", b"% forged\n%%EOF")
    Publication.objects.filter(pk=published.pk).update(document_pdf=forged)
    served = Client().get(reverse("disclosure:public_pdf", args=[published.pk]))
    assert served.content == forged  # what the public now reads
    code, _, err = verify()
    assert code == 1
    assert f"{services.LOG_SOURCE} {published.pk}" in err

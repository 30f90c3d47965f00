"""The sweep reads what a chunk's case files need in a fixed number of queries
(issue #17, scale): ``casefile.load_chunk`` reads the published benchmark versions of the
chunk's power items and the earlier legal reviews of its reviewers once for the chunk;
the case files are the very ones built case by case."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from zhifa.cases import casefile
from zhifa.cases.models import Case
from zhifa.catalogue.models import PowerItem
from zhifa.registry.models import EnforcementSubject

from .conftest import D, People, Walker, open_general_case

pytestmark = pytest.mark.django_db

AS_OF = dt.date(2026, 4, 10)


def _decided(organ: EnforcementSubject, power_item: PowerItem, people: People) -> Case:
    walk = Walker(open_general_case(organ, power_item, people), people)
    walk.until_review()
    # No benchmark stated: the file then says whether one was published (DISC-benchmark).
    Case.objects.filter(pk=walk.case.pk).update(benchmark=None)
    walk.case.benchmark = None
    walk.decide()
    return walk.case


def _read(pks: list[int]) -> list[Case]:
    cases = list(casefile.prefetch(Case.objects.filter(pk__in=pks)).order_by("pk"))
    casefile.load_certificates(cases)
    return cases


def test_a_chunk_read_at_once_gives_the_same_case_files(
    organ_a: EnforcementSubject, power_item: PowerItem, people: People, bands: None
) -> None:
    first = _decided(organ_a, power_item, people)
    second = _decided(organ_a, power_item, people)
    # The second case's review a day later: its reviewer reviewed the first case before.
    second.steps.filter(step="legal_review").update(on=D("2026-03-26"))
    pks = [first.pk, second.pk]

    one_by_one = [casefile.export_document(c, AS_OF) for c in _read(pks)]
    chunk = _read(pks)
    with CaptureQueriesContext(connection) as read:
        casefile.load_chunk(chunk)
        at_once = [casefile.export_document(c, AS_OF) for c in chunk]

    assert at_once == one_by_one
    # Benchmark versions and their bands (two), the earlier reviews (one); none per case.
    assert len(read.captured_queries) == 3
    reviewer = casefile.officer_ref(people.reviewer)
    first_time = [
        {o["id"]: o["first_time_reviewer"] for o in d["officers"]}[reviewer] for d in at_once
    ]
    assert first_time == [True, False]
    assert [d["settings"]["benchmark_published"] for d in at_once] == [True, True]

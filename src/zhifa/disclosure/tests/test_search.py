"""Search over published decisions (item 7): one interface, ``search(query, filters)``,
over SQLite FTS5 (trigram) or PostgreSQL pg_trgm — the same answers on both (CI runs
this file on PostgreSQL through DATABASE_URL)."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection

from zhifa.cases.tests.conftest import D, Walker
from zhifa.disclosure import services
from zhifa.disclosure.models import EndKind, Publication, PublicationStatus
from zhifa.disclosure.search import Filters, search


@pytest.fixture
def published(walk: Walker) -> Publication:
    walk.until_review()
    walk.decide()
    return services.publish(Publication.objects.get(case=walk.case), on=D("2026-03-30"))


def test_the_index_is_the_vendors(published: Publication) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT rowid FROM disclosure_publication_fts")
            # The FTS5 table is not a model's: the flush after a transactional test (a
            # browser test that published a decision) leaves its rows. Of the rows of
            # the publications that exist, this test's is the only one.
            rows = {r[0] for r in cursor.fetchall()}
            existing = set(Publication.objects.values_list("pk", flat=True))
            assert rows & existing == {published.pk}
        else:
            cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
            assert cursor.fetchone() == (1,)
            cursor.execute("SELECT 1 FROM pg_indexes WHERE indexname = 'publication_search_trgm'")
            assert cursor.fetchone() == (1,)
            cursor.execute("SELECT 1 FROM pg_indexes WHERE indexname = 'publication_search_grams'")
            assert cursor.fetchone() == (1,)


@pytest.mark.parametrize(
    ("query", "hit"),
    [
        ("食品安全标准", True),  # the violation (trigram match)
        ("食品", True),  # two characters: a substring (SQLite) or the grams' index (PostgreSQL)
        ("食", True),  # one character
        ("q", True),  # the credit code's final Q, in any case
        ("2Q", True),
        ("品食", False),  # both characters are there, not together
        ("药", False),
        ("第一百二十四条", True),  # the basis
        ("嘉兴某某食品有限公司", True),  # the party as published
        ("嘉兴市市场监督管理局 罚款", True),  # every word
        ("药品", False),
        ("食品 药品", False),
        ('"', False),
    ],
)
def test_search_finds_chinese_substrings(published: Publication, query: str, hit: bool) -> None:
    assert (published in search(query)) is hit


def test_filters(published: Publication, organ_b: Any) -> None:
    assert list(search("", Filters(party="某某食品"))) == [published]
    assert list(search("", Filters(violation="食品安全"))) == [published]
    assert list(search("", Filters(organ=organ_b.pk))) == []
    assert list(search("", Filters(date_from=D("2026-03-27"), date_to=D("2026-03-27")))) == [
        published
    ]
    assert list(search("", Filters(date_from=D("2026-03-28")))) == []


def test_a_withdrawn_decision_leaves_the_index_but_stays_listed(
    published: Publication, walk: Walker
) -> None:
    done = services.take_down(
        published,
        on=D("2026-05-01"),
        kind=EndKind.CREDIT_REPAIR,
        reason="信用修复",
        actor=walk.p.head_user,
    )
    assert done.status == PublicationStatus.TAKEN_DOWN
    assert list(search("食品安全标准")) == []
    assert list(search("")) == [done]

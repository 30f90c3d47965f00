"""What the public decision pages cost stays bounded as the portal grows (issue #15,
``bench/portal.py``): a decision's page, for a visitor not signed in, is rendered once
per content and then found in one query (never served stale); the list reads the
matches of a search only so far past the page shown; a word of one or two characters is
answered by an index on PostgreSQL, not by reading every decision."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from zhifa.cases.tests.conftest import D, Walker
from zhifa.disclosure import services, views
from zhifa.disclosure.models import EndKind, Publication, PublicationStatus
from zhifa.disclosure.search import GRAMS_FUNCTION, _matching, index_publication, search
from zhifa.registry.models import Region


@pytest.fixture(autouse=True)
def _no_page_kept() -> Iterator[None]:
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def published(walk: Walker) -> Publication:
    walk.until_review()
    walk.decide()
    return services.publish(Publication.objects.get(case=walk.case), on=D("2026-03-30"))


def _get(client: Client, url: str, **params: Any) -> tuple[str, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    return response.content.decode(), len(queries)


def test_a_decision_page_is_rendered_once_then_found_in_one_query(
    published: Publication, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = reverse("disclosure:public_decision", args=[published.pk])
    anonymous = Client()
    first, queries = _get(anonymous, url)
    assert queries == 2  # what the page shows (with its proof), then the decision
    assert published.summary["party"] in first

    def no_render(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("rendered again")

    monkeypatch.setattr(views, "render", no_render)
    again, queries = _get(anonymous, url)
    assert (again, queries) == (first, 1)
    # Another language or another address of the page is another page.
    with pytest.raises(AssertionError, match="rendered again"):
        anonymous.get(url, {"x": "1"})


def test_a_kept_page_is_never_served_stale(published: Publication, walk: Walker) -> None:
    url = reverse("disclosure:public_decision", args=[published.pk])
    anonymous = Client()
    page, _ = _get(anonymous, url)
    assert "尚无签名检查点覆盖" in page
    # A checkpoint now covers the entry: the proof line says so at once.
    call_command("records", "publication-checkpoint", stdout=io.StringIO())
    covered, _ = _get(anonymous, url)
    assert "尚无签名检查点覆盖" not in covered and "签名检查点" in covered
    # Taken down: the page says so at once, without the party.
    services.take_down(
        published,
        on=D("2026-05-01"),
        kind=EndKind.CREDIT_REPAIR,
        reason="信用修复申请已获批准",
        actor=walk.p.head_user,
    )
    gone, _ = _get(anonymous, url)
    assert published.summary["party"] not in gone
    assert "信用修复申请已获批准" in gone


def test_a_signed_in_user_is_not_given_the_visitors_page(
    published: Publication, walk: Walker
) -> None:
    url = reverse("disclosure:public_decision", args=[published.pk])
    visitor, _ = _get(Client(), url)
    staff = Client()
    staff.force_login(walk.p.officer_user)
    signed_in, _ = _get(staff, url)
    home = f'href="{reverse("core:home")}"'
    assert home not in visitor and home in signed_in


def _second_public_decision(published: Publication) -> Publication:
    """Another published decision (the same case's registration standing for its
    decision: only the list is read here)."""
    step = published.case.steps.get(step="registered")
    second = Publication.objects.create(
        organ_id=published.organ_id,
        case=published.case,
        decision=step,
        status=PublicationStatus.PUBLISHED,
        decided_on=published.decided_on,
        due_on=published.due_on,
        summary={**published.summary, "number": "嘉市监罚〔2026〕999号"},
        search_text=published.search_text.replace(
            published.summary["number"], "嘉市监罚〔2026〕999号"
        ),
        published_on=D("2026-03-31"),
    )
    index_publication(second)
    return second


def test_the_list_counts_only_so_far_past_the_page(
    published: Publication, monkeypatch: pytest.MonkeyPatch
) -> None:
    _second_public_decision(published)
    monkeypatch.setattr(views, "PAGE_SIZE", 1)
    monkeypatch.setattr(views, "COUNT_AHEAD", 1)
    url = reverse("disclosure:public_list")
    anonymous = Client()
    with CaptureQueriesContext(connection) as queries:
        first, _ = _get(anonymous, url, q="食品 安全")
    assert "2+" in first  # page 1 of at least 2: counted one past the page only
    assert "嘉市监罚〔2026〕999号" in first
    # More than counted: the page is read newest first, each word as a substring.
    ordered = [
        q["sql"]
        for q in queries.captured_queries
        if "ORDER BY" in q["sql"]
        and "disclosure_publication" in q["sql"]
        and not q["sql"].startswith('SELECT "registry_enforcementsubject"')
    ]
    assert len(ordered) == 1 and "search_text" in ordered[0]
    assert GRAMS_FUNCTION not in ordered[0]
    second, _ = _get(anonymous, url, q="食品安全", page="2")
    assert "2+" not in second and published.summary["number"] in second


def test_the_list_reads_at_most_the_matches_ahead_then_the_page_by_them(
    published: Publication,
) -> None:
    second = _second_public_decision(published)
    with CaptureQueriesContext(connection) as queries:
        page = Client().get(reverse("disclosure:public_list"), {"q": "有限公司"})
    captured = [q["sql"] for q in queries.captured_queries]
    organs = [q for q in captured if q.startswith('SELECT "registry_enforcementsubject"')]
    # The form's organs: one query, asking per organ whether it has a public decision.
    assert len(organs) == 1 and "EXISTS" in organs[0], organs
    sql = [q for q in captured if "disclosure_publication" in q and q not in organs]
    # The matches' ids, at most as far as counted, in any order; then the page by ids.
    assert len(sql) == 2, sql
    assert f"LIMIT {views.COUNT_AHEAD + 1}" in sql[0] and "ORDER BY" not in sql[0]
    assert "search_text" not in sql[1] and "ORDER BY" in sql[1]
    text = page.content.decode()
    assert text.index(second.summary["number"]) < text.index(published.summary["number"])


@pytest.mark.parametrize(
    ("page", "limit"), [(None, 1000), ("1", 1000), ("3", 1040), ("x", 1000), ("-5", 1000)]
)
def test_counting_ahead_of_the_page_asked(page: str | None, limit: int) -> None:
    paginator = views.CountingAhead(Region.objects.none(), 20, page)  # type: ignore[arg-type]
    assert paginator.limit == limit
    assert (paginator.count, paginator.more, paginator.pages_label) == (0, False, "1")
    assert list(paginator.get_page(page)) == []


def test_a_short_word_on_postgresql_reads_the_grams_index(published: Publication) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: SQLite reads a short word with a substring filter")
    assert GRAMS_FUNCTION in str(search("食品").query)
    assert [p.pk for p in search("食品")] == [published.pk]
    assert GRAMS_FUNCTION not in str(search("食品", in_order=True).query)
    assert [p.pk for p in search("食品", in_order=True)] == [published.pk]
    # The word's condition alone, the table tiny: with a scan of the table ruled out,
    # only an index that matches the condition's expression can answer it.
    found = _matching(Publication.objects.order_by(), "食品").values("pk")
    sql, params = found.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "publication_search_grams" in plan, plan

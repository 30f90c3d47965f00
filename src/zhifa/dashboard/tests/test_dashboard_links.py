"""Every number of the dashboard is a link to the list of what it counts, for every
viewer in scope: the regions' rows and the fines too (the fines of an organ without
statistics, a justice bureau, no longer 404); the list each link opens counts the
number (issue #17)."""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from zhifa.accounts.models import User
from zhifa.core.testing import client_for, make_organ
from zhifa.dashboard import figures
from zhifa.registry.models import EnforcementSubject, Region

pytestmark = pytest.mark.django_db

URL = "/supervision/dashboard/"


@pytest.fixture
def demo(demo_once: None, frozen_clock: dt.datetime) -> None:
    """The demo, loaded once for the module (``demo_once``)."""


class Cells(HTMLParser):
    """The numeric cells (``td.num``, the rates included) and the summary's figures,
    each with the link it holds (None: none), outside the trend's table (past days'
    history)."""

    def __init__(self) -> None:
        super().__init__()
        self.cells: list[tuple[str, str | None]] = []
        self._open: list[str | None] | None = None
        self._text = ""
        self._trend = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "table" and a.get("id") == "trend-table":
            self._trend = True
        classes = (a.get("class") or "").split()
        if (tag == "td" and "num" in classes) or tag == "dd":
            if not self._trend:
                self._open, self._text = [None], ""
        elif tag == "a" and self._open is not None:
            self._open[0] = a.get("href")

    def handle_endtag(self, tag: str) -> None:
        if tag == "table":
            self._trend = False
        if tag in ("td", "dd") and self._open is not None:
            self.cells.append((self._text.strip(), self._open[0]))
            self._open = None

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._text += data


def test_every_number_is_a_link(demo: None, today: dt.date) -> None:
    supervisor = User.objects.get(username="supervisor")
    page = client_for(supervisor).get(URL).content.decode()
    parser = Cells()
    parser.feed(page)
    assert len(parser.cells) > 50
    unlinked = [text for text, href in parser.cells if not href]
    # a rate of an organ that decided nothing is "—" and counts no case
    assert set(unlinked) <= {"—"}
    rates = re.findall(r'data-figure="review_rate" href="([^"]+)"', page)
    assert rates and all("with=legal_review" in url for url in rates)
    # The region table is there, and its figures link with the region's code.
    assert 'data-region="' in page and re.search(r'href="/cases/\?region=\d+"', page)


def test_each_link_of_a_region_row_lists_what_it_counts(demo: None, today: dt.date) -> None:
    supervisor = User.objects.get(username="supervisor")
    client = client_for(supervisor)
    board = figures.dashboard(supervisor, today.year, today)
    assert board.regions
    for row in board.regions:
        code = Region.objects.get(path=row.key).code
        cases = client.get(reverse("cases:list"), {"region": code})
        assert cases.status_code == 200
        assert cases.context["page"].paginator.count == row.cases, row.name
        decided = client.get(reverse("cases:list"), {"region": code, "decided": today.year})
        assert decided.context["page"].paginator.count == row.decided, row.name
        for level in ("red", "yellow"):
            listed = client.get(
                reverse("supervision:warning_list"), {"region": code, "level": level}
            )
            assert listed.status_code == 200
            context = listed.context
            shown = (
                context["page"].paginator.count
                + len(context["clocks"])
                + len(context["others"])
                + len(context["notice_warnings"])
            )
            assert shown == getattr(row, level), (row.name, level)
        fines = client.get(reverse("dashboard:fines"), {"region": code, "year": today.year})
        assert fines.status_code == 200
        assert fines.context["count"] == row.fine_decisions
        assert fines.context["total"] == row.fines
        complaints = client.get(reverse("complaints:desk"), {"region": code, "year": today.year})
        assert complaints.context["page"].paginator.count == row.complaints, row.name


def test_the_fines_link_exists_for_every_organ_and_counts_its_fines(
    demo: None, today: dt.date
) -> None:
    supervisor = User.objects.get(username="supervisor")
    client = client_for(supervisor)
    board = figures.dashboard(supervisor, today.year, today)
    justice = [
        r for r in board.organs if EnforcementSubject.objects.get(pk=r.key).is_justice_bureau
    ]
    assert justice, "the demo's region has a justice bureau"
    for row in board.organs:
        response = client.get(reverse("dashboard:fines"), {"organ": row.key, "year": today.year})
        assert response.status_code == 200, row.name
        assert response.context["count"] == row.fine_decisions
        assert response.context["total"] == row.fines
    total = client.get(reverse("dashboard:fines"), {"year": today.year})
    assert total.context["count"] == board.total.fine_decisions
    assert total.context["total"] == board.total.fines
    fined = [r for r in board.organs if r.fine_decisions]
    assert fined, "the demo has fines to list"
    page = client.get(reverse("dashboard:fines"), {"organ": fined[0].key, "year": today.year})
    assert str(fined[0].fines) in page.content.decode()


def test_the_lists_refuse_what_is_outside_the_scope(demo: None, today: dt.date) -> None:
    supervisor = User.objects.get(username="supervisor")
    client = client_for(supervisor)
    foreign = Region.objects.exclude(path__startswith=supervisor.region.path).first()
    assert foreign is not None
    outside = make_organ("外地市场监督管理局", foreign)
    assert client.get(reverse("dashboard:fines"), {"organ": outside.pk}).status_code == 404
    assert client.get(reverse("dashboard:fines"), {"organ": "x"}).status_code == 404
    assert client.get(reverse("dashboard:fines"), {"region": foreign.code}).status_code == 404
    # The case list and the warnings page name the bad region and narrow nothing.
    cases = client.get(reverse("cases:list"), {"region": foreign.code})
    assert cases.status_code == 400
    assert cases.context["organ_error"].startswith("行政区划")
    found = client.get(reverse("supervision:warning_list"), {"region": "<x>"})
    assert any(e.startswith("行政区划") for e in found.context["errors"])
    # Other roles are refused the fines list as the dashboard.
    officer = User.objects.filter(role="officer").first()
    assert client_for(officer).get(reverse("dashboard:fines")).status_code == 403


def test_the_trend_says_what_it_counts(demo: None) -> None:
    supervisor = User.objects.get(username="supervisor")
    page = client_for(supervisor).get(URL).content.decode()
    assert 'id="trend-counts"' in page
    assert "只统计案件的预警" in page

"""Publishing (GB118-annual-report): the organ head publishes last year's figures by
31 January (the engine's deadline, on the engine's calendar); the snapshot is frozen and
recorded; a correction republishes with its reason and the old version stays readable;
scope; every published figure links to the list it counts."""

from __future__ import annotations

import datetime as dt
import io
import re
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.http import Http404
from django.test import Client

from zhifa.accounts.models import Role, User
from zhifa.core.testing import client_for, make_user
from zhifa.records.models import Entry
from zhifa.rules.engine import WorkCalendar
from zhifa.rules.engine import statistics as rules
from zhifa.statistics import services
from zhifa.statistics.models import Publication

from .conftest import decision, make_case

D = dt.date
TZ = ZoneInfo("Asia/Shanghai")


def at(time_machine, day: dt.date) -> None:  # type: ignore[no-untyped-def]
    time_machine.move_to(dt.datetime(day.year, day.month, day.day, 10, tzinfo=TZ), tick=False)


def test_the_due_day_is_31_january_or_the_next_working_day() -> None:
    calendar = WorkCalendar()
    # 2025-01-31 was a Friday but a Spring Festival holiday (28 Jan – 4 Feb 2025).
    assert rules.annual_report_due(2024, calendar).due == D(2025, 2, 5)
    # 2026-01-31 is a Saturday.
    assert rules.annual_report_due(2025, calendar).due == D(2026, 2, 2)
    # 2027-01-31 is a Sunday, in a year the library has no schedule for: said.
    due = rules.annual_report_due(2026, calendar)
    assert due.due == D(2027, 2, 1) and due.unscheduled_years == (2027,)
    item = rules.annual_report_deadline(2026, calendar, None)
    assert item.status(D(2027, 2, 1)) == "open" and item.status(D(2027, 2, 2)) == "overdue"
    assert rules.annual_report_deadline(2026, calendar, D(2027, 1, 20)).status(D(2027, 3, 1)) == (
        "met"
    )
    assert rules.ANNUAL_REPORT.id == "GB118-annual-report"
    assert rules.ANNUAL_REPORT.citation.startswith("《国务院办公厅")


@pytest.mark.django_db
def test_the_deadline_warns_the_supervisor_and_the_organ_on_a_frozen_clock(
    time_machine, organ_a, organ_b, head_a: User, supervisor_city: User
) -> None:
    make_case(organ_a, head_a, [decision(D(2026, 6, 1), ("fine", 1000))])
    at(time_machine, D(2027, 1, 20))
    services.publish(organ_a, 2026, actor=head_a)
    officer_b = make_user("officer_b2", Role.OFFICER, organ=organ_b)

    def status_of(organ_id: int) -> str:
        page = client_for(supervisor_city).get("/statistics/staff/").content.decode()
        found = re.search(rf'data-organ="{organ_id}">.*?data-status="(\w+)"', page, re.S)
        assert found, page
        return found.group(1)

    at(time_machine, D(2027, 2, 1))  # the due day (31 January 2027 is a Sunday)
    assert status_of(organ_a.pk) == "met" and status_of(organ_b.pk) == "open"
    at(time_machine, D(2027, 2, 2))
    assert status_of(organ_b.pk) == "overdue"
    page = client_for(officer_b).get(f"/statistics/staff/organs/{organ_b.pk}/2027/")
    assert 'data-deadline="overdue"' in page.content.decode()
    assert "2027-02-01" in page.content.decode()


@pytest.mark.django_db
def test_publish_freezes_records_and_corrects_with_a_reason(
    time_machine, organ_a, head_a: User
) -> None:
    make_case(organ_a, head_a, [decision(D(2026, 6, 1), ("fine", 1000))])
    at(time_machine, D(2027, 1, 10))
    with pytest.raises(ValidationError) as refused:
        services.publish(organ_a, 2027, actor=head_a)
    assert "year" in refused.value.message_dict
    first = services.publish(organ_a, 2026, actor=head_a)
    assert (first.version, first.figures["penalty"]["decisions"]) == (1, 1)
    entry = Entry.objects.get(object_type="statistics.publication", object_id=str(first.pk))
    assert entry.action == "statistics.publish" and first.digest in entry.payload
    # A decision of 2026 entered late does not change what was published …
    make_case(organ_a, head_a, [decision(D(2026, 12, 30), ("revoke_permit", None))])
    first.refresh_from_db()
    assert first.figures["penalty"]["decisions"] == 1
    # … until the organ republishes, with a reason.
    with pytest.raises(ValidationError) as refused:
        services.publish(organ_a, 2026, actor=head_a)
    assert "reason" in refused.value.message_dict
    second = services.publish(organ_a, 2026, actor=head_a, reason="补录一件12月的决定")
    assert second.version == 2 and second.figures["penalty"]["decisions"] == 2
    assert Entry.objects.filter(action="statistics.correct", object_id=str(second.pk)).exists()
    public = Client()
    latest = public.get(f"/statistics/2026/organs/{organ_a.pk}/").content.decode()
    old = public.get(f"/statistics/2026/organs/{organ_a.pk}/?version=1").content.decode()
    assert "补录一件12月的决定" in latest
    assert re.search(r'data-figure="penalty">2<', latest)
    assert re.search(r'data-figure="penalty">1<', old)
    assert public.get(f"/statistics/2026/organs/{organ_a.pk}/?version=3").status_code == 404
    assert public.get(f"/statistics/2026/organs/{organ_a.pk}/?version=x").status_code == 404


@pytest.mark.django_db
def test_the_record_vouches_for_each_snapshot(today: dt.date) -> None:
    call_command("demo", stdout=io.StringIO())
    head = User.objects.get(username="head")
    publication = services.publish(head.organ, today.year - 1, actor=head)
    out = io.StringIO()
    call_command("records", "verify", stdout=out)
    assert out.getvalue().startswith("records verify: OK"), out.getvalue()
    # Altered figures: the public page says they do not match the recorded digest.
    figures = dict(publication.figures, preservations=99)
    Publication.objects.filter(pk=publication.pk).update(figures=figures)
    page = Client().get(f"/statistics/{today.year - 1}/organs/{head.organ_id}/")
    assert "与公开时记录的摘要不符" in page.content.decode()
    # An altered digest, or a snapshot without its entry: verify fails.
    Publication.objects.filter(pk=publication.pk).update(digest="0" * 64)
    err = io.StringIO()
    with pytest.raises(SystemExit):
        call_command("records", "verify", stdout=io.StringIO(), stderr=err)
    assert "published statistics" in err.getvalue()


@pytest.mark.django_db
def test_scope_other_organs_are_404_and_only_the_head_publishes(
    time_machine,
    organ_a,
    organ_b,
    head_a: User,
    officer_a: User,
    officer_b: User,
    supervisor_city: User,
    supervisor_county_c: User,
) -> None:
    at(time_machine, D(2027, 1, 10))
    page = f"/statistics/staff/organs/{organ_a.pk}/2026/"
    publish = page + "publish/"
    assert client_for(officer_b).get(page).status_code == 404
    assert client_for(officer_b).get(page + "penalty/").status_code == 404
    assert client_for(supervisor_county_c).get(page).status_code == 404
    assert client_for(officer_b).post(publish).status_code == 404
    assert client_for(officer_a).get(page).status_code == 200
    assert client_for(supervisor_city).get(page).status_code == 200
    assert client_for(officer_a).post(publish).status_code == 403
    assert client_for(supervisor_city).post(publish).status_code == 403
    assert Client().get(page).status_code == 302  # to the login
    with pytest.raises(Http404):
        services.publish(organ_a, 2026, actor=officer_b)
    with pytest.raises(PermissionDenied):
        services.publish(organ_a, 2026, actor=officer_a)
    assert not Publication.objects.exists()
    response = client_for(head_a).post(publish)
    assert response.status_code == 302 and Publication.objects.get().version == 1
    # Not published: the public pages answer 404 for the organ, not its running figures.
    assert Client().get(f"/statistics/2026/organs/{organ_b.pk}/").status_code == 404
    assert Client().get(f"/statistics/2026/organs/{organ_b.pk}/penalty/").status_code == 404


FIGURE = re.compile(r'<a class="figure" href="([^"]+)" data-figure="(\w+)">(\d+)</a>')


def rows_of(client: Client, url: str) -> int:
    total = 0
    while url:
        page = client.get(url).content.decode()
        total += page.count('<tr class="listed">')
        following = re.search(r'<a href="(\?[^"]*page=\d+)">[^<]*</a>\s*</nav>', page)
        url = url.split("?")[0] + following.group(1).replace("&amp;", "&") if following else ""
    return total


@pytest.mark.django_db
def test_every_published_figure_links_to_the_list_it_counts(
    time_machine, organ_a, organ_b, head_a: User
) -> None:
    head_b = make_user("head_b", Role.ORGAN_HEAD, organ=organ_b)
    for i in range(60):  # more than a page of fines
        make_case(organ_a, head_a, [decision(D(2026, 1, 1) + dt.timedelta(days=i), ("fine", 10))])
    make_case(
        organ_a,
        head_a,
        [
            ("seizure", D(2026, 3, 1), {}),
            ("preservation", D(2026, 3, 2), {"items": 2}),
            decision(D(2026, 4, 1), ("fine", 5), ("confiscation", 7), ("closure", None)),
            ("court_application", D(2026, 9, 1), {}),
        ],
    )
    make_case(organ_b, head_b, [decision(D(2026, 5, 1), ("warning", None))])
    at(time_machine, D(2027, 1, 10))
    services.publish(organ_a, 2026, actor=head_a)
    services.publish(organ_b, 2026, actor=head_b)
    public = Client()
    for url in (f"/statistics/2026/organs/{organ_a.pk}/", "/statistics/2026/regions/330400/"):
        page = public.get(url).content.decode()
        figures = {key: (href, int(n)) for href, key, n in FIGURE.findall(page)}
        assert figures["penalty"][1] == (62 if "regions" in url else 61)
        assert figures["fines"][1] == 61 and figures["stop_business"][1] == 1
        for key, (href, value) in figures.items():
            assert rows_of(public, href.replace("&amp;", "&")) == value, (url, key)
        assert "张三丰" not in page and "110101199003074514" not in page
    listed = public.get(f"/statistics/2026/organs/{organ_a.pk}/stop_business/").content.decode()
    assert "张三丰" not in listed and "110101199003074514" not in listed
    assert "测罚〔2026〕" in listed
    # Licensing and inspection are not recorded on the platform: said, not a 0.
    assert (
        "not recorded on this platform"
        in public.get(
            f"/statistics/2026/organs/{organ_a.pk}/", HTTP_COOKIE="django_language=en"
        ).content.decode()
        or "本平台未记录" in page
    )

"""The supervision dashboard (issue #17 item 4): its figures for the demo equal counts
made here independently with plain ORM queries; each user sees only their scope; the
Excel download carries the same numbers; the number of queries does not grow with the
organs."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from zhifa.accounts.models import Role, User
from zhifa.cases.models import Case, CaseStep
from zhifa.complaints.models import Complaint, ComplaintStatus
from zhifa.dashboard import figures, views
from zhifa.dashboard.models import WarningSnapshot
from zhifa.registry.models import EnforcementSubject
from zhifa.supervision import warnings

pytestmark = pytest.mark.django_db

URL = "/supervision/dashboard/"


@pytest.fixture
def demo(demo_once: None, frozen_clock: dt.datetime) -> None:
    """The demo, loaded once for the module (``demo_once``)."""


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def expected(organ_ids: list[int], year: int, today: dt.date) -> dict[str, Any]:
    """The dashboard's figures counted independently, one plain query per figure."""
    cases = Case.objects.filter(organ_id__in=organ_ids)
    decided_ids = set(
        CaseStep.objects.filter(
            case__organ_id__in=organ_ids, step="decision", on__year=year
        ).values_list("case_id", flat=True)
    )
    reviewed = set(
        CaseStep.objects.filter(case_id__in=decided_ids, step="legal_review").values_list(
            "case_id", flat=True
        )
    )
    heard = set(
        CaseStep.objects.filter(case_id__in=decided_ids, step="hearing").values_list(
            "case_id", flat=True
        )
    )
    fines = Decimal(0)
    fine_decisions = 0
    for step in CaseStep.objects.filter(
        case__organ_id__in=organ_ids, step="decision", on__year=year
    ):
        if step.data.get("outcome") != "penalty":
            continue
        amounts = [
            Decimal(str(p.get("amount") or 0))
            for p in step.data.get("penalties") or []
            if p.get("type") == "fine"
        ]
        if amounts:
            fine_decisions += 1
            fines += sum(amounts, Decimal(0))
    payments = list(
        CaseStep.objects.filter(case__organ_id__in=organ_ids, step="paid", on__year=year)
    )
    complaints = Complaint.objects.filter(organ_id__in=organ_ids)
    return {
        "cases": cases.count(),
        "statuses": {
            s: cases.filter(status=s).count() for s in cases.values_list("status", flat=True)
        },
        "general": cases.filter(procedure="general").count(),
        "summary": cases.filter(procedure="summary").count(),
        "decided": len(decided_ids),
        "reviewed": len(reviewed),
        "heard": len(heard),
        "fine_decisions": fine_decisions,
        "fines": fines.quantize(Decimal("0.01")),
        "payments": len(payments),
        "collected": sum(
            (Decimal(str(s.data.get("amount") or 0)) for s in payments), Decimal(0)
        ).quantize(Decimal("0.01")),
        "complaints": complaints.filter(received_on__year=year).count(),
        "ack_overdue": complaints.filter(
            status=ComplaintStatus.RECEIVED, ack_due_on__lt=today
        ).count(),
        "disputed": complaints.filter(status=ComplaintStatus.DISPUTED).count(),
    }


def check(row: figures.Row, want: dict[str, Any]) -> None:
    assert row.cases == want["cases"]
    for status, n in want["statuses"].items():
        assert row.statuses[status] == n, status
    assert row.procedures["general"] == want["general"]
    assert row.procedures["summary"] == want["summary"]
    for name in (
        "decided",
        "reviewed",
        "heard",
        "fine_decisions",
        "fines",
        "payments",
        "collected",
        "complaints",
        "ack_overdue",
        "disputed",
    ):
        assert getattr(row, name) == want[name], name


def test_the_demo_figures_equal_independent_counts(demo: None, today: dt.date) -> None:
    supervisor = User.objects.get(username="supervisor")
    organs = list(
        EnforcementSubject.objects.filter(
            region__path__startswith=supervisor.region.path
        ).values_list("pk", flat=True)
    )
    assert len(organs) >= 2
    board = figures.dashboard(supervisor, today.year, today)
    want = expected(organs, today.year, today)
    # The demo has something to count in every group the dashboard shows.
    assert want["cases"] and want["decided"] and want["fines"] and want["collected"]
    check(board.total, want)
    for row in board.organs:
        check(row, expected([int(row.key)], today.year, today))
    # The warnings: as the warnings page counts them.
    window = warnings.window(today)
    items = warnings.case_warnings(supervisor, window)
    assert board.total.red >= items.filter(level="red").count()
    assert board.total.yellow >= items.filter(level="yellow").count()
    page = client_for(supervisor).get(reverse("supervision:warning_list"))
    assert page.context["counts"].red == board.total.red
    assert page.context["counts"].yellow == board.total.yellow
    # The page shows the same numbers, each a link; the list it links to counts them.
    client = client_for(supervisor)
    response = client.get(URL)
    assert response.status_code == 200
    text = response.content.decode()
    assert f'data-figure="decided" href="/cases/?decided={today.year}' in text
    decided = client.get(reverse("cases:list"), {"decided": today.year})
    assert decided.context["page"].paginator.count == want["decided"]
    reviewed = client.get(reverse("cases:list"), {"decided": today.year, "with": "legal_review"})
    assert reviewed.context["page"].paginator.count == want["reviewed"]
    paid = client.get(reverse("cases:list"), {"paid": today.year})
    assert paid.context["page"].paginator.count == len(
        set(
            CaseStep.objects.filter(
                case__organ_id__in=organs, step="paid", on__year=today.year
            ).values_list("case_id", flat=True)
        )
    )
    for status, n in want["statuses"].items():
        listed = client.get(reverse("cases:list"), {"status": status})
        assert listed.context["page"].paginator.count == n


def test_an_organ_head_sees_only_the_organ(demo: None, today: dt.date) -> None:
    head = User.objects.filter(role=Role.ORGAN_HEAD).order_by("pk").first()
    assert head is not None
    others = EnforcementSubject.objects.exclude(pk=head.organ_id)
    assert Case.objects.filter(organ__in=others).exists()
    response = client_for(head).get(URL)
    assert response.status_code == 200
    board = response.context["board"]
    assert [int(r.key) for r in board.organs] == [head.organ_id]
    want = expected([head.organ_id], today.year, today)
    check(board.total, {**want, "complaints": board.total.complaints})
    text = response.content.decode()
    for other in others:
        assert other.name not in text
        assert f"organ={other.pk}&" not in text
    # Complaints: the head's policy (never those about the head's own organ).
    assert (
        board.total.complaints
        == Complaint.objects.filter(organ_id=head.organ_id, received_on__year=today.year)
        .exclude(subject_organ_id=head.organ_id)
        .count()
    )


def test_a_supervisor_of_another_region_sees_none_of_it(demo: None, today: dt.date) -> None:
    from zhifa.registry.models import Region

    supervisor = User.objects.get(username="supervisor")
    elsewhere = Region.objects.create(code="990000", name="别处", level="province")
    stranger = User.objects.create_user(
        "stranger_sup", password="x", role=Role.SUPERVISOR, region=elsewhere
    )
    board = client_for(stranger).get(URL).context["board"]
    assert board.organs == []
    assert board.total.cases == 0 and board.total.red == 0 and board.total.complaints == 0
    assert supervisor.region_id != elsewhere.pk


@pytest.mark.parametrize("role", [Role.OFFICER, Role.LEGAL_REVIEWER, Role.ADMINISTRATOR])
def test_other_roles_are_refused(demo: None, role: str) -> None:
    user = User.objects.filter(role=role).first()
    assert user is not None
    assert client_for(user).get(URL).status_code == 403
    assert client_for(user).get(URL + "dashboard.xlsx").status_code == 403


def test_anonymous_is_sent_to_log_in() -> None:
    assert Client().get(URL).status_code == 302


def test_a_bad_year_is_named(demo: None) -> None:
    supervisor = User.objects.get(username="supervisor")
    for bad in ("20x6", "1800", "99999", "2999"):
        response = client_for(supervisor).get(URL, {"year": bad})
        assert response.status_code == 400
        assert "年度" in response.context["error"]


def test_the_excel_has_the_same_numbers(demo: None, today: dt.date) -> None:
    supervisor = User.objects.get(username="supervisor")
    board = figures.dashboard(supervisor, today.year, today)
    response = client_for(supervisor).get(URL + "dashboard.xlsx", {"year": today.year})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    sheet = book.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    with translation.override("zh-hans"):
        columns = views._columns()
        assert list(header[2:]) == [h for h, _read in columns]
    assert len(header) == len(columns) + 2
    wanted = [[row.name, row.region, *(read(row) for _h, read in columns)] for row in board.organs]
    wanted.append([rows[-1][0], None, *(read(board.total) for _h, read in columns)])
    for got, want in zip(rows[1:], wanted, strict=True):
        assert [Decimal(str(v)) if isinstance(v, float) else v for v in got] == [
            v if v is not None else None for v in want
        ]
    assert board.total.fines in rows[-1] and board.total.collected in rows[-1]
    assert len(rows) == len(board.organs) + 2
    assert len(book.worksheets[1]["A"]) == len(board.regions) + 1


def test_a_name_like_a_formula_is_text_in_the_excel(demo: None, today: dt.date) -> None:
    from zhifa.registry.models import EnforcementSubject

    supervisor = User.objects.get(username="supervisor")
    organ = figures.organs_of(supervisor).first()
    assert organ is not None
    formula = '=HYPERLINK("http://example.com","x")'
    EnforcementSubject.objects.filter(pk=organ.pk).update(name=formula)
    response = client_for(supervisor).get(URL + "dashboard.xlsx", {"year": today.year})
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    (cell,) = [c for c in sheet["A"] if isinstance(c.value, str) and "HYPERLINK" in c.value]
    assert cell.data_type == "s" and cell.value == "'" + formula


def test_the_queries_do_not_grow_with_the_organs(demo: None, today: dt.date) -> None:
    supervisor = User.objects.get(username="supervisor")
    head = User.objects.filter(role=Role.ORGAN_HEAD).order_by("pk").first()
    assert head is not None
    counts = []
    for user in (head, supervisor):
        client = client_for(user)
        client.get(URL)  # warm the caches (calendar, sessions)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(URL).status_code == 200
        counts.append(len(queries))
    assert len(figures.organs_of(supervisor)) > 1
    assert counts[0] == counts[1], counts


def test_the_nightly_snapshot_gives_the_trend(demo: None, today: dt.date) -> None:
    supervisor = User.objects.get(username="supervisor")
    yesterday = today - dt.timedelta(days=1)
    assert figures.snapshot(today) == EnforcementSubject.objects.count()
    assert figures.snapshot(today) == EnforcementSubject.objects.count()  # idempotent
    organ = EnforcementSubject.objects.first()
    assert organ is not None
    WarningSnapshot.objects.create(organ=organ, day=yesterday, red=2, yellow=1)
    board = figures.dashboard(supervisor, today.year, today)
    items = warnings.case_warnings(supervisor, warnings.window(today))
    assert board.trend[-1] == (
        today,
        items.filter(level="red").count(),
        items.filter(level="yellow").count(),
    )
    assert board.trend[0][0] == yesterday


def test_the_kept_figures_equal_the_live_ones(
    demo: None, today: dt.date, frozen_clock: dt.datetime
) -> None:
    """The nightly job's figures (``figures.refresh``, ``OrganFigures``) are the live
    ones; the page uses them on the day they were computed, says so, and counts live on
    another day."""
    supervisor = User.objects.get(username="supervisor")
    figures.dashboard(supervisor, today.year, today)  # warm the caches (calendar)
    with CaptureQueriesContext(connection) as live_queries:
        live = figures.dashboard(supervisor, today.year, today)
    assert live.computed_at is None
    assert figures.refresh(today.year, frozen_clock) == EnforcementSubject.objects.count()
    with CaptureQueriesContext(connection) as kept_queries:
        kept = figures.dashboard(supervisor, today.year, today)
    assert kept.computed_at == frozen_clock
    assert kept.organs == live.organs
    assert kept.regions == live.regions
    assert kept.total == live.total
    organs = [int(r.key) for r in kept.organs]
    check(kept.total, expected(organs, today.year, today))
    # One read of the kept rows instead of the six grouped queries.
    assert len(kept_queries) == len(live_queries) - 5
    shown = timezone.localtime(frozen_clock).strftime("%Y-%m-%d %H:%M")
    assert shown in client_for(supervisor).get(URL).content.decode()
    # Another day or another year: counted live (nothing kept for them).
    tomorrow = today + dt.timedelta(days=1)
    assert figures.dashboard(supervisor, today.year, tomorrow).computed_at is None
    assert figures.dashboard(supervisor, today.year - 1, today).computed_at is None


def _live_levels(supervisor: User, today: dt.date) -> dict[int, tuple[int, int]]:
    """Each organ's case warnings counted here from the warnings page's own query."""
    items = warnings.case_warnings(supervisor, warnings.window(today))
    found: dict[int, tuple[int, int]] = {}
    for organ_id in EnforcementSubject.objects.values_list("pk", flat=True):
        mine = items.filter(case__organ_id=organ_id)
        found[organ_id] = (mine.filter(level="red").count(), mine.filter(level="yellow").count())
    return found


def test_kept_warning_counts_are_read_and_counted_again_where_cases_changed(
    demo: None, today: dt.date, time_machine: Any
) -> None:
    """The case warnings of an organ are read from its count of the day when there is
    one (and the page says when it was made); an organ whose cases were audited since is
    counted again by the next ``count_warnings``, and only it."""
    supervisor = User.objects.get(username="supervisor")
    live = _live_levels(supervisor, today)
    assert any(red or yellow for red, yellow in live.values())
    # No count of the day: every organ is counted live, and nothing says otherwise.
    board = figures.dashboard(supervisor, today.year, today)
    assert board.warnings_counted_at is None
    assert figures.stale_organs(today) == sorted(live)
    # The demo's cases were audited moments ago: a count now might miss an audit still
    # committing, so their organs stay stale after it until a later count.
    assert figures.count_warnings(today) == len(live)
    recent = figures.stale_organs(today)
    assert recent
    # Counted later: only those are counted again; the counts kept are the live ones,
    # and nothing is stale.
    time_machine.move_to(timezone.now() + figures.COUNT_MARGIN + dt.timedelta(seconds=1))
    assert figures.count_warnings(today) == len(recent)
    kept = {s.organ_id: (s.red, s.yellow) for s in WarningSnapshot.objects.filter(day=today)}
    assert kept == live
    assert figures.stale_organs(today) == []
    assert figures.count_warnings(today) == 0
    # The page reads the kept counts: a count changed by hand shows.
    organ = next(pk for pk, (red, yellow) in live.items() if red)
    WarningSnapshot.objects.filter(organ_id=organ, day=today).update(red=999)
    board = figures.dashboard(supervisor, today.year, today)
    assert board.warnings_counted_at is not None
    row = next(r for r in board.organs if r.key == organ)
    assert row.red >= 999
    text = client_for(supervisor).get(URL).content.decode()
    at = timezone.localtime(board.warnings_counted_at)
    assert f"案件预警于 {at:%H:%M} 统计" in text
    # A case of the organ audited after the count (beyond the margin): the organ is
    # stale, and counting again restores the live figure.
    case = Case.objects.filter(organ_id=organ).order_by("pk").first()
    assert case is not None
    Case.objects.filter(pk=case.pk).update(audited_at=timezone.now())
    assert figures.stale_organs(today) == [organ]
    assert figures.count_warnings(today) == 1
    assert WarningSnapshot.objects.get(organ_id=organ, day=today).red == live[organ][0]
    # Another day: yesterday's counts are history, today's are counted live.
    tomorrow = today + dt.timedelta(days=1)
    assert figures.stale_organs(tomorrow) == sorted(live)


def test_an_audit_stamps_the_case(demo: None, today: dt.date) -> None:
    """Keeping an audit's findings and deadlines stamps the case (``audited_at``), which
    makes its organ's kept count stale."""
    from zhifa.cases import queries

    case = Case.objects.order_by("pk").first()
    assert case is not None
    before = timezone.now()
    queries.refresh_case(case, today)
    case.refresh_from_db()
    assert case.audited_at is not None and case.audited_at >= before

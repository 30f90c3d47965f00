"""The warning models beyond the cases' files (issue #17 item 3): certificates and
entrustments expiring, power lists not updated, the reviewer ratio, publications late —
on the warnings page and its API, in each user's scope, in a fixed number of queries;
and the models' list on the public portal.

Today is the frozen 2026-11-24 (a Tuesday): with N = 3 working days the window ends on
Sunday 29 November (25, 26, 27 and 30 November are the next working days)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from zhifa.accounts.models import User
from zhifa.cases.models import AuditItem
from zhifa.catalogue.models import BasisChange, PowerItemWarning
from zhifa.core.testing import client_for, make_organ
from zhifa.disclosure.models import Publication
from zhifa.registry.models import (
    Certificate,
    CertificateStatus,
    EnforcementSubject,
    Entrustment,
    EntrustmentStatus,
    Officer,
    SubjectType,
)
from zhifa.rules.engine import RULES
from zhifa.rules.engine import warning_models as models
from zhifa.rules.engine.publication import DISCLOSE
from zhifa.supervision import organ_warnings, warnings
from zhifa.supervision.warnings_api import Chained

pytestmark = pytest.mark.django_db

URL = reverse("supervision:warning_list")
API = "/api/v1/supervision/warnings"
D = dt.date.fromisoformat


def officer(organ: EnforcementSubject, name: str, *terms: tuple[str, str], **extra: Any) -> Officer:
    """An officer of ``organ`` with a certificate for each (valid_from, valid_to)."""
    made = Officer.objects.create(
        organ=organ, name=name, kind="officer", id_number=f"W-{name}", **extra
    )
    for n, (start, end) in enumerate(terms):
        Certificate.objects.create(
            officer=made,
            number=f"W{made.pk:04d}{n}",
            issuing_authority="浙江省人民政府",
            valid_from=D(start),
            valid_to=D(end),
        )
    return made


def entrust(
    organ: EnforcementSubject, entrusted: EnforcementSubject, end: str, **extra: Any
) -> Entrustment:
    return Entrustment.objects.create(
        entrusting_organ=organ,
        entrusted=entrusted,
        valid_from=D("2024-01-01"),
        valid_to=D(end),
        instrument_number=f"委{entrusted.pk}-{end}",
        **extra,
    )


def power_warning(power_item: Any, deadline: str, **extra: Any) -> PowerItemWarning:
    change = BasisChange.objects.create(
        article=power_item.basis.first(), kind="new_version", changed_on=D("2026-10-20")
    )
    return PowerItemWarning.objects.create(
        power_item=power_item, change=change, deadline=D(deadline), **extra
    )


@pytest.fixture
def watched(
    organ_a: EnforcementSubject,
    organ_b: EnforcementSubject,
    organ_c: EnforcementSubject,
    officer_a: User,
    reviewer_a: User,
    power_item: Any,
    frozen_clock: dt.datetime,
    regions: Any,
) -> dict[str, Any]:
    """Organ A: its officer's (officer_a's) certificate ends on Friday (yellow), another
    ended on 20 November (red), an inactive officer's ended (none), one renewed (none),
    one valid to 2029 (none); an entrustment ending Saturday (yellow), one ended in
    October to an organisation still active (red), one to an inactive organisation (none);
    a power-list update due 20 November (red), one reviewed (none); 1 reviewer for 4
    officers (25%: none). Organ B (嘉善, in the city): an expired certificate (red), no
    reviewer for its officer (yellow). Organ C (海盐): a certificate ending Wednesday
    (yellow), no reviewer (yellow)."""
    mine = officer(organ_a, "甲", ("2021-11-28", "2026-11-27"), user=officer_a)
    late = officer(organ_a, "乙", ("2021-11-21", "2026-11-20"))
    officer(organ_a, "丙", ("2021-11-02", "2026-11-01"), active=False)
    officer(organ_a, "丁", ("2021-11-27", "2026-11-26"), ("2026-11-27", "2031-11-26"))
    officer(organ_a, "戊", ("2024-01-01", "2029-12-31"))
    officer(organ_b, "己", ("2021-10-02", "2026-10-01"))
    officer(organ_c, "庚", ("2021-11-26", "2026-11-25"))
    Certificate.objects.filter(officer__name="己").update(status=CertificateStatus.EXPIRED)
    city = regions["330400"]
    ent = {
        key: make_organ(name, city, subject_type=SubjectType.ENTRUSTED, **extra)
        for key, name, extra in (
            ("soon", "嘉兴市某某执法队", {}),
            ("ended", "嘉兴市某某服务中心", {}),
            ("gone", "嘉兴市某某站", {"active": False}),
        )
    }
    entrust(organ_a, ent["soon"], "2026-11-28")
    entrust(organ_a, ent["ended"], "2026-10-31", status=EntrustmentStatus.EXPIRED)
    entrust(organ_a, ent["gone"], "2026-09-30", status=EntrustmentStatus.EXPIRED)
    power_warning(power_item, "2026-11-20")
    power_warning(power_item, "2026-11-26", reviewed_on=D("2026-11-23"))
    return {"mine": mine, "late": late, "entrusted": ent, "item": power_item}


def seen(user: User, **params: Any) -> list[tuple[str, str, str, str]]:
    """(model, level, organ, subject-or-officer) of the model warnings the page lists."""
    response = client_for(user).get(URL, params)
    assert response.status_code == 200
    return sorted(
        (w.model, w.level, w.organ_name, w.officer or w.subject) for w in response.context["others"]
    )


A, B, C = "嘉兴市市场监督管理局", "嘉善县市场监督管理局", "海盐县综合行政执法局"


def test_an_organ_head_sees_the_models_of_his_organ_only(
    watched: dict[str, Any], head_a: User
) -> None:
    ended, soon = watched["entrusted"]["ended"].pk, watched["entrusted"]["soon"].pk
    item = watched["item"]
    assert seen(head_a) == [
        ("certificate", "red", A, "乙"),
        ("certificate", "yellow", A, "甲"),
        ("entrustment", "red", A, f"嘉兴市某某服务中心（委{ended}-2026-10-31）"),
        ("entrustment", "yellow", A, f"嘉兴市某某执法队（委{soon}-2026-11-28）"),
        ("power_list", "red", A, f"{item.code} {item.name}"),
    ]


def test_the_levels_rules_citations_and_due_days(watched: dict[str, Any], head_a: User) -> None:
    response = client_for(head_a).get(URL)
    by_model = {(w.model, w.level): w for w in response.context["others"]}
    cert = by_model[("certificate", "yellow")]
    assert cert.rule == "APL-42-qualified" and cert.due == D("2026-11-27")
    assert cert.citation == models.CITATIONS["APL-42-qualified"]
    assert by_model[("certificate", "red")].due == D("2026-11-20")
    power = by_model[("power_list", "red")]
    assert power.rule == "JL-power-list-update" and power.due == D("2026-11-20")
    assert "三（二）" in power.citation
    assert by_model[("entrustment", "yellow")].rule == "APL-20-entrustment"
    html = response.content.decode()
    assert "APL-42-qualified" in html and "JL-power-list-update" in html
    assert reverse("portal:warning_models") in html
    # Counted by organ with the cases' warnings: 3 red, 2 yellow in organ A.
    counts = {o.organ_id: (o.red, o.yellow) for o in response.context["counts"].organs}
    assert counts == {watched["mine"].organ_id: (3, 2)}
    assert "APL-20-entrustment" in response.context["counts"].rules


def test_a_supervisor_sees_the_region_and_the_reviewer_ratio(
    watched: dict[str, Any], supervisor_city: User, supervisor_county_c: User
) -> None:
    city = seen(supervisor_city)
    assert ("certificate", "red", B, "己") in city
    assert ("certificate", "yellow", C, "庚") in city
    assert ("reviewer_ratio", "yellow", B, "0 / 1") in city
    assert ("reviewer_ratio", "yellow", C, "0 / 1") in city
    # Organ A: 1 reviewer for 4 active officers (丙 is not active): 25%, no warning.
    assert not [w for w in city if w[0] == "reviewer_ratio" and w[2] == A]
    assert {w[2] for w in city} == {A, B, C}
    # The county's supervisor: organ C only.
    assert seen(supervisor_county_c) == [
        ("certificate", "yellow", C, "庚"),
        ("reviewer_ratio", "yellow", C, "0 / 1"),
    ]


def test_an_officer_sees_only_his_own_certificate(
    watched: dict[str, Any], officer_a: User, officer_b: User
) -> None:
    assert seen(officer_a) == [("certificate", "yellow", A, "甲")]
    # An officer of organ B without a registry officer: nothing of organ B's either.
    assert seen(officer_b) == []


def test_the_filters_apply_to_the_models(
    watched: dict[str, Any], supervisor_city: User, organ_b: EnforcementSubject
) -> None:
    assert {w[1] for w in seen(supervisor_city, level="red")} == {"red"}
    assert {w[2] for w in seen(supervisor_city, organ=organ_b.pk)} == {B}
    assert seen(supervisor_city, rule="GB118-reviewer-ratio") == [
        ("reviewer_ratio", "yellow", B, "0 / 1"),
        ("reviewer_ratio", "yellow", C, "0 / 1"),
    ]


def test_renewing_and_deactivating_clear_the_warnings(
    watched: dict[str, Any], head_a: User
) -> None:
    Certificate.objects.create(
        officer=watched["mine"],
        number="WNEW1",
        issuing_authority="浙江省人民政府",
        valid_from=D("2026-11-28"),
        valid_to=D("2031-11-27"),
    )
    Officer.objects.filter(pk=watched["late"].pk).update(active=False)
    watched["entrusted"]["ended"].active = False
    watched["entrusted"]["ended"].save()
    PowerItemWarning.objects.update(reviewed_on=D("2026-11-24"))
    soon = watched["entrusted"]["soon"].pk
    assert seen(head_a) == [
        ("entrustment", "yellow", A, f"嘉兴市某某执法队（委{soon}-2026-11-28）")
    ]


def test_anonymous_and_other_roles(watched: dict[str, Any], reviewer_a: User) -> None:
    response = Client().get(URL)
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
    assert Client().get(API).status_code == 401
    assert client_for(reviewer_a).get(URL).status_code == 403
    assert client_for(reviewer_a).get(API).status_code == 403


def test_a_fixed_number_of_queries_whatever_the_rows(
    watched: dict[str, Any],
    supervisor_city: User,
    organ_a: EnforcementSubject,
    organ_b: EnforcementSubject,
    power_item: Any,
) -> None:
    window = warnings.window(timezone.localdate())
    with CaptureQueriesContext(connection) as few:
        small = organ_warnings.organ_warnings(supervisor_city, window)
    client = client_for(supervisor_city)
    client.get(URL)  # warm the session and the calendar caches
    with CaptureQueriesContext(connection) as page:
        client.get(URL)
    for n in range(6):
        officer(organ_a, f"甲{n}", ("2021-11-20", "2026-11-20"))
        officer(organ_b, f"乙{n}", ("2021-11-28", "2026-11-28"))
        power_warning(power_item, "2026-11-25")
        entrusted = make_organ(
            f"嘉兴市第{n}执法队", organ_a.region, subject_type=SubjectType.ENTRUSTED
        )
        entrust(organ_a, entrusted, "2026-11-25")
    with CaptureQueriesContext(connection) as many:
        large = organ_warnings.organ_warnings(supervisor_city, window)
    assert len(large) == len(small) + 24
    # a query per model; court_appearance two more (the organs in scope and the counts
    # kept nightly, none here: its steps are read live)
    assert len(few) == len(many) == len(organ_warnings.READERS) + 2
    with CaptureQueriesContext(connection) as again:
        assert len(client.get(URL).context["others"]) == len(large)
    assert len(again) == len(page)


# --- publications ------------------------------------------------------------------------


def test_a_publication_late_and_a_withdrawal_due(
    walk: Any, head_a: User, officer_a: User, officer_b: User
) -> None:
    walk.until_review()
    walk.decide()  # Friday 2026-03-27: to be published by 2026-04-08
    publication = Publication.objects.get(case=walk.case)
    # The case's audit keeps the publication deadline: the case warnings show it, with
    # the audit's citation, and the publication model does not repeat it (issue #17
    # review, item 5): one problem, counted once on the page and by the API.
    response = client_for(head_a).get(URL)
    cases = [r["item"] for r in response.context["rows"] if r["item"].rule == DISCLOSE]
    assert [(c.case_id, c.citation) for c in cases] == [(walk.case.pk, RULES[DISCLOSE].citation)]
    assert [w for w in response.context["others"] if w.rule == DISCLOSE] == []
    assert [w for w in seen(officer_a) if w[0] == "publication"] == []
    counted = {c.organ_id: c.total for c in response.context["counts"].organs}
    listed = client_for(head_a).get(API, {"rule": DISCLOSE}).json()
    assert listed["count"] == 1 and listed["items"][0]["model"] == "case_deadline"
    others = response.context["others"]
    assert counted[walk.case.organ_id] == len(response.context["rows"]) + len(others)
    # Without the audit's deadline (a publication the audit does not cover), the
    # publication model warns; the officer who opened the case sees it, another organ's
    # officer does not.
    AuditItem.objects.filter(case=walk.case, rule=DISCLOSE).delete()
    found = [w for w in seen(head_a) if w[0] == "publication"]
    assert found == [("publication", "red", A, walk.case.number)]
    assert ("publication", "red", A, walk.case.number) in seen(officer_a)
    assert seen(officer_b) == []
    Publication.objects.filter(pk=publication.pk).update(
        status="published",
        published_on=D("2026-04-08"),
        withdrawal_requested_on=D("2026-11-24"),
        withdraw_due_on=D("2026-11-27"),
    )
    response = client_for(head_a).get(URL)
    rows = [w for w in response.context["others"] if w.model == "publication"]
    assert [(w.level, w.rule, w.due) for w in rows] == [
        ("yellow", "APL-48-withdraw", D("2026-11-27"))
    ]
    Publication.objects.filter(pk=publication.pk).update(ended_on=D("2026-11-25"))
    assert not [w for w in seen(head_a) if w[0] == "publication"]


# --- the API -------------------------------------------------------------------------------


def test_the_api_lists_the_same_warnings_with_the_filters(
    watched: dict[str, Any], supervisor_city: User, head_a: User, organ_b: EnforcementSubject
) -> None:
    client = client_for(supervisor_city)
    body = client.get(API).json()
    page = client_for(supervisor_city).get(URL).context["others"]
    assert body["count"] == len(page)
    first = body["items"][0]
    assert first["level"] == "red" and first["rule"] and first["citation"]
    assert {i["model"] for i in body["items"]} == {
        "certificate",
        "entrustment",
        "power_list",
        "reviewer_ratio",
    }
    reds = client.get(API, {"level": "red"}).json()
    assert reds["count"] and {i["level"] for i in reds["items"]} == {"red"}
    of_b = client.get(API, {"organ": organ_b.pk}).json()["items"]
    assert {i["organ_id"] for i in of_b} == {organ_b.pk}
    ratio = client.get(API, {"rule": "GB118-reviewer-ratio"}).json()["items"]
    assert [i["subject"] for i in ratio] == ["0 / 1", "0 / 1"]
    assert all(i["due"] is None for i in ratio)
    # Paginated: two at a time, the same rows in the same order.
    paged = [
        i["subject"]
        for offset in range(0, body["count"], 2)
        for i in client.get(API, {"limit": 2, "offset": offset}).json()["items"]
    ]
    assert paged == [i["subject"] for i in body["items"]]
    # Scope: the head of organ A sees nothing of B or C.
    assert {i["organ_id"] for i in client_for(head_a).get(API).json()["items"]} == {
        watched["mine"].organ_id
    }


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"level": "orange"}, "query.level"),
        ({"organ": "x"}, "query.organ"),
        ({"organ": 0}, "query.organ"),
        ({"rule": "not a rule"}, "query.rule"),
        ({"offset": 2**70}, "query.offset"),
    ],
)
def test_the_api_names_a_bad_parameter(
    supervisor_city: User, params: dict[str, Any], field: str
) -> None:
    response = client_for(supervisor_city).get(API, params)
    assert response.status_code == 400
    assert field in str(response.json())


class _Rows:
    """A stand-in for the cases' rows: a count and slices."""

    def __init__(self, n: int) -> None:
        self.rows = [{"subject": f"case{i}"} for i in range(n)]

    def count(self) -> int:
        return len(self.rows)

    def __getitem__(self, key: slice) -> list[dict[str, str]]:
        return self.rows[key]


@pytest.mark.parametrize(("start", "stop"), [(0, 2), (1, 4), (3, 5), (4, 9), (0, None)])
def test_chained_pages_run_from_the_head_into_the_cases(start: int, stop: int | None) -> None:
    head = [{"subject": f"head{i}"} for i in range(3)]
    chained = Chained(head, _Rows(4))  # type: ignore[arg-type]
    everything = head + _Rows(4).rows
    assert chained.all().count() == len(chained) == 7
    assert chained[start:stop] == everything[start:stop]


# --- the portal ------------------------------------------------------------------------------


def test_the_portal_publishes_the_models_from_the_engine(
    watched: dict[str, Any], client: Client
) -> None:
    response = client.get(reverse("portal:warning_models"))
    assert response.status_code == 200
    html = response.content.decode()
    for model in models.MODELS:
        assert f'id="model-{model.key}"' in html
        assert model.name.zh in html and model.watched.zh in html
        for rule, citation in model.rules:
            assert rule in html and citation in html
    # No data of any case, officer or organ.
    item = watched["item"]
    for private in ("甲", "乙", "己", item.code, item.name, "嘉兴市某某执法队", "W0"):
        assert private not in html
    assert reverse("portal:warning_models") in client.get(reverse("portal:index")).content.decode()

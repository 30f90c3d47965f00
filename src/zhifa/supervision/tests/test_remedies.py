"""The remedies page, its Excel and API, and the warning model court_appearance (issue
#18 item 3; JX-court-appearance): the rows are the cases' stored ``remedy_filed``
steps, the rates equal counts made independently here, the scope holds, bad input
names the parameter, and the query count does not grow with the cases."""

from __future__ import annotations

import datetime as dt
import io
import itertools
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from zhifa.accounts.models import User
from zhifa.cases.models import Case, CaseStep
from zhifa.core.testing import client_for, make_organ
from zhifa.registry.models import EnforcementSubject, Region
from zhifa.supervision import organ_warnings, remedies
from zhifa.supervision.warnings import gather, window

pytestmark = pytest.mark.django_db

D = dt.date.fromisoformat
_numbers = itertools.count(1)
Filed = dict[str, list[Case]]


def make_case(organ: Any, actor: Any, remedies_: list[dict[str, Any]]) -> Case:
    """A case of ``organ`` served in 2025 with ``remedies_`` as ``remedy_filed`` steps
    (``on`` plus the step's fields), written as rows: the page reads stored steps."""
    n = next(_numbers)
    case = Case.objects.create(
        organ=organ,
        case_id=f"R-{n}",
        registration_number=f"测立〔2025〕{n}号",
        procedure="general",
        power="T-1",
        party_type="individual",
        party_name="张三丰",
        violation={},
        basis={},
    )
    steps = [("decision", D("2025-01-10"), {}), ("served", D("2025-01-12"), {})]
    for r in remedies_:
        fields = dict(r)
        on = D(fields.pop("on"))
        data = {"kind": fields["kind"], "result": fields.get("result", "pending")}
        data["decided_on"] = fields.get("decided_on")
        if "head_appeared" in fields:
            data["head_appeared"] = fields["head_appeared"]
        steps.append(("remedy_filed", on, data))
    for index, (step, on, data) in enumerate(steps):
        CaseStep.objects.create(case=case, index=index, step=step, on=on, data=data, actor=actor)
    return case


def lit(
    on: str, result: str = "pending", decided: str | None = None, appeared: Any = None
) -> dict[str, Any]:
    out: dict[str, Any] = {"on": on, "kind": "litigation", "result": result, "decided_on": decided}
    if appeared is not None:
        out["head_appeared"] = appeared
    return out


def rec(on: str, result: str = "pending", decided: str | None = None) -> dict[str, Any]:
    return {"on": on, "kind": "reconsideration", "result": result, "decided_on": decided}


@pytest.fixture
def government(regions: dict[str, Region]) -> EnforcementSubject:
    """A county government in 嘉善县: JX's 30%."""
    return make_organ("嘉善县人民政府", regions["330421"])


@pytest.fixture
def filed(
    organ_a: EnforcementSubject,
    organ_b: EnforcementSubject,
    organ_c: EnforcementSubject,
    government: EnforcementSubject,
    officer_a: User,
) -> dict[str, list[Case]]:
    """Organ A (city, 80%): in 2026 four litigations concluded, the head in two (50%:
    below), two reconsiderations (one changed, one pending); organ B (county organ, 80%):
    one litigation pending then revoked, head appeared (100%); organ C: one
    reconsideration upheld in 2025; the county government (30%): one of three (33%)."""
    a = [
        make_case(organ_a, officer_a, [lit("2026-01-05", "upheld", "2026-03-01", True)]),
        make_case(organ_a, officer_a, [lit("2026-01-06", "revoked", "2026-04-01", False)]),
        make_case(
            organ_a,
            officer_a,
            [lit("2026-01-07"), lit("2026-05-01", "confirmed_unlawful", "2026-05-01", True)],
        ),
        make_case(organ_a, officer_a, [lit("2026-02-01", "changed", "2026-06-01")]),
        make_case(organ_a, officer_a, [rec("2026-02-10", "changed", "2026-04-10")]),
        make_case(
            organ_a, officer_a, [rec("2026-09-10"), lit("2026-02-02", "withdrawn", "2026-02-20")]
        ),
    ]
    b = [
        make_case(
            organ_b,
            officer_a,
            [lit("2026-03-01", appeared=True), lit("2026-07-01", "revoked", "2026-07-01")],
        )
    ]
    c = [make_case(organ_c, officer_a, [rec("2025-03-01", "upheld", "2025-05-01")])]
    g = [
        make_case(government, officer_a, [lit("2026-01-01", "upheld", "2026-02-01", True)]),
        make_case(government, officer_a, [lit("2026-01-02", "upheld", "2026-02-02", False)]),
        make_case(government, officer_a, [lit("2026-01-03", "upheld", "2026-02-03", False)]),
    ]
    return {"a": a, "b": b, "c": c, "g": g}


def _rates_by_name(user: User, year: int) -> dict[str, Any]:
    return {o.organ.name: o.rates for o in remedies.rates_for(user, year)}


def test_rates_equal_independent_counts(
    filed: Filed, supervisor_city: User, today: dt.date
) -> None:
    found = _rates_by_name(supervisor_city, 2026)
    # Independent count of organ A from the steps as written (not the read model):
    steps = CaseStep.objects.filter(case__in=filed["a"], step="remedy_filed")
    concluded = [s.data for s in steps if s.data["result"] != "pending"]
    decided = [d for d in concluded if d["result"] != "withdrawn"]
    reversed_ = [d for d in decided if d["result"] in ("changed", "revoked", "confirmed_unlawful")]
    heard = [
        d
        for d in concluded
        if d["kind"] == "litigation"
        and not (d["result"] == "withdrawn" and d.get("head_appeared") is None)
    ]
    appeared = [d for d in heard if d.get("head_appeared")]
    a = found["嘉兴市市场监督管理局"]
    assert (a.total.decided, a.total.reversed) == (len(decided), len(reversed_)) == (5, 4)
    assert (a.heard, a.appeared) == (len(heard), len(appeared)) == (4, 2)
    assert a.unrecorded == 1  # the changed litigation has no appearance recorded
    assert (a.reconsideration.filed, a.litigation.filed) == (2, 5)
    assert a.threshold is not None and a.threshold.percent == 80 and a.below
    b = found["嘉善县市场监督管理局"]
    assert (b.heard, b.appeared, b.below) == (1, 1, False)  # appearance of the pending step
    g = found["嘉善县人民政府"]
    assert g.threshold is not None and g.threshold.percent == 30
    assert (g.appeared, g.heard, g.below) == (1, 3, False)  # 33% ≥ 30%
    assert "海盐县综合行政执法局" in found and found["海盐县综合行政执法局"].total.filed == 0
    assert _rates_by_name(supervisor_city, 2025)["海盐县综合行政执法局"].total.decided == 1


def test_the_page_lists_rows_with_links_and_rates(
    filed: Filed, supervisor_city: User, frozen_clock: dt.datetime
) -> None:
    client = client_for(supervisor_city)
    response = client.get(reverse("supervision:remedy_list"), {"year": "2026"})
    assert response.status_code == 200
    html = response.content.decode()
    for case in filed["a"] + filed["b"] + filed["g"]:
        assert reverse("cases:detail", args=[case.pk]) in html
    assert reverse("cases:detail", args=[filed["c"][0].pk]) not in html  # 2025 only
    assert "JX-court-appearance" in html
    assert "50.0%" in html and "≥ 80%" in html and "≥ 30%" in html
    assert "负责人出庭应诉率" in html and "<h1>行政复议与行政诉讼</h1>" in html  # zh-hans
    narrowed = client.get(
        reverse("supervision:remedy_list"),
        {"year": "2026", "kind": "reconsideration", "result": "changed"},
    )
    assert narrowed.context["rows"] == [
        r for r in narrowed.context["rows"] if r.proceeding.kind == "reconsideration"
    ]
    assert [r.case_id for r in narrowed.context["rows"]] == [filed["a"][4].pk]


def test_scope_one_organ_cannot_see_another(
    filed: Filed,
    officer_b: User,
    supervisor_county_c: User,
    client: Client,
    frozen_clock: dt.datetime,
) -> None:
    page = client_for(officer_b).get(reverse("supervision:remedy_list"), {"year": "2026"})
    assert {r.organ.name for r in page.context["rows"]} == {"嘉善县市场监督管理局"}
    assert reverse("cases:detail", args=[filed["a"][0].pk]) not in page.content.decode()
    refused = client_for(officer_b).get(
        reverse("supervision:remedy_list"), {"organ": filed["a"][0].organ_id}
    )
    assert refused.status_code == 400 and "机关：" in refused.content.decode()
    county = client_for(supervisor_county_c).get(
        reverse("supervision:remedy_list"), {"year": "2025"}
    )
    assert {r.organ.name for r in county.context["rows"]} == {"海盐县综合行政执法局"}
    api = client_for(officer_b).get("/api/v1/supervision/remedies")
    assert {r["organ_id"] for r in api.json()["items"]} == {filed["b"][0].organ_id}
    forbidden = client_for(officer_b).get(
        "/api/v1/supervision/remedies/rates", {"organ": filed["a"][0].organ_id}
    )
    assert forbidden.status_code == 403
    assert [e["path"] for e in forbidden.json()["errors"]] == ["query.organ"]
    # the public: nothing
    assert client.get(reverse("supervision:remedy_list")).status_code == 302
    assert client.get(reverse("supervision:remedy_excel")).status_code == 302
    assert client.get("/api/v1/supervision/remedies").status_code == 401
    assert client.get("/api/v1/supervision/remedies/rates").status_code == 401


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"year": "20x6"}, "year"),
        ({"year": "1800"}, "year"),
        ({"year": "2999"}, "year"),
        ({"organ": "abc"}, "organ"),
        ({"kind": "appeal"}, "kind"),
        ({"result": "lost"}, "result"),
    ],
)
def test_bad_input_names_the_field(
    filed: Filed,
    supervisor_city: User,
    frozen_clock: dt.datetime,
    query: dict[str, str],
    field: str,
) -> None:
    client = client_for(supervisor_city)
    # the page is in Chinese: the error names the field by the form's label
    label = {"year": "年度", "organ": "机关", "kind": "类别", "result": "结果"}[field]
    page = client.get(reverse("supervision:remedy_list"), query)
    assert page.status_code == 400
    assert f"{label}：" in page.content.decode()
    assert f"{field}:" not in page.content.decode()
    excel = client.get(reverse("supervision:remedy_excel"), query)
    assert excel.status_code == 400 and f"{label}：" in excel.content.decode()
    if query.get("year") == "2999":
        return  # a future year is an empty year to the API, not an error
    api = client.get("/api/v1/supervision/remedies", query)
    assert api.status_code == 400
    assert [e["path"] for e in api.json()["errors"]] == [f"query.{field}"]


def test_excel_has_the_rows_and_the_rates(
    filed: Filed, head_a: User, frozen_clock: dt.datetime
) -> None:
    response = client_for(head_a).get(reverse("supervision:remedy_excel"), {"year": "2026"})
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    rows, rates = book.worksheets
    numbers = {row[0] for row in rows.iter_rows(min_row=2, values_only=True)}
    assert numbers == {c.registration_number for c in filed["a"]}
    organ_row = next(rates.iter_rows(min_row=2, max_row=2, values_only=True))
    assert organ_row[0] == "嘉兴市市场监督管理局"
    assert organ_row[8:14] == (4, 2, 1, "50.0%", "≥ 80%", "是")


def test_api_rates_and_rows(filed: Filed, supervisor_city: User, frozen_clock: dt.datetime) -> None:
    client = client_for(supervisor_city)
    rates = client.get("/api/v1/supervision/remedies/rates", {"year": 2026}).json()["items"]
    a = next(r for r in rates if r["organ_name"] == "嘉兴市市场监督管理局")
    assert a["court_appearance_rate"] == 0.5 and a["required_rate"] == 0.8 and a["below"]
    assert a["total"]["reversal_rate"] == 0.8 and a["source"] == "JX"
    rows = client.get(
        "/api/v1/supervision/remedies", {"year": 2026, "kind": "litigation", "result": "revoked"}
    ).json()["items"]
    assert {r["case_id"] for r in rows} == {filed["a"][1].pk, filed["b"][0].pk}


def test_query_count_does_not_grow_with_the_cases(
    filed: Filed,
    supervisor_city: User,
    officer_a: User,
    organ_a: EnforcementSubject,
    frozen_clock: dt.datetime,
) -> None:
    client = client_for(supervisor_city)
    url = reverse("supervision:remedy_list")

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url, {"year": "2026"}).status_code == 200
        steps = [q for q in ctx.captured_queries if '"cases_casestep"' in q["sql"]]
        assert len(steps) == 1  # the rows and the rates from one reading of the steps
        return len(ctx.captured_queries)

    before = count()
    for _ in range(10):
        make_case(organ_a, officer_a, [lit("2026-03-01", "upheld", "2026-04-01", True)])
    assert count() == before


def test_the_court_appearance_warning(
    filed: Filed,
    supervisor_city: User,
    supervisor_county_c: User,
    organ_c: EnforcementSubject,
    officer_a: User,
    today: dt.date,
) -> None:
    # organ C: in 2025 one litigation without the head (red: the year ended)
    make_case(organ_c, officer_a, [lit("2025-02-01", "upheld", "2025-06-01", False)])
    found = [w for w in gather(supervisor_city, today).others if w.model == "court_appearance"]
    assert {(w.organ_name, w.level) for w in found} == {
        ("嘉兴市市场监督管理局", "yellow"),
        ("海盐县综合行政执法局", "red"),
    }
    a = next(w for w in found if w.level == "yellow")
    assert a.rule == "JX-court-appearance" and "五（二）" in a.citation
    assert a.subject == "2026: 2 / 4 (≥ 80%)"
    assert a.link.startswith(reverse("supervision:remedy_list"))
    # the county supervisor sees only organ C's
    mine = organ_warnings.court_appearances(supervisor_county_c, window(today))
    assert {w.organ_name for w in mine} == {"海盐县综合行政执法局"}
    # the warnings page shows it
    html = client_for(supervisor_city).get(reverse("supervision:warning_list")).content.decode()
    assert "2026: 2 / 4" in html


def test_the_demo_shows_remedies_and_the_warning(frozen_clock: dt.datetime, today: dt.date) -> None:
    from io import StringIO

    from django.core.management import call_command

    call_command("demo", stdout=StringIO())
    supervisor = User.objects.get(username="supervisor")
    found = remedies.rows(supervisor, remedies.Filters())
    assert sorted((r.proceeding.kind, r.proceeding.result) for r in found) == [
        ("litigation", "upheld"),
        ("litigation", "upheld"),
        ("reconsideration", "pending"),
    ]
    year = today.year
    (city,) = remedies.rates_for(supervisor, year)
    assert (city.rates.appeared, city.rates.heard, city.rates.below) == (1, 2, True)
    warned = [w for w in gather(supervisor, today).others if w.model == "court_appearance"]
    assert [(w.organ_id, w.level) for w in warned] == [(city.organ.pk, "yellow")]
    page = client_for(supervisor).get(reverse("supervision:remedy_list"))
    assert page.status_code == 200 and "50.0%" in page.content.decode()


def _warned(user: User, today: dt.date) -> set[tuple[Any, ...]]:
    return {
        (w.organ_id, w.level, w.subject, w.citation)
        for w in organ_warnings.court_appearances(user, window(today))
    }


def test_the_kept_counts_equal_the_live_ones_and_read_no_step(
    today: dt.date,  # first: the cases are recorded on the frozen clock
    filed: Filed,
    supervisor_city: User,
    organ_c: EnforcementSubject,
    officer_a: User,
) -> None:
    from django.utils import timezone

    from zhifa.supervision.models import RemedyRates
    from zhifa.supervision.tasks import keep_remedy_rates

    make_case(organ_c, officer_a, [lit("2025-02-01", "upheld", "2025-06-01", False)])
    years = remedies.keep_years(today)
    live = {y: remedies.rates_for(supervisor_city, y) for y in years}
    live_warned = _warned(supervisor_city, today)
    assert len(live_warned) == 2  # A yellow (2026), C red (2025)
    # the nightly job, a few minutes after the last remedy was recorded
    keep_remedy_rates.call()
    organs = EnforcementSubject.objects.count()
    assert RemedyRates.objects.count() == organs * 2
    RemedyRates.objects.update(computed_at=timezone.now() + dt.timedelta(minutes=5))

    with CaptureQueriesContext(connection) as ctx:
        kept = remedies.year_rates_of(supervisor_city, years, today)
    assert not [q for q in ctx.captured_queries if '"cases_casestep"."data"' in q["sql"]]
    for year in years:
        concerned = [o for o in live[year] if o.rates.total != remedies.rates.KindCounts()]
        assert [(o.organ.pk, o.rates) for o in kept[year]] == [
            (o.organ.pk, o.rates) for o in concerned
        ]
    assert _warned(supervisor_city, today) == live_warned


def test_a_remedy_recorded_after_the_count_is_counted_live(
    today: dt.date,  # first: the cases are recorded on the frozen clock
    filed: Filed,
    supervisor_city: User,
    organ_b: EnforcementSubject,
    officer_a: User,
    time_machine: Any,
) -> None:
    from django.utils import timezone

    from zhifa.supervision.models import RemedyRates

    def b_warned() -> set[tuple[Any, ...]]:
        return {w for w in _warned(supervisor_city, today) if w[0] == organ_b.pk}

    assert b_warned() == set()  # B: 1 / 1
    remedies.keep_rates(timezone.now())
    time_machine.move_to(timezone.now() + dt.timedelta(minutes=30), tick=True)
    assert b_warned() == set()
    # B loses a litigation without its head: 1 / 2, below 80%, at once
    make_case(organ_b, officer_a, [lit("2026-03-02", "upheld", "2026-04-02", False)])
    assert {w[1:3] for w in b_warned()} == {("yellow", "2026: 1 / 2 (≥ 80%)")}
    # counts kept on another day are not read
    remedies.keep_rates(timezone.now())
    RemedyRates.objects.update(computed_at=timezone.now() - dt.timedelta(days=1))
    make_case(organ_b, officer_a, [lit("2026-03-03", "upheld", "2026-04-03", True)])
    assert {w[1:3] for w in b_warned()} == {("yellow", "2026: 2 / 3 (≥ 80%)")}


def test_the_page_lists_fifty_proceedings_a_page_and_the_excel_all(
    filed: Filed, supervisor_city: User, officer_a: User, organ_a: EnforcementSubject, today: Any
) -> None:
    for n in range(50):
        make_case(organ_a, officer_a, [rec(f"2026-05-{n % 28 + 1:02d}", "upheld", "2026-06-01")])
    total = len(remedies.rows(supervisor_city, remedies.Filters()))
    assert total == 50 + 12  # the fixture's 12 proceedings
    client = client_for(supervisor_city)
    url = reverse("supervision:remedy_list")
    first, second = client.get(url), client.get(url, {"page": 2})
    assert len(first.context["rows"]) == 50 and len(second.context["rows"]) == 12
    seen = {(r.case_id, r.proceeding.filed_step) for r in first.context["rows"]}
    seen |= {(r.case_id, r.proceeding.filed_step) for r in second.context["rows"]}
    assert len(seen) == total
    html = first.content.decode()
    assert "62" in first.content.decode().split('id="remedy-count"')[1][:40]
    assert "page=2" in html
    sheet = load_workbook(io.BytesIO(client.get(reverse("supervision:remedy_excel")).content))
    assert sheet.worksheets[0].max_row == total + 1


def test_the_page_reads_the_kept_rates_without_a_second_reading(
    today: dt.date, filed: Filed, supervisor_city: User
) -> None:
    from django.utils import timezone

    from zhifa.supervision.models import RemedyRates

    url = reverse("supervision:remedy_list")
    client = client_for(supervisor_city)
    live = client.get(url, {"year": "2026"}).context["rates"]
    remedies.keep_rates(timezone.now())
    RemedyRates.objects.update(computed_at=timezone.now() + dt.timedelta(minutes=5))
    with CaptureQueriesContext(connection) as ctx:
        kept = client.get(url, {"year": "2026"}).context["rates"]
    assert [(o.organ.pk, o.rates) for o in kept] == [(o.organ.pk, o.rates) for o in live]
    assert len([q for q in ctx.captured_queries if "supervision_remedyrates" in q["sql"]]) == 1
    steps = [q for q in ctx.captured_queries if '"cases_casestep"."data"' in q["sql"]]
    assert len(steps) == 1  # the page's rows


def test_the_kept_rates_stay_in_scope_and_equal_the_live_ones_with_each_filter(
    today: dt.date,
    filed: Filed,
    supervisor_city: User,
    officer_b: User,
    supervisor_county_c: User,
    organ_a: EnforcementSubject,
) -> None:
    """Kept or live, each user reads the rates of their own organs only (page, Excel,
    API), and the organ filter narrows them alike; a bad page number is page one or
    the last, never an error, and the filters stay in the pages' links."""
    from django.utils import timezone

    from zhifa.supervision.models import RemedyRates

    url, api = reverse("supervision:remedy_list"), "/api/v1/supervision/remedies/rates"

    def seen(user: User, query: dict[str, Any]) -> tuple[Any, ...]:
        client = client_for(user)
        page = [(o.organ.pk, o.rates) for o in client.get(url, query).context["rates"]]
        got = client.get(api, query).json()["items"]
        book = load_workbook(
            io.BytesIO(client.get(reverse("supervision:remedy_excel"), query).content)
        )
        names = [r[0].value for r in book.worksheets[-1].iter_rows(min_row=2)]
        return page, sorted(r["organ_id"] for r in got), names

    cases = [
        (u, q)
        for u in (supervisor_city, officer_b, supervisor_county_c)
        for q in ({"year": "2026"}, {"year": "2025"}, {"year": "2024"})
    ] + [(supervisor_city, {"year": y, "organ": str(organ_a.pk)}) for y in ("2025", "2026")]
    live = [seen(u, q) for u, q in cases]
    remedies.keep_rates(timezone.now())
    RemedyRates.objects.update(computed_at=timezone.now() + dt.timedelta(minutes=5))
    assert [seen(u, q) for u, q in cases] == live
    b_pks = {pk for pk, _r in live[3][0]}
    assert b_pks <= {filed["b"][0].organ_id}
    client = client_for(supervisor_city)
    for bad in ("0", "-1", "x", "9" * 5000, "²", "1.5", ""):
        answer = client.get(url, {"page": bad, "kind": "litigation"})
        assert answer.status_code == 200, bad

"""双公示 export (DISC-double-publicity): a published penalty decision in the credit
platform's layout, every item within its length (the CSV and the XLSX parsed back), an
over-long value failing its row with the item named, the scope per organ and region,
and the 7-working-day delivery clock over a holiday on a frozen clock."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from zhifa.accounts.models import Role
from zhifa.cases.tests.conftest import D, Walker
from zhifa.core.testing import client_for, make_user
from zhifa.disclosure import double_publicity, services
from zhifa.disclosure.models import Publication, PublicationStatus
from zhifa.records.models import Entry
from zhifa.rules.engine import double_publicity as layout

TZ = ZoneInfo("Asia/Shanghai")
ORGAN_USCC = "11330400MB1234567X"
API = "/api/v1/disclosure/double-publicity"
FACTS = "当事人销售不符合食品安全标准的食品。"


def at(time_machine: Any, day: str) -> None:
    time_machine.move_to(dt.datetime.fromisoformat(day + "T10:00").replace(tzinfo=TZ), tick=True)


@pytest.fixture
def published(walk: Walker, organ_a: Any, time_machine: Any) -> Publication:
    type(organ_a).objects.filter(pk=organ_a.pk).update(uscc=ORGAN_USCC)
    walk.until_review()
    walk.decide(penalties=[{"type": "fine", "amount": 123456.78}])  # Friday 2026-03-27
    at(time_machine, "2026-03-30")
    scheduled = Publication.objects.get(case=walk.case)
    # The walk's decision states no facts: the organ writes the public text.
    Publication.objects.filter(pk=scheduled.pk).update(facts_brief=FACTS)
    publication = services.publish(scheduled, on=D("2026-03-30"))
    assert publication.status == PublicationStatus.PUBLISHED, publication.failures
    return publication


def _csv_rows(body: bytes) -> list[dict[str, str]]:
    assert body.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: Excel opens it as UTF-8
    reader = csv.reader(io.StringIO(body.decode("utf-8-sig")))
    rows = list(reader)
    assert rows[0] == [c.title for c in layout.COLUMNS]
    return [dict(zip(layout.COLUMN_KEYS, r, strict=True)) for r in rows[1:]]


def _xlsx_rows(body: bytes) -> list[dict[str, str]]:
    sheet = load_workbook(io.BytesIO(body)).active
    assert sheet is not None
    rows = [[("" if v is None else v) for v in r] for r in sheet.iter_rows(values_only=True)]
    assert rows[0] == [c.title for c in layout.COLUMNS]
    for row in rows[1:]:
        assert all(isinstance(v, str) for v in row)  # text cells: nothing reformatted
    return [dict(zip(layout.COLUMN_KEYS, r, strict=True)) for r in rows[1:]]


def _within_layout(row: dict[str, str]) -> None:
    assert set(row) == set(layout.COLUMN_KEYS)
    for column in layout.COLUMNS:
        value = row[column.key]
        if column.required:
            assert value, column.title
        if column.kind == "amount" and value:
            assert len(value.split(".")[1]) == layout.AMOUNT_PLACES, column.title
            assert len(value.replace(".", "")) <= column.max_length
        else:
            assert len(value) <= column.max_length, column.title
    assert layout.check_row(row) == []


def test_the_export_has_every_item_within_its_length_in_csv_and_xlsx(
    published: Publication, people: Any, time_machine: Any
) -> None:
    at(time_machine, "2026-04-01")
    officer = client_for(people.officer_user)
    check = officer.get(reverse("disclosure:export"), {"date_from": "2026-03-01"})
    assert check.status_code == 200
    assert 'value="xlsx"' in check.content.decode()  # a passing row: the download offered
    for fmt, parse in (("csv", _csv_rows), ("xlsx", _xlsx_rows)):
        response = officer.post(
            reverse("disclosure:export"),
            {"date_from": "2026-03-01", "date_to": "2026-03-31", "format": fmt},
        )
        assert response.status_code == 200, response.content[:500]
        assert "attachment" in response["Content-Disposition"]
        (row,) = parse(response.content)
        _within_layout(row)
        assert row["CF_XDR_MC"] == "嘉兴某某食品有限公司"
        assert row["CF_XDR_LB"] == layout.CATEGORY_ORGANISATION
        assert row["CF_XDR_SHXYM"] == "91110108551385082Q"
        assert row["CF_WSH"] == published.summary["number"]
        assert row["CF_CFLB"] == "罚款"
        assert row["CF_NR_FK"] == "12.345678"  # 123,456.78 yuan: exact to the fen
        assert row["CF_NR_WFFF"] == ""
        assert row["CF_JDRQ"] == "2026-03-27"
        assert row["CF_CFJG"] == row["CF_SJLY"] == "嘉兴市市场监督管理局"
        assert row["CF_CFJGDM"] == row["CF_SJLYDM"] == ORGAN_USCC
        assert row["CF_XDR_ZJHM"] == row["CF_FR_ZJHM"] == ""
    publication = Publication.objects.get(pk=published.pk)
    assert publication.first_exported_on == D("2026-04-01")
    entries = Entry.objects.filter(action=double_publicity.EXPORT, object_id=str(published.pk))
    assert entries.count() == 2
    assert [json.loads(e.payload)["first"] for e in entries.order_by("pk")] == [True, False]


def test_an_over_long_value_fails_its_row_naming_the_item(
    published: Publication, people: Any
) -> None:
    Publication.objects.filter(pk=published.pk).update(
        summary={**published.summary, "number": "文" * 129}
    )
    rows = double_publicity.build_rows(double_publicity.exportable(people.officer_user))
    (row,) = rows
    assert not row.ok
    assert [(p["field"], p["kind"]) for p in row.problems] == [("CF_WSH", "too_long")]
    assert "行政处罚决定书文号" in row.problems[0]["message"]
    assert "128" in row.problems[0]["message"]
    # Never truncated: the file leaves the row out, and its delivery is not recorded.
    body, _type, _ext = double_publicity.render(rows, "csv")
    assert _csv_rows(body) == []
    assert (
        double_publicity.record_export(
            rows, actor=people.officer_user, on=D("2026-04-01"), fmt="csv"
        )
        == []
    )
    assert Publication.objects.get(pk=published.pk).first_exported_on is None
    # The page names the item; the API too.
    page = client_for(people.officer_user).get(reverse("disclosure:export"), {"date_from": ""})
    assert "行政处罚决定书文号" in page.content.decode()
    body_json = client_for(people.officer_user).get(API).json()
    assert body_json["failing"] == 1 and body_json["rows"][0]["problems"][0]["field"] == "CF_WSH"


@pytest.mark.parametrize(
    ("key", "value", "kind"),
    [
        ("CF_NR_FK", "1.0000001", "precision"),
        ("CF_NR_FK", "1234567890123.5", "precision"),
        ("CF_XDR_SHXYM", "9" * 19, "too_long"),
        ("CF_CFLB", "", "required"),
    ],
)
def test_the_engine_names_each_item_that_does_not_fit(key: str, value: str, kind: str) -> None:
    row = dict.fromkeys(layout.COLUMN_KEYS, "x")
    row.update(CF_NR_FK="15.000000", CF_NR_WFFF="", CF_JDRQ="2026-03-27")
    assert layout.check_row(row) == []
    row[key] = value
    (problem,) = layout.check_row(row)
    assert (problem.key, problem.kind) == (key, kind)


def test_wan_is_exact_to_the_fen() -> None:
    assert layout.wan(150000) == Decimal("15.000000")
    assert layout.wan("0.01") == Decimal("0.000001")
    assert layout.format_amount(layout.wan(1)) == "0.000100"


def test_scope_organ_region_and_anonymous(
    published: Publication,
    people: Any,
    organ_a: Any,
    organ_b: Any,
    supervisor_city: Any,
    supervisor_county_c: Any,
) -> None:
    other_organ = make_user("officer_b", Role.OFFICER, organ=organ_b)
    mine = client_for(people.officer_user).get(API).json()
    assert [r["publication_id"] for r in mine["rows"]] == [published.pk]
    # Another organ's user sees none of organ A's; naming organ A is a 404.
    assert client_for(other_organ).get(API).json()["rows"] == []
    assert client_for(other_organ).get(API, {"organ_id": organ_a.pk}).status_code == 404
    page = client_for(other_organ).get(reverse("disclosure:export"), {"organ": organ_a.pk})
    assert page.status_code == 404
    # A supervisor sees its region's (organ A is in 330400); another region's is a 404.
    city = client_for(supervisor_city).get(API, {"region": "330400"}).json()
    assert [r["publication_id"] for r in city["rows"]] == [published.pk]
    county = client_for(supervisor_county_c)
    assert county.get(API).json()["rows"] == []
    assert county.get(API, {"region": "330400"}).status_code == 404
    assert county.get(API, {"organ_id": organ_a.pk}).status_code == 404
    # Anonymous: no access.
    assert Client().get(API).status_code == 401
    assert (
        Client().post(API + "/deliveries", {}, content_type="application/json").status_code == 401
    )
    anonymous_page = Client().get(reverse("disclosure:export"))
    assert anonymous_page.status_code == 302 and "login" in anonymous_page["Location"]
    # A bad input names its field.
    bad = client_for(people.officer_user).get(
        API, {"date_from": "2026-04-01", "date_to": "2026-03-01"}
    )
    assert bad.status_code == 400 and bad.json()["errors"][0]["path"] == "body.date_to"


def test_delivery_through_the_api_records_it(
    published: Publication, people: Any, time_machine: Any
) -> None:
    at(time_machine, "2026-04-02")
    client = client_for(people.officer_user)
    response = client.post(API + "/deliveries", {"format": "xlsx"}, content_type="application/json")
    assert response.status_code == 200, response.content[:300]
    (row,) = _xlsx_rows(response.content)
    _within_layout(row)
    done = client.post(
        API + "/deliveries", {"format": "json"}, content_type="application/json"
    ).json()
    assert done["delivered"] == [published.pk]
    assert done["rows"][0]["first_exported_on"] == "2026-04-02"
    assert done["rows"][0]["due_on"] == "2026-04-08"


def test_the_seven_working_day_clock_over_the_qingming_holiday(
    published: Publication, people: Any, time_machine: Any
) -> None:
    # Decided Friday 27 March 2026: 30, 31 March, 1-3 April, the Qingming holiday
    # (4-6 April), 7 and 8 April — due 8 April.
    assert double_publicity.export_due(published) == D("2026-04-08")
    at(time_machine, "2026-04-08")  # the last day: not late yet
    officer = client_for(people.officer_user)  # a session of the day
    response = officer.get(reverse("disclosure:organ_list"))
    assert response.status_code == 200, response.content[:300]
    page = response.content.decode()
    section = page.split('id="export-overdue"')[1].split("<h2")[0]
    assert published.summary["number"] not in section
    at(time_machine, "2026-04-09")
    officer = client_for(people.officer_user)
    page = officer.get(reverse("disclosure:organ_list")).content.decode()
    section = page.split('id="export-overdue"')[1].split("<h2")[0]
    assert published.summary["number"] in section and "2026-04-08" in section
    # Delivered (late): it leaves the list, and the entry says it was late.
    officer.post(reverse("disclosure:export"), {"format": "csv"})
    page = officer.get(reverse("disclosure:organ_list")).content.decode()
    section = page.split('id="export-overdue"')[1].split("<h2")[0]
    assert published.summary["number"] not in section
    entry = json.loads(Entry.objects.get(action=double_publicity.EXPORT).payload)
    assert entry["on_time"] is False and entry["due_on"] == "2026-04-08"


# --- the public read API ----------------------------------------------------------------------

PUBLIC = "/api/v1/public/decisions"


def test_the_public_api_lists_and_shows_published_decisions_only(
    published: Publication, walk: Walker, people: Any
) -> None:
    anonymous = Client()
    listed = anonymous.get(PUBLIC)
    assert listed.status_code == 200
    body = listed.json()
    assert body["count"] == 1
    (item,) = body["items"]
    assert item["id"] == published.pk and item["status"] == "published"
    assert item["summary"] == {k: str(v) for k, v in published.summary.items()}
    assert item["summary"]["facts"] == FACTS
    # The same search as the public page.
    assert anonymous.get(PUBLIC, {"q": "食品安全"}).json()["count"] == 1
    assert anonymous.get(PUBLIC, {"q": "不存在的词语"}).json()["count"] == 0
    assert anonymous.get(PUBLIC, {"date_from": "2026-03-28"}).json()["count"] == 0
    one = anonymous.get(f"{PUBLIC}/{published.pk}")
    assert one.status_code == 200 and one.json()["number"] == published.summary["number"]
    # Errors: a parameter named; an unknown id; an id out of range.
    bad = anonymous.get(PUBLIC, {"date_from": "2026-04-01", "date_to": "2026-03-01"})
    assert bad.status_code == 400 and bad.json()["errors"][0]["path"] == "query.date_to"
    assert anonymous.get(PUBLIC, {"date_from": "yesterday"}).status_code == 400
    assert anonymous.get(PUBLIC, {"q": "x" * 101}).status_code == 400
    assert anonymous.get(f"{PUBLIC}/{published.pk + 1000}").json()["code"] == "not_found"
    assert anonymous.get(f"{PUBLIC}/{2**70}").status_code == 400


def test_a_decision_not_yet_published_is_not_in_the_public_api(walk: Walker) -> None:
    walk.until_review()
    walk.decide()
    scheduled = Publication.objects.get(case=walk.case)
    assert scheduled.status == PublicationStatus.SCHEDULED
    assert Client().get(PUBLIC).json()["count"] == 0
    assert Client().get(f"{PUBLIC}/{scheduled.pk}").status_code == 404


def test_a_withdrawn_decision_shows_as_withdrawn_with_its_reason_and_no_summary(
    published: Publication, walk: Walker, time_machine: Any
) -> None:
    from zhifa.cases import services as case_services

    at(time_machine, "2026-04-01")
    walk(
        case_services.change_decision,
        actor=walk.p.head_user,
        on=D("2026-04-01"),
        how="revoked",
        reason="复议机关决定撤销",
    )
    services.withdraw(Publication.objects.get(pk=published.pk), on=D("2026-04-02"))
    item = Client().get(f"{PUBLIC}/{published.pk}").json()
    assert item["status"] == "withdrawn"
    assert item["summary"] is None and item["document_url"] is None
    assert item["end_reason"].startswith("该行政处罚决定已被依法撤销")
    assert item["ended_on"] == "2026-04-02"
    listed = Client().get(PUBLIC).json()["items"]
    assert [i["status"] for i in listed] == ["withdrawn"] and listed[0]["summary"] is None
    # Withdrawn: not delivered to the credit platform any more.
    assert double_publicity.exportable(walk.p.officer_user).count() == 0

"""The public pages (file, receipt, follow, dispute; rate-limited, CSRF on) and the desk
(work list beside the cases, the case page's link)."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from zhifa.complaints import services
from zhifa.complaints.models import Complaint, ComplaintStatus
from zhifa.core.testing import client_for

from .conftest import BASIS, PARTY, VIOLATION, assign, file_report, fresh

pytestmark = pytest.mark.django_db


def _form(**extra: Any) -> dict[str, Any]:
    data = {
        "category": "food_safety",
        "region": "330400",
        "address": "嘉兴市南湖区某路1号",
        "description": "某饭店出售过期食品。",
    }
    data.update(extra)
    return data


def test_anonymous_filing_shows_number_and_code_once_then_follows(units: None, today: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    page = client.get(reverse("complaints:file"))
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    token = page.cookies["csrftoken"].value
    response = client.post(reverse("complaints:file"), {**_form(), "csrfmiddlewaretoken": token})
    # POST → redirect → GET: the receipt is a page of its own.
    assert response.status_code == 302
    complaint = Complaint.objects.get()
    assert response["Location"] == reverse("complaints:receipt", args=[complaint.number])
    shown = client.get(response["Location"])
    assert shown.status_code == 200 and "no-store" in shown["Cache-Control"]
    text = shown.content.decode()
    number = re.search(r'id="number" class="c-number">([^<]+)<', text).group(1)  # type: ignore[union-attr]
    code = re.search(r'id="code" class="c-code">([^<]+)<', text).group(1)  # type: ignore[union-attr]
    assert number == complaint.number
    assert complaint.is_anonymous and code not in complaint.access_code_hash
    assert "JL-complaint-ack" in text and "2026-12-01" in text
    follow = client.post(
        reverse("complaints:follow"), {"number": number, "code": code, "csrfmiddlewaretoken": token}
    )
    assert follow.status_code == 200
    assert code not in follow.content.decode()  # never shown again
    assert 'data-status="received"' in follow.content.decode()
    wrong = client.post(
        reverse("complaints:follow"),
        {"number": number, "code": "0" * 12, "csrfmiddlewaretoken": token},
    )
    assert wrong.status_code == 404


def test_reloading_the_receipt_files_nothing_and_shows_the_code_no_more(
    units: None, today: Any
) -> None:
    from django.contrib.sessions.models import Session

    client = Client()
    response = client.post(reverse("complaints:file"), _form(), follow=True)
    assert response.redirect_chain[0][1] == 302
    first = response.content.decode()
    code = re.search(r'id="code" class="c-code">([^<]+)<', first).group(1)  # type: ignore[union-attr]
    receipt = response.redirect_chain[0][0]
    again = client.get(receipt)  # a reload, or "back" then "forward"
    assert again.status_code == 200 and Complaint.objects.count() == 1
    text = again.content.decode()
    assert Complaint.objects.get().number in text
    assert code not in text and 'id="code"' not in text and 'id="code-shown"' in text
    # The code is in no row of the database (the session holds the number only).
    for session in Session.objects.all():
        assert code not in str(session.get_decoded()) and code not in session.session_data
    # Another browser cannot see the receipt by its number.
    assert Client().get(receipt).status_code == 404


def test_no_select_shows_dashes_and_numbers_stay_on_one_line(
    units: None, power_item: Any, people: Any, supervisor_city: Any, today: Any
) -> None:
    from django.contrib.staticfiles import finders

    assert "---------" not in Client().get(reverse("complaints:file")).content.decode()
    c = file_report().complaint
    officer = people.officer_user
    assign(c, officer)
    services.accept(c, actor=officer)
    enter = client_for(officer).get(reverse("complaints:enter_case", args=[c.pk]))
    assert "---------" not in enter.content.decode()
    detail = client_for(supervisor_city).get(reverse("complaints:detail", args=[c.pk]))
    assert "---------" not in detail.content.decode()
    from pathlib import Path

    css = Path(str(finders.find("complaints/complaints.css"))).read_text(encoding="utf-8")
    assert "white-space: nowrap" in css
    assert "complaints/complaints.css" in detail.content.decode()


def test_csrf_is_enforced_on_the_public_form(units: None, today: Any) -> None:
    client = Client(enforce_csrf_checks=True)
    assert client.post(reverse("complaints:file"), _form()).status_code == 403
    assert not Complaint.objects.exists()


def test_bad_input_is_a_400_naming_the_field(units: None, today: Any) -> None:
    response = Client().post(reverse("complaints:file"), _form(description=""))
    assert response.status_code == 400
    assert "p-error" in response.content.decode()
    response = Client().post(reverse("complaints:file"), _form(subject_certificate="NOPE1"))
    assert response.status_code == 400
    assert not Complaint.objects.exists()


def test_the_public_form_is_rate_limited(units: None, today: Any, settings: Any) -> None:
    settings.ZHIFA_VERIFY_RATE_LIMIT = 2
    client = Client()
    assert client.post(reverse("complaints:file"), _form()).status_code == 302
    assert client.post(reverse("complaints:file"), _form()).status_code == 302
    refused = client.post(reverse("complaints:file"), _form())
    assert refused.status_code == 429 and refused["Retry-After"] == "60"
    assert Complaint.objects.count() == 2


def test_the_filer_sees_result_and_disputes_once(
    units: None, officer_a: Any, supervisor_city: Any, today: Any
) -> None:
    filed = file_report()
    c = filed.complaint
    assign(c, officer_a)
    services.accept(c, actor=officer_a, note="已受理。")
    services.add_progress(fresh(c), actor=officer_a, text="已派员核查。")
    services.close(fresh(c), actor=officer_a, result="已责令整改。")
    client = Client()
    keys = {"number": c.number, "code": filed.access_code}
    page = client.post(reverse("complaints:follow"), keys).content.decode()
    assert "已派员核查。" in page and "已责令整改。" in page and 'name="dispute"' in page
    assert client.post(reverse("complaints:dispute"), {**keys, "reason": ""}).status_code == 400
    done = client.post(reverse("complaints:dispute"), {**keys, "reason": "仍在出售。"})
    assert done.status_code == 200 and fresh(c).status == ComplaintStatus.DISPUTED
    assert 'name="dispute"' not in done.content.decode()
    assert (
        client.post(reverse("complaints:dispute"), {**keys, "reason": "again"}).status_code == 400
    )
    assert (
        client.post(
            reverse("complaints:dispute"), {**keys, "code": "0" * 12, "reason": "x"}
        ).status_code
        == 404
    )
    # The supervisor reopens it from the desk.
    desk = client_for(supervisor_city)
    response = desk.post(
        reverse("complaints:act", args=[c.pk, "review"]),
        {"decision": "reopen", "note": "请重新核查。"},
    )
    assert response.status_code == 302 and fresh(c).status == ComplaintStatus.ACCEPTED
    # Reopened: not shown as if handled for the first time.
    label = "Reopened: handled again after the second look"
    public = client.post(reverse("complaints:follow"), keys).content.decode()
    status = public.split('id="status"')[1].split("</dd>")[0]
    assert 'data-reopened="1"' in status and "复查后再次办理" in status
    detail = desk.get(reverse("complaints:detail", args=[c.pk])).content.decode()
    assert "复查后再次办理" in detail.split('id="status"')[1].split("</dd>")[0]
    listed = desk.get(reverse("complaints:desk")).content.decode()
    assert 'data-reopened="1"' in listed and "复查后再次办理" in listed
    assert fresh(c).status_label != ComplaintStatus.ACCEPTED.label and label


def test_the_desk_accepts_and_rejects_with_reasons(units: None, officer_a: Any, today: Any) -> None:
    c = file_report().complaint
    client = client_for(officer_a)
    page = client.get(reverse("complaints:detail", args=[c.pk])).content.decode()
    assert 'id="accept-form"' not in page  # not assigned: sees it, does not handle it
    assert client.post(reverse("complaints:act", args=[c.pk, "accept"]), {}).status_code == 403
    assign(c, officer_a)
    page = client.get(reverse("complaints:detail", args=[c.pk])).content.decode()
    assert 'id="accept-form"' in page and "JL-complaint-ack" in page
    refused = client.post(reverse("complaints:act", args=[c.pk, "reject"]), {"reasons": ""})
    assert refused.status_code == 400 and fresh(c).status == ComplaintStatus.RECEIVED
    assert client.post(reverse("complaints:act", args=[c.pk, "nope"])).status_code == 404
    ok = client.post(
        reverse("complaints:act", args=[c.pk, "reject"]), {"reasons": "不属于本机关职责。"}
    )
    assert ok.status_code == 302 and fresh(c).status == ComplaintStatus.REJECTED
    assert client.post(reverse("complaints:act", args=[c.pk, "accept"]), {}).status_code == 400


def test_the_work_list_shows_the_clocks_beside_the_cases(
    units: None, officer_a: Any, officer_b: Any, today: Any
) -> None:
    c = file_report().complaint
    page = client_for(officer_a).get(reverse("cases:list")).content.decode()
    assert 'id="complaint-clocks"' in page and c.number in page and "2026-12-01" in page
    other = client_for(officer_b).get(reverse("cases:list")).content.decode()
    assert c.number not in other


def test_an_acknowledged_filing_shows_its_clock_as_met(
    units: None,
    officer_a: Any,
    frozen_clock: Any,
    time_machine: Any,
) -> None:
    import datetime as dt

    filed = file_report()
    c = filed.complaint
    assign(c, officer_a)
    client = client_for(officer_a)
    waiting = client.get(reverse("complaints:detail", args=[c.pk])).content.decode()
    assert 'data-clock="running"' in waiting
    time_machine.move_to(frozen_clock + dt.timedelta(days=1), tick=True)
    services.accept(fresh(c), actor=officer_a)
    told = fresh(c).acknowledged_on
    client = client_for(officer_a)  # a new day, a new sign-in
    detail = client.get(reverse("complaints:detail", args=[c.pk])).content.decode()
    assert 'data-clock="met"' in detail and 'data-clock="running"' not in detail
    assert f"{told:%Y-%m-%d}" in detail.split('data-clock="met"')[1].split("</span>")[0]
    public = Client().post(
        reverse("complaints:follow"), {"number": c.number, "code": filed.access_code}
    )
    assert 'data-clock="met"' in public.content.decode()
    desk = client.get(reverse("complaints:desk")).content.decode()
    assert 'data-clock="met"' in desk
    # Told after the clock: shown as late, not as a countdown.
    late = file_report(address="某路9号").complaint
    assign(late, officer_a)
    time_machine.move_to(frozen_clock + dt.timedelta(days=14), tick=True)
    services.accept(fresh(late), actor=officer_a)
    page = client_for(officer_a).get(reverse("complaints:detail", args=[late.pk])).content.decode()
    assert 'data-clock="late"' in page and 'data-clock="running"' not in page


def test_the_case_page_links_the_report_and_back(
    units: None, power_item: Any, people: Any, today: Any, officer_b: Any
) -> None:
    c = file_report().complaint
    officer = people.officer_user
    assign(c, officer)
    services.accept(c, actor=officer)
    client = client_for(officer)
    form = client.get(reverse("complaints:enter_case", args=[c.pk]))
    assert form.status_code == 200
    case = services.enter_case(
        fresh(c),
        actor=officer,
        arguments={
            "on": today,
            "procedure": "general",
            "power_item": power_item,
            "party": PARTY,
            "violation": {**VIOLATION, "discovered_on": today.isoformat()},
            "basis": BASIS,
        },
    )
    case_page = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert reverse("complaints:detail", args=[c.pk]) in case_page and c.number in case_page
    detail = client.get(reverse("complaints:detail", args=[c.pk])).content.decode()
    assert reverse("cases:detail", args=[case.pk]) in detail
    assert client.get(reverse("complaints:enter_case", args=[c.pk])).status_code == 403


def test_the_case_source_form_shows_the_filing_and_takes_over_what_fits(
    units: None, power_item: Any, people: Any, today: Any
) -> None:
    c = file_report(
        address="嘉兴市南湖区某路8号", description="某饭店后厨出售过期三个月的冷冻肉。"
    ).complaint
    officer = people.officer_user
    assign(c, officer)
    services.accept(c, actor=officer)
    response = client_for(officer).get(reverse("complaints:enter_case", args=[c.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    facts = page.split('id="filing-facts"')[1].split("</aside>")[0]
    assert "食品安全" in facts and "嘉兴市南湖区某路8号" in facts and "330400" in facts
    assert "某饭店后厨出售过期三个月的冷冻肉。" in facts
    form = response.context["form"]
    assert form["source"].value() == "report" and form["procedure"].value() == "general"
    assert form["discovered_on"].value() == c.received_on


def test_the_public_api_files_and_follows(units: None, today: Any, settings: Any) -> None:
    client = Client()
    body = {
        "category": "food_safety",
        "region": "330400",
        "address": "某路",
        "description": "过期食品",
    }
    created = client.post(
        "/api/v1/public/complaints", json.dumps(body), content_type="application/json"
    )
    assert created.status_code == 201
    data = created.json()
    assert data["clock"]["rules"][0]["rule"] == "JL-complaint-ack"
    keys = {"number": data["number"], "code": data["access_code"]}
    found = client.post(
        "/api/v1/public/complaints/lookup", json.dumps(keys), content_type="application/json"
    )
    assert found.status_code == 200 and "access_code" not in found.json()
    bad = client.post(
        "/api/v1/public/complaints",
        json.dumps({**body, "category": "x"}),
        content_type="application/json",
    )
    assert bad.status_code == 400 and bad.json()["errors"][0]["path"] == "body.category"
    missing = client.post(
        "/api/v1/public/complaints/lookup",
        json.dumps({**keys, "code": "0" * 12}),
        content_type="application/json",
    )
    assert missing.status_code == 404
    settings.ZHIFA_VERIFY_RATE_LIMIT = 0
    limited = client.post(
        "/api/v1/public/complaints", json.dumps(body), content_type="application/json"
    )
    assert limited.status_code == 429 and limited.json()["code"] == "rate_limited"


def test_similar_open_filings_are_suggested(units: None, officer_a: Any, today: Any) -> None:
    first = file_report(description="南湖区某饭店出售过期食品，已多次发现。").complaint
    second = file_report(
        description="南湖区某饭店出售过期食品，多次发现。", address="某路2号"
    ).complaint
    unlike = file_report(description="超市价格标签与收银价格不一致。", address="另一条路").complaint
    assign(first, officer_a)
    page = (
        client_for(officer_a).get(reverse("complaints:detail", args=[second.pk])).content.decode()
    )
    assert 'id="similar"' in page and first.number in page and unlike.number not in page
    similar = page.split('id="similar"')[1].split("</ul>")[0]
    assert re.search(r"\d{1,3}%", similar) and "0." not in similar  # a percentage
    services.reject(first, actor=officer_a, reasons="重复。")
    page = (
        client_for(officer_a).get(reverse("complaints:detail", args=[second.pk])).content.decode()
    )
    assert first.number not in page  # only open ones


def test_closed_filings_are_not_suggested_as_duplicates(
    units: None, officer_a: Any, today: Any
) -> None:
    first = file_report(description="南湖区某饭店出售过期食品，已多次发现。").complaint
    second = file_report(description="南湖区某饭店出售过期食品，多次发现。").complaint
    assign(first, officer_a)
    services.accept(first, actor=officer_a)
    url = reverse("complaints:detail", args=[second.pk])
    assert first.number in client_for(officer_a).get(url).content.decode()  # open: suggested
    services.close(fresh(first), actor=officer_a, result="已责令整改。")
    assert first.number not in client_for(officer_a).get(url).content.decode()


def test_the_supervisor_desk_filters_and_counts(
    units: None,
    officer_a: Any,
    supervisor_city: Any,
    justice_city: Any,
    frozen_clock: Any,
    time_machine: Any,
) -> None:
    import datetime as dt

    first = file_report().complaint
    file_report(category="other")  # to the justice bureau
    second = file_report().complaint
    for filing in (first, second):
        assign(filing, officer_a)
    services.accept(second, actor=officer_a)
    time_machine.move_to(frozen_clock + dt.timedelta(days=10), tick=True)
    services.accept(first, actor=officer_a)  # told late
    client = client_for(supervisor_city)
    page = client.get(reverse("complaints:desk")).content.decode()
    assert 'id="statistics"' in page and justice_city.name in page
    stats = {
        r["organ_id"]: r
        for r in __import__("zhifa.complaints.views", fromlist=["x"]).organ_statistics(
            Complaint.objects.all(), dt.date(2026, 12, 4)
        )
    }
    a = stats[officer_a.organ_id]
    assert (a["total"], a["awaiting"], a["late"], a["disputed"], a["cases"]) == (2, 0, 1, 0, 0)
    assert stats[justice_city.pk]["overdue"] == 1
    narrowed = client.get(reverse("complaints:desk"), {"organ": justice_city.pk}).content.decode()
    assert first.number not in narrowed.split('id="statistics"')[0]
    overdue = client.get(reverse("complaints:desk"), {"overdue": "1"}).content.decode()
    assert first.number not in overdue.split('id="statistics"')[0]
    assert (
        client.get(reverse("complaints:desk"), {"organ": "x", "category": "y"}).status_code == 200
    )
    officer_page = client_for(officer_a).get(reverse("complaints:desk")).content.decode()
    assert 'id="statistics"' not in officer_page


def test_the_desk_statistics_tell_the_time_to_acknowledge(
    units: None,
    officer_a: Any,
    supervisor_city: Any,
    justice_city: Any,
    frozen_clock: Any,
    time_machine: Any,
    django_assert_max_num_queries: Any,
) -> None:
    """Issue #16 item 7: per unit, how many were told, on time or late against the
    clock, and the working days it took (median, average), checked against figures
    counted here without the engine (no holiday falls in these weeks of 2026)."""
    import datetime as dt
    import statistics

    from zhifa.complaints.views import organ_statistics

    def weekdays(start: dt.date, end: dt.date) -> int:
        return sum(
            1
            for n in range(1, (end - start).days + 1)
            if (start + dt.timedelta(days=n)).weekday() < 5
        )

    filings = [file_report(address=f"某路{n}号").complaint for n in range(3)]
    file_report(category="other")  # the justice bureau's: never told
    for filing in filings:
        assign(filing, officer_a)
    received = filings[0].received_on
    told_after = [0, 2, 10]  # calendar days after the receipt
    for filing, days in zip(filings, told_after, strict=True):
        time_machine.move_to(frozen_clock + dt.timedelta(days=days), tick=True)
        services.accept(fresh(filing), actor=officer_a)
    expected = [weekdays(received, received + dt.timedelta(days=d)) for d in told_after]
    assert expected == [0, 2, 8]
    due = filings[0].ack_due_on
    late = sum(1 for d in told_after if received + dt.timedelta(days=d) > due)
    with django_assert_max_num_queries(6):
        stats = {r["organ_id"]: r for r in organ_statistics(Complaint.objects.all(), due)}
    a = stats[officer_a.organ_id]
    assert (a["acknowledged"], a["on_time"], a["late"]) == (3, 3 - late, late) == (3, 2, 1)
    assert a["ack_days_median"] == statistics.median(expected) == 2
    assert a["ack_days_average"] == round(sum(expected) / 3, 1) == 3.3
    bureau = stats[justice_city.pk]
    assert (bureau["acknowledged"], bureau["ack_days_median"]) == (0, None)
    page = client_for(supervisor_city).get(reverse("complaints:desk")).content.decode()
    row = page.split(f'data-organ="{officer_a.organ_id}"')[1].split("</tr>")[0]
    assert 'class="on-time">2<' in row and 'class="late">1<' in row
    assert 'class="ack-days">2 / 3.3<' in row


def test_the_supervisor_reassigns_from_the_desk(
    units: None, officer_a: Any, organ_b: Any, supervisor_city: Any, today: Any
) -> None:
    c = file_report().complaint
    client = client_for(supervisor_city)
    page = client.get(reverse("complaints:detail", args=[c.pk])).content.decode()
    assert 'id="reassign-form"' in page
    bad = client.post(
        reverse("complaints:reassign", args=[c.pk]), {"organ": organ_b.pk, "reason": ""}
    )
    assert bad.status_code == 400 and fresh(c).organ_id == officer_a.organ_id
    ok = client.post(
        reverse("complaints:reassign", args=[c.pk]), {"organ": organ_b.pk, "reason": "属地管辖。"}
    )
    assert ok.status_code == 302 and fresh(c).organ_id == organ_b.pk
    assert client_for(officer_a).get(reverse("complaints:detail", args=[c.pk])).status_code == 404
    assert (
        client_for(officer_a).post(reverse("complaints:reassign", args=[c.pk]), {}).status_code
        == 404
    )


def test_the_reassignment_never_offers_the_organ_complained_about(
    units: None,
    organ_c: Any,
    organ_a: Any,
    officer_c_record: Any,
    supervisor_city: Any,
    today: Any,
) -> None:
    from django.core.exceptions import ValidationError

    from .conftest import file_conduct

    c = file_conduct(officer_c_record).complaint
    assert c.subject_organ_id == organ_c.pk and c.organ_id != organ_c.pk
    client = client_for(supervisor_city)
    form = client.get(reverse("complaints:detail", args=[c.pk])).context["reassign_form"]
    offered = {pk for pk, _label in form.fields["organ"].choices if pk}
    assert organ_a.pk in {int(str(pk)) for pk in offered}
    assert organ_c.pk not in {int(str(pk)) for pk in offered}
    assert c.organ_id not in {int(str(pk)) for pk in offered}
    with pytest.raises(ValidationError) as refused:
        services.reassign(c, actor=supervisor_city, organ=organ_c, reason="改由其办理。")
    assert organ_c.name in refused.value.message_dict["organ"][0]
    assert fresh(c).organ_id == c.organ_id
    refused_page = client.post(
        reverse("complaints:reassign", args=[c.pk]), {"organ": organ_c.pk, "reason": "改由其办理。"}
    )
    assert refused_page.status_code == 400 and fresh(c).organ_id == c.organ_id


def test_a_duplicate_is_merged_and_both_filers_are_told(
    units: None, officer_a: Any, officer_b: Any, today: Any
) -> None:
    first = file_report(description="南湖区某饭店出售过期食品，已多次发现。", filer_name="甲某")
    second = file_report(description="南湖区某饭店出售过期食品，多次发现。", filer_name="乙某")
    assign(first.complaint, officer_a)
    assign(second.complaint, officer_a)
    client = client_for(officer_a)
    page = client.get(reverse("complaints:detail", args=[second.complaint.pk])).content.decode()
    assert "merge-form" in page
    assert (
        client_for(officer_b)
        .post(reverse("complaints:merge", args=[second.complaint.pk]), {"into": first.complaint.pk})
        .status_code
        == 404
    )
    merged = client.post(
        reverse("complaints:merge", args=[second.complaint.pk]), {"into": first.complaint.pk}
    )
    assert merged.status_code == 302
    assert fresh(second.complaint).status == ComplaintStatus.MERGED
    assert fresh(second.complaint).merged_into == first.complaint
    services.accept(first.complaint, actor=officer_a, note="已受理。")
    services.close(fresh(first.complaint), actor=officer_a, result="已责令整改。")
    services.dispute(fresh(first.complaint), reason="甲某认为仍未解决")
    public = Client()
    status = public.post(
        reverse("complaints:follow"),
        {"number": second.complaint.number, "code": second.access_code},
    ).content.decode()
    assert (
        'id="together"' in status and "已责令整改。" in status and first.complaint.number in status
    )
    assert "甲某" not in status  # not the other filer's name, nor their words
    other = public.post(
        reverse("complaints:follow"), {"number": first.complaint.number, "code": first.access_code}
    ).content.decode()
    assert "乙某" not in other and second.complaint.number not in other
    api = public.post(
        "/api/v1/public/complaints/lookup",
        json.dumps({"number": second.complaint.number, "code": second.access_code}),
        content_type="application/json",
    ).json()
    assert api["handled_with"]["number"] == first.complaint.number
    assert "甲某" not in json.dumps(api, ensure_ascii=False)
    again = client.post(
        reverse("complaints:merge", args=[second.complaint.pk]), {"into": first.complaint.pk}
    )
    assert again.status_code == 302 and fresh(second.complaint).status == ComplaintStatus.MERGED


def test_complaints_count_in_their_own_rate_limit_bucket(
    units: None, settings: Any, today: Any
) -> None:
    settings.ZHIFA_VERIFY_RATE_LIMIT = 2
    client = Client()
    body = json.dumps({"number": "330400-2026-000999", "code": "X"})
    codes = [
        client.post(
            "/api/v1/public/complaints/lookup", body, content_type="application/json"
        ).status_code
        for _ in range(2)
    ]
    assert codes == [404, 404]
    # The page and the API share the complaints bucket, now used up ...
    assert client.get(reverse("complaints:file")).status_code == 429
    # ... while the certificate check (the shared public bucket) is untouched.
    assert client.get("/verify/A-0001").status_code == 404
    assert client.get("/verify/A-0001").status_code == 404
    assert client.get("/verify/A-0001").status_code == 429
    assert (
        client.post(
            "/api/v1/public/complaints/lookup", body, content_type="application/json"
        ).json()["code"]
        == "rate_limited"
    )

"""DISC-redaction end to end: a case whose every field holds an ID number, phone
numbers, addresses, a bank card, an e-mail address and individuals' full names. The
publication fails (the fields named, visibly to the organ, never their values); the
organ writes the public text; the published decision then shows none of them on the
public list, the public page, the redacted 决定书's text (pypdfium2), the public API,
the 双公示 export (CSV, XLSX and its API) — and the anonymous public sees nothing
else."""

from __future__ import annotations

import io
import json
import re
from typing import Any

import pypdfium2
import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook
from stdnum.cn import ric

from zhifa.cases import services as case_services
from zhifa.cases.tests.conftest import BASIS, BENCHMARK, VIOLATION, D, People, Walker
from zhifa.core.testing import client_for
from zhifa.disclosure import services
from zhifa.disclosure.models import DisclosureScope, Publication, PublicationStatus

BODY = "33040219850307123"
ID = BODY + ric.calc_check_digit(BODY + "0")  # takes the full number
OTHER_ID = "11010519491231002" + ric.calc_check_digit("110105194912310020")
PHONE = "13812345678"
LANDLINE = "0573-82123456"
CARD = "6222021234567890128"
EMAIL = "wang.xm@example.com"
HOME = "嘉兴市南湖区解放路123号"
PLACE = "嘉兴市南湖区幸福村3组"
PARTY_NAME = "王小明"
WITNESS = "李秀英"
SIGNER = "赵建国"
INTERVIEWEE = "孙丽华"

#: Every value that must never reach the public, and fragments of them.
SECRETS = [ID, ID[:14], OTHER_ID, PHONE, "82123456", CARD, EMAIL, "解放路123号", "幸福村3组"]
NAMES = [PARTY_NAME, WITNESS, SIGNER, INTERVIEWEE]
DIRTY = f"{PARTY_NAME}（身份证{ID}，电话{PHONE}，住{HOME}）与{WITNESS}、{SIGNER}在场"


def _flat(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _json_text(response: Any) -> str:
    """A JSON answer as text with its characters unescaped (\\u738b is 王)."""
    assert response.status_code == 200, response.content[:300]
    return json.dumps(response.json(), ensure_ascii=False)


def assert_clean(text: str, where: str) -> None:
    flat = _flat(text)
    for secret in SECRETS + NAMES:
        assert secret not in flat, (where, secret)


@pytest.fixture
def dirty_case(organ_a: Any, power_item: Any, people: People) -> Walker:
    """A case of an individual, with personal data in every free-text field."""
    case = case_services.open_case(
        organ_a,
        actor=people.officer_user,
        on=D("2026-03-02"),
        procedure="general",
        power_item=power_item,
        party={
            "type": "individual",
            "name": PARTY_NAME,
            "id_number": ID,
            "birth_date": "1985-03-07",
        },
        violation=VIOLATION,
        basis=BASIS,
        benchmark=BENCHMARK,
    )
    walk = Walker(case, people)
    p = people
    walk(case_services.register_case, actor=p.head_user, on=D("2026-03-03"), by=[p.o1, p.o2])
    walk(
        case_services.record_investigation,
        on=D("2026-03-04"),
        officers=[p.o1, p.o2],
        evidence=["on_site_record", "party_statement"],
        content={
            "facts": DIRTY + f"，银行卡{CARD}，邮箱{EMAIL}，座机{LANDLINE}，另有{OTHER_ID}。",
            "opinion": f"建议处罚{PARTY_NAME}。",
            "records": [
                {
                    "kind": "inquiry",
                    "place": PLACE,
                    "interviewee": f"{INTERVIEWEE}（证人）",
                    "started": "2026-03-04 09:30",
                    "ended": "2026-03-04 10:00",
                    "qa": [{"question": "你的电话？", "answer": PHONE}],
                }
            ],
        },
    )
    walk(
        case_services.serve_prior_notice,
        on=D("2026-03-16"),
        intended=[{"type": "fine", "amount": 150000}],
    )
    walk(case_services.record_statement, on=D("2026-03-18"), content={"statement": DIRTY})
    walk(
        case_services.record_legal_review,
        actor=p.reviewer_user,
        on=D("2026-03-25"),
        reviewer=p.reviewer,
        result="passed",
    )
    walk(case_services.record_collective_discussion, actor=p.head_user, on=D("2026-03-26"))
    walk(
        case_services.issue_decision,
        actor=p.head_user,
        on=D("2026-03-27"),
        approved_by=p.head,
        penalties=[{"type": "fine", "amount": 150000}],
        content={
            "facts": DIRTY,
            "basis": f"依据……（{HOME}）",
            "discretion": f"{PARTY_NAME}初次违法",
            "defence_answers": [{"argument": f"{WITNESS}说", "answer": PHONE}],
        },
    )
    walk(
        case_services.serve_decision,
        on=D("2026-03-27"),
        method="left_at_residence",
        signed_by="refused",
        content={
            "recipient": PARTY_NAME,
            "place": HOME,
            "refusal_reason": f"{PARTY_NAME}拒签",
            "witnesses": [{"name": WITNESS, "unit": "居委会"}, {"name": SIGNER, "unit": "邻居"}],
        },
    )
    return walk


def test_nothing_personal_reaches_the_public(
    dirty_case: Walker, people: People, regions: Any, client: Client
) -> None:
    # The sector requires the full (redacted) document.
    DisclosureScope.objects.create(
        region=regions["330400"], procedures=["general"], full_text=True, reference="测试"
    )
    publication = Publication.objects.get(case=dirty_case.case)
    # The scope read when the decision was issued: published without the document.
    # Scheduled again under the new scope for the test: a fresh decision would read it.
    publication.full_text = True
    publication.save(update_fields=["full_text"])

    failed = services.publish(publication, on=D("2026-03-30"))
    assert failed.status == PublicationStatus.FAILED
    found = {(f["field"], f["kind"]) for f in failed.failures}
    assert {
        ("facts", "id_number"),
        ("facts", "phone"),
        ("facts", "address"),
        ("facts", "name"),
    } <= found
    for failure in failed.failures:
        assert set(failure) == {"field", "kind"}
    # Visible to the organ: the case page and the organ's list of failed publications.
    officer = client_for(people.officer_user)
    case_page = officer.get(reverse("cases:detail", args=[dirty_case.case.pk])).content.decode()
    assert reverse("disclosure:organ_detail", args=[publication.pk]) in case_page
    listing = officer.get(reverse("disclosure:organ_list")).content.decode()
    assert "facts" in listing and "公民身份号码" in listing
    assert_clean(listing, "organ list")  # the failure names the field, never the value
    # A public text that still leaks is refused, naming the kind.
    with pytest.raises(Exception) as still:
        services.correct(failed, actor=people.officer_user, facts_brief=f"当事人{PARTY_NAME}销售")
    assert "自然人姓名" in str(still.value) or "full name" in str(still.value)
    services.correct(
        failed, actor=people.officer_user, facts_brief="当事人销售不符合食品安全标准的食品。"
    )
    done = services.publish(Publication.objects.get(pk=publication.pk), on=D("2026-03-30"))
    assert done.status == PublicationStatus.PUBLISHED, done.failures
    assert done.summary["party"] == "王某某"

    anonymous = Client()
    listing = anonymous.get(reverse("disclosure:public_list")).content.decode()
    assert "王某某" in listing
    page = anonymous.get(reverse("disclosure:public_decision", args=[done.pk])).content.decode()
    assert "罚款人民币150,000元" in page
    searched = anonymous.get(reverse("disclosure:public_list"), {"q": "食品安全"}).content.decode()
    assert "王某某" in searched
    pdf = anonymous.get(reverse("disclosure:public_pdf", args=[done.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    document = pypdfium2.PdfDocument(
        b"".join(getattr(pdf, "streaming_content", [])) if pdf.streaming else pdf.content
    )
    pdf_text = "".join(page.get_textpage().get_text_range() for page in document)
    assert "王某某" in _flat(pdf_text) and "公开版" in _flat(pdf_text)
    for where, text in (("list", listing), ("page", page), ("search", searched), ("pdf", pdf_text)):
        assert_clean(text, where)
    # A search for a secret finds nothing.
    for secret in (PARTY_NAME, PHONE, ID):
        hits = anonymous.get(reverse("disclosure:public_list"), {"q": secret}).content.decode()
        assert "王某某" not in hits, secret
    # The transparency leaf holds only what the page shows.
    assert_clean(done.leaf_bytes().decode(), "leaf")
    # The public API: the list, the search, the decision.
    api_list = _json_text(anonymous.get("/api/v1/public/decisions"))
    api_search = _json_text(anonymous.get("/api/v1/public/decisions", {"q": "食品安全"}))
    api_one = _json_text(anonymous.get(f"/api/v1/public/decisions/{done.pk}"))
    assert "王某某" in api_list and "王某某" in api_search and "王某某" in api_one
    for secret in (PARTY_NAME, PHONE, ID):
        answer = anonymous.get("/api/v1/public/decisions", {"q": secret}).json()
        assert answer["count"] == 0, secret
    # The 双公示 export (CSV, XLSX, the API's rows): the name masked, the ID items empty.
    type(done.organ).objects.filter(pk=done.organ_id).update(uscc="11330400MB1234567X")
    officer = client_for(people.officer_user)
    exported = {
        fmt: officer.post(reverse("disclosure:export"), {"format": fmt}).content
        for fmt in ("csv", "xlsx")
    }
    csv_text = exported["csv"].decode("utf-8-sig")
    assert "王某某" in csv_text and "自然人" in csv_text
    sheet = load_workbook(io.BytesIO(exported["xlsx"])).active
    assert sheet is not None
    xlsx_text = "\n".join(
        "\t".join("" if v is None else str(v) for v in row)
        for row in sheet.iter_rows(values_only=True)
    )
    assert "王某某" in xlsx_text
    api_rows = officer.get("/api/v1/disclosure/double-publicity").json()
    (row,) = api_rows["rows"]
    assert row["problems"] == [] and row["values"]["CF_XDR_ZJHM"] == ""
    assert row["values"]["CF_XDR_MC"] == "王某某"
    delivered = _json_text(
        officer.post(
            "/api/v1/disclosure/double-publicity/deliveries", {}, content_type="application/json"
        )
    )
    for where, text in (
        ("api list", api_list),
        ("api search", api_search),
        ("api decision", api_one),
        ("export csv", csv_text),
        ("export xlsx", xlsx_text),
        ("export api", json.dumps(api_rows, ensure_ascii=False)),
        ("export delivery", delivered),
    ):
        assert_clean(text, where)

"""Rendering a case's documents (issue #14): the PDF's text holds the number, the party,
the full law name and article and the content typed in; the PDF is stored under its SM3
digest and recorded; its QR code opens the public page, which says "issued" for the
true file and "no such document" for an altered one and shows no party; another organ
cannot open it."""

from __future__ import annotations

import contextlib
import io
import json
from typing import Any

import pytest
import segno
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from zhifa.cases import documents, services
from zhifa.cases.models import CaseStep
from zhifa.cases.tests.conftest import BASIS, PARTY, D, Walker
from zhifa.documents import formats, layout, rendering
from zhifa.documents.models import IssuedDocument, WordingOverride
from zhifa.records.models import Entry

FACTS = "当事人在其经营场所销售超过保质期的乳制品共计十二盒，货值金额人民币三百六十元。"
ARGUMENT = "系员工疏忽"
ANSWER = "经营者负有查验义务，该申辩意见不予采纳"


def text_of(pdf: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages).replace(
        "\n", ""
    )


def decided(walk: Walker) -> CaseStep:
    walk.until_review()
    step = walk.decide()
    step.data = {
        **step.data,
        "content": {
            "facts": FACTS,
            "defence_answers": [{"argument": ARGUMENT, "answer": ANSWER}],
        },
    }
    CaseStep.objects.filter(pk=step.pk).update(data=step.data)
    return step


def render(walk: Walker, kind: str) -> tuple[IssuedDocument, bytes]:
    walk.case.refresh_from_db()
    document = documents.render_document(walk.case, kind, actor=walk.p.officer_user)
    return document, rendering.open_pdf(document)


@pytest.mark.parametrize(
    "kind", ["penalty_decision", "prior_notice", "service_receipt", "registration_approval"]
)
def test_each_document_holds_number_party_law_and_article(walk: Walker, kind: str) -> None:
    step = decided(walk)
    notice = walk.case.steps.get(step="prior_notice")
    registered = walk.case.steps.get(step="registered")
    document, pdf = render(walk, kind)
    text = text_of(pdf)
    expected_number = {
        "penalty_decision": step.document_number,
        "prior_notice": notice.document_number,
        "service_receipt": "嘉市监送〔2026〕1号",
        "registration_approval": registered.document_number,
    }[kind]
    assert document.number == expected_number and expected_number in text
    assert PARTY["name"] in text
    if kind == "service_receipt":  # the receipt names the decision it serves
        assert step.document_number in text
    else:
        if kind == "registration_approval":  # the investigators, from the registry
            assert walk.p.o1.name in text
        assert f"《{BASIS['law']}》{BASIS['article']}" in text
    if kind == "penalty_decision":
        assert FACTS in text and f"当事人提出{ARGUMENT}；本局认为{ANSWER}。" in text
        assert "罚款人民币150,000元" in text
        # The remedies as the engine's parameters say (60 days, 6 months).
        assert "60日内" in text and "6个月内" in text
    assert document.sm3 == rendering.sm3_of(pdf) and document.size == len(pdf)
    entry = Entry.objects.get(action="document.render", object_id=str(walk.case.pk))
    payload = json.loads(entry.payload) if isinstance(entry.payload, str) else entry.payload
    assert payload["sm3"] == document.sm3 and entry.organ_id == walk.case.organ_id


def test_a_document_is_rendered_once(walk: Walker) -> None:
    decided(walk)
    first, pdf = render(walk, "penalty_decision")
    again, pdf_again = render(walk, "penalty_decision")
    assert first.pk == again.pk and pdf == pdf_again
    assert Entry.objects.filter(action="document.render").count() == 1


def test_no_document_before_its_step(walk: Walker) -> None:
    with pytest.raises(rendering.DocumentUnavailable):
        documents.render_document(walk.case, "penalty_decision", actor=walk.p.officer_user)


def test_the_qr_code_opens_the_public_page(walk: Walker, settings: Any) -> None:
    settings.ZHIFA_PUBLIC_BASE_URL = "https://zhifa.example.org"
    decided(walk)
    document, pdf = render(walk, "penalty_decision")
    url = f"https://zhifa.example.org/d/{document.code}"
    # The QR code encodes the public page's URL; the PDF prints it too.
    blocks = formats.fill(
        "penalty_decision",
        formats.load("penalty_decision").wording,
        documents.build_context(
            walk.case, "penalty_decision", walk.case.steps.get(step="decision"), "", "X", url
        ),
    )
    assert [b.qr for b in blocks if b.style == "qr"] == [url]
    assert url in text_of(pdf)
    client = Client()
    page = client.get(f"/d/{document.code}")
    body = page.content.decode()
    assert page.status_code == 200 and document.number in body and document.sm3 in body
    assert walk.case.organ.name in body
    assert PARTY["name"] not in body and PARTY["uscc"] not in body  # no personal data
    true = client.post(
        f"/d/{document.code}", {"file": SimpleUploadedFile("d.pdf", pdf, "application/pdf")}
    )
    assert 'data-verdict="issued"' in true.content.decode()
    assert '<div class="verify verify-ok">' in true.content.decode()
    altered = pdf.replace(b"/Creator", b"/Creatox", 1)
    assert altered != pdf
    false = client.post(
        f"/d/{document.code}", {"file": SimpleUploadedFile("d.pdf", altered, "application/pdf")}
    )
    assert 'data-verdict="no-such-document"' in false.content.decode()
    assert 'data-verdict="issued"' not in false.content.decode()
    # the page says it in red (the bad verdict's frame), not in the "issued" green
    assert '<div class="verify verify-bad">' in false.content.decode()
    assert "文书种类" in body
    assert client.get("/d/NOSUCHCODE00").status_code == 404


def test_the_qr_squares_drawn_are_the_urls_code() -> None:
    """The squares the page draws are the QR matrix of the URL (no QR decoder is
    installable from PyPI without a system library; the URL is also printed)."""
    url = "https://zhifa.example.org/d/ABCD"
    flowable = layout.QRCode(url)
    expected = segno.make(url, error="m")
    assert list(flowable.qr.matrix_iter(border=4)) == list(expected.matrix_iter(border=4))
    assert expected.mode == "byte" and flowable.data == url


def test_scope_another_organ_gets_404(walk: Walker, officer_b: Any) -> None:
    decided(walk)
    document, _pdf = render(walk, "penalty_decision")
    own = Client()
    own.force_login(walk.p.officer_user)
    url = reverse("cases:document_file", args=[walk.case.pk, document.pk])
    assert own.get(url).status_code == 200
    other = Client()
    other.force_login(officer_b)
    assert other.get(url).status_code == 404
    issue = reverse("cases:document_issue", args=[walk.case.pk, "prior_notice"])
    assert other.post(issue).status_code == 404
    with pytest.raises(PermissionDenied):
        documents.render_document(walk.case, "prior_notice", actor=officer_b)


def test_the_case_page_lists_and_issues_documents(walk: Walker) -> None:
    decided(walk)
    client = Client()
    client.force_login(walk.p.officer_user)
    page = client.get(reverse("cases:detail", args=[walk.case.pk]))
    issue = reverse("cases:document_issue", args=[walk.case.pk, "penalty_decision"])
    assert issue in page.content.decode()
    response = client.post(issue)
    document = IssuedDocument.objects.get(case=walk.case, kind="penalty_decision")
    assert response.status_code == 302 and response["Location"].endswith(f"{document.pk}.pdf")
    pdf = client.get(response["Location"] + "?download=1")
    assert pdf["Content-Type"] == "application/pdf" and "attachment" in pdf["Content-Disposition"]
    # named by the document's name and number (UTF-8, RFC 6266), not an internal key
    from urllib.parse import quote

    expected = quote(f"{document.get_kind_display()}{document.number}.pdf")
    assert f"filename*=utf-8''{expected}" in pdf["Content-Disposition"], pdf["Content-Disposition"]


def test_a_region_overrides_the_wording(walk: Walker) -> None:
    decided(walk)
    region = walk.case.organ.region.code
    WordingOverride.objects.create(
        region_code=region[:2] + "0000",
        kind="penalty_decision",
        version=1,
        valid_from=D("2026-01-01"),
        wording={"remedies": "如不服本决定，可在{{ remedies.reconsideration_days }}日内申请复议。"},
    )
    WordingOverride.objects.create(  # not yet in force on the decision's day
        region_code=region[:2] + "0000",
        kind="penalty_decision",
        version=2,
        valid_from=D("2027-01-01"),
        wording={"remedies": "二〇二七年的措辞"},
    )
    document, pdf = render(walk, "penalty_decision")
    text = text_of(pdf)
    assert "如不服本决定，可在60日内申请复议。" in text and "二〇二七年的措辞" not in text
    assert document.template == f"penalty_decision@2+{region[:2]}0000@1"


def test_the_font_covers_gb2312_and_refuses_what_it_lacks() -> None:
    covered = layout.register_fonts()
    gb2312 = set()
    for high in range(0xB0, 0xF8):  # levels 1 and 2: 6,763 hanzi
        for low in range(0xA1, 0xFF):
            with contextlib.suppress(UnicodeDecodeError):
                gb2312.add(bytes([high, low]).decode("gb2312"))
    assert len(gb2312) == 6763 and gb2312 <= covered
    assert set("〔〕《》：；，。、（）—") <= covered
    with pytest.raises(layout.MissingGlyphs) as refused:
        layout.build_pdf(layout.Document([layout.Block("body", "当事人𠮷野家")]))
    assert refused.value.characters == "𠮷"


def test_services_walk_fixture_is_used(walk: Walker) -> None:
    """The walker serves the decision the way the receipt reads it."""
    decided(walk)
    walk(
        services.serve_decision,
        on=D("2026-03-30"),
        method="direct",
        signed_by="refused",
        content={"witnesses": [{"name": "王五", "unit": "社区居民委员会"}]},
    )
    _document, pdf = render(walk, "service_receipt")
    text = text_of(pdf)
    assert "直接送达" in text and "受送达人拒绝签收" in text


def test_the_public_page_is_rate_limited_like_verify(walk: Walker, settings: Any) -> None:
    decided(walk)
    document, _pdf = render(walk, "penalty_decision")
    settings.ZHIFA_VERIFY_RATE_LIMIT = 2
    client = Client()
    assert client.get(f"/d/{document.code}").status_code == 200
    assert client.get(f"/d/{document.display_code}").status_code == 200  # typed with dashes
    refused = client.get(f"/d/{document.code}")
    assert refused.status_code == 429 and refused["Retry-After"] == "60"


def test_the_documents_name_the_conduct_not_the_power() -> None:
    assert documents.conduct("对生产经营不符合食品安全标准的食品的行政处罚") == (
        "生产经营不符合食品安全标准的食品"
    )
    assert documents.conduct("无照经营") == "无照经营"

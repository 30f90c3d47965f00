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
from urllib.parse import urlsplit

import pytest
import segno
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from zhifa.cases import documents, services
from zhifa.cases.documents import case_document_links
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
        assert "罚款人民币150,000元。" in text  # the last penalty closes the sentence
        # The remedies as the engine's parameters say (60 days, 6 months).
        assert "60日内" in text and "6个月内" in text
    assert document.sm3 == rendering.sm3_of(pdf) and document.size == len(pdf)
    entry = Entry.objects.get(action="document.render", object_id=str(walk.case.pk))
    payload = json.loads(entry.payload) if isinstance(entry.payload, str) else entry.payload
    assert payload["sm3"] == document.sm3 and entry.organ_id == walk.case.organ_id


REASONS = "当事人因经营困难申请分三期缴纳，每月末缴纳人民币五万元。"
SUMMARY = "当事人已于2026年4月10日缴清全部罚款，本案执行完毕。"
NO_PENALTY_WHY = "鉴于当事人系初次违法，危害后果轻微并及时改正"
TRANSFER_REASON = "当事人生产经营不符合食品安全标准的食品，货值金额较大"


def _served(walk: Walker) -> CaseStep:
    step = decided(walk)
    walk(services.serve_decision, on=D("2026-03-30"), method="direct", signed_by="recipient")
    return step


def _no_penalty(walk: Walker) -> tuple[CaseStep, list[str]]:
    walk.until_review()
    step = walk(
        services.issue_decision,
        actor=walk.p.head_user,
        on=D("2026-03-27"),
        approved_by=walk.p.head,
        outcome="no_penalty",
        content={"facts": FACTS, "discretion": NO_PENALTY_WHY + "。"},
    )
    return step, [
        FACTS,
        NO_PENALTY_WHY + "，依据《中华人民共和国行政处罚法》第三十三条、"
        "第五十七条第一款第（二）项的规定，本局决定对当事人不予行政处罚。",
        "60日内",
    ]


def _demand(walk: Walker) -> tuple[CaseStep, list[str]]:
    _served(walk)
    # Served on 3-30: the 15 days run to 4-14; the demand of 4-20 is 6 days late, and
    # the late fee 150,000 × 3% × 6 (APL 72).
    step = walk(services.serve_demand, on=D("2026-04-20"))
    return step, [
        "罚款人民币150,000元",
        "逾期6日，加处罚款人民币27,000元",
        "共计人民币177,000元",
        "自收到本催告书之日起10个工作日内履行",
        "《中华人民共和国行政强制法》第三十六条",
        "有权进行陈述和申辩",
    ]


def _deferral(walk: Walker) -> tuple[CaseStep, list[str]]:
    _served(walk)
    step = walk(
        services.approve_deferral,
        actor=walk.p.head_user,
        on=D("2026-04-02"),
        until=D("2026-06-30"),
        content={"reasons": REASONS},
    )
    return step, [
        REASONS.rstrip("。"),
        "《中华人民共和国行政处罚法》第六十六条",
        "罚款人民币150,000元应当于2026年6月30日前缴清",
    ]


def _closure(walk: Walker) -> tuple[CaseStep, list[str]]:
    _served(walk)
    walk(services.record_payment, on=D("2026-04-10"), amount=150000)
    step = walk(
        services.close_case,
        actor=walk.p.head_user,
        on=D("2026-04-10"),
        reason="performed",
        approved_by=walk.p.head,
        content={"summary": SUMMARY},
    )
    return step, [SUMMARY, "行政处罚决定已履行完毕", "2026年4月10日缴纳人民币150,000元", "刘洋"]


def _transfer(walk: Walker) -> tuple[CaseStep, list[str]]:
    walk(services.register_case, actor=walk.p.head_user, on=D("2026-03-03"), by=[walk.p.o1])
    walk.investigate()
    transfer = walk(
        services.transfer_case,
        actor=walk.p.head_user,
        on=D("2026-03-10"),
        kind="judicial",
        receiver_name="嘉兴市公安局",
        reason=TRANSFER_REASON,
        approved_by=walk.p.head,
    )
    registered = walk.case.steps.get(step="registered")
    return transfer.step, [
        "涉嫌犯罪案件移送书",
        "嘉兴市公安局：",
        TRANSFER_REASON,
        "《中华人民共和国行政处罚法》第二十七条",
        f"1．立案审批表（{registered.document_number}）",
        "证据材料：",
    ]


LATER = {
    "no_penalty_decision": (_no_penalty, "嘉市监不罚〔2026〕1号"),
    "demand": (_demand, "嘉市监催〔2026〕1号"),
    "deferral_decision": (_deferral, "嘉市监延缴〔2026〕1号"),
    "closure_report": (_closure, "嘉市监结〔2026〕1号"),
    "transfer_letter": (_transfer, "嘉市监移〔2026〕1号"),
}


@pytest.mark.parametrize("kind", list(LATER))
def test_each_later_document_holds_number_party_law_article_and_content(
    walk: Walker, kind: str
) -> None:
    """The 不予行政处罚决定书, 催告书, 延期（分期）缴纳罚款决定书, 结案审批表 and 案件移送函:
    the number (the step's, or the 结案审批表's issued when it is rendered), the party,
    the case's law and article and what was typed or decided."""
    setup, expected_number = LATER[kind]
    step, expected = setup(walk)
    document, pdf = render(walk, kind)
    text = text_of(pdf)
    assert document.number == expected_number and expected_number in text
    assert document.step_id == step.pk
    if kind != "closure_report":  # numbered by its step
        assert step.document_number == expected_number
    assert PARTY["name"] in text
    assert f"《{BASIS['law']}》{BASIS['article']}" in text
    for part in expected:
        assert part in text, part


def test_a_decision_offers_only_the_document_of_its_outcome(walk: Walker) -> None:
    """A decision not to penalise gives a 不予行政处罚决定书, never a 行政处罚决定书
    (nor is that listed any more), and the reverse."""
    _no_penalty(walk)
    with pytest.raises(rendering.DocumentUnavailable):
        documents.render_document(walk.case, "penalty_decision", actor=walk.p.officer_user)
    kinds = {r["kind"] for r in case_document_links(walk.p.officer_user, walk.case)}
    assert "no_penalty_decision" in kinds and "penalty_decision" not in kinds
    assert "transfer_letter" not in kinds
    # The receipt names the decision it serves.
    _document, pdf = render(walk, "service_receipt")
    assert "不予行政处罚决定书" in text_of(pdf)


def test_facts_not_established_give_a_no_penalty_decision_on_apl_57_3(walk: Walker) -> None:
    walk.until_review()
    walk(
        services.issue_decision,
        actor=walk.p.head_user,
        on=D("2026-03-27"),
        approved_by=walk.p.head,
        outcome="not_established",
        content={"discretion": "现有证据不能证明涉案乳制品系当事人销售。"},
    )
    document, pdf = render(walk, "no_penalty_decision")
    text = text_of(pdf)
    assert document.number == "嘉市监不罚〔2026〕1号" and document.number in text
    assert "违法事实不能成立：现有证据不能证明涉案乳制品系当事人销售。" in text
    assert "《中华人民共和国行政处罚法》第五十七条第一款第（三）项" in text
    assert "第五十七条第一款第（二）项" not in text and "第三十三条" not in text


def test_a_penalty_decision_offers_no_no_penalty_decision(walk: Walker) -> None:
    decided(walk)
    with pytest.raises(rendering.DocumentUnavailable):
        documents.render_document(walk.case, "no_penalty_decision", actor=walk.p.officer_user)
    rows = {r["kind"]: r for r in case_document_links(walk.p.officer_user, walk.case)}
    assert rows["penalty_decision"]["can_issue"] and "no_penalty_decision" not in rows
    # Before any decision the 决定书 is listed, not yet available; the others are not.
    assert "demand" not in rows and "closure_report" not in rows


def test_an_organ_transfer_is_a_transfer_letter(walk: Walker, organ_b: Any) -> None:
    walk(services.register_case, actor=walk.p.head_user, on=D("2026-03-03"), by=[walk.p.o1])
    walk.investigate()
    walk(
        services.transfer_case,
        actor=walk.p.head_user,
        on=D("2026-03-05"),
        kind="organ",
        to_organ=organ_b,
        reason="违法行为发生地不在本局管辖区域",
        approved_by=walk.p.head,
    )
    rows = {r["kind"]: r for r in case_document_links(walk.p.officer_user, walk.case)}
    assert rows["transfer_letter"]["can_issue"] and "penalty_decision" not in rows
    # The letter is the receiver's: no 送达回证 naming the party is offered, nor made.
    assert "service_receipt" not in rows
    with pytest.raises(rendering.DocumentUnavailable):
        documents.render_document(walk.case, "service_receipt", actor=walk.p.officer_user)
    with translation.override("en"):  # issued from an English page: still Chinese
        _document, pdf = render(walk, "transfer_letter")
    text = text_of(pdf)
    assert "案件移送函" in text and "涉嫌犯罪案件移送书" not in text
    assert "证据材料：当事人陈述、书证、现场笔录" in text
    assert f"{organ_b.name}：" in text
    assert "因违法行为发生地不在本局管辖区域，现将该案移送你单位处理。" in text


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
    # The printed page, scanned: the PDF's last page rendered to pixels and the QR code
    # read back by a decoder (zxing-cpp), as a phone would.
    assert scanned_qr_codes(pdf) == [url]
    client = Client()
    page = client.get(urlsplit(url).path)
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


def scanned_qr_codes(pdf: bytes) -> list[str]:
    """The QR codes a decoder reads on the document's last page rendered at 216 dpi."""
    import pypdfium2
    import zxingcpp

    document = pypdfium2.PdfDocument(pdf)
    image = document[len(document) - 1].render(scale=3).to_pil()
    return [
        r.text for r in zxingcpp.read_barcodes(image) if r.format == zxingcpp.BarcodeFormat.QRCode
    ]


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
    assert document.template == f"penalty_decision@4+{region[:2]}0000@1"


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


# --- the documents of the procedure's other steps (不予立案, 先行登记保存, 查封扣押, 听证
# 通知, 法制审核): each made from its own step, with the content typed on it ---------------

ITEMS = ["纯牛奶｜250毫升/盒｜12盒｜已过保质期", "酸奶|200克/杯|6杯", "进货单据"]
SUMMARY = "举报所称销售过期乳制品，经现场核查未发现，举报内容不属实。"
REFUSAL = "经核查，举报所涉违法事实不存在"
SEIZURE_REASONS = "涉案乳制品可能被转移，依据《中华人民共和国食品安全法》第一百一十条第四项"
PLACE = "本局第一听证室"
REVIEW_OPINION = "经审核，本案事实清楚，证据确凿，适用法律正确，程序合法，同意拟处理意见。"


def _registered(walk: Walker) -> None:
    walk(services.register_case, actor=walk.p.head_user, on=D("2026-03-03"), by=[walk.p.o1])
    walk.investigate()


def _refused(walk: Walker) -> CaseStep:
    return walk(
        services.refuse_registration,
        actor=walk.p.head_user,
        on=D("2026-03-03"),
        reason=REFUSAL,
        approved_by=walk.p.head,
        content={"summary": SUMMARY},
    )


def _preserved(walk: Walker) -> CaseStep:
    _registered(walk)
    return walk(
        services.record_preservation,
        actor=walk.p.head_user,
        on=D("2026-03-05"),
        items=3,
        content={"items": ITEMS},
    )


def _seized(walk: Walker) -> CaseStep:
    _registered(walk)
    return walk(
        services.record_seizure,
        on=D("2026-03-05"),
        days=30,
        approved_by=walk.p.head,
        content={"items": ITEMS, "reasons": SEIZURE_REASONS},
    )


def _hearing_notified(walk: Walker) -> CaseStep:
    _registered(walk)
    walk.notify()
    walk(services.request_hearing, on=D("2026-03-18"))
    return walk(
        services.notify_hearing,
        on=D("2026-03-19"),
        hearing_on=D("2026-03-30"),
        content={"place": PLACE},
    )


def _reviewed(walk: Walker) -> CaseStep:
    _registered(walk)
    walk.notify()
    walk(services.record_statement, on=D("2026-03-18"))
    return walk(
        services.record_legal_review,
        actor=walk.p.reviewer_user,
        on=D("2026-03-25"),
        reviewer=walk.p.reviewer,
        result="passed",
        checklist={"facts": "ok", "law": "ok", "crime": "ok"},
        opinion=REVIEW_OPINION,
    )


@pytest.mark.parametrize(
    ("kind", "walk_to", "number", "typed"),
    [
        (
            "registration_refusal",
            _refused,
            "嘉市监不立〔2026〕1号",
            [SUMMARY, REFUSAL, "同意不予立案。"],
        ),
        (
            "preservation_notice",
            _preserved,
            "嘉市监存〔2026〕1号",
            ["纯牛奶250毫升/盒12盒已过保质期", "酸奶200克/杯6杯", "进货单据", "7个工作日内"],
        ),
        (
            "seizure_decision",
            _seized,
            None,
            ["纯牛奶250毫升/盒12盒已过保质期", SEIZURE_REASONS, "期限为30日", "财物清单"],
        ),
        ("hearing_notice", _hearing_notified, None, [PLACE, "2026年3月30日"]),
        (
            "legal_review_opinion",
            _reviewed,
            "嘉市监审〔2026〕1号",
            [REVIEW_OPINION, "审核结论：审核通过", "案件事实符合要求", "是否涉嫌犯罪未发现"],
        ),
    ],
)
def test_each_procedure_document_holds_number_party_law_and_content(
    walk: Walker, kind: str, walk_to: Any, number: str | None, typed: list[str]
) -> None:
    step = walk_to(walk)
    document, pdf = render(walk, kind)
    text = text_of(pdf)
    # Numbered by its step (查封扣押, 听证通知) or from the sequence when rendered.
    expected = number or step.document_number
    assert expected and document.number == expected and expected in text
    assert (kind in documents.NUMBERED_AT_RENDERING) == (number is not None)
    assert document.step == step
    assert PARTY["name"] in text
    assert f"《{BASIS['law']}》{BASIS['article']}" in text
    for part in typed:
        assert part.replace("\n", "") in text, part
    if kind == "legal_review_opinion":
        assert walk.p.reviewer.name in text
    if kind == "registration_refusal":  # no case number: the source number instead
        assert walk.case.registration_number == "" and walk.case.case_id in text
        assert walk.p.head.name in text
    if kind == "seizure_decision":  # the list on a page of its own, after the decision
        pages = [p.extract_text().replace("\n", "") for p in PdfReader(io.BytesIO(pdf)).pages]
        assert "《实施行政强制措施决定书》附件" in pages[-1] and "纯牛奶" in pages[-1]
        assert not any("纯牛奶" in page for page in pages[:-1])
        # the organ's signature shares its page with the text it signs
        signed = next(page for page in pages if "附件：财物清单" in page)
        assert "申请行政复议" in signed and walk.case.organ.name in signed
    # The case page offers it once its step exists.
    rows = {r["kind"] for r in case_document_links(walk.p.officer_user, walk.case)}
    assert kind in rows


@pytest.mark.parametrize(
    "kind",
    [
        "registration_refusal",
        "preservation_notice",
        "seizure_decision",
        "hearing_notice",
        "legal_review_opinion",
    ],
)
def test_a_procedure_document_is_not_listed_before_its_step(walk: Walker, kind: str) -> None:
    decided(walk)  # registered, investigated, notified … decided: none of these steps
    rows = {r["kind"] for r in case_document_links(walk.p.officer_user, walk.case)}
    if kind == "legal_review_opinion":  # the walk has a legal review
        assert kind in rows
    else:
        assert kind not in rows
        with pytest.raises(rendering.DocumentUnavailable):
            documents.render_document(walk.case, kind, actor=walk.p.officer_user)


def test_a_grid_a_page_break_and_the_same_bytes_again() -> None:
    document = layout.Document(
        [
            layout.Block("title", "财物清单"),
            layout.Block("grid", cells=[("序号", "名称", "数量"), ("1", "纯牛奶", "12盒")]),
            layout.Block("pagebreak"),
            layout.Block("plain", "第二页"),
        ]
    )
    pdf = layout.build_pdf(document)
    assert layout.build_pdf(document) == pdf  # invariant: the same blocks, the same bytes
    pages = [p.extract_text().replace("\n", "") for p in PdfReader(io.BytesIO(pdf)).pages]
    assert len(pages) == 2 and "纯牛奶" in pages[0] and "第二页" not in pages[0]
    assert "第二页" in pages[1] and "纯牛奶" not in pages[1]
    with pytest.raises(layout.MissingGlyphs) as refused:  # a cell is checked like a line
        layout.build_pdf(layout.Document([layout.Block("grid", cells=[("名称",), ("𠮷野家",)])]))
    assert refused.value.characters == "𠮷"


def test_a_grid_row_is_a_line_of_its_body_entry() -> None:
    spec = {"blank_rows": 2}
    assert formats._grid_rows("1\t纯牛奶\t12盒\textra\n\n2\t酸奶\n", 3, spec) == [
        ("1", "纯牛奶", "12盒 extra"),
        ("2", "酸奶", ""),
    ]
    assert formats._grid_rows("", 3, spec) == [("", "", "")] * 2  # printed to fill in
    assert formats._grid_rows("", 3, {}) == []  # nothing: no grid
    assert formats.cell("a\tb\nc") == "a b c"
    assert documents.item_rows(["纯牛奶｜250毫升/盒｜12盒｜过期｜待检", "进货单据", " "]) == [
        {"name": "纯牛奶", "spec": "250毫升/盒", "quantity": "12盒", "notes": "过期　待检"},
        {"name": "进货单据", "spec": "", "quantity": "", "notes": ""},
    ]


def test_a_signature_never_stands_on_a_page_of_its_own() -> None:
    """GB/T 9704: the page with the organ's signature and date carries text. Twenty-one
    one-line paragraphs fill the page; the signature takes the last one with it."""
    blocks = [layout.Block("body", f"第{n}段。") for n in range(1, 22)]
    blocks += [layout.Block("gap", lines=2), layout.Block("right", "某某机关")]
    blocks += [layout.Block("right", "2026年3月5日")]
    pdf = layout.build_pdf(layout.Document(blocks))
    pages = [p.extract_text().replace("\n", "") for p in PdfReader(io.BytesIO(pdf)).pages]
    assert len(pages) == 2 and "某某机关" in pages[1] and "第21段。" in pages[1]
    assert "第20段。" in pages[0]

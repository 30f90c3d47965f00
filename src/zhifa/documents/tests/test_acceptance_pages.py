"""Acceptance of issue #14, item 1 of "Acceptance": cases walked through the PAGES, as
their users work them — the officer, the organ head, the hearing host and the legal
reviewer of the organ, each logged in with their own account, posting each step's form
with its content, the legal review on the review app's pages, the transfer on the
transfer page — then, on the case page, every document's "Issue" button followed and
the PDF it gives downloaded. Each PDF's extracted text (pypdf) holds its 文号, the
party's name, what was typed on the step it is made from and the full law name and
article; its SM3 is the one recorded; another organ's officer gets 404 on it.

Four cases make every document type that has a template (the test fails when a
template is added without a walk that produces it):

- a general case with every step that has a document (立案 with its summary; an
  inspection and an inquiry, each on an investigation step; 先行登记保存 and 查封扣押
  with their items; 事先告知; 陈述申辩 and a hearing requested, noticed and held; the
  legal review; the collective discussion; the decision with its reasons; served;
  payment deferred; a demand; paid; closed);
- a decision not to penalise (不予行政处罚决定书);
- a case transferred to the judicial organs (涉嫌犯罪案件移送书, the 案件移送函 form);
- a source refused registration (不予立案审批表).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from zhifa.cases.models import Case, CaseStep
from zhifa.cases.services import ALL_ELEMENTS
from zhifa.cases.tests.conftest import BASIS, People, make_bands
from zhifa.cases.tests.test_ui_support import open_case, step_ok
from zhifa.core.testing import FROZEN_NOW, client_for
from zhifa.documents import formats
from zhifa.documents.models import IssuedDocument
from zhifa.review.models import CHECKLIST_CODES, ReviewRequest

pytestmark = pytest.mark.django_db

#: The law and article of the cases' basis, as every document that cites it must print it.
LAW = f"《{BASIS['law']}》{BASIS['article']}"
#: The conduct the power item names (案由: 涉嫌……), printed by the forms that cite no law.
CAUSE = "涉嫌生产经营不符合食品安全标准的食品"

# --- what the users type ------------------------------------------------------------------

PARTY = "嘉兴某某食品有限公司"
REG_SUMMARY = "市场巡查发现当事人货架上陈列超过保质期的纯牛奶，符合立案条件。"
INSPECTION_PLACE = "嘉兴市南湖区某某路18号当事人经营场所"
INSPECTION_NOTES = "当事人经营场所东侧货架陈列纯牛奶十二盒，生产日期2025年9月1日，保质期六个月。"
INQUIRY_PLACE = "嘉兴市市场监督管理局第二询问室"
QUESTION = "涉案纯牛奶的进货渠道是什么？"
ANSWER = "从嘉兴某某商贸公司进货，有进货单据。"
FACTS = "当事人于2026年2月起在其经营场所销售超过保质期的纯牛奶十二盒，货值金额人民币三百六十元。"
EVIDENCE = ["现场检查笔录一份", "询问笔录一份", "进货单据复印件三张"]
REPORT_OPINION = "建议依据《中华人民共和国食品安全法》第一百二十四条第一款给予行政处罚。"
ITEMS = ["纯牛奶｜250毫升/盒｜12盒｜已过保质期", "进货单据｜A4｜3张"]
SEIZURE_REASONS = "涉案纯牛奶有被转移的可能，依据《中华人民共和国食品安全法》第一百一十条第四项"
NOTICE_FACTS = "当事人销售超过保质期的纯牛奶，货值金额人民币三百六十元，违法所得一百二十元。"
DEFENCE = "当事人称涉案纯牛奶系员工疏忽未及时下架"
REPLY = "经营者负有查验和定期检查库存食品的义务，该申辩意见不予采纳"
HEARING_PLACE = "本局第一听证室"
HEARING_SAID = "当事人已对库存食品进行全面清查，请求从轻处罚。"
HEARING_OPINION = "当事人的陈述不影响违法事实的认定，建议维持拟处罚意见。"
REVIEW_NOTE = "拟依据《中华人民共和国食品安全法》第一百二十四条第一款罚款人民币十五万元。"
REVIEW_OPINION = "经审核，本案事实清楚，证据确凿，适用法律正确，程序合法，同意拟处理意见。"
DISCUSSION_CHAIR = "刘洋（局长）"
DISCUSSION_OPINION = "违法事实清楚，按一般情形裁量适当。"
DISCUSSION_CONCLUSION = "同意对当事人罚款人民币十五万元。"
DECISION_FACTS = "当事人自2026年2月起销售超过保质期的纯牛奶十二盒，货值金额三百六十元，已全部查封。"
TYPED_BASIS = f"{LAW}第（一）项"
DISCRETION = "当事人系初次违法，无从轻、减轻情节，按一般情形在基准幅度内裁量"
DEFERRAL_REASONS = "当事人因经营困难申请延期至2026年6月30日前一次缴清罚款"
CLOSE_SUMMARY = "当事人已缴清罚款及加处罚款，本案执行完毕，建议结案。"
NP_PARTY = "嘉兴某某便利店"
NP_FACTS = "当事人销售的两盒酸奶标签瑕疵，不影响食品安全，且当日已自行下架。"
NP_DISCRETION = "鉴于当事人系初次违法，危害后果轻微并及时改正"
TR_PARTY = "嘉兴某某乳品厂"
TR_FACTS = "当事人生产的乳制品经抽检菌落总数超标，货值金额人民币二十万元。"
TR_REASON = "当事人生产不符合食品安全标准的食品货值金额较大，涉嫌生产、销售不符合安全标准的食品罪"
REF_PARTY = "嘉兴某某超市"
REF_SUMMARY = "举报称当事人销售过期乳制品，经现场核查未发现举报所称情形。"
REF_REASON = "经核查，举报所涉违法事实不存在，不予立案。"


def clause(text: str) -> str:
    """A typed text as a template prints it inside a sentence (``clause``: its closing
    punctuation dropped)."""
    return text.rstrip("。；;，,.")


def text_of(pdf: bytes) -> str:
    """The PDF's text without its white space (the line breaks of the layout, and the
    full-width spaces of a form, which pypdf reads as runs of spaces)."""
    pages = PdfReader(io.BytesIO(pdf)).pages
    return flat("".join(page.extract_text() for page in pages))


def flat(text: str) -> str:
    return re.sub(r"\s", "", text)


def at(time_machine: Any, day: str) -> None:
    """The clock at 10:00 on ``day`` (the review pages record the day they are used)."""
    moment = dt.datetime.combine(dt.date.fromisoformat(day), dt.time(10))
    time_machine.move_to(moment.replace(tzinfo=ZoneInfo("Asia/Shanghai")), tick=True)


# --- the case page's documents ------------------------------------------------------------

ISSUE_FORM = re.compile(
    r'<form method="post" action="(?P<action>/cases/\d+/documents/(?P<kind>[a-z_]+)/issue/)"'
    r"[^>]*>(?P<inside>.*?)</form>",
    re.S,
)
PART = re.compile(r'name="part" value="(\d+)"')


def issue_every_document(client: Client, case: Case) -> list[tuple[IssuedDocument, str, str]]:
    """Follow every "Issue" button of the case page and download the PDF each gives:
    (the document, the PDF's text, the issue URL) per button."""
    detail = reverse("cases:detail", args=[case.pk])
    page = client.get(detail).content.decode()
    buttons = []
    for form in ISSUE_FORM.finditer(page):
        part = PART.search(form["inside"])  # a 笔录: which record
        buttons.append((form["action"], form["kind"], int(part[1]) if part else 0))
    assert buttons, "the case page offers no document"
    issued = []
    for action, kind, part in buttons:
        response = client.post(action, {"part": part} if part else {})
        assert response.status_code == 302, (kind, response.status_code)
        document = IssuedDocument.objects.get(case=case, kind=kind, part=part)
        link = reverse("cases:document_file", args=[case.pk, document.pk])
        assert response["Location"] == link, (kind, response["Location"])
        download = client.get(link + "?download=1")
        assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
        assert "attachment" in download["Content-Disposition"]
        pdf = download.content
        # The file downloaded is the one recorded: its SM3 (computed here) is the record's.
        assert hashlib.new("sm3", pdf).hexdigest() == document.sm3, kind
        assert document.size == len(pdf)
        issued.append((document, text_of(pdf), action))
    # Every document offered is issued now: the page gives its number and links instead.
    page = client.get(detail).content.decode()
    assert not ISSUE_FORM.search(page)
    for document, _text, _action in issued:
        assert document.number in page
        assert reverse("cases:document_file", args=[case.pk, document.pk]) in page
    return issued


# --- the walks ------------------------------------------------------------------------------


def walk_general(p: People, power_item: Any, time_machine: Any) -> Case:
    """A general case with every step that has a document, each through its form."""
    officer, head = client_for(p.officer_user), client_for(p.head_user)
    case = open_case(officer, power_item, party_name=PARTY)
    step_ok(
        head,
        case,
        "registered",
        on="2026-03-03",
        by=[p.o1.pk, p.o2.pk],
        content_summary=REG_SUMMARY,
    )
    # The inspection on one day, the inquiry on another: a step's form takes one record.
    step_ok(
        officer,
        case,
        "investigation",
        on="2026-03-04",
        officers=[p.o1.pk, p.o2.pk],
        certificates_shown="on",
        evidence=["on_site_record", "physical"],
        content_record_kind="inspection",
        content_record_place=INSPECTION_PLACE,
        content_record_started="2026-03-04T09:30",
        content_record_ended="2026-03-04T10:15",
        content_record_interviewee="张三（店长）",
        content_record_notes=INSPECTION_NOTES,
    )
    step_ok(
        head,
        case,
        "preservation",
        on="2026-03-05",
        items="2",
        content_items="\n".join(ITEMS),
    )
    step_ok(
        officer,
        case,
        "seizure",
        on="2026-03-05",
        days="30",
        approved_by=p.head.pk,
        content_items="\n".join(ITEMS),
        content_reasons=SEIZURE_REASONS,
    )
    step_ok(
        officer,
        case,
        "investigation",
        on="2026-03-06",
        officers=[p.o1.pk, p.o2.pk],
        certificates_shown="on",
        evidence=["party_statement", "documentary"],
        content_record_kind="inquiry",
        content_record_place=INQUIRY_PLACE,
        content_record_started="2026-03-06T14:00",
        content_record_ended="2026-03-06T14:40",
        content_record_interviewee="张三（店长）",
        content_qa_1_question=QUESTION,
        content_qa_1_answer=ANSWER,
        content_facts=FACTS,
        content_evidence="\n".join(EVIDENCE),
        content_opinion=REPORT_OPINION,
    )
    step_ok(head, case, "preservation_decided", on="2026-03-10")
    step_ok(
        officer,
        case,
        "prior_notice",
        on="2026-03-16",
        written="on",
        hearing_right_notified="on",
        penalty_type_1="fine",
        penalty_amount_1="150000",
        content_facts=NOTICE_FACTS,
    )
    step_ok(
        officer,
        case,
        "statement",
        on="2026-03-18",
        content_statement=DEFENCE + "。",
        content_review=REPLY + "。",
    )
    step_ok(officer, case, "hearing_requested", on="2026-03-18")
    step_ok(
        officer,
        case,
        "hearing_notice",
        on="2026-03-19",
        hearing_on="2026-03-30",
        content_place=HEARING_PLACE,
    )
    step_ok(
        client_for(p.host.user),
        case,
        "hearing",
        on="2026-03-30",
        host=p.host.pk,
        public="on",
        content_place=HEARING_PLACE,
        content_participants="张伟（调查人员）\n张三（当事人委托代理人）",
        content_transcript_1_speaker="张伟",
        content_transcript_1_said="当事人销售超过保质期的食品，拟罚款人民币十五万元。",
        content_transcript_2_speaker="张三",
        content_transcript_2_said=HEARING_SAID,
        content_opinion=HEARING_OPINION,
    )

    # The legal review on the review app's pages: the officer submits it, the organ's
    # legal reviewer completes the checklist; each page records the day it is used.
    at(time_machine, "2026-03-31")
    response = officer.post(reverse("review:submit", args=[case.pk]), {"note": REVIEW_NOTE})
    assert response.status_code == 302, response.content.decode()
    review = ReviewRequest.objects.get(case=case)
    at(time_machine, "2026-04-01")
    reviewer = client_for(p.reviewer_user)
    form: dict[str, Any] = {
        "opinion": REVIEW_OPINION,
        "result": "passed",
        "expected_steps": case.steps.count(),
    }
    for code in CHECKLIST_CODES:
        form[f"{code}_ok"], form[f"{code}_comment"] = "ok", ""
    response = reviewer.post(reverse("review:detail", args=[review.pk]), form)
    assert response.status_code == 302, response.content.decode()
    time_machine.move_to(FROZEN_NOW, tick=True)
    assert case.steps.order_by("-index").first().step == "legal_review"  # type: ignore[union-attr]

    step_ok(
        head,
        case,
        "collective_discussion",
        on="2026-04-02",
        content_place="本局三楼会议室",
        content_chair=DISCUSSION_CHAIR,
        content_attendees="刘洋（局长）\n王副局长\n赵科长",
        content_opinions_1_speaker="王副局长",
        content_opinions_1_opinion=DISCUSSION_OPINION,
        content_conclusion=DISCUSSION_CONCLUSION,
    )
    step_ok(
        head,
        case,
        "decision",
        on="2026-04-03",
        outcome="penalty",
        penalty_type_1="fine",
        penalty_amount_1="150000",
        circumstance="general",
        elements=list(ALL_ELEMENTS),
        cites_full_name_and_article="on",
        content_facts=DECISION_FACTS,
        content_evidence="\n".join(EVIDENCE),
        content_basis=TYPED_BASIS,
        content_discretion=DISCRETION + "。",
        content_defence_answers_1_argument=DEFENCE,
        content_defence_answers_1_answer=REPLY + "。",
    )
    # The served form as it stands on main (another change adds the recipient, the
    # witnesses of a refusal and the signed scan).
    step_ok(officer, case, "served", on="2026-04-07", method="direct", signed_by="recipient")
    step_ok(
        head,
        case,
        "deferral_approved",
        on="2026-04-09",
        until="2026-06-30",
        content_reasons=DEFERRAL_REASONS + "。",
    )
    # Not paid by 6-30: the demand of 7-02 finds 2 days late (the APL-72 late fee).
    step_ok(officer, case, "demand", on="2026-07-02")
    step_ok(officer, case, "paid", on="2026-07-03", amount="163500")
    step_ok(
        head, case, "closed", on="2026-07-03", reason="performed", content_summary=CLOSE_SUMMARY
    )
    return case


def walk_no_penalty(p: People, power_item: Any) -> Case:
    officer, head = client_for(p.officer_user), client_for(p.head_user)
    case = open_case(officer, power_item, party_name=NP_PARTY)
    step_ok(head, case, "registered", on="2026-03-03", by=[p.o1.pk, p.o2.pk])
    step_ok(
        officer,
        case,
        "investigation",
        on="2026-03-04",
        officers=[p.o1.pk, p.o2.pk],
        certificates_shown="on",
        evidence=["on_site_record"],
        content_facts=NP_FACTS,
    )
    step_ok(
        officer,
        case,
        "prior_notice",
        on="2026-03-05",
        written="on",
        hearing_right_notified="on",
        penalty_type_1="warning",
    )
    step_ok(
        head,
        case,
        "decision",
        on="2026-03-13",
        outcome="no_penalty",
        elements=list(ALL_ELEMENTS),
        cites_full_name_and_article="on",
        content_facts=NP_FACTS,
        content_discretion=NP_DISCRETION + "。",
    )
    return case


def walk_transferred(p: People, power_item: Any) -> Case:
    officer, head = client_for(p.officer_user), client_for(p.head_user)
    case = open_case(officer, power_item, party_name=TR_PARTY)
    step_ok(head, case, "registered", on="2026-03-03", by=[p.o1.pk, p.o2.pk])
    step_ok(
        officer,
        case,
        "investigation",
        on="2026-03-04",
        officers=[p.o1.pk, p.o2.pk],
        certificates_shown="on",
        evidence=["on_site_record", "documentary"],
        content_facts=TR_FACTS,
    )
    response = head.post(
        reverse("cases:transfer", args=[case.pk]),
        {
            "on": "2026-03-10",
            "expected_steps": case.steps.count(),
            "kind": "judicial",
            "to_organ": "",
            "receiver_name": "嘉兴市公安局",
            "reason": TR_REASON,
        },
    )
    assert response.status_code == 302, response.content.decode()
    return case


def walk_refused(p: People, power_item: Any) -> Case:
    case = open_case(client_for(p.officer_user), power_item, party_name=REF_PARTY, source="report")
    step_ok(
        client_for(p.head_user),
        case,
        "registration_refused",
        on="2026-03-04",
        reason=REF_REASON,
        content_summary=REF_SUMMARY,
    )
    return case


# --- what each document must print ----------------------------------------------------------

#: The forms that by their nature cite no law (their TOML prints none): they are checked
#: for what they print of the case instead — a 笔录 its time, place and what was said or
#: found; the 听证笔录 and 集体讨论记录 the 案由 (the conduct charged) and the minutes; the
#: 送达回证 the decision it serves, by title and number.
CITES_NO_LAW = {
    "inquiry_record",
    "on_site_inspection_record",
    "hearing_record",
    "collective_discussion_record",
    "service_receipt",
}


def step_number(case: Case, step: str) -> str:
    found: CaseStep | None = case.steps.filter(step=step).order_by("-index").first()
    assert found is not None and found.document_number, step
    return str(found.document_number)


def expected_general(case: Case, p: People) -> dict[tuple[str, int], list[str]]:
    """Per document of the general case, what it prints of the content typed on its
    step (and of the step's own fields)."""
    decision = step_number(case, "decision")
    return {
        ("registration_approval", 0): [REG_SUMMARY, "张伟、李娜", case.registration_number],
        ("on_site_inspection_record", 1): [
            INSPECTION_PLACE,
            INSPECTION_NOTES,
            "2026年3月4日9时30分至10时15分",
            "张三（店长）",
            "张伟、李娜",
        ],
        ("inquiry_record", 1): [
            f"问：{QUESTION}",
            f"答：{ANSWER}",
            INQUIRY_PLACE,
            "2026年3月6日14时00分至14时40分",
        ],
        ("investigation_report", 0): [FACTS, REPORT_OPINION, "进货单据复印件三张", CAUSE],
        ("preservation_notice", 0): [
            "纯牛奶250毫升/盒12盒已过保质期",
            "进货单据A43张",
            "7个工作日内",
        ],
        ("seizure_decision", 0): [
            step_number(case, "seizure"),
            clause(SEIZURE_REASONS),
            "纯牛奶250毫升/盒12盒已过保质期",
            "期限为30日",
        ],
        ("prior_notice", 0): [f"经查，{NOTICE_FACTS}", "罚款人民币150,000元"],
        ("hearing_notice", 0): [HEARING_PLACE, "2026年3月30日", CAUSE],
        ("hearing_record", 0): [
            f"张三：{HEARING_SAID}",
            HEARING_OPINION,
            p.host.name,
            "张伟（调查人员）、张三（当事人委托代理人）",
            CAUSE,
        ],
        ("legal_review_opinion", 0): [
            REVIEW_OPINION,
            REVIEW_NOTE,
            "审核结论：审核通过",
            p.reviewer.name,
        ],
        ("collective_discussion_record", 0): [
            DISCUSSION_CHAIR,
            f"王副局长：{DISCUSSION_OPINION}",
            DISCUSSION_CONCLUSION,
            CAUSE,
        ],
        ("penalty_decision", 0): [
            f"经查明：{DECISION_FACTS}",
            "3．进货单据复印件三张",
            f"当事人在法定期限内提出陈述、申辩意见：{DEFENCE}。",
            f"当事人提出{DEFENCE}；本局认为{REPLY}。",
            f"关于处罚裁量：{DISCRETION}。",
            f"依据{TYPED_BASIS}的规定",
            "罚款人民币150,000元。",
        ],
        ("service_receipt", 0): [f"行政处罚决定书　{decision}", "直接送达", "2026年4月7日"],
        ("deferral_decision", 0): [
            f"申请事项及理由：{DEFERRAL_REASONS}。",
            "应当于2026年6月30日前缴清",
            decision,
        ],
        # The 催告书's step has no content: it prints what the case holds, the decision
        # pressed for (its number), the amounts the rules engine computes.
        ("demand", 0): [decision, "逾期2日，加处罚款人民币9,000元", "共计人民币159,000元"],
        ("closure_report", 0): [
            CLOSE_SUMMARY,
            "行政处罚决定已履行完毕",
            f"行政处罚决定书（{decision}，2026年4月3日）",
            "2026年7月3日缴纳人民币163,500元",
        ],
    }


def test_every_document_type_from_cases_walked_through_the_pages(
    organ_a: Any,
    organ_b: Any,
    officer_b: Any,
    power_item: Any,
    people: People,
    supervisor_city: Any,
    time_machine: Any,
) -> None:
    make_bands(power_item, supervisor_city)  # the decision's circumstance: its band
    p = people
    general = walk_general(p, power_item, time_machine)
    no_penalty = walk_no_penalty(p, power_item)
    transferred = walk_transferred(p, power_item)
    refused = walk_refused(p, power_item)

    expected: dict[Case, tuple[str, dict[tuple[str, int], list[str]]]] = {
        general: (PARTY, expected_general(general, p)),
        no_penalty: (
            NP_PARTY,
            {
                ("no_penalty_decision", 0): [
                    f"经查明：{NP_FACTS}",
                    f"{NP_DISCRETION}，依据《中华人民共和国行政处罚法》第三十三条、"
                    "第五十七条第一款第（二）项的规定，本局决定对当事人不予行政处罚。",
                ],
                ("service_receipt", 0): [
                    f"不予行政处罚决定书　{step_number(no_penalty, 'decision')}"
                ],
                ("investigation_report", 0): [NP_FACTS],
            },
        ),
        transferred: (
            TR_PARTY,
            {
                ("transfer_letter", 0): [
                    "涉嫌犯罪案件移送书",
                    "嘉兴市公安局：",
                    f"发现{TR_REASON}，当事人的行为涉嫌犯罪",
                    f"立案审批表（{step_number(transferred, 'registered')}）",
                ],
                ("investigation_report", 0): [TR_FACTS],
            },
        ),
        refused: (
            REF_PARTY,
            {
                ("registration_refusal", 0): [
                    REF_SUMMARY,
                    REF_REASON,
                    "同意不予立案。",
                    refused.case_id,
                    p.head.name,
                ]
            },
        ),
    }

    officer = client_for(p.officer_user)
    other = client_for(officer_b)
    produced: set[str] = set()
    for case, (party, typed) in expected.items():
        issued = issue_every_document(officer, case)
        checked = set()
        for document, text, issue_url in issued:
            kind, part = document.kind, document.part
            produced.add(kind)
            assert document.number and document.number in text, (kind, document.number)
            assert flat(party) in text, kind
            if kind in CITES_NO_LAW:
                assert LAW not in text, f"{kind} now cites the law: move it out of CITES_NO_LAW"
                if kind in ("hearing_record", "collective_discussion_record"):
                    assert CAUSE in text, kind
            else:
                assert LAW in text, kind
            for phrase in typed.get((kind, part), []):
                assert flat(phrase) in text, (kind, phrase)
            checked.add((kind, part))
            # Another organ's officer: neither the PDF nor the issue button exists for it.
            link = reverse("cases:document_file", args=[case.pk, document.pk])
            assert other.get(link).status_code == 404, kind
            assert other.get(link + "?download=1").status_code == 404, kind
            assert other.post(issue_url, {"part": part}).status_code == 404, kind
        # Every document this walk was written to check was issued and checked.
        assert set(typed) <= checked, set(typed) - checked
        if case == transferred:  # the letter goes to the receiver: no 送达回证 to the party
            assert "service_receipt" not in {kind for kind, _part in checked}

    # Every document type with a template is produced by one of the walks.
    assert produced == set(formats.kinds())

"""The documents read the content typed on the steps (issue #14): the 决定书 and the
事先告知书 state the facts, the numbered evidence, the basis, the discretion and the
answer to each defence argument; the 听证笔录, 集体讨论记录, 询问笔录 (one per record),
现场检查笔录 and 案件调查终结报告 are made from their step's content. Each is rendered
and its extracted text checked."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from zhifa.cases import documents, services
from zhifa.cases.documents import case_document_links
from zhifa.cases.models import Case, CaseStep
from zhifa.cases.tests.conftest import PARTY, D, People, Walker
from zhifa.cases.tests.test_step_content import (
    ANSWER,
    DEFENCE,
    FACTS,
    QUESTION,
    REPLY,
    _walk_with_content,
)
from zhifa.documents import rendering
from zhifa.documents.models import IssuedDocument

from .test_rendering import text_of

pytestmark = pytest.mark.django_db

DISCRETION = "无从轻、减轻情节，按一般情形裁量。"
PROVES = "当事人销售过期乳制品的事实"


def _pdf(case: Case, kind: str, actor: Any, part: int = 0) -> tuple[IssuedDocument, str]:
    case.refresh_from_db()
    document = documents.render_document(case, kind, actor=actor, part=part)
    return document, text_of(rendering.open_pdf(document))


@pytest.fixture
def content_case(organ_a: Any, power_item: Any, people: People, supervisor_city: Any) -> Case:
    return _walk_with_content(people, power_item, supervisor_city)


def test_the_decision_states_facts_evidence_basis_discretion_and_answers(
    content_case: Case, people: People
) -> None:
    document, text = _pdf(content_case, "penalty_decision", people.officer_user)
    assert document.number in text and PARTY["name"] in text
    assert FACTS.rstrip("。") in text
    # The evidence the investigation listed (the decision repeats none), numbered.
    assert "1．现场检查笔录；" in text and "2．询问笔录。" in text
    assert "《中华人民共和国食品安全法》第一百二十四条第一款" in text
    assert f"关于处罚裁量：{DISCRETION}" in text
    # 当事人提出……；本局认为…… (the closing punctuation of the typed texts dropped).
    assert f"当事人提出{DEFENCE.rstrip('。')}；本局认为{REPLY.rstrip('。')}。" in text
    # The statement step's statement has its place.
    assert f"陈述、申辩意见：{DEFENCE}" in text


def test_the_decision_lists_what_each_evidence_proves(walk: Walker) -> None:
    walk.until_review()
    step = walk.decide()
    content = {
        "facts": FACTS,
        "evidence": [{"name": "询问笔录", "proves": PROVES}, {"name": "进货票据"}],
        "discretion": DISCRETION,
        "defence_answers": [{"argument": DEFENCE, "answer": REPLY}],
    }
    CaseStep.objects.filter(pk=step.pk).update(data={**step.data, "content": content})
    _document, text = _pdf(walk.case, "penalty_decision", walk.p.officer_user)
    assert f"1．询问笔录，证明{PROVES}；" in text and "2．进货票据。" in text
    assert DISCRETION in text and REPLY.rstrip("。") in text


def test_the_prior_notice_states_facts_evidence_and_basis(
    content_case: Case, people: People
) -> None:
    notice = content_case.steps.get(step="prior_notice")
    content = {**notice.data["content"], "basis": "《中华人民共和国食品安全法》第三十四条"}
    CaseStep.objects.filter(pk=notice.pk).update(data={**notice.data, "content": content})
    document, text = _pdf(content_case, "prior_notice", people.officer_user)
    assert document.number == notice.document_number and document.number in text
    assert FACTS.rstrip("。") in text and "1．现场检查笔录；" in text
    assert "依据《中华人民共和国食品安全法》第三十四条的规定" in text


def test_the_collective_discussion_record(content_case: Case, people: People) -> None:
    document, text = _pdf(content_case, "collective_discussion_record", people.officer_user)
    assert document.number.startswith("嘉市监集〔2026〕") and document.number in text
    assert "李局长、王副局长、赵科长" in text
    assert "王副局长：同意按一般情形处罚。" in text and "同意罚款十五万元。" in text


def test_the_investigation_report_and_one_inquiry_record_per_record(
    content_case: Case, people: People
) -> None:
    _document, text = _pdf(content_case, "investigation_report", people.officer_user)
    assert FACTS in text and "1．现场检查笔录；" in text and "建议给予行政处罚。" in text
    assert "《中华人民共和国食品安全法》第一百二十四条第一款" in text
    document, text = _pdf(content_case, "inquiry_record", people.officer_user, part=1)
    assert document.part == 1 and document.number in text
    assert f"问：{QUESTION}" in text and f"答：{ANSWER}" in text
    assert "当事人经营场所" in text and "张三（负责人）" in text and people.o1.name in text
    # Asked again: the same document; a record the step lacks is refused naming it.
    assert (
        documents.render_document(content_case, "inquiry_record", actor=people.officer_user, part=1)
        == document
    )
    with pytest.raises(ValidationError) as refused:
        documents.render_document(
            content_case, "on_site_inspection_record", actor=people.officer_user, part=1
        )
    assert "part" in refused.value.message_dict
    # The case page offers the inquiry record (one row per record), no inspection record
    # (no inspection typed) and no hearing record (no hearing held).
    rows = {(r["kind"], r["part"]) for r in case_document_links(people.officer_user, content_case)}
    assert ("inquiry_record", 1) in rows and ("investigation_report", 0) in rows
    assert not any(kind in ("on_site_inspection_record", "hearing_record") for kind, _ in rows)


def test_the_on_site_inspection_record(walk: Walker) -> None:
    walk(services.register_case, actor=walk.p.head_user, on=D("2026-03-03"), by=[walk.p.o1])
    walk(
        services.record_investigation,
        on=D("2026-03-04"),
        officers=[walk.p.o1, walk.p.o2],
        evidence=["on_site_record"],
        content={
            "records": [
                {"kind": "inquiry", "interviewee": "张三", "qa": []},
                {
                    "kind": "inspection",
                    "place": "嘉兴市南湖区某路1号仓库",
                    "started": "2026-03-04 14:00",
                    "ended": "2026-03-04 15:10",
                    "officers": ["王五", "赵六"],
                    "interviewee": "李四（店长）",
                    "notes": "仓库货架上存放超过保质期的乳制品十二盒。",
                },
            ]
        },
    )
    document, text = _pdf(walk.case, "on_site_inspection_record", walk.p.officer_user, part=1)
    assert document.number in text and PARTY["name"] in text
    assert "嘉兴市南湖区某路1号仓库" in text and "王五、赵六" in text
    assert "2026年3月4日14时00分至15时10分" in text
    assert "仓库货架上存放超过保质期的乳制品十二盒。" in text and "李四（店长）" in text


def test_the_records_of_every_investigation_step_are_printable(walk: Walker) -> None:
    """A step's form takes one record: the inspection typed on one day and the inquiry
    on another are two investigation steps, and each record gets its 笔录 — numbered
    (``part``) across the steps, made from the step that holds it."""
    walk(services.register_case, actor=walk.p.head_user, on=D("2026-03-03"), by=[walk.p.o1])

    def investigation(on: str, record: dict[str, Any]) -> CaseStep:
        return walk(  # type: ignore[no-any-return]
            services.record_investigation,
            on=D(on),
            officers=[walk.p.o1, walk.p.o2],
            evidence=["on_site_record"],
            content={"records": [record]},
        )

    first = investigation("2026-03-04", {"kind": "inspection", "notes": "货架上有过期乳制品。"})
    second = investigation("2026-03-06", {"kind": "inquiry", "interviewee": "张三"})
    third = investigation("2026-03-09", {"kind": "inspection", "notes": "仓库已清理。"})
    rows = {(r["kind"], r["part"]) for r in case_document_links(walk.p.officer_user, walk.case)}
    assert {
        ("on_site_inspection_record", 1),
        ("on_site_inspection_record", 2),
        ("inquiry_record", 1),
    } <= rows
    assert ("on_site_inspection_record", 3) not in rows and ("inquiry_record", 2) not in rows
    actor = walk.p.officer_user
    document, text = _pdf(walk.case, "on_site_inspection_record", actor, part=1)
    assert document.step == first and "货架上有过期乳制品。" in text
    assert "仓库已清理。" not in text and "2026年3月4日" in text
    document, text = _pdf(walk.case, "on_site_inspection_record", actor, part=2)
    assert document.step == third and "仓库已清理。" in text
    document, text = _pdf(walk.case, "inquiry_record", actor, part=1)
    assert document.step == second and "张三" in text
    with pytest.raises(ValidationError):
        documents.render_document(walk.case, "on_site_inspection_record", actor=actor, part=3)


def test_the_hearing_record(walk: Walker) -> None:
    walk(services.register_case, actor=walk.p.head_user, on=D("2026-03-03"), by=[walk.p.o1])
    walk.investigate()
    walk.notify()
    walk(services.request_hearing, on=D("2026-03-18"))
    walk(services.notify_hearing, on=D("2026-03-19"), hearing_on=D("2026-03-30"))
    walk(
        services.hold_hearing,
        actor=walk.p.host.user,
        on=D("2026-03-30"),
        host=walk.p.host,
        content={
            "place": "本局第一听证室",
            "participants": ["王五（调查人员）", "张三（当事人委托代理人）"],
            "transcript": [
                {"speaker": "调查人员", "said": "当事人销售超过保质期的乳制品，证据确凿。"},
                {"speaker": "当事人代理人", "said": "货值较小，请求从轻处罚。"},
            ],
            "opinion": "事实清楚，证据充分，建议维持拟处罚意见。",
        },
    )
    document, text = _pdf(walk.case, "hearing_record", walk.p.officer_user)
    assert document.number.startswith("嘉市监听录〔2026〕") and document.number in text
    assert "本局第一听证室" in text and walk.p.host.name in text
    assert "王五（调查人员）、张三（当事人委托代理人）" in text
    assert "当事人代理人：货值较小，请求从轻处罚。" in text
    assert "事实清楚，证据充分，建议维持拟处罚意见。" in text


def test_the_case_page_issues_a_record_by_its_part(content_case: Case, people: People) -> None:
    client = Client()
    client.force_login(people.officer_user)
    page = client.get(reverse("cases:detail", args=[content_case.pk])).content.decode()
    issue = reverse("cases:document_issue", args=[content_case.pk, "inquiry_record"])
    assert issue in page and 'name="part" value="1"' in page
    assert "询问笔录 1（张三（负责人））" in page
    assert "hearing_record" not in page  # no hearing held: not offered
    for bad in ("x", "7"):  # refused naming the field, never a 500
        response = client.post(issue, {"part": bad}, follow=True)
        assert response.status_code == 200
        assert not IssuedDocument.objects.filter(kind="inquiry_record").exists()
        assert ("笔录序号" in response.content.decode()) or (
            "该环节没有这份笔录" in response.content.decode()
        )
    response = client.post(issue, {"part": "1"})
    document = IssuedDocument.objects.get(case=content_case, kind="inquiry_record")
    assert document.part == 1 and response["Location"].endswith(f"{document.pk}.pdf")

"""The content of a step (issue #14, item 1): the narrative the step's documents need,
typed on the case pages or sent to the API, kept in the step's data (so in its record
entry), shown on the case page, exported and imported, refused naming its field when
it is malformed or too long, and hidden from another organ."""

from __future__ import annotations

import json
from typing import Any

import pytest

from zhifa.cases import content, services
from zhifa.cases.casefile import export_document
from zhifa.cases.models import Case, CaseStep
from zhifa.cases.steps import STEPS
from zhifa.core.testing import client_for
from zhifa.records.tests.attacker import raw
from zhifa.records.verification import verify_chain
from zhifa.rules.engine.validation import schema

from .conftest import D, People, Walker, make_bands
from .test_tamper_domain import assert_tampered, verify
from .test_ui_support import open_case, post_step, step_ok

pytestmark = pytest.mark.django_db

FACTS = "经查，当事人于2026年2月销售不符合食品安全标准的食品，货值金额三万元。"
QUESTION = "你是否知道所售食品已超过保质期？"
ANSWER = "知道，但以为还可以卖。"
DEFENCE = "当事人称系初次违法。"
REPLY = "经复核，当事人此前已被警告，不属初次违法，不予采纳。"


def _walk_with_content(people: People, power_item: Any, supervisor_city: Any) -> Case:
    """A general case through the pages, with content on the main steps."""
    make_bands(power_item, supervisor_city)
    officer, head = client_for(people.officer_user), client_for(people.head_user)
    case = open_case(officer, power_item)
    step_ok(
        head,
        case,
        "registered",
        on="2026-03-03",
        by=[people.o1.pk, people.o2.pk],
        content_summary="群众举报，经核查符合立案条件。",
    )
    step_ok(
        officer,
        case,
        "investigation",
        on="2026-03-04",
        officers=[people.o1.pk, people.o2.pk],
        certificates_shown="on",
        evidence=["on_site_record", "party_statement"],
        content_record_kind="inquiry",
        content_record_place="当事人经营场所",
        content_record_started="2026-03-04T09:30",  # as the browser's picker sends it
        content_record_ended="2026-03-04T10:15:00",
        content_record_interviewee="张三（负责人）",
        content_qa_1_question=QUESTION,
        content_qa_1_answer=ANSWER,
        content_facts=FACTS,
        content_evidence="现场检查笔录\n询问笔录",
        content_opinion="建议给予行政处罚。",
    )
    step_ok(
        officer,
        case,
        "prior_notice",
        on="2026-03-16",
        written="on",
        hearing_right_notified="on",
        penalty_type_1="fine",
        penalty_amount_1="150000",
        content_facts=FACTS,
    )
    step_ok(
        officer,
        case,
        "statement",
        on="2026-03-18",
        content_statement=DEFENCE,
        content_review=REPLY,
    )
    services.record_legal_review(
        case,
        actor=people.reviewer_user,
        on=D("2026-03-25"),
        reviewer=people.reviewer,
        result="passed",
        expected_steps=case.steps.count(),
    )
    step_ok(
        head,
        case,
        "collective_discussion",
        on="2026-03-26",
        content_chair="李局长",
        content_attendees="李局长\n王副局长\n赵科长",
        content_opinions_1_speaker="王副局长",
        content_opinions_1_opinion="同意按一般情形处罚。",
        content_conclusion="同意罚款十五万元。",
    )
    step_ok(
        head,
        case,
        "decision",
        on="2026-03-27",
        outcome="penalty",
        penalty_type_1="fine",
        penalty_amount_1="150000",
        circumstance="general",
        elements=list(services.ALL_ELEMENTS),
        cites_full_name_and_article="on",
        content_facts=FACTS,
        content_basis="《中华人民共和国食品安全法》第一百二十四条第一款",
        content_discretion="无从轻、减轻情节，按一般情形裁量。",
        content_defence_answers_1_argument=DEFENCE,
        content_defence_answers_1_answer=REPLY,
    )
    return case


def test_content_typed_on_the_pages_is_kept_everywhere(
    organ_a: Any, organ_b: Any, power_item: Any, people: People, supervisor_city: Any
) -> None:
    case = _walk_with_content(people, power_item, supervisor_city)
    steps = {s.step: s for s in case.steps.all()}
    record = steps["investigation"].data["content"]["records"][0]
    assert record["kind"] == "inquiry" and record["place"] == "当事人经营场所"
    # The picker's 2026-03-04T09:30 (and :00 seconds) kept as the file writes a time.
    assert (record["started"], record["ended"]) == ("2026-03-04 09:30", "2026-03-04 10:15")
    assert record["qa"] == [{"question": QUESTION, "answer": ANSWER}]
    assert record["officers"] == [people.o1.name, people.o2.name]
    assert steps["investigation"].data["content"]["evidence"] == [
        {"name": "现场检查笔录"},
        {"name": "询问笔录"},
    ]
    assert steps["statement"].data["content"] == {"statement": DEFENCE, "review": REPLY}
    discussion = steps["collective_discussion"].data["content"]
    assert discussion["attendees"] == ["李局长", "王副局长", "赵科长"]
    assert discussion["opinions"] == [{"speaker": "王副局长", "opinion": "同意按一般情形处罚。"}]
    decision = steps["decision"].data["content"]
    assert decision["defence_answers"] == [{"argument": DEFENCE, "answer": REPLY}]
    assert "legal_review" not in [s for s, v in steps.items() if "content" in v.data]

    # The case page shows each step's content in its history entry (collapsible).
    page = client_for(people.officer_user).get(f"/cases/{case.pk}/").content.decode()
    assert page.count('<details class="step-content-view">') == 6
    for text in (FACTS, QUESTION, ANSWER, REPLY, "同意罚款十五万元。"):
        assert text in page

    # The API's case shows it; another organ's user sees no case at all.
    api = client_for(people.officer_user).get(f"/api/v1/cases/{case.pk}").json()
    by_step = {s["step"]: s for s in api["steps"]}
    assert by_step["decision"]["data"]["content"] == decision
    other = client_for(_other_officer(organ_b))
    assert other.get(f"/api/v1/cases/{case.pk}").status_code == 404
    assert other.get(f"/cases/{case.pk}/").status_code == 404

    # The export carries it, and a re-import into another organ keeps it.
    document = export_document(case, D("2026-04-01"))
    exported = {s["step"]: s for s in document["steps"]}
    assert exported["statement"]["content"] == {"statement": DEFENCE, "review": REPLY}
    assert exported["investigation"]["content"]["records"][0]["qa"][0]["answer"] == ANSWER
    copy = json.loads(json.dumps(document, ensure_ascii=False))
    copy["case_id"] = "另一案号"
    imported = services.import_document(copy, organ_b, actor=_other_officer(organ_b)).case
    again = {s.step: s for s in imported.steps.all()}
    assert again["decision"].data["content"] == decision
    assert again["investigation"].data["content"] == steps["investigation"].data["content"]

    # The record covers it.
    report = verify_chain(organ_a, files=False)
    assert report.problem is None


def _other_officer(organ: Any) -> Any:
    from zhifa.accounts.models import Role, User

    user, _created = User.objects.get_or_create(
        username=f"officer-{organ.pk}", defaults={"role": Role.OFFICER, "organ": organ}
    )
    return user


def test_more_rows_shows_the_form_again_with_what_was_typed(
    organ_a: Any, power_item: Any, people: People
) -> None:
    officer, head = client_for(people.officer_user), client_for(people.head_user)
    case = open_case(officer, power_item)
    step_ok(head, case, "registered", on="2026-03-03", by=[people.o1.pk, people.o2.pk])
    response = post_step(
        officer,
        case,
        "investigation",
        on="2026-03-04",
        officers=[people.o1.pk, people.o2.pk],
        content_qa_1_question=QUESTION,
        content_rows="3",
        more_rows="1",
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert 'name="content_qa_6_question"' in page and 'name="content_qa_7_question"' not in page
    assert QUESTION in page
    assert 'class="error"' not in page  # shown again, not checked
    assert case.steps.count() == 1  # nothing recorded


def test_content_too_long_or_malformed_is_refused_naming_the_field(
    organ_a: Any, power_item: Any, people: People
) -> None:
    officer, head = client_for(people.officer_user), client_for(people.head_user)
    case = open_case(officer, power_item)
    step_ok(head, case, "registered", on="2026-03-03", by=[people.o1.pk, people.o2.pk])
    before = case.steps.count()

    # The form: a text over 20,000 characters is refused at its field.
    response = post_step(
        officer,
        case,
        "investigation",
        on="2026-03-04",
        officers=[people.o1.pk],
        content_facts="事" * (content.TEXT_MAX + 1),
    )
    assert response.status_code == 400
    assert "20000" in response.content.decode()
    # A control character in a Q&A answer.
    response = post_step(
        officer,
        case,
        "investigation",
        on="2026-03-04",
        officers=[people.o1.pk],
        content_qa_1_question="问",
        content_qa_1_answer="答\x07",
    )
    assert response.status_code == 400
    # An answer without its question: refused, and the officer is told where.
    response = post_step(
        officer,
        case,
        "investigation",
        on="2026-03-04",
        officers=[people.o1.pk, people.o2.pk],
        certificates_shown="on",
        evidence=["on_site_record"],
        content_record_kind="inquiry",
        content_qa_1_answer="只有回答",
    )
    assert response.status_code == 400
    assert "另一半" in response.content.decode()

    # The API: each problem at its path.
    def api_step(**content_value: Any) -> Any:
        return officer.post(
            f"/api/v1/cases/{case.pk}/steps",
            {
                "step": "investigation",
                "on": "2026-03-04",
                "expected_steps": before,
                "officers": [people.o1.pk, people.o2.pk],
                "content": content_value,
            },
            content_type="application/json",
        )

    cases = [
        ({"facts": "x" * (content.TEXT_MAX + 1)}, "body.content.facts"),
        ({"facts": 3}, "body.content.facts"),
        ({"review": "not a section of the investigation"}, "body.content.review"),
        ({"records": [{"qa": [{"question": "q", "answer": "a\x00"}]}]}, "body.content"),
        ({"attendees": ["x"]}, "body.content.attendees"),
        ({"records": [{"kind": "interrogation"}]}, "body.content.records.0.kind"),
        # an answer without its question would read "问：(nothing) 答：…"
        (
            {"records": [{"qa": [{"question": " ", "answer": "a"}]}]},
            "body.content.records.0.qa.0.question",
        ),
        ({"evidence": [{"name": "x"}] * (content.ITEMS_MAX + 1)}, "body.content.evidence"),
        # a record's times are a day and a time, and it ends after it starts
        ({"records": [{"started": "上午九点"}]}, "body.content.records.0.started"),
        ({"records": [{"started": "2026-02-30 09:00"}]}, "body.content.records.0.started"),
        (
            {"records": [{"started": "2026-03-04 10:00", "ended": "2026-03-04 09:59"}]},
            "body.content.records.0.ended",
        ),
    ]
    for value, path in cases:
        response = api_step(**value)
        assert response.status_code == 400, (value, response.content)
        paths = [e["path"] for e in response.json()["errors"]]
        assert any(p.startswith(path) for p in paths), (value, paths)
    assert case.steps.count() == before

    # The service (every entry point): a section the step does not declare.
    with pytest.raises(Exception) as refused:
        services.record_investigation(
            case,
            actor=people.officer_user,
            on=D("2026-03-04"),
            officers=[people.o1],
            evidence=["on_site_record"],
            expected_steps=before,
            content={"conclusion": "不是调查的内容"},
        )
    assert "content.conclusion" in str(refused.value)
    assert case.steps.count() == before

    # Accepted through the API, and returned as sent.
    ok = api_step(facts=FACTS, records=[{"kind": "inspection", "notes": "货架上有过期食品"}])
    assert ok.status_code == 201, ok.json()
    assert ok.json()["data"]["content"] == {
        "facts": FACTS,
        "records": [
            {
                "kind": "inspection",
                "place": "",
                "started": "",
                "ended": "",
                "officers": [],
                "interviewee": "",
                "qa": [],
                "notes": "货架上有过期食品",
            }
        ],
    }


def test_records_verify_fails_when_content_is_changed_in_the_database(walk: Walker) -> None:
    walk(
        services.register_case,
        actor=walk.p.head_user,
        on=D("2026-03-03"),
        by=[walk.p.o1, walk.p.o2],
    )
    step = walk(
        services.record_investigation,
        on=D("2026-03-04"),
        officers=[walk.p.o1, walk.p.o2],
        evidence=["on_site_record"],
        content={"facts": FACTS},
    )
    code, text = verify()
    assert code == 0, text
    data = dict(step.data)
    data["content"] = {"facts": "经查，当事人无违法行为。"}
    raw("UPDATE cases_casestep SET data=%s WHERE id=%s", [json.dumps(data), step.pk])
    assert_tampered("investigation")


def test_the_schema_names_every_declared_section() -> None:
    """The schema's ``step_content`` and the declarations agree: every section a step
    declares is in the schema, and the schema has no section nobody declares."""
    declared = {name for s in STEPS for name in s.content}
    in_schema = set(schema()["$defs"]["step_content"]["properties"])
    assert declared <= set(content.SECTIONS) == in_schema


def test_a_step_without_content_stores_no_content_key(walk: Walker) -> None:
    walk(
        services.register_case,
        actor=walk.p.head_user,
        on=D("2026-03-03"),
        by=[walk.p.o1, walk.p.o2],
    )
    step: CaseStep = walk(
        services.record_investigation,
        on=D("2026-03-04"),
        officers=[walk.p.o1, walk.p.o2],
        evidence=["on_site_record"],
        content={"facts": "  ", "evidence": []},
    )
    assert "content" not in step.data

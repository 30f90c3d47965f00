"""The annual evaluation (JL-evaluation): indicators equal to counts made here, the grade
with its consequences (an officer 不合格 two years running flagged in the registry and
the record; an organ 不合格 gets its rectification notice), scope, bad input, the
public pages."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from zhifa.cases.models import AuditItem, AuditItemKind, Case, CaseOfficer, CaseStep
from zhifa.core.testing import client_for, make_organ, make_user
from zhifa.evaluation import annual, grading
from zhifa.evaluation.models import AnnualGrade, Grade
from zhifa.party.models import ConductRating
from zhifa.records.models import Entry
from zhifa.registry import services as registry
from zhifa.registry.models import (
    CertificateStatus,
    Officer,
    OfficerFlag,
    OfficerFlagMeasure,
    OfficerFlagStatus,
)
from zhifa.rules.engine import evaluation_grades as rule

pytestmark = pytest.mark.django_db

YEAR = 2025


def _case(organ, actor, n, steps, investigator=None):
    case = Case.objects.create(
        organ=organ,
        case_id=f"{organ.pk}-{n}",
        registration_number=f"立{organ.pk}-{n}号",
        procedure="general",
        source="inspection",
        power="P-1",
        party_type="person",
        party_name="李某某",
        violation={},
        basis={},
        status="investigating",
    )
    for i, (step, on) in enumerate(steps):
        CaseStep.objects.create(case=case, index=i, step=step, on=on, actor=actor)
    if investigator is not None:
        CaseOfficer.objects.create(case=case, officer=investigator, ref="o1", role="investigator")
    return case


def _id_number(n: int) -> str:
    body = f"33040219900101{n:03d}"
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return body + "10X98765432"[sum(int(c) * w for c, w in zip(body, weights, strict=False)) % 11]


def _officer(organ, name, n):
    return Officer.objects.create(organ=organ, name=name, id_number=_id_number(n))


@pytest.fixture
def data(frozen_clock, today, organ_a, organ_b, officer_a, supervisor_city, justice_city, head_a):
    zhang = _officer(organ_a, "张三", 11)
    li = _officer(organ_a, "李四", 12)
    d = dt.date
    # organ_a: 4 cases registered in YEAR (2 by 张三), one the year before, decided ones.
    c1 = _case(
        organ_a,
        officer_a,
        1,
        [
            ("registered", d(YEAR, 2, 1)),
            ("decision", d(YEAR, 5, 1)),
            ("legal_review", d(YEAR, 4, 1)),
        ],
        zhang,
    )
    c2 = _case(
        organ_a,
        officer_a,
        2,
        [("registered", d(YEAR, 3, 1)), ("hearing", d(YEAR, 4, 2)), ("decision", d(YEAR, 6, 1))],
        zhang,
    )
    c3 = _case(organ_a, officer_a, 3, [("registered", d(YEAR, 7, 1))], li)
    _case(organ_a, officer_a, 4, [("registered", d(YEAR, 8, 1))])
    _case(organ_a, officer_a, 5, [("registered", d(YEAR - 1, 8, 1)), ("decision", d(YEAR, 1, 10))])
    _case(organ_b, officer_a, 6, [("registered", d(YEAR, 8, 1))])
    # Warnings now: c1 overdue (red), c3 a deadline due within the window? far ahead: none.
    AuditItem.objects.create(
        case=c1,
        kind=AuditItemKind.DEADLINE,
        rule="APL-60-decision",
        citation="x",
        start=d(YEAR, 2, 1),
        due=d(YEAR, 5, 1),
    )
    AuditItem.objects.create(
        case=c3, kind=AuditItemKind.FINDING, rule="APL-x", citation="x", severity="error"
    )
    AuditItem.objects.create(
        case=c2, kind=AuditItemKind.FINDING, rule="APL-y", citation="x", severity="warning"
    )
    registry.record_training(zhang, actor=supervisor_city, year=YEAR, hours=Decimal("12.5"))
    registry.record_training(li, actor=supervisor_city, year=YEAR, hours=Decimal("7.5"))
    registry.record_training(li, actor=supervisor_city, year=YEAR - 1, hours=Decimal("40"))
    registry.record_exam(
        zhang, actor=supervisor_city, taken_on=d(YEAR, 6, 1), name="执法规范化测试", passed=True
    )
    registry.record_exam(
        li, actor=supervisor_city, taken_on=d(YEAR, 6, 1), name="执法规范化测试", passed=False
    )
    ConductRating.objects.create(case=c1, organ=organ_a, score=5, rated_on=d(YEAR, 6, 2))
    ConductRating.objects.create(case=c2, organ=organ_a, score=2, rated_on=d(YEAR, 6, 3))
    return {"zhang": zhang, "li": li}


def test_indicators_equal_independent_counts(data, supervisor_city, organ_a, today):
    # Counted here, independently, from the fixture's rows.
    registered = set(
        CaseStep.objects.filter(case__organ=organ_a, step="registered", on__year=YEAR).values_list(
            "case_id", flat=True
        )
    )
    decided = set(
        CaseStep.objects.filter(case__organ=organ_a, step="decision", on__year=YEAR).values_list(
            "case_id", flat=True
        )
    )
    reviewed = decided & set(
        CaseStep.objects.filter(step="legal_review").values_list("case_id", flat=True)
    )
    heard = decided & set(CaseStep.objects.filter(step="hearing").values_list("case_id", flat=True))
    red = {
        c
        for c in registered
        if AuditItem.objects.filter(case_id=c).filter(kind="finding", severity="error").exists()
        or AuditItem.objects.filter(case_id=c, kind="deadline", due__lt=today).exists()
    }
    assert (len(registered), len(decided), len(reviewed), len(heard), len(red)) == (4, 3, 1, 1, 2)
    c = annual.organ_counts(supervisor_city, [organ_a], YEAR, today)[organ_a.pk]
    assert (c.cases, c.decided, c.reviewed, c.heard, c.red, c.warned) == (4, 3, 1, 1, 2, 2)
    assert c.officers == 2 and c.training == Decimal("20.0") and (c.exams, c.passed) == (2, 1)
    assert (c.ratings, c.satisfied) == (2, 1)
    shown = annual.values(c, rule.ORGAN)
    assert shown["cases_per_officer"].text == "2.0"
    assert shown["review_rate"].text == "33.3%（1/3）"
    assert shown["overdue_rate"].text == "50.0%（2/4）"
    assert shown["satisfaction"].text == "50.0%（1/2）"
    assert shown["timeliness"].text.startswith(annual.NO_DATA)
    officers = annual.officer_counts(supervisor_city, [organ_a], YEAR, today)
    z, li = officers[data["zhang"].pk], officers[data["li"].pk]
    assert (z.cases, z.decided, z.reviewed, z.heard, z.red) == (2, 2, 1, 1, 1)
    assert (li.cases, li.red, li.training, li.exams, li.passed) == (1, 1, Decimal("7.5"), 1, 0)
    assert annual.values(z, rule.OFFICER)["satisfaction"].text == rule.OFFICER_NOT_COUNTED.zh


def test_two_years_fail_flags_the_officer_in_registry_and_record(
    data, head_a, supervisor_city, today, frozen_clock
):
    zhang = data["zhang"]
    registry.issue_certificate(
        zhang,
        number="33040000001",
        issuing_authority="嘉兴市人民政府",
        valid_from=dt.date(2024, 1, 1),
        valid_to=dt.date(2029, 1, 1),
        actor=supervisor_city,
    )
    first = grading.record_grade(
        head_a, year=YEAR - 1, officer=zhang, grade=Grade.FAIL, assessment="案卷质量差", today=today
    )
    assert first.flag is None
    assert first.consequences == ["not_excellent_civil_service", "criticism_or_training"]
    second = grading.record_grade(
        head_a, year=YEAR, officer=zhang, grade=Grade.FAIL, assessment="仍不合格", today=today
    )
    assert "removal_or_cancellation" in second.consequences
    flag = OfficerFlag.objects.get(officer=zhang)
    assert second.flag == flag and flag.status == OfficerFlagStatus.OPEN and flag.year == YEAR
    assert "连续两年" in flag.reason and flag.rule == "JL-evaluation"
    entry = Entry.objects.get(action=registry.FLAG_ACTION)
    assert entry.organ_id == zhang.organ_id and json.loads(entry.payload)["officer"] == zhang.pk
    assert Entry.objects.filter(action=grading.GRADE_ACTION).count() == 2
    # The registry administrator carries it out: the certificate revoked, recorded.
    registry.carry_out_flag(
        flag,
        measure=OfficerFlagMeasure.CERTIFICATE_CANCELLED,
        effective_on=today,
        actor=supervisor_city,
    )
    flag.refresh_from_db()
    assert flag.status == OfficerFlagStatus.CARRIED_OUT
    assert zhang.certificates.get().status == CertificateStatus.REVOKED
    done = Entry.objects.get(action=registry.FLAG_CARRIED_OUT_ACTION)
    assert json.loads(done.payload)["certificates_revoked"] == ["33040000001"]
    assert Entry.objects.filter(action="certificate.revoke").exists()
    with pytest.raises(ValidationError) as exc:
        registry.carry_out_flag(
            flag,
            measure=OfficerFlagMeasure.REMOVED_FROM_POSTS,
            effective_on=today,
            actor=supervisor_city,
        )
    assert "measure" in exc.value.message_dict
    # Shown on the registry's officer page.
    page = client_for(supervisor_city).get(reverse("registry:officer_detail", args=[zhang.pk]))
    assert "连续两年" in page.content.decode()


def flagged_officer(organ, supervisor, today):
    """王强, an officer of ``organ`` made by the service (recorded), graded 不合格 two
    years running by a head of the organ: the officer and the flag that raised."""
    from zhifa.accounts.models import Role

    head = make_user(f"head_flag_{organ.pk}", Role.ORGAN_HEAD, organ=organ)
    wang = registry.save_officer(
        actor=supervisor, organ=organ, name="王强", id_number=_id_number(77)
    )
    for y in (YEAR - 1, YEAR):
        grading.record_grade(
            head, year=y, officer=wang, grade=Grade.FAIL, assessment="差", today=today
        )
    return wang, OfficerFlag.objects.get(officer=wang)


def test_records_verify_holds_an_officer_flag_to_its_entries(data, supervisor_city, organ_c, today):
    """The flag raised by two years' fail, and its carrying out, are compared with their
    entries (an organ without the fixture's cases, its officer made by the service): a
    flag marked carried out in the database (the officer left in his post) fails
    ``records verify`` naming the flag; the service's carrying out passes; its note
    changed afterwards fails."""
    from zhifa.records.tests.test_tamper_suite import run_verify

    _wang, flag = flagged_officer(organ_c, supervisor_city, today)
    organ = str(organ_c.pk)
    code, text = run_verify("--organ", organ)
    assert code == 0, text
    OfficerFlag.objects.filter(pk=flag.pk).update(status=OfficerFlagStatus.CARRIED_OUT)
    code, text = run_verify("--organ", organ)
    assert code == 1 and "officer flag" in text and "status" in text, text
    OfficerFlag.objects.filter(pk=flag.pk).update(status=OfficerFlagStatus.OPEN)
    assert run_verify("--organ", organ)[0] == 0
    registry.carry_out_flag(
        flag,
        measure=OfficerFlagMeasure.REMOVED_FROM_POSTS,
        effective_on=today,
        note="调离",
        actor=supervisor_city,
    )
    code, text = run_verify("--organ", organ)
    assert code == 0, text
    OfficerFlag.objects.filter(pk=flag.pk).update(note="未调离")
    code, text = run_verify("--organ", organ)
    assert code == 1 and "officer flag" in text and "note" in text, text


def test_removal_from_posts(data, head_a, supervisor_city, today):
    li = data["li"]
    for y in (YEAR - 1, YEAR):
        grading.record_grade(
            head_a, year=y, officer=li, grade=Grade.FAIL, assessment="差", today=today
        )
    flag = OfficerFlag.objects.get(officer=li)
    response = client_for(supervisor_city).post(
        reverse("registry:officer_flag", args=[flag.pk]),
        {"measure": "removed_from_posts", "effective_on": today.isoformat(), "note": "调离"},
    )
    assert response.status_code == 302
    li.refresh_from_db()
    assert not li.active
    assert Entry.objects.filter(action="officer.update", object_id=str(li.pk)).exists()


def test_one_year_fail_is_not_flagged_and_pass_breaks_the_run(data, head_a, today):
    zhang = data["zhang"]
    grading.record_grade(
        head_a, year=YEAR - 1, officer=zhang, grade=Grade.FAIL, assessment="差", today=today
    )
    grading.record_grade(
        head_a, year=YEAR, officer=zhang, grade=Grade.PASS, assessment="好", today=today
    )
    assert not OfficerFlag.objects.exists()


def test_organ_fail_gets_a_rectification_notice(data, supervisor_city, organ_a, today):
    row = grading.record_grade(
        supervisor_city,
        year=YEAR,
        organ=organ_a,
        grade=Grade.FAIL,
        assessment="超期多",
        rectification="限期整改超期案件",
        deadline=today + dt.timedelta(days=30),
        today=today,
    )
    assert row.notice is not None and row.notice.organ_id == organ_a.pk
    assert row.consequences == ["rectify_within_deadline"]
    assert row.indicators["cases"]["text"] == "4"


def test_bad_input_names_the_field(data, supervisor_city, organ_a, head_a, today):
    cases = [
        ({"year": YEAR, "grade": "great", "assessment": "x"}, "grade"),
        ({"year": 1800, "grade": Grade.PASS, "assessment": "x"}, "year"),
        ({"year": YEAR, "grade": Grade.PASS, "assessment": "  "}, "assessment"),
        ({"year": YEAR, "grade": Grade.FAIL, "assessment": "x"}, "rectification"),
    ]
    for kwargs, field in cases:
        with pytest.raises(ValidationError) as exc:
            grading.record_grade(supervisor_city, organ=organ_a, today=today, **kwargs)
        assert field in exc.value.message_dict
    assert not AnnualGrade.objects.exists()
    grading.record_grade(
        supervisor_city, year=YEAR, organ=organ_a, grade=Grade.PASS, assessment="好", today=today
    )
    with pytest.raises(ValidationError) as exc:
        grading.record_grade(
            supervisor_city,
            year=YEAR,
            organ=organ_a,
            grade=Grade.PASS,
            assessment="好",
            today=today,
        )
    assert "grade" in exc.value.message_dict
    for bad in ("abc", "²⁰²⁶", "２０２６"):  # digits int() refuses or a full-width year
        response = client_for(supervisor_city).get(reverse("evaluation:annual") + f"?year={bad}")
        assert response.status_code == 400, bad


def test_scope(data, supervisor_city, organ_a, organ_b, organ_c, head_a, regions, today):
    zhang = data["zhang"]
    head_b = make_user("head_b", "organ_head", organ=organ_b)
    make_organ("海盐县司法局", regions["330424"], short_name="盐司", is_justice_bureau=True)
    sup_c = make_user("sup_c", "supervisor", region=regions["330424"])
    # Organs: graded by the region's supervisor only; officers by their organ's head only.
    with pytest.raises(PermissionDenied):
        grading.record_grade(
            head_a, year=YEAR, organ=organ_a, grade=Grade.PASS, assessment="x", today=today
        )
    with pytest.raises(PermissionDenied):
        grading.record_grade(
            sup_c, year=YEAR, organ=organ_a, grade=Grade.PASS, assessment="x", today=today
        )
    with pytest.raises(PermissionDenied):
        grading.record_grade(
            head_b, year=YEAR, officer=zhang, grade=Grade.PASS, assessment="x", today=today
        )
    with pytest.raises(PermissionDenied):
        grading.record_grade(
            supervisor_city, year=YEAR, officer=zhang, grade=Grade.PASS, assessment="x", today=today
        )
    url = reverse("evaluation:annual_grade", args=[YEAR, "organ", organ_a.pk])
    assert (
        client_for(sup_c)
        .post(url, {f"organ-{organ_a.pk}-grade": "pass", f"organ-{organ_a.pk}-assessment": "x"})
        .status_code
        == 404
    )
    officer_url = reverse("evaluation:annual_grade", args=[YEAR, "officer", zhang.pk])
    assert client_for(head_b).post(officer_url, {}).status_code == 404
    grading.record_grade(
        supervisor_city,
        year=YEAR,
        organ=organ_a,
        grade=Grade.EXCELLENT,
        assessment="优",
        today=today,
    )
    page_b = client_for(head_b).get(reverse("evaluation:annual") + f"?year={YEAR}").content.decode()
    assert organ_a.name not in page_b and "张三" not in page_b
    page_c = client_for(sup_c).get(reverse("evaluation:annual") + f"?year={YEAR}").content.decode()
    assert organ_a.name not in page_c
    page_a = client_for(head_a).get(reverse("evaluation:annual") + f"?year={YEAR}").content.decode()
    assert organ_a.name in page_a and "张三" in page_a and organ_b.name not in page_a
    officer = make_user("off_x", "officer", organ=organ_a)
    assert client_for(officer).get(reverse("evaluation:annual")).status_code == 403


def test_pages_grade_publish_and_portal(data, supervisor_city, head_a, organ_a, today):
    zhang = data["zhang"]
    client = client_for(supervisor_city)
    response = client.post(
        reverse("evaluation:annual_grade", args=[YEAR, "organ", organ_a.pk]),
        {f"organ-{organ_a.pk}-grade": "fail", f"organ-{organ_a.pk}-assessment": "差"},
    )
    assert response.status_code == 400 and "rectification" in response.content.decode()
    response = client.post(
        reverse("evaluation:annual_grade", args=[YEAR, "organ", organ_a.pk]),
        {f"organ-{organ_a.pk}-grade": "pass", f"organ-{organ_a.pk}-assessment": "总体合格"},
    )
    assert response.status_code == 302
    client_for(head_a).post(
        reverse("evaluation:annual_grade", args=[YEAR, "officer", zhang.pk]),
        {f"officer-{zhang.pk}-grade": "fail", f"officer-{zhang.pk}-assessment": "不合格"},
    )
    page = client_for(head_a).get(reverse("evaluation:annual") + f"?year={YEAR}").content.decode()
    assert rule.NOT_EXCELLENT_CIVIL_SERVICE.text.zh in page
    public = Client().get(reverse("evaluation:public_year", args=[YEAR])).content.decode()
    assert organ_a.name not in public
    assert client.post(reverse("evaluation:annual_publish", args=[YEAR])).status_code == 302
    public = Client().get(reverse("evaluation:public_year", args=[YEAR])).content.decode()
    assert organ_a.name in public and "张某" in public and "张三" not in public
    formulas = Client().get(reverse("evaluation:indicators")).content.decode()
    assert "人均办案数" in formulas and "调离执法岗位" in formulas


def test_records_verify_holds_the_grades_to_their_entries(data, supervisor_city, organ_c, today):
    """A grade is compared with its entry in the organ's chain (an organ without the
    fixture's cases, made straight in the database): the service's grade passes; a
    grade changed in the database fails, naming it; a grade row written without its
    entry fails."""
    from zhifa.records.tests.test_tamper_suite import run_verify

    grading.record_grade(
        supervisor_city, year=YEAR, organ=organ_c, grade=Grade.PASS, assessment="好", today=today
    )
    row = AnnualGrade.objects.get(organ=organ_c)
    code, text = run_verify("--organ", str(organ_c.pk))
    assert code == 0, text
    AnnualGrade.objects.filter(pk=row.pk).update(grade=Grade.EXCELLENT)
    code, text = run_verify("--organ", str(organ_c.pk))
    assert code == 1 and "annual grade" in text, text
    AnnualGrade.objects.filter(pk=row.pk).update(grade=Grade.PASS)
    assert run_verify("--organ", str(organ_c.pk))[0] == 0
    forged = AnnualGrade.objects.get(pk=row.pk)
    forged.pk = None
    forged.year = YEAR - 1
    forged.save()
    code, text = run_verify("--organ", str(organ_c.pk))
    assert code == 1, text

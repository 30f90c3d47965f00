"""Transfer of a case (移送, APL Art. 27): to the judicial organs on suspicion of a crime,
to another organ of the registry, the receiver's reply, and the refusals that write
nothing (docs/adr/0007-transfer-and-decision-change.md)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.http import Http404

from zhifa.accounts.models import Role
from zhifa.cases import services
from zhifa.cases.models import Case, CaseStatus, Transfer
from zhifa.cases.policy import can_transfer, load_state, next_steps
from zhifa.catalogue.models import PowerItem
from zhifa.core.scope import get_scoped_or_404, scoped
from zhifa.core.testing import make_organ, make_user
from zhifa.records.models import Entry
from zhifa.registry.models import EnforcementSubject, Region
from zhifa.rules.calendar_db import database_calendar
from zhifa.rules.engine import audit

from .conftest import BASIS, BENCHMARK, PARTY, VIOLATION, D, People, Walker, counts


def _registered(walk: Walker) -> None:
    walk(
        services.register_case,
        actor=walk.p.head_user,
        on=D("2026-03-03"),
        by=[walk.p.o1, walk.p.o2],
    )
    walk.investigate()


def _transfer(walk: Walker, **kw: Any) -> Transfer:
    kw.setdefault("actor", walk.p.head_user)
    kw.setdefault("on", D("2026-03-05"))
    kw.setdefault("kind", "judicial")
    kw.setdefault("reason", "涉嫌生产、销售不符合安全标准的食品罪")
    kw.setdefault("approved_by", walk.p.head)
    if "to_organ" not in kw:
        kw.setdefault("receiver_name", "嘉兴市公安局")
    transfer: Transfer = walk(services.transfer_case, **kw)
    return transfer


def _written() -> tuple[int, ...]:
    return (*counts(), Transfer.objects.count())


def _rule_ids(case: Case, day: str) -> set[str]:
    result = audit(services.case_file(case, D(day)), D(day), database_calendar())
    return {f.rule for f in result.findings}


@pytest.fixture
def criminal_walk(organ_a: EnforcementSubject, power_item: PowerItem, people: People) -> Walker:
    case = services.open_case(
        organ_a,
        actor=people.officer_user,
        on=D("2026-03-02"),
        procedure="general",
        power_item=power_item,
        party=PARTY,
        violation={**VIOLATION, "criminal_suspected": True},
        basis=BASIS,
        benchmark=BENCHMARK,
    )
    return Walker(case, people)


def test_a_suspected_crime_transferred_to_the_judicial_organs(criminal_walk: Walker) -> None:
    walk = criminal_walk
    case = walk.case
    _registered(walk)
    assert "APL-27-transfer" in _rule_ids(case, "2026-03-05")
    assert (
        can_transfer(load_state(case), walk.p.head_user) is None
        and can_transfer(load_state(case), walk.p.officer_user) is not None
    )

    transfer = _transfer(walk)

    step = case.steps.get(step="decision")
    assert step.data == {"outcome": "transfer", "approved_by": f"O{walk.p.head.pk}"}
    assert transfer.letter_number == step.document_number == "嘉市监移〔2026〕1号"
    assert "APL-27-transfer" not in [w["rule"] for w in step.warnings]
    assert "APL-27-transfer" not in _rule_ids(case, "2026-03-06")
    case.refresh_from_db()
    assert case.status == CaseStatus.TRANSFERRED
    assert (transfer.kind, transfer.receiver, transfer.result) == (
        "judicial",
        "嘉兴市公安局",
        "pending",
    )
    entry = Entry.objects.filter(action="case.transfer").get()
    assert entry.organ_id == case.organ_id and entry.object_id == str(case.pk)
    assert '"letter_number":"嘉市监移〔2026〕1号"' in entry.payload
    assert '"receiver":"嘉兴市公安局"' in entry.payload
    assert Entry.objects.filter(action="case.decision").count() == 1
    # Waiting for the written reply: nothing offered, no second transfer.
    assert next_steps(case, walk.p.head_user) == []
    assert can_transfer(load_state(case), walk.p.head_user) is not None

    # The public security organ is not in the registry: the officer records its reply.
    services.record_transfer_result(
        transfer,
        actor=walk.p.officer_user,
        on=D("2026-03-12"),
        result="accepted",
        note="已立案侦查",
    )
    transfer.refresh_from_db()
    assert (transfer.result, transfer.result_on) == ("accepted", D("2026-03-12"))
    assert transfer.result_actor == walk.p.officer_user
    case.refresh_from_db()
    assert case.status == CaseStatus.TRANSFERRED
    assert Entry.objects.filter(action="case.transfer_result", organ=case.organ).count() == 1
    assert next_steps(case, walk.p.head_user) == ["closed"]
    walk(services.close_case, actor=walk.p.head_user, on=D("2026-03-13"), approved_by=walk.p.head)
    case.refresh_from_db()
    assert case.status == CaseStatus.CLOSED
    call_command("records", "verify")  # exits 1 (SystemExit) when a chain is broken


def test_a_transfer_to_an_organ_of_the_registry_is_seen_by_it_not_its_case(
    walk: Walker, organ_b: EnforcementSubject, organ_c: EnforcementSubject, officer_b: Any
) -> None:
    case = walk.case
    _registered(walk)
    transfer = _transfer(walk, kind="organ", to_organ=organ_b, reason="违法行为发生地在嘉善县")
    assert transfer.receiver == organ_b.name and transfer.receiver_name == ""

    assert list(services.incoming_transfers(organ_b)) == [transfer]
    assert list(services.incoming_transfers(organ_c)) == []
    # The receiving organ does not see the case itself: cases stay with their organ.
    assert not scoped(officer_b, Case.objects.all()).filter(pk=case.pk).exists()
    with pytest.raises(Http404):
        get_scoped_or_404(officer_b, Case.objects.all(), pk=case.pk)
    with pytest.raises(PermissionDenied):
        services.transferred_case_document(transfer, user=officer_b)

    # An organ that is neither sender nor receiver cannot reply; nothing is written.
    officer_c = make_user("officer_c", Role.OFFICER, organ=organ_c, full_name="赵六")
    before = _written()
    with pytest.raises(PermissionDenied):
        services.record_transfer_result(
            transfer, actor=officer_c, on=D("2026-03-09"), result="accepted"
        )
    assert _written() == before

    # The receiving organ gives its reply itself: recorded in both organs' records.
    services.record_transfer_result(
        transfer, actor=officer_b, on=D("2026-03-09"), result="accepted", note="已接收"
    )
    in_a = Entry.objects.get(action="case.transfer_result")
    in_b = Entry.objects.get(action="transfer.result")
    assert in_a.organ_id == case.organ_id and in_b.organ_id == organ_b.pk
    assert '"by_receiver":true' in in_a.payload
    document = services.transferred_case_document(transfer, user=officer_b)
    assert document["case_id"] == case.case_id
    # Accepting gives the file, not access to the live case.
    assert not scoped(officer_b, Case.objects.all()).filter(pk=case.pk).exists()
    with pytest.raises(PermissionDenied):
        services.transferred_case_document(transfer, user=officer_c)
    call_command("records", "verify")


def test_a_rejected_transfer_gives_the_case_back(walk: Walker) -> None:
    case = walk.case
    _registered(walk)
    transfer = _transfer(walk)

    before = _written()
    with pytest.raises(ValidationError) as refused:
        services.record_transfer_result(
            transfer, actor=walk.p.officer_user, on=D("2026-03-10"), result="rejected"
        )
    assert "note" in refused.value.message_dict
    assert _written() == before

    services.record_transfer_result(
        transfer,
        actor=walk.p.officer_user,
        on=D("2026-03-10"),
        result="rejected",
        note="不构成犯罪，不予立案",
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.INVESTIGATING
    assert load_state(case).decision is None
    offered = next_steps(case, walk.p.officer_user)
    assert "prior_notice" in offered and "closed" not in offered
    assert can_transfer(load_state(case), walk.p.head_user) is None

    # A second reply is refused.
    with pytest.raises(ValidationError) as again:
        services.record_transfer_result(
            transfer, actor=walk.p.officer_user, on=D("2026-03-11"), result="accepted"
        )
    assert again.value.code == "answered"

    # The organ continues the case to its own decision.
    walk.notify()
    walk(services.record_statement, on=D("2026-03-18"))
    walk.review()
    walk(services.record_collective_discussion, actor=walk.p.head_user, on=D("2026-03-26"))
    decision = walk.decide()
    assert decision.document_number == "嘉市监罚〔2026〕1号"
    case.refresh_from_db()
    assert case.status == CaseStatus.DECIDED
    assert load_state(case).decision == decision
    call_command("records", "verify")


def test_an_officer_cannot_transfer_and_nothing_is_written(walk: Walker) -> None:
    _registered(walk)
    before = _written()
    with pytest.raises(PermissionDenied):
        _transfer(walk, actor=walk.p.officer_user)
    with pytest.raises(PermissionDenied):
        _transfer(walk, actor=walk.p.reviewer_user)
    assert _written() == before


def test_an_organ_head_of_another_organ_cannot_transfer(
    walk: Walker, organ_b: EnforcementSubject
) -> None:
    _registered(walk)
    head_b = make_user("head_b", Role.ORGAN_HEAD, organ=organ_b, full_name="孙强")
    before = _written()
    with pytest.raises(PermissionDenied):
        _transfer(walk, actor=head_b)
    assert _written() == before


def test_a_closed_case_is_not_transferred(walk: Walker) -> None:
    walk.until_review()
    walk.decide()  # an undecided case is not closed (the order of the procedure)
    walk.close("2026-03-28")
    before = _written()
    with pytest.raises(ValidationError) as refused:
        _transfer(walk, on=D("2026-03-29"))
    assert refused.value.code == "closed"
    assert _written() == before


def test_a_decided_case_is_not_transferred(walk: Walker) -> None:
    walk.until_review()
    walk.decide()
    before = _written()
    with pytest.raises(ValidationError) as refused:
        _transfer(walk, on=D("2026-03-28"))
    assert refused.value.code == "decided"
    assert _written() == before
    assert can_transfer(load_state(walk.case), walk.p.head_user) is not None


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"kind": "court"}, "kind"),
        ({"reason": "  "}, "reason"),
        ({"receiver_name": ""}, "receiver_name"),
        ({"kind": "organ", "receiver_name": "嘉善县市场监督管理局"}, "to_organ"),
    ],
)
def test_bad_transfer_input_names_the_field(
    walk: Walker, organ_b: EnforcementSubject, kw: dict[str, Any], field: str
) -> None:
    _registered(walk)
    before = _written()
    with pytest.raises(ValidationError) as refused:
        _transfer(walk, **kw)
    assert field in refused.value.message_dict
    assert _written() == before


def test_a_case_is_not_transferred_to_its_own_organ_or_a_non_subject(
    walk: Walker, regions: dict[str, Region]
) -> None:
    _registered(walk)
    unit = make_organ(
        "嘉兴市市场监督管理局稽查支队",
        regions["330400"],
        short_name="嘉稽",
        subject_type="internal_unit",
        parent=walk.case.organ,
    )
    before = _written()
    for organ in (walk.case.organ, unit):
        with pytest.raises(ValidationError) as refused:
            _transfer(walk, kind="organ", to_organ=organ)
        assert "to_organ" in refused.value.message_dict
    with pytest.raises(ValidationError) as both:
        _transfer(walk, kind="organ", to_organ=unit, receiver_name="某局")
    assert "receiver_name" in both.value.message_dict
    assert _written() == before


def test_a_summary_case_is_not_transferred(
    organ_a: EnforcementSubject, power_item: PowerItem, people: People
) -> None:
    case = services.open_case(
        organ_a,
        actor=people.officer_user,
        on=D("2026-03-02"),
        procedure="summary",
        power_item=power_item,
        party=PARTY,
        violation=VIOLATION,
        basis=BASIS,
    )
    before = _written()
    with pytest.raises(ValidationError) as refused:
        _transfer(Walker(case, people))
    assert refused.value.code == "summary"
    assert _written() == before


def test_a_reply_is_not_dated_before_the_letter(walk: Walker) -> None:
    _registered(walk)
    transfer = _transfer(walk)
    before = _written()
    with pytest.raises(ValidationError) as refused:
        services.record_transfer_result(
            transfer, actor=walk.p.officer_user, on=D("2026-03-04"), result="accepted"
        )
    assert "on" in refused.value.message_dict
    with pytest.raises(ValidationError) as bad:
        services.record_transfer_result(
            transfer, actor=walk.p.officer_user, on=D("2026-03-06"), result="lost"
        )
    assert "result" in bad.value.message_dict
    with pytest.raises(PermissionDenied):
        services.record_transfer_result(
            transfer, actor=walk.p.reviewer_user, on=D("2026-03-06"), result="accepted"
        )
    assert _written() == before

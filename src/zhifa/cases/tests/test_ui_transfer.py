"""The transfer and decision-change pages (docs/adr/0007-transfer-and-decision-change.md):
the organ head transfers through the form, an officer is refused, the reply is recorded,
the receiving organ sees its incoming transfers (and the case file once accepted), a
third organ sees nothing; the decision changed and the disclosure withdrawn through the
step forms."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from zhifa.accounts.models import Role
from zhifa.cases import services
from zhifa.cases.models import CaseStatus, Transfer
from zhifa.core.testing import client_for, make_user
from zhifa.registry.models import EnforcementSubject

from .conftest import D, Walker, counts

pytestmark = pytest.mark.django_db


def _registered(walk: Walker) -> None:
    walk(
        services.register_case,
        actor=walk.p.head_user,
        on=D("2026-03-03"),
        by=[walk.p.o1, walk.p.o2],
    )
    walk.investigate()


def _transfer_post(walk: Walker, **kw: Any) -> dict[str, Any]:
    data = {
        "on": "2026-03-05",
        "expected_steps": walk.n,
        "kind": "organ",
        "to_organ": "",
        "receiver_name": "",
        "reason": "违法行为发生地在嘉善县，依法由嘉善县市场监督管理局管辖",
    }
    data.update(kw)
    return data


def test_the_head_transfers_to_another_organ_which_replies_and_gets_the_file(
    walk: Walker, organ_b: EnforcementSubject, organ_c: EnforcementSubject, officer_b: Any
) -> None:
    case = walk.case
    _registered(walk)
    url = reverse("cases:transfer", args=[case.pk])
    head = client_for(walk.p.head_user)
    page = head.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert url in page
    # The officer sees no transfer link and is refused the form (403); nothing written.
    officer = client_for(walk.p.officer_user)
    assert url not in officer.get(reverse("cases:detail", args=[case.pk])).content.decode()
    before = (*counts(), Transfer.objects.count())
    assert officer.get(url).status_code == 403
    assert officer.post(url, _transfer_post(walk, to_organ=organ_b.pk)).status_code == 403
    # Bad input names the field and writes nothing.
    response = head.post(url, _transfer_post(walk, reason=""))
    assert response.status_code == 400 and "reason" in response.context["form"].errors
    response = head.post(url, _transfer_post(walk))
    assert response.status_code == 400 and "receiver_name" in response.context["form"].errors
    assert (*counts(), Transfer.objects.count()) == before

    response = head.post(url, _transfer_post(walk, to_organ=organ_b.pk))
    assert response.status_code == 302
    transfer = Transfer.objects.get()
    assert (transfer.to_organ, transfer.kind, transfer.actor) == (
        organ_b,
        "organ",
        walk.p.head_user,
    )
    case.refresh_from_db()
    assert case.status == CaseStatus.TRANSFERRED
    page = head.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert transfer.letter_number in page and organ_b.name in page
    reply_url = reverse("cases:transfer_reply", args=[transfer.pk])
    assert reply_url in page and url not in page  # no second transfer

    # The receiving organ sees the transfer, not the case; no file before acceptance.
    receiver = client_for(officer_b)
    assert reverse("cases:incoming") in receiver.get(reverse("cases:list")).content.decode()
    incoming = receiver.get(reverse("cases:incoming")).content.decode()
    assert transfer.letter_number in incoming and case.party_name in incoming
    assert receiver.get(reverse("cases:detail", args=[case.pk])).status_code == 404
    document_url = reverse("cases:transfer_document", args=[transfer.pk])
    assert receiver.get(document_url).status_code == 404

    # A third organ: an empty incoming page and 404 for the reply and the file.
    officer_c = make_user("officer_c", Role.OFFICER, organ=organ_c, full_name="赵六")
    third = client_for(officer_c)
    assert transfer.letter_number not in third.get(reverse("cases:incoming")).content.decode()
    assert third.get(reply_url).status_code == 404
    assert third.post(reply_url, {"on": "2026-03-09", "result": "accepted"}).status_code == 404
    assert third.get(document_url).status_code == 404

    # Rejection needs the receiver's reason.
    response = receiver.post(reply_url, {"on": "2026-03-09", "result": "rejected", "note": ""})
    assert response.status_code == 400 and "note" in response.context["form"].errors
    response = receiver.post(
        reply_url, {"on": "2026-03-09", "result": "accepted", "note": "已接收"}
    )
    assert response.status_code == 302 and response["Location"] == reverse("cases:incoming")
    transfer.refresh_from_db()
    assert (transfer.result, transfer.result_actor) == ("accepted", officer_b)
    assert receiver.get(reply_url).status_code == 404  # answered once
    document = receiver.get(document_url)
    assert document.status_code == 200 and document.json()["case_id"] == case.case_id
    assert third.get(document_url).status_code == 404
    page = head.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "已接收" in page


def test_a_transfer_to_the_judicial_organs_and_the_reply_recorded_by_the_sender(
    walk: Walker,
) -> None:
    case = walk.case
    _registered(walk)
    head = client_for(walk.p.head_user)
    response = head.post(
        reverse("cases:transfer", args=[case.pk]),
        _transfer_post(
            walk, kind="judicial", receiver_name="嘉兴市公安局", reason="涉嫌生产、销售伪劣产品罪"
        ),
    )
    assert response.status_code == 302
    transfer = Transfer.objects.get()
    assert (transfer.kind, transfer.receiver_name, transfer.to_organ) == (
        "judicial",
        "嘉兴市公安局",
        None,
    )
    officer = client_for(walk.p.officer_user)
    reply_url = reverse("cases:transfer_reply", args=[transfer.pk])
    response = officer.post(reply_url, {"on": "2026-03-04", "result": "accepted"})
    assert response.status_code == 400 and "on" in response.context["form"].errors
    response = officer.post(
        reply_url, {"on": "2026-03-12", "result": "returned", "note": "不构成犯罪，退回处理"}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.INVESTIGATING
    page = officer.get(reverse("cases:detail", args=[case.pk])).content.decode()
    assert "不构成犯罪，退回处理" in page
    # A legal reviewer is refused the transfer form.
    assert (
        client_for(walk.p.reviewer_user).get(reverse("cases:transfer", args=[case.pk])).status_code
        == 403
    )


def test_the_head_changes_the_decision_and_the_publication_is_withdrawn(walk: Walker) -> None:
    walk.until_review()
    walk.decide()
    walk(services.serve_decision, on=D("2026-03-30"))
    walk(services.publish_decision, actor=walk.p.head_user, on=D("2026-04-01"))
    case = walk.case
    change_url = reverse("cases:step", args=[case.pk, "decision_changed"])
    head = client_for(walk.p.head_user)
    assert change_url in head.get(reverse("cases:detail", args=[case.pk])).content.decode()
    officer = client_for(walk.p.officer_user)
    assert officer.get(change_url).status_code == 403
    response = head.post(
        change_url, {"on": "2026-04-13", "expected_steps": walk.n, "how": "revoked", "reason": ""}
    )
    assert response.status_code == 400 and "reason" in response.context["form"].errors
    response = head.post(
        change_url,
        {
            "on": "2026-04-13",
            "expected_steps": walk.n,
            "how": "revoked",
            "reason": "经行政复议，撤销原处罚决定",
        },
    )
    assert response.status_code == 302
    changed = case.steps.get(step="decision_changed")
    assert changed.data == {"how": "revoked", "reason": "经行政复议，撤销原处罚决定"}

    # The platform withdraws the publication (zhifa.disclosure, APL-48): no tick-box.
    withdraw_url = reverse("cases:step", args=[case.pk, "disclosure_withdrawn"])
    assert withdraw_url not in officer.get(reverse("cases:detail", args=[case.pk])).content.decode()
    from zhifa.disclosure.models import Publication
    from zhifa.disclosure.services import withdraw

    withdraw(Publication.objects.get(case=case), on=D("2026-04-15"))
    assert case.steps.get(step="disclosure_withdrawn").data == {"reason_published": True}

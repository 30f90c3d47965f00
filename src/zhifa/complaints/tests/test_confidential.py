"""COMPLAINT-confidential: the officer named in a complaint, a user of the organ
complained about and another organ try every complaints page and API endpoint, the
filing's record (timeline, entry lists, API, ZIP export); nothing of the filer leaks and
they see nothing of the filing. The receiving unit's staff not assigned to the filing —
an officer, and the head who assigned others — try the same: they see the filing, never
its filer (identity, contact, the record's digest of them, the names of the files sent).
The assigned staff and the supervisor of the region do see the filer."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from zhifa.accounts.models import Role
from zhifa.complaints import services
from zhifa.complaints.models import Complaint
from zhifa.complaints.policy import filer_words
from zhifa.core.testing import client_for, make_user
from zhifa.records.export import verify_export

from .conftest import FILER_CONTACT, FILER_NAME, assign, file_conduct, file_report

pytestmark = pytest.mark.django_db

#: The name of the file the filer sent: it names the filer.
ATTACHMENT_NAME = f"{FILER_NAME}身份证.png"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
SECRETS = (FILER_NAME, FILER_CONTACT, services.filer_digest(FILER_NAME, FILER_CONTACT))
#: A valid body for each desk action (so the answer is about who asks, not the body).
BODIES = {
    "accept": {"note": "x"},
    "reject": {"reasons": "x"},
    "progress": {"text": "x"},
    "close": {"result": "x"},
    "review": {"decision": "reopen", "note": "x"},
    "assign": {"assignee_ids": [10**9]},  # valid, naming nobody: assigns no one
}


def _pages(pk: int) -> list[tuple[str, str]]:
    timeline = f"/records/timeline/complaints.complaint/{pk}/"
    gets = [
        reverse("complaints:desk"),
        reverse("complaints:desk") + "?mine=1",
        reverse("complaints:detail", args=[pk]),
        reverse("complaints:enter_case", args=[pk]),
        reverse("cases:list"),
        "/api/v1/complaints",
        "/api/v1/complaints?assigned_to_me=true",
        f"/api/v1/complaints/{pk}",
        timeline,
        timeline + "export.zip",
        "/records/entries/",
        "/api/v1/records/entries",
        f"/api/v1/records/objects/complaints.complaint/{pk}/entries",
    ]
    posts = [
        reverse("complaints:act", args=[pk, a])
        for a in ("accept", "reject", "progress", "close", "review")
    ]
    posts += [reverse("complaints:enter_case", args=[pk])]
    posts += [reverse("complaints:reassign", args=[pk])]
    posts += [reverse("complaints:assign", args=[pk])]
    posts += [
        f"/api/v1/complaints/{pk}/{a}"
        for a in ("accept", "reject", "progress", "close", "review", "assign")
    ]
    return [("get", u) for u in gets] + [("post", u) for u in posts]


def _is_list(url: str) -> bool:
    """A list: it answers (without the filing) whoever may open it."""
    lists = {reverse("complaints:desk"), "/api/v1/complaints", "/api/v1/records/entries"}
    return url.split("?")[0] in lists or url.startswith("/api/v1/records/objects/")


def _try_everything(client: Client, pk: int) -> list[tuple[str, int, bytes]]:
    seen = []
    for method, url in _pages(pk):
        if method == "get":
            response = client.get(url)
        elif url.startswith("/api/"):
            body = BODIES[url.rsplit("/", 1)[1]]
            response = client.post(url, json.dumps(body), content_type="application/json")
        else:
            response = client.post(
                url, {"note": "x", "reasons": "x", "text": "x", "result": "x", "decision": "reopen"}
            )
        seen.append((url, response.status_code, _content(response)))
    return seen


def _content(response: Any) -> bytes:
    """The body; of a ZIP export, every member's (the manifest is deflated)."""
    if not getattr(response, "streaming", False):
        return bytes(response.content)
    body = b"".join(response.streaming_content)
    if response.get("Content-Type") == "application/zip":
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            return b"".join(archive.read(n) for n in archive.namelist())
    return body


@pytest.fixture
def conduct(units: None, officer_c_record: Any, today: Any) -> Any:
    return file_conduct(officer_c_record).complaint


def test_the_officer_complained_about_sees_nothing(conduct: Any, officer_c: Any) -> None:
    for url, status, content in _try_everything(client_for(officer_c), conduct.pk):
        for secret in SECRETS:
            assert secret.encode() not in content, url
        assert conduct.number.encode() not in content, url
        if "complaints" in url and not _is_list(url):
            assert status in (403, 404), (url, status)
    assert services.find_by_code(conduct.number, "x") is None


def test_the_organ_complained_about_sees_nothing(conduct: Any, head_c: Any) -> None:
    for url, _status, content in _try_everything(client_for(head_c), conduct.pk):
        for secret in SECRETS:
            assert secret.encode() not in content, url
        assert conduct.number.encode() not in content, url


def test_another_organ_and_a_legal_reviewer_see_nothing(
    conduct: Any, officer_a: Any, officer_b: Any, reviewer_a: Any
) -> None:
    """Another organ, and a legal reviewer (not handling staff), see nothing either."""
    for user in (officer_a, officer_b, reviewer_a):
        for url, _status, content in _try_everything(client_for(user), conduct.pk):
            for secret in SECRETS:
                assert secret.encode() not in content, (user, url)
            assert conduct.number.encode() not in content, (user, url)


def test_another_organ_sees_nothing_of_a_report(
    units: None, officer_b: Any, officer_c: Any, today: Any
) -> None:
    report = file_report().complaint
    for user in (officer_b, officer_c):
        for url, status, content in _try_everything(client_for(user), report.pk):
            assert report.number.encode() not in content, url
            for secret in SECRETS:
                assert secret.encode() not in content, url
            if "complaints" in url and not _is_list(url):
                assert status in (403, 404), (url, status)


def test_the_handling_staff_and_the_supervisor_see_the_filer(
    units: None, officer_a: Any, supervisor_city: Any, supervisor_county_c: Any, conduct: Any
) -> None:
    report = file_report().complaint
    assign(report, officer_a)
    for user, pk in (
        (officer_a, report.pk),
        (supervisor_city, report.pk),
        (supervisor_city, conduct.pk),
        (supervisor_county_c, conduct.pk),
    ):
        client = client_for(user)
        page = client.get(reverse("complaints:detail", args=[pk]))
        assert page.status_code == 200
        assert FILER_NAME in page.content.decode()
        api = client.get(f"/api/v1/complaints/{pk}")
        assert api.status_code == 200 and api.json()["filer_contact"] == FILER_CONTACT
    # The county supervisor of 海盐 does not supervise a report filed in the city.
    assert (
        client_for(supervisor_county_c)
        .get(reverse("complaints:detail", args=[report.pk]))
        .status_code
        == 404
    )


def test_the_public_pages_show_no_filer_data(units: None, today: Any) -> None:
    filed = file_report()
    client = Client()
    response = client.post(
        reverse("complaints:follow"), {"number": filed.complaint.number, "code": filed.access_code}
    )
    assert response.status_code == 200
    for secret in SECRETS:
        assert secret not in response.content.decode()
    api = client.post(
        "/api/v1/public/complaints/lookup",
        json.dumps({"number": filed.complaint.number, "code": filed.access_code}),
        content_type="application/json",
    )
    assert api.status_code == 200
    for secret in SECRETS:
        assert secret not in api.content.decode()
    assert "filer_name" not in api.json()


def test_attachments_only_for_whom_sees_the_filing(
    units: None, officer_a: Any, officer_b: Any, today: Any
) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
    c = file_report(attachments=[SimpleUploadedFile("p.png", png)]).complaint
    a = c.attachments.get()
    url = reverse("complaints:attachment", args=[c.pk, a.pk])
    response = client_for(officer_a).get(url)  # the unit's staff handle what was sent
    assert response.status_code == 200 and b"".join(response.streaming_content) == png
    assert client_for(officer_b).get(url).status_code == 404
    assert Client().get(url).status_code == 302  # to the login page
    assert (
        client_for(officer_a)
        .get(reverse("complaints:attachment", args=[c.pk, a.pk + 1]))
        .status_code
        == 404
    )


@pytest.fixture
def report_assigned(units: None, head_a: Any, organ_a: Any, today: Any) -> Any:
    """A report with a file named after its filer, assigned by the head to one officer."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    report = file_report(attachments=[SimpleUploadedFile(ATTACHMENT_NAME, PNG)]).complaint
    assigned = make_user("officer_assigned", Role.OFFICER, organ=organ_a, full_name="孙涛")
    assign(report, assigned, by=head_a)
    return report, assigned


def test_the_units_staff_not_assigned_see_the_filing_never_the_filer(
    report_assigned: Any, officer_a: Any, head_a: Any
) -> None:
    """An unassigned officer of the receiving unit, and its head (who assigned, and is
    not assigned), try every page, API and export: the filing yes, its filer never."""
    report, _assigned = report_assigned
    for user in (officer_a, head_a):
        client = client_for(user)
        detail = client.get(reverse("complaints:detail", args=[report.pk])).content.decode()
        assert report.number in detail and "仅承办人员及执法监督人员可见" in detail
        assert "附件1" in detail and ATTACHMENT_NAME not in detail
        api = client.get(f"/api/v1/complaints/{report.pk}").json()
        assert api["filer_withheld"] is True and api["filer_name"] is None
        assert api["anonymous"] is None
        entries = client.get(
            f"/api/v1/records/objects/complaints.complaint/{report.pk}/entries"
        ).json()["items"]
        filed = next(e for e in entries if e["action"] == "complaint.file")
        assert filed["withheld"] == ["anonymous", "filer_hmac"]
        assert "filer_hmac" not in filed["payload"]
        for url, status, content in _try_everything(client, report.pk):
            for secret in (*SECRETS, ATTACHMENT_NAME):
                assert secret.encode() not in content, (user.username, url, status)
    # What they exported still checks: the withheld part through the chain of digests.
    response = client_for(officer_a).get(
        f"/records/timeline/complaints.complaint/{report.pk}/export.zip"
    )
    check = verify_export(io.BytesIO(b"".join(response.streaming_content)))
    assert not check.problems, check.problems
    assert any("withheld" in w for w in check.warnings), check.warnings


def test_the_assigned_staff_and_the_supervisor_see_the_filer_everywhere(
    report_assigned: Any, supervisor_city: Any
) -> None:
    report, assigned = report_assigned
    for user in (assigned, supervisor_city):
        client = client_for(user)
        detail = client.get(reverse("complaints:detail", args=[report.pk])).content.decode()
        assert FILER_NAME in detail and FILER_CONTACT in detail and ATTACHMENT_NAME in detail
        api = client.get(f"/api/v1/complaints/{report.pk}").json()
        assert api["filer_withheld"] is False and api["filer_contact"] == FILER_CONTACT
        entries = client.get(
            f"/api/v1/records/objects/complaints.complaint/{report.pk}/entries"
        ).json()["items"]
        filed = next(e for e in entries if e["action"] == "complaint.file")
        assert filed["withheld"] == [] and filed["payload"]["filer_hmac"] == SECRETS[2]
        response = client.get(f"/records/timeline/complaints.complaint/{report.pk}/export.zip")
        body = b"".join(response.streaming_content)
        assert SECRETS[2].encode() in _content_of_zip(body)
        check = verify_export(io.BytesIO(body))
        assert not check.problems and not any("withheld" in w for w in check.warnings)


def _content_of_zip(body: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        return b"".join(archive.read(n) for n in archive.namelist())


def test_a_filer_who_signs_the_text_is_not_named_by_it(
    units: None, today: Any, officer_a: Any, head_a: Any, organ_a: Any, supervisor_city: Any
) -> None:
    """The filer wrote name and telephone (with hyphens) into what happened: staff who
    do not see the filer read the text with both replaced, on every page, API and
    export; the assigned staff and the supervisor read it as written."""
    signed = f"某饭店出售过期食品。举报人{FILER_NAME}，电话 138-0013-8000，请回电。"
    report = file_report(description=signed).complaint
    assigned = make_user("officer_signed", Role.OFFICER, organ=organ_a, full_name="孙涛")
    assign(report, assigned, by=head_a)
    for user in (officer_a, head_a):
        client = client_for(user)
        detail = client.get(reverse("complaints:detail", args=[report.pk])).content.decode()
        shown = "某饭店出售过期食品。举报人〔已隐去〕，电话 〔已隐去〕，请回电。"
        assert shown in detail
        api = client.get(f"/api/v1/complaints/{report.pk}").json()
        assert api["description"] == shown
        for url, status, content in _try_everything(client, report.pk):
            for secret in (*SECRETS, "138-0013-8000"):
                assert secret.encode() not in content, (user.username, url, status)
    for user in (assigned, supervisor_city):
        client = client_for(user)
        assert client.get(f"/api/v1/complaints/{report.pk}").json()["description"] == signed
        detail = client.get(reverse("complaints:detail", args=[report.pk])).content.decode()
        assert "138-0013-8000" in detail


def test_a_filer_who_signs_the_dispute_is_not_named_by_it(
    units: None, today: Any, officer_a: Any, head_a: Any, supervisor_city: Any
) -> None:
    """The filer signs the dispute of the result: the unit's staff not assigned and its
    head read neither the name nor the contact anywhere (the detail page's notes, the
    record's timeline, entries and export); the assigned staff still read it."""
    report = file_report().complaint
    assigned = make_user("officer_disp", Role.OFFICER, organ=report.organ, full_name="孙涛")
    assign(report, assigned, by=head_a)
    services.accept(Complaint.objects.get(pk=report.pk), actor=assigned)
    services.close(Complaint.objects.get(pk=report.pk), actor=assigned, result="已处理。")
    signed = f"仍未解决。{FILER_NAME}，电话{FILER_CONTACT}。"
    services.dispute(Complaint.objects.get(pk=report.pk), reason=signed)
    for user in (officer_a, head_a):
        for url, status, content in _try_everything(client_for(user), report.pk):
            for secret in SECRETS:
                assert secret.encode() not in content, (user.username, url, status)
    detail = client_for(assigned).get(reverse("complaints:detail", args=[report.pk]))
    assert signed in detail.content.decode()
    # The head's export still checks: the withheld reason through the chain of digests.
    response = client_for(head_a).get(
        f"/records/timeline/complaints.complaint/{report.pk}/export.zip"
    )
    check = verify_export(io.BytesIO(b"".join(response.streaming_content)))
    assert not check.problems, check.problems


@pytest.mark.parametrize(
    ("contact", "written"),
    [
        ("13800138000", "１３８００１３８０００"),
        ("+86 138 0013 8000", "13800138000"),
        ("13800138000", "+86-138 - 0013 - 8000"),
        ("(0573)82012345", "（0573）82012345"),
        ("(0573)82012345", "0573-8201-2345"),
        ("1.2(3", "电话 1.2(3"),
    ],
)
def test_the_filers_contact_is_found_however_written(contact: str, written: str) -> None:
    """Full-width digits, the country code on either side, several separators and
    brackets around an area code: the contact is still replaced; a contact holding
    regex metacharacters does not crash."""
    filing = Complaint(filer_name="钱多多", filer_contact=contact)
    shown = filer_words(filing, f"举报人电话：{written}，请回电。", False)
    assert "举报人电话：" in shown and "请回电" in shown
    assert not any(c.isdigit() for c in shown), shown
    assert filer_words(filing, written, True) == written


def test_the_units_own_texts_do_not_name_the_filer_to_whom_the_filer_is_withheld(
    units: None, today: Any, officer_a: Any, head_a: Any, supervisor_city: Any
) -> None:
    """The assigned officer writes whom the unit called into a progress note, the result
    and (on a second filing) the reasons for not accepting it: the unit's staff not
    assigned and its head read each with the filer's name and contact masked on the
    filing's page and API, and the record withholds the texts from them (its chain still
    checks); the assigned officer and the supervisor read them as written."""
    called = f"已电话联系举报人{FILER_NAME}（{FILER_CONTACT}），"
    report = file_report().complaint
    refused = file_report(description="另一饭店卫生差。").complaint
    assigned = make_user("officer_notes", Role.OFFICER, organ=report.organ, full_name="孙涛")
    for filing in (report, refused):
        assign(filing, assigned, by=head_a)
    services.accept(Complaint.objects.get(pk=report.pk), actor=assigned, note=called + "已受理。")
    services.add_progress(
        Complaint.objects.get(pk=report.pk), actor=assigned, text=called + "正在核查。"
    )
    services.close(Complaint.objects.get(pk=report.pk), actor=assigned, result=called + "已处理。")
    services.reject(
        Complaint.objects.get(pk=refused.pk), actor=assigned, reasons=called + "不属于本单位职责。"
    )
    masked = "已电话联系举报人〔已隐去〕（〔已隐去〕），"
    for user in (officer_a, head_a):
        client = client_for(user)
        for filing in (report, refused):
            detail = client.get(reverse("complaints:detail", args=[filing.pk])).content.decode()
            assert masked in detail, user.username
            assert "您无权查看的投诉举报人的姓名和联系方式显示为“〔已隐去〕”" in detail
            api = client.get(f"/api/v1/complaints/{filing.pk}").json()
            texts = [n["text"] for n in api["notes"]] + [api["result"], api["rejection_reasons"]]
            assert any(t.startswith(masked) for t in texts), texts
            for url, status, content in _try_everything(client, filing.pk):
                for secret in SECRETS:
                    assert secret.encode() not in content, (user.username, url, status)
        response = client.get(f"/records/timeline/complaints.complaint/{report.pk}/export.zip")
        check = verify_export(io.BytesIO(b"".join(response.streaming_content)))
        assert not check.problems, check.problems
    for user in (assigned, supervisor_city):
        client = client_for(user)
        api = client.get(f"/api/v1/complaints/{report.pk}").json()
        assert api["result"] == called + "已处理。"
        assert called + "正在核查。" in [n["text"] for n in api["notes"]]
        entries = client.get(
            f"/api/v1/records/objects/complaints.complaint/{report.pk}/entries"
        ).json()["items"]
        progress = next(e for e in entries if e["action"] == "complaint.progress")
        assert progress["withheld"] == [] and progress["payload"]["text"].startswith(called)
    page = client_for(assigned).get(reverse("complaints:detail", args=[refused.pk]))
    assert page.content.decode().count(called) >= 1
    assert 'id="notes-masked"' not in page.content.decode()  # nothing masked for them


def test_the_filer_of_a_filing_handled_together_never_reads_the_other_filer(
    units: None, today: Any, officer_a: Any, head_a: Any
) -> None:
    """乙某's filing is merged into 甲某's; the unit's note and result on 甲某's name 甲某
    and her telephone: 乙某, following her own filing, reads them (status page and API)
    with 甲某's name and telephone masked."""
    first = file_report(filer_name="甲某某", filer_contact="13912345678")
    second = file_report(filer_name="乙某某", filer_contact="13787654321")
    for filed in (first, second):
        assign(filed.complaint, officer_a, by=head_a)
    services.merge(second.complaint, actor=officer_a, into=first.complaint)
    called = "已电话联系举报人甲某某（139-1234-5678），"
    services.accept(Complaint.objects.get(pk=first.complaint.pk), actor=officer_a)
    services.add_progress(
        Complaint.objects.get(pk=first.complaint.pk), actor=officer_a, text=called + "正在核查。"
    )
    services.close(
        Complaint.objects.get(pk=first.complaint.pk), actor=officer_a, result=called + "已处理。"
    )
    keys = {"number": second.complaint.number, "code": second.access_code}
    page = Client().post(reverse("complaints:follow"), keys).content.decode()
    api = Client().post(
        "/api/v1/public/complaints/lookup", json.dumps(keys), content_type="application/json"
    )
    assert api.status_code == 200, api.content
    together = api.json()["handled_with"]
    masked = "已电话联系举报人〔已隐去〕（〔已隐去〕），"
    assert masked + "正在核查。" in page and masked + "已处理。" in page
    assert together["result"] == masked + "已处理。"
    assert masked + "正在核查。" in [n["text"] for n in together["notes"]]
    for secret in ("甲某某", "139-1234-5678", "13912345678"):
        assert secret not in page and secret not in api.content.decode()
    # 甲某某 follows her own filing and reads her own name.
    own = {"number": first.complaint.number, "code": first.access_code}
    assert called in Client().post(reverse("complaints:follow"), own).content.decode()


def test_a_reopened_filing_reassigned_does_not_carry_its_result_to_the_new_units_staff(
    units: None,
    today: Any,
    officer_a: Any,
    head_a: Any,
    officer_b: Any,
    organ_b: Any,
    supervisor_city: Any,
) -> None:
    """Closed with a result naming the filer, disputed, reopened on the second look and
    then handed to another unit: the arrival entry in the new unit's chain carries the
    filing's snapshot, its result too; the new unit's staff (none assigned yet) read it
    withheld, as the result entry itself, and the chain still checks."""
    report = file_report().complaint
    assign(report, officer_a, by=head_a)
    called = f"已电话联系举报人{FILER_NAME}（{FILER_CONTACT}），已处理。"
    services.accept(Complaint.objects.get(pk=report.pk), actor=officer_a)
    services.close(Complaint.objects.get(pk=report.pk), actor=officer_a, result=called)
    services.dispute(Complaint.objects.get(pk=report.pk), reason="仍未解决。")
    services.review(
        Complaint.objects.get(pk=report.pk), actor=supervisor_city, decision="reopen", note="重办。"
    )
    services.reassign(
        Complaint.objects.get(pk=report.pk), actor=supervisor_city, organ=organ_b, reason="属地。"
    )
    client = client_for(officer_b)
    assert client.get(f"/api/v1/complaints/{report.pk}").status_code == 200
    for url, status, content in _try_everything(client, report.pk):
        for secret in SECRETS:
            assert secret.encode() not in content, (url, status)
    response = client.get(f"/records/timeline/complaints.complaint/{report.pk}/export.zip")
    check = verify_export(io.BytesIO(b"".join(response.streaming_content)))
    assert not check.problems, check.problems
    entries = client_for(supervisor_city).get(
        f"/api/v1/records/objects/complaints.complaint/{report.pk}/entries"
    )
    arrived = next(e for e in entries.json()["items"] if e["action"] == services.REASSIGN_IN)
    assert arrived["payload"]["result"] == called


@pytest.mark.parametrize(
    ("name", "contact", "written", "secret"),
    [
        ("张三丰", "13800138000", "举报人张·三·丰来电", "丰"),
        ("张三丰", "13800138000", "举报人张、三、丰来电", "丰"),
        ("阿依古丽·买买提", "13800138000", "举报人阿依古丽买买提来电", "买买提"),
        ("钱多多", "13800138000 或 0573-82012345", "已拨13800138000", "13800138000"),
        ("钱多多", "13800138000，0573-82012345", "已拨0573-82012345", "82012345"),
        ("钱多多", "13800138000 13900139000", "已拨139-0013-9000", "9000"),
        ("钱多多", "微信 zsf_1988", "加微信zsf_1988联系", "zsf_1988"),
        ("钱多多", "邮箱 qdd2024@163.com", "已发邮件至QDD2024@163.COM", "163"),
    ],
)
def test_the_filer_is_found_in_a_name_with_marks_or_a_contact_of_several_parts(
    name: str, contact: str, written: str, secret: str
) -> None:
    """A name written with a middle dot or an enumeration comma between its characters
    (or a name with a middle dot written without it), a contact of two numbers, a
    messaging ID or an e-mail address beside a label: each part is replaced, the words
    around kept."""
    filing = Complaint(filer_name=name, filer_contact=contact)
    shown = filer_words(filing, written, False)
    assert "〔已隐去〕" in shown and secret not in shown, shown
    assert shown[:2] == written[:2], shown
    assert filer_words(filing, written, True) == written


#: Three filers whose filings are handled together: the others merged into 甲某某's.
GROUP = {"甲某某": "13912345678", "乙某某": "13787654321", "丙某某": "13611112222"}


def _handled_together(head: Any, handlers: dict[str, Any], handler: Any) -> dict[str, Any]:
    """The three filings of ``GROUP``, each assigned to its officer (``handlers``), the
    others merged into 甲某某's by the unit's head; ``handler`` accepts 甲某某's, writes
    whom the unit called (all three) in a note and closes it with that result."""
    filed = {n: file_report(filer_name=n, filer_contact=c) for n, c in GROUP.items()}
    root = filed["甲某某"].complaint
    for name, f in filed.items():
        assign(f.complaint, handlers[name], by=head)
    for n in ("乙某某", "丙某某"):
        services.merge(Complaint.objects.get(pk=filed[n].complaint.pk), actor=head, into=root)
    called = "已分别电话联系举报人" + "、".join(f"{n}（{c}）" for n, c in GROUP.items())
    services.accept(Complaint.objects.get(pk=root.pk), actor=handler)
    services.add_progress(Complaint.objects.get(pk=root.pk), actor=handler, text=called + "。")
    services.close(Complaint.objects.get(pk=root.pk), actor=handler, result=called + "，已处理。")
    return filed


def test_no_filer_of_filings_handled_together_reads_another_one_of_them(
    units: None, today: Any, officer_a: Any, head_a: Any
) -> None:
    """乙某's and 丙某's filings are merged into 甲某's; the unit writes on 甲某's whom it
    called (all three). Each filer, following their own filing (status page and public
    API), reads the unit's notes and result with the other two named by neither name
    nor telephone; their own name stays."""
    people = GROUP
    filed = _handled_together(head_a, dict.fromkeys(people, officer_a), officer_a)
    for reader, f in filed.items():
        keys = {"number": f.complaint.number, "code": f.access_code}
        page = Client().post(reverse("complaints:follow"), keys).content.decode()
        api = (
            Client()
            .post(
                "/api/v1/public/complaints/lookup",
                json.dumps(keys),
                content_type="application/json",
            )
            .content.decode("unicode_escape")
        )
        assert "已分别电话联系举报人" in page
        assert "其他投诉举报人的姓名和联系方式显示为“〔已隐去〕”" in page
        for other, contact in people.items():
            for shown in (page, api):
                if other == reader:
                    continue
                assert other not in shown and contact not in shown, (reader, other)


def test_staff_read_the_filers_of_filings_handled_together_only_as_they_may_see_them(
    units: None, today: Any, officer_a: Any, head_a: Any, supervisor_city: Any
) -> None:
    """乙某's and 丙某's filings are merged into 甲某's, and the unit's note and result on
    甲某's name all three. On 甲某's filing (page and desk API, one and the list): the
    unit's head and an unassigned officer read none of them; an officer assigned to 甲某's
    and 乙某's filings reads those two and not 丙某; the supervisor reads all three."""
    people = GROUP
    both = make_user("officer_both", Role.OFFICER, organ=officer_a.organ, full_name="孙涛")
    handlers = {"甲某某": both, "乙某某": both, "丙某某": officer_a}
    root = _handled_together(head_a, handlers, both)["甲某某"].complaint
    unassigned = make_user("officer_none", Role.OFFICER, organ=root.organ, full_name="钱进")
    readers = {
        head_a: set(),
        unassigned: set(),
        both: {"甲某某", "乙某某"},
        supervisor_city: set(people),
    }
    for user, sees in readers.items():
        client = client_for(user)
        detail = client.get(reverse("complaints:detail", args=[root.pk])).content.decode()
        one = client.get(f"/api/v1/complaints/{root.pk}").json()
        listed = client.get("/api/v1/complaints").json()
        items = listed["items"] if isinstance(listed, dict) else listed
        row = next(i for i in items if i["id"] == root.pk)
        for shown in (
            detail,
            json.dumps(one, ensure_ascii=False),
            json.dumps(row, ensure_ascii=False),
        ):
            assert "已分别电话联系举报人" in shown, user.username
            for name, contact in people.items():
                if name in sees:
                    assert name in shown and contact in shown, (user.username, name)
                else:
                    assert name not in shown and contact not in shown, (user.username, name)

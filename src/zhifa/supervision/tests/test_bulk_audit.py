"""Bulk audit (issue #17, item 7): a supervisor uploads a zip (or several JSON files) of
case files; ``zhifa worker`` audits them with the rules engine; the report per file
and in aggregate, on screen and as Excel; limits, bad members, scope, and a run
interrupted mid-way that is resumed without repeating or losing a file."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django_tasks_db.models import DBTaskResult
from openpyxl import load_workbook

from zhifa.accounts.models import Role, User
from zhifa.core.testing import client_for, make_user
from zhifa.registry.models import Region
from zhifa.rules.calendar_db import database_calendar
from zhifa.rules.engine import audit, load_case_file, render
from zhifa.supervision import bulk_audit
from zhifa.supervision.models import BulkAudit, BulkAuditFile

LEGAL_TESTS = Path(__file__).resolve().parents[2] / "rules" / "legal_tests"
LEGAL = sorted(p for p in LEGAL_TESTS.glob("*.json") if not p.name.endswith(".expected.json"))
URL = "/supervision/bulk-audits/"
TASK = "zhifa.supervision.tasks.run_bulk_audit"


def _schema_error() -> bytes:
    document = json.loads(LEGAL[0].read_text("utf-8"))
    document["steps"][0]["on"] = "2026-02-30"
    return json.dumps(document, ensure_ascii=False).encode()


BAD = {
    "bad/not-json.json": b"this is not JSON",
    "bad/array.json": b"[1, 2, 3]",
    "bad/schema.json": _schema_error(),
}
SKIPPED = {
    "README.txt": "not a .json file",
    "../escape.json": "absolute or parent path: ignored",
    "/etc/absolute.json": "absolute or parent path: ignored",
    "__MACOSX/export/._a.json": "system file: ignored",
}


def legal_zip(extra: dict[str, bytes] | None = None, skipped: bool = True) -> bytes:
    """The legal test case files (half of them in nested folders), the bad members and
    the members to skip."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("export/", b"")  # a directory entry: ignored
        for i, path in enumerate(LEGAL):
            name = f"export/{'sub/' if i % 2 else ''}{path.name}"
            archive.writestr(name, path.read_bytes())
        for name, content in (extra or {}).items():
            archive.writestr(name, content)
        if skipped:
            for name in SKIPPED:
                archive.writestr(name, b"{}")
    return out.getvalue()


def upload(client: Client, content: bytes, name: str = "cases.zip", **data: Any) -> Any:
    return client.post(URL, {"files": SimpleUploadedFile(name, content), **data})


def direct(content: bytes, today: dt.date) -> dict[str, Any]:
    """What the engine gives for one file, called directly (the audit page's call)."""
    case = load_case_file(content)
    return json.loads(render(audit(case, case.as_of or today, database_calendar()), "zh"))


@pytest.fixture
def supervisor_other(regions: dict[str, Region]) -> User:
    """A supervisor of another county (嘉善县), outside the city supervisor's audits."""
    return make_user("supervisor_js", Role.SUPERVISOR, region=regions["330421"])


@pytest.mark.django_db(transaction=True)
def test_a_zip_of_the_legal_cases_is_audited_by_the_worker_as_the_engine_audits_each(
    supervisor_city: User, today: dt.date
) -> None:
    client = client_for(supervisor_city)
    response = upload(client, legal_zip(BAD))
    assert response.status_code == 302
    bulk = BulkAudit.objects.get()
    assert response["Location"] == f"{URL}{bulk.pk}/"
    assert (bulk.status, bulk.uploaded_by, bulk.region_id) == (
        "queued",
        supervisor_city,
        supervisor_city.region_id,
    )
    assert DBTaskResult.objects.filter(task_path=TASK).count() == 1
    waiting = client.get(response["Location"]).content.decode()
    assert '<meta http-equiv="refresh" content="5">' in waiting

    call_command("worker", once=True, verbosity=0)
    bulk.refresh_from_db()
    assert bulk.status == "done"
    assert bulk.files_total == len(LEGAL) + len(BAD)
    assert (bulk.files_audited, bulk.files_failed) == (len(LEGAL), len(BAD))
    assert sorted((s["name"], s["reason"]) for s in bulk.skipped) == sorted(SKIPPED.items())

    rows = {row.name.rsplit("/", 1)[-1]: row for row in bulk.files.all()}
    tally: Counter[str] = Counter()
    block_files = 0
    for path in LEGAL:
        row = rows[path.name]
        expected = direct(path.read_bytes(), today)
        assert bulk_audit.document_of(row) == expected
        # …which is the legal test's own expected document (written from the law)
        assert expected == json.loads(
            path.with_name(path.stem + ".expected.json").read_text("utf-8")
        )
        tally.update(f["rule"] for f in expected["findings"])
        block_files += any(f["severity"] == "error" for f in expected["findings"])
    assert block_files > 0 and bulk.files_with_block == block_files
    assert {rule: entry["findings"] for rule, entry in bulk.rules.items()} == dict(tally)
    assert bulk.findings_total == sum(tally.values())

    assert rows["not-json.json"].errors[0]["path"] == "$"
    assert "JSON" in rows["not-json.json"].errors[0]["zh"]
    assert rows["array.json"].errors[0]["path"] == "$"
    assert [e["path"] for e in rows["schema.json"].errors] == ["$.steps[0].on"]

    html = client.get(response["Location"]).content.decode()
    assert "http-equiv" not in html
    assert f'<td class="files-block">{block_files}</td>' in html
    assert f'<td class="files-failed">{len(BAD)}</td>' in html
    top_rule = tally.most_common(1)[0][0]
    assert f'data-rule="{top_rule}"' in html
    for name in SKIPPED:
        assert name in html
    assert "不是 .json 文件" in html
    schema = rows["schema.json"]
    page = client.get(f"{URL}{bulk.pk}/files/{schema.index}/").content.decode()
    assert "$.steps[0].on" in page and 'id="file-errors"' in page
    first = rows[LEGAL[0].name]
    page = client.get(f"{URL}{bulk.pk}/files/{first.index}/").content.decode()
    for finding in first.findings:
        assert finding["rule"] in page


def _run(bulk: BulkAudit) -> BulkAudit:
    bulk_audit.run(bulk.pk)
    bulk.refresh_from_db()
    return bulk


@pytest.mark.django_db
def test_several_json_files_are_a_folder(supervisor_city: User, today: dt.date) -> None:
    client = client_for(supervisor_city)
    files = [SimpleUploadedFile(p.name, p.read_bytes()) for p in LEGAL[:3]]
    files.append(SimpleUploadedFile("notes.docx", b"PK.."))
    files.append(SimpleUploadedFile(LEGAL[0].name, b"{}"))  # the same name twice
    response = client.post(URL, {"files": files, "as_of": "2026-06-01"})
    assert response.status_code == 302
    bulk = _run(BulkAudit.objects.get())
    assert bulk.as_of == dt.date(2026, 6, 1)
    assert bulk.skipped == [{"name": "notes.docx", "reason": "not a .json file"}]
    assert bulk.files_total == 4 and bulk.files_failed == 1
    rows = list(bulk.files.order_by("index"))
    assert [r.name for r in rows] == [p.name for p in LEGAL[:3]] + [f"{LEGAL[0].stem} (2).json"]
    for path, row in zip(LEGAL[:3], rows, strict=False):
        case = load_case_file(path.read_bytes())
        expected = json.loads(render(audit(case, dt.date(2026, 6, 1), database_calendar()), "zh"))
        assert bulk_audit.document_of(row) == expected


@pytest.mark.django_db
def test_the_upload_limits_are_field_errors(supervisor_city: User, settings: Any) -> None:
    client = client_for(supervisor_city)
    settings.ZHIFA_BULK_AUDIT_MAX_UPLOAD_BYTES = 1000
    response = upload(client, legal_zip())
    assert response.status_code == 400
    assert 'class="field has-error"' in response.content.decode()
    assert "上传内容超过 1 KB" in response.content.decode()
    settings.ZHIFA_BULK_AUDIT_MAX_UPLOAD_BYTES = 50 << 20
    settings.ZHIFA_BULK_AUDIT_MAX_FILES = 10
    html = upload(client, legal_zip()).content.decode()
    assert f"上传内容包含 {len(LEGAL)} 个案卷文件：一次最多审查 10 个。" in html
    settings.ZHIFA_BULK_AUDIT_MAX_FILES = 3
    many = io.BytesIO()
    with zipfile.ZipFile(many, "w") as archive:
        for i in range(13):
            archive.writestr(f"{i}.txt", b"")
    html = upload(client, many.getvalue()).content.decode()
    assert "压缩文件中有 13 个文件：最多 12 个（含文件夹和其他文件）。" in html
    assert bulk_audit.declared_members(io.BytesIO(legal_zip())) == len(LEGAL) + 1 + len(SKIPPED)
    settings.ZHIFA_BULK_AUDIT_MAX_FILES = 1000
    for content, name in ((b"not a zip", "cases.zip"), (legal_zip(skipped=False)[:200], "x.zip")):
        refused = upload(client, content, name)
        assert refused.status_code == 400
        assert "不是可读取的 zip 压缩文件" in refused.content.decode()
    empty = io.BytesIO()
    with zipfile.ZipFile(empty, "w") as archive:
        archive.writestr("a.txt", b"x")
    assert "不含 .json 案卷文件" in upload(client, empty.getvalue()).content.decode()
    assert upload(client, b"", "nothing.zip").status_code == 400
    mixed = client.post(
        URL,
        {"files": [SimpleUploadedFile("a.zip", legal_zip()), SimpleUploadedFile("b.json", b"{}")]},
    )
    assert mixed.status_code == 400
    assert upload(client, legal_zip(), as_of="2026-02-30").status_code == 400
    assert not BulkAudit.objects.exists()


def _csrf_client(user: User) -> tuple[Client, str]:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client, client.get(URL).cookies["csrftoken"].value


@pytest.mark.django_db
def test_too_many_files_sent_is_a_field_error(supervisor_city: User, settings: Any) -> None:
    """Django refuses a request with more files than DATA_UPLOAD_MAX_NUMBER_FILES while
    it reads the body (which the CSRF check does first): the page says it on the field,
    not the generic 400 page. With the CSRF check on, as in production."""
    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 2
    client, token = _csrf_client(supervisor_city)
    files = [SimpleUploadedFile(f"{i}.json", b"{}") for i in range(3)]
    response = client.post(URL, {"files": files, "csrfmiddlewaretoken": token})
    assert response.status_code == 400
    html = response.content.decode()
    assert "一次发送的文件过多（最多 2 个）：请将案卷文件打包为一个 .zip 后上传。" in html
    assert 'class="field has-error"' in html
    assert not BulkAudit.objects.exists()


@pytest.mark.django_db
def test_the_csrf_check_still_applies(supervisor_city: User) -> None:
    client, token = _csrf_client(supervisor_city)
    assert client.post(URL, {"files": SimpleUploadedFile("a.zip", legal_zip())}).status_code == 403
    assert not BulkAudit.objects.exists()
    response = client.post(
        URL, {"files": SimpleUploadedFile("a.zip", legal_zip()), "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302 and BulkAudit.objects.count() == 1


@pytest.mark.django_db
def test_a_file_over_the_upload_limit_is_not_kept(supervisor_city: User, settings: Any) -> None:
    """A file over the limit is dropped while it is received (never written whole)."""
    settings.ZHIFA_BULK_AUDIT_MAX_UPLOAD_BYTES = 100_000
    response = upload(client_for(supervisor_city), b"x" * 200_000)
    assert response.status_code == 400
    assert "上传内容超过 98 KB。" in response.content.decode()
    assert not BulkAudit.objects.exists()


@pytest.mark.django_db
def test_a_zip_bomb_and_a_member_too_large_are_file_errors(
    supervisor_city: User, settings: Any
) -> None:
    settings.ZHIFA_BULK_AUDIT_MAX_FILE_BYTES = 200_000
    bomb = b"{" + b" " * 150_000 + b"}"  # compresses about a thousand to one
    large = json.dumps({"x": [str(i) for i in range(40_000)]}).encode()  # ~300 kB
    content = legal_zip({"bomb.json": bomb, "large.json": large}, skipped=False)
    assert upload(client_for(supervisor_city), content).status_code == 302
    bulk = _run(BulkAudit.objects.get())
    assert bulk.status == "done" and bulk.files_failed == 2
    rows = {r.name: r for r in bulk.files.all()}
    assert "200" in rows["bomb.json"].errors[0]["message"]  # the ratio named
    assert "zip" in rows["bomb.json"].errors[0]["message"]
    assert "uncompressed" in rows["large.json"].errors[0]["message"]
    assert "196 KB" in rows["large.json"].errors[0]["message"]
    assert "196 KB" in rows["large.json"].errors[0]["zh"]
    assert bulk.files_audited == len(LEGAL)


@pytest.mark.django_db
def test_one_user_has_at_most_two_bulk_audits_waiting(supervisor_city: User) -> None:
    client = client_for(supervisor_city)
    for _ in range(2):
        assert upload(client, legal_zip()).status_code == 302
    refused = upload(client, legal_zip())
    assert refused.status_code == 400 and "has-error" in refused.content.decode()
    assert BulkAudit.objects.count() == 2


@pytest.mark.django_db
def test_scope(
    supervisor_city: User,
    supervisor_county_c: User,
    supervisor_other: User,
    officer_a: User,
    head_a: User,
    admin_user: User,
) -> None:
    assert upload(client_for(supervisor_county_c), legal_zip()).status_code == 302
    county = _run(BulkAudit.objects.get())
    assert upload(client_for(supervisor_city), legal_zip()).status_code == 302
    city = _run(BulkAudit.objects.exclude(pk=county.pk).get())

    def urls(bulk: BulkAudit) -> list[str]:
        first, last = bulk.files.order_by("index")[0], bulk.files.order_by("-index")[0]
        return [
            f"{URL}{bulk.pk}/",
            f"{URL}{bulk.pk}.xlsx",
            f"{URL}{bulk.pk}/files/{first.index}/",
            f"{URL}{bulk.pk}/files/{last.index}/",
        ]

    # the county's supervisor sees their own, not the city's; the city's sees both
    for url in urls(city):
        assert client_for(supervisor_county_c).get(url).status_code == 404
        assert client_for(supervisor_other).get(url).status_code == 404
        assert client_for(supervisor_city).get(url).status_code == 200
        assert client_for(admin_user).get(url).status_code == 200
    for url in urls(county):
        assert client_for(supervisor_city).get(url).status_code == 200
        assert client_for(supervisor_other).get(url).status_code == 404
    assert client_for(supervisor_other).post(f"{URL}{city.pk}/resume/").status_code == 404
    listed = client_for(supervisor_county_c).get(URL).content.decode()
    assert f"{URL}{county.pk}/" in listed and f"{URL}{city.pk}/" not in listed
    assert f"{URL}{city.pk}/" not in client_for(supervisor_other).get(URL).content.decode()
    # officers and heads are refused, anonymous users go to the login page
    for user in (officer_a, head_a):
        for url in [URL, *urls(city)]:
            assert client_for(user).get(url).status_code == 403
        assert upload(client_for(user), legal_zip()).status_code == 403
    for url in [URL, *urls(city)]:
        response = Client().get(url)
        assert response.status_code == 302 and "/login" in response["Location"]
    assert BulkAudit.objects.count() == 2
    # the navigation shows the page to supervisors only
    assert URL in client_for(supervisor_city).get("/work/").content.decode()
    assert URL not in client_for(officer_a).get("/work/").content.decode()


@pytest.mark.django_db
def test_the_excel_report(supervisor_city: User, today: dt.date) -> None:
    injected = json.loads(LEGAL[0].read_text("utf-8"))
    injected["case_id"] = '=HYPERLINK("http://example.com","x")'
    content = legal_zip({**BAD, "injected.json": json.dumps(injected).encode()}, skipped=True)
    client = client_for(supervisor_city)
    assert upload(client, content).status_code == 302
    bulk = _run(BulkAudit.objects.get())
    response = client.get(f"{URL}{bulk.pk}.xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["aggregate", "files", "findings", "deadlines"]
    aggregate = [
        [v for v in r if v is not None] for r in book["aggregate"].iter_rows(values_only=True)
    ]
    assert aggregate[2] == ["案卷文件", len(LEGAL) + len(BAD) + 1]
    assert aggregate[4] == ["有阻断性问题的文件", bulk.files_with_block]
    assert aggregate[5] == ["有错误的文件", len(BAD)]
    rule_rows = {r[0]: r for r in aggregate[10 : 10 + len(bulk.rules)]}
    for rule, entry in bulk.rules.items():
        expected = [entry["findings"], entry["block"], entry["files"], entry["citation"]]
        assert rule_rows[rule][1:] == expected
    files = list(book["files"].iter_rows(values_only=True))
    assert len(files) == 1 + bulk.files_total
    by_name = {r[0]: r for r in files[1:]}
    row = bulk.files.get(name=f"export/{LEGAL[0].name}")
    assert by_name[row.name][1:5] == (row.case_id, row.as_of.isoformat(), len(row.findings),
                                      row.block_findings)  # fmt: skip
    assert "$.steps[0].on" in by_name["bad/schema.json"][9]
    assert by_name["injected.json"][1] == "'" + injected["case_id"]
    assert book["files"]["B2"].data_type == "s"
    findings = list(book["findings"].iter_rows(values_only=True))
    assert len(findings) == 1 + bulk.findings_total
    deadlines = list(book["deadlines"].iter_rows(values_only=True))
    assert len(deadlines) == 1 + sum(len(r.deadlines) for r in bulk.files.all())


class Killed(BaseException):
    """The worker process dies (a signal): not an exception the run may catch."""


@pytest.mark.django_db(transaction=True)
def test_an_interrupted_run_resumes_without_repeating_or_losing_a_file(
    supervisor_city: User, today: dt.date, monkeypatch: pytest.MonkeyPatch, time_machine: Any
) -> None:
    from zhifa.core.testing import FROZEN_NOW

    time_machine.move_to(FROZEN_NOW, tick=False)
    client = client_for(supervisor_city)
    assert upload(client, legal_zip(BAD)).status_code == 302
    bulk = BulkAudit.objects.get()
    calls: list[str] = []
    real_audit = bulk_audit.audit

    def dying(case: Any, *args: Any) -> Any:
        if len(calls) == 5:
            raise Killed
        calls.append(case.case_id)
        return real_audit(case, *args)

    monkeypatch.setattr(bulk_audit, "audit", dying)
    with pytest.raises(Killed):
        bulk_audit.run(bulk.pk)
    bulk.refresh_from_db()
    assert bulk.status == "running" and bulk.files_audited == 5
    assert BulkAuditFile.objects.filter(bulk=bulk).count() == 5
    html = client.get(f"{URL}{bulk.pk}/").content.decode()
    assert "http-equiv" in html and "bulk_audit_resume" not in html
    assert "/resume/" not in html  # not stopped yet: still reloading

    # ten minutes without progress: stopped; the page offers to resume it
    time_machine.move_to(FROZEN_NOW + dt.timedelta(minutes=11), tick=False)
    html = client.get(f"{URL}{bulk.pk}/").content.decode()
    assert "http-equiv" not in html and f"{URL}{bulk.pk}/resume/" in html
    calls.clear()

    def counting(case: Any, *args: Any) -> Any:
        calls.append(case.case_id)
        return real_audit(case, *args)

    monkeypatch.setattr(bulk_audit, "audit", counting)
    assert client.post(f"{URL}{bulk.pk}/resume/").status_code == 302
    call_command("worker", once=True, verbosity=0)
    bulk.refresh_from_db()
    assert bulk.status == "done"
    # the second run audited only the files the first did not
    assert len(calls) == len(LEGAL) - 5
    indexes = list(BulkAuditFile.objects.filter(bulk=bulk).values_list("index", flat=True))
    assert len(indexes) == len(set(indexes)) == len(LEGAL) + len(BAD) == bulk.files_total
    assert bulk.files_audited == len(LEGAL) and bulk.files_failed == len(BAD)
    tally: Counter[str] = Counter()
    for path in LEGAL:
        row = BulkAuditFile.objects.get(bulk=bulk, name__endswith=f"/{path.name}")
        expected = direct(path.read_bytes(), today)
        assert bulk_audit.document_of(row) == expected
        tally.update(f["rule"] for f in expected["findings"])
    assert {rule: entry["findings"] for rule, entry in bulk.rules.items()} == dict(tally)
    # a run of a finished audit does nothing; keeping a file twice is refused
    assert bulk_audit.run(bulk.pk)["status"] == "skipped"
    again = BulkAuditFile(bulk=bulk, index=indexes[0], name="again")
    assert bulk_audit.keep(again) is False


@pytest.mark.django_db
def test_a_lost_archive_fails_the_audit_and_it_can_be_resumed(supervisor_city: User) -> None:
    client = client_for(supervisor_city)
    assert upload(client, legal_zip()).status_code == 302
    bulk = BulkAudit.objects.get()
    content = legal_zip()
    bulk.upload.storage.delete(bulk.upload.name)
    assert bulk_audit.run(bulk.pk)["status"] == "failed"
    html = client.get(f"{URL}{bulk.pk}/").content.decode()
    assert "无法读取已保存的压缩文件。" in html and f"{URL}{bulk.pk}/resume/" in html
    bulk.upload.storage.save(bulk.upload.name, io.BytesIO(content))
    assert client.post(f"{URL}{bulk.pk}/resume/").status_code == 302
    bulk.refresh_from_db()
    assert bulk.status == "queued" and bulk.error == ""
    assert DBTaskResult.objects.filter(task_path=TASK).count() == 2
    assert _run(bulk).status == "done" and bulk.files_audited == len(LEGAL)
    # GET on resume is refused; resuming a finished audit changes nothing
    assert client.get(f"{URL}{bulk.pk}/resume/").status_code == 405
    client.post(f"{URL}{bulk.pk}/resume/")
    assert DBTaskResult.objects.filter(task_path=TASK).count() == 2


@pytest.mark.django_db
def test_the_files_are_paginated(supervisor_city: User, monkeypatch: pytest.MonkeyPatch) -> None:
    from zhifa.supervision import bulk_views

    monkeypatch.setattr(bulk_views, "PAGE_SIZE", 10)
    client = client_for(supervisor_city)
    assert upload(client, legal_zip(BAD)).status_code == 302
    bulk = _run(BulkAudit.objects.get())
    seen: list[str] = []
    pages = -(-bulk.files_total // 10)
    for number in range(1, pages + 1):
        html = client.get(f"{URL}{bulk.pk}/?page={number}").content.decode()
        seen += html.split('data-index="')[1:]
        assert (f"page={number + 1}" in html) == (number < pages)
    indexes = [int(s.split('"', 1)[0]) for s in seen]
    assert indexes == sorted(bulk.files.values_list("index", flat=True))


@pytest.mark.django_db
def test_the_api(
    supervisor_city: User, supervisor_other: User, officer_a: User, today: dt.date
) -> None:
    client = client_for(supervisor_city)
    assert upload(client, legal_zip(BAD)).status_code == 302
    bulk = _run(BulkAudit.objects.get())
    api = "/api/v1/supervision/bulk-audits"
    listed = client.get(api).json()
    assert listed["count"] == 1 and listed["items"][0]["id"] == bulk.pk
    one = client.get(f"{api}/{bulk.pk}").json()
    assert (one["status"], one["files_total"], one["files_failed"]) == (
        "done",
        len(LEGAL) + len(BAD),
        len(BAD),
    )
    assert {r["rule"]: r["findings"] for r in one["rules"]} == {
        rule: entry["findings"] for rule, entry in bulk.rules.items()
    }
    assert {s["name"] for s in one["skipped"]} == set(SKIPPED)
    files = client.get(f"{api}/{bulk.pk}/files?limit=100").json()
    assert files["count"] == bulk.files_total
    by_name = {f["name"].rsplit("/", 1)[-1]: f for f in files["items"]}
    for path in LEGAL:
        got = by_name[path.name]
        expected = direct(path.read_bytes(), today)
        assert got["findings"] == expected["findings"]
        assert got["deadlines"] == expected["deadlines"]  # "from", as the engine names it
        assert got["late_fee"] == expected["amounts"]["late_fee"]
    assert by_name["schema.json"]["errors"][0]["path"] == "$.steps[0].on"
    # scope: another region's supervisor 404, an officer 403, nobody 401
    assert client_for(supervisor_other).get(api).json()["count"] == 0
    for url in (f"{api}/{bulk.pk}", f"{api}/{bulk.pk}/files"):
        assert client_for(supervisor_other).get(url).status_code == 404
        assert client_for(officer_a).get(url).status_code == 403
        assert Client().get(url).status_code == 401
    assert client_for(officer_a).get(api).status_code == 403

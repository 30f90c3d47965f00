"""The audit page shows the same findings as `zhifa audit`, in Chinese."""

import json
import re
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from zhifa.core.testing import client_for

LEGAL = Path(__file__).resolve().parent.parent / "legal_tests"
URL = "/rules/audit/"


@pytest.mark.django_db
class TestAuditPage:
    def test_upload_shows_every_finding_and_deadline(self, supervisor_city):
        source = LEGAL / "spring_festival_notice_breaks.json"
        expected = json.loads((LEGAL / "spring_festival_notice_breaks.expected.json").read_text())
        upload = SimpleUploadedFile("case.json", source.read_bytes(), "application/json")
        response = client_for(supervisor_city).post(
            URL, {"file": upload, "as_of": expected["as_of"]}
        )
        assert response.status_code == 200
        html = response.content.decode()
        assert expected["findings"], "the fixture must break rules"
        for finding in expected["findings"]:
            assert finding["rule"] in html and finding["citation"] in html
        for deadline in expected["deadlines"]:
            assert deadline["due"] in html

    def test_a_party_window_that_passed_is_closed_not_overdue(self, supervisor_city):
        """The party's hearing-request window (APL-64) that passed is the engine's
        ``overdue``, but not the organ's delay: the page says the window closed and
        does not count it among the overdue deadlines, as the case page does."""
        name = "spring_festival_notice_breaks"
        expected = json.loads((LEGAL / f"{name}.expected.json").read_text())
        windows = [d for d in expected["deadlines"] if d["rule"] == "APL-64-hearing-request"]
        assert [d["status"] for d in windows] == ["overdue"]
        overdue = sum(d["status"] == "overdue" for d in expected["deadlines"]) - 1
        upload = SimpleUploadedFile("c.json", (LEGAL / f"{name}.json").read_bytes())
        html = (
            client_for(supervisor_city)
            .post(URL, {"file": upload, "as_of": expected["as_of"]})
            .content.decode()
        )
        deadline_row = (
            r"<tr[^>]*><td>(?:(?!</tr>).)*<small><code>APL-64-hearing-request</code>.*?</tr>"
        )
        row = re.search(deadline_row, html, re.S)
        assert row and "已届满" in row.group(0) and 'class="overdue"' not in row.group(0)
        summary = re.search(r'<p id="audit-summary"[^>]*>(.*?)</p>', html, re.S)
        assert summary is not None
        if overdue:
            assert f"{overdue} 个期限已逾期" in summary.group(1), summary.group(1)
        else:
            assert "逾期" not in summary.group(1)

    def test_pasted_text_works_too(self, reviewer_a):
        text = (LEGAL / "summary_clean.json").read_text()
        html = client_for(reviewer_a).post(URL, {"text": text}).content.decode()
        assert "审查日期" in html and "APL-61-service" in html

    def test_invalid_file_lists_the_json_paths(self, reviewer_a):
        document = json.loads((LEGAL / "summary_clean.json").read_text())
        document["steps"][0]["on"] = "2026-02-30"
        response = client_for(reviewer_a).post(URL, {"text": json.dumps(document)})
        assert response.status_code == 400
        assert "$.steps[0].on" in response.content.decode()

    def test_nothing_given_names_the_field(self, reviewer_a):
        response = client_for(reviewer_a).post(URL, {})
        assert response.status_code == 400
        assert "请选择案卷文件或粘贴案卷内容" in response.content.decode()

    def test_requires_login(self, client):
        response = client.get(URL)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.django_db
def test_validation_errors_are_chinese_on_the_page_and_in_the_api(reviewer_a):
    document = json.loads((LEGAL / "summary_clean.json").read_text())
    document["basis"]["fine_max"] = "500"
    client = client_for(reviewer_a)
    page = client.post(URL, {"text": json.dumps(document)}).content.decode()
    assert "$.basis.fine_max" in page and "应为数字，实际为字符串" in page
    api = client.post("/api/v1/audit", json.dumps(document), content_type="application/json")
    assert api.json()["errors"] == [
        {"path": "$.basis.fine_max", "message": "应为数字，实际为字符串"}
    ]


@pytest.mark.django_db
class TestAuditSummary:
    """Issue #10: the page called a case clean while its deadline table showed one
    overdue; the deadlines had no names, the rule column was headed 规章 and the help
    text showed the field name "as_of"."""

    def audited(self, user, name: str) -> str:
        text = (LEGAL / f"{name}.json").read_text()
        response = client_for(user).post(URL, {"text": text})
        assert response.status_code == 200
        return response.content.decode()

    def test_no_findings_but_an_overdue_deadline_is_not_called_clean(self, supervisor_city):
        html = self.audited(supervisor_city, "deferral_court_clean")  # APL-67 overdue
        assert "本案均已遵守" not in html
        summary = html.split('id="audit-summary"', 1)[1].split("</p>", 1)[0]
        assert "0 项问题" in summary and "1 个期限已逾期" in summary

    def test_a_clean_case_is_still_called_clean(self, supervisor_city):
        html = self.audited(supervisor_city, "general_clean_national_day")
        assert "本案均已遵守" in html
        summary = html.split('id="audit-summary"', 1)[1].split("</p>", 1)[0]
        assert "0 项问题" in summary and "逾期" not in summary

    def test_deadlines_have_chinese_names_and_one_word_for_overdue(self, supervisor_city):
        html = self.audited(supervisor_city, "deferral_court_clean")
        findings, table = html.split("<h3>期限</h3>", 1)
        assert "<th>规则</th>" in findings and "规章" not in html
        assert "缴纳罚款" in table and "作出处罚决定期限" in table  # APL-67, APL-60
        assert "已逾期" in table and "已超期" not in html

    def test_the_help_text_names_no_raw_field(self, supervisor_city):
        html = client_for(supervisor_city).get(URL).content.decode()
        notes = re.findall(r'<p class="note">(.*?)</p>', html)
        assert any("审查日期" in note for note in notes), notes
        assert not any("as_of" in note for note in notes), notes

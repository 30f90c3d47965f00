"""The record pages speak words, not codes (issue #10): actions, object types and
titles in Chinese, people by name and role, and the action filter finds entries by
label (立案, 发证)."""

from __future__ import annotations

import re
from datetime import date

import pytest
from stdnum.cn import ric

from zhifa.cases import services
from zhifa.core.testing import client_for
from zhifa.records.models import Entry
from zhifa.registry import services as registry

from .conftest import D

# A registered case is titled by its case number (立案号, ``Case.number``).
CASE_NUMBER = "嘉市监立〔2026〕1号"
ID = "33042119850312124" + ric.calc_check_digit("33042119850312124" + "0")


def visible_text(html: str) -> str:
    """The page's text as a reader sees it: no tags, attributes or scripts."""
    html = re.sub(r"<(script|style|datalist)\b.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.fixture
def recorded(walk, people, organ_a, supervisor_city):
    """A registered case, an officer with a certificate, and the catalogue entries the
    power item fixture wrote."""
    walk(services.register_case, actor=people.head_user, on=D("2026-03-03"), by=[people.o1])
    officer = registry.save_officer(
        organ=organ_a,
        name="孙执法",
        id_number=ID,
        post="科员",
        actor=supervisor_city,
    )
    registry.issue_certificate(
        officer,
        number="ZJA-0100",
        issuing_authority="嘉兴市人民政府",
        valid_from=date(2026, 1, 1),
        valid_to=date(2028, 12, 31),
        actor=supervisor_city,
    )
    return walk.case


def assert_no_codes(text: str) -> None:
    codes = set(Entry.objects.values_list("action", flat=True))
    codes |= set(Entry.objects.values_list("object_type", flat=True))
    shown = sorted(code for code in codes if code in text)
    assert not shown, f"raw codes on the page: {shown}"
    assert not re.search(r"[（(](officer_a|head_a|supervisor_city)[)）]", text)


@pytest.mark.django_db
def test_timeline_shows_words(recorded, officer_a):
    case = recorded
    html = client_for(officer_a).get(f"/records/timeline/cases.case/{case.pk}/").content.decode()
    text = visible_text(html)
    title = f"全过程时间线：案件 {CASE_NUMBER}"
    assert f"<h1>{title}</h1>" in html and f"<title>{title}" in html
    assert "已登记案源" in text and "立案" in text  # case.open, case.registered
    assert "张伟 （执法人员）" in text and "刘洋 （机关负责人）" in text
    assert_no_codes(text)


@pytest.mark.django_db
def test_case_page_record_shows_words(recorded, officer_a):
    text = visible_text(client_for(officer_a).get(f"/cases/{recorded.pk}/").content.decode())
    assert "已登记案源" in text and f"案件 {CASE_NUMBER}" in text
    assert_no_codes(text)


@pytest.mark.django_db
def test_entry_list_shows_words(recorded, supervisor_city):
    html = client_for(supervisor_city).get("/records/entries/").content.decode()
    text = visible_text(html)
    for label in (
        "执法证发证",  # certificate.issue
        "登记执法人员",  # officer.create
        "录入权力事项",  # power_item.create
        "录入法律法规",  # law.create
        "录入法条",  # article.add
        "已登记案源",  # case.open
        "立案",  # case.registered
    ):
        assert label in text, label
    for title in (
        f"案件 {CASE_NUMBER}",
        "执法证 ZJA-0100",
        "执法人员 孙执法",
        "权力事项 CF-124",
        "法律法规 《中华人民共和国食品安全法》",
        "条款 《中华人民共和国食品安全法》第一百二十四条",
    ):
        assert title in text, title
    assert "赵敏 （执法监督人员）" in text
    assert_no_codes(text)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("typed", "actions"),
    [
        ("立案", {"case.registered"}),
        ("发证", {"certificate.issue"}),
        ("certificate issued", {"certificate.issue"}),
        ("certificate.issue", {"certificate.issue"}),
    ],
)
def test_action_filter_finds_by_label(recorded, supervisor_city, typed, actions):
    client = client_for(supervisor_city)
    html = client.get("/records/entries/", {"action": typed}).content.decode()
    text = visible_text(html)
    rows = re.findall(r"<tr><td[^>]*>\d{4}-\d\d-\d\d.*?</tr>", html, re.S)
    assert rows, text
    expected = Entry.objects.filter(action__in=actions).count()
    assert len(rows) == expected
    api = client.get("/api/v1/records/entries", {"action": typed})
    assert api.status_code == 200
    body = api.json()
    items = body["items"] if isinstance(body, dict) else body
    assert {i["action"] for i in items} == actions

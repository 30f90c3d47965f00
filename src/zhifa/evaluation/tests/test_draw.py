"""The verifiable draw (acceptance item 1 of issue #18): a published draw re-run from its
published inputs by an independent implementation of the sampler written here gives
the same files; one roster entry changed changes the published hash; the draw comes
only after publication, once; scope."""

from __future__ import annotations

import datetime as dt
import hashlib
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse

from zhifa.core.testing import client_for
from zhifa.evaluation import campaigns, draw
from zhifa.evaluation.campaigns import OrganSample
from zhifa.evaluation.models import Campaign, CampaignStatus, DrawnFile
from zhifa.records.models import Entry

from .conftest import closed_case, closed_cases

pytestmark = pytest.mark.django_db

BEACON = "福彩3D 2026年第318期开奖号码 5 0 8"
SOURCE = "中国福利彩票 2026-11-24 开奖公告"


def independent_draw(published: dict) -> dict[int, list[str]]:
    """The sampler again, written from the method's text only: nothing of
    ``evaluation.draw`` is used."""
    message = "zhifa-evaluation-draw-v1\n"
    for roster in sorted(published["rosters"], key=lambda r: r["position"]):
        assert hashlib.sha256(roster["roster"].encode()).hexdigest() == roster["sha256"]
        message += f"{roster['position']}\t{roster['sha256']}\n"
    message += "beacon\t" + published["beacon"]["value"].strip() + "\n"
    seed = hashlib.sha256(message.encode()).digest()
    assert seed.hex() == published["seed"]
    result = {}
    for roster in published["rosters"]:
        ids = [line.split("\t")[0] for line in roster["roster"].splitlines()]
        tickets = sorted(
            ids, key=lambda i: int.from_bytes(hashlib.sha256(seed + i.encode()).digest(), "big")
        )
        if roster["sample_size"] is not None:
            n = min(roster["sample_size"], len(ids))
        else:
            n = min(len(ids), -(-len(ids) * roster["sample_rate"] // 100))
        result[roster["position"]] = tickets[:n]
    return result


@pytest.fixture
def world(
    frozen_clock,
    today,
    sheet,
    supervisor_city,
    justice_city,
    organ_a,
    organ_b,
    officer_a,
    officer_b,
):
    start = dt.date(2026, 1, 1)
    closed_cases(organ_a, officer_a, 23, "A", dt.date(2026, 3, 5))
    closed_cases(organ_b, officer_b, 7, "B", dt.date(2026, 6, 1))
    # Outside the period, or of an organ not in the campaign: never in a roster.
    closed_case(organ_a, officer_a, "A-late", "late", dt.date(2026, 11, 20))
    campaign = campaigns.plan_campaign(
        supervisor_city,
        title="2026年度行政处罚案卷评查",
        sheet=sheet,
        period_start=start,
        period_end=dt.date(2026, 10, 31),
        samples=[OrganSample(organ_a, size=5), OrganSample(organ_b, rate=30)],
        today=today,
    )
    return campaign


def publish_and_draw(campaign, user, today):
    campaigns.publish_campaign(user, campaign, today=today)
    return campaigns.draw_campaign(
        user, campaign, beacon_value=BEACON, beacon_reference=SOURCE, beacon_on=today, today=today
    )


def test_a_published_draw_is_reproduced_by_an_independent_sampler(
    world, supervisor_city, today, client
):
    campaign = publish_and_draw(world, supervisor_city, today)
    # The inputs as the portal publishes them, read anonymously.
    response = client.get(reverse("evaluation:public_json", args=[campaign.pk]))
    assert response.status_code == 200
    published = json.loads(response.content)
    expected = independent_draw(published)
    assert {r["position"]: r["drawn"] for r in published["rosters"]} == expected
    assert [len(v) for v in expected.values()] == [5, 3]  # 30 % of 7, rounded up
    stored = DrawnFile.objects.filter(roster__campaign=campaign).order_by(
        "roster__position", "rank"
    )
    assert [d.file_id for d in stored] == expected[1] + expected[2]
    assert all(d.case_id is not None for d in stored)
    # The rosters: the files closed in the period, canonical.
    first = published["rosters"][0]["roster"]
    assert first.splitlines()[0] == "A-001\tA立〔2026〕1号" and "A-late" not in first
    assert published["rosters"][1]["organ"] == "嘉善县市场监督管理局"
    # Each roster downloads as the exact bytes whose hash was published.
    text = client.get(reverse("evaluation:public_roster", args=[campaign.pk, 1])).content
    assert hashlib.sha256(text).hexdigest() == published["rosters"][0]["sha256"]


def test_changing_one_roster_entry_changes_the_published_hash(
    world, supervisor_city, officer_a, today
):
    campaign = campaigns.publish_campaign(supervisor_city, world, today=today)
    roster = campaign.rosters.get(position=1)
    entries = draw.parse_roster(roster.text)
    assert draw.sha256_hex(draw.roster_text(entries)) == roster.sha256
    changed = [
        draw.Entry("A-099" if e.file_id == "A-007" else e.file_id, e.case_number) for e in entries
    ]
    assert draw.sha256_hex(draw.roster_text(changed)) != roster.sha256
    renumbered = [
        draw.Entry(e.file_id, e.case_number + "x" if e.file_id == "A-007" else e.case_number)
        for e in entries
    ]
    assert draw.sha256_hex(draw.roster_text(renumbered)) != roster.sha256
    # And the published record: the entry holds the hash.
    entry = Entry.objects.filter(action=campaigns.PUBLISH_ACTION).get()
    assert (
        [1, roster.organ_id, 23, roster.sha256] in json.loads(entry.payload)["rosters"]
        if isinstance(entry.payload, str)
        else entry.payload["rosters"]
    )


def test_verify_draw_matches_and_finds_a_tampered_result(
    world, supervisor_city, today, tmp_path, capsys
):
    campaign = publish_and_draw(world, supervisor_city, today)
    call_command("evaluation", "verify-draw", campaign.number)
    assert capsys.readouterr().out.startswith(f"MATCH {campaign.number}")
    document = campaigns.published_inputs(campaign)
    path = tmp_path / "draw.json"
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    call_command("evaluation", "verify-draw", "--file", str(path))
    assert "MATCH" in capsys.readouterr().out
    # A published roster edited after its hash: mismatch, named.
    document["rosters"][0]["roster"] = document["rosters"][0]["roster"].replace("A-007", "A-099")
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("evaluation", "verify-draw", "--file", str(path))
    assert "roster 1" in capsys.readouterr().out
    # A drawn file swapped in the database: mismatch.
    DrawnFile.objects.filter(roster__position=2, rank=1).update(file_id="B-zzz")
    with pytest.raises(CommandError):
        call_command("evaluation", "verify-draw", campaign.number)
    assert "MISMATCH" in capsys.readouterr().out
    # Garbage and unknown campaigns: clear errors, no traceback.
    path.write_text("[1, 2]", encoding="utf-8")
    with pytest.raises(CommandError, match="not a published draw"):
        call_command("evaluation", "verify-draw", "--file", str(path))
    with pytest.raises(CommandError, match="no campaign"):
        call_command("evaluation", "verify-draw", "nope")


def test_the_draw_needs_publication_and_happens_once(world, supervisor_city, today):
    with pytest.raises(campaigns.CampaignStateError, match="请先公布名单"):
        campaigns.draw_campaign(
            supervisor_city,
            world,
            beacon_value=BEACON,
            beacon_reference=SOURCE,
            beacon_on=today,
            today=today,
        )
    publish_and_draw(world, supervisor_city, today)
    seed = Campaign.objects.get(pk=world.pk).seed
    with pytest.raises(campaigns.CampaignStateError, match="已经抽取"):
        campaigns.draw_campaign(
            supervisor_city,
            world,
            beacon_value="other",
            beacon_reference=SOURCE,
            beacon_on=today,
            today=today,
        )
    with pytest.raises(campaigns.CampaignStateError, match="已经公布"):
        campaigns.publish_campaign(supervisor_city, world, today=today)
    assert Campaign.objects.get(pk=world.pk).seed == seed
    assert DrawnFile.objects.filter(roster__campaign=world).count() == 8


def test_a_value_known_before_publication_is_refused(world, supervisor_city, today):
    campaigns.publish_campaign(supervisor_city, world, today=today)
    with pytest.raises(ValidationError) as caught:
        campaigns.draw_campaign(
            supervisor_city,
            world,
            beacon_value=BEACON,
            beacon_reference=SOURCE,
            beacon_on=today - dt.timedelta(days=1),
            today=today,
        )
    assert "beacon_on" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        campaigns.draw_campaign(
            supervisor_city,
            world,
            beacon_value=" ",
            beacon_reference="",
            beacon_on=today,
            today=today,
        )
    assert {"beacon_value", "beacon_reference"} <= caught.value.message_dict.keys()
    assert Campaign.objects.get(pk=world.pk).status == CampaignStatus.PUBLISHED


def test_planning_errors_name_the_field(
    sheet, supervisor_city, justice_city, organ_a, organ_c, today, supervisor_county_c
):
    with pytest.raises(ValidationError) as caught:
        campaigns.plan_campaign(
            supervisor_city,
            title="",
            sheet=None,
            period_start=dt.date(2026, 5, 1),
            period_end=dt.date(2026, 4, 1),
            samples=[OrganSample(organ_a)],
            today=today,
        )
    assert {"title", "sheet", "period_end", "sample"} <= caught.value.message_dict.keys()
    # A county supervisor without a bureau of its own plans nothing; nor do others.
    with pytest.raises(PermissionDenied):
        campaigns.plan_campaign(
            supervisor_county_c,
            title="x",
            sheet=sheet,
            period_start=dt.date(2026, 1, 1),
            period_end=dt.date(2026, 2, 1),
            samples=[OrganSample(organ_c, size=1)],
            today=today,
        )
    assert not Campaign.objects.exists()


def test_scope_of_the_pages(
    world,
    supervisor_city,
    supervisor_county_c,
    officer_a,
    officer_b,
    head_a,
    client,
    today,
    organ_c,
):
    from zhifa.accounts.models import Role
    from zhifa.core.testing import make_organ, make_user
    from zhifa.registry.models import Region

    detail = reverse("evaluation:campaign_detail", args=[world.pk])
    public = reverse("evaluation:public_campaign", args=[world.pk])
    # Planned only: the public and the organs see nothing yet.
    assert client.get(public).status_code == 404
    assert client_for(officer_a).get(detail).status_code == 404
    assert client_for(supervisor_city).get(detail).status_code == 200
    # Another region's supervisor (with a bureau of its own) neither sees nor draws.
    other_bureau = make_organ(
        "海盐县司法局", Region.objects.get(code="330424"), is_justice_bureau=True
    )
    assert other_bureau.pk
    assert client_for(supervisor_county_c).get(detail).status_code == 404
    assert (
        client_for(supervisor_county_c)
        .post(reverse("evaluation:publish", args=[world.pk]))
        .status_code
        == 404
    )
    with pytest.raises(PermissionDenied):
        campaigns.publish_campaign(supervisor_county_c, world, today=today)
    campaigns.publish_campaign(supervisor_city, world, today=today)
    assert client.get(public).status_code == 200
    # An organ in the campaign sees it (its own roster), but does not draw.
    response = client_for(officer_a).get(detail)
    assert response.status_code == 200 and [r.organ_id for r in response.context["rosters"]] == [
        officer_a.organ_id
    ]
    assert (
        client_for(officer_a).post(reverse("evaluation:draw", args=[world.pk]), {}).status_code
        == 403
    )
    outsider = make_user("officer_c", Role.OFFICER, organ=organ_c)
    assert client_for(outsider).get(detail).status_code == 404
    # The draw through the page: a bad date is an error at its field, not a 500.
    page = client_for(supervisor_city).post(
        reverse("evaluation:draw", args=[world.pk]),
        {"beacon_value": BEACON, "beacon_reference": SOURCE, "beacon_on": "2026-02-30"},
    )
    assert page.status_code == 400 and "beacon_on" in page.context["draw_form"].errors
    page = client_for(supervisor_city).post(
        reverse("evaluation:draw", args=[world.pk]),
        {"beacon_value": BEACON, "beacon_reference": SOURCE, "beacon_on": today.isoformat()},
    )
    assert page.status_code == 302
    html = client.get(public).content.decode()
    assert world.number in html and Campaign.objects.get(pk=world.pk).seed in html
    assert "李某某" not in html and "330402199001011234" not in html


def test_the_plan_page(sheet, supervisor_city, justice_city, organ_a, organ_b, today):
    url = reverse("evaluation:campaign_new")
    client = client_for(supervisor_city)
    assert client.get(url).status_code == 200
    bad = client.post(
        url,
        {
            "title": "t",
            "sheet": sheet.pk,
            "period_start": "2026-01-01",
            "period_end": "2026-01-01",
            "organs": [organ_a.pk],
            "mode": "rate",
            "amount": 150,
        },
    )
    assert bad.status_code == 400 and "amount" in bad.context["form"].errors
    good = client.post(
        url,
        {
            "title": "t",
            "sheet": sheet.pk,
            "period_start": "2026-01-01",
            "period_end": "2026-10-31",
            "organs": [organ_a.pk, organ_b.pk],
            "mode": "size",
            "amount": 3,
        },
    )
    assert good.status_code == 302
    campaign = Campaign.objects.get()
    assert campaign.number == "嘉司评查〔2026〕1号"
    assert list(campaign.rosters.values_list("position", "sample_size")) == [(1, 3), (2, 3)]


def test_the_public_list_shows_only_published_campaigns(world, supervisor_city, today, client):
    listing = reverse("evaluation:public_list")
    roster = reverse("evaluation:public_roster", args=[world.pk, 1])
    data = reverse("evaluation:public_json", args=[world.pk])
    assert world.number not in client.get(listing).content.decode()
    assert client.get(roster).status_code == 404 and client.get(data).status_code == 404
    campaigns.publish_campaign(supervisor_city, world, today=today)
    assert world.number in client.get(listing).content.decode()
    assert client.get(roster).status_code == 200
    assert client.get(reverse("evaluation:public_roster", args=[world.pk, 9])).status_code == 404
    page = client.get(reverse("evaluation:public_campaign", args=[world.pk]))
    assert "public-not-drawn" in page.content.decode()

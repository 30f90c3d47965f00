"""An independent review's attacks on the evaluation pages: another organ's results
before publication, scoring and assigning after the results are published."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from zhifa.core.testing import client_for
from zhifa.evaluation import scoring
from zhifa.evaluation.models import FileScore
from zhifa.records.models import Entry

from .test_scoring import drawn, first_of  # noqa: F401 (the fixture)

pytestmark = pytest.mark.django_db


def test_an_organ_sees_only_its_own_results_before_publication(
    drawn,  # noqa: F811
    supervisor_city,
    officer_a,
    officer_b,
    organ_a,
    organ_b,
):
    file_a = first_of(drawn, organ_a)
    scoring.assign(supervisor_city, file_a, officer_b)
    scoring.score_file(officer_b, file_a, faults={}, notes={})
    page = client_for(officer_b).get(reverse("evaluation:campaign_detail", args=[drawn.pk]))
    assert page.status_code == 200
    assert [r.organ.pk for r in page.context["results"]] == [organ_b.pk]
    # Nor the items deducted in another organ's files.
    assert page.context["problems"] == []
    own = client_for(officer_a).get(reverse("evaluation:campaign_detail", args=[drawn.pk]))
    assert [r.organ.pk for r in own.context["results"]] == [organ_a.pk]
    # The supervisor sees every organ.
    sup = client_for(supervisor_city).get(reverse("evaluation:campaign_detail", args=[drawn.pk]))
    assert {r.organ.pk for r in sup.context["results"]} == {organ_a.pk, organ_b.pk}


def test_no_scoring_nor_assigning_after_the_results_are_published(
    drawn,  # noqa: F811
    supervisor_city,
    officer_b,
    officer_a,
    organ_a,
    organ_b,
):
    file_a = first_of(drawn, organ_a)
    file_b = first_of(drawn, organ_b)
    scoring.assign(supervisor_city, file_a, officer_b)
    scoring.assign(supervisor_city, file_b, officer_a)
    scoring.score_file(officer_b, file_a, faults={}, notes={})
    scoring.publish_results(supervisor_city, drawn)
    entries = Entry.objects.count()
    assert not scoring.may_score(officer_a, first_of(drawn, organ_b))
    # The service refuses too, even with the campaign read before the publication.
    with pytest.raises(PermissionDenied):
        scoring.score_file(officer_a, file_b, faults={}, notes={})
    url = reverse("evaluation:score_file", args=[file_b.pk])
    response = client_for(officer_a).post(url, {})
    assert response.status_code == 403
    assert not FileScore.objects.filter(drawn=file_b).exists()
    other = first_of(drawn, organ_a).roster.drawn.exclude(pk=file_a.pk).first()
    with pytest.raises(ValidationError):
        scoring.assign(supervisor_city, other, officer_b)
    assert Entry.objects.count() == entries
    # The page offers no assign form any more.
    page = client_for(supervisor_city).get(reverse("evaluation:campaign_detail", args=[drawn.pk]))
    assert "assign-form" not in page.content.decode()


@pytest.mark.parametrize("evaluator", ["abc", "99999999999999999999", "-1", "1.5", ""])
def test_an_evaluator_that_is_no_user_id_is_a_message_not_a_500(
    drawn,  # noqa: F811
    supervisor_city,
    organ_a,
    evaluator,
):
    file_a = first_of(drawn, organ_a)
    response = client_for(supervisor_city).post(
        reverse("evaluation:assign", args=[file_a.pk]), {"evaluator": evaluator}, follow=True
    )
    assert response.status_code == 200
    assert "评查人员" in response.content.decode()
    assert not hasattr(first_of(drawn, organ_a), "assignment")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"period_start": "2026-05-01", "period_end": "2026-01-01"}, "period_end"),
        ({"period_start": "x"}, "period_start"),
        ({"period_end": "2026-02-30"}, "period_end"),
        ({"amount": "1e3"}, "amount"),
        ({"amount": "0"}, "amount"),
        ({"title": "x" * 300}, "title"),
        ({"organs": ["999999"]}, "organs"),
    ],
)
def test_a_bad_plan_is_a_400_naming_the_field_and_writes_nothing(
    frozen_clock, sheet, supervisor_city, justice_city, organ_a, change, field
):
    from zhifa.evaluation.models import Campaign

    data = {
        "title": "t",
        "sheet": sheet.pk,
        "organs": [organ_a.pk],
        "mode": "size",
        "amount": "1",
        "period_start": "2026-01-01",
        "period_end": "2026-02-01",
        **change,
    }
    entries = Entry.objects.count()
    response = client_for(supervisor_city).post(reverse("evaluation:campaign_new"), data)
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not Campaign.objects.exists() and Entry.objects.count() == entries


def test_a_file_scored_0_links_its_matter_for_whom_may_see_it(
    drawn,  # noqa: F811
    supervisor_city,
    officer_b,
    organ_a,
):
    from zhifa.accountability.models import Matter

    from .test_scoring import finding

    file_a = first_of(drawn, organ_a)
    finding(file_a.case_id, "APL-42-two-officers", "调查取证仅一名执法人员")
    scoring.assign(supervisor_city, file_a, officer_b)
    scoring.score_file(officer_b, file_a, faults={}, notes={})
    matter = Matter.objects.get(case_id=file_a.case_id)
    url = reverse("evaluation:score_file", args=[file_a.pk])
    link = reverse("accountability:detail", args=[matter.pk])
    assert link in client_for(supervisor_city).get(url).content.decode()
    # The evaluator (an officer of another organ) may not see the matter: no link.
    assert link not in client_for(officer_b).get(url).content.decode()
    detail = client_for(supervisor_city).get(link).content.decode()
    assert "定时任务" not in detail and "案卷评查评分" in detail


def test_the_evaluated_organ_sees_its_scores_without_links_it_cannot_open(
    drawn,  # noqa: F811
    supervisor_city,
    officer_b,
    officer_a,
    organ_a,
):
    file_a = first_of(drawn, organ_a)
    scoring.assign(supervisor_city, file_a, officer_b)
    scoring.score_file(officer_b, file_a, faults={}, notes={})
    url = reverse("evaluation:score_file", args=[file_a.pk])
    page = client_for(officer_a).get(reverse("evaluation:campaign_detail", args=[drawn.pk]))
    html = page.content.decode()
    assert 'class="file-score">100<' in html and url not in html
    assert client_for(officer_a).get(url).status_code == 404
    sup = client_for(supervisor_city).get(reverse("evaluation:campaign_detail", args=[drawn.pk]))
    assert url in sup.content.decode()


def test_the_evaluators_list_says_which_files_are_still_to_score(
    drawn,  # noqa: F811
    supervisor_city,
    officer_b,
    organ_a,
):
    files = list(first_of(drawn, organ_a).roster.drawn.order_by("rank"))
    for d in files:
        scoring.assign(supervisor_city, d, officer_b)
    scoring.score_file(officer_b, files[0], faults={}, notes={})
    html = client_for(officer_b).get(reverse("evaluation:campaign_list")).content.decode()
    assert "已评分：100 分" in html and "待评分" in html
    scoring.publish_results(supervisor_city, drawn)
    html = client_for(officer_b).get(reverse("evaluation:campaign_list")).content.decode()
    assert "待评分" not in html and "未评分（结果已公布）" in html


def test_the_public_tables_name_each_cell_on_a_phone(
    drawn,  # noqa: F811
    supervisor_city,
    officer_b,
    organ_a,
    client,
):
    """The portal's tables stack on a phone, each cell under its data-label: without it
    the roster's size and the sample were two bare numbers."""
    file_a = first_of(drawn, organ_a)
    scoring.assign(supervisor_city, file_a, officer_b)
    scoring.score_file(officer_b, file_a, faults={}, notes={})
    scoring.publish_results(supervisor_city, drawn)
    html = client.get(reverse("evaluation:public_campaign", args=[drawn.pk])).content.decode()
    for table in ("public-rosters", "public-drawn", "public-results"):
        body = html[html.index(f'id="{table}"') :]
        body = body[body.index("<tbody>") : body.index("</tbody>")]
        assert body.count("<td") == body.count("<td data-label="), table
    assert 'data-label="名单卷数"' in html


def test_the_score_form_says_what_an_items_numbers_are(
    drawn,  # noqa: F811
    supervisor_city,
    officer_b,
    organ_a,
):
    """Each scored item said "15/3": now its points and the deduction per fault."""
    file_a = first_of(drawn, organ_a)
    scoring.assign(supervisor_city, file_a, officer_b)
    page = client_for(officer_b).get(reverse("evaluation:score_file", args=[file_a.pk]))
    html = page.content.decode()
    item = next(r["p"].item for r in page.context["rows"] if r["p"].item.code == "S4")
    assert f"{item.points} 分，每处扣 {item.deduction} 分" in html
    assert f"{item.points}/{item.deduction}<" not in html


def test_a_rectification_is_recorded_on_the_campaign_and_nothing_on_error(
    drawn,  # noqa: F811
    supervisor_city,
    organ_a,
    today,
):
    import datetime as dt

    from zhifa.evaluation.models import Rectification
    from zhifa.supervision.models import Notice

    before = (Entry.objects.count(), Notice.objects.count(), Rectification.objects.count())
    with pytest.raises(ValidationError):
        scoring.require_rectification(
            supervisor_city, drawn, organ_a, findings="f", rectification="r", deadline=today
        )
    assert (
        Entry.objects.count(),
        Notice.objects.count(),
        Rectification.objects.count(),
    ) == before
    rect = scoring.require_rectification(
        supervisor_city,
        drawn,
        organ_a,
        findings="送达超期",
        rectification="组织培训",
        deadline=today + dt.timedelta(days=30),
    )
    entry = Entry.objects.get(action=scoring.RECTIFY_ACTION)
    assert entry.object_id == str(drawn.pk) and rect.notice.number in entry.payload


def test_a_file_left_unscored_says_the_results_are_published(
    drawn,  # noqa: F811
    supervisor_city,
    officer_b,
    officer_a,
    organ_a,
    organ_b,
):
    file_a = first_of(drawn, organ_a)
    file_b = first_of(drawn, organ_b)
    scoring.assign(supervisor_city, file_a, officer_b)
    scoring.assign(supervisor_city, file_b, officer_a)
    scoring.score_file(officer_b, file_a, faults={}, notes={})
    scoring.publish_results(supervisor_city, drawn)
    page = client_for(officer_a).get(reverse("evaluation:score_file", args=[file_b.pk]))
    assert page.status_code == 200
    assert "评查结果已公布，不再评分。" in page.content.decode()

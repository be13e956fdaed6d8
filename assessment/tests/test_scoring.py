"""Assessment scores computed by hand for a small fixture and compared exactly.

Branch a1 (in township_a) in the current campaign:
  P1 branch pledge, fulfilled on time            reviews: excellent (100); ratings 2 satisfied, 1 basic, 1 dissatisfied
  P2 branch pledge, fulfilled late
  P3 member's pledge, fulfilled on time          review: fair (60)
  P4 member's pledge, overdue
  an organization review of a1: good (80)
  rectification items owned by a1: one open, one closed
Branch a2 and township_b have nothing at all.

a1:  completion 3/4 = 75; on time 2/(3 + 1) = 50; reviews (100 + 80 + 60)/3 = 80;
     satisfaction (2 + 0.5)/4 = 62.5; rectification 100 − 25 × 1 = 75
     score = (30·75 + 20·50 + 20·80 + 20·62.5 + 10·75) / 100 = 68.5
member: completion 1/2 = 50; on time 1/(1 + 1) = 50; reviews 60; no ratings (left out)
     score = (30·50 + 20·50 + 20·60) / 70 = 52.857… → 52.86
"""

from __future__ import annotations

import datetime
import io
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext
from openpyxl import load_workbook

from assessment.models import AssessmentScheme
from assessment.scoring import rank_and_band, score_members, score_orgs
from pledges.models import Pledge
from pledges.tests.reviews_support import make_inspection, make_pledge, make_rating, make_review, today

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)
F = Pledge.Status.FULFILLED


@pytest.fixture
def fixture(world):
    p1 = make_pledge(world, status=F, deadline=today() + 10 * DAY, completed_on=today(), title="修缮村道")
    make_pledge(world, status=F, deadline=today() - 5 * DAY, completed_on=today() - 2 * DAY, title="建图书角")
    p3 = make_pledge(
        world, owner_member=world.member, status=F, deadline=today(), completed_on=today(), title="走访困难户"
    )
    make_pledge(world, owner_member=world.member, deadline=today() - DAY, title="义务宣讲")
    make_review(world, pledge=p1, grade="excellent")
    make_review(world, pledge=p3, grade="fair")
    make_review(world, organization=world.branch_a1, grade="good")
    for choice in ("satisfied", "satisfied", "basically_satisfied", "dissatisfied"):
        make_rating(p1, choice=choice)
    make_inspection(world)
    make_inspection(world, status="closed")
    # Not counted: a draft, another campaign's review of nothing, a pledge of another branch.
    make_pledge(world, status=Pledge.Status.DRAFT)
    return world


def by_unit(results):
    return {r.unit.pk: r for r in results}


def test_organization_scores_by_hand(fixture):
    w = fixture
    results = by_unit(score_orgs([w.branch_a1, w.branch_a2], w.campaign))
    a1 = results[w.branch_a1.pk]
    assert {p.key: p.score for p in a1.parts} == {
        "completion": 75,
        "on_time": 50,
        "reviews": 80,
        "satisfaction": 62.5,
        "rectification": 75,
    }
    assert a1.score == 68.5
    assert (a1.rank, a1.band) == (1, "basic")
    a2 = results[w.branch_a2.pk]
    assert a2.score is None and a2.rank is None and a2.band is None
    # The township covers a1 (and the empty a2): the same figures.
    assert score_orgs([w.township_a], w.campaign)[0].score == 68.5
    assert score_orgs([w.township_b], w.campaign)[0].score is None


def test_member_scores_by_hand_with_renormalized_weights(fixture):
    w = fixture
    results = by_unit(score_members([w.member, w.secretary_same], w.campaign))
    member = results[w.member.pk]
    assert {p.key: p.score for p in member.parts} == {
        "completion": 50,
        "on_time": 50,
        "reviews": 60,
        "satisfaction": None,
    }
    assert member.score == 52.86
    assert [round(p.effective_weight, 4) for p in member.parts if p.effective_weight] == [0.4286, 0.2857, 0.2857]
    assert results[w.secretary_same.pk].score is None


def test_weights_come_from_the_database(fixture):
    w = fixture
    AssessmentScheme.objects.create(weight_rectification=0)
    # (30·75 + 20·50 + 20·80 + 20·62.5) / 90 = 67.777…
    assert score_orgs([w.branch_a1], w.campaign)[0].score == 67.78
    AssessmentScheme.objects.create(
        campaign=w.campaign,
        weight_completion=1,
        weight_on_time=0,
        weight_reviews=0,
        weight_satisfaction=0,
        weight_rectification=0,
        points_excellent=90,
    )
    assert score_orgs([w.branch_a1], w.campaign)[0].score == 75


def test_grade_points_are_configurable(fixture):
    w = fixture
    AssessmentScheme.objects.create(points_excellent=90, points_good=70, points_fair=50, points_poor=30)
    a1 = score_orgs([w.branch_a1], w.campaign)[0]
    assert a1.part("reviews").score == 70  # (90 + 70 + 50) / 3


def fake(scores):
    return [SimpleNamespace(score=s, rank=None, band=None, name=str(i)) for i, s in enumerate(scores)]


def test_ranking_and_the_cap_on_excellent():
    scheme = AssessmentScheme()  # defaults: excellent ≥ 90, at most 20 %
    results = fake([95, 94, 93, 92, 80, 70, 50, None, 76, 61, 99])
    rank_and_band(results, scheme)
    bands = {r.score: r.band for r in results}
    # 10 scored units → at most 2 excellent: 99 and 95; 94, 93, 92 are qualified.
    assert [s for s, b in bands.items() if b == "excellent"] == [95, 99]
    assert bands[94] == bands[92] == bands[80] == bands[76] == "qualified"
    assert (bands[70], bands[61], bands[50], bands[None]) == ("basic", "basic", "unqualified", None)
    assert {r.score: r.rank for r in results}[99] == 1 and {r.score: r.rank for r in results}[None] is None


def test_a_tie_that_would_break_the_cap_is_left_out_whole():
    results = fake([96, 93, 93, 80, 80, 80, 80, 70, 70, 70])
    rank_and_band(results, AssessmentScheme())
    assert [r.band for r in results[:3]] == ["excellent", "qualified", "qualified"]
    assert [r.rank for r in results[:5]] == [1, 2, 2, 4, 4]


def test_scoring_reads_a_fixed_number_of_queries(fixture, django_assert_max_num_queries):
    w = fixture
    with django_assert_max_num_queries(4):
        score_orgs(
            [w.township_a, w.township_b, w.branch_a1, w.branch_a2, w.branch_b1], w.campaign, scheme=AssessmentScheme()
        )


def test_the_sheet_shows_the_score_and_what_is_behind_it(fixture, client_for):
    w = fixture
    page = client_for("secretary_same").get(reverse("assessment:org", args=[w.branch_a1.code]))
    html = page.content.decode()
    assert 'data-testid="unit-score">68.5<' in html
    for title in ("修缮村道", "建图书角", "走访困难户", "义务宣讲"):
        assert title in html
    # Members of the branch are ranked under it.
    ranked = {r.unit.pk: r.score for r in page.context["ranked"]}
    assert ranked[w.member.pk] == 52.86 and ranked[w.secretary_same.pk] is None


def test_an_empty_unit_shows_a_dash_never_zero_or_hundred(fixture, client_for):
    w = fixture
    html = client_for("secretary_other").get(reverse("assessment:org", args=[w.branch_a2.code])).content.decode()
    assert 'data-testid="unit-score">—<' in html
    assert 'data-testid="unit-band">—<' in html


def test_members_see_their_own_sheet_but_not_their_colleagues_scores(fixture, client_for):
    w = fixture
    client = client_for("member")
    page = client.get(reverse("assessment:member", args=[w.member.pk]))
    assert 'data-testid="unit-score">52.9<' in page.content.decode()
    assert page.context["peers"] == []
    assert client.get(reverse("assessment:member", args=[w.other_member.pk])).status_code == 404
    assert client.get(reverse("assessment:org", args=[w.branch_a1.code])).status_code == 404


def test_the_xlsx_export_has_chinese_headers_and_the_pledges_behind_the_score(fixture, client_for):
    w = fixture
    response = client_for("supervisor_above").get(reverse("assessment:org_xlsx", args=[w.branch_a1.code]))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(io.BytesIO(response.content))
    summary = book.worksheets[0]
    values = [cell for row in summary.iter_rows(values_only=True) for cell in row if cell is not None]
    assert "单位" in values and "得分" in values
    assert 68.5 in values
    pledges = book.worksheets[1]
    titles = {row[0] for row in pledges.iter_rows(min_row=2, values_only=True)}
    assert titles == {"修缮村道", "建图书角", "走访困难户", "义务宣讲"}
    with translation.override("zh-hans"):
        assert pledges.cell(1, 1).value == gettext("Pledge") != "Pledge"


def test_the_sheet_is_a_constant_number_of_queries(fixture, client_for, django_assert_max_num_queries):
    from tests.world import add_org

    w = fixture
    for index in range(6):
        branch = add_org(w.township_a, code=f"extra-{index}", name=f"新建{index}支部", kind="branch")
        make_pledge(w, owner_org=branch, status=F)
        make_inspection(w, org=branch)
    client = client_for("supervisor_above")
    with django_assert_max_num_queries(20):
        page = client.get(reverse("assessment:org", args=[w.township_a.code]))
    assert len(page.context["ranked"]) == 8


@pytest.mark.django_db
def test_a_secretary_sees_sibling_scores_but_gets_no_links_to_their_sheets(world, client_for):
    from django.urls import reverse

    page = client_for("secretary_same").get(reverse("assessment:org", args=[world.branch_a1.code]))
    assert page.status_code == 200
    html = page.content.decode()
    assert world.branch_a2.name in html  # ranked among its peers
    assert reverse("assessment:org", args=[world.branch_a2.code]) not in html  # but not a dead link
    supervisor_page = client_for("supervisor_above").get(reverse("assessment:org", args=[world.branch_a1.code]))
    assert reverse("assessment:org", args=[world.branch_a2.code]) in supervisor_page.content.decode()

"""The dashboard: figures equal the roll-up's, the lagging list is exactly right, drill-downs, scope, queries."""

from __future__ import annotations

import datetime
import json
import re
from decimal import Decimal
from urllib.parse import parse_qs, urlparse

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from campaign import selectors
from campaign.models import Campaign, DashboardThreshold, OrgSnapshot
from campaign.rollups import rollup_day
from orgs.models import Organization, RoleAssignment
from pledges.tests.factories import MemberFactory, PledgeFactory
from tests.world import add_org, make_user

from .dashboard_fixtures import build_figures

pytestmark = pytest.mark.django_db


@pytest.fixture
def figures(world):
    return build_figures(world)


def card_values(html: str) -> dict[str, str]:
    return dict(re.findall(r'data-testid="value-([a-z_]+)">([^<]+)<', html))


def lagging_codes(html: str) -> set[str]:
    return set(re.findall(r'data-testid="lagging-([a-z0-9-]+)"', html))


def test_district_figures_equal_the_rollup(world, figures, client_for):
    response = client_for("admin").get(reverse("campaign:dashboard", args=["district"]))
    assert response.status_code == 200
    shown = card_values(response.content.decode())
    assert shown == {
        "completion_rate": "25.0%",
        "on_time_rate": "50.0%",
        "overdue": "1",
        "branch_participation": "66.7%",
        "member_participation": "40.0%",
        "satisfaction": "62.5%",
    }
    snapshot = OrgSnapshot.objects.get(campaign=world.campaign, organization=world.district, day=figures["today"])
    for key, text in shown.items():
        assert text == selectors.format_figure(key, selectors.figure_value(snapshot, key))


def test_week_change_is_shown_with_arrow_and_words(world, figures, client_for):
    html = client_for("admin").get(reverse("campaign:dashboard", args=["district"])).content.decode()
    card = html[html.index('data-testid="card-completion_rate"') :][:1500]
    assert "▲" in card
    assert "25.0" in card  # up 25.0 points since last week (0.0% → 25.0%)
    overdue_card = html[html.index('data-testid="card-overdue"') :][:1500]
    assert "▲" in overdue_card and "change-worse" in overdue_card  # more overdue is worse


def test_nothing_to_count_shows_a_dash(world, client_for):
    rollup_day(campaign=world.campaign, day=datetime.date.today())
    shown = card_values(client_for("supervisor_above").get(reverse("campaign:dashboard_home")).content.decode())
    assert shown["completion_rate"] == "—"
    assert shown["satisfaction"] == "—"
    assert shown["overdue"] == "—"
    assert shown["branch_participation"] == "0.0%"  # two branches, neither has pledged: that counts


def test_lagging_list_has_exactly_the_units_that_lag(world, figures, client_for):
    html = client_for("admin").get(reverse("campaign:dashboard", args=["district"])).content.decode()
    # town-a: on-time 50% and branches 50% in the red, one overdue pledge; town-b: completion 0%,
    # members 0% and satisfaction 62.5% in the red; a2: a branch without a public pledge of its own.
    assert lagging_codes(html) == {"town-a", "town-b", "a2"}
    town_a = html[html.index('data-testid="lagging-town-a"') :].split("</li>\n        \n")[0]
    assert "1 项承诺逾期" in town_a or "1 overdue" in town_a
    a2 = html[html.index('data-testid="lagging-a2"') :][:400]
    assert "尚无公开承诺" in a2 or "no public pledge" in a2


def test_thresholds_set_by_the_administrator_decide_the_red(world, figures, client_for):
    for key in selectors.FIGURE_KEYS:
        level = Decimal(100 if key == "overdue" else 0)
        DashboardThreshold.objects.filter(figure=key).update(green_from=level, red_below=level)
    html = client_for("admin").get(reverse("campaign:dashboard", args=["district"])).content.decode()
    # Nothing is red any more; town-a still has an overdue pledge, a2 still no pledge of its own.
    assert lagging_codes(html) == {"town-a", "a2"}
    assert "cell-red" not in html


def test_open_rectification_makes_a_unit_lag(world, figures, client_for):
    from inspections.models import Inspection, RectificationItem

    for key in selectors.FIGURE_KEYS:  # no red figures, so only the rectification item counts
        DashboardThreshold.objects.filter(figure=key).update(
            green_from=Decimal(0), red_below=Decimal(100 if key == "overdue" else 0)
        )
    inspection = Inspection.objects.create(
        campaign=world.campaign,
        organization=world.branch_b1,
        inspected_on=figures["today"],
        kind=Inspection.Kind.SPOT_CHECK,
        inspectors="督导组",
        findings="公开栏未更新",
        recorded_by=world.supervisor_sibling,
    )
    RectificationItem.objects.create(
        inspection=inspection,
        owner_org=world.branch_b1,
        description="更新公开栏",
        deadline=figures["today"],
        required_evidence="照片",
    )
    html = client_for("admin").get(reverse("campaign:dashboard", args=["district"])).content.decode()
    assert lagging_codes(html) == {"town-a", "town-b", "a2"}
    town_b = html[html.index('data-testid="lagging-town-b"') :][:600]
    assert "1 项整改未完成" in town_b or "1 open rectification" in town_b


def test_child_units_ranked_with_flags_and_links(world, figures, client_for):
    response = client_for("supervisor_above").get(
        reverse("campaign:dashboard", args=["town-a"]) + "?sort=completion_rate"
    )
    rows = response.context["rows"]
    assert [r.org.code for r in rows] == ["a1", "a2"]  # 50% before 0%
    assert [r.rank for r in rows] == [1, 2]
    assert rows[1].flags["branch_participation"] == "red"
    html = response.content.decode()
    assert reverse("campaign:dashboard", args=["a1"]) in html
    # Ranked by overdue: fewest first.
    rows = (
        client_for("supervisor_above")
        .get(reverse("campaign:dashboard", args=["town-a"]) + "?sort=overdue")
        .context["rows"]
    )
    assert [r.org.code for r in rows] == ["a2", "a1"]


def test_figures_link_to_the_pledges_behind_them(world, figures, client_for):
    response = client_for("supervisor_above").get(reverse("campaign:dashboard_home"))
    cards = {c["key"]: c["url"] for c in response.context["cards"]}
    overdue = urlparse(cards["overdue"])
    assert overdue.path == reverse("pledges:search")
    assert parse_qs(overdue.query) == {"org": ["town-a"], "campaign": [str(world.campaign.pk)], "overdue": ["1"]}
    assert parse_qs(urlparse(cards["completion_rate"]).query)["status"] == ["fulfilled"]
    assert parse_qs(urlparse(cards["member_participation"]).query)["kind"] == ["member"]
    categories = {c["key"]: c for c in response.context["categories"]}
    assert categories["people"]["total"] == 3 and categories["people"]["overdue"] == 1
    assert parse_qs(urlparse(categories["people"]["url"]).query)["category"] == ["people"]


def test_charts_get_the_same_numbers_as_the_tables(world, figures, client_for):
    response = client_for("admin").get(reverse("campaign:dashboard", args=["district"]))
    html = response.content.decode()
    data = json.loads(
        re.search(r'<script id="dashboard-data" type="application/json">(.*?)</script>', html, re.S).group(1)
    )
    assert data["trend"]["days"][-1] == figures["today"].isoformat()
    assert data["trend"]["completion"][-1] == 25.0
    assert {u["name"]: u["value"] for u in data["units"]} == {"甲镇党委": 33.3, "乙镇党委": 0.0}
    sectors = {s["label"]: s["total"] for s in response.context["sectors"]}
    assert sectors == {"农村": 3, "社区": 1} or sectors == {"Village": 3, "Community": 1}
    assert 'data-chart="trend"' in html and "echarts.min.js" in html


def test_home_opens_the_widest_scope(world, figures, client_for):
    assert client_for("supervisor_above").get(reverse("campaign:dashboard_home")).context["org"] == world.township_a
    assert client_for("secretary_same").get(reverse("campaign:dashboard_home")).context["org"] == world.branch_a1
    assert client_for("admin").get(reverse("campaign:dashboard_home")).context["org"] == world.district
    assert client_for("member").get(reverse("campaign:dashboard_home")).status_code == 403


def test_supervisor_cannot_open_another_subtree(world, figures, client_for):
    client = client_for("supervisor_above")
    assert client.get(reverse("campaign:dashboard", args=["b1"])).status_code == 404
    assert client.get(reverse("campaign:dashboard", args=["district"])).status_code == 404
    assert client.get(reverse("campaign:dashboard", args=["a2"])).status_code == 200
    assert client_for("secretary_same").get(reverse("campaign:dashboard", args=["a2"])).status_code == 404


def test_last_year_is_compared_where_it_exists(world, figures, client_for):
    start = world.campaign.starts_on
    previous = Campaign.objects.create(
        name="去年活动",
        theme="创先争优",
        starts_on=start.replace(year=start.year - 1),
        ends_on=start - datetime.timedelta(days=1),
    )
    offset = figures["today"] - start
    OrgSnapshot.objects.create(
        campaign=previous, organization=world.township_a, day=previous.starts_on + offset, counted=10, fulfilled=4
    )
    html = client_for("supervisor_above").get(reverse("campaign:dashboard_home")).content.decode()
    block = html[html.index('data-testid="last-year"') :][:1200]
    assert "去年活动" in block and "40.0%" in block
    data = json.loads(
        re.search(r'<script id="dashboard-data" type="application/json">(.*?)</script>', html, re.S).group(1)
    )
    assert data["trend"]["last_year"][-1] == 40.0
    # Last year's campaign itself stays readable.
    response = client_for("supervisor_above").get(reverse("campaign:dashboard_home") + f"?campaign={previous.pk}")
    assert response.context["campaign"] == previous
    assert card_values(response.content.decode())["completion_rate"] == "40.0%"


def test_wall_rotates_through_the_child_units(world, figures, client_for):
    client = client_for("admin")
    url = reverse("campaign:wall", args=["district"])
    first = client.get(url)
    assert first.status_code == 200 and first.context["current"].org.code in {"town-a", "town-b"}
    html = first.content.decode()
    assert 'class="wall' in html and "every 20s" in html and "i=1" in html
    second = client.get(url + "?i=1", HTTP_HX_REQUEST="true")
    assert second.context["current"].org != first.context["current"].org
    assert b"<html" not in second.content  # only the changing part, swapped in by htmx
    assert client.get(url + "?i=2").context["current"].org == first.context["current"].org


def _grow(world, n_branches: int):
    """Add branches (each with members and pledges) under both townships and roll up again."""
    for index in range(n_branches):
        parent = world.township_a if index % 2 else world.township_b
        branch = add_org(
            parent,
            code=f"g{Organization.objects.count()}",
            name=f"新支部{index}",
            kind=Organization.Kind.BRANCH,
            sector="village",
        )
        member = MemberFactory(organization=branch)
        PledgeFactory(owner_org=branch, published=True)
        PledgeFactory(owner_member=member, fulfilled=True)
    rollup_day(campaign=world.campaign, day=datetime.date.today())


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize("role,code", [("admin", "district"), ("supervisor_above", "town-a")])
def test_query_count_is_constant(world, figures, client_for, role, code, django_assert_max_num_queries):
    client = client_for(role)
    url = reverse("campaign:dashboard", args=[code])
    client.get(url)  # warm the per-user caches of the page chrome (e.g. the unread notifications count)
    small = _queries(client, url)
    _grow(world, 6)
    middle = _queries(client, url)
    _grow(world, 20)
    cache.clear()
    with django_assert_max_num_queries(19):  # even with the category breakdown not in the cache
        assert client.get(url).status_code == 200
    assert _queries(client, url) == middle == small
    assert _queries(client, reverse("campaign:wall", args=[code])) < 20


def test_a_supervisor_of_two_subtrees_sees_both(world, figures, client_for):
    RoleAssignment.objects.create(user=world.supervisor_above, role="supervisor", organization=world.township_b)
    response = client_for("supervisor_above").get(reverse("campaign:dashboard_home"))
    assert response.context["org"] == world.township_a
    assert [o.code for o in response.context["other_roots"]] == ["town-b"]


def test_default_thresholds_are_there_to_edit(world):
    assert {
        t.figure: (t.green_from, t.red_below) for t in DashboardThreshold.objects.all()
    } == selectors.DEFAULT_THRESHOLDS


def test_user_without_role_gets_403(world, client):
    client.force_login(make_user("nobody"))
    assert client.get(reverse("campaign:dashboard_home")).status_code == 403

"""The benchmark's hand-written SQL (the floor) fetches the same numbers the dashboard shows (PostgreSQL)."""

from __future__ import annotations

import pytest
from django.db import connection

from campaign import bench_dashboard, selectors

from .dashboard_fixtures import build_figures

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the floor SQL is PostgreSQL's"),
]


@pytest.mark.parametrize("code", ["district", "town-a"])
def test_floor_sql_agrees_with_the_dashboard(world, code):
    from orgs.models import Organization

    figures = build_figures(world)
    org = Organization.objects.get(code=code)
    day = figures["today"]
    params = {
        "campaign": world.campaign.pk,
        "org": org.pk,
        "day": day,
        "prefix": org.path + "%",
        "child_depth": org.depth + 1,
    }
    category_sql = bench_dashboard.CATEGORY_ALL_SQL if code == "district" else bench_dashboard.CATEGORY_SUBTREE_SQL
    with connection.cursor() as cursor:
        results = []
        for sql in [*bench_dashboard.FLOOR_SQL, category_sql]:
            cursor.execute(sql, params)
            results.append(cursor.fetchall())
    trend, children, no_pledge, sectors, categories = results
    data = selectors.dashboard_data(org, world.campaign)
    assert [row[0] for row in trend] == [s.day for s in data["trend"]]
    assert {row[1]: row[3] for row in children} == {r.org.code: r.snapshot.counted for r in data["rows"]}
    assert {row[1] for row in no_pledge} == {e["org"].code for e in data["lagging"] if "no_pledge" in e["keys"]}
    assert {row[0] or "": tuple(row[1:]) for row in sectors if row[1]} == {
        s["key"]: (s["total"], s["fulfilled"], s["overdue"]) for s in data["sectors"]
    }
    assert {row[0]: tuple(row[1:]) for row in categories} == {
        c["key"]: (c["total"], c["fulfilled"], c["overdue"]) for c in data["categories"] if c["total"]
    }

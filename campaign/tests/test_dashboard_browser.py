"""In Chromium at a desk: a district supervisor opens the dashboard, the charts draw, and they drill
down into a township and on into a lagging branch."""

from __future__ import annotations

import pytest

from conftest import browser_login
from orgs.models import RoleAssignment
from tests.world import build_world, make_user

from .dashboard_fixtures import build_figures

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def charts_drawn(page) -> int:
    """How many chart containers hold a drawn ECharts canvas."""
    return page.evaluate(
        """() => Array.from(document.querySelectorAll('[data-chart]'))
                 .filter(el => { const c = el.querySelector('canvas'); return c && c.width > 0 && c.height > 0; })
                 .length"""
    )


def test_supervisor_drills_down_from_the_district(desk_page):
    world = build_world()
    build_figures(world)
    head = make_user("district_supervisor", full_name="周建华")
    RoleAssignment.objects.create(user=head, role="supervisor", organization=world.district)
    page = desk_page

    browser_login(page, "district_supervisor")
    page.goto("/campaigns/dashboard/")
    page.wait_for_load_state("networkidle")
    assert "测试区委" in page.inner_text("[data-testid=dashboard-org]")
    assert page.inner_text("[data-testid=value-completion_rate]").strip() == "25.0%"
    page.wait_for_function("document.querySelectorAll('[data-chart] canvas').length >= 4")
    assert charts_drawn(page) == 4  # trend, units, categories, sectors

    # The table view shows the same numbers as the chart.
    page.click("button[data-bs-target='#table-categories']")
    page.wait_for_selector("#table-categories.show")
    assert "服务群众" in page.inner_text("#table-categories")

    # Drill into township A from the ranking table.
    page.click("[data-testid=ranking] a:has-text('甲镇党委')")
    page.wait_for_load_state("networkidle")
    assert "甲镇党委" in page.inner_text("[data-testid=dashboard-org]")
    page.wait_for_function("document.querySelectorAll('[data-chart] canvas').length >= 4")
    assert charts_drawn(page) == 4

    # Branch a2 lags (no public pledge of its own): into its dashboard from the lagging list.
    lagging = page.locator("[data-testid=lagging-a2]")
    assert "尚无公开承诺" in lagging.inner_text()
    lagging.locator("a").click()
    page.wait_for_load_state("networkidle")
    assert "甲二村党支部" in page.inner_text("[data-testid=dashboard-org]")
    assert page.inner_text("[data-testid=value-completion_rate]").strip() == "0.0%"
    assert charts_drawn(page) >= 3  # a branch has no units to rank, the other charts draw

    # The wall view opens dark and full-size from the dashboard.
    page.click("[data-testid=wall-link]")
    page.wait_for_load_state("networkidle")
    assert page.evaluate("document.body.classList.contains('wall')")
    page.goto("/campaigns/dashboard/town-a/wall/")
    page.wait_for_load_state("networkidle")
    first = page.inner_text("[data-testid=wall-current] h2")
    # What the 20-second timer does: htmx fetches the next unit and swaps it in; the chart is redrawn.
    page.evaluate(
        """() => { const body = document.getElementById('wall-body');
                   htmx.ajax('GET', body.getAttribute('hx-get'), {target: body, swap: 'outerHTML'}); }"""
    )
    page.wait_for_function(f"document.querySelector('[data-testid=wall-current] h2').innerText !== {first!r}")
    page.wait_for_function("document.querySelector('[data-chart] canvas') !== null")
    assert {first, page.inner_text("[data-testid=wall-current] h2")} == {"甲一村党支部", "甲二村党支部"}
    assert page.console_errors == []

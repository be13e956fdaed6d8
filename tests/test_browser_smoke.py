"""Real headless Chromium: a secretary logs in on a phone, sees Chinese, and switches to English."""

import pytest

from conftest import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_secretary_logs_in_sees_chinese_and_switches_to_english(phone_page, transactional_db):
    from tests.world import build_world

    world = build_world()
    page = phone_page
    browser_login(page, world.secretary_same.user.username)
    page.goto(f"/orgs/{world.branch_a1.code}/")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert "退出登录" in page.content()
    assert "甲一村党支部" in page.content()
    assert "党员" in page.content()
    # On a phone the language switch sits in the collapsed menu.
    page.click("button.navbar-toggler")
    page.click("[data-testid=language-en]")
    page.wait_for_load_state("networkidle")
    assert page.locator("html").get_attribute("lang") == "en"
    assert "Members" in page.content()
    assert page.console_errors == []

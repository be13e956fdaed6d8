"""Real headless Chromium on a phone: a secretary adds a member, prints the sheet; the member logs in
with the one-time password and must choose their own before anything else."""

import re

import pytest

from conftest import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_secretary_adds_a_member_who_then_must_change_the_password(phone_page, browser, live_server):
    from orgs.models import User
    from tests.world import build_world

    build_world()
    page = phone_page
    browser_login(page, "secretary_same")
    page.goto("/orgs/members/")
    page.click("[data-testid=member-add]")
    page.fill("input[name=name]", "刘新华")
    page.fill("input[name=phone]", "139 1234 5678")
    page.click("main button[type=submit]")
    page.wait_for_load_state("networkidle")
    assert "初始密码单" in page.content()
    slip = page.locator("[data-testid=password-slips] .slip").filter(has_text="刘新华")
    secrets = slip.locator(".secret").all_inner_texts()
    assert secrets[0] == "13912345678"
    password = secrets[1]
    assert re.fullmatch(r"[a-z2-9]{8}", password)
    assert page.console_errors == []

    context = browser.new_context(viewport={"width": 375, "height": 740}, locale="zh-CN", base_url=live_server.url)
    newcomer = context.new_page()
    browser_login(newcomer, "13912345678", password)
    assert newcomer.url.endswith("/accounts/password/")
    assert "初始密码" in newcomer.content()
    newcomer.goto("/orgs/a1/")  # anything else first sends them back
    assert newcomer.url.endswith("/accounts/password/")
    newcomer.fill("input[name=old_password]", password)
    newcomer.fill("input[name=new_password1]", "Qingshan-2026!")
    newcomer.fill("input[name=new_password2]", "Qingshan-2026!")
    newcomer.click("main button[type=submit]")
    newcomer.wait_for_load_state("networkidle")
    assert not User.objects.get(username="13912345678").must_change_password
    newcomer.goto("/orgs/a1/")
    assert "甲一村党支部" in newcomer.content()
    context.close()

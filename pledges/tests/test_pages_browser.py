"""Real headless Chromium on a phone: a secretary files a pledge for a member and submits it, the member
finds it in 我的承诺, the secretary approves it, a resident reads it on the public board, and the printed
poster's QR code decodes to that board."""

import datetime
import io

import pytest
import zxingcpp
from PIL import Image

from conftest import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_secretary_files_for_member_member_sees_it_secretary_approves(browser, live_server, phone_page, settings):
    from django.utils import timezone

    from pledges.models import Pledge
    from pledges.services import lifecycle
    from tests.world import build_world

    world = build_world()
    page = phone_page
    browser_login(page, world.secretary_same.user.username)

    # Branch home → the member without a pledge → the filing form, owner preselected.
    page.goto("/")
    assert "/pledges/branch/" in page.url
    page.click("[data-testid=without-pledge] >> text=张党员")
    page.wait_for_load_state("networkidle")
    assert page.locator("#id_owner").input_value() == f"member:{world.member.pk}"
    page.fill("#id_title", "结对帮扶困难党员")
    page.fill("#id_target", "进一步加强联系群众")  # vague: refused with an example, typed text kept
    page.fill("#id_content", "每月上门走访一次")
    page.fill("#id_deadline", (timezone.localdate() + datetime.timedelta(days=20)).isoformat())
    page.click("[data-testid=save-submit]")
    page.wait_for_load_state("networkidle")
    assert "完成 3 户困难党员走访" in page.inner_text("#div_id_target")
    assert page.locator("#id_title").input_value() == "结对帮扶困难党员"
    page.fill("#id_target", "完成 3 户困难党员走访")
    submit = page.locator("[data-testid=save-submit]")
    assert submit.is_visible()
    submit.click()
    page.wait_for_load_state("networkidle")
    assert "已提交" in page.inner_text(".messages")
    pledge = Pledge.objects.get()
    assert (pledge.owner_member_id, pledge.status) == (world.member.pk, Pledge.Status.SUBMITTED)

    # The member sees it in 我的承诺, awaiting approval.
    member_context = browser.new_context(
        viewport={"width": 375, "height": 740}, locale="zh-CN", base_url=live_server.url
    )
    member_page = member_context.new_page()
    browser_login(member_page, world.member.user.username)
    member_page.goto("/")
    assert "/pledges/mine/" in member_page.url
    card = member_page.locator("[data-testid=pledge-card]")
    assert card.count() == 1
    assert "结对帮扶困难党员" in card.inner_text()
    assert "待审核" in card.locator("[data-testid=status]").inner_text()
    assert "还剩 20 天" in card.inner_text()
    member_context.close()

    # The secretary approves from the pledge page; the action bar stays in reach on a phone.
    page.goto(f"/pledges/{pledge.pk}/")
    approve = page.locator("[data-testid=action-approve]")
    box = approve.bounding_box()
    assert box["y"] >= 0 and box["y"] + box["height"] <= 740  # on screen without scrolling
    page.mouse.wheel(0, 400)
    page.wait_for_timeout(200)
    box = approve.bounding_box()
    assert box["y"] >= 0 and box["y"] + box["height"] <= 740  # and still there after scrolling
    assert page.locator("[data-testid=action-edit]").count() == 0  # submitted: no editing
    approve.click()
    page.wait_for_load_state("networkidle")
    assert "审核通过" in page.inner_text(".messages")
    pledge.refresh_from_db()
    assert pledge.status == Pledge.Status.PUBLISHED
    assert str(lifecycle.MOVES["approve"]) in page.inner_text("[data-testid=timeline]")
    assert page.console_errors == []

    # A resident (a fresh browser, never logged in) finds it on the branch's public board …
    resident_context = browser.new_context(
        viewport={"width": 375, "height": 740}, locale="zh-CN", base_url=live_server.url
    )
    resident = resident_context.new_page()
    resident.goto(f"/board/{world.branch_a1.code}/")
    assert "结对帮扶困难党员" in resident.content()
    assert "完成 3 户困难党员走访" in resident.content()
    # … and the printed poster's QR code decodes to that board and leads back to the pledge.
    settings.SITE_URL = live_server.url
    resident.set_viewport_size({"width": 1000, "height": 1400})
    resident.goto(f"/board/{world.branch_a1.code}/poster/")
    assert "结对帮扶困难党员" in resident.content()
    shot = resident.locator("[data-testid=poster-qr]").screenshot()
    decoded = [code.text for code in zxingcpp.read_barcodes(Image.open(io.BytesIO(shot)))]
    assert decoded == [f"{live_server.url}/board/{world.branch_a1.code}/"]
    resident.goto(decoded[0])
    assert "结对帮扶困难党员" in resident.content()
    resident_context.close()

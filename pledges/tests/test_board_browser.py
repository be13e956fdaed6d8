"""Real headless Chromium: a resident reads the board on a phone; the printed poster's QR code leads to it."""

from __future__ import annotations

import io

import pytest
import zxingcpp
from PIL import Image

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def board_world(transactional_db):
    from pledges.tests.factories import PledgeFactory
    from tests.world import build_world

    world = build_world()
    world.published = PledgeFactory(
        owner_member=world.member,
        campaign=world.campaign,
        published=True,
        progress=40,
        title="为村里老人代办 10 件事",
        target="为留守老人代购药品、代缴费用等 10 件",
    )
    world.draft = PledgeFactory(owner_org=world.branch_a1, campaign=world.campaign, title="尚未公开的草稿承诺")
    return world


def test_resident_reads_the_board_on_a_phone(phone_page, board_world):
    page = phone_page
    page.goto(f"/board/{board_world.branch_a1.code}/")
    card = page.locator("[data-testid=board-pledge]")
    assert card.count() == 1
    assert "为村里老人代办 10 件事" in card.inner_text()
    assert "张党员" in card.inner_text()
    assert "尚未公开的草稿承诺" not in page.content()
    assert "公开承诺" in page.locator("[data-testid=board-counters]").inner_text()
    # Fits a 375 px screen: nothing scrolls sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    # 长辈模式 for a visitor who never logs in: remembered in a cookie.
    page.click("[data-testid=elder-mode]")
    page.wait_for_load_state("networkidle")
    assert "elder-mode" in page.locator("body").get_attribute("class")
    page.goto(f"/board/{board_world.branch_a1.code}/")
    assert "elder-mode" in page.locator("body").get_attribute("class")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert page.console_errors == []


def test_poster_qr_code_decodes_to_the_board_url(desk_page, board_world, live_server, settings):
    settings.SITE_URL = live_server.url
    page = desk_page
    page.goto(f"/board/{board_world.branch_a1.code}/poster/")
    assert "公开承诺栏" in page.content()
    assert page.locator("[data-testid=poster-row]").count() == 1
    shot = page.locator("[data-testid=poster-qr]").screenshot()
    found = zxingcpp.read_barcodes(Image.open(io.BytesIO(shot)))
    board_url = f"{live_server.url}/board/{board_world.branch_a1.code}/"
    assert [code.text for code in found] == [board_url]
    # The code leads a phone to the board itself.
    page.goto(found[0].text)
    assert "为村里老人代办 10 件事" in page.content()

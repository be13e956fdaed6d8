"""A resident rates a pledge on the public board from a phone; the same browser cannot rate it twice;
a supervisor's review then shows on the board."""

from __future__ import annotations

import pytest

from conftest import browser_login
from pledges.models import Rating, Review
from pledges.tests.reviews_support import make_pledge


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_resident_rates_once_and_the_supervisors_review_appears_on_the_board(world, phone_page, desk_page):
    pledge = make_pledge(world, title="修好村口路灯")
    board = f"/board/{world.branch_a1.code}/"

    # A second tab of the same phone browser, opened before the first rating.
    second_tab = phone_page.context.new_page()
    second_tab.goto(board)

    phone_page.goto(board)
    card = phone_page.locator(f"#pledge-{pledge.pk}")
    card.get_by_role("button", name="满意", exact=True).click()
    phone_page.wait_for_load_state("networkidle")
    assert "感谢您的评议" in phone_page.locator(".messages").inner_text()
    card = phone_page.locator(f"#pledge-{pledge.pk}")
    assert card.locator('[data-testid="rated-here"]').is_visible()
    assert card.get_by_role("button", name="满意", exact=True).count() == 0
    assert card.locator(f'[data-testid="satisfaction-{pledge.pk}"]').inner_text() == "100%"

    second_tab.locator(f"#pledge-{pledge.pk}").get_by_role("button", name="不满意").click()
    second_tab.wait_for_load_state("networkidle")
    assert "已在此浏览器评议过" in second_tab.locator(".messages").inner_text()
    assert list(Rating.objects.values_list("choice", flat=True)) == ["satisfied"]

    browser_login(desk_page, "supervisor_above")
    desk_page.goto(f"/pledges/{pledge.pk}/")
    form = desk_page.locator("#review-form")
    form.get_by_label("优秀").check()
    form.locator("textarea[name=comment]").fill("路灯修好了，群众满意，值得推广")
    form.get_by_role("button", name="发表点评").click()
    desk_page.wait_for_load_state("networkidle")
    assert Review.objects.filter(pledge=pledge, reviewer=world.supervisor_above).exists()

    phone_page.goto(board)
    reviews = phone_page.locator(f"#pledge-{pledge.pk}").inner_text()
    assert "路灯修好了，群众满意，值得推广" in reviews and "周督导" in reviews
    assert not phone_page.console_errors

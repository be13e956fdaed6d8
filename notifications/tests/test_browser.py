"""The notification centre on a phone: the bell shows the count, the list opens, all can be marked read."""

import pytest

from conftest import browser_login
from notifications.models import Notification


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_bell_list_and_mark_all_read_on_a_phone(world, phone_page, tmp_path):
    for title in ("“走访困难党员”还剩 3 天到期", "领导点评了你的承诺"):
        Notification.objects.create(user=world.member.user, kind="deadline_reminder", title=title)
    browser_login(phone_page, "member")
    badge = phone_page.get_by_test_id("unread-count")
    assert badge.inner_text() == "2"
    assert badge.is_visible()  # in the top bar, not hidden in the collapsed menu
    phone_page.get_by_test_id("notification-badge").click()
    phone_page.wait_for_load_state("networkidle")
    assert phone_page.get_by_test_id("notification").count() == 2
    assert "走访困难党员" in phone_page.content()
    phone_page.screenshot(path=str(tmp_path / "notifications-phone.png"), full_page=True)
    phone_page.get_by_role("button", name="全部标为已读").click()
    phone_page.wait_for_load_state("networkidle")
    assert "全部通知已标为已读" in phone_page.content()
    assert phone_page.get_by_test_id("unread-count").count() == 0
    assert not phone_page.console_errors

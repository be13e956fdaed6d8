"""The notification centre: badge, list, mark read, e-mail preferences."""

from __future__ import annotations

import pytest
from django.urls import reverse

from notifications.models import Notification, NotificationPreference
from notifications.services import email_preferences, notify


def give(user, count: int, **fields) -> None:
    Notification.objects.bulk_create(
        Notification(
            user=user, kind=fields.get("kind", "deadline_reminder"), title=f"提醒 {i}", url=fields.get("url", "")
        )
        for i in range(count)
    )


def test_the_navbar_shows_the_unread_count(world, client_for):
    give(world.member.user, 3)
    Notification.objects.filter(pk=Notification.objects.first().pk).update(read_at="2026-01-01T00:00Z")
    give(world.other_member.user, 5)
    page = client_for("member").get(reverse("notifications:list")).content.decode()
    assert 'data-testid="unread-count">2<' in page


def test_the_badge_is_cached_until_notifications_change(world, client_for, django_assert_num_queries):
    client = client_for("member")
    url = reverse("password_change")  # any page with the navbar
    client.get(url)
    with django_assert_num_queries(0, info="the badge must not query again") as queries:
        from django.template import Context, Template

        Template("{% load notifications_tags %}{% unread_count user %}").render(Context({"user": world.member.user}))
    assert len(queries) == 0
    notify(recipients=[world.member.user], kind="review_posted", title="领导点评了你的承诺")
    assert 'data-testid="unread-count">1<' in client.get(url).content.decode()


def test_the_list_is_paginated_with_a_constant_number_of_queries(world, client_for, django_assert_max_num_queries):
    client = client_for("member")
    give(world.member.user, 3)
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("notifications:list"))
    give(world.member.user, 60)
    with django_assert_max_num_queries(len(few)):
        response = client.get(reverse("notifications:list"))
    assert response.content.decode().count('data-testid="notification"') == 20
    assert (
        client.get(reverse("notifications:list") + "?page=4").content.decode().count('data-testid="notification"') == 3
    )


def test_people_see_only_their_own_notifications(world, client_for):
    give(world.other_member.user, 1)
    page = client_for("member").get(reverse("notifications:list")).content.decode()
    assert "提醒 0" not in page


def test_opening_a_notification_marks_it_read_and_follows_its_link(world, client_for):
    give(world.member.user, 1, url="/pledges/1/")
    notification = Notification.objects.get()
    response = client_for("member").post(reverse("notifications:read", args=[notification.pk]))
    assert response.status_code == 302 and response.headers["Location"] == "/pledges/1/"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_a_notification_with_an_outside_link_goes_back_to_the_list(world, client_for):
    give(world.member.user, 1, url="https://evil.example/")
    notification = Notification.objects.get()
    response = client_for("member").post(reverse("notifications:read", args=[notification.pk]))
    assert response.headers["Location"] == reverse("notifications:list")


def test_someone_elses_notification_is_not_found_and_stays_unread(world, client_for):
    give(world.other_member.user, 1)
    notification = Notification.objects.get()
    assert client_for("member").post(reverse("notifications:read", args=[notification.pk])).status_code == 404
    notification.refresh_from_db()
    assert notification.read_at is None


def test_mark_all_read_touches_only_mine(world, client_for):
    give(world.member.user, 4)
    give(world.other_member.user, 2)
    client = client_for("member")
    response = client.post(reverse("notifications:read_all"), follow=True)
    assert Notification.objects.filter(user=world.member.user, read_at__isnull=True).count() == 0
    assert Notification.objects.filter(user=world.other_member.user, read_at__isnull=True).count() == 2
    assert "全部通知已标为已读" in response.content.decode()
    assert 'data-testid="unread-count"' not in response.content.decode()


def test_email_preferences_are_saved_per_kind(world, client_for):
    client = client_for("member")
    assert all(email_preferences(world.member.user).values())  # e-mail on by default
    response = client.post(reverse("notifications:preferences"), {"email_kinds": ["deadline_reminder", "digest"]})
    assert response.status_code == 302
    prefs = email_preferences(world.member.user)
    assert prefs["deadline_reminder"] and prefs["digest"] and not prefs["review_posted"]
    page = client.get(reverse("notifications:preferences")).content.decode()
    assert 'value="digest" ' in page and "checked" in page
    # Saving again updates the same rows.
    client.post(reverse("notifications:preferences"), {"email_kinds": []})
    assert NotificationPreference.objects.filter(user=world.member.user).count() == len(Notification.Kind.values)
    assert not any(email_preferences(world.member.user).values())


def test_an_unknown_kind_is_refused_next_to_the_field(world, client_for):
    response = client_for("member").post(reverse("notifications:preferences"), {"email_kinds": ["nonsense"]})
    assert response.status_code == 200 and "nonsense" in response.content.decode()
    assert not NotificationPreference.objects.exists()


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_pages_render_in_both_languages(world, client_for, language):
    client = client_for("member")
    client.cookies["django_language"] = language
    assert client.get(reverse("notifications:list")).status_code == 200
    assert client.get(reverse("notifications:preferences")).status_code == 200

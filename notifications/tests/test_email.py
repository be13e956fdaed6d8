"""E-mail, the second channel: after commit, honouring preferences, one failure never stops the batch."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail

from campaign.celery import app
from notifications.models import Notification, NotificationPreference
from notifications.reminders import send_reminders
from notifications.services import notify
from notifications.tasks import send_notification_emails

from .helpers import make_pledge


@pytest.fixture
def eager():
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = False


@pytest.fixture
def addresses(world):
    for user in (world.member.user, world.other_member.user, world.secretary_same.user):
        user.email = f"{user.username}@example.cn"
        user.save(update_fields=["email"])


def test_notify_emails_after_commit_only_those_who_want_it(world, addresses, eager, django_capture_on_commit_callbacks):
    NotificationPreference.objects.create(user=world.other_member.user, kind="review_posted", email=False)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notify(
            recipients=[world.member.user, world.other_member.user, world.supervisor_above],  # the last has no address
            kind="review_posted",
            title="领导点评了你的承诺",
            url="/pledges/1/",
        )
    assert mail.outbox == []  # nothing before the transaction commits
    for callback in callbacks:
        callback()
    assert [m.to for m in mail.outbox] == [["member@example.cn"]]
    assert mail.outbox[0].subject == "领导点评了你的承诺" and "/pledges/1/" in mail.outbox[0].body
    assert Notification.objects.get(user=world.member.user).emailed_at is not None
    assert Notification.objects.filter(emailed_at__isnull=True).count() == 2


def test_reminder_digests_are_emailed_too(world, addresses, eager, django_capture_on_commit_callbacks):
    day = datetime.date(2026, 6, 15)
    make_pledge(world, member=world.member, deadline=day + datetime.timedelta(days=3))
    make_pledge(world, member=world.member, deadline=day)
    with django_capture_on_commit_callbacks(execute=True):
        summary = send_reminders(day)
    assert summary["emails_queued"] == 1
    assert len(mail.outbox) == 1 and "2" in mail.outbox[0].subject


def test_one_failing_email_does_not_stop_the_others_and_is_retried(world, addresses, monkeypatch):
    notify(
        recipients=[world.member.user, world.other_member.user, world.secretary_same.user],
        kind="pledge_published",
        title="承诺已公开",
    )
    ids = list(Notification.objects.order_by("pk").values_list("pk", flat=True))
    from django.core.mail.backends.locmem import EmailBackend

    real_send = EmailBackend.send_messages

    def flaky(self, messages):
        if any("other_member" in address for m in messages for address in m.to):
            raise OSError("mail server refused")
        return real_send(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", flaky)
    retried = []
    monkeypatch.setattr(send_notification_emails, "retry", lambda **kwargs: retried.append(kwargs) or RuntimeError())
    with pytest.raises(RuntimeError):
        send_notification_emails.run(ids)
    assert sorted(m.to[0] for m in mail.outbox) == ["member@example.cn", "secretary_same@example.cn"]
    assert retried and retried[0]["args"] == [[Notification.objects.get(user=world.other_member.user).pk]]
    assert retried[0]["countdown"] > 0
    # A redelivered task sends nothing twice.
    monkeypatch.setattr(EmailBackend, "send_messages", real_send)
    assert send_notification_emails.run(ids) == {"sent": 1, "failed": 0}
    assert len(mail.outbox) == 3


def test_a_broker_outage_does_not_fail_the_action(world, addresses, monkeypatch, django_capture_on_commit_callbacks):
    def down(*args, **kwargs):
        raise ConnectionError("broker unreachable")

    monkeypatch.setattr(send_notification_emails, "delay", down)
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[world.member.user], kind="pledge_returned", title="承诺被退回")
    assert Notification.objects.get().emailed_at is None  # left for the daily sweep


def test_the_daily_sweep_sends_lost_emails_once(world, addresses, eager):
    from django.utils import timezone

    from notifications.services import queue_unsent_emails

    two_hours_ago = timezone.now() - datetime.timedelta(hours=2)
    notify(
        recipients=[world.member.user, world.other_member.user, world.secretary_same.user],
        kind="pledge_published",
        title="承诺已公开",
    )
    Notification.objects.update(created_at=two_hours_ago)
    NotificationPreference.objects.create(user=world.other_member.user, kind="pledge_published", email=False)
    Notification.objects.filter(user=world.secretary_same.user).update(emailed_at=two_hours_ago)
    notify(recipients=[world.member.user], kind="review_posted", title="刚刚的点评")  # still within the retry window
    assert queue_unsent_emails() == 1
    assert [m.to for m in mail.outbox] == [["member@example.cn"]]
    assert queue_unsent_emails() == 0

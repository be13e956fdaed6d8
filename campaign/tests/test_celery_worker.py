"""A real Celery worker, against the real broker, runs the jobs and their effect lands in the database.

Needs CELERY_BROKER_URL=redis://…: the embedded filesystem broker is for the demo only.
"""

from __future__ import annotations

import datetime
import time

import pytest
from django.conf import settings
from django.utils import timezone

from campaign.models import JobRun, OrgSnapshot
from notifications.models import Notification, Reminder
from notifications.tests.helpers import make_pledge

pytestmark = [
    pytest.mark.celery_worker,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not settings.CELERY_BROKER_URL.startswith("redis://"),
        reason="needs a Redis broker (CELERY_BROKER_URL=redis://…); the filesystem default is for the demo only",
    ),
]


@pytest.fixture
def worker():
    from celery.contrib.testing.worker import start_worker

    from campaign.celery import app

    app.conf.task_always_eager = False
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30) as running:
        yield running


def wait_for(condition, seconds: float = 30) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def test_worker_sends_reminders_and_rolls_up(world, worker):
    from campaign.tasks import rollup_task
    from notifications.tasks import send_reminders_task

    today = timezone.localdate()
    make_pledge(world, member=world.member, deadline=today + datetime.timedelta(days=3))
    make_pledge(world, org=world.branch_a1, deadline=today - datetime.timedelta(days=14))

    send_reminders_task.delay(today.isoformat())
    send_reminders_task.delay(today.isoformat())  # a duplicate delivery changes nothing
    rollup_task.delay(today.isoformat(), world.campaign.pk)

    assert wait_for(lambda: JobRun.objects.filter(name="reminders", status="succeeded").count() == 2)
    assert wait_for(lambda: OrgSnapshot.objects.filter(day=today).count() == 6)
    assert Reminder.objects.count() == 4  # due_3; overdue, escalate_secretary, escalate_supervisor
    assert set(Notification.objects.values_list("user__username", "kind")) == {
        ("member", "deadline_reminder"),
        ("secretary_same", "deadline_reminder"),
        ("supervisor_above", "overdue_escalation"),
    }
    assert Notification.objects.count() == 3
    district = OrgSnapshot.objects.get(day=today, organization=world.district)
    assert (district.counted, district.overdue) == (2, 1)
